//! Ruin and recreate: improves a plan by many small, quick steps, without the solver.
//!
//! Each step closes a few classes near one venue or of one teacher (ruin), then opens the
//! most valuable classes it can in that area with the teachers, rooms and learners this
//! frees, and seats the learner-needs left waiting in classes with room to spare, moving a
//! seated learner to another class when that frees the seat (recreate). A step is kept
//! when the plan stays within a threshold of the best plan so far; the threshold falls to
//! nothing as the time or the steps run out, so the search may first pass through worse
//! plans and settles at the end. It returns the best plan it saw.
//!
//! A step takes well under a millisecond on a province (about 65 µs on the generated
//! Antwerp one), so the search tries hundreds of thousands of neighbourhoods in a minute,
//! each re-planned approximately, where a region's integer program re-plans a few venues
//! exactly in a second or two (`regions`). Every class it opens and every seat it fills
//! obeys rules 1–11, as the greedy planner's do.

use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashMap};
use std::time::Instant;

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::candidates::{Candidates, clash_from};
use crate::domain::{Mode, MunicipalityId, Resource, RoomId, Scenario, TeacherId, VenueId};
use crate::solve::Plan;
use crate::time::Interval;

/// When the search stops, and its random stream.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Limits {
    /// Stop at this instant.
    pub deadline: Option<Instant>,
    /// Stop after this many steps (a reproducible limit, for tests and for runs without
    /// a time limit).
    pub steps: Option<u64>,
    /// Seed of the random stream: the same seed, plan and step limit give the same plan.
    pub seed: u64,
}

/// What the search did.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(crate) struct Report {
    /// Steps tried.
    pub steps: u64,
    /// Steps that gave a better plan than any before.
    pub improved: u64,
    /// The section 6 objective of the plan returned, as the search counts it.
    pub objective: f64,
}

/// The threshold at the start, in typical learner-need values: a step may leave the plan
/// this much below the best one found. It falls linearly to 0 as time or steps run out.
/// On four generated Antwerp provinces (100,000 steps each) 3 to 12 gave plans 0.4 to
/// 1.1% better than 1 (`BENCHMARKS.md`).
const START_THRESHOLD_NEEDS: f64 = 8.0;

/// How much the recreate phase's ranking of a class is jittered each step: its gain per
/// weekly teaching hour times a factor drawn between 1 and `1 + RANK_JITTER`. Without it
/// a recreate mostly rebuilds what the ruin took, and kina's plan stalls 11 to 14% below
/// the optimum instead of 3 to 4% (`BENCHMARKS.md`).
const RANK_JITTER: f64 = 2.0;

/// How much the teacher chosen for a class is left to chance: the one whose cost times
/// a factor drawn between 1 and `1 + TEACHER_JITTER` is lowest. Always the cheapest one
/// leaves a teacher who could go elsewhere to the first class that asks.
const TEACHER_JITTER: f64 = 4.0;

/// How much less a class's recreate prefers a waiting need for each class option it is
/// eligible for, in typical learner-need values. On four generated Antwerp provinces
/// (100,000 steps, two seeds each) filling classes with the least flexible needs first gave
/// plans 0.6% better than filling by value alone.
const FLEXIBILITY_PENALTY: f64 = 0.01;

/// The venues a step's ruin and recreate look at: at most this many nearest the one drawn.
const MAX_AREA_VENUES: usize = 3;

/// How long the workers search apart: each epoch every worker starts from the best plan
/// so far with a stream of its own, and the best plan of theirs is kept. On four generated
/// Antwerp provinces, two random streams each, 10 s ended a minute higher than 5 s in all
/// eight runs (mean gap 2.93% against 3.20%); 15 s (3.04%) and 20 s did no better
/// (`BENCHMARKS.md`).
const EPOCH_SECONDS: f64 = 10.0;

/// The same under a step limit: the steps of one epoch.
const EPOCH_STEPS: u64 = 20_000;

/// What the caller tells a running search.
pub(crate) struct Steering<'s> {
    /// How many threads may search side by side; asked at the start of each epoch.
    pub workers: &'s (dyn Fn() -> usize + Sync),
    /// Whether to stop now, given the objective of the best plan so far: when a solver
    /// alongside has proven its own plan, or a bound shows this one good enough.
    pub stop: &'s (dyn Fn(f64) -> bool + Sync),
}

impl Steering<'static> {
    /// One worker, stopped by the limits alone.
    #[cfg(test)]
    fn alone() -> Self {
        Steering {
            workers: &|| 1,
            stop: &|_| false,
        }
    }
}

/// Steps between two questions to [`Steering::stop`].
const STEPS_BETWEEN_STOP_CHECKS: u64 = 64;

