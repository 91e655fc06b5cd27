//! Pure routing decisions: which item next, and which agent gets it.
//!
//! Nothing here knows about actors or time passing: the router actor keeps
//! an [`AgentIndex`] and a [`Backlog`] up to date and asks [`next_push`]
//! what to do. That keeps the rules unit-testable and benchmarkable on
//! their own (omni-reference §6).
//!
//! The agent choice uses an ordered index per channel rather than a scan:
//! with thousands of agents a scan per push would dominate a run.

mod backlog;
mod index;
pub mod least_active;
pub mod most_available;

pub use backlog::{Backlog, QueuedItem};
pub use index::{AgentIndex, AgentRouting};

use crate::omni::{AgentId, CapacityCost, QueueId, RoutingModel, WorkItemId};
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

/// Finds the next push: the first item in backlog order (priority, then
/// age, then arrival order) that some eligible agent can take, with the
/// agent its queue's routing model picks. An item nobody can take does not
/// block the items behind it (§6.2).
pub fn next_push(backlog: &Backlog, index: &AgentIndex) -> Option<Decision> {
    let mut best: Option<((i32, SimTime, u64), Decision)> = None;
    for (queue, q) in backlog.queues() {
        let Some(first) = q.front_key() else { continue };
        let key = (q.priority, first.0, first.1);
        if best.as_ref().is_some_and(|(k, _)| *k <= key) {
            // Even this queue's oldest item is behind the best found.
            continue;
        }
        let Some(top) = index.choose(q.channel, q.model, q.cost, None) else {
            continue;
        };
        for (k, entry) in q.items() {
            let key = (q.priority, k.0, k.1);
            if best.as_ref().is_some_and(|(b, _)| *b <= key) {
                break;
            }
            let agent = if entry.excluded == Some(top) {
                match index.choose(q.channel, q.model, q.cost, Some(top)) {
                    Some(a) => a,
                    None => continue,
                }
            } else {
                top
            };
            best = Some((
                key,
                Decision {
                    queue,
                    item: entry.item,
                    agent,
                },
            ));
            break;
        }
    }
    best.map(|(_, d)| d)
}

/// The same choice as [`AgentIndex::choose`], by scanning every agent: the
/// obviously-correct reference the index is tested against.
pub fn choose_by_scan(
    agents: &[AgentRouting],
    channel: crate::omni::ChannelId,
    model: RoutingModel,
    cost: CapacityCost,
    exclude: Option<AgentId>,
) -> Option<AgentId> {
    agents
        .iter()
        .filter(|a| a.is_eligible(channel, cost) && Some(a.tie.agent) != exclude)
        .min_by_key(|a| match model {
            RoutingModel::MostAvailable => (std::cmp::Reverse(a.free().0), 0, a.tie),
            RoutingModel::LeastActive => (std::cmp::Reverse(0), a.load.0, a.tie),
        })
        .map(|a| a.tie.agent)
}
