//! Rosters through the engine: several shifts per group, breaks taken
//! through the toolkit, late breaks, absence; and the singular `shift`
//! giving exactly what the one-shift roster gives.

use crate::util::InvariantChecker;
use omnisim_core::engine::{run_replication, RunOptions};
use omnisim_core::events::{EventKind, EventLog, EventSink, SimEvent, StatusChangeReason};
use omnisim_core::omni::{AgentId, StatusId};
use omnisim_core::output::ResultSet;
use omnisim_core::scenario::Scenario;
use omnisim_core::stats::{MetricsCollector, ReplicationResult, WorkRecorder};
use omnisim_core::time::SimTime;
use std::sync::Arc;

/// A day from 08:00 with no warm-up, so instants are clock times minus
/// 08:00. Status 0 Available (chat), 1 Lunch (busy), 2 Declined (busy).
fn scenario(agents: &str) -> Scenario {
    let text = format!("{}\n{agents}", crate::util::fixture_text("rosters.toml"));
    Scenario::from_toml_str(&text, "rosters.toml").unwrap_or_else(|e| panic!("{e}"))
}

/// The instant of a clock time of the day.
fn at(hh_mm: &str) -> SimTime {
    let (h, m) = hh_mm.split_once(':').unwrap();
    let secs = h.parse::<u64>().unwrap() * 3600 + m.parse::<u64>().unwrap() * 60 - 8 * 3600;
    SimTime(secs * 1_000_000)
}

fn run(s: &Scenario, replication: u32) -> (EventLog, ReplicationResult) {
    let s = Arc::new(s.clone());
    let mut log = EventLog::default();
    let mut metrics = MetricsCollector::new(&s);
    run_replication(
        s,
        &mut [&mut log, &mut metrics],
        RunOptions {
            replication,
            ..Default::default()
        },
    );
    (log, metrics.into_result())
}

fn pushes_to(log: &EventLog, agent: u32) -> Vec<SimTime> {
    log.events
        .iter()
        .filter(
            |e| matches!(e.kind, EventKind::WorkAssigned { agent: a, .. } if a == AgentId(agent)),
        )
        .map(|e| e.time)
        .collect()
}

/// (time, status, reason) of every status change of `agent`.
fn statuses_of(log: &EventLog, agent: u32) -> Vec<(SimTime, StatusId, StatusChangeReason)> {
    log.events
        .iter()
        .filter_map(|e| match e.kind {
            EventKind::StatusChanged {
                agent: a,
                status,
                reason,
                ..
            } if a == AgentId(agent) => Some((e.time, status, reason)),
            _ => None,
        })
        .collect()
}

const SOLO: &str = r#"
[[agents]]
group = "Solo"
presence_config = "Chat"
status = "Available"
shifts = [{ count = 1, breaks = [{ start = "10:00", duration = "30m", status = "Lunch" }] }]
"#;

#[test]
fn an_agent_on_a_break_gets_no_push_and_keeps_working_what_it_holds() {
    let s = scenario(SOLO);
    let (log, result) = run(&s, 0);
    let pushes = pushes_to(&log, 0);
    let (from, to) = (at("10:00"), at("10:30"));
    assert!(pushes.iter().any(|t| *t < from), "pushed before the break");
    assert!(pushes.iter().any(|t| *t >= to), "pushed after the break");
    assert!(
        !pushes.iter().any(|t| *t >= from && *t < to),
        "no push during the break: {:?}",
        pushes
            .iter()
            .filter(|t| **t >= from && **t < to)
            .collect::<Vec<_>>()
    );
    // The break is the agent's own status change, both ways.
    let changes = statuses_of(&log, 0);
    let toolkit = StatusChangeReason::OmniToolkitStatusChange;
    assert!(
        changes.contains(&(from, StatusId(1), toolkit)),
        "{changes:?}"
    );
    assert!(changes.contains(&(to, StatusId(0), toolkit)), "{changes:?}");
    // Busy all day at 120 chats an hour: it holds a chat when the break
    // starts and closes it during the break.
    let closed_in_break = log.events.iter().any(|e| {
        matches!(e.kind, EventKind::WorkClosed { agent, .. } if agent == AgentId(0))
            && e.time > from
            && e.time < to
    });
    assert!(
        closed_in_break,
        "the chat held at 10:00 is finished during the break"
    );
    // agents.csv: half an hour on break, the rest of the day online.
    let a = &result.agents[0];
    assert_eq!(a.break_s, 1800.0);
    assert_eq!(a.time_online_s, 4.0 * 3600.0 - 1800.0);
    assert!(!a.absent);
}

/// Counts agents logged in, over time.
#[derive(Default)]
struct LoggedIn {
    now: i64,
    steps: Vec<(SimTime, i64)>,
}

impl LoggedIn {
    fn at(&self, t: SimTime) -> i64 {
        self.steps
            .iter()
            .take_while(|(s, _)| *s <= t)
            .last()
            .map_or(0, |(_, n)| *n)
    }
}

