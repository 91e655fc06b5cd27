//! `omnisim report` and `omnisim run --report` end to end: the page is
//! written, holds every chart with data, titles and axis units, loads
//! nothing from the network, is byte-identical when rendered again, and
//! errors name the folder or file and what to do.

use assert_cmd::Command;
use std::fs;
use std::path::Path;

/// Every chart: its `data-chart` id, its title, and the fewest data marks
/// (`<polyline` for lines, `<rect` for bars and cells) it must hold.
const CHARTS: [(&str, &str, &str, usize); 10] = [
    (
        "service-level",
        "Service level per interval",
        "<polyline",
        3,
    ),
    (
        "asa",
        "Average speed of answer per interval",
        "<polyline",
        3,
    ),
    ("offered", "Offered per interval", "<polyline", 2),
    ("answered", "Answered per interval", "<polyline", 2),
    ("abandoned", "Abandoned per interval", "<polyline", 2),
    ("queue-length", "Queue length over time", "<polyline", 2),
    (
        "waits",
        "Distribution of waits (arrival → accept)",
        "<rect",
        6,
    ),
    // 9 agents × 16 intervals, plus the colour bar.
    ("occupancy", "Agent occupancy per interval", "<rect", 9 * 16),
    ("declines", "Declines per interval", "<polyline", 2),
    (
        "push-timeouts",
        "Push timeouts per interval",
        "<polyline",
        2,
    ),
];

const REPORT_FILE: &str = "report.html";
const SCENARIO_COPY: &str = "scenario.toml";

/// `omnisim report DIR`: the page it wrote, or its exit code and stderr.
fn render_report(dir: &Path) -> Result<String, (i32, String)> {
    let out = omnisim().arg("report").arg(dir).output().expect("runs");
    if out.status.success() {
        Ok(fs::read_to_string(dir.join(REPORT_FILE)).expect("report.html written"))
    } else {
        Err((
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        ))
    }
}

fn omnisim() -> Command {
    Command::cargo_bin("omnisim").expect("binary built")
}

/// Runs the quickstart scenario into `dir`, quietly.
fn run_quickstart(dir: &Path, report: bool) {
    let mut cmd = omnisim();
    cmd.args(["run", "scenarios/quickstart.toml", "--quiet", "--out"])
        .arg(dir);
    if report {
        cmd.arg("--report");
    }
    cmd.assert().success().stdout("");
}

/// The figures of a page in order: `data-chart` id and the figure's HTML.
fn figures(html: &str) -> Vec<(String, String)> {
    html.split("<figure class=\"chart\"")
        .skip(1)
        .map(|f| {
            let body = &f[..f.find("</figure>").expect("figure closed")];
            let id = body
                .split("data-chart=\"")
                .nth(1)
                .and_then(|s| s.split('"').next())
                .expect("figure has data-chart");
            (id.to_string(), body.to_string())
        })
        .collect()
}

