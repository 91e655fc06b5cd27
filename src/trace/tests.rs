//! Wording of every kind of line, from hand-built events (their routing
//! decisions recorded by the routing code the router uses, on an index the
//! lesson keeps); and, on real runs, every decision's record against the
//! router's choice.

use super::*;
use crate::engine::{run_replication, RunOptions};
use crate::omni::{StatusId, WorkItemId};
use crate::time::SimDuration;

const LESSON: &str = r#"
[simulation]
name = "lesson"
duration = "1h"
seed = 1

[[channels]]
name = "chat"

[[statuses]]
name = "Available"
channels = ["chat"]

[[statuses]]
name = "Break"

[[presence_configs]]
name = "Tier 1 config"
capacity = 3
allow_decline = true
decline_reasons = ["Busy", "Wrong skill"]
status_on_push_timeout = "Break"

[[presence_configs]]
name = "Tier 2 config"
capacity = 2

[[queues]]
name = "Chat"
channel = "chat"
routing_model = "most_available"
push_timeout = "30s"
capacity_weight = 1

[[queues]]
name = "Cases"
channel = "chat"
routing_model = "least_active"
capacity_weight = 1

[[arrivals]]
queue = "Chat"
rate_per_hour = 10
handle_time = "5m"

[[agents]]
group = "Tier 1"
count = 2
presence_config = "Tier 1 config"
status = "Available"

[[agents]]
group = "Tier 2"
count = 5
presence_config = "Tier 2 config"
status = "Available"
"#;

const AVAILABLE: StatusId = StatusId(0);
const BREAK: StatusId = StatusId(1);
const CHAT: QueueId = QueueId(0);
const CASES: QueueId = QueueId(1);

fn a(n: u32) -> AgentId {
    AgentId(n)
}

fn item(n: u64) -> WorkItemId {
    WorkItemId(n)
}

fn at(secs: f64) -> SimTime {
    SimTime::ZERO + SimDuration::from_secs_f64(secs)
}

/// Feeds events to a narrator of the lesson scenario and keeps their text.
///
/// Routing decisions carry the record the router would make: the lesson
/// keeps the router's agent index as the router does (logins, pushes,
/// releases, exclusions) and records each decision with the same routing
/// functions.
struct Lesson {
    narrator: Narrator,
    scenario: Arc<Scenario>,
    backlog: crate::routing::Backlog,
    index: crate::routing::AgentIndex,
    /// Each requeued item's excluded agent.
    excluded: std::collections::HashMap<u64, Option<AgentId>>,
}

impl Lesson {
    fn new() -> Lesson {
        let scenario = Arc::new(Scenario::from_toml_str(LESSON, "lesson.toml").unwrap());
        let backlog = crate::routing::Backlog::for_scenario(&scenario);
        let units: Vec<CapacityUnits> = scenario
            .agent_capacities()
            .iter()
            .map(|c| CapacityUnits::whole(*c))
            .collect();
        let index =
            crate::routing::AgentIndex::new(&units, backlog.classes(), scenario.channels.len());
        Lesson {
            narrator: Narrator::new(scenario.clone()),
            scenario,
            backlog,
            index,
            excluded: Default::default(),
        }
    }

    /// The record of a decision for item `n` of `queue`, as the router
    /// makes it just before the push.
    fn record(&self, n: u64, queue: QueueId) -> crate::events::DecisionRecord {
        let q = &self.scenario.queues[queue.index()];
        let (model, pool) = (q.routing.model, q.routing.pool);
        let classes = self.backlog.eligible_classes(queue, &[]);
        let excluded = self
            .excluded
            .get(&n)
            .copied()
            .flatten()
            .map_or(crate::routing::Exclusion::Nobody, |a| {
                crate::routing::Exclusion::LastDecliner(a)
            });
        let ranked = self
            .index
            .ranked(q.channel, &classes, model, q.routing.cost, pool, &excluded);
        crate::events::DecisionRecord {
            pool,
            rule: match ranked.first() {
                Some(f) => crate::routing::decision_rule(model, pool, f, ranked.get(1).copied()),
                None => DecisionRule::OnlyEligible,
            },
            ranked: ranked
                .iter()
                .map(|a| crate::routing::ranked_agent(a, pool))
                .collect(),
            requirements: Vec::new(),
            excluded: excluded.agents().to_vec(),
        }
    }

