//! Reading the scenario TOML into raw entities: every table on its own, every field on its
//! own, so that one bad entity hides nothing about the others.

use std::collections::{HashMap, HashSet};

use jiff::civil::{Date, Weekday};
use toml::de::{DeTable, DeValue};

use super::fields::{Fields, Value, describe};
use super::raw::{
    Head, RawCourse, RawDocument, RawFormat, RawLearner, RawMunicipality, RawOverride, RawShift,
    RawTeacher, RawTravel, RawVenue,
};
use super::report::{At, Place, Report};
use super::rules;
use super::source::Source;
use super::suggest;
use crate::domain::{
    CourseKind, DEFAULT_TIMEZONE, Mode, ObjectiveWeights, OptionalHours, Room, TravelSettings,
};
use crate::time::{Session, WeekSet};

/// The top-level tables of a scenario file.
const TOP: &[&str] = &[
    "scenario",
    "objective",
    "budget",
    "travel",
    "municipality",
    "venue",
    "teacher",
    "format",
    "course",
    "shift",
    "learner",
];

const SCENARIO_FIELDS: &[&str] = &["name", "start", "weeks", "learners", "timezone"];
const OBJECTIVE_FIELDS: &[&str] = &["serve", "teacher_cost", "room_cost", "travel", "fairness"];
const BUDGET_FIELDS: &[&str] = &["max_cost"];
const TRAVEL_FIELDS: &[&str] = &["detour", "speed_kmh", "overhead_min", "override"];
const MODE_FIELDS: &[&str] = &["walk", "bike", "public", "car"];
const OVERRIDE_FIELDS: &[&str] = &["from", "to", "mode", "minutes"];
const MUNICIPALITY_FIELDS: &[&str] = &["id", "name", "lat", "lon"];
const VENUE_FIELDS: &[&str] = &[
    "id",
    "name",
    "municipality",
    "open",
    "cost_per_hour",
    "employer",
    "address",
    "rooms",
    "optional_open",
];
const ROOM_FIELDS: &[&str] = &["id", "capacity", "optional", "fixed_cost"];
const OPTIONAL_OPEN_FIELDS: &[&str] = &["id", "windows", "fixed_cost"];
const TEACHER_FIELDS: &[&str] = &[
    "id",
    "name",
    "municipality",
    "mode",
    "teaches",
    "available",
    "max_hours",
    "cost_per_hour",
    "optional",
    "fixed_cost",
];
const FORMAT_FIELDS: &[&str] = &["id", "sessions"];
const COURSE_FIELDS: &[&str] = &[
    "id", "kind", "level", "language", "hours", "min_size", "max_size", "formats",
];
const SHIFT_FIELDS: &[&str] = &["id", "weeks"];
/// A learner table has the same fields as the learner CSV has columns.
const LEARNER_FIELDS: &[&str] = &super::learners_csv::COLUMNS;

/// Default `max_travel` of a learner, minutes (SPEC section 3).
pub(super) const DEFAULT_MAX_TRAVEL: u32 = 60;
/// Default `priority` of a learner (SPEC section 3).
pub(super) const DEFAULT_PRIORITY: f64 = 1.0;
/// Default travel mode of learners and teachers.
pub(super) const DEFAULT_MODE: Mode = Mode::Public;
/// Language of instruction of an NT2 course when none is given.
const DEFAULT_NT2_LANGUAGE: &str = "nl";

