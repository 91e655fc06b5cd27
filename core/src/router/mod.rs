//! The router actor: holds the queues and pushes work to agents.
//!
//! It keeps its own view of every agent ([`AgentIndex`]): capacity is
//! reserved in that view the moment it pushes, and freed only when the
//! agent reports a release, so the view never shows more free capacity
//! than the agent really has. A release other than a close is a notice
//! (the item needs the router); a close only frees capacity, which the
//! agent leaves in the shared routing view for the router to take at the
//! start of its next message (`take_freed`). Decisions are delegated to the pure
//! [`crate::routing::next_push`]; this actor only applies them, and keeps
//! what belongs to an item between decisions: its decliner exclusion
//! (omni-reference §5.3), its skill requirements and their drop schedule
//! (the `skills` submodule, §12.2), and who refused it on a channel that ends items
//! declined by everyone (§12.6): there it is tried once per agent, waits
//! for an agent it has not tried, and ends when none is left.

mod skills;

use crate::arrivals::Generator;
use crate::events::{DecisionRecord, DecisionRule, EventKind};
use crate::kernel::calendar::TimerId;
use crate::kernel::handle::EngineHandle;
use crate::kernel::instruments::{self, Probe};
use crate::kernel::messages::{AgentMsg, AgentNotice, Assignment, Entry, Release, RouterMsg};
use crate::omni::{AgentId, CapacityPool, CapacityUnits, QueueId, WorkItem, WorkItemId};
use crate::routing::{
    decision_rule, next_push, ranked_agent, AgentIndex, Backlog, Exclusion, ItemKey, QueuedItem,
    RecentPushes, RoutingPolicy,
};
use crate::scenario::Scenario;
use actix::{Actor, Context, Handler};
use rustc_hash::FxHashMap;
use skills::Requirements;
use std::rc::Rc;
use std::sync::Arc;

#[derive(Debug)]
enum ItemState {
    Waiting,
    Pushed(AgentId),
}

#[derive(Debug)]
struct RoutedItem {
    item: WorkItem,
    state: ItemState,
    excluded: Option<AgentId>,
    /// Patience ran out while pushed: abandon instead of re-queueing.
    patience_expired: bool,
    /// Accepted once already (status-based work reassigned after its
    /// agent's logout, or transferred): its customer is being served and
    /// never abandons.
    answered: bool,
    /// Skills still required and the drop schedule (skills-based work).
    requirements: Requirements,
    /// Agents that declined it or let it time out, on a channel that ends
    /// an item refused by every available agent (§12.6).
    refused_by: Vec<AgentId>,
    /// The patience timer, handed with each push to the agent, which
    /// cancels it on accepting.
    patience_timer: Option<TimerId>,
}

impl RoutedItem {
    /// Who it may not go to now: on a channel that ends items declined by
    /// everyone, every agent that refused it (§12.6); elsewhere its last
    /// decliner (§5.3).
    fn exclusion(&self, scenario: &Scenario) -> Exclusion {
        if !self.refused_by.is_empty()
            && scenario.channels[self.item.channel.index()].ends_when_all_decline
        {
            return Exclusion::Refused(self.refused_by.clone());
        }
        self.excluded
            .map_or(Exclusion::Nobody, Exclusion::LastDecliner)
    }

    fn key(&self) -> ItemKey {
        ItemKey::new(
            self.item.priority,
            self.item.secondary_priority,
            self.item.requested_at,
            self.item.id.0,
        )
    }
}

/// The library user's policy for external queues, if any.
struct Policy(Option<Box<dyn RoutingPolicy>>);

impl std::fmt::Debug for Policy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() {
            "Policy(set)"
        } else {
            "Policy(none)"
        })
    }
}

