//! UserServicePresence records: one per agent and status spell, from the
//! status change that opened it to the next change or the logout, with
//! the agent's configured capacity and how long within it the agent was
//! idle (holding nothing) or at capacity (primary load at its configured
//! capacity), as Salesforce keeps them from the workload changes.

use super::{id, user_id, Ctx, Out};
use crate::events::{EventKind, SimEvent};
use crate::omni::{CapacityUnits, StatusId};
use crate::salesforce::bulk_csv::{boolean, int};
use crate::salesforce::object::SfObject;
use crate::scenario::Scenario;
use crate::time::SimTime;
use std::io;

/// One agent's presence so far.
#[derive(Debug, Default)]
struct Agent {
    /// The open spell: its status and start.
    spell: Option<(StatusId, SimTime)>,
    /// Time idle and at capacity within the open spell \[µs\].
    idle: u64,
    at_capacity: u64,
    /// Primary and interruptible load now, and the configured capacity.
    load: (u64, u64),
    capacity: u64,
    /// When the figures above were last brought up to date.
    since: SimTime,
}

impl Agent {
    /// Counts the time from the last update to `t` at the current load.
    fn advance(&mut self, t: SimTime) {
        if self.spell.is_some() && t > self.since {
            let d = t.since(self.since).0;
            if self.load == (0, 0) {
                self.idle += d;
            }
            if self.capacity > 0 && self.load.0 >= self.capacity {
                self.at_capacity += d;
            }
        }
        self.since = self.since.max(t);
    }
}

/// The presence records being written.
#[derive(Debug)]
pub(super) struct PresenceRecords {
    out: Out,
    agents: Vec<Agent>,
    /// Configured capacity of each agent (whole units).
    capacities: Vec<u32>,
    rows: u64,
}

impl PresenceRecords {
    pub(super) fn new(scenario: &Scenario, out: Out) -> PresenceRecords {
        let capacities = scenario.agent_capacities();
        PresenceRecords {
            out,
            agents: capacities
                .iter()
                .map(|c| Agent {
                    capacity: CapacityUnits::whole(*c).0,
                    ..Agent::default()
                })
                .collect(),
            capacities,
            rows: 0,
        }
    }

    pub(super) fn on_event(&mut self, ctx: &Ctx<'_>, e: &SimEvent) -> io::Result<()> {
        let t = e.time;
        match &e.kind {
            EventKind::StatusChanged { agent, status, .. } => {
                let a = agent.index();
                self.close_spell(ctx, a, t, false)?;
                let ag = &mut self.agents[a];
                ag.spell = Some((*status, t));
                ag.since = t;
            }
            EventKind::Logout { agent } => self.close_spell(ctx, agent.index(), t, false)?,
            EventKind::WorkloadChanged {
                agent,
                configured_capacity,
                new_workload,
                new_interruptible_workload,
                ..
            } => {
                let ag = &mut self.agents[agent.index()];
                ag.advance(t);
                ag.load = (new_workload.0, new_interruptible_workload.0);
                ag.capacity = configured_capacity.0;
            }
            _ => {}
        }
        Ok(())
    }

    /// The spells still open at `end` are written as current.
    pub(super) fn finish(&mut self, ctx: &Ctx<'_>, end: SimTime) -> io::Result<()> {
        for a in 0..self.agents.len() {
            self.close_spell(ctx, a, end, true)?;
        }
        Ok(())
    }

    pub(super) fn close(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    /// Ends agent `a`'s open spell at `t` and writes it; `current` when
    /// the run ended with the agent still in it.
    fn close_spell(
        &mut self,
        ctx: &Ctx<'_>,
        a: usize,
        t: SimTime,
        current: bool,
    ) -> io::Result<()> {
        let ag = &mut self.agents[a];
        ag.advance(t);
        let Some((status, start)) = ag.spell.take() else {
            return Ok(());
        };
        let (idle, at_capacity) = (ag.idle, ag.at_capacity);
        ag.idle = 0;
        ag.at_capacity = 0;
        self.rows += 1;
        let secs = |us: u64| int((us as f64 / 1e6).round() as i64);
        let away = !ctx.scenario.statuses[status.index()].is_online();
        self.out.record([
            id(SfObject::UserServicePresence, self.rows).to_string(),
            user_id(a as u32).to_string(),
            id(SfObject::ServicePresenceStatus, status.index() as u64 + 1).to_string(),
            ctx.place.format(start),
            if current {
                String::new()
            } else {
                ctx.place.format(t)
            },
            if current {
                String::new()
            } else {
                secs(t.since(start).0)
            },
            int(i64::from(self.capacities[a])),
            secs(idle),
            secs(at_capacity),
            boolean(away).to_string(),
            boolean(current).to_string(),
        ])
    }
}
