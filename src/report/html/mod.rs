//! `report.html`: one self-contained page (inline CSS and SVG, no scripts, no fonts or
//! images from elsewhere) that a planner reads on screen or prints.
//!
//! Every value from the scenario or the timetable goes through `maud`, which escapes it,
//! so an id such as `<script>` is shown as text. The page is bounded whatever the scenario's
//! size: lists of ids, employed learners and referrals are cut at fixed counts, and the
//! page says so where it cuts; the full lists are `learners.csv` and `referrals.csv`.

mod charts;
mod people;
mod week;

use std::collections::HashMap;

use maud::{DOCTYPE, Markup, PreEscaped, html};

use crate::domain::Scenario;
use crate::timetable::Timetable;
use crate::verify::Violation;
use crate::write::lookup::{Lookup, money, weekly_hours};

/// Violations listed at the top before the rest are only counted.
const VIOLATIONS_SHOWN: usize = 20;

/// Fills for courses, in scenario order of courses; light enough for dark text on top.
const COURSE_FILLS: [&str; 12] = [
    "#9ecae1", "#fdd08a", "#a1d99b", "#fcae91", "#cbb7e3", "#9edfd6", "#f7b6d2", "#d9d98c",
    "#c7d7f0", "#f0c9a0", "#b8e0b8", "#e0c0e0",
];

/// What every part of the page shares: the inputs and the course colours.
pub(super) struct View<'a> {
    scenario: &'a Scenario,
    timetable: &'a Timetable,
    lookup: Lookup<'a>,
    fills: HashMap<&'a str, &'static str>,
}

impl<'a> View<'a> {
    fn new(scenario: &'a Scenario, timetable: &'a Timetable) -> View<'a> {
        let mut fills: HashMap<&str, &'static str> = scenario
            .courses
            .iter()
            .enumerate()
            .map(|(i, course)| (course.id.as_str(), COURSE_FILLS[i % COURSE_FILLS.len()]))
            .collect();
        for class in &timetable.classes {
            let hash = super::stable_hash(class.course.as_bytes());
            fills
                .entry(class.course.as_str())
                .or_insert(COURSE_FILLS[(hash % COURSE_FILLS.len() as u64) as usize]);
        }
        View {
            scenario,
            timetable,
            lookup: Lookup::new(scenario),
            fills,
        }
    }

    /// The fill of a course's blocks.
    fn fill(&self, course: &str) -> &'static str {
        self.fills.get(course).copied().unwrap_or(COURSE_FILLS[0])
    }

    /// A municipality's display name by id, the id when unknown.
    fn municipality_name<'s>(&'s self, id: &'s str) -> &'s str {
        self.lookup
            .municipality_by_id(id)
            .map_or(id, |municipality| municipality.name.as_str())
    }
}

/// The HTML report of a timetable. `violations` (what `verify` found, if it was run) are
/// listed at the top, so a page about an invalid timetable says so.
pub fn report_html(scenario: &Scenario, timetable: &Timetable, violations: &[Violation]) -> String {
    let view = View::new(scenario, timetable);
    let page = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { "Timetable report: " (scenario.name) }
                style { (PreEscaped(CSS)) }
            }
            body {
                header.top {
                    h1 { "Timetable report: " (scenario.name) }
                    p { (term_line(scenario)) }
                }
                nav.toc {
                    a href="#figures" { "Figures" }
                    a href="#coverage" { "Coverage" }
                    a href="#venues" { "Venues" }
                    a href="#teachers" { "Teachers" }
                    a href="#unplaced" { "Unplaced" }
                    a href="#employed" { "Employed learners" }
                    a href="#referrals" { "Referrals" }
                }
                main {
                    (notices(&view, violations))
                    (headline(&view))
                    (charts::coverage(&view))
                    (week::venues(&view))
                    (week::teachers(&view))
                    (people::unplaced(&view))
                    (people::employed(&view))
                    (people::referrals(&view))
                }
                footer {
                    p {
                        "Made by roosteraar " (env!("CARGO_PKG_VERSION")) " from scenario “"
                        (scenario.name) "” and its timetable. Learners appear by id only. "
                        "Calendars per class, teacher and venue are in the "
                        code { "calendar/" } " folder; the letter to each learner is a row of "
                        code { "referrals.csv" } "."
                    }
                }
            }
        }
    };
    page.into_string()
}

/// "20 weeks from Monday 7 September 2026 to Sunday 24 January 2027; times are local
/// time in Europe/Brussels."
fn term_line(scenario: &Scenario) -> String {
    let last = scenario
        .start
        .checked_add(jiff::Span::new().days(i64::from(scenario.weeks) * 7 - 1))
        .unwrap_or(scenario.start);
    format!(
        "{} weeks from {} to {}; times are local time in {}.",
        scenario.weeks,
        long_date(scenario.start),
        long_date(last),
        scenario.timezone
    )
}

/// `Monday 7 September 2026`.
pub(super) fn long_date(date: jiff::civil::Date) -> String {
    date.strftime("%A %-d %B %Y").to_string()
}

