//! The independent checker: scores any timetable against the SPEC's named rules (hard rules
//! 1–11 of section 5, the objective of section 6, the reasons of section 7 and the file
//! contract of section 8) without the solver or the formulation.
//!
//! It is a second, deliberately plain implementation of the rules, so that the checker and the
//! solver catch each other's bugs. It reads the scenario through the section 4 helpers of
//! [`crate::domain`] only.
//!
//! Decisions where the SPEC is silent:
//! - A class is judged by its format's sessions and the scenario's `weeks(class)`; the
//!   `sessions`, `weeks`, `first_day` and `last_day` written in the file are checked against
//!   those (section 8) but never used for the rules, so a wrong copy is one file violation.
//! - An id that the scenario does not know is a violation of the rule it belongs to (catalogue
//!   for course, format, venue, room and teacher; need for a learner), and the checks of that
//!   class that need the missing entity are skipped.
//! - A class's size is the number of distinct learner ids it lists; a learner listed twice in
//!   one class, or placed in two classes for one need, breaks rule 6 (need).
//! - A placed learner-need is a known learner in a class of a course among their needs; if
//!   the learner is in several classes of that course, the first in file order places it.
//!   Summary, objective and completeness count placed learner-needs, never class seats.
//! - Sessions are merged across adjacent open or available windows (`WeekSet::contains`).
//! - Travel separation applies only to sessions on the same day; the gap is the later
//!   session's start minus the earlier one's end.
//! - When a class has an unknown course, format, venue or teacher, its cost and travel cannot
//!   be computed, so the objective and the summary's cost and travel figures are not compared.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;

use crate::domain::{
    CourseId, FormatId, LearnerId, Mode, MunicipalityId, RoomId, Scenario, TeacherId, VenueId,
    is_own_workplace,
};
use crate::time::{Interval, Session, WeekSet, format_clock, parse_clock};
use crate::timetable::{ClassEntry, OptionalChoice, Reason, ResourceKind, Timetable};

/// Relative tolerance of the objective and of the summary's costs (SPEC section 6).
const RELATIVE_TOLERANCE: f64 = 1e-6;
/// Tolerance of the hard limits on hours and budget, to absorb floating-point sums.
const LIMIT_TOLERANCE: f64 = 1e-9;

/// A named rule of the SPEC: the hard rules 1–11 of section 5, then sections 6, 7 and 8.
/// Ordered as in the SPEC.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rule {
    /// Rule 1: format of the course and fitting the term, room of the venue, teacher qualified.
    Catalogue,
    /// Rule 2: every session inside the venue's open hours.
    VenueHours,
    /// Rule 3: class size between the course's minimum and the smaller of maximum and room capacity.
    Size,
    /// Rule 4: no two classes in one room at overlapping times.
    Room,
    /// Rule 5: teacher available, no double booking, weekly hours, travel between venues.
    Teacher,
    /// Rule 6: learners only in classes of courses they need, at most one class per need.
    Need,
    /// Rule 7: learner's travel time within their limit.
    Reach,
    /// Rule 8: sessions plus travel clear of work and unavailable times.
    WorkAndAvailability,
    /// Rule 9: workplace classes hold only that employer's learners.
    Workplaces,
    /// Rule 10: a learner's classes neither overlap nor leave too little travel time.
    OwnClash,
    /// Rule 11: total cost within the budget.
    Budget,
    /// Section 6: the written objective equals the formula on the written timetable.
    Objective,
    /// Section 7: each unplaced need carries the first reason that applies.
    Reasons,
    /// Section 8: completeness, ids, summary, dates, sessions and weeks of the file.
    File,
}

impl Rule {
    /// Every rule, in SPEC order.
    pub const ALL: [Rule; 14] = [
        Rule::Catalogue,
        Rule::VenueHours,
        Rule::Size,
        Rule::Room,
        Rule::Teacher,
        Rule::Need,
        Rule::Reach,
        Rule::WorkAndAvailability,
        Rule::Workplaces,
        Rule::OwnClash,
        Rule::Budget,
        Rule::Objective,
        Rule::Reasons,
        Rule::File,
    ];

    /// True for the hard rules of SPEC section 5.
    pub fn is_hard(&self) -> bool {
        *self <= Rule::Budget
    }

    /// The rule number (1–11) for a hard rule, else the SPEC section number (6, 7 or 8).
    pub fn number(&self) -> u32 {
        match self {
            Rule::Catalogue => 1,
            Rule::VenueHours => 2,
            Rule::Size => 3,
            Rule::Room => 4,
            Rule::Teacher => 5,
            Rule::Need => 6,
            Rule::Reach => 7,
            Rule::WorkAndAvailability => 8,
            Rule::Workplaces => 9,
            Rule::OwnClash => 10,
            Rule::Budget => 11,
            Rule::Objective => 6,
            Rule::Reasons => 7,
            Rule::File => 8,
        }
    }

    /// `rule N` for a hard rule, `section N` for the others.
    pub fn label(&self) -> String {
        if self.is_hard() {
            format!("rule {}", self.number())
        } else {
            format!("section {}", self.number())
        }
    }

    /// Short name, as used in messages (`venue-hours`).
    pub fn name(&self) -> &'static str {
        match self {
            Rule::Catalogue => "catalogue",
            Rule::VenueHours => "venue-hours",
            Rule::Size => "size",
            Rule::Room => "room",
            Rule::Teacher => "teacher",
            Rule::Need => "need",
            Rule::Reach => "reach",
            Rule::WorkAndAvailability => "work-and-availability",
            Rule::Workplaces => "workplaces",
            Rule::OwnClash => "own-clash",
            Rule::Budget => "budget",
            Rule::Objective => "objective",
            Rule::Reasons => "reasons",
            Rule::File => "file",
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.label(), self.name())
    }
}

/// One broken rule: which rule, about what, and what is wrong in plain words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// The rule broken.
    pub rule: Rule,
    /// What it is about: `class C003`, `teacher t-an`, `learner L-0002`,
    /// `learner L-0002, need nt2-a1`, `summary` or `timetable`.
    pub subject: String,
    /// What is wrong, with the numbers involved.
    pub message: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}: {}", self.rule, self.subject, self.message)
    }
}

/// Checks a timetable against the scenario; an empty list means valid. Violations come
/// ordered by rule; within a rule they follow the check's walk over classes, teachers or
/// learners, so the order is the same for the same input. Never panics, whatever the
/// timetable holds.
pub fn verify(scenario: &Scenario, timetable: &Timetable) -> Vec<Violation> {
    let mut out = Vec::new();
    let checker = Checker::new(scenario, timetable, &mut out);
    checker.catalogue(&mut out);
    checker.venue_hours(&mut out);
    checker.size(&mut out);
    checker.room(&mut out);
    checker.teacher(&mut out);
    checker.need(&mut out);
    checker.reach(&mut out);
    checker.work_and_availability(&mut out);
    checker.workplaces(&mut out);
    checker.own_clash(&mut out);
    checker.budget(&mut out);
    checker.objective(&mut out);
    checker.reasons(&mut out);
    checker.file(&mut out);
    // A stable sort keeps each check's own order within a rule.
    out.sort_by_key(|violation| violation.rule);
    out
}

/// A class of the timetable with its ids looked up; `None` where the scenario has no such id.
struct Class<'a> {
    entry: &'a ClassEntry,
    course: Option<CourseId>,
    format: Option<FormatId>,
    venue: Option<VenueId>,
    room: Option<RoomId>,
    teacher: Option<TeacherId>,
    /// Known learners, each once, in listed order.
    learners: Vec<LearnerId>,
    /// Distinct learner ids listed, known or not: the seats taken.
    size: usize,
}

impl Class<'_> {
    fn subject(&self) -> String {
        format!("class {}", self.entry.id)
    }
}

/// Options for one course, for the reasons of section 7: a usable (format, venue) and
/// whether some qualified teacher is available for all its sessions.
struct CourseOption {
    format: FormatId,
    venue: VenueId,
    has_teacher: bool,
}

/// Totals recomputed from the timetable.
struct Totals {
    teacher_cost: f64,
    room_cost: f64,
    /// False when some class's cost cannot be computed (unknown ids).
    costs_known: bool,
    serve: f64,
    travel_minutes: u64,
    /// False when some placed learner-need's travel cannot be computed (unknown venue).
    travel_known: bool,
    /// Needs and placed needs per municipality with demand.
    coverage: BTreeMap<MunicipalityId, (u64, u64)>,
    needs: u64,
    placed: u64,
}

