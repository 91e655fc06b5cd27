//! Same scenario and seed → the same event log; another seed → another.

use crate::util::base;
use omnisim_core::engine::{run_replication, RunOptions};
use omnisim_core::events::EventLog;
use omnisim_core::scenario::Scenario;
use omnisim_core::time::SimDuration;
use std::sync::Arc;

fn busy_centre(seed: u64) -> Scenario {
    let mut s = base(3);
    s.simulation.seed = seed;
    s.agents[0].count = 6;
    s.presence_configs[0].capacity = 2;
    s.presence_configs[0].allow_decline = true;
    s.presence_configs[0].status_on_push_timeout = Some(omnisim_core::omni::StatusId(1));
    s.queues[0].routing.push_timeout = Some(SimDuration::from_secs(20));
    s.agents[0].behaviour.accept_probability = 0.8;
    s.agents[0].behaviour.no_answer_probability = 0.1;
    s.agents[0].behaviour.return_to_status_after = Some(SimDuration::from_secs(90));
    s.agents[0].behaviour.response_time =
        omnisim_core::distribution::Distribution::Exponential { mean: 8.0 };
    s.arrivals[0].patience =
        Some(omnisim_core::distribution::Distribution::Exponential { mean: 180.0 });
    s.arrivals[0].rate = omnisim_core::scenario::ArrivalRate::Constant(150.0);
    s
}

fn log_of(s: Scenario, replication: u32) -> Vec<String> {
    let mut log = EventLog::default();
    run_replication(
        Arc::new(s),
        &mut [&mut log],
        RunOptions {
            replication,
            ..Default::default()
        },
    );
    log.events
        .iter()
        .map(|e| serde_json::to_string(e).unwrap())
        .collect()
}

#[test]
fn same_seed_gives_identical_event_logs() {
    let a = log_of(busy_centre(11), 0);
    let b = log_of(busy_centre(11), 0);
    assert!(
        a.len() > 1000,
        "a busy centre should produce many events, got {}",
        a.len()
    );
    assert_eq!(a, b);
}

#[test]
fn different_seed_or_replication_gives_a_different_log() {
    let a = log_of(busy_centre(11), 0);
    assert_ne!(a, log_of(busy_centre(12), 0));
    assert_ne!(a, log_of(busy_centre(11), 1));
}

#[test]
fn replications_are_independent_of_the_thread_that_runs_them() {
    let here = log_of(busy_centre(5), 3);
    let there = std::thread::spawn(|| log_of(busy_centre(5), 3))
        .join()
        .unwrap();
    assert_eq!(here, there);
}
