//! Effort: how much of an opened work its agent has done, and the
//! behaviours' wakes that wait on it.
//!
//! Capacity is not effort (omni-reference §12.4, §12.5). An item holds
//! capacity from its push to its close, but its agent works on it only
//! part of that time: not while it is paused, not while it waits across a
//! logout (status-based capacity), and, for interruptible work, not while
//! the agent has primary work in progress. A behaviour that closes work
//! after its handle time therefore counts handle time in *effort*, not in
//! simulated time: it asks to be woken once the agent has worked so long
//! on the work ([`crate::behaviour::AgentContext::wake_after_work`]).
//!
//! The agent decides when each of its works runs (it knows the rules); the
//! book keeps the clocks and turns each wake into a calendar timer while
//! its work runs, cancelling it when the work stops and setting it again,
//! for what is left, when the work runs again. Only works that can stop
//! have a clock: a primary item of a tab-based channel runs from its
//! acceptance to its close, so its wakes are plain timers, exactly as
//! before effort existed, and cost nothing more.

use super::calendar::TimerId;
use crate::omni::{AgentId, AgentWorkId};
use crate::time::{SimDuration, SimTime};
use rustc_hash::FxHashMap;

/// A wake waiting for an effort level.
#[derive(Copy, Clone, Debug)]
struct EffortWake {
    /// Effort at which it is due.
    at: SimDuration,
    /// The behaviour's tag.
    tag: u64,
    /// Its timer while the work runs.
    timer: Option<TimerId>,
}

/// One work's effort clock.
#[derive(Clone, Debug)]
struct EffortClock {
    agent: AgentId,
    /// Effort done before `since`.
    done: SimDuration,
    /// Running since then; `None` = stopped.
    since: Option<SimTime>,
    wakes: Vec<EffortWake>,
}

impl EffortClock {
    fn done_at(&self, now: SimTime) -> SimDuration {
        self.done + self.since.map_or(SimDuration::ZERO, |s| now.since(s))
    }
}

/// What the book asks of the calendar: timers it sets and cancels.
pub(crate) trait WakeTimers {
    /// Sets a timer `delay` from now waking `agent`'s behaviour with `tag`.
    fn wake_in(&self, delay: SimDuration, agent: AgentId, tag: u64) -> TimerId;
    /// Cancels a timer; false if it was already delivered.
    fn cancel_wake(&self, timer: TimerId) -> bool;
}

/// The effort clocks of every opened work that can stop.
#[derive(Debug, Default)]
pub(crate) struct EffortBook {
    clocks: FxHashMap<AgentWorkId, EffortClock>,
}

impl EffortBook {
    /// Starts a clock for `work` of `agent`, stopped, with no effort done.
    pub(crate) fn track(&mut self, work: AgentWorkId, agent: AgentId) {
        self.clocks.insert(
            work,
            EffortClock {
                agent,
                done: SimDuration::ZERO,
                since: None,
                wakes: Vec::new(),
            },
        );
    }

    /// Effort done on `work` by `now`; `None` for a work without a clock.
    pub(crate) fn done(&self, work: AgentWorkId, now: SimTime) -> Option<SimDuration> {
        self.clocks.get(&work).map(|c| c.done_at(now))
    }

    /// Runs or stops `work`'s clock at `now`; nothing if it already does.
    pub(crate) fn set_running(
        &mut self,
        work: AgentWorkId,
        running: bool,
        now: SimTime,
        timers: &impl WakeTimers,
    ) {
        let Some(c) = self.clocks.get_mut(&work) else {
            return;
        };
        match (c.since, running) {
            (None, true) => {
                c.since = Some(now);
                let (agent, done) = (c.agent, c.done);
                for w in &mut c.wakes {
                    w.timer = Some(timers.wake_in(
                        SimDuration(w.at.0.saturating_sub(done.0)),
                        agent,
                        w.tag,
                    ));
                }
            }
            (Some(_), false) => {
                c.done = c.done_at(now);
                c.since = None;
                let done = c.done;
                // A wake whose effort is reached is due by now: it is left
                // to fire (or has fired); the others wait for the clock to
                // run again.
                c.wakes.retain_mut(|w| {
                    if w.at <= done {
                        return false;
                    }
                    if let Some(t) = w.timer.take() {
                        timers.cancel_wake(t);
                    }
                    true
                });
            }
            _ => {}
        }
    }

    /// Wakes `agent`'s behaviour with `tag` once `effort` more has been
    /// done on `work`. Without a clock the work runs without stopping, so
    /// it is a plain timer `effort` from now.
    pub(crate) fn wake_after(
        &mut self,
        agent: AgentId,
        work: AgentWorkId,
        effort: SimDuration,
        tag: u64,
        now: SimTime,
        timers: &impl WakeTimers,
    ) {
        let Some(c) = self.clocks.get_mut(&work).filter(|c| c.agent == agent) else {
            timers.wake_in(effort, agent, tag);
            return;
        };
        let at = c.done_at(now) + effort;
        // Nothing left to do: due now, whether the work runs or not.
        let timer = (c.since.is_some() || effort == SimDuration::ZERO)
            .then(|| timers.wake_in(effort, agent, tag));
        c.wakes.push(EffortWake { at, tag, timer });
    }

