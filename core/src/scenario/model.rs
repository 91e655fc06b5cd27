//! The validated scenario: what the engine runs.
//!
//! Built only by [`crate::scenario::Scenario::from_path`] /
//! [`crate::scenario::Scenario::from_toml_str`] after every reference and
//! range is checked, so the engine never re-validates and never meets a
//! dangling name. All cross-references are typed indices into these lists.

use crate::clock::DayClock;
use crate::distribution::Distribution;
use crate::omni::{
    ChannelId, ConfigId, PresenceConfiguration, PresenceStatus, QueueId, RoutingConfiguration,
    RoutingType, ServiceChannel, Skill, SkillId, SkillRequirement, StatusId,
};
use crate::time::SimDuration;
use serde::Serialize;

use super::RosteredShift;

/// A complete, checked scenario.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Scenario {
    /// Run settings.
    pub simulation: SimulationSettings,
    /// Service channels.
    pub channels: Vec<ServiceChannel>,
    /// Presence statuses (online ones list channels).
    pub statuses: Vec<PresenceStatus>,
    /// The skills catalogue (`[[skills]]`).
    pub skills: Vec<Skill>,
    /// Presence configurations.
    pub presence_configs: Vec<PresenceConfiguration>,
    /// Queues, each with its routing configuration.
    pub queues: Vec<Queue>,
    /// Arrival streams, at most one per queue.
    pub arrivals: Vec<ArrivalStream>,
    /// Agent groups.
    pub agents: Vec<AgentGroup>,
    /// What the file asks for that is legal but probably not meant, found
    /// while reading it (a rate profile shorter than the day, forecast rows
    /// no arrivals entry reads). `check` and `run` print them to stderr;
    /// they never change the run.
    #[serde(skip)]
    pub warnings: Vec<String>,
}

/// `[simulation]`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SimulationSettings {
    /// Scenario name; also the results folder name.
    pub name: String,
    /// Measured period, after the warm-up.
    pub duration: SimDuration,
    /// Simulated before measuring; not counted in any metric.
    pub warmup: SimDuration,
    /// Base seed; replication `r` uses its own streams derived from it.
    pub seed: u64,
    /// Independent runs for confidence intervals.
    pub replications: u32,
    /// Reporting interval for `intervals.csv`.
    pub interval: SimDuration,
    /// Threshold for `service_level` (answered within it / offered).
    pub service_level_threshold: SimDuration,
    /// Calendar date of `start`, when the file gives one.
    pub start_date: Option<chrono::NaiveDate>,
    /// Clock time at which the measured period begins (the warm-up runs
    /// before it; see [`crate::clock`]).
    pub start_of_day: SimDuration,
    /// Day-level busyness: one factor per replication on every arrival
    /// rate; `None` = every day is the forecast day.
    pub busyness: Option<Busyness>,
}

/// `[simulation] busyness`: how much a whole day's demand runs above or
/// below the forecast. Forecast errors are correlated over the day (a busy
/// Monday is busy all day, everywhere), which Poisson arrivals alone never
/// produce, so each replication draws one factor of mean 1 that multiplies
/// every arrival rate of every queue.
#[derive(Copy, Clone, Debug, PartialEq, Serialize)]
pub struct Busyness {
    /// The shape of the factor's distribution.
    pub dist: BusynessDist,
    /// Its coefficient of variation (standard deviation, since the mean
    /// is 1); 0 = no variation.
    pub cv: f64,
}

/// The distribution of the day's busyness factor; both are positive and
/// right-skewed, as day totals around a forecast are.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BusynessDist {
    /// Gamma with shape 1/cv² and scale cv².
    Gamma,
    /// Log-normal with σ² = ln(1 + cv²) and μ = −σ²/2.
    #[serde(rename = "lognormal")]
    LogNormal,
}

impl BusynessDist {
    /// The name a scenario file uses.
    pub fn as_str(self) -> &'static str {
        match self {
            BusynessDist::Gamma => "gamma",
            BusynessDist::LogNormal => "lognormal",
        }
    }
}

impl SimulationSettings {
    /// The day's clock, for converting clock times and labelling instants.
    pub fn clock(&self) -> DayClock {
        DayClock {
            date: self.start_date,
            start_of_day: self.start_of_day,
            warmup: self.warmup,
        }
    }
}

/// `[[queues]]`: a queue with its routing configuration.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Queue {
    /// Name, as arrivals refer to it.
    pub name: String,
    /// Channel its items belong to.
    pub channel: ChannelId,
    /// How its items are routed.
    pub routing: RoutingConfiguration,
    /// Service-level threshold of its items: its own
    /// `service_level_threshold`, or `[simulation]`'s.
    pub service_level_threshold: SimDuration,
    /// What the planner aims for; `run` says whether each is met.
    pub targets: QueueTargets,
}

