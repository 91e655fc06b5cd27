//! The event stream: every state change of a run, in simulated-clock order.
//!
//! Agents and the router emit these as they change state; the engine hands
//! them, in order, to every [`EventSink`]. Metrics, result files, traces
//! and reports are all built from this one stream, so they can never
//! disagree about what happened. An item's life so far is kept once, in an
//! [`ItemBook`], and the event that ends the item carries its
//! [`ItemRecord`]; an agent's presence and rostered breaks are read from
//! an [`AgentLedger`] that readers feed with the same events. Names
//! follow the Lightning console events (`omniChannelWorkAssigned`,
//! `omniChannelWorkloadChanged`, …) where Salesforce has one, and
//! omni-reference §3 where it has none.

use crate::omni::{
    AgentId, AgentWorkId, CapacityPool, CapacityUnits, QueueId, RetrialOf, RoutingModel, SkillId,
    SkillRequirement, StatusId, TransferStep, WorkItemId,
};
use crate::time::{SimDuration, SimTime};
use serde::Serialize;

mod ledger;
mod record;
pub use ledger::{AgentLedger, AgentRecord, BreakStep, BreakUnderWay};
pub use record::{ItemBook, ItemRecord, TransferLeg};

/// One state change at one instant.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SimEvent {
    /// When it happened.
    pub time: SimTime,
    /// What happened.
    #[serde(flatten)]
    pub kind: EventKind,
}

/// Why a presence status changed (`omniChannelStatusChanged.reason`).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize)]
pub enum StatusChangeReason {
    /// Logging in set the first status.
    OmniLoginStatusChange,
    /// `set_service_presence_status` was called.
    OmniToolkitStatusChange,
    /// A decline applied the configuration's status-on-decline.
    OmniDeclineWork,
    /// A push timeout applied the configuration's status-on-push-timeout.
    OmniPushTimeout,
}

/// One routing decision as data: every agent the router could have
/// pushed the item to, best first, and why the first one won. Recorded
/// only when the run asks for it (`omnisim trace`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DecisionRecord {
    /// The capacity pool the item counts against: what the candidates'
    /// capacity and load refer to.
    pub pool: CapacityPool,
    /// Every eligible agent, in the routing model's order (Most Available
    /// order for an external queue, whose policy may pick any of them):
    /// for the built-in models the first is the chosen agent.
    pub ranked: Vec<RankedAgent>,
    /// What set the first agent ahead of the second.
    pub rule: DecisionRule,
    /// The skills the item still required (after any drops); empty for
    /// queue-based routing.
    pub requirements: Vec<SkillRequirement>,
    /// The agents left out: the item's last decliner (§5.3), or, on a
    /// channel that ends items declined by everyone, every agent that
    /// refused it since it was last queued (§12.6).
    pub excluded: Vec<AgentId>,
}

/// One eligible agent of a routing decision, as the router saw it just
/// before the push.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RankedAgent {
    /// The agent.
    pub agent: AgentId,
    /// Its capacity in the decision's pool.
    pub capacity: CapacityUnits,
    /// Its load in that pool (what Least Active compares; capacity − load
    /// is what Most Available compares).
    pub load: CapacityUnits,
    /// Work items it holds (assigned or opened).
    pub open_items: u32,
    /// Whether it was pushed work since it logged in.
    pub pushed_since_login: bool,
    /// Its last push, or its login when none: the tie-break (omni-reference
    /// §6.5).
    pub since: SimTime,
}

impl RankedAgent {
    /// Free capacity in the decision's pool.
    pub fn free(&self) -> CapacityUnits {
        self.capacity - self.load
    }
}

/// Why the chosen agent of a routing decision came first (omni-reference
/// §6.4–6.5).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DecisionRule {
    /// Nobody else was eligible.
    OnlyEligible,
    /// Most Available: more free capacity than the runner-up.
    MostFreeCapacity,
    /// Least Active: less load than the runner-up.
    LeastLoad,
    /// A tie on the model's figure; the runner-up had been pushed work
    /// since its login, the chosen agent had not.
    NeverPushedSinceLogin,
    /// A tie, neither pushed since login: the chosen agent logged in first.
    LoggedInFirst,
    /// A tie, both pushed since login: the chosen agent's last push is the
    /// older.
    LongestSinceLastPush,
    /// A tie on everything else: the lower agent number.
    LowestAgentNumber,
    /// The external routing policy chose.
    ExternalPolicy,
}

