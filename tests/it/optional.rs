//! Optional resources and target mode ("what would it take"): the optimiser's choice of
//! optional teachers, rooms and opening hours costs no more than any fixed choice that
//! reaches the same coverage. Every timetable produced here goes through `verify`.

use std::path::Path;

use roosteraar::domain::Scenario;
use roosteraar::input::load_scenario_str;
use roosteraar::model::CoverageTarget;
use roosteraar::solve::{Engine, SolveError, SolveSettings, solve};
use roosteraar::timetable::{ResourceKind, Timetable};
use roosteraar::verify::{Rule, verify};

const HIRING: &str = include_str!("../fixtures/optional/hiring.toml");

/// The three optional resources of the fixture, each as (made mandatory, removed) edits.
struct Optional {
    name: &'static str,
    fixed_cost: f64,
    /// (text in the fixture, text when the agency commits to the resource).
    keep: (&'static str, &'static str),
    /// (text in the fixture, text when the resource is not available at all).
    drop: (&'static str, &'static str),
}

const OPTIONAL: [Optional; 3] = [
    Optional {
        name: "teacher t-cleo",
        fixed_cost: 1500.0,
        keep: ("optional = true\nfixed_cost = 1500.0\n", ""),
        drop: (
            "teaches = [\"mo-ar\"]\navailable = [\"sat 08:30-13:00\"]",
            "teaches = []\navailable = [\"sat 08:30-13:00\"]",
        ),
    },
    Optional {
        name: "room C",
        fixed_cost: 300.0,
        keep: (", optional = true, fixed_cost = 300.0 }", " }"),
        drop: (
            "    { id = \"C\", capacity = 10, optional = true, fixed_cost = 300.0 },\n",
            "",
        ),
    },
    Optional {
        name: "saturday hours",
        fixed_cost: 200.0,
        keep: (
            "open = [\"tue,thu 18:00-22:00\"]   # evenings only\noptional_open = [ { id = \"saturday\", windows = [\"sat 08:30-13:00\"], fixed_cost = 200.0 } ]",
            "open = [\"tue,thu 18:00-22:00\", \"sat 08:30-13:00\"]",
        ),
        drop: (
            "optional_open = [ { id = \"saturday\", windows = [\"sat 08:30-13:00\"], fixed_cost = 200.0 } ]",
            "",
        ),
    },
];

fn parse(text: &str) -> Scenario {
    load_scenario_str(text, Path::new("hiring.toml")).unwrap_or_else(|e| panic!("{e}"))
}

fn settings() -> SolveSettings {
    SolveSettings {
        threads: Some(1),
        seed: Some(7),
        ..SolveSettings::default()
    }
}

fn verified(scenario: &Scenario, timetable: Timetable) -> Timetable {
    let violations = verify(scenario, &timetable);
    assert!(violations.is_empty(), "verify rejects: {violations:?}");
    timetable
}

/// Teacher, room and optional costs: what the agency pays.
fn total_cost(timetable: &Timetable) -> f64 {
    let summary = &timetable.summary;
    summary.teacher_cost + summary.room_cost + summary.optional_cost
}

/// The fixture with the resources in `committed` made ordinary (paid whether used or not)
/// and the others removed: one variant of a hand-made sweep.
fn variant(committed: &[bool; 3]) -> (String, f64) {
    let mut text = HIRING.to_string();
    let mut fixed = 0.0;
    for (resource, &keep) in OPTIONAL.iter().zip(committed) {
        let (from, to) = if keep { resource.keep } else { resource.drop };
        assert!(
            text.contains(from),
            "the fixture no longer has {}",
            resource.name
        );
        text = text.replacen(from, to, 1);
        if keep {
            fixed += resource.fixed_cost;
        }
    }
    (text, fixed)
}

#[test]
fn the_optimiser_pays_for_an_optional_resource_only_when_it_places_more() {
    let scenario = parse(HIRING);
    let timetable = verified(&scenario, solve(&scenario, &settings()).unwrap().timetable);
    // Cleo's Saturday MO class at the library places L3, L5 and L6: it needs both the
    // teacher and the library's Saturday hours; room C adds nothing.
    let chosen: Vec<(ResourceKind, &str)> = timetable
        .optional
        .iter()
        .map(|c| (c.kind, c.id.as_str()))
        .collect();
    assert_eq!(
        chosen,
        [
            (ResourceKind::Teacher, "t-cleo"),
            (ResourceKind::Hours, "saturday")
        ]
    );
    assert_eq!(timetable.summary.optional_cost, 1700.0);
    assert_eq!(timetable.summary.placed, 9);
}

