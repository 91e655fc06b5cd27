//! An agent's Omni-Channel session as plain state: presence, capacity and
//! work list, and the rules of every toolkit call (omni-reference §2, §4).
//!
//! It also decides when the agent works on what it holds (the
//! `progress` submodule): capacity is not effort, and a paused item, an
//! interruptible item set aside for primary work, or status-based work
//! held across a logout is not worked (omni-reference §12.4, §12.5).
//!
//! Kept apart from the actor so the rules read as ordinary code; the actor
//! only feeds it messages. Side effects leave through the [`EngineHandle`]:
//! events (in the §3 order: work event → `workloadChanged` →
//! `statusChanged`) and notices to the router.

use super::work_list::{WorkList, WorkTimers};
use crate::events::{EventKind, StatusChangeReason};
use crate::kernel::handle::EngineHandle;
use crate::kernel::messages::{
    AgentMsg, AgentNotice, Assignment, Entry, Freed, Release, RouterMsg,
};
use crate::omni::{
    AgentId, AgentWork, AgentWorkId, CapacityModel, CapacityPool, CapacityUnits,
    PresenceConfiguration, QueueId, StatusId, WorkItemId, WorkStatus,
};

mod progress;
use crate::scenario::Scenario;
use crate::time::SimDuration;
use crate::toolkit::{
    AgentWorkInfo, AgentWorkload, PresenceStatusInfo, SetStatusResult, StatusChannel, ToolkitError,
    ToolkitRequest, ToolkitValue,
};
use std::rc::Rc;
use std::sync::Arc;

/// One agent's session.
#[derive(Debug)]
pub(crate) struct AgentState {
    id: AgentId,
    scenario: Arc<Scenario>,
    config: PresenceConfiguration,
    allowed: Vec<StatusId>,
    /// `None` = logged out.
    status: Option<StatusId>,
    /// Active AgentWork (`Assigned`/`Opened`), by id = assignment order.
    works: WorkList,
    /// Load per pool, indexed by [`CapacityPool::index`].
    load: [CapacityUnits; 2],
    /// Room claimed per pool by paused works whose pause is over but whose
    /// full cost does not fit yet (the difference to their paused cost);
    /// the router counts it as load, so nothing new takes it.
    claimed: [CapacityUnits; 2],
    /// Those works, in the order their pauses ended: the first resumes
    /// first.
    resumes_due: Vec<AgentWorkId>,
    /// Works held that have an effort clock (they can stop); while there
    /// are none, nothing about effort needs doing.
    stoppable: u32,
    handle: Rc<EngineHandle>,
}

type ToolkitResult = Result<ToolkitValue, ToolkitError>;

impl AgentState {
    /// Tells the driver a calendar entry for this agent has been applied.
    pub(crate) fn handled(&self) {
        self.handle.handled();
    }

    /// Adds to the run's counts (see `crate::kernel::counters`).
    pub(crate) fn count(&self, f: impl FnOnce(&mut crate::kernel::counters::EngineCounts)) {
        self.handle.count(f);
    }

    /// The agent this session belongs to.
    pub(crate) fn id(&self) -> AgentId {
        self.id
    }

    /// Applies `body` to this session, containing a panic (see
    /// `crate::kernel::panic`): `None` when it panicked.
    pub(crate) fn guard<R>(
        &mut self,
        culprit: impl FnOnce() -> String,
        body: impl FnOnce(&mut AgentState) -> R,
    ) -> Option<R> {
        let handle = self.handle.clone();
        handle.guarded(culprit, || body(self))
    }

    pub(crate) fn new(
        id: AgentId,
        scenario: Arc<Scenario>,
        config: PresenceConfiguration,
        allowed: Vec<StatusId>,
        handle: Rc<EngineHandle>,
    ) -> AgentState {
        AgentState {
            id,
            scenario,
            config,
            allowed,
            status: None,
            works: WorkList::default(),
            load: [CapacityUnits::ZERO; 2],
            claimed: [CapacityUnits::ZERO; 2],
            resumes_due: Vec::new(),
            stoppable: 0,
            handle,
        }
    }

    fn capacity(&self, pool: CapacityPool) -> CapacityUnits {
        CapacityUnits::whole(match pool {
            CapacityPool::Primary => self.config.capacity,
            CapacityPool::Interruptible => self.config.interruptible_capacity,
        })
    }

