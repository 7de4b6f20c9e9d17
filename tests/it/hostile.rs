//! Hostile input. A corpus of broken scenarios and learner files goes through the binary:
//! each must end with exit code 2, no panic, and a message that names the file, the line
//! (and column) and what to fix. Then 50 MB inputs, parsers that never panic on mutated or
//! arbitrary input, and output that a failed run never replaces or leaves half-written.
//!
//! A corpus case is a folder in `tests/fixtures/hostile/` holding `scenario.toml`, perhaps
//! `learners.csv`, and `expect.toml`, whose keys are:
//! - `file`: the file the error must name (default `scenario.toml`);
//! - `at`: text in that file; the error is on the line where its `occurrence`-th (default
//!   first) appearance starts; or `at_bad_byte = true`: the first byte that is not UTF-8;
//!   or `line`: an explicit line (0 = the whole file);
//! - `column_at`: text on that line where the error's column points; or `column`: explicit
//!   (for the CSV: the field number, 0 for the whole row); neither: the column is not checked;
//! - `words`: what the message or its help must contain (case-insensitive);
//! - `solve`: also run `solve -o DIR`, which must fail the same way and write nothing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use assert_cmd::Command;
use proptest::prelude::*;
use rayon::prelude::*;
use roosteraar::input::{
    InputError, InputErrors, load_scenario, load_scenario_bytes, load_scenario_str,
};

const BOM: &[u8] = b"\xEF\xBB\xBF";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn corpus_dir() -> PathBuf {
    root().join("tests/fixtures/hostile")
}

fn roosteraar() -> Command {
    let mut command = Command::cargo_bin("roosteraar").unwrap();
    command.env("NO_COLOR", "1");
    command
}

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    #[serde(default = "scenario_file")]
    file: String,
    at: Option<String>,
    #[serde(default = "one")]
    occurrence: usize,
    #[serde(default)]
    at_bad_byte: bool,
    line: Option<usize>,
    column_at: Option<String>,
    column: Option<usize>,
    words: Vec<String>,
    #[serde(default)]
    solve: bool,
}

fn scenario_file() -> String {
    "scenario.toml".to_string()
}

fn one() -> usize {
    1
}

/// The corpus cases, by name.
fn cases() -> Vec<(String, PathBuf)> {
    let mut cases: Vec<(String, PathBuf)> = std::fs::read_dir(corpus_dir())
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_dir())
        .map(|path| {
            (
                path.file_name().unwrap().to_string_lossy().into_owned(),
                path,
            )
        })
        .collect();
    cases.sort();
    cases
}

fn expect(dir: &Path) -> Expect {
    let text = std::fs::read_to_string(dir.join("expect.toml")).unwrap();
    toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
}

/// Index of the `n`-th (1-based) occurrence of `needle` in `haystack`.
fn find_nth(haystack: &[u8], needle: &[u8], n: usize) -> Option<usize> {
    (0..=haystack.len().checked_sub(needle.len())?)
        .filter(|&i| haystack[i..].starts_with(needle))
        .nth(n.checked_sub(1)?)
}

/// 1-based line and column (in characters, a leading byte order mark not counted) of a
/// byte offset; line ends are `\n` (a `\r` before it belongs to the line).
fn place_of(bytes: &[u8], offset: usize) -> (usize, usize) {
    let before = &bytes[..offset];
    let line_start = before
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(0, |i| i + 1);
    let line = before.iter().filter(|b| **b == b'\n').count() + 1;
    let mut head = &bytes[line_start..offset];
    if line_start == 0 && head.starts_with(BOM) {
        head = &head[BOM.len()..];
    }
    (line, String::from_utf8_lossy(head).chars().count() + 1)
}

