//! `run --salesforce` and `calibrate` through the real binary: the export
//! flags' mistakes, and bad exports that get a located error, exit 1 and
//! leave no file behind.

use assert_cmd::Command;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

fn omnisim() -> Command {
    Command::cargo_bin("omnisim").expect("binary built")
}

/// The bundled day's export, made once per test run.
fn export() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| {
        let tmp = tempfile::tempdir().unwrap();
        omnisim()
            .args([
                "run",
                "scenarios/salesforce_day.toml",
                "--salesforce",
                "--quiet",
            ])
            .args(["--replications", "1", "--timezone", "Europe/Paris", "--out"])
            .arg(tmp.path().join("day"))
            .assert()
            .success();
        tmp
    })
    .path()
}

/// A copy of the export to spoil.
fn copy() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("export");
    std::fs::create_dir(&dir).unwrap();
    for e in std::fs::read_dir(export().join("day/salesforce")).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), dir.join(e.file_name())).unwrap();
    }
    (tmp, dir)
}

/// Rewrites `file` of the export with `edit` applied to its text.
fn spoil(dir: &Path, file: &str, edit: impl FnOnce(String) -> String) {
    let p = dir.join(file);
    let text = std::fs::read_to_string(&p).unwrap();
    std::fs::write(&p, edit(text)).unwrap();
}

/// Calibrates `dir`; asserts exit 1, one located error containing every
/// piece of `says`, and no output folder.
fn refused(dir: &Path, says: &[&str]) -> String {
    let out = dir.parent().unwrap().join("model");
    let o = omnisim()
        .arg("calibrate")
        .arg(dir)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(o.stdout.is_empty());
    assert_eq!(err.matches("error:").count(), 1, "{err}");
    for s in says {
        assert!(err.contains(s), "{s:?} not in {err}");
    }
    assert!(!out.exists(), "nothing half-written");
    let leftovers: Vec<_> = std::fs::read_dir(dir.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers.len(), 1, "{leftovers:?}");
    err
}

#[test]
fn a_good_export_calibrates_into_a_runnable_model() {
    let (tmp, dir) = copy();
    let out = tmp.path().join("model");
    omnisim()
        .arg("calibrate")
        .arg(&dir)
        .args(["--timezone", "Europe/Paris", "--json", "--out"])
        .arg(&out)
        .assert()
        .success()
        .stdout(predicates::str::contains("\"files\""));
    for f in [
        "scenario.toml",
        "forecast.csv",
        "roster.csv",
        "calibration.json",
        "calibration.html",
    ] {
        assert!(out.join(f).is_file(), "{f}");
    }
    omnisim()
        .arg("check")
        .arg(out.join("scenario.toml"))
        .assert()
        .success();
    // Again into the same folder: replaced as a whole.
    omnisim()
        .arg("calibrate")
        .arg(&dir)
        .args(["--quiet", "--out"])
        .arg(&out)
        .assert()
        .success()
        .stdout("");
}

/// `text` without its line `index` (0 is the header).
fn without_line(text: &str, index: usize) -> String {
    let mut lines: Vec<&str> = text.lines().collect();
    lines.remove(index);
    lines.join("\n") + "\n"
}

#[test]
fn a_missing_required_column_is_named_with_the_header() {
    let (_t, dir) = copy();
    spoil(&dir, "AgentWork.csv", |t| {
        t.replacen("\"AcceptDateTime\"", "\"AcceptedAt\"", 1)
    });
    refused(
        &dir,
        &[
            "AgentWork.csv:1: ",
            "lacks the required column AcceptDateTime",
        ],
    );
}

#[test]
fn an_unparseable_date_is_named_by_line_and_column() {
    let (_t, dir) = copy();
    spoil(&dir, "AgentWork.csv", |t| {
        let mut lines: Vec<String> = t.lines().map(String::from).collect();
        lines[2] = lines[2].replacen("2026-11-30T", "30/11/2026 ", 1);
        lines.join("\n") + "\n"
    });
    refused(
        &dir,
        &["AgentWork.csv:3:13: RequestDateTime: ", "is not a datetime"],
    );
}

