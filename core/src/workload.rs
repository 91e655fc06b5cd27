//! Standard workloads: the Erlang-equivalent centre (one queue, capacity
//! one, Most Available, auto-accept, Poisson arrivals, exponential handle
//! time) built from the figures a planner states, and the benchmark day
//! built from it.
//!
//! They live in the core because three different users need exactly the
//! same scenario: the validation against Erlang C / A, the scaling
//! benchmark (`omnisim bench`, `benches/engine.rs`) and the SimPy peer of
//! `benches/peers/`. One definition keeps them simulating the same centre.
//!
//! # Example
//!
//! ```
//! use omnisim_core::workload::{day, run_day};
//! use omnisim_core::stats::WorkRecorder;
//! use std::sync::Arc;
//!
//! let scenario = Arc::new(day(10, 7));
//! let count = run_day::<std::io::Sink>(&scenario, None::<&mut WorkRecorder<std::io::Sink>>)
//!     .expect("the day runs to its end");
//! assert!(count.items > 0);
//! ```

use crate::distribution::Distribution;
use crate::engine::{run_replication, RunOptions};
use crate::events::EventSink;
use crate::omni::{
    CapacityCost, CapacityModel, CapacityPool, ChannelId, ConfigId, InterruptibleProgress,
    PresenceConfiguration, PresenceStatus, QueueId, RoutingConfiguration, RoutingModel,
    RoutingType, ServiceChannel, Skill, SkillId, SkillRequirement, StatusId,
};
use crate::runner::RunError;
use crate::scenario::{
    AgentGroup, ArrivalRate, ArrivalStream, BehaviourSpec, Queue, QueueTargets, Scenario, Shift,
    SimulationSettings,
};
use crate::stats::{MetricsCollector, WorkRecorder};
use crate::time::SimDuration;
use serde::Serialize;
use std::io::Write;
use std::sync::Arc;

/// An Erlang-equivalent centre described the way planners describe it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ErlangCentre {
    /// Agents logged in for the whole run.
    pub agents: u32,
    /// Presence capacity of each agent.
    pub capacity: u32,
    /// What one item costs.
    pub cost: CapacityCost,
    /// Arrivals per hour.
    pub rate_per_hour: f64,
    /// Mean (exponential) handle time \[s\].
    pub aht_s: f64,
    /// Mean (exponential) patience \[s\]; `None` = nobody abandons.
    pub patience_s: Option<f64>,
    /// Routed by skills (every item needs one skill every agent has)
    /// instead of to queue members: must change nothing.
    pub skills_routed: bool,
    /// Service-level threshold \[s\].
    pub threshold_s: f64,
    /// Mean (exponential) after-conversation work per item \[s\], set on
    /// the arrival stream; `None` = none. With wrap-up the centre is no
    /// longer Erlang C (service is talk + wrap-up, not exponential), so
    /// only occupancy is checked, by Little's law.
    pub wrap_up_s: Option<f64>,
}

impl ErlangCentre {
    /// The scenario: one chat queue, Most Available, auto-accept, no push
    /// timeout, everyone logged in from time zero.
    pub fn scenario(
        &self,
        name: &str,
        hours: f64,
        warmup_h: f64,
        seed: u64,
        replications: u32,
    ) -> Scenario {
        let mut s = self.queue_based(name, hours, warmup_h, seed, replications);
        if self.skills_routed {
            s.skills = vec![Skill {
                name: "Calls".into(),
            }];
            let routing = &mut s.queues[0].routing;
            routing.routing_type = RoutingType::Skills;
            routing.skills = vec![SkillRequirement {
                skill: SkillId(0),
                level: 3,
                additional: false,
                priority: 0,
            }];
            s.agents[0].skills = vec![(SkillId(0), 5)];
        }
        s
    }