    fn notify_router(&self, notice: AgentNotice) {
        self.handle
            .schedule_now(Entry::Router(RouterMsg::Notice(notice)));
    }

    /// Tells the router an active work ended, at this point of the
    /// same-instant order: closed work only frees capacity, which goes
    /// into the shared routing view ([`Entry::Freed`], no message to the
    /// router); any other end is a notice, since the router must act on
    /// the item (re-queue it, end it, move it).
    fn release(&self, item: WorkItemId, cost: CapacityUnits, pool: CapacityPool, why: Release) {
        let agent = self.id;
        if why == Release::Closed {
            self.handle.schedule_now(Entry::Freed(Freed {
                agent,
                item,
                cost,
                pool,
            }));
        } else {
            self.notify_router(AgentNotice::Released {
                agent,
                item,
                cost,
                pool,
                why,
            });
        }
    }

    fn emit_workload(&self, previous: [CapacityUnits; 2]) {
        self.handle.emit(EventKind::WorkloadChanged {
            agent: self.id,
            configured_capacity: self.capacity(CapacityPool::Primary),
            previous_workload: previous[0],
            new_workload: self.load[0],
            configured_interruptible_capacity: self.capacity(CapacityPool::Interruptible),
            previous_interruptible_workload: previous[1],
            new_interruptible_workload: self.load[1],
        });
    }

    /// Applies one toolkit call.
    pub(crate) fn toolkit(&mut self, req: ToolkitRequest) -> ToolkitResult {
        use ToolkitRequest::*;
        match req {
            Login { status_id } => self.login(&status_id),
            SetServicePresenceStatus { status_id } => self.set_status(&status_id),
            Logout => self.logout(),
            other => {
                if self.status.is_none() {
                    return Err(ToolkitError::NotLoggedIn);
                }
                match other {
                    AcceptAgentWork { work_id } => self.accept(&work_id),
                    CloseAgentWork { work_id } => self.close(&work_id),
                    DeclineAgentWork {
                        work_id,
                        decline_reason,
                    } => self.decline(&work_id, decline_reason),
                    GetAgentWorks => Ok(ToolkitValue::Works(self.works_info())),
                    GetAgentWorkload => Ok(ToolkitValue::Workload(self.workload())),
                    GetServicePresenceStatusChannels => {
                        Ok(ToolkitValue::Channels(self.status_channels()))
                    }
                    GetServicePresenceStatusId => Ok(ToolkitValue::Status(self.status_info())),
                    RaiseAgentWorkFlag { work_id, message } => self.flag(&work_id, true, message),
                    LowerAgentWorkFlag { work_id } => self.flag(&work_id, false, None),
                    Login { .. } | SetServicePresenceStatus { .. } | Logout => {
                        unreachable!("handled above")
                    }
                }
            }
        }
    }

    // ----- presence -------------------------------------------------------

    fn resolve_status(&self, status_id: &str) -> Result<StatusId, ToolkitError> {
        if status_id.is_empty() {
            return Err(ToolkitError::InvalidArgument {
                field: "statusId",
                value: status_id.into(),
            });
        }
        let id = StatusId::parse(status_id).ok_or_else(|| ToolkitError::InvalidArgument {
            field: "statusId",
            value: status_id.into(),
        })?;
        if id.index() >= self.scenario.statuses.len() {
            return Err(ToolkitError::UnknownStatus {
                status_id: status_id.into(),
            });
        }
        if !self.allowed.contains(&id) {
            return Err(ToolkitError::StatusNotPermitted {
                status_id: status_id.into(),
            });
        }
        Ok(id)
    }

    fn login(&mut self, status_id: &str) -> ToolkitResult {
        if self.status.is_some() {
            return Err(ToolkitError::AlreadyLoggedIn);
        }
        let id = self.resolve_status(status_id)?;
        self.enter_login(id, StatusChangeReason::OmniLoginStatusChange);
        Ok(ToolkitValue::Done(true))
    }

    fn enter_login(&mut self, id: StatusId, reason: StatusChangeReason) {
        self.status = Some(id);
        self.handle.emit(EventKind::LoginSuccess {
            agent: self.id,
            status: id,
        });
        self.emit_status(id, reason);
        self.notify_router(AgentNotice::Presence {
            agent: self.id,
            status: Some(id),
            clears_exclusions: true,
        });
        // Status-based work held across a logout is worked again.
        self.refresh_progress();
    }

