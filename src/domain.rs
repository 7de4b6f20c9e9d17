//! The planning domain of SPEC sections 3 and 4: a checked scenario with typed ids and the
//! quantities derived from it. Nothing here knows about the solver.

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::time::{Interval, Session, WeekSet};

macro_rules! typed_id {
    ($(#[$doc:meta] $name:ident),* $(,)?) => {$(
        #[$doc]
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(pub usize);

        impl $name {
            /// Position in the scenario's list of this kind.
            pub fn index(self) -> usize {
                self.0
            }
        }
    )*};
}

typed_id!(
    /// A municipality of the scenario.
    MunicipalityId,
    /// A venue of the scenario.
    VenueId,
    /// A teacher of the scenario.
    TeacherId,
    /// A weekly format of the scenario.
    FormatId,
    /// A course of the scenario.
    CourseId,
    /// A work schedule of the scenario.
    ShiftId,
    /// A learner of the scenario.
    LearnerId,
);

/// A room: the venue it belongs to and its position in the venue's room list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RoomId {
    /// The venue.
    pub venue: VenueId,
    /// Position in `Venue::rooms`.
    pub index: usize,
}

/// How a person travels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// On foot.
    Walk,
    /// By bicycle.
    Bike,
    /// By bus, tram or train.
    Public,
    /// By car.
    Car,
}

impl Mode {
    /// All modes.
    pub const ALL: [Mode; 4] = [Mode::Walk, Mode::Bike, Mode::Public, Mode::Car];

    /// The name used in files.
    pub fn name(self) -> &'static str {
        ["walk", "bike", "public", "car"][self as usize]
    }

    /// Reads a mode name.
    pub fn parse(text: &str) -> Option<Mode> {
        Mode::ALL.into_iter().find(|mode| mode.name() == text)
    }
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The two kinds of course.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CourseKind {
    /// Dutch as a second language.
    Nt2,
    /// Civic orientation.
    Mo,
}

/// Weights of the objective (SPEC section 6).
#[derive(Clone, Debug, PartialEq)]
pub struct ObjectiveWeights {
    /// Value of one placed learner-need, times the learner's priority.
    pub serve: f64,
    /// Weight of total teacher cost.
    pub teacher_cost: f64,
    /// Weight of total room cost.
    pub room_cost: f64,
    /// Weight per one-way travel minute of a placed learner-need.
    pub travel: f64,
    /// Weight of the lowest municipality coverage share.
    pub fairness: f64,
}

impl Default for ObjectiveWeights {
    fn default() -> Self {
        ObjectiveWeights {
            serve: 1000.0,
            teacher_cost: 1.0,
            room_cost: 1.0,
            travel: 1.0,
            fairness: 0.0,
        }
    }
}

/// How travel times are estimated (SPEC section 4).
#[derive(Clone, Debug, PartialEq)]
pub struct TravelSettings {
    /// Road distance over great-circle distance.
    pub detour: f64,
    /// Speed per mode, km/h, indexed by `Mode as usize`.
    pub speed_kmh: [f64; 4],
    /// Fixed minutes per trip per mode (waiting, parking), indexed by `Mode as usize`.
    pub overhead_min: [f64; 4],
    /// Measured times that replace the formula, keyed by the unordered pair (smaller id first).
    pub overrides: BTreeMap<(MunicipalityId, MunicipalityId, Mode), u32>,
}

impl Default for TravelSettings {
    fn default() -> Self {
        TravelSettings {
            detour: 1.3,
            speed_kmh: [4.5, 14.0, 18.0, 45.0],
            overhead_min: [0.0, 2.0, 10.0, 5.0],
            overrides: BTreeMap::new(),
        }
    }
}

/// A municipality with the coordinates of its main town.
#[derive(Clone, Debug, PartialEq)]
pub struct Municipality {
    /// Id used in files.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Latitude, degrees.
    pub lat: f64,
    /// Longitude, degrees.
    pub lon: f64,
}

/// A room in a venue.
#[derive(Clone, Debug, PartialEq)]
pub struct Room {
    /// Id, unique within the venue.
    pub id: String,
    /// Seats.
    pub capacity: u32,
    /// `Some(fixed cost)` for a room the agency may rent for the term: used only when
    /// the plan pays that cost.
    pub optional_cost: Option<f64>,
}