#[test]
fn a_work_item_that_points_nowhere_is_refused() {
    let (_t, dir) = copy();
    let sessions = std::fs::read_to_string(dir.join("MessagingSession.csv")).unwrap();
    // The first session listed, which some AgentWork's chat points to.
    let first = sessions.lines().nth(1).unwrap()[1..16].to_string();
    spoil(&dir, "MessagingSession.csv", |t| without_line(&t, 1));
    let err = refused(
        &dir,
        &["AgentWork.csv:", ": WorkItemId: ", "points nowhere"],
    );
    assert!(err.contains(&first), "{first} not in {err}");
}

#[test]
fn an_unknown_status_id_is_refused() {
    let (_t, dir) = copy();
    spoil(&dir, "ServicePresenceStatus.csv", |t| {
        // The header and every status but the first (the login status).
        without_line(&t, 1)
    });
    refused(
        &dir,
        &[
            "UserServicePresence.csv:2:3: ServicePresenceStatusId: ",
            "is no ServicePresenceStatus of ServicePresenceStatus.csv",
        ],
    );
}

#[test]
fn a_file_of_another_object_is_recognised() {
    let (_t, dir) = copy();
    std::fs::copy(
        dir.join("UserServicePresence.csv"),
        dir.join("AgentWork.csv"),
    )
    .unwrap();
    refused(
        &dir,
        &[
            "AgentWork.csv:1: ",
            "looks like an export of UserServicePresence",
        ],
    );
    // Right header, wrong records: the ids tell.
    let (_t, dir) = copy();
    let text = std::fs::read_to_string(dir.join("AgentWork.csv")).unwrap();
    let line = 1 + text
        .lines()
        .position(|l| l.starts_with("\"0BzDn0000000001KAA\""))
        .expect("the first AgentWork is exported");
    spoil(&dir, "AgentWork.csv", |t| {
        t.replacen("\"0BzDn0000000001KAA\"", "\"0R1Dn0000000001KAA\"", 1)
    });
    refused(
        &dir,
        &[
            &format!("AgentWork.csv:{line}:1: Id: "),
            "is an id of UserServicePresence",
            "not of AgentWork",
        ],
    );
}

#[test]
fn a_folder_without_the_required_files_says_which() {
    let (_t, dir) = copy();
    std::fs::remove_file(dir.join("UserServicePresence.csv")).unwrap();
    refused(&dir, &["has no UserServicePresence.csv"]);
    let tmp = tempfile::tempdir().unwrap();
    omnisim()
        .args(["calibrate", "no/such/folder", "--out"])
        .arg(tmp.path().join("m"))
        .assert()
        .code(1)
        .stderr(predicates::str::contains("is not a folder"));
}

#[test]
fn the_export_flags_say_what_is_wrong() {
    let tmp = tempfile::tempdir().unwrap();
    // The quickstart has no date: --date is needed.
    omnisim()
        .args([
            "run",
            "scenarios/quickstart.toml",
            "--salesforce",
            "--quiet",
            "--out",
        ])
        .arg(tmp.path().join("a"))
        .assert()
        .code(1)
        .stderr(predicates::str::contains("give --date YYYY-MM-DD"));
    omnisim()
        .args([
            "run",
            "scenarios/quickstart.toml",
            "--salesforce",
            "--date",
            "2026-11-31",
        ])
        .arg("--out")
        .arg(tmp.path().join("b"))
        .assert()
        .code(1)
        .stderr(predicates::str::contains("--date 2026-11-31"));
    omnisim()
        .args([
            "run",
            "scenarios/salesforce_day.toml",
            "--salesforce",
            "--timezone",
            "Europe/Pari",
        ])
        .arg("--out")
        .arg(tmp.path().join("c"))
        .assert()
        .code(1)
        .stderr(predicates::str::contains("did you mean Europe/Paris?"));
    assert!(!tmp.path().join("a").exists() && !tmp.path().join("c").exists());
    // With a date, the quickstart exports too.
    omnisim()
        .args([
            "run",
            "scenarios/quickstart.toml",
            "--salesforce",
            "--date",
            "2026-12-01",
        ])
        .args(["--quiet", "--replications", "1", "--out"])
        .arg(tmp.path().join("d"))
        .assert()
        .success();
    assert!(tmp.path().join("d/salesforce/AgentWork.csv").is_file());
}

