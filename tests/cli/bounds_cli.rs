//! Resource bounds on the command line: every scenario that used to abort
//! with an allocation failure (exit 134) or run forever is refused by
//! `check`, `run`, `plan` (and `trace`) with exit 1 and an error located at the key
//! that drives the estimate, at once and without allocating what it
//! describes (each runs under a 1 GiB address-space limit); load mode
//! refuses paces it cannot keep and windows too long.

use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

/// The minimal valid scenario of the reproducers: one channel, capacity 1,
/// one queue at 10 items an hour, one agent, 1 h (shared with the core's
/// bounds tests).
const MINIMAL: &str = include_str!("../fixtures/minimal.toml");

/// Address space a refused command may use: far below what any
/// reproducer describes.
const ADDRESS_SPACE: u64 = 1 << 30;

/// `omnisim ARGS` under [`ADDRESS_SPACE`]; its output and wall time.
fn omnisim(args: &[&str]) -> (Output, Duration) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_omnisim"));
    cmd.args(args);
    // SAFETY: setrlimit is async-signal-safe and touches only the child.
    unsafe {
        cmd.pre_exec(|| {
            let limit = libc::rlimit {
                rlim_cur: ADDRESS_SPACE,
                rlim_max: ADDRESS_SPACE,
            };
            if libc::setrlimit(libc::RLIMIT_AS, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let started = Instant::now();
    let out = cmd.output().expect("omnisim runs");
    (out, started.elapsed())
}

/// Writes the minimal scenario with `from` replaced by `to`.
fn reproducer(dir: &Path, name: &str, from: &str, to: &str) -> PathBuf {
    assert!(MINIMAL.contains(from), "{from}");
    let path = dir.join(format!("{name}.toml"));
    std::fs::write(&path, MINIMAL.replacen(from, to, 1)).unwrap();
    path
}

/// Runs `omnisim ARGS`, which must be refused with exit 1 at once, and
/// returns its stderr.
fn refused(args: &[&str]) -> String {
    let (out, took) = omnisim(args);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
    assert!(out.stdout.is_empty(), "{args:?} printed a result");
    assert!(
        took < Duration::from_secs(3),
        "{args:?} took {took:?} to refuse"
    );
    stderr
}

/// (name, the line changed, what it becomes, `file:line:col: key` of the
/// error, a fragment of the message).
const REPRODUCERS: &[(&str, &str, &str, &str, &str)] = &[
    (
        "interval_1us",
        "interval = \"30m\"",
        "interval = \"1us\"",
        ":4:12: simulation.interval: interval = \"1us\" gives 3.6e9 intervals",
        "hint: use a longer interval",
    ),
    (
        "duration_200000y",
        "duration = \"1h\"",
        "duration = \"200000y\"",
        ":3:12: simulation.duration: duration = \"200000y\" gives",
        "hint: use a shorter duration",
    ),
    (
        "count_1e9",
        "count = 1\n",
        "count = 1000000000\n",
        ":31:9: agents[0].count: count = 1000000000 gives 1.0e9 agents",
        "(--max-memory)",
    ),
    (
        "replications_1e9",
        "replications = 1",
        "replications = 1000000000",
        ":5:16: simulation.replications: replications = 1000000000 gives",
        "(--max-memory)",
    ),
    (
        "rate_1e9",
        "rate_per_hour = 10",
        "rate_per_hour = 1e9",
        ":26:17: arrivals[0].rate_per_hour: rate_per_hour = 1e9 gives up to 1.0e9 items in flight",
        "(--max-memory)",
    ),
    (
        "rate_1e12",
        "rate_per_hour = 10",
        "rate_per_hour = 1e12",
        ":26:17: arrivals[0].rate_per_hour: rate_per_hour = 1e12 reaches",
        "the highest rate a stream can carry is 3.6e9 an hour",
    ),
    (
        "warmup_200000y",
        "duration = \"1h\"",
        "duration = \"1h\"\nwarmup = \"200000y\"",
        ":4:10: simulation.warmup: warmup = \"200000y\" gives",
        "hint: use a shorter warm-up",
    ),
    (
        "interval_1ms",
        "interval = \"30m\"",
        "interval = \"1ms\"",
        ":4:12: simulation.interval: interval = \"1ms\" gives 3.6e6 intervals",
        "7.2e6 rows of intervals.csv",
    ),
];

#[test]
fn check_run_and_plan_refuse_every_reproducer_in_place() {
    let dir = tempfile::tempdir().unwrap();
    for (name, from, to, located, says) in REPRODUCERS {
        let file = reproducer(dir.path(), name, from, to);
        let f = file.to_str().unwrap();
        let out = dir.path().join(format!("out_{name}"));
        let o = out.to_str().unwrap();
        for args in [
            vec!["check", f, "--max-memory", "12GB"],
            vec!["run", f, "--out", o, "--jobs", "1", "--max-memory", "12GB"],
            vec!["plan", f, "--out", o, "--jobs", "1", "--max-memory", "12GB"],
        ] {
            let stderr = refused(&args);
            assert!(
                stderr.starts_with(&format!("error: {f}{located}")),
                "{args:?}: {stderr}"
            );
            assert!(stderr.contains(says), "{args:?}: {stderr}");
            assert!(!out.exists(), "{args:?} created {}", out.display());
        }
    }
}

#[test]
fn trace_refuses_what_it_cannot_simulate() {
    let dir = tempfile::tempdir().unwrap();
    let file = reproducer(dir.path(), "agents", "count = 1\n", "count = 1000000000\n");
    let f = file.to_str().unwrap();
    let stderr = refused(&["trace", f, "--until", "00:01"]);
    assert!(
        stderr.starts_with(&format!(
            "error: {f}:31:9: agents[0].count: count = 1000000000"
        )),
        "{stderr}"
    );
    let file = reproducer(
        dir.path(),
        "rate",
        "rate_per_hour = 10",
        "rate_per_hour = 1e12",
    );
    let stderr = refused(&["trace", file.to_str().unwrap()]);
    assert!(stderr.contains("arrivals[0].rate_per_hour"), "{stderr}");
}

#[test]
fn the_default_limit_refuses_what_no_machine_holds() {
    let dir = tempfile::tempdir().unwrap();
    let file = reproducer(dir.path(), "agents", "count = 1\n", "count = 1000000000\n");
    let stderr = refused(&["check", file.to_str().unwrap()]);
    assert!(stderr.contains("2.8 TB in all; the limit is"), "{stderr}");
}

#[test]
fn a_bigger_limit_lets_a_bigger_run_through() {
    let dir = tempfile::tempdir().unwrap();
    let file = reproducer(dir.path(), "agents", "count = 1\n", "count = 100000\n");
    let f = file.to_str().unwrap();
    // 100,000 agents are some 280 MB: refused under 100 MB, fine under 1 GB.
    let stderr = refused(&["check", f, "--max-memory", "100MB"]);
    assert!(
        stderr.contains("agents[0].count: count = 100000 gives 100000 agents"),
        "{stderr}"
    );
    assert!(
        stderr.contains("the limit is 100 MB (--max-memory)"),
        "{stderr}"
    );
    let (out, _) = omnisim(&["check", f, "--max-memory", "1GB"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn too_many_events_are_refused_with_the_count() {
    let dir = tempfile::tempdir().unwrap();
    let file = reproducer(dir.path(), "busy", "replications = 1", "replications = 100");
    let f = file.to_str().unwrap();
    // 100 replications × 10 items × 7 events, plus the agent's own.
    let stderr = refused(&["check", f, "--max-events", "1000"]);
    assert!(
        stderr.contains("gives about 7300 events (10 items × 100 replication(s))"),
        "{stderr}"
    );
    assert!(
        stderr.contains("the limit is 1000 events (--max-events)"),
        "{stderr}"
    );
    let (out, _) = omnisim(&["check", f, "--max-events", "10000"]);
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn replications_on_the_command_line_are_named_as_the_flag() {
    let dir = tempfile::tempdir().unwrap();
    let file = reproducer(dir.path(), "min", "name = \"min\"", "name = \"min\"");
    let out = dir.path().join("out");
    let stderr = refused(&[
        "run",
        file.to_str().unwrap(),
        "--replications",
        "1000000000",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(
        stderr.contains("simulation.replications: --replications gives"),
        "{stderr}"
    );
    assert!(!out.exists());
}

#[test]
fn a_bad_limit_is_refused() {
    let stderr = refused(&[
        "check",
        "scenarios/quickstart.toml",
        "--max-memory",
        "12 parsecs",
    ]);
    assert!(stderr.contains("unknown unit"), "{stderr}");
    let stderr = refused(&["check", "scenarios/quickstart.toml", "--max-events", "0"]);
    assert!(stderr.contains("is not a count"), "{stderr}");
}

#[test]
fn an_endless_rate_profile_file_is_refused_at_its_key() {
    let dir = tempfile::tempdir().unwrap();
    let file = reproducer(
        dir.path(),
        "zero",
        "rate_per_hour = 10",
        "rate_profile_csv = \"/dev/zero\"",
    );
    let f = file.to_str().unwrap();
    let stderr = refused(&["check", f]);
    assert!(
        stderr.starts_with(&format!("error: {f}:26:20: arrivals[0].rate_profile_csv: ")),
        "{stderr}"
    );
    assert!(
        stderr.contains("it is a character device, not a regular file"),
        "{stderr}"
    );
    assert!(!stderr.contains("nonexistent"), "{stderr}");
}

#[test]
fn every_bundled_scenario_still_checks() {
    for entry in std::fs::read_dir("scenarios").unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "toml") {
            let out = Command::new(env!("CARGO_BIN_EXE_omnisim"))
                .arg("check")
                .arg(&path)
                .output()
                .unwrap();
            assert_eq!(
                out.status.code(),
                Some(0),
                "{}: {}",
                path.display(),
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
}

#[test]
fn load_mode_refuses_paces_it_cannot_keep() {
    let quick = "scenarios/quickstart.toml";
    // quickstart offers 90 items an hour: at 1e6 simulated seconds per
    // wall second that is 25,000 arrivals a wall second.
    let stderr = refused(&["load", quick, "--rate", "1e12"]);
    assert!(
        stderr.contains("--rate 1e12 is faster than load mode can pace: at most 25000 here"),
        "{stderr}"
    );
    let stderr = refused(&["load", quick, "--speed", "1e300"]);
    assert!(
        stderr.contains("--speed 1e300 is faster than load mode can pace: at most 1e6 here"),
        "{stderr}"
    );
    // load.toml offers 3 items a second: the 1e6 arrivals a second bind.
    let stderr = refused(&["load", "scenarios/load.toml", "--rate", "2e6"]);
    assert!(stderr.contains("at most 1e6 here"), "{stderr}");
    let stderr = refused(&["load", quick, "--find-max", "--start-rate", "1e9"]);
    assert!(
        stderr.contains("--start-rate 1e9 is faster than load mode can pace: at most 25000"),
        "{stderr}"
    );
}

#[test]
fn load_mode_bounds_its_warmup_and_duration() {
    for flag in ["--warmup", "--duration"] {
        let stderr = refused(&["load", "scenarios/quickstart.toml", flag, "100000d"]);
        assert!(
            stderr.contains("is longer than a load run may last; at most 24h"),
            "{flag}: {stderr}"
        );
    }
}

#[test]
fn the_interval_rows_limit_is_a_flag() {
    let dir = tempfile::tempdir().unwrap();
    let file = reproducer(
        dir.path(),
        "rows",
        "interval = \"30m\"",
        "interval = \"1s\"",
    );
    let f = file.to_str().unwrap();
    // An hour of 1-second intervals: 3,600 × 2 rows.
    let stderr = refused(&["check", f, "--max-interval-rows", "1000"]);
    assert!(
        stderr.contains(
            "7200 rows of intervals.csv; the most it may get is 1000 (--max-interval-rows)"
        ),
        "{stderr}"
    );
    let (out, _) = omnisim(&["check", f, "--max-interval-rows", "1e4"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_scenario_file_that_never_ends_is_refused_not_read() {
    let stderr = refused(&["check", "/dev/zero"]);
    assert!(
        stderr.contains(
            "/dev/zero: cannot read the scenario file: it is a character device, not a regular file"
        ),
        "{stderr}"
    );
    assert!(!stderr.contains("nonexistent"), "{stderr}");
}
