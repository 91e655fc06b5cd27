//! The one-screen summary `omnisim check` prints.
//!
//! Its job is a sanity check before a long run: does the staffing roughly
//! fit the load? So besides echoing the settings it computes each queue's
//! offered load in Erlangs and the capacity online for its channel at login,
//! and points out set-ups that are legal but probably not meant.

use super::advice::may_take;
use super::validate::{humanize, interval_count};
use super::{ArrivalRate, Scenario};
use crate::omni::{CapacityCost, CapacityPool, QueueId, RoutingType, MAX_OPEN_ITEMS};
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
    let offered = s.offered_work();
    // The queues each queue's transfers come from, in one pass over the
    // arrivals rather than one per queue.
    let mut sources_of: Vec<Vec<&str>> = vec![Vec::new(); s.queues.len()];
    for a in &s.arrivals {
        if let Some(t) = &a.transfer {
            sources_of[t.to_queue.index()].push(s.queues[a.queue.index()].name.as_str());
        }
    }
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
        // hold at once, in the queue's own pool; floor, because a partial
        // item does not fit. Only groups that may take its items count, and
        // Omni-Channel caps an agent at MAX_OPEN_ITEMS whatever its capacity.
        let id = QueueId(i as u32);
        let takers = may_take(s, id, &r.skills);
        let on_channel: Vec<_> = takers
            .iter()
            .filter(|g| s.statuses[g.status.index()].has_channel(q.channel))
            .collect();
        let items_online: u64 = on_channel
            .iter()
            .map(|g| {
                let config = &s.presence_configs[g.presence_config.index()];
                let capacity = match r.pool {
                    CapacityPool::Primary => config.capacity,
                    CapacityPool::Interruptible => config.interruptible_capacity,
                };
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
        let pool_words = match r.pool {
            CapacityPool::Primary => "",
            CapacityPool::Interruptible => " (interruptible pools)",
        };
        let stream = streams[i].map(|k| &s.arrivals[k]);
        let sources = &sources_of[i];
        let work = &offered[i];
        let mean = |f: &dyn Fn(&super::IntervalLoad) -> f64| {
            work.iter().map(f).sum::<f64>() / work.len().max(1) as f64
        };
        let (load, entering) = (mean(&|l| l.erlangs()), mean(&|l| l.rate_per_hour));
        let Some(a) = stream else {
            if sources.is_empty() {
                let _ = writeln!(out, "    no arrivals; capacity for {channel}{pool_words}, every group logged in: {items_online} items at once");
                notes.push(format!(
                    "queue \"{}\" has no [[arrivals]] and nothing is transferred to it: no items enter it",
                    q.name
                ));
                continue;
            }
            let _ = writeln!(
                out,
                "    no arrivals of its own; transfers in from {}: about {} per hour",
                sources.join(", "),
                fmt_num(entering)
            );
            load_lines(
                &mut out,
                &mut notes,
                q,
                channel,
                pool_words,
                load,
                items_online,
                false,
            );
            capacity_notes(s, &mut notes, q, &takers, &on_channel, items_online);
            continue;
        };
        let handle = a.handle_time.mean_secs();
        let rate_text = match &a.rate {
            ArrivalRate::Constant(r) => format!("{} per hour", fmt_num(*r)),
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
                format!(
                    "profile, mean {} / peak {} per hour",
                    fmt_num(mean),
                    fmt_num(peak)
                )
            }
        };
        let scaled = match &a.rate {
            ArrivalRate::Profile {
                aht_scale: Some(_), ..
            } => " (scaled per interval by the forecast's aht_s)",
            _ => "",
        };
        let wrap = s.closing_wrap_up_s(Some(a), id);
        let wrap_text = if wrap > 0.0 {
            format!(" + wrap-up {}", secs(wrap))
        } else {
            String::new()
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
            "    arrivals {rate_text}, mean handle time {}{scaled}{wrap_text}{patience}",
            secs(handle)
        );
        if let Some(t) = &a.transfer {
            let _ = writeln!(
                out,
                "    {}% transferred to \"{}\" after a mean {} (what is left of their handle time is its agents' work)",
                fmt_num(t.probability * 100.0),
                s.queues[t.to_queue.index()].name,
                secs(t.after.mean_secs())
            );
        }
        if !sources.is_empty() {
            let _ = writeln!(
                out,
                "    transfers in from {}: about {} items per hour in all, arrivals included",
                sources.join(", "),
                fmt_num(entering)
            );
        }
        load_lines(
            &mut out,
            &mut notes,
            q,
            channel,
            pool_words,
            load,
            items_online,
            a.patience.is_none(),
        );
        capacity_notes(s, &mut notes, q, &takers, &on_channel, items_online);
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

/// The offered-load line of a queue, and the note when nobody abandons
/// and the load is at or above what its agents can hold.
#[allow(clippy::too_many_arguments)]
fn load_lines(
    out: &mut String,
    notes: &mut Vec<String>,
    q: &super::Queue,
    channel: &str,
    pool_words: &str,
    load: f64,
    items_online: u64,
    nobody_abandons: bool,
) {
    let occupancy = if items_online > 0 {
        format!("occupancy ~{:.0}%", 100.0 * load / items_online as f64)
    } else {
        "no capacity online at login".to_owned()
    };
    let _ = writeln!(
        out,
        "    offered load {load:.2} Erlangs (handling and wrap-up); capacity for {channel}{pool_words}, every group logged in: {items_online} items at once; {occupancy}"
    );
    if items_online > 0 && load >= items_online as f64 && nobody_abandons {
        notes.push(format!(
            "queue \"{}\": offered load {load:.2} is at or above the {items_online} items online and nobody abandons; its backlog will grow without bound",
            q.name
        ));
    }
}

/// Why a queue has no capacity online at login, said precisely: nobody
/// may take it (a warning says so already), those who may log in to a
/// status without its channel, or they have no room for its items in
/// its pool.
fn capacity_notes(
    s: &Scenario,
    notes: &mut Vec<String>,
    q: &super::Queue,
    takers: &[&super::AgentGroup],
    on_channel: &[&&super::AgentGroup],
    items_online: u64,
) {
    if items_online > 0 || takers.is_empty() {
        return;
    }
    let channel = &s.channels[q.channel.index()].name;
    let who = match q.routing.routing_type {
        RoutingType::Queue => "its members",
        RoutingType::Skills => "the agents with its skills",
    };
    let names = |gs: &mut dyn Iterator<Item = &str>| gs.collect::<Vec<_>>().join(", ");
    if on_channel.is_empty() {
        let others: Vec<&str> = s
            .agents
            .iter()
            .filter(|g| s.statuses[g.status.index()].has_channel(q.channel))
            .filter(|g| !takers.iter().any(|t| t.group == g.group))
            .map(|g| g.group.as_str())
            .collect();
        let carried = if others.is_empty() {
            String::new()
        } else {
            format!(
                " (groups {} log in on \"{channel}\" but may not take its items)",
                others.join(", ")
            )
        };
        notes.push(format!(
            "queue \"{}\": none of {who} ({}) logs in to a status with channel \"{channel}\"{carried}; its items wait for one of them to change status",
            q.name,
            names(&mut takers.iter().map(|g| g.group.as_str()))
        ));
        return;
    }
    let pool = match q.routing.pool {
        CapacityPool::Primary => "capacity",
        CapacityPool::Interruptible => "interruptible_capacity",
    };
    notes.push(format!(
        "queue \"{}\": {who} who log in on \"{channel}\" ({}) have no room for one of its items in their {pool}; its items are never routed",
        q.name,
        names(&mut on_channel.iter().map(|g| g.group.as_str()))
    ));
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
        // Work nobody may take is a warning (check and run print it on
        // standard error), not a note of the summary.
        let warned = s.warnings.join("\n");
        assert!(
            warned.contains("queue \"Orphan\": no agent group belongs to it"),
            "{warned}"
        );
        assert!(!out.contains("no agent group belongs to it"), "{out}");
        assert!(out.contains("members: none"), "{out}");
        // French ≥ 5 (a quarter of the items) is required and nobody has
        // it; Premium ≥ 9 is additional, so it can be dropped.
        assert!(
            warned.contains("queue \"Skills\": no agent group has {French ≥ 5}, which 25.0% of its items need after every additional skill is dropped"),
            "{warned}"
        );
        assert!(!warned.contains("{Premium ≥ 5}"), "{warned}");
        assert!(!out.contains("no agent logs in"), "{out}");
        assert!(
            out.contains("could hold 200 items of queue \"Tiny\" at once by capacity; Omni-Channel caps an agent at 100"),
            "{out}"
        );
        assert!(out.contains("200 items at once"), "{out}");
    }

    /// A desk of chat (primary) and email (interruptible) with `extra`
    /// appended to its text.
    fn desk(extra: &str, config: &str) -> Scenario {
        let text = format!(
            r#"
[simulation]
name = "desk"
duration = "2h"
interval = "1h"
[[channels]]
name = "chat"
[[channels]]
name = "email"
interruptible = true
[[statuses]]
name = "On"
channels = ["chat", "email"]
[[statuses]]
name = "Chat_Only"
channels = ["chat"]
[[presence_configs]]
name = "c"
capacity = 2
{config}
[[queues]]
name = "Chat"
channel = "chat"
routing_model = "most_available"
capacity_weight = 1
[[queues]]
name = "Email"
channel = "email"
routing_model = "most_available"
capacity_weight = 1
[[arrivals]]
queue = "Chat"
rate_per_hour = 30
handle_time = "4m"
[[arrivals]]
queue = "Email"
rate_per_hour = 10
handle_time = "12m"
{extra}
"#
        );
        Scenario::from_toml_str(&text, "desk.toml").unwrap()
    }

    const TEAM: &str = r#"[[agents]]
group = "Team"
count = 2
presence_config = "c"
status = "On"
wrap_up = "1m""#;

    #[test]
    fn interruptible_work_is_counted_in_its_own_pool() {
        let out = render_summary(&desk(TEAM, "interruptible_capacity = 3"));
        // Email holds 3 per agent in the interruptible pool, not 2.
        assert!(
            out.contains(
                "capacity for email (interruptible pools), every group logged in: 6 items at once"
            ),
            "{out}"
        );
        assert!(
            out.contains("capacity for chat, every group logged in: 4 items at once"),
            "{out}"
        );
        let none = render_summary(&desk(TEAM, "interruptible_capacity = 0"));
        assert!(
            none.contains("every group logged in: 0 items at once"),
            "{none}"
        );
        assert!(
            none.contains("queue \"Email\": its members who log in on \"email\" (Team) have no room for one of its items in their interruptible_capacity"),
            "{none}"
        );
        assert!(!none.contains("logs in to a status with channel"), "{none}");
    }

    #[test]
    fn the_offered_load_counts_the_wrap_up_that_holds_capacity() {
        let out = render_summary(&desk(TEAM, ""));
        // 30/h × (4 m + 1 m) = 2.5 Erlangs; 10/h × (12 m + 1 m).
        assert!(
            out.contains("mean handle time 4m (240 s) + wrap-up 1m (60 s)"),
            "{out}"
        );
        assert!(
            out.contains("offered load 2.50 Erlangs (handling and wrap-up)"),
            "{out}"
        );
        assert!(
            out.contains("offered load 2.17 Erlangs (handling and wrap-up)"),
            "{out}"
        );
    }

    #[test]
    fn members_off_the_channel_are_told_apart_from_non_members_on_it() {
        // The members log in to a chat-only status; another group carries
        // email but is not a member of Email.
        let text = r#"[[agents]]
group = "Members"
count = 2
presence_config = "c"
status = "Chat_Only"
[[agents]]
group = "Others"
count = 2
presence_config = "c"
status = "On"
queues = ["Chat"]"#;
        let out = render_summary(&desk(text, ""));
        assert!(
            out.contains("queue \"Email\": none of its members (Members) logs in to a status with channel \"email\" (groups Others log in on \"email\" but may not take its items); its items wait for one of them to change status"),
            "{out}"
        );
    }

    #[test]
    fn a_queue_fed_only_by_transfers_is_not_said_to_receive_nothing() {
        let text = r#"[[queues]]
name = "Loans"
channel = "chat"
routing_model = "most_available"
capacity_weight = 1
[[agents]]
group = "Team"
count = 2
presence_config = "c"
status = "On""#;
        let s = desk(text, "").clone();
        let mut s = s;
        s.arrivals[0].transfer = Some(crate::scenario::Transfer {
            probability: 0.5,
            to_queue: QueueId(2),
            after: crate::distribution::Distribution::Constant { value: 60.0 },
        });
        let out = render_summary(&s);
        assert!(!out.contains("no items enter it"), "{out}");
        assert!(
            out.contains("no arrivals of its own; transfers in from Chat: about 15 per hour"),
            "{out}"
        );
        // Half the chats go on after a minute with 3 minutes left.
        assert!(
            out.contains("offered load 0.75 Erlangs (handling and wrap-up)"),
            "{out}"
        );
        assert!(
            out.contains("50% transferred to \"Loans\" after a mean 1m (60 s)"),
            "{out}"
        );
    }

    #[test]
    fn a_drop_timeout_past_the_threshold_is_a_warning() {
        let text = |timeout: &str| {
            format!(
                r#"
[simulation]
name = "drop"
duration = "1h"
[[channels]]
name = "chat"
[[statuses]]
name = "On"
channels = ["chat"]
[[skills]]
name = "Senior"
[[presence_configs]]
name = "c"
capacity = 1
[[queues]]
name = "Loans"
channel = "chat"
routing = "skills"
routing_model = "most_available"
capacity_weight = 1
drop_additional_skills_timeout = "{timeout}"
[[arrivals]]
queue = "Loans"
rate_per_hour = 10
handle_time = "5m"
skills = [{{ skill = "Senior", level = 5, additional = true }}]
[[agents]]
group = "g"
count = 2
presence_config = "c"
status = "On"
skills = {{ Senior = 3 }}
"#
            )
        };
        let late = Scenario::from_toml_str(&text("30s"), "drop.toml").unwrap();
        assert_eq!(late.warnings.len(), 1, "{:?}", late.warnings);
        assert!(
            late.warnings[0].starts_with("queue \"Loans\": drop_additional_skills_timeout 30s is longer than its service-level threshold 20s"),
            "{:?}",
            late.warnings
        );
        let soon = Scenario::from_toml_str(&text("15s"), "drop.toml").unwrap();
        assert!(soon.warnings.is_empty(), "{:?}", soon.warnings);
    }
}
