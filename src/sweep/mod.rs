//! `roosteraar sweep`: one base scenario planned under named changes ("variants") side by
//! side, to answer capacity questions such as "two more evening teachers: how many more
//! working newcomers get a place, at what cost?".
//!
//! A sweep file names the base scenario, `[[variant]]` overlays written in the scenario's own
//! format (entities amended or added by id, ids removed, single-table values overridden) and
//! a `[vary]` table of value lists whose every combination is run with every variant
//! (docs/sweeps.md). The run:
//!
//! 1. reads the sweep file ([`read_sweep_file`]) and the base ([`Base::load`]);
//! 2. applies every variant to the base ([`resolve`]) and writes its resolved
//!    `DIR/<variant>/scenario.toml`, which the normal loader then checks, so every mistake
//!    has a file, a line and a column, and the scenario re-runs on its own;
//! 3. plans the variants in parallel, one HiGHS thread each, checks each timetable with
//!    [`verify`] and writes it with the normal writers;
//! 4. writes `sweep.csv`, `coverage.csv`, `sweep.md` and `coverage-cost.svg`.

mod chart;
mod file;
mod overlay;
mod table;

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use rayon::prelude::*;

use crate::domain::Scenario;
use crate::input::{self, InputError, InputErrors};
use crate::solve::{Engine, SolveError, SolveSettings};
use crate::verify::{Violation, verify};
use crate::write::{self, WriteError, write_atomic};

pub use crate::progress::{LogLine, LogWriter};
pub use chart::{Point, coverage_cost_svg};
pub use file::{
    Defaults, Loc, MAX_VARIANTS, SweepFile, Variant, check_name, parse_sweep_file, read_sweep_file,
};
pub use overlay::{
    Base, Kind, LEARNERS_COPY, Overlay, Removal, Resolved, SINGLE_TABLES, Setting, SettingPath,
    resolve,
};
pub use table::{
    COVERAGE_COLUMNS, CSV_COLUMNS, CSV_LEADING_COLUMNS, Coverage, Figures, coverage_csv, sweep_csv,
    sweep_markdown,
};

/// File name of the resolved scenario in each variant's directory.
pub const SCENARIO_FILE: &str = "scenario.toml";
/// File name of the table of variants in the output directory.
pub const SWEEP_CSV: &str = "sweep.csv";
/// File name of the readable summary in the output directory.
pub const SWEEP_MD: &str = "sweep.md";
/// File name of the coverage per variant and municipality in the output directory.
pub const COVERAGE_CSV: &str = "coverage.csv";
/// File name of the chart in the output directory.
pub const CHART_SVG: &str = "coverage-cost.svg";

/// What `roosteraar sweep` is asked to do.
#[derive(Clone, Debug, Default)]
pub struct SweepRequest {
    /// The sweep file.
    pub sweep_file: PathBuf,
    /// The output directory; created when missing.
    pub output: PathBuf,
    /// Variants planned at once; `None`: one per core.
    pub jobs: Option<usize>,
    /// Time limit per variant, seconds; overrides the sweep file's.
    pub time_limit: Option<f64>,
    /// Relative gap per variant; overrides the sweep file's.
    pub gap: Option<f64>,
    /// Planner; overrides the sweep file's.
    pub engine: Option<Engine>,
    /// Draw a progress bar on standard error (only when it is a terminal).
    pub progress: bool,
}

/// How one variant ended.
#[derive(Clone, Debug, PartialEq)]
pub enum VariantOutcome {
    /// A timetable was planned, checked and written.
    Planned {
        /// Its figures.
        figures: Figures,
        /// What `verify` found wrong with it (nothing, normally).
        violations: Vec<Violation>,
    },
    /// No timetable.
    Failed {
        /// `no_solution` (a limit came first) or `error`.
        status: String,
        /// Why, in words.
        message: String,
    },
}

