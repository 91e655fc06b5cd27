//! Checking a roster the way `run` would: the scenario read again with
//! every group's agents from the roster file, its own replications and
//! seed, every target judged in every interval on its mean over the
//! replications (pooled over the queue's `target_window`), and, where one
//! is missed, the cut that raises a requirement for the next solve.

use crate::plan::verdict::{queue_targets, Tally};
use crate::runner::RunError;
use crate::scenario::Scenario;
use crate::stats::{estimate_defined, ReplicationResult, TargetMetric};
use std::sync::Arc;

/// A target missed in one interval.
#[derive(Clone, Debug, PartialEq)]
pub struct Miss {
    /// The interval, from 0.
    pub interval: usize,
    /// The queue, scenario order.
    pub queue: usize,
    /// The target's metric.
    pub metric: TargetMetric,
    /// The target.
    pub target: f64,
    /// The mean reached over the replications.
    pub mean: f64,
}

/// Runs the scenario's replications of `scenario` (with the roster in
/// place), `jobs` at a time.
pub fn simulate(scenario: &Scenario, jobs: usize) -> Result<Vec<ReplicationResult>, RunError> {
    let shared = Arc::new(scenario.clone());
    let tasks: Vec<(Arc<Scenario>, u32)> = (0..scenario.simulation.replications)
        .map(|r| (shared.clone(), r))
        .collect();
    crate::plan::replications::run_replications(&tasks, jobs)
}

/// Every target missed in any interval, judged on the mean over the
/// replications of the figure pooled over the queue's window.
pub fn misses(s: &Scenario, reps: &[ReplicationResult]) -> Vec<Miss> {
    let intervals = reps.iter().map(|r| r.intervals.len()).max().unwrap_or(0);
    let mut out = Vec::new();
    for i in 0..intervals {
        for q in 0..s.queues.len() {
            let first = s.queues[q]
                .targets
                .window
                .first_interval(i, s.simulation.interval);
            let pooled: Vec<crate::stats::QueueMetrics> = reps
                .iter()
                .map(|r| {
                    r.intervals[first.min(r.intervals.len())..=i.min(r.intervals.len() - 1)]
                        .iter()
                        .filter_map(|iv| iv.queues.get(q))
                        .fold(Tally::default(), |t, m| t.plus(&Tally::of(m)))
                        .figures()
                })
                .collect();
            for (metric, target) in queue_targets(s, q) {
                let values: Vec<Option<f64>> = pooled
                    .iter()
                    .map(|m| match metric {
                        TargetMetric::ServiceLevel => m.service_level,
                        TargetMetric::AbandonRate => m.p_abandon,
                        TargetMetric::Asa => m.asa_s,
                        TargetMetric::AgentsOccupancy => m.agents_occupancy,
                    })
                    .collect();
                let Some(e) = estimate_defined(&values) else {
                    continue;
                };
                if !metric.bound().accepts(e.mean, target) {
                    out.push(Miss {
                        interval: i,
                        queue: q,
                        metric,
                        target,
                        mean: e.mean,
                    });
                }
            }
        }
    }
    out
}

/// The group a cut raises for a missed target: of the groups that may
/// take the queue's work and are below `max` in the interval, the
/// cheapest per hour; on a tie, the one with the most agents required
/// there (the queue's main server), then the first listed.
pub fn group_to_raise(
    serves: &[Vec<bool>],
    cost: &[f64],
    requirement: &[Vec<u32>],
    max: &[u32],
    miss: &Miss,
) -> Option<usize> {
    (0..serves.len())
        .filter(|&g| serves[g][miss.queue] && requirement[g][miss.interval] < max[g])
        .min_by(|&a, &b| {
            cost[a]
                .total_cmp(&cost[b])
                .then(requirement[b][miss.interval].cmp(&requirement[a][miss.interval]))
                .then(a.cmp(&b))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cut_raises_the_cheapest_group_that_may_take_the_work() {
        let serves = vec![vec![true], vec![true], vec![false]];
        let miss = Miss {
            interval: 1,
            queue: 0,
            metric: TargetMetric::ServiceLevel,
            target: 0.8,
            mean: 0.7,
        };
        let req = vec![vec![3, 3], vec![5, 5], vec![9, 9]];
        // Equal costs: the main server.
        assert_eq!(
            group_to_raise(&serves, &[1.0, 1.0, 0.5], &req, &[10, 10, 10], &miss),
            Some(1)
        );
        // A cheaper one first.
        assert_eq!(
            group_to_raise(&serves, &[0.9, 1.0, 0.5], &req, &[10, 10, 10], &miss),
            Some(0)
        );
        // Full groups are skipped.
        assert_eq!(
            group_to_raise(&serves, &[0.9, 1.0, 0.5], &req, &[3, 5, 10], &miss),
            None
        );
    }
}
