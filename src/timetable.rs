//! The timetable file of SPEC section 8: what `solve` writes and `verify` reads.

use serde::{Deserialize, Serialize};

use crate::input::InputError;
use crate::time::Day;

/// A whole timetable as written to `timetable.json`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Timetable {
    /// The scenario's name.
    pub scenario: String,
    /// How the solver ended.
    pub solver: SolverReport,
    /// The classes opened, with their learners.
    pub classes: Vec<ClassEntry>,
    /// Every learner-need that is in no class, with the reason.
    pub unplaced: Vec<UnplacedNeed>,
    /// Totals.
    pub summary: Summary,
    /// The optional teachers, rooms and opening hours the classes use, each paid once.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub optional: Vec<OptionalChoice>,
}

/// What kind of optional resource.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ResourceKind {
    /// A teacher hired for the term.
    Teacher,
    /// A room rented for the term.
    Room,
    /// Extra opening hours of a venue.
    Hours,
}

/// An optional resource the timetable pays for.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OptionalChoice {
    /// Teacher, room or opening hours.
    pub kind: ResourceKind,
    /// The venue, for a room or opening hours.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub venue: Option<String>,
    /// The teacher's id, or the room's or opening hours' id within the venue.
    pub id: String,
    /// What it costs for the term.
    pub fixed_cost: f64,
}

impl Timetable {
    /// Reads a timetable file; `file` names it in the error, with line and column.
    pub fn from_json(text: &str, file: &std::path::Path) -> Result<Timetable, InputError> {
        serde_json::from_str(text).map_err(|error| InputError {
            file: file.to_path_buf(),
            line: error.line(),
            column: error.column(),
            message: format!("not a timetable file: {error}"),
            help: Some("a timetable is the `timetable.json` that `roosteraar solve` writes (SPEC section 8)".into()),
        })
    }
}

/// How a solve ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SolveStatus {
    /// Proven optimal.
    Optimal,
    /// Stopped within the requested relative gap.
    GapLimit,
    /// Stopped by the time limit with a solution.
    TimeLimit,
    /// A limit was reached before any solution was found.
    NoSolution,
    /// Found by the greedy baseline, or by the region-by-region search when it stopped on
    /// its own; neither proves a bound (a roosteraar addition).
    Heuristic,
}

impl SolveStatus {
    /// The name used in files.
    pub fn name(self) -> &'static str {
        match self {
            SolveStatus::Optimal => "optimal",
            SolveStatus::GapLimit => "gap_limit",
            SolveStatus::TimeLimit => "time_limit",
            SolveStatus::NoSolution => "no_solution",
            SolveStatus::Heuristic => "heuristic",
        }
    }
}

/// The solver's own account of the run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SolverReport {
    /// How it ended.
    pub status: SolveStatus,
    /// The SPEC section 6 objective of this timetable.
    pub objective: f64,
    /// The best proven bound on the objective, if the solver has one.
    pub best_bound: Option<f64>,
    /// The solver's relative gap between objective and bound, if known.
    pub gap: Option<f64>,
    /// Wall-clock seconds of the solve.
    pub seconds: f64,
}

/// One opened class.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClassEntry {
    /// Class id, unique in the timetable (`C001`).
    pub id: String,
    /// Course id.
    pub course: String,
    /// Format id.
    pub format: String,
    /// Venue id.
    pub venue: String,
    /// Room id within the venue.
    pub room: String,
    /// Teacher id.
    pub teacher: String,
    /// Weeks the class runs, from week 1.
    pub weeks: u32,
    /// Date of the first session, `YYYY-MM-DD`.
    pub first_day: String,
    /// Date of the last session, `YYYY-MM-DD`.
    pub last_day: String,
    /// The weekly sessions, in week order.
    pub sessions: Vec<SessionEntry>,
    /// Learner ids.
    pub learners: Vec<String>,
}

/// One weekly session of a class.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SessionEntry {
    /// Day of the week.
    pub day: Day,
    /// Start, `HH:MM`.
    pub start: String,
    /// End, `HH:MM`.
    pub end: String,
}

/// A learner-need that is not placed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnplacedNeed {
    /// Learner id.
    pub learner: String,
    /// Course id of the need.
    pub course: String,
    /// Why it is not placed.
    pub reason: Reason,
}

/// Why a learner-need is not placed (SPEC section 7); the first that applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Reason {
    /// No venue offering the course is within the learner's travel limit.
    OutOfReach,
    /// Venues are in reach, but every usable time clashes with work or other commitments.
    NoCompatibleTime,
    /// Compatible times exist, but no qualified teacher is available for any of them.
    NoTeacher,
    /// Options with a teacher exist; the plan did not place the learner.
    Capacity,
}

impl Reason {
    /// All reasons, in the order they are tried.
    pub const ALL: [Reason; 4] = [
        Reason::OutOfReach,
        Reason::NoCompatibleTime,
        Reason::NoTeacher,
        Reason::Capacity,
    ];

    /// The name used in files.
    pub fn name(self) -> &'static str {
        match self {
            Reason::OutOfReach => "out-of-reach",
            Reason::NoCompatibleTime => "no-compatible-time",
            Reason::NoTeacher => "no-teacher",
            Reason::Capacity => "capacity",
        }
    }

    /// The reason in plain words, for people.
    pub fn explain(self) -> &'static str {
        match self {
            Reason::OutOfReach => {
                "no venue offering this course is within the learner's travel limit"
            }
            Reason::NoCompatibleTime => {
                "every class time within reach clashes with work or other commitments"
            }
            Reason::NoTeacher => "no qualified teacher is available at any compatible time",
            Reason::Capacity => {
                "compatible classes exist, but the plan had no place (full, too few learners, budget or cost)"
            }
        }
    }
}

/// Totals of a timetable.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Summary {
    /// Learner-needs in the scenario.
    pub needs: u64,
    /// Learner-needs placed in a class.
    pub placed: u64,
    /// Total teacher cost.
    pub teacher_cost: f64,
    /// Total room cost.
    pub room_cost: f64,
    /// Sum of one-way travel minutes of placed learner-needs.
    pub travel_minutes: u64,
    /// Total fixed cost of the optional resources used.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub optional_cost: f64,
    /// Needs and placements per municipality of residence, for municipalities with demand.
    pub by_municipality: Vec<MunicipalityCoverage>,
}

/// Coverage of one municipality.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MunicipalityCoverage {
    /// Municipality id.
    pub municipality: String,
    /// Learner-needs of its learners.
    pub needs: u64,
    /// Of those, placed.
    pub placed: u64,
}

fn is_zero(value: &f64) -> bool {
    *value == 0.0
}
