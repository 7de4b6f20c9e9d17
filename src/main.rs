//! The `roosteraar` command: reads the arguments, calls the library, maps outcomes to exit
//! codes (0 done, 1 no timetable or violations found, 2 bad input or usage).

use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use roosteraar::domain::Scenario;
use roosteraar::input::{self, InputError, InputErrors};
use roosteraar::model::CoverageTarget;
use roosteraar::solve::{Engine, SolveError, SolveSettings};
use roosteraar::timetable::Timetable;

const GLOSSARY: &str = "\
Words used here:
  scenario      one TOML file (plus an optional learner CSV) describing municipalities,
                venues and rooms, teachers, weekly formats, courses, shifts and learners
  learner-need  one course one learner needs (NT2 = Dutch as a second language at a level,
                MO = civic orientation, often in the learner's own language); a learner
                with NT2 A2 and MO in Arabic has two needs
  format        a weekly pattern of sessions, such as day classes or two evenings a week
  class         a course given in one format, in one room of a venue, by one teacher, to
                a group of learners, weekly from the first week of the term
  shift         a learner's work schedule; rotating shifts list one set of windows a week
  workplace     a venue with an `employer`: only that employer's learners attend, and
                lessons there may fall in paid working time
  coverage      placed learner-needs divided by all learner-needs
  unplaced      a learner-need in no class, with the first reason that applies:
                out-of-reach, no-compatible-time, no-teacher or capacity
  sweep         one base scenario planned under several named changes (variants), such
                as an extra evening teacher or another budget, compared in one table

Exit codes: 0 done; 1 no timetable found, or `verify` found violations; 2 bad input or usage.";

/// Plans NT2 and civic-orientation classes for newcomers: which classes to open, where,
/// when and with which teacher, and which learner joins which class, without ever clashing
/// with a learner's work.
#[derive(Parser, Debug)]
#[command(name = "roosteraar", version, about, after_help = GLOSSARY)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Print only errors.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    quiet: bool,
    /// Print more about what happens (-vv for the solver's own log).
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    verbose: u8,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Check a scenario and list every mistake at once, with file, line and column.
    Validate {
        /// The scenario TOML file, or `-` for standard input.
        scenario: PathBuf,
    },
    /// Plan classes for a scenario and write the timetable and tables people read.
    Solve(SolveArgs),
    /// Check any timetable file against a scenario by every rule, without a solver.
    Verify {
        /// The scenario TOML file, or `-` for standard input.
        scenario: PathBuf,
        /// The timetable JSON file, or `-` for standard input.
        timetable: PathBuf,
    },
    /// Write report.html, calendar/*.ics and referrals.csv for a timetable file. The
    /// timetable is checked first; broken rules are listed on standard error and at the top
    /// of the report, and the files are written all the same.
    Report {
        /// The scenario TOML file, or `-` for standard input.
        scenario: PathBuf,
        /// The timetable JSON file, or `-` for standard input.
        timetable: PathBuf,
        /// Directory to write into; created when missing.
        #[arg(short, long, value_name = "DIR")]
        output: PathBuf,
    },
    /// Write a realistic scenario for a region: real municipalities, invented venues,
    /// teachers and learners; the same arguments always give the same file.
    Generate(GenerateArgs),
    /// Plan a base scenario under named changes and compare them: the sweep file names the
    /// base and `[[variant]]` overlays in the scenario's own format (entities amended or added
    /// by id, `remove = { teacher = ["t-x"] }`, `[variant.budget] max_cost = ...`) and a
    /// `[vary]` table of value lists whose every combination is run (docs/sweeps.md). Writes
    /// DIR/sweep.csv, coverage.csv, sweep.md, coverage-cost.svg and, per variant,
    /// DIR/<variant>/scenario.toml (runs on its own) with its verified timetable. Exit 1 when
    /// a variant has no timetable or its timetable breaks a rule.
    Sweep(SweepArgs),
    /// Compare named solver settings on scenarios: each runs several times in its own
    /// process; prints a table (status, objective, bound, gap, times, peak memory, ratio to
    /// the greedy baseline) and writes it as CSV. Every timetable is checked by `verify`.
    Bench(BenchArgs),
}

