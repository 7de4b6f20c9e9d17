//! Random tiny scenarios. A [`Spec`] is a handful of small numbers, so that proptest can
//! shrink a failing case; [`Spec::toml`] writes it as a scenario file, so every case goes
//! through the real parser. References (a venue's municipality, a learner's needs) are
//! taken modulo the current list lengths, so shrinking a list never breaks them.

use std::fmt::Write;

use proptest::prelude::*;

/// Days on which sessions fall: few, so that formats often share a day and overlap.
const SESSION_DAYS: [&str; 3] = ["mon", "tue", "sat"];
/// Day sets of opening hours, availability, shifts and unavailable times.
const DAY_SETS: [&str; 8] = [
    "mon-sun", "mon-fri", "mon-sat", "mon,tue", "mon", "tue", "sat", "tue,sat",
];
const MODES: [&str; 4] = ["walk", "bike", "public", "car"];
const SERVE: [f64; 5] = [150.0, 500.0, 1000.0, 3000.0, 10000.0];
const TEACHER_COST: [f64; 3] = [0.5, 1.0, 2.0];
const ROOM_COST: [f64; 2] = [0.0, 1.0];
const TRAVEL: [f64; 4] = [0.0, 0.5, 1.0, 2.0];
const FAIRNESS: [f64; 4] = [0.0, 0.0, 250.0, 2500.0];
const BUDGET: [u32; 4] = [600, 1500, 3000, 6000];

/// `DAYS HH:MM-HH:MM`; a window longer than the rest of the day runs past midnight.
#[derive(Clone, Debug, PartialEq)]
pub struct Window {
    pub days: usize,
    pub start: u32,
    pub minutes: u32,
}

/// One session of a format: a day of [`SESSION_DAYS`], a start and a length in minutes.
#[derive(Clone, Debug, PartialEq)]
pub struct SessionSpec {
    pub day: usize,
    pub start: u32,
    pub minutes: u32,
}

