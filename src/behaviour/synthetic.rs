//! The synthetic agent of scenario files.
//!
//! On a push it waits a response time, then accepts with the group's
//! accept probability or declines with one of the configured reasons; with
//! the no-answer probability it never answers and the push times out.
//! Accepted work is closed after its handle time plus optional wrap-up.
//! After a status-on-decline / on-timeout it may return to its login status.

use super::{AgentBehaviour, AgentContext, BehaviourEvent};
use crate::events::{EventKind, StatusChangeReason};
use crate::omni::{AgentWorkId, StatusId};
use crate::scenario::BehaviourSpec;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

const ANSWER: u64 = 0;
const CLOSE: u64 = 1;
const RETURN: u64 = 2;

/// A scenario group's behaviour for one agent, with its own random stream.
#[derive(Debug)]
pub struct SyntheticBehaviour {
    spec: BehaviourSpec,
    login_status: StatusId,
    auto_accept: bool,
    decline_reasons: Vec<String>,
    rng: ChaCha8Rng,
}

impl SyntheticBehaviour {
    /// A behaviour for one agent of a group.
    pub fn new(
        spec: BehaviourSpec,
        login_status: StatusId,
        auto_accept: bool,
        decline_reasons: Vec<String>,
        rng: ChaCha8Rng,
    ) -> SyntheticBehaviour {
        SyntheticBehaviour {
            spec,
            login_status,
            auto_accept,
            decline_reasons,
            rng,
        }
    }

    fn tag(work: AgentWorkId, action: u64) -> u64 {
        (work.0 << 2) | action
    }

    async fn answer(&mut self, work: AgentWorkId, ctx: &AgentContext) {
        let tk = ctx.toolkit();
        let id = work.to_string();
        if self.rng.gen::<f64>() < self.spec.accept_probability {
            // Rejected when the push already timed out: nothing to do.
            let _ = tk.accept_agent_work(&id).await;
        } else {
            let reason = if self.decline_reasons.is_empty() {
                None
            } else {
                Some(
                    self.decline_reasons[self.rng.gen_range(0..self.decline_reasons.len())].clone(),
                )
            };
            let _ = tk.decline_agent_work(&id, reason.as_deref()).await;
        }
    }
}

impl AgentBehaviour for SyntheticBehaviour {
    fn wants(&self, event: &EventKind) -> bool {
        match event {
            // Under auto-accept there is nothing to answer.
            EventKind::WorkAssigned { .. } => !self.auto_accept,
            EventKind::WorkAccepted { .. } => true,
            EventKind::StatusChanged { reason, .. } => {
                self.spec.return_to_status_after.is_some()
                    && matches!(
                        reason,
                        StatusChangeReason::OmniDeclineWork | StatusChangeReason::OmniPushTimeout
                    )
            }
            _ => false,
        }
    }

    async fn handle(&mut self, event: BehaviourEvent, ctx: &AgentContext) {
        let tk = ctx.toolkit();
        match event {
            BehaviourEvent::ShiftStart => {
                let _ = tk.login(&self.login_status.to_string()).await;
            }
            BehaviourEvent::ShiftEnd => {
                let _ = tk.logout().await;
            }
            BehaviourEvent::Console(EventKind::WorkAssigned { work, .. }) => {
                if self.auto_accept || self.rng.gen::<f64>() < self.spec.no_answer_probability {
                    return;
                }
                let delay = self.spec.response_time.sample(&mut self.rng);
                ctx.wake_after(delay, Self::tag(work, ANSWER));
            }
            BehaviourEvent::Console(EventKind::WorkAccepted {
                work, handle_time, ..
            }) => {
                let wrap = self
                    .spec
                    .wrap_up
                    .as_ref()
                    .map(|d| d.sample(&mut self.rng))
                    .unwrap_or_default();
                ctx.wake_after(handle_time + wrap, Self::tag(work, CLOSE));
            }
            BehaviourEvent::Console(EventKind::StatusChanged { .. }) => {
                if let Some(after) = self.spec.return_to_status_after {
                    ctx.wake_after(after, RETURN);
                }
            }
            BehaviourEvent::Console(_) => {}
            BehaviourEvent::Wake(tag) => match tag & 3 {
                ANSWER => self.answer(AgentWorkId(tag >> 2), ctx).await,
                CLOSE => {
                    let _ = tk
                        .close_agent_work(&AgentWorkId(tag >> 2).to_string())
                        .await;
                }
                _ => {
                    // Only from a busy status set by a decline or timeout;
                    // a logged-out agent stays out.
                    if let Ok(s) = tk.get_service_presence_status_id().await {
                        if s.status_id != self.login_status.to_string() {
                            let _ = tk
                                .set_service_presence_status(&self.login_status.to_string())
                                .await;
                        }
                    }
                }
            },
        }
    }
}
