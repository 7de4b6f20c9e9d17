//! Region by region: improves a plan by re-planning one group of nearby venues at a time
//! with HiGHS while every class elsewhere stays open with its teacher.
//!
//! The whole integer program of a province is too big for HiGHS to solve in a minute: its
//! first linear relaxation alone takes longer. One region's program is small enough for a
//! second or two, and it keeps the rest of the plan as it is, so every accepted step is a
//! better plan for the whole scenario. Learners who could join a class in the region, or
//! sit in one of its classes, may move to any class that stays or may open, so a region's
//! new classes can take learners from the kept ones and the other way round; everyone else
//! stays where they are. This is large-neighbourhood search; it proves no bound itself (see
//! `solve_by_regions` for the whole program that runs alongside). Once the whole program's
//! relaxation is known, a region considers only the class options it opens and the plan's,
//! and a second worker may re-plan other regions on the core the relaxation used.

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, OnceLock};
use std::thread;
use std::time::{Duration, Instant};

use crate::candidates::Candidates;
use crate::domain::{Mode, Scenario, TeacherId, VenueId};
use crate::model::Formulation;
use crate::solve::{Outcome, Plan, Run, SolveError, SolveSettings, highs_attempt_from_start};
use crate::timetable::Timetable;

/// Venues in the first region; the size then grows after a region solved to optimality in
/// good time and shrinks after one that ran out of time. Many small regions improve a
/// province's plan faster than a few large ones (`BENCHMARKS.md`).
const FIRST_REGION_VENUES: usize = 3;

/// Seconds one region may take at first; doubled after each round that found nothing.
const REGION_SECONDS: f64 = 2.0;

/// A region grows by a venue only after one solved to optimality within this share of its
/// time. Regions that run out of time improve the plan far less per second than those
/// solved to optimality, and a stricter share keeps more regions within their limit: 1/8
/// beat 1/4 and 1/16 on four generated Antwerp provinces (`BENCHMARKS.md`).
const GROW_WITHIN_SHARE: f64 = 1.0 / 8.0;

/// What the search did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Search {
    /// Regions solved.
    pub regions: usize,
    /// Regions whose plan was better than the one before.
    pub improved: usize,
    /// Workers that re-planned at least one region.
    pub workers: usize,
    /// Whether the search stopped on its own: a whole round over every region found nothing
    /// better, and there was no time limit to widen the regions for (or they already
    /// spanned every venue).
    pub settled: bool,
}

/// When a second worker re-plans regions beside the first, each with its own HiGHS thread.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SecondWorker {
    /// Never: one core is busy with the whole program, or the caller asked for one thread.
    Never,
    /// From the start: nothing else runs.
    Now,
    /// Once the guide is set: the relaxation alongside is done and its core is free.
    OnceGuided,
}

/// What the solver running alongside the regions tells them.
pub(crate) struct Signals<'a> {
    /// Set when it proved a plan within the requested gap: the regions stop.
    pub stop: &'a AtomicBool,
    /// Set once the whole program's relaxation is done: per class option, whether the
    /// relaxation opens it enough for the regions to consider it (every option when it
    /// gave no usable result).
    pub guide: &'a OnceLock<Vec<bool>>,
    /// Set once the relaxation proves a bound: the regions stop when their plan is within
    /// the requested gap of it.
    pub bound: &'a OnceLock<f64>,
    /// When a second worker may join.
    pub second_worker: SecondWorker,
}

/// The best plan so far, shared by the workers.
struct Best {
    plan: Plan,
    value: f64,
    /// Counts the plans accepted, so that a worker sees when the plan changed.
    version: u64,
    search: Search,
}

/// What every worker reads.
struct Shared<'a> {
    scenario: &'a Scenario,
    candidates: &'a Candidates,
    centres: Vec<VenueId>,
    deadline: Option<Instant>,
    stop: &'a AtomicBool,
    guide: &'a OnceLock<Vec<bool>>,
    bound: &'a OnceLock<f64>,
    /// The requested relative gap to `bound` at which the regions stop.
    gap: f64,
    best: Mutex<Best>,
    /// Set when the first worker has stopped, so that a second one still waiting need not.
    first_done: AtomicBool,
    shown: crate::progress::Progress,
}

