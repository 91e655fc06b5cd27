//! The capacity invariant of omni-reference §12.4–§12.5 on a live event
//! stream: capacity is not effort, and at no instant does an agent work on
//! more in-progress cost than its capacity.
//!
//! A work is *in progress* while it is opened, not paused (nor waiting to
//! resume), not set aside for primary work and its agent is logged in.
//! At the end of every instant, for every agent and pool:
//!
//! - the in-progress works' full costs fit in the capacity;
//! - no interruptible work of an `"idle"` channel is in progress while the
//!   agent has primary work in progress;
//!
//! and for every work:
//!
//! - a work closed by its agent was in progress at least its handle time
//!   (a logout may cut a tab-based work short: closes in the instant of
//!   their agent's logout are left out);
//! - nothing is pushed into the room a work waiting to resume has claimed.

use omnisim_core::events::{EventKind, EventSink, SimEvent};
use omnisim_core::omni::*;
use omnisim_core::scenario::Scenario;
use omnisim_core::time::{SimDuration, SimTime};
use std::collections::BTreeMap;

#[derive(Debug)]
struct Held {
    agent: AgentId,
    pool: CapacityPool,
    /// The interruptible work of an "idle" channel.
    idle_only: bool,
    /// The cost it holds when worked.
    full: CapacityUnits,
    /// The cost it holds now (its paused cost while paused).
    now: CapacityUnits,
    opened: bool,
    paused: bool,
    due: bool,
    interrupted: bool,
    handle: SimDuration,
    worked: SimDuration,
}

/// Checks the effort rules; see the module doc.
#[derive(Debug, Default)]
pub struct EffortChecker {
    capacity: Vec<[CapacityUnits; 2]>,
    queue_pool: Vec<CapacityPool>,
    queue_idle_only: Vec<bool>,
    logged_in: Vec<bool>,
    load: Vec<[CapacityUnits; 2]>,
    claims: Vec<[CapacityUnits; 2]>,
    works: BTreeMap<AgentWorkId, Held>,
    instant: SimTime,
    /// Closes short of their handle time, cleared by a logout in the same
    /// instant.
    short: Vec<(AgentId, String)>,
    /// Broken rules, in order.
    pub violations: Vec<String>,
    /// Works closed after their effort was checked.
    pub closes_checked: u64,
    /// Interruptions seen (`WorkInterrupted` setting work aside).
    pub interruptions: u64,
    /// Resumes that had to wait for room (`WorkResumeWaiting`).
    pub resumes_waited: u64,
    /// Agent-seconds during which an agent worked on two items or more.
    pub doubled_s: f64,
}

impl EffortChecker {
    /// A checker for runs of `s`.
    pub fn new(s: &Scenario) -> EffortChecker {
        let capacity: Vec<[CapacityUnits; 2]> = s
            .agents
            .iter()
            .flat_map(|g| {
                let c = &s.presence_configs[g.presence_config.index()];
                std::iter::repeat_n(
                    [
                        CapacityUnits::whole(c.capacity),
                        CapacityUnits::whole(c.interruptible_capacity),
                    ],
                    g.count as usize,
                )
            })
            .collect();
        let n = capacity.len();
        EffortChecker {
            capacity,
            queue_pool: s.queues.iter().map(|q| q.routing.pool).collect(),
            queue_idle_only: s
                .queues
                .iter()
                .map(|q| {
                    q.routing.pool == CapacityPool::Interruptible
                        && s.channels[q.channel.index()].interruptible_progress
                            == InterruptibleProgress::Idle
                })
                .collect(),
            logged_in: vec![false; n],
            load: vec![[CapacityUnits::ZERO; 2]; n],
            claims: vec![[CapacityUnits::ZERO; 2]; n],
            ..Default::default()
        }
    }

    fn in_progress(&self, w: &Held) -> bool {
        w.opened && !w.paused && !w.interrupted && self.logged_in[w.agent.index()]
    }

    /// Closes the instant that ended: its state held until `t`.
    fn end_instant(&mut self, t: SimTime) {
        for (agent, what) in self.short.drain(..) {
            self.violations.push(format!("{agent:?}: {what}"));
        }
        let mut working: BTreeMap<AgentId, ([CapacityUnits; 2], u32, bool, bool)> = BTreeMap::new();
        for w in self.works.values() {
            if !self.in_progress(w) {
                continue;
            }
            let e = working.entry(w.agent).or_default();
            e.0[w.pool.index()] = e.0[w.pool.index()] + w.full;
            e.1 += 1;
            e.2 |= w.pool == CapacityPool::Primary;
            e.3 |= w.idle_only;
        }
        let span = t.since(self.instant);
        for (agent, (cost, items, primary, idle_only)) in &working {
            for p in [CapacityPool::Primary, CapacityPool::Interruptible] {
                let cap = self.capacity[agent.index()][p.index()];
                if cost[p.index()] > cap {
                    self.violations.push(format!(
                        "{agent:?} works on {} of {} {p:?} at {:?}",
                        cost[p.index()],
                        cap,
                        self.instant
                    ));
                }
            }
            if *primary && *idle_only {
                self.violations.push(format!(
                    "{agent:?} works on idle-only interruptible work beside primary work at {:?}",
                    self.instant
                ));
            }
            if *items >= 2 {
                self.doubled_s += span.as_secs_f64();
            }
        }
        let logged_in = self.logged_in.clone();
        for w in self.works.values_mut() {
            if w.opened && !w.paused && !w.interrupted && logged_in[w.agent.index()] {
                w.worked = w.worked + span;
            }
        }
        self.instant = t;
    }

