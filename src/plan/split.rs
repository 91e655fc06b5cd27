//! Where the search starts: the cheapest split of each interval's work
//! between the groups, as a linear programme.
//!
//! Erlang A (Erlang C when nobody abandons) gives each queue's need in
//! servers on its own ([`super::start::erlang_need`]). A skills-based
//! queue's items fall into classes by the skills they require (the
//! queue's and its stream's required skills, and one alternative of each
//! skill mix: 75% English, 25% French), each class a share of the need
//! that only the groups holding its skills may take; additional skills
//! are left out, since they are dropped when nobody has them. A
//! queue-based queue is one class its members take.
//!
//! The programme, per interval, with `x[g]` the agents of group `g` and
//! `y[g][c]` those of them working class `c`:
//!
//! ```text
//! minimise   Σ cost[g] · x[g]
//! subject to Σ_g slots[g][q(c)] · y[g][c] ≥ share[c] · need[q(c)]   every class c
//!            Σ_c y[g][c] ≤ x[g]                                     every group g
//!            min[g] ≤ x[g] ≤ max[g];  y[g][c] = 0 where g may not take c
//! ```
//!
//! where `slots[g][q]` is how many of `q`'s items one agent of `g` holds
//! at once. Between groups of equal cost, the one that may take fewer
//! kinds of work gets it, which keeps versatile agents for the work only
//! they may take. Rounded up (and clamped to the limits) it is the search's
//! first candidate: it puts each queue's work on the groups that do it
//! most cheaply, so specialists are kept for the work only they may take.
//! It overstates a blended centre's need (each class is covered as if
//! alone); the simulation search trims that back.

use crate::scenario::Scenario;
use good_lp::{constraint, variable, variables, Expression, Solution, SolverModel};

/// One class of a queue's items: a share of its need that some groups
/// may take.
#[derive(Clone, Debug, PartialEq)]
pub struct ItemClass {
    /// The queue, scenario order.
    pub queue: usize,
    /// Its share of the queue's items.
    pub share: f64,
    /// `takes[g]`: group `g` may take these items.
    pub takes: Vec<bool>,
}

/// The classes of every queue's items, queue by queue.
pub fn item_classes(s: &Scenario, serves: &[Vec<bool>]) -> Vec<ItemClass> {
    let mut out = Vec::new();
    for (q, queue) in s.queues.iter().enumerate() {
        let stream = s.arrivals.iter().find(|a| a.queue.index() == q);
        if queue.routing.routing_type != crate::omni::RoutingType::Skills || stream.is_none() {
            out.push(ItemClass {
                queue: q,
                share: 1.0,
                takes: serves.iter().map(|g| g[q]).collect(),
            });
            continue;
        }
        let stream = stream.expect("checked above");
        let required: Vec<crate::omni::SkillRequirement> = queue
            .routing
            .skills
            .iter()
            .chain(&stream.skills)
            .filter(|r| !r.additional)
            .cloned()
            .collect();
        // The product of the skill mixes' required alternatives.
        let mut combos: Vec<(f64, Vec<crate::omni::SkillRequirement>)> = vec![(1.0, required)];
        for choice in stream.skill_mix.iter().filter(|c| !c.additional) {
            combos = combos
                .into_iter()
                .flat_map(|(p, reqs)| {
                    choice.choose.iter().map(move |&(skill, share)| {
                        let mut r = reqs.clone();
                        r.push(crate::omni::SkillRequirement {
                            skill,
                            level: choice.level,
                            additional: false,
                            priority: 0,
                        });
                        (p * share, r)
                    })
                })
                .collect();
        }
        for (share, reqs) in combos.into_iter().filter(|(p, _)| *p > 0.0) {
            out.push(ItemClass {
                queue: q,
                share,
                takes: s
                    .agents
                    .iter()
                    .map(|g| {
                        g.may_take(
                            crate::omni::QueueId(q as u32),
                            crate::omni::RoutingType::Skills,
                            &reqs,
                        )
                    })
                    .collect(),
            });
        }
    }
    out
}

