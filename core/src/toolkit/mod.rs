//! The Omni toolkit: the only way an agent behaviour acts.
//!
//! [`OmniToolkit`] mirrors `lightning:omniToolkitAPI` method for method.
//! Each method is async because the JavaScript one returns a promise; `Ok`
//! is the resolve value and `Err(`[`ToolkitError`]`)` the reject. Ids are
//! strings in Salesforce's form (`0Bz…` for AgentWork, `0N5…` for presence
//! statuses), exactly as a console component handles them.
//!
//! A call is a message to the agent's actor, which owns the agent's state;
//! the reply comes back when the actor has applied it. The toolkit is the
//! contract between a behaviour and its agent: it names the messages
//! ([`ToolkitRequest`], [`ToolkitValue`]) and holds only a
//! [`Recipient`] of them, so it depends on no actor type and the agent
//! actor depends on it, not the other way round. In a run, calls travel
//! as fire-and-forget messages whose answer comes back through a slot the
//! handle reuses (see `reply`).

mod error;
mod reply;

pub use error::ToolkitError;
pub(crate) use reply::{ReplySlot, ToolkitCall, ToolkitResult};

use crate::kernel::instruments::{self, Instrumentation, Probe};
use crate::omni::{StatusId, WorkStatus};
use crate::scenario::Scenario;
use actix::Recipient;
use serde::Serialize;
use std::sync::Arc;

/// One entry of `getAgentWorks`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AgentWorkInfo {
    /// AgentWork id (`workId`).
    pub work_id: String,
    /// The item's id (`workItemId`).
    pub work_item_id: String,
    /// False until the agent accepts it.
    pub is_engaged: bool,
    /// `Assigned` or `Opened`.
    pub status: WorkStatus,
    /// Queue name.
    pub queue: String,
    /// Service channel developer name.
    pub channel: String,
    /// Capacity units it holds.
    pub capacity_cost: f64,
    /// Whether a flag is raised on it.
    pub flagged: bool,
}

/// `getAgentWorkload`'s result.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AgentWorkload {
    /// Capacity from the presence configuration.
    pub configured_capacity: f64,
    /// Load of `Assigned` and `Opened` work.
    pub current_workload: f64,
    /// Interruptible capacity (defaults to the primary capacity).
    pub configured_interruptible_capacity: f64,
    /// Interruptible load (omnisim routes primary work only: zero).
    pub current_interruptible_workload: f64,
}

/// One entry of `getServicePresenceStatusChannels`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StatusChannel {
    /// ServiceChannel id (`0N9…`).
    pub channel_id: String,
    /// ServiceChannel developer name.
    pub developer_name: String,
}

/// `getServicePresenceStatusId`'s result.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PresenceStatusInfo {
    /// Label (`statusName`).
    pub status_name: String,
    /// API name.
    pub status_api_name: String,
    /// Id (`0N5…`).
    pub status_id: String,
}

impl StatusChannel {
    /// The channels presence status `id` receives, as the toolkit lists
    /// them (empty for a busy status).
    pub fn of_status(scenario: &Scenario, id: StatusId) -> Vec<StatusChannel> {
        scenario.statuses[id.index()]
            .channels
            .iter()
            .map(|c| StatusChannel {
                channel_id: c.to_string(),
                developer_name: scenario.channels[c.index()].name.clone(),
            })
            .collect()
    }
}

impl PresenceStatusInfo {
    /// Presence status `id` as the toolkit names it: label, API name, id.
    pub fn of(scenario: &Scenario, id: StatusId) -> PresenceStatusInfo {
        let s = &scenario.statuses[id.index()];
        PresenceStatusInfo {
            status_name: s.label.clone(),
            status_api_name: s.api_name.clone(),
            status_id: id.to_string(),
        }
    }
}

