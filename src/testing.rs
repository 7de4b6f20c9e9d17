//! Helpers shared by the unit tests.

use crate::candidates::Candidates;
use crate::domain::Scenario;
use crate::solve::Plan;
use crate::timetable::Timetable;

/// The bundled kina scenario (about 250 learners) with its candidates.
pub(crate) fn kina() -> (Scenario, Candidates) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("instances/kina.toml");
    let scenario = crate::input::load_scenario(&path).expect("the bundled kina is valid");
    let candidates = Candidates::new(&scenario);
    (scenario, candidates)
}

/// The bundled tiny scenario (eight learners) with its candidates.
pub(crate) fn tiny() -> (Scenario, Candidates) {
    let scenario = crate::input::load_scenario_str(
        include_str!("../instances/tiny.toml"),
        std::path::Path::new("tiny.toml"),
    )
    .expect("the bundled tiny scenario is valid");
    let candidates = Candidates::new(&scenario);
    (scenario, candidates)
}

/// The timetable of a plan, with its section 6 objective.
pub(crate) fn timetable_of(scenario: &Scenario, candidates: &Candidates, plan: &Plan) -> Timetable {
    crate::solve::plan_timetable(scenario, candidates, plan)
}