fn notices(view: &View<'_>, violations: &[Violation]) -> Markup {
    let timetable = view.timetable;
    html! {
        @if timetable.scenario != view.scenario.name {
            p.notice {
                "This timetable names scenario “" (timetable.scenario) "”, not “"
                (view.scenario.name) "”: names and places below come from the latter."
            }
        }
        @if !violations.is_empty() {
            div.notice.bad #violations {
                p {
                    strong { "This timetable breaks " (violations.len()) " rule(s)." }
                    " It is shown as written; run " code { "roosteraar verify" }
                    " for the full list."
                }
                ul {
                    @for violation in violations.iter().take(VIOLATIONS_SHOWN) {
                        li { (violation.to_string()) }
                    }
                }
                @if violations.len() > VIOLATIONS_SHOWN {
                    p { "… and " (violations.len() - VIOLATIONS_SHOWN) " more." }
                }
            }
        }
    }
}

/// `part / whole` as a percentage with one decimal, or `n/a` when there is no whole.
pub(super) fn percent(part: u64, whole: u64) -> String {
    if whole == 0 {
        "n/a".to_string()
    } else {
        format!("{:.1} %", part as f64 * 100.0 / whole as f64)
    }
}

/// A whole number with thin spaces between thousands: `41 250`.
pub(super) fn grouped(value: u64) -> String {
    let digits = value.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 * 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{202f}');
        }
        out.push(c);
    }
    out
}

/// `1 class`, `2 classes`.
pub(super) fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// A money amount rounded to whole units, grouped: `41 250`.
pub(super) fn amount(value: f64) -> String {
    if value.is_finite() && value >= 0.0 {
        grouped(value.round() as u64)
    } else {
        money(value)
    }
}

fn figure(id: &str, label: &str, value: &str, data: &str, detail: Markup) -> Markup {
    html! {
        div.figure id=(id) {
            span.label { (label) }
            span.value data-value=(data) { (value) }
            span.detail { (detail) }
        }
    }
}

fn headline(view: &View<'_>) -> Markup {
    let timetable = view.timetable;
    let summary = &timetable.summary;
    let solver = &timetable.solver;
    let total_cost = summary.teacher_cost + summary.room_cost;
    let learners_with_needs = view
        .scenario
        .learners
        .iter()
        .filter(|l| !l.needs.is_empty())
        .count();
    let teacher_hours: f64 = timetable.classes.iter().filter_map(weekly_hours).sum();
    let average_travel = if summary.placed == 0 {
        "no placed needs".to_string()
    } else {
        format!(
            "{:.1} min one way per placed need",
            summary.travel_minutes as f64 / summary.placed as f64
        )
    };
    let per_placed = if summary.placed == 0 {
        String::new()
    } else {
        format!(
            " · {} per placed need",
            amount(total_cost / summary.placed as f64)
        )
    };
    let gap = solver.gap.map_or("gap unknown".to_string(), |gap| {
        format!("gap {:.2} %", gap * 100.0)
    });
    let bound = solver.best_bound.map_or("none".to_string(), amount);
    html! {
        section #figures .first {
            h2 { "Headline figures" }
            div.figures {
                (figure("figure-needs", "Learner-needs", &grouped(summary.needs),
                    &summary.needs.to_string(),
                    html! { (grouped(learners_with_needs as u64)) " learners in the scenario have needs" }))
                (figure("figure-placed", "Placed", &grouped(summary.placed),
                    &summary.placed.to_string(),
                    html! { "in " (count(timetable.classes.len(), "class", "classes")) ", "
                        (money(teacher_hours).trim_end_matches(".00")) " teaching hours a week" }))
                (figure("figure-coverage", "Coverage", &percent(summary.placed, summary.needs),
                    &format!("{:.6}", if summary.needs == 0 { 0.0 }
                        else { summary.placed as f64 / summary.needs as f64 }),
                    html! { (grouped(summary.needs.saturating_sub(summary.placed)))
                        " needs unplaced" }))
                (figure("figure-cost", "Cost", &amount(total_cost), &money(total_cost),
                    html! { "teachers " (amount(summary.teacher_cost)) " · rooms "
                        (amount(summary.room_cost)) (per_placed) }))
                (figure("figure-travel", "Travel", &format!("{} min", grouped(summary.travel_minutes)),
                    &summary.travel_minutes.to_string(), html! { (average_travel) }))
                (figure("figure-solver", "Solver", solver.status.name(), solver.status.name(),
                    html! { (gap) " · objective " (amount(solver.objective))
                        " · bound " (bound) " · " (format!("{:.1}", solver.seconds)) " s" }))
            }
        }
    }
}

