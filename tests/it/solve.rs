//! The planner end to end: bundled instances and small scenarios that each make one rule
//! decide the outcome. Every timetable produced here goes through `verify`.

use std::path::{Path, PathBuf};

use roosteraar::domain::Scenario;
use roosteraar::input::{load_scenario, load_scenario_str};
use roosteraar::solve::{Engine, SolveSettings, solve};
use roosteraar::timetable::{Reason, SolveStatus, Timetable};
use roosteraar::verify::verify;

pub fn instance(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("instances")
        .join(name)
}

/// Settings that make a run reproducible on any machine: one thread, a fixed seed.
fn reproducible() -> SolveSettings {
    SolveSettings {
        threads: Some(1),
        seed: Some(7),
        ..SolveSettings::default()
    }
}

/// Reproducible settings that ask `engine` for the proven optimum (gap 0).
fn proving(engine: Engine, time_limit: Option<f64>) -> SolveSettings {
    SolveSettings {
        engine,
        gap: Some(0.0),
        time_limit,
        ..reproducible()
    }
}

/// Solves, checks the result with the independent checker, and returns it.
fn solve_verified(scenario: &Scenario, settings: &SolveSettings) -> Timetable {
    let solved = solve(scenario, settings).expect("a well-formed scenario always has a timetable");
    let violations = verify(scenario, &solved.timetable);
    assert!(
        violations.is_empty(),
        "verify rejects the solver's timetable:\n{}",
        violations
            .iter()
            .map(|v| v.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    );
    solved.timetable
}

fn parse(text: &str) -> Scenario {
    load_scenario_str(text, Path::new("inline.toml")).unwrap_or_else(|e| panic!("{e}"))
}

fn reason_of(timetable: &Timetable, learner: &str, course: &str) -> Option<Reason> {
    timetable
        .unplaced
        .iter()
        .find(|u| u.learner == learner && u.course == course)
        .map(|u| u.reason)
}

fn class_of<'a>(timetable: &'a Timetable, learner: &str, course: &str) -> Option<&'a str> {
    timetable
        .classes
        .iter()
        .find(|c| c.course == course && c.learners.iter().any(|l| l == learner))
        .map(|c| c.id.as_str())
}

#[test]
fn tiny_reaches_its_hand_derived_optimum() {
    let scenario = load_scenario(&instance("tiny.toml")).unwrap();
    let timetable = solve_verified(&scenario, &reproducible());
    assert_eq!(timetable.solver.status, SolveStatus::Optimal);
    // Derived by hand in instances/tiny.md.
    let expected = TINY_OPTIMUM;
    assert!(
        (timetable.solver.objective - expected).abs() < 1e-6,
        "objective {} differs from the hand-derived optimum {expected}",
        timetable.solver.objective
    );
    let bound = timetable
        .solver
        .best_bound
        .expect("an optimal solve has a bound");
    assert!((bound - expected).abs() <= 1e-4 * expected.abs());
}

/// The optimum of instances/tiny.toml, derived by hand in instances/tiny.md.
const TINY_OPTIMUM: f64 = 63828.0;

/// Solves a bundled instance to a proven 1% gap, checks it with `verify`, and returns it.
fn solve_within_one_percent(name: &str) -> Timetable {
    let scenario = load_scenario(&instance(name)).unwrap();
    let settings = SolveSettings {
        gap: Some(0.01),
        ..reproducible()
    };
    let timetable = solve_verified(&scenario, &settings);
    assert!(matches!(
        timetable.solver.status,
        SolveStatus::Optimal | SolveStatus::GapLimit
    ));
    timetable
}

#[test]
fn weert_duaal_solves_within_one_percent_and_verifies() {
    let timetable = solve_within_one_percent("weert-duaal.toml");
    assert!(timetable.summary.placed > 0);
}

#[test]
fn kina_solves_within_one_percent_and_verifies() {
    let timetable = solve_within_one_percent("kina.toml");
    assert!(timetable.solver.gap.unwrap() <= 0.01);
    assert!(timetable.summary.placed * 2 > timetable.summary.needs);
}

