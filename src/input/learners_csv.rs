//! Reading the learner CSV: a header naming the columns (any order), one learner per row.

use csv::{ReaderBuilder, StringRecord, Trim};

use super::document::{DEFAULT_MAX_TRAVEL, DEFAULT_MODE, DEFAULT_PRIORITY, check_needs, non_blank};
use super::raw::RawLearner;
use super::report::{At, FileKind, Place, Report};
use super::rules;
use super::source::Source;
use super::suggest;
use crate::time::{WeekSet, Window};

/// The columns, in the order the SPEC lists them.
pub(super) const COLUMNS: [&str; 9] = [
    "id",
    "municipality",
    "needs",
    "shift",
    "employer",
    "unavailable",
    "mode",
    "max_travel",
    "priority",
];

/// Columns without which a row means nothing; the others may be left out (all defaults).
const REQUIRED: [&str; 3] = ["id", "municipality", "needs"];

/// The byte order mark some spreadsheet programs write first.
const BOM: &str = "\u{feff}";

/// Where each known column is in the file (0-based field index), by position in `COLUMNS`.
type ColumnMap = [Option<usize>; COLUMNS.len()];

/// Reads the learners of a CSV file; every problem goes to `report`.
pub(super) fn read(src: &Source<'_>, report: &mut Report) -> Vec<RawLearner> {
    let text = src.text;
    if text.strip_prefix(BOM).unwrap_or(text).trim().is_empty() {
        report.error(
            Place::file(src.file),
            "the learner file is empty",
            format!(
                "the first line must name the columns: {}",
                COLUMNS.join(",")
            ),
        );
        return Vec::new();
    }
    // A quote that is never closed swallows the rest of the file into one value; find it
    // first so the row it starts is reported as that, not as a row with the wrong number
    // of fields.
    let unclosed = unclosed_quote(text);
    if let Some((_, quote)) = unclosed {
        report.error(
            src.place(quote),
            "a quoted value starting here is never closed, so everything after it was read as one value",
            "add the closing `\"`; a `\"` inside a quoted value is written twice (`\"\"`)",
        );
    }
    let unclosed_line = unclosed.map(|(record, _)| src.line_of(record));

    let mut reader = ReaderBuilder::new()
        .trim(Trim::All)
        .flexible(false)
        .from_reader(text.as_bytes());
    let header = match reader.headers() {
        Ok(header) => header.clone(),
        Err(error) => {
            report.error(
                Place::file(src.file),
                format!("the learner file's first line cannot be read: {error}"),
                "save the file as comma-separated CSV with a header line",
            );
            return Vec::new();
        }
    };
    let header_line = header.position().map_or(1, |p| record_line(src, p.byte()));
    if unclosed_line == Some(header_line) {
        return Vec::new();
    }
    let Some(columns) = columns(src, report, &header, header_line) else {
        return Vec::new();
    };

    let mut learners = Vec::new();
    let mut record = StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {
                let line = record.position().map_or(0, |p| record_line(src, p.byte()));
                if unclosed_line == Some(line) {
                    continue;
                }
                learners.push(row(src.file, report, &record, line, &columns));
            }
            Ok(false) => break,
            Err(error) => {
                let line = error.position().map_or(0, |p| record_line(src, p.byte()));
                if unclosed_line == Some(line) {
                    continue;
                }
                let at = Place {
                    file: src.file,
                    line,
                    column: 0,
                };
                match error.kind() {
                    csv::ErrorKind::UnequalLengths { len, .. } => report.error(
                        at,
                        format!(
                            "this row has {len} values but the header has {} columns",
                            header.len()
                        ),
                        "give every row one value per column; leave a cell empty (`,,`) for its default, and quote values that contain a comma",
                    ),
                    _ => report.error(
                        at,
                        format!("this row cannot be read: {error}"),
                        "save the file as comma-separated CSV",
                    ),
                }
                if error.is_io_error() {
                    break;
                }
            }
        }
    }
    learners
}

/// The 1-based line a record starts on. The reader's position can lie just before the
/// line break that ends the previous record (or before skipped blank lines), so skip those.
fn record_line(src: &Source<'_>, byte: u64) -> usize {
    let byte = usize::try_from(byte)
        .unwrap_or(usize::MAX)
        .min(src.text.len());
    let rest = src.text.as_bytes().get(byte..).unwrap_or_default();
    let skip = rest
        .iter()
        .take_while(|b| **b == b'\n' || **b == b'\r')
        .count();
    src.line_of(byte + skip)
}

