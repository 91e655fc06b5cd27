//! The real day beside the simulated ones: per interval, queue and
//! metric, the actual figure, the simulated mean with its 95% interval,
//! and the range a single simulated day falls in (the 95% prediction
//! interval of the replications: mean ± t·sd·√(1 + 1/n)), which is what
//! one real day should be compared with; then the mean absolute error and
//! the share of intervals in range per metric.

use super::actual::Actual;
use crate::stats::{estimate_defined, Estimate, ReplicationResult, QUEUE_METRICS};
use serde::Serialize;
use statrs::distribution::{ContinuousCDF, StudentsT};

/// The metrics compared, in `replay.csv` order.
pub const METRICS: [&str; 6] = [
    "offered",
    "answered",
    "service_level",
    "asa_s",
    "p_abandon",
    "occupancy",
];

/// One interval, queue and metric.
#[derive(Clone, Debug, Serialize)]
pub struct Row {
    /// Interval number, from 0.
    pub interval: usize,
    /// Its start, as a clock time.
    pub interval_start: String,
    /// The queue, or `ALL`.
    pub queue: String,
    /// The metric.
    pub metric: &'static str,
    /// The real day's figure.
    pub actual: Option<f64>,
    /// The simulated mean and its 95% interval.
    pub simulated: Option<Estimate>,
    /// The range one simulated day falls in, 95%.
    pub day_range: Option<(f64, f64)>,
    /// Simulated mean − actual.
    pub difference: Option<f64>,
    /// Whether the actual figure is in the day range.
    pub in_day_range: Option<bool>,
}

/// One metric over every interval and queue.
#[derive(Clone, Debug, Serialize)]
pub struct MetricSummary {
    /// The metric.
    pub metric: &'static str,
    /// Interval × queue cells where both figures are defined.
    pub compared: usize,
    /// Mean absolute difference between the simulated mean and the actual.
    pub mean_absolute_error: Option<f64>,
    /// Mean signed difference, simulated − actual: what a what-if changes.
    pub mean_difference: Option<f64>,
    /// Cells whose actual figure is in the day range.
    pub in_day_range: usize,
    /// Cells whose actual figure is in the 95% interval of the mean.
    pub in_mean_ci: usize,
}

/// Whether a metric is a share (0–1).
fn is_ratio(metric: &str) -> bool {
    matches!(metric, "service_level" | "p_abandon" | "occupancy")
}

/// The 95% prediction interval of one more value like `xs`.
fn day_range(xs: &[f64], ratio: bool) -> Option<(f64, f64)> {
    let n = xs.len();
    if n == 0 {
        return None;
    }
    let mean = xs.iter().sum::<f64>() / n as f64;
    let (lo, hi) = if n < 2 {
        (mean, mean)
    } else {
        let sd = (xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64).sqrt();
        let t = StudentsT::new(0.0, 1.0, (n - 1) as f64)
            .map(|d| d.inverse_cdf(0.975))
            .unwrap_or(f64::NAN);
        let half = t * sd * (1.0 + 1.0 / n as f64).sqrt();
        (mean - half, mean + half)
    };
    let top = if ratio { 1.0 } else { f64::INFINITY };
    Some((lo.max(0.0), hi.min(top)))
}

