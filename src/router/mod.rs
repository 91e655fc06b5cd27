//! The router actor: holds the queues and pushes work to agents.
//!
//! It keeps its own view of every agent ([`AgentIndex`]): capacity is
//! reserved in that view the moment it pushes, and freed only when the
//! agent reports a release, so the view never shows more free capacity
//! than the agent really has. Decisions are delegated to the pure
//! [`crate::routing::next_push`]; this actor only applies them.

use crate::engine::handle::EngineHandle;
use crate::engine::messages::{AgentMsg, AgentNotice, Assignment, Entry, Release, RouterMsg};
use crate::events::EventKind;
use crate::load::LoadProbes;
use crate::omni::{AgentId, CapacityUnits, QueueId, WorkItem, WorkItemId};
use crate::routing::{next_push, AgentIndex, Backlog, QueuedItem};
use crate::scenario::Scenario;
use actix::{Actor, Context, Handler};
use rustc_hash::FxHashMap;
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
}

/// The router as an actix actor.
#[derive(Debug)]
pub struct RouterActor {
    scenario: Arc<Scenario>,
    handle: Rc<EngineHandle>,
    backlog: Backlog,
    index: AgentIndex,
    /// Items not yet closed or abandoned. An accepted item stays until its
    /// close so that no separate "accepted" message is needed: a late
    /// patience timer just asks the agent to cancel, which it ignores for
    /// opened work.
    items: FxHashMap<WorkItemId, RoutedItem>,
    /// Configured capacity per agent, for percentage costs.
    capacities: Vec<u32>,
    /// Logged in (in any status). Only a login restarts the tie-break
    /// clock; coming back from a busy status does not (omni-reference §6.5:
    /// "not pushed to since login").
    logged_in: Vec<bool>,
}

impl RouterActor {
    pub(crate) fn new(scenario: Arc<Scenario>, handle: Rc<EngineHandle>) -> RouterActor {
        let backlog = Backlog::for_queues(&scenario.queues);
        let capacities = scenario.agent_capacities();
        let units: Vec<_> = capacities
            .iter()
            .map(|c| CapacityUnits::whole(*c))
            .collect();
        let index = AgentIndex::new(&units, scenario.channels.len());
        RouterActor {
            logged_in: vec![false; capacities.len()],
            scenario,
            handle,
            backlog,
            index,
            items: FxHashMap::default(),
            capacities,
        }
    }

    fn key(item: &WorkItem) -> (crate::time::SimTime, u64) {
        (item.requested_at, item.id.0)
    }

    fn enqueue(&mut self, id: WorkItemId) {
        let Some(r) = self.items.get_mut(&id) else {
            return;
        };
        r.state = ItemState::Waiting;
        self.backlog.insert(
            r.item.queue,
            Self::key(&r.item),
            QueuedItem {
                item: id,
                excluded: r.excluded,
            },
        );
    }

    fn abandon(&mut self, id: WorkItemId) {
        if let Some(r) = self.items.remove(&id) {
            self.handle.emit(EventKind::WorkAbandoned {
                item: id,
                queue: r.item.queue,
                requested_at: r.item.requested_at,
            });
        }
    }

    /// The next push, timed when a load run measures routing latency.
    fn decide(&self) -> Option<crate::routing::Decision> {
        let Some(p) = &self.handle.probes else {
            return next_push(&self.backlog, &self.index);
        };
        let start = p.start();
        let d = next_push(&self.backlog, &self.index);
        LoadProbes::record_since(&p.routing_decision, start);
        d
    }

    /// Pushes until no waiting item has an eligible agent (§6.8).
    fn route(&mut self) {
        while let Some(d) = self.decide() {
            let r = self
                .items
                .get_mut(&d.item)
                .expect("backlog items are tracked");
            self.backlog.remove(d.queue, Self::key(&r.item));
            let queue = &self.scenario.queues[d.queue.index()];
            let cost = queue
                .routing
                .cost
                .units_for(self.capacities[d.agent.index()]);
            self.index.reserve(d.agent, cost, self.handle.now());
            r.state = ItemState::Pushed(d.agent);
            self.handle.emit(EventKind::RoutingDecision {
                item: d.item,
                queue: d.queue,
                agent: d.agent,
                model: queue.routing.model,
            });
            self.handle.schedule_now(Entry::Agent(
                d.agent,
                AgentMsg::Assign(Assignment {
                    item: r.item.clone(),
                    cost,
                    push_timeout: queue.routing.push_timeout,
                }),
            ));
        }
    }

    fn requeue(&mut self, item: WorkItemId, queue: QueueId, excluded: Option<AgentId>) {
        let Some(r) = self.items.get_mut(&item) else {
            return;
        };
        if r.patience_expired {
            self.abandon(item);
            return;
        }
        r.excluded = excluded;
        self.handle.emit(EventKind::WorkRequeued {
            item,
            queue,
            excluded_agent: excluded,
            skills_reset: false,
        });
        self.enqueue(item);
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
                why,
                ..
            } => {
                self.index.release(agent, cost);
                let queue = self.items.get(&item).map(|r| r.item.queue);
                match (why, queue) {
                    (Release::Declined | Release::PushTimeout, Some(q)) => {
                        self.requeue(item, q, Some(agent))
                    }
                    (Release::Unavailable, Some(q)) => self.requeue(item, q, None),
                    (Release::Canceled, Some(_)) => self.abandon(item),
                    // Answered and finished (closed, or cut short by a
                    // logout): the router is done with it.
                    (Release::Closed, _) => {
                        self.items.remove(&item);
                    }
                    (_, None) => {}
                }
            }
            AgentNotice::Refused { agent, item, cost } => {
                self.index.release(agent, cost);
                // Excluding the refusing agent for this item guarantees the
                // router cannot push it straight back in the same instant.
                self.requeue(item.id, item.queue, Some(agent));
            }
        }
    }
}

impl Actor for RouterActor {
    type Context = Context<Self>;
}

impl RouterActor {
    fn on_message(&mut self, msg: RouterMsg) {
        match msg {
            RouterMsg::Arrival(item) => {
                let id = item.id;
                self.handle.emit(EventKind::WorkArrived {
                    item: id,
                    queue: item.queue,
                    patience: item.patience,
                    skills: item.skills.clone(),
                });
                if let Some(p) = item.patience {
                    self.handle
                        .schedule_in(p, Entry::Router(RouterMsg::PatienceExpired(id)));
                }
                self.items.insert(
                    id,
                    RoutedItem {
                        item,
                        state: ItemState::Waiting,
                        excluded: None,
                        patience_expired: false,
                    },
                );
                self.enqueue(id);
            }
            RouterMsg::PatienceExpired(id) => match self.items.get_mut(&id).map(|r| &r.state) {
                Some(ItemState::Waiting) => {
                    let r = &self.items[&id];
                    self.backlog.remove(r.item.queue, Self::key(&r.item));
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
            RouterMsg::Notice(n) => self.on_notice(n),
        }
        self.route();
    }
}

impl Handler<RouterMsg> for RouterActor {
    type Result = ();

    fn handle(&mut self, msg: RouterMsg, _: &mut Self::Context) {
        self.on_message(msg);
        // The driver waits for this (see `EngineHandle::deliver`).
        self.handle.handled();
    }
}
