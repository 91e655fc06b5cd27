//! The keys only planning reads: what an agent-hour of each group costs,
//! how many of the group `plan` may put on the floor, whether its
//! head-count is fixed, and over what span each queue's targets are held
//! (`agents[].cost_per_hour`, `min_agents`, `max_agents`, `plan_fixed`;
//! `queues[].target_window`).
//!
//! A run ignores them: they say what a plan or a schedule may choose, not
//! how the centre behaves. They live in one module so the rest of the
//! validator does not grow with every planning rule.

use super::error::ScenarioErrorKind as Kind;
use super::raw::{RawAgents, RawQueue};
use super::validate::{Ctx, Item};
use super::{ScenarioError, SimulationSettings};
use crate::time::SimDuration;
use serde::Serialize;

type Result<T> = std::result::Result<T, ScenarioError>;

/// How a group may be staffed by `plan` and `schedule`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GroupPlanning {
    /// What one agent of the group costs per hour on the floor or on a
    /// shift (`cost_per_hour`, default 1): the plan and the schedule
    /// minimise the sum of these, so with the default they minimise
    /// agent-hours.
    pub cost_per_hour: f64,
    /// Fewest agents of the group on the floor in any interval
    /// (`min_agents`, default 0).
    pub min_agents: u32,
    /// Most agents of the group on the floor in any interval
    /// (`max_agents`); `None` = no limit of the scenario's own (`plan`
    /// then uses `--max-agents`, else three times the roster).
    pub max_agents: Option<u32>,
    /// The group's head-count is not planned: it is on the floor as its
    /// roster puts it (`plan_fixed = true`), and the other groups are
    /// planned around it.
    pub fixed: bool,
}

impl Default for GroupPlanning {
    fn default() -> Self {
        GroupPlanning {
            cost_per_hour: 1.0,
            min_agents: 0,
            max_agents: None,
            fixed: false,
        }
    }
}

/// The span over which a queue's targets are held when planning
/// (`target_window`).
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetWindow {
    /// Every reporting interval on its own (the default).
    #[default]
    Interval,
    /// The day so far: at each interval, everything from the start of
    /// the day to the end of that interval, as a wallboard's day-to-date
    /// figure; at the last interval, the whole day.
    Day,
    /// A rolling window of this length ending with each interval (the
    /// intervals it spans, at least one); at the start of the day, the
    /// intervals there are so far.
    Rolling(SimDuration),
}

impl TargetWindow {
    /// The intervals of the window that ends with interval `i` (from 0)
    /// on a day of `interval`-long reporting intervals: the first one's
    /// index.
    pub fn first_interval(self, i: usize, interval: SimDuration) -> usize {
        match self {
            TargetWindow::Interval => i,
            TargetWindow::Day => 0,
            TargetWindow::Rolling(d) => {
                let k = d.0.div_ceil(interval.0.max(1)).max(1) as usize;
                (i + 1).saturating_sub(k)
            }
        }
    }

    /// How the window reads in messages and output files: `interval`,
    /// `day` or the duration (`2h`).
    pub fn label(self) -> String {
        match self {
            TargetWindow::Interval => "interval".into(),
            TargetWindow::Day => "day".into(),
            TargetWindow::Rolling(d) => super::humanize(d),
        }
    }
}

/// `cost_per_hour`, `min_agents`, `max_agents` and `plan_fixed` of one
/// `[[agents]]` entry.
pub(super) fn group_planning(cx: &Ctx<'_>, it: &Item, ra: &RawAgents) -> Result<GroupPlanning> {
    let mut p = GroupPlanning::default();
    if let Some(c) = &ra.cost_per_hour {
        let v = *c.get_ref();
        if !(v.is_finite() && v > 0.0) {
            return Err(cx
                .at(
                    Kind::InvalidValue,
                    it,
                    "cost_per_hour",
                    c,
                    format!("`cost_per_hour` is {v}; expected a cost per agent-hour above 0"),
                )
                .with_hint("any unit works as long as every group uses the same: 1 for the cheapest group, 1.4 for one 40% dearer"));
        }
        p.cost_per_hour = v;
    }
    if let Some(v) = &ra.min_agents {
        p.min_agents = cx.count_u32(it, "min_agents", v, 0, "a number of agents, 0 or more")?;
    }
    if let Some(v) = &ra.max_agents {
        let max = cx.count_u32(it, "max_agents", v, 1, "a number of agents, 1 or more")?;
        if max < p.min_agents {
            return Err(cx.at(
                Kind::Inconsistent,
                it,
                "max_agents",
                v,
                format!(
                    "`max_agents` is {max}, below `min_agents` ({}); expected at least as many as the minimum",
                    p.min_agents
                ),
            ));
        }
        p.max_agents = Some(max);
    }
    if let Some(f) = &ra.plan_fixed {
        p.fixed = *f.get_ref();
        if p.fixed && (ra.min_agents.is_some() || ra.max_agents.is_some()) {
            let key = if ra.min_agents.is_some() {
                "min_agents"
            } else {
                "max_agents"
            };
            return Err(cx
                .at(
                    Kind::Inconsistent,
                    it,
                    "plan_fixed",
                    f,
                    format!("`plan_fixed = true` keeps the group as its roster puts it, so `{key}` would never apply"),
                )
                .with_hint(format!("remove `{key}`, or `plan_fixed` to let plan choose the group's head-count")));
        }
    }
    Ok(p)
}

/// `target_window` of one `[[queues]]` entry: `"interval"`, `"day"` or a
/// duration of at least one reporting interval.
pub(super) fn target_window(
    cx: &Ctx<'_>,
    it: &Item,
    rq: &RawQueue,
    sim: &SimulationSettings,
) -> Result<TargetWindow> {
    let Some(w) = &rq.target_window else {
        return Ok(TargetWindow::Interval);
    };
    let text = w.get_ref().trim();
    match text {
        "interval" => return Ok(TargetWindow::Interval),
        "day" => return Ok(TargetWindow::Day),
        _ => {}
    }
    let expected = "expected \"interval\", \"day\" or a duration such as \"2h\"";
    let d = crate::time::parse_duration(text).map_err(|_| {
        cx.at(
            Kind::InvalidValue,
            it,
            "target_window",
            w,
            format!("`target_window` is \"{text}\"; {expected}"),
        )
    })?;
    if d < sim.interval {
        return Err(cx
            .at(
                Kind::InvalidValue,
                it,
                "target_window",
                w,
                format!(
                    "`target_window` is \"{text}\", shorter than one reporting interval ({}); {expected} of at least the interval",
                    super::humanize(sim.interval)
                ),
            )
            .with_hint("targets are held per reporting interval at the finest: \"interval\" does that"));
    }
    Ok(TargetWindow::Rolling(d))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_window_ends_with_its_interval_and_is_cut_at_the_start_of_the_day() {
        let half_hour = SimDuration::from_secs(1800);
        assert_eq!(TargetWindow::Interval.first_interval(5, half_hour), 5);
        assert_eq!(TargetWindow::Day.first_interval(5, half_hour), 0);
        let two_hours = TargetWindow::Rolling(SimDuration::from_secs(7200));
        assert_eq!(two_hours.first_interval(5, half_hour), 2);
        assert_eq!(two_hours.first_interval(1, half_hour), 0);
        // 45 minutes spans two half-hours.
        let odd = TargetWindow::Rolling(SimDuration::from_secs(2700));
        assert_eq!(odd.first_interval(5, half_hour), 4);
        assert_eq!(two_hours.label(), "2h");
    }
}
