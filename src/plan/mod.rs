//! `omnisim plan`: the head-count each group needs in each interval to
//! meet every queue's targets, found by simulation.
//!
//! # Method
//!
//! 1. **Start from Erlang A** per interval and queue ([`start`]), each
//!    queue's need shared out among the groups that may take its work.
//! 2. **Sweep the day in order.** Interval `i` is staffed with the
//!    head-count of intervals `0..i` already fixed, so the backlog they
//!    leave is part of what interval `i` must clear ([`judge`]).
//! 3. **Search by simulation** ([`search`]): grow the group that most
//!    reduces the shortfall until every target is met on its confidence
//!    interval, then trim agents while every target stays met. Every
//!    candidate runs the same replications with the same random numbers.
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
pub mod floor_check;
pub mod judge;
pub mod output;
pub mod search;
pub mod start;

use crate::scenario::{IntervalLoad, Scenario};
use judge::{Achieved, SimulationJudge};
use search::{staff_interval, Unreachable};

/// Reporting intervals of the measured day.
pub fn interval_count(s: &Scenario) -> usize {
    let sim = &s.simulation;
    sim.duration.0.div_ceil(sim.interval.0.max(1)).max(1) as usize
}

/// How to plan.
#[derive(Clone, Debug)]
pub struct PlanOptions {
    /// Replications per candidate (at least 2: a target is judged on a
    /// confidence interval).
    pub replications: u32,
    /// Threads running replications; the plan does not depend on it.
    pub jobs: usize,
    /// Most agents of any one group; `None` = three times its roster.
    pub max_agents: Option<u32>,
    /// Intervals simulated before each judged one.
    pub lookback: usize,
    /// Half-widths the judged figures must reach (`--precision`); empty =
    /// judge after `replications`.
    pub precision: Vec<crate::stats::precision::PrecisionTarget>,
    /// Most replications per candidate `precision` may grow to.
    pub max_replications: u32,
}

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
    /// Per queue (scenario order).
    pub queues: Vec<QueueFigures>,
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
    /// Replications per candidate.
    pub replications: u32,
    /// Replications simulated in all.
    pub runs: usize,
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
}

/// Why there is no plan.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum PlanError {
    /// Nothing to plan for.
    #[error("no queue sets a target (target_service_level, max_abandon_rate, max_asa or max_occupancy); `plan` finds the head-count that meets them, so set at least one in [[queues]]")]
    NoTargets,
    /// Too few replications to judge on a confidence interval.
    #[error("plan needs at least 2 replications per candidate to judge targets on a confidence interval; got {0}")]
    TooFewReplications(u32),
    /// Even the maximum head-count misses a target.
    #[error("at {interval} no head-count up to the maximum ({agents}) meets the targets of {queues}; raise --max-agents, or check the targets and the forecast of that interval")]
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

/// Plans the day; `progress` hears each interval as it is finished.
pub fn plan(
    scenario: &Scenario,
    options: &PlanOptions,
    progress: &mut dyn FnMut(&PlannedInterval),
) -> Result<StaffingPlan, PlanError> {
    if scenario.queues.iter().all(|q| {
        q.targets.target_service_level.is_none()
            && q.targets.max_abandon_rate.is_none()
            && q.targets.max_asa.is_none()
            && q.targets.max_occupancy.is_none()
    }) {
        return Err(PlanError::NoTargets);
    }
    if options.replications < 2 {
        return Err(PlanError::TooFewReplications(options.replications));
    }
    let serves = serves(scenario);
    let loads = candidate::interval_loads(scenario);
    let n = interval_count(scenario);
    let max: Vec<u32> = scenario
        .agents
        .iter()
        .map(|g| options.max_agents.unwrap_or((g.count * 3).max(1)))
        .collect();
    let rostered = candidate::rostered_floor(scenario);
    let clock = scenario.simulation.clock();
    let base = candidate::planning_base(scenario);
    let mut chosen: Vec<Vec<u32>> = Vec::with_capacity(n);
    let mut intervals = Vec::with_capacity(n);
    let mut runs = 0;
    for i in 0..n {
        let interval_loads: Vec<IntervalLoad> = loads.iter().map(|q| q[i]).collect();
        let first = start::starting_point(scenario, &interval_loads, &serves);
        let mut judge = SimulationJudge {
            base: &base,
            chosen: &chosen,
            interval: i,
            lookback: options.lookback,
            replications: options.replications,
            max_replications: options.max_replications.max(options.replications),
            precision: &options.precision,
            jobs: options.jobs,
            runs: 0,
            seen: Default::default(),
        };
        let offset = crate::time::SimDuration(scenario.simulation.interval.0 * i as u64);
        let label = clock.label(clock.instant(offset));
        let found = staff_interval(&mut judge, &first, &max, &serves);
        runs += judge.runs;
        let staffing = match found {
            Ok(s) => s,
            Err(Unreachable { agents, verdict }) => {
                return Err(PlanError::Unreachable {
                    interval: label,
                    queues: verdict
                        .failing_queues
                        .iter()
                        .map(|&q| format!("queue {}", scenario.queues[q].name))
                        .collect::<Vec<_>>()
                        .join(", "),
                    agents: scenario
                        .agents
                        .iter()
                        .zip(&agents)
                        .map(|(g, n)| format!("{} {n}", g.group))
                        .collect::<Vec<_>>()
                        .join(", "),
                })
            }
        };
        let figures = &judge.seen[&staffing.agents];
        let queues = (0..scenario.queues.len())
            .map(|q| {
                let pick = |f: fn(&crate::stats::QueueMetrics) -> Option<f64>| {
                    judge::achieved(figures, q, f)
                };
                let slots = (0..scenario.agents.len())
                    .find(|&g| serves[g][q])
                    .map_or(1, |g| start::slots(scenario, g, q));
                QueueFigures {
                    service_level: pick(|m| m.service_level),
                    p_abandon: pick(|m| m.p_abandon),
                    asa_s: pick(|m| m.asa_s),
                    agents_occupancy: pick(|m| m.agents_occupancy),
                    erlang_agents: start::erlang_need(scenario, q, &interval_loads[q], slots),
                }
            })
            .collect();
        let to_roster = scenario
            .agents
            .iter()
            .zip(&staffing.agents)
            .map(|(g, &n)| {
                let present = 1.0 - g.absence;
                if n == 0 {
                    0
                } else if present <= 0.0 {
                    u32::MAX
                } else {
                    (f64::from(n) / present - 1e-9).ceil() as u32
                }
            })
            .collect();
        let planned = PlannedInterval {
            index: i,
            start: label,
            start_s: offset.as_secs_f64(),
            agents_required: staffing.agents.clone(),
            agents_rostered: rostered.iter().map(|g| g[i]).collect(),
            agents_to_roster: to_roster,
            queues,
            evaluations: staffing.evaluations,
        };
        progress(&planned);
        intervals.push(planned);
        chosen.push(staffing.agents);
    }
    Ok(StaffingPlan {
        groups: scenario.agents.iter().map(|g| g.group.clone()).collect(),
        queues: scenario.queues.iter().map(|q| q.name.clone()).collect(),
        intervals,
        replications: options.replications,
        runs,
    })
}