struct Checker<'a> {
    s: &'a Scenario,
    t: &'a Timetable,
    classes: Vec<Class<'a>>,
    /// Indices into `classes` of each learner's classes, by learner index, in file order.
    by_learner: Vec<Vec<usize>>,
    /// Working time of each shift in any week of its rotation, by shift index.
    work: Vec<WeekSet>,
    /// The class that places each learner-need (the first class of that course listing them).
    placed: HashMap<(LearnerId, CourseId), usize>,
}

impl<'a> Checker<'a> {
    /// Looks up every id of the timetable; unknown ids are reported here (rules 1 and 6).
    fn new(s: &'a Scenario, t: &'a Timetable, out: &mut Vec<Violation>) -> Checker<'a> {
        let classes: Vec<Class<'a>> = t.classes.iter().map(|e| resolve(s, e, out)).collect();
        let mut by_learner = vec![Vec::new(); s.learners.len()];
        let mut placed = HashMap::new();
        for (index, class) in classes.iter().enumerate() {
            for &learner in &class.learners {
                by_learner[learner.0].push(index);
                if let Some(course) = class.course
                    && s.learner(learner).needs.contains(&course)
                {
                    placed.entry((learner, course)).or_insert(index);
                }
            }
        }
        let work = s.shifts.iter().map(|shift| shift.any_week()).collect();
        Checker {
            s,
            t,
            classes,
            by_learner,
            work,
            placed,
        }
    }

    fn sessions(&self, class: &Class<'_>) -> &'a [Session] {
        match class.format {
            Some(format) => &self.s.format(format).sessions,
            None => &[],
        }
    }

    /// Rule 1: the format is one of the course's formats and fits the term, the room is the
    /// venue's (checked on lookup) and the teacher teaches the course.
    fn catalogue(&self, out: &mut Vec<Violation>) {
        for class in &self.classes {
            let push = |out: &mut Vec<Violation>, message: String| {
                out.push(violation(Rule::Catalogue, class.subject(), message));
            };
            if let (Some(course), Some(format)) = (class.course, class.format) {
                let c = self.s.course(course);
                if !c.formats.contains(&format) {
                    push(
                        out,
                        format!(
                            "format {} is not one of the formats of course {}",
                            class.entry.format, c.id
                        ),
                    );
                }
                let weeks = self.s.class_weeks(course, format);
                if weeks > self.s.weeks {
                    push(
                        out,
                        format!(
                            "course {} in format {} takes {weeks} weeks, longer than the term of {} weeks",
                            c.id, class.entry.format, self.s.weeks
                        ),
                    );
                }
            }
            if let (Some(course), Some(teacher)) = (class.course, class.teacher)
                && !self.s.teacher(teacher).teaches.contains(&course)
            {
                push(
                    out,
                    format!(
                        "teacher {} does not teach course {}",
                        class.entry.teacher, class.entry.course
                    ),
                );
            }
        }
    }

    /// Rule 2: every session lies inside the venue's open hours, counting its optional
    /// hours (which the timetable then pays for).
    fn venue_hours(&self, out: &mut Vec<Violation>) {
        for class in &self.classes {
            let Some(venue) = class.venue else { continue };
            let v = self.s.venue(venue);
            let open = with_optional_hours(v);
            for session in self.sessions(class) {
                if !open.contains(&session.interval()) {
                    out.push(violation(
                        Rule::VenueHours,
                        class.subject(),
                        format!(
                            "session {session} is outside the open hours of venue {}",
                            v.id
                        ),
                    ));
                }
            }
        }
    }

    /// Rule 3: `min_size <= learners <= min(max_size, room capacity)`, and at least one learner.
    fn size(&self, out: &mut Vec<Violation>) {
        for class in &self.classes {
            let n = class.size;
            let mut push = |message: String| {
                out.push(violation(Rule::Size, class.subject(), message));
            };
            if n == 0 {
                push("has no learners".to_string());
            }
            if let Some(course) = class.course {
                let c = self.s.course(course);
                if n > 0 && n < c.min_size as usize {
                    push(format!(
                        "has {n} learners, fewer than the minimum of {} for course {}",
                        c.min_size, c.id
                    ));
                }
                if n > c.max_size as usize {
                    push(format!(
                        "has {n} learners, more than the maximum of {} for course {}",
                        c.max_size, c.id
                    ));
                }
            }
            if let Some(room) = class.room {
                let capacity = self.s.room(room).capacity;
                if n > capacity as usize {
                    push(format!(
                        "has {n} learners, more than the {capacity} seats of room {}/{}",
                        class.entry.venue, class.entry.room
                    ));
                }
            }
        }
    }

    /// Rule 4: no two classes in one room have overlapping sessions.
    fn room(&self, out: &mut Vec<Violation>) {
        let mut by_room: BTreeMap<RoomId, Vec<usize>> = BTreeMap::new();
        for (index, class) in self.classes.iter().enumerate() {
            if let Some(room) = class.room {
                by_room.entry(room).or_default().push(index);
            }
        }
        let mut found = Vec::new();
        for indices in by_room.values() {
            for (i, &a) in indices.iter().enumerate() {
                for &b in &indices[i + 1..] {
                    if let Some((sa, sb)) = self.first_overlap(a, b) {
                        let (ca, cb) = (&self.classes[a], &self.classes[b]);
                        found.push((
                            a,
                            violation(
                                Rule::Room,
                                ca.subject(),
                                format!(
                                    "session {sa} overlaps class {} ({sb}) in room {}/{}",
                                    cb.entry.id, ca.entry.venue, ca.entry.room
                                ),
                            ),
                        ));
                    }
                }
            }
        }
        // Rooms group classes out of file order; report in file order.
        found.sort_by_key(|(index, _)| *index);
        out.extend(found.into_iter().map(|(_, v)| v));
    }

    /// Rule 5: the teacher is available for every session, is never in two classes at once,
    /// teaches at most `max_hours` a week, and has the travel time between same-day sessions
    /// at venues in different municipalities.
    fn teacher(&self, out: &mut Vec<Violation>) {
        let mut by_teacher: BTreeMap<TeacherId, Vec<usize>> = BTreeMap::new();
        for (index, class) in self.classes.iter().enumerate() {
            let Some(teacher) = class.teacher else {
                continue;
            };
            by_teacher.entry(teacher).or_default().push(index);
            let t = self.s.teacher(teacher);
            for session in self.sessions(class) {
                if !t.available.contains(&session.interval()) {
                    out.push(violation(
                        Rule::Teacher,
                        class.subject(),
                        format!(
                            "session {session} is outside the available times of teacher {}",
                            t.id
                        ),
                    ));
                }
            }
        }
        for (&teacher, indices) in &by_teacher {
            let t = self.s.teacher(teacher);
            let subject = format!("teacher {}", t.id);
            let hours: f64 = indices
                .iter()
                .filter_map(|&i| self.classes[i].format)
                .map(|format| self.s.format(format).weekly_hours())
                .sum();
            if hours > t.max_hours + LIMIT_TOLERANCE {
                out.push(violation(
                    Rule::Teacher,
                    subject.clone(),
                    format!(
                        "teaches {hours} hours a week, more than max_hours {}",
                        t.max_hours
                    ),
                ));
            }
            for (i, &a) in indices.iter().enumerate() {
                for &b in &indices[i + 1..] {
                    if let Some(message) = self.clash(a, b, t.mode) {
                        out.push(violation(Rule::Teacher, subject.clone(), message));
                    }
                }
            }
        }
    }

    /// Rule 6: every class of a learner is for a course the learner needs, at most one class
    /// per need (unknown and repeated learners of a class are reported on lookup).
    fn need(&self, out: &mut Vec<Violation>) {
        for (index, learner) in self.s.learners.iter().enumerate() {
            let mut by_course: BTreeMap<CourseId, Vec<usize>> = BTreeMap::new();
            for &class_index in &self.by_learner[index] {
                let class = &self.classes[class_index];
                let Some(course) = class.course else { continue };
                if learner.needs.contains(&course) {
                    by_course.entry(course).or_default().push(class_index);
                } else {
                    out.push(violation(
                        Rule::Need,
                        format!("learner {}", learner.id),
                        format!(
                            "is in class {} for course {}, which is not among their needs ({})",
                            class.entry.id,
                            class.entry.course,
                            self.course_list(&learner.needs)
                        ),
                    ));
                }
            }
            for (course, indices) in by_course {
                if indices.len() > 1 {
                    let ids: Vec<&str> = indices
                        .iter()
                        .map(|&i| self.classes[i].entry.id.as_str())
                        .collect();
                    out.push(violation(
                        Rule::Need,
                        format!("learner {}, need {}", learner.id, self.s.course(course).id),
                        format!(
                            "is in {} classes for one need: {}",
                            indices.len(),
                            ids.join(", ")
                        ),
                    ));
                }
            }
        }
    }

    /// Rule 7: a learner's travel time to each class's venue is at most `max_travel`.
    fn reach(&self, out: &mut Vec<Violation>) {
        for class in &self.classes {
            let Some(venue) = class.venue else { continue };
            for &learner in &class.learners {
                let l = self.s.learner(learner);
                let minutes = self.s.learner_travel(learner, venue);
                if minutes > l.max_travel {
                    out.push(violation(
                        Rule::Reach,
                        format!("learner {}", l.id),
                        format!(
                            "class {} at venue {} is {minutes} minutes away, more than max_travel {}",
                            class.entry.id, class.entry.venue, l.max_travel
                        ),
                    ));
                }
            }
        }
    }

    /// Rule 8: each session widened by the travel time on both sides misses every minute of
    /// the learner's shift (any week; not at the learner's own workplace) and of their
    /// unavailable times.
    fn work_and_availability(&self, out: &mut Vec<Violation>) {
        for class in &self.classes {
            let Some(venue) = class.venue else { continue };
            let sessions = self.sessions(class);
            for &learner in &class.learners {
                if let Some((session, travel, what)) = self.work_clash(learner, venue, sessions) {
                    out.push(violation(
                        Rule::WorkAndAvailability,
                        format!("learner {}", self.s.learner(learner).id),
                        format!(
                            "class {} on {session} at venue {}, with {travel} minutes of travel each way, overlaps {what}",
                            class.entry.id, class.entry.venue
                        ),
                    ));
                }
            }
        }
    }

    /// Rule 9: a class at a venue with an employer holds only learners of that employer.
    fn workplaces(&self, out: &mut Vec<Violation>) {
        for class in &self.classes {
            let Some(venue) = class.venue else { continue };
            let Some(employer) = &self.s.venue(venue).employer else {
                continue;
            };
            for &learner in &class.learners {
                let l = self.s.learner(learner);
                if l.employer.as_deref() != Some(employer.as_str()) {
                    out.push(violation(
                        Rule::Workplaces,
                        class.subject(),
                        format!(
                            "learner {} ({}) is in a class at venue {}, a workplace of employer {employer}",
                            l.id,
                            match &l.employer {
                                Some(own) => format!("employer {own}"),
                                None => "no employer".to_string(),
                            },
                            class.entry.venue
                        ),
                    ));
                }
            }
        }
    }

    /// Rule 10: a learner's different classes do not overlap, and same-day sessions at venues
    /// in different municipalities leave the learner's travel time between them.
    fn own_clash(&self, out: &mut Vec<Violation>) {
        for (index, learner) in self.s.learners.iter().enumerate() {
            let indices = &self.by_learner[index];
            for (i, &a) in indices.iter().enumerate() {
                for &b in &indices[i + 1..] {
                    if let Some(message) = self.clash(a, b, learner.mode) {
                        out.push(violation(
                            Rule::OwnClash,
                            format!("learner {}", learner.id),
                            message,
                        ));
                    }
                }
            }
        }
    }

    /// Rule 11: total teacher cost plus room cost is at most `budget.max_cost`.
    fn budget(&self, out: &mut Vec<Violation>) {
        let Some(max_cost) = self.s.max_cost else {
            return;
        };
        // With unknown ids this is a lower bound of the cost, so exceeding it still counts.
        let totals = self.totals();
        let optional: f64 = self.optional_used().iter().map(|u| u.fixed_cost).sum();
        let total = totals.teacher_cost + totals.room_cost + optional;
        if total > max_cost + LIMIT_TOLERANCE * max_cost.abs().max(1.0) {
            out.push(violation(
                Rule::Budget,
                "timetable".to_string(),
                format!(
                    "teacher cost {} plus room cost {} plus optional resources {optional} is {total}, more than max_cost {max_cost}",
                    totals.teacher_cost, totals.room_cost
                ),
            ));
        }
    }

    /// Section 6: the written objective equals the formula evaluated on the timetable.
    fn objective(&self, out: &mut Vec<Violation>) {
        let totals = self.totals();
        if !totals.costs_known || !totals.travel_known {
            return;
        }
        let w = &self.s.objective;
        let fairness = totals
            .coverage
            .values()
            .map(|&(needs, placed)| placed as f64 / needs as f64)
            .reduce(f64::min)
            .unwrap_or(1.0);
        let optional: f64 = self
            .optional_used()
            .iter()
            .map(|u| {
                let weight = match u.kind {
                    ResourceKind::Teacher => w.teacher_cost,
                    ResourceKind::Room | ResourceKind::Hours => w.room_cost,
                };
                weight * u.fixed_cost
            })
            .sum();
        let expected = w.serve * totals.serve
            - w.teacher_cost * totals.teacher_cost
            - w.room_cost * totals.room_cost
            - w.travel * totals.travel_minutes as f64
            + w.fairness * fairness
            - optional;
        let written = self.t.solver.objective;
        if !close(written, expected) {
            out.push(violation(
                Rule::Objective,
                "timetable".to_string(),
                format!(
                    "objective is {written}, but the formula gives {expected} (serve {} x {}, teacher cost {} x {}, room cost {} x {}, travel {} x {}, fairness {} x {fairness})",
                    w.serve,
                    totals.serve,
                    w.teacher_cost,
                    totals.teacher_cost,
                    w.room_cost,
                    totals.room_cost,
                    w.travel,
                    totals.travel_minutes,
                    w.fairness
                ),
            ));
        }
    }

    /// Section 7: each unplaced learner-need carries the first reason that applies
    /// (see [`first_reason`](Checker::first_reason)).
    fn reasons(&self, out: &mut Vec<Violation>) {
        let mut options: Vec<Option<Vec<CourseOption>>> =
            (0..self.s.courses.len()).map(|_| None).collect();
        let mut seen = HashSet::new();
        for entry in &self.t.unplaced {
            let (Some(&learner), Some(&course)) = (
                self.s.ids.learners.get(&entry.learner),
                self.s.ids.courses.get(&entry.course),
            ) else {
                continue;
            };
            // Wrong, repeated and placed entries are file violations; they have no reason to check.
            if !self.s.learner(learner).needs.contains(&course)
                || self.placed.contains_key(&(learner, course))
                || !seen.insert((learner, course))
            {
                continue;
            }
            let course_options =
                options[course.0].get_or_insert_with(|| self.course_options(course));
            let expected = self.first_reason(learner, course_options);
            if entry.reason != expected {
                out.push(violation(
                    Rule::Reasons,
                    format!("learner {}, need {}", entry.learner, entry.course),
                    format!(
                        "reason is {}, but the first reason that applies is {}",
                        entry.reason.name(),
                        expected.name()
                    ),
                ));
            }
        }
    }

    /// The usable options of a course: each format of the course that fits the term, at each
    /// venue whose open hours hold all its sessions and that has a room with at least the
    /// course's `min_size` seats (a smaller room cannot hold a class of the course). Each
    /// notes whether a teacher of the course is available for all its sessions.
    fn course_options(&self, course: CourseId) -> Vec<CourseOption> {
        let min_size = self.s.course(course).min_size;
        let mut options = Vec::new();
        for &format in &self.s.course(course).formats {
            if !self.s.format_fits(course, format) {
                continue;
            }
            let intervals: Vec<Interval> = self.s.format(format).intervals().collect();
            let has_teacher = self.s.teachers.iter().any(|t| {
                t.teaches.contains(&course) && intervals.iter().all(|i| t.available.contains(i))
            });
            for (v, venue) in self.s.venues.iter().enumerate() {
                let open = intervals
                    .iter()
                    .all(|i| with_optional_hours(venue).contains(i));
                let room = venue.rooms.iter().any(|room| room.capacity >= min_size);
                if open && room {
                    options.push(CourseOption {
                        format,
                        venue: VenueId(v),
                        has_teacher,
                    });
                }
            }
        }
        options
    }

    /// The first reason of SPEC section 7 that applies to a learner-need:
    /// `out-of-reach` when no usable option is at a venue the learner may attend (public or
    /// their own employer's workplace) within `max_travel`; `no-compatible-time` when none of
    /// those satisfies rule 8 for the learner (work times do not count at their own workplace);
    /// `no-teacher` when none of those has a teacher of the course available for all its
    /// sessions; else `capacity`.
    fn first_reason(&self, learner: LearnerId, options: &[CourseOption]) -> Reason {
        let l = self.s.learner(learner);
        let in_reach: Vec<&CourseOption> = options
            .iter()
            .filter(|o| {
                let venue = self.s.venue(o.venue);
                (venue.employer.is_none() || is_own_workplace(l, venue))
                    && self.s.learner_travel(learner, o.venue) <= l.max_travel
            })
            .collect();
        if in_reach.is_empty() {
            return Reason::OutOfReach;
        }
        let compatible: Vec<&CourseOption> = in_reach
            .into_iter()
            .filter(|o| {
                let sessions = &self.s.format(o.format).sessions;
                self.work_clash(learner, o.venue, sessions).is_none()
            })
            .collect();
        if compatible.is_empty() {
            Reason::NoCompatibleTime
        } else if !compatible.iter().any(|o| o.has_teacher) {
            Reason::NoTeacher
        } else {
            Reason::Capacity
        }
    }

    /// Section 8: every learner-need is in exactly one class or in `unplaced`, class ids are
    /// unique, each class's weeks, sessions and dates match the scenario, the summary matches
    /// the timetable, the scenario name matches and the objective is a finite number.
    fn file(&self, out: &mut Vec<Violation>) {
        self.file_scenario(out);
        self.file_classes(out);
        self.file_completeness(out);
        self.file_summary(out);
    }

    /// Section 8: the scenario name is the scenario's, the objective a finite number.
    fn file_scenario(&self, out: &mut Vec<Violation>) {
        if self.t.scenario != self.s.name {
            out.push(violation(
                Rule::File,
                "timetable".to_string(),
                format!(
                    "scenario is {:?}, but the scenario file is named {:?}",
                    self.t.scenario, self.s.name
                ),
            ));
        }
        if !self.t.solver.objective.is_finite() {
            out.push(violation(
                Rule::File,
                "timetable".to_string(),
                format!(
                    "objective {} is not a finite number",
                    self.t.solver.objective
                ),
            ));
        }
    }

    /// Section 8: class ids unique; weeks, sessions, first and last day as the scenario implies.
    fn file_classes(&self, out: &mut Vec<Violation>) {
        let mut ids: HashMap<&str, usize> = HashMap::new();
        for class in &self.classes {
            let entry = class.entry;
            let mut push = |message: String| {
                out.push(violation(Rule::File, class.subject(), message));
            };
            let count = ids.entry(entry.id.as_str()).or_insert(0);
            *count += 1;
            if *count == 2 {
                push("the class id is used more than once".to_string());
            }
            let (Some(course), Some(format)) = (class.course, class.format) else {
                continue;
            };
            let weeks = self.s.class_weeks(course, format);
            if entry.weeks != weeks {
                push(format!(
                    "weeks is {}, but course {} in format {} takes {weeks}",
                    entry.weeks, entry.course, entry.format
                ));
            }
            let sessions = &self.s.format(format).sessions;
            let written: Vec<String> = entry
                .sessions
                .iter()
                .map(|s| format!("{} {}-{}", s.day, s.start, s.end))
                .collect();
            let same = entry.sessions.len() == sessions.len()
                && entry.sessions.iter().zip(sessions).all(|(w, s)| {
                    w.day == s.day
                        && parse_clock(&w.start).ok() == Some(s.start)
                        && parse_clock(&w.end).ok() == Some(s.end)
                });
            if !same {
                let expected: Vec<String> = sessions.iter().map(Session::to_string).collect();
                push(format!(
                    "sessions are [{}], but format {} has [{}]",
                    written.join(", "),
                    entry.format,
                    expected.join(", ")
                ));
            }
            let (Some(first), Some(last)) = (
                sessions.iter().map(|s| s.day).min(),
                sessions.iter().map(|s| s.day).max(),
            ) else {
                continue;
            };
            let first_day = self.s.date_of(1, first).to_string();
            let last_day = self.s.date_of(weeks, last).to_string();
            if entry.first_day != first_day {
                push(format!(
                    "first_day is {:?}, but the first session is on {first_day}",
                    entry.first_day
                ));
            }
            if entry.last_day != last_day {
                push(format!(
                    "last_day is {:?}, but the last session is on {last_day}",
                    entry.last_day
                ));
            }
        }
    }

    /// Section 8: every learner-need is placed or unplaced, not both, not neither; unplaced
    /// entries name known learners and courses they need, each once. (A need placed in two
    /// classes is a rule 6 violation.)
    fn file_completeness(&self, out: &mut Vec<Violation>) {
        let mut unplaced = HashSet::new();
        for entry in &self.t.unplaced {
            let subject = format!("learner {}, need {}", entry.learner, entry.course);
            let mut push = |message: String| {
                out.push(violation(Rule::File, subject.clone(), message));
            };
            let Some(&learner) = self.s.ids.learners.get(&entry.learner) else {
                push("unplaced names a learner that is not in the scenario".to_string());
                continue;
            };
            let Some(&course) = self.s.ids.courses.get(&entry.course) else {
                push("unplaced names a course that is not in the scenario".to_string());
                continue;
            };
            if !self.s.learner(learner).needs.contains(&course) {
                push("unplaced names a course the learner does not need".to_string());
            } else if !unplaced.insert((learner, course)) {
                push("is listed in unplaced more than once".to_string());
            } else if let Some(&class) = self.placed.get(&(learner, course)) {
                push(format!(
                    "is both in class {} and in unplaced",
                    self.classes[class].entry.id
                ));
            }
        }
        for (index, learner) in self.s.learners.iter().enumerate() {
            for &course in &learner.needs {
                let key = (LearnerId(index), course);
                if !self.placed.contains_key(&key) && !unplaced.contains(&key) {
                    out.push(violation(
                        Rule::File,
                        format!("learner {}, need {}", learner.id, self.s.course(course).id),
                        "is neither in a class nor in unplaced".to_string(),
                    ));
                }
            }
        }
    }

    /// Section 8: the summary's figures are those of the timetable.
    fn file_summary(&self, out: &mut Vec<Violation>) {
        let totals = self.totals();
        let summary = &self.t.summary;
        let mut push = |message: String| {
            out.push(violation(Rule::File, "summary".to_string(), message));
        };
        let used = self.optional_used();
        let used_cost: f64 = used.iter().map(|u| u.fixed_cost).sum();
        if totals.costs_known && !close(summary.optional_cost, used_cost) {
            push(format!(
                "optional_cost is {}, but the optional resources the classes use cost {used_cost}",
                summary.optional_cost
            ));
        }
        let key = |c: &OptionalChoice| (c.kind, c.venue.clone(), c.id.clone());
        let listed: HashSet<_> = self.t.optional.iter().map(key).collect();
        let needed: HashSet<_> = used.iter().map(key).collect();
        for choice in &self.t.optional {
            if !needed.contains(&key(choice)) {
                push(format!(
                    "optional lists {} {}, which no class uses",
                    choice_kind(choice.kind),
                    choice_name(choice)
                ));
            }
        }
        for choice in &used {
            if !listed.contains(&key(choice)) {
                push(format!(
                    "optional misses {} {}, which a class uses",
                    choice_kind(choice.kind),
                    choice_name(choice)
                ));
            }
        }
        if summary.needs != totals.needs {
            push(format!(
                "needs is {}, but the scenario has {} learner-needs",
                summary.needs, totals.needs
            ));
        }
        if summary.placed != totals.placed {
            push(format!(
                "placed is {}, but the classes place {} learner-needs",
                summary.placed, totals.placed
            ));
        }
        if totals.costs_known {
            for (name, written, expected) in [
                ("teacher_cost", summary.teacher_cost, totals.teacher_cost),
                ("room_cost", summary.room_cost, totals.room_cost),
            ] {
                if !close(written, expected) {
                    push(format!(
                        "{name} is {written}, but the classes cost {expected}"
                    ));
                }
            }
        }
        if totals.travel_known && summary.travel_minutes != totals.travel_minutes {
            push(format!(
                "travel_minutes is {}, but placed learner-needs travel {} minutes",
                summary.travel_minutes, totals.travel_minutes
            ));
        }
        let mut listed = HashSet::new();
        for row in &summary.by_municipality {
            let Some(&municipality) = self.s.ids.municipalities.get(&row.municipality) else {
                push(format!(
                    "by_municipality names {}, which is not in the scenario",
                    row.municipality
                ));
                continue;
            };
            if !listed.insert(municipality) {
                push(format!(
                    "by_municipality lists {} more than once",
                    row.municipality
                ));
                continue;
            }
            match totals.coverage.get(&municipality) {
                None => push(format!(
                    "by_municipality lists {}, whose learners have no needs",
                    row.municipality
                )),
                Some(&(needs, placed)) if (row.needs, row.placed) != (needs, placed) => {
                    push(format!(
                        "by_municipality gives {} needs {} placed {}, but it has {needs} needs and {placed} placed",
                        row.municipality, row.needs, row.placed
                    ))
                }
                Some(_) => {}
            }
        }
        for municipality in totals.coverage.keys() {
            if !listed.contains(municipality) {
                push(format!(
                    "by_municipality misses {}, whose learners have needs",
                    self.s.municipality(*municipality).id
                ));
            }
        }
    }

    /// The optional teachers, rooms and opening hours the classes use, each once: a
    /// session outside the venue's regular hours uses every optional entry that covers
    /// part of it.
    fn optional_used(&self) -> Vec<OptionalChoice> {
        let mut used: BTreeMap<(ResourceKind, Option<String>, String), f64> = BTreeMap::new();
        for class in &self.classes {
            if let Some(teacher) = class.teacher
                && let Some(cost) = self.s.teacher(teacher).optional_cost
            {
                let id = self.s.teacher(teacher).id.clone();
                used.insert((ResourceKind::Teacher, None, id), cost);
            }
            let Some(venue) = class.venue else { continue };
            let v = self.s.venue(venue);
            if let Some(room) = class.room
                && let Some(cost) = self.s.room(room).optional_cost
            {
                let id = self.s.room(room).id.clone();
                used.insert((ResourceKind::Room, Some(v.id.clone()), id), cost);
            }
            for session in self.sessions(class) {
                let interval = session.interval();
                if v.open.contains(&interval) {
                    continue;
                }
                for hours in v
                    .optional_hours
                    .iter()
                    .filter(|h| h.open.overlaps(&interval))
                {
                    let key = (ResourceKind::Hours, Some(v.id.clone()), hours.id.clone());
                    used.insert(key, hours.fixed_cost);
                }
            }
        }
        used.into_iter()
            .map(|((kind, venue, id), fixed_cost)| OptionalChoice {
                kind,
                venue,
                id,
                fixed_cost,
            })
            .collect()
    }

    /// Costs, served priority, travel and coverage of the timetable.
    fn totals(&self) -> Totals {
        let mut totals = Totals {
            teacher_cost: 0.0,
            room_cost: 0.0,
            costs_known: true,
            serve: 0.0,
            travel_minutes: 0,
            travel_known: true,
            coverage: BTreeMap::new(),
            needs: 0,
            placed: 0,
        };
        for (index, class) in self.classes.iter().enumerate() {
            match (class.course, class.format, class.teacher, class.venue) {
                (Some(course), Some(format), Some(teacher), Some(venue)) => {
                    totals.teacher_cost += self.s.teacher_cost(course, format, teacher);
                    totals.room_cost += self.s.room_cost(course, format, venue);
                }
                _ => totals.costs_known = false,
            }
            let Some(course) = class.course else { continue };
            for &learner in &class.learners {
                if self.placed.get(&(learner, course)) != Some(&index) {
                    continue;
                }
                totals.serve += self.s.learner(learner).priority;
                match class.venue {
                    Some(venue) => {
                        totals.travel_minutes += u64::from(self.s.learner_travel(learner, venue))
                    }
                    None => totals.travel_known = false,
                }
            }
        }
        for (index, learner) in self.s.learners.iter().enumerate() {
            if learner.needs.is_empty() {
                continue;
            }
            let placed = learner
                .needs
                .iter()
                .filter(|&&course| self.placed.contains_key(&(LearnerId(index), course)))
                .count() as u64;
            let needs = learner.needs.len() as u64;
            let row = totals.coverage.entry(learner.municipality).or_default();
            row.0 += needs;
            row.1 += placed;
            totals.needs += needs;
            totals.placed += placed;
        }
        totals
    }

    /// The first overlapping pair of sessions of two classes, if any.
    fn first_overlap(&self, a: usize, b: usize) -> Option<(Session, Session)> {
        let (sa, sb) = (
            self.sessions(&self.classes[a]),
            self.sessions(&self.classes[b]),
        );
        sa.iter()
            .flat_map(|x| sb.iter().map(move |y| (*x, *y)))
            .find(|(x, y)| x.interval().overlaps(&y.interval()))
    }

    /// Why one person cannot attend both classes `a` and `b` (rules 5 and 10): overlapping
    /// sessions, or same-day sessions at venues in different municipalities with less time
    /// between them (later start minus earlier end) than `travel(m1, m2, mode)`.
    fn clash(&self, a: usize, b: usize, mode: Mode) -> Option<String> {
        let (ca, cb) = (&self.classes[a], &self.classes[b]);
        if let Some((sa, sb)) = self.first_overlap(a, b) {
            return Some(format!(
                "class {} ({sa}) overlaps class {} ({sb})",
                ca.entry.id, cb.entry.id
            ));
        }
        let (va, vb) = (ca.venue?, cb.venue?);
        let (ma, mb) = (self.s.venue(va).municipality, self.s.venue(vb).municipality);
        if ma == mb {
            return None;
        }
        let need = self.s.travel(ma, mb, mode);
        for x in self.sessions(ca) {
            for y in self.sessions(cb) {
                if x.day != y.day {
                    continue;
                }
                // No overlap here, so one ends before the other starts.
                let ((first, v1), (second, v2)) = if x.end <= y.start {
                    ((x, ca), (y, cb))
                } else {
                    ((y, cb), (x, ca))
                };
                let gap = second.start - first.end;
                if gap < need {
                    return Some(format!(
                        "class {} ends {} {} at venue {} ({}) and class {} starts {} at venue {} ({}): {gap} minutes between, travel by {mode} takes {need}",
                        v1.entry.id,
                        first.day,
                        format_clock(first.end),
                        v1.entry.venue,
                        self.s.municipality(self.s.venue(v1.venue?).municipality).id,
                        v2.entry.id,
                        format_clock(second.start),
                        v2.entry.venue,
                        self.s.municipality(self.s.venue(v2.venue?).municipality).id,
                    ));
                }
            }
        }
        None
    }

    /// The first session that breaks rule 8 for the learner at the venue: the session
    /// widened by the learner's travel time on both sides (around the weekly clock) meets a
    /// minute of work in any week of the shift (not at the learner's own workplace) or of
    /// their unavailable times. Returns the session, the travel time and what it meets.
    fn work_clash(
        &self,
        learner: LearnerId,
        venue: VenueId,
        sessions: &[Session],
    ) -> Option<(Session, u32, &'static str)> {
        let l = self.s.learner(learner);
        let travel = self.s.learner_travel(learner, venue);
        let work = match l.shift {
            Some(shift) if !is_own_workplace(l, self.s.venue(venue)) => Some(&self.work[shift.0]),
            _ => None,
        };
        for session in sessions {
            for piece in session.interval().widened(travel, travel) {
                if work.is_some_and(|work| work.overlaps(&piece)) {
                    return Some((*session, travel, "the learner's work shift"));
                }
                if l.unavailable.overlaps(&piece) {
                    return Some((*session, travel, "the learner's unavailable times"));
                }
            }
        }
        None
    }

    fn course_list(&self, courses: &[CourseId]) -> String {
        let ids: Vec<&str> = courses
            .iter()
            .map(|&c| self.s.course(c).id.as_str())
            .collect();
        if ids.is_empty() {
            "none".to_string()
        } else {
            ids.join(", ")
        }
    }
}

