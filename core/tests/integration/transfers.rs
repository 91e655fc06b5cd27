//! Transfers (omni-reference §12.7): an agent hands an accepted item on to
//! another queue part-way through handling; the item is answered once,
//! closed once by its last agent, and counted once in its first queue.

use crate::util::InvariantChecker;
use omnisim_core::engine::{run_replication, RunOptions};
use omnisim_core::events::{EventKind, EventLog};
use omnisim_core::omni::WorkItemId;
use omnisim_core::scenario::Scenario;
use omnisim_core::stats::{MetricsCollector, WorkRecorder, WORK_CSV_HEADER};
use std::collections::BTreeMap;
use std::sync::Arc;

/// Cards hands `cards` of its items to Loans after about 2 minutes; Loans
/// hands a fifth of what enters it back to Cards (so transfers chain).
fn scenario(cards: &str, loans: &str) -> Scenario {
    let text = format!(
        r#"
[simulation]
name = "transfers"
duration = "3h"
warmup = "15m"
seed = 5
replications = 1

[[channels]]
name = "phone"

[[statuses]]
name = "Available"
channels = ["phone"]

[[presence_configs]]
name = "Phone"
capacity = 1

[[queues]]
name = "Cards"
channel = "phone"
routing_model = "most_available"
capacity_weight = 1

[[queues]]
name = "Loans"
channel = "phone"
routing_model = "least_active"
capacity_weight = 1

[[arrivals]]
queue = "Cards"
rate_per_hour = 60
handle_time = {{ dist = "exponential", mean = "5m" }}
patience = {{ dist = "exponential", mean = "3m" }}
{cards}

[[arrivals]]
queue = "Loans"
rate_per_hour = 12
handle_time = {{ dist = "exponential", mean = "6m" }}
{loans}

[[agents]]
group = "Cards team"
count = 6
presence_config = "Phone"
status = "Available"
queues = ["Cards"]
wrap_up = "20s"

[[agents]]
group = "Loans team"
count = 4
presence_config = "Phone"
status = "Available"
queues = ["Loans"]
"#
    );
    Scenario::from_toml_str(&text, "transfers.toml").unwrap()
}

const CARDS: &str = r#"transfer = { probability = 0.3, to_queue = "Loans", after = { dist = "exponential", mean = "2m" } }"#;
const LOANS: &str = r#"transfer = { probability = 0.2, to_queue = "Cards", after = "1m" }"#;

struct Run {
    log: EventLog,
    checker: InvariantChecker,
    work_csv: String,
    result: omnisim_core::stats::ReplicationResult,
}

fn run(s: Scenario) -> Run {
    let s = Arc::new(s);
    let mut log = EventLog::default();
    let mut checker = InvariantChecker::new(&s);
    let mut work = WorkRecorder::new(Vec::new(), &s, 0).unwrap();
    let mut metrics = MetricsCollector::new(&s);
    run_replication(
        s.clone(),
        &mut [&mut log, &mut checker, &mut work, &mut metrics],
        RunOptions::default(),
    );
    Run {
        log,
        checker,
        work_csv: String::from_utf8(work.into_inner().unwrap()).unwrap(),
        result: metrics.into_result(),
    }
}

