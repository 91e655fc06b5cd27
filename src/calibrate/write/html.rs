//! `calibration.html`: what was fitted and how well, with charts of the
//! fits against the data.

use super::tables::{survival_at, HANDLE_TIME_CRITERION, PATIENCE_METHOD};
use crate::calibrate::model::{Calibration, Fitted, Patience, QueueCal};
use crate::report::charts::{css_colour, line_chart, queue_colour, LineSpec, Series, ALL_COLOUR};
use crate::report::figures::Figure;
use crate::report::html::{document, escape, figure, table};
use crate::report::ReportError;
use std::fmt::Write as _;

/// The text of `calibration.html`.
pub fn calibration_html(c: &Calibration) -> Result<String, ReportError> {
    let mut b = String::new();
    let day = &c.day;
    let _ = writeln!(
        b,
        "<p class=\"note\">From the export in <code>{}</code>: {} on {} ({}), {} to {} in \
         intervals of {}. The model is in <code>scenario.toml</code>, \
         <code>forecast.csv</code> and <code>roster.csv</code>; every figure below is in \
         <code>calibration.json</code>.</p>",
        escape(&c.export.dir.display().to_string()),
        c.export
            .files_read
            .iter()
            .map(|(o, n)| format!("{n} {}", o.name()))
            .collect::<Vec<_>>()
            .join(", "),
        day.local(day.start).date(),
        day.zone,
        day.clock(day.start),
        day.clock(day.end()),
        crate::report::html::fmt_duration(day.interval_s),
    );
    b.push_str("<h2>Volume</h2>\n");
    let mut f = String::new();
    figure(&mut f, &volume_figure(c)?);
    b.push_str(&f);
    for (qi, q) in c.queues.iter().enumerate() {
        let _ = writeln!(b, "<h2>Queue {}</h2>", escape(&q.name));
        let _ = writeln!(
            b,
            "<p>{} offered, {} answered, {} abandoned; {} routing, {}, priority {}{}.</p>",
            q.offered,
            q.answered,
            q.abandoned,
            if q.skills_based {
                "skills-based"
            } else {
                "queue-based"
            },
            q.routing_model.replace('_', " "),
            q.priority,
            q.push_timeout_s
                .map_or(String::new(), |t| format!(", push timeout {t} s"))
        );
        b.push_str("<h3>Handle time</h3>\n");
        let _ = writeln!(b, "<p class=\"note\">{}</p>", escape(HANDLE_TIME_CRITERION));
        b.push_str(&fits_table(&q.handle_time));
        if let Some(fig) = handle_figure(q, qi)? {
            let mut f = String::new();
            figure(&mut f, &fig);
            b.push_str(&f);
        }
        b.push_str("<h3>Patience</h3>\n");
        match &q.patience {
            Patience::Estimated {
                exponential,
                kaplan_meier_median_s,
                ..
            } => {
                let _ = writeln!(
                    b,
                    "<p>Mean patience <b>{:.1} s</b> (95% interval {:.1}–{:.1} s) from {} \
                     abandonments over {} waits (exposure {:.0} s); Kaplan–Meier median {}.</p>\
                     <p class=\"note\">{}</p>",
                    exponential.mean_s,
                    exponential.ci95.0,
                    exponential.ci95.1,
                    exponential.abandonments,
                    exponential.waits,
                    exponential.exposure_s,
                    kaplan_meier_median_s
                        .map_or("not reached within the waits".into(), |m| format!(
                            "{m:.1} s"
                        )),
                    escape(PATIENCE_METHOD)
                );
                let mut f = String::new();
                figure(&mut f, &patience_figure(q, qi)?);
                b.push_str(&f);
            }
            Patience::NotEstimated { reason } => {
                let _ = writeln!(b, "<p><b>Not estimated:</b> {}</p>", escape(reason));
            }
        }
        b.push_str("<h3>Wrap-up</h3>\n");
        b.push_str(&match &q.wrap_up {
            Fitted::None { .. } => "<p>None recorded.</p>\n".to_string(),
            Fitted::Constant { value_s, n } => {
                format!("<p>{value_s} s after each of {n} items.</p>\n")
            }
            f @ Fitted::Families { .. } => fits_table(f),
        });
        if !q.notes.is_empty() {
            b.push_str("<ul class=\"note\">");
            for n in &q.notes {
                let _ = write!(b, "<li>{}</li>", escape(n));
            }
            b.push_str("</ul>\n");
        }
    }
    b.push_str("<h2>Agent groups</h2>\n");
    let rows: Vec<Vec<String>> = c
        .groups
        .iter()
        .map(|g| {
            let a = &g.answering;
            vec![
                escape(&g.name),
                g.agents.to_string(),
                g.capacity.to_string(),
                a.pushes.to_string(),
                format!("{:.4}", a.decline_probability),
                a.timed_out.to_string(),
                format!("{:.4}", a.no_answer_probability),
                a.response_mean_s.map_or("–".into(), |m| format!("{m:.1}")),
                if a.auto_accept { "yes" } else { "no" }.into(),
                escape(
                    &g.skills
                        .iter()
                        .map(|(s, l)| format!("{} {l}", c.skill_name(s)))
                        .collect::<Vec<_>>()
                        .join(", "),
                ),
            ]
        })
        .collect();
    b.push_str(&table(
        &[
            "group",
            "agents",
            "capacity",
            "pushes",
            "P(decline)",
            "push timeouts",
            "P(no answer)",
            "answer time [s]",
            "auto-accept",
            "skills",
        ],
        &rows,
    ));
    b.push_str(
        "<p class=\"note\">P(decline) is declines ÷ answered pushes. Answer times are fitted \
         as exponential and cut off by the push timeout; P(no answer) is the share of pushes \
         that time out whatever the answer time.</p>\n",
    );
    b.push_str("<h2>Roster</h2>\n");
    let clock = |s: f64| day.clock(day.at(s));
    let rows: Vec<Vec<String>> = c
        .agents
        .iter()
        .map(|a| {
            vec![
                escape(&a.name),
                escape(&c.groups[a.group].name),
                clock(a.shift_start_s),
                clock(a.shift_end_s),
                escape(
                    &a.breaks
                        .iter()
                        .map(|(s, e, st)| {
                            format!("{}–{} {}", clock(*s), clock(*e), c.statuses[*st].name)
                        })
                        .collect::<Vec<_>>()
                        .join("; "),
                ),
            ]
        })
        .collect();
    b.push_str(&table(&["agent", "group", "from", "to", "breaks"], &rows));
    b.push_str("<h2>What the export did not say</h2>\n<ul>");
    for n in &c.notes {
        let _ = write!(b, "<li>{}</li>", escape(n));
    }
    b.push_str("</ul>\n");
    Ok(document(
        &format!("{} — calibration", c.options.name),
        "omnisim calibrate",
        &b,
    ))
}