#[derive(Args, Debug)]
struct BenchArgs {
    /// TOML file of named settings: `repeats = N`, then `[[setting]]` tables with `name`
    /// and any of `solver`, `time_limit`, `gap`, `threads`, `presolve`, `heuristic_effort`,
    /// `seed`, `greedy_start`, `ruin_and_recreate`.
    settings: PathBuf,
    /// Scenario TOML files.
    #[arg(required = true)]
    instances: Vec<PathBuf>,
    /// CSV file for the results.
    #[arg(short, long, value_name = "FILE", default_value = "bench.csv")]
    output: PathBuf,
    /// Runs of each setting on each scenario (instead of the file's `repeats`).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=1000))]
    repeats: Option<u32>,
}

#[derive(Args, Debug)]
struct SweepArgs {
    /// The sweep TOML file.
    sweep: PathBuf,
    /// Directory for the tables, the chart and one directory per variant; created when
    /// missing.
    #[arg(short, long, value_name = "DIR")]
    output: PathBuf,
    /// Stop each variant's solver after this many seconds and keep the best timetable found
    /// (instead of the sweep file's `time_limit`).
    #[arg(long, value_name = "SECONDS", value_parser = positive_f64)]
    time_limit: Option<f64>,
    /// Stop each variant once proven within this fraction of the best possible (instead of
    /// the sweep file's `gap`).
    #[arg(long, value_name = "FRACTION", value_parser = fraction)]
    gap: Option<f64>,
    /// Variants planned at once, each with one solver thread [default: the number of cores].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=1024))]
    jobs: Option<u32>,
    /// Planner for every variant (instead of the sweep file's `solver`): `auto`, `highs`,
    /// `greedy` or `regions` (see `solve --help`).
    #[arg(long, value_enum)]
    solver: Option<EngineArg>,
}

#[derive(Args, Debug)]
struct SolveArgs {
    /// The scenario TOML file, or `-` for standard input.
    scenario: PathBuf,
    /// Directory for timetable.json, classes.csv, learners.csv, summary.md, report.html,
    /// referrals.csv and calendar/; `-` writes only the timetable JSON to standard output.
    #[arg(short, long, value_name = "DIR")]
    output: PathBuf,
    /// Stop the solver after this many seconds and keep the best timetable found.
    #[arg(long, value_name = "SECONDS", value_parser = positive_f64)]
    time_limit: Option<f64>,
    /// Stop once the timetable is proven within this fraction of the best possible
    /// (0.01 = 1%).
    #[arg(long, value_name = "FRACTION", value_parser = fraction)]
    gap: Option<f64>,
    /// Solver threads.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=1024))]
    threads: Option<u32>,
    /// Solver random seed: the same seed and settings give the same timetable.
    #[arg(long, value_name = "N")]
    seed: Option<u32>,
    /// Planner: `highs`, the integer program (optimal, or with a proven gap); `greedy`, the
    /// baseline that fills the class most learners could join, then the next; `regions`,
    /// the greedy plan improved by ruin and recreate (closing a few classes and
    /// re-planning them quickly, many thousand times) and then by HiGHS one region of
    /// nearby venues at a time, for provinces and larger where the whole program is too
    /// big to solve in time (with --time-limit, HiGHS works on the whole program, or on a
    /// province its relaxation, alongside for a bound); or `auto`,
    /// `highs` when the whole program has at most 6,000 join decisions (a learner-need joining
    /// a course in a format at a venue), else `regions`.
    #[arg(long, value_enum, default_value_t = EngineArg::Auto)]
    solver: EngineArg,
    /// Start HiGHS from the empty timetable instead of the greedy one.
    #[arg(long)]
    no_greedy_start: bool,
    /// With `regions` (and `auto` on a province): skip ruin and recreate, the quick search
    /// that improves the greedy plan before the regions (half of --time-limit).
    #[arg(long)]
    no_ruin_and_recreate: bool,
    /// "What would it take": place at least this share of all learner-needs (0.95 = 95%)
    /// at the lowest cost, using optional teachers, rooms and opening hours as needed.
    /// When even all of them cannot reach it, says so with the best share reachable
    /// and exits 1.
    #[arg(long, value_name = "FRACTION", value_parser = fraction)]
    target_coverage: Option<f64>,
    /// With --target-coverage: require the share in every municipality with demand.
    #[arg(long, requires = "target_coverage")]
    per_municipality: bool,
    // Hidden: solver tuning for `bench`, not a planner's choice.
    /// HiGHS presolve, `on` or `off`.
    #[arg(long, value_name = "on|off", hide = true, value_parser = clap::builder::BoolishValueParser::new())]
    presolve: Option<bool>,
    /// Share of HiGHS's effort spent on primal heuristics.
    #[arg(long, value_name = "FRACTION", hide = true, value_parser = fraction)]
    heuristic_effort: Option<f64>,
    /// Write the model's size, build time and this process's peak memory to FILE (for `bench`).
    #[arg(long, value_name = "FILE", hide = true)]
    stats: Option<PathBuf>,
}

