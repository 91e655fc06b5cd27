//! `omnisim replay`: the calibrated model run on the real day, beside
//! the real day.
//!
//! ```text
//!  export ─► calibrate ─► scenario (or --scenario FILE), --set edits
//!    │                        │ real arrival instants (and handle times)
//!    │                        ▼ real presence: the roster of the spells
//!    │                    replications ─► simulated figures per interval
//!    └─► actual figures per interval ───┴─► replay.csv, replay.json, replay.html
//! ```
//!
//! The items arrive when they arrived that day, in their queues; the
//! agents work the shifts and breaks their presence spells show; what the
//! model draws is everything else (handle times unless the real ones are
//! asked for, patience, answers, declines). The comparison is in
//! [`compare`]; the what-ifs in [`set`].

pub mod actual;
pub mod compare;
mod html;
pub mod set;

pub use compare::{MetricSummary, Row};
pub use set::SetEdit;

use crate::calibrate::model::items::Items;
use crate::calibrate::{calibrate, write_files, CalibrateError, CalibrateOptions, Calibration};
use crate::engine::{run_replication, RunOptions};
use crate::events::EventSink;
use crate::runner::{RunError, Runner};
use crate::salesforce::{DayPlacement, SalesforceExport, EXPORT_FOLDER};
use crate::scenario::{RecordedArrivals, Scenario};
use crate::stats::{MetricsCollector, ReplicationResult};
use crate::time::SimDuration;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

/// How to replay.
#[derive(Clone, Debug)]
pub struct ReplayOptions {
    /// The scenario to replay; `None` = calibrate one from the export
    /// (its files are written beside the replay's).
    pub scenario: Option<PathBuf>,
    /// What-if edits.
    pub edits: Vec<SetEdit>,
    /// Replications; `None` = the scenario's (at least 2).
    pub replications: Option<u32>,
    /// Threads.
    pub jobs: usize,
    /// Replay each item's real handle time too.
    pub real_handle_times: bool,
    /// Also write the first replication as a Salesforce export.
    pub salesforce: bool,
    /// Calibration settings (time zone, interval, name).
    pub calibrate: CalibrateOptions,
}

/// Why a replay could not be done.
#[derive(Debug)]
pub enum ReplayError {
    /// The export could not be calibrated, or its files written.
    Calibrate(CalibrateError),
    /// The scenario (or an edit) is not one that loads: an input mistake.
    Scenario(String),
    /// A replication did not end: it stalled, panicked or was stopped
    /// by a signal.
    Run(RunError),
    /// A file could not be written.
    Io(String),
}

