//! `check`'s planning warnings: offered load per interval against the
//! agents on the floor in that interval, after breaks and absence.
//!
//! A day-long average hides the interval where a queue collapses, so the
//! comparison is made interval by interval. Agents shared between queues
//! are counted once: queues and groups linked by "may take" form pools,
//! and each pool's whole load is compared with its whole floor, besides
//! each queue against every agent who may take it (a queue can collapse
//! alone even when its pool has room, if few of the pool may take it).
//! Work is counted in the fewest agents it could occupy (each queue's
//! items packed on the agents holding most of them at once), so the
//! warnings are certain, not guesses: a pool warned about is short of
//! agents however the router shares the work out.

use super::candidate::{interval_loads, rostered_floor};
use super::start::slots;
use super::{interval_count, serves};
use crate::scenario::Scenario;
use crate::time::SimDuration;

/// Occupancy above which a pool is warned about: queues grow long well
/// before the floor is fully busy.
pub const OCCUPANCY_WARNING: f64 = 0.95;

/// The warnings, in interval order, each naming the interval by clock
/// time.
pub fn floor_warnings(s: &Scenario) -> Vec<String> {
    let serves = serves(s);
    let loads = interval_loads(s);
    let floor = rostered_floor(s);
    let clock = s.simulation.clock();
    let groups = s.agents.len();
    let queues = s.queues.len();
    let pools = pools(&serves, groups, queues);
    // The groups that may take each queue, listed once for every interval.
    let takers: Vec<Vec<usize>> = (0..queues)
        .map(|q| (0..groups).filter(|&g| serves[g][q]).collect())
        .collect();
    // The most items of each queue any agent who may take it holds at once.
    let per_agent: Vec<u32> = takers
        .iter()
        .enumerate()
        .map(|(q, gs)| gs.iter().map(|&g| slots(s, g, q)).max().unwrap_or(1))
        .collect();
    let mut out = Vec::new();
    for i in 0..interval_count(s) {
        let label = clock.label(clock.instant(SimDuration(s.simulation.interval.0 * i as u64)));
        // Load of each queue in agents: Erlangs over the most items of
        // the queue any agent who may take it holds at once. That is the
        // fewest agents the work could occupy, so a warning is never a
        // false alarm.
        let agents_needed: Vec<f64> = (0..queues)
            .map(|q| {
                let l = loads[q][i];
                l.rate_per_hour * l.mean_handle_s / 3600.0 / f64::from(per_agent[q])
            })
            .collect();
        let mut collapsing = vec![false; queues];
        for q in 0..queues {
            if agents_needed[q] <= 0.0 {
                continue;
            }
            let available: f64 = takers[q].iter().map(|&g| floor[g][i]).sum();
            if agents_needed[q] >= available {
                collapsing[q] = true;
                out.push(format!(
                    "{label}: queue {} offers {:.1} agents of work but only {:.1} agents who may take it are on the floor (after breaks and absence): the queue will grow without bound in this interval",
                    s.queues[q].name, agents_needed[q], available
                ));
            }
        }
        for (pool_groups, pool_queues) in &pools {
            if pool_queues.iter().any(|&q| collapsing[q]) {
                continue;
            }
            let need: f64 = pool_queues.iter().map(|&q| agents_needed[q]).sum();
            let available: f64 = pool_groups.iter().map(|&g| floor[g][i]).sum();
            if need <= 0.0 {
                continue;
            }
            let names = pool_queues
                .iter()
                .map(|&q| s.queues[q].name.as_str())
                .collect::<Vec<_>>()
                .join(", ");
            if need >= available {
                out.push(format!(
                    "{label}: queues {names} offer {need:.1} agents of work to {available:.1} agents on the floor (after breaks and absence): they will grow without bound in this interval"
                ));
            } else if need / available > OCCUPANCY_WARNING {
                out.push(format!(
                    "{label}: queues {names} would keep the agents on the floor {:.0}% busy ({need:.1} agents of work, {available:.1} on the floor): above {:.0}%, waits grow long",
                    100.0 * need / available,
                    100.0 * OCCUPANCY_WARNING
                ));
            }
        }
    }
    out
}

/// Groups and queues linked by "may take", as (groups, queues) pools;
/// queues nobody may take are left out (`check` says so elsewhere).
pub fn pools(serves: &[Vec<bool>], groups: usize, queues: usize) -> Vec<(Vec<usize>, Vec<usize>)> {
    let mut pool_of_group: Vec<Option<usize>> = vec![None; groups];
    let mut queue_pooled = vec![false; queues];
    let mut out: Vec<(Vec<usize>, Vec<usize>)> = Vec::new();
    for start in 0..groups {
        if pool_of_group[start].is_some() {
            continue;
        }
        let id = out.len();
        let mut gs = vec![start];
        let mut qs: Vec<usize> = Vec::new();
        pool_of_group[start] = Some(id);
        let mut k = 0;
        while k < gs.len() {
            let g = gs[k];
            for (q, &may) in serves[g].iter().enumerate().take(queues) {
                if may && !queue_pooled[q] {
                    queue_pooled[q] = true;
                    qs.push(q);
                    for (h, pool) in pool_of_group.iter_mut().enumerate() {
                        if serves[h][q] && pool.is_none() {
                            *pool = Some(id);
                            gs.push(h);
                        }
                    }
                }
            }
            k += 1;
        }
        gs.sort_unstable();
        qs.sort_unstable();
        out.push((gs, qs));
    }
    out.retain(|(_, qs)| !qs.is_empty());
    out
}

#[cfg(test)]
mod tests {
    use super::pools;

    #[test]
    fn pools_link_groups_through_shared_queues() {
        // g0: q0; g1: q0, q1; g2: q2; g3: nothing.
        let serves = vec![
            vec![true, false, false],
            vec![true, true, false],
            vec![false, false, true],
            vec![false, false, false],
        ];
        assert_eq!(
            pools(&serves, 4, 3),
            vec![(vec![0, 1], vec![0, 1]), (vec![2], vec![2])]
        );
    }
}
