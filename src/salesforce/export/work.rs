//! AgentWork, AgentWorkSkill and MessagingSession records: one AgentWork
//! per push (a declined push and the accepted one are two records), the
//! skills each push's item still asked for, and one session per item of a
//! messaging channel, from its arrival to its end.

use super::{id, user_id, Ctx, Out};
use crate::events::{EventKind, SimEvent};
use crate::omni::{
    AgentId, AgentWorkId, CapacityCost, QueueId, RoutingModel, RoutingType, SkillId,
    SkillRequirement, WorkItemId, WorkStatus,
};
use crate::salesforce::bulk_csv::{boolean, double, int};
use crate::salesforce::object::{SfObject, WorkItemEntity};
use crate::time::{SimDuration, SimTime};
use rustc_hash::FxHashMap;
use std::io;

/// One AgentWork while it is open.
#[derive(Debug)]
struct Work {
    id: AgentWorkId,
    item: WorkItemId,
    agent: AgentId,
    queue: QueueId,
    priority: i32,
    status: WorkStatus,
    requested: SimTime,
    assigned: SimTime,
    accepted: Option<SimTime>,
    declined: Option<(SimTime, Option<String>)>,
    timed_out: Option<SimTime>,
    canceled: Option<SimTime>,
    closed: Option<SimTime>,
    /// The handle time the item demanded of this agent, for the
    /// after-conversation work (close − accept − handle time).
    demand: Option<SimDuration>,
}

/// What the export keeps about an item in flight.
#[derive(Debug)]
struct Item {
    priority: i32,
    skills: Vec<SkillRequirement>,
    dropped: Vec<SkillId>,
    /// Its messaging session, for an item of a messaging channel: when
    /// it started and when it was first accepted.
    session: Option<(SimTime, Option<SimTime>)>,
    /// The session's owner: its queue while it waits, then the agent who
    /// accepted it last (`MessagingSession.OwnerId`).
    owner: Owner,
    /// The queue it waits in now (it changes with a transfer).
    queue: QueueId,
    /// When it entered that queue (`PendingServiceRouting.CreatedDate`),
    /// and when it was first requested.
    routed_at: SimTime,
    requested_at: SimTime,
    /// Whether an agent has accepted it since it entered the queue: its
    /// pending routing is then gone.
    answered: bool,
}

/// Who owns a work item's record.
#[derive(Copy, Clone, Debug)]
enum Owner {
    Queue(QueueId),
    Agent(AgentId),
}

impl Owner {
    fn id(self) -> crate::salesforce::SalesforceId {
        match self {
            Owner::Queue(q) => id(SfObject::Group, q.index() as u64 + 1),
            Owner::Agent(a) => user_id(a.0),
        }
    }
}

/// The work records being written.
#[derive(Debug)]
pub(super) struct WorkRecords {
    agent_work: Out,
    skills: Out,
    sessions: Out,
    pending: Out,
    works: FxHashMap<AgentWorkId, Work>,
    items: FxHashMap<WorkItemId, Item>,
    skill_rows: u64,
}

impl WorkRecords {
    /// Writes AgentWork, AgentWorkSkill, MessagingSession and
    /// PendingServiceRouting records into `files`, in that order.
    pub(super) fn new(files: [Out; 4]) -> WorkRecords {
        let [agent_work, skills, sessions, pending] = files;
        WorkRecords {
            agent_work,
            skills,
            sessions,
            pending,
            works: FxHashMap::default(),
            items: FxHashMap::default(),
            skill_rows: 0,
        }
    }

