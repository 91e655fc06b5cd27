//! The staffing search for one interval: a plain function of a judge, so
//! the allocation rule is unit-tested without simulating anything.
//!
//! # The rule
//!
//! 1. **Grow.** From the starting head-count, while some target is not
//!    met, try one more agent in each group that may serve a queue missing
//!    a target, judge every such candidate (with the same random numbers),
//!    and keep the one that leaves the smallest total shortfall; ties go to
//!    the group listed first in the scenario. A candidate that meets every
//!    target wins outright.
//! 2. **Trim.** Then, while some single group can lose agents and every
//!    target is still met, remove them: first in steps of an eighth of the
//!    group (at least one agent), then one by one; of the groups that can
//!    lose agents, the largest gives them up first (the first listed on a
//!    tie), so groups that do the same work stay balanced.
//!
//! What it guarantees: the result meets every target of the interval on
//! the judge's criterion, and removing any one agent from any one group
//! breaks some target ("one-minimal"). It does not promise the fewest
//! agents over all allocations between groups: two groups trading agents
//! two at a time could in principle do better. With one group it is the
//! minimum head-count, because the judged figures improve with every
//! agent added.

/// What the judge says about one candidate head-count.
#[derive(Clone, Debug, PartialEq)]
pub struct Verdict {
    /// Every target of every queue of the interval met.
    pub met: bool,
    /// Sum over the targets not met of how far each misses, relative to
    /// its target (0 when `met`).
    pub shortfall: f64,
    /// Sum over the targets met of how far each clears them, relative to
    /// its target: how comfortably the candidate meets them, reported to
    /// tests and diagnostics.
    pub margin: f64,
    /// The queues (scenario order) with a target not met.
    pub failing_queues: Vec<usize>,
}

/// Judges candidate head-counts of one interval; the search's only view
/// of the simulation.
pub trait Judge {
    /// One verdict per candidate (agents per group), in candidate order.
    /// Candidates are judged independently, so an implementation may judge
    /// them in parallel.
    fn judge(&mut self, candidates: &[Vec<u32>]) -> Vec<Verdict>;
}

/// The search's result for one interval.
#[derive(Clone, Debug, PartialEq)]
pub struct IntervalStaffing {
    /// Agents required per group.
    pub agents: Vec<u32>,
    /// The verdict on them.
    pub verdict: Verdict,
    /// Candidates judged, for the cost report.
    pub evaluations: usize,
}

/// Why no head-count up to the maximum meets the targets.
#[derive(Clone, Debug, PartialEq)]
pub struct Unreachable {
    /// The best head-count tried.
    pub agents: Vec<u32>,
    /// Its verdict: the failing queues say which targets are out of reach.
    pub verdict: Verdict,
}

