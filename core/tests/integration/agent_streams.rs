//! Each agent's random streams belong to it (its group and its place in
//! the group), not to its number: changing one group's head-count leaves
//! every agent of every other group drawing exactly as before, so a sweep
//! or a plan over one group's staffing moves nothing else by chance.

use omnisim_core::engine::{run_with_behaviours, synthetic_behaviour, AgentSeat, RunOptions};
use omnisim_core::events::{EventKind, EventLog};
use omnisim_core::scenario::Scenario;
use rand::Rng;
use std::collections::BTreeMap;
use std::sync::Arc;

/// Three groups; "Cards" comes first, so its head-count shifts the number
/// of every agent of the two groups after it. Both have absence, late
/// breaks and answer with a response time and declines.
fn scenario(cards: u32) -> Scenario {
    let text = format!(
        r#"
[simulation]
name = "streams"
duration = "4h"
seed = 11
replications = 1

[[channels]]
name = "phone"

[[statuses]]
name = "Available"
channels = ["phone"]

[[statuses]]
name = "Coffee"

[[presence_configs]]
name = "Phone"
capacity = 1
allow_decline = true

[[queues]]
name = "Calls"
channel = "phone"
routing_model = "most_available"
capacity_weight = 1

[[arrivals]]
queue = "Calls"
rate_per_hour = 60
handle_time = {{ dist = "exponential", mean = "5m" }}

[[agents]]
group = "Cards"
count = {cards}
presence_config = "Phone"
status = "Available"

[[agents]]
group = "Loans"
presence_config = "Phone"
status = "Available"
response_time = {{ dist = "exponential", mean = "8s" }}
accept_probability = 0.9
absence = 0.3
break_lateness = {{ dist = "exponential", mean = "5m" }}
shifts = [
  {{ start = "0h", end = "4h", count = 7, breaks = [{{ start = "1h", duration = "15m" }}] }},
  {{ start = "1h", count = 5, breaks = [{{ start = "2h", duration = "10m" }}] }},
]

[[agents]]
group = "Back office"
count = 9
presence_config = "Phone"
status = "Available"
response_time = "3s"
absence = 0.4
shift = {{ start = "0h", breaks = [{{ start = "90m", duration = "20m" }}] }}
break_lateness = "1m"
"#
    );
    Scenario::from_toml_str(&text, "streams.toml").unwrap()
}

/// Per agent of the groups other than Cards, keyed by (group, place in
/// group): whether it is absent, when its breaks start, and the first
/// draws of its behaviour's own stream.
type Draws = BTreeMap<(String, u32), (bool, Vec<u64>, [u64; 4])>;

fn draws(cards: u32) -> Draws {
    let s = Arc::new(scenario(cards));
    // (group, place) of every agent by number, and its first draws.
    let mut who: Vec<(String, u32)> = Vec::new();
    let mut first: Vec<[u64; 4]> = Vec::new();
    let mut log = EventLog::default();
    let scenario = s.clone();
    run_with_behaviours(
        s.clone(),
        |seat: AgentSeat<'_>| {
            let place = who.iter().filter(|(g, _)| *g == seat.group.group).count() as u32;
            who.push((seat.group.group.clone(), place));
            let mut probe = seat.rng.clone();
            first.push(std::array::from_fn(|_| probe.gen::<u64>()));
            synthetic_behaviour(&scenario, seat)
        },
        &mut [&mut log],
        RunOptions::default(),
    );
    let coffee = s.statuses.iter().position(|st| st.api_name == "Coffee");
    let mut out: Draws = BTreeMap::new();
    for (id, key) in who.iter().enumerate() {
        if key.0 == "Cards" {
            continue;
        }
        out.insert(key.clone(), (false, Vec::new(), first[id]));
    }
    for e in &log.events {
        let (agent, absent, break_at) = match &e.kind {
            EventKind::AgentAbsent { agent } => (agent, true, None),
            EventKind::StatusChanged { agent, status, .. } if Some(status.index()) == coffee => {
                (agent, false, Some(e.time.0))
            }
            _ => continue,
        };
        if let Some(entry) = out.get_mut(&who[agent.index()]) {
            entry.0 |= absent;
            entry.1.extend(break_at);
        }
    }
    out
}

#[test]
fn three_more_agents_in_one_group_leave_every_other_agents_draws_as_they_were() {
    let before = draws(4);
    let after = draws(7);
    assert_eq!(before.len(), 21, "12 Loans + 9 Back office agents");
    // Some are absent and some breaks start late: the draws matter.
    assert!(before.values().any(|d| d.0) && before.values().any(|d| !d.0));
    assert!(before.values().any(|d| !d.1.is_empty()));
    for (key, d) in &before {
        assert_eq!(Some(d), after.get(key), "{key:?} drew differently");
    }
}

#[test]
fn agents_of_one_group_each_draw_their_own_numbers() {
    let d = draws(4);
    let mut firsts: Vec<[u64; 4]> = d.values().map(|v| v.2).collect();
    firsts.sort_unstable();
    firsts.dedup();
    assert_eq!(firsts.len(), d.len());
}
