//! Resolving the ids written in a timetable against a scenario, and the per-class and
//! per-need views shared by the tables and the summary.
//!
//! Every lookup answers `None` for an id the scenario does not know, because a timetable
//! may come from elsewhere and the writers must still describe it.

use std::collections::HashMap;

use crate::domain::{
    Course, Learner, LearnerId, Municipality, Room, Scenario, Teacher, Venue, VenueId,
};
use crate::time::parse_clock;
use crate::timetable::{ClassEntry, Reason, Timetable};

/// A scenario seen through the string ids of a timetable.
pub(crate) struct Lookup<'a> {
    scenario: &'a Scenario,
}

impl<'a> Lookup<'a> {
    /// Looks ids up in `scenario`.
    pub(crate) fn new(scenario: &'a Scenario) -> Lookup<'a> {
        Lookup { scenario }
    }

    /// The scenario itself, for what is not looked up by id.
    pub(crate) fn scenario(&self) -> &'a Scenario {
        self.scenario
    }

    /// The venue with this id, and its typed id.
    pub(crate) fn venue(&self, id: &str) -> Option<(VenueId, &'a Venue)> {
        let venue = *self.scenario.ids.venues.get(id)?;
        Some((venue, self.scenario.venues.get(venue.0)?))
    }

    /// The room with id `room` in the venue with id `venue`.
    pub(crate) fn room(&self, venue: &str, room: &str) -> Option<&'a Room> {
        let (_, venue) = self.venue(venue)?;
        venue.rooms.iter().find(|candidate| candidate.id == room)
    }

    /// The course with this id.
    pub(crate) fn course(&self, id: &str) -> Option<&'a Course> {
        let course = self.scenario.ids.courses.get(id)?;
        self.scenario.courses.get(course.0)
    }

    /// The teacher with this id.
    pub(crate) fn teacher(&self, id: &str) -> Option<&'a Teacher> {
        let teacher = self.scenario.ids.teachers.get(id)?;
        self.scenario.teachers.get(teacher.0)
    }

    /// The learner with this id, and its typed id.
    pub(crate) fn learner(&self, id: &str) -> Option<(LearnerId, &'a Learner)> {
        let learner = *self.scenario.ids.learners.get(id)?;
        Some((learner, self.scenario.learners.get(learner.0)?))
    }

    /// The municipality with this id.
    pub(crate) fn municipality_by_id(&self, id: &str) -> Option<&'a Municipality> {
        let municipality = self.scenario.ids.municipalities.get(id)?;
        self.scenario.municipalities.get(municipality.0)
    }

    /// The municipality a venue is in.
    pub(crate) fn venue_municipality(&self, venue: &Venue) -> Option<&'a Municipality> {
        self.scenario.municipalities.get(venue.municipality.0)
    }

    /// The municipality a learner lives in.
    pub(crate) fn learner_municipality(&self, learner: &Learner) -> Option<&'a Municipality> {
        self.scenario.municipalities.get(learner.municipality.0)
    }

    /// One-way travel minutes of a learner to the class's venue, when both are known.
    pub(crate) fn travel_minutes(&self, learner: &str, venue: &str) -> Option<u32> {
        let (learner, _) = self.learner(learner)?;
        let (venue, _) = self.venue(venue)?;
        Some(self.scenario.learner_travel(learner, venue))
    }
}

/// The class's sessions as people write them: `mon 18:30-21:30; thu 18:30-21:30`.
pub(crate) fn days_and_times(class: &ClassEntry) -> String {
    class
        .sessions
        .iter()
        .map(|session| format!("{} {}-{}", session.day, session.start, session.end))
        .collect::<Vec<_>>()
        .join("; ")
}

