//! The day in order: each interval's start, search and figures, with the
//! intervals before it fixed.

use super::candidate;
use super::judge::{self, SimulationJudge};
use super::limits::group_limits;
use super::search::{staff_interval, Limits, SearchError, Strategy, Unreachable};
use super::split::{cheapest_split, item_classes, SplitInput};
use super::start;
use super::verdict::Tally;
use super::{
    interval_count, serves, PlanError, PlanOptions, PlannedInterval, QueueFigures, SetBy,
    StaffingPlan,
};
use crate::scenario::{IntervalLoad, Scenario};

/// Plans the day; `progress` hears each interval as it is finished.
pub fn plan(
    scenario: &Scenario,
    options: &PlanOptions,
    progress: &mut dyn FnMut(&PlannedInterval),
) -> Result<StaffingPlan, PlanError> {
    if scenario.queues.iter().all(|q| q.targets.is_empty()) {
        return Err(PlanError::NoTargets);
    }
    if options.replications < 2 {
        return Err(PlanError::TooFewReplications(options.replications));
    }
    let limits = group_limits(scenario, &options.max_agents).map_err(PlanError::Limits)?;
    let serves = serves(scenario);
    let groups = scenario.agents.len();
    let queues = scenario.queues.len();
    let pools = super::floor_check::pools(&serves, groups, queues);
    let relieves: Vec<Vec<bool>> = (0..groups)
        .map(|g| {
            (0..queues)
                .map(|q| {
                    pools
                        .iter()
                        .any(|(gs, qs)| gs.contains(&g) && qs.contains(&q))
                })
                .collect()
        })
        .collect();
    let slots: Vec<Vec<u32>> = (0..groups)
        .map(|g| (0..queues).map(|q| start::slots(scenario, g, q)).collect())
        .collect();
    let classes = item_classes(scenario, &serves);
    let loads = candidate::interval_loads(scenario);
    let n = interval_count(scenario);
    let rostered = candidate::rostered_floor(scenario);
    let clock = scenario.simulation.clock();
    let base = candidate::planning_base(scenario);
    let interval_hours = scenario.simulation.interval.as_secs_f64() / 3600.0;
    let cost: Vec<f64> = limits
        .cost_per_hour
        .iter()
        .map(|c| c * interval_hours)
        .collect();
    let mut chosen: Vec<Vec<u32>> = Vec::with_capacity(n);
    // Per interval, per queue: the chosen head-count's mean counts.
    let mut history: Vec<Vec<Tally>> = Vec::with_capacity(n);
    let mut intervals = Vec::with_capacity(n);
    let mut runs = 0;
    for i in 0..n {
        let interval_loads: Vec<IntervalLoad> = loads.iter().map(|q| q[i]).collect();
        // Fixed groups are on the floor as the roster puts them.
        let (mut min, mut max) = (limits.min.clone(), limits.max.clone());
        for g in 0..groups {
            if limits.fixed[g] {
                let n = rostered[g][i].round().max(0.0) as u32;
                (min[g], max[g]) = (n, n);
            }
        }
        let need: Vec<f64> = (0..queues)
            .map(|q| start::erlang_need(scenario, q, &interval_loads[q], 1).map_or(0.0, f64::from))
            .collect();
        let split = cheapest_split(&SplitInput {
            classes: &classes,
            need,
            slots: &slots,
            cost: &limits.cost_per_hour,
            min: &min,
            max: &max,
        });
        let first = match options.strategy {
            Strategy::Cheapest => split
                .as_ref()
                .map_or_else(|| max.clone(), |s| s.rounded(&min, &max)),
            Strategy::OneMinimal => start::starting_point(scenario, &interval_loads, &serves),
        };
        let past: Vec<Option<Tally>> = (0..queues)
            .map(|q| {
                let from = scenario.queues[q]
                    .targets
                    .window
                    .first_interval(i, scenario.simulation.interval);
                (from < i).then(|| {
                    history[from..i]
                        .iter()
                        .fold(Tally::default(), |t, iv| t.plus(&iv[q]))
                })
            })
            .collect();
        let mut judge = SimulationJudge {
            base: &base,
            chosen: &chosen,
            interval: i,
            lookback: options.lookback,
            replications: options.replications,
            max_replications: options.max_replications.max(options.replications),
            precision: &options.precision,
            rule: options.rule,
            past,
            jobs: options.jobs,
            runs: 0,
            seen: Default::default(),
        };
        let offset = crate::time::SimDuration(scenario.simulation.interval.0 * i as u64);
        let label = clock.label(clock.instant(offset));
        let search_limits = Limits {
            min,
            max,
            cost: cost.clone(),
            serves: serves.clone(),
            relieves: relieves.clone(),
        };
        let found = staff_interval(&mut judge, &first, &search_limits, options.strategy);
        runs += judge.runs;
        let staffing = match found {
            Ok(s) => s,
            Err(SearchError::Run(e)) => return Err(PlanError::Run(e)),
            Err(SearchError::Unreachable(Unreachable { agents, verdict })) => {
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
        history.push(
            (0..queues)
                .map(|q| {
                    let per_rep: Vec<Tally> = figures
                        .iter()
                        .map(|r| r.get(q).map_or(Tally::default(), Tally::of))
                        .collect();
                    Tally::mean(&per_rep)
                })
                .collect(),
        );
        let queue_figures = (0..queues)
            .map(|q| {
                let pick = |f: fn(&crate::stats::QueueMetrics) -> Option<f64>| {
                    judge::achieved(figures, q, f)
                };
                let slots = (0..groups)
                    .find(|&g| serves[g][q])
                    .map_or(1, |g| slots[g][q]);
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
            .map(|(g, &n)| to_roster(n, g.absence))
            .collect();
        let planned = PlannedInterval {
            index: i,
            start: label,
            start_s: offset.as_secs_f64(),
            agents_required: staffing.agents.clone(),
            agents_rostered: rostered.iter().map(|g| g[i]).collect(),
            agents_to_roster: to_roster,
            agents_start: first,
            split,
            queues: queue_figures,
            decision: staffing.verdict.decision,
            replications: staffing.verdict.replications,
            set_by: staffing
                .set_by
                .iter()
                .map(|t| {
                    t.as_ref().map(|t| SetBy {
                        queue: t.queue,
                        metric: t.metric,
                    })
                })
                .collect(),
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
        limits,
        interval_hours,
        rule: options.rule,
        strategy: options.strategy,
    })
}

/// Rostered heads for `n` on the floor when each is absent with
/// probability `absence`: ⌈n / (1 − absence)⌉.
pub fn to_roster(n: u32, absence: f64) -> u32 {
    let present = 1.0 - absence;
    if n == 0 {
        0
    } else if present <= 0.0 {
        u32::MAX
    } else {
        (f64::from(n) / present - 1e-9).ceil() as u32
    }
}
