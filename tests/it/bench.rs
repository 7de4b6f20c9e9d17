//! `roosteraar bench` through the binary: the CSV it writes and its exit codes. The figures
//! are measurements, so only their presence and consistency are checked, never their size.

use assert_cmd::Command;

use crate::solve::instance;

fn roosteraar() -> Command {
    let mut command = Command::cargo_bin("roosteraar").unwrap();
    command.env("NO_COLOR", "1");
    command
}

#[test]
fn bench_writes_one_verified_row_per_setting_and_instance() {
    let dir = tempfile::tempdir().unwrap();
    let settings = dir.path().join("settings.toml");
    std::fs::write(
        &settings,
        "repeats = 5\n\n[[setting]]\nname = \"one-thread\"\nthreads = 1\nseed = 1\n\n\
         [[setting]]\nname = \"greedy\"\nsolver = \"greedy\"\n",
    )
    .unwrap();
    let csv_path = dir.path().join("results").join("bench.csv");
    let output = roosteraar()
        .arg("bench")
        .arg(&settings)
        .arg(instance("tiny.toml"))
        .arg("-o")
        .arg(&csv_path)
        .args(["--repeats", "2"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    // One progress line per run: --repeats 2 overrides the file's 5.
    assert_eq!(stderr.matches(" · run ").count(), 4, "{stderr}");

    let mut reader = csv::Reader::from_path(&csv_path).unwrap();
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(header, roosteraar::bench::CSV_COLUMNS);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2);
    let cell = |row: &csv::StringRecord, column: &str| -> String {
        let index = header.iter().position(|c| c == column).unwrap();
        row[index].to_string()
    };
    let number = |row: &csv::StringRecord, column: &str| -> f64 {
        cell(row, column)
            .parse()
            .unwrap_or_else(|_| panic!("{column} is `{}`", cell(row, column)))
    };

    let (highs, greedy) = (&rows[0], &rows[1]);
    assert_eq!(cell(highs, "setting"), "one-thread");
    assert_eq!(cell(greedy, "setting"), "greedy");
    for row in &rows {
        assert_eq!(cell(row, "instance"), "tiny");
        assert_eq!(cell(row, "runs"), "2");
        assert_eq!(cell(row, "verify"), "valid");
        assert_eq!(cell(row, "violations"), "0");
        assert_eq!(cell(row, "failed_runs"), "0");
        assert_eq!(cell(row, "needs"), "11");
        assert!(number(row, "wall_min_s") <= number(row, "wall_median_s"));
        assert!(number(row, "wall_median_s") <= number(row, "wall_max_s"));
        assert!(number(row, "peak_mb") > 0.0);
        assert!(number(row, "placed") <= number(row, "needs"));
    }
    // tiny.md derives the optimum by hand: 7 of 11 needs placed, proven optimal.
    assert_eq!(cell(highs, "status"), "optimal");
    assert_eq!(cell(highs, "placed"), "7");
    assert_eq!(number(highs, "gap"), 0.0);
    assert!(number(highs, "objective") >= number(highs, "greedy_objective"));
    assert!(number(highs, "objective_vs_greedy") >= 1.0);
    // The greedy row is the baseline itself, run in a child process.
    assert_eq!(cell(greedy, "status"), "heuristic");
    assert_eq!(
        number(greedy, "objective"),
        number(greedy, "greedy_objective")
    );
    assert_eq!(number(greedy, "objective_vs_greedy"), 1.0);
    assert_eq!(cell(greedy, "best_bound"), "");

    // The table on standard output has a header, a rule and the two rows.
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(stdout.lines().count(), 4, "{stdout}");
    assert!(stdout.lines().nth(2).unwrap().contains("one-thread"));
}

#[test]
fn a_malformed_settings_file_exits_2_naming_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let settings = dir.path().join("settings.toml");
    std::fs::write(
        &settings,
        "repeats = 2\n\n[[setting]]\nname = \"fast\"\ngap = \"one percent\"\n",
    )
    .unwrap();
    let csv_path = dir.path().join("bench.csv");
    let output = roosteraar()
        .arg("bench")
        .arg(&settings)
        .arg(instance("tiny.toml"))
        .arg("-o")
        .arg(&csv_path)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("settings.toml:5:7"), "{stderr}");
    assert!(
        !csv_path.exists(),
        "nothing is measured, so nothing is written"
    );
}

#[test]
fn a_value_out_of_range_exits_2_naming_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let settings = dir.path().join("settings.toml");
    std::fs::write(
        &settings,
        "[[setting]]\nname = \"a\"\n\n[[setting]]\nname = \"b\"\nthreads = 0\n",
    )
    .unwrap();
    let output = roosteraar()
        .arg("bench")
        .arg(&settings)
        .arg(instance("tiny.toml"))
        .arg("-o")
        .arg(dir.path().join("bench.csv"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("settings.toml:6:11") && stderr.contains("threads"),
        "{stderr}"
    );
}