/// Weight of the versatility tie-break, per kind of work a group may
/// take, relative to its cost.
const TIE_BREAK: f64 = 1e-4;

/// What the programme is given for one interval.
#[derive(Clone, Debug)]
pub struct SplitInput<'a> {
    /// The item classes ([`item_classes`]).
    pub classes: &'a [ItemClass],
    /// Each queue's need in servers (items held at once); 0 for a queue
    /// with nothing offered or out of Erlang's reach.
    pub need: Vec<f64>,
    /// `slots[g][q]`: items of queue `q` one agent of group `g` holds.
    pub slots: &'a [Vec<u32>],
    /// Cost of one agent of each group.
    pub cost: &'a [f64],
    /// Fewest agents of each group.
    pub min: &'a [u32],
    /// Most agents of each group.
    pub max: &'a [u32],
}

/// The programme's answer.
#[derive(Clone, Debug, PartialEq)]
pub struct Split {
    /// Agents of each group, fractional.
    pub agents: Vec<f64>,
    /// `work[g][q]`: agents of group `g` working queue `q`'s items.
    pub work: Vec<Vec<f64>>,
    /// The cheapest cost, `Σ cost · agents`.
    pub cost: f64,
}

impl Split {
    /// The head-count to start from: each group's agents rounded up
    /// (a hair below a whole number stays that number), within limits.
    pub fn rounded(&self, min: &[u32], max: &[u32]) -> Vec<u32> {
        self.agents
            .iter()
            .enumerate()
            .map(|(g, &a)| ((a - 1e-6).ceil().max(0.0) as u32).clamp(min[g], max[g]))
            .collect()
    }
}

