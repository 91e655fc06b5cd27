//! The validation suite: every Erlang-equivalent case of
//! `omnisim::validation::cases()` must agree with Erlang C / Erlang A
//! (analytic value inside the simulated 99% interval, or within the stated
//! tolerance). `omnisim validate --markdown docs/VALIDATION.md` prints the
//! same comparison as a table.

use omnisim::validation::{cases, run_case};

#[test]
fn the_simulator_agrees_with_erlang_c_and_erlang_a() {
    let all = cases();
    assert!(all.len() >= 12);
    let agents: Vec<u32> = all
        .iter()
        .map(|c| c.centre.agents * c.centre.capacity)
        .collect();
    assert!(
        agents.contains(&1) && agents.iter().any(|a| *a >= 500),
        "spans 1 to 500 agents"
    );
    let jobs = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut failures = Vec::new();
    for case in &all {
        let r = run_case(case, 2026, jobs);
        for k in &r.checks {
            eprintln!(
                "{:<55} {:<14} analytic {:>10.5} simulated {:>10.5} [{:.5}, {:.5}] {}",
                r.case.name,
                k.metric,
                k.analytic,
                k.mean,
                k.low,
                k.high,
                if k.passed { "ok" } else { "FAIL" }
            );
            if !k.passed {
                failures.push(format!("{} {}", r.case.name, k.metric));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "outside 99% CI and tolerance: {failures:?}"
    );
}

/// Capacity is not only head-count: 10 agents of capacity 2 taking weight-1
/// items, and 10 agents of capacity 1 taking 50% items, are both 20
/// servers. With the same random streams they must give the same figures.
#[test]
fn percentage_fifty_on_capacity_one_equals_weight_one_on_capacity_two() {
    use omnisim::engine::{run_replication, RunOptions};
    use omnisim::omni::CapacityCost;
    use omnisim::stats::MetricsCollector;
    use omnisim::validation::ErlangCentre;
    use std::sync::Arc;

    let run = |capacity, cost| {
        let centre = ErlangCentre {
            agents: 10,
            capacity,
            cost,
            rate_per_hour: 200.0,
            aht_s: 300.0,
            patience_s: Some(300.0),
            threshold_s: 20.0,
            skills_routed: false,
            wrap_up_s: None,
        };
        let s = Arc::new(centre.scenario("k", 100.0, 1.0, 3, 1));
        let mut m = MetricsCollector::new(&s);
        run_replication(s, &mut [&mut m], RunOptions::default());
        let o = m.into_result().overall;
        (
            o.offered,
            o.answered,
            o.abandoned,
            o.service_level,
            o.asa_s,
            o.p_wait,
            o.occupancy,
        )
    };
    let by_weight = run(2, CapacityCost::Weight(1));
    let by_percentage = run(1, CapacityCost::Percentage(50.0));
    assert!(by_weight.0 > 10_000);
    assert_eq!(by_weight, by_percentage);
}
