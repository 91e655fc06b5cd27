//! The short table printed after a run.

use super::{MetricEstimates, ResultSet};
use crate::stats::{Estimate, ALL_QUEUES};
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

/// A terminal table of the main figures per queue and overall: offered,
/// answered, abandoned (means over replications), service level and ASA
/// with their 95% half-widths, p_wait and occupancy.
pub fn render_table(rs: &ResultSet) -> String {
    let s = rs.summary();
    let mut rows: Vec<(&str, &MetricEstimates)> =
        s.queues.iter().map(|(n, m)| (n.as_str(), m)).collect();
    rows.push((ALL_QUEUES, &s.overall));
    let width = rows
        .iter()
        .map(|(n, _)| n.chars().count())
        .max()
        .unwrap_or(0)
        .max(5);

    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}: {} replication{}, {} s measured after {} s warm-up, service level = answered within {} s",
        s.scenario,
        s.replications,
        if s.replications == 1 { "" } else { "s" },
        s.simulated_time_s,
        s.warmup_s,
        s.service_level_threshold_s,
    );
    let _ = writeln!(
        out,
        "{:<width$}  {:>10}  {:>10}  {:>10}  {:>15}  {:>15}  {:>7}  {:>9}",
        "queue",
        "offered",
        "answered",
        "abandoned",
        "service level",
        "ASA [s]",
        "p_wait",
        "occupancy",
    );
    for (name, m) in rows {
        let _ = writeln!(
            out,
            "{:<width$}  {:>10}  {:>10}  {:>10}  {:>15}  {:>15}  {:>7}  {:>9}",
            name,
            plain(m.offered, 1),
            plain(m.answered, 1),
            plain(m.abandoned, 1),
            with_ci(m.service_level, 3),
            with_ci(m.asa_s, 1),
            plain(m.p_wait, 3),
            plain(m.occupancy, 3),
        );
    }
    out
}
