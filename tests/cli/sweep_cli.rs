//! `omnisim sweep` and `omnisim merge` from the command line: the grid,
//! shards merged byte for byte into the unsharded result, a shard killed
//! midway and rerun, damaged or mismatched partials, and located errors
//! for every mistake a sweep file can hold.
#![cfg(unix)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn omnisim() -> Command {
    Command::new(assert_cmd::cargo::cargo_bin("omnisim"))
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A sweep file in `dir` over the quickstart centre, shortened to 2 hours
/// so the tests stay quick: 3 × 2 points, 2 replications each.
fn sweep_file(dir: &Path, extra_axes: &str) -> PathBuf {
    let base = root().join("scenarios/quickstart.toml");
    let text = format!(
        "base = \"{}\"\nreplications = 2\nmetrics = [\"service_level\", \"asa_s\", \"agents_occupancy\"]\n\n\
         [axes]\n\"agents.Support.count\" = [5, 6, 7]\n\"arrivals.Chat.rate_per_hour\" = {{ from = 50, to = 60, step = 10 }}\n\
         \"simulation.duration\" = [\"2h\"]\n{extra_axes}",
        base.display()
    );
    let path = dir.join("grid.toml");
    std::fs::write(&path, text).unwrap();
    path
}

fn run(args: &[&str]) -> Output {
    omnisim().args(args).output().unwrap()
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "exit {:?}\nstdout: {}\nstderr: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn fails(out: &Output, code: i32) -> String {
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(code), "stderr: {err}");
    err
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Runs the whole sweep into `dir/whole`; its sweep.csv and sweep.json.
fn whole(dir: &Path, file: &Path) -> (Vec<u8>, Vec<u8>) {
    let out = dir.join("whole");
    ok(&run(&["sweep", s(file), "--out", s(&out), "--quiet"]));
    (
        std::fs::read(out.join("sweep.csv")).unwrap(),
        std::fs::read(out.join("sweep.json")).unwrap(),
    )
}

fn shard(file: &Path, i: u32, n: u32, out: &Path, jobs: &str) -> Output {
    run(&[
        "sweep",
        s(file),
        "--shard",
        &format!("{i}/{n}"),
        "--out",
        s(out),
        "--jobs",
        jobs,
        "--quiet",
    ])
}

/// Starts shard `shard` on one thread and returns once it has finished
/// its first run and stopped there (the test-only pause), to be killed
/// or signalled midway. Its stderr comes along: dropped, the shard's
/// last words would meet a closed pipe (SIGPIPE) instead of its exit code.
fn paused_after_first_run(
    file: &Path,
    shard: &str,
    out: &Path,
) -> (std::process::Child, impl BufRead) {
    let mut child = omnisim()
        .args([
            "sweep",
            s(file),
            "--shard",
            shard,
            "--out",
            s(out),
            "--jobs",
            "1",
        ])
        .env("OMNISIM_TEST_PAUSE", "run done,20000")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = paused_at(&mut child, "run done");
    (child, stderr)
}

/// Waits until `child` announces the test-only pause at `point`; its
/// stderr, to be kept open while it runs on.
fn paused_at(child: &mut std::process::Child, point: &str) -> impl BufRead {
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    while !line.contains(&format!("test pause: {point}")) {
        line.clear();
        assert!(
            stderr.read_line(&mut line).unwrap() > 0,
            "no pause announced"
        );
    }
    stderr
}

#[test]
fn list_names_every_point_and_the_shard_runs() {
    let tmp = tempfile::tempdir().unwrap();
    let file = sweep_file(tmp.path(), "");
    let text = ok(&run(&["sweep", s(&file), "--list"]));
    assert!(
        text.starts_with("6 points × 2 replications = 12 runs\n"),
        "{text}"
    );
    assert!(text.contains("agents.Support.count"), "{text}");
    assert!(text.contains("\n5      7                     60"), "{text}");
    let json = ok(&run(&[
        "sweep",
        s(&file),
        "--list",
        "--shard",
        "1/4",
        "--json",
    ]));
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["runs"], 4);
    let points: Vec<u64> = v["list"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["point"].as_u64().unwrap())
        .collect();
    assert_eq!(points, vec![1, 5]);
    assert_eq!(v["list"][1]["values"]["agents.Support.count"], 7);
    // --list runs nothing and writes nothing.
    assert!(!tmp.path().join("results").exists());
}

