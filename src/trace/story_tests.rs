//! What `trace` says, told by real runs driven by hand: a push refused
//! because its agent had just logged out, a reassignment of accepted work,
//! an abrupt logout closing several items, the next agent of a transferred
//! or reassigned item, and the skills a drop gives up.

use super::Narrator;
use crate::engine::{Idle, Simulation};
use crate::omni::*;
use crate::scenario::Scenario;
use crate::time::SimDuration;
use std::future::Future;
use std::sync::Arc;

/// One chat queue `Q` taken by group `G` of agents of capacity 1 who do
/// not auto-accept; statuses `Available` (chat) and `Break`.
const CENTRE: &str = r#"
[simulation]
name = "story"
duration = "1h"
warmup = "30m"
seed = 7
interval = "30m"
service_level_threshold = "20s"

[[channels]]
name = "chat"

[[statuses]]
name = "Available"
channels = ["chat"]

[[statuses]]
name = "Break"

[[presence_configs]]
name = "cfg"
capacity = 1

[[queues]]
name = "Q"
channel = "chat"
routing_model = "most_available"
capacity_weight = 1

[[arrivals]]
queue = "Q"
rate_per_hour = 60
handle_time = { dist = "exponential", mean = "5m" }

[[agents]]
group = "G"
count = 5
presence_config = "cfg"
status = "Available"
queues = ["Q"]
"#;

const AVAILABLE: &str = "0N5000000000000";

/// Runs `f` on a simulation of `s` whose agents act only when told, with
/// every decision recorded; returns the trace's lines.
fn told<F, Fut>(s: Scenario, f: F) -> Vec<String>
where
    F: FnOnce(Simulation<Idle>, Narrator) -> Fut,
    Fut: Future<Output = Narrator>,
{
    let s = Arc::new(s);
    actix::System::new()
        .block_on(async move {
            let sim = Simulation::new(s.clone(), 0, |_| Idle);
            sim.record_decisions(true);
            f(sim, Narrator::new(s)).await
        })
        .take_lines()
        .into_iter()
        .map(|l| l.text)
        .collect()
}

/// Processes the next second.
async fn settle(sim: &mut Simulation<Idle>, n: &mut Narrator) {
    let t = sim.now() + SimDuration::from_secs(1);
    sim.run_until(t, &mut [n]).await;
}

fn scenario(agents: u32, capacity: u32) -> Scenario {
    let mut s = Scenario::from_toml_str(CENTRE, "story.toml").expect("valid");
    s.arrivals.clear();
    s.agents[0].count = agents;
    s.presence_configs[0].capacity = capacity;
    s.presence_configs[0].interruptible_capacity = capacity;
    s
}

fn find<'a>(lines: &'a [String], needle: &str) -> Vec<&'a String> {
    lines.iter().filter(|l| l.contains(needle)).collect()
}

#[test]
fn a_push_to_an_agent_who_just_logged_out_is_refused_and_not_counted_as_a_push() {
    let lines = told(scenario(2, 1), |mut sim, mut n| async move {
        let (a0, a1) = (sim.toolkit(AgentId(0)), sim.toolkit(AgentId(1)));
        a0.login(AVAILABLE).await.unwrap();
        settle(&mut sim, &mut n).await;
        a1.login(AVAILABLE).await.unwrap();
        settle(&mut sim, &mut n).await;
        // The item arrives at the instant agent 0 logs out: the router,
        // not yet told, chooses agent 0.
        sim.inject_work(QueueId(0), SimDuration::from_secs(60), None);
        a0.logout().await.unwrap();
        settle(&mut sim, &mut n).await;
        n
    });
    let routing = find(&lines, "outing item");
    assert_eq!(routing.len(), 2, "{lines:#?}");
    assert!(
        routing[0].contains("agent 0 (G) free 1 of 1")
            && routing[0].contains("(logged out at this instant; the router hears of it next, so a push now is refused)")
            && routing[0].contains("; chose agent 0: "),
        "{}",
        routing[0]
    );
    let refused = find(&lines, "could not take");
    assert_eq!(refused.len(), 1, "{lines:#?}");
    assert!(
        refused[0].contains("it had logged out at that instant, before the router heard of it"),
        "{}",
        refused[0]
    );
    // The refused push reached nobody: the next is the item's first push.
    assert!(routing[1].starts_with("routing item"), "{}", routing[1]);
    assert!(!routing[1].contains("2nd push"), "{}", routing[1]);
    assert!(
        routing[1].ends_with("chose agent 1: the only eligible agent"),
        "{}",
        routing[1]
    );
}

