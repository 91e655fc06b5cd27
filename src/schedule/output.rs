//! The schedule as files and as a table: `roster.csv` (the format
//! `agents[].roster_csv` reads), `schedule.json` (cost, paid hours, the
//! bound and the gap, every iteration, coverage per interval and group),
//! `schedule.html` ([`super::html`]) and the terminal table.

use super::check::Miss;
use super::rules::ShiftRules;
use super::Schedule;
use crate::output::write_atomically;
use crate::plan::output::round3;
use crate::scenario::Scenario;
use crate::time::SimDuration;
use serde_json::{json, Value};
use std::fmt::Write as _;
use std::io;
use std::path::{Path, PathBuf};

/// Agents on the floor per group and interval: the fewest over the
/// interval's slots (what the roster guarantees there).
pub fn floor_per_interval(schedule: &Schedule) -> Vec<Vec<u32>> {
    let per = schedule.grid.per_interval;
    schedule
        .groups
        .iter()
        .map(|g| {
            g.cover
                .coverage(&g.covering)
                .chunks(per)
                .map(|c| c.iter().copied().min().unwrap_or(0))
                .collect()
        })
        .collect()
}

/// Shift hours and floor hours of the scenario's own roster over the
/// measured day (before absence): what the schedule is compared with.
pub fn todays_roster(s: &Scenario) -> (usize, f64, f64) {
    let sim = &s.simulation;
    let from = crate::time::SimTime::ZERO + sim.warmup;
    let to = from + sim.duration;
    let mut agents = 0;
    let (mut shift, mut floor) = (0.0, 0.0);
    for g in &s.agents {
        for a in g.schedules() {
            agents += 1;
            let start = (crate::time::SimTime::ZERO + a.shift.start).max(from);
            let end = a
                .shift
                .end
                .map_or(to, |e| crate::time::SimTime::ZERO + e)
                .min(to);
            shift += end.0.saturating_sub(start.0) as f64 / 3.6e9;
            floor += a.on_floor_within(from, to, to).as_secs_f64() / 3600.0;
        }
    }
    (agents, shift, floor)
}

fn miss_json(s: &Scenario, schedule: &Schedule, m: &Miss) -> Value {
    json!({
        "interval_start": schedule.plan.intervals.get(m.interval).map(|iv| iv.start.clone()),
        "queue": s.queues[m.queue].name,
        "target": m.metric.name(),
        "target_value": m.target,
        "mean": m.mean,
    })
}

/// The content of `schedule.json`.
pub fn schedule_json(schedule: &Schedule, s: &Scenario, rules: &ShiftRules) -> Value {
    let floor = floor_per_interval(schedule);
    let (today_agents, today_shift, today_floor) = todays_roster(s);
    let shift_hours: f64 = schedule
        .lines
        .iter()
        .map(|l| (l.end.0 - l.start.0) as f64 / 3.6e9)
        .sum();
    let floor_hours: f64 = schedule
        .lines
        .iter()
        .map(|l| {
            let breaks: u64 = l.breaks.iter().map(|(b, e, _)| e.0 - b.0).sum();
            (l.end.0 - l.start.0 - breaks) as f64 / 3.6e9
        })
        .sum();
    let groups: serde_json::Map<String, Value> = s
        .agents
        .iter()
        .enumerate()
        .map(|(g, group)| {
            let gs = &schedule.groups[g];
            let mut by_shift = serde_json::Map::new();
            for (p, &n) in gs.cover.shifts.iter().enumerate() {
                if n > 0 {
                    let name = &rules.shifts[gs.kinds[p]].name;
                    let e = by_shift.entry(name.clone()).or_insert(json!(0));
                    *e = json!(e.as_u64().unwrap_or(0) + u64::from(n));
                }
            }
            (
                group.group.clone(),
                json!({
                    "cost_per_hour": rules.groups[g].cost_per_hour,
                    "shifts": gs.cover.shifts.iter().sum::<u32>(),
                    "by_shift": by_shift,
                    "cost": round3(gs.cover.cost),
                    "lp_bound": round3(gs.cover.lp_bound),
                    "gap": round3(gs.cover.gap()),
                    "proven_optimal": gs.cover.proven_optimal,
                }),
            )
        })
        .collect();
    let intervals: Vec<Value> = schedule
        .plan
        .intervals
        .iter()
        .enumerate()
        .map(|(i, iv)| {
            let groups: serde_json::Map<String, Value> = s
                .agents
                .iter()
                .enumerate()
                .map(|(g, group)| {
                    (
                        group.group.clone(),
                        json!({
                            "planned_on_floor": iv.agents_required[g],
                            "requirement": schedule.requirement[g][i],
                            "rostered_on_floor": floor[g][i],
                        }),
                    )
                })
                .collect();
            json!({ "interval_start": iv.start, "groups": groups })
        })
        .collect();
    let iterations: Vec<Value> = schedule
        .iterations
        .iter()
        .enumerate()
        .map(|(k, it)| {
            json!({
                "iteration": k + 1,
                "cost": round3(it.cost),
                "paid_hours": round3(it.paid_hours),
                "lp_bound": round3(it.lp_bound),
                "targets_missed": it.misses.len(),
                "requirements_raised": it.cuts,
            })
        })
        .collect();
    json!({
        "scenario": s.simulation.name,
        "seed": s.simulation.seed,
        "replications": s.simulation.replications,
        "solver": super::covering::backend(),
        "slot_s": schedule.grid.slot.as_secs_f64(),
        "cost": round3(schedule.cost()),
        "paid_hours": round3(super::paid_hours(rules, &schedule.lines)),
        "shift_hours": round3(shift_hours),
        "floor_hours": round3(floor_hours),
        "agents": schedule.lines.iter().filter(|l| !l.agent.ends_with("(from the day before)")).count(),
        "lp_bound": round3(schedule.lp_bound()),
        "gap": round3(schedule.gap()),
        "targets_met": schedule.misses.is_empty(),
        "targets_missed": schedule.misses.iter().map(|m| miss_json(s, schedule, m)).collect::<Vec<_>>(),
        "todays_roster": {
            "agents": today_agents,
            "shift_hours": round3(today_shift),
            "floor_hours": round3(today_floor),
        },
        "plan_agent_intervals": schedule.plan.total_required(),
        "iterations": iterations,
        "groups": groups,
        "intervals": intervals,
    })
}

