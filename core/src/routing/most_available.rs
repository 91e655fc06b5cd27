//! Most Available: push to the agent with the most free capacity.

use super::{AgentRouting, TieBreak};
use crate::omni::CapacityPool;
use std::cmp::Reverse;

/// Index order: largest `capacity − load` first, then the tie-break.
pub type Key = (Reverse<u64>, TieBreak);

/// The agent's position in the Most Available order of `pool`.
pub fn key(agent: &AgentRouting, pool: CapacityPool) -> Key {
    (Reverse(agent.free_in(pool).0), agent.tie)
}
