//! Reading a sweep file: the base scenario, the solver defaults, the named variants (overlays
//! in the scenario's own format) and the settings to vary, expanded into one list of variants.
//!
//! Every mistake is reported with its line and column in the sweep file. Mistakes that only
//! show once an overlay meets the base (an id to remove that the base does not have) are
//! found by [`resolve`](super::overlay::resolve), also at their place in the sweep file;
//! mistakes in the merged scenario itself are the normal loader's, at their place in the
//! resolved `scenario.toml`.

use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde::de::{Deserializer, MapAccess, Visitor};
use toml::{Spanned, Table, Value};

use crate::input::{InputError, InputErrors};
use crate::solve::Engine;

use super::overlay::{Kind, Overlay, Removal, Setting, SettingPath};

/// Most variants a sweep may expand to: a product of value lists grows fast, and a typo
/// (a list of 100 budgets) should not start hours of solving.
pub const MAX_VARIANTS: usize = 500;

/// Longest name of a `[[variant]]`; it becomes a directory name.
const MAX_NAME: usize = 64;

/// Longest expanded name (variant plus varied settings); file systems allow 255 bytes.
const MAX_EXPANDED_NAME: usize = 200;

/// Names the output directory already uses for the sweep's own files.
const RESERVED_NAMES: [&str; 4] = [
    super::SWEEP_CSV,
    super::SWEEP_MD,
    super::COVERAGE_CSV,
    super::CHART_SVG,
];

const FILE_HELP: &str = "a sweep file has `base = \"scenario.toml\"` and optionally `name`, \
    `time_limit`, `gap`, `seed` and `solver` at the top, then `[vary]` with quoted dotted keys \
    and value lists (`\"budget.max_cost\" = [150000, 200000]`) and `[[variant]]` tables with \
    `name` and the changes (see docs/sweeps.md)";

/// A place in the sweep file: 1-based line and column (in characters).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Loc {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

/// A sweep file, read and expanded.
#[derive(Clone, Debug, PartialEq)]
pub struct SweepFile {
    /// The sweep file as named by the user; errors name it.
    pub path: PathBuf,
    /// The sweep's name: `name`, or the file name without `.toml`.
    pub name: String,
    /// The base scenario: `base`, relative to the sweep file's folder.
    pub base: PathBuf,
    /// Where `base` is written, for errors about the base file.
    pub base_at: Loc,
    /// Solver settings every variant gets unless the command line says otherwise.
    pub defaults: Defaults,
    /// The dotted keys of `[vary]`, in file order: one table column each.
    pub varied: Vec<String>,
    /// Every variant to run: each `[[variant]]` crossed with every combination of the
    /// `[vary]` values, in file order (the last key of `[vary]` changes fastest).
    pub variants: Vec<Variant>,
}

/// Solver settings of a sweep file.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Defaults {
    /// Wall-clock limit per variant, seconds.
    pub time_limit: Option<f64>,
    /// Relative gap at which a variant's solve stops.
    pub gap: Option<f64>,
    /// Solver random seed.
    pub seed: Option<u32>,
    /// Planner.
    pub engine: Option<Engine>,
}

/// One variant to run: a name (its directory), the overlay of its `[[variant]]` and its
/// values of the `[vary]` settings.
#[derive(Clone, Debug, PartialEq)]
pub struct Variant {
    /// Unique, safe as a directory name.
    pub name: String,
    /// The `[[variant]]` it comes from; `None` when the sweep has only `[vary]`.
    pub overlay_name: Option<String>,
    /// The `[[variant]]`'s `description`, if any.
    pub description: Option<String>,
    /// The value of each `[vary]` key for this variant, as TOML text, in `varied` order.
    pub values: Vec<String>,
    /// Where the name comes from: the `[[variant]]`'s `name`, else the first `[vary]` key.
    pub at: Loc,
    /// The changes of the `[[variant]]` (empty without one).
    pub overlay: Overlay,
    /// The `[vary]` values, applied after the overlay.
    pub settings: Vec<Setting>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    base: Spanned<String>,
    name: Option<Spanned<String>>,
    time_limit: Option<Spanned<f64>>,
    gap: Option<Spanned<f64>>,
    seed: Option<Spanned<i64>>,
    solver: Option<Spanned<String>>,
    #[serde(default)]
    vary: RawVary,
    #[serde(default)]
    variant: Vec<RawVariant>,
}