/// The router as an actix actor.
#[derive(Debug)]
pub(crate) struct RouterActor {
    scenario: Arc<Scenario>,
    handle: Rc<EngineHandle>,
    backlog: Backlog,
    index: AgentIndex,
    /// Items not yet closed or abandoned. An accepted item stays until its
    /// close so that no separate "accepted" message is needed: a late
    /// patience timer just asks the agent to cancel, which it ignores for
    /// opened work. Boxed: the map's buckets then hold a pointer rather
    /// than the whole record, and a map grown for a busy moment keeps
    /// only buckets (at 10,000 agents, 32,768 of them: 0.5 MB boxed
    /// against 10 MB inline).
    items: FxHashMap<WorkItemId, Box<RoutedItem>>,
    /// Logged in (in any status). Only a login restarts the tie-break
    /// clock; coming back from a busy status does not (omni-reference §6.5:
    /// "not pushed to since login").
    logged_in: Vec<bool>,
    /// Pushes of the current instant, to undo refused ones.
    recent: RecentPushes,
    /// Items some agent refused on a channel that ends items declined by
    /// everyone: checked when an agent leaves the channel, since the last
    /// agent they have not tried may be leaving (§12.6).
    refusing: Vec<WorkItemId>,
    /// Chooses for external queues (omni-reference §6.5).
    policy: Policy,
    has_external: bool,
    /// Makes the scenario's items: arrivals are born here, where they are
    /// routed.
    generator: Generator,
}

impl RouterActor {
    pub(crate) fn new(
        scenario: Arc<Scenario>,
        handle: Rc<EngineHandle>,
        policy: Option<Box<dyn RoutingPolicy>>,
        generator: Generator,
    ) -> RouterActor {
        let backlog = Backlog::for_scenario(&scenario);
        let capacities = scenario.agent_capacities();
        let units: Vec<_> = capacities
            .iter()
            .map(|c| CapacityUnits::whole(*c))
            .collect();
        let mut index = AgentIndex::new(&units, backlog.classes(), scenario.channels.len())
            .for_models(scenario.queues.iter().map(|q| q.routing.model));
        let interruptible = scenario.agent_interruptible_capacities();
        if scenario.has_interruptible_work() {
            let units: Vec<_> = interruptible
                .iter()
                .map(|c| CapacityUnits::whole(*c))
                .collect();
            index = index.with_interruptible(&units);
        }
        let has_external = scenario
            .queues
            .iter()
            .any(|q| q.routing.model == crate::omni::RoutingModel::External);
        RouterActor {
            logged_in: vec![false; capacities.len()],
            scenario,
            handle,
            backlog,
            index,
            items: FxHashMap::default(),
            recent: RecentPushes::default(),
            refusing: Vec::new(),
            policy: Policy(policy),
            has_external,
            generator,
        }
    }

    fn enqueue(&mut self, id: WorkItemId) {
        let Some(r) = self.items.get_mut(&id) else {
            return;
        };
        r.state = ItemState::Waiting;
        let key = r.key();
        let excluded = r.exclusion(&self.scenario);
        self.backlog.insert(
            r.item.queue,
            r.requirements.current(),
            key,
            QueuedItem { item: id, excluded },
        );
    }

    fn abandon(&mut self, id: WorkItemId) {
        if let Some(r) = self.items.remove(&id) {
            self.handle.emit(EventKind::WorkAbandoned {
                item: id,
                queue: r.item.queue,
                requested_at: r.item.requested_at,
                record: None,
            });
            // A customer planned to try again (its stream's `retrial`)
            // comes back as a new item made by the generator, unless that
            // would be after the end of the run.
            if let Some(delay) = r.item.retry_after {
                let at = self.handle.now() + delay;
                if at < crate::time::SimTime::ZERO + self.scenario.run_length() {
                    self.handle
                        .schedule_at(at, Entry::Router(RouterMsg::Retrial(Box::new(r.item))));
                }
            }
        }
    }

