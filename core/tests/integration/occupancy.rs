//! Per-queue occupancy a planner reads correctly: `occupancy` is a queue's
//! share of the centre's load, `agents_occupancy` how busy the agents who
//! may take the queue's work are, and `max_occupancy` is judged on the
//! latter.

use omnisim_core::engine::{run_replication, RunOptions};
use omnisim_core::output::ResultSet;
use omnisim_core::scenario::Scenario;
use omnisim_core::stats::{MetricsCollector, ReplicationResult, TargetMetric};
use std::sync::Arc;

/// Two teams that are not pooled: the Busy team (4 agents) takes queue A
/// at about 90% load, the Idle team (4 agents) queue B at about 8%. Queue
/// C is skills-based and needs French, which only the Idle team speaks.
/// `targets` is added to queue A's table.
fn scenario(targets: &str) -> Scenario {
    let text = format!(
        r#"
[simulation]
name = "occupancy"
start = "08:00"
duration = "6h"
warmup = "30m"
seed = 3
replications = 2
interval = "1h"

[[channels]]
name = "phone"

[[statuses]]
name = "Available"
channels = ["phone"]

[[skills]]
name = "French"

[[presence_configs]]
name = "Phone"
capacity = 1

[[queues]]
name = "A"
channel = "phone"
routing_model = "most_available"
capacity_weight = 1
{targets}

[[queues]]
name = "B"
channel = "phone"
routing_model = "most_available"
capacity_weight = 1
max_occupancy = 0.5

[[queues]]
name = "C"
channel = "phone"
routing = "skills"
routing_model = "most_available"
capacity_weight = 1
skills = [{{ skill = "French", level = 1 }}]

[[arrivals]]
queue = "A"
rate_per_hour = 40
handle_time = {{ dist = "exponential", mean = "324s" }}

[[arrivals]]
queue = "B"
rate_per_hour = 3
handle_time = {{ dist = "exponential", mean = "5m" }}

[[arrivals]]
queue = "C"
rate_per_hour = 1
handle_time = {{ dist = "exponential", mean = "5m" }}

[[agents]]
group = "Busy team"
count = 4
presence_config = "Phone"
status = "Available"
queues = ["A"]

[[agents]]
group = "Idle team"
count = 4
presence_config = "Phone"
status = "Available"
queues = ["B"]
skills = {{ French = 3 }}
"#
    );
    Scenario::from_toml_str(&text, "occupancy.toml").unwrap()
}

fn replications(s: &Scenario) -> Vec<ReplicationResult> {
    let s = Arc::new(s.clone());
    (0..s.simulation.replications)
        .map(|replication| {
            let mut metrics = MetricsCollector::new(&s);
            run_replication(
                s.clone(),
                &mut [&mut metrics],
                RunOptions {
                    replication,
                    ..Default::default()
                },
            );
            metrics.into_result()
        })
        .collect()
}

#[test]
fn a_busy_team_shows_in_its_queues_agents_occupancy_not_in_its_share() {
    let s = scenario("");
    for r in replications(&s) {
        let (a, b, c) = (&r.queues[0], &r.queues[1], &r.queues[2]);
        let (a_team, b_team) = (a.agents_occupancy.unwrap(), b.agents_occupancy.unwrap());
        // A's own agents carry about 90% (3.6 Erlangs on 4 agents) …
        assert!(a_team > 0.75, "A agents {a_team}");
        // … while A's share of the whole centre's capacity is about half.
        let a_share = a.occupancy.unwrap();
        assert!((0.35..0.55).contains(&a_share), "A share {a_share}");
        assert!(a_team > 1.6 * a_share);
        // B's team is nearly idle, and so is its share.
        assert!(b_team < 0.2, "B agents {b_team}");
        assert!(b.occupancy.unwrap() < 0.1);
        // C is skills-based: its agents are the French speakers (the Idle
        // team), who also carry B's work: the same people, the same figure.
        assert_eq!(c.agents_occupancy, b.agents_occupancy);
        // Shares add up to the centre's occupancy, which is also the
        // centre's agents' occupancy.
        let shares: f64 = r.queues.iter().map(|q| q.occupancy.unwrap()).sum();
        let overall = r.overall.occupancy.unwrap();
        assert!((shares - overall).abs() < 1e-9, "{shares} vs {overall}");
        assert_eq!(r.overall.agents_occupancy, r.overall.occupancy);
        // The same per interval.
        for iv in &r.intervals {
            assert!(iv.queues[0].agents_occupancy > iv.queues[1].agents_occupancy);
            assert_eq!(iv.overall.agents_occupancy, iv.overall.occupancy);
        }
    }
}

#[test]
fn max_occupancy_is_met_or_missed_on_the_agents_occupancy() {
    // A's team runs at about 90%: over a 0.8 ceiling, under a 0.95 one.
    for (ceiling, met) in [(0.8, false), (0.95, true)] {
        let s = scenario(&format!("max_occupancy = {ceiling}"));
        assert_eq!(s.queues[0].targets.max_occupancy, Some(ceiling));
        let set = ResultSet::new(&s, s.simulation.seed, replications(&s), vec![]);
        let checks = set.targets();
        let a = checks.iter().find(|c| c.queue == "A").unwrap();
        assert_eq!(a.metric, TargetMetric::AgentsOccupancy);
        assert_eq!(a.met, Some(met), "ceiling {ceiling}: {a:?}");
        // B's team is far below its 0.5 ceiling.
        let b = checks.iter().find(|c| c.queue == "B").unwrap();
        assert_eq!(b.met, Some(true), "{b:?}");
        // Its worst interval is named in the day's clock time.
        let w = a.worst_interval.as_ref().unwrap();
        assert_eq!(w.start, format!("{:02}:00", 8 + w.interval));
        let v = serde_json::to_value(set.summary()).unwrap();
        assert_eq!(v["targets"][0]["metric"], "agents_occupancy");
        assert_eq!(v["targets"][0]["bound"], "max");
    }
}
