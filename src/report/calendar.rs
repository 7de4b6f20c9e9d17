//! iCalendar (RFC 5545) files for every class, teacher and venue of a timetable: one
//! weekly recurring event per weekly session, in the scenario's local time, with a
//! VTIMEZONE derived from the time zone database.
//!
//! The text is written by hand rather than through a calendar crate so that the exact
//! output is under control: CRLF line ends, lines folded at 75 octets without splitting a
//! UTF-8 character (§3.1), TEXT values escaped (§3.3.11), and byte-for-byte the same output
//! for the same input.

use std::fmt::Write as _;

use jiff::civil::{Date, DateTime};
use jiff::tz::{Offset, TimeZone};
use jiff::{Span, Timestamp};

use super::referrals::course_description;
use super::{ReportError, file_stems, stable_hash};
use crate::domain::Scenario;
use crate::time::{Day, MINUTES_PER_DAY, parse_clock};
use crate::timetable::{ClassEntry, SessionEntry, Timetable};
use crate::write::lookup::Lookup;

/// Longest line, in octets, before it is folded (RFC 5545 §3.1).
const FOLD_AT: usize = 75;

/// One calendar file: its name inside `calendar/` and its text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CalendarFile {
    /// File name, such as `class-C001.ics`; safe on any file system.
    pub name: String,
    /// The iCalendar text, CRLF line ends.
    pub text: String,
}

/// One weekly session of a class as a recurring event.
struct Event<'t> {
    class: &'t ClassEntry,
    /// Position of the session in the class's list, for the UID.
    index: usize,
    session: &'t SessionEntry,
    /// Local start of the first occurrence.
    start: DateTime,
    /// Local end of the first occurrence.
    end: DateTime,
}

impl Event<'_> {
    /// Local end of the last occurrence: `weeks - 1` weeks after the first.
    fn last_end(&self) -> DateTime {
        let weeks = i64::from(self.class.weeks.saturating_sub(1));
        self.end
            .checked_add(Span::new().days(weeks * 7))
            .unwrap_or(self.end)
    }
}

/// The calendars of a timetable: `class-<id>.ics` for every class, `teacher-<id>.ics` for
/// every teacher with a class and `venue-<id>.ics` for every venue with a class, in that
/// order (classes in timetable order, teachers and venues in scenario order, ids the
/// scenario does not know after them). Sessions whose times cannot be read, and classes of
/// zero weeks, have no event. Fails only when the scenario's time zone is unknown.
pub fn calendars(
    scenario: &Scenario,
    timetable: &Timetable,
) -> Result<Vec<CalendarFile>, ReportError> {
    let zone = TimeZone::get(&scenario.timezone).map_err(|error| ReportError::TimeZone {
        name: scenario.timezone.clone(),
        reason: error.to_string(),
    })?;
    let lookup = Lookup::new(scenario);
    let events: Vec<Event<'_>> = timetable
        .classes
        .iter()
        .flat_map(|class| class_events(scenario, class))
        .collect();
    let writer = Writer {
        lookup: &lookup,
        zone: &zone,
        scenario_hash: stable_hash(scenario.name.as_bytes()),
        stamp: format!("{}T000000Z", compact_date(scenario.start)),
    };

    let mut files = Vec::new();
    let class_ids: Vec<&str> = timetable.classes.iter().map(|c| c.id.as_str()).collect();
    for (class, stem) in timetable.classes.iter().zip(file_stems(&class_ids)) {
        let own: Vec<&Event<'_>> = events.iter().filter(|e| e.class.id == class.id).collect();
        let course = lookup.course(&class.course);
        let title = match course.and_then(|c| c.level.as_deref()) {
            Some(level) => format!("Class {} {} ({level})", class.id, class.course),
            None => format!("Class {} {}", class.id, class.course),
        };
        files.push(CalendarFile {
            name: format!("class-{stem}.ics"),
            text: writer.calendar(&title, &own),
        });
    }

    let teacher_ids = ordered_ids(
        scenario.teachers.iter().map(|t| t.id.as_str()),
        timetable.classes.iter().map(|c| c.teacher.as_str()),
    );
    for (id, stem) in teacher_ids.iter().zip(file_stems(&teacher_ids)) {
        let own: Vec<&Event<'_>> = events.iter().filter(|e| e.class.teacher == *id).collect();
        let title = match lookup.teacher(id) {
            Some(teacher) if teacher.name != *id => format!("Teacher {} ({id})", teacher.name),
            _ => format!("Teacher {id}"),
        };
        files.push(CalendarFile {
            name: format!("teacher-{stem}.ics"),
            text: writer.calendar(&title, &own),
        });
    }

    let venue_ids = ordered_ids(
        scenario.venues.iter().map(|v| v.id.as_str()),
        timetable.classes.iter().map(|c| c.venue.as_str()),
    );
    for (id, stem) in venue_ids.iter().zip(file_stems(&venue_ids)) {
        let own: Vec<&Event<'_>> = events.iter().filter(|e| e.class.venue == *id).collect();
        let title = match lookup.venue(id) {
            Some((_, venue)) if venue.name != *id => format!("Venue {} ({id})", venue.name),
            _ => format!("Venue {id}"),
        };
        files.push(CalendarFile {
            name: format!("venue-{stem}.ics"),
            text: writer.calendar(&title, &own),
        });
    }
    Ok(files)
}

