//! The true optimum of a tiny scenario by exhaustive search, written from SPEC sections 4–6
//! alone: it does not use the planner's candidates or formulation, and computes travel
//! times, weeks, costs, window containment and clashes itself.
//!
//! A timetable is a set of classes, and two classes of one (course, format, room) would
//! overlap in that room (rule 4), so a class is identified by its option (course, format,
//! room) plus a teacher. The search assigns each learner-need in turn to nothing or to one
//! option it may attend; the options with learners are the open classes. For every set of
//! open options the best choice of teachers (rules 4, 5 and 11, teacher and room cost) is
//! found once by trying every teacher for every class, and then reused.
//!
//! Branches are cut only when they provably cannot lead to a better timetable: a class that
//! can no longer reach its minimum size, a set of classes that rooms, teachers or budget
//! cannot hold (adding classes never helps), and an upper bound (every remaining need placed
//! at its best, costs of the classes open so far, full fairness) below the best found.

use std::collections::HashMap;

use roosteraar::domain::{Mode, MunicipalityId, Scenario};
use roosteraar::time::{Session, WeekSet};
use roosteraar::timetable::{
    ClassEntry, Reason, SolveStatus, SolverReport, Summary, Timetable, UnplacedNeed,
};

const WEEK: i64 = 7 * 24 * 60;

/// A (course, format, room) that a class could use, with the teachers who could take it.
struct Opt {
    course: usize,
    format: usize,
    venue: usize,
    room: usize,
    capacity: u32,
    min_size: u32,
    weekly_hours: f64,
    /// Hours over the term: weekly hours times weeks.
    term_hours: f64,
    teachers: Vec<usize>,
}

/// The best timetable and its objective.
pub struct Optimum {
    pub objective: f64,
    pub timetable: Timetable,
}

