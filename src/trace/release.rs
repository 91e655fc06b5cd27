//! Lines about AgentWork that ends: closed, transferred, taken back by a logout
//! or canceled by the customer.

use super::*;

impl Narrator {
    /// The end of the handling, and what the agent still holds.
    pub(super) fn work_closed(&mut self, event: &SimEvent, show: bool) -> Option<(Tone, String)> {
        let EventKind::WorkClosed {
            work,
            item,
            queue,
            agent,
            accepted_at,
            ..
        } = &event.kind
        else {
            return None;
        };
        let t = event.time;
        let mut s = String::new();
        let (pool, _) = self.release_work(*work, *queue, *agent);
        self.items.remove(item);
        if show {
            let _ = write!(
                s,
                "agent {} closed item {item} (AgentWork {work}) after {} of handling; {}",
                agent.0,
                span(t - *accepted_at),
                self.holds(*agent, pool)
            );
        }
        Some((Tone::Done, s))
    }

    /// The agent handed the item on to another queue.
    pub(super) fn work_transferred(
        &mut self,
        event: &SimEvent,
        show: bool,
    ) -> Option<(Tone, String)> {
        let EventKind::WorkTransferred {
            work,
            item,
            from_queue,
            to_queue,
            agent,
            accepted_at,
        } = &event.kind
        else {
            return None;
        };
        let t = event.time;
        let mut s = String::new();
        let (pool, _) = self.release_work(*work, *from_queue, *agent);
        if show {
            let _ = write!(
                s,
                "agent {} transferred item {item} (AgentWork {work} → Transferred) \
                 to queue \"{}\" after {} of handling; {}",
                agent.0,
                self.queue_name(*to_queue),
                span(t - *accepted_at),
                self.holds(*agent, pool)
            );
        }
        Some((Tone::Done, s))
    }

    /// A logout took an AgentWork from its agent.
    pub(super) fn work_unavailable(
        &mut self,
        event: &SimEvent,
        show: bool,
    ) -> Option<(Tone, String)> {
        let EventKind::WorkUnavailable {
            work,
            item,
            queue,
            agent,
        } = &event.kind
        else {
            return None;
        };
        let t = event.time;
        let mut s = String::new();
        let (_, info) = self.release_work(*work, *queue, *agent);
        let opened = info.is_some_and(|w| w.accepted);
        if opened {
            if let Some(i) = self.items.get_mut(item) {
                i.leg = Some(Leg::Reassigned {
                    agent: *agent,
                    since: t,
                });
            }
        }
        if show {
            if opened {
                let after = self
                    .scenario
                    .queues
                    .get(queue.index())
                    .and_then(|q| self.scenario.channels[q.channel.index()].reassign_after);
                let _ = write!(
                    s,
                    "agent {} stayed logged out{} holding item {item}, which it had \
                     accepted: AgentWork {work} → Unavailable; the item goes back to its \
                     queue with the handle time left, for another agent",
                    agent.0,
                    after.map_or(String::new(), |d| format!(
                        " past its channel's reassign_after ({})",
                        span(d)
                    )),
                );
            } else {
                let _ = write!(
                    s,
                    "agent {} logs out before answering: AgentWork {work} for item \
                     {item} → Unavailable",
                    agent.0
                );
            }
        }
        Some((Tone::Miss, s))
    }

    /// The customer left while the item was pushed.
    pub(super) fn work_canceled(&mut self, event: &SimEvent, show: bool) -> Option<(Tone, String)> {
        let EventKind::WorkCanceled {
            work,
            item,
            queue,
            agent,
        } = &event.kind
        else {
            return None;
        };
        let mut s = String::new();
        self.release_work(*work, *queue, *agent);
        if show {
            let _ = write!(
                s,
                "the customer of item {item} left while it was pushed to agent {}: \
                 AgentWork {work} → Canceled",
                agent.0
            );
        }
        Some((Tone::Loss, s))
    }
}
