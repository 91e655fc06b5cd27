//! The synthetic agent of scenario files.
//!
//! On a push it waits a response time, then accepts with the group's
//! accept probability or declines with one of the configured reasons; with
//! the no-answer probability it never answers and the push times out.
//! Accepted work is closed after its handle time plus wrap-up: the item's
//! own (its arrival stream's) if it has one, else one drawn from the
//! group's. An item planned for transfer (omni-reference §12.7) is instead
//! handed on after the smaller of its `after` and its handle time, with
//! no wrap-up: the next agent handles the rest. After a status-on-decline / on-timeout it may return to its
//! login status.
//!
//! Handle time, wrap-up, the point of a pause and the handling before a
//! transfer are *effort*: the agent waits on its work's effort clock
//! ([`AgentContext::wake_after_work`]), which stops while the work is
//! paused or waits to resume, while interruptible work is set aside for
//! primary work, and while status-based work is held across a logout
//! (omni-reference §12.4, §12.5). Only the length of a pause is time.
//!
//! At the end of its shift (omni-reference §12.8) it either logs out at
//! once ([`ShiftEndMode::Abrupt`]) or, by default, moves to a busy status,
//! keeps answering what was already pushed, finishes everything it holds
//! and logs out when it holds nothing: it watches its console's work
//! events and asks `get_agent_works()` after each. Nothing brings it back
//! online after its shift ended.
//!
//! A break of its roster is a status change like any other: at the break
//! start it sets the break's busy status, so nothing new is pushed while it
//! keeps what it holds (open work is handled and closed as usual, pushes
//! already made are still answered; omni-reference §8.3, §12.5), and at the
//! break end it sets its login status again, whatever busy status a decline
//! or push timeout put it in meanwhile. A `return_to_status_after` timer
//! does not end a break early.

use super::{AgentBehaviour, AgentContext, BehaviourEvent};
use crate::events::{EventKind, StatusChangeReason};
use crate::omni::{AgentWorkId, QueueId, StatusId};
use crate::scenario::{BehaviourSpec, ShiftEndMode};
use crate::time::SimDuration;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

const ANSWER: u64 = 0;
const CLOSE: u64 = 1;
const RETURN: u64 = 2;
const PAUSE: u64 = 3;
const RESUME: u64 = 4;
const TRANSFER: u64 = 5;
/// Bits of a wake tag that hold the action; the rest is the AgentWork.
const ACTION_BITS: u32 = 3;

/// A scenario group's behaviour for one agent, with its own random stream.
#[derive(Debug)]
pub struct SyntheticBehaviour {
    spec: BehaviourSpec,
    login_status: StatusId,
    auto_accept: bool,
    decline_reasons: Vec<String>,
    rng: ChaCha8Rng,
    /// Busy status to finish the shift's work in; `None` = log out at once.
    finish_in: Option<StatusId>,
    /// Set at the shift end: no return to the login status any more, and
    /// the work events are watched for the moment nothing is held.
    shift_over: bool,
    /// Opened works to pause when their pause wake comes, and for how long.
    pauses: Vec<(AgentWorkId, SimDuration)>,
    /// Opened works to hand on when their transfer wake comes, and where.
    transfers: Vec<(AgentWorkId, QueueId)>,
    /// Between a break's start and its end.
    on_break: bool,
}

