//! The real `omnisim` binary: errors, determinism of result files,
//! interruption, and agreement with Erlang C.

use assert_cmd::Command;
use std::path::Path;

fn omnisim() -> Command {
    Command::cargo_bin("omnisim").expect("binary built")
}

/// Every bad fixture: exit code 1, one `error:` line naming the file with
/// line and column (or the section for a missing one), nothing on stdout.
#[test]
fn check_reports_every_bad_file_with_its_location() {
    let mut seen = 0;
    for entry in std::fs::read_dir("tests/fixtures/bad").unwrap() {
        let path = entry.unwrap().path();
        let out = omnisim().arg("check").arg(&path).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{}: {stderr}", path.display());
        assert!(
            out.stdout.is_empty(),
            "{}: stdout not empty",
            path.display()
        );
        let prefix = format!("error: {}:", path.display());
        assert!(stderr.starts_with(&prefix), "{}: {stderr}", path.display());
        assert_eq!(
            stderr.matches("error:").count(),
            1,
            "printed once: {stderr}"
        );
        let located = stderr[prefix.len()..]
            .split(':')
            .take(2)
            .all(|n| n.trim().parse::<u32>().is_ok());
        let named = path.ends_with("missing_simulation.toml");
        assert!(
            located || named,
            "{}: no line:column in {stderr}",
            path.display()
        );
        seen += 1;
    }
    assert!(
        seen >= 12,
        "expected at least 12 bad fixtures, found {seen}"
    );
}

#[test]
fn check_names_the_nearest_key_and_the_wrong_reference() {
    omnisim()
        .args(["check", "tests/fixtures/bad/unknown_key.toml"])
        .assert()
        .code(1)
        .stderr(predicates::str::contains(":25:1: queues[0].routng_model"))
        .stderr(predicates::str::contains("did you mean `routing_model`?"));
    omnisim()
        .args(["check", "tests/fixtures/bad/unknown_channel.toml"])
        .assert()
        .code(1)
        .stderr(predicates::str::contains(":24:11: queues[0].channel"))
        .stderr(predicates::str::contains("channel \"chta\" is not defined"));
}

#[test]
fn check_summarises_a_good_scenario() {
    omnisim()
        .args(["check", "scenarios/support_centre.toml"])
        .assert()
        .success()
        .stdout(predicates::str::contains("Erlang"))
        .stdout(predicates::str::contains(": ok"));
}

#[test]
fn a_missing_file_is_an_error_not_a_panic() {
    omnisim()
        .args(["run", "no/such/file.toml"])
        .assert()
        .code(1)
        .stderr(predicates::str::starts_with("error: no/such/file.toml"));
}

const RESULT_FILES: [&str; 4] = ["summary.json", "intervals.csv", "agents.csv", "work.csv"];

fn run_into(dir: &Path, jobs: &str) {
    omnisim()
        .args([
            "run",
            "scenarios/quickstart.toml",
            "--quiet",
            "--seed",
            "9",
            "--jobs",
            jobs,
            "--out",
        ])
        .arg(dir)
        .assert()
        .success()
        .stdout("");
}

/// Same scenario and seed: byte-identical files, whatever `--jobs`.
#[test]
fn results_are_byte_identical_across_runs_and_job_counts() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b, c) = (
        tmp.path().join("a"),
        tmp.path().join("b"),
        tmp.path().join("c"),
    );
    run_into(&a, "1");
    run_into(&b, "2");
    run_into(&c, "2");
    for f in RESULT_FILES {
        let fa = std::fs::read(a.join(f)).unwrap();
        assert!(fa.len() > 100, "{f} is suspiciously small");
        assert_eq!(
            fa,
            std::fs::read(b.join(f)).unwrap(),
            "{f} differs between --jobs 1 and 2"
        );
        assert_eq!(
            fa,
            std::fs::read(c.join(f)).unwrap(),
            "{f} differs between two runs"
        );
    }
    // And a different seed changes them.
    let d = tmp.path().join("d");
    omnisim()
        .args([
            "run",
            "scenarios/quickstart.toml",
            "--quiet",
            "--seed",
            "10",
            "--out",
        ])
        .arg(&d)
        .assert()
        .success();
    assert_ne!(
        std::fs::read(a.join("work.csv")).unwrap(),
        std::fs::read(d.join("work.csv")).unwrap()
    );
}

#[test]
fn run_prints_a_table_and_where_results_went() {
    let tmp = tempfile::tempdir().unwrap();
    omnisim()
        .args([
            "run",
            "scenarios/quickstart.toml",
            "--replications",
            "2",
            "--out",
        ])
        .arg(tmp.path())
        .assert()
        .success()
        .stdout(predicates::str::contains("service level"))
        .stdout(predicates::str::contains("summary.json"))
        .stderr("");
}

