//! `omnisim load`: short wall-clock runs write load.json and four `.hgrm`
//! files in HdrHistogram's percentile-distribution layout; the ramp
//! reports its steps; Ctrl-C prints partial figures and writes nothing;
//! bad paces are refused.

use assert_cmd::Command;
use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::path::Path;

fn omnisim() -> Command {
    Command::cargo_bin("omnisim").expect("binary built")
}

const HISTOGRAMS: [&str; 4] = [
    "push_accept",
    "toolkit_rtt",
    "routing_decision",
    "schedule_lag",
];

/// Checks one `.hgrm` file the way a plotter reads it: the header line, a
/// blank line, rows of value / percentile / total count (and 1/(1-p)
/// except on the 100% row) that never decrease, then the three-line
/// footer whose total count matches the last row.
fn check_hgrm(path: &Path) -> u64 {
    let text = std::fs::read_to_string(path).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "       Value     Percentile TotalCount 1/(1-Percentile)",
        "{}",
        path.display()
    );
    assert_eq!(lines[1], "");
    let rows: Vec<Vec<f64>> = lines[2..]
        .iter()
        .take_while(|l| !l.starts_with('#'))
        .map(|l| l.split_whitespace().map(|c| c.parse().unwrap()).collect())
        .collect();
    assert!(!rows.is_empty(), "{} has no rows", path.display());
    for w in rows.windows(2) {
        assert_eq!(w[0].len(), 4);
        assert!(w[1][0] >= w[0][0] && w[1][1] >= w[0][1] && w[1][2] >= w[0][2]);
    }
    let last = rows.last().unwrap();
    assert_eq!(last.len(), 3);
    assert_eq!(last[1], 1.0);
    let footer: Vec<&str> = lines
        .iter()
        .filter(|l| l.starts_with("#["))
        .copied()
        .collect();
    assert!(footer[0].starts_with("#[Mean    = "));
    assert!(footer[1].starts_with("#[Max     = "));
    assert!(footer[2].starts_with("#[Buckets = "));
    let total: u64 = footer[1]
        .trim_end_matches(']')
        .rsplit('=')
        .next()
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    assert_eq!(total, last[2] as u64);
    total
}

/// A short fixed-pace run of the quickstart at 7,200× (0.2 s warm-up,
/// 1 s measured) into `dir`, with `extra` arguments; returns stdout and
/// load.json after checking the run succeeded.
fn quickstart_run(dir: &Path, extra: &[&str]) -> (String, Value) {
    let out = omnisim()
        .args([
            "load",
            "scenarios/quickstart.toml",
            "--speed",
            "7200",
            "--warmup",
            "200ms",
            "--duration",
            "1s",
        ])
        .args(extra)
        .arg("--out")
        .arg(dir)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json =
        serde_json::from_str(&std::fs::read_to_string(dir.join("load.json")).unwrap()).unwrap();
    (stdout, json)
}

#[test]
fn a_fixed_pace_run_writes_load_json_and_four_histograms() {
    let dir = tempfile::tempdir().unwrap();
    let (stdout, json) = quickstart_run(dir.path(), &[]);
    for needle in [
        "push → accept",
        "toolkit round trip",
        "routing decision",
        "schedule lag",
        "p99.9",
    ] {
        assert!(stdout.contains(needle), "{needle} missing from\n{stdout}");
    }

    assert_eq!(json["mode"], "fixed");
    assert_eq!(json["unit"], "microseconds");
    assert_eq!(json["interrupted"], false);
    let run = &json["run"];
    assert_eq!(run["speed"].as_f64(), Some(7200.0));
    // The quickstart offers about 92 items an hour: 7,200× is ~180 items/s.
    let target = run["target_items_per_s"].as_f64().unwrap();
    assert!((150.0..220.0).contains(&target), "{target}");
    assert!(run["items"].as_u64().unwrap() > 50, "{run}");
    assert!(run["toolkit_calls"].as_u64().unwrap() > 50, "{run}");
    let window = run["window_s"].as_f64().unwrap();
    assert!((0.9..1.5).contains(&window), "{window}");
    for name in HISTOGRAMS {
        let p = &run[name];
        for key in ["count", "p50_us", "p90_us", "p99_us", "p99_9_us", "max_us"] {
            assert!(p[key].is_number(), "{name}.{key} in {run}");
        }
        assert!(p["p50_us"].as_f64() <= p["p99_us"].as_f64());
        assert!(p["p99_us"].as_f64() <= p["max_us"].as_f64());
        let total = check_hgrm(&dir.path().join(format!("{name}.hgrm")));
        assert_eq!(total, p["count"].as_u64().unwrap(), "{name}");
    }
    assert_eq!(
        run["toolkit_rtt"]["count"].as_u64(),
        run["toolkit_calls"].as_u64()
    );
}

