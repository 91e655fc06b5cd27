//! What an item costs in actor messages, toolkit calls and calendar
//! entries, counted by the engine (`RunOutcome::counts`, `engine.json`,
//! `omnisim bench`). The expected numbers are the engine's design: a
//! change that adds or removes a hand-over changes them, on purpose.

use crate::util::erlang_scenario;
use omnisim_core::engine::{run_replication, EngineCounts, RunOptions};
use omnisim_core::events::{EventKind, EventLog};
use std::sync::Arc;

/// An auto-accept day of 10 agents and no patience: every item arrives,
/// is pushed, accepted at once and closed by its behaviour's wake-up.
#[test]
fn an_auto_accept_item_costs_the_counted_messages() {
    let mut log = EventLog::default();
    let s = erlang_scenario(10, 100.0, 300.0, None, 3);
    let outcome = run_replication(Arc::new(s), &mut [&mut log], RunOptions::default());
    let count =
        |pick: fn(&EventKind) -> bool| log.events.iter().filter(|e| pick(&e.kind)).count() as u64;
    let arrived = count(|k| matches!(k, EventKind::WorkArrived { .. }));
    let assigned = count(|k| matches!(k, EventKind::WorkAssigned { .. }));
    let closed = count(|k| matches!(k, EventKind::WorkClosed { .. }));
    let logins = count(|k| matches!(k, EventKind::LoginSuccess { .. }));
    let c = outcome.counts;
    // What the counts must be, whatever the engine's design, from the
    // events: one item per arrival, one push per assignment.
    assert_eq!(c.items, arrived);
    assert_eq!(c.agent_pushes, assigned);
    assert_eq!((arrived, assigned, closed, logins), (327, 327, 320, 10));
    // The design: the item reaches the router, the push reaches the agent,
    // `closeAgentWork` (and each agent's login) travels to the agent as a
    // toolkit message, and each release (and login) is a notice to the
    // router; the calendar holds the arrival, the push, the `WorkAccepted`
    // console event, the wake-up that closes, and the notice.
    assert_eq!(
        c,
        EngineCounts {
            items: 327,
            router_arrivals: 327,
            router_notices: 10 + 320,
            router_timers: 0,
            agent_pushes: 327,
            agent_timers: 0,
            agent_actions: 0,
            toolkit_messages: 10 + 320,
            toolkit_in_handler: 0,
            entries_router: 10 + 320,
            entries_agent: 327,
            entries_behaviour: 10 + 320,
            entries_console: 327,
            entries_arrival: 327,
        }
    );
    assert_eq!(c.actor_messages(), 327 + 330 + 327 + 330);
    assert_eq!(c.calendar_entries(), 330 + 327 + 330 + 327 + 327);
    let per_item = c.per_item().expect("items arrived");
    assert!((per_item.actor_messages - 1314.0 / 327.0).abs() < 1e-4);
}
