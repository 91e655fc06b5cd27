//! Simulated time.
//!
//! omnisim keeps its own clock instead of tokio's paused clock: tokio rounds
//! every deadline up to a whole millisecond and fires same-tick timers in
//! registration order, so results would depend on the resolution. Here time
//! is an integer count of **microseconds** since the start of the run
//! (warm-up included). Integer ticks keep arithmetic exact and ordering
//! total, which byte-identical results need; one microsecond is three orders
//! of magnitude below the shortest response times a scenario describes.

use serde::Serialize;
use std::fmt;
use std::ops::{Add, AddAssign, Sub};

/// Microseconds in one second.
pub const MICROS_PER_SEC: u64 = 1_000_000;

/// An instant of simulated time, in microseconds since the run started.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct SimTime(pub u64);

/// A span of simulated time, in microseconds.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct SimDuration(pub u64);

impl SimTime {
    /// The start of a run.
    pub const ZERO: SimTime = SimTime(0);
    /// Later than any instant a run reaches; used as "never".
    pub const NEVER: SimTime = SimTime(u64::MAX);

    /// Seconds since the start of the run, for reports.
    pub fn as_secs_f64(self) -> f64 {
        self.0 as f64 / MICROS_PER_SEC as f64
    }

    /// Time elapsed since `earlier`; zero if `earlier` is later (never negative).
    pub fn since(self, earlier: SimTime) -> SimDuration {
        SimDuration(self.0.saturating_sub(earlier.0))
    }
}

impl SimDuration {
    /// No time at all.
    pub const ZERO: SimDuration = SimDuration(0);

    /// Whole seconds.
    pub const fn from_secs(s: u64) -> SimDuration {
        SimDuration(s * MICROS_PER_SEC)
    }

    /// Seconds as a float, rounded to the nearest microsecond. Negative and
    /// NaN inputs become zero: a sampled duration can never go backwards.
    pub fn from_secs_f64(s: f64) -> SimDuration {
        if s.is_nan() || s <= 0.0 {
            return SimDuration::ZERO;
        }
        let us = (s * MICROS_PER_SEC as f64).round();
        if us >= u64::MAX as f64 / 2.0 {
            SimDuration(u64::MAX / 2)
        } else {
            SimDuration(us as u64)
        }
    }

    /// Length in seconds.
    pub fn as_secs_f64(self) -> f64 {
        self.0 as f64 / MICROS_PER_SEC as f64
    }

    /// Whether this is the zero span (used for "feature off", e.g. push timeout).
    pub fn is_zero(self) -> bool {
        self.0 == 0
    }
}

impl Add<SimDuration> for SimTime {
    type Output = SimTime;
    fn add(self, rhs: SimDuration) -> SimTime {
        SimTime(self.0.saturating_add(rhs.0))
    }
}

impl AddAssign<SimDuration> for SimTime {
    fn add_assign(&mut self, rhs: SimDuration) {
        *self = *self + rhs;
    }
}

impl Add for SimDuration {
    type Output = SimDuration;
    fn add(self, rhs: SimDuration) -> SimDuration {
        SimDuration(self.0.saturating_add(rhs.0))
    }
}

impl Sub for SimTime {
    type Output = SimDuration;
    fn sub(self, rhs: SimTime) -> SimDuration {
        self.since(rhs)
    }
}

impl fmt::Display for SimTime {
    /// `h:mm:ss.mmm`, the form the trace and CSV files use.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ms = self.0 / 1000;
        let (h, rem) = (ms / 3_600_000, ms % 3_600_000);
        let (m, rem) = (rem / 60_000, rem % 60_000);
        write!(f, "{}:{:02}:{:02}.{:03}", h, m, rem / 1000, rem % 1000)
    }
}

impl fmt::Display for SimDuration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}s", self.as_secs_f64())
    }
}

/// Parses a duration written with units (`"30s"`, `"6m"`, `"1h30m"`,
/// `"250ms"`) the way scenario files write them.
///
/// Delegates to [`parse_wall_duration`]; simulated time counts whole
/// microseconds, so a finer part is dropped.
pub fn parse_duration(text: &str) -> Result<SimDuration, String> {
    let trimmed = text.trim();
    let d = parse_wall_duration(trimmed)?;
    if d.as_micros() > u128::from(MAX_DURATION.0) {
        return Err(out_of_range(&format!("\"{trimmed}\"")));
    }
    Ok(SimDuration(d.as_micros() as u64))
}

/// Parses a duration with units to the nanosecond, for the wall clock
/// (`load`'s bounds): the one duration syntax of every omnisim input.
///
/// Delegates to `humantime`, so every unit it knows is accepted; a bare
/// number without unit is rejected here because in TOML a plain number
/// (not a string) already means seconds.
pub fn parse_wall_duration(text: &str) -> Result<std::time::Duration, String> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err("an empty duration; expected e.g. \"30s\", \"6m\" or \"1h30m\"".into());
    }
    humantime::parse_duration(trimmed).map_err(|e| {
        format!("\"{trimmed}\" is not a duration ({e}); expected e.g. \"30s\", \"6m\" or \"1h30m\"")
    })
}

/// The longest duration a scenario may write (about 292,000 years): half
/// the microseconds a `u64` counts, so that a warm-up and a duration, or
/// a start and an offset, add up without overflowing. A longer one is
/// refused as out of range rather than cut to it.
pub const MAX_DURATION: SimDuration = SimDuration(u64::MAX / 2);

/// The message for a duration above [`MAX_DURATION`], `written` as the
/// file writes it.
pub fn out_of_range(written: &str) -> String {
    format!(
        "{written} is out of range: the longest duration time can count is about {} years",
        MAX_DURATION.0 / MICROS_PER_SEC / 31_557_600
    )
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_duration_beyond_what_time_counts_is_refused_not_saturated() {
        assert!(parse_duration("292000y").is_ok());
        let e = parse_duration("600000y").unwrap_err();
        assert!(e.contains("\"600000y\" is out of range"), "{e}");
        assert!(e.contains("about 292271 years"), "{e}");
        let e = parse_duration("99999999999999999999h").unwrap_err();
        assert!(!e.contains("2562047"), "{e}");
    }

    use super::*;

    #[test]
    fn parses_units_and_compounds() {
        assert_eq!(parse_duration("30s").unwrap(), SimDuration::from_secs(30));
        assert_eq!(parse_duration("6m").unwrap(), SimDuration::from_secs(360));
        assert_eq!(
            parse_duration("1h30m").unwrap(),
            SimDuration::from_secs(5400)
        );
        assert_eq!(parse_duration("250ms").unwrap(), SimDuration(250_000));
    }

    #[test]
    fn rejects_garbage() {
        assert!(parse_duration("").is_err());
        assert!(parse_duration("soon").is_err());
        assert!(parse_duration("30").is_err());
    }

    #[test]
    fn float_seconds_round_to_microseconds_and_never_go_negative() {
        assert_eq!(SimDuration::from_secs_f64(1.5), SimDuration(1_500_000));
        assert_eq!(SimDuration::from_secs_f64(-3.0), SimDuration::ZERO);
        assert_eq!(SimDuration::from_secs_f64(f64::NAN), SimDuration::ZERO);
    }

    #[test]
    fn displays_clock_form() {
        assert_eq!(SimTime(3_723_004_000).to_string(), "1:02:03.004");
    }
}