/// A queue's planning targets; each is optional.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct QueueTargets {
    /// Lowest acceptable service level (0–1).
    pub target_service_level: Option<f64>,
    /// Highest acceptable share of offered items abandoned (0–1).
    pub max_abandon_rate: Option<f64>,
    /// Longest acceptable average speed of answer.
    pub max_asa: Option<SimDuration>,
    /// Highest acceptable occupancy (0–1) of the agents who may take the
    /// queue's work, judged on `agents_occupancy`: a ceiling on how hard
    /// the people this queue depends on work, whatever else they serve.
    pub max_occupancy: Option<f64>,
    /// The span `plan` and `schedule` hold these targets over
    /// (`target_window`): each interval, the day so far, or a rolling
    /// window.
    pub window: super::TargetWindow,
}

impl QueueTargets {
    /// Whether any target is set.
    pub fn is_empty(&self) -> bool {
        self.target_service_level.is_none()
            && self.max_abandon_rate.is_none()
            && self.max_asa.is_none()
            && self.max_occupancy.is_none()
    }
}

/// How fast work arrives.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ArrivalRate {
    /// Poisson arrivals at a constant rate \[items/hour\] from time zero
    /// (warm-up included) to the end of the run.
    Constant(f64),
    /// Poisson arrivals whose rate \[items/hour\] is constant within each
    /// segment of `interval` of the measured period: segment `i` covers
    /// `[start + i·interval, start + (i+1)·interval)`. The warm-up uses the
    /// first segment; past the last segment the last one holds.
    ///
    /// `rate_profile` and `rate_profile_csv` give one segment per reporting
    /// interval; `forecast_csv` gives the forecast's own interval (a whole
    /// number of reporting intervals) and may scale handle times.
    Profile {
        /// Length of every segment.
        interval: SimDuration,
        /// Rate of each segment \[items/hour\].
        per_hour: Vec<f64>,
        /// Per segment, the factor applied to the handle time of every item
        /// arriving in it (the forecast's mean handle time over the stream's
        /// `handle_time` mean): a scaled draw keeps the distribution's shape
        /// and moves its mean. `None` = unscaled.
        aht_scale: Option<Vec<f64>>,
    },
}

/// `[[arrivals]]`: synthetic work for one queue.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ArrivalStream {
    /// Queue the items enter.
    pub queue: QueueId,
    /// Arrival rate.
    pub rate: ArrivalRate,
    /// Handle time each item demands (accept → end of work, before wrap-up).
    pub handle_time: Distribution,
    /// Customer patience; `None` = nobody abandons.
    pub patience: Option<Distribution>,
    /// After-conversation work of each item (end of handle time → close),
    /// drawn per item at arrival. It wins over the agent group's
    /// `wrap_up`, because how long the notes take depends on the kind of
    /// work more than on who does it; `None` = the group's.
    pub wrap_up: Option<Distribution>,
    /// Skills every item of the stream requires, besides its routing
    /// configuration's (skills-based queues only).
    pub skills: Vec<SkillRequirement>,
    /// Skills drawn per item, one independent draw per entry.
    pub skill_mix: Vec<SkillChoice>,
    /// Routing priority of its items (skills-based queues only); `None` =
    /// the queue's.
    pub priority: Option<i32>,
    /// Secondary routing priority of its items; `None` = unset.
    pub secondary_priority: Option<SecondaryPriority>,
    /// Share of its items handed on to another queue part-way through
    /// handling (omni-reference §12.7); `None` = never transferred. Also
    /// applies to items transferred into this queue, so transfers chain.
    pub transfer: Option<Transfer>,
    /// Customers who abandon and try again later (call-centre practice:
    /// many abandoned callers redial);
    /// `None` = an abandoned customer is gone for good.
    pub retrial: Option<Retrial>,
    /// A recorded day's arrivals, replayed instead of drawn (`omnisim
    /// replay`): the items arrive at these instants, and `rate` only
    /// describes the load for the tools that read it (checks, bounds).
    /// Not a scenario key: a program sets it on a loaded scenario.
    /// `None` = Poisson arrivals at `rate`.
    #[serde(skip)]
    pub recorded: Option<RecordedArrivals>,
}

/// A recorded day's arrivals for one queue, in time order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RecordedArrivals {
    /// Each item's arrival, from the start of the run, and the handle
    /// time it took that day when it is to be replayed too (`None` =
    /// drawn from the stream's `handle_time` as usual).
    pub items: Vec<(SimDuration, Option<SimDuration>)>,
}

