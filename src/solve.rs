//! Solving a scenario with HiGHS and reading back the timetable, the solver's status, its
//! best bound and its gap.

use std::collections::HashMap;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use good_lp::Variable;
use good_lp::solvers::highs::highs;
use highs::{HighsModelStatus, HighsSolutionStatus};

use crate::candidates::Candidates;
use crate::domain::{Scenario, TeacherId};
use crate::greedy;
use crate::model::{CoverageTarget, Formulation};
use crate::plan::{self, PlannedClass};
use crate::regions::SecondWorker;
use crate::timetable::{SolveStatus, SolverReport, Timetable};

/// Which planner produces the timetable.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Engine {
    /// Chooses by size: [`Engine::Highs`] for a whole program of at most
    /// [`AUTO_WHOLE_PROGRAM_JOINS`] join decisions or with a coverage target, otherwise
    /// [`Engine::Regions`].
    #[default]
    Auto,
    /// The integer program, solved by HiGHS: proven optimal or with a proven gap.
    Highs,
    /// The greedy baseline: fill the class most learners could join, repeat.
    Greedy,
    /// The greedy plan, improved by ruin and recreate (module `local_search`) and then
    /// with HiGHS one region of nearby venues at a time while the rest of the plan stays:
    /// for provinces and larger, where the whole integer program is too big to solve in
    /// time. With a time limit, HiGHS works on the whole program (from 20,000 join
    /// decisions on, its relaxation) alongside for a bound; without one, no bound is
    /// proven.
    Regions,
}

/// The largest whole program, in [join decisions](Candidates::join_decisions), that
/// [`Engine::Auto`] hands to HiGHS in one piece. kina (2,017 join decisions, 2,422
/// variables) is proven optimal in about a second; a 1,500-learner part of the Antwerp
/// province (7,944 and 11,532) does not finish its root node in a minute (`BENCHMARKS.md`).
pub const AUTO_WHOLE_PROGRAM_JOINS: usize = 6_000;

impl Engine {
    /// Every engine, in the order help texts list them.
    pub const ALL: [Engine; 4] = [Engine::Auto, Engine::Highs, Engine::Greedy, Engine::Regions];

    /// The name used on the command line and in settings files.
    pub fn name(self) -> &'static str {
        match self {
            Engine::Auto => "auto",
            Engine::Highs => "highs",
            Engine::Greedy => "greedy",
            Engine::Regions => "regions",
        }
    }

    /// The engine that plans `scenario`: this one, or for [`Engine::Auto`] its choice, the
    /// whole program when it is small or has a coverage target (which only the whole
    /// program can meet), otherwise region by region.
    pub fn resolve(self, candidates: &Candidates, settings: &SolveSettings) -> Engine {
        if self != Engine::Auto {
            return self;
        }
        if settings.target.is_some() {
            return Engine::Highs;
        }
        let joins = candidates.join_decisions();
        if joins <= AUTO_WHOLE_PROGRAM_JOINS {
            Engine::Highs
        } else {
            tracing::info!(
                "the whole program has {joins} join decisions, more than HiGHS solves in one \
                 piece in good time ({AUTO_WHOLE_PROGRAM_JOINS}); planning region by region"
            );
            Engine::Regions
        }
    }

    /// The engine with this name.
    pub fn from_name(name: &str) -> Option<Engine> {
        Engine::ALL.into_iter().find(|engine| engine.name() == name)
    }

    /// The names, quoted, for messages: "auto", "highs", "greedy" or "regions".
    pub fn names_for_message() -> String {
        let quoted: Vec<String> = Engine::ALL
            .iter()
            .map(|e| format!("\"{}\"", e.name()))
            .collect();
        format!(
            "{} or {}",
            quoted[..quoted.len() - 1].join(", "),
            quoted[quoted.len() - 1]
        )
    }
}

/// Relative gaps at or below this are round-off (the specification's own objective
/// tolerance): the timetable is proven optimal.
const OPTIMALITY_GAP: f64 = 1e-6;

/// HiGHS's default relative gap (`mip_rel_gap`), at which it stops when none is asked for.
pub(crate) const DEFAULT_GAP: f64 = 1e-4;

/// How long and how hard the solver may work.
#[derive(Clone, Debug, PartialEq)]
pub struct SolveSettings {
    /// Which planner to use.
    pub engine: Engine,
    /// Hand HiGHS the greedy timetable as its first solution (otherwise the empty one).
    pub greedy_start: bool,
    /// Wall-clock limit for the solver, seconds.
    pub time_limit: Option<f64>,
    /// Stop when the relative gap between timetable and bound is at most this (HiGHS
    /// `mip_rel_gap`; its default is 1e-4).
    pub gap: Option<f64>,
    /// Solver threads.
    pub threads: Option<u32>,
    /// Solver random seed.
    pub seed: Option<u32>,
    /// Branch-and-bound node limit: a reproducible alternative to a time limit.
    pub node_limit: Option<u64>,
    /// HiGHS presolve on or off (`None`: HiGHS decides).
    pub presolve: Option<bool>,
    /// Share of branch-and-bound effort HiGHS spends on primal heuristics (its default is
    /// 0.05).
    pub heuristic_effort: Option<f64>,
    /// Let HiGHS print its own log to the console.
    pub solver_log: bool,
    /// Target mode: place at least this share of the learner-needs at the lowest cost,
    /// instead of maximising the section 6 objective. Only [`Engine::Highs`] reads it, and
    /// [`Engine::Auto`] chooses it then.
    pub target: Option<CoverageTarget>,
    /// Show how a region-by-region search stands on standard error, when it is a terminal.
    pub progress: bool,
    /// With a time limit, let [`Engine::Regions`] run the whole program alongside for a
    /// bound, on a second thread.
    pub bound_alongside: bool,
    /// Let [`Engine::Regions`] improve its first plan by ruin and recreate before the
    /// regions.
    pub ruin_and_recreate: bool,
}

impl Default for SolveSettings {
    fn default() -> Self {
        SolveSettings {
            engine: Engine::Auto,
            greedy_start: true,
            time_limit: None,
            gap: None,
            threads: None,
            seed: None,
            node_limit: None,
            presolve: None,
            heuristic_effort: None,
            solver_log: false,
            target: None,
            progress: false,
            bound_alongside: true,
            ruin_and_recreate: true,
        }
    }
}

/// From this many variables on, a whole program's root LP is solved with the interior-point
/// method: dual simplex stalls on a province's (Antwerp, 57,648 variables: unfinished after
/// 150 s, against a root bound after 42 s with interior point; `BENCHMARKS.md`). Smaller
/// programs keep HiGHS's default, which proves kina's optimum in a second.
pub(crate) const INTERIOR_POINT_ROOT_VARIABLES: usize = 20_000;

