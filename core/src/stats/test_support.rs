//! Hand-built scenarios and event sequences for the unit tests of `stats`
//! and `output`: the tests state exact expected figures, so they drive the
//! sinks with events they construct rather than with the engine.

use crate::distribution::Distribution;
use crate::events::{EventKind, EventSink, ItemBook, SimEvent, StatusChangeReason};
use crate::omni::{
    AgentId, AgentWorkId, CapacityCost, CapacityModel, CapacityPool, CapacityUnits, ChannelId,
    ConfigId, InterruptibleProgress, PresenceConfiguration, PresenceStatus, QueueId,
    RoutingConfiguration, RoutingModel, RoutingType, ServiceChannel, SkillId, SkillRequirement,
    StatusId, WorkItemId,
};
use crate::scenario::{
    AgentGroup, BehaviourSpec, Queue, QueueTargets, Scenario, Shift, SimulationSettings,
};
use crate::time::{SimDuration, SimTime};

/// Seconds (possibly fractional) as an instant.
pub fn at(secs: f64) -> SimTime {
    SimTime::ZERO + SimDuration::from_secs_f64(secs)
}

/// Status 0 is online (`Available`), status 1 busy (`Break`).
pub const AVAILABLE: StatusId = StatusId(0);
pub const BREAK: StatusId = StatusId(1);

/// A scenario with the given window (whole seconds), queues and agent
/// groups `(name, count, capacity)`; one channel, two statuses.
pub fn scenario(
    warmup: u64,
    duration: u64,
    interval: u64,
    threshold: u64,
    queues: &[&str],
    groups: &[(&str, u32, u32)],
) -> Scenario {
    Scenario {
        simulation: SimulationSettings {
            name: "unit".into(),
            duration: SimDuration::from_secs(duration),
            warmup: SimDuration::from_secs(warmup),
            seed: 7,
            replications: 1,
            interval: SimDuration::from_secs(interval),
            service_level_threshold: SimDuration::from_secs(threshold),
            start_date: None,
            start_of_day: SimDuration::ZERO,
            busyness: None,
        },
        channels: vec![ServiceChannel {
            name: "chat".into(),
            ends_when_all_decline: false,
            interruptible: false,
            capacity_model: CapacityModel::Tab,
            reassign_after: None,
            interruptible_progress: InterruptibleProgress::Idle,
        }],
        skills: vec![],
        statuses: vec![
            PresenceStatus {
                api_name: "Available".into(),
                label: "Available".into(),
                channels: vec![ChannelId(0)],
            },
            PresenceStatus {
                api_name: "Break".into(),
                label: "Break".into(),
                channels: vec![],
            },
        ],
        presence_configs: groups
            .iter()
            .map(|&(name, _, capacity)| PresenceConfiguration {
                name: name.into(),
                capacity,
                interruptible_capacity: capacity,
                allow_decline: true,
                decline_reasons: vec![],
                auto_accept: false,
                status_on_decline: None,
                status_on_push_timeout: None,
            })
            .collect(),
        queues: queues
            .iter()
            .map(|&name| Queue {
                name: name.into(),
                channel: ChannelId(0),
                routing: RoutingConfiguration {
                    model: RoutingModel::MostAvailable,
                    priority: 1,
                    push_timeout: None,
                    cost: CapacityCost::Weight(1),
                    pool: CapacityPool::Primary,
                    paused_cost: None,
                    routing_type: RoutingType::Queue,
                    skills: vec![],
                    drop_additional_skills_timeout: None,
                },
                service_level_threshold: SimDuration::from_secs(threshold),
                targets: QueueTargets::default(),
            })
            .collect(),
        arrivals: vec![],
        agents: groups
            .iter()
            .enumerate()
            .map(|(i, &(name, count, _))| AgentGroup {
                group: name.into(),
                count,
                presence_config: ConfigId(i as u32),
                status: AVAILABLE,
                allowed_statuses: vec![],
                queues: (0..queues.len() as u32).map(QueueId).collect(),
                skills: vec![],
                behaviour: BehaviourSpec {
                    response_time: Distribution::Constant { value: 1.0 },
                    ..BehaviourSpec::default()
                },
                shift: Shift::default(),
                roster: Vec::new(),
                break_lateness: None,
                absence: 0.0,
                planning: Default::default(),
            })
            .collect(),
        warnings: vec![],
    }
}

/// A script of events, built in order; times in seconds. Work ids are
/// chosen by the caller so tests can refer to them.
#[derive(Debug, Default)]
pub struct Script {
    pub events: Vec<SimEvent>,
}

impl Script {
    fn push(&mut self, t: f64, kind: EventKind) -> &mut Self {
        self.events.push(SimEvent { time: at(t), kind });
        self
    }

