//! Reading the fields of one TOML table, field by field, so that every bad field of every
//! table is reported (a derived `Deserialize` would stop at the first one).

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::report::{At, Place, Report};
use super::rules::{self, Count, Range};
use super::source::Source;
use super::suggest;
use crate::domain::Mode;
use crate::time::Window;

/// An example list of windows for help texts.
const WINDOWS_EXAMPLE: &str = "[\"mon-fri 08:00-17:00\"]";

/// A TOML value with its byte span.
pub(super) type Value<'t> = Spanned<DeValue<'t>>;

/// Describes a value for a message: what was found instead of what was expected.
pub(super) fn describe(value: &DeValue<'_>) -> String {
    match value {
        DeValue::String(text) => format!("text \"{}\"", rules::quote(text)),
        DeValue::Integer(number) => format!("the number {number}"),
        DeValue::Float(number) => format!("the number {number}"),
        DeValue::Boolean(flag) => format!("`{flag}`"),
        DeValue::Datetime(date) => format!("the unquoted date `{date}`"),
        DeValue::Array(_) => "a list".to_string(),
        DeValue::Table(_) => "a table".to_string(),
    }
}

/// A TOML number as `f64`, whether written as an integer or a decimal; `None` when not a
/// number or out of any range.
pub(super) fn number_of(value: &DeValue<'_>) -> Option<f64> {
    match value {
        DeValue::Integer(number) if number.radix() == 10 => number.as_str().parse().ok(),
        // Hexadecimal, octal and binary literals are rare; accept those that fit.
        DeValue::Integer(number) => i64::from_str_radix(number.as_str(), number.radix())
            .ok()
            .map(|n| n as f64),
        DeValue::Float(number) => number.as_str().parse().ok(),
        _ => None,
    }
}

/// Reads the fields of one table and reports every problem under a common name such as
/// "venue `schilde-gc`".
pub(super) struct Fields<'a, 't> {
    /// The file the table is in.
    pub src: &'a Source<'t>,
    /// Where problems go.
    pub report: &'a mut Report,
    table: &'a DeTable<'t>,
    /// Where the table starts (its header, or the `{` of an inline table).
    pub at: Place,
    /// How messages name the table.
    pub what: String,
    /// Field names of this kind of table, in documentation order.
    known: &'static [&'static str],
    /// What the table is called in "fields of a ...".
    kind: &'static str,
}