/// Where the case says the error is: (line, column if checked).
fn expected_place(name: &str, bytes: &[u8], expect: &Expect) -> (usize, Option<usize>) {
    let offset = if expect.at_bad_byte {
        let error = std::str::from_utf8(bytes).expect_err("the case is meant to be not UTF-8");
        Some(error.valid_up_to())
    } else {
        expect.at.as_ref().map(|at| {
            find_nth(bytes, at.as_bytes(), expect.occurrence).unwrap_or_else(|| {
                panic!(
                    "{name}: `{at}` (occurrence {}) not in the file",
                    expect.occurrence
                )
            })
        })
    };
    let (line, column) = match (offset, expect.line) {
        (Some(offset), None) => {
            let (line, column) = place_of(bytes, offset);
            (line, expect.at_bad_byte.then_some(column))
        }
        (None, Some(line)) => (line, None),
        _ => panic!("{name}: give exactly one of `at`, `at_bad_byte` and `line`"),
    };
    let column = match (&expect.column_at, expect.column) {
        (Some(text), None) => {
            let line_start = bytes
                .split_inclusive(|b| *b == b'\n')
                .take(line - 1)
                .map(<[u8]>::len)
                .sum::<usize>();
            let rest = &bytes[line_start..];
            let line_end = rest.iter().position(|b| *b == b'\n').unwrap_or(rest.len());
            let at = find_nth(&rest[..line_end], text.as_bytes(), 1)
                .unwrap_or_else(|| panic!("{name}: `{text}` not on line {line}"));
            Some(place_of(bytes, line_start + at).1)
        }
        (None, Some(column)) => Some(column),
        (None, None) => column,
        (Some(_), Some(_)) => panic!("{name}: give at most one of `column_at` and `column`"),
    };
    (line, column)
}

/// One error as printed: its first line and its help line.
#[derive(Debug)]
struct Printed {
    head: String,
    help: Option<String>,
}

fn printed(stderr: &str) -> Vec<Printed> {
    let mut errors: Vec<Printed> = Vec::new();
    for line in stderr.lines() {
        if let Some(head) = line.strip_prefix("error: ") {
            errors.push(Printed {
                head: head.to_string(),
                help: None,
            });
        } else if let (Some(help), Some(last)) = (line.strip_prefix("  help: "), errors.last_mut())
        {
            last.help = Some(help.to_string());
        }
    }
    errors
}

/// Checks a run that must reject the case; returns what is wrong with it.
fn check_rejected(
    output: &std::process::Output,
    file: &Path,
    line: usize,
    column: Option<usize>,
    words: &[String],
) -> Result<(), String> {
    let stderr = String::from_utf8_lossy(&output.stderr);
    if output.status.code() != Some(2) {
        return Err(format!("exit code {:?}, not 2", output.status.code()));
    }
    if stderr.contains("panicked") {
        return Err(format!("panicked:\n{stderr}"));
    }
    let location = match (line, column) {
        (0, _) => format!("{}: ", file.display()),
        (line, Some(0)) => format!("{}:{line}: ", file.display()),
        (line, Some(column)) => format!("{}:{line}:{column}: ", file.display()),
        (line, None) => format!("{}:{line}:", file.display()),
    };
    let fits = |error: &Printed| {
        let text = format!(
            "{} {}",
            error.head,
            error.help.as_deref().unwrap_or_default()
        )
        .to_lowercase();
        error.head.starts_with(&location)
            && error.help.is_some()
            && words.iter().all(|w| text.contains(&w.to_lowercase()))
    };
    if printed(&stderr).iter().any(fits) {
        Ok(())
    } else {
        Err(format!(
            "no error at `{location}` with help and the words {words:?} in:\n{stderr}"
        ))
    }
}

/// Runs one corpus case; returns what is wrong, if anything.
fn run_case(name: &str, dir: &Path) -> Result<(), String> {
    let expect = expect(dir);
    let file = dir.join(&expect.file);
    let bytes = std::fs::read(&file).map_err(|e| format!("{}: {e}", file.display()))?;
    let (line, column) = expected_place(name, &bytes, &expect);
    let scenario = dir.join("scenario.toml");

    let output = roosteraar()
        .arg("validate")
        .arg(&scenario)
        .output()
        .unwrap();
    check_rejected(&output, &file, line, column, &expect.words)
        .map_err(|e| format!("validate: {e}"))?;
    if !output.stdout.is_empty() {
        return Err("validate wrote to standard output".to_string());
    }

    if expect.solve {
        let temp = tempfile::tempdir().unwrap();
        let out = temp.path().join("out");
        let output = roosteraar()
            .args(["solve", "--threads", "1", "-o"])
            .arg(&out)
            .arg(&scenario)
            .output()
            .unwrap();
        check_rejected(&output, &file, line, column, &expect.words)
            .map_err(|e| format!("solve: {e}"))?;
        if out.exists() {
            return Err("solve created the output directory for bad input".to_string());
        }
    }
    Ok(())
}

