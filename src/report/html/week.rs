//! Weekly grids: one per venue and one per teacher with classes. Days run across, hours
//! down, and each session of a class is a block placed at its time. Classes that overlap
//! (two rooms of one venue at once) share the column side by side.

use std::collections::BTreeSet;

use maud::{Markup, html};

use super::{View, count};
use crate::time::{Day, parse_clock};
use crate::timetable::ClassEntry;
use crate::write::lookup::{hours, weekly_hours};

/// Height of one hour in the grids on screen, CSS pixels: a 90-minute session gets three
/// lines. Positions are written in hours times the CSS variable `--hour`, so that print can
/// make the grids shorter.
const HOUR_PX: f64 = 34.0;

/// The frame all grids share, so that grids can be compared at a glance: the days with any
/// session (Monday to Friday always) and the hours from the earliest start to the latest end.
struct Frame {
    days: Vec<Day>,
    /// First hour shown.
    from: u32,
    /// Hour the grid ends at.
    to: u32,
}

impl Frame {
    fn new(classes: &[ClassEntry]) -> Frame {
        let mut days: BTreeSet<Day> = Day::ALL[..5].iter().copied().collect();
        let (mut earliest, mut latest) = (u32::MAX, 0);
        for class in classes {
            for session in &class.sessions {
                if let Some((start, end)) = minutes(&session.start, &session.end) {
                    days.insert(session.day);
                    earliest = earliest.min(start);
                    latest = latest.max(end);
                }
            }
        }
        let (from, to) = if earliest < latest {
            (earliest / 60, latest.div_ceil(60))
        } else {
            (8, 18)
        };
        Frame {
            days: days.into_iter().collect(),
            from,
            to,
        }
    }

    fn style(&self) -> String {
        format!(
            "--days:{};--hours:{};--hour:{HOUR_PX}px",
            self.days.len(),
            self.to - self.from
        )
    }
}

/// Start and end of a session in minutes of the day, when both read and run forwards.
fn minutes(start: &str, end: &str) -> Option<(u32, u32)> {
    let (start, end) = (parse_clock(start).ok()?, parse_clock(end).ok()?);
    (start < end).then_some((start, end))
}

/// One session as a block: its class and its lane among overlapping sessions.
struct Placed<'t> {
    class: &'t ClassEntry,
    start: u32,
    end: u32,
    lane: usize,
    lanes: usize,
}

/// The sessions of `classes` on `day`, each with a lane: overlapping sessions get distinct
/// lanes, and every session of a group of overlapping ones knows how many lanes the group
/// uses, so that they split the column's width.
fn lay_out<'t>(classes: &[&'t ClassEntry], day: Day) -> Vec<Placed<'t>> {
    let mut items: Vec<Placed<'t>> = classes
        .iter()
        .flat_map(|class| {
            class
                .sessions
                .iter()
                .filter(move |s| s.day == day)
                .filter_map(move |s| {
                    let (start, end) = minutes(&s.start, &s.end)?;
                    Some(Placed {
                        class,
                        start,
                        end,
                        lane: 0,
                        lanes: 1,
                    })
                })
        })
        .collect();
    items.sort_by_key(|item| (item.start, item.end));
    let mut group_start = 0;
    let mut group_end = 0;
    let mut lane_ends: Vec<u32> = Vec::new();
    for i in 0..items.len() {
        if items[i].start >= group_end {
            for item in &mut items[group_start..i] {
                item.lanes = lane_ends.len();
            }
            group_start = i;
            lane_ends.clear();
        }
        let lane = match lane_ends.iter().position(|&end| end <= items[i].start) {
            Some(lane) => lane,
            None => {
                lane_ends.push(0);
                lane_ends.len() - 1
            }
        };
        lane_ends[lane] = items[i].end;
        items[i].lane = lane;
        group_end = group_end.max(items[i].end);
    }
    let lanes = lane_ends.len();
    for item in &mut items[group_start..] {
        item.lanes = lanes;
    }
    items
}

/// Which grid a block is in: it shows what the grid's own heading does not.
#[derive(Clone, Copy)]
enum Side {
    Venue,
    Teacher,
}