/// Improves `plan` by ruin and recreate until `limits` or `steering` stop it; returns the
/// best plan seen (never worse than `plan`) and what was done. Without any limit it takes
/// no step.
pub(crate) fn improve(
    scenario: &Scenario,
    candidates: &Candidates,
    plan: &Plan,
    limits: Limits,
    steering: &Steering<'_>,
) -> (Plan, Report) {
    let facts = Facts::new(scenario, candidates);
    let started = Instant::now();
    let mut best = Searched {
        value: State::with_plan(&facts, plan).total(),
        plan: plan.clone(),
        steps: 0,
        improved: 0,
    };
    let mut report = Report::default();
    // Steps of the schedule: one worker's steps per epoch, however many work.
    let mut schedule_steps = 0;
    let mut epoch: u64 = 0;
    while progress(&limits, started, schedule_steps).is_some() && !(steering.stop)(best.value) {
        let count = (steering.workers)().max(1);
        let epoch_end = EpochEnd {
            deadline: limits.deadline.map(|deadline| {
                deadline.min(Instant::now() + std::time::Duration::from_secs_f64(EPOCH_SECONDS))
            }),
            steps: limits
                .steps
                .map(|steps| steps.min(schedule_steps + EPOCH_STEPS)),
        };
        let search = |worker: u64| {
            let seed = mix(limits.seed, epoch << 16 | worker);
            let schedule = Schedule {
                limits: &limits,
                started,
                steps_before: schedule_steps,
                epoch_end: &epoch_end,
            };
            search(&facts, &best, seed, schedule, steering.stop)
        };
        let results: Vec<Searched> = if count == 1 {
            vec![search(0)]
        } else {
            std::thread::scope(|scope| {
                let handles: Vec<_> = (0..count as u64)
                    .map(|worker| scope.spawn(move || search(worker)))
                    .collect();
                handles
                    .into_iter()
                    .map(|handle| handle.join().expect("a search worker does not panic"))
                    .collect()
            })
        };
        schedule_steps += results.iter().map(|r| r.steps).max().unwrap_or(0);
        for result in results {
            report.steps += result.steps;
            report.improved += result.improved;
            if result.value > best.value + 1e-9 * best.value.abs().max(1.0) {
                best = result;
            }
        }
        epoch += 1;
    }
    report.objective = best.value;
    (best.plan, report)
}

/// A plan found by one worker in one epoch.
struct Searched {
    plan: Plan,
    value: f64,
    steps: u64,
    improved: u64,
}

/// Where one worker's epoch lies in the whole search, for its threshold and its end.
struct Schedule<'l> {
    limits: &'l Limits,
    started: Instant,
    steps_before: u64,
    epoch_end: &'l EpochEnd,
}

/// When an epoch ends: at an instant, or after a number of steps of the schedule.
struct EpochEnd {
    deadline: Option<Instant>,
    steps: Option<u64>,
}

impl EpochEnd {
    /// Whether the epoch is over after `steps` steps of the schedule.
    fn reached(&self, steps: u64) -> bool {
        self.steps.is_some_and(|limit| steps >= limit)
            || self
                .deadline
                .is_some_and(|deadline| Instant::now() >= deadline)
    }
}

/// One worker's epoch: ruin and recreate from `start` with the random stream `seed`, until
/// the epoch ends or `stop` says so.
fn search(
    facts: &Facts<'_>,
    start: &Searched,
    seed: u64,
    schedule: Schedule<'_>,
    stop: &(dyn Fn(f64) -> bool + Sync),
) -> Searched {
    let mut state = State::with_plan(facts, &start.plan);
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut best = Searched {
        plan: start.plan.clone(),
        value: start.value,
        steps: 0,
        improved: 0,
    };
    let threshold_start = START_THRESHOLD_NEEDS * facts.typical_value;
    loop {
        let steps = schedule.steps_before + best.steps;
        let Some(progress) = progress(schedule.limits, schedule.started, steps) else {
            break;
        };
        if schedule.epoch_end.reached(steps)
            || (best.steps.is_multiple_of(STEPS_BETWEEN_STOP_CHECKS) && stop(best.value))
        {
            break;
        }
        best.steps += 1;
        let threshold = threshold_start * (1.0 - progress);
        state.step(&mut rng);
        let value = state.total();
        if value > best.value + 1e-9 * best.value.abs().max(1.0) {
            best.value = value;
            best.plan = state.plan();
            best.improved += 1;
            state.log.clear();
        } else if value >= best.value - threshold {
            state.log.clear();
        } else {
            state.undo();
        }
    }
    best
}

/// A well-mixed number from a seed and a key (splitmix64's finaliser).
fn mix(seed: u64, key: u64) -> u64 {
    let mut z = seed ^ key.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A number in [0, 1) from a seed and a key: the same within one step.
fn jitter(seed: u64, key: u64) -> f64 {
    (mix(seed, key) >> 11) as f64 / (1u64 << 53) as f64
}

/// How far the search has come, from 0 to 1, or `None` when it must stop.
fn progress(limits: &Limits, started: Instant, steps: u64) -> Option<f64> {
    let mut done: Option<f64> = None;
    if let Some(limit) = limits.steps {
        if steps >= limit {
            return None;
        }
        done = Some(steps as f64 / limit as f64);
    }
    if let Some(deadline) = limits.deadline {
        let now = Instant::now();
        if now >= deadline {
            return None;
        }
        let total = deadline.saturating_duration_since(started).as_secs_f64();
        let elapsed = now.saturating_duration_since(started).as_secs_f64();
        let share = if total > 0.0 { elapsed / total } else { 1.0 };
        done = Some(done.map_or(share, |d| d.max(share)));
    }
    done
}

/// What the search looks up again and again, worked out once.
struct Facts<'a> {
    scenario: &'a Scenario,
    candidates: &'a Candidates,
    /// Per option, the needs that may join it with what each adds to the objective
    /// (serve times priority less weighted travel), in the order classes take them: most
    /// valuable first, less flexible before more ([`FLEXIBILITY_PENALTY`]).
    joiners: Vec<Vec<(usize, f64)>>,
    /// Per option, its room's index in `State::room_classes`.
    room: Vec<usize>,
    /// Per option, its weekly hours.
    hours: Vec<f64>,
    /// Per option, the optional room and opening hours it needs.
    resources: Vec<Vec<Resource>>,
    /// Per venue, the options held there that some teacher could take.
    venue_options: Vec<Vec<usize>>,
    /// The venues with any such option: where a ruin may centre.
    venues_with_options: Vec<usize>,
    /// Per venue, the venues nearest to it by car, itself first.
    nearest: Vec<Vec<VenueId>>,
    /// Per need, the municipality of its learner (for fairness).
    municipality: Vec<usize>,
    /// Per municipality, its learner-needs.
    needs_per_municipality: Vec<u32>,
    /// The mean value of a join: the scale of the acceptance threshold.
    typical_value: f64,
    /// Travel minutes by mode, from and to municipality: `[(mode * n + from) * n + to]`
    /// for `n` municipalities. The clash checks ask for them millions of times.
    travel: Vec<u32>,
    /// Per need, its learner's index and how the learner travels: the clash checks read
    /// them for every need a class could take.
    need_learner: Vec<(usize, Mode)>,
    /// Per option, the municipality of its venue.
    option_municipality: Vec<usize>,
    /// Per option, the index of its sessions among the scenario's distinct weekly
    /// schedules (options of one format share one).
    schedule: Vec<usize>,
    /// How many distinct weekly schedules there are.
    schedules: usize,
    /// Per pair of schedules, `[a * schedules + b]`, the fewest travel minutes from which
    /// they clash ([`clash_from`](crate::candidates::clash_from)): a clash check is then one
    /// lookup.
    clash_from: Vec<u32>,
}

