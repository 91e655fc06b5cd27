//! Load mode: the same actors on the wall clock, measured.
//!
//! A performance engineer wants to know what the engine sustains, not what
//! a simulated centre does: how many toolkit calls a second the actors
//! answer, how long a call's round trip takes, how long a routing decision
//! takes, and whether the run keeps up with its schedule. [`run_load`]
//! runs a scenario paced by [`Clock::Wall`]: simulated time advances
//! `speed` seconds per wall second, so arrivals come at `speed` times the
//! scenario's rate and a handle time of 300 s lasts 300/`speed` wall
//! seconds. [`LoadProbes`] record into HDR histograms while it runs:
//!
//! | histogram            | from                          | to                              |
//! |----------------------|-------------------------------|---------------------------------|
//! | `toolkit_rtt`        | a toolkit method's `send`     | its reply (the promise resolves)|
//! | `routing_decision`   | entering `routing::next_push` | its decision                    |
//! | `push_accept`        | `WorkAssigned` reaches sinks  | `WorkAccepted` reaches sinks    |
//! | `schedule_lag`       | an entry's wall-clock due time| the driver delivering it        |
//!
//! A run is bounded: it covers a wall-clock warm-up (not recorded, so the
//! centre fills up first) and a measured window, and stops by itself; if
//! the engine falls behind, a watchdog stops it at twice its planned
//! length. [`find_max`] ramps the rate up (doubling, then bisecting) to
//! the highest one that is sustained: the run keeps up (p99 schedule lag
//! and p99 toolkit round trip under a bound, at least [`MIN_ACHIEVED`] of
//! its schedule kept).
//!
//! The scenario's own `duration` and `warmup` do not apply: the run lasts
//! as long as the wall-clock window needs. Arrival profiles keep their
//! intervals in simulated time.
//!
//! One run uses one core. [`LoadSpec::threads`] above 1 splits the centre
//! into that many [`cells`], each a whole run on its own thread, and adds
//! up what they measured.

pub mod cells;
mod hgrm;
mod probe;
pub mod report;

pub use hgrm::percentile_distribution;
pub use probe::{LatencySink, LoadProbes};

use crate::engine::{run_replication, Clock, RunOptions};
use crate::scenario::{ArrivalRate, Scenario};
use crate::time::{SimDuration, SimTime};
use hdrhistogram::Histogram;
use serde::Serialize;
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Highest pace in arrivals per wall second load mode accepts: one
/// arrival per microsecond, the tick simulated time is counted in and the
/// resolution of the schedule's due times; some five times the highest
/// rate one thread has sustained (about 200,000 items a second,
/// docs/BENCHMARKS.md), so `--find-max` still brackets the limit. Beyond
/// it a run cannot keep its schedule at all: it used to run past its
/// window and report nothing.
pub const MAX_RATE: f64 = 1e6;
/// Highest `--speed` \[simulated seconds per wall second\]: beyond it a
/// whole simulated second passes within one wall microsecond, finer than
/// any wall-clock wait the driver can make, so nothing is paced.
pub const MAX_SPEED: f64 = 1e6;
/// Longest `--warmup` or `--duration` of a load run: a day of wall time.
pub const MAX_WALL: Duration = Duration::from_secs(24 * 3600);

/// Share of its schedule a run must keep to count as sustained.
pub const MIN_ACHIEVED: f64 = 0.9;
/// Histograms are recorded in nanoseconds and reported in microseconds.
pub const NS_PER_US: f64 = 1_000.0;

/// How fast simulated time runs.
#[derive(Copy, Clone, Debug, PartialEq)]
pub enum Pace {
    /// Simulated seconds per wall second.
    Speed(f64),
    /// Arrivals per wall second; the speed follows from the scenario's
    /// mean arrival rate.
    Rate(f64),
}

/// One load run's settings.
#[derive(Clone, Debug)]
pub struct LoadSpec {
    /// How fast.
    pub pace: Pace,
    /// Wall-clock time before recording starts.
    pub warmup: Duration,
    /// Wall-clock time recorded.
    pub duration: Duration,
    /// Overrides the scenario's seed.
    pub seed: Option<u64>,
    /// Threads (actix systems) the centre is spread over, each running a
    /// cell of it ([`cells`]); 1 = the whole centre on one.
    pub threads: u32,
}

