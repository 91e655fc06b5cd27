//! Lines about items in queues: arrivals, transfers in, dropped skills,
//! re-queues, abandonment and items no agent would take.

use super::*;

/// What the narrator knew of an item just before it went back to its
/// queue: what the re-queue line tells.
#[derive(Debug)]
struct Before {
    at: Where,
    requested_at: SimTime,
    leg: Option<Leg>,
    refused: Vec<AgentId>,
}

impl Narrator {
    /// An item entered its queue.
    pub(super) fn work_arrived(&mut self, event: &SimEvent, show: bool) -> Option<(Tone, String)> {
        let EventKind::WorkArrived {
            item,
            queue,
            patience,
            retrial,
            skills,
            ..
        } = &event.kind
        else {
            return None;
        };
        let t = event.time;
        let mut s = String::new();
        self.items.insert(*item, ItemInfo::new(t, skills));
        if show {
            let _ = write!(
                s,
                "item {item} arrived in queue \"{}\"",
                self.queue_name(*queue)
            );
            if let Some(r) = retrial {
                let _ = write!(
                    s,
                    ", the customer of item {} trying again (attempt {})",
                    r.customer, r.attempt
                );
            }
            if let Some(p) = patience {
                let _ = write!(s, " (patience {})", span(*p));
            }
        }
        Some((Tone::Queue, s))
    }

    /// A transferred item entered its new queue, keeping its age.
    pub(super) fn work_transferred_in(
        &mut self,
        event: &SimEvent,
        show: bool,
    ) -> Option<(Tone, String)> {
        let EventKind::WorkTransferredIn {
            item,
            from_queue,
            queue,
            requested_at,
            handle_time,
            skills,
            ..
        } = &event.kind
        else {
            return None;
        };
        let t = event.time;
        let mut s = String::new();
        if let Some(i) = self.items.get_mut(item) {
            i.at = Where::Waiting;
            i.excluded = None;
            i.refused.clear();
            i.pushes = 0;
            i.requirements.clone_from(skills);
            i.requested.clone_from(skills);
            i.leg = Some(Leg::Transferred {
                from: *from_queue,
                since: t,
            });
        }
        if show {
            let _ = write!(
                s,
                "item {item} transferred from queue \"{}\" into queue \"{}\", \
                 keeping its age (requested at {}, {} ago); \
                 handle time left {}; every agent of the queue is eligible",
                self.queue_name(*from_queue),
                self.queue_name(*queue),
                self.scenario.simulation.clock().label_ms(*requested_at),
                span(t - *requested_at),
                span(*handle_time)
            );
        }
        Some((Tone::Queue, s))
    }

    /// A waiting item dropped a group of additional skills: what it asked for,
    /// and what it needs now.
    pub(super) fn skills_dropped(
        &mut self,
        event: &SimEvent,
        show: bool,
    ) -> Option<(Tone, String)> {
        let EventKind::SkillsDropped {
            item,
            queue,
            skills,
            priority,
            waited,
        } = &event.kind
        else {
            return None;
        };
        let mut s = String::new();
        let asked = self
            .items
            .get_mut(item)
            .map(|i| {
                let asked = i.requirements.clone();
                i.requirements.retain(|r| !skills.contains(&r.skill));
                (asked, i.requirements.clone())
            })
            .unwrap_or_default();
        if show {
            let names: Vec<&str> = skills
                .iter()
                .map(|k| self.scenario.skills[k.index()].name.as_str())
                .collect();
            let _ = write!(
                s,
                "after {} no agent with every skill item {item} of queue \"{}\" asks for \
                 ({}) took it: dropped its priority-{priority} additional skills {{{}}}; \
                 it now needs {}",
                span(*waited),
                self.queue_name(*queue),
                self.skills_words(&asked.0),
                names.join(", "),
                self.skills_words(&asked.1)
            );
        }
        Some((Tone::Queue, s))
    }

    /// An item went back to its queue: after a release, or refused when the
    /// push reached its agent.
    pub(super) fn work_requeued(&mut self, event: &SimEvent, show: bool) -> Option<(Tone, String)> {
        let EventKind::WorkRequeued {
            item,
            queue,
            excluded_agent,
            skills_reset,
        } = &event.kind
        else {
            return None;
        };
        let before = self.items.get(item).map(|i| Before {
            at: i.at,
            requested_at: i.requested_at,
            leg: i.leg,
            refused: i.refused.clone(),
        });
        let refused_by = before.as_ref().and_then(|b| Self::taken_back(b.at));
        if let Some(i) = self.items.get_mut(item) {
            i.at = Where::Waiting;
            i.excluded = *excluded_agent;
            if refused_by.is_some() {
                // Not a push that reached anyone.
                i.pushes = i.pushes.saturating_sub(1);
            }
            if *skills_reset {
                i.requirements.clone_from(&i.requested);
            }
        }
        let s = match (show, refused_by) {
            (false, _) => String::new(),
            (true, Some(a)) => self.refused_push_words(a, *item, *queue, *excluded_agent),
            (true, None) => {
                self.back_in_queue_words(event.time, *item, *queue, *excluded_agent, before)
            }
        };
        let tone = if refused_by.is_some() {
            Tone::Miss
        } else {
            Tone::Queue
        };
        Some((tone, s))
    }

