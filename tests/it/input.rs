//! Tests of reading scenarios: typed values of a valid file, and every problem of bad ones
//! reported at the right place.

use std::path::{Path, PathBuf};

use jiff::civil::date;
use proptest::prelude::*;
use roosteraar::domain::{CourseKind, Mode, MunicipalityId, Scenario};
use roosteraar::input::{InputError, InputErrors, load_scenario, load_scenario_str};
use roosteraar::time::{Day, Interval, MINUTES_PER_DAY, MINUTES_PER_WEEK};

fn fixture(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/input")
        .join(path)
}

fn load_ok(path: &str) -> Scenario {
    match load_scenario(&fixture(path)) {
        Ok(scenario) => scenario,
        Err(errors) => panic!("expected {path} to load, got:\n{errors}"),
    }
}

fn load_err(path: &str) -> Vec<InputError> {
    match load_scenario(&fixture(path)) {
        Ok(_) => panic!("expected {path} to be rejected"),
        Err(InputErrors(errors)) => errors,
    }
}

/// The 1-based line of the only line of `text` containing `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    let lines: Vec<usize> = text
        .lines()
        .enumerate()
        .filter(|(_, line)| line.contains(needle))
        .map(|(i, _)| i + 1)
        .collect();
    assert_eq!(lines.len(), 1, "`{needle}` should be on exactly one line");
    lines[0]
}

/// Minute of the week of `day` at `hh:mm`.
fn at(day: Day, hours: u32, minutes: u32) -> u32 {
    day.index() * MINUTES_PER_DAY + hours * 60 + minutes
}

fn interval(start: u32, end: u32) -> Interval {
    Interval { start, end }
}