/// The kinds of state change.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum EventKind {
    /// A work item entered its queue.
    WorkArrived {
        /// The item.
        item: WorkItemId,
        /// Its queue.
        queue: QueueId,
        /// Its patience, if it can abandon.
        patience: Option<SimDuration>,
        /// Its routing priority (lower first).
        priority: i32,
        /// Its secondary routing priority, if set.
        secondary_priority: Option<u32>,
        /// The skills it requires (skills-based work; empty otherwise).
        skills: Vec<SkillRequirement>,
        /// Set when the item is a customer's new attempt after abandoning
        /// (`arrivals[].retrial`): which customer, which attempt.
        #[serde(skip_serializing_if = "Option::is_none")]
        retrial: Option<RetrialOf>,
    },
    /// Nobody with all of a waiting item's skills took it within the drop
    /// timeout: the router dropped its next group of additional skills
    /// (omni-reference §12.2).
    SkillsDropped {
        /// The item.
        item: WorkItemId,
        /// Its queue.
        queue: QueueId,
        /// The skills dropped now (one priority group).
        skills: Vec<SkillId>,
        /// The group's skill priority.
        priority: u32,
        /// How long the item had waited since its skills were last set.
        waited: SimDuration,
    },
    /// Every agent available for the item declined it or let it time out,
    /// on a channel that ends such items: it ends as "no available agent"
    /// (omni-reference §12.6). Not a customer abandonment.
    WorkEndedNoAgent {
        /// The item.
        item: WorkItemId,
        /// Its queue.
        queue: QueueId,
        /// Its request time.
        requested_at: SimTime,
        /// The item's whole record, which ends here: set by the
        /// [`ItemBook`] before the sinks see the event, and taken back
        /// after (a behaviour's console event has none). Not serialized.
        #[serde(skip)]
        record: Option<Box<ItemRecord>>,
    },
    /// The router chose an agent for an item (emitted just before the
    /// push); what `omnisim trace` narrates.
    RoutingDecision {
        /// The item.
        item: WorkItemId,
        /// Its queue.
        queue: QueueId,
        /// The chosen agent.
        agent: AgentId,
        /// The model that chose.
        model: RoutingModel,
        /// The candidates and the rule that set the chosen one apart, when
        /// the run records decisions (`omnisim trace`); `None` otherwise,
        /// so a plain run builds nothing. Not serialized: the trace writes
        /// its own form of it.
        #[serde(skip)]
        record: Option<Box<DecisionRecord>>,
    },
    /// `omniChannelWorkAssigned`: an AgentWork was created (the push).
    WorkAssigned {
        /// The AgentWork.
        work: AgentWorkId,
        /// The item.
        item: WorkItemId,
        /// Its queue.
        queue: QueueId,
        /// The agent pushed to.
        agent: AgentId,
        /// Capacity it holds.
        cost: CapacityUnits,
        /// The pool it holds it in.
        pool: CapacityPool,
        /// The item's request time (its age).
        requested_at: SimTime,
        /// Handle time the item demands (the synthetic work's payload).
        handle_time: SimDuration,
    },
    /// `omniChannelWorkAccepted`, also for auto-accepted work.
    WorkAccepted {
        /// The AgentWork.
        work: AgentWorkId,
        /// The item.
        item: WorkItemId,
        /// Its queue.
        queue: QueueId,
        /// The agent.
        agent: AgentId,
        /// The item's request time, for speed to answer.
        requested_at: SimTime,
        /// Handle time the item demands (the synthetic work's payload).
        handle_time: SimDuration,
        /// The item's own after-conversation work (its arrival stream's
        /// `wrap_up`); `None` = the agent's group decides. Carried here so
        /// a behaviour can close on time without reading the item.
        #[serde(skip_serializing_if = "Option::is_none")]
        wrap_up: Option<SimDuration>,
        /// The item's next planned transfer (omni-reference §12.7), so a
        /// behaviour can hand it on without reading the item; `None` = it
        /// is to be closed.
        #[serde(skip_serializing_if = "Option::is_none")]
        transfer: Option<TransferStep>,
    },
    /// `omniChannelWorkDeclined`, for explicit declines and (with
    /// `on_push_timeout`) push timeouts.
    WorkDeclined {
        /// The AgentWork.
        work: AgentWorkId,
        /// The item.
        item: WorkItemId,
        /// Its queue.
        queue: QueueId,
        /// The agent.
        agent: AgentId,
        /// Reason given, if any.
        reason: Option<String>,
        /// True when the push timed out rather than being declined.
        on_push_timeout: bool,
    },
    /// `omniChannelWorkClosed`.
    WorkClosed {
        /// The AgentWork.
        work: AgentWorkId,
        /// The item.
        item: WorkItemId,
        /// Its queue.
        queue: QueueId,
        /// The agent.
        agent: AgentId,
        /// When it was accepted, for handle time.
        accepted_at: SimTime,
        /// The item's whole record, which ends here: set by the
        /// [`ItemBook`] before the sinks see the event, and taken back
        /// after (a behaviour's console event has none). Not serialized.
        #[serde(skip)]
        record: Option<Box<ItemRecord>>,
    },
    /// An `Opened` AgentWork became `Transferred`: its agent handed the
    /// item on to another queue (omni-reference §12.7). Emitted by the
    /// agent; the router's [`EventKind::WorkTransferredIn`] follows once
    /// it has the item.
    WorkTransferred {
        /// The AgentWork.
        work: AgentWorkId,
        /// The item.
        item: WorkItemId,
        /// The queue it leaves.
        from_queue: QueueId,
        /// The queue it is transferred to.
        to_queue: QueueId,
        /// The agent who handed it on.
        agent: AgentId,
        /// When the agent accepted it, for the handling done.
        accepted_at: SimTime,
    },
    /// The router put a transferred item in its new queue, with its
    /// original request time (its age) and the new queue's priority and
    /// skills, as a fresh entry: no exclusion, no dropped skills.
    WorkTransferredIn {
        /// The item.
        item: WorkItemId,
        /// The queue it came from.
        from_queue: QueueId,
        /// The queue it now waits in.
        queue: QueueId,
        /// Its request time, kept from its first queue.
        requested_at: SimTime,
        /// Its routing priority in the new queue.
        priority: i32,
        /// Its secondary routing priority (kept).
        secondary_priority: Option<u32>,
        /// The skills it requires in the new queue (skills-based queues).
        skills: Vec<SkillRequirement>,
        /// Handle time left for the next agent.
        handle_time: SimDuration,
    },
    /// An `Assigned` AgentWork became `Unavailable` because its agent logged
    /// out; the item goes back to its queue.
    WorkUnavailable {
        /// The AgentWork.
        work: AgentWorkId,
        /// The item.
        item: WorkItemId,
        /// Its queue.
        queue: QueueId,
        /// The agent.
        agent: AgentId,
    },
    /// An `Assigned` AgentWork became `Canceled` because its customer left.
    WorkCanceled {
        /// The AgentWork.
        work: AgentWorkId,
        /// The item.
        item: WorkItemId,
        /// Its queue.
        queue: QueueId,
        /// The agent.
        agent: AgentId,
    },
    /// An opened item of a status-based channel was paused or resumed
    /// (omni-reference §12.5): it now holds `cost`.
    WorkPaused {
        /// The AgentWork.
        work: AgentWorkId,
        /// The item.
        item: WorkItemId,
        /// Its queue.
        queue: QueueId,
        /// The agent.
        agent: AgentId,
        /// Paused (true) or resumed (false).
        paused: bool,
        /// Capacity it holds now.
        cost: CapacityUnits,
    },
    /// An opened item's pause is over but its full cost does not fit: the
    /// agent took other work while it was paused. It stays paused (not
    /// worked) at its paused cost and resumes as soon as `cost` fits; until
    /// then nothing new is pushed to the agent that would take that room
    /// (omni-reference §12.5).
    WorkResumeWaiting {
        /// The AgentWork.
        work: AgentWorkId,
        /// The item.
        item: WorkItemId,
        /// Its queue.
        queue: QueueId,
        /// The agent.
        agent: AgentId,
        /// The full cost it needs back to resume.
        cost: CapacityUnits,
    },
    /// An opened interruptible item stopped being worked (`interrupted`)
    /// because its agent has primary work in progress, or is worked again
    /// because the agent has none left (omni-reference §12.4, a channel
    /// with `interruptible_progress = "idle"`). It stays assigned and
    /// counted in its pool throughout; only its handle time stops.
    WorkInterrupted {
        /// The AgentWork.
        work: AgentWorkId,
        /// The item.
        item: WorkItemId,
        /// Its queue.
        queue: QueueId,
        /// The agent.
        agent: AgentId,
        /// Set aside (true) or taken up again (false).
        interrupted: bool,
    },
    /// The item's patience ran out before acceptance; it left for good.
    WorkAbandoned {
        /// The item.
        item: WorkItemId,
        /// Its queue.
        queue: QueueId,
        /// Its request time.
        requested_at: SimTime,
        /// The item's whole record, which ends here: set by the
        /// [`ItemBook`] before the sinks see the event, and taken back
        /// after (a behaviour's console event has none). Not serialized.
        #[serde(skip)]
        record: Option<Box<ItemRecord>>,
    },
    /// The item went back to its queue after a decline, timeout or logout.
    WorkRequeued {
        /// The item.
        item: WorkItemId,
        /// Its queue.
        queue: QueueId,
        /// The agent it may not go back to until that agent changes
        /// status (omni-reference §5.3); `None` after a logout.
        excluded_agent: Option<AgentId>,
        /// Whether its dropped skills were restored (a decline, timeout or
        /// logout resets skills-based requirements, §12.2).
        skills_reset: bool,
    },
    /// `omniChannelWorkloadChanged`: both pools, as Salesforce reports
    /// them.
    WorkloadChanged {
        /// The agent.
        agent: AgentId,
        /// Configured (primary) capacity.
        configured_capacity: CapacityUnits,
        /// Primary load before.
        previous_workload: CapacityUnits,
        /// Primary load after.
        new_workload: CapacityUnits,
        /// Configured interruptible capacity.
        configured_interruptible_capacity: CapacityUnits,
        /// Interruptible load before.
        previous_interruptible_workload: CapacityUnits,
        /// Interruptible load after.
        new_interruptible_workload: CapacityUnits,
    },
    /// `omniChannelStatusChanged`.
    StatusChanged {
        /// The agent.
        agent: AgentId,
        /// The new status.
        status: StatusId,
        /// Whether the new status has channels.
        online: bool,
        /// Why it changed.
        reason: StatusChangeReason,
    },
    /// `omniChannelLoginSuccess`.
    LoginSuccess {
        /// The agent.
        agent: AgentId,
        /// The status logged in with.
        status: StatusId,
    },
    /// `omniChannelLogout`.
    Logout {
        /// The agent.
        agent: AgentId,
    },
    /// The agent is rostered but absent today (its group's `absence`):
    /// it never logs in. Emitted at the start of the run; not an
    /// Omni-Channel event, since Salesforce only sees someone who never
    /// logs in, but results and traces need to tell absence from idleness.
    AgentAbsent {
        /// The agent.
        agent: AgentId,
    },
    /// `omniChannelWorkFlagUpdated`.
    WorkFlagUpdated {
        /// The AgentWork.
        work: AgentWorkId,
        /// The agent.
        agent: AgentId,
        /// Raised or lowered.
        is_flagged: bool,
        /// Message given when raising.
        message: Option<String>,
    },
}

