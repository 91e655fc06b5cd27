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
//! the run ([`SimTime`]); [`DayClock`] converts at the edges: every output
//! labels instants with [`DayClock::label`] (the trace with
//! [`DayClock::label_ms`]), and [`DayClock::parse_instant`] reads any such
//! label, a clock time or a duration from `start` back. The user's guide
//! to the rule is the "Clock time" section of `docs/scenario-format.md`.

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

    /// The clock label of `t` to the millisecond, for lines read event by
    /// event (the trace): `"08:30:05.250"`, with the date in front when
    /// the file gave one, `"-00:29:59.500"` in the warm-up of a day that
    /// starts at midnight. Always with seconds and milliseconds so lines
    /// align.
    pub fn label_ms(&self, t: SimTime) -> String {
        let since_start = t.0 as i128 - self.warmup.0 as i128;
        let us = self.start_of_day.0 as i128 + since_start;
        let ms = us.div_euclid(1000) as i64;
        match self.date {
            Some(date) => {
                let base = NaiveDateTime::new(date, NaiveTime::MIN);
                let at = base + chrono::TimeDelta::milliseconds(ms);
                at.format("%Y-%m-%d %H:%M:%S%.3f").to_string()
            }
            None => {
                let sign = if ms < 0 { "-" } else { "" };
                let a = ms.unsigned_abs();
                let (h, m, s, frac) = (a / 3_600_000, a / 60_000 % 60, a / 1000 % 60, a % 1000);
                format!("{sign}{h:02}:{m:02}:{s:02}.{frac:03}")
            }
        }
    }

    /// The instant a time typed on the command line stands for (`omnisim
    /// trace --from/--until`). Accepted, so that any time a result shows
    /// can be typed back:
    ///
    /// - a clock time `"12:00"`, `"12:00:30"`, `"12:00:30.250"`: that time
    ///   of the simulated day, by the module's rule (earlier than `start`
    ///   is the next day), except that a time inside the warm-up means the
    ///   warm-up — the run covers it, the next day's would be outside;
    /// - a label as printed: hours past 24 (`"25:30"`, after midnight),
    ///   a negative time (`"-00:15"`, the warm-up of a day starting at
    ///   00:00) or a date in front (`"2026-12-01 00:30"`, when `start` has
    ///   a date);
    /// - a duration from `start` (`"1h30m"`, `5400`), negative for the
    ///   warm-up (`"-10m"`).
    ///
    /// An instant before the run (the beginning of the warm-up) is an
    /// error; one after its end is not (nothing happens there).
    pub fn parse_instant(&self, text: &str) -> Result<SimTime, String> {
        let t = text.trim();
        let us_of_day: i128 = if looks_like_clock_time(t) {
            self.clock_time_of_day(t)?
        } else {
            let (negative, rest) = match t.strip_prefix('-') {
                Some(rest) => (true, rest.trim_start()),
                None => (false, t),
            };
            let d = match rest.parse::<f64>() {
                Ok(v) if v.is_finite() && v >= 0.0 => SimDuration::from_secs_f64(v),
                Ok(_) => return Err(format!("\"{t}\" is not a time")),
                Err(_) => crate::time::parse_duration(rest)?,
            };
            let d = d.0 as i128;
            self.start_of_day.0 as i128 + if negative { -d } else { d }
        };
        let run_us = us_of_day - self.start_of_day.0 as i128 + self.warmup.0 as i128;
        if run_us < 0 {
            return Err(format!(
                "\"{t}\" is before the run, which begins at {} (the start of the warm-up)",
                self.label(SimTime::ZERO)
            ));
        }
        Ok(SimTime(run_us.min(u64::MAX as i128) as u64))
    }

    /// Microseconds since midnight of the start day of a written clock
    /// time or printed label (see [`DayClock::parse_instant`]).
    fn clock_time_of_day(&self, t: &str) -> Result<i128, String> {
        const DAY_US: i128 = (DAY_SECS * MICROS_PER_SEC) as i128;
        let bad = || {
            format!(
                "\"{t}\" is not a clock time; expected \"HH:MM\", \"HH:MM:SS\" or \"HH:MM:SS.mmm\" such as \"12:00\""
            )
        };
        let (days, time, dated) = match t.split_once([' ', 'T']) {
            Some((d, rest)) => {
                let date = NaiveDate::parse_from_str(d, "%Y-%m-%d").map_err(|_| bad())?;
                let Some(start) = self.date else {
                    return Err(format!(
                        "\"{t}\" has a date, but [simulation] start has none; write the time alone"
                    ));
                };
                ((date - start).num_days() as i128, rest.trim(), true)
            }
            None => (0, t, false),
        };
        let (negative, time) = match time.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, time),
        };
        let parts: Vec<&str> = time.split(':').collect();
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        let (h, m, sec) = match parts.as_slice() {
            [h, m] => (*h, *m, "0"),
            [h, m, s] => (*h, *m, *s),
            _ => return Err(bad()),
        };
        let (whole, frac) = sec.split_once('.').unwrap_or((sec, ""));
        if !digits(h) || !digits(m) || m.len() != 2 || !digits(whole) || whole.len() > 2 {
            return Err(bad());
        }
        if !frac.is_empty() && (!digits(frac) || frac.len() > 6) {
            return Err(bad());
        }
        let h: i128 = h.parse().map_err(|_| bad())?;
        let (m, s): (i128, i128) = (
            m.parse().map_err(|_| bad())?,
            whole.parse().map_err(|_| bad())?,
        );
        if m > 59 || s > 59 {
            return Err(bad());
        }
        let frac_us: i128 = if frac.is_empty() {
            0
        } else {
            format!("{frac:0<6}").parse().map_err(|_| bad())?
        };
        let us = ((h * 60 + m) * 60 + s) * MICROS_PER_SEC as i128 + frac_us;
        if negative {
            return Ok(days * DAY_US - us);
        }
        if dated || us >= DAY_US {
            // A date or a printed label: already the day it names.
            return Ok(days * DAY_US + us);
        }
        let start = self.start_of_day.0 as i128;
        let in_warm_up = us < start && us >= start - self.warmup.0 as i128;
        if us >= start || in_warm_up {
            Ok(us)
        } else {
            Ok(us + DAY_US)
        }
    }
}

