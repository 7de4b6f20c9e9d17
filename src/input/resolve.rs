//! Checks across entities (unique ids, references, whether a course fits the term) and
//! builds the typed scenario when nothing is wrong.

use std::collections::{BTreeMap, HashMap};

use super::raw::{
    RawCourse, RawDocument, RawFormat, RawLearner, RawMunicipality, RawShift, RawTeacher, RawVenue,
};
use super::report::{At, FileKind, Place, Report};
use super::suggest;
use crate::domain::{
    Course, CourseId, Format, FormatId, IdIndex, Learner, LearnerId, Municipality, MunicipalityId,
    Scenario, Shift, ShiftId, Teacher, TeacherId, TravelSettings, Venue, VenueId,
};

/// The ids of one kind: where each is defined, and (for kinds that are referred to) a
/// sorted list for help texts.
struct Names {
    /// Id to (position in its list, where it is written).
    map: HashMap<String, (usize, Place)>,
    /// All ids, sorted.
    sorted: Vec<String>,
    /// "municipalities".
    plural: &'static str,
    /// The table that defines one ("[[municipality]]").
    table: &'static str,
}

impl Names {
    /// Indexes ids and reports repeats. `sorted` is filled only when `referred` (learner
    /// ids are never referred to, and there may be millions).
    fn new<'a>(
        report: &mut Report,
        ids: impl Iterator<Item = Option<&'a At<String>>>,
        kind: &str,
        plural: &'static str,
        table: &'static str,
        referred: bool,
    ) -> Names {
        let mut map: HashMap<String, (usize, Place)> = HashMap::new();
        for (position, id) in ids.enumerate() {
            let Some(id) = id else { continue };
            match map.get(&id.value) {
                Some((_, first)) => report.error(
                    id.at,
                    format!("{kind} id `{}` is used twice", id.value),
                    format!(
                        "the first {kind} `{}` is {}; give each {kind} its own id",
                        id.value,
                        describe_place(*first, id.at.file)
                    ),
                ),
                None => {
                    map.insert(id.value.clone(), (position, id.at));
                }
            }
        }
        let mut sorted = Vec::new();
        if referred {
            sorted = map.keys().cloned().collect();
            sorted.sort();
        }
        Names {
            map,
            sorted,
            plural,
            table,
        }
    }

    /// The position of the entity a reference names; reports an unknown name. `what` names
    /// the referring entity and `field` the field the reference is in.
    fn resolve(
        &self,
        report: &mut Report,
        what: &str,
        field: &str,
        reference: &At<String>,
    ) -> Option<usize> {
        if let Some((position, _)) = self.map.get(&reference.value) {
            return Some(*position);
        }
        let singular = self.table.trim_matches(['[', ']']);
        // "in `municipality`" would only repeat the kind.
        let place = if field == singular {
            String::new()
        } else {
            format!(" in `{field}`")
        };
        report.error(
            reference.at,
            format!(
                "{what}: unknown {singular} `{}`{place}",
                super::rules::quote(&reference.value)
            ),
            suggest::help_for_unknown(
                &reference.value,
                &self.sorted,
                self.plural,
                &format!("add a {} with id `{}`", self.table, reference.value),
            ),
        );
        None
    }

    /// Typed ids by file id.
    fn index<T>(&self, id: impl Fn(usize) -> T) -> HashMap<String, T> {
        self.map
            .iter()
            .map(|(name, (position, _))| (name.clone(), id(*position)))
            .collect()
    }
}

/// "on line 12" in the same file, "on line 12 of the learner file" otherwise.
fn describe_place(place: Place, from: FileKind) -> String {
    if place.file == from {
        format!("on line {}", place.line)
    } else {
        match place.file {
            FileKind::Scenario => format!("on line {} of the scenario file", place.line),
            FileKind::Learners => format!("on line {} of the learner file", place.line),
        }
    }
}