/// Maps the header to columns; reports unknown, repeated and missing columns. `None` when
/// a required column is missing: rows could not be understood then.
fn columns(
    src: &Source<'_>,
    report: &mut Report,
    header: &StringRecord,
    line: usize,
) -> Option<ColumnMap> {
    let mut map: ColumnMap = [None; COLUMNS.len()];
    let place = |column: usize| Place {
        file: src.file,
        line,
        column,
    };
    // Spreadsheets with Dutch settings save with `;` between columns; the whole header is
    // then one column, and that is the only useful thing to say about it.
    if let [name] = header.iter().collect::<Vec<_>>().as_slice()
        && name.contains(';')
    {
        report.error(
            place(1),
            "the header is one column with `;` in it: the file seems to use `;` between columns",
            "save the file as comma-separated CSV (columns separated by `,`; inside `needs` and `unavailable`, `;` separates values)",
        );
        return None;
    }
    for (i, name) in header.iter().enumerate() {
        let lowered = name.to_ascii_lowercase();
        match COLUMNS.iter().position(|c| *c == lowered) {
            Some(c) => match map.get_mut(c) {
                Some(Some(first)) => report.error(
                    place(i + 1),
                    format!("column `{}` appears twice", COLUMNS.get(c).unwrap_or(&"")),
                    format!("it is already column {}; remove one of them", *first + 1),
                ),
                Some(slot) => *slot = Some(i),
                None => {}
            },
            None => report.error(
                place(i + 1),
                format!("unknown column `{}`", rules::quote(name)),
                suggest::help_for_unknown_name(name, &COLUMNS, "learner file columns"),
            ),
        }
    }
    let mut complete = true;
    for required in REQUIRED {
        let present = COLUMNS
            .iter()
            .position(|c| *c == required)
            .and_then(|c| map.get(c).copied().flatten())
            .is_some();
        if !present {
            complete = false;
            report.error(
                place(0),
                format!("the learner file has no `{required}` column"),
                format!(
                    "the first line must name the columns, e.g. `{}`",
                    COLUMNS.join(",")
                ),
            );
        }
    }
    complete.then_some(map)
}

