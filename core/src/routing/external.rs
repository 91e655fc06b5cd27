//! External routing (omni-reference §6.5): Omni-Channel does not choose;
//! the org's own system does.
//!
//! A queue with `routing_model = "external"` leaves the choice to a
//! [`RoutingPolicy`] the library user supplies (through
//! [`crate::engine::RunOptions::routing_policy`]). The router asks it about
//! each waiting item of such a queue, in backlog order, with the agents
//! that may take the item by the same rules as the built-in models (online
//! on the channel, member or skilled, room in the item's pool, under the
//! item cap, not its last decliner) and their loads; the policy names one
//! of them or none, and the item waits.

use super::AgentRouting;
use crate::omni::{AgentId, WorkItem};

/// The org's own routing logic for external queues.
pub trait RoutingPolicy {
    /// The agent to push `item` to, chosen among `eligible` (each with its
    /// load, capacities and tie-break data), or `None` to leave it waiting
    /// until the next routing pass. An agent not in `eligible` is ignored.
    fn choose(&mut self, item: &WorkItem, eligible: &[&AgentRouting]) -> Option<AgentId>;
}

/// Most Available as a policy: what the built-in model does, written
/// against the trait; the reference a custom policy can start from.
#[derive(Debug, Default, Clone, Copy)]
pub struct MostAvailablePolicy;

impl RoutingPolicy for MostAvailablePolicy {
    fn choose(&mut self, _item: &WorkItem, eligible: &[&AgentRouting]) -> Option<AgentId> {
        eligible
            .iter()
            .min_by_key(|a| super::most_available::key(a, crate::omni::CapacityPool::Primary))
            .map(|a| a.tie.agent)
    }
}