    pub fn arrive(&mut self, t: f64, item: u64, queue: u32) -> &mut Self {
        self.push(
            t,
            EventKind::WorkArrived {
                item: WorkItemId(item),
                queue: QueueId(queue),
                patience: None,
                priority: 1,
                secondary_priority: None,
                skills: vec![],
                retrial: None,
            },
        )
    }

    /// A customer's new attempt (`attempt` ≥ 2) after abandoning, as item
    /// `item`; `customer` is the item of the first attempt.
    pub fn retry(
        &mut self,
        t: f64,
        item: u64,
        queue: u32,
        customer: u64,
        attempt: u32,
    ) -> &mut Self {
        self.push(
            t,
            EventKind::WorkArrived {
                item: WorkItemId(item),
                queue: QueueId(queue),
                patience: None,
                priority: 1,
                secondary_priority: None,
                skills: vec![],
                retrial: Some(crate::omni::RetrialOf {
                    customer: WorkItemId(customer),
                    attempt,
                }),
            },
        )
    }

    /// An arrival requiring `skills` (by `SkillId`, in that order), each
    /// additional with priority 0.
    pub fn arrive_with_skills(
        &mut self,
        t: f64,
        item: u64,
        queue: u32,
        skills: &[u32],
    ) -> &mut Self {
        let skills = skills
            .iter()
            .map(|&s| SkillRequirement {
                skill: SkillId(s),
                level: 1,
                additional: true,
                priority: 0,
            })
            .collect();
        self.push(
            t,
            EventKind::WorkArrived {
                item: WorkItemId(item),
                queue: QueueId(queue),
                patience: None,
                priority: 1,
                secondary_priority: None,
                skills,
                retrial: None,
            },
        )
    }

    /// `SkillsDropped` of `skills` (by `SkillId`).
    pub fn drop_skills(&mut self, t: f64, item: u64, queue: u32, skills: &[u32]) -> &mut Self {
        self.push(
            t,
            EventKind::SkillsDropped {
                item: WorkItemId(item),
                queue: QueueId(queue),
                skills: skills.iter().map(|&s| SkillId(s)).collect(),
                priority: 0,
                waited: SimDuration::from_secs(10),
            },
        )
    }

    /// `WorkRequeued` with no excluded agent; `skills_reset` as given.
    pub fn requeue(&mut self, t: f64, item: u64, queue: u32, skills_reset: bool) -> &mut Self {
        self.push(
            t,
            EventKind::WorkRequeued {
                item: WorkItemId(item),
                queue: QueueId(queue),
                excluded_agent: None,
                skills_reset,
            },
        )
    }

    /// A push of `item` as AgentWork `work`, costing `cost` thousandths.
    pub fn assign(
        &mut self,
        t: f64,
        work: u64,
        item: u64,
        queue: u32,
        agent: u32,
        cost: u64,
    ) -> &mut Self {
        self.push(
            t,
            EventKind::WorkAssigned {
                work: AgentWorkId(work),
                item: WorkItemId(item),
                queue: QueueId(queue),
                agent: AgentId(agent),
                cost: CapacityUnits::thousandths(cost),
                pool: CapacityPool::Primary,
                requested_at: SimTime::ZERO,
                handle_time: SimDuration::from_secs(60),
            },
        )
    }

    pub fn accept(&mut self, t: f64, work: u64, item: u64, queue: u32, agent: u32) -> &mut Self {
        self.push(
            t,
            EventKind::WorkAccepted {
                work: AgentWorkId(work),
                item: WorkItemId(item),
                queue: QueueId(queue),
                agent: AgentId(agent),
                requested_at: SimTime::ZERO,
                handle_time: crate::time::SimDuration::ZERO,
                wrap_up: None,
                transfer: None,
            },
        )
    }

    /// An acceptance of work with handle time `handle` \[s\].
    pub fn accept_handling(
        &mut self,
        t: f64,
        work: u64,
        item: u64,
        agent: u32,
        handle: f64,
    ) -> &mut Self {
        self.push(
            t,
            EventKind::WorkAccepted {
                work: AgentWorkId(work),
                item: WorkItemId(item),
                queue: QueueId(0),
                agent: AgentId(agent),
                requested_at: SimTime::ZERO,
                handle_time: crate::time::SimDuration::from_secs_f64(handle),
                wrap_up: None,
                transfer: None,
            },
        )
    }

    pub fn decline(
        &mut self,
        t: f64,
        work: u64,
        item: u64,
        queue: u32,
        agent: u32,
        on_push_timeout: bool,
    ) -> &mut Self {
        self.push(
            t,
            EventKind::WorkDeclined {
                work: AgentWorkId(work),
                item: WorkItemId(item),
                queue: QueueId(queue),
                agent: AgentId(agent),
                reason: None,
                on_push_timeout,
            },
        )
    }

