//! Who is on the floor when: each agent's shift and breaks.
//!
//! A capacity plan is a roster: several shift patterns per skill group,
//! each worked by some number of people, each person with a lunch and a
//! coffee break or two, and some of them absent on the day (shrinkage).
//! An [`AgentGroup`] carries its roster as a list of [`RosteredShift`]s;
//! agents are numbered in roster order, so agent `k` of a group is the
//! `k`-th person of the list. A group without a roster is `count` agents
//! all working [`AgentGroup::shift`] with no breaks, which is what every
//! scenario written before rosters describes.
//!
//! The roster is also what a program builds: [`RosteredShift::on_floor_in`]
//! turns "agent k is on the floor in these reporting intervals" into one
//! shift with breaks for the gaps, [`AgentGroup::set_roster`] installs a
//! roster and keeps `count` in step, and [`Scenario::floor_per_interval`]
//! says how many agents the plan puts on the floor in each interval.
//!
//! All instants here are like [`Shift`]'s: offsets from the start of the
//! run, warm-up included ([`crate::clock`] converts the clock times a file
//! writes).

use super::{AgentGroup, Scenario, Shift, SimulationSettings};
use crate::clock::DayClock;
use crate::distribution::Distribution;
use crate::omni::StatusId;
use crate::time::{SimDuration, SimTime};
use serde::Serialize;

/// Name of the busy status added to a scenario whose groups take breaks
/// without naming a status and are granted no busy status to take them in.
pub const BREAK_STATUS: &str = "Break";

/// Label of [`BREAK_STATUS`].
pub const BREAK_LABEL: &str = "Busy - Break";

/// One line of a group's roster: `count` agents working the same shift
/// with the same breaks.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RosteredShift {
    /// Agents working it (may be 0 in a hand-built roster).
    pub count: u32,
    /// When they are logged in, and how the shift ends.
    pub shift: Shift,
    /// Their breaks, in time order, inside the shift and not overlapping.
    pub breaks: Vec<Break>,
    /// The person's name, for a roster read from a file (one agent per
    /// line); reported in `agents.csv`.
    pub name: Option<String>,
}

/// A break: a busy status for a while, then back to the login status.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Break {
    /// Planned start, from the start of the run (warm-up included).
    pub start: SimDuration,
    /// How long it lasts.
    pub duration: SimDuration,
    /// The busy status the agent is in meanwhile.
    pub status: StatusId,
}

impl Break {
    /// A break of `duration` from `start` in `status` (a busy status).
    pub fn new(start: SimDuration, duration: SimDuration, status: StatusId) -> Break {
        Break {
            start,
            duration,
            status,
        }
    }

    /// Planned end.
    pub fn end(&self) -> SimDuration {
        self.start + self.duration
    }
}

impl RosteredShift {
    /// `count` agents on `shift`, with no breaks and no name.
    pub fn new(count: u32, shift: Shift) -> RosteredShift {
        RosteredShift {
            count,
            shift,
            breaks: Vec::new(),
            name: None,
        }
    }

    /// Adds a break, keeping the breaks in time order. The caller keeps
    /// it inside the shift and clear of the others, as a scenario file
    /// must.
    pub fn with_break(mut self, b: Break) -> RosteredShift {
        let at = self.breaks.partition_point(|x| x.start <= b.start);
        self.breaks.insert(at, b);
        self
    }

    /// Names the person (a roster of one agent per line).
    pub fn named(mut self, name: impl Into<String>) -> RosteredShift {
        self.name = Some(name.into());
        self
    }

    /// One agent on the floor in exactly the reporting intervals
    /// `intervals` of the measured day (indices as in `intervals.csv`, in
    /// any order): one shift from the start of the first to the end of
    /// the last, and a break in `break_status` for each gap. The shift
    /// ends the default way ([`super::ShiftEndMode::Finish`]). A shift
    /// from interval 0 is logged in from the start of the warm-up, by the
    /// rule of [`crate::clock`]. `break_status` must be a busy status of
    /// the scenario (the engine grants it to the agent). `None` when
    /// `intervals` is empty or names an interval past the end of the day.
    pub fn on_floor_in(
        sim: &SimulationSettings,
        intervals: &[usize],
        break_status: StatusId,
    ) -> Option<RosteredShift> {
        let mut on: Vec<usize> = intervals.to_vec();
        on.sort_unstable();
        on.dedup();
        let (&first, &last) = (on.first()?, on.last()?);
        if last >= super::validate::interval_count(sim) {
            return None;
        }
        let at = |i: usize| {
            let from_start = SimDuration(sim.interval.0.saturating_mul(i as u64));
            sim.warmup + SimDuration(from_start.0.min(sim.duration.0))
        };
        let start = if first == 0 {
            SimDuration::ZERO
        } else {
            at(first)
        };
        let mut rostered = RosteredShift::new(
            1,
            Shift {
                start,
                end: Some(at(last + 1)),
                ..Shift::default()
            },
        );
        for pair in on.windows(2) {
            if pair[1] > pair[0] + 1 {
                let (from, to) = (at(pair[0] + 1), at(pair[1]));
                rostered =
                    rostered.with_break(Break::new(from, SimDuration(to.0 - from.0), break_status));
            }
        }
        Some(rostered)
    }
}

