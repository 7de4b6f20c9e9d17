//! From chosen classes to the timetable file: class ids, dates, unplaced reasons, the
//! summary and the objective value, whatever produced the choice.

use std::collections::BTreeSet;

use crate::candidates::{Candidates, hours_needed};
use crate::domain::{CourseId, FormatId, LearnerId, Resource, RoomId, Scenario, TeacherId};
use crate::time::format_clock;
use crate::timetable::{
    ClassEntry, MunicipalityCoverage, OptionalChoice, ResourceKind, SessionEntry, SolverReport,
    Summary, Timetable, UnplacedNeed,
};

/// A class to hold: what, where, by whom, and for whom.
#[derive(Clone, Debug, PartialEq)]
pub struct PlannedClass {
    /// The course.
    pub course: CourseId,
    /// The weekly format.
    pub format: FormatId,
    /// The room (and so the venue).
    pub room: RoomId,
    /// The teacher.
    pub teacher: TeacherId,
    /// The learners, each placed for this class's course.
    pub learners: Vec<LearnerId>,
}

/// Turns planned classes into the timetable file. Classes get ids `C001`, `C002`, ... in
/// order of course, venue, room and format as listed in the scenario, so the same plan
/// always gives the same file. `solver.objective` is replaced by the section 6 value of
/// the plan itself.
pub fn timetable(
    scenario: &Scenario,
    candidates: &Candidates,
    mut classes: Vec<PlannedClass>,
    mut solver: SolverReport,
) -> Timetable {
    classes.sort_by_key(|class| (class.course, class.room, class.format));
    let width = classes.len().to_string().len().max(3);
    let mut placed: BTreeSet<(LearnerId, CourseId)> = BTreeSet::new();
    let entries: Vec<ClassEntry> = classes
        .iter()
        .enumerate()
        .map(|(i, class)| {
            let mut learners = class.learners.clone();
            learners.sort();
            for &learner in &learners {
                placed.insert((learner, class.course));
            }
            class_entry(scenario, format!("C{:0width$}", i + 1), class, &learners)
        })
        .collect();

    let unplaced = candidates
        .needs
        .iter()
        .zip(&candidates.reasons)
        .filter(|(need, _)| !placed.contains(&(need.learner, need.course)))
        .map(|(need, reason)| UnplacedNeed {
            learner: scenario.learner(need.learner).id.clone(),
            course: scenario.course(need.course).id.clone(),
            reason: *reason,
        })
        .collect();

    let optional = resources_used(scenario, &classes);
    let mut summary = summary(scenario, candidates, &classes);
    summary.optional_cost = optional.iter().map(|r| r.fixed_cost(scenario)).sum();
    solver.objective = objective(scenario, &classes, &summary, &optional);
    let optional = optional
        .into_iter()
        .map(|resource| optional_choice(scenario, resource))
        .collect();
    Timetable {
        scenario: scenario.name.clone(),
        solver,
        classes: entries,
        unplaced,
        summary,
        optional,
    }
}

fn class_entry(
    scenario: &Scenario,
    id: String,
    class: &PlannedClass,
    learners: &[LearnerId],
) -> ClassEntry {
    let format = scenario.format(class.format);
    let weeks = scenario.class_weeks(class.course, class.format);
    let first = format.sessions.iter().map(|s| s.day).min();
    let last = format.sessions.iter().map(|s| s.day).max();
    let date = |week, day: Option<crate::time::Day>| {
        day.map(|day| scenario.date_of(week, day).to_string())
            .unwrap_or_default()
    };
    let venue = scenario.venue(class.room.venue);
    ClassEntry {
        id,
        course: scenario.course(class.course).id.clone(),
        format: format.id.clone(),
        venue: venue.id.clone(),
        room: scenario.room(class.room).id.clone(),
        teacher: scenario.teacher(class.teacher).id.clone(),
        weeks,
        first_day: date(1, first),
        last_day: date(weeks, last),
        sessions: format
            .sessions
            .iter()
            .map(|session| SessionEntry {
                day: session.day,
                start: format_clock(session.start),
                end: format_clock(session.end),
            })
            .collect(),
        learners: learners
            .iter()
            .map(|&l| scenario.learner(l).id.clone())
            .collect(),
    }
}

