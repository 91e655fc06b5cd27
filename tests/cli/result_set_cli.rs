//! The result set is whole or absent: a run that fails or is stopped by a
//! signal — during the warm-up, mid-run, while it writes — leaves the
//! previous set byte for byte as it was and nothing of its own, and exits
//! 130 (SIGINT), 143 (SIGTERM) or 2 (a write failure).
//!
//! The signals are real (`kill`); the moment is made certain with the
//! test-only `OMNISIM_TEST_PAUSE=<point>,<ms>`, with which `run`
//! announces the point on stderr and waits there.
#![cfg(unix)]

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

fn omnisim() -> Command {
    Command::new(assert_cmd::cargo::cargo_bin("omnisim"))
}

/// Every file under `dir`, hidden ones included, with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().into_string().unwrap();
        let content = if entry.file_type().unwrap().is_dir() {
            b"<folder>".to_vec()
        } else {
            std::fs::read(entry.path()).unwrap()
        };
        files.insert(name, content);
    }
    files
}

/// The names in `dir`, sorted, hidden ones included.
fn names(dir: &Path) -> Vec<String> {
    snapshot(dir).into_keys().collect()
}

/// A folder with a previous result set (two replications and a report)
/// in `<tmp>/out`; its snapshot.
fn previous_set(tmp: &Path) -> (PathBuf, BTreeMap<String, Vec<u8>>) {
    let out = tmp.join("out");
    let status = omnisim()
        .args(["run", "scenarios/quickstart.toml", "--quiet", "--report"])
        .args(["--replications", "2", "--seed", "1", "--out"])
        .arg(&out)
        .status()
        .unwrap();
    assert!(status.success());
    let set = snapshot(&out);
    assert!(set.contains_key("work.csv") && set.contains_key("report.html"));
    (out, set)
}

/// Starts a run into `out` that pauses `pause_ms` at `point`.
fn paused_run(out: &Path, point: &str, pause_ms: u64) -> Child {
    omnisim()
        .args(["run", "scenarios/quickstart.toml", "--quiet", "--jobs", "1"])
        .args(["--seed", "2", "--out"])
        .arg(out)
        .env("OMNISIM_TEST_PAUSE", format!("{point},{pause_ms}"))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Reads the child's stderr until it announces `point`; the rest of its
/// stderr, read on, is returned by [`finish`].
fn wait_for(child: &mut Child, point: &str) -> BufReader<std::process::ChildStderr> {
    let mut err = BufReader::new(child.stderr.take().unwrap());
    let mut seen = String::new();
    loop {
        let mut line = String::new();
        let n = err.read_line(&mut line).unwrap();
        assert!(n > 0, "the run ended before `{point}`: {seen}");
        if line.trim_end() == format!("test pause: {point}") {
            return err;
        }
        seen.push_str(&line);
    }
}

fn kill(child: &Child, signal: i32) {
    // SAFETY: sends a signal to the child this test started.
    let rc = unsafe { libc::kill(child.id() as libc::pid_t, signal) };
    assert_eq!(rc, 0);
}

/// Waits for the child; its status and the rest of its stderr, and how
/// long it took to end.
fn finish(
    child: Child,
    mut err: BufReader<std::process::ChildStderr>,
) -> (Output, String, Duration) {
    let since = Instant::now();
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut err, &mut rest).unwrap();
    let out = child.wait_with_output().unwrap();
    (out, rest, since.elapsed())
}

/// A real signal at `point`: the exit code, promptly; the previous set
/// byte for byte; nothing else beside it.
fn signal_at(point: &str, signal: i32, code: i32) {
    let tmp = tempfile::tempdir().unwrap();
    let (out, before) = previous_set(tmp.path());
    let mut child = paused_run(&out, point, 60_000);
    let err = wait_for(&mut child, point);
    kill(&child, signal);
    let (done, stderr, took) = finish(child, err);
    assert_eq!(done.status.code(), Some(code), "{point}: {stderr}");
    assert!(
        stderr.contains(&format!(
            "the results in `{}` are as they were",
            out.display()
        )),
        "{stderr}"
    );
    assert!(took < Duration::from_secs(20), "{point}: took {took:?}");
    assert_eq!(snapshot(&out), before, "{point}: the previous set changed");
    assert_eq!(names(tmp.path()), ["out"], "{point}: left behind");
}

#[test]
fn sigterm_during_the_warm_up_exits_143_and_keeps_the_previous_set() {
    signal_at("warm-up", libc::SIGTERM, 143);
}

#[test]
fn sigint_mid_run_exits_130_and_keeps_the_previous_set() {
    signal_at("measured period", libc::SIGINT, 130);
}

#[test]
fn sigint_just_before_the_switch_exits_130_and_keeps_the_previous_set() {
    signal_at("switch", libc::SIGINT, 130);
}

/// While the files are being written: `summary.json` and the other
/// files are in the staging folder beside the part files of `work.csv`;
/// all of it goes.
#[test]
fn sigterm_while_the_files_are_written_exits_143_and_leaves_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let (out, before) = previous_set(tmp.path());
    let mut child = paused_run(&out, "work.csv", 60_000);
    let err = wait_for(&mut child, "work.csv");
    let staging = tmp.path().join(format!(".out.staging-{}", child.id()));
    let staged = names(&staging);
    for name in ["summary.json", "intervals.csv", ".work.csv.tmp-part-000000"] {
        assert!(staged.iter().any(|n| n == name), "{name}: {staged:?}");
    }
    kill(&child, libc::SIGTERM);
    let (done, stderr, _) = finish(child, err);
    assert_eq!(done.status.code(), Some(143), "{stderr}");
    assert_eq!(snapshot(&out), before);
    assert_eq!(names(tmp.path()), ["out"]);
}

