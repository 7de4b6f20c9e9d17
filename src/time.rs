//! The weekly clock of SPEC section 2: days, windows, sessions and half-open intervals in
//! minutes of the week.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Minutes in one day.
pub const MINUTES_PER_DAY: u32 = 24 * 60;
/// Minutes in one week; minute 0 is Monday 00:00.
pub const MINUTES_PER_WEEK: u32 = 7 * MINUTES_PER_DAY;

/// A day of the week, in week order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Day {
    /// Monday.
    Mon,
    /// Tuesday.
    Tue,
    /// Wednesday.
    Wed,
    /// Thursday.
    Thu,
    /// Friday.
    Fri,
    /// Saturday.
    Sat,
    /// Sunday.
    Sun,
}

impl Day {
    /// All days, Monday first.
    pub const ALL: [Day; 7] = [
        Day::Mon,
        Day::Tue,
        Day::Wed,
        Day::Thu,
        Day::Fri,
        Day::Sat,
        Day::Sun,
    ];

    /// Position in the week, Monday = 0.
    pub fn index(self) -> u32 {
        self as u32
    }

    /// The three-letter name used in files (`mon`).
    pub fn name(self) -> &'static str {
        ["mon", "tue", "wed", "thu", "fri", "sat", "sun"][self as usize]
    }

    /// Reads a three-letter day name, case-insensitive.
    pub fn parse(text: &str) -> Option<Day> {
        Day::ALL
            .into_iter()
            .find(|day| day.name().eq_ignore_ascii_case(text.trim()))
    }
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Why a time, window or session could not be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TimeError {
    /// The text is not `DAYS HH:MM-HH:MM`.
    #[error("expected `DAYS HH:MM-HH:MM` (for example `mon-fri 18:30-21:30`), found `{0}`")]
    Shape(String),
    /// A day name is not one of `mon tue wed thu fri sat sun`.
    #[error("unknown day `{0}`: use mon, tue, wed, thu, fri, sat or sun")]
    UnknownDay(String),
    /// A day range runs backwards.
    #[error(
        "day range `{0}` runs backwards: ranges go in week order (mon-sun); list wrapping days with commas (sat,sun,mon)"
    )]
    BackwardRange(String),
    /// A day appears twice in one window.
    #[error("day `{0}` is listed twice")]
    RepeatedDay(String),
    /// A time is not `HH:MM` between 00:00 and 24:00.
    #[error("`{0}` is not a time between 00:00 and 24:00 written HH:MM")]
    BadTime(String),
    /// Start and end are equal.
    #[error("start and end are both {0}: a window must have a length")]
    Empty(String),
    /// A session runs past midnight or covers several days.
    #[error("a session is on exactly one day and ends by 24:00 the same day, found `{0}`")]
    NotOneDay(String),
}

/// Reads `HH:MM` (00:00 to 24:00) as minutes since midnight.
pub fn parse_clock(text: &str) -> Result<u32, TimeError> {
    let bad = || TimeError::BadTime(text.to_string());
    let (hours, minutes) = text.split_once(':').ok_or_else(bad)?;
    if hours.is_empty() || hours.len() > 2 || minutes.len() != 2 {
        return Err(bad());
    }
    if !hours
        .bytes()
        .chain(minutes.bytes())
        .all(|b| b.is_ascii_digit())
    {
        return Err(bad());
    }
    let hours: u32 = hours.parse().map_err(|_| bad())?;
    let minutes: u32 = minutes.parse().map_err(|_| bad())?;
    if minutes >= 60 || hours > 24 || (hours == 24 && minutes != 0) {
        return Err(bad());
    }
    Ok(hours * 60 + minutes)
}

/// Writes minutes since midnight as `HH:MM`.
pub fn format_clock(minutes: u32) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// A half-open interval `[start, end)` of minutes of the week, `start < end <= MINUTES_PER_WEEK`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Interval {
    /// First minute inside.
    pub start: u32,
    /// First minute after.
    pub end: u32,
}

impl Interval {
    /// True when the two intervals share a minute; touching intervals do not overlap.
    pub fn overlaps(&self, other: &Interval) -> bool {
        self.start < other.end && other.start < self.end
    }

