//! The router's view of agents, ordered per class and channel for each
//! routing model.

use super::classes::{AgentClasses, ClassId};
use super::{least_active, most_available, Exclusion, TieBreak};
use crate::omni::{
    AgentId, CapacityCost, CapacityPool, CapacityUnits, ChannelId, RoutingModel, MAX_OPEN_ITEMS,
};
use crate::time::SimTime;
use std::collections::BTreeSet;

/// What routing needs to know about one agent.
#[derive(Clone, Debug, PartialEq)]
pub struct AgentRouting {
    /// Configured (primary) capacity.
    pub capacity: CapacityUnits,
    /// Primary capacity reserved by `Assigned` and `Opened` work.
    pub load: CapacityUnits,
    /// Configured interruptible capacity.
    pub interruptible_capacity: CapacityUnits,
    /// Interruptible capacity reserved.
    pub interruptible_load: CapacityUnits,
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
    /// A logged-out agent whose interruptible capacity equals its capacity.
    pub fn offline(agent: AgentId, capacity: CapacityUnits, class: ClassId) -> AgentRouting {
        AgentRouting {
            capacity,
            load: CapacityUnits::ZERO,
            interruptible_capacity: capacity,
            interruptible_load: CapacityUnits::ZERO,
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

    /// Free primary capacity.
    pub fn free(&self) -> CapacityUnits {
        self.capacity - self.load
    }

    /// Configured capacity of `pool`.
    pub fn capacity_in(&self, pool: CapacityPool) -> CapacityUnits {
        match pool {
            CapacityPool::Primary => self.capacity,
            CapacityPool::Interruptible => self.interruptible_capacity,
        }
    }

    /// Load in `pool`.
    pub fn load_in(&self, pool: CapacityPool) -> CapacityUnits {
        match pool {
            CapacityPool::Primary => self.load,
            CapacityPool::Interruptible => self.interruptible_load,
        }
    }

    /// Free capacity in `pool`.
    pub fn free_in(&self, pool: CapacityPool) -> CapacityUnits {
        self.capacity_in(pool) - self.load_in(pool)
    }

    /// The load of `pool`, to change it.
    pub(crate) fn load_mut(&mut self, pool: CapacityPool) -> &mut CapacityUnits {
        match pool {
            CapacityPool::Primary => &mut self.load,
            CapacityPool::Interruptible => &mut self.interruptible_load,
        }
    }

    /// Eligibility exactly as the index applies it: listed (some free
    /// capacity in `pool`), then [`AgentRouting::is_eligible`]. What the
    /// scan reference, external policies and the trace all use.
    pub fn can_take(&self, channel: ChannelId, cost: CapacityCost, pool: CapacityPool) -> bool {
        self.free_in(pool) > CapacityUnits::ZERO && self.is_eligible(channel, cost, pool)
    }

    /// Whether this agent may receive an item of `channel` costing `cost`
    /// in `pool` (omni-reference §6.3, §12.4, without membership, skills
    /// and the decliner exclusion, which the caller applies).
    pub fn is_eligible(&self, channel: ChannelId, cost: CapacityCost, pool: CapacityPool) -> bool {
        let capacity = self.capacity_in(pool);
        self.channels.contains(&channel)
            && self.open_items < MAX_OPEN_ITEMS
            && self.load_in(pool) + cost.units_for(capacity.whole_units()) <= capacity
    }
}

#[derive(Debug, Default)]
struct Order {
    most_available: BTreeSet<most_available::Key>,
    least_active: BTreeSet<least_active::Key>,
}

/// Which routing models' orders an index keeps up to date, one bit per
/// order. Every change to an agent moves it in each kept order, so an
/// order no queue reads is work for nothing (moving agents in the orders
/// was a tenth of an Erlang-equivalent day's instructions, half of it in
/// the order that nobody read).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Kept(u8);

impl Kept {
    const NONE: Kept = Kept(0);
    const BOTH: Kept = Kept(0b11);

    /// The order `model` reads: an external policy's decisions are
    /// recorded in Most Available order (see [`AgentIndex::ranked`]).
    fn of(model: RoutingModel) -> Kept {
        match model {
            RoutingModel::MostAvailable | RoutingModel::External => Kept(0b01),
            RoutingModel::LeastActive => Kept(0b10),
        }
    }

    /// Whether the order `model` reads is kept.
    fn has(self, model: RoutingModel) -> bool {
        self.0 & Kept::of(model).0 != 0
    }
}

/// Whether [`AgentIndex::place`] puts an agent in its orders or takes it
/// out.
#[derive(Clone, Copy)]
enum Placing {
    In,
    Out,
}

impl Placing {
    fn apply<K: Ord>(self, order: &mut BTreeSet<K>, key: K, id: AgentId) {
        match self {
            Placing::In => {
                order.insert(key);
            }
            Placing::Out => {
                // Put there by the same walk: each removal finds its key.
                let listed = order.remove(&key);
                debug_assert!(listed, "agent {} not in its order", id.0);
            }
        }
    }
}

/// Position of the order of (`class`, `channel`, `pool`).
fn slot(
    channels: usize,
    pools: usize,
    class: ClassId,
    channel: ChannelId,
    pool: CapacityPool,
) -> usize {
    (class.index() * channels + channel.index()) * pools + pool.index()
}

/// The pools an index with `pools` orders keeps.
fn pools(pools: usize) -> &'static [CapacityPool] {
    if pools == 2 {
        &[CapacityPool::Primary, CapacityPool::Interruptible]
    } else {
        &[CapacityPool::Primary]
    }
}

/// Agents ordered per (class, channel) by each routing model its queues
/// use (see [`AgentIndex::for_models`]). An agent is
/// listed under a channel only while its status has that channel and it
/// has any free capacity, so the first fitting entry of each eligible class
/// is found in O(log n) in the common case, and the best of those few is
/// the router's choice.
#[derive(Debug)]
pub struct AgentIndex {
    agents: Vec<AgentRouting>,
    channels: usize,
    /// 1, or 2 when some queue's work is interruptible: the interruptible
    /// orders are kept only when something reads them.
    pools: usize,
    /// The routing models whose orders are kept (see
    /// [`AgentIndex::for_models`]).
    kept: Kept,
    /// `[(class * channels + channel) * pools + pool]`.
    orders: Vec<Order>,
}

impl AgentIndex {
    /// All agents logged out, with their configured capacities and classes;
    /// interruptible capacities equal the primary ones and are not indexed
    /// (see [`AgentIndex::with_interruptible`]).
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
            pools: 1,
            kept: Kept::BOTH,
            orders: (0..classes.len().max(1) * channels)
                .map(|_| Order::default())
                .collect(),
        }
    }

    /// Indexes the interruptible pool too, with each agent's interruptible
    /// capacity; call before any agent logs in.
    pub fn with_interruptible(mut self, capacities: &[CapacityUnits]) -> AgentIndex {
        for (a, c) in self.agents.iter_mut().zip(capacities) {
            a.interruptible_capacity = *c;
        }
        self.pools = 2;
        self.orders = (0..self.orders.len() * 2)
            .map(|_| Order::default())
            .collect();
        self
    }

    /// Keeps only the orders of `models` (the routing models of the
    /// scenario's queues); call before any agent logs in. An index made
    /// by [`AgentIndex::new`] keeps every model's.
    pub fn for_models(mut self, models: impl IntoIterator<Item = RoutingModel>) -> AgentIndex {
        self.kept = models
            .into_iter()
            .fold(Kept::NONE, |k, m| Kept(k.0 | Kept::of(m).0));
        self
    }

    /// One agent's routing view.
    pub fn agent(&self, id: AgentId) -> &AgentRouting {
        &self.agents[id.index()]
    }

    /// Every agent's routing view, in id order.
    pub fn agents(&self) -> &[AgentRouting] {
        &self.agents
    }

    fn slot(&self, class: ClassId, channel: ChannelId, pool: CapacityPool) -> usize {
        slot(self.channels, self.pools, class, channel, pool)
    }

    fn unlist(&mut self, id: AgentId) {
        self.place(id, Placing::Out);
    }

    fn list(&mut self, id: AgentId) {
        self.place(id, Placing::In);
    }

    /// Puts agent `id` in its orders or takes it out of them, by one walk
    /// for both, so that a removal looks exactly where the insertion put
    /// it: under each channel of its status, in each pool where it has
    /// free capacity (an agent with none is left out of that pool's
    /// orders, so at capacity one a close has nothing to search for), in
    /// each order a queue reads.
    fn place(&mut self, id: AgentId, placing: Placing) {
        // Split borrows: the agent is read while the orders change, so no
        // copy of it (and of its channel list) is made per update.
        let (agents, orders) = (&self.agents, &mut self.orders);
        let most_available = self.kept.has(RoutingModel::MostAvailable);
        let least_active = self.kept.has(RoutingModel::LeastActive);
        let a = &agents[id.index()];
        for &pool in pools(self.pools) {
            if a.free_in(pool) == CapacityUnits::ZERO {
                continue;
            }
            for c in &a.channels {
                let o = &mut orders[slot(self.channels, self.pools, a.class, *c, pool)];
                if most_available {
                    placing.apply(&mut o.most_available, most_available::key(a, pool), id);
                }
                if least_active {
                    placing.apply(&mut o.least_active, least_active::key(a, pool), id);
                }
            }
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
    pub fn reserve(
        &mut self,
        id: AgentId,
        cost: CapacityUnits,
        pool: CapacityPool,
        now: SimTime,
    ) -> TieBreak {
        let before = self.agents[id.index()].tie;
        self.update(id, |a| {
            let load = a.load_mut(pool);
            *load = *load + cost;
            a.open_items += 1;
            a.tie.pushed_since_login = true;
            a.tie.since = now;
        });
        before
    }

    /// An AgentWork ended.
    pub fn release(&mut self, id: AgentId, cost: CapacityUnits, pool: CapacityPool) {
        self.update(id, |a| {
            let load = a.load_mut(pool);
            *load = *load - cost;
            a.open_items = a.open_items.saturating_sub(1);
        });
    }

    /// A paused or resumed item now costs `to` instead of `from` in `pool`;
    /// the item count and the tie-break are unchanged.
    pub fn reprice(
        &mut self,
        id: AgentId,
        pool: CapacityPool,
        from: CapacityUnits,
        to: CapacityUnits,
    ) {
        self.update(id, |a| {
            let load = a.load_mut(pool);
            *load = *load - from + to;
        });
    }

    /// Puts back the tie-break a push replaced (the push never reached the
    /// agent, omni-reference §5.3).
    pub fn restore_tie(&mut self, id: AgentId, tie: TieBreak) {
        self.update(id, |a| a.tie = tie);
    }

    /// The best eligible agent of `classes` for an item of `channel` costing
    /// `cost` in `pool` under `model`, skipping `exclude` (the item's last
    /// decliner).
    pub fn choose(
        &self,
        channel: ChannelId,
        classes: &[ClassId],
        model: RoutingModel,
        cost: CapacityCost,
        pool: CapacityPool,
        exclude: &Exclusion,
    ) -> Option<AgentId> {
        debug_assert!(self.kept.has(model), "{model:?} order not kept");
        let fits = self.fitter(channel, cost, pool, exclude)?;
        let order = |c: &ClassId| &self.orders[self.slot(*c, channel, pool)];
        match model {
            // The library user's policy chooses (see `routing::external`).
            RoutingModel::External => None,
            RoutingModel::MostAvailable => {
                best_of(classes.iter().map(|c| &order(c).most_available), fits)
            }
            RoutingModel::LeastActive => {
                best_of(classes.iter().map(|c| &order(c).least_active), fits)
            }
        }
    }
}

impl AgentIndex {
    /// Every eligible agent of `classes` for an item of `channel` costing
    /// `cost` in `pool`, skipping `exclude`, in `model`'s order (Most
    /// Available order for [`RoutingModel::External`]): the candidates of
    /// a recorded decision, read from the same orders [`AgentIndex::choose`]
    /// takes the first of.
    pub fn ranked(
        &self,
        channel: ChannelId,
        classes: &[ClassId],
        model: RoutingModel,
        cost: CapacityCost,
        pool: CapacityPool,
        exclude: &Exclusion,
    ) -> Vec<&AgentRouting> {
        debug_assert!(self.kept.has(model), "{model:?} order not kept");
        let Some(fits) = self.fitter(channel, cost, pool, exclude) else {
            return Vec::new();
        };
        let orders = classes
            .iter()
            .map(|c| &self.orders[self.slot(*c, channel, pool)]);
        match model {
            RoutingModel::MostAvailable | RoutingModel::External => {
                self.all_of(orders.map(|o| &o.most_available), fits)
            }
            RoutingModel::LeastActive => self.all_of(orders.map(|o| &o.least_active), fits),
        }
    }

    /// Whether an agent may take an item of `channel` costing `cost` in
    /// `pool`, other than `exclude`; `None` when no order is kept for that
    /// channel and pool, so nobody can.
    fn fitter<'a>(
        &'a self,
        channel: ChannelId,
        cost: CapacityCost,
        pool: CapacityPool,
        exclude: &'a Exclusion,
    ) -> Option<impl Fn(&AgentId) -> bool + 'a> {
        (channel.index() < self.channels && pool.index() < self.pools).then_some(
            move |agent: &AgentId| {
                !exclude.excludes(*agent)
                    && self.agents[agent.index()].is_eligible(channel, cost, pool)
            },
        )
    }

    /// Every fitting agent of `orders`, in their common order. An agent has
    /// one class, so the classes' orders are disjoint: each contributes its
    /// fitting agents, and one sort by the model's key (unique, it ends
    /// with the agent) merges them.
    fn all_of<'a, K: Ord + Copy + 'a>(
        &self,
        orders: impl Iterator<Item = &'a BTreeSet<(K, TieBreak)>>,
        fits: impl Fn(&AgentId) -> bool,
    ) -> Vec<&AgentRouting> {
        let mut keys: Vec<(K, TieBreak)> = orders
            .flat_map(|o| o.iter().filter(|k| fits(&k.1.agent)).copied())
            .collect();
        keys.sort_unstable();
        keys.iter()
            .map(|k| &self.agents[k.1.agent.index()])
            .collect()
    }
}

