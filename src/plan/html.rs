//! `staffing.html`: one chart per group, required against rostered per
//! interval, and one per queue with a service-level target.

use super::StaffingPlan;
use crate::report::charts::{line_chart, queue_colour, LineSpec, Series};
use crate::report::html::escape;
use crate::scenario::Scenario;
use std::fmt::Write as _;

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
            "Agents required on the floor per interval (every target met, judged on {}, {} replications per candidate to start with) against the agents the scenario's roster puts on the floor after breaks and expected absence.",
            match plan.rule {
                super::JudgeRule::Mean => "its mean",
                super::JudgeRule::LowerBound => "the bound of its 95% confidence interval",
            },
            plan.replications
        )),
        escape(&plan.total_separate_erlang().map_or(String::new(), |s| super::table::saving_sentence(plan.total_required(), s))),
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
            references: &[],
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
            references: &[],
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
