//! What a load run prints and writes: a terminal table, `load.json`, and
//! one `.hgrm` file per histogram.

use super::{percentile_distribution, LoadRun, Percentiles, RampResult, NS_PER_US};
use crate::output::write_atomically;
use serde::Serialize;
use std::fmt::Write as _;
use std::io;
use std::path::{Path, PathBuf};

/// Name of the summary file.
pub const JSON_FILE: &str = "load.json";

/// `load.json`: one run, or a ramp and its best run.
#[derive(Debug, Serialize)]
pub struct LoadFile<'a> {
    /// Scenario name.
    pub scenario: &'a str,
    /// `fixed` (one pace) or `find_max` (a ramp).
    pub mode: &'static str,
    /// Unit of every latency figure and of the `.hgrm` files.
    pub unit: &'static str,
    /// The p99 bound runs were judged by \[µs\].
    pub p99_bound_us: f64,
    /// Stopped by Ctrl-C: the figures cover only what ran.
    pub interrupted: bool,
    /// The run whose histograms the `.hgrm` files hold: the one run, or
    /// the ramp's highest sustained step (its last step if none was).
    pub run: Option<&'a LoadRun>,
    /// The ramp's steps in the order run (empty for `fixed`).
    pub steps: &'a [LoadRun],
}

fn row(out: &mut String, name: &str, p: &Percentiles) {
    let _ = writeln!(
        out,
        "{name:<20} {:>10} {:>9.2} {:>9.2} {:>9.2} {:>9.2} {:>10.2}",
        p.count, p.p50_us, p.p90_us, p.p99_us, p.p99_9_us, p.max_us
    );
}

/// The terminal report of one run.
pub fn render_run(run: &LoadRun, bound_us: f64) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "pace       speed {:.1}x, target {:.0} items/s, window {:.2} s{}{}",
        run.speed,
        run.target_items_per_s,
        run.window_s,
        if run.threads > 1 {
            format!(", {} threads (one cell each)", run.threads)
        } else {
            String::new()
        },
        if run.interrupted {
            " (stopped early: partial figures)"
        } else {
            ""
        }
    );
    let _ = writeln!(
        out,
        "throughput achieved {:.0} items/s, {:.0} toolkit calls/s, {:.0} closed/s, {:.0} events/s",
        run.achieved_items_per_s, run.toolkit_calls_per_s, run.closed_per_s, run.events_per_s
    );
    let _ = writeln!(
        out,
        "{:<20} {:>10} {:>9} {:>9} {:>9} {:>9} {:>10}",
        "latency [µs]", "count", "p50", "p90", "p99", "p99.9", "max"
    );
    row(&mut out, "push → accept", &run.push_accept);
    row(&mut out, "toolkit round trip", &run.toolkit_rtt);
    row(&mut out, "routing decision", &run.routing_decision);
    row(&mut out, "schedule lag", &run.schedule_lag);
    let _ = writeln!(
        out,
        "schedule   {:.1}% kept, at most {:.3} ms behind; {} (p99 bound {:.0} µs, at least {:.0}% kept)",
        100.0 * run.schedule_kept,
        run.max_lag_ms,
        if run.sustained {
            "sustained"
        } else {
            "NOT sustained"
        },
        bound_us,
        100.0 * super::MIN_ACHIEVED
    );
    out
}

/// The ramp's last line: its highest sustained rate, or that none was.
pub fn ramp_verdict(r: &RampResult) -> String {
    match r.best_run() {
        Some(b) => format!(
            "highest sustained: {:.0} items/s ({:.0} toolkit calls/s) with p99 under {:.0} µs",
            b.target_items_per_s, b.toolkit_calls_per_s, r.bound_us
        ),
        None => "no rate tried was sustained".to_string(),
    }
}

/// The column titles of the ramp table.
pub fn ramp_header() -> String {
    format!(
        "{:>12} {:>12} {:>14} {:>11} {:>11} {:>7}  verdict",
        "target/s", "achieved/s", "toolkit calls/s", "p99 rtt µs", "p99 lag µs", "kept"
    )
}

/// One ramp step as a line of the ramp table.
pub fn ramp_line(s: &LoadRun) -> String {
    format!(
        "{:>12.0} {:>12.0} {:>14.0} {:>11.1} {:>11.1} {:>6.1}%  {}",
        s.target_items_per_s,
        s.achieved_items_per_s,
        s.toolkit_calls_per_s,
        s.toolkit_rtt.p99_us,
        s.schedule_lag.p99_us,
        100.0 * s.schedule_kept,
        if s.sustained { "ok" } else { "too slow" }
    )
}

/// Writes `load.json` and, when `file.run` is set, its four histograms as
/// `<name>.hgrm` (microseconds), each atomically. Returns the paths.
pub fn write_files(dir: &Path, file: &LoadFile<'_>) -> io::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)?;
    let mut written = Vec::new();
    let mut put = |name: &str, bytes: &[u8]| -> io::Result<()> {
        written.push(write_atomically(dir, name, bytes)?);
        Ok(())
    };
    let json = serde_json::to_string_pretty(file).expect("the load report is plain data");
    put(JSON_FILE, format!("{json}\n").as_bytes())?;
    if let Some(run) = file.run {
        for (name, h) in run.histograms.named() {
            put(
                &format!("{name}.hgrm"),
                percentile_distribution(h, NS_PER_US).as_bytes(),
            )?;
        }
    }
    Ok(written)
}
