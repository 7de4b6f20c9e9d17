//! Tests of the report: `report.html` as a real browser shows it, the calendars as an
//! independent iCalendar parser reads them, `referrals.csv`, hostile ids, and the `report`
//! command.

use std::collections::{BTreeMap, HashSet};
use std::fs;
use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use jiff::civil::Date;
use roosteraar::domain::{DEFAULT_TIMEZONE, Scenario};
use roosteraar::input::{load_scenario, load_scenario_str};
use roosteraar::report::{REFERRAL_COLUMNS, calendars, write_report};
use roosteraar::solve::{SolveSettings, solve};
use roosteraar::time::Day;
use roosteraar::timetable::Timetable;
use roosteraar::verify::verify;
use scraper::{Html, Selector};

use crate::solve::instance;

/// A learner id that would run a script if the report pasted it into the page.
const HOSTILE: &str = "<script>alert(1)</script>";

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/report")
        .join(name)
}

/// Solves with fixed settings and checks the timetable with `verify`.
fn solve_verified(scenario: &Scenario) -> Timetable {
    let settings = SolveSettings {
        threads: Some(1),
        seed: Some(1),
        gap: Some(0.01),
        ..SolveSettings::default()
    };
    let timetable = solve(scenario, &settings)
        .expect("a well-formed scenario always has a timetable")
        .timetable;
    let violations = verify(scenario, &timetable);
    assert!(
        violations.is_empty(),
        "verify rejects the timetable:\n{}",
        violations
            .iter()
            .map(|v| v.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    );
    timetable
}

/// `instances/kina.toml` with one more learner whose id is [`HOSTILE`], solved once for
/// all tests here.
fn kina() -> &'static (Scenario, Timetable) {
    static KINA: OnceLock<(Scenario, Timetable)> = OnceLock::new();
    KINA.get_or_init(|| {
        let mut scenario = load_scenario(&instance("kina.toml")).unwrap();
        let mut hostile = scenario.learners[0].clone();
        hostile.id = HOSTILE.to_string();
        scenario.ids.learners.insert(
            HOSTILE.to_string(),
            roosteraar::domain::LearnerId(scenario.learners.len()),
        );
        scenario.learners.push(hostile);
        let timetable = solve_verified(&scenario);
        (scenario, timetable)
    })
}

/// The Chromium binary; the test fails (does not skip) without it, since `scripts/setup`
/// installs it.
fn chromium() -> PathBuf {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .flat_map(|dir| ["chromium", "chromium-browser"].map(|name| dir.join(name)))
            .find(|path| path.is_file())
    });
    found.unwrap_or_else(|| {
        panic!(
            "chromium is not installed, and the report's browser test needs it: run \
             `scripts/setup` (or `apt-get install chromium`) and test again"
        )
    })
}

/// Runs headless Chromium on `page` with `extra` arguments in a fresh profile; returns its
/// standard output. Fails the test when Chromium fails or takes more than two minutes.
fn run_chromium(page: &Path, extra: &[String]) -> String {
    let profile = tempfile::tempdir().unwrap();
    let out_path = profile.path().join("stdout");
    let err_path = profile.path().join("stderr");
    let mut child = Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .arg(format!(
            "--user-data-dir={}",
            profile.path().join("profile").display()
        ))
        .args(extra)
        .arg(format!("file://{}", page.display()))
        .stdin(Stdio::null())
        .stdout(fs::File::create(&out_path).unwrap())
        .stderr(fs::File::create(&err_path).unwrap())
        .spawn()
        .expect("chromium starts");
    let deadline = Instant::now() + Duration::from_secs(120);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium did not finish within two minutes");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(
        status.success(),
        "chromium failed ({status}):\n{}",
        fs::read_to_string(&err_path).unwrap_or_default()
    );
    fs::read_to_string(out_path).unwrap()
}

