//! Replications run in parallel: `plan` judges candidates and `schedule`
//! checks rosters with the same helper, so both run replications `jobs`
//! at a time and get results that do not depend on `jobs`.

use crate::engine::{run_replication, RunOptions};
use crate::events::EventSink;
use crate::scenario::Scenario;
use crate::stats::{MetricsCollector, ReplicationResult};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// Runs each `(scenario, replication)` task, `jobs` at a time, and
/// returns their results in task order.
pub fn run_replications(tasks: &[(Arc<Scenario>, u32)], jobs: usize) -> Vec<ReplicationResult> {
    let slots: Vec<Mutex<Option<ReplicationResult>>> =
        (0..tasks.len()).map(|_| Mutex::new(None)).collect();
    let next = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for _ in 0..jobs.clamp(1, tasks.len().max(1)) {
            scope.spawn(|| loop {
                let t = next.fetch_add(1, Ordering::SeqCst);
                let Some((scenario, r)) = tasks.get(t) else {
                    break;
                };
                let mut metrics = MetricsCollector::new(scenario);
                run_replication(
                    scenario.clone(),
                    &mut [&mut metrics as &mut dyn EventSink],
                    RunOptions {
                        replication: *r,
                        ..Default::default()
                    },
                );
                *slots[t].lock().expect("no panics while held") = Some(metrics.into_result());
            });
        }
    });
    slots
        .into_iter()
        .map(|s| {
            s.into_inner()
                .expect("threads joined")
                .expect("every task ran")
        })
        .collect()
}
