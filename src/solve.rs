//! Solving a scenario with HiGHS and reading back the timetable, the solver's status, its
//! best bound and its gap.

use std::collections::HashMap;
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
use crate::timetable::{SolveStatus, SolverReport, Timetable};

/// Which planner produces the timetable.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Engine {
    /// The integer program, solved by HiGHS: proven optimal or with a proven gap.
    #[default]
    Highs,
    /// The greedy baseline: fill the class most learners could join, repeat.
    Greedy,
    /// The greedy plan, improved with HiGHS one region of nearby venues at a time while
    /// the rest of the plan stays: for provinces and larger, where the whole integer
    /// program is too big to solve in time. Proves no bound.
    Regions,
}

impl Engine {
    /// Every engine, in the order help texts list them.
    pub const ALL: [Engine; 3] = [Engine::Highs, Engine::Greedy, Engine::Regions];

    /// The name used on the command line and in settings files.
    pub fn name(self) -> &'static str {
        match self {
            Engine::Highs => "highs",
            Engine::Greedy => "greedy",
            Engine::Regions => "regions",
        }
    }

    /// The engine with this name.
    pub fn from_name(name: &str) -> Option<Engine> {
        Engine::ALL.into_iter().find(|engine| engine.name() == name)
    }

    /// The names, quoted, for messages: "highs", "greedy" or "regions".
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
    /// instead of maximising the section 6 objective. Only [`Engine::Highs`] reads it.
    pub target: Option<CoverageTarget>,
    /// Show how a region-by-region search stands on standard error, when it is a terminal.
    pub progress: bool,
}

impl Default for SolveSettings {
    fn default() -> Self {
        SolveSettings {
            engine: Engine::Highs,
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
        }
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
    match settings.engine {
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
        Engine::Highs => match settings.target {
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
        settings.time_limit,
        started,
        true,
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
/// HiGHS runs once more without the start while `time_limit` leaves time; that run counts
/// when it is at least as good, and running out of time in it keeps the first.
pub(crate) fn highs_attempt_from_start(
    scenario: &Scenario,
    candidates: &Candidates,
    settings: &SolveSettings,
    formulation: &dyn Fn() -> Formulation,
    start: Option<&[(usize, TeacherId, Vec<usize>)]>,
    time_limit: Option<f64>,
    started: Instant,
    announce: bool,
) -> Result<Attempt, SolveError> {
    let attempt = |start, time_limit| {
        highs_attempt(
            scenario,
            candidates,
            settings,
            formulation(),
            start,
            time_limit,
            started,
            announce,
        )
    };
    let first = attempt(start, time_limit)?;
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
    let remaining = time_limit.map(|limit| (limit - spent).max(0.0));
    if remaining.is_some_and(|seconds| seconds <= 0.0) {
        return Ok(first);
    }
    let again = match attempt(None, remaining) {
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
    let planned = |plan: &Plan| {
        plan.iter()
            .map(|(option, teacher, joined)| planned_class(candidates, *option, *teacher, joined))
            .collect()
    };
    let value = plan::timetable(
        scenario,
        candidates,
        planned(&first),
        report(SolveStatus::Heuristic, 0.0),
    )
    .solver
    .objective;
    let deadline = settings
        .time_limit
        .map(|limit| started + Duration::from_secs_f64(limit));
    let (plan, search) =
        crate::regions::improve(scenario, candidates, settings, first, value, deadline)?;
    let status = if search.settled {
        SolveStatus::Heuristic
    } else {
        SolveStatus::TimeLimit
    };
    let seconds = started.elapsed().as_secs_f64();
    let timetable = plan::timetable(
        scenario,
        candidates,
        planned(&plan),
        report(status, seconds),
    );
    // Each region builds its own small model; the first plan is the greedy one.
    let stats = ModelStats {
        options: candidates.options.len(),
        build_seconds: first_seconds,
        ..ModelStats::default()
    };
    tracing::info!(
        regions = search.regions,
        improved = search.improved,
        settled = search.settled,
        "region by region done"
    );
    Ok(Solved { timetable, stats })
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
        settings.time_limit,
        started,
        true,
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
                remaining(spent),
                started,
                true,
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
        remaining(report.seconds),
        started,
        true,
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

fn greedy_as_plan(classes: &[greedy::GreedyClass]) -> Plan {
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
    time_limit: Option<f64>,
    started: Instant,
    announce: bool,
) -> Result<Attempt, SolveError> {
    let mut stats = ModelStats {
        options: formulation.classes.len(),
        variables: formulation.variable_count(),
        constraints: formulation.constraints.len(),
        build_seconds: 0.0,
    };
    let columns: HashMap<Variable, usize> = formulation
        .variables
        .iter_variables_with_def()
        .enumerate()
        .map(|(column, (var, _))| (var, column))
        .collect();

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
    if let Some(limit) = time_limit {
        set_option(&mut model, "time_limit", limit)?;
    }
    if let Some(start) = &start {
        model
            .try_set_solution(Some(start), None, None, None)
            .map_err(|e| SolveError::Solver(format!("initial solution refused: {e:?}")))?;
    }

    let solve_started = Instant::now();
    let Some(solved) = run_with_deadline(model, time_limit) else {
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
    let classes = plan
        .iter()
        .map(|(option, teacher, joined)| planned_class(candidates, *option, *teacher, joined))
        .collect();
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

/// Runs HiGHS; with a time limit, gives up waiting a grace period after the limit.
///
/// HiGHS checks its time limit often, but not in every phase: on large models its MIP set-up
/// can run for minutes without looking. A planner who asked for 60 seconds gets an answer
/// soon after; the abandoned solve runs on in the background until the process ends.
fn run_with_deadline(
    model: highs::Model,
    time_limit: Option<f64>,
) -> Option<Result<highs::SolvedModel, highs::HighsStatus>> {
    let Some(limit) = time_limit else {
        return Some(model.try_solve());
    };
    let grace = Duration::from_secs_f64(limit * 0.05 + 2.0);
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

fn planned_class(
    candidates: &Candidates,
    option: usize,
    teacher: TeacherId,
    joined: &[usize],
) -> PlannedClass {
    let class = &candidates.options[option];
    PlannedClass {
        course: class.course,
        format: class.format,
        room: class.room,
        teacher,
        learners: joined
            .iter()
            .map(|&n| candidates.needs[n].learner)
            .collect(),
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