/// How one HiGHS run is timed and set up, beyond the user's settings.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Run {
    /// When the whole solve started: build times count from here.
    pub started: Instant,
    /// Seconds HiGHS may take.
    pub time_limit: Option<f64>,
    /// Instead of `time_limit`: HiGHS gets what is left until this instant once the model
    /// is built, and is waited for only a second longer (it runs beside another search
    /// that must not be held up).
    pub until: Option<Instant>,
    /// Log the model's size at info level (a whole program), not debug (a region).
    pub announce: bool,
    /// Solve the root LP with the interior-point method when the program has at least
    /// [`INTERIOR_POINT_ROOT_VARIABLES`] variables.
    pub interior_point_root: bool,
}

impl Run {
    /// A run of the whole program with the user's time limit.
    fn whole(settings: &SolveSettings, started: Instant) -> Run {
        Run {
            started,
            time_limit: settings.time_limit,
            until: None,
            announce: true,
            interior_point_root: true,
        }
    }

    /// A run of one region's program: quiet, with its own time limit, and dual simplex,
    /// which starts well from the current plan.
    pub(crate) fn region(started: Instant, time_limit: f64) -> Run {
        Run {
            started,
            time_limit: Some(time_limit),
            until: None,
            announce: false,
            interior_point_root: false,
        }
    }

    /// The same run with another time limit.
    fn limited(self, time_limit: Option<f64>) -> Run {
        Run { time_limit, ..self }
    }
}

/// Size of a formulation, for logs and benchmarks.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct ModelStats {
    /// Class options that may open.
    pub options: usize,
    /// Decision variables.
    pub variables: usize,
    /// Constraints.
    pub constraints: usize,
    /// Seconds spent enumerating candidates and building the model.
    pub build_seconds: f64,
}

/// A solved scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct Solved {
    /// The timetable, with the solver's report.
    pub timetable: Timetable,
    /// The model's size.
    pub stats: ModelStats,
}

/// Why a solve gave no timetable.
#[derive(Debug, thiserror::Error)]
pub enum SolveError {
    /// A limit was reached before the solver found any timetable.
    #[error("the solver reached its limit after {seconds:.1} s without finding a timetable")]
    NoSolution {
        /// Wall-clock seconds spent.
        seconds: f64,
    },
    /// Target mode: even with every optional resource the target cannot be reached.
    #[error(
        "no timetable reaches the coverage target of {:.1}%{}: the best reachable is {:.1}%{}",
        target.share * 100.0,
        if target.per_municipality { " in every municipality" } else { "" },
        best * 100.0,
        if *proven { "" } else { " (found within the time limit; more may be possible)" }
    )]
    TargetUnreachable {
        /// The target asked for.
        target: CoverageTarget,
        /// The best coverage found: overall, or the lowest municipality's share.
        best: f64,
        /// Whether `best` is proven the most any timetable reaches.
        proven: bool,
    },
    /// HiGHS failed (a bad option value, or an internal error).
    #[error("the solver failed: {0}")]
    Solver(String),
}

/// Plans a scenario with the chosen engine and returns the timetable.
pub fn solve(scenario: &Scenario, settings: &SolveSettings) -> Result<Solved, SolveError> {
    let started = Instant::now();
    let candidates = Candidates::new(scenario);
    match settings.engine.resolve(&candidates, settings) {
        Engine::Greedy => {
            let classes = greedy::plan(scenario, &candidates);
            let seconds = started.elapsed().as_secs_f64();
            let report = SolverReport {
                status: SolveStatus::Heuristic,
                objective: 0.0,
                best_bound: None,
                gap: None,
                seconds,
            };
            let planned = greedy::planned_classes(&candidates, &classes);
            let timetable = plan::timetable(scenario, &candidates, planned, report);
            let stats = ModelStats {
                options: candidates.options.len(),
                build_seconds: seconds,
                ..ModelStats::default()
            };
            Ok(Solved { timetable, stats })
        }
        Engine::Regions => solve_by_regions(scenario, &candidates, settings, started),
        Engine::Highs | Engine::Auto => match settings.target {
            None => solve_with_highs(scenario, &candidates, settings, started),
            Some(target) => solve_for_target(scenario, &candidates, settings, target, started),
        },
    }
}

/// Solves with HiGHS, from the greedy plan when asked for, and reads back the timetable.
fn solve_with_highs(
    scenario: &Scenario,
    candidates: &Candidates,
    settings: &SolveSettings,
    started: Instant,
) -> Result<Solved, SolveError> {
    let greedy_plan = settings
        .greedy_start
        .then(|| greedy::plan(scenario, candidates));
    let first = highs_attempt_from_start(
        scenario,
        candidates,
        settings,
        &|| Formulation::new(scenario, candidates),
        greedy_plan.as_deref().map(greedy_as_plan).as_deref(),
        Run::whole(settings, started),
    )?;
    let (stats, outcome) = (first.stats, first.outcome);
    let first_plan = || {
        greedy_plan
            .as_deref()
            .map(|classes| greedy::planned_classes(candidates, classes))
            .unwrap_or_default()
    };
    match outcome {
        Outcome::Empty(timetable) => Ok(Solved { timetable, stats }),
        Outcome::Infeasible => Err(SolveError::Solver(
            "HiGHS found the model infeasible, yet the empty timetable is feasible".to_string(),
        )),
        Outcome::Overran { seconds } => {
            tracing::warn!(
                "HiGHS did not stop at its time limit ({seconds:.0} s); keeping the first timetable"
            );
            let report = SolverReport {
                status: SolveStatus::TimeLimit,
                objective: 0.0,
                best_bound: None,
                gap: None,
                seconds,
            };
            let timetable = plan::timetable(scenario, candidates, first_plan(), report);
            Ok(Solved { timetable, stats })
        }
        Outcome::Solved { timetable, .. } => Ok(Solved { timetable, stats }),
    }
}

