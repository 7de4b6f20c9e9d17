//! Reading scenario files (TOML and learner CSV) into a checked [`Scenario`].
//!
//! Reading goes in stages, each reporting everything it finds: TOML syntax (if that fails,
//! nothing else can be read), then every table and field on its own (types, ranges, times),
//! then the learner CSV, then what involves several entities (unique ids, references, whether
//! a course fits the term). A scenario comes back only when no stage found anything.

mod document;
mod error;
mod fields;
mod learners_csv;
mod raw;
mod report;
mod resolve;
mod rules;
mod source;
pub(crate) mod suggest;
mod syntax;

use std::path::{Path, PathBuf};

use toml::de::DeTable;

pub use error::{InputError, InputErrors};

use crate::domain::Scenario;
use report::{FileKind, Place, Report};
use source::Source;

/// Reads the scenario at `path` and the learner CSV it names (`scenario.learners`, relative
/// to the scenario file's folder), and checks them. On failure, every problem found is
/// returned, each with its file, line and column.
pub fn load_scenario(path: &Path) -> Result<Scenario, InputErrors> {
    match std::fs::read(path) {
        Ok(bytes) => load_scenario_bytes(bytes, path),
        Err(error) => Err(unreadable_scenario(source::ReadProblem::Io(error), path)),
    }
}

/// Like [`load_scenario`] for the bytes of a scenario already read (e.g. standard input):
/// bytes that are not UTF-8 are reported at the first bad one, as for a file. `path` is as
/// for [`load_scenario_str`].
pub fn load_scenario_bytes(bytes: Vec<u8>, path: &Path) -> Result<Scenario, InputErrors> {
    match source::text_from_bytes(bytes, FileKind::Scenario) {
        Ok(text) => load_scenario_str(&text, path),
        Err(problem) => Err(unreadable_scenario(problem, path)),
    }
}

/// The one error of a scenario file that could not be read as text.
fn unreadable_scenario(problem: source::ReadProblem, path: &Path) -> InputErrors {
    let (message, help) = problem.message("the scenario file");
    let mut report = Report::default();
    report.error(problem.place(FileKind::Scenario), message, help);
    report.into_errors(&path.to_path_buf(), None)
}

/// Like [`load_scenario`] for scenario text already read (e.g. from standard input).
/// `path` names the scenario in messages, and its folder is where a learner CSV is looked
/// up; a path without a folder (such as `<stdin>`) means the current directory.
pub fn load_scenario_str(text: &str, path: &Path) -> Result<Scenario, InputErrors> {
    let scenario_path = path.to_path_buf();
    let mut report = Report::default();
    let src = Source::new(FileKind::Scenario, text);

    let (root, syntax) = DeTable::parse_recoverable(text);
    if !syntax.is_empty() {
        for error in syntax {
            let explained = syntax::explain(text, &error);
            let at = explained
                .offset
                .map_or(Place::file(FileKind::Scenario), |offset| src.place(offset));
            report.error(at, explained.message, explained.help);
        }
        return Err(report.into_errors(&scenario_path, None));
    }

    let default_name = path.file_stem().map_or_else(
        || "scenario".to_string(),
        |s| s.to_string_lossy().into_owned(),
    );
    let mut doc = document::read(&src, &mut report, root.get_ref(), &default_name);

    let mut learners = std::mem::take(&mut doc.learners);
    let mut learners_path: Option<PathBuf> = None;
    if let Some(relative) = &doc.head.learners {
        let csv_path = base_dir(path).join(&relative.value);
        match source::read_text(&csv_path, FileKind::Learners) {
            Ok(csv_text) => {
                let csv_src = Source::new(FileKind::Learners, &csv_text);
                learners.extend(learners_csv::read(&csv_src, &mut report));
            }
            Err(problem) => {
                let what = format!("the learner file `{}`", csv_path.display());
                let (message, help) = problem.message(&what);
                // A file that cannot be opened is a problem of the reference to it; bad
                // bytes inside it are a problem of the file itself.
                let at = match problem {
                    source::ReadProblem::Io(_) => relative.at,
                    source::ReadProblem::NotUtf8 { .. } => problem.place(FileKind::Learners),
                };
                report.error(at, message, help);
            }
        }
        learners_path = Some(csv_path);
    }

    let scenario = resolve::build(doc, learners, &mut report);
    match scenario {
        Some(scenario) if report.is_empty() => Ok(scenario),
        _ => {
            if report.is_empty() {
                // Every missing value should have been reported where it was read.
                report.error(
                    Place::file(FileKind::Scenario),
                    "the scenario could not be read, but no specific problem was found",
                    "please report this as a bug in roosteraar, with the scenario file",
                );
            }
            Err(report.into_errors(&scenario_path, learners_path.as_ref()))
        }
    }
}

/// The folder a scenario's relative paths start from. A path without a folder part gives
/// the empty path, which joins to paths relative to the current directory.
fn base_dir(path: &Path) -> &Path {
    path.parent().unwrap_or(Path::new(""))
}
