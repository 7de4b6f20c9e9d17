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
//! relaxation is known, a region considers only the class options it opens and the plan's.

use std::collections::HashSet;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

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

/// What the search did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Search {
    /// Regions solved.
    pub regions: usize,
    /// Regions whose plan was better than the one before.
    pub improved: usize,
    /// Whether the search stopped on its own: a whole round over every region found nothing
    /// better, and there was no time limit to widen the regions for (or they already
    /// spanned every venue).
    pub settled: bool,
}

/// What the solver running alongside the regions tells them.
pub(crate) struct Signals<'a> {
    /// Set when it proved a plan within the requested gap: the regions stop.
    pub stop: &'a AtomicBool,
    /// Set once the whole program's relaxation is solved: per class option, whether the
    /// relaxation opens it enough for the regions to consider it.
    pub guide: &'a OnceLock<Vec<bool>>,
}

/// Improves `plan` region by region until `deadline`, or, without one, until a whole round
/// over every venue finds nothing better. With a deadline, such a round makes the regions
/// larger and their time longer instead. Stops early when `signals.stop` is set, and
/// follows `signals.guide` once it is. Returns the best plan found and what was done.
pub(crate) fn improve(
    scenario: &Scenario,
    candidates: &Candidates,
    settings: &SolveSettings,
    mut plan: Plan,
    mut value: f64,
    deadline: Option<Instant>,
    signals: Signals<'_>,
) -> Result<(Plan, Search), SolveError> {
    let Signals { stop, guide } = signals;
    let centres = seed_order(scenario);
    let mut search = Search::default();
    let shown = crate::progress::Progress::spinner(settings.progress);
    let say = |search: &Search, value: f64| {
        shown.say(format!(
            "region by region: {} regions re-planned, {} better; objective {value:.0}",
            search.regions, search.improved
        ));
    };
    say(&search, value);
    if centres.is_empty() {
        search.settled = true;
        return Ok((plan, search));
    }
    let mut size = FIRST_REGION_VENUES.min(scenario.venues.len());
    let mut region_seconds = REGION_SECONDS;
    // Regions tried since the plan last changed, by centre.
    let mut unchanged = vec![false; centres.len()];
    let mut next = 0;
    loop {
        if stop.load(Ordering::Relaxed) {
            break;
        }
        let left = deadline.map(|deadline| deadline.saturating_duration_since(Instant::now()));
        if left.is_some_and(|left| left.as_secs_f64() < 1.0) {
            break;
        }
        if unchanged.iter().all(|&done| done) {
            // A whole round found nothing. With time left, look wider and longer: larger
            // regions reach improvements the small ones cannot.
            if deadline.is_none() || size == scenario.venues.len() {
                search.settled = true;
                break;
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
        let region = nearest_venues(scenario, centres[centre], size);
        let limit = left
            .map_or(region_seconds, |left| {
                left.as_secs_f64().min(region_seconds)
            })
            .max(1.0);
        let started = Instant::now();
        let solved = solve_region(
            scenario,
            candidates,
            settings,
            &region,
            &plan,
            guide.get().map(Vec::as_slice),
            limit,
        )?;
        search.regions += 1;
        let seconds = started.elapsed().as_secs_f64();
        say(&search, value);
        let Some((timetable, better)) = solved else {
            // Nothing to decide here, or HiGHS overran: try the next region, smaller.
            unchanged[centre] = true;
            size = size.saturating_sub(1).max(1);
            continue;
        };
        let optimal = timetable
            .solver
            .gap
            .is_some_and(|gap| gap <= settings.gap.unwrap_or(1e-4));
        tracing::debug!(
            region = centre,
            venues = size,
            seconds = format_args!("{seconds:.1}"),
            objective = timetable.solver.objective,
            optimal,
            "region solved"
        );
        if timetable.solver.objective > value + 1e-6 * value.abs().max(1.0) {
            tracing::info!(
                objective = format_args!("{:.0}", timetable.solver.objective),
                placed = timetable.summary.placed,
                "better plan"
            );
            value = timetable.solver.objective;
            plan = better;
            search.improved += 1;
            unchanged.fill(false);
            say(&search, value);
        }
        unchanged[centre] = true;
        if optimal && seconds < limit / 4.0 {
            size = (size + 1).min(scenario.venues.len());
        } else if !optimal {
            size = size.saturating_sub(1).max(1);
        }
    }
    Ok((plan, search))
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

/// The `count` venues nearest to `centre`, itself first.
fn nearest_venues(scenario: &Scenario, centre: VenueId, count: usize) -> Vec<VenueId> {
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

    /// A region re-planned with a relaxation's guide opens only what the guide or the plan
    /// holds, and still finds the best plan when the guide holds it.
    #[test]
    fn a_guided_region_opens_only_what_the_guide_or_the_plan_holds() {
        let scenario = crate::input::load_scenario_str(
            include_str!("../instances/tiny.toml"),
            std::path::Path::new("tiny.toml"),
        )
        .expect("the bundled tiny scenario is valid");
        let candidates = Candidates::new(&scenario);
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
}
