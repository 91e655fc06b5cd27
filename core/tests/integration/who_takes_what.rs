//! Who may take which work, end to end: queue membership, skills-based
//! routing with drops and resets, and the equivalence of a skills-routed
//! centre whose agents have every skill with the queue-based one.

use omnisim_core::engine::{run_replication, RunOptions};
use omnisim_core::events::{EventKind, EventLog};
use omnisim_core::omni::{AgentId, RoutingType, SkillId, SkillRequirement, WorkItemId};
use omnisim_core::scenario::Scenario;
use omnisim_core::time::{SimDuration, SimTime};
use std::collections::BTreeMap;
use std::sync::Arc;

fn events(s: Scenario) -> Vec<omnisim_core::events::SimEvent> {
    let mut log = EventLog::default();
    run_replication(Arc::new(s), &mut [&mut log], RunOptions::default());
    log.events
}

fn load(path: &str) -> Scenario {
    Scenario::from_path(path.as_ref()).unwrap()
}

/// A skills-routed copy of a queue-based centre in which every agent has
/// the one skill every item needs: the same decisions, digit for digit.
#[test]
fn skills_routing_with_every_skill_everywhere_equals_queue_routing() {
    let queue_based = load("../scenarios/erlang_c.toml");
    let mut short = queue_based.clone();
    short.simulation.duration = SimDuration::from_secs(20 * 3600);
    let mut skills = short.clone();
    skills.skills = vec![omnisim_core::omni::Skill {
        name: "Calls".into(),
    }];
    skills.queues[0].routing.routing_type = RoutingType::Skills;
    skills.queues[0].routing.skills = vec![SkillRequirement {
        skill: SkillId(0),
        level: 3,
        additional: false,
        priority: 0,
    }];
    skills.agents[0].skills = vec![(SkillId(0), 5)];
    let strip = |evs: Vec<omnisim_core::events::SimEvent>| -> Vec<_> {
        evs.into_iter()
            .map(|mut e| {
                match &mut e.kind {
                    EventKind::WorkArrived { skills, .. } => skills.clear(),
                    // The item's record repeats the skills of its arrival.
                    EventKind::WorkClosed {
                        record: Some(r), ..
                    } => r.skills.clear(),
                    _ => {}
                }
                e
            })
            .collect()
    };
    let a = strip(events(short));
    let b = strip(events(skills));
    assert!(a.len() > 10_000);
    assert_eq!(a, b);
}

/// Cards and Loans share one channel; each team belongs to one queue.
#[test]
fn disjoint_teams_never_answer_the_other_queue() {
    let s = load("../tests/fixtures/teams.toml");
    let mut answered = [0u32; 2];
    for e in events(s) {
        if let EventKind::WorkAssigned { queue, agent, .. } = e.kind {
            let team = if agent.0 < 2 { 0 } else { 1 };
            assert_eq!(team, queue.index(), "{agent:?} took an item of {queue:?}");
            answered[team] += 1;
        }
    }
    // Cards is overloaded for its team (2 × 2 slots for ~3.3 Erlangs) while
    // Loans agents sit idle; pooling would have shown otherwise.
    assert!(answered[0] > 100 && answered[1] > 20, "{answered:?}");
}

/// The teaching scenario: drops at exact timeout multiples, resets after a
/// decline, French items only to French speakers until French is dropped.
#[test]
fn skills_drop_on_time_reset_on_decline_and_respect_levels() {
    let s = load("../scenarios/teaching/skills_dropping.toml");
    let timeout = s.queues[0].routing.drop_additional_skills_timeout.unwrap();
    let french = SkillId(2);
    let speaks_french = |a: AgentId| a.0 < 2; // the two Experts
    let evs = events(s);
    // Item → when its requirements were last set, and what is dropped.
    let mut since: BTreeMap<WorkItemId, (SimTime, u32, bool)> = BTreeMap::new();
    let mut needs_french: BTreeMap<WorkItemId, bool> = BTreeMap::new();
    let (mut drops, mut resets, mut french_pushes) = (0, 0, 0);
    for e in &evs {
        match &e.kind {
            EventKind::WorkArrived { item, skills, .. } => {
                since.insert(*item, (e.time, 0, false));
                needs_french.insert(*item, skills.iter().any(|r| r.skill == french));
            }
            EventKind::SkillsDropped { item, skills, .. } => {
                let (at, n, _) = since.get_mut(item).unwrap();
                *n += 1;
                assert_eq!(
                    e.time,
                    *at + SimDuration(timeout.0 * *n as u64),
                    "drop {n} of {item:?}"
                );
                if skills.contains(&french) {
                    since.get_mut(item).unwrap().2 = true;
                }
                drops += 1;
            }
            EventKind::WorkRequeued {
                item, skills_reset, ..
            } => {
                if *skills_reset {
                    resets += 1;
                }
                since.insert(*item, (e.time, 0, false));
            }
            EventKind::WorkAssigned { item, agent, .. } => {
                let french_dropped = since.get(item).is_some_and(|s| s.2);
                if needs_french[item] && !french_dropped {
                    assert!(speaks_french(*agent), "{item:?} to {agent:?}");
                    french_pushes += 1;
                }
            }
            _ => {}
        }
    }
    assert!(drops > 20, "drops: {drops}");
    assert!(resets > 0, "no decline ever restored a dropped skill");
    assert!(french_pushes > 5, "French pushes: {french_pushes}");
}

