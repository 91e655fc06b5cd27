//! Work items and AgentWork records.

use super::{
    AgentId, AgentWorkId, CapacityPool, CapacityUnits, ChannelId, QueueId, SkillRequirement,
    WorkItemId,
};
use crate::time::{SimDuration, SimTime};
use serde::Serialize;

/// The thing being routed (a case, a chat). It lives in the router until
/// accepted, abandoned or the run ends; each push creates an [`AgentWork`].
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct WorkItem {
    /// Arrival-order number.
    pub id: WorkItemId,
    /// Queue it entered.
    pub queue: QueueId,
    /// Channel of that queue.
    pub channel: ChannelId,
    /// `RequestDateTime`: when it entered routing; kept across re-pushes so
    /// a declined item keeps its age.
    pub requested_at: SimTime,
    /// How long the customer will wait before leaving, if they would.
    pub patience: Option<SimDuration>,
    /// Work the agent will spend on it once accepted, sampled at arrival so
    /// every routing model faces the same demand (common random numbers).
    pub handle_time: SimDuration,
    /// After-conversation work once the handle time is over, sampled at
    /// arrival from its stream's `wrap_up`; `None` = the agent group's
    /// wrap-up applies.
    pub wrap_up: Option<SimDuration>,
    /// Routing priority (lower first): the queue's for queue-based work,
    /// the item's own (PSR `RoutingPriority`) for skills-based work.
    pub priority: i32,
    /// Secondary routing priority (lower first; `None` sorts after any
    /// value) (omni-reference §12.3).
    pub secondary_priority: Option<u32>,
    /// Skills the item requires, as requested (skills-based work only).
    pub skills: Vec<SkillRequirement>,
    /// Transfers still ahead of it, next first (omni-reference §12.7):
    /// drawn at arrival from its stream's `transfer` so that whether and
    /// when it is handed on never depends on routing.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub transfers: Vec<TransferStep>,
    /// How many times it has been transferred so far.
    #[serde(skip_serializing_if = "is_zero")]
    pub transferred: u32,
    /// Set when the item is a customer's new attempt after abandoning
    /// (its stream's `retrial`); `None` for a first attempt.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retrial: Option<RetrialOf>,
    /// If this attempt is abandoned, the customer tries again this long
    /// after: drawn when the attempt is created, like its transfers, so
    /// that whether a customer comes back never depends on routing.
    /// `None` = an abandonment is final.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<SimDuration>,
}

/// Which attempt of which customer a retrial is. Each attempt is an item
/// of its own (counted as offered, answered or abandoned like any item);
/// this ties the attempts of one customer together.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RetrialOf {
    /// The item of the customer's first attempt, which stands for the
    /// customer.
    pub customer: WorkItemId,
    /// 2 for the first retrial, 3 for the next, and so on.
    pub attempt: u32,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// One planned transfer of an item: after how much handling the agent who
/// holds it hands it on, and to which queue. Carried on the item (and its
/// AgentWork) because the behaviour that acts on it only sees the work.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TransferStep {
    /// The queue the item goes to.
    pub to_queue: QueueId,
    /// Handling before the transfer (capped by the handle time left).
    pub after: SimDuration,
}

/// AgentWork status (omni-reference §4.1).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum WorkStatus {
    /// Pushed, not yet accepted. Holds capacity.
    Assigned,
    /// Accepted; the agent is working on it. Holds capacity.
    Opened,
    /// Finished by `close_agent_work`.
    Closed,
    /// Explicitly declined.
    Declined,
    /// The push timed out before the agent answered.
    DeclinedOnPushTimeout,
    /// The agent logged out while it was `Assigned`; the item was re-routed.
    Unavailable,
    /// Routing no longer needed: the customer left while it was `Assigned`.
    Canceled,
    /// Handed on to another queue while `Opened`; the item goes on in a
    /// new AgentWork (omni-reference §4.1, §12.7).
    Transferred,
}

impl WorkStatus {
    /// Every status, in the order of omni-reference §4.1.
    pub const ALL: [WorkStatus; 8] = [
        WorkStatus::Assigned,
        WorkStatus::Opened,
        WorkStatus::Closed,
        WorkStatus::Declined,
        WorkStatus::DeclinedOnPushTimeout,
        WorkStatus::Unavailable,
        WorkStatus::Canceled,
        WorkStatus::Transferred,
    ];

    /// The status Salesforce spells `name` (any case), as an export holds
    /// it.
    pub fn from_name(name: &str) -> Option<WorkStatus> {
        Self::ALL
            .into_iter()
            .find(|s| s.as_str().eq_ignore_ascii_case(name))
    }

    /// `Assigned` and `Opened` hold capacity and can still change.
    pub fn is_active(self) -> bool {
        matches!(self, WorkStatus::Assigned | WorkStatus::Opened)
    }

    /// Salesforce's picklist spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            WorkStatus::Assigned => "Assigned",
            WorkStatus::Opened => "Opened",
            WorkStatus::Closed => "Closed",
            WorkStatus::Declined => "Declined",
            WorkStatus::DeclinedOnPushTimeout => "DeclinedOnPushTimeout",
            WorkStatus::Unavailable => "Unavailable",
            WorkStatus::Canceled => "Canceled",
            WorkStatus::Transferred => "Transferred",
        }
    }
}

impl std::fmt::Display for WorkStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One push of one item to one agent, with the timestamps Salesforce keeps.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AgentWork {
    /// The id toolkit calls use.
    pub id: AgentWorkId,
    /// The item pushed.
    pub work_item: WorkItemId,
    /// The agent it was pushed to.
    pub agent: AgentId,
    /// Queue of the item.
    pub queue: QueueId,
    /// Channel of the item.
    pub channel: ChannelId,
    /// Current status.
    pub status: WorkStatus,
    /// Capacity this work holds while active.
    pub capacity_cost: CapacityUnits,
    /// The pool that capacity is held in.
    pub pool: CapacityPool,
    /// Whether a flag is raised.
    pub flagged: bool,
    /// The flag's message, if any.
    pub flag_message: Option<String>,
    /// `RequestDateTime` of the item (its age).
    pub requested_at: SimTime,
    /// `AssignedDateTime`: this push.
    pub assigned_at: SimTime,
    /// `AcceptDateTime`.
    pub accepted_at: Option<SimTime>,
    /// `CloseDateTime`, or when it otherwise stopped being active.
    pub closed_at: Option<SimTime>,
    /// `DeclineReason` given with an explicit decline.
    pub decline_reason: Option<String>,
    /// Handle time the item demands (synthetic payload).
    pub handle_time: SimDuration,
    /// Status-based work kept across a logout: when the agent logged out.
    pub logged_out_at: Option<SimTime>,
    /// While paused: the cost it held before (and holds again on resume).
    pub paused_from: Option<CapacityUnits>,
    /// Its pause is over but that cost does not fit yet: it stays paused,
    /// and the room it needs is claimed (omni-reference §12.5).
    pub resume_due: bool,
    /// Interruptible work set aside while its agent has primary work in
    /// progress (omni-reference §12.4): still assigned and counted, not
    /// worked.
    pub interrupted: bool,
    /// The item's own wrap-up, if its arrival stream sets one.
    pub wrap_up: Option<SimDuration>,
    /// The item's next planned transfer, if any (synthetic payload, like
    /// the handle time).
    pub transfer: Option<TransferStep>,
}
