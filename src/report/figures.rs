//! From result data to figures: the series, bins and cells of each chart,
//! its SVG, legend and caption.

use super::charts::{
    css_colour, heat_map, line_chart, queue_colour, HeatSpec, LineSpec, Series, ALL_COLOUR,
};
use super::data::{AgentRow, IntervalCells, IntervalTable, RunSummary, ALL};
use super::html::{escape, fmt_duration};
use super::work::WorkStats;
use super::ReportError;
use crate::stats::{Metric, TargetMetric};

/// Design width of a full-width chart \[px\].
pub(super) const FULL: u32 = 1060;
/// Design size of a chart in a two-column row.
const HALF: (u32, u32) = (520, 330);
/// Design size of a chart in a three-column row.
const THIRD: (u32, u32) = (345, 300);
/// Most queue-length samples per queue: one per 5 minutes for a day (finer
/// bins are mostly noise at a few replications), coarser for long runs, so
/// the SVG stays small.
const MAX_QUEUE_BINS: f64 = 160.0;
/// Most heat-map rows and columns; beyond, neighbours are averaged so the
/// SVG stays a few hundred kilobytes at most.
const MAX_HEAT_ROWS: usize = 60;
const MAX_HEAT_COLUMNS: usize = 96;

/// One chart, ready for the page.
#[derive(Debug)]
pub(crate) struct Figure {
    /// Stable identifier (HTML id and `data-chart`).
    pub id: String,
    /// The SVG document.
    pub svg: String,
    /// Legend entries: name and CSS colour.
    pub legend: Vec<(String, String)>,
    /// Caption, already HTML.
    pub caption: String,
}

/// Legend of the queues, optionally followed by `ALL`.
fn queue_legend(queues: &[String], with_all: bool) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = queues
        .iter()
        .enumerate()
        .map(|(q, n)| (n.clone(), css_colour(queue_colour(q))))
        .collect();
    if with_all {
        v.push((format!("{ALL} (whole centre)"), css_colour(ALL_COLOUR)));
    }
    v
}

/// The x range of every time chart: the measured window, in hours of
/// the day's clock ([`RunSummary::clock_h`]).
fn window_h(s: &RunSummary) -> (f64, f64) {
    (s.clock_h(s.warmup_s), s.clock_h(s.end_s()))
}

/// One series per queue (and `ALL` if asked) of one `intervals.csv`
/// column, plotted at interval midpoints.
fn interval_series(
    s: &RunSummary,
    t: &IntervalTable,
    value: Column,
    with_all: bool,
) -> Vec<Series> {
    let queues = s.queue_names();
    let n = if with_all {
        queues.len() + 1
    } else {
        queues.len()
    };
    (0..n)
        .map(|k| Series {
            colour: if k < queues.len() {
                queue_colour(k)
            } else {
                ALL_COLOUR
            },
            points: t
                .intervals
                .iter()
                .zip(&t.cells[k])
                .map(|(iv, c)| (s.clock_h(iv.mid_s()), value(c)))
                .collect(),
        })
        .collect()
}

/// What every per-interval caption says about the data.
fn interval_note(s: &RunSummary) -> String {
    format!(
        "From intervals.csv: mean over {} replication{} per {} interval, plotted at the \
         interval's midpoint.",
        s.replications,
        if s.replications == 1 { "" } else { "s" },
        fmt_duration(s.interval_s)
    )
}

/// Reads one column of an interval row.
type Column = fn(&IntervalCells) -> Option<f64>;

/// A per-interval line chart of one `intervals.csv` column.
struct IntervalChart<'a> {
    id: &'static str,
    title: &'a str,
    y_desc: &'a str,
    size: (u32, u32),
    value: Column,
    /// Add the whole centre (`ALL`) as a line: meaningful for ratios and
    /// times, clutter for counts (it is just the sum).
    with_all: bool,
    y_range: Option<(f64, f64)>,
    y_decimals: usize,
    /// What the chart shows; the caption adds where the data came from.
    note: &'a str,
    /// The queues' targets of this metric, as reference lines.
    references: Vec<(f64, plotters::style::RGBColor, String)>,
}