/// `[vary]`: dotted keys with value lists, in file order (a map type would lose the order
/// or the keys' places).
#[derive(Default)]
struct RawVary(Vec<(Spanned<String>, Spanned<Vec<Value>>)>);

impl<'de> Deserialize<'de> for RawVary {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Entries;
        impl<'de> Visitor<'de> for Entries {
            type Value = RawVary;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a table of dotted keys with lists of values")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawVary, A::Error> {
                let mut entries = Vec::new();
                while let Some(key) = map.next_key::<Spanned<String>>()? {
                    entries.push((key, map.next_value()?));
                }
                Ok(RawVary(entries))
            }
        }
        deserializer.deserialize_map(Entries)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawVariant {
    name: Spanned<String>,
    description: Option<String>,
    #[serde(default)]
    remove: RawRemove,
    scenario: Option<Spanned<Table>>,
    objective: Option<Spanned<Table>>,
    budget: Option<Spanned<Table>>,
    travel: Option<Spanned<Table>>,
    #[serde(default)]
    municipality: Vec<Spanned<Table>>,
    #[serde(default)]
    venue: Vec<Spanned<Table>>,
    #[serde(default)]
    teacher: Vec<Spanned<Table>>,
    #[serde(default)]
    format: Vec<Spanned<Table>>,
    #[serde(default)]
    course: Vec<Spanned<Table>>,
    #[serde(default)]
    shift: Vec<Spanned<Table>>,
    #[serde(default)]
    learner: Vec<Spanned<Table>>,
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRemove {
    #[serde(default)]
    municipality: Vec<Spanned<String>>,
    #[serde(default)]
    venue: Vec<Spanned<String>>,
    #[serde(default)]
    teacher: Vec<Spanned<String>>,
    #[serde(default)]
    format: Vec<Spanned<String>>,
    #[serde(default)]
    course: Vec<Spanned<String>>,
    #[serde(default)]
    shift: Vec<Spanned<String>>,
    #[serde(default)]
    learner: Vec<Spanned<String>>,
}

/// Reads and expands a sweep file; every mistake is reported with its line and column.
pub fn read_sweep_file(path: &Path) -> Result<SweepFile, InputErrors> {
    let text = fs::read_to_string(path).map_err(|error| {
        InputErrors(vec![InputError {
            file: path.to_path_buf(),
            line: 0,
            column: 0,
            message: format!("cannot read the sweep file: {error}"),
            help: Some("check the file name and folder".into()),
        }])
    })?;
    parse_sweep_file(&text, path)
}

/// Parses sweep-file text. `path` names the file in errors, and its folder is where `base`
/// is looked up.
pub fn parse_sweep_file(text: &str, path: &Path) -> Result<SweepFile, InputErrors> {
    let mut errors = Errors::new(text, path);
    let raw: RawFile = toml::from_str(text).map_err(|error| {
        // serde names Rust types; the user wrote TOML.
        let message = error
            .message()
            .trim()
            .replace("expected i64", "expected a whole number")
            .replace("expected f64", "expected a number");
        let loc = error.span().map(|span| errors.loc(span.start));
        InputErrors(vec![errors.error(
            loc,
            format!("not a valid sweep file: {message}"),
            FILE_HELP,
        )])
    })?;

    let base = raw.base.get_ref().trim();
    if base.is_empty() {
        errors.push(
            raw.base.span().start,
            "`base` is empty",
            "name the base scenario file, relative to the sweep file, e.g. `base = \"../kina.toml\"`",
        );
    }
    let defaults = defaults(&raw, &mut errors);
    let name = match &raw.name {
        Some(name) if name.get_ref().trim().is_empty() => {
            errors.push(
                name.span().start,
                "`name` is empty",
                "give the sweep a name or leave `name` out",
            );
            String::new()
        }
        Some(name) => name.get_ref().trim().to_string(),
        None => path.file_stem().map_or_else(
            || "sweep".to_string(),
            |stem| stem.to_string_lossy().into_owned(),
        ),
    };

    let dimensions = dimensions(&raw.vary, &mut errors);
    let overlays: Vec<Named> = raw
        .variant
        .into_iter()
        .map(|variant| named(variant, &mut errors))
        .collect();
    // Names must be unique, also ignoring case: on macOS and Windows `Base` and `base` would
    // be one directory. Checked here, once per `[[variant]]`, not per expanded variant.
    for (i, overlay) in overlays.iter().enumerate() {
        if let Some(first) = overlays[..i]
            .iter()
            .find(|o| o.name.eq_ignore_ascii_case(&overlay.name))
        {
            errors.push_at(
                Some(overlay.at),
                duplicate_message(&first.name, &overlay.name),
                format!(
                    "the first is on line {}; give each variant its own name",
                    first.at.line
                ),
            );
        }
    }
    if overlays.is_empty() && raw.vary.0.is_empty() {
        errors.push_at(
            None,
            "the sweep has no variants",
            "add `[[variant]]` tables with a `name` and the changes, or a `[vary]` table with lists of values",
        );
    }
    let variants = expand(&overlays, &dimensions, &raw.vary, &mut errors);
    check_names(&variants, &mut errors);

    let base_at = errors.loc(raw.base.span().start);
    errors.finish()?;
    Ok(SweepFile {
        path: path.to_path_buf(),
        name,
        base: path.parent().unwrap_or(Path::new("")).join(base),
        base_at,
        defaults,
        varied: dimensions.iter().map(|d| d.key.clone()).collect(),
        variants,
    })
}

fn defaults(raw: &RawFile, errors: &mut Errors<'_>) -> Defaults {
    let mut defaults = Defaults::default();
    if let Some(limit) = &raw.time_limit {
        let value = *limit.get_ref();
        if !(value.is_finite() && value > 0.0) {
            errors.push(
                limit.span().start,
                format!("`time_limit` is {value}; it must be a positive number of seconds"),
                "",
            );
        }
        defaults.time_limit = Some(value);
    }
    if let Some(gap) = &raw.gap {
        let value = *gap.get_ref();
        if !(0.0..=1.0).contains(&value) {
            errors.push(
                gap.span().start,
                format!("`gap` is {value}; it must be a fraction between 0 and 1"),
                "",
            );
        }
        defaults.gap = Some(value);
    }
    if let Some(seed) = &raw.seed {
        let value = *seed.get_ref();
        defaults.seed = u32::try_from(value).ok();
        if defaults.seed.is_none() {
            errors.push(
                seed.span().start,
                format!("`seed` is {value}; it must be between 0 and {}", u32::MAX),
                "",
            );
        }
    }
    if let Some(solver) = &raw.solver {
        let name = solver.get_ref();
        defaults.engine = Engine::from_name(name);
        if defaults.engine.is_none() {
            errors.push(
                solver.span().start,
                format!(
                    "`solver` is \"{name}\"; it must be {}",
                    Engine::names_for_message()
                ),
                "",
            );
        }
    }
    defaults
}

/// One `[vary]` key: where it points, its column label and its values.
struct Dimension {
    key: String,
    label: String,
    path: SettingPath,
    at: Loc,
    values: Vec<Value>,
}

/// Reads the `[vary]` keys; a bad key or an empty list is reported and left out.
fn dimensions(vary: &RawVary, errors: &mut Errors<'_>) -> Vec<Dimension> {
    let mut out = Vec::new();
    for (key, values) in &vary.0 {
        let at = errors.loc(key.span().start);
        let text = key.get_ref();
        let path = match SettingPath::parse(text) {
            Ok(path) => path,
            Err((message, help)) => {
                errors.push(key.span().start, message, help);
                continue;
            }
        };
        if values.get_ref().is_empty() {
            errors.push(
                values.span().start,
                format!("`{text}` has no values"),
                "list at least one value, e.g. `\"budget.max_cost\" = [150000, 200000]`",
            );
            continue;
        }
        // The label is the key without its table: `max_cost`, `nt2-a1.min_size`. It goes
        // into directory names, and ids may hold characters no directory name can (`/`).
        let label = text
            .split_once('.')
            .map_or(text.as_str(), |(_, rest)| rest)
            .to_string();
        if let Some(bad) = label.chars().find(|&c| !safe_char(c)) {
            errors.push(
                key.span().start,
                format!("`{text}` contains `{bad}`, which cannot be in a variant's directory name"),
                "vary only settings of entities whose ids are letters, digits, `-`, `_` and `.`",
            );
            continue;
        }
        out.push(Dimension {
            key: text.clone(),
            label,
            path,
            at,
            values: values.get_ref().clone(),
        });
    }
    out
}

/// A `[[variant]]` read into an overlay.
struct Named {
    name: String,
    description: Option<String>,
    at: Loc,
    overlay: Overlay,
}

fn named(raw: RawVariant, errors: &mut Errors<'_>) -> Named {
    let at = errors.loc(raw.name.span().start);
    let name = raw.name.get_ref().trim().to_string();
    if let Err((message, help)) = check_name(&name) {
        errors.push(raw.name.span().start, message, help);
    }
    let mut overlay = Overlay::default();
    let removals = [
        (Kind::Municipality, raw.remove.municipality),
        (Kind::Venue, raw.remove.venue),
        (Kind::Teacher, raw.remove.teacher),
        (Kind::Format, raw.remove.format),
        (Kind::Course, raw.remove.course),
        (Kind::Shift, raw.remove.shift),
        (Kind::Learner, raw.remove.learner),
    ];
    for (kind, ids) in removals {
        for id in ids {
            let loc = errors.loc(id.span().start);
            let id = id.into_inner();
            if overlay
                .removals
                .iter()
                .any(|r| r.kind == kind && r.id == id)
            {
                errors.push_at(
                    Some(loc),
                    format!("variant `{name}`: {} `{id}` is removed twice", kind.name()),
                    "list each id once",
                );
            }
            overlay.removals.push(Removal { kind, id, at: loc });
        }
    }
    let tables = [
        ("scenario", raw.scenario),
        ("objective", raw.objective),
        ("budget", raw.budget),
        ("travel", raw.travel),
    ];
    for (table, value) in tables {
        if let Some(value) = value {
            let at = errors.loc(value.span().start);
            overlay.tables.push((table, value.into_inner(), at));
        }
    }
    let entities = [
        (Kind::Municipality, raw.municipality),
        (Kind::Venue, raw.venue),
        (Kind::Teacher, raw.teacher),
        (Kind::Format, raw.format),
        (Kind::Course, raw.course),
        (Kind::Shift, raw.shift),
        (Kind::Learner, raw.learner),
    ];
    for (kind, tables) in entities {
        let mut seen: Vec<String> = Vec::new();
        for table in tables {
            let at = errors.loc(table.span().start);
            let table = table.into_inner();
            match table.get("id") {
                Some(Value::String(id)) if !id.trim().is_empty() => {
                    if seen.contains(id) {
                        errors.push_at(
                            Some(at),
                            format!("variant `{name}` changes {} `{id}` twice", kind.name()),
                            "write all changes to one entity in one table",
                        );
                    }
                    seen.push(id.clone());
                    overlay.entities.push((kind, table, at));
                }
                _ => errors.push_at(
                    Some(at),
                    format!(
                        "variant `{name}`: this `[[variant.{}]]` has no `id`",
                        kind.name()
                    ),
                    format!(
                        "give the id of the {0} to change, or a new id to add a {0}",
                        kind.name()
                    ),
                ),
            }
        }
    }
    Named {
        name,
        description: raw
            .description
            .map(|d| d.trim().to_string())
            .filter(|d| !d.is_empty()),
        at,
        overlay,
    }
}

/// Every variant crossed with every combination of the `[vary]` values.
fn expand(
    overlays: &[Named],
    dimensions: &[Dimension],
    vary: &RawVary,
    errors: &mut Errors<'_>,
) -> Vec<Variant> {
    let combinations = dimensions
        .iter()
        .try_fold(1usize, |count, d| count.checked_mul(d.values.len()));
    let total = combinations.and_then(|c| c.checked_mul(overlays.len().max(1)));
    if total.is_none_or(|total| total > MAX_VARIANTS) {
        let at = vary.0.first().map(|(key, _)| errors.loc(key.span().start));
        errors.push_at(
            at,
            format!(
                "the sweep has {} variants; at most {MAX_VARIANTS} can run",
                total.map_or("too many".to_string(), |t| t.to_string())
            ),
            "use fewer values or fewer variants, or split the sweep into several files",
        );
        return Vec::new();
    }
    let combinations = combinations.unwrap_or(1);
    let mut variants = Vec::new();
    let plain = [Named {
        name: String::new(),
        description: None,
        at: dimensions.first().map(|d| d.at).unwrap_or_default(),
        overlay: Overlay::default(),
    }];
    let bases = if overlays.is_empty() {
        &plain[..]
    } else {
        overlays
    };
    for base in bases {
        for combination in 0..combinations {
            // Odometer order: the last key changes fastest.
            let mut rest = combination;
            let mut picks = vec![0; dimensions.len()];
            for (d, dimension) in dimensions.iter().enumerate().rev() {
                picks[d] = rest % dimension.values.len();
                rest /= dimension.values.len();
            }
            let mut parts: Vec<String> = Vec::new();
            if !base.name.is_empty() {
                parts.push(base.name.clone());
            }
            let mut settings = Vec::new();
            let mut values = Vec::new();
            for (dimension, &pick) in dimensions.iter().zip(&picks) {
                let value = &dimension.values[pick];
                parts.push(format!("{}={}", dimension.label, value_label(value, pick)));
                values.push(value.to_string());
                settings.push(Setting {
                    key: dimension.key.clone(),
                    path: dimension.path.clone(),
                    value: value.clone(),
                    at: dimension.at,
                });
            }
            variants.push(Variant {
                name: parts.join("+"),
                overlay_name: (!base.name.is_empty()).then(|| base.name.clone()),
                description: base.description.clone(),
                values,
                at: base.at,
                overlay: base.overlay.clone(),
                settings,
            });
        }
    }
    variants
}

/// How a varied value appears in a variant's name: the value itself when it is a short
/// number, word or boolean made of safe characters, else `v` and its position in the list
/// (a list of opening hours would make an unusable directory name).
fn value_label(value: &Value, index: usize) -> String {
    let text = match value {
        Value::Integer(n) => Some(n.to_string()),
        Value::Float(x) if x.fract() == 0.0 && x.abs() < 1e15 => Some(format!("{x:.0}")),
        Value::Float(x) => Some(x.to_string()),
        Value::Boolean(b) => Some(b.to_string()),
        Value::String(s) => Some(s.clone()),
        _ => None,
    };
    text.filter(|t| !t.is_empty() && t.len() <= 32 && t.chars().all(safe_char))
        .unwrap_or_else(|| format!("v{}", index + 1))
}

/// Characters a variant name may hold: they are safe in a directory name on every system
/// and in a shell without quotes.
fn safe_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')
}