impl<'a, 't> Fields<'a, 't> {
    /// Starts reading `table`, whose span begins at `start`.
    pub fn new(
        src: &'a Source<'t>,
        report: &'a mut Report,
        table: &'a DeTable<'t>,
        start: usize,
        what: String,
        kind: &'static str,
        known: &'static [&'static str],
    ) -> Fields<'a, 't> {
        Fields {
            at: src.place(start),
            src,
            report,
            table,
            what,
            known,
            kind,
        }
    }

    /// Reports a problem at `at`, prefixed with the table's name.
    pub fn error(&mut self, at: Place, message: impl AsRef<str>, help: impl Into<String>) {
        let message = format!("{}: {}", self.what, message.as_ref());
        self.report.error(at, message, help);
    }

    /// Where a value is written.
    pub fn place(&self, value: &Value<'t>) -> Place {
        self.src.place(value.span().start)
    }

    /// The raw value of a field, if present.
    pub fn raw(&self, key: &str) -> Option<&'a Value<'t>> {
        self.table.get(key)
    }

    /// The value of a field; reports it missing when `required`.
    fn get(&mut self, key: &str, required: bool, example: &str) -> Option<&'a Value<'t>> {
        let value = self.table.get(key);
        if value.is_none() && required {
            let at = self.at;
            self.error(
                at,
                format!("`{key}` is missing"),
                format!("add a line `{key} = {example}` to this table"),
            );
        }
        value
    }

    /// Reports a value of the wrong type.
    /// `subject` is the field as written in the message (`` `open` ``).
    fn wrong(&mut self, subject: &str, value: &Value<'t>, expected: &str, help: impl Into<String>) {
        let at = self.place(value);
        let found = describe(value.get_ref());
        self.error(
            at,
            format!("{subject} must be {expected}, found {found}"),
            help,
        );
    }

    /// A text field.
    pub fn text(&mut self, key: &str, required: bool, example: &str) -> Option<At<String>> {
        let value = self.get(key, required, example)?;
        match value.get_ref() {
            DeValue::String(text) => Some(At::new(text.to_string(), self.place(value))),
            _ => {
                self.wrong(
                    &format!("`{key}`"),
                    value,
                    "text in quotes",
                    format!("write it in quotes, e.g. `{key} = {example}`"),
                );
                None
            }
        }
    }

    /// The `id` field, checked against the id rules; on success the table is named after
    /// it in later messages (`kind` `id`).
    pub fn id(&mut self, kind: &str) -> Option<At<String>> {
        let id = self.text("id", true, "\"short-name\"")?;
        if let Err((message, help)) = rules::check_id(&id.value) {
            self.error(id.at, message, help);
            return None;
        }
        self.what = format!("{kind} `{}`", id.value);
        Some(id)
    }

    /// A reference to another entity's id (checked to exist later).
    pub fn reference(&mut self, key: &str, required: bool, example: &str) -> Option<At<String>> {
        self.text(key, required, example)
    }

    /// A decimal number within `range`.
    pub fn number(&mut self, key: &str, required: bool, range: Range) -> Option<At<f64>> {
        let value = self.get(key, required, &format!("{}", range.min.max(1.0)))?;
        let at = self.place(value);
        match number_of(value.get_ref()) {
            Some(number) => match range.check(number) {
                Ok(number) => Some(At::new(number, at)),
                Err(problem) => {
                    let found = describe(value.get_ref());
                    self.error(
                        at,
                        format!("`{key}` {problem}, found {found}"),
                        range.help(),
                    );
                    None
                }
            },
            None => {
                self.wrong(&format!("`{key}`"), value, "a number", range.help());
                None
            }
        }
    }

    /// A whole number within `count`.
    pub fn count(&mut self, key: &str, required: bool, count: Count) -> Option<At<u32>> {
        let value = self.get(key, required, &count.min.max(1).to_string())?;
        let at = self.place(value);
        let checked = match value.get_ref() {
            DeValue::Integer(number) => {
                match i64::from_str_radix(number.as_str(), number.radix()) {
                    Ok(number) => count.check(number),
                    Err(_) => Err(format!("must be at most {}", count.max)),
                }
            }
            DeValue::Float(_) => number_of(value.get_ref())
                .map_or(Err("must be a whole number".to_string()), |n| {
                    count.check_float(n)
                }),
            _ => {
                self.wrong(&format!("`{key}`"), value, "a whole number", count.help());
                return None;
            }
        };
        match checked {
            Ok(number) => Some(At::new(number, at)),
            Err(problem) => {
                let found = describe(value.get_ref());
                self.error(
                    at,
                    format!("`{key}` {problem}, found {found}"),
                    count.help(),
                );
                None
            }
        }
    }

    /// A true/false field; `default` when absent.
    pub fn flag(&mut self, key: &str, default: bool) -> Option<At<bool>> {
        let Some(value) = self.raw(key) else {
            return Some(At::new(default, self.at));
        };
        match value.get_ref() {
            DeValue::Boolean(flag) => Some(At::new(*flag, self.place(value))),
            _ => {
                self.wrong(
                    &format!("`{key}`"),
                    value,
                    "true or false",
                    format!("write `{key} = true` or `{key} = false`"),
                );
                None
            }
        }
    }

    /// A travel mode; when absent, `default`, or a "missing" problem if there is none.
    pub fn mode(&mut self, key: &str, default: Option<Mode>) -> Option<Mode> {
        if self.raw(key).is_none() && default.is_some() {
            return default;
        }
        let text = self.text(key, true, "\"public\"")?;
        let mode = rules::parse_mode(&text.value);
        if mode.is_none() {
            self.error(
                text.at,
                format!("unknown travel mode `{}`", rules::quote(&text.value)),
                rules::MODE_HELP,
            );
        }
        mode
    }

    /// A list; each element is handed back with its span. Reports a non-list.
    pub fn list(&mut self, key: &str, required: bool, example: &str) -> Option<&'a [Value<'t>]> {
        let value = self.get(key, required, example)?;
        match value.get_ref() {
            DeValue::Array(items) => Some(items.as_ref()),
            _ => {
                self.wrong(
                    &format!("`{key}`"),
                    value,
                    "a list in square brackets",
                    format!("e.g. `{key} = {example}`"),
                );
                None
            }
        }
    }

    /// A list of texts; `None` when absent or when any element is not text (each such
    /// element is reported).
    pub fn texts(&mut self, key: &str, required: bool, example: &str) -> Option<Vec<At<String>>> {
        let items = self.list(key, required, example)?;
        self.texts_of(&format!("`{key}`"), items, &format!("`{key} = {example}`"))
    }

    /// The elements of a list as texts; `None` when any is not text (each is reported).
    /// `subject` names the list in messages; `example` shows a correct one.
    pub fn texts_of(
        &mut self,
        subject: &str,
        items: &[Value<'t>],
        example: &str,
    ) -> Option<Vec<At<String>>> {
        let mut texts = Vec::with_capacity(items.len());
        let mut ok = true;
        for item in items {
            match item.get_ref() {
                DeValue::String(text) => texts.push(At::new(text.to_string(), self.place(item))),
                _ => {
                    ok = false;
                    self.wrong(
                        &format!("each element of {subject}"),
                        item,
                        "text in quotes",
                        format!("e.g. {example}"),
                    );
                }
            }
        }
        ok.then_some(texts)
    }

    /// A list of windows (`DAYS HH:MM-HH:MM`); `None` when absent or any element is bad.
    pub fn windows(&mut self, key: &str, required: bool) -> Option<Vec<Window>> {
        let items = self.list(key, required, WINDOWS_EXAMPLE)?;
        self.windows_of(&format!("`{key}`"), items)
    }

    /// Windows from list elements; `None` when any element is bad (each is reported).
    /// `subject` names the list in messages.
    pub fn windows_of(&mut self, subject: &str, items: &[Value<'t>]) -> Option<Vec<Window>> {
        let texts = self.texts_of(subject, items, &format!("`{WINDOWS_EXAMPLE}`"))?;
        let mut ok = true;
        let mut windows = Vec::with_capacity(texts.len());
        for text in texts {
            match Window::parse(&text.value) {
                Ok(window) => windows.push(window),
                Err(problem) => {
                    ok = false;
                    self.error(
                        text.at,
                        format!(
                            "window `{}` in {subject}: {problem}",
                            rules::quote(&text.value)
                        ),
                        rules::WINDOW_HELP,
                    );
                }
            }
        }
        ok.then_some(windows)
    }

    /// A table-valued field (such as `speed_kmh = { walk = 4.5 }`).
    pub fn table(&mut self, key: &str) -> Option<(&'a DeTable<'t>, usize)> {
        let value = self.raw(key)?;
        match value.get_ref() {
            DeValue::Table(table) => Some((table, value.span().start)),
            _ => {
                self.wrong(
                    &format!("`{key}`"),
                    value,
                    "a table",
                    format!("e.g. `{key} = {{ walk = 4.5, public = 18.0 }}`"),
                );
                None
            }
        }
    }

    /// The elements of a list of tables (such as `rooms`); other elements are reported.
    pub fn tables(
        &mut self,
        key: &str,
        required: bool,
        example: &str,
    ) -> Option<Vec<(&'a DeTable<'t>, usize)>> {
        let items = self.list(key, required, example)?;
        let mut tables = Vec::with_capacity(items.len());
        for item in items {
            match item.get_ref() {
                DeValue::Table(table) => tables.push((table, item.span().start)),
                _ => self.wrong(
                    &format!("each element of `{key}`"),
                    item,
                    "a table",
                    format!("e.g. `{key} = {example}`"),
                ),
            }
        }
        Some(tables)
    }

    /// Reports fields that this kind of table does not have.
    pub fn finish(self) {
        let mut unknown = Vec::new();
        for (key, _) in self.table.iter() {
            if !self.known.contains(&key.get_ref().as_ref()) {
                unknown.push((self.src.place(key.span().start), key.get_ref().to_string()));
            }
        }
        for (at, key) in unknown {
            let help = suggest::help_for_unknown_name(
                &key,
                self.known,
                &format!("fields of a {}", self.kind),
            );
            let message = format!("{}: unknown field `{}`", self.what, rules::quote(&key));
            self.report.error(at, message, help);
        }
    }
}
