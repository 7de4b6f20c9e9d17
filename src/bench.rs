//! `roosteraar bench`: named solver settings run on scenarios, several times each. Every run
//! is its own `roosteraar solve` process, so its wall time, CPU time and peak memory are its
//! own; every timetable it writes is checked with [`verify`]; each
//! (setting, scenario) pair is compared with the greedy baseline.

use std::collections::{BTreeMap, HashSet};
use std::fmt::Write as _;
use std::fs;
use std::io;
use std::os::unix::process::ExitStatusExt as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::Instant;

use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::domain::Scenario;
use crate::input::{self, InputError, InputErrors};
use crate::solve::{Engine, ModelStats, SolveSettings};
use crate::timetable::{SolveStatus, Timetable};
use crate::verify::{Violation, verify};
use crate::write::{TIMETABLE_FILE, WriteError, write_atomic};

/// Runs of each (scenario, setting) pair when the settings file does not say.
pub const DEFAULT_REPEATS: usize = 3;

/// The CSV columns, in order.
pub const CSV_COLUMNS: [&str; 28] = [
    "setting",
    "instance",
    "runs",
    "status",
    "objective",
    "best_bound",
    "gap",
    "first_solution_s",
    "wall_median_s",
    "wall_min_s",
    "wall_max_s",
    "cpu_median_s",
    "build_s",
    "solve_s",
    "peak_mb",
    "options",
    "variables",
    "constraints",
    "placed",
    "needs",
    "greedy_objective",
    "greedy_placed",
    "objective_vs_greedy",
    "placed_vs_greedy",
    "verify",
    "violations",
    "failed_runs",
    "load_max",
];

/// A settings file: the named settings to compare and how often each runs.
#[derive(Clone, Debug, PartialEq)]
pub struct BenchFile {
    /// Runs of each (scenario, setting) pair.
    pub repeats: usize,
    /// The settings, in file order; names are unique.
    pub settings: Vec<NamedSettings>,
}

/// One named setting of a settings file.
#[derive(Clone, Debug, PartialEq)]
pub struct NamedSettings {
    /// The name shown in the table and the CSV.
    pub name: String,
    /// What the run's `solve` is given.
    pub settings: SolveSettings,
}

const SETTINGS_HELP: &str = "a settings file has `repeats = N` at the top and one \
    `[[setting]]` table per setting with `name` and any of `solver` (\"auto\", \"highs\", \
    \"greedy\" or \"regions\"), `time_limit`, `gap`, `threads`, `presolve`, \
    `heuristic_effort`, `seed`, `greedy_start`, `ruin_and_recreate`";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    repeats: Option<Spanned<i64>>,
    #[serde(default)]
    setting: Vec<RawSetting>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSetting {
    name: Spanned<String>,
    solver: Option<Spanned<String>>,
    time_limit: Option<Spanned<f64>>,
    gap: Option<Spanned<f64>>,
    threads: Option<Spanned<i64>>,
    presolve: Option<bool>,
    heuristic_effort: Option<Spanned<f64>>,
    seed: Option<Spanned<i64>>,
    greedy_start: Option<bool>,
    ruin_and_recreate: Option<bool>,
}

/// Reads a settings file; every mistake is reported with its line and column.
pub fn read_bench_file(path: &Path) -> Result<BenchFile, InputErrors> {
    let text = fs::read_to_string(path).map_err(|error| {
        InputErrors(vec![InputError {
            file: path.to_path_buf(),
            line: 0,
            column: 0,
            message: format!("cannot read the settings file: {error}"),
            help: None,
        }])
    })?;
    parse_bench_file(&text, path)
}

