//! The Erlang-equivalent centre must reproduce Erlang C (issue: core engine).

use crate::util::{erlang_scenario, InvariantChecker, Tally};
use omnisim_core::engine::{run_replication, RunOptions};
use omnisim_core::events::EventSink;
use omnisim_core::time::{SimDuration, SimTime};
use std::sync::Arc;

#[test]
fn twenty_agents_two_hundred_per_hour_matches_erlang_c() {
    // 2,000 simulated hours ≈ 400,000 items: standard errors well inside
    // the tolerances (p_wait ±0.02, ASA ±10%, SL ±0.02).
    let s = erlang_scenario(20, 200.0, 300.0, None, 2000);
    let from = SimTime::ZERO + s.simulation.warmup;
    let mut tally = Tally::new(from, SimDuration::from_secs(20));
    let mut check = InvariantChecker::new(&s);
    let started = std::time::Instant::now();
    let out = run_replication(
        Arc::new(s),
        &mut [&mut tally as &mut dyn EventSink, &mut check],
        RunOptions::default(),
    );
    eprintln!(
        "erlang smoke: {} items, {} events in {:.2?}; p_wait {:.4} asa {:.2} sl {:.4}",
        tally.offered,
        out.events,
        started.elapsed(),
        tally.p_wait(),
        tally.asa(),
        tally.sl()
    );
    check.assert_conserved();
    assert!(
        (tally.p_wait() - 0.33812).abs() < 0.02,
        "p_wait {}",
        tally.p_wait()
    );
    assert!(
        (tally.asa() - 30.431).abs() / 30.431 < 0.10,
        "asa {}",
        tally.asa()
    );
    assert!((tally.sl() - 0.72925).abs() < 0.02, "sl {}", tally.sl());
}