/// Runs HiGHS from `start` like [`highs_attempt`], guarding against a HiGHS quirk: it can
/// report the objective of the optimum it proved in its presolved space yet hand back the
/// columns of the start it was given. The timetable is then worth less than HiGHS says, so
/// HiGHS runs once more without the start while the time limit leaves time; that run
/// counts when it is at least as good, and running out of time in it keeps the first.
pub(crate) fn highs_attempt_from_start(
    scenario: &Scenario,
    candidates: &Candidates,
    settings: &SolveSettings,
    formulation: &dyn Fn() -> Formulation,
    start: Option<&[(usize, TeacherId, Vec<usize>)]>,
    run: Run,
) -> Result<Attempt, SolveError> {
    let attempt =
        |start, run| highs_attempt(scenario, candidates, settings, formulation(), start, run);
    let first = attempt(start, run)?;
    let Outcome::Solved {
        timetable,
        highs_objective,
        ..
    } = &first.outcome
    else {
        return Ok(first);
    };
    let tolerance = 1e-6 * highs_objective.abs().max(1.0);
    if start.is_none() || timetable.solver.objective >= highs_objective - tolerance {
        return Ok(first);
    }
    tracing::debug!(
        written = timetable.solver.objective,
        highs_objective,
        "HiGHS returned its start, not its optimum; solving again without the start"
    );
    let (spent, first_objective) = (timetable.solver.seconds, timetable.solver.objective);
    let remaining = run.time_limit.map(|limit| (limit - spent).max(0.0));
    if remaining.is_some_and(|seconds| seconds <= 0.0) {
        return Ok(first);
    }
    let again = match attempt(None, run.limited(remaining)) {
        Ok(again) => again,
        Err(SolveError::NoSolution { .. }) => return Ok(first),
        Err(error) => return Err(error),
    };
    match again.outcome {
        Outcome::Solved {
            mut timetable,
            highs_objective,
            plan,
        } if timetable.solver.objective >= first_objective => {
            timetable.solver.seconds += spent;
            Ok(Attempt {
                stats: again.stats,
                outcome: Outcome::Solved {
                    timetable,
                    highs_objective,
                    plan,
                },
            })
        }
        _ => Ok(first),
    }
}

/// Improves the greedy plan region by region ([`crate::regions`]) within the time limit.
///
/// With a time limit, HiGHS works on the whole program alongside, on the other core and
/// from the same greedy start: its bound becomes the plan's bound, so the timetable states
/// how far from the best possible it can be at most. Its own plan counts when it is better;
/// once it proves its plan optimal (within the requested gap) the regions stop, which on a
/// small scenario happens long before they would settle. From
/// [`RELAXATION_ALONGSIDE_JOINS`] on, only the whole program's relaxation runs alongside,
/// for the bound.
fn solve_by_regions(
    scenario: &Scenario,
    candidates: &Candidates,
    settings: &SolveSettings,
    started: Instant,
) -> Result<Solved, SolveError> {
    let greedy = greedy::plan(scenario, candidates);
    let first = greedy_as_plan(&greedy);
    let first_seconds = started.elapsed().as_secs_f64();
    let report = |status, seconds| SolverReport {
        status,
        objective: 0.0,
        best_bound: None,
        gap: None,
        seconds,
    };
    let value = plan_timetable(scenario, candidates, &first)
        .solver
        .objective;
    let deadline = settings
        .time_limit
        .map(|limit| started + Duration::from_secs_f64(limit));
    // Two HiGHS instances at once each get one thread (`threads` is per process in HiGHS).
    let joins = candidates.join_decisions();
    tracing::debug!(joins, "join decisions of the whole program");
    let alongside = deadline.filter(|_| settings.bound_alongside).filter(|_| {
        let small_enough = joins <= ALONGSIDE_MAX_JOINS;
        if !small_enough {
            tracing::info!(
                "the whole program has {joins} join decisions, too many for a bound in time \
                 ({ALONGSIDE_MAX_JOINS}); planning region by region without one"
            );
        }
        small_enough
    });
    let region_settings = SolveSettings {
        threads: if alongside.is_some() {
            Some(1)
        } else {
            settings.threads
        },
        ..settings.clone()
    };
    // The core the relaxation alongside used is free once it is solved; the whole program
    // alongside holds its core to the end.
    let second_worker = match alongside {
        Some(_) if joins >= RELAXATION_ALONGSIDE_JOINS => SecondWorker::OnceGuided,
        Some(_) => SecondWorker::Never,
        None if settings.threads == Some(1) => SecondWorker::Never,
        None => SecondWorker::Now,
    };
    let proven = AtomicBool::new(false);
    let guide = OnceLock::new();
    let bound = OnceLock::new();
    let (improved, beside) = thread::scope(|scope| {
        let whole = alongside.map(|deadline| {
            let (first, proven, guide, bound) = (&first, &proven, &guide, &bound);
            scope.spawn(move || {
                if joins >= RELAXATION_ALONGSIDE_JOINS {
                    relaxation_alongside(scenario, candidates, settings, deadline, guide, bound)
                } else {
                    whole_program_alongside(
                        scenario, candidates, settings, first, started, deadline, proven,
                    )
                }
            })
        });
        // Ruin and recreate searches on every core the regions would have, and stops
        // when they would.
        let requested_gap = settings.gap.unwrap_or(DEFAULT_GAP);
        let steering = crate::local_search::Steering {
            workers: &|| match second_worker {
                SecondWorker::Never => 1,
                SecondWorker::Now => 2,
                SecondWorker::OnceGuided => 1 + usize::from(guide.get().is_some()),
            },
            stop: &|value| {
                proven.load(Ordering::Relaxed)
                    || bound.get().is_some_and(|&bound| {
                        relative_gap(value, bound).is_some_and(|gap| gap <= requested_gap)
                    })
            },
        };
        let (start, start_value) = ruin_and_recreate(
            scenario, candidates, settings, &first, started, deadline, &steering,
        )
        .unwrap_or_else(|| (first.clone(), value));
        let improved = crate::regions::improve(
            scenario,
            candidates,
            &region_settings,
            start,
            start_value,
            deadline,
            crate::regions::Signals {
                stop: &proven,
                guide: &guide,
                bound: &bound,
                second_worker,
            },
        );
        (
            improved,
            whole.and_then(|handle| handle.join().ok().flatten()),
        )
    });
    let (plan, search) = improved?;
    tracing::info!(
        regions = search.regions,
        improved = search.improved,
        workers = search.workers,
        settled = search.settled,
        "region by region done"
    );
    let seconds = started.elapsed().as_secs_f64();
    let mut timetable = plan::timetable(
        scenario,
        candidates,
        planned_classes(candidates, &plan),
        report(SolveStatus::TimeLimit, seconds),
    );
    // Each region builds its own small model; the first plan is the greedy one.
    let mut stats = ModelStats {
        options: candidates.options.len(),
        build_seconds: first_seconds,
        ..ModelStats::default()
    };
    let mut best_bound = None;
    match beside {
        Some(Alongside::Relaxation(bound)) => {
            tracing::info!(
                bound = format_args!("{bound:.0}"),
                "relaxation alongside done"
            );
            best_bound = Some(bound);
        }
        Some(Alongside::Whole(whole)) => {
            tracing::info!(
                objective = format_args!("{:.0}", whole.timetable.solver.objective),
                bound = ?whole.timetable.solver.best_bound,
                "whole program alongside done"
            );
            best_bound = whole.timetable.solver.best_bound;
            stats.variables = whole.stats.variables;
            stats.constraints = whole.stats.constraints;
            if whole.timetable.solver.objective > timetable.solver.objective {
                timetable = whole.timetable;
            }
        }
        None => {}
    }
    let objective = timetable.solver.objective;
    let gap = best_bound.and_then(|bound| relative_gap(objective, bound));
    timetable.solver = SolverReport {
        status: match gap {
            Some(gap) if gap <= OPTIMALITY_GAP => SolveStatus::Optimal,
            Some(gap) if gap <= settings.gap.unwrap_or(DEFAULT_GAP) => SolveStatus::GapLimit,
            _ if search.settled => SolveStatus::Heuristic,
            _ => SolveStatus::TimeLimit,
        },
        objective,
        best_bound,
        gap,
        seconds,
    };
    Ok(Solved { timetable, stats })
}