/// `arrivals[].retrial`: whether and when a customer who abandoned tries
/// again. The new attempt is a new item of the same queue with the same
/// need (handle time, skills, priorities, transfers), a fresh patience and
/// a fresh wait; it may abandon and retry again.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Retrial {
    /// Probability that an abandoning customer comes back.
    pub probability: f64,
    /// Time from the abandonment to the new attempt.
    pub delay: Distribution,
}

/// Most transfers planned for one item: a safeguard beyond the
/// validation, which already refuses chains that can never end.
pub const MAX_TRANSFERS: usize = 32;

/// `arrivals[].transfer`: which items an agent hands on, where, and when.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Transfer {
    /// Probability that an item entering the queue is transferred on.
    pub probability: f64,
    /// The queue it is transferred to (never its own).
    pub to_queue: QueueId,
    /// Handling before the transfer; the agent hands it on after the
    /// smaller of this and the handle time left.
    pub after: Distribution,
}

/// One skill dimension of a skill mix: which skill an item needs is drawn
/// from `choose`, the rest of the requirement is fixed.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SkillChoice {
    /// The alternatives and their probabilities (summing to 1).
    pub choose: Vec<(SkillId, f64)>,
    /// Minimum level of the drawn skill.
    pub level: u8,
    /// Whether the drawn skill may be dropped.
    pub additional: bool,
    /// Drop order when additional.
    pub priority: u32,
}

/// A stream's secondary routing priority.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SecondaryPriority {
    /// Every item gets this value.
    Fixed(u32),
    /// Each item draws one of `values` with the matching probability.
    Discrete {
        /// The values.
        values: Vec<u32>,
        /// Their probabilities (summing to 1).
        p: Vec<f64>,
    },
}

/// `[[agents]]`: a group of identical agents.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AgentGroup {
    /// Group name, reported in `agents.csv`.
    pub group: String,
    /// Number of agents.
    pub count: u32,
    /// Presence configuration of every agent in the group.
    pub presence_config: ConfigId,
    /// Status the agents log in with.
    pub status: StatusId,
    /// Statuses the agents are granted (profile / permission set); the
    /// login status and the configuration's on-decline / on-timeout
    /// statuses are always included. Empty in the file = all statuses.
    pub allowed_statuses: Vec<StatusId>,
    /// Queues the agents are members of (queue-based routing). Without
    /// `queues` in the file: every queue of a channel some allowed status
    /// carries. In ascending order, as validation leaves them
    /// ([`AgentGroup::may_take`] searches them).
    pub queues: Vec<QueueId>,
    /// Skills and levels, sorted by skill (skills-based routing;
    /// [`AgentGroup::skill_level`] searches them).
    pub skills: Vec<(SkillId, u8)>,
    /// Synthetic behaviour.
    pub behaviour: BehaviourSpec,
    /// When the agents are logged in, for a group without a roster: every
    /// agent works this shift, with no breaks.
    pub shift: Shift,
    /// Each agent's own shift and breaks (`shifts`, `roster_csv`), agents
    /// numbered in its order; empty = every agent works `shift`. When not
    /// empty, `count` is its total ([`AgentGroup::set_roster`]); read it
    /// through [`AgentGroup::schedules`] either way.
    pub roster: Vec<RosteredShift>,
    /// How late each break starts (`break_lateness`): a fresh draw per
    /// break; `None` = on time.
    pub break_lateness: Option<Distribution>,
    /// Probability that an agent is absent for the day (`absence`), drawn
    /// per agent and replication: an absent agent never logs in. 0 =
    /// nobody, and nothing is drawn.
    pub absence: f64,
    /// What planning may do with the group: its cost per agent-hour, its
    /// head-count limits, whether it is fixed.
    pub planning: super::GroupPlanning,
}

/// How synthetic agents answer pushes (ignored under auto-accept, except
/// wrap-up).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BehaviourSpec {
    /// Delay between a push and the agent's answer.
    pub response_time: Distribution,
    /// Probability of accepting an answered push; otherwise decline (with a
    /// random configured reason). Must be 1 when decline is not allowed.
    pub accept_probability: f64,
    /// Probability of not answering a push at all (it then times out).
    pub no_answer_probability: f64,
    /// After-work time before the close; capacity stays held.
    pub wrap_up: Option<Distribution>,
    /// Time in a status-on-decline / status-on-push-timeout busy status
    /// before the agent returns to its login status; `None` = stays there.
    pub return_to_status_after: Option<SimDuration>,
    /// Probability that an accepted item of a queue with a paused cost is
    /// paused once, halfway through its handle time (status-based
    /// channels, omni-reference §12.5).
    pub pause_probability: f64,
    /// How long such a pause lasts; the handle time resumes after it.
    pub pause_duration: Option<Distribution>,
}

