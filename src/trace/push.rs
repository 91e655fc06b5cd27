//! Lines about pushes: the routing decision, the push, its acceptance and its
//! decline or timeout.

use super::decision::{candidate_facts, consistent};
use super::*;

impl Narrator {
    /// The router chose an agent: the candidates and the rule, as the router
    /// recorded them.
    pub(super) fn routing_decision(
        &mut self,
        event: &SimEvent,
        show: bool,
    ) -> Option<(Tone, String)> {
        let EventKind::RoutingDecision {
            item,
            queue,
            agent,
            model,
            record,
        } = &event.kind
        else {
            return None;
        };
        let t = event.time;
        let mut s = String::new();
        let pushes = self.items.get(item).map_or(0, |i| i.pushes);
        let record = record.as_deref();
        self.check.record(
            record.is_some_and(|r| consistent(*model, *agent, r)),
            t,
            *item,
        );
        if show {
            if let Some(r) = record {
                let listed = &r.ranked[..r.ranked.len().min(LISTED_CANDIDATES)];
                self.decided = Some(DecisionFacts {
                    eligible: r.ranked.len(),
                    candidates: listed.iter().map(|c| candidate_facts(r.pool, c)).collect(),
                    rule: r.rule,
                });
            }
            s = self.decision_words(t, *item, *queue, *agent, *model, pushes, record);
        }
        if let Some(i) = self.items.get_mut(item) {
            i.pushes += 1;
            i.at = Where::Pushed {
                agent: *agent,
                received: false,
            };
        }
        Some((Tone::Routing, s))
    }

    /// The push: the AgentWork, what answer it awaits and what the agent holds
    /// now.
    pub(super) fn work_assigned(&mut self, event: &SimEvent, show: bool) -> Option<(Tone, String)> {
        let EventKind::WorkAssigned {
            work,
            item,
            queue,
            agent,
            cost,
            pool,
            ..
        } = &event.kind
        else {
            return None;
        };
        let t = event.time;
        let mut s = String::new();
        if let Some(ItemInfo {
            at: Where::Pushed { received, .. },
            ..
        }) = self.items.get_mut(item)
        {
            *received = true;
        }
        self.works.insert(
            *work,
            WorkInfo {
                item: *item,
                queue: *queue,
                cost: *cost,
                pool: *pool,
                assigned_at: t,
                accepted: false,
            },
        );
        if let Some(a) = self.agents.get_mut(agent.index()) {
            let p = pool.index();
            a.load[p] = a.load[p] + *cost;
        }
        if show {
            let _ = write!(
                s,
                "pushed item {item} to {} as AgentWork {work}; ",
                self.agent_name(*agent)
            );
            let a = &self.agents[agent.index()];
            if a.auto_accept {
                s.push_str("auto-accept, no answer needed");
            } else {
                match self.scenario.queues[queue.index()].routing.push_timeout {
                    Some(d) => {
                        let _ = write!(s, "push timeout {}", span(d));
                    }
                    None => s.push_str("no push timeout"),
                }
            }
            let _ = write!(s, "; agent {} now {}", agent.0, self.holds(*agent, *pool));
            if *pool == CapacityPool::Interruptible {
                s.push_str(" interruptible");
            }
        }
        Some((Tone::Push, s))
    }

    /// The answer: how long the push waited, and when the item was answered.
    pub(super) fn work_accepted(&mut self, event: &SimEvent, show: bool) -> Option<(Tone, String)> {
        let EventKind::WorkAccepted {
            work,
            item,
            agent,
            requested_at,
            handle_time,
            ..
        } = &event.kind
        else {
            return None;
        };
        let t = event.time;
        let mut s = String::new();
        if let Some(w) = self.works.get_mut(work) {
            w.accepted = true;
        }
        let before = self.items.get_mut(item).map(|i| {
            let first = i.answered_at;
            i.answered_at.get_or_insert(t);
            (first, i.leg.take())
        });
        if show {
            let assigned = self.works.get(work).map_or(t, |w| w.assigned_at);
            if self.agents[agent.index()].auto_accept {
                let _ = write!(s, "agent {} auto-accepted item {item}", agent.0);
            } else {
                let _ = write!(
                    s,
                    "agent {} accepted item {item} after {}",
                    agent.0,
                    span(t - assigned)
                );
            }
            let _ = write!(s, " (AgentWork {work}); ");
            match before {
                Some((Some(first), leg)) => s.push_str(&story::again_words(
                    &self.scenario,
                    t,
                    first - *requested_at,
                    leg,
                )),
                _ => {
                    let _ = write!(s, "answered {} after the request", span(t - *requested_at));
                }
            }
            let _ = write!(s, "; handle time {}", span(*handle_time));
        }
        Some((Tone::Done, s))
    }

    /// A decline or push timeout: which agent the item now leaves out, and for
    /// how long.
    pub(super) fn work_declined(&mut self, event: &SimEvent, show: bool) -> Option<(Tone, String)> {
        let EventKind::WorkDeclined {
            work,
            item,
            queue,
            agent,
            reason,
            on_push_timeout,
        } = &event.kind
        else {
            return None;
        };
        let t = event.time;
        let mut s = String::new();
        let (_, info) = self.release_work(*work, *queue, *agent);
        let tried_once = self.tried_once(*queue);
        if let Some(i) = self.items.get_mut(item).filter(|_| tried_once) {
            if !i.refused.contains(agent) {
                i.refused.push(*agent);
            }
        }
        self.cause = Some(Cause {
            agent: *agent,
            item: *item,
            queue: *queue,
        });
        if show {
            let a = agent.0;
            if *on_push_timeout {
                let waited = info.map_or(t, |w| w.assigned_at);
                let _ = write!(
                    s,
                    "no answer within {}: push of item {item} to agent {a} timed out \
                     (AgentWork {work} → DeclinedOnPushTimeout)",
                    span(t - waited)
                );
            } else {
                let _ = write!(s, "agent {a} declined item {item} (AgentWork {work}), ");
                match reason {
                    Some(r) => {
                        let _ = write!(s, "reason \"{r}\"");
                    }
                    None => s.push_str("no reason given"),
                }
            }
            if tried_once {
                let _ = write!(
                    s,
                    "; agent {a} will not be pushed this item again: on channel \"{}\" \
                     each agent is tried once",
                    self.channel_name(*queue)
                );
            } else {
                let _ = write!(
                    s,
                    "; agent {a} is excluded from this item until it changes status"
                );
            }
        }
        Some((Tone::Miss, s))
    }
}