/// Improves the first plan by ruin and recreate (module `local_search`) for
/// [`RUIN_AND_RECREATE_SHARE`] of the time limit, or without one for
/// [`RUIN_AND_RECREATE_STEPS_PER_VENUE`] steps per venue, before the regions re-plan it
/// exactly, on as many threads and for as long as `steering` allows; returns the plan and
/// its objective, or `None` when the settings leave it out.
fn ruin_and_recreate(
    scenario: &Scenario,
    candidates: &Candidates,
    settings: &SolveSettings,
    first: &Plan,
    started: Instant,
    deadline: Option<Instant>,
    steering: &crate::local_search::Steering<'_>,
) -> Option<(Plan, f64)> {
    if !settings.ruin_and_recreate {
        return None;
    }
    let limits = crate::local_search::Limits {
        deadline: deadline.map(|deadline| {
            started
                + deadline
                    .saturating_duration_since(started)
                    .mul_f64(RUIN_AND_RECREATE_SHARE)
        }),
        steps: deadline
            .is_none()
            .then(|| RUIN_AND_RECREATE_STEPS_PER_VENUE * scenario.venues.len() as u64),
        seed: u64::from(settings.seed.unwrap_or(0)),
    };
    let (plan, report) =
        crate::local_search::improve(scenario, candidates, first, limits, steering);
    let objective = plan_timetable(scenario, candidates, &plan).solver.objective;
    tracing::info!(
        steps = report.steps,
        improved = report.improved,
        objective = format_args!("{objective:.0}"),
        seconds = format_args!("{:.1}", started.elapsed().as_secs_f64()),
        "ruin and recreate done"
    );
    Some((plan, objective))
}

/// The share of the time limit that ruin and recreate takes before the regions. On four
/// generated Antwerp provinces, 60 s each, a half, three quarters and all of it gave mean
/// gaps of 3.2, 3.1 and 3.2%, against 6.9% with the regions alone (`BENCHMARKS.md`); a
/// half leaves the regions time to re-plan exactly what the quick search left.
const RUIN_AND_RECREATE_SHARE: f64 = 0.5;

/// Steps of ruin and recreate per venue without a time limit: about 2 s on the Antwerp
/// province (46 venues).
const RUIN_AND_RECREATE_STEPS_PER_VENUE: u64 = 500;

/// The largest whole program, in [join decisions](Candidates::join_decisions), for which
/// [`solve_by_regions`] runs HiGHS alongside the regions. On Flanders with 20,000 learners
/// (424,881) even the relaxation is not solved in ten minutes and takes 4.1 GB, while the
/// regions, with both threads, plan better without it.
const ALONGSIDE_MAX_JOINS: usize = 200_000;

/// HiGHS's relative gap between a plan's objective and a bound: `|bound - objective| /
/// |objective|`; none when the objective is 0 and the bound is not.
pub(crate) fn relative_gap(objective: f64, bound: f64) -> Option<f64> {
    let distance = (bound - objective).abs();
    if objective.abs() > 0.0 {
        Some(distance / objective.abs())
    } else {
        (distance == 0.0).then_some(0.0)
    }
}

/// From this many [join decisions](Candidates::join_decisions) on, [`solve_by_regions`]
/// runs only the linear relaxation alongside the regions, for its bound. Antwerp (34,807)
/// has its relaxation after 15 to 20 s of one thread, while the whole integer program's
/// root, with its cut rounds, is not done within the minute; below, the whole program
/// proves kina's optimum in a second and gives a 1,500-learner part of Antwerp (7,944) a
/// bound and plans of its own.
const RELAXATION_ALONGSIDE_JOINS: usize = 20_000;

/// How far the relaxation alongside must open a class option for the regions to consider
/// it once the relaxation is known (besides the plan's own classes). On four generated
/// Antwerp provinces, regions that knew the relaxation from the start ended a minute 2.1%
/// higher on average with 0.1, 1.4% with 0.3, and less with 0.001 (`BENCHMARKS.md`).
const GUIDE_OPENED: f64 = 0.1;

/// The share of the time limit the relaxation alongside may take. Its duals prove a bound
/// at any time, and the sooner they come, the sooner the regions are guided and the second
/// worker takes the core. On four generated Antwerp provinces PDLP's bound after 20 s of
/// the minute was within 0.4% of the interior-point method's after 40 to 49 s, and
/// within 0.03% on two of them (`BENCHMARKS.md`).
const RELAXATION_ALONGSIDE_SHARE: f64 = 1.0 / 3.0;

/// What ran alongside the regions delivered.
enum Alongside {
    /// The whole program: its plan and bound.
    Whole(Box<Solved>),
    /// The linear relaxation: its bound alone.
    Relaxation(f64),
}

/// Solves the whole program's relaxation with one thread until `deadline`, or for
/// [`RELAXATION_ALONGSIDE_SHARE`] of the time limit if that ends sooner, for
/// [`solve_by_regions`], and sets `bound` to the bound it proves and `guide` to the class
/// options it opens at least [`GUIDE_OPENED`]. `None` when it gives no usable result by
/// then: the regions' plan then has no bound, and `guide` holds every option, so that the
/// regions go on unguided with a second worker.
fn relaxation_alongside(
    scenario: &Scenario,
    candidates: &Candidates,
    settings: &SolveSettings,
    deadline: Instant,
    guide: &OnceLock<Vec<bool>>,
    bound: &OnceLock<f64>,
) -> Option<Alongside> {
    let left = deadline
        .saturating_duration_since(Instant::now())
        .as_secs_f64();
    let share = settings
        .time_limit
        .map_or(left, |limit| limit * RELAXATION_ALONGSIDE_SHARE);
    let settings = SolveSettings {
        threads: Some(1),
        time_limit: Some(left.min(share).max(1.0)),
        ..settings.clone()
    };
    match solve_relaxation(scenario, candidates, &settings) {
        Ok(relaxation) => {
            let opened = relaxation.opened.iter().map(|&open| open >= GUIDE_OPENED);
            let _ = bound.set(relaxation.bound);
            let _ = guide.set(opened.collect());
            Some(Alongside::Relaxation(relaxation.bound))
        }
        Err(error) => {
            tracing::info!("no bound: the relaxation alongside the regions ended: {error}");
            // Every option guided is no guide at all; setting it lets the second worker
            // take the core for the rest of the run.
            let _ = guide.set(vec![true; candidates.options.len()]);
            None
        }
    }
}

