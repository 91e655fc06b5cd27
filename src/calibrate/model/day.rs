//! The day an export covers, on the clock of the centre's time zone.
//!
//! The calibrated scenario's measured day starts at the first interval
//! boundary at or before the export's first request or login, and ends
//! at the first boundary at or after its last request: the intervals of
//! the forecast are the centre's own half-hours (or whatever `--interval`
//! says), in local time.

use crate::calibrate::error::ExportError;
use crate::calibrate::read::Export;
use chrono::{DateTime, NaiveDateTime, TimeZone, Timelike, Utc};
use chrono_tz::Tz;

/// The day of a calibration.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct Day {
    /// The centre's time zone.
    pub zone: Tz,
    /// Start of the measured day, UTC.
    pub start: DateTime<Utc>,
    /// Its length \[s\], a whole number of intervals.
    pub duration_s: f64,
    /// The reporting (and forecast) interval \[s\].
    pub interval_s: f64,
}

impl Day {
    /// The day of `export`, cut in intervals of `interval_s` seconds in
    /// `zone`.
    pub fn of(export: &Export, zone: Tz, interval_s: f64) -> Result<Day, ExportError> {
        let requests = export
            .works
            .iter()
            .map(|w| w.requested)
            .chain(export.sessions.iter().flatten().map(|s| s.start));
        let first_request = requests.clone().min();
        let last_request = requests.max();
        let (Some(first_request), Some(last_request)) = (first_request, last_request) else {
            return Err(ExportError::file(
                &export.dir,
                "the export holds no work: AgentWork.csv has no record",
            ));
        };
        let first_login = export.presence.iter().map(|p| p.start).min();
        let first = first_login.map_or(first_request, |l| l.min(first_request));
        let start = floor_local(first, zone, interval_s);
        let last = ceil_local(last_request, zone, interval_s);
        let mut duration_s = (last - start).num_milliseconds() as f64 / 1000.0;
        if duration_s < interval_s {
            duration_s = interval_s;
        }
        duration_s = (duration_s / interval_s).ceil() * interval_s;
        if duration_s > 24.0 * 3600.0 {
            return Err(ExportError::file(
                &export.dir,
                format!(
                    "the export spans more than a day ({} to {} UTC); calibrate reads one day: \
                     export one day's records (WHERE RequestDateTime = ...)",
                    first.format("%Y-%m-%d %H:%M"),
                    last_request.format("%Y-%m-%d %H:%M")
                ),
            ));
        }
        Ok(Day {
            zone,
            start,
            duration_s,
            interval_s,
        })
    }

    /// Seconds from the start of the day to `t`.
    pub fn offset(&self, t: DateTime<Utc>) -> f64 {
        (t - self.start).num_microseconds().unwrap_or(i64::MAX) as f64 / 1e6
    }

    /// The end of the day, UTC.
    pub fn end(&self) -> DateTime<Utc> {
        self.start + chrono::Duration::milliseconds((self.duration_s * 1000.0) as i64)
    }

    /// Number of intervals.
    pub fn intervals(&self) -> usize {
        (self.duration_s / self.interval_s).round() as usize
    }

    /// The interval `t` falls in, if within the day.
    pub fn interval_of(&self, t: DateTime<Utc>) -> Option<usize> {
        let o = self.offset(t);
        (o >= 0.0 && o < self.duration_s).then(|| (o / self.interval_s) as usize)
    }

    /// Local date and time of `t`.
    pub fn local(&self, t: DateTime<Utc>) -> NaiveDateTime {
        t.with_timezone(&self.zone).naive_local()
    }

    /// `t` as a clock time of the day, to the second: `08:30` or
    /// `08:30:15`.
    pub fn clock(&self, t: DateTime<Utc>) -> String {
        let t = t + chrono::Duration::milliseconds(500);
        let l = self.local(t);
        if l.second() == 0 {
            format!("{:02}:{:02}", l.hour(), l.minute())
        } else {
            format!("{:02}:{:02}:{:02}", l.hour(), l.minute(), l.second())
        }
    }

    /// The instant `offset_s` seconds into the day.
    pub fn at(&self, offset_s: f64) -> DateTime<Utc> {
        self.start + chrono::Duration::microseconds((offset_s * 1e6).round() as i64)
    }
}

/// `t` rounded down to a multiple of `step` seconds since local midnight.
fn floor_local(t: DateTime<Utc>, zone: Tz, step: f64) -> DateTime<Utc> {
    let local = t.with_timezone(&zone).naive_local();
    let secs = f64::from(local.num_seconds_from_midnight());
    let floored = (secs / step).floor() * step;
    let day = local.date().and_hms_opt(0, 0, 0).expect("midnight");
    let at = day + chrono::Duration::seconds(floored as i64);
    zone.from_local_datetime(&at)
        .earliest()
        .map_or(t, |z| z.with_timezone(&Utc))
}

/// `t` rounded up to a multiple of `step` seconds since local midnight.
fn ceil_local(t: DateTime<Utc>, zone: Tz, step: f64) -> DateTime<Utc> {
    let f = floor_local(t, zone, step);
    if f == t {
        t
    } else {
        f + chrono::Duration::seconds(step as i64)
    }
}
