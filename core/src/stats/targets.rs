//! Planning targets: whether each queue meets the service level, abandon
//! rate, speed of answer and agents' occupancy its scenario aims for.
//!
//! A target is judged on the mean over the replications, the same figure
//! `summary.json` reports, and shown with its 95% interval (from
//! [`estimate_defined`], the interval of every other estimate) so a reader
//! sees how sure the verdict is. A mean can meet a target while single
//! intervals of the day miss it badly, so each check also names the worst
//! reporting interval for its metric — where to look first.

use super::ci::estimate_defined;
use super::metrics::{QueueMetrics, ReplicationResult};
use crate::clock::DayClock;
use crate::scenario::QueueTargets;
use crate::time::{SimDuration, SimTime};
use serde::{Deserialize, Serialize};
use std::fmt::Write as _;

/// The metric a target constrains, named as in `summary.json` and
/// `intervals.csv` so a check can be traced to its columns.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TargetMetric {
    /// `service_level` (`target_service_level`).
    #[serde(rename = "service_level")]
    ServiceLevel,
    /// `p_abandon` (`max_abandon_rate`).
    #[serde(rename = "p_abandon")]
    AbandonRate,
    /// `asa_s` (`max_asa`).
    #[serde(rename = "asa_s")]
    Asa,
    /// `agents_occupancy` (`max_occupancy`): the occupancy of the agents
    /// who may take the queue's work, not the queue's share of the load.
    #[serde(rename = "agents_occupancy")]
    AgentsOccupancy,
}

impl TargetMetric {
    /// Its name in `summary.json` and `intervals.csv` (`service_level`,
    /// `p_abandon`, `asa_s`, `agents_occupancy`).
    pub fn name(self) -> &'static str {
        match self {
            TargetMetric::ServiceLevel => "service_level",
            TargetMetric::AbandonRate => "p_abandon",
            TargetMetric::Asa => "asa_s",
            TargetMetric::AgentsOccupancy => "agents_occupancy",
        }
    }

    /// The metric of one queue in one replication or interval.
    fn of(self, m: &QueueMetrics) -> Option<f64> {
        match self {
            TargetMetric::ServiceLevel => m.service_level,
            TargetMetric::AbandonRate => m.p_abandon,
            TargetMetric::Asa => m.asa_s,
            TargetMetric::AgentsOccupancy => m.agents_occupancy,
        }
    }

    /// Which side of the target is acceptable.
    pub fn bound(self) -> Bound {
        match self {
            TargetMetric::ServiceLevel => Bound::Min,
            TargetMetric::AbandonRate | TargetMetric::Asa | TargetMetric::AgentsOccupancy => {
                Bound::Max
            }
        }
    }

    /// How a reader is told the metric: the printed line and the report
    /// name it the same way.
    pub fn label(self) -> &'static str {
        match self {
            TargetMetric::ServiceLevel => "service level",
            TargetMetric::AbandonRate => "abandon rate",
            TargetMetric::Asa => "ASA",
            TargetMetric::AgentsOccupancy => "agents' occupancy",
        }
    }

    /// A value as the printed line shows it: fractions to three decimals,
    /// ASA in seconds to one.
    fn show(self, v: f64) -> String {
        match self {
            TargetMetric::Asa => format!("{v:.1} s"),
            _ => format!("{v:.3}"),
        }
    }
}

/// Whether a target is a floor or a ceiling; written into each check so a
/// reader of `summary.json` need not know which metric is which.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Bound {
    /// Met when the mean is at least the target.
    Min,
    /// Met when the mean is at most the target.
    Max,
}

impl Bound {
    /// Whether `value` is on the acceptable side of `target` (the target
    /// itself included).
    pub fn accepts(self, value: f64, target: f64) -> bool {
        match self {
            Bound::Min => value >= target,
            Bound::Max => value <= target,
        }
    }

    /// Whether `a` is worse than `b` for this bound.
    fn worse(self, a: f64, b: f64) -> bool {
        match self {
            Bound::Min => a < b,
            Bound::Max => a > b,
        }
    }

    /// `≥` or `≤`: how a target is written, here and in the report.
    pub fn symbol(self) -> &'static str {
        match self {
            Bound::Min => "≥",
            Bound::Max => "≤",
        }
    }
}