    fn feed(&mut self, secs: f64, kind: EventKind) -> Option<String> {
        let event = SimEvent {
            time: at(secs),
            kind,
        };
        self.narrator.narrate(&event).map(|l| l.text)
    }

    fn line(&mut self, secs: f64, kind: EventKind) -> String {
        self.feed(secs, kind).expect("a line")
    }

    fn login(&mut self, secs: f64, agent: u32) -> String {
        let chat = self.scenario.queues[CHAT.index()].channel;
        self.index
            .set_presence(a(agent), vec![chat], Some(at(secs)));
        let text = self.line(
            secs,
            EventKind::LoginSuccess {
                agent: a(agent),
                status: AVAILABLE,
            },
        );
        let folded = self.feed(
            secs,
            EventKind::StatusChanged {
                agent: a(agent),
                status: AVAILABLE,
                online: true,
                reason: StatusChangeReason::OmniLoginStatusChange,
            },
        );
        assert_eq!(
            folded, None,
            "the login's status change is told by the login"
        );
        text
    }

    fn arrive(&mut self, secs: f64, n: u64, queue: QueueId) -> String {
        self.line(
            secs,
            EventKind::WorkArrived {
                item: item(n),
                queue,
                patience: Some(SimDuration::from_secs(134)),
                priority: 1,
                secondary_priority: None,
                skills: vec![],
                retrial: None,
            },
        )
    }

    fn route(&mut self, secs: f64, n: u64, queue: QueueId, agent: u32) -> String {
        let model = if queue == CHAT {
            RoutingModel::MostAvailable
        } else {
            RoutingModel::LeastActive
        };
        let record = Some(Box::new(self.record(n, queue)));
        let cost = CapacityUnits::whole(1);
        self.index
            .reserve(a(agent), cost, CapacityPool::Primary, at(secs));
        self.line(
            secs,
            EventKind::RoutingDecision {
                item: item(n),
                queue,
                agent: a(agent),
                model,
                record,
            },
        )
    }

    /// The push the agent reports, with its workload change.
    fn push(&mut self, secs: f64, n: u64, queue: QueueId, agent: u32, work: u64) -> String {
        let load = self.narrator.agents[agent as usize].load[0];
        let text = self.line(
            secs,
            EventKind::WorkAssigned {
                work: AgentWorkId(work),
                item: item(n),
                queue,
                agent: a(agent),
                cost: CapacityUnits::whole(1),
                pool: CapacityPool::Primary,
                requested_at: at(0.0),
                handle_time: SimDuration::from_secs(300),
            },
        );
        self.workload(secs, agent, load, load + CapacityUnits::whole(1));
        text
    }

    fn workload(&mut self, secs: f64, agent: u32, from: CapacityUnits, to: CapacityUnits) {
        let cap = self.narrator.agents[agent as usize].capacity;
        let none = self.feed(
            secs,
            EventKind::WorkloadChanged {
                agent: a(agent),
                configured_capacity: cap[0],
                previous_workload: from,
                new_workload: to,
                configured_interruptible_capacity: cap[1],
                previous_interruptible_workload: CapacityUnits::ZERO,
                new_interruptible_workload: CapacityUnits::ZERO,
            },
        );
        assert_eq!(none, None, "workload changes are told in the work lines");
    }

    fn decline(&mut self, secs: f64, n: u64, agent: u32, work: u64, timeout: bool) -> String {
        self.index
            .release(a(agent), CapacityUnits::whole(1), CapacityPool::Primary);
        let text = self.line(
            secs,
            EventKind::WorkDeclined {
                work: AgentWorkId(work),
                item: item(n),
                queue: CHAT,
                agent: a(agent),
                reason: (!timeout).then(|| "Busy".to_string()),
                on_push_timeout: timeout,
            },
        );
        let load = self.narrator.agents[agent as usize].load[0];
        self.workload(secs, agent, load, load - CapacityUnits::whole(1));
        text
    }

    fn requeue(&mut self, secs: f64, n: u64, excluded: Option<u32>) -> String {
        self.excluded.insert(n, excluded.map(a));
        self.line(
            secs,
            EventKind::WorkRequeued {
                item: item(n),
                queue: CHAT,
                excluded_agent: excluded.map(a),
                skills_reset: false,
            },
        )
    }

