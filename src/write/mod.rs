//! Writers for what `solve` produces: `timetable.json` (SPEC section 8) and the tables agency
//! staff read (`classes.csv`, `learners.csv`, `summary.md`).
//!
//! The writers take the timetable as written, not as the solver meant it: a timetable may
//! come from elsewhere and name ids the scenario does not know. Such lookups are left empty
//! rather than treated as errors; `verify` is the place that judges a timetable.

pub(crate) mod lookup;
mod summary;
mod tables;

use std::fs;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};

use crate::domain::Scenario;
use crate::timetable::Timetable;

pub use summary::summary_markdown;
pub use tables::{CLASS_COLUMNS, LEARNER_COLUMNS, classes_csv, learners_csv};

/// File name of the timetable in the output directory.
pub const TIMETABLE_FILE: &str = "timetable.json";
/// File name of the class table in the output directory.
pub const CLASSES_FILE: &str = "classes.csv";
/// File name of the learner-need table in the output directory.
pub const LEARNERS_FILE: &str = "learners.csv";
/// File name of the human-readable summary in the output directory.
pub const SUMMARY_FILE: &str = "summary.md";

/// Why output could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// A file or directory could not be created or written.
    #[error("cannot write `{}`: {source}", path.display())]
    Io {
        /// The file or directory concerned.
        path: PathBuf,
        /// The operating system's error.
        source: io::Error,
    },
    /// A CSV table could not be built.
    #[error("cannot build a CSV table: {0}")]
    Csv(#[from] csv::Error),
}

impl WriteError {
    fn io(path: &Path) -> impl FnOnce(io::Error) -> WriteError + '_ {
        move |source| WriteError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

/// The timetable as pretty-printed JSON with a trailing newline.
pub fn timetable_json(timetable: &Timetable) -> String {
    // The timetable types are plain structs, enums and strings with derived `Serialize`
    // (no maps, no custom impls), so serialising into memory cannot fail.
    let mut json =
        serde_json::to_string_pretty(timetable).expect("a timetable always serialises to JSON");
    json.push('\n');
    json
}

/// Writes `bytes` to `path` so that readers see either the old file or the complete new one:
/// the bytes go to a temporary file in the same directory, which is synced and then renamed
/// over `path`. On failure the temporary file is removed and `path` is untouched.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    let dir = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    let prefix = format!(".{name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    // Temporary files default to owner-only access; the output is meant to be shared like a
    // file made with `File::create`, so ask for 0666 and let the umask narrow it.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        builder.permissions(fs::Permissions::from_mode(0o666));
    }
    let mut file = builder.tempfile_in(dir).map_err(WriteError::io(path))?;
    file.write_all(bytes).map_err(WriteError::io(path))?;
    file.as_file().sync_all().map_err(WriteError::io(path))?;
    file.persist(path)
        .map_err(|error| WriteError::io(path)(error.error))?;
    Ok(())
}

/// Creates `dir` (and its parents) and writes the four output files into it, each atomically.
/// Every file is built in memory first, so a table that cannot be built leaves the directory
/// as it was. Returns the paths written, in the order written.
pub fn write_all(
    dir: &Path,
    scenario: &Scenario,
    timetable: &Timetable,
) -> Result<Vec<PathBuf>, WriteError> {
    let files = [
        (TIMETABLE_FILE, timetable_json(timetable).into_bytes()),
        (CLASSES_FILE, classes_csv(scenario, timetable)?),
        (LEARNERS_FILE, learners_csv(scenario, timetable)?),
        (
            SUMMARY_FILE,
            summary_markdown(scenario, timetable).into_bytes(),
        ),
    ];
    fs::create_dir_all(dir).map_err(WriteError::io(dir))?;
    let mut written = Vec::with_capacity(files.len());
    for (name, bytes) in files {
        let path = dir.join(name);
        write_atomic(&path, &bytes)?;
        written.push(path);
    }
    Ok(written)
}
