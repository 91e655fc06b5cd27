//! `omnisim schedule`: shifts and breaks at least cost that meet every
//! target.
//!
//! # Method
//!
//! 1. **Plan** the head-count each group needs on the floor per interval
//!    ([`crate::plan`]), and turn it into rostered heads with the group's
//!    absence: the first requirement.
//! 2. **Cover** it ([`covering`]): for each group, the shifts (lengths,
//!    starts) and breaks (windows, paid or not) the rules file allows
//!    ([`rules`]), as an integer programme on a grid of slots fine enough
//!    for every time the rules name ([`grid`]), at least cost.
//! 3. **Check** the roster by simulation ([`check`]), breaks, absence and
//!    the day's busyness included, exactly as `run` would with the roster
//!    file in place: the scenario's replications and seed, every target
//!    judged on its mean in every interval.
//! 4. **Cut** where an interval misses a target: the cheapest group that
//!    may take the queue's work must have one more agent on the floor
//!    there than the roster gave it, and the programme is solved again,
//!    until every target is met or `max_iterations` is reached.
//!
//! Doing it in two steps alone (staff per interval, then cover) can be
//! far from the cheapest roster; the cuts let the simulation decide
//! where the shifts' overlaps already carry an interval and where they
//! do not (Atlason, Epelman & Henderson 2004; Cezik & L'Ecuyer 2008).

pub mod check;
pub mod covering;
pub mod grid;
pub mod html;
pub mod output;
pub mod roster;
pub mod rules;

use crate::plan::{PlanError, PlanOptions, PlannedInterval, StaffingPlan};
use crate::scenario::{Scenario, ScenarioError};
use check::Miss;
use covering::{Cover, Covering, CoveringError, SolveLimits};
use grid::Grid;
use roster::RosterLine;
use rules::ShiftRules;
use std::path::{Path, PathBuf};

/// One group's part of the schedule.
#[derive(Clone, Debug, PartialEq)]
pub struct GroupSchedule {
    /// Its covering problem, as last solved.
    pub covering: Covering,
    /// The shift type of each pattern.
    pub kinds: Vec<usize>,
    /// The solution.
    pub cover: Cover,
}

/// One solve of the programmes and its check by simulation.
#[derive(Clone, Debug, PartialEq)]
pub struct Iteration {
    /// The roster's cost (paid hours × cost per hour).
    pub cost: f64,
    /// Its paid hours.
    pub paid_hours: f64,
    /// The linear relaxations' bound on the cost of a roster for this
    /// iteration's requirement.
    pub lp_bound: f64,
    /// The targets it missed.
    pub misses: Vec<Miss>,
    /// Requirements raised after it.
    pub cuts: usize,
}

/// The schedule: the roster, its cost and how it was found.
#[derive(Clone, Debug, PartialEq)]
pub struct Schedule {
    /// The day's slots.
    pub grid: Grid,
    /// The plan the first requirement came from.
    pub plan: StaffingPlan,
    /// The final requirement: rostered agents on the floor per group,
    /// then interval.
    pub requirement: Vec<Vec<u32>>,
    /// Per group, scenario order.
    pub groups: Vec<GroupSchedule>,
    /// The roster, group by group.
    pub lines: Vec<RosterLine>,
    /// Every solve, in order.
    pub iterations: Vec<Iteration>,
    /// The text of `roster.csv`.
    pub roster_csv: String,
    /// The targets the final roster misses (empty: every target met).
    pub misses: Vec<Miss>,
}

impl Schedule {
    /// The final roster's cost.
    pub fn cost(&self) -> f64 {
        self.groups.iter().map(|g| g.cover.cost).sum()
    }

    /// The linear relaxations' bound for the final requirement.
    pub fn lp_bound(&self) -> f64 {
        self.groups.iter().map(|g| g.cover.lp_bound).sum()
    }

    /// The cost's gap to the bound, relative to the bound.
    pub fn gap(&self) -> f64 {
        let b = self.lp_bound();
        if b > 0.0 {
            (self.cost() - b).max(0.0) / b
        } else {
            0.0
        }
    }
}