/// The mean over intervals of the simulated `metric` of `queue` in a
/// replay.csv.
fn simulated_mean(replay_csv: &Path, queue: &str, metric: &str) -> f64 {
    let mut r = csv::Reader::from_path(replay_csv).unwrap();
    let values: Vec<f64> = r
        .records()
        .map(|x| x.unwrap())
        .filter(|x| &x[1] == queue && &x[2] == metric && !x[4].is_empty())
        .map(|x| x[4].parse().unwrap())
        .collect();
    values.iter().sum::<f64>() / values.len() as f64
}

#[test]
fn replay_answers_what_if_questions() {
    let tmp = tempfile::tempdir().unwrap();
    let day = export().join("day/salesforce");
    let run = |out: &str, set: &[&str]| {
        let mut c = omnisim();
        c.arg("replay")
            .arg(&day)
            .args([
                "--timezone",
                "Europe/Paris",
                "--replications",
                "4",
                "--quiet",
                "--out",
            ])
            .arg(tmp.path().join(out));
        for s in set {
            c.args(["--set", s]);
        }
        c.assert().success().stdout("");
        tmp.path().join(out).join("replay.csv")
    };
    let base = run("base", &[]);
    let more = run("more", &["agents.Chat.count=+3"]);
    let (b, m) = (
        simulated_mean(&base, "Chat", "service_level"),
        simulated_mean(&more, "Chat", "service_level"),
    );
    assert!(m > b + 0.05, "three more chat agents: {b} -> {m}");
    // The real figures do not change with the what-if.
    let actual = |p: &Path| std::fs::read_to_string(p).unwrap().lines().count();
    assert_eq!(actual(&base), actual(&more));
    for f in [
        "replay.json",
        "replay.html",
        "scenario.toml",
        "calibration.json",
    ] {
        assert!(tmp.path().join("more").join(f).is_file(), "{f}");
    }
    // A mistaken edit: exit 1, the edit named, nothing written.
    omnisim()
        .arg("replay")
        .arg(&day)
        .args(["--set", "agents.Chats.count=+3", "--out"])
        .arg(tmp.path().join("bad"))
        .assert()
        .code(1)
        .stderr(predicates::str::contains("--set agents.Chats.count=+3"))
        .stderr(predicates::str::contains("did you mean \"Chat\"?"));
    assert!(!tmp.path().join("bad").exists());
    // The simulated day as an export, beside the replay.
    omnisim()
        .arg("replay")
        .arg(&day)
        .args(["--salesforce", "--replications", "2", "--quiet", "--out"])
        .arg(tmp.path().join("sf"))
        .assert()
        .success();
    assert!(tmp.path().join("sf/salesforce/AgentWork.csv").is_file());
}

#[test]
fn replay_speaks_json_and_refuses_a_bad_export_whole() {
    let tmp = tempfile::tempdir().unwrap();
    let day = export().join("day/salesforce");
    let out = omnisim()
        .arg("replay")
        .arg(&day)
        .args([
            "--timezone",
            "Europe/Paris",
            "--replications",
            "2",
            "--json",
        ])
        .arg("--out")
        .arg(tmp.path().join("json"))
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).expect("one JSON document");
    let files: Vec<&str> = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    assert!(files.iter().any(|f| f.ends_with("replay.csv")), "{files:?}");
    // Replayed arrivals are the real ones: offered matches in every cell.
    let offered = v["summary"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["metric"] == "offered")
        .expect("an offered row");
    assert_eq!(offered["mean_absolute_error"], 0.0, "{offered}");
    assert_eq!(offered["compared"], offered["in_mean_ci"], "{offered}");
    // A spoiled export: exit 1, the file and line named, no folder.
    let (_t, dir) = copy();
    spoil(&dir, "AgentWork.csv", |t| {
        t.replacen("2026-11-30T", "2026-13-30T", 1)
    });
    omnisim()
        .arg("replay")
        .arg(&dir)
        .arg("--out")
        .arg(tmp.path().join("bad"))
        .assert()
        .code(1)
        .stderr(predicates::str::contains("AgentWork.csv:2:"));
    assert!(!tmp.path().join("bad").exists());
}