/// The terminal table: per interval, each group's requirement and what
/// the roster puts on the floor; then cost, hours, the gap, iterations.
pub fn render_table(schedule: &Schedule, s: &Scenario, rules: &ShiftRules) -> String {
    let floor = floor_per_interval(schedule);
    let mut out = String::new();
    let mut head = format!("{:<8}", "interval");
    for g in &s.agents {
        let name: String = g.group.chars().take(16).collect();
        let _ = write!(head, " {name:>16}");
    }
    out.push_str(head.trim_end());
    out.push('\n');
    for (i, iv) in schedule.plan.intervals.iter().enumerate() {
        let mut line = format!("{:<8}", iv.start);
        for (on_floor, required) in floor.iter().zip(&schedule.requirement) {
            let cell = format!("{} / {}", on_floor[i], required[i]);
            let _ = write!(line, " {cell:>16}");
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    let _ = writeln!(
        out,
        "(on the floor per the roster / required, in rostered agents: the plan's head-count with absence)"
    );
    let (today_agents, today_shift, _) = todays_roster(s);
    let _ = writeln!(
        out,
        "roster: {} agents, {:.1} paid hours, cost {:.1}; the bound of the linear relaxation is {:.1} (gap {:.1}%, {})",
        schedule.lines.iter().filter(|l| !l.agent.ends_with("(from the day before)")).count(),
        super::paid_hours(rules, &schedule.lines),
        schedule.cost(),
        schedule.lp_bound(),
        100.0 * schedule.gap(),
        super::covering::backend()
    );
    let _ = writeln!(
        out,
        "the scenario's own roster: {today_agents} agents, {today_shift:.1} shift hours"
    );
    let _ = writeln!(
        out,
        "{} iteration{} (solve, then simulate {} replications)",
        schedule.iterations.len(),
        if schedule.iterations.len() == 1 {
            ""
        } else {
            "s"
        },
        s.simulation.replications
    );
    if schedule.misses.is_empty() {
        out.push_str("every target met in every interval (on the mean over the replications, as run judges it)\n");
    } else {
        let _ = writeln!(
            out,
            "targets still missed after the last iteration: {}",
            describe_misses(schedule, s)
        );
    }
    out
}

/// The misses in a line: `09:30 Cards service_level 0.78 (target 0.8)`.
pub fn describe_misses(schedule: &Schedule, s: &Scenario) -> String {
    schedule
        .misses
        .iter()
        .map(|m| {
            format!(
                "{} {} {} {:.3} (target {})",
                schedule
                    .plan
                    .intervals
                    .get(m.interval)
                    .map_or("", |iv| iv.start.as_str()),
                s.queues[m.queue].name,
                m.metric.name(),
                m.mean,
                m.target
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// Writes `roster.csv`, `schedule.json` and `schedule.html` into `dir`,
/// each atomically.
pub fn write_schedule(
    dir: &Path,
    schedule: &Schedule,
    s: &Scenario,
    rules: &ShiftRules,
) -> io::Result<Vec<PathBuf>> {
    let json = serde_json::to_string_pretty(&schedule_json(schedule, s, rules))
        .map_err(io::Error::other)?;
    Ok(vec![
        write_atomically(dir, "roster.csv", schedule.roster_csv.as_bytes())?,
        write_atomically(dir, "schedule.json", (json + "\n").as_bytes())?,
        write_atomically(
            dir,
            "schedule.html",
            super::html::schedule_html(schedule, s, rules).as_bytes(),
        )?,
    ])
}

/// Hours of a duration, for the charts.
pub fn hours(d: SimDuration) -> f64 {
    d.as_secs_f64() / 3600.0
}