/// Solves the whole program from `start` with one thread until `deadline`, for
/// [`solve_by_regions`]; sets `proven` when HiGHS proves its plan within the requested gap.
/// `None` when HiGHS found nothing or failed: the regions' plan then stands alone.
fn whole_program_alongside(
    scenario: &Scenario,
    candidates: &Candidates,
    settings: &SolveSettings,
    start: &[(usize, TeacherId, Vec<usize>)],
    started: Instant,
    deadline: Instant,
    proven: &AtomicBool,
) -> Option<Alongside> {
    let settings = SolveSettings {
        threads: Some(1),
        ..settings.clone()
    };
    let attempt = highs_attempt_from_start(
        scenario,
        candidates,
        &settings,
        &|| Formulation::new(scenario, candidates),
        Some(start),
        Run {
            until: Some(deadline),
            ..Run::whole(&settings, started)
        },
    );
    let attempt = match attempt {
        Ok(attempt) => attempt,
        Err(SolveError::NoSolution { .. }) => return None,
        Err(error) => {
            tracing::warn!("the whole program alongside the regions failed: {error}");
            return None;
        }
    };
    match attempt.outcome {
        Outcome::Solved { timetable, .. } | Outcome::Empty(timetable) => {
            if matches!(
                timetable.solver.status,
                SolveStatus::Optimal | SolveStatus::GapLimit
            ) {
                proven.store(true, Ordering::Relaxed);
            }
            Some(Alongside::Whole(Box::new(Solved {
                timetable,
                stats: attempt.stats,
            })))
        }
        Outcome::Infeasible | Outcome::Overran { .. } => None,
    }
}

/// Target mode: first the cheapest classes that reach the target, then, with those classes
/// fixed, the section 6 objective decides who joins them, so that no seat paid for stays
/// empty while someone could take it.
fn solve_for_target(
    scenario: &Scenario,
    candidates: &Candidates,
    settings: &SolveSettings,
    target: CoverageTarget,
    started: Instant,
) -> Result<Solved, SolveError> {
    let remaining = |spent: f64| settings.time_limit.map(|limit| (limit - spent).max(1.0));
    let mut cheapest = Formulation::new(scenario, candidates);
    cheapest.require_coverage(scenario, candidates, target);
    cheapest.minimise_cost(scenario, candidates);
    let first = highs_attempt(
        scenario,
        candidates,
        settings,
        cheapest,
        None,
        Run::whole(settings, started),
    )?;
    let (report, plan) = match first.outcome {
        Outcome::Empty(timetable) => {
            let reached = coverage(&timetable, target.per_municipality);
            if reached + 1e-9 < target.share {
                return Err(SolveError::TargetUnreachable {
                    target,
                    best: reached,
                    proven: true,
                });
            }
            return Ok(Solved {
                timetable,
                stats: first.stats,
            });
        }
        Outcome::Overran { seconds } => return Err(SolveError::NoSolution { seconds }),
        Outcome::Infeasible => {
            let spent = started.elapsed().as_secs_f64();
            let mut most = Formulation::new(scenario, candidates);
            most.maximise_coverage(scenario, candidates, target.per_municipality);
            let best = highs_attempt(
                scenario,
                candidates,
                settings,
                most,
                None,
                Run::whole(settings, started).limited(remaining(spent)),
            )?;
            let (best, proven) = match best.outcome {
                Outcome::Solved { timetable, .. } => (
                    coverage(&timetable, target.per_municipality),
                    timetable.solver.status == SolveStatus::Optimal,
                ),
                _ => (0.0, false),
            };
            return Err(SolveError::TargetUnreachable {
                target,
                best,
                proven,
            });
        }
        Outcome::Solved {
            timetable, plan, ..
        } => (timetable.solver, plan),
    };
    let mut filled = Formulation::new(scenario, candidates);
    filled.require_coverage(scenario, candidates, target);
    let kept: Vec<(usize, TeacherId)> = plan.iter().map(|(o, t, _)| (*o, *t)).collect();
    filled.keep_classes(&kept);
    let second = highs_attempt(
        scenario,
        candidates,
        settings,
        filled,
        Some(&plan),
        Run::whole(settings, started).limited(remaining(report.seconds)),
    )?;
    match second.outcome {
        Outcome::Solved { mut timetable, .. } => {
            // The status and gap are those of the cost minimisation: its bound is on cost,
            // not on the section 6 objective, so no bound is written.
            timetable.solver = SolverReport {
                objective: timetable.solver.objective,
                best_bound: None,
                seconds: report.seconds + timetable.solver.seconds,
                ..report
            };
            Ok(Solved {
                timetable,
                stats: second.stats,
            })
        }
        _ => Err(SolveError::Solver(
            "filling the cheapest classes failed although they reach the target".to_string(),
        )),
    }
}

/// Coverage of a timetable: overall, or the lowest municipality share.
fn coverage(timetable: &Timetable, per_municipality: bool) -> f64 {
    let summary = &timetable.summary;
    if per_municipality {
        summary
            .by_municipality
            .iter()
            .map(|m| m.placed as f64 / m.needs as f64)
            .fold(1.0, f64::min)
    } else if summary.needs == 0 {
        1.0
    } else {
        summary.placed as f64 / summary.needs as f64
    }
}

/// A plan as (class option, teacher, needs) triples.
pub(crate) type Plan = Vec<(usize, TeacherId, Vec<usize>)>;

pub(crate) fn greedy_as_plan(classes: &[greedy::GreedyClass]) -> Plan {
    classes
        .iter()
        .map(|class| (class.option, class.teacher, class.needs.clone()))
        .collect()
}

/// How one HiGHS run ended.
pub(crate) enum Outcome {
    /// The model had no variables: the empty timetable, optimal.
    Empty(Timetable),
    /// HiGHS proved that no solution exists (only possible with a coverage target).
    Infeasible,
    /// HiGHS was still working a grace period after its time limit.
    Overran {
        /// Seconds waited.
        seconds: f64,
    },
    /// HiGHS finished with a timetable.
    Solved {
        /// The timetable read from HiGHS's columns.
        timetable: Timetable,
        /// The objective HiGHS reports for it.
        highs_objective: f64,
        /// The chosen classes.
        plan: Plan,
    },
}

/// One HiGHS run with the model's size.
pub(crate) struct Attempt {
    pub(crate) stats: ModelStats,
    pub(crate) outcome: Outcome,
}

