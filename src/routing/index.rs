//! The router's view of agents, ordered per channel for each routing model.

use super::{least_active, most_available, TieBreak};
use crate::omni::{AgentId, CapacityCost, CapacityUnits, ChannelId, RoutingModel};
use crate::time::SimTime;
use std::collections::BTreeSet;

/// What routing needs to know about one agent.
#[derive(Clone, Debug, PartialEq)]
pub struct AgentRouting {
    /// Configured capacity.
    pub capacity: CapacityUnits,
    /// Capacity reserved by `Assigned` and `Opened` work.
    pub load: CapacityUnits,
    /// Channels of the current status; empty when busy or logged out.
    pub channels: Vec<ChannelId>,
    /// Tie-break data (includes the agent id).
    pub tie: TieBreak,
}

impl AgentRouting {
    /// A logged-out agent.
    pub fn offline(agent: AgentId, capacity: CapacityUnits) -> AgentRouting {
        AgentRouting {
            capacity,
            load: CapacityUnits::ZERO,
            channels: Vec::new(),
            tie: TieBreak {
                pushed_since_login: false,
                since: SimTime::ZERO,
                agent,
            },
        }
    }

    /// Free capacity.
    pub fn free(&self) -> CapacityUnits {
        self.capacity - self.load
    }

    /// Whether this agent may receive an item of `channel` costing `cost`
    /// (omni-reference §6.3, without the decliner exclusion).
    pub fn is_eligible(&self, channel: ChannelId, cost: CapacityCost) -> bool {
        self.channels.contains(&channel)
            && self.load + cost.units_for(self.capacity_whole()) <= self.capacity
    }

    fn capacity_whole(&self) -> u32 {
        (self.capacity.0 / 1000) as u32
    }
}

#[derive(Debug, Default)]
struct ChannelOrder {
    most_available: BTreeSet<most_available::Key>,
    least_active: BTreeSet<least_active::Key>,
}

/// Agents ordered per channel by each routing model. An agent is listed
/// under a channel only while its status has that channel and it has any
/// free capacity, so the first fitting entry is found in O(log n) in the
/// common case.
#[derive(Debug)]
pub struct AgentIndex {
    agents: Vec<AgentRouting>,
    orders: Vec<ChannelOrder>,
}

impl AgentIndex {
    /// All agents logged out, with their configured capacities.
    pub fn new(capacities: &[CapacityUnits], channels: usize) -> AgentIndex {
        AgentIndex {
            agents: capacities
                .iter()
                .enumerate()
                .map(|(i, c)| AgentRouting::offline(AgentId(i as u32), *c))
                .collect(),
            orders: (0..channels).map(|_| ChannelOrder::default()).collect(),
        }
    }

    /// One agent's routing view.
    pub fn agent(&self, id: AgentId) -> &AgentRouting {
        &self.agents[id.index()]
    }

    /// Every agent's routing view, in id order.
    pub fn agents(&self) -> &[AgentRouting] {
        &self.agents
    }

    fn unlist(&mut self, id: AgentId) {
        let a = &self.agents[id.index()];
        for c in &a.channels {
            let o = &mut self.orders[c.index()];
            o.most_available.remove(&most_available::key(a));
            o.least_active.remove(&least_active::key(a));
        }
    }

    fn list(&mut self, id: AgentId) {
        let a = &self.agents[id.index()];
        if a.free() == CapacityUnits::ZERO {
            return;
        }
        for c in &a.channels {
            let o = &mut self.orders[c.index()];
            o.most_available.insert(most_available::key(a));
            o.least_active.insert(least_active::key(a));
        }
    }

    /// Changes one agent's view, keeping the orders consistent.
    pub fn update(&mut self, id: AgentId, f: impl FnOnce(&mut AgentRouting)) {
        self.unlist(id);
        f(&mut self.agents[id.index()]);
        self.list(id);
    }

