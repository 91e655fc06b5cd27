//! Pacing: how simulated time relates to the wall clock.
//!
//! The calendar decides *what* happens next; the clock only decides how
//! long to wait before it does. [`Clock::Virtual`] never waits (an 8-hour
//! day takes as long as its events take to process); [`Clock::Wall`] waits
//! until the wall clock catches up, scaled by a speed factor, so the same
//! actors can be measured under real-time load.

use crate::time::SimTime;
use std::time::{Duration, Instant};

/// How long before its due time an entry stops sleeping and spins: a
/// thread sleep on Linux overshoots by some 100 µs (p99 under 200 µs on
/// this machine), so the last half millisecond is spun.
const SPIN: Duration = Duration::from_micros(500);
/// Longest single sleep, so a stop request is seen promptly.
const SLICE: Duration = Duration::from_millis(50);

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

/// A clock started at the beginning of a run: when each simulated instant
/// is due on the wall clock.
#[derive(Debug)]
pub struct Pacer {
    clock: Clock,
    start: Instant,
}

impl Pacer {
    /// Starts pacing now: simulated time zero is due at once.
    pub fn start(clock: Clock) -> Pacer {
        Pacer {
            clock,
            start: Instant::now(),
        }
    }

    /// Waits until simulated time `t` is due; false if `stopped` became
    /// true meanwhile.
    ///
    /// The wait blocks the thread: nothing else needs it meanwhile, since
    /// every actor is idle until the driver delivers, and a blocking wait
    /// needs no timer driver, so a paced run is polled like a virtual one
    /// (see the engine's `poll_until_done`). Long waits sleep (in slices,
    /// so a stop is noticed within [`SLICE`]) until [`SPIN`] before the
    /// due time; the rest is spun, which keeps each entry within
    /// microseconds of its schedule.
    pub(crate) fn wait_until(&self, t: SimTime, stopped: &dyn Fn() -> bool) -> bool {
        let Some(due) = self.due(t) else {
            return true;
        };
        loop {
            let now = Instant::now();
            if now >= due {
                return true;
            }
            if stopped() {
                return false;
            }
            let left = due - now;
            if left > SPIN {
                std::thread::sleep((left - SPIN).min(SLICE));
            } else {
                std::hint::spin_loop();
            }
        }
    }

    /// The wall-clock instant simulated time `t` is due; `None` on the
    /// virtual clock, where nothing waits.
    pub fn due(&self, t: SimTime) -> Option<Instant> {
        match self.clock {
            Clock::Virtual => None,
            Clock::Wall { speed } => {
                Some(self.start + Duration::from_secs_f64(t.as_secs_f64() / speed.max(1e-9)))
            }
        }
    }

    /// The simulated time the wall clock has reached (zero on the virtual
    /// clock): what an outside request arriving now is stamped with.
    pub fn reached(&self) -> SimTime {
        match self.clock {
            Clock::Virtual => SimTime::ZERO,
            Clock::Wall { speed } => {
                let wall = self.start.elapsed().as_secs_f64() * speed.max(1e-9);
                SimTime::ZERO + crate::time::SimDuration::from_secs_f64(wall)
            }
        }
    }

    /// How far the wall clock is behind the schedule at simulated time `t`.
    pub(crate) fn lag(&self, t: SimTime) -> Duration {
        self.due(t).map_or(Duration::ZERO, |due| {
            Instant::now().saturating_duration_since(due)
        })
    }
}