/// The reporting interval where a metric is worst.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WorstInterval {
    /// Its index, as in the `interval` column of `intervals.csv`.
    pub interval: usize,
    /// Start, in seconds from the start of measurement (the end of the
    /// warm-up), so that the first interval starts at 0.
    pub start_s: f64,
    /// End (exclusive), in seconds from the start of measurement.
    pub end_s: f64,
    /// Start as a clock time, as in the `start` column of `intervals.csv`.
    pub start: String,
    /// End as a clock time.
    pub end: String,
    /// The metric there: its mean over the replications that define it, as
    /// in `intervals.csv`.
    pub value: f64,
}

/// One target of one queue, checked. Field order is the key order of the
/// `targets` entries of `summary.json`, which a report reads back into
/// this type.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TargetCheck {
    /// The queue.
    pub queue: String,
    /// The metric constrained.
    pub metric: TargetMetric,
    /// Floor or ceiling.
    pub bound: Bound,
    /// The target (a fraction, or seconds for `asa_s`).
    pub target: f64,
    /// Mean of the metric over the replications that define it; `None`
    /// when none does.
    pub mean: Option<f64>,
    /// Lower end of its 95% interval.
    pub ci95_low: Option<f64>,
    /// Upper end of its 95% interval.
    pub ci95_high: Option<f64>,
    /// Whether the mean meets the target; `None` when there is no mean
    /// (nothing offered, or nothing answered for ASA): no verdict rather
    /// than a guess.
    pub met: Option<bool>,
    /// The reporting interval where the metric is worst; `None` when no
    /// interval defines it.
    pub worst_interval: Option<WorstInterval>,
}

/// Checks every target of every queue against the replications.
///
/// `queues` are the queue names and targets in scenario order (the order
/// of the checks; within a queue: service level, abandon rate, ASA,
/// agents' occupancy); `clock` is the day's clock: the worst interval's
/// bounds are counted in seconds from the end of the warm-up and labelled
/// in clock time.
pub fn check_targets(
    queues: &[(String, QueueTargets)],
    replications: &[ReplicationResult],
    clock: &DayClock,
) -> Vec<TargetCheck> {
    let mut checks = Vec::new();
    for (q, (name, targets)) in queues.iter().enumerate() {
        let wanted = [
            (TargetMetric::ServiceLevel, targets.target_service_level),
            (TargetMetric::AbandonRate, targets.max_abandon_rate),
            (TargetMetric::Asa, targets.max_asa.map(|d| d.as_secs_f64())),
            (TargetMetric::AgentsOccupancy, targets.max_occupancy),
        ];
        for (metric, target) in wanted {
            if let Some(target) = target {
                checks.push(check(name, q, metric, target, replications, clock));
            }
        }
    }
    checks
}

fn check(
    name: &str,
    q: usize,
    metric: TargetMetric,
    target: f64,
    replications: &[ReplicationResult],
    clock: &DayClock,
) -> TargetCheck {
    let measure_start_s = clock.measured_start().as_secs_f64();
    let bound = metric.bound();
    let per_rep: Vec<Option<f64>> = replications
        .iter()
        .map(|r| r.queues.get(q).and_then(|m| metric.of(m)))
        .collect();
    let estimate = estimate_defined(&per_rep);
    let intervals = replications
        .iter()
        .map(|r| r.intervals.len())
        .max()
        .unwrap_or(0);
    let mut worst: Option<WorstInterval> = None;
    for i in 0..intervals {
        let values: Vec<Option<f64>> = replications
            .iter()
            .map(|r| {
                r.intervals
                    .get(i)
                    .and_then(|iv| iv.queues.get(q))
                    .and_then(|m| metric.of(m))
            })
            .collect();
        let Some(e) = estimate_defined(&values) else {
            continue;
        };
        // Strictly worse only: on a tie the earliest interval stays.
        if worst.as_ref().is_none_or(|w| bound.worse(e.mean, w.value)) {
            let iv = replications
                .iter()
                .find_map(|r| r.intervals.get(i))
                .expect("some replication has interval i");
            // Instants are whole microseconds; rounding there keeps a
            // difference of two such seconds from printing as 0.30000000000000004.
            let since_start = |s: f64| ((s - measure_start_s) * 1e6).round() / 1e6;
            let label = |s: f64| clock.label(SimTime::ZERO + SimDuration::from_secs_f64(s));
            worst = Some(WorstInterval {
                interval: i,
                start_s: since_start(iv.start_s),
                end_s: since_start(iv.end_s),
                start: label(iv.start_s),
                end: label(iv.end_s),
                value: e.mean,
            });
        }
    }
    TargetCheck {
        queue: name.to_string(),
        metric,
        bound,
        target,
        mean: estimate.map(|e| e.mean),
        ci95_low: estimate.map(|e| e.ci95_low),
        ci95_high: estimate.map(|e| e.ci95_high),
        met: estimate.map(|e| bound.accepts(e.mean, target)),
        worst_interval: worst,
    }
}