/// The planners `--solver` can name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum EngineArg {
    Auto,
    Highs,
    Greedy,
    Regions,
}

impl From<EngineArg> for Engine {
    fn from(engine: EngineArg) -> Engine {
        match engine {
            EngineArg::Auto => Engine::Auto,
            EngineArg::Highs => Engine::Highs,
            EngineArg::Greedy => Engine::Greedy,
            EngineArg::Regions => Engine::Regions,
        }
    }
}

fn positive_f64(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(value) if value.is_finite() && value > 0.0 => Ok(value),
        _ => Err(format!("`{text}` is not a positive number of seconds")),
    }
}

fn fraction(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(value) if (0.0..=1.0).contains(&value) => Ok(value),
        _ => Err(format!("`{text}` is not a fraction between 0 and 1")),
    }
}

/// How a command ended, as the exit code says.
enum Outcome {
    Done,
    Failed,
    BadInput,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            return ExitCode::from(if error.use_stderr() { 2 } else { 0 });
        }
    };
    init_logging(&cli);
    let outcome = match &cli.command {
        Command::Validate { scenario } => validate(scenario),
        Command::Solve(args) => solve(args, !cli.quiet),
        Command::Verify {
            scenario,
            timetable,
        } => verify(scenario, timetable),
        Command::Report {
            scenario,
            timetable,
            output,
        } => report(scenario, timetable, output),
        Command::Generate(args) => generate(args),
        Command::Sweep(args) => sweep(args, !cli.quiet),
        Command::Bench(args) => bench(args),
    };
    match outcome {
        Outcome::Done => ExitCode::SUCCESS,
        Outcome::Failed => ExitCode::from(1),
        Outcome::BadInput => ExitCode::from(2),
    }
}

fn init_logging(cli: &Cli) {
    let level = match (cli.quiet, cli.verbose, &cli.command) {
        (true, _, _) => "error",
        // One line per variant says it all; each solve's own lines would drown them.
        // The highs crate warns whenever HiGHS stops at a limit, which the status says.
        (false, 0, Command::Sweep(_)) => {
            "warn,highs=error,roosteraar=info,roosteraar::solve=warn,roosteraar::regions=warn"
        }
        (false, 0, _) => "warn,highs=error,roosteraar=info",
        (false, 1, _) => "debug",
        (false, _, _) => "trace",
    };
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("ROOSTERAAR_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(level)),
        )
        // Standard error, written around the progress bar of `sweep` when one is drawn.
        .with_writer(roosteraar::sweep::LogWriter)
        .with_ansi(color)
        .with_target(false)
        .without_time()
        .init();
}

fn validate(path: &Path) -> Outcome {
    match load(path) {
        Ok(scenario) => {
            tracing::info!(
                "{} is valid: {} learners with {} needs, {} venues, {} teachers, {} courses",
                display_name(path),
                scenario.learners.len(),
                scenario
                    .learners
                    .iter()
                    .map(|l| l.needs.len())
                    .sum::<usize>(),
                scenario.venues.len(),
                scenario.teachers.len(),
                scenario.courses.len()
            );
            Outcome::Done
        }
        Err(errors) => report_input_errors(&errors),
    }
}

