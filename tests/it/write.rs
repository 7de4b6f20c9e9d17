//! Tests of write: the output files `solve` leaves for agency staff.

use std::collections::HashMap;
use std::fs;
use std::path::Path;

use roosteraar::domain::{
    Course, CourseId, CourseKind, Format, FormatId, IdIndex, Learner, LearnerId, Mode,
    Municipality, MunicipalityId, ObjectiveWeights, Room, Scenario, Teacher, TeacherId,
    TravelSettings, Venue, VenueId,
};
use roosteraar::time::{Day, Session, WeekSet, Window};
use roosteraar::timetable::{
    ClassEntry, MunicipalityCoverage, Reason, SessionEntry, SolveStatus, SolverReport, Summary,
    Timetable, UnplacedNeed,
};
use roosteraar::write::{
    CLASS_COLUMNS, LEARNER_COLUMNS, WriteError, classes_csv, learners_csv, summary_markdown,
    timetable_json, write_all, write_atomic,
};

/// A learner id with every character that CSV or Markdown treat specially.
const AWKWARD: &str = "L,\"x\"|<y>";

fn windows(texts: &[&str]) -> WeekSet {
    let windows: Vec<Window> = texts.iter().map(|t| Window::parse(t).unwrap()).collect();
    WeekSet::from_windows(&windows)
}

fn index<T>(items: &[T], id: impl Fn(&T) -> &str) -> HashMap<String, usize> {
    items
        .iter()
        .enumerate()
        .map(|(i, item)| (id(item).to_string(), i))
        .collect()
}