#[test]
fn same_settings_give_the_same_timetable() {
    let scenario = load_scenario(&instance("tiny.toml")).unwrap();
    let mut first = solve_verified(&scenario, &reproducible());
    let mut second = solve_verified(&scenario, &reproducible());
    first.solver.seconds = 0.0;
    second.solver.seconds = 0.0;
    assert_eq!(first, second);
}

/// A scenario skeleton: one municipality, one venue with the given rooms, teachers, two
/// courses and a morning and an evening format; the caller adds learners and extras.
fn base(rooms: &str, teachers: &str, extra: &str) -> String {
    format!(
        r#"
[scenario]
name = "rule test"
start = "2026-09-07"
weeks = 10
[objective]
serve = 10000.0
[[municipality]]
id = "here"
name = "Here"
lat = 51.0
lon = 4.5
[[municipality]]
id = "there"
name = "There"
lat = 51.2
lon = 4.5
[[venue]]
id = "hall"
name = "Hall"
municipality = "here"
open = ["mon-sat 08:00-22:00"]
cost_per_hour = 10.0
rooms = [{rooms}]
[[format]]
id = "morning"
sessions = ["mon 09:00-12:00", "wed 09:00-12:00"]
[[format]]
id = "evening"
sessions = ["mon 18:00-21:00", "wed 18:00-21:00"]
[[course]]
id = "nt2"
kind = "nt2"
level = "A1"
language = "nl"
hours = 60.0
min_size = 2
max_size = 10
formats = ["morning"]
[[course]]
id = "mo"
kind = "mo"
language = "ar"
hours = 60.0
min_size = 2
max_size = 10
formats = ["morning"]
{teachers}
{extra}
"#
    )
}

const ONE_TEACHER: &str = r#"
[[teacher]]
id = "t1"
name = "T1"
municipality = "here"
mode = "car"
teaches = ["nt2", "mo"]
available = ["mon-sat 08:00-22:00"]
max_hours = 40.0
cost_per_hour = 50.0
"#;

const TWO_TEACHERS: &str = r#"
[[teacher]]
id = "t1"
name = "T1"
municipality = "here"
mode = "car"
teaches = ["nt2", "mo"]
available = ["mon-sat 08:00-22:00"]
max_hours = 40.0
cost_per_hour = 50.0
[[teacher]]
id = "t2"
name = "T2"
municipality = "here"
mode = "car"
teaches = ["nt2", "mo"]
available = ["mon-sat 08:00-22:00"]
max_hours = 40.0
cost_per_hour = 60.0
"#;

fn learners(course: &str, count: usize, prefix: &str) -> String {
    (1..=count)
        .map(|i| {
            format!(
                "[[learner]]\nid = \"{prefix}{i}\"\nmunicipality = \"here\"\nneeds = [\"{course}\"]\n"
            )
        })
        .collect()
}

#[test]
fn one_room_holds_one_class_at_a_time() {
    // Two courses at the same hours, enough teachers, one room: only one class can open,
    // and it is the larger group.
    let extra = learners("nt2", 3, "N") + &learners("mo", 2, "M");
    let scenario = parse(&base(
        r#"{ id = "A", capacity = 10 }"#,
        TWO_TEACHERS,
        &extra,
    ));
    let timetable = solve_verified(&scenario, &reproducible());
    assert_eq!(timetable.classes.len(), 1);
    assert_eq!(timetable.classes[0].course, "nt2");
    assert_eq!(reason_of(&timetable, "M1", "mo"), Some(Reason::Capacity));

    let scenario = parse(&base(
        r#"{ id = "A", capacity = 10 }, { id = "B", capacity = 10 }"#,
        TWO_TEACHERS,
        &extra,
    ));
    let timetable = solve_verified(&scenario, &reproducible());
    assert_eq!(timetable.classes.len(), 2, "a second room lets both open");
}

