//! Small scenarios built in code, and invariant checks over event streams.

use crate::effort_check::EffortChecker;
use omnisim_core::distribution::Distribution;
use omnisim_core::events::{EventKind, EventSink, ItemRecord, SimEvent};
use omnisim_core::omni::*;
use omnisim_core::scenario::*;
use omnisim_core::time::{SimDuration, SimTime};
use std::collections::BTreeMap;

/// The Erlang-equivalent centre (design.md §4): one queue, capacity 1,
/// auto-accept, most available, exponential handle time.
pub fn erlang_scenario(
    agents: u32,
    per_hour: f64,
    aht_s: f64,
    patience_s: Option<f64>,
    hours: u64,
) -> Scenario {
    let mut s = base(hours);
    s.presence_configs[0].auto_accept = true;
    s.arrivals[0].rate = ArrivalRate::Constant(per_hour);
    s.arrivals[0].handle_time = Distribution::Exponential { mean: aht_s };
    s.arrivals[0].patience = patience_s.map(|m| Distribution::Exponential { mean: m });
    s.agents[0].count = agents;
    s
}

/// One chat channel, one online and one busy status, one queue, one group.
pub fn base(hours: u64) -> Scenario {
    Scenario {
        simulation: SimulationSettings {
            name: "test".into(),
            duration: SimDuration::from_secs(hours * 3600),
            warmup: SimDuration::from_secs(1800),
            seed: 7,
            replications: 1,
            interval: SimDuration::from_secs(1800),
            service_level_threshold: SimDuration::from_secs(20),
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
        presence_configs: vec![PresenceConfiguration {
            name: "cfg".into(),
            capacity: 1,
            interruptible_capacity: 1,
            allow_decline: false,
            decline_reasons: vec![],
            auto_accept: false,
            status_on_decline: None,
            status_on_push_timeout: None,
        }],
        queues: vec![Queue {
            name: "Q".into(),
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
            service_level_threshold: SimDuration::from_secs(20),
            targets: QueueTargets::default(),
        }],
        arrivals: vec![ArrivalStream {
            queue: QueueId(0),
            rate: ArrivalRate::Constant(60.0),
            handle_time: Distribution::Exponential { mean: 300.0 },
            patience: None,
            wrap_up: None,
            skills: vec![],
            skill_mix: vec![],
            priority: None,
            secondary_priority: None,
            transfer: None,
            retrial: None,
            recorded: None,
        }],
        agents: vec![AgentGroup {
            group: "G".into(),
            count: 5,
            presence_config: ConfigId(0),
            status: StatusId(0),
            allowed_statuses: vec![],
            queues: vec![QueueId(0)],
            skills: vec![],
            behaviour: BehaviourSpec::default(),
            shift: Shift::default(),
            roster: Vec::new(),
            break_lateness: None,
            absence: 0.0,
            planning: Default::default(),
        }],
        warnings: vec![],
    }
}

/// An agent's member queues and skill levels.
pub type AgentRights = (Vec<QueueId>, Vec<(SkillId, u8)>);

/// Checks the invariants of omni-reference on a live event stream and
/// keeps per-item outcomes for the conservation check.
#[derive(Debug, Default)]
pub struct InvariantChecker {
    pub last_time: SimTime,
    pub load: BTreeMap<AgentId, (CapacityUnits, CapacityUnits)>,
    /// Agent → current status (None = offline).
    pub status: BTreeMap<AgentId, Option<StatusId>>,
    /// Status → its channels.
    pub status_channels: Vec<Vec<ChannelId>>,
    pub queue_channel: Vec<ChannelId>,
    /// Item → terminal outcomes seen.
    pub terminal: BTreeMap<WorkItemId, Vec<&'static str>>,
    pub arrived: BTreeMap<WorkItemId, QueueId>,
    pub accepted: BTreeMap<WorkItemId, u32>,
    /// Opened work taken back from an agent who stayed logged out
    /// (status-based reassignment): each allows one more acceptance.
    pub reassigned: BTreeMap<WorkItemId, u32>,
    pub violations: Vec<String>,
    /// Agent → (member queues, skills).
    pub agent_rights: Vec<AgentRights>,
    pub queue_routing: Vec<RoutingType>,
    /// Item → (requested, still required) skills.
    pub requirements: BTreeMap<WorkItemId, (Vec<SkillRequirement>, Vec<SkillRequirement>)>,
    /// Item → times transferred. `Transferred` is not a terminal state of
    /// the item: each transfer allows one more acceptance.
    pub transferred: BTreeMap<WorkItemId, u32>,
    /// Opened AgentWork (accepted, not yet ended), to check that only
    /// opened work is transferred.
    pub opened: std::collections::BTreeSet<omnisim_core::omni::AgentWorkId>,
    /// Item → (its customer, its attempt): retrials are new items of the
    /// same customer.
    pub attempt: BTreeMap<WorkItemId, (WorkItemId, u32)>,
    /// (customer, attempt) → when that attempt was abandoned; removed
    /// when the customer's next attempt arrives, so each abandonment
    /// brings back at most one.
    pub abandoned_attempts: BTreeMap<(WorkItemId, u32), SimTime>,
    /// Retrials seen.
    pub retrials: u64,
    /// Items whose record the run handed out: with the event that ended
    /// them, or as still in flight at the end.
    pub recorded: std::collections::BTreeSet<WorkItemId>,
    /// The run was ended through the engine (`finish` was called).
    pub finished: bool,
    /// Capacity is not effort: what the agents work on (omni-reference
    /// §12.4, §12.5).
    pub effort: EffortChecker,
}

impl InvariantChecker {
    pub fn new(s: &Scenario) -> Self {
        InvariantChecker {
            status_channels: s.statuses.iter().map(|st| st.channels.clone()).collect(),
            queue_channel: s.queues.iter().map(|q| q.channel).collect(),
            agent_rights: s
                .agents
                .iter()
                .flat_map(|g| {
                    std::iter::repeat_n((g.queues.clone(), g.skills.clone()), g.count as usize)
                })
                .collect(),
            queue_routing: s.queues.iter().map(|q| q.routing.routing_type).collect(),
            effort: EffortChecker::new(s),
            ..Default::default()
        }
    }

    /// offered = answered + abandoned + waiting + in progress, each item in
    /// exactly one of them.
    pub fn assert_conserved(&self) {
        assert!(
            self.violations.is_empty(),
            "violations: {:#?}",
            &self.violations[..self.violations.len().min(10)]
        );
        let effort = &self.effort.violations;
        assert!(
            effort.is_empty(),
            "effort violations: {:#?}",
            &effort[..effort.len().min(10)]
        );
        if self.finished {
            // Every item's record comes out exactly once (duplicates are
            // caught as they come): no item lost.
            let missing: Vec<_> = self
                .arrived
                .keys()
                .filter(|i| !self.recorded.contains(i))
                .take(5)
                .collect();
            assert!(missing.is_empty(), "items without a record: {missing:?}");
        }
        for (item, outcomes) in &self.terminal {
            assert!(outcomes.len() <= 1, "item {item:?} ended {outcomes:?}");
            assert!(
                self.arrived.contains_key(item),
                "item {item:?} ended without arriving"
            );
        }
        for (item, n) in &self.accepted {
            let again = self.reassigned.get(item).copied().unwrap_or(0);
            let transfers = self.transferred.get(item).copied().unwrap_or(0);
            // One acceptance per leg (each transfer and each reassignment
            // starts one); the last leg may still be waiting when the run
            // ends, but a closed item accepted its last leg.
            let legs = 1 + transfers + again;
            let closed = self
                .terminal
                .get(item)
                .is_some_and(|o| o.contains(&"closed"));
            assert!(
                *n <= legs && *n + 1 >= legs && (*n == legs || !closed),
                "item {item:?} accepted {n} times, transferred {transfers}, reassigned {again}"
            );
            assert!(
                !self
                    .terminal
                    .get(item)
                    .is_some_and(|o| o.contains(&"abandoned")),
                "{item:?} answered and abandoned"
            );
        }
    }
}

impl InvariantChecker {
    /// An item's record, handed out once, agrees with the events seen.
    fn check_record(&mut self, item: WorkItemId, record: Option<&ItemRecord>, at: SimTime) {
        let Some(r) = record else {
            self.violations
                .push(format!("{item:?} ended without its record"));
            return;
        };
        if r.item != item || !self.recorded.insert(item) {
            self.violations
                .push(format!("{item:?}: record of {:?} handed out again", r.item));
        }
        if self.arrived.get(&item) != Some(&r.queue) {
            self.violations
                .push(format!("{item:?}: record names another queue"));
        }
        let transfers = self.transferred.get(&item).copied().unwrap_or(0);
        let in_order = r.first_push.is_none_or(|p| r.arrived_at <= p && p <= at)
            && r.answered_at.is_none_or(|a| r.arrived_at <= a && a <= at);
        if r.transfers != transfers || !in_order {
            self.violations
                .push(format!("{item:?}: record disagrees with the events: {r:?}"));
        }
    }
}

impl EventSink for InvariantChecker {
    fn in_flight(&mut self, record: &ItemRecord) {
        if self.terminal.contains_key(&record.item) {
            self.violations
                .push(format!("{:?} ended but is still in flight", record.item));
        }
        let at = self.last_time;
        self.check_record(record.item, Some(record), at);
    }

    fn finish(&mut self, end: SimTime) {
        self.finished = true;
        self.effort.finish(end);
    }

    fn on_event(&mut self, ev: &SimEvent) {
        self.effort.on_event(ev);
        if ev.time < self.last_time {
            self.violations
                .push(format!("time went backwards at {:?}", ev));
        }
        self.last_time = ev.time;
        match &ev.kind {
            EventKind::WorkArrived {
                item,
                queue,
                skills,
                retrial,
                ..
            } => {
                if self.arrived.insert(*item, *queue).is_some() {
                    self.violations.push(format!("{item:?} arrived twice"));
                }
                // A retrial follows the abandonment of its customer's
                // previous attempt, in the same queue, once.
                let (customer, attempt) = retrial.map_or((*item, 1), |r| (r.customer, r.attempt));
                self.attempt.insert(*item, (customer, attempt));
                if attempt > 1 {
                    self.retrials += 1;
                    match self.abandoned_attempts.remove(&(customer, attempt - 1)) {
                        Some(t) if t <= ev.time => {}
                        _ => self.violations.push(format!(
                            "{item:?} is attempt {attempt} of {customer:?}, whose attempt {} was not abandoned before",
                            attempt - 1
                        )),
                    }
                    if self.arrived.get(&customer) != Some(queue) {
                        self.violations
                            .push(format!("{item:?} retries {customer:?} in another queue"));
                    }
                }
                self.requirements
                    .insert(*item, (skills.clone(), skills.clone()));
            }
            EventKind::SkillsDropped { item, skills, .. } => {
                if let Some((_, now)) = self.requirements.get_mut(item) {
                    if skills
                        .iter()
                        .any(|k| now.iter().any(|r| r.skill == *k && !r.additional))
                    {
                        self.violations
                            .push(format!("{item:?}: a required skill was dropped"));
                    }
                    now.retain(|r| !skills.contains(&r.skill));
                }
            }
            EventKind::WorkRequeued {
                item,
                skills_reset: true,
                ..
            } => {
                if let Some((all, now)) = self.requirements.get_mut(item) {
                    now.clone_from(all);
                }
            }
            EventKind::WorkEndedNoAgent { item, record, .. } => {
                self.check_record(*item, record.as_deref(), ev.time);
                self.terminal
                    .entry(*item)
                    .or_default()
                    .push("ended_no_agent");
            }
            EventKind::WorkAssigned {
                agent, queue, item, ..
            } => {
                let st = self.status.get(agent).copied().flatten();
                let ch = self.queue_channel[queue.index()];
                match st {
                    None => self
                        .violations
                        .push(format!("push of {item:?} to offline {agent:?}")),
                    Some(s) if !self.status_channels[s.index()].contains(&ch) => {
                        self.violations.push(format!(
                            "push of {item:?} to {agent:?} in status without channel"
                        ))
                    }
                    _ => {}
                }
                let (queues, skills) = &self.agent_rights[agent.index()];
                let allowed = match self.queue_routing[queue.index()] {
                    RoutingType::Queue => queues.contains(queue),
                    RoutingType::Skills => self.requirements.get(item).is_some_and(|(_, now)| {
                        now.iter().all(|r| {
                            r.met_by(skills.iter().find(|(k, _)| *k == r.skill).map(|(_, l)| *l))
                        })
                    }),
                };
                if !allowed {
                    self.violations.push(format!(
                        "push of {item:?} of {queue:?} to {agent:?}, who may not take it"
                    ));
                }
            }
            EventKind::WorkloadChanged {
                agent,
                configured_capacity,
                new_workload,
                configured_interruptible_capacity,
                new_interruptible_workload,
                ..
            } => {
                if new_workload > configured_capacity {
                    self.violations.push(format!(
                        "{agent:?} over capacity: {new_workload} > {configured_capacity}"
                    ));
                }
                if new_interruptible_workload > configured_interruptible_capacity {
                    self.violations.push(format!(
                        "{agent:?} over interruptible capacity: {new_interruptible_workload} > {configured_interruptible_capacity}"
                    ));
                }
                self.load
                    .insert(*agent, (*new_workload, *configured_capacity));
            }
            EventKind::LoginSuccess { agent, status } => {
                self.status.insert(*agent, Some(*status));
            }
            EventKind::StatusChanged { agent, status, .. } => {
                self.status.insert(*agent, Some(*status));
            }
            EventKind::Logout { agent } => {
                self.status.insert(*agent, None);
            }
            EventKind::WorkAccepted { item, work, .. } => {
                *self.accepted.entry(*item).or_default() += 1;
                self.opened.insert(*work);
            }
            EventKind::WorkTransferred {
                item,
                work,
                from_queue,
                to_queue,
                ..
            } => {
                if !self.opened.remove(work) {
                    self.violations
                        .push(format!("{work:?} of {item:?} transferred while not opened"));
                }
                if from_queue == to_queue {
                    self.violations
                        .push(format!("{item:?} transferred to its own queue"));
                }
                if self.terminal.contains_key(item) {
                    self.violations
                        .push(format!("{item:?} transferred after it ended"));
                }
                *self.transferred.entry(*item).or_default() += 1;
            }
            EventKind::WorkTransferredIn { item, skills, .. } => {
                self.requirements
                    .insert(*item, (skills.clone(), skills.clone()));
            }
            EventKind::WorkUnavailable { item, .. } if self.accepted.contains_key(item) => {
                *self.reassigned.entry(*item).or_default() += 1;
            }
            EventKind::WorkAbandoned { item, record, .. } => {
                self.check_record(*item, record.as_deref(), ev.time);
                self.terminal.entry(*item).or_default().push("abandoned");
                if let Some(key) = self.attempt.get(item) {
                    self.abandoned_attempts.insert(*key, ev.time);
                }
            }
            EventKind::WorkClosed {
                item, work, record, ..
            } => {
                self.check_record(*item, record.as_deref(), ev.time);
                self.opened.remove(work);
                self.terminal.entry(*item).or_default().push("closed");
            }
            _ => {}
        }
    }
}

/// Plain per-item outcome tally for quick statistics in tests.
#[derive(Debug, Default)]
pub struct Tally {
    pub from: SimTime,
    pub threshold: SimDuration,
    arrivals: BTreeMap<WorkItemId, SimTime>,
    first_push: BTreeMap<WorkItemId, SimTime>,
    pub offered: u64,
    pub answered: u64,
    pub abandoned: u64,
    pub waited: u64,
    pub within: u64,
    pub wait_sum: f64,
}

impl Tally {
    pub fn new(from: SimTime, threshold: SimDuration) -> Self {
        Tally {
            from,
            threshold,
            ..Default::default()
        }
    }
    pub fn p_wait(&self) -> f64 {
        self.waited as f64 / self.offered as f64
    }
    pub fn asa(&self) -> f64 {
        self.wait_sum / self.answered as f64
    }
    pub fn sl(&self) -> f64 {
        self.within as f64 / self.offered as f64
    }
}

impl EventSink for Tally {
    fn on_event(&mut self, ev: &SimEvent) {
        match &ev.kind {
            EventKind::WorkArrived { item, .. } if ev.time >= self.from => {
                self.arrivals.insert(*item, ev.time);
                self.offered += 1;
            }
            EventKind::WorkAssigned { item, .. } => {
                if let Some(a) = self.arrivals.get(item) {
                    if !self.first_push.contains_key(item) {
                        self.first_push.insert(*item, ev.time);
                        if ev.time > *a {
                            self.waited += 1;
                        }
                    }
                }
            }
            EventKind::WorkAccepted { item, .. } => {
                if let Some(a) = self.arrivals.remove(item) {
                    self.answered += 1;
                    let w = ev.time - a;
                    self.wait_sum += w.as_secs_f64();
                    if w <= self.threshold {
                        self.within += 1;
                    }
                    if !self.first_push.contains_key(item) {
                        self.waited += 1;
                    }
                    self.first_push.remove(item);
                }
            }
            EventKind::WorkAbandoned { item, .. } => {
                if let Some(_a) = self.arrivals.remove(item) {
                    self.abandoned += 1;
                    if !self.first_push.contains_key(item) {
                        self.waited += 1;
                    }
                    self.first_push.remove(item);
                }
            }
            _ => {}
        }
    }
}

/// The project's root folder (the core crate sits in `core/`), where the
/// bundled scenarios and the shared test fixtures are.
pub fn project_root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The text of a shared fixture in `tests/fixtures/`.
pub fn fixture_text(name: &str) -> String {
    let path = project_root().join("tests/fixtures").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A shared fixture scenario from `tests/fixtures/`, read from its file so
/// that the paths it names resolve beside it.
pub fn fixture(name: &str) -> Scenario {
    let path = project_root().join("tests/fixtures").join(name);
    Scenario::from_path(&path).unwrap_or_else(|e| panic!("{e}"))
}
