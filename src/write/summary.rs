//! `summary.md`: the timetable in a form a planner reads top to bottom — solver outcome,
//! totals, unplaced demand, coverage by municipality, a weekly grid per venue, teacher load,
//! and the unplaced learner-needs one by one.
//!
//! Everything is ordered by the scenario's or the timetable's own order, never by hash
//! order, so the same input gives the same file byte for byte.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;

use crate::domain::Scenario;
use crate::time::{Day, parse_clock};
use crate::timetable::{ClassEntry, Reason, ResourceKind, SolverReport, Timetable};

use super::lookup::{Lookup, Outcome, hours, learner_needs, money, weekly_hours};

/// The Markdown summary of a timetable. Totals, costs and coverage are the figures of the
/// timetable's own `summary`, so the file agrees with `timetable.json`; names come from the
/// scenario, and ids it does not know are shown as written.
pub fn summary_markdown(scenario: &Scenario, timetable: &Timetable) -> String {
    let lookup = Lookup::new(scenario);
    let mut out = String::new();
    // `fmt::Write` for a `String` never fails, so the results of `writeln!` are ignored.
    let _ = writeln!(out, "# Timetable: {}", md(&scenario.name));
    let _ = writeln!(out);
    if timetable.scenario != scenario.name {
        let _ = writeln!(
            out,
            "The timetable names scenario \"{}\", not this one.",
            md(&timetable.scenario)
        );
        let _ = writeln!(out);
    }
    let _ = writeln!(out, "{}", solver_line(&timetable.solver));
    let _ = writeln!(out);
    totals(&mut out, timetable);
    optional_resources(&mut out, timetable);
    unplaced_by_reason(&mut out, timetable);
    coverage(&mut out, &lookup, timetable);
    venue_grids(&mut out, &lookup, timetable);
    teachers(&mut out, &lookup, timetable);
    unplaced_needs(&mut out, &lookup, timetable);
    out
}

/// Makes user text safe inside a Markdown table cell or heading: newlines become spaces (a
/// newline would end the table row) and characters Markdown or HTML would interpret are
/// backslash-escaped, `|` included (it would split the cell).
fn md(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                escaped.push(' ');
            }
            '\n' => escaped.push(' '),
            '\\' | '|' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '&' | '#' => {
                escaped.push('\\');
                escaped.push(c);
            }
            c => escaped.push(c),
        }
    }
    escaped
}

fn solver_line(solver: &SolverReport) -> String {
    let optional =
        |value: Option<f64>, show: fn(f64) -> String| value.map_or("none".to_string(), show);
    format!(
        "Solver: {}; objective {}; best bound {}; gap {}; {:.1} s.",
        solver.status.name(),
        money(solver.objective),
        optional(solver.best_bound, money),
        optional(solver.gap, |gap| format!("{:.2} %", gap * 100.0)),
        solver.seconds
    )
}

/// `part / whole` as a percentage with one decimal, or `n/a` when there is no whole.
fn percent(part: u64, whole: u64) -> String {
    if whole == 0 {
        "n/a".to_string()
    } else {
        format!("{:.1} %", part as f64 * 100.0 / whole as f64)
    }
}

fn totals(out: &mut String, timetable: &Timetable) {
    let summary = &timetable.summary;
    let teacher_hours: f64 = timetable.classes.iter().filter_map(weekly_hours).sum();
    let total_cost = summary.teacher_cost + summary.room_cost + summary.optional_cost;
    let per_placed = if summary.placed == 0 {
        "n/a".to_string()
    } else {
        money(total_cost / summary.placed as f64)
    };
    let rows = [
        ("Learner-needs", summary.needs.to_string()),
        ("Placed", summary.placed.to_string()),
        ("Coverage", percent(summary.placed, summary.needs)),
        ("Classes", timetable.classes.len().to_string()),
        ("Teacher hours per week", hours(teacher_hours)),
        ("Teacher cost", money(summary.teacher_cost)),
        ("Room cost", money(summary.room_cost)),
        ("Total cost", money(total_cost)),
        ("Cost per placed need", per_placed),
        (
            "Travel minutes (one way, all placed needs)",
            summary.travel_minutes.to_string(),
        ),
    ];
    let mut rows = rows.to_vec();
    if summary.optional_cost > 0.0 {
        rows.insert(7, ("Optional resources", money(summary.optional_cost)));
    }
    let _ = writeln!(out, "## Totals");
    let _ = writeln!(out);
    let _ = writeln!(out, "| Total | Value |");
    let _ = writeln!(out, "|---|---:|");
    for (label, value) in rows {
        let _ = writeln!(out, "| {label} | {value} |");
    }
    let _ = writeln!(out);
}

