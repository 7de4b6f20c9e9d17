//! `roosteraar sweep`: overlays merged into the base at the TOML level, the expansion of
//! `[vary]`, mistakes placed in the sweep file, and the command end to end on tiny.toml.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use roosteraar::domain::Scenario;
use roosteraar::input::{InputError, load_scenario, load_scenario_str};
use roosteraar::solve::{SolveSettings, solve};
use roosteraar::sweep::{
    Base, LEARNERS_COPY, Point, Resolved, SweepError, SweepFile, SweepRequest, coverage_cost_svg,
    parse_sweep_file, resolve, sweep,
};
use roosteraar::verify::verify;

use crate::solve::instance;

fn roosteraar() -> Command {
    let mut command = Command::cargo_bin("roosteraar").unwrap();
    command.env("NO_COLOR", "1");
    command
}

/// A sweep file over tiny.toml, as if written in the instances folder (so `base` is found).
fn tiny_sweep(body: &str) -> Result<SweepFile, Vec<InputError>> {
    let text = format!("base = \"tiny.toml\"\n{body}");
    parse_sweep_file(&text, &instance("sweep.toml")).map_err(|e| e.0)
}

fn tiny_base() -> Base {
    Base::load(&instance("tiny.toml")).unwrap()
}

/// Resolves the variant with `name` and loads its scenario with the normal loader.
fn resolved(file: &SweepFile, base: &Base, name: &str) -> (Resolved, Scenario) {
    let variant = file
        .variants
        .iter()
        .find(|v| v.name == name)
        .unwrap_or_else(|| panic!("no variant {name}"));
    let resolved = resolve(file, base, variant).unwrap_or_else(|e| panic!("{e:?}"));
    let scenario = load_scenario_str(&resolved.scenario, Path::new("scenario.toml"))
        .unwrap_or_else(|e| panic!("{e}\n{}", resolved.scenario));
    (resolved, scenario)
}

fn places(errors: &[InputError]) -> Vec<(usize, usize)> {
    errors.iter().map(|e| (e.line, e.column)).collect()
}

#[test]
fn an_entity_with_a_known_id_is_amended_a_new_id_added_and_listed_ids_removed() {
    let file = tiny_sweep(
        "[[variant]]\nname = \"v\"\nremove = { teacher = [\"t-an\"], learner = [\"L1\"] }\n\
         [[variant.teacher]]\nid = \"t-bram\"\navailable = [\"mon-fri 08:30-22:00\"]\n\
         [[variant.teacher]]\nid = \"t-cor\"\nmunicipality = \"zoersel\"\nteaches = [\"mo-ar\"]\n\
         available = [\"sat 08:00-13:00\"]\nmax_hours = 6\ncost_per_hour = 40.0\n\
         [[variant.learner]]\nid = \"L9\"\nmunicipality = \"zoersel\"\nneeds = [\"mo-ar\"]\n",
    )
    .unwrap();
    let (_, scenario) = resolved(&file, &tiny_base(), "v");
    let base = load_scenario(&instance("tiny.toml")).unwrap();

    let teachers: Vec<&str> = scenario.teachers.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(
        teachers,
        ["t-bram", "t-cor"],
        "t-an removed, t-cor added last"
    );
    let bram = &scenario.teachers[0];
    let base_bram = &base.teachers[base.ids.teachers["t-bram"].0];
    assert_ne!(
        bram.available, base_bram.available,
        "the given field replaced"
    );
    assert_eq!(
        (bram.cost_per_hour, &bram.name, bram.max_hours),
        (
            base_bram.cost_per_hour,
            &base_bram.name,
            base_bram.max_hours
        ),
        "fields not given stay as in the base"
    );
    let learners: Vec<&str> = scenario.learners.iter().map(|l| l.id.as_str()).collect();
    assert!(!learners.contains(&"L1"));
    assert_eq!(learners.last(), Some(&"L9"));
    assert_eq!(learners.len(), base.learners.len());
    assert_eq!(scenario.name, "Tiny: Schilde and Zoersel / v");
}

