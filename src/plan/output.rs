//! The plan as files and as a table: `staffing.csv` (one row per interval
//! and group, typed columns a spreadsheet or pandas reads as they are),
//! `plan.json`, the terminal table and `staffing.html` with the
//! required-vs-rostered and service-level charts.

use super::judge::Achieved;
use super::StaffingPlan;
use crate::output::write_atomically;
use crate::report::charts::{line_chart, queue_colour, LineSpec, Series};
use crate::report::html::escape;
use crate::scenario::Scenario;
use serde_json::{json, Value};
use std::fmt::Write as _;
use std::io;
use std::path::{Path, PathBuf};

/// Figures of each queue in `staffing.csv`, in column order.
const FIGURES: [&str; 4] = ["service_level", "p_abandon", "asa_s", "agents_occupancy"];

fn figure<'a>(q: &'a super::QueueFigures, name: &str) -> Option<&'a Achieved> {
    match name {
        "service_level" => q.service_level.as_ref(),
        "p_abandon" => q.p_abandon.as_ref(),
        "asa_s" => q.asa_s.as_ref(),
        _ => q.agents_occupancy.as_ref(),
    }
}

/// Numbers as the result files write them: shortest round-trip form,
/// empty when undefined.
fn num(v: Option<f64>) -> String {
    v.map_or(String::new(), |v| format!("{v}"))
}