/// Extra opening hours a venue may add for the term at a fixed cost (an evening, a
/// Saturday morning): used only when the plan pays for them.
#[derive(Clone, Debug, PartialEq)]
pub struct OptionalHours {
    /// Id, unique within the venue.
    pub id: String,
    /// The extra hours.
    pub open: WeekSet,
    /// What opening those hours for the term costs.
    pub fixed_cost: f64,
}

/// A place where classes are held: a community centre, a school, or a workplace.
#[derive(Clone, Debug, PartialEq)]
pub struct Venue {
    /// Id used in files.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Where it is.
    pub municipality: MunicipalityId,
    /// Opening hours.
    pub open: WeekSet,
    /// Rent per hour of class.
    pub cost_per_hour: f64,
    /// The employer whose workplace this is; `None` for a public venue.
    pub employer: Option<String>,
    /// Street address, if given: referral lists and calendars tell learners where to go.
    pub address: Option<String>,
    /// The rooms.
    pub rooms: Vec<Room>,
    /// Opening hours the venue may add at a fixed cost.
    pub optional_hours: Vec<OptionalHours>,
}

/// A resource the plan may add at a fixed cost.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Resource {
    /// An optional teacher, hired for the term.
    Teacher(TeacherId),
    /// An optional room, rented for the term.
    Room(RoomId),
    /// Optional opening hours of a venue (index into its `optional_hours`).
    Hours(VenueId, usize),
}

impl Resource {
    /// What the resource costs for the term.
    pub fn fixed_cost(self, scenario: &Scenario) -> f64 {
        match self {
            Resource::Teacher(teacher) => scenario.teacher(teacher).optional_cost,
            Resource::Room(room) => scenario.room(room).optional_cost,
            Resource::Hours(venue, k) => Some(scenario.venue(venue).optional_hours[k].fixed_cost),
        }
        .unwrap_or(0.0)
    }

    /// The objective weight of its cost: a hired teacher is teacher cost, a rented room or
    /// opening hours are room cost.
    pub fn weight(self, scenario: &Scenario) -> f64 {
        match self {
            Resource::Teacher(_) => scenario.objective.teacher_cost,
            Resource::Room(_) | Resource::Hours(..) => scenario.objective.room_cost,
        }
    }
}

/// A teacher with qualifications, hours and cost.
#[derive(Clone, Debug, PartialEq)]
pub struct Teacher {
    /// Id used in files.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Home base.
    pub municipality: MunicipalityId,
    /// How the teacher moves between venues.
    pub mode: Mode,
    /// Courses the teacher may teach.
    pub teaches: Vec<CourseId>,
    /// When the teacher can teach.
    pub available: WeekSet,
    /// Teaching hours per week at most.
    pub max_hours: f64,
    /// Cost per teaching hour.
    pub cost_per_hour: f64,
    /// `Some(fixed cost)` for a teacher the agency may hire for the term: teaches only
    /// when the plan pays that cost.
    pub optional_cost: Option<f64>,
}

/// A weekly pattern of sessions (day, evening, Saturday, ...).
#[derive(Clone, Debug, PartialEq)]
pub struct Format {
    /// Id used in files.
    pub id: String,
    /// The sessions of one week, in week order.
    pub sessions: Vec<Session>,
}

impl Format {
    /// Total length of the sessions of one week, in hours.
    pub fn weekly_hours(&self) -> f64 {
        f64::from(self.sessions.iter().map(Session::minutes).sum::<u32>()) / 60.0
    }

    /// The sessions in minutes of the week.
    pub fn intervals(&self) -> impl Iterator<Item = Interval> + '_ {
        self.sessions.iter().map(Session::interval)
    }
}

/// A course module of the catalogue.
#[derive(Clone, Debug, PartialEq)]
pub struct Course {
    /// Id used in files.
    pub id: String,
    /// NT2 or MO.
    pub kind: CourseKind,
    /// Level, free text (NT2 only).
    pub level: Option<String>,
    /// Language of instruction.
    pub language: String,
    /// Contact hours of the module.
    pub hours: f64,
    /// A class opens only with at least this many learners.
    pub min_size: u32,
    /// At most this many learners in a class.
    pub max_size: u32,
    /// Formats the course may be given in.
    pub formats: Vec<FormatId>,
}