fn fits_table(f: &Fitted) -> String {
    let Fitted::Families { fits, n } = f else {
        return match f {
            Fitted::Constant { value_s, n } => {
                format!("<p>Constant: {value_s} s ({n} items).</p>\n")
            }
            _ => "<p>No item handled to the end.</p>\n".into(),
        };
    };
    let best = fits.first().map_or(0.0, |b| b.aic);
    let rows: Vec<Vec<String>> = fits
        .iter()
        .enumerate()
        .map(|(i, fit)| {
            vec![
                format!(
                    "{}{}",
                    fit.family.name(),
                    if i == 0 { " (chosen)" } else { "" }
                ),
                format!("{:.1}", fit.mean_s),
                format!("{:.1}", fit.sd_s),
                format!("{:.1}", fit.log_likelihood),
                format!("{:.1}", fit.aic - best),
                format!("{:.4}", fit.ks_distance),
                format!("{:.3}", fit.ks_p_value),
            ]
        })
        .collect();
    let mut s = table(
        &[
            "family",
            "mean [s]",
            "sd [s]",
            "ln L",
            "ΔAIC",
            "KS distance",
            "KS p",
        ],
        &rows,
    );
    let _ = writeln!(s, "<p class=\"note\">{n} items.</p>");
    s
}

fn volume_figure(c: &Calibration) -> Result<Figure, ReportError> {
    let day = &c.day;
    let h0 = day.offset(day.start);
    let start_h = {
        let l = day.local(day.start);
        chrono::Timelike::num_seconds_from_midnight(&l) as f64 / 3600.0
    };
    let series: Vec<Series> = c
        .queues
        .iter()
        .enumerate()
        .map(|(qi, q)| Series {
            colour: queue_colour(qi),
            points: q
                .volume
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    (
                        start_h + (h0 + (i as f64 + 0.5) * day.interval_s) / 3600.0,
                        Some(*v as f64),
                    )
                })
                .collect(),
        })
        .collect();
    let svg = line_chart(
        &LineSpec {
            title: "Items first requested per interval",
            x_desc: "clock time",
            x_clock: true,
            y_desc: "items",
            size: (1060, 300),
            x_range: (start_h, start_h + day.duration_s / 3600.0),
            y_range: None,
            y_decimals: 0,
            markers: true,
            references: &[],
        },
        &series,
    )?;
    Ok(Figure {
        id: "volume".into(),
        svg,
        legend: c
            .queues
            .iter()
            .enumerate()
            .map(|(i, q)| (q.name.clone(), css_colour(queue_colour(i))))
            .collect(),
        caption: "The forecast's volume: each item counted once, in the interval and queue of \
                  its first request."
            .into(),
    })
}