/// The optional teachers, rooms and opening hours the plan pays for, when there are any.
fn optional_resources(out: &mut String, timetable: &Timetable) {
    if timetable.optional.is_empty() {
        return;
    }
    let _ = writeln!(out, "## Optional resources chosen");
    let _ = writeln!(out);
    let _ = writeln!(out, "| Kind | Venue | Id | Fixed cost |");
    let _ = writeln!(out, "|---|---|---|---:|");
    for choice in &timetable.optional {
        let kind = match choice.kind {
            ResourceKind::Teacher => "teacher",
            ResourceKind::Room => "room",
            ResourceKind::Hours => "opening hours",
        };
        let venue = choice.venue.as_deref().map(md).unwrap_or_default();
        let _ = writeln!(
            out,
            "| {kind} | {venue} | {} | {} |",
            md(&choice.id),
            money(choice.fixed_cost)
        );
    }
    let _ = writeln!(out);
}

fn unplaced_by_reason(out: &mut String, timetable: &Timetable) {
    let _ = writeln!(out, "## Unplaced by reason");
    let _ = writeln!(out);
    let _ = writeln!(out, "| Reason | Count | Meaning |");
    let _ = writeln!(out, "|---|---:|---|");
    // Every reason gets a row, zero included, so the table has the same shape every run.
    for reason in Reason::ALL {
        let count = timetable
            .unplaced
            .iter()
            .filter(|need| need.reason == reason)
            .count();
        let _ = writeln!(
            out,
            "| {} | {count} | {} |",
            reason.name(),
            reason.explain()
        );
    }
    let _ = writeln!(out);
}

fn coverage(out: &mut String, lookup: &Lookup<'_>, timetable: &Timetable) {
    let _ = writeln!(out, "## Coverage by municipality");
    let _ = writeln!(out);
    let _ = writeln!(out, "| Municipality | Needs | Placed | Coverage |");
    let _ = writeln!(out, "|---|---:|---:|---:|");
    for row in &timetable.summary.by_municipality {
        let name = lookup
            .municipality_by_id(&row.municipality)
            .map_or(row.municipality.as_str(), |m| m.name.as_str());
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            md(name),
            row.needs,
            row.placed,
            percent(row.placed, row.needs)
        );
    }
    let _ = writeln!(out);
}

/// Classes grouped by venue id: scenario venues in scenario order, then ids the scenario does
/// not know in order of first mention.
fn classes_by_venue<'t>(
    lookup: &Lookup<'_>,
    timetable: &'t Timetable,
) -> Vec<(&'t str, Vec<&'t ClassEntry>)> {
    let mut groups: Vec<(&str, Vec<&ClassEntry>)> = Vec::new();
    let mut position: HashMap<&str, usize> = HashMap::new();
    for class in &timetable.classes {
        let index = *position.entry(class.venue.as_str()).or_insert_with(|| {
            groups.push((&class.venue, Vec::new()));
            groups.len() - 1
        });
        groups[index].1.push(class);
    }
    let rank = |venue: &str| lookup.venue(venue).map_or(usize::MAX, |(id, _)| id.0);
    // A stable sort keeps unknown venues in order of first mention.
    groups.sort_by_key(|(venue, _)| rank(venue));
    groups
}

fn venue_grids(out: &mut String, lookup: &Lookup<'_>, timetable: &Timetable) {
    let _ = writeln!(out, "## Weekly grid per venue");
    let _ = writeln!(out);
    let groups = classes_by_venue(lookup, timetable);
    if groups.is_empty() {
        let _ = writeln!(out, "No classes.");
        let _ = writeln!(out);
    }
    for (venue, classes) in &groups {
        let _ = writeln!(out, "### {}", venue_heading(lookup, venue));
        let _ = writeln!(out);
        grid(out, classes);
    }
    let idle: Vec<String> = lookup
        .scenario()
        .venues
        .iter()
        .filter(|venue| !groups.iter().any(|(id, _)| *id == venue.id))
        .map(|venue| format!("{} ({})", md(&venue.name), md(&venue.id)))
        .collect();
    if !idle.is_empty() {
        let _ = writeln!(out, "Venues without classes: {}.", idle.join(", "));
        let _ = writeln!(out);
    }
}

/// `Name (id), Municipality` for a scenario venue; the id alone otherwise.
fn venue_heading(lookup: &Lookup<'_>, venue: &str) -> String {
    match lookup.venue(venue) {
        Some((_, found)) => {
            let municipality = lookup
                .venue_municipality(found)
                .map(|m| format!(", {}", md(&m.name)))
                .unwrap_or_default();
            format!("{} ({}){municipality}", md(&found.name), md(venue))
        }
        None => format!("{} (not in the scenario)", md(venue)),
    }
}