    /// Agents 0 and 1 (Tier 1, capacity 3) and 2 (Tier 2, capacity 2)
    /// logged in at 0 s.
    fn three_online() -> Lesson {
        let mut l = Lesson::new();
        for n in 0..3 {
            l.login(0.0, n);
        }
        l
    }
}

/// An item id as lines print it.
fn i(n: u64) -> String {
    item(n).to_string()
}

#[test]
fn arrival_names_queue_and_patience() {
    let mut l = Lesson::new();
    assert_eq!(
        l.arrive(723.412, 17, CHAT),
        format!("item {} arrived in queue \"Chat\" (patience 2m 14s)", i(17))
    );
    let no_patience = l.line(
        724.0,
        EventKind::WorkArrived {
            item: item(18),
            queue: CASES,
            patience: None,
            priority: 1,
            secondary_priority: None,
            skills: vec![],
            retrial: None,
        },
    );
    assert_eq!(
        no_patience,
        format!("item {} arrived in queue \"Cases\"", i(18))
    );
}

#[test]
fn login_and_logout_name_group_status_and_channels() {
    let mut l = Lesson::new();
    assert_eq!(
        l.login(0.0, 3),
        "agent 3 (Tier 2) logged in as Available: receives chat"
    );
    assert_eq!(
        l.line(60.0, EventKind::Logout { agent: a(3) }),
        "agent 3 (Tier 2) logged out"
    );
}

#[test]
fn routing_lists_candidates_and_names_the_most_free_capacity() {
    let mut l = Lesson::three_online();
    l.arrive(10.0, 1, CHAT);
    assert_eq!(
        l.route(10.0, 1, CHAT, 0),
        format!(
            "routing item {} (Chat, most_available, cost 1): 3 eligible — \
             agent 0 (Tier 1) free 3 of 3, 0 active, not pushed since login at 00:00:00.000; \
             agent 1 (Tier 1) free 3 of 3, 0 active, not pushed since login at 00:00:00.000; \
             agent 2 (Tier 2) free 2 of 2, 0 active, not pushed since login at 00:00:00.000; \
             chose agent 0: tie on free capacity 3 with agent 1 broken by: lowest agent number",
            i(1)
        )
    );
    // Agent 0 now holds one: agent 1 has the most free capacity.
    l.arrive(11.0, 2, CHAT);
    let text = l.route(11.0, 2, CHAT, 1);
    assert!(
        text.contains("agent 0 (Tier 1) free 2 of 3, 1 active, last push 1 s ago"),
        "{text}"
    );
    assert!(
        text.ends_with("; chose agent 1: most free capacity (3 vs 2)"),
        "{text}"
    );
    assert_eq!(l.narrator.check().agreed, 2);
}

#[test]
fn tie_broken_by_never_pushed_since_coming_online() {
    let mut l = Lesson::three_online();
    l.arrive(10.0, 1, CHAT);
    l.route(10.0, 1, CHAT, 0);
    l.push(10.0, 1, CHAT, 0, 1);
    l.decline(15.0, 1, 0, 1, false);
    l.requeue(15.0, 1, Some(0));
    // Item 1 may not go back to agent 0.
    let text = l.route(15.0, 1, CHAT, 1);
    assert!(
        text.starts_with(&format!(
            "re-routing item {} (Chat, most_available, cost 1, 2nd push): 2 eligible \
             (agent 0 left out: it let this item go) — agent 1 (Tier 1) free 3 of 3",
            i(1)
        )),
        "{text}"
    );
    assert!(
        text.ends_with("; chose agent 1: most free capacity (3 vs 2)"),
        "{text}"
    );
    l.arrive(20.0, 2, CHAT);
    l.route(20.0, 2, CHAT, 0);
    // All three have 2 free; agent 2 was never pushed, agent 1 has the
    // older push of the other two.
    l.arrive(21.0, 3, CHAT);
    let text = l.route(21.0, 3, CHAT, 2);
    assert!(
        text.ends_with(
            "; chose agent 2: tie on free capacity 2 with agent 1 broken by: never pushed since \
             login"
        ),
        "{text}"
    );
}

