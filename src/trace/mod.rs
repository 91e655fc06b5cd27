//! A run told event by event, for teaching: why did the router push that
//! item there?
//!
//! [`Narrator`] turns the [`SimEvent`] stream into lines such as (clock
//! times added by the `omnisim trace` command, [`DayClock::label_ms`])
//!
//! ```text
//! 08:12:03.412  item 500000000000017 arrived in queue "Chat" (patience 2m 14s)
//! 08:12:03.412  routing item 500000000000017 (Chat, most_available, cost 1): 3 eligible — agent 4 (Tier 1) free 2 of 3, 1 active, last push 41 s ago; …; chose agent 4: most free capacity (2 vs 1)
//! 08:12:03.412  pushed item 500000000000017 to agent 4 (Tier 1) as AgentWork 0Bz000000000031; push timeout 30 s; agent 4 now holds 2 of 3
//! ```
//!
//! Instants inside a line (a login time in a tie-break) are clock times
//! too, so they can be compared with the lines' own.
//!
//! The candidates and the rule come from the router itself: a run that
//! is traced records every decision ([`RunOptions::record_decisions`](crate::engine::RunOptions::record_decisions)),
//! and the `RoutingDecision` event carries a [`DecisionRecord`]: every
//! eligible agent as the router saw it, best first, and the rule that set
//! the first apart. The narrator words it; it keeps no picture of the
//! router of its own. [`DecisionCheck`] counts the decisions whose record
//! is consistent with the choice (ranked in the model's order, the chosen
//! agent first); the tests hold it to every decision of real runs.

mod story;
mod words;

use crate::clock::DayClock;
use crate::events::{
    AgentLedger, BreakStep, DecisionRecord, DecisionRule, EventKind, EventSink, RankedAgent,
    SimEvent, StatusChangeReason,
};
use crate::omni::{
    AgentId, AgentWorkId, CapacityPool, CapacityUnits, QueueId, RoutingModel, RoutingType,
    SkillRequirement, WorkItemId,
};
use crate::scenario::Scenario;
use crate::time::SimTime;
use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Arc;
use words::{cost as cost_words, ordinal, span, units};

/// Candidates a routing line lists before "and N more": enough to show the
/// runner-up and the shape of the field without a screen-wide line.
pub const LISTED_CANDIDATES: usize = 5;

/// What kind of moment a line narrates, so front ends can colour it.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum Tone {
    /// An item arrived in or went back to its queue.
    Queue,
    /// The router chose an agent.
    Routing,
    /// A push: an AgentWork was created.
    Push,
    /// Work accepted or closed.
    Done,
    /// A decline, a push timeout or a refused push: capacity lost a while.
    Miss,
    /// A customer lost: abandonment or cancellation.
    Loss,
    /// Login, logout, status change.
    Presence,
    /// A flag raised or lowered.
    Flag,
}

/// What an event is about, for filters. Besides the event's own fields it
/// carries what only the story knows: a status change caused by a push
/// timeout is about that push's item, a re-queue is about the agent the
/// item was taken from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Subject {
    /// The agent concerned.
    pub agent: Option<AgentId>,
    /// The work item concerned.
    pub item: Option<WorkItemId>,
    /// The queue concerned.
    pub queue: Option<QueueId>,
}

/// One narrated event.
#[derive(Clone, Debug, PartialEq)]
pub struct TraceLine {
    /// When it happened.
    pub time: SimTime,
    /// The narration, without the time.
    pub text: String,
    /// Its kind, for colour.
    pub tone: Tone,
    /// What it is about.
    pub subject: Subject,
    /// On a routing decision: the agents the narrator ranked, in the
    /// model's order, for the machine-readable trace.
    pub decision: Option<DecisionFacts>,
}

/// The candidates of one routing decision, as the text line lists them.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct DecisionFacts {
    /// Agents eligible for the item.
    pub eligible: usize,
    /// The best-ranked of them (at most the number the text lists), best
    /// first.
    pub candidates: Vec<CandidateFacts>,
    /// What set the first ahead of the second, as the router recorded it.
    pub rule: DecisionRule,
}

/// One candidate of a routing decision.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct CandidateFacts {
    /// The agent's number.
    pub agent: u32,
    /// The capacity pool the item would use.
    pub pool: CapacityPool,
    /// Capacity of that pool, in units.
    pub capacity: f64,
    /// Load held in that pool, in units (what least active compares).
    pub load: f64,
    /// Free capacity in that pool, in units (what most available compares).
    pub free: f64,
    /// Pushes held (assigned or opened).
    pub active: u32,
    /// Whether the agent was pushed work since it logged in.
    pub pushed_since_login: bool,
    /// Its last push, or its login when none, in seconds on the trace's
    /// time scale: the tie-break (longest idle first).
    pub since: f64,
}