/// The DOM of `page` after Chromium has loaded it.
fn dump_dom(page: &Path) -> Html {
    let dom = run_chromium(page, &["--dump-dom".to_string()]);
    assert!(dom.contains("</html>"), "no DOM from chromium: {dom:.200}");
    Html::parse_document(&dom)
}

fn select<'a>(html: &'a Html, selector: &str) -> Vec<scraper::ElementRef<'a>> {
    let parsed = Selector::parse(selector).unwrap_or_else(|e| panic!("{selector}: {e:?}"));
    html.select(&parsed).collect()
}

fn text(element: scraper::ElementRef<'_>) -> String {
    element.text().collect()
}

/// No element the page did not mean to have: no script, image, frame, or event handler.
fn assert_nothing_injected(html: &Html) {
    assert!(
        select(html, "script").is_empty(),
        "a script element is in the DOM"
    );
    assert!(select(html, "img, iframe, object, embed").is_empty());
    for element in select(html, "*") {
        for (name, _) in element.value().attrs() {
            assert!(!name.starts_with("on"), "event handler `{name}` in the DOM");
        }
    }
}

#[test]
fn kina_report_shows_grids_figures_and_coverage_in_a_browser() {
    let (scenario, timetable) = kina();
    let dir = tempfile::tempdir().unwrap();
    write_report(dir.path(), scenario, timetable, &[]).unwrap();
    let page = dir.path().join("report.html");
    let dom = dump_dom(&page);

    // One grid per venue with classes, in which each weekly session is one block.
    let mut sessions: BTreeMap<&str, usize> = BTreeMap::new();
    let mut classes: BTreeMap<&str, HashSet<&str>> = BTreeMap::new();
    for class in &timetable.classes {
        *sessions.entry(&class.venue).or_default() += class.sessions.len();
        classes.entry(&class.venue).or_default().insert(&class.id);
    }
    assert!(sessions.len() > 1);
    let grids = select(&dom, "section#venues article.week");
    assert_eq!(grids.len(), sessions.len());
    for grid in grids {
        let venue = grid.value().attr("data-venue").unwrap();
        let blocks: Vec<_> = grid.select(&Selector::parse(".block").unwrap()).collect();
        assert_eq!(blocks.len(), sessions[venue], "blocks of venue {venue}");
        let shown: HashSet<&str> = blocks
            .iter()
            .map(|b| b.value().attr("data-class").unwrap())
            .collect();
        assert_eq!(shown, classes[venue], "classes of venue {venue}");
    }
    let teachers: HashSet<&str> = timetable
        .classes
        .iter()
        .map(|c| c.teacher.as_str())
        .collect();
    assert_eq!(
        select(&dom, "section#teachers article.week").len(),
        teachers.len()
    );

    // The headline figures are the timetable's own.
    let figure = |id: &str| {
        let value = select(&dom, &format!("#{id} .value"));
        assert_eq!(value.len(), 1, "{id}");
        value[0].value().attr("data-value").unwrap().to_string()
    };
    assert_eq!(figure("figure-needs"), timetable.summary.needs.to_string());
    assert_eq!(
        figure("figure-placed"),
        timetable.summary.placed.to_string()
    );
    assert_eq!(figure("figure-solver"), timetable.solver.status.name());
    let coverage = text(select(&dom, "#figure-coverage .value")[0]);
    let expected = timetable.summary.placed as f64 * 100.0 / timetable.summary.needs as f64;
    assert_eq!(coverage, format!("{expected:.1} %"));

    // One bar per municipality with demand, with its numbers.
    let with_demand: BTreeMap<&str, (u64, u64)> = timetable
        .summary
        .by_municipality
        .iter()
        .filter(|row| row.needs > 0)
        .map(|row| (row.municipality.as_str(), (row.needs, row.placed)))
        .collect();
    let bars = select(&dom, "svg#coverage-chart rect.bar");
    assert_eq!(bars.len(), with_demand.len());
    for bar in bars {
        let attr = |name| bar.value().attr(name).unwrap();
        let (needs, placed) = with_demand[attr("data-municipality")];
        assert_eq!(attr("data-needs"), needs.to_string());
        assert_eq!(attr("data-placed"), placed.to_string());
    }
    assert_eq!(
        select(&dom, "svg#coverage-map circle.municipality").len(),
        scenario.municipalities.len()
    );

    // The hostile learner id is text, in the referral list, and nothing was injected.
    assert_nothing_injected(&dom);
    let rows = select(&dom, "table.referrals tr[data-learner]");
    let hostile: Vec<_> = rows
        .iter()
        .filter(|row| row.value().attr("data-learner") == Some(HOSTILE))
        .collect();
    assert_eq!(hostile.len(), scenario.learners[0].needs.len());
    assert!(text(*hostile[0]).contains(HOSTILE));

    // A screenshot under the build directory, to look at.
    let target = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let shot = target
        .parent()
        .unwrap_or(target)
        .join("report-screenshot.png");
    let _ = fs::remove_file(&shot);
    run_chromium(
        &page,
        &[
            format!("--screenshot={}", shot.display()),
            "--window-size=1400,4000".to_string(),
        ],
    );
    let png = fs::read(&shot).expect("chromium wrote the screenshot");
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");
    // A blank 1400x4000 page compresses to a few kilobytes; grids and charts do not.
    assert!(png.len() > 100_000, "screenshot of {} bytes", png.len());
    eprintln!("report screenshot: {}", shot.display());
}