/// Improves `plan` region by region until `deadline`, or, without one, until a whole round
/// over every venue finds nothing better. With a deadline, such a round makes the regions
/// larger and their time longer instead. Stops early when `signals.stop` is set or the
/// plan is within the requested gap of `signals.bound` (and then sets `signals.stop`), and
/// follows `signals.guide` once it is set. A second worker, when `signals.second_worker` lets
/// one join, re-plans other regions on the same best plan. Returns the best plan found and
/// what was done.
pub(crate) fn improve(
    scenario: &Scenario,
    candidates: &Candidates,
    settings: &SolveSettings,
    plan: Plan,
    value: f64,
    deadline: Option<Instant>,
    signals: Signals<'_>,
) -> Result<(Plan, Search), SolveError> {
    let Signals {
        stop,
        guide,
        bound,
        second_worker,
    } = signals;
    let centres = seed_order(scenario);
    if centres.is_empty() {
        let search = Search {
            settled: true,
            ..Search::default()
        };
        return Ok((plan, search));
    }
    let shared = Shared {
        scenario,
        candidates,
        deadline,
        stop,
        guide,
        bound,
        gap: settings.gap.unwrap_or(crate::solve::DEFAULT_GAP),
        best: Mutex::new(Best {
            plan,
            value,
            version: 0,
            search: Search::default(),
        }),
        first_done: AtomicBool::new(false),
        shown: crate::progress::Progress::spinner(settings.progress),
        centres,
    };
    shared.say(&Search::default(), value);
    // Without a deadline the search ends when it settles, and one worker keeps the result
    // independent of how the threads interleave.
    let second_worker = if deadline.is_some() {
        second_worker
    } else {
        SecondWorker::Never
    };
    // Two workers at once each give HiGHS one thread. The requested gap is the whole
    // plan's against the bound; each region is solved to HiGHS's own gap, since a region
    // stopped early leaves its share of the plan worse.
    let worker_settings = SolveSettings {
        threads: match second_worker {
            SecondWorker::Never => settings.threads,
            _ => Some(1),
        },
        gap: None,
        ..settings.clone()
    };
    let (first, second) = thread::scope(|scope| {
        let second = (second_worker != SecondWorker::Never).then(|| {
            let shared = &shared;
            let settings = &worker_settings;
            scope.spawn(move || {
                let joins = match second_worker {
                    SecondWorker::OnceGuided => shared.wait_for_guide(),
                    _ => true,
                };
                if joins {
                    shared.work(settings, shared.centres.len() / 2)
                } else {
                    Ok(false)
                }
            })
        });
        let first = shared.work(&worker_settings, 0);
        shared.first_done.store(true, Ordering::Relaxed);
        // A worker that panicked gave nothing; the other's plan stands.
        let second = second.map(|handle| handle.join().unwrap_or(Ok(false)));
        (first, second)
    });
    let settled = first?;
    if let Some(second) = second {
        second?;
    }
    let best = shared
        .best
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let search = Search {
        settled,
        ..best.search
    };
    Ok((best.plan, search))
}