#[test]
fn tie_broken_by_longest_since_last_push() {
    let mut l = Lesson::new();
    l.login(0.0, 0);
    l.login(0.0, 1);
    l.arrive(10.0, 1, CHAT);
    l.route(10.0, 1, CHAT, 0);
    l.arrive(20.0, 2, CHAT);
    l.route(20.0, 2, CHAT, 1);
    l.arrive(61.0, 3, CHAT);
    let text = l.route(61.0, 3, CHAT, 0);
    assert!(
        text.ends_with(
            "; chose agent 0: tie on free capacity 2 with agent 1 broken by: longest since last \
             push (51 s vs 41 s)"
        ),
        "{text}"
    );
}

#[test]
fn tie_broken_by_coming_online_first() {
    let mut l = Lesson::new();
    l.login(0.0, 1);
    l.login(5.0, 0);
    l.arrive(10.0, 1, CHAT);
    let text = l.route(10.0, 1, CHAT, 1);
    assert!(
        text.ends_with(
            "; chose agent 1: tie on free capacity 3 with agent 0 broken by: neither pushed since \
             login; logged in first (00:00:00.000 vs 00:00:05.000)"
        ),
        "{text}"
    );
}

#[test]
fn least_active_names_the_smaller_load() {
    let mut l = Lesson::new();
    l.login(0.0, 0);
    l.login(0.0, 3);
    l.arrive(10.0, 1, CASES);
    l.route(10.0, 1, CASES, 0);
    l.arrive(11.0, 2, CASES);
    let text = l.route(11.0, 2, CASES, 3);
    assert_eq!(
        text,
        format!(
            "routing item {} (Cases, least_active, cost 1): 2 eligible — \
             agent 3 (Tier 2) load 0 of 2, 0 active, not pushed since login at 00:00:00.000; \
             agent 0 (Tier 1) load 1 of 3, 1 active, last push 1 s ago; \
             chose agent 3: least active (load 0 vs 1)",
            i(2)
        )
    );
}

#[test]
fn long_candidate_lists_are_capped() {
    let mut l = Lesson::new();
    for n in 0..7 {
        l.login(0.0, n);
    }
    l.arrive(10.0, 1, CASES);
    let text = l.route(10.0, 1, CASES, 0);
    assert!(
        text.contains("7 eligible — agent 0 (Tier 1) load 0 of 3"),
        "{text}"
    );
    assert_eq!(
        text.matches("; agent ").count(),
        LISTED_CANDIDATES - 1,
        "{text}"
    );
    assert!(text.contains("; and 2 more; chose agent 0"), "{text}");
    for (n, agent) in (2..8).zip(1..7) {
        l.arrive(11.0 + n as f64, n, CASES);
        l.route(11.0 + n as f64, n, CASES, agent);
    }
    // Everyone holds one: the oldest push wins.
    l.arrive(20.0, 8, CASES);
    let text = l.route(20.0, 8, CASES, 0);
    assert!(
        text.ends_with(
            "; chose agent 0: tie on load 1 with agent 1 broken by: longest since last push \
             (10 s vs 7 s)"
        ),
        "{text}"
    );
    let check = l.narrator.check();
    assert_eq!(check.agreed, check.decisions);
}

#[test]
fn push_accept_and_close_tell_timeout_delays_and_handle_time() {
    let mut l = Lesson::three_online();
    l.arrive(0.0, 1, CHAT);
    l.route(0.0, 1, CHAT, 0);
    assert_eq!(
        l.push(0.0, 1, CHAT, 0, 42),
        format!(
            "pushed item {} to agent 0 (Tier 1) as AgentWork 0Bz000000000042; push timeout 30 s; \
             agent 0 now holds 1 of 3",
            i(1)
        )
    );
    let accepted = l.line(
        4.2,
        EventKind::WorkAccepted {
            work: AgentWorkId(42),
            item: item(1),
            queue: CHAT,
            agent: a(0),
            requested_at: at(0.0),
            handle_time: SimDuration::from_secs(300),
            wrap_up: None,
            transfer: None,
        },
    );
    assert_eq!(
        accepted,
        format!(
            "agent 0 accepted item {} after 4.2 s (AgentWork 0Bz000000000042); answered 4.2 s \
             after the request; handle time 5m 0s",
            i(1)
        )
    );
    let closed = l.line(
        304.2,
        EventKind::WorkClosed {
            work: AgentWorkId(42),
            item: item(1),
            queue: CHAT,
            agent: a(0),
            accepted_at: at(4.2),
            record: None,
        },
    );
    assert_eq!(
        closed,
        format!(
            "agent 0 closed item {} (AgentWork 0Bz000000000042) after 5m 0s of handling; holds \
             0 of 3",
            i(1)
        )
    );
}