/// A time row of a grid: sorted by clock time, times that cannot be read last, as written.
type TimeRow<'t> = (u32, u32, &'t str, &'t str);

/// One venue's week: days with classes across, each distinct session time down, and in each
/// cell the classes held then as `class course (room, learners)`.
fn grid(out: &mut String, classes: &[&ClassEntry]) {
    let mut days: BTreeSet<Day> = BTreeSet::new();
    let mut cells: BTreeMap<(TimeRow<'_>, Day), Vec<String>> = BTreeMap::new();
    for class in classes {
        for session in &class.sessions {
            let clock = |text: &str| parse_clock(text).unwrap_or(u32::MAX);
            let row = (
                clock(&session.start),
                clock(&session.end),
                session.start.as_str(),
                session.end.as_str(),
            );
            days.insert(session.day);
            cells.entry((row, session.day)).or_default().push(format!(
                "{} {} ({}, {})",
                md(&class.id),
                md(&class.course),
                md(&class.room),
                class.learners.len()
            ));
        }
    }
    let rows: BTreeSet<TimeRow<'_>> = cells.keys().map(|(row, _)| *row).collect();
    let mut header = String::from("| Time |");
    let mut rule = String::from("|---|");
    for day in &days {
        let _ = write!(header, " {day} |");
        rule.push_str("---|");
    }
    let _ = writeln!(out, "{header}");
    let _ = writeln!(out, "{rule}");
    for row in rows {
        let (_, _, start, end) = row;
        let mut line = format!("| {}-{} |", md(start), md(end));
        for day in &days {
            let cell = cells.get(&(row, *day)).map(|entries| entries.join("<br>"));
            let _ = write!(line, " {} |", cell.unwrap_or_default());
        }
        let _ = writeln!(out, "{line}");
    }
    let _ = writeln!(out);
}

fn teachers(out: &mut String, lookup: &Lookup<'_>, timetable: &Timetable) {
    let _ = writeln!(out, "## Teachers");
    let _ = writeln!(out);
    let _ = writeln!(out, "| Teacher | Hours per week | Max hours | Classes |");
    let _ = writeln!(out, "|---|---:|---:|---|");
    // Scenario teachers in scenario order (idle ones too, so spare capacity shows), then
    // teacher ids the scenario does not know in order of first mention.
    let mut ids: Vec<&str> = lookup
        .scenario()
        .teachers
        .iter()
        .map(|teacher| teacher.id.as_str())
        .collect();
    for class in &timetable.classes {
        if lookup.teacher(&class.teacher).is_none() && !ids.contains(&class.teacher.as_str()) {
            ids.push(&class.teacher);
        }
    }
    for id in ids {
        let taught: Vec<&ClassEntry> = timetable
            .classes
            .iter()
            .filter(|class| class.teacher == id)
            .collect();
        let weekly: f64 = taught.iter().copied().filter_map(weekly_hours).sum();
        let teacher = lookup.teacher(id);
        let name = match teacher {
            Some(teacher) => format!("{} ({})", md(&teacher.name), md(id)),
            None => format!("{} (not in the scenario)", md(id)),
        };
        let max = teacher.map(|t| hours(t.max_hours)).unwrap_or_default();
        let list = if taught.is_empty() {
            "none".to_string()
        } else {
            taught
                .iter()
                .map(|class| md(&class.id))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let _ = writeln!(out, "| {name} | {} | {max} | {list} |", hours(weekly));
    }
    let _ = writeln!(out);
}

fn unplaced_needs(out: &mut String, lookup: &Lookup<'_>, timetable: &Timetable) {
    let _ = writeln!(out, "## Unplaced learner-needs");
    let _ = writeln!(out);
    let needs: Vec<_> = learner_needs(lookup, timetable)
        .into_iter()
        .filter_map(|need| match need.outcome {
            Outcome::Unplaced(reason) => Some((need, reason)),
            Outcome::Placed(_) => None,
        })
        .collect();
    if needs.is_empty() {
        let _ = writeln!(out, "None: every learner-need is placed.");
        return;
    }
    let _ = writeln!(out, "| Learner | Municipality | Course | Reason |");
    let _ = writeln!(out, "|---|---|---|---|");
    for (need, reason) in needs {
        let municipality = lookup
            .learner(need.learner)
            .and_then(|(_, learner)| lookup.learner_municipality(learner))
            .map(|m| md(&m.name))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "| {} | {municipality} | {} | {} |",
            md(need.learner),
            md(need.course),
            reason.name()
        );
    }
}
