//! `replay.html`: the real day against the simulated ones, per queue.

use super::Replay;
use crate::report::charts::{css_colour, line_chart, queue_colour, LineSpec, Series, ALL_COLOUR};
use crate::report::figures::Figure;
use crate::report::html::{document, escape, figure, table};
use crate::report::ReportError;
use std::fmt::Write as _;

/// The charts drawn per queue: metric, title, y label, decimals.
const CHARTS: [(&str, &str, &str, usize); 4] = [
    ("service_level", "service level", "share", 2),
    ("offered", "offered", "items", 0),
    ("asa_s", "average speed of answer", "seconds", 0),
    ("p_abandon", "abandonment", "share", 2),
];

/// The text of `replay.html`.
pub fn replay_html(r: &Replay) -> Result<String, ReportError> {
    let mut b = String::new();
    let _ = writeln!(
        b,
        "<p class=\"note\">The export in <code>{}</code> replayed through <code>{}</code>{}: \
         every item arrives when it arrived{}, every agent works the shift and breaks of their \
         presence spells; {} replications. The real day is compared with the range one \
         simulated day falls in (the replications' mean ± t·sd·√(1 + 1/n), 95%), not with the \
         interval of their mean, which narrows as replications are added.</p>",
        escape(&r.calibration.export.dir.display().to_string()),
        escape(&r.scenario_file.display().to_string()),
        if r.edits.is_empty() {
            String::new()
        } else {
            format!(
                " with {}",
                escape(
                    &r.edits
                        .iter()
                        .map(|e| format!("{}={}", e.key, e.value))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            )
        },
        if r.real_handle_times {
            " and takes the handle time it took"
        } else {
            ""
        },
        r.replications
    );
    b.push_str("<h2>Summary</h2>\n");
    let rows: Vec<Vec<String>> = r
        .summary
        .iter()
        .map(|s| {
            vec![
                s.metric.to_string(),
                s.compared.to_string(),
                s.mean_absolute_error
                    .map_or("–".into(), |m| format!("{m:.4}")),
                s.mean_difference.map_or("–".into(), |m| format!("{m:+.4}")),
                format!(
                    "{} ({:.0}%)",
                    s.in_day_range,
                    100.0 * s.in_day_range as f64 / s.compared.max(1) as f64
                ),
            ]
        })
        .collect();
    b.push_str(&table(
        &[
            "metric",
            "intervals × queues",
            "mean absolute error",
            "actual in the day range",
        ],
        &rows,
    ));
    let mut queues: Vec<&str> = Vec::new();
    for row in &r.rows {
        if !queues.contains(&row.queue.as_str()) {
            queues.push(&row.queue);
        }
    }
    let intervals = r.rows.iter().map(|x| x.interval).max().map_or(0, |m| m + 1);
    for (qi, q) in queues.iter().enumerate() {
        let _ = writeln!(b, "<h2>{}</h2>\n<div class=\"grid2\">", escape(q));
        for (metric, title, y, decimals) in CHARTS {
            let cells: Vec<&super::Row> = r
                .rows
                .iter()
                .filter(|x| x.queue == *q && x.metric == metric)
                .collect();
            let x = |i: usize| i as f64 + 0.5;
            let point = |f: &dyn Fn(&super::Row) -> Option<f64>| {
                cells
                    .iter()
                    .map(|c| (x(c.interval), f(c)))
                    .collect::<Vec<_>>()
            };
            let colour = queue_colour(qi);
            let series = [
                Series {
                    colour: ALL_COLOUR,
                    points: point(&|c| c.actual),
                },
                Series {
                    colour,
                    points: point(&|c| c.simulated.as_ref().map(|s| s.mean)),
                },
                Series {
                    colour: queue_colour(qi + 3),
                    points: point(&|c| c.day_range.map(|d| d.0)),
                },
                Series {
                    colour: queue_colour(qi + 3),
                    points: point(&|c| c.day_range.map(|d| d.1)),
                },
            ];
            let chart_title = format!("{q}: {title}");
            let svg = line_chart(
                &LineSpec {
                    title: &chart_title,
                    x_desc: "interval",
                    x_clock: false,
                    y_desc: y,
                    size: (520, 300),
                    x_range: (0.0, intervals as f64),
                    y_range: (y == "share").then_some((0.0, 1.0)),
                    y_decimals: decimals,
                    markers: true,
                    references: &[],
                },
                &series,
            )?;
            let first = cells
                .first()
                .map_or(String::new(), |c| c.interval_start.clone());
            let mut f = String::new();
            figure(
                &mut f,
                &Figure {
                    id: format!("{metric}-{qi}"),
                    svg,
                    legend: vec![
                        ("actual".into(), css_colour(ALL_COLOUR)),
                        ("simulated mean".into(), css_colour(colour)),
                        ("day range".into(), css_colour(queue_colour(qi + 3))),
                    ],
                    caption: format!("Per interval from {} (interval 0).", escape(&first)),
                },
            );
            b.push_str(&f);
        }
        b.push_str("</div>\n");
    }
    if !r.notes.is_empty() {
        b.push_str("<h2>Notes</h2>\n<ul>");
        for n in &r.notes {
            let _ = write!(b, "<li>{}</li>", escape(n));
        }
        b.push_str("</ul>\n");
    }
    Ok(document(
        &format!("{} — replay", r.scenario.simulation.name),
        "omnisim replay: the real day beside the simulated ones",
        &b,
    ))
}
