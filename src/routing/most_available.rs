//! Most Available: push to the agent with the most free capacity.

use super::{AgentRouting, TieBreak};
use std::cmp::Reverse;

/// Index order: largest `capacity − load` first, then the tie-break.
pub type Key = (Reverse<u64>, TieBreak);

/// The agent's position in the Most Available order.
pub fn key(agent: &AgentRouting) -> Key {
    (Reverse(agent.free().0), agent.tie)
}
