//! `omnisim trace` from the outside: a push-timeout story told in order,
//! filters, the line limit and its message, JSON lines, early stop.

use assert_cmd::Command;
use serde_json::Value;
use std::time::{Duration, Instant};

const CASCADE: &str = "scenarios/push_timeout_cascade.toml";

fn omnisim() -> Command {
    Command::cargo_bin("omnisim").expect("binary built")
}

/// Runs `omnisim trace` with `args`; stdout and stderr on success.
fn trace(args: &[&str]) -> (String, String) {
    let out = omnisim().arg("trace").args(args).output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(out.status.success(), "trace {args:?} failed: {stderr}");
    (stdout, stderr)
}

fn jsonl(stdout: &str) -> Vec<Value> {
    stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect()
}

/// Seconds since midnight of the start day of a `HH:MM:SS.mmm` line
/// prefix (a clock time, negative with a leading `-` in the warm-up of a
/// day starting at 00:00); `None` if the line has none.
fn clock(line: &str) -> Option<f64> {
    let stamp = line.split("  ").next()?;
    let (sign, stamp) = match stamp.strip_prefix('-') {
        Some(rest) => (-1.0, rest),
        None => (1.0, stamp),
    };
    let mut parts = stamp.split(':');
    let (h, m, s) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || h.len() != 2 || m.len() != 2 || s.len() != 6 {
        return None;
    }
    let secs =
        h.parse::<f64>().ok()? * 3600.0 + m.parse::<f64>().ok()? * 60.0 + s.parse::<f64>().ok()?;
    Some(sign * secs)
}

/// Event lines of a text trace (header and footer have no clock).
fn event_lines(stdout: &str) -> Vec<&str> {
    stdout.lines().filter(|l| clock(l).is_some()).collect()
}

/// The first push timeout in the cascade whose item was then pushed to
/// another agent: (item number, agent that timed out, agent it went to).
fn first_timeout_then_reroute() -> (u64, u64, u64) {
    let (out, _) = trace(&[
        CASCADE, "--format", "jsonl", "--limit", "0", "--until", "30m",
    ]);
    let events = jsonl(&out);
    for (i, e) in events.iter().enumerate() {
        if e["event"] == "work_declined" && e["on_push_timeout"] == true {
            let (item, from) = (e["item"].as_u64().unwrap(), e["agent"].as_u64().unwrap());
            let next = events[i..]
                .iter()
                .find(|d| d["event"] == "routing_decision" && d["item"].as_u64() == Some(item));
            if let Some(d) = next {
                let to = d["agent"].as_u64().unwrap();
                if to != from {
                    return (item, from, to);
                }
            }
        }
    }
    panic!("no push timeout followed by a re-route in the first 30 minutes");
}

#[test]
fn a_push_timeout_story_is_told_in_order_with_times() {
    let (item, from, to) = first_timeout_then_reroute();
    let id = format!("500{item:012}");
    let (out, _) = trace(&[CASCADE, "--work", &id, "--limit", "0"]);
    let lines = event_lines(&out);
    assert!(
        lines
            .iter()
            .all(|l| l.contains(&id) || l.contains("OmniPushTimeout")),
        "only the item's story:\n{out}"
    );
    let find = |after: usize, what: &[&str]| -> (usize, f64) {
        let i = lines[after..]
            .iter()
            .position(|l| what.iter().all(|w| l.contains(w)))
            .unwrap_or_else(|| panic!("no line with {what:?} after line {after}:\n{out}"));
        (after + i, clock(lines[after + i]).unwrap())
    };
    let (from_s, to_s) = (format!("agent {from} "), format!("agent {to} "));
    let (push, pushed_at) = find(0, &["pushed item", &from_s, "push timeout 10 s"]);
    let (timeout, timed_out_at) = find(
        push + 1,
        &[
            "no answer within 10 s",
            "timed out",
            &from_s,
            "excluded from this item",
        ],
    );
    let (status, status_at) = find(
        timeout + 1,
        &[&format!("agent {from} → Missed_Push (OmniPushTimeout)")],
    );
    let (reroute, reroute_at) = find(
        status + 1,
        &["re-routing item", &format!("chose agent {to}:")],
    );
    let (_, repushed_at) = find(reroute + 1, &["pushed item", &to_s]);
    assert!((timed_out_at - pushed_at - 10.0).abs() < 0.0015, "{out}");
    assert_eq!(status_at, timed_out_at);
    assert!(
        reroute_at >= status_at && repushed_at >= reroute_at,
        "{out}"
    );
    assert!(
        lines[reroute].contains(&format!("(agent {from} left out: it let this item go)")),
        "{}",
        lines[reroute]
    );
}

