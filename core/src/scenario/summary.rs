//! The one-screen summary `omnisim check` prints.
//!
//! Its job is a sanity check before a long run: does the staffing roughly
//! fit the load? So besides echoing the settings it computes each queue's
//! offered load in Erlangs and the capacity online for its channel at login,
//! and points out set-ups that are legal but probably not meant.

use super::validate::{humanize, interval_count};
use super::{ArrivalRate, Scenario};
use crate::omni::{CapacityCost, QueueId, RoutingType, MAX_OPEN_ITEMS};
use std::fmt::Write as _;

/// Most names a list of the summary shows; the rest are counted.
const MAX_LISTED: usize = 12;

/// Renders the summary; plain text, no colour, ends with a newline.
pub fn render_summary(s: &Scenario) -> String {
    let mut out = String::new();
    let sim = &s.simulation;
    let _ = writeln!(out, "scenario \"{}\"", sim.name);
    let _ = writeln!(
        out,
        "  run            {} = warm-up {} + measured {}",
        humanize(s.run_length()),
        humanize(sim.warmup),
        humanize(sim.duration)
    );
    let _ = writeln!(
        out,
        "  replications   {} (seed {})",
        sim.replications, sim.seed
    );
    let _ = writeln!(
        out,
        "  interval       {} ({} in the measured period)",
        humanize(sim.interval),
        interval_count(sim)
    );
    let _ = writeln!(
        out,
        "  service level  answered within {}",
        humanize(sim.service_level_threshold)
    );
    if let Some(b) = &sim.busyness {
        let _ = writeln!(
            out,
            "  busyness       {}, cv {} (one factor per replication on every rate)",
            b.dist.as_str(),
            b.cv
        );
    }

    let mut notes: Vec<String> = Vec::new();

    out.push_str("\nstatuses\n");
    let width = s
        .statuses
        .iter()
        .map(|st| st.api_name.len())
        .max()
        .unwrap_or(0);
    let mut logged_in_to = vec![0u64; s.statuses.len()];
    for g in &s.agents {
        logged_in_to[g.status.index()] += u64::from(g.count);
    }
    for (st, logged_in) in s.statuses.iter().zip(logged_in_to) {
        let kind = if st.is_online() {
            let channels: Vec<&str> = st
                .channels
                .iter()
                .map(|c| s.channels[c.index()].name.as_str())
                .collect();
            format!("online: {}", channels.join(", "))
        } else {
            "busy (no channels)".to_owned()
        };
        let _ = writeln!(
            out,
            "  {:width$}  {:<28} {} agents log in here",
            st.api_name, kind, logged_in
        );
    }
    for g in &s.agents {
        let st = &s.statuses[g.status.index()];
        if !st.is_online() {
            notes.push(format!(
                "agent group \"{}\" logs in to \"{}\", which has no channels: its agents start busy and take no work",
                g.group, st.api_name
            ));
        }
    }

    out.push_str("\nqueues\n");
    let streams = s.stream_of_queue();
    for (i, q) in s.queues.iter().enumerate() {
        let r = &q.routing;
        let channel = &s.channels[q.channel.index()].name;
        let push = r.push_timeout.map_or("off".to_owned(), humanize);
        let cost = match r.cost {
            CapacityCost::Weight(1) => "1 unit".to_owned(),
            CapacityCost::Weight(w) => format!("{w} units"),
            CapacityCost::Percentage(p) => format!("{p}% of capacity"),
        };
        let _ = writeln!(out, "  {}", q.name);
        let ch = &s.channels[q.channel.index()];
        let pool = match r.pool {
            crate::omni::CapacityPool::Primary => "",
            crate::omni::CapacityPool::Interruptible => " (interruptible)",
        };
        let model = match ch.capacity_model {
            crate::omni::CapacityModel::Tab => "",
            crate::omni::CapacityModel::Status => ", status-based capacity",
        };
        let _ = writeln!(
            out,
            "    channel {channel}, {}, priority {}, push timeout {push}, cost {cost}{pool}{model}",
            r.model.as_str(),
            r.priority
        );
        // Items of this queue the agents online for its channel at login can
        // hold at once; floor, because a partial item does not fit.
        // Only groups that may take its items count, and Omni-Channel caps
        // an agent at MAX_OPEN_ITEMS whatever its capacity.
        let takers = may_take(s, QueueId(i as u32), &r.skills);
        let items_online: u64 = takers
            .iter()
            .filter(|g| s.statuses[g.status.index()].has_channel(q.channel))
            .map(|g| {
                let capacity = s.presence_configs[g.presence_config.index()].capacity;
                let cost = r.cost.units_for(capacity).0.max(1);
                let by_capacity = crate::omni::CapacityUnits::whole(capacity).0 / cost;
                if by_capacity > MAX_OPEN_ITEMS as u64 {
                    notes.push(format!(
                        "agent group \"{}\" could hold {by_capacity} items of queue \"{}\" at once by capacity; Omni-Channel caps an agent at {MAX_OPEN_ITEMS} open items, so {MAX_OPEN_ITEMS} is what counts",
                        g.group, q.name
                    ));
                }
                g.count as u64 * by_capacity.min(MAX_OPEN_ITEMS as u64)
            })
            .sum();
        let stream = streams[i].map(|k| &s.arrivals[k]);
        who_may_take_notes(s, QueueId(i as u32), stream, &mut notes);
        let who = match r.routing_type {
            RoutingType::Queue => {
                // The first few, so that a centre of many groups still
                // gets a summary of one screen.
                let mut names: Vec<&str> = takers
                    .iter()
                    .take(MAX_LISTED)
                    .map(|g| g.group.as_str())
                    .collect();
                let more = takers.len().saturating_sub(MAX_LISTED);
                let more = (more > 0).then(|| format!("… ({more} more)"));
                names.extend(more.as_deref());
                format!(
                    "members: {}",
                    if names.is_empty() {
                        "none".into()
                    } else {
                        names.join(", ")
                    }
                )
            }
            RoutingType::Skills => {
                let needs: Vec<String> = r
                    .skills
                    .iter()
                    .map(|k| format!("{} ≥ {}", s.skills[k.skill.index()].name, k.level))
                    .collect();
                let drop = r.drop_additional_skills_timeout.map_or(String::new(), |d| {
                    format!("; additional skills dropped every {}", humanize(d))
                });
                format!(
                    "skills-based, every item needs {}{drop}",
                    if needs.is_empty() {
                        "its own skills".into()
                    } else {
                        needs.join(", ")
                    }
                )
            }
        };
        let _ = writeln!(
            out,
            "    {who}; service level within {}",
            humanize(q.service_level_threshold)
        );
        let Some(a) = stream else {
            let _ = writeln!(out, "    no arrivals; capacity for {channel}, every group logged in: {items_online} items at once");
            notes.push(format!(
                "queue \"{}\" has no [[arrivals]]: no items enter it",
                q.name
            ));
            continue;
        };
        let handle = a.handle_time.mean_secs();
        let (mean_rate, rate_text) = match &a.rate {
            ArrivalRate::Constant(r) => (*r, format!("{} per hour", fmt_num(*r))),
            ArrivalRate::Profile {
                interval,
                per_hour: p,
                ..
            } => {
                // Past the last entry the last rate holds, so weigh it over
                // the segments of the day it covers.
                let n = (sim.duration.0.div_ceil(interval.0.max(1)) as usize).max(p.len());
                let last = *p.last().unwrap_or(&0.0);
                let mean = (p.iter().sum::<f64>() + last * (n - p.len()) as f64) / n as f64;
                let peak = p.iter().copied().fold(0.0, f64::max);
                (
                    mean,
                    format!(
                        "profile, mean {} / peak {} per hour",
                        fmt_num(mean),
                        fmt_num(peak)
                    ),
                )
            }
        };
        let load = match &a.rate {
            // A forecast's handle times move with its volumes: the load is
            // the mean of the intervals' loads.
            ArrivalRate::Profile {
                aht_scale: Some(_), ..
            } => {
                let per_interval = s.offered_per_interval(QueueId(i as u32));
                per_interval.iter().map(|l| l.erlangs()).sum::<f64>()
                    / per_interval.len().max(1) as f64
            }
            _ => mean_rate / 3600.0 * handle,
        };
        let scaled = match &a.rate {
            ArrivalRate::Profile {
                aht_scale: Some(_), ..
            } => " (scaled per interval by the forecast's aht_s)",
            _ => "",
        };
        let mut patience = a.patience.as_ref().map_or(String::new(), |p| {
            format!(", mean patience {}", secs(p.mean_secs()))
        });
        if let Some(r) = &a.retrial {
            let _ = write!(
                patience,
                "; {}% of those who abandon try again after a mean {}",
                fmt_num(r.probability * 100.0),
                secs(r.delay.mean_secs())
            );
        }
        let _ = writeln!(
            out,
            "    arrivals {rate_text}, mean handle time {}{scaled}{patience}",
            secs(handle)
        );
        let occupancy = if items_online > 0 {
            format!("occupancy ~{:.0}%", 100.0 * load / items_online as f64)
        } else {
            "no capacity online at login".to_owned()
        };
        let _ = writeln!(
            out,
            "    offered load {load:.2} Erlangs; capacity for {channel}, every group logged in: {items_online} items at once; {occupancy}"
        );
        if items_online == 0 {
            notes.push(format!(
                "queue \"{}\": no agent logs in to a status with channel \"{channel}\"; its items wait for a status change",
                q.name
            ));
        } else if load >= items_online as f64 && a.patience.is_none() {
            notes.push(format!(
                "queue \"{}\": offered load {load:.2} is at or above the {items_online} items online and nobody abandons; its backlog will grow without bound",
                q.name
            ));
        }
        for g in s.agents.iter().filter(|_| r.push_timeout.is_none()) {
            if g.behaviour.no_answer_probability > 0.0
                && s.statuses[g.status.index()].has_channel(q.channel)
            {
                notes.push(format!(
                    "agent group \"{}\" leaves some pushes unanswered but queue \"{}\" has no push timeout: those items stay with the agent until logout",
                    g.group, q.name
                ));
            }
        }
    }
    if s.queues.len() > 1 {
        out.push_str("  (occupancy assumes each queue has its agents to itself; queues sharing agents share their capacity)\n");
    }

    let _ = writeln!(
        out,
        "\nagents: {} in {} group(s)",
        s.agent_count(),
        s.agents.len()
    );
    for g in &s.agents {
        let config = &s.presence_configs[g.presence_config.index()];
        let shifts = super::roster::describe_shifts(s, g);
        let (shift, more) = match shifts.as_slice() {
            [(_, one)] => (format!(", shift {one}"), &[][..]),
            many => (String::new(), many),
        };
        let _ = writeln!(
            out,
            "  {} × {}: capacity {}, logs in to \"{}\"{shift}",
            g.count,
            g.group,
            config.capacity,
            s.statuses[g.status.index()].api_name
        );
        for (n, text) in more {
            let _ = writeln!(out, "      {n} × {text}");
        }
        if g.absence > 0.0 {
            let _ = writeln!(
                out,
                "      absence {}: each agent is absent for the day with that probability",
                g.absence
            );
        }
    }
    if !notes.is_empty() {
        out.push_str("\nnotes\n");
        for n in notes {
            let _ = writeln!(out, "  - {n}");
        }
    }
    out
}