    /// The agent logged in or changed status; `channels` empty = busy or
    /// offline. `login_at` (a login, not a return from a busy status)
    /// restarts the tie-break clock.
    pub fn set_presence(
        &mut self,
        id: AgentId,
        channels: Vec<ChannelId>,
        login_at: Option<SimTime>,
    ) {
        self.update(id, |a| {
            a.channels = channels;
            if let Some(t) = login_at {
                a.tie.pushed_since_login = false;
                a.tie.since = t;
            }
        });
    }

    /// A push reserved capacity.
    pub fn reserve(&mut self, id: AgentId, cost: CapacityUnits, now: SimTime) {
        self.update(id, |a| {
            a.load = a.load + cost;
            a.tie.pushed_since_login = true;
            a.tie.since = now;
        });
    }

    /// An AgentWork ended.
    pub fn release(&mut self, id: AgentId, cost: CapacityUnits) {
        self.update(id, |a| a.load = a.load - cost);
    }

    /// The best eligible agent for an item of `channel` under `model`,
    /// skipping `exclude` (the item's last decliner).
    pub fn choose(
        &self,
        channel: ChannelId,
        model: RoutingModel,
        cost: CapacityCost,
        exclude: Option<AgentId>,
    ) -> Option<AgentId> {
        let order = self.orders.get(channel.index())?;
        let fits = |agent: AgentId| {
            Some(agent) != exclude && self.agents[agent.index()].is_eligible(channel, cost)
        };
        match model {
            RoutingModel::MostAvailable => order
                .most_available
                .iter()
                .map(|k| k.1.agent)
                .find(|a| fits(*a)),
            RoutingModel::LeastActive => order
                .least_active
                .iter()
                .map(|k| k.1.agent)
                .find(|a| fits(*a)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::routing::choose_by_scan;
    use proptest::prelude::*;

    const CHAT: ChannelId = ChannelId(0);
    const CASE: ChannelId = ChannelId(1);

    fn online(index: &mut AgentIndex, id: u32, channels: Vec<ChannelId>, at: u64) {
        index.set_presence(AgentId(id), channels, Some(SimTime(at)));
    }

    #[test]
    fn most_available_prefers_free_capacity_least_active_prefers_low_load() {
        // Agent 0: capacity 4, load 2 (free 2). Agent 1: capacity 2, load 1 (free 1).
        let mut idx = AgentIndex::new(&[CapacityUnits::whole(4), CapacityUnits::whole(2)], 2);
        online(&mut idx, 0, vec![CHAT], 0);
        online(&mut idx, 1, vec![CHAT], 0);
        idx.reserve(AgentId(0), CapacityUnits::whole(2), SimTime(1));
        idx.reserve(AgentId(1), CapacityUnits::whole(1), SimTime(2));
        let w1 = CapacityCost::Weight(1);
        assert_eq!(
            idx.choose(CHAT, RoutingModel::MostAvailable, w1, None),
            Some(AgentId(0))
        );
        assert_eq!(
            idx.choose(CHAT, RoutingModel::LeastActive, w1, None),
            Some(AgentId(1))
        );
    }

    #[test]
    fn ties_go_to_the_agent_never_pushed_then_longest_since_push() {
        let mut idx = AgentIndex::new(&[CapacityUnits::whole(1); 3], 1);
        online(&mut idx, 0, vec![CHAT], 5);
        online(&mut idx, 1, vec![CHAT], 3);
        online(&mut idx, 2, vec![CHAT], 3);
        let w1 = CapacityCost::Weight(1);
        // Never pushed: earliest login, then lowest id.
        assert_eq!(
            idx.choose(CHAT, RoutingModel::MostAvailable, w1, None),
            Some(AgentId(1))
        );
        idx.reserve(AgentId(1), CapacityUnits::whole(1), SimTime(10));
        idx.release(AgentId(1), CapacityUnits::whole(1));
        assert_eq!(
            idx.choose(CHAT, RoutingModel::MostAvailable, w1, None),
            Some(AgentId(2))
        );
        idx.reserve(AgentId(2), CapacityUnits::whole(1), SimTime(11));
        idx.release(AgentId(2), CapacityUnits::whole(1));
        idx.reserve(AgentId(0), CapacityUnits::whole(1), SimTime(12));
        idx.release(AgentId(0), CapacityUnits::whole(1));
        // All pushed: oldest push first.
        assert_eq!(
            idx.choose(CHAT, RoutingModel::MostAvailable, w1, None),
            Some(AgentId(1))
        );
    }

    #[test]
    fn ineligible_agents_are_never_chosen() {
        let mut idx = AgentIndex::new(&[CapacityUnits::whole(2); 3], 2);
        online(&mut idx, 0, vec![CASE], 0); // wrong channel
        online(&mut idx, 1, vec![CHAT], 0);
        idx.reserve(AgentId(1), CapacityUnits::whole(2), SimTime(1)); // full
        online(&mut idx, 2, vec![], 0); // busy status
        let w1 = CapacityCost::Weight(1);
        assert_eq!(
            idx.choose(CHAT, RoutingModel::MostAvailable, w1, None),
            None
        );
        assert_eq!(
            idx.choose(CASE, RoutingModel::LeastActive, w1, None),
            Some(AgentId(0))
        );
        assert_eq!(
            idx.choose(CASE, RoutingModel::LeastActive, w1, Some(AgentId(0))),
            None
        );
        assert_eq!(
            idx.choose(
                CASE,
                RoutingModel::LeastActive,
                CapacityCost::Weight(3),
                None
            ),
            None
        );
    }

    #[test]
    fn percentage_cost_depends_on_the_agent_capacity() {
        let mut idx = AgentIndex::new(&[CapacityUnits::whole(1), CapacityUnits::whole(2)], 1);
        online(&mut idx, 0, vec![CHAT], 0);
        online(&mut idx, 1, vec![CHAT], 1);
        let half = CapacityCost::Percentage(50.0);
        idx.reserve(AgentId(0), half.units_for(1), SimTime(2));
        idx.reserve(AgentId(0), half.units_for(1), SimTime(3));
        // Agent 0 is full (two halves of 1), agent 1 has all its capacity.
        assert_eq!(
            idx.choose(CHAT, RoutingModel::LeastActive, half, None),
            Some(AgentId(1))
        );
    }

    proptest! {
        /// The ordered index and a plain scan always agree.
        #[test]
        fn index_matches_scan(
            caps in proptest::collection::vec(1u32..5, 1..12),
            ops in proptest::collection::vec((0usize..12, 0u8..5, 0u8..3), 0..60),
            weight in 1u32..3,
            pct in prop_oneof![Just(None), (1u32..=100).prop_map(Some)],
        ) {
            let n = caps.len();
            let capacities: Vec<_> = caps.iter().map(|c| CapacityUnits::whole(*c)).collect();
            let mut idx = AgentIndex::new(&capacities, 2);
            let cost = match pct { Some(p) => CapacityCost::Percentage(p as f64), None => CapacityCost::Weight(weight) };
            let mut t = 0u64;
            for (agent, op, ch) in ops {
                let id = AgentId((agent % n) as u32);
                t += 1;
                match op {
                    0 => idx.set_presence(id, match ch { 0 => vec![], 1 => vec![CHAT], _ => vec![CHAT, CASE] }, Some(SimTime(t))),
                    1 | 2 => {
                        let c = cost.units_for(caps[id.index()]);
                        if idx.agent(id).load + c <= idx.agent(id).capacity { idx.reserve(id, c, SimTime(t)); }
                    }
                    _ => {
                        let load = idx.agent(id).load;
                        let c = cost.units_for(caps[id.index()]).min(load);
                        idx.release(id, c);
                    }
                }
                for model in [RoutingModel::MostAvailable, RoutingModel::LeastActive] {
                    for ex in [None, Some(AgentId(0))] {
                        prop_assert_eq!(
                            idx.choose(CHAT, model, cost, ex),
                            choose_by_scan(idx.agents(), CHAT, model, cost, ex)
                        );
                    }
                }
            }
        }
    }
}