impl IntervalChart<'_> {
    fn draw(&self, s: &RunSummary, t: &IntervalTable) -> Result<Figure, ReportError> {
        let series = interval_series(s, t, self.value, self.with_all);
        let x_desc = s.time_axis();
        let spec = LineSpec {
            title: self.title,
            x_desc: &x_desc,
            x_clock: true,
            y_desc: self.y_desc,
            size: self.size,
            x_range: window_h(s),
            y_range: self.y_range,
            y_decimals: self.y_decimals,
            markers: t.intervals.len() <= 100,
            references: &self.references,
        };
        Ok(Figure {
            id: self.id.to_string(),
            svg: line_chart(&spec, &series)?,
            legend: queue_legend(&s.queue_names(), self.with_all),
            caption: format!("{} {}", escape(self.note), escape(&interval_note(s))),
        })
    }
}

/// A count per interval, one line per queue.
fn count_chart<'a>(
    id: &'static str,
    title: &'a str,
    y_desc: &'a str,
    size: (u32, u32),
    value: Column,
    note: &'a str,
) -> IntervalChart<'a> {
    IntervalChart {
        id,
        title,
        y_desc,
        size,
        value,
        with_all: false,
        y_range: None,
        y_decimals: 1,
        note,
        references: Vec::new(),
    }
}

/// The targets of `metric` (summary.json's `targets`) as reference lines
/// in their queue's colour.
fn target_lines(
    s: &RunSummary,
    metric: TargetMetric,
) -> Vec<(f64, plotters::style::RGBColor, String)> {
    let names = s.queue_names();
    s.targets
        .iter()
        .filter(|t| t.metric == metric)
        .filter_map(|t| {
            let q = names.iter().position(|n| *n == t.queue)?;
            Some((
                t.target,
                queue_colour(q),
                format!("{}: {}", t.queue, super::html::target_words(t)),
            ))
        })
        .collect()
}

/// Service level and ASA per interval (one row of the page).
pub(crate) fn service(s: &RunSummary, t: &IntervalTable) -> Result<Vec<Figure>, ReportError> {
    let (y_desc, note) = match s.common_threshold_s() {
        Some(t) => {
            let threshold = fmt_duration(t);
            (
                format!("answered within {threshold} / offered"),
                format!(
                    "Items that arrived in the interval and were answered within {threshold}, \
                     over the items offered; a gap means nothing was offered."
                ),
            )
        }
        None => (
            "answered in time / offered".to_string(),
            format!(
                "Items that arrived in the interval and were answered within each queue's \
                 own threshold ({}), over the items offered; ALL counts each item against \
                 its own queue's threshold. A gap means nothing was offered.",
                s.threshold_list()
            ),
        ),
    };
    let charts = [
        IntervalChart {
            id: "service-level",
            title: "Service level per interval",
            y_desc: &y_desc,
            size: HALF,
            value: |c| c[Metric::ServiceLevel],
            with_all: true,
            y_range: Some((0.0, 1.05)),
            y_decimals: 1,
            note: &note,
            references: target_lines(s, TargetMetric::ServiceLevel),
        },
        IntervalChart {
            id: "asa",
            title: "Average speed of answer per interval",
            y_desc: "ASA [s]",
            size: HALF,
            value: |c| c[Metric::AsaS],
            with_all: true,
            y_range: None,
            y_decimals: 0,
            note: "Mean arrival → accept time of the interval's answered arrivals; a gap \
                   means none was answered.",
            references: target_lines(s, TargetMetric::Asa),
        },
    ];
    charts.iter().map(|c| c.draw(s, t)).collect()
}