#[test]
fn region_by_region_hires_from_a_start_that_hires_nobody() {
    let scenario = parse(HIRING);
    let greedy = SolveSettings {
        engine: Engine::Greedy,
        ..settings()
    };
    let start = verified(&scenario, solve(&scenario, &greedy).unwrap().timetable);
    assert!(
        start.optional.is_empty(),
        "the greedy start uses no optional resource"
    );
    let regions = SolveSettings {
        engine: Engine::Regions,
        ..settings()
    };
    let timetable = verified(&scenario, solve(&scenario, &regions).unwrap().timetable);
    let chosen: Vec<&str> = timetable.optional.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(chosen, ["t-cleo", "saturday"]);
    assert_eq!(timetable.summary.optional_cost, 1700.0);
    assert_eq!(timetable.summary.placed, 9);
}

#[test]
fn target_mode_costs_no_more_than_any_fixed_choice_with_the_same_coverage() {
    let scenario = parse(HIRING);
    let needs = scenario
        .learners
        .iter()
        .map(|l| l.needs.len())
        .sum::<usize>() as f64;
    // Every fixed choice of the three resources, solved as an ordinary scenario.
    let mut variants = Vec::new();
    for mask in 0..8u8 {
        let committed = [mask & 1 != 0, mask & 2 != 0, mask & 4 != 0];
        let (text, fixed) = variant(&committed);
        let fixed_scenario = parse(&text);
        let timetable = solve(&fixed_scenario, &settings()).unwrap().timetable;
        let timetable = verified(&fixed_scenario, timetable);
        variants.push((timetable.summary.placed, total_cost(&timetable) + fixed));
    }
    let mut levels: Vec<u64> = variants.iter().map(|&(placed, _)| placed).collect();
    levels.sort_unstable();
    levels.dedup();
    assert!(
        levels.len() > 1,
        "the optional resources should change coverage"
    );
    for placed in levels {
        let target = CoverageTarget {
            share: placed as f64 / needs,
            per_municipality: false,
        };
        let settings = SolveSettings {
            target: Some(target),
            ..settings()
        };
        let timetable = verified(&scenario, solve(&scenario, &settings).unwrap().timetable);
        assert!(timetable.summary.placed >= placed);
        let cheapest_variant = variants
            .iter()
            .filter(|&&(p, _)| p >= placed)
            .map(|&(_, cost)| cost)
            .fold(f64::INFINITY, f64::min);
        assert!(
            total_cost(&timetable) <= cheapest_variant + 1e-6,
            "target {placed}: the optimiser pays {} but a fixed choice reaches it for {cheapest_variant}",
            total_cost(&timetable)
        );
    }
}

#[test]
fn an_unreachable_target_says_how_far_one_can_get() {
    let scenario = parse(HIRING);
    let settings = SolveSettings {
        target: Some(CoverageTarget {
            share: 1.0,
            per_municipality: false,
        }),
        ..settings()
    };
    match solve(&scenario, &settings) {
        Err(SolveError::TargetUnreachable { best, proven, .. }) => {
            // L2's NT2 and L6's NT2 stay out whatever is hired: 9 of 11 at best.
            assert!((best - 9.0 / 11.0).abs() < 1e-9, "best {best}");
            assert!(proven);
        }
        other => panic!("expected an unreachable target, got {other:?}"),
    }
}

#[test]
fn a_per_municipality_target_holds_in_every_municipality() {
    let scenario = parse(HIRING);
    let settings = SolveSettings {
        target: Some(CoverageTarget {
            share: 0.7,
            per_municipality: true,
        }),
        ..settings()
    };
    let timetable = verified(&scenario, solve(&scenario, &settings).unwrap().timetable);
    for row in &timetable.summary.by_municipality {
        assert!(
            row.placed as f64 >= 0.7 * row.needs as f64,
            "{} places {} of {}",
            row.municipality,
            row.placed,
            row.needs
        );
    }
}

#[test]
fn verify_catches_an_optional_resource_left_off_the_bill() {
    let scenario = parse(HIRING);
    let mut timetable = solve(&scenario, &settings()).unwrap().timetable;
    timetable
        .optional
        .retain(|c| c.kind != ResourceKind::Teacher);
    let violations = verify(&scenario, &timetable);
    assert!(
        violations
            .iter()
            .any(|v| v.rule == Rule::File && v.message.contains("t-cleo")),
        "{violations:?}"
    );
}

#[test]
fn a_fixed_cost_needs_an_optional_resource() {
    let text = HIRING.replacen(
        "optional = true\nfixed_cost = 1500.0",
        "fixed_cost = 1500.0",
        1,
    );
    let errors = load_scenario_str(&text, Path::new("hiring.toml")).unwrap_err();
    let line = text
        .lines()
        .position(|l| l == "fixed_cost = 1500.0")
        .unwrap()
        + 1;
    assert!(
        errors
            .0
            .iter()
            .any(|e| e.line == line && e.message.contains("only to optional")),
        "{errors}"
    );
}