impl Shared<'_> {
    fn say(&self, search: &Search, value: f64) {
        self.shown.say(format!(
            "region by region: {} regions re-planned, {} better; objective {value:.0}",
            search.regions, search.improved
        ));
    }

    fn best(&self) -> std::sync::MutexGuard<'_, Best> {
        self.best
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Whether a plan worth `value` is proven within the requested gap of the bound.
    fn proven_within_gap(&self, value: f64) -> bool {
        self.bound.get().is_some_and(|&bound| {
            crate::solve::relative_gap(value, bound).is_some_and(|gap| gap <= self.gap)
        })
    }

    /// Waits until the guide is set; `false` when the search stops, the first worker is
    /// done or the time is up first.
    fn wait_for_guide(&self) -> bool {
        loop {
            if self.guide.get().is_some() {
                return true;
            }
            let ending = self.deadline.is_some_and(|deadline| {
                deadline.saturating_duration_since(Instant::now()) < Duration::from_secs(2)
            });
            if ending
                || self.stop.load(Ordering::Relaxed)
                || self.first_done.load(Ordering::Relaxed)
            {
                return false;
            }
            thread::sleep(Duration::from_millis(50));
        }
    }

    /// One worker's loop, starting at centre `first_centre`: re-plans regions on the best
    /// plan and replaces it when the region's plan is better. Returns whether the search
    /// settled (see [`Search::settled`]).
    fn work(&self, settings: &SolveSettings, first_centre: usize) -> Result<bool, SolveError> {
        let (scenario, centres) = (self.scenario, &self.centres);
        let mut size = FIRST_REGION_VENUES.min(scenario.venues.len());
        let mut region_seconds = REGION_SECONDS;
        // Regions tried since the plan last changed, by centre.
        let mut unchanged = vec![false; centres.len()];
        let mut seen = 0;
        let mut counted = false;
        let mut next = first_centre % centres.len();
        loop {
            if self.stop.load(Ordering::Relaxed) {
                return Ok(false);
            }
            let left = self
                .deadline
                .map(|deadline| deadline.saturating_duration_since(Instant::now()));
            if left.is_some_and(|left| left.as_secs_f64() < 1.0) {
                return Ok(false);
            }
            let version = self.best().version;
            if version != seen {
                // The other worker changed the plan: every region may improve again.
                seen = version;
                unchanged.fill(false);
            }
            if unchanged.iter().all(|&done| done) {
                // A whole round found nothing. With time left, look wider and longer: larger
                // regions reach improvements the small ones cannot.
                if self.deadline.is_none() || size == scenario.venues.len() {
                    return Ok(true);
                }
                size += 1;
                region_seconds *= 2.0;
                unchanged.fill(false);
                tracing::debug!(venues = size, seconds = region_seconds, "regions widened");
            }
            let centre = next;
            next = (next + 1) % centres.len();
            if unchanged[centre] {
                continue;
            }
            let (plan, value) = {
                let best = self.best();
                (best.plan.clone(), best.value)
            };
            if self.proven_within_gap(value) {
                tracing::debug!("the plan is within the requested gap of the bound");
                self.stop.store(true, Ordering::Relaxed);
                return Ok(false);
            }
            let region = nearest_venues(scenario, centres[centre], size);
            let limit = left
                .map_or(region_seconds, |left| {
                    left.as_secs_f64().min(region_seconds)
                })
                .max(1.0);
            let started = Instant::now();
            let solved = solve_region(
                scenario,
                self.candidates,
                settings,
                &region,
                &plan,
                self.guide.get().map(Vec::as_slice),
                limit,
            )?;
            let seconds = started.elapsed().as_secs_f64();
            let mut best = self.best();
            if !counted {
                counted = true;
                best.search.workers += 1;
            }
            best.search.regions += 1;
            self.say(&best.search, best.value);
            let Some((timetable, better)) = solved else {
                // Nothing to decide here, or HiGHS overran: try the next region, smaller.
                unchanged[centre] = true;
                size = size.saturating_sub(1).max(1);
                continue;
            };
            let optimal = timetable
                .solver
                .gap
                .is_some_and(|gap| gap <= crate::solve::DEFAULT_GAP);
            let objective = timetable.solver.objective;
            tracing::debug!(
                region = centre,
                venues = size,
                seconds = format_args!("{seconds:.1}"),
                objective,
                optimal,
                "region solved"
            );
            let improves = |than: f64| objective > than + 1e-6 * than.abs().max(1.0);
            if improves(best.value) {
                tracing::info!(
                    objective = format_args!("{objective:.0}"),
                    placed = timetable.summary.placed,
                    "better plan"
                );
                best.value = objective;
                best.plan = better;
                best.version += 1;
                best.search.improved += 1;
                seen = best.version;
                unchanged.fill(false);
                self.say(&best.search, best.value);
                unchanged[centre] = true;
            } else if !improves(value) {
                unchanged[centre] = true;
            }
            // Otherwise the region improved the plan it started from, but the other worker
            // got further meanwhile: try it again on the new plan.
            drop(best);
            if optimal && seconds < limit * GROW_WITHIN_SHARE {
                size = (size + 1).min(scenario.venues.len());
            } else if !optimal {
                size = size.saturating_sub(1).max(1);
            }
        }
    }
}