/// The text of `staffing.csv`.
pub fn staffing_csv(plan: &StaffingPlan) -> String {
    let mut header = vec![
        "interval_start".to_string(),
        "interval_start_s".into(),
        "group".into(),
        "agents_required".into(),
        "agents_rostered".into(),
        "agents_to_roster".into(),
    ];
    for q in &plan.queues {
        for f in FIGURES {
            header.push(format!("{q}:{f}"));
            header.push(format!("{q}:{f}_ci95_low"));
            header.push(format!("{q}:{f}_ci95_high"));
        }
        header.push(format!("{q}:erlang_a_agents"));
    }
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(&header);
    for iv in &plan.intervals {
        for (g, group) in plan.groups.iter().enumerate() {
            let mut row = vec![
                iv.start.clone(),
                format!("{}", iv.start_s),
                group.clone(),
                iv.agents_required[g].to_string(),
                format!("{}", round3(iv.agents_rostered[g])),
                iv.agents_to_roster[g].to_string(),
            ];
            for q in &iv.queues {
                for f in FIGURES {
                    let a = figure(q, f);
                    row.push(num(a.map(|a| a.mean)));
                    row.push(num(a.map(|a| a.low)));
                    row.push(num(a.map(|a| a.high)));
                }
                row.push(q.erlang_agents.map_or(String::new(), |n| n.to_string()));
            }
            let _ = w.write_record(&row);
        }
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

fn round3(v: f64) -> f64 {
    (v * 1000.0).round() / 1000.0
}

fn achieved_json(a: Option<&Achieved>) -> Value {
    a.map_or(
        Value::Null,
        |a| json!({ "mean": a.mean, "ci95_low": a.low, "ci95_high": a.high }),
    )
}

/// The content of `plan.json`: the same figures as `staffing.csv`, the
/// totals and what blending saves against separate Erlang staffings.
pub fn plan_json(plan: &StaffingPlan, scenario: &Scenario) -> Value {
    let intervals: Vec<Value> = plan
        .intervals
        .iter()
        .map(|iv| {
            let groups: serde_json::Map<String, Value> = plan
                .groups
                .iter()
                .enumerate()
                .map(|(g, name)| {
                    (
                        name.clone(),
                        json!({
                            "agents_required": iv.agents_required[g],
                            "agents_rostered": round3(iv.agents_rostered[g]),
                            "agents_to_roster": iv.agents_to_roster[g],
                        }),
                    )
                })
                .collect();
            let queues: serde_json::Map<String, Value> = plan
                .queues
                .iter()
                .zip(&iv.queues)
                .map(|(name, q)| {
                    let mut m = serde_json::Map::new();
                    for f in FIGURES {
                        m.insert(f.into(), achieved_json(figure(q, f)));
                    }
                    m.insert("erlang_a_agents".into(), json!(q.erlang_agents));
                    (name.clone(), Value::Object(m))
                })
                .collect();
            json!({
                "interval_start": iv.start,
                "interval_start_s": iv.start_s,
                "groups": groups,
                "queues": queues,
                "candidates_simulated": iv.evaluations,
            })
        })
        .collect();
    let targets: serde_json::Map<String, Value> = scenario
        .queues
        .iter()
        .map(|q| {
            (
                q.name.clone(),
                json!({
                    "service_level_threshold_s": q.service_level_threshold.as_secs_f64(),
                    "target_service_level": q.targets.target_service_level,
                    "max_abandon_rate": q.targets.max_abandon_rate,
                    "max_asa_s": q.targets.max_asa.map(|d| d.as_secs_f64()),
                    "max_occupancy": q.targets.max_occupancy,
                }),
            )
        })
        .collect();
    json!({
        "scenario": scenario.simulation.name,
        "seed": scenario.simulation.seed,
        "replications_per_candidate": plan.replications,
        "replications_simulated": plan.runs,
        "targets": targets,
        "agent_intervals_required": plan.total_required(),
        "agent_intervals_separate_erlang_a": plan.total_separate_erlang(),
        "intervals": intervals,
    })
}

/// The terminal table: one line per interval, the required head-count
/// per group (rostered in brackets) and each queue's service level.
pub fn render_table(plan: &StaffingPlan) -> String {
    let mut out = String::new();
    let mut head = format!("{:<8}", "interval");
    for g in &plan.groups {
        let _ = write!(head, " {:>14}", trim(g, 14));
    }
    for q in &plan.queues {
        let _ = write!(head, " {:>14}", trim(&format!("SL {q}"), 14));
    }
    out.push_str(head.trim_end());
    out.push('\n');
    for iv in &plan.intervals {
        let mut line = format!("{:<8}", iv.start);
        for g in 0..plan.groups.len() {
            let cell = format!("{} ({:.1})", iv.agents_required[g], iv.agents_rostered[g]);
            let _ = write!(line, " {cell:>14}");
        }
        for q in &iv.queues {
            let cell = q
                .service_level
                .as_ref()
                .map_or("-".to_string(), |a| format!("{:.3}", a.mean));
            let _ = write!(line, " {cell:>14}");
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    let _ = writeln!(
        out,
        "required: {} agent-intervals on the floor (rostered in brackets: the roster's floor after breaks and absence)",
        plan.total_required()
    );
    if let Some(separate) = plan.total_separate_erlang() {
        let _ = writeln!(out, "{}", saving_sentence(plan.total_required(), separate));
    }
    out
}

/// What sharing agents between queues saves against staffing every queue
/// on its own by Erlang A.
pub fn saving_sentence(required: u64, separate: u64) -> String {
    if separate > required {
        let saved = separate - required;
        format!(
            "Erlang A staffing each queue on its own needs {separate} agent-intervals; the simulated plan needs {saved} fewer ({:.1}%), the gain from agents shared between queues",
            100.0 * saved as f64 / separate as f64
        )
    } else {
        format!(
            "Erlang A staffing each queue on its own needs {separate} agent-intervals; the simulated plan needs {} more (targets judged on their confidence interval, backlog carried between intervals)",
            required - separate
        )
    }
}

fn trim(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        s.chars().take(n - 1).collect::<String>() + "…"
    }
}

/// `staffing.html`: the required-vs-rostered chart of each group and the
/// service level of each queue with its target line.
pub fn staffing_html(plan: &StaffingPlan, scenario: &Scenario) -> String {
    // x is hours of the day's clock, so the axis ticks read 08:30.
    let day_start = scenario.simulation.start_of_day.as_secs_f64() / 3600.0;
    let hours: Vec<f64> = plan
        .intervals
        .iter()
        .map(|i| day_start + i.start_s / 3600.0)
        .collect();
    let x_end = day_start + scenario.simulation.duration.as_secs_f64() / 3600.0;
    let x_desc = "interval start (clock time)";
    let mut body = String::new();
    let _ = write!(
        body,
        "<h1>Staffing plan: {}</h1>\n<p>{}</p>\n<p>{}</p>\n",
        escape(&scenario.simulation.name),
        escape(&format!(
            "Agents required on the floor per interval (every target met on its 95% confidence interval, {} replications per candidate) against the agents the scenario's roster puts on the floor after breaks and expected absence.",
            plan.replications
        )),
        escape(&plan.total_separate_erlang().map_or(String::new(), |s| saving_sentence(plan.total_required(), s))),
    );
    for (g, group) in plan.groups.iter().enumerate() {
        let required = Series {
            colour: queue_colour(0),
            points: hours
                .iter()
                .zip(&plan.intervals)
                .map(|(&x, iv)| (x, Some(f64::from(iv.agents_required[g]))))
                .collect(),
        };
        let rostered = Series {
            colour: queue_colour(1),
            points: hours
                .iter()
                .zip(&plan.intervals)
                .map(|(&x, iv)| (x, Some(iv.agents_rostered[g])))
                .collect(),
        };
        let title = format!("{group}: required (blue) vs rostered (orange)");
        let spec = LineSpec {
            title: &title,
            x_desc,
            x_clock: true,
            y_desc: "agents on the floor",
            size: (760, 300),
            x_range: (day_start, x_end),
            y_range: None,
            y_decimals: 0,
            markers: true,
        };
        match line_chart(&spec, &[required, rostered]) {
            Ok(svg) => body.push_str(&svg),
            Err(e) => {
                let _ = write!(body, "<p>{}</p>", escape(&e.to_string()));
            }
        }
    }
    for (q, queue) in scenario.queues.iter().enumerate() {
        let Some(target) = queue.targets.target_service_level else {
            continue;
        };
        let achieved = Series {
            colour: queue_colour(q),
            points: hours
                .iter()
                .zip(&plan.intervals)
                .map(|(&x, iv)| (x, iv.queues[q].service_level.as_ref().map(|a| a.mean)))
                .collect(),
        };
        let target_line = Series {
            colour: plotters::style::RGBColor(200, 30, 30),
            points: vec![(day_start, Some(target)), (x_end, Some(target))],
        };
        let title = format!(
            "{}: service level (answered within {}) per interval, target {target} in red",
            queue.name,
            crate::scenario::humanize(queue.service_level_threshold)
        );
        let spec = LineSpec {
            title: &title,
            x_desc,
            x_clock: true,
            y_desc: "service level",
            size: (760, 300),
            x_range: (day_start, x_end),
            y_range: Some((0.0, 1.0)),
            y_decimals: 1,
            markers: true,
        };
        match line_chart(&spec, &[achieved, target_line]) {
            Ok(svg) => body.push_str(&svg),
            Err(e) => {
                let _ = write!(body, "<p>{}</p>", escape(&e.to_string()));
            }
        }
    }
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Staffing plan: {}</title>\n<style>body{{font-family:sans-serif;max-width:800px;margin:2em auto;color:#222}}svg{{display:block;margin:1em 0}}</style>\n</head>\n<body>\n{body}</body>\n</html>\n",
        escape(&scenario.simulation.name)
    )
}

/// Writes `staffing.csv`, `plan.json` and `staffing.html` into `dir`,
/// each atomically.
pub fn write_plan(
    dir: &Path,
    plan: &StaffingPlan,
    scenario: &Scenario,
) -> io::Result<Vec<PathBuf>> {
    let json =
        serde_json::to_string_pretty(&plan_json(plan, scenario)).map_err(io::Error::other)?;
    Ok(vec![
        write_atomically(dir, "staffing.csv", staffing_csv(plan).as_bytes())?,
        write_atomically(dir, "plan.json", (json + "\n").as_bytes())?,
        write_atomically(
            dir,
            "staffing.html",
            staffing_html(plan, scenario).as_bytes(),
        )?,
    ])
}
