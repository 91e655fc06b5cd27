//! Rostered breaks in the story.
//!
//! A break is an ordinary status change made through the toolkit, so the
//! event stream alone cannot tell "agent 3 goes to Lunch" from "agent 3
//! picks a busy status". The roster can: a toolkit change to the status of
//! the agent's next break, at or after its planned start and before the
//! shift end, is that break (it may start late), and it lasts its
//! duration, cut at the shift end. The agent's next toolkit status change
//! ends it; a decline or push timeout meanwhile does not.

use crate::events::StatusChangeReason;
use crate::omni::{AgentId, StatusId};
use crate::scenario::{Break, Scenario};
use crate::time::SimTime;

/// What a status change means for the agent's breaks.
#[derive(Copy, Clone, Debug, PartialEq)]
pub(super) enum BreakStep {
    /// A rostered break starts, in `status`, until `until`.
    Starts {
        /// The break's status.
        status: StatusId,
        /// When it ends.
        until: SimTime,
    },
    /// The break in `status` is over.
    Ends {
        /// The status of the break that ended.
        status: StatusId,
    },
}

/// Every agent's breaks and where it is in them.
#[derive(Debug)]
pub(super) struct BreakBook {
    agents: Vec<AgentBreaks>,
}

#[derive(Debug)]
struct AgentBreaks {
    breaks: Vec<Break>,
    shift_end: SimTime,
    /// Breaks before this one have been taken (or skipped).
    next: usize,
    /// The status of the break under way.
    on: Option<StatusId>,
}

impl BreakBook {
    /// The breaks of every agent of `scenario`, in agent order.
    pub(super) fn new(scenario: &Scenario) -> BreakBook {
        let run_end = SimTime::ZERO + scenario.run_length();
        let agents = scenario
            .agent_schedules()
            .map(|(_, a)| AgentBreaks {
                breaks: a.breaks.to_vec(),
                shift_end: a.shift.end.map_or(run_end, |e| SimTime::ZERO + e),
                next: 0,
                on: None,
            })
            .collect();
        BreakBook { agents }
    }

    /// Follows a status change of `agent` at `t`; says whether it starts
    /// or ends a break.
    pub(super) fn status_changed(
        &mut self,
        t: SimTime,
        agent: AgentId,
        status: StatusId,
        reason: StatusChangeReason,
    ) -> Option<BreakStep> {
        // A decline or push timeout during a break changes the status but
        // not the plan: the agent comes back at the break end.
        if reason != StatusChangeReason::OmniToolkitStatusChange {
            return None;
        }
        let a = self.agents.get_mut(agent.index())?;
        let ended = a.on.take().map(|status| BreakStep::Ends { status });
        if t >= a.shift_end {
            return ended;
        }
        let found = a.breaks[a.next..]
            .iter()
            .position(|b| b.status == status && SimTime::ZERO + b.start <= t);
        match found {
            Some(i) => {
                let b = &a.breaks[a.next + i];
                let until = (t + b.duration).min(a.shift_end);
                a.next += i + 1;
                a.on = Some(status);
                Some(BreakStep::Starts { status, until })
            }
            None => ended,
        }
    }

    /// The agent logged out: no break is under way any more.
    pub(super) fn logged_out(&mut self, agent: AgentId) {
        if let Some(a) = self.agents.get_mut(agent.index()) {
            a.on = None;
        }
    }
}
