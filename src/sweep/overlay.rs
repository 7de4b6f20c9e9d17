//! Applying a variant to the base scenario at the TOML level: removals, then changes to the
//! single tables, then entities amended or added by id, then the `[vary]` values. The result
//! is a scenario file in the normal format, which the normal loader then checks, so a
//! mistake in the merged scenario is reported like any other, at its line in the resolved
//! `scenario.toml`.
//!
//! Learners kept in a CSV file stay in a copy of that file beside the resolved scenario:
//! removed learners' rows are cut from the copy, and a learner the variant changes moves
//! from the copy into a `[[learner]]` table of the scenario, where the change is applied.

use std::fmt::Write as _;
use std::fs;
use std::ops::Range;
use std::path::{Path, PathBuf};

use toml::{Table, Value};

use crate::input::{self, InputError, InputErrors};

use super::file::{Loc, SweepFile, Variant, sweep_error};

/// The tables of a scenario that occur once; a variant's values are merged into them.
pub const SINGLE_TABLES: [&str; 4] = ["scenario", "objective", "budget", "travel"];

/// File name of the learner CSV copied beside a resolved scenario. Not `learners.csv`: the
/// timetable writers put their learner-need table under that name in the same directory.
pub const LEARNERS_COPY: &str = "scenario-learners.csv";

/// The kinds of entity a scenario lists by id.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `[[municipality]]`
    Municipality,
    /// `[[venue]]`
    Venue,
    /// `[[teacher]]`
    Teacher,
    /// `[[format]]`
    Format,
    /// `[[course]]`
    Course,
    /// `[[shift]]`
    Shift,
    /// `[[learner]]`, or a row of the learner CSV
    Learner,
}

impl Kind {
    /// Every kind, in the order a scenario file lists them.
    pub const ALL: [Kind; 7] = [
        Kind::Municipality,
        Kind::Venue,
        Kind::Teacher,
        Kind::Format,
        Kind::Course,
        Kind::Shift,
        Kind::Learner,
    ];

    /// The table name in a scenario file.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Municipality => "municipality",
            Kind::Venue => "venue",
            Kind::Teacher => "teacher",
            Kind::Format => "format",
            Kind::Course => "course",
            Kind::Shift => "shift",
            Kind::Learner => "learner",
        }
    }

    /// The kind a table name stands for.
    pub fn parse(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|kind| kind.name() == name)
    }
}

/// The changes of one `[[variant]]`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Overlay {
    /// Entities to remove, applied first.
    pub removals: Vec<Removal>,
    /// Values for the single tables (`[variant.budget]`...), merged key by key.
    pub tables: Vec<(&'static str, Table, Loc)>,
    /// Entities to amend (an id the scenario has) or add (a new id), in file order.
    pub entities: Vec<(Kind, Table, Loc)>,
}

/// One id listed under `remove`.
#[derive(Clone, Debug, PartialEq)]
pub struct Removal {
    /// The kind of entity.
    pub kind: Kind,
    /// Its id.
    pub id: String,
    /// Where the id is written in the sweep file.
    pub at: Loc,
}

/// Where a `[vary]` key points.
#[derive(Clone, Debug, PartialEq)]
pub enum SettingPath {
    /// A value in a single table, possibly nested: `budget.max_cost`, `travel.speed_kmh.car`.
    Table {
        /// One of [`SINGLE_TABLES`].
        table: &'static str,
        /// The keys below it.
        keys: Vec<String>,
    },
    /// A field of one entity: `course.nt2-a1.min_size`.
    Entity {
        /// The kind of entity.
        kind: Kind,
        /// Its id (everything between the kind and the last dot, so ids may contain dots).
        id: String,
        /// The field.
        field: String,
    },
}

