//! `schedule.html`: per group, the agents the roster puts on the floor
//! against the requirement in every interval, and a shift chart: one bar
//! per agent from shift start to end, its breaks cut out.

use super::output::{floor_per_interval, hours};
use super::rules::ShiftRules;
use super::Schedule;
use crate::report::charts::{line_chart, queue_colour, LineSpec, Series};
use crate::report::html::escape;
use crate::scenario::Scenario;
use std::fmt::Write as _;

/// The page.
pub fn schedule_html(schedule: &Schedule, s: &Scenario, rules: &ShiftRules) -> String {
    let day_start = s.simulation.start_of_day.as_secs_f64() / 3600.0;
    let day_end = day_start + hours(s.simulation.duration);
    let step = hours(s.simulation.interval);
    let floor = floor_per_interval(schedule);
    let mut body = String::new();
    let _ = write!(
        body,
        "<h1>Schedule: {}</h1>\n<p>{}</p>\n",
        escape(&s.simulation.name),
        escape(&format!(
            "{} agents, {:.1} paid hours, cost {:.1}; the linear relaxation's bound is {:.1} (gap {:.1}%). {} iteration(s) of solving and simulating; {}.",
            schedule
                .lines
                .iter()
                .filter(|l| !l.agent.ends_with("(from the day before)"))
                .count(),
            super::paid_hours(rules, &schedule.lines),
            schedule.cost(),
            schedule.lp_bound(),
            100.0 * schedule.gap(),
            schedule.iterations.len(),
            if schedule.misses.is_empty() {
                "every target met in every interval"
            } else {
                "some targets still missed (see schedule.json)"
            }
        ))
    );
    for (g, group) in s.agents.iter().enumerate() {
        let points = |v: &dyn Fn(usize) -> f64| -> Vec<(f64, Option<f64>)> {
            (0..schedule.plan.intervals.len())
                .map(|i| (day_start + step * i as f64, Some(v(i))))
                .collect()
        };
        let required = Series {
            colour: queue_colour(1),
            points: points(&|i| f64::from(schedule.requirement[g][i])),
        };
        let rostered = Series {
            colour: queue_colour(0),
            points: points(&|i| f64::from(floor[g][i])),
        };
        let title = format!(
            "{}: on the floor per the roster (blue) against the requirement (orange)",
            group.group
        );
        let spec = LineSpec {
            title: &title,
            x_desc: "interval start (clock time)",
            x_clock: true,
            y_desc: "agents on the floor",
            size: (760, 280),
            x_range: (day_start, day_end),
            y_range: None,
            y_decimals: 0,
            markers: true,
            references: &[],
        };
        match line_chart(&spec, &[rostered, required]) {
            Ok(svg) => body.push_str(&svg),
            Err(e) => {
                let _ = write!(body, "<p>{}</p>", escape(&e.to_string()));
            }
        }
    }
    body.push_str(&shift_chart(schedule, s, day_start, day_end));
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Schedule: {}</title>\n<style>body{{font-family:sans-serif;max-width:800px;margin:2em auto;color:#222}}svg{{display:block;margin:1em 0}}</style>\n</head>\n<body>\n{body}</body>\n</html>\n",
        escape(&s.simulation.name)
    )
}

/// One bar per rostered agent, grouped by group, over the day's hours;
/// breaks are gaps.
fn shift_chart(schedule: &Schedule, s: &Scenario, day_start: f64, day_end: f64) -> String {
    const ROW: f64 = 9.0;
    const LEFT: f64 = 150.0;
    const WIDTH: f64 = 600.0;
    let rows = schedule.lines.len();
    let height = 40.0 + ROW * rows as f64;
    let x = |h: f64| LEFT + (h - day_start) / (day_end - day_start).max(1e-9) * WIDTH;
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{height}\" role=\"img\" aria-label=\"shift chart\">\n<text x=\"0\" y=\"14\" font-size=\"13\">Shifts: one bar per agent, breaks cut out</text>\n",
        LEFT + WIDTH + 10.0
    );
    let mut h = day_start.ceil();
    while h <= day_end {
        let _ = writeln!(
            svg,
            "<line x1=\"{0:.1}\" y1=\"22\" x2=\"{0:.1}\" y2=\"{1}\" stroke=\"#ddd\"/><text x=\"{0:.1}\" y=\"{2}\" font-size=\"9\" text-anchor=\"middle\">{3:02}:00</text>",
            x(h),
            height - 10.0,
            height,
            (h as u64) % 24
        );
        h += 1.0;
    }
    let start_h = |d: crate::time::SimDuration| day_start + hours(d);
    let mut last_group = usize::MAX;
    for (r, l) in schedule.lines.iter().enumerate() {
        let y = 24.0 + ROW * r as f64;
        if l.group != last_group {
            let _ = writeln!(
                svg,
                "<text x=\"0\" y=\"{:.1}\" font-size=\"10\">{}</text>",
                y + 7.0,
                escape(&s.agents[l.group].group)
            );
            last_group = l.group;
        }
        let c = queue_colour(l.group);
        let colour = format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2);
        let mut from = l.start;
        for &(b, e, _) in l.breaks.iter().chain(std::iter::once(&(l.end, l.end, 0))) {
            if b > from {
                let _ = writeln!(
                    svg,
                    "<rect x=\"{:.1}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{}\"><title>{}</title></rect>",
                    x(start_h(from)),
                    (x(start_h(b)) - x(start_h(from))).max(0.5),
                    ROW - 2.0,
                    colour,
                    escape(&l.agent)
                );
            }
            from = e;
        }
    }
    svg.push_str("</svg>\n");
    svg
}
