//! Turning a head-count per interval into a scenario the engine runs, and
//! reading the planned scenario's load and roster per interval.
//!
//! A candidate's agent `k` of a group is on the floor in every interval
//! whose head-count for the group exceeds `k`: one shift from the first
//! such interval to the last, and a break (a busy status) for each gap
//! ([`RosteredShift::on_floor_in`]). Lower-numbered agents are therefore
//! on the floor whenever higher-numbered ones are, so a candidate that
//! adds one agent to an interval changes nothing else.

use crate::omni::{PresenceStatus, StatusId};
use crate::scenario::IntervalLoad;
use crate::scenario::{ArrivalRate, RosteredShift, Scenario, BREAK_LABEL, BREAK_STATUS};
use crate::time::SimDuration;

/// Expected load of every queue (scenario order) in every interval of the
/// day, every source counted ([`Scenario::offered_work`]): arrivals and
/// transfers in, handle time and the wrap-up that holds capacity too. A
/// queue nothing enters offers nothing.
pub fn interval_loads(s: &Scenario) -> Vec<Vec<IntervalLoad>> {
    s.offered_work()
}

/// What the scenario's roster puts on the floor, per group then interval
/// (after breaks and expected absence).
pub fn rostered_floor(s: &Scenario) -> Vec<Vec<f64>> {
    (0..s.agents.len())
        .map(|g| s.floor_per_interval(g))
        .collect()
}

/// The scenario candidates are built from: the same centre with every
/// roster, break and absence removed (the plan is the floor head-count)
/// and a busy status for the gaps between an agent's intervals, granted
/// to every group.
pub fn planning_base(s: &Scenario) -> Scenario {
    let mut base = s.clone();
    let status = break_status(&mut base);
    for g in &mut base.agents {
        g.roster.clear();
        g.absence = 0.0;
        g.break_lateness = None;
        if !g.allowed_statuses.is_empty() && !g.allowed_statuses.contains(&status) {
            g.allowed_statuses.push(status);
        }
    }
    base
}

/// The busy status gaps are spent in: the scenario's own `Break` status
/// when it has one without channels, else one added.
fn break_status(s: &mut Scenario) -> StatusId {
    if let Some(i) = s
        .statuses
        .iter()
        .position(|st| st.api_name == BREAK_STATUS && st.channels.is_empty())
    {
        return StatusId(i as u32);
    }
    let name = if s.statuses.iter().any(|st| st.api_name == BREAK_STATUS) {
        format!("{BREAK_STATUS}_Off_Floor")
    } else {
        BREAK_STATUS.to_string()
    };
    s.statuses.push(PresenceStatus {
        api_name: name,
        label: BREAK_LABEL.into(),
        channels: Vec::new(),
    });
    StatusId((s.statuses.len() - 1) as u32)
}