/// Ctrl-C during a long run: exit 130, and no result file, complete or
/// partial, is left behind.
#[cfg(unix)]
#[test]
fn an_interrupted_run_leaves_no_result_file() {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = tmp.path().join("long.toml");
    let text = std::fs::read_to_string("scenarios/erlang_c.toml").unwrap();
    let text = text.replacen("duration = \"200h\"", "duration = \"100000h\"", 1);
    assert!(text.contains("100000h"), "erlang_c.toml layout changed");
    std::fs::write(&scenario, text).unwrap();
    let out = tmp.path().join("out");
    let child = std::process::Command::new(assert_cmd::cargo::cargo_bin("omnisim"))
        .args(["run", "--quiet", "--jobs", "2", "--out"])
        .arg(&out)
        .arg(&scenario)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Wait until the run is writing its work.csv parts, into its staging
    // folder beside `out` (the handler is installed before any
    // replication starts).
    let staging = tmp.path().join(format!(".out.staging-{}", child.id()));
    let started = std::time::Instant::now();
    while !(staging.exists() && std::fs::read_dir(&staging).unwrap().next().is_some()) {
        assert!(started.elapsed().as_secs() < 60, "run never started");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    std::thread::sleep(std::time::Duration::from_millis(200));
    let killed = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let done = child.wait_with_output().unwrap();
    assert_eq!(done.status.code(), Some(130));
    assert!(String::from_utf8_lossy(&done.stderr)
        .contains("interrupted (SIGINT); no result file was written"));
    assert!(!out.exists(), "a result folder was left");
    let left: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left, ["long.toml"], "files left behind");
}

/// `omnisim run scenarios/erlang_c.toml` agrees with Erlang C.
#[test]
fn the_erlang_c_scenario_agrees_with_erlang_c() {
    let tmp = tempfile::tempdir().unwrap();
    omnisim()
        .args([
            "run",
            "scenarios/erlang_c.toml",
            "--quiet",
            "--replications",
            "4",
            "--out",
        ])
        .arg(tmp.path())
        .assert()
        .success();
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(tmp.path().join("summary.json")).unwrap()).unwrap();
    let overall = &summary["overall"];
    let mean = |m: &str| overall[m]["mean"].as_f64().unwrap();
    assert!(
        (mean("p_wait") - 0.33812).abs() < 0.03,
        "p_wait {}",
        mean("p_wait")
    );
    assert!(
        (mean("service_level") - 0.72925).abs() < 0.03,
        "sl {}",
        mean("service_level")
    );
    assert!(
        (mean("asa_s") - 30.431).abs() / 30.431 < 0.15,
        "asa {}",
        mean("asa_s")
    );
    assert!(
        (mean("occupancy") - 0.83333).abs() < 0.02,
        "occupancy {}",
        mean("occupancy")
    );
}

#[test]
fn erlang_command_matches_the_reference_values() {
    omnisim()
        .args([
            "erlang",
            "--agents",
            "10",
            "--rate",
            "100",
            "--aht",
            "300",
            "--threshold",
            "20s",
        ])
        .assert()
        .success()
        .stdout(predicates::str::contains("0.48761"))
        .stdout(predicates::str::contains("87.770"))
        .stdout(predicates::str::contains("0.56367"));
    omnisim()
        .args([
            "erlang",
            "--agents",
            "10",
            "--rate",
            "100",
            "--aht",
            "5m",
            "--patience",
            "2m",
        ])
        .assert()
        .success()
        .stdout(predicates::str::contains("0.26958"))
        .stdout(predicates::str::contains("0.085105"))
        .stdout(predicates::str::contains("7.9726"))
        .stdout(predicates::str::contains("0.79694"));
    omnisim()
        .args([
            "erlang",
            "--rate",
            "100",
            "--aht",
            "300",
            "--target-sl",
            "0.8",
        ])
        .assert()
        .success()
        .stdout(predicates::str::contains("agents needed          12"));
    omnisim()
        .args(["erlang", "--agents", "0", "--rate", "100", "--aht", "300"])
        .assert()
        .code(1)
        .stderr(predicates::str::starts_with("error: "));
}

