//! Agent behaviour: the person at the console, acting only through the
//! toolkit.
//!
//! A behaviour receives what an Omni-Channel console component would: the
//! agent's console events (`workAssigned`, `workAccepted`,
//! `statusChanged`, …), its shift and break edges and timers it set itself. It
//! answers by calling [`OmniToolkit`] methods, exactly as a Lightning
//! component calls `lightning:omniToolkitAPI`. The synthetic agents of a
//! scenario are one such behaviour ([`SyntheticBehaviour`]); `examples/`
//! shows a custom one.

mod synthetic;

pub use synthetic::SyntheticBehaviour;

use crate::events::EventKind;
use crate::kernel::handle::EngineHandle;
pub use crate::kernel::messages::BehaviourEvent;
use crate::kernel::messages::{AgentMsg, Cue, Entry};
use crate::omni::{AgentId, AgentWorkId, QueueId};
use crate::time::{SimDuration, SimTime};
use crate::toolkit::OmniToolkit;
use std::rc::Rc;

/// What a behaviour can use while handling an event.
#[derive(Debug)]
pub struct AgentContext {
    agent: AgentId,
    toolkit: OmniToolkit,
    handle: Rc<EngineHandle>,
}

impl AgentContext {
    pub(crate) fn new(agent: AgentId, toolkit: OmniToolkit, handle: Rc<EngineHandle>) -> Self {
        AgentContext {
            agent,
            toolkit,
            handle,
        }
    }

    /// The agent this behaviour drives.
    pub fn agent(&self) -> AgentId {
        self.agent
    }

    /// The agent's toolkit.
    pub fn toolkit(&self) -> &OmniToolkit {
        &self.toolkit
    }

    /// Current simulated time.
    pub fn now(&self) -> SimTime {
        self.handle.now()
    }

    /// Pauses (`paused`) or resumes one of the agent's opened items of a
    /// status-based channel, at this instant: it then holds its routing
    /// configuration's paused cost (omni-reference §12.5). Like Salesforce,
    /// where pausing sets a field on the work record, this is not a
    /// toolkit method; a request the work cannot take is ignored.
    pub fn pause(&self, work: crate::omni::AgentWorkId, paused: bool) {
        self.handle.schedule_now(Entry::Agent(
            self.agent,
            crate::kernel::messages::AgentMsg::Pause(work, paused),
        ));
    }

    /// Hands the opened AgentWork `work` on to `queue` (omni-reference
    /// §12.7). Salesforce has no transfer method in
    /// `lightning:omniToolkitAPI` (an agent transfers from the record's
    /// page), so this is a behaviour-level action rather than a toolkit
    /// call: it is applied by the agent at this instant, after the current
    /// handler. The work ends `Transferred`, its capacity is freed and the
    /// router puts the item in `queue` with its original request time.
    /// Ignored if the work is no longer opened with this agent by then.
    pub fn transfer(&self, work: AgentWorkId, queue: QueueId) {
        self.handle.schedule_now(Entry::Agent(
            self.agent,
            AgentMsg::Transfer {
                work,
                to_queue: queue,
            },
        ));
    }

    /// Asks to be woken with [`BehaviourEvent::Wake`]`(tag)` after `delay`
    /// of simulated time. Same-instant wakes run in the order requested.
    pub fn wake_after(&self, delay: SimDuration, tag: u64) {
        self.handle
            .schedule_in(delay, Entry::Behaviour(self.agent, Cue::Wake(tag)));
    }

    /// Asks to be woken with [`BehaviourEvent::Wake`]`(tag)` once the agent
    /// has *worked* `effort` more on its opened AgentWork `work`: time
    /// while the work is paused or waits to resume, while it is
    /// interruptible work set aside for primary work, or while the agent
    /// is logged out holding it (status-based capacity) does not count
    /// (omni-reference §12.4, §12.5). A handle time is effort: wait on it
    /// with this, not [`AgentContext::wake_after`]. For work that never
    /// stops (primary work of a tab-based channel) the two are the same.
    pub fn wake_after_work(&self, work: AgentWorkId, effort: SimDuration, tag: u64) {
        self.handle.wake_after_effort(self.agent, work, effort, tag);
    }
}

/// A model of how an agent works, written against the toolkit.
///
/// Handlers run one at a time per run, in simulated-clock order; a handler
/// may await toolkit calls, which complete at the same simulated instant.
#[allow(async_fn_in_trait)]
pub trait AgentBehaviour: 'static {
    /// Whether the behaviour wants this console event. Declining events it
    /// ignores anyway saves a calendar entry each.
    fn wants(&self, _event: &EventKind) -> bool {
        true
    }

    /// Reacts to one event.
    async fn handle(&mut self, event: BehaviourEvent, ctx: &AgentContext);
}