/// Offered, answered and abandoned items per interval.
pub(crate) fn volume(s: &RunSummary, t: &IntervalTable) -> Result<Vec<Figure>, ReportError> {
    let y = "items per interval";
    let charts = [
        count_chart(
            "offered",
            "Offered per interval",
            y,
            THIRD,
            |c| c[Metric::Offered],
            "Items that arrived in the interval.",
        ),
        count_chart(
            "answered",
            "Answered per interval",
            y,
            THIRD,
            |c| c[Metric::Answered],
            "Of those, items accepted by an agent (whenever).",
        ),
        count_chart(
            "abandoned",
            "Abandoned per interval",
            y,
            THIRD,
            |c| c[Metric::Abandoned],
            "Of those, items whose patience ran out.",
        ),
    ];
    charts.iter().map(|c| c.draw(s, t)).collect()
}

/// Declines and push timeouts per interval.
pub(crate) fn declines(s: &RunSummary, t: &IntervalTable) -> Result<Vec<Figure>, ReportError> {
    let charts = [
        count_chart(
            "declines",
            "Declines per interval",
            "declined pushes per interval",
            HALF,
            |c| c[Metric::Declined],
            "Pushes explicitly declined by an agent during the interval; each sends the \
             item back to its queue.",
        ),
        count_chart(
            "push-timeouts",
            "Push timeouts per interval",
            "timed-out pushes per interval",
            HALF,
            |c| c[Metric::PushTimeouts],
            "Pushes left unanswered until the queue's push timeout during the interval.",
        ),
    ];
    charts.iter().map(|c| c.draw(s, t)).collect()
}

/// The queue-length bin width for a measured period of `duration_s`: a
/// round number of minutes giving at most [`MAX_QUEUE_BINS`] bins.
pub(crate) fn queue_bin_width(duration_s: f64) -> f64 {
    const CANDIDATES: [f64; 11] = [
        60.0, 120.0, 300.0, 600.0, 900.0, 1800.0, 3600.0, 7200.0, 14400.0, 28800.0, 86400.0,
    ];
    CANDIDATES
        .into_iter()
        .find(|w| duration_s / w <= MAX_QUEUE_BINS)
        .unwrap_or_else(|| (duration_s / MAX_QUEUE_BINS / 86400.0).ceil() * 86400.0)
}

/// Queue length over time, one line per queue.
pub(crate) fn queue_length(
    s: &RunSummary,
    w: &WorkStats,
    bin_s: f64,
) -> Result<Figure, ReportError> {
    let series: Vec<Series> = s
        .queue_names()
        .into_iter()
        .enumerate()
        .map(|(q, _)| Series {
            colour: queue_colour(q),
            points: w.queue_len[q]
                .iter()
                .enumerate()
                .map(|(b, &v)| {
                    let lo = s.warmup_s + b as f64 * bin_s;
                    let hi = (lo + bin_s).min(s.end_s());
                    (s.clock_h((lo + hi) / 2.0), Some(v))
                })
                .collect(),
        })
        .collect();
    let x_desc = s.time_axis();
    let spec = LineSpec {
        title: "Queue length over time",
        x_desc: &x_desc,
        x_clock: true,
        y_desc: "items waiting (time average)",
        size: (FULL, 340),
        x_range: window_h(s),
        y_range: None,
        y_decimals: 1,
        markers: false,
        references: &[],
    };
    let abandon = if w.abandon_time_known {
        "Abandoned items count until they abandon."
    } else {
        "Abandoned items are left out, because work.csv does not record when they \
         abandoned: with abandonment the curve is a lower bound."
    };
    Ok(Figure {
        id: "queue-length".into(),
        svg: line_chart(&spec, &series)?,
        legend: queue_legend(&s.queue_names(), false),
        caption: escape(&format!(
            "From work.csv: items that had arrived and were not yet accepted (including \
             items pushed to an agent who has not accepted yet), averaged over each {} and \
             over the {} replications; items still waiting at the end count until the end, \
             items ended with no agent until they were ended. {}",
            fmt_duration(bin_s),
            s.replications,
            abandon
        )),
    })
}