/// Reads the whole document. `default_name` names the scenario when `[scenario]` has no
/// `name`.
pub(super) fn read(
    src: &Source<'_>,
    report: &mut Report,
    root: &DeTable<'_>,
    default_name: &str,
) -> RawDocument {
    for (key, _) in root.iter() {
        if !TOP.contains(&key.get_ref().as_ref()) {
            report.error(
                src.place(key.span().start),
                format!("unknown table `{}`", rules::quote(key.get_ref())),
                suggest::help_for_unknown_name(key.get_ref(), TOP, "tables of a scenario"),
            );
        }
    }
    let mut doc = RawDocument {
        head: Head::default(),
        objective: Some(ObjectiveWeights::default()),
        max_cost: Some(None),
        travel: RawTravel {
            detour: Some(TravelSettings::default().detour),
            speed_kmh: TravelSettings::default().speed_kmh.map(Some),
            overhead_min: TravelSettings::default().overhead_min.map(Some),
            overrides: Vec::new(),
        },
        municipalities: Vec::new(),
        venues: Vec::new(),
        teachers: Vec::new(),
        formats: Vec::new(),
        courses: Vec::new(),
        shifts: Vec::new(),
        learners: Vec::new(),
    };
    match single(src, report, root, "scenario") {
        Some((table, start)) => {
            let mut f = Fields::new(
                src,
                report,
                table,
                start,
                "[scenario]".into(),
                "[scenario]",
                SCENARIO_FIELDS,
            );
            doc.head = head(&mut f, default_name);
            f.finish();
        }
        None if root.get("scenario").is_none() => report.error(
            src.place(0),
            "the scenario has no `[scenario]` table",
            "add a `[scenario]` table with `start = \"2026-09-07\"` (a Monday) and `weeks = 16`",
        ),
        None => {}
    }
    if let Some((table, start)) = single(src, report, root, "objective") {
        let mut f = Fields::new(
            src,
            report,
            table,
            start,
            "[objective]".into(),
            "[objective]",
            OBJECTIVE_FIELDS,
        );
        doc.objective = objective(&mut f);
        f.finish();
    }
    if let Some((table, start)) = single(src, report, root, "budget") {
        let mut f = Fields::new(
            src,
            report,
            table,
            start,
            "[budget]".into(),
            "[budget]",
            BUDGET_FIELDS,
        );
        doc.max_cost = match f.raw("max_cost") {
            None => Some(None),
            Some(_) => f
                .number("max_cost", false, rules::BUDGET)
                .map(|c| Some(c.value)),
        };
        f.finish();
    }
    if let Some((table, start)) = single(src, report, root, "travel") {
        let mut f = Fields::new(
            src,
            report,
            table,
            start,
            "[travel]".into(),
            "[travel]",
            TRAVEL_FIELDS,
        );
        travel(&mut f, &mut doc.travel);
        f.finish();
    }
    for (n, (table, start)) in list(src, report, root, "municipality")
        .into_iter()
        .enumerate()
    {
        let mut f = entity(
            src,
            report,
            table,
            start,
            "municipality",
            n,
            MUNICIPALITY_FIELDS,
        );
        doc.municipalities.push(municipality(&mut f));
        f.finish();
    }
    for (n, (table, start)) in list(src, report, root, "venue").into_iter().enumerate() {
        let mut f = entity(src, report, table, start, "venue", n, VENUE_FIELDS);
        doc.venues.push(venue(&mut f));
        f.finish();
    }
    for (n, (table, start)) in list(src, report, root, "teacher").into_iter().enumerate() {
        let mut f = entity(src, report, table, start, "teacher", n, TEACHER_FIELDS);
        doc.teachers.push(teacher(&mut f));
        f.finish();
    }
    for (n, (table, start)) in list(src, report, root, "format").into_iter().enumerate() {
        let mut f = entity(src, report, table, start, "format", n, FORMAT_FIELDS);
        doc.formats.push(format(&mut f));
        f.finish();
    }
    for (n, (table, start)) in list(src, report, root, "course").into_iter().enumerate() {
        let mut f = entity(src, report, table, start, "course", n, COURSE_FIELDS);
        doc.courses.push(course(&mut f));
        f.finish();
    }
    for (n, (table, start)) in list(src, report, root, "shift").into_iter().enumerate() {
        let mut f = entity(src, report, table, start, "shift", n, SHIFT_FIELDS);
        doc.shifts.push(shift(&mut f));
        f.finish();
    }
    for (n, (table, start)) in list(src, report, root, "learner").into_iter().enumerate() {
        let mut f = entity(src, report, table, start, "learner", n, LEARNER_FIELDS);
        doc.learners.push(learner(&mut f));
        f.finish();
    }
    doc
}

/// A top-level table written `[name]`; reports other shapes.
fn single<'a, 't>(
    src: &Source<'t>,
    report: &mut Report,
    root: &'a DeTable<'t>,
    name: &str,
) -> Option<(&'a DeTable<'t>, usize)> {
    let value = root.get(name)?;
    match value.get_ref() {
        DeValue::Table(table) => Some((table, value.span().start)),
        other => {
            report.error(
                src.place(value.span().start),
                format!("`{name}` must be a table, found {}", describe(other)),
                format!("write a `[{name}]` header with its fields on the lines below"),
            );
            None
        }
    }
}