/// Reverses the TEXT escaping of RFC 5545 §3.3.11.
fn unescape(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') | Some('N') => out.push('\n'),
                Some(other) => out.push(other),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Parses one calendar file with the `ical` crate.
fn parse_calendar(text: &str) -> ical::parser::ical::component::IcalCalendar {
    let mut parser = ical::IcalParser::new(BufReader::new(text.as_bytes()));
    let calendar = parser
        .next()
        .expect("one calendar")
        .unwrap_or_else(|e| panic!("not iCalendar: {e}\n{text}"));
    assert!(parser.next().is_none(), "more than one calendar in a file");
    calendar
}

fn property<'a>(
    properties: &'a [ical::property::Property],
    name: &str,
) -> &'a ical::property::Property {
    let found: Vec<_> = properties.iter().filter(|p| p.name == name).collect();
    assert_eq!(found.len(), 1, "{name} in {properties:?}");
    found[0]
}

fn value(properties: &[ical::property::Property], name: &str) -> String {
    property(properties, name).value.clone().unwrap_or_default()
}

fn param(properties: &[ical::property::Property], name: &str, key: &str) -> String {
    let params = property(properties, name)
        .params
        .clone()
        .unwrap_or_default();
    let found: Vec<_> = params.iter().filter(|(k, _)| k == key).collect();
    assert_eq!(found.len(), 1, "{key} of {name}");
    found[0].1.join(",")
}

fn compact(date: Date, clock: &str) -> String {
    format!("{}T{}00", date.strftime("%Y%m%d"), clock.replace(':', ""))
}

/// The date of the first `day` on or after `from`.
fn first_on(from: Date, day: Day) -> Date {
    let mut date = from;
    while date.weekday().to_monday_zero_offset() as u32 != day.index() {
        date = date.tomorrow().unwrap();
    }
    date
}

