//! Least Active: push to the agent with the least work in progress.
//!
//! "Least work" is measured in capacity units, not item count (open
//! question 1 of omni-reference §10), so a 2-unit case weighs twice a chat.

use super::{AgentRouting, TieBreak};
use crate::omni::CapacityPool;

/// Index order: smallest load first, then the tie-break.
pub type Key = (u64, TieBreak);

/// The agent's position in the Least Active order of `pool`.
pub fn key(agent: &AgentRouting, pool: CapacityPool) -> Key {
    (agent.load_in(pool).0, agent.tie)
}