/// The tables of a top-level list written `[[name]]`; reports other shapes.
fn list<'a, 't>(
    src: &Source<'t>,
    report: &mut Report,
    root: &'a DeTable<'t>,
    name: &str,
) -> Vec<(&'a DeTable<'t>, usize)> {
    let Some(value) = root.get(name) else {
        return Vec::new();
    };
    let help = format!("start each {name} with a `[[{name}]]` header (double brackets)");
    match value.get_ref() {
        DeValue::Array(items) => items
            .iter()
            .filter_map(|item| match item.get_ref() {
                DeValue::Table(table) => Some((table, item.span().start)),
                other => {
                    report.error(
                        src.place(item.span().start),
                        format!("each `{name}` must be a table, found {}", describe(other)),
                        help.clone(),
                    );
                    None
                }
            })
            .collect(),
        other => {
            report.error(
                src.place(value.span().start),
                format!(
                    "`{name}` must be a list of tables, found {}",
                    describe(other)
                ),
                help,
            );
            Vec::new()
        }
    }
}

/// Starts reading the `n`-th (0-based) table of a list; named by number until its id is read.
fn entity<'a, 't>(
    src: &'a Source<'t>,
    report: &'a mut Report,
    table: &'a DeTable<'t>,
    start: usize,
    kind: &'static str,
    n: usize,
    known: &'static [&'static str],
) -> Fields<'a, 't> {
    Fields::new(
        src,
        report,
        table,
        start,
        format!("[[{kind}]] number {}", n + 1),
        kind,
        known,
    )
}

/// A display name; absent means the id (or nothing when the id is bad).
fn name(f: &mut Fields<'_, '_>, id: &Option<At<String>>) -> Option<String> {
    match f.text("name", false, "\"Name\"") {
        Some(name) => Some(name.value),
        None if f.raw("name").is_none() => id.as_ref().map(|id| id.value.clone()),
        None => None,
    }
}

/// Trimmed text; empty (or only spaces) means none, as for `employer = ""`.
pub(super) fn non_blank(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_string())
}

fn head(f: &mut Fields<'_, '_>, default_name: &str) -> Head {
    let name = match f.text("name", false, "\"KINA autumn 2026\"") {
        Some(name) => Some(name.value),
        None if f.raw("name").is_none() => Some(default_name.to_string()),
        None => None,
    };
    let start = start_date(f);
    let weeks = f.count("weeks", true, rules::TERM_WEEKS);
    if let (Some((date, at)), Some(weeks)) = (start, &weeks) {
        let days = i64::from(weeks.value) * 7;
        if date.checked_add(jiff::Span::new().days(days)).is_err() {
            f.error(
                at,
                format!(
                    "the term of {} weeks from {date} runs past the year 9999",
                    weeks.value
                ),
                "use a start date in this era",
            );
        }
    }
    let learners = match f.text("learners", false, "\"learners.csv\"") {
        Some(path) if path.value.trim().is_empty() => {
            f.error(
                path.at,
                "`learners` is empty",
                "name the learner CSV file, e.g. `learners = \"learners.csv\"`, or remove the line",
            );
            None
        }
        other => other,
    };
    let timezone = timezone(f);
    Head {
        name,
        start: start.map(|(date, _)| date),
        weeks,
        learners,
        timezone,
    }
}

/// `timezone`: an IANA time zone name known to the time zone database; absent means
/// [`DEFAULT_TIMEZONE`]. The canonical spelling is kept, so `europe/brussels` is written
/// `Europe/Brussels` in calendars.
fn timezone(f: &mut Fields<'_, '_>) -> Option<String> {
    if f.raw("timezone").is_none() {
        return Some(DEFAULT_TIMEZONE.to_string());
    }
    let text = f.text("timezone", false, "\"Europe/Brussels\"")?;
    let name = text.value.trim();
    match jiff::tz::TimeZone::get(name) {
        Ok(zone) => Some(zone.iana_name().unwrap_or(name).to_string()),
        Err(_) => {
            let known: Vec<String> = jiff::tz::db()
                .available()
                .map(|zone| zone.as_str().to_string())
                .collect();
            let help = match suggest::closest(name, &known) {
                Some(close) => format!("did you mean `{close}`? use an IANA time zone name"),
                None => {
                    "use an IANA time zone name such as \"Europe/Brussels\" or \"Europe/Amsterdam\""
                        .to_string()
                }
            };
            f.error(
                text.at,
                format!(
                    "`timezone` \"{}\" is not a known time zone",
                    rules::quote(&text.value)
                ),
                help,
            );
            None
        }
    }
}