#[test]
fn four_shards_merge_into_the_unsharded_files_byte_for_byte() {
    let tmp = tempfile::tempdir().unwrap();
    let file = sweep_file(tmp.path(), "");
    let (csv, json) = whole(tmp.path(), &file);
    let parts = tmp.path().join("parts");
    for i in 0..4 {
        // Each shard on its own thread count: nothing depends on it.
        ok(&shard(&file, i, 4, &parts, &(1 + i % 2).to_string()));
    }
    // One shard of one is a partial too, for arrays of one task.
    let single = tmp.path().join("single");
    ok(&shard(&file, 0, 1, &single, "2"));
    ok(&run(&["merge", s(&single), "--quiet"]));
    assert_eq!(std::fs::read(single.join("sweep.csv")).unwrap(), csv);
    let merged = tmp.path().join("merged");
    let text = ok(&run(&["merge", s(&parts), "--out", s(&merged)]));
    assert!(
        text.contains("merged 4 partials: 6 points × 2 replications"),
        "{text}"
    );
    assert_eq!(std::fs::read(merged.join("sweep.csv")).unwrap(), csv);
    assert_eq!(std::fs::read(merged.join("sweep.json")).unwrap(), json);

    // The table: a header naming axes then metrics, a row per point and
    // queue (Chat, Cases, ALL).
    let csv = String::from_utf8(csv).unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "point,agents.Support.count,arrivals.Chat.rate_per_hour,simulation.duration,queue,\
         service_level,service_level_ci95_low,service_level_ci95_high,asa_s,asa_s_ci95_low,\
         asa_s_ci95_high,agents_occupancy,agents_occupancy_ci95_low,agents_occupancy_ci95_high"
    );
    assert_eq!(lines.clone().count(), 6 * 3);
    assert!(lines.next().unwrap().starts_with("0,5,50,2h,Chat,"));
    // More agents, fewer waits: the sweep measures what it varies.
    let asa = |row: usize| -> f64 {
        csv.lines()
            .nth(row)
            .unwrap()
            .split(',')
            .nth(8)
            .unwrap()
            .parse()
            .unwrap()
    };
    assert!(asa(1) > asa(1 + 4 * 3), "{csv}");

    let json: serde_json::Value = serde_json::from_str(&String::from_utf8(json).unwrap()).unwrap();
    assert_eq!(json["format"], "omnisim-sweep");
    assert_eq!(json["base_sha256"].as_str().unwrap().len(), 64);
    assert_eq!(json["points"], 6);
    assert_eq!(json["results"][5]["values"]["agents.Support.count"], 7);
    assert!(json["results"][0]["queues"][0]["metrics"]["service_level"]["mean"].is_f64());
}

#[test]
fn a_shard_killed_midway_leaves_nothing_and_its_rerun_completes_the_merge() {
    let tmp = tempfile::tempdir().unwrap();
    let file = sweep_file(tmp.path(), "");
    let (csv, json) = whole(tmp.path(), &file);
    let parts = tmp.path().join("parts");
    for i in [0, 2] {
        ok(&shard(&file, i, 3, &parts, "1"));
    }
    // Shard 1 stops after its first run, and is killed there.
    let (mut child, _stderr) = paused_after_first_run(&file, "1/3", &parts);
    child.kill().unwrap();
    child.wait().unwrap();
    let mut left: Vec<String> = std::fs::read_dir(&parts)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    left.sort();
    assert_eq!(
        left,
        ["partial-0000-of-0003.json", "partial-0002-of-0003.json"]
    );
    let err = fails(&run(&["merge", s(&parts)]), 1);
    assert!(
        err.contains("incomplete: 8 of 12 runs; missing shard 1/3"),
        "{err}"
    );

    ok(&shard(&file, 1, 3, &parts, "2"));
    ok(&run(&["merge", s(&parts), "--quiet"]));
    assert_eq!(std::fs::read(parts.join("sweep.csv")).unwrap(), csv);
    assert_eq!(std::fs::read(parts.join("sweep.json")).unwrap(), json);
}