/// Parses settings-file text; `path` names the file in errors.
pub fn parse_bench_file(text: &str, path: &Path) -> Result<BenchFile, InputErrors> {
    let error_at = |offset: Option<usize>, message: String| {
        let (line, column) = offset.map_or((0, 0), |offset| line_column(text, offset));
        InputError {
            file: path.to_path_buf(),
            line,
            column,
            message,
            help: None,
        }
    };
    let raw: RawFile = toml::from_str(text).map_err(|error| {
        // serde names Rust types; the user wrote TOML.
        let message = error
            .message()
            .trim()
            .replace("expected i64", "expected a whole number")
            .replace("expected f64", "expected a number");
        InputErrors(vec![InputError {
            help: Some(SETTINGS_HELP.to_string()),
            ..error_at(
                error.span().map(|span| span.start),
                format!("not a valid settings file: {message}"),
            )
        }])
    })?;

    let mut errors = Vec::new();
    let mut check = |ok: bool, span: std::ops::Range<usize>, message: String| {
        if !ok {
            errors.push(error_at(Some(span.start), message));
        }
    };
    let repeats = match &raw.repeats {
        Some(value) => {
            let repeats = *value.get_ref();
            check(
                (1..=1000).contains(&repeats),
                value.span(),
                format!("`repeats` is {repeats}; it must be between 1 and 1000"),
            );
            usize::try_from(repeats).unwrap_or(DEFAULT_REPEATS)
        }
        None => DEFAULT_REPEATS,
    };
    let mut settings = Vec::with_capacity(raw.setting.len());
    let mut names = HashSet::new();
    for setting in raw.setting {
        let name = setting.name.get_ref().trim().to_string();
        check(
            !name.is_empty(),
            setting.name.span(),
            "a setting's `name` is empty".into(),
        );
        check(
            name.is_empty() || names.insert(name.clone()),
            setting.name.span(),
            format!("two settings are named `{name}`"),
        );
        let mut solve = SolveSettings::default();
        if let Some(solver) = &setting.solver {
            let name = solver.get_ref();
            solve.engine = Engine::from_name(name).unwrap_or_else(|| {
                check(
                    false,
                    solver.span(),
                    format!(
                        "`solver` is \"{name}\"; it must be {}",
                        Engine::names_for_message()
                    ),
                );
                Engine::Highs
            });
        }
        if let Some(limit) = &setting.time_limit {
            let value = *limit.get_ref();
            check(
                value.is_finite() && value > 0.0,
                limit.span(),
                format!("`time_limit` is {value}; it must be a positive number of seconds"),
            );
            solve.time_limit = Some(value);
        }
        if let Some(gap) = &setting.gap {
            let value = *gap.get_ref();
            check(
                (0.0..=1.0).contains(&value),
                gap.span(),
                format!("`gap` is {value}; it must be a fraction between 0 and 1"),
            );
            solve.gap = Some(value);
        }
        if let Some(threads) = &setting.threads {
            let value = *threads.get_ref();
            check(
                (1..=1024).contains(&value),
                threads.span(),
                format!("`threads` is {value}; it must be between 1 and 1024"),
            );
            solve.threads = u32::try_from(value).ok();
        }
        if let Some(effort) = &setting.heuristic_effort {
            let value = *effort.get_ref();
            check(
                (0.0..=1.0).contains(&value),
                effort.span(),
                format!("`heuristic_effort` is {value}; it must be a fraction between 0 and 1"),
            );
            solve.heuristic_effort = Some(value);
        }
        if let Some(seed) = &setting.seed {
            let value = *seed.get_ref();
            check(
                u32::try_from(value).is_ok(),
                seed.span(),
                format!("`seed` is {value}; it must be between 0 and {}", u32::MAX),
            );
            solve.seed = u32::try_from(value).ok();
        }
        solve.presolve = setting.presolve;
        if let Some(greedy_start) = setting.greedy_start {
            solve.greedy_start = greedy_start;
        }
        if let Some(ruin_and_recreate) = setting.ruin_and_recreate {
            solve.ruin_and_recreate = ruin_and_recreate;
        }
        settings.push(NamedSettings {
            name,
            settings: solve,
        });
    }
    if settings.is_empty() {
        errors.push(error_at(None, "the file has no `[[setting]]` table".into()));
    }
    if errors.is_empty() {
        Ok(BenchFile { repeats, settings })
    } else {
        Err(InputErrors(errors))
    }
}

/// 1-based line and column (in characters) of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let prefix = text.get(..offset).unwrap_or(text);
    let line_start = prefix.rfind('\n').map_or(0, |i| i + 1);
    let line = prefix.matches('\n').count() + 1;
    (line, prefix[line_start..].chars().count() + 1)
}

/// The `roosteraar solve` flags that ask for `settings` (besides the scenario and `-o`).
pub fn solve_flags(settings: &SolveSettings) -> Vec<String> {
    let mut flags = Vec::new();
    let mut flag = |name: &str, value: Option<String>| {
        if let Some(value) = value {
            flags.push(name.to_string());
            flags.push(value);
        }
    };
    flag("--solver", Some(settings.engine.name().into()));
    flag("--time-limit", settings.time_limit.map(|v| v.to_string()));
    flag("--gap", settings.gap.map(|v| v.to_string()));
    flag("--threads", settings.threads.map(|v| v.to_string()));
    flag("--seed", settings.seed.map(|v| v.to_string()));
    flag(
        "--presolve",
        settings
            .presolve
            .map(|on| if on { "on" } else { "off" }.to_string()),
    );
    flag(
        "--heuristic-effort",
        settings.heuristic_effort.map(|v| v.to_string()),
    );
    if !settings.greedy_start {
        flags.push("--no-greedy-start".into());
    }
    if !settings.ruin_and_recreate {
        flags.push("--no-ruin-and-recreate".into());
    }
    flags
}

/// What a `solve` run reports about itself for `bench` (`solve --stats FILE`): the model's
/// size and build time, and the process's own peak memory.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunStats {
    /// Class options that may open.
    pub options: usize,
    /// Decision variables.
    pub variables: usize,
    /// Constraints.
    pub constraints: usize,
    /// Seconds spent on candidates, the greedy start and the model (the whole plan for the
    /// greedy solver).
    pub build_seconds: f64,
    /// Peak resident memory of the process, bytes (Linux `VmHWM`); `None` where unknown.
    pub peak_bytes: Option<u64>,
}

