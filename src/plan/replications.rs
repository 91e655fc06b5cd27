//! Replications for `plan` and `schedule`, run by the core's
//! [`Runner`]: up to `jobs` at a time, results in task order whatever the
//! threads, and a stall or a panic inside a run returned as the
//! [`RunError`] that says which replication and why.

use crate::engine::{run_replication, RunOptions};
use crate::runner::{RunError, Runner};
use crate::scenario::Scenario;
use crate::stats::{MetricsCollector, ReplicationResult};
use std::sync::Arc;

/// Runs each `(scenario, replication)` task, `jobs` at a time, and
/// returns their results in task order.
pub fn run_replications(
    tasks: &[(Arc<Scenario>, u32)],
    jobs: usize,
) -> Result<Vec<ReplicationResult>, RunError> {
    Runner::new(jobs).run(tasks, |(scenario, replication), stop| {
        let mut metrics = MetricsCollector::new(scenario);
        let outcome = run_replication(
            scenario.clone(),
            &mut [&mut metrics],
            RunOptions {
                replication: *replication,
                stop: Some(stop.clone()),
                ..Default::default()
            },
        );
        outcome.check(scenario)?;
        Ok(metrics.into_result())
    })
}