    fn emit_status(&self, id: StatusId, reason: StatusChangeReason) {
        self.handle.emit(EventKind::StatusChanged {
            agent: self.id,
            status: id,
            online: self.scenario.statuses[id.index()].is_online(),
            reason,
        });
    }

    fn set_status(&mut self, status_id: &str) -> ToolkitResult {
        let id = self.resolve_status(status_id)?;
        match self.status {
            None => self.enter_login(id, StatusChangeReason::OmniToolkitStatusChange),
            Some(current) if current == id => {}
            Some(_) => self.change_status(id, StatusChangeReason::OmniToolkitStatusChange, true),
        }
        let info = PresenceStatusInfo::of(&self.scenario, id);
        Ok(ToolkitValue::StatusSet(SetStatusResult {
            status_name: info.status_name,
            status_api_name: info.status_api_name,
            status_id: info.status_id,
            channels: StatusChannel::of_status(&self.scenario, id),
        }))
    }

    fn change_status(&mut self, id: StatusId, reason: StatusChangeReason, clears: bool) {
        self.status = Some(id);
        self.emit_status(id, reason);
        self.notify_router(AgentNotice::Presence {
            agent: self.id,
            status: Some(id),
            clears_exclusions: clears,
        });
    }

    fn logout(&mut self) -> ToolkitResult {
        if self.status.is_none() {
            return Ok(ToolkitValue::Done(true));
        }
        let previous = self.load;
        let now = self.handle.now();
        for mut work in self.works.take_all() {
            let channel = &self.scenario.channels[work.channel.index()];
            if work.status == WorkStatus::Opened && channel.capacity_model == CapacityModel::Status
            {
                // Status-based capacity (§12.5): the work stays assigned
                // and counted until it is completed or reassigned.
                if let Some(after) = channel.reassign_after {
                    self.handle
                        .schedule_in(after, Entry::Agent(self.id, AgentMsg::Reassign(work.id)));
                }
                work.logged_out_at = Some(now);
                self.works.insert(work.id, work, WorkTimers::default());
                continue;
            }
            let (status, why) = match work.status {
                WorkStatus::Assigned => (WorkStatus::Unavailable, Release::Unavailable),
                _ => (WorkStatus::Closed, Release::Closed),
            };
            work.status = status;
            work.closed_at = Some(now);
            self.handle.ledger.borrow_mut().set_status(work.id, status);
            self.untrack(&work);
            let pool = work.pool.index();
            self.load[pool] = self.load[pool] - work.capacity_cost;
            let (w, item, queue, agent) = (work.id, work.work_item, work.queue, self.id);
            self.handle.emit(match why {
                Release::Unavailable => EventKind::WorkUnavailable {
                    work: w,
                    item,
                    queue,
                    agent,
                },
                _ => EventKind::WorkClosed {
                    work: w,
                    item,
                    queue,
                    agent,
                    accepted_at: work.accepted_at.unwrap_or(now),
                    record: None,
                },
            });
            self.release(item, work.capacity_cost, work.pool, why);
        }
        self.emit_workload(previous);
        self.status = None;
        self.handle.emit(EventKind::Logout { agent: self.id });
        self.notify_router(AgentNotice::Presence {
            agent: self.id,
            status: None,
            clears_exclusions: true,
        });
        // What is kept is not worked while logged out; room freed may let
        // a due resume take it.
        self.resume_waiting();
        self.refresh_progress();
        Ok(ToolkitValue::Done(true))
    }

    // ----- work -----------------------------------------------------------

    /// The work-id checks of omni-reference §2.1, in order, up to (not
    /// including) the state check.
    fn find_work(&self, work_id: &str) -> Result<AgentWorkId, ToolkitError> {
        let id = AgentWorkId::parse(work_id).ok_or_else(|| ToolkitError::InvalidArgument {
            field: "workId",
            value: work_id.into(),
        })?;
        match self.handle.ledger.borrow().get(id) {
            None => Err(ToolkitError::UnknownWork {
                work_id: work_id.into(),
            }),
            Some((owner, _)) if owner != self.id => Err(ToolkitError::WorkNotAssignedToAgent {
                work_id: work_id.into(),
            }),
            Some(_) => Ok(id),
        }
    }