fn solve(args: &SolveArgs, progress: bool) -> Outcome {
    if args.target_coverage.is_some() && !matches!(args.solver, EngineArg::Highs | EngineArg::Auto)
    {
        tracing::error!(
            "--target-coverage needs `--solver highs` (or `auto`): only the whole integer \
             program can find the cheapest plan that reaches a coverage"
        );
        return Outcome::BadInput;
    }
    let scenario = match load(&args.scenario) {
        Ok(scenario) => scenario,
        Err(errors) => return report_input_errors(&errors),
    };
    let settings = SolveSettings {
        time_limit: args.time_limit,
        gap: args.gap,
        threads: args.threads,
        seed: args.seed,
        solver_log: tracing::enabled!(tracing::Level::TRACE),
        engine: args.solver.into(),
        greedy_start: !args.no_greedy_start,
        ruin_and_recreate: !args.no_ruin_and_recreate,
        presolve: args.presolve,
        heuristic_effort: args.heuristic_effort,
        target: args.target_coverage.map(|share| CoverageTarget {
            share,
            per_municipality: args.per_municipality,
        }),
        progress,
        ..SolveSettings::default()
    };
    let solved = match roosteraar::solve::solve(&scenario, &settings) {
        Ok(solved) => solved,
        Err(error @ SolveError::NoSolution { .. }) => {
            tracing::error!("{error}; no timetable written");
            return Outcome::Failed;
        }
        Err(error) => {
            tracing::error!("{error}");
            return Outcome::Failed;
        }
    };
    let timetable = &solved.timetable;
    if args.output == Path::new("-") {
        let mut stdout = std::io::stdout().lock();
        let json = roosteraar::write::timetable_json(timetable);
        let written = stdout
            .write_all(json.as_bytes())
            .and_then(|_| stdout.flush());
        // A closed pipe means the reader has what it wanted; that is not a failure.
        if let Err(error) = written
            && error.kind() != std::io::ErrorKind::BrokenPipe
        {
            tracing::error!("cannot write to standard output: {error}");
            return Outcome::Failed;
        }
    } else {
        match roosteraar::write::write_all(&args.output, &scenario, timetable) {
            Ok(paths) => {
                for path in paths {
                    tracing::debug!("wrote {}", path.display());
                }
            }
            Err(error) => {
                tracing::error!("{error}");
                return Outcome::BadInput;
            }
        }
        if let Err(outcome) = write_report(&args.output, &scenario, timetable, &[]) {
            return outcome;
        }
    }
    let summary = &timetable.summary;
    tracing::info!(
        "{}: placed {} of {} learner-needs in {} classes; status {}, objective {:.2}, gap {}",
        timetable.scenario,
        summary.placed,
        summary.needs,
        timetable.classes.len(),
        timetable.solver.status.name(),
        timetable.solver.objective,
        timetable
            .solver
            .gap
            .map_or("unknown".to_string(), |gap| format!("{:.3}%", gap * 100.0)),
    );
    // Last, so that the peak memory it records covers the whole run.
    if let Some(path) = &args.stats
        && let Err(error) = roosteraar::bench::write_run_stats(path, &solved.stats)
    {
        tracing::error!("{error}");
        return Outcome::Failed;
    }
    Outcome::Done
}

fn bench(args: &BenchArgs) -> Outcome {
    let program = match std::env::current_exe() {
        Ok(program) => program,
        Err(error) => {
            tracing::error!("cannot find the roosteraar executable to run: {error}");
            return Outcome::Failed;
        }
    };
    let request = roosteraar::bench::BenchRequest {
        settings_file: args.settings.clone(),
        instances: args.instances.clone(),
        output: args.output.clone(),
        repeats: args.repeats.map(|n| n as usize),
        program,
    };
    match roosteraar::bench::bench(&request) {
        Ok(report) => {
            let printed = write_stdout(&report.table());
            tracing::info!("wrote {}", args.output.display());
            if report.passed() {
                printed
            } else {
                tracing::error!("a run failed or a timetable broke a rule; see the table");
                Outcome::Failed
            }
        }
        Err(roosteraar::bench::BenchError::Input(errors)) => report_input_errors(&errors),
        Err(error @ roosteraar::bench::BenchError::Write(_)) => {
            tracing::error!("{error}");
            Outcome::BadInput
        }
        Err(error) => {
            tracing::error!("{error}");
            Outcome::Failed
        }
    }
}

fn sweep(args: &SweepArgs, progress: bool) -> Outcome {
    if args.output == Path::new("-") {
        tracing::error!("`sweep` writes several files: give a directory with `-o DIR`, not `-`");
        return Outcome::BadInput;
    }
    let request = roosteraar::sweep::SweepRequest {
        sweep_file: args.sweep.clone(),
        output: args.output.clone(),
        jobs: args.jobs.map(|n| n as usize),
        time_limit: args.time_limit,
        gap: args.gap,
        engine: args.solver.map(Engine::from),
        progress,
    };
    match roosteraar::sweep::sweep(&request) {
        Ok(report) => {
            tracing::info!(
                "wrote sweep.csv, coverage.csv, sweep.md, coverage-cost.svg and {} variant directories to {}",
                report.variants.len(),
                args.output.display()
            );
            if report.passed() {
                Outcome::Done
            } else {
                let failing = report.variants.iter().filter(|v| !v.passed()).count();
                tracing::error!(
                    "{failing} variant(s) have no timetable or a timetable that breaks a rule; see sweep.md"
                );
                Outcome::Failed
            }
        }
        Err(roosteraar::sweep::SweepError::Input(errors)) => report_input_errors(&errors),
        Err(error @ roosteraar::sweep::SweepError::Write(_)) => {
            tracing::error!("{error}");
            Outcome::BadInput
        }
        Err(error) => {
            tracing::error!("{error}");
            Outcome::Failed
        }
    }
}