/// All name tables of a scenario.
struct Index {
    municipalities: Names,
    venues: Names,
    teachers: Names,
    formats: Names,
    courses: Names,
    shifts: Names,
    learners: Names,
}

/// Checks everything that involves more than one entity, then builds the scenario if no
/// problem at all was reported (here or while reading).
pub(super) fn build(
    doc: RawDocument,
    learners: Vec<RawLearner>,
    report: &mut Report,
) -> Option<Scenario> {
    let index = Index {
        municipalities: Names::new(
            report,
            doc.municipalities.iter().map(|m| m.id.as_ref()),
            "municipality",
            "municipalities",
            "[[municipality]]",
            true,
        ),
        venues: Names::new(
            report,
            doc.venues.iter().map(|v| v.id.as_ref()),
            "venue",
            "venues",
            "[[venue]]",
            false,
        ),
        teachers: Names::new(
            report,
            doc.teachers.iter().map(|t| t.id.as_ref()),
            "teacher",
            "teachers",
            "[[teacher]]",
            false,
        ),
        formats: Names::new(
            report,
            doc.formats.iter().map(|f| f.id.as_ref()),
            "format",
            "formats",
            "[[format]]",
            true,
        ),
        courses: Names::new(
            report,
            doc.courses.iter().map(|c| c.id.as_ref()),
            "course",
            "courses",
            "[[course]]",
            true,
        ),
        shifts: Names::new(
            report,
            doc.shifts.iter().map(|s| s.id.as_ref()),
            "shift",
            "shifts",
            "[[shift]]",
            true,
        ),
        learners: Names::new(
            report,
            learners.iter().map(|l| l.id.as_ref()),
            "learner",
            "learners",
            "[[learner]]",
            false,
        ),
    };

    let municipalities: Option<Vec<Municipality>> =
        doc.municipalities.iter().map(municipality).collect();
    let venues: Vec<Option<Venue>> = doc
        .venues
        .into_iter()
        .map(|v| venue(report, &index, v))
        .collect();
    let teachers: Vec<Option<Teacher>> = doc
        .teachers
        .into_iter()
        .map(|t| teacher(report, &index, t))
        .collect();
    let formats: Vec<Option<Format>> = doc.formats.iter().map(format).collect();
    let term = doc.head.weeks.as_ref().map(|w| w.value);
    let courses: Vec<Option<Course>> = doc
        .courses
        .into_iter()
        .map(|c| course(report, &index, &formats, term, c))
        .collect();
    let shifts: Option<Vec<Shift>> = doc.shifts.into_iter().map(shift).collect();
    let learners: Vec<Option<Learner>> = learners
        .into_iter()
        .map(|l| learner(report, &index, l))
        .collect();
    let overrides = overrides(report, &index, &doc.travel.overrides);

    if !report.is_empty() {
        return None;
    }
    let travel = TravelSettings {
        detour: doc.travel.detour?,
        speed_kmh: all(doc.travel.speed_kmh)?,
        overhead_min: all(doc.travel.overhead_min)?,
        overrides: overrides?,
    };
    Some(Scenario {
        name: doc.head.name?,
        start: doc.head.start?,
        weeks: term?,
        timezone: doc.head.timezone?,
        objective: doc.objective?,
        max_cost: doc.max_cost?,
        travel,
        municipalities: municipalities?,
        venues: venues.into_iter().collect::<Option<_>>()?,
        teachers: teachers.into_iter().collect::<Option<_>>()?,
        formats: formats.into_iter().collect::<Option<_>>()?,
        courses: courses.into_iter().collect::<Option<_>>()?,
        shifts: shifts?,
        learners: learners.into_iter().collect::<Option<_>>()?,
        ids: IdIndex {
            municipalities: index.municipalities.index(MunicipalityId),
            venues: index.venues.index(VenueId),
            teachers: index.teachers.index(TeacherId),
            formats: index.formats.index(FormatId),
            courses: index.courses.index(CourseId),
            shifts: index.shifts.index(ShiftId),
            learners: index.learners.index(LearnerId),
        },
    })
}

