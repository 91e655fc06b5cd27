//! Whether a candidate head-count meets its interval's targets: a pure
//! function of the replications' figures, the targets and the rule, so
//! the judging is unit-tested without simulating anything.
//!
//! # The rules
//!
//! - **Mean** (the default, `--judge mean`): a target is met when its
//!   mean over the replications meets it, as `run` judges a target. The
//!   mean is known only to within its 95% confidence interval, so a
//!   target whose interval lies wholly on one side is *resolved*, and one
//!   whose interval straddles it asks for more replications; once the
//!   candidate has `--max-replications`, the mean decides (*at the cap*).
//! - **Lower bound** (`--judge lower-bound`): a target is met only when
//!   its whole interval is on the right side (the lower bound of a
//!   service level at or above its target, the upper bound of a ceiling
//!   at or below it). Cautious: with few replications it asks for more
//!   agents than the mean would.
//!
//! # Windows
//!
//! A queue whose `target_window` spans several intervals is judged on its
//! figures pooled over the window that ends with the judged interval: the
//! earlier intervals of the window enter with the counts their planned
//! head-count reached (their means over the replications), the judged one
//! with each replication's own, so the interval reflects the judged
//! interval's uncertainty. Service level and abandonment pool as ratios
//! of counts, ASA as total wait over answered items, agents' occupancy as
//! the mean over the intervals.

use super::judge::{achieved, Achieved};
use crate::scenario::Scenario;
use crate::stats::{QueueMetrics, TargetMetric};

/// How a target is judged on its confidence interval.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub enum JudgeRule {
    /// On the mean, with replications added while the interval straddles
    /// the target.
    #[default]
    Mean,
    /// On the whole interval: met only when it is wholly on the right side.
    LowerBound,
}

impl JudgeRule {
    /// The name `--judge` takes and the output files show.
    pub fn name(self) -> &'static str {
        match self {
            JudgeRule::Mean => "mean",
            JudgeRule::LowerBound => "lower-bound",
        }
    }
}

/// How one verdict was reached.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Every target's interval lies wholly on one side of it.
    Resolved,
    /// Some target's interval still straddled it when the candidate
    /// reached `--max-replications`; its mean decided.
    AtCap,
    /// Judged on the bounds of the intervals (`--judge lower-bound`).
    LowerBound,
    /// Some target's interval straddles it and more replications may
    /// resolve it: not a final verdict.
    Open,
}

impl Decision {
    /// As `staffing.csv` writes it.
    pub fn label(self) -> &'static str {
        match self {
            Decision::Resolved => "resolved",
            Decision::AtCap => "at the cap",
            Decision::LowerBound => "lower bound",
            Decision::Open => "open",
        }
    }
}

/// One target of one queue, judged.
#[derive(Clone, Debug, PartialEq)]
pub struct TargetVerdict {
    /// The queue, scenario order.
    pub queue: usize,
    /// The metric constrained.
    pub metric: TargetMetric,
    /// The figure over the queue's window, with its 95% interval.
    pub figure: Achieved,
    /// Whether it meets the target under the rule.
    pub met: bool,
    /// How far it clears (above 0) or misses (below 0) the target,
    /// relative to the target, on the figure the rule reads.
    pub gap: f64,
    /// How the verdict on this target was reached.
    pub decision: Decision,
}

/// What the judge says about one candidate head-count.
#[derive(Clone, Debug, PartialEq)]
pub struct Verdict {
    /// Every target of every queue of the interval met.
    pub met: bool,
    /// Sum over the targets not met of how far each misses, relative to
    /// its target (0 when `met`).
    pub shortfall: f64,
    /// Sum over the targets met of how far each clears them, relative to
    /// its target.
    pub margin: f64,
    /// The queues (scenario order) with a target not met.
    pub failing_queues: Vec<usize>,
    /// Every target judged, in queue order, then service level,
    /// abandonment, ASA, agents' occupancy.
    pub targets: Vec<TargetVerdict>,
    /// How the verdict was reached: `Open` when some target asks for more
    /// replications, else `AtCap` when some target was decided at the
    /// cap, else `Resolved` (or `LowerBound`).
    pub decision: Decision,
    /// Replications the verdict rests on.
    pub replications: u32,
}