/// Why a load run cannot start.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum LoadError {
    /// `--rate` needs arrivals to scale.
    #[error("the scenario has no arrivals, so a target rate cannot set its speed; use --speed")]
    NoArrivals,
    /// Speed or rate not a positive number.
    #[error("{0} must be a positive number, got {1}")]
    NotPositive(&'static str, f64),
    /// `--threads` must be at least 1.
    #[error("--threads must be at least 1")]
    NoThreads,
    /// A pace load mode cannot keep ([`MAX_RATE`], [`MAX_SPEED`]).
    #[error(
        "{flag} {} is faster than load mode can pace: at most {} here \
         (1e6 arrivals and 1e6 simulated seconds per wall second)",
        pace_text(*.value),
        pace_text(*.max)
    )]
    TooFast {
        /// `--rate` or `--speed`.
        flag: &'static str,
        /// The value given.
        value: f64,
        /// The highest value of that flag this scenario can be paced at.
        max: f64,
    },
}

/// The scenario's mean arrival rate \[items per simulated second\], all
/// queues together; a profile counts as the mean of its entries.
pub fn offered_rate_per_s(scenario: &Scenario) -> f64 {
    scenario
        .arrivals
        .iter()
        .map(|a| match &a.rate {
            ArrivalRate::Constant(per_hour) => per_hour / 3600.0,
            ArrivalRate::Profile { per_hour: r, .. } => {
                r.iter().sum::<f64>() / r.len().max(1) as f64 / 3600.0
            }
        })
        .sum()
}

/// Simulated seconds per wall second for `pace`.
pub fn speed_of(scenario: &Scenario, pace: Pace) -> Result<f64, LoadError> {
    let base = offered_rate_per_s(scenario);
    // The fastest speed both ceilings allow for this scenario's rate.
    let max_speed = if base > 0.0 {
        MAX_SPEED.min(MAX_RATE / base)
    } else {
        MAX_SPEED
    };
    match pace {
        Pace::Speed(s) if !(s > 0.0 && s.is_finite()) => Err(LoadError::NotPositive("--speed", s)),
        Pace::Speed(s) if s > max_speed => Err(LoadError::TooFast {
            flag: "--speed",
            value: s,
            max: max_speed,
        }),
        Pace::Speed(s) => Ok(s),
        Pace::Rate(r) if !(r > 0.0 && r.is_finite()) => Err(LoadError::NotPositive("--rate", r)),
        Pace::Rate(_) if base <= 0.0 => Err(LoadError::NoArrivals),
        Pace::Rate(r) if r > max_speed * base => Err(LoadError::TooFast {
            flag: "--rate",
            value: r,
            max: max_speed * base,
        }),
        Pace::Rate(r) => Ok(r / base),
    }
}

/// A pace for a message: `25000`, `1e12`, `333333.3`.
pub fn pace_text(x: f64) -> String {
    if x >= 1e6 {
        format!("{x:e}")
    } else {
        format!("{}", (x * 10.0).floor() / 10.0)
    }
}

/// The highest `--rate` [`speed_of`] accepts for `scenario`: [`MAX_RATE`],
/// or less when [`MAX_SPEED`] binds first (a scenario with few arrivals).
pub fn max_rate(scenario: &Scenario) -> f64 {
    let base = offered_rate_per_s(scenario);
    MAX_RATE.min(MAX_SPEED * base)
}

/// Percentiles of one histogram, in microseconds.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Percentiles {
    /// Values recorded.
    pub count: u64,
    /// Mean.
    pub mean_us: f64,
    /// Median.
    pub p50_us: f64,
    /// 90th percentile.
    pub p90_us: f64,
    /// 99th percentile.
    pub p99_us: f64,
    /// 99.9th percentile.
    pub p99_9_us: f64,
    /// Largest value.
    pub max_us: f64,
}