/// Which events to narrate; every field left `None` keeps everything.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TraceFilter {
    /// Nothing before this instant.
    pub from: Option<SimTime>,
    /// Nothing after this instant.
    pub until: Option<SimTime>,
    /// Only events about this agent.
    pub agent: Option<AgentId>,
    /// Only events about this queue.
    pub queue: Option<QueueId>,
    /// Only events about this work item.
    pub item: Option<WorkItemId>,
}

impl TraceFilter {
    /// Whether an event at `time` about `subject` is kept.
    pub fn matches(&self, time: SimTime, subject: &Subject) -> bool {
        self.from.is_none_or(|f| time >= f)
            && self.until.is_none_or(|u| time <= u)
            && self.agent.is_none_or(|a| subject.agent == Some(a))
            && self.queue.is_none_or(|q| subject.queue == Some(q))
            && self.item.is_none_or(|i| subject.item == Some(i))
    }
}

/// How the recorded decisions compared with the router's choices.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DecisionCheck {
    /// Routing decisions seen.
    pub decisions: u64,
    /// Of those, how many carried a record consistent with the choice:
    /// candidates in the routing model's order, without the excluded
    /// agent, the chosen agent first (or, for an external policy, among
    /// them).
    pub agreed: u64,
    /// The first decision that did not, if any.
    pub first_disagreement: Option<(SimTime, WorkItemId)>,
}

impl DecisionCheck {
    fn record(&mut self, agreed: bool, time: SimTime, item: WorkItemId) {
        self.decisions += 1;
        if agreed {
            self.agreed += 1;
        } else if self.first_disagreement.is_none() {
            self.first_disagreement = Some((time, item));
        }
    }
}

#[derive(Debug)]
struct AgentInfo {
    group: usize,
    /// Load and configured capacity per pool.
    load: [CapacityUnits; 2],
    capacity: [CapacityUnits; 2],
    auto_accept: bool,
    /// Logged in by the previous event: its status change is the login's.
    fresh_login: bool,
}

#[derive(Copy, Clone, Debug, PartialEq)]
enum Where {
    Waiting,
    /// Pushed to `agent`; `received` once the agent reported the push.
    Pushed {
        agent: AgentId,
        received: bool,
    },
}

#[derive(Debug)]
struct ItemInfo {
    requested_at: SimTime,
    /// Pushes that reached an agent (a refused push is not one).
    pushes: u32,
    at: Where,
    /// Last agent to let it go, until that agent changes status.
    excluded: Option<AgentId>,
    /// On a channel that ends items declined by everyone: every agent that
    /// refused it since it was last queued (§12.6).
    refused: Vec<AgentId>,
    /// Its first acceptance: its answer.
    answered_at: Option<SimTime>,
    /// How its current leg began, once it was answered: a transfer or a
    /// reassignment puts an answered item back in a queue.
    leg: Option<Leg>,
    /// The skills it asks for now (skills-based work).
    requirements: Vec<SkillRequirement>,
    /// And on entering its queue, which a reset restores.
    requested: Vec<SkillRequirement>,
}

impl ItemInfo {
    fn new(requested_at: SimTime, skills: &[SkillRequirement]) -> ItemInfo {
        ItemInfo {
            requested_at,
            pushes: 0,
            at: Where::Waiting,
            excluded: None,
            refused: Vec::new(),
            answered_at: None,
            leg: None,
            requirements: skills.to_vec(),
            requested: skills.to_vec(),
        }
    }
}

/// How an answered item came back to a queue.
#[derive(Copy, Clone, Debug)]
enum Leg {
    /// Transferred in from `from` at `since`.
    Transferred { from: QueueId, since: SimTime },
    /// Taken back from `agent`, who stayed logged out holding it, at
    /// `since`.
    Reassigned { agent: AgentId, since: SimTime },
}

#[derive(Debug)]
struct WorkInfo {
    item: WorkItemId,
    queue: QueueId,
    cost: CapacityUnits,
    pool: CapacityPool,
    assigned_at: SimTime,
    /// Accepted (opened) already.
    accepted: bool,
}

/// The release a following decline/timeout status change comes from.
#[derive(Copy, Clone, Debug)]
struct Cause {
    agent: AgentId,
    item: WorkItemId,
    queue: QueueId,
}

/// Narrates a run. Feed it every event of a run, from the start, in order
/// (as an [`EventSink`], or through [`Narrator::narrate`]); it keeps the
/// state needed to explain each one even when the line is filtered out.
/// Run with [`RunOptions::record_decisions`](crate::engine::RunOptions::record_decisions)
/// set, or routing lines name only the chosen agent.
#[derive(Debug)]
pub struct Narrator {
    scenario: Arc<Scenario>,
    filter: TraceFilter,
    agents: Vec<AgentInfo>,
    items: BTreeMap<WorkItemId, ItemInfo>,
    works: BTreeMap<AgentWorkId, WorkInfo>,
    cause: Option<Cause>,
    check: DecisionCheck,
    lines: Vec<TraceLine>,
    /// Each agent's status and rostered break, by the rules the metrics
    /// read too: the trace tells the breaks `agents.csv` counts.
    ledger: AgentLedger,
    /// The facts of the decision being narrated, for its line.
    decided: Option<DecisionFacts>,
}

