//! Capacity is not effort (omni-reference §12.4, §12.5): a paused item is
//! not worked, and interruptible work of an `"idle"` channel is worked only
//! while its agent has no primary work in progress.

use crate::util::InvariantChecker;
use omnisim_core::engine::{run_replication, synthetic_behaviour, RunOptions, Simulation};
use omnisim_core::events::{EventKind, EventLog};
use omnisim_core::omni::{AgentId, QueueId};
use omnisim_core::scenario::Scenario;
use omnisim_core::stats::MetricsCollector;
use omnisim_core::time::{SimDuration, SimTime};
use std::sync::Arc;

/// The reproducer: one agent of capacity 1 on a status-based email
/// channel whose paused items cost nothing, pausing every item for 5
/// minutes halfway through its 20 minutes; 12 arrivals an hour for 4
/// hours. At most 12 items of 20 minutes fit in 4 hours of one agent.
const PAUSING: &str = r#"
[simulation]
name = "pausing"
duration = "4h"
seed = 1
replications = 1

[[channels]]
name = "email"
capacity_model = "status"

[[statuses]]
name = "Available"
channels = ["email"]

[[presence_configs]]
name = "Email"
capacity = 1

[[queues]]
name = "Email"
channel = "email"
routing_model = "most_available"
capacity_weight = 1
paused_capacity_weight = 0

[[arrivals]]
queue = "Email"
rate_per_hour = 12
handle_time = "20m"

[[agents]]
group = "Back office"
count = 1
presence_config = "Email"
status = "Available"
pause_probability = 1.0
pause_duration = "5m"
"#;

#[test]
fn a_paused_item_is_not_worked_and_resumes_only_when_its_cost_fits() {
    let s = Arc::new(Scenario::from_toml_str(PAUSING, "pausing.toml").unwrap());
    let mut check = InvariantChecker::new(&s);
    let mut metrics = MetricsCollector::new(&s);
    let mut log = EventLog::default();
    run_replication(
        s.clone(),
        &mut [&mut check, &mut metrics, &mut log],
        RunOptions::default(),
    );
    check.assert_conserved();
    let e = &check.effort;
    // Every close checked against its 20 minutes of work, and the agent
    // never worked two items at once (it did for 13,164 of 14,400 s when
    // a paused item's handle time ran on).
    assert!(e.closes_checked >= 10, "{}", e.closes_checked);
    assert_eq!(e.doubled_s, 0.0);
    // The agent took another item during a pause, so the first could not
    // resume at once: it waited for the room.
    assert!(e.resumes_waited > 0);
    let result = metrics.into_result();
    let handled = result.agents[0].items_handled;
    assert!(
        (10..=12).contains(&handled),
        "{handled} items of 20 minutes in 4 hours"
    );
    // Each item is closed 20 minutes of work plus its pause (and any wait
    // to resume) after its acceptance: never sooner than 25 minutes.
    let mut accepted = std::collections::BTreeMap::new();
    for ev in &log.events {
        match &ev.kind {
            EventKind::WorkAccepted { work, .. } => {
                accepted.insert(*work, ev.time);
            }
            EventKind::WorkClosed { work, .. } => {
                let held = ev.time.since(accepted[work]);
                assert!(
                    held >= SimDuration::from_secs(25 * 60),
                    "{work:?} held {held:?}"
                );
            }
            _ => {}
        }
    }
}

/// One agent taking chats (primary) and, on the side, emails
/// (interruptible), both auto-accepted; no arrivals: items are injected.
fn blended(progress: &str) -> Scenario {
    let text = format!(
        r#"
[simulation]
name = "blended"
duration = "1h"
seed = 1

[[channels]]
name = "chat"

[[channels]]
name = "email"
interruptible = true
interruptible_progress = "{progress}"

[[statuses]]
name = "Available"
channels = ["chat", "email"]

[[presence_configs]]
name = "Blended"
capacity = 1
interruptible_capacity = 1
auto_accept = true

[[queues]]
name = "Chat"
channel = "chat"
routing_model = "most_available"
capacity_weight = 1

[[queues]]
name = "Email"
channel = "email"
routing_model = "most_available"
capacity_weight = 1

[[agents]]
group = "Blended"
count = 1
presence_config = "Blended"
status = "Available"
"#
    );
    Scenario::from_toml_str(&text, "blended.toml").unwrap()
}

