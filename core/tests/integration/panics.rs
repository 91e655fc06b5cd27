//! Code inside a run that panics (a routing policy in the router's
//! handler, an agent behaviour in the driver, a sink) ends the run with an
//! error naming it, through the runner, instead of hanging the driver.
//!
//! Each run goes on a thread of its own and is given two minutes: a
//! regression would otherwise hang the test suite rather than fail it.

use omnisim_core::behaviour::{AgentBehaviour, AgentContext, BehaviourEvent};
use omnisim_core::engine::{run_replication, run_with_behaviours, synthetic_behaviour, RunOptions};
use omnisim_core::events::{EventKind, EventSink, SimEvent};
use omnisim_core::omni::{AgentId, WorkItem};
use omnisim_core::routing::{AgentRouting, MostAvailablePolicy, RoutingPolicy};
use omnisim_core::runner::{RunError, Runner};
use omnisim_core::scenario::Scenario;
use std::sync::mpsc;
use std::sync::Arc;
use std::time::Duration;

fn external_desk() -> Arc<Scenario> {
    let text = crate::util::fixture_text("external_desk.toml");
    Arc::new(Scenario::from_toml_str_with_external_routing(&text, "external_desk.toml").unwrap())
}

/// Runs `f` on its own thread and waits for it, or fails when it hangs.
fn bounded<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(Duration::from_secs(120))
        .expect("the run ended instead of hanging")
}

struct Flaky(u32);

impl RoutingPolicy for Flaky {
    fn choose(&mut self, item: &WorkItem, eligible: &[&AgentRouting]) -> Option<AgentId> {
        self.0 += 1;
        if self.0 == 100 {
            panic!("decision {} went wrong", self.0);
        }
        MostAvailablePolicy.choose(item, eligible)
    }
}

#[test]
fn a_panicking_routing_policy_ends_the_run_with_the_router_named() {
    let err = bounded(|| {
        let s = external_desk();
        Runner::new(2).run(&[0u32, 1, 2], |&replication, stop| {
            let outcome = run_replication(
                s.clone(),
                &mut [],
                RunOptions {
                    replication,
                    stop: Some(stop.clone()),
                    routing_policy: Some(Box::new(Flaky(0))),
                    ..Default::default()
                },
            );
            outcome.check(&s)?;
            Ok(outcome.events)
        })
    })
    .unwrap_err();
    match err {
        RunError::Panicked {
            replication,
            message,
        } => {
            // Two threads: whichever replication panicked first stopped the
            // other, so either may be the one reported.
            assert!(replication < 2, "{replication}");
            assert_eq!(message, "the router panicked: decision 100 went wrong");
        }
        e => panic!("{e:?}"),
    }
}

#[test]
fn the_outcome_of_a_panicked_replication_says_so_and_stops_early() {
    let s = external_desk();
    let outcome = bounded(move || {
        run_replication(
            s,
            &mut [],
            RunOptions {
                routing_policy: Some(Box::new(Flaky(0))),
                ..Default::default()
            },
        )
    });
    let p = outcome.panic.expect("the panic is reported");
    assert_eq!(p.culprit, "the router");
    assert!(outcome.interrupted);
}

/// The synthetic behaviour, panicking at its agent's 30th push.
struct Brittle<B> {
    inner: B,
    pushes: u32,
}

impl<B: AgentBehaviour> AgentBehaviour for Brittle<B> {
    fn wants(&self, event: &EventKind) -> bool {
        matches!(event, EventKind::WorkAssigned { .. }) || self.inner.wants(event)
    }

    async fn handle(&mut self, event: BehaviourEvent, ctx: &AgentContext) {
        if let BehaviourEvent::Console(EventKind::WorkAssigned { .. }) = &event {
            self.pushes += 1;
            assert!(self.pushes < 30, "agent {} had enough", ctx.agent().0);
        }
        self.inner.handle(event, ctx).await
    }
}

#[test]
fn a_panicking_behaviour_ends_the_run_with_its_agent_named() {
    let outcome = bounded(|| {
        let s = Arc::new(crate::util::erlang_scenario(3, 60.0, 120.0, None, 8));
        let made = s.clone();
        run_with_behaviours(
            s,
            move |seat| Brittle {
                inner: synthetic_behaviour(&made, seat),
                pushes: 0,
            },
            &mut [],
            RunOptions::default(),
        )
    });
    let p = outcome.panic.expect("the panic is reported");
    assert!(p.culprit.starts_with("the behaviour of agent "), "{p}");
    assert!(p.message.ends_with("had enough"), "{p}");
}

/// A sink that fails on its 1,000th event.
#[derive(Default)]
struct Fragile(u32);

impl EventSink for Fragile {
    fn on_event(&mut self, _: &SimEvent) {
        self.0 += 1;
        assert!(self.0 < 1000, "sink full");
    }
}

#[test]
fn a_panicking_sink_is_reported_against_its_replication() {
    let err = bounded(|| {
        let s = Arc::new(crate::util::erlang_scenario(3, 60.0, 120.0, None, 8));
        Runner::new(1).run(&[4u32], |&replication, stop| {
            let mut sink = Fragile::default();
            run_replication(
                s.clone(),
                &mut [&mut sink],
                RunOptions {
                    replication,
                    stop: Some(stop.clone()),
                    ..Default::default()
                },
            )
            .check(&s)
        })
    })
    .unwrap_err();
    assert_eq!(
        err,
        RunError::Panicked {
            replication: 4,
            message: "sink full".into()
        }
    );
}