/// A reader that stops early (`omnisim trace … | head`) ends the command
/// quietly by SIGPIPE, as with any Unix tool, instead of a panic.
#[cfg(unix)]
#[test]
fn output_into_a_closed_pipe_ends_quietly() {
    use std::io::{BufRead, BufReader};
    use std::os::unix::process::ExitStatusExt;
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("omnisim"))
        .args(["trace", "scenarios/support_centre.toml"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    // The reader is gone now: the next writes hit a closed pipe.
    let done = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&done.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(
        done.status.signal(),
        Some(libc::SIGPIPE),
        "{:?}",
        done.status
    );
}

/// `wrap_up = "0s"` on an arrival stream adds no wrap-up and moves no
/// other random draw (it has a stream of its own): the result files are
/// those of the same scenario without the key, byte for byte.
#[test]
fn a_zero_arrival_wrap_up_changes_no_result_file() {
    let tmp = tempfile::tempdir().unwrap();
    // A scenario with declines and push timeouts, whose groups set no
    // wrap-up (the stream's would win over theirs).
    let text = std::fs::read_to_string("scenarios/push_timeout_cascade.toml").unwrap();
    assert!(
        !text.contains("wrap_up"),
        "the twin must differ only by the key"
    );
    let with_key = text.replacen("\n[[arrivals]]\n", "\n[[arrivals]]\nwrap_up = \"0s\"\n", 1);
    assert_ne!(with_key, text);
    let mut outs = Vec::new();
    for (name, body) in [("plain", &text), ("zero", &with_key)] {
        let scenario = tmp.path().join(format!("{name}.toml"));
        std::fs::write(&scenario, body).unwrap();
        let out = tmp.path().join(name);
        omnisim()
            .args(["run", "--quiet", "--seed", "9", "--out"])
            .arg(&out)
            .arg(&scenario)
            .assert()
            .success();
        outs.push(out);
    }
    for f in RESULT_FILES {
        assert_eq!(
            std::fs::read(outs[0].join(f)).unwrap(),
            std::fs::read(outs[1].join(f)).unwrap(),
            "{f} differs"
        );
    }
}

/// The support centre's early chat team finishes the chats and cases it
/// holds when its shift ends: the run reports that overtime per group
/// and per agent; groups without a shift end report none.
#[test]
fn support_centre_reports_the_early_teams_overtime() {
    let tmp = tempfile::tempdir().unwrap();
    omnisim()
        .args(["run", "scenarios/support_centre.toml", "--quiet", "--out"])
        .arg(tmp.path())
        .assert()
        .success();
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(tmp.path().join("summary.json")).unwrap())
            .unwrap();
    let overtime = |g: &str| summary["groups"][g]["overtime_s"]["mean"].as_f64().unwrap();
    assert!(overtime("Chat early") > 0.0, "{}", summary["groups"]);
    assert_eq!(overtime("Chat late"), 0.0);
    assert_eq!(summary["groups"]["Chat early"]["agents"], 6);
    let agents = std::fs::read_to_string(tmp.path().join("agents.csv")).unwrap();
    assert!(agents
        .lines()
        .next()
        .unwrap()
        .ends_with(",overtime_s,break_s,absent,name,interrupted_s"));
    let wrap = summary["overall"]["wrap_up_s"]["mean"].as_f64().unwrap();
    assert!(wrap > 0.0 && wrap < summary["overall"]["aht_s"]["mean"].as_f64().unwrap());
}

/// `--out` naming a file is an input mistake, said in words (exit 1), not
/// an operating-system error.
#[test]
fn out_naming_a_file_says_so() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("not_a_folder");
    std::fs::write(&file, "x").unwrap();
    let out = omnisim()
        .args(["run", "--quiet", "scenarios/quickstart.toml", "--out"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("is a file, not a folder"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "x");
}

/// What the file asks that is legal but probably not meant is a warning on
/// stderr from `check` and `run` (not from `run --quiet`), never on stdout.
#[test]
fn check_and_run_print_scenario_warnings_on_stderr() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string("scenarios/erlang_c.toml")
        .unwrap()
        .replace("rate_per_hour = 200", "rate_profile = [200, 180]")
        .replace("duration = \"200h\"", "duration = \"40h\"");
    assert!(text.contains("rate_profile"), "erlang_c.toml changed");
    let path = dir.path().join("short_profile.toml");
    std::fs::write(&path, text).unwrap();
    let warning = "warning: rate_profile of queue \"";
    let out = omnisim().arg("check").arg(&path).output().unwrap();
    assert!(out.status.success());
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(stderr.starts_with(warning), "{stderr}");
    assert!(stderr.contains("has 2 values for 4 intervals"), "{stderr}");
    assert!(!stdout.contains("warning"), "{stdout}");
    let run = |quiet: bool| {
        let mut cmd = omnisim();
        cmd.arg("run")
            .arg(&path)
            .args(["--replications", "1", "--out"])
            .arg(dir.path().join("out"));
        if quiet {
            cmd.arg("--quiet");
        }
        let out = cmd.output().unwrap();
        assert!(out.status.success());
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    assert!(run(false).starts_with(warning));
    assert_eq!(run(true), "");
}
