//! State every actor of one run shares: the clock reading, the calendar,
//! the event buffer, the AgentWork ledger and the effort clocks of the
//! works that can stop ([`super::effort`]).
//!
//! All actors of a run live on one thread (see the engine module doc), so
//! `RefCell` is enough and no lock is taken on the hot path.

use super::calendar::{Calendar, TimerId};
use super::counters::EngineCounts;
use super::effort::{EffortBook, WakeTimers};
use super::instruments::Instrumentation;
use super::messages::Entry;
use super::panic::PanicReport;
use crate::events::{EventKind, SimEvent};
use crate::omni::{AgentId, AgentWorkId, WorkStatus};
use crate::time::{SimDuration, SimTime};
use std::cell::{Cell, RefCell};
use std::task::{Poll, Waker};

/// Owner and status of every AgentWork ever created: the org's AgentWork
/// table. Agents need it to tell "unknown work" from "someone else's work".
///
/// It is the one per-item record that outlives its item, so it grows with
/// the day (some 860,000 entries on a 10,000-agent day). It is kept in
/// fixed chunks rather than one vector: a doubling vector would hold up
/// to twice the entries' bytes and, while growing, old and new copies at
/// once.
#[derive(Debug, Default)]
pub(crate) struct WorkLedger {
    chunks: Vec<Vec<(AgentId, WorkStatus)>>,
    len: u64,
}

/// Entries per chunk of the ledger (32 KiB).
const LEDGER_CHUNK: usize = 4096;

impl WorkLedger {
    /// Creates a record; ids start at 1 so `0Bz000000000000` is unknown.
    pub(crate) fn create(&mut self, agent: AgentId) -> AgentWorkId {
        match self.chunks.last_mut() {
            Some(chunk) if chunk.len() < LEDGER_CHUNK => chunk.push((agent, WorkStatus::Assigned)),
            _ => {
                let mut chunk = Vec::with_capacity(LEDGER_CHUNK);
                chunk.push((agent, WorkStatus::Assigned));
                self.chunks.push(chunk);
            }
        }
        self.len += 1;
        AgentWorkId(self.len)
    }

    /// Chunk and place of an id; `None` for an id never created.
    fn locate(&self, id: AgentWorkId) -> Option<(usize, usize)> {
        let idx = id.0.checked_sub(1)?;
        (idx < self.len).then(|| {
            let idx = idx as usize;
            (idx / LEDGER_CHUNK, idx % LEDGER_CHUNK)
        })
    }

    pub(crate) fn get(&self, id: AgentWorkId) -> Option<(AgentId, WorkStatus)> {
        let (chunk, at) = self.locate(id)?;
        Some(self.chunks[chunk][at])
    }

    pub(crate) fn set_status(&mut self, id: AgentWorkId, status: WorkStatus) {
        if let Some((chunk, at)) = self.locate(id) {
            self.chunks[chunk][at].1 = status;
        }
    }
}

/// What the router shares with the rest of the run: the capacity agents
/// freed by closing work, waiting for the router to take it back, and
/// whether the router has items waiting for an agent.
///
/// A closed work used to reach the router as a release notice, an actor
/// message whose only job was to carry the freed capacity. Now the
/// capacity is put here at the point of the same-instant order where that
/// notice was delivered, and the router reads it before anything else in
/// its next message. Only when items wait does that point need a routing
/// pass, so only then is the router woken ([`super::messages::RouterMsg::Freed`]);
/// with nothing waiting the pass would push nothing.
#[derive(Debug, Default)]
pub(crate) struct RoutingView {
    /// Freed capacity the router has not taken yet, in the order freed.
    pub(crate) freed: RefCell<Vec<super::messages::Freed>>,
    /// Set by the router after each of its messages: some item waits in
    /// its backlog.
    pub(crate) waiting: Cell<bool>,
}