/// One agent's day: what the engine schedules for it.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct AgentSchedule<'a> {
    /// Its shift.
    pub shift: &'a Shift,
    /// Its breaks, in time order.
    pub breaks: &'a [Break],
    /// Its name, when the roster names people.
    pub name: Option<&'a str>,
}

impl AgentSchedule<'_> {
    /// The time the agent is planned to be on the floor (logged in and
    /// not on a break) within `[from, to)`, before any lateness or
    /// absence; a shift without an end runs to `run_end`.
    pub fn on_floor_within(&self, from: SimTime, to: SimTime, run_end: SimTime) -> SimDuration {
        let overlap = |a: SimTime, b: SimTime| b.min(to).0.saturating_sub(a.max(from).0);
        let start = SimTime::ZERO + self.shift.start;
        let end = self.shift.end.map_or(run_end, |e| SimTime::ZERO + e);
        let mut us = overlap(start, end);
        for b in self.breaks {
            let (bs, be) = (SimTime::ZERO + b.start, (SimTime::ZERO + b.end()).min(end));
            us = us.saturating_sub(overlap(bs, be));
        }
        SimDuration(us)
    }

    /// When each break really runs, `[start, end)`: its planned start
    /// delayed by a draw of `lateness` (when given), never before the
    /// previous break has ended, its duration unchanged but cut at the
    /// shift end (`run_end` for a shift without one). A break that would
    /// start at or after the shift end is dropped: the shift end wins.
    pub fn break_windows(
        &self,
        run_end: SimTime,
        mut lateness: Option<(&Distribution, &mut rand_chacha::ChaCha8Rng)>,
    ) -> Vec<(SimTime, SimTime, StatusId)> {
        let shift_end = self.shift.end.map_or(run_end, |e| SimTime::ZERO + e);
        let mut out = Vec::with_capacity(self.breaks.len());
        let mut free_from = SimTime::ZERO + self.shift.start;
        for b in self.breaks {
            let late = match lateness.as_mut() {
                Some((d, rng)) => d.sample(*rng),
                None => SimDuration::ZERO,
            };
            let start = (SimTime::ZERO + b.start + late).max(free_from);
            if start >= shift_end {
                break;
            }
            let end = (start + b.duration).min(shift_end);
            out.push((start, end, b.status));
            free_from = end;
        }
        out
    }

    /// The shift and its breaks in clock time, as `check` prints them:
    /// `08:00–16:30, breaks 10:00–10:15 Break, 12:00–12:30 Lunch`. A
    /// shift that opens the day shows the day's start, as the file writes
    /// it, though it is logged in from the start of the warm-up.
    pub fn describe(&self, clock: &DayClock, run_end: SimTime, statuses: &[String]) -> String {
        let at = |d: SimDuration| clock.label(SimTime::ZERO + d);
        let start = if self.shift.start.is_zero() {
            clock.label(clock.measured_start())
        } else {
            at(self.shift.start)
        };
        let mut text = match self.shift.end {
            Some(e) => format!("{start}–{}", at(e)),
            None if self.shift.start.is_zero() => "whole run".to_owned(),
            None => format!("{start}–{}", clock.label(run_end)),
        };
        for (i, b) in self.breaks.iter().enumerate() {
            text.push_str(if i == 0 { ", breaks " } else { ", " });
            let status = statuses.get(b.status.index()).map_or("?", String::as_str);
            text.push_str(&format!("{}–{} {status}", at(b.start), at(b.end())));
        }
        text
    }
}

impl AgentGroup {
    /// Installs a roster (agents numbered in its order) and sets `count`
    /// to its total; an empty roster puts every agent back on `shift`.
    pub fn set_roster(&mut self, roster: Vec<RosteredShift>) {
        if !roster.is_empty() {
            self.count = roster.iter().map(|r| r.count).sum();
        }
        self.roster = roster;
    }