/// The ids that occur in `used`, ordered as in `known`, then those `known` lacks in order
/// of first use.
fn ordered_ids<'a>(
    known: impl Iterator<Item = &'a str>,
    used: impl Iterator<Item = &'a str> + Clone,
) -> Vec<&'a str> {
    let mut ids: Vec<&str> = known.filter(|id| used.clone().any(|u| u == *id)).collect();
    for id in used {
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    ids
}

/// The events of one class: each readable session from its first date.
fn class_events<'t>(scenario: &Scenario, class: &'t ClassEntry) -> Vec<Event<'t>> {
    if class.weeks == 0 {
        return Vec::new();
    }
    // The class's first day as written; a timetable from elsewhere may hold a bad date, and
    // then week 1 of the term is what SPEC section 4 says every class starts in.
    let first_day = class.first_day.parse::<Date>().unwrap_or(scenario.start);
    class
        .sessions
        .iter()
        .enumerate()
        .filter_map(|(index, session)| {
            let (start, end) = (
                parse_clock(&session.start).ok()?,
                parse_clock(&session.end).ok()?,
            );
            if end <= start || end > MINUTES_PER_DAY {
                return None;
            }
            let date = on_or_after(first_day, session.day)?;
            Some(Event {
                class,
                index,
                session,
                start: at_minutes(date, start)?,
                end: at_minutes(date, end)?,
            })
        })
        .collect()
}

/// The first date on or after `from` that falls on `day`.
fn on_or_after(from: Date, day: Day) -> Option<Date> {
    let today = i64::from(from.weekday().to_monday_zero_offset());
    let ahead = (i64::from(day.index()) - today).rem_euclid(7);
    from.checked_add(Span::new().days(ahead)).ok()
}

/// `date` plus `minutes` after midnight; 24:00 is midnight of the next day.
fn at_minutes(date: Date, minutes: u32) -> Option<DateTime> {
    date.to_datetime(jiff::civil::time(0, 0, 0, 0))
        .checked_add(Span::new().minutes(i64::from(minutes)))
        .ok()
}

/// What every calendar of one timetable shares.
struct Writer<'a> {
    lookup: &'a Lookup<'a>,
    zone: &'a TimeZone,
    /// Part of every UID, so that two scenarios' class `C001` stay apart.
    scenario_hash: u64,
    /// DTSTAMP of every event.
    stamp: String,
}

