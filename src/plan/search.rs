//! The staffing search for one interval: a plain function of a judge, so
//! the allocation rule is unit-tested without simulating anything.
//!
//! # The rule (the default, [`Strategy::Cheapest`])
//!
//! 1. **Start** from the cheapest split ([`super::split`]), clamped to
//!    each group's limits.
//! 2. **Grow.** While some target is not met, try one more agent in each
//!    group that may take the work of a queue missing a target; when all
//!    of those are at their maximum, in each group that *relieves* such a
//!    queue — any group of the queue's pool (groups and queues linked by
//!    "may take"), since an agent added to a group that takes other work
//!    frees the agents who may take the failing queue's. Candidates are
//!    judged quickly on their first replications; keep the one that meets
//!    every target at least cost, or else the one that removes most
//!    shortfall per unit of cost (ties: the group listed first), and judge
//!    it in full.
//! 3. **Trim.** Then, while a group can lose agents and every target is
//!    still met, remove them: first in steps of an eighth of the group (at
//!    least one agent), then one at a time. The removals are ranked on
//!    their first replications by what they cost the targets (the drop in
//!    the sum of every target's relative margin) per unit of cost saved,
//!    and the least harmful that still meets every target is taken: an
//!    agent of an overstaffed group goes before one the targets lean on,
//!    a dear one before a cheap one that does as much.
//!
//! **What it guarantees.** The result meets every target of the interval
//! on the judge's criterion, within every group's limits, and removing
//! any one agent from any group that is above its minimum misses some
//! target ("one-minimal"). With one group that is the minimum head-count.
//! Between groups it is a local optimum around the linear programme's
//! cheapest mix: it is never dearer than the rounded mix when that mix
//! meets the targets, but two groups trading agents could in principle
//! do better.
//!
//! [`Strategy::OneMinimal`] is the search of earlier versions, kept to
//! compare with (`plan --split even`): an even start, growth only in the
//! groups that serve a failing queue directly, and trimming from the
//! largest group whatever it costs.

use super::verdict::{Decision, TargetVerdict, Verdict};
use crate::runner::RunError;

/// How much a judge simulates for a verdict.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Depth {
    /// The replications a candidate starts with: enough to rank
    /// candidates; the verdict may still be open.
    Quick,
    /// Replications added until the verdict is resolved or the candidate
    /// reaches its cap.
    Full,
}

/// Judges candidate head-counts of one interval; the search's only view
/// of the simulation.
pub trait Judge {
    /// One verdict per candidate (agents per group), in candidate order.
    /// Candidates are judged independently, so an implementation may judge
    /// them in parallel.
    /// `Err` when a simulation behind the verdicts failed.
    fn judge(&mut self, candidates: &[Vec<u32>], depth: Depth) -> Result<Vec<Verdict>, RunError>;
}

/// Which search to run.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub enum Strategy {
    /// Cost-aware: grow any group that relieves a failing queue, trim
    /// the dearest group first.
    #[default]
    Cheapest,
    /// The earlier search: grow direct servers only, trim the largest
    /// group first.
    OneMinimal,
}

/// What the search may do with each group.
#[derive(Clone, Debug, PartialEq)]
pub struct Limits {
    /// Fewest agents per group (a fixed group: its head-count).
    pub min: Vec<u32>,
    /// Most agents per group (a fixed group: its head-count).
    pub max: Vec<u32>,
    /// Cost of one agent of each group for one interval.
    pub cost: Vec<f64>,
    /// `serves[g][q]`: group `g` may take queue `q`'s work.
    pub serves: Vec<Vec<bool>>,
    /// `relieves[g][q]`: group `g` is in queue `q`'s pool.
    pub relieves: Vec<Vec<bool>>,
}

/// The search's result for one interval.
#[derive(Clone, Debug, PartialEq)]
pub struct IntervalStaffing {
    /// Agents required per group.
    pub agents: Vec<u32>,
    /// The verdict on them.
    pub verdict: Verdict,
    /// Per group, the target that sets its head-count: the one missed by
    /// the most with one agent fewer in the group; `None` for a group at
    /// its minimum.
    pub set_by: Vec<Option<TargetVerdict>>,
    /// Candidates judged, for the cost report.
    pub evaluations: usize,
}