impl Narrator {
    /// A narrator for a run of `scenario` that narrates every event.
    pub fn new(scenario: Arc<Scenario>) -> Narrator {
        let mut agents = Vec::with_capacity(scenario.agent_count());
        let mut capacity = Vec::with_capacity(scenario.agent_count());
        for (g, group) in scenario.agents.iter().enumerate() {
            let config = &scenario.presence_configs[group.presence_config.index()];
            for _ in 0..group.count {
                capacity.push(config.capacity);
                agents.push(AgentInfo {
                    group: g,
                    load: [CapacityUnits::ZERO; 2],
                    capacity: [
                        CapacityUnits::whole(config.capacity),
                        CapacityUnits::whole(config.interruptible_capacity),
                    ],
                    auto_accept: config.auto_accept,
                    fresh_login: false,
                });
            }
        }
        Narrator {
            ledger: AgentLedger::new(&scenario),
            scenario,
            filter: TraceFilter::default(),
            agents,
            items: BTreeMap::new(),
            works: BTreeMap::new(),
            cause: None,
            check: DecisionCheck::default(),
            lines: Vec::new(),
            decided: None,
        }
    }

    /// Narrates only what `filter` keeps (the state still follows every
    /// event).
    pub fn with_filter(mut self, filter: TraceFilter) -> Narrator {
        self.filter = filter;
        self
    }

    /// How the recorded decisions compared with the router's choices.
    #[cfg(test)]
    pub fn check(&self) -> DecisionCheck {
        self.check
    }

    /// Takes the lines collected so far.
    #[cfg(test)]
    pub fn take_lines(&mut self) -> Vec<TraceLine> {
        std::mem::take(&mut self.lines)
    }

    /// Follows one event; returns its line if the filter keeps it. Some
    /// events are told as part of another (a workload change in the push or
    /// close line, a login's status change in the login line) and never
    /// get a line of their own.
    pub fn narrate(&mut self, event: &SimEvent) -> Option<TraceLine> {
        let subject = self.subject(&event.kind);
        let show = self.filter.matches(event.time, &subject);
        let (tone, text) = self.follow(event, show)?;
        let decision = self.decided.take();
        show.then_some(TraceLine {
            time: event.time,
            text,
            tone,
            subject,
            decision,
        })
    }

    fn pushed_to(&self, item: WorkItemId) -> Option<AgentId> {
        match self.items.get(&item)?.at {
            Where::Pushed { agent, .. } => Some(agent),
            Where::Waiting => None,
        }
    }

    fn subject(&self, kind: &EventKind) -> Subject {
        let mut s = Subject {
            agent: kind.agent(),
            item: kind.item(),
            queue: kind.queue(),
        };
        match kind {
            EventKind::WorkRequeued {
                item,
                excluded_agent,
                ..
            } => s.agent = excluded_agent.or_else(|| self.pushed_to(*item)),
            EventKind::WorkAbandoned { item, .. } => s.agent = self.pushed_to(*item),
            EventKind::WorkFlagUpdated { work, .. } => {
                if let Some(w) = self.works.get(work) {
                    (s.item, s.queue) = (Some(w.item), Some(w.queue));
                }
            }
            EventKind::StatusChanged { agent, reason, .. } => {
                if let Some(c) = self.cause {
                    if c.agent == *agent && !clears_exclusions(*reason) {
                        (s.item, s.queue) = (Some(c.item), Some(c.queue));
                    }
                }
            }
            _ => {}
        }
        s
    }

    fn agent_name(&self, agent: AgentId) -> String {
        match self.agents.get(agent.index()) {
            Some(a) => format!(
                "agent {} ({})",
                agent.0, self.scenario.agents[a.group].group
            ),
            None => format!("agent {}", agent.0),
        }
    }

    fn queue_name(&self, queue: QueueId) -> &str {
        self.scenario
            .queues
            .get(queue.index())
            .map_or("?", |q| q.name.as_str())
    }

    /// A status's name and what it means for routing.
    fn status_words(&self, status: crate::omni::StatusId) -> (String, String) {
        let Some(s) = self.scenario.statuses.get(status.index()) else {
            return (status.to_string(), "unknown status".into());
        };
        if s.channels.is_empty() {
            return (s.api_name.clone(), "busy, no work is pushed to it".into());
        }
        let channels: Vec<&str> = s
            .channels
            .iter()
            .map(|c| self.scenario.channels[c.index()].name.as_str())
            .collect();
        (
            s.api_name.clone(),
            format!("receives {}", channels.join(", ")),
        )
    }

