//! `omnisim bench`: the smallest size of the scaling series writes both
//! result files with every column, and reports the targets honestly.

use assert_cmd::Command;

fn omnisim() -> Command {
    Command::cargo_bin("omnisim").expect("binary built")
}

#[test]
fn bench_writes_json_and_csv_with_every_column() {
    let dir = tempfile::tempdir().unwrap();
    let out = omnisim()
        .args(["bench", "--sizes", "100", "--out"])
        .arg(dir.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    assert!(stdout.contains("targets:"), "{stdout}");
    assert!(stdout.contains("1,000-agent day"), "{stdout}");

    let csv = std::fs::read_to_string(dir.path().join("bench.csv")).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "agents,items,events,wall_s,items_per_s,events_per_s,cost_per_item_us,\
         relative_cost,peak_rss_mib,work_csv"
    );
    assert_eq!(lines.len(), 2, "{csv}");
    let cells: Vec<&str> = lines[1].split(',').collect();
    assert_eq!(cells.len(), 10, "{csv}");
    assert_eq!(cells[0], "100");
    // 100 agents at 1,080 items an hour for 8 hours: about 8,640 items.
    let items: u64 = cells[1].parse().unwrap();
    assert!((8_000..9_300).contains(&items), "{csv}");
    assert!(cells[2].parse::<u64>().unwrap() > items, "{csv}");
    for c in &cells[3..8] {
        assert!(c.parse::<f64>().unwrap() > 0.0, "{csv}");
    }
    assert_eq!(cells[7], "1.0000", "the smallest size is the reference");
    assert_eq!(cells[9], "false");

    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("bench.json")).unwrap())
            .unwrap();
    let row = &json["sizes"][0];
    for key in [
        "agents",
        "items",
        "events",
        "wall_s",
        "items_per_s",
        "events_per_s",
        "cost_per_item_us",
        "relative_cost",
        "peak_rss_mib",
        "work_csv",
    ] {
        assert!(row.get(key).is_some(), "missing {key}: {json}");
    }
    assert_eq!(row["items"].as_u64(), Some(items));
    // The child process's counts reach the report: every item is pushed
    // once (an auto-accept day with enough agents), and the text shows
    // the per-item table.
    let per_item = &row["per_item"];
    assert!(per_item["agent_pushes"].as_f64().unwrap() > 0.99, "{json}");
    assert!(
        per_item["actor_messages"].as_f64().unwrap() >= 2.0,
        "{json}"
    );
    assert!(stdout.contains("per item:"), "{stdout}");
    assert_eq!(json["workload"]["hours"], 8.0);
    assert_eq!(json["targets"].as_array().unwrap().len(), 4);
    // Only 100 agents ran: no target can be judged.
    for t in json["targets"].as_array().unwrap() {
        assert_eq!(t["status"], "not_measured", "{t}");
    }
    if cfg!(target_os = "linux") {
        assert!(row["peak_rss_mib"].as_f64().unwrap() > 0.0, "{json}");
    }
}

#[test]
fn bench_with_work_csv_and_repeat_leaves_no_file_behind() {
    let dir = tempfile::tempdir().unwrap();
    omnisim()
        .args([
            "bench",
            "--sizes",
            "100",
            "--with-work-csv",
            "--repeat",
            "2",
            "--out",
        ])
        .arg(dir.path())
        .arg("--chart")
        .arg(dir.path().join("img/cost.svg"))
        .assert()
        .success();
    let csv = std::fs::read_to_string(dir.path().join("bench.csv")).unwrap();
    assert!(csv.lines().nth(1).unwrap().ends_with(",true"), "{csv}");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("bench.json")).unwrap())
            .unwrap();
    assert_eq!(json["runs_per_size"], 2);
    assert_eq!(json["sizes"][0]["wall_runs_s"].as_array().unwrap().len(), 2);
    let svg = std::fs::read_to_string(dir.path().join("img/cost.svg")).unwrap();
    assert!(svg.starts_with("<svg"), "{svg}");
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, ["bench.csv", "bench.json", "img"]);
    let leftovers = std::fs::read_dir(std::env::temp_dir())
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.starts_with("omnisim-bench-work-"))
        .count();
    assert_eq!(leftovers, 0, "temporary work.csv left in the temp folder");
}

#[test]
fn bench_rejects_a_bad_size_list() {
    omnisim()
        .args(["bench", "--sizes", "100,zero"])
        .assert()
        .code(1);
    omnisim().args(["bench", "--sizes", "0"]).assert().code(1);
}