impl<'a> Facts<'a> {
    fn new(scenario: &'a Scenario, candidates: &'a Candidates) -> Facts<'a> {
        let weights = &scenario.objective;
        let mut joiners: Vec<Vec<(usize, f64)>> = vec![Vec::new(); candidates.options.len()];
        let (mut sum, mut count) = (0.0, 0usize);
        for (need, eligible) in candidates.eligible.iter().enumerate() {
            let priority = scenario.learner(candidates.needs[need].learner).priority;
            for e in eligible {
                let value = weights.serve * priority - weights.travel * f64::from(e.travel);
                joiners[e.option].push((need, value));
                sum += value;
                count += 1;
            }
        }
        let typical_value = if count > 0 {
            (sum / count as f64).max(1.0)
        } else {
            1.0
        };
        // Needs with fewer options first: one who could go elsewhere is better left for
        // another class.
        let key = |&(need, value): &(usize, f64)| {
            value - FLEXIBILITY_PENALTY * typical_value * candidates.eligible[need].len() as f64
        };
        for list in &mut joiners {
            list.sort_by(|a, b| key(b).total_cmp(&key(a)).then(a.0.cmp(&b.0)));
        }
        let mut rooms: HashMap<RoomId, usize> = HashMap::new();
        let room = candidates
            .options
            .iter()
            .map(|option| {
                let next = rooms.len();
                *rooms.entry(option.room).or_insert(next)
            })
            .collect();
        let mut venue_options = vec![Vec::new(); scenario.venues.len()];
        for (index, option) in candidates.options.iter().enumerate() {
            if !option.teachers.is_empty() && !joiners[index].is_empty() {
                venue_options[option.room.venue.0].push(index);
            }
        }
        let nearest = (0..scenario.venues.len())
            .map(|v| crate::regions::nearest_venues(scenario, VenueId(v), MAX_AREA_VENUES))
            .collect();
        let mut distinct: Vec<&[Interval]> = Vec::new();
        let mut index: HashMap<&[Interval], usize> = HashMap::new();
        let schedule = candidates
            .options
            .iter()
            .map(|option| {
                *index.entry(option.intervals.as_slice()).or_insert_with(|| {
                    distinct.push(option.intervals.as_slice());
                    distinct.len() - 1
                })
            })
            .collect();
        let clash_from = distinct
            .iter()
            .flat_map(|&a| distinct.iter().map(move |&b| clash_from(a, b)))
            .collect();
        let venues_with_options = (0..venue_options.len())
            .filter(|&v| !venue_options[v].is_empty())
            .collect();
        let municipality: Vec<usize> = candidates
            .needs
            .iter()
            .map(|need| scenario.learner(need.learner).municipality.0)
            .collect();
        let mut needs_per_municipality = vec![0u32; scenario.municipalities.len()];
        for &m in &municipality {
            needs_per_municipality[m] += 1;
        }
        Facts {
            scenario,
            candidates,
            joiners,
            room,
            hours: candidates
                .options
                .iter()
                .map(|option| scenario.format(option.format).weekly_hours())
                .collect(),
            resources: candidates
                .options
                .iter()
                .map(|option| crate::model::class_resources(scenario, option))
                .collect(),
            venue_options,
            venues_with_options,
            nearest,
            municipality,
            needs_per_municipality,
            typical_value,
            travel: travel_table(scenario),
            need_learner: candidates
                .needs
                .iter()
                .map(|need| (need.learner.0, scenario.learner(need.learner).mode))
                .collect(),
            option_municipality: candidates
                .options
                .iter()
                .map(|option| scenario.venue(option.room.venue).municipality.0)
                .collect(),
            schedule,
            schedules: distinct.len(),
            clash_from,
        }
    }

    /// The teacher and room cost of a class, weighted as in the objective and as counted
    /// against the budget.
    fn class_cost(&self, option: usize, teacher: TeacherId) -> (f64, f64) {
        let scenario = self.scenario;
        let o = &self.candidates.options[option];
        let teacher_cost = scenario.teacher_cost(o.course, o.format, teacher);
        let room_cost = scenario.room_cost(o.course, o.format, o.room.venue);
        let weights = &scenario.objective;
        (
            weights.teacher_cost * teacher_cost + weights.room_cost * room_cost,
            teacher_cost + room_cost,
        )
    }

    /// The optional resources a class of `option` taught by `teacher` uses.
    fn class_resources(&self, option: usize, teacher: TeacherId) -> impl Iterator<Item = Resource> {
        let hired = self
            .scenario
            .teacher(teacher)
            .optional_cost
            .map(|_| Resource::Teacher(teacher));
        self.resources[option].iter().copied().chain(hired)
    }

    /// Two options clash for someone travelling by `mode` between them (with the travel
    /// of [`crate::candidates::travel_between`], from the table worked out once).
    fn clash(&self, a: usize, b: usize, mode: Mode) -> bool {
        let threshold = self.clash_threshold(a, b);
        if threshold == u32::MAX {
            return false;
        }
        let (from, to) = (self.option_municipality[a], self.option_municipality[b]);
        let count = self.scenario.municipalities.len();
        let travel = if from == to {
            0
        } else {
            self.travel[(mode as usize * count + from) * count + to]
        };
        travel >= threshold
    }

    /// The fewest travel minutes from which the sessions of options `a` and `b` clash
    /// ([`clash_from`](crate::candidates::clash_from)), from the table worked out once.
    fn clash_threshold(&self, a: usize, b: usize) -> u32 {
        self.clash_from[self.schedule[a] * self.schedules + self.schedule[b]]
    }
}