/// Why the search found no head-count.
#[derive(Clone, Debug, PartialEq)]
pub enum SearchError {
    /// No head-count within the limits meets the targets.
    Unreachable(Unreachable),
    /// A simulation behind a verdict failed.
    Run(RunError),
}

impl From<RunError> for SearchError {
    fn from(e: RunError) -> Self {
        SearchError::Run(e)
    }
}

/// Why no head-count within the limits meets the targets.
#[derive(Clone, Debug, PartialEq)]
pub struct Unreachable {
    /// The best head-count tried.
    pub agents: Vec<u32>,
    /// Its verdict: the failing queues say which targets are out of reach.
    pub verdict: Verdict,
}

/// Searches the head-count of one interval from `start`.
pub fn staff_interval(
    judge: &mut dyn Judge,
    start: &[u32],
    limits: &Limits,
    strategy: Strategy,
) -> Result<IntervalStaffing, SearchError> {
    let groups = start.len();
    let mut x: Vec<u32> = (0..groups)
        .map(|g| start[g].clamp(limits.min[g], limits.max[g]))
        .collect();
    let mut evaluations = 1;
    let mut v = judge
        .judge(std::slice::from_ref(&x), Depth::Full)?
        .remove(0);
    // Grow.
    while !v.met {
        let direct: Vec<usize> = (0..groups)
            .filter(|&g| x[g] < limits.max[g])
            .filter(|&g| v.failing_queues.iter().any(|&q| limits.serves[g][q]))
            .collect();
        // The groups that take a failing queue's work first; when they are
        // all at their maximum, any group of its pool.
        let grown: Vec<usize> = if direct.is_empty() && strategy == Strategy::Cheapest {
            (0..groups)
                .filter(|&g| x[g] < limits.max[g])
                .filter(|&g| v.failing_queues.iter().any(|&q| limits.relieves[g][q]))
                .collect()
        } else {
            direct
        };
        if grown.is_empty() {
            return Err(SearchError::Unreachable(Unreachable {
                agents: x,
                verdict: v,
            }));
        }
        let candidates: Vec<Vec<u32>> = grown
            .iter()
            .map(|&g| {
                let mut c = x.clone();
                c[g] += 1;
                c
            })
            .collect();
        evaluations += candidates.len();
        let best = match strategy {
            Strategy::Cheapest => {
                let quick = judge.judge(&candidates, Depth::Quick)?;
                let cost: Vec<f64> = grown.iter().map(|&g| limits.cost[g]).collect();
                cheapest_growth(&quick, v.shortfall, &cost)
            }
            Strategy::OneMinimal => smallest_shortfall(&judge.judge(&candidates, Depth::Full)?),
        };
        x = candidates[best].clone();
        v = judge
            .judge(std::slice::from_ref(&x), Depth::Full)?
            .remove(0);
    }
    // Trim: coarse steps first, then single agents.
    for coarse in [true, false] {
        loop {
            let steps: Vec<(usize, u32)> = (0..groups)
                .filter_map(|g| {
                    let step = if coarse { (x[g] / 8).max(1) } else { 1 };
                    let room = x[g].saturating_sub(limits.min[g]);
                    (room >= step && (!coarse || step > 1)).then_some((g, step))
                })
                .collect();
            if steps.is_empty() {
                break;
            }
            let candidates: Vec<Vec<u32>> = steps
                .iter()
                .map(|&(g, step)| {
                    let mut c = x.clone();
                    c[g] -= step;
                    c
                })
                .collect();
            evaluations += candidates.len();
            // A quick look first: it ranks the removals, and one already
            // resolved as failing needs no more replications.
            let quick = judge.judge(&candidates, Depth::Quick)?;
            let mut order: Vec<usize> = (0..candidates.len()).collect();
            match strategy {
                // The removal that costs the targets least per unit of
                // cost saved: an agent of an overstaffed group goes before
                // one whose group the targets lean on.
                Strategy::Cheapest => {
                    let slack = |w: &Verdict| w.margin - w.shortfall;
                    let harm = |i: usize| {
                        let (g, step) = steps[i];
                        (slack(&v) - slack(&quick[i]))
                            / (limits.cost[g] * f64::from(step)).max(1e-12)
                    };
                    order.sort_by(|&a, &b| harm(a).total_cmp(&harm(b)).then(a.cmp(&b)));
                }
                // The largest group first.
                Strategy::OneMinimal => {
                    order.sort_by(|&a, &b| x[steps[b].0].cmp(&x[steps[a].0]).then(a.cmp(&b)));
                }
            }
            let mut found = None;
            for i in order {
                let (c, q) = (&candidates[i], &quick[i]);
                if !q.met && q.decision == Decision::Resolved {
                    continue;
                }
                let full = judge.judge(std::slice::from_ref(c), Depth::Full)?.remove(0);
                if full.met {
                    found = Some((c.clone(), full));
                    break;
                }
            }
            let Some((c, full)) = found else {
                break;
            };
            x = c;
            v = full;
        }
    }
    let set_by = binding_targets(judge, &x, limits)?;
    Ok(IntervalStaffing {
        agents: x,
        verdict: v,
        set_by,
        evaluations,
    })
}

