//! `omnisim plan`: the files it writes, the same plan whatever `--jobs`,
//! and its input errors; `check`'s per-interval floor warnings.

use assert_cmd::Command;
use predicates::prelude::PredicateBooleanExt;
use predicates::str::contains;
use std::path::Path;

fn omnisim() -> Command {
    Command::cargo_bin("omnisim").expect("binary built")
}

/// Two hours of one queue: quiet, then a peak the roster cannot carry.
const DESK: &str = r#"
[simulation]
name = "desk"
start = "09:00"
duration = "2h"
warmup = "15m"
seed = 5
replications = 4
interval = "30m"

[[channels]]
name = "calls"

[[statuses]]
name = "Available"
channels = ["calls"]

[[presence_configs]]
name = "Phone"
capacity = 1
auto_accept = true

[[queues]]
name = "Sales"
channel = "calls"
routing_model = "most_available"
capacity_weight = 1
target_service_level = 0.8
max_abandon_rate = 0.1

[[arrivals]]
queue = "Sales"
rate_profile = [30, 60, 150, 60]
handle_time = { dist = "exponential", mean = "4m" }
patience = { dist = "exponential", mean = "3m" }

[[agents]]
group = "Team"
count = 6
presence_config = "Phone"
status = "Available"
"#;

fn write(dir: &Path, text: &str) -> std::path::PathBuf {
    let file = dir.join("desk.toml");
    std::fs::write(&file, text).unwrap();
    file
}

#[test]
fn plan_writes_a_typed_staffing_table_identical_whatever_jobs() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), DESK);
    let mut outputs = Vec::new();
    for jobs in ["1", "2"] {
        let out = dir.path().join(format!("plan{jobs}"));
        omnisim()
            .args(["plan", file.to_str().unwrap(), "--jobs", jobs, "--out"])
            .arg(&out)
            .assert()
            .success()
            .stdout(contains("09:00"))
            .stdout(contains("SL Sales"));
        outputs.push(out);
    }
    for name in ["staffing.csv", "plan.json", "staffing.html"] {
        let a = std::fs::read(outputs[0].join(name)).unwrap();
        let b = std::fs::read(outputs[1].join(name)).unwrap();
        assert_eq!(a, b, "{name} differs between --jobs 1 and 2");
    }
    let mut csv = csv::Reader::from_path(outputs[0].join("staffing.csv")).unwrap();
    let header: Vec<String> = csv.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        &header[..6],
        [
            "interval_start",
            "interval_start_s",
            "group",
            "agents_required",
            "agents_rostered",
            "agents_to_roster"
        ]
    );
    assert!(header.contains(&"Sales:service_level_ci95_low".to_string()));
    let rows: Vec<csv::StringRecord> = csv.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 4, "one row per interval and group");
    let starts: Vec<&str> = rows.iter().map(|r| &r[0]).collect();
    assert_eq!(starts, ["09:00", "09:30", "10:00", "10:30"]);
    let required: Vec<u32> = rows.iter().map(|r| r[3].parse().unwrap()).collect();
    // The 10:00 peak needs the most agents; every number column parses.
    assert_eq!(required.iter().max(), Some(&required[2]), "{required:?}");
    // Every column parses as a number but the group and the two that
    // say in words how a head-count was decided.
    let text = ["decision", "set_by"];
    for r in &rows {
        assert!(["resolved", "at the cap"]
            .contains(&&r[header.iter().position(|h| h == "decision").unwrap()]));
        for (name, cell) in header.iter().zip(r.iter()).skip(3) {
            if name != "group" && !text.contains(&&**name) && !cell.is_empty() {
                cell.parse::<f64>()
                    .unwrap_or_else(|_| panic!("{name} = {cell:?} is not a number"));
            }
        }
        let sl_low: f64 = r[header
            .iter()
            .position(|h| h == "Sales:service_level_ci95_low")
            .unwrap()]
        .parse()
        .unwrap();
        let sl: f64 = r[header
            .iter()
            .position(|h| h == "Sales:service_level")
            .unwrap()]
        .parse()
        .unwrap();
        assert!(sl >= 0.8, "every interval meets the target on its mean");
        assert!(sl_low <= sl);
        let set_by = &r[header.iter().position(|h| h == "set_by").unwrap()];
        assert!(
            ["Sales:service_level", "Sales:p_abandon"].contains(&set_by),
            "{set_by}"
        );
    }
    let html = std::fs::read_to_string(outputs[0].join("staffing.html")).unwrap();
    assert!(html.contains("required (blue) vs rostered (orange)") && html.contains("<svg"));
}