/// Searches the head-count of one interval.
///
/// `start` is the first candidate (from Erlang A), `max` each group's
/// ceiling and `serves[g][q]` whether group `g` may take queue `q`'s work.
pub fn staff_interval(
    judge: &mut dyn Judge,
    start: &[u32],
    max: &[u32],
    serves: &[Vec<bool>],
) -> Result<IntervalStaffing, Unreachable> {
    let mut x: Vec<u32> = start.iter().zip(max).map(|(s, m)| (*s).min(*m)).collect();
    let mut evaluations = 1;
    let mut v = judge.judge(std::slice::from_ref(&x)).remove(0);
    // Grow.
    while !v.met {
        let groups: Vec<usize> = (0..x.len())
            .filter(|&g| x[g] < max[g])
            .filter(|&g| v.failing_queues.iter().any(|&q| serves[g][q]))
            .collect();
        if groups.is_empty() {
            return Err(Unreachable {
                agents: x,
                verdict: v,
            });
        }
        let candidates: Vec<Vec<u32>> = groups
            .iter()
            .map(|&g| {
                let mut c = x.clone();
                c[g] += 1;
                c
            })
            .collect();
        evaluations += candidates.len();
        let verdicts = judge.judge(&candidates);
        let best = best_growth(&verdicts);
        x = candidates[best].clone();
        v = verdicts[best].clone();
    }
    // Trim: coarse steps first, then single agents.
    for coarse in [true, false] {
        loop {
            let steps: Vec<(usize, u32)> = (0..x.len())
                .filter_map(|g| {
                    let step = if coarse { (x[g] / 8).max(1) } else { 1 };
                    (x[g] >= step && (!coarse || step > 1)).then_some((g, step))
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
            let verdicts = judge.judge(&candidates);
            let sizes: Vec<u32> = steps.iter().map(|&(g, _)| x[g]).collect();
            let Some(best) = best_removal(&verdicts, &sizes) else {
                break;
            };
            x = candidates[best].clone();
            v = verdicts[best].clone();
        }
    }
    Ok(IntervalStaffing {
        agents: x,
        verdict: v,
        evaluations,
    })
}

/// The candidate to grow into: one that meets everything (the first),
/// else the smallest shortfall (the first on a tie).
fn best_growth(verdicts: &[Verdict]) -> usize {
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

/// Of the removals that keep every target met, the one from the largest
/// group (the first on a tie); `None` when none does. Taking from the
/// largest keeps interchangeable groups balanced instead of letting noise
/// in the margins pick a different group each interval.
fn best_removal(verdicts: &[Verdict], sizes: &[u32]) -> Option<usize> {
    let mut best: Option<usize> = None;
    for (i, v) in verdicts.iter().enumerate() {
        if v.met && best.is_none_or(|b| sizes[i] > sizes[b]) {
            best = Some(i);
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A judge whose queues each need `need[q]` agent-units, where group
    /// `g` contributes `weight[g][q]` per agent to queue `q`.
    struct Linear {
        need: Vec<f64>,
        weight: Vec<Vec<f64>>,
        calls: usize,
    }

    impl Judge for Linear {
        fn judge(&mut self, candidates: &[Vec<u32>]) -> Vec<Verdict> {
            self.calls += candidates.len();
            candidates
                .iter()
                .map(|x| {
                    let mut shortfall = 0.0;
                    let mut margin = 0.0;
                    let mut failing = Vec::new();
                    for (q, need) in self.need.iter().enumerate() {
                        let have: f64 = x
                            .iter()
                            .enumerate()
                            .map(|(g, n)| f64::from(*n) * self.weight[g][q])
                            .sum();
                        if have + 1e-9 < *need {
                            shortfall += (need - have) / need;
                            failing.push(q);
                        } else {
                            margin += (have - need) / need;
                        }
                    }
                    Verdict {
                        met: failing.is_empty(),
                        shortfall,
                        margin,
                        failing_queues: failing,
                    }
                })
                .collect()
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
            let s = staff_interval(&mut j, &[start], &[100], &[vec![true]]).unwrap();
            assert_eq!(s.agents, vec![12], "from {start}");
            assert!(s.verdict.met);
            assert_eq!(s.evaluations, j.calls);
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
        let s = staff_interval(&mut j, &[0, 0], &[10, 10], &serves).unwrap();
        assert_eq!(s.agents, vec![3, 5]);
    }

    #[test]
    fn the_result_is_one_minimal_with_a_blended_group() {
        // Group 2 serves both queues at full weight: the cheapest answer
        // staffs it alone.
        let mut j = Linear {
            need: vec![4.0, 4.0],
            weight: vec![vec![1.0, 0.0], vec![0.0, 1.0], vec![1.0, 1.0]],
            calls: 0,
        };
        let serves = vec![vec![true, false], vec![false, true], vec![true, true]];
        let s = staff_interval(&mut j, &[4, 4, 0], &[10, 10, 10], &serves).unwrap();
        assert!(s.verdict.met);
        // One-minimal: no single removal keeps both targets.
        for g in 0..3 {
            if s.agents[g] > 0 {
                let mut fewer = s.agents.clone();
                fewer[g] -= 1;
                assert!(!j.judge(&[fewer])[0].met);
            }
        }
    }

    #[test]
    fn a_target_out_of_reach_names_the_failing_queue() {
        let mut j = Linear {
            need: vec![3.0, 50.0],
            weight: vec![vec![1.0, 1.0]],
            calls: 0,
        };
        let e = staff_interval(&mut j, &[1], &[20], &[vec![true, true]]).unwrap_err();
        assert_eq!(e.agents, vec![20]);
        assert_eq!(e.verdict.failing_queues, vec![1]);
    }
}
