//! Why a toolkit call was rejected.
//!
//! Salesforce documents no rejection reasons for `lightning:omniToolkitAPI`
//! promises; this catalogue is omnisim's (omni-reference §2.12). None of
//! these is fatal: the agent's state is unchanged and the caller may go on.

use crate::omni::WorkStatus;
use thiserror::Error;

/// A rejected toolkit call (the JavaScript promise's reject).
#[derive(Clone, Debug, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum ToolkitError {
    /// The agent is offline and the method needs an Omni-Channel session.
    #[error("the agent is not logged in to omni-channel; call login or set_service_presence_status first")]
    NotLoggedIn,
    /// `login` while already logged in.
    #[error("the agent is already logged in; use set_service_presence_status to change status")]
    AlreadyLoggedIn,
    /// A required id was empty or not in Salesforce's form.
    #[error("invalid {field}: {value:?} is not a valid id")]
    InvalidArgument {
        /// The argument's name as the JavaScript API spells it (`workId`, `statusId`).
        field: &'static str,
        /// What was passed.
        value: String,
    },
    /// No AgentWork has this id.
    #[error("unknown work {work_id}")]
    UnknownWork {
        /// The id passed.
        work_id: String,
    },
    /// The AgentWork exists but belongs to another agent.
    #[error("work {work_id} is not assigned to this agent")]
    WorkNotAssignedToAgent {
        /// The id passed.
        work_id: String,
    },
    /// The AgentWork's status does not allow this transition.
    #[error("work {work_id} is {status}; this call is not allowed in that state")]
    InvalidWorkState {
        /// The id passed.
        work_id: String,
        /// Its current status.
        status: WorkStatus,
    },
    /// The presence configuration does not allow declining (decline is off,
    /// or auto-accept is on).
    #[error("the agent's presence configuration does not allow declining work")]
    DeclineNotAllowed,
    /// The reason is not among the configuration's decline reasons.
    #[error("decline reason {reason:?} is not one of the configured reasons")]
    InvalidDeclineReason {
        /// The reason passed.
        reason: String,
    },
    /// No presence status has this id.
    #[error("unknown presence status {status_id}")]
    UnknownStatus {
        /// The id passed.
        status_id: String,
    },
    /// The status exists but the agent has not been granted it.
    #[error("presence status {status_id} is not granted to this agent")]
    StatusNotPermitted {
        /// The id passed.
        status_id: String,
    },
    /// The agent's session is gone: the simulation stopped, or the
    /// agent's handler panicked on this call (the run then ends with that
    /// panic reported; see `RunOutcome::panic`).
    #[error("the omni-channel connection is gone")]
    Disconnected,
    /// The agent answered with a reply of another kind than the method
    /// returns: a fault of whatever answers toolkit requests, not of the
    /// caller.
    #[error("the agent answered {received} to a call that returns {expected}")]
    UnexpectedReply {
        /// The reply kind the method returns (a [`crate::toolkit::ToolkitValue`] variant).
        expected: &'static str,
        /// The reply kind received.
        received: &'static str,
    },
}