#[test]
fn transferred_items_are_answered_once_and_closed_once_by_their_last_agent() {
    let r = run(scenario(CARDS, LOANS));
    r.checker.assert_conserved();
    r.result.check_conservation().unwrap();

    // Per item: transfers, acceptances, closes (with the closing agent)
    // and the agent of its latest acceptance.
    let mut transfers: BTreeMap<WorkItemId, u32> = BTreeMap::new();
    let mut accepts: BTreeMap<WorkItemId, u32> = BTreeMap::new();
    let mut closes: BTreeMap<WorkItemId, Vec<u32>> = BTreeMap::new();
    let mut holder: BTreeMap<WorkItemId, u32> = BTreeMap::new();
    let mut chained = 0;
    for e in &r.log.events {
        match &e.kind {
            EventKind::WorkTransferred { item, agent, .. } => {
                assert_eq!(holder.get(item), Some(&agent.0), "the holder transfers");
                *transfers.entry(*item).or_default() += 1;
            }
            EventKind::WorkTransferredIn { item, .. }
                if transfers.get(item).copied().unwrap_or(0) > 1 =>
            {
                chained += 1;
            }
            EventKind::WorkAccepted { item, agent, .. } => {
                *accepts.entry(*item).or_default() += 1;
                holder.insert(*item, agent.0);
            }
            EventKind::WorkClosed { item, agent, .. } => {
                closes.entry(*item).or_default().push(agent.0);
            }
            _ => {}
        }
    }
    assert!(
        transfers.len() > 30,
        "{} items transferred",
        transfers.len()
    );
    assert!(chained > 0, "some items are transferred twice");
    for (item, n) in &transfers {
        if let Some(c) = closes.get(item) {
            assert_eq!(accepts[item], n + 1, "{item:?}: one acceptance per leg");
            assert_eq!(c.len(), 1, "{item:?} closed once");
            assert_eq!(c[0], holder[item], "{item:?} closed by its last agent");
        }
    }

    // work.csv: the transfers column matches the events; the agent column
    // is the agent who closed the item.
    let col = |name: &str| WORK_CSV_HEADER.iter().position(|h| *h == name).unwrap();
    let (c_item, c_agent, c_final, c_transfers) = (
        col("item"),
        col("agent"),
        col("final_status"),
        col("transfers"),
    );
    let mut rows = 0;
    for line in r.work_csv.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let item = WorkItemId(f[c_item].parse().unwrap());
        let n = transfers.get(&item).copied().unwrap_or(0);
        assert_eq!(f[c_transfers], n.to_string(), "{line}");
        if f[c_final] == "closed" {
            assert_eq!(f[c_agent], closes[&item][0].to_string(), "{line}");
        }
        rows += 1;
    }
    assert_eq!(rows, r.checker.arrived.len());

    // Transfers counted out of one queue and into the other; the target's
    // offered counts only its own arrivals.
    let (cards, loans) = (&r.result.queues[0], &r.result.queues[1]);
    assert!(cards.transferred_out > 0 && loans.transferred_in > 0);
    assert!(loans.transferred_out > 0 && cards.transferred_in > 0);
    assert_eq!(
        r.result.overall.transferred_out,
        r.result.overall.transferred_in
    );
    let arrived_in = |q: u32| {
        r.log
            .events
            .iter()
            .filter(|e| {
                matches!(&e.kind, EventKind::WorkArrived { queue, .. } if queue.0 == q)
                    && e.time.as_secs_f64() >= 900.0
                    && e.time.as_secs_f64() < 900.0 + 3.0 * 3600.0
            })
            .count() as u64
    };
    assert_eq!(loans.offered, arrived_in(1));
    assert_eq!(cards.offered, arrived_in(0));
}

#[test]
fn a_transferred_item_keeps_its_age_and_its_total_handle_time() {
    let r = run(scenario(CARDS, LOANS));
    let mut requested = BTreeMap::new();
    // Item → (handle time of the current leg, its acceptance).
    let mut leg = BTreeMap::new();
    let mut done = BTreeMap::new();
    let mut checked = 0;
    for e in &r.log.events {
        match &e.kind {
            EventKind::WorkArrived { item, .. } => {
                requested.insert(*item, e.time);
            }
            EventKind::WorkAssigned {
                item, requested_at, ..
            } => assert_eq!(
                Some(requested_at),
                requested.get(item),
                "{item:?} keeps its age"
            ),
            EventKind::WorkAccepted {
                item, handle_time, ..
            } => {
                leg.insert(*item, (*handle_time, e.time));
            }
            EventKind::WorkTransferred { item, .. } => {
                let (handle, at) = leg[item];
                let handled = e.time.since(at);
                assert!(
                    handled <= handle,
                    "{item:?}: handed on within its handle time"
                );
                done.insert(*item, (handle, handled));
            }
            EventKind::WorkTransferredIn {
                item, handle_time, ..
            } => {
                // What is left plus what was done is the leg's demand.
                let (handle, handled) = done[item];
                assert_eq!(handle_time.0 + handled.0, handle.0, "{item:?}");
                checked += 1;
            }
            _ => {}
        }
    }
    assert!(checked > 0);
}