/// `setServicePresenceStatus`'s result: the status and its channels.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SetStatusResult {
    /// Label.
    pub status_name: String,
    /// API name.
    pub status_api_name: String,
    /// Id (`0N5…`).
    pub status_id: String,
    /// Channels the status receives.
    pub channels: Vec<StatusChannel>,
}

/// A toolkit call as a message to the agent actor.
#[derive(Clone, Debug, PartialEq)]
#[allow(missing_docs)]
pub enum ToolkitRequest {
    AcceptAgentWork {
        work_id: String,
    },
    CloseAgentWork {
        work_id: String,
    },
    DeclineAgentWork {
        work_id: String,
        decline_reason: Option<String>,
    },
    GetAgentWorks,
    GetAgentWorkload,
    GetServicePresenceStatusChannels,
    GetServicePresenceStatusId,
    Login {
        status_id: String,
    },
    Logout,
    SetServicePresenceStatus {
        status_id: String,
    },
    RaiseAgentWorkFlag {
        work_id: String,
        message: Option<String>,
    },
    LowerAgentWorkFlag {
        work_id: String,
    },
}

/// The resolve value of a toolkit call, before [`OmniToolkit`] unwraps it
/// to the method's own type.
#[derive(Clone, Debug, PartialEq)]
#[allow(missing_docs)]
pub enum ToolkitValue {
    Done(bool),
    Works(Vec<AgentWorkInfo>),
    Workload(AgentWorkload),
    Channels(Vec<StatusChannel>),
    Status(PresenceStatusInfo),
    StatusSet(SetStatusResult),
}

impl actix::Message for ToolkitRequest {
    type Result = Result<ToolkitValue, ToolkitError>;
}

/// One agent's toolkit handle. Cheap to clone.
#[derive(Clone, Debug)]
pub struct OmniToolkit {
    agent: Recipient<ToolkitRequest>,
    /// In a run: the agent's address for calls answered through a reply
    /// slot, and that slot, one for all the toolkits of a run, whose
    /// behaviours call one at a time, so it stays in the cache however
    /// many agents there are.
    quick: Option<(Recipient<ToolkitCall>, Arc<ReplySlot>)>,
    instruments: Instrumentation,
}

impl ToolkitValue {
    /// The variant's name, for [`ToolkitError::UnexpectedReply`].
    pub fn variant(&self) -> &'static str {
        match self {
            ToolkitValue::Done(_) => "Done",
            ToolkitValue::Works(_) => "Works",
            ToolkitValue::Workload(_) => "Workload",
            ToolkitValue::Channels(_) => "Channels",
            ToolkitValue::Status(_) => "Status",
            ToolkitValue::StatusSet(_) => "StatusSet",
        }
    }
}

/// Unwraps the reply of a call to the method's own type: a reply of
/// another kind is an agent answering the wrong question, reported as
/// such rather than as a lost connection.
macro_rules! expect_value {
    ($result:expr, $variant:ident) => {
        match $result? {
            ToolkitValue::$variant(v) => Ok(v),
            other => Err(ToolkitError::UnexpectedReply {
                expected: stringify!($variant),
                received: other.variant(),
            }),
        }
    };
}

impl OmniToolkit {
    /// A handle on the agent behind `agent` (in a run, the agent actor's
    /// address: `addr.recipient()`).
    pub fn new(agent: Recipient<ToolkitRequest>) -> OmniToolkit {
        OmniToolkit {
            agent,
            quick: None,
            instruments: None,
        }
    }

    /// A handle on an agent actor that answers both [`ToolkitRequest`]
    /// and [`ToolkitCall`]: calls go without a reply channel each and are
    /// answered in `slot`.
    pub(crate) fn quick<A>(agent: &actix::Addr<A>, slot: Arc<ReplySlot>) -> OmniToolkit
    where
        A: actix::Actor<Context = actix::Context<A>>
            + actix::Handler<ToolkitRequest>
            + actix::Handler<ToolkitCall>,
    {
        OmniToolkit {
            quick: Some((agent.clone().recipient(), slot)),
            ..OmniToolkit::new(agent.clone().recipient())
        }
    }

