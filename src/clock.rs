//! The day's clock: the clock times a planner writes ("08:00") and reads
//! in every result, mapped onto simulated time.
//!
//! # The one rule
//!
//! `[simulation] start` (default `"00:00"`, optionally with a date) is the
//! clock time at which the **measured** period begins. The warm-up runs
//! *before* it: a 30-minute warm-up of a day starting at 08:00 covers
//! 07:30–08:00. Nothing the user writes is offset by the warm-up:
//!
//! - a clock time (`"12:00"`, `"12:00:30"`) is that time of the simulated
//!   day; a time earlier than `start` belongs to the next day (a night
//!   shift from 22:00 to 06:00);
//! - a duration (`"4h"`, `3600`) where a time is expected counts from
//!   `start`;
//! - rate profiles and forecasts begin at `start`; the warm-up draws
//!   arrivals at their first interval's rate;
//! - a shift that begins at or before `start` is logged in from the
//!   beginning of the warm-up, so the measured day opens with the floor
//!   it would have had.
//!
//! Inside the engine time stays a count of microseconds since the start of
//! the run ([`SimTime`]); [`DayClock`] converts at the edges.

use crate::time::{SimDuration, SimTime, MICROS_PER_SEC};
use chrono::{NaiveDate, NaiveDateTime, NaiveTime, Timelike};

/// Seconds in a day.
const DAY_SECS: u64 = 24 * 3600;

/// Maps between the clock of the simulated day and simulated time.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct DayClock {
    /// Calendar date of `start`, when the file gives one.
    pub date: Option<NaiveDate>,
    /// Time of day at which the measured period begins.
    pub start_of_day: SimDuration,
    /// Length of the warm-up run before `start`.
    pub warmup: SimDuration,
}

impl DayClock {
    /// A clock whose day starts at midnight with no date: what a file
    /// without `start` gets, so clock times still mean hours of the day.
    pub fn midnight(warmup: SimDuration) -> DayClock {
        DayClock {
            date: None,
            start_of_day: SimDuration::ZERO,
            warmup,
        }
    }

    /// The offset from `start` of a time of day: the same day when at or
    /// after `start`, the next day when earlier (see the module doc).
    pub fn offset_of(&self, time_of_day: SimDuration) -> SimDuration {
        if time_of_day >= self.start_of_day {
            SimDuration(time_of_day.0 - self.start_of_day.0)
        } else {
            SimDuration(time_of_day.0 + DAY_SECS * MICROS_PER_SEC - self.start_of_day.0)
        }
    }

    /// The simulated instant `offset` after `start`.
    pub fn instant(&self, offset: SimDuration) -> SimTime {
        SimTime::ZERO + self.warmup + offset
    }

    /// The instant at which `start` falls: the end of the warm-up.
    pub fn measured_start(&self) -> SimTime {
        self.instant(SimDuration::ZERO)
    }

    /// Seconds of `t` relative to midnight of the start day (negative
    /// before it, beyond a day after it), whole microseconds dropped.
    fn seconds_of_day(&self, t: SimTime) -> i64 {
        let since_start = t.0 as i128 - self.warmup.0 as i128;
        let us = self.start_of_day.0 as i128 + since_start;
        us.div_euclid(MICROS_PER_SEC as i128) as i64
    }

    /// The clock label of `t`: `"08:30"` (seconds shown only when not
    /// zero), with the date in front when the file gave one
    /// (`"2026-11-30 08:30"`). Without a date, hours run past 24 after
    /// midnight (`"25:30"`) so labels still sort and subtract.
    pub fn label(&self, t: SimTime) -> String {
        let secs = self.seconds_of_day(t);
        match self.date {
            Some(date) => {
                let base = NaiveDateTime::new(date, NaiveTime::MIN);
                let at = base + chrono::TimeDelta::seconds(secs);
                let time = at.time();
                if time.second() == 0 {
                    format!("{} {:02}:{:02}", at.date(), time.hour(), time.minute())
                } else {
                    format!("{} {}", at.date(), time.format("%H:%M:%S"))
                }
            }
            None => hh_mm(secs),
        }
    }
}

/// `"08:30"` / `"08:30:15"` / `"-00:30"` from seconds since midnight.
fn hh_mm(secs: i64) -> String {
    let sign = if secs < 0 { "-" } else { "" };
    let s = secs.unsigned_abs();
    let (h, m, sec) = (s / 3600, (s % 3600) / 60, s % 60);
    if sec == 0 {
        format!("{sign}{h:02}:{m:02}")
    } else {
        format!("{sign}{h:02}:{m:02}:{sec:02}")
    }
}