    /// The next push, timed when a load run measures routing latency.
    fn decide(&self) -> Option<crate::routing::Decision> {
        let probes = &self.handle.instruments;
        if probes.is_none() {
            return next_push(&self.backlog, &self.index);
        }
        let start = instruments::start(probes);
        let d = next_push(&self.backlog, &self.index);
        instruments::finish(probes, Probe::RoutingDecision, start);
        d
    }

    /// Pushes until no waiting item has an eligible agent (§6.8); items of
    /// external queues go where the policy says, once the built-in models
    /// have nothing left to push.
    fn route(&mut self) {
        loop {
            while let Some(d) = self.decide() {
                self.push(d);
            }
            match self.external_decision() {
                Some(d) => self.push(d),
                None => break,
            }
        }
    }

    /// The first item of an external queue, in backlog order, for which
    /// the policy names one of its eligible agents.
    fn external_decision(&mut self) -> Option<crate::routing::Decision> {
        if !self.has_external {
            return None;
        }
        let policy = self.policy.0.as_mut()?;
        for (queue, q) in self.backlog.queues() {
            if q.model != crate::omni::RoutingModel::External {
                continue;
            }
            for bucket in q.buckets() {
                for (_, entry) in bucket.items() {
                    let eligible: Vec<&crate::routing::AgentRouting> = self
                        .index
                        .agents()
                        .iter()
                        .filter(|a| {
                            bucket.classes.contains(&a.class)
                                && !entry.excluded.excludes(a.tie.agent)
                                && a.can_take(q.channel, q.cost, q.pool)
                        })
                        .collect();
                    if eligible.is_empty() {
                        continue;
                    }
                    let item = &self.items[&entry.item].item;
                    if let Some(agent) = policy.choose(item, &eligible) {
                        if eligible.iter().any(|a| a.tie.agent == agent) {
                            return Some(crate::routing::Decision {
                                queue,
                                item: entry.item,
                                agent,
                            });
                        }
                    }
                }
            }
        }
        None
    }

    /// The candidates of a decision for `r` of `queue`: every eligible
    /// agent in the model's order, and the rule that set the first apart.
    fn record(&self, queue: QueueId, r: &RoutedItem) -> DecisionRecord {
        let q = &self.scenario.queues[queue.index()];
        let (model, pool) = (q.routing.model, q.routing.pool);
        let classes = self
            .backlog
            .eligible_classes(queue, r.requirements.current());
        let excluded = r.exclusion(&self.scenario);
        let ranked = self
            .index
            .ranked(q.channel, &classes, model, q.routing.cost, pool, &excluded);
        // Test builds hold every recorded decision of every run (the
        // trace's tests run the bundled scenarios) to the scan reference:
        // the candidates are exactly the eligible agents.
        #[cfg(test)]
        {
            let mut listed: Vec<AgentId> = ranked.iter().map(|a| a.tie.agent).collect();
            listed.sort_unstable();
            let scanned = crate::routing::eligible_by_scan(
                self.index.agents(),
                q.channel,
                &classes,
                q.routing.cost,
                pool,
                &excluded,
            );
            if listed != scanned {
                // A panic inside an actor's handler would leave the driver
                // waiting for it forever; end the test process instead.
                eprintln!(
                    "recorded candidates of item {} are {listed:?}, the eligible agents \
                     {scanned:?}",
                    r.item.id
                );
                std::process::abort();
            }
        }
        DecisionRecord {
            pool,
            rule: match ranked.first() {
                Some(first) => decision_rule(model, pool, first, ranked.get(1).copied()),
                None => DecisionRule::OnlyEligible,
            },
            ranked: ranked.iter().map(|a| ranked_agent(a, pool)).collect(),
            requirements: r.requirements.current().to_vec(),
            excluded: excluded.agents().to_vec(),
        }
    }