/// Builds the integer program and runs HiGHS once, from the greedy plan when given. With
/// `announce`, the model's size is logged as news rather than as detail.
pub(crate) fn highs_attempt(
    scenario: &Scenario,
    candidates: &Candidates,
    settings: &SolveSettings,
    formulation: Formulation,
    start_plan: Option<&[(usize, TeacherId, Vec<usize>)]>,
    run: Run,
) -> Result<Attempt, SolveError> {
    let Run {
        started,
        time_limit,
        until,
        announce,
        interior_point_root,
    } = run;
    let mut stats = ModelStats {
        options: formulation.classes.len(),
        variables: formulation.variable_count(),
        constraints: formulation.constraints.len(),
        build_seconds: 0.0,
    };
    let columns = formulation.columns();

    if columns.is_empty() {
        // Nothing can open: the empty timetable is the only one and so optimal. HiGHS
        // reports an empty model as an error, so it is not asked.
        stats.build_seconds = started.elapsed().as_secs_f64();
        let report = SolverReport {
            status: SolveStatus::Optimal,
            objective: 0.0,
            best_bound: None,
            gap: Some(0.0),
            seconds: 0.0,
        };
        let mut timetable = plan::timetable(scenario, candidates, Vec::new(), report);
        timetable.solver.best_bound = Some(timetable.solver.objective);
        return Ok(Attempt {
            stats,
            outcome: Outcome::Empty(timetable),
        });
    }

    let start = start_plan.map(|plan| {
        formulation.start_values(
            scenario,
            candidates,
            plan,
            |var| columns.get(&var).copied(),
            columns.len(),
        )
    });
    let (problem, decisions) = formulation.into_problem(highs);
    let mut model = problem
        .try_into_inner()
        .map_err(|e| SolveError::Solver(e.to_string()))?;
    stats.build_seconds = started.elapsed().as_secs_f64();
    let built = format!(
        "model built: {} class options, {} variables, {} constraints, {:.2} s",
        stats.options, stats.variables, stats.constraints, stats.build_seconds
    );
    if announce {
        tracing::info!("{built}");
    } else {
        tracing::debug!("{built}");
    }

    apply_settings(&mut model, settings)?;
    if interior_point_root && stats.variables >= INTERIOR_POINT_ROOT_VARIABLES {
        set_option(&mut model, "mip_lp_solver", "ipm")?;
    }
    let (time_limit, grace) = match until {
        Some(until) => {
            let left = until
                .saturating_duration_since(Instant::now())
                .as_secs_f64();
            (Some(left.max(1.0)), Duration::from_secs(1))
        }
        None => (
            time_limit,
            GRACE_FIXED
                + time_limit.map_or(Duration::ZERO, |limit| {
                    Duration::from_secs_f64(limit * GRACE_SHARE)
                }),
        ),
    };
    if let Some(limit) = time_limit {
        set_option(&mut model, "time_limit", limit)?;
    }
    if let Some(start) = &start {
        model
            .try_set_solution(Some(start), None, None, None)
            .map_err(|e| SolveError::Solver(format!("initial solution refused: {e:?}")))?;
    }

    let solve_started = Instant::now();
    let Some(solved) = run_with_deadline(model, time_limit, grace) else {
        let seconds = solve_started.elapsed().as_secs_f64();
        return Ok(Attempt {
            stats,
            outcome: Outcome::Overran { seconds },
        });
    };
    let solved = solved.map_err(|e| SolveError::Solver(format!("{e:?}")))?;
    let seconds = solve_started.elapsed().as_secs_f64();
    let status = match solved.status() {
        HighsModelStatus::Infeasible => {
            return Ok(Attempt {
                stats,
                outcome: Outcome::Infeasible,
            });
        }
        HighsModelStatus::Optimal => {
            // A gap at round-off level is a proof of optimality, not a stop at a limit.
            if solved.mip_gap().is_finite() && solved.mip_gap() > OPTIMALITY_GAP {
                SolveStatus::GapLimit
            } else {
                SolveStatus::Optimal
            }
        }
        HighsModelStatus::ReachedTimeLimit
        | HighsModelStatus::ReachedIterationLimit
        | HighsModelStatus::ReachedSolutionLimit
        | HighsModelStatus::ReachedInterrupt
        | HighsModelStatus::ReachedMemoryLimit => SolveStatus::TimeLimit,
        other => return Err(SolveError::Solver(format!("HiGHS ended with {other:?}"))),
    };
    if solved.primal_solution_status() != HighsSolutionStatus::Feasible {
        return Err(SolveError::NoSolution { seconds });
    }
    let best_bound = solved
        .double_info_value(c"mip_dual_bound")
        .ok()
        .filter(|b| b.is_finite());
    let gap = Some(solved.mip_gap()).filter(|g| g.is_finite());
    let values = ColumnValues {
        values: solved.get_solution().columns().to_vec(),
        columns,
    };

    let plan = crate::model::chosen_classes(&decisions, candidates, |var| values.value(var));
    let classes = planned_classes(candidates, &plan);
    let highs_objective = solved.objective_value();
    let report = SolverReport {
        status,
        objective: highs_objective,
        best_bound,
        gap,
        seconds,
    };
    let timetable = plan::timetable(scenario, candidates, classes, report);
    Ok(Attempt {
        stats,
        outcome: Outcome::Solved {
            timetable,
            highs_objective,
            plan,
        },
    })
}

/// A HiGHS model moved to the thread that solves it.
struct SolvingModel(highs::Model);

// SAFETY: the model is created on one thread and then used only by the solving thread it is
// moved to; HiGHS keeps no reference to the creating thread.
unsafe impl Send for SolvingModel {}

/// How long roosteraar waits for HiGHS past its time limit: this share of the limit plus
/// [`GRACE_FIXED`].
const GRACE_SHARE: f64 = 0.05;

/// The fixed part of the wait past HiGHS's time limit.
const GRACE_FIXED: Duration = Duration::from_secs(2);

/// Runs HiGHS; with a time limit, gives up waiting `grace` after the limit.
///
/// HiGHS checks its time limit often, but not in every phase: on large models its MIP set-up
/// can run for minutes without looking. A planner who asked for 60 seconds gets an answer
/// soon after; the abandoned solve runs on in the background until the process ends.
fn run_with_deadline(
    model: highs::Model,
    time_limit: Option<f64>,
    grace: Duration,
) -> Option<Result<highs::SolvedModel, highs::HighsStatus>> {
    let Some(limit) = time_limit else {
        return Some(model.try_solve());
    };
    let (sender, receiver) = mpsc::channel();
    let solving = SolvingModel(model);
    thread::spawn(move || {
        let solving = solving;
        let _ = sender.send(SolvedModel(solving.0.try_solve()));
    });
    receiver
        .recv_timeout(Duration::from_secs_f64(limit) + grace)
        .ok()
        .map(|solved| solved.0)
}

