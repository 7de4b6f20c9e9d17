//! Collecting problems while reading, each tied to a place in one of the input files.

use std::path::PathBuf;

use super::error::{InputError, InputErrors};

/// Which input file a place is in: the scenario file or the learner CSV.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum FileKind {
    /// The TOML scenario.
    Scenario,
    /// The learner CSV named by `scenario.learners`.
    Learners,
}

/// A place in an input file: 1-based line and column (0 = unknown or whole file).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Place {
    /// The file.
    pub file: FileKind,
    /// 1-based line, 0 for the whole file.
    pub line: usize,
    /// 1-based column (CSV: field number), 0 when unknown.
    pub column: usize,
}

impl Place {
    /// The whole file, no particular line.
    pub fn file(file: FileKind) -> Place {
        Place {
            file,
            line: 0,
            column: 0,
        }
    }
}

/// A value read from a file together with where it was written.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct At<T> {
    /// The value.
    pub value: T,
    /// Where it was written.
    pub at: Place,
}

impl<T> At<T> {
    /// Ties a value to a place.
    pub fn new(value: T, at: Place) -> At<T> {
        At { value, at }
    }
}

/// One problem, before file names are attached.
#[derive(Debug)]
struct Entry {
    at: Place,
    message: String,
    help: Option<String>,
}

/// All problems found so far.
#[derive(Debug, Default)]
pub(super) struct Report {
    entries: Vec<Entry>,
}

impl Report {
    /// Records a problem with a suggested fix.
    pub fn error(&mut self, at: Place, message: impl Into<String>, help: impl Into<String>) {
        let help = help.into();
        self.entries.push(Entry {
            at,
            message: message.into(),
            help: (!help.is_empty()).then_some(help),
        });
    }

    /// True when nothing was found.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The problems in file order (scenario first, then learner CSV), by line and column;
    /// problems at the same place keep the order in which they were found.
    pub fn into_errors(self, scenario: &PathBuf, learners: Option<&PathBuf>) -> InputErrors {
        let mut entries = self.entries;
        entries.sort_by_key(|entry| entry.at);
        InputErrors(
            entries
                .into_iter()
                .map(|entry| InputError {
                    file: match entry.at.file {
                        FileKind::Scenario => scenario.clone(),
                        FileKind::Learners => learners.unwrap_or(scenario).clone(),
                    },
                    line: entry.at.line,
                    column: entry.at.column,
                    message: entry.message,
                    help: entry.help,
                })
                .collect(),
        )
    }
}