/// An email of 10 minutes taken just after 0, a chat of 5 minutes at
/// minute 2: how long after its acceptance the email closes, and the
/// `WorkInterrupted` events (minute, interrupted).
fn email_close(
    progress: &str,
) -> (
    f64,
    Vec<(f64, bool)>,
    InvariantChecker,
    omnisim_core::stats::ReplicationResult,
) {
    let s = Arc::new(blended(progress));
    let behaviours = s.clone();
    let mut log = EventLog::default();
    let mut check = InvariantChecker::new(&s);
    let mut metrics = MetricsCollector::new(&s);
    actix::System::new().block_on(async {
        let mut sim = Simulation::new(s.clone(), 0, |seat| synthetic_behaviour(&behaviours, seat));
        let at = |m: u64| SimTime::ZERO + SimDuration::from_secs(m * 60);
        sim.run_until(
            at(0) + SimDuration(1),
            &mut [&mut log, &mut check, &mut metrics],
        )
        .await;
        sim.inject_work(QueueId(1), SimDuration::from_secs(600), None);
        sim.run_until(at(2), &mut [&mut log, &mut check, &mut metrics])
            .await;
        sim.inject_work(QueueId(0), SimDuration::from_secs(300), None);
        sim.run_until(at(30), &mut [&mut log, &mut check, &mut metrics])
            .await;
        sim.finish(at(30), &mut [&mut log, &mut check, &mut metrics]);
    });
    let minutes = |t: SimTime| t.since(SimTime::ZERO).as_secs_f64() / 60.0;
    let closed = log
        .events
        .iter()
        .find_map(|e| match e.kind {
            EventKind::WorkClosed {
                queue: QueueId(1),
                accepted_at,
                ..
            } => Some(e.time.since(accepted_at).as_secs_f64() / 60.0),
            _ => None,
        })
        .expect("the email is closed");
    let interruptions = log
        .events
        .iter()
        .filter_map(|e| match e.kind {
            EventKind::WorkInterrupted {
                agent, interrupted, ..
            } => {
                assert_eq!(agent, AgentId(0));
                Some((minutes(e.time), interrupted))
            }
            _ => None,
        })
        .collect();
    (closed, interruptions, check, metrics.into_result())
}

#[test]
fn an_interruptible_email_waits_while_a_chat_is_in_progress() {
    let (closed, interruptions, check, result) = email_close("idle");
    // 2 minutes of work, 5 minutes set aside for the chat, 8 more.
    assert_eq!(closed, 15.0);
    assert_eq!(interruptions, [(2.0, true), (7.0, false)]);
    check.assert_conserved();
    assert_eq!(check.effort.interruptions, 1);
    // Reported per agent (agents.csv) and per queue (summary.json).
    assert_eq!(result.agents[0].interrupted_s, 300.0);
    assert_eq!(result.queues[1].interrupted_s, Some(300.0));
    assert_eq!(
        result.queues[0].interrupted_s,
        Some(0.0),
        "chats are never set aside"
    );
}

#[test]
fn with_parallel_progress_the_email_is_worked_beside_the_chat() {
    let (closed, interruptions, check, result) = email_close("parallel");
    assert_eq!(closed, 10.0);
    assert!(interruptions.is_empty());
    check.assert_conserved();
    assert_eq!(result.agents[0].interrupted_s, 0.0);
    assert_eq!(result.queues[1].interrupted_s, Some(0.0));
}