    pub(super) fn on_event(&mut self, ctx: &Ctx<'_>, e: &SimEvent) -> io::Result<()> {
        let t = e.time;
        match &e.kind {
            EventKind::WorkArrived {
                item,
                queue,
                priority,
                skills,
                ..
            } => {
                let channel = ctx.scenario.queues[queue.index()].channel;
                let chat = ctx.entities[channel.index()] == WorkItemEntity::MessagingSession;
                self.items.insert(
                    *item,
                    Item {
                        priority: *priority,
                        skills: skills.clone(),
                        dropped: Vec::new(),
                        session: chat.then_some((t, None)),
                        owner: Owner::Queue(*queue),
                        queue: *queue,
                        routed_at: t,
                        requested_at: t,
                        answered: false,
                    },
                );
            }
            EventKind::SkillsDropped { item, skills, .. } => {
                if let Some(i) = self.items.get_mut(item) {
                    i.dropped.extend(skills.iter().copied());
                }
            }
            EventKind::WorkRequeued {
                item,
                skills_reset: true,
                ..
            } => {
                if let Some(i) = self.items.get_mut(item) {
                    i.dropped.clear();
                }
            }
            EventKind::WorkTransferredIn {
                item,
                queue,
                priority,
                skills,
                ..
            } => {
                if let Some(i) = self.items.get_mut(item) {
                    i.owner = Owner::Queue(*queue);
                    i.queue = *queue;
                    i.routed_at = t;
                    i.answered = false;
                    i.priority = *priority;
                    i.skills.clone_from(skills);
                    i.dropped.clear();
                }
            }
            EventKind::WorkAssigned {
                work,
                item,
                queue,
                agent,
                requested_at,
                ..
            } => {
                let (priority, asked) = match self.items.get(item) {
                    Some(i) => (i.priority, Some((i.skills.clone(), i.dropped.clone()))),
                    None => (ctx.scenario.queues[queue.index()].routing.priority, None),
                };
                if let Some((skills, dropped)) = asked {
                    self.write_skills(*work, &skills, &dropped)?;
                }
                self.works.insert(
                    *work,
                    Work {
                        id: *work,
                        item: *item,
                        agent: *agent,
                        queue: *queue,
                        priority,
                        status: WorkStatus::Assigned,
                        requested: *requested_at,
                        assigned: t,
                        accepted: None,
                        declined: None,
                        timed_out: None,
                        canceled: None,
                        closed: None,
                        demand: None,
                    },
                );
            }
            EventKind::WorkAccepted {
                work,
                item,
                agent,
                handle_time,
                ..
            } => {
                if let Some(w) = self.works.get_mut(work) {
                    w.status = WorkStatus::Opened;
                    w.accepted = Some(t);
                    w.demand = Some(*handle_time);
                }
                if let Some(i) = self.items.get_mut(item) {
                    i.owner = Owner::Agent(*agent);
                    i.answered = true;
                    if let Some((_, accept @ None)) = i.session.as_mut() {
                        *accept = Some(t);
                    }
                }
            }
            EventKind::WorkDeclined {
                work,
                reason,
                on_push_timeout,
                ..
            } => {
                self.end(ctx, *work, |w| {
                    if *on_push_timeout {
                        w.status = WorkStatus::DeclinedOnPushTimeout;
                        w.timed_out = Some(t);
                    } else {
                        w.status = WorkStatus::Declined;
                        w.declined = Some((t, reason.clone()));
                    }
                })?;
            }
            EventKind::WorkClosed { work, item, .. } => {
                self.end(ctx, *work, |w| {
                    w.status = WorkStatus::Closed;
                    w.closed = Some(t);
                })?;
                self.end_session(ctx, *item, t)?;
            }
            EventKind::WorkTransferred { work, .. } => {
                self.end(ctx, *work, |w| {
                    w.status = WorkStatus::Transferred;
                    w.closed = Some(t);
                })?;
            }
            EventKind::WorkUnavailable { work, .. } => {
                self.end(ctx, *work, |w| w.status = WorkStatus::Unavailable)?;
            }
            EventKind::WorkCanceled { work, .. } => {
                self.end(ctx, *work, |w| {
                    w.status = WorkStatus::Canceled;
                    w.canceled = Some(t);
                })?;
            }
            EventKind::WorkAbandoned { item, .. } | EventKind::WorkEndedNoAgent { item, .. } => {
                self.end_session(ctx, *item, t)?;
            }
            _ => {}
        }
        Ok(())
    }