    /// Updates the state for one event and, when `show`, words it. `None`
    /// for events told as part of another.
    fn follow(&mut self, event: &SimEvent, show: bool) -> Option<(Tone, String)> {
        let t = event.time;
        let mut s = String::new();
        let tone = match &event.kind {
            EventKind::WorkArrived {
                item,
                queue,
                patience,
                retrial,
                skills,
                ..
            } => {
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
                Tone::Queue
            }
            EventKind::RoutingDecision {
                item,
                queue,
                agent,
                model,
                record,
            } => {
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
                Tone::Routing
            }
            EventKind::WorkAssigned {
                work,
                item,
                queue,
                agent,
                cost,
                pool,
                ..
            } => {
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
                    let p = pool.index();
                    let _ = write!(
                        s,
                        "; agent {} now holds {} of {}",
                        agent.0,
                        units(a.load[p]),
                        units(a.capacity[p])
                    );
                    if *pool == CapacityPool::Interruptible {
                        s.push_str(" interruptible");
                    }
                }
                Tone::Push
            }
            EventKind::WorkAccepted {
                work,
                item,
                agent,
                requested_at,
                handle_time,
                ..
            } => {
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
                            let _ =
                                write!(s, "answered {} after the request", span(t - *requested_at));
                        }
                    }
                    let _ = write!(s, "; handle time {}", span(*handle_time));
                }
                Tone::Done
            }
            EventKind::WorkDeclined {
                work,
                item,
                queue,
                agent,
                reason,
                on_push_timeout,
            } => {
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
                Tone::Miss
            }
            EventKind::WorkClosed {
                work,
                item,
                queue,
                agent,
                accepted_at,
                ..
            } => {
                let (_, info) = self.release_work(*work, *queue, *agent);
                self.items.remove(item);
                if show {
                    let p = info.map_or_else(|| self.pool(*queue), |w| w.pool).index();
                    let a = &self.agents[agent.index()];
                    let _ = write!(
                        s,
                        "agent {} closed item {item} (AgentWork {work}) after {} of handling; \
                         holds {} of {}",
                        agent.0,
                        span(t - *accepted_at),
                        units(a.load[p]),
                        units(a.capacity[p])
                    );
                }
                Tone::Done
            }
            EventKind::WorkTransferred {
                work,
                item,
                from_queue,
                to_queue,
                agent,
                accepted_at,
            } => {
                let (_, info) = self.release_work(*work, *from_queue, *agent);
                if show {
                    let p = info
                        .map_or_else(|| self.pool(*from_queue), |w| w.pool)
                        .index();
                    let a = &self.agents[agent.index()];
                    let _ = write!(
                        s,
                        "agent {} transferred item {item} (AgentWork {work} → Transferred) \
                         to queue \"{}\" after {} of handling; holds {} of {}",
                        agent.0,
                        self.queue_name(*to_queue),
                        span(t - *accepted_at),
                        units(a.load[p]),
                        units(a.capacity[p])
                    );
                }
                Tone::Done
            }
            EventKind::WorkTransferredIn {
                item,
                from_queue,
                queue,
                requested_at,
                handle_time,
                skills,
                ..
            } => {
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
                Tone::Queue
            }
            EventKind::WorkUnavailable {
                work,
                item,
                queue,
                agent,
            } => {
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
                        let after =
                            self.scenario.queues.get(queue.index()).and_then(|q| {
                                self.scenario.channels[q.channel.index()].reassign_after
                            });
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
                Tone::Miss
            }
            EventKind::WorkCanceled {
                work,
                item,
                queue,
                agent,
            } => {
                self.release_work(*work, *queue, *agent);
                if show {
                    let _ = write!(
                        s,
                        "the customer of item {item} left while it was pushed to agent {}: \
                         AgentWork {work} → Canceled",
                        agent.0
                    );
                }
                Tone::Loss
            }
            EventKind::WorkAbandoned {
                item,
                queue,
                requested_at,
                ..
            } => {
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
                Tone::Loss
            }
            EventKind::WorkRequeued {
                item,
                queue,
                excluded_agent,
                skills_reset,
            } => {
                let info = self
                    .items
                    .get(item)
                    .map(|i| (i.at, i.requested_at, i.leg, i.refused.clone()));
                let refused_by = info.as_ref().and_then(|(at, ..)| Self::taken_back(*at));
                let requested_at = info.as_ref().map_or(t, |i| i.1);
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
                if show {
                    let q = self.queue_name(*queue);
                    if let Some(a) = refused_by {
                        let _ = write!(
                            s,
                            "agent {} could not take item {item} when the push reached it: {}; \
                             back in queue \"{q}\", keeping its place; not a decline: agent {} \
                             keeps its place in the tie-break",
                            a.0,
                            self.refusal_words(a, *queue),
                            a.0
                        );
                        match excluded_agent {
                            Some(x) => {
                                let _ = write!(s, " and the item still excludes agent {}", x.0);
                            }
                            None => s.push_str(" and is not excluded from the item"),
                        }
                    } else {
                        let _ = write!(s, "item {item} back in queue \"{q}\"");
                        match info.as_ref().map(|i| (i.0, i.2)) {
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
                        let refused = info.map(|i| i.3).unwrap_or_default();
                        match (excluded_agent, refused.as_slice()) {
                            (_, [_, ..]) if self.tried_once(*queue) => {
                                let list: Vec<String> =
                                    refused.iter().map(|a| a.0.to_string()).collect();
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
                    }
                }
                if refused_by.is_some() {
                    Tone::Miss
                } else {
                    Tone::Queue
                }
            }
            EventKind::WorkPaused {
                work,
                item,
                agent,
                paused,
                cost,
                ..
            } => {
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
                Tone::Done
            }
            EventKind::WorkResumeWaiting {
                work,
                item,
                agent,
                cost,
                ..
            } => {
                if show {
                    let a = &self.agents[agent.index()];
                    let p = self
                        .works
                        .get(work)
                        .map_or(0, |w| self.pool(w.queue).index());
                    let _ = write!(
                        s,
                        "agent {}'s pause of item {item} (AgentWork {work}) is over, but it took \
                         other work meanwhile and holds {} of {}: the item stays paused, not \
                         worked, until its {} fit again; nothing new is pushed to agent {} that \
                         would take that room",
                        agent.0,
                        units(a.load[p]),
                        units(a.capacity[p]),
                        units(*cost),
                        agent.0
                    );
                }
                Tone::Miss
            }
            EventKind::WorkInterrupted {
                work,
                item,
                agent,
                interrupted,
                ..
            } => {
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
                Tone::Done
            }
            EventKind::SkillsDropped {
                item,
                queue,
                skills,
                priority,
                waited,
            } => {
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
                Tone::Queue
            }
            EventKind::WorkEndedNoAgent {
                item,
                queue,
                requested_at,
                ..
            } => {
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
                Tone::Loss
            }
            EventKind::WorkloadChanged {
                agent,
                new_workload,
                new_interruptible_workload,
                ..
            } => {
                if let Some(a) = self.agents.get_mut(agent.index()) {
                    a.load = [*new_workload, *new_interruptible_workload];
                }
                return None;
            }
            EventKind::StatusChanged {
                agent,
                status,
                reason,
                ..
            } => {
                let clears = clears_exclusions(*reason);
                let fresh = std::mem::take(&mut self.agents[agent.index()].fresh_login);
                let step = self.ledger.apply(event);
                let freed = if clears {
                    self.clear_exclusions(*agent)
                } else {
                    Vec::new()
                };
                if !clears {
                    self.cause = None;
                }
                if fresh {
                    return None;
                }
                if show {
                    let (name, meaning) = self.status_words(*status);
                    match step {
                        Some(BreakStep::Starts(b)) => {
                            let who = self.agent_name(*agent);
                            let _ = match b.until {
                                Some(until) => {
                                    let until = self.scenario.simulation.clock().label(until);
                                    write!(
                                        s,
                                        "{who} goes to {name} (break until {until}): {meaning}"
                                    )
                                }
                                None => write!(s, "{who} goes to {name} (break): {meaning}"),
                            };
                        }
                        Some(BreakStep::Ends { status: was, .. }) => {
                            let back = self
                                .agents
                                .get(agent.index())
                                .is_some_and(|a| self.scenario.agents[a.group].status == *status);
                            let (who, was) = (self.agent_name(*agent), self.status_words(was).0);
                            let _ = if back {
                                write!(
                                    s,
                                    "{who} is back from {was} → {name} ({reason:?}): {meaning}"
                                )
                            } else {
                                write!(
                                    s,
                                    "{who} ends its {was} break → {name} ({reason:?}): {meaning}"
                                )
                            };
                        }
                        None => {
                            let _ = write!(s, "agent {} → {name} ({reason:?}): {meaning}", agent.0);
                        }
                    }
                    if !freed.is_empty() {
                        let list: Vec<String> = freed.iter().map(|i| i.to_string()).collect();
                        let _ = write!(
                            s,
                            "; the status change lifts its exclusion from item {}",
                            list.join(", ")
                        );
                    }
                }
                Tone::Presence
            }
            EventKind::LoginSuccess { agent, status } => {
                self.ledger.apply(event);
                self.agents[agent.index()].fresh_login = true;
                self.clear_exclusions(*agent);
                if show {
                    let (name, meaning) = self.status_words(*status);
                    let _ = write!(
                        s,
                        "{} logged in as {name}: {meaning}",
                        self.agent_name(*agent)
                    );
                }
                Tone::Presence
            }
            EventKind::AgentAbsent { agent } => {
                self.ledger.apply(event);
                if show {
                    let _ = write!(
                        s,
                        "{} is absent today: rostered, but never logs in",
                        self.agent_name(*agent)
                    );
                }
                Tone::Presence
            }
            EventKind::Logout { agent } => {
                self.ledger.apply(event);
                self.clear_exclusions(*agent);
                if show {
                    let _ = write!(s, "{} logged out", self.agent_name(*agent));
                }
                Tone::Presence
            }
            EventKind::WorkFlagUpdated {
                work,
                agent,
                is_flagged,
                message,
            } => {
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
                Tone::Flag
            }
        };
        Some((tone, s))
    }

    /// An AgentWork stopped being active: returns the capacity it held
    /// and what was known of the work.
    fn release_work(
        &mut self,
        work: AgentWorkId,
        queue: QueueId,
        agent: AgentId,
    ) -> (CapacityUnits, Option<WorkInfo>) {
        let info = self.works.remove(&work);
        let cost = info
            .as_ref()
            .map_or_else(|| self.cost(queue, agent), |w| w.cost);
        // Its agent holds that much less from now: several releases of one
        // instant (a logout closing everything) are told one by one, before
        // the one workload event that sums them up.
        let pool = info.as_ref().map_or_else(|| self.pool(queue), |w| w.pool);
        if let Some(a) = self.agents.get_mut(agent.index()) {
            let p = pool.index();
            a.load[p] = a.load[p] - cost;
        }
        (cost, info)
    }

    /// The name of the channel of `queue`'s items.
    fn channel_name(&self, queue: QueueId) -> &str {
        self.scenario.queues.get(queue.index()).map_or("?", |q| {
            self.scenario.channels[q.channel.index()].name.as_str()
        })
    }

    /// Whether `queue`'s channel ends items declined by everyone: each
    /// agent is tried once (§12.6).
    fn tried_once(&self, queue: QueueId) -> bool {
        self.scenario
            .queues
            .get(queue.index())
            .is_some_and(|q| self.scenario.channels[q.channel.index()].ends_when_all_decline)
    }

    /// Why `agent` could not receive a push of an item of `queue`, as the
    /// events so far tell it.
    fn refusal_words(&self, agent: AgentId, queue: QueueId) -> String {
        let Some(a) = self.ledger.get(agent) else {
            return "it left the channel or filled up at that instant".into();
        };
        let channel = self.scenario.queues.get(queue.index()).map(|q| q.channel);
        match a.status() {
            None => "it had logged out at that instant, before the router heard of it".into(),
            Some(st)
                if !channel.is_some_and(|c| self.scenario.statuses[st.index()].has_channel(c)) =>
            {
                format!(
                    "it had moved to {} at that instant, which does not receive {}",
                    self.status_words(st).0,
                    self.channel_name(queue)
                )
            }
            Some(_) => "it had no room left for it at that instant".into(),
        }
    }

    /// The capacity pool items of `queue` count against.
    fn pool(&self, queue: QueueId) -> CapacityPool {
        self.scenario
            .queues
            .get(queue.index())
            .map_or(CapacityPool::Primary, |q| q.routing.pool)
    }

    /// What one item of `queue` costs `agent`.
    fn cost(&self, queue: QueueId, agent: AgentId) -> CapacityUnits {
        let (Some(q), Some(a)) = (
            self.scenario.queues.get(queue.index()),
            self.agents.get(agent.index()),
        ) else {
            return CapacityUnits::ZERO;
        };
        let capacity = a.capacity[q.routing.pool.index()];
        q.routing.cost.units_for(capacity.whole_units())
    }

    /// The router took an item back from the agent it was pushed to
    /// (`at`). An agent that never reported the push refused it when it
    /// arrived (it left the channel or filled up at that instant): that
    /// agent is returned. One that had it released it (decline, timeout,
    /// logout).
    fn taken_back(at: Where) -> Option<AgentId> {
        match at {
            Where::Pushed {
                agent,
                received: false,
            } => Some(agent),
            _ => None,
        }
    }

    /// Items `agent` was excluded from, now free to go to it again.
    fn clear_exclusions(&mut self, agent: AgentId) -> Vec<WorkItemId> {
        let mut freed = Vec::new();
        for (id, i) in self.items.iter_mut() {
            if i.excluded == Some(agent) {
                i.excluded = None;
                freed.push(*id);
            }
        }
        freed
    }

    #[allow(clippy::too_many_arguments)]
    #[allow(clippy::too_many_arguments)]
    fn decision_words(
        &self,
        now: SimTime,
        item: WorkItemId,
        queue: QueueId,
        chosen: AgentId,
        model: RoutingModel,
        pushes: u32,
        record: Option<&DecisionRecord>,
    ) -> String {
        let mut s = String::new();
        let verb = if pushes == 0 { "routing" } else { "re-routing" };
        let _ = write!(
            s,
            "{verb} item {item} ({}, {}, cost {}",
            self.queue_name(queue),
            model.as_str(),
            self.scenario
                .queues
                .get(queue.index())
                .map_or_else(|| "?".into(), |q| cost_words(q.routing.cost))
        );
        if pushes > 0 {
            let _ = write!(s, ", {} push", ordinal(pushes + 1));
        }
        let Some(r) = record else {
            let _ = write!(
                s,
                "): chose agent {} (the run did not record the candidates)",
                chosen.0
            );
            return s;
        };
        let skills_based = self
            .scenario
            .queues
            .get(queue.index())
            .is_some_and(|q| q.routing.routing_type == RoutingType::Skills);
        let needs = &r.requirements;
        if skills_based {
            let _ = write!(s, ", needs {}", self.skills_words(needs));
        }
        let total = r.ranked.len();
        let _ = write!(s, "): {total} eligible");
        match r.excluded.as_slice() {
            [] => {}
            [x] => {
                let _ = write!(s, " (agent {} left out: it let this item go)", x.0);
            }
            many => {
                let list: Vec<String> = many.iter().map(|a| a.0.to_string()).collect();
                let _ = write!(
                    s,
                    " (agents {} left out: each refused this item, which is tried once per agent)",
                    list.join(", ")
                );
            }
        }
        let listed = &r.ranked[..total.min(LISTED_CANDIDATES)];
        for (i, c) in listed.iter().enumerate() {
            s.push_str(if i == 0 { " — " } else { "; " });
            s.push_str(&self.candidate_words(now, model, r.pool, c));
            if let Some(gone) = self.unaware_words(c.agent, queue) {
                s.push_str(&gone);
            }
            if skills_based && !needs.is_empty() {
                let _ = write!(s, ", has {}", self.skill_match_words(c.agent, needs));
            }
        }
        if total > listed.len() {
            let _ = write!(s, "; and {} more", total - listed.len());
        }
        match r.ranked.first() {
            _ if model == RoutingModel::External => {
                let _ = write!(
                    s,
                    "; chose agent {}: the external routing policy's choice",
                    chosen.0
                );
            }
            Some(c) if c.agent == chosen => {
                let _ = write!(
                    s,
                    "; chose agent {}: {}",
                    chosen.0,
                    reason_words(
                        &self.scenario.simulation.clock(),
                        now,
                        model,
                        r.rule,
                        c,
                        r.ranked.get(1)
                    )
                );
            }
            // A record not led by the chosen agent would be a router bug;
            // say so rather than explain a choice that was not made.
            _ => {
                let _ = write!(
                    s,
                    "; chose agent {} (not the first of the recorded candidates)",
                    chosen.0
                );
            }
        }
        s
    }

    /// "French ≥ 5, Premium ≥ 8 (additional)", or "no skill".
    fn skills_words(&self, needs: &[SkillRequirement]) -> String {
        if needs.is_empty() {
            return "no skill".into();
        }
        let words: Vec<String> = needs
            .iter()
            .map(|r| {
                let name = &self.scenario.skills[r.skill.index()].name;
                let extra = if r.additional { " (additional)" } else { "" };
                format!("{name} ≥ {}{extra}", r.level)
            })
            .collect();
        words.join(", ")
    }

    /// The agent's level of each skill the item needs: why it matches.
    fn skill_match_words(&self, agent: AgentId, needs: &[SkillRequirement]) -> String {
        let group = self
            .agents
            .get(agent.index())
            .map(|a| &self.scenario.agents[a.group]);
        let words: Vec<String> = needs
            .iter()
            .map(|r| {
                let name = &self.scenario.skills[r.skill.index()].name;
                match group.and_then(|g| g.skill_level(r.skill)) {
                    Some(l) => format!("{name} {l}"),
                    None => format!("no {name}"),
                }
            })
            .collect();
        words.join(", ")
    }

    /// A candidate that left the channel at this very instant, which the
    /// router has not heard of yet (the same-instant rule): a push to it
    /// will be refused when it arrives.
    fn unaware_words(&self, agent: AgentId, queue: QueueId) -> Option<String> {
        let a = self.ledger.get(agent)?;
        let channel = self.scenario.queues.get(queue.index())?.channel;
        match a.status() {
            None => Some(" (logged out at this instant; the router hears of it next, so a push now is refused)".into()),
            Some(st) if !self.scenario.statuses[st.index()].has_channel(channel) => Some(format!(
                " (moved to {} at this instant; the router hears of it next, so a push now is refused)",
                self.status_words(st).0
            )),
            Some(_) => None,
        }
    }

    fn candidate_words(
        &self,
        now: SimTime,
        model: RoutingModel,
        pool: CapacityPool,
        c: &RankedAgent,
    ) -> String {
        let mut s = self.agent_name(c.agent);
        let _ = match model {
            RoutingModel::MostAvailable | RoutingModel::External => {
                write!(s, " free {} of {}", units(c.free()), units(c.capacity))
            }
            RoutingModel::LeastActive => {
                write!(s, " load {} of {}", units(c.load), units(c.capacity))
            }
        };
        if pool == CapacityPool::Interruptible {
            s.push_str(" interruptible");
        }
        let _ = write!(s, ", {} active, ", c.open_items);
        if c.pushed_since_login {
            let _ = write!(s, "last push {} ago", span(now - c.since));
        } else {
            let since = self.scenario.simulation.clock().label_ms(c.since);
            let _ = write!(s, "not pushed since login at {since}");
        }
        s
    }
}