impl SettingPath {
    /// Reads a dotted `[vary]` key; on failure, what is wrong and what to write.
    pub fn parse(key: &str) -> Result<SettingPath, (String, String)> {
        const HELP: &str = "write `table.field` for a single table (`budget.max_cost`, `objective.fairness`, `scenario.weeks`) or `kind.id.field` for one entity (`course.nt2-a1.min_size`, `teacher.t-an.max_hours`)";
        let Some((table, rest)) = key.split_once('.') else {
            return Err((format!("`{key}` does not name a setting"), HELP.into()));
        };
        if let Some(table) = SINGLE_TABLES.iter().find(|t| **t == table) {
            let keys: Vec<String> = rest.split('.').map(str::to_string).collect();
            if keys.iter().any(String::is_empty) {
                return Err((format!("`{key}` has an empty part"), HELP.into()));
            }
            return Ok(SettingPath::Table { table, keys });
        }
        if let Some(kind) = Kind::parse(table) {
            return match rest.rsplit_once('.') {
                Some((id, field)) if !id.is_empty() && !field.is_empty() => {
                    Ok(SettingPath::Entity {
                        kind,
                        id: id.to_string(),
                        field: field.to_string(),
                    })
                }
                _ => Err((
                    format!(
                        "`{key}` must name a {0} and a field: `{0}.<id>.<field>`",
                        kind.name()
                    ),
                    HELP.into(),
                )),
            };
        }
        let known: Vec<&str> = SINGLE_TABLES
            .into_iter()
            .chain(Kind::ALL.map(Kind::name))
            .collect();
        let help = match crate::input::suggest::closest(table, &known) {
            Some(close) => format!("did you mean `{close}`? {HELP}"),
            None => HELP.to_string(),
        };
        Err((format!("`{key}`: a scenario has no table `{table}`"), help))
    }
}

/// One value of a `[vary]` key, for one variant.
#[derive(Clone, Debug, PartialEq)]
pub struct Setting {
    /// The key as written.
    pub key: String,
    /// Where it points.
    pub path: SettingPath,
    /// The value.
    pub value: Value,
    /// Where the key is written in the sweep file.
    pub at: Loc,
}

/// The base scenario of a sweep: its TOML document and its learner CSV, if any.
#[derive(Clone, Debug)]
pub struct Base {
    /// The scenario file.
    pub path: PathBuf,
    /// The scenario's name (what the loader makes of it).
    pub name: String,
    table: Table,
    learners: Option<LearnerFile>,
}

impl Base {
    /// Reads the base scenario; it must be valid on its own, so its own mistakes are
    /// reported against its own file, not as mistakes of every variant.
    pub fn load(path: &Path) -> Result<Base, InputErrors> {
        match fs::read_to_string(path) {
            Ok(text) => Base::from_text(&text, path),
            // The loader says best what is wrong with a file it cannot read.
            Err(error) => Err(input::load_scenario(path).err().unwrap_or_else(|| {
                InputErrors(vec![InputError {
                    file: path.to_path_buf(),
                    line: 0,
                    column: 0,
                    message: format!("cannot read the base scenario: {error}"),
                    help: None,
                }])
            })),
        }
    }

    /// Like [`Base::load`] for scenario text already read; `path` names it and its folder
    /// is where its learner CSV is looked up.
    pub fn from_text(text: &str, path: &Path) -> Result<Base, InputErrors> {
        let scenario = input::load_scenario_str(text, path)?;
        let whole_file = |message: String| {
            InputErrors(vec![InputError {
                file: path.to_path_buf(),
                line: 0,
                column: 0,
                message,
                help: None,
            }])
        };
        // The loader accepted the text, so it is TOML.
        let table: Table = toml::from_str(text).map_err(|e| whole_file(e.to_string()))?;
        let learners = match learners_path(&table) {
            Some(relative) => {
                let csv = path.parent().unwrap_or(Path::new("")).join(relative);
                let file = LearnerFile::read(&csv).map_err(|e| {
                    whole_file(format!(
                        "cannot read the learner file `{}`: {e}",
                        csv.display()
                    ))
                })?;
                Some(file)
            }
            None => None,
        };
        Ok(Base {
            path: path.to_path_buf(),
            name: scenario.name,
            table,
            learners,
        })
    }
}