/// Looks up the ids of one class; reports unknown ids (rule 1, or rule 6 for learners) and
/// learners listed twice (rule 6).
fn resolve<'a>(s: &Scenario, entry: &'a ClassEntry, out: &mut Vec<Violation>) -> Class<'a> {
    let subject = || format!("class {}", entry.id);
    let mut unknown = |rule: Rule, message: String| out.push(violation(rule, subject(), message));
    let course = s.ids.courses.get(&entry.course).copied();
    if course.is_none() {
        unknown(
            Rule::Catalogue,
            format!("course {} is not in the scenario", entry.course),
        );
    }
    let format = s.ids.formats.get(&entry.format).copied();
    if format.is_none() {
        unknown(
            Rule::Catalogue,
            format!("format {} is not in the scenario", entry.format),
        );
    }
    let venue = s.ids.venues.get(&entry.venue).copied();
    let room = match venue {
        None => {
            unknown(
                Rule::Catalogue,
                format!("venue {} is not in the scenario", entry.venue),
            );
            None
        }
        Some(venue) => {
            let index = s
                .venue(venue)
                .rooms
                .iter()
                .position(|room| room.id == entry.room);
            if index.is_none() {
                unknown(
                    Rule::Catalogue,
                    format!("room {} is not a room of venue {}", entry.room, entry.venue),
                );
            }
            index.map(|index| RoomId { venue, index })
        }
    };
    let teacher = s.ids.teachers.get(&entry.teacher).copied();
    if teacher.is_none() {
        unknown(
            Rule::Catalogue,
            format!("teacher {} is not in the scenario", entry.teacher),
        );
    }
    let mut listed: HashMap<&str, usize> = HashMap::new();
    let mut learners = Vec::new();
    for id in &entry.learners {
        let count = listed.entry(id.as_str()).or_insert(0);
        *count += 1;
        if *count == 2 {
            unknown(Rule::Need, format!("lists learner {id} more than once"));
        }
        if *count > 1 {
            continue;
        }
        match s.ids.learners.get(id) {
            Some(&learner) => learners.push(learner),
            None => unknown(
                Rule::Need,
                format!("lists learner {id}, who is not in the scenario"),
            ),
        }
    }
    Class {
        entry,
        course,
        format,
        venue,
        room,
        teacher,
        learners,
        size: listed.len(),
    }
}