/// One variant's row of the results.
#[derive(Clone, Debug, PartialEq)]
pub struct VariantResult {
    /// The variant's name (its directory).
    pub name: String,
    /// The `[[variant]]` it comes from, if any.
    pub overlay_name: Option<String>,
    /// The `[[variant]]`'s description.
    pub description: Option<String>,
    /// Its value of each `[vary]` key, as TOML text.
    pub values: Vec<String>,
    /// How it ended.
    pub outcome: VariantOutcome,
}

impl VariantResult {
    /// A timetable that keeps every rule.
    pub fn passed(&self) -> bool {
        matches!(&self.outcome, VariantOutcome::Planned { violations, .. } if violations.is_empty())
    }
}

/// The results of a sweep.
#[derive(Clone, Debug, PartialEq)]
pub struct SweepReport {
    /// The sweep's name.
    pub name: String,
    /// The base scenario file.
    pub base: PathBuf,
    /// How the variants were solved, in words.
    pub settings: String,
    /// The `[vary]` keys, one column each.
    pub varied: Vec<String>,
    /// One result per variant, in the sweep file's order.
    pub variants: Vec<VariantResult>,
    /// The sweep's own files, as written.
    pub files: Vec<PathBuf>,
}

impl SweepReport {
    /// Whether every variant has a timetable that keeps every rule.
    pub fn passed(&self) -> bool {
        self.variants.iter().all(VariantResult::passed)
    }
}

