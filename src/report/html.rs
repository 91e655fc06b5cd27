//! The page: header, summary table, figures and the scenario, as one
//! HTML document with inline CSS and inline SVG.
//!
//! No script, no external resource: the file can be mailed, archived or
//! opened offline, and looks the same wherever it is opened.

use super::data::{RunSummary, ALL};
use super::figures::Figure;
use crate::stats::{Estimate, TargetCheck, TargetMetric, QUEUE_METRICS};
use std::fmt::Write as _;

/// Escapes text for HTML content and attribute values.
pub(crate) fn escape(text: &str) -> String {
    let mut s = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => s.push_str("&amp;"),
            '<' => s.push_str("&lt;"),
            '>' => s.push_str("&gt;"),
            '"' => s.push_str("&quot;"),
            '\'' => s.push_str("&#39;"),
            c => s.push(c),
        }
    }
    s
}

/// A duration for people: `45 s`, `30 min`, `8 h`, `1 h 30 min`, `1.5 s`.
pub(crate) fn fmt_duration(seconds: f64) -> String {
    let whole = seconds.round();
    if (seconds - whole).abs() > 1e-9 || seconds < 60.0 {
        return format!("{} s", super::charts::tick(seconds, 3));
    }
    let total = whole as u64;
    let (h, m, s) = (total / 3600, total % 3600 / 60, total % 60);
    let mut parts = vec![];
    if h > 0 {
        parts.push(format!("{h} h"));
    }
    if m > 0 {
        parts.push(format!("{m} min"));
    }
    if s > 0 {
        parts.push(format!("{s} s"));
    }
    parts.join(" ")
}