/// Travel minutes of SPEC section 4: the override for {a, b} and mode, else overhead plus
/// haversine distance times detour at the mode's speed, rounded up.
fn travel(s: &Scenario, a: usize, b: usize, mode: Mode) -> u32 {
    let key = (MunicipalityId(a.min(b)), MunicipalityId(a.max(b)), mode);
    if let Some(&minutes) = s.travel.overrides.get(&key) {
        return minutes;
    }
    let km = if a == b {
        0.0
    } else {
        let (p, q) = (&s.municipalities[a], &s.municipalities[b]);
        let (lat1, lat2) = (p.lat.to_radians(), q.lat.to_radians());
        let dlat = (q.lat - p.lat).to_radians();
        let dlon = (q.lon - p.lon).to_radians();
        let h = (dlat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (dlon / 2.0).sin().powi(2);
        2.0 * 6371.0 * h.sqrt().asin()
    };
    let m = mode as usize;
    (s.travel.overhead_min[m] + 60.0 * km * s.travel.detour / s.travel.speed_kmh[m]).ceil() as u32
}

/// Minutes of the week of a session, `[start, end)`.
fn span(session: &Session) -> (i64, i64) {
    let day = i64::from(session.day.index()) * 24 * 60;
    (day + i64::from(session.start), day + i64::from(session.end))
}

/// The set's intervals with touching ones joined (windows that touch are one stretch).
fn stretches(set: &WeekSet) -> Vec<(i64, i64)> {
    let mut list: Vec<(i64, i64)> = set
        .intervals()
        .iter()
        .map(|i| (i64::from(i.start), i64::from(i.end)))
        .collect();
    list.sort();
    let mut joined: Vec<(i64, i64)> = Vec::new();
    for (start, end) in list {
        match joined.last_mut() {
            Some(last) if start <= last.1 => last.1 = last.1.max(end),
            _ => joined.push((start, end)),
        }
    }
    joined
}

/// Every session lies inside one stretch of the set.
fn inside(set: &WeekSet, sessions: &[Session]) -> bool {
    let stretches = stretches(set);
    sessions.iter().all(|session| {
        let (start, end) = span(session);
        stretches.iter().any(|&(a, b)| a <= start && end <= b)
    })
}

/// `[from, to)`, which may reach before Monday 00:00 or past Sunday 24:00 (less than a week
/// long), meets a minute of the set, around the weekly clock.
fn meets(set: &WeekSet, from: i64, to: i64) -> bool {
    set.intervals().iter().any(|i| {
        let (a, b) = (i64::from(i.start), i64::from(i.end));
        [-WEEK, 0, WEEK]
            .iter()
            .any(|shift| from < b + shift && a + shift < to)
    })
}

/// Rules 5 and 10 for one person attending both: no overlap, and same-day sessions at venues
/// in different municipalities at least the travel time apart.
fn clash(s: &Scenario, a: &Opt, b: &Opt, mode: Mode) -> bool {
    let (ma, mb) = (
        s.venues[a.venue].municipality.0,
        s.venues[b.venue].municipality.0,
    );
    let need = if ma == mb { 0 } else { travel(s, ma, mb, mode) };
    let (fa, fb) = (&s.formats[a.format].sessions, &s.formats[b.format].sessions);
    fa.iter().any(|x| {
        fb.iter().any(|y| {
            x.day == y.day && {
                let gap = if x.end <= y.start {
                    i64::from(y.start) - i64::from(x.end)
                } else if y.end <= x.start {
                    i64::from(x.start) - i64::from(y.end)
                } else {
                    -1 // overlap
                };
                gap < i64::from(need)
            }
        })
    })
}

/// Two options in one room with overlapping sessions (rule 4).
fn share_room_time(s: &Scenario, a: &Opt, b: &Opt) -> bool {
    (a.venue, a.room) == (b.venue, b.room)
        && s.formats[a.format].sessions.iter().any(|x| {
            s.formats[b.format].sessions.iter().any(|y| {
                let ((x0, x1), (y0, y1)) = (span(x), span(y));
                x0 < y1 && y0 < x1
            })
        })
}

fn options(s: &Scenario) -> Vec<Opt> {
    let mut out = Vec::new();
    for (c, course) in s.courses.iter().enumerate() {
        for &format in &course.formats {
            let f = format.0;
            let sessions = &s.formats[f].sessions;
            let weekly_minutes: u32 = sessions.iter().map(|x| x.end - x.start).sum();
            let weekly_hours = f64::from(weekly_minutes) / 60.0;
            let weeks = (course.hours / weekly_hours).ceil();
            if weeks > f64::from(s.weeks) {
                continue; // rule 1: does not fit the term
            }
            let teachers: Vec<usize> = s
                .teachers
                .iter()
                .enumerate()
                .filter(|(_, t)| {
                    t.teaches.iter().any(|x| x.0 == c)
                        && inside(&t.available, sessions)
                        && weekly_hours <= t.max_hours + 1e-9
                })
                .map(|(t, _)| t)
                .collect();
            for (v, venue) in s.venues.iter().enumerate() {
                if !inside(&venue.open, sessions) {
                    continue; // rule 2
                }
                for (r, room) in venue.rooms.iter().enumerate() {
                    let capacity = course.max_size.min(room.capacity);
                    if capacity < course.min_size || teachers.is_empty() {
                        continue; // rule 3 or rule 5: no class could ever be held here
                    }
                    out.push(Opt {
                        course: c,
                        format: f,
                        venue: v,
                        room: r,
                        capacity,
                        min_size: course.min_size,
                        weekly_hours,
                        term_hours: weekly_hours * weeks,
                        teachers: teachers.clone(),
                    });
                }
            }
        }
    }
    out
}

/// The best teachers for a set of open options: `(-(weighted teacher + room cost), teacher
/// per option)`, or `None` when rooms, teachers or the budget make the set impossible.
fn best_teachers(s: &Scenario, opts: &[Opt], open: &[usize]) -> Option<(f64, Vec<usize>)> {
    for (i, &a) in open.iter().enumerate() {
        for &b in &open[i + 1..] {
            if share_room_time(s, &opts[a], &opts[b]) {
                return None;
            }
        }
    }
    let mut best: Option<(f64, Vec<usize>)> = None;
    let mut chosen = Vec::with_capacity(open.len());
    assign_teachers(s, opts, open, &mut chosen, &mut best);
    best
}

fn assign_teachers(
    s: &Scenario,
    opts: &[Opt],
    open: &[usize],
    chosen: &mut Vec<usize>,
    best: &mut Option<(f64, Vec<usize>)>,
) {
    let k = chosen.len();
    if k == open.len() {
        let (mut teacher_cost, mut room_cost) = (0.0, 0.0);
        for (&o, &t) in open.iter().zip(chosen.iter()) {
            teacher_cost += s.teachers[t].cost_per_hour * opts[o].term_hours;
            room_cost += s.venues[opts[o].venue].cost_per_hour * opts[o].term_hours;
        }
        if let Some(max_cost) = s.max_cost
            && teacher_cost + room_cost > max_cost + 1e-9 * max_cost.max(1.0)
        {
            return; // rule 11
        }
        let w = &s.objective;
        let value = -(w.teacher_cost * teacher_cost + w.room_cost * room_cost);
        if best.as_ref().is_none_or(|(v, _)| value > *v) {
            *best = Some((value, chosen.clone()));
        }
        return;
    }
    let o = &opts[open[k]];
    for &t in &o.teachers {
        let teacher = &s.teachers[t];
        let mut hours = o.weekly_hours;
        let mut fits = true;
        for (&other, &u) in open[..k].iter().zip(chosen.iter()) {
            if u == t {
                hours += opts[other].weekly_hours;
                fits &= !clash(s, o, &opts[other], teacher.mode);
            }
        }
        if fits && hours <= teacher.max_hours + 1e-9 {
            chosen.push(t);
            assign_teachers(s, opts, open, chosen, best);
            chosen.pop();
        }
    }
}

struct Search<'a> {
    s: &'a Scenario,
    opts: Vec<Opt>,
    /// Every learner-need: (learner, course).
    needs: Vec<(usize, usize)>,
    /// For each need, the options it may attend with the learner's travel minutes.
    eligible: Vec<Vec<(usize, u32)>>,
    /// `later[i][o]`: needs from i on that may attend option o.
    later: Vec<Vec<u32>>,
    /// `upside[i]`: the most that needs from i on can still add (each at its best option).
    upside: Vec<f64>,
    /// The options open so far, one bit each.
    open: u64,
    /// Their least weighted teacher and room cost.
    open_cost: f64,
    /// `clashes[learner][a][b]`: the learner cannot attend both options (rule 10).
    clashes: Vec<Vec<Vec<bool>>>,
    size: Vec<u32>,
    chosen: Vec<Option<usize>>,
    placed_in: Vec<u64>,
    demand: Vec<u64>,
    gain: f64,
    /// Best teachers per set of open options (see [`best_teachers`]).
    cache: HashMap<u64, Option<(f64, Vec<usize>)>>,
    best: f64,
    best_chosen: Vec<Option<usize>>,
    best_teachers: Vec<usize>,
}