/// The run's shared state.
#[derive(Debug, Default)]
pub(crate) struct EngineHandle {
    now: Cell<SimTime>,
    calendar: RefCell<Calendar<Entry>>,
    events: RefCell<Vec<SimEvent>>,
    pub(crate) ledger: RefCell<WorkLedger>,
    /// Effort done on the opened works that can stop, and the wakes
    /// waiting on it: agents run and stop the clocks, behaviours wait on
    /// them.
    effort: RefCell<EffortBook>,
    /// Freed capacity on its way to the router (see [`RoutingView`]).
    pub(crate) routing: RoutingView,
    /// Wall-clock instruments; only a load run has them.
    pub(crate) instruments: Instrumentation,
    /// Whether the router records each decision's candidates and rule
    /// (`omnisim trace`); off, a decision costs one check of this flag.
    pub(crate) record_decisions: Cell<bool>,
    /// Entries delivered to actors and handled. One is delivered at a
    /// time, so the one in flight is number `handled + 1`.
    handled: Cell<u64>,
    /// The driver, while it waits for a handler.
    driver: RefCell<Option<Waker>>,
    /// What the run delivered, counted (see [`super::counters`]).
    counts: RefCell<EngineCounts>,
    /// The first panic caught in a handler (see [`super::panic`]); the
    /// driver ends the run after the entry that raised it.
    panic: RefCell<Option<PanicReport>>,
}

impl EngineHandle {
    /// A fresh handle whose actors record into `instruments` (a load run).
    pub(crate) fn with_instruments(instruments: Instrumentation) -> EngineHandle {
        EngineHandle {
            instruments,
            ..EngineHandle::default()
        }
    }

    /// Current simulated time.
    pub(crate) fn now(&self) -> SimTime {
        self.now.get()
    }

    pub(crate) fn set_now(&self, t: SimTime) {
        debug_assert!(t >= self.now.get(), "time went backwards");
        self.now.set(t);
    }

    /// Records a state change at the current instant.
    #[inline]
    pub(crate) fn emit(&self, kind: EventKind) {
        self.events.borrow_mut().push(SimEvent {
            time: self.now(),
            kind,
        });
    }

    /// Schedules an entry for this same instant, after everything already
    /// scheduled for it.
    pub(crate) fn schedule_now(&self, entry: Entry) {
        self.calendar.borrow_mut().schedule(self.now(), entry);
    }

    /// Schedules an entry `delay` from now.
    pub(crate) fn schedule_in(&self, delay: SimDuration, entry: Entry) {
        self.calendar
            .borrow_mut()
            .schedule(self.now() + delay, entry);
    }

    /// Schedules an entry `delay` from now that may be cancelled with
    /// [`EngineHandle::cancel`] once it no longer matters.
    pub(crate) fn schedule_timer_in(&self, delay: SimDuration, entry: Entry) -> TimerId {
        self.calendar
            .borrow_mut()
            .schedule_timer(self.now() + delay, entry)
    }

    /// Cancels a timer that is moot: it will not be delivered.
    pub(crate) fn cancel(&self, timer: TimerId) {
        self.calendar.borrow_mut().cancel(timer);
    }

    /// Timers cancelled so far in this run.
    pub(crate) fn cancelled(&self) -> u64 {
        self.calendar.borrow().cancelled()
    }

    /// Gives `work` of `agent` an effort clock, stopped: a work that can
    /// stop (paused, interrupted, held across a logout).
    pub(crate) fn track_effort(&self, work: AgentWorkId, agent: AgentId) {
        self.effort.borrow_mut().track(work, agent);
    }

    /// Runs or stops the effort clock of `work` now.
    pub(crate) fn set_effort_running(&self, work: AgentWorkId, running: bool) {
        self.effort
            .borrow_mut()
            .set_running(work, running, self.now(), self);
    }

    /// Effort done on `work` so far; `None` for a work without a clock.
    pub(crate) fn effort_done(&self, work: AgentWorkId) -> Option<SimDuration> {
        self.effort.borrow().done(work, self.now())
    }

    /// The work ended: its effort clock and wakes go.
    pub(crate) fn forget_effort(&self, work: AgentWorkId) {
        self.effort.borrow_mut().forget(work, self);
    }

    /// Wakes `agent`'s behaviour with `tag` once `effort` more has been
    /// done on `work` (see [`super::effort`]).
    pub(crate) fn wake_after_effort(
        &self,
        agent: AgentId,
        work: AgentWorkId,
        effort: SimDuration,
        tag: u64,
    ) {
        self.effort
            .borrow_mut()
            .wake_after(agent, work, effort, tag, self.now(), self);
    }

    /// Schedules an entry at an absolute time.
    pub(crate) fn schedule_at(&self, at: SimTime, entry: Entry) {
        self.calendar.borrow_mut().schedule(at, entry);
    }

    pub(crate) fn peek_time(&self) -> Option<SimTime> {
        self.calendar.borrow_mut().peek_time()
    }

    pub(crate) fn pop(&self) -> Option<(SimTime, Entry)> {
        self.calendar.borrow_mut().pop()
    }

