//! From (point, replication) results to `sweep.csv` and `sweep.json`.
//!
//! Both files are a pure function of the [`SweepHeader`] and the set of
//! [`PairResult`]s, taken in (point, replication) order whatever order
//! they were run or merged in. That, and partials that keep every value's
//! exact bits, is why a merged sweep is byte-identical to an unsharded one.

use crate::output::f6;
use crate::stats::{estimate_defined, Estimate, ReplicationResult, ALL_QUEUES};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Format name written into `sweep.json` and every partial.
pub const FORMAT: &str = "omnisim-sweep";

/// What identifies a sweep and shapes its table: the same in every
/// partial of one sweep and in its `sweep.json`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SweepHeader {
    /// [`FORMAT`].
    pub format: String,
    /// The omnisim version that ran it (covered by `sweep_sha256`).
    pub omnisim_version: String,
    /// Hash of omnisim's version, the sweep file and the base scenario.
    pub sweep_sha256: String,
    /// `base` as written in the sweep file.
    pub base: String,
    /// SHA-256 of the base scenario file.
    pub base_sha256: String,
    /// The seed every point runs with.
    pub seed: u64,
    /// Replications per point.
    pub replications: u32,
    /// Number of points.
    pub points: u64,
    /// The tabulated metrics, in column order.
    pub metrics: Vec<String>,
    /// The queues in scenario order, then `ALL` for the centre.
    pub queues: Vec<String>,
    /// The axes in file order, with their values.
    pub axes: Vec<AxisHeader>,
}

/// One axis of a [`SweepHeader`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AxisHeader {
    /// The key path as written.
    pub key: String,
    /// Its values, in grid order.
    pub values: Vec<serde_json::Value>,
}

impl SweepHeader {
    /// Number of (point, replication) pairs.
    pub fn pairs(&self) -> u64 {
        self.points * u64::from(self.replications)
    }

    /// The values of point `p`, one per axis (last axis fastest).
    pub fn point_values(&self, p: u64) -> Vec<&serde_json::Value> {
        let sizes: Vec<usize> = self.axes.iter().map(|a| a.values.len()).collect();
        super::grid::coordinates(p, &sizes)
            .into_iter()
            .zip(&self.axes)
            .map(|(i, a)| &a.values[i])
            .collect()
    }
}

/// The tabulated metrics of one replication of one point: per queue
/// (then `ALL`), per metric, the value or `None` where undefined.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PairResult {
    /// Point index.
    pub point: u64,
    /// Replication index.
    pub replication: u32,
    /// `values[queue][metric]`.
    pub values: Vec<Vec<Option<f64>>>,
}

impl PairResult {
    /// Takes the named metrics out of one replication's result.
    pub fn from_result(
        point: u64,
        replication: u32,
        result: &ReplicationResult,
        metrics: &[String],
    ) -> PairResult {
        let readers: Vec<_> = metrics
            .iter()
            .map(|m| crate::stats::QueueMetrics::reader(m).expect("metric names were checked"))
            .collect();
        let values = result
            .queues
            .iter()
            .chain(std::iter::once(&result.overall))
            .map(|q| {
                readers
                    .iter()
                    // A non-finite value is undefined: JSON cannot hold it
                    // and the estimate skips it anyway.
                    .map(|r| r(q).filter(|v| v.is_finite()))
                    .collect()
            })
            .collect();
        PairResult {
            point,
            replication,
            values,
        }
    }
}

/// One queue of one point in `sweep.json`.
#[derive(Serialize)]
struct QueueRow<'a> {
    queue: &'a str,
    /// Per metric: mean and 95% CI over the replications where defined.
    metrics: BTreeMap<&'a str, Option<Estimate>>,
}

#[derive(Serialize)]
struct PointRow<'a> {
    point: u64,
    values: BTreeMap<&'a str, &'a serde_json::Value>,
    queues: Vec<QueueRow<'a>>,
}

#[derive(Serialize)]
struct SweepJson<'a> {
    #[serde(flatten)]
    header: &'a SweepHeader,
    results: Vec<PointRow<'a>>,
}

/// `sweep.csv` and `sweep.json`, as bytes.
#[derive(Debug)]
pub struct Tables {
    /// `sweep.csv`.
    pub csv: Vec<u8>,
    /// `sweep.json`.
    pub json: Vec<u8>,
}

/// The value of an axis in a CSV cell (and `sweep --list`): numbers and
/// strings as they are, anything else as JSON.
pub fn cell(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Builds both files from a complete set of results (one per pair; the
/// caller checks completeness). Sorts `results` into (point, replication)
/// order.
pub fn tabulate(header: &SweepHeader, results: &mut [PairResult]) -> Tables {
    results.sort_by_key(|r| (r.point, r.replication));
    let reps = header.replications as usize;
    let mut csv_out = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    let mut head: Vec<String> = vec!["point".into()];
    head.extend(header.axes.iter().map(|a| a.key.clone()));
    head.push("queue".into());
    for m in &header.metrics {
        head.push(m.clone());
        head.push(format!("{m}_ci95_low"));
        head.push(format!("{m}_ci95_high"));
    }
    csv_out
        .write_record(&head)
        .expect("writing to memory cannot fail");
    let mut rows = Vec::new();
    for (p, pairs) in results.chunks(reps.max(1)).enumerate() {
        let p = p as u64;
        let values = header.point_values(p);
        let mut queues = Vec::new();
        for (q, queue) in header.queues.iter().enumerate() {
            let mut record: Vec<String> = vec![p.to_string()];
            record.extend(values.iter().map(|v| cell(v)));
            record.push(queue.clone());
            let mut metrics = BTreeMap::new();
            for (m, metric) in header.metrics.iter().enumerate() {
                let samples: Vec<Option<f64>> = pairs.iter().map(|r| r.values[q][m]).collect();
                let e = estimate_defined(&samples);
                record.push(f6(e.map(|e| e.mean)));
                record.push(f6(e.map(|e| e.ci95_low)));
                record.push(f6(e.map(|e| e.ci95_high)));
                metrics.insert(metric.as_str(), e);
            }
            csv_out
                .write_record(&record)
                .expect("writing to memory cannot fail");
            queues.push(QueueRow { queue, metrics });
        }
        rows.push(PointRow {
            point: p,
            values: header
                .axes
                .iter()
                .map(|a| a.key.as_str())
                .zip(values)
                .collect(),
            queues,
        });
    }
    let csv = csv_out.into_inner().expect("writing to memory cannot fail");
    let mut json = serde_json::to_vec_pretty(&SweepJson {
        header,
        results: rows,
    })
    .expect("plain data serialises");
    json.push(b'\n');
    Tables { csv, json }
}

/// The queue names a sweep tabulates: the scenario's, then `ALL`.
pub fn queue_names(scenario: &crate::scenario::Scenario) -> Vec<String> {
    scenario
        .queues
        .iter()
        .map(|q| q.name.clone())
        .chain(std::iter::once(ALL_QUEUES.to_string()))
        .collect()
}