/// A venue's open hours together with all its optional hours.
fn with_optional_hours(venue: &crate::domain::Venue) -> WeekSet {
    venue
        .optional_hours
        .iter()
        .fold(venue.open.clone(), |open, hours| open.union(&hours.open))
}

fn choice_kind(kind: ResourceKind) -> &'static str {
    match kind {
        ResourceKind::Teacher => "teacher",
        ResourceKind::Room => "room",
        ResourceKind::Hours => "opening hours",
    }
}

fn choice_name(choice: &OptionalChoice) -> String {
    match &choice.venue {
        Some(venue) => format!("{} at {venue}", choice.id),
        None => choice.id.clone(),
    }
}

fn violation(rule: Rule, subject: String, message: String) -> Violation {
    Violation {
        rule,
        subject,
        message,
    }
}

/// Equal within the relative tolerance of SPEC section 6.
fn close(written: f64, expected: f64) -> bool {
    (written - expected).abs() <= RELATIVE_TOLERANCE * expected.abs().max(1.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{
        Course, CourseKind, Format, IdIndex, Learner, Municipality, ObjectiveWeights, Room, Shift,
        Teacher, TravelSettings, Venue,
    };
    use crate::time::{Day, Window};
    use crate::timetable::{SessionEntry, SolveStatus, SolverReport, Summary};

    fn week(windows: &[&str]) -> WeekSet {
        let windows: Vec<Window> = windows.iter().map(|w| Window::parse(w).unwrap()).collect();
        WeekSet::from_windows(&windows)
    }

    /// Two municipalities `aa` and `bb` with measured times (car 30, public 40), a venue in
    /// each open all week with room `A`, teacher `t` (car) available all week and
    /// teaching `c`, learners `l1` and `l2` in `aa` (public, no limits that bind). Formats:
    /// `early` mon 00:30-02:30, `f1500` mon 15:00-17:00, and mon `f1730` 17:30-19:30,
    /// `f1731` 17:31-19:31, `f1700` 17:00-19:00, `f1900` 19:00-21:00, `f1600` 16:00-18:00.
    fn scenario() -> Scenario {
        let (aa, bb) = (MunicipalityId(0), MunicipalityId(1));
        let all_week = week(&["mon-sun 00:00-24:00"]);
        let formats = [
            ("early", "mon 00:30-02:30"),
            ("f1500", "mon 15:00-17:00"),
            ("f1730", "mon 17:30-19:30"),
            ("f1731", "mon 17:31-19:31"),
            ("f1700", "mon 17:00-19:00"),
            ("f1900", "mon 19:00-21:00"),
            ("f1600", "mon 16:00-18:00"),
        ];
        let venue = |id: &str, municipality| Venue {
            id: id.to_string(),
            name: id.to_string(),
            municipality,
            open: all_week.clone(),
            cost_per_hour: 1.0,
            employer: None,
            address: None,
            optional_hours: Vec::new(),
            rooms: vec![Room {
                id: "A".to_string(),
                capacity: 10,
                optional_cost: None,
            }],
        };
        let learner = |id: &str| Learner {
            id: id.to_string(),
            municipality: aa,
            needs: vec![CourseId(0), CourseId(1)],
            shift: None,
            employer: None,
            unavailable: WeekSet::default(),
            mode: Mode::Public,
            max_travel: 600,
            priority: 1.0,
        };
        let mut travel = TravelSettings::default();
        travel.overrides.insert((aa, bb, Mode::Car), 30);
        travel.overrides.insert((aa, bb, Mode::Public), 40);
        let course = |id: &str| Course {
            id: id.to_string(),
            kind: CourseKind::Nt2,
            level: None,
            language: "nl".to_string(),
            hours: 2.0,
            min_size: 1,
            max_size: 10,
            formats: (0..formats.len()).map(FormatId).collect(),
        };
        let mut scenario = Scenario {
            name: "unit".to_string(),
            start: jiff::civil::date(2026, 9, 7),
            weeks: 10,
            timezone: crate::domain::DEFAULT_TIMEZONE.to_string(),
            objective: ObjectiveWeights::default(),
            max_cost: None,
            travel,
            municipalities: ["aa", "bb"]
                .iter()
                .enumerate()
                .map(|(i, id)| Municipality {
                    id: id.to_string(),
                    name: id.to_string(),
                    lat: 51.0,
                    lon: 4.0 + i as f64,
                })
                .collect(),
            venues: vec![venue("va", aa), venue("vb", bb)],
            teachers: ["t", "u"]
                .iter()
                .map(|id| Teacher {
                    id: id.to_string(),
                    name: id.to_string(),
                    municipality: aa,
                    mode: Mode::Car,
                    teaches: vec![CourseId(0), CourseId(1)],
                    available: all_week.clone(),
                    max_hours: 40.0,
                    cost_per_hour: 1.0,
                    optional_cost: None,
                })
                .collect(),
            formats: formats
                .iter()
                .map(|(id, session)| Format {
                    id: id.to_string(),
                    sessions: vec![Session::parse(session).unwrap()],
                })
                .collect(),
            courses: vec![course("c"), course("d")],
            shifts: vec![Shift {
                id: "night".to_string(),
                weeks: vec![WeekSet::default()],
            }],
            learners: vec![learner("l1"), learner("l2")],
            ids: IdIndex::default(),
        };
        let ids = &mut scenario.ids;
        for (i, m) in scenario.municipalities.iter().enumerate() {
            ids.municipalities.insert(m.id.clone(), MunicipalityId(i));
        }
        for (i, v) in scenario.venues.iter().enumerate() {
            ids.venues.insert(v.id.clone(), VenueId(i));
        }
        for (i, t) in scenario.teachers.iter().enumerate() {
            ids.teachers.insert(t.id.clone(), TeacherId(i));
        }
        for (i, f) in scenario.formats.iter().enumerate() {
            ids.formats.insert(f.id.clone(), FormatId(i));
        }
        for (i, c) in scenario.courses.iter().enumerate() {
            ids.courses.insert(c.id.clone(), CourseId(i));
        }
        for (i, s) in scenario.shifts.iter().enumerate() {
            ids.shifts.insert(s.id.clone(), crate::domain::ShiftId(i));
        }
        for (i, l) in scenario.learners.iter().enumerate() {
            ids.learners.insert(l.id.clone(), LearnerId(i));
        }
        scenario
    }

    fn class(id: &str, course: &str, format: &str, venue: &str, teacher: &str) -> ClassEntry {
        ClassEntry {
            id: id.to_string(),
            course: course.to_string(),
            format: format.to_string(),
            venue: venue.to_string(),
            room: "A".to_string(),
            teacher: teacher.to_string(),
            weeks: 1,
            first_day: String::new(),
            last_day: String::new(),
            sessions: Vec::new(),
            learners: Vec::new(),
        }
    }

    fn timetable(classes: Vec<ClassEntry>) -> Timetable {
        Timetable {
            scenario: "unit".to_string(),
            solver: SolverReport {
                status: SolveStatus::Optimal,
                objective: 0.0,
                best_bound: None,
                gap: None,
                seconds: 0.0,
            },
            classes,
            unplaced: Vec::new(),
            summary: Summary {
                needs: 0,
                placed: 0,
                teacher_cost: 0.0,
                room_cost: 0.0,
                travel_minutes: 0,
                optional_cost: 0.0,
                by_municipality: Vec::new(),
            },
            optional: Vec::new(),
        }
    }

    /// The violations of one rule; these tests build partial timetables, so other rules
    /// (the summary, say) are not of interest.
    fn of(rule: Rule, scenario: &Scenario, timetable: &Timetable) -> Vec<Violation> {
        verify(scenario, timetable)
            .into_iter()
            .filter(|v| v.rule == rule)
            .collect()
    }

    /// Two classes in room va/A, one in `first`, one in `second` format, different teachers.
    fn same_room(first: &str, second: &str) -> Timetable {
        let mut a = class("C1", "c", first, "va", "t");
        let mut b = class("C2", "d", second, "va", "u");
        a.learners = vec!["l1".to_string()];
        b.learners = vec!["l2".to_string()];
        timetable(vec![a, b])
    }

    #[test]
    fn touching_sessions_in_one_room_do_not_overlap() {
        let s = scenario();
        // 17:00-19:00 and 19:00-21:00 only touch at 19:00.
        assert!(of(Rule::Room, &s, &same_room("f1700", "f1900")).is_empty());
        // 17:30-19:30 and 19:00-21:00 share half an hour.
        let overlap = of(Rule::Room, &s, &same_room("f1730", "f1900"));
        assert_eq!(overlap.len(), 1);
        assert_eq!(overlap[0].subject, "class C1");
        assert_eq!(
            overlap[0].to_string(),
            "rule 4 (room): class C1: session mon 17:30-19:30 overlaps class C2 (mon 19:00-21:00) in room va/A"
        );
    }

    /// Teacher `t` teaches mon 15:00-17:00 at va (aa) and `second` at vb (bb); car takes 30.
    fn teacher_moves(second: &str) -> Timetable {
        let mut a = class("C1", "c", "f1500", "va", "t");
        let mut b = class("C2", "d", second, "vb", "t");
        a.learners = vec!["l1".to_string()];
        b.learners = vec!["l2".to_string()];
        timetable(vec![a, b])
    }

    #[test]
    fn teacher_travel_gap_equal_to_travel_time_is_enough() {
        let s = scenario();
        // Ends 17:00 in aa, starts 17:30 in bb: 30 minutes, the car takes 30.
        assert!(of(Rule::Teacher, &s, &teacher_moves("f1730")).is_empty());
        // Starting at 17:31 would be fine too; starting at 17:00 leaves nothing.
        assert!(of(Rule::Teacher, &s, &teacher_moves("f1731")).is_empty());
        let short = of(Rule::Teacher, &s, &teacher_moves("f1700"));
        assert_eq!(short.len(), 1);
        assert_eq!(short[0].subject, "teacher t");
        assert!(
            short[0].message.contains("0 minutes between"),
            "{}",
            short[0]
        );
    }

    #[test]
    fn teacher_travel_gap_one_minute_short_is_a_violation() {
        let mut s = scenario();
        // With the car taking 31 minutes the same 30-minute gap is one minute short.
        let key = (MunicipalityId(0), MunicipalityId(1), Mode::Car);
        s.travel.overrides.insert(key, 31);
        let short = of(Rule::Teacher, &s, &teacher_moves("f1730"));
        assert_eq!(short.len(), 1);
        assert!(
            short[0]
                .message
                .contains("30 minutes between, travel by car takes 31"),
            "{}",
            short[0]
        );
        // 17:31 gives the 31 minutes.
        assert!(of(Rule::Teacher, &s, &teacher_moves("f1731")).is_empty());
    }

    #[test]
    fn teacher_overlap_across_venues_is_reported_once() {
        let s = scenario();
        let overlap = of(Rule::Teacher, &s, &teacher_moves("f1600"));
        assert_eq!(overlap.len(), 1);
        assert!(overlap[0].message.contains("overlaps"), "{}", overlap[0]);
    }

    /// Learner `l1` in class C1 (mon 15:00-17:00 at va, aa) and C2 (`second` at vb, bb),
    /// with different teachers; public transport takes 40 between aa and bb.
    fn learner_moves(second: &str, minutes: u32) -> (Scenario, Timetable) {
        let mut s = scenario();
        let key = (MunicipalityId(0), MunicipalityId(1), Mode::Public);
        s.travel.overrides.insert(key, minutes);
        let mut a = class("C1", "c", "f1500", "va", "t");
        let mut b = class("C2", "d", second, "vb", "u");
        a.learners = vec!["l1".to_string()];
        b.learners = vec!["l1".to_string()];
        (s, timetable(vec![a, b]))
    }

    #[test]
    fn learner_travel_gap_exactly_the_travel_time_is_fine_one_minute_less_is_not() {
        let (s, t) = learner_moves("f1730", 30);
        assert!(of(Rule::OwnClash, &s, &t).is_empty());
        let (s, t) = learner_moves("f1730", 31);
        let short = of(Rule::OwnClash, &s, &t);
        assert_eq!(short.len(), 1);
        assert_eq!(short[0].subject, "learner l1");
        assert!(
            short[0]
                .message
                .contains("30 minutes between, travel by public takes 31"),
            "{}",
            short[0]
        );
    }

    #[test]
    fn learner_classes_in_one_municipality_need_no_gap() {
        let (s, mut t) = learner_moves("f1700", 40);
        t.classes[1].venue = "va".to_string();
        assert!(of(Rule::OwnClash, &s, &t).is_empty());
        // Touching is fine, overlapping is not.
        t.classes[1].format = "f1600".to_string();
        assert_eq!(of(Rule::OwnClash, &s, &t).len(), 1);
    }

    /// Learner `l1` works `shift_window` and attends mon 00:30-02:30 at vb (60 minutes away).
    fn early_class(shift_window: &str) -> (Scenario, Timetable) {
        let mut s = scenario();
        s.shifts[0].weeks = vec![WeekSet::default(), week(&[shift_window])];
        s.learners[0].shift = Some(crate::domain::ShiftId(0));
        let key = (MunicipalityId(0), MunicipalityId(1), Mode::Public);
        s.travel.overrides.insert(key, 60);
        let mut a = class("C1", "c", "early", "vb", "t");
        a.learners = vec!["l1".to_string()];
        (s, timetable(vec![a]))
    }

    #[test]
    fn travel_before_a_monday_night_session_wraps_to_sunday_work() {
        // Leaving at sun 23:30 for mon 00:30 meets work until 23:45, in the second week
        // of the rotation.
        let (s, t) = early_class("sun 22:00-23:45");
        let clash = of(Rule::WorkAndAvailability, &s, &t);
        assert_eq!(clash.len(), 1);
        assert!(clash[0].message.contains("work shift"), "{}", clash[0]);
        // Work that ends at 23:30 sharp leaves just enough time.
        let (s, t) = early_class("sun 22:00-23:30");
        assert!(of(Rule::WorkAndAvailability, &s, &t).is_empty());
    }

    #[test]
    fn travel_after_a_sunday_late_session_wraps_to_monday() {
        let mut s = scenario();
        s.formats.push(Format {
            id: "sunday".to_string(),
            sessions: vec![Session::parse("sun 22:00-23:30").unwrap()],
        });
        s.ids.formats.insert("sunday".to_string(), FormatId(7));
        s.courses[0].formats.push(FormatId(7));
        s.learners[0].unavailable = week(&["mon 00:00-00:15"]);
        let key = (MunicipalityId(0), MunicipalityId(1), Mode::Public);
        s.travel.overrides.insert(key, 40);
        let mut a = class("C1", "c", "sunday", "vb", "t");
        a.learners = vec!["l1".to_string()];
        let t = timetable(vec![a]);
        // Home at mon 00:10, inside the unavailable quarter hour.
        let clash = of(Rule::WorkAndAvailability, &s, &t);
        assert_eq!(clash.len(), 1);
        assert!(clash[0].message.contains("unavailable"), "{}", clash[0]);
    }

    #[test]
    fn own_workplace_lifts_work_but_not_unavailable_times() {
        let mut s = scenario();
        s.venues[1].employer = Some("acme".to_string());
        s.learners[0].employer = Some("acme".to_string());
        s.learners[0].shift = Some(crate::domain::ShiftId(0));
        s.shifts[0].weeks = vec![week(&["mon 00:00-24:00"])];
        let mut a = class("C1", "c", "f1500", "vb", "t");
        a.learners = vec!["l1".to_string()];
        let t = timetable(vec![a]);
        assert!(of(Rule::WorkAndAvailability, &s, &t).is_empty());
        assert!(of(Rule::Workplaces, &s, &t).is_empty());
        // Travel is 0 at the own workplace: unavailable time touching the session is fine.
        s.learners[0].unavailable = week(&["mon 17:00-18:00"]);
        assert!(of(Rule::WorkAndAvailability, &s, &t).is_empty());
        s.learners[0].unavailable = week(&["mon 16:59-18:00"]);
        assert_eq!(of(Rule::WorkAndAvailability, &s, &t).len(), 1);
        // Another employer's learner is not welcome, and their work counts.
        s.learners[0].employer = Some("other".to_string());
        s.learners[0].unavailable = WeekSet::default();
        assert_eq!(of(Rule::Workplaces, &s, &t).len(), 1);
        assert_eq!(of(Rule::WorkAndAvailability, &s, &t).len(), 1);
    }

    #[test]
    fn repeated_and_unknown_learners_break_the_need_rule() {
        let s = scenario();
        let mut a = class("C1", "c", "f1500", "va", "t");
        a.learners = ["l1", "l1", "ghost", "l1"].map(String::from).to_vec();
        let t = timetable(vec![a]);
        let need = of(Rule::Need, &s, &t);
        assert_eq!(need.len(), 2, "{need:?}");
        assert!(need[0].message.contains("more than once"));
        assert!(need[1].message.contains("ghost"));
        // Seats are distinct ids: l1 and ghost.
        let mut small = s.clone();
        small.courses[0].max_size = 1;
        let size = of(Rule::Size, &small, &t);
        assert_eq!(size.len(), 1);
        assert!(size[0].message.starts_with("has 2 learners"), "{}", size[0]);
    }

    #[test]
    fn one_need_in_two_classes_breaks_the_need_rule() {
        let s = scenario();
        let mut a = class("C1", "c", "f1500", "va", "t");
        let mut b = class("C2", "c", "f1900", "va", "t");
        a.learners = vec!["l1".to_string()];
        b.learners = vec!["l1".to_string()];
        let need = of(Rule::Need, &s, &timetable(vec![a, b]));
        assert_eq!(need.len(), 1);
        assert_eq!(need[0].subject, "learner l1, need c");
        assert!(need[0].message.contains("C1, C2"));
    }

    #[test]
    fn unknown_ids_are_reported_and_never_panic() {
        let s = scenario();
        let mut a = class("C1", "nope", "nope", "nope", "nope");
        a.sessions = vec![SessionEntry {
            day: Day::Mon,
            start: "25:00".to_string(),
            end: "x".to_string(),
        }];
        let mut b = class("C1", "c", "f1500", "va", "t");
        b.room = "Z".to_string();
        b.weeks = u32::MAX;
        b.sessions = a.sessions.clone();
        let mut t = timetable(vec![a, b]);
        t.solver.objective = f64::MAX;
        t.summary.needs = u64::MAX;
        let all = verify(&s, &t);
        let catalogue: Vec<&Violation> = all.iter().filter(|v| v.rule == Rule::Catalogue).collect();
        // Four unknown ids in C1, an unknown room in the second C1.
        assert_eq!(catalogue.len(), 5, "{all:#?}");
        assert!(all.iter().any(|v| v.rule == Rule::Size));
        assert!(
            all.iter()
                .any(|v| v.rule == Rule::File && v.message.contains("more than once"))
        );
        // Costs are unknown, so the objective is not compared.
        assert!(!all.iter().any(|v| v.rule == Rule::Objective));
        // Sorted by rule, and the same every time.
        assert!(all.windows(2).all(|w| w[0].rule <= w[1].rule));
        assert_eq!(all, verify(&s, &t));
    }

    /// Only `l1`'s need of `c`, unplaced with `reason`; no classes.
    fn unplaced(reason: Reason) -> Timetable {
        let mut t = timetable(Vec::new());
        t.unplaced.push(crate::timetable::UnplacedNeed {
            learner: "l1".to_string(),
            course: "c".to_string(),
            reason,
        });
        t
    }

    #[test]
    fn other_employers_workplaces_are_out_of_reach() {
        // l1 lives in bb with a 15-minute limit: only vb (10 minutes) is in reach, not va (40).
        let mut s = scenario();
        s.learners[0].municipality = MunicipalityId(1);
        s.learners[0].max_travel = 15;
        assert!(of(Rule::Reasons, &s, &unplaced(Reason::Capacity)).is_empty());
        // vb becomes acme's workplace: closed to l1 ...
        s.venues[1].employer = Some("acme".to_string());
        assert!(of(Rule::Reasons, &s, &unplaced(Reason::OutOfReach)).is_empty());
        assert_eq!(of(Rule::Reasons, &s, &unplaced(Reason::Capacity)).len(), 1);
        // ... unless l1 works for acme, and then work there does not count either.
        s.learners[0].employer = Some("acme".to_string());
        s.learners[0].shift = Some(crate::domain::ShiftId(0));
        s.shifts[0].weeks = vec![week(&["mon-sun 00:00-24:00"])];
        assert!(of(Rule::Reasons, &s, &unplaced(Reason::Capacity)).is_empty());
        // Without teachers for c the reason is no-teacher.
        for teacher in &mut s.teachers {
            teacher.teaches.retain(|&course| course != CourseId(0));
        }
        assert!(of(Rule::Reasons, &s, &unplaced(Reason::NoTeacher)).is_empty());
        // Unavailable all week, nothing is compatible.
        s.learners[0].unavailable = week(&["mon-sun 00:00-24:00"]);
        assert!(of(Rule::Reasons, &s, &unplaced(Reason::NoCompatibleTime)).is_empty());
    }

    #[test]
    fn rooms_smaller_than_min_size_offer_nothing() {
        let mut s = scenario();
        s.learners[0].municipality = MunicipalityId(1);
        s.learners[0].max_travel = 15;
        s.courses[0].min_size = 11;
        s.courses[0].max_size = 20;
        // Both rooms seat 10; vb's is the only one in reach.
        assert!(of(Rule::Reasons, &s, &unplaced(Reason::OutOfReach)).is_empty());
        s.venues[1].rooms[0].capacity = 11;
        assert!(of(Rule::Reasons, &s, &unplaced(Reason::Capacity)).is_empty());
    }

    #[test]
    fn rule_labels() {
        assert_eq!(Rule::WorkAndAvailability.label(), "rule 8");
        assert_eq!(Rule::Objective.label(), "section 6");
        assert_eq!(Rule::File.to_string(), "section 8 (file)");
        let numbers: Vec<u32> = Rule::ALL.iter().map(Rule::number).collect();
        assert_eq!(numbers, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 6, 7, 8]);
        assert!(Rule::ALL.windows(2).all(|w| w[0] < w[1]));
    }
}