/// Three municipalities (one name holds a `|`), three venues (one unused), two teachers, two
/// formats, two courses and four learners, one of them with the awkward id.
fn scenario() -> Scenario {
    let municipalities = vec![
        Municipality {
            id: "schilde".into(),
            name: "Schilde".into(),
            lat: 51.24107,
            lon: 4.58336,
        },
        Municipality {
            id: "zoersel".into(),
            name: "Zoersel".into(),
            lat: 51.26825,
            lon: 4.71296,
        },
        Municipality {
            id: "ranst".into(),
            name: "Ranst | Oost".into(),
            lat: 51.19012,
            lon: 4.56035,
        },
    ];
    let venue = |id: &str, name: &str, m: usize, cost: f64, rooms: &[(&str, u32)]| Venue {
        id: id.into(),
        name: name.into(),
        municipality: MunicipalityId(m),
        open: windows(&["mon-fri 08:00-22:00", "sat 08:30-13:00"]),
        cost_per_hour: cost,
        employer: None,
        address: None,
        optional_hours: Vec::new(),
        rooms: rooms
            .iter()
            .map(|(id, capacity)| Room {
                id: (*id).into(),
                capacity: *capacity,
                optional_cost: None,
            })
            .collect(),
    };
    let venues = vec![
        venue(
            "schilde-gc",
            "GC 't Schild",
            0,
            15.0,
            &[("A", 16), ("B", 12)],
        ),
        venue("zoersel-bib", "Bib Zoersel", 1, 10.0, &[("R1", 10)]),
        venue("ranst-cc", "CC Ranst", 2, 12.0, &[("Z", 20)]),
    ];
    let teacher = |id: &str, name: &str, cost: f64| Teacher {
        id: id.into(),
        name: name.into(),
        municipality: MunicipalityId(2),
        mode: Mode::Car,
        teaches: vec![CourseId(0), CourseId(1)],
        available: windows(&["mon-sat 08:00-22:00"]),
        max_hours: 20.0,
        cost_per_hour: cost,
        optional_cost: None,
    };
    let teachers = vec![
        teacher("t-an", "An", 52.0),
        teacher("t-bo", "Bo", 48.0),
        teacher("t-cy", "Cy", 50.0),
    ];
    let format = |id: &str, sessions: &[&str]| Format {
        id: id.into(),
        sessions: sessions
            .iter()
            .map(|s| Session::parse(s).unwrap())
            .collect(),
    };
    let formats = vec![
        format("evening-2x3", &["mon 18:30-21:30", "thu 18:30-21:30"]),
        format("sat-1x4", &["sat 09:00-13:00"]),
    ];
    let courses = vec![
        Course {
            id: "nt2-a1".into(),
            kind: CourseKind::Nt2,
            level: Some("A1".into()),
            language: "nl".into(),
            hours: 120.0,
            min_size: 1,
            max_size: 15,
            formats: vec![FormatId(0), FormatId(1)],
        },
        Course {
            id: "mo-ar".into(),
            kind: CourseKind::Mo,
            level: None,
            language: "ar".into(),
            hours: 60.0,
            min_size: 1,
            max_size: 12,
            formats: vec![FormatId(1)],
        },
    ];
    let learner = |id: &str, m: usize, needs: &[usize], mode: Mode| Learner {
        id: id.into(),
        municipality: MunicipalityId(m),
        needs: needs.iter().map(|&c| CourseId(c)).collect(),
        shift: None,
        employer: None,
        unavailable: WeekSet::default(),
        mode,
        max_travel: 60,
        priority: 1.0,
    };
    let learners = vec![
        learner("L-0001", 0, &[0, 1], Mode::Public),
        learner(AWKWARD, 0, &[0, 1], Mode::Bike),
        learner("L-0003", 1, &[0], Mode::Public),
        learner("L-0004", 2, &[1], Mode::Car),
    ];
    let ids = IdIndex {
        municipalities: index(&municipalities, |m| m.id.as_str())
            .into_iter()
            .map(|(k, v)| (k, MunicipalityId(v)))
            .collect(),
        venues: index(&venues, |v| v.id.as_str())
            .into_iter()
            .map(|(k, v)| (k, VenueId(v)))
            .collect(),
        teachers: index(&teachers, |t| t.id.as_str())
            .into_iter()
            .map(|(k, v)| (k, TeacherId(v)))
            .collect(),
        formats: index(&formats, |f| f.id.as_str())
            .into_iter()
            .map(|(k, v)| (k, FormatId(v)))
            .collect(),
        courses: index(&courses, |c| c.id.as_str())
            .into_iter()
            .map(|(k, v)| (k, CourseId(v)))
            .collect(),
        shifts: HashMap::new(),
        learners: index(&learners, |l| l.id.as_str())
            .into_iter()
            .map(|(k, v)| (k, LearnerId(v)))
            .collect(),
    };
    Scenario {
        name: "KINA test".into(),
        start: jiff::civil::date(2026, 9, 7),
        weeks: 20,
        timezone: roosteraar::domain::DEFAULT_TIMEZONE.to_string(),
        objective: ObjectiveWeights::default(),
        max_cost: None,
        travel: TravelSettings::default(),
        municipalities,
        venues,
        teachers,
        formats,
        courses,
        shifts: Vec::new(),
        learners,
        ids,
    }
}

fn session(day: Day, start: &str, end: &str) -> SessionEntry {
    SessionEntry {
        day,
        start: start.into(),
        end: end.into(),
    }
}

#[allow(clippy::too_many_arguments)]
fn class(
    scenario: &Scenario,
    id: &str,
    course: &str,
    format: &str,
    venue: &str,
    room: &str,
    teacher: &str,
    weeks: u32,
    sessions: Vec<SessionEntry>,
    learners: &[&str],
) -> ClassEntry {
    let first = sessions.first().map_or(Day::Mon, |s| s.day);
    let last = sessions.last().map_or(Day::Mon, |s| s.day);
    ClassEntry {
        id: id.into(),
        course: course.into(),
        format: format.into(),
        venue: venue.into(),
        room: room.into(),
        teacher: teacher.into(),
        weeks,
        first_day: scenario.date_of(1, first).to_string(),
        last_day: scenario.date_of(weeks, last).to_string(),
        sessions,
        learners: learners.iter().map(|l| l.to_string()).collect(),
    }
}