fn verify(scenario_path: &Path, timetable_path: &Path) -> Outcome {
    let (scenario, timetable) = match load_with_timetable(scenario_path, timetable_path) {
        Ok(both) => both,
        Err(outcome) => return outcome,
    };
    let violations = roosteraar::verify::verify(&scenario, &timetable);
    if violations.is_empty() {
        tracing::info!(
            "{} is a valid timetable for {}: every rule holds",
            display_name(timetable_path),
            display_name(scenario_path)
        );
        return Outcome::Done;
    }
    let mut stdout = std::io::stdout().lock();
    for violation in &violations {
        if writeln!(stdout, "{violation}").is_err() {
            break; // a closed pipe: the reader has seen enough
        }
    }
    tracing::error!("{} violation(s) found", violations.len());
    Outcome::Failed
}

/// Writes report.html, referrals.csv and calendar/*.ics into `dir`; a failure is logged
/// and comes back as the outcome to exit with.
fn write_report(
    dir: &Path,
    scenario: &Scenario,
    timetable: &Timetable,
    violations: &[roosteraar::verify::Violation],
) -> Result<(), Outcome> {
    match roosteraar::report::write_report(dir, scenario, timetable, violations) {
        Ok(paths) => {
            for path in paths {
                tracing::debug!("wrote {}", path.display());
            }
            Ok(())
        }
        Err(error) => {
            tracing::error!("{error}");
            Err(Outcome::BadInput)
        }
    }
}

fn report(scenario_path: &Path, timetable_path: &Path, output: &Path) -> Outcome {
    if output == Path::new("-") {
        tracing::error!("`report` writes several files: give a directory with `-o DIR`, not `-`");
        return Outcome::BadInput;
    }
    let (scenario, timetable) = match load_with_timetable(scenario_path, timetable_path) {
        Ok(both) => both,
        Err(outcome) => return outcome,
    };
    let violations = roosteraar::verify::verify(&scenario, &timetable);
    if !violations.is_empty() {
        for violation in violations.iter().take(MAX_ERRORS_SHOWN) {
            tracing::warn!("{violation}");
        }
        tracing::warn!(
            "{} breaks {} rule(s); the report shows it as written and lists them at the top",
            display_name(timetable_path),
            violations.len()
        );
    }
    if let Err(outcome) = write_report(output, &scenario, &timetable, &violations) {
        return outcome;
    }
    tracing::info!(
        "wrote report.html, referrals.csv and calendar/ for {} classes to {}",
        timetable.classes.len(),
        output.display()
    );
    Outcome::Done
}

/// Loads a scenario and a timetable file, reporting the errors of both at once.
fn load_with_timetable(
    scenario_path: &Path,
    timetable_path: &Path,
) -> Result<(Scenario, Timetable), Outcome> {
    if scenario_path == Path::new("-") && timetable_path == Path::new("-") {
        tracing::error!("only one of SCENARIO and TIMETABLE can be read from standard input");
        return Err(Outcome::BadInput);
    }
    let scenario = load(scenario_path);
    let timetable = read_text(timetable_path).and_then(|text| {
        Timetable::from_json(&text, timetable_path).map_err(|e| InputErrors(vec![e]))
    });
    match (scenario, timetable) {
        (Ok(scenario), Ok(timetable)) => Ok((scenario, timetable)),
        (scenario, timetable) => {
            let mut errors = Vec::new();
            errors.extend(scenario.err().into_iter().flat_map(|e| e.0));
            errors.extend(timetable.err().into_iter().flat_map(|e| e.0));
            Err(report_input_errors(&InputErrors(errors)))
        }
    }
}