/// `start`: a quoted ISO date (`"2026-09-07"`) that is a Monday.
fn start_date(f: &mut Fields<'_, '_>) -> Option<(Date, Place)> {
    const HELP: &str =
        "write the Monday of week 1 in quotes as year-month-day, e.g. `start = \"2026-09-07\"`";
    if let Some(value) = f.raw("start")
        && let DeValue::Datetime(date) = value.get_ref()
    {
        let at = f.place(value);
        f.error(
            at,
            format!("`start` must be a date in quotes, found the unquoted date `{date}`"),
            HELP,
        );
        return None;
    }
    let text = f.text("start", true, "\"2026-09-07\"")?;
    let shaped = text.value.len() == 10
        && text.value.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            _ => b.is_ascii_digit(),
        });
    let date = shaped.then(|| text.value.parse::<Date>().ok()).flatten();
    let Some(date) = date else {
        f.error(
            text.at,
            format!(
                "`start` must be a date written year-month-day, found \"{}\"",
                rules::quote(&text.value)
            ),
            HELP,
        );
        return None;
    };
    if date.weekday() != Weekday::Monday {
        let back = i64::from(date.weekday().to_monday_zero_offset());
        let monday = date
            .checked_sub(jiff::Span::new().days(back))
            .map(|monday| format!("; the Monday of that week is {monday}"))
            .unwrap_or_default();
        f.error(
            text.at,
            format!(
                "`start` is {date}, a {:?}, but week 1 must start on a Monday",
                date.weekday()
            ),
            format!("use a Monday{monday}"),
        );
        return None;
    }
    Some((date, text.at))
}

fn objective(f: &mut Fields<'_, '_>) -> Option<ObjectiveWeights> {
    let default = ObjectiveWeights::default();
    let mut weight = |key: &str, range, default: f64| match f.raw(key) {
        None => Some(default),
        Some(_) => f.number(key, false, range).map(|w| w.value),
    };
    let serve = weight("serve", rules::SERVE, default.serve);
    let teacher_cost = weight("teacher_cost", rules::WEIGHT, default.teacher_cost);
    let room_cost = weight("room_cost", rules::WEIGHT, default.room_cost);
    let travel = weight("travel", rules::WEIGHT, default.travel);
    let fairness = weight("fairness", rules::WEIGHT, default.fairness);
    Some(ObjectiveWeights {
        serve: serve?,
        teacher_cost: teacher_cost?,
        room_cost: room_cost?,
        travel: travel?,
        fairness: fairness?,
    })
}

fn travel(f: &mut Fields<'_, '_>, travel: &mut RawTravel) {
    if f.raw("detour").is_some() {
        travel.detour = f.number("detour", false, rules::DETOUR).map(|d| d.value);
    }
    for (key, values, range) in [
        ("speed_kmh", &mut travel.speed_kmh, rules::SPEED),
        ("overhead_min", &mut travel.overhead_min, rules::OVERHEAD),
    ] {
        let Some((table, start)) = f.table(key) else {
            continue;
        };
        let mut per_mode = Fields::new(
            f.src,
            f.report,
            table,
            start,
            format!("[travel] {key}"),
            "travel mode table",
            MODE_FIELDS,
        );
        for mode in Mode::ALL {
            if per_mode.raw(mode.name()).is_some()
                && let Some(slot) = values.get_mut(mode as usize)
            {
                *slot = per_mode.number(mode.name(), false, range).map(|v| v.value);
            }
        }
        per_mode.finish();
    }
    let overrides = f
        .tables(
            "override",
            false,
            "[{ from = \"a\", to = \"b\", mode = \"public\", minutes = 30 }]",
        )
        .unwrap_or_default();
    for (n, (table, start)) in overrides.into_iter().enumerate() {
        let mut o = Fields::new(
            f.src,
            f.report,
            table,
            start,
            format!("[[travel.override]] number {}", n + 1),
            "[[travel.override]]",
            OVERRIDE_FIELDS,
        );
        let from = o.reference("from", true, "\"kalmthout\"");
        let to = o.reference("to", true, "\"wijnegem\"");
        let mode = o.mode("mode", None);
        let minutes = o.count("minutes", true, rules::MINUTES).map(|m| m.value);
        travel.overrides.push(RawOverride {
            what: o.what.clone(),
            at: o.at,
            from,
            to,
            mode,
            minutes,
        });
        o.finish();
    }
}