#[test]
fn calendars_read_back_as_the_timetable_with_brussels_time() {
    let (scenario, timetable) = kina();
    let files = calendars(scenario, timetable).unwrap();
    let by_name: BTreeMap<&str, &str> = files
        .iter()
        .map(|f| (f.name.as_str(), f.text.as_str()))
        .collect();
    let mut uids = HashSet::new();
    for class in &timetable.classes {
        let text = by_name[format!("class-{}.ics", class.id).as_str()];
        for line in text.split("\r\n") {
            assert!(line.len() <= 75, "line of {} octets: {line}", line.len());
        }
        let calendar = parse_calendar(text);
        assert_eq!(value(&calendar.properties, "VERSION"), "2.0");
        assert_eq!(calendar.timezones.len(), 1);
        let zone = &calendar.timezones[0];
        assert_eq!(value(&zone.properties, "TZID"), DEFAULT_TIMEZONE);
        assert_eq!(calendar.events.len(), class.sessions.len(), "{}", class.id);

        let first_day: Date = class.first_day.parse().unwrap();
        let mut last_dates = Vec::new();
        for (event, session) in calendar.events.iter().zip(&class.sessions) {
            let p = &event.properties;
            let date = first_on(first_day, session.day);
            assert_eq!(value(p, "DTSTART"), compact(date, &session.start));
            assert_eq!(value(p, "DTEND"), compact(date, &session.end));
            assert_eq!(param(p, "DTSTART", "TZID"), DEFAULT_TIMEZONE);
            assert_eq!(param(p, "DTEND", "TZID"), DEFAULT_TIMEZONE);
            assert_eq!(
                value(p, "RRULE"),
                format!("FREQ=WEEKLY;COUNT={}", class.weeks)
            );
            assert!(uids.insert(value(p, "UID")), "UID repeated");
            assert!(unescape(&value(p, "SUMMARY")).contains(&class.course));
            let venue = &scenario.venues[scenario.ids.venues[&class.venue].0];
            assert_eq!(
                unescape(&value(p, "LOCATION")),
                format!("{}, room {}", venue.name, class.room)
            );
            let description = unescape(&value(p, "DESCRIPTION"));
            assert!(description.contains(&format!("Learners: {}\n", class.learners.len())));
            assert!(description.contains(&class.teacher));
            last_dates.push(
                date.checked_add(jiff::Span::new().days(7 * (i64::from(class.weeks) - 1)))
                    .unwrap(),
            );
        }
        // The last weekly occurrence is the timetable's last day.
        assert_eq!(
            last_dates.iter().max().unwrap().to_string(),
            class.last_day,
            "{}",
            class.id
        );
    }

    // The term (September to January) crosses the end of summer time on 25 October 2026:
    // the zone says so, from +02:00 to +01:00 at 03:00 local summer time.
    let text = by_name[format!("class-{}.ics", timetable.classes[0].id).as_str()];
    let calendar = parse_calendar(text);
    let transitions = &calendar.timezones[0].transitions;
    let autumn = transitions
        .iter()
        .find(|t| value(&t.properties, "DTSTART") == "20261025T030000")
        .expect("the October 2026 change");
    assert!(matches!(
        autumn.transition,
        ical::parser::ical::component::IcalTimeZoneTransitionType::STANDARD
    ));
    assert_eq!(value(&autumn.properties, "TZOFFSETFROM"), "+0200");
    assert_eq!(value(&autumn.properties, "TZOFFSETTO"), "+0100");
    assert_eq!(value(&autumn.properties, "TZNAME"), "CET");
    let spring = transitions
        .iter()
        .find(|t| value(&t.properties, "DTSTART") == "20260329T020000")
        .expect("the summer time in force on the first day");
    assert_eq!(value(&spring.properties, "TZOFFSETTO"), "+0200");

    // Teacher and venue calendars hold every session of their classes.
    for prefix in ["teacher", "venue"] {
        let mut expected: BTreeMap<&str, usize> = BTreeMap::new();
        for class in &timetable.classes {
            let id = if prefix == "teacher" {
                &class.teacher
            } else {
                &class.venue
            };
            *expected.entry(id).or_default() += class.sessions.len();
        }
        for (id, count) in &expected {
            let calendar = parse_calendar(by_name[format!("{prefix}-{id}.ics").as_str()]);
            assert_eq!(calendar.events.len(), *count, "{prefix} {id}");
        }
        assert_eq!(
            files
                .iter()
                .filter(|f| f.name.starts_with(&format!("{prefix}-")))
                .count(),
            expected.len()
        );
    }

    // The same input gives the same bytes: no clock time in the files.
    assert_eq!(calendars(scenario, timetable).unwrap(), files);
}