/// Re-plans the classes at the `region`'s venues with the rest of `plan` kept, within
/// `limit` seconds. `None` when there was nothing to decide, or HiGHS overran its limit or
/// ran out of time before any solution.
fn solve_region(
    scenario: &Scenario,
    candidates: &Candidates,
    settings: &SolveSettings,
    region: &[VenueId],
    plan: &Plan,
    guide: Option<&[bool]>,
    limit: f64,
) -> Result<Option<(Timetable, Plan)>, SolveError> {
    let started = Instant::now();
    let in_region = |option: usize| region.contains(&candidates.options[option].room.venue);
    let kept: Plan = plan
        .iter()
        .filter(|(option, _, _)| !in_region(*option))
        .cloned()
        .collect();
    // Where the relaxation is known, a region re-plans only the classes it opens and those
    // of the plan: a smaller program, pointed where the bound sees learners to place.
    let planned: HashSet<usize> = plan.iter().map(|(option, _, _)| *option).collect();
    let guided =
        |option: usize| guide.is_none_or(|opened| opened[option] || planned.contains(&option));
    let restricted = candidates.restricted(|option| in_region(option) && guided(option), &kept);
    let kept: Vec<(usize, TeacherId)> = kept.iter().map(|(o, t, _)| (*o, *t)).collect();
    let formulation = || {
        let mut formulation = Formulation::new(scenario, &restricted);
        formulation.keep_open(&kept);
        formulation
    };
    let attempt = match highs_attempt_from_start(
        scenario,
        &restricted,
        settings,
        &formulation,
        Some(plan),
        Run::region(started, limit),
    ) {
        Ok(attempt) => attempt,
        // Out of time before any solution: the region gave nothing new.
        Err(SolveError::NoSolution { .. }) => return Ok(None),
        Err(error) => return Err(error),
    };
    Ok(match attempt.outcome {
        Outcome::Solved {
            timetable, plan, ..
        } => Some((timetable, plan)),
        _ => None,
    })
}

/// Every venue, in an order that moves across the map: each next centre is the venue
/// farthest from the centres before it, so consecutive regions rarely overlap.
fn seed_order(scenario: &Scenario) -> Vec<VenueId> {
    let count = scenario.venues.len();
    let mut order: Vec<VenueId> = Vec::with_capacity(count);
    let mut nearest = vec![u32::MAX; count];
    let mut current = 0;
    while order.len() < count {
        order.push(VenueId(current));
        nearest[current] = 0;
        for (v, distance) in nearest.iter_mut().enumerate() {
            *distance = (*distance).min(venue_minutes(scenario, VenueId(current), VenueId(v)));
        }
        let Some((farthest, _)) = nearest
            .iter()
            .enumerate()
            .filter(|(v, _)| !order.contains(&VenueId(*v)))
            .max_by_key(|&(v, &distance)| (distance, std::cmp::Reverse(v)))
        else {
            break;
        };
        current = farthest;
    }
    order
}

/// The `count` venues nearest to `centre` by car, itself first.
pub(crate) fn nearest_venues(scenario: &Scenario, centre: VenueId, count: usize) -> Vec<VenueId> {
    let mut venues: Vec<VenueId> = (0..scenario.venues.len()).map(VenueId).collect();
    venues.sort_by_key(|&v| (venue_minutes(scenario, centre, v), v != centre, v));
    venues.truncate(count);
    venues
}