/// The machine-readable form of what [`Narrator::candidate_words`] says.
fn candidate_facts(pool: CapacityPool, c: &RankedAgent) -> CandidateFacts {
    CandidateFacts {
        agent: c.agent.0,
        pool,
        capacity: c.capacity.as_f64(),
        load: c.load.as_f64(),
        free: c.free().as_f64(),
        active: c.open_items,
        pushed_since_login: c.pushed_since_login,
        since: c.since.as_secs_f64(),
    }
}

/// Whether a decision's record is consistent with the router's choice of
/// `chosen`: candidates strictly in `model`'s order (by the figures they
/// were recorded with), none of them the excluded agent, and the chosen
/// agent first (an external policy may choose any of them).
fn consistent(model: RoutingModel, chosen: AgentId, r: &DecisionRecord) -> bool {
    let tie = |c: &RankedAgent| (c.pushed_since_login, c.since, c.agent);
    let ordered = r.ranked.windows(2).all(|w| match model {
        RoutingModel::LeastActive => (w[0].load, tie(&w[0])) < (w[1].load, tie(&w[1])),
        RoutingModel::MostAvailable | RoutingModel::External => {
            (std::cmp::Reverse(w[0].free()), tie(&w[0]))
                < (std::cmp::Reverse(w[1].free()), tie(&w[1]))
        }
    });
    let excluded_out = r
        .excluded
        .iter()
        .all(|x| r.ranked.iter().all(|c| c.agent != *x));
    let chosen_ok = match model {
        RoutingModel::External => r.ranked.iter().any(|c| c.agent == chosen),
        _ => r.ranked.first().is_some_and(|c| c.agent == chosen),
    };
    ordered && excluded_out && chosen_ok
}

