//! Lines about work being handled: pauses, interruptions and flags.

use super::*;

impl Narrator {
    /// An opened item was paused or resumed: it holds another cost now.
    pub(super) fn work_paused(&mut self, event: &SimEvent, show: bool) -> Option<(Tone, String)> {
        let EventKind::WorkPaused {
            work,
            item,
            agent,
            paused,
            cost,
            ..
        } = &event.kind
        else {
            return None;
        };
        let mut s = String::new();
        if let Some(w) = self.works.get_mut(work) {
            if let Some(a) = self.agents.get_mut(agent.index()) {
                let p = w.pool.index();
                a.load[p] = a.load[p] - w.cost + *cost;
            }
            w.cost = *cost;
        }
        if show {
            let verb = if *paused { "paused" } else { "resumed" };
            let _ = write!(
                s,
                "agent {} {verb} item {item} (AgentWork {work}): it holds {} of capacity \
                 now",
                agent.0,
                units(*cost)
            );
        }
        Some((Tone::Done, s))
    }

    /// A pause is over but the item does not fit back yet.
    pub(super) fn work_resume_waiting(
        &mut self,
        event: &SimEvent,
        show: bool,
    ) -> Option<(Tone, String)> {
        let EventKind::WorkResumeWaiting {
            work,
            item,
            agent,
            cost,
            ..
        } = &event.kind
        else {
            return None;
        };
        let mut s = String::new();
        if show {
            let pool = self
                .works
                .get(work)
                .map_or(CapacityPool::Primary, |w| self.pool(w.queue));
            let _ = write!(
                s,
                "agent {}'s pause of item {item} (AgentWork {work}) is over, but it took \
                 other work meanwhile and {}: the item stays paused, not \
                 worked, until its {} fit again; nothing new is pushed to agent {} that \
                 would take that room",
                agent.0,
                self.holds(*agent, pool),
                units(*cost),
                agent.0
            );
        }
        Some((Tone::Miss, s))
    }

    /// Interruptible work set aside for primary work, or taken up again.
    pub(super) fn work_interrupted(
        &mut self,
        event: &SimEvent,
        show: bool,
    ) -> Option<(Tone, String)> {
        let EventKind::WorkInterrupted {
            work,
            item,
            agent,
            interrupted,
            ..
        } = &event.kind
        else {
            return None;
        };
        let mut s = String::new();
        if show {
            let _ = if *interrupted {
                write!(
                    s,
                    "agent {} sets interruptible item {item} (AgentWork {work}) aside for \
                     primary work: still assigned and counted, not worked meanwhile",
                    agent.0
                )
            } else {
                write!(
                    s,
                    "agent {} has no primary work in progress any more and takes up \
                     interruptible item {item} (AgentWork {work}) again",
                    agent.0
                )
            };
        }
        Some((Tone::Done, s))
    }

    /// A flag raised or lowered on an AgentWork.
    pub(super) fn work_flag_updated(
        &mut self,
        event: &SimEvent,
        show: bool,
    ) -> Option<(Tone, String)> {
        let EventKind::WorkFlagUpdated {
            work,
            agent,
            is_flagged,
            message,
        } = &event.kind
        else {
            return None;
        };
        let mut s = String::new();
        if show {
            let item = self
                .works
                .get(work)
                .map_or_else(String::new, |w| format!("item {} ", w.item));
            if *is_flagged {
                let _ = write!(
                    s,
                    "agent {} raised a flag on {item}(AgentWork {work})",
                    agent.0
                );
                if let Some(m) = message {
                    let _ = write!(s, ": \"{m}\"");
                }
            } else {
                let _ = write!(
                    s,
                    "agent {} lowered the flag on {item}(AgentWork {work})",
                    agent.0
                );
            }
        }
        Some((Tone::Flag, s))
    }
}
