//! The trace tells the breaks `agents.csv` counts: the narrator and the
//! metrics read one [`AgentLedger`], so a break starts and ends at the
//! same instants in both.

use super::tests::fixture;
use super::*;
use crate::engine::{run_replication, RunOptions};
use crate::stats::{MetricsCollector, ReplicationResult};

/// A chat desk from 08:00 (no warm-up, 4 hours) whose one agent declines
/// every push after a while and goes back to Available a minute later;
/// it is on a Lunch break from 10:00 to 10:30. A push made shortly before
/// 10:00 is declined during the break, which puts it in Declined.
const PICKY: &str = r#"
[[agents]]
group = "Picky"
presence_config = "Picky"
status = "Available"
accept_probability = 0.0
response_time = { dist = "exponential", mean = "30s" }
return_to_status_after = "1m"
shifts = [{ count = 1, breaks = [{ start = "10:00", duration = "30m", status = "Lunch" }] }]
"#;

/// Runs `replication` of `scenario` into a narrator and a metrics
/// collector at once.
fn run(scenario: Arc<Scenario>, replication: u32) -> (Vec<TraceLine>, ReplicationResult) {
    let mut narrator = Narrator::new(scenario.clone());
    let mut metrics = MetricsCollector::new(&scenario);
    let options = RunOptions {
        replication,
        ..Default::default()
    };
    run_replication(scenario, &mut [&mut narrator, &mut metrics], options);
    (narrator.take_lines(), metrics.into_result())
}

/// Each agent's break time \[µs\] as the trace tells it: from a line that
/// sends it on a break to its next line that ends one (or logs it out),
/// or to `end`.
fn told_break_us(lines: &[TraceLine], agents: usize, end: SimTime) -> Vec<u64> {
    let mut since: Vec<Option<SimTime>> = vec![None; agents];
    let mut total = vec![0; agents];
    for l in lines.iter().filter(|l| l.tone == Tone::Presence) {
        let Some(a) = l.subject.agent.map(|a| a.index()) else {
            continue;
        };
        let starts = l.text.contains(" (break");
        let ends = l.text.contains(" is back from ")
            || l.text.contains(" break → ")
            || l.text.ends_with(" logged out");
        if starts || ends {
            if let Some(s) = since[a].take() {
                total[a] += l.time.since(s).0;
            }
        }
        if starts {
            since[a] = Some(l.time);
        }
    }
    for (a, s) in since.iter().enumerate() {
        total[a] += s.map_or(0, |s| end.since(s).0);
    }
    total
}

#[test]
fn a_decline_during_a_break_ends_it_in_the_trace_as_in_agents_csv() {
    // Replication 2: the push of 09:59:38.878 is declined at
    // 10:00:21.765850, 21.765850 s into the break, which ends there. The
    // break then lasts that long in agents.csv and in the trace, and the
    // agent's return to Available at 10:30 is no return from a break.
    let (lines, result) = run(fixture("rosters.toml", PICKY), 2);
    // Microseconds since 08:00.
    let at =
        |h: u64, m: u64, s: u64, us: u64| SimTime((((h - 8) * 60 + m) * 60 + s) * 1_000_000 + us);
    let told: Vec<(SimTime, &str)> = lines
        .iter()
        .filter(|l| l.tone == Tone::Presence)
        .map(|l| (l.time, l.text.as_str()))
        .collect();
    let expected = [
        (
            at(10, 0, 0, 0),
            "agent 0 (Picky) goes to Lunch (break until 10:30): busy, no work is pushed to it",
        ),
        (
            at(10, 0, 21, 765_850),
            "agent 0 (Picky) ends its Lunch break → Declined (OmniDeclineWork): busy, no work \
             is pushed to it",
        ),
        (
            at(10, 30, 0, 0),
            "agent 0 → Available (OmniToolkitStatusChange): receives chat; the status change \
             lifts its exclusion from item 500000000000001",
        ),
    ];
    for (t, text) in expected {
        assert!(
            told.iter().any(|(u, l)| *u == t && l.starts_with(text)),
            "no line at {t:?} starting {text:?} in {told:#?}"
        );
    }
    assert_eq!(result.agents[0].break_s, 21.765_85);
}

#[test]
fn the_trace_tells_as_much_break_time_as_agents_csv_counts() {
    let scenario = fixture("rosters.toml", PICKY);
    let end = SimTime::ZERO + scenario.run_length();
    for replication in 0..8 {
        let (lines, result) = run(scenario.clone(), replication);
        let told = told_break_us(&lines, 1, end);
        assert_eq!(
            told[0] as f64 / 1e6,
            result.agents[0].break_s,
            "replication {replication}"
        );
    }
}
