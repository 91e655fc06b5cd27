//! Pacing: how simulated time relates to the wall clock.
//!
//! The calendar decides *what* happens next; the clock only decides how
//! long to wait before it does. [`Clock::Virtual`] never waits (an 8-hour
//! day takes as long as its events take to process); [`Clock::Wall`] waits
//! until the wall clock catches up, scaled by a speed factor, so the same
//! actors can be measured under real-time load.

use crate::time::SimTime;
use std::time::Duration;

/// How a run is paced.
#[derive(Copy, Clone, Debug, PartialEq)]
pub enum Clock {
    /// Jump from event to event.
    Virtual,
    /// Follow the wall clock; `speed` simulated seconds per wall second.
    Wall {
        /// Simulated seconds per wall-clock second (60 = an hour a minute).
        speed: f64,
    },
}

/// A clock started at the beginning of a run.
#[derive(Debug)]
pub(crate) struct Pacer {
    clock: Clock,
    start: tokio::time::Instant,
}

impl Pacer {
    pub(crate) fn start(clock: Clock) -> Pacer {
        Pacer {
            clock,
            start: tokio::time::Instant::now(),
        }
    }

    /// Waits until simulated time `t` is due.
    pub(crate) async fn wait_until(&self, t: SimTime) {
        if let Clock::Wall { speed } = self.clock {
            let due = self.start + Duration::from_secs_f64(t.as_secs_f64() / speed.max(1e-9));
            if due > tokio::time::Instant::now() {
                tokio::time::sleep_until(due).await;
            }
        }
    }

    /// How far the wall clock is behind the schedule at simulated time `t`.
    pub(crate) fn lag(&self, t: SimTime) -> Duration {
        match self.clock {
            Clock::Virtual => Duration::ZERO,
            Clock::Wall { speed } => {
                let due = self.start + Duration::from_secs_f64(t.as_secs_f64() / speed.max(1e-9));
                tokio::time::Instant::now().saturating_duration_since(due)
            }
        }
    }
}