/// A chat declined by every agent available for it ends as "no available
/// agent" (omni-reference §12.6): counted apart, never as abandonment; on a
/// channel without the flag the same declines only re-queue.
#[test]
fn a_chat_declined_by_everyone_ends_with_no_available_agent() {
    let text = |flag: bool| {
        format!(
            r#"
[simulation]
name = "declines"
duration = "2h"
seed = 9
[[channels]]
name = "chat"
ends_when_all_decline = {flag}
[[statuses]]
name = "Available"
channels = ["chat"]
[[presence_configs]]
name = "cfg"
capacity = 2
allow_decline = true
[[queues]]
name = "Chat"
channel = "chat"
routing_model = "most_available"
capacity_weight = 1
[[arrivals]]
queue = "Chat"
rate_per_hour = 30
handle_time = "5m"
patience = "10m"
[[agents]]
group = "Reluctant"
count = 3
presence_config = "cfg"
status = "Available"
accept_probability = 0.2
response_time = "5s"
"#
        )
    };
    let run = |flag: bool| {
        let s = Arc::new(Scenario::from_toml_str(&text(flag), "declines.toml").unwrap());
        let mut log = EventLog::default();
        let mut metrics = omnisim_core::stats::MetricsCollector::new(&s);
        run_replication(s, &mut [&mut log, &mut metrics], RunOptions::default());
        let result = metrics.into_result();
        result.check_conservation().unwrap();
        (log.events, result.overall)
    };
    let (events, overall) = run(true);
    let mut refused: BTreeMap<WorkItemId, Vec<AgentId>> = BTreeMap::new();
    let mut ended = 0;
    for e in &events {
        match &e.kind {
            EventKind::WorkDeclined { item, agent, .. } => {
                refused.entry(*item).or_default().push(*agent);
            }
            EventKind::WorkEndedNoAgent { item, .. } => {
                let mut by = refused.remove(item).unwrap_or_default();
                by.sort();
                by.dedup();
                assert_eq!(by.len(), 3, "{item:?} ended after declines by {by:?}");
                ended += 1;
            }
            _ => {}
        }
    }
    assert!(ended > 0);
    assert_eq!(overall.ended_no_agent, ended);
    let (events, overall) = run(false);
    assert!(!events
        .iter()
        .any(|e| matches!(e.kind, EventKind::WorkEndedNoAgent { .. })));
    assert_eq!(overall.ended_no_agent, 0);
}

/// Blended work (omni-reference §12.4): chats are primary, email is
/// interruptible; agents whose interruptible pool is full of email still
/// receive chats, and neither pool ever exceeds its capacity.
#[test]
fn chats_reach_agents_whose_interruptible_pool_is_full() {
    use omnisim_core::omni::{CapacityPool, CapacityUnits};
    let s = load("../scenarios/teaching/interruptible_capacity.toml");
    let chat = s.queues[0].channel;
    let evs = events(s);
    // Agent → (primary load, capacity, interruptible load, capacity).
    let mut loads: BTreeMap<AgentId, [CapacityUnits; 4]> = BTreeMap::new();
    let mut chats_to_full = 0;
    for e in &evs {
        match &e.kind {
            EventKind::WorkloadChanged {
                agent,
                configured_capacity,
                new_workload,
                configured_interruptible_capacity,
                new_interruptible_workload,
                ..
            } => {
                assert!(new_workload <= configured_capacity);
                assert!(new_interruptible_workload <= configured_interruptible_capacity);
                loads.insert(
                    *agent,
                    [
                        *new_workload,
                        *configured_capacity,
                        *new_interruptible_workload,
                        *configured_interruptible_capacity,
                    ],
                );
            }
            EventKind::WorkAssigned {
                agent, queue, pool, ..
            } => {
                let expected = if queue.index() == chat.index() {
                    CapacityPool::Primary
                } else {
                    CapacityPool::Interruptible
                };
                assert_eq!(*pool, expected);
                if *pool == CapacityPool::Primary {
                    if let Some(l) = loads.get(agent) {
                        if l[2] == l[3] {
                            chats_to_full += 1;
                        }
                    }
                }
            }
            _ => {}
        }
    }
    assert!(
        chats_to_full > 50,
        "chats pushed to agents with a full interruptible pool: {chats_to_full}"
    );
}

/// An external queue whose policy is Most Available written against the
/// trait routes exactly as the built-in model: the policy is offered the
/// same eligible agents in the same state (membership, skills, pools and
/// exclusions included).
#[test]
fn an_external_policy_sees_the_eligibility_the_built_in_models_see() {
    use omnisim_core::routing::MostAvailablePolicy;
    use omnisim_core::stats::MetricsCollector;
    let text = std::fs::read_to_string("../scenarios/bank.toml").unwrap();
    let external = text.replacen(
        "routing_model = \"most_available\"\npriority = 1",
        "routing_model = \"external\"\npriority = 1",
        1,
    );
    assert_ne!(text, external, "the Cards queue is switched to external");
    let run = |s: Scenario, policy: bool| {
        let s = Arc::new(s);
        let mut m = MetricsCollector::new(&s);
        let routing_policy: Option<Box<dyn omnisim_core::routing::RoutingPolicy>> = if policy {
            Some(Box::new(MostAvailablePolicy))
        } else {
            None
        };
        run_replication(
            s,
            &mut [&mut m],
            RunOptions {
                routing_policy,
                ..Default::default()
            },
        );
        m.into_result()
    };
    let built_in = run(load("../scenarios/bank.toml"), false);
    let scenario = Scenario::from_toml_str_with_external_routing(&external, "bank.toml").unwrap();
    assert!(Scenario::from_toml_str(&external, "bank.toml").is_err());
    let with_policy = run(scenario.clone(), true);
    assert_eq!(built_in, with_policy);
    // Without a policy the external queue's items just wait.
    let without = run(scenario, false);
    assert_eq!(without.queues[0].answered, 0);
    assert!(without.queues[0].offered > 0);
}