#[test]
fn plan_says_what_is_wrong_with_its_input() {
    let dir = tempfile::tempdir().unwrap();
    // No targets.
    let file = write(
        dir.path(),
        &DESK
            .replace("target_service_level = 0.8\n", "")
            .replace("max_abandon_rate = 0.1\n", ""),
    );
    omnisim()
        .args(["plan", file.to_str().unwrap(), "--out"])
        .arg(dir.path().join("a"))
        .assert()
        .code(1)
        .stderr(contains("no queue sets a target"));
    // Out of reach: the interval and the queue are named.
    let file = write(dir.path(), DESK);
    omnisim()
        .args(["plan", file.to_str().unwrap(), "--max-agents", "7", "--out"])
        .arg(dir.path().join("b"))
        .assert()
        .code(1)
        .stderr(contains(
            "at 10:00 no head-count up to the maximum (Team 7)",
        ))
        .stderr(contains("queue Sales"));
    assert!(!dir.path().join("b").exists(), "nothing written");
    // A precision metric that does not exist.
    omnisim()
        .args([
            "plan",
            file.to_str().unwrap(),
            "--precision",
            "service_levle=0.02",
        ])
        .assert()
        .code(1)
        .stderr(contains("did you mean `service_level`"));
}

#[test]
fn check_warns_where_the_floor_cannot_carry_an_interval() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), DESK);
    // 150 calls/h × 4 min = 10 agents of work at 10:00 against 6.
    omnisim()
        .args(["check", file.to_str().unwrap()])
        .assert()
        .success()
        .stderr(contains(
            "warning: 10:00: queue Sales offers 10.0 agents of work but only 6.0 agents who may take it are on the floor",
        ))
        .stderr(contains("09:00:").not());
    // Above 95% busy but not collapsing: 5.8 agents of work on 6.
    let busy = DESK.replace("[30, 60, 150, 60]", "[30, 60, 87, 60]");
    let file = write(dir.path(), &busy);
    omnisim()
        .args(["check", file.to_str().unwrap()])
        .assert()
        .success()
        .stderr(contains(
            "10:00: queues Sales would keep the agents on the floor 97% busy",
        ));
}

/// The plan's files are a set: a second plan replaces the first whole and
/// leaves nothing beside it; a folder holding a user's file is refused
/// before planning, and left as it was.
#[test]
fn plan_replaces_its_set_whole_and_refuses_a_folder_with_a_users_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), DESK);
    let out = dir.path().join("plan");
    std::fs::create_dir(&out).unwrap();
    // A stale report of an earlier run: the new set replaces it.
    std::fs::write(out.join("report.html"), "old").unwrap();
    for _ in 0..2 {
        omnisim()
            .args(["plan", file.to_str().unwrap(), "--quiet", "--out"])
            .arg(&out)
            .assert()
            .success();
    }
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, ["plan.json", "staffing.csv", "staffing.html"]);
    let mut beside: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    beside.sort();
    assert_eq!(beside, ["desk.toml", "plan"]);
    std::fs::write(out.join("notes.txt"), "mine").unwrap();
    let before = std::fs::read(out.join("plan.json")).unwrap();
    let started = std::time::Instant::now();
    omnisim()
        .args(["plan", file.to_str().unwrap(), "--seed", "9", "--out"])
        .arg(&out)
        .assert()
        .code(1)
        .stderr(contains("omnisim did not write (notes.txt)"));
    assert!(started.elapsed().as_secs() < 5, "refused before planning");
    assert_eq!(std::fs::read(out.join("plan.json")).unwrap(), before);
}

