//! `forecast_csv`: arrivals follow a forecast's volume per interval, and
//! its `aht_s` moves the handle times of the items arriving in each one.

use omnisim_core::engine::{run_replication, RunOptions};
use omnisim_core::events::{EventKind, EventLog};
use omnisim_core::scenario::Scenario;
use omnisim_core::stats::{MetricsCollector, ReplicationResult};
use omnisim_core::time::SimTime;
use std::sync::Arc;

/// Half-hours 08:00–10:00 (and rows outside the day): 20 items, none,
/// 40 items at twice the handle time, 10 items.
const FORECAST: &str = "\
interval_start,queue,volume,aht_s
07:30,Cards,500,
08:00,Cards,20,
08:30,Cards,0,
09:00,Cards,40,120
09:30,Cards,10,60
10:00,Cards,500,
";

/// A day 08:00–10:00 with a 30-minute warm-up; more agents than work, so
/// every item is answered at once and handled for its handle time.
fn scenario(dir: &std::path::Path) -> Scenario {
    std::fs::write(dir.join("forecast.csv"), FORECAST).unwrap();
    let text = r#"
[simulation]
name = "forecast"
start = "08:00"
duration = "2h"
warmup = "30m"
interval = "30m"
seed = 11

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
forecast_csv = "forecast.csv"
handle_time = 60

[[agents]]
group = "Team"
count = 40
presence_config = "Phone"
status = "Available"
"#;
    let path = dir.join("forecast.toml");
    std::fs::write(&path, text).unwrap();
    Scenario::from_path(&path).unwrap()
}

fn run(s: &Arc<Scenario>, replication: u32) -> (ReplicationResult, EventLog) {
    let mut metrics = MetricsCollector::new(s);
    let mut log = EventLog::default();
    run_replication(
        s.clone(),
        &mut [&mut metrics, &mut log],
        RunOptions {
            replication,
            ..Default::default()
        },
    );
    (metrics.into_result(), log)
}

#[test]
fn arrivals_follow_the_forecast_volume_of_each_interval() {
    let dir = tempfile::tempdir().unwrap();
    let s = Arc::new(scenario(dir.path()));
    const REPS: u32 = 40;
    let half_hour = 1800.0;
    let mut sums = [0.0; 4];
    let mut warm_up = 0.0;
    for r in 0..REPS {
        let (result, log) = run(&s, r);
        result.check_conservation().unwrap();
        let offered: Vec<u64> = result
            .intervals
            .iter()
            .map(|i| i.queues[0].offered)
            .collect();
        assert_eq!(offered[1], 0, "replication {r}: volume 0, nothing arrives");
        for (sum, n) in sums.iter_mut().zip(&offered) {
            *sum += *n as f64;
        }
        // By arrival time, from the events themselves: nothing 08:30–09:00
        // (the warm-up is 07:30–08:00, so that is 3600–5400 s of the run).
        let arrivals: Vec<f64> = log
            .events
            .iter()
            .filter(|e| matches!(e.kind, EventKind::WorkArrived { .. }))
            .map(|e| e.time.as_secs_f64())
            .collect();
        assert!(
            !arrivals
                .iter()
                .any(|t| (2.0 * half_hour..3.0 * half_hour).contains(t)),
            "replication {r}"
        );
        assert!(arrivals.iter().all(|t| *t < 5.0 * half_hour));
        warm_up += arrivals.iter().filter(|t| **t < half_hour).count() as f64;
    }
    // Means over the replications within four standard errors of the
    // forecast (Poisson: variance = mean); the warm-up runs at the first
    // interval's rate.
    let n = REPS as f64;
    for (i, (sum, volume)) in sums.iter().zip([20.0, 0.0, 40.0, 10.0]).enumerate() {
        let mean = sum / n;
        let tolerance = 4.0 * (volume / n).sqrt();
        assert!(
            (mean - volume).abs() <= tolerance,
            "interval {i}: mean {mean} vs forecast {volume} ± {tolerance}"
        );
    }
    let tolerance = 4.0 * (20.0 / n).sqrt();
    assert!(
        (warm_up / n - 20.0).abs() <= tolerance,
        "warm-up {}",
        warm_up / n
    );
}