/// The best of the first fitting agent of each order: one ordered lookup
/// per eligible class.
fn best_of<'a, K: Ord + Copy + 'a>(
    orders: impl Iterator<Item = &'a BTreeSet<(K, TieBreak)>>,
    fits: impl Fn(&AgentId) -> bool,
) -> Option<AgentId> {
    orders
        .filter_map(|o| o.iter().find(|k| fits(&k.1.agent)).copied())
        .min()
        .map(|k| k.1.agent)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::routing::{choose_by_scan, eligible_by_scan, ClassSpec};
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
        idx.reserve(
            AgentId(0),
            CapacityUnits::whole(2),
            CapacityPool::Primary,
            SimTime(1),
        );
        idx.reserve(
            AgentId(1),
            CapacityUnits::whole(1),
            CapacityPool::Primary,
            SimTime(2),
        );
        let w1 = CapacityCost::Weight(1);
        assert_eq!(
            idx.choose(
                CHAT,
                &ALL,
                RoutingModel::MostAvailable,
                w1,
                CapacityPool::Primary,
                &Exclusion::Nobody
            ),
            Some(AgentId(0))
        );
        assert_eq!(
            idx.choose(
                CHAT,
                &ALL,
                RoutingModel::LeastActive,
                w1,
                CapacityPool::Primary,
                &Exclusion::Nobody
            ),
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
            idx.choose(
                CHAT,
                &ALL,
                RoutingModel::MostAvailable,
                w1,
                CapacityPool::Primary,
                &Exclusion::Nobody
            ),
            Some(AgentId(1))
        );
        idx.reserve(
            AgentId(1),
            CapacityUnits::whole(1),
            CapacityPool::Primary,
            SimTime(10),
        );
        idx.release(AgentId(1), CapacityUnits::whole(1), CapacityPool::Primary);
        assert_eq!(
            idx.choose(
                CHAT,
                &ALL,
                RoutingModel::MostAvailable,
                w1,
                CapacityPool::Primary,
                &Exclusion::Nobody
            ),
            Some(AgentId(2))
        );
        idx.reserve(
            AgentId(2),
            CapacityUnits::whole(1),
            CapacityPool::Primary,
            SimTime(11),
        );
        idx.release(AgentId(2), CapacityUnits::whole(1), CapacityPool::Primary);
        idx.reserve(
            AgentId(0),
            CapacityUnits::whole(1),
            CapacityPool::Primary,
            SimTime(12),
        );
        idx.release(AgentId(0), CapacityUnits::whole(1), CapacityPool::Primary);
        // All pushed: oldest push first.
        assert_eq!(
            idx.choose(
                CHAT,
                &ALL,
                RoutingModel::MostAvailable,
                w1,
                CapacityPool::Primary,
                &Exclusion::Nobody
            ),
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
        idx.reserve(
            AgentId(1),
            CapacityUnits::whole(2),
            CapacityPool::Primary,
            SimTime(1),
        ); // full
        online(&mut idx, 2, vec![], 0); // busy status
        let w1 = CapacityCost::Weight(1);
        assert_eq!(
            idx.choose(
                CHAT,
                &ALL,
                RoutingModel::MostAvailable,
                w1,
                CapacityPool::Primary,
                &Exclusion::Nobody
            ),
            None
        );
        assert_eq!(
            idx.choose(
                CASE,
                &ALL,
                RoutingModel::LeastActive,
                w1,
                CapacityPool::Primary,
                &Exclusion::Nobody
            ),
            Some(AgentId(0))
        );
        assert_eq!(
            idx.choose(
                CASE,
                &ALL,
                RoutingModel::LeastActive,
                w1,
                CapacityPool::Primary,
                &Exclusion::LastDecliner(AgentId(0))
            ),
            None
        );
        assert_eq!(
            idx.choose(
                CASE,
                &ALL,
                RoutingModel::LeastActive,
                CapacityCost::Weight(3),
                CapacityPool::Primary,
                &Exclusion::Nobody
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
        idx.reserve(
            AgentId(0),
            half.units_for(1),
            CapacityPool::Primary,
            SimTime(2),
        );
        idx.reserve(
            AgentId(0),
            half.units_for(1),
            CapacityPool::Primary,
            SimTime(3),
        );
        // Agent 0 is full (two halves of 1), agent 1 has all its capacity.
        assert_eq!(
            idx.choose(
                CHAT,
                &ALL,
                RoutingModel::LeastActive,
                half,
                CapacityPool::Primary,
                &Exclusion::Nobody
            ),
            Some(AgentId(1))
        );
    }

    #[test]
    fn an_order_no_queue_reads_is_not_kept() {
        let caps = [CapacityUnits::whole(2); 3];
        let classes = AgentClasses::uniform(3, 1);
        for (models, most_available, least_active) in [
            (vec![RoutingModel::MostAvailable], true, false),
            (vec![RoutingModel::External], true, false),
            (vec![RoutingModel::LeastActive], false, true),
            (
                vec![RoutingModel::LeastActive, RoutingModel::MostAvailable],
                true,
                true,
            ),
        ] {
            let mut idx = AgentIndex::new(&caps, &classes, 1).for_models(models);
            for a in 0..3 {
                online(&mut idx, a, vec![CHAT], 0);
            }
            idx.reserve(
                AgentId(1),
                CapacityUnits::whole(1),
                CapacityPool::Primary,
                SimTime(1),
            );
            let o = &idx.orders[0];
            assert_eq!(o.most_available.len(), if most_available { 3 } else { 0 });
            assert_eq!(o.least_active.len(), if least_active { 3 } else { 0 });
        }
    }

    proptest! {
        /// The ordered index and a plain scan always agree.
        #[test]
        fn index_matches_scan(
            caps in proptest::collection::vec((1u32..5, 1u32..5), 1..12),
            ops in proptest::collection::vec((0usize..12, 0u8..5, 0u8..3), 0..60),
            weight in 1u32..3,
            pct in prop_oneof![Just(None), (1u32..=100).prop_map(Some)],
        ) {
            let n = caps.len();
            let capacities: Vec<_> = caps.iter().map(|c| CapacityUnits::whole(c.0)).collect();
            let interruptible: Vec<_> = caps.iter().map(|c| CapacityUnits::whole(c.1)).collect();
            // Three classes, agents dealt round-robin; every subset is asked.
            let classes = AgentClasses::new(
                (0..n).map(|i| ClassId((i % 3) as u32)).collect(),
                (0..3).map(|_| ClassSpec { queues: vec![], skills: vec![] }).collect(),
            );
            let make = || AgentIndex::new(&capacities, &classes, 2).with_interruptible(&interruptible);
            // Beside the index keeping every order, one per model keeping
            // only that model's (an external policy's, Most Available):
            // each must choose and rank as the full one does.
            let mut idx = make();
            let mut single = [
                (RoutingModel::External, make().for_models([RoutingModel::External])),
                (RoutingModel::LeastActive, make().for_models([RoutingModel::LeastActive])),
            ];
            let cost = match pct { Some(p) => CapacityCost::Percentage(p as f64), None => CapacityCost::Weight(weight) };
            let mut t = 0u64;
            for (agent, op, ch) in ops {
                let id = AgentId((agent % n) as u32);
                t += 1;
                for idx in std::iter::once(&mut idx).chain(single.iter_mut().map(|(_, i)| i)) {
                    match op {
                        0 => idx.set_presence(id, match ch { 0 => vec![], 1 => vec![CHAT], _ => vec![CHAT, CASE] }, Some(SimTime(t))),
                        1 | 2 => {
                            // Op 1 uses the primary pool, op 2 the interruptible one.
                            let pool = if op == 1 { CapacityPool::Primary } else { CapacityPool::Interruptible };
                            let a = idx.agent(id);
                            let c = cost.units_for(a.capacity_in(pool).whole_units());
                            if a.load_in(pool) + c <= a.capacity_in(pool) { idx.reserve(id, c, pool, SimTime(t)); }
                        }
                        _ => {
                            let pool = if ch == 0 { CapacityPool::Primary } else { CapacityPool::Interruptible };
                            let a = idx.agent(id);
                            let c = cost.units_for(a.capacity_in(pool).whole_units()).min(a.load_in(pool));
                            idx.release(id, c, pool);
                        }
                    }
                }
                let subsets: [&[ClassId]; 4] = [
                    &[ClassId(0), ClassId(1), ClassId(2)],
                    &[ClassId(1)],
                    &[ClassId(0), ClassId(2)],
                    &[],
                ];
                for model in [RoutingModel::MostAvailable, RoutingModel::LeastActive] {
                    for ex in [Exclusion::Nobody, Exclusion::LastDecliner(AgentId(0)), Exclusion::Refused(vec![AgentId(1), AgentId(2)])] {
                        let ex = &ex;
                        for classes in subsets {
                            for pool in [CapacityPool::Primary, CapacityPool::Interruptible] {
                                prop_assert_eq!(
                                    idx.choose(CHAT, classes, model, cost, pool, ex),
                                    choose_by_scan(idx.agents(), CHAT, classes, model, cost, pool, ex)
                                );
                                // A recorded decision's candidates: exactly
                                // the agents a scan finds eligible, in the
                                // model's order, best (the choice) first.
                                let routing = idx.ranked(CHAT, classes, model, cost, pool, ex);
                                let ranked: Vec<AgentId> = routing.iter().map(|a| a.tie.agent).collect();
                                let mut set = ranked.clone();
                                set.sort_unstable();
                                prop_assert_eq!(set, eligible_by_scan(idx.agents(), CHAT, classes, cost, pool, ex));
                                let in_order = routing.windows(2).all(|w| match model {
                                    RoutingModel::LeastActive => least_active::key(w[0], pool) < least_active::key(w[1], pool),
                                    _ => most_available::key(w[0], pool) < most_available::key(w[1], pool),
                                });
                                prop_assert!(in_order, "{:?}", ranked);
                                prop_assert_eq!(
                                    ranked.first().copied(),
                                    idx.choose(CHAT, classes, model, cost, pool, ex)
                                );
                                for (kept, one) in &single {
                                    if Kept::of(*kept) != Kept::of(model) {
                                        continue;
                                    }
                                    for m in [model, *kept] {
                                        prop_assert_eq!(
                                            one.choose(CHAT, classes, m, cost, pool, ex),
                                            idx.choose(CHAT, classes, m, cost, pool, ex)
                                        );
                                        let theirs: Vec<AgentId> = one.ranked(CHAT, classes, m, cost, pool, ex).iter().map(|a| a.tie.agent).collect();
                                        let ours: Vec<AgentId> = idx.ranked(CHAT, classes, m, cost, pool, ex).iter().map(|a| a.tie.agent).collect();
                                        prop_assert_eq!(theirs, ours);
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