    /// Applies one decision: reserve, record, push.
    fn push(&mut self, d: crate::routing::Decision) {
        // Recorded before the reservation: the view the decision was made
        // on.
        let record = self
            .handle
            .record_decisions
            .get()
            .then(|| Box::new(self.record(d.queue, &self.items[&d.item])));
        {
            let now = self.handle.now();
            let r = self
                .items
                .get_mut(&d.item)
                .expect("backlog items are tracked");
            self.backlog.remove(d.queue, r.key());
            let queue = &self.scenario.queues[d.queue.index()];
            let pool = queue.routing.pool;
            let cost = queue
                .routing
                .cost
                .units_for(self.index.agent(d.agent).capacity_in(pool).whole_units());
            let tie_before = self.index.reserve(d.agent, cost, pool, now);
            self.recent.record(now, d.agent, d.item, tie_before);
            r.state = ItemState::Pushed(d.agent);
            self.handle.emit(EventKind::RoutingDecision {
                item: d.item,
                queue: d.queue,
                agent: d.agent,
                model: queue.routing.model,
                record,
            });
            self.handle.schedule_now(Entry::Agent(
                d.agent,
                AgentMsg::Assign(Box::new(Assignment {
                    item: r.item.clone(),
                    cost,
                    pool,
                    push_timeout: queue.routing.push_timeout,
                    patience_timer: r.patience_timer,
                })),
            ));
        }
    }

    /// Back to the queue after a decline, timeout or logout. `excluded`
    /// becomes the item's exclusion; `reset` restores dropped skills.
    fn requeue(
        &mut self,
        item: WorkItemId,
        queue: QueueId,
        excluded: Option<AgentId>,
        reset: bool,
    ) {
        let Some(r) = self.items.get_mut(&item) else {
            return;
        };
        if r.patience_expired {
            self.abandon(item);
            return;
        }
        r.excluded = excluded;
        if self.untried_gone(item) {
            self.end_no_agent(item);
            return;
        }
        let Some(r) = self.items.get_mut(&item) else {
            return;
        };
        let now = self.handle.now();
        let skills_reset = reset && r.requirements.reset(now);
        if reset {
            self.arm_drop(item);
        }
        self.handle.emit(EventKind::WorkRequeued {
            item,
            queue,
            excluded_agent: excluded,
            skills_reset,
        });
        self.enqueue(item);
        if !reset {
            self.catch_up_drop(item);
        }
    }

    /// A transferred item enters `to_queue` (omni-reference §12.7): same
    /// item and request time (its age), the new queue's channel, priority
    /// and skills as a fresh entry (no exclusion, no refusals, skills as
    /// requested), and the handle time the last agent left for the next.
    fn transfer_in(
        &mut self,
        item: WorkItemId,
        to_queue: QueueId,
        handled: crate::time::SimDuration,
    ) {
        let now = self.handle.now();
        let queue = &self.scenario.queues[to_queue.index()];
        let stream = self.scenario.arrivals.iter().find(|a| a.queue == to_queue);
        let priority = stream
            .and_then(|a| a.priority)
            .unwrap_or(queue.routing.priority);
        let skills: Vec<_> = queue
            .routing
            .skills
            .iter()
            .chain(stream.map_or(&[][..], |a| &a.skills[..]))
            .copied()
            .collect();
        let channel = queue.channel;
        let Some(r) = self.items.get_mut(&item) else {
            return;
        };
        let from_queue = r.item.queue;
        if r.item.transfers.first().map(|t| t.to_queue) == Some(to_queue) {
            r.item.transfers.remove(0);
        }
        r.item.queue = to_queue;
        r.item.channel = channel;
        r.item.priority = priority;
        r.item.patience = None;
        r.item.handle_time =
            crate::time::SimDuration(r.item.handle_time.0.saturating_sub(handled.0));
        r.item.transferred += 1;
        r.requirements = r.requirements.entering(&skills, now);
        r.item.skills = skills;
        r.excluded = None;
        r.refused_by.clear();
        r.patience_expired = false;
        r.answered = true;
        self.handle.emit(EventKind::WorkTransferredIn {
            item,
            from_queue,
            queue: to_queue,
            requested_at: r.item.requested_at,
            priority,
            secondary_priority: r.item.secondary_priority,
            skills: r.item.skills.clone(),
            handle_time: r.item.handle_time,
        });
        self.enqueue(item);
        self.arm_drop(item);
    }

