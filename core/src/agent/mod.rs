//! The agent actor: one per agent, owning its Omni-Channel session.
//!
//! The actor is a thin shell: it receives toolkit calls (request/reply) and
//! engine messages (push, push timeout, cancel) and applies them to its
//! [`AgentState`], which holds the rules.

mod state;
mod work_list;

pub(crate) use state::AgentState;

use crate::kernel::messages::AgentMsg;
use crate::toolkit::ToolkitRequest;
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

impl Handler<ToolkitRequest> for AgentActor {
    type Result = <ToolkitRequest as actix::Message>::Result;

    fn handle(&mut self, req: ToolkitRequest, _: &mut Self::Context) -> Self::Result {
        self.state.toolkit(req)
    }
}

impl Handler<AgentMsg> for AgentActor {
    type Result = ();

    fn handle(&mut self, msg: AgentMsg, _: &mut Self::Context) {
        match msg {
            AgentMsg::Assign(a) => self.state.assign(*a),
            AgentMsg::PushTimeout(id) => self.state.push_timeout(id),
            AgentMsg::Cancel(item) => self.state.cancel(item),
            AgentMsg::Reassign(id) => self.state.reassign(id),
            AgentMsg::Pause(id, paused) => self.state.pause(id, paused),
            AgentMsg::Transfer { work, to_queue } => self.state.transfer(work, to_queue),
        }
        // The driver waits for this (see `EngineHandle::deliver`).
        self.state.handled();
    }
}
