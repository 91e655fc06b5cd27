//! Warnings about set-ups that are legal but leave work that can never be
//! done well: computed once the scenario is valid, kept in
//! [`Scenario::warnings`], printed by `check` and `run` on standard error.
//!
//! - **Work nobody may take.** A queue-based queue without members, or a
//!   combination of skills no group has even after every additional skill
//!   that can be dropped is dropped: those items are never routed.
//! - **A skills drop later than the service level.** An item nobody with
//!   every skill takes waits the whole `drop_additional_skills_timeout`
//!   before its additional skills are dropped; with a timeout longer than
//!   the queue's service-level threshold, every such item is answered
//!   late, however many agents with the remaining skills sit idle (a
//!   planner's "seniors preferred for 30 s" against a 20 s threshold).

use super::{humanize, AgentGroup, Scenario};
use crate::omni::{QueueId, RoutingType, SkillRequirement};

/// The warnings about `s`, queue by queue.
pub(super) fn warnings(s: &Scenario) -> Vec<String> {
    let mut out = Vec::new();
    // One pass over the arrivals, not one per queue: a scenario may hold
    // tens of thousands of both.
    let streams = s.stream_of_queue();
    for (q, queue) in s.queues.iter().enumerate() {
        let id = QueueId(q as u32);
        let stream = streams[q].map(|k| &s.arrivals[k]);
        nobody_may_take(s, id, stream, &mut out);
        let r = &queue.routing;
        let Some(timeout) = r.drop_additional_skills_timeout else {
            continue;
        };
        let droppable = r.skills.iter().any(|k| k.additional)
            || stream.is_some_and(|a| {
                a.skills.iter().any(|k| k.additional) || a.skill_mix.iter().any(|c| c.additional)
            });
        if r.routing_type == RoutingType::Skills
            && droppable
            && timeout > queue.service_level_threshold
        {
            out.push(format!(
                "queue \"{}\": drop_additional_skills_timeout {} is longer than its service-level threshold {}: an item no agent with every skill takes waits the whole {} before its additional skills are dropped, so it is answered late however many agents with the other skills are free; shorten the timeout or make the skills required",
                queue.name,
                humanize(timeout),
                humanize(queue.service_level_threshold),
                humanize(timeout)
            ));
        }
    }
    out
}

/// The agent groups that may take an item of `queue` needing `skills`:
/// members for queue-based routing, holders of every skill otherwise.
pub(super) fn may_take<'a>(
    s: &'a Scenario,
    queue: QueueId,
    skills: &[SkillRequirement],
) -> Vec<&'a AgentGroup> {
    let routing_type = s.queues[queue.index()].routing.routing_type;
    s.agents
        .iter()
        .filter(|g| g.may_take(queue, routing_type, skills))
        .collect()
}

/// Most combinations of a skill mix [`nobody_may_take`] checks one by
/// one: their number is the product of the choices' sizes, so a long mix
/// has more than any machine could list.
const MAX_MIX_COMBINATIONS: f64 = 4096.0;

/// Items nobody may ever take: a queue-based queue without members, or a
/// combination of skills no group has even after every additional skill
/// that can be dropped is dropped. `stream` is the queue's arrival
/// stream, if it has one.
fn nobody_may_take(
    s: &Scenario,
    queue: QueueId,
    stream: Option<&super::ArrivalStream>,
    out: &mut Vec<String>,
) {
    let q = &s.queues[queue.index()];
    if q.routing.routing_type == RoutingType::Queue {
        if may_take(s, queue, &[]).is_empty() {
            out.push(format!(
                "queue \"{}\": no agent group belongs to it (agents[].queues); its items are never routed",
                q.name
            ));
        }
        return;
    }
    let Some(a) = stream else {
        return;
    };
    let combinations: f64 = a.skill_mix.iter().map(|c| c.choose.len() as f64).product();
    if combinations > MAX_MIX_COMBINATIONS {
        out.push(format!(
            "queue \"{}\": its skill_mix gives {} combinations of skills, too many to check one by one whether some agent group has each",
            q.name,
            super::bounds::count(combinations)
        ));
        return;
    }
    let droppable = q.routing.drop_additional_skills_timeout.is_some();
    // Every combination of the mix, with its share of the items.
    let mut combos: Vec<(Vec<SkillRequirement>, f64)> = vec![(
        q.routing.skills.iter().chain(&a.skills).copied().collect(),
        1.0,
    )];
    for choice in &a.skill_mix {
        combos = combos
            .into_iter()
            .flat_map(|(reqs, share)| {
                choice.choose.iter().map(move |(skill, p)| {
                    let mut r = reqs.clone();
                    r.push(SkillRequirement {
                        skill: *skill,
                        level: choice.level,
                        additional: choice.additional,
                        priority: choice.priority,
                    });
                    (r, share * p)
                })
            })
            .collect();
    }
    for (reqs, share) in combos {
        if share <= 0.0 {
            continue;
        }
        let needed: Vec<_> = reqs
            .iter()
            .filter(|r| !(droppable && r.additional))
            .copied()
            .collect();
        if may_take(s, queue, &needed).is_empty() {
            let words: Vec<String> = needed
                .iter()
                .map(|r| format!("{} ≥ {}", s.skills[r.skill.index()].name, r.level))
                .collect();
            out.push(format!(
                "queue \"{}\": no agent group has {{{}}}, which {:.1}% of its items need{}; those items are never routed",
                q.name,
                words.join(", "),
                100.0 * share,
                if droppable { " after every additional skill is dropped" } else { "" }
            ));
        }
    }
}
