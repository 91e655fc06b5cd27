//! Result files of a whole run (all replications).
//!
//! [`ResultSet`] gathers the [`ReplicationResult`]s of a run and writes, into
//! an output directory, each file atomically ([`atomic`]); a command writes
//! the whole set into a [`Staging`] folder and switches it in at the end, so
//! the set too is whole or absent ([`staging`]):
//!
//! | file | content | reproducible |
//! |---|---|---|
//! | `summary.json` | the day's clock times; every metric per queue and overall, mean and 95% CI; the targets, checked; the precision of a sequential run | byte for byte |
//! | `intervals.csv` | the metrics per reporting interval (in seconds and clock time) and queue | byte for byte |
//! | `agents.csv` | per agent: time online, items handled, occupancy, … | byte for byte |
//! | `work.csv` | one row per work item ([`concat_work_parts`]) | byte for byte |
//! | `engine.json` | wall time, events, events per second | no (wall clock) |
//!
//! Wall-clock figures live only in `engine.json` so that the same scenario
//! and seed give identical `summary.json` files on every machine (design
//! §2); `docs/results-format.md` documents every key and column.
//!
//! Determinism of the text itself: JSON objects are written from structs
//! (declaration order) and the queue map in scenario order; floats in JSON
//! use serde_json's shortest round-trip form, in CSV a fixed six decimals;
//! every mean is summed in replication order.
//!
//! # Wiring a run
//!
//! ```no_run
//! use omnisim_core::engine::{run_replication, RunOptions};
//! use omnisim_core::output::{concat_work_parts, render_table, work_part_path, ResultSet, Staging};
//! use omnisim_core::scenario::Scenario;
//! use omnisim_core::stats::{EngineStats, MetricsCollector, WorkRecorder};
//! use std::{fs, io::BufWriter, path::Path, sync::Arc};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # std::env::set_current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/..")).unwrap();
//! let scenario = Arc::new(Scenario::from_path("scenarios/quickstart.toml".as_ref())?);
//! // Clears what crashed runs left; refuses a folder with a user's files.
//! let staging = Staging::begin(Path::new("results/quickstart"))?;
//! let out = staging.dir();
//! let (mut results, mut engine, mut parts) = (vec![], vec![], vec![]);
//! for r in 0..scenario.simulation.replications {
//!     let part = work_part_path(out, r);
//!     let mut work = WorkRecorder::new(BufWriter::new(fs::File::create(&part)?), &scenario, r)?;
//!     let mut metrics = MetricsCollector::new(&scenario);
//!     // Every event, then each item still in flight, then the end.
//!     let options = RunOptions { replication: r, ..RunOptions::default() };
//!     run_replication(Arc::clone(&scenario), &mut [&mut metrics, &mut work], options);
//!     work.into_inner()?; // reports any deferred write error
//!     results.push(metrics.into_result());
//!     engine.push(EngineStats { wall_seconds: 0.0, events: 0, ..EngineStats::default() });
//!     parts.push(part);
//! }
//! let seed = scenario.simulation.seed;
//! let set = ResultSet::new(&scenario, seed, results, engine);
//! set.write_all(out)?;
//! concat_work_parts(out, &parts)?;
//! staging.commit()?; // the previous set, if any, is replaced as a whole
//! print!("{}", render_table(&set));
//! # Ok(())
//! # }
//! ```

pub mod atomic;
mod files;
pub mod staging;
mod table;
mod work;

pub use atomic::{cleanup_temp_files, split_file_path, write_atomically, AtomicFile};
pub use files::f6;
pub use staging::{check_target, check_target_holding, result_files, Holds, Staging, RESULT_FILES};
pub use table::render_table;
pub use work::{concat_work_parts, concat_work_parts_until, work_part_path};

use crate::clock::DayClock;
use crate::scenario::{Busyness, BusynessDist, QueueTargets, Scenario};
use crate::stats::integral::Window;
use crate::stats::{
    check_targets, estimate, estimate_defined, EngineStats, Estimate, PerMetric, PrecisionSummary,
    PrecisionTarget, QueueMetrics, ReplicationResult, TargetCheck,
};
use crate::time::SimTime;
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};
use std::io;
use std::path::{Path, PathBuf};

/// Why a result file could not be written. Every variant is fatal for the
/// file it names; files already committed stay valid.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum OutputError {
    /// Creating, writing, syncing, renaming or removing a file failed.
    #[error("cannot write `{}`: {source}", path.display())]
    Io {
        /// The file (or directory) concerned.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: io::Error,
    },
    /// A `work.csv` part does not start with the expected header, so it was
    /// not written by [`WorkRecorder`](crate::stats::WorkRecorder) of this
    /// version.
    #[error(
        "work part `{}` does not start with the work.csv header; \
         was it written by an older omnisim?",
        path.display()
    )]
    WorkPartHeader {
        /// The part file.
        path: PathBuf,
    },
    /// The output folder is a file (or a name such as `/` that names no
    /// folder a set can replace).
    #[error(
        "`{}` is a file, not a folder; expected a folder for the result files",
        path.display()
    )]
    NotAFolder {
        /// The path given.
        path: PathBuf,
    },
    /// The output folder holds files omnisim did not write; the set
    /// replaces the folder as a whole, so they would be lost
    /// ([`staging`]).
    #[error(
        "`{}` holds {} that omnisim did not write ({}); the results replace the \
         folder as a whole, so move {} out or choose another output folder",
        path.display(),
        if names.len() == 1 { "a file" } else { "files" },
        some_names(names),
        if names.len() == 1 { "it" } else { "them" }
    )]
    ForeignFiles {
        /// The output folder.
        path: PathBuf,
        /// What it holds that is not a result file, sorted.
        names: Vec<String>,
    },
    /// Writing stopped because a stop was requested (a signal); what was
    /// written is discarded with the staging folder.
    #[error("writing stopped on request")]
    Interrupted,
}

/// The first few of `names`, and how many more: a folder such as `.` may
/// hold hundreds.
fn some_names(names: &[String]) -> String {
    const SHOWN: usize = 5;
    let mut text = names[..names.len().min(SHOWN)].join(", ");
    if names.len() > SHOWN {
        text.push_str(&format!(" and {} more", names.len() - SHOWN));
    }
    text
}

