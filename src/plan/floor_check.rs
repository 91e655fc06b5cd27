//! `check`'s planning warnings: offered load per interval against the
//! agents on the floor in that interval, after breaks and absence.
//!
//! A day-long average hides the interval where a queue collapses, so the
//! comparison is made interval by interval. Agents shared between queues
//! are counted once: queues and groups linked by "may take" form pools,
//! and each pool's whole load is compared with its whole floor, besides
//! each queue against every agent who may take it (a queue can collapse
//! alone even when its pool has room, if few of the pool may take it).
//! Work is counted in the fewest agents it could occupy (each queue's
//! items packed on the agents holding most of them at once), so the
//! warnings are certain, not guesses: a pool warned about is short of
//! agents however the router shares the work out.
//!
//! Each queue is judged against its own service-level threshold. Work
//! that must be answered within a threshold shorter than a reporting
//! interval (calls, chats) cannot wait for a quieter interval: where its
//! load reaches the floor, its queue grows without bound. Work with a
//! threshold of an interval or more (email answered within a day) may be
//! *deferred*: the agents catch up on it in quieter intervals. For it the
//! day is followed as a fluid: what the floor cannot do in one interval
//! waits for the next, after the work that cannot wait, and a warning
//! comes only where that backlog would take the floor longer than the
//! queue's threshold to clear, or where it is still there when the day
//! ends (those items are not answered within the run).

use super::candidate::{interval_loads, rostered_floor};
use super::start::slots;
use super::{interval_count, serves};
use crate::scenario::Scenario;
use crate::time::SimDuration;

/// Occupancy above which a pool is warned about: queues grow long well
/// before the floor is fully busy.
pub const OCCUPANCY_WARNING: f64 = 0.95;

/// A count of agents as a warning writes it; never `-0.0`.
fn agents(x: f64) -> String {
    format!("{:.1}", x.max(0.0) + 0.0)
}

/// Work left waiting, in agent-seconds, followed across the day.
#[derive(Clone, Copy, Debug, Default)]
struct Backlog {
    agent_s: f64,
    warned: bool,
}

impl Backlog {
    /// Adds an interval of `seconds` in which `need` agents of work met
    /// `floor` agents; returns the time the floor would take to clear
    /// what is left \[s\] (infinite without a floor), or `None` when
    /// nothing is left.
    fn step(&mut self, need: f64, floor: f64, seconds: f64) -> Option<f64> {
        self.agent_s = (self.agent_s + (need - floor) * seconds).max(0.0);
        (self.agent_s > 0.0).then(|| {
            if floor > 0.0 {
                self.agent_s / floor
            } else {
                f64::INFINITY
            }
        })
    }
}

/// "2h 5m", or "ever" when the floor is empty.
fn wait_words(seconds: f64) -> String {
    if seconds.is_finite() {
        crate::scenario::humanize(SimDuration::from_secs_f64(seconds))
    } else {
        "ever (nobody is on the floor)".into()
    }
}

