//! `arrivals[].retrial`: customers who abandon come back as new attempts
//! with the same need; every attempt is an item that ends exactly once.

use crate::util::InvariantChecker;
use omnisim_core::engine::{run_replication, RunOptions};
use omnisim_core::events::{EventKind, EventLog};
use omnisim_core::omni::WorkItemId;
use omnisim_core::scenario::Scenario;
use omnisim_core::stats::{MetricsCollector, ReplicationResult, WorkRecorder, WORK_CSV_HEADER};
use omnisim_core::time::{SimDuration, SimTime};
use std::collections::BTreeMap;
use std::sync::Arc;

/// Two agents for about four agents' work, impatient customers: many
/// abandon. `retrial` is the arrivals' retrial line, if any.
fn scenario(retrial: &str) -> Scenario {
    let text = format!(
        r#"
[simulation]
name = "retrials"
duration = "2h"
warmup = "15m"
seed = 3

[[channels]]
name = "phone"

[[statuses]]
name = "Available"
channels = ["phone"]

[[presence_configs]]
name = "Phone"
capacity = 1
auto_accept = true

[[queues]]
name = "Cards"
channel = "phone"
routing_model = "most_available"
capacity_weight = 1

[[arrivals]]
queue = "Cards"
rate_per_hour = 48
handle_time = {{ dist = "exponential", mean = "5m" }}
patience = {{ dist = "exponential", mean = "40s" }}
secondary_priority = {{ values = [0, 1], p = [0.5, 0.5] }}
{retrial}

[[agents]]
group = "Team"
count = 2
presence_config = "Phone"
status = "Available"
"#
    );
    Scenario::from_toml_str(&text, "retrials.toml").unwrap()
}

const ALWAYS: &str = r#"retrial = { probability = 1, delay = "2m" }"#;

struct Run {
    log: EventLog,
    checker: InvariantChecker,
    work_csv: String,
    result: ReplicationResult,
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
fn a_retrial_probability_of_zero_changes_nothing() {
    let none = run(scenario(""));
    let zero = run(scenario(r#"retrial = { probability = 0, delay = "2m" }"#));
    assert_eq!(none.log.events, zero.log.events);
    assert_eq!(none.result, zero.result);
    assert_eq!(none.work_csv, zero.work_csv);
    assert_eq!(none.result.overall.retrials, 0);
    assert_eq!(
        none.result.overall.offered_customers,
        none.result.overall.offered
    );
}

#[test]
fn abandoning_customers_come_back_after_the_delay_with_the_same_need() {
    let r = run(scenario(ALWAYS));
    r.checker.assert_conserved();
    r.result.check_conservation().unwrap();
    let q = &r.result.queues[0];
    assert!(q.retrials > 20, "{q:?}");
    assert_eq!(q.offered, q.offered_customers + q.retrials);
    assert_eq!(r.result.overall.retrials, q.retrials);
    for i in &r.result.intervals {
        let m = &i.queues[0];
        assert_eq!(m.offered, m.offered_customers + m.retrials, "{m:?}");
    }

    let end = SimTime::ZERO + SimDuration::from_secs(15 * 60 + 2 * 3600);
    let delay = SimDuration::from_secs(120);
    // Item → (customer, attempt, secondary priority, patience).
    let mut items = BTreeMap::new();
    // (customer, attempt) → when it was abandoned.
    let mut abandoned = BTreeMap::new();
    let mut retried = 0;
    let mut patiences = std::collections::BTreeSet::new();
    for e in &r.log.events {
        match &e.kind {
            EventKind::WorkArrived {
                item,
                retrial,
                secondary_priority,
                patience,
                ..
            } => {
                let (customer, attempt) = retrial.map_or((*item, 1), |r| (r.customer, r.attempt));
                items.insert(*item, (customer, attempt, *secondary_priority));
                patiences.insert(patience.unwrap().0);
                if attempt > 1 {
                    retried += 1;
                    let gone: SimTime = abandoned[&(customer, attempt - 1)];
                    assert_eq!(
                        e.time,
                        gone + delay,
                        "{item:?} comes back 2 minutes after leaving"
                    );
                    let first = items[&customer];
                    assert_eq!(
                        first.2, *secondary_priority,
                        "same priority as its first attempt"
                    );
                }
            }
            EventKind::WorkAbandoned { item, .. } => {
                let (customer, attempt, _) = items[item];
                abandoned.insert((customer, attempt), e.time);
            }
            EventKind::WorkAssigned {
                item, requested_at, ..
            } => {
                // The wait starts again: the attempt's age is its own.
                let arrival = r
                    .log
                    .events
                    .iter()
                    .find(
                        |a| matches!(&a.kind, EventKind::WorkArrived { item: i, .. } if i == item),
                    )
                    .unwrap()
                    .time;
                assert_eq!(*requested_at, arrival);
            }
            _ => {}
        }
    }
    assert!(retried > 20);
    // Every abandonment whose return falls inside the run comes back once;
    // the others are never created.
    let due = abandoned.values().filter(|t| **t + delay < end).count();
    assert_eq!(retried, due);
    assert!(due < abandoned.len(), "some returns fall after the end");
    assert!(
        items.values().any(|(_, attempt, _)| *attempt >= 3),
        "some retry twice"
    );
    // A fresh patience for every attempt.
    assert_eq!(patiences.len(), items.len());

    // work.csv follows each customer through its attempts.
    let col = |name: &str| WORK_CSV_HEADER.iter().position(|h| *h == name).unwrap();
    let (c_item, c_attempt, c_customer) = (col("item"), col("attempt"), col("customer"));
    let mut rows = 0;
    for line in r.work_csv.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let item = WorkItemId(f[c_item].parse().unwrap());
        let (customer, attempt, _) = items[&item];
        assert_eq!(f[c_attempt], attempt.to_string(), "{line}");
        assert_eq!(f[c_customer], customer.0.to_string(), "{line}");
        rows += 1;
    }
    assert_eq!(rows, items.len());
}

#[test]
fn retrials_add_to_the_attempts_not_to_the_customers() {
    let without = run(scenario(""));
    let with = run(scenario(ALWAYS));
    // The same customers arrive (their draws are not moved by the
    // retrials' own stream); the retrials come on top.
    let (a, b) = (&without.result.queues[0], &with.result.queues[0]);
    assert_eq!(a.offered_customers, b.offered_customers);
    assert_eq!(b.offered, b.offered_customers + b.retrials);
    assert!(b.offered > a.offered);
}
