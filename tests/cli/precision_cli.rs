//! `omnisim run --precision`: replications are added until every queue's
//! 95% interval is narrow enough, and the files are those of a plain run
//! of as many replications.

use assert_cmd::Command;
use std::path::Path;

fn omnisim() -> Command {
    Command::cargo_bin("omnisim").expect("binary built")
}

/// A small two-queue desk that simulates fast; its service level needs
/// dozens of replications for ±0.03, more than the 3 it starts with.
const DESK: &str = r#"
[simulation]
name = "desk"
start = "09:00"
duration = "2h"
warmup = "15m"
seed = 5
replications = 3
interval = "30m"

[[channels]]
name = "chat"

[[statuses]]
name = "Available"
channels = ["chat"]

[[presence_configs]]
name = "Chat"
capacity = 1

[[queues]]
name = "Sales"
channel = "chat"
routing_model = "most_available"
capacity_weight = 1

[[queues]]
name = "Support"
channel = "chat"
routing_model = "most_available"
capacity_weight = 1

[[arrivals]]
queue = "Sales"
rate_per_hour = 30
handle_time = { dist = "exponential", mean = "5m" }
patience = { dist = "exponential", mean = "2m" }

[[arrivals]]
queue = "Support"
rate_per_hour = 20
handle_time = { dist = "exponential", mean = "6m" }

[[agents]]
group = "Team"
count = 5
presence_config = "Chat"
status = "Available"
"#;

fn desk(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("desk.toml");
    std::fs::write(&path, DESK).unwrap();
    path
}

/// Runs `omnisim run FILE ARGS --out OUT`; its stdout.
fn run(file: &Path, out: &Path, args: &[&str]) -> String {
    let o = omnisim()
        .arg("run")
        .arg(file)
        .args(args)
        .arg("--out")
        .arg(out)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "run {args:?} failed: {stderr}");
    String::from_utf8(o.stdout).unwrap()
}

/// `summary.json` without its `precision` block, which is the last key.
fn without_precision(summary: &str) -> String {
    let at = summary
        .find(",\n  \"precision\": {")
        .expect("a precision block");
    format!("{}\n}}\n", &summary[..at])
}

#[test]
fn precision_stops_when_reached_and_matches_a_plain_run_of_that_many() {
    let tmp = tempfile::tempdir().unwrap();
    let file = desk(tmp.path());
    let (seq, seq1, plain) = (
        tmp.path().join("seq"),
        tmp.path().join("seq1"),
        tmp.path().join("plain"),
    );
    let printed = run(
        &file,
        &seq,
        &["--precision", "service_level=0.03", "--jobs", "2"],
    );
    let line = printed
        .lines()
        .find(|l| l.starts_with("precision reached after "))
        .unwrap_or_else(|| panic!("no precision line:\n{printed}"));
    let n: u32 = line["precision reached after ".len()..]
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(n > 3, "more than the scenario's 3 replications: {printed}");
    assert!(n < 200, "{printed}");
    // The achieved half-width, widest queue, at or below the target.
    let achieved = printed
        .lines()
        .find(|l| l.starts_with("  service_level ±"))
        .unwrap_or_else(|| panic!("{printed}"));
    assert!(achieved.ends_with(" ≤ 0.03"), "{achieved}");
    assert!(
        printed.contains(&format!("desk: {n} replications,")),
        "{printed}"
    );

    // The same, one job at a time: byte for byte.
    run(
        &file,
        &seq1,
        &[
            "--precision",
            "service_level=0.03",
            "--jobs",
            "1",
            "--quiet",
        ],
    );
    // A plain run of that many replications gives the same files.
    run(
        &file,
        &plain,
        &["--replications", &n.to_string(), "--quiet"],
    );
    for f in ["intervals.csv", "agents.csv", "work.csv", "summary.json"] {
        let a = std::fs::read(seq.join(f)).unwrap();
        assert_eq!(
            a,
            std::fs::read(seq1.join(f)).unwrap(),
            "{f}: --jobs 1 vs 2"
        );
        if f == "summary.json" {
            let a = String::from_utf8(a).unwrap();
            let b = std::fs::read_to_string(plain.join(f)).unwrap();
            assert_eq!(without_precision(&a), b, "{f}");
        } else {
            assert_eq!(a, std::fs::read(plain.join(f)).unwrap(), "{f}");
        }
    }
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(seq.join("summary.json")).unwrap()).unwrap();
    let p = &summary["precision"];
    assert_eq!(p["reached"], true);
    assert_eq!(p["replications"], n);
    assert_eq!(p["max_replications"], 200);
    assert_eq!(p["targets"][0]["metric"], "service_level");
    assert_eq!(p["targets"][0]["half_width"], 0.03);
    let widest = p["achieved"][0]["widest"]["half_width"].as_f64().unwrap();
    assert!(widest <= 0.03);
}

#[test]
fn the_maximum_reached_first_is_said_plainly_and_exits_zero() {
    let tmp = tempfile::tempdir().unwrap();
    let file = desk(tmp.path());
    let out = tmp.path().join("max");
    let printed = run(
        &file,
        &out,
        &[
            "--precision",
            "service_level=0.0001",
            "--precision",
            "asa_s=1000",
            "--max-replications",
            "4",
        ],
    );
    assert!(
        printed.contains(
            "precision NOT reached: stopped at the maximum of 4 replications (--max-replications)"
        ),
        "{printed}"
    );
    let missed = printed
        .lines()
        .find(|l| l.starts_with("  service_level ±"))
        .unwrap_or_else(|| panic!("{printed}"));
    assert!(missed.contains("> 0.0001: NOT met, misses by "), "{missed}");
    assert!(printed
        .lines()
        .any(|l| l.starts_with("  asa_s ±") && l.ends_with("≤ 1000")));
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["replications"], 4);
    assert_eq!(summary["precision"]["reached"], false);
    assert_eq!(summary["precision"]["achieved"][0]["met"], false);
    assert_eq!(summary["precision"]["achieved"][1]["met"], true);
}

#[test]
fn bad_precision_arguments_are_invalid_input() {
    let tmp = tempfile::tempdir().unwrap();
    let file = desk(tmp.path());
    for (args, expect) in [
        (
            vec!["--precision", "service_levle=0.01"],
            "--precision: no metric `service_levle`; did you mean `service_level`?",
        ),
        (vec!["--precision", "asa_s=0"], "greater than 0"),
        (
            vec!["--precision", "asa_s=2", "--precision", "asa_s=3"],
            "`asa_s` is given twice",
        ),
        (
            vec![
                "--precision",
                "asa_s=2",
                "--replications",
                "9",
                "--max-replications",
                "5",
            ],
            "--max-replications 5 is below the 9 replications",
        ),
        (vec!["--max-replications", "5"], "--precision"),
    ] {
        let out = omnisim()
            .arg("run")
            .arg(&file)
            .args(&args)
            .arg("--out")
            .arg(tmp.path().join("bad"))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(stderr.contains(expect), "{args:?}: {stderr}");
        assert!(!tmp.path().join("bad/summary.json").exists());
    }
}