/// The scenario file's defaults (docs/scenario-format.md): answer at
/// once, always accept, always answer, no wrap-up, stay in a busy status.
impl Default for BehaviourSpec {
    fn default() -> Self {
        BehaviourSpec {
            response_time: Distribution::Constant { value: 0.0 },
            accept_probability: 1.0,
            no_answer_probability: 0.0,
            wrap_up: None,
            return_to_status_after: None,
            pause_probability: 0.0,
            pause_duration: None,
        }
    }
}

/// When a group is logged in, as instants of the run (warm-up included):
/// the scenario file writes clock times and [`crate::clock`] converts
/// them, so a shift beginning at `start` is logged in from the beginning
/// of the warm-up. The default is the whole run.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Shift {
    /// Login time.
    pub start: SimDuration,
    /// End of the shift; `None` = until the end of the run.
    pub end: Option<SimDuration>,
    /// What the agents do when the shift ends.
    pub end_mode: ShiftEndMode,
    /// Busy status (no channels) the agents move to at the end of the
    /// shift to finish their work ([`ShiftEndMode::Finish`] only). The
    /// scenario file fills it in for every finishing group with an end;
    /// `None` in a hand-built scenario means "the first busy status the
    /// group is granted", or an abrupt logout if it has none.
    pub end_status: Option<StatusId>,
}

/// How a shift ends (omni-reference §12.8).
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ShiftEndMode {
    /// Move to a busy status, answer what was already pushed, finish
    /// everything held, then log out: what a person does, so the default.
    /// The time past the shift end is overtime.
    #[default]
    Finish,
    /// Log out at once: open work is closed, pushed work re-routed (the
    /// tab-based logout of omni-reference §7), for lessons about it.
    Abrupt,
}

/// Name of the busy status added to a scenario whose finishing groups
/// are granted no busy status: they need one to finish their work in.
pub const END_OF_SHIFT_STATUS: &str = "End_Of_Shift";

/// Label of [`END_OF_SHIFT_STATUS`].
pub const END_OF_SHIFT_LABEL: &str = "Busy - End of shift";

impl AgentGroup {
    /// The group's level of `skill`, `None` if it lacks it.
    pub fn skill_level(&self, skill: SkillId) -> Option<u8> {
        self.skills
            .binary_search_by_key(&skill, |&(k, _)| k)
            .ok()
            .map(|i| self.skills[i].1)
    }

    /// Whether the group may take an item of `queue` (with routing
    /// `routing_type`) still needing `requirements`: a member for
    /// queue-based routing, holder of every requirement for skills-based
    /// routing (omni-reference §12.1, §12.2).
    pub fn may_take(
        &self,
        queue: QueueId,
        routing_type: RoutingType,
        requirements: &[SkillRequirement],
    ) -> bool {
        match routing_type {
            RoutingType::Queue => self.queues.binary_search(&queue).is_ok(),
            RoutingType::Skills => requirements
                .iter()
                .all(|r| r.met_by(self.skill_level(r.skill))),
        }
    }
}

impl Scenario {
    /// For each queue (by index), the index in `arrivals` of its stream,
    /// if it has one (a queue has at most one).
    pub fn stream_of_queue(&self) -> Vec<Option<usize>> {
        let mut of = vec![None; self.queues.len()];
        for (k, a) in self.arrivals.iter().enumerate() {
            if let Some(slot) = of.get_mut(a.queue.index()) {
                slot.get_or_insert(k);
            }
        }
        of
    }

    /// Total agents over all groups.
    pub fn agent_count(&self) -> usize {
        self.agents.iter().map(|g| g.count as usize).sum()
    }

    /// Configured capacity of every agent, in agent order (agents are
    /// numbered across groups in scenario order).
    pub fn agent_capacities(&self) -> Vec<u32> {
        self.agents
            .iter()
            .flat_map(|g| {
                let capacity = self.presence_configs[g.presence_config.index()].capacity;
                std::iter::repeat_n(capacity, g.count as usize)
            })
            .collect()
    }

    /// Configured interruptible capacity of every agent, in agent order.
    pub fn agent_interruptible_capacities(&self) -> Vec<u32> {
        self.agents
            .iter()
            .flat_map(|g| {
                let c = self.presence_configs[g.presence_config.index()].interruptible_capacity;
                std::iter::repeat_n(c, g.count as usize)
            })
            .collect()
    }

    /// Whether any queue's work counts against interruptible capacity.
    pub fn has_interruptible_work(&self) -> bool {
        self.queues
            .iter()
            .any(|q| q.routing.pool == crate::omni::CapacityPool::Interruptible)
    }

    /// End of the run: warm-up plus measured duration.
    pub fn run_length(&self) -> SimDuration {
        self.simulation.warmup + self.simulation.duration
    }
}