/// A solved HiGHS model sent back from the solving thread.
struct SolvedModel(Result<highs::SolvedModel, highs::HighsStatus>);

// SAFETY: as for `SolvingModel`: the solving thread hands the model over and never touches
// it again.
unsafe impl Send for SolvedModel {}

/// The timetable of a plan as it stands, with its section 6 objective and no solver
/// figures (status `heuristic`).
pub(crate) fn plan_timetable(
    scenario: &Scenario,
    candidates: &Candidates,
    plan: &Plan,
) -> Timetable {
    let report = SolverReport {
        status: SolveStatus::Heuristic,
        objective: 0.0,
        best_bound: None,
        gap: None,
        seconds: 0.0,
    };
    plan::timetable(
        scenario,
        candidates,
        planned_classes(candidates, plan),
        report,
    )
}

/// The classes a plan stands for, each with its course, format, room, teacher and learners.
pub(crate) fn planned_classes(candidates: &Candidates, plan: &Plan) -> Vec<PlannedClass> {
    plan.iter()
        .map(|(option, teacher, joined)| {
            let class = &candidates.options[*option];
            PlannedClass {
                course: class.course,
                format: class.format,
                room: class.room,
                teacher: *teacher,
                learners: joined
                    .iter()
                    .map(|&n| candidates.needs[n].learner)
                    .collect(),
            }
        })
        .collect()
}

/// How close HiGHS's first-order method (PDLP) brings a large relaxation's primal and dual
/// objectives (`pdlp_optimality_tolerance`, default 1e-7), and how far its iterate may
/// break rows and dual rows (`primal_feasibility_tolerance`, `dual_feasibility_tolerance`,
/// default 1e-7), before it stops. The bound comes from the duals whatever their accuracy
/// ([`DualBound`]), so loose tolerances cost only a slightly weaker bound. On Antwerp the
/// duals settle long before the rows hold to 1e-7 (`BENCHMARKS.md`).
///
/// [`DualBound`]: crate::model::DualBound
const RELAXATION_PDLP_GAP: f64 = 1e-4;
/// See [`RELAXATION_PDLP_GAP`].
const RELAXATION_PDLP_FEASIBILITY: f64 = 1e-3;

/// How close a relaxation stopped at its time or iteration limit must be to the bound its
/// duals prove, relative to the relaxation's value, for its result to count. Near the
/// optimum PDLP's primal and dual objectives meet: on four generated Antwerp provinces
/// stopped after 20 s they were 0.002 to 0.54% apart.
const RELAXATION_STOPPED_AGREEMENT: f64 = 0.01;

/// A bound from the whole program's linear relaxation (every decision allowed between 0
/// and 1): an upper bound on the objective of every timetable of the scenario, proven
/// without branching from the relaxation's duals ([`DualBound`]). Large programs (from
/// 20,000 variables) are solved with HiGHS's first-order method (PDLP) to loose tolerances
/// (an optimality tolerance of 1e-4), since the duals give a proven bound at any accuracy;
/// at the time limit the bound comes from the duals reached by then, if the relaxation's
/// value is within 1% of it.
///
/// [`DualBound`]: crate::model::DualBound
pub fn relaxation_bound(
    scenario: &Scenario,
    candidates: &Candidates,
    settings: &SolveSettings,
) -> Result<f64, SolveError> {
    solve_relaxation(scenario, candidates, settings).map(|relaxation| relaxation.bound)
}

/// What the whole program's linear relaxation says.
pub(crate) struct Relaxation {
    /// The bound its duals prove: see [`relaxation_bound`].
    pub bound: f64,
    /// Per class option (index into [`Candidates::options`]), how far the relaxation opens
    /// it, between 0 and 1.
    pub opened: Vec<f64>,
}

/// Solves the whole program's linear relaxation; see [`relaxation_bound`].
pub(crate) fn solve_relaxation(
    scenario: &Scenario,
    candidates: &Candidates,
    settings: &SolveSettings,
) -> Result<Relaxation, SolveError> {
    solve_relaxation_with(scenario, candidates, settings, RelaxationMethod::default())
}

/// How [`solve_relaxation_with`] solves a relaxation, where it departs from the default.
#[derive(Clone, Copy, Debug, Default)]
struct RelaxationMethod {
    /// By HiGHS's first-order method (`true`) or by simplex (`false`); by default the
    /// first-order method from [`INTERIOR_POINT_ROOT_VARIABLES`] variables on.
    first_order: Option<bool>,
    /// Stop the first-order method after this many iterations: like the time limit, but
    /// the same on every machine.
    iteration_limit: Option<i32>,
}

