//! A centre split into cells, one per thread, for `load --threads N`.
//!
//! A run's actors share one calendar and one router on one thread: that is
//! what keeps a replication deterministic, and why a single run cannot use
//! a second core. Load mode measures the engine, not a centre, so it can
//! spread the load instead: cell `k` of `n` is the same centre with every
//! `n`-th agent of each group (agent `i` of a group goes to cell `i mod n`,
//! so shifts and breaks of a roster are dealt out evenly) and `1/n` of
//! every arrival rate. Each cell is a whole run (router, agent actors,
//! calendar) on its own thread's actix system, its own arbiter, with its
//! own random streams; their histograms are added and their rates summed.
//! Routing stays within a cell: an agent of cell 0 never takes cell 1's
//! work, which changes how well the centre pools its agents but not what
//! one toolkit call or routing decision costs.

use crate::scenario::{ArrivalRate, Scenario};

/// Cell `k` of `n` (`k < n`) of `scenario`.
pub fn cell(scenario: &Scenario, k: u32, n: u32) -> Scenario {
    debug_assert!(k < n);
    let mut s = scenario.clone();
    let share = |i: u32| i % n == k;
    for group in &mut s.agents {
        if group.roster.is_empty() {
            group.count = (0..group.count).filter(|&i| share(i)).count() as u32;
            continue;
        }
        // Agents are numbered through the roster's entries in order.
        let mut next = 0u32;
        for entry in &mut group.roster {
            let first = next;
            next += entry.count;
            entry.count = (first..next).filter(|&i| share(i)).count() as u32;
        }
        group.roster.retain(|e| e.count > 0);
        group.count = group.roster.iter().map(|e| e.count).sum();
    }
    let scale = 1.0 / f64::from(n);
    for stream in &mut s.arrivals {
        match &mut stream.rate {
            ArrivalRate::Constant(per_hour) => *per_hour *= scale,
            ArrivalRate::Profile { per_hour, .. } => {
                per_hour.iter_mut().for_each(|r| *r *= scale);
            }
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::offered_rate_per_s;

    fn scenario(path: &str) -> Scenario {
        Scenario::from_path(path.as_ref()).unwrap()
    }

    /// The cells together are the centre: every agent (and every rostered
    /// shift) in exactly one cell, the arrival rates summing to the whole.
    #[test]
    fn the_cells_add_up_to_the_centre() {
        for path in [
            "../scenarios/load.toml",
            "../scenarios/support_centre.toml",
            "../scenarios/bank_day.toml",
        ] {
            let s = scenario(path);
            for n in [1, 2, 3, 7] {
                let cells: Vec<Scenario> = (0..n).map(|k| cell(&s, k, n)).collect();
                for (g, group) in s.agents.iter().enumerate() {
                    let counts: Vec<u32> = cells.iter().map(|c| c.agents[g].count).collect();
                    assert_eq!(counts.iter().sum::<u32>(), group.count, "{path} {n}");
                    // Dealt evenly: no two cells differ by more than one.
                    let (lo, hi) = (counts.iter().min(), counts.iter().max());
                    assert!(hi.unwrap() - lo.unwrap() <= 1, "{path} {n} {counts:?}");
                    let shifts = |c: &Scenario| {
                        c.agents[g]
                            .schedules()
                            .map(|a| format!("{:?}", a.shift))
                            .collect::<Vec<_>>()
                    };
                    let mut all: Vec<String> = cells.iter().flat_map(shifts).collect();
                    let mut whole = shifts(&s);
                    all.sort();
                    whole.sort();
                    assert_eq!(all, whole, "{path} {n}: each agent's shift in one cell");
                }
                let rate: f64 = cells.iter().map(offered_rate_per_s).sum();
                let whole = offered_rate_per_s(&s);
                assert!((rate - whole).abs() < 1e-9 * whole, "{path} {n}");
            }
        }
    }
}