#[test]
fn one_teacher_teaches_one_class_at_a_time() {
    let extra = learners("nt2", 3, "N") + &learners("mo", 2, "M");
    let rooms = r#"{ id = "A", capacity = 10 }, { id = "B", capacity = 10 }"#;
    let timetable = solve_verified(&parse(&base(rooms, ONE_TEACHER, &extra)), &reproducible());
    assert_eq!(timetable.classes.len(), 1);
    let timetable = solve_verified(&parse(&base(rooms, TWO_TEACHERS, &extra)), &reproducible());
    assert_eq!(timetable.classes.len(), 2);
    assert_ne!(timetable.classes[0].teacher, timetable.classes[1].teacher);
}

#[test]
fn a_class_below_its_minimum_size_does_not_open() {
    let extra = learners("nt2", 1, "N");
    let timetable = solve_verified(
        &parse(&base(r#"{ id = "A", capacity = 10 }"#, ONE_TEACHER, &extra)),
        &reproducible(),
    );
    assert!(timetable.classes.is_empty());
    assert_eq!(reason_of(&timetable, "N1", "nt2"), Some(Reason::Capacity));
}

#[test]
fn a_full_class_leaves_the_rest_unplaced() {
    let extra = learners("nt2", 5, "N");
    let timetable = solve_verified(
        &parse(&base(r#"{ id = "A", capacity = 4 }"#, ONE_TEACHER, &extra)),
        &reproducible(),
    );
    assert_eq!(timetable.classes.len(), 1);
    assert_eq!(timetable.classes[0].learners.len(), 4);
    assert_eq!(timetable.summary.placed, 4);
}

#[test]
fn the_budget_caps_what_opens() {
    // One class costs 60 h x (50 + 10) = 3600.
    let rooms = r#"{ id = "A", capacity = 10 }, { id = "B", capacity = 10 }"#;
    let extra = learners("nt2", 3, "N") + &learners("mo", 2, "M");
    let capped = extra.clone() + "[budget]\nmax_cost = 5000.0\n";
    let timetable = solve_verified(&parse(&base(rooms, TWO_TEACHERS, &capped)), &reproducible());
    assert_eq!(timetable.classes.len(), 1);
    let cost = timetable.summary.teacher_cost + timetable.summary.room_cost;
    assert!(cost <= 5000.0);
    let none = extra + "[budget]\nmax_cost = 3000.0\n";
    let timetable = solve_verified(&parse(&base(rooms, TWO_TEACHERS, &none)), &reproducible());
    assert!(timetable.classes.is_empty());
}

#[test]
fn a_learner_never_gets_two_classes_at_the_same_time() {
    // Both courses only in the morning: a learner who needs both can take one of them.
    let rooms = r#"{ id = "A", capacity = 10 }, { id = "B", capacity = 10 }"#;
    let both = r#"
[[learner]]
id = "BOTH"
municipality = "here"
needs = ["nt2", "mo"]
"#;
    let extra = learners("nt2", 2, "N") + &learners("mo", 2, "M") + both;
    let timetable = solve_verified(&parse(&base(rooms, TWO_TEACHERS, &extra)), &reproducible());
    let placed = [
        class_of(&timetable, "BOTH", "nt2"),
        class_of(&timetable, "BOTH", "mo"),
    ];
    assert_eq!(placed.iter().flatten().count(), 1, "{placed:?}");
    assert_eq!(timetable.summary.placed, 5);
}

#[test]
fn work_shifts_decide_who_can_come() {
    // The drive from "there" takes about 45 minutes, so a shift that ends at 08:45 leaves
    // no time to reach a 09:00 class; a night shift that ends at 06:00 does.
    let rooms = r#"{ id = "A", capacity = 10 }"#;
    let extra = learners("nt2", 2, "N")
        + r#"
[[shift]]
id = "early"
weeks = [["mon-fri 06:00-08:45"]]
[[shift]]
id = "night"
weeks = [["sun,mon,tue,wed,thu 22:00-06:00"]]
[[learner]]
id = "EARLY"
municipality = "there"
mode = "car"
needs = ["nt2"]
shift = "early"
[[learner]]
id = "NIGHT"
municipality = "here"
needs = ["nt2"]
shift = "night"
"#;
    let scenario = parse(&base(rooms, ONE_TEACHER, &extra));
    let timetable = solve_verified(&scenario, &reproducible());
    assert_eq!(
        reason_of(&timetable, "EARLY", "nt2"),
        Some(Reason::NoCompatibleTime)
    );
    assert!(class_of(&timetable, "NIGHT", "nt2").is_some());
}

#[test]
fn an_empty_scenario_gives_an_empty_optimal_timetable() {
    let scenario = parse(&base(r#"{ id = "A", capacity = 10 }"#, ONE_TEACHER, ""));
    let timetable = solve_verified(&scenario, &reproducible());
    assert!(timetable.classes.is_empty() && timetable.unplaced.is_empty());
    assert_eq!(timetable.solver.status, SolveStatus::Optimal);
}

#[test]
fn the_greedy_baseline_is_valid_and_never_beats_the_optimiser() {
    for name in ["tiny.toml", "weert-duaal.toml", "kina.toml"] {
        let scenario = load_scenario(&instance(name)).unwrap();
        let greedy = solve_verified(
            &scenario,
            &SolveSettings {
                engine: Engine::Greedy,
                ..reproducible()
            },
        );
        assert_eq!(greedy.solver.status, SolveStatus::Heuristic);
        assert!(greedy.summary.placed > 0, "{name}: greedy placed nobody");
        for greedy_start in [false, true] {
            let optimal = solve_verified(
                &scenario,
                &SolveSettings {
                    gap: Some(0.0),
                    greedy_start,
                    ..reproducible()
                },
            );
            assert!(
                optimal.solver.objective >= greedy.solver.objective - 1e-6,
                "{name}: optimum {} below greedy {}",
                optimal.solver.objective,
                greedy.solver.objective
            );
        }
    }
}

#[test]
fn region_by_region_plans_verify_beat_greedy_and_stay_below_the_optimum() {
    let hiring = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/optional/hiring.toml");
    for path in [
        instance("tiny.toml"),
        instance("weert-duaal.toml"),
        instance("kina.toml"),
        hiring,
    ] {
        let name = path.display();
        let scenario = load_scenario(&path).unwrap();
        let greedy = solve_verified(
            &scenario,
            &SolveSettings {
                engine: Engine::Greedy,
                ..reproducible()
            },
        );
        let optimal = solve_verified(&scenario, &proving(Engine::Highs, None));
        let regions = solve_verified(&scenario, &proving(Engine::Regions, None));
        // Without a time limit the search stops only after a round that found nothing.
        assert_eq!(regions.solver.status, SolveStatus::Heuristic, "{name}");
        assert_eq!(
            regions.solver.best_bound, None,
            "{name}: regions prove no bound"
        );
        let tolerance = 1e-6 * optimal.solver.objective.abs().max(1.0);
        assert!(
            regions.solver.objective >= greedy.solver.objective - tolerance,
            "{name}: regions {} below their greedy start {}",
            regions.solver.objective,
            greedy.solver.objective
        );
        assert!(
            regions.solver.objective <= optimal.solver.objective + tolerance,
            "{name}: regions {} above the optimum {}",
            regions.solver.objective,
            optimal.solver.objective
        );
        if greedy.solver.objective < optimal.solver.objective - tolerance {
            assert!(
                regions.solver.objective > greedy.solver.objective + tolerance,
                "{name}: regions did not improve on greedy ({}) towards the optimum ({})",
                greedy.solver.objective,
                optimal.solver.objective
            );
        }
    }
}

#[test]
fn with_a_time_limit_regions_carry_the_whole_programs_bound_and_end_once_it_proves_the_optimum() {
    for name in ["weert-duaal.toml", "kina.toml"] {
        let scenario = load_scenario(&instance(name)).unwrap();
        let optimal = solve_verified(&scenario, &proving(Engine::Highs, None));
        // A limit far beyond what these need: the run ends when the whole program alongside
        // proves its optimum, and the timetable is that optimum with its bound.
        let regions = solve_verified(&scenario, &proving(Engine::Regions, Some(600.0)));
        assert_eq!(regions.solver.status, SolveStatus::Optimal, "{name}");
        let tolerance = 1e-6 * optimal.solver.objective.abs().max(1.0);
        assert!(
            (regions.solver.objective - optimal.solver.objective).abs() <= tolerance,
            "{name}: {} against the optimum {}",
            regions.solver.objective,
            optimal.solver.objective
        );
        let bound = regions
            .solver
            .best_bound
            .expect("the whole program's bound");
        assert!(
            (bound - optimal.solver.objective).abs() <= tolerance,
            "{name}: bound {bound} against the optimum {}",
            optimal.solver.objective
        );
        assert!(regions.solver.gap.is_some_and(|gap| gap <= 1e-6), "{name}");
    }
}

#[test]
fn auto_plans_small_programs_whole_large_ones_by_region_and_targets_whole() {
    use roosteraar::candidates::Candidates;
    use roosteraar::generate::{GenerateOptions, generate};
    use roosteraar::model::CoverageTarget;
    use roosteraar::solve::AUTO_WHOLE_PROGRAM_JOINS;

    let kina = load_scenario(&instance("kina.toml")).unwrap();
    let text = generate(&GenerateOptions {
        region: "antwerpen".to_string(),
        learners: 1500,
        seed: 2,
        exclude: vec!["antwerpen".to_string()],
    })
    .unwrap();
    let province = load_scenario_str(&text, Path::new("generated.toml")).unwrap();
    let auto = SolveSettings::default();
    assert_eq!(auto.engine, Engine::Auto, "the default engine");
    let target = SolveSettings {
        target: Some(CoverageTarget {
            share: 0.5,
            per_municipality: false,
        }),
        ..SolveSettings::default()
    };
    for (name, scenario, settings, expected) in [
        ("kina", &kina, &auto, Engine::Highs),
        ("1,500 learners", &province, &auto, Engine::Regions),
        ("1,500 learners, target", &province, &target, Engine::Highs),
    ] {
        let candidates = Candidates::new(scenario);
        let joins = candidates.join_decisions();
        // The fixtures sit on either side of the threshold, or the cases test nothing.
        let small = joins <= AUTO_WHOLE_PROGRAM_JOINS;
        assert_eq!(small, name == "kina", "{name}: {joins} join decisions");
        assert_eq!(
            Engine::Auto.resolve(&candidates, settings),
            expected,
            "{name}"
        );
        assert_eq!(
            Engine::Greedy.resolve(&candidates, settings),
            Engine::Greedy
        );
    }
}

#[test]
fn the_relaxation_bound_holds_a_teacher_to_whole_classes_within_their_hours() {
    // One teacher with 15 hours and three 6-hour formats that do not overlap: two classes
    // fit, a third does not. Hours alone would let the relaxation teach two and a half
    // classes and place 25; the teacher's weekly patterns cap it at the integer optimum.
    let formats = ["mon", "tue", "wed"]
        .map(|day| {
            format!(
                "[[format]]\nid = \"{day}\"\nsessions = [\"{day} 09:00-12:00\", \"{day} 13:00-16:00\"]\n"
            )
        })
        .concat();
    let rest = format!(
        r#"
{formats}
[[course]]
id = "nt2"
kind = "nt2"
level = "A1"
language = "nl"
hours = 60.0
min_size = 2
max_size = 10
formats = ["mon", "tue", "wed"]
[[teacher]]
id = "t1"
name = "T1"
municipality = "here"
mode = "car"
teaches = ["nt2"]
available = ["mon-fri 08:00-18:00"]
max_hours = 15.0
cost_per_hour = 50.0
{}
"#,
        learners("nt2", 30, "N")
    );
    let scenario = parse(&one_venue(10, r#"{ id = "A", capacity = 10 }"#, &rest));
    let timetable = solve_verified(&scenario, &proving(Engine::Highs, None));
    assert_eq!(timetable.classes.len(), 2);
    assert_eq!(timetable.summary.placed, 20);
    let candidates = roosteraar::candidates::Candidates::new(&scenario);
    let bound = roosteraar::solve::relaxation_bound(&scenario, &candidates, &reproducible())
        .expect("the relaxation solves");
    let optimum = timetable.solver.objective;
    assert!(
        (bound - optimum).abs() <= 1e-6 * optimum,
        "relaxation {bound} against optimum {optimum}"
    );
}

#[test]
fn on_a_province_sized_program_regions_carry_the_relaxations_bound() {
    // 1,000 learners who may each join any of 20 weekly slots at one venue: 20,000 join
    // decisions, where the regions get the relaxation alongside instead of the whole
    // program. The relaxation is small enough here to finish well within the limit.
    let slots: Vec<String> = ["mon", "tue", "wed", "thu", "fri"]
        .iter()
        .flat_map(|day| {
            ["08:00", "10:30", "13:00", "15:30"].map(|start| {
                let end = later(start, 2);
                format!("{day} {start}-{end}")
            })
        })
        .collect();
    let formats: String = slots
        .iter()
        .enumerate()
        .map(|(k, session)| format!("[[format]]\nid = \"f{k}\"\nsessions = [\"{session}\"]\n"))
        .collect();
    let format_ids: Vec<String> = (0..slots.len()).map(|k| format!("\"f{k}\"")).collect();
    let teachers: String = (1..=4)
        .map(|t| {
            format!(
                "[[teacher]]\nid = \"t{t}\"\nname = \"T{t}\"\nmunicipality = \"here\"\nmode = \"car\"\n\
                 teaches = [\"nt2\"]\navailable = [\"mon-fri 08:00-18:00\"]\nmax_hours = 8.0\n\
                 cost_per_hour = 50.0\n"
            )
        })
        .collect();
    let rest = format!(
        r#"
{formats}
[[course]]
id = "nt2"
kind = "nt2"
level = "A1"
language = "nl"
hours = 40.0
min_size = 8
max_size = 15
formats = [{}]
{teachers}
{}
"#,
        format_ids.join(", "),
        learners("nt2", 1000, "L")
    );
    let rooms = r#"{ id = "A", capacity = 15 }, { id = "B", capacity = 15 }"#;
    let scenario = parse(&one_venue(20, rooms, &rest));
    let candidates = roosteraar::candidates::Candidates::new(&scenario);
    assert!(candidates.join_decisions() >= 20_000);
    let bound = roosteraar::solve::relaxation_bound(&scenario, &candidates, &reproducible())
        .expect("the relaxation solves");
    let timetable = solve_verified(&scenario, &proving(Engine::Regions, Some(20.0)));
    let carried = timetable.solver.best_bound.expect("the relaxation's bound");
    assert!(
        (carried - bound).abs() <= 1e-6 * bound,
        "bound {carried} against the relaxation's {bound}"
    );
    assert!(
        timetable.solver.objective <= bound * (1.0 + 1e-9),
        "plan {} above the bound {bound}",
        timetable.solver.objective
    );
    // Four teachers with 8 hours each teach at most 16 two-hour classes of 15.
    assert!(timetable.summary.placed <= 16 * 15);
    assert!(timetable.summary.placed > 0);
}

/// `HH:MM` plus whole hours.
fn later(start: &str, hours: u32) -> String {
    let (h, m) = start.split_once(':').expect("HH:MM");
    format!("{:02}:{m}", h.parse::<u32>().expect("hours") + hours)
}

/// A scenario of one municipality with one venue, open on weekdays from 08:00 to 18:00,
/// with the given rooms; `rest` adds formats, courses, teachers and learners.
fn one_venue(weeks: u32, rooms: &str, rest: &str) -> String {
    format!(
        r#"
[scenario]
name = "one venue"
start = "2026-09-07"
weeks = {weeks}
[objective]
serve = 10000.0
[[municipality]]
id = "here"
name = "Here"
lat = 51.0
lon = 4.5
[[venue]]
id = "hall"
name = "Hall"
municipality = "here"
open = ["mon-fri 08:00-18:00"]
cost_per_hour = 10.0
rooms = [{rooms}]
{rest}
"#
    )
}