#[test]
fn every_corpus_case_is_rejected_with_its_file_line_and_a_fix() {
    let cases = cases();
    assert!(cases.len() >= 40, "only {} cases", cases.len());
    let failures: Vec<String> = cases
        .par_iter()
        .filter_map(|(name, dir)| run_case(name, dir).err().map(|e| format!("{name}: {e}")))
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}

#[test]
fn the_corpus_covers_each_kind_of_mistake_and_keeps_its_bytes() {
    let names: Vec<String> = cases().into_iter().map(|(name, _)| name).collect();
    for prefix in [
        "toml-",
        "type-",
        "unknown-",
        "dup-",
        "zero-",
        "negative-",
        "nan-",
        "inf-",
        "time-",
        "session",
        "needs-",
        "course-never-fits",
        "csv-",
        "ref-",
        "start-",
        "min-size",
    ] {
        assert!(
            names.iter().any(|n| n.starts_with(prefix)),
            "no case starting with `{prefix}`"
        );
    }
    // Duplicate ids and dangling references of every kind.
    for name in [
        "dup-municipality",
        "dup-venue",
        "dup-teacher",
        "dup-format",
        "dup-course",
        "dup-shift",
        "dup-room",
        "dup-learner-toml-and-csv",
        "ref-venue-municipality",
        "ref-learner-municipality-csv",
        "ref-teacher-course",
        "ref-learner-course",
        "ref-course-format",
        "ref-learner-shift",
        "ref-override-municipality",
    ] {
        assert!(names.iter().any(|n| n == name), "no case `{name}`");
    }
    // The cases about bytes must reach the reader as written: a checkout that converted
    // line ends or re-encoded the files would make them test nothing.
    let read = |path: &str| std::fs::read(corpus_dir().join(path)).unwrap();
    for path in [
        "csv-crlf-late-error/learners.csv",
        "toml-crlf-late-error/scenario.toml",
    ] {
        let bytes = read(path);
        let lf = bytes.iter().filter(|b| **b == b'\n').count();
        let crlf = bytes.windows(2).filter(|w| w == b"\r\n").count();
        assert!(lf > 3 && crlf == lf, "{path} lost its CRLF line ends");
    }
    let cr = read("csv-cr-line-ends/learners.csv");
    assert!(cr.contains(&b'\r') && !cr.contains(&b'\n'), "lone CRs lost");
    for path in [
        "csv-bom-late-error/learners.csv",
        "toml-bom-error-on-line-1/scenario.toml",
    ] {
        assert!(
            read(path).starts_with(BOM),
            "{path} lost its byte order mark"
        );
    }
    for path in ["toml-non-utf8/scenario.toml", "csv-non-utf8/learners.csv"] {
        assert!(std::str::from_utf8(&read(path)).is_err(), "{path} is UTF-8");
    }
    assert!(read("toml-nul-byte/scenario.toml").contains(&0));
}

// ---------------------------------------------------------------------------------------
// 50 MB inputs, generated here rather than committed.

const BIG: usize = 50 * 1024 * 1024;

/// A small valid scenario reading `learners.csv`.
const CSV_SCENARIO: &str = r#"[scenario]
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
"#;

/// A deterministic stream of pseudo-random bytes (xorshift64*).
fn noise(seed: u64, len: usize) -> Vec<u8> {
    let mut state = seed | 1;
    let mut bytes = Vec::with_capacity(len + 8);
    while bytes.len() < len {
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        bytes.extend_from_slice(&state.wrapping_mul(0x2545_F491_4F6C_DD1D).to_le_bytes());
    }
    bytes.truncate(len);
    bytes
}