impl EventKind {
    /// The agent the event concerns, if any (console events are delivered
    /// to that agent's behaviour).
    pub fn agent(&self) -> Option<AgentId> {
        use EventKind::*;
        match self {
            RoutingDecision { agent, .. }
            | WorkAssigned { agent, .. }
            | WorkAccepted { agent, .. }
            | WorkDeclined { agent, .. }
            | WorkClosed { agent, .. }
            | WorkTransferred { agent, .. }
            | WorkUnavailable { agent, .. }
            | WorkCanceled { agent, .. }
            | WorkPaused { agent, .. }
            | WorkResumeWaiting { agent, .. }
            | WorkInterrupted { agent, .. }
            | WorkloadChanged { agent, .. }
            | StatusChanged { agent, .. }
            | LoginSuccess { agent, .. }
            | Logout { agent }
            | AgentAbsent { agent }
            | WorkFlagUpdated { agent, .. } => Some(*agent),
            WorkArrived { .. }
            | WorkAbandoned { .. }
            | WorkRequeued { .. }
            | WorkTransferredIn { .. }
            | SkillsDropped { .. }
            | WorkEndedNoAgent { .. } => None,
        }
    }

    /// The work item the event concerns, if any.
    pub fn item(&self) -> Option<WorkItemId> {
        use EventKind::*;
        match self {
            WorkArrived { item, .. }
            | RoutingDecision { item, .. }
            | WorkAssigned { item, .. }
            | WorkAccepted { item, .. }
            | WorkDeclined { item, .. }
            | WorkClosed { item, .. }
            | WorkTransferred { item, .. }
            | WorkTransferredIn { item, .. }
            | WorkUnavailable { item, .. }
            | WorkCanceled { item, .. }
            | WorkPaused { item, .. }
            | WorkResumeWaiting { item, .. }
            | WorkInterrupted { item, .. }
            | WorkAbandoned { item, .. }
            | WorkRequeued { item, .. }
            | SkillsDropped { item, .. }
            | WorkEndedNoAgent { item, .. } => Some(*item),
            _ => None,
        }
    }

