//! Reading input files as text and turning byte offsets into lines and columns.

use std::cell::Cell;
use std::io;
use std::path::Path;

use super::report::{FileKind, Place};

/// The UTF-8 byte order mark some spreadsheet programs write at the start of a file.
const BOM: char = '\u{feff}';

/// Why a file could not be read as text.
pub(super) enum ReadProblem {
    /// The operating system could not read it.
    Io(io::Error),
    /// The bytes are not UTF-8; the place of the first bad byte and its value.
    NotUtf8 {
        line: usize,
        column: usize,
        byte: u8,
    },
}

impl ReadProblem {
    /// What went wrong, for a file described as `what` (e.g. "the learner file `x.csv`").
    pub fn message(&self, what: &str) -> (String, String) {
        match self {
            ReadProblem::Io(error) => {
                let help = match error.kind() {
                    io::ErrorKind::NotFound => {
                        "check the file name and folder; a learner file is looked up relative to the scenario file's folder"
                    }
                    io::ErrorKind::PermissionDenied => {
                        "the file is not readable for this user; check its permissions"
                    }
                    _ => "check that the path names a readable file",
                };
                (format!("cannot read {what}: {error}"), help.to_string())
            }
            ReadProblem::NotUtf8 { byte, .. } => (
                format!("{what} is not UTF-8 text: byte 0x{byte:02X} here cannot be read"),
                "save the file with UTF-8 encoding (in Excel: \"CSV UTF-8\"; in a text editor: encoding UTF-8)"
                    .to_string(),
            ),
        }
    }

    /// Where the problem is: the first bad byte, or the whole file.
    pub fn place(&self, file: FileKind) -> Place {
        match self {
            ReadProblem::Io(_) => Place::file(file),
            ReadProblem::NotUtf8 { line, column, .. } => Place {
                file,
                line: *line,
                column: *column,
            },
        }
    }
}

/// Reads a whole file of the given kind as UTF-8 text.
pub(super) fn read_text(path: &Path, file: FileKind) -> Result<String, ReadProblem> {
    let bytes = std::fs::read(path).map_err(ReadProblem::Io)?;
    text_from_bytes(bytes, file)
}

/// Checks that bytes are UTF-8, naming the first bad byte's line and column if not.
pub(super) fn text_from_bytes(bytes: Vec<u8>, file: FileKind) -> Result<String, ReadProblem> {
    String::from_utf8(bytes).map_err(|error| {
        let bytes = error.as_bytes();
        let valid_up_to = error.utf8_error().valid_up_to();
        let prefix = bytes.get(..valid_up_to).unwrap_or_default();
        // The prefix is valid UTF-8 by definition of `valid_up_to`.
        let prefix = std::str::from_utf8(prefix).unwrap_or_default();
        let place = Source::new(file, prefix).place(prefix.len());
        ReadProblem::NotUtf8 {
            line: place.line,
            column: place.column,
            byte: bytes.get(valid_up_to).copied().unwrap_or_default(),
        }
    })
}

/// Byte offsets at which lines start. TOML ends lines only with `\n` (a lone `\r` is a
/// syntax error there), but the CSV reader also ends a record at a lone `\r`, as old Mac
/// spreadsheets write them, so for the learner file that starts a line too.
fn line_starts(file: FileKind, text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    let ends_line = |i: usize, b: u8| match b {
        b'\n' => true,
        b'\r' => file == FileKind::Learners && bytes.get(i + 1) != Some(&b'\n'),
        _ => false,
    };
    std::iter::once(0)
        .chain(
            bytes
                .iter()
                .enumerate()
                .filter(|(i, b)| ends_line(*i, **b))
                .map(|(i, _)| i + 1),
        )
        .collect()
}

/// 1-based column after `tail`, counted in characters; a byte order mark at the very start
/// of the file does not count, since editors do not show it.
fn column_of(tail: &str, first_line: bool) -> usize {
    let skip = usize::from(first_line && tail.starts_with(BOM));
    tail.chars().count().saturating_sub(skip) + 1
}

/// The text of one input file with a line index, to turn byte offsets into places.
pub(super) struct Source<'t> {
    /// Which file this is.
    pub file: FileKind,
    /// The whole text.
    pub text: &'t str,
    /// Byte offset of the start of every line.
    line_starts: Vec<usize>,
    /// Last place computed (offset, line start, column): errors come mostly in file order
    /// within a line, so counting on from here keeps very long lines from being quadratic.
    memo: Cell<(usize, usize, usize)>,
}

impl<'t> Source<'t> {
    /// Indexes the lines of `text`.
    pub fn new(file: FileKind, text: &'t str) -> Source<'t> {
        Source {
            file,
            text,
            line_starts: line_starts(file, text),
            memo: Cell::new((usize::MAX, usize::MAX, 1)),
        }
    }

    /// 1-based line of a byte offset.
    pub fn line_of(&self, offset: usize) -> usize {
        self.line_starts.partition_point(|start| *start <= offset)
    }

    /// The place of a byte offset (clamped to the text).
    pub fn place(&self, offset: usize) -> Place {
        let offset = offset.min(self.text.len());
        let line = self.line_of(offset).max(1);
        let line_start = self.line_starts.get(line - 1).copied().unwrap_or_default();
        let (memo_offset, memo_start, memo_column) = self.memo.get();
        let column = if memo_start == line_start && memo_offset <= offset {
            let tail = self.text.get(memo_offset..offset).unwrap_or_default();
            memo_column + column_of(tail, false) - 1
        } else {
            let tail = self.text.get(line_start..offset).unwrap_or_default();
            column_of(tail, line_start == 0)
        };
        self.memo.set((offset, line_start, column));
        Place {
            file: self.file,
            line,
            column,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_count_characters_and_skip_the_bom() {
        let text = "\u{feff}a = 1\nbé = 2\n";
        let source = Source::new(FileKind::Scenario, text);
        let a = text.find('a').unwrap_or_default();
        assert_eq!((source.place(a).line, source.place(a).column), (1, 1));
        let two = text.find('2').unwrap_or_default();
        assert_eq!((source.place(two).line, source.place(two).column), (2, 6));
        // Going backwards on a line after the memo moved on still counts from the start.
        let b = text.find('b').unwrap_or_default();
        assert_eq!((source.place(b).line, source.place(b).column), (2, 1));
    }

    #[test]
    fn bad_bytes_are_located() {
        let bytes = b"ok\nab\xffcd".to_vec();
        match text_from_bytes(bytes, FileKind::Scenario) {
            Err(ReadProblem::NotUtf8 { line, column, byte }) => {
                assert_eq!((line, column, byte), (2, 3, 0xff))
            }
            _ => panic!("expected a UTF-8 problem"),
        }
    }

    #[test]
    fn a_lone_carriage_return_ends_a_line_of_the_learner_file_only() {
        let text = "a\rb\r\nc\nd";
        let d = text.find('d').unwrap_or_default();
        let csv = Source::new(FileKind::Learners, text);
        assert_eq!((csv.place(d).line, csv.place(d).column), (4, 1));
        let toml = Source::new(FileKind::Scenario, text);
        assert_eq!((toml.place(d).line, toml.place(d).column), (3, 1));
        match text_from_bytes(b"a\rb\xff".to_vec(), FileKind::Learners) {
            Err(ReadProblem::NotUtf8 { line, column, .. }) => assert_eq!((line, column), (2, 2)),
            _ => panic!("expected a UTF-8 problem"),
        }
    }
}