/// A centre like the insurer: the plan keeps every group within its
/// limits (the command line's for a group it names, the file's
/// `max_agents` otherwise) and explains how it split the work.
#[test]
fn plan_keeps_each_group_within_its_limits_and_explains_the_split() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string("scenarios/insurer.toml").unwrap();
    // Its first two hours.
    let mut short = text.replace("duration = \"12h\"", "duration = \"2h\"");
    while let Some(at) = short.find("rate_profile = [") {
        let end = at + short[at..].find(']').unwrap();
        let rates: Vec<&str> = short[at + 16..end].split(", ").take(4).collect();
        short = format!(
            "{}rate profile = [{}{}",
            &short[..at],
            rates.join(", "),
            &short[end..]
        );
    }
    let short = short.replace("rate profile = [", "rate_profile = [");
    let file = dir.path().join("insurer.toml");
    std::fs::write(&file, short).unwrap();
    let out = dir.path().join("plan");
    let assert = omnisim()
        .args([
            "plan",
            file.to_str().unwrap(),
            "--max-agents",
            "Seniors=4,Bilingual=6",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success()
        .stdout(contains("split between groups"))
        .stdout(contains("Seniors: 1.6/h, 0–4 agents"))
        .stdout(contains("Bilingual: 1.15/h, 0–6 agents"))
        .stdout(contains("(only it may take them)"))
        .stdout(contains("cost: "));
    let stdout = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    assert!(
        stdout.contains("Erlang A staffing each queue on its own: "),
        "{stdout}"
    );
    let plan: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("plan.json")).unwrap()).unwrap();
    assert_eq!(plan["groups"]["Seniors"]["max_agents"], 4);
    assert_eq!(plan["groups"]["Claims EN"]["cost_per_hour"], 1.0);
    assert_eq!(plan["split_explained"].as_array().unwrap().len(), 5);
    let intervals = plan["intervals"].as_array().unwrap();
    assert_eq!(intervals.len(), 4);
    for iv in intervals {
        let g = &iv["groups"];
        assert!(
            g["Seniors"]["agents_required"].as_u64().unwrap() <= 4,
            "{iv}"
        );
        assert!(
            g["Bilingual"]["agents_required"].as_u64().unwrap() <= 6,
            "{iv}"
        );
        // Escalations only seniors take: the split put them there.
        assert!(
            g["Seniors"]["split"]["Escalations"].as_f64().unwrap() > 0.0,
            "{iv}"
        );
    }
    // A group the scenario does not have is named, with the nearest.
    omnisim()
        .args([
            "plan",
            file.to_str().unwrap(),
            "--max-agents",
            "Senior=4",
            "--out",
        ])
        .arg(dir.path().join("b"))
        .assert()
        .code(1)
        .stderr(contains("--max-agents names group \"Senior\""))
        .stderr(contains("did you mean \"Seniors\""));
    omnisim()
        .args([
            "plan",
            file.to_str().unwrap(),
            "--max-agents",
            "Seniors=none",
        ])
        .assert()
        .code(1)
        .stderr(contains(
            "--max-agents Seniors=none: `Seniors=none`: expected a number of agents",
        ));
}

/// A plan judged on runs that stalled would be a plan of nothing: `plan`
/// stops with the stall error `run` gives, exit 2, and writes no plan.
#[test]
fn a_stalling_scenario_stops_plan_with_the_stall_error() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().expect("temp dir");
    for command in ["run", "plan"] {
        let out = dir.path().join(command);
        omnisim()
            .arg(command)
            .arg(root.join("tests/fixtures/decline_loop.toml"))
            .arg("--out")
            .arg(&out)
            .arg("--quiet")
            .assert()
            .code(2)
            .stderr(contains("simulated time no longer advances"));
        assert!(!out.exists(), "{command} wrote {}", out.display());
    }
}