/// A named work schedule; its weeks rotate.
#[derive(Clone, Debug, PartialEq)]
pub struct Shift {
    /// Id used in files.
    pub id: String,
    /// Working time of each week of the rotation.
    pub weeks: Vec<WeekSet>,
}

impl Shift {
    /// Every minute of the week that is working time in some week of the rotation.
    pub fn any_week(&self) -> WeekSet {
        self.weeks
            .iter()
            .fold(WeekSet::default(), |all, week| all.union(week))
    }
}

/// A newcomer with one or more course needs.
#[derive(Clone, Debug, PartialEq)]
pub struct Learner {
    /// Id used in files.
    pub id: String,
    /// Where the learner lives.
    pub municipality: MunicipalityId,
    /// Courses needed, at most one class each, without repeats.
    pub needs: Vec<CourseId>,
    /// Work schedule, if the learner works in shifts.
    pub shift: Option<ShiftId>,
    /// Employer, if any.
    pub employer: Option<String>,
    /// Times the learner cannot attend (childcare, appointments).
    pub unavailable: WeekSet,
    /// How the learner travels.
    pub mode: Mode,
    /// Longest one-way trip, minutes.
    pub max_travel: u32,
    /// Weight of this learner's placements (> 0).
    pub priority: f64,
}

/// A checked scenario: every reference resolved, every value in range.
#[derive(Clone, Debug, PartialEq)]
pub struct Scenario {
    /// Display name.
    pub name: String,
    /// Monday of week 1.
    pub start: Date,
    /// Length of the term in weeks.
    pub weeks: u32,
    /// IANA name of the time zone the scenario's clock times are in (canonical spelling);
    /// calendars need it to turn a weekday and clock time into an instant.
    pub timezone: String,
    /// Objective weights.
    pub objective: ObjectiveWeights,
    /// Hard cap on teacher plus room cost, if any.
    pub max_cost: Option<f64>,
    /// Travel estimate settings.
    pub travel: TravelSettings,
    /// Municipalities.
    pub municipalities: Vec<Municipality>,
    /// Venues.
    pub venues: Vec<Venue>,
    /// Teachers.
    pub teachers: Vec<Teacher>,
    /// Formats.
    pub formats: Vec<Format>,
    /// Courses.
    pub courses: Vec<Course>,
    /// Shifts.
    pub shifts: Vec<Shift>,
    /// Learners.
    pub learners: Vec<Learner>,
    /// Lookup from file ids to typed ids.
    pub ids: IdIndex,
}

/// Lookup tables from the ids written in files to typed ids.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct IdIndex {
    /// Municipalities by id.
    pub municipalities: HashMap<String, MunicipalityId>,
    /// Venues by id.
    pub venues: HashMap<String, VenueId>,
    /// Teachers by id.
    pub teachers: HashMap<String, TeacherId>,
    /// Formats by id.
    pub formats: HashMap<String, FormatId>,
    /// Courses by id.
    pub courses: HashMap<String, CourseId>,
    /// Shifts by id.
    pub shifts: HashMap<String, ShiftId>,
    /// Learners by id.
    pub learners: HashMap<String, LearnerId>,
}

/// The time zone of a scenario that names none: the agencies the tool was made for are in
/// Flanders.
pub const DEFAULT_TIMEZONE: &str = "Europe/Brussels";

/// Earth radius for the haversine distance, km (SPEC section 4).
const EARTH_RADIUS_KM: f64 = 6371.0;

/// Great-circle distance between two points, km.
pub fn haversine_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (phi1, phi2) = (lat1.to_radians(), lat2.to_radians());
    let d_phi = (lat2 - lat1).to_radians();
    let d_lambda = (lon2 - lon1).to_radians();
    let a = (d_phi / 2.0).sin().powi(2) + phi1.cos() * phi2.cos() * (d_lambda / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * a.sqrt().min(1.0).asin()
}