#[test]
fn single_tables_are_overridden_value_by_value_and_created_when_absent() {
    let file = tiny_sweep(
        "[[variant]]\nname = \"v\"\n[variant.scenario]\nweeks = 24\n\
         [variant.objective]\nfairness = 500\n[variant.budget]\nmax_cost = 9000\n\
         [variant.travel]\nspeed_kmh = { car = 30.0 }\n",
    )
    .unwrap();
    let (_, scenario) = resolved(&file, &tiny_base(), "v");
    let base = load_scenario(&instance("tiny.toml")).unwrap();
    assert_eq!(scenario.weeks, 24);
    assert_eq!(scenario.start, base.start, "other [scenario] values stay");
    assert_eq!(scenario.objective.fairness, 500.0);
    assert_eq!(scenario.objective.serve, base.objective.serve);
    assert_eq!(base.max_cost, None);
    assert_eq!(scenario.max_cost, Some(9000.0), "[budget] added");
    assert_eq!(scenario.travel.speed_kmh[3], 30.0);
    assert_eq!(scenario.travel.overrides, base.travel.overrides);
}

#[test]
fn remove_then_add_replaces_an_entity_whole() {
    let file = tiny_sweep(
        "[[variant]]\nname = \"v\"\nremove = { venue = [\"zoersel-bib\"] }\n\
         [[variant.venue]]\nid = \"zoersel-bib\"\nmunicipality = \"zoersel\"\n\
         open = [\"mon-fri 18:00-22:00\"]\ncost_per_hour = 7.0\nrooms = [{ id = \"B\", capacity = 9 }]\n",
    )
    .unwrap();
    let (_, scenario) = resolved(&file, &tiny_base(), "v");
    let venue = &scenario.venues[scenario.ids.venues["zoersel-bib"].0];
    assert_eq!(
        venue.name, "zoersel-bib",
        "the old name is gone with the old venue"
    );
    assert_eq!(venue.rooms.len(), 1);
    assert_eq!(
        (venue.rooms[0].id.as_str(), venue.rooms[0].capacity),
        ("B", 9)
    );
}

#[test]
fn vary_runs_every_combination_with_every_variant_and_names_them() {
    let file = tiny_sweep(
        "[vary]\n\"budget.max_cost\" = [8000, 20000.0]\n\"course.nt2-a1.min_size\" = [2, 3, 4]\n\
         [[variant]]\nname = \"a\"\n[[variant]]\nname = \"b\"\ndescription = \"second\"\n",
    )
    .unwrap();
    assert_eq!(file.varied, ["budget.max_cost", "course.nt2-a1.min_size"]);
    let names: Vec<&str> = file.variants.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(names.len(), 2 * 2 * 3);
    assert_eq!(
        &names[..4],
        [
            "a+max_cost=8000+nt2-a1.min_size=2",
            "a+max_cost=8000+nt2-a1.min_size=3",
            "a+max_cost=8000+nt2-a1.min_size=4",
            "a+max_cost=20000+nt2-a1.min_size=2",
        ]
    );
    assert_eq!(names[11], "b+max_cost=20000+nt2-a1.min_size=4");
    assert_eq!(file.variants[11].values, ["20000.0", "4"]);
    assert_eq!(file.variants[11].overlay_name.as_deref(), Some("b"));
    assert_eq!(file.variants[11].description.as_deref(), Some("second"));

    let base = tiny_base();
    let (_, scenario) = resolved(&file, &base, "b+max_cost=20000+nt2-a1.min_size=4");
    assert_eq!(scenario.max_cost, Some(20000.0));
    assert_eq!(
        scenario.courses[scenario.ids.courses["nt2-a1"].0].min_size,
        4
    );

    // Without `[[variant]]`, the combinations alone; a value that is not a plain word is
    // named by its position.
    let file = tiny_sweep(
        "[vary]\n\"venue.zoersel-bib.open\" = [[\"tue,thu 18:00-22:00\"], [\"mon-fri 08:00-22:00\"]]\n",
    )
    .unwrap();
    let names: Vec<&str> = file.variants.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(names, ["zoersel-bib.open=v1", "zoersel-bib.open=v2"]);
    let (_, scenario) = resolved(&file, &base, "zoersel-bib.open=v2");
    let base_scenario = load_scenario(&instance("tiny.toml")).unwrap();
    let venue = scenario.ids.venues["zoersel-bib"].0;
    assert_ne!(
        scenario.venues[venue].open,
        base_scenario.venues[venue].open
    );
}