    pub fn close(
        &mut self,
        t: f64,
        work: u64,
        item: u64,
        queue: u32,
        agent: u32,
        accepted_at: f64,
    ) -> &mut Self {
        self.push(
            t,
            EventKind::WorkClosed {
                work: AgentWorkId(work),
                item: WorkItemId(item),
                queue: QueueId(queue),
                agent: AgentId(agent),
                accepted_at: at(accepted_at),
                record: None,
            },
        )
    }

    /// Agent `agent` hands AgentWork `work` of `item` on from queue
    /// `from` to queue `to`, and the router puts it there.
    #[allow(clippy::too_many_arguments)]
    pub fn transfer(
        &mut self,
        t: f64,
        work: u64,
        item: u64,
        from: u32,
        to: u32,
        agent: u32,
        accepted_at: f64,
    ) -> &mut Self {
        self.push(
            t,
            EventKind::WorkTransferred {
                work: AgentWorkId(work),
                item: WorkItemId(item),
                from_queue: QueueId(from),
                to_queue: QueueId(to),
                agent: AgentId(agent),
                accepted_at: at(accepted_at),
            },
        );
        self.push(
            t,
            EventKind::WorkTransferredIn {
                item: WorkItemId(item),
                from_queue: QueueId(from),
                queue: QueueId(to),
                requested_at: SimTime::ZERO,
                priority: 1,
                secondary_priority: None,
                skills: vec![],
                handle_time: SimDuration::from_secs(60),
            },
        )
    }

    /// AgentWork `work` of `item` set aside for primary work
    /// (`interrupted`) or taken up again.
    pub fn interrupt(
        &mut self,
        t: f64,
        work: u64,
        item: u64,
        queue: u32,
        agent: u32,
        interrupted: bool,
    ) -> &mut Self {
        self.push(
            t,
            EventKind::WorkInterrupted {
                work: AgentWorkId(work),
                item: WorkItemId(item),
                queue: QueueId(queue),
                agent: AgentId(agent),
                interrupted,
            },
        )
    }

    pub fn abandon(&mut self, t: f64, item: u64, queue: u32) -> &mut Self {
        self.push(
            t,
            EventKind::WorkAbandoned {
                item: WorkItemId(item),
                queue: QueueId(queue),
                requested_at: SimTime::ZERO,
                record: None,
            },
        )
    }

    /// `WorkEndedNoAgent`: every available agent declined the item.
    pub fn end_no_agent(&mut self, t: f64, item: u64, queue: u32) -> &mut Self {
        self.push(
            t,
            EventKind::WorkEndedNoAgent {
                item: WorkItemId(item),
                queue: QueueId(queue),
                requested_at: SimTime::ZERO,
                record: None,
            },
        )
    }

    /// `LoginSuccess` then `StatusChanged`, as the toolkit emits them.
    pub fn login(&mut self, t: f64, agent: u32, status: StatusId) -> &mut Self {
        self.push(
            t,
            EventKind::LoginSuccess {
                agent: AgentId(agent),
                status,
            },
        );
        self.status(t, agent, status, StatusChangeReason::OmniLoginStatusChange)
    }

    pub fn status(
        &mut self,
        t: f64,
        agent: u32,
        status: StatusId,
        reason: StatusChangeReason,
    ) -> &mut Self {
        self.push(
            t,
            EventKind::StatusChanged {
                agent: AgentId(agent),
                status,
                // Every status but Break has channels here (a test may
                // add more online statuses).
                online: status != BREAK,
                reason,
            },
        )
    }

    pub fn logout(&mut self, t: f64, agent: u32) -> &mut Self {
        self.push(
            t,
            EventKind::Logout {
                agent: AgentId(agent),
            },
        )
    }

    /// `WorkloadChanged` to `load` thousandths with capacity `capacity`
    /// whole units.
    pub fn workload(&mut self, t: f64, agent: u32, capacity: u32, load: u64) -> &mut Self {
        self.push(
            t,
            EventKind::WorkloadChanged {
                agent: AgentId(agent),
                configured_capacity: CapacityUnits::whole(capacity),
                previous_workload: CapacityUnits::ZERO,
                new_workload: CapacityUnits::thousandths(load),
                configured_interruptible_capacity: CapacityUnits::whole(capacity),
                previous_interruptible_workload: CapacityUnits::ZERO,
                new_interruptible_workload: CapacityUnits::ZERO,
            },
        )
    }

    /// Feeds every event to `sink` through an [`ItemBook`], as the engine
    /// does, then ends the run at `end`.
    pub fn feed(&self, sink: &mut impl EventSink, end: f64) {
        ItemBook::new().replay(&self.events, at(end), sink);
    }
}