impl Scenario {
    /// Municipality by typed id.
    pub fn municipality(&self, id: MunicipalityId) -> &Municipality {
        &self.municipalities[id.0]
    }
    /// Venue by typed id.
    pub fn venue(&self, id: VenueId) -> &Venue {
        &self.venues[id.0]
    }
    /// Room by typed id.
    pub fn room(&self, id: RoomId) -> &Room {
        &self.venues[id.venue.0].rooms[id.index]
    }
    /// Teacher by typed id.
    pub fn teacher(&self, id: TeacherId) -> &Teacher {
        &self.teachers[id.0]
    }
    /// Format by typed id.
    pub fn format(&self, id: FormatId) -> &Format {
        &self.formats[id.0]
    }
    /// Course by typed id.
    pub fn course(&self, id: CourseId) -> &Course {
        &self.courses[id.0]
    }
    /// Shift by typed id.
    pub fn shift(&self, id: ShiftId) -> &Shift {
        &self.shifts[id.0]
    }
    /// Learner by typed id.
    pub fn learner(&self, id: LearnerId) -> &Learner {
        &self.learners[id.0]
    }

    /// Every room of every venue.
    pub fn rooms(&self) -> impl Iterator<Item = RoomId> + '_ {
        self.venues.iter().enumerate().flat_map(|(v, venue)| {
            (0..venue.rooms.len()).map(move |index| RoomId {
                venue: VenueId(v),
                index,
            })
        })
    }

    /// `travel(a, b, mode)` of SPEC section 4, whole minutes: the override for {a, b} and
    /// mode if there is one, else overhead plus road distance at the mode's speed, rounded up.
    pub fn travel(&self, a: MunicipalityId, b: MunicipalityId, mode: Mode) -> u32 {
        let key = (a.min(b), a.max(b), mode);
        if let Some(minutes) = self.travel.overrides.get(&key) {
            return *minutes;
        }
        let km = if a == b {
            0.0
        } else {
            let (from, to) = (self.municipality(a), self.municipality(b));
            haversine_km(from.lat, from.lon, to.lat, to.lon)
        };
        let m = mode as usize;
        let minutes =
            self.travel.overhead_min[m] + 60.0 * km * self.travel.detour / self.travel.speed_kmh[m];
        // Validation keeps speeds positive and overheads finite, so this is a finite number.
        minutes.ceil().clamp(0.0, f64::from(u32::MAX)) as u32
    }

    /// A learner's one-way travel time to a venue: 0 at the learner's own workplace.
    pub fn learner_travel(&self, learner: LearnerId, venue: VenueId) -> u32 {
        let learner = self.learner(learner);
        let venue = self.venue(venue);
        if is_own_workplace(learner, venue) {
            0
        } else {
            self.travel(learner.municipality, venue.municipality, learner.mode)
        }
    }

    /// `weeks(class)` of SPEC section 4: weeks needed to teach the course's hours in the format.
    pub fn class_weeks(&self, course: CourseId, format: FormatId) -> u32 {
        let weekly = self.format(format).weekly_hours();
        let weeks = (self.course(course).hours / weekly).ceil();
        weeks.clamp(0.0, f64::from(u32::MAX)) as u32
    }

    /// True when the course may use the format: it is in the course's list and fits the term.
    pub fn format_fits(&self, course: CourseId, format: FormatId) -> bool {
        self.course(course).formats.contains(&format)
            && self.class_weeks(course, format) <= self.weeks
    }

    /// Teacher cost of a class of `course` in `format` taught by `teacher`.
    pub fn teacher_cost(&self, course: CourseId, format: FormatId, teacher: TeacherId) -> f64 {
        self.teacher(teacher).cost_per_hour * self.class_hours(course, format)
    }

    /// Room cost of a class of `course` in `format` at `venue`.
    pub fn room_cost(&self, course: CourseId, format: FormatId, venue: VenueId) -> f64 {
        self.venue(venue).cost_per_hour * self.class_hours(course, format)
    }

    /// Hours a class is held over the term: `weekly_hours x weeks`.
    pub fn class_hours(&self, course: CourseId, format: FormatId) -> f64 {
        self.format(format).weekly_hours() * f64::from(self.class_weeks(course, format))
    }

    /// Date of week `week` (1-based) on `day`.
    pub fn date_of(&self, week: u32, day: crate::time::Day) -> Date {
        let offset = i64::from(week.saturating_sub(1)) * 7 + i64::from(day.index());
        self.start
            .checked_add(jiff::Span::new().days(offset))
            .unwrap_or(self.start)
    }
}

/// True when the venue is a workplace of the learner's own employer.
pub fn is_own_workplace(learner: &Learner, venue: &Venue) -> bool {
    matches!((&learner.employer, &venue.employer), (Some(a), Some(b)) if a == b)
}