#[test]
fn a_50_mb_learner_file_with_one_bad_row_near_the_end_names_that_row() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = dir.path().join("scenario.toml");
    std::fs::write(&scenario, CSV_SCENARIO).unwrap();
    let mut csv = String::with_capacity(BIG + 100);
    csv.push_str("id,municipality,needs,shift,unavailable,mode,max_travel,priority\r\n");
    let mut bad_line = 0;
    let mut line = 1;
    while csv.len() < BIG {
        line += 1;
        // Windows line ends and a broken row at 90%: its line must still be exact.
        if bad_line == 0 && csv.len() > BIG / 10 * 9 {
            bad_line = line;
            csv.push_str(&format!(
                "L-{line:08},schilde,nt2-a1,,tue 08:00-25:00,public,45,1\r\n"
            ));
        } else {
            csv.push_str(&format!(
                "L-{line:08},schilde,nt2-a1,,tue 08:00-12:00,public,45,1\r\n"
            ));
        }
    }
    let csv_path = dir.path().join("learners.csv");
    std::fs::write(&csv_path, &csv).unwrap();
    drop(csv);

    let output = roosteraar()
        .arg("validate")
        .arg(&scenario)
        .output()
        .unwrap();
    let words = ["25:00".to_string()];
    check_rejected(&output, &csv_path, bad_line, Some(5), &words).unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(printed(&stderr).len(), 1, "{stderr}");
}

#[test]
fn a_50_mb_scenario_of_random_bytes_is_rejected_at_the_first_bad_byte() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("random.toml");
    let bytes = noise(7, BIG);
    std::fs::write(&path, &bytes).unwrap();
    let offset = std::str::from_utf8(&bytes).unwrap_err().valid_up_to();
    let (line, column) = place_of(&bytes, offset);
    let output = roosteraar().arg("validate").arg(&path).output().unwrap();
    check_rejected(&output, &path, line, Some(column), &["UTF-8".to_string()]).unwrap();
}

/// 50 MB of printable ASCII and line ends: valid UTF-8 that is anything but TOML.
fn junk(seed: u64) -> Vec<u8> {
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789 =[]{}\"'#.,-:_\n\n";
    noise(seed, BIG)
        .into_iter()
        .map(|b| ALPHABET[usize::from(b) % ALPHABET.len()])
        .collect()
}

#[test]
fn a_50_mb_scenario_with_one_bad_byte_near_the_end_names_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("junk.toml");
    let mut bytes = junk(11);
    let offset = BIG / 100 * 98;
    bytes[offset] = 0xE9; // Latin-1 `é`
    std::fs::write(&path, &bytes).unwrap();
    let (line, column) = place_of(&bytes, offset);
    assert!(line > 100_000, "the bad byte is far down the file");
    let output = roosteraar().arg("validate").arg(&path).output().unwrap();
    check_rejected(&output, &path, line, Some(column), &["UTF-8".to_string()]).unwrap();
}

#[test]
fn a_50_mb_scenario_of_junk_text_lists_its_first_errors_and_counts_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("junk.toml");
    let bytes = junk(13);
    std::fs::write(&path, &bytes).unwrap();
    let lines = bytes.iter().filter(|b| **b == b'\n').count() + 1;
    let output = roosteraar().arg("validate").arg(&path).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(!stderr.contains("panicked"));
    let errors = printed(&stderr);
    assert!(
        !errors.is_empty() && errors.len() <= 100,
        "{}",
        errors.len()
    );
    assert!(stderr.contains("more errors not shown"), "{stderr}");
    // Every error shown is placed inside the file and sorted.
    let prefix = format!("{}:", path.display());
    let mut previous = (0, 0);
    for error in &errors {
        let rest = error.head.strip_prefix(&prefix).expect("names the file");
        let mut parts = rest.splitn(3, ':');
        let line: usize = parts.next().unwrap().parse().expect("a line");
        let column: usize = parts.next().unwrap().parse().expect("a column");
        assert!((1..=lines).contains(&line) && column >= 1, "{}", error.head);
        assert!(previous <= (line, column), "not sorted at {}", error.head);
        previous = (line, column);
        assert!(error.help.is_some(), "{}", error.head);
    }
}

#[test]
fn a_50_mb_line_with_an_unclosed_quote_is_reported_on_line_one() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("long.toml");
    let mut text = String::with_capacity(BIG + 100);
    text.push_str("[scenario]\nname = \"");
    text.push_str(&"a".repeat(BIG));
    text.push('\n');
    std::fs::write(&path, &text).unwrap();
    let output = roosteraar().arg("validate").arg(&path).output().unwrap();
    check_rejected(&output, &path, 2, None, &["closing".to_string()]).unwrap();
}