impl OutputError {
    /// Whether the error lies in what the user asked for (the output
    /// folder), not in the machine: the command line reports it as
    /// invalid input.
    pub fn is_input_error(&self) -> bool {
        matches!(
            self,
            OutputError::NotAFolder { .. } | OutputError::ForeignFiles { .. }
        )
    }

    pub(crate) fn io(path: impl Into<PathBuf>) -> impl FnOnce(io::Error) -> OutputError {
        let path = path.into();
        move |source| OutputError::Io { path, source }
    }
}

/// Every metric of one queue (or the centre) over the replications: mean
/// and 95% interval; `None` (JSON `null`) where no replication defines it.
///
/// Serialized as an object keyed by metric name in
/// [`QUEUE_METRICS`](crate::stats::QUEUE_METRICS) order: the key order of
/// `summary.json`.
pub type MetricEstimates = PerMetric<Option<Estimate>>;

impl PerMetric<Option<Estimate>> {
    /// Estimates from one [`QueueMetrics`] per replication, in replication
    /// order (the order of summation, hence of the last bits); each metric
    /// over the replications that define it.
    pub fn from_replications<'a>(metrics: impl IntoIterator<Item = &'a QueueMetrics>) -> Self {
        let ms: Vec<&QueueMetrics> = metrics.into_iter().collect();
        PerMetric::from_fn(|metric| {
            let read = metric.def().read;
            estimate_defined(&ms.iter().map(|m| read(m)).collect::<Vec<_>>())
        })
    }
}

/// The content of `summary.json`. Field order is key order.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Summary {
    /// Scenario name.
    pub scenario: String,
    /// Base seed of the run.
    pub seed: u64,
    /// Number of replications.
    pub replications: usize,
    /// Clock time at which the measured day begins (`[simulation] start`,
    /// `"00:00"` without one), with the date in front when the scenario
    /// gives one, as the `start` column of `intervals.csv` writes it.
    pub start: String,
    /// Clock time at which the measured day ends, written the same way.
    pub end: String,
    /// The date of `start` (`"2026-11-30"`), `null` without one.
    pub date: Option<String>,
    /// Length of the measured period (warm-up excluded) \[s\].
    pub simulated_time_s: f64,
    /// Warm-up, simulated but not measured \[s\].
    pub warmup_s: f64,
    /// Reporting interval of `intervals.csv` \[s\].
    pub interval_s: f64,
    /// `[simulation]`'s service-level threshold \[s\]: the threshold of
    /// every queue that does not set its own (each queue's is in its row).
    pub service_level_threshold_s: f64,
    /// The day's busyness and the factor each replication drew; absent
    /// when the scenario has no `busyness` key.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub busyness: Option<BusynessSummary>,
    /// Per queue, in scenario order (a JSON object keyed by queue name).
    #[serde(serialize_with = "ordered_map")]
    pub queues: Vec<(String, QueueSummary)>,
    /// The whole centre.
    pub overall: OverallSummary,
    /// Per agent group, in scenario order (a JSON object keyed by group
    /// name).
    #[serde(serialize_with = "ordered_map")]
    pub groups: Vec<(String, GroupSummary)>,
    /// Every planning target of every queue, checked (empty when the
    /// scenario sets none).
    pub targets: Vec<TargetCheck>,
    /// The reproducible engine figures (wall time is in `engine.json`).
    pub engine: SummaryEngine,
    /// What `run --precision` asked and reached; absent otherwise. Last,
    /// so that the rest of the file reads exactly as that of a plain run
    /// of as many replications.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub precision: Option<PrecisionSummary>,
}

impl Summary {
    /// The estimates of the queue called `name`.
    pub fn queue(&self, name: &str) -> Option<&MetricEstimates> {
        self.queues
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, q)| &q.metrics)
    }
}

/// The `busyness` entry of `summary.json`: `[simulation] busyness` and
/// the factor each replication's arrival rates were multiplied by, so a
/// replication's results can be read against how busy its day was.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BusynessSummary {
    /// The factor's distribution.
    pub dist: BusynessDist,
    /// Its coefficient of variation.
    pub cv: f64,
    /// Each replication's factor, in replication order.
    pub per_replication: Vec<f64>,
}

/// One queue's entry of `summary.json`: the threshold its service level is
/// measured against, then its metrics. The threshold sits in the row
/// because queues may set their own, so no single figure of the file can
/// say what a queue's `service_level` means.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct QueueSummary {
    /// The queue's service-level threshold \[s\] (its own, or
    /// `[simulation]`'s).
    pub service_level_threshold_s: f64,
    /// The capacity pool its items count against (omni-reference §12.4):
    /// what its `occupancy` is a share of, and what a report reads an
    /// agent's busy time in.
    pub capacity_pool: crate::omni::CapacityPool,
    /// Its metrics.
    #[serde(flatten)]
    pub metrics: MetricEstimates,
}

/// The `overall` entry of `summary.json`: the centre's metrics, with what
/// its `service_level` is measured against. Each item counts against its
/// own queue's threshold, so when queues differ the centre's service level
/// is not a service level at any one threshold, and the file says so
/// rather than letting a reader assume `[simulation]`'s.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OverallSummary {
    /// The threshold every queue shares \[s\]; `None` (JSON `null`) when
    /// the queues' thresholds differ.
    pub service_level_threshold_s: Option<f64>,
    /// Whether the queues' thresholds differ, so that the centre's service
    /// level mixes them (each item against its own queue's threshold).
    pub service_level_thresholds_differ: bool,
    /// Its metrics.
    #[serde(flatten)]
    pub metrics: MetricEstimates,
}

/// One agent group's entry of `summary.json`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GroupSummary {
    /// Agents in the group.
    pub agents: u32,
    /// Mean overtime per agent of the group \[s\] (logout − shift end,
    /// see `agents.csv`), with its 95% interval across replications: what
    /// finishing the work held at the end of a shift costs.
    pub overtime_s: Option<Estimate>,
}

/// The `engine` block of `summary.json`: only figures that do not depend on
/// the machine.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SummaryEngine {
    /// Events processed per replication.
    pub events: Option<Estimate>,
}