/// The tiny instance with `extra` lines added to its `[scenario]` table.
fn tiny_with(extra: &str) -> Result<Scenario, roosteraar::input::InputErrors> {
    let text = fs::read_to_string(instance("tiny.toml")).unwrap().replacen(
        "[scenario]\n",
        &format!("[scenario]\n{extra}\n"),
        1,
    );
    load_scenario_str(&text, &instance("tiny.toml"))
}

#[test]
fn the_time_zone_is_read_checked_and_used_by_the_calendars() {
    assert_eq!(tiny_with("").unwrap().timezone, "Europe/Brussels");
    assert_eq!(
        tiny_with("timezone = \"europe/amsterdam\"")
            .unwrap()
            .timezone,
        "Europe/Amsterdam"
    );
    let errors = tiny_with("timezone = \"Europe/Brussel\"").unwrap_err();
    let message = errors.to_string();
    assert!(message.contains("`timezone`"), "{message}");
    assert!(
        message.contains("Europe/Brussels"),
        "no suggestion: {message}"
    );
    assert_eq!(errors.0[0].line, 19, "{message}");
    assert!(tiny_with("timezone = 3").is_err());

    // New York leaves summer time on 1 November 2026, a week after Brussels.
    let scenario = tiny_with("timezone = \"America/New_York\"").unwrap();
    let timetable = solve_verified(&scenario);
    assert!(!timetable.classes.is_empty());
    let files = calendars(&scenario, &timetable).unwrap();
    let calendar = parse_calendar(&files[0].text);
    assert_eq!(
        value(&calendar.timezones[0].properties, "TZID"),
        "America/New_York"
    );
    let change = calendar.timezones[0]
        .transitions
        .iter()
        .find(|t| value(&t.properties, "DTSTART") == "20261101T020000")
        .expect("the November change");
    assert_eq!(value(&change.properties, "TZOFFSETFROM"), "-0400");
    assert_eq!(value(&change.properties, "TZOFFSETTO"), "-0500");
    assert_eq!(
        param(&calendar.events[0].properties, "DTSTART", "TZID"),
        "America/New_York"
    );

    // A zone without summer time still gets a valid VTIMEZONE.
    let scenario = tiny_with("timezone = \"UTC\"").unwrap();
    let files = calendars(&scenario, &timetable).unwrap();
    let calendar = parse_calendar(&files[0].text);
    let zone = &calendar.timezones[0];
    assert_eq!(zone.transitions.len(), 1);
    assert_eq!(
        value(&zone.transitions[0].properties, "TZOFFSETTO"),
        "+0000"
    );
}

fn read_csv(bytes: &[u8]) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::Reader::from_reader(bytes);
    let header = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    let rows = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    (header, rows)
}

