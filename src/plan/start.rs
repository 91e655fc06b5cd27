//! Where the search starts: Erlang A per interval and queue, shared out
//! among the groups that may take the queue's work.
//!
//! Erlang A is the planner's usual first answer and is close for a queue
//! served by one group, so the simulation search mostly confirms it in a
//! few steps. For blended or skills-based centres it overstates the need
//! (each queue is staffed as if alone); the trim step of the search then
//! takes the pooling gain back.

use crate::analytic::{required_agents, ErlangInput, StaffingTarget};
use crate::omni::CapacityUnits;
use crate::scenario::IntervalLoad;
use crate::scenario::{Queue, Scenario};

/// Agents one queue needs in one interval by Erlang A (Erlang C when its
/// customers never abandon), each agent holding `slots` items at once;
/// `None` when no head-count meets its targets.
pub fn erlang_need(
    scenario: &Scenario,
    queue: usize,
    load: &IntervalLoad,
    slots: u32,
) -> Option<u32> {
    let q: &Queue = &scenario.queues[queue];
    if load.rate_per_hour <= 0.0 {
        return Some(0);
    }
    let patience = scenario
        .arrivals
        .iter()
        .find(|a| a.queue.index() == queue)
        .and_then(|a| a.patience.as_ref())
        .map(|p| p.mean_secs());
    let input = ErlangInput {
        agents: 1,
        arrival_rate_per_hour: load.rate_per_hour,
        mean_handle_time_s: load.mean_handle_s.max(1e-6),
        service_level_threshold_s: q.service_level_threshold.as_secs_f64(),
        mean_patience_s: patience.filter(|p| *p > 0.0),
    };
    let target = StaffingTarget {
        service_level: q.targets.target_service_level.unwrap_or(0.0),
        max_p_abandon: q.targets.max_abandon_rate,
        max_asa_s: q.targets.max_asa.map(|d| d.as_secs_f64()),
    };
    let servers = required_agents(&input, target).ok()?.agents;
    let erlangs = input.offered_load_erlangs();
    // A ceiling on occupancy needs load / max ≤ servers.
    let servers = match q.targets.max_occupancy {
        Some(max) if max > 0.0 => servers.max((erlangs / max).ceil() as u32),
        _ => servers,
    };
    Some(servers.div_ceil(slots.max(1)))
}

/// Items of `queue` one agent of `group` holds at once: its capacity over
/// the queue's cost per item (at least 1, at most the open-item cap).
pub fn slots(scenario: &Scenario, group: usize, queue: usize) -> u32 {
    let g = &scenario.agents[group];
    let config = &scenario.presence_configs[g.presence_config.index()];
    let routing = &scenario.queues[queue].routing;
    let capacity = match routing.pool {
        crate::omni::CapacityPool::Primary => config.capacity,
        crate::omni::CapacityPool::Interruptible => config.interruptible_capacity,
    };
    let cost = routing.cost.units_for(capacity).0.max(1);
    let slots = CapacityUnits::whole(capacity).0 / cost;
    (slots as u32).clamp(1, crate::omni::MAX_OPEN_ITEMS)
}

/// The starting head-count per group for one interval: each queue's
/// Erlang need split evenly among the groups that may serve it, summed
/// per group. Queues whose targets Erlang cannot meet add nothing here;
/// the search then grows towards them and reports them if they stay out
/// of reach.
pub fn starting_point(
    scenario: &Scenario,
    loads: &[IntervalLoad],
    serves: &[Vec<bool>],
) -> Vec<u32> {
    let groups = scenario.agents.len();
    let mut start = vec![0u32; groups];
    for (q, load) in loads.iter().enumerate() {
        let eligible: Vec<usize> = (0..groups).filter(|&g| serves[g][q]).collect();
        let Some(&first) = eligible.first() else {
            continue;
        };
        let Some(need) = erlang_need(scenario, q, load, slots(scenario, first, q)) else {
            continue;
        };
        let share = need.div_ceil(eligible.len() as u32);
        for g in eligible {
            start[g] += share;
        }
    }
    start
}