/// The content of `engine.json`: how fast the engine ran (not reproducible).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EngineReport {
    /// Number of replications measured.
    pub replications: usize,
    /// Wall seconds per replication.
    pub wall_seconds: Option<Estimate>,
    /// Events per replication.
    pub events: Option<Estimate>,
    /// Events per wall second, per replication.
    pub events_per_second: Option<Estimate>,
    /// Sum of the replications' wall seconds (exceeds the elapsed time
    /// when replications run in parallel).
    pub total_wall_seconds: f64,
    /// Events over all replications.
    pub total_events: u64,
    /// Actor messages, toolkit calls and calendar entries over all
    /// replications, by kind.
    pub counts: crate::engine::EngineCounts,
    /// The same per item (`None` when no item arrived): how many times an
    /// item was handed from one place to another.
    pub per_item: Option<crate::engine::PerItem>,
    /// Each replication's figures, in replication order.
    pub per_replication: Vec<EngineStats>,
}

/// Writes `Vec<(name, value)>` as a JSON object in vector order; serde_json
/// keeps the order of entries written through a serializer (only its
/// `Value` map sorts keys).
fn ordered_map<S: Serializer, V: Serialize>(
    entries: &[(String, V)],
    s: S,
) -> Result<S::Ok, S::Error> {
    let mut map = s.serialize_map(Some(entries.len()))?;
    for (k, v) in entries {
        map.serialize_entry(k, v)?;
    }
    map.end()
}

/// The results of a whole run, ready to be written.
#[derive(Clone, Debug)]
pub struct ResultSet {
    scenario: String,
    seed: u64,
    window: Window,
    /// The day's clock, for the clock times of the files.
    clock: DayClock,
    /// `run --precision`: the targets and the most replications allowed.
    precision: Option<(Vec<PrecisionTarget>, u32)>,
    interval_s: f64,
    threshold_s: f64,
    queue_names: Vec<String>,
    /// Each queue's service-level threshold \[s\], in scenario order.
    queue_thresholds_s: Vec<f64>,
    /// Each queue's capacity pool, in scenario order.
    queue_pools: Vec<crate::omni::CapacityPool>,
    /// Each queue's planning targets, in scenario order.
    queue_targets: Vec<QueueTargets>,
    /// Group name of each agent, in `AgentId` order.
    agent_groups: Vec<String>,
    /// Name of each agent from its roster (empty when it has none), in
    /// `AgentId` order.
    agent_names: Vec<String>,
    /// Each group's name and its agents' first `AgentId`, and count, in
    /// scenario order.
    groups: Vec<(String, usize, u32)>,
    replications: Vec<ReplicationResult>,
    engine: Vec<EngineStats>,
    /// The scenario's busyness, if any, and the base seed its factors are
    /// drawn from.
    busyness: Option<(Busyness, u64)>,
}

impl ResultSet {
    /// Gathers a run: `replications` in replication order, `engine` one
    /// entry per replication (may be empty when unknown), `seed` the base
    /// seed actually used (it may differ from the scenario's when
    /// overridden on the command line).
    pub fn new(
        scenario: &Scenario,
        seed: u64,
        replications: Vec<ReplicationResult>,
        engine: Vec<EngineStats>,
    ) -> ResultSet {
        let agent_groups = scenario
            .agents
            .iter()
            .flat_map(|g| std::iter::repeat_n(g.group.clone(), g.count as usize))
            .collect();
        let mut first = 0;
        let groups = scenario
            .agents
            .iter()
            .map(|g| {
                let row = (g.group.clone(), first, g.count);
                first += g.count as usize;
                row
            })
            .collect();
        let agent_names = scenario
            .agent_schedules()
            .map(|(_, a)| a.name.unwrap_or_default().to_owned())
            .collect();
        ResultSet {
            agent_names,
            groups,
            scenario: scenario.simulation.name.clone(),
            seed,
            window: Window::of(scenario),
            clock: scenario.simulation.clock(),
            precision: None,
            interval_s: scenario.simulation.interval.as_secs_f64(),
            threshold_s: scenario.simulation.service_level_threshold.as_secs_f64(),
            queue_names: scenario.queues.iter().map(|q| q.name.clone()).collect(),
            queue_thresholds_s: scenario
                .queues
                .iter()
                .map(|q| q.service_level_threshold.as_secs_f64())
                .collect(),
            queue_pools: scenario.queues.iter().map(|q| q.routing.pool).collect(),
            queue_targets: scenario.queues.iter().map(|q| q.targets.clone()).collect(),
            agent_groups,
            replications,
            engine,
            busyness: scenario.simulation.busyness.map(|b| (b, seed)),
        }
    }

    /// The busyness factor of each replication, in replication order;
    /// `None` when the scenario has no `busyness` key. Each depends only on
    /// the base seed and the replication ([`crate::arrivals::busyness_factor`]).
    pub fn busyness_factors(&self) -> Option<Vec<f64>> {
        let (b, seed) = self.busyness.as_ref()?;
        Some(
            (0..self.replications.len() as u32)
                .map(|r| crate::arrivals::busyness_factor(b, *seed, r))
                .collect(),
        )
    }

    /// Records that the run added replications until `targets` were met
    /// or `max_replications` reached (`run --precision`), so that
    /// `summary.json` says what was asked and reached.
    pub fn with_precision(
        mut self,
        targets: Vec<PrecisionTarget>,
        max_replications: u32,
    ) -> ResultSet {
        self.precision = Some((targets, max_replications));
        self
    }

    /// The precision asked and reached, when the run was sequential.
    pub fn precision(&self) -> Option<PrecisionSummary> {
        self.precision
            .as_ref()
            .map(|(t, max)| PrecisionSummary::new(t, &self.replications, *max))
    }

    /// The day's clock: the clock time of each instant of the files.
    pub fn clock(&self) -> &DayClock {
        &self.clock
    }

    /// The per-replication results, in replication order.
    pub fn replications(&self) -> &[ReplicationResult] {
        &self.replications
    }

    /// The engine figures, in replication order.
    pub fn engine_stats(&self) -> &[EngineStats] {
        &self.engine
    }

    /// The scenario name.
    pub fn scenario_name(&self) -> &str {
        &self.scenario
    }

    /// Queue names, in scenario order.
    pub fn queue_names(&self) -> &[String] {
        &self.queue_names
    }

    /// Each queue's service-level threshold \[s\], in scenario order.
    pub fn queue_thresholds_s(&self) -> &[f64] {
        &self.queue_thresholds_s
    }