    /// Why an item went straight back to its queue: its push reached an
    /// agent that could no longer take it, which is not a decline.
    fn refused_push_words(
        &self,
        a: AgentId,
        item: WorkItemId,
        queue: QueueId,
        excluded_agent: Option<AgentId>,
    ) -> String {
        let mut s = String::new();
        let q = self.queue_name(queue);
        let _ = write!(
            s,
            "agent {} could not take item {item} when the push reached it: {}; \
             back in queue \"{q}\", keeping its place; not a decline: agent {} \
             keeps its place in the tie-break",
            a.0,
            self.refusal_words(a, queue),
            a.0
        );
        match excluded_agent {
            Some(x) => {
                let _ = write!(s, " and the item still excludes agent {}", x.0);
            }
            None => s.push_str(" and is not excluded from the item"),
        }
        s
    }

    /// An item back in its queue after its agent let it go: after whom,
    /// its place (its age), and who may take it now.
    fn back_in_queue_words(
        &self,
        t: SimTime,
        item: WorkItemId,
        queue: QueueId,
        excluded_agent: Option<AgentId>,
        before: Option<Before>,
    ) -> String {
        let mut s = String::new();
        let q = self.queue_name(queue);
        let requested_at = before.as_ref().map_or(t, |b| b.requested_at);
        let _ = write!(s, "item {item} back in queue \"{q}\"");
        match before.as_ref().map(|b| (b.at, b.leg)) {
            Some((_, Some(Leg::Reassigned { agent, since }))) if since == t => {
                let _ = write!(
                    s,
                    " after agent {}, holding it, stayed logged out too long",
                    agent.0
                );
            }
            Some((Where::Pushed { agent, .. }, _)) if excluded_agent.is_none() => {
                let _ = write!(s, " after agent {} logged out", agent.0);
            }
            _ => {}
        }
        let _ = write!(
            s,
            ", keeping its place (requested at {}, {} ago)",
            self.scenario.simulation.clock().label_ms(requested_at),
            span(t - requested_at)
        );
        let refused = before.map(|b| b.refused).unwrap_or_default();
        match (excluded_agent, refused.as_slice()) {
            (_, [_, ..]) if self.tried_once(queue) => {
                let list: Vec<String> = refused.iter().map(|a| a.0.to_string()).collect();
                let _ = write!(
                    s,
                    "; it waits for an agent it has not tried (not agent{} {})",
                    if refused.len() > 1 { "s" } else { "" },
                    list.join(", ")
                );
            }
            (Some(a), _) => {
                let _ = write!(s, "; it will go to anyone but agent {}", a.0);
            }
            (None, _) => s.push_str("; every agent is eligible again"),
        }
        s
    }

    /// The customer left before an answer.
    pub(super) fn work_abandoned(
        &mut self,
        event: &SimEvent,
        show: bool,
    ) -> Option<(Tone, String)> {
        let EventKind::WorkAbandoned {
            item,
            queue,
            requested_at,
            ..
        } = &event.kind
        else {
            return None;
        };
        let t = event.time;
        let mut s = String::new();
        let at = self.items.remove(item).map(|i| i.at);
        if show {
            let _ = write!(
                s,
                "item {item} abandoned queue \"{}\" after {}: patience ran out",
                self.queue_name(*queue),
                span(t - *requested_at)
            );
            if let Some(Where::Pushed { agent, .. }) = at {
                let _ = write!(s, " while it was pushed to agent {}", agent.0);
            }
        }
        Some((Tone::Loss, s))
    }

    /// Every available agent refused the item, on a channel that ends such
    /// items.
    pub(super) fn work_ended_no_agent(
        &mut self,
        event: &SimEvent,
        show: bool,
    ) -> Option<(Tone, String)> {
        let EventKind::WorkEndedNoAgent {
            item,
            queue,
            requested_at,
            ..
        } = &event.kind
        else {
            return None;
        };
        let t = event.time;
        let mut s = String::new();
        self.items.remove(item);
        if show {
            let _ = write!(
                s,
                "item {item} of queue \"{}\" ended after {}: every agent available \
                 for it declined it or let the push time out (no available agent)",
                self.queue_name(*queue),
                span(t - *requested_at)
            );
        }
        Some((Tone::Loss, s))
    }
}