/// The page's style sheet. Sizes of the week grids come from `week` through CSS variables.
const CSS: &str = r#"
:root { --ink:#1f2933; --muted:#5f6b7a; --line:#d9dee4; --bg:#f4f6f9; --accent:#1d4e89; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--ink); background: var(--bg); }
header.top { background: var(--accent); color: #fff; padding: 18px 32px; }
header.top h1 { margin: 0; font-size: 24px; }
header.top p { margin: 4px 0 0; opacity: .9; }
nav.toc { padding: 8px 32px; background: #fff; border-bottom: 1px solid var(--line); }
nav.toc a { margin-right: 18px; color: var(--accent); text-decoration: none; font-weight: 600; }
main { padding: 4px 32px 24px; }
footer { padding: 8px 32px 24px; color: var(--muted); font-size: 12px; }
section { margin-top: 26px; }
h2 { font-size: 20px; margin: 0 0 10px; border-bottom: 2px solid var(--accent); padding-bottom: 4px; }
h3 { font-size: 16px; margin: 14px 0 6px; }
p.lead { margin: 0 0 10px; color: var(--muted); max-width: 70em; }
code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 12px; }
.notice { background: #fff4e5; border: 1px solid #f0b429; padding: 8px 14px; border-radius: 6px; margin: 14px 0 0; }
.notice.bad { background: #ffe3e3; border-color: #e12d39; }
.notice ul { margin: 4px 0; }
.figures { display: grid; grid-template-columns: repeat(auto-fill, minmax(190px, 1fr)); gap: 12px; }
.figure { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; }
.figure .label { display: block; color: var(--muted); font-size: 11px; text-transform: uppercase; letter-spacing: .05em; }
.figure .value { display: block; font-size: 26px; font-weight: 700; white-space: nowrap; }
.figure .detail { display: block; color: var(--muted); font-size: 12px; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(560px, 1fr)); gap: 16px; align-items: start; }
figure { margin: 0; background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; }
figcaption { font-weight: 600; margin-bottom: 6px; }
svg { display: block; max-width: 100%; height: auto; }
svg text { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; }
.legend { display: flex; flex-wrap: wrap; gap: 4px 14px; font-size: 12px; margin: 4px 0 12px; }
.swatch { display: inline-block; width: 12px; height: 12px; border-radius: 3px; border: 1px solid rgba(0,0,0,.35); vertical-align: -2px; margin-right: 4px; }
.grids { display: grid; grid-template-columns: repeat(auto-fill, minmax(620px, 1fr)); gap: 14px; }
.week { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 8px 12px 12px; break-inside: avoid; }
.week h3 { margin: 0; font-size: 15px; }
.week .meta { margin: 1px 0 6px; color: var(--muted); font-size: 12px; }
.week-grid { display: grid; grid-template-columns: 40px repeat(var(--days), minmax(0, 1fr)); }
.dayname { text-align: center; font-size: 12px; font-weight: 600; color: var(--muted); border-bottom: 1px solid var(--line); padding-bottom: 2px; }
.axis, .day { position: relative; height: calc(var(--hours) * var(--hour)); }
.axis span { position: absolute; right: 5px; font-size: 10px; color: var(--muted); line-height: 1; padding-top: 2px; }
.day { border-left: 1px solid var(--line); background-image: repeating-linear-gradient(to bottom, #e8ecf1 0 1px, transparent 1px var(--hour)); }
.block { position: absolute; padding: 1px 4px; overflow: hidden; border-radius: 4px; border: 1px solid rgba(0,0,0,.35); font-size: 11px; line-height: 1.25; color: #111; }
.block b { display: block; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.block span { display: block; overflow-wrap: anywhere; }
.week.wide { grid-column: 1 / -1; }
.idle { color: var(--muted); font-size: 13px; }
table { border-collapse: collapse; background: #fff; margin: 4px 0 10px; }
th, td { border: 1px solid var(--line); padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: #eef2f7; font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
table.referrals td { font-size: 13px; }
td.date, td.course { white-space: nowrap; }
td.why { color: #8a2c0d; }
.ids { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 12px; overflow-wrap: anywhere; }
p.group { margin: 2px 0 6px; }
.muted { color: var(--muted); }
.shift { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 8px 12px; margin-bottom: 12px; break-inside: avoid; }
.shift h3 { margin: 0 0 4px; }
.person { display: grid; grid-template-columns: minmax(0, 900px) minmax(240px, 1fr); gap: 4px 16px; align-items: center; border-top: 1px solid var(--line); padding: 6px 0; }
.person ul { margin: 0; padding-left: 16px; font-size: 12px; }
@page { size: A4 landscape; margin: 10mm; }
@media print {
  body { background: #fff; font-size: 11px; }
  header.top { background: #fff; color: var(--ink); border-bottom: 2px solid var(--accent); padding: 0 0 6px; }
  nav.toc { display: none; }
  main, footer { padding: 0; }
  section { break-before: page; margin-top: 0; }
  section.first { break-before: auto; margin-top: 10px; }
  .grids, .charts { grid-template-columns: 1fr 1fr; }
  .week-grid { --hour: 21px !important; }
  .block { font-size: 9px; line-height: 1.15; }
  .week, figure, .figure, .shift, .person, tr { break-inside: avoid; }
  h2, h3 { break-after: avoid; }
}
"#;
