//! Result files end to end: a scenario from TOML, a synthetic event stream
//! through `MetricsCollector` and `WorkRecorder`, files written into a
//! temporary directory; checks that every file is there with its header,
//! that no temporary file is left, and that identical input gives
//! byte-identical files (the determinism promise of design §2).

use omnisim_core::events::{EventKind, EventSink, ItemBook, SimEvent, StatusChangeReason};
use omnisim_core::omni::{
    AgentId, AgentWorkId, CapacityPool, CapacityUnits, QueueId, StatusId, WorkItemId,
};
use omnisim_core::output::{
    cleanup_temp_files, concat_work_parts, render_table, work_part_path, ResultSet,
};
use omnisim_core::scenario::Scenario;
use omnisim_core::stats::{EngineStats, MetricsCollector, ReplicationResult, WorkRecorder};
use omnisim_core::time::{SimDuration, SimTime};
use std::fs;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

const SCENARIO: &str = r#"
[simulation]
name = "output files"
duration = "1h"
warmup = "10m"
seed = 5
replications = 3
interval = "15m"
service_level_threshold = "20s"

[[channels]]
name = "chat"

[[statuses]]
name = "Available"
label = "Available"
channels = ["chat"]

[[statuses]]
name = "Break"
label = "Break"

[[presence_configs]]
name = "Agents"
capacity = 2
allow_decline = true

[[queues]]
name = "Chat"
channel = "chat"
routing_model = "most_available"
priority = 1
capacity_weight = 1

[[queues]]
name = "Billing"
channel = "chat"
routing_model = "least_active"
priority = 2
capacity_weight = 1

[[agents]]
group = "Team"
count = 3
presence_config = "Agents"
status = "Available"
"#;

fn scenario() -> Scenario {
    Scenario::from_toml_str(SCENARIO, "output_files.toml").expect("test scenario is valid")
}

fn secs(s: u64) -> SimTime {
    SimTime::ZERO + SimDuration::from_secs(s)
}