/// One learner from one row.
fn row(
    file: FileKind,
    report: &mut Report,
    record: &StringRecord,
    line: usize,
    columns: &ColumnMap,
) -> RawLearner {
    // A cell and its place; a missing optional column reads as an empty cell.
    let cell = |name: &str| -> (&str, Place) {
        let index = COLUMNS
            .iter()
            .position(|c| *c == name)
            .and_then(|c| columns.get(c).copied().flatten());
        let text = index.and_then(|i| record.get(i)).unwrap_or("");
        let column = index.map_or(0, |i| i + 1);
        (text, Place { file, line, column })
    };

    let (id_text, id_at) = cell("id");
    let mut what = format!("learner on line {line}");
    let id = match rules::check_id(id_text) {
        Ok(()) => {
            what = format!("learner `{id_text}`");
            Some(At::new(id_text.to_string(), id_at))
        }
        Err((message, help)) => {
            report.error(id_at, format!("{what}: {message}"), help);
            None
        }
    };

    let (text, at) = cell("municipality");
    let municipality = if text.is_empty() {
        report.error(
            at,
            format!("{what}: `municipality` is empty"),
            "write the id of the municipality the learner lives in",
        );
        None
    } else {
        Some(At::new(text.to_string(), at))
    };

    let (text, at) = cell("needs");
    let needs = list(text)
        .map(|need| At::new(need.to_string(), at))
        .collect();
    let needs = check_needs(report, &what, needs, at);

    let (text, at) = cell("shift");
    let shift = (!text.is_empty()).then(|| At::new(text.to_string(), at));

    let (text, _) = cell("employer");
    let employer = non_blank(text);

    let (text, at) = cell("unavailable");
    let mut windows = Vec::new();
    let mut windows_ok = true;
    for item in list(text) {
        match Window::parse(item) {
            Ok(window) => windows.push(window),
            Err(problem) => {
                windows_ok = false;
                report.error(
                    at,
                    format!(
                        "{what}: window `{}` in `unavailable`: {problem}",
                        rules::quote(item)
                    ),
                    format!("{}; separate windows with `;`", rules::WINDOW_HELP),
                );
            }
        }
    }
    let unavailable = windows_ok.then(|| WeekSet::from_windows(&windows));

    let (text, at) = cell("mode");
    let mode = if text.is_empty() {
        Some(DEFAULT_MODE)
    } else {
        let mode = rules::parse_mode(text);
        if mode.is_none() {
            report.error(
                at,
                format!("{what}: unknown travel mode `{}`", rules::quote(text)),
                format!("{}, or leave the cell empty for public", rules::MODE_HELP),
            );
        }
        mode
    };

    let (text, at) = cell("max_travel");
    let max_travel = if text.is_empty() {
        Some(DEFAULT_MAX_TRAVEL)
    } else {
        match rules::MINUTES.parse(text) {
            Ok(minutes) => Some(minutes),
            Err(problem) => {
                report.error(
                    at,
                    format!(
                        "{what}: `max_travel` {problem}, found `{}`",
                        rules::quote(text)
                    ),
                    format!(
                        "{} (minutes, one way), or leave the cell empty for {DEFAULT_MAX_TRAVEL}",
                        rules::MINUTES.help()
                    ),
                );
                None
            }
        }
    };

    let (text, at) = cell("priority");
    let priority = if text.is_empty() {
        Some(DEFAULT_PRIORITY)
    } else {
        let checked = text
            .parse::<f64>()
            .map_err(|_| "must be a number".to_string())
            .and_then(|p| rules::PRIORITY.check(p));
        match checked {
            Ok(priority) => Some(priority),
            Err(problem) => {
                report.error(
                    at,
                    format!(
                        "{what}: `priority` {problem}, found `{}`",
                        rules::quote(text)
                    ),
                    format!(
                        "{}, or leave the cell empty for {DEFAULT_PRIORITY}",
                        rules::PRIORITY.help()
                    ),
                );
                None
            }
        }
    };

    RawLearner {
        what,
        id,
        municipality,
        needs,
        shift,
        employer,
        unavailable,
        mode,
        max_travel,
        priority,
    }
}

/// The `;`-separated values of a cell, trimmed, empty ones skipped.
fn list(text: &str) -> impl Iterator<Item = &str> {
    text.split(';')
        .map(str::trim)
        .filter(|item| !item.is_empty())
}

/// If the file ends inside a quoted value: the start of the record holding it and the
/// position of its opening quote. Follows the reader's rules: a quote opens a value only
/// as its first character, and `""` inside a quoted value is a literal quote.
fn unclosed_quote(text: &str) -> Option<(usize, usize)> {
    let offset = if text.starts_with(BOM) { BOM.len() } else { 0 };
    let body = text.get(offset..).unwrap_or_default();
    let mut in_quotes = false;
    let mut field_start = true;
    let mut new_record = false;
    let mut record_start = offset;
    let mut quote = offset;
    let mut chars = body.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if in_quotes {
            // `""` is a quote inside the value; a lone `"` closes it.
            if c == '"' && chars.next_if(|(_, next)| *next == '"').is_none() {
                in_quotes = false;
            }
            continue;
        }
        if new_record && c != '\n' && c != '\r' {
            record_start = offset + i;
            new_record = false;
        }
        match c {
            '"' if field_start => {
                in_quotes = true;
                quote = offset + i;
                field_start = false;
            }
            '\n' | '\r' => {
                field_start = true;
                new_record = true;
            }
            ',' => field_start = true,
            _ => field_start = false,
        }
    }
    in_quotes.then_some((record_start, quote))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unclosed_quotes_are_found_and_closed_ones_are_not() {
        assert_eq!(unclosed_quote("id\n\"a\"\"b\"\n"), None);
        assert_eq!(unclosed_quote("id,x\na,b\"c\n"), None);
        let text = "id,x\na,b\nc,\"d\ne,f\n";
        let record = text.find("c,").unwrap_or_default();
        let quote = text.find('"').unwrap_or_default();
        assert_eq!(unclosed_quote(text), Some((record, quote)));
    }
}