#[test]
fn a_resolved_scenario_is_the_base_when_the_variant_changes_nothing() {
    let file = tiny_sweep("[[variant]]\nname = \"same\"\n").unwrap();
    let (resolved, mut scenario) = resolved(&file, &tiny_base(), "same");
    assert!(resolved.learners.is_none());
    let base = load_scenario(&instance("tiny.toml")).unwrap();
    assert_eq!(scenario.name, format!("{} / same", base.name));
    scenario.name = base.name.clone();
    assert_eq!(scenario, base);
}

#[test]
fn mistakes_in_the_sweep_file_are_placed_by_line_and_column() {
    // Bad variant names, a name used twice (also ignoring case) and a bad `[vary]` key.
    let errors = tiny_sweep(
        "[vary]\n\"cours.nt2-a1.min_size\" = [1]\n\
         [[variant]]\nname = \"evening teachers\"\n\
         [[variant]]\nname = \"../up\"\n\
         [[variant]]\nname = \"twice\"\n\
         [[variant]]\nname = \"Twice\"\n\
         [[variant]]\nname = \"sweep.csv\"\n",
    )
    .unwrap_err();
    // Lines count from the `base` line the helper puts first.
    assert_eq!(
        places(&errors),
        [(3, 1), (5, 8), (7, 8), (11, 8), (13, 8)],
        "{errors:#?}"
    );
    assert!(errors[0].help.as_deref().unwrap().contains("`course`"));
    assert!(
        errors[1].message.contains("contains ` `"),
        "{}",
        errors[1].message
    );
    assert!(
        errors[2].message.contains("`../up`"),
        "{}",
        errors[2].message
    );
    assert!(
        errors[3].message.contains("differ only in case"),
        "{}",
        errors[3].message
    );
    assert!(errors[3].help.as_deref().unwrap().contains("line 9"));
    assert!(
        errors[4].message.contains("output files"),
        "{}",
        errors[4].message
    );

    let errors = tiny_sweep("[[variant]]\nname = \"a\"\n[[variant]]\nname = \"a\"\n").unwrap_err();
    assert_eq!(places(&errors), [(5, 8)]);
    assert!(errors[0].message.contains("two variants are named `a`"));

    // Unknown keys and wrong types come from the TOML reader, also placed.
    let errors = tiny_sweep("[[variant]]\nname = \"a\"\nteachers = []\n").unwrap_err();
    assert_eq!(places(&errors), [(4, 1)]);
    assert!(
        errors[0].message.contains("teachers"),
        "{}",
        errors[0].message
    );
    let errors = tiny_sweep(
        "time_limit = -3\n[[variant]]\nname = \"a\"\n[[variant.teacher]]\nname = \"no id\"\n",
    )
    .unwrap_err();
    assert_eq!(places(&errors).first(), Some(&(2, 14)));
    assert!(
        errors[1].message.contains("has no `id`"),
        "{}",
        errors[1].message
    );

    let errors = tiny_sweep("").unwrap_err();
    assert!(errors[0].message.contains("no variants"));
}

#[test]
fn ids_the_base_does_not_have_are_placed_in_the_sweep_file() {
    let file = tiny_sweep(
        "[vary]\n\"teacher.t-zoe.max_hours\" = [6]\n\
         [[variant]]\nname = \"v\"\nremove = { teacher = [\"t-ann\"], learner = [\"L99\"] }\n",
    )
    .unwrap();
    let errors = resolve(&file, &tiny_base(), &file.variants[0]).unwrap_err();
    assert_eq!(places(&errors), [(6, 23), (6, 44), (3, 1)], "{errors:#?}");
    assert!(errors[0].message.contains("no teacher `t-ann` to remove"));
    assert_eq!(errors[0].help.as_deref(), Some("did you mean `t-an`?"));
    assert!(
        errors[2].message.contains("`t-zoe`"),
        "{}",
        errors[2].message
    );
    assert!(errors.iter().all(|e| e.file == instance("sweep.toml")));
}

#[test]
fn a_missing_base_is_reported_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sweep.toml");
    fs::write(
        &path,
        "# what if\nbase = \"nope.toml\"\n[[variant]]\nname = \"a\"\n",
    )
    .unwrap();
    let request = SweepRequest {
        sweep_file: path.clone(),
        output: dir.path().join("out"),
        ..SweepRequest::default()
    };
    match sweep(&request) {
        Err(SweepError::Input(errors)) => {
            assert_eq!(places(&errors.0), [(2, 8)]);
            assert_eq!(errors.0[0].file, path);
            assert!(errors.0[0].message.contains("nope.toml"));
        }
        other => panic!("expected an input error, got {other:?}"),
    }
    assert!(!dir.path().join("out").exists(), "nothing written");
}