impl Percentiles {
    /// Summarises a nanosecond histogram.
    pub fn of(h: &Histogram<u64>) -> Percentiles {
        let us = |ns: u64| {
            if h.is_empty() {
                0.0
            } else {
                ns as f64 / NS_PER_US
            }
        };
        Percentiles {
            count: h.len(),
            mean_us: if h.is_empty() {
                0.0
            } else {
                h.mean() / NS_PER_US
            },
            p50_us: us(h.value_at_quantile(0.5)),
            p90_us: us(h.value_at_quantile(0.9)),
            p99_us: us(h.value_at_quantile(0.99)),
            p99_9_us: us(h.value_at_quantile(0.999)),
            max_us: us(h.max()),
        }
    }
}

/// The four histograms of a run.
#[derive(Clone, Debug)]
pub struct Histograms {
    /// Push → accept.
    pub push_accept: Histogram<u64>,
    /// Toolkit round trip.
    pub toolkit_rtt: Histogram<u64>,
    /// Routing decision.
    pub routing_decision: Histogram<u64>,
    /// Schedule lag.
    pub schedule_lag: Histogram<u64>,
}

impl Histograms {
    /// Adds another run's histograms (another cell's) to these.
    fn add(&mut self, other: &Histograms) {
        for (to, from) in [
            (&mut self.push_accept, &other.push_accept),
            (&mut self.toolkit_rtt, &other.toolkit_rtt),
            (&mut self.routing_decision, &other.routing_decision),
            (&mut self.schedule_lag, &other.schedule_lag),
        ] {
            to.add(from).expect("cells record with the same bounds");
        }
    }

    /// Push → accept, toolkit round trip, routing decision and schedule
    /// lag summarised, in that order.
    fn percentiles(&self) -> [Percentiles; 4] {
        [
            Percentiles::of(&self.push_accept),
            Percentiles::of(&self.toolkit_rtt),
            Percentiles::of(&self.routing_decision),
            Percentiles::of(&self.schedule_lag),
        ]
    }