#[test]
fn run_with_report_writes_a_self_contained_page_with_every_chart() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    run_quickstart(dir, true);
    let html = fs::read_to_string(dir.join(REPORT_FILE)).expect("report.html written");
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    assert!(html.ends_with("</html>\n"));

    // Header: the run's identity and settings.
    for text in [
        "<h1>quickstart",
        "<dt>Seed</dt><dd>42</dd>",
        "<dt>Replications</dt><dd>5</dd>",
        "<dt>Measured period</dt><dd>8 h (08:00 → 16:00)</dd>",
        "<dt>Warm-up (not measured)</dt><dd>30 min (from 07:30)</dd>",
        "<dt>Service-level threshold</dt><dd>1 min</dd>",
    ] {
        assert!(html.contains(text), "missing {text:?}");
    }
    // Summary table: queues in scenario order, then ALL, with intervals.
    let table = &html[html.find("<section id=\"summary\">").unwrap()..];
    let table = &table[..table.find("</table>").unwrap()];
    assert!(table.contains("<th>Chat</th><th>Cases</th><th>ALL</th>"));
    assert_eq!(table.matches("<tr><td>").count(), 18, "18 metrics");
    assert!(table.contains("<tr><td>Set aside for primary work (part of handle time)</td>"));
    assert!(table.contains("<tr><td>Wait after a transfer in</td><td class=\"unit\">s</td>"));
    assert!(table.contains("<tr><td>Agents&#39; occupancy (who may take it)</td>"));
    assert!(table.contains("<tr><td>Wrap-up (part of handle time)</td><td class=\"unit\">s</td>"));
    assert!(table.contains("<tr><td>Ended, no agent</td><td class=\"unit\">items</td>"));
    assert!(table.contains("<span class=\"pm\"> ± "));
    assert!(table.contains("<span class=\"ci\">"));

    // Every chart, in order, non-empty, titled, with axis units.
    let figs = figures(&html);
    let ids: Vec<&str> = figs.iter().map(|(id, _)| id.as_str()).collect();
    let expected: Vec<&str> = CHARTS.iter().map(|c| c.0).collect();
    assert_eq!(ids, expected);
    assert_eq!(
        html.matches("<svg").count(),
        CHARTS.len(),
        "one SVG per chart"
    );
    for ((_, body), (id, title, mark, at_least)) in figs.iter().zip(CHARTS) {
        assert_eq!(body.matches("<svg").count(), 1, "{id}: one svg");
        assert!(body.contains("</svg>"), "{id}: svg closed");
        assert!(
            body.contains(&format!("aria-label=\"{}\"", title.replace('>', "&gt;"))),
            "{id}: accessible name"
        );
        assert!(
            body.contains(&format!("{title}\n</text>")),
            "{id}: title drawn"
        );
        let marks = body.matches(mark).count();
        assert!(marks >= at_least, "{id}: {marks} {mark}, want {at_least}+");
        let x_axis = if id == "waits" {
            "wait [s]"
        } else {
            "clock time"
        };
        assert!(body.contains(x_axis), "{id}: x axis with unit");
        if id != "waits" {
            // The quickstart's day runs 08:00–16:00: ticks in clock time.
            assert!(body.contains("12:00\n</text>"), "{id}: clock-time ticks");
        }
        assert!(body.contains("<figcaption>"), "{id}: caption");
    }
    // Captions say where the data came from, and the approximations.
    assert!(html.contains("Approximation computed from work.csv"));
    assert!(html.contains("Abandoned items count until they abandon."));
    assert!(html.contains("SL threshold 1 min"));
    // `run` keeps a copy of the scenario next to its results; the report
    // shows that file, not the settings fallback.
    assert!(!html.contains("holds no copy of the scenario file"));
    assert!(
        html.contains("name = &quot;quickstart&quot;") || html.contains("name = \"quickstart\"")
    );

    // Self-contained: nothing to fetch, no script.
    let without_xmlns = html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
    for bad in [
        "http://", "https://", "<script", "<link", " src=", "url(", "@import",
    ] {
        assert!(!without_xmlns.contains(bad), "found {bad:?}");
    }

    // Deterministic: the command run again gives the same bytes.
    omnisim()
        .arg("report")
        .arg(dir)
        .assert()
        .success()
        .stdout(predicates::str::contains("report.html"));
    assert_eq!(fs::read_to_string(dir.join(REPORT_FILE)).unwrap(), html);
    assert_eq!(render_report(dir).unwrap(), html);
    let leftovers: Vec<_> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn the_scenario_copy_is_shown_when_the_folder_holds_one() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    run_quickstart(dir, false);
    assert!(
        !dir.join(REPORT_FILE).exists(),
        "no report without --report"
    );
    fs::copy("scenarios/quickstart.toml", dir.join(SCENARIO_COPY)).unwrap();
    let html = render_report(dir).unwrap();
    assert!(html.contains("copied into the results folder as <code>scenario.toml</code>"));
    assert!(html.contains("<pre># Quickstart: a small support desk"));
    assert!(html.contains("name = &quot;quickstart&quot;"), "escaped");
}

#[test]
fn a_missing_folder_or_summary_says_to_run_first() {
    let tmp = tempfile::tempdir().unwrap();
    let missing = tmp.path().join("nothing-here");
    omnisim()
        .arg("report")
        .arg(&missing)
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicates::str::contains("nothing-here` does not exist"))
        .stderr(predicates::str::contains("omnisim run SCENARIO --out"));

    omnisim()
        .arg("report")
        .arg(tmp.path())
        .assert()
        .code(1)
        .stderr(predicates::str::contains("has no summary.json"))
        .stderr(predicates::str::contains("omnisim run SCENARIO --out"));
    assert!(!tmp.path().join(REPORT_FILE).exists());
}