    fn queue_based(
        &self,
        name: &str,
        hours: f64,
        warmup_h: f64,
        seed: u64,
        replications: u32,
    ) -> Scenario {
        let secs = |h: f64| SimDuration::from_secs_f64(h * 3600.0);
        Scenario {
            simulation: SimulationSettings {
                name: name.into(),
                duration: secs(hours),
                warmup: secs(warmup_h),
                seed,
                replications,
                interval: secs(hours),
                service_level_threshold: SimDuration::from_secs_f64(self.threshold_s),
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
            statuses: vec![PresenceStatus {
                api_name: "Available".into(),
                label: "Available".into(),
                channels: vec![ChannelId(0)],
            }],
            presence_configs: vec![PresenceConfiguration {
                name: "Agents".into(),
                capacity: self.capacity,
                interruptible_capacity: self.capacity,
                allow_decline: false,
                decline_reasons: vec![],
                auto_accept: true,
                status_on_decline: None,
                status_on_push_timeout: None,
            }],
            queues: vec![Queue {
                name: "Queue".into(),
                channel: ChannelId(0),
                routing: RoutingConfiguration {
                    model: RoutingModel::MostAvailable,
                    priority: 1,
                    push_timeout: None,
                    cost: self.cost,
                    pool: CapacityPool::Primary,
                    paused_cost: None,
                    routing_type: RoutingType::Queue,
                    skills: vec![],
                    drop_additional_skills_timeout: None,
                },
                service_level_threshold: SimDuration::from_secs_f64(self.threshold_s),
                targets: QueueTargets::default(),
            }],
            arrivals: vec![ArrivalStream {
                queue: QueueId(0),
                rate: ArrivalRate::Constant(self.rate_per_hour),
                handle_time: Distribution::Exponential { mean: self.aht_s },
                patience: self
                    .patience_s
                    .map(|m| Distribution::Exponential { mean: m }),
                wrap_up: self
                    .wrap_up_s
                    .map(|m| Distribution::Exponential { mean: m }),
                skills: vec![],
                skill_mix: vec![],
                priority: None,
                secondary_priority: None,
                transfer: None,
                retrial: None,
                recorded: None,
            }],
            agents: vec![AgentGroup {
                group: "Agents".into(),
                count: self.agents,
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
}

/// Simulated hours in the benchmark day.
pub const DAY_HOURS: f64 = 8.0;
/// Mean (exponential) handle time \[s\].
pub const AHT_S: f64 = 300.0;
/// Occupancy the arrival rate is chosen for.
pub const OCCUPANCY: f64 = 0.9;
/// Seed of the benchmark day; fixed so every run simulates the same items.
pub const SEED: u64 = 2026;
/// Arrivals per hour of the overloaded variant (1,000 agents, offered
/// load 1.05 of the staff), kept finite by abandonment.
pub const OVERLOADED_RATE_PER_HOUR: f64 = 12_600.0;
/// Mean (exponential) patience of the overloaded variant \[s\].
pub const OVERLOADED_PATIENCE_S: f64 = 120.0;

/// Arrivals per hour that keep `agents` agents at [`OCCUPANCY`]:
/// `agents × occupancy × 3600 / AHT`.
pub fn rate_per_hour(agents: u32) -> f64 {
    agents as f64 * OCCUPANCY * 3600.0 / AHT_S
}

/// The benchmark day for `agents` agents at `rate` items per hour, with
/// exponential patience of `patience_s` seconds if given (see the module
/// documentation).
pub fn erlang_day(agents: u32, rate: f64, patience_s: Option<f64>, seed: u64) -> Scenario {
    ErlangCentre {
        agents,
        capacity: 1,
        cost: CapacityCost::Weight(1),
        rate_per_hour: rate,
        aht_s: AHT_S,
        patience_s,
        threshold_s: 20.0,
        skills_routed: false,
        wrap_up_s: None,
    }
    .scenario("bench", DAY_HOURS, 0.0, seed, 1)
}

/// The day of the scaling series: `agents` agents at [`OCCUPANCY`].
pub fn day(agents: u32, seed: u64) -> Scenario {
    erlang_day(agents, rate_per_hour(agents), None, seed)
}

/// The overloaded day: 1,000 agents offered [`OVERLOADED_RATE_PER_HOUR`]
/// with patience [`OVERLOADED_PATIENCE_S`], so queues and abandonment
/// timers are exercised too.
pub fn overloaded_day(seed: u64) -> Scenario {
    erlang_day(
        1_000,
        OVERLOADED_RATE_PER_HOUR,
        Some(OVERLOADED_PATIENCE_S),
        seed,
    )
}

/// What one replication produced, for a benchmark: the items that arrived
/// and the events emitted. Wall time is the caller's to measure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DayCount {
    /// Work items that arrived during the day.
    pub items: u64,
    /// Events the engine emitted.
    pub events: u64,
    /// Actor messages, toolkit calls and calendar entries, by kind.
    pub counts: crate::engine::EngineCounts,
}

/// Runs one replication of `scenario` with a [`MetricsCollector`] (as
/// `omnisim run` does) and, if given, a `work.csv` recorder; returns what
/// it counted, or why the run did not end (a stall, a panic). The
/// criterion bench and `omnisim bench` both time this.
pub fn run_day<W: Write>(
    scenario: &Arc<Scenario>,
    work: Option<&mut WorkRecorder<W>>,
) -> Result<DayCount, RunError> {
    let mut metrics = MetricsCollector::new(scenario);
    let outcome = match work {
        Some(w) => run_replication(
            scenario.clone(),
            &mut [&mut metrics as &mut dyn EventSink, w],
            RunOptions::default(),
        ),
        None => run_replication(scenario.clone(), &mut [&mut metrics], RunOptions::default()),
    };
    outcome.check(scenario)?;
    Ok(DayCount {
        items: metrics.into_result().overall.offered,
        events: outcome.events,
        counts: outcome.counts,
    })
}
