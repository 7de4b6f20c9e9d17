//! `classes.csv` (one row a class) and `learners.csv` (one row a learner-need).

use crate::domain::{CourseKind, Scenario};
use crate::timetable::Timetable;

use super::WriteError;
use super::lookup::{
    Lookup, Outcome, class_costs, days_and_times, hours, learner_needs, money, weekly_hours,
};

/// Column names of `classes.csv`, in order.
pub const CLASS_COLUMNS: [&str; 22] = [
    "class",
    "course",
    "kind",
    "level",
    "language",
    "format",
    "days_and_times",
    "weekly_hours",
    "weeks",
    "first_day",
    "last_day",
    "venue",
    "venue_name",
    "municipality",
    "room",
    "room_capacity",
    "teacher",
    "teacher_name",
    "learners",
    "max_size",
    "teacher_cost",
    "room_cost",
];

/// Column names of `learners.csv`, in order.
pub const LEARNER_COLUMNS: [&str; 15] = [
    "learner",
    "municipality",
    "course",
    "status",
    "class",
    "venue",
    "venue_name",
    "room",
    "days_and_times",
    "first_day",
    "last_day",
    "teacher",
    "travel_minutes",
    "reason",
    "explanation",
];

/// `classes.csv`: one row a class in timetable order, ids as written and details looked up in
/// the scenario. Costs are for the class as written (its sessions and weeks), two decimals.
/// Cells whose lookup fails (an id the scenario does not know) are empty.
pub fn classes_csv(scenario: &Scenario, timetable: &Timetable) -> Result<Vec<u8>, WriteError> {
    let lookup = Lookup::new(scenario);
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(CLASS_COLUMNS)?;
    for class in &timetable.classes {
        let course = lookup.course(&class.course);
        let venue = lookup.venue(&class.venue).map(|(_, venue)| venue);
        let room = lookup.room(&class.venue, &class.room);
        let teacher = lookup.teacher(&class.teacher);
        let (teacher_cost, room_cost) = class_costs(&lookup, class);
        let text = |value: Option<String>| value.unwrap_or_default();
        let record: [String; 22] = [
            class.id.clone(),
            class.course.clone(),
            text(course.map(|c| kind_name(c.kind).to_string())),
            text(course.and_then(|c| c.level.clone())),
            text(course.map(|c| c.language.clone())),
            class.format.clone(),
            days_and_times(class),
            text(weekly_hours(class).map(hours)),
            class.weeks.to_string(),
            class.first_day.clone(),
            class.last_day.clone(),
            class.venue.clone(),
            text(venue.map(|v| v.name.clone())),
            text(
                venue
                    .and_then(|v| lookup.venue_municipality(v))
                    .map(|m| m.id.clone()),
            ),
            class.room.clone(),
            text(room.map(|r| r.capacity.to_string())),
            class.teacher.clone(),
            text(teacher.map(|t| t.name.clone())),
            class.learners.len().to_string(),
            text(course.map(|c| c.max_size.to_string())),
            text(teacher_cost.map(money)),
            text(room_cost.map(money)),
        ];
        out.write_record(&record)?;
    }
    finish(out)
}

/// `learners.csv`: one row a learner-need the timetable records, ordered by learner (scenario
/// order) then by the learner's order of needs. Placed rows carry the class and its venue,
/// times and travel; unplaced rows carry the reason and its explanation.
pub fn learners_csv(scenario: &Scenario, timetable: &Timetable) -> Result<Vec<u8>, WriteError> {
    let lookup = Lookup::new(scenario);
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(LEARNER_COLUMNS)?;
    for need in learner_needs(&lookup, timetable) {
        let municipality = lookup
            .learner(need.learner)
            .and_then(|(_, learner)| lookup.learner_municipality(learner))
            .map(|m| m.id.clone())
            .unwrap_or_default();
        let mut record: [String; 15] = Default::default();
        record[0] = need.learner.to_string();
        record[1] = municipality;
        record[2] = need.course.to_string();
        match need.outcome {
            Outcome::Placed(class) => {
                record[3] = "placed".to_string();
                record[4] = class.id.clone();
                record[5] = class.venue.clone();
                record[6] = lookup
                    .venue(&class.venue)
                    .map(|(_, venue)| venue.name.clone())
                    .unwrap_or_default();
                record[7] = class.room.clone();
                record[8] = days_and_times(class);
                record[9] = class.first_day.clone();
                record[10] = class.last_day.clone();
                record[11] = class.teacher.clone();
                record[12] = lookup
                    .travel_minutes(need.learner, &class.venue)
                    .map(|minutes| minutes.to_string())
                    .unwrap_or_default();
            }
            Outcome::Unplaced(reason) => {
                record[3] = "unplaced".to_string();
                record[13] = reason.name().to_string();
                record[14] = reason.explain().to_string();
            }
        }
        out.write_record(&record)?;
    }
    finish(out)
}

/// The name of a course kind as written in files.
fn kind_name(kind: CourseKind) -> &'static str {
    match kind {
        CourseKind::Nt2 => "nt2",
        CourseKind::Mo => "mo",
    }
}

fn finish(out: csv::Writer<Vec<u8>>) -> Result<Vec<u8>, WriteError> {
    out.into_inner()
        .map_err(|error| WriteError::Csv(error.into_error().into()))
}