/// `scenario.learners` of a document, when it is a non-empty text.
fn learners_path(doc: &Table) -> Option<&str> {
    doc.get("scenario")
        .and_then(|s| s.get("learners"))
        .and_then(Value::as_str)
        .filter(|path| !path.trim().is_empty())
}

/// A variant's scenario: the text of its `scenario.toml` and of the learner CSV beside it.
#[derive(Clone, Debug, PartialEq)]
pub struct Resolved {
    /// The scenario file, in the normal format.
    pub scenario: String,
    /// The learner CSV to write beside it as [`LEARNERS_COPY`], when it names one.
    pub learners: Option<String>,
}

/// Applies a variant to the base. Mistakes that only show against the base (an id to remove
/// that it does not have) are reported at their place in the sweep file.
pub fn resolve(
    sweep: &SweepFile,
    base: &Base,
    variant: &Variant,
) -> Result<Resolved, Vec<InputError>> {
    let mut problems = Vec::new();
    let mut error = |at: Loc, message: String, help: String| {
        problems.push(sweep_error(&sweep.path, Some(at), message, &help));
    };
    let mut doc = base.table.clone();
    let mut learners = base.learners.clone().map(Learners::new);
    // Messages name the `[[variant]]`: its mistakes are the same in each of its expanded
    // variants, and are reported once.
    let name = variant.overlay_name.as_deref().unwrap_or(&variant.name);

    // A learner file the variant names, relative to the sweep file, replaces the base's.
    if let Some((relative, at)) = overlay_learners(variant) {
        let path = sweep.path.parent().unwrap_or(Path::new("")).join(&relative);
        match LearnerFile::read(&path) {
            Ok(file) => learners = Some(Learners::new(file)),
            Err(e) => error(
                at,
                format!(
                    "variant `{name}`: cannot read the learner file `{}`: {e}",
                    path.display()
                ),
                "a learner file named in a variant is looked up relative to the sweep file".into(),
            ),
        }
    }

    for removal in &variant.overlay.removals {
        let removed = remove_entity(&mut doc, removal.kind, &removal.id)
            || (removal.kind == Kind::Learner
                && learners.as_mut().is_some_and(|l| l.remove(&removal.id)));
        if !removed {
            let known = known_ids(&doc, removal.kind, learners.as_ref());
            error(
                removal.at,
                format!(
                    "variant `{name}`: the scenario has no {} `{}` to remove",
                    removal.kind.name(),
                    removal.id
                ),
                unknown_id_help(&removal.id, &known, removal.kind),
            );
        }
    }

    for (table, values, _) in &variant.overlay.tables {
        let target = subtable(&mut doc, table);
        merge(target, values);
    }

    for (kind, values, _) in &variant.overlay.entities {
        let id = values.get("id").and_then(Value::as_str).unwrap_or_default();
        match entity(&mut doc, *kind, id, learners.as_mut()) {
            Some(entity) => amend(entity, values),
            None => push_entity(&mut doc, *kind, values.clone()),
        }
    }

    for setting in &variant.settings {
        match &setting.path {
            SettingPath::Table { table, keys } => {
                let mut target = subtable(&mut doc, table);
                let (last, parents) = keys.split_last().expect("a parsed path has a key");
                for key in parents {
                    target = subtable(target, key);
                }
                target.insert(last.clone(), setting.value.clone());
            }
            SettingPath::Entity { kind, id, field } => {
                match entity(&mut doc, *kind, id, learners.as_mut()) {
                    Some(entity) => {
                        entity.insert(field.clone(), setting.value.clone());
                    }
                    None => {
                        let known = known_ids(&doc, *kind, learners.as_ref());
                        error(
                            setting.at,
                            format!(
                                "`{}` names {} `{id}`, which the scenario of variant `{name}` does not have",
                                setting.key,
                                kind.name()
                            ),
                            unknown_id_help(id, &known, *kind),
                        );
                    }
                }
            }
        }
    }

    // Each variant's timetable and tables say which variant they belong to, unless the
    // variant names itself.
    let names_itself = variant
        .overlay
        .tables
        .iter()
        .any(|(table, values, _)| *table == "scenario" && values.contains_key("name"))
        || variant.settings.iter().any(|s| {
            matches!(&s.path, SettingPath::Table { table: "scenario", keys } if keys == &["name"])
        });
    let scenario = subtable(&mut doc, "scenario");
    if !names_itself {
        scenario.insert(
            "name".into(),
            Value::String(format!("{} / {}", base.name, variant.name)),
        );
    }
    if learners.is_some() {
        scenario.insert("learners".into(), Value::String(LEARNERS_COPY.into()));
    }

    if !problems.is_empty() {
        return Err(problems);
    }
    let header = format!(
        "# Written by `roosteraar sweep`: variant `{}` of the sweep\n#   {}\n\
         # that is, the base scenario\n#   {}\n\
         # with the variant's changes. It runs on its own: roosteraar solve scenario.toml -o out\n\n",
        variant.name,
        one_line(&sweep.path.display().to_string()),
        one_line(&base.path.display().to_string()),
    );
    Ok(Resolved {
        scenario: write_document(&doc, &header),
        learners: learners.map(|l| l.text()),
    })
}

