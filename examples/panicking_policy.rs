//! A routing policy that panics, and what the run does about it.
//!
//! A library user's code runs inside the simulation: a [`RoutingPolicy`]
//! inside the router's handler, an agent behaviour inside the driver. If
//! it panics, the run must not hang or take the process down with a
//! backtrace: it ends, and the error names what panicked. This policy
//! routes like Most Available until its 100th decision, where it panics;
//! the replications run through the core's [`Runner`], which reports the
//! failure as `RunError::Panicked`.
//!
//! Run it with `cargo run --release --example panicking_policy`: it exits
//! with code 2 within moments, printing the panic it caught (after Rust's
//! own panic message on stderr).

use omnisim_core::engine::{run_replication, RunOptions};
use omnisim_core::omni::{AgentId, WorkItem};
use omnisim_core::routing::{AgentRouting, MostAvailablePolicy, RoutingPolicy};
use omnisim_core::runner::{RunError, Runner};
use omnisim_core::scenario::Scenario;
use omnisim_core::stats::MetricsCollector;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

/// Most Available, until the 100th decision.
#[derive(Default)]
struct Flaky {
    decisions: u32,
}

impl RoutingPolicy for Flaky {
    fn choose(&mut self, item: &WorkItem, eligible: &[&AgentRouting]) -> Option<AgentId> {
        self.decisions += 1;
        if self.decisions == 100 {
            panic!("the policy's 100th decision found no agent it liked");
        }
        MostAvailablePolicy.choose(item, eligible)
    }
}

fn main() -> ExitCode {
    let scenario = Scenario::from_toml_str_with_external_routing(
        include_str!("../tests/fixtures/external_desk.toml"),
        "external_desk.toml",
    )
    .expect("the example centre is valid");
    let scenario = Arc::new(scenario);
    let started = Instant::now();
    let result = Runner::new(2).run(&[0u32, 1, 2, 3], |&replication, stop| {
        let mut metrics = MetricsCollector::new(&scenario);
        let outcome = run_replication(
            scenario.clone(),
            &mut [&mut metrics],
            RunOptions {
                replication,
                stop: Some(stop.clone()),
                routing_policy: Some(Box::new(Flaky::default())),
                ..Default::default()
            },
        );
        outcome.check(&scenario)?;
        Ok(metrics.into_result().overall.answered)
    });
    let wall = started.elapsed().as_secs_f64();
    match result {
        Ok(answered) => {
            eprintln!("no replication panicked (answered: {answered:?}); the policy should have");
            ExitCode::from(1)
        }
        Err(e @ RunError::Panicked { .. }) => {
            eprintln!("error: {e} (the run ended after {wall:.2} s)");
            ExitCode::from(2)
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}