    /// File stem and histogram, in report order.
    pub fn named(&self) -> [(&'static str, &Histogram<u64>); 4] {
        [
            ("push_accept", &self.push_accept),
            ("toolkit_rtt", &self.toolkit_rtt),
            ("routing_decision", &self.routing_decision),
            ("schedule_lag", &self.schedule_lag),
        ]
    }
}

/// What one load run measured.
#[derive(Clone, Debug, Serialize)]
pub struct LoadRun {
    /// Threads the centre was spread over, one cell each.
    pub threads: u32,
    /// Simulated seconds per wall second.
    pub speed: f64,
    /// Arrivals per wall second the pace asks for.
    pub target_items_per_s: f64,
    /// Items that arrived per wall second of the window.
    pub achieved_items_per_s: f64,
    /// Toolkit calls per wall second of the window.
    pub toolkit_calls_per_s: f64,
    /// Events per wall second of the window.
    pub events_per_s: f64,
    /// AgentWork closed per wall second of the window.
    pub closed_per_s: f64,
    /// Wall seconds recorded.
    pub window_s: f64,
    /// Simulated time covered in the window over the time the pace
    /// planned for it: 1 when the run kept its schedule, 0.5 when it took
    /// twice as long. Unlike the achieved rate it has no sampling noise.
    pub schedule_kept: f64,
    /// Items that arrived in the window.
    pub items: u64,
    /// Toolkit calls in the window.
    pub toolkit_calls: u64,
    /// Push → accept latency.
    pub push_accept: Percentiles,
    /// Toolkit call round trip.
    pub toolkit_rtt: Percentiles,
    /// Routing decision (one `next_push` call).
    pub routing_decision: Percentiles,
    /// How late entries ran against the schedule.
    pub schedule_lag: Percentiles,
    /// Largest lag of the whole run, warm-up included \[ms\].
    pub max_lag_ms: f64,
    /// Stopped early (Ctrl-C, or the watchdog because it fell behind).
    pub interrupted: bool,
    /// Sustained under the bound it was judged by (see [`LoadRun::judge`]).
    pub sustained: bool,
    #[serde(skip)]
    /// The histograms themselves, for the `.hgrm` files.
    pub histograms: Histograms,
}

impl LoadRun {
    /// Whether the run kept up: at least [`MIN_ACHIEVED`] of its schedule
    /// kept, p99 schedule lag and p99 toolkit round trip within `bound`,
    /// not stopped early.
    pub fn judge(&mut self, bound: Duration) {
        let b = bound.as_secs_f64() * 1e6;
        self.sustained = !self.interrupted
            && self.schedule_kept >= MIN_ACHIEVED
            && self.schedule_lag.p99_us <= b
            && self.toolkit_rtt.p99_us <= b;
    }
}

/// Runs `scenario` on the wall clock as `spec` says, spread over
/// `spec.threads` threads. `user_stop` (Ctrl-C) ends it early; what was
/// measured so far is returned, marked interrupted.
pub fn run_load(
    scenario: &Scenario,
    spec: &LoadSpec,
    user_stop: &Arc<AtomicBool>,
) -> Result<LoadRun, LoadError> {
    let speed = speed_of(scenario, spec.pace)?;
    let n = spec.threads;
    if n == 0 {
        return Err(LoadError::NoThreads);
    }
    if n == 1 {
        return Ok(run_cell(scenario, speed, spec, 0, user_stop));
    }
    // Every cell runs at the whole centre's speed: its arrival rates are
    // already 1/n of the centre's.
    let runs: Vec<LoadRun> = std::thread::scope(|scope| {
        let cells: Vec<_> = (0..n)
            .map(|k| {
                let cell = cells::cell(scenario, k, n);
                scope.spawn(move || run_cell(&cell, speed, spec, k, user_stop))
            })
            .collect();
        cells
            .into_iter()
            .map(|c| c.join().expect("a load cell's thread panicked"))
            .collect()
    });
    Ok(LoadRun::combine(runs))
}

impl LoadRun {
    /// One run of the cells together: counts and rates summed, histograms
    /// added, the schedule as kept as its worst cell.
    fn combine(runs: Vec<LoadRun>) -> LoadRun {
        let mut runs = runs.into_iter();
        let mut all = runs.next().expect("at least one cell");
        let cells = 1 + runs.len() as u32;
        let mut window_sum = all.window_s;
        for r in runs {
            all.target_items_per_s += r.target_items_per_s;
            all.achieved_items_per_s += r.achieved_items_per_s;
            all.toolkit_calls_per_s += r.toolkit_calls_per_s;
            all.events_per_s += r.events_per_s;
            all.closed_per_s += r.closed_per_s;
            window_sum += r.window_s;
            all.schedule_kept = all.schedule_kept.min(r.schedule_kept);
            all.items += r.items;
            all.toolkit_calls += r.toolkit_calls;
            all.max_lag_ms = all.max_lag_ms.max(r.max_lag_ms);
            all.interrupted |= r.interrupted;
            all.histograms.add(&r.histograms);
        }
        all.threads = cells;
        all.window_s = window_sum / f64::from(cells);
        [
            all.push_accept,
            all.toolkit_rtt,
            all.routing_decision,
            all.schedule_lag,
        ] = all.histograms.percentiles();
        all
    }
}

/// One cell (or the whole centre) on the calling thread, with the random
/// streams of replication `cell`.
fn run_cell(
    scenario: &Scenario,
    speed: f64,
    spec: &LoadSpec,
    cell: u32,
    user_stop: &Arc<AtomicBool>,
) -> LoadRun {
    let target = offered_rate_per_s(scenario) * speed;
    let sim_secs = |d: Duration| SimDuration::from_secs_f64(d.as_secs_f64() * speed);
    let mut s = scenario.clone();
    s.simulation.warmup = SimDuration::ZERO;
    s.simulation.duration = sim_secs(spec.warmup + spec.duration).max(SimDuration(1));
    if let Some(seed) = spec.seed {
        s.simulation.seed = seed;
    }
    let probes = Rc::new(LoadProbes::recording_from(
        SimTime::ZERO + sim_secs(spec.warmup),
    ));
    let mut sink = LatencySink::new(probes.clone());

    let halt = Arc::new(AtomicBool::new(false));
    let done = Arc::new(AtomicBool::new(false));
    let limit = 2 * (spec.warmup + spec.duration) + Duration::from_secs(1);
    let watchdog = {
        let (halt, done, user_stop) = (halt.clone(), done.clone(), user_stop.clone());
        std::thread::spawn(move || {
            let start = Instant::now();
            while !done.load(Ordering::Relaxed) {
                if user_stop.load(Ordering::Relaxed) || start.elapsed() > limit {
                    halt.store(true, Ordering::Relaxed);
                    return;
                }
                std::thread::sleep(Duration::from_millis(5));
            }
        })
    };
    let outcome = run_replication(
        Arc::new(s),
        &mut [&mut sink],
        RunOptions {
            replication: cell,
            clock: Some(Clock::Wall { speed }),
            stop: Some(halt),
            instruments: Some(probes.clone() as Rc<dyn crate::engine::Instruments>),
            ..RunOptions::default()
        },
    );
    done.store(true, Ordering::Relaxed);
    let _ = watchdog.join();

    let (window_s, simulated_s) = sink.ended().zip(probes.started()).map_or(
        (0.0, 0.0),
        |((wall_end, sim_end), wall_start)| {
            (
                wall_end.duration_since(wall_start).as_secs_f64(),
                sim_end.since(probes.record_from()).as_secs_f64(),
            )
        },
    );
    let per_s = |n: u64| {
        if window_s > 0.0 {
            n as f64 / window_s
        } else {
            0.0
        }
    };
    let histograms = Histograms {
        push_accept: sink.push_accept.clone(),
        toolkit_rtt: probes.toolkit_rtt.borrow().clone(),
        routing_decision: probes.routing_decision.borrow().clone(),
        schedule_lag: probes.schedule_lag.borrow().clone(),
    };
    let toolkit_calls = histograms.toolkit_rtt.len();
    let [push_accept, toolkit_rtt, routing_decision, schedule_lag] = histograms.percentiles();
    LoadRun {
        threads: 1,
        speed,
        target_items_per_s: target,
        achieved_items_per_s: per_s(sink.arrived),
        toolkit_calls_per_s: per_s(toolkit_calls),
        events_per_s: per_s(sink.events),
        closed_per_s: per_s(sink.closed),
        window_s,
        schedule_kept: if window_s > 0.0 {
            simulated_s / speed / window_s
        } else {
            0.0
        },
        items: sink.arrived,
        toolkit_calls,
        push_accept,
        toolkit_rtt,
        routing_decision,
        schedule_lag,
        max_lag_ms: outcome.max_lag.as_secs_f64() * 1e3,
        interrupted: outcome.interrupted,
        sustained: false,
        histograms,
    }
}

/// How [`find_max`] ramps.
#[derive(Clone, Debug)]
pub struct Ramp {
    /// First rate tried \[items per wall second\].
    pub start_rate: f64,
    /// p99 bound of schedule lag and toolkit round trip.
    pub bound: Duration,
    /// Doublings (or halvings, if the start fails) before giving up.
    pub max_doublings: u32,
    /// Bisection steps between the last sustained and first failed rate.
    pub refine: u32,
}

/// The ramp's steps and the highest sustained one.
#[derive(Clone, Debug, Serialize)]
pub struct RampResult {
    /// Every run, in the order made.
    pub steps: Vec<LoadRun>,
    /// Index into `steps` of the highest sustained rate, if any was.
    pub best: Option<usize>,
    /// The bound runs were judged by \[µs\].
    pub bound_us: f64,
    /// Stopped by Ctrl-C.
    pub interrupted: bool,
}

impl RampResult {
    /// The highest sustained run.
    pub fn best_run(&self) -> Option<&LoadRun> {
        self.best.map(|i| &self.steps[i])
    }
}

/// Finds the highest sustained arrival rate: doubles from
/// `ramp.start_rate` until a run fails (halving instead if the first one
/// fails), then bisects. Each step is a fresh run of `spec`'s warm-up and
/// duration; `on_step` sees each as it finishes.
pub fn find_max(
    scenario: &Scenario,
    spec: &LoadSpec,
    ramp: &Ramp,
    user_stop: &Arc<AtomicBool>,
    on_step: &mut dyn FnMut(&LoadRun),
) -> Result<RampResult, LoadError> {
    let mut result = RampResult {
        steps: Vec::new(),
        best: None,
        bound_us: ramp.bound.as_secs_f64() * 1e6,
        interrupted: false,
    };
    let mut step = |rate: f64, result: &mut RampResult| -> Result<Option<bool>, LoadError> {
        let spec = LoadSpec {
            pace: Pace::Rate(rate),
            ..spec.clone()
        };
        let mut run = run_load(scenario, &spec, user_stop)?;
        run.judge(ramp.bound);
        on_step(&run);
        let ok = run.sustained;
        result.steps.push(run);
        if user_stop.load(Ordering::Relaxed) {
            result.interrupted = true;
            return Ok(None);
        }
        if ok {
            let better = result
                .best_run()
                .is_none_or(|b| b.target_items_per_s < rate);
            if better {
                result.best = Some(result.steps.len() - 1);
            }
        }
        Ok(Some(ok))
    };

    let (mut good, mut bad) = (None::<f64>, None::<f64>);
    // The ramp stops doubling at the highest pace load mode can keep.
    let ceiling = max_rate(scenario);
    let mut rate = ramp.start_rate;
    for _ in 0..=ramp.max_doublings {
        match step(rate, &mut result)? {
            None => return Ok(result),
            Some(true) => {
                good = Some(rate);
                if bad.is_some() || rate >= ceiling {
                    break;
                }
                rate = (rate * 2.0).min(ceiling);
            }
            Some(false) => {
                bad = Some(rate);
                if good.is_some() {
                    break;
                }
                rate /= 2.0;
            }
        }
    }
    if let (Some(mut lo), Some(mut hi)) = (good, bad) {
        for _ in 0..ramp.refine {
            let mid = (lo + hi) / 2.0;
            match step(mid, &mut result)? {
                None => return Ok(result),
                Some(true) => lo = mid,
                Some(false) => hi = mid,
            }
        }
    }
    Ok(result)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scenario() -> Scenario {
        Scenario::from_path("../scenarios/quickstart.toml".as_ref()).unwrap()
    }

    #[test]
    fn a_rate_sets_the_speed_from_the_mean_arrival_rate() {
        let s = scenario();
        let base = offered_rate_per_s(&s);
        assert!(base > 0.0);
        let speed = speed_of(&s, Pace::Rate(100.0)).unwrap();
        assert!((speed * base - 100.0).abs() < 1e-9);
        assert_eq!(speed_of(&s, Pace::Speed(60.0)).unwrap(), 60.0);
        assert_eq!(
            speed_of(&s, Pace::Speed(0.0)),
            Err(LoadError::NotPositive("--speed", 0.0))
        );
        assert!(speed_of(&s, Pace::Rate(f64::NAN)).is_err());
        // Paces beyond the ceilings are refused with the highest one.
        match speed_of(&s, Pace::Rate(1e12)) {
            Err(LoadError::TooFast { flag, max, .. }) => {
                assert_eq!(flag, "--rate");
                assert_eq!(max, max_rate(&s));
            }
            other => panic!("{other:?}"),
        }
        assert!(speed_of(&s, Pace::Rate(max_rate(&s))).is_ok());
        assert!(matches!(
            speed_of(&s, Pace::Speed(1e300)),
            Err(LoadError::TooFast {
                flag: "--speed",
                ..
            })
        ));
        assert!(speed_of(
            &s,
            Pace::Speed(MAX_SPEED.min(MAX_RATE / offered_rate_per_s(&s)))
        )
        .is_ok());
        let mut none = s.clone();
        none.arrivals.clear();
        assert_eq!(speed_of(&none, Pace::Rate(5.0)), Err(LoadError::NoArrivals));
    }

    #[test]
    fn judging_needs_the_rate_and_both_p99s_within_the_bound() {
        let s = scenario();
        let spec = LoadSpec {
            pace: Pace::Rate(200.0),
            warmup: Duration::from_millis(100),
            duration: Duration::from_millis(400),
            seed: None,
            threads: 1,
        };
        let mut run = run_load(&s, &spec, &Arc::new(AtomicBool::new(false))).unwrap();
        assert!(!run.interrupted);
        assert!(run.items > 0 && run.toolkit_calls > 0);
        assert!(run.window_s > 0.3 && run.window_s < 1.0, "{}", run.window_s);
        run.judge(Duration::from_secs(1));
        assert!(run.sustained, "{run:?}");
        assert!((run.schedule_kept - 1.0).abs() < 0.05, "{run:?}");
        run.schedule_kept = 0.5;
        run.judge(Duration::from_secs(1));
        assert!(!run.sustained);
        run.schedule_kept = 1.0;
        run.judge(Duration::from_nanos(1));
        assert!(!run.sustained);
    }
}
