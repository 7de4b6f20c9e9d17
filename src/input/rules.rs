//! Rules for single values, shared by the TOML and CSV readers: ids, ranges, names.

use crate::domain::{CourseKind, Mode};

/// The allowed range of a decimal number.
#[derive(Clone, Copy, Debug)]
pub(super) struct Range {
    /// Lowest allowed value.
    pub min: f64,
    /// True when `min` itself is not allowed (the value must be greater).
    pub above: bool,
    /// Highest allowed value; large enough for any real plan, small enough to keep the
    /// solver's numbers sound.
    pub max: f64,
}

impl Range {
    /// Checks a value; the error says what is wrong with it.
    pub fn check(&self, value: f64) -> Result<f64, String> {
        if !value.is_finite() {
            Err("must be a finite number".to_string())
        } else if value < self.min || (self.above && value <= self.min) {
            Err(format!("must be {}", self.lower_words()))
        } else if value > self.max {
            Err(format!("must be at most {}", self.max))
        } else {
            Ok(value)
        }
    }

    fn lower_words(&self) -> String {
        if self.above {
            format!("greater than {}", self.min)
        } else {
            format!("{} or more", self.min)
        }
    }

    /// What to write instead.
    pub fn help(&self) -> String {
        let from = if self.above { "above" } else { "from" };
        format!("write a number {from} {} up to {}", self.min, self.max)
    }
}

/// Money per hour (teacher, room).
pub(super) const COST_PER_HOUR: Range = Range {
    min: 0.0,
    above: false,
    max: 1e6,
};
/// The budget cap on total cost.
pub(super) const BUDGET: Range = Range {
    min: 0.0,
    above: false,
    max: 1e12,
};
/// The fixed cost of an optional teacher, room or opening hours.
pub(super) const FIXED_COST: Range = Range {
    min: 0.0,
    above: false,
    max: 1e9,
};
/// The `serve` weight: must be positive, or the plan would place nobody.
pub(super) const SERVE: Range = Range {
    min: 0.0,
    above: true,
    max: 1e9,
};
/// The other objective weights.
pub(super) const WEIGHT: Range = Range {
    min: 0.0,
    above: false,
    max: 1e9,
};
/// Contact hours of a course.
pub(super) const COURSE_HOURS: Range = Range {
    min: 0.0,
    above: true,
    max: 100_000.0,
};
/// Teaching hours per week: a week has 168 hours.
pub(super) const WEEK_HOURS: Range = Range {
    min: 0.0,
    above: false,
    max: 168.0,
};
/// Latitude in degrees.
pub(super) const LATITUDE: Range = Range {
    min: -90.0,
    above: false,
    max: 90.0,
};
/// Longitude in degrees.
pub(super) const LONGITUDE: Range = Range {
    min: -180.0,
    above: false,
    max: 180.0,
};
/// Road distance over great-circle distance: a road is never shorter than the straight line.
pub(super) const DETOUR: Range = Range {
    min: 1.0,
    above: false,
    max: 10.0,
};
/// Travel speed in km/h.
pub(super) const SPEED: Range = Range {
    min: 0.0,
    above: true,
    max: 1000.0,
};
/// Fixed minutes per trip: at most a day.
pub(super) const OVERHEAD: Range = Range {
    min: 0.0,
    above: false,
    max: 1440.0,
};
/// A learner's priority.
pub(super) const PRIORITY: Range = Range {
    min: 0.0,
    above: true,
    max: 1e6,
};

/// The allowed range of a whole number.
#[derive(Clone, Copy, Debug)]
pub(super) struct Count {
    /// Lowest allowed value.
    pub min: u32,
    /// Highest allowed value.
    pub max: u32,
}

impl Count {
    /// Checks a whole number; the error says what is wrong with it.
    pub fn check(&self, value: i64) -> Result<u32, String> {
        match u32::try_from(value) {
            Ok(value) if (self.min..=self.max).contains(&value) => Ok(value),
            _ if value < i64::from(self.min) => Err(format!("must be {} or more", self.min)),
            _ => Err(format!("must be at most {}", self.max)),
        }
    }

    /// Checks a decimal number that should be whole (`45.0` is accepted as 45).
    pub fn check_float(&self, value: f64) -> Result<u32, String> {
        if !value.is_finite() || value.fract() != 0.0 {
            return Err("must be a whole number".to_string());
        }
        if value < f64::from(self.min) {
            return Err(format!("must be {} or more", self.min));
        }
        if value > f64::from(self.max) {
            return Err(format!("must be at most {}", self.max));
        }
        // In range and whole, so the conversion is exact.
        self.check(value as i64)
    }

