//! Messages between the actors, all in one place.
//!
//! Actors never call each other directly: every message goes through the
//! calendar as an [`Entry`], so the same-instant order is the calendar's
//! FIFO rule and a run is reproducible. Toolkit calls are the exception:
//! they are request/reply ([`crate::toolkit::ToolkitRequest`]) because the
//! behaviour awaits the promise's outcome.
//!
//! Work items travel boxed: an [`Entry`] is moved on every calendar
//! operation, so it is kept as small as the other messages rather than as
//! large as an item with its skills and transfer plan.

use super::calendar::TimerId;
use crate::events::EventKind;
use crate::omni::{
    AgentId, AgentWorkId, CapacityPool, CapacityUnits, QueueId, StatusId, WorkItem, WorkItemId,
};
use crate::time::{SimDuration, SimTime};

/// Something scheduled on the calendar.
#[derive(Debug)]
pub(crate) enum Entry {
    /// A message for the router.
    Router(RouterMsg),
    /// A message for one agent actor.
    Agent(AgentId, AgentMsg),
    /// Something for one agent's behaviour (timer, shift, break).
    Behaviour(AgentId, Cue),
    /// A console event for one agent's behaviour, delivered to it as
    /// [`BehaviourEvent::Console`]. The event itself waits in the
    /// driver's own first-in first-out line of console events rather than
    /// here: an event is several times the size of every other entry, and
    /// boxing it cost an allocation per item. Console entries are only
    /// ever scheduled for the instant being processed, so they leave the
    /// calendar in the order they were scheduled, which is that line's
    /// order.
    Console(AgentId),
    /// An agent closed a work: its capacity counts as free for routing
    /// from this point of the same-instant order on, where the router's
    /// release notice used to be delivered. The driver puts it in the
    /// shared routing view ([`super::handle::RoutingView`]) and wakes the
    /// router only if items wait for an agent; otherwise the router reads
    /// it with its next message (see the engine module doc).
    Freed(Freed),
}

/// Capacity an agent freed by closing a work, for the router to take
/// back into its view.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) struct Freed {
    /// The agent.
    pub agent: AgentId,
    /// The item it closed, which the router forgets.
    pub item: WorkItemId,
    /// The capacity the work held.
    pub cost: CapacityUnits,
    /// The pool it held it in.
    pub pool: CapacityPool,
}

/// Messages the router handles.
#[derive(Debug)]
pub(crate) enum RouterMsg {
    /// The next arrival of a queue is due: the router has the generator
    /// make the item and routes it, in this one message.
    NextArrival(QueueId),
    /// A customer who abandoned this item tries again now, as a new item
    /// of the same queue (its stream's `retrial`), made by the generator
    /// in the router like any arrival.
    Retrial(Box<WorkItem>),
    /// An item made outside the scenario's arrivals (tests, lessons:
    /// `Simulation::inject_work`) enters its queue.
    Arrival(Box<WorkItem>),
    /// The item's customer ran out of patience.
    PatienceExpired(WorkItemId),
    /// The item's drop-additional-skills timeout ran out; `round` names the
    /// requirement set it was armed for, so a timer set before a reset is
    /// recognised as stale.
    DropSkills {
        /// The item.
        item: WorkItemId,
        /// Which setting of its requirements the timer belongs to.
        round: u32,
    },
    /// An agent's state changed in a way routing must know.
    Notice(AgentNotice),
    /// An agent freed capacity (see [`Entry::Freed`]) while items wait:
    /// the router takes it from the shared routing view and routes.
    Freed,
}

impl actix::Message for RouterMsg {
    type Result = ();
}

/// Messages an agent actor receives from the engine (not toolkit calls).
#[derive(Debug)]
pub(crate) enum AgentMsg {
    /// The router pushes an item.
    Assign(Box<Assignment>),
    /// The push timer of this AgentWork fired.
    PushTimeout(AgentWorkId),
    /// The item's customer left; cancel it if still only `Assigned`.
    Cancel(WorkItemId),
    /// Status-based work held across a logout is due for reassignment.
    Reassign(AgentWorkId),
    /// The behaviour pauses (`true`) or resumes an opened item.
    Pause(AgentWorkId, bool),
    /// The agent's behaviour hands an opened work on to another queue
    /// (omni-reference §12.7; not a toolkit method).
    Transfer {
        /// The AgentWork.
        work: AgentWorkId,
        /// The queue the item goes to.
        to_queue: QueueId,
    },
}

impl actix::Message for AgentMsg {
    type Result = ();
}

/// A push, as the router decided it.
#[derive(Debug)]
pub(crate) struct Assignment {
    /// The item.
    pub item: WorkItem,
    /// What it costs this agent.
    pub cost: CapacityUnits,
    /// The pool it costs it in.
    pub pool: CapacityPool,
    /// Push timeout of the queue's routing configuration.
    pub push_timeout: Option<SimDuration>,
    /// The customer's patience timer, which the agent cancels when it
    /// accepts: from then on the customer is served and stays.
    pub patience_timer: Option<TimerId>,
}

