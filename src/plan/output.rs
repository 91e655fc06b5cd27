//! The plan as files: `staffing.csv` (one row per interval and group,
//! typed columns a spreadsheet or pandas reads as they are) and
//! `plan.json`; [`super::table`] prints it and [`super::html`] draws it.

use super::judge::Achieved;
use super::{PlannedInterval, StaffingPlan};
use crate::output::write_atomically;
use crate::scenario::Scenario;
use serde_json::{json, Value};
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

/// The target that set a group's head-count in an interval, as
/// `QUEUE:metric` (`Cards:service_level`); empty when none did.
pub fn set_by_label(plan: &StaffingPlan, iv: &PlannedInterval, group: usize) -> String {
    iv.set_by[group].as_ref().map_or(String::new(), |s| {
        format!("{}:{}", plan.queues[s.queue], s.metric.name())
    })
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
        "agents_start".into(),
        "cost_per_hour".into(),
        "decision".into(),
        "replications".into(),
        "set_by".into(),
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
                iv.agents_start[g].to_string(),
                format!("{}", plan.limits.cost_per_hour[g]),
                iv.decision.label().to_string(),
                iv.replications.to_string(),
                set_by_label(plan, iv, g),
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

/// Rounded to three decimals, as the files show fractional agents.
pub fn round3(v: f64) -> f64 {
    (v * 1000.0).round() / 1000.0
}

fn achieved_json(a: Option<&Achieved>) -> Value {
    a.map_or(
        Value::Null,
        |a| json!({ "mean": a.mean, "ci95_low": a.low, "ci95_high": a.high }),
    )
}

/// The first group that serves each queue (whose agents Erlang's
/// head-count is counted in).
pub fn first_servers(scenario: &Scenario) -> Vec<Option<usize>> {
    let serves = super::serves(scenario);
    (0..scenario.queues.len())
        .map(|q| (0..scenario.agents.len()).find(|&g| serves[g][q]))
        .collect()
}

/// The content of `plan.json`: the same figures as `staffing.csv`, the
/// totals, the costs and how the work was split between groups.
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
                    let work: serde_json::Map<String, Value> =
                        iv.split.as_ref().map_or_else(serde_json::Map::new, |s| {
                            plan.queues
                                .iter()
                                .zip(&s.work[g])
                                .filter(|(_, w)| **w > 1e-9)
                                .map(|(q, w)| (q.clone(), json!(round3(*w))))
                                .collect()
                        });
                    (
                        name.clone(),
                        json!({
                            "agents_required": iv.agents_required[g],
                            "agents_rostered": round3(iv.agents_rostered[g]),
                            "agents_to_roster": iv.agents_to_roster[g],
                            "agents_start": iv.agents_start[g],
                            "split": work,
                            "set_by": iv.set_by[g].as_ref().map(|s| json!({
                                "queue": plan.queues[s.queue],
                                "target": s.metric.name(),
                            })),
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
                "decision": iv.decision.label(),
                "replications": iv.replications,
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
                    "target_window": q.targets.window.label(),
                }),
            )
        })
        .collect();
    let limits: serde_json::Map<String, Value> = plan
        .groups
        .iter()
        .enumerate()
        .map(|(g, name)| {
            let l = &plan.limits;
            (
                name.clone(),
                json!({
                    "cost_per_hour": l.cost_per_hour[g],
                    "min_agents": l.min[g],
                    "max_agents": l.max[g],
                    "plan_fixed": l.fixed[g],
                }),
            )
        })
        .collect();
    let separate_cost = plan.separate_erlang_cost(&first_servers(scenario));
    json!({
        "scenario": scenario.simulation.name,
        "seed": scenario.simulation.seed,
        "judge": plan.rule.name(),
        "split": match plan.strategy {
            super::Strategy::Cheapest => "cheapest",
            super::Strategy::OneMinimal => "even",
        },
        "replications_per_candidate": plan.replications,
        "replications_simulated": plan.runs,
        "targets": targets,
        "groups": limits,
        "agent_intervals_required": plan.total_required(),
        "agent_intervals_separate_erlang_a": plan.total_separate_erlang(),
        "cost": round3(plan.total_cost()),
        "cost_separate_erlang_a": separate_cost.map(round3),
        "split_explained": super::table::explain_split(plan, scenario),
        "intervals": intervals,
    })
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
            super::html::staffing_html(plan, scenario).as_bytes(),
        )?,
    ])
}
