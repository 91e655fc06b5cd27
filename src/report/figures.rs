//! From result data to figures: the series, bins and cells of each chart,
//! its SVG, legend and caption.

use super::charts::{
    css_colour, heat_map, line_chart, queue_colour, stacked_histogram, HeatSpec, HistogramSpec,
    LineSpec, Series, ALL_COLOUR,
};
use super::data::{AgentRow, IntervalCells, IntervalTable, RunSummary, ALL};
use super::html::{escape, fmt_duration};
use super::work::{WorkStats, WAIT_TICKS_PER_S};
use super::ReportError;
use crate::stats::Metric;
use std::collections::BTreeMap;

/// Design width of a full-width chart \[px\].
const FULL: u32 = 1060;
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
/// Target number of histogram bars.
const WAIT_BINS: u64 = 40;

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
    }
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

/// Histogram layout of waits: bar width in ticks and the number of bars.
/// The range covers the 99th percentile and the threshold with room to
/// spare; longer waits are counted apart rather than stretching the axis.
fn wait_layout(total: &BTreeMap<u64, u64>, threshold_s: f64) -> (u64, u64) {
    let n: u64 = total.values().sum();
    let mut seen = 0;
    let p99 = total
        .iter()
        .find(|(_, &c)| {
            seen += c;
            seen * 100 >= n * 99
        })
        .map_or(0, |(&k, _)| k + 1);
    let threshold = (threshold_s * 1.25 * WAIT_TICKS_PER_S).ceil() as u64;
    let hi = p99.max(threshold).max(WAIT_TICKS_PER_S as u64);
    let width = nice_ticks(hi.div_ceil(WAIT_BINS));
    (width, hi.div_ceil(width))
}

/// The smallest 1, 2 or 5 × 10^k that is at least `x` (at least 1).
fn nice_ticks(x: u64) -> u64 {
    let mut p = 1u64;
    loop {
        for m in [1, 2, 5] {
            if m * p >= x {
                return m * p;
            }
        }
        p = p.saturating_mul(10);
    }
}

/// The distribution of waits of answered items, stacked by queue.
pub(crate) fn waits(s: &RunSummary, w: &WorkStats) -> Result<Figure, ReportError> {
    let mut total = BTreeMap::new();
    for map in &w.waits {
        for (&k, &c) in map {
            *total.entry(k).or_insert(0u64) += c;
        }
    }
    let thresholds = s.queue_thresholds_s();
    let longest = thresholds.iter().copied().fold(0.0, f64::max);
    let (width, bins) = wait_layout(&total, longest);
    let reps = s.replications as f64;
    let mut overflow = 0u64;
    let counts: Vec<Vec<f64>> = w
        .waits
        .iter()
        .map(|map| {
            let mut c = vec![0u64; bins as usize];
            for (&k, &n) in map {
                match c.get_mut((k / width) as usize) {
                    Some(slot) => *slot += n,
                    None => overflow += n,
                }
            }
            c.into_iter().map(|n| n as f64 / reps).collect()
        })
        .collect();
    let width_s = width as f64 / WAIT_TICKS_PER_S;
    let shown_to = bins as f64 * width_s;
    let (markers, in_time) = threshold_markers(s);
    let spec = HistogramSpec {
        title: "Distribution of waits (arrival → accept)",
        x_desc: "wait [s]",
        y_desc: "answered items per replication",
        size: (FULL, 360),
        width: width_s,
        markers,
    };
    let colours: Vec<_> = (0..counts.len()).map(queue_colour).collect();
    let beyond = if overflow > 0 {
        format!(
            " {:.1} items per replication waited longer than {} and are not shown.",
            overflow as f64 / reps,
            super::charts::tick(shown_to, 1) + " s"
        )
    } else {
        String::new()
    };
    Ok(Figure {
        id: "waits".into(),
        svg: stacked_histogram(&spec, &colours, &counts)?,
        legend: queue_legend(&s.queue_names(), false),
        caption: escape(&format!(
            "From work.csv: measured items that were answered, by time from arrival to \
             acceptance (which includes the agent's response time), in bars of {} s, \
             stacked by queue, per replication. {in_time}{beyond}",
            super::charts::tick(width_s, 1)
        )),
    })
}

