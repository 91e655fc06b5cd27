//! The judge the search asks: simulate a candidate head-count and say
//! whether the interval meets its queues' targets.
//!
//! Each candidate runs a window of the day: a look-back of the intervals
//! before the judged one, staffed as already chosen, so the backlog they
//! leave is carried in; the judged interval; and the interval after it
//! with the candidate's head-count, so items arriving late in the judged
//! interval are answered or abandoned as they would be, not cut off by
//! the end of the run. A window that starts the day keeps the scenario's
//! warm-up; one that starts later starts empty, and its look-back (an hour
//! by default, many times the time a queue takes to settle) brings it to
//! the state the day would have reached. Replication `r` of every
//! candidate uses the same random streams (common random numbers): two
//! candidates differ only by the agents added or removed, which keeps the
//! comparison sharp with few replications.
//!
//! A target is met when its whole 95% confidence interval is on the right
//! side: the lower bound of the service level at or above its target, the
//! upper bound of abandonment, ASA and agents' occupancy at or below
//! theirs. A queue with nothing offered in the interval meets everything.

use super::candidate::window;
use super::search::{Judge, Verdict};
use crate::engine::{run_replication, RunOptions};
use crate::events::EventSink;
use crate::scenario::Scenario;
use crate::stats::precision::PrecisionTarget;
use crate::stats::{estimate_defined, MetricsCollector, QueueMetrics};
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// Judges candidates of one interval by simulation.
#[derive(Debug)]
pub struct SimulationJudge<'a> {
    /// The scenario planned, from [`super::candidate::planning_base`].
    pub base: &'a Scenario,
    /// Head-count per interval (then per group) already chosen.
    pub chosen: &'a [Vec<u32>],
    /// The interval judged.
    pub interval: usize,
    /// Intervals simulated before the judged one (the backlog they leave
    /// is carried in); the window starts empty unless it starts the day.
    pub lookback: usize,
    /// Replications per candidate to start with.
    pub replications: u32,
    /// Largest number of replications `precision` may grow to.
    pub max_replications: u32,
    /// Half-widths each judged figure must reach before it is judged
    /// (`--precision`); empty = judge after `replications`.
    pub precision: &'a [PrecisionTarget],
    /// Threads running replications; verdicts do not depend on it.
    pub jobs: usize,
    /// Replications run so far, for the cost report.
    pub runs: usize,
    /// Per-replication figures of every candidate judged in this interval,
    /// so a candidate met twice (grow then trim) is simulated once and the
    /// chosen one's figures can be reported.
    pub seen: HashMap<Vec<u32>, Vec<Vec<QueueMetrics>>>,
}