    /// Schedules the next drop of `item`'s additional skills, if any.
    fn arm_drop(&mut self, item: WorkItemId) {
        let Some(r) = self.items.get(&item) else {
            return;
        };
        let timeout = self.scenario.queues[r.item.queue.index()]
            .routing
            .drop_additional_skills_timeout;
        if let (Some(timeout), true) = (timeout, r.requirements.can_drop()) {
            let round = r.requirements.round();
            self.handle.schedule_in(
                timeout,
                Entry::Router(RouterMsg::DropSkills { item, round }),
            );
        }
    }

    /// A drop timer fired for `item`: drop the next group of additional
    /// skills if it still waits, and arm the next timer.
    fn drop_skills(&mut self, item: WorkItemId, round: u32) {
        let now = self.handle.now();
        let Some(r) = self.items.get_mut(&item) else {
            return;
        };
        if r.requirements.round() != round {
            return;
        }
        if !matches!(r.state, ItemState::Waiting) {
            // Pushed: nothing to drop while an agent has it. If it comes
            // back without a reset, the drop happens then.
            r.requirements.set_due();
            return;
        }
        let key = r.key();
        let queue = r.item.queue;
        let Some(group) = r.requirements.drop_next(now) else {
            return;
        };
        let entry = self.backlog.remove(queue, key);
        self.handle.emit(EventKind::SkillsDropped {
            item,
            queue,
            skills: group.skills,
            priority: group.priority,
            waited: group.waited,
        });
        if entry.is_some() {
            self.enqueue(item);
        }
        self.arm_drop(item);
    }

    /// After a re-queue that kept the requirements: a drop that fell due
    /// while the item was pushed happens now.
    fn catch_up_drop(&mut self, item: WorkItemId) {
        let due = self
            .items
            .get(&item)
            .is_some_and(|r| r.requirements.is_due());
        if due {
            let round = self.items[&item].requirements.round();
            self.drop_skills(item, round);
        }
    }

    /// Records a refusal on a channel that ends items declined by everyone;
    /// true if no available agent is left who has not refused it.
    fn refused_by_all(&mut self, item: WorkItemId, agent: AgentId) -> bool {
        let Some(r) = self.items.get_mut(&item) else {
            return false;
        };
        if !self.scenario.channels[r.item.channel.index()].ends_when_all_decline {
            return false;
        }
        if r.refused_by.is_empty() {
            self.refusing.push(item);
        }
        if !r.refused_by.contains(&agent) {
            r.refused_by.push(agent);
        }
        self.untried_gone(item)
    }

    /// Whether an item some agent refused, on a channel that ends items
    /// declined by everyone, has no agent left to try (§12.6): none who
    /// is logged in with a status carrying its channel, may take it (by
    /// membership, or by its original skills) and has not refused it,
    /// whatever their load. A full agent not yet tried keeps it waiting.
    fn untried_gone(&self, item: WorkItemId) -> bool {
        let Some(r) = self.items.get(&item) else {
            return false;
        };
        let channel = r.item.channel;
        if r.refused_by.is_empty() || !self.scenario.channels[channel.index()].ends_when_all_decline
        {
            return false;
        }
        let classes = self
            .backlog
            .eligible_classes(r.item.queue, r.requirements.original());
        let refused = &r.refused_by;
        !self.index.agents().iter().any(|a| {
            a.channels.contains(&channel)
                && classes.contains(&a.class)
                && !refused.contains(&a.tie.agent)
        })
    }

