//! The agents: who worked which hours with which breaks (from their
//! presence spells), in which groups (same capacity, queues and skills),
//! and how each group answered pushes (declines, push timeouts, answer
//! times).

use super::day::Day;
use super::queues::{mode, QueueCal};
use crate::calibrate::fit::survival::answer_times;
use crate::calibrate::read::{Export, PresenceRecord};
use crate::salesforce::SalesforceId;
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// One agent: a user with presence spells.
#[derive(Clone, Debug, Serialize)]
pub struct AgentCal {
    /// The user's id: where the agent is in the org.
    pub user: SalesforceId,
    /// `User.Name`, or the id without User.csv.
    pub name: String,
    /// Its group (index into the groups).
    pub group: usize,
    /// Login, from the start of the day \[s\].
    pub shift_start_s: f64,
    /// End of the shift \[s\]: the start of its final shift-end spell, or
    /// its logout.
    pub shift_end_s: f64,
    /// Breaks: start and end \[s\] and status (index into the statuses).
    pub breaks: Vec<(f64, f64, usize)>,
}

/// How a group answered pushes.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Answering {
    /// Pushes that ended in an answer or a timeout (those canceled or
    /// made unavailable first are not counted).
    pub pushes: u64,
    /// Accepted.
    pub accepted: u64,
    /// Declined.
    pub declined: u64,
    /// Timed out.
    pub timed_out: u64,
    /// Declined ÷ answered (accepted + declined).
    pub decline_probability: f64,
    /// Mean answer time (push → accept or decline) of exponential answer
    /// times, fitted with the pushes cut off by their timeout or withdrawn
    /// before an answer counted as censored \[s\].
    pub response_mean_s: Option<f64>,
    /// The push timeout the answers were cut off at \[s\].
    pub push_timeout_s: Option<f64>,
    /// Share of pushes never answered (times out whatever the answer
    /// time).
    pub no_answer_probability: f64,
    /// Every accepted push accepted at the instant of the push, none
    /// declined: the presence configuration auto-accepts.
    pub auto_accept: bool,
    /// Reasons given when declining.
    pub decline_reasons: Vec<String>,
}

/// A group of agents alike in capacity, queues and skills.
#[derive(Clone, Debug, Serialize)]
pub struct GroupCal {
    /// Its name: the queues it served.
    pub name: String,
    /// Configured capacity.
    pub capacity: u32,
    /// Queues it is a member of (indices into the queues).
    #[serde(skip)]
    pub queues: Vec<usize>,
    /// Skills and levels.
    #[serde(skip)]
    pub skills: Vec<(SalesforceId, u8)>,
    /// Login status (index into the statuses).
    #[serde(skip)]
    pub login_status: usize,
    /// The busy status its agents finish their shift in, if they use one.
    #[serde(skip)]
    pub shift_end_status: Option<usize>,
    /// How it answered pushes.
    pub answering: Answering,
    /// Its agents.
    pub agents: usize,
}

/// A presence status of the export.
#[derive(Clone, Debug, Serialize)]
pub struct StatusCal {
    /// Its id.
    #[serde(skip)]
    pub id: SalesforceId,
    /// API name.
    pub name: String,
    /// Label.
    pub label: String,
    /// Channels pushed to agents in it (indices into the channels).
    #[serde(skip)]
    pub channels: Vec<usize>,
}

/// The agents, their groups and the statuses.
#[derive(Debug, Default)]
pub struct People {
    /// Agents, in user id order.
    pub agents: Vec<AgentCal>,
    /// Groups.
    pub groups: Vec<GroupCal>,
    /// Statuses seen, in id order.
    pub statuses: Vec<StatusCal>,
    /// What could not be read as the model has it.
    pub notes: Vec<String>,
}

/// Spells of one user, in time order.
fn spells_by_user(export: &Export) -> BTreeMap<&SalesforceId, Vec<&PresenceRecord>> {
    let mut m: BTreeMap<&SalesforceId, Vec<&PresenceRecord>> = BTreeMap::new();
    for p in &export.presence {
        m.entry(&p.user).or_default().push(p);
    }
    for v in m.values_mut() {
        v.sort_by_key(|p| (p.start, p.line));
    }
    m
}

