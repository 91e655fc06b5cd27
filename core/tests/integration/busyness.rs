//! `[simulation] busyness`: one factor per replication on every arrival
//! rate, so replications vary more than Poisson arrivals alone.

use crate::util::erlang_scenario;
use omnisim_core::arrivals::busyness_factor;
use omnisim_core::engine::{run_replication, RunOptions};
use omnisim_core::events::EventLog;
use omnisim_core::scenario::{Busyness, BusynessDist, Scenario};
use omnisim_core::stats::{MetricsCollector, ReplicationResult};
use std::sync::Arc;

/// 400 items an hour for an hour, plenty of agents.
fn centre(busyness: Option<Busyness>) -> Scenario {
    let mut s = erlang_scenario(20, 400.0, 60.0, None, 1);
    s.simulation.busyness = busyness;
    s
}

fn run(s: &Arc<Scenario>, replication: u32) -> (ReplicationResult, Vec<String>) {
    let mut metrics = MetricsCollector::new(s);
    let mut log = EventLog::default();
    run_replication(
        s.clone(),
        &mut [&mut metrics, &mut log],
        RunOptions {
            replication,
            ..Default::default()
        },
    );
    let events = log
        .events
        .iter()
        .map(|e| serde_json::to_string(e).unwrap())
        .collect();
    (metrics.into_result(), events)
}

fn variance(xs: &[f64]) -> (f64, f64) {
    let n = xs.len() as f64;
    let mean = xs.iter().sum::<f64>() / n;
    let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
    (mean, var)
}

#[test]
fn a_cv_of_zero_is_no_busyness_at_all() {
    let none = Arc::new(centre(None));
    for dist in [BusynessDist::Gamma, BusynessDist::LogNormal] {
        let flat = Arc::new(centre(Some(Busyness { dist, cv: 0.0 })));
        for r in 0..3 {
            assert_eq!(run(&none, r), run(&flat, r), "replication {r}");
        }
    }
}

#[test]
fn busy_days_spread_the_offered_count_beyond_poisson() {
    const REPS: u32 = 60;
    let gamma = Busyness {
        dist: BusynessDist::Gamma,
        cv: 0.3,
    };
    let busy = Arc::new(centre(Some(gamma)));
    let plain = Arc::new(centre(None));
    let offered = |s: &Arc<Scenario>| -> Vec<f64> {
        (0..REPS)
            .map(|r| run(s, r).0.overall.offered as f64)
            .collect()
    };
    let (busy_counts, plain_counts) = (offered(&busy), offered(&plain));
    // Poisson alone: variance ≈ mean (400). With a day factor of cv 0.3
    // the variance is about 400 + 0.09 · 400² ≈ 14 800.
    let (mean, var) = variance(&plain_counts);
    assert!(var < 2.0 * mean, "Poisson: mean {mean}, variance {var}");
    let (mean, var) = variance(&busy_counts);
    assert!(var > 5.0 * mean, "busy days: mean {mean}, variance {var}");
    assert!((mean - 400.0).abs() < 60.0, "mean 1 on average: {mean}");
    // Each replication's count follows the factor it drew (the one the
    // summary reports).
    let seed = busy.simulation.seed;
    for (r, n) in busy_counts.iter().enumerate() {
        let expected = 400.0 * busyness_factor(&gamma, seed, r as u32);
        assert!(
            (n - expected).abs() < 5.0 * expected.sqrt() + 1.0,
            "replication {r}: {n} items, expected about {expected}"
        );
    }
}
