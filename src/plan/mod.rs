//! `omnisim plan`: the head-count each group needs in each interval to
//! meet every queue's targets, found by simulation.
//!
//! # Method
//!
//! 1. **Start from the cheapest split** per interval ([`split`]): each
//!    queue's Erlang need covered, at least cost, by the groups that may
//!    take its items (skills and membership respected), within each
//!    group's limits ([`limits`]); rounded up.
//! 2. **Sweep the day in order** ([`day`]). Interval `i` is staffed with
//!    the head-count of intervals `0..i` already fixed, so the backlog
//!    they leave is part of what interval `i` must clear ([`judge`]).
//! 3. **Search by simulation** ([`search`]): grow a group that relieves
//!    a failing queue until every target is met, then trim agents, the
//!    dearest group first, while every target stays met. Every candidate
//!    runs the same replications with the same random numbers; a target
//!    is judged on its mean, with replications added while its confidence
//!    interval straddles it ([`verdict`]).
//!
//! docs/planning.md states what the allocation between groups guarantees
//! and walks a planner from a WFM export to a staffing table.
//!
//! The plan is the **floor** head-count: agents logged in and not on
//! break, all present. The roster's breaks and absence are left out of
//! the candidates and brought back in the output: `agents_rostered` is
//! what the scenario's roster puts on the floor (after breaks and
//! expected absence), and `agents_to_roster` converts the requirement
//! into rostered heads with the group's absence (shrinkage).

pub mod candidate;
pub mod day;
pub mod erlang_day;
pub mod floor_check;
pub mod html;
pub mod judge;
pub mod limits;
pub mod output;
pub mod replications;
pub mod search;
pub mod split;
pub mod start;
pub mod table;
pub mod verdict;

use crate::scenario::Scenario;
use crate::stats::TargetMetric;
pub use day::plan;
use judge::Achieved;
pub use limits::MaxAgents;
pub use search::Strategy;
pub use verdict::{Decision, JudgeRule};

/// Reporting intervals of the measured day.
pub fn interval_count(s: &Scenario) -> usize {
    let sim = &s.simulation;
    sim.duration.0.div_ceil(sim.interval.0.max(1)).max(1) as usize
}

/// How to plan.
#[derive(Clone, Debug)]
pub struct PlanOptions {
    /// Replications each candidate starts with (at least 2: a target is
    /// judged on a confidence interval).
    pub replications: u32,
    /// Threads running replications; the plan does not depend on it.
    pub jobs: usize,
    /// `--max-agents`: most agents of every group, or of named groups.
    pub max_agents: MaxAgents,
    /// Intervals simulated before each judged one.
    pub lookback: usize,
    /// Half-widths the judged figures must reach (`--precision`); empty =
    /// no such requirement.
    pub precision: Vec<crate::stats::precision::PrecisionTarget>,
    /// Most replications per candidate that sequential judging and
    /// `precision` may grow to.
    pub max_replications: u32,
    /// How targets are judged (`--judge`).
    pub rule: JudgeRule,
    /// Which search splits the work between groups (`--split`).
    pub strategy: Strategy,
}

impl Default for PlanOptions {
    fn default() -> Self {
        PlanOptions {
            replications: 10,
            jobs: 1,
            max_agents: MaxAgents::default(),
            lookback: 2,
            precision: Vec::new(),
            max_replications: DEFAULT_MAX_REPLICATIONS,
            rule: JudgeRule::Mean,
            strategy: Strategy::Cheapest,
        }
    }
}

/// Most replications a candidate gets by default: a service level's 95%
/// interval is then about ±0.02 to ±0.03 wide, so only calls closer than
/// that are left to the mean, and they stay affordable.
pub const DEFAULT_MAX_REPLICATIONS: u32 = 40;

/// Most replications a candidate gets by default when `--precision` asks
/// for narrow intervals: enough for a service level's half-width of about
/// 0.01.
pub const PRECISION_MAX_REPLICATIONS: u32 = 200;

/// The figures one queue reaches in one interval with the planned
/// head-count.
#[derive(Clone, Debug, PartialEq)]
pub struct QueueFigures {
    /// Service level, with its 95% CI.
    pub service_level: Option<Achieved>,
    /// Abandoned / offered.
    pub p_abandon: Option<Achieved>,
    /// Average speed of answer \[s\].
    pub asa_s: Option<Achieved>,
    /// Occupancy of the agents who may take the queue's work.
    pub agents_occupancy: Option<Achieved>,
    /// Erlang A's head-count for the queue alone (in agents of the first
    /// group that serves it); `None` when Erlang cannot meet its targets.
    pub erlang_agents: Option<u32>,
}

/// The target that sets an interval's head-count.
#[derive(Clone, Debug, PartialEq)]
pub struct SetBy {
    /// The queue, scenario order.
    pub queue: usize,
    /// Its target's metric.
    pub metric: TargetMetric,
}