    /// True when `other` lies entirely inside this interval.
    pub fn contains(&self, other: &Interval) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    /// The interval `[start - before, end + after)` taken around the weekly clock: the parts
    /// that fall before Monday 00:00 or after Sunday 24:00 wrap to the other end of the week.
    pub fn widened(&self, before: u32, after: u32) -> Vec<Interval> {
        let start = i64::from(self.start) - i64::from(before);
        let end = i64::from(self.end) + i64::from(after);
        wrap(start, end)
    }
}

/// Maps `[start, end)`, given in minutes that may lie outside one week, onto the weekly
/// clock. An interval of a week or longer covers the whole week.
fn wrap(start: i64, end: i64) -> Vec<Interval> {
    let week = i64::from(MINUTES_PER_WEEK);
    if end - start >= week {
        return vec![Interval {
            start: 0,
            end: MINUTES_PER_WEEK,
        }];
    }
    let shifted = start.rem_euclid(week);
    split_week(shifted, shifted + (end - start))
}

/// A window as written in a scenario: some days and a clock range, which may run past
/// midnight into the next day.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Window {
    /// The days on which the window starts.
    pub days: Vec<Day>,
    /// Start, minutes since midnight.
    pub start: u32,
    /// End, minutes since midnight; before `start` means the next day.
    pub end: u32,
}

impl Window {
    /// Reads `DAYS HH:MM-HH:MM`, where DAYS is one day, a range in week order or a comma list.
    pub fn parse(text: &str) -> Result<Window, TimeError> {
        let shape = || TimeError::Shape(text.to_string());
        let mut parts = text.split_whitespace();
        let (days, clock) = match (parts.next(), parts.next(), parts.next()) {
            (Some(days), Some(clock), None) => (days, clock),
            _ => return Err(shape()),
        };
        let (start, end) = clock.split_once('-').ok_or_else(shape)?;
        let start = parse_clock(start)?;
        let end = parse_clock(end)?;
        if start == end {
            return Err(TimeError::Empty(format_clock(start)));
        }
        Ok(Window {
            days: parse_days(days)?,
            start,
            end,
        })
    }

    /// The window's intervals in minutes of the week, split where they wrap past Sunday.
    pub fn intervals(&self) -> Vec<Interval> {
        let length = if self.end > self.start {
            self.end - self.start
        } else {
            MINUTES_PER_DAY - self.start + self.end
        };
        self.days
            .iter()
            .flat_map(|day| {
                let start = i64::from(day.index() * MINUTES_PER_DAY + self.start);
                split_week(start, start + i64::from(length))
            })
            .collect()
    }
}

/// Splits an interval that starts inside the week and may run past its end.
fn split_week(start: i64, end: i64) -> Vec<Interval> {
    let week = i64::from(MINUTES_PER_WEEK);
    let to_u32 = |minute: i64| u32::try_from(minute).unwrap_or(MINUTES_PER_WEEK);
    if end <= week {
        vec![Interval {
            start: to_u32(start),
            end: to_u32(end),
        }]
    } else {
        vec![
            Interval {
                start: to_u32(start),
                end: MINUTES_PER_WEEK,
            },
            Interval {
                start: 0,
                end: to_u32(end - week),
            },
        ]
    }
}

fn parse_days(text: &str) -> Result<Vec<Day>, TimeError> {
    let day = |name: &str| Day::parse(name).ok_or_else(|| TimeError::UnknownDay(name.to_string()));
    let mut days = Vec::new();
    for item in text.split(',') {
        match item.split_once('-') {
            Some((first, last)) => {
                let (first, last) = (day(first)?, day(last)?);
                if last < first {
                    return Err(TimeError::BackwardRange(item.to_string()));
                }
                days.extend(Day::ALL[first as usize..=last as usize].iter().copied());
            }
            None => days.push(day(item)?),
        }
    }
    let mut seen = [false; 7];
    for d in &days {
        if std::mem::replace(&mut seen[*d as usize], true) {
            return Err(TimeError::RepeatedDay(d.name().to_string()));
        }
    }
    Ok(days)
}

/// A lesson slot: one day, a start and an end on that day, not past midnight.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Session {
    /// The day.
    pub day: Day,
    /// Start, minutes since midnight.
    pub start: u32,
    /// End, minutes since midnight, after `start`, at most 24:00.
    pub end: u32,
}

