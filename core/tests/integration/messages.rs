//! What an item costs in actor messages, toolkit calls and calendar
//! entries, counted by the engine (`RunOutcome::counts`, `engine.json`,
//! `omnisim bench`). The expected numbers are the engine's design: a
//! change that adds or removes a hand-over changes them, on purpose.

use crate::util::erlang_scenario;
use omnisim_core::engine::{run_replication, EngineCounts, Idle, RunOptions, Simulation};
use omnisim_core::events::{EventKind, EventLog};
use omnisim_core::omni::{AgentId, QueueId};
use omnisim_core::time::SimDuration;
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
    // toolkit message. A close leaves the freed capacity in the routing
    // view and wakes the router only when items wait (each login is a
    // notice too). The calendar holds the arrival, the push, the
    // `WorkAccepted` console event, the wake-up that closes, and the
    // freed capacity.
    assert_eq!(
        c,
        EngineCounts {
            items: 327,
            router_arrivals: 327,
            // The logins, and the 89 closes that found items waiting.
            router_notices: 10 + 89,
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
    assert_eq!(c.actor_messages(), 327 + 99 + 327 + 330);
    assert_eq!(c.calendar_entries(), 330 + 327 + 330 + 327 + 327);
    let per_item = c.per_item().expect("items arrived");
    assert!((per_item.actor_messages - 1083.0 / 327.0).abs() < 1e-4);
}

/// Two items for one agent of capacity 1: the second waits. Closing the
/// first wakes the router, which pushes the second at that instant;
/// closing the second, with nothing waiting, sends the router nothing,
/// and the router still counts the capacity free for the next item.
#[test]
fn a_close_wakes_the_router_only_when_items_wait() {
    let mut s = crate::util::base(1);
    s.arrivals[0].rate = omnisim_core::scenario::ArrivalRate::Constant(0.0);
    s.agents[0].count = 1;
    s.presence_configs[0].auto_accept = true;
    actix::System::new().block_on(async move {
        let mut sim = Simulation::new(Arc::new(s), 0, |_| Idle);
        let mut log = EventLog::default();
        let tk = sim.toolkit(AgentId(0));
        tk.login("0N5000000000000").await.unwrap();
        settle(&mut sim, &mut log).await;
        for _ in 0..2 {
            sim.inject_work(QueueId(0), SimDuration::from_secs(60), None);
        }
        settle(&mut sim, &mut log).await;
        let notices = |sim: &Simulation<Idle>| sim.counts().router_notices;
        let before = notices(&sim);
        let works = tk.get_agent_works().await.unwrap();
        assert_eq!(works.len(), 1, "one pushed, one waiting");
        tk.close_agent_work(&works[0].work_id).await.unwrap();
        let closed_at = sim.now();
        settle(&mut sim, &mut log).await;
        assert_eq!(notices(&sim), before + 1, "the router was woken");
        let assigned: Vec<_> = log
            .events
            .iter()
            .filter(|e| matches!(e.kind, EventKind::WorkAssigned { .. }))
            .map(|e| e.time)
            .collect();
        assert_eq!(assigned.len(), 2);
        assert_eq!(assigned[1], closed_at, "pushed at the close");

        let works = tk.get_agent_works().await.unwrap();
        tk.close_agent_work(&works[0].work_id).await.unwrap();
        settle(&mut sim, &mut log).await;
        assert_eq!(notices(&sim), before + 1, "nothing waited: no message");
        // The freed capacity is the router's all the same.
        sim.inject_work(QueueId(0), SimDuration::from_secs(60), None);
        settle(&mut sim, &mut log).await;
        assert_eq!(tk.get_agent_works().await.unwrap().len(), 1);
        assert_eq!(sim.counts().entries_router, 1 + 3 + 2);
    });
}

/// Processes everything due at the current instant.
async fn settle(sim: &mut Simulation<Idle>, log: &mut EventLog) {
    let t = sim.now() + SimDuration(1);
    sim.run_until(t, &mut [log]).await;
}