    /// An agent left a channel (a logout, a status change): the waiting
    /// items it was the last untried agent for end (§12.6).
    fn end_items_nobody_left_to_try(&mut self) {
        if self.refusing.is_empty() {
            return;
        }
        let mut ended = Vec::new();
        self.refusing.retain(|id| match self.items.get(id) {
            Some(r) if !r.refused_by.is_empty() => {
                if matches!(r.state, ItemState::Waiting) {
                    ended.push(*id);
                }
                true
            }
            _ => false,
        });
        for id in ended {
            if self.untried_gone(id) {
                let r = &self.items[&id];
                self.backlog.remove(r.item.queue, r.key());
                self.end_no_agent(id);
            }
        }
    }

    fn end_no_agent(&mut self, item: WorkItemId) {
        if let Some(r) = self.items.remove(&item) {
            self.handle.emit(EventKind::WorkEndedNoAgent {
                item,
                queue: r.item.queue,
                requested_at: r.item.requested_at,
                record: None,
            });
        }
    }

    /// A push the agent could not receive: not a decline (§5.3). The item
    /// keeps its exclusion and the agent gets back the tie-break time the
    /// push took, unless a later push of this instant took it again (then
    /// that push inherits what to give back).
    fn refused(&mut self, agent: AgentId, item: WorkItem, cost: CapacityUnits, pool: CapacityPool) {
        self.index.release(agent, cost, pool);
        if let Some(tie) = self.recent.undo(self.handle.now(), agent, item.id) {
            self.index.restore_tie(agent, tie);
        }
        let excluded = self.items.get(&item.id).and_then(|r| r.excluded);
        self.requeue(item.id, item.queue, excluded, false);
    }

    fn on_notice(&mut self, notice: AgentNotice) {
        match notice {
            AgentNotice::Presence {
                agent,
                status,
                clears_exclusions,
            } => {
                let channels = status
                    .map(|s| self.scenario.statuses[s.index()].channels.clone())
                    .unwrap_or_default();
                let was_logged_in =
                    std::mem::replace(&mut self.logged_in[agent.index()], status.is_some());
                let login_at = (!was_logged_in && status.is_some()).then(|| self.handle.now());
                self.index.set_presence(agent, channels, login_at);
                self.end_items_nobody_left_to_try();
                if clears_exclusions {
                    self.backlog.clear_exclusions(agent);
                    for r in self.items.values_mut() {
                        if r.excluded == Some(agent) {
                            r.excluded = None;
                        }
                    }
                }
            }
            AgentNotice::Released {
                agent,
                item,
                cost,
                pool,
                why,
            } => {
                self.index.release(agent, cost, pool);
                let queue = self.items.get(&item).map(|r| r.item.queue);
                match (why, queue) {
                    (Release::Declined | Release::PushTimeout, Some(q)) => {
                        if self.refused_by_all(item, agent) {
                            self.end_no_agent(item);
                        } else {
                            self.requeue(item, q, Some(agent), true)
                        }
                    }
                    (Release::Unavailable, Some(q)) => self.requeue(item, q, None, true),
                    (Release::Reassigned(remaining), Some(q)) => {
                        // Status-based work whose agent did not come back:
                        // what is left of it goes back, keeping its age.
                        if let Some(r) = self.items.get_mut(&item) {
                            r.item.handle_time = remaining;
                            r.answered = true;
                            r.patience_expired = false;
                        }
                        self.requeue(item, q, None, true)
                    }
                    (Release::Canceled, Some(_)) => self.abandon(item),
                    (Release::Transferred { to_queue, handled }, Some(_)) => {
                        self.transfer_in(item, to_queue, handled)
                    }
                    // Answered and finished: the router is done with it.
                    // (Agents free closed work through the routing view,
                    // `take_freed`, rather than with this notice.)
                    (Release::Closed, _) => {
                        self.items.remove(&item);
                    }
                    (_, None) => {}
                }
            }
            AgentNotice::Repriced {
                agent,
                pool,
                from,
                to,
            } => self.index.reprice(agent, pool, from, to),
            AgentNotice::Refused {
                agent,
                item,
                cost,
                pool,
            } => self.refused(agent, *item, cost, pool),
        }
    }
}