#[test]
fn a_damaged_result_file_is_named_with_its_line() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    run_quickstart(dir, false);
    let work = fs::read_to_string(dir.join("work.csv")).unwrap();
    let lines = work.lines().count();
    fs::write(
        dir.join("work.csv"),
        format!("{work}0,99999,Nowhere,1.0,,,,,,waiting,0,0,true,,,0,1,99999,,\n"),
    )
    .unwrap();
    omnisim()
        .arg("report")
        .arg(dir)
        .assert()
        .code(1)
        .stderr(predicates::str::contains(format!(
            "work.csv` line {}: queue `Nowhere` is not one of the queues of summary.json",
            lines + 1
        )));
    assert!(!dir.join(REPORT_FILE).exists(), "nothing written on error");

    fs::remove_file(dir.join("intervals.csv")).unwrap();
    let (code, err) = render_report(dir).unwrap_err();
    assert_eq!(code, 1, "an input error");
    assert!(err.contains("intervals.csv` is missing"), "{err}");
}

#[test]
fn report_help_shows_an_example() {
    omnisim()
        .args(["report", "--help"])
        .assert()
        .success()
        .stdout(predicates::str::contains(
            "omnisim report results/quickstart",
        ))
        .stdout(predicates::str::contains("--report"));
}

#[test]
fn queues_with_their_own_thresholds_are_not_given_one_threshold() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    run_quickstart(dir, false);
    let path = dir.join("summary.json");
    let summary = fs::read_to_string(&path).unwrap();
    // quickstart's queues share [simulation]'s 1 min; give Chat 20 s.
    let chat = "\"Chat\": {\n      \"service_level_threshold_s\": 60.0,";
    let overall = "\"overall\": {\n    \"service_level_threshold_s\": 60.0,\n    \
                   \"service_level_thresholds_differ\": false,";
    assert!(
        summary.contains(chat) && summary.contains(overall),
        "{summary}"
    );
    let summary = summary
        .replace(chat, &chat.replace("60.0", "20.0"))
        .replace(
            overall,
            &overall.replace("60.0", "null").replace("false", "true"),
        );
    fs::write(&path, summary).unwrap();
    let html = render_report(dir).unwrap();
    for text in [
        "<dt>Service-level threshold</dt><dd>each queue&#39;s own: Chat 20 s, Cases 1 min</dd>",
        "<td>Service level (within each queue&#39;s own threshold)</td>",
        "SL threshold 20 s (Chat)",
        "SL threshold 1 min (Cases)",
        "answered within each queue&#39;s own threshold (Chat 20 s, Cases 1 min)",
        "a queue&#39;s items are in time left of its own line",
    ] {
        assert!(html.contains(text), "missing {text:?}");
    }
    for text in [
        "<dd>1 min</dd>",
        "within 1 min)",
        "Bars left of the red line",
    ] {
        assert!(!html.contains(text), "found {text:?}");
    }
}

