//! What a run delivered, counted: actor messages by kind, toolkit calls and
//! calendar entries.
//!
//! The cost of a simulated item is mostly the number of times something is
//! handed from one place to another (docs/BENCHMARKS.md, "Per item, in
//! nanoseconds"), so these counts say where a change of the engine saves
//! or spends, independently of how fast the machine is at that hour. They
//! are plain integers in the run's [`EngineHandle`](super::handle::EngineHandle),
//! which only the run's own thread touches: counting costs an add, no
//! atomic and no lock.

use super::messages::{AgentMsg, Entry, RouterMsg};
use serde::{Deserialize, Serialize};

/// Counts of one replication (or, added up, of several).
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EngineCounts {
    /// Work items that entered the run: generated arrivals, retrials and
    /// injected items (each a `WorkArrived` event). The per-item figures
    /// divide by it.
    pub items: u64,
    /// Actor messages to the router carrying a new item.
    pub router_arrivals: u64,
    /// Actor messages to the router carrying an agent's notice (presence,
    /// a release, a repricing, a refused push).
    pub router_notices: u64,
    /// Actor messages to the router from its own timers (patience, skill
    /// drop).
    pub router_timers: u64,
    /// Actor messages to agents carrying the router's push.
    pub agent_pushes: u64,
    /// Actor messages to agents from timers (push timeout, a customer's
    /// cancellation, the reassignment of held work).
    pub agent_timers: u64,
    /// Actor messages to agents carrying a behaviour's action that is not a
    /// toolkit method (pause, transfer).
    pub agent_actions: u64,
    /// Toolkit calls that travelled to the agent as a message (and its
    /// reply).
    pub toolkit_messages: u64,
    /// Toolkit calls applied inside the agent's own handler, without a
    /// message.
    pub toolkit_in_handler: u64,
    /// Calendar entries delivered to the router.
    pub entries_router: u64,
    /// Calendar entries delivered to agents.
    pub entries_agent: u64,
    /// Calendar entries for a behaviour (shift and break edges, wakes,
    /// notices).
    pub entries_behaviour: u64,
    /// Calendar entries carrying a console event to a behaviour.
    pub entries_console: u64,
    /// Calendar entries of the arrival process (a queue's next arrival, a
    /// customer's retrial), which the router handles.
    pub entries_arrival: u64,
}

impl EngineCounts {
    /// Every actor message: to the router, to agents, toolkit calls sent
    /// as messages.
    pub fn actor_messages(&self) -> u64 {
        self.router_arrivals
            + self.router_notices
            + self.router_timers
            + self.agent_pushes
            + self.agent_timers
            + self.agent_actions
            + self.toolkit_messages
    }

    /// Every toolkit call, whether it travelled as a message or not.
    pub fn toolkit_calls(&self) -> u64 {
        self.toolkit_messages + self.toolkit_in_handler
    }

    /// Every calendar entry delivered.
    pub fn calendar_entries(&self) -> u64 {
        self.entries_router
            + self.entries_agent
            + self.entries_behaviour
            + self.entries_console
            + self.entries_arrival
    }

    /// Counts one calendar entry as it is delivered, and the actor message
    /// it becomes, if any.
    pub(crate) fn entry(&mut self, entry: &Entry) {
        match entry {
            Entry::Router(msg) => {
                match msg {
                    RouterMsg::NextArrival(_) | RouterMsg::Retrial(_) => self.entries_arrival += 1,
                    _ => self.entries_router += 1,
                }
                match msg {
                    RouterMsg::NextArrival(_) | RouterMsg::Retrial(_) | RouterMsg::Arrival(_) => {
                        self.router_arrivals += 1
                    }
                    RouterMsg::Notice(_) | RouterMsg::Freed => self.router_notices += 1,
                    RouterMsg::PatienceExpired(_) | RouterMsg::DropSkills { .. } => {
                        self.router_timers += 1
                    }
                }
            }
            Entry::Agent(_, msg) => {
                self.entries_agent += 1;
                match msg {
                    AgentMsg::Assign(_) => self.agent_pushes += 1,
                    AgentMsg::PushTimeout(_) | AgentMsg::Cancel(_) | AgentMsg::Reassign(_) => {
                        self.agent_timers += 1
                    }
                    AgentMsg::Pause(..) | AgentMsg::Transfer { .. } => self.agent_actions += 1,
                }
            }
            Entry::Behaviour(..) => self.entries_behaviour += 1,
            Entry::Console(..) => self.entries_console += 1,
            // A message only when the router must route (counted then).
            Entry::Freed(_) => self.entries_router += 1,
        }
    }

    /// The counts of two runs together.
    pub fn add(&mut self, other: &EngineCounts) {
        let EngineCounts {
            items,
            router_arrivals,
            router_notices,
            router_timers,
            agent_pushes,
            agent_timers,
            agent_actions,
            toolkit_messages,
            toolkit_in_handler,
            entries_router,
            entries_agent,
            entries_behaviour,
            entries_console,
            entries_arrival,
        } = *other;
        self.items += items;
        self.router_arrivals += router_arrivals;
        self.router_notices += router_notices;
        self.router_timers += router_timers;
        self.agent_pushes += agent_pushes;
        self.agent_timers += agent_timers;
        self.agent_actions += agent_actions;
        self.toolkit_messages += toolkit_messages;
        self.toolkit_in_handler += toolkit_in_handler;
        self.entries_router += entries_router;
        self.entries_agent += entries_agent;
        self.entries_behaviour += entries_behaviour;
        self.entries_console += entries_console;
        self.entries_arrival += entries_arrival;
    }

    /// The counts divided by the items; `None` for a run without items.
    pub fn per_item(&self) -> Option<PerItem> {
        if self.items == 0 {
            return None;
        }
        let n = self.items as f64;
        let r = |v: u64| round4(v as f64 / n);
        Some(PerItem {
            actor_messages: r(self.actor_messages()),
            router_arrivals: r(self.router_arrivals),
            router_notices: r(self.router_notices),
            router_timers: r(self.router_timers),
            agent_pushes: r(self.agent_pushes),
            agent_timers: r(self.agent_timers),
            agent_actions: r(self.agent_actions),
            toolkit_messages: r(self.toolkit_messages),
            toolkit_calls: r(self.toolkit_calls()),
            toolkit_in_handler: r(self.toolkit_in_handler),
            calendar_entries: r(self.calendar_entries()),
        })
    }
}

/// Four decimals: a per-item figure is read as "about 2 messages", and
/// more digits would only show float noise.
fn round4(v: f64) -> f64 {
    (v * 1e4).round() / 1e4
}

/// [`EngineCounts`] per item, as `engine.json` and `omnisim bench` show
/// them.
#[derive(Copy, Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PerItem {
    /// Actor messages of every kind ([`EngineCounts::actor_messages`]).
    pub actor_messages: f64,
    /// Of them, an item reaching the router.
    pub router_arrivals: f64,
    /// Of them, an agent's notice reaching the router.
    pub router_notices: f64,
    /// Of them, the router's own timers.
    pub router_timers: f64,
    /// Of them, the router's push reaching an agent.
    pub agent_pushes: f64,
    /// Of them, a timer reaching an agent.
    pub agent_timers: f64,
    /// Of them, a behaviour's pause or transfer reaching an agent.
    pub agent_actions: f64,
    /// Of them, a toolkit call sent to the agent.
    pub toolkit_messages: f64,
    /// Toolkit calls of either kind.
    pub toolkit_calls: f64,
    /// Toolkit calls applied inside the agent's handler.
    pub toolkit_in_handler: f64,
    /// Calendar entries delivered.
    pub calendar_entries: f64,
}