#[test]
fn sigterm_stops_a_shard_without_a_partial() {
    let tmp = tempfile::tempdir().unwrap();
    let file = sweep_file(tmp.path(), "");
    let parts = tmp.path().join("parts");
    let (mut child, _stderr) = paused_after_first_run(&file, "0/2", &parts);
    // SAFETY: kill(2) on our own child's pid.
    assert_eq!(unsafe { libc::kill(child.id() as i32, libc::SIGTERM) }, 0);
    assert_eq!(child.wait().unwrap().code(), Some(143));
    assert_eq!(std::fs::read_dir(&parts).unwrap().count(), 0);
}

/// The test grid in `dir` run as two shards into `dir/parts`: the sweep
/// file, the folder, the first partial's path and its bytes.
fn two_shards(dir: &Path) -> (PathBuf, PathBuf, PathBuf, Vec<u8>) {
    let file = sweep_file(dir, "");
    let parts = dir.join("parts");
    for i in 0..2 {
        ok(&shard(&file, i, 2, &parts, "1"));
    }
    let p0 = parts.join("partial-0000-of-0002.json");
    let good = std::fs::read(&p0).unwrap();
    (file, parts, p0, good)
}

#[test]
fn damaged_duplicated_or_foreign_partials_are_refused_by_name() {
    let tmp = tempfile::tempdir().unwrap();
    let (file, parts, p0, good) = two_shards(tmp.path());

    // A digit changed in the body.
    let mut bad = good.clone();
    let at = bad.len() - 20;
    let pos = at + bad[at..].iter().position(u8::is_ascii_digit).unwrap();
    bad[pos] = if bad[pos] == b'1' { b'2' } else { b'1' };
    std::fs::write(&p0, &bad).unwrap();
    let err = fails(&run(&["merge", s(&parts)]), 1);
    assert!(
        err.contains("partial-0000-of-0002.json`: corrupted"),
        "{err}"
    );

    // Cut short, as by a full disk.
    std::fs::write(&p0, &good[..good.len() / 2]).unwrap();
    let err = fails(&run(&["merge", s(&parts)]), 1);
    assert!(err.contains("truncated"), "{err}");
    std::fs::write(&p0, &good).unwrap();

    // The same shard twice.
    std::fs::write(parts.join("partial-copy.json"), &good).unwrap();
    let err = fails(&run(&["merge", s(&parts)]), 1);
    assert!(err.contains("point 0 replication 0 is in both"), "{err}");
    std::fs::remove_file(parts.join("partial-copy.json")).unwrap();

    // A shard of another sweep (one more axis value).
    let other_dir = tmp.path().join("other");
    std::fs::create_dir(&other_dir).unwrap();
    let other = sweep_file(&other_dir, "\"queues.Chat.push_timeout\" = [\"30s\"]\n");
    let other_dir = other_dir.join("parts");
    ok(&shard(&other, 1, 2, &other_dir, "1"));
    let err = fails(
        &run(&[
            "merge",
            s(&p0),
            s(&other_dir.join("partial-0001-of-0002.json")),
        ]),
        1,
    );
    assert!(err.contains("belong to different sweeps"), "{err}");

    // Not a partial at all.
    let err = fails(&run(&["merge", s(&file)]), 1);
    assert!(err.contains("not a sweep partial"), "{err}");
    let err = fails(&run(&["merge", s(tmp.path())]), 1);
    assert!(err.contains("holds no partial-*.json"), "{err}");
}