/// Into a folder that did not exist, a stopped run leaves no folder.
#[test]
fn a_stopped_first_run_leaves_no_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("new");
    let mut child = paused_run(&out, "summary.json", 60_000);
    let err = wait_for(&mut child, "summary.json");
    kill(&child, libc::SIGINT);
    let (done, stderr, _) = finish(child, err);
    assert_eq!(done.status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("no result file was written"), "{stderr}");
    assert!(names(tmp.path()).is_empty(), "{:?}", names(tmp.path()));
}

/// A write that fails (here: `work.csv` cannot be renamed into the
/// staging folder, where a folder of that name was put): exit 2, the
/// previous set as it was, nothing left.
#[test]
fn a_failed_write_keeps_the_previous_set_and_leaves_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let (out, before) = previous_set(tmp.path());
    let mut child = paused_run(&out, "work.csv", 1_000);
    let err = wait_for(&mut child, "work.csv");
    let staging = tmp.path().join(format!(".out.staging-{}", child.id()));
    std::fs::create_dir(staging.join("work.csv")).unwrap();
    let (done, stderr, _) = finish(child, err);
    assert_eq!(done.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("work.csv"), "{stderr}");
    assert_eq!(snapshot(&out), before);
    assert_eq!(names(tmp.path()), ["out"]);
}

/// A run killed outright (`kill -9`) leaves its staging folder; the
/// previous set is as it was, and the next run into the folder clears the
/// leftover and switches its set in.
#[test]
fn the_next_run_clears_what_a_killed_run_left() {
    let tmp = tempfile::tempdir().unwrap();
    let (out, before) = previous_set(tmp.path());
    let mut child = paused_run(&out, "work.csv", 60_000);
    let err = wait_for(&mut child, "work.csv");
    let staging = format!(".out.staging-{}", child.id());
    kill(&child, libc::SIGKILL);
    let (done, _, _) = finish(child, err);
    assert_eq!(done.status.code(), None, "killed");
    assert_eq!(snapshot(&out), before);
    assert_eq!(names(tmp.path()), [staging.as_str(), "out"]);
    let status = omnisim()
        .args(["run", "scenarios/quickstart.toml", "--quiet", "--seed", "3"])
        .args(["--replications", "1", "--out"])
        .arg(&out)
        .status()
        .unwrap();
    assert!(status.success());
    assert_eq!(names(tmp.path()), ["out"]);
    assert_ne!(snapshot(&out), before, "the new set is in place");
    assert!(!out.join("report.html").exists(), "the old report went");
}

/// A folder holding a file omnisim did not write is refused (exit 1)
/// before anything runs, and left as it was.
#[test]
fn a_folder_with_a_users_file_is_refused_and_left_alone() {
    let tmp = tempfile::tempdir().unwrap();
    let (out, _) = previous_set(tmp.path());
    std::fs::write(out.join("notes.txt"), "my notes").unwrap();
    let before = snapshot(&out);
    let done = omnisim()
        .args(["run", "scenarios/quickstart.toml", "--quiet", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&done.stderr);
    assert_eq!(done.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("omnisim did not write (notes.txt)"),
        "{stderr}"
    );
    assert_eq!(snapshot(&out), before);
    assert_eq!(names(tmp.path()), ["out"]);
}

/// A small file system mounted for one test; unmounted when dropped.
struct Tmpfs(PathBuf);

impl Tmpfs {
    /// `None` where mounting is not allowed (not root, no tmpfs).
    fn mount(at: &Path, size: &str) -> Option<Tmpfs> {
        std::fs::create_dir_all(at).unwrap();
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(at)
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        ok.then(|| Tmpfs(at.to_path_buf()))
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

/// A full disk: a one-replication set fits on a 400 KB file system, a
/// five-replication run does not. The failed run leaves the previous set
/// and frees all it took, so the next run fits again. Where a tmpfs
/// cannot be mounted (not root), the write failure above stands for it.
#[test]
fn a_full_disk_keeps_the_previous_set_and_frees_what_the_run_took() {
    let tmp = tempfile::tempdir().unwrap();
    let Some(fs) = Tmpfs::mount(&tmp.path().join("small"), "400k") else {
        eprintln!("tmpfs cannot be mounted here; the full-disk case is not run");
        return;
    };
    let out = fs.0.join("out");
    let run = |replications: &str| {
        omnisim()
            .args(["run", "scenarios/quickstart.toml", "--quiet"])
            .args(["--replications", replications, "--out"])
            .arg(&out)
            .output()
            .unwrap()
    };
    assert!(run("1").status.success());
    let before = snapshot(&out);
    let done = run("5");
    let stderr = String::from_utf8_lossy(&done.stderr);
    assert_eq!(done.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("No space left on device"), "{stderr}");
    assert_eq!(snapshot(&out), before);
    assert_eq!(names(&fs.0), ["out"]);
    assert!(run("1").status.success(), "the disk was left full");
    assert_eq!(names(&fs.0), ["out"]);
}