#[test]
fn a_valid_scenario_loads_with_the_values_the_files_say() {
    let s = load_ok("valid/scenario.toml");
    assert_eq!(s.name, "Test term");
    assert_eq!(s.start, date(2026, 9, 7));
    assert_eq!(s.weeks, 16);

    // Objective and travel: what is written, defaults for the rest.
    assert_eq!(s.objective.fairness, 500.0);
    assert_eq!(s.objective.serve, 1000.0);
    assert_eq!(s.travel.detour, 1.3);
    assert_eq!(s.travel.speed_kmh[Mode::Bike as usize], 16.0);
    assert_eq!(s.travel.speed_kmh[Mode::Walk as usize], 4.5);
    assert_eq!(s.travel.overhead_min[Mode::Public as usize], 10.0);
    assert_eq!(s.max_cost, None);

    // The override was written wijnegem -> schilde; it is keyed by the smaller id first.
    let schilde = s.ids.municipalities["schilde"];
    let wijnegem = s.ids.municipalities["wijnegem"];
    assert_eq!((schilde, wijnegem), (MunicipalityId(0), MunicipalityId(1)));
    assert_eq!(
        s.travel.overrides.get(&(schilde, wijnegem, Mode::Public)),
        Some(&55)
    );
    assert_eq!(s.travel(wijnegem, schilde, Mode::Public), 55);
    assert_eq!(s.travel.overrides.len(), 1);

    // A name defaults to the id.
    assert_eq!(s.municipality(wijnegem).name, "wijnegem");
    assert_eq!(s.municipality(schilde).lat, 51.24107);

    let gc = s.venue(s.ids.venues["schilde-gc"]);
    assert_eq!(gc.employer, None, "an empty employer means a public venue");
    assert_eq!(gc.rooms.len(), 2);
    assert_eq!((gc.rooms[1].id.as_str(), gc.rooms[1].capacity), ("B", 12));
    assert!(
        gc.open
            .contains(&interval(at(Day::Sat, 9, 0), at(Day::Sat, 13, 0)))
    );
    assert!(
        !gc.open
            .contains(&interval(at(Day::Sun, 9, 0), at(Day::Sun, 10, 0)))
    );
    let bakery = s.venue(s.ids.venues["bakery-floor"]);
    assert_eq!(bakery.employer.as_deref(), Some("Bakkerij Peeters"));
    assert_eq!(bakery.name, "bakery-floor");
    assert_eq!(bakery.cost_per_hour, 0.0);

    let an = s.teacher(s.ids.teachers["t-an"]);
    assert_eq!(an.mode, Mode::Car);
    assert_eq!(
        an.teaches,
        vec![s.ids.courses["nt2-a1"], s.ids.courses["mo-ar"]]
    );
    assert_eq!(an.max_hours, 20.0);

    // Sessions come out in week order whatever order they were written in.
    let evening = s.format(s.ids.formats["evening-2x3"]);
    assert_eq!(evening.sessions[0].day, Day::Mon);
    assert_eq!(evening.sessions[1].day, Day::Thu);
    assert_eq!(evening.weekly_hours(), 6.0);

    let a1 = s.course(s.ids.courses["nt2-a1"]);
    assert_eq!(a1.kind, CourseKind::Nt2);
    assert_eq!(a1.language, "nl", "NT2 is taught in Dutch unless stated");
    assert_eq!(a1.level.as_deref(), Some("A1"));
    assert_eq!((a1.min_size, a1.max_size), (8, 15));
    let mo = s.course(s.ids.courses["mo-ar"]);
    assert_eq!((mo.kind, mo.language.as_str()), (CourseKind::Mo, "ar"));
    assert_eq!(mo.hours, 60.0);

    // A rotating shift keeps one week set per week of the rotation.
    let two = s.shift(s.ids.shifts["two-shift"]);
    assert_eq!(two.weeks.len(), 2);
    assert!(two.weeks[0].contains(&interval(at(Day::Mon, 6, 0), at(Day::Mon, 14, 0))));
    assert!(!two.weeks[0].overlaps(&interval(at(Day::Mon, 14, 0), at(Day::Mon, 22, 0))));
    assert!(two.weeks[1].contains(&interval(at(Day::Fri, 14, 0), at(Day::Fri, 22, 0))));
    // Sunday night wraps into Monday morning; an empty week is a week off.
    let nights = s.shift(s.ids.shifts["nights"]);
    assert!(nights.weeks[0].contains(&interval(0, at(Day::Mon, 6, 0))));
    assert!(nights.weeks[0].contains(&interval(at(Day::Sun, 22, 0), MINUTES_PER_WEEK)));
    assert!(nights.weeks[1].is_empty());

    // Inline learners come first, then the CSV's, in file order.
    let ids: Vec<&str> = s.learners.iter().map(|l| l.id.as_str()).collect();
    assert_eq!(ids, ["L-inline", "L-0001", "L-0002"]);
    let inline = s.learner(s.ids.learners["L-inline"]);
    assert_eq!(inline.mode, Mode::Bike);
    assert_eq!((inline.max_travel, inline.priority), (30, 2.5));
    assert_eq!(inline.shift, None);
    assert_eq!(
        inline.unavailable.intervals(),
        [
            interval(0, at(Day::Mon, 6, 0)),
            interval(at(Day::Sun, 22, 0), MINUTES_PER_WEEK)
        ]
    );

    // Empty CSV cells take the defaults; needs keep their file order.
    let first = s.learner(s.ids.learners["L-0001"]);
    assert_eq!(first.municipality, schilde);
    assert_eq!(
        first.needs,
        vec![s.ids.courses["nt2-a1"], s.ids.courses["mo-ar"]]
    );
    assert_eq!(first.shift, Some(s.ids.shifts["two-shift"]));
    assert_eq!(first.employer, None);
    assert_eq!(first.mode, Mode::Public);
    assert_eq!((first.max_travel, first.priority), (60, 1.0));
    assert!(
        first
            .unavailable
            .contains(&interval(at(Day::Tue, 8, 0), at(Day::Tue, 12, 0)))
    );

    let second = s.learner(s.ids.learners["L-0002"]);
    assert_eq!(second.employer.as_deref(), Some("Bakkerij Peeters"));
    assert_eq!(
        (second.mode, second.max_travel, second.priority),
        (Mode::Walk, 45, 2.0)
    );
    assert!(
        second
            .unavailable
            .contains(&interval(at(Day::Wed, 9, 0), at(Day::Wed, 11, 0)))
    );
    assert!(
        second
            .unavailable
            .contains(&interval(at(Day::Fri, 13, 0), at(Day::Fri, 15, 0)))
    );
    assert!(
        !second
            .unavailable
            .overlaps(&interval(at(Day::Tue, 9, 0), at(Day::Tue, 11, 0)))
    );
}

