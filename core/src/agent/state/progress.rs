//! When an agent works on what it holds (omni-reference §12.4, §12.5).
//!
//! Capacity is not effort. Work holds capacity from its push to its close,
//! but the agent works on an opened item only while all of these hold:
//!
//! - the agent is logged in (status-based work held across a logout
//!   waits for it);
//! - the item is not paused, nor waiting for room to resume after its
//!   pause;
//! - for interruptible work of a channel with `interruptible_progress =
//!   "idle"`: the agent has no primary work in progress (an opened
//!   primary item that is not paused). The item is then *interrupted*:
//!   still assigned and counted in its pool, not worked.
//!
//! The agent runs and stops each work's effort clock accordingly
//! ([`crate::kernel::effort`]); behaviours count handle time on those
//! clocks. Only works that can stop have one: a primary item of a
//! tab-based channel is worked from its acceptance to its close.
//!
//! A pause frees room at once (the item drops to its paused cost). When
//! the pause ends the item takes its full cost back if it fits; if the
//! agent took other work meanwhile and it does not, the item stays paused
//! and *claims* the difference: the router counts the claim as load, so
//! nothing new takes the room the resume needs, and the item resumes as
//! soon as releases make it fit. So at no instant does the agent work on
//! more in-progress cost than its capacity.

use super::AgentState;
use crate::events::EventKind;
use crate::kernel::messages::AgentNotice;
use crate::omni::{
    AgentWork, AgentWorkId, CapacityModel, CapacityPool, CapacityUnits, InterruptibleProgress,
    WorkStatus,
};
use crate::time::SimDuration;

impl AgentState {
    /// Whether `work`'s effort can ever stop while it is opened: work of
    /// a status-based channel (pauses, logouts) and interruptible work
    /// worked only while idle. Only such works get an effort clock.
    pub(super) fn can_stop(&self, work: &AgentWork) -> bool {
        let channel = &self.scenario.channels[work.channel.index()];
        channel.capacity_model == CapacityModel::Status
            || (work.pool == CapacityPool::Interruptible
                && channel.interruptible_progress == InterruptibleProgress::Idle)
    }

    /// The work left the agent: its effort clock goes.
    pub(super) fn untrack(&mut self, work: &AgentWork) {
        if work.accepted_at.is_some() && self.can_stop(work) {
            self.handle.forget_effort(work.id);
            self.stoppable = self.stoppable.saturating_sub(1);
        }
    }

    /// Effort done on an opened `work`: its clock's, or, for work that
    /// never stops, the time since its acceptance.
    pub(super) fn worked(&self, work: &AgentWork) -> SimDuration {
        self.handle.effort_done(work.id).unwrap_or_else(|| {
            let now = self.handle.now();
            now.since(work.accepted_at.unwrap_or(now))
        })
    }

    /// Sets each opened work that can stop running or stopped by the rules
    /// above, and says when interruptible work is set aside or taken up
    /// again. Called after anything that may change them: an acceptance,
    /// a release, a pause or resume, a login or logout.
    pub(super) fn refresh_progress(&mut self) {
        if self.stoppable == 0 {
            return;
        }
        let logged_in = self.status.is_some();
        let primary_busy = logged_in
            && self.works.values().any(|w| {
                w.status == WorkStatus::Opened
                    && w.pool == CapacityPool::Primary
                    && w.paused_from.is_none()
            });
        let ids: Vec<AgentWorkId> = self
            .works
            .values()
            .filter(|w| w.status == WorkStatus::Opened && self.can_stop(w))
            .map(|w| w.id)
            .collect();
        for id in ids {
            let Some(w) = self.works.get(&id) else {
                continue;
            };
            let channel = &self.scenario.channels[w.channel.index()];
            let interrupted = primary_busy
                && w.pool == CapacityPool::Interruptible
                && channel.interruptible_progress == InterruptibleProgress::Idle
                && w.paused_from.is_none();
            let running = logged_in && w.paused_from.is_none() && !interrupted;
            if w.interrupted != interrupted {
                let w = self.works.get_mut(&id).expect("listed above");
                w.interrupted = interrupted;
                let (item, queue) = (w.work_item, w.queue);
                self.handle.emit(EventKind::WorkInterrupted {
                    work: id,
                    item,
                    queue,
                    agent: self.id,
                    interrupted,
                });
            }
            self.handle.set_effort_running(id, running);
        }
    }