/// `scenario.learners` as a variant sets it (in `[variant.scenario]` or by `[vary]`), with
/// where it is written.
fn overlay_learners(variant: &Variant) -> Option<(String, Loc)> {
    let mut found = None;
    for (table, values, at) in &variant.overlay.tables {
        if *table == "scenario"
            && let Some(path) = values.get("learners").and_then(Value::as_str)
        {
            found = Some((path.to_string(), *at));
        }
    }
    for setting in &variant.settings {
        if matches!(&setting.path, SettingPath::Table { table: "scenario", keys } if keys == &["learners"])
            && let Some(path) = setting.value.as_str()
        {
            found = Some((path.to_string(), setting.at));
        }
    }
    found.filter(|(path, _)| !path.trim().is_empty())
}

/// `key` of `table` as a table: created when absent, replaced when it is something else
/// (the loader would reject that value anyway, and the variant's value is the one wanted).
fn subtable<'d>(table: &'d mut Table, key: &str) -> &'d mut Table {
    let entry = table
        .entry(key.to_string())
        .or_insert_with(|| Value::Table(Table::new()));
    if !entry.is_table() {
        *entry = Value::Table(Table::new());
    }
    match entry {
        Value::Table(table) => table,
        _ => unreachable!("made a table just above"),
    }
}

/// Merges a variant's values into a single table: nested tables (`speed_kmh`) key by key,
/// everything else (numbers, text, lists) replaced.
fn merge(target: &mut Table, values: &Table) {
    for (key, value) in values {
        match (target.get_mut(key), value) {
            (Some(Value::Table(inner)), Value::Table(more)) => merge(inner, more),
            _ => {
                target.insert(key.clone(), value.clone());
            }
        }
    }
}

/// Amends an entity: each field the variant gives replaces that field; the others stay.
fn amend(entity: &mut Table, values: &Table) {
    for (key, value) in values {
        entity.insert(key.clone(), value.clone());
    }
}

/// The entity of `kind` with `id`, from the document or else moved there from the learner
/// CSV; `None` when there is none.
fn entity<'d>(
    doc: &'d mut Table,
    kind: Kind,
    id: &str,
    learners: Option<&mut Learners>,
) -> Option<&'d mut Table> {
    if position(doc, kind, id).is_none() {
        let row = learners.filter(|_| kind == Kind::Learner)?.take(id)?;
        push_entity(doc, kind, row);
    }
    let index = position(doc, kind, id)?;
    match doc.get_mut(kind.name()) {
        Some(Value::Array(items)) => items.get_mut(index).and_then(Value::as_table_mut),
        _ => None,
    }
}

/// Index of the entity with `id` in the document's list of `kind`.
fn position(doc: &Table, kind: Kind, id: &str) -> Option<usize> {
    doc.get(kind.name())?
        .as_array()?
        .iter()
        .position(|item| item.get("id").and_then(Value::as_str) == Some(id))
}

