//! `report.html`: one self-contained page of tables and charts from a
//! results folder.
//!
//! [`write_report`] reads the files `omnisim run` wrote into a folder
//! (`summary.json`, `intervals.csv`, `agents.csv`, `work.csv`) and writes
//! `report.html` next to them, atomically ([`AtomicFile`](crate::output::AtomicFile)). The page needs
//! nothing else to be viewed: CSS is inline, charts are inline SVG drawn
//! with plotters, there is no script and no network reference. It shows
//!
//! - the run: scenario name, seed, replications, measured period,
//!   service-level threshold;
//! - the summary per queue and overall with 95% confidence intervals;
//! - per interval and queue: service level, ASA, offered / answered /
//!   abandoned, declines and push timeouts (from `intervals.csv`);
//! - queue length over time and the distribution of waits (streamed from
//!   `work.csv`, which may be large: memory does not grow with it);
//! - agent occupancy per interval as a heat map (approximated from
//!   `work.csv`, see the chart's caption);
//! - the scenario: the copy in the folder (`scenario.toml`) if there is
//!   one, otherwise the settings recorded in `summary.json`.
//!
//! The same folder always gives the same bytes: inputs are read in file
//! order, sums are taken in that order, and nothing depends on the clock,
//! the locale or the folder's path. `docs/report.md` describes every chart.
//!
//! ```no_run
//! let path = omnisim::report::write_report("results/quickstart".as_ref())?;
//! assert!(path.ends_with("report.html"));
//! # Ok::<(), omnisim::report::ReportError>(())
//! ```

pub(crate) mod charts;
mod data;
pub(crate) mod figures;
pub(crate) mod html;
mod waits;
mod work;

use crate::output::write_atomically;
use std::io;
use std::path::{Path, PathBuf};

/// Name of the report written into the results folder.
pub const REPORT_FILE: &str = "report.html";

/// Name of the scenario copy the report shows when a results folder holds
/// one (`omnisim run` does not write it yet).
pub const SCENARIO_COPY: &str = "scenario.toml";

/// Largest scenario copy shown in full; a scenario file is a few
/// kilobytes, so anything bigger is not one worth embedding whole.
const MAX_SCENARIO_BYTES: usize = 256 * 1024;

/// Why a report could not be made. Every message names the file concerned
/// and, for a bad value, its line and column.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReportError {
    /// The results folder does not exist or is not a folder.
    #[error(
        "results folder `{}` does not exist; run `omnisim run SCENARIO --out {}` first",
        dir.display(),
        dir.display()
    )]
    NoFolder {
        /// The folder given.
        dir: PathBuf,
    },
    /// The folder has no `summary.json`: not a results folder, or the run
    /// did not finish.
    #[error(
        "`{}` has no summary.json, so it is not a results folder (or its run did not \
         finish); run `omnisim run SCENARIO --out {}` first",
        dir.display(),
        dir.display()
    )]
    NoSummary {
        /// The folder given.
        dir: PathBuf,
    },
    /// Another result file is missing.
    #[error(
        "`{}` is missing; the results folder is incomplete: run `omnisim run SCENARIO \
         --out FOLDER` again",
        path.display()
    )]
    MissingFile {
        /// The missing file.
        path: PathBuf,
    },
    /// A file exists but cannot be read.
    #[error("cannot read `{}`: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: io::Error,
    },
    /// `summary.json` is not valid JSON of the expected shape.
    #[error("`{}` is not a valid summary.json: {source}", path.display())]
    Summary {
        /// The file.
        path: PathBuf,
        /// What serde_json found wrong, with line and column.
        #[source]
        source: serde_json::Error,
    },
    /// A value or row of a result file is wrong.
    #[error(
        "`{}`{}: {message}",
        path.display(),
        line.map(|l| format!(" line {l}")).unwrap_or_default()
    )]
    Data {
        /// The file.
        path: PathBuf,
        /// Its line (1 is a CSV header), when known.
        line: Option<u64>,
        /// What is wrong.
        message: String,
    },
    /// plotters could not draw a chart (a bug rather than bad input).
    #[error("cannot draw the chart `{chart}`: {message}")]
    Chart {
        /// The chart's title.
        chart: String,
        /// plotters' message.
        message: String,
    },
    /// `report.html` could not be written.
    #[error("cannot write `{}`: {source}", path.display())]
    Write {
        /// The report file.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: io::Error,
    },
}

