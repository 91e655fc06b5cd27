//! Where the simulated day falls in real time, and datetimes as the
//! export writes them.
//!
//! Salesforce stores every datetime in UTC and the bulk export writes it
//! as `2026-11-30T08:00:00.000Z`. A simulated day has clock times in the
//! centre's own time zone ([`crate::clock`]); a [`DayPlacement`] puts its
//! `start` on a date in a zone (chrono-tz's IANA names, such as
//! `Europe/Paris`), and every instant after that is `start` plus elapsed
//! time: simulated time is physical time, so a day across a daylight-saving
//! change keeps its length in UTC and shifts its clock label, as a real
//! day does.

use crate::clock::DayClock;
use crate::time::{SimTime, MICROS_PER_SEC};
use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;

/// The simulated day placed on a date in a time zone.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct DayPlacement {
    /// `start` of the measured day, in UTC.
    start_utc: DateTime<Utc>,
    /// The warm-up before `start`: run time 0 is this long before it.
    warmup_us: i64,
    /// The zone the day's clock times are in.
    zone: Tz,
}

impl DayPlacement {
    /// The day of `clock` on `date` in `zone`. Fails when `start` does not
    /// exist on that date (skipped by a daylight-saving change) or is
    /// ambiguous (repeated by one).
    pub fn new(date: NaiveDate, zone: Tz, clock: &DayClock) -> Result<DayPlacement, String> {
        let secs = clock.start_of_day.0 / MICROS_PER_SEC;
        let local: NaiveDateTime = date
            .and_hms_opt(0, 0, 0)
            .expect("midnight exists")
            .checked_add_signed(chrono::Duration::seconds(secs as i64))
            .ok_or_else(|| format!("{date} is out of range"))?;
        let start = match zone.from_local_datetime(&local) {
            chrono::LocalResult::Single(t) => t.with_timezone(&Utc),
            chrono::LocalResult::Ambiguous(..) => {
                return Err(format!(
                    "{local} happens twice in {zone} (clocks go back); choose another date or \
                     start time"
                ))
            }
            chrono::LocalResult::None => {
                return Err(format!(
                    "{local} does not exist in {zone} (clocks go forward); choose another date or \
                     start time"
                ))
            }
        };
        Ok(DayPlacement {
            start_utc: start,
            warmup_us: clock.warmup.0 as i64,
            zone,
        })
    }

    /// The UTC instant of simulated time `t`.
    pub fn utc(&self, t: SimTime) -> DateTime<Utc> {
        self.start_utc + chrono::Duration::microseconds(t.0 as i64 - self.warmup_us)
    }

    /// `t` as the export writes it.
    pub fn format(&self, t: SimTime) -> String {
        format_datetime(self.utc(t))
    }

    /// The UTC instant of the measured day's `start`.
    pub fn start_utc(&self) -> DateTime<Utc> {
        self.start_utc
    }
}

/// A datetime as Salesforce exports it: UTC, milliseconds, `Z`.
pub fn format_datetime(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

/// Reads a datetime as exports write it: `2026-11-30T08:00:00.000Z`, with
/// or without milliseconds, with `Z` or an offset (`+0000`, `+01:00`:
/// Data Loader and reports write those), or with a space for the `T`.
pub fn parse_datetime(text: &str) -> Result<DateTime<Utc>, String> {
    let t = text.trim();
    if let Ok(d) = DateTime::parse_from_rfc3339(t) {
        return Ok(d.with_timezone(&Utc));
    }
    for f in ["%Y-%m-%dT%H:%M:%S%.f%z", "%Y-%m-%d %H:%M:%S%.f%z"] {
        if let Ok(d) = DateTime::parse_from_str(t, f) {
            return Ok(d.with_timezone(&Utc));
        }
    }
    let naive = t.strip_suffix('Z').unwrap_or(t);
    for f in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f"] {
        if let Ok(d) = NaiveDateTime::parse_from_str(naive, f) {
            if naive.len() < t.len() {
                return Ok(d.and_utc());
            }
        }
    }
    Err(format!(
        "\"{t}\" is not a datetime; expected one as the export writes it, such as \
         2026-11-30T08:00:00.000Z"
    ))
}

/// Reads an IANA time-zone name (`Europe/Paris`, `UTC`); the error
/// suggests the nearest name.
pub fn parse_zone(text: &str) -> Result<Tz, String> {
    text.trim().parse::<Tz>().map_err(|_| {
        let names = chrono_tz::TZ_VARIANTS.iter().map(|z| z.name());
        let hint = crate::scenario::error::suggest(text.trim(), names)
            .map(|s| format!("; did you mean {s}?"))
            .unwrap_or_default();
        format!(
            "\"{text}\" is not a time zone; expected an IANA name such as Europe/Paris or UTC{hint}"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::SimDuration;

    fn clock(start_h: u64, warmup_s: u64) -> DayClock {
        DayClock {
            date: None,
            start_of_day: SimDuration::from_secs(start_h * 3600),
            warmup: SimDuration::from_secs(warmup_s),
        }
    }

    #[test]
    fn the_day_starts_at_its_local_time_in_utc() {
        let date = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        let paris = parse_zone("Europe/Paris").unwrap();
        let p = DayPlacement::new(date, paris, &clock(8, 1800)).unwrap();
        // 08:00 in Paris in winter is 07:00 UTC; run time 0 is the warm-up's
        // start, half an hour earlier.
        assert_eq!(
            p.format(SimTime(1800 * MICROS_PER_SEC)),
            "2026-11-30T07:00:00.000Z"
        );
        assert_eq!(p.format(SimTime::ZERO), "2026-11-30T06:30:00.000Z");
        assert_eq!(
            p.format(SimTime(1800 * MICROS_PER_SEC + 1_234_567)),
            "2026-11-30T07:00:01.234Z"
        );
        let utc = DayPlacement::new(date, Tz::UTC, &clock(8, 0)).unwrap();
        assert_eq!(utc.format(SimTime::ZERO), "2026-11-30T08:00:00.000Z");
    }

    #[test]
    fn a_start_a_clock_change_skips_or_repeats_is_refused() {
        let paris = parse_zone("Europe/Paris").unwrap();
        let spring = NaiveDate::from_ymd_opt(2026, 3, 29).unwrap();
        let e = DayPlacement::new(spring, paris, &clock(2, 0)).unwrap_err();
        assert!(e.contains("does not exist"), "{e}");
        let autumn = NaiveDate::from_ymd_opt(2026, 10, 25).unwrap();
        let e = DayPlacement::new(autumn, paris, &clock(2, 0)).unwrap_err();
        assert!(e.contains("twice"), "{e}");
    }

    #[test]
    fn datetimes_read_back_in_every_export_spelling() {
        let want = parse_datetime("2026-11-30T08:00:01.250Z").unwrap();
        assert_eq!(format_datetime(want), "2026-11-30T08:00:01.250Z");
        for t in [
            "2026-11-30T08:00:01.250+0000",
            "2026-11-30T09:00:01.250+01:00",
            "2026-11-30 08:00:01.250Z",
            " 2026-11-30T08:00:01.25Z ",
        ] {
            assert_eq!(parse_datetime(t).unwrap(), want, "{t}");
        }
        assert!(parse_datetime("30/11/2026 08:00").is_err());
        assert!(
            parse_datetime("2026-11-30T08:00:01").is_err(),
            "no zone: ambiguous"
        );
        let e = parse_zone("Europe/Pari").unwrap_err();
        assert!(e.contains("Europe/Paris"), "{e}");
    }
}