impl Session {
    /// Reads `DAY HH:MM-HH:MM` on exactly one day, not past midnight.
    pub fn parse(text: &str) -> Result<Session, TimeError> {
        let window = Window::parse(text)?;
        match window.days.as_slice() {
            [day] if window.end > window.start => Ok(Session {
                day: *day,
                start: window.start,
                end: window.end,
            }),
            _ => Err(TimeError::NotOneDay(text.to_string())),
        }
    }

    /// Length in minutes.
    pub fn minutes(&self) -> u32 {
        self.end - self.start
    }

    /// The session in minutes of the week.
    pub fn interval(&self) -> Interval {
        let base = self.day.index() * MINUTES_PER_DAY;
        Interval {
            start: base + self.start,
            end: base + self.end,
        }
    }
}

impl fmt::Display for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}-{}",
            self.day,
            format_clock(self.start),
            format_clock(self.end)
        )
    }
}

/// A set of minutes of the week: the union of some windows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WeekSet {
    /// Disjoint, non-touching intervals in increasing order.
    intervals: Vec<Interval>,
}

impl WeekSet {
    /// The union of the given intervals; touching and overlapping ones are merged, so a
    /// session that runs across two adjacent windows counts as inside.
    pub fn from_intervals(mut intervals: Vec<Interval>) -> WeekSet {
        intervals.sort();
        let mut merged: Vec<Interval> = Vec::with_capacity(intervals.len());
        for interval in intervals {
            match merged.last_mut() {
                Some(last) if interval.start <= last.end => last.end = last.end.max(interval.end),
                _ => merged.push(interval),
            }
        }
        WeekSet { intervals: merged }
    }