impl SyntheticBehaviour {
    /// A behaviour for one agent of a group, logging out at once at the
    /// end of its shift until [`SyntheticBehaviour::with_shift_end`] says
    /// otherwise.
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
            finish_in: None,
            shift_over: false,
            pauses: Vec::new(),
            transfers: Vec::new(),
            on_break: false,
        }
    }

    /// How the shift ends: with [`ShiftEndMode::Finish`] the agent moves
    /// to `status` (a busy one), finishes its work and then logs out;
    /// without a status it can only log out at once, so the end is abrupt.
    pub fn with_shift_end(mut self, mode: ShiftEndMode, status: Option<StatusId>) -> Self {
        self.finish_in = match mode {
            ShiftEndMode::Finish => status,
            ShiftEndMode::Abrupt => None,
        };
        self
    }

    /// At the shift end, or after a work event once the shift is over:
    /// log out if nothing is held any more. Returns whether it did (or the
    /// agent was not logged in).
    async fn logout_if_free(&self, ctx: &AgentContext) -> bool {
        let tk = ctx.toolkit();
        match tk.get_agent_works().await {
            // Not logged in: nothing to finish, nothing to log out of.
            Err(_) => true,
            Ok(works) if works.is_empty() => {
                let _ = tk.logout().await;
                true
            }
            Ok(_) => false,
        }
    }

    /// Sets the login status again, if logged in and in another status.
    async fn back_to_login_status(&self, ctx: &AgentContext) {
        let tk = ctx.toolkit();
        if let Ok(s) = tk.get_service_presence_status_id().await {
            if self.login_status.text() != s.status_id {
                let _ = tk
                    .set_service_presence_status(&self.login_status.text())
                    .await;
            }
        }
    }

    fn tag(work: AgentWorkId, action: u64) -> u64 {
        (work.0 << ACTION_BITS) | action
    }

    async fn answer(&mut self, work: AgentWorkId, ctx: &AgentContext) {
        let tk = ctx.toolkit();
        let id = work.text();
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
            // Only while finishing the shift: before, nothing depends on
            // them, and leaving them out spares a calendar entry each.
            EventKind::WorkClosed { .. }
            | EventKind::WorkTransferred { .. }
            | EventKind::WorkDeclined { .. }
            | EventKind::WorkUnavailable { .. }
            | EventKind::WorkCanceled { .. } => self.shift_over,
            EventKind::StatusChanged { reason, .. } => {
                !self.shift_over
                    && self.spec.return_to_status_after.is_some()
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
                // Status-based work held across a logout is worked again
                // from the login: its effort clock runs again.
                let _ = tk.login(&self.login_status.text()).await;
            }
            BehaviourEvent::ShiftEnd => {
                self.shift_over = true;
                match self.finish_in {
                    None => {
                        let _ = tk.logout().await;
                    }
                    Some(busy) => {
                        if !self.logout_if_free(ctx).await {
                            // No new pushes from now on; pushes already
                            // made are still answered below.
                            let _ = tk.set_service_presence_status(&busy.text()).await;
                        }
                    }
                }
            }
            BehaviourEvent::BreakStart { status, .. } => {
                // Only someone at work takes a break: set_status would log
                // a logged-out agent in.
                if self.shift_over || tk.get_service_presence_status_id().await.is_err() {
                    return;
                }
                self.on_break = true;
                let _ = tk.set_service_presence_status(&status.text()).await;
            }
            BehaviourEvent::BreakEnd => {
                self.on_break = false;
                if !self.shift_over {
                    self.back_to_login_status(ctx).await;
                }
            }
            BehaviourEvent::Console(EventKind::WorkAssigned { work, .. }) => {
                if self.auto_accept || self.rng.gen::<f64>() < self.spec.no_answer_probability {
                    return;
                }
                let delay = self.spec.response_time.sample(&mut self.rng);
                ctx.wake_after(delay, Self::tag(work, ANSWER));
            }
            BehaviourEvent::Console(EventKind::WorkAccepted {
                work,
                handle_time,
                transfer: Some(t),
                ..
            }) => {
                // Handed on part-way: after the planned handling, or at
                // the end of the handle time if that comes first; no
                // wrap-up, the next agent does it.
                self.transfers.push((work, t.to_queue));
                ctx.wake_after_work(work, t.after.min(handle_time), Self::tag(work, TRANSFER));
            }
            BehaviourEvent::Console(EventKind::WorkAccepted {
                work,
                handle_time,
                wrap_up,
                ..
            }) => {
                // The item's own wrap-up wins; the group's is drawn only
                // when the item has none.
                let wrap = match wrap_up {
                    Some(w) => w,
                    None => self
                        .spec
                        .wrap_up
                        .as_ref()
                        .map(|d| d.sample(&mut self.rng))
                        .unwrap_or_default(),
                };
                // A pause (status-based work with a paused cost) comes
                // halfway through the handle time; drawn only when
                // configured, so other scenarios keep their random streams.
                // The close waits on the effort clock, which the pause
                // stops: it comes as much later as the item stays paused.
                if self.spec.pause_probability > 0.0
                    && self.rng.gen::<f64>() < self.spec.pause_probability
                {
                    if let Some(d) = &self.spec.pause_duration {
                        self.pauses.push((work, d.sample(&mut self.rng)));
                        let half = SimDuration(handle_time.0 / 2);
                        ctx.wake_after_work(work, half, Self::tag(work, PAUSE));
                    }
                }
                ctx.wake_after_work(work, handle_time + wrap, Self::tag(work, CLOSE));
            }
            BehaviourEvent::Console(
                EventKind::WorkClosed { .. }
                | EventKind::WorkTransferred { .. }
                | EventKind::WorkDeclined { .. }
                | EventKind::WorkUnavailable { .. }
                | EventKind::WorkCanceled { .. },
            ) => {
                if self.shift_over && self.finish_in.is_some() {
                    self.logout_if_free(ctx).await;
                }
            }
            BehaviourEvent::Console(EventKind::StatusChanged { .. }) => {
                if let Some(after) = self.spec.return_to_status_after {
                    ctx.wake_after(after, RETURN);
                }
            }
            BehaviourEvent::Console(_) | BehaviourEvent::Notice(_) => {}
            BehaviourEvent::Wake(tag) => match tag & ((1 << ACTION_BITS) - 1) {
                ANSWER => self.answer(AgentWorkId(tag >> ACTION_BITS), ctx).await,
                CLOSE => {
                    // Rejected when a logout closed it already.
                    let work = AgentWorkId(tag >> ACTION_BITS);
                    let _ = tk.close_agent_work(&work.text()).await;
                }
                PAUSE => {
                    let work = AgentWorkId(tag >> ACTION_BITS);
                    if let Some(i) = self.pauses.iter().position(|(w, _)| *w == work) {
                        let (_, paused_for) = self.pauses.swap_remove(i);
                        ctx.pause(work, true);
                        // The pause lasts this long in time; the resume
                        // then waits for room if the agent took other
                        // work meanwhile.
                        ctx.wake_after(paused_for, Self::tag(work, RESUME));
                    }
                }
                RESUME => ctx.pause(AgentWorkId(tag >> ACTION_BITS), false),
                TRANSFER => {
                    let work = AgentWorkId(tag >> ACTION_BITS);
                    if let Some(i) = self.transfers.iter().position(|(w, _)| *w == work) {
                        let (_, queue) = self.transfers.swap_remove(i);
                        ctx.transfer(work, queue);
                    }
                }
                _ => {
                    // Only from a busy status set by a decline or timeout;
                    // a logged-out agent stays out, after the shift end
                    // nobody comes back online, and a break lasts until
                    // its end.
                    if self.shift_over || self.on_break {
                        return;
                    }
                    self.back_to_login_status(ctx).await;
                }
            },
        }
    }
}