    /// Ends the run at `end`: the records still open are written as they
    /// stand, in id order.
    pub(super) fn finish(&mut self, ctx: &Ctx<'_>, _end: SimTime) -> io::Result<()> {
        let mut open: Vec<Work> = self.works.drain().map(|(_, w)| w).collect();
        open.sort_by_key(|w| w.id);
        for w in &open {
            write_work(&mut self.agent_work, ctx, w)?;
        }
        let pushed: std::collections::BTreeSet<WorkItemId> = open
            .iter()
            .filter(|w| w.status == WorkStatus::Assigned)
            .map(|w| w.item)
            .collect();
        let mut items: Vec<(WorkItemId, Item)> = self.items.drain().collect();
        items.sort_by_key(|(i, _)| *i);
        for (n, (item, i)) in items.iter().filter(|(_, i)| !i.answered).enumerate() {
            let is_pushed = pushed.contains(item);
            write_pending(&mut self.pending, ctx, n as u64 + 1, (*item, i), is_pushed)?;
        }
        for (item, i) in items {
            if let Some((start, accept)) = i.session {
                let status = if accept.is_some() {
                    "Active"
                } else {
                    "Waiting"
                };
                let times = (start, accept, None);
                write_session(&mut self.sessions, ctx, item, i.owner, times, status)?;
            }
        }
        Ok(())
    }

    pub(super) fn close(&mut self) -> io::Result<()> {
        self.agent_work.flush()?;
        self.skills.flush()?;
        self.sessions.flush()?;
        self.pending.flush()
    }

    fn end(
        &mut self,
        ctx: &Ctx<'_>,
        work: AgentWorkId,
        change: impl FnOnce(&mut Work),
    ) -> io::Result<()> {
        if let Some(mut w) = self.works.remove(&work) {
            change(&mut w);
            write_work(&mut self.agent_work, ctx, &w)?;
        }
        Ok(())
    }

    /// The item ended at `t` (closed, abandoned, or let go with no
    /// agent): its session, if it has one, ends with it.
    fn end_session(&mut self, ctx: &Ctx<'_>, item: WorkItemId, t: SimTime) -> io::Result<()> {
        if let Some(i) = self.items.remove(&item) {
            if let Some((start, accept)) = i.session {
                let times = (start, accept, Some(t));
                write_session(&mut self.sessions, ctx, item, i.owner, times, "Ended")?;
            }
        }
        Ok(())
    }

    fn write_skills(
        &mut self,
        work: AgentWorkId,
        skills: &[SkillRequirement],
        dropped: &[SkillId],
    ) -> io::Result<()> {
        for r in skills {
            self.skill_rows += 1;
            self.skills.record([
                id(SfObject::AgentWorkSkill, self.skill_rows).to_string(),
                id(SfObject::AgentWork, work.0).to_string(),
                id(SfObject::Skill, r.skill.index() as u64 + 1).to_string(),
                double(f64::from(r.level)),
                boolean(r.additional).to_string(),
                if r.additional {
                    int(i64::from(r.priority))
                } else {
                    String::new()
                },
                boolean(dropped.contains(&r.skill)).to_string(),
            ])?;
        }
        Ok(())
    }
}

/// Whole seconds between two instants as their exported datetimes (to
/// the millisecond) say, rounded: the API's `int` seconds, computed from
/// what the file shows so a reader can check them.
fn secs(ctx: &Ctx<'_>, from: SimTime, to: SimTime) -> String {
    let ms = ctx.place.utc(to).timestamp_millis() - ctx.place.utc(from).timestamp_millis();
    int((ms as f64 / 1000.0).round() as i64)
}