    /// The service-level threshold all queues share \[s\], or `None` when
    /// they differ (the centre's service level then mixes thresholds).
    pub fn common_threshold_s(&self) -> Option<f64> {
        match self.queue_thresholds_s.split_first() {
            None => Some(self.threshold_s),
            Some((first, rest)) => rest.iter().all(|t| t == first).then_some(*first),
        }
    }

    /// Whether each queue meets its planning targets over the
    /// replications, in scenario order; empty when no queue sets any.
    pub fn targets(&self) -> Vec<TargetCheck> {
        let queues: Vec<(String, QueueTargets)> = self
            .queue_names
            .iter()
            .cloned()
            .zip(self.queue_targets.iter().cloned())
            .collect();
        check_targets(&queues, &self.replications, &self.clock)
    }

    /// Estimates for queue `q` (scenario order) over the replications.
    pub fn queue_estimates(&self, q: usize) -> MetricEstimates {
        MetricEstimates::from_replications(self.replications.iter().filter_map(|r| r.queues.get(q)))
    }

    /// Estimates for the whole centre over the replications.
    pub fn overall_estimates(&self) -> MetricEstimates {
        MetricEstimates::from_replications(self.replications.iter().map(|r| &r.overall))
    }

    /// Estimates for each agent group over the replications: per
    /// replication the mean over the group's agents, then the mean and
    /// interval of those.
    pub fn group_summaries(&self) -> Vec<(String, GroupSummary)> {
        self.groups
            .iter()
            .map(|(name, first, count)| {
                let per_rep: Vec<f64> = self
                    .replications
                    .iter()
                    .filter_map(|r| {
                        let agents = r.agents.get(*first..*first + *count as usize)?;
                        let total: f64 = agents.iter().map(|a| a.overtime_s).sum();
                        (*count > 0).then(|| total / *count as f64)
                    })
                    .collect();
                let row = GroupSummary {
                    agents: *count,
                    overtime_s: estimate(&per_rep),
                };
                (name.clone(), row)
            })
            .collect()
    }

    /// What `summary.json` holds.
    pub fn summary(&self) -> Summary {
        let events: Vec<f64> = self.engine.iter().map(|e| e.events as f64).collect();
        Summary {
            scenario: self.scenario.clone(),
            seed: self.seed,
            replications: self.replications.len(),
            start: self.clock.label(self.window.start),
            end: self.clock.label(self.window.end),
            date: self.clock.date.map(|d| d.to_string()),
            simulated_time_s: self.window.end.since(self.window.start).as_secs_f64(),
            warmup_s: self.window.start.as_secs_f64(),
            interval_s: self.interval_s,
            service_level_threshold_s: self.threshold_s,
            busyness: self.busyness.as_ref().map(|(b, _)| BusynessSummary {
                dist: b.dist,
                cv: b.cv,
                per_replication: self.busyness_factors().unwrap_or_default(),
            }),
            queues: self
                .queue_names
                .iter()
                .zip(&self.queue_thresholds_s)
                .enumerate()
                .map(|(q, (name, &threshold))| {
                    let row = QueueSummary {
                        service_level_threshold_s: threshold,
                        capacity_pool: self.queue_pools.get(q).copied().unwrap_or_default(),
                        metrics: self.queue_estimates(q),
                    };
                    (name.clone(), row)
                })
                .collect(),
            overall: OverallSummary {
                service_level_threshold_s: self.common_threshold_s(),
                service_level_thresholds_differ: self.common_threshold_s().is_none(),
                metrics: self.overall_estimates(),
            },
            groups: self.group_summaries(),
            targets: self.targets(),
            engine: SummaryEngine {
                events: estimate(&events),
            },
            precision: self.precision(),
        }
    }

    /// What `engine.json` holds.
    pub fn engine_report(&self) -> EngineReport {
        let col = |f: fn(&EngineStats) -> Option<f64>| {
            estimate_defined(&self.engine.iter().map(f).collect::<Vec<_>>())
        };
        let mut counts = crate::engine::EngineCounts::default();
        for e in &self.engine {
            counts.add(&e.counts);
        }
        EngineReport {
            replications: self.engine.len(),
            wall_seconds: col(|e| Some(e.wall_seconds)),
            events: col(|e| Some(e.events as f64)),
            events_per_second: col(EngineStats::events_per_second),
            total_wall_seconds: self.engine.iter().map(|e| e.wall_seconds).sum(),
            total_events: self.engine.iter().map(|e| e.events).sum(),
            counts,
            per_item: counts.per_item(),
            per_replication: self.engine.clone(),
        }
    }

    /// `[start, end)` of reporting interval `i`, from the start of the run.
    fn interval_bounds(&self, i: usize) -> (SimTime, SimTime) {
        self.window.bounds(i)
    }

    /// Writes `summary.json`, `engine.json`, `intervals.csv` and
    /// `agents.csv` into `dir` (created if missing), each atomically;
    /// returns their paths in that order. `work.csv` is assembled
    /// separately by [`concat_work_parts`] because it is streamed during
    /// the run.
    pub fn write_all(&self, dir: impl AsRef<Path>) -> Result<Vec<PathBuf>, OutputError> {
        self.write_all_until(dir, &std::sync::atomic::AtomicBool::new(false))
    }

    /// [`ResultSet::write_all`], given up with [`OutputError::Interrupted`]
    /// as soon as `stop` is set (between files, and between the rows of
    /// `intervals.csv` and `agents.csv`, which a day of short intervals or
    /// many agents makes long), so a signal is acted on at once.
    pub fn write_all_until(
        &self,
        dir: impl AsRef<Path>,
        stop: &std::sync::atomic::AtomicBool,
    ) -> Result<Vec<PathBuf>, OutputError> {
        use std::sync::atomic::Ordering;
        let dir = dir.as_ref();
        let stopped = || {
            if stop.load(Ordering::Relaxed) {
                Err(OutputError::Interrupted)
            } else {
                Ok(())
            }
        };
        std::fs::create_dir_all(dir).map_err(OutputError::io(dir))?;
        stopped()?;
        let summary = write_json(dir, "summary.json", &self.summary())?;
        stopped()?;
        Ok(vec![
            summary,
            write_json(dir, "engine.json", &self.engine_report())?,
            files::write_intervals(self, dir, stop)?,
            files::write_agents(self, dir, stop)?,
        ])
    }
}