/// A `[[variant]]` name becomes a directory name: letters, digits, `-`, `_` and `.`, starting
/// with a letter or digit (no hidden directories, no `..`, nothing a shell reads as an
/// option).
pub fn check_name(name: &str) -> Result<(), (String, String)> {
    const HELP: &str = "a variant's name becomes a directory name: use letters, digits, `-`, `_` and `.`, starting with a letter or digit, e.g. `evening-teachers`";
    if name.is_empty() {
        return Err(("a variant's `name` is empty".into(), HELP.into()));
    }
    if let Some(bad) = name.chars().find(|c| !safe_char(*c)) {
        return Err((
            format!("variant name `{name}` contains `{bad}`"),
            HELP.into(),
        ));
    }
    if !name.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        return Err((
            format!("variant name `{name}` must start with a letter or digit"),
            HELP.into(),
        ));
    }
    if name.len() > MAX_NAME {
        return Err((
            format!("variant name `{name}` is longer than {MAX_NAME} characters"),
            HELP.into(),
        ));
    }
    if RESERVED_NAMES.iter().any(|r| r.eq_ignore_ascii_case(name)) {
        return Err((
            format!("variant name `{name}` is the name of one of the sweep's own output files"),
            "choose another name".into(),
        ));
    }
    Ok(())
}

