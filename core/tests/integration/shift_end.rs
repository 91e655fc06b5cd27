//! The end of a shift: by default agents finish what they hold and then
//! log out (overtime); `shift_end = "abrupt"` logs them out at once,
//! closing open work at the shift end (omni-reference §12.8).

use omnisim_core::engine::{run_replication, RunOptions};
use omnisim_core::events::{EventKind, EventSink, SimEvent};
use omnisim_core::omni::AgentId;
use omnisim_core::scenario::Scenario;
use omnisim_core::stats::{MetricsCollector, WorkRecorder};
use omnisim_core::time::SimTime;
use std::sync::Arc;

/// Four "Early" agents whose shift ends at 2 h, busy enough to hold work
/// then; they decline now and then and return from the busy
/// status-on-decline after a minute. The "Late" agents work the whole run.
fn scenario(shift_end: &str) -> Scenario {
    let text = format!(
        r#"
[simulation]
name = "shift end"
duration = "4h"
seed = 11
replications = 1

[[channels]]
name = "chat"

[[statuses]]
name = "Available"
channels = ["chat"]

[[statuses]]
name = "Declined"

[[presence_configs]]
name = "Chat"
capacity = 3
allow_decline = true
status_on_decline = "Declined"

[[queues]]
name = "Chat"
channel = "chat"
routing_model = "most_available"
push_timeout = "30s"
capacity_weight = 1

[[arrivals]]
queue = "Chat"
rate_per_hour = 100
handle_time = {{ dist = "exponential", mean = "8m" }}

[[agents]]
group = "Early"
count = 4
presence_config = "Chat"
status = "Available"
response_time = "5s"
accept_probability = 0.9
return_to_status_after = "1m"
wrap_up = "30s"
shift = {{ end = "2h" }}
{shift_end}

[[agents]]
group = "Late"
count = 3
presence_config = "Chat"
status = "Available"
"#
    );
    Scenario::from_toml_str(&text, "shift_end.toml").unwrap()
}

const END: SimTime = SimTime(2 * 3600 * 1_000_000);

/// What the Early agents (0–3) do after their shift ended.
#[derive(Default)]
struct AfterEnd {
    pushes: usize,
    online_again: usize,
    logouts: Vec<(AgentId, SimTime)>,
}

impl EventSink for AfterEnd {
    fn on_event(&mut self, e: &SimEvent) {
        let early = |a: &AgentId| a.0 < 4;
        if e.time <= END {
            return;
        }
        match &e.kind {
            EventKind::WorkAssigned { agent, .. } if early(agent) => self.pushes += 1,
            EventKind::StatusChanged {
                agent,
                online: true,
                ..
            } if early(agent) => self.online_again += 1,
            EventKind::Logout { agent } if early(agent) => self.logouts.push((*agent, e.time)),
            _ => {}
        }
    }

    fn finish(&mut self, _end: SimTime) {}
}

struct Run {
    work_csv: String,
    overtime: Vec<f64>,
    after: AfterEnd,
}

fn run(shift_end: &str) -> Run {
    let s = Arc::new(scenario(shift_end));
    let mut work = WorkRecorder::new(Vec::new(), &s, 0).unwrap();
    let mut metrics = MetricsCollector::new(&s);
    let mut after = AfterEnd::default();
    run_replication(
        s.clone(),
        &mut [&mut work, &mut metrics, &mut after],
        RunOptions::default(),
    );
    let result = metrics.into_result();
    Run {
        work_csv: String::from_utf8(work.into_inner().unwrap()).unwrap(),
        overtime: result.agents.iter().map(|a| a.overtime_s).collect(),
        after,
    }
}

/// Rows of work.csv closed at exactly the shift end.
fn closed_at_shift_end(csv: &str) -> usize {
    csv.lines()
        .skip(1)
        .filter(|l| l.split(',').nth(6) == Some("7200.000000"))
        .count()
}

#[test]
fn finishing_agents_close_nothing_at_the_shift_end_and_work_overtime() {
    let r = run("");
    assert_eq!(closed_at_shift_end(&r.work_csv), 0, "nothing cut short");
    // Busy at 2 h, so overtime; the late group has no shift end.
    assert!(r.overtime[..4].iter().any(|o| *o > 0.0), "{:?}", r.overtime);
    assert!(
        r.overtime[4..].iter().all(|o| *o == 0.0),
        "{:?}",
        r.overtime
    );
    // Each Early agent logs out once, after the end, when done; never
    // online again, so never pushed anything new.
    assert_eq!(
        r.after.logouts.len() + r.overtime[..4].iter().filter(|o| **o == 0.0).count(),
        4
    );
    for (a, t) in &r.after.logouts {
        let overtime = t.since(END).as_secs_f64();
        assert_eq!(overtime, r.overtime[a.index()], "agent {a:?}");
    }
    assert_eq!(r.after.online_again, 0, "no return to the login status");
    assert_eq!(r.after.pushes, 0, "no push after the shift end");
}

#[test]
fn abrupt_agents_log_out_at_the_shift_end() {
    let r = run("shift_end = \"abrupt\"");
    assert!(
        closed_at_shift_end(&r.work_csv) > 0,
        "open work closed by the logout"
    );
    assert!(r.overtime.iter().all(|o| *o == 0.0), "{:?}", r.overtime);
    assert!(r.after.logouts.is_empty());
    assert_eq!(r.after.online_again, 0);
}

#[test]
fn the_first_busy_status_granted_is_finished_in_by_default() {
    let text = scenario("");
    // The implicit status is not needed: "Declined" is busy and granted.
    assert_eq!(text.statuses.len(), 2);
    assert_eq!(
        text.agents[0].shift.end_status,
        Some(omnisim_core::omni::StatusId(1))
    );
}