    /// The work ended: its clock goes, and its wakes with it.
    pub(crate) fn forget(&mut self, work: AgentWorkId, timers: &impl WakeTimers) {
        if let Some(c) = self.clocks.remove(&work) {
            for t in c.wakes.into_iter().filter_map(|w| w.timer) {
                timers.cancel_wake(t);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::RefCell;

    /// Timers as a list: (due, tag, cancelled).
    #[derive(Default)]
    struct Timers {
        now: std::cell::Cell<SimTime>,
        set: RefCell<Vec<(SimTime, u64, bool)>>,
    }

    impl WakeTimers for Timers {
        fn wake_in(&self, delay: SimDuration, _agent: AgentId, tag: u64) -> TimerId {
            let mut set = self.set.borrow_mut();
            set.push((self.now.get() + delay, tag, false));
            TimerId::for_test(set.len() as u32 - 1)
        }
        fn cancel_wake(&self, timer: TimerId) -> bool {
            let mut set = self.set.borrow_mut();
            let t = &mut set[timer.slot_for_test() as usize];
            let live = !t.2 && t.0 > self.now.get();
            t.2 = true;
            live
        }
    }

    impl Timers {
        fn at(&self, s: u64) -> SimTime {
            self.now.set(SimTime::ZERO + SimDuration::from_secs(s));
            self.now.get()
        }
        /// Live timers: (due in seconds, tag).
        fn live(&self) -> Vec<(u64, u64)> {
            self.set
                .borrow()
                .iter()
                .filter(|t| !t.2)
                .map(|t| (t.0.since(SimTime::ZERO).0 / 1_000_000, t.1))
                .collect()
        }
    }

    const W: AgentWorkId = AgentWorkId(1);
    const A: AgentId = AgentId(0);
    const fn secs(s: u64) -> SimDuration {
        SimDuration(s * 1_000_000)
    }

    #[test]
    fn a_wake_waits_out_every_stop_of_its_work() {
        let (mut book, t) = (EffortBook::default(), Timers::default());
        book.track(W, A);
        let now = t.at(0);
        book.set_running(W, true, now, &t);
        book.wake_after(A, W, secs(100), 7, now, &t);
        assert_eq!(t.live(), [(100, 7)]);
        // Stopped at 40 s for 30 s: due at 130 s.
        let now = t.at(40);
        book.set_running(W, false, now, &t);
        assert!(t.live().is_empty());
        assert_eq!(book.done(W, t.at(60)), Some(secs(40)));
        let now = t.at(70);
        book.set_running(W, true, now, &t);
        assert_eq!(t.live(), [(130, 7)]);
        assert_eq!(book.done(W, t.at(100)), Some(secs(70)));
        // Asking twice for the same state changes nothing.
        book.set_running(W, true, t.at(100), &t);
        assert_eq!(t.live(), [(130, 7)]);
        book.forget(W, &t);
        assert!(t.live().is_empty());
        assert_eq!(book.done(W, t.at(100)), None);
    }

    #[test]
    fn a_wake_asked_while_stopped_is_set_when_the_work_runs() {
        let (mut book, t) = (EffortBook::default(), Timers::default());
        book.track(W, A);
        let now = t.at(10);
        book.wake_after(A, W, secs(50), 3, now, &t);
        assert!(t.live().is_empty());
        let now = t.at(25);
        book.set_running(W, true, now, &t);
        assert_eq!(t.live(), [(75, 3)]);
    }

    #[test]
    fn a_wake_due_at_the_stop_still_fires_and_is_not_set_again() {
        let (mut book, t) = (EffortBook::default(), Timers::default());
        book.track(W, A);
        let now = t.at(0);
        book.set_running(W, true, now, &t);
        book.wake_after(A, W, secs(30), 1, now, &t);
        book.wake_after(A, W, secs(90), 2, now, &t);
        let now = t.at(30);
        book.set_running(W, false, now, &t);
        // The first is due now and left alone; the second waits.
        assert_eq!(t.live(), [(30, 1)]);
        let now = t.at(50);
        book.set_running(W, true, now, &t);
        assert_eq!(t.live(), [(30, 1), (110, 2)]);
    }

    #[test]
    fn a_work_without_a_clock_wakes_after_plain_time() {
        let (mut book, t) = (EffortBook::default(), Timers::default());
        let now = t.at(5);
        book.wake_after(A, W, secs(20), 9, now, &t);
        assert_eq!(t.live(), [(25, 9)]);
        // Another agent's work is not this one's.
        book.track(AgentWorkId(2), AgentId(1));
        book.wake_after(A, AgentWorkId(2), secs(20), 4, now, &t);
        assert_eq!(t.live(), [(25, 9), (25, 4)]);
        assert_eq!(book.done(W, now), None);
    }
}
