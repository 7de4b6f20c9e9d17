//! Criterion benchmarks of model building and solving on the bundled instances.
//!
//! ```sh
//! cargo bench --bench solve                 # all groups, a few minutes on 2 cores
//! cargo bench --bench solve -- build        # only model building
//! cargo bench --bench solve -- 'solve/greedy'
//! ```
//!
//! Group `build` times candidate enumeration and the formulation (no solver); group `solve`
//! times a full solve with one thread, seed 1 and a 1% gap, and the greedy baseline. Each
//! benchmark id is `setting/instance`. `instances/antwerpen.toml` (generated, see
//! BENCHMARKS.md) joins when it exists; its HiGHS solve only with `ROOSTERAAR_BENCH_LARGE=1`,
//! since ten samples of it take many minutes.

use std::hint::black_box;
use std::path::PathBuf;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, SamplingMode, criterion_group, criterion_main};
use roosteraar::candidates::Candidates;
use roosteraar::domain::Scenario;
use roosteraar::model::Formulation;
use roosteraar::solve::{Engine, SolveSettings, solve};

/// The instances, by name; the generated one is optional.
const INSTANCES: [(&str, bool); 4] = [
    ("tiny", false),
    ("weert-duaal", false),
    ("kina", false),
    ("antwerpen", true),
];

/// Instances whose HiGHS solve is too slow for ten samples in a routine run.
const LARGE: [&str; 1] = ["antwerpen"];

fn instances() -> Vec<(&'static str, Scenario)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("instances");
    let mut loaded = Vec::new();
    for (name, generated) in INSTANCES {
        let path = dir.join(format!("{name}.toml"));
        if generated && !path.exists() {
            eprintln!(
                "note: skipping {name}: {} does not exist (see BENCHMARKS.md to generate it)",
                path.display()
            );
            continue;
        }
        match roosteraar::input::load_scenario(&path) {
            Ok(scenario) => loaded.push((name, scenario)),
            Err(errors) => eprintln!("note: skipping {name}: {errors}"),
        }
    }
    loaded
}

fn build(c: &mut Criterion) {
    let mut group = c.benchmark_group("build");
    // Flat sampling: ten samples of equal iterations, rather than criterion's default of
    // 1, 2, ..., 10 iterations (55 in all), which for a one-second build takes a minute.
    group
        .sampling_mode(SamplingMode::Flat)
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
    for (name, scenario) in instances() {
        group.bench_with_input(BenchmarkId::new("default", name), &scenario, |b, s| {
            b.iter(|| {
                let candidates = Candidates::new(s);
                black_box(Formulation::new(s, &candidates));
            });
        });
    }
    group.finish();
}

fn solving(c: &mut Criterion) {
    let large = std::env::var_os("ROOSTERAAR_BENCH_LARGE").is_some_and(|v| v == "1");
    let highs = SolveSettings {
        engine: Engine::Highs,
        threads: Some(1),
        seed: Some(1),
        gap: Some(0.01),
        ..SolveSettings::default()
    };
    let greedy = SolveSettings {
        engine: Engine::Greedy,
        ..SolveSettings::default()
    };
    let mut group = c.benchmark_group("solve");
    // Criterion's smallest sample, flat as in `build`, so a multi-second solve runs about
    // ten times rather than 55.
    group
        .sampling_mode(SamplingMode::Flat)
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(10));
    for (name, scenario) in instances() {
        for (setting, settings) in [("highs-1thread-gap1pct", &highs), ("greedy", &greedy)] {
            if settings.engine == Engine::Highs && LARGE.contains(&name) && !large {
                eprintln!(
                    "note: skipping solve/{setting}/{name}: set ROOSTERAAR_BENCH_LARGE=1 to run it"
                );
                continue;
            }
            group.bench_with_input(BenchmarkId::new(setting, name), &scenario, |b, s| {
                b.iter(|| black_box(solve(s, settings).expect("the bundled instances solve")));
            });
        }
    }
    group.finish();
}

criterion_group!(benches, build, solving);
criterion_main!(benches);