/// Three classes (two at one venue, in two rooms on different days) and one unplaced need of
/// the awkward learner. The awkward learner is listed before L-0001 in C001 so that the
/// learner table's ordering by scenario is visible.
fn timetable(scenario: &Scenario) -> Timetable {
    let evening = || {
        vec![
            session(Day::Mon, "18:30", "21:30"),
            session(Day::Thu, "18:30", "21:30"),
        ]
    };
    let saturday = vec![session(Day::Sat, "09:00", "13:00")];
    let mut timetable = Timetable {
        scenario: scenario.name.clone(),
        solver: SolverReport {
            status: SolveStatus::Optimal,
            objective: 4217.5,
            best_bound: Some(4217.5),
            gap: Some(0.0),
            seconds: 0.25,
        },
        classes: vec![
            class(
                scenario,
                "C001",
                "nt2-a1",
                "evening-2x3",
                "schilde-gc",
                "A",
                "t-an",
                20,
                evening(),
                &[AWKWARD, "L-0001"],
            ),
            class(
                scenario,
                "C002",
                "mo-ar",
                "sat-1x4",
                "schilde-gc",
                "B",
                "t-bo",
                15,
                saturday,
                &["L-0001", "L-0004"],
            ),
            class(
                scenario,
                "C003",
                "nt2-a1",
                "evening-2x3",
                "zoersel-bib",
                "R1",
                "t-bo",
                20,
                evening(),
                &["L-0003"],
            ),
        ],
        unplaced: vec![UnplacedNeed {
            learner: AWKWARD.into(),
            course: "mo-ar".into(),
            reason: Reason::NoCompatibleTime,
        }],
        summary: Summary {
            needs: 6,
            placed: 5,
            teacher_cost: 6240.0 + 2880.0 + 5760.0,
            room_cost: 1800.0 + 900.0 + 1200.0,
            travel_minutes: 0,
            optional_cost: 0.0,
            by_municipality: vec![
                MunicipalityCoverage {
                    municipality: "schilde".into(),
                    needs: 4,
                    placed: 3,
                },
                MunicipalityCoverage {
                    municipality: "zoersel".into(),
                    needs: 1,
                    placed: 1,
                },
                MunicipalityCoverage {
                    municipality: "ranst".into(),
                    needs: 1,
                    placed: 1,
                },
            ],
        },
        optional: Vec::new(),
    };
    timetable.summary.travel_minutes = timetable
        .classes
        .iter()
        .flat_map(|class| class.learners.iter().map(|l| (l, &class.venue)))
        .map(|(l, v)| {
            let travel = scenario.learner_travel(scenario.ids.learners[l], scenario.ids.venues[v]);
            u64::from(travel)
        })
        .sum();
    timetable
}

/// Parses CSV bytes into the header and the rows, each row a map from column to cell.
fn read_csv(bytes: &[u8]) -> (Vec<String>, Vec<HashMap<String, String>>) {
    let mut reader = csv::Reader::from_reader(bytes);
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    let rows = reader
        .records()
        .map(|record| {
            let record = record.unwrap();
            assert_eq!(record.len(), header.len(), "ragged row {record:?}");
            header
                .iter()
                .cloned()
                .zip(record.iter().map(String::from))
                .collect()
        })
        .collect();
    (header, rows)
}

fn placed_and_unplaced(timetable: &Timetable) -> usize {
    timetable
        .classes
        .iter()
        .map(|class| class.learners.len())
        .sum::<usize>()
        + timetable.unplaced.len()
}