impl ReportError {
    /// Whether the error is about the input (a missing or malformed
    /// results folder: the user's to fix) rather than a failure while
    /// reading or writing; the command line maps it to exit code 1.
    pub fn is_input_error(&self) -> bool {
        matches!(
            self,
            ReportError::NoFolder { .. }
                | ReportError::NoSummary { .. }
                | ReportError::MissingFile { .. }
                | ReportError::Summary { .. }
                | ReportError::Data { .. }
        )
    }
}

/// Renders the report of the results folder `results_dir` as an HTML
/// document, without writing anything.
pub fn render_report(results_dir: &Path) -> Result<String, ReportError> {
    if !results_dir.is_dir() {
        return Err(ReportError::NoFolder {
            dir: results_dir.to_path_buf(),
        });
    }
    let summary_path = results_dir.join("summary.json");
    if !summary_path.exists() {
        return Err(ReportError::NoSummary {
            dir: results_dir.to_path_buf(),
        });
    }
    let summary = data::read_summary(&summary_path)?;
    let queues = summary.queue_names();
    let intervals = data::read_intervals(&results_dir.join("intervals.csv"), &queues)?;
    let agents = data::read_agents(&results_dir.join("agents.csv"))?;
    let bin_s = figures::queue_bin_width(summary.duration_s);
    let pools: Vec<usize> = summary.queues.iter().map(|(_, m)| m.pool.index()).collect();
    let layout = work::WorkLayout {
        queues: &queues,
        queue_pools: &pools,
        agents: agents.len(),
        replications: summary.replications,
        window: (summary.warmup_s, summary.end_s()),
        bin_s,
        intervals: &intervals.intervals,
    };
    let work = work::read_work(&results_dir.join("work.csv"), &layout)?;
    let scenario_file = read_scenario_copy(results_dir)?;

    let mut groups: Vec<(String, usize)> = Vec::new();
    for a in &agents {
        match groups.iter_mut().find(|g| g.0 == a.group) {
            Some(g) => g.1 += 1,
            None => groups.push((a.group.clone(), 1)),
        }
    }
    let s = &summary;
    let sections = vec![
        html::Section {
            id: "service",
            heading: "Service per interval",
            grid: "grid2",
            figures: figures::service(s, &intervals)?,
        },
        html::Section {
            id: "volume",
            heading: "Volume per interval",
            grid: "grid3",
            figures: figures::volume(s, &intervals)?,
        },
        html::Section {
            id: "queue",
            heading: "Queue length",
            grid: "",
            figures: vec![figures::queue_length(s, &work, bin_s)?],
        },
        html::Section {
            id: "waits",
            heading: "Waits",
            grid: "",
            figures: waits::waits(s, &work)?,
        },
        html::Section {
            id: "occupancy",
            heading: "Agent occupancy",
            grid: "",
            figures: vec![figures::occupancy(s, &intervals, &agents, &work)?],
        },
        html::Section {
            id: "declines",
            heading: "Declines and push timeouts",
            grid: "grid2",
            figures: figures::declines(s, &intervals)?,
        },
    ];
    Ok(html::page(&html::Page {
        summary: s,
        groups,
        work_rows: work.rows,
        sections,
        scenario_file,
    }))
}

/// The scenario copy, if the folder holds one: its name and text (lossy
/// UTF-8, so an odd byte does not cost the whole report).
fn read_scenario_copy(dir: &Path) -> Result<Option<(String, String)>, ReportError> {
    let path = dir.join(SCENARIO_COPY);
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(ReportError::Read { path, source: e }),
    };
    let mut text =
        String::from_utf8_lossy(&bytes[..bytes.len().min(MAX_SCENARIO_BYTES)]).into_owned();
    if bytes.len() > MAX_SCENARIO_BYTES {
        text.push_str("\n… (truncated: the file is larger than 256 KiB)\n");
    }
    Ok(Some((SCENARIO_COPY.to_string(), text)))
}

/// Renders the report of `results_dir` and writes it there as
/// [`REPORT_FILE`], atomically: a reader sees the previous report or the
/// complete new one. Returns the report's path.
pub fn write_report(results_dir: &Path) -> Result<PathBuf, ReportError> {
    let text = render_report(results_dir)?;
    let path = results_dir.join(REPORT_FILE);
    let err = |source| ReportError::Write {
        path: path.clone(),
        source,
    };
    write_atomically(results_dir, REPORT_FILE, text.as_bytes()).map_err(err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_the_report_writes_is_a_known_result_file() {
        for name in [REPORT_FILE, SCENARIO_COPY] {
            assert!(crate::output::RESULT_FILES.contains(&name), "{name}");
        }
    }
}
