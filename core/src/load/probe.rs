//! The latency probes of a load run: wall-clock histograms that the router,
//! the toolkit and the driver record into while the run is paced by the
//! wall clock. [`LoadProbes`] is the engine's [`Instruments`]: the engine
//! names the probe points, this module keeps their histograms.
//!
//! A virtual-time run has no instruments (the engine checks an `Option`
//! and reads no clock), so `omnisim run` pays nothing for them. All actors
//! of a run live on one thread, so plain `RefCell`s suffice.

use crate::engine::{Instruments, Probe};
use crate::events::{EventKind, EventSink, SimEvent};
use crate::omni::AgentWorkId;
use crate::time::SimTime;
use hdrhistogram::Histogram;
use rustc_hash::FxHashMap;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::{Duration, Instant};

/// Largest latency a histogram tracks: one minute, in nanoseconds. Longer
/// values are clamped to it (and would be a run far behind schedule).
const HIGHEST_NS: u64 = 60_000_000_000;
/// Significant decimal digits kept: 0.1% value resolution.
const SIGFIG: u8 = 3;

/// A nanosecond histogram with the bounds every probe uses.
pub(crate) fn new_histogram() -> Histogram<u64> {
    Histogram::new_with_bounds(1, HIGHEST_NS, SIGFIG)
        .expect("constant bounds are valid for hdrhistogram")
}

/// What is measured, by whom.
#[derive(Debug)]
pub struct LoadProbes {
    /// Round trip of one toolkit call, from the caller's `send` to the
    /// reply (the promise resolving), recorded by `OmniToolkit`.
    pub toolkit_rtt: RefCell<Histogram<u64>>,
    /// One call of the pure routing decision (`routing::next_push`),
    /// recorded by the router; includes the final "nobody can take
    /// anything" call of each routing pass.
    pub routing_decision: RefCell<Histogram<u64>>,
    /// How late each calendar entry ran against its wall-clock due time,
    /// recorded by the driver.
    pub schedule_lag: RefCell<Histogram<u64>>,
    record_from: SimTime,
    /// Wall-clock instant recording started; `None` during the warm-up.
    started: Cell<Option<Instant>>,
}

impl LoadProbes {
    /// Probes that start recording at simulated time `from` (the end of
    /// the load run's warm-up).
    pub fn recording_from(from: SimTime) -> LoadProbes {
        LoadProbes {
            toolkit_rtt: RefCell::new(new_histogram()),
            routing_decision: RefCell::new(new_histogram()),
            schedule_lag: RefCell::new(new_histogram()),
            record_from: from,
            started: Cell::new(None),
        }
    }

    /// Whether values are being kept (false during the warm-up).
    pub fn recording(&self) -> bool {
        self.started.get().is_some()
    }

    /// Simulated time at which recording starts.
    pub fn record_from(&self) -> SimTime {
        self.record_from
    }

    /// Starts keeping values; the driver calls it at the first entry at or
    /// after [`LoadProbes::record_from`].
    pub fn start_recording(&self) {
        self.started.set(Some(Instant::now()));
    }

    /// Wall-clock instant recording started, if it has.
    pub fn started(&self) -> Option<Instant> {
        self.started.get()
    }

    /// The histogram of one probe point.
    pub fn histogram(&self, probe: Probe) -> &RefCell<Histogram<u64>> {
        match probe {
            Probe::ToolkitCall => &self.toolkit_rtt,
            Probe::RoutingDecision => &self.routing_decision,
            Probe::ScheduleLag => &self.schedule_lag,
        }
    }
}

impl Instruments for LoadProbes {
    fn recording(&self) -> bool {
        LoadProbes::recording(self)
    }

    /// Recording starts with the first entry at or after
    /// [`LoadProbes::record_from`].
    fn entry_due(&self, due: SimTime) {
        if !LoadProbes::recording(self) && due >= self.record_from {
            self.start_recording();
        }
    }

    /// Kept only while recording, so a measurement begun in the warm-up
    /// never lands in a histogram.
    fn record(&self, probe: Probe, elapsed: Duration) {
        if LoadProbes::recording(self) {
            record(&mut self.histogram(probe).borrow_mut(), elapsed);
        }
    }
}