impl Writer<'_> {
    /// A whole VCALENDAR holding `events`, with the VTIMEZONE they need.
    fn calendar(&self, title: &str, events: &[&Event<'_>]) -> String {
        let scenario = self.lookup.scenario();
        let tzid = scenario.timezone.as_str();
        let mut out = Lines::default();
        out.raw("BEGIN:VCALENDAR");
        out.raw("VERSION:2.0");
        out.raw(&format!(
            "PRODID:-//roosteraar//roosteraar {}//EN",
            env!("CARGO_PKG_VERSION")
        ));
        out.raw("CALSCALE:GREGORIAN");
        out.raw("METHOD:PUBLISH");
        out.text("X-WR-CALNAME", &format!("{title} - {}", scenario.name));
        out.raw(&format!("X-WR-TIMEZONE:{}", param_safe(tzid)));
        let local_start = scenario.start.to_datetime(jiff::civil::time(0, 0, 0, 0));
        let from = events
            .iter()
            .map(|e| e.start)
            .min()
            .unwrap_or(local_start)
            .min(local_start);
        let to = events
            .iter()
            .map(|event| event.last_end())
            .max()
            .unwrap_or(local_start)
            .max(local_start);
        self.timezone(&mut out, tzid, from, to);
        for event in events {
            self.event(&mut out, tzid, event);
        }
        out.raw("END:VCALENDAR");
        out.text
    }

    /// The VTIMEZONE: one observance for the transition in force at `from` and one for
    /// every transition up to `to`, each with its own DTSTART and no RRULE. Listing the
    /// onsets the events need is exact for any zone, including ones whose rules changed or
    /// that have no daylight saving time at all.
    fn timezone(&self, out: &mut Lines, tzid: &str, from: DateTime, to: DateTime) {
        // One day of slack either side covers any offset between local and UTC time.
        let instant = |local: DateTime, days: i64| {
            self.zone
                .to_ambiguous_timestamp(local)
                .compatible()
                .ok()
                .and_then(|t| t.checked_add(Span::new().hours(days * 24)).ok())
        };
        out.raw("BEGIN:VTIMEZONE");
        out.raw(&format!("TZID:{}", param_safe(tzid)));
        let (Some(from), Some(to)) = (instant(from, -1), instant(to, 1)) else {
            self.fixed_observance(out, Timestamp::UNIX_EPOCH);
            out.raw("END:VTIMEZONE");
            return;
        };
        let mut transitions: Vec<(Timestamp, Offset, bool, String)> = Vec::new();
        let in_force = self.zone.preceding(from).next();
        for transition in in_force.into_iter().chain(
            self.zone
                .following(from)
                .take_while(|t| t.timestamp() <= to),
        ) {
            transitions.push((
                transition.timestamp(),
                transition.offset(),
                transition.dst().is_dst(),
                transition.abbreviation().to_string(),
            ));
        }
        if transitions.is_empty() {
            self.fixed_observance(out, from);
        }
        for (at, offset, dst, abbreviation) in transitions {
            let before = at
                .checked_sub(Span::new().seconds(1))
                .map_or(offset, |just_before| self.zone.to_offset(just_before));
            // RFC 5545 §3.6.5: an onset is the local time before the change, in the old offset.
            let onset = before.to_datetime(at);
            let kind = if dst { "DAYLIGHT" } else { "STANDARD" };
            out.raw(&format!("BEGIN:{kind}"));
            out.raw(&format!("DTSTART:{}", compact_datetime(onset)));
            out.raw(&format!("TZOFFSETFROM:{}", utc_offset(before)));
            out.raw(&format!("TZOFFSETTO:{}", utc_offset(offset)));
            if !abbreviation.is_empty() {
                out.text("TZNAME", &abbreviation);
            }
            out.raw(&format!("END:{kind}"));
        }
        out.raw("END:VTIMEZONE");
    }

    /// A zone without transitions (UTC, a fixed offset): one STANDARD observance since 1970.
    fn fixed_observance(&self, out: &mut Lines, at: Timestamp) {
        let info = self.zone.to_offset_info(at);
        let offset = utc_offset(info.offset());
        out.raw("BEGIN:STANDARD");
        out.raw("DTSTART:19700101T000000");
        out.raw(&format!("TZOFFSETFROM:{offset}"));
        out.raw(&format!("TZOFFSETTO:{offset}"));
        if !info.abbreviation().is_empty() {
            out.text("TZNAME", info.abbreviation());
        }
        out.raw("END:STANDARD");
    }

    fn event(&self, out: &mut Lines, tzid: &str, event: &Event<'_>) {
        let class = event.class;
        let lookup = self.lookup;
        let class_stem = uid_part(&class.id);
        out.raw("BEGIN:VEVENT");
        out.text(
            "UID",
            &format!(
                "{class_stem}-s{}-{:016x}@roosteraar",
                event.index + 1,
                self.scenario_hash
            ),
        );
        out.raw(&format!("DTSTAMP:{}", self.stamp));
        let tzid = param_safe(tzid);
        out.raw(&format!(
            "DTSTART;TZID={tzid}:{}",
            compact_datetime(event.start)
        ));
        out.raw(&format!(
            "DTEND;TZID={tzid}:{}",
            compact_datetime(event.end)
        ));
        out.raw(&format!("RRULE:FREQ=WEEKLY;COUNT={}", class.weeks));
        out.text("SUMMARY", &format!("{}, class {}", class.course, class.id));

        let venue = lookup.venue(&class.venue).map(|(_, venue)| venue);
        let mut location = vec![venue.map_or(class.venue.clone(), |v| v.name.clone())];
        location.push(format!("room {}", class.room));
        if let Some(address) = venue.and_then(|v| v.address.as_deref()) {
            location.push(address.to_string());
        }
        out.text("LOCATION", &location.join(", "));

        let teacher = match lookup.teacher(&class.teacher) {
            Some(teacher) if teacher.name != class.teacher => {
                format!("{} ({})", teacher.name, class.teacher)
            }
            _ => class.teacher.clone(),
        };
        let described = course_description(lookup, &class.course);
        let course = if described.is_empty() {
            class.course.clone()
        } else {
            format!("{} ({described})", class.course)
        };
        let description = [
            format!("Course: {course}"),
            format!("Class: {} (format {})", class.id, class.format),
            format!("Teacher: {teacher}"),
            format!("Learners: {}", class.learners.len()),
            format!(
                "Every {} {}-{}, {} weeks: {} to {}",
                day_name(event.session.day),
                event.session.start,
                event.session.end,
                class.weeks,
                class.first_day,
                class.last_day
            ),
        ];
        out.text("DESCRIPTION", &description.join("\n"));
        out.raw("END:VEVENT");
    }
}