/// Why an item left an agent.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) enum Release {
    /// Finished.
    Closed,
    /// Explicitly declined.
    Declined,
    /// The push timed out.
    PushTimeout,
    /// The agent logged out while it was `Assigned`.
    Unavailable,
    /// The customer left while it was `Assigned`.
    Canceled,
    /// Status-based work whose agent stayed logged out past
    /// `reassign_after`; the handle time still to do.
    Reassigned(SimDuration),
    /// Handed on to another queue while `Opened`, after `handled` of
    /// handling.
    Transferred {
        /// The queue the item goes to.
        to_queue: QueueId,
        /// Accept → transfer.
        handled: SimDuration,
    },
}

/// What agents tell the router.
#[derive(Debug)]
pub(crate) enum AgentNotice {
    /// Login, logout or status change.
    Presence {
        agent: AgentId,
        /// Current status; `None` = logged out.
        status: Option<StatusId>,
        /// Whether this change clears the agent's decline exclusions: any
        /// change does (§5.3) except the one a decline/timeout itself causes.
        clears_exclusions: bool,
    },
    /// An active AgentWork ended other than closed (closed work frees its
    /// capacity through [`Entry::Freed`]); its capacity is free again.
    Released {
        agent: AgentId,
        item: WorkItemId,
        cost: CapacityUnits,
        pool: CapacityPool,
        why: Release,
    },
    /// An opened item was paused or resumed: its cost changed.
    Repriced {
        agent: AgentId,
        pool: CapacityPool,
        from: CapacityUnits,
        to: CapacityUnits,
    },
    /// The agent could not take a push (it went offline or changed status
    /// in the same instant, before the push reached it).
    Refused {
        agent: AgentId,
        item: Box<WorkItem>,
        cost: CapacityUnits,
        pool: CapacityPool,
    },
}

/// A [`BehaviourEvent`] other than a console event, as the calendar holds
/// it: a sixth of the size of a `BehaviourEvent`, which must be large
/// enough for any console event.
#[derive(Copy, Clone, Debug, PartialEq)]
pub(crate) enum Cue {
    /// [`BehaviourEvent::ShiftStart`].
    ShiftStart,
    /// [`BehaviourEvent::ShiftEnd`].
    ShiftEnd,
    /// [`BehaviourEvent::BreakStart`].
    BreakStart {
        status: crate::omni::StatusId,
        until: SimTime,
    },
    /// [`BehaviourEvent::BreakEnd`].
    BreakEnd,
    /// [`BehaviourEvent::Wake`].
    Wake(u64),
    /// [`BehaviourEvent::Notice`].
    Notice(u64),
}

impl From<Cue> for BehaviourEvent {
    fn from(cue: Cue) -> BehaviourEvent {
        match cue {
            Cue::ShiftStart => BehaviourEvent::ShiftStart,
            Cue::ShiftEnd => BehaviourEvent::ShiftEnd,
            Cue::BreakStart { status, until } => BehaviourEvent::BreakStart { status, until },
            Cue::BreakEnd => BehaviourEvent::BreakEnd,
            Cue::Wake(tag) => BehaviourEvent::Wake(tag),
            Cue::Notice(tag) => BehaviourEvent::Notice(tag),
        }
    }
}

/// What a behaviour is told: a calendar entry for one agent's behaviour
/// (re-exported as `behaviour::BehaviourEvent`, where behaviours meet it).
#[derive(Clone, Debug, PartialEq)]
pub enum BehaviourEvent {
    /// The agent's shift starts: time to log in.
    ShiftStart,
    /// The agent's shift ends: time to log out.
    ShiftEnd,
    /// A break of the agent's roster starts (late, if the group's
    /// `break_lateness` says so): time to move to `status`, a busy status,
    /// until `until`. Only while the shift runs; a break the shift end
    /// cuts short gets no [`BehaviourEvent::BreakEnd`].
    BreakStart {
        /// The busy status of the break.
        status: crate::omni::StatusId,
        /// When it ends.
        until: SimTime,
    },
    /// The break ends: time to go back to work.
    BreakEnd,
    /// A console event of this agent (only the kinds
    /// [`EventKind::is_console_event`] accepts).
    Console(EventKind),
    /// A timer the behaviour set with [`AgentContext::wake_after`](crate::behaviour::AgentContext::wake_after).
    Wake(u64),
    /// Word from outside the run, passed by
    /// [`Simulation::notify`](crate::engine::Simulation::notify): what the
    /// tag means is between the caller and the behaviour (in `omnisim
    /// serve`, that a remote console attached to the agent or left it).
    /// Behaviours that expect none ignore it.
    Notice(u64),
}