/// Runs a short ramp on the quickstart (0.1 s warm-up + 0.3 s per step)
/// into `dir`; returns stdout, load.json and the steps' target rates.
fn ramp(dir: &Path, start: &str, doublings: &str, bound: &str) -> (String, Value, Vec<f64>) {
    let out = omnisim()
        .args([
            "load",
            "scenarios/quickstart.toml",
            "--find-max",
            "--start-rate",
            start,
            "--max-doublings",
            doublings,
            "--p99-bound",
            bound,
            "--warmup",
            "100ms",
            "--duration",
            "300ms",
            "--out",
        ])
        .arg(dir)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "{stdout}");
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("load.json")).unwrap()).unwrap();
    assert_eq!(json["mode"], "find_max");
    let targets = json["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["target_items_per_s"].as_f64().unwrap().round())
        .collect();
    (stdout, json, targets)
}

#[test]
fn find_max_ramps_and_reports_the_highest_sustained_rate() {
    let dir = tempfile::tempdir().unwrap();
    let (stdout, json, targets) = ramp(dir.path(), "50", "2", "10s");
    assert!(
        stdout.contains("highest sustained: 200 items/s"),
        "{stdout}"
    );
    assert_eq!(targets, [50.0, 100.0, 200.0]);
    assert_eq!(
        json["run"]["target_items_per_s"].as_f64().unwrap().round(),
        200.0
    );
    for name in HISTOGRAMS {
        check_hgrm(&dir.path().join(format!("{name}.hgrm")));
    }
}

#[test]
fn a_ramp_where_nothing_is_sustained_says_so_and_halves() {
    let dir = tempfile::tempdir().unwrap();
    let (stdout, json, targets) = ramp(dir.path(), "400", "1", "1ns");
    assert!(stdout.contains("no rate tried was sustained"), "{stdout}");
    assert_eq!(targets, [400.0, 200.0]);
    assert_eq!(json["steps"][0]["sustained"], false);
    // The histograms of the last step are still written.
    for name in HISTOGRAMS {
        check_hgrm(&dir.path().join(format!("{name}.hgrm")));
    }
}

/// Sends `signal` to a paced quickstart load run once it has started, and
/// returns its exit code, its stdout after the first line, its stderr and
/// the output folder.
fn signalled_run(signal: &str) -> (Option<i32>, String, String, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("omnisim"))
        .args([
            "load",
            "scenarios/quickstart.toml",
            "--speed",
            "3600",
            "--warmup",
            "100ms",
            "--duration",
            "60s",
            "--out",
        ])
        .arg(&out)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // The first line is printed once the signal handlers are installed.
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    stdout.read_line(&mut first).unwrap();
    assert!(first.contains("on the wall clock"), "{first}");
    std::thread::sleep(std::time::Duration::from_millis(700));
    let killed = std::process::Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stdout, &mut rest).unwrap();
    let done = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&done.stderr).into_owned();
    (done.status.code(), rest, stderr, dir)
}