#[test]
fn hostile_ids_and_names_are_text_in_the_page_csvs_and_calendars() {
    let scenario = load_scenario(&fixture("hostile.toml")).unwrap();
    assert_eq!(scenario.timezone, "Europe/Brussels");
    let address = "Markt 1, 2970 Schilde; \"achter\" de kerk \\ links";
    assert_eq!(scenario.venues[0].address.as_deref(), Some(address));
    let timetable = solve_verified(&scenario);
    assert!(!timetable.classes.is_empty());
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    roosteraar::write::write_all(&out, &scenario, &timetable).unwrap();
    write_report(&out, &scenario, &timetable, &[]).unwrap();

    // The page, as the browser builds it: every hostile string is text.
    let dom = dump_dom(&out.join("report.html"));
    assert_nothing_injected(&dom);
    let title = text(select(&dom, "title")[0]);
    assert_eq!(title, format!("Timetable report: {}", scenario.name));
    let body = text(select(&dom, "body")[0]);
    let learners: Vec<&str> = scenario.learners.iter().map(|l| l.id.as_str()).collect();
    for shown in learners.iter().copied().chain([
        scenario.venues[0].name.as_str(),
        address,
        "An <em>",
        "Schilde <i>",
    ]) {
        assert!(body.contains(shown), "`{shown}` is not on the page as text");
    }
    assert_eq!(
        select(&dom, "section#venues article.week")[0]
            .value()
            .attr("data-venue"),
        Some(scenario.venues[0].id.as_str())
    );
    // The employed learner's week strip is drawn.
    assert_eq!(
        select(&dom, "#employed .person")[0]
            .value()
            .attr("data-learner"),
        Some(learners[0])
    );

    // Both CSVs read back to the very same ids, names and address.
    let (header, rows) = read_csv(&fs::read(out.join("referrals.csv")).unwrap());
    assert_eq!(header, REFERRAL_COLUMNS);
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let ids: Vec<&str> = rows.iter().map(|r| r[column("learner")].as_str()).collect();
    let expected: Vec<&str> = learners.iter().flat_map(|id| [*id, *id]).collect();
    assert_eq!(ids, expected);
    for row in &rows {
        match row[column("status")].as_str() {
            "placed" => {
                assert_eq!(row[column("address")], address);
                assert_eq!(row[column("venue")], scenario.venues[0].name);
                assert_eq!(row[column("teacher")], "An <em>");
                assert_eq!(row[column("room")], "A,1");
                assert!(row[column("reason")].is_empty());
            }
            "unplaced" => assert!(!row[column("reason")].is_empty()),
            other => panic!("status {other}"),
        }
    }
    let (_, rows) = read_csv(&fs::read(out.join("learners.csv")).unwrap());
    let ids: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(ids, expected);

    // Calendar files stay in calendar/ with tame names; the text survives escaping.
    let names: Vec<String> = fs::read_dir(out.join("calendar"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(names.len(), 3, "{names:?}");
    for name in &names {
        assert!(
            name.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c)),
            "{name}"
        );
    }
    let venue = names.iter().find(|n| n.starts_with("venue-")).unwrap();
    let calendar = parse_calendar(&fs::read_to_string(out.join("calendar").join(venue)).unwrap());
    assert_eq!(
        unescape(&value(&calendar.events[0].properties, "LOCATION")),
        format!("{}, room A,1, {address}", scenario.venues[0].name)
    );
    assert!(
        unescape(&value(&calendar.events[0].properties, "DESCRIPTION"))
            .contains("Teacher: An <em> (t/../an)")
    );
}

#[test]
fn a_second_report_removes_calendars_of_classes_that_are_gone_and_nothing_else() {
    let (scenario, timetable) = kina();
    let dir = tempfile::tempdir().unwrap();
    write_report(dir.path(), scenario, timetable, &[]).unwrap();
    let calendar = dir.path().join("calendar");
    fs::write(calendar.join("notes.txt"), "mine").unwrap();
    fs::write(calendar.join("holidays.ics"), "mine").unwrap();
    let mut smaller = timetable.clone();
    let gone = smaller.classes.pop().unwrap();
    let written = write_report(dir.path(), scenario, &smaller, &[]).unwrap();
    assert!(!calendar.join(format!("class-{}.ics", gone.id)).exists());
    assert!(
        calendar
            .join(format!("class-{}.ics", smaller.classes[0].id))
            .exists()
    );
    assert!(calendar.join("notes.txt").exists() && calendar.join("holidays.ics").exists());
    let on_disk = fs::read_dir(&calendar).unwrap().count();
    let calendars_written = written.iter().filter(|p| p.starts_with(&calendar)).count();
    assert_eq!(calendars_written, written.len() - 2);
    assert_eq!(on_disk, calendars_written + 2);
}

#[test]
fn the_report_of_a_broken_timetable_lists_what_is_broken() {
    let (scenario, timetable) = kina();
    let mut broken = timetable.clone();
    broken.classes[0].room = "no-such-room".to_string();
    let violations = verify(scenario, &broken);
    assert!(!violations.is_empty());
    let html = roosteraar::report::report_html(scenario, &broken, &violations);
    let page = Html::parse_document(&html);
    let notice = select(&page, "#violations");
    assert_eq!(notice.len(), 1);
    assert!(text(notice[0]).contains(&violations[0].to_string()));
    let clean = Html::parse_document(&roosteraar::report::report_html(scenario, timetable, &[]));
    assert!(select(&clean, "#violations").is_empty());
}