// ---------------------------------------------------------------------------------------
// Safe writes: a failed run never replaces a good timetable or leaves temporary files.

/// Every file in `dir` with its bytes, hidden ones (temporary files) included.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let bytes = if path.is_file() {
                std::fs::read(&path).unwrap()
            } else {
                b"<dir>".to_vec()
            };
            (name, bytes)
        })
        .collect()
}

fn tiny() -> PathBuf {
    root().join("instances/tiny.toml")
}

#[test]
fn a_failed_solve_leaves_the_previous_timetable_untouched() {
    let temp = tempfile::tempdir().unwrap();
    let out = temp.path().join("out");
    roosteraar()
        .args(["solve", "--seed", "1", "--threads", "1", "-o"])
        .arg(&out)
        .arg(tiny())
        .assert()
        .code(0);
    let before = snapshot(&out);
    assert!(before.contains_key("timetable.json"), "{:?}", before.keys());

    // Bad input found at each stage: bytes, TOML syntax, a field, the CSV, across tables.
    for case in [
        "toml-non-utf8",
        "toml-unclosed-string",
        "nan-cost",
        "csv-unclosed-quote",
        "ref-learner-course",
    ] {
        let output = roosteraar()
            .args(["solve", "--threads", "1", "-o"])
            .arg(&out)
            .arg(corpus_dir().join(case).join("scenario.toml"))
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{case}");
        assert_eq!(
            snapshot(&out),
            before,
            "{case} changed the output directory"
        );
    }
}

#[test]
fn an_output_path_that_is_a_file_fails_naming_it_and_writes_nothing() {
    let temp = tempfile::tempdir().unwrap();
    let blocker = temp.path().join("out");
    std::fs::write(&blocker, "a file, not a directory\n").unwrap();
    for target in [blocker.clone(), blocker.join("below")] {
        let output = roosteraar()
            .args(["solve", "--seed", "1", "--threads", "1", "-o"])
            .arg(&target)
            .arg(tiny())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            !output.status.success() && output.status.code().is_some(),
            "{stderr}"
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert!(
            stderr.contains(&blocker.display().to_string()),
            "the message names the path: {stderr}"
        );
        // The file is as it was and nothing else appeared next to it.
        let after = snapshot(temp.path());
        assert_eq!(after.len(), 1, "{:?}", after.keys());
        assert_eq!(after["out"], b"a file, not a directory\n");
    }
}

#[test]
fn a_timetable_that_cannot_be_replaced_leaves_no_temporary_file() {
    let temp = tempfile::tempdir().unwrap();
    let out = temp.path().join("out");
    // A non-empty directory where timetable.json goes: the rename onto it must fail.
    std::fs::create_dir_all(out.join("timetable.json/keep")).unwrap();
    let output = roosteraar()
        .args(["solve", "--seed", "1", "--threads", "1", "-o"])
        .arg(&out)
        .arg(tiny())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        stderr.contains(&out.join("timetable.json").display().to_string()),
        "{stderr}"
    );
    let names: Vec<String> = snapshot(&out).into_keys().collect();
    assert!(
        names
            .iter()
            .all(|n| !n.starts_with('.') && !n.ends_with(".tmp")),
        "temporary files left: {names:?}"
    );
    assert!(out.join("timetable.json/keep").is_dir());
}

// ---------------------------------------------------------------------------------------
// The readers never panic: mutated valid scenarios and learner files, and token soup.

/// Text that breaks TOML, CSV or the scenario rules in interesting ways.
const TOKENS: &[&str] = &[
    "=",
    "[",
    "]",
    "[[",
    "]]",
    "{",
    "}",
    "\"",
    "'",
    "\"\"\"",
    "'''",
    ",",
    ".",
    "#",
    ";",
    "\\",
    "\\u",
    "\n",
    "\r\n",
    "\r",
    "\t",
    " ",
    "\u{feff}",
    "\u{0}",
    "é",
    "😀",
    "nan",
    "-nan",
    "inf",
    "-inf",
    "-1",
    "0",
    "0.5",
    "1e400",
    "99999999999999999999",
    "0x7fffffff",
    "25:00",
    "24:00",
    "00:00",
    "10:00-10:00",
    "22:00-01:00",
    "mon-sun",
    "sun-mon",
    "fry",
    "2026-09-07",
    "\"2026-09-08\"",
    "1979-05-27T07:32:00Z",
    "true",
    "[scenario]",
    "[[venue]]",
    "[[learner]]",
    "[[travel.override]]",
    "id = \"x\"",
    "id = \"\"",
    "needs = []",
    "sessions = []",
    "rooms = [{}]",
    "weeks = [[]]",
    "learners = \"learners.csv\"",
    "learners = \".\"",
    "a.b.c",
    "x = 1",
];

