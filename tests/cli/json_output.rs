//! `--json` and `--quiet` on every command that has them: one JSON document
//! on stdout, or nothing on stdout.

use assert_cmd::Command;

fn omnisim() -> Command {
    Command::cargo_bin("omnisim").expect("binary built")
}

/// Runs the command, expects exit 0, parses stdout as one JSON document.
fn json(args: &[&str]) -> serde_json::Value {
    let out = omnisim().args(args).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{args:?}: {e}: {}", String::from_utf8_lossy(&out.stdout)))
}

fn quiet(args: &[&str]) {
    let out = omnisim().args(args).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stdout.is_empty(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn erlang_json_has_the_targets_and_the_staffing_found() {
    let v = json(&[
        "erlang",
        "--rate",
        "100",
        "--aht",
        "300",
        "--target-sl",
        "0.8",
        "--max-abandon",
        "0.05",
        "--patience",
        "2m",
        "--json",
    ]);
    assert_eq!(v["mode"], "staffing");
    assert_eq!(v["model"], "erlang_a");
    assert_eq!(v["targets"]["service_level"], 0.8);
    assert_eq!(v["targets"]["max_p_abandon"], 0.05);
    let agents = v["agents"].as_u64().unwrap();
    assert!(agents > 8, "{v}");
    assert_eq!(v["input"]["agents"].as_u64(), Some(agents));
    assert!(v["figures"]["service_level"].as_f64().unwrap() >= 0.8);

    let v = json(&[
        "erlang", "--agents", "20", "--rate", "200", "--aht", "300", "--json",
    ]);
    assert_eq!(v["mode"], "figures");
    assert_eq!(v["model"], "erlang_c");
    assert!(v["targets"].is_null());
    assert_eq!(v["agents"], 20);
}

#[test]
fn check_json_and_quiet() {
    let v = json(&["check", "scenarios/quickstart.toml", "--json"]);
    assert_eq!(v["ok"], true);
    assert_eq!(v["name"], "quickstart");
    assert!(v["warnings"].is_array());
    quiet(&["check", "scenarios/quickstart.toml", "--quiet"]);
    let both = omnisim()
        .args(["check", "scenarios/quickstart.toml", "--quiet", "--json"])
        .output()
        .unwrap();
    assert_eq!(both.status.code(), Some(1));
}

#[test]
fn run_and_report_json_list_the_files_written() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("r");
    let out_s = out.to_str().unwrap();
    let v = json(&[
        "run",
        "tests/fuzz-corpus/minimal.toml",
        "--out",
        out_s,
        "--json",
    ]);
    assert_eq!(v["scenario"], "m");
    assert_eq!(v["out"], out_s);
    let files: Vec<&str> = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    assert!(
        files.iter().any(|f| f.ends_with("summary.json")),
        "{files:?}"
    );
    for f in &files {
        assert!(std::path::Path::new(f).exists(), "{f}");
    }
    let v = json(&["report", out_s, "--json"]);
    assert!(v["report"].as_str().unwrap().ends_with("report.html"));
    quiet(&["report", out_s, "--quiet"]);
    quiet(&[
        "run",
        "tests/fuzz-corpus/minimal.toml",
        "--out",
        out_s,
        "--quiet",
    ]);
}

#[test]
fn validate_json_has_every_case() {
    let v = json(&["validate", "--case", "C1 ", "--json"]);
    let cases = v["cases"].as_array().unwrap();
    assert!(!cases.is_empty(), "{v}");
    assert!(cases[0]["checks"].as_array().is_some_and(|c| !c.is_empty()));
    assert_eq!(v["passed"], true);
}

#[test]
fn sweep_and_merge_json_name_the_files_written() {
    let tmp = tempfile::tempdir().unwrap();
    let parts = tmp.path().join("parts");
    let parts_s = parts.to_str().unwrap();
    let sweep = "scenarios/sweeps/quick_grid.toml";
    let v = json(&["sweep", sweep, "--shard", "0/2", "--out", parts_s, "--json"]);
    assert_eq!(v["points"], 9);
    assert_eq!(v["replications"], 3);
    assert_eq!(v["shard"], "0/2");
    assert_eq!(v["runs"], 15);
    assert!(v["files"][0]
        .as_str()
        .unwrap()
        .ends_with("partial-0000-of-0002.json"));
    quiet(&[
        "sweep", sweep, "--shard", "1/2", "--out", parts_s, "--quiet",
    ]);
    let v = json(&["merge", parts_s, "--json"]);
    assert_eq!(v["partials"].as_array().unwrap().len(), 2);
    assert_eq!(v["out"], parts_s);
    for f in v["files"].as_array().unwrap() {
        assert!(std::path::Path::new(f.as_str().unwrap()).exists(), "{f}");
    }
    quiet(&["merge", parts_s, "--quiet"]);
}