#[test]
fn keep_points_writes_each_points_result_set_and_scenario() {
    let tmp = tempfile::tempdir().unwrap();
    let file = sweep_file(tmp.path(), "");
    let out = tmp.path().join("kept");
    let text = ok(&run(&[
        "sweep",
        s(&file),
        "--out",
        s(&out),
        "--keep-points",
    ]));
    assert!(text.contains("(one folder per point)"), "{text}");
    for p in 0..6 {
        let dir = out.join("points").join(p.to_string());
        for f in [
            "summary.json",
            "intervals.csv",
            "agents.csv",
            "work.csv",
            "scenario.toml",
        ] {
            assert!(dir.join(f).is_file(), "{}", dir.join(f).display());
        }
    }
    let scenario = std::fs::read_to_string(out.join("points/5/scenario.toml")).unwrap();
    assert!(scenario.contains("count = 7"), "{scenario}");
    assert!(scenario.contains("rate_per_hour = 60"), "{scenario}");
    // The point's files are those of `run` on its scenario.
    let again = tmp.path().join("again");
    let copy = tmp.path().join("point5.toml");
    std::fs::write(
        &copy,
        scenario.replace("replications = 5", "replications = 2"),
    )
    .unwrap();
    ok(&run(&["run", s(&copy), "--out", s(&again), "--quiet"]));
    assert_eq!(
        std::fs::read(again.join("intervals.csv")).unwrap(),
        std::fs::read(out.join("points/5/intervals.csv")).unwrap()
    );
    // The sweep's own files are as without --keep-points.
    let (csv, _) = whole(tmp.path(), &file);
    assert_eq!(std::fs::read(out.join("sweep.csv")).unwrap(), csv);
}

#[test]
fn sweep_file_mistakes_are_located_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let base = root().join("scenarios/erlang_c.toml");
    let check = |body: &str, expected: &[&str]| {
        let path = tmp.path().join("bad.toml");
        std::fs::write(&path, format!("base = \"{}\"\n{body}", base.display())).unwrap();
        let err = fails(&run(&["sweep", s(&path), "--list"]), 1);
        for e in expected {
            assert!(err.contains(e), "expected `{e}` in: {err}");
        }
        assert!(err.contains("bad.toml:"), "{err}");
    };
    check(
        "[axes]\n\"agents.Agent.count\" = [1]\n",
        &[
            "bad.toml:3:1: axes.\"agents.Agent.count\"",
            "did you mean \"Agents\"?",
        ],
    );
    check(
        "[axes]\n\"agent.Agents.count\" = [1]\n",
        &["no section of a scenario", "did you mean `agents`?"],
    );
    check(
        "[axes]\n\"agents.Agents.cuont\" = [18]\n",
        &[
            "bad.toml:3:25: axes.\"agents.Agents.cuont\"",
            "point 0",
            "did you mean `count`?",
        ],
    );
    check(
        "[axes]\n\"agents.Agents.count\" = [18, \"many\", 22]\n",
        &[
            "bad.toml:3:25: axes.\"agents.Agents.count\"",
            "point 1 (agents.Agents.count = \"many\")",
            "erlang_c.toml",
        ],
    );
    check(
        "[axes]\n\"agents.Agents.count\" = []\n",
        &["3:25", "the axis is empty"],
    );
    check(
        "[axes]\n\"arrivals.Calls.rate_per_hour\" = { from = 10, to = 5, step = 1 }\n",
        &["the range from 10 to 5 by 1 is empty"],
    );
    check(
        "[axes]\n\"arrivals.Calls.rate_per_hour\" = { from = 1, to = 5, stpe = 1 }\n",
        &["unknown key `stpe` in a range", "did you mean `step`?"],
    );
    check(
        "metrics = [\"service_levle\"]\n[axes]\n\"agents.Agents.count\" = [18]\n",
        &["bad.toml:2:12: metrics[0]", "did you mean `service_level`?"],
    );
    check(
        "replicatons = 2\n[axes]\n\"agents.Agents.count\" = [18]\n",
        &["bad.toml:2:1: replicatons", "did you mean `replications`?"],
    );
    check(
        "replications = 0\n[axes]\n\"agents.Agents.count\" = [18]\n",
        &["replications = 0"],
    );
    check("", &["no [axes]"]);
    check(
        "[axes]\n\"agents.Agents.count\" = { from = 1, to = 400, step = 1 }\n\
         \"arrivals.Calls.rate_per_hour\" = { from = 1, to = 400, step = 1 }\n",
        &[
            "the grid has 160000 points (400 × 400), over the limit of 100000",
            "--max-points",
        ],
    );
    check(
        "[axes]\n\"agents.Agents.group\" = [\"B\"]\n",
        &["would rename the entry"],
    );
    check(
        "[axes]\n\"simulation.replications\" = [2, 3]\n",
        &[
            "bad.toml:3:29: axes.\"simulation.replications\"",
            "set that instead",
        ],
    );
    check(
        "seed = 4\n[axes]\n\"simulation.seed\" = [2, 3]\n",
        &["already sets every point's seed"],
    );

    // The limit is a flag, and the shard must be in range.
    let path = tmp.path().join("bad.toml");
    std::fs::write(
        &path,
        format!(
            "base = \"{}\"\n[axes]\n\"agents.Agents.count\" = [18, 20]\n",
            base.display()
        ),
    )
    .unwrap();
    let err = fails(&run(&["sweep", s(&path), "--list", "--max-points", "1"]), 1);
    assert!(err.contains("over the limit of 1"), "{err}");
    let err = fails(&run(&["sweep", s(&path), "--shard", "2/2"]), 1);
    assert!(err.contains("outside 0..2"), "{err}");
    let err = fails(&run(&["sweep", s(&tmp.path().join("none.toml"))]), 1);
    assert!(err.contains("none.toml"), "{err}");
}