/// Minutes by car between two venues' municipalities.
fn venue_minutes(scenario: &Scenario, a: VenueId, b: VenueId) -> u32 {
    scenario.travel(
        scenario.venue(a).municipality,
        scenario.venue(b).municipality,
        Mode::Car,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::timetable_of;

    /// A region re-planned with a relaxation's guide opens only what the guide or the plan
    /// holds, and still finds the best plan when the guide holds it.
    #[test]
    fn a_guided_region_opens_only_what_the_guide_or_the_plan_holds() {
        let (scenario, candidates) = crate::testing::tiny();
        let settings = SolveSettings {
            threads: Some(1),
            seed: Some(1),
            gap: Some(0.0),
            ..SolveSettings::default()
        };
        let everywhere: Vec<VenueId> = (0..scenario.venues.len()).map(VenueId).collect();
        // From the empty plan, so that only the guide decides what may open.
        let solve = |guide: Option<&[bool]>| {
            let solved = solve_region(
                &scenario,
                &candidates,
                &settings,
                &everywhere,
                &Vec::new(),
                guide,
                30.0,
            )
            .expect("the region solves");
            if let Some((timetable, _)) = &solved {
                let violations = crate::verify::verify(&scenario, timetable);
                assert!(violations.is_empty(), "{violations:?}");
            }
            solved
        };
        let (best, best_plan) = solve(None).expect("tiny has classes to open");
        assert!(!best_plan.is_empty());
        let opened: HashSet<usize> = best_plan.iter().map(|(option, _, _)| *option).collect();

        let mut guide = vec![false; candidates.options.len()];
        let nothing = solve(Some(&guide));
        assert!(
            nothing.is_none_or(|(_, plan)| plan.is_empty()),
            "nothing may open outside an empty guide and an empty plan"
        );

        let (first, _) = best_plan.split_first().expect("a class");
        guide[first.0] = true;
        let (_, partial) = solve(Some(&guide)).expect("the guided class opens");
        assert!(partial.iter().all(|(option, _, _)| *option == first.0));

        for &option in &opened {
            guide[option] = true;
        }
        let (guided, guided_plan) = solve(Some(&guide)).expect("a plan");
        assert!(
            guided_plan
                .iter()
                .all(|(option, _, _)| opened.contains(option))
        );
        assert!(
            (guided.solver.objective - best.solver.objective).abs()
                <= 1e-6 * best.solver.objective.abs().max(1.0),
            "guided {} against {}",
            guided.solver.objective,
            best.solver.objective
        );
    }

    /// A second worker re-plans regions beside the first when it may, and the plan they
    /// share is valid and no worse than the start.
    #[test]
    fn a_second_worker_joins_when_it_may_and_the_shared_plan_stays_valid() {
        let (scenario, candidates) = crate::testing::kina();
        let settings = SolveSettings {
            seed: Some(1),
            ..SolveSettings::default()
        };
        let timetable = |plan: &Plan| timetable_of(&scenario, &candidates, plan);
        let start = timetable(&Vec::new()).solver.objective;
        let run = |second_worker, guide: &OnceLock<Vec<bool>>| {
            let stop = AtomicBool::new(false);
            let deadline = Instant::now() + Duration::from_secs(3);
            let signals = Signals {
                stop: &stop,
                guide,
                bound: &OnceLock::new(),
                second_worker,
            };
            let (plan, search) = improve(
                &scenario,
                &candidates,
                &settings,
                Vec::new(),
                start,
                Some(deadline),
                signals,
            )
            .expect("the regions solve");
            let planned = timetable(&plan);
            let violations = crate::verify::verify(&scenario, &planned);
            assert!(violations.is_empty(), "{violations:?}");
            assert!(
                planned.solver.objective > start,
                "kina has learners to place"
            );
            search.workers
        };
        let unset = OnceLock::new();
        assert_eq!(run(SecondWorker::Never, &unset), 1);
        assert_eq!(run(SecondWorker::Now, &unset), 2);
        // Without the guide the second worker never starts.
        assert_eq!(run(SecondWorker::OnceGuided, &unset), 1);
        let everything = OnceLock::from(vec![true; candidates.options.len()]);
        assert_eq!(run(SecondWorker::OnceGuided, &everything), 2);
    }

    /// The regions stop as soon as the plan is proven within the requested gap of the
    /// relaxation's bound, and go on while it is not.
    #[test]
    fn the_regions_stop_once_the_plan_is_within_the_gap_of_the_bound() {
        let (scenario, candidates) = crate::testing::kina();
        let settings = SolveSettings {
            seed: Some(1),
            threads: Some(1),
            gap: Some(0.1),
            ..SolveSettings::default()
        };
        let greedy = crate::greedy::plan(&scenario, &candidates);
        let start: Plan = crate::solve::greedy_as_plan(&greedy);
        let start_value = timetable_of(&scenario, &candidates, &start)
            .solver
            .objective;
        assert!(start_value > 0.0);
        let run = |bound: f64| {
            let stop = AtomicBool::new(false);
            let signals = Signals {
                stop: &stop,
                guide: &OnceLock::new(),
                bound: &OnceLock::from(bound),
                second_worker: SecondWorker::Never,
            };
            let deadline = Instant::now() + Duration::from_secs(3);
            let (plan, search) = improve(
                &scenario,
                &candidates,
                &settings,
                start.clone(),
                start_value,
                Some(deadline),
                signals,
            )
            .expect("the regions solve");
            (plan, search, stop.load(Ordering::Relaxed))
        };
        // 5% above the start: the start is proven within 10%.
        let (plan, search, stopped) = run(start_value * 1.05);
        assert_eq!(search.regions, 0);
        assert!(stopped, "the regions tell the others to stop");
        assert_eq!(plan, start);
        // 20% above: the regions work on.
        let (plan, search, stopped) = run(start_value * 1.2);
        assert!(search.regions > 0);
        let planned = timetable_of(&scenario, &candidates, &plan);
        let violations = crate::verify::verify(&scenario, &planned);
        assert!(violations.is_empty(), "{violations:?}");
        assert!(!stopped || search.improved > 0);
    }
}