/// Parses a time of day, `"HH:MM"` or `"HH:MM:SS"` (00:00 to 24:00), into
/// the span since midnight.
pub fn parse_time_of_day(text: &str) -> Result<SimDuration, String> {
    let t = text.trim();
    let parts: Vec<&str> = t.split(':').collect();
    let field = |s: &str, what: &str, max: u64| -> Result<u64, String> {
        if s.is_empty() || s.len() > 2 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!(
                "\"{t}\" is not a clock time; expected \"HH:MM\" or \"HH:MM:SS\" such as \"08:00\""
            ));
        }
        let v: u64 = s.parse().unwrap_or(u64::MAX);
        if v > max {
            return Err(format!(
                "\"{t}\" has {what} {v}; expected {what} from 0 to {max}"
            ));
        }
        Ok(v)
    };
    let (h, m, s) = match parts.as_slice() {
        [h, m] => (field(h, "hour", 24)?, field(m, "minute", 59)?, 0),
        [h, m, s] => (
            field(h, "hour", 24)?,
            field(m, "minute", 59)?,
            field(s, "second", 59)?,
        ),
        _ => {
            return Err(format!(
                "\"{t}\" is not a clock time; expected \"HH:MM\" or \"HH:MM:SS\" such as \"08:00\""
            ))
        }
    };
    let secs = h * 3600 + m * 60 + s;
    if secs > DAY_SECS {
        return Err(format!(
            "\"{t}\" is past 24:00; expected a time of day from 00:00 to 24:00"
        ));
    }
    Ok(SimDuration::from_secs(secs))
}

/// Parses `[simulation] start`: a time of day, optionally after a date
/// (`"2026-11-30 08:00"` or `"2026-11-30T08:00"`).
pub fn parse_start(text: &str) -> Result<(Option<NaiveDate>, SimDuration), String> {
    let t = text.trim();
    let (date, time) = match t.split_once([' ', 'T']) {
        Some((d, rest)) => {
            let date = NaiveDate::parse_from_str(d, "%Y-%m-%d").map_err(|_| {
                format!("\"{t}\" does not start with a date; expected \"YYYY-MM-DD HH:MM\" or \"HH:MM\"")
            })?;
            (Some(date), rest)
        }
        None => (None, t),
    };
    let time = parse_time_of_day(time)?;
    if time.0 >= DAY_SECS * MICROS_PER_SEC {
        return Err(format!(
            "\"{t}\" starts at 24:00; write 00:00 of the next day"
        ));
    }
    Ok((date, time))
}

/// Whether a value written where a time is expected is a clock time
/// (`"12:00"`) rather than a duration from `start` (`"4h"`).
pub fn looks_like_clock_time(text: &str) -> bool {
    text.contains(':')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clock(start: &str, warmup_s: u64) -> DayClock {
        let (date, start_of_day) = parse_start(start).unwrap();
        DayClock {
            date,
            start_of_day,
            warmup: SimDuration::from_secs(warmup_s),
        }
    }

    #[test]
    fn times_of_day_parse_and_mistakes_say_why() {
        assert_eq!(
            parse_time_of_day("08:00"),
            Ok(SimDuration::from_secs(8 * 3600))
        );
        assert_eq!(
            parse_time_of_day("8:05:30"),
            Ok(SimDuration::from_secs(8 * 3600 + 330))
        );
        assert_eq!(
            parse_time_of_day("24:00"),
            Ok(SimDuration::from_secs(DAY_SECS))
        );
        assert!(parse_time_of_day("8h")
            .unwrap_err()
            .contains("not a clock time"));
        assert!(parse_time_of_day("12:60")
            .unwrap_err()
            .contains("minute 60"));
        assert!(parse_time_of_day("25:00").unwrap_err().contains("hour 25"));
        assert!(parse_time_of_day("24:30")
            .unwrap_err()
            .contains("past 24:00"));
        assert!(parse_start("2026-13-01 08:00")
            .unwrap_err()
            .contains("date"));
        assert!(parse_start("24:00").is_err());
    }

    #[test]
    fn the_warm_up_runs_before_start_and_times_are_not_offset_by_it() {
        let c = clock("08:00", 1800);
        assert_eq!(c.label(SimTime::ZERO), "07:30");
        assert_eq!(c.label(c.measured_start()), "08:00");
        let noon = c.offset_of(parse_time_of_day("12:00").unwrap());
        assert_eq!(noon, SimDuration::from_secs(4 * 3600));
        assert_eq!(c.label(c.instant(noon)), "12:00");
        // Earlier than start: the next day.
        let six = c.offset_of(parse_time_of_day("06:00").unwrap());
        assert_eq!(six, SimDuration::from_secs(22 * 3600));
        assert_eq!(c.label(c.instant(six)), "30:00");
        assert_eq!(c.label(c.instant(SimDuration::from_secs(15))), "08:00:15");
    }

    #[test]
    fn a_dated_start_labels_with_the_date_across_midnight() {
        let c = clock("2026-11-30 23:30", 3600);
        assert_eq!(c.label(SimTime::ZERO), "2026-11-30 22:30");
        assert_eq!(
            c.label(c.instant(SimDuration::from_secs(3600))),
            "2026-12-01 00:30"
        );
        let t = clock("2026-11-30T08:00", 0);
        assert_eq!(t.label(t.measured_start()), "2026-11-30 08:00");
    }

    #[test]
    fn a_midnight_clock_before_its_warm_up_ends_shows_negative_times() {
        let c = DayClock::midnight(SimDuration::from_secs(1800));
        assert_eq!(c.label(SimTime::ZERO), "-00:30");
        assert_eq!(c.label(c.measured_start()), "00:00");
    }
}