#[test]
fn a_seed_axis_gives_each_point_its_own_seed() {
    let tmp = tempfile::tempdir().unwrap();
    let base = root().join("scenarios/quickstart.toml");
    let file = tmp.path().join("seeds.toml");
    std::fs::write(
        &file,
        format!(
            "base = \"{}\"\nreplications = 1\n[axes]\n\"simulation.seed\" = [1, 2, 1]\n\
             \"simulation.duration\" = [\"2h\"]\n",
            base.display()
        ),
    )
    .unwrap();
    let out = tmp.path().join("out");
    ok(&run(&["sweep", s(&file), "--out", s(&out), "--quiet"]));
    let csv = std::fs::read_to_string(out.join("sweep.csv")).unwrap();
    // The figures of a row, without its point number and seed.
    let figures = |point: &str| -> Vec<String> {
        csv.lines()
            .filter(|l| l.starts_with(&format!("{point},")))
            .map(|l| l.splitn(3, ',').nth(2).unwrap().to_string())
            .collect()
    };
    assert_eq!(figures("0"), figures("2"), "{csv}");
    assert_ne!(figures("0"), figures("1"), "{csv}");
}

/// `partial` resealed after `edit` changed its body: a header whose
/// checksum and length fit the new body, as a hand-edited file would get.
fn resealed(partial: &[u8], edit: impl Fn(&mut serde_json::Value)) -> Vec<u8> {
    use sha2::{Digest, Sha256};
    let nl = partial.iter().position(|&b| b == b'\n').unwrap();
    let mut first: serde_json::Value = serde_json::from_slice(&partial[..nl]).unwrap();
    let mut body: serde_json::Value = serde_json::from_slice(&partial[nl + 1..]).unwrap();
    edit(&mut body);
    let mut body = serde_json::to_vec(&body).unwrap();
    body.push(b'\n');
    let hash: String = Sha256::digest(&body)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    first["sha256"] = hash.into();
    first["bytes"] = body.len().into();
    let mut out = serde_json::to_vec(&first).unwrap();
    out.push(b'\n');
    out.extend_from_slice(&body);
    out
}

#[test]
fn a_resealed_partial_with_impossible_figures_is_refused_by_value() {
    let tmp = tempfile::tempdir().unwrap();
    let (_, parts, p0, good) = two_shards(tmp.path());
    // The metrics are service_level, asa_s, agents_occupancy.
    for (value, says) in [
        (
            serde_json::json!(-0.25),
            "service_level is -0.25; expected a fraction between 0 and 1",
        ),
        (
            serde_json::json!(1.5),
            "service_level is 1.5; expected a fraction between 0 and 1",
        ),
        (
            serde_json::Value::Null,
            "service_level is null; expected a fraction between 0 and 1",
        ),
    ] {
        let edited = resealed(&good, |body| {
            body["results"][0]["values"][0][0] = value.clone();
        });
        std::fs::write(&p0, edited).unwrap();
        let err = fails(
            &run(&["merge", s(&parts), "--out", s(&tmp.path().join("m"))]),
            1,
        );
        assert!(
            err.contains("partial-0000-of-0002.json`: point 0 replication 0, queue \"Chat\": "),
            "{err}"
        );
        assert!(err.contains(says), "{err}");
    }
    let edited = resealed(&good, |body| {
        body["results"][0]["values"][0][1] = serde_json::json!(-3.0);
    });
    std::fs::write(&p0, edited).unwrap();
    let err = fails(&run(&["merge", s(&parts)]), 1);
    assert!(
        err.contains("asa_s is -3; expected a duration of 0 or more seconds"),
        "{err}"
    );
    assert!(!tmp.path().join("m").exists());
    // The untouched partial still merges.
    std::fs::write(&p0, &good).unwrap();
    ok(&run(&["merge", s(&parts)]));
}

