//! The router's view of agents, ordered per class and channel for each
//! routing model.

use super::classes::{AgentClasses, ClassId};
use super::{least_active, most_available, TieBreak};
use crate::omni::{AgentId, CapacityCost, CapacityUnits, ChannelId, RoutingModel, MAX_OPEN_ITEMS};
use crate::time::SimTime;
use std::collections::BTreeSet;

/// What routing needs to know about one agent.
#[derive(Clone, Debug, PartialEq)]
pub struct AgentRouting {
    /// Configured capacity.
    pub capacity: CapacityUnits,
    /// Capacity reserved by `Assigned` and `Opened` work.
    pub load: CapacityUnits,
    /// `Assigned` and `Opened` work items held, whatever their cost:
    /// Omni-Channel caps it at [`MAX_OPEN_ITEMS`].
    pub open_items: u32,
    /// Channels of the current status; empty when busy or logged out.
    pub channels: Vec<ChannelId>,
    /// Memberships and skills (see [`AgentClasses`]).
    pub class: ClassId,
    /// Tie-break data (includes the agent id).
    pub tie: TieBreak,
}

impl AgentRouting {
    /// A logged-out agent.
    pub fn offline(agent: AgentId, capacity: CapacityUnits, class: ClassId) -> AgentRouting {
        AgentRouting {
            capacity,
            load: CapacityUnits::ZERO,
            open_items: 0,
            channels: Vec::new(),
            class,
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
    /// (omni-reference §6.3, without membership, skills and the decliner
    /// exclusion, which the caller applies).
    pub fn is_eligible(&self, channel: ChannelId, cost: CapacityCost) -> bool {
        self.channels.contains(&channel)
            && self.open_items < MAX_OPEN_ITEMS
            && self.load + cost.units_for(self.capacity.whole_units()) <= self.capacity
    }
}

#[derive(Debug, Default)]
struct Order {
    most_available: BTreeSet<most_available::Key>,
    least_active: BTreeSet<least_active::Key>,
}

/// Agents ordered per (class, channel) by each routing model. An agent is
/// listed under a channel only while its status has that channel and it
/// has any free capacity, so the first fitting entry of each eligible class
/// is found in O(log n) in the common case, and the best of those few is
/// the router's choice.
#[derive(Debug)]
pub struct AgentIndex {
    agents: Vec<AgentRouting>,
    channels: usize,
    /// `[class * channels + channel]`.
    orders: Vec<Order>,
}

impl AgentIndex {
    /// All agents logged out, with their configured capacities and classes.
    pub fn new(
        capacities: &[CapacityUnits],
        classes: &AgentClasses,
        channels: usize,
    ) -> AgentIndex {
        AgentIndex {
            agents: capacities
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    let id = AgentId(i as u32);
                    AgentRouting::offline(id, *c, classes.class_of(id))
                })
                .collect(),
            channels,
            orders: (0..classes.len().max(1) * channels)
                .map(|_| Order::default())
                .collect(),
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

    fn order_mut(&mut self, class: ClassId, channel: ChannelId) -> &mut Order {
        &mut self.orders[class.index() * self.channels + channel.index()]
    }

    fn unlist(&mut self, id: AgentId) {
        let a = self.agents[id.index()].clone();
        for c in &a.channels {
            let o = self.order_mut(a.class, *c);
            o.most_available.remove(&most_available::key(&a));
            o.least_active.remove(&least_active::key(&a));
        }
    }

    fn list(&mut self, id: AgentId) {
        let a = self.agents[id.index()].clone();
        if a.free() == CapacityUnits::ZERO {
            return;
        }
        for c in &a.channels {
            let o = self.order_mut(a.class, *c);
            o.most_available.insert(most_available::key(&a));
            o.least_active.insert(least_active::key(&a));
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

    /// A push reserved capacity; returns the tie-break it replaced, so a
    /// push the agent never receives can be undone.
    pub fn reserve(&mut self, id: AgentId, cost: CapacityUnits, now: SimTime) -> TieBreak {
        let before = self.agents[id.index()].tie;
        self.update(id, |a| {
            a.load = a.load + cost;
            a.open_items += 1;
            a.tie.pushed_since_login = true;
            a.tie.since = now;
        });
        before
    }

    /// An AgentWork ended.
    pub fn release(&mut self, id: AgentId, cost: CapacityUnits) {
        self.update(id, |a| {
            a.load = a.load - cost;
            a.open_items = a.open_items.saturating_sub(1);
        });
    }

    /// Puts back the tie-break a push replaced (the push never reached the
    /// agent, omni-reference §5.3).
    pub fn restore_tie(&mut self, id: AgentId, tie: TieBreak) {
        self.update(id, |a| a.tie = tie);
    }

    /// The best eligible agent of `classes` for an item of `channel` under
    /// `model`, skipping `exclude` (the item's last decliner).
    pub fn choose(
        &self,
        channel: ChannelId,
        classes: &[ClassId],
        model: RoutingModel,
        cost: CapacityCost,
        exclude: Option<AgentId>,
    ) -> Option<AgentId> {
        if channel.index() >= self.channels {
            return None;
        }
        let fits = |agent: &AgentId| {
            Some(*agent) != exclude && self.agents[agent.index()].is_eligible(channel, cost)
        };
        let order = |c: &ClassId| &self.orders[c.index() * self.channels + channel.index()];
        match model {
            RoutingModel::MostAvailable => classes
                .iter()
                .filter_map(|c| {
                    order(c)
                        .most_available
                        .iter()
                        .find(|k| fits(&k.1.agent))
                        .copied()
                })
                .min()
                .map(|k| k.1.agent),
            RoutingModel::LeastActive => classes
                .iter()
                .filter_map(|c| {
                    order(c)
                        .least_active
                        .iter()
                        .find(|k| fits(&k.1.agent))
                        .copied()
                })
                .min()
                .map(|k| k.1.agent),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::routing::{choose_by_scan, ClassSpec};
    use proptest::prelude::*;

    const CHAT: ChannelId = ChannelId(0);
    const ALL: [ClassId; 1] = [ClassId(0)];
    const CASE: ChannelId = ChannelId(1);

    fn online(index: &mut AgentIndex, id: u32, channels: Vec<ChannelId>, at: u64) {
        index.set_presence(AgentId(id), channels, Some(SimTime(at)));
    }

    #[test]
    fn most_available_prefers_free_capacity_least_active_prefers_low_load() {
        // Agent 0: capacity 4, load 2 (free 2). Agent 1: capacity 2, load 1 (free 1).
        let mut idx = AgentIndex::new(
            &[CapacityUnits::whole(4), CapacityUnits::whole(2)],
            &AgentClasses::uniform(2, 1),
            2,
        );
        online(&mut idx, 0, vec![CHAT], 0);
        online(&mut idx, 1, vec![CHAT], 0);
        idx.reserve(AgentId(0), CapacityUnits::whole(2), SimTime(1));
        idx.reserve(AgentId(1), CapacityUnits::whole(1), SimTime(2));
        let w1 = CapacityCost::Weight(1);
        assert_eq!(
            idx.choose(CHAT, &ALL, RoutingModel::MostAvailable, w1, None),
            Some(AgentId(0))
        );
        assert_eq!(
            idx.choose(CHAT, &ALL, RoutingModel::LeastActive, w1, None),
            Some(AgentId(1))
        );
    }

    #[test]
    fn ties_go_to_the_agent_never_pushed_then_longest_since_push() {
        let mut idx = AgentIndex::new(
            &[CapacityUnits::whole(1); 3],
            &AgentClasses::uniform(3, 1),
            1,
        );
        online(&mut idx, 0, vec![CHAT], 5);
        online(&mut idx, 1, vec![CHAT], 3);
        online(&mut idx, 2, vec![CHAT], 3);
        let w1 = CapacityCost::Weight(1);
        // Never pushed: earliest login, then lowest id.
        assert_eq!(
            idx.choose(CHAT, &ALL, RoutingModel::MostAvailable, w1, None),
            Some(AgentId(1))
        );
        idx.reserve(AgentId(1), CapacityUnits::whole(1), SimTime(10));
        idx.release(AgentId(1), CapacityUnits::whole(1));
        assert_eq!(
            idx.choose(CHAT, &ALL, RoutingModel::MostAvailable, w1, None),
            Some(AgentId(2))
        );
        idx.reserve(AgentId(2), CapacityUnits::whole(1), SimTime(11));
        idx.release(AgentId(2), CapacityUnits::whole(1));
        idx.reserve(AgentId(0), CapacityUnits::whole(1), SimTime(12));
        idx.release(AgentId(0), CapacityUnits::whole(1));
        // All pushed: oldest push first.
        assert_eq!(
            idx.choose(CHAT, &ALL, RoutingModel::MostAvailable, w1, None),
            Some(AgentId(1))
        );
    }

    #[test]
    fn ineligible_agents_are_never_chosen() {
        let mut idx = AgentIndex::new(
            &[CapacityUnits::whole(2); 3],
            &AgentClasses::uniform(3, 1),
            2,
        );
        online(&mut idx, 0, vec![CASE], 0); // wrong channel
        online(&mut idx, 1, vec![CHAT], 0);
        idx.reserve(AgentId(1), CapacityUnits::whole(2), SimTime(1)); // full
        online(&mut idx, 2, vec![], 0); // busy status
        let w1 = CapacityCost::Weight(1);
        assert_eq!(
            idx.choose(CHAT, &ALL, RoutingModel::MostAvailable, w1, None),
            None
        );
        assert_eq!(
            idx.choose(CASE, &ALL, RoutingModel::LeastActive, w1, None),
            Some(AgentId(0))
        );
        assert_eq!(
            idx.choose(CASE, &ALL, RoutingModel::LeastActive, w1, Some(AgentId(0))),
            None
        );
        assert_eq!(
            idx.choose(
                CASE,
                &ALL,
                RoutingModel::LeastActive,
                CapacityCost::Weight(3),
                None
            ),
            None
        );
    }

    #[test]
    fn percentage_cost_depends_on_the_agent_capacity() {
        let mut idx = AgentIndex::new(
            &[CapacityUnits::whole(1), CapacityUnits::whole(2)],
            &AgentClasses::uniform(2, 1),
            1,
        );
        online(&mut idx, 0, vec![CHAT], 0);
        online(&mut idx, 1, vec![CHAT], 1);
        let half = CapacityCost::Percentage(50.0);
        idx.reserve(AgentId(0), half.units_for(1), SimTime(2));
        idx.reserve(AgentId(0), half.units_for(1), SimTime(3));
        // Agent 0 is full (two halves of 1), agent 1 has all its capacity.
        assert_eq!(
            idx.choose(CHAT, &ALL, RoutingModel::LeastActive, half, None),
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
            // Three classes, agents dealt round-robin; every subset is asked.
            let classes = AgentClasses::new(
                (0..n).map(|i| ClassId((i % 3) as u32)).collect(),
                (0..3).map(|_| ClassSpec { queues: vec![], skills: vec![] }).collect(),
            );
            let mut idx = AgentIndex::new(&capacities, &classes, 2);
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
                let subsets: [&[ClassId]; 4] = [
                    &[ClassId(0), ClassId(1), ClassId(2)],
                    &[ClassId(1)],
                    &[ClassId(0), ClassId(2)],
                    &[],
                ];
                for model in [RoutingModel::MostAvailable, RoutingModel::LeastActive] {
                    for ex in [None, Some(AgentId(0))] {
                        for classes in subsets {
                            prop_assert_eq!(
                                idx.choose(CHAT, classes, model, cost, ex),
                                choose_by_scan(idx.agents(), CHAT, classes, model, cost, ex)
                            );
                        }
                    }
                }
            }
        }
    }
}