#[test]
fn decline_gives_reason_and_exclusion_and_requeue_keeps_the_place() {
    let mut l = Lesson::three_online();
    l.arrive(0.0, 1, CHAT);
    l.route(0.0, 1, CHAT, 0);
    l.push(0.0, 1, CHAT, 0, 1);
    assert_eq!(
        l.decline(8.0, 1, 0, 1, false),
        format!(
            "agent 0 declined item {} (AgentWork 0Bz000000000001), reason \"Busy\"; agent 0 is \
             excluded from this item until it changes status",
            i(1)
        )
    );
    assert_eq!(
        l.requeue(8.0, 1, Some(0)),
        format!(
            "item {} back in queue \"Chat\", keeping its place (requested at 00:00:00.000, 8 s \
             ago); it will go to anyone but agent 0",
            i(1)
        )
    );
    // Any status change of agent 0 lifts the exclusion.
    let text = l.line(
        9.0,
        EventKind::StatusChanged {
            agent: a(0),
            status: BREAK,
            online: false,
            reason: StatusChangeReason::OmniToolkitStatusChange,
        },
    );
    assert_eq!(
        text,
        format!(
            "agent 0 → Break (OmniToolkitStatusChange): busy, no work is pushed to it; the \
             status change lifts its exclusion from item {}",
            i(1)
        )
    );
}

/// The whole push-timeout story. After the timeout the router has handled
/// agent 0's release but not yet its move to Break, so it pushes a waiting
/// item to agent 0, which refuses it; the narrator must see it the same way.
#[test]
fn push_timeout_status_change_refusal_and_reroute() {
    let mut l = Lesson::new();
    l.login(0.0, 0);
    for n in 1..=3 {
        l.arrive(n as f64 - 1.0, n, CHAT);
        l.route(n as f64 - 1.0, n, CHAT, 0);
        l.push(n as f64 - 1.0, n, CHAT, 0, n);
    }
    // Agent 0 is full: item 4 waits.
    l.arrive(4.0, 4, CHAT);
    assert_eq!(
        l.decline(30.0, 1, 0, 1, true),
        format!(
            "no answer within 30 s: push of item {} to agent 0 timed out (AgentWork \
             0Bz000000000001 → DeclinedOnPushTimeout); agent 0 is excluded from this item until \
             it changes status",
            i(1)
        )
    );
    let status = SimEvent {
        time: at(30.0),
        kind: EventKind::StatusChanged {
            agent: a(0),
            status: BREAK,
            online: false,
            reason: StatusChangeReason::OmniPushTimeout,
        },
    };
    let line = l.narrator.narrate(&status).unwrap();
    assert_eq!(
        line.text,
        "agent 0 → Break (OmniPushTimeout): busy, no work is pushed to it"
    );
    assert_eq!(
        line.subject.item,
        Some(item(1)),
        "the status change belongs to the timed-out item's story"
    );
    l.requeue(30.0, 1, Some(0));
    let text = l.route(30.0, 4, CHAT, 0);
    assert!(
        text.ends_with("; chose agent 0: the only eligible agent"),
        "{text}"
    );
    // A refused push is not a decline (omni-reference §5.3): the item
    // keeps the exclusion it had (none) and the agent its tie-break.
    assert_eq!(
        l.requeue(30.0, 4, None),
        format!(
            "agent 0 could not take item {} when the push reached it: it had moved to Break at \
             that instant, which does not receive chat; back in queue \"Chat\", keeping its \
             place; not a decline: agent 0 keeps its place in the tie-break and is not excluded \
             from the item",
            i(4)
        )
    );
    // Agent 1 logs in: the oldest waiting item goes to it first.
    l.login(31.0, 1);
    let text = l.route(31.0, 1, CHAT, 1);
    assert!(
        text.starts_with(&format!(
            "re-routing item {} (Chat, most_available, cost 1, 2nd push): 1 eligible (agent 0 \
             left out: it let this item go) — agent 1 (Tier 1) free 3 of 3",
            i(1)
        )),
        "{text}"
    );
    assert!(
        text.ends_with("; chose agent 1: the only eligible agent"),
        "{text}"
    );
    let check = l.narrator.check();
    assert_eq!(check.agreed, check.decisions, "{check:?}");
}