impl EventSink for LoggedIn {
    fn on_event(&mut self, e: &SimEvent) {
        match e.kind {
            EventKind::LoginSuccess { .. } => self.now += 1,
            EventKind::Logout { .. } => self.now -= 1,
            _ => return,
        }
        self.steps.push((e.time, self.now));
    }
}

#[test]
fn with_several_shifts_the_floor_follows_the_counts() {
    let s = scenario(
        r#"
[[agents]]
group = "Day"
presence_config = "Chat"
status = "Available"
shift_end = "abrupt"
shifts = [
  { start = "08:00", end = "10:00", count = 2 },
  { start = "09:00", end = "11:00", count = 3 },
]
"#,
    );
    assert_eq!(s.agents[0].count, 5);
    let s = Arc::new(s);
    let mut logged = LoggedIn::default();
    run_replication(s, &mut [&mut logged], RunOptions::default());
    let counts: Vec<i64> = ["08:30", "09:30", "10:30", "11:30"]
        .iter()
        .map(|t| logged.at(at(t)))
        .collect();
    assert_eq!(counts, [2, 5, 3, 0]);
}

#[test]
fn an_absent_agent_never_logs_in() {
    let s = scenario(
        r#"
[[agents]]
group = "Away"
count = 3
presence_config = "Chat"
status = "Available"
absence = 1.0

[[agents]]
group = "Here"
count = 2
presence_config = "Chat"
status = "Available"
absence = 0.5
"#,
    );
    let (log, result) = run(&s, 0);
    let logins: Vec<AgentId> = log
        .events
        .iter()
        .filter_map(|e| match e.kind {
            EventKind::LoginSuccess { agent, .. } => Some(agent),
            _ => None,
        })
        .collect();
    assert!(logins.iter().all(|a| a.0 >= 3), "{logins:?}");
    let absent: Vec<bool> = result.agents.iter().map(|a| a.absent).collect();
    assert!(absent[..3].iter().all(|a| *a), "{absent:?}");
    assert!(result.agents[..3].iter().all(|a| a.time_online_s == 0.0));
    for (a, was_absent) in absent.iter().enumerate().skip(3) {
        // Drawn: absent exactly when it never logged in.
        assert_eq!(
            *was_absent,
            !logins.contains(&AgentId(a as u32)),
            "agent {a}"
        );
    }
    // Over replications, "Here" agents are sometimes absent, sometimes not.
    let here: Vec<bool> = (0..20)
        .flat_map(|r| {
            run(&s, r).1.agents[3..]
                .iter()
                .map(|a| a.absent)
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(
        here.iter().any(|a| *a) && here.iter().any(|a| !*a),
        "{here:?}"
    );
}

/// Every result file of `replications` runs, as `omnisim run` writes them.
fn result_files(s: &Scenario, replications: u32) -> Vec<(String, Vec<u8>)> {
    let s = Arc::new(s.clone());
    let mut results = Vec::new();
    let mut work = Vec::new();
    for r in 0..replications {
        let mut recorder = WorkRecorder::new(Vec::new(), &s, r).unwrap();
        let mut metrics = MetricsCollector::new(&s);
        run_replication(
            s.clone(),
            &mut [&mut metrics, &mut recorder],
            RunOptions {
                replication: r,
                ..Default::default()
            },
        );
        results.push(metrics.into_result());
        work.extend(recorder.into_inner().unwrap());
    }
    let dir = tempfile::tempdir().unwrap();
    let set = ResultSet::new(&s, s.simulation.seed, results, Vec::new());
    let mut files: Vec<(String, Vec<u8>)> = set
        .write_all(dir.path())
        .unwrap()
        .into_iter()
        .filter(|p| !p.ends_with("engine.json"))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&p).unwrap())
        })
        .collect();
    files.push(("work.csv".into(), work));
    files
}

#[test]
fn the_singular_shift_and_a_one_shift_roster_give_identical_results() {
    let agents = |shift: &str| {
        format!(
            r#"
[[agents]]
group = "Day"
presence_config = "Picky"
status = "Available"
accept_probability = 0.8
response_time = {{ dist = "exponential", mean = "5s" }}
return_to_status_after = "1m"
{shift}
"#
        )
    };
    let one = scenario(&agents(
        "count = 3\nshift = { start = \"08:30\", end = \"11:00\" }",
    ));
    let roster = scenario(&agents(
        "shifts = [{ start = \"08:30\", end = \"11:00\", count = 3 }]",
    ));
    assert!(one.agents[0].roster.is_empty());
    assert_eq!(roster.agents[0].roster.len(), 1, "the roster path is taken");
    for r in 0..2 {
        assert_eq!(run(&one, r).0.events, run(&roster, r).0.events);
    }
    let (a, b) = (result_files(&one, 2), result_files(&roster, 2));
    assert_eq!(a.len(), 4, "summary, intervals, agents, work");
    for ((name, x), (_, y)) in a.iter().zip(&b) {
        assert!(x == y, "{name} differs");
    }
}