fn duplicate_message(first: &str, second: &str) -> String {
    if first == second {
        format!("two variants are named `{second}`")
    } else {
        format!(
            "variants `{first}` and `{second}` differ only in case, so they would share a directory"
        )
    }
}

/// Expanded names: short enough for a directory, and unique. `[[variant]]` names are unique
/// already, so a clash here is between `[vary]` values that read the same in a name (`6`
/// and `6.0`, or `"A"` and `"a"`).
fn check_names(variants: &[Variant], errors: &mut Errors<'_>) {
    for (i, variant) in variants.iter().enumerate() {
        if variant.name.len() > MAX_EXPANDED_NAME {
            errors.push_at(
                Some(variant.at),
                format!(
                    "the variant name `{}` is longer than {MAX_EXPANDED_NAME} characters",
                    variant.name
                ),
                "use shorter variant names or fewer `[vary]` keys",
            );
        }
        let clash = variants[..i]
            .iter()
            .find(|v| v.name.eq_ignore_ascii_case(&variant.name));
        // The same `[[variant]]` twice is reported above; here the values must differ.
        if let Some(first) = clash
            && first.overlay_name == variant.overlay_name
            && first.settings != variant.settings
        {
            let at = variant
                .settings
                .iter()
                .zip(&first.settings)
                .find(|(mine, theirs)| mine.value != theirs.value)
                .map(|(mine, _)| mine.at);
            errors.push_at(
                at,
                duplicate_message(&first.name, &variant.name),
                "two values of this `[vary]` key read the same in a name; list each value once",
            );
        }
    }
}