/// Writes the stats file of a finished run. Call it last, so that the peak memory read here
/// covers the whole run.
pub fn write_run_stats(path: &Path, stats: &ModelStats) -> Result<(), WriteError> {
    let run = RunStats {
        options: stats.options,
        variables: stats.variables,
        constraints: stats.constraints,
        build_seconds: stats.build_seconds,
        peak_bytes: own_peak_bytes(),
    };
    let json = serde_json::to_string(&run).expect("run stats always serialise to JSON");
    write_atomic(path, json.as_bytes())
}

/// This process's peak resident memory (`VmHWM`). `bench` asks the child rather than using
/// `wait4`'s `ru_maxrss`, because on Linux that figure also carries the parent's own peak:
/// the child starts as a copy of the parent and `exec` keeps the high-water mark of the
/// memory it replaces, whereas `VmHWM` belongs to the fresh memory of the new program.
fn own_peak_bytes() -> Option<u64> {
    let status = fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    let kib: u64 = line
        .trim_start_matches("VmHWM:")
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kib * 1024)
}

/// What `roosteraar bench` is asked to do.
#[derive(Clone, Debug)]
pub struct BenchRequest {
    /// The settings file.
    pub settings_file: PathBuf,
    /// The scenario files, in the order to run them.
    pub instances: Vec<PathBuf>,
    /// Where to write the CSV.
    pub output: PathBuf,
    /// Runs of each pair, overriding the file's `repeats`.
    pub repeats: Option<usize>,
    /// The `roosteraar` executable each run starts (normally the running one).
    pub program: PathBuf,
}

/// Why a benchmark could not run or report.
#[derive(Debug, thiserror::Error)]
pub enum BenchError {
    /// The settings file or a scenario is not valid.
    #[error("{0}")]
    Input(InputErrors),
    /// The CSV could not be written.
    #[error("{0}")]
    Write(#[from] WriteError),
    /// A run could not be started or waited for.
    #[error("cannot run `{}`: {source}", program.display())]
    Spawn {
        /// The executable.
        program: PathBuf,
        /// The operating system's error.
        source: io::Error,
    },
}

/// How the timetables of one (setting, scenario) pair fared under `verify`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Check {
    /// Every timetable written passed every rule.
    Valid,
    /// No run wrote a timetable.
    NoTimetable,
    /// Some timetable broke a rule.
    Invalid {
        /// Violations over all runs.
        violations: usize,
        /// The first one, in words.
        first: String,
    },
}

impl Check {
    /// The text of the `verify` column.
    pub fn text(&self) -> String {
        match self {
            Check::Valid => "valid".into(),
            Check::NoTimetable => "no timetable".into(),
            Check::Invalid { violations, first } => {
                format!("INVALID: {violations} violation(s), first: {first}")
            }
        }
    }
}

/// One line of the results: a setting on a scenario, over its runs.
///
/// Objective, bound, gap and placed come from one representative run, the one with the
/// median objective (the lower of the two middle ones for an even count), so that they
/// belong together; times are over all runs.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// Setting name.
    pub setting: String,
    /// Scenario name (its file stem, or its path when two stems are equal).
    pub instance: String,
    /// Runs made.
    pub runs: usize,
    /// The status of every run, most frequent first: `optimal`, or `optimal 2, time_limit 1`.
    /// `error` is a run that ended without a timetable for another reason than a limit.
    pub status: String,
    /// Objective of the representative run.
    pub objective: Option<f64>,
    /// Its best bound.
    pub best_bound: Option<f64>,
    /// Its relative gap.
    pub gap: Option<f64>,
    /// Seconds from the start of planning to the first timetable, median: known when the
    /// solver starts from the greedy timetable (the model's build time, which includes it)
    /// and for the greedy solver; HiGHS does not report when it improves on it.
    pub first_solution_seconds: Option<f64>,
    /// Wall seconds of the whole `solve` process (load, plan, write), median.
    pub wall_median: f64,
    /// Fastest run.
    pub wall_min: f64,
    /// Slowest run.
    pub wall_max: f64,
    /// CPU seconds (user and system) of the process, median.
    pub cpu_median: Option<f64>,
    /// Seconds to build the model, median.
    pub build_seconds: Option<f64>,
    /// Seconds HiGHS spent solving, median.
    pub solve_seconds: Option<f64>,
    /// Peak resident memory over all runs, MB (MiB).
    pub peak_mb: Option<f64>,
    /// Class options of the model.
    pub options: Option<usize>,
    /// Variables of the model.
    pub variables: Option<usize>,
    /// Constraints of the model.
    pub constraints: Option<usize>,
    /// Learner-needs placed by the representative run.
    pub placed: Option<u64>,
    /// Learner-needs in the scenario.
    pub needs: u64,
    /// Objective of the greedy baseline.
    pub greedy_objective: f64,
    /// Learner-needs the greedy baseline places.
    pub greedy_placed: u64,
    /// `objective / greedy_objective`, when the greedy objective is positive.
    pub objective_vs_greedy: Option<f64>,
    /// `placed / greedy_placed`, when the greedy baseline places anyone.
    pub placed_vs_greedy: Option<f64>,
    /// The `verify` outcome over all runs.
    pub check: Check,
    /// Runs that ended in `error`.
    pub failed_runs: usize,
    /// Highest 1-minute load average seen as a run started: above the number of cores,
    /// other work was competing and wall times are inflated (CPU times much less so).
    pub load_max: Option<f64>,
}