fn municipality(f: &mut Fields<'_, '_>) -> RawMunicipality {
    let id = f.id("municipality");
    RawMunicipality {
        name: name(f, &id),
        lat: f.number("lat", true, rules::LATITUDE).map(|v| v.value),
        lon: f.number("lon", true, rules::LONGITUDE).map(|v| v.value),
        id,
    }
}

fn venue(f: &mut Fields<'_, '_>) -> RawVenue {
    let id = f.id("venue");
    let name = name(f, &id);
    let municipality = f.reference("municipality", true, "\"schilde\"");
    let open = f.windows("open", true).map(|w| WeekSet::from_windows(&w));
    let cost_per_hour = f
        .number("cost_per_hour", true, rules::COST_PER_HOUR)
        .map(|c| c.value);
    let employer = match f.text("employer", false, "\"\"") {
        Some(text) => non_blank(&text.value),
        None => None,
    };
    let address = match f.text("address", false, "\"Markt 1, 2970 Schilde\"") {
        Some(text) => non_blank(&text.value),
        None => None,
    };
    let rooms = rooms(f);
    let optional_hours = optional_hours(f);
    RawVenue {
        what: f.what.clone(),
        id,
        name,
        municipality,
        open,
        cost_per_hour,
        employer,
        address,
        rooms,
        optional_hours,
    }
}

/// `optional` and `fixed_cost` of a teacher or room: `Some(Some(cost))` when optional,
/// `Some(None)` when not, `None` after an error.
fn optional_cost(f: &mut Fields<'_, '_>) -> Option<Option<f64>> {
    let optional = f.flag("optional", false);
    let fixed_cost = f.number("fixed_cost", false, rules::FIXED_COST);
    match (optional, fixed_cost) {
        (Some(optional), Some(cost)) if !optional.value => {
            f.error(
                cost.at,
                "`fixed_cost` applies only to optional resources",
                "add `optional = true` if the plan may leave this out, or remove `fixed_cost`",
            );
            None
        }
        (Some(optional), cost) => Some(optional.value.then(|| cost.map_or(0.0, |c| c.value))),
        (None, _) => None,
    }
}

/// A venue's optional opening hours; ids must be unique within the venue.
fn optional_hours(f: &mut Fields<'_, '_>) -> Option<Vec<OptionalHours>> {
    if f.raw("optional_open").is_none() {
        return Some(Vec::new());
    }
    let example = "[{ id = \"late\", windows = [\"mon-thu 21:30-22:30\"], fixed_cost = 400.0 }]";
    let tables = f.tables("optional_open", true, example)?;
    let mut ok = true;
    let mut hours: Vec<OptionalHours> = Vec::with_capacity(tables.len());
    for (n, (table, start)) in tables.into_iter().enumerate() {
        let mut h = Fields::new(
            f.src,
            f.report,
            table,
            start,
            format!("{} optional hours number {}", f.what, n + 1),
            "optional_open entry",
            OPTIONAL_OPEN_FIELDS,
        );
        let id = h.text("id", true, "\"late\"");
        let id = id.filter(|id| match rules::check_id(&id.value) {
            Ok(()) => true,
            Err((message, help)) => {
                h.error(id.at, message, help);
                false
            }
        });
        let windows = h
            .windows("windows", true)
            .map(|w| WeekSet::from_windows(&w));
        let fixed_cost = h.number("fixed_cost", true, rules::FIXED_COST);
        h.finish();
        if let Some(id) = &id
            && hours.iter().any(|other| other.id == id.value)
        {
            f.error(
                id.at,
                format!("optional hours `{}` are listed twice", id.value),
                "give each entry of `optional_open` its own id",
            );
            ok = false;
        }
        match (id, windows, fixed_cost) {
            (Some(id), Some(open), Some(cost)) => hours.push(OptionalHours {
                id: id.value,
                open,
                fixed_cost: cost.value,
            }),
            _ => ok = false,
        }
    }
    ok.then_some(hours)
}