/// A deterministic, engine-like stream: items every 40 s alternating
/// queues, some pushed at once and some later, some timing out once, some
/// abandoning, some declined and ended with no agent; workload events
/// follow every change of load.
fn events(replication: u64) -> Vec<SimEvent> {
    let mut raw: Vec<(SimTime, u64, EventKind)> = Vec::new();
    let mut seq = 0;
    let mut push = |t: SimTime, kind: EventKind| {
        raw.push((t, seq, kind));
        seq += 1;
    };
    for agent in 0..3 {
        let agent = AgentId(agent);
        push(
            secs(0),
            EventKind::LoginSuccess {
                agent,
                status: StatusId(0),
            },
        );
        push(
            secs(0),
            EventKind::StatusChanged {
                agent,
                status: StatusId(0),
                online: true,
                reason: StatusChangeReason::OmniLoginStatusChange,
            },
        );
    }
    let mut work = 0u64;
    for i in 0..110u64 {
        let item = WorkItemId(i);
        let queue = QueueId((i % 2) as u32);
        let arrival = secs(5 + 40 * i + replication * 3);
        push(
            arrival,
            EventKind::WorkArrived {
                item,
                queue,
                patience: None,
                priority: 1,
                secondary_priority: None,
                skills: vec![],
                retrial: None,
            },
        );
        if i % 7 == 3 {
            push(
                arrival + SimDuration::from_secs(25),
                EventKind::WorkAbandoned {
                    item,
                    queue,
                    requested_at: arrival,
                    record: None,
                },
            );
            continue;
        }
        let agent = AgentId(((i + replication) % 3) as u32);
        let mut t = arrival + SimDuration::from_secs(if i % 3 == 0 { 0 } else { 15 + i % 11 });
        if i % 13 == 6 {
            // Declined by the only agent available: ended with no agent.
            push(
                t,
                EventKind::WorkAssigned {
                    work: AgentWorkId(work),
                    item,
                    queue,
                    agent,
                    cost: CapacityUnits::whole(1),
                    pool: CapacityPool::Primary,
                    requested_at: arrival,
                    handle_time: SimDuration::from_secs(100),
                },
            );
            t += SimDuration::from_secs(5);
            push(
                t,
                EventKind::WorkDeclined {
                    work: AgentWorkId(work),
                    item,
                    queue,
                    agent,
                    reason: None,
                    on_push_timeout: false,
                },
            );
            push(
                t,
                EventKind::WorkEndedNoAgent {
                    item,
                    queue,
                    requested_at: arrival,
                    record: None,
                },
            );
            work += 1;
            continue;
        }
        let assign = |work: u64| EventKind::WorkAssigned {
            work: AgentWorkId(work),
            item,
            queue,
            agent,
            cost: CapacityUnits::whole(1),
            pool: CapacityPool::Primary,
            requested_at: arrival,
            handle_time: SimDuration::from_secs(100),
        };
        if i % 5 == 1 {
            push(t, assign(work));
            t += SimDuration::from_secs(30);
            push(
                t,
                EventKind::WorkDeclined {
                    work: AgentWorkId(work),
                    item,
                    queue,
                    agent,
                    reason: None,
                    on_push_timeout: true,
                },
            );
            work += 1;
        }
        push(t, assign(work));
        let accepted = t + SimDuration::from_secs(4);
        push(
            accepted,
            EventKind::WorkAccepted {
                work: AgentWorkId(work),
                item,
                queue,
                agent,
                requested_at: arrival,
                handle_time: SimDuration::from_secs(60),
                wrap_up: None,
                transfer: None,
            },
        );
        push(
            accepted + SimDuration::from_secs(60 + (i * 13) % 50),
            EventKind::WorkClosed {
                work: AgentWorkId(work),
                item,
                queue,
                agent,
                accepted_at: accepted,
                record: None,
            },
        );
        work += 1;
    }
    raw.sort_by_key(|(t, seq, _)| (*t, *seq));
    // Follow every load change with WorkloadChanged, as agents do.
    let mut load = [0u64; 3];
    let mut out = Vec::new();
    for (time, _, kind) in raw {
        let change = match &kind {
            EventKind::WorkAssigned { agent, cost, .. } => Some((agent.index(), cost.0 as i64)),
            EventKind::WorkDeclined { agent, .. } | EventKind::WorkClosed { agent, .. } => {
                Some((agent.index(), -1000))
            }
            _ => None,
        };
        out.push(SimEvent { time, kind });
        if let Some((a, delta)) = change {
            let previous = load[a];
            load[a] = (previous as i64 + delta) as u64;
            out.push(SimEvent {
                time,
                kind: EventKind::WorkloadChanged {
                    agent: AgentId(a as u32),
                    configured_capacity: CapacityUnits::whole(2),
                    previous_workload: CapacityUnits::thousandths(previous),
                    new_workload: CapacityUnits::thousandths(load[a]),
                    configured_interruptible_capacity: CapacityUnits::whole(2),
                    previous_interruptible_workload: CapacityUnits::ZERO,
                    new_interruptible_workload: CapacityUnits::ZERO,
                },
            });
        }
    }
    out
}

/// Runs every replication through both sinks and writes all files to `dir`.
fn write_run(dir: &Path) -> Vec<PathBuf> {
    let scn = scenario();
    let end = SimTime::ZERO + scn.run_length();
    let mut results: Vec<ReplicationResult> = Vec::new();
    let mut parts = Vec::new();
    fs::create_dir_all(dir).unwrap();
    for r in 0..scn.simulation.replications {
        let part = work_part_path(dir, r);
        let mut recorder =
            WorkRecorder::new(BufWriter::new(fs::File::create(&part).unwrap()), &scn, r).unwrap();
        let mut metrics = MetricsCollector::new(&scn);
        let mut book = ItemBook::new();
        for e in events(r as u64).iter().filter(|e| e.time < end) {
            let mut e = e.clone();
            book.apply(&mut e);
            metrics.on_event(&e);
            recorder.on_event(&e);
        }
        book.finish(end, &mut [&mut metrics, &mut recorder]);
        recorder.into_inner().unwrap();
        let result = metrics.into_result();
        result.check_conservation().unwrap();
        results.push(result);
        parts.push(part);
    }
    let engine = vec![
        EngineStats {
            wall_seconds: 0.01,
            events: 1000,
            ..EngineStats::default()
        };
        results.len()
    ];
    let rs = ResultSet::new(&scn, scn.simulation.seed, results, engine);
    let mut files = rs.write_all(dir).unwrap();
    files.push(concat_work_parts(dir, &parts).unwrap());
    assert!(render_table(&rs).contains("Billing"));
    files
}

fn first_line(path: &Path) -> String {
    fs::read_to_string(path)
        .unwrap()
        .lines()
        .next()
        .unwrap()
        .to_string()
}