/// The results of a benchmark.
#[derive(Clone, Debug, PartialEq)]
pub struct BenchReport {
    /// One row per setting and scenario, scenario by scenario.
    pub rows: Vec<Row>,
    /// Violations found in greedy baselines (each is also logged).
    pub baseline_violations: usize,
}

impl BenchReport {
    /// Whether every timetable passed `verify` and every run ended as a solve should
    /// (with a timetable, or without one because a limit came first).
    pub fn passed(&self) -> bool {
        self.baseline_violations == 0
            && self
                .rows
                .iter()
                .all(|row| row.failed_runs == 0 && !matches!(row.check, Check::Invalid { .. }))
    }

    /// The results as an aligned Markdown table, for the terminal and for BENCHMARKS.md.
    pub fn table(&self) -> String {
        table(&self.rows)
    }
}

/// Runs the benchmark: every setting on every scenario, `repeats` times each, one child
/// process per run, one at a time. Progress goes to the log, one line per run; the CSV is
/// rewritten after each row, so an interrupted benchmark keeps what it measured.
pub fn bench(request: &BenchRequest) -> Result<BenchReport, BenchError> {
    // Every mistake in the settings and the scenarios at once, before hours of runs.
    let mut errors = Vec::new();
    let file = read_bench_file(&request.settings_file)
        .map_err(|problems| errors.extend(problems.0))
        .ok();
    let mut scenarios = Vec::with_capacity(request.instances.len());
    for path in &request.instances {
        match input::load_scenario(path) {
            Ok(scenario) => scenarios.push(scenario),
            Err(problems) => errors.extend(problems.0),
        }
    }
    let Some(file) = file.filter(|_| errors.is_empty()) else {
        return Err(BenchError::Input(InputErrors(errors)));
    };
    let repeats = request.repeats.unwrap_or(file.repeats).max(1);
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    if let Some(load) = load_average().filter(|&load| load > cores as f64) {
        tracing::warn!(
            "the load average is {load:.1} on {cores} cores: other work competes with the runs, \
             so wall times will be inflated (see the cpu and load_max columns)"
        );
    }
    let names = instance_names(&request.instances);
    let total = request.instances.len() * file.settings.len() * repeats;
    let mut report = BenchReport {
        rows: Vec::new(),
        baseline_violations: 0,
    };
    let mut done = 0;
    for ((path, scenario), name) in request.instances.iter().zip(&scenarios).zip(&names) {
        let baseline = greedy_baseline(scenario);
        if !baseline.violations.is_empty() {
            for violation in &baseline.violations {
                tracing::error!("{name}: the greedy baseline breaks a rule: {violation}");
            }
            report.baseline_violations += baseline.violations.len();
        }
        for setting in &file.settings {
            let mut runs = Vec::with_capacity(repeats);
            for repeat in 1..=repeats {
                done += 1;
                let run = run_once(&request.program, path, scenario, &setting.settings)?;
                tracing::info!(
                    "[{done}/{total}] {name} · {} · run {repeat}/{repeats}: {}",
                    setting.name,
                    run.describe()
                );
                runs.push(run);
            }
            report.rows.push(summarise(
                &setting.name,
                name,
                &setting.settings,
                &runs,
                &baseline,
            ));
            write_csv(&request.output, &report.rows)?;
        }
    }
    Ok(report)
}

/// Names for the scenarios: file stems, unless two are equal, then the paths as given.
fn instance_names(paths: &[PathBuf]) -> Vec<String> {
    let stems: Vec<String> = paths
        .iter()
        .map(|path| {
            path.file_stem().map_or_else(
                || path.display().to_string(),
                |s| s.to_string_lossy().into(),
            )
        })
        .collect();
    let unique = stems.iter().collect::<HashSet<_>>().len() == stems.len();
    if unique {
        stems
    } else {
        paths.iter().map(|p| p.display().to_string()).collect()
    }
}

/// The greedy baseline of a scenario, planned in this process.
struct Baseline {
    objective: f64,
    placed: u64,
    needs: u64,
    violations: Vec<Violation>,
}

