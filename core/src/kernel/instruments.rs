//! What the engine asks of wall-clock instruments: the one seam through
//! which a tool (the load run's latency histograms) watches the actors
//! without the engine knowing the tool.
//!
//! The engine times three things and hands each duration to the run's
//! [`Instruments`], if it has any: a toolkit call's round trip, one
//! routing decision, and how late each calendar entry ran. A run without
//! instruments (every `omnisim run`) pays one `Option` check per probe
//! point and reads no clock; a run with them reads the clock only while
//! [`Instruments::recording`] says so (not during a warm-up).

use crate::time::SimTime;
use std::rc::Rc;
use std::time::{Duration, Instant};

/// A point of the engine that is timed on the wall clock.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum Probe {
    /// Round trip of one toolkit call, from the caller's `send` to the
    /// reply (the promise resolving), measured by `OmniToolkit`.
    ToolkitCall,
    /// One call of the pure routing decision (`routing::next_push`),
    /// measured by the router; includes the final "nobody can take
    /// anything" call of each routing pass.
    RoutingDecision,
    /// How late a calendar entry ran against its wall-clock due time,
    /// measured by the driver of a wall-clock run.
    ScheduleLag,
}

/// Receives the engine's wall-clock measurements.
///
/// All actors of a run live on one thread, so implementations take `&self`
/// and keep their state in `Cell`s and `RefCell`s.
pub trait Instruments: std::fmt::Debug {
    /// Whether a measurement taken now would be kept. While false (a
    /// warm-up) the engine does not read the clock at all.
    fn recording(&self) -> bool;

    /// The driver is about to deliver the entry due at simulated time
    /// `due`; instruments that start recording at some simulated time
    /// start here.
    fn entry_due(&self, due: SimTime);

    /// One measurement of `probe`.
    fn record(&self, probe: Probe, elapsed: Duration);
}

/// The run's instruments, if any, as every actor holds them.
pub(crate) type Instrumentation = Option<Rc<dyn Instruments>>;

/// Starts timing one measurement: the current instant when `instruments`
/// are set and recording, else `None` (and no clock read).
#[inline]
pub(crate) fn start(instruments: &Instrumentation) -> Option<Instant> {
    match instruments {
        Some(i) if i.recording() => Some(Instant::now()),
        _ => None,
    }
}

/// Ends a measurement begun with [`start`]: records the time since `start`
/// as `probe`. Nothing happens when `start` is `None`.
#[inline]
pub(crate) fn finish(instruments: &Instrumentation, probe: Probe, start: Option<Instant>) {
    if let (Some(i), Some(s)) = (instruments, start) {
        i.record(probe, s.elapsed());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::{Cell, RefCell};

    #[derive(Debug, Default)]
    struct Log {
        on: Cell<bool>,
        seen: RefCell<Vec<Probe>>,
    }

    impl Instruments for Log {
        fn recording(&self) -> bool {
            self.on.get()
        }
        fn entry_due(&self, _due: SimTime) {}
        fn record(&self, probe: Probe, _elapsed: Duration) {
            self.seen.borrow_mut().push(probe);
        }
    }

    #[test]
    fn nothing_is_timed_without_instruments_or_while_not_recording() {
        assert!(start(&None).is_none());
        let log = Rc::new(Log::default());
        let set: Instrumentation = Some(log.clone());
        let s = start(&set);
        assert!(s.is_none());
        finish(&set, Probe::ToolkitCall, s);
        assert!(log.seen.borrow().is_empty());
        log.on.set(true);
        let s = start(&set);
        assert!(s.is_some());
        finish(&set, Probe::RoutingDecision, s);
        assert_eq!(*log.seen.borrow(), vec![Probe::RoutingDecision]);
    }
}