#[test]
fn probability_zero_gives_byte_identical_results_to_no_key() {
    let zero = r#"transfer = { probability = 0, to_queue = "Loans", after = "2m" }"#;
    let a = run(scenario("", ""));
    let b = run(scenario(zero, ""));
    assert_eq!(a.work_csv, b.work_csv);
    let json = |r: &Run| {
        r.log
            .events
            .iter()
            .map(|e| serde_json::to_string(e).unwrap())
            .collect::<Vec<_>>()
    };
    assert_eq!(json(&a), json(&b));
    assert_eq!(a.result, b.result);
    assert!(a.log.events.iter().all(|e| !matches!(
        e.kind,
        EventKind::WorkTransferred { .. } | EventKind::WorkTransferredIn { .. }
    )));
}

/// Both legs measured: a transferred call's wait in the queue it was
/// transferred to (from the transfer to its acceptance there) is each
/// receiving queue's `transfer_wait_s`, by the interval of the transfer,
/// and each item's `transfer_wait_s` in work.csv.
#[test]
fn the_wait_after_a_transfer_is_measured_in_the_receiving_queue() {
    let r = run(scenario(CARDS, LOANS));
    let window = |t: f64| (900.0..900.0 + 3.0 * 3600.0).contains(&t);
    // Receiving queue → (sum, count) of answered waits after transfers in
    // the window; item → its waits after every transfer.
    let mut waits: BTreeMap<u32, (f64, u64)> = BTreeMap::new();
    let mut per_item: BTreeMap<WorkItemId, f64> = BTreeMap::new();
    let mut entered: BTreeMap<WorkItemId, (u32, f64)> = BTreeMap::new();
    for e in &r.log.events {
        let t = e.time.as_secs_f64();
        match &e.kind {
            EventKind::WorkTransferredIn { item, queue, .. } => {
                entered.insert(*item, (queue.0, t));
                per_item.entry(*item).or_default();
            }
            EventKind::WorkAccepted { item, .. } => {
                if let Some((q, at)) = entered.remove(item) {
                    *per_item.get_mut(item).unwrap() += t - at;
                    if window(at) {
                        let w = waits.entry(q).or_default();
                        w.0 += t - at;
                        w.1 += 1;
                    }
                }
            }
            _ => {}
        }
    }
    for (q, (sum, n)) in &waits {
        let m = r.result.queues[*q as usize].transfer_wait_s.unwrap();
        assert!(
            (m - sum / *n as f64).abs() < 1e-6,
            "queue {q}: {m} vs {}",
            sum / *n as f64
        );
    }
    assert!(
        waits.values().map(|w| w.0).sum::<f64>() > 0.0,
        "someone waited"
    );
    assert!(waits.len() == 2, "both queues receive transfers");
    let col = |name: &str| WORK_CSV_HEADER.iter().position(|h| *h == name).unwrap();
    let (c_item, c_wait) = (col("item"), col("transfer_wait_s"));
    for line in r.work_csv.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let item = WorkItemId(f[c_item].parse().unwrap());
        match per_item.get(&item) {
            Some(w) => {
                let cell: f64 = f[c_wait].parse().unwrap();
                assert!((cell - w).abs() < 1e-6, "{line}");
            }
            None => assert_eq!(f[c_wait], "", "{line}"),
        }
    }
}