fn greedy_baseline(scenario: &Scenario) -> Baseline {
    let settings = SolveSettings {
        engine: Engine::Greedy,
        ..SolveSettings::default()
    };
    match crate::solve::solve(scenario, &settings) {
        Ok(solved) => Baseline {
            objective: solved.timetable.solver.objective,
            placed: solved.timetable.summary.placed,
            needs: solved.timetable.summary.needs,
            violations: verify(scenario, &solved.timetable),
        },
        // The greedy planner has no limit to reach and no solver to fail; an empty plan
        // is the honest baseline should it ever give up.
        Err(error) => {
            tracing::error!("the greedy baseline failed: {error}");
            Baseline {
                objective: 0.0,
                placed: 0,
                needs: scenario.learners.iter().map(|l| l.needs.len() as u64).sum(),
                violations: Vec::new(),
            }
        }
    }
}

/// How one run ended.
enum Outcome {
    /// It wrote a timetable, checked here.
    Timetable {
        timetable: Box<Timetable>,
        violations: Vec<Violation>,
    },
    /// A limit came before any timetable.
    NoSolution,
    /// Anything else: a crash, a solver error, an unreadable timetable.
    Error(String),
}

/// One run of one setting on one scenario.
struct Run {
    outcome: Outcome,
    wall: f64,
    cpu: Option<f64>,
    stats: Option<RunStats>,
    load: Option<f64>,
}

impl Run {
    fn status(&self) -> &'static str {
        match &self.outcome {
            Outcome::Timetable { timetable, .. } => timetable.solver.status.name(),
            Outcome::NoSolution => SolveStatus::NoSolution.name(),
            Outcome::Error(_) => "error",
        }
    }

    /// A progress line: status, objective, time, memory, and what went wrong.
    fn describe(&self) -> String {
        let mut text = self.status().to_string();
        match &self.outcome {
            Outcome::Timetable {
                timetable,
                violations,
            } => {
                let _ = write!(
                    text,
                    ", objective {:.2}, placed {}/{}",
                    timetable.solver.objective, timetable.summary.placed, timetable.summary.needs
                );
                if !violations.is_empty() {
                    let _ = write!(
                        text,
                        ", {} VIOLATION(S), first: {}",
                        violations.len(),
                        violations[0]
                    );
                }
            }
            Outcome::NoSolution => {}
            Outcome::Error(message) => {
                let _ = write!(text, " ({message})");
            }
        }
        let _ = write!(text, ", {:.2} s", self.wall);
        if let Some(bytes) = self.stats.as_ref().and_then(|s| s.peak_bytes) {
            let _ = write!(text, ", {:.0} MB", megabytes(bytes));
        }
        text
    }
}

fn megabytes(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

/// Runs `program solve` once in a fresh directory and reads back what it wrote.
fn run_once(
    program: &Path,
    instance: &Path,
    scenario: &Scenario,
    settings: &SolveSettings,
) -> Result<Run, BenchError> {
    let spawn_error = |source| BenchError::Spawn {
        program: program.to_path_buf(),
        source,
    };
    let dir = tempfile::tempdir().map_err(spawn_error)?;
    let out = dir.path().join("out");
    let stats_path = dir.path().join("stats.json");
    let stderr_path = dir.path().join("stderr.txt");
    let stderr = fs::File::create(&stderr_path).map_err(spawn_error)?;
    let mut command = Command::new(program);
    command
        .arg("solve")
        .arg(instance)
        .arg("-o")
        .arg(&out)
        .arg("--quiet")
        .arg("--stats")
        .arg(&stats_path)
        .args(solve_flags(settings))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(stderr);
    let load = load_average();
    let started = Instant::now();
    let child = command.spawn().map_err(spawn_error)?;
    let (status, cpu) = wait_with_cpu(&child).map_err(spawn_error)?;
    let wall = started.elapsed().as_secs_f64();

    let stats = fs::read_to_string(&stats_path)
        .ok()
        .and_then(|text| serde_json::from_str::<RunStats>(&text).ok());
    let last_message = || {
        fs::read_to_string(&stderr_path)
            .ok()
            .and_then(|text| {
                text.lines()
                    .rev()
                    .find(|l| !l.trim().is_empty())
                    .map(str::to_string)
            })
            .unwrap_or_default()
    };
    // The run read the file anew; if it changed since `bench` loaded it (regenerated, edited),
    // the run solved another scenario than the one its timetable is checked against and the
    // greedy baseline belongs to, so it measures nothing comparable.
    if input::load_scenario(instance).ok().as_ref() != Some(scenario) {
        return Ok(Run {
            outcome: Outcome::Error(format!(
                "{} changed on disk during the benchmark",
                instance.display()
            )),
            wall,
            cpu,
            stats,
            load,
        });
    }
    let outcome = match status.code() {
        Some(0) => {
            let path = out.join(TIMETABLE_FILE);
            match fs::read_to_string(&path)
                .map_err(|e| e.to_string())
                .and_then(|text| Timetable::from_json(&text, &path).map_err(|e| e.to_string()))
            {
                Ok(timetable) => {
                    let violations = verify(scenario, &timetable);
                    Outcome::Timetable {
                        timetable: Box::new(timetable),
                        violations,
                    }
                }
                Err(error) => Outcome::Error(format!("no readable timetable: {error}")),
            }
        }
        // Exit 1 is also a solver failure; only the limit's own message means "no solution".
        Some(1) if last_message().contains("without finding a timetable") => Outcome::NoSolution,
        Some(code) => Outcome::Error(format!("exit code {code}: {}", last_message())),
        None => Outcome::Error(format!(
            "killed by signal {}",
            status.signal().unwrap_or_default()
        )),
    };
    Ok(Run {
        outcome,
        wall,
        cpu,
        stats,
        load,
    })
}

/// The 1-minute load average (Linux `/proc/loadavg`), when known.
fn load_average() -> Option<f64> {
    let text = fs::read_to_string("/proc/loadavg").ok()?;
    text.split_whitespace().next()?.parse().ok()
}

/// Waits for a child with `wait4`, which besides the exit status gives the child's CPU time
/// (user and system, all threads). `std`'s `Child::wait` reports only the status.
fn wait_with_cpu(child: &Child) -> io::Result<(ExitStatus, Option<f64>)> {
    let pid = libc::pid_t::try_from(child.id()).map_err(io::Error::other)?;
    let mut status: libc::c_int = 0;
    // SAFETY: `rusage` is a C struct of integers and `timeval`s, for which all-zero bytes are
    // a valid value.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: `status` and `usage` are valid for writes during the call, and `pid` is our
        // own child, which nothing else waits for (its `Child` handle is never waited on).
        let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if reaped == pid {
            break;
        }
        let error = io::Error::last_os_error();
        if error.kind() != io::ErrorKind::Interrupted {
            return Err(error);
        }
    }
    let seconds = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    let cpu = seconds(usage.ru_utime) + seconds(usage.ru_stime);
    Ok((ExitStatus::from_raw(status), Some(cpu)))
}