#[test]
fn abandonment_while_waiting_and_while_pushed() {
    let mut l = Lesson::new();
    l.arrive(0.0, 1, CHAT);
    assert_eq!(
        l.line(
            134.0,
            EventKind::WorkAbandoned {
                item: item(1),
                queue: CHAT,
                requested_at: at(0.0),
                record: None,
            }
        ),
        format!(
            "item {} abandoned queue \"Chat\" after 2m 14s: patience ran out",
            i(1)
        )
    );
    l.login(200.0, 0);
    l.arrive(200.0, 2, CHAT);
    l.route(200.0, 2, CHAT, 0);
    l.push(200.0, 2, CHAT, 0, 7);
    assert_eq!(
        l.line(
            210.0,
            EventKind::WorkCanceled {
                work: AgentWorkId(7),
                item: item(2),
                queue: CHAT,
                agent: a(0),
            }
        ),
        format!(
            "the customer of item {} left while it was pushed to agent 0: AgentWork \
             0Bz000000000007 → Canceled",
            i(2)
        )
    );
    l.workload(210.0, 0, CapacityUnits::whole(1), CapacityUnits::ZERO);
    assert_eq!(
        l.line(
            210.0,
            EventKind::WorkAbandoned {
                item: item(2),
                queue: CHAT,
                requested_at: at(200.0),
                record: None,
            }
        ),
        format!(
            "item {} abandoned queue \"Chat\" after 10 s: patience ran out while it was pushed \
             to agent 0",
            i(2)
        )
    );
}

#[test]
fn logout_before_answering_makes_the_work_unavailable() {
    let mut l = Lesson::three_online();
    l.arrive(0.0, 1, CHAT);
    l.route(0.0, 1, CHAT, 0);
    l.push(0.0, 1, CHAT, 0, 3);
    assert_eq!(
        l.line(
            5.0,
            EventKind::WorkUnavailable {
                work: AgentWorkId(3),
                item: item(1),
                queue: CHAT,
                agent: a(0),
            }
        ),
        format!(
            "agent 0 logs out before answering: AgentWork 0Bz000000000003 for item {} → \
             Unavailable",
            i(1)
        )
    );
    l.workload(5.0, 0, CapacityUnits::whole(1), CapacityUnits::ZERO);
    l.line(5.0, EventKind::Logout { agent: a(0) });
    assert_eq!(
        l.requeue(5.0, 1, None),
        format!(
            "item {} back in queue \"Chat\" after agent 0 logged out, keeping its place \
             (requested at 00:00:00.000, 5 s ago); every agent is eligible again",
            i(1)
        )
    );
}

#[test]
fn flags_raised_and_lowered() {
    let mut l = Lesson::three_online();
    l.arrive(0.0, 1, CHAT);
    l.route(0.0, 1, CHAT, 0);
    l.push(0.0, 1, CHAT, 0, 9);
    assert_eq!(
        l.line(
            60.0,
            EventKind::WorkFlagUpdated {
                work: AgentWorkId(9),
                agent: a(0),
                is_flagged: true,
                message: Some("needs a supervisor".into()),
            }
        ),
        format!(
            "agent 0 raised a flag on item {} (AgentWork 0Bz000000000009): \"needs a supervisor\"",
            i(1)
        )
    );
    assert_eq!(
        l.line(
            90.0,
            EventKind::WorkFlagUpdated {
                work: AgentWorkId(9),
                agent: a(0),
                is_flagged: false,
                message: None,
            }
        ),
        format!(
            "agent 0 lowered the flag on item {} (AgentWork 0Bz000000000009)",
            i(1)
        )
    );
}