    /// Pauses (`paused`) or ends the pause of an opened item of a
    /// status-based channel (omni-reference §12.5). A pause moves its cost
    /// to the routing configuration's paused cost and stops its handle
    /// time. At the end of the pause it takes its full cost back and is
    /// worked again if that fits; otherwise it stays paused and claims the
    /// room it needs, and resumes as soon as that room is free. A
    /// behaviour-level action, as in Salesforce, where pausing is a field
    /// on the record and not a toolkit call; anything else is ignored.
    pub(crate) fn pause(&mut self, id: AgentWorkId, paused: bool) {
        let Some(work) = self.works.get(&id) else {
            return;
        };
        let queue = &self.scenario.queues[work.queue.index()];
        let Some(paused_cost) = queue.routing.paused_cost else {
            return;
        };
        if work.status != WorkStatus::Opened || work.resume_due {
            return;
        }
        let (pool, cost) = (work.pool, work.capacity_cost);
        let p = pool.index();
        match (paused, work.paused_from) {
            (true, None) => {
                let to = paused_cost.units_for(self.capacity(pool).whole_units());
                self.reprice(id, Some(cost), to);
                // The room freed may let a due resume in.
                self.resume_waiting();
            }
            (false, Some(full)) => {
                let need = full - cost;
                if self.load[p] + self.claimed[p] + need <= self.capacity(pool) {
                    self.reprice(id, None, full);
                } else {
                    // The agent took other work meanwhile: the item stays
                    // paused and claims its room, which the router then
                    // counts as taken.
                    self.claimed[p] = self.claimed[p] + need;
                    self.resumes_due.push(id);
                    let w = self.works.get_mut(&id).expect("checked above");
                    w.resume_due = true;
                    let (item, queue) = (w.work_item, w.queue);
                    self.handle.emit(EventKind::WorkResumeWaiting {
                        work: id,
                        item,
                        queue,
                        agent: self.id,
                        cost: full,
                    });
                    self.notify_router(AgentNotice::Repriced {
                        agent: self.id,
                        pool,
                        from: cost,
                        to: full,
                    });
                }
            }
            _ => return,
        }
        self.refresh_progress();
    }

    /// Moves an opened work from its cost to `to`: paused (`paused_from`
    /// = the cost it leaves) or resumed (`None`), with the events and, for
    /// the router, the change of load. A resume whose room was claimed
    /// already counts in the router's view and is not repriced there.
    fn reprice(&mut self, id: AgentWorkId, paused_from: Option<CapacityUnits>, to: CapacityUnits) {
        let Some(w) = self.works.get_mut(&id) else {
            return;
        };
        let (pool, from, claimed) = (w.pool, w.capacity_cost, w.resume_due);
        w.paused_from = paused_from;
        w.resume_due = false;
        w.capacity_cost = to;
        let (item, queue) = (w.work_item, w.queue);
        let previous = self.load;
        let p = pool.index();
        self.load[p] = self.load[p] - from + to;
        self.handle.emit(EventKind::WorkPaused {
            work: id,
            item,
            queue,
            agent: self.id,
            paused: paused_from.is_some(),
            cost: to,
        });
        self.emit_workload(previous);
        if !claimed {
            self.notify_router(AgentNotice::Repriced {
                agent: self.id,
                pool,
                from,
                to,
            });
        }
    }

    /// Resumes the works whose pause is over, first due first, while their
    /// full cost fits; a work that still does not fit keeps those behind
    /// it in its pool waiting too.
    pub(super) fn resume_waiting(&mut self) {
        if self.resumes_due.is_empty() {
            return;
        }
        let mut blocked = [false; 2];
        for id in std::mem::take(&mut self.resumes_due) {
            let Some(w) = self.works.get(&id).filter(|w| w.resume_due) else {
                continue;
            };
            let (pool, cost, full) = (w.pool, w.capacity_cost, w.paused_from.unwrap_or_default());
            let p = pool.index();
            let need = full - cost;
            if blocked[p] || self.load[p] + need > self.capacity(pool) {
                blocked[p] = true;
                self.resumes_due.push(id);
                continue;
            }
            self.claimed[p] = self.claimed[p] - need;
            self.reprice(id, None, full);
        }
    }

    /// The claim a released work held while waiting to resume (zero for
    /// any other), given back.
    pub(super) fn unclaim(&mut self, work: &AgentWork) -> CapacityUnits {
        if !work.resume_due {
            return CapacityUnits::ZERO;
        }
        let need = work.paused_from.unwrap_or_default() - work.capacity_cost;
        let p = work.pool.index();
        self.claimed[p] = self.claimed[p] - need;
        self.resumes_due.retain(|id| *id != work.id);
        need
    }
}