/// Records a duration in nanoseconds, clamped to the histogram's range
/// (zero is kept as the lowest bucket).
pub(crate) fn record(h: &mut Histogram<u64>, d: Duration) {
    let ns = u64::try_from(d.as_nanos()).unwrap_or(u64::MAX);
    h.saturating_record(ns.clamp(1, HIGHEST_NS));
}

/// An event sink that measures push → accept on the wall clock and counts
/// the work that flowed while recording.
///
/// The push is stamped when its `WorkAssigned` event reaches the sinks and
/// the accept when its `WorkAccepted` does, so the figure covers the agent
/// actor's push handling, the console event reaching the behaviour, the
/// behaviour's (scaled) response time and the `acceptAgentWork` round
/// trip. Under auto-accept both events come from one handler and the
/// latency is near zero.
#[derive(Debug)]
pub struct LatencySink {
    /// Push → accept latency.
    pub push_accept: Histogram<u64>,
    /// Items that arrived while recording.
    pub arrived: u64,
    /// AgentWork closed while recording.
    pub closed: u64,
    /// Events seen while recording.
    pub events: u64,
    pushed_at: FxHashMap<AgentWorkId, Instant>,
    probes: Rc<LoadProbes>,
    ended: Option<(Instant, SimTime)>,
}

impl LatencySink {
    /// A sink that counts from when `probes` start recording. Pushes made
    /// before are not timed, so every latency lies wholly in the window.
    pub fn new(probes: Rc<LoadProbes>) -> LatencySink {
        LatencySink {
            push_accept: new_histogram(),
            arrived: 0,
            closed: 0,
            events: 0,
            pushed_at: FxHashMap::default(),
            probes,
            ended: None,
        }
    }

    /// Wall-clock instant and simulated time the run ended, once it has.
    pub fn ended(&self) -> Option<(Instant, SimTime)> {
        self.ended
    }
}

impl EventSink for LatencySink {
    fn on_event(&mut self, event: &SimEvent) {
        if !self.probes.recording() {
            return;
        }
        self.events += 1;
        match &event.kind {
            EventKind::WorkArrived { .. } => self.arrived += 1,
            EventKind::WorkAssigned { work, .. } => {
                self.pushed_at.insert(*work, Instant::now());
            }
            EventKind::WorkAccepted { work, .. } => {
                if let Some(t) = self.pushed_at.remove(work) {
                    record(&mut self.push_accept, t.elapsed());
                }
            }
            EventKind::WorkDeclined { work, .. } | EventKind::WorkUnavailable { work, .. } => {
                self.pushed_at.remove(work);
            }
            EventKind::WorkClosed { .. } => self.closed += 1,
            _ => {}
        }
    }

    fn finish(&mut self, end: SimTime) {
        self.ended = Some((Instant::now(), end));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_is_kept_before_recording_starts() {
        let p = LoadProbes::recording_from(SimTime(10));
        p.entry_due(SimTime(9));
        assert!(!Instruments::recording(&p));
        p.record(Probe::ToolkitCall, Duration::from_micros(5));
        p.record(Probe::ScheduleLag, Duration::from_millis(3));
        assert_eq!(p.toolkit_rtt.borrow().len(), 0);
        assert_eq!(p.schedule_lag.borrow().len(), 0);
        p.entry_due(SimTime(10));
        assert!(Instruments::recording(&p));
        p.record(Probe::ToolkitCall, Duration::from_micros(5));
        p.record(Probe::ScheduleLag, Duration::from_millis(3));
        p.record(Probe::RoutingDecision, Duration::from_nanos(700));
        assert_eq!(p.toolkit_rtt.borrow().len(), 1);
        assert_eq!(p.routing_decision.borrow().len(), 1);
        assert!(p.schedule_lag.borrow().max() >= 2_990_000);
    }

    #[test]
    fn values_outside_the_range_are_clamped_not_lost() {
        let mut h = new_histogram();
        record(&mut h, Duration::ZERO);
        record(&mut h, Duration::from_secs(3_600));
        assert_eq!(h.len(), 2);
        assert!(h.max() >= HIGHEST_NS - HIGHEST_NS / 1000);
    }
}