/// Every travel time between two municipalities by every mode, in the layout of
/// [`Facts::travel`].
fn travel_table(scenario: &Scenario) -> Vec<u32> {
    let count = scenario.municipalities.len();
    let mut table = vec![0; Mode::ALL.len() * count * count];
    for mode in Mode::ALL {
        for from in 0..count {
            for to in 0..count {
                table[(mode as usize * count + from) * count + to] =
                    scenario.travel(MunicipalityId(from), MunicipalityId(to), mode);
            }
        }
    }
    table
}

/// An open class.
#[derive(Clone, Debug)]
struct Class {
    option: usize,
    teacher: TeacherId,
    needs: Vec<usize>,
}

/// One change to the plan, kept so that a step can be undone.
#[derive(Clone, Copy, Debug)]
enum Change {
    Opened(usize),
    Closed {
        class: usize,
        option: usize,
        teacher: TeacherId,
    },
    Joined(usize),
    Left {
        need: usize,
        class: usize,
    },
}

/// A class the recreate phase may open: the teacher and the needs it would seat, and what
/// it would add to the objective.
struct Opening {
    teacher: TeacherId,
    needs: Vec<usize>,
    gain: f64,
    /// What the heap orders by: the gain, scaled and jittered.
    rank: f64,
}

/// An option waiting in the recreate heap by the rank it had when last worked out.
struct Waiting {
    rank: f64,
    option: usize,
}

impl PartialEq for Waiting {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Waiting {}
impl PartialOrd for Waiting {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Waiting {
    fn cmp(&self, other: &Self) -> Ordering {
        self.rank
            .total_cmp(&other.rank)
            .then(other.option.cmp(&self.option))
    }
}

/// The plan being improved, with what the rules need to check a change quickly.
struct State<'f, 'a> {
    facts: &'f Facts<'a>,
    /// Open classes; a closed one leaves `None`, reused by the next class opened.
    classes: Vec<Option<Class>>,
    free: Vec<usize>,
    /// Per option, its open class.
    option_class: Vec<Option<usize>>,
    room_classes: Vec<Vec<usize>>,
    teacher_classes: Vec<Vec<usize>>,
    teacher_hours: Vec<f64>,
    learner_classes: Vec<Vec<usize>>,
    need_class: Vec<Option<usize>>,
    /// Per placed need, what its join adds to the objective.
    need_value: Vec<f64>,
    /// Per need, the options it may join that have an open class, in option order, with
    /// what the join would add: seating looks only at these.
    open_eligible: Vec<Vec<(usize, f64)>>,
    /// How many open classes use each optional resource.
    resource_uses: HashMap<Resource, u32>,
    /// Teacher and room cost plus fixed costs, unweighted: what the budget caps.
    spent: f64,
    /// The objective less its fairness term.
    value: f64,
    placed_per_municipality: Vec<u32>,
    log: Vec<Change>,
    /// This step's seed for the jitter of rankings and teacher choice.
    step_seed: u64,
}

impl<'f, 'a> State<'f, 'a> {
    fn new(facts: &'f Facts<'a>) -> Self {
        let scenario = facts.scenario;
        let rooms = facts.room.iter().max().map_or(0, |&r| r + 1);
        State {
            facts,
            classes: Vec::new(),
            free: Vec::new(),
            option_class: vec![None; facts.candidates.options.len()],
            room_classes: vec![Vec::new(); rooms],
            teacher_classes: vec![Vec::new(); scenario.teachers.len()],
            teacher_hours: vec![0.0; scenario.teachers.len()],
            learner_classes: vec![Vec::new(); scenario.learners.len()],
            need_class: vec![None; facts.candidates.needs.len()],
            need_value: vec![0.0; facts.candidates.needs.len()],
            open_eligible: vec![Vec::new(); facts.candidates.needs.len()],
            resource_uses: HashMap::new(),
            spent: 0.0,
            value: 0.0,
            placed_per_municipality: vec![0; scenario.municipalities.len()],
            log: Vec::new(),
            step_seed: 0,
        }
    }

    /// The state holding `plan`, with an empty log.
    fn with_plan(facts: &'f Facts<'a>, plan: &Plan) -> Self {
        let mut state = State::new(facts);
        for (option, teacher, needs) in plan {
            let class = state.open(*option, *teacher);
            for &need in needs {
                state.join(need, class);
            }
        }
        state.log.clear();
        state
    }

