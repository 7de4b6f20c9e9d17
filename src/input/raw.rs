//! Entities as read from the files: each value checked on its own, references still names.
//! A `None` means the value was missing or bad and a problem has been reported; a scenario
//! is only built when no problem was reported, so every `None` then stands for a bug.

use jiff::civil::Date;

use super::report::{At, Place};
use crate::domain::{CourseKind, Mode, ObjectiveWeights, OptionalHours, Room};
use crate::time::{Session, WeekSet};

/// The `[scenario]` table.
#[derive(Debug, Default)]
pub(super) struct Head {
    pub name: Option<String>,
    pub start: Option<Date>,
    pub weeks: Option<At<u32>>,
    pub learners: Option<At<String>>,
    /// Canonical IANA name; the default when absent.
    pub timezone: Option<String>,
}

/// A `[[travel.override]]`.
#[derive(Debug)]
pub(super) struct RawOverride {
    /// How messages name it ("venue `schilde-gc`").
    pub what: String,
    pub at: Place,
    pub from: Option<At<String>>,
    pub to: Option<At<String>>,
    pub mode: Option<Mode>,
    pub minutes: Option<u32>,
}

/// The `[travel]` table.
#[derive(Debug)]
pub(super) struct RawTravel {
    pub detour: Option<f64>,
    pub speed_kmh: [Option<f64>; 4],
    pub overhead_min: [Option<f64>; 4],
    pub overrides: Vec<RawOverride>,
}

/// A `[[municipality]]`.
#[derive(Debug)]
pub(super) struct RawMunicipality {
    pub id: Option<At<String>>,
    pub name: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
}

/// A `[[venue]]`.
#[derive(Debug)]
pub(super) struct RawVenue {
    /// How messages name it ("venue `schilde-gc`").
    pub what: String,
    pub id: Option<At<String>>,
    pub name: Option<String>,
    pub municipality: Option<At<String>>,
    pub open: Option<WeekSet>,
    pub cost_per_hour: Option<f64>,
    pub employer: Option<String>,
    /// Absent or blank means none.
    pub address: Option<String>,
    pub rooms: Option<Vec<Room>>,
    pub optional_hours: Option<Vec<OptionalHours>>,
}

/// A `[[teacher]]`.
#[derive(Debug)]
pub(super) struct RawTeacher {
    /// How messages name it ("venue `schilde-gc`").
    pub what: String,
    pub id: Option<At<String>>,
    pub name: Option<String>,
    pub municipality: Option<At<String>>,
    pub mode: Option<Mode>,
    pub teaches: Option<Vec<At<String>>>,
    pub available: Option<WeekSet>,
    pub max_hours: Option<f64>,
    pub cost_per_hour: Option<f64>,
    /// `Some(None)`: not optional.
    pub optional_cost: Option<Option<f64>>,
}

/// A `[[format]]`.
#[derive(Debug)]
pub(super) struct RawFormat {
    pub id: Option<At<String>>,
    /// In week order.
    pub sessions: Option<Vec<Session>>,
}

/// A `[[course]]`.
#[derive(Debug)]
pub(super) struct RawCourse {
    /// How messages name it ("venue `schilde-gc`").
    pub what: String,
    pub id: Option<At<String>>,
    pub kind: Option<CourseKind>,
    pub level: Option<String>,
    pub language: Option<String>,
    pub hours: Option<At<f64>>,
    pub min_size: Option<u32>,
    pub max_size: Option<u32>,
    pub formats: Option<Vec<At<String>>>,
}

/// A `[[shift]]`.
#[derive(Debug)]
pub(super) struct RawShift {
    pub id: Option<At<String>>,
    pub weeks: Option<Vec<WeekSet>>,
}

/// A learner, from a `[[learner]]` table or a CSV row.
#[derive(Debug)]
pub(super) struct RawLearner {
    /// How messages name it ("venue `schilde-gc`").
    pub what: String,
    pub id: Option<At<String>>,
    pub municipality: Option<At<String>>,
    /// Non-empty, without repeats.
    pub needs: Option<Vec<At<String>>>,
    /// Absent (or empty) means no work schedule.
    pub shift: Option<At<String>>,
    pub employer: Option<String>,
    pub unavailable: Option<WeekSet>,
    pub mode: Option<Mode>,
    pub max_travel: Option<u32>,
    pub priority: Option<f64>,
}

/// Everything read from the scenario file.
#[derive(Debug)]
pub(super) struct RawDocument {
    pub head: Head,
    /// `None` when a weight was bad.
    pub objective: Option<ObjectiveWeights>,
    /// Outer `None`: a bad value; inner `None`: no budget.
    pub max_cost: Option<Option<f64>>,
    pub travel: RawTravel,
    pub municipalities: Vec<RawMunicipality>,
    pub venues: Vec<RawVenue>,
    pub teachers: Vec<RawTeacher>,
    pub formats: Vec<RawFormat>,
    pub courses: Vec<RawCourse>,
    pub shifts: Vec<RawShift>,
    pub learners: Vec<RawLearner>,
}