/// Why a sweep did not run or report.
#[derive(Debug, thiserror::Error)]
pub enum SweepError {
    /// The sweep file, the base scenario or a variant's resolved scenario has mistakes.
    #[error("{0}")]
    Input(InputErrors),
    /// An output file could not be written.
    #[error("{0}")]
    Write(#[from] WriteError),
    /// The chart could not be drawn.
    #[error("{0}")]
    Chart(String),
    /// The worker threads could not be started.
    #[error("cannot start the worker threads: {0}")]
    Threads(String),
}

/// Runs a sweep: reads and resolves every variant (all mistakes at once, before anything is
/// solved), plans them in parallel, checks and writes each timetable, and writes the tables
/// and the chart. A variant without a valid timetable is a row of the report, not an error.
pub fn sweep(request: &SweepRequest) -> Result<SweepReport, SweepError> {
    let file = read_sweep_file(&request.sweep_file).map_err(SweepError::Input)?;
    if !file.base.is_file() {
        return Err(SweepError::Input(InputErrors(vec![InputError {
            file: file.path.clone(),
            line: file.base_at.line,
            column: file.base_at.column,
            message: format!("the base scenario `{}` is not a file", file.base.display()),
            help: Some("`base` is relative to the folder of the sweep file".into()),
        }])));
    }
    let base = Base::load(&file.base).map_err(SweepError::Input)?;

    let mut errors = Vec::new();
    let mut resolved = Vec::with_capacity(file.variants.len());
    for variant in &file.variants {
        match resolve(&file, &base, variant) {
            Ok(scenario) => resolved.push(scenario),
            Err(problems) => errors.extend(problems),
        }
    }
    if !errors.is_empty() {
        // A `[[variant]]`'s mistake is found once per combination of `[vary]` values.
        errors.sort_by(|a, b| (a.line, a.column, &a.message).cmp(&(b.line, b.column, &b.message)));
        errors.dedup();
        return Err(SweepError::Input(InputErrors(errors)));
    }

    // Written before loading, so that a mistake in a merged scenario points at a file the
    // planner can open.
    let dirs: Vec<PathBuf> = file
        .variants
        .iter()
        .map(|variant| request.output.join(&variant.name))
        .collect();
    for (dir, scenario) in dirs.iter().zip(&resolved) {
        write_resolved(dir, scenario)?;
    }
    let mut scenarios: Vec<Scenario> = Vec::with_capacity(dirs.len());
    for dir in &dirs {
        match input::load_scenario(&dir.join(SCENARIO_FILE)) {
            Ok(scenario) => scenarios.push(scenario),
            Err(problems) => errors.extend(problems.0),
        }
    }
    if !errors.is_empty() {
        return Err(SweepError::Input(InputErrors(collapse(errors))));
    }

    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let jobs = request
        .jobs
        .unwrap_or(cores)
        .clamp(1, file.variants.len().max(1));
    let engine = request.engine.or(file.defaults.engine).unwrap_or_default();
    let settings = SolveSettings {
        engine,
        // HiGHS fixes its thread count once per process, so every solve here uses one
        // thread and the variants run side by side instead.
        threads: Some(1),
        time_limit: request.time_limit.or(file.defaults.time_limit),
        gap: request.gap.or(file.defaults.gap),
        seed: file.defaults.seed,
        // Variants side by side already keep every core busy: a second HiGHS per variant
        // would halve each one's share.
        bound_alongside: jobs == 1,
        ..SolveSettings::default()
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .build()
        .map_err(|e| SweepError::Threads(e.to_string()))?;
    tracing::info!(
        "{}: planning {} variant(s), {jobs} at a time",
        file.name,
        file.variants.len()
    );

    let total = file.variants.len();
    let progress = crate::progress::Progress::variants(total, request.progress);
    let done = AtomicUsize::new(0);
    let variants: Vec<VariantResult> = pool.install(|| {
        file.variants
            .par_iter()
            .zip(scenarios.par_iter())
            .zip(dirs.par_iter())
            .map(|((variant, scenario), dir)| {
                let started = Instant::now();
                let result = run_variant(variant, scenario, &settings, dir);
                let n = done.fetch_add(1, Ordering::Relaxed) + 1;
                log_variant(&result, n, total, started.elapsed().as_secs_f64());
                progress.done(&variant.name);
                result
            })
            .collect()
    });
    drop(progress);

    let mut report = SweepReport {
        name: file.name.clone(),
        base: file.base.clone(),
        settings: settings_text(&settings, jobs),
        varied: file.varied.clone(),
        variants,
        files: Vec::new(),
    };
    report.files = write_tables(&request.output, &report)?;
    Ok(report)
}

/// The same mistake in many variants' scenarios (a misspelt field in a `[vary]` key is in
/// all of them) is shown once, at its place in the first, with the count of the others.
fn collapse(errors: Vec<InputError>) -> Vec<InputError> {
    let mut shown: Vec<(InputError, usize)> = Vec::new();
    for error in errors {
        match shown
            .iter_mut()
            .find(|(first, _)| first.message == error.message && first.help == error.help)
        {
            Some((_, more)) => *more += 1,
            None => shown.push((error, 0)),
        }
    }
    shown
        .into_iter()
        .map(|(mut error, more)| {
            if more > 0 {
                error
                    .message
                    .push_str(&format!(" (and the same in {more} more variant(s))"));
            }
            error
        })
        .collect()
}

/// Writes a variant's resolved scenario and its learner CSV (removing a copy a previous run
/// left when this scenario has none).
fn write_resolved(dir: &Path, scenario: &Resolved) -> Result<(), WriteError> {
    fs::create_dir_all(dir).map_err(|source| WriteError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    write_atomic(&dir.join(SCENARIO_FILE), scenario.scenario.as_bytes())?;
    let copy = dir.join(LEARNERS_COPY);
    match &scenario.learners {
        Some(text) => write_atomic(&copy, text.as_bytes())?,
        None => {
            let _ = fs::remove_file(copy);
        }
    }
    Ok(())
}

/// Plans one variant, checks its timetable and writes it into its directory.
fn run_variant(
    variant: &Variant,
    scenario: &Scenario,
    settings: &SolveSettings,
    dir: &Path,
) -> VariantResult {
    let outcome = match crate::solve::solve(scenario, settings) {
        Ok(solved) => {
            let violations = verify(scenario, &solved.timetable);
            match write::write_all(dir, scenario, &solved.timetable) {
                Ok(_) => VariantOutcome::Planned {
                    figures: Figures::new(scenario, &solved.timetable),
                    violations,
                },
                Err(error) => VariantOutcome::Failed {
                    status: "error".into(),
                    message: error.to_string(),
                },
            }
        }
        Err(error) => VariantOutcome::Failed {
            status: match error {
                SolveError::NoSolution { .. } => "no_solution",
                SolveError::TargetUnreachable { .. } => "target_unreachable",
                SolveError::Solver(_) => "error",
            }
            .into(),
            message: error.to_string(),
        },
    };
    if matches!(outcome, VariantOutcome::Failed { .. }) {
        // A timetable a previous run left here would pass for this variant's.
        for name in [
            write::TIMETABLE_FILE,
            write::CLASSES_FILE,
            write::LEARNERS_FILE,
            write::SUMMARY_FILE,
        ] {
            let _ = fs::remove_file(dir.join(name));
        }
    }
    VariantResult {
        name: variant.name.clone(),
        overlay_name: variant.overlay_name.clone(),
        description: variant.description.clone(),
        values: variant.values.clone(),
        outcome,
    }
}

/// One line per finished variant: the figures a planner looks for first, or what failed.
fn log_variant(result: &VariantResult, n: usize, total: usize, seconds: f64) {
    let name = &result.name;
    match &result.outcome {
        VariantOutcome::Planned {
            figures,
            violations,
        } => {
            let line = format!(
                "[{n}/{total}] {name}: {}, placed {}/{} ({:.1} %), total cost {:.2}, {seconds:.1} s",
                figures.status.name(),
                figures.placed,
                figures.needs,
                figures.coverage().unwrap_or(1.0) * 100.0,
                figures.total_cost(),
            );
            match violations.first() {
                None => tracing::info!("{line}"),
                Some(first) => tracing::error!(
                    "{line}; the timetable breaks {} rule(s), first: {first}",
                    violations.len()
                ),
            }
        }
        VariantOutcome::Failed { message, .. } => {
            tracing::error!("[{n}/{total}] {name}: no timetable: {message}");
        }
    }
}

fn settings_text(settings: &SolveSettings, jobs: usize) -> String {
    let mut text = match settings.engine {
        Engine::Highs => format!("planned with HiGHS, one thread per variant, {jobs} at a time"),
        Engine::Auto => format!(
            "planned with HiGHS, or by ruin and recreate and region by region for large \
             variants, one thread per variant, {jobs} at a time"
        ),
        Engine::Greedy => format!("planned with the greedy baseline, {jobs} at a time"),
        Engine::Regions => {
            format!(
                "planned by ruin and recreate, then region by region with HiGHS, one thread \
                 per variant, {jobs} at a time"
            )
        }
    };
    if let Some(limit) = settings.time_limit {
        text.push_str(&format!(", time limit {limit} s per variant"));
    }
    if let Some(gap) = settings.gap {
        text.push_str(&format!(", gap {gap}"));
    }
    text
}

/// Writes the sweep's tables and chart; returns their paths.
fn write_tables(dir: &Path, report: &SweepReport) -> Result<Vec<PathBuf>, SweepError> {
    let points: Vec<Point> = report
        .variants
        .iter()
        .filter_map(|variant| {
            let figures = variant.figures()?;
            Some(Point {
                label: variant.name.clone(),
                cost: figures.total_cost(),
                coverage: figures.coverage()?,
            })
        })
        .collect();
    let title = format!("{}: coverage against cost", report.name);
    let files = [
        (SWEEP_CSV, sweep_csv(report).map_err(WriteError::from)?),
        (
            COVERAGE_CSV,
            coverage_csv(report).map_err(WriteError::from)?,
        ),
        (SWEEP_MD, sweep_markdown(report).into_bytes()),
        (
            CHART_SVG,
            coverage_cost_svg(&title, &points)
                .map_err(SweepError::Chart)?
                .into_bytes(),
        ),
    ];
    fs::create_dir_all(dir).map_err(|source| WriteError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut written = Vec::new();
    for (name, bytes) in files {
        let path = dir.join(name);
        write_atomic(&path, &bytes)?;
        written.push(path);
    }
    Ok(written)
}
