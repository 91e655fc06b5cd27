//! The JSON form of one trace event (`omnisim trace --format jsonl`).
//!
//! The engine's events carry indexes and integer microseconds, which is what
//! the engine needs; a reader of the trace needs what the other result
//! files give: names (queue, group, status) and seconds. This module turns
//! the serialized event into that form, keeping each time's exact integer
//! microseconds beside it as `<field>_us` so nothing is rounded away.
//! docs/results-format.md documents the fields.

use crate::scenario::Scenario;
use serde_json::{Map, Value};

/// Event fields holding a simulated instant or a duration, in integer
/// microseconds as the engine serializes them.
const TIME_FIELDS: &[&str] = &[
    "time",
    "patience",
    "waited",
    "requested_at",
    "handle_time",
    "wrap_up",
    "accepted_at",
];

/// Event fields holding a queue index.
const QUEUE_FIELDS: &[&str] = &["queue", "from_queue", "to_queue"];

/// The names the trace's JSON uses in place of indexes.
pub(super) struct Names {
    queues: Vec<String>,
    statuses: Vec<String>,
    skills: Vec<String>,
    /// The group of each agent number, in the engine's order (groups in
    /// file order, `count` agents each).
    agent_groups: Vec<String>,
}

impl Names {
    /// The names of `scenario`'s queues, statuses and agents' groups.
    pub(super) fn new(scenario: &Scenario) -> Names {
        Names {
            queues: scenario.queues.iter().map(|q| q.name.clone()).collect(),
            statuses: scenario
                .statuses
                .iter()
                .map(|s| s.api_name.clone())
                .collect(),
            skills: scenario.skills.iter().map(|s| s.name.clone()).collect(),
            agent_groups: scenario
                .agents
                .iter()
                .flat_map(|g| std::iter::repeat_n(g.group.clone(), g.count as usize))
                .collect(),
        }
    }

    /// Rewrites one serialized event in place: times in seconds (with the
    /// integer microseconds as `<field>_us`), queue and status names for
    /// their indexes, and the agent's group beside its number.
    pub(super) fn rewrite(&self, event: &mut Map<String, Value>) {
        for &field in TIME_FIELDS {
            if let Some(us) = event.get(field).and_then(Value::as_u64) {
                event.insert(format!("{field}_us"), us.into());
                event.insert(field.to_owned(), (us as f64 / 1e6).into());
            }
        }
        for &field in QUEUE_FIELDS {
            rename(event, field, &self.queues);
        }
        rename(event, "status", &self.statuses);
        // `skills` is a list of requirements ({skill, level, …}) on
        // arrivals and a list of skill indexes where skills are dropped.
        if let Some(Value::Array(skills)) = event.get_mut("skills") {
            for s in skills {
                match s {
                    Value::Object(requirement) => rename(requirement, "skill", &self.skills),
                    Value::Number(n) => {
                        if let Some(name) = n.as_u64().and_then(|i| self.skills.get(i as usize)) {
                            *s = name.clone().into();
                        }
                    }
                    _ => {}
                }
            }
        }
        if let Some(agent) = event.get("agent").and_then(Value::as_u64) {
            if let Some(group) = self.agent_groups.get(agent as usize) {
                event.insert("group".into(), group.clone().into());
            }
        }
    }
}

/// Replaces the index in `field` by its name, when it is an index of
/// `names`.
fn rename(event: &mut Map<String, Value>, field: &str, names: &[String]) {
    if let Some(name) = event
        .get(field)
        .and_then(Value::as_u64)
        .and_then(|i| names.get(i as usize))
    {
        event.insert(field.to_owned(), name.clone().into());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> Names {
        Names {
            queues: vec!["Chat".into(), "Cases".into()],
            statuses: vec!["Available".into(), "Break".into()],
            skills: vec!["English".into(), "Billing".into()],
            agent_groups: vec!["Support".into(), "Support".into(), "Cases team".into()],
        }
    }

    #[test]
    fn indexes_become_names_and_microseconds_seconds() {
        let mut e = serde_json::json!({
            "event": "work_assigned", "time": 5_310_467u64, "queue": 1, "agent": 2,
            "handle_time": 400_684_523u64, "patience": null, "status": 1, "item": 7,
        "skills": [{"skill": 1, "level": 3}],
        });
        names().rewrite(e.as_object_mut().unwrap());
        assert_eq!(e["time"], 5.310467);
        assert_eq!(e["time_us"], 5_310_467u64);
        assert_eq!(e["handle_time"], 400.684523);
        assert_eq!(e["queue"], "Cases");
        assert_eq!(e["status"], "Break");
        assert_eq!(e["agent"], 2);
        assert_eq!(e["group"], "Cases team");
        assert_eq!(e["item"], 7);
        assert!(e["patience"].is_null());
        assert_eq!(e["skills"][0]["skill"], "Billing");
        assert_eq!(e["skills"][0]["level"], 3);
        let mut dropped = serde_json::json!({ "skills": [0, 1] });
        names().rewrite(dropped.as_object_mut().unwrap());
        assert_eq!(dropped["skills"], serde_json::json!(["English", "Billing"]));
        assert!(e.get("patience_us").is_none());
    }
}
