//! The sections about learners: unplaced needs by reason and municipality, employed
//! learners with their classes around their shifts, and the referral list.

use std::collections::{BTreeMap, HashMap};

use maud::{Markup, html};

use super::{View, grouped, percent};
use crate::domain::{Learner, LearnerId, is_own_workplace};
use crate::time::{MINUTES_PER_DAY, MINUTES_PER_WEEK, parse_clock};
use crate::timetable::{ClassEntry, Reason};

/// Unplaced needs listed by id in one group (reason and municipality) before the rest are
/// only counted.
const IDS_PER_GROUP: usize = 60;
/// Employed learners drawn per shift; the rest are counted.
const SAMPLE_PER_SHIFT: usize = 6;
/// Learners in the referral section; `referrals.csv` has them all.
const REFERRAL_LEARNERS: usize = 300;

/// Strip drawings: width of the label column and of one day, height of one row.
const STRIP_LABEL: f64 = 52.0;
const STRIP_DAY: f64 = 120.0;
const STRIP_ROW: f64 = 13.0;
const STRIP_TOP: f64 = 14.0;

/// An unplaced need as listed: learner id and course id.
type Need<'t> = (&'t str, &'t str);

/// The municipality a learner id belongs to, by name; "unknown learner" for an id the
/// scenario lacks.
fn home<'a>(view: &'a View<'_>, learner: &str) -> &'a str {
    view.lookup
        .learner(learner)
        .and_then(|(_, l)| view.lookup.learner_municipality(l))
        .map_or("unknown learner", |m| m.name.as_str())
}