/// Loads a scenario from a file, or from standard input for `-` (learner CSV paths are then
/// relative to the working directory).
fn load(path: &Path) -> Result<Scenario, InputErrors> {
    if path == Path::new("-") {
        let bytes = read_bytes(path)?;
        input::load_scenario_bytes(bytes, Path::new("<stdin>"))
    } else {
        input::load_scenario(path)
    }
}

/// Reads a whole file as text, or standard input for `-`.
fn read_text(path: &Path) -> Result<String, InputErrors> {
    let bytes = read_bytes(path)?;
    String::from_utf8(bytes).map_err(|e| whole_file_error(path, format!("not UTF-8 text: {e}")))
}

fn whole_file_error(path: &Path, message: String) -> InputErrors {
    InputErrors(vec![InputError {
        file: path.to_path_buf(),
        line: 0,
        column: 0,
        message,
        help: None,
    }])
}

/// Reads a whole file, or standard input for `-`.
fn read_bytes(path: &Path) -> Result<Vec<u8>, InputErrors> {
    let mut bytes = Vec::new();
    let result = if path == Path::new("-") {
        std::io::stdin().read_to_end(&mut bytes).map(|_| ())
    } else {
        std::fs::File::open(path).and_then(|mut file| file.read_to_end(&mut bytes).map(|_| ()))
    };
    result.map_err(|e| whole_file_error(path, format!("cannot read: {e}")))?;
    Ok(bytes)
}

/// How a path is named in messages: `-` is standard input.
fn display_name(path: &Path) -> String {
    if path == Path::new("-") {
        "standard input".to_string()
    } else {
        path.display().to_string()
    }
}

/// Errors shown before the rest are only counted: a spreadsheet exported with the wrong
/// columns can have an error on every one of thousands of rows.
const MAX_ERRORS_SHOWN: usize = 100;

fn report_input_errors(errors: &InputErrors) -> Outcome {
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let mut stderr = std::io::stderr().lock();
    for error in errors.0.iter().take(MAX_ERRORS_SHOWN) {
        let _ = if color {
            writeln!(stderr, "\x1b[1;31merror\x1b[0m: {error}")
        } else {
            writeln!(stderr, "error: {error}")
        };
    }
    if errors.0.len() > MAX_ERRORS_SHOWN {
        let _ = writeln!(
            stderr,
            "... and {} more errors not shown",
            errors.0.len() - MAX_ERRORS_SHOWN
        );
    }
    let _ = writeln!(stderr, "{} error(s); nothing was planned", errors.0.len());
    Outcome::BadInput
}

#[derive(Args, Debug)]
struct GenerateArgs {
    /// A Flemish province (antwerpen, limburg, oost-vlaanderen, vlaams-brabant,
    /// west-vlaanderen), `flanders` (all 285 municipalities) or `weert`.
    #[arg(long)]
    region: String,
    /// Number of learners.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    learners: u32,
    /// Seed of the random stream: another seed gives another scenario of the same kind.
    #[arg(long, value_name = "S")]
    seed: u64,
    /// Municipality ids to leave out, comma-separated (e.g. `antwerpen` for the province
    /// outside the city).
    #[arg(long, value_name = "ID[,ID...]", value_delimiter = ',')]
    exclude: Vec<String>,
    /// The scenario file to write; `-` or absent writes to standard output.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
}

fn generate(args: &GenerateArgs) -> Outcome {
    let options = roosteraar::generate::GenerateOptions {
        region: args.region.clone(),
        learners: args.learners,
        seed: args.seed,
        exclude: args.exclude.clone(),
    };
    let text = match roosteraar::generate::generate(&options) {
        Ok(text) => text,
        Err(error) => {
            tracing::error!("{error}");
            return Outcome::BadInput;
        }
    };
    match args.output.as_deref() {
        None => write_stdout(&text),
        Some(path) if path == Path::new("-") => write_stdout(&text),
        Some(path) => match roosteraar::write::write_atomic(path, text.as_bytes()) {
            Ok(()) => {
                tracing::info!("wrote {}", path.display());
                Outcome::Done
            }
            Err(error) => {
                tracing::error!("{error}");
                Outcome::BadInput
            }
        },
    }
}

/// Writes `text` to standard output; a closed pipe is not a failure (the reader has what
/// it wanted).
fn write_stdout(text: &str) -> Outcome {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|_| stdout.flush())
    {
        Err(error) if error.kind() != std::io::ErrorKind::BrokenPipe => {
            tracing::error!("cannot write to standard output: {error}");
            Outcome::Failed
        }
        _ => Outcome::Done,
    }
}