/// The English day name, for people.
pub(crate) fn day_name(day: Day) -> &'static str {
    [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ][day.index() as usize]
}

/// A class id as it goes into a UID: the file-name form, which keeps distinct ids distinct
/// and holds no character a calendar program might mangle.
fn uid_part(id: &str) -> String {
    file_stems(&[id]).remove(0)
}

/// `YYYYMMDD`.
fn compact_date(date: Date) -> String {
    format!("{:04}{:02}{:02}", date.year(), date.month(), date.day())
}

/// `YYYYMMDDTHHMMSS`, a local ("floating" or TZID-qualified) date-time.
fn compact_datetime(at: DateTime) -> String {
    format!(
        "{}T{:02}{:02}{:02}",
        compact_date(at.date()),
        at.hour(),
        at.minute(),
        at.second()
    )
}

/// A UTC offset as iCalendar writes it: `+0100`, `-0330`, seconds only when present.
fn utc_offset(offset: Offset) -> String {
    let total = offset.seconds();
    let sign = if total < 0 { '-' } else { '+' };
    let total = total.unsigned_abs();
    let (hours, minutes, seconds) = (total / 3600, total / 60 % 60, total % 60);
    if seconds == 0 {
        format!("{sign}{hours:02}{minutes:02}")
    } else {
        format!("{sign}{hours:02}{minutes:02}{seconds:02}")
    }
}

/// A value for a parameter or an unescaped property (TZID): the characters that would end
/// it (`"`, `;`, `:`, `,`) and control characters become `_`. IANA names never hold them.
fn param_safe(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '"' | ';' | ':' | ',' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .collect()
}

/// A TEXT value escaped as RFC 5545 §3.3.11 asks: `\`, `;` and `,` get a backslash, line
/// breaks become `\n`, other control characters (not allowed in TEXT) become spaces.
pub(crate) fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Folds one content line: at most 75 octets a line, continuation lines start with a
/// space, and a UTF-8 character is never split. A space is never left at the end of a
/// line, because some readers trim line ends before unfolding and would lose it.
pub(crate) fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + line.len() / FOLD_AT * 3 + 2);
    let mut current = String::new();
    // Octets of the current output line, the continuation space included.
    let mut used = 0;
    for c in line.chars() {
        let width = c.len_utf8();
        if used + width > FOLD_AT {
            let kept = current.trim_end_matches(' ').len();
            // Spaces at the end move to the next line, unless the line is nothing else.
            let carried = if kept > 0 { current.len() - kept } else { 0 };
            out.push_str(&current[..current.len() - carried]);
            out.push_str("\r\n ");
            current = " ".repeat(carried);
            used = 1 + carried;
        }
        current.push(c);
        used += width;
    }
    out.push_str(&current);
    out.push_str("\r\n");
    out
}