    /// Agents the roster lists (its total), or `count` without a roster.
    fn rostered(&self) -> u32 {
        if self.roster.is_empty() {
            self.count
        } else {
            self.roster.iter().map(|r| r.count).sum()
        }
    }

    /// Each distinct schedule of the group with how many agents work it,
    /// in agent order: what [`AgentGroup::schedules`] repeats per agent.
    pub(crate) fn schedule_kinds(&self) -> impl Iterator<Item = (AgentSchedule<'_>, u32)> + '_ {
        let plain = AgentSchedule {
            shift: &self.shift,
            breaks: &[],
            name: None,
        };
        let legacy = self.roster.is_empty().then_some((plain, self.count));
        legacy.into_iter().chain(self.roster.iter().map(|r| {
            (
                AgentSchedule {
                    shift: &r.shift,
                    breaks: &r.breaks,
                    name: r.name.as_deref(),
                },
                r.count,
            )
        }))
    }

    /// Each agent's schedule, in agent order: `count` of them.
    ///
    /// # Panics
    ///
    /// If a hand-built roster's total differs from `count` (use
    /// [`AgentGroup::set_roster`], which keeps them in step): agents are
    /// numbered from `count`, so a mismatch would give some agent no
    /// schedule or two.
    pub fn schedules(&self) -> impl Iterator<Item = AgentSchedule<'_>> + '_ {
        assert_eq!(
            self.rostered(),
            self.count,
            "agent group \"{}\": its roster lists {} agents but its count is {}; set the roster with AgentGroup::set_roster",
            self.group,
            self.rostered(),
            self.count
        );
        let plain = AgentSchedule {
            shift: &self.shift,
            breaks: &[],
            name: None,
        };
        let legacy = if self.roster.is_empty() {
            self.count
        } else {
            0
        };
        std::iter::repeat_n(plain, legacy as usize).chain(self.roster.iter().flat_map(|r| {
            std::iter::repeat_n(
                AgentSchedule {
                    shift: &r.shift,
                    breaks: &r.breaks,
                    name: r.name.as_deref(),
                },
                r.count as usize,
            )
        }))
    }

    /// Every shift of the group: its roster's, or `shift` without one.
    pub fn shifts(&self) -> impl Iterator<Item = &Shift> + '_ {
        let legacy = self.roster.is_empty().then_some(&self.shift);
        legacy
            .into_iter()
            .chain(self.roster.iter().map(|r| &r.shift))
    }
}