/// The median of some numbers (the mean of the two middle ones for an even count).
fn median(values: &mut [f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    Some(if values.len() % 2 == 1 {
        values[mid]
    } else {
        (values[mid - 1] + values[mid]) / 2.0
    })
}

/// Folds the runs of one setting on one scenario into a row.
fn summarise(
    setting: &str,
    instance: &str,
    settings: &SolveSettings,
    runs: &[Run],
    baseline: &Baseline,
) -> Row {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for run in runs {
        *counts.entry(run.status()).or_default() += 1;
    }
    let mut counted: Vec<(&str, usize)> = counts.into_iter().collect();
    counted.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let status = if counted.len() == 1 {
        counted[0].0.to_string()
    } else {
        counted
            .iter()
            .map(|(status, count)| format!("{status} {count}"))
            .collect::<Vec<_>>()
            .join(", ")
    };

    let mut timetables: Vec<&Timetable> = runs
        .iter()
        .filter_map(|run| match &run.outcome {
            Outcome::Timetable { timetable, .. } => Some(timetable.as_ref()),
            _ => None,
        })
        .collect();
    timetables.sort_by(|a, b| a.solver.objective.total_cmp(&b.solver.objective));
    let representative = timetables
        .get(timetables.len().saturating_sub(1) / 2)
        .copied();

    let violations: Vec<&Violation> = runs
        .iter()
        .flat_map(|run| match &run.outcome {
            Outcome::Timetable { violations, .. } => violations.as_slice(),
            _ => &[],
        })
        .collect();
    let check = match violations.first() {
        Some(first) => Check::Invalid {
            violations: violations.len(),
            first: first.to_string(),
        },
        None if timetables.is_empty() => Check::NoTimetable,
        None => Check::Valid,
    };

    let stats: Vec<&RunStats> = runs.iter().filter_map(|run| run.stats.as_ref()).collect();
    let mut walls: Vec<f64> = runs.iter().map(|run| run.wall).collect();
    let wall_min = walls.iter().copied().fold(f64::INFINITY, f64::min);
    let wall_max = walls.iter().copied().fold(0.0, f64::max);
    let mut cpus: Vec<f64> = runs.iter().filter_map(|run| run.cpu).collect();
    let mut builds: Vec<f64> = stats.iter().map(|s| s.build_seconds).collect();
    let mut solves: Vec<f64> = timetables.iter().map(|t| t.solver.seconds).collect();
    let starts_from_greedy = settings.engine == Engine::Greedy || settings.greedy_start;

    let objective = representative.map(|t| t.solver.objective);
    let placed = representative.map(|t| t.summary.placed);
    Row {
        setting: setting.to_string(),
        instance: instance.to_string(),
        runs: runs.len(),
        status,
        objective,
        best_bound: representative.and_then(|t| t.solver.best_bound),
        gap: representative.and_then(|t| t.solver.gap),
        first_solution_seconds: if starts_from_greedy {
            median(&mut builds.clone())
        } else {
            None
        },
        wall_median: median(&mut walls).unwrap_or_default(),
        wall_min: if wall_min.is_finite() { wall_min } else { 0.0 },
        wall_max,
        cpu_median: median(&mut cpus),
        build_seconds: median(&mut builds),
        solve_seconds: if settings.engine == Engine::Greedy {
            None
        } else {
            median(&mut solves)
        },
        peak_mb: stats
            .iter()
            .filter_map(|s| s.peak_bytes)
            .max()
            .map(megabytes),
        options: stats.first().map(|s| s.options),
        // Zero when no whole program was built (greedy; regions without it alongside).
        variables: stats.first().map(|s| s.variables).filter(|&n| n > 0),
        constraints: stats.first().map(|s| s.constraints).filter(|&n| n > 0),
        placed,
        needs: baseline.needs,
        greedy_objective: baseline.objective,
        greedy_placed: baseline.placed,
        objective_vs_greedy: objective
            .filter(|_| baseline.objective > 0.0)
            .map(|o| o / baseline.objective),
        placed_vs_greedy: placed
            .filter(|_| baseline.placed > 0)
            .map(|p| p as f64 / baseline.placed as f64),
        check,
        failed_runs: runs
            .iter()
            .filter(|run| matches!(run.outcome, Outcome::Error(_)))
            .count(),
        load_max: runs.iter().filter_map(|run| run.load).reduce(f64::max),
    }
}

fn fixed(value: Option<f64>, decimals: usize) -> String {
    value.map_or_else(String::new, |v| format!("{v:.decimals$}"))
}

fn count<T: ToString>(value: Option<T>) -> String {
    value.map_or_else(String::new, |v| v.to_string())
}

/// The rows as CSV with [`CSV_COLUMNS`]; empty cells where a figure is unknown.
pub fn csv_bytes(rows: &[Row]) -> Result<Vec<u8>, csv::Error> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(CSV_COLUMNS)?;
    for row in rows {
        writer.write_record([
            row.setting.clone(),
            row.instance.clone(),
            row.runs.to_string(),
            row.status.clone(),
            fixed(row.objective, 4),
            fixed(row.best_bound, 4),
            fixed(row.gap, 6),
            fixed(row.first_solution_seconds, 3),
            format!("{:.3}", row.wall_median),
            format!("{:.3}", row.wall_min),
            format!("{:.3}", row.wall_max),
            fixed(row.cpu_median, 3),
            fixed(row.build_seconds, 3),
            fixed(row.solve_seconds, 3),
            fixed(row.peak_mb, 1),
            count(row.options),
            count(row.variables),
            count(row.constraints),
            count(row.placed),
            row.needs.to_string(),
            format!("{:.4}", row.greedy_objective),
            row.greedy_placed.to_string(),
            fixed(row.objective_vs_greedy, 4),
            fixed(row.placed_vs_greedy, 4),
            row.check.text(),
            match &row.check {
                Check::Invalid { violations, .. } => violations.to_string(),
                _ => "0".into(),
            },
            row.failed_runs.to_string(),
            fixed(row.load_max, 2),
        ])?;
    }
    writer.flush()?;
    writer.into_inner().map_err(|e| e.into_error().into())
}

