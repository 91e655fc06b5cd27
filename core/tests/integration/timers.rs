//! Moot timers are cancelled, not delivered: a push answered before its
//! timeout, a customer served before their patience ran out.

use crate::util::erlang_scenario;
use omnisim_core::distribution::Distribution;
use omnisim_core::engine::{run_replication, RunOptions, RunOutcome};
use omnisim_core::events::{EventKind, EventLog};
use omnisim_core::scenario::Scenario;
use omnisim_core::time::SimDuration;
use std::sync::Arc;

fn run(s: Scenario) -> (RunOutcome, EventLog) {
    let mut log = EventLog::default();
    let outcome = run_replication(Arc::new(s), &mut [&mut log], RunOptions::default());
    (outcome, log)
}

fn count(log: &EventLog, pick: impl Fn(&EventKind) -> bool) -> u64 {
    log.events.iter().filter(|e| pick(&e.kind)).count() as u64
}

/// Under auto-accept every served customer's patience timer is live when
/// the work is accepted (one that ran out earlier abandoned instead), so
/// each acceptance cancels exactly one timer.
#[test]
fn every_acceptance_cancels_the_customers_patience() {
    let (outcome, log) = run(erlang_scenario(10, 120.0, 300.0, Some(120.0), 3));
    let accepted = count(&log, |k| matches!(k, EventKind::WorkAccepted { .. }));
    let abandoned = count(&log, |k| matches!(k, EventKind::WorkAbandoned { .. }));
    assert!(accepted > 100 && abandoned > 5, "{accepted} {abandoned}");
    assert_eq!(outcome.timers_cancelled, accepted);
}

/// Without patience, a push that is answered cancels its push timeout;
/// one that is not answered is ended by it (and so cancels nothing).
#[test]
fn an_answered_push_cancels_its_timeout_and_an_unanswered_one_fires() {
    let mut s = erlang_scenario(10, 100.0, 300.0, None, 3);
    s.presence_configs[0].auto_accept = false;
    s.queues[0].routing.push_timeout = Some(SimDuration::from_secs(20));
    let b = &mut s.agents[0].behaviour;
    b.response_time = Distribution::Exponential { mean: 10.0 };
    b.no_answer_probability = 0.2;
    let (outcome, log) = run(s);
    let accepted = count(&log, |k| matches!(k, EventKind::WorkAccepted { .. }));
    let timed_out = count(&log, |k| {
        matches!(
            k,
            EventKind::WorkDeclined {
                on_push_timeout: true,
                ..
            }
        )
    });
    assert!(accepted > 100 && timed_out > 20, "{accepted} {timed_out}");
    assert_eq!(outcome.timers_cancelled, accepted);
}