#[test]
fn accepted_work_taken_back_after_reassign_after_is_not_a_logout_before_answering() {
    let mut s = scenario(2, 1);
    s.channels[0].capacity_model = CapacityModel::Status;
    s.channels[0].reassign_after = Some(SimDuration::from_secs(60));
    let lines = told(s, |mut sim, mut n| async move {
        let (a0, a1) = (sim.toolkit(AgentId(0)), sim.toolkit(AgentId(1)));
        a0.login(AVAILABLE).await.unwrap();
        settle(&mut sim, &mut n).await;
        sim.inject_work(QueueId(0), SimDuration::from_secs(600), None);
        settle(&mut sim, &mut n).await;
        let works = a0.get_agent_works().await.unwrap();
        a0.accept_agent_work(&works[0].work_id).await.unwrap();
        a0.logout().await.unwrap();
        settle(&mut sim, &mut n).await;
        a1.login(AVAILABLE).await.unwrap();
        let later = sim.now() + SimDuration::from_secs(120);
        sim.run_until(later, &mut [&mut n]).await;
        let works = a1.get_agent_works().await.unwrap();
        assert_eq!(works.len(), 1, "reassigned to agent 1");
        a1.accept_agent_work(&works[0].work_id).await.unwrap();
        settle(&mut sim, &mut n).await;
        n
    });
    assert!(
        find(&lines, "logs out before answering").is_empty(),
        "{lines:#?}"
    );
    let taken = find(
        &lines,
        "stayed logged out past its channel's reassign_after (1m 0s)",
    );
    assert_eq!(taken.len(), 1, "{lines:#?}");
    assert!(
        taken[0].contains("which it had accepted: AgentWork"),
        "{}",
        taken[0]
    );
    let accepts = find(&lines, "accepted item");
    assert_eq!(accepts.len(), 2, "{lines:#?}");
    assert!(
        accepts[0].contains("answered 0 s after the request") || accepts[0].contains("answered")
    );
    assert!(
        accepts[1].contains("takes the item over from agent 0, who stayed logged out holding it")
            && !accepts[1].contains("; answered "),
        "{}",
        accepts[1]
    );
}

#[test]
fn an_abrupt_logout_closing_five_items_counts_them_down() {
    let lines = told(scenario(1, 5), |mut sim, mut n| async move {
        let a0 = sim.toolkit(AgentId(0));
        a0.login(AVAILABLE).await.unwrap();
        settle(&mut sim, &mut n).await;
        for _ in 0..5 {
            sim.inject_work(QueueId(0), SimDuration::from_secs(600), None);
        }
        settle(&mut sim, &mut n).await;
        for w in a0.get_agent_works().await.unwrap() {
            a0.accept_agent_work(&w.work_id).await.unwrap();
        }
        settle(&mut sim, &mut n).await;
        a0.logout().await.unwrap();
        settle(&mut sim, &mut n).await;
        n
    });
    let holds: Vec<String> = find(&lines, "closed item")
        .iter()
        .map(|l| l.rsplit("; ").next().unwrap().to_string())
        .collect();
    assert_eq!(
        holds,
        [
            "holds 4 of 5",
            "holds 3 of 5",
            "holds 2 of 5",
            "holds 1 of 5",
            "holds 0 of 5"
        ]
    );
}