/// Weighted mean of the defined values of `(value, weight)` pairs.
fn mean_defined(v: impl Iterator<Item = (Option<f64>, f64)>) -> Option<f64> {
    let (mut sum, mut weight) = (0.0, 0.0);
    for (x, w) in v {
        if let Some(x) = x {
            sum += x * w;
            weight += w;
        }
    }
    (weight > 0.0).then(|| sum / weight)
}

/// Shortens a label for the heat map's label column.
fn short(label: &str, max: usize) -> String {
    if label.chars().count() <= max {
        label.to_string()
    } else {
        let mut s: String = label.chars().take(max - 1).collect();
        s.push('…');
        s
    }
}

/// Each agent's occupancy in each interval of `lengths` seconds, in the
/// pool it works in (see [`occupancy`]); `None` for an agent never online.
fn occupancy_cells(agents: &[AgentRow], w: &WorkStats, lengths: &[f64]) -> Vec<Vec<Option<f64>>> {
    agents
        .iter()
        .enumerate()
        .map(|(a, row)| {
            let scale = |p: usize| {
                row.occupancy[p].map(|occ| {
                    if w.busy_window[a][p] > 0.0 {
                        occ * row.time_online_s / w.busy_window[a][p]
                    } else {
                        0.0
                    }
                })
            };
            let (primary, interruptible) = (scale(0), scale(1));
            (0..lengths.len())
                .map(|i| {
                    let cell =
                        |k: Option<f64>, p: usize| k.map(|k| k * w.busy[a][p][i] / lengths[i]);
                    match (cell(primary, 0), cell(interruptible, 1)) {
                        (Some(x), Some(y)) => Some(x.max(y)),
                        (x, y) => x.or(y),
                    }
                })
                .collect()
        })
        .collect()
}

