//! `[simulation]`: the run's name, length, seed, replications, reporting
//! interval and clock; and what follows from them for every other section
//! (the number of intervals, durations written as the file writes them).

use super::{Ctx, Item, Names, Result};
use crate::scenario::error::ScenarioErrorKind as Kind;
use crate::scenario::raw::{RawDuration, RawScenario, RawSimulation};
use crate::scenario::SimulationSettings;
use crate::time::SimDuration;
use toml::Spanned;

/// Default reporting interval, shortened to the duration for short runs.
const DEFAULT_INTERVAL: SimDuration = SimDuration::from_secs(30 * 60);
/// Default service-level threshold (the "20" of 80/20).
const DEFAULT_SL_THRESHOLD: SimDuration = SimDuration::from_secs(20);

/// `[simulation]`, checked, with its defaults filled in.
pub(super) fn check(raw: &RawScenario, cx: &Ctx<'_>) -> Result<SimulationSettings> {
    let Some(sim) = &raw.simulation else {
        return Err(cx
            .err(Kind::MissingKey, None, "simulation", "no [simulation] section; it names the run and sets its duration")
            .with_hint("start the file with\n    [simulation]\n    name = \"My centre\"\n    duration = \"8h\""));
    };
    let mut it = Item {
        section: "simulation",
        index: None,
        span: sim.span(),
        label: "[simulation]".into(),
    };
    let s: &RawSimulation = sim.get_ref();
    let name = cx.name(&mut it, &s.name, "name", &mut Names::default())?;
    it.label = "[simulation]".into();
    let duration = cx.required(
        &it,
        &s.duration,
        "duration",
        "the measured period, e.g. \"8h\"",
    )?;
    let duration = cx.positive(&it, "duration", duration)?;
    let warmup = s
        .warmup
        .as_ref()
        .map_or(SimDuration::ZERO, |w| w.get_ref().value);
    let seed = match &s.seed {
        Some(v) if *v.get_ref() < 0 => {
            return Err(cx.at(
                Kind::InvalidValue,
                &it,
                "seed",
                v,
                format!(
                    "`seed` is {}; expected an integer of 0 or more",
                    v.get_ref()
                ),
            ))
        }
        Some(v) => *v.get_ref() as u64,
        None => 1,
    };
    let replications = match &s.replications {
        Some(v) => cx.count_u32(&it, "replications", v, 1, "at least 1 run")?,
        None => 1,
    };
    let interval = interval(cx, &it, s, duration)?;
    let service_level_threshold = match &s.service_level_threshold {
        Some(v) => cx.positive(&it, "service_level_threshold", v)?,
        None => DEFAULT_SL_THRESHOLD,
    };
    let (start_date, start_of_day) = match &s.start {
        Some(v) => crate::clock::parse_start(v.get_ref()).map_err(|reason| {
            cx.at(Kind::InvalidValue, &it, "start", v, format!("`start` is {reason}"))
                .with_hint("write the clock time the measured day begins at, e.g. start = \"08:00\" or \"2026-11-30 08:00\"; the warm-up runs before it")
        })?,
        None => (None, SimDuration::ZERO),
    };
    let busyness = match &s.busyness {
        Some(b) => Some(crate::scenario::demand::busyness(cx, &it, b)?),
        None => None,
    };
    Ok(SimulationSettings {
        name,
        duration,
        warmup,
        seed,
        replications,
        interval,
        service_level_threshold,
        start_date,
        start_of_day,
        busyness,
    })
}

/// `interval`: the reporting interval, no longer than the measured period;
/// 30 minutes by default, or the whole period when it is shorter.
fn interval(
    cx: &Ctx<'_>,
    it: &Item,
    s: &RawSimulation,
    duration: SimDuration,
) -> Result<SimDuration> {
    Ok(match &s.interval {
        Some(v) => {
            let interval = cx.positive(it, "interval", v)?;
            if interval > duration {
                return Err(cx
                    .at(
                        Kind::Inconsistent,
                        it,
                        "interval",
                        v,
                        format!(
                            "`interval` is {}, longer than `duration` ({}); expected an interval no longer than the measured period",
                            v.get_ref().written,
                            written(&s.duration)
                        ),
                    )
                    .with_hint("shorten the interval (reports are per interval) or lengthen the duration"));
            }
            interval
        }
        None => DEFAULT_INTERVAL.min(duration),
    })
}

/// A duration as the file writes it, or nothing when it is not given.
fn written(d: &Option<Spanned<RawDuration>>) -> String {
    d.as_ref()
        .map_or(String::new(), |d| d.get_ref().written.clone())
}

/// Reporting intervals in the measured period (the last may be partial).
pub(crate) fn interval_count(sim: &SimulationSettings) -> usize {
    let (d, i) = (sim.duration.0, sim.interval.0.max(1));
    d.div_ceil(i) as usize
}

/// A duration the way scenario files write it (`8h30m`, `1m30s`, `2.5s`),
/// for messages and the summary; whole hours, not days, because contact
/// centre runs are read in hours.
pub fn humanize(d: SimDuration) -> String {
    let us = d.0;
    if us == 0 {
        return "0s".into();
    }
    if us < 60_000_000 && us % 1_000_000 != 0 {
        return format!("{}s", us as f64 / 1e6);
    }
    let secs = us / 1_000_000;
    let (h, m, s) = (secs / 3600, secs % 3600 / 60, secs % 60);
    let mut out = String::new();
    for (n, unit) in [(h, "h"), (m, "m"), (s, "s")] {
        if n > 0 {
            out.push_str(&format!("{n}{unit}"));
        }
    }
    out
}
