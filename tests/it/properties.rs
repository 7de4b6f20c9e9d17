//! Properties of the planner on random tiny scenarios: every timetable passes the independent
//! checker, the same settings give the same file, the solver's optimum is the true optimum
//! found by exhaustive search, and relaxing a limit never makes the optimum worse.

mod brute;
mod generate;

use std::path::Path;

use proptest::prelude::*;
use proptest::sample::Index;
use roosteraar::domain::Scenario;
use roosteraar::input::load_scenario_str;
use roosteraar::solve::{Engine, SolveSettings, solve};
use roosteraar::timetable::{SolveStatus, Timetable};
use roosteraar::verify::{Rule, verify};
use roosteraar::write::timetable_json;

use generate::Spec;

/// One thread, a fixed seed and a zero gap, so that "optimal" means proven optimal.
fn exact() -> SolveSettings {
    SolveSettings {
        threads: Some(1),
        seed: Some(1),
        gap: Some(0.0),
        ..SolveSettings::default()
    }
}

fn parse(toml: &str) -> Scenario {
    load_scenario_str(toml, Path::new("tiny.toml"))
        .unwrap_or_else(|e| panic!("the generated scenario does not load: {e}\n{toml}"))
}

/// Equal within the relative tolerance of SPEC section 6.
fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6 * b.abs().max(1.0)
}

/// Solves with [`exact`] settings; `verify` must find nothing wrong with the timetable.
fn solve_verified(scenario: &Scenario, toml: &str) -> Result<Timetable, TestCaseError> {
    solve_verified_with(scenario, toml, &exact())
}

/// Solves with `settings`; `verify` must find nothing wrong with the timetable.
fn solve_verified_with(
    scenario: &Scenario,
    toml: &str,
    settings: &SolveSettings,
) -> Result<Timetable, TestCaseError> {
    let solved = solve(scenario, settings)
        .map_err(|e| TestCaseError::fail(format!("solve failed: {e}\n{toml}")))?;
    let timetable = solved.timetable;
    let violations = verify(scenario, &timetable);
    prop_assert!(
        violations.is_empty(),
        "verify rejects the solver's timetable:\n{}\n{}\n{toml}",
        violations
            .iter()
            .map(|v| v.to_string())
            .collect::<Vec<_>>()
            .join("\n"),
        timetable_json(&timetable)
    );
    Ok(timetable)
}

/// With a zero gap a tiny scenario is solved to proven optimality.
fn assert_optimal(timetable: &Timetable, toml: &str) -> Result<(), TestCaseError> {
    prop_assert_eq!(
        timetable.solver.status,
        SolveStatus::Optimal,
        "gap {:?}, bound {:?}, objective {}\n{}",
        timetable.solver.gap,
        timetable.solver.best_bound,
        timetable.solver.objective,
        toml
    );
    Ok(())
}

/// Solves with [`exact`] settings, checks the result with `verify` and that it is optimal.
fn solve_checked(scenario: &Scenario, toml: &str) -> Result<Timetable, TestCaseError> {
    let timetable = solve_verified(scenario, toml)?;
    assert_optimal(&timetable, toml)?;
    Ok(timetable)
}

fn optimum(spec: &Spec) -> Result<f64, TestCaseError> {
    let toml = spec.toml();
    Ok(solve_checked(&parse(&toml), &toml)?.solver.objective)
}