    /// The union of the given windows.
    pub fn from_windows<'a>(windows: impl IntoIterator<Item = &'a Window>) -> WeekSet {
        WeekSet::from_intervals(windows.into_iter().flat_map(Window::intervals).collect())
    }

    /// The union of two sets.
    pub fn union(&self, other: &WeekSet) -> WeekSet {
        WeekSet::from_intervals(
            self.intervals
                .iter()
                .chain(&other.intervals)
                .copied()
                .collect(),
        )
    }

    /// True when no minute is in the set.
    pub fn is_empty(&self) -> bool {
        self.intervals.is_empty()
    }

    /// The merged intervals, in order.
    pub fn intervals(&self) -> &[Interval] {
        &self.intervals
    }

    /// True when every minute of `interval` is in the set.
    pub fn contains(&self, interval: &Interval) -> bool {
        self.intervals.iter().any(|own| own.contains(interval))
    }

    /// True when some minute of `interval` is in the set.
    pub fn overlaps(&self, interval: &Interval) -> bool {
        self.intervals.iter().any(|own| own.overlaps(interval))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn minute(day: Day, hours: u32, minutes: u32) -> u32 {
        day.index() * MINUTES_PER_DAY + hours * 60 + minutes
    }

    fn interval(start: u32, end: u32) -> Interval {
        Interval { start, end }
    }

    #[test]
    fn widening_wraps_around_the_start_of_the_week() {
        let session = Session::parse("mon 00:30-01:00").unwrap();
        assert_eq!(
            session.interval().widened(60, 0),
            [
                interval(MINUTES_PER_WEEK - 30, MINUTES_PER_WEEK),
                interval(0, 60)
            ]
        );
    }

    #[test]
    fn widening_wraps_around_the_end_of_the_week() {
        let session = Session::parse("sun 23:00-24:00").unwrap();
        assert_eq!(
            session.interval().widened(15, 45),
            [
                interval(minute(Day::Sun, 22, 45), MINUTES_PER_WEEK),
                interval(0, 45)
            ]
        );
        // Widening inside the week stays one interval.
        let session = Session::parse("wed 10:00-11:00").unwrap();
        assert_eq!(
            session.interval().widened(30, 30),
            [interval(minute(Day::Wed, 9, 30), minute(Day::Wed, 11, 30))]
        );
    }

    #[test]
    fn widening_by_a_week_or_more_covers_the_week() {
        let session = Session::parse("tue 10:00-11:00").unwrap();
        assert_eq!(
            session.interval().widened(MINUTES_PER_WEEK, 0),
            [interval(0, MINUTES_PER_WEEK)]
        );
    }

    #[test]
    fn a_window_past_sunday_midnight_ends_on_monday() {
        let window = Window::parse("sun 22:00-06:00").unwrap();
        assert_eq!(
            window.intervals(),
            [
                interval(minute(Day::Sun, 22, 0), MINUTES_PER_WEEK),
                interval(0, minute(Day::Mon, 6, 0))
            ]
        );
        // Ending at 00:00 means midnight of the next day.
        let window = Window::parse("mon 22:00-00:00").unwrap();
        assert_eq!(
            window.intervals(),
            [interval(minute(Day::Mon, 22, 0), minute(Day::Tue, 0, 0))]
        );
    }

    #[test]
    fn day_ranges_and_lists() {
        let window = Window::parse("mon-fri 08:00-17:00").unwrap();
        assert_eq!(
            window.days,
            [Day::Mon, Day::Tue, Day::Wed, Day::Thu, Day::Fri]
        );
        let window = Window::parse("mon,wed 18:30-21:30").unwrap();
        assert_eq!(window.days, [Day::Mon, Day::Wed]);
        assert_eq!(window.intervals().len(), 2);
        let window = Window::parse("sat,sun,mon 09:00-10:00").unwrap();
        assert_eq!(window.days, [Day::Sat, Day::Sun, Day::Mon]);
    }

    #[test]
    fn midnight_at_the_end_is_24_00() {
        let session = Session::parse("fri 20:00-24:00").unwrap();
        assert_eq!((session.start, session.end), (20 * 60, MINUTES_PER_DAY));
        assert_eq!(session.minutes(), 240);
    }

    #[test]
    fn bad_times_and_windows_are_rejected() {
        assert_eq!(
            parse_clock("25:00"),
            Err(TimeError::BadTime("25:00".into()))
        );
        assert!(parse_clock("24:30").is_err());
        assert!(parse_clock("12:60").is_err());
        assert!(parse_clock("12:5").is_err());
        assert!(parse_clock("-1:00").is_err());
        assert_eq!(
            Window::parse("mon 10:00-10:00"),
            Err(TimeError::Empty("10:00".into()))
        );
        assert_eq!(
            Window::parse("fri-mon 08:00-09:00"),
            Err(TimeError::BackwardRange("fri-mon".into()))
        );
        assert_eq!(
            Window::parse("mon,mon 08:00-09:00"),
            Err(TimeError::RepeatedDay("mon".into()))
        );
        assert_eq!(
            Window::parse("mon-fry 08:00-09:00"),
            Err(TimeError::UnknownDay("fry".into()))
        );
        assert!(matches!(
            Window::parse("mon 08:00"),
            Err(TimeError::Shape(_))
        ));
        assert!(matches!(
            Window::parse("mon 08:00-09:00 tue"),
            Err(TimeError::Shape(_))
        ));
    }

    #[test]
    fn a_session_is_one_day_and_not_past_midnight() {
        assert!(matches!(
            Session::parse("mon 22:00-02:00"),
            Err(TimeError::NotOneDay(_))
        ));
        assert!(matches!(
            Session::parse("mon-tue 10:00-11:00"),
            Err(TimeError::NotOneDay(_))
        ));
        assert!(Session::parse("mon 18:30-21:30").is_ok());
    }

    #[test]
    fn touching_intervals_do_not_overlap_and_touching_windows_merge() {
        let morning = interval(minute(Day::Mon, 8, 0), minute(Day::Mon, 12, 0));
        let afternoon = interval(minute(Day::Mon, 12, 0), minute(Day::Mon, 16, 0));
        assert!(!morning.overlaps(&afternoon));
        let windows = [
            Window::parse("mon 08:00-12:00").unwrap(),
            Window::parse("mon 12:00-16:00").unwrap(),
        ];
        let set = WeekSet::from_windows(&windows);
        assert_eq!(set.intervals().len(), 1);
        assert!(set.contains(&interval(minute(Day::Mon, 10, 0), minute(Day::Mon, 14, 0))));
    }
}
