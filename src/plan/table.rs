//! The plan as a person reads it: the terminal table, what sharing
//! agents saves against separate Erlang staffings, and how the work was
//! split between groups.

use super::output::{first_servers, round3};
use super::StaffingPlan;
use crate::scenario::Scenario;
use std::fmt::Write as _;

/// The terminal table: one line per interval, the required head-count
/// per group (rostered in brackets), each queue's service level and the
/// target that set the head-count; then the totals, the cost and how the
/// work was split between groups.
pub fn render_table(plan: &StaffingPlan, scenario: &Scenario) -> String {
    let mut out = String::new();
    let mut head = format!("{:<8}", "interval");
    for g in &plan.groups {
        let _ = write!(head, " {:>14}", trim(g, 14));
    }
    for q in &plan.queues {
        let _ = write!(head, " {:>14}", trim(&format!("SL {q}"), 14));
    }
    let _ = write!(head, "  set by");
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
        let mut set_by: Vec<String> = (0..plan.groups.len())
            .map(|g| super::output::set_by_label(plan, iv, g))
            .filter(|l| !l.is_empty())
            .collect();
        set_by.sort();
        set_by.dedup();
        let _ = write!(line, "  {}", set_by.join(", "));
        if iv.decision == super::Decision::AtCap {
            line.push_str(" (at the cap)");
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
    let _ = writeln!(out, "{}", cost_sentence(plan, scenario));
    out.push_str("split between groups (cost per agent-hour; limits; agent-intervals; the linear programme's cheapest split over the day, in agent-intervals):\n");
    for line in explain_split(plan, scenario) {
        let _ = writeln!(out, "  {line}");
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
            "Erlang A staffing each queue on its own needs {separate} agent-intervals; the simulated plan needs {} more (teams not pooled, skills, the backlog carried between intervals)",
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

/// How the work was split between groups, one line per group: its cost
/// and limits, its agent-intervals (and the cheapest split's, rounded,
/// where the search started), the queues the linear programme put it on
/// over the day, and the intervals it stood at a limit.
pub fn explain_split(plan: &StaffingPlan, scenario: &Scenario) -> Vec<String> {
    let serves = super::serves(scenario);
    let l = &plan.limits;
    let mut out = Vec::new();
    for (g, name) in plan.groups.iter().enumerate() {
        let required: u64 = plan
            .intervals
            .iter()
            .map(|iv| u64::from(iv.agents_required[g]))
            .sum();
        let started: u64 = plan
            .intervals
            .iter()
            .map(|iv| u64::from(iv.agents_start[g]))
            .sum();
        let mut line = format!("{name}: {}/h, ", l.cost_per_hour[g]);
        if l.fixed[g] {
            line.push_str("fixed as rostered");
        } else {
            let _ = write!(line, "{}–{} agents", l.min[g], l.max[g]);
        }
        let _ = write!(
            line,
            "; {required} agent-intervals (started from {started})"
        );
        let mut work: Vec<(usize, f64)> = (0..plan.queues.len())
            .map(|q| {
                let w = plan
                    .intervals
                    .iter()
                    .filter_map(|iv| iv.split.as_ref())
                    .map(|s| s.work[g][q])
                    .sum::<f64>();
                (q, w)
            })
            .filter(|(_, w)| *w > 0.05)
            .collect();
        work.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        if work.is_empty() {
            line.push_str("; the cheapest split gave it no work");
        } else {
            let parts: Vec<String> = work
                .iter()
                .map(|&(q, w)| {
                    let only = (0..plan.groups.len()).filter(|&h| serves[h][q]).count() == 1;
                    format!(
                        "{} {:.1}{}",
                        plan.queues[q],
                        round3(w),
                        if only { " (only it may take them)" } else { "" }
                    )
                })
                .collect();
            let _ = write!(line, "; the cheapest split put it on {}", parts.join(", "));
        }
        if !l.fixed[g] {
            let at_max = plan
                .intervals
                .iter()
                .filter(|iv| iv.agents_required[g] >= l.max[g])
                .count();
            if at_max > 0 {
                let _ = write!(
                    line,
                    "; at its maximum in {at_max} interval{}",
                    plural(at_max)
                );
            }
            let at_min = plan
                .intervals
                .iter()
                .filter(|iv| l.min[g] > 0 && iv.agents_required[g] <= l.min[g])
                .count();
            if at_min > 0 {
                let _ = write!(
                    line,
                    "; at its minimum in {at_min} interval{}",
                    plural(at_min)
                );
            }
        }
        out.push(line);
    }
    out
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// The cost line: the plan's cost beside separate Erlang A staffings.
pub fn cost_sentence(plan: &StaffingPlan, scenario: &Scenario) -> String {
    let cost = plan.total_cost();
    match plan.separate_erlang_cost(&first_servers(scenario)) {
        Some(separate) => format!(
            "cost: {:.1} (agent-hours × cost_per_hour); Erlang A staffing each queue on its own: {:.1}",
            cost, separate
        ),
        None => format!("cost: {cost:.1} (agent-hours × cost_per_hour)"),
    }
}
