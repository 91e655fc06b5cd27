//! The agent actor: one per agent, owning its Omni-Channel session.
//!
//! The actor is a thin shell: it receives toolkit calls (request/reply) and
//! engine messages (push, push timeout, cancel) and applies them to its
//! [`AgentState`], which holds the rules.

mod state;
mod work_list;

pub(crate) use state::AgentState;

use crate::kernel::messages::AgentMsg;
use crate::toolkit::{ToolkitCall, ToolkitError, ToolkitRequest, ToolkitResult};
use actix::{Actor, Context, Handler};

/// An agent as an actix actor.
#[derive(Debug)]
pub(crate) struct AgentActor {
    state: AgentState,
}

impl AgentActor {
    /// Wraps a session.
    pub(crate) fn new(state: AgentState) -> AgentActor {
        AgentActor { state }
    }
}

impl Actor for AgentActor {
    type Context = Context<Self>;
}

impl AgentActor {
    /// Applies a toolkit call. A panic ends the run (see
    /// `crate::kernel::panic`); the caller, still waiting, is told the
    /// session is gone.
    fn answer(&mut self, req: ToolkitRequest) -> ToolkitResult {
        let state = &mut self.state;
        state.count(|c| c.toolkit_messages += 1);
        let agent = state.id();
        state
            .guard(|| format!("agent {}", agent.0), |s| s.toolkit(req))
            .unwrap_or(Err(ToolkitError::Disconnected))
    }
}

impl Handler<ToolkitRequest> for AgentActor {
    type Result = <ToolkitRequest as actix::Message>::Result;

    fn handle(&mut self, req: ToolkitRequest, _: &mut Self::Context) -> Self::Result {
        self.answer(req)
    }
}

impl Handler<ToolkitCall> for AgentActor {
    type Result = ();

    fn handle(&mut self, call: ToolkitCall, _: &mut Self::Context) {
        let result = self.answer(call.request);
        call.reply.answer(result);
    }
}

impl Handler<AgentMsg> for AgentActor {
    type Result = ();

    fn handle(&mut self, msg: AgentMsg, _: &mut Self::Context) {
        let agent = self.state.id();
        self.state.guard(
            || format!("agent {}", agent.0),
            |s| match msg {
                AgentMsg::Assign(a) => s.assign(*a),
                AgentMsg::PushTimeout(id) => s.push_timeout(id),
                AgentMsg::Cancel(item) => s.cancel(item),
                AgentMsg::Reassign(id) => s.reassign(id),
                AgentMsg::Pause(id, paused) => s.pause(id, paused),
                AgentMsg::Transfer { work, to_queue } => s.transfer(work, to_queue),
            },
        );
        // The driver waits for this (see `EngineHandle::deliver`).
        self.state.handled();
    }
}