/// Solves the programme; `None` when no mix within the limits covers
/// every class (the search then starts from the limits and says which
/// queue stays out of reach).
pub fn cheapest_split(input: &SplitInput<'_>) -> Option<Split> {
    let groups = input.cost.len();
    let queues = input.need.len();
    let mut vars = variables!();
    let x: Vec<_> = (0..groups)
        .map(|g| {
            vars.add(
                variable()
                    .min(f64::from(input.min[g]))
                    .max(f64::from(input.max[g])),
            )
        })
        .collect();
    // y[c][g], only where the group may take the class.
    let y: Vec<Vec<Option<good_lp::Variable>>> = input
        .classes
        .iter()
        .map(|c| {
            (0..groups)
                .map(|g| {
                    (c.takes[g] && input.slots[g][c.queue] > 0)
                        .then(|| vars.add(variable().min(0.0)))
                })
                .collect()
        })
        .collect();
    // Between groups of equal cost, the one that may take fewer kinds of
    // work is used first, so the versatile agents stay free for the work
    // only they may take: a tie-break far below any real cost difference.
    let versatility: Vec<f64> = (0..groups)
        .map(|g| input.classes.iter().filter(|c| c.takes[g]).count() as f64)
        .collect();
    let objective: Expression = (0..groups)
        .map(|g| input.cost[g] * (1.0 + TIE_BREAK * versatility[g]) * x[g])
        .sum();
    let mut model = vars.minimise(objective).using(good_lp::microlp);
    for (c, class) in input.classes.iter().enumerate() {
        let need = class.share * input.need[class.queue];
        if need <= 0.0 {
            continue;
        }
        let covered: Expression = (0..groups)
            .filter_map(|g| y[c][g].map(|v| f64::from(input.slots[g][class.queue]) * v))
            .sum();
        model = model.with(constraint!(covered >= need));
    }
    for g in 0..groups {
        let used: Expression = y.iter().filter_map(|row| row[g]).sum();
        model = model.with(constraint!(used <= x[g]));
    }
    let solution = model.solve().ok()?;
    let agents: Vec<f64> = x.iter().map(|&v| solution.value(v).max(0.0)).collect();
    let mut work = vec![vec![0.0; queues]; groups];
    for (c, class) in input.classes.iter().enumerate() {
        for g in 0..groups {
            if let Some(v) = y[c][g] {
                work[g][class.queue] += solution.value(v).max(0.0);
            }
        }
    }
    let cost = (0..groups).map(|g| input.cost[g] * agents[g]).sum();
    Some(Split { agents, work, cost })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn class(queue: usize, share: f64, takes: &[bool]) -> ItemClass {
        ItemClass {
            queue,
            share,
            takes: takes.to_vec(),
        }
    }

    #[test]
    fn specialists_are_kept_for_the_work_only_they_may_take() {
        // Queue 0 (need 10) may go to generalists (g0, cost 1) or seniors
        // (g1, cost 1.5); queue 1 (need 3) only to seniors, at most 4.
        let classes = [class(0, 1.0, &[true, true]), class(1, 1.0, &[false, true])];
        let slots = vec![vec![1, 1], vec![1, 1]];
        let input = SplitInput {
            classes: &classes,
            need: vec![10.0, 3.0],
            slots: &slots,
            cost: &[1.0, 1.5],
            min: &[0, 0],
            max: &[25, 4],
        };
        let split = cheapest_split(&input).unwrap();
        assert!((split.agents[0] - 10.0).abs() < 1e-6, "{split:?}");
        assert!((split.agents[1] - 3.0).abs() < 1e-6, "{split:?}");
        assert!((split.work[1][1] - 3.0).abs() < 1e-6);
        assert!((split.cost - 14.5).abs() < 1e-6);
        // Generalists capped at 8: seniors take the rest of queue 0.
        let capped = SplitInput {
            max: &[8, 10],
            ..input.clone()
        };
        let split = cheapest_split(&capped).unwrap();
        assert_eq!(split.rounded(&[0, 0], &[8, 10]), vec![8, 5]);
        // Seniors capped below their own queue's need: no split.
        let impossible = SplitInput {
            max: &[25, 2],
            ..input
        };
        assert_eq!(cheapest_split(&impossible), None);
    }

    #[test]
    fn a_skill_mix_share_goes_to_the_groups_with_the_skill_and_capacity_counts() {
        // 25% French, which only g1 (capacity 2 items at once) may take.
        let classes = [
            class(0, 0.75, &[true, true]),
            class(0, 0.25, &[false, true]),
        ];
        let slots = vec![vec![1], vec![2]];
        let split = cheapest_split(&SplitInput {
            classes: &classes,
            need: vec![8.0],
            slots: &slots,
            cost: &[1.0, 1.0],
            min: &[0, 0],
            max: &[20, 20],
        })
        .unwrap();
        // g1 agents hold 2 items: all 8 servers cost 4 of them.
        assert!((split.agents[1] - 4.0).abs() < 1e-6, "{split:?}");
        assert!(split.agents[0].abs() < 1e-6);
    }

    #[test]
    fn classes_follow_the_skill_mix_and_leave_additional_skills_out() {
        let s = Scenario::from_path(std::path::Path::new("scenarios/bank_day.toml")).unwrap();
        let serves = super::super::serves(&s);
        let classes = item_classes(&s, &serves);
        let loans: Vec<&ItemClass> = classes.iter().filter(|c| c.queue == 1).collect();
        assert_eq!(loans.len(), 2, "English and French");
        let french = loans
            .iter()
            .find(|c| (c.share - 0.25).abs() < 1e-9)
            .unwrap();
        // Seniors (French 6) and bilingual (French 8), not the Loans team.
        assert_eq!(french.takes, vec![false, true, false, true, false]);
        let english = loans
            .iter()
            .find(|c| (c.share - 0.75).abs() < 1e-9)
            .unwrap();
        assert_eq!(english.takes, vec![false, true, true, true, false]);
    }
}