    /// The queue the event concerns, if any.
    pub fn queue(&self) -> Option<QueueId> {
        use EventKind::*;
        match self {
            WorkArrived { queue, .. }
            | RoutingDecision { queue, .. }
            | WorkAssigned { queue, .. }
            | WorkAccepted { queue, .. }
            | WorkDeclined { queue, .. }
            | WorkClosed { queue, .. }
            | WorkTransferred {
                from_queue: queue, ..
            }
            | WorkTransferredIn { queue, .. }
            | WorkUnavailable { queue, .. }
            | WorkCanceled { queue, .. }
            | WorkPaused { queue, .. }
            | WorkResumeWaiting { queue, .. }
            | WorkInterrupted { queue, .. }
            | WorkAbandoned { queue, .. }
            | WorkRequeued { queue, .. }
            | SkillsDropped { queue, .. }
            | WorkEndedNoAgent { queue, .. } => Some(*queue),
            _ => None,
        }
    }
}

/// A consumer of the event stream (metrics, result writers, traces).
///
/// Sinks see every event of a run exactly once, in order, after the state
/// change it describes; `finish` is called once at the end of the run with
/// the final instant so time-weighted figures can be closed off.
pub trait EventSink {
    /// One event.
    fn on_event(&mut self, event: &SimEvent);
    /// An item still in flight when the run ended: called once for each,
    /// in item order, just before [`EventSink::finish`]. The items that
    /// ended during the run came with the event that ended them.
    fn in_flight(&mut self, _record: &ItemRecord) {}
    /// The run ended at `end`.
    fn finish(&mut self, _end: SimTime) {}
}