impl fmt::Display for ReplayError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReplayError::Calibrate(e) => e.fmt(f),
            ReplayError::Scenario(m) | ReplayError::Io(m) => f.write_str(m),
            ReplayError::Run(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for ReplayError {}

/// A replay, done.
#[derive(Debug)]
pub struct Replay {
    /// The export's calibration (its day and items).
    pub calibration: Calibration,
    /// The scenario replayed, with the recorded arrivals.
    pub scenario: Arc<Scenario>,
    /// The scenario file it came from (for a calibrated one, its name in
    /// the output folder).
    pub scenario_file: PathBuf,
    /// The edits applied.
    pub edits: Vec<SetEdit>,
    /// Whether real handle times were replayed.
    pub real_handle_times: bool,
    /// Replications run.
    pub replications: u32,
    /// One row per interval, queue and metric.
    pub rows: Vec<Row>,
    /// Per metric over the day.
    pub summary: Vec<MetricSummary>,
    /// What the replay could not take from the export.
    pub notes: Vec<String>,
    /// Files written so far (the calibration's, the first replication's
    /// export).
    pub files: Vec<PathBuf>,
}

/// Replays the export in `export_dir`, writing any file into `dir` (the
/// output folder being staged).
pub fn replay(
    export_dir: &Path,
    dir: &Path,
    options: &ReplayOptions,
    stop: &Arc<AtomicBool>,
) -> Result<Replay, ReplayError> {
    let c = calibrate(export_dir, options.calibrate.clone())
        .map_err(|e| ReplayError::Calibrate(e.into()))?;
    let mut files = Vec::new();
    let (scenario_path, scenario_file) = match &options.scenario {
        Some(p) => (p.clone(), p.clone()),
        None => {
            let (written, _) = write_files(&c, dir).map_err(ReplayError::Calibrate)?;
            files.extend(written);
            let name = crate::calibrate::CALIBRATION_FILES[0];
            (dir.join(name), PathBuf::from(name))
        }
    };
    let text =
        Scenario::read_text(&scenario_path).map_err(|e| ReplayError::Scenario(e.to_string()))?;
    let mut scenario = set::load_with_edits(&text, &scenario_path, &options.edits)
        .map_err(ReplayError::Scenario)?;
    let date = scenario
        .simulation
        .start_date
        .unwrap_or_else(|| c.day.local(c.day.start).date());
    let place = DayPlacement::new(date, options.calibrate.zone, &scenario.simulation.clock())
        .map_err(|e| ReplayError::Scenario(format!("{}: {e}", scenario_file.display())))?;
    let start = place.start_utc();
    let warmup = scenario.simulation.warmup;
    let run_length = scenario.run_length();

    // The real arrivals of each queue, by name.
    let items = Items::of(&c.export).items;
    let mut notes = Vec::new();
    let name_of = |id| {
        c.queues
            .iter()
            .find(|q| &q.id == id)
            .map(|q| q.name.clone())
    };
    let mut outside = 0;
    for a in &mut scenario.arrivals {
        let name = scenario.queues[a.queue.index()].name.clone();
        let mut recorded = Vec::new();
        for it in items
            .iter()
            .filter(|it| name_of(&it.queue).as_deref() == Some(name.as_str()))
        {
            let from_start = (it.requested - start)
                .num_microseconds()
                .unwrap_or(i64::MAX);
            let at = warmup.0 as i64 + from_start;
            if at < 0 || at as u64 >= run_length.0 {
                outside += 1;
                continue;
            }
            let handle = if options.real_handle_times {
                it.handle_s.map(SimDuration::from_secs_f64)
            } else {
                None
            };
            recorded.push((SimDuration(at as u64), handle));
        }
        recorded.sort_by_key(|r| r.0);
        a.recorded = Some(RecordedArrivals { items: recorded });
    }
    if outside > 0 {
        notes.push(format!(
            "{outside} items arrived outside the scenario's day and are not replayed"
        ));
    }
    let replayed: Vec<&str> = scenario
        .arrivals
        .iter()
        .map(|a| scenario.queues[a.queue.index()].name.as_str())
        .collect();
    for q in &c.queues {
        if !replayed.contains(&q.name.as_str()) {
            notes.push(format!(
                "the export's queue {} has no arrivals entry in the scenario: its items are not \
                 replayed",
                q.name
            ));
        }
    }
    let scenario = Arc::new(scenario);

    // The replications.
    let n = options
        .replications
        .unwrap_or(scenario.simulation.replications)
        .max(2);
    let export_dir = dir.join(EXPORT_FOLDER);
    let mut export = if options.salesforce {
        Some(
            SalesforceExport::create(&export_dir, scenario.clone(), place).map_err(|e| {
                ReplayError::Io(format!("cannot write `{}`: {e}", export_dir.display()))
            })?,
        )
    } else {
        None
    };
    let results = run_all(&scenario, n, options.jobs, stop, export.as_mut())?;
    if let Some(x) = export {
        files.extend(x.into_files().map_err(|e| {
            ReplayError::Io(format!("cannot write `{}`: {e}", export_dir.display()))
        })?);
    }

    // The real day on the scenario's intervals.
    let sim = &scenario.simulation;
    let intervals = results.first().map_or(0, |r| r.intervals.len());
    let queues: Vec<(String, f64)> = scenario
        .queues
        .iter()
        .map(|q| (q.name.clone(), q.service_level_threshold.as_secs_f64()))
        .collect();
    let actual = actual::measure(
        &c,
        &items,
        start,
        sim.interval.as_secs_f64(),
        intervals,
        &queues,
    );
    let clock = sim.clock();
    let labels: Vec<String> = (0..intervals)
        .map(|i| clock.label(clock.instant(SimDuration(sim.interval.0 * i as u64))))
        .collect();
    let names: Vec<String> = queues.into_iter().map(|(n, _)| n).collect();
    let (rows, summary) = compare::compare(&actual, &results, &names, &labels);
    Ok(Replay {
        calibration: c,
        scenario,
        scenario_file,
        edits: options.edits.clone(),
        real_handle_times: options.real_handle_times,
        replications: n,
        rows,
        summary,
        notes,
        files,
    })
}

/// Runs `n` replications on up to `jobs` threads, replication 0 with
/// `export` attached when given; their results in replication order.
fn run_all(
    scenario: &Arc<Scenario>,
    n: u32,
    jobs: usize,
    stop: &Arc<AtomicBool>,
    export: Option<&mut SalesforceExport>,
) -> Result<Vec<ReplicationResult>, ReplayError> {
    // Replication 0 here, with the export if asked.
    let first = {
        let mut metrics = MetricsCollector::new(scenario);
        let mut sinks: Vec<&mut dyn EventSink> = vec![&mut metrics];
        if let Some(x) = export {
            sinks.push(x);
        }
        run_replication(
            scenario.clone(),
            &mut sinks,
            RunOptions {
                replication: 0,
                stop: Some(stop.clone()),
                ..Default::default()
            },
        )
        .check(scenario)
        .map_err(ReplayError::Run)?;
        metrics.into_result()
    };
    let rest: Vec<u32> = (1..n).collect();
    let mut results = Runner::new(jobs)
        .with_stop(stop.clone())
        .run(&rest, |&r, stop| {
            crate::sweep::simulate_pair(scenario, r, Some(stop.clone()))
        })
        .map_err(ReplayError::Run)?;
    results.insert(0, first);
    Ok(results)
}

/// Writes `replay.csv`, `replay.json` and `replay.html` into `dir`.
pub fn write_replay(r: &Replay, dir: &Path) -> Result<Vec<PathBuf>, ReplayError> {
    let json = serde_json::json!({
        "omnisim_version": env!("CARGO_PKG_VERSION"),
        "export": r.calibration.export.dir.display().to_string(),
        "scenario": r.scenario_file.display().to_string(),
        "set": r.edits.iter().map(|e| format!("{}={}", e.key, e.value)).collect::<Vec<_>>(),
        "real_handle_times": r.real_handle_times,
        "replications": r.replications,
        "day_range": "the range one simulated day falls in: the replications' mean ± t·sd·√(1 + 1/n), 95%",
        "summary": r.summary,
        "notes": r.notes,
    });
    let html = html::replay_html(r)
        .map_err(|e| ReplayError::Io(format!("cannot draw replay.html: {e}")))?;
    let texts = [
        ("replay.csv", compare::replay_csv(&r.rows)),
        (
            "replay.json",
            serde_json::to_string_pretty(&json).unwrap_or_default() + "\n",
        ),
        ("replay.html", html),
    ];
    let mut out = Vec::new();
    for (name, text) in texts {
        out.push(
            crate::output::write_atomically(dir, name, text.as_bytes()).map_err(|e| {
                ReplayError::Io(format!("cannot write `{}`: {e}", dir.join(name).display()))
            })?,
        );
    }
    Ok(out)
}
