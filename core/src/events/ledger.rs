//! [`AgentLedger`]: what the event stream has said of each agent's
//! presence, kept by one set of rules for every reader.
//!
//! `agents.csv`'s break time and the trace's "goes to Lunch (break until
//! 10:30)" answer one question: is the agent on a rostered break? A break
//! is an ordinary status change made through the toolkit, so the answer
//! needs the roster as well as the events, and a rule for what ends a
//! break. The metrics and the trace each used to keep their own picture of
//! every agent, with rules of their own, and could disagree. Both now feed
//! an [`AgentLedger`] with the events they see ([`AgentLedger::apply`]),
//! and read the status, the login and the break from its
//! [`AgentRecord`]s: same events, same rules, same answers.
//!
//! The break rule: a change to the busy status of one of the agent's
//! rostered breaks, made by the agent itself
//! ([`StatusChangeReason::OmniToolkitStatusChange`]) before its shift end,
//! starts a break; any other status change (a decline's or a push
//! timeout's included) or a logout ends it; and a break never runs past
//! the shift end, even when the agent finishes its shift in the break's
//! own status, with no status change to see.

use super::{EventKind, SimEvent, StatusChangeReason};
use crate::omni::{AgentId, StatusId};
use crate::scenario::Scenario;
use crate::time::{SimDuration, SimTime};

/// One agent's presence as its events told it, with the part of its
/// roster that says which status changes are breaks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AgentRecord {
    /// Its presence status; `None` while logged out.
    status: Option<StatusId>,
    /// Whether that status has channels.
    status_online: bool,
    /// Rostered but absent today (`AgentAbsent`).
    absent: bool,
    /// Its shift end; `None` for a shift that runs as long as the run.
    shift_end: Option<SimTime>,
    /// Where a break's planned end is cut: the shift end, or the end of
    /// the run for a shift without one.
    day_end: SimTime,
    /// Its rostered breaks, in time order.
    breaks: Vec<PlannedBreak>,
    /// Breaks before this one have been taken (or passed by).
    next_break: usize,
    /// The break under way.
    on_break: Option<BreakUnderWay>,
}

/// A rostered break as the ledger keeps it: enough to recognise its
/// status and tell its planned end.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
struct PlannedBreak {
    start: SimTime,
    duration: SimDuration,
    status: StatusId,
}

/// A rostered break under way: what `agents.csv` counts as break time and
/// what the trace tells.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct BreakUnderWay {
    /// The break's busy status.
    pub status: StatusId,
    /// When the agent moved to it.
    pub since: SimTime,
    /// When the roster has it end: the planned duration of the roster's
    /// next break in this status that was due by `since`, counted from
    /// `since` (a late break keeps its length) and cut at the shift end.
    /// `None` when no such break was due: the agent took the status early,
    /// or once more than the roster says. It is a break all the same.
    pub until: Option<SimTime>,
}

/// What an event did to an agent's break, for readers that count or tell
/// the moment it changed.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum BreakStep {
    /// A break starts; a break under way until then ends at the same
    /// instant.
    Starts(BreakUnderWay),
    /// The break in `status` ended at `at`: the event's instant, or the
    /// shift end when the break ran into it before the event.
    Ends {
        /// The status of the break that ended.
        status: StatusId,
        /// When it ended.
        at: SimTime,
    },
}

impl AgentRecord {
    /// Its presence status, `None` while logged out: what says which
    /// channels' work may reach it.
    pub fn status(&self) -> Option<StatusId> {
        self.status
    }

    /// Whether it is logged in: an agent still logged in after its shift
    /// end is working overtime.
    pub fn logged_in(&self) -> bool {
        self.status.is_some()
    }

    /// Logged in with a status that has channels: work can be pushed to
    /// it.
    pub fn online(&self) -> bool {
        self.logged_in() && self.status_online
    }

    /// Rostered but absent today: it never logs in, which results and
    /// traces tell apart from an agent left idle.
    pub fn absent(&self) -> bool {
        self.absent
    }

    /// Its shift end, `None` for a shift that runs as long as the run:
    /// no break runs past it, and overtime is counted from it.
    pub fn shift_end(&self) -> Option<SimTime> {
        self.shift_end
    }

    /// Whether it has rostered breaks: only such an agent is ever on one.
    pub fn has_breaks(&self) -> bool {
        !self.breaks.is_empty()
    }

    /// The break it is on at `t` (not before its latest presence event):
    /// the one under way, unless the shift ended before `t`.
    pub fn on_break(&self, t: SimTime) -> Option<&BreakUnderWay> {
        self.on_break
            .as_ref()
            .filter(|_| self.shift_end.is_none_or(|e| t <= e))
    }

