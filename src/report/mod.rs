//! What agency staff read besides the tables of [`crate::write`]: `report.html` (one
//! self-contained page), `calendar/*.ics` (a calendar per class, teacher and venue) and
//! `referrals.csv` (what a counsellor sends each learner).
//!
//! Like the tables, these describe the timetable as written: ids the scenario does not know
//! are shown as written, and judging the timetable is left to `verify`.

pub mod calendar;
mod html;
pub mod referrals;

use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};

use crate::domain::Scenario;
use crate::timetable::Timetable;
use crate::verify::Violation;
use crate::write::{WriteError, write_atomic};

pub use calendar::{CalendarFile, calendars};
pub use html::report_html;
pub use referrals::{REFERRAL_COLUMNS, Referral, referrals, referrals_csv};

/// File name of the HTML report in the output directory.
pub const REPORT_FILE: &str = "report.html";
/// File name of the referral list in the output directory.
pub const REFERRALS_FILE: &str = "referrals.csv";
/// Folder of the calendars in the output directory.
pub const CALENDAR_DIR: &str = "calendar";

/// File-name prefixes of the calendars; files with these prefixes in `calendar/` belong to
/// roosteraar, so stale ones may be removed.
const CALENDAR_PREFIXES: [&str; 3] = ["class-", "teacher-", "venue-"];

/// Why the report could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// A file could not be written or a table built.
    #[error(transparent)]
    Write(#[from] WriteError),
    /// The scenario's time zone is not in the time zone database (only possible for a
    /// scenario not read by [`crate::input`], which checks it).
    #[error("unknown time zone `{name}`: {reason}")]
    TimeZone {
        /// The name as the scenario has it.
        name: String,
        /// What the time zone database said.
        reason: String,
    },
}

/// Writes `report.html`, `referrals.csv` and `calendar/*.ics` into `dir` (created if
/// needed), each file atomically. Everything is built in memory first, so a failure to
/// build leaves the directory as it was. Calendars in `calendar/` from an earlier run that
/// this timetable no longer has (a class that is gone) are removed, so the folder always
/// matches the timetable. `violations` are shown at the top of the report. Returns the
/// paths written, in the order written.
pub fn write_report(
    dir: &Path,
    scenario: &Scenario,
    timetable: &Timetable,
    violations: &[Violation],
) -> Result<Vec<PathBuf>, ReportError> {
    let html = report_html(scenario, timetable, violations);
    let referrals = referrals_csv(scenario, timetable)?;
    let calendars = calendars(scenario, timetable)?;

    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| WriteError::Io { path, source }
    };
    let calendar_dir = dir.join(CALENDAR_DIR);
    fs::create_dir_all(&calendar_dir).map_err(io(&calendar_dir))?;
    let mut written = Vec::with_capacity(calendars.len() + 2);
    for (name, bytes) in [
        (REPORT_FILE, html.as_bytes()),
        (REFERRALS_FILE, referrals.as_slice()),
    ] {
        let path = dir.join(name);
        write_atomic(&path, bytes)?;
        written.push(path);
    }
    let names: HashSet<&str> = calendars.iter().map(|file| file.name.as_str()).collect();
    for file in &calendars {
        let path = calendar_dir.join(&file.name);
        write_atomic(&path, file.text.as_bytes())?;
        written.push(path);
    }
    for entry in fs::read_dir(&calendar_dir).map_err(io(&calendar_dir))? {
        let entry = entry.map_err(io(&calendar_dir))?;
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let ours = name.ends_with(".ics") && CALENDAR_PREFIXES.iter().any(|p| name.starts_with(p));
        if ours && !names.contains(name) && entry.file_type().is_ok_and(|t| t.is_file()) {
            let path = entry.path();
            fs::remove_file(&path).map_err(io(&path))?;
        }
    }
    Ok(written)
}

/// FNV-1a, 64 bits: a hash that is the same on every machine and in every Rust release
/// (the standard library's is not), for UIDs and file names that must not change.
pub(crate) fn stable_hash(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// Longest id kept whole in a file name; longer ones are cut and get a hash.
const STEM_CHARS: usize = 64;

/// File-name forms of `ids`, one each, distinct from each other even on a file system that
/// ignores case. An id of letters, digits, `-`, `_` and `.` (not starting with `.`) of at
/// most 64 characters is kept as it is; any other gets its unsafe characters replaced by
/// `_`, is cut to 64, and gets `-` and a hash of the whole id, so that `a/b` and `a?b`
/// still differ and no name can leave the folder.
pub(crate) fn file_stems(ids: &[&str]) -> Vec<String> {
    let safe = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.');
    let hashed = |id: &str| {
        // A leading `.` would hide the file (and `..` reads as the parent folder).
        let cleaned: String = id
            .chars()
            .take(STEM_CHARS)
            .enumerate()
            .map(|(i, c)| {
                if safe(c) && !(i == 0 && c == '.') {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        format!("{cleaned}-{:08x}", stable_hash(id.as_bytes()) as u32)
    };
    let mut stems: Vec<String> = ids
        .iter()
        .map(|id| {
            let plain = !id.is_empty()
                && !id.starts_with('.')
                && id.chars().count() <= STEM_CHARS
                && id.chars().all(safe);
            if plain { id.to_string() } else { hashed(id) }
        })
        .collect();
    // `A` and `a` are different ids but one file on macOS and Windows.
    let mut seen: HashMap<String, usize> = HashMap::new();
    for stem in &stems {
        *seen.entry(stem.to_lowercase()).or_default() += 1;
    }
    for (stem, id) in stems.iter_mut().zip(ids) {
        if seen[&stem.to_lowercase()] > 1 && stem.as_str() == *id {
            *stem = hashed(id);
        }
    }
    stems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_ids_are_file_names_as_they_are() {
        assert_eq!(
            file_stems(&["C001", "t-an", "schilde.gc"]),
            ["C001", "t-an", "schilde.gc"]
        );
    }

    #[test]
    fn unsafe_ids_cannot_leave_the_folder_and_stay_distinct() {
        let ids = ["../etc", "a/b", "a?b", "<script>", ".hidden", ""];
        let stems = file_stems(&ids);
        for stem in &stems {
            assert!(!stem.contains('/') && !stem.contains('\\'), "{stem}");
            assert!(!stem.starts_with('.'), "{stem}");
            assert!(!stem.is_empty());
        }
        let distinct: HashSet<&String> = stems.iter().collect();
        assert_eq!(distinct.len(), ids.len(), "{stems:?}");
    }

    #[test]
    fn ids_that_differ_only_in_case_get_different_names_in_any_case() {
        let stems = file_stems(&["Room", "room", "other"]);
        assert_ne!(stems[0].to_lowercase(), stems[1].to_lowercase());
        assert_eq!(stems[2], "other");
    }

    #[test]
    fn long_ids_are_cut() {
        let long = "x".repeat(500);
        let stem = file_stems(&[&long]).remove(0);
        assert!(stem.len() <= STEM_CHARS + 9, "{}", stem.len());
    }

    #[test]
    fn the_hash_is_fnv_1a() {
        // Published FNV-1a 64 test vectors.
        assert_eq!(stable_hash(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(stable_hash(b"a"), 0xaf63_dc4c_8601_ec8c);
    }
}