/// [`solve_relaxation`] by the given method.
fn solve_relaxation_with(
    scenario: &Scenario,
    candidates: &Candidates,
    settings: &SolveSettings,
    method: RelaxationMethod,
) -> Result<Relaxation, SolveError> {
    let formulation = Formulation::new(scenario, candidates);
    let mut opened = vec![0.0; candidates.options.len()];
    if formulation.variable_count() == 0 {
        // Nothing can open; HiGHS rejects an empty model.
        return Ok(Relaxation { bound: 0.0, opened });
    }
    let large = method
        .first_order
        .unwrap_or(formulation.variable_count() >= INTERIOR_POINT_ROOT_VARIABLES);
    let columns = formulation.columns();
    let open_columns: Vec<(usize, usize)> = formulation
        .classes
        .iter()
        .map(|class| (class.option, columns[&class.open]))
        .collect();
    let dual_bound = formulation.dual_bound();
    let (problem, _) = formulation.into_problem(highs);
    let mut model = problem
        .try_into_inner()
        .map_err(|e| SolveError::Solver(e.to_string()))?;
    apply_settings(&mut model, settings)?;
    set_option(&mut model, "solve_relaxation", true)?;
    if large {
        // The interior-point method takes 40 s on Antwerp, one second per iteration; PDLP's
        // duals are as good after 20 s or less (`BENCHMARKS.md`).
        set_option(&mut model, "solver", "pdlp")?;
        set_option(&mut model, "run_crossover", "off")?;
        set_option(&mut model, "pdlp_optimality_tolerance", RELAXATION_PDLP_GAP)?;
        for tolerance in ["primal_feasibility_tolerance", "dual_feasibility_tolerance"] {
            set_option(&mut model, tolerance, RELAXATION_PDLP_FEASIBILITY)?;
        }
        if let Some(limit) = method.iteration_limit {
            set_option(&mut model, "pdlp_iteration_limit", limit)?;
        }
    }
    if let Some(limit) = settings.time_limit {
        set_option(&mut model, "time_limit", limit)?;
    }
    let solved = run_with_deadline(model, settings.time_limit, GRACE_FIXED)
        .ok_or_else(|| SolveError::Solver("HiGHS overran its time limit".to_owned()))?
        .map_err(|e| SolveError::Solver(format!("{e:?}")))?;
    match solved.status() {
        // `Unknown`: PDLP stopped at its tolerances, but HiGHS's own check of the result
        // uses tighter ones. At the time or iteration limit: what was reached by then. The
        // duals prove a bound either way.
        status @ (HighsModelStatus::Optimal
        | HighsModelStatus::Unknown
        | HighsModelStatus::ReachedTimeLimit
        | HighsModelStatus::ReachedIterationLimit) => {
            let solution = solved.get_solution();
            let values = solution.columns();
            for (option, column) in open_columns {
                opened[option] = values.get(column).copied().unwrap_or(0.0);
            }
            let bound = dual_bound.bound(solution.dual_rows()).ok_or_else(|| {
                SolveError::Solver("HiGHS's duals of the relaxation give no bound".to_owned())
            })?;
            let relaxation = solved.objective_value();
            tracing::debug!(relaxation, bound, ?status, "relaxation solved");
            // Stopped early, PDLP may hand back an iterate far from the optimum (on one
            // generated province, all zeros and a bound 15 times the optimum's): its bound
            // holds but says little, and its opened options would mislead the guide.
            let stopped = matches!(
                status,
                HighsModelStatus::ReachedTimeLimit | HighsModelStatus::ReachedIterationLimit
            );
            let settled = relative_gap(relaxation, bound)
                .is_some_and(|gap| gap <= RELAXATION_STOPPED_AGREEMENT);
            if stopped && !settled {
                return Err(SolveError::Solver(format!(
                    "the relaxation was stopped before it settled: its value {relaxation:.0} \
                     and the bound {bound:.0} from its duals are too far apart"
                )));
            }
            Ok(Relaxation { bound, opened })
        }
        other => Err(SolveError::Solver(format!(
            "HiGHS ended the relaxation with {other:?}"
        ))),
    }
}

/// Passes the user's limits and the reproducibility settings to HiGHS.
fn apply_settings(model: &mut highs::Model, settings: &SolveSettings) -> Result<(), SolveError> {
    let as_int = |value: u64| i32::try_from(value).unwrap_or(i32::MAX);
    set_option(model, "output_flag", settings.solver_log)?;
    set_option(model, "log_to_console", settings.solver_log)?;
    if let Some(gap) = settings.gap {
        set_option(model, "mip_rel_gap", gap)?;
    }
    if let Some(threads) = settings.threads {
        set_option(model, "threads", as_int(threads.into()))?;
    }
    if let Some(seed) = settings.seed {
        set_option(model, "random_seed", as_int(seed.into()))?;
    }
    if let Some(presolve) = settings.presolve {
        set_option(model, "presolve", if presolve { "on" } else { "off" })?;
    }
    if let Some(effort) = settings.heuristic_effort {
        set_option(model, "mip_heuristic_effort", effort)?;
    }
    if let Some(nodes) = settings.node_limit {
        set_option(model, "mip_max_nodes", as_int(nodes))?;
    }
    Ok(())
}

fn set_option<V: highs::HighsOptionValue>(
    model: &mut highs::Model,
    name: &str,
    value: V,
) -> Result<(), SolveError> {
    model
        .try_set_option(name, value)
        .map_err(|e| SolveError::Solver(format!("option {name}: {e:?}")))
}

/// Column values of a HiGHS solution, read through good_lp variables.
struct ColumnValues {
    values: Vec<f64>,
    columns: HashMap<Variable, usize>,
}

impl ColumnValues {
    fn value(&self, variable: Variable) -> f64 {
        self.columns
            .get(&variable)
            .and_then(|&column| self.values.get(column))
            .copied()
            .unwrap_or(0.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// kina's scenario and candidates, with one reproducible HiGHS thread.
    fn kina() -> (Scenario, Candidates, SolveSettings) {
        let (scenario, candidates) = crate::testing::kina();
        let settings = SolveSettings {
            threads: Some(1),
            seed: Some(1),
            ..SolveSettings::default()
        };
        (scenario, candidates, settings)
    }

    fn by_simplex() -> RelaxationMethod {
        RelaxationMethod {
            first_order: Some(false),
            ..RelaxationMethod::default()
        }
    }

    fn first_order(iteration_limit: Option<i32>) -> RelaxationMethod {
        RelaxationMethod {
            first_order: Some(true),
            iteration_limit,
        }
    }

    /// The first-order method's loose tolerances cost the bound little: on kina its bound
    /// from the duals holds (at least the exact relaxation's value, which simplex gives)
    /// and is within 1% of it.
    #[test]
    fn the_first_order_relaxation_gives_a_bound_close_to_the_exact_one() {
        let (scenario, candidates, settings) = kina();
        let exact = solve_relaxation_with(&scenario, &candidates, &settings, by_simplex())
            .expect("simplex solves kina's relaxation");
        let first_order =
            solve_relaxation_with(&scenario, &candidates, &settings, first_order(None))
                .expect("PDLP solves kina's relaxation");
        assert!(
            first_order.bound >= exact.bound * (1.0 - 1e-9),
            "PDLP's bound {} below the exact relaxation {}",
            first_order.bound,
            exact.bound
        );
        assert!(
            first_order.bound <= exact.bound * 1.01,
            "PDLP's bound {} is not close to the exact relaxation {}",
            first_order.bound,
            exact.bound
        );
    }

    /// A relaxation stopped early counts only once its value and bound agree: on kina 20
    /// PDLP iterations leave them far apart, 400 bring them within 1% though short of the
    /// tolerances, and the bound then still holds.
    #[test]
    fn a_relaxation_stopped_early_counts_only_once_it_has_settled() {
        let (scenario, candidates, settings) = kina();
        let error = solve_relaxation_with(&scenario, &candidates, &settings, first_order(Some(20)))
            .err()
            .expect("20 PDLP iterations do not settle kina's relaxation");
        assert!(
            error.to_string().contains("stopped before it settled"),
            "unexpected error: {error}"
        );
        let exact = solve_relaxation_with(&scenario, &candidates, &settings, by_simplex())
            .expect("simplex solves kina's relaxation")
            .bound;
        let settled =
            solve_relaxation_with(&scenario, &candidates, &settings, first_order(Some(400)))
                .expect("400 PDLP iterations settle kina's relaxation");
        assert!(
            (exact * (1.0 - 1e-9)..=exact * 1.01).contains(&settled.bound),
            "the bound {} after 400 iterations against the exact relaxation {exact}",
            settled.bound
        );
    }
}