#[test]
fn an_agentwork_id_follows_the_item_it_pushed() {
    let (out, _) = trace(&[CASCADE, "--work", "0Bz000000000005"]);
    let note = out.lines().nth(2).unwrap();
    assert!(
        note.starts_with("AgentWork 0Bz000000000005 is the push of item 500"),
        "{out}"
    );
    assert!(out.contains("as AgentWork 0Bz000000000005;"), "{out}");
    assert!(out.lines().last().unwrap().contains("is done at"), "{out}");
}

#[test]
fn the_line_limit_stops_the_trace_and_says_how_to_see_more() {
    let (out, _) = trace(&[CASCADE, "--limit", "20"]);
    assert_eq!(event_lines(&out).len(), 20, "{out}");
    let last = out.lines().last().unwrap();
    assert!(last.starts_with("— 20 lines shown, up to "), "{last}");
    for flag in [
        "--limit",
        "0 = no limit",
        "--from",
        "--until",
        "--agent",
        "--queue",
        "--work",
    ] {
        assert!(last.contains(flag), "{flag} missing: {last}");
    }
    assert!(!out.contains('\u{1b}'), "no colour when piped");
}

/// A scenario far too long to simulate in a test: only the early stop at
/// the limit or at --until keeps these fast.
#[test]
fn the_run_stops_early_at_the_limit_and_at_until() {
    let text = std::fs::read_to_string(CASCADE)
        .unwrap()
        .replace("duration = \"4h\"", "duration = \"20000h\"");
    assert!(text.contains("20000h"));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("endless.toml");
    std::fs::write(&path, text).unwrap();
    let path = path.to_str().unwrap();

    let started = Instant::now();
    let (out, _) = trace(&[path, "--limit", "100"]);
    assert_eq!(event_lines(&out).len(), 100);
    let (out, _) = trace(&[path, "--until", "10m", "--limit", "0"]);
    let lines = event_lines(&out);
    assert!(lines.iter().all(|l| clock(l).unwrap() <= 600.0));
    assert!(
        out.lines()
            .last()
            .unwrap()
            .ends_with("shown, up to --until 00:10:00.000"),
        "{out}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "took {:?}",
        started.elapsed()
    );
}

#[test]
fn jsonl_is_one_event_object_per_line_with_its_text() {
    let (out, err) = trace(&[CASCADE, "--format", "jsonl", "--limit", "50"]);
    let events = jsonl(&out);
    assert_eq!(events.len(), 50);
    for e in &events {
        assert!(e["time_us"].is_u64() && e["time"].is_f64(), "{e}");
        assert!(e["event"].is_string(), "{e}");
        assert!(!e["text"].as_str().unwrap().is_empty(), "{e}");
    }
    assert!(events.iter().any(|e| e["event"] == "routing_decision"));
    assert!(
        err.contains("50 lines shown"),
        "the footer goes to stderr: {err}"
    );
}