/// Problems found in one sweep file, with a way to place byte offsets.
pub(super) struct Errors<'t> {
    text: &'t str,
    path: &'t Path,
    found: Vec<InputError>,
}

impl<'t> Errors<'t> {
    pub(super) fn new(text: &'t str, path: &'t Path) -> Errors<'t> {
        Errors {
            text,
            path,
            found: Vec::new(),
        }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub(super) fn loc(&self, offset: usize) -> Loc {
        let prefix = self.text.get(..offset).unwrap_or(self.text);
        let line_start = prefix.rfind('\n').map_or(0, |i| i + 1);
        Loc {
            line: prefix.matches('\n').count() + 1,
            column: prefix[line_start..].chars().count() + 1,
        }
    }

    fn error(&self, at: Option<Loc>, message: String, help: &str) -> InputError {
        sweep_error(self.path, at, message, help)
    }

    fn push(&mut self, offset: usize, message: impl Into<String>, help: impl Into<String>) {
        let at = self.loc(offset);
        self.push_at(Some(at), message, help);
    }

    fn push_at(&mut self, at: Option<Loc>, message: impl Into<String>, help: impl Into<String>) {
        let error = self.error(at, message.into(), &help.into());
        self.found.push(error);
    }

    fn finish(mut self) -> Result<(), InputErrors> {
        if self.found.is_empty() {
            return Ok(());
        }
        self.found.sort_by_key(|e| (e.line, e.column));
        Err(InputErrors(self.found))
    }
}

/// An error at a place in the sweep file (`None`: the whole file).
pub(super) fn sweep_error(path: &Path, at: Option<Loc>, message: String, help: &str) -> InputError {
    let at = at.unwrap_or_default();
    InputError {
        file: path.to_path_buf(),
        line: at.line,
        column: at.column,
        message,
        help: (!help.is_empty()).then(|| help.to_string()),
    }
}
