//! The pushes of the current instant, so that a push the agent never
//! receives can give back the tie-break time it took (omni-reference §5.3:
//! a push refused at delivery is not a decline).

use super::TieBreak;
use crate::omni::{AgentId, WorkItemId};
use crate::time::SimTime;

/// Pushes made at one instant, in order, with the tie-break each replaced.
///
/// Several pushes of one instant may go to the same agent; undoing one
/// that a later push of the same agent followed hands its "before" on to
/// that later push, so undoing any subset in any order ends at the right
/// tie-break.
#[derive(Debug)]
pub struct RecentPushes {
    at: SimTime,
    pushes: Vec<(AgentId, WorkItemId, TieBreak)>,
}

impl Default for RecentPushes {
    fn default() -> Self {
        RecentPushes {
            at: SimTime::NEVER,
            pushes: Vec::new(),
        }
    }
}

impl RecentPushes {
    /// A push of `item` to `agent` at `now`, which replaced `before`.
    pub fn record(&mut self, now: SimTime, agent: AgentId, item: WorkItemId, before: TieBreak) {
        if self.at != now {
            self.pushes.clear();
            self.at = now;
        }
        self.pushes.push((agent, item, before));
    }

    /// The push of `item` to `agent` never reached it: the tie-break the
    /// agent should get back now, or `None` when a later push of this
    /// instant (or none of this instant) set the current one.
    pub fn undo(&mut self, now: SimTime, agent: AgentId, item: WorkItemId) -> Option<TieBreak> {
        if self.at != now {
            return None;
        }
        let i = self
            .pushes
            .iter()
            .position(|(a, w, _)| *a == agent && *w == item)?;
        let (_, _, before) = self.pushes.remove(i);
        match self.pushes[i..].iter_mut().find(|(a, _, _)| *a == agent) {
            Some(later) => {
                later.2 = before;
                None
            }
            None => Some(before),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tie(since: u64) -> TieBreak {
        TieBreak {
            pushed_since_login: since > 0,
            since: SimTime(since),
            agent: AgentId(0),
        }
    }

    #[test]
    fn undoing_pushes_in_any_order_restores_the_tie_before_them() {
        let (a, now) = (AgentId(0), SimTime(10));
        let mut r = RecentPushes::default();
        r.record(now, a, WorkItemId(1), tie(0));
        r.record(now, a, WorkItemId(2), tie(10));
        // The first is undone while the second stands: nothing to restore.
        assert_eq!(r.undo(now, a, WorkItemId(1)), None);
        // Undoing the second restores what was there before both.
        assert_eq!(r.undo(now, a, WorkItemId(2)), Some(tie(0)));
        // A push of an earlier instant is not undone.
        r.record(now, a, WorkItemId(3), tie(10));
        assert_eq!(r.undo(SimTime(11), a, WorkItemId(3)), None);
    }
}