/// The people of an export.
pub fn calibrate_people(
    export: &Export,
    day: &Day,
    queues: &[QueueCal],
    channels: &[SalesforceId],
) -> People {
    let mut notes = Vec::new();
    let spells = spells_by_user(export);
    // Statuses, and the channels pushed in each: the status of the spell
    // a push fell in carries the push's channel.
    let mut status_ids: BTreeSet<&SalesforceId> =
        export.presence.iter().map(|p| &p.status).collect();
    status_ids.extend(export.statuses.keys());
    let status_index: BTreeMap<&SalesforceId, usize> = status_ids
        .iter()
        .enumerate()
        .map(|(i, s)| (*s, i))
        .collect();
    let mut carried: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); status_ids.len()];
    for w in &export.works {
        let Some(list) = spells.get(&w.user) else {
            continue;
        };
        let at = list
            .iter()
            .rev()
            .find(|p| p.start <= w.assigned && p.end.is_none_or(|e| w.assigned <= e));
        if let (Some(p), Some(c)) = (at, channels.iter().position(|c| *c == w.channel)) {
            carried[status_index[&p.status]].insert(c);
        }
    }
    let statuses: Vec<StatusCal> = status_ids
        .iter()
        .enumerate()
        .map(|(i, id)| {
            let named = export.statuses.get(*id);
            StatusCal {
                id: (*id).clone(),
                name: named.map_or_else(|| id.to_string(), |n| n.name.clone()),
                label: named
                    .and_then(|n| n.other.clone())
                    .unwrap_or_else(|| named.map_or_else(|| id.to_string(), |n| n.name.clone())),
                channels: carried[i].iter().copied().collect(),
            }
        })
        .collect();
    let online = |s: usize| !statuses[s].channels.is_empty();

    // Users' features: capacity, membership, skills.
    let queue_index: BTreeMap<&SalesforceId, usize> =
        queues.iter().enumerate().map(|(i, q)| (&q.id, i)).collect();
    let mut pushed_from: BTreeMap<&SalesforceId, BTreeSet<usize>> = BTreeMap::new();
    for w in &export.works {
        if let Some(q) = queue_index.get(&w.queue) {
            pushed_from.entry(&w.user).or_default().insert(*q);
        }
    }
    let users: Vec<&SalesforceId> = spells.keys().copied().collect();
    let without_presence = export
        .works
        .iter()
        .map(|w| &w.user)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .filter(|u| !spells.contains_key(u))
        .count();
    if without_presence > 0 {
        notes.push(format!(
            "{without_presence} users have AgentWork but no presence spell: they are left out \
             (export UserServicePresence for the same day)"
        ));
    }
    let inferred_skills = export.agent_skills.is_none();
    if inferred_skills && !export.work_skills.is_empty() {
        notes.push(
            "ServiceResourceSkill.csv not exported: each agent's skills are the highest levels \
             asked of the work it accepted (a lower bound)"
                .into(),
        );
    }
    let accepted_skills = skills_accepted(export);
    type Key = (u32, Vec<usize>, Vec<(SalesforceId, u8)>);
    let mut keys: Vec<Key> = Vec::new();
    for u in &users {
        let capacity =
            mode(spells[u].iter().map(|p| p.capacity.round().max(1.0) as u32)).unwrap_or(1);
        let members: Vec<usize> = match &export.members {
            Some(m) => queues
                .iter()
                .enumerate()
                .filter(|(_, q)| !q.skills_based && m.contains(&(q.id.clone(), (*u).clone())))
                .map(|(i, _)| i)
                .collect(),
            None => pushed_from
                .get(u)
                .map(|s| {
                    s.iter()
                        .copied()
                        .filter(|q| !queues[*q].skills_based)
                        .collect()
                })
                .unwrap_or_default(),
        };
        let skills: Vec<(SalesforceId, u8)> = match &export.agent_skills {
            Some(m) => m
                .get(*u)
                .map(|s| {
                    s.iter()
                        .map(|(k, l)| (k.clone(), l.round().clamp(0.0, 10.0) as u8))
                        .collect()
                })
                .unwrap_or_default(),
            None => accepted_skills.get(*u).cloned().unwrap_or_default(),
        };
        keys.push((capacity, members, skills));
    }
    let mut distinct: Vec<&Key> = keys.iter().collect();
    distinct.sort();
    distinct.dedup();
    let group_of: Vec<usize> = keys
        .iter()
        .map(|k| distinct.iter().position(|d| *d == k).expect("listed"))
        .collect();

    // Group names: the queues its agents were pushed work from.
    let mut names: Vec<String> = distinct
        .iter()
        .enumerate()
        .map(|(g, _)| {
            let served: BTreeSet<usize> = users
                .iter()
                .zip(&group_of)
                .filter(|(_, gg)| **gg == g)
                .flat_map(|(u, _)| pushed_from.get(*u).into_iter().flatten().copied())
                .collect();
            if served.is_empty() {
                "Agents".to_string()
            } else {
                served
                    .iter()
                    .map(|q| queues[*q].name.as_str())
                    .collect::<Vec<_>>()
                    .join(" & ")
            }
        })
        .collect();
    unique_names(&mut names);

    // Rosters.
    let work_ends = decline_instants(export);
    let mut agents = Vec::new();
    let mut shift_end_statuses: Vec<Option<usize>> = vec![None; distinct.len()];
    for (g, _) in distinct.iter().enumerate() {
        // The status a group finishes in: one that, for its agents, only
        // ever comes last before a logout.
        let mut last: Vec<usize> = Vec::new();
        let mut mid: BTreeSet<usize> = BTreeSet::new();
        for (u, gg) in users.iter().zip(&group_of) {
            if *gg != g {
                continue;
            }
            let list = &spells[u];
            for (i, p) in list.iter().enumerate() {
                let s = status_index[&p.status];
                let ends_session = match list.get(i + 1) {
                    None => p.end.is_some(),
                    Some(next) => p
                        .end
                        .is_some_and(|e| next.start > e + chrono::Duration::seconds(1)),
                };
                if ends_session && !online(s) {
                    last.push(s);
                } else {
                    mid.insert(s);
                }
            }
        }
        shift_end_statuses[g] = mode(last.into_iter().filter(|s| !mid.contains(s)));
    }
    let mut offline_gaps = 0;
    for (u, g) in users.iter().zip(&group_of) {
        let list = &spells[u];
        let start = day.offset(list[0].start).max(0.0);
        let end_status = shift_end_statuses[*g];
        let last = list.last().expect("a user with spells");
        let (shift_end, final_spell) = match (end_status, last.end) {
            (Some(s), Some(_)) if status_index[&last.status] == s => {
                (day.offset(last.start), Some(list.len() - 1))
            }
            (_, Some(e)) => (day.offset(e), None),
            (_, None) => (day.duration_s.max(day.offset(last.start)), None),
        };
        let declines = work_ends.get(*u);
        let mut breaks = Vec::new();
        for (i, p) in list.iter().enumerate() {
            let s = status_index[&p.status];
            if Some(i) == final_spell || online(s) || i == 0 {
                continue;
            }
            // A busy spell that starts as a push is declined or times out
            // is the configuration's status on decline, not a break.
            let after_decline = declines.is_some_and(|d| {
                d.iter()
                    .any(|t| (p.start - *t).num_milliseconds().abs() <= 1)
            });
            if after_decline {
                continue;
            }
            let b_end = p.end.map_or(shift_end, |e| day.offset(e)).min(shift_end);
            breaks.push((day.offset(p.start), b_end, s));
            // Logged out and back in later: the gap is a break too.
        }
        for w in list.windows(2) {
            if let Some(e) = w[0].end {
                if w[1].start > e + chrono::Duration::seconds(1) {
                    offline_gaps += 1;
                    let s = end_status.or_else(|| (0..statuses.len()).find(|s| !online(*s)));
                    if let Some(s) = s {
                        breaks.push((day.offset(e), day.offset(w[1].start), s));
                    }
                }
            }
        }
        breaks.sort_by(|a, b| a.0.total_cmp(&b.0));
        breaks.retain(|b| b.1 > b.0 && b.0 > start && b.1 <= shift_end);
        agents.push(AgentCal {
            user: (*u).clone(),
            name: export
                .users
                .get(*u)
                .map_or_else(|| u.to_string(), |n| n.name.clone()),
            group: *g,
            shift_start_s: start,
            shift_end_s: shift_end.max(start + 1.0),
            breaks,
        });
    }
    if offline_gaps > 0 {
        notes.push(format!(
            "{offline_gaps} times an agent logged out and back in within the day: the time \
             logged out is a break of the roster"
        ));
    }

    let groups = distinct
        .iter()
        .enumerate()
        .map(|(g, (capacity, members, skills))| {
            let members_users: BTreeSet<&SalesforceId> = users
                .iter()
                .zip(&group_of)
                .filter(|(_, gg)| **gg == g)
                .map(|(u, _)| *u)
                .collect();
            let login = mode(
                members_users
                    .iter()
                    .map(|u| status_index[&spells[*u][0].status]),
            )
            .unwrap_or(0);
            GroupCal {
                name: names[g].clone(),
                capacity: *capacity,
                queues: members.clone(),
                skills: skills.clone(),
                login_status: login,
                shift_end_status: shift_end_statuses[g],
                answering: answering(export, &members_users),
                agents: members_users.len(),
            }
        })
        .collect();
    People {
        agents,
        groups,
        statuses,
        notes,
    }
}