/// Writes one AgentWork record.
fn write_work(out: &mut Out, ctx: &Ctx<'_>, w: &Work) -> io::Result<()> {
    let queue = &ctx.scenario.queues[w.queue.index()];
    let routing = &queue.routing;
    let entity = ctx.entities[queue.channel.index()];
    let at = |t: Option<SimTime>| t.map_or(String::new(), |t| ctx.place.format(t));
    let (weight, percentage) = match routing.cost {
        CapacityCost::Weight(u) => (double(f64::from(u)), String::new()),
        CapacityCost::Percentage(p) => (String::new(), double(p)),
    };
    let handled = match (w.accepted, w.closed) {
        (Some(a), Some(c)) => Some((a, c)),
        _ => None,
    };
    let after_conversation = handled.map_or(String::new(), |(a, c)| {
        let spent = c.since(a);
        let acw = spent.0.saturating_sub(w.demand.map_or(spent.0, |d| d.0));
        int((acw as f64 / 1e6).round() as i64)
    });
    let handle = handled.map_or(String::new(), |(a, c)| secs(ctx, a, c));
    out.record([
        id(SfObject::AgentWork, w.id.0).to_string(),
        crate::salesforce::SalesforceId::new(entity.key_prefix(), w.item.0).to_string(),
        user_id(w.agent.0).to_string(),
        id(SfObject::ServiceChannel, queue.channel.index() as u64 + 1).to_string(),
        id(SfObject::Group, w.queue.index() as u64 + 1).to_string(),
        w.status.as_str().to_string(),
        match routing.routing_type {
            RoutingType::Queue => "QueueBased",
            RoutingType::Skills => "SkillsBased",
        }
        .to_string(),
        match routing.model {
            RoutingModel::MostAvailable => "MostAvailable",
            RoutingModel::LeastActive => "LeastActive",
            RoutingModel::External => "ExternalRouting",
        }
        .to_string(),
        int(i64::from(w.priority)),
        weight,
        percentage,
        int(routing
            .push_timeout
            .map_or(0, |d| d.as_secs_f64().round() as i64)),
        ctx.place.format(w.requested),
        ctx.place.format(w.assigned),
        at(w.accepted),
        at(w.declined.as_ref().map(|d| d.0)),
        w.declined
            .as_ref()
            .and_then(|d| d.1.clone())
            .unwrap_or_default(),
        at(w.timed_out),
        at(w.canceled),
        at(w.closed),
        w.accepted
            .map_or(String::new(), |a| secs(ctx, w.requested, a)),
        handle.clone(),
        handle,
        after_conversation,
    ])
}

/// Writes one MessagingSession record: `times` are its start, accept
/// and end.
fn write_session(
    out: &mut Out,
    ctx: &Ctx<'_>,
    item: WorkItemId,
    owner: Owner,
    times: (SimTime, Option<SimTime>, Option<SimTime>),
    status: &str,
) -> io::Result<()> {
    let (start, accept, end) = times;
    let at = |t: Option<SimTime>| t.map_or(String::new(), |t| ctx.place.format(t));
    out.record([
        id(SfObject::MessagingSession, item.0).to_string(),
        format!("MS-{:08}", item.0),
        owner.id().to_string(),
        ctx.place.format(start),
        at(accept),
        at(end),
        status.to_string(),
    ])
}

/// Writes the PendingServiceRouting record of an item still waiting for
/// an answer when the run ended.
fn write_pending(
    out: &mut Out,
    ctx: &Ctx<'_>,
    n: u64,
    (item, i): (WorkItemId, &Item),
    pushed: bool,
) -> io::Result<()> {
    let queue = &ctx.scenario.queues[i.queue.index()];
    let entity = ctx.entities[queue.channel.index()];
    out.record([
        id(SfObject::PendingServiceRouting, n).to_string(),
        crate::salesforce::SalesforceId::new(entity.key_prefix(), item.0).to_string(),
        id(SfObject::Group, i.queue.index() as u64 + 1).to_string(),
        id(SfObject::ServiceChannel, queue.channel.index() as u64 + 1).to_string(),
        match queue.routing.routing_type {
            RoutingType::Queue => "QueueBased",
            RoutingType::Skills => "SkillsBased",
        }
        .to_string(),
        int(i64::from(i.priority)),
        boolean(pushed).to_string(),
        ctx.place.format(i.routed_at),
        ctx.place.format(i.requested_at),
    ])
}