/// Writes the CSV atomically, creating its folder if needed.
fn write_csv(path: &Path, rows: &[Row]) -> Result<(), WriteError> {
    let bytes = csv_bytes(rows)?;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        fs::create_dir_all(dir).map_err(|source| WriteError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
    }
    write_atomic(path, &bytes)
}

/// The main figures as an aligned Markdown table; numbers are right-aligned.
pub fn table(rows: &[Row]) -> String {
    let header = [
        "setting",
        "instance",
        "status",
        "objective",
        "bound",
        "gap",
        "first s",
        "wall s: median (min-max)",
        "cpu s",
        "build s",
        "peak MB",
        "placed",
        "obj/greedy",
        "placed/greedy",
        "verify",
    ];
    let right = [
        false, false, false, true, true, true, true, true, true, true, true, true, true, true,
        false,
    ];
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|row| {
            vec![
                row.setting.clone(),
                row.instance.clone(),
                row.status.clone(),
                fixed(row.objective, 1),
                fixed(row.best_bound, 1),
                row.gap
                    .map_or_else(String::new, |g| format!("{:.2}%", g * 100.0)),
                fixed(row.first_solution_seconds, 2),
                format!(
                    "{:.2} ({:.2}-{:.2})",
                    row.wall_median, row.wall_min, row.wall_max
                ),
                fixed(row.cpu_median, 2),
                fixed(row.build_seconds, 2),
                fixed(row.peak_mb, 0),
                format!("{}/{}", count(row.placed), row.needs),
                fixed(row.objective_vs_greedy, 3),
                fixed(row.placed_vs_greedy, 3),
                row.check.text(),
            ]
        })
        .collect();
    let widths: Vec<usize> = (0..header.len())
        .map(|i| {
            cells
                .iter()
                .map(|row| row[i].chars().count())
                .chain([header[i].chars().count(), 3])
                .max()
                .unwrap_or(3)
        })
        .collect();
    let line = |cells: &[String]| {
        let mut text = String::from("|");
        for (i, cell) in cells.iter().enumerate() {
            let width = widths[i];
            let _ = if right[i] {
                write!(text, " {cell:>width$} |")
            } else {
                write!(text, " {cell:<width$} |")
            };
        }
        text.push('\n');
        text
    };
    let mut out = line(&header.map(String::from));
    out.push('|');
    for (i, width) in widths.iter().enumerate() {
        let dashes = "-".repeat(*width);
        if right[i] {
            let _ = write!(out, " {}: |", &dashes[1..]);
        } else {
            let _ = write!(out, " {dashes} |");
        }
    }
    out.push('\n');
    for row in &cells {
        out.push_str(&line(row));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<BenchFile, InputErrors> {
        parse_bench_file(text, Path::new("settings.toml"))
    }

    #[test]
    fn settings_are_read_with_defaults_and_overrides() {
        let file = parse(
            "repeats = 2\n[[setting]]\nname = \"default\"\n\n[[setting]]\nname = \"fast\"\n\
             solver = \"highs\"\ntime_limit = 30\ngap = 0.01\nthreads = 1\npresolve = false\n\
             heuristic_effort = 0.3\nseed = 7\ngreedy_start = false\nruin_and_recreate = false\n\n\
             [[setting]]\n\
             name = \"greedy\"\nsolver = \"greedy\"\n",
        )
        .unwrap();
        assert_eq!(file.repeats, 2);
        assert_eq!(file.settings.len(), 3);
        assert_eq!(file.settings[0].settings, SolveSettings::default());
        let fast = &file.settings[1].settings;
        assert_eq!(fast.time_limit, Some(30.0));
        assert_eq!(fast.gap, Some(0.01));
        assert_eq!(fast.threads, Some(1));
        assert_eq!(fast.presolve, Some(false));
        assert_eq!(fast.heuristic_effort, Some(0.3));
        assert_eq!(fast.seed, Some(7));
        assert!(!fast.greedy_start);
        assert!(!fast.ruin_and_recreate);
        assert_eq!(file.settings[2].settings.engine, Engine::Greedy);
        assert_eq!(
            solve_flags(fast),
            [
                "--solver",
                "highs",
                "--time-limit",
                "30",
                "--gap",
                "0.01",
                "--threads",
                "1",
                "--seed",
                "7",
                "--presolve",
                "off",
                "--heuristic-effort",
                "0.3",
                "--no-greedy-start",
                "--no-ruin-and-recreate"
            ]
        );
    }

    #[test]
    fn every_bad_value_is_named_with_its_line_and_column() {
        let errors = parse(
            "[[setting]]\nname = \"a\"\ngap = 1.5\n[[setting]]\nname = \"a\"\n\
             solver = \"cplex\"\nthreads = 0\n",
        )
        .unwrap_err()
        .0;
        let places: Vec<(usize, usize)> = errors.iter().map(|e| (e.line, e.column)).collect();
        assert_eq!(places, [(3, 7), (5, 8), (6, 10), (7, 11)], "{errors:?}");
        assert!(errors[1].message.contains("two settings are named `a`"));
        assert!(errors[2].message.contains("cplex"));
    }

    #[test]
    fn unknown_keys_and_syntax_errors_point_at_their_place() {
        let unknown = parse("[[setting]]\nname = \"a\"\ngapp = 0.1\n")
            .unwrap_err()
            .0;
        assert_eq!((unknown[0].line, unknown[0].column), (3, 1));
        assert!(
            unknown[0].message.contains("gapp"),
            "{}",
            unknown[0].message
        );
        let syntax = parse("repeats = 2\n[[setting]\nname = \"a\"\n")
            .unwrap_err()
            .0;
        assert_eq!(syntax[0].line, 2);
        let empty = parse("repeats = 2\n").unwrap_err().0;
        assert!(empty[0].message.contains("no `[[setting]]`"));
    }

    #[test]
    fn the_median_is_the_middle_or_the_mean_of_the_two_middle_values() {
        assert_eq!(median(&mut [3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&mut [4.0, 1.0, 2.0, 3.0]), Some(2.5));
        assert_eq!(median(&mut []), None);
    }

    #[test]
    fn the_peak_memory_of_this_process_is_known_on_linux() {
        let peak = own_peak_bytes().expect("VmHWM is in /proc/self/status on Linux");
        assert!(peak > 1024 * 1024, "{peak}");
    }
}