#[test]
fn the_forecast_aht_scales_the_handle_time_of_its_interval() {
    let dir = tempfile::tempdir().unwrap();
    let s = Arc::new(scenario(dir.path()));
    let (result, log) = run(&s, 0);
    let aht: Vec<Option<f64>> = result.intervals.iter().map(|i| i.queues[0].aht_s).collect();
    // Constant 60 s, doubled where the forecast says 120, unchanged where
    // it says 60 or nothing; no item in the empty interval.
    assert_eq!(aht, [Some(60.0), None, Some(120.0), Some(60.0)]);
    // Every item carries the handle time of its arrival interval.
    let start = SimTime::ZERO + s.simulation.warmup;
    let mut arrived = std::collections::BTreeMap::new();
    let mut checked = 0;
    for e in &log.events {
        match &e.kind {
            EventKind::WorkArrived { item, .. } => {
                arrived.insert(*item, e.time);
            }
            EventKind::WorkAccepted {
                item, handle_time, ..
            } => {
                let at = arrived[item];
                let in_third = at >= start + omnisim_core::time::SimDuration::from_secs(3600)
                    && at < start + omnisim_core::time::SimDuration::from_secs(5400);
                let expected = if in_third { 120.0 } else { 60.0 };
                assert_eq!(handle_time.as_secs_f64(), expected, "{item:?} at {at}");
                checked += 1;
            }
            _ => {}
        }
    }
    assert!(checked > 50, "{checked}");
}

#[test]
fn the_offered_load_a_planner_reads_is_the_forecast() {
    let dir = tempfile::tempdir().unwrap();
    let s = scenario(dir.path());
    let load = s.offered_per_interval(omnisim_core::omni::QueueId(0));
    let rates: Vec<f64> = load.iter().map(|l| l.rate_per_hour).collect();
    let handles: Vec<f64> = load.iter().map(|l| l.mean_handle_s).collect();
    assert_eq!(rates, [40.0, 0.0, 80.0, 20.0]);
    assert_eq!(handles, [60.0, 60.0, 120.0, 60.0]);
}

/// scenarios/data/bank_forecast.csv fits the queues of scenarios/bank.toml
/// over a day 08:00–20:00 in half-hours: every queue covered, nothing left
/// over, a morning and a lunchtime peak, handle times close to the bank's.
#[test]
fn the_bank_forecast_covers_a_bank_day_with_two_peaks() {
    let root = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."));
    let bank = std::fs::read_to_string(root.join("scenarios/bank.toml")).unwrap();
    let csv = root.join("scenarios/data/bank_forecast.csv");
    let mut text = bank
        .replace("duration = \"8h\"", "duration = \"12h\"")
        .replace("interval = \"1h\"", "interval = \"30m\"");
    for rate in [
        "rate_per_hour = 140",
        "rate_per_hour = 90",
        "rate_per_hour = 60",
    ] {
        assert!(text.contains(rate), "bank.toml changed: {rate}");
        text = text.replace(
            rate,
            &format!("forecast_csv = {:?}", csv.display().to_string()),
        );
    }
    let s = Scenario::from_toml_str(&text, "bank_day.toml").unwrap();
    assert!(s.warnings.is_empty(), "{:?}", s.warnings);
    for (q, queue) in s.queues.iter().enumerate() {
        let load = s.offered_per_interval(omnisim_core::omni::QueueId(q as u32));
        assert_eq!(load.len(), 24);
        let rate = |clock: &str| {
            let (h, m) = clock.split_once(':').unwrap();
            let i = (h.parse::<usize>().unwrap() - 8) * 2 + usize::from(m == "30");
            load[i].rate_per_hour
        };
        // Morning peak above the opening and the early afternoon lull;
        // lunchtime above late morning (Email, answered by the back
        // office, is busiest first thing).
        if queue.name != "Email" {
            assert!(
                rate("10:00") > rate("08:00") && rate("10:00") > rate("11:30"),
                "{}",
                queue.name
            );
            assert!(
                rate("13:00") > rate("11:30") && rate("13:00") > rate("15:00"),
                "{}",
                queue.name
            );
        }
        let handle = s.arrivals[q].handle_time.mean_secs();
        for l in &load {
            let off = l.mean_handle_s / handle;
            assert!((0.9..=1.1).contains(&off), "{}: {l:?}", queue.name);
        }
    }
}