#[test]
fn all_files_exist_with_their_headers_and_no_temporaries() {
    let dir = tempfile::tempdir().unwrap();
    let files = write_run(dir.path());
    let mut names: Vec<String> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "agents.csv",
            "engine.json",
            "intervals.csv",
            "summary.json",
            "work.csv"
        ]
    );
    assert_eq!(files.len(), 5);
    assert_eq!(cleanup_temp_files(dir.path()).unwrap(), 0);

    let p = |n: &str| dir.path().join(n);
    assert!(first_line(&p("intervals.csv")).starts_with(
        "interval,start_s,end_s,start,end,queue,offered,answered,abandoned,service_level,"
    ));
    assert_eq!(
        first_line(&p("agents.csv")),
        "agent,group,time_online_s,items_handled,occupancy,declines,push_timeouts,\
         interruptible_occupancy,overtime_s,break_s,absent,name,interrupted_s"
    );
    assert_eq!(
        first_line(&p("work.csv")),
        "replication,item,queue,arrival_s,first_push_s,accept_s,close_s,abandon_s,agent,final_status,declines,push_timeouts,measured,skills_requested,skills_dropped,transfers,attempt,customer,transfer_wait_s,interrupted_s"
    );

    // 4 intervals × (2 queues + ALL), 3 agents, 3 × 110 items.
    assert_eq!(
        fs::read_to_string(p("intervals.csv"))
            .unwrap()
            .lines()
            .count(),
        1 + 4 * 3
    );
    assert_eq!(
        fs::read_to_string(p("agents.csv")).unwrap().lines().count(),
        1 + 3
    );
    let work = fs::read_to_string(p("work.csv")).unwrap();
    assert_eq!(
        work.lines().count(),
        1 + 3 * 105,
        "items arriving before the end of the run"
    );
    assert_eq!(work.matches("replication,").count(), 1, "one header");

    let summary: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(p("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["scenario"], "output files");
    assert_eq!(summary["replications"], 3);
    assert_eq!(summary["simulated_time_s"], 3600.0);
    assert_eq!(summary["warmup_s"], 600.0);
    for q in ["Chat", "Billing"] {
        let m = &summary["queues"][q];
        for key in [
            "offered",
            "answered",
            "abandoned",
            "ended_no_agent",
            "service_level",
            "asa_s",
            "p_wait",
            "occupancy",
            "agents_occupancy",
            "wrap_up_s",
        ] {
            let e = &m[key];
            assert!(e["mean"].is_number(), "{q}.{key}: {e}");
            assert!(
                e["ci95_low"].as_f64() <= e["mean"].as_f64(),
                "{q}.{key}: {e}"
            );
            assert!(
                e["mean"].as_f64() <= e["ci95_high"].as_f64(),
                "{q}.{key}: {e}"
            );
        }
    }
    // Items with i % 13 == 6 end with no agent, except 45, which abandons
    // first; measured are those arriving in [600, 4200) s: 19, 32, 58,
    // 71, 84, 97 in every replication.
    assert_eq!(summary["overall"]["ended_no_agent"]["mean"], 6.0);
    assert_eq!(summary["queues"]["Chat"]["ended_no_agent"]["mean"], 3.0);
    // Their rows: declined once, ended 5 s after the push (close_s).
    let ended: Vec<&str> = work
        .lines()
        .filter(|l| l.contains(",ended_no_agent,"))
        .collect();
    assert_eq!(ended.len(), 3 * 7, "items 6 … 97 but 45, every replication");
    assert!(
        ended.contains(
            &"0,19,Billing,765.000000,788.000000,,793.000000,,,ended_no_agent,1,0,true,,,0,1,19,,"
        ),
        "{ended:?}"
    );
    let overall_sl = summary["overall"]["service_level"]["mean"]
        .as_f64()
        .unwrap();
    assert!((0.0..=1.0).contains(&overall_sl));
}

#[test]
fn identical_input_gives_byte_identical_files() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    write_run(a.path());
    write_run(b.path());
    for name in ["summary.json", "intervals.csv", "agents.csv", "work.csv"] {
        let x = fs::read(a.path().join(name)).unwrap();
        let y = fs::read(b.path().join(name)).unwrap();
        assert!(x == y, "{name} differs between identical runs");
    }
}

#[test]
fn rewriting_a_directory_replaces_files_whole() {
    let dir = tempfile::tempdir().unwrap();
    write_run(dir.path());
    let before = fs::read(dir.path().join("summary.json")).unwrap();
    write_run(dir.path());
    assert_eq!(fs::read(dir.path().join("summary.json")).unwrap(), before);
}