impl Verdict {
    /// A verdict from its targets (the totals follow from them).
    pub fn from_targets(targets: Vec<TargetVerdict>, rule: JudgeRule, replications: u32) -> Self {
        let mut v = Verdict {
            met: true,
            shortfall: 0.0,
            margin: 0.0,
            failing_queues: Vec::new(),
            decision: match rule {
                JudgeRule::Mean => Decision::Resolved,
                JudgeRule::LowerBound => Decision::LowerBound,
            },
            targets: Vec::new(),
            replications,
        };
        for t in &targets {
            if t.met {
                v.margin += t.gap;
            } else {
                v.met = false;
                v.shortfall -= t.gap;
                if !v.failing_queues.contains(&t.queue) {
                    v.failing_queues.push(t.queue);
                }
            }
            v.decision = match (v.decision, t.decision) {
                (Decision::Open, _) | (_, Decision::Open) => Decision::Open,
                (Decision::AtCap, _) | (_, Decision::AtCap) => Decision::AtCap,
                (d, _) => d,
            };
        }
        v.targets = targets;
        v
    }

    /// The target this verdict misses by the most, relative to its
    /// target; `None` when it meets them all.
    pub fn worst_miss(&self) -> Option<&TargetVerdict> {
        self.targets
            .iter()
            .filter(|t| !t.met)
            .min_by(|a, b| a.gap.total_cmp(&b.gap))
    }
}

/// Sums of one queue's counts over intervals, from which a window's
/// figures are pooled.
#[derive(Copy, Clone, Debug, Default, PartialEq)]
pub struct Tally {
    /// Items offered.
    pub offered: f64,
    /// Items answered within the service-level threshold.
    pub within: f64,
    /// Items abandoned.
    pub abandoned: f64,
    /// Items answered.
    pub answered: f64,
    /// Total wait of the answered items \[s\].
    pub wait_s: f64,
    /// Sum of the agents' occupancy over the intervals that define it.
    pub occupancy: f64,
    /// Intervals that define the agents' occupancy.
    pub occupancy_intervals: f64,
}

impl Tally {
    /// One interval's figures as counts.
    pub fn of(m: &QueueMetrics) -> Tally {
        let offered = m.offered as f64;
        let answered = m.answered as f64;
        Tally {
            offered,
            within: m.service_level.map_or(0.0, |s| s * offered),
            abandoned: m.abandoned as f64,
            answered,
            wait_s: m.asa_s.map_or(0.0, |a| a * answered),
            occupancy: m.agents_occupancy.unwrap_or(0.0),
            occupancy_intervals: if m.agents_occupancy.is_some() {
                1.0
            } else {
                0.0
            },
        }
    }

    /// The mean tally over replications.
    pub fn mean(per_rep: &[Tally]) -> Tally {
        let n = per_rep.len().max(1) as f64;
        let mut t = per_rep.iter().fold(Tally::default(), |a, b| a.plus(b));
        t.offered /= n;
        t.within /= n;
        t.abandoned /= n;
        t.answered /= n;
        t.wait_s /= n;
        t.occupancy /= n;
        t.occupancy_intervals /= n;
        t
    }

    /// Both tallies together.
    pub fn plus(&self, o: &Tally) -> Tally {
        Tally {
            offered: self.offered + o.offered,
            within: self.within + o.within,
            abandoned: self.abandoned + o.abandoned,
            answered: self.answered + o.answered,
            wait_s: self.wait_s + o.wait_s,
            occupancy: self.occupancy + o.occupancy,
            occupancy_intervals: self.occupancy_intervals + o.occupancy_intervals,
        }
    }

    /// The pooled figures, as one interval's [`QueueMetrics`] would give
    /// them (undefined where their denominator is 0).
    pub fn figures(&self) -> QueueMetrics {
        let ratio = |a: f64, b: f64| (b > 0.0).then(|| a / b);
        QueueMetrics {
            offered: self.offered.round() as u64,
            service_level: ratio(self.within, self.offered),
            p_abandon: ratio(self.abandoned, self.offered),
            asa_s: ratio(self.wait_s, self.answered),
            agents_occupancy: ratio(self.occupancy, self.occupancy_intervals),
            ..QueueMetrics::default()
        }
    }
}

/// Reads a target's metric from one queue's figures.
fn read(metric: TargetMetric, m: &QueueMetrics) -> Option<f64> {
    match metric {
        TargetMetric::ServiceLevel => m.service_level,
        TargetMetric::AbandonRate => m.p_abandon,
        TargetMetric::Asa => m.asa_s,
        TargetMetric::AgentsOccupancy => m.agents_occupancy,
    }
}