#[test]
fn filters_keep_an_items_story_and_time_windows() {
    let scenario = Arc::new(Scenario::from_toml_str(LESSON, "lesson.toml").unwrap());
    let filter = TraceFilter {
        item: Some(item(1)),
        from: Some(at(1.0)),
        ..TraceFilter::default()
    };
    let mut n = Narrator::new(scenario).with_filter(filter);
    let events = [
        (
            0.0,
            EventKind::LoginSuccess {
                agent: a(0),
                status: AVAILABLE,
            },
        ),
        (
            0.5,
            EventKind::WorkArrived {
                item: item(1),
                queue: CHAT,
                patience: None,
                priority: 1,
                secondary_priority: None,
                skills: vec![],
                retrial: None,
            },
        ),
        (
            2.0,
            EventKind::WorkArrived {
                item: item(2),
                queue: CHAT,
                patience: None,
                priority: 1,
                secondary_priority: None,
                skills: vec![],
                retrial: None,
            },
        ),
        (
            2.0,
            EventKind::RoutingDecision {
                item: item(1),
                queue: CHAT,
                agent: a(0),
                model: RoutingModel::MostAvailable,
                record: None,
            },
        ),
    ];
    for (t, kind) in events {
        n.on_event(&SimEvent { time: at(t), kind });
    }
    let lines = n.take_lines();
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert_eq!(lines[0].tone, Tone::Routing);
    assert_eq!(lines[0].subject.item, Some(item(1)));
}

/// Fixed delays everywhere (answers, push timeout, return from the busy
/// status, handle time, shifts) put many agent and router steps at the
/// same instant, where the router's view lags the agents' events most:
/// declines and timeouts followed by pushes to agents already on their way
/// to a busy status, refusals, logouts with pushed work, percentage costs.
const SAME_INSTANT: &str = r#"
[simulation]
name = "same_instant"
duration = "3h"
warmup = "0s"
seed = 11

[[channels]]
name = "chat"

[[channels]]
name = "case"

[[statuses]]
name = "Available"
channels = ["chat", "case"]

[[statuses]]
name = "Chat_Only"
channels = ["chat"]

[[statuses]]
name = "Declined_Busy"

[[presence_configs]]
name = "Answering"
capacity = 3
allow_decline = true
status_on_decline = "Declined_Busy"
status_on_push_timeout = "Declined_Busy"

[[presence_configs]]
name = "Auto"
capacity = 2
auto_accept = true

[[queues]]
name = "Chat"
channel = "chat"
routing_model = "most_available"
priority = 1
push_timeout = "20s"
capacity_weight = 1

[[queues]]
name = "Cases"
channel = "case"
routing_model = "least_active"
priority = 2
capacity_percentage = 50

[[arrivals]]
queue = "Chat"
rate_per_hour = 150
handle_time = "3m"
patience = { dist = "exponential", mean = "1m" }

[[arrivals]]
queue = "Cases"
rate_per_hour = 40
handle_time = "10m"
patience = "4m"

[[agents]]
group = "Early"
count = 4
presence_config = "Answering"
status = "Available"
response_time = "2s"
accept_probability = 0.6
no_answer_probability = 0.2
return_to_status_after = "10s"
shift = { start = "0s", end = "1h" }

[[agents]]
group = "Mid"
count = 3
presence_config = "Answering"
status = "Available"
response_time = "2s"
accept_probability = 0.7
no_answer_probability = 0.2
return_to_status_after = "20s"
shift = { start = "15m", end = "2h" }

[[agents]]
group = "Late"
count = 3
presence_config = "Auto"
status = "Chat_Only"
shift = { start = "30m" }
"#;

/// Runs `replications` of `scenario` recording decisions and holds every
/// decision to its record: the candidates in the model's order, the chosen
/// agent first. (Test builds of the router also check each record's
/// candidates against a scan of every agent: exactly the eligible set.)
fn assert_records_agree(name: &str, scenario: Arc<Scenario>, replications: u32) {
    for replication in 0..replications {
        let mut narrator = Narrator::new(scenario.clone());
        run_replication(
            scenario.clone(),
            &mut [&mut narrator],
            RunOptions {
                replication,
                record_decisions: true,
                ..Default::default()
            },
        );
        let check = narrator.check();
        assert!(check.decisions > 100, "{name}: {check:?}");
        assert_eq!(
            check.agreed, check.decisions,
            "{name} replication {replication}: {check:?}"
        );
    }
}