impl Scenario {
    /// Every agent's group (index into `agents`) and schedule, in agent
    /// order (agents are numbered across groups in scenario order).
    pub fn agent_schedules(&self) -> impl Iterator<Item = (usize, AgentSchedule<'_>)> + '_ {
        self.agents
            .iter()
            .enumerate()
            .flat_map(|(g, group)| group.schedules().map(move |s| (g, s)))
    }

    /// Expected agents of group `group` (its index in `agents`; panics
    /// when out of range) on the
    /// floor — logged in and not on a break — in each reporting interval
    /// of the measured day, as the plan has it: time-weighted within the
    /// interval (an agent there for half of it counts ½), times
    /// `1 − absence`. Lateness, overtime and what the agents do with
    /// their status are not counted: this is the roster, not the run.
    pub fn floor_per_interval(&self, group: usize) -> Vec<f64> {
        let g = &self.agents[group];
        let sim = &self.simulation;
        let run_end = (SimTime::ZERO + self.run_length()).0;
        let start = SimTime::ZERO + sim.warmup;
        let day_end = start + sim.duration;
        let present = 1.0 - g.absence;
        // The head-count on the floor as steps (instant, change), from
        // each kind of schedule once with its number of agents, so the
        // cost grows with the roster's lines and the intervals, not with
        // their product.
        let mut steps: Vec<(u64, i128)> = Vec::new();
        for (a, count) in g.schedule_kinds() {
            let n = i128::from(count);
            let from = a.shift.start.0;
            let to = a.shift.end.map_or(run_end, |e| e.0);
            if n == 0 || to <= from {
                continue;
            }
            steps.push((from, n));
            steps.push((to, -n));
            let mut free = from;
            for b in a.breaks {
                let (bs, be) = (b.start.0.max(free), b.end().0.min(to));
                if bs < be {
                    steps.push((bs, -n));
                    steps.push((be, n));
                    free = be;
                }
            }
        }
        steps.sort_unstable_by_key(|&(at, _)| at);
        let mut steps = steps.into_iter().peekable();
        let mut level: i128 = 0;
        (0..super::validate::interval_count(sim))
            .map(|i| {
                let from = start + SimDuration(sim.interval.0.saturating_mul(i as u64));
                let to = (from + sim.interval).min(day_end);
                let length = to.0.saturating_sub(from.0);
                if length == 0 {
                    return 0.0;
                }
                while let Some((_, change)) = steps.next_if(|&(at, _)| at <= from.0) {
                    level += change;
                }
                let (mut us, mut at) = (0i128, from.0);
                while let Some((when, change)) = steps.next_if(|&(when, _)| when < to.0) {
                    us += level * i128::from(when - at);
                    (at, level) = (when, level + change);
                }
                us += level * i128::from(to.0 - at);
                us as f64 / length as f64 * present
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    fn hours(h: f64) -> SimDuration {
        SimDuration::from_secs_f64(h * 3600.0)
    }

    fn group() -> AgentGroup {
        AgentGroup {
            group: "g".into(),
            count: 3,
            presence_config: crate::omni::ConfigId(0),
            status: StatusId(0),
            allowed_statuses: vec![],
            queues: vec![],
            skills: vec![],
            behaviour: crate::scenario::BehaviourSpec::default(),
            shift: Shift::default(),
            roster: Vec::new(),
            break_lateness: None,
            absence: 0.0,
            planning: Default::default(),
        }
    }

    fn sim() -> SimulationSettings {
        SimulationSettings {
            name: "t".into(),
            duration: hours(4.0),
            warmup: hours(0.5),
            seed: 1,
            replications: 1,
            interval: hours(1.0),
            service_level_threshold: SimDuration::from_secs(20),
            start_date: None,
            start_of_day: hours(8.0),
            busyness: None,
        }
    }

    fn scenario(groups: Vec<AgentGroup>) -> Scenario {
        Scenario {
            simulation: sim(),
            channels: vec![],
            statuses: vec![],
            skills: vec![],
            presence_configs: vec![],
            queues: vec![],
            arrivals: vec![],
            agents: groups,
            warnings: Vec::new(),
        }
    }

    fn assert_close(got: &[f64], want: &[f64]) {
        assert_eq!(got.len(), want.len(), "{got:?} vs {want:?}");
        for (g, w) in got.iter().zip(want) {
            assert!((g - w).abs() < 1e-9, "{got:?} vs {want:?}");
        }
    }

    #[test]
    fn a_group_without_a_roster_is_count_agents_on_its_shift() {
        let mut g = group();
        g.shift.start = hours(1.5); // 09:00, half an hour into the day
        let s = scenario(vec![g]);
        assert_eq!(s.agents[0].schedules().count(), 3);
        // 08:00–09:00 nobody, then all three.
        assert_close(&s.floor_per_interval(0), &[0.0, 3.0, 3.0, 3.0]);
    }

    #[test]
    fn the_floor_counts_shifts_breaks_and_absence_time_weighted() {
        let mut g = group();
        let s = Break::new(hours(2.5), hours(0.5), StatusId(1)); // 10:00–10:30
        g.set_roster(vec![
            // 08:00–10:30 from the start of the warm-up, with a break.
            RosteredShift::new(
                2,
                Shift {
                    end: Some(hours(3.0)),
                    ..Shift::default()
                },
            )
            .with_break(s),
            // 09:30 to the end of the run.
            RosteredShift::new(
                1,
                Shift {
                    start: hours(2.0),
                    ..Shift::default()
                },
            )
            .named("Ann"),
        ]);
        assert_eq!(g.count, 3);
        let mut s = scenario(vec![g]);
        // 08–09: the pair; 09–10: the pair and half an hour of Ann;
        // 10–11: the pair are on their break until 10:30 and gone after,
        // so Ann alone; 11–12: Ann.
        assert_close(&s.floor_per_interval(0), &[2.0, 2.5, 1.0, 1.0]);
        s.agents[0].absence = 0.5;
        assert_close(&s.floor_per_interval(0), &[1.0, 1.25, 0.5, 0.5]);
        let names: Vec<Option<&str>> = s.agents[0].schedules().map(|a| a.name).collect();
        assert_eq!(names, [None, None, Some("Ann")]);
    }

    #[test]
    fn on_floor_in_round_trips_through_the_floor() {
        let sim = sim();
        let r = RosteredShift::on_floor_in(&sim, &[3, 0, 1], StatusId(1)).unwrap();
        assert_eq!(r.shift.start, SimDuration::ZERO, "from the warm-up");
        assert_eq!(r.shift.end, Some(hours(4.5)));
        assert_eq!(r.breaks, [Break::new(hours(2.5), hours(1.0), StatusId(1))]);
        let mut g = group();
        g.set_roster(vec![r]);
        let s = scenario(vec![g]);
        assert_close(&s.floor_per_interval(0), &[1.0, 1.0, 0.0, 1.0]);
        assert!(RosteredShift::on_floor_in(&sim, &[], StatusId(1)).is_none());
        assert!(RosteredShift::on_floor_in(&sim, &[4], StatusId(1)).is_none());
        let late = RosteredShift::on_floor_in(&sim, &[2], StatusId(1)).unwrap();
        assert_eq!(
            (late.shift.start, late.shift.end),
            (hours(2.5), Some(hours(3.5)))
        );
    }

    #[test]
    #[should_panic(expected = "roster lists 2 agents but its count is 5")]
    fn a_roster_out_of_step_with_count_is_refused() {
        let mut g = group();
        g.set_roster(vec![RosteredShift::new(2, Shift::default())]);
        g.count = 5;
        let _ = g.schedules().count();
    }

    #[test]
    fn late_breaks_keep_their_length_follow_each_other_and_yield_to_the_shift_end() {
        let shift = Shift {
            start: hours(1.0),
            end: Some(hours(5.0)),
            ..Shift::default()
        };
        let breaks = [
            Break::new(hours(2.0), hours(0.5), StatusId(1)),
            Break::new(hours(2.6), hours(0.25), StatusId(2)),
            Break::new(hours(4.9), hours(0.5), StatusId(1)),
        ];
        let a = AgentSchedule {
            shift: &shift,
            breaks: &breaks,
            name: None,
        };
        let run_end = SimTime::ZERO + hours(6.0);
        let t = |h: f64| SimTime::ZERO + hours(h);
        // On time: the last one is cut at the shift end.
        assert_eq!(
            a.break_windows(run_end, None),
            [
                (t(2.0), t(2.5), StatusId(1)),
                (t(2.6), t(2.85), StatusId(2)),
                (t(4.9), t(5.0), StatusId(1)),
            ]
        );
        // 12 minutes late each: the third would start after the shift end
        // and is dropped.
        let late = Distribution::Constant { value: 720.0 };
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
        assert_eq!(
            a.break_windows(run_end, Some((&late, &mut rng))),
            [
                (t(2.2), t(2.7), StatusId(1)),
                (t(2.8), t(3.05), StatusId(2)),
            ]
        );
        // Random lateness: never early, never overlapping, full length
        // unless cut at the shift end, never past it.
        let late = Distribution::Exponential { mean: 1200.0 };
        for seed in 0..200 {
            let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
            let w = a.break_windows(run_end, Some((&late, &mut rng)));
            let mut free = t(1.0);
            for (k, &(s, e, status)) in w.iter().enumerate() {
                let b = &breaks[k];
                assert_eq!(status, b.status);
                assert!(s >= SimTime::ZERO + b.start && s >= free && s < t(5.0));
                assert!(e == s + b.duration || e == t(5.0), "{w:?}");
                assert!(e <= t(5.0));
                free = e;
            }
        }
    }

    #[test]
    fn describe_speaks_clock_time() {
        // Opening the day: logged in from 07:30, shown as the day's 08:00.
        let shift = Shift {
            start: SimDuration::ZERO,
            end: Some(hours(9.0)),
            ..Shift::default()
        };
        let breaks = [Break::new(hours(4.5), hours(0.5), StatusId(0))];
        let a = AgentSchedule {
            shift: &shift,
            breaks: &breaks,
            name: None,
        };
        let clock = sim().clock();
        let text = a.describe(&clock, SimTime::ZERO + hours(4.5), &["Lunch".to_owned()]);
        assert_eq!(text, "08:00–16:30, breaks 12:00–12:30 Lunch");
        let whole = Shift::default();
        let w = AgentSchedule {
            shift: &whole,
            breaks: &[],
            name: None,
        };
        assert_eq!(
            w.describe(&clock, SimTime::ZERO + hours(4.5), &[]),
            "whole run"
        );
        let late = Shift {
            start: hours(1.5),
            ..Shift::default()
        };
        let l = AgentSchedule {
            shift: &late,
            breaks: &[],
            name: None,
        };
        assert_eq!(
            l.describe(&clock, SimTime::ZERO + hours(4.5), &[]),
            "09:00–12:00"
        );
    }
}