#[test]
fn classes_csv_has_one_row_per_class_with_scenario_details_and_costs() {
    let scenario = scenario();
    let timetable = timetable(&scenario);
    let (header, rows) = read_csv(&classes_csv(&scenario, &timetable).unwrap());
    assert_eq!(header, CLASS_COLUMNS);
    assert_eq!(rows.len(), timetable.classes.len());

    let c001 = &rows[0];
    let expected = [
        ("class", "C001"),
        ("course", "nt2-a1"),
        ("kind", "nt2"),
        ("level", "A1"),
        ("language", "nl"),
        ("format", "evening-2x3"),
        ("days_and_times", "mon 18:30-21:30; thu 18:30-21:30"),
        ("weekly_hours", "6"),
        ("weeks", "20"),
        ("first_day", "2026-09-07"),
        ("last_day", "2027-01-21"),
        ("venue", "schilde-gc"),
        ("venue_name", "GC 't Schild"),
        ("municipality", "schilde"),
        ("room", "A"),
        ("room_capacity", "16"),
        ("teacher", "t-an"),
        ("teacher_name", "An"),
        ("learners", "2"),
        ("max_size", "15"),
        ("teacher_cost", "6240.00"),
        ("room_cost", "1800.00"),
    ];
    for (column, value) in expected {
        assert_eq!(c001[column], value, "column {column}");
    }
    // An MO course has no level; the Saturday class runs 4 h a week for 15 weeks.
    let c002 = &rows[1];
    assert_eq!(c002["kind"], "mo");
    assert_eq!(c002["level"], "");
    assert_eq!(c002["weekly_hours"], "4");
    assert_eq!(c002["teacher_cost"], "2880.00");
    assert_eq!(c002["room_cost"], "900.00");
    assert_eq!(rows[2]["municipality"], "zoersel");
    assert_eq!(rows[2]["room_cost"], "1200.00");
}

#[test]
fn learners_csv_has_one_row_per_need_in_scenario_order_with_reasons() {
    let scenario = scenario();
    let timetable = timetable(&scenario);
    let (header, rows) = read_csv(&learners_csv(&scenario, &timetable).unwrap());
    assert_eq!(header, LEARNER_COLUMNS);
    assert_eq!(rows.len(), placed_and_unplaced(&timetable));

    let order: Vec<(&str, &str, &str)> = rows
        .iter()
        .map(|r| {
            (
                r["learner"].as_str(),
                r["course"].as_str(),
                r["status"].as_str(),
            )
        })
        .collect();
    assert_eq!(
        order,
        [
            ("L-0001", "nt2-a1", "placed"),
            ("L-0001", "mo-ar", "placed"),
            (AWKWARD, "nt2-a1", "placed"),
            (AWKWARD, "mo-ar", "unplaced"),
            ("L-0003", "nt2-a1", "placed"),
            ("L-0004", "mo-ar", "placed"),
        ]
    );

    let placed = &rows[0];
    assert_eq!(placed["municipality"], "schilde");
    assert_eq!(placed["class"], "C001");
    assert_eq!(placed["venue_name"], "GC 't Schild");
    assert_eq!(placed["room"], "A");
    assert_eq!(placed["days_and_times"], "mon 18:30-21:30; thu 18:30-21:30");
    assert_eq!(placed["first_day"], "2026-09-07");
    assert_eq!(placed["teacher"], "t-an");
    assert_eq!(placed["reason"], "");
    // The public-transport overhead alone is 10 minutes, so the figure is a real lookup.
    let expected = scenario.learner_travel(LearnerId(0), VenueId(0));
    assert!(expected >= 10);
    assert_eq!(placed["travel_minutes"], expected.to_string());
    // L-0004 drives from Ranst to Schilde: car overhead plus some distance.
    let far = scenario.learner_travel(LearnerId(3), VenueId(0));
    assert!(far > 5);
    assert_eq!(rows[5]["travel_minutes"], far.to_string());

    let unplaced = &rows[3];
    assert_eq!(unplaced["reason"], "no-compatible-time");
    assert_eq!(unplaced["explanation"], Reason::NoCompatibleTime.explain());
    for column in [
        "class",
        "venue",
        "venue_name",
        "room",
        "days_and_times",
        "travel_minutes",
    ] {
        assert_eq!(unplaced[column], "", "column {column} of an unplaced need");
    }
}

