//! The short table printed after a run.

use super::{MetricEstimates, ResultSet, Summary};
use crate::stats::{Estimate, Metric, ALL_QUEUES};
use std::fmt::Write as _;

/// A mean with its 95% half-width (`0.731 ±0.012`), or `-` if undefined.
fn with_ci(e: Option<Estimate>, decimals: usize) -> String {
    match e {
        Some(e) => format!("{:.*} ±{:.*}", decimals, e.mean, decimals, e.half_width()),
        None => "-".into(),
    }
}

fn plain(e: Option<Estimate>, decimals: usize) -> String {
    e.map_or_else(|| "-".into(), |e| format!("{:.*}", decimals, e.mean))
}

/// What the service level is measured against: `20 s` when every queue
/// shares one threshold, otherwise each queue's own, listed (`ALL` then
/// mixes them, so no single value may be printed for it).
fn threshold_phrase(s: &Summary) -> String {
    match s.overall.service_level_threshold_s {
        Some(t) => format!("{t} s"),
        None => {
            let each: Vec<String> = s
                .queues
                .iter()
                .map(|(n, q)| format!("{n} {} s", q.service_level_threshold_s))
                .collect();
            format!("each queue's own threshold ({})", each.join(", "))
        }
    }
}

/// A terminal table of the main figures per queue and overall: offered,
/// answered, abandoned (means over replications), service level and ASA
/// with their 95% half-widths, p_wait, occupancy (the queue's share of
/// the load) and the occupancy of the queue's own agents; the first line
/// says when the measured day runs, in clock time.
pub fn render_table(rs: &ResultSet) -> String {
    let s = rs.summary();
    let mut rows: Vec<(&str, &MetricEstimates)> = s
        .queues
        .iter()
        .map(|(n, q)| (n.as_str(), &q.metrics))
        .collect();
    rows.push((ALL_QUEUES, &s.overall.metrics));
    let width = rows
        .iter()
        .map(|(n, _)| n.chars().count())
        .max()
        .unwrap_or(0)
        .max(5);

    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}: {} replication{}, {} s measured {}–{} after {} s warm-up, service level = answered within {}",
        s.scenario,
        s.replications,
        if s.replications == 1 { "" } else { "s" },
        s.simulated_time_s,
        s.start,
        s.end,
        s.warmup_s,
        threshold_phrase(&s),
    );
    let _ = writeln!(
        out,
        "{:<width$}  {:>10}  {:>10}  {:>10}  {:>15}  {:>15}  {:>7}  {:>9}  {:>10}",
        "queue",
        "offered",
        "answered",
        "abandoned",
        "service level",
        "ASA [s]",
        "p_wait",
        "occupancy",
        "agents occ",
    );
    for (name, m) in rows {
        let _ = writeln!(
            out,
            "{:<width$}  {:>10}  {:>10}  {:>10}  {:>15}  {:>15}  {:>7}  {:>9}  {:>10}",
            name,
            plain(m[Metric::Offered], 1),
            plain(m[Metric::Answered], 1),
            plain(m[Metric::Abandoned], 1),
            with_ci(m[Metric::ServiceLevel], 3),
            with_ci(m[Metric::AsaS], 1),
            plain(m[Metric::PWait], 3),
            plain(m[Metric::Occupancy], 3),
            plain(m[Metric::AgentsOccupancy], 3),
        );
    }
    out
}