/// A load run stopped by a signal prints and writes what it measured,
/// marked interrupted, and exits with the signal's code, as every command
/// that handles SIGINT and SIGTERM does.
#[test]
fn a_signal_stops_the_run_and_its_partial_figures_are_written_marked_interrupted() {
    for (signal, code) in [("-INT", 130), ("-TERM", 143)] {
        let (exit, rest, stderr, dir) = signalled_run(signal);
        assert_eq!(exit, Some(code), "{signal}: {stderr}");
        assert!(rest.contains("stopped early: partial figures"), "{rest}");
        assert!(rest.contains("toolkit round trip"), "{rest}");
        assert!(stderr.contains("the figures are partial"), "{stderr}");
        let out = dir.path().join("out");
        let json: Value =
            serde_json::from_str(&std::fs::read_to_string(out.join("load.json")).unwrap()).unwrap();
        assert_eq!(json["interrupted"], true, "{signal}");
        for name in HISTOGRAMS {
            check_hgrm(&out.join(format!("{name}.hgrm")));
        }
    }
}

#[test]
fn a_pace_that_is_not_positive_is_refused() {
    let out = omnisim()
        .args(["load", "scenarios/quickstart.toml", "--speed", "0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("--speed must be a positive number, got 0"),
        "{stderr}"
    );
    let out = omnisim()
        .args(["load", "scenarios/quickstart.toml", "--duration", "0s"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("longer than zero"));
    let out = omnisim()
        .args([
            "load",
            "scenarios/quickstart.toml",
            "--find-max",
            "--start-rate",
            "0",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("--start-rate must be a positive number, got 0"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // A scenario without arrivals cannot turn a rate into a speed.
    let dir = tempfile::tempdir().unwrap();
    let quiet = dir.path().join("quiet.toml");
    let text = std::fs::read_to_string("scenarios/erlang_c.toml").unwrap();
    let cut = text
        .find("[[arrivals]]")
        .expect("erlang_c.toml has arrivals");
    let end = text[cut..].find("\n\n").map_or(text.len(), |e| cut + e);
    std::fs::write(&quiet, format!("{}{}", &text[..cut], &text[end..])).unwrap();
    let out = omnisim()
        .args(["load", "--rate", "100"])
        .arg(&quiet)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("has no arrivals"), "{stderr}");
}

/// `--threads 2` spreads the centre over two cells on two actix systems:
/// the figures are the cells' together (histograms added, rates summed),
/// and the same files are written.
#[test]
fn threads_spread_the_centre_over_cells_and_add_their_histograms() {
    let dir = tempfile::tempdir().unwrap();
    let (stdout, json) = quickstart_run(dir.path(), &["--threads", "2"]);
    assert!(stdout.contains("2 threads (one cell each)"), "{stdout}");
    let run = &json["run"];
    assert_eq!(run["threads"], 2);
    // Each cell offers half the quickstart's ~92 items an hour; together
    // they offer the whole at 7,200×, ~180 items/s.
    let target = run["target_items_per_s"].as_f64().unwrap();
    assert!((150.0..220.0).contains(&target), "{target}");
    assert!(run["toolkit_calls"].as_u64().unwrap() > 50, "{run}");
    for name in HISTOGRAMS {
        let total = check_hgrm(&dir.path().join(format!("{name}.hgrm")));
        assert_eq!(total, run[name]["count"].as_u64().unwrap(), "{name}");
    }
    assert_eq!(
        run["toolkit_rtt"]["count"].as_u64(),
        run["toolkit_calls"].as_u64()
    );

    let zero = omnisim()
        .args(["load", "scenarios/quickstart.toml", "--threads", "0"])
        .output()
        .unwrap();
    assert!(!zero.status.success());
    let err = String::from_utf8_lossy(&zero.stderr);
    assert!(err.contains("--threads"), "{err}");
}