/// Removes the entity with `id` from the document; false when it has none.
fn remove_entity(doc: &mut Table, kind: Kind, id: &str) -> bool {
    let Some(index) = position(doc, kind, id) else {
        return false;
    };
    if let Some(Value::Array(items)) = doc.get_mut(kind.name()) {
        items.remove(index);
    }
    true
}

/// Adds an entity at the end of its list.
fn push_entity(doc: &mut Table, kind: Kind, entity: Table) {
    let list = doc
        .entry(kind.name().to_string())
        .or_insert_with(|| Value::Array(Vec::new()));
    if !list.is_array() {
        *list = Value::Array(Vec::new());
    }
    if let Value::Array(items) = list {
        items.push(Value::Table(entity));
    }
}

/// The ids of `kind` in the document (and the CSV, for learners), for "did you mean".
fn known_ids(doc: &Table, kind: Kind, learners: Option<&Learners>) -> Vec<String> {
    let mut ids: Vec<String> = doc
        .get(kind.name())
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|item| item.get("id").and_then(Value::as_str).map(str::to_string))
        .collect();
    if kind == Kind::Learner
        && let Some(learners) = learners
    {
        ids.extend(learners.ids());
    }
    ids
}

fn unknown_id_help(id: &str, known: &[String], kind: Kind) -> String {
    let known: Vec<&str> = known.iter().map(String::as_str).collect();
    match crate::input::suggest::closest(id, &known) {
        Some(close) => format!("did you mean `{close}`?"),
        None if known.is_empty() => format!("the scenario has no {}", kind.name()),
        None => {
            let mut list = known.iter().take(8).copied().collect::<Vec<_>>().join(", ");
            if known.len() > 8 {
                let _ = write!(list, " and {} more", known.len() - 8);
            }
            format!("the {} ids of the scenario are: {list}", kind.name())
        }
    }
}

/// Text for a comment line: line breaks would end the comment.
fn one_line(text: &str) -> String {
    text.replace(['\n', '\r'], " ")
}

/// A scenario document as TOML in the hand-written style: single tables as `[table]`,
/// entities as `[[kind]]` with one field a line, nested values inline (`rooms = [{ ... }]`).
fn write_document(doc: &Table, header: &str) -> String {
    let is_list_of_tables = |value: &Value| matches!(value, Value::Array(items) if !items.is_empty() && items.iter().all(Value::is_table));
    let mut out = String::from(header);
    // TOML wants every plain key before the first table header.
    for (key, value) in doc {
        if !value.is_table() && !is_list_of_tables(value) {
            let _ = writeln!(out, "{} = {value}", key_text(key));
        }
    }
    let fields = |out: &mut String, table: &Table| {
        for (key, value) in table {
            let _ = writeln!(out, "{} = {value}", key_text(key));
        }
    };
    let mut first = true;
    let mut gap = |out: &mut String| {
        if !first {
            out.push('\n');
        }
        first = false;
    };
    for (key, value) in doc {
        match value {
            Value::Table(table) => {
                gap(&mut out);
                let _ = writeln!(out, "[{}]", key_text(key));
                fields(&mut out, table);
            }
            Value::Array(items) if is_list_of_tables(value) => {
                for item in items.iter().filter_map(Value::as_table) {
                    gap(&mut out);
                    let _ = writeln!(out, "[[{}]]", key_text(key));
                    fields(&mut out, item);
                }
            }
            _ => {}
        }
    }
    out
}

/// A key as TOML writes it: bare when it can be, else quoted.
fn key_text(key: &str) -> String {
    let bare = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if bare {
        key.to_string()
    } else {
        Value::String(key.to_string()).to_string()
    }
}

/// A learner CSV as read: its text and where each learner's row is.
#[derive(Clone, Debug)]
struct LearnerFile {
    text: String,
    rows: Vec<CsvRow>,
}

/// One learner row: its id, its bytes in the file (up to the next row) and its cells by
/// column name.
#[derive(Clone, Debug)]
struct CsvRow {
    id: String,
    bytes: Range<usize>,
    cells: Vec<(String, String)>,
}