impl Actor for RouterActor {
    type Context = Context<Self>;
}

impl RouterActor {
    /// Takes back the capacity agents freed by closing work since the last
    /// message (see [`crate::kernel::handle::RoutingView`]): all of it was
    /// freed at earlier points of the calendar order than this message,
    /// so the router sees it exactly as it would have seen their release
    /// notices. The closed items are done with.
    fn take_freed(&mut self) {
        // Drained in place: the list keeps its allocation for the next.
        for f in self.handle.routing.freed.borrow_mut().drain(..) {
            self.index.release(f.agent, f.cost, f.pool);
            self.items.remove(&f.item);
        }
    }

    /// A new item enters its queue: recorded, its patience and skill-drop
    /// timers armed, queued (the routing pass follows in the message).
    fn arrive(&mut self, item: WorkItem) {
        let id = item.id;
        self.handle.count(|c| c.items += 1);
        self.handle.emit(EventKind::WorkArrived {
            item: id,
            queue: item.queue,
            patience: item.patience,
            priority: item.priority,
            secondary_priority: item.secondary_priority,
            skills: item.skills.clone(),
            retrial: item.retrial,
        });
        let patience_timer = item.patience.map(|p| {
            self.handle
                .schedule_timer_in(p, Entry::Router(RouterMsg::PatienceExpired(id)))
        });
        let requirements = Requirements::new(&item.skills, item.requested_at);
        self.items.insert(
            id,
            Box::new(RoutedItem {
                item,
                state: ItemState::Waiting,
                excluded: None,
                patience_expired: false,
                answered: false,
                requirements,
                refused_by: Vec::new(),
                patience_timer,
            }),
        );
        self.enqueue(id);
        self.arm_drop(id);
    }

    fn on_message(&mut self, msg: RouterMsg) {
        self.take_freed();
        match msg {
            RouterMsg::NextArrival(queue) => {
                if let Some(item) = self.generator.next_arrival(queue) {
                    self.arrive(item);
                }
            }
            RouterMsg::Retrial(abandoned) => {
                if let Some(item) = self.generator.retry(*abandoned) {
                    self.arrive(item);
                }
            }
            RouterMsg::Arrival(item) => self.arrive(*item),
            RouterMsg::PatienceExpired(id) => match self
                .items
                .get_mut(&id)
                .filter(|r| !r.answered)
                .map(|r| &r.state)
            {
                Some(ItemState::Waiting) => {
                    let r = &self.items[&id];
                    self.backlog.remove(r.item.queue, r.key());
                    self.abandon(id);
                }
                Some(ItemState::Pushed(agent)) => {
                    let agent = *agent;
                    if let Some(r) = self.items.get_mut(&id) {
                        r.patience_expired = true;
                    }
                    self.handle
                        .schedule_now(Entry::Agent(agent, AgentMsg::Cancel(id)));
                }
                None => {}
            },
            RouterMsg::DropSkills { item, round } => self.drop_skills(item, round),
            RouterMsg::Notice(n) => self.on_notice(n),
            // Taken above; what is left is the routing pass.
            RouterMsg::Freed => {}
        }
        self.route();
        self.handle.routing.waiting.set(!self.backlog.is_empty());
    }
}

impl Handler<RouterMsg> for RouterActor {
    type Result = ();

    fn handle(&mut self, msg: RouterMsg, _: &mut Self::Context) {
        // A routing policy may be a library user's code: a panic in it
        // ends the run with a report instead of leaving the driver waiting.
        let handle = self.handle.clone();
        handle.guarded(|| "the router".into(), || self.on_message(msg));
        // The driver waits for this (see `EngineHandle::deliver`).
        handle.handled();
    }
}
