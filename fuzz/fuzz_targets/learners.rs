//! Learner CSV: any bytes in the file a valid scenario names must load or be rejected with
//! placed errors, never panic.

#![no_main]

use std::path::PathBuf;
use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use roosteraar::input::{InputErrors, load_scenario_str};

const SCENARIO: &str = r#"[scenario]
start = "2026-09-07"
weeks = 16
learners = "learners.csv"

[[municipality]]
id = "schilde"
lat = 51.24107
lon = 4.58336

[[format]]
id = "evening"
sessions = ["mon 18:30-21:30", "thu 18:30-21:30"]

[[course]]
id = "nt2-a1"
kind = "nt2"
hours = 60
min_size = 3
max_size = 12
formats = ["evening"]

[[shift]]
id = "early"
weeks = [["mon-fri 06:00-14:00"]]
"#;

/// The folder holding the learner file; the scenario is read as if it were there too.
static DIR: LazyLock<tempfile::TempDir> =
    LazyLock::new(|| tempfile::tempdir().expect("a temporary folder"));

static CSV: LazyLock<PathBuf> = LazyLock::new(|| DIR.path().join("learners.csv"));

fuzz_target!(|data: &[u8]| {
    std::fs::write(&*CSV, data).expect("the learner file is written");
    if let Err(InputErrors(errors)) = load_scenario_str(SCENARIO, &DIR.path().join("fuzz.toml")) {
        assert!(!errors.is_empty());
        // Line ends as the CSV reader counts them: `\n`, `\r\n` or a lone `\r`.
        let ends = data
            .iter()
            .enumerate()
            .filter(|(i, b)| **b == b'\n' || (**b == b'\r' && data.get(i + 1) != Some(&b'\n')))
            .count();
        for error in &errors {
            assert!(!error.message.is_empty());
            assert!(error.help.is_some(), "{error}");
            assert_eq!(error.file, *CSV, "the scenario itself is valid: {error}");
            assert!(error.line <= ends + 1, "{error}");
        }
    }
});
