//! Words for an item's later legs: an item is answered once, by its first
//! acceptance (as `work.csv` and the metrics count it); the acceptances
//! after a transfer or a reassignment are the next agent taking it over,
//! and the trace says so rather than "answered" again.

use super::{words::span, Leg};
use crate::scenario::Scenario;
use crate::time::{SimDuration, SimTime};

/// What an acceptance of an item answered already adds to the story:
/// when it was answered (`answered` after its request) and, for the leg
/// that now ends its wait, how that leg began and how long it waited.
pub(super) fn again_words(
    scenario: &Scenario,
    now: SimTime,
    answered: SimDuration,
    leg: Option<Leg>,
) -> String {
    let first = format!("answered earlier, {} after the request", span(answered));
    let queue = |q: crate::omni::QueueId| {
        scenario
            .queues
            .get(q.index())
            .map_or("?", |q| q.name.as_str())
    };
    match leg {
        Some(Leg::Transferred { from, since }) => format!(
            "takes the item over after its transfer from queue \"{}\", {} later ({first})",
            queue(from),
            span(now - since)
        ),
        Some(Leg::Reassigned { agent, since }) => format!(
            "takes the item over from agent {}, who stayed logged out holding it, {} later \
             ({first})",
            agent.0,
            span(now - since)
        ),
        None => format!("takes the item up again ({first})"),
    }
}
