//! The router's view of agents and queues, rebuilt from the event stream.
//!
//! A routing decision can only be explained with the view the router had
//! when it made it, and that view is not the agents' own state: the router
//! learns of a status change, a release or a logout through a notice that
//! is delivered after the agent's events, at the same instant (the engine's
//! same-instant rules). In between it may still push to an agent whose
//! `statusChanged` has already been emitted. So agent-side changes are
//! queued here as *pending notices*, in the order the agent sent them, and
//! applied only when the stream shows the router has handled them:
//!
//! * every notice of an earlier instant (notices are delivered at the
//!   instant they are sent, before time moves on);
//! * a re-queue or abandonment of an item proves the release notice behind
//!   it, and so every notice sent before that one (delivery is FIFO);
//! * a re-queue of a push the agent never received (the agent refused it
//!   when the push reached it) proves every notice sent before the push;
//! * a routing decision proves the *fewest* pending notices that make a
//!   push possible: the router routes until nothing can be pushed after
//!   every message, so a view in which nothing can be pushed is a view the
//!   router had already left behind.
//!
//! Capacity is reserved at the routing decision, as the router does, not
//! at the push the agent reports later.

use crate::omni::{
    AgentId, CapacityPool, CapacityUnits, QueueId, SkillId, SkillRequirement, StatusId, WorkItemId,
};
use crate::routing::{
    canonical, least_active, most_available, AgentRouting, Backlog, ClassId, ItemKey, QueuedItem,
    RecentPushes,
};
use crate::scenario::Scenario;
use crate::time::SimTime;
use rustc_hash::FxHashMap;
use std::collections::VecDeque;
use std::sync::Arc;

/// What the router keeps of an item between decisions.
#[derive(Clone, Debug)]
struct ItemView {
    queue: QueueId,
    key: ItemKey,
    requested: Vec<SkillRequirement>,
    current: Vec<SkillRequirement>,
}

/// What an agent told the router, not yet known to be handled.
#[derive(Clone, Debug, PartialEq)]
enum Notice {
    /// Login, status change or logout (`status: None`).
    Presence {
        agent: AgentId,
        status: Option<StatusId>,
        clears: bool,
    },
    /// An AgentWork ended and its capacity is free again.
    Released {
        agent: AgentId,
        item: WorkItemId,
        cost: CapacityUnits,
        pool: CapacityPool,
    },
    /// An opened item was paused or resumed: its cost changed.
    Repriced {
        agent: AgentId,
        pool: CapacityPool,
        from: CapacityUnits,
        to: CapacityUnits,
    },
}

#[derive(Clone, Debug)]
struct Pending {
    seq: u64,
    time: SimTime,
    notice: Notice,
}

/// One eligible agent as the router saw it.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Candidate {
    /// The router's routing view of the agent.
    pub routing: AgentRouting,
    /// Pushes it holds (assigned or opened), by the router's count.
    pub active: u32,
    /// The pool the item would use: what "free" and "load" refer to.
    pub pool: CapacityPool,
}

impl Candidate {
    pub fn agent(&self) -> AgentId {
        self.routing.tie.agent
    }
}

/// The router's agent index and backlog, mirrored.
#[derive(Debug)]
pub(super) struct RouterView {
    scenario: Arc<Scenario>,
    agents: Vec<AgentRouting>,
    active: Vec<u32>,
    /// Logged in (in any status): only a login restarts the tie-break.
    logged_in: Vec<bool>,
    backlog: Backlog,
    items: FxHashMap<WorkItemId, ItemView>,
    pending: VecDeque<Pending>,
    sent: u64,
    /// Pushes of the current instant (a push the agent refuses gives its
    /// tie-break back, as the router does).
    recent: RecentPushes,
}

impl RouterView {
    pub fn new(scenario: Arc<Scenario>) -> RouterView {
        let backlog = Backlog::for_scenario(&scenario);
        let capacity = [
            scenario.agent_capacities(),
            scenario.agent_interruptible_capacities(),
        ];
        let agents: Vec<AgentRouting> = capacity[0]
            .iter()
            .zip(&capacity[1])
            .enumerate()
            .map(|(i, (c, ic))| {
                let id = AgentId(i as u32);
                let mut a = AgentRouting::offline(
                    id,
                    CapacityUnits::whole(*c),
                    backlog.classes().class_of(id),
                );
                a.interruptible_capacity = CapacityUnits::whole(*ic);
                a
            })
            .collect();
        let n = agents.len();
        RouterView {
            active: vec![0; n],
            logged_in: vec![false; n],
            scenario,
            agents,
            backlog,
            items: FxHashMap::default(),
            pending: VecDeque::new(),
            sent: 0,
            recent: RecentPushes::default(),
        }
    }