    fn require_status(&self, id: AgentWorkId, allowed: &[WorkStatus]) -> Result<(), ToolkitError> {
        let status = self.current_status(id);
        if allowed.contains(&status) {
            Ok(())
        } else {
            Err(ToolkitError::InvalidWorkState {
                work_id: id.to_string(),
                status,
            })
        }
    }

    fn current_status(&self, id: AgentWorkId) -> WorkStatus {
        match self.works.get(&id) {
            Some(w) => w.status,
            None => self
                .handle
                .ledger
                .borrow()
                .get(id)
                .map(|e| e.1)
                .unwrap_or(WorkStatus::Closed),
        }
    }

    fn accept(&mut self, work_id: &str) -> ToolkitResult {
        let id = self.find_work(work_id)?;
        self.require_status(id, &[WorkStatus::Assigned])?;
        self.open(id);
        Ok(ToolkitValue::Done(true))
    }

    fn open(&mut self, id: AgentWorkId) {
        let now = self.handle.now();
        // Answered: the push can no longer time out and the customer,
        // being served, no longer abandons.
        let timers = self.works.take_timers(&id);
        for t in [timers.push_timeout, timers.patience].into_iter().flatten() {
            self.handle.cancel(t);
        }
        let work = self.works.get_mut(&id).expect("checked active");
        work.status = WorkStatus::Opened;
        work.accepted_at = Some(now);
        self.handle
            .ledger
            .borrow_mut()
            .set_status(id, WorkStatus::Opened);
        self.handle.emit(EventKind::WorkAccepted {
            work: id,
            item: work.work_item,
            queue: work.queue,
            agent: self.id,
            requested_at: work.requested_at,
            handle_time: work.handle_time,
            wrap_up: work.wrap_up,
            transfer: work.transfer,
        });
        if self.works.get(&id).is_some_and(|w| self.can_stop(w)) {
            self.handle.track_effort(id, self.id);
            self.stoppable += 1;
        }
        self.refresh_progress();
    }

    fn close(&mut self, work_id: &str) -> ToolkitResult {
        let id = self.find_work(work_id)?;
        self.require_status(id, &[WorkStatus::Opened])?;
        let work = self.finish(id, WorkStatus::Closed);
        self.handle.emit(EventKind::WorkClosed {
            work: id,
            item: work.work_item,
            queue: work.queue,
            agent: self.id,
            accepted_at: work.accepted_at.unwrap_or(work.assigned_at),
            record: None,
        });
        self.after_release(&work, Release::Closed);
        Ok(ToolkitValue::Done(true))
    }

    fn decline(&mut self, work_id: &str, reason: Option<String>) -> ToolkitResult {
        let id = self.find_work(work_id)?;
        if !self.config.allow_decline || self.config.auto_accept {
            return Err(ToolkitError::DeclineNotAllowed);
        }
        self.require_status(id, &[WorkStatus::Assigned])?;
        let reason = reason.filter(|r| !r.is_empty());
        if let Some(r) = &reason {
            if !self.config.decline_reasons.is_empty() && !self.config.decline_reasons.contains(r) {
                return Err(ToolkitError::InvalidDeclineReason { reason: r.clone() });
            }
        }
        let mut work = self.finish(id, WorkStatus::Declined);
        work.decline_reason = reason.clone();
        self.handle.emit(EventKind::WorkDeclined {
            work: id,
            item: work.work_item,
            queue: work.queue,
            agent: self.id,
            reason,
            on_push_timeout: false,
        });
        self.after_release(&work, Release::Declined);
        Ok(ToolkitValue::Done(true))
    }

    /// Moves an active work to a final status and releases its capacity.
    fn finish(&mut self, id: AgentWorkId, status: WorkStatus) -> AgentWork {
        let (mut work, timers) = self.works.remove(&id).expect("checked active");
        // The customer's patience still runs if the item goes back to its
        // queue; only the push timeout is moot.
        if let Some(t) = timers.push_timeout {
            self.handle.cancel(t);
        }
        work.status = status;
        work.closed_at = Some(self.handle.now());
        self.handle.ledger.borrow_mut().set_status(id, status);
        self.untrack(&work);
        work
    }