/// tiny.toml with two more learners in a CSV file beside it.
fn base_with_csv(dir: &Path) -> PathBuf {
    let text = fs::read_to_string(instance("tiny.toml")).unwrap().replace(
        "weeks = 20             #",
        "learners = \"people.csv\"\nweeks = 20             #",
    );
    assert!(text.contains("people.csv"), "fixture lost its anchor");
    let path = dir.join("base.toml");
    fs::write(&path, text).unwrap();
    fs::write(
        dir.join("people.csv"),
        "id,municipality,needs,shift,mode,max_travel\n\
         C1,schilde,mo-ar,,walk,20\n\
         C2,zoersel,nt2-a1;mo-ar,two-shift,car,30\n\
         C3,schilde,nt2-a1,,,\n",
    )
    .unwrap();
    path
}

#[test]
fn learners_from_a_csv_are_removed_changed_and_added_by_id() {
    let dir = tempfile::tempdir().unwrap();
    let base_path = base_with_csv(dir.path());
    let text = "base = \"base.toml\"\n[[variant]]\nname = \"v\"\nremove = { learner = [\"C1\"] }\n\
                [[variant.learner]]\nid = \"C2\"\nmax_travel = 45\n\
                [[variant.learner]]\nid = \"C4\"\nmunicipality = \"zoersel\"\nneeds = [\"nt2-a1\"]\n";
    let file = parse_sweep_file(text, &dir.path().join("sweep.toml")).unwrap();
    let base = Base::load(&base_path).unwrap();
    let resolved = resolve(&file, &base, &file.variants[0]).unwrap();
    // Only C3 is left in the copy, byte for byte; C2 moved into the scenario, changed.
    assert_eq!(
        resolved.learners.as_deref(),
        Some("id,municipality,needs,shift,mode,max_travel\nC3,schilde,nt2-a1,,,\n")
    );
    assert!(
        resolved
            .scenario
            .contains(&format!("learners = \"{LEARNERS_COPY}\""))
    );
    let out = dir.path().join("v");
    fs::create_dir(&out).unwrap();
    fs::write(out.join("scenario.toml"), &resolved.scenario).unwrap();
    fs::write(out.join(LEARNERS_COPY), resolved.learners.unwrap()).unwrap();
    let scenario = load_scenario(&out.join("scenario.toml")).unwrap();
    let ids: Vec<&str> = scenario.learners.iter().map(|l| l.id.as_str()).collect();
    // Tables first (tiny's eight, then C2 and C4 in the order changed), then the CSV.
    assert_eq!(&ids[8..], ["C2", "C4", "C3"]);
    let c2 = &scenario.learners[8];
    assert_eq!(c2.max_travel, 45);
    assert_eq!(c2.needs.len(), 2, "the row's `;` list became a list");
    assert!(c2.shift.is_some(), "fields not given stay as in the row");
}

#[test]
fn two_solves_run_at_once_in_one_process() {
    let scenario = load_scenario(&instance("tiny.toml")).unwrap();
    let settings = SolveSettings {
        threads: Some(1),
        ..SolveSettings::default()
    };
    let alone = solve(&scenario, &settings).unwrap().timetable;
    let (a, b) = rayon::join(
        || solve(&scenario, &settings).unwrap().timetable,
        || solve(&scenario, &settings).unwrap().timetable,
    );
    for timetable in [&a, &b] {
        assert!(verify(&scenario, timetable).is_empty());
        assert_eq!(timetable.solver.objective, alone.solver.objective);
        assert_eq!(timetable.classes, alone.classes);
    }
}

/// Rows of a CSV file as maps from column to cell.
fn csv_rows(path: &Path) -> Vec<std::collections::HashMap<String, String>> {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    reader
        .records()
        .map(|record| {
            header
                .iter()
                .cloned()
                .zip(record.unwrap().iter().map(String::from))
                .collect()
        })
        .collect()
}

