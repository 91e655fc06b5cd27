//! The judge the search asks: simulate a candidate head-count and say
//! whether the interval meets its queues' targets ([`super::verdict`]
//! says how a target is judged).
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
//! **Sequential judging.** Every candidate first runs `replications`.
//! Judged in full ([`Depth::Full`]), a candidate whose verdict is still
//! open (some target's interval straddles it under the mean rule) or not
//! yet as precise as `--precision` asks has its replications doubled, up
//! to `--max-replications`: clear cases stay cheap and close ones are
//! resolved. Replications already run are kept for the interval, so a
//! candidate met again is not simulated again.

use super::candidate::window;
use super::search::{Depth, Judge};
use super::verdict::{verdict, Decision, JudgeRule, Tally, Verdict};
use crate::runner::RunError;
use crate::scenario::Scenario;
use crate::stats::precision::PrecisionTarget;
use crate::stats::{estimate_defined, QueueMetrics};
use std::collections::HashMap;
use std::sync::Arc;

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
    /// Largest number of replications sequential judging and `precision`
    /// may grow a candidate to.
    pub max_replications: u32,
    /// Half-widths each judged figure must reach before it is judged
    /// (`--precision`); empty = no such requirement.
    pub precision: &'a [PrecisionTarget],
    /// How targets are judged.
    pub rule: JudgeRule,
    /// Per queue: the mean counts of the earlier intervals of its target
    /// window, `None` for a queue judged on the interval alone.
    pub past: Vec<Option<Tally>>,
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
    fn simulate(
        &mut self,
        candidates: &[Vec<u32>],
        reps: &[std::ops::Range<u32>],
    ) -> Result<Figures, RunError> {
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
        let runs: Vec<(Arc<Scenario>, u32)> = tasks
            .iter()
            .map(|&(c, r)| (built[c].0.clone(), r))
            .collect();
        let results = super::replications::run_replications(&runs, self.jobs)?;
        let mut out: Figures = vec![Vec::new(); candidates.len()];
        for ((c, _), result) in tasks.iter().zip(results) {
            let at = built[*c].1;
            out[*c].push(
                result
                    .intervals
                    .get(at)
                    .map(|iv| iv.queues.clone())
                    .unwrap_or_default(),
            );
        }
        Ok(out)
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

    /// The verdict on a candidate from the replications it has.
    fn verdict_of(&self, c: &[u32]) -> Verdict {
        let per_rep = &self.seen[c];
        let at_cap = per_rep.len() as u32 >= self.max_replications;
        verdict(self.base, per_rep, &self.past, self.rule, at_cap)
    }
}

/// Per candidate, per replication: the judged interval's per-queue figures.
type Figures = Vec<Vec<Vec<QueueMetrics>>>;

impl Judge for SimulationJudge<'_> {
    fn judge(&mut self, candidates: &[Vec<u32>], depth: Depth) -> Result<Vec<Verdict>, RunError> {
        let mut unique: Vec<Vec<u32>> = Vec::new();
        for c in candidates {
            if !unique.contains(c) {
                unique.push(c.clone());
            }
        }
        let new: Vec<Vec<u32>> = unique
            .iter()
            .filter(|c| !self.seen.contains_key(*c))
            .cloned()
            .collect();
        let first = vec![0..self.replications; new.len()];
        let figures = self.simulate(&new, &first)?;
        for (c, f) in new.iter().zip(figures) {
            self.seen.insert(c.clone(), f);
        }
        while depth == Depth::Full && self.extend_open(&unique)? {}
        Ok(candidates.iter().map(|c| self.verdict_of(c)).collect())
    }
}

impl SimulationJudge<'_> {
    /// One round of sequential sampling: doubles the replications of
    /// every candidate whose verdict is still open or whose figures are
    /// not yet precise enough; `false` when none needed more.
    fn extend_open(&mut self, unique: &[Vec<u32>]) -> Result<bool, RunError> {
        let (needing, ranges): (Vec<Vec<u32>>, Vec<std::ops::Range<u32>>) = unique
            .iter()
            .filter_map(|c| {
                let done = self.seen[c].len() as u32;
                let open = self.verdict_of(c).decision == Decision::Open;
                (done < self.max_replications && (open || !self.precise(&self.seen[c])))
                    .then(|| (c.clone(), done..(done * 2).min(self.max_replications)))
            })
            .unzip();
        if needing.is_empty() {
            return Ok(false);
        }
        let more = self.simulate(&needing, &ranges)?;
        for (c, f) in needing.iter().zip(more) {
            self.seen.get_mut(c).expect("simulated before").extend(f);
        }
        Ok(true)
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