    /// Delivers one calendar entry to an actor and waits until its
    /// handler has run.
    ///
    /// The message goes as `do_send` (fire and forget) and `pump` polls
    /// the actor at once, so the handler has normally reported back
    /// through [`EngineHandle::handled`] before the wait begins: the same
    /// ordering as `send(…).await`, without the reply channel `send`
    /// allocates for every message or a round through tokio's scheduler.
    pub(crate) async fn deliver<A, M>(
        &self,
        to: &actix::Addr<A>,
        msg: M,
        pump: &super::pump::ActorPump,
    ) where
        A: actix::Actor<Context = actix::Context<A>> + actix::Handler<M>,
        M: actix::Message<Result = ()> + Send + 'static,
    {
        // A stopped actor would never report back; actors of a run only
        // stop with its system, so this is a bug, not a condition.
        assert!(to.connected(), "an actor of the run stopped");
        let target = self.handled.get() + 1;
        pump.driving(|| to.do_send(msg));
        std::future::poll_fn(|cx| {
            if self.handled.get() >= target {
                return Poll::Ready(());
            }
            let mut driver = self.driver.borrow_mut();
            if !driver.as_ref().is_some_and(|w| w.will_wake(cx.waker())) {
                *driver = Some(cx.waker().clone());
            }
            Poll::Pending
        })
        .await;
    }

    /// Adds to the run's counts.
    #[inline]
    pub(crate) fn count(&self, f: impl FnOnce(&mut EngineCounts)) {
        f(&mut self.counts.borrow_mut());
    }

    /// The run's counts so far.
    pub(crate) fn counts(&self) -> EngineCounts {
        *self.counts.borrow()
    }

    /// Runs a handler's `body`, containing a panic (see [`super::panic`]):
    /// on a panic the report is kept for the driver and `None` returned.
    pub(crate) fn guarded<R>(
        &self,
        culprit: impl FnOnce() -> String,
        body: impl FnOnce() -> R,
    ) -> Option<R> {
        super::panic::guarded(culprit, |p| self.record_panic(p), body)
    }

    /// Keeps the first panic of the run for the driver.
    pub(crate) fn record_panic(&self, report: PanicReport) {
        self.panic.borrow_mut().get_or_insert(report);
    }

    /// The panic caught since the last call, if any.
    pub(crate) fn take_panic(&self) -> Option<PanicReport> {
        self.panic.borrow_mut().take()
    }

    /// Called by an actor's handler of a delivered entry when it is done.
    pub(crate) fn handled(&self) {
        self.handled.set(self.handled.get() + 1);
        if let Some(w) = self.driver.borrow().as_ref() {
            w.wake_by_ref();
        }
    }

    /// Moves the events emitted so far to the end of `into`. Usually
    /// `into` is empty (the driver drains it after every entry), and the
    /// two buffers are swapped instead of the events copied.
    pub(crate) fn take_events(&self, into: &mut Vec<SimEvent>) {
        let mut events = self.events.borrow_mut();
        if into.is_empty() {
            std::mem::swap(&mut *events, into);
        } else {
            into.append(&mut events);
        }
    }
}

impl WakeTimers for EngineHandle {
    fn wake_in(&self, delay: SimDuration, agent: AgentId, tag: u64) -> TimerId {
        self.schedule_timer_in(
            delay,
            Entry::Behaviour(agent, super::messages::Cue::Wake(tag)),
        )
    }

    fn cancel_wake(&self, timer: TimerId) -> bool {
        self.calendar.borrow_mut().cancel(timer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Ids run on across chunk boundaries, and an id never created is
    /// unknown.
    #[test]
    fn ledger_ids_span_chunks() {
        let mut l = WorkLedger::default();
        let n = 2 * LEDGER_CHUNK as u32 + 3;
        for a in 0..n {
            assert_eq!(l.create(AgentId(a)), AgentWorkId(u64::from(a) + 1));
        }
        let last = AgentWorkId(u64::from(n));
        l.set_status(last, WorkStatus::Closed);
        assert_eq!(l.get(last), Some((AgentId(n - 1), WorkStatus::Closed)));
        let edge = AgentWorkId(LEDGER_CHUNK as u64 + 1);
        assert_eq!(
            l.get(edge),
            Some((AgentId(LEDGER_CHUNK as u32), WorkStatus::Assigned))
        );
        assert_eq!(l.get(AgentWorkId(0)), None);
        assert_eq!(l.get(AgentWorkId(u64::from(n) + 1)), None);
    }
}