#[test]
fn awkward_learner_id_round_trips_through_csv() {
    let scenario = scenario();
    let timetable = timetable(&scenario);
    let (_, rows) = read_csv(&learners_csv(&scenario, &timetable).unwrap());
    let awkward: Vec<_> = rows.iter().filter(|r| r["learner"] == AWKWARD).collect();
    assert_eq!(awkward.len(), 2);
    assert!(awkward.iter().all(|r| r["municipality"] == "schilde"));
}

/// Cells of a Markdown table row: splits on `|` not preceded by a backslash.
fn cells(line: &str) -> usize {
    let mut count = 0;
    let mut escaped = false;
    for c in line.chars() {
        match c {
            '\\' if !escaped => escaped = true,
            '|' if !escaped => count += 1,
            _ => escaped = false,
        }
    }
    count - 1
}

#[test]
fn summary_has_totals_grids_coverage_and_escapes_user_text() {
    let scenario = scenario();
    let timetable = timetable(&scenario);
    let summary = summary_markdown(&scenario, &timetable);

    assert!(summary.starts_with("# Timetable: KINA test\n"));
    assert!(summary.contains("Solver: optimal; objective 4217.50; best bound 4217.50"));
    for line in [
        "| Learner-needs | 6 |",
        "| Placed | 5 |",
        "| Coverage | 83.3 % |",
        "| Classes | 3 |",
        "| Teacher hours per week | 16 |",
        "| Total cost | 18780.00 |",
        "| Cost per placed need | 3756.00 |",
        "| Travel minutes (one way, all placed needs) | 48 |",
        "| no-compatible-time | 1 |",
        "| capacity | 0 |",
    ] {
        assert!(summary.contains(line), "missing `{line}` in\n{summary}");
    }

    // Coverage table, the `|` in a municipality name escaped.
    for row in [
        "| Schilde | 4 | 3 | 75.0 % |",
        "| Zoersel | 1 | 1 | 100.0 % |",
        "| Ranst \\| Oost | 1 | 1 | 100.0 % |",
    ] {
        assert!(
            summary.contains(&format!("{row}\n")),
            "missing `{row}` in\n{summary}"
        );
    }

    // A grid per venue with classes, with only the days in use and one row per time.
    let schilde = "### GC 't Schild (schilde-gc), Schilde\n\n\
        | Time | mon | thu | sat |\n\
        |---|---|---|---|\n\
        | 09:00-13:00 |  |  | C002 mo-ar (B, 2) |\n\
        | 18:30-21:30 | C001 nt2-a1 (A, 2) | C001 nt2-a1 (A, 2) |  |\n";
    assert!(summary.contains(schilde), "no Schilde grid in\n{summary}");
    assert!(summary.contains("### Bib Zoersel (zoersel-bib), Zoersel\n\n| Time | mon | thu |\n"));
    assert!(summary.contains("Venues without classes: CC Ranst (ranst-cc)."));

    // Teachers, the idle one included.
    assert!(summary.contains("| An (t-an) | 6 | 20 | C001 |"));
    assert!(summary.contains("| Bo (t-bo) | 10 | 20 | C002, C003 |"));
    assert!(summary.contains("| Cy (t-cy) | 0 | 20 | none |"));

    // The awkward id is escaped: no raw `<y>` (HTML) and no bare `|` inside the cell.
    let escaped = "L,\"x\"\\|\\<y\\>";
    assert!(
        summary.contains(&format!(
            "| {escaped} | Schilde | mo-ar | no-compatible-time |"
        )),
        "awkward learner not escaped in\n{summary}"
    );
    assert!(!summary.contains("<y>"));
    assert!(!summary.contains("\"x\"|"));

    // Every table row has as many cells as its header.
    let mut expected = None;
    for line in summary.lines() {
        if line.starts_with('|') {
            let n = cells(line);
            assert_eq!(
                *expected.get_or_insert(n),
                n,
                "row `{line}` breaks its table"
            );
        } else {
            expected = None;
        }
    }

    assert_eq!(summary, summary_markdown(&scenario, &timetable));
}