    /// Ends a break that ran into the shift end before `t`.
    fn settle(&mut self, t: SimTime) -> Option<BreakStep> {
        let end = self.shift_end.filter(|e| t > *e)?;
        let b = self.on_break.take()?;
        Some(BreakStep::Ends {
            status: b.status,
            at: end,
        })
    }

    /// Ends the break under way, if any, at `t`.
    fn end_break(&mut self, t: SimTime) -> Option<BreakStep> {
        self.settle(t).or_else(|| {
            self.on_break.take().map(|b| BreakStep::Ends {
                status: b.status,
                at: t,
            })
        })
    }

    /// A status change at `t`: a break starts or ends by the rule of the
    /// module.
    fn status_changed(
        &mut self,
        t: SimTime,
        status: StatusId,
        reason: StatusChangeReason,
    ) -> Option<BreakStep> {
        if !self.has_breaks() {
            return None;
        }
        let ended = self.end_break(t);
        let starts = reason == StatusChangeReason::OmniToolkitStatusChange
            && self.shift_end.is_none_or(|e| t < e)
            && self.breaks.iter().any(|b| b.status == status);
        if !starts {
            return ended;
        }
        let due = self.breaks[self.next_break..]
            .iter()
            .position(|b| b.status == status && b.start <= t);
        let until = due.map(|i| {
            let b = self.breaks[self.next_break + i];
            self.next_break += i + 1;
            (t + b.duration).min(self.day_end)
        });
        let b = BreakUnderWay {
            status,
            since: t,
            until,
        };
        self.on_break = Some(b);
        Some(BreakStep::Starts(b))
    }
}

/// Every agent's [`AgentRecord`], in agent order, kept from the events as
/// they come.
#[derive(Clone, Debug, Default)]
pub struct AgentLedger {
    agents: Vec<AgentRecord>,
    /// Whether each presence status (by `StatusId`) has channels: a
    /// `LoginSuccess` names the status but not whether it is online.
    status_online: Vec<bool>,
}

impl AgentLedger {
    /// The agents of `scenario`, logged out, with the rosters that tell
    /// their breaks from any other busy status.
    pub fn new(scenario: &Scenario) -> AgentLedger {
        let run_end = SimTime::ZERO + scenario.run_length();
        let agents = scenario
            .agent_schedules()
            .map(|(_, s)| {
                let shift_end = s.shift.end.map(|e| SimTime::ZERO + e);
                AgentRecord {
                    status: None,
                    status_online: false,
                    absent: false,
                    shift_end,
                    day_end: shift_end.unwrap_or(run_end),
                    breaks: s
                        .breaks
                        .iter()
                        .map(|b| PlannedBreak {
                            start: SimTime::ZERO + b.start,
                            duration: b.duration,
                            status: b.status,
                        })
                        .collect(),
                    next_break: 0,
                    on_break: None,
                }
            })
            .collect();
        AgentLedger {
            agents,
            status_online: scenario.statuses.iter().map(|s| s.is_online()).collect(),
        }
    }

    /// Agents in the ledger: the scenario's, numbered as in `agents.csv`.
    pub fn len(&self) -> usize {
        self.agents.len()
    }

    /// Whether the scenario has no agent.
    pub fn is_empty(&self) -> bool {
        self.agents.is_empty()
    }

    /// The record of `agent`; `None` for a number the scenario does not
    /// have, so a stray event cannot make up an agent.
    pub fn get(&self, agent: AgentId) -> Option<&AgentRecord> {
        self.agents.get(agent.index())
    }

    /// Whether `agent` is online (see [`AgentRecord::online`]); `false`
    /// for an agent the scenario does not have.
    pub fn online(&self, agent: AgentId) -> bool {
        self.get(agent).is_some_and(AgentRecord::online)
    }

    /// Brings the agent's record up to date with `event` (events that are
    /// not about presence leave the ledger as it is); returns what the
    /// event did to the agent's break.
    pub fn apply(&mut self, event: &SimEvent) -> Option<BreakStep> {
        let t = event.time;
        match &event.kind {
            EventKind::StatusChanged {
                agent,
                status,
                online,
                reason,
            } => {
                // Setting a status logs an agent in if needed (toolkit
                // §2.9), so any status change means "logged in".
                let a = self.agents.get_mut(agent.index())?;
                a.status = Some(*status);
                a.status_online = *online;
                a.status_changed(t, *status, *reason)
            }
            EventKind::LoginSuccess { agent, status } => {
                let online = self.status_online.get(status.index()).copied();
                let a = self.agents.get_mut(agent.index())?;
                a.status = Some(*status);
                a.status_online = online.unwrap_or(false);
                None
            }
            EventKind::Logout { agent } => {
                let a = self.agents.get_mut(agent.index())?;
                a.status = None;
                a.end_break(t)
            }
            EventKind::AgentAbsent { agent } => {
                self.agents.get_mut(agent.index())?.absent = true;
                None
            }
            _ => None,
        }
    }