/// What `schedule` reports as it goes.
#[derive(Debug)]
pub enum Progress<'a> {
    /// An interval of the plan is done.
    Planned(&'a PlannedInterval),
    /// A roster was solved and checked.
    Checked(&'a Iteration),
}

/// Why there is no schedule.
#[derive(Debug, thiserror::Error)]
pub enum ScheduleError {
    /// The plan the requirement comes from failed.
    #[error(transparent)]
    Plan(#[from] PlanError),
    /// The scenario with the roster in place did not read.
    #[error(transparent)]
    Scenario(#[from] ScenarioError),
    /// The rules and the scenario do not fit together.
    #[error("{0}")]
    Rules(String),
    /// A group's requirement has no roster within the rules.
    #[error("group \"{group}\": {why}")]
    Covering {
        /// The group.
        group: String,
        /// What stops it.
        why: String,
    },
    /// A simulation of a roster failed (stalled, or code inside it
    /// panicked).
    #[error("a simulation of the roster failed: {0}")]
    Run(#[from] crate::runner::RunError),
    /// The roster could not be written for the check.
    #[error("cannot write the roster to check it: {0}")]
    Io(#[from] std::io::Error),
}

/// A folder that is removed with everything in it when dropped: where
/// the roster under check is written.
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> std::io::Result<Scratch> {
        let dir = std::env::temp_dir().join(format!("omnisim-schedule-{}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        Ok(Scratch(dir))
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Plans, covers, checks and cuts; `path` is the scenario file (its text
/// is read again with the roster in place for each check).
pub fn schedule(
    path: &Path,
    scenario: &Scenario,
    rules: &ShiftRules,
    options: &PlanOptions,
    progress: &mut dyn FnMut(Progress<'_>),
) -> Result<Schedule, ScheduleError> {
    let grid = grid::grid(scenario, rules).map_err(ScheduleError::Rules)?;
    let plan = crate::plan::plan(scenario, options, &mut |iv| progress(Progress::Planned(iv)))?;
    let groups = scenario.agents.len();
    let mut requirement: Vec<Vec<u32>> = (0..groups)
        .map(|g| {
            plan.intervals
                .iter()
                .map(|iv| iv.agents_to_roster[g])
                .collect()
        })
        .collect();
    let max: Vec<u32> = scenario
        .agents
        .iter()
        .zip(&plan.limits.max)
        .map(|(g, &m)| crate::plan::day::to_roster(m, g.absence))
        .collect();
    let serves = crate::plan::serves(scenario);
    let cost: Vec<f64> = rules.groups.iter().map(|g| g.cost_per_hour).collect();
    let text = std::fs::read_to_string(path)?;
    let scratch = Scratch::new()?;
    let roster_path = scratch.0.join("roster.csv");
    let checked_text = roster::with_roster(&text, &roster_path).map_err(ScheduleError::Rules)?;
    let limits = SolveLimits {
        mip_gap: rules.mip_gap,
        time_limit_s: rules.time_limit_s,
    };
    let mut solved: Vec<Option<(Vec<u32>, GroupSchedule)>> = vec![None; groups];
    let mut iterations = Vec::new();
    loop {
        for g in 0..groups {
            if solved[g]
                .as_ref()
                .is_some_and(|(r, _)| r == &requirement[g])
            {
                continue;
            }
            let (covering, kinds) = grid::covering(&grid, rules, g, &requirement[g]);
            let cover = covering::solve(&covering, limits)
                .map_err(|e| covering_error(scenario, &grid, g, e))?;
            solved[g] = Some((
                requirement[g].clone(),
                GroupSchedule {
                    covering,
                    kinds,
                    cover,
                },
            ));
        }
        let schedules: Vec<GroupSchedule> = solved
            .iter()
            .map(|s| s.as_ref().expect("every group solved").1.clone())
            .collect();
        let mut lines = Vec::new();
        for (g, gs) in schedules.iter().enumerate() {
            lines.extend(roster::lines(
                scenario,
                &grid,
                g,
                &gs.covering,
                &gs.kinds,
                &gs.cover,
                0,
            ));
        }
        let csv = roster::roster_csv(scenario, rules, &lines);
        std::fs::write(&roster_path, &csv)?;
        let with_roster = Scenario::from_text_at(&checked_text, path)?;
        let reps = check::simulate(&with_roster, options.jobs)?;
        let misses = check::misses(&with_roster, &reps);
        let mut cuts = 0;
        if !misses.is_empty() && iterations.len() + 1 < rules.max_iterations as usize {
            for m in &misses {
                let Some(g) = check::group_to_raise(&serves, &cost, &requirement, &max, m) else {
                    continue;
                };
                let gs = &schedules[g];
                let coverage = gs.cover.coverage(&gs.covering);
                let lowest = coverage[m.interval * grid.per_interval
                    ..((m.interval + 1) * grid.per_interval).min(grid.slots)]
                    .iter()
                    .copied()
                    .min()
                    .unwrap_or(0);
                let raised = requirement[g][m.interval].max(lowest + 1).min(max[g]);
                if raised > requirement[g][m.interval] {
                    requirement[g][m.interval] = raised;
                    cuts += 1;
                }
            }
        }
        let iteration = Iteration {
            cost: schedules.iter().map(|s| s.cover.cost).sum(),
            paid_hours: paid_hours(rules, &lines),
            lp_bound: schedules.iter().map(|s| s.cover.lp_bound).sum(),
            misses: misses.clone(),
            cuts,
        };
        progress(Progress::Checked(&iteration));
        iterations.push(iteration);
        if misses.is_empty() || cuts == 0 {
            return Ok(Schedule {
                grid,
                plan,
                requirement,
                groups: schedules,
                lines,
                iterations,
                roster_csv: csv,
                misses,
            });
        }
    }
}

/// Paid hours of a roster: each line's length less its unpaid breaks.
pub fn paid_hours(rules: &ShiftRules, lines: &[RosterLine]) -> f64 {
    lines
        .iter()
        .map(|l| {
            let unpaid: f64 = l
                .breaks
                .iter()
                .filter(|(_, _, b)| !rules.shifts[l.shift].breaks[*b].paid)
                .map(|(s, e, _)| (e.0 - s.0) as f64)
                .sum();
            ((l.end.0 - l.start.0) as f64 - unpaid) / 3.6e9
        })
        .sum()
}

/// A covering failure in the scenario's words.
fn covering_error(s: &Scenario, grid: &Grid, g: usize, e: CoveringError) -> ScheduleError {
    let clock = s.simulation.clock();
    let why = match e {
        CoveringError::Uncovered { slot, need } => format!(
            "{need} agents are needed on the floor at {} but no shift of the rules works then; expected earliest_start, latest_end and the shift lengths to cover the whole day",
            clock.label(clock.instant(grid.offset_of(slot)))
        ),
        CoveringError::Infeasible => "no roster within max_shifts and max_part_time_share covers the requirement; raise max_shifts or allow more part-time shifts".into(),
        CoveringError::Solver(why) => format!("the solver failed: {why}"),
    };
    ScheduleError::Covering {
        group: s.agents[g].group.clone(),
        why,
    }
}
