//! The measured window and exact time integrals of step functions.
//!
//! Occupancy and time online are integrals of piecewise-constant values
//! (capacity online, load) over the window. They are kept as integers
//! (capacity thousandths × microseconds, in `u128`) so the result does not
//! depend on the order of additions and replays byte for byte; only the
//! final ratio is a float.

use crate::scenario::Scenario;
use crate::time::SimTime;

/// `[start, end)` split into reporting intervals of `interval` µs (the last
/// one possibly shorter).
#[derive(Clone, Debug)]
pub(crate) struct Window {
    pub(crate) start: SimTime,
    pub(crate) end: SimTime,
    interval: u64,
    count: usize,
}

impl Window {
    pub(crate) fn new(start: SimTime, end: SimTime, interval: u64) -> Window {
        let len = end.0.saturating_sub(start.0);
        // A zero interval would mean infinitely many; validation should
        // prevent it, but one interval covering the window is the sane
        // reading if it slips through.
        let interval = if interval == 0 { len.max(1) } else { interval };
        let count = len.div_ceil(interval) as usize;
        Window {
            start,
            end,
            interval,
            count,
        }
    }

    pub(crate) fn of(scenario: &Scenario) -> Window {
        let s = &scenario.simulation;
        let start = SimTime::ZERO + s.warmup;
        Window::new(start, start + s.duration, s.interval.0)
    }

    /// Number of reporting intervals.
    pub(crate) fn intervals(&self) -> usize {
        self.count
    }

    pub(crate) fn contains(&self, t: SimTime) -> bool {
        self.start <= t && t < self.end
    }

    /// The interval holding `t`; `None` outside the window.
    pub(crate) fn interval_of(&self, t: SimTime) -> Option<usize> {
        self.contains(t)
            .then(|| ((t.0 - self.start.0) / self.interval) as usize)
    }

    /// `[start, end)` of interval `i`.
    pub(crate) fn bounds(&self, i: usize) -> (SimTime, SimTime) {
        let a = self.start.0 + i as u64 * self.interval;
        (SimTime(a), SimTime((a + self.interval).min(self.end.0)))
    }

    /// Calls `f(interval, µs)` for each interval overlapping `[a, b)`
    /// clipped to the window.
    fn for_each_overlap(&self, a: SimTime, b: SimTime, mut f: impl FnMut(usize, u64)) {
        let a = a.max(self.start);
        let b = b.min(self.end);
        if a >= b {
            return;
        }
        let mut i = ((a.0 - self.start.0) / self.interval) as usize;
        let mut from = a;
        while from < b {
            let (_, iend) = self.bounds(i);
            let to = iend.min(b);
            f(i, to.0 - from.0);
            from = to;
            i += 1;
        }
    }

    /// Length of `[a, b)` inside the window \[µs\].
    fn overlap(&self, a: SimTime, b: SimTime) -> u64 {
        b.min(self.end).0.saturating_sub(a.max(self.start).0)
    }
}

/// ∫ value dt over the window of a value that changes in steps.
#[derive(Clone, Debug)]
pub(crate) struct StepIntegral {
    value: u64,
    since: SimTime,
    total: u128,
    /// Per reporting interval; empty when the breakdown is not wanted
    /// (per-agent figures), which keeps accrual O(1) for them.
    per_interval: Vec<u128>,
    /// `[start, end)` and index of the reporting interval holding
    /// `since` (empty when `since` is outside the window): most steps
    /// fall within one interval, and then accrual needs no division.
    span: (SimTime, SimTime, usize),
}

/// No interval: `since` is outside the window.
const NO_SPAN: (SimTime, SimTime, usize) = (SimTime::NEVER, SimTime::ZERO, 0);

impl StepIntegral {
    /// Starts at zero with no interval breakdown.
    pub(crate) fn new() -> StepIntegral {
        StepIntegral {
            value: 0,
            since: SimTime::ZERO,
            total: 0,
            per_interval: Vec::new(),
            span: NO_SPAN,
        }
    }

    /// Starts at zero with a breakdown by reporting interval.
    pub(crate) fn with_intervals(window: &Window) -> StepIntegral {
        StepIntegral {
            per_interval: vec![0; window.intervals()],
            ..StepIntegral::new()
        }
    }

