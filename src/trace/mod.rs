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

mod decision;
mod handling;
mod presence;
mod push;
mod queueing;
mod release;
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
    /// for events told as part of another. Each kind of event has its own
    /// function, in the module of its family.
    fn follow(&mut self, event: &SimEvent, show: bool) -> Option<(Tone, String)> {
        type Follow = fn(&mut Narrator, &SimEvent, bool) -> Option<(Tone, String)>;
        let follow: Follow = match &event.kind {
            EventKind::WorkArrived { .. } => Narrator::work_arrived,
            EventKind::WorkTransferredIn { .. } => Narrator::work_transferred_in,
            EventKind::SkillsDropped { .. } => Narrator::skills_dropped,
            EventKind::WorkRequeued { .. } => Narrator::work_requeued,
            EventKind::WorkAbandoned { .. } => Narrator::work_abandoned,
            EventKind::WorkEndedNoAgent { .. } => Narrator::work_ended_no_agent,
            EventKind::RoutingDecision { .. } => Narrator::routing_decision,
            EventKind::WorkAssigned { .. } => Narrator::work_assigned,
            EventKind::WorkAccepted { .. } => Narrator::work_accepted,
            EventKind::WorkDeclined { .. } => Narrator::work_declined,
            EventKind::WorkClosed { .. } => Narrator::work_closed,
            EventKind::WorkTransferred { .. } => Narrator::work_transferred,
            EventKind::WorkUnavailable { .. } => Narrator::work_unavailable,
            EventKind::WorkCanceled { .. } => Narrator::work_canceled,
            EventKind::WorkPaused { .. } => Narrator::work_paused,
            EventKind::WorkResumeWaiting { .. } => Narrator::work_resume_waiting,
            EventKind::WorkInterrupted { .. } => Narrator::work_interrupted,
            EventKind::WorkFlagUpdated { .. } => Narrator::work_flag_updated,
            EventKind::WorkloadChanged { .. } => Narrator::workload_changed,
            EventKind::StatusChanged { .. } => Narrator::status_changed,
            EventKind::LoginSuccess { .. } => Narrator::login_success,
            EventKind::AgentAbsent { .. } => Narrator::agent_absent,
            EventKind::Logout { .. } => Narrator::logout,
        };
        follow(self, event, show)
    }

    /// An AgentWork stopped being active: returns the capacity pool it
    /// held room in and what was known of the work.
    fn release_work(
        &mut self,
        work: AgentWorkId,
        queue: QueueId,
        agent: AgentId,
    ) -> (CapacityPool, Option<WorkInfo>) {
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
        (pool, info)
    }

    /// "holds X of Y": what `agent` holds in `pool` now, against its
    /// capacity there.
    fn holds(&self, agent: AgentId, pool: CapacityPool) -> String {
        let (a, p) = (&self.agents[agent.index()], pool.index());
        format!("holds {} of {}", units(a.load[p]), units(a.capacity[p]))
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
}

/// Any status change lifts the agent's decline exclusions except the one a
/// decline or push timeout itself causes (omni-reference §5.3).
fn clears_exclusions(reason: StatusChangeReason) -> bool {
    !matches!(
        reason,
        StatusChangeReason::OmniDeclineWork | StatusChangeReason::OmniPushTimeout
    )
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
