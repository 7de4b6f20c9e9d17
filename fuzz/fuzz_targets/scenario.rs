//! Scenario TOML: any bytes must load or be rejected with placed errors, never panic.

#![no_main]

use std::path::PathBuf;
use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use roosteraar::input::{InputErrors, load_scenario_bytes};

/// An empty folder to read the scenario as being in, so that a `learners = "..."` the fuzzer
/// writes finds nothing of the user's.
static DIR: LazyLock<tempfile::TempDir> =
    LazyLock::new(|| tempfile::tempdir().expect("a temporary folder"));

static PATH: LazyLock<PathBuf> = LazyLock::new(|| DIR.path().join("fuzz.toml"));

fuzz_target!(|data: &[u8]| {
    if let Err(InputErrors(errors)) = load_scenario_bytes(data.to_vec(), &PATH) {
        let text = String::from_utf8_lossy(data);
        assert!(!errors.is_empty());
        let lines = text.matches('\n').count() + 1;
        for error in &errors {
            assert!(!error.message.is_empty());
            assert!(error.help.is_some(), "{error}");
            if error.message.starts_with("not valid TOML") {
                assert!(error.line >= 1 && error.column >= 1, "{error}");
            }
            if error.file == *PATH {
                assert!(error.line <= lines, "{error}");
            }
        }
    }
});