/// The targets of one queue, in the order verdicts list them.
pub fn queue_targets(scenario: &Scenario, q: usize) -> Vec<(TargetMetric, f64)> {
    let t = &scenario.queues[q].targets;
    [
        (TargetMetric::ServiceLevel, t.target_service_level),
        (TargetMetric::AbandonRate, t.max_abandon_rate),
        (TargetMetric::Asa, t.max_asa.map(|d| d.as_secs_f64())),
        (TargetMetric::AgentsOccupancy, t.max_occupancy),
    ]
    .into_iter()
    .filter_map(|(m, v)| v.map(|v| (m, v)))
    .collect()
}

/// The verdict on one candidate from its replications' figures of the
/// judged interval (`per_rep[r][q]`). `past[q]` is `Some` for a queue
/// whose window reaches back before the judged interval: the mean counts
/// of those earlier intervals, pooled with each replication's. `at_cap`
/// says the candidate may get no more replications.
pub fn verdict(
    scenario: &Scenario,
    per_rep: &[Vec<QueueMetrics>],
    past: &[Option<Tally>],
    rule: JudgeRule,
    at_cap: bool,
) -> Verdict {
    let mut targets = Vec::new();
    for q in 0..scenario.queues.len() {
        let wanted = queue_targets(scenario, q);
        if wanted.is_empty() {
            continue;
        }
        let pooled: Option<Vec<Vec<QueueMetrics>>> = past.get(q).copied().flatten().map(|p| {
            per_rep
                .iter()
                .map(|r| {
                    let here = r.get(q).map_or(Tally::default(), Tally::of);
                    vec![p.plus(&here).figures()]
                })
                .collect()
        });
        let (figures, at): (&[Vec<QueueMetrics>], usize) = match &pooled {
            Some(p) => (p, 0),
            None => (per_rep, q),
        };
        for (metric, target) in wanted {
            let Some(a) = achieved(figures, at, |m| read(metric, m)) else {
                continue;
            };
            targets.push(judge_target(q, metric, target, a, rule, at_cap));
        }
    }
    Verdict::from_targets(targets, rule, per_rep.len() as u32)
}