    /// What one item of `queue` costs `agent`.
    pub fn cost(&self, queue: QueueId, agent: AgentId) -> CapacityUnits {
        let routing = &self.scenario.queues[queue.index()].routing;
        routing.cost.units_for(
            self.agents[agent.index()]
                .capacity_in(routing.pool)
                .whole_units(),
        )
    }

    /// The capacity pool items of `queue` count against.
    pub fn pool(&self, queue: QueueId) -> CapacityPool {
        self.scenario.queues[queue.index()].routing.pool
    }

    /// How many notices have been sent so far; a mark to apply up to later.
    pub fn mark(&self) -> u64 {
        self.sent
    }

    fn send(&mut self, time: SimTime, notice: Notice) {
        self.pending.push_back(Pending {
            seq: self.sent,
            time,
            notice,
        });
        self.sent += 1;
    }

    /// The agent logged in, changed status or logged out (`None`).
    pub fn presence(
        &mut self,
        time: SimTime,
        agent: AgentId,
        status: Option<StatusId>,
        clears: bool,
    ) {
        self.send(
            time,
            Notice::Presence {
                agent,
                status,
                clears,
            },
        );
    }

    /// An AgentWork of `agent` for `item` ended.
    pub fn released(
        &mut self,
        time: SimTime,
        agent: AgentId,
        item: WorkItemId,
        queue: QueueId,
        cost: CapacityUnits,
    ) {
        let pool = self.pool(queue);
        self.send(
            time,
            Notice::Released {
                agent,
                item,
                cost,
                pool,
            },
        );
    }

    /// An opened item of `queue` held by `agent` now costs `to`.
    pub fn repriced(
        &mut self,
        time: SimTime,
        agent: AgentId,
        queue: QueueId,
        from: CapacityUnits,
        to: CapacityUnits,
    ) {
        let pool = self.pool(queue);
        self.send(
            time,
            Notice::Repriced {
                agent,
                pool,
                from,
                to,
            },
        );
    }

    /// Applies every notice sent before `now`: the router handled them
    /// before time moved on.
    pub fn advance_to(&mut self, now: SimTime) {
        while self.pending.front().is_some_and(|p| p.time < now) {
            self.apply_front();
        }
    }

    /// Applies every notice sent before `mark`.
    pub fn apply_before(&mut self, mark: u64) {
        while self.pending.front().is_some_and(|p| p.seq < mark) {
            self.apply_front();
        }
    }

    /// Applies notices up to and including the release of `item`; false if
    /// none is pending.
    pub fn apply_release_of(&mut self, item: WorkItemId) -> bool {
        let Some(pos) = self
            .pending
            .iter()
            .position(|p| matches!(p.notice, Notice::Released { item: i, .. } if i == item))
        else {
            return false;
        };
        for _ in 0..=pos {
            self.apply_front();
        }
        true
    }

    /// Applies the fewest pending notices after which something can be
    /// pushed (see the module docs).
    pub fn settle_for_decision(&mut self) {
        while !self.pending.is_empty() && !self.can_push() {
            self.apply_front();
        }
    }

    fn apply_front(&mut self) {
        let Some(p) = self.pending.pop_front() else {
            return;
        };
        match p.notice {
            Notice::Presence {
                agent,
                status,
                clears,
            } => {
                let channels = status
                    .map(|s| self.scenario.statuses[s.index()].channels.clone())
                    .unwrap_or_default();
                let a = &mut self.agents[agent.index()];
                // Like the router: a login (not a return from a busy
                // status) restarts the tie-break clock.
                let was_logged_in =
                    std::mem::replace(&mut self.logged_in[agent.index()], status.is_some());
                if !was_logged_in && status.is_some() {
                    a.tie.pushed_since_login = false;
                    a.tie.since = p.time;
                }
                a.channels = channels;
                if clears {
                    self.backlog.clear_exclusions(agent);
                }
            }
            Notice::Released {
                agent, cost, pool, ..
            } => self.release(agent, cost, pool),
            Notice::Repriced {
                agent,
                pool,
                from,
                to,
            } => {
                let load = self.agents[agent.index()].load_mut(pool);
                *load = *load - from + to;
            }
        }
    }