    /// The section 6 objective of the plan.
    fn total(&self) -> f64 {
        let fairness = self.facts.scenario.objective.fairness;
        if fairness > 0.0 {
            let lowest = self
                .facts
                .needs_per_municipality
                .iter()
                .zip(&self.placed_per_municipality)
                .filter(|(needs, _)| **needs > 0)
                .map(|(&needs, &placed)| f64::from(placed) / f64::from(needs))
                .fold(1.0, f64::min);
            self.value + fairness * lowest
        } else {
            self.value
        }
    }

    /// The plan as (option, teacher, needs), classes in option order.
    fn plan(&self) -> Plan {
        let mut plan: Plan = self
            .classes
            .iter()
            .flatten()
            .map(|class| {
                let mut needs = class.needs.clone();
                needs.sort_unstable();
                (class.option, class.teacher, needs)
            })
            .collect();
        plan.sort_by_key(|(option, _, _)| *option);
        plan
    }

    fn class(&self, class: usize) -> &Class {
        self.classes[class].as_ref().expect("an open class")
    }

    fn open(&mut self, option: usize, teacher: TeacherId) -> usize {
        let facts = self.facts;
        let class = match self.free.pop() {
            Some(slot) => slot,
            None => {
                self.classes.push(None);
                self.classes.len() - 1
            }
        };
        self.classes[class] = Some(Class {
            option,
            teacher,
            needs: Vec::new(),
        });
        self.option_class[option] = Some(class);
        for &(need, value) in &facts.joiners[option] {
            let open = &mut self.open_eligible[need];
            let at = open.partition_point(|&(o, _)| o < option);
            open.insert(at, (option, value));
        }
        self.room_classes[facts.room[option]].push(class);
        self.teacher_classes[teacher.0].push(class);
        self.teacher_hours[teacher.0] += facts.hours[option];
        let (weighted, cost) = facts.class_cost(option, teacher);
        self.value -= weighted;
        self.spent += cost;
        for resource in facts.class_resources(option, teacher) {
            let uses = self.resource_uses.entry(resource).or_insert(0);
            *uses += 1;
            if *uses == 1 {
                let fixed = resource.fixed_cost(facts.scenario);
                self.value -= resource.weight(facts.scenario) * fixed;
                self.spent += fixed;
            }
        }
        self.log.push(Change::Opened(class));
        class
    }

    /// Closes a class that holds no learner.
    fn close(&mut self, class: usize) {
        let facts = self.facts;
        let Class {
            option,
            teacher,
            needs,
        } = self.classes[class].take().expect("an open class");
        debug_assert!(needs.is_empty());
        self.free.push(class);
        self.option_class[option] = None;
        for &(need, _) in &facts.joiners[option] {
            self.open_eligible[need].retain(|&(o, _)| o != option);
        }
        self.room_classes[facts.room[option]].retain(|&c| c != class);
        self.teacher_classes[teacher.0].retain(|&c| c != class);
        self.teacher_hours[teacher.0] -= facts.hours[option];
        let (weighted, cost) = facts.class_cost(option, teacher);
        self.value += weighted;
        self.spent -= cost;
        for resource in facts.class_resources(option, teacher) {
            let uses = self
                .resource_uses
                .get_mut(&resource)
                .expect("a resource in use");
            *uses -= 1;
            if *uses == 0 {
                let fixed = resource.fixed_cost(facts.scenario);
                self.value += resource.weight(facts.scenario) * fixed;
                self.spent -= fixed;
            }
        }
        self.log.push(Change::Closed {
            class,
            option,
            teacher,
        });
    }

    fn join(&mut self, need: usize, class: usize) {
        let facts = self.facts;
        let option = self.class(class).option;
        self.classes[class]
            .as_mut()
            .expect("an open class")
            .needs
            .push(need);
        self.need_class[need] = Some(class);
        self.learner_classes[facts.candidates.needs[need].learner.0].push(class);
        // The class is open, so its option is among the need's open ones.
        let open = &self.open_eligible[need];
        let value = open[open.partition_point(|&(o, _)| o < option)].1;
        self.need_value[need] = value;
        self.value += value;
        self.placed_per_municipality[facts.municipality[need]] += 1;
        self.log.push(Change::Joined(need));
    }

    fn leave(&mut self, need: usize) {
        let facts = self.facts;
        let class = self.need_class[need].take().expect("a placed need");
        self.classes[class]
            .as_mut()
            .expect("an open class")
            .needs
            .retain(|&n| n != need);
        self.learner_classes[facts.candidates.needs[need].learner.0].retain(|&c| c != class);
        self.value -= self.need_value[need];
        self.placed_per_municipality[facts.municipality[need]] -= 1;
        self.log.push(Change::Left { need, class });
    }

    /// Takes back every change since the log was last cleared.
    fn undo(&mut self) {
        let mut log = std::mem::take(&mut self.log);
        while let Some(change) = log.pop() {
            match change {
                Change::Opened(class) => self.close(class),
                Change::Closed {
                    class,
                    option,
                    teacher,
                } => {
                    let reopened = self.open(option, teacher);
                    debug_assert_eq!(reopened, class);
                }
                Change::Joined(need) => self.leave(need),
                Change::Left { need, class } => self.join(need, class),
            }
        }
        self.log.clear();
    }

    /// Rule 4: the option's room is free at its hours.
    fn room_free(&self, option: usize) -> bool {
        let facts = self.facts;
        self.room_classes[facts.room[option]]
            .iter()
            .all(|&c| facts.clash_threshold(self.class(c).option, option) > 0)
    }