impl Search<'_> {
    fn run(&mut self, i: usize) {
        // A class that started but can no longer reach its minimum size is a dead end.
        for (o, opt) in self.opts.iter().enumerate() {
            let size = self.size[o];
            if size > 0 && size + self.later[i][o] < opt.min_size {
                return;
            }
        }
        if i == self.needs.len() {
            self.leaf();
            return;
        }
        // The classes open so far cost at least `open_cost`, later ones cost something too,
        // and fairness adds at most its weight: below this bound the branch cannot beat the
        // best timetable found so far.
        let bound = self.gain + self.upside[i] - self.open_cost + self.s.objective.fairness;
        if bound + 1e-6 < self.best {
            return;
        }
        // Classes already open first: joining them costs nothing more, so good timetables,
        // and with them a high best, come early.
        for open in [true, false] {
            for e in 0..self.eligible[i].len() {
                let (o, minutes) = self.eligible[i][e];
                if (self.size[o] > 0) == open {
                    self.join(i, o, minutes);
                }
            }
        }
        self.run(i + 1);
    }

    /// Places need `i` in option `o` and searches on, if the class has a seat and the
    /// learner's earlier classes (their needs come just before this one) do not clash.
    fn join(&mut self, i: usize, o: usize, minutes: u32) {
        let (learner, _) = self.needs[i];
        if self.size[o] == self.opts[o].capacity {
            return;
        }
        let clash = (0..i)
            .rev()
            .take_while(|&j| self.needs[j].0 == learner)
            .any(|j| self.chosen[j].is_some_and(|other| self.clashes[learner][o][other]));
        if clash {
            return;
        }
        let l = &self.s.learners[learner];
        let m = l.municipality.0;
        let gain =
            self.s.objective.serve * l.priority - self.s.objective.travel * f64::from(minutes);
        let opens = self.size[o] == 0;
        let (open, open_cost) = (self.open, self.open_cost);
        if opens {
            // Rooms, teachers and budget must allow the larger set of classes; a set that
            // is impossible stays impossible with more classes, and costs only grow.
            let Some(value) = self.value(open | 1 << o) else {
                return;
            };
            self.open = open | 1 << o;
            self.open_cost = -value;
        }
        self.size[o] += 1;
        self.chosen[i] = Some(o);
        self.placed_in[m] += 1;
        self.gain += gain;
        self.run(i + 1);
        self.gain -= gain;
        self.placed_in[m] -= 1;
        self.chosen[i] = None;
        self.size[o] -= 1;
        self.open = open;
        self.open_cost = open_cost;
    }

    /// The least weighted cost of a set of open options (negated, as [`best_teachers`]
    /// gives it), or `None` when the set is impossible; cached.
    fn value(&mut self, mask: u64) -> Option<f64> {
        let (s, opts) = (self.s, &self.opts);
        self.cache
            .entry(mask)
            .or_insert_with(|| {
                let open: Vec<usize> = (0..opts.len()).filter(|o| mask & (1 << o) != 0).collect();
                best_teachers(s, opts, &open)
            })
            .as_ref()
            .map(|(value, _)| *value)
    }

    fn leaf(&mut self) {
        let lowest_share = self
            .demand
            .iter()
            .zip(&self.placed_in)
            .filter(|(demand, _)| **demand > 0)
            .map(|(&demand, &placed)| placed as f64 / demand as f64)
            .fold(1.0, f64::min);
        let objective = self.gain - self.open_cost + self.s.objective.fairness * lowest_share;
        if objective > self.best + 1e-9 {
            // The empty set of classes is not cached by `join`; a budget is never negative,
            // so it is always possible.
            self.value(self.open);
            let (_, teachers) = self.cache[&self.open]
                .as_ref()
                .expect("open classes are possible");
            self.best_teachers = teachers.clone();
            self.best = objective;
            self.best_chosen = self.chosen.clone();
        }
    }
}

