//! Helpers shared by the unit tests.

use crate::candidates::Candidates;
use crate::domain::Scenario;

/// The bundled kina scenario (about 250 learners) with its candidates.
pub(crate) fn kina() -> (Scenario, Candidates) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("instances/kina.toml");
    let scenario = crate::input::load_scenario(&path).expect("the bundled kina is valid");
    let candidates = Candidates::new(&scenario);
    (scenario, candidates)
}