/// Pretty JSON with a final newline, written atomically.
fn write_json<T: Serialize>(dir: &Path, name: &str, value: &T) -> Result<PathBuf, OutputError> {
    let path = dir.join(name);
    let err = |e| OutputError::Io {
        path: path.clone(),
        source: e,
    };
    let mut f = AtomicFile::create(dir, name).map_err(err)?;
    serde_json::to_writer_pretty(&mut f, value).map_err(|e| err(e.into()))?;
    io::Write::write_all(&mut f, b"\n").map_err(err)?;
    f.commit().map_err(err)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::EventSink;
    use crate::stats::test_support::{scenario, Script, AVAILABLE};
    use crate::stats::{MetricsCollector, WorkRecorder};
    use crate::time::SimDuration;
    use std::fs;

    /// Two replications of a two-queue centre; queue `zeta` comes first in
    /// the scenario to show that files keep scenario order, not
    /// alphabetical order.
    fn result_set() -> (Scenario, ResultSet) {
        let scn = scenario(0, 200, 100, 20, &["zeta", "alpha"], &[("g", 2, 1)]);
        let reps = (0..2)
            .map(|r| {
                let mut s = Script::default();
                s.login(0.0, 0, AVAILABLE)
                    .arrive(10.0, 1, 0)
                    .assign(10.0, 1, 1, 0, 0, 1000)
                    .workload(10.0, 0, 1, 1000)
                    .accept(12.0 + r as f64 * 20.0, 1, 1, 0, 0)
                    .close(60.0, 1, 1, 0, 0, 12.0 + r as f64 * 20.0)
                    .workload(60.0, 0, 1, 0);
                let mut c = MetricsCollector::new(&scn);
                s.feed(&mut c, 200.0);
                c.into_result()
            })
            .collect();
        let engine = vec![
            EngineStats {
                wall_seconds: 0.5,
                events: 7,
                counts: crate::engine::EngineCounts {
                    items: 1,
                    router_arrivals: 1,
                    agent_pushes: 1,
                    toolkit_messages: 3,
                    ..Default::default()
                },
            },
            EngineStats {
                wall_seconds: 0.25,
                events: 7,
                counts: crate::engine::EngineCounts {
                    items: 3,
                    router_arrivals: 3,
                    agent_pushes: 2,
                    toolkit_in_handler: 2,
                    ..Default::default()
                },
            },
        ];
        let rs = ResultSet::new(&scn, 99, reps, engine);
        (scn, rs)
    }

    fn listing(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn a_stop_ends_the_writing_between_rows_and_leaves_no_file() {
        let (_, rs) = result_set();
        let dir = tempfile::tempdir().unwrap();
        let stop = std::sync::atomic::AtomicBool::new(true);
        let e = rs.write_all_until(dir.path(), &stop).unwrap_err();
        assert!(matches!(e, OutputError::Interrupted), "{e}");
        assert!(listing(dir.path()).is_empty(), "{:?}", listing(dir.path()));
        // The tables themselves look at it before each row: with the flag
        // set, neither gets a line, and no temporary is left.
        let e = files::write_intervals(&rs, dir.path(), &stop).unwrap_err();
        assert!(matches!(e, OutputError::Interrupted), "{e}");
        let e = files::write_agents(&rs, dir.path(), &stop).unwrap_err();
        assert!(matches!(e, OutputError::Interrupted), "{e}");
        assert!(listing(dir.path()).is_empty(), "{:?}", listing(dir.path()));
    }

    #[test]
    fn writes_the_four_files_atomically() {
        let (_, rs) = result_set();
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("nested/out");
        let paths = rs.write_all(&out).unwrap();
        let names: Vec<_> = paths
            .iter()
            .map(|p| p.file_name().unwrap().to_str().unwrap())
            .collect();
        assert_eq!(
            names,
            ["summary.json", "engine.json", "intervals.csv", "agents.csv"]
        );
        assert_eq!(
            listing(&out),
            ["agents.csv", "engine.json", "intervals.csv", "summary.json"]
        );
    }

    #[test]
    fn summary_keeps_scenario_order_and_no_wall_clock() {
        let (_, rs) = result_set();
        let dir = tempfile::tempdir().unwrap();
        rs.write_all(dir.path()).unwrap();
        let text = fs::read_to_string(dir.path().join("summary.json")).unwrap();
        assert!(
            text.starts_with("{\n  \"scenario\": \"unit\",\n  \"seed\": 99,"),
            "{text}"
        );
        assert!(text.find("\"zeta\"").unwrap() < text.find("\"alpha\"").unwrap());
        assert!(!text.contains("wall"), "{text}");
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        let zeta = &v["queues"]["zeta"];
        assert_eq!(zeta["offered"]["mean"], 1.0);
        // Answered after 2 s and after 22 s: SL 1 and 0.
        assert_eq!(zeta["service_level"]["mean"], 0.5);
        assert_eq!(zeta["asa_s"]["mean"], 12.0);
        assert!(v["queues"]["alpha"]["service_level"].is_null());
        assert_eq!(v["engine"]["events"]["mean"], 7.0);
        assert_eq!(v["replications"], 2);
        // One threshold for every queue: the centre's is that one.
        assert_eq!(v["service_level_threshold_s"], 20.0);
        assert_eq!(zeta["service_level_threshold_s"], 20.0);
        assert_eq!(v["overall"]["service_level_threshold_s"], 20.0);
        assert_eq!(v["overall"]["service_level_thresholds_differ"], false);
        assert!(
            text.contains(
                "\"zeta\": {\n      \"service_level_threshold_s\": 20.0,\n      \
                 \"capacity_pool\": \"primary\",\n      \"offered\""
            ),
            "threshold and pool first, then the metrics: {text}"
        );

        let engine: serde_json::Value =
            serde_json::from_str(&fs::read_to_string(dir.path().join("engine.json")).unwrap())
                .unwrap();
        assert_eq!(engine["total_events"], 14);
        assert_eq!(engine["events_per_second"]["mean"], (14.0 + 28.0) / 2.0);
        // Counts add up over the replications; per item divides by the
        // items of them all.
        assert_eq!(engine["counts"]["items"], 4);
        assert_eq!(engine["counts"]["toolkit_messages"], 3);
        assert_eq!(engine["per_item"]["actor_messages"], 2.5);
        assert_eq!(engine["per_item"]["agent_pushes"], 0.75);
        assert_eq!(engine["per_item"]["toolkit_calls"], 1.25);
        assert!(engine["per_replication"][0].get("counts").is_none());
    }

    #[test]
    fn each_replications_busyness_factor_is_in_the_summary() {
        let (mut scn, rs) = result_set();
        let text = serde_json::to_string(&rs.summary()).unwrap();
        assert!(!text.contains("busyness"), "no key, no entry: {text}");
        assert_eq!(rs.busyness_factors(), None);
        let b = crate::scenario::Busyness {
            dist: BusynessDist::LogNormal,
            cv: 0.2,
        };
        scn.simulation.busyness = Some(b);
        let rs = ResultSet::new(&scn, 99, rs.replications().to_vec(), vec![]);
        let factors: Vec<f64> = (0..2)
            .map(|r| crate::arrivals::busyness_factor(&b, 99, r))
            .collect();
        assert_ne!(factors[0], factors[1]);
        assert_eq!(rs.busyness_factors(), Some(factors.clone()));
        let v = serde_json::to_value(rs.summary()).unwrap();
        assert_eq!(
            v["busyness"],
            serde_json::json!({ "dist": "lognormal", "cv": 0.2, "per_replication": factors })
        );
    }

    #[test]
    fn queues_with_their_own_thresholds_are_reported_as_such() {
        let (mut scn, _) = result_set();
        scn.queues[0].service_level_threshold = SimDuration::from_secs(60);
        let rs = ResultSet::new(&scn, 1, vec![], vec![]);
        assert_eq!(rs.queue_thresholds_s(), [60.0, 20.0]);
        assert_eq!(rs.common_threshold_s(), None);
        let v = serde_json::to_value(rs.summary()).unwrap();
        assert_eq!(v["service_level_threshold_s"], 20.0, "[simulation]'s");
        assert_eq!(v["queues"]["zeta"]["service_level_threshold_s"], 60.0);
        assert_eq!(v["queues"]["alpha"]["service_level_threshold_s"], 20.0);
        assert!(v["overall"]["service_level_threshold_s"].is_null());
        assert_eq!(v["overall"]["service_level_thresholds_differ"], true);
        let table = render_table(&rs);
        let first = table.lines().next().unwrap();
        assert!(
            first.ends_with(
                "service level = answered within each queue's own threshold (zeta 60 s, alpha 20 s)"
            ),
            "{first}"
        );
        let (_, rs) = result_set();
        let first = render_table(&rs).lines().next().unwrap().to_string();
        assert!(first.ends_with("answered within 20 s"), "{first}");
    }

    #[test]
    fn items_ended_with_no_agent_are_a_metric_of_their_own() {
        let scn = scenario(0, 200, 100, 20, &["A"], &[("g", 1, 1)]);
        let reps = (0..2)
            .map(|r| {
                let mut s = Script::default();
                s.arrive(10.0, 1, 0).end_no_agent(12.0, 1, 0);
                if r == 1 {
                    s.arrive(150.0, 2, 0).end_no_agent(151.0, 2, 0);
                }
                let mut c = MetricsCollector::new(&scn);
                s.feed(&mut c, 200.0);
                let result = c.into_result();
                result.check_conservation().unwrap();
                result
            })
            .collect();
        let rs = ResultSet::new(&scn, 1, reps, vec![]);
        let dir = tempfile::tempdir().unwrap();
        rs.write_all(dir.path()).unwrap();
        let text = fs::read_to_string(dir.path().join("summary.json")).unwrap();
        let a = &serde_json::from_str::<serde_json::Value>(&text).unwrap()["queues"]["A"];
        assert_eq!(a["ended_no_agent"]["mean"], 1.5);
        assert_eq!(a["abandoned"]["mean"], 0.0);
        assert_eq!(a["p_abandon"]["mean"], 0.0);
        let (abandoned, ended, sl) = (
            text.find("\"abandoned\"").unwrap(),
            text.find("\"ended_no_agent\"").unwrap(),
            text.find("\"service_level\"").unwrap(),
        );
        assert!(abandoned < ended && ended < sl, "after abandoned: {text}");
        let intervals = fs::read_to_string(dir.path().join("intervals.csv")).unwrap();
        let lines: Vec<&str> = intervals.lines().collect();
        assert!(lines[0].ends_with(
            ",in_progress_at_end,ended_no_agent,wrap_up_s,transferred_out,transferred_in,\
             retrials,offered_customers,agents_occupancy,agents_occupancy_ci95_low,agents_occupancy_ci95_high,\
             interrupted_s,transfer_wait_s"
        ));
        // Interval 0: one per replication; interval 1: one in two.
        assert!(lines[1]
            .starts_with("0,0.000000,100.000000,00:00,00:01:40,A,1.000000,0.000000,0.000000,"));
        // Nobody logged in: no agents' occupancy.
        assert!(
            lines[1]
                .ends_with(",0.000000,0.000000,1.000000,,0.000000,0.000000,0.000000,1.000000,,,,,"),
            "{}",
            lines[1]
        );
        assert!(
            lines[3]
                .ends_with(",0.000000,0.000000,0.500000,,0.000000,0.000000,0.000000,0.500000,,,,,"),
            "{}",
            lines[3]
        );
    }

    #[test]
    fn summary_lists_each_target_with_its_verdict() {
        let (mut scn, _) = result_set();
        scn.queues[0].targets = QueueTargets {
            target_service_level: Some(0.8),
            max_abandon_rate: None,
            max_asa: Some(SimDuration::from_secs(15)),
            max_occupancy: None,
            window: Default::default(),
        };
        let (_, rs) = result_set();
        let rs = ResultSet::new(&scn, 99, rs.replications().to_vec(), vec![]);
        let dir = tempfile::tempdir().unwrap();
        rs.write_all(dir.path()).unwrap();
        let text = fs::read_to_string(dir.path().join("summary.json")).unwrap();
        assert!(text.find("\"overall\"").unwrap() < text.find("\"targets\"").unwrap());
        assert!(text.find("\"targets\"").unwrap() < text.find("\"engine\"").unwrap());
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        let t = v["targets"].as_array().unwrap();
        assert_eq!(t.len(), 2, "zeta's two targets; alpha has none");
        // Answered after 2 s and 22 s: SL 0.5, ASA 12 s.
        assert_eq!(t[0]["queue"], "zeta");
        assert_eq!(t[0]["metric"], "service_level");
        assert_eq!(t[0]["bound"], "min");
        assert_eq!(t[0]["target"], 0.8);
        assert_eq!(t[0]["mean"], 0.5);
        assert_eq!(t[0]["met"], false);
        assert_eq!(t[1]["metric"], "asa_s");
        assert_eq!(t[1]["target"], 15.0);
        assert_eq!(t[1]["mean"], 12.0);
        assert_eq!(t[1]["met"], true);
        // Both items arrived in the first interval, measured from 0.
        let w = &t[1]["worst_interval"];
        assert_eq!(
            (w["interval"].as_u64(), w["start_s"].as_f64()),
            (Some(0), Some(0.0))
        );
        assert_eq!(
            (w["end_s"].as_f64(), w["value"].as_f64()),
            (Some(100.0), Some(12.0))
        );
        // Without targets the array is there, and empty.
        let (_, rs) = result_set();
        assert_eq!(
            serde_json::to_value(rs.summary()).unwrap()["targets"],
            serde_json::json!([])
        );
    }

    #[test]
    fn the_summary_reads_back_into_the_types_that_wrote_it() {
        let (mut scn, _) = result_set();
        scn.queues[0].targets = QueueTargets {
            target_service_level: Some(0.8),
            max_asa: Some(SimDuration::from_secs(15)),
            ..QueueTargets::default()
        };
        let (_, rs) = result_set();
        let summary = ResultSet::new(&scn, 99, rs.replications().to_vec(), vec![]).summary();
        let text = serde_json::to_string_pretty(&summary).unwrap();
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        let read = |v: &serde_json::Value| -> MetricEstimates {
            serde_json::from_value(v.clone()).unwrap()
        };
        for (name, q) in &summary.queues {
            // The threshold and the pool are skipped: they name no metric.
            assert_eq!(read(&v["queues"][name]), q.metrics, "{name}");
            let pool: crate::omni::CapacityPool =
                serde_json::from_value(v["queues"][name]["capacity_pool"].clone()).unwrap();
            assert_eq!(pool, q.capacity_pool);
        }
        assert_eq!(read(&v["overall"]), summary.overall.metrics);
        let targets: Vec<TargetCheck> = serde_json::from_value(v["targets"].clone()).unwrap();
        assert_eq!((targets.len(), &targets), (2, &summary.targets));
        let engine: SummaryEngine = serde_json::from_value(v["engine"].clone()).unwrap();
        assert_eq!(engine, summary.engine);
        // A metric the file lacks reads as undefined; a key that names
        // none is skipped.
        let m = read(&serde_json::json!({
            "offered": { "mean": 2.0, "ci95_low": 1.0, "ci95_high": 3.0 },
            "asa_s": null,
            "a_later_metric": { "x": [1, 2] }
        }));
        let offered = Estimate {
            mean: 2.0,
            ci95_low: 1.0,
            ci95_high: 3.0,
        };
        assert_eq!(m[crate::stats::Metric::Offered], Some(offered));
        assert_eq!(m[crate::stats::Metric::AsaS], None);
        assert_eq!(m[crate::stats::Metric::ServiceLevel], None);
    }

    #[test]
    fn intervals_and_agents_csv_have_one_row_per_cell() {
        let (_, rs) = result_set();
        let dir = tempfile::tempdir().unwrap();
        rs.write_all(dir.path()).unwrap();
        let intervals = fs::read_to_string(dir.path().join("intervals.csv")).unwrap();
        let lines: Vec<&str> = intervals.lines().collect();
        assert_eq!(lines[0], files::intervals_header().join(","));
        assert_eq!(lines.len(), 1 + 2 * 3);
        assert!(lines[1].starts_with(
            "0,0.000000,100.000000,00:00,00:01:40,zeta,1.000000,1.000000,0.000000,0.500000,"
        ));
        assert!(lines[3].starts_with("0,0.000000,100.000000,00:00,00:01:40,ALL,"));
        assert!(lines[5].starts_with(
            "1,100.000000,200.000000,00:01:40,00:03:20,alpha,0.000000,0.000000,0.000000,,,,"
        ));
        let agents = fs::read_to_string(dir.path().join("agents.csv")).unwrap();
        assert_eq!(
            agents,
            "agent,group,time_online_s,items_handled,occupancy,declines,push_timeouts,\
             interruptible_occupancy,overtime_s,break_s,absent,name,interrupted_s\n\
             0,g,200.000000,1.000000,0.250000,0.000000,0.000000,,0.000000,0.000000,false,,0.000000\n\
             1,g,0.000000,0.000000,,0.000000,0.000000,,0.000000,0.000000,false,,0.000000\n"
        );
    }

    /// The first `intervals.csv` row and `summary.json` of an empty run
    /// with a 30-minute warm-up, a 30-minute interval and `start` (and
    /// date) as given.
    fn clock_files(start: Option<(&str, Option<&str>)>) -> (String, serde_json::Value) {
        let mut scn = scenario(1800, 7200, 1800, 20, &["A"], &[("g", 1, 1)]);
        if let Some((time, date)) = start {
            scn.simulation.start_of_day = crate::clock::parse_time_of_day(time).unwrap();
            scn.simulation.start_date = date.map(|d| d.parse().unwrap());
        }
        let mut c = MetricsCollector::new(&scn);
        c.finish(SimTime::ZERO + scn.run_length());
        let rs = ResultSet::new(&scn, 1, vec![c.into_result()], vec![]);
        let dir = tempfile::tempdir().unwrap();
        rs.write_all(dir.path()).unwrap();
        let text = fs::read_to_string(dir.path().join("intervals.csv")).unwrap();
        let summary = fs::read_to_string(dir.path().join("summary.json")).unwrap();
        (
            text.lines().nth(1).unwrap().to_string(),
            serde_json::from_str(&summary).unwrap(),
        )
    }

    #[test]
    fn intervals_and_summary_carry_the_days_clock_time() {
        // The measured day starts at 08:00, after 07:30–08:00 of warm-up;
        // the seconds keep counting from the start of the run.
        let (row, v) = clock_files(Some(("08:00", None)));
        assert!(
            row.starts_with("0,1800.000000,3600.000000,08:00,08:30,A,"),
            "{row}"
        );
        assert_eq!((&v["start"], &v["end"]), (&"08:00".into(), &"10:00".into()));
        assert!(v["date"].is_null());
        // Without start: the day starts at 00:00.
        let (row, v) = clock_files(None);
        assert!(
            row.starts_with("0,1800.000000,3600.000000,00:00,00:30,A,"),
            "{row}"
        );
        assert_eq!(v["start"], "00:00");
        // A dated start puts the date in every label.
        let (row, v) = clock_files(Some(("23:00", Some("2026-11-30"))));
        assert!(
            row.starts_with("0,1800.000000,3600.000000,2026-11-30 23:00,2026-11-30 23:30,A,"),
            "{row}"
        );
        assert_eq!(v["start"], "2026-11-30 23:00");
        assert_eq!(v["end"], "2026-12-01 01:00");
        assert_eq!(v["date"], "2026-11-30");
    }

    #[test]
    fn the_precision_block_is_last_and_only_there_when_asked() {
        let (_, rs) = result_set();
        let plain = serde_json::to_string_pretty(&rs.summary()).unwrap();
        assert!(!plain.contains("precision"));
        let targets = crate::stats::parse_precision("service_level=0.01").unwrap();
        let rs = rs.with_precision(targets, 50);
        let with = serde_json::to_string_pretty(&rs.summary()).unwrap();
        let at = with.find(",\n  \"precision\": {").unwrap();
        assert_eq!(format!("{}\n}}", &with[..at]), plain);
        let v: serde_json::Value = serde_json::from_str(&with).unwrap();
        let p = &v["precision"];
        assert_eq!(p["replications"], 2);
        assert_eq!(p["max_replications"], 50);
        // SL 1 and 0 in the two replications of zeta: far from ±0.01.
        assert_eq!(p["reached"], false);
        assert_eq!(p["targets"][0]["half_width"], 0.01);
        assert_eq!(p["achieved"][0]["widest"]["queue"], "zeta");
    }

    #[test]
    fn work_parts_are_concatenated_in_order_with_one_header() {
        let (scn, _) = result_set();
        let dir = tempfile::tempdir().unwrap();
        let parts: Vec<PathBuf> = (0..2).map(|r| work_part_path(dir.path(), r)).collect();
        for (r, part) in parts.iter().enumerate() {
            let file = io::BufWriter::new(fs::File::create(part).unwrap());
            let mut rec = WorkRecorder::new(file, &scn, r as u32).unwrap();
            let mut s = Script::default();
            s.arrive(1.0 + r as f64, 1, 0);
            s.feed(&mut rec, 200.0);
            rec.into_inner().unwrap();
        }
        let path = concat_work_parts(dir.path(), &parts).unwrap();
        let text = fs::read_to_string(path).unwrap();
        assert_eq!(
            text,
            "replication,item,queue,arrival_s,first_push_s,accept_s,close_s,abandon_s,agent,final_status,declines,push_timeouts,measured,skills_requested,skills_dropped,transfers,attempt,customer,transfer_wait_s,interrupted_s\n\
             0,1,zeta,1.000000,,,,,,waiting,0,0,true,,,0,1,1,,\n\
             1,1,zeta,2.000000,,,,,,waiting,0,0,true,,,0,1,1,,\n"
        );
        assert_eq!(listing(dir.path()), ["work.csv"], "parts deleted");
    }

    #[test]
    fn a_foreign_part_is_refused_and_nothing_is_deleted() {
        let dir = tempfile::tempdir().unwrap();
        let part = work_part_path(dir.path(), 0);
        fs::write(&part, "a,b\n1,2\n").unwrap();
        let err = concat_work_parts(dir.path(), std::slice::from_ref(&part)).unwrap_err();
        assert!(matches!(err, OutputError::WorkPartHeader { ref path } if *path == part));
        assert_eq!(listing(dir.path()), [".work.csv.tmp-part-000000"]);
        let missing = dir.path().join("nope");
        let err = concat_work_parts(dir.path(), std::slice::from_ref(&missing)).unwrap_err();
        assert!(err.to_string().contains("nope"), "{err}");
    }

    #[test]
    fn a_stop_request_ends_the_concatenation_and_keeps_the_parts() {
        let (scn, _) = result_set();
        let dir = tempfile::tempdir().unwrap();
        let part = work_part_path(dir.path(), 0);
        let rec = WorkRecorder::new(
            io::BufWriter::new(fs::File::create(&part).unwrap()),
            &scn,
            0,
        );
        rec.unwrap().into_inner().unwrap();
        let stop = std::sync::atomic::AtomicBool::new(true);
        let err = concat_work_parts_until(dir.path(), std::slice::from_ref(&part), &stop);
        assert!(matches!(err, Err(OutputError::Interrupted)), "{err:?}");
        assert_eq!(listing(dir.path()), [".work.csv.tmp-part-000000"]);
    }

    #[test]
    fn table_shows_means_and_half_widths() {
        let (_, rs) = result_set();
        let table = render_table(&rs);
        assert!(table.starts_with("unit: 2 replications"), "{table}");
        let zeta = table.lines().find(|l| l.starts_with("zeta")).unwrap();
        assert!(zeta.contains("0.500 ±"), "{table}");
        assert!(table.lines().any(|l| l.starts_with("ALL")), "{table}");
        let alpha = table.lines().find(|l| l.starts_with("alpha")).unwrap();
        assert!(alpha.contains(" - "), "{table}");
    }

    #[test]
    fn empty_run_writes_nulls_not_nan() {
        let scn = scenario(0, 100, 100, 20, &["A"], &[("g", 1, 1)]);
        let mut c = MetricsCollector::new(&scn);
        c.finish(SimTime(100_000_000));
        let rs = ResultSet::new(&scn, 1, vec![c.into_result()], vec![]);
        let dir = tempfile::tempdir().unwrap();
        rs.write_all(dir.path()).unwrap();
        let text = fs::read_to_string(dir.path().join("summary.json")).unwrap();
        assert!(!text.contains("NaN") && !text.contains("inf"));
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert!(v["overall"]["occupancy"].is_null());
        assert!(v["engine"]["events"].is_null());
        assert_eq!(v["overall"]["offered"]["mean"], 0.0);
    }
}