    /// The same handle, timing every call's round trip into `instruments`.
    pub(crate) fn with_instruments(mut self, instruments: Instrumentation) -> OmniToolkit {
        self.instruments = instruments;
        self
    }

    /// Sends any toolkit call as the request it is and returns the reply
    /// unwrapped only to [`ToolkitValue`]: for a caller that receives
    /// calls as data, such as a remote console (`omnisim serve`), rather
    /// than calling one method by name.
    pub async fn call(&self, req: ToolkitRequest) -> Result<ToolkitValue, ToolkitError> {
        let start = instruments::start(&self.instruments);
        let claimed = self
            .quick
            .as_ref()
            .and_then(|(agent, slot)| Some((agent, slot.claim()?)));
        let reply = match claimed {
            Some((agent, (pending, reply))) => {
                agent.do_send(ToolkitCall {
                    request: req,
                    reply,
                });
                pending.answer().await
            }
            // Not in a run, or another call is out on the run's slot.
            None => self
                .agent
                .send(req)
                .await
                .unwrap_or(Err(ToolkitError::Disconnected)),
        };
        instruments::finish(&self.instruments, Probe::ToolkitCall, start);
        reply
    }

    /// `acceptAgentWork({workId})`: `Assigned` → `Opened`.
    pub async fn accept_agent_work(&self, work_id: &str) -> Result<bool, ToolkitError> {
        let r = self
            .call(ToolkitRequest::AcceptAgentWork {
                work_id: work_id.into(),
            })
            .await;
        expect_value!(r, Done)
    }

    /// `closeAgentWork({workId})`: `Opened` → `Closed`, capacity released.
    pub async fn close_agent_work(&self, work_id: &str) -> Result<bool, ToolkitError> {
        let r = self
            .call(ToolkitRequest::CloseAgentWork {
                work_id: work_id.into(),
            })
            .await;
        expect_value!(r, Done)
    }

    /// `declineAgentWork({workId, declineReason})`: `Assigned` → `Declined`;
    /// the item goes back to its queue, not to this agent.
    pub async fn decline_agent_work(
        &self,
        work_id: &str,
        decline_reason: Option<&str>,
    ) -> Result<bool, ToolkitError> {
        let r = self
            .call(ToolkitRequest::DeclineAgentWork {
                work_id: work_id.into(),
                decline_reason: decline_reason.map(str::to_owned),
            })
            .await;
        expect_value!(r, Done)
    }

    /// `getAgentWorks()`: active work in assignment order.
    pub async fn get_agent_works(&self) -> Result<Vec<AgentWorkInfo>, ToolkitError> {
        let r = self.call(ToolkitRequest::GetAgentWorks).await;
        expect_value!(r, Works)
    }

    /// `getAgentWorkload()`.
    pub async fn get_agent_workload(&self) -> Result<AgentWorkload, ToolkitError> {
        let r = self.call(ToolkitRequest::GetAgentWorkload).await;
        expect_value!(r, Workload)
    }

    /// `getServicePresenceStatusChannels()`: channels of the current status.
    pub async fn get_service_presence_status_channels(
        &self,
    ) -> Result<Vec<StatusChannel>, ToolkitError> {
        let r = self
            .call(ToolkitRequest::GetServicePresenceStatusChannels)
            .await;
        expect_value!(r, Channels)
    }

    /// `getServicePresenceStatusId()`.
    pub async fn get_service_presence_status_id(&self) -> Result<PresenceStatusInfo, ToolkitError> {
        let r = self.call(ToolkitRequest::GetServicePresenceStatusId).await;
        expect_value!(r, Status)
    }

    /// `login({statusId})`.
    pub async fn login(&self, status_id: &str) -> Result<bool, ToolkitError> {
        let r = self
            .call(ToolkitRequest::Login {
                status_id: status_id.into(),
            })
            .await;
        expect_value!(r, Done)
    }