#[test]
fn three_mistakes_give_exactly_three_errors_on_their_lines() {
    let path = fixture("three-mistakes/scenario.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let errors = load_err("three-mistakes/scenario.toml");
    assert_eq!(errors.len(), 3, "{}", InputErrors(errors.clone()));
    for error in &errors {
        assert_eq!(error.file, path);
        assert!(error.column > 0);
        assert!(error.help.is_some(), "every error says what to do: {error}");
    }

    // Sorted by line: the bad time (venue), the unknown course (teacher), the sizes.
    let time = &errors[0];
    assert_eq!(time.line, line_of(&text, "25:00"));
    assert!(time.message.contains("venue `schilde-gc`"), "{time}");
    assert!(time.message.contains("25:00"), "{time}");
    let column = text
        .lines()
        .nth(time.line - 1)
        .unwrap()
        .find("\"sat")
        .unwrap()
        + 1;
    assert_eq!(time.column, column, "points at the bad window");

    let course = &errors[1];
    assert_eq!(course.line, line_of(&text, "nt2-a9"));
    assert!(course.message.contains("teacher `t-an`"), "{course}");
    assert!(
        course.message.contains("unknown course `nt2-a9`"),
        "{course}"
    );
    assert!(
        course.help.as_deref().unwrap().contains("`nt2-a1`"),
        "{course}"
    );

    let sizes = &errors[2];
    assert_eq!(sizes.line, line_of(&text, "max_size = 4"));
    assert!(sizes.message.contains("course `mo-ar`"), "{sizes}");
    assert!(sizes.message.contains("min_size"), "{sizes}");
}

#[test]
fn type_errors_in_different_entities_are_all_reported() {
    let text = r#"
[scenario]
start = "2026-09-07"
weeks = 4

[[municipality]]
id = "schilde"
lat = "north"
lon = 4.5

[[venue]]
id = "gc"
municipality = "schilde"
open = ["mon 08:00-12:00"]
cost_per_hour = 10
rooms = [ { id = "A", capacity = "sixteen" } ]
colour = "red"
"#;
    let Err(InputErrors(errors)) = load_scenario_str(text, Path::new("t.toml")) else {
        panic!("expected errors");
    };
    let lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
    assert_eq!(
        lines,
        [
            line_of(text, "north"),
            line_of(text, "sixteen"),
            line_of(text, "colour")
        ],
        "{}",
        InputErrors(errors.clone())
    );
    assert!(errors[0].message.contains("`lat` must be a number"));
    assert!(
        errors[1]
            .message
            .contains("`capacity` must be a whole number")
    );
    assert!(errors[2].message.contains("unknown field `colour`"));
    assert!(errors.iter().all(|e| e.file == Path::new("t.toml")));
}

#[test]
fn every_bad_field_of_one_entity_is_reported() {
    let text = r#"
[scenario]
start = "2026-09-08"
weeks = 0

[[course]]
id = "nt2 a1"
kind = "dutch"
hours = -5
min_size = 0
max_size = 15
formats = []
"#;
    let Err(InputErrors(errors)) = load_scenario_str(text, Path::new("t.toml")) else {
        panic!("expected errors");
    };
    let expected = [
        ("2026-09-08", "Monday"),
        ("weeks = 0", "`weeks` must be 1 or more"),
        ("nt2 a1", "contains a space"),
        ("dutch", "unknown course kind"),
        ("hours = -5", "`hours` must be greater than 0"),
        ("min_size = 0", "`min_size` must be 1 or more"),
        ("formats = []", "`formats` is empty"),
    ];
    assert_eq!(
        errors.len(),
        expected.len(),
        "{}",
        InputErrors(errors.clone())
    );
    for (error, (needle, message)) in errors.iter().zip(expected) {
        assert_eq!(error.line, line_of(text, needle), "{error}");
        assert!(error.message.contains(message), "{error}");
    }
    // The help for a date that is not a Monday names the Monday before it.
    assert!(errors[0].help.as_deref().unwrap().contains("2026-09-07"));
}

#[test]
fn a_course_that_fits_the_term_in_no_format_is_an_error() {
    let text = r#"
[scenario]
start = "2026-09-07"
weeks = 10

[[format]]
id = "evening"
sessions = ["mon 18:30-21:30", "thu 18:30-21:30"]

[[course]]
id = "nt2-a2"
kind = "nt2"
hours = 120
min_size = 5
max_size = 10
formats = ["evening"]
"#;
    let Err(InputErrors(errors)) = load_scenario_str(text, Path::new("t.toml")) else {
        panic!("expected errors");
    };
    assert_eq!(errors.len(), 1, "{}", InputErrors(errors.clone()));
    assert_eq!(errors[0].line, line_of(text, "hours = 120"));
    assert!(
        errors[0].message.contains("needs 20 weeks"),
        "{}",
        errors[0]
    );
    assert!(errors[0].help.as_deref().unwrap().contains("`weeks = 20`"));
    assert!(
        errors[0]
            .help
            .as_deref()
            .unwrap()
            .contains("12 hours a week")
    );
}

#[test]
fn duplicate_ids_overlapping_sessions_and_repeated_overrides_are_errors() {
    let text = r#"
[scenario]
start = "2026-09-07"
weeks = 10

[[municipality]]
id = "a"
lat = 51.0
lon = 4.0

[[municipality]]
id = "b"
lat = 51.1
lon = 4.1

[[municipality]]
id = "a"
lat = 51.2
lon = 4.2

[[travel.override]]
from = "a"
to = "b"
mode = "car"
minutes = 20

[[travel.override]]
from = "b"
to = "a"
mode = "car"
minutes = 25

[[format]]
id = "f"
sessions = ["mon 09:00-12:00", "mon 11:00-13:00", "mon 13:00-14:00"]
"#;
    let Err(InputErrors(errors)) = load_scenario_str(text, Path::new("t.toml")) else {
        panic!("expected errors");
    };
    assert_eq!(errors.len(), 3, "{}", InputErrors(errors.clone()));
    let second_a = text.match_indices("id = \"a\"").nth(1).unwrap().0;
    assert_eq!(errors[0].line, text[..second_a].lines().count() + 1);
    assert!(
        errors[0]
            .message
            .contains("municipality id `a` is used twice")
    );
    let second_override = text.match_indices("[[travel.override]]").nth(1).unwrap().0;
    assert_eq!(errors[1].line, text[..second_override].lines().count() + 1);
    assert!(errors[1].message.contains("second travel time"));
    assert_eq!(errors[2].line, line_of(text, "sessions ="));
    assert!(errors[2].message.contains("overlap"), "{}", errors[2]);
}

#[test]
fn syntax_errors_are_all_reported() {
    let text = "[scenario]\nname = \"x\nweeks = = 3\n[[venue]\nid = 'v'\n";
    let Err(InputErrors(errors)) = load_scenario_str(text, Path::new("t.toml")) else {
        panic!("expected errors");
    };
    let lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
    assert!(
        lines.contains(&2) && lines.contains(&3) && lines.contains(&4),
        "{lines:?}"
    );
    assert!(lines.windows(2).all(|w| w[0] <= w[1]), "sorted: {lines:?}");
    assert!(
        errors
            .iter()
            .all(|e| e.message.starts_with("not valid TOML"))
    );
}

#[test]
fn an_unquoted_or_missing_start_date_is_explained() {
    let text = "[scenario]\nstart = 2026-09-07\nweeks = 3\n";
    let Err(InputErrors(errors)) = load_scenario_str(text, Path::new("t.toml")) else {
        panic!("expected errors");
    };
    assert_eq!(errors.len(), 1);
    assert_eq!((errors[0].line, errors[0].column), (2, 9));
    assert!(errors[0].message.contains("in quotes"));

    let Err(InputErrors(errors)) = load_scenario_str("weeks = 3\n", Path::new("t.toml")) else {
        panic!("expected errors");
    };
    assert!(errors[0].message.contains("unknown table `weeks`"));
    assert!(errors[1].message.contains("no `[scenario]` table"));
}

#[test]
fn a_missing_csv_column_is_reported_on_line_one_of_the_csv() {
    let errors = load_err("csv-missing-column/scenario.toml");
    assert_eq!(errors.len(), 1, "{}", InputErrors(errors.clone()));
    assert_eq!(errors[0].file, fixture("csv-missing-column/learners.csv"));
    assert_eq!(errors[0].line, 1);
    assert!(errors[0].message.contains("no `needs` column"));
}

#[test]
fn bad_csv_rows_are_reported_with_their_line_and_field() {
    let csv = fixture("csv-bad-rows/learners.csv");
    let text = std::fs::read_to_string(&csv).unwrap();
    let errors = load_err("csv-bad-rows/scenario.toml");
    let found: Vec<(usize, usize, &str)> = errors
        .iter()
        .map(|e| (e.line, e.column, e.message.as_str()))
        .collect();
    assert!(
        errors.iter().all(|e| e.file == csv),
        "{}",
        InputErrors(errors.clone())
    );
    let expected = [
        (
            line_of(&text, "L-2"),
            0,
            "this row has 3 values but the header has 5 columns",
        ),
        (
            line_of(&text, "L-3"),
            4,
            "learner `L-3`: `max_travel` must be a whole number",
        ),
        (
            line_of(&text, "L-3"),
            5,
            "learner `L-3`: unknown travel mode `boat`",
        ),
        (
            line_of(&text, "L-4"),
            1,
            "learner `L-4`: course `nt2-a1` is listed twice",
        ),
        (
            line_of(&text, "L-4"),
            3,
            "learner `L-4`: unknown municipality `schildee`",
        ),
        (
            line_of(&text, "L-1,schilde,,"),
            2,
            "learner id `L-1` is used twice",
        ),
    ];
    assert_eq!(
        found.len(),
        expected.len(),
        "{}",
        InputErrors(errors.clone())
    );
    for ((line, column, message), (want_line, want_column, want)) in found.iter().zip(expected) {
        assert_eq!((*line, *column), (want_line, want_column), "{message}");
        assert!(message.starts_with(want), "{message}");
    }
    assert!(
        errors[4]
            .help
            .as_deref()
            .unwrap()
            .contains("did you mean `schilde`?")
    );
}

/// Writes a scenario that reads `learners.csv` and the CSV itself into a fresh folder.
fn with_csv(csv: &[u8]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let scenario = dir.path().join("scenario.toml");
    let toml = std::fs::read_to_string(fixture("csv-bad-rows/scenario.toml")).unwrap();
    std::fs::write(&scenario, toml).unwrap();
    std::fs::write(dir.path().join("learners.csv"), csv).unwrap();
    (dir, scenario)
}

#[test]
fn csv_with_bom_crlf_spaces_and_any_column_order_loads() {
    let (_dir, path) = with_csv(
        b"\xEF\xBB\xBFpriority, id ,needs,municipality\r\n 3 ,L-1, nt2-a1 ;,schilde\r\n,L-2,nt2-a1,schilde\r\n",
    );
    let s = load_scenario(&path).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(s.learners.len(), 2);
    assert_eq!(s.learners[0].priority, 3.0);
    assert_eq!(s.learners[0].needs.len(), 1);
    assert_eq!(s.learners[1].priority, 1.0);
    assert_eq!(s.learners[1].mode, Mode::Public);
}

#[test]
fn an_unclosed_csv_quote_is_reported_where_it_opens() {
    let (_dir, path) = with_csv(
        b"id,municipality,needs,unavailable\nL-1,schilde,nt2-a1,\"mon 09:00-10:00\nL-2,schilde,nt2-a1,\nL-3,schilde,nt2-a1,\n",
    );
    let Err(InputErrors(errors)) = load_scenario(&path) else {
        panic!("expected errors");
    };
    assert_eq!(errors.len(), 1, "{}", InputErrors(errors.clone()));
    assert_eq!((errors[0].line, errors[0].column), (2, 20));
    assert!(errors[0].message.contains("never closed"));
}

#[test]
fn unreadable_and_non_utf8_files_are_errors() {
    let missing = fixture("no-such-dir/scenario.toml");
    let Err(InputErrors(errors)) = load_scenario(&missing) else {
        panic!("expected errors");
    };
    assert_eq!((errors.len(), errors[0].line), (1, 0));
    assert_eq!(errors[0].file, missing);

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("latin1.toml");
    std::fs::write(&path, b"[scenario]\nname = \"Caf\xE9\"\n").unwrap();
    let Err(InputErrors(errors)) = load_scenario(&path) else {
        panic!("expected errors");
    };
    assert_eq!(errors.len(), 1);
    assert_eq!((errors[0].line, errors[0].column), (2, 12));
    assert!(errors[0].message.contains("not UTF-8"));

    let (_dir, path) = with_csv(b"id,municipality,needs\nL-1,sch\xF6lde,nt2-a1\n");
    let Err(InputErrors(errors)) = load_scenario(&path) else {
        panic!("expected errors");
    };
    assert_eq!(errors.len(), 1, "{}", InputErrors(errors.clone()));
    assert_eq!(errors[0].file, path.with_file_name("learners.csv"));
    assert_eq!((errors[0].line, errors[0].column), (2, 8));

    // A learner file that does not exist is reported at the line that names it.
    let text = "[scenario]\nstart = \"2026-09-07\"\nweeks = 2\nlearners = \"nowhere.csv\"\n";
    let Err(InputErrors(errors)) = load_scenario_str(text, &dir.path().join("s.toml")) else {
        panic!("expected errors");
    };
    assert_eq!((errors.len(), errors[0].line), (1, 4));
    assert!(errors[0].message.contains("nowhere.csv"));
}

#[test]
fn a_csv_saved_with_semicolons_gets_one_clear_error() {
    let (_dir, path) = with_csv(b"id;municipality;needs\nL-1;schilde;nt2-a1\n");
    let Err(InputErrors(errors)) = load_scenario(&path) else {
        panic!("expected errors");
    };
    assert_eq!(errors.len(), 1, "{}", InputErrors(errors.clone()));
    assert_eq!(errors[0].line, 1);
    assert!(errors[0].message.contains("`;` between columns"));
}

#[test]
fn text_without_a_folder_finds_its_csv_from_the_current_directory() {
    // Integration tests run in the package root.
    let text = std::fs::read_to_string(fixture("valid/scenario.toml"))
        .unwrap()
        .replace(
            "learners = \"learners.csv\"",
            "learners = \"tests/fixtures/input/valid/learners.csv\"",
        );
    let s = load_scenario_str(&text, Path::new("<stdin>")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(s.learners.len(), 3);
    assert_eq!(s.name, "Test term");
}

/// Checks that every reported place lies inside its file.
fn places_are_inside(errors: &[InputError], texts: &[(&Path, &str)]) {
    assert!(!errors.is_empty());
    for error in errors {
        let text = texts
            .iter()
            .find(|(path, _)| *path == error.file)
            .map_or("", |(_, text)| text);
        assert!(
            error.line <= text.lines().count() + 1,
            "{error} is past the end of its file"
        );
        assert!(!error.message.is_empty());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let text = String::from_utf8_lossy(&bytes);
        let path = Path::new("fuzz.toml");
        if let Err(InputErrors(errors)) = load_scenario_str(&text, path) {
            places_are_inside(&errors, &[(path, &text)]);
        }
        // The same bytes from a file, where invalid UTF-8 is found rather than replaced.
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("fuzz.toml");
        std::fs::write(&file, &bytes).unwrap();
        if let Err(InputErrors(errors)) = load_scenario(&file) {
            places_are_inside(&errors, &[(&file, &text)]);
        }
    }

    #[test]
    fn mutated_valid_scenarios_never_panic(
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0..3u8), 1..6)
    ) {
        let path = fixture("valid/scenario.toml");
        let mut bytes = std::fs::read(&path).unwrap();
        for (index, byte, kind) in edits {
            let i = index.index(bytes.len());
            match kind {
                0 => bytes[i] = byte,
                1 => bytes.insert(i, byte),
                _ => { bytes.remove(i); }
            }
        }
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let csv = std::fs::read_to_string(fixture("valid/learners.csv")).unwrap();
        let csv_path = fixture("valid/learners.csv");
        if let Err(InputErrors(errors)) = load_scenario_str(&text, &path) {
            places_are_inside(&errors, &[(&path, &text), (&csv_path, &csv)]);
        }
    }

    #[test]
    fn mutated_learner_files_never_panic(
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0..3u8), 1..6)
    ) {
        let mut bytes = std::fs::read(fixture("valid/learners.csv")).unwrap();
        for (index, byte, kind) in edits {
            let i = index.index(bytes.len());
            match kind {
                0 => bytes[i] = byte,
                1 => bytes.insert(i, byte),
                _ => { bytes.remove(i); }
            }
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("scenario.toml");
        let toml = std::fs::read_to_string(fixture("valid/scenario.toml")).unwrap();
        std::fs::write(&path, toml).unwrap();
        std::fs::write(dir.path().join("learners.csv"), &bytes).unwrap();
        // Only whether it panics matters here; any result is acceptable.
        let _ = load_scenario(&path);
    }
}