/// The unplaced section: counts by reason, counts by municipality and reason, and the
/// learner ids of each group.
pub(super) fn unplaced(view: &View<'_>) -> Markup {
    let unplaced = &view.timetable.unplaced;
    let total = unplaced.len() as u64;
    // Municipalities in scenario order, unknown learners last.
    let rank = |name: &str| {
        view.scenario
            .municipalities
            .iter()
            .position(|m| m.name == name)
            .unwrap_or(usize::MAX)
    };
    let mut by_place: BTreeMap<(usize, &str), [u64; 4]> = BTreeMap::new();
    let mut groups: BTreeMap<(Reason, usize, &str), Vec<Need<'_>>> = BTreeMap::new();
    for need in unplaced {
        let place = home(view, &need.learner);
        let reason = Reason::ALL
            .iter()
            .position(|r| *r == need.reason)
            .unwrap_or(0);
        by_place.entry((rank(place), place)).or_default()[reason] += 1;
        groups
            .entry((need.reason, rank(place), place))
            .or_default()
            .push((need.learner.as_str(), need.course.as_str()));
    }
    let needs_of = |name: &str| {
        view.timetable
            .summary
            .by_municipality
            .iter()
            .find(|row| view.municipality_name(&row.municipality) == name)
            .map(|row| row.needs)
    };
    html! {
        section #unplaced {
            h2 { "Unplaced needs" }
            @if unplaced.is_empty() {
                p { "None: every learner-need is placed." }
            } @else {
                p.lead {
                    (grouped(total)) " learner-needs have no class. Each has the first reason that "
                    "applies, in the order below."
                }
                table #unplaced-by-reason {
                    tr { th { "Reason" } th.num { "Needs" } th.num { "Share" } th { "What it means" } }
                    @for reason in Reason::ALL {
                        @let count = unplaced.iter().filter(|n| n.reason == reason).count() as u64;
                        tr data-reason=(reason.name()) {
                            td { code { (reason.name()) } }
                            td.num { (grouped(count)) }
                            td.num { (percent(count, total)) }
                            td { (reason.explain()) }
                        }
                    }
                }
                h3 { "By municipality" }
                table #unplaced-by-municipality {
                    tr {
                        th { "Municipality" } th.num { "Needs" } th.num { "Unplaced" }
                        @for reason in Reason::ALL { th.num { code { (reason.name()) } } }
                    }
                    @for ((_, place), counts) in &by_place {
                        tr {
                            td { (place) }
                            td.num { (needs_of(place).map(grouped).unwrap_or_default()) }
                            td.num { (grouped(counts.iter().sum())) }
                            @for count in counts { td.num { (grouped(*count)) } }
                        }
                    }
                }
                h3 { "Learner ids" }
                p.lead {
                    "Per reason and municipality, as " code { "learner (course)" } "; at most "
                    (IDS_PER_GROUP) " per group here, all of them in " code { "referrals.csv" } "."
                }
                @for reason in Reason::ALL {
                    @let in_reason: Vec<_> = groups.iter().filter(|((r, _, _), _)| *r == reason).collect();
                    @if !in_reason.is_empty() {
                        h3 { code { (reason.name()) } }
                        @for ((_, _, place), ids) in in_reason {
                            p.group data-reason=(reason.name()) {
                                strong { (place) } " (" (ids.len()) "): "
                                span.ids {
                                    (ids.iter().take(IDS_PER_GROUP)
                                        .map(|(learner, course)| format!("{learner} ({course})"))
                                        .collect::<Vec<_>>().join(", "))
                                }
                                @if ids.len() > IDS_PER_GROUP {
                                    " … and " (ids.len() - IDS_PER_GROUP) " more"
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Pieces of `[start, end)` in minutes of the week, wrapped around the week's end (a
/// travel margin before a Monday-morning session starts on Sunday).
fn wrapped(start: i64, end: i64) -> Vec<(f64, f64)> {
    let week = i64::from(MINUTES_PER_WEEK);
    if end <= start {
        return Vec::new();
    }
    if end - start >= week {
        return vec![(0.0, week as f64)];
    }
    let (s, e) = (
        start.rem_euclid(week),
        start.rem_euclid(week) + (end - start),
    );
    if e <= week {
        vec![(s as f64, e as f64)]
    } else {
        vec![(s as f64, week as f64), (0.0, (e - week) as f64)]
    }
}

/// x of a minute of the week in a strip.
fn strip_x(minute: f64) -> f64 {
    STRIP_LABEL + minute / f64::from(MINUTES_PER_DAY) * STRIP_DAY
}

/// A week strip: one row per week of the rotation, with the work windows of that week,
/// the learner's unavailable times, and the class sessions with their travel margins.
fn strip(
    view: &View<'_>,
    learner: Option<(LearnerId, &Learner)>,
    rotation: &[crate::time::WeekSet],
    classes: &[&ClassEntry],
) -> Markup {
    let rows = rotation.len().max(1);
    let width = STRIP_LABEL + 7.0 * STRIP_DAY;
    let height = STRIP_TOP + rows as f64 * STRIP_ROW + 2.0;
    let unavailable = learner
        .map(|(_, l)| l.unavailable.intervals().to_vec())
        .unwrap_or_default();
    html! {
        svg.strip xmlns="http://www.w3.org/2000/svg" width=(width) height=(height)
            viewBox=(format!("0 0 {width} {height}")) {
            @for (d, name) in ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"].iter().enumerate() {
                @let x = STRIP_LABEL + d as f64 * STRIP_DAY;
                text x=(x + 3.0) y="10" font-size="10" fill="#5f6b7a" { (name) }
                line x1=(x) x2=(x) y1="0" y2=(height) stroke="#c3cad3" stroke-width="0.75" {}
            }
            @for row in 0..rows {
                @let y = STRIP_TOP + row as f64 * STRIP_ROW;
                text x="0" y=(y + 9.5) font-size="10" fill="#5f6b7a" {
                    @if rows == 1 { "work" } @else { "week " (row + 1) }
                }
                rect x=(STRIP_LABEL) y=(y) width=(7.0 * STRIP_DAY) height=(STRIP_ROW - 2.0) fill="#f1f4f7" {}
                @if let Some(week) = rotation.get(row) {
                    @for interval in week.intervals() {
                        rect.work x=(format!("{:.1}", strip_x(f64::from(interval.start)))) y=(y)
                            width=(format!("{:.1}", strip_x(f64::from(interval.end)) - strip_x(f64::from(interval.start))))
                            height=(STRIP_ROW - 2.0) fill="#52606d" {}
                    }
                }
                @for interval in &unavailable {
                    rect.unavailable x=(format!("{:.1}", strip_x(f64::from(interval.start)))) y=(y)
                        width=(format!("{:.1}", strip_x(f64::from(interval.end)) - strip_x(f64::from(interval.start))))
                        height=(STRIP_ROW - 2.0) fill="#f29b9b" {}
                }
                @for class in classes {
                    @let travel = learner.and_then(|(id, _)| {
                        view.lookup.venue(&class.venue).map(|(venue, _)| view.scenario.learner_travel(id, venue))
                    }).unwrap_or(0);
                    @let at_work = learner.zip(view.lookup.venue(&class.venue))
                        .is_some_and(|((_, l), (_, v))| is_own_workplace(l, v));
                    @for session in &class.sessions {
                        @if let (Ok(start), Ok(end)) = (parse_clock(&session.start), parse_clock(&session.end)) {
                            @let day = i64::from(session.day.index() * MINUTES_PER_DAY);
                            @let (s, e) = (day + i64::from(start), day + i64::from(end));
                            @for (a, b) in wrapped(s - i64::from(travel), s).into_iter().chain(wrapped(e, e + i64::from(travel))) {
                                rect.travel x=(format!("{:.1}", strip_x(a))) y=(y + 2.0)
                                    width=(format!("{:.1}", strip_x(b) - strip_x(a))) height=(STRIP_ROW - 6.0)
                                    fill=(view.fill(&class.course)) fill-opacity="0.55" {}
                            }
                            @for (a, b) in wrapped(s, e) {
                                rect.session x=(format!("{:.1}", strip_x(a))) y=(y - 1.0)
                                    width=(format!("{:.1}", (strip_x(b) - strip_x(a)).max(2.0))) height=(STRIP_ROW)
                                    fill=(view.fill(&class.course)) stroke="#111"
                                    stroke-width="1" stroke-dasharray=(if at_work { "3 2" } else { "none" }) {
                                    title {
                                        (class.course) " " (class.id) " " (session.day.name()) " "
                                        (session.start) "-" (session.end)
                                        @if at_work { " at the workplace" } @else { " (travel " (travel) " min each way)" }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Up to [`SAMPLE_PER_SHIFT`] of `members`: those with a class first, then the others, each
/// in scenario order.
fn sample<'m, 'a>(
    members: &'m [(usize, &'a Learner)],
    has_class: impl Fn(&Learner) -> bool,
) -> Vec<&'m (usize, &'a Learner)> {
    let (with, without): (Vec<_>, Vec<_>) = members.iter().partition(|(_, l)| has_class(l));
    with.into_iter()
        .chain(without)
        .take(SAMPLE_PER_SHIFT)
        .collect()
}

/// The employed-learner section: per shift, the learners with it and how many of their
/// needs are placed, the shift's weeks, and week strips for a few of its learners.
pub(super) fn employed(view: &View<'_>) -> Markup {
    let scenario = view.scenario;
    let mut classes_of: HashMap<&str, Vec<&ClassEntry>> = HashMap::new();
    for class in &view.timetable.classes {
        for learner in &class.learners {
            classes_of.entry(learner.as_str()).or_default().push(class);
        }
    }
    let mut unplaced_of: HashMap<&str, Vec<(&str, Reason)>> = HashMap::new();
    for need in &view.timetable.unplaced {
        unplaced_of
            .entry(need.learner.as_str())
            .or_default()
            .push((need.course.as_str(), need.reason));
    }
    let employed = scenario
        .learners
        .iter()
        .filter(|l| l.shift.is_some())
        .count();
    html! {
        section #employed {
            h2 { "Employed learners" }
            @if employed == 0 {
                p { "No learner in the scenario has a work schedule." }
            } @else {
                p.lead {
                    (grouped(employed as u64)) " learners work shifts. Per shift: how many of their needs "
                    "are placed, and for up to " (SAMPLE_PER_SHIFT) " of its learners (those with a class "
                    "first, in scenario order) a week strip: work in dark grey, times the learner is "
                    "unavailable in pink, class sessions in the course colour with the travel time "
                    "before and after in a lighter shade, dashed when the class is at the learner's "
                    "own workplace (in paid work time). The other learners of each shift are counted, "
                    "not drawn."
                }
                @for (index, shift) in scenario.shifts.iter().enumerate() {
                    @let members: Vec<(usize, &Learner)> = scenario.learners.iter().enumerate()
                        .filter(|(_, l)| l.shift.map(|s| s.index()) == Some(index)).collect();
                    @if !members.is_empty() {
                        @let needs: usize = members.iter().map(|(_, l)| l.needs.len()).sum();
                        @let placed: usize = members.iter()
                            .map(|(_, l)| classes_of.get(l.id.as_str()).map_or(0, Vec::len)).sum();
                        @let sample = sample(&members, |l| classes_of.contains_key(l.id.as_str()));
                        div.shift data-shift=(shift.id) {
                            h3 { "Shift " code { (shift.id) } }
                            p.meta {
                                (members.len()) " learners · " (needs) " needs · " (placed) " placed ("
                                (percent(placed as u64, needs as u64)) ")"
                                @if shift.weeks.len() > 1 { " · rotates over " (shift.weeks.len()) " weeks" }
                                " · showing " (sample.len()) " of " (members.len())
                            }
                            (strip(view, None, &shift.weeks, &[]))
                            @for (position, learner) in sample {
                                @let classes = classes_of.get(learner.id.as_str()).cloned().unwrap_or_default();
                                div.person data-learner=(learner.id) {
                                    (strip(view, Some((LearnerId(*position), learner)), &shift.weeks, &classes))
                                    div {
                                        strong.ids { (learner.id) }
                                        @if let Some(employer) = &learner.employer { span.muted { " · works at " (employer) } }
                                        ul {
                                            @for class in &classes {
                                                @let venue = view.lookup.venue(&class.venue).map_or(class.venue.as_str(), |(_, v)| v.name.as_str());
                                                li { (class.course) ": " (class.id) " at " (venue) ", "
                                                    (super::super::referrals::days_in_words(class)) }
                                            }
                                            @for (course, reason) in unplaced_of.get(learner.id.as_str()).cloned().unwrap_or_default() {
                                                li { (course) ": " span.muted { "not placed: " (reason.explain()) } }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The referral section: per learner, each need with where and when, or why not.
pub(super) fn referrals(view: &View<'_>) -> Markup {
    let rows = super::super::referrals::referrals(view.scenario, view.timetable);
    // Consecutive rows of one learner form a group (the rows are ordered by learner).
    let mut groups: Vec<Vec<&super::super::Referral>> = Vec::new();
    for row in &rows {
        match groups.last_mut() {
            Some(group) if group[0].learner == row.learner => group.push(row),
            _ => groups.push(vec![row]),
        }
    }
    let shown = groups.len().min(REFERRAL_LEARNERS);
    let placed_only = rows.iter().filter(|row| row.status == "placed").count();
    html! {
        section #referrals {
            h2 { "Referrals" }
            p.lead {
                "What to tell each learner: per need, the class with its place, times, first day "
                "and teacher, or why there is none. " (grouped(placed_only as u64)) " of "
                (grouped(rows.len() as u64)) " needs have a class. "
                @if shown < groups.len() {
                    "The first " (shown) " of " (grouped(groups.len() as u64))
                    " learners are shown here; all of them are in " code { "referrals.csv" } "."
                } @else {
                    "The same list, one row per need, is " code { "referrals.csv" } "."
                }
            }
            table.referrals {
                tr {
                    th { "Learner" } th { "Municipality" } th { "Course" } th { "Class" }
                    th { "Where" } th { "When" } th { "First day" } th { "Teacher" }
                }
                @for group in groups.iter().take(shown) {
                    @for (i, row) in group.iter().enumerate() {
                        tr data-learner=(row.learner) {
                            @if i == 0 {
                                td.ids rowspan=(group.len()) { (row.learner) }
                                td rowspan=(group.len()) { (row.municipality) }
                            }
                            td.course { (row.course) @if !row.course_description.is_empty() {
                                br; span.muted { (row.course_description) } } }
                            @if row.status == "placed" {
                                td { (row.class) }
                                td {
                                    (row.venue) ", room " (row.room)
                                    @if !row.address.is_empty() { br; (row.address) }
                                    @else if !row.venue_municipality.is_empty() { br; span.muted { (row.venue_municipality) } }
                                }
                                td { (row.days_and_times) br; span.muted { (row.weeks) " weeks, until " (row.last_day) } }
                                td.date { (row.first_day) }
                                td { (row.teacher) }
                            } @else {
                                td.why colspan="5" { "No class: " (row.reason) }
                            }
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn margins_wrap_around_the_end_of_the_week() {
        let week = f64::from(MINUTES_PER_WEEK);
        assert_eq!(wrapped(-30, 60), vec![(week - 30.0, week), (0.0, 60.0)]);
        assert_eq!(wrapped(100, 200), vec![(100.0, 200.0)]);
        assert!(wrapped(50, 50).is_empty());
    }
}