impl SimulationJudge<'_> {
    /// The scenario of one candidate: the window of the day ending with
    /// the interval after the judged one, and where the judged interval
    /// sits in it.
    fn scenario_of(&self, candidate: &[u32]) -> (Scenario, usize) {
        let intervals = super::interval_count(self.base);
        let first = self.interval.saturating_sub(self.lookback);
        let mut rows: Vec<Vec<u32>> = self.chosen[first..self.interval].to_vec();
        rows.push(candidate.to_vec());
        if self.interval + 1 < intervals {
            rows.push(candidate.to_vec());
        }
        (window(self.base, first, &rows), self.interval - first)
    }

    /// Runs replications `reps` of every candidate, `jobs` at a time, and
    /// returns each candidate's figures of the judged interval.
    fn simulate(&mut self, candidates: &[Vec<u32>], reps: &[std::ops::Range<u32>]) -> Figures {
        let built: Vec<(Arc<Scenario>, usize)> = candidates
            .iter()
            .map(|c| {
                let (s, at) = self.scenario_of(c);
                (Arc::new(s), at)
            })
            .collect();
        let tasks: Vec<(usize, u32)> = reps
            .iter()
            .enumerate()
            .flat_map(|(c, range)| range.clone().map(move |r| (c, r)))
            .collect();
        self.runs += tasks.len();
        let slots: Vec<Mutex<Option<Vec<QueueMetrics>>>> =
            (0..tasks.len()).map(|_| Mutex::new(None)).collect();
        let next = AtomicUsize::new(0);
        std::thread::scope(|scope| {
            for _ in 0..self.jobs.clamp(1, tasks.len().max(1)) {
                scope.spawn(|| loop {
                    let t = next.fetch_add(1, Ordering::SeqCst);
                    let Some(&(c, r)) = tasks.get(t) else {
                        break;
                    };
                    let (scenario, at) = &built[c];
                    let mut metrics = MetricsCollector::new(scenario);
                    run_replication(
                        scenario.clone(),
                        &mut [&mut metrics as &mut dyn EventSink],
                        RunOptions {
                            replication: r,
                            ..Default::default()
                        },
                    );
                    let queues = metrics
                        .into_result()
                        .intervals
                        .get(*at)
                        .map(|iv| iv.queues.clone())
                        .unwrap_or_default();
                    *slots[t].lock().expect("no panics while held") = Some(queues);
                });
            }
        });
        let mut out: Figures = vec![Vec::new(); candidates.len()];
        for ((c, _), slot) in tasks.iter().zip(slots) {
            out[*c].push(
                slot.into_inner()
                    .expect("threads joined")
                    .unwrap_or_default(),
            );
        }
        out
    }

    /// Whether every figure `precision` names has reached its half-width
    /// in every queue (a figure undefined in a queue does not hold it
    /// back).
    fn precise(&self, per_rep: &[Vec<QueueMetrics>]) -> bool {
        self.precision.iter().all(|t| {
            let Some(read) = QueueMetrics::reader(&t.metric) else {
                return true;
            };
            (0..self.base.queues.len()).all(|q| {
                achieved(per_rep, q, read).is_none_or(|a| (a.high - a.low) / 2.0 <= t.half_width)
            })
        })
    }
}

/// Per candidate, per replication: the judged interval's per-queue figures.
type Figures = Vec<Vec<Vec<QueueMetrics>>>;

impl Judge for SimulationJudge<'_> {
    fn judge(&mut self, candidates: &[Vec<u32>]) -> Vec<Verdict> {
        let mut unique: Vec<Vec<u32>> = Vec::new();
        for c in candidates {
            if !self.seen.contains_key(c) && !unique.contains(c) {
                unique.push(c.clone());
            }
        }
        let first = vec![0..self.replications; unique.len()];
        let figures = self.simulate(&unique, &first);
        for (c, f) in unique.iter().zip(figures) {
            self.seen.insert(c.clone(), f);
        }
        // Sequential sampling: double the replications of every candidate
        // whose judged figures are not yet precise enough.
        loop {
            let (needing, ranges): (Vec<Vec<u32>>, Vec<std::ops::Range<u32>>) = unique
                .iter()
                .filter_map(|c| {
                    let done = self.seen[c].len() as u32;
                    (done < self.max_replications && !self.precise(&self.seen[c]))
                        .then(|| (c.clone(), done..(done * 2).min(self.max_replications)))
                })
                .unzip();
            if needing.is_empty() {
                break;
            }
            let more = self.simulate(&needing, &ranges);
            for (c, f) in needing.iter().zip(more) {
                self.seen.get_mut(c).expect("simulated before").extend(f);
            }
        }
        candidates
            .iter()
            .map(|c| verdict(self.base, &self.seen[c]))
            .collect()
    }
}

/// One target of one queue in the judged interval, with the confidence
/// interval it is judged on.
#[derive(Clone, Debug, PartialEq)]
pub struct Achieved {
    /// Mean over the replications.
    pub mean: f64,
    /// 95% confidence interval, low end.
    pub low: f64,
    /// 95% confidence interval, high end.
    pub high: f64,
}

/// The 95% CI of one figure of queue `q` over the replications.
pub fn achieved(
    per_rep: &[Vec<QueueMetrics>],
    q: usize,
    f: impl Fn(&QueueMetrics) -> Option<f64>,
) -> Option<Achieved> {
    let values: Vec<Option<f64>> = per_rep.iter().map(|r| r.get(q).and_then(&f)).collect();
    estimate_defined(&values).map(|e| Achieved {
        mean: e.mean,
        low: e.ci95_low,
        high: e.ci95_high,
    })
}

