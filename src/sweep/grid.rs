//! Which (point, replication) pairs a shard runs.
//!
//! The split depends only on the grid's size and `i/n`; a pair's random
//! numbers depend only on the seed and its replication index (points share
//! them), so no result depends on how the sweep was cut.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Shard `index` of `count` (`--shard 2/8`, 0-based).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    /// 0-based index, below `count`.
    pub index: u32,
    /// How many shards the sweep is cut into.
    pub count: u32,
}

impl Shard {
    /// The whole sweep as one shard.
    pub const WHOLE: Shard = Shard { index: 0, count: 1 };

    /// The pairs this shard runs, in (point, replication) order.
    ///
    /// With at least as many points as shards, whole points are dealt out
    /// in turn (point `p` to shard `p mod n`), so each point's replications
    /// — and its `points/<index>/` files — stay in one shard and neighbouring
    /// points, often of similar cost, spread over the shards. With fewer
    /// points than shards the pairs themselves are dealt out.
    pub fn pairs(self, points: u64, replications: u32) -> Vec<(u64, u32)> {
        let n = u64::from(self.count);
        let i = u64::from(self.index);
        if points >= n {
            (0..points)
                .filter(|p| p % n == i)
                .flat_map(|p| (0..replications).map(move |r| (p, r)))
                .collect()
        } else {
            let reps = u64::from(replications);
            (0..points * reps)
                .filter(|j| j % n == i)
                .map(|j| (j / reps, (j % reps) as u32))
                .collect()
        }
    }

    /// Whether each point's replications all run in one shard.
    pub fn keeps_points_whole(self, points: u64) -> bool {
        points >= u64::from(self.count)
    }
}

/// The value index on each axis of point `point`, for axes of `sizes`
/// values each: the first axis varies slowest and the last fastest, as in
/// nested loops.
pub fn coordinates(point: u64, sizes: &[usize]) -> Vec<usize> {
    let mut rest = point;
    let mut out = vec![0; sizes.len()];
    for (i, &n) in sizes.iter().enumerate().rev() {
        out[i] = (rest % n as u64) as usize;
        rest /= n as u64;
    }
    out
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl FromStr for Shard {
    type Err = String;

    fn from_str(s: &str) -> Result<Shard, String> {
        let expected = "expected I/N with 0 ≤ I < N, e.g. 0/4 (shards are numbered from 0)";
        let (i, n) = s
            .split_once('/')
            .ok_or_else(|| format!("`{s}`: {expected}"))?;
        let i: u32 = i.trim().parse().map_err(|_| format!("`{s}`: {expected}"))?;
        let n: u32 = n.trim().parse().map_err(|_| format!("`{s}`: {expected}"))?;
        if n == 0 || i >= n {
            return Err(format!("`{s}` is outside 0..{n}: {expected}"));
        }
        Ok(Shard { index: i, count: n })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_pair_is_in_exactly_one_shard() {
        for (points, reps, n) in [(7, 3, 4), (2, 5, 4), (1, 1, 3), (12, 2, 12), (5, 4, 1)] {
            let mut all: Vec<(u64, u32)> = (0..n)
                .flat_map(|i| Shard { index: i, count: n }.pairs(points, reps))
                .collect();
            all.sort();
            let expected: Vec<(u64, u32)> = (0..points)
                .flat_map(|p| (0..reps).map(move |r| (p, r)))
                .collect();
            assert_eq!(all, expected, "{points} points × {reps} on {n} shards");
        }
    }

    #[test]
    fn points_stay_whole_when_there_are_enough() {
        let s = Shard { index: 1, count: 3 };
        assert_eq!(s.pairs(4, 2), vec![(1, 0), (1, 1)]);
        assert!(s.keeps_points_whole(4));
        assert!(!s.keeps_points_whole(2));
        assert_eq!(s.pairs(2, 3), vec![(0, 1), (1, 1)]);
    }

    #[test]
    fn the_last_axis_varies_fastest() {
        let sizes = [3, 2];
        let all: Vec<Vec<usize>> = (0..6).map(|p| coordinates(p, &sizes)).collect();
        assert_eq!(
            all,
            [[0, 0], [0, 1], [1, 0], [1, 1], [2, 0], [2, 1]].map(Vec::from)
        );
    }

    #[test]
    fn shards_parse_and_refuse_out_of_range() {
        assert_eq!("2/4".parse(), Ok(Shard { index: 2, count: 4 }));
        assert!("4/4".parse::<Shard>().unwrap_err().contains("outside 0..4"));
        assert!("0/0".parse::<Shard>().is_err());
        assert!("1".parse::<Shard>().is_err());
        assert!("-1/4".parse::<Shard>().is_err());
    }
}