    /// Adds the current value over `[since, t)`. Out-of-order instants are
    /// ignored rather than integrated backwards.
    pub(crate) fn accrue(&mut self, w: &Window, t: SimTime) {
        if t <= self.since {
            return;
        }
        if self.value > 0 {
            let v = self.value as u128;
            let (from, to, i) = self.span;
            if self.per_interval.is_empty() {
                self.total += v * w.overlap(self.since, t) as u128;
            } else if from <= self.since && t <= to {
                let area = v * (t.0 - self.since.0) as u128;
                self.total += area;
                self.per_interval[i] += area;
            } else {
                let (total, per) = (&mut self.total, &mut self.per_interval);
                w.for_each_overlap(self.since, t, |i, us| {
                    let area = v * us as u128;
                    *total += area;
                    per[i] += area;
                });
            }
        }
        self.since = t;
        let (from, to, _) = self.span;
        if !self.per_interval.is_empty() && !(from..to).contains(&t) {
            self.span = w.interval_of(t).map_or(NO_SPAN, |i| {
                let (a, b) = w.bounds(i);
                (a, b, i)
            });
        }
    }

    /// The value becomes `value` at `t`.
    pub(crate) fn set(&mut self, w: &Window, t: SimTime, value: u64) {
        self.accrue(w, t);
        self.value = value;
    }

    /// The value grows by `delta` at `t`.
    pub(crate) fn add(&mut self, w: &Window, t: SimTime, delta: u64) {
        if delta != 0 {
            self.set(w, t, self.value + delta);
        }
    }

    /// The value shrinks by `delta` at `t` (never below zero).
    pub(crate) fn sub(&mut self, w: &Window, t: SimTime, delta: u64) {
        if delta != 0 {
            self.set(w, t, self.value.saturating_sub(delta));
        }
    }

    /// Integral over the whole window (accrued so far).
    pub(crate) fn total(&self) -> u128 {
        self.total
    }

    /// Integral over reporting interval `i` (0 without a breakdown).
    pub(crate) fn in_interval(&self, i: usize) -> u128 {
        self.per_interval.get(i).copied().unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_splits_into_intervals_with_a_short_last_one() {
        let w = Window::new(SimTime(100), SimTime(350), 100);
        assert_eq!(w.intervals(), 3);
        assert_eq!(w.bounds(2), (SimTime(300), SimTime(350)));
        assert_eq!(w.interval_of(SimTime(99)), None);
        assert_eq!(w.interval_of(SimTime(100)), Some(0));
        assert_eq!(w.interval_of(SimTime(299)), Some(1));
        assert_eq!(w.interval_of(SimTime(350)), None);
    }

    #[test]
    fn integral_clips_to_the_window_and_splits_by_interval() {
        let w = Window::new(SimTime(100), SimTime(400), 100);
        let mut s = StepIntegral::with_intervals(&w);
        s.set(&w, SimTime(50), 2); // starts in the warm-up
        s.set(&w, SimTime(150), 0); // 2 over [100,150)
        s.add(&w, SimTime(250), 3); // 3 over [250, 500) clipped at 400
        s.accrue(&w, SimTime(500));
        assert_eq!(s.in_interval(0), 100);
        assert_eq!(s.in_interval(1), 150);
        assert_eq!(s.in_interval(2), 300);
        assert_eq!(s.total(), 550);
    }

    use proptest::prelude::*;

    proptest! {
        /// Any sequence of steps integrates to what a unit-by-unit sum
        /// gives, per interval and in total, whether or not the steps
        /// stay within one interval.
        #[test]
        fn integral_matches_a_unit_by_unit_sum(
            (start, len, interval) in (0u64..50, 1u64..300, 1u64..120),
            steps in proptest::collection::vec((0u64..40, 0u64..5), 0..60),
        ) {
            let w = Window::new(SimTime(start), SimTime(start + len), interval);
            let mut s = StepIntegral::with_intervals(&w);
            let mut per = vec![0u128; w.intervals()];
            let (mut t, mut value) = (0u64, 0u64);
            for (dt, v) in steps {
                for u in t..t + dt {
                    if let Some(i) = w.interval_of(SimTime(u)) {
                        per[i] += value as u128;
                    }
                }
                t += dt;
                s.set(&w, SimTime(t), v);
                value = v;
            }
            let end = start + len + 10;
            for u in t..end {
                if let Some(i) = w.interval_of(SimTime(u)) {
                    per[i] += value as u128;
                }
            }
            s.accrue(&w, SimTime(end));
            for (i, want) in per.iter().enumerate() {
                prop_assert_eq!(s.in_interval(i), *want, "interval {}", i);
            }
            prop_assert_eq!(s.total(), per.iter().sum::<u128>());
        }
    }
}
