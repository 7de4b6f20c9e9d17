//! `referrals.csv`: what a counsellor sends each learner. One row a learner-need: where and
//! when the class is and who teaches it, or in plain words why there is no class.
//!
//! Unlike `learners.csv` (ids, for planners), this table holds the names and the address a
//! learner needs to find the class, and days in full words.

use crate::domain::{CourseKind, Scenario};
use crate::timetable::{ClassEntry, Timetable};
use crate::write::WriteError;
use crate::write::lookup::{Lookup, NeedRow, Outcome, learner_needs};

use super::calendar::day_name;

/// Column names of `referrals.csv`, in order.
pub const REFERRAL_COLUMNS: [&str; 16] = [
    "learner",
    "municipality",
    "course",
    "course_description",
    "status",
    "class",
    "venue",
    "address",
    "venue_municipality",
    "room",
    "days_and_times",
    "first_day",
    "last_day",
    "weeks",
    "teacher",
    "reason",
];

/// One referral: the cells of a row of `referrals.csv`, also shown in the report.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Referral {
    /// Learner id.
    pub learner: String,
    /// Name of the learner's municipality.
    pub municipality: String,
    /// Course id.
    pub course: String,
    /// The course in words: `NT2 A1, in nl` or `MO, in ar`.
    pub course_description: String,
    /// `placed` or `unplaced`.
    pub status: &'static str,
    /// Class id.
    pub class: String,
    /// Venue name (its id when the scenario does not know it).
    pub venue: String,
    /// The venue's street address, when the scenario gives one.
    pub address: String,
    /// Name of the venue's municipality.
    pub venue_municipality: String,
    /// Room id.
    pub room: String,
    /// The sessions in words: `Monday 18:30-21:30; Thursday 18:30-21:30`.
    pub days_and_times: String,
    /// Date of the first session.
    pub first_day: String,
    /// Date of the last session.
    pub last_day: String,
    /// Weeks the class runs.
    pub weeks: String,
    /// Teacher name (its id when the scenario does not know it).
    pub teacher: String,
    /// For an unplaced need, the reason in plain words.
    pub reason: String,
}

impl Referral {
    /// The cells in the order of [`REFERRAL_COLUMNS`].
    pub fn cells(&self) -> [&str; 16] {
        [
            &self.learner,
            &self.municipality,
            &self.course,
            &self.course_description,
            self.status,
            &self.class,
            &self.venue,
            &self.address,
            &self.venue_municipality,
            &self.room,
            &self.days_and_times,
            &self.first_day,
            &self.last_day,
            &self.weeks,
            &self.teacher,
            &self.reason,
        ]
    }
}

/// Every learner-need of the timetable as a referral, ordered by learner (scenario order)
/// then by the learner's order of needs, as `learners.csv`.
pub fn referrals(scenario: &Scenario, timetable: &Timetable) -> Vec<Referral> {
    let lookup = Lookup::new(scenario);
    learner_needs(&lookup, timetable)
        .into_iter()
        .map(|need| referral(&lookup, need))
        .collect()
}

/// `referrals.csv`: a header of [`REFERRAL_COLUMNS`] and one row per referral.
pub fn referrals_csv(scenario: &Scenario, timetable: &Timetable) -> Result<Vec<u8>, WriteError> {
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(REFERRAL_COLUMNS)?;
    for row in referrals(scenario, timetable) {
        out.write_record(row.cells())?;
    }
    out.into_inner()
        .map_err(|error| WriteError::Csv(error.into_error().into()))
}

fn referral(lookup: &Lookup<'_>, need: NeedRow<'_>) -> Referral {
    let municipality = lookup
        .learner(need.learner)
        .and_then(|(_, learner)| lookup.learner_municipality(learner))
        .map(|m| m.name.clone())
        .unwrap_or_default();
    let mut row = Referral {
        learner: need.learner.to_string(),
        municipality,
        course: need.course.to_string(),
        course_description: course_description(lookup, need.course),
        ..Referral::default()
    };
    match need.outcome {
        Outcome::Placed(class) => {
            row.status = "placed";
            placement(lookup, class, &mut row);
        }
        Outcome::Unplaced(reason) => {
            row.status = "unplaced";
            row.reason = reason.explain().to_string();
        }
    }
    row
}

fn placement(lookup: &Lookup<'_>, class: &ClassEntry, row: &mut Referral) {
    let venue = lookup.venue(&class.venue).map(|(_, venue)| venue);
    row.class = class.id.clone();
    row.venue = venue.map_or_else(|| class.venue.clone(), |v| v.name.clone());
    row.address = venue.and_then(|v| v.address.clone()).unwrap_or_default();
    row.venue_municipality = venue
        .and_then(|v| lookup.venue_municipality(v))
        .map(|m| m.name.clone())
        .unwrap_or_default();
    row.room = class.room.clone();
    row.days_and_times = days_in_words(class);
    row.first_day = class.first_day.clone();
    row.last_day = class.last_day.clone();
    row.weeks = class.weeks.to_string();
    row.teacher = lookup
        .teacher(&class.teacher)
        .map_or_else(|| class.teacher.clone(), |t| t.name.clone());
}

/// The class's sessions with full day names: `Monday 18:30-21:30; Thursday 18:30-21:30`.
pub(crate) fn days_in_words(class: &ClassEntry) -> String {
    class
        .sessions
        .iter()
        .map(|s| format!("{} {}-{}", day_name(s.day), s.start, s.end))
        .collect::<Vec<_>>()
        .join("; ")
}

/// `NT2 A1, in nl`, `MO, in ar`; empty for a course the scenario does not know.
pub(crate) fn course_description(lookup: &Lookup<'_>, course: &str) -> String {
    let Some(course) = lookup.course(course) else {
        return String::new();
    };
    let kind = match course.kind {
        CourseKind::Nt2 => "NT2",
        CourseKind::Mo => "MO",
    };
    match &course.level {
        Some(level) => format!("{kind} {level}, in {}", course.language),
        None => format!("{kind}, in {}", course.language),
    }
}