/// The label of a time of day given as seconds since midnight of the
/// start day (`"08:30"`; hours past 24 the next day, negative before
/// midnight): what [`DayClock::label`] shows without a date, for figures
/// that place times on an axis.
pub fn day_seconds_label(secs: i64) -> String {
    hh_mm(secs)
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
    fn millisecond_labels_align_and_carry_the_date() {
        let c = clock("08:00", 1800);
        assert_eq!(c.label_ms(SimTime::ZERO), "07:30:00.000");
        assert_eq!(
            c.label_ms(c.instant(SimDuration(3_723_004_000))),
            "09:02:03.004"
        );
        let m = DayClock::midnight(SimDuration::from_secs(1800));
        assert_eq!(m.label_ms(SimTime(500_000)), "-00:29:59.500");
        assert_eq!(m.label_ms(m.measured_start()), "00:00:00.000");
        let d = clock("2026-11-30 23:30", 3600);
        assert_eq!(
            d.label_ms(d.instant(SimDuration::from_secs(3600))),
            "2026-12-01 00:30:00.000"
        );
    }

    #[test]
    fn typed_instants_follow_the_rule_and_read_back_every_label() {
        let c = clock("08:00", 1800);
        let at = |text: &str| c.parse_instant(text).map(|t| c.label_ms(t));
        assert_eq!(at("12:00").unwrap(), "12:00:00.000");
        assert_eq!(at("12:00:30.25").unwrap(), "12:00:30.250");
        // Inside the warm-up: the warm-up, not the next day.
        assert_eq!(at("07:45").unwrap(), "07:45:00.000");
        // Earlier than the warm-up: the next day, as in the scenario file.
        assert_eq!(at("06:00").unwrap(), "30:00:00.000");
        assert_eq!(at("30:00").unwrap(), "30:00:00.000");
        // Durations count from start; negative ones reach into the warm-up.
        assert_eq!(at("1h").unwrap(), "09:00:00.000");
        assert_eq!(at("90").unwrap(), "08:01:30.000");
        assert_eq!(at("-10m").unwrap(), "07:50:00.000");
        assert!(at("-1h").unwrap_err().contains("before the run"));
        assert!(at("12:60").unwrap_err().contains("not a clock time"));
        assert!(at("2026-11-30 08:00").unwrap_err().contains("has none"));
        assert!(at("soon").is_err());
        // Every printed label reads back as the instant it names.
        for t in [0, 1_500_000, 1_800_000_000, 90_061_250_000] {
            assert_eq!(c.parse_instant(&c.label_ms(SimTime(t))), Ok(SimTime(t)));
        }
        let m = DayClock::midnight(SimDuration::from_secs(1800));
        assert_eq!(m.parse_instant("-00:15"), Ok(SimTime(900_000_000)));
        assert_eq!(m.parse_instant("00:15"), Ok(SimTime(2_700_000_000)));
        let d = clock("2026-11-30 23:30", 3600);
        assert_eq!(
            d.parse_instant("2026-12-01 00:30").map(|t| d.label(t)),
            Ok("2026-12-01 00:30".to_string())
        );
        assert_eq!(
            d.parse_instant("2026-11-30 22:45").map(|t| d.label(t)),
            Ok("2026-11-30 22:45".to_string())
        );
        assert!(d.parse_instant("2026-11-30 20:00").is_err());
    }

    #[test]
    fn day_seconds_label_as_the_axis_shows_it() {
        assert_eq!(day_seconds_label(8 * 3600 + 1800), "08:30");
        assert_eq!(day_seconds_label(-1800), "-00:30");
        assert_eq!(day_seconds_label(25 * 3600), "25:00");
    }

    #[test]
    fn a_midnight_clock_before_its_warm_up_ends_shows_negative_times() {
        let c = DayClock::midnight(SimDuration::from_secs(1800));
        assert_eq!(c.label(SimTime::ZERO), "-00:30");
        assert_eq!(c.label(c.measured_start()), "00:00");
    }
}