#[test]
fn a_pipe_named_like_a_partial_is_refused_without_blocking() {
    let tmp = tempfile::tempdir().unwrap();
    let parts = tmp.path().join("parts");
    std::fs::create_dir(&parts).unwrap();
    let fifo = parts.join("partial-0000-of-0001.json");
    assert!(Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    for input in [&parts, &fifo] {
        let err = fails(&run(&["merge", s(input)]), 1);
        assert!(
            err.contains("it is a named pipe (FIFO), not a regular file"),
            "{err}"
        );
    }
}

#[test]
fn sweep_and_merge_refuse_a_folder_of_other_files() {
    let tmp = tempfile::tempdir().unwrap();
    let file = sweep_file(tmp.path(), "");
    let err = fails(&run(&["sweep", s(&file), "--out", "/", "--quiet"]), 1);
    assert!(err.contains("`/` holds"), "{err}");
    assert!(err.contains("that omnisim did not write"), "{err}");
    let theirs = tmp.path().join("theirs");
    std::fs::create_dir(&theirs).unwrap();
    std::fs::write(theirs.join("notes.txt"), "mine").unwrap();
    for shard in [None, Some("0/2")] {
        let mut args = vec!["sweep", s(&file), "--out", s(&theirs), "--quiet"];
        args.extend(shard.iter().flat_map(|s| ["--shard", *s]));
        let err = fails(&run(&args), 1);
        assert!(err.contains("notes.txt"), "{err}");
    }
    let parts = tmp.path().join("parts");
    ok(&shard(&file, 0, 1, &parts, "1"));
    let err = fails(&run(&["merge", s(&parts), "--out", s(&theirs)]), 1);
    assert!(err.contains("notes.txt"), "{err}");
    assert_eq!(std::fs::read_dir(&theirs).unwrap().count(), 1);
    assert_eq!(
        std::fs::read_to_string(theirs.join("notes.txt")).unwrap(),
        "mine"
    );
}

#[test]
fn a_sweep_killed_between_its_tables_keeps_the_previous_pair() {
    let tmp = tempfile::tempdir().unwrap();
    let file = sweep_file(tmp.path(), "");
    let out = tmp.path().join("grid");
    ok(&run(&["sweep", s(&file), "--out", s(&out), "--quiet"]));
    let before = (
        std::fs::read(out.join("sweep.csv")).unwrap(),
        std::fs::read(out.join("sweep.json")).unwrap(),
    );
    // Another grid into the same folder, killed outright after its
    // sweep.csv is written and before its sweep.json.
    let other = sweep_file(tmp.path(), "\"queues.Chat.push_timeout\" = [\"20s\"]\n");
    let mut child = omnisim()
        .args(["sweep", s(&other), "--out", s(&out), "--jobs", "1"])
        .env("OMNISIM_TEST_PAUSE", "sweep.json,20000")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let _stderr = paused_at(&mut child, "sweep.json");
    child.kill().unwrap();
    child.wait().unwrap();
    let after = (
        std::fs::read(out.join("sweep.csv")).unwrap(),
        std::fs::read(out.join("sweep.json")).unwrap(),
    );
    assert!(before == after, "the folder holds tables of two sweeps");
    // The next sweep clears what the killed one left and writes its pair.
    ok(&run(&["sweep", s(&other), "--out", s(&out), "--quiet"]));
    assert_ne!(std::fs::read(out.join("sweep.csv")).unwrap(), before.0);
    let hidden: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(hidden.is_empty(), "{hidden:?}");
}