/// The warnings, in interval order, each naming the interval by clock
/// time; the day's leftovers last.
pub fn floor_warnings(s: &Scenario) -> Vec<String> {
    let serves = serves(s);
    let loads = interval_loads(s);
    let floor = rostered_floor(s);
    let clock = s.simulation.clock();
    let groups = s.agents.len();
    let queues = s.queues.len();
    let pools = pools(&serves, groups, queues);
    // The groups that may take each queue, listed once for every interval.
    let takers: Vec<Vec<usize>> = (0..queues)
        .map(|q| (0..groups).filter(|&g| serves[g][q]).collect())
        .collect();
    // The most items of each queue any agent who may take it holds at once.
    let per_agent: Vec<u32> = takers
        .iter()
        .enumerate()
        .map(|(q, gs)| gs.iter().map(|&g| slots(s, g, q)).max().unwrap_or(1))
        .collect();
    let step = s.simulation.interval;
    let deferrable: Vec<bool> = s
        .queues
        .iter()
        .map(|q| q.service_level_threshold >= step)
        .collect();
    let threshold = |q: usize| s.queues[q].service_level_threshold;
    let mut queue_backlog = vec![Backlog::default(); queues];
    let mut pool_backlog = vec![Backlog::default(); pools.len()];
    let mut out = Vec::new();
    let n = interval_count(s);
    for i in 0..n {
        let start = SimDuration(step.0 * i as u64);
        let label = clock.label(clock.instant(start));
        let seconds = s.simulation.duration.0.saturating_sub(start.0).min(step.0) as f64 / 1e6;
        // Load of each queue in agents: Erlangs over the most items of
        // the queue any agent who may take it holds at once. That is the
        // fewest agents the work could occupy, so a warning is never a
        // false alarm.
        let agents_needed: Vec<f64> = (0..queues)
            .map(|q| {
                let l = loads[q][i];
                l.rate_per_hour * l.mean_handle_s / 3600.0 / f64::from(per_agent[q])
            })
            .collect();
        let mut collapsing = vec![false; queues];
        for q in 0..queues {
            // Nobody may take it: `check` warns that its items are never
            // routed; there is no floor to compare with.
            if takers[q].is_empty() {
                continue;
            }
            let available: f64 = takers[q].iter().map(|&g| floor[g][i]).sum();
            let name = &s.queues[q].name;
            if deferrable[q] {
                let b = &mut queue_backlog[q];
                match b.step(agents_needed[q], available, seconds) {
                    Some(wait) if !b.warned && wait > threshold(q).as_secs_f64() => {
                        b.warned = true;
                        out.push(format!(
                            "{label}: queue {name} falls behind: the {} agents who may take it (after breaks and absence) leave {:.1} agent-hours of its work waiting, which would take them {} to clear, longer than its service-level threshold {}",
                            agents(available),
                            b.agent_s / 3600.0,
                            wait_words(wait),
                            crate::scenario::humanize(threshold(q))
                        ));
                    }
                    _ => {}
                }
                continue;
            }
            if agents_needed[q] > 0.0 && agents_needed[q] >= available {
                collapsing[q] = true;
                out.push(format!(
                    "{label}: queue {name} offers {:.1} agents of work but only {} agents who may take it are on the floor (after breaks and absence): the queue will grow without bound in this interval",
                    agents_needed[q],
                    agents(available)
                ));
            }
        }
        for (p, (pool_groups, pool_queues)) in pools.iter().enumerate() {
            // A queue of the pool collapsing alone is warned about already.
            let warned = pool_queues.iter().any(|&q| collapsing[q]);
            let available: f64 = pool_groups.iter().map(|&g| floor[g][i]).sum();
            let (urgent, later): (Vec<usize>, Vec<usize>) =
                pool_queues.iter().partition(|&&q| !deferrable[q]);
            let need: f64 = urgent.iter().map(|&q| agents_needed[q]).sum();
            let names = |qs: &[usize]| {
                qs.iter()
                    .map(|&q| s.queues[q].name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            if warned {
            } else if need > 0.0 && need >= available {
                out.push(format!(
                    "{label}: queues {} offer {need:.1} agents of work to {} agents on the floor (after breaks and absence): they will grow without bound in this interval",
                    names(&urgent),
                    agents(available)
                ));
            } else if need > 0.0 && need / available > OCCUPANCY_WARNING {
                out.push(format!(
                    "{label}: queues {} would keep the agents on the floor {:.0}% busy ({need:.1} agents of work, {} on the floor): above {:.0}%, waits grow long",
                    names(&urgent),
                    100.0 * need / available,
                    agents(available),
                    100.0 * OCCUPANCY_WARNING
                ));
            }
            if later.is_empty() {
                continue;
            }
            // What cannot wait is done first, by the agents who may take
            // it; the deferrable work gets the rest of the floor.
            let urgent_floor: f64 = pool_groups
                .iter()
                .filter(|&&g| urgent.iter().any(|&q| serves[g][q]))
                .map(|&g| floor[g][i])
                .sum();
            let leftover = (available - need.min(urgent_floor)).max(0.0);
            let deferred: f64 = later.iter().map(|&q| agents_needed[q]).sum();
            let tightest = later.iter().map(|&q| threshold(q)).min().unwrap_or(step);
            // A pool of one queue falls behind when the queue does, which
            // is said already.
            let shared = pool_queues.len() > 1;
            let b = &mut pool_backlog[p];
            match b.step(deferred, leftover, seconds) {
                Some(wait) if shared && !b.warned && wait > tightest.as_secs_f64() => {
                    b.warned = true;
                    out.push(format!(
                        "{label}: queues {} fall behind: after the work that cannot wait, the {} agents on the floor leave {:.1} agent-hours of them waiting, which would take {} to clear, longer than their service-level threshold {}",
                        names(&later),
                        agents(leftover),
                        b.agent_s / 3600.0,
                        wait_words(wait),
                        crate::scenario::humanize(tightest)
                    ));
                }
                _ => {}
            }
        }
    }
    // What is still waiting when the day ends is not answered within the
    // run, whatever the threshold: said once per pool, whose backlog
    // counts the work that could not wait first.
    let end = clock.label(clock.instant(s.simulation.duration));
    for (p, b) in pool_backlog.iter().enumerate() {
        if b.agent_s > 0.0 {
            let later: Vec<&str> = pools[p]
                .1
                .iter()
                .filter(|&&q| deferrable[q])
                .map(|&q| s.queues[q].name.as_str())
                .collect();
            out.push(format!(
                "{end}: {} {} the day with some {:.1} agent-hours of work still waiting: those items are not answered within the run",
                if later.len() == 1 { "queue" } else { "queues" },
                later.join(", ") + if later.len() == 1 { " ends" } else { " end" },
                b.agent_s / 3600.0
            ));
        }
    }
    out
}

/// Groups and queues linked by "may take", as (groups, queues) pools;
/// queues nobody may take are left out (`check` says so elsewhere).
pub fn pools(serves: &[Vec<bool>], groups: usize, queues: usize) -> Vec<(Vec<usize>, Vec<usize>)> {
    let mut pool_of_group: Vec<Option<usize>> = vec![None; groups];
    let mut queue_pooled = vec![false; queues];
    let mut out: Vec<(Vec<usize>, Vec<usize>)> = Vec::new();
    for start in 0..groups {
        if pool_of_group[start].is_some() {
            continue;
        }
        let id = out.len();
        let mut gs = vec![start];
        let mut qs: Vec<usize> = Vec::new();
        pool_of_group[start] = Some(id);
        let mut k = 0;
        while k < gs.len() {
            let g = gs[k];
            for (q, &may) in serves[g].iter().enumerate().take(queues) {
                if may && !queue_pooled[q] {
                    queue_pooled[q] = true;
                    qs.push(q);
                    for (h, pool) in pool_of_group.iter_mut().enumerate() {
                        if serves[h][q] && pool.is_none() {
                            *pool = Some(id);
                            gs.push(h);
                        }
                    }
                }
            }
            k += 1;
        }
        gs.sort_unstable();
        qs.sort_unstable();
        out.push((gs, qs));
    }
    out.retain(|(_, qs)| !qs.is_empty());
    out
}

#[cfg(test)]
mod tests {
    use super::{floor_warnings, pools};
    use crate::scenario::Scenario;

    /// One queue of 6-minute items and `count` agents: 60 an hour (6
    /// agents of work) in the first hour, 20 in the next three.
    /// `threshold` is the queue's; `extra` is appended to the group.
    fn day(threshold: &str, count: u32, extra: &str) -> Scenario {
        let text = format!(
            r#"
[simulation]
name = "day"
duration = "4h"
interval = "1h"
[[channels]]
name = "email"
[[statuses]]
name = "On"
channels = ["email"]
[[presence_configs]]
name = "c"
capacity = 1
[[queues]]
name = "Email"
channel = "email"
routing_model = "most_available"
capacity_weight = 1
service_level_threshold = "{threshold}"
[[arrivals]]
queue = "Email"
rate_profile = [60, 20, 20, 20]
handle_time = "6m"
[[agents]]
group = "g"
count = {count}
presence_config = "c"
status = "On"
{extra}
"#
        );
        Scenario::from_toml_str(&text, "day.toml").unwrap()
    }

    #[test]
    fn each_queue_is_judged_against_its_own_threshold() {
        // Answered within 20 s: the first hour collapses.
        let w = floor_warnings(&day("20s", 4, ""));
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(
            w[0].starts_with("00:00: queue Email offers 6.0 agents of work but only 4.0 agents"),
            "{w:?}"
        );
        // Answered within a day, or within an hour: the 2 agent-hours left
        // after the first hour take the 4 agents half an hour, and the
        // next hour works them off.
        assert!(floor_warnings(&day("24h", 4, "")).is_empty());
        assert!(floor_warnings(&day("1h", 4, "")).is_empty());
        // Two agents within an hour: 4 agent-hours behind, 2 hours to
        // clear, and never cleared.
        let w = floor_warnings(&day("1h", 2, ""));
        assert_eq!(w.len(), 2, "{w:?}");
        assert!(
            w[0].starts_with("00:00: queue Email falls behind: the 2.0 agents who may take it (after breaks and absence) leave 4.0 agent-hours of its work waiting, which would take them 2h to clear, longer than its service-level threshold 1h"),
            "{w:?}"
        );
    }

    #[test]
    fn a_deferred_backlog_that_outlasts_the_day_is_said() {
        let w = floor_warnings(&day("24h", 2, ""));
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(
            w[0].starts_with(
                "04:00: queue Email ends the day with some 4.0 agent-hours of work still waiting"
            ),
            "{w:?}"
        );
    }

    #[test]
    fn a_queue_nobody_may_take_gets_no_floor_warning() {
        let s = day("20s", 4, "queues = []");
        assert!(s
            .warnings
            .iter()
            .any(|w| w.contains("no agent group belongs to it")));
        let w = floor_warnings(&s);
        assert!(w.iter().all(|w| !w.contains("-0.0")), "{w:?}");
        assert!(w.is_empty(), "{w:?}");
    }

    #[test]
    fn pools_link_groups_through_shared_queues() {
        // g0: q0; g1: q0, q1; g2: q2; g3: nothing.
        let serves = vec![
            vec![true, false, false],
            vec![true, true, false],
            vec![false, false, true],
            vec![false, false, false],
        ];
        assert_eq!(
            pools(&serves, 4, 3),
            vec![(vec![0, 1], vec![0, 1]), (vec![2], vec![2])]
        );
    }
}