impl LearnerFile {
    /// Reads a learner CSV. Rows are found with the same CSV reader the loader uses; a file
    /// the reader cannot follow gives no rows, and the loader reports why.
    fn read(path: &Path) -> Result<LearnerFile, std::io::Error> {
        let text = fs::read_to_string(path)?;
        let rows = csv_rows(&text).unwrap_or_default();
        Ok(LearnerFile { text, rows })
    }
}

fn csv_rows(text: &str) -> Option<Vec<CsvRow>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let header: Vec<String> = records
        .next()?
        .ok()?
        .iter()
        .map(|cell| cell.trim_start_matches('\u{feff}').trim().to_lowercase())
        .collect();
    let id_column = header.iter().position(|c| c == "id")?;
    let mut rows: Vec<CsvRow> = Vec::new();
    for record in records {
        let record = record.ok()?;
        let start = usize::try_from(record.position()?.byte()).ok()?;
        if let Some(previous) = rows.last_mut() {
            previous.bytes.end = start;
        }
        rows.push(CsvRow {
            id: record.get(id_column).unwrap_or_default().to_string(),
            bytes: start..text.len(),
            cells: header
                .iter()
                .cloned()
                .zip(record.iter().map(str::to_string))
                .collect(),
        });
    }
    Some(rows)
}

/// A learner CSV being edited for one variant: rows cut out (removed, or moved into the
/// scenario to be changed) and the rest as written.
struct Learners {
    file: LearnerFile,
    cut: Vec<bool>,
}

impl Learners {
    fn new(file: LearnerFile) -> Learners {
        let cut = vec![false; file.rows.len()];
        Learners { file, cut }
    }

    fn find(&self, id: &str) -> Option<usize> {
        self.file
            .rows
            .iter()
            .enumerate()
            .position(|(i, row)| !self.cut[i] && row.id == id)
    }

    fn ids(&self) -> impl Iterator<Item = String> + '_ {
        self.file
            .rows
            .iter()
            .enumerate()
            .filter(|(i, _)| !self.cut[*i])
            .map(|(_, row)| row.id.clone())
    }

    /// Cuts a learner's row; false when there is none.
    fn remove(&mut self, id: &str) -> bool {
        match self.find(id) {
            Some(index) => {
                self.cut[index] = true;
                true
            }
            None => false,
        }
    }

    /// Cuts a learner's row and returns it as a `[[learner]]` table.
    fn take(&mut self, id: &str) -> Option<Table> {
        let index = self.find(id)?;
        self.cut[index] = true;
        Some(learner_table(&self.file.rows[index]))
    }

    /// The file without the cut rows; every other byte as it was.
    fn text(&self) -> String {
        let mut out = String::with_capacity(self.file.text.len());
        let mut from = 0;
        for (row, cut) in self.file.rows.iter().zip(&self.cut) {
            if *cut {
                out.push_str(&self.file.text[from..row.bytes.start]);
                from = row.bytes.end;
            }
        }
        out.push_str(&self.file.text[from..]);
        out
    }
}

/// A CSV row as a `[[learner]]` table: `;` lists become lists, numbers numbers, empty cells
/// are left out (they mean the default in both forms).
fn learner_table(row: &CsvRow) -> Table {
    let mut table = Table::new();
    for (column, cell) in &row.cells {
        if cell.is_empty() {
            continue;
        }
        let value = match column.as_str() {
            "needs" | "unavailable" => Value::Array(
                cell.split(';')
                    .map(str::trim)
                    .filter(|item| !item.is_empty())
                    .map(|item| Value::String(item.to_string()))
                    .collect(),
            ),
            "max_travel" => cell
                .parse::<i64>()
                .map(Value::Integer)
                .or_else(|_| cell.parse::<f64>().map(Value::Float))
                .unwrap_or_else(|_| Value::String(cell.clone())),
            "priority" => cell
                .parse::<f64>()
                .map(Value::Float)
                .unwrap_or_else(|_| Value::String(cell.clone())),
            _ => Value::String(cell.clone()),
        };
        table.insert(column.clone(), value);
    }
    table
}