#[test]
fn targets_are_tabled_and_drawn_and_a_day_long_threshold_gets_its_own_wait_panel() {
    // bank: Cards 20 s and Loans 60 s, Email 24 h; five targets.
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    omnisim()
        .args(["run", "scenarios/bank.toml", "--quiet", "--report", "--out"])
        .arg(dir)
        .assert()
        .success();
    let html = fs::read_to_string(dir.join(REPORT_FILE)).unwrap();

    // The targets table: one row per target of summary.json, met or not,
    // with the interval where it came out worst.
    assert!(html.contains("<a href=\"#targets\">Targets</a>"));
    let table = &html[html.find("<section id=\"targets\">").expect("targets")..];
    let table = &table[..table.find("</section>").unwrap()];
    let rows: Vec<&str> = table.split("<tr><td>").skip(1).collect();
    assert_eq!(rows.len(), 5, "{table}");
    for (row, (queue, target)) in rows.iter().zip([
        ("Cards", "service level ≥ 0.8"),
        ("Cards", "abandon rate ≤ 0.05"),
        ("Loans", "service level ≥ 0.8"),
        ("Loans", "ASA ≤ 45 s"),
        ("Email", "service level ≥ 0.95"),
    ]) {
        assert!(
            row.starts_with(&format!("{queue}</td><td>{target}</td>")),
            "{row}"
        );
        assert!(row.contains("<td>met</td>") || row.contains("<strong>not met</strong>"));
    }
    let summary: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(dir.join("summary.json")).unwrap()).unwrap();
    let first = &summary["targets"][0];
    let met = if first["met"].as_bool().unwrap() {
        "<td>met</td>"
    } else {
        "<strong>not met</strong>"
    };
    assert!(rows[0].contains(met), "{}", rows[0]);
    let worst = &first["worst_interval"];
    assert!(
        rows[0].contains(&format!(
            "<td>{}–{}: {:.3}</td>",
            worst["start"].as_str().unwrap(),
            worst["end"].as_str().unwrap(),
            worst["value"].as_f64().unwrap()
        )),
        "{}",
        rows[0]
    );

    // Target lines on the service-level and ASA charts, labelled.
    let figs = figures(&html);
    let chart = |id: &str| &figs.iter().find(|f| f.0 == id).expect(id).1;
    for label in [
        "Cards: service level ≥ 0.8",
        "Loans: service level ≥ 0.8",
        "Email: service level ≥ 0.95",
    ] {
        assert!(chart("service-level").contains(label), "missing {label}");
    }
    assert!(chart("asa").contains("Loans: ASA ≤ 45 s"));

    // Waits: seconds in one panel, the day-long Email in its own, in hours.
    let ids: Vec<&str> = figs.iter().map(|f| f.0.as_str()).collect();
    assert!(
        ids.contains(&"waits") && ids.contains(&"waits-2"),
        "{ids:?}"
    );
    assert!(!ids.contains(&"waits-3"));
    assert!(chart("waits").contains("Distribution of waits: Cards, Loans"));
    assert!(chart("waits").contains("wait [s]"));
    assert!(chart("waits-2").contains("Distribution of waits: Email"));
    assert!(chart("waits-2").contains("wait [h]"));
    assert!(html.contains("drawn in separate panels"));
}

#[test]
fn agents_working_only_interruptible_email_are_not_drawn_idle() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let scenario = dir.join("back_office.toml");
    fs::write(
        &scenario,
        r#"
[simulation]
name = "back_office"
duration = "4h"
seed = 3
replications = 2
interval = "1h"

[[channels]]
name = "email"
interruptible = true

[[statuses]]
name = "Available"
channels = ["email"]

[[presence_configs]]
name = "Back office"
capacity = 1
interruptible_capacity = 4
auto_accept = true

[[queues]]
name = "Email"
channel = "email"
routing_model = "most_available"
capacity_weight = 1
service_level_threshold = "24h"

[[arrivals]]
queue = "Email"
rate_per_hour = 60
handle_time = { dist = "exponential", mean = "12m" }

[[agents]]
group = "Back office"
count = 3
presence_config = "Back office"
status = "Available"
"#,
    )
    .unwrap();
    let out = dir.join("out");
    omnisim()
        .arg("run")
        .arg(&scenario)
        .args(["--quiet", "--report", "--out"])
        .arg(&out)
        .assert()
        .success();
    let summary = fs::read_to_string(out.join("summary.json")).unwrap();
    assert!(summary.contains("\"capacity_pool\": \"interruptible\""));
    let html = fs::read_to_string(out.join(REPORT_FILE)).unwrap();
    let figs = figures(&html);
    let heat = &figs.iter().find(|f| f.0 == "occupancy").unwrap().1;
    // 60 emails an hour of 12 min for 3 agents of 4 each: their
    // interruptible pools are near full all day, their primary occupancy
    // is 0, which once drew every cell idle (the lightest blue, 0.0).
    let idle = heat.matches("fill=\"#F7FBFF\"").count();
    assert_eq!(idle, 0, "{idle} cells drawn idle");
    assert!(html.contains("Each cell shows the pool the agent works in"));
}
