//! Who may take which work, checked on the files a user reads: `work.csv`
//! and `agents.csv` of `omnisim run`, and the narrated `omnisim trace`.

use assert_cmd::Command;
use std::collections::BTreeMap;
use std::path::Path;

fn omnisim() -> Command {
    Command::cargo_bin("omnisim").expect("binary built")
}

/// Rows of a CSV file as column name → value maps.
fn rows(path: &Path) -> Vec<BTreeMap<String, String>> {
    let mut r = csv::Reader::from_path(path).unwrap();
    let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            header
                .iter()
                .cloned()
                .zip(rec.iter().map(String::from))
                .collect()
        })
        .collect()
}

/// Two queues on one channel, disjoint member groups: in `work.csv` every
/// answered item's agent belongs (by `agents.csv`) to the item's team.
#[test]
fn work_csv_never_shows_an_item_answered_by_a_non_member() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    omnisim()
        .args(["run", "--quiet", "--out"])
        .arg(&out)
        .arg("tests/fixtures/teams.toml")
        .assert()
        .success();
    let group: BTreeMap<String, String> = rows(&out.join("agents.csv"))
        .into_iter()
        .map(|r| (r["agent"].clone(), r["group"].clone()))
        .collect();
    let mut answered = BTreeMap::<String, u32>::new();
    for r in rows(&out.join("work.csv")) {
        if r["agent"].is_empty() {
            continue;
        }
        let team = format!("{} team", r["queue"]);
        assert_eq!(
            group[&r["agent"]], team,
            "item {} of {}",
            r["item"], r["queue"]
        );
        *answered.entry(r["queue"].clone()).or_default() += 1;
    }
    assert!(
        answered["Cards"] > 100 && answered["Loans"] > 20,
        "{answered:?}"
    );
}

/// Seconds of a trace time stamp `h:mm:ss.mmm`.
fn secs(stamp: &str) -> f64 {
    let mut parts = stamp.split(':');
    let h: f64 = parts.next().unwrap().parse().unwrap();
    let m: f64 = parts.next().unwrap().parse().unwrap();
    let s: f64 = parts.next().unwrap().parse().unwrap();
    h * 3600.0 + m * 60.0 + s
}

/// The teaching scenario: the trace narrates each drop exactly one and two
/// timeouts after the item's requirements were set (its arrival, or the
/// decline that restored them), and `work.csv` lists what was asked and
/// what was given up.
#[test]
fn drops_happen_at_timeout_multiples_in_the_trace_and_work_csv() {
    let trace = omnisim()
        .args(["trace", "scenarios/teaching/skills_dropping.toml"])
        .output()
        .unwrap();
    assert!(trace.status.success());
    let text = String::from_utf8(trace.stdout).unwrap();
    // Item → when its requirements were last set.
    let mut since: BTreeMap<String, f64> = BTreeMap::new();
    let mut drops = 0;
    for line in text.lines() {
        let Some((stamp, rest)) = line.split_once("  ") else {
            continue;
        };
        let words: Vec<&str> = rest.split_whitespace().collect();
        if rest.starts_with("item ") && rest.contains(" arrived in queue") {
            since.insert(words[1].to_string(), secs(stamp));
        } else if rest.contains(" back in queue ") && !rest.contains("could not take") {
            // A decline or timeout: dropped skills come back, the clock restarts.
            since.insert(words[1].to_string(), secs(stamp));
        } else if rest.starts_with("after ") && rest.contains("dropped its priority-") {
            let item = words[words.iter().position(|w| *w == "item").unwrap() + 1];
            let waited = secs(stamp) - since[item];
            let expected = if rest.contains("{Expert}") {
                20.0
            } else {
                40.0
            };
            assert!(
                (waited - expected).abs() < 0.0015,
                "{line}: {waited} s after its requirements were set"
            );
            drops += 1;
        }
    }
    assert!(drops > 10, "drops narrated: {drops}");

    let tmp = tempfile::tempdir().unwrap();
    omnisim()
        .args([
            "run",
            "--quiet",
            "scenarios/teaching/skills_dropping.toml",
            "--out",
        ])
        .arg(tmp.path())
        .assert()
        .success();
    let work = rows(&tmp.path().join("work.csv"));
    for r in &work {
        let asked: Vec<&str> = r["skills_requested"].split(';').collect();
        assert!(
            asked.contains(&"Support") && asked.contains(&"Expert"),
            "{asked:?}"
        );
        assert!(
            asked.contains(&"English") != asked.contains(&"French"),
            "{asked:?}"
        );
    }
    let dropped: Vec<_> = work
        .iter()
        .filter(|r| !r["skills_dropped"].is_empty())
        .collect();
    assert!(!dropped.is_empty());
    for r in dropped {
        for skill in r["skills_dropped"].split(';') {
            // Support is required; the others are additional.
            assert_ne!(skill, "Support", "a required skill was dropped");
            assert!(r["skills_requested"].split(';').any(|s| s == skill));
        }
    }
}

/// A queue nobody belongs to is a warning on standard error, from `check`
/// and from `run` (its items are never routed), and `check --json` lists
/// it among its warnings; the summary no longer calls it a note.
#[test]
fn a_queue_nobody_belongs_to_is_warned_about_by_check_and_run() {
    let tmp = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string("tests/fixtures/teams.toml").unwrap();
    let orphan = text.replacen("queues = [\"Loans\"]", "queues = []", 1);
    assert_ne!(orphan, text, "the Loans team leaves its queue");
    let path = tmp.path().join("orphan.toml");
    std::fs::write(&path, orphan).unwrap();
    let needle = "warning: queue \"Loans\": no agent group belongs to it (agents[].queues); its items are never routed";
    let check = omnisim().arg("check").arg(&path).assert().success();
    let out = check.get_output();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(stderr.contains(needle), "{stderr}");
    assert!(!stdout.contains("belongs to it"), "{stdout}");
    assert!(!stderr.contains("-0.0"), "{stderr}");
    let json = omnisim()
        .args(["check", "--json"])
        .arg(&path)
        .assert()
        .success();
    let v: serde_json::Value = serde_json::from_slice(&json.get_output().stdout).unwrap();
    assert!(v["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|w| w.as_str().unwrap().contains("no agent group belongs to it")));
    let run = omnisim()
        .args(["run", "--replications", "1", "--out"])
        .arg(tmp.path().join("out"))
        .arg(&path)
        .assert()
        .success();
    assert!(String::from_utf8_lossy(&run.get_output().stderr).contains(needle));
}