/// The handle times' distribution function against the fitted ones.
fn handle_figure(q: &QueueCal, qi: usize) -> Result<Option<Figure>, ReportError> {
    let Fitted::Families { fits, .. } = &q.handle_time else {
        return Ok(None);
    };
    let mut xs: Vec<f64> = q.handle_sample.iter().map(|v| v / 60.0).collect();
    xs.sort_by(f64::total_cmp);
    if xs.is_empty() {
        return Ok(None);
    }
    let top = xs[((xs.len() as f64 * 0.99) as usize).min(xs.len() - 1)].max(0.1);
    let grid: Vec<f64> = (0..=120).map(|i| top * i as f64 / 120.0).collect();
    let n = xs.len() as f64;
    let ecdf: Vec<(f64, Option<f64>)> = grid
        .iter()
        .map(|x| (*x, Some(xs.partition_point(|v| v <= x) as f64 / n)))
        .collect();
    let mut series = vec![Series {
        colour: ALL_COLOUR,
        points: ecdf,
    }];
    let mut legend = vec![("items".to_string(), css_colour(ALL_COLOUR))];
    for (i, fit) in fits.iter().enumerate() {
        let colour = queue_colour(i + 1);
        series.push(Series {
            colour,
            points: grid.iter().map(|x| (*x, Some(fit.cdf(x * 60.0)))).collect(),
        });
        legend.push((fit.family.name().to_string(), css_colour(colour)));
    }
    let title = format!("{}: handle time, items against the fitted families", q.name);
    let svg = line_chart(
        &LineSpec {
            title: &title,
            x_desc: "minutes",
            x_clock: false,
            y_desc: "share handled within",
            size: (1060, 320),
            x_range: (0.0, top),
            y_range: Some((0.0, 1.0)),
            y_decimals: 1,
            markers: false,
            references: &[],
        },
        &series,
    )?;
    Ok(Some(Figure {
        id: format!("handle-{qi}"),
        svg,
        legend,
        caption: "Distribution functions: the share of items handled within each time. The \
                  KS distance is the largest vertical gap between the items' curve and a fit's."
            .into(),
    }))
}

/// The Kaplan–Meier curve against the exponential survival.
fn patience_figure(q: &QueueCal, qi: usize) -> Result<Figure, ReportError> {
    let Patience::Estimated {
        exponential,
        kaplan_meier,
        ..
    } = &q.patience
    else {
        unreachable!("only drawn for an estimated patience");
    };
    let top = kaplan_meier.last().map_or(60.0, |s| s.t_s).max(60.0) / 60.0;
    let grid: Vec<f64> = (0..=120).map(|i| top * i as f64 / 120.0).collect();
    let km = Series {
        colour: ALL_COLOUR,
        points: grid
            .iter()
            .map(|x| (*x, Some(survival_at(kaplan_meier, x * 60.0))))
            .collect(),
    };
    let exp = Series {
        colour: queue_colour(1),
        points: grid
            .iter()
            .map(|x| (*x, Some((-x * 60.0 / exponential.mean_s).exp())))
            .collect(),
    };
    let title = format!("{}: patience, share still waiting after", q.name);
    let svg = line_chart(
        &LineSpec {
            title: &title,
            x_desc: "minutes",
            x_clock: false,
            y_desc: "still patient",
            size: (1060, 300),
            x_range: (0.0, top),
            y_range: Some((0.0, 1.0)),
            y_decimals: 1,
            markers: false,
            references: &[],
        },
        &[km, exp],
    )?;
    Ok(Figure {
        id: format!("patience-{qi}"),
        svg,
        legend: vec![
            ("Kaplan–Meier".into(), css_colour(ALL_COLOUR)),
            ("exponential".into(), css_colour(queue_colour(1))),
        ],
        caption: "Both estimates count the answered customers as censored: their patience was \
                  at least their wait."
            .into(),
    })
}