    /// Reads a whole number written as text (a CSV cell).
    pub fn parse(&self, text: &str) -> Result<u32, String> {
        match text.parse::<i64>() {
            Ok(value) => self.check(value),
            Err(_) => match text.parse::<f64>() {
                Ok(value) => self.check_float(value),
                Err(_) => Err("must be a whole number".to_string()),
            },
        }
    }

    /// What to write instead.
    pub fn help(&self) -> String {
        format!("write a whole number from {} to {}", self.min, self.max)
    }
}

/// Length of the term in weeks: up to ten years.
pub(super) const TERM_WEEKS: Count = Count { min: 1, max: 520 };
/// Seats in a room, learners in a class.
pub(super) const SEATS: Count = Count {
    min: 1,
    max: 10_000,
};
/// Travel minutes (limits and measured times): up to a week, which already means "any".
pub(super) const MINUTES: Count = Count {
    min: 0,
    max: 10_080,
};

/// Checks an id: non-empty, no whitespace or control characters, and no `;` (the learner
/// CSV separates lists with it). The error is (message, help).
pub(super) fn check_id(id: &str) -> Result<(), (String, String)> {
    if id.is_empty() {
        return Err((
            "the id is empty".to_string(),
            "give it a short name without spaces, e.g. `nt2-a1`".to_string(),
        ));
    }
    if let Some(c) = id
        .chars()
        .find(|c| c.is_whitespace() || c.is_control() || *c == ';')
    {
        let what = if c == ';' {
            "a `;`".to_string()
        } else if c == ' ' {
            "a space".to_string()
        } else {
            format!("the character {c:?}")
        };
        return Err((
            format!("id `{}` contains {what}", id.escape_debug()),
            "ids may not contain spaces, tabs or `;`; use `-` or `_` instead".to_string(),
        ));
    }
    Ok(())
}

/// Reads a travel mode, ignoring case.
pub(super) fn parse_mode(text: &str) -> Option<Mode> {
    Mode::parse(&text.to_ascii_lowercase())
}

/// Help for a bad travel mode.
pub(super) const MODE_HELP: &str = "use one of walk, bike, public, car";

/// Reads a course kind, ignoring case.
pub(super) fn parse_kind(text: &str) -> Option<CourseKind> {
    match text.to_ascii_lowercase().as_str() {
        "nt2" => Some(CourseKind::Nt2),
        "mo" => Some(CourseKind::Mo),
        _ => None,
    }
}

/// Help for window and session syntax.
pub(super) const WINDOW_HELP: &str = "write `DAYS HH:MM-HH:MM`, e.g. `mon-fri 08:00-17:00`, `mon,wed 18:30-21:30` or `sun 22:00-06:00` (past midnight)";

/// Help for session syntax.
pub(super) const SESSION_HELP: &str =
    "write one day and a time range within that day, e.g. `mon 18:30-21:30`";

/// Shortens text quoted back in a message, so a huge value does not flood the output.
pub(super) fn quote(text: &str) -> String {
    const LONGEST: usize = 60;
    if text.chars().count() <= LONGEST {
        text.to_string()
    } else {
        let head: String = text.chars().take(LONGEST).collect();
        format!("{head}...")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_reject_out_of_bounds_and_non_finite() {
        assert!(SERVE.check(0.0).is_err());
        assert!(WEIGHT.check(0.0).is_ok());
        assert!(WEIGHT.check(f64::NAN).is_err());
        assert!(LATITUDE.check(90.5).is_err());
        assert!(DETOUR.check(0.9).is_err());
    }

    #[test]
    fn counts_read_whole_numbers_only() {
        assert_eq!(MINUTES.parse("45"), Ok(45));
        assert_eq!(MINUTES.parse("45.0"), Ok(45));
        assert!(MINUTES.parse("45.5").is_err());
        assert!(MINUTES.parse("-1").is_err());
        assert!(MINUTES.parse("99999999999999999999999").is_err());
        assert!(SEATS.check(0).is_err());
    }

    #[test]
    fn ids_without_spaces_or_semicolons() {
        assert!(check_id("nt2-a1").is_ok());
        assert!(check_id("").is_err());
        assert!(check_id("nt2 a1").is_err());
        assert!(check_id("a;b").is_err());
    }
}