fn summary(scenario: &Scenario, candidates: &Candidates, classes: &[PlannedClass]) -> Summary {
    let mut needs = vec![0u64; scenario.municipalities.len()];
    for need in &candidates.needs {
        needs[scenario.learner(need.learner).municipality.0] += 1;
    }
    let mut placed = vec![0u64; scenario.municipalities.len()];
    let (mut teacher_cost, mut room_cost, mut travel_minutes) = (0.0, 0.0, 0u64);
    for class in classes {
        teacher_cost += scenario.teacher_cost(class.course, class.format, class.teacher);
        room_cost += scenario.room_cost(class.course, class.format, class.room.venue);
        for &learner in &class.learners {
            placed[scenario.learner(learner).municipality.0] += 1;
            travel_minutes += u64::from(scenario.learner_travel(learner, class.room.venue));
        }
    }
    Summary {
        needs: needs.iter().sum(),
        placed: placed.iter().sum(),
        teacher_cost,
        room_cost,
        travel_minutes,
        optional_cost: 0.0,
        by_municipality: scenario
            .municipalities
            .iter()
            .zip(needs.iter().zip(&placed))
            .filter(|(_, (needs, _))| **needs > 0)
            .map(|(municipality, (&needs, &placed))| MunicipalityCoverage {
                municipality: municipality.id.clone(),
                needs,
                placed,
            })
            .collect(),
    }
}

/// The section 6 objective of a plan.
fn objective(
    scenario: &Scenario,
    classes: &[PlannedClass],
    summary: &Summary,
    optional: &[Resource],
) -> f64 {
    let weights = &scenario.objective;
    let served: f64 = classes
        .iter()
        .flat_map(|class| &class.learners)
        .map(|&learner| scenario.learner(learner).priority)
        .sum();
    let lowest_share = summary
        .by_municipality
        .iter()
        .map(|m| m.placed as f64 / m.needs as f64)
        .fold(1.0, f64::min);
    weights.serve * served
        - weights.teacher_cost * summary.teacher_cost
        - weights.room_cost * summary.room_cost
        - weights.travel * summary.travel_minutes as f64
        + weights.fairness * lowest_share
        - optional
            .iter()
            .map(|r| r.weight(scenario) * r.fixed_cost(scenario))
            .sum::<f64>()
}

/// The optional teachers, rooms and opening hours the classes use, in order.
pub fn resources_used(scenario: &Scenario, classes: &[PlannedClass]) -> Vec<Resource> {
    let mut used = BTreeSet::new();
    for class in classes {
        if scenario.teacher(class.teacher).optional_cost.is_some() {
            used.insert(Resource::Teacher(class.teacher));
        }
        if scenario.room(class.room).optional_cost.is_some() {
            used.insert(Resource::Room(class.room));
        }
        let venue = scenario.venue(class.room.venue);
        let intervals: Vec<_> = scenario.format(class.format).intervals().collect();
        for k in hours_needed(venue, &intervals).unwrap_or_default() {
            used.insert(Resource::Hours(class.room.venue, k));
        }
    }
    used.into_iter().collect()
}

fn optional_choice(scenario: &Scenario, resource: Resource) -> OptionalChoice {
    let (kind, venue, id) = match resource {
        Resource::Teacher(teacher) => (
            ResourceKind::Teacher,
            None,
            scenario.teacher(teacher).id.clone(),
        ),
        Resource::Room(room) => (
            ResourceKind::Room,
            Some(scenario.venue(room.venue).id.clone()),
            scenario.room(room).id.clone(),
        ),
        Resource::Hours(venue, k) => (
            ResourceKind::Hours,
            Some(scenario.venue(venue).id.clone()),
            scenario.venue(venue).optional_hours[k].id.clone(),
        ),
    };
    OptionalChoice {
        kind,
        venue,
        id,
        fixed_cost: resource.fixed_cost(scenario),
    }
}