    /// The common tail of every release: workload event, router notice and
    /// the configuration's status-on-decline / on-timeout.
    fn after_release(&mut self, work: &AgentWork, why: Release) {
        let previous = self.load;
        let pool = work.pool.index();
        self.load[pool] = self.load[pool] - work.capacity_cost;
        // A work waiting to resume held its claim too, in the router's view.
        let claim = self.unclaim(work);
        self.emit_workload(previous);
        self.release(work.work_item, work.capacity_cost + claim, work.pool, why);
        self.resume_waiting();
        self.refresh_progress();
        let next = match why {
            Release::Declined => self
                .config
                .status_on_decline
                .map(|s| (s, StatusChangeReason::OmniDeclineWork)),
            Release::PushTimeout => self
                .config
                .status_on_push_timeout
                .map(|s| (s, StatusChangeReason::OmniPushTimeout)),
            _ => None,
        };
        if let Some((status, reason)) = next {
            if self.status.is_some() && self.status != Some(status) {
                self.change_status(status, reason, false);
            }
        }
    }

    fn flag(&mut self, work_id: &str, raise: bool, message: Option<String>) -> ToolkitResult {
        let id = self.find_work(work_id)?;
        self.require_status(id, &[WorkStatus::Assigned, WorkStatus::Opened])?;
        let work = self.works.get_mut(&id).expect("checked active");
        if work.flagged != raise {
            work.flagged = raise;
            work.flag_message = if raise { message.clone() } else { None };
            self.handle.emit(EventKind::WorkFlagUpdated {
                work: id,
                agent: self.id,
                is_flagged: raise,
                message,
            });
        }
        Ok(ToolkitValue::Done(true))
    }

    // ----- engine messages -------------------------------------------------

    /// A push from the router. Refused (and handed back) if the agent went
    /// offline, left the channel or lost the capacity in the same instant.
    pub(crate) fn assign(&mut self, a: Assignment) {
        let p = a.pool.index();
        let fits = self.load[p] + self.claimed[p] + a.cost <= self.capacity(a.pool)
            && self.works.len() < crate::omni::MAX_OPEN_ITEMS as usize;
        let on_channel = self
            .status
            .is_some_and(|s| self.scenario.statuses[s.index()].has_channel(a.item.channel));
        if !fits || !on_channel {
            self.notify_router(AgentNotice::Refused {
                agent: self.id,
                item: Box::new(a.item),
                cost: a.cost,
                pool: a.pool,
            });
            return;
        }
        let now = self.handle.now();
        let id = self.handle.ledger.borrow_mut().create(self.id);
        let item = a.item;
        let work = AgentWork {
            id,
            work_item: item.id,
            agent: self.id,
            queue: item.queue,
            channel: item.channel,
            status: WorkStatus::Assigned,
            capacity_cost: a.cost,
            pool: a.pool,
            flagged: false,
            flag_message: None,
            requested_at: item.requested_at,
            assigned_at: now,
            accepted_at: None,
            closed_at: None,
            decline_reason: None,
            handle_time: item.handle_time,
            wrap_up: item.wrap_up,
            logged_out_at: None,
            paused_from: None,
            resume_due: false,
            interrupted: false,
            transfer: item.transfers.first().copied(),
        };
        self.handle.emit(EventKind::WorkAssigned {
            work: id,
            item: item.id,
            queue: item.queue,
            agent: self.id,
            cost: a.cost,
            pool: a.pool,
            requested_at: item.requested_at,
            handle_time: item.handle_time,
        });
        let push_timeout = match (self.config.auto_accept, a.push_timeout) {
            (false, Some(timeout)) => Some(self.handle.schedule_timer_in(
                timeout,
                Entry::Agent(self.id, crate::kernel::messages::AgentMsg::PushTimeout(id)),
            )),
            _ => None,
        };
        let timers = WorkTimers {
            push_timeout,
            patience: a.patience_timer,
        };
        self.works.insert(id, work, timers);
        let previous = self.load;
        self.load[a.pool.index()] = self.load[a.pool.index()] + a.cost;
        self.emit_workload(previous);
        if self.config.auto_accept {
            self.open(id);
        }
    }