/// The target that sets each group's head-count: the one the removal of
/// one of its agents (judged already by the trim) misses by the most.
fn binding_targets(
    judge: &mut dyn Judge,
    x: &[u32],
    limits: &Limits,
) -> Result<Vec<Option<TargetVerdict>>, RunError> {
    let movable: Vec<usize> = (0..x.len()).filter(|&g| x[g] > limits.min[g]).collect();
    let removals: Vec<Vec<u32>> = movable
        .iter()
        .map(|&g| {
            let mut c = x.to_vec();
            c[g] -= 1;
            c
        })
        .collect();
    let mut out = vec![None; x.len()];
    if removals.is_empty() {
        return Ok(out);
    }
    for (g, v) in movable.iter().zip(judge.judge(&removals, Depth::Quick)?) {
        out[*g] = v.worst_miss().cloned();
    }
    Ok(out)
}

/// The growth to keep: the cheapest candidate that meets everything
/// (the first on a tie), else the most shortfall removed per unit of cost
/// (the first on a tie).
fn cheapest_growth(verdicts: &[Verdict], shortfall: f64, cost: &[f64]) -> usize {
    let meeting = (0..verdicts.len())
        .filter(|&i| verdicts[i].met)
        .min_by(|&a, &b| cost[a].total_cmp(&cost[b]).then(a.cmp(&b)));
    if let Some(i) = meeting {
        return i;
    }
    let gain = |i: usize| (shortfall - verdicts[i].shortfall) / cost[i].max(1e-12);
    let mut best = 0;
    for i in 1..verdicts.len() {
        if gain(i) > gain(best) {
            best = i;
        }
    }
    best
}

