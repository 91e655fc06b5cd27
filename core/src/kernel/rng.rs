//! Named, seeded random streams.
//!
//! Every random draw comes from a stream identified by (seed, replication,
//! kind, index), so adding an agent or a queue does not shift the draws of
//! any other (omni-reference §9), and replication `r` is independent of `r+1`.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

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
    rng.set_stream(((kind as u64) << 48) ^ index);
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
}