#[test]
fn sweep_writes_tables_chart_and_a_verified_timetable_per_variant() {
    let dir = tempfile::tempdir().unwrap();
    let base_path = base_with_csv(dir.path());
    assert!(base_path.is_file());
    let sweep_path = dir.path().join("what-if.toml");
    fs::write(
        &sweep_path,
        "base = \"base.toml\"\nname = \"Tiny what-if\"\ntime_limit = 20\n\
         [vary]\n\"budget.max_cost\" = [8000, 30000]\n\
         [[variant]]\nname = \"base\"\n\
         [[variant]]\nname = \"no-an\"\ndescription = \"An on leave\"\n\
         remove = { teacher = [\"t-an\"], learner = [\"C1\"] }\n\
         [[variant]]\nname = \"sat-teacher\"\ndescription = \"Cor teaches MO on Saturdays\"\n\
         [[variant.teacher]]\nid = \"t-cor\"\nmunicipality = \"schilde\"\nteaches = [\"mo-ar\"]\n\
         available = [\"sat 08:00-13:00\"]\nmax_hours = 4\ncost_per_hour = 40.0\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    let output = roosteraar()
        .arg("sweep")
        .arg(&sweep_path)
        .arg("-o")
        .arg(&out)
        .args(["--jobs", "2"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert_eq!(
        stderr.matches("/6] ").count(),
        6,
        "one line per variant:\n{stderr}"
    );

    let rows = csv_rows(&out.join("sweep.csv"));
    let names: Vec<&str> = rows.iter().map(|r| r["variant"].as_str()).collect();
    assert_eq!(
        names,
        [
            "base+max_cost=8000",
            "base+max_cost=30000",
            "no-an+max_cost=8000",
            "no-an+max_cost=30000",
            "sat-teacher+max_cost=8000",
            "sat-teacher+max_cost=30000",
        ]
    );
    let row = |name: &str| rows.iter().find(|r| r["variant"] == name).unwrap();
    let number = |name: &str, column: &str| -> f64 {
        row(name)[column]
            .parse()
            .unwrap_or_else(|_| panic!("{name} {column} = `{}`", row(name)[column]))
    };
    for (i, name) in names.iter().enumerate() {
        let r = row(name);
        assert_eq!(r["verify"], "valid");
        assert_eq!(r["problem"], "");
        assert_eq!(
            r["budget.max_cost"],
            if i % 2 == 0 { "8000" } else { "30000" }
        );
        // The row agrees with the variant's own timetable, and every need is accounted for.
        let variant = out.join(name);
        assert!(variant.join("scenario.toml").is_file());
        assert!(variant.join(LEARNERS_COPY).is_file());
        let timetable: serde_json::Value =
            serde_json::from_str(&fs::read_to_string(variant.join("timetable.json")).unwrap())
                .unwrap();
        assert_eq!(
            number(name, "placed"),
            timetable["summary"]["placed"].as_f64().unwrap()
        );
        let unplaced: f64 = [
            "unplaced_out_of_reach",
            "unplaced_no_compatible_time",
            "unplaced_no_teacher",
            "unplaced_capacity",
        ]
        .iter()
        .map(|c| number(name, c))
        .sum();
        assert_eq!(number(name, "placed") + unplaced, number(name, "needs"));
        let summary = &timetable["summary"];
        let optional = summary["optional_cost"].as_f64().unwrap_or(0.0);
        assert_eq!(number(name, "optional_cost"), optional);
        let spent = summary["teacher_cost"].as_f64().unwrap()
            + summary["room_cost"].as_f64().unwrap()
            + optional;
        assert!((number(name, "total_cost") - spent).abs() < 0.01, "{name}");
        let cost = number(name, "total_cost");
        assert!(
            cost <= number(name, "budget.max_cost") + 1e-6,
            "{name} spends {cost}"
        );
        // Anyone can re-run the resolved scenario from its own directory.
        roosteraar()
            .current_dir(&variant)
            .args(["verify", "scenario.toml", "timetable.json"])
            .assert()
            .code(0);
    }
    // With every option of the base and more (another teacher, a larger budget) the
    // optimum is worth at least as much; without An, the only MO and evening teacher, it
    // places fewer.
    for budget in ["8000", "30000"] {
        let base = format!("base+max_cost={budget}");
        let (more, less) = (
            format!("sat-teacher+max_cost={budget}"),
            format!("no-an+max_cost={budget}"),
        );
        assert!(number(&more, "objective") >= number(&base, "objective") - 1e-6);
        assert!(number(&less, "objective") <= number(&base, "objective") + 1e-6);
        assert!(
            number(&less, "placed") < number(&base, "placed"),
            "{budget}"
        );
        assert_eq!(number(&less, "needs"), number(&base, "needs") - 1.0);
    }
    for variant in ["base", "no-an", "sat-teacher"] {
        let tight = format!("{variant}+max_cost=8000");
        let loose = format!("{variant}+max_cost=30000");
        assert!(number(&loose, "objective") >= number(&tight, "objective") - 1e-6);
    }
    // With room in the budget, the Saturday class takes L6 and C2, whose shifts rule out
    // weekdays (worth 2 x 10000 against a class of 3000): two more placed.
    assert_eq!(
        number("sat-teacher+max_cost=30000", "placed"),
        number("base+max_cost=30000", "placed") + 2.0
    );
    assert!(
        number("sat-teacher+max_cost=30000", "employed_placed")
            > number("base+max_cost=30000", "employed_placed")
    );

    let coverage = csv_rows(&out.join("coverage.csv"));
    assert_eq!(coverage.len(), 6 * 2, "two municipalities with demand");
    let markdown = fs::read_to_string(out.join("sweep.md")).unwrap();
    assert!(markdown.contains("An on leave"));
    assert!(markdown.contains("| `sat-teacher+max_cost=30000` | optimal |"));
    assert!(markdown.contains("Cor teaches MO on Saturdays"));
    let svg = fs::read_to_string(out.join("coverage-cost.svg")).unwrap();
    assert!(svg.starts_with("<svg"));
    let texts: Vec<&str> = svg.lines().map(str::trim).collect();
    for name in &names {
        // Variants at the same point (no-an spends the same under both budgets) share one.
        let labelled = texts.iter().any(|t| t.split(", ").any(|n| n == *name));
        assert!(labelled, "{name} not labelled in the chart");
    }
}

#[test]
fn sweep_stops_at_mistakes_with_their_place_and_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let sweep_path = dir.path().join("bad.toml");
    fs::write(
        &sweep_path,
        format!(
            "base = {:?}\n[[variant]]\nname = \"a\"\nremove = {{ course = [\"nt2-a2\"] }}\n",
            instance("tiny.toml")
        ),
    )
    .unwrap();
    roosteraar()
        .arg("sweep")
        .arg(&sweep_path)
        .arg("-o")
        .arg(dir.path().join("out"))
        .assert()
        .code(2)
        .stderr(predicates::str::contains("bad.toml:4:22"))
        .stderr(predicates::str::contains("did you mean `nt2-a1`?"));

    // A mistake only the merged scenario shows is the loader's, in the resolved file.
    fs::write(
        &sweep_path,
        format!(
            "base = {:?}\n[[variant]]\nname = \"a\"\n[variant.budget]\nmax_cots = 1\n",
            instance("tiny.toml")
        ),
    )
    .unwrap();
    roosteraar()
        .arg("sweep")
        .arg(&sweep_path)
        .arg("-o")
        .arg(dir.path().join("out"))
        .assert()
        .code(2)
        .stderr(predicates::str::contains("scenario.toml:"))
        .stderr(predicates::str::contains("did you mean `max_cost`?"));
}

#[test]
fn the_chart_labels_every_point_once_and_escapes_text() {
    let point = |label: &str, cost: f64, coverage: f64| Point {
        label: label.to_string(),
        cost,
        coverage,
    };
    let svg = coverage_cost_svg(
        "Zoersel & <Schilde>",
        &[
            point("a", 1000.0, 0.5),
            point("b", 1000.0, 0.5),
            point("c", 2000.0, 1.0),
        ],
    )
    .unwrap();
    // plotters writes each text on its own line between the tags.
    let texts: Vec<&str> = svg.lines().map(str::trim).collect();
    assert!(
        texts.contains(&"a, b"),
        "variants at one point share a label"
    );
    assert_eq!(texts.iter().filter(|t| **t == "c").count(), 1);
    assert!(svg.contains("Zoersel &amp; &lt;Schilde&gt;"));
    assert_eq!(svg.matches("<circle").count(), 2);

    let empty = coverage_cost_svg("none", &[]).unwrap();
    assert!(empty.contains("No variant has a timetable."));
}

#[test]
fn sweep_help_explains_the_file() {
    roosteraar()
        .args(["sweep", "--help"])
        .assert()
        .code(0)
        .stdout(predicates::str::contains("[vary]"))
        .stdout(predicates::str::contains("--jobs"));
}
