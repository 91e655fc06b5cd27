//! Pure routing decisions: which item next, and which agent gets it.
//!
//! Nothing here knows about actors or time passing: the router actor keeps
//! an [`AgentIndex`] and a [`Backlog`] up to date and asks [`next_push`]
//! what to do. That keeps the rules unit-testable and benchmarkable on
//! their own (omni-reference §6, §12).
//!
//! Who may take an item (queue membership, skills) is decided per agent
//! *class* ([`AgentClasses`]): agents of one class are interchangeable for
//! eligibility, so the index keeps one order per class and channel and a
//! decision looks at the first fitting agent of each eligible class rather
//! than scanning every agent. Waiting items are grouped the same way: per
//! queue, one bucket per set of skills still required.

mod backlog;
pub mod classes;
mod exclusion;
pub mod external;
mod index;
pub mod least_active;
pub mod most_available;
mod recent;

pub use backlog::{canonical, Backlog, Bucket, ItemKey, QueueBacklog, QueuedItem};
pub use classes::{AgentClasses, ClassId, ClassSpec};
pub use exclusion::Exclusion;
pub use external::{MostAvailablePolicy, RoutingPolicy};
pub use index::{AgentIndex, AgentRouting};
pub use recent::RecentPushes;

use crate::events::{DecisionRule, RankedAgent};
use crate::omni::{AgentId, CapacityCost, CapacityPool, QueueId, RoutingModel, WorkItemId};
use crate::time::SimTime;

/// The tie-break among equally good agents (omni-reference §6.5): agents
/// not pushed to since login first (earliest login first), then the one
/// whose last push is oldest, then scenario order.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TieBreak {
    /// False (sorts first) until the agent's first push since login.
    pub pushed_since_login: bool,
    /// Login time if not yet pushed, else the last push time.
    pub since: SimTime,
    /// Last resort: scenario order.
    pub agent: AgentId,
}

/// A push the router should make now.
#[derive(Clone, Debug, PartialEq)]
pub struct Decision {
    /// Queue of the item.
    pub queue: QueueId,
    /// The item.
    pub item: WorkItemId,
    /// The chosen agent.
    pub agent: AgentId,
}

/// Finds the next push: the first item in backlog order (priority,
/// secondary priority, age, arrival order) that some eligible agent can
/// take, with the agent its queue's routing model picks among the eligible
/// classes. An item nobody can take does not block the items behind it
/// (§6.2).
pub fn next_push(backlog: &Backlog, index: &AgentIndex) -> Option<Decision> {
    let mut best: Option<(ItemKey, Decision)> = None;
    for (queue, q) in backlog.queues() {
        if q.model == RoutingModel::External {
            // The library user's policy chooses (see `external`).
            continue;
        }
        for bucket in q.buckets() {
            let Some(first) = bucket.front_key() else {
                continue;
            };
            if best.as_ref().is_some_and(|(k, _)| *k <= first) {
                // Even this bucket's first item is behind the best found.
                continue;
            }
            let choose = |exclude| {
                index.choose(q.channel, &bucket.classes, q.model, q.cost, q.pool, exclude)
            };
            let Some(top) = choose(&Exclusion::Nobody) else {
                continue;
            };
            for (k, entry) in bucket.items() {
                if best.as_ref().is_some_and(|(b, _)| b <= k) {
                    break;
                }
                let agent = if entry.excluded.excludes(top) {
                    match choose(&entry.excluded) {
                        Some(a) => a,
                        None => continue,
                    }
                } else {
                    top
                };
                best = Some((
                    *k,
                    Decision {
                        queue,
                        item: entry.item,
                        agent,
                    },
                ));
                break;
            }
        }
    }
    best.map(|(_, d)| d)
}

/// Why `first` comes ahead of `runner_up` under `model` in `pool`
/// (omni-reference §6.4–6.5): the model's figure when they differ, else the
/// tie-break rule that separates them.
pub fn decision_rule(
    model: RoutingModel,
    pool: CapacityPool,
    first: &AgentRouting,
    runner_up: Option<&AgentRouting>,
) -> DecisionRule {
    if model == RoutingModel::External {
        return DecisionRule::ExternalPolicy;
    }
    let Some(b) = runner_up else {
        return DecisionRule::OnlyEligible;
    };
    let a = first;
    match model {
        RoutingModel::MostAvailable if a.free_in(pool) != b.free_in(pool) => {
            return DecisionRule::MostFreeCapacity
        }
        RoutingModel::LeastActive if a.load_in(pool) != b.load_in(pool) => {
            return DecisionRule::LeastLoad
        }
        _ => {}
    }
    match (a.tie.pushed_since_login, b.tie.pushed_since_login) {
        (false, true) => DecisionRule::NeverPushedSinceLogin,
        _ if a.tie.since == b.tie.since => DecisionRule::LowestAgentNumber,
        (false, _) => DecisionRule::LoggedInFirst,
        (true, _) => DecisionRule::LongestSinceLastPush,
    }
}

/// One eligible agent as a decision records it: its figures in `pool`.
pub fn ranked_agent(a: &AgentRouting, pool: CapacityPool) -> RankedAgent {
    RankedAgent {
        agent: a.tie.agent,
        capacity: a.capacity_in(pool),
        load: a.load_in(pool),
        open_items: a.open_items,
        pushed_since_login: a.tie.pushed_since_login,
        since: a.tie.since,
    }
}

/// Every agent of `classes` that may take an item of `channel` costing
/// `cost` in `pool`, skipping `exclude`, in agent order, by scanning every
/// agent: the obviously-correct reference [`AgentIndex::ranked`] (a
/// decision's recorded candidates) is tested against.
pub fn eligible_by_scan(
    agents: &[AgentRouting],
    channel: crate::omni::ChannelId,
    classes: &[ClassId],
    cost: CapacityCost,
    pool: CapacityPool,
    exclude: &Exclusion,
) -> Vec<AgentId> {
    scan(agents, channel, classes, cost, pool, exclude)
        .map(|a| a.tie.agent)
        .collect()
}

/// The agents of `classes` that may take the item, by a plain scan: the
/// filter both references share.
fn scan<'a>(
    agents: &'a [AgentRouting],
    channel: crate::omni::ChannelId,
    classes: &'a [ClassId],
    cost: CapacityCost,
    pool: CapacityPool,
    exclude: &'a Exclusion,
) -> impl Iterator<Item = &'a AgentRouting> {
    agents.iter().filter(move |a| {
        classes.contains(&a.class)
            && a.can_take(channel, cost, pool)
            && !exclude.excludes(a.tie.agent)
    })
}

/// The same choice as [`AgentIndex::choose`], by scanning every agent: the
/// obviously-correct reference the index is tested against.
pub fn choose_by_scan(
    agents: &[AgentRouting],
    channel: crate::omni::ChannelId,
    classes: &[ClassId],
    model: RoutingModel,
    cost: CapacityCost,
    pool: CapacityPool,
    exclude: &Exclusion,
) -> Option<AgentId> {
    scan(agents, channel, classes, cost, pool, exclude)
        .filter(|_| model != RoutingModel::External)
        .min_by_key(|a| match model {
            RoutingModel::MostAvailable | RoutingModel::External => {
                (std::cmp::Reverse(a.free_in(pool).0), 0, a.tie)
            }
            RoutingModel::LeastActive => (std::cmp::Reverse(0), a.load_in(pool).0, a.tie),
        })
        .map(|a| a.tie.agent)
}