/// Each user's decline and push-timeout instants.
fn decline_instants(export: &Export) -> BTreeMap<&SalesforceId, Vec<DateTime<Utc>>> {
    let mut m: BTreeMap<&SalesforceId, Vec<DateTime<Utc>>> = BTreeMap::new();
    for w in &export.works {
        if let Some(t) = w.declined.or(w.timed_out) {
            m.entry(&w.user).or_default().push(t);
        }
    }
    m
}

/// Each user's skills as the work it accepted asked for them: the
/// highest level of each skill.
fn skills_accepted(export: &Export) -> BTreeMap<&SalesforceId, Vec<(SalesforceId, u8)>> {
    let user_of: BTreeMap<&SalesforceId, &SalesforceId> = export
        .works
        .iter()
        .filter(|w| w.accepted.is_some())
        .map(|w| (&w.id, &w.user))
        .collect();
    let mut m: BTreeMap<&SalesforceId, BTreeMap<SalesforceId, u8>> = BTreeMap::new();
    for s in &export.work_skills {
        if s.dropped {
            continue;
        }
        if let Some(u) = user_of.get(&s.work) {
            let l = s.level.round().clamp(0.0, 10.0) as u8;
            let e = m.entry(*u).or_default().entry(s.skill.clone()).or_insert(l);
            *e = (*e).max(l);
        }
    }
    m.into_iter()
        .map(|(u, s)| (u, s.into_iter().collect()))
        .collect()
}