/// The agent groups that may take an item of `queue` needing `skills`:
/// members for queue-based routing, holders of every skill otherwise.
fn may_take<'a>(
    s: &'a Scenario,
    queue: QueueId,
    skills: &[crate::omni::SkillRequirement],
) -> Vec<&'a crate::scenario::AgentGroup> {
    let routing_type = s.queues[queue.index()].routing.routing_type;
    s.agents
        .iter()
        .filter(|g| g.may_take(queue, routing_type, skills))
        .collect()
}

/// Most combinations of a skill mix [`who_may_take_notes`] checks one by
/// one: their number is the product of the choices' sizes, so a long mix
/// has more than any machine could list.
const MAX_MIX_COMBINATIONS: f64 = 4096.0;

/// Warnings about items nobody may ever take: a queue-based queue without
/// members, or a combination of skills no group has even after every
/// additional skill that can be dropped is dropped. `stream` is the
/// queue's arrival stream, if it has one.
fn who_may_take_notes(
    s: &Scenario,
    queue: QueueId,
    stream: Option<&crate::scenario::ArrivalStream>,
    notes: &mut Vec<String>,
) {
    let q = &s.queues[queue.index()];
    if q.routing.routing_type == RoutingType::Queue {
        if may_take(s, queue, &[]).is_empty() {
            notes.push(format!(
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
        notes.push(format!(
            "queue \"{}\": its skill_mix gives {} combinations of skills, too many to check one by one whether some agent group has each",
            q.name,
            super::bounds::count(combinations)
        ));
        return;
    }
    let droppable = q.routing.drop_additional_skills_timeout.is_some();
    // Every combination of the mix, with its share of the items.
    let mut combos: Vec<(Vec<crate::omni::SkillRequirement>, f64)> = vec![(
        q.routing.skills.iter().chain(&a.skills).copied().collect(),
        1.0,
    )];
    for choice in &a.skill_mix {
        combos = combos
            .into_iter()
            .flat_map(|(reqs, share)| {
                choice.choose.iter().map(move |(skill, p)| {
                    let mut r = reqs.clone();
                    r.push(crate::omni::SkillRequirement {
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
            notes.push(format!(
                "queue \"{}\": no agent group has {{{}}}, which {:.1}% of its items need{}; those items are never routed",
                q.name,
                words.join(", "),
                100.0 * share,
                if droppable { " after every additional skill is dropped" } else { "" }
            ));
        }
    }
}

fn fmt_num(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{x:.0}")
    } else {
        format!("{x:.1}")
    }
}

fn secs(x: f64) -> String {
    if x >= 60.0 {
        format!(
            "{} ({} s)",
            humanize(crate::time::SimDuration::from_secs_f64(x)),
            fmt_num(x)
        )
    } else {
        format!("{} s", fmt_num(x))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_shows_load_and_capacity() {
        let text = r#"
[simulation]
name = "Erlang"
duration = "10h"
[[channels]]
name = "chat"
[[statuses]]
name = "On"
channels = ["chat"]
[[statuses]]
name = "Off"
[[presence_configs]]
name = "c"
capacity = 3
[[queues]]
name = "q"
channel = "chat"
routing_model = "least_active"
capacity_percentage = 34
[[arrivals]]
queue = "q"
rate_per_hour = 120
handle_time = { dist = "exponential", mean = "5m" }
[[agents]]
group = "g"
count = 10
presence_config = "c"
status = "On"
[[agents]]
group = "late"
count = 1
presence_config = "c"
status = "Off"
"#;
        let s = Scenario::from_toml_str(text, "t.toml").unwrap();
        let out = render_summary(&s);
        assert!(out.contains("offered load 10.00 Erlangs"), "{out}");
        // 34% of 3 = 1.02 units: two items fit per agent, 10 agents.
        assert!(
            out.contains("logged in: 20 items at once; occupancy ~50%"),
            "{out}"
        );
        assert!(
            out.contains("\"late\" logs in to \"Off\", which has no channels"),
            "{out}"
        );
    }

    #[test]
    fn summary_warns_about_work_nobody_may_take_and_the_item_cap() {
        let text = r#"
[simulation]
name = "who"
duration = "1h"
[[channels]]
name = "chat"
[[statuses]]
name = "On"
channels = ["chat"]
[[skills]]
name = "French"
[[skills]]
name = "Premium"
[[presence_configs]]
name = "c"
capacity = 1
[[queues]]
name = "Orphan"
channel = "chat"
routing_model = "most_available"
capacity_weight = 1
[[queues]]
name = "Tiny"
channel = "chat"
routing_model = "most_available"
capacity_percentage = 0.5
[[queues]]
name = "Skills"
channel = "chat"
routing = "skills"
routing_model = "most_available"
capacity_weight = 1
drop_additional_skills_timeout = "30s"
[[arrivals]]
queue = "Skills"
rate_per_hour = 10
handle_time = "5m"
skills = [{ skill = "Premium", level = 9, additional = true, priority = 1 }]
skill_mix = [{ choose = { French = 0.25, Premium = 0.75 }, level = 5 }]
[[agents]]
group = "g"
count = 2
presence_config = "c"
status = "On"
queues = ["Tiny"]
skills = { Premium = 5 }
"#;
        let s = Scenario::from_toml_str(text, "who.toml").unwrap();
        let out = render_summary(&s);
        assert!(
            out.contains("queue \"Orphan\": no agent group belongs to it"),
            "{out}"
        );
        assert!(out.contains("members: none"), "{out}");
        // French ≥ 5 (a quarter of the items) is required and nobody has
        // it; Premium ≥ 9 is additional, so it can be dropped.
        assert!(
            out.contains("queue \"Skills\": no agent group has {French ≥ 5}, which 25.0% of its items need after every additional skill is dropped"),
            "{out}"
        );
        assert!(!out.contains("{Premium ≥ 5}"), "{out}");
        assert!(
            out.contains("could hold 200 items of queue \"Tiny\" at once by capacity; Omni-Channel caps an agent at 100"),
            "{out}"
        );
        assert!(out.contains("200 items at once"), "{out}");
    }
}