    /// Ends `agent`'s break if it ran into the shift end before `t`: for
    /// a reader closing its figures at the end of a run, when no event
    /// came to end it.
    pub fn settle(&mut self, agent: AgentId, t: SimTime) -> Option<BreakStep> {
        self.agents.get_mut(agent.index())?.settle(t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{Break, RosteredShift, Shift};
    use crate::stats::test_support::{at, scenario, Script, AVAILABLE, BREAK};

    const TOOLKIT: StatusChangeReason = StatusChangeReason::OmniToolkitStatusChange;

    /// One agent, shift until `shift_end` (seconds) if given, with a
    /// 60-second break in `BREAK` planned at 100 s and another at 300 s.
    fn ledger(shift_end: Option<u64>) -> AgentLedger {
        let mut s = scenario(0, 1000, 500, 20, &["A"], &[("g", 1, 1)]);
        let shift = Shift {
            end: shift_end.map(SimDuration::from_secs),
            ..Shift::default()
        };
        let mut roster = RosteredShift::new(1, shift);
        for start in [100, 300] {
            let secs = SimDuration::from_secs;
            roster = roster.with_break(Break::new(secs(start), secs(60), BREAK));
        }
        s.agents[0].set_roster(vec![roster]);
        AgentLedger::new(&s)
    }

    /// Applies every event of `script`; returns the steps, in order.
    fn feed(ledger: &mut AgentLedger, script: &Script) -> Vec<BreakStep> {
        script
            .events
            .iter()
            .filter_map(|e| ledger.apply(e))
            .collect()
    }

    fn starts(since: f64, until: Option<f64>) -> BreakStep {
        BreakStep::Starts(BreakUnderWay {
            status: BREAK,
            since: at(since),
            until: until.map(at),
        })
    }

    fn ends(t: f64) -> BreakStep {
        BreakStep::Ends {
            status: BREAK,
            at: at(t),
        }
    }

    const AGENT: AgentId = AgentId(0);

    #[test]
    fn a_break_is_entered_and_left_by_the_agents_own_status_changes() {
        let mut l = ledger(None);
        let mut s = Script::default();
        s.login(0.0, 0, AVAILABLE)
            .status(110.0, 0, BREAK, TOOLKIT)
            .status(170.0, 0, AVAILABLE, TOOLKIT);
        let steps = feed(&mut l, &s);
        // Late by 10 s: it keeps its minute.
        assert_eq!(steps, [starts(110.0, Some(170.0)), ends(170.0)]);
        let a = l.get(AGENT).unwrap();
        assert!(a.online() && a.on_break(at(170.0)).is_none());
    }

    #[test]
    fn a_status_change_without_a_break_changes_only_the_status() {
        let mut l = ledger(None);
        let mut s = Script::default();
        s.login(0.0, 0, AVAILABLE);
        assert!(feed(&mut l, &s).is_empty());
        let a = l.get(AGENT).unwrap();
        assert_eq!((a.status(), a.online()), (Some(AVAILABLE), true));
        // Busy by a decline: not the agent's own change, so not a break.
        let mut s = Script::default();
        s.status(50.0, 0, BREAK, StatusChangeReason::OmniDeclineWork);
        assert!(feed(&mut l, &s).is_empty());
        let a = l.get(AGENT).unwrap();
        assert_eq!((a.status(), a.online()), (Some(BREAK), false));
        assert!(a.logged_in() && a.on_break(at(50.0)).is_none());
        // An agent without breaks is never on one, whatever it picks.
        let mut plain = AgentLedger::new(&scenario(0, 100, 50, 20, &["A"], &[("g", 1, 1)]));
        let mut s = Script::default();
        s.login(0.0, 0, AVAILABLE).status(10.0, 0, BREAK, TOOLKIT);
        assert!(feed(&mut plain, &s).is_empty());
        assert!(!plain.get(AGENT).unwrap().has_breaks());
    }

    #[test]
    fn a_decline_during_a_break_ends_it() {
        let mut l = ledger(None);
        let mut s = Script::default();
        s.login(0.0, 0, AVAILABLE)
            .status(100.0, 0, BREAK, TOOLKIT)
            .status(120.0, 0, BREAK, StatusChangeReason::OmniPushTimeout)
            .status(160.0, 0, AVAILABLE, TOOLKIT);
        assert_eq!(feed(&mut l, &s), [starts(100.0, Some(160.0)), ends(120.0)]);
    }

    #[test]
    fn a_break_is_clipped_at_the_shift_end() {
        // Shift ends at 320 s, 20 s into the second break.
        let mut l = ledger(Some(320));
        let mut s = Script::default();
        s.login(0.0, 0, AVAILABLE)
            .status(100.0, 0, BREAK, TOOLKIT)
            .status(160.0, 0, AVAILABLE, TOOLKIT)
            .status(300.0, 0, BREAK, TOOLKIT);
        let steps = feed(&mut l, &s);
        assert_eq!(steps[2], starts(300.0, Some(320.0)));
        let a = l.get(AGENT).unwrap();
        assert!(a.on_break(at(320.0)).is_some());
        assert!(a.on_break(at(321.0)).is_none(), "not past the shift end");
        // The next event ends it at the shift end, not at its own time.
        let mut s = Script::default();
        s.status(400.0, 0, AVAILABLE, TOOLKIT);
        assert_eq!(feed(&mut l, &s), [ends(320.0)]);
        // A break status chosen after the shift end is no break.
        let mut s = Script::default();
        s.status(410.0, 0, BREAK, TOOLKIT);
        assert!(feed(&mut l, &s).is_empty());
        // Nor is one that nothing ends: the end of the run settles it.
        let mut l = ledger(Some(320));
        let mut s = Script::default();
        s.login(0.0, 0, AVAILABLE).status(300.0, 0, BREAK, TOOLKIT);
        feed(&mut l, &s);
        assert_eq!(l.settle(AGENT, at(320.0)), None);
        assert_eq!(l.settle(AGENT, at(500.0)), Some(ends(320.0)));
        assert_eq!(l.settle(AGENT, at(600.0)), None);
    }

    #[test]
    fn a_logout_during_a_break_ends_it() {
        let mut l = ledger(Some(320));
        let mut s = Script::default();
        s.login(0.0, 0, AVAILABLE)
            .status(100.0, 0, BREAK, TOOLKIT)
            .logout(130.0, 0);
        assert_eq!(feed(&mut l, &s), [starts(100.0, Some(160.0)), ends(130.0)]);
        let a = l.get(AGENT).unwrap();
        assert!(!a.logged_in() && !a.online() && a.status().is_none());
        // Logged out past the shift end: the break ended at the shift end.
        let mut s = Script::default();
        s.login(200.0, 0, AVAILABLE)
            .status(300.0, 0, BREAK, TOOLKIT)
            .logout(330.0, 0);
        assert_eq!(feed(&mut l, &s), [starts(300.0, Some(320.0)), ends(320.0)]);
    }

    #[test]
    fn a_break_taken_early_or_once_more_has_no_planned_end() {
        let mut l = ledger(None);
        let mut s = Script::default();
        s.login(0.0, 0, AVAILABLE)
            // Before the first break is due.
            .status(50.0, 0, BREAK, TOOLKIT)
            .status(60.0, 0, AVAILABLE, TOOLKIT)
            // Both rostered breaks are due by 300 s: the first is taken.
            .status(300.0, 0, BREAK, TOOLKIT)
            .status(310.0, 0, AVAILABLE, TOOLKIT)
            .status(320.0, 0, BREAK, TOOLKIT)
            .status(330.0, 0, AVAILABLE, TOOLKIT)
            .status(340.0, 0, BREAK, TOOLKIT);
        let steps = feed(&mut l, &s);
        let untils: Vec<_> = steps
            .iter()
            .filter_map(|s| match s {
                BreakStep::Starts(b) => Some(b.until),
                BreakStep::Ends { .. } => None,
            })
            .collect();
        assert_eq!(untils, [None, Some(at(360.0)), Some(at(380.0)), None]);
    }

    #[test]
    fn absence_and_agents_out_of_range_are_kept_apart() {
        let mut l = ledger(None);
        assert_eq!((l.len(), l.is_empty()), (1, false));
        let absent = SimEvent {
            time: at(0.0),
            kind: EventKind::AgentAbsent { agent: AGENT },
        };
        assert_eq!(l.apply(&absent), None);
        assert!(l.get(AGENT).unwrap().absent());
        let mut s = Script::default();
        s.login(0.0, 5, AVAILABLE).status(1.0, 5, BREAK, TOOLKIT);
        assert!(feed(&mut l, &s).is_empty());
        assert!(l.get(AgentId(5)).is_none() && !l.online(AgentId(5)));
    }
}