/// Any status change lifts the agent's decline exclusions except the one a
/// decline or push timeout itself causes (omni-reference §5.3).
fn clears_exclusions(reason: StatusChangeReason) -> bool {
    !matches!(
        reason,
        StatusChangeReason::OmniDeclineWork | StatusChangeReason::OmniPushTimeout
    )
}

/// The rule that put `chosen` ahead of the runner-up, as the router
/// recorded it, with the figures that show it.
fn reason_words(
    clock: &DayClock,
    now: SimTime,
    model: RoutingModel,
    rule: DecisionRule,
    chosen: &RankedAgent,
    runner_up: Option<&RankedAgent>,
) -> String {
    let (a, b) = match (rule, runner_up) {
        (DecisionRule::OnlyEligible, _) | (_, None) => return "the only eligible agent".into(),
        (_, Some(b)) => (chosen, b),
    };
    let tie = match rule {
        DecisionRule::MostFreeCapacity => {
            return format!(
                "most free capacity ({} vs {})",
                units(a.free()),
                units(b.free())
            );
        }
        DecisionRule::LeastLoad => {
            return format!("least active (load {} vs {})", units(a.load), units(b.load));
        }
        DecisionRule::ExternalPolicy => return "the external routing policy's choice".into(),
        _ if model == RoutingModel::LeastActive => format!("load {}", units(a.load)),
        _ => format!("free capacity {}", units(a.free())),
    };
    format!(
        "tie on {tie} with agent {} broken by: {}",
        b.agent.0,
        tie_words(clock, now, rule, a, b)
    )
}