/// Total minutes of the class's weekly sessions, or `None` when a session's times cannot be
/// read or do not run forwards, so that no figure is made up for such a class.
pub(crate) fn weekly_minutes(class: &ClassEntry) -> Option<u32> {
    class.sessions.iter().try_fold(0u32, |total, session| {
        let start = parse_clock(&session.start).ok()?;
        let end = parse_clock(&session.end).ok()?;
        (end > start).then(|| total + (end - start))
    })
}

/// Hours of the class per week, when its sessions can be read.
pub(crate) fn weekly_hours(class: &ClassEntry) -> Option<f64> {
    weekly_minutes(class).map(|minutes| f64::from(minutes) / 60.0)
}

/// Teacher cost and room cost of the class as written (its own sessions and weeks), when the
/// teacher, venue and session times are known.
pub(crate) fn class_costs(lookup: &Lookup<'_>, class: &ClassEntry) -> (Option<f64>, Option<f64>) {
    let Some(hours) = weekly_hours(class).map(|hours| hours * f64::from(class.weeks)) else {
        return (None, None);
    };
    let teacher = lookup
        .teacher(&class.teacher)
        .map(|teacher| teacher.cost_per_hour * hours);
    let room = lookup
        .venue(&class.venue)
        .map(|(_, venue)| venue.cost_per_hour * hours);
    (teacher, room)
}

/// Where a learner-need ended up.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Outcome<'a> {
    /// In this class.
    Placed(&'a ClassEntry),
    /// In no class, for this reason.
    Unplaced(Reason),
}

/// One learner-need as the timetable records it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct NeedRow<'a> {
    /// Learner id as written.
    pub learner: &'a str,
    /// Course id as written.
    pub course: &'a str,
    /// Where it ended up.
    pub outcome: Outcome<'a>,
}

/// Every learner-need the timetable records (class memberships and unplaced entries), ordered
/// by learner in scenario order, then by the learner's order of needs. Learners the scenario
/// does not know follow, in order of first mention; within a learner, courses it does not list
/// follow its needs in timetable order.
pub(crate) fn learner_needs<'a>(lookup: &Lookup<'_>, timetable: &'a Timetable) -> Vec<NeedRow<'a>> {
    let placed = timetable.classes.iter().flat_map(|class| {
        class.learners.iter().map(move |learner| NeedRow {
            learner,
            course: &class.course,
            outcome: Outcome::Placed(class),
        })
    });
    let unplaced = timetable.unplaced.iter().map(|need| NeedRow {
        learner: &need.learner,
        course: &need.course,
        outcome: Outcome::Unplaced(need.reason),
    });
    let rows: Vec<NeedRow<'a>> = placed.chain(unplaced).collect();

    let known = lookup.scenario().learners.len();
    let mut unknown_rank: HashMap<&str, usize> = HashMap::new();
    let mut keys: Vec<(usize, usize, usize)> = Vec::with_capacity(rows.len());
    for (sequence, row) in rows.iter().enumerate() {
        let (learner_rank, need_rank) = match lookup.learner(row.learner) {
            Some((id, learner)) => {
                let need = learner.needs.iter().position(|&course| {
                    lookup
                        .scenario()
                        .courses
                        .get(course.0)
                        .map(|c| c.id.as_str())
                        == Some(row.course)
                });
                (id.0, need.unwrap_or(usize::MAX))
            }
            None => {
                let next = known + unknown_rank.len();
                (*unknown_rank.entry(row.learner).or_insert(next), usize::MAX)
            }
        };
        keys.push((learner_rank, need_rank, sequence));
    }
    let mut order: Vec<usize> = (0..rows.len()).collect();
    order.sort_by_key(|&index| keys[index]);
    order.into_iter().map(|index| rows[index]).collect()
}

/// A money amount with two decimals.
pub(crate) fn money(amount: f64) -> String {
    format!("{amount:.2}")
}

/// An hour count with at most two decimals and no trailing zeros: `6`, `4.5`, `1.33`.
pub(crate) fn hours(amount: f64) -> String {
    let text = format!("{amount:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".to_string()
    } else {
        text.to_string()
    }
}