/// The strong check: on real runs of every bundled scenario, each routing
/// decision records exactly the eligible agents, ranked, and goes to the
/// first of them.
#[test]
fn every_recorded_decision_ranks_the_eligible_agents_with_the_chosen_first() {
    for file in [
        "quickstart",
        "push_timeout_cascade",
        "support_centre",
        "most_available",
        "least_active",
        "erlang_a",
        "bank",
        "teaching/skills_dropping",
    ] {
        let mut scenario = Scenario::from_path(format!("scenarios/{file}.toml").as_ref()).unwrap();
        let four_hours = SimDuration::from_secs(4 * 3600);
        scenario.simulation.duration = scenario.simulation.duration.min(four_hours);
        assert_records_agree(file, Arc::new(scenario), 3);
    }
}

/// The same check with many transfers, chained across three queues and
/// channels, into a skills-routed queue.
#[test]
fn every_recorded_decision_agrees_with_transfers() {
    let mut scenario = Scenario::from_path("scenarios/bank.toml".as_ref()).unwrap();
    scenario.simulation.duration = SimDuration::from_secs(3 * 3600);
    let queue = |name: &str| {
        crate::omni::QueueId(scenario.queues.iter().position(|q| q.name == name).unwrap() as u32)
    };
    let (loans, email) = (queue("Loans"), queue("Email"));
    let after = crate::distribution::Distribution::Exponential { mean: 90.0 };
    for a in &mut scenario.arrivals {
        a.transfer = match scenario.queues[a.queue.index()].name.as_str() {
            "Cards" => Some(crate::scenario::Transfer {
                probability: 0.4,
                to_queue: loans,
                after: after.clone(),
            }),
            "Loans" => Some(crate::scenario::Transfer {
                probability: 0.3,
                to_queue: email,
                after: after.clone(),
            }),
            _ => None,
        };
    }
    let mut log = crate::events::EventLog::default();
    let scenario = Arc::new(scenario);
    run_replication(scenario.clone(), &mut [&mut log], RunOptions::default());
    let transfers = log
        .events
        .iter()
        .filter(|e| matches!(e.kind, EventKind::WorkTransferredIn { .. }))
        .count();
    assert!(transfers > 100, "{transfers} transfers");
    assert_records_agree("bank with transfers", scenario, 3);
}

#[test]
fn every_recorded_decision_agrees_when_much_happens_at_one_instant() {
    let scenario = Scenario::from_toml_str(SAME_INSTANT, "same_instant.toml").unwrap();
    assert_records_agree("same_instant", Arc::new(scenario), 5);
}

/// A shared fixture scenario of `tests/fixtures/`, with `agents` (its
/// `[[agents]]` sections) appended when given.
pub(super) fn fixture(name: &str, agents: &str) -> Arc<Scenario> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    let s = if agents.is_empty() {
        Scenario::from_path(&path)
    } else {
        let text = std::fs::read_to_string(&path).unwrap() + agents;
        Scenario::from_toml_str(&text, name)
    };
    Arc::new(s.unwrap_or_else(|e| panic!("{e}")))
}

fn narrated(scenario: Arc<Scenario>) -> Vec<String> {
    let mut narrator = Narrator::new(scenario.clone());
    run_replication(scenario, &mut [&mut narrator], RunOptions::default());
    narrator.take_lines().into_iter().map(|l| l.text).collect()
}

#[test]
fn a_rostered_break_is_told_when_it_starts_and_ends() {
    let lines = narrated(fixture(
        "rosters.toml",
        r#"
[[agents]]
group = "Solo"
presence_config = "Chat"
status = "Available"
shifts = [{ count = 1, breaks = [{ start = "10:00", duration = "30m", status = "Lunch" }] }]
"#,
    ));
    for start in [
        "agent 0 (Solo) goes to Lunch (break until 10:30)",
        "agent 0 (Solo) is back from Lunch → Available",
    ] {
        assert!(lines.iter().any(|l| l.starts_with(start)), "{lines:#?}");
    }
}

#[test]
fn an_absent_agent_is_told_as_absent() {
    let lines = narrated(fixture(
        "rosters.toml",
        r#"
[[agents]]
group = "Away"
count = 3
presence_config = "Chat"
status = "Available"
absence = 1.0
"#,
    ));
    assert!(lines
        .iter()
        .any(|l| l == "agent 0 (Away) is absent today: rostered, but never logs in"));
}

#[test]
fn on_a_rostered_day_every_decision_agrees_and_breaks_are_told() {
    let s = fixture("bank_twin.toml", "");
    assert_records_agree("bank twin", s.clone(), 2);
    assert!(narrated(s).iter().any(|l| l.contains("(break until ")));
}