    /// The reassignment timer of status-based work held across a logout
    /// fired: if the agent has not come back, the work goes back to its
    /// queue (keeping its age) with the handle time still to do (§12.5).
    pub(crate) fn reassign(&mut self, id: AgentWorkId) {
        if self.status.is_some() {
            return;
        }
        let Some(worked) = self
            .works
            .get(&id)
            .filter(|w| w.status == WorkStatus::Opened && w.logged_out_at.is_some())
            .map(|w| self.worked(w))
        else {
            return;
        };
        let work = self.finish(id, WorkStatus::Unavailable);
        let remaining = SimDuration(work.handle_time.0.saturating_sub(worked.0));
        self.handle.emit(EventKind::WorkUnavailable {
            work: id,
            item: work.work_item,
            queue: work.queue,
            agent: self.id,
        });
        self.after_release(&work, Release::Reassigned(remaining));
    }

    /// The push timer fired: if still unanswered the push is declined on
    /// timeout. A timer for work already answered is stale and ignored.
    pub(crate) fn push_timeout(&mut self, id: AgentWorkId) {
        if self.works.get(&id).map(|w| w.status) != Some(WorkStatus::Assigned) {
            return;
        }
        let work = self.finish(id, WorkStatus::DeclinedOnPushTimeout);
        self.handle.emit(EventKind::WorkDeclined {
            work: id,
            item: work.work_item,
            queue: work.queue,
            agent: self.id,
            reason: None,
            on_push_timeout: true,
        });
        self.after_release(&work, Release::PushTimeout);
    }

    /// The customer left: an `Assigned` work for the item is canceled. Once
    /// `Opened` the customer is being served and stays.
    pub(crate) fn cancel(&mut self, item: WorkItemId) {
        let Some(id) = self
            .works
            .values()
            .find(|w| w.work_item == item && w.status == WorkStatus::Assigned)
            .map(|w| w.id)
        else {
            return;
        };
        let work = self.finish(id, WorkStatus::Canceled);
        self.handle.emit(EventKind::WorkCanceled {
            work: id,
            item,
            queue: work.queue,
            agent: self.id,
        });
        self.after_release(&work, Release::Canceled);
    }

    /// The behaviour hands an opened work on to `to_queue` (omni-reference
    /// §12.7): it ends `Transferred`, its capacity is freed and the router
    /// re-queues the item. Ignored unless the work is still `Opened` with
    /// this agent (it may have been closed by a logout meanwhile).
    pub(crate) fn transfer(&mut self, id: AgentWorkId, to_queue: QueueId) {
        let Some(handled) = self
            .works
            .get(&id)
            .filter(|w| w.status == WorkStatus::Opened)
            .map(|w| self.worked(w))
        else {
            return;
        };
        let work = self.finish(id, WorkStatus::Transferred);
        let accepted_at = work.accepted_at.unwrap_or(work.assigned_at);
        self.handle.emit(EventKind::WorkTransferred {
            work: id,
            item: work.work_item,
            from_queue: work.queue,
            to_queue,
            agent: self.id,
            accepted_at,
        });
        self.after_release(&work, Release::Transferred { to_queue, handled });
    }

    // ----- queries ---------------------------------------------------------

    fn works_info(&self) -> Vec<AgentWorkInfo> {
        self.works
            .values()
            .map(|w| AgentWorkInfo {
                work_id: w.id.to_string(),
                work_item_id: w.work_item.to_string(),
                is_engaged: w.status == WorkStatus::Opened,
                status: w.status,
                queue: self.scenario.queues[w.queue.index()].name.clone(),
                channel: self.scenario.channels[w.channel.index()].name.clone(),
                capacity_cost: w.capacity_cost.as_f64(),
                flagged: w.flagged,
            })
            .collect()
    }

    fn workload(&self) -> AgentWorkload {
        AgentWorkload {
            configured_capacity: self.config.capacity as f64,
            current_workload: self.load[0].as_f64(),
            configured_interruptible_capacity: self.config.interruptible_capacity as f64,
            current_interruptible_workload: self.load[1].as_f64(),
        }
    }

    fn status_channels(&self) -> Vec<StatusChannel> {
        self.status
            .map(|s| StatusChannel::of_status(&self.scenario, s))
            .unwrap_or_default()
    }

    fn status_info(&self) -> PresenceStatusInfo {
        PresenceStatusInfo::of(&self.scenario, self.status.expect("checked logged in"))
    }
}
