//! Named, seeded random streams.
//!
//! Every random draw comes from a stream identified by (seed, replication,
//! kind, index), so adding an agent or a queue does not shift the draws of
//! any other (omni-reference §9), and replication `r` is independent of `r+1`.
//!
//! A queue's streams are indexed by the queue's position. An agent's
//! streams ([`agent_stream`]) are not indexed by its number, which every
//! agent of an earlier group shifts, but by who it is: its group's name and
//! its roster name, or its place within its group when the roster names
//! nobody ([`AgentKey`]). So a scenario with three more agents in one group
//! draws, for every agent of every other group, the same absences, break
//! lateness and behaviour (response times, accept or decline, wrap-up,
//! pauses) as before, bit for bit; what the agents of that group are pushed
//! still depends on the whole centre, since routing does.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use sha2::{Digest, Sha256};

/// What a stream is used for.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
#[repr(u64)]
pub enum StreamKind {
    /// Inter-arrival times of one queue.
    Arrivals = 1,
    /// Handle time and patience of one queue's items.
    Demand = 2,
    /// One agent's behaviour (response time, accept/decline, wrap-up).
    Behaviour = 3,
    /// One skill-mix dimension of one queue's items (index: queue << 16 |
    /// dimension), so adding a dimension shifts no other draw.
    SkillMix = 4,
    /// Secondary routing priority of one queue's items.
    SecondaryPriority = 5,
    /// After-conversation work of one queue's items (its arrival
    /// stream's `wrap_up`): a stream of its own so that adding the key
    /// moves no other draw.
    WrapUp = 6,
    /// Whether, where and after how long one queue's items are
    /// transferred (its arrival stream's `transfer`, and the transfers
    /// that chain from it): its own stream so that adding the key moves
    /// no other draw.
    Transfer = 7,
    /// The day's busyness factor (`[simulation] busyness`, index 0): one
    /// draw per replication, for every queue at once.
    Busyness = 8,
    /// Whether one queue's abandoning customers try again, after how
    /// long, and the patience of their new attempts (its arrival stream's
    /// `retrial`). Index `queue` for the plans of first attempts, drawn in
    /// arrival order so they never depend on routing; index
    /// `1 << 32 | queue` for the draws of the retrials themselves.
    Retrial = 9,
    /// Whether one agent is absent for the day (its group's `absence`):
    /// its own stream, drawn only when the group sets the key.
    Absence = 10,
    /// How late each of one agent's breaks starts (its group's
    /// `break_lateness`): its own stream, drawn only when the key is set.
    BreakLateness = 11,
}

/// Bits of a stream number that hold the index; the kind sits above them.
const INDEX_BITS: u32 = 48;

/// An agent's name for its random streams: a 48-bit digest of its group's
/// name and, within the group, its roster name (with how many agents of
/// the group before it bear the same name) or, for a group whose roster
/// names nobody, its place in the group. Nothing about other groups goes
/// in, so changing them leaves it as it is.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub struct AgentKey(u64);

impl AgentKey {
    /// The agent at `index` (0-based) within group `group`, unnamed.
    pub fn placed(group: &str, index: u32) -> AgentKey {
        AgentKey::digest(group, b'#', index.to_string().as_bytes(), 0)
    }

    /// The agent named `name` in group `group`'s roster, the
    /// `occurrence`-th (0-based) of that name in the group.
    pub fn named(group: &str, name: &str, occurrence: u32) -> AgentKey {
        AgentKey::digest(group, b'@', name.as_bytes(), occurrence)
    }

    fn digest(group: &str, tag: u8, member: &[u8], occurrence: u32) -> AgentKey {
        // Lengths first, so no two (group, member) pairs hash the same
        // bytes; SHA-256 is fixed for every machine and Rust version,
        // which std's `Hash` is not.
        let mut h = Sha256::new();
        h.update((group.len() as u64).to_le_bytes());
        h.update(group.as_bytes());
        h.update([tag]);
        h.update((member.len() as u64).to_le_bytes());
        h.update(member);
        h.update(occurrence.to_le_bytes());
        let d = h.finalize();
        let mut bytes = [0u8; 8];
        bytes.copy_from_slice(&d[..8]);
        AgentKey(u64::from_le_bytes(bytes) >> (64 - INDEX_BITS))
    }
}

/// The stream for `kind` of the agent `key` names, in replication
/// `replication`: its own whatever the other groups hold.
pub fn agent_stream(seed: u64, replication: u32, kind: StreamKind, key: AgentKey) -> ChaCha8Rng {
    stream(seed, replication, kind, key.0)
}

/// SplitMix64: spreads nearby seeds far apart before ChaCha keys on them.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The stream for `(kind, index)` of replication `replication`.
pub fn stream(seed: u64, replication: u32, kind: StreamKind, index: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(mix(seed ^ mix(replication as u64)));
    rng.set_stream(((kind as u64) << INDEX_BITS) ^ index);
    rng
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::Rng;

    #[test]
    fn streams_are_reproducible_and_distinct() {
        let draw = |s: u64, r: u32, k: StreamKind, i: u64| stream(s, r, k, i).gen::<u64>();
        assert_eq!(
            draw(1, 0, StreamKind::Arrivals, 0),
            draw(1, 0, StreamKind::Arrivals, 0)
        );
        assert_ne!(
            draw(1, 0, StreamKind::Arrivals, 0),
            draw(1, 1, StreamKind::Arrivals, 0)
        );
        assert_ne!(
            draw(1, 0, StreamKind::Arrivals, 0),
            draw(1, 0, StreamKind::Demand, 0)
        );
        assert_ne!(
            draw(1, 0, StreamKind::Behaviour, 0),
            draw(1, 0, StreamKind::Behaviour, 1)
        );
        assert_ne!(
            draw(1, 0, StreamKind::Arrivals, 0),
            draw(2, 0, StreamKind::Arrivals, 0)
        );
    }

    #[test]
    fn an_agents_key_depends_on_its_group_and_place_only() {
        let draw = |k: AgentKey| agent_stream(1, 0, StreamKind::Absence, k).gen::<u64>();
        assert_eq!(AgentKey::placed("Cards", 3), AgentKey::placed("Cards", 3));
        assert_eq!(
            draw(AgentKey::placed("Cards", 3)),
            draw(AgentKey::placed("Cards", 3))
        );
        let keys = [
            AgentKey::placed("Cards", 3),
            AgentKey::placed("Cards", 4),
            AgentKey::placed("Loans", 3),
            AgentKey::placed("Cards3", 0),
            AgentKey::named("Cards", "3", 0),
            AgentKey::named("Cards", "Ava", 0),
            AgentKey::named("Cards", "Ava", 1),
        ];
        for (i, a) in keys.iter().enumerate() {
            assert!(a.0 < 1 << INDEX_BITS);
            for b in &keys[i + 1..] {
                assert_ne!(a, b);
                assert_ne!(draw(*a), draw(*b));
            }
        }
    }
}