/// The rooms of a venue; ids must be unique within the venue.
fn rooms(f: &mut Fields<'_, '_>) -> Option<Vec<Room>> {
    let tables = f.tables("rooms", true, "[{ id = \"A\", capacity = 16 }]")?;
    let mut ok = true;
    let mut rooms = Vec::with_capacity(tables.len());
    // Where each room id is first written, also for rooms with other problems.
    let mut first_at: HashMap<String, Place> = HashMap::new();
    for (n, (table, start)) in tables.into_iter().enumerate() {
        let mut r = Fields::new(
            f.src,
            f.report,
            table,
            start,
            format!("{} room number {}", f.what, n + 1),
            "room",
            ROOM_FIELDS,
        );
        let id = r.text("id", true, "\"A\"");
        let id = id.filter(|id| match rules::check_id(&id.value) {
            Ok(()) => true,
            Err((message, help)) => {
                r.error(id.at, message, help);
                false
            }
        });
        if let Some(id) = &id {
            r.what = format!("{} room `{}`", f.what, id.value);
        }
        let capacity = r.count("capacity", true, rules::SEATS);
        let optional_cost = optional_cost(&mut r);
        r.finish();
        if let Some(id) = &id {
            if let Some(first) = first_at.get(&id.value) {
                let line = first.line;
                f.error(
                    id.at,
                    format!("room `{}` is listed twice", id.value),
                    format!(
                        "the first room `{}` is on line {line}; give each room of a venue its own id",
                        id.value
                    ),
                );
                ok = false;
            } else {
                first_at.insert(id.value.clone(), id.at);
            }
        }
        match (id, capacity, optional_cost) {
            (Some(id), Some(capacity), Some(optional_cost)) => rooms.push(Room {
                id: id.value,
                capacity: capacity.value,
                optional_cost,
            }),
            _ => ok = false,
        }
    }
    ok.then_some(rooms)
}

fn teacher(f: &mut Fields<'_, '_>) -> RawTeacher {
    let id = f.id("teacher");
    RawTeacher {
        what: f.what.clone(),
        name: name(f, &id),
        municipality: f.reference("municipality", true, "\"ranst\""),
        mode: f.mode("mode", Some(DEFAULT_MODE)),
        teaches: f
            .texts("teaches", true, "[\"nt2-a1\", \"nt2-a2\"]")
            .map(without_repeats),
        available: f
            .windows("available", true)
            .map(|w| WeekSet::from_windows(&w)),
        max_hours: f
            .number("max_hours", true, rules::WEEK_HOURS)
            .map(|v| v.value),
        cost_per_hour: f
            .number("cost_per_hour", true, rules::COST_PER_HOUR)
            .map(|v| v.value),
        optional_cost: optional_cost(f),
        id,
    }
}

fn format(f: &mut Fields<'_, '_>) -> RawFormat {
    let id = f.id("format");
    let sessions = f
        .texts(
            "sessions",
            true,
            "[\"mon 18:30-21:30\", \"thu 18:30-21:30\"]",
        )
        .and_then(|texts| sessions(f, texts));
    RawFormat { id, sessions }
}