#[test]
fn newlines_in_names_do_not_break_markdown_rows() {
    let mut scenario = scenario();
    scenario.venues[0].name = "GC\n't Schild\r\nzaal".into();
    scenario.teachers[0].name = "An|\nna".into();
    let timetable = timetable(&scenario);
    let summary = summary_markdown(&scenario, &timetable);
    assert!(summary.contains("### GC 't Schild zaal (schilde-gc), Schilde\n"));
    assert!(summary.contains("| An\\| na (t-an) | 6 | 20 | C001 |\n"));
}

#[test]
fn timetable_json_reparses_to_an_equal_timetable() {
    let scenario = scenario();
    let timetable = timetable(&scenario);
    let json = timetable_json(&timetable);
    assert!(json.ends_with("}\n"));
    assert!(
        json.contains("\n  \"classes\": ["),
        "not pretty-printed:\n{json}"
    );
    let back: Timetable = serde_json::from_str(&json).unwrap();
    assert_eq!(back, timetable);
}

#[test]
fn ids_unknown_to_the_scenario_leave_cells_empty() {
    let scenario = scenario();
    let mut timetable = timetable(&scenario);
    timetable.classes.push(class(
        &scenario,
        "C9",
        "ghost-course",
        "ghost-format",
        "ghost-venue",
        "Q",
        "ghost-teacher",
        3,
        vec![session(Day::Sun, "10:00", "noon")],
        &["stranger", "L-0003"],
    ));
    timetable.unplaced.push(UnplacedNeed {
        learner: "stranger".into(),
        course: "nt2-a1".into(),
        reason: Reason::OutOfReach,
    });

    let (_, classes) = read_csv(&classes_csv(&scenario, &timetable).unwrap());
    assert_eq!(classes.len(), timetable.classes.len());
    let ghost = &classes[3];
    assert_eq!(ghost["venue"], "ghost-venue");
    for column in [
        "kind",
        "venue_name",
        "municipality",
        "room_capacity",
        "teacher_name",
        "max_size",
        "weekly_hours",
        "teacher_cost",
        "room_cost",
    ] {
        assert_eq!(ghost[column], "", "column {column}");
    }
    assert_eq!(ghost["days_and_times"], "sun 10:00-noon");

    let (_, learners) = read_csv(&learners_csv(&scenario, &timetable).unwrap());
    assert_eq!(learners.len(), placed_and_unplaced(&timetable));
    // The unknown learner comes last, both its records together; L-0003's extra record
    // for a course it does not need follows its real need.
    let tail: Vec<(&str, &str)> = learners[4..]
        .iter()
        .map(|r| (r["learner"].as_str(), r["course"].as_str()))
        .collect();
    assert_eq!(
        tail,
        [
            ("L-0003", "nt2-a1"),
            ("L-0003", "ghost-course"),
            ("L-0004", "mo-ar"),
            ("stranger", "ghost-course"),
            ("stranger", "nt2-a1"),
        ]
    );
    assert_eq!(learners[5]["travel_minutes"], "");
    assert_eq!(learners[7]["municipality"], "");
    assert_eq!(learners[8]["reason"], "out-of-reach");

    let summary = summary_markdown(&scenario, &timetable);
    assert!(summary.contains("### ghost-venue (not in the scenario)\n"));
    assert!(
        summary.contains("| Time | sun |\n|---|---|\n| 10:00-noon | C9 ghost-course (Q, 2) |\n")
    );
    assert!(summary.contains("| ghost-teacher (not in the scenario) | 0 |  | C9 |"));
}

/// Names in `dir` other than `keep`.
fn others(dir: &Path, keep: &[&str]) -> Vec<String> {
    fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| !keep.contains(&name.as_str()))
        .collect()
}