/// Why `a` comes before `b` in the tie-break (omni-reference §6.5), by the
/// recorded rule; instants in the day's clock time.
fn tie_words(
    clock: &DayClock,
    now: SimTime,
    rule: DecisionRule,
    a: &RankedAgent,
    b: &RankedAgent,
) -> String {
    match rule {
        DecisionRule::NeverPushedSinceLogin => "never pushed since login".into(),
        DecisionRule::LoggedInFirst => format!(
            "neither pushed since login; logged in first ({} vs {})",
            clock.label_ms(a.since),
            clock.label_ms(b.since)
        ),
        DecisionRule::LongestSinceLastPush => {
            let (x, y) = (span(now - a.since), span(now - b.since));
            if x == y {
                format!(
                    "longest since last push ({} vs {})",
                    clock.label_ms(a.since),
                    clock.label_ms(b.since)
                )
            } else {
                format!("longest since last push ({x} vs {y})")
            }
        }
        _ => "lowest agent number".into(),
    }
}

impl EventSink for Narrator {
    fn on_event(&mut self, event: &SimEvent) {
        if let Some(line) = self.narrate(event) {
            self.lines.push(line);
        }
    }
}

#[cfg(test)]
mod ledger_tests;
#[cfg(test)]
mod story_tests;
#[cfg(test)]
mod tests;