/// Sessions of a format: at least one, each on one day, none overlapping another.
fn sessions(f: &mut Fields<'_, '_>, texts: Vec<At<String>>) -> Option<Vec<Session>> {
    if texts.is_empty() {
        let at = f.raw("sessions").map_or(f.at, |v| f.place(v));
        f.error(
            at,
            "`sessions` is empty: a format needs at least one session",
            "add sessions, e.g. `sessions = [\"mon 18:30-21:30\"]`",
        );
        return None;
    }
    let mut sessions: Vec<At<Session>> = Vec::with_capacity(texts.len());
    let mut ok = true;
    for text in texts {
        match Session::parse(&text.value) {
            Ok(session) => sessions.push(At::new(session, text.at)),
            Err(problem) => {
                ok = false;
                f.error(
                    text.at,
                    format!("session `{}`: {problem}", rules::quote(&text.value)),
                    rules::SESSION_HELP,
                );
            }
        }
    }
    // In week order, an overlap is always between neighbours or hidden behind a longer
    // earlier session; tracking the latest end catches both.
    sessions.sort_by_key(|s| s.value);
    let mut latest: Option<&At<Session>> = None;
    for session in &sessions {
        if let Some(before) = latest
            && before.value.interval().overlaps(&session.value.interval())
        {
            ok = false;
            f.error(
                before.at.max(session.at),
                format!(
                    "sessions `{}` and `{}` overlap",
                    before.value, session.value
                ),
                "a class cannot be in two sessions at once; change or remove one of them",
            );
        }
        if latest.is_none_or(|before| before.value.interval().end < session.value.interval().end) {
            latest = Some(session);
        }
    }
    ok.then(|| sessions.into_iter().map(|s| s.value).collect())
}

fn course(f: &mut Fields<'_, '_>) -> RawCourse {
    let id = f.id("course");
    let kind = match f.text("kind", true, "\"nt2\"") {
        Some(text) => {
            let kind = rules::parse_kind(&text.value);
            if kind.is_none() {
                f.error(
                    text.at,
                    format!("unknown course kind `{}`", rules::quote(&text.value)),
                    "use `kind = \"nt2\"` (Dutch as a second language) or `kind = \"mo\"` (civic orientation)",
                );
            }
            kind
        }
        None => None,
    };
    let level = f
        .text("level", false, "\"A1\"")
        .and_then(|level| non_blank(&level.value));
    let language = match (f.text("language", false, "\"ar\""), kind) {
        (Some(language), _) if language.value.trim().is_empty() => {
            f.error(
                language.at,
                "`language` is empty",
                "write the language of instruction, e.g. `language = \"nl\"`",
            );
            None
        }
        (Some(language), _) => Some(language.value.trim().to_string()),
        (None, _) if f.raw("language").is_some() => None,
        (None, Some(CourseKind::Nt2)) => Some(DEFAULT_NT2_LANGUAGE.to_string()),
        (None, Some(CourseKind::Mo)) => {
            let at = f.at;
            f.error(
                at,
                "`language` is missing: an MO course needs its language of instruction",
                "add e.g. `language = \"ar\"`",
            );
            None
        }
        (None, None) => None,
    };
    let hours = f.number("hours", true, rules::COURSE_HOURS);
    let min_size = f.count("min_size", true, rules::SEATS);
    let max_size = f.count("max_size", true, rules::SEATS);
    if let (Some(min), Some(max)) = (&min_size, &max_size)
        && min.value > max.value
    {
        f.error(
            max.at,
            format!(
                "`min_size` is {} but `max_size` is {}: no class could ever open",
                min.value, max.value
            ),
            "make `max_size` at least `min_size`",
        );
    }
    let formats = f
        .texts("formats", true, "[\"evening-2x3\"]")
        .and_then(|formats| {
            if formats.is_empty() {
                let at = f.raw("formats").map_or(f.at, |v| f.place(v));
                f.error(
                    at,
                    "`formats` is empty: the course can never be given",
                    "list the ids of the formats it may use, e.g. `formats = [\"evening-2x3\"]`",
                );
                return None;
            }
            Some(without_repeats(formats))
        });
    RawCourse {
        what: f.what.clone(),
        id,
        kind,
        level,
        language,
        hours,
        min_size: min_size.map(|m| m.value),
        max_size: max_size.map(|m| m.value),
        formats,
    }
}

/// A list of names with later repeats dropped (a repeated format or taught course changes
/// nothing, so it is not worth an error).
fn without_repeats(names: Vec<At<String>>) -> Vec<At<String>> {
    let mut seen = HashSet::new();
    names
        .into_iter()
        .filter(|name| seen.insert(name.value.clone()))
        .collect()
}

/// An example `weeks` of a rotating shift, for help texts.
const SHIFT_WEEKS_EXAMPLE: &str = "[[\"mon-fri 06:00-14:00\"], [\"mon-fri 14:00-22:00\"]]";

