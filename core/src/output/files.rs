//! `intervals.csv` and `agents.csv`.

use super::{AtomicFile, MetricEstimates, OutputError, ResultSet};
use crate::stats::{
    estimate, estimate_defined, interval_metrics, AgentMetrics, Estimate, ALL_QUEUES, QUEUE_METRICS,
};
use crate::time::{SimTime, MICROS_PER_SEC};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

/// Columns of `intervals.csv` before the metrics, in order: the clock
/// times `start` and `end` sit beside the seconds they restate because
/// that is where a reader looks for the time.
const INTERVAL_KEYS: [&str; 6] = ["interval", "start_s", "end_s", "start", "end", "queue"];

/// Columns of `intervals.csv`, in order: the keys, then every metric in
/// [`interval_metrics`] order (columns added later go at the end, so a
/// reader that counts positions keeps working), each followed by its 95%
/// interval where [`MetricDef::interval_ci`](crate::stats::MetricDef::interval_ci) says so.
pub(crate) fn intervals_header() -> Vec<String> {
    let mut header: Vec<String> = INTERVAL_KEYS.iter().map(|k| k.to_string()).collect();
    for d in interval_metrics() {
        header.push(d.name.to_string());
        if d.interval_ci {
            header.push(format!("{}_ci95_low", d.name));
            header.push(format!("{}_ci95_high", d.name));
        }
    }
    header
}

/// Columns of `agents.csv`, in order. Columns added later go at the end.
pub(crate) const AGENTS_HEADER: [&str; 13] = [
    "agent",
    "group",
    "time_online_s",
    "items_handled",
    "occupancy",
    "declines",
    "push_timeouts",
    "interruptible_occupancy",
    "overtime_s",
    "break_s",
    "absent",
    "name",
    "interrupted_s",
];

/// Six fixed decimals, empty for undefined. A fixed format (rather than
/// shortest round-trip) keeps columns aligned for eyes and diffs; `-0`
/// is folded into `0` so a rounding sign never shows as a difference.
pub fn f6(x: Option<f64>) -> String {
    match x {
        Some(v) if v.is_finite() => {
            let s = format!("{v:.6}");
            if s == "-0.000000" {
                "0.000000".into()
            } else {
                s
            }
        }
        _ => String::new(),
    }
}

/// An instant as seconds with six decimals, by integer arithmetic.
pub(crate) fn secs6(t: SimTime) -> String {
    format!("{}.{:06}", t.0 / MICROS_PER_SEC, t.0 % MICROS_PER_SEC)
}

fn csv_writer(file: AtomicFile) -> csv::Writer<AtomicFile> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(file)
}

/// Writes rows through a csv writer into `dir/name`, atomically.
/// Writes a CSV file atomically; given up as soon as `stop` is set
/// (checked before each row: a day of 100 ms intervals has millions), the
/// unfinished file removed.
fn write_csv(
    dir: &Path,
    name: &str,
    header: &[impl AsRef<[u8]>],
    rows: impl Iterator<Item = Vec<String>>,
    stop: &AtomicBool,
) -> Result<PathBuf, OutputError> {
    let path = dir.join(name);
    let err = |e: std::io::Error| OutputError::Io {
        path: path.clone(),
        source: e,
    };
    let mut w = csv_writer(AtomicFile::create(dir, name).map_err(err)?);
    w.write_record(header).map_err(|e| err(e.into()))?;
    for row in rows {
        if stop.load(Ordering::Relaxed) {
            return Err(OutputError::Interrupted);
        }
        w.write_record(&row).map_err(|e| err(e.into()))?;
    }
    let file = w.into_inner().map_err(|e| err(e.into_error()))?;
    file.commit().map_err(err)
}

fn mean(e: Option<Estimate>) -> Option<f64> {
    e.map(|e| e.mean)
}

/// The metric columns of one `intervals.csv` row, in [`intervals_header`]
/// order.
fn metric_cells(m: &MetricEstimates) -> Vec<String> {
    let mut cells = Vec::with_capacity(3 * QUEUE_METRICS.len());
    for d in interval_metrics() {
        let e = m[d.metric];
        cells.push(f6(mean(e)));
        if d.interval_ci {
            cells.push(f6(e.map(|e| e.ci95_low)));
            cells.push(f6(e.map(|e| e.ci95_high)));
        }
    }
    cells
}

/// `intervals.csv`: per interval, one row per queue (scenario order) then
/// an `ALL` row; every figure the mean over replications.
pub(crate) fn write_intervals(
    rs: &ResultSet,
    dir: &Path,
    stop: &AtomicBool,
) -> Result<PathBuf, OutputError> {
    let queues = rs.queue_names.len();
    let rows = (0..rs.window.intervals()).flat_map(move |i| {
        let (start, end) = rs.interval_bounds(i);
        (0..=queues).map(move |q| {
            let name = rs.queue_names.get(q).map_or(ALL_QUEUES, String::as_str);
            let per_rep = rs.replications.iter().filter_map(|r| {
                let iv = r.intervals.get(i)?;
                if q < queues {
                    iv.queues.get(q)
                } else {
                    Some(&iv.overall)
                }
            });
            let m = MetricEstimates::from_replications(per_rep);
            let mut row = vec![
                i.to_string(),
                secs6(start),
                secs6(end),
                rs.clock.label(start),
                rs.clock.label(end),
                name.to_string(),
            ];
            row.extend(metric_cells(&m));
            row
        })
    });
    write_csv(dir, "intervals.csv", &intervals_header(), rows, stop)
}

/// `absent`: `true` or `false` when every replication agrees (always so
/// with one replication), else the share of replications the agent was
/// absent in, like the other columns' means.
fn absent_cell(per_rep: impl Iterator<Item = bool>) -> String {
    let (mut absent, mut n) = (0u32, 0u32);
    for a in per_rep {
        n += 1;
        absent += a as u32;
    }
    match absent {
        0 => "false".into(),
        a if a == n => "true".into(),
        a => f6(Some(a as f64 / n as f64)),
    }
}

/// `agents.csv`: one row per agent in `AgentId` order, means over
/// replications.
pub(crate) fn write_agents(
    rs: &ResultSet,
    dir: &Path,
    stop: &AtomicBool,
) -> Result<PathBuf, OutputError> {
    let rows = rs.agent_groups.iter().enumerate().map(|(a, group)| {
        let per_rep: Vec<_> = rs
            .replications
            .iter()
            .filter_map(|r| r.agents.get(a))
            .collect();
        let col = |f: fn(&AgentMetrics) -> f64| {
            f6(mean(estimate(
                &per_rep.iter().map(|m| f(m)).collect::<Vec<_>>(),
            )))
        };
        let occupancy: Vec<Option<f64>> = per_rep.iter().map(|m| m.occupancy).collect();
        let interruptible: Vec<Option<f64>> =
            per_rep.iter().map(|m| m.interruptible_occupancy).collect();
        vec![
            a.to_string(),
            group.clone(),
            col(|m| m.time_online_s),
            col(|m| m.items_handled as f64),
            f6(mean(estimate_defined(&occupancy))),
            col(|m| m.declines as f64),
            col(|m| m.push_timeouts as f64),
            f6(mean(estimate_defined(&interruptible))),
            col(|m| m.overtime_s),
            col(|m| m.break_s),
            absent_cell(per_rep.iter().map(|m| m.absent)),
            rs.agent_names.get(a).cloned().unwrap_or_default(),
            col(|m| m.interrupted_s),
        ]
    });
    write_csv(dir, "agents.csv", &AGENTS_HEADER, rows, stop)
}
