//! `omnisim schedule`: the bank day's roster meets every target when
//! `run` reads it in place of the scenario's own; the rules file's
//! mistakes are located; the files are a set.

use assert_cmd::Command;
use predicates::str::contains;
use std::path::Path;

fn omnisim() -> Command {
    Command::cargo_bin("omnisim").expect("binary built")
}

/// A copy of the bank day in `dir` (scenario and forecast; the roster
/// file is the caller's).
fn bank_day_copy(dir: &Path) {
    std::fs::create_dir_all(dir.join("data")).unwrap();
    std::fs::copy("scenarios/bank_day.toml", dir.join("bank_day.toml")).unwrap();
    std::fs::copy(
        "scenarios/data/bank_forecast.csv",
        dir.join("data/bank_forecast.csv"),
    )
    .unwrap();
}

/// The bundled rules schedule the bank day; the roster, put in place of
/// `scenarios/data/bank_roster.csv`, makes `run` meet every target of
/// every queue in every interval (on the mean over the replications, as
/// `run` judges a target).
#[test]
fn the_bank_days_schedule_meets_every_target_in_every_interval() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("schedule");
    let assert = omnisim()
        .args([
            "schedule",
            "scenarios/bank_day.toml",
            "--rules",
            "scenarios/shifts/bank_day.toml",
            "--xlsx",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success()
        .stdout(contains("every target met in every interval"))
        .stdout(contains("the bound of the linear relaxation"));
    let stdout = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    eprintln!("{stdout}");
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "results.xlsx",
            "roster.csv",
            "schedule.html",
            "schedule.json"
        ]
    );
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(out.join("results.xlsx")).unwrap();
    assert_eq!(calamine::Reader::sheet_names(&book), ["roster"]);
    crate::workbook::same_as_csv(&mut book, "roster", &out.join("roster.csv"));
    let schedule: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("schedule.json")).unwrap()).unwrap();
    assert_eq!(schedule["targets_met"], true);
    let (cost, bound) = (
        schedule["cost"].as_f64().unwrap(),
        schedule["lp_bound"].as_f64().unwrap(),
    );
    assert!(bound > 0.0 && bound <= cost + 1e-6, "{cost} {bound}");
    assert!(schedule["gap"].as_f64().unwrap() < 0.2);
    let html = std::fs::read_to_string(out.join("schedule.html")).unwrap();
    assert!(html.contains("<svg") && html.contains("shift chart"));

    // `run` with the roster in place of the bank's own.
    let day = dir.path().join("day");
    bank_day_copy(&day);
    std::fs::copy(out.join("roster.csv"), day.join("data/bank_roster.csv")).unwrap();
    let results = dir.path().join("run");
    omnisim()
        .args([
            "run",
            day.join("bank_day.toml").to_str().unwrap(),
            "--quiet",
            "--out",
        ])
        .arg(&results)
        .assert()
        .success();
    let mut csv = csv::Reader::from_path(results.join("intervals.csv")).unwrap();
    let header: Vec<String> = csv.headers().unwrap().iter().map(String::from).collect();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    // (queue, column, target, floor or ceiling)
    let targets = [
        ("Cards", "service_level", 0.8, true),
        ("Cards", "p_abandon", 0.05, false),
        ("Loans", "service_level", 0.8, true),
        ("Loans", "asa_s", 45.0, false),
        ("Email", "service_level", 0.95, true),
    ];
    let mut checked = 0;
    for row in csv.records() {
        let row = row.unwrap();
        for (queue, metric, target, floor) in targets {
            if &row[col("queue")] != queue || row[col(metric)].is_empty() {
                continue;
            }
            let v: f64 = row[col(metric)].parse().unwrap();
            let met = if floor { v >= target } else { v <= target };
            assert!(
                met,
                "{} {queue} {metric} {v} against {target}",
                &row[col("start")]
            );
            checked += 1;
        }
    }
    assert!(checked >= 24 * 5 - 5, "{checked} checks");
}

/// A mistake in the rules file names the file, the line and the key,
/// and nothing is written.
#[test]
fn a_bad_rules_file_is_refused_with_its_place() {
    let dir = tempfile::tempdir().unwrap();
    let rules = std::fs::read_to_string("scenarios/shifts/bank_day.toml").unwrap();
    let cases = [
        (
            rules.replace("length = \"4h\"", "length = \"four hours\""),
            "shifts[1].length",
        ),
        (
            rules.replace("latest = \"5h\"", "latest = \"9h\""),
            "shifts[0].breaks[1].latest",
        ),
        (
            rules.replace("max_part_time_share = 0.3", "max_part_time_share = 30"),
            "rules.max_part_time_share",
        ),
        (
            rules.replace("start_every", "start_evry"),
            "unknown field `start_evry`",
        ),
        (
            format!("{rules}\n[[groups]]\ngroup = \"Card team\"\n"),
            "groups[0].group",
        ),
    ];
    for (text, says) in cases {
        let file = dir.path().join("rules.toml");
        std::fs::write(&file, text).unwrap();
        let out = dir.path().join("out");
        let assert = omnisim()
            .args(["schedule", "scenarios/bank_day.toml", "--rules"])
            .arg(&file)
            .arg("--out")
            .arg(&out)
            .assert()
            .code(1)
            .stderr(contains(says));
        let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
        let prefix = format!("error: {}:", file.display());
        assert!(stderr.starts_with(&prefix), "{stderr}");
        let line = stderr[prefix.len()..].split(':').next().unwrap();
        assert!(line.parse::<u32>().is_ok(), "no line in {stderr}");
        assert!(!out.exists(), "nothing written");
    }
    // A rules file that is not there.
    omnisim()
        .args([
            "schedule",
            "scenarios/bank_day.toml",
            "--rules",
            "no/such/rules.toml",
        ])
        .assert()
        .code(1)
        .stderr(contains("cannot read the rules file"));
}