/// Agent occupancy per interval as a heat map, each agent in the pool it
/// works in.
///
/// `agents.csv` has per-agent totals only, so the time course comes from
/// `work.csv`: the time each agent held accepted items (accept → close)
/// in each interval, kept per capacity pool (primary, interruptible; each
/// queue's pool is in `summary.json`). Turning held items into occupancy
/// needs each item's capacity cost and the agent's capacity, which are in
/// the scenario, not in the results; instead each agent's figures in each
/// pool are scaled so that over the whole measured period they give the
/// agent's occupancy of that pool in `agents.csv`. A cell shows the busier
/// of the agent's two pools: a back office working only interruptible
/// email is drawn as busy as its email keeps it, not idle.
pub(crate) fn occupancy(
    s: &RunSummary,
    t: &IntervalTable,
    agents: &[AgentRow],
    w: &WorkStats,
) -> Result<Figure, ReportError> {
    let lengths: Vec<f64> = t.intervals.iter().map(|i| i.end_s - i.start_s).collect();
    let per_agent = occupancy_cells(agents, w, &lengths);

    // Too many rows or columns: average neighbours.
    let row_step = agents.len().div_ceil(MAX_HEAT_ROWS).max(1);
    let col_step = t.intervals.len().div_ceil(MAX_HEAT_COLUMNS).max(1);
    let columns: Vec<(f64, f64)> = t
        .intervals
        .chunks(col_step)
        .map(|c| (s.clock_h(c[0].start_s), s.clock_h(c[c.len() - 1].end_s)))
        .collect();
    let mut labels = Vec::new();
    let mut values = Vec::new();
    for (k, chunk) in per_agent.chunks(row_step).enumerate() {
        let first = k * row_step;
        let last = first + chunk.len() - 1;
        let group = &agents[first].group;
        let same_group = agents[first..=last].iter().all(|r| &r.group == group);
        labels.push(match (row_step, same_group) {
            (1, _) => format!("{} #{first}", short(group, 11)),
            (_, true) => format!("{} {first}–{last}", short(group, 7)),
            (_, false) => format!("agents {first}–{last}"),
        });
        let row: Vec<Option<f64>> = (0..t.intervals.len())
            .step_by(col_step)
            .map(|c0| {
                let cols = c0..(c0 + col_step).min(t.intervals.len());
                let lengths = &lengths;
                mean_defined(
                    chunk
                        .iter()
                        .flat_map(|r| cols.clone().map(move |c| (r[c], lengths[c]))),
                )
            })
            .collect();
        values.push(row);
    }
    let x_desc = s.time_axis();
    let spec = HeatSpec {
        title: "Agent occupancy per interval",
        x_desc: &x_desc,
        y_desc: if row_step == 1 {
            "agent (group #number)"
        } else {
            "agents (averaged in blocks)"
        },
        scale_desc: "occupancy (fraction of capacity)",
        width: FULL,
        row_labels: &labels,
        columns: &columns,
    };
    let blocks = match (row_step, col_step) {
        (1, 1) => String::new(),
        _ => format!(
            " To keep the chart readable, each row averages {row_step} agent(s) and each \
             column {col_step} interval(s)."
        ),
    };
    Ok(Figure {
        id: "occupancy".into(),
        svg: heat_map(&spec, &values)?,
        legend: vec![],
        caption: escape(&format!(
            "Approximation computed from work.csv: the time each agent held accepted items \
             (accept → close, wrap-up included) in each interval, averaged over the {} \
             replications and scaled per agent and capacity pool so that over the whole \
             measured period it equals the agent's occupancy of that pool in agents.csv \
             (occupancy, interruptible_occupancy; the result files do not carry capacity \
             weights). Each cell shows the pool the agent works in: the busier of its two \
             when it holds both primary and interruptible work. Capacity held by pushes not yet accepted is therefore \
             spread over the agent's accepted work rather than placed when it happened, \
             and time offline counts as idle. Grey: the agent was never online. Colours \
             saturate at 1.{blocks}",
            s.replications
        )),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queue_bins_are_round_and_bounded() {
        assert_eq!(queue_bin_width(28_800.0), 300.0);
        assert_eq!(queue_bin_width(720_000.0), 7200.0);
        assert_eq!(queue_bin_width(600.0), 60.0);
        let long = 86400.0 * 1000.0;
        assert!(long / queue_bin_width(long) <= MAX_QUEUE_BINS);
    }

    #[test]
    fn an_agent_is_drawn_as_busy_as_the_pool_it_works_in() {
        // Two intervals of 100 s. Agent 0 takes chats only (primary, 50%
        // over the window); agent 1 works interruptible email only (its
        // primary occupancy is 0, its interruptible 80%); agent 2 both;
        // agent 3 was never online.
        let row = |occupancy: [Option<f64>; 2]| AgentRow {
            group: "g".into(),
            time_online_s: 200.0,
            occupancy,
        };
        let agents = [
            row([Some(0.5), None]),
            row([Some(0.0), Some(0.8)]),
            row([Some(0.25), Some(0.5)]),
            AgentRow {
                time_online_s: 0.0,
                ..row([None, None])
            },
        ];
        let w = WorkStats {
            queue_len: vec![],
            abandon_time_known: true,
            waits: vec![],
            busy: vec![
                [vec![100.0, 0.0], vec![0.0, 0.0]],
                [vec![0.0, 0.0], vec![40.0, 120.0]],
                [vec![50.0, 0.0], vec![0.0, 100.0]],
                [vec![0.0, 0.0], vec![0.0, 0.0]],
            ],
            busy_window: vec![[100.0, 0.0], [0.0, 160.0], [50.0, 100.0], [0.0, 0.0]],
            rows: 0,
        };
        let cells = occupancy_cells(&agents, &w, &[100.0, 100.0]);
        assert_eq!(cells[0], [Some(1.0), Some(0.0)]);
        // Drawn from its email, not idle.
        assert_eq!(cells[1], [Some(0.4), Some(1.2)]);
        assert_eq!(cells[2], [Some(0.5), Some(1.0)]);
        assert_eq!(cells[3], [None, None]);
    }

    #[test]
    fn labels_are_shortened() {
        assert_eq!(short("Support", 11), "Support");
        assert_eq!(short("Very long group name", 8), "Very lo…");
    }
}