#[test]
fn write_atomic_replaces_the_whole_file_and_leaves_no_temporary_files() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("out.txt");
    write_atomic(&path, &[b'x'; 10_000]).unwrap();
    assert_eq!(fs::read(&path).unwrap(), vec![b'x'; 10_000]);
    write_atomic(&path, b"short").unwrap();
    assert_eq!(fs::read(&path).unwrap(), b"short");
    assert!(others(dir.path(), &["out.txt"]).is_empty());
}

#[cfg(unix)]
#[test]
fn write_atomic_gives_the_permissions_of_a_plainly_created_file() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = tempfile::tempdir().unwrap();
    let plain = dir.path().join("plain.txt");
    fs::write(&plain, b"x").unwrap();
    let atomic = dir.path().join("atomic.txt");
    write_atomic(&atomic, b"x").unwrap();
    let mode = |path: &Path| fs::metadata(path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&atomic), mode(&plain));
}

#[test]
fn writing_below_a_regular_file_fails_naming_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("blocker");
    fs::write(&blocker, b"not a directory").unwrap();

    let target = blocker.join("timetable.json");
    let error = write_atomic(&target, b"{}").unwrap_err();
    assert!(matches!(&error, WriteError::Io { path, .. } if *path == target));
    assert!(
        error.to_string().contains(&target.display().to_string()),
        "{error}"
    );

    let scenario = scenario();
    let timetable = timetable(&scenario);
    let out = blocker.join("out");
    let error = write_all(&out, &scenario, &timetable).unwrap_err();
    assert!(
        error.to_string().contains(&out.display().to_string()),
        "{error}"
    );
    assert_eq!(fs::read(&blocker).unwrap(), b"not a directory");
    assert!(others(dir.path(), &["blocker"]).is_empty());
}

#[test]
fn write_all_creates_the_directory_and_writes_the_four_files() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run").join("one");
    let scenario = scenario();
    let timetable = timetable(&scenario);
    let written = write_all(&out, &scenario, &timetable).unwrap();
    let names: Vec<_> = written
        .iter()
        .map(|path| path.strip_prefix(&out).unwrap().to_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "timetable.json",
            "classes.csv",
            "learners.csv",
            "summary.md"
        ]
    );
    assert_eq!(
        fs::read_to_string(&written[0]).unwrap(),
        timetable_json(&timetable)
    );
    assert_eq!(
        fs::read(&written[1]).unwrap(),
        classes_csv(&scenario, &timetable).unwrap()
    );
    assert_eq!(
        fs::read(&written[2]).unwrap(),
        learners_csv(&scenario, &timetable).unwrap()
    );
    assert_eq!(
        fs::read_to_string(&written[3]).unwrap(),
        summary_markdown(&scenario, &timetable)
    );
    assert!(others(&out, &names).is_empty());

    // A second run over the same directory replaces the files.
    let mut smaller = timetable.clone();
    smaller.classes.truncate(1);
    write_all(&out, &scenario, &smaller).unwrap();
    let (_, rows) = read_csv(&fs::read(&written[1]).unwrap());
    assert_eq!(rows.len(), 1);
    assert!(others(&out, &names).is_empty());
}

#[test]
fn loaded_fixture_gives_the_same_tables_as_the_built_scenario() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/write/scenario.toml");
    let loaded = roosteraar::input::load_scenario(&path).unwrap();
    assert_eq!(loaded.learners[1].id, AWKWARD);
    let built = scenario();
    let timetable = timetable(&built);
    assert_eq!(
        String::from_utf8(classes_csv(&loaded, &timetable).unwrap()).unwrap(),
        String::from_utf8(classes_csv(&built, &timetable).unwrap()).unwrap()
    );
    assert_eq!(
        String::from_utf8(learners_csv(&loaded, &timetable).unwrap()).unwrap(),
        String::from_utf8(learners_csv(&built, &timetable).unwrap()).unwrap()
    );
    assert_eq!(
        summary_markdown(&loaded, &timetable),
        summary_markdown(&built, &timetable)
    );
}
