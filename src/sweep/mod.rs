//! Sweeps: one base scenario run over a grid of values, cut into
//! deterministic shards that any batch engine can run, and merged back.
//!
//! # Layout
//!
//! - [`file`](mod@file) — the sweep file: `base`, `replications`, `metrics` and
//!   `[axes]`; each point's scenario is the base text with the point's
//!   values written in, validated like any scenario file.
//! - [`key_path`] — how an axis names a value: entries by name
//!   (`agents.Seniors.count`), never by index.
//! - [`grid`] — which (point, replication) pairs shard `i/n` runs.
//! - [`table`] — from pair results to `sweep.csv` and `sweep.json`.
//! - [`partial`] — what a shard leaves behind, checksummed, and the merge
//!   that checks a set of partials is one whole sweep.
//!
//! # Why the merge is exact
//!
//! A pair's result depends on the seed, the point and the replication
//! only (every point runs the sweep's seed: common random numbers), so
//! the shard layout changes no value; the partials keep every value's
//! exact bits; and the tables are built from the pairs in (point,
//! replication) order whatever order they arrived in. An unsharded run
//! goes through the same [`table::tabulate`], so its files and a merge's
//! are byte-identical.

pub mod file;
pub mod grid;
pub mod key_path;
pub mod partial;
pub mod table;

pub use file::Sweep;
pub use grid::Shard;
pub use partial::{find_partials, merge, sweep_folder, Partial};
pub use table::{tabulate, AxisHeader, PairResult, SweepHeader};

use crate::engine::{run_replication, RunOptions};
use crate::events::EventSink;
use crate::runner::RunError;
use crate::scenario::Scenario;
use crate::stats::{MetricsCollector, ReplicationResult};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

impl Sweep {
    /// The header every partial and `sweep.json` carry.
    pub fn header(&self) -> SweepHeader {
        SweepHeader {
            format: table::FORMAT.into(),
            omnisim_version: env!("CARGO_PKG_VERSION").into(),
            sweep_sha256: self.sweep_sha256.clone(),
            base: self.base.clone(),
            base_sha256: self.base_sha256.clone(),
            seed: self.seed,
            replications: self.replications,
            points: self.points() as u64,
            metrics: self.metrics.clone(),
            queues: table::queue_names(&self.base_scenario),
            axes: self
                .axes
                .iter()
                .map(|a| AxisHeader {
                    key: a.key.clone(),
                    values: a.values.iter().map(json_value).collect(),
                })
                .collect(),
        }
    }
}

/// A TOML value as JSON: numbers, strings and booleans as themselves,
/// arrays and inline tables as arrays and objects, dates as strings.
fn json_value(v: &toml_edit::Value) -> serde_json::Value {
    use toml_edit::Value as T;
    match v {
        T::String(s) => s.value().clone().into(),
        T::Integer(i) => (*i.value()).into(),
        T::Float(f) => serde_json::Number::from_f64(*f.value())
            .map_or(serde_json::Value::Null, serde_json::Value::Number),
        T::Boolean(b) => (*b.value()).into(),
        T::Datetime(d) => d.value().to_string().into(),
        T::Array(a) => a.iter().map(json_value).collect(),
        T::InlineTable(t) => t
            .iter()
            .map(|(k, v)| (k.to_string(), json_value(v)))
            .collect::<serde_json::Map<_, _>>()
            .into(),
    }
}

/// Simulates replication `replication` of a point's scenario and keeps
/// its metrics (no work.csv: a sweep tabulates, it does not record items).
pub fn simulate_pair(
    scenario: &Arc<Scenario>,
    replication: u32,
    stop: Option<Arc<AtomicBool>>,
) -> Result<ReplicationResult, RunError> {
    let mut metrics = MetricsCollector::new(scenario);
    run_replication(
        scenario.clone(),
        &mut [&mut metrics as &mut dyn EventSink],
        RunOptions {
            replication,
            stop,
            ..Default::default()
        },
    )
    .check(scenario)?;
    Ok(metrics.into_result())
}

/// Lower-case hex of a digest.
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