/// The verdict on one candidate from its replications' figures.
pub fn verdict(scenario: &Scenario, per_rep: &[Vec<QueueMetrics>]) -> Verdict {
    let mut v = Verdict {
        met: true,
        shortfall: 0.0,
        margin: 0.0,
        failing_queues: Vec::new(),
    };
    for (q, queue) in scenario.queues.iter().enumerate() {
        let t = &queue.targets;
        // (figure, target, whether higher is better)
        let checks: [(Option<Achieved>, Option<f64>, bool); 4] = [
            (
                achieved(per_rep, q, |m| m.service_level),
                t.target_service_level,
                true,
            ),
            (
                achieved(per_rep, q, |m| m.p_abandon),
                t.max_abandon_rate,
                false,
            ),
            (
                achieved(per_rep, q, |m| m.asa_s),
                t.max_asa.map(|d| d.as_secs_f64()),
                false,
            ),
            (
                achieved(per_rep, q, |m| m.agents_occupancy),
                t.max_occupancy,
                false,
            ),
        ];
        let mut failing = false;
        for (figure, target, higher_is_better) in checks {
            let (Some(a), Some(target)) = (figure, target) else {
                continue;
            };
            let scale = target.abs().max(1e-9);
            let gap = if higher_is_better {
                (a.low - target) / scale
            } else {
                (target - a.high) / scale
            };
            if gap < 0.0 {
                failing = true;
                v.shortfall -= gap;
            } else {
                v.margin += gap;
            }
        }
        if failing {
            v.met = false;
            v.failing_queues.push(q);
        }
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scenario() -> Scenario {
        let text = r#"
[simulation]
name = "t"
duration = "1h"

[[channels]]
name = "calls"

[[statuses]]
name = "Available"
channels = ["calls"]

[[presence_configs]]
name = "Phone"
capacity = 1

[[queues]]
name = "A"
channel = "calls"
routing_model = "most_available"
capacity_weight = 1
target_service_level = 0.8
max_asa = "30s"

[[arrivals]]
queue = "A"
rate_per_hour = 10
handle_time = "4m"

[[agents]]
group = "Team"
count = 1
presence_config = "Phone"
status = "Available"
"#;
        Scenario::from_toml_str(text, "t.toml").unwrap()
    }

    fn reps(sl: &[f64], asa: f64) -> Vec<Vec<QueueMetrics>> {
        sl.iter()
            .map(|&v| {
                vec![QueueMetrics {
                    queue: "A".into(),
                    offered: 10,
                    service_level: Some(v),
                    asa_s: Some(asa),
                    ..QueueMetrics::default()
                }]
            })
            .collect()
    }

    #[test]
    fn a_target_is_met_only_when_its_whole_interval_is_on_the_right_side() {
        let s = scenario();
        // Mean 0.85 and a narrow interval: met, with a margin.
        let v = verdict(&s, &reps(&[0.84, 0.85, 0.86, 0.85], 10.0));
        assert!(v.met && v.margin > 0.0, "{v:?}");
        // Mean 0.85 but the interval reaches below 0.8: not met.
        let v = verdict(&s, &reps(&[0.70, 0.99, 0.75, 0.96], 10.0));
        assert!(!v.met && v.failing_queues == vec![0], "{v:?}");
        assert!(v.shortfall > 0.0);
        // ASA above its ceiling fails too, and adds to the shortfall.
        let v = verdict(&s, &reps(&[0.84, 0.85, 0.86, 0.85], 45.0));
        assert!(!v.met);
        assert!((v.shortfall - 0.5).abs() < 1e-9, "{v:?}");
        // Nothing offered: nothing to judge.
        let empty: Vec<Vec<QueueMetrics>> = (0..3).map(|_| vec![QueueMetrics::default()]).collect();
        assert!(verdict(&s, &empty).met);
    }
}