/// One target under the rule.
fn judge_target(
    queue: usize,
    metric: TargetMetric,
    target: f64,
    a: Achieved,
    rule: JudgeRule,
    at_cap: bool,
) -> TargetVerdict {
    let higher_is_better = metric == TargetMetric::ServiceLevel;
    let scale = target.abs().max(1e-9);
    // Signed distances of the mean and both ends, > 0 on the good side.
    let side = |v: f64| {
        if higher_is_better {
            (v - target) / scale
        } else {
            (target - v) / scale
        }
    };
    let (worst_end, best_end) = if higher_is_better {
        (side(a.low), side(a.high))
    } else {
        (side(a.high), side(a.low))
    };
    let (met, gap, decision) = match rule {
        JudgeRule::LowerBound => (worst_end >= 0.0, worst_end, Decision::LowerBound),
        JudgeRule::Mean => {
            let mean = side(a.mean);
            if worst_end >= 0.0 {
                (true, mean, Decision::Resolved)
            } else if best_end < 0.0 {
                (false, mean, Decision::Resolved)
            } else if at_cap {
                (mean >= 0.0, mean, Decision::AtCap)
            } else {
                (mean >= 0.0, mean, Decision::Open)
            }
        }
    };
    TargetVerdict {
        queue,
        metric,
        figure: a,
        met,
        gap,
        decision,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scenario(window: &str) -> Scenario {
        let text = format!(
            r#"
[simulation]
name = "t"
duration = "2h"

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
target_window = "{window}"

[[arrivals]]
queue = "A"
rate_per_hour = 10
handle_time = "4m"

[[agents]]
group = "Team"
count = 1
presence_config = "Phone"
status = "Available"
"#
        );
        Scenario::from_toml_str(&text, "t.toml").unwrap()
    }

    fn reps(sl: &[f64], asa: f64) -> Vec<Vec<QueueMetrics>> {
        sl.iter()
            .map(|&v| {
                vec![QueueMetrics {
                    queue: "A".into(),
                    offered: 10,
                    answered: 10,
                    service_level: Some(v),
                    asa_s: Some(asa),
                    ..QueueMetrics::default()
                }]
            })
            .collect()
    }

    #[test]
    fn the_lower_bound_rule_needs_the_whole_interval_on_the_right_side() {
        let s = scenario("interval");
        let lb = JudgeRule::LowerBound;
        let v = verdict(
            &s,
            &reps(&[0.84, 0.85, 0.86, 0.85], 10.0),
            &[None],
            lb,
            false,
        );
        assert!(v.met && v.margin > 0.0, "{v:?}");
        assert_eq!(v.decision, Decision::LowerBound);
        // Mean 0.85 but the interval reaches below 0.8: not met.
        let v = verdict(
            &s,
            &reps(&[0.70, 0.99, 0.75, 0.96], 10.0),
            &[None],
            lb,
            false,
        );
        assert!(!v.met && v.failing_queues == vec![0], "{v:?}");
        // ASA above its ceiling adds its miss to the shortfall.
        let v = verdict(
            &s,
            &reps(&[0.84, 0.85, 0.86, 0.85], 45.0),
            &[None],
            lb,
            false,
        );
        assert!((v.shortfall - 0.5).abs() < 1e-9, "{v:?}");
        assert_eq!(v.worst_miss().unwrap().metric, TargetMetric::Asa);
        // Nothing offered: nothing to judge.
        let empty: Vec<Vec<QueueMetrics>> = (0..3).map(|_| vec![QueueMetrics::default()]).collect();
        assert!(verdict(&s, &empty, &[None], lb, false).met);
    }

    #[test]
    fn the_mean_rule_resolves_clear_cases_and_leaves_straddling_ones_open_until_the_cap() {
        let s = scenario("interval");
        let mean = JudgeRule::Mean;
        // Clearly above: resolved, met.
        let v = verdict(
            &s,
            &reps(&[0.90, 0.91, 0.92, 0.91], 10.0),
            &[None],
            mean,
            false,
        );
        assert_eq!((v.met, v.decision), (true, Decision::Resolved));
        // Clearly below: resolved, not met.
        let v = verdict(
            &s,
            &reps(&[0.60, 0.61, 0.62, 0.61], 10.0),
            &[None],
            mean,
            false,
        );
        assert_eq!((v.met, v.decision), (false, Decision::Resolved));
        // Mean 0.85 with a wide interval: open, leaning met.
        let wide = reps(&[0.70, 0.99, 0.75, 0.96], 10.0);
        let v = verdict(&s, &wide, &[None], mean, false);
        assert_eq!((v.met, v.decision), (true, Decision::Open));
        // At the cap the mean decides.
        let v = verdict(&s, &wide, &[None], mean, true);
        assert_eq!((v.met, v.decision), (true, Decision::AtCap));
        let low = reps(&[0.60, 0.95, 0.65, 0.94], 10.0);
        let v = verdict(&s, &low, &[None], mean, true);
        assert_eq!((v.met, v.decision), (false, Decision::AtCap));
    }

    #[test]
    fn a_window_pools_the_earlier_intervals_counts_with_each_replication() {
        let s = scenario("1h");
        // The judged interval alone misses (0.7), but the earlier one of
        // its window answered 95 of 100 within the threshold.
        let past = Tally {
            offered: 100.0,
            within: 95.0,
            answered: 100.0,
            wait_s: 500.0,
            ..Tally::default()
        };
        let here = reps(&[0.69, 0.70, 0.71, 0.70], 10.0);
        let alone = verdict(&s, &here, &[None], JudgeRule::Mean, false);
        assert!(!alone.met);
        let pooled = verdict(&s, &here, &[Some(past)], JudgeRule::Mean, false);
        assert!(pooled.met, "{pooled:?}");
        let sl = &pooled.targets[0];
        // (95 + 7) / 110
        assert!((sl.figure.mean - 102.0 / 110.0).abs() < 1e-9, "{sl:?}");
        // ASA: (500 + 100) / 110 answered.
        assert!((pooled.targets[1].figure.mean - 600.0 / 110.0).abs() < 1e-9);
    }

    #[test]
    fn a_tally_gives_back_the_figures_it_was_made_of() {
        let m = QueueMetrics {
            offered: 20,
            answered: 18,
            abandoned: 2,
            service_level: Some(0.75),
            asa_s: Some(12.0),
            p_abandon: Some(0.1),
            agents_occupancy: Some(0.8),
            ..QueueMetrics::default()
        };
        let f = Tally::of(&m).figures();
        assert_eq!(f.service_level, Some(0.75));
        assert_eq!(f.p_abandon, Some(0.1));
        assert_eq!(f.asa_s, Some(12.0));
        assert_eq!(f.agents_occupancy, Some(0.8));
        let two = Tally::mean(&[Tally::of(&m), Tally::default()]);
        assert_eq!(two.offered, 10.0);
    }
}