/// Base texts to mutate: the bundled tiny instance, the reader's valid fixture and every
/// corpus scenario, each with the path it is read as (so learner files resolve).
static BASES: LazyLock<Vec<(PathBuf, String)>> = LazyLock::new(|| {
    let mut bases = vec![
        tiny(),
        root().join("tests/fixtures/input/valid/scenario.toml"),
    ];
    bases.extend(
        cases()
            .into_iter()
            .map(|(_, dir)| dir.join("scenario.toml")),
    );
    bases
        .into_iter()
        .filter_map(|path| Some((path.clone(), std::fs::read_to_string(&path).ok()?)))
        .collect()
});

/// Base learner files to mutate.
static CSV_BASES: LazyLock<Vec<String>> = LazyLock::new(|| {
    [
        "tests/fixtures/input/valid/learners.csv",
        "tests/fixtures/hostile/csv-bad-mode/learners.csv",
    ]
    .iter()
    .map(|path| std::fs::read_to_string(root().join(path)).unwrap())
    .collect()
});

/// One edit: (kind, where, where else, token).
type Edit = (
    u8,
    prop::sample::Index,
    prop::sample::Index,
    prop::sample::Index,
);

fn edits() -> impl Strategy<Value = Vec<Edit>> {
    prop::collection::vec(
        (
            0..7u8,
            any::<prop::sample::Index>(),
            any::<prop::sample::Index>(),
            any::<prop::sample::Index>(),
        ),
        1..8,
    )
}

/// Applies edits by line (delete, duplicate, swap) and by character (insert a token,
/// replace a character or a line with one, delete a stretch).
fn mutate(text: &str, edits: &[Edit]) -> String {
    let mut text = text.to_string();
    for (kind, a, b, token) in edits {
        let token = TOKENS[token.index(TOKENS.len())];
        let mut lines: Vec<String> = text.split_inclusive('\n').map(str::to_string).collect();
        if lines.is_empty() {
            lines.push(String::new());
        }
        let (i, j) = (a.index(lines.len()), b.index(lines.len()));
        // A character boundary at or before a position.
        let boundary = |text: &str, index: &prop::sample::Index| {
            let mut at = index.index(text.len() + 1);
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            at
        };
        match kind {
            0 => {
                lines.remove(i);
            }
            1 => {
                let line = lines[i].clone();
                lines.insert(j, line);
            }
            2 => lines.swap(i, j),
            3 => lines[i] = format!("{token}\n"),
            _ => {
                let at = boundary(&text, a);
                match kind {
                    4 => text.insert_str(at, token),
                    5 => {
                        let end = boundary(&text, b).max(at);
                        // Delete a short stretch only, so most of the text survives.
                        let mut end = end.min(at + 40);
                        while !text.is_char_boundary(end) {
                            end -= 1;
                        }
                        text.replace_range(at..end, "");
                    }
                    _ => {
                        let mut end = at + text[at..].chars().next().map_or(0, char::len_utf8);
                        end = end.min(text.len());
                        text.replace_range(at..end, token);
                    }
                }
                continue;
            }
        }
        text = lines.concat();
    }
    text
}

/// Lines of a text as the reader counts them; `csv`: a lone `\r` also ends a line.
fn line_count(text: &str, csv: bool) -> usize {
    let bytes = text.as_bytes();
    let ends = bytes
        .iter()
        .enumerate()
        .filter(|(i, b)| **b == b'\n' || (csv && **b == b'\r' && bytes.get(i + 1) != Some(&b'\n')))
        .count();
    ends + 1
}