/// A relaxed scenario's optimum is at least the original's.
fn not_lower(relaxed: f64, original: f64, what: &str, spec: &Spec) -> Result<(), TestCaseError> {
    prop_assert!(
        relaxed >= original - 1e-6 * original.abs().max(1.0),
        "{what} lowered the optimum from {original} to {relaxed}\n{}",
        spec.toml()
    );
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    /// The solver's objective is the true optimum: the best of every timetable the rules
    /// allow, found by exhaustive search, and its bound is not below it. The search's own
    /// best timetable passes `verify` on rules 1–11 and the objective, so the search accepts
    /// nothing the checker would not.
    #[test]
    fn solver_reaches_the_exhaustive_optimum(spec in generate::spec(8, 2)) {
        let toml = spec.toml();
        let scenario = parse(&toml);
        let timetable = solve_verified(&scenario, &toml)?;
        let best = brute::optimum(&scenario);
        let violations: Vec<String> = verify(&scenario, &best.timetable)
            .into_iter()
            .filter(|v| v.rule.is_hard() || v.rule == Rule::Objective)
            .map(|v| v.to_string())
            .collect();
        prop_assert!(
            violations.is_empty(),
            "verify rejects the exhaustive search's best timetable:\n{}\n{}\n{toml}",
            violations.join("\n"),
            timetable_json(&best.timetable)
        );
        prop_assert!(
            close(timetable.solver.objective, best.objective),
            "solver objective {} but the true optimum is {}\nsolver: {}\nsearch: {}\n{toml}",
            timetable.solver.objective,
            best.objective,
            timetable_json(&timetable),
            timetable_json(&best.timetable)
        );
        if let Some(bound) = timetable.solver.best_bound {
            prop_assert!(
                bound >= best.objective - 1e-6 * best.objective.abs().max(1.0),
                "the solver's bound {} is below the true optimum {}\n{}",
                bound,
                best.objective,
                toml
            );
        }
        assert_optimal(&timetable, &toml)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// Region by region, after ruin and recreate, every timetable passes `verify` and none
    /// is worth more than the exhaustive optimum: the quick search breaks no rule and counts
    /// no value that is not there.
    #[test]
    fn regions_after_ruin_and_recreate_stay_valid_and_within_the_optimum(
        spec in generate::spec(8, 2)
    ) {
        let toml = spec.toml();
        let scenario = parse(&toml);
        let settings = SolveSettings {
            engine: Engine::Regions,
            ..exact()
        };
        let timetable = solve_verified_with(&scenario, &toml, &settings)?;
        let best = brute::optimum(&scenario);
        prop_assert!(
            timetable.solver.objective <= best.objective + 1e-6 * best.objective.abs().max(1.0),
            "regions claim {} but the true optimum is {}\n{toml}",
            timetable.solver.objective,
            best.objective
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// Somewhat larger scenarios (up to 12 learners) pass `verify` and solve to the same
    /// file twice.
    #[test]
    fn same_settings_give_the_same_file(spec in generate::spec(12, 2)) {
        let toml = spec.toml();
        let mut first = solve_verified(&parse(&toml), &toml)?;
        let mut second = solve_verified(&parse(&toml), &toml)?;
        // Wall-clock time is the one field that may differ.
        first.solver.seconds = 0.0;
        second.solver.seconds = 0.0;
        prop_assert_eq!(timetable_json(&first), timetable_json(&second), "{}", toml);
    }

    /// Another room, one more teaching hour or a larger budget only add timetables, so the
    /// optimum never drops.
    #[test]
    fn relaxing_a_limit_never_lowers_the_optimum(
        spec in generate::spec(6, 2),
        venue in any::<Index>(),
        capacity in 2..=5u32,
        teacher in any::<Index>(),
        extra in prop::sample::select(vec![300u32, 1000, 3000]),
    ) {
        let base = optimum(&spec)?;

        let mut roomier = spec.clone();
        roomier.venues[venue.index(spec.venues.len())].rooms.push(capacity);
        not_lower(optimum(&roomier)?, base, "another room", &spec)?;

        let mut longer = spec.clone();
        longer.teachers[teacher.index(spec.teachers.len())].max_hours += 1;
        not_lower(optimum(&longer)?, base, "a teacher hour more", &spec)?;

        let mut capped = spec.clone();
        let cap = spec.budget.unwrap_or(1500);
        capped.budget = Some(cap);
        let tight = optimum(&capped)?;
        capped.budget = Some(cap + extra);
        let loose = optimum(&capped)?;
        not_lower(loose, tight, "a larger budget", &capped)?;
        capped.budget = None;
        not_lower(optimum(&capped)?, loose, "no budget", &capped)?;
    }
}

/// Unplaced needs of everyone.
fn unplaced_count(timetable: &Timetable) -> usize {
    timetable.unplaced.len()
}

/// Unplaced needs of learners other than `learner`.
fn unplaced_others(timetable: &Timetable, learner: &str) -> usize {
    timetable
        .unplaced
        .iter()
        .filter(|u| u.learner != learner)
        .count()
}

/// An upper bound on what costs, travel and fairness can take from the objective: every
/// (course, format, room) open at once with its dearest teacher, every placed learner-need at
/// its `max_travel`, and the whole fairness weight.
fn cost_bound(s: &Scenario) -> f64 {
    let w = &s.objective;
    let dearest = s
        .teachers
        .iter()
        .map(|t| t.cost_per_hour)
        .fold(0.0, f64::max);
    let mut bound = w.fairness;
    for course in &s.courses {
        for &format in &course.formats {
            let weekly = s.format(format).weekly_hours();
            let hours = weekly * (course.hours / weekly).ceil();
            for venue in &s.venues {
                let per_hour = w.teacher_cost * dearest + w.room_cost * venue.cost_per_hour;
                bound += per_hour * hours * venue.rooms.len() as f64;
            }
        }
    }
    for learner in &s.learners {
        bound += w.travel * f64::from(learner.max_travel) * learner.needs.len() as f64;
    }
    bound
}

// Removing a learner never raises the number of other learners' needs left unplaced, *if*
// every course has `min_size = 1`, all priorities are equal (say p), and `serve * p` exceeds
// `cost_bound` (all class costs, all travel, the fairness weight). Proof: let T be optimal for
// scenario S and T' optimal for S without learner x. Take x out of T and close classes left
// empty: with `min_size = 1` no class falls below its minimum, and closing classes only frees
// rooms, teachers' hours and budget, so the result is a valid timetable of S - x placing the
// others' needs that T placed, say k. Of two timetables, the one that places more needs is
// worth at least `serve * p - cost_bound > 0` more, whatever their costs, travel and fairness
// (each (course, format, room) holds at most one class), so every optimum places the most
// needs possible; T' therefore places at least k, and leaves at most as many
// of the others' needs unplaced as T does. Each condition is needed: the tests
// `removing_a_learner_can_*` below break the property by dropping one of them.
proptest! {
    #![proptest_config(ProptestConfig { cases: 100, ..ProptestConfig::default() })]

    #[test]
    fn removing_a_learner_never_unplaces_others_when_serving_dominates(
        spec in generate::spec(6, 2)
    ) {
        let mut spec = spec;
        for course in &mut spec.courses {
            course.min_size = 1;
        }
        for learner in &mut spec.learners {
            learner.priority = 1;
        }
        spec.weights.serve = (cost_bound(&parse(&spec.toml())) + 1.0).ceil();
        let toml = spec.toml();
        let scenario = parse(&toml);
        prop_assert!(scenario.objective.serve > cost_bound(&scenario));
        let all = solve_checked(&scenario, &toml)?;
        for x in 0..spec.learners.len() {
            let mut without = spec.clone();
            without.learners.remove(x);
            let toml_without = without.toml();
            let rest = solve_checked(&parse(&toml_without), &toml_without)?;
            let id = &scenario.learners[x].id;
            prop_assert!(
                unplaced_count(&rest) <= unplaced_others(&all, id),
                "without learner {id}, {} needs of the others are unplaced, against {} with them\n{toml}",
                unplaced_count(&rest),
                unplaced_others(&all, id)
            );
        }
    }
}

/// Unplaced needs of the others with learner `X` and without: one venue, one room of 5, one
/// teacher at 50 an hour, course `c` (and `d`) of 30 hours in format `f` (mon 18:00-21:00,
/// 10 weeks). `learners` lists (id, course needed, priority), `X` among them.
fn unplaced_others_with_and_without_x(
    objective: &str,
    min_size: u32,
    learners: &[(&str, &str, f64)],
) -> (usize, usize) {
    let head = format!(
        r#"
[scenario]
name = "counterexample"
start = "2026-09-07"
weeks = 10
[objective]
{objective}
[[municipality]]
id = "here"
lat = 51.0
lon = 4.5
[[venue]]
id = "hall"
municipality = "here"
open = ["mon-sun 08:00-22:00"]
cost_per_hour = 0.0
rooms = [{{ id = "A", capacity = 5 }}]
[[teacher]]
id = "t"
municipality = "here"
teaches = ["c", "d"]
available = ["mon-sun 08:00-22:00"]
max_hours = 10.0
cost_per_hour = 50.0
[[format]]
id = "f"
sessions = ["mon 18:00-21:00"]
[[course]]
id = "c"
kind = "nt2"
hours = 30.0
min_size = {min_size}
max_size = 5
formats = ["f"]
[[course]]
id = "d"
kind = "nt2"
hours = 30.0
min_size = {min_size}
max_size = 5
formats = ["f"]
"#
    );
    let scenario = |skip: Option<&str>| {
        let mut toml = head.clone();
        for (id, need, priority) in learners {
            if Some(*id) != skip {
                toml.push_str(&format!(
                    "[[learner]]\nid = \"{id}\"\nmunicipality = \"here\"\nneeds = [\"{need}\"]\npriority = {priority:?}\n"
                ));
            }
        }
        let scenario = parse(&toml);
        solve_checked(&scenario, &toml).unwrap_or_else(|e| panic!("{e}"))
    };
    let with = scenario(None);
    let without = scenario(Some("X"));
    (unplaced_others(&with, "X"), unplaced_count(&without))
}

#[test]
fn removing_a_learner_can_leave_a_class_below_its_minimum() {
    // min_size 2: X and A make a class; A alone cannot.
    let counts = unplaced_others_with_and_without_x(
        "serve = 10000.0",
        2,
        &[("X", "c", 1.0), ("A", "c", 1.0)],
    );
    assert_eq!(counts, (0, 1));
}

#[test]
fn removing_a_learner_can_make_a_class_not_pay() {
    // The class costs 30 h x 50 = 1500: two learners serve 2000, one only 1000.
    let counts = unplaced_others_with_and_without_x(
        "serve = 1000.0",
        1,
        &[("X", "c", 1.0), ("A", "c", 1.0)],
    );
    assert_eq!(counts, (0, 1));
}

#[test]
fn removing_a_learner_can_tip_the_room_to_a_higher_priority() {
    // One room, one evening: course c (X, B, C at priority 1) or course d (A at 2.5).
    // With X, c serves 3 against 2.5 and A waits; without X, c serves 2 and B and C wait.
    let counts = unplaced_others_with_and_without_x(
        "serve = 10000.0",
        1,
        &[
            ("X", "c", 1.0),
            ("B", "c", 1.0),
            ("C", "c", 1.0),
            ("A", "d", 2.5),
        ],
    );
    assert_eq!(counts, (1, 2));
}

/// Found by `solver_reaches_the_exhaustive_optimum`: the greedy start opens course d in v0's
/// room, which costs 10 an hour; v1's room is free and large enough. HiGHS proves 3860
/// (4 needs x 1000, less 2 h x (20 + 10) for c in v0, 2 h x 20 for d in v1 and 4 x 10
/// minutes of travel), and the timetable must be that plan, not the start (3840).
const FLATTERED_START: &str = r#"
[scenario]
name = "flattered start"
start = "2026-09-07"
weeks = 10
[[municipality]]
id = "m0"
lat = 51.0
lon = 4.5
[[venue]]
id = "v0"
municipality = "m0"
open = ["mon-sun 07:00-23:00"]
cost_per_hour = 10.0
rooms = [{ id = "r0", capacity = 3 }]
[[venue]]
id = "v1"
municipality = "m0"
open = ["mon-sun 07:00-23:00"]
cost_per_hour = 0.0
rooms = [{ id = "r0", capacity = 2 }]
[[teacher]]
id = "t0"
municipality = "m0"
teaches = ["c", "d"]
available = ["mon-sun 10:30-15:30"]
max_hours = 2.0
cost_per_hour = 20.0
[[teacher]]
id = "t1"
municipality = "m0"
teaches = ["d"]
available = ["mon-sun 07:00-23:00"]
max_hours = 3.0
cost_per_hour = 20.0
[[format]]
id = "f0"
sessions = ["mon 08:00-09:00"]
[[format]]
id = "f1"
sessions = ["mon 14:30-15:30"]
[[course]]
id = "c"
kind = "nt2"
hours = 2.0
min_size = 1
max_size = 3
formats = ["f1"]
[[course]]
id = "d"
kind = "nt2"
hours = 2.0
min_size = 1
max_size = 2
formats = ["f0"]
[[learner]]
id = "L0"
municipality = "m0"
needs = ["c"]
[[learner]]
id = "L1"
municipality = "m0"
needs = ["c", "d"]
[[learner]]
id = "L2"
municipality = "m0"
needs = ["c"]
"#;

/// Also found by `solver_reaches_the_exhaustive_optimum`: the greedy start opens course c
/// for its three learners, which serves 3 x 150 and costs 16 h x 25 x 2 plus 3 x 10 minutes
/// of travel, -380 in all; opening nothing (0) is optimal, and HiGHS proves it.
const LOSING_START: &str = r#"
[scenario]
name = "losing start"
start = "2026-09-07"
weeks = 10
[objective]
serve = 150.0
teacher_cost = 2.0
[[municipality]]
id = "m0"
lat = 51.0
lon = 4.5
[[venue]]
id = "v0"
municipality = "m0"
open = ["mon-sun 07:00-23:00"]
cost_per_hour = 0.0
rooms = [{ id = "r0", capacity = 2 }, { id = "r1", capacity = 4 }]
[[teacher]]
id = "t0"
municipality = "m0"
teaches = ["c", "d"]
available = ["mon-sun 07:00-23:00"]
max_hours = 4.0
cost_per_hour = 25.0
[[format]]
id = "f0"
sessions = ["mon 08:00-09:00"]
[[format]]
id = "f1"
sessions = ["mon 08:00-11:00", "tue 10:30-11:30"]
[[course]]
id = "c"
kind = "nt2"
hours = 16.0
min_size = 1
max_size = 4
formats = ["f1"]
[[course]]
id = "d"
kind = "nt2"
hours = 2.0
min_size = 3
max_size = 4
formats = ["f0"]
[[learner]]
id = "L1"
municipality = "m0"
needs = ["c"]
[[learner]]
id = "L2"
municipality = "m0"
needs = ["c"]
[[learner]]
id = "L3"
municipality = "m0"
needs = ["c"]
"#;

/// Found with the greedy start switched off: from the empty start as well, HiGHS proves
/// 2930 (one class of 3: 3 x 1000, less 2 h x 20 and 3 x 10 minutes of travel) and hands
/// back the empty timetable.
const EMPTY_START: &str = r#"
[scenario]
name = "empty start"
start = "2026-09-07"
weeks = 10
[[municipality]]
id = "m0"
lat = 51.0
lon = 4.5
[[venue]]
id = "v0"
municipality = "m0"
open = ["mon-sun 07:00-23:00"]
cost_per_hour = 0.0
rooms = [{ id = "r0", capacity = 2 }, { id = "r1", capacity = 3 }]
[[teacher]]
id = "t0"
municipality = "m0"
teaches = ["c"]
available = ["mon-sun 07:00-23:00"]
max_hours = 2.0
cost_per_hour = 20.0
[[format]]
id = "f0"
sessions = ["mon 08:00-09:00"]
[[course]]
id = "c"
kind = "nt2"
hours = 2.0
min_size = 1
max_size = 3
formats = ["f0"]
[[learner]]
id = "L0"
municipality = "m0"
needs = ["c"]
[[learner]]
id = "L1"
municipality = "m0"
needs = ["c"]
[[learner]]
id = "L2"
municipality = "m0"
needs = ["c"]
"#;

/// HiGHS is handed a start (the greedy plan, or the empty timetable); the timetable written
/// must be the optimum HiGHS proves, never that start.
#[test]
fn the_timetable_is_the_proven_optimum_not_the_start() {
    let cases = [
        (FLATTERED_START, true, 3860.0),
        (LOSING_START, true, 0.0),
        (EMPTY_START, false, 2930.0),
    ];
    for (toml, greedy_start, optimum) in cases {
        let scenario = parse(toml);
        assert_eq!(brute::optimum(&scenario).objective, optimum);
        let settings = SolveSettings {
            greedy_start,
            ..exact()
        };
        let timetable = solve(&scenario, &settings).unwrap().timetable;
        assert!(verify(&scenario, &timetable).is_empty());
        assert_eq!(
            timetable.solver.objective,
            optimum,
            "{}",
            timetable_json(&timetable)
        );
    }
}

/// Found by `relaxing_a_limit_never_lowers_the_optimum`: with fairness the objective is not
/// a whole number, and HiGHS's bound comes out a rounding error (relative 1e-16) above the
/// objective it has proven optimal.
const ROUNDED_BOUND: &str = r#"
[scenario]
name = "rounded bound"
start = "2026-09-07"
weeks = 10
[objective]
fairness = 250.0
[[municipality]]
id = "m0"
lat = 51.0
lon = 4.5
[[venue]]
id = "v0"
municipality = "m0"
open = ["mon-sun 11:00-18:00", "mon 06:00-10:00"]
cost_per_hour = 0.0
rooms = [{ id = "r0", capacity = 5 }]
[[venue]]
id = "v1"
municipality = "m0"
open = ["mon-sun 07:00-23:00"]
cost_per_hour = 0.0
rooms = [{ id = "r0", capacity = 4 }]
[[teacher]]
id = "t0"
municipality = "m0"
teaches = ["c"]
available = ["mon-sun 07:00-23:00"]
max_hours = 4.0
cost_per_hour = 20.0
[[format]]
id = "f0"
sessions = ["mon 09:30-10:30"]
[[format]]
id = "f1"
sessions = ["mon 11:00-12:30"]
[[course]]
id = "c"
kind = "nt2"
hours = 4.0
min_size = 1
max_size = 5
formats = ["f0", "f1"]
[[learner]]
id = "L0"
municipality = "m0"
needs = ["c"]
[[learner]]
id = "L1"
municipality = "m0"
needs = ["c"]
[[learner]]
id = "L2"
municipality = "m0"
needs = ["c"]
mode = "walk"
[[learner]]
id = "L3"
municipality = "m0"
needs = ["c"]
mode = "walk"
[[learner]]
id = "L4"
municipality = "m0"
needs = ["c"]
mode = "walk"
[[learner]]
id = "L5"
municipality = "m0"
needs = ["c"]
"#;

#[test]
fn a_bound_equal_up_to_round_off_is_optimal() {
    let scenario = parse(ROUNDED_BOUND);
    let timetable = solve_checked(&scenario, ROUNDED_BOUND).unwrap_or_else(|e| panic!("{e}"));
    assert!(close(
        timetable.solver.objective,
        brute::optimum(&scenario).objective
    ));
}