/// Searches every timetable of the scenario and returns a best one.
pub fn optimum(s: &Scenario) -> Optimum {
    let opts = options(s);
    assert!(opts.len() <= 64, "too many options for the search");
    let mut needs = Vec::new();
    let mut eligible = Vec::new();
    for (l, learner) in s.learners.iter().enumerate() {
        let work = learner.shift.map(|shift| {
            s.shifts[shift.0]
                .weeks
                .iter()
                .fold(WeekSet::default(), |a, w| a.union(w))
        });
        for &course in &learner.needs {
            needs.push((l, course.0));
            let mut can = Vec::new();
            for (o, opt) in opts.iter().enumerate() {
                if opt.course != course.0 {
                    continue;
                }
                let venue = &s.venues[opt.venue];
                let own = venue.employer.is_some() && venue.employer == learner.employer;
                if venue.employer.is_some() && !own {
                    continue; // rule 9
                }
                let minutes = if own {
                    0
                } else {
                    travel(
                        s,
                        learner.municipality.0,
                        venue.municipality.0,
                        learner.mode,
                    )
                };
                if minutes > learner.max_travel {
                    continue; // rule 7
                }
                // Rule 8: each session widened by the travel time on both sides.
                let t = i64::from(minutes);
                let free = s.formats[opt.format].sessions.iter().all(|session| {
                    let (start, end) = span(session);
                    let (from, to) = (start - t, end + t);
                    !meets(&learner.unavailable, from, to)
                        && !(work.as_ref().is_some_and(|w| !own && meets(w, from, to)))
                });
                if free {
                    can.push((o, minutes));
                }
            }
            eligible.push(can);
        }
    }
    let mut later = vec![vec![0u32; opts.len()]; needs.len() + 1];
    for i in (0..needs.len()).rev() {
        later[i] = later[i + 1].clone();
        for &(o, _) in &eligible[i] {
            later[i][o] += 1;
        }
    }
    let mut upside = vec![0.0; needs.len() + 1];
    for i in (0..needs.len()).rev() {
        let learner = &s.learners[needs[i].0];
        let best = eligible[i]
            .iter()
            .map(|&(_, minutes)| {
                s.objective.serve * learner.priority - s.objective.travel * f64::from(minutes)
            })
            .fold(0.0, f64::max);
        upside[i] = upside[i + 1] + best;
    }
    let clashes = s
        .learners
        .iter()
        .map(|l| {
            opts.iter()
                .map(|a| opts.iter().map(|b| clash(s, a, b, l.mode)).collect())
                .collect()
        })
        .collect();
    let mut demand = vec![0u64; s.municipalities.len()];
    for &(l, _) in &needs {
        demand[s.learners[l].municipality.0] += 1;
    }
    let mut search = Search {
        s,
        size: vec![0; opts.len()],
        chosen: vec![None; needs.len()],
        best_chosen: vec![None; needs.len()],
        opts,
        needs,
        eligible,
        later,
        upside,
        open: 0,
        open_cost: 0.0,
        clashes,
        placed_in: vec![0; s.municipalities.len()],
        demand,
        gain: 0.0,
        cache: HashMap::new(),
        best: f64::NEG_INFINITY,
        best_teachers: Vec::new(),
    };
    search.run(0);
    let timetable = search.timetable();
    Optimum {
        objective: search.best,
        timetable,
    }
}