/// The threshold lines of the wait histogram and the caption's sentence
/// about them: one line when queues share a threshold, otherwise one per
/// distinct threshold naming its queues (in scenario order), since a single
/// line would misstate what "in time" means for the other queues.
fn threshold_markers(s: &RunSummary) -> (Vec<(f64, String)>, &'static str) {
    if let Some(t) = s.common_threshold_s() {
        return (
            vec![(t, format!("SL threshold {}", fmt_duration(t)))],
            "Bars left of the red line are within the service-level threshold.",
        );
    }
    let mut groups: Vec<(f64, Vec<&str>)> = Vec::new();
    for ((name, _), t) in s.queues.iter().zip(s.queue_thresholds_s()) {
        match groups.iter_mut().find(|g| g.0 == t) {
            Some(g) => g.1.push(name),
            None => groups.push((t, vec![name])),
        }
    }
    let markers = groups
        .into_iter()
        .map(|(t, names)| {
            let label = format!("SL threshold {} ({})", fmt_duration(t), names.join(", "));
            (t, label)
        })
        .collect();
    (
        markers,
        "The red lines are the queues' own service-level thresholds: a queue's items \
         are in time left of its own line.",
    )
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

/// Agent occupancy per interval as a heat map.
///
/// `agents.csv` has per-agent totals only, so the time course comes from
/// `work.csv`: the time each agent held accepted items (accept → close)
/// in each interval. Turning held items into occupancy needs each item's
/// capacity cost and the agent's capacity, which are in the scenario,
/// not in the results; instead each agent's figures are scaled so that
/// over the whole measured period they give the agent's occupancy in
/// `agents.csv`. Within the period the shape is the held-items curve.
pub(crate) fn occupancy(
    s: &RunSummary,
    t: &IntervalTable,
    agents: &[AgentRow],
    w: &WorkStats,
) -> Result<Figure, ReportError> {
    let lengths: Vec<f64> = t.intervals.iter().map(|i| i.end_s - i.start_s).collect();
    let per_agent: Vec<Vec<Option<f64>>> = agents
        .iter()
        .enumerate()
        .map(|(a, row)| {
            let scale = row.occupancy.map(|occ| {
                if w.busy_window[a] > 0.0 {
                    occ * row.time_online_s / w.busy_window[a]
                } else {
                    0.0
                }
            });
            w.busy[a]
                .iter()
                .zip(&lengths)
                .map(|(&b, &len)| scale.map(|k| k * b / len))
                .collect()
        })
        .collect();

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
             replications and scaled per agent so that over the whole measured period it \
             equals the agent's occupancy in agents.csv (the result files do not carry \
             capacity weights). Capacity held by pushes not yet accepted is therefore \
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
    fn nice_ticks_round_up() {
        assert_eq!(nice_ticks(0), 1);
        assert_eq!(nice_ticks(3), 5);
        assert_eq!(nice_ticks(15), 20);
        assert_eq!(nice_ticks(100), 100);
        assert_eq!(nice_ticks(101), 200);
    }

    #[test]
    fn wait_layout_covers_threshold_and_p99() {
        // 100 waits of 1 s and one of 10 minutes; threshold 20 s.
        let total = BTreeMap::from([(10, 100), (6000, 1)]);
        let (width, bins) = wait_layout(&total, 20.0);
        // p99 is 1 s, so the range is 1.25 × 20 s = 250 ticks: bars of 10
        // ticks (1 s), 25 of them; the 10-minute wait is left out.
        assert_eq!((width, bins), (10, 25));
        // Only the long wait: p99 is 600.1 s, so bars of 20 s, 31 of them.
        let (width, bins) = wait_layout(&BTreeMap::from([(6000, 1)]), 20.0);
        assert_eq!((width, bins), (200, 31));
    }

    #[test]
    fn labels_are_shortened() {
        assert_eq!(short("Support", 11), "Support");
        assert_eq!(short("Very long group name", 8), "Very lo…");
    }
}