/// What every rejection must look like: some errors, each in one of the files read, placed
/// inside it, saying what to do; syntax errors always on a line and column.
fn check_errors(errors: &[InputError], scenario: (&Path, &str), csv: Option<(&Path, &str)>) {
    assert!(!errors.is_empty(), "an Err without errors");
    for error in errors {
        let (text, is_csv) = if error.file == scenario.0 {
            (scenario.1, false)
        } else if let Some((_, text)) = csv.filter(|(path, _)| error.file == *path) {
            (text, true)
        } else if error.line == 0 {
            // A learner file that could not be read: only the whole file is named.
            continue;
        } else {
            panic!("{error}: names a file that was not read");
        };
        assert!(!error.message.trim().is_empty(), "{error:?}");
        assert!(error.help.is_some(), "no help: {error}");
        if error.message.starts_with("not valid TOML") {
            assert!(
                error.line >= 1 && error.column >= 1,
                "syntax error unplaced: {error}"
            );
        }
        if !is_csv && error.line >= 1 {
            assert!(error.column >= 1, "no column: {error}");
        }
        assert!(
            error.line <= line_count(text, is_csv),
            "{error} is past the end of its file ({} lines)",
            line_count(text, is_csv)
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]

    #[test]
    fn mutated_scenarios_never_panic_and_place_every_error(
        base in any::<prop::sample::Index>(),
        edits in edits(),
    ) {
        let (path, text) = &BASES[base.index(BASES.len())];
        let text = mutate(text, &edits);
        if let Err(InputErrors(errors)) = load_scenario_str(&text, path) {
            // The learner file is whatever the mutated text names; only its place is checked
            // when it is the one beside the scenario.
            let csv_path = path.with_file_name("learners.csv");
            let csv = std::fs::read(&csv_path)
                .ok()
                .map(|bytes| String::from_utf8_lossy(&bytes).into_owned());
            check_errors(&errors, (path, &text), csv.as_deref().map(|c| (csv_path.as_path(), c)));
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn mutated_learner_files_never_panic_and_place_every_error(
        base in any::<prop::sample::Index>(),
        edits in edits(),
        bad_byte in prop::option::weighted(0.2, (any::<prop::sample::Index>(), 0x80..=0xFFu8)),
    ) {
        let csv = mutate(&CSV_BASES[base.index(CSV_BASES.len())], &edits);
        let mut bytes = csv.clone().into_bytes();
        if let Some((at, byte)) = bad_byte {
            bytes.insert(at.index(bytes.len() + 1), byte);
        }
        let dir = tempfile::tempdir().unwrap();
        let scenario = dir.path().join("scenario.toml");
        std::fs::write(&scenario, CSV_SCENARIO).unwrap();
        let csv_path = dir.path().join("learners.csv");
        std::fs::write(&csv_path, &bytes).unwrap();
        if let Err(InputErrors(errors)) = load_scenario(&scenario) {
            let text = String::from_utf8_lossy(&bytes);
            check_errors(&errors, (&scenario, CSV_SCENARIO), Some((&csv_path, &text)));
        }
    }

    #[test]
    fn token_soup_never_panics_and_places_every_error(
        pieces in prop::collection::vec(
            (any::<prop::sample::Index>(), prop::option::weighted(0.02, 0x80..=0xFFu8)),
            0..120,
        ),
    ) {
        // Tokens, and now and then a byte that is not UTF-8.
        let mut bytes = Vec::new();
        for (token, raw) in &pieces {
            match raw {
                Some(byte) => bytes.push(*byte),
                None => bytes.extend_from_slice(TOKENS[token.index(TOKENS.len())].as_bytes()),
            }
        }
        let path = Path::new("soup.toml");
        let result = load_scenario_bytes(bytes.clone(), path);
        match std::str::from_utf8(&bytes) {
            Ok(text) => {
                // The same as reading the text.
                prop_assert_eq!(&result, &load_scenario_str(text, path));
                if let Err(InputErrors(errors)) = &result {
                    check_errors(errors, (path, text), None);
                }
            }
            Err(bad) => {
                let Err(InputErrors(errors)) = &result else {
                    panic!("bytes that are not UTF-8 were accepted");
                };
                let (line, column) = place_of(&bytes, bad.valid_up_to());
                prop_assert_eq!(errors.len(), 1);
                prop_assert_eq!((errors[0].line, errors[0].column), (line, column));
            }
        }
    }
}