#[test]
fn filters_select_agent_queue_and_time_window() {
    let (out, _) = trace(&[CASCADE, "--agent", "3", "--limit", "200"]);
    let lines = event_lines(&out);
    assert!(lines.len() > 20, "{out}");
    assert!(
        lines
            .iter()
            .all(|l| l.match_indices("agent 3").any(|(i, m)| {
                // "agent 3", not "agent 30": the next character is no digit.
                !l[i + m.len()..].starts_with(|c: char| c.is_ascii_digit())
            })),
        "{out}"
    );

    let (out, _) = trace(&[
        "scenarios/quickstart.toml",
        "--queue",
        "Cases",
        "--format",
        "jsonl",
        "--limit",
        "100",
    ]);
    let events = jsonl(&out);
    assert!(events.len() > 10);
    assert!(
        events
            .iter()
            .all(|e| e["queue"] == "Cases" || e["event"] == "status_changed"),
        "{out}"
    );

    // Durations count from the start of the measured day, which the
    // cascade's 30-minute warm-up puts 1800 s into the run.
    let (out, _) = trace(&[
        CASCADE, "--from", "1h", "--until", "3900", "--format", "jsonl", "--limit", "0",
    ]);
    let events = jsonl(&out);
    assert!(!events.is_empty());
    assert!(events
        .iter()
        .all(|e| (5_400_000_000..=5_700_000_000).contains(&e["time_us"].as_u64().unwrap())));
    // The same window as clock times (the cascade's day starts at 00:00).
    let (same, _) = trace(&[
        CASCADE, "--from", "01:00", "--until", "01:05", "--format", "jsonl", "--limit", "0",
    ]);
    assert_eq!(same, out);
}

#[test]
fn clock_time_filters_select_the_lines_of_that_time_of_day() {
    // The bank's day starts at 08:00 after a 30-minute warm-up: 12:00 is
    // 4 h 30 min into the run.
    let bank = "scenarios/bank.toml";
    let (out, _) = trace(&[bank, "--from", "12:00", "--until", "12:05", "--limit", "0"]);
    let lines = event_lines(&out);
    assert!(lines.len() > 10, "{out}");
    let (noon, five_past) = (12.0 * 3600.0, 12.0 * 3600.0 + 300.0);
    assert!(
        lines
            .iter()
            .all(|l| (noon..=five_past).contains(&clock(l).unwrap())),
        "{out}"
    );
    assert!(clock(lines[0]).unwrap() < noon + 60.0, "{out}");
    assert!(
        out.contains("clock times: the measured day runs 08:00–16:00, after a warm-up from 07:30")
    );
    let (json, _) = trace(&[
        bank, "--from", "12:00", "--until", "12:05", "--format", "jsonl", "--limit", "0",
    ]);
    let events = jsonl(&json);
    assert_eq!(events.len(), lines.len());
    for (e, l) in events.iter().zip(&lines) {
        let t = e["time_us"].as_u64().unwrap();
        assert!((16_200_000_000..=16_500_000_000).contains(&t), "{e}");
        // Each object carries the label its text line shows.
        assert_eq!(e["clock"].as_str().unwrap(), l.split("  ").next().unwrap());
    }
    // The same window as a duration from start, and as printed labels.
    let (by_duration, _) = trace(&[bank, "--from", "4h", "--until", "4h5m", "--limit", "0"]);
    assert_eq!(by_duration, out);
    let (by_label, _) = trace(&[
        bank,
        "--from",
        "12:00:00.000",
        "--until",
        "12:05:00.000",
        "--limit",
        "0",
    ]);
    assert_eq!(by_label, out);
    // A time inside the warm-up means the warm-up.
    let (warm, _) = trace(&[bank, "--from", "07:40", "--until", "07:45", "--limit", "0"]);
    let lines = event_lines(&warm);
    assert!(!lines.is_empty(), "{warm}");
    let (a, b) = (7.0 * 3600.0 + 40.0 * 60.0, 7.0 * 3600.0 + 45.0 * 60.0);
    assert!(
        lines.iter().all(|l| (a..=b).contains(&clock(l).unwrap())),
        "{warm}"
    );
}

#[test]
fn a_day_without_start_shows_its_warm_up_before_midnight() {
    let (out, _) = trace(&[CASCADE, "--until", "-00:25", "--limit", "0"]);
    let lines = event_lines(&out);
    assert!(!lines.is_empty(), "{out}");
    assert!(lines.iter().all(|l| l.starts_with("-00:")), "{out}");
    assert!(
        lines.iter().all(|l| clock(l).unwrap() <= -25.0 * 60.0),
        "{out}"
    );
    assert!(
        out.contains("clock times: the measured day runs 00:00–04:00, after a warm-up from -00:30")
    );
    // A negative duration from start reaches the same instant.
    let (same, _) = trace(&[CASCADE, "--until", "-25m", "--limit", "0"]);
    assert_eq!(same, out);
}