/// All four per-mode values, if each is present.
fn all(values: [Option<f64>; 4]) -> Option<[f64; 4]> {
    let [a, b, c, d] = values;
    Some([a?, b?, c?, d?])
}

/// Resolves every element of a list of references; `None` if any is unknown.
fn resolve_all<T>(
    report: &mut Report,
    names: &Names,
    what: &str,
    field: &str,
    references: &[At<String>],
    id: impl Fn(usize) -> T,
) -> Option<Vec<T>> {
    let mut ok = true;
    let mut ids = Vec::with_capacity(references.len());
    for reference in references {
        match names.resolve(report, what, field, reference) {
            Some(position) => ids.push(id(position)),
            None => ok = false,
        }
    }
    ok.then_some(ids)
}

fn municipality(raw: &RawMunicipality) -> Option<Municipality> {
    Some(Municipality {
        id: raw.id.as_ref()?.value.clone(),
        name: raw.name.clone()?,
        lat: raw.lat?,
        lon: raw.lon?,
    })
}

fn venue(report: &mut Report, index: &Index, raw: RawVenue) -> Option<Venue> {
    let municipality = raw.municipality.as_ref().and_then(|m| {
        index
            .municipalities
            .resolve(report, &raw.what, "municipality", m)
    });
    Some(Venue {
        id: raw.id?.value,
        name: raw.name?,
        municipality: MunicipalityId(municipality?),
        open: raw.open?,
        cost_per_hour: raw.cost_per_hour?,
        employer: raw.employer,
        address: raw.address,
        rooms: raw.rooms?,
        optional_hours: raw.optional_hours?,
    })
}

fn teacher(report: &mut Report, index: &Index, raw: RawTeacher) -> Option<Teacher> {
    let municipality = raw.municipality.as_ref().and_then(|m| {
        index
            .municipalities
            .resolve(report, &raw.what, "municipality", m)
    });
    let teaches = raw.teaches.as_ref().and_then(|courses| {
        resolve_all(
            report,
            &index.courses,
            &raw.what,
            "teaches",
            courses,
            CourseId,
        )
    });
    Some(Teacher {
        id: raw.id?.value,
        name: raw.name?,
        municipality: MunicipalityId(municipality?),
        mode: raw.mode?,
        teaches: teaches?,
        available: raw.available?,
        max_hours: raw.max_hours?,
        cost_per_hour: raw.cost_per_hour?,
        optional_cost: raw.optional_cost?,
    })
}

fn format(raw: &RawFormat) -> Option<Format> {
    Some(Format {
        id: raw.id.as_ref()?.value.clone(),
        sessions: raw.sessions.clone()?,
    })
}

/// A course; also checks that at least one of its formats fits the term.
fn course(
    report: &mut Report,
    index: &Index,
    formats: &[Option<Format>],
    term: Option<u32>,
    raw: RawCourse,
) -> Option<Course> {
    let ids = raw.formats.as_ref().and_then(|names| {
        resolve_all(
            report,
            &index.formats,
            &raw.what,
            "formats",
            names,
            FormatId,
        )
    });
    if let (Some(ids), Some(hours), Some(term)) = (&ids, &raw.hours, term) {
        check_fits_term(report, &raw.what, formats, ids, hours, term);
    }
    Some(Course {
        id: raw.id?.value,
        kind: raw.kind?,
        level: raw.level,
        language: raw.language?,
        hours: raw.hours?.value,
        min_size: raw.min_size?,
        max_size: raw.max_size?,
        formats: ids?,
    })
}