    fn release(&mut self, agent: AgentId, cost: CapacityUnits, pool: CapacityPool) {
        let load = self.agents[agent.index()].load_mut(pool);
        *load = *load - cost;
        let n = &mut self.active[agent.index()];
        *n = n.saturating_sub(1);
    }

    /// A push the agent refused: the router frees what it reserved and
    /// gives back the tie-break time the push took (see the router).
    pub fn refused(
        &mut self,
        agent: AgentId,
        item: WorkItemId,
        queue: QueueId,
        cost: CapacityUnits,
        now: SimTime,
    ) {
        self.release(agent, cost, self.pool(queue));
        if let Some(tie) = self.recent.undo(now, agent, item) {
            self.agents[agent.index()].tie = tie;
        }
    }

    /// Whether the router would push something now.
    fn can_push(&self) -> bool {
        for (_, q) in self.backlog.queues() {
            for b in q.buckets() {
                if b.is_empty() {
                    continue;
                }
                let mut eligible = self
                    .agents
                    .iter()
                    .filter(|a| {
                        b.classes.contains(&a.class) && a.can_take(q.channel, q.cost, q.pool)
                    })
                    .map(|a| a.tie.agent);
                let Some(first) = eligible.next() else {
                    continue;
                };
                if eligible.next().is_some() || b.items().any(|(_, e)| e.excluded != Some(first)) {
                    return true;
                }
            }
        }
        false
    }

    /// A new item entered its queue.
    pub fn arrive(
        &mut self,
        item: WorkItemId,
        queue: QueueId,
        key: ItemKey,
        skills: &[SkillRequirement],
    ) {
        let requested = canonical(skills);
        self.items.insert(
            item,
            ItemView {
                queue,
                key,
                current: requested.clone(),
                requested,
            },
        );
        self.enqueue(item, None);
    }

    /// A transferred item entered `queue` as a fresh entry: new key and
    /// skills, nothing dropped, no exclusion (it is not in the backlog
    /// then: it was with an agent).
    pub fn transfer_in(
        &mut self,
        item: WorkItemId,
        queue: QueueId,
        key: ItemKey,
        skills: &[SkillRequirement],
    ) {
        if let Some(v) = self.items.get_mut(&item) {
            let requested = canonical(skills);
            v.queue = queue;
            v.key = key;
            v.current.clone_from(&requested);
            v.requested = requested;
        }
        self.enqueue(item, None);
    }

    /// The item went (back) to its queue, excluding `excluded`.
    pub fn enqueue(&mut self, item: WorkItemId, excluded: Option<AgentId>) {
        if let Some(v) = self.items.get(&item) {
            self.backlog
                .insert(v.queue, &v.current, v.key, QueuedItem { item, excluded });
        }
    }

    /// An item left its queue (pushed or abandoned); its exclusion, if any.
    pub fn dequeue(&mut self, item: WorkItemId) -> Option<QueuedItem> {
        let v = self.items.get(&item)?;
        self.backlog.remove(v.queue, v.key)
    }

    /// The router dropped a group of `item`'s additional skills.
    pub fn drop_skills(&mut self, item: WorkItemId, skills: &[SkillId]) {
        let queued = self.dequeue(item);
        if let Some(v) = self.items.get_mut(&item) {
            v.current
                .retain(|r| !(r.additional && skills.contains(&r.skill)));
        }
        if let Some(q) = queued {
            self.enqueue(item, q.excluded);
        }
    }

    /// The item's skills were restored (it is not in the backlog then).
    pub fn reset_skills(&mut self, item: WorkItemId) {
        if let Some(v) = self.items.get_mut(&item) {
            v.current.clone_from(&v.requested);
        }
    }

    /// The skills `item` still requires.
    pub fn requirements(&self, item: WorkItemId) -> &[SkillRequirement] {
        self.items.get(&item).map_or(&[], |v| &v.current)
    }

    /// The item is gone (closed, abandoned or ended); nothing of it is kept.
    pub fn forget(&mut self, item: WorkItemId) {
        self.dequeue(item);
        self.items.remove(&item);
    }