/// The lines `omnisim run` prints after its table: a heading, then one
/// line per check, e.g.
///
/// ```text
/// targets (met or not on the mean over the replications):
///   Chat: service level ≥ 0.8: NOT met, mean 0.743 (95% CI 0.721–0.765); worst interval 09:00–09:30: 0.412
/// ```
///
/// Empty when there are no checks, so a scenario without targets prints
/// nothing more than before.
pub fn render_targets(checks: &[TargetCheck]) -> String {
    let mut out = String::new();
    if checks.is_empty() {
        return out;
    }
    out.push_str("targets (met or not on the mean over the replications):\n");
    for c in checks {
        let m = c.metric;
        let target = match m {
            TargetMetric::Asa => format!("{} s", c.target),
            _ => c.target.to_string(),
        };
        let _ = write!(
            out,
            "  {}: {} {} {}: ",
            c.queue,
            m.label(),
            c.bound.symbol(),
            target
        );
        match (c.met, c.mean, c.ci95_low, c.ci95_high) {
            (Some(met), Some(mean), Some(low), Some(high)) => {
                let _ = write!(
                    out,
                    "{}, mean {} (95% CI {}–{})",
                    if met { "met" } else { "NOT met" },
                    m.show(mean),
                    m.show(low).trim_end_matches(" s"),
                    m.show(high)
                );
                if let Some(w) = &c.worst_interval {
                    let _ = write!(
                        out,
                        "; worst interval {}–{}: {}",
                        w.start,
                        w.end,
                        m.show(w.value)
                    );
                }
            }
            _ => out.push_str("no data (not defined in any replication)"),
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::metrics::IntervalMetrics;
    use crate::time::SimDuration;

    /// A queue's figures: service level, p_abandon, ASA.
    fn m(sl: Option<f64>, abandon: Option<f64>, asa: Option<f64>) -> QueueMetrics {
        QueueMetrics {
            queue: "Chat".into(),
            service_level: sl,
            p_abandon: abandon,
            asa_s: asa,
            ..QueueMetrics::default()
        }
    }

    /// A replication of one queue: its window figures and one entry per
    /// 1800 s interval, measured from a 600 s warm-up.
    fn rep(window: QueueMetrics, intervals: Vec<QueueMetrics>) -> ReplicationResult {
        ReplicationResult {
            overall: window.clone(),
            queues: vec![window],
            intervals: intervals
                .into_iter()
                .enumerate()
                .map(|(i, q)| IntervalMetrics {
                    index: i,
                    start_s: 600.0 + 1800.0 * i as f64,
                    end_s: 600.0 + 1800.0 * (i + 1) as f64,
                    queues: vec![q.clone()],
                    overall: q,
                })
                .collect(),
            agents: vec![],
        }
    }

    /// A day starting at midnight after `warmup_s` of warm-up.
    fn clock(warmup_s: u64) -> DayClock {
        DayClock::midnight(SimDuration::from_secs(warmup_s))
    }

    fn targets(t: QueueTargets) -> Vec<(String, QueueTargets)> {
        vec![("Chat".into(), t)]
    }

    #[test]
    fn a_floor_is_met_at_or_above_it_and_names_the_lowest_interval() {
        let reps = [
            rep(
                m(Some(0.8), None, None),
                vec![
                    m(Some(0.9), None, None),
                    m(Some(0.5), None, None),
                    m(Some(0.9), None, None),
                ],
            ),
            rep(
                m(Some(0.9), None, None),
                vec![
                    m(Some(1.0), None, None),
                    m(Some(0.7), None, None),
                    m(None, None, None),
                ],
            ),
        ];
        let t = QueueTargets {
            target_service_level: Some(0.85),
            ..QueueTargets::default()
        };
        let c = &check_targets(&targets(t), &reps, &clock(600))[0];
        assert_eq!(
            (c.metric, c.bound, c.target),
            (TargetMetric::ServiceLevel, Bound::Min, 0.85)
        );
        assert!((c.mean.unwrap() - 0.85).abs() < 1e-12);
        assert_eq!(c.met, Some(true), "the target itself is met");
        // t(0.975, 1) · sd / √2 with sd = 0.0707…: 12.706 · 0.05.
        let half = c.ci95_high.unwrap() - c.mean.unwrap();
        assert!((half - 12.706_2 * 0.05).abs() < 1e-3, "{c:?}");
        let w = c.worst_interval.as_ref().unwrap();
        assert_eq!((w.interval, w.start_s, w.end_s), (1, 1800.0, 3600.0));
        assert!((w.value - 0.6).abs() < 1e-12);

        let t = QueueTargets {
            target_service_level: Some(0.86),
            ..QueueTargets::default()
        };
        assert_eq!(
            check_targets(&targets(t), &reps, &clock(600))[0].met,
            Some(false)
        );
    }

    #[test]
    fn ceilings_are_met_at_or_below_them_and_name_the_highest_interval() {
        let reps = [rep(
            m(Some(1.0), Some(0.1), Some(40.0)),
            vec![
                m(None, Some(0.2), Some(50.0)),
                m(None, Some(0.2), Some(20.0)),
                m(None, Some(0.05), Some(50.0)),
            ],
        )];
        let t = QueueTargets {
            target_service_level: None,
            max_abandon_rate: Some(0.05),
            max_asa: Some(SimDuration::from_secs(40)),
            max_occupancy: None,
            window: Default::default(),
        };
        let checks = check_targets(&targets(t), &reps, &clock(600));
        assert_eq!(checks.len(), 2);
        let (abandon, asa) = (&checks[0], &checks[1]);
        assert_eq!(
            (abandon.metric, abandon.bound),
            (TargetMetric::AbandonRate, Bound::Max)
        );
        assert_eq!(abandon.met, Some(false));
        // Equal worst values: the earliest interval is named.
        let w = abandon.worst_interval.as_ref().unwrap();
        assert_eq!((w.interval, w.start_s, w.value), (0, 0.0, 0.2));
        assert_eq!((asa.metric, asa.target), (TargetMetric::Asa, 40.0));
        assert_eq!(asa.met, Some(true), "40 s ≤ 40 s");
        assert_eq!(asa.worst_interval.as_ref().unwrap().interval, 0);
        // One replication: the interval collapses to the mean.
        assert_eq!((asa.ci95_low, asa.ci95_high), (Some(40.0), Some(40.0)));
    }

    #[test]
    fn max_occupancy_is_judged_on_the_agents_occupancy_not_the_queues_share() {
        let q = |agents: f64, share: f64| QueueMetrics {
            queue: "Chat".into(),
            occupancy: Some(share),
            agents_occupancy: Some(agents),
            ..QueueMetrics::default()
        };
        let t = QueueTargets {
            max_occupancy: Some(0.9),
            ..QueueTargets::default()
        };
        // Its agents at 95% while the queue's own share is only 20%.
        let busy = [rep(q(0.95, 0.2), vec![q(0.85, 0.2), q(0.97, 0.2)])];
        let checks = check_targets(&targets(t.clone()), &busy, &clock(600));
        let c = &checks[0];
        assert_eq!(
            (c.metric, c.bound, c.target, c.met),
            (TargetMetric::AgentsOccupancy, Bound::Max, 0.9, Some(false))
        );
        assert_eq!(c.worst_interval.as_ref().unwrap().interval, 1);
        assert_eq!(
            render_targets(&checks),
            "targets (met or not on the mean over the replications):\n  \
             Chat: agents' occupancy ≤ 0.9: NOT met, mean 0.950 (95% CI 0.950–0.950); \
             worst interval 00:30–01:00: 0.970\n"
        );
        assert_eq!(
            serde_json::to_value(c).unwrap()["metric"],
            "agents_occupancy"
        );
        let calm = [rep(q(0.9, 0.9), vec![q(0.9, 0.9)])];
        assert_eq!(
            check_targets(&targets(t), &calm, &clock(600))[0].met,
            Some(true)
        );
    }

    #[test]
    fn no_data_gives_no_verdict() {
        // Nothing answered: no ASA anywhere.
        let reps = [rep(
            m(Some(0.0), Some(1.0), None),
            vec![m(None, None, None)],
        )];
        let t = QueueTargets {
            max_asa: Some(SimDuration::from_secs(20)),
            ..QueueTargets::default()
        };
        let checks = check_targets(&targets(t), &reps, &clock(600));
        let c = &checks[0];
        assert_eq!((c.mean, c.ci95_low, c.ci95_high), (None, None, None));
        assert_eq!((c.met, &c.worst_interval), (None, &None));
        assert_eq!(
            render_targets(&checks),
            "targets (met or not on the mean over the replications):\n  \
             Chat: ASA ≤ 20 s: no data (not defined in any replication)\n"
        );
        let v = serde_json::to_value(c).unwrap();
        assert!(v["met"].is_null() && v["mean"].is_null() && v["worst_interval"].is_null());
        // No replications at all: the same.
        assert_eq!(
            check_targets(
                &targets(QueueTargets {
                    target_service_level: Some(0.8),
                    ..QueueTargets::default()
                }),
                &[],
                &clock(0)
            )[0]
            .met,
            None
        );
    }

    #[test]
    fn interval_bounds_count_from_the_end_of_the_warm_up_to_the_microsecond() {
        let mut r = rep(m(Some(0.5), None, None), vec![m(Some(0.5), None, None)]);
        r.intervals[0].start_s = 0.3;
        r.intervals[0].end_s = 0.7;
        let t = QueueTargets {
            target_service_level: Some(0.5),
            ..QueueTargets::default()
        };
        let c = &check_targets(&targets(t), &[r], &DayClock::midnight(SimDuration(100_000)))[0];
        let w = c.worst_interval.as_ref().unwrap();
        assert_eq!((w.start_s, w.end_s), (0.2, 0.6));
    }

    #[test]
    fn queues_without_targets_give_no_checks_and_no_lines() {
        let reps = [rep(m(Some(1.0), Some(0.0), Some(1.0)), vec![])];
        assert!(check_targets(&targets(QueueTargets::default()), &reps, &clock(0)).is_empty());
        assert_eq!(render_targets(&[]), "");
    }

    #[test]
    fn printed_lines_and_json_keys() {
        let reps = [
            rep(
                m(Some(0.7), Some(0.1), Some(30.0)),
                vec![
                    m(Some(0.9), Some(0.1), Some(10.0)),
                    m(Some(0.5), Some(0.1), Some(50.0)),
                ],
            ),
            rep(
                m(Some(0.9), Some(0.1), Some(10.0)),
                vec![
                    m(Some(0.9), Some(0.1), Some(10.0)),
                    m(Some(0.9), Some(0.1), Some(10.0)),
                ],
            ),
        ];
        let t = QueueTargets {
            target_service_level: Some(0.8),
            max_abandon_rate: Some(0.1),
            max_asa: Some(SimDuration::from_secs(15)),
            max_occupancy: None,
            window: Default::default(),
        };
        let checks = check_targets(&targets(t), &reps, &clock(600));
        let text = render_targets(&checks);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[1..],
            [
                "  Chat: service level ≥ 0.8: met, mean 0.800 (95% CI 0.000–2.071); \
                 worst interval 00:30–01:00: 0.700",
                "  Chat: abandon rate ≤ 0.1: met, mean 0.100 (95% CI 0.100–0.100); \
                 worst interval 00:00–00:30: 0.100",
                "  Chat: ASA ≤ 15 s: NOT met, mean 20.0 s (95% CI 0.0–147.1 s); \
                 worst interval 00:30–01:00: 30.0 s",
            ]
        );
        let c = &checks[2];
        let v = serde_json::to_string(c).unwrap();
        let expected = format!(
            "{{\"queue\":\"Chat\",\"metric\":\"asa_s\",\"bound\":\"max\",\"target\":15.0,\
             \"mean\":20.0,\"ci95_low\":{},\"ci95_high\":{},\"met\":false,\
             \"worst_interval\":{{\"interval\":1,\"start_s\":1800.0,\"end_s\":3600.0,\
             \"start\":\"00:30\",\"end\":\"01:00\",\"value\":30.0}}}}",
            serde_json::to_string(&c.ci95_low).unwrap(),
            serde_json::to_string(&c.ci95_high).unwrap(),
        );
        assert_eq!(v, expected);
    }
}