/// The window of `base` (from [`planning_base`]) that starts at interval
/// `first` of the day, with `rows[i][g]` agents of group `g` on the floor
/// in its interval `i`. A window from the start of the day keeps the
/// warm-up; a later one starts empty at its first interval, its arrival
/// profiles and clock moved on to it.
pub fn window(base: &Scenario, first: usize, rows: &[Vec<u32>]) -> Scenario {
    let mut s = base.clone();
    let step = base.simulation.interval;
    let skipped = SimDuration(step.0.saturating_mul(first as u64));
    let sim = &mut s.simulation;
    if first > 0 {
        sim.warmup = SimDuration::ZERO;
        sim.start_of_day = sim.start_of_day + skipped;
    }
    let length = SimDuration(step.0.saturating_mul(rows.len() as u64));
    sim.duration = length.min(SimDuration(
        base.simulation.duration.0.saturating_sub(skipped.0),
    ));
    for a in &mut s.arrivals {
        if let ArrivalRate::Profile {
            interval,
            per_hour,
            aht_scale,
        } = &mut a.rate
        {
            // One segment per reporting interval, then the window's part.
            let k = (interval.0 / step.0.max(1)).max(1) as usize;
            let slice = |v: &[f64]| -> Vec<f64> {
                let expanded: Vec<f64> =
                    v.iter().flat_map(|x| std::iter::repeat_n(*x, k)).collect();
                let from = first.min(expanded.len().saturating_sub(1));
                expanded[from..].to_vec()
            };
            *per_hour = slice(per_hour);
            if let Some(scale) = aht_scale {
                *scale = slice(scale);
            }
            *interval = step;
        }
    }
    let status = s
        .statuses
        .iter()
        .rposition(|st| st.label == BREAK_LABEL && st.channels.is_empty())
        .map_or(StatusId(0), |i| StatusId(i as u32));
    let sim = s.simulation.clone();
    for (g, group) in s.agents.iter_mut().enumerate() {
        let most = rows.iter().map(|r| r[g]).max().unwrap_or(0);
        let roster: Vec<RosteredShift> = (0..most)
            .filter_map(|k| {
                let on: Vec<usize> = rows
                    .iter()
                    .enumerate()
                    .filter(|(_, r)| r[g] > k)
                    .map(|(i, _)| i)
                    .collect();
                RosteredShift::on_floor_in(&sim, &on, status)
            })
            .collect();
        if roster.is_empty() {
            group.roster.clear();
            group.count = 0;
        } else {
            group.set_roster(roster);
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    const DESK: &str = r#"
[simulation]
name = "desk"
start = "09:00"
duration = "2h"
warmup = "15m"
interval = "30m"

[[channels]]
name = "calls"

[[statuses]]
name = "Available"
channels = ["calls"]

[[presence_configs]]
name = "Phone"
capacity = 1

[[queues]]
name = "Sales"
channel = "calls"
routing_model = "most_available"
capacity_weight = 1

[[arrivals]]
queue = "Sales"
rate_profile = [30, 60, 150, 60]
handle_time = "4m"

[[agents]]
group = "Team"
shifts = [{ start = "09:00", end = "11:00", count = 6, breaks = [{ start = "10:00", duration = "30m" }] }]
absence = 0.5
"#;

    fn desk() -> Scenario {
        let text = DESK.replace(
            "absence",
            "presence_config = \"Phone\"\nstatus = \"Available\"\nabsence",
        );
        Scenario::from_toml_str(&text, "desk.toml").unwrap()
    }

    #[test]
    fn the_base_drops_the_roster_and_a_window_puts_the_rows_on_the_floor() {
        let s = desk();
        assert_eq!(rostered_floor(&s), vec![vec![3.0, 3.0, 0.0, 3.0]]);
        let base = planning_base(&s);
        assert_eq!(base.agents[0].absence, 0.0);
        assert!(base.agents[0].roster.is_empty());
        // From the start of the day: the warm-up stays.
        let w = window(&base, 0, &[vec![2], vec![5]]);
        assert_eq!(w.simulation.warmup, SimDuration::from_secs(900));
        assert_eq!(w.simulation.duration, SimDuration::from_secs(3600));
        assert_eq!(w.floor_per_interval(0), vec![2.0, 5.0]);
        // Later: starts empty at its first interval, profile and clock
        // moved on, a gap in the rows is a break.
        let w = window(&base, 1, &[vec![4], vec![0], vec![1]]);
        assert_eq!(w.simulation.warmup, SimDuration::ZERO);
        let clock = w.simulation.clock();
        assert_eq!(clock.label(clock.measured_start()), "09:30");
        assert_eq!(w.floor_per_interval(0), vec![4.0, 0.0, 1.0]);
        assert_eq!(w.agents[0].count, 4);
        let ArrivalRate::Profile { per_hour, .. } = &w.arrivals[0].rate else {
            panic!("a profile stays a profile");
        };
        assert_eq!(per_hour, &vec![60.0, 150.0, 60.0]);
        // Nobody at all.
        let w = window(&base, 3, &[vec![0]]);
        assert_eq!((w.agents[0].count, w.agent_count()), (0, 0));
    }

    #[test]
    fn loads_include_the_wrap_up_that_holds_capacity() {
        let s = desk();
        let loads = interval_loads(&s);
        assert_eq!(loads[0][2].rate_per_hour, 150.0);
        assert_eq!(loads[0][2].mean_handle_s, 240.0);
        let text = DESK.replace(
            "absence",
            "presence_config = \"Phone\"\nstatus = \"Available\"\nwrap_up = \"1m\"\nabsence",
        );
        let s = Scenario::from_toml_str(&text, "desk.toml").unwrap();
        assert_eq!(interval_loads(&s)[0][2].mean_handle_s, 300.0);
    }
}