    /// The router reserved capacity for a push of `item`.
    pub fn reserve(
        &mut self,
        agent: AgentId,
        item: WorkItemId,
        queue: QueueId,
        cost: CapacityUnits,
        now: SimTime,
    ) {
        let pool = self.pool(queue);
        let a = &mut self.agents[agent.index()];
        self.recent.record(now, agent, item, a.tie);
        let load = a.load_mut(pool);
        *load = *load + cost;
        a.tie.pushed_since_login = true;
        a.tie.since = now;
        self.active[agent.index()] += 1;
    }

    /// The classes that may take `item` as it stands.
    fn classes_for(&self, item: WorkItemId) -> Option<(QueueId, Vec<ClassId>)> {
        let v = self.items.get(&item)?;
        Some((v.queue, self.backlog.eligible_classes(v.queue, &v.current)))
    }

    /// Eligible agents for an item of `queue`, best first by the queue's
    /// routing model; at most `limit` of them, with the total count.
    pub fn ranked(
        &self,
        item: WorkItemId,
        excluded: Option<AgentId>,
        limit: usize,
    ) -> (Vec<Candidate>, usize) {
        let Some((queue, classes)) = self.classes_for(item) else {
            return (Vec::new(), 0);
        };
        let q = &self.scenario.queues[queue.index()];
        let mut eligible: Vec<&AgentRouting> = self
            .agents
            .iter()
            .filter(|a| {
                Some(a.tie.agent) != excluded
                    && classes.contains(&a.class)
                    && a.can_take(q.channel, q.routing.cost, q.routing.pool)
            })
            .collect();
        let total = eligible.len();
        // Only the first `limit` are listed: select them, then sort those
        // (keys are unique, so the order is total).
        fn top<K: Ord>(
            v: &mut Vec<&AgentRouting>,
            limit: usize,
            pool: CapacityPool,
            key: fn(&AgentRouting, CapacityPool) -> K,
        ) {
            if limit == 0 {
                v.clear();
                return;
            }
            if v.len() > limit {
                v.select_nth_unstable_by_key(limit - 1, |a| key(a, pool));
                v.truncate(limit);
            }
            v.sort_unstable_by_key(|a| key(a, pool));
        }
        let pool = q.routing.pool;
        match q.routing.model {
            // External choices are listed in Most Available order.
            crate::omni::RoutingModel::MostAvailable | crate::omni::RoutingModel::External => {
                top(&mut eligible, limit, pool, most_available::key)
            }
            crate::omni::RoutingModel::LeastActive => {
                top(&mut eligible, limit, pool, least_active::key)
            }
        }
        let list = eligible
            .into_iter()
            .map(|a| Candidate {
                routing: a.clone(),
                active: self.active[a.tie.agent.index()],
                pool,
            })
            .collect();
        (list, total)
    }

    /// Whether `agent` may take `item` as the router sees it (what an
    /// external routing policy is offered).
    pub fn may_take(&self, item: WorkItemId, excluded: Option<AgentId>, agent: AgentId) -> bool {
        let Some((queue, classes)) = self.classes_for(item) else {
            return false;
        };
        let q = &self.scenario.queues[queue.index()];
        let a = &self.agents[agent.index()];
        Some(agent) != excluded
            && classes.contains(&a.class)
            && a.can_take(q.channel, q.routing.cost, q.routing.pool)
    }

    /// The agent the router would choose for `item`.
    pub fn best(&self, item: WorkItemId, excluded: Option<AgentId>) -> Option<AgentId> {
        let (queue, classes) = self.classes_for(item)?;
        let q = &self.scenario.queues[queue.index()];
        let eligible = self.agents.iter().filter(|a| {
            Some(a.tie.agent) != excluded
                && classes.contains(&a.class)
                && a.can_take(q.channel, q.routing.cost, q.routing.pool)
        });
        let pool = q.routing.pool;
        match q.routing.model {
            crate::omni::RoutingModel::External => return None,
            crate::omni::RoutingModel::MostAvailable => {
                eligible.min_by_key(|a| most_available::key(a, pool))
            }
            crate::omni::RoutingModel::LeastActive => {
                eligible.min_by_key(|a| least_active::key(a, pool))
            }
        }
        .map(|a| a.tie.agent)
    }
}