/// Compares the real day with the replications, interval by interval,
/// for the `queues` (names, in scenario order; `ALL` is added).
pub fn compare(
    actual: &Actual,
    results: &[ReplicationResult],
    queues: &[String],
    labels: &[String],
) -> (Vec<Row>, Vec<MetricSummary>) {
    let mut rows = Vec::new();
    for (i, label) in labels.iter().enumerate() {
        for q in 0..=queues.len() {
            let name = queues
                .get(q)
                .map_or(crate::stats::ALL_QUEUES, String::as_str);
            for metric in METRICS {
                let def = QUEUE_METRICS
                    .iter()
                    .find(|d| d.name == metric)
                    .expect("a metric of QueueMetrics");
                let sims: Vec<Option<f64>> = results
                    .iter()
                    .map(|r| {
                        r.intervals.get(i).and_then(|iv| {
                            let m = if q < queues.len() {
                                iv.queues.get(q)
                            } else {
                                Some(&iv.overall)
                            };
                            m.and_then(|m| (def.read)(m))
                        })
                    })
                    .collect();
                let defined: Vec<f64> = sims.iter().flatten().copied().collect();
                let simulated = estimate_defined(&sims);
                let range = day_range(&defined, is_ratio(metric));
                let a = actual.tallies.get(i).and_then(|row| row[q].metric(metric));
                let difference = match (a, &simulated) {
                    (Some(a), Some(s)) => Some(s.mean - a),
                    _ => None,
                };
                let in_day_range = match (a, range) {
                    (Some(a), Some((lo, hi))) => Some(a >= lo - 1e-9 && a <= hi + 1e-9),
                    _ => None,
                };
                rows.push(Row {
                    interval: i,
                    interval_start: label.clone(),
                    queue: name.to_string(),
                    metric,
                    actual: a,
                    simulated,
                    day_range: range,
                    difference,
                    in_day_range,
                });
            }
        }
    }
    let summary = METRICS
        .iter()
        .map(|m| {
            let cells: Vec<&Row> = rows
                .iter()
                .filter(|r| r.metric == *m && r.difference.is_some())
                .collect();
            let n = cells.len();
            MetricSummary {
                metric: m,
                compared: n,
                mean_absolute_error: (n > 0).then(|| {
                    cells
                        .iter()
                        .map(|r| r.difference.unwrap_or(0.0).abs())
                        .sum::<f64>()
                        / n as f64
                }),
                mean_difference: (n > 0).then(|| {
                    cells
                        .iter()
                        .map(|r| r.difference.unwrap_or(0.0))
                        .sum::<f64>()
                        / n as f64
                }),
                in_day_range: cells
                    .iter()
                    .filter(|r| r.in_day_range == Some(true))
                    .count(),
                in_mean_ci: cells
                    .iter()
                    .filter(|r| match (r.actual, &r.simulated) {
                        (Some(a), Some(s)) => a >= s.ci95_low - 1e-9 && a <= s.ci95_high + 1e-9,
                        _ => false,
                    })
                    .count(),
            }
        })
        .collect();
    (rows, summary)
}

/// The text of `replay.csv`: one row per interval, queue and metric.
pub fn replay_csv(rows: &[Row]) -> String {
    let num = |v: Option<f64>| v.map_or(String::new(), |v| format!("{v}"));
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "interval_start",
        "queue",
        "metric",
        "actual",
        "simulated",
        "simulated_ci95_low",
        "simulated_ci95_high",
        "day_range_low",
        "day_range_high",
        "difference",
        "in_day_range",
    ]);
    for r in rows {
        let _ = w.write_record([
            r.interval_start.clone(),
            r.queue.clone(),
            r.metric.to_string(),
            num(r.actual),
            num(r.simulated.as_ref().map(|s| s.mean)),
            num(r.simulated.as_ref().map(|s| s.ci95_low)),
            num(r.simulated.as_ref().map(|s| s.ci95_high)),
            num(r.day_range.map(|d| d.0)),
            num(r.day_range.map(|d| d.1)),
            num(r.difference),
            r.in_day_range.map_or(String::new(), |b| b.to_string()),
        ]);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_day_range_is_wider_than_the_mean_interval() {
        let xs = [0.8, 0.9, 0.85, 0.7, 0.95];
        let (lo, hi) = day_range(&xs, true).unwrap();
        let ci = crate::stats::estimate(&xs).unwrap();
        assert!(lo < ci.ci95_low && hi > ci.ci95_high);
        assert!(hi <= 1.0);
        assert_eq!(day_range(&[3.0], false), Some((3.0, 3.0)));
        assert_eq!(day_range(&[], false), None);
    }
}