#[test]
fn the_agent_after_a_transfer_takes_the_item_over_rather_than_answering_it() {
    // Agent 0 takes Q, agent 1 (another group) Loans.
    let mut s = scenario(1, 1);
    let mut loans = s.queues[0].clone();
    loans.name = "Loans".into();
    s.queues.push(loans);
    let mut team = s.agents[0].clone();
    team.group = "Loans team".into();
    team.queues = vec![QueueId(1)];
    s.agents.push(team);
    let lines = told(s, |mut sim, mut n| async move {
        let (a0, a1) = (sim.toolkit(AgentId(0)), sim.toolkit(AgentId(1)));
        a0.login(AVAILABLE).await.unwrap();
        settle(&mut sim, &mut n).await;
        sim.inject_work(QueueId(0), SimDuration::from_secs(600), None);
        settle(&mut sim, &mut n).await;
        let works = a0.get_agent_works().await.unwrap();
        a0.accept_agent_work(&works[0].work_id).await.unwrap();
        settle(&mut sim, &mut n).await;
        // Agent 0 hands it on to Loans; agent 1 comes in 30 s later.
        let work = AgentWorkId::parse(&works[0].work_id).unwrap();
        sim.transfer(AgentId(0), work, QueueId(1));
        settle(&mut sim, &mut n).await;
        let later = sim.now() + SimDuration::from_secs(30);
        sim.run_until(later, &mut [&mut n]).await;
        a1.login(AVAILABLE).await.unwrap();
        settle(&mut sim, &mut n).await;
        let works = a1.get_agent_works().await.unwrap();
        a1.accept_agent_work(&works[0].work_id).await.unwrap();
        settle(&mut sim, &mut n).await;
        n
    });
    let accepts = find(&lines, "accepted item");
    assert_eq!(accepts.len(), 2, "{lines:#?}");
    assert!(
        accepts[1].contains("takes the item over after its transfer from queue \"Q\", 32 s later"),
        "{}",
        accepts[1]
    );
}

#[test]
fn a_skills_drop_names_what_was_asked_and_what_is_left() {
    // Items ask for French (additional, dropped first) and Senior
    // (additional, dropped last); the only agent has French, not Senior:
    // French is dropped although the agent has it, since nobody had both.
    let text = r#"
[simulation]
name = "drops"
duration = "10m"
seed = 4
[[channels]]
name = "chat"
[[statuses]]
name = "On"
channels = ["chat"]
[[skills]]
name = "French"
[[skills]]
name = "Senior"
[[presence_configs]]
name = "c"
capacity = 1
[[queues]]
name = "Chats"
channel = "chat"
routing = "skills"
routing_model = "most_available"
capacity_weight = 1
drop_additional_skills_timeout = "30s"
skills = [{ skill = "French", level = 1, additional = true, priority = 1 }, { skill = "Senior", level = 1, additional = true }]
[[arrivals]]
queue = "Chats"
rate_per_hour = 30
handle_time = "20m"
[[agents]]
group = "g"
count = 1
presence_config = "c"
status = "On"
skills = { French = 5 }
"#;
    let s = Arc::new(Scenario::from_toml_str(text, "drops.toml").unwrap());
    let mut n = Narrator::new(s.clone());
    crate::engine::run_replication(
        s,
        &mut [&mut n],
        crate::engine::RunOptions {
            record_decisions: true,
            ..Default::default()
        },
    );
    let lines: Vec<String> = n.take_lines().into_iter().map(|l| l.text).collect();
    let drops = find(&lines, "dropped its");
    assert!(drops.len() >= 2, "{lines:#?}");
    assert!(
        drops[0].contains("no agent with every skill item")
            && drops[0].contains("asks for (French ≥ 1 (additional), Senior ≥ 1 (additional)) took it: dropped its priority-1 additional skills {French}; it now needs Senior ≥ 1 (additional)"),
        "{}",
        drops[0]
    );
    assert!(!drops[0].contains("no agent with French"), "{}", drops[0]);
    assert!(drops[1].ends_with("it now needs no skill"), "{}", drops[1]);
}