/// The lines of a calendar being written.
#[derive(Default)]
struct Lines {
    text: String,
}

impl Lines {
    /// A line whose value needs no escaping.
    fn raw(&mut self, line: &str) {
        self.text.push_str(&fold(line));
    }

    /// A property with a TEXT value.
    fn text(&mut self, name: &str, value: &str) {
        let mut line = String::with_capacity(name.len() + value.len() + 1);
        let _ = write!(line, "{name}:{}", escape_text(value));
        self.raw(&line);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_values_escape_the_characters_rfc_5545_names() {
        assert_eq!(escape_text("a,b;c\\d"), "a\\,b\\;c\\\\d");
        assert_eq!(escape_text("one\ntwo\r\nthree"), "one\\ntwo\\nthree");
        assert_eq!(escape_text("bell\u{7}"), "bell ");
    }

    #[test]
    fn folding_keeps_lines_within_75_octets_and_characters_whole() {
        let line = format!("SUMMARY:{}", "é".repeat(100));
        let folded = fold(&line);
        for part in folded.split("\r\n").filter(|p| !p.is_empty()) {
            assert!(part.len() <= FOLD_AT, "{} octets: {part}", part.len());
        }
        let unfolded = folded.trim_end_matches("\r\n").replace("\r\n ", "");
        assert_eq!(unfolded, line);
        assert_eq!(fold("SHORT:x"), "SHORT:x\r\n");
    }

    #[test]
    fn no_folded_line_ends_in_a_space() {
        for shift in 0..8 {
            let line = format!("DESCRIPTION:{}{}", "x".repeat(shift), "ab   cd ".repeat(40));
            let folded = fold(&line);
            let parts: Vec<&str> = folded.split("\r\n").filter(|p| !p.is_empty()).collect();
            // The last part ends as the line itself does.
            for part in &parts[..parts.len() - 1] {
                assert!(part.len() <= FOLD_AT);
                assert!(!part.ends_with(' '), "{part:?}");
            }
            assert_eq!(folded.trim_end_matches("\r\n").replace("\r\n ", ""), line);
        }
    }

    #[test]
    fn offsets_are_written_as_rfc_5545_utc_offsets() {
        assert_eq!(utc_offset(Offset::constant(1)), "+0100");
        assert_eq!(utc_offset(Offset::constant(-5)), "-0500");
        assert_eq!(
            utc_offset(Offset::from_seconds(-(3 * 3600 + 30 * 60)).unwrap()),
            "-0330"
        );
        assert_eq!(utc_offset(Offset::from_seconds(1_172).unwrap()), "+001932");
    }

    #[test]
    fn sessions_start_on_their_weekday_on_or_after_the_first_day() {
        let monday = jiff::civil::date(2026, 9, 7);
        assert_eq!(on_or_after(monday, Day::Mon), Some(monday));
        assert_eq!(
            on_or_after(monday, Day::Thu),
            Some(jiff::civil::date(2026, 9, 10))
        );
        let thursday = jiff::civil::date(2026, 9, 10);
        assert_eq!(
            on_or_after(thursday, Day::Mon),
            Some(jiff::civil::date(2026, 9, 14))
        );
        assert_eq!(
            at_minutes(monday, 24 * 60),
            Some(jiff::civil::date(2026, 9, 8).at(0, 0, 0, 0))
        );
    }

    #[test]
    fn uids_keep_plain_class_ids_and_tame_others() {
        assert_eq!(uid_part("C001"), "C001");
        let tamed = uid_part("<b>");
        assert_ne!(tamed, uid_part("<i>"));
        assert!(
            tamed
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
        );
    }
}