    /// The run ended at `end`.
    pub fn finish(&mut self, end: SimTime) {
        if end >= self.instant {
            self.end_instant(end);
        }
    }

    fn release(&mut self, work: &AgentWorkId) -> Option<Held> {
        let w = self.works.remove(work)?;
        if w.due {
            let c = &mut self.claims[w.agent.index()][w.pool.index()];
            *c = *c - (w.full - w.now);
        }
        Some(w)
    }
}

impl EventSink for EffortChecker {
    fn on_event(&mut self, ev: &SimEvent) {
        if ev.time > self.instant {
            self.end_instant(ev.time);
        }
        match &ev.kind {
            EventKind::WorkAssigned {
                work,
                agent,
                queue,
                cost,
                pool,
                ..
            } => {
                let (a, p) = (agent.index(), pool.index());
                if self.load[a][p] + self.claims[a][p] + *cost > self.capacity[a][p] {
                    self.violations.push(format!(
                        "{work:?} pushed to {agent:?} into room claimed by a resume at {:?}",
                        ev.time
                    ));
                }
                self.works.insert(
                    *work,
                    Held {
                        agent: *agent,
                        pool: self.queue_pool[queue.index()],
                        idle_only: self.queue_idle_only[queue.index()],
                        full: *cost,
                        now: *cost,
                        opened: false,
                        paused: false,
                        due: false,
                        interrupted: false,
                        handle: SimDuration::ZERO,
                        worked: SimDuration::ZERO,
                    },
                );
            }
            EventKind::WorkAccepted {
                work, handle_time, ..
            } => {
                if let Some(w) = self.works.get_mut(work) {
                    w.opened = true;
                    w.handle = *handle_time;
                }
            }
            EventKind::WorkPaused {
                work, paused, cost, ..
            } => {
                if let Some(w) = self.works.get_mut(work) {
                    if w.due {
                        let c = &mut self.claims[w.agent.index()][w.pool.index()];
                        *c = *c - (w.full - w.now);
                    }
                    w.paused = *paused;
                    w.due = false;
                    w.now = *cost;
                    if !*paused {
                        w.full = *cost;
                    }
                }
            }
            EventKind::WorkResumeWaiting { work, cost, .. } => {
                self.resumes_waited += 1;
                if let Some(w) = self.works.get_mut(work) {
                    w.due = true;
                    w.full = *cost;
                    let c = &mut self.claims[w.agent.index()][w.pool.index()];
                    *c = *c + (w.full - w.now);
                }
            }
            EventKind::WorkInterrupted {
                work, interrupted, ..
            } => {
                self.interruptions += *interrupted as u64;
                if let Some(w) = self.works.get_mut(work) {
                    w.interrupted = *interrupted;
                }
            }
            EventKind::WorkClosed { work, item, .. } => {
                if let Some(w) = self.release(work) {
                    self.closes_checked += 1;
                    if w.opened && w.worked < w.handle {
                        self.short.push((
                            w.agent,
                            format!(
                                "{work:?} of {item:?} closed after {:?} of work, short of its \
                                 handle time {:?}, at {:?}",
                                w.worked, w.handle, ev.time
                            ),
                        ));
                    }
                }
            }
            EventKind::WorkDeclined { work, .. }
            | EventKind::WorkCanceled { work, .. }
            | EventKind::WorkUnavailable { work, .. }
            | EventKind::WorkTransferred { work, .. } => {
                self.release(work);
            }
            EventKind::WorkloadChanged {
                agent,
                new_workload,
                new_interruptible_workload,
                ..
            } => self.load[agent.index()] = [*new_workload, *new_interruptible_workload],
            EventKind::LoginSuccess { agent, .. } | EventKind::StatusChanged { agent, .. } => {
                self.logged_in[agent.index()] = true
            }
            EventKind::Logout { agent } => {
                self.logged_in[agent.index()] = false;
                self.short.retain(|(a, _)| a != agent);
            }
            _ => {}
        }
    }

    fn finish(&mut self, end: SimTime) {
        EffortChecker::finish(self, end);
    }
}