/// One interval of the plan.
#[derive(Clone, Debug, PartialEq)]
pub struct PlannedInterval {
    /// Position in the day, from 0.
    pub index: usize,
    /// Clock label of its start (`"08:30"`).
    pub start: String,
    /// Its start, seconds after `[simulation] start`.
    pub start_s: f64,
    /// Agents required on the floor, per group (scenario order).
    pub agents_required: Vec<u32>,
    /// What the scenario's roster puts on the floor, per group (after
    /// breaks and expected absence).
    pub agents_rostered: Vec<f64>,
    /// Rostered heads needed for `agents_required` after absence.
    pub agents_to_roster: Vec<u32>,
    /// The search's first candidate: the cheapest split, rounded.
    pub agents_start: Vec<u32>,
    /// The cheapest split itself: per group, the agents the linear
    /// programme put on each queue (fractional); `None` when no split
    /// within the limits covers the Erlang needs.
    pub split: Option<split::Split>,
    /// Per queue (scenario order).
    pub queues: Vec<QueueFigures>,
    /// How the verdict on the chosen head-count was reached.
    pub decision: Decision,
    /// Replications the chosen head-count's verdict rests on.
    pub replications: u32,
    /// Per group, the queue and target that set its head-count: the one
    /// missed by the most when the group loses an agent; `None` for a
    /// group at its minimum (or fixed).
    pub set_by: Vec<Option<SetBy>>,
    /// Candidates simulated for this interval.
    pub evaluations: usize,
}

/// The whole plan.
#[derive(Clone, Debug, PartialEq)]
pub struct StaffingPlan {
    /// Group names, scenario order.
    pub groups: Vec<String>,
    /// Queue names, scenario order.
    pub queues: Vec<String>,
    /// The intervals of the day.
    pub intervals: Vec<PlannedInterval>,
    /// Replications each candidate starts with.
    pub replications: u32,
    /// Replications simulated in all.
    pub runs: usize,
    /// Each group's limits and cost, as planned with.
    pub limits: limits::GroupLimits,
    /// Length of an interval \[h\].
    pub interval_hours: f64,
    /// How targets were judged.
    pub rule: JudgeRule,
    /// Which search split the work.
    pub strategy: Strategy,
}

impl StaffingPlan {
    /// Agent-intervals required in all.
    pub fn total_required(&self) -> u64 {
        self.intervals
            .iter()
            .flat_map(|i| &i.agents_required)
            .map(|&n| u64::from(n))
            .sum()
    }

    /// What the plan's floor costs: agent-hours weighted by each group's
    /// `cost_per_hour`.
    pub fn total_cost(&self) -> f64 {
        self.intervals
            .iter()
            .map(|iv| {
                iv.agents_required
                    .iter()
                    .zip(&self.limits.cost_per_hour)
                    .map(|(&n, c)| f64::from(n) * c * self.interval_hours)
                    .sum::<f64>()
            })
            .sum()
    }

    /// Agent-intervals Erlang A needs with every queue staffed on its
    /// own (the sum over queues), `None` when some queue's targets are out
    /// of Erlang's reach: the figure blending and shared skills save on.
    pub fn total_separate_erlang(&self) -> Option<u64> {
        self.intervals
            .iter()
            .flat_map(|i| &i.queues)
            .map(|q| q.erlang_agents.map(u64::from))
            .sum()
    }

    /// What those separate Erlang staffings cost, each queue's agents at
    /// the cost of the first group that serves it (`first_server[q]`).
    pub fn separate_erlang_cost(&self, first_server: &[Option<usize>]) -> Option<f64> {
        let mut total = 0.0;
        for iv in &self.intervals {
            for (q, f) in iv.queues.iter().enumerate() {
                let n = f.erlang_agents?;
                let cost = first_server[q].map_or(1.0, |g| self.limits.cost_per_hour[g]);
                total += f64::from(n) * cost * self.interval_hours;
            }
        }
        Some(total)
    }
}

/// Why there is no plan.
#[derive(Debug, thiserror::Error, PartialEq)]
#[non_exhaustive]
pub enum PlanError {
    /// Nothing to plan for.
    #[error("no queue sets a target (target_service_level, max_abandon_rate, max_asa or max_occupancy); `plan` finds the head-count that meets them, so set at least one in [[queues]]")]
    NoTargets,
    /// Too few replications to judge on a confidence interval.
    #[error("plan needs at least 2 replications per candidate to judge targets on a confidence interval; got {0}")]
    TooFewReplications(u32),
    /// A limit that cannot be: a group `--max-agents` names that the
    /// scenario lacks, or a maximum below a minimum.
    #[error("{0}")]
    Limits(String),
    /// A simulation of a candidate failed (stalled, or code inside it
    /// panicked).
    #[error("a simulation of the plan failed: {0}")]
    Run(crate::runner::RunError),
    /// Even the maximum head-count misses a target.
    #[error("at {interval} no head-count up to the maximum ({agents}) meets the targets of {queues}; raise --max-agents (for every group, or GROUP=N for one), or check the targets and the forecast of that interval")]
    Unreachable {
        /// Clock label of the interval.
        interval: String,
        /// The failing queues, named.
        queues: String,
        /// The head-count tried, per group.
        agents: String,
    },
}

/// Which queues each group may take (`serves[group][queue]`), by queue
/// membership or by the routing configuration's skills.
pub fn serves(s: &Scenario) -> Vec<Vec<bool>> {
    s.agents
        .iter()
        .map(|g| {
            s.queues
                .iter()
                .enumerate()
                .map(|(q, queue)| {
                    g.may_take(
                        crate::omni::QueueId(q as u32),
                        queue.routing.routing_type,
                        &queue.routing.skills,
                    )
                })
                .collect()
        })
        .collect()
}