    /// Rule 5: the teacher has the hours left, is free at the option's hours and can
    /// travel between venues in time.
    fn teacher_free(&self, teacher: TeacherId, option: usize) -> bool {
        let scenario = self.facts.scenario;
        let hours = self.teacher_hours[teacher.0] + self.facts.hours[option];
        if hours > scenario.teacher(teacher).max_hours + 1e-9 {
            return false;
        }
        let mode = scenario.teacher(teacher).mode;
        self.teacher_classes[teacher.0]
            .iter()
            .all(|&c| !self.facts.clash(self.class(c).option, option, mode))
    }

    /// Rule 10: the learner of `need` has no class but `except` that clashes with `option`.
    fn learner_free(&self, need: usize, option: usize, except: Option<usize>) -> bool {
        let (learner, mode) = self.facts.need_learner[need];
        self.learner_classes[learner]
            .iter()
            .filter(|&&c| Some(c) != except)
            .all(|&c| !self.facts.clash(self.class(c).option, option, mode))
    }

    /// Rule 11: `extra` more fits in the budget.
    fn affordable(&self, extra: f64) -> bool {
        match self.facts.scenario.max_cost {
            Some(max_cost) => self.spent + extra <= max_cost + 1e-9 * max_cost.max(1.0),
            None => true,
        }
    }

    /// The fixed costs (weighted, unweighted) that a class of `option` taught by `teacher`
    /// would add: those of the optional resources no open class uses yet.
    fn new_fixed_costs(&self, option: usize, teacher: TeacherId) -> (f64, f64) {
        let scenario = self.facts.scenario;
        self.facts
            .class_resources(option, teacher)
            .filter(|resource| self.resource_uses.get(resource).copied().unwrap_or(0) == 0)
            .fold((0.0, 0.0), |(weighted, cost), resource| {
                let fixed = resource.fixed_cost(scenario);
                (weighted + resource.weight(scenario) * fixed, cost + fixed)
            })
    }

