//! Solves the LP relaxation of a scenario's whole program with HiGHS and prints its value,
//! the bound its duals prove (whatever their accuracy) and the time: a bound on any
//! timetable's objective, and a measure of how hard the root LP is.
//!
//! ```sh
//! cargo run --release --example lp_relaxation -- SCENARIO [HIGHS_OPTION=VALUE ...]
//! cargo run --release --example lp_relaxation -- instances/antwerpen.toml solver=ipm run_crossover=off
//! ```
//! Values are passed as integer, float, `true`/`false` or string, whichever parses first.

use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use good_lp::solvers::highs::highs;
use roosteraar::candidates::Candidates;
use roosteraar::model::Formulation;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((path, options)) = args.split_first() else {
        eprintln!("usage: lp_relaxation SCENARIO [HIGHS_OPTION=VALUE ...]");
        return ExitCode::from(2);
    };
    let scenario = match roosteraar::input::load_scenario(Path::new(path)) {
        Ok(scenario) => scenario,
        Err(errors) => {
            eprintln!(
                "{path}: {} input errors; run `roosteraar validate`",
                errors.0.len()
            );
            return ExitCode::from(2);
        }
    };
    let started = Instant::now();
    let candidates = Candidates::new(&scenario);
    let formulation = Formulation::new(&scenario, &candidates);
    let dual_bound = formulation.dual_bound();
    let (problem, _) = formulation.into_problem(highs);
    let mut model = problem.into_inner();
    model.set_option("solve_relaxation", true);
    for option in options {
        let Some((name, value)) = option.split_once('=') else {
            eprintln!("not NAME=VALUE: {option}");
            return ExitCode::from(2);
        };
        let set = if let Ok(value) = value.parse::<i32>() {
            model.try_set_option(name, value)
        } else if let Ok(value) = value.parse::<f64>() {
            model.try_set_option(name, value)
        } else if let Ok(value) = value.parse::<bool>() {
            model.try_set_option(name, value)
        } else {
            model.try_set_option(name, value)
        };
        if set.is_err() {
            eprintln!("HiGHS refused option {option}");
            return ExitCode::from(2);
        }
    }
    let solved = match model.try_solve() {
        Ok(solved) => solved,
        Err(status) => {
            eprintln!("HiGHS failed: {status:?}");
            return ExitCode::from(1);
        }
    };
    let bound = dual_bound.bound(solved.get_solution().dual_rows());
    println!(
        "{path}: LP relaxation {:?}, value {:.1}, bound from its duals {}, {:.1} s including \
         the model build",
        solved.status(),
        solved.objective_value(),
        bound.map_or("none".to_owned(), |bound| format!("{bound:.1}")),
        started.elapsed().as_secs_f64()
    );
    ExitCode::SUCCESS
}