#[test]
fn absence_zero_is_the_same_as_no_absence() {
    let agents = |extra: &str| {
        format!(
            "[[agents]]\ngroup = \"Day\"\ncount = 3\npresence_config = \"Chat\"\nstatus = \"Available\"\n{extra}\n"
        )
    };
    let without = scenario(&agents(""));
    let zero = scenario(&agents("absence = 0.0"));
    assert_eq!(without, zero);
    assert_eq!(run(&without, 0).0.events, run(&zero, 0).0.events);
    assert_eq!(result_files(&without, 2), result_files(&zero, 2));
}

#[test]
fn a_break_from_a_decline_status_still_happens_and_ends_at_the_login_status() {
    // The agent declines everything and comes back after a minute: it is
    // often in Declined when the break starts; the minute's timer never
    // cuts the break short, and the break ends at Available.
    let s = scenario(
        r#"
[[agents]]
group = "Picky"
presence_config = "Picky"
status = "Available"
accept_probability = 0.0
response_time = "20s"
return_to_status_after = "1m"
shifts = [{ count = 1, breaks = [{ start = "10:00", duration = "30m", status = "Lunch" }] }]
"#,
    );
    let (from, to) = (at("10:00"), at("10:30"));
    let mut from_declined = 0;
    for r in 0..6 {
        let (log, _) = run(&s, r);
        let changes = statuses_of(&log, 0);
        let before = changes
            .iter()
            .rev()
            .find(|c| c.0 < from)
            .expect("a status before");
        if before.1 == StatusId(2) {
            from_declined += 1;
        }
        let toolkit = StatusChangeReason::OmniToolkitStatusChange;
        assert!(
            changes.contains(&(from, StatusId(1), toolkit)),
            "{changes:?}"
        );
        // A push answered during the break may still put it in Declined;
        // nothing puts it back online before the break ends.
        assert!(
            !changes
                .iter()
                .any(|c| c.0 > from && c.0 < to && c.1 == StatusId(0)),
            "back online during the break: {changes:?}"
        );
        assert!(changes.contains(&(to, StatusId(0), toolkit)), "{changes:?}");
    }
    assert!(from_declined > 0, "some break starts in Declined");
}

#[test]
fn a_late_break_keeps_its_length_and_the_shift_end_wins() {
    let s = scenario(
        r#"
[[agents]]
group = "Late"
presence_config = "Chat"
status = "Available"
break_lateness = "5m"
shifts = [{ count = 1, end = "11:00", breaks = [
  { start = "09:00", duration = "15m", status = "Lunch" },
  { start = "10:50", duration = "10m", status = "Lunch" },
] }]
"#,
    );
    let (log, result) = run(&s, 0);
    let changes: Vec<(SimTime, StatusId)> = statuses_of(&log, 0)
        .into_iter()
        .map(|(t, s, _)| (t, s))
        .collect();
    assert!(changes.contains(&(at("09:05"), StatusId(1))), "{changes:?}");
    assert!(changes.contains(&(at("09:20"), StatusId(0))), "{changes:?}");
    assert!(changes.contains(&(at("10:55"), StatusId(1))), "{changes:?}");
    // Cut at 11:00: never back online, then the shift's end.
    assert!(
        !changes
            .iter()
            .any(|(t, s)| *t > at("10:55") && *s == StatusId(0)),
        "{changes:?}"
    );
    let logout = log
        .events
        .iter()
        .find(|e| matches!(e.kind, EventKind::Logout { .. }))
        .expect("logs out");
    assert!(logout.time >= at("11:00"));
    // 15 minutes, then 5 until the shift end.
    assert_eq!(result.agents[0].break_s, 20.0 * 60.0);
}

#[test]
fn absences_are_reported_even_when_nothing_else_happens() {
    let mut s = scenario(
        "[[agents]]\ngroup = \"Away\"\ncount = 2\npresence_config = \"Chat\"\nstatus = \"Available\"\nabsence = 1.0\n",
    );
    s.arrivals.clear();
    let (log, result) = run(&s, 0);
    assert_eq!(log.events.len(), 2, "{:?}", log.events);
    assert!(result.agents.iter().all(|a| a.absent));
}

#[test]
fn a_rostered_day_keeps_the_invariants() {
    let s = crate::util::fixture("bank_twin.toml");
    assert!(s.agents[0].break_lateness.is_some() && s.agents[0].absence > 0.0);
    let s = Arc::new(s);
    for replication in 0..2 {
        let mut invariants = InvariantChecker::new(&s);
        let mut log = EventLog::default();
        run_replication(
            s.clone(),
            &mut [&mut invariants, &mut log],
            RunOptions {
                replication,
                record_decisions: true,
                ..Default::default()
            },
        );
        invariants.assert_conserved();
        assert!(log.events.iter().any(|e| matches!(
            e.kind,
            EventKind::StatusChanged {
                reason: StatusChangeReason::OmniToolkitStatusChange,
                ..
            }
        )));
    }
}