    /// `logout()`: idempotent; `Assigned` work is re-routed, `Opened` work
    /// is closed (tab-based capacity, omni-reference §7).
    pub async fn logout(&self) -> Result<bool, ToolkitError> {
        let r = self.call(ToolkitRequest::Logout).await;
        expect_value!(r, Done)
    }

    /// `setServicePresenceStatus({statusId})`; logs in first if needed.
    pub async fn set_service_presence_status(
        &self,
        status_id: &str,
    ) -> Result<SetStatusResult, ToolkitError> {
        let r = self
            .call(ToolkitRequest::SetServicePresenceStatus {
                status_id: status_id.into(),
            })
            .await;
        expect_value!(r, StatusSet)
    }

    /// `raiseAgentWorkFlag({workId, message})`; flags do not affect routing.
    pub async fn raise_agent_work_flag(
        &self,
        work_id: &str,
        message: Option<&str>,
    ) -> Result<bool, ToolkitError> {
        let r = self
            .call(ToolkitRequest::RaiseAgentWorkFlag {
                work_id: work_id.into(),
                message: message.map(str::to_owned),
            })
            .await;
        expect_value!(r, Done)
    }

    /// `lowerAgentWorkFlag({workId})`.
    pub async fn lower_agent_work_flag(&self, work_id: &str) -> Result<bool, ToolkitError> {
        let r = self
            .call(ToolkitRequest::LowerAgentWorkFlag {
                work_id: work_id.into(),
            })
            .await;
        expect_value!(r, Done)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix::{Actor, Context, Handler};

    /// Answers every request with `Done(true)`, whatever was asked.
    struct AlwaysDone;

    impl Actor for AlwaysDone {
        type Context = Context<Self>;
    }

    impl Handler<ToolkitRequest> for AlwaysDone {
        type Result = Result<ToolkitValue, ToolkitError>;

        fn handle(&mut self, _: ToolkitRequest, _: &mut Context<Self>) -> Self::Result {
            Ok(ToolkitValue::Done(true))
        }
    }

    /// Answers `Done(false)` through the reply slot, `Done(true)` as a
    /// request, so a test can tell which way a call went.
    impl Handler<ToolkitCall> for AlwaysDone {
        type Result = ();

        fn handle(&mut self, call: ToolkitCall, _: &mut Context<Self>) {
            call.reply.answer(Ok(ToolkitValue::Done(false)));
        }
    }

    #[test]
    fn a_call_goes_through_the_reply_slot_unless_another_holds_it() {
        actix::System::new().block_on(async {
            let slot = Arc::new(ReplySlot::default());
            let toolkit = OmniToolkit::quick(&AlwaysDone.start(), slot.clone());
            assert_eq!(toolkit.logout().await, Ok(false), "through the slot");
            let (other, its_reply) = slot.claim().expect("free between calls");
            assert_eq!(
                toolkit.logout().await,
                Ok(true),
                "while another call holds the slot, as a request"
            );
            drop(other);
            drop(its_reply);
            assert_eq!(toolkit.clone().logout().await, Ok(false), "the slot again");
        });
    }

    #[test]
    fn a_reply_of_the_wrong_kind_is_named_not_called_a_disconnection() {
        actix::System::new().block_on(async {
            let toolkit = OmniToolkit::new(AlwaysDone.start().recipient());
            assert_eq!(toolkit.logout().await, Ok(true));
            let err = toolkit.get_agent_works().await.unwrap_err();
            assert_eq!(
                err,
                ToolkitError::UnexpectedReply {
                    expected: "Works",
                    received: "Done",
                }
            );
            assert_eq!(
                err.to_string(),
                "the agent answered Done to a call that returns Works"
            );
            let err = toolkit.get_agent_workload().await.unwrap_err();
            assert!(matches!(
                err,
                ToolkitError::UnexpectedReply {
                    expected: "Workload",
                    ..
                }
            ));
        });
    }
}
