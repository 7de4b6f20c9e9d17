//! The `roosteraar` command as a user runs it: exit codes, files written, messages.

use assert_cmd::Command;
use predicates::prelude::*;

use crate::solve::instance;

fn roosteraar() -> Command {
    let mut command = Command::cargo_bin("roosteraar").unwrap();
    command.env("NO_COLOR", "1");
    command
}

#[test]
fn validate_accepts_the_bundled_instances() {
    for name in ["tiny.toml", "kina.toml", "weert-duaal.toml"] {
        roosteraar()
            .args(["validate"])
            .arg(instance(name))
            .assert()
            .code(0);
    }
}

#[test]
fn validate_names_every_mistake_with_its_line_and_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let broken = std::fs::read_to_string(instance("tiny.toml"))
        .unwrap()
        .replace("teaches = [\"nt2-a1\"]", "teaches = [\"nt2-z9\"]")
        .replace(
            "min_size = 3\nmax_size = 12\nformats = [\"morning\", \"saturday\"]",
            "min_size = 30\nmax_size = 12\nformats = [\"morning\", \"saturday\"]",
        )
        .replace("\"sat 09:00-12:00\"]", "\"sat 25:00-12:00\"]");
    let path = dir.path().join("broken.toml");
    std::fs::write(&path, &broken).unwrap();
    let line_of = |needle: &str| {
        broken
            .lines()
            .position(|line| line.contains(needle))
            .unwrap_or_else(|| panic!("fixture lost `{needle}`"))
            + 1
    };
    let output = roosteraar().arg("validate").arg(&path).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    // Each mistake is reported on its own line; min_size > max_size may be reported on
    // either of the two lines (max_size follows min_size in the fixture).
    let min_size = line_of("min_size = 30");
    for (lines, what) in [
        (vec![line_of("nt2-z9")], "nt2-z9"),
        (vec![min_size, min_size + 1], "min_size"),
        (vec![line_of("25:00")], "25:00"),
    ] {
        let reported = stderr.lines().any(|message| {
            message.contains(what)
                && lines
                    .iter()
                    .any(|line| message.contains(&format!("broken.toml:{line}:")))
        });
        assert!(
            reported,
            "no error on line {lines:?} about {what} in:\n{stderr}"
        );
    }
    assert_eq!(
        stderr.lines().filter(|l| l.starts_with("error:")).count(),
        3
    );
}

#[test]
fn solve_writes_the_timetable_and_tables_and_verify_accepts_them() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    roosteraar()
        .args(["solve", "--seed", "1", "--threads", "1"])
        .arg(instance("tiny.toml"))
        .arg("-o")
        .arg(&out)
        .assert()
        .code(0);
    for file in [
        "timetable.json",
        "classes.csv",
        "learners.csv",
        "summary.md",
    ] {
        assert!(out.join(file).is_file(), "{file} not written");
    }
    roosteraar()
        .arg("verify")
        .arg(instance("tiny.toml"))
        .arg(out.join("timetable.json"))
        .assert()
        .code(0);
}

#[test]
fn verify_lists_violations_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let output = roosteraar()
        .args(["solve", "--seed", "1", "--threads", "1", "-o", "-"])
        .arg(instance("tiny.toml"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let mut timetable: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    // Move every class into the first class's room at the same hours: rooms now clash.
    let classes = timetable["classes"].as_array_mut().unwrap();
    assert!(classes.len() >= 2, "tiny opens at least two classes");
    let (venue, room) = (classes[0]["venue"].clone(), classes[0]["room"].clone());
    for class in classes.iter_mut() {
        class["venue"] = venue.clone();
        class["room"] = room.clone();
    }
    let path = dir.path().join("tampered.json");
    std::fs::write(&path, serde_json::to_string(&timetable).unwrap()).unwrap();
    roosteraar()
        .arg("verify")
        .arg(instance("tiny.toml"))
        .arg(&path)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("room"));
}

#[test]
fn bad_usage_and_unreadable_files_exit_2() {
    roosteraar().arg("solve").assert().code(2);
    roosteraar().arg("frobnicate").assert().code(2);
    roosteraar()
        .args(["validate", "does-not-exist.toml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("does-not-exist.toml"));
    roosteraar()
        .args(["solve", "--gap", "2"])
        .arg(instance("tiny.toml"))
        .args(["-o", "-"])
        .assert()
        .code(2);
    roosteraar()
        .arg("verify")
        .arg(instance("tiny.toml"))
        .arg(instance("tiny.toml"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("timetable"));
    for solver in ["greedy", "regions"] {
        roosteraar()
            .args(["solve", "--target-coverage", "0.5", "--solver", solver])
            .arg(instance("tiny.toml"))
            .args(["-o", "-"])
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicate::str::contains("--solver highs"));
    }
}

#[test]
fn a_scenario_can_come_from_standard_input() {
    let text = std::fs::read_to_string(instance("tiny.toml")).unwrap();
    roosteraar()
        .args(["validate", "-"])
        .write_stdin(text)
        .assert()
        .code(0);
}

#[test]
fn help_explains_the_domain_words() {
    roosteraar()
        .arg("--help")
        .assert()
        .code(0)
        .stdout(predicate::str::contains("learner-need"))
        .stdout(predicate::str::contains("no-compatible-time"));
}

#[test]
fn a_time_limited_solve_still_writes_a_valid_timetable() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    roosteraar()
        .args(["solve", "--time-limit", "0.01", "--threads", "1"])
        .arg(instance("kina.toml"))
        .arg("-o")
        .arg(&out)
        .assert()
        .code(0);
    let text = std::fs::read_to_string(out.join("timetable.json")).unwrap();
    let timetable: serde_json::Value = serde_json::from_str(&text).unwrap();
    let status = timetable["solver"]["status"].as_str().unwrap();
    assert!(
        ["time_limit", "optimal", "gap_limit"].contains(&status),
        "status {status}"
    );
    roosteraar()
        .arg("verify")
        .arg(instance("kina.toml"))
        .arg(out.join("timetable.json"))
        .assert()
        .code(0);
}