impl Search<'_> {
    /// The best timetable as a file, for `verify` to judge on rules 1–11 and the objective;
    /// dates, sessions, reasons and summary are left blank.
    fn timetable(&self) -> Timetable {
        let s = self.s;
        let open: Vec<usize> = (0..self.opts.len())
            .filter(|&o| self.best_chosen.contains(&Some(o)))
            .collect();
        let classes = open
            .iter()
            .zip(&self.best_teachers)
            .enumerate()
            .map(|(k, (&o, &t))| {
                let opt = &self.opts[o];
                let learners = self
                    .needs
                    .iter()
                    .zip(&self.best_chosen)
                    .filter(|(_, chosen)| **chosen == Some(o))
                    .map(|(&(l, _), _)| s.learners[l].id.clone())
                    .collect();
                let venue = &s.venues[opt.venue];
                ClassEntry {
                    id: format!("B{k}"),
                    course: s.courses[opt.course].id.clone(),
                    format: s.formats[opt.format].id.clone(),
                    venue: venue.id.clone(),
                    room: venue.rooms[opt.room].id.clone(),
                    teacher: s.teachers[t].id.clone(),
                    weeks: (opt.term_hours / opt.weekly_hours).round() as u32,
                    first_day: String::new(),
                    last_day: String::new(),
                    sessions: Vec::new(),
                    learners,
                }
            })
            .collect();
        let unplaced = self
            .needs
            .iter()
            .zip(&self.best_chosen)
            .filter(|(_, chosen)| chosen.is_none())
            .map(|(&(l, c), _)| UnplacedNeed {
                learner: s.learners[l].id.clone(),
                course: s.courses[c].id.clone(),
                reason: Reason::Capacity,
            })
            .collect();
        Timetable {
            scenario: s.name.clone(),
            solver: SolverReport {
                status: SolveStatus::Optimal,
                objective: self.best,
                best_bound: None,
                gap: None,
                seconds: 0.0,
            },
            classes,
            unplaced,
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
}