fn grid(view: &View<'_>, frame: &Frame, classes: &[&ClassEntry], side: Side) -> Markup {
    let lookup = &view.lookup;
    html! {
        div.week-grid style=(frame.style()) {
            div {}
            @for day in &frame.days {
                div.dayname { (short_day(*day)) }
            }
            div.axis {
                @for hour in frame.from..frame.to {
                    span style=(format!("top:calc({} * var(--hour))", hour - frame.from)) {
                        (format!("{hour:02}:00"))
                    }
                }
            }
            @for day in &frame.days {
                div.day data-day=(day.name()) {
                    @for item in lay_out(classes, *day) {
                        @let class = item.class;
                        @let top = f64::from(item.start.saturating_sub(frame.from * 60)) / 60.0;
                        @let height = f64::from(item.end - item.start) / 60.0;
                        @let width = 100.0 / item.lanes as f64;
                        @let room = lookup.room(&class.venue, &class.room);
                        @let course = lookup.course(&class.course);
                        @let limit = match (room, course) {
                            (Some(room), Some(course)) => Some(room.capacity.min(course.max_size)),
                            (None, Some(course)) => Some(course.max_size),
                            _ => None,
                        };
                        @let size = match limit {
                            Some(limit) => format!("{} of {limit} learners", class.learners.len()),
                            None => format!("{} learners", class.learners.len()),
                        };
                        @let venue = lookup.venue(&class.venue)
                            .map_or(class.venue.as_str(), |(_, v)| v.name.as_str());
                        @let teacher = lookup.teacher(&class.teacher)
                            .map_or(class.teacher.as_str(), |t| t.name.as_str());
                        @let title = format!(
                            "{} {} · {} {}-{} · {venue}, room {} · {size} · teacher {teacher}",
                            class.id, class.course, short_day(*day), clock(item.start),
                            clock(item.end), class.room
                        );
                        div.block data-class=(class.id) title=(title)
                            style=(format!(
                                "top:calc({top:.4} * var(--hour));height:calc({height:.4} * var(--hour));left:calc({:.3}% + 1px);width:calc({width:.3}% - 2px);background:{}",
                                width * item.lane as f64, view.fill(&class.course)
                            )) {
                            b { (class.course) }
                            @match side {
                                Side::Venue => {
                                    span { (class.id) " · room " (class.room) }
                                    span { (size) }
                                }
                                Side::Teacher => {
                                    span { (venue) }
                                    span { "room " (class.room) " · " (class.learners.len()) " learners" }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The most sessions side by side on any day: a grid with more than one gets a whole row
/// of the page, so that its blocks stay readable.
fn most_lanes(classes: &[&ClassEntry], frame: &Frame) -> usize {
    frame
        .days
        .iter()
        .flat_map(|day| lay_out(classes, *day))
        .map(|item| item.lanes)
        .max()
        .unwrap_or(1)
}

fn clock(minutes: u32) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

fn short_day(day: Day) -> &'static str {
    ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][day.index() as usize]
}

/// Classes grouped by a key (venue or teacher id): the scenario's order of `known` ids
/// first, then ids it does not know in order of first mention.
fn group_by<'t>(
    classes: &'t [ClassEntry],
    known: &[&str],
    key: impl Fn(&'t ClassEntry) -> &'t str,
) -> Vec<(&'t str, Vec<&'t ClassEntry>)> {
    let mut groups: Vec<(&str, Vec<&ClassEntry>)> = Vec::new();
    for class in classes {
        let id = key(class);
        match groups.iter_mut().find(|(g, _)| *g == id) {
            Some((_, list)) => list.push(class),
            None => groups.push((id, vec![class])),
        }
    }
    let rank = |id: &str| known.iter().position(|k| *k == id).unwrap_or(usize::MAX);
    groups.sort_by_key(|(id, _)| rank(id));
    groups
}

fn legend(view: &View<'_>) -> Markup {
    let mut courses: Vec<&str> = Vec::new();
    for course in &view.scenario.courses {
        if view.timetable.classes.iter().any(|c| c.course == course.id) {
            courses.push(&course.id);
        }
    }
    for class in &view.timetable.classes {
        if !courses.contains(&class.course.as_str()) {
            courses.push(&class.course);
        }
    }
    html! {
        div.legend {
            @for course in courses {
                span {
                    span.swatch style=(format!("background:{}", view.fill(course))) {}
                    (course)
                    @let description = super::super::referrals::course_description(&view.lookup, course);
                    @if !description.is_empty() {
                        span.muted { " (" (description) ")" }
                    }
                }
            }
        }
    }
}

/// The venue section: one grid per venue with classes.
pub(super) fn venues(view: &View<'_>) -> Markup {
    let frame = Frame::new(&view.timetable.classes);
    let known: Vec<&str> = view.scenario.venues.iter().map(|v| v.id.as_str()).collect();
    let groups = group_by(&view.timetable.classes, &known, |c| c.venue.as_str());
    let idle: Vec<&crate::domain::Venue> = view
        .scenario
        .venues
        .iter()
        .filter(|v| !groups.iter().any(|(id, _)| *id == v.id))
        .collect();
    html! {
        section #venues {
            h2 { "Week per venue" }
            p.lead {
                "Each block is one weekly session of a class: course, class, room and size. "
                "Classes run every week from their first day for their number of weeks."
            }
            (legend(view))
            @if groups.is_empty() {
                p.idle { "No classes." }
            }
            div.grids {
                @for (id, classes) in &groups {
                    @let found = view.lookup.venue(id).map(|(_, v)| v);
                    article.week.wide[most_lanes(classes, &frame) > 1] data-venue=(id) {
                        h3 {
                            (found.map_or(*id, |v| v.name.as_str()))
                            " " span.muted { "(" (id) ")" }
                        }
                        p.meta {
                            @if let Some(venue) = found {
                                @if let Some(m) = view.lookup.venue_municipality(venue) { (m.name) }
                                @if let Some(address) = &venue.address { " · " (address) }
                                @if let Some(employer) = &venue.employer {
                                    " · workplace of " (employer)
                                }
                                " · rooms "
                                (venue.rooms.iter().map(|r| format!("{} ({} seats)", r.id, r.capacity))
                                    .collect::<Vec<_>>().join(", "))
                            } @else {
                                "not in the scenario"
                            }
                            " · " (count(classes.len(), "class", "classes"))
                        }
                        (grid(view, &frame, classes, Side::Venue))
                    }
                }
            }
            @if !idle.is_empty() {
                p.idle {
                    "Venues without classes: "
                    (idle.iter().map(|v| format!("{} ({})", v.name, v.id)).collect::<Vec<_>>().join(", "))
                    "."
                }
            }
        }
    }
}

/// The teacher section: one grid per teacher with classes, with the weekly load.
pub(super) fn teachers(view: &View<'_>) -> Markup {
    let frame = Frame::new(&view.timetable.classes);
    let known: Vec<&str> = view
        .scenario
        .teachers
        .iter()
        .map(|t| t.id.as_str())
        .collect();
    let groups = group_by(&view.timetable.classes, &known, |c| c.teacher.as_str());
    let idle: Vec<&crate::domain::Teacher> = view
        .scenario
        .teachers
        .iter()
        .filter(|t| !groups.iter().any(|(id, _)| *id == t.id))
        .collect();
    html! {
        section #teachers {
            h2 { "Week per teacher" }
            p.lead { "Each block is one weekly session: course, venue, room and size." }
            div.grids {
                @for (id, classes) in &groups {
                    @let found = view.lookup.teacher(id);
                    @let load: f64 = classes.iter().copied().filter_map(weekly_hours).sum();
                    article.week.wide[most_lanes(classes, &frame) > 1] data-teacher=(id) {
                        h3 {
                            (found.map_or(*id, |t| t.name.as_str()))
                            " " span.muted { "(" (id) ")" }
                        }
                        p.meta {
                            (hours(load)) " hours a week"
                            @if let Some(teacher) = found {
                                " of at most " (hours(teacher.max_hours))
                            }
                            " · " (count(classes.len(), "class", "classes"))
                        }
                        (grid(view, &frame, classes, Side::Teacher))
                    }
                }
            }
            @if !idle.is_empty() {
                p.idle {
                    "Teachers without classes: "
                    (idle.iter().map(|t| format!("{} ({})", t.name, t.id)).collect::<Vec<_>>().join(", "))
                    "."
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::timetable::SessionEntry;

    fn class(id: &str, day: Day, start: &str, end: &str) -> ClassEntry {
        ClassEntry {
            id: id.into(),
            course: "c".into(),
            format: "f".into(),
            venue: "v".into(),
            room: "A".into(),
            teacher: "t".into(),
            weeks: 1,
            first_day: "2026-09-07".into(),
            last_day: "2026-09-07".into(),
            sessions: vec![SessionEntry {
                day,
                start: start.into(),
                end: end.into(),
            }],
            learners: vec![],
        }
    }

    #[test]
    fn overlapping_sessions_share_the_column_and_others_take_it_whole() {
        let a = class("A", Day::Mon, "09:00", "12:00");
        let b = class("B", Day::Mon, "10:00", "13:00");
        let c = class("C", Day::Mon, "12:00", "14:00");
        let d = class("D", Day::Mon, "18:00", "21:00");
        let e = class("E", Day::Tue, "18:00", "21:00");
        let placed = lay_out(&[&a, &b, &c, &d, &e], Day::Mon);
        let by_id = |id: &str| placed.iter().find(|p| p.class.id == id).unwrap();
        assert_eq!(placed.len(), 4);
        assert_eq!((by_id("A").lane, by_id("A").lanes), (0, 2));
        assert_eq!((by_id("B").lane, by_id("B").lanes), (1, 2));
        // C starts when A ends: it reuses A's lane within the same group.
        assert_eq!((by_id("C").lane, by_id("C").lanes), (0, 2));
        assert_eq!((by_id("D").lane, by_id("D").lanes), (0, 1));
    }

    #[test]
    fn the_frame_spans_whole_hours_and_weekdays() {
        let classes = [
            class("A", Day::Sat, "08:30", "12:00"),
            class("B", Day::Mon, "18:30", "21:15"),
        ];
        let frame = Frame::new(&classes);
        assert_eq!((frame.from, frame.to), (8, 22));
        assert_eq!(frame.days.len(), 6);
        assert_eq!(frame.days[5], Day::Sat);
    }
}