const CSS: &str = r#"
*{box-sizing:border-box}
body{margin:0;background:#f4f6f9;color:#1f2733;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{max-width:1100px;margin:0 auto;padding:12px 20px 40px}
h1{font-size:1.7rem;margin:.5em 0 0}
h1 small{font-size:.55em;font-weight:normal;color:#5b6575;margin-left:.5em}
h2{font-size:1.2rem;margin:1.8em 0 .6em;padding-bottom:.25em;border-bottom:1px solid #d5dbe4}
p{margin:.4em 0 .8em}
.facts{display:grid;grid-template-columns:repeat(auto-fill,minmax(190px,1fr));gap:8px;margin:14px 0 6px;padding:0}
.facts div{background:#fff;border:1px solid #dde3eb;border-radius:6px;padding:6px 10px}
.facts dt{font-size:.78rem;color:#5b6575;text-transform:uppercase;letter-spacing:.03em}
.facts dd{margin:0;font-weight:600}
nav.toc{font-size:.9rem;margin:10px 0 0}
nav.toc a{color:#1f5fa8;text-decoration:none;margin-right:14px;white-space:nowrap}
.note{color:#5b6575;font-size:.9rem}
.scroll{overflow-x:auto}
table{border-collapse:collapse;background:#fff;border:1px solid #dde3eb;font-variant-numeric:tabular-nums;font-size:.9rem}
th,td{padding:5px 10px;border-bottom:1px solid #e6eaf0;text-align:right;vertical-align:top}
th{background:#eef1f5;font-weight:600}
th:first-child,td:first-child{text-align:left}
td.unit{color:#5b6575;text-align:left}
.pm{color:#5b6575}
.ci{display:block;color:#7a8392;font-size:.8em}
.grid2,.grid3{display:grid;gap:14px}
.grid2{grid-template-columns:repeat(2,minmax(0,1fr))}
.grid3{grid-template-columns:repeat(3,minmax(0,1fr))}
figure.chart{margin:0 0 14px;background:#fff;border:1px solid #dde3eb;border-radius:6px;padding:8px 8px 10px}
figure.chart svg{display:block;width:100%;height:auto}
figcaption{font-size:.82rem;color:#4b5563;margin:6px 4px 0}
.legend{display:block;margin-bottom:3px;color:#1f2733}
.legend span{display:inline-block;margin-right:14px;white-space:nowrap}
.legend i{display:inline-block;width:16px;height:4px;border-radius:2px;margin-right:5px;vertical-align:middle}
pre{background:#fff;border:1px solid #dde3eb;border-radius:6px;padding:12px;overflow:auto;max-height:42em;font-size:.82rem;line-height:1.35}
footer{margin-top:2.5em;color:#6b7280;font-size:.82rem}
@media (max-width:820px){.grid2,.grid3{grid-template-columns:minmax(0,1fr)}}
@media print{body{background:#fff}figure.chart,table,.facts div{break-inside:avoid}}
"#;

/// A page of its own in the report's style: a title with a subtitle,
/// then `body` (HTML). The pages of `calibrate` and `replay` are written
/// with it, so every page omnisim writes looks alike.
pub(crate) fn document(title: &str, subtitle: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{t}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n\
         <header>\n<h1>{t}<small>{s}</small></h1>\n</header>\n{body}\n\
         <footer>Written by omnisim {v}.</footer>\n</main>\n</body>\n</html>\n",
        t = escape(title),
        s = escape(subtitle),
        v = env!("CARGO_PKG_VERSION"),
    )
}

/// A table: a header row and rows of cells already HTML.
pub(crate) fn table(head: &[&str], rows: &[Vec<String>]) -> String {
    let mut out = String::from("<div class=\"scroll\"><table><thead><tr>");
    for h in head {
        let _ = write!(out, "<th>{}</th>", escape(h));
    }
    out.push_str("</tr></thead><tbody>\n");
    for r in rows {
        out.push_str("<tr>");
        for c in r {
            let _ = write!(out, "<td>{c}</td>");
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table></div>\n");
    out
}

/// Everything the page shows.
#[derive(Debug)]
pub(crate) struct Page<'a> {
    pub summary: &'a RunSummary,
    /// Agents per group, in first-appearance order.
    pub groups: Vec<(String, usize)>,
    /// Rows of work.csv.
    pub work_rows: u64,
    /// The sections of figures, in page order.
    pub sections: Vec<Section>,
    /// The scenario copy in the folder: file name and text.
    pub scenario_file: Option<(String, String)>,
}

/// A section of figures.
#[derive(Debug)]
pub(crate) struct Section {
    pub id: &'static str,
    pub heading: &'static str,
    /// `""` for full-width figures, `"grid2"` or `"grid3"`.
    pub grid: &'static str,
    pub figures: Vec<Figure>,
}

/// One table cell: mean ± half-width, and the interval below.
fn cell(e: Option<Estimate>, decimals: usize) -> String {
    match e {
        None => "<td title=\"not defined in any replication\">–</td>".into(),
        Some(e) => {
            let half = (e.ci95_high - e.ci95_low) / 2.0;
            format!(
                "<td>{:.d$}<span class=\"pm\"> ± {:.d$}</span><span class=\"ci\">{:.d$} – {:.d$}</span></td>",
                e.mean,
                half,
                e.ci95_low,
                e.ci95_high,
                d = decimals
            )
        }
    }
}

fn summary_table(out: &mut String, s: &RunSummary) {
    let threshold = s.threshold_label();
    out.push_str("<div class=\"scroll\"><table>\n<thead><tr><th>metric</th><th>unit</th>");
    for (name, _) in &s.queues {
        let _ = write!(out, "<th>{}</th>", escape(name));
    }
    let _ = writeln!(out, "<th>{ALL}</th></tr></thead>\n<tbody>");
    // One row per metric the table shows, in the summary's order.
    for d in QUEUE_METRICS {
        let Some(label) = d.report_label else {
            continue;
        };
        let _ = write!(
            out,
            "<tr><td>{}</td><td class=\"unit\">{}</td>",
            escape(&label.replace("{threshold}", &threshold)),
            d.unit
        );
        let decimals = d.kind.decimals();
        for (_, m) in &s.queues {
            out.push_str(&cell(m.values[d.metric], decimals));
        }
        out.push_str(&cell(s.overall.values[d.metric], decimals));
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table></div>\n");
}

/// A target as a planner writes it: `service level ≥ 0.8`, `ASA ≤ 45 s`.
pub(crate) fn target_words(t: &TargetCheck) -> String {
    let (name, op) = (t.metric.label(), t.bound.symbol());
    let value = |v: f64| {
        if t.metric == TargetMetric::Asa {
            format!("{} s", super::charts::tick(v, 1))
        } else {
            super::charts::tick(v, 3)
        }
    };
    format!("{name} {op} {}", value(t.target))
}

/// The targets of summary.json, one row each.
fn targets_table(out: &mut String, s: &RunSummary) {
    let rows: Vec<Vec<String>> = s
        .targets
        .iter()
        .map(|t| {
            let seconds = t.metric == TargetMetric::Asa;
            let v = |x: f64| {
                if seconds {
                    format!("{x:.1} s")
                } else {
                    format!("{x:.3}")
                }
            };
            let ci = match (t.ci95_low, t.ci95_high) {
                (Some(a), Some(b)) => format!("{} – {}", v(a), v(b)),
                _ => "–".into(),
            };
            let met = match t.met {
                Some(true) => "met",
                Some(false) => "<strong>not met</strong>",
                None => "–",
            };
            let worst = t.worst_interval.as_ref().map_or("–".into(), |w| {
                format!("{}–{}: {}", escape(&w.start), escape(&w.end), v(w.value))
            });
            vec![
                escape(&t.queue),
                escape(&target_words(t)),
                t.mean.map_or("–".into(), v),
                ci,
                met.to_string(),
                worst,
            ]
        })
        .collect();
    out.push_str(&table(
        &[
            "queue",
            "target",
            "mean",
            "95% interval",
            "met",
            "worst interval",
        ],
        &rows,
    ));
}

/// Writes a chart with its legend and caption.
pub(crate) fn figure(out: &mut String, f: &Figure) {
    let _ = writeln!(
        out,
        "<figure class=\"chart\" id=\"fig-{id}\" data-chart=\"{id}\">",
        id = f.id
    );
    out.push_str(&f.svg);
    out.push_str("\n<figcaption>");
    if !f.legend.is_empty() {
        out.push_str("<span class=\"legend\">");
        for (name, colour) in &f.legend {
            let _ = write!(
                out,
                "<span><i style=\"background:{colour}\"></i>{}</span>",
                escape(name)
            );
        }
        out.push_str("</span>");
    }
    out.push_str(&f.caption);
    out.push_str("</figcaption>\n</figure>\n");
}

/// A fact box of the header.
fn fact(out: &mut String, label: &str, value: &str) {
    let _ = write!(
        out,
        "<div><dt>{}</dt><dd>{}</dd></div>",
        escape(label),
        escape(value)
    );
}

/// The settings recorded in summary.json, as a table.
fn settings_table(out: &mut String, p: &Page<'_>) {
    let s = p.summary;
    let mut rows: Vec<(String, String)> = vec![
        ("name".into(), s.scenario.clone()),
        ("seed".into(), s.seed.to_string()),
        ("replications".into(), s.replications.to_string()),
        (
            "duration (measured)".into(),
            format!("{} ({} s)", fmt_duration(s.duration_s), s.duration_s),
        ),
        (
            "warm-up".into(),
            format!("{} ({} s)", fmt_duration(s.warmup_s), s.warmup_s),
        ),
        ("reporting interval".into(), fmt_duration(s.interval_s)),
        ("service-level threshold".into(), s.threshold_detail()),
        ("queues (scenario order)".into(), s.queue_names().join(", ")),
    ];
    for (g, n) in &p.groups {
        rows.push((format!("agent group {g}"), format!("{n} agents")));
    }
    out.push_str("<div class=\"scroll\"><table>\n<tbody>\n");
    for (k, v) in rows {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td style=\"text-align:left\">{}</td></tr>",
            escape(&k),
            escape(&v)
        );
    }
    out.push_str("</tbody></table></div>\n");
}

/// Renders the whole page.
pub(crate) fn page(p: &Page<'_>) -> String {
    let s = p.summary;
    let mut out = String::with_capacity(256 * 1024);
    let title = format!("{} — omnisim report", s.scenario);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n",
        escape(&title)
    );
    let _ = writeln!(
        out,
        "<header>\n<h1>{}<small>omnisim simulation report</small></h1>",
        escape(&s.scenario)
    );
    out.push_str("<dl class=\"facts\">");
    fact(&mut out, "Scenario", &s.scenario);
    fact(&mut out, "Seed", &s.seed.to_string());
    fact(&mut out, "Replications", &s.replications.to_string());
    fact(
        &mut out,
        "Measured period",
        &format!(
            "{} ({} → {})",
            fmt_duration(s.duration_s),
            s.clock_label(s.warmup_s),
            s.clock_label(s.end_s())
        ),
    );
    fact(
        &mut out,
        "Warm-up (not measured)",
        &if s.warmup_s > 0.0 {
            format!("{} (from {})", fmt_duration(s.warmup_s), s.clock_label(0.0))
        } else {
            "none".into()
        },
    );
    fact(&mut out, "Service-level threshold", &s.threshold_detail());
    fact(&mut out, "Reporting interval", &fmt_duration(s.interval_s));
    let agents: usize = p.groups.iter().map(|g| g.1).sum();
    fact(
        &mut out,
        "Queues / agents",
        &format!("{} / {agents}", s.queues.len()),
    );
    if let Some(e) = s.events {
        fact(
            &mut out,
            "Events per replication",
            &format!("{:.0}", e.mean),
        );
    }
    fact(
        &mut out,
        "Items in work.csv",
        &format!("{} (all replications)", p.work_rows),
    );
    out.push_str("</dl>\n");
    out.push_str("<nav class=\"toc\"><a href=\"#summary\">Summary</a>");
    if !s.targets.is_empty() {
        out.push_str("<a href=\"#targets\">Targets</a>");
    }
    for sec in &p.sections {
        let _ = write!(out, "<a href=\"#{}\">{}</a>", sec.id, escape(sec.heading));
    }
    out.push_str("<a href=\"#scenario\">Scenario</a></nav>\n</header>\n");

    out.push_str("<section id=\"summary\">\n<h2>Summary</h2>\n");
    let _ = writeln!(
        out,
        "<p class=\"note\">From summary.json: each figure is the mean over the {} \
         replication{}, ± the half-width of its 95% Student-t confidence interval; the \
         interval itself is below it. Counts are per replication over the measured period; \
         – means the metric was not defined in any replication.{}</p>",
        s.replications,
        if s.replications == 1 { "" } else { "s" },
        if s.replications < 2 {
            " With a single replication the interval collapses to the mean: run at least \
             2 (better 5–10) for a real interval."
        } else {
            ""
        }
    );
    summary_table(&mut out, s);
    out.push_str("</section>\n");
    if !s.targets.is_empty() {
        out.push_str("<section id=\"targets\">\n<h2>Targets</h2>\n");
        out.push_str(
            "<p class=\"note\">From summary.json: each queue's targets, met or not on the mean \
             over the replications, with the 95% interval of that mean and the reporting \
             interval where the metric came out worst. The service-level and ASA charts below \
             draw the targets as thin lines in the queue's colour.</p>\n",
        );
        targets_table(&mut out, s);
        out.push_str("</section>\n");
    }

    for sec in &p.sections {
        let _ = writeln!(
            out,
            "<section id=\"{}\">\n<h2>{}</h2>",
            sec.id,
            escape(sec.heading)
        );
        if !sec.grid.is_empty() {
            let _ = writeln!(out, "<div class=\"{}\">", sec.grid);
        }
        for f in &sec.figures {
            figure(&mut out, f);
        }
        if !sec.grid.is_empty() {
            out.push_str("</div>\n");
        }
        out.push_str("</section>\n");
    }

    out.push_str("<section id=\"scenario\">\n<h2>Scenario</h2>\n");
    match &p.scenario_file {
        Some((name, text)) => {
            let _ = writeln!(
                out,
                "<p class=\"note\">The settings of this run, from summary.json (they include \
                 any <code>--seed</code> or <code>--replications</code> given on the command \
                 line), then the scenario file copied into the results folder as \
                 <code>{}</code>.</p>",
                escape(name)
            );
            settings_table(&mut out, p);
            let _ = writeln!(out, "<pre>{}</pre>", escape(text));
        }
        None => {
            out.push_str(
                "<p class=\"note\">The results folder holds no copy of the scenario file, so \
                 these are the settings recorded in summary.json and the agent groups of \
                 agents.csv.</p>\n",
            );
            settings_table(&mut out, p);
        }
    }
    out.push_str("</section>\n");
    let _ = write!(
        out,
        "<footer>Written by omnisim {} from the result files of this folder \
         (summary.json, intervals.csv, agents.csv, work.csv). Self-contained: inline CSS \
         and SVG, no script, nothing loaded from the network.</footer>\n\
         </main>\n</body>\n</html>\n",
        env!("CARGO_PKG_VERSION")
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            escape(r#"<a href="x">&'"#),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(fmt_duration(60.0), "1 min");
        assert_eq!(fmt_duration(20.0), "20 s");
        assert_eq!(fmt_duration(1.5), "1.5 s");
        assert_eq!(fmt_duration(28_800.0), "8 h");
        assert_eq!(fmt_duration(5_400.0), "1 h 30 min");
        assert_eq!(fmt_duration(720_000.0), "200 h");
        assert_eq!(fmt_duration(0.0), "0 s");
    }

    #[test]
    fn cells_show_mean_half_width_and_interval() {
        let e = Estimate {
            mean: 0.5,
            ci95_low: 0.4,
            ci95_high: 0.6,
        };
        let c = cell(Some(e), 3);
        assert!(c.contains("0.500<span class=\"pm\"> ± 0.100</span>"), "{c}");
        assert!(c.contains("0.400 – 0.600"), "{c}");
        assert!(cell(None, 1).contains('–'));
    }
}