#[test]
fn bad_filters_are_invalid_input_reported_once() {
    for (args, expect) in [
        (vec!["--queue", "chat"], "did you mean `Chat`?"),
        (vec!["--agent", "12"], "numbered 0 to 11"),
        (vec!["--work", "case-7"], "neither a work item id"),
        (vec!["--from", "2h", "--until", "1h"], "is before --from"),
        (vec!["--from", "soon"], "--from"),
        (vec!["--from", "12:75"], "not a clock time"),
        (
            vec!["--from", "-1h"],
            "before the run, which begins at -00:30",
        ),
    ] {
        let out = omnisim()
            .arg("trace")
            .arg(CASCADE)
            .args(&args)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(out.stdout.is_empty(), "{args:?}");
        assert!(stderr.contains(expect), "{args:?}: {stderr}");
        assert_eq!(stderr.matches("error:").count(), 1, "{stderr}");
    }
}

#[test]
fn help_shows_an_example() {
    let out = omnisim().args(["trace", "--help"]).output().unwrap();
    let help = String::from_utf8(out.stdout).unwrap();
    assert!(help.contains("Examples:"), "{help}");
    assert!(
        help.contains("omnisim trace scenarios/push_timeout_cascade.toml"),
        "{help}"
    );
}

#[test]
fn jsonl_gives_names_and_seconds() {
    let (out, _) = trace(&[
        "scenarios/quickstart.toml",
        "--format",
        "jsonl",
        "--limit",
        "200",
    ]);
    let events = jsonl(&out);
    let assigned = events
        .iter()
        .find(|e| e["event"] == "work_assigned")
        .expect("a push in the first 200 events");
    assert!(
        assigned["queue"] == "Chat" || assigned["queue"] == "Cases",
        "{assigned}"
    );
    assert!(assigned["group"].is_string(), "{assigned}");
    assert!(assigned["agent"].is_u64(), "{assigned}");
    let us = assigned["handle_time_us"].as_u64().unwrap();
    assert_eq!(assigned["handle_time"].as_f64().unwrap(), us as f64 / 1e6);
    let login = events
        .iter()
        .find(|e| e["event"] == "login_success")
        .unwrap();
    assert!(login["status"].is_string(), "{login}");
}

#[test]
fn jsonl_decisions_list_their_candidates_best_first() {
    let (out, _) = trace(&[
        "scenarios/quickstart.toml",
        "--format",
        "jsonl",
        "--limit",
        "300",
    ]);
    let decisions: Vec<Value> = jsonl(&out)
        .into_iter()
        .filter(|e| e["event"] == "routing_decision")
        .collect();
    assert!(!decisions.is_empty());
    for d in &decisions {
        let candidates = d["candidates"].as_array().expect("candidates");
        assert!(!candidates.is_empty(), "{d}");
        assert!(
            d["eligible"].as_u64().unwrap() >= candidates.len() as u64,
            "{d}"
        );
        // The router's choice is its first recorded candidate, and the
        // rule that set it apart is named.
        assert_eq!(candidates[0]["agent"], d["agent"], "{d}");
        let rule = d["rule"].as_str().expect("rule");
        assert!(
            [
                "only_eligible",
                "most_free_capacity",
                "least_load",
                "never_pushed_since_login",
                "logged_in_first",
                "longest_since_last_push",
                "lowest_agent_number",
            ]
            .contains(&rule),
            "{d}"
        );
        if d["eligible"] == 1 {
            assert_eq!(rule, "only_eligible", "{d}");
        }
        for c in candidates {
            assert!(c["group"].is_string(), "{c}");
            assert!(
                c["free"].as_f64().unwrap() <= c["capacity"].as_f64().unwrap(),
                "{c}"
            );
        }
    }
}