fn shift(f: &mut Fields<'_, '_>) -> RawShift {
    let id = f.id("shift");
    let weeks = f
        .list("weeks", true, SHIFT_WEEKS_EXAMPLE)
        .and_then(|weeks| shift_weeks(f, weeks));
    RawShift { id, weeks }
}

/// The weeks of a shift: at least one, each a list of windows (`[]` is a week off).
fn shift_weeks<'t>(f: &mut Fields<'_, 't>, weeks: &[Value<'t>]) -> Option<Vec<WeekSet>> {
    if weeks.is_empty() {
        let at = f.raw("weeks").map_or(f.at, |v| f.place(v));
        f.error(
            at,
            "`weeks` is empty: a shift needs at least one week",
            format!(
                "write one list of working windows per week, e.g. `weeks = {SHIFT_WEEKS_EXAMPLE}`; `[]` is a week off"
            ),
        );
        return None;
    }
    let mut ok = true;
    let mut sets = Vec::with_capacity(weeks.len());
    for (n, week) in weeks.iter().enumerate() {
        let subject = format!("week {} of `weeks`", n + 1);
        match week.get_ref() {
            DeValue::Array(items) => match f.windows_of(&subject, items) {
                Some(windows) => sets.push(WeekSet::from_windows(&windows)),
                None => ok = false,
            },
            other => {
                ok = false;
                let at = f.place(week);
                f.error(
                    at,
                    format!(
                        "{subject} must be a list of windows, found {}",
                        describe(other)
                    ),
                    format!(
                        "write each week in its own brackets, e.g. `weeks = {SHIFT_WEEKS_EXAMPLE}`"
                    ),
                );
            }
        }
    }
    ok.then_some(sets)
}

fn learner(f: &mut Fields<'_, '_>) -> RawLearner {
    let id = f.id("learner");
    let municipality = f.reference("municipality", true, "\"zoersel\"");
    let needs_at = f.raw("needs").map_or(f.at, |v| f.place(v));
    let needs = f
        .texts("needs", true, "[\"nt2-a1\", \"mo-ar\"]")
        .and_then(|needs| check_needs(f.report, &f.what, needs, needs_at));
    let shift = f
        .reference("shift", false, "\"two-shift\"")
        .filter(|shift| !shift.value.trim().is_empty());
    let employer = f
        .text("employer", false, "\"\"")
        .and_then(|e| non_blank(&e.value));
    let unavailable = match f.raw("unavailable") {
        None => Some(WeekSet::default()),
        Some(_) => f
            .windows("unavailable", false)
            .map(|w| WeekSet::from_windows(&w)),
    };
    let mode = f.mode("mode", Some(DEFAULT_MODE));
    let max_travel = match f.raw("max_travel") {
        None => Some(DEFAULT_MAX_TRAVEL),
        Some(_) => f
            .count("max_travel", false, rules::MINUTES)
            .map(|m| m.value),
    };
    let priority = match f.raw("priority") {
        None => Some(DEFAULT_PRIORITY),
        Some(_) => f
            .number("priority", false, rules::PRIORITY)
            .map(|p| p.value),
    };
    RawLearner {
        what: f.what.clone(),
        id,
        municipality,
        needs,
        shift,
        employer,
        unavailable,
        mode,
        max_travel,
        priority,
    }
}

/// Checks a learner's needs: at least one, none twice. `at` is where the list is written.
pub(super) fn check_needs(
    report: &mut Report,
    what: &str,
    needs: Vec<At<String>>,
    at: Place,
) -> Option<Vec<At<String>>> {
    if needs.is_empty() {
        report.error(
            at,
            format!("{what}: `needs` is empty"),
            "list at least one course id the learner needs, e.g. `nt2-a1`",
        );
        return None;
    }
    let mut ok = true;
    let mut seen = HashSet::with_capacity(needs.len());
    for need in &needs {
        if !seen.insert(need.value.as_str()) {
            ok = false;
            report.error(
                need.at,
                format!("{what}: course `{}` is listed twice in `needs`", need.value),
                "a learner takes at most one class per course; list each course once",
            );
        }
    }
    ok.then_some(needs)
}