    /// The best class of `option` to open now: the cheapest free teacher, and the most
    /// valuable waiting needs that may join, up to its capacity. `None` when the option
    /// cannot open or would not reach its minimum size.
    fn opening(&self, option: usize) -> Option<Opening> {
        let facts = self.facts;
        if self.option_class[option].is_some() || !self.room_free(option) {
            return None;
        }
        let o = &facts.candidates.options[option];
        let min_size = facts.scenario.course(o.course).min_size.max(1) as usize;
        let capacity = o.capacity as usize;
        // The teacher first: without one, the needs need not be looked at.
        let (teacher, cost) = o
            .teachers
            .iter()
            .filter(|&&t| self.teacher_free(t, option))
            .filter_map(|&t| {
                let (weighted, cost) = facts.class_cost(option, t);
                let (fixed_weighted, fixed) = self.new_fixed_costs(option, t);
                let key = (option as u64) << 32 | t.0 as u64;
                let noise = 1.0 + TEACHER_JITTER * jitter(!self.step_seed, key);
                self.affordable(cost + fixed).then_some((
                    t,
                    (weighted + fixed_weighted) * noise,
                    weighted + fixed_weighted,
                ))
            })
            .min_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)))
            .map(|(t, _, cost)| (t, cost))?;
        let mut needs = Vec::with_capacity(capacity);
        let mut gain = 0.0;
        // Joins worth something first; those worth nothing only to reach the minimum size.
        for worth in [true, false] {
            for &(need, value) in &facts.joiners[option] {
                if needs.len() == capacity || (!worth && needs.len() >= min_size) {
                    break;
                }
                if (value > 0.0) == worth
                    && self.need_class[need].is_none()
                    && self.learner_free(need, option, None)
                {
                    needs.push(need);
                    gain += value;
                }
            }
        }
        if needs.len() < min_size {
            return None;
        }
        let gain = gain - cost;
        // Teachers' weekly hours are what runs out first, so a class is ranked by its gain
        // per weekly hour: two 6-hour evening classes may seat twice what a 12-hour day
        // class does.
        let rank = if gain > 0.0 {
            gain / facts.hours[option] * (1.0 + RANK_JITTER * jitter(self.step_seed, option as u64))
        } else {
            gain
        };
        Some(Opening {
            teacher,
            needs,
            gain,
            rank,
        })
    }

    /// One step: ruin part of the plan and recreate it.
    fn step(&mut self, rng: &mut ChaCha8Rng) {
        self.step_seed = rng.random();
        let (area, mut waiting) = self.ruin(rng);
        self.recreate(&area, &mut waiting);
    }

    /// Closes a few classes: near a venue drawn at random (half the steps), one or all of
    /// a teacher's (three in ten), or one class anywhere; the mix is a choice, not tuned.
    /// Returns the venues whose options the recreate phase tries and the needs the closed
    /// classes held.
    fn ruin(&mut self, rng: &mut ChaCha8Rng) -> (Vec<VenueId>, Vec<usize>) {
        let facts = self.facts;
        let open: Vec<usize> = (0..self.classes.len())
            .filter(|&c| self.classes[c].is_some())
            .collect();
        let venue_of =
            |state: &Self, c: usize| facts.candidates.options[state.class(c).option].room.venue;
        let draw: f64 = rng.random();
        let mut closing: Vec<usize> = Vec::new();
        let area: Vec<VenueId>;
        if open.is_empty() || draw < 0.5 {
            let with_options = &facts.venues_with_options;
            if with_options.is_empty() {
                return (Vec::new(), Vec::new());
            }
            let centre = with_options[rng.random_range(0..with_options.len())];
            let size = rng.random_range(1..=facts.nearest[centre].len());
            area = facts.nearest[centre][..size].to_vec();
            let share: f64 = rng.random_range(0.2..=1.0);
            for &c in &open {
                if area.contains(&venue_of(self, c)) && rng.random::<f64>() < share {
                    closing.push(c);
                }
            }
        } else if draw < 0.8 {
            let c = open[rng.random_range(0..open.len())];
            let teacher = self.class(c).teacher;
            closing = self.teacher_classes[teacher.0].clone();
            if closing.len() > 1 && rng.random::<f64>() < 0.5 {
                closing = vec![c];
            }
            let mut venues: Vec<VenueId> = Vec::new();
            for &k in &closing {
                for &v in facts.nearest[venue_of(self, k).0].iter().take(2) {
                    if !venues.contains(&v) {
                        venues.push(v);
                    }
                }
            }
            area = venues;
        } else {
            let c = open[rng.random_range(0..open.len())];
            closing.push(c);
            let venue = venue_of(self, c);
            let size = rng.random_range(1..=facts.nearest[venue.0].len());
            area = facts.nearest[venue.0][..size].to_vec();
        }
        let mut freed = Vec::new();
        for c in closing {
            let needs = self.class(c).needs.clone();
            for &need in &needs {
                self.leave(need);
            }
            freed.extend(needs);
            self.close(c);
        }
        (area, freed)
    }

    /// Opens the best classes the area allows, one at a time, then seats waiting needs.
    fn recreate(&mut self, area: &[VenueId], waiting: &mut Vec<usize>) {
        let facts = self.facts;
        let mut heap: BinaryHeap<Waiting> = BinaryHeap::new();
        for &venue in area {
            for &option in &facts.venue_options[venue.0] {
                if let Some(opening) = self.opening(option)
                    && opening.gain > 0.0
                {
                    heap.push(Waiting {
                        rank: opening.rank,
                        option,
                    });
                }
            }
        }
        // An option's gain only falls as classes open (learners, rooms, teachers and
        // budget get used), so one whose fresh rank still matches its old one is the best.
        while let Some(Waiting { rank, option }) = heap.pop() {
            let Some(opening) = self.opening(option) else {
                continue;
            };
            if opening.gain <= 0.0 {
                continue;
            }
            if opening.rank < rank - 1e-9 * rank.abs().max(1.0) {
                heap.push(Waiting {
                    rank: opening.rank,
                    option,
                });
                continue;
            }
            let class = self.open(option, opening.teacher);
            for need in opening.needs {
                self.join(need, class);
            }
        }
        // Needs waiting in the area: those freed, and those that could join its options.
        for &venue in area {
            for &option in &facts.venue_options[venue.0] {
                if self.option_class[option].is_some() {
                    waiting.extend(
                        facts.joiners[option]
                            .iter()
                            .map(|&(need, _)| need)
                            .filter(|&need| self.need_class[need].is_none()),
                    );
                }
            }
        }
        waiting.sort_unstable();
        waiting.dedup();
        for &need in waiting.iter() {
            if self.need_class[need].is_none() && !self.seat(need) {
                self.seat_by_moving(need);
            }
        }
    }

    /// Seats an unplaced need in the open class with a free seat where it adds most.
    fn seat(&mut self, need: usize) -> bool {
        let facts = self.facts;
        let best = self.open_eligible[need]
            .iter()
            .filter_map(|&(option, value)| {
                let class = self.option_class[option]?;
                let capacity = facts.candidates.options[option].capacity as usize;
                (self.class(class).needs.len() < capacity && self.learner_free(need, option, None))
                    .then_some((class, value))
            })
            .filter(|&(_, value)| value > 0.0)
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)));
        match best {
            Some((class, _)) => {
                self.join(need, class);
                true
            }
            None => false,
        }
    }

    /// Seats an unplaced need in a full class by moving one of its learners to another
    /// open class with a free seat, when that adds to the objective.
    fn seat_by_moving(&mut self, need: usize) -> bool {
        let facts = self.facts;
        let mut best: Option<(f64, usize, usize, usize)> = None;
        for &(option, value) in &self.open_eligible[need] {
            let Some(full) = self.option_class[option] else {
                continue;
            };
            if !self.learner_free(need, option, None) {
                continue;
            }
            for &seated in &self.class(full).needs {
                // The learner moving must not clash with the one arriving: they may be the
                // same learner with two needs.
                if facts.need_learner[seated].0 == facts.need_learner[need].0 {
                    continue;
                }
                let old = self.need_value[seated];
                for &(other, other_value) in &self.open_eligible[seated] {
                    // The cheap tests first: only a better move than the best so far counts.
                    let gain = value + other_value - old;
                    if gain <= 0.0 || best.is_some_and(|(g, ..)| gain <= g) {
                        continue;
                    }
                    let Some(to) = self.option_class[other] else {
                        continue;
                    };
                    let capacity = facts.candidates.options[other].capacity as usize;
                    if to == full
                        || self.class(to).needs.len() >= capacity
                        || !self.learner_free(seated, other, Some(full))
                    {
                        continue;
                    }
                    best = Some((gain, seated, to, full));
                }
            }
        }
        match best {
            Some((_, seated, to, full)) => {
                self.leave(seated);
                self.join(seated, to);
                self.join(need, full);
                true
            }
            None => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::timetable_of;

    /// From the greedy plan on kina the search finds a better plan that `verify` accepts,
    /// and counts its objective as the timetable does.
    #[test]
    fn ruin_and_recreate_improves_the_greedy_plan_on_kina() {
        let (scenario, candidates) = crate::testing::kina();
        let greedy = crate::solve::greedy_as_plan(&crate::greedy::plan(&scenario, &candidates));
        let before = timetable_of(&scenario, &candidates, &greedy);
        let limits = Limits {
            deadline: None,
            steps: Some(3_000),
            seed: 1,
        };
        let (plan, report) = improve(&scenario, &candidates, &greedy, limits, &Steering::alone());
        let after = timetable_of(&scenario, &candidates, &plan);
        let violations = crate::verify::verify(&scenario, &after);
        assert!(violations.is_empty(), "{violations:?}");
        assert!(
            after.solver.objective > before.solver.objective,
            "{} is no better than greedy's {}",
            after.solver.objective,
            before.solver.objective
        );
        let counted = report.objective;
        assert!(
            (counted - after.solver.objective).abs() <= 1e-6 * counted.abs(),
            "the search counts {counted}, the timetable {}",
            after.solver.objective
        );
    }

    /// Under a budget, with fairness weighed and with optional teachers, rooms and hours to
    /// pay for, every plan the search returns passes `verify`, and the objective it counts
    /// (fixed costs and the lowest municipality share included) is the timetable's.
    #[test]
    fn plans_obey_the_budget_and_count_fairness_and_fixed_costs() {
        let fixture = |name: &str| {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(name);
            crate::input::load_scenario(&path).expect("the fixture is valid")
        };
        let (mut kina, _) = crate::testing::kina();
        kina.max_cost = Some(120_000.0);
        kina.objective.fairness = 50_000.0;
        let scenarios = [
            kina,
            fixture("tests/fixtures/rules/scenario.toml"),
            fixture("tests/fixtures/optional/hiring.toml"),
        ];
        for scenario in &scenarios {
            let candidates = Candidates::new(scenario);
            let greedy = crate::solve::greedy_as_plan(&crate::greedy::plan(scenario, &candidates));
            for seed in 1..=3 {
                let limits = Limits {
                    deadline: None,
                    steps: Some(2_000),
                    seed,
                };
                let (plan, report) =
                    improve(scenario, &candidates, &greedy, limits, &Steering::alone());
                let timetable = timetable_of(scenario, &candidates, &plan);
                let violations = crate::verify::verify(scenario, &timetable);
                assert!(violations.is_empty(), "{}: {violations:?}", scenario.name);
                let objective = timetable.solver.objective;
                assert!(
                    (report.objective - objective).abs() <= 1e-6 * objective.abs().max(1.0),
                    "{}: the search counts {}, the timetable {objective}",
                    scenario.name,
                    report.objective
                );
            }
        }
    }

    /// From the empty plan the search finds the optimum of `instances/tiny.toml`, derived
    /// by hand in `instances/tiny.md`.
    #[test]
    fn from_nothing_the_search_finds_the_tiny_optimum() {
        let (scenario, candidates) = crate::testing::tiny();
        let limits = Limits {
            deadline: None,
            steps: Some(1_000),
            seed: 1,
        };
        let (plan, report) = improve(
            &scenario,
            &candidates,
            &Vec::new(),
            limits,
            &Steering::alone(),
        );
        let timetable = timetable_of(&scenario, &candidates, &plan);
        assert!(crate::verify::verify(&scenario, &timetable).is_empty());
        assert_eq!(timetable.solver.objective, 63_828.0);
        assert_eq!(timetable.summary.placed, 7);
        assert!(report.improved > 0);
    }

    /// The search stops when it is told to: at once, or once its plan is good enough.
    #[test]
    fn the_search_stops_when_told() {
        let (scenario, candidates) = crate::testing::kina();
        let greedy = crate::solve::greedy_as_plan(&crate::greedy::plan(&scenario, &candidates));
        let limits = Limits {
            deadline: None,
            steps: Some(1_000_000),
            seed: 1,
        };
        let at_once = Steering {
            workers: &|| 2,
            stop: &|_| true,
        };
        let (plan, report) = improve(&scenario, &candidates, &greedy, limits, &at_once);
        assert_eq!(report.steps, 0);
        assert_eq!(plan, greedy);
        let greedy_value = timetable_of(&scenario, &candidates, &greedy)
            .solver
            .objective;
        let good_enough = greedy_value * 1.05;
        let once_better = Steering {
            workers: &|| 1,
            stop: &|value| value >= good_enough,
        };
        let (plan, report) = improve(&scenario, &candidates, &greedy, limits, &once_better);
        assert!(report.objective >= good_enough);
        assert!(report.steps < 100_000, "{} steps", report.steps);
        let timetable = timetable_of(&scenario, &candidates, &plan);
        assert!(crate::verify::verify(&scenario, &timetable).is_empty());
    }

    /// The same seed and step limit give the same plan, with one worker or two, and the
    /// plan two workers find passes `verify`.
    #[test]
    fn the_same_seed_gives_the_same_plan() {
        let (scenario, candidates) = crate::testing::kina();
        let limits = Limits {
            deadline: None,
            steps: Some(30_000),
            seed: 7,
        };
        for workers in [1, 2] {
            let steering = Steering {
                workers: &|| workers,
                stop: &|_| false,
            };
            let run = || improve(&scenario, &candidates, &Vec::new(), limits, &steering);
            let first = run();
            assert_eq!(first, run());
            assert!(first.1.improved > 0);
            let timetable = timetable_of(&scenario, &candidates, &first.0);
            let violations = crate::verify::verify(&scenario, &timetable);
            assert!(violations.is_empty(), "{violations:?}");
        }
    }
}