/// How the users of a group answered their pushes.
fn answering(export: &Export, users: &BTreeSet<&SalesforceId>) -> Answering {
    let mut a = Answering::default();
    let (mut answers, mut timeouts, mut withdrawn) = (Vec::new(), Vec::new(), Vec::new());
    let mut reasons = BTreeSet::new();
    let mut instant_accepts = true;
    for w in export.works.iter().filter(|w| users.contains(&w.user)) {
        let secs = |t: DateTime<Utc>| (t - w.assigned).num_milliseconds() as f64 / 1000.0;
        match (w.accepted, w.declined, w.timed_out) {
            (Some(t), _, _) => {
                a.accepted += 1;
                answers.push(secs(t));
                if secs(t) > 0.001 {
                    instant_accepts = false;
                }
            }
            (None, Some(t), _) => {
                a.declined += 1;
                answers.push(secs(t));
                if let Some(r) = &w.decline_reason {
                    reasons.insert(r.clone());
                }
            }
            (None, None, Some(t)) => {
                a.timed_out += 1;
                timeouts.push(secs(t));
            }
            (None, None, None) => {
                // Withdrawn before an answer: canceled or made unavailable
                // at a known time, or still waiting at the end of the data.
                let until = w.canceled.or(w.closed);
                if let Some(t) = until {
                    withdrawn.push(secs(t));
                }
            }
        }
    }
    a.pushes = a.accepted + a.declined + a.timed_out;
    let answered = a.accepted + a.declined;
    a.decline_probability = if answered > 0 {
        a.declined as f64 / answered as f64
    } else {
        0.0
    };
    a.push_timeout_s = mode(timeouts.iter().map(|t| t.round() as i64)).map(|t| t as f64);
    if let Some(fit) = answer_times(&answers, &timeouts, &withdrawn) {
        a.response_mean_s = Some(fit.mean_s);
        a.no_answer_probability = fit.never_answered;
    }
    a.auto_accept = instant_accepts && a.declined == 0 && a.timed_out == 0 && a.accepted > 0;
    a.decline_reasons = reasons.into_iter().collect();
    a
}

/// Makes names unique by numbering repeats: `Chat`, `Chat 2`.
pub fn unique_names(names: &mut [String]) {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for n in names.iter_mut() {
        let count = seen.entry(n.clone()).or_default();
        *count += 1;
        if *count > 1 {
            *n = format!("{n} {count}");
        }
    }
}