#[derive(Clone, Debug, PartialEq)]
pub struct VenueSpec {
    pub municipality: usize,
    /// `None`: open all week from 07:00 to 23:00.
    pub open: Option<Vec<Window>>,
    pub cost_per_hour: u32,
    /// A workplace of employer `acme` (not for the first venue).
    pub workplace: bool,
    pub rooms: Vec<u32>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct TeacherSpec {
    pub municipality: usize,
    pub mode: usize,
    /// Bit i: teaches course i.
    pub teaches: u8,
    /// `None`: available all week from 07:00 to 23:00.
    pub available: Option<Vec<Window>>,
    pub max_hours: u32,
    pub cost_per_hour: u32,
}

#[derive(Clone, Debug, PartialEq)]
pub struct CourseSpec {
    /// Bit i: may use format i; at most the first two set bits count.
    pub formats: u8,
    /// Weeks the first of its formats takes: `hours` is that format's weekly hours times this.
    pub weeks: u32,
    pub min_size: u32,
    pub max_size: u32,
}

#[derive(Clone, Debug, PartialEq)]
pub struct LearnerSpec {
    pub municipality: usize,
    /// Bit i: needs course i.
    pub needs: u8,
    /// Works the scenario's shift, if it has one.
    pub shift: bool,
    /// Works for `acme`.
    pub employed: bool,
    pub unavailable: Option<Window>,
    pub mode: usize,
    pub max_travel: u32,
    pub priority: u32,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Weights {
    pub serve: f64,
    pub teacher_cost: f64,
    pub room_cost: f64,
    pub travel: f64,
    pub fairness: f64,
}

/// A tiny scenario: 1–3 municipalities, 1–2 venues, 1–3 teachers, 2–3 formats, 1–2 courses,
/// 0–1 shifts and a few learners.
#[derive(Clone, Debug, PartialEq)]
pub struct Spec {
    /// Grid offsets of about 1.1 km north and 1 km east.
    pub municipalities: Vec<(u32, u32)>,
    pub venues: Vec<VenueSpec>,
    pub teachers: Vec<TeacherSpec>,
    pub formats: Vec<Vec<SessionSpec>>,
    pub courses: Vec<CourseSpec>,
    pub shift: Option<Vec<Window>>,
    pub learners: Vec<LearnerSpec>,
    pub weights: Weights,
    pub budget: Option<u32>,
}

/// A window starting between 06:00 and 14:00, 4 to 16 hours long.
fn open_window() -> impl Strategy<Value = Window> {
    (0..DAY_SETS.len(), 12..=28u32, 8..=32u32).prop_map(|(days, start, half_hours)| Window {
        days,
        start: start * 30,
        minutes: half_hours * 30,
    })
}

/// `None` (all week) four times in five, else one or two narrower windows.
fn opening_hours() -> impl Strategy<Value = Option<Vec<Window>>> {
    prop_oneof![
        4 => Just(None),
        1 => prop::collection::vec(open_window(), 1..=2).prop_map(Some),
    ]
}

/// Work or an appointment: any start, 1 to 10 hours, possibly past midnight.
fn busy_window() -> impl Strategy<Value = Window> {
    (0..DAY_SETS.len(), 0..48u32, 2..=20u32).prop_map(|(days, start, half_hours)| Window {
        days,
        start: start * 30,
        minutes: half_hours * 30,
    })
}

fn session() -> impl Strategy<Value = SessionSpec> {
    (
        0..SESSION_DAYS.len(),
        0..=24u32,
        prop::sample::select(vec![60u32, 90, 120, 180]),
    )
        .prop_map(|(day, start, minutes)| SessionSpec {
            day,
            start: 8 * 60 + start * 30,
            minutes,
        })
}

fn venue() -> impl Strategy<Value = VenueSpec> {
    (
        0..3usize,
        opening_hours(),
        0..=4u32,
        prop::bool::weighted(0.15),
        prop::collection::vec(2..=5u32, 1..=2),
    )
        .prop_map(|(municipality, open, cost, workplace, rooms)| VenueSpec {
            municipality,
            open,
            cost_per_hour: cost * 5,
            workplace,
            rooms,
        })
}

fn teacher() -> impl Strategy<Value = TeacherSpec> {
    (
        0..3usize,
        1..4usize,
        prop_oneof![4 => Just(3u8), 4 => 1..=2u8, 1 => Just(0u8)],
        opening_hours(),
        2..=10u32,
        4..=12u32,
    )
        .prop_map(
            |(municipality, mode, teaches, available, max_hours, cost)| TeacherSpec {
                municipality,
                mode,
                teaches,
                available,
                max_hours,
                cost_per_hour: cost * 5,
            },
        )
}

fn course() -> impl Strategy<Value = CourseSpec> {
    (1..=7u8, 2..=10u32, 1..=3u32, 2..=5u32).prop_map(|(formats, weeks, min_size, max_size)| {
        CourseSpec {
            formats,
            weeks,
            min_size,
            max_size: max_size.max(min_size),
        }
    })
}

fn learner() -> impl Strategy<Value = LearnerSpec> {
    (
        0..3usize,
        prop_oneof![2 => 1..=2u8, 1 => Just(3u8)],
        prop::bool::weighted(0.5),
        prop::bool::weighted(0.3),
        prop::option::weighted(0.3, busy_window()),
        0..MODES.len(),
        2..=12u32,
        prop_oneof![3 => Just(1u32), 1 => Just(2u32)],
    )
        .prop_map(
            |(municipality, needs, shift, employed, unavailable, mode, max_travel, priority)| {
                LearnerSpec {
                    municipality,
                    needs,
                    shift,
                    employed,
                    unavailable,
                    mode,
                    max_travel: max_travel * 5,
                    priority,
                }
            },
        )
}

fn weights() -> impl Strategy<Value = Weights> {
    (
        prop::sample::select(SERVE.to_vec()),
        prop::sample::select(TEACHER_COST.to_vec()),
        prop::sample::select(ROOM_COST.to_vec()),
        prop::sample::select(TRAVEL.to_vec()),
        prop::sample::select(FAIRNESS.to_vec()),
    )
        .prop_map(
            |(serve, teacher_cost, room_cost, travel, fairness)| Weights {
                serve,
                teacher_cost,
                room_cost,
                travel,
                fairness,
            },
        )
}

/// Tiny scenarios with up to `max_learners` learners and `max_rooms` rooms per venue.
pub fn spec(max_learners: usize, max_rooms: usize) -> impl Strategy<Value = Spec> {
    let venue = venue().prop_map(move |mut v| {
        v.rooms.truncate(max_rooms);
        v
    });
    (
        prop::collection::vec((0..=3u32, 0..=3u32), 1..=3),
        prop::collection::vec(venue, 1..=2),
        prop::collection::vec(teacher(), 1..=3),
        prop::collection::vec(prop::collection::vec(session(), 1..=2), 2..=3),
        prop::collection::vec(course(), 1..=2),
        prop::option::weighted(0.4, prop::collection::vec(busy_window(), 1..=2)),
        prop::collection::vec(learner(), 2..=max_learners),
        weights(),
        prop::option::weighted(0.3, prop::sample::select(BUDGET.to_vec())),
    )
        .prop_map(
            |(
                municipalities,
                venues,
                teachers,
                formats,
                courses,
                shift,
                learners,
                weights,
                budget,
            )| {
                Spec {
                    municipalities,
                    venues,
                    teachers,
                    formats,
                    courses,
                    shift,
                    learners,
                    weights,
                    budget,
                }
            },
        )
}

fn clock(minutes: u32) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

impl Window {
    fn text(&self) -> String {
        let end = self.start + self.minutes;
        // Past midnight the end is written on the next day's clock (SPEC section 2).
        let end = if end > 24 * 60 { end - 24 * 60 } else { end };
        format!(
            "{} {}-{}",
            DAY_SETS[self.days % DAY_SETS.len()],
            clock(self.start),
            clock(end)
        )
    }
}

fn windows(list: &Option<Vec<Window>>) -> String {
    match list {
        None => "\"mon-sun 07:00-23:00\"".to_string(),
        Some(list) => list
            .iter()
            .map(|w| format!("\"{}\"", w.text()))
            .collect::<Vec<_>>()
            .join(", "),
    }
}

fn quoted(ids: impl IntoIterator<Item = String>) -> String {
    ids.into_iter()
        .map(|id| format!("\"{id}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The courses of a bit mask over `count` courses; course 0 when none remains.
fn courses_of(mask: u8, count: usize) -> Vec<usize> {
    let chosen: Vec<usize> = (0..count).filter(|i| mask & (1 << i) != 0).collect();
    if chosen.is_empty() { vec![0] } else { chosen }
}

impl Spec {
    /// The sessions of format `f`, one per day (two on a day could overlap, which the
    /// parser rejects), ending by midnight.
    fn sessions(&self, f: usize) -> Vec<(usize, u32, u32)> {
        let mut seen = [false; SESSION_DAYS.len()];
        self.formats[f]
            .iter()
            .filter(|s| !std::mem::replace(&mut seen[s.day % SESSION_DAYS.len()], true))
            .map(|s| {
                (
                    s.day % SESSION_DAYS.len(),
                    s.start,
                    (s.start + s.minutes).min(24 * 60),
                )
            })
            .collect()
    }

    /// The formats course `c` may use: at most two.
    fn course_formats(&self, c: usize) -> Vec<usize> {
        let mut formats: Vec<usize> = (0..self.formats.len())
            .filter(|f| self.courses[c].formats & (1 << f) != 0)
            .collect();
        if formats.is_empty() {
            formats.push(0);
        }
        formats.truncate(2);
        formats
    }

    /// The scenario file.
    pub fn toml(&self) -> String {
        let mut out = String::new();
        let w = &self.weights;
        let _ = writeln!(
            out,
            "[scenario]\nname = \"tiny\"\nstart = \"2026-09-07\"\nweeks = 10\n\n\
             [objective]\nserve = {:?}\nteacher_cost = {:?}\nroom_cost = {:?}\ntravel = {:?}\nfairness = {:?}\n",
            w.serve, w.teacher_cost, w.room_cost, w.travel, w.fairness
        );
        if let Some(max_cost) = self.budget {
            let _ = writeln!(out, "[budget]\nmax_cost = {max_cost}.0\n");
        }
        let municipalities = self.municipalities.len();
        for (m, (north, east)) in self.municipalities.iter().enumerate() {
            let _ = writeln!(
                out,
                "[[municipality]]\nid = \"m{m}\"\nlat = {:?}\nlon = {:?}\n",
                51.0 + 0.01 * f64::from(*north),
                4.5 + 0.015 * f64::from(*east)
            );
        }
        for (v, venue) in self.venues.iter().enumerate() {
            let rooms: Vec<String> = venue
                .rooms
                .iter()
                .enumerate()
                .map(|(r, capacity)| format!("{{ id = \"r{r}\", capacity = {capacity} }}"))
                .collect();
            let _ = writeln!(
                out,
                "[[venue]]\nid = \"v{v}\"\nmunicipality = \"m{}\"\nopen = [{}]\ncost_per_hour = {}.0\nemployer = \"{}\"\nrooms = [{}]\n",
                venue.municipality % municipalities,
                windows(&venue.open),
                venue.cost_per_hour,
                // The first venue is public, so that every scenario has a place for everyone.
                if venue.workplace && v > 0 { "acme" } else { "" },
                rooms.join(", ")
            );
        }
        let courses = self.courses.len();
        for (t, teacher) in self.teachers.iter().enumerate() {
            let teaches = (0..courses)
                .filter(|c| teacher.teaches & (1 << c) != 0)
                .map(|c| format!("c{c}"));
            let _ = writeln!(
                out,
                "[[teacher]]\nid = \"t{t}\"\nmunicipality = \"m{}\"\nmode = \"{}\"\nteaches = [{}]\navailable = [{}]\nmax_hours = {}.0\ncost_per_hour = {}.0\n",
                teacher.municipality % municipalities,
                MODES[teacher.mode % MODES.len()],
                quoted(teaches),
                windows(&teacher.available),
                teacher.max_hours,
                teacher.cost_per_hour
            );
        }
        for f in 0..self.formats.len() {
            let sessions = self.sessions(f).into_iter().map(|(day, start, end)| {
                format!("{} {}-{}", SESSION_DAYS[day], clock(start), clock(end))
            });
            let _ = writeln!(
                out,
                "[[format]]\nid = \"f{f}\"\nsessions = [{}]\n",
                quoted(sessions)
            );
        }
        for (c, course) in self.courses.iter().enumerate() {
            let formats = self.course_formats(c);
            let weekly_minutes: u32 = self
                .sessions(formats[0])
                .iter()
                .map(|(_, start, end)| end - start)
                .sum();
            // The first format takes exactly `weeks` weeks; the other may not fit.
            let hours = f64::from(weekly_minutes * course.weeks) / 60.0;
            let _ = writeln!(
                out,
                "[[course]]\nid = \"c{c}\"\nkind = \"nt2\"\nhours = {hours:?}\nmin_size = {}\nmax_size = {}\nformats = [{}]\n",
                course.min_size,
                course.max_size,
                quoted(formats.into_iter().map(|f| format!("f{f}")))
            );
        }
        if let Some(shift) = &self.shift {
            let weeks: Vec<String> = shift
                .iter()
                .map(|w| format!("[\"{}\"]", w.text()))
                .collect();
            let _ = writeln!(
                out,
                "[[shift]]\nid = \"s\"\nweeks = [{}]\n",
                weeks.join(", ")
            );
        }
        for (l, learner) in self.learners.iter().enumerate() {
            let needs = courses_of(learner.needs, courses)
                .into_iter()
                .map(|c| format!("c{c}"));
            let _ = writeln!(
                out,
                "[[learner]]\nid = \"L{l}\"\nmunicipality = \"m{}\"\nneeds = [{}]\nmode = \"{}\"\nmax_travel = {}\npriority = {}.0",
                learner.municipality % municipalities,
                quoted(needs),
                MODES[learner.mode % MODES.len()],
                learner.max_travel,
                learner.priority
            );
            if learner.shift && self.shift.is_some() {
                out.push_str("shift = \"s\"\n");
            }
            if learner.employed {
                out.push_str("employer = \"acme\"\n");
            }
            if let Some(window) = &learner.unavailable {
                let _ = writeln!(out, "unavailable = [\"{}\"]", window.text());
            }
            out.push('\n');
        }
        out
    }
}