/// Reports a course none of whose formats teaches its hours within the term (SPEC section
/// 4: `ceil(hours / weekly_hours) <= weeks`). Skipped when a format is itself broken.
fn check_fits_term(
    report: &mut Report,
    what: &str,
    formats: &[Option<Format>],
    ids: &[FormatId],
    hours: &At<f64>,
    term: u32,
) {
    let mut needed = Vec::with_capacity(ids.len());
    for id in ids {
        let Some(Some(format)) = formats.get(id.index()) else {
            return;
        };
        let weekly = format.weekly_hours();
        if weekly <= 0.0 {
            return;
        }
        let weeks = (hours.value / weekly).ceil();
        if weeks <= f64::from(term) {
            return;
        }
        needed.push((format.id.as_str(), weeks, weekly));
    }
    let Some((fastest, weeks, weekly)) = needed.iter().copied().min_by(|a, b| a.1.total_cmp(&b.1))
    else {
        return;
    };
    let per_week = hours.value / f64::from(term);
    report.error(
        hours.at,
        format!(
            "{what}: {} hours do not fit in the {term}-week term with any of its formats; the fastest, `{fastest}` ({} hours a week), needs {weeks} weeks",
            hours.value,
            trim_number(weekly)
        ),
        format!(
            "make the term at least `weeks = {weeks}`, lower `hours`, or add a format with at least {} hours a week",
            trim_number((per_week * 100.0).ceil() / 100.0)
        ),
    );
}

/// A number without a trailing `.0` and with at most two decimals.
fn trim_number(value: f64) -> String {
    let text = format!("{value:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn shift(raw: RawShift) -> Option<Shift> {
    Some(Shift {
        id: raw.id?.value,
        weeks: raw.weeks?,
    })
}

fn learner(report: &mut Report, index: &Index, raw: RawLearner) -> Option<Learner> {
    let municipality = raw.municipality.as_ref().and_then(|m| {
        index
            .municipalities
            .resolve(report, &raw.what, "municipality", m)
    });
    let needs = raw
        .needs
        .as_ref()
        .and_then(|needs| resolve_all(report, &index.courses, &raw.what, "needs", needs, CourseId));
    let shift = match &raw.shift {
        Some(name) => Some(Some(ShiftId(
            index.shifts.resolve(report, &raw.what, "shift", name)?,
        ))),
        None => Some(None),
    };
    Some(Learner {
        id: raw.id?.value,
        municipality: MunicipalityId(municipality?),
        needs: needs?,
        shift: shift?,
        employer: raw.employer,
        unavailable: raw.unavailable?,
        mode: raw.mode?,
        max_travel: raw.max_travel?,
        priority: raw.priority?,
    })
}

/// Measured travel times keyed by unordered pair and mode; reports unknown municipalities
/// and a second time for the same pair and mode.
fn overrides(
    report: &mut Report,
    index: &Index,
    raws: &[super::raw::RawOverride],
) -> Option<BTreeMap<(MunicipalityId, MunicipalityId, crate::domain::Mode), u32>> {
    let mut ok = true;
    let mut map = BTreeMap::new();
    let mut first_at = HashMap::new();
    for raw in raws {
        let from = raw
            .from
            .as_ref()
            .and_then(|m| index.municipalities.resolve(report, &raw.what, "from", m));
        let to = raw
            .to
            .as_ref()
            .and_then(|m| index.municipalities.resolve(report, &raw.what, "to", m));
        let (Some(from), Some(to), Some(mode), Some(minutes)) = (from, to, raw.mode, raw.minutes)
        else {
            ok = false;
            continue;
        };
        let key = (
            MunicipalityId(from.min(to)),
            MunicipalityId(from.max(to)),
            mode,
        );
        if let Some(first) = first_at.get(&key) {
            ok = false;
            let (a, b) = (
                raw.from.as_ref().map_or("", |m| m.value.as_str()),
                raw.to.as_ref().map_or("", |m| m.value.as_str()),
            );
            report.error(
                raw.at,
                format!(
                    "{}: a second travel time for `{a}`-`{b}` by {mode}",
                    raw.what
                ),
                format!(
                    "the first is {}; times are the same in both directions, so keep one",
                    describe_place(*first, raw.at.file)
                ),
            );
        } else {
            first_at.insert(key, raw.at);
            map.insert(key, minutes);
        }
    }
    ok.then_some(map)
}