/// A sink that keeps every event; for tests and small traces.
#[derive(Debug, Default)]
pub struct EventLog {
    /// Events in order.
    pub events: Vec<SimEvent>,
}

impl EventSink for EventLog {
    fn on_event(&mut self, event: &SimEvent) {
        self.events.push(event.clone());
    }
}

impl EventKind {
    /// Whether this is an event the agent's console sees (and so its
    /// behaviour): the Lightning Omni-Channel events plus omnisim's
    /// `Unavailable`/`Canceled`/`Paused` notices. Router-side events are
    /// not, nor are the effort notices (`ResumeWaiting`, `Interrupted`):
    /// they tell when the agent works, which its effort clocks already
    /// keep for its behaviour.
    pub fn is_console_event(&self) -> bool {
        !matches!(
            self,
            EventKind::WorkArrived { .. }
                | EventKind::RoutingDecision { .. }
                | EventKind::WorkAbandoned { .. }
                | EventKind::WorkRequeued { .. }
                | EventKind::WorkTransferredIn { .. }
                | EventKind::SkillsDropped { .. }
                | EventKind::WorkEndedNoAgent { .. }
                | EventKind::AgentAbsent { .. }
                | EventKind::WorkResumeWaiting { .. }
                | EventKind::WorkInterrupted { .. }
        )
    }
}