mod cli {
    use assert_cmd::Command;
    use predicates::prelude::*;

    use super::*;

    fn roosteraar() -> Command {
        let mut command = Command::cargo_bin("roosteraar").unwrap();
        command.env("NO_COLOR", "1");
        command
    }

    #[test]
    fn solve_writes_the_report_and_report_rewrites_it_from_the_timetable() {
        let dir = tempfile::tempdir().unwrap();
        let solved = dir.path().join("solved");
        roosteraar()
            .args(["solve", "--threads", "1", "--seed", "1"])
            .arg(instance("tiny.toml"))
            .arg("-o")
            .arg(&solved)
            .assert()
            .code(0);
        for file in ["report.html", "referrals.csv", "timetable.json"] {
            assert!(solved.join(file).is_file(), "{file}");
        }
        let timetable: Timetable =
            serde_json::from_str(&fs::read_to_string(solved.join("timetable.json")).unwrap())
                .unwrap();
        for class in &timetable.classes {
            assert!(
                solved
                    .join(format!("calendar/class-{}.ics", class.id))
                    .is_file()
            );
        }

        let again = dir.path().join("again");
        roosteraar()
            .arg("report")
            .arg(instance("tiny.toml"))
            .arg(solved.join("timetable.json"))
            .arg("-o")
            .arg(&again)
            .assert()
            .code(0)
            .stderr(predicate::str::contains("breaks").not());
        // Everything but the solver's seconds is the same, so the files are too.
        assert_eq!(
            fs::read(again.join("referrals.csv")).unwrap(),
            fs::read(solved.join("referrals.csv")).unwrap()
        );
        assert_eq!(
            fs::read(
                again
                    .join("calendar")
                    .join(format!("class-{}.ics", timetable.classes[0].id))
            )
            .unwrap(),
            fs::read(
                solved
                    .join("calendar")
                    .join(format!("class-{}.ics", timetable.classes[0].id))
            )
            .unwrap()
        );
        assert!(!again.join("timetable.json").exists());

        // A timetable that breaks rules: warned about, still written.
        let mut broken = timetable.clone();
        broken.classes[0].room = "no-such-room".to_string();
        let broken_path = dir.path().join("broken.json");
        fs::write(&broken_path, roosteraar::write::timetable_json(&broken)).unwrap();
        let warned = dir.path().join("warned");
        roosteraar()
            .arg("report")
            .arg(instance("tiny.toml"))
            .arg(&broken_path)
            .arg("-o")
            .arg(&warned)
            .assert()
            .code(0)
            .stderr(
                predicate::str::contains("breaks").and(predicate::str::contains("no-such-room")),
            );
        let html = fs::read_to_string(warned.join("report.html")).unwrap();
        assert!(html.contains("id=\"violations\""));
    }

    #[test]
    fn report_rejects_bad_input_with_exit_2() {
        let dir = tempfile::tempdir().unwrap();
        let bad = dir.path().join("bad.json");
        fs::write(&bad, "{ \"scenario\": 3 }").unwrap();
        let out = dir.path().join("out");
        roosteraar()
            .arg("report")
            .arg(instance("tiny.toml"))
            .arg(&bad)
            .arg("-o")
            .arg(&out)
            .assert()
            .code(2)
            .stderr(predicate::str::contains("bad.json"));
        assert!(!out.exists());
        roosteraar()
            .arg("report")
            .arg(instance("tiny.toml"))
            .arg(&bad)
            .args(["-o", "-"])
            .assert()
            .code(2);
        roosteraar()
            .arg("report")
            .arg(instance("tiny.toml"))
            .arg(&bad)
            .assert()
            .code(2);
    }
}