/// The earlier rule: one that meets everything (the first), else the
/// smallest shortfall (the first on a tie).
fn smallest_shortfall(verdicts: &[Verdict]) -> usize {
    if let Some(i) = verdicts.iter().position(|v| v.met) {
        return i;
    }
    let mut best = 0;
    for (i, v) in verdicts.iter().enumerate() {
        if v.shortfall < verdicts[best].shortfall {
            best = i;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::super::judge::Achieved;
    use super::super::verdict::JudgeRule;
    use super::*;
    use crate::stats::TargetMetric;

    /// A target judged without noise: `have` agent-units against `need`.
    fn known(queue: usize, have: f64, need: f64) -> TargetVerdict {
        TargetVerdict {
            queue,
            metric: TargetMetric::ServiceLevel,
            figure: Achieved {
                mean: have,
                low: have,
                high: have,
            },
            met: have + 1e-9 >= need,
            gap: (have - need) / need,
            decision: Decision::Resolved,
        }
    }

    /// A judge whose queues each need `need[q]` agent-units, where group
    /// `g` contributes `weight[g][q]` per agent to queue `q`.
    struct Linear {
        need: Vec<f64>,
        weight: Vec<Vec<f64>>,
        calls: usize,
    }

    impl Judge for Linear {
        fn judge(&mut self, candidates: &[Vec<u32>], _: Depth) -> Result<Vec<Verdict>, RunError> {
            self.calls += candidates.len();
            Ok(candidates
                .iter()
                .map(|x| {
                    let targets = self
                        .need
                        .iter()
                        .enumerate()
                        .map(|(q, need)| {
                            let have: f64 = x
                                .iter()
                                .enumerate()
                                .map(|(g, n)| f64::from(*n) * self.weight[g][q])
                                .sum();
                            known(q, have, *need)
                        })
                        .collect();
                    Verdict::from_targets(targets, JudgeRule::Mean, 10)
                })
                .collect())
        }
    }

    fn limits(groups: usize, max: u32, serves: Vec<Vec<bool>>, cost: Vec<f64>) -> Limits {
        Limits {
            min: vec![0; groups],
            max: vec![max; groups],
            cost,
            relieves: serves.clone(),
            serves,
        }
    }

    #[test]
    fn one_group_finds_the_minimum_from_below_and_from_above() {
        for start in [0, 3, 12, 40] {
            let mut j = Linear {
                need: vec![12.0],
                weight: vec![vec![1.0]],
                calls: 0,
            };
            let l = limits(1, 100, vec![vec![true]], vec![1.0]);
            let s = staff_interval(&mut j, &[start], &l, Strategy::Cheapest).unwrap();
            assert_eq!(s.agents, vec![12], "from {start}");
            assert!(s.verdict.met);
            let set_by = s.set_by[0].as_ref().unwrap();
            assert_eq!(
                (set_by.queue, set_by.metric),
                (0, TargetMetric::ServiceLevel)
            );
        }
    }

    #[test]
    fn growth_goes_to_the_group_that_serves_the_failing_queue() {
        // Group 0 serves queue 0 only, group 1 queue 1 only.
        let mut j = Linear {
            need: vec![3.0, 5.0],
            weight: vec![vec![1.0, 0.0], vec![0.0, 1.0]],
            calls: 0,
        };
        let serves = vec![vec![true, false], vec![false, true]];
        let l = limits(2, 10, serves, vec![1.0, 1.0]);
        let s = staff_interval(&mut j, &[0, 0], &l, Strategy::Cheapest).unwrap();
        assert_eq!(s.agents, vec![3, 5]);
        // Each group's head-count is set by its own queue.
        let queues: Vec<usize> = s.set_by.iter().map(|t| t.as_ref().unwrap().queue).collect();
        assert_eq!(queues, vec![0, 1]);
    }

    /// Two queues needing 4 each; groups 0 and 1 take one queue each (cost
    /// 1), group 2 takes both at full weight (cost 3).
    fn specialists_and_generalists() -> (Linear, Limits) {
        let j = Linear {
            need: vec![4.0, 4.0],
            weight: vec![vec![1.0, 0.0], vec![0.0, 1.0], vec![1.0, 1.0]],
            calls: 0,
        };
        let serves = vec![vec![true, false], vec![false, true], vec![true, true]];
        (j, limits(3, 10, serves, vec![1.0, 1.0, 3.0]))
    }

    #[test]
    fn the_cheapest_group_does_the_shared_work_and_the_result_is_one_minimal() {
        // Group 2 serves both queues at full weight but costs 3; groups 0
        // and 1 cost 1 each: the cheapest answer staffs 0 and 1.
        let (mut j, l) = specialists_and_generalists();
        let s = staff_interval(&mut j, &[0, 0, 0], &l, Strategy::Cheapest).unwrap();
        assert_eq!(s.agents, vec![4, 4, 0]);
        // From a balanced start the dearest group is trimmed first.
        let s = staff_interval(&mut j, &[4, 4, 3], &l, Strategy::Cheapest).unwrap();
        assert_eq!(s.agents, vec![4, 4, 0]);
        // When the generalists cost less than two specialists, growth
        // takes them.
        let mut l = l;
        l.cost = vec![1.0, 1.0, 1.5];
        let s = staff_interval(&mut j, &[0, 0, 0], &l, Strategy::Cheapest).unwrap();
        assert_eq!(s.agents, vec![0, 0, 4]);
        // One-minimal either way.
        for g in 0..3 {
            if s.agents[g] > 0 {
                let mut fewer = s.agents.clone();
                fewer[g] -= 1;
                assert!(!j.judge(&[fewer], Depth::Full).unwrap()[0].met);
            }
        }
    }

    /// Queue 0 needs 4 agents from groups 0 and 1, queue 1 needs 2 from
    /// groups 1 and 2; group 1's agents serve queue 1 first, as a router
    /// with queue 1 at a higher priority would.
    struct Shared;

    impl Judge for Shared {
        fn judge(&mut self, candidates: &[Vec<u32>], _: Depth) -> Result<Vec<Verdict>, RunError> {
            Ok(candidates
                .iter()
                .map(|x| {
                    let to_q1 = 2u32.saturating_sub(x[2]).min(x[1]);
                    let have = [f64::from(x[0] + x[1] - to_q1), f64::from(to_q1 + x[2])];
                    let targets = [4.0, 2.0]
                        .iter()
                        .enumerate()
                        .map(|(q, need)| known(q, have[q], *need))
                        .collect();
                    Verdict::from_targets(targets, JudgeRule::Mean, 10)
                })
                .collect())
        }
    }

    #[test]
    fn when_a_queues_own_groups_are_at_their_maximum_growth_reaches_groups_that_relieve_it() {
        let serves = vec![vec![true, false], vec![true, true], vec![false, true]];
        let mut l = limits(3, 10, serves, vec![1.0, 1.0, 1.0]);
        l.max = vec![2, 3, 10];
        l.relieves = vec![vec![true, true]; 3];
        // Queue 0 fails with both its groups full: a group-2 agent takes
        // queue 1's work off group 1.
        let s = staff_interval(&mut Shared, &[2, 3, 0], &l, Strategy::Cheapest).unwrap();
        assert_eq!(s.agents, vec![2, 3, 1]);
        // The earlier search grows only a failing queue's own groups.
        let Err(SearchError::Unreachable(e)) =
            staff_interval(&mut Shared, &[2, 3, 0], &l, Strategy::OneMinimal)
        else {
            panic!("out of reach for the earlier search");
        };
        assert_eq!(e.verdict.failing_queues, vec![0]);
    }

    #[test]
    fn limits_hold_and_a_fixed_group_is_never_moved() {
        let mut j = Linear {
            need: vec![4.0, 2.0],
            weight: vec![vec![1.0, 0.0], vec![1.0, 1.0], vec![0.0, 1.0]],
            calls: 0,
        };
        let serves = vec![vec![true, false], vec![true, true], vec![false, true]];
        let mut l = limits(3, 10, serves, vec![1.0, 1.0, 1.0]);
        l.max = vec![2, 10, 10];
        l.min = vec![0, 0, 1];
        let s = staff_interval(&mut j, &[0, 0, 0], &l, Strategy::Cheapest).unwrap();
        assert!(s.agents[0] <= 2 && s.agents[2] >= 1, "{:?}", s.agents);
        assert!(s.verdict.met);
        // A fixed group (min = max) is never moved.
        l.min = vec![1, 0, 0];
        l.max = vec![1, 10, 10];
        let s = staff_interval(&mut j, &[5, 0, 0], &l, Strategy::Cheapest).unwrap();
        assert_eq!(s.agents[0], 1);
        assert!(s.set_by[0].is_none(), "a fixed group sets nothing");
    }

    #[test]
    fn a_target_out_of_reach_names_the_failing_queue() {
        let mut j = Linear {
            need: vec![3.0, 50.0],
            weight: vec![vec![1.0, 1.0]],
            calls: 0,
        };
        let l = limits(1, 20, vec![vec![true, true]], vec![1.0]);
        let Err(SearchError::Unreachable(e)) = staff_interval(&mut j, &[1], &l, Strategy::Cheapest)
        else {
            panic!("out of reach");
        };
        assert_eq!(e.agents, vec![20]);
        assert_eq!(e.verdict.failing_queues, vec![1]);
    }

    #[test]
    fn the_earlier_search_trims_the_largest_group_whatever_it_costs() {
        let (mut j, l) = specialists_and_generalists();
        let s = staff_interval(&mut j, &[4, 4, 4], &l, Strategy::OneMinimal).unwrap();
        // Balanced trimming lands on 2 + 2 + 2 (cost 10) where the
        // cost-aware search finds 4 + 4 + 0 (cost 8).
        assert_eq!(s.agents, vec![2, 2, 2]);
        let cheap = staff_interval(&mut j, &[4, 4, 4], &l, Strategy::Cheapest).unwrap();
        assert_eq!(cheap.agents, vec![4, 4, 0]);
    }
}
