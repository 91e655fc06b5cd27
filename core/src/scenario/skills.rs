//! Checks for who may take which work: the `[[skills]]` catalogue, skills
//! on routing configurations and arrival streams, queue membership and
//! agent skills (omni-reference §12.1–§12.3).
//!
//! Kept beside `validate` (whose helpers it uses) so the rules of one
//! feature read in one place.

use super::error::ScenarioErrorKind as Kind;
use super::raw::{RawArrivals, RawQueue, RawScenario, RawSecondary, RawSkillChoice, RawSkillReq};
use super::validate::{item, Ctx, Item, Names};
use super::{Queue, SecondaryPriority, SkillChoice};
use crate::omni::{
    ChannelId, PresenceStatus, QueueId, RoutingType, Skill, SkillId, SkillRequirement, StatusId,
};
use crate::time::SimDuration;
use rustc_hash::FxHashSet;
use std::collections::BTreeMap;
use toml::Spanned;

type Result<T> = std::result::Result<T, super::ScenarioError>;

/// Highest skill level (the docs use 0/1–10).
pub(crate) const MAX_LEVEL: i64 = 10;
/// How far probabilities may sum from 1.
const PROBABILITY_TOLERANCE: f64 = 1e-9;

/// `[[skills]]`: optional; names unique.
pub(super) fn catalogue(raw: &RawScenario, cx: &Ctx<'_>) -> Result<(Vec<Skill>, Names)> {
    let mut names = Names::default();
    let mut out = Vec::new();
    for (i, s) in raw.skills.iter().flatten().enumerate() {
        let mut it = item("skills", i, s);
        let name = cx.name(&mut it, &s.get_ref().name, "name", &mut names)?;
        out.push(Skill { name });
    }
    Ok((out, names))
}

fn level(cx: &Ctx<'_>, it: &Item, key: &str, v: &Option<Spanned<i64>>) -> Result<u8> {
    let Some(v) = v else { return Ok(0) };
    let n = *v.get_ref();
    if !(0..=MAX_LEVEL).contains(&n) {
        return Err(cx.at(
            Kind::InvalidValue,
            it,
            key,
            v,
            format!("skill level {n} is out of range; expected a level from 0 to {MAX_LEVEL}"),
        ));
    }
    Ok(n as u8)
}

/// `additional` and `priority` of a requirement or choice at `path`.
fn additional(
    cx: &Ctx<'_>,
    it: &Item,
    path: &str,
    additional: &Option<Spanned<bool>>,
    priority: &Option<Spanned<i64>>,
) -> Result<(bool, u32)> {
    let is_additional = additional.as_ref().is_some_and(|a| *a.get_ref());
    let priority = match priority {
        None => 0,
        Some(p) if !is_additional => {
            return Err(cx
                .at(
                    Kind::Inconsistent,
                    it,
                    &format!("{path}.priority"),
                    p,
                    "a skill priority is set on a required skill; only additional skills are dropped, in priority order".into(),
                )
                .with_hint("add additional = true, or remove priority"))
        }
        Some(p) => {
            let n = *p.get_ref();
            u32::try_from(n).map_err(|_| {
                cx.at(
                    Kind::InvalidValue,
                    it,
                    &format!("{path}.priority"),
                    p,
                    format!("skill priority {n} is negative; expected 0 or more (the highest value is dropped first)"),
                )
            })?
        }
    };
    Ok((is_additional, priority))
}

fn requirements(
    cx: &Ctx<'_>,
    it: &Item,
    key: &str,
    list: &[Spanned<RawSkillReq>],
    skills: &Names,
) -> Result<Vec<SkillRequirement>> {
    let mut out: Vec<SkillRequirement> = Vec::new();
    let mut seen: FxHashSet<SkillId> = FxHashSet::default();
    for (j, r) in list.iter().enumerate() {
        let path = format!("{key}[{j}]");
        let raw = r.get_ref();
        let Some(name) = &raw.skill else {
            return Err(cx
                .err(
                    Kind::MissingKey,
                    Some(r.span()),
                    it.path(&format!("{path}.skill")),
                    format!("{}: a skill requirement without `skill`", it.label),
                )
                .with_hint("e.g. { skill = \"French\", level = 5 }"));
        };
        let skill = SkillId(cx.resolve(
            it,
            &format!("{path}.skill"),
            name,
            skills,
            "skill",
            "skills",
        )?);
        if !seen.insert(skill) {
            return Err(cx.at(
                Kind::DuplicateName,
                it,
                &format!("{path}.skill"),
                name,
                format!("skill \"{}\" is required twice", name.get_ref()),
            ));
        }
        let level = level(cx, it, &format!("{path}.level"), &raw.level)?;
        let (additional, priority) = additional(cx, it, &path, &raw.additional, &raw.priority)?;
        out.push(SkillRequirement {
            skill,
            level,
            additional,
            priority,
        });
    }
    Ok(out)
}

/// What a queue's routing configuration says about skills.
pub(super) struct QueueRouting {
    pub routing_type: RoutingType,
    pub skills: Vec<SkillRequirement>,
    pub drop_timeout: Option<SimDuration>,
}

/// `routing`, `skills` and `drop_additional_skills_timeout` of a queue.
pub(super) fn queue_routing(
    cx: &Ctx<'_>,
    it: &Item,
    rq: &RawQueue,
    skills: &Names,
) -> Result<QueueRouting> {
    let routing_type = match &rq.routing {
        None => RoutingType::Queue,
        Some(r) => match r.get_ref().as_str() {
            "queue" => RoutingType::Queue,
            "skills" => RoutingType::Skills,
            other => {
                return Err(cx
                    .at(
                        Kind::InvalidValue,
                        it,
                        "routing",
                        r,
                        format!("unknown routing \"{other}\"; expected \"queue\" (queue members) or \"skills\" (skills-based)"),
                    )
                    .with_maybe_hint(
                        super::error::suggest(other, ["queue", "skills"])
                            .map(|s| format!("did you mean \"{s}\"?")),
                    ))
            }
        },
    };
    let skills_only = |key: &str, span: std::ops::Range<usize>| {
        cx.err(
            Kind::Inconsistent,
            Some(span),
            it.path(key),
            format!("{}: `{key}` applies to skills-based routing, but the queue is routed to its members", it.label),
        )
        .with_hint("add routing = \"skills\" to the queue, or remove the key")
    };
    if routing_type == RoutingType::Queue {
        if let Some(s) = &rq.skills {
            return Err(skills_only("skills", s.span()));
        }
        if let Some(d) = &rq.drop_additional_skills_timeout {
            return Err(skills_only("drop_additional_skills_timeout", d.span()));
        }
    }
    let fixed = match &rq.skills {
        Some(list) => requirements(cx, it, "skills", list.get_ref(), skills)?,
        None => Vec::new(),
    };
    let drop_timeout = match &rq.drop_additional_skills_timeout {
        Some(d) => {
            cx.positive(it, "drop_additional_skills_timeout", d)?;
            Some(cx.whole_seconds(
                it,
                "drop_additional_skills_timeout",
                d,
                "drop-additional-skills timeout",
                "above 0",
            )?)
        }
        None => None,
    };
    Ok(QueueRouting {
        routing_type,
        skills: fixed,
        drop_timeout,
    })
}

/// What an arrival stream adds to its items' routing.
pub(super) struct ArrivalRouting {
    pub skills: Vec<SkillRequirement>,
    pub skill_mix: Vec<SkillChoice>,
    pub priority: Option<i32>,
    pub secondary_priority: Option<SecondaryPriority>,
}

fn probabilities<'a>(
    cx: &Ctx<'_>,
    it: &Item,
    key: &str,
    span: std::ops::Range<usize>,
    ps: impl Iterator<Item = (String, &'a Spanned<f64>)>,
) -> Result<()> {
    let mut sum = 0.0;
    for (path, p) in ps {
        let v = *p.get_ref();
        if !(v.is_finite() && (0.0..=1.0).contains(&v)) {
            return Err(cx.at(
                Kind::InvalidValue,
                it,
                &path,
                p,
                format!("probability {v} is out of range; expected a probability from 0 to 1"),
            ));
        }
        sum += v;
    }
    if (sum - 1.0).abs() > PROBABILITY_TOLERANCE {
        return Err(cx
            .err(
                Kind::InvalidValue,
                Some(span),
                it.path(key),
                format!(
                    "{}: the probabilities of `{key}` sum to {}; expected 1",
                    it.label,
                    // Rounded, so 0.6 + 0.3 reads 0.9, not 0.8999999999999999.
                    (sum * 1e9).round() / 1e9
                ),
            )
            .with_hint("each item draws exactly one alternative, so the shares must add up to 1"));
    }
    Ok(())
}

fn choice(
    cx: &Ctx<'_>,
    it: &Item,
    path: &str,
    c: &Spanned<RawSkillChoice>,
    skills: &Names,
) -> Result<SkillChoice> {
    let raw = c.get_ref();
    let Some(choose) = &raw.choose else {
        return Err(cx
            .err(
                Kind::MissingKey,
                Some(c.span()),
                it.path(&format!("{path}.choose")),
                format!("{}: a skill choice without `choose`", it.label),
            )
            .with_hint("e.g. { choose = { English = 0.7, French = 0.3 }, level = 5 }"));
    };
    let map: &BTreeMap<String, Spanned<f64>> = choose.get_ref();
    if map.is_empty() {
        return Err(cx.at(
            Kind::InvalidValue,
            it,
            &format!("{path}.choose"),
            choose,
            "`choose` lists no skill; expected skills with their probabilities".into(),
        ));
    }
    let mut alternatives = Vec::new();
    for (name, p) in map {
        let key = format!("{path}.choose.{name}");
        let named = Spanned::new(p.span(), name.clone());
        let skill = SkillId(cx.resolve(it, &key, &named, skills, "skill", "skills")?);
        alternatives.push((skill, *p.get_ref()));
    }
    probabilities(
        cx,
        it,
        &format!("{path}.choose"),
        choose.span(),
        map.iter().map(|(n, p)| (format!("{path}.choose.{n}"), p)),
    )?;
    let level = level(cx, it, &format!("{path}.level"), &raw.level)?;
    let (additional, priority) = additional(cx, it, path, &raw.additional, &raw.priority)?;
    Ok(SkillChoice {
        choose: alternatives,
        level,
        additional,
        priority,
    })
}

fn secondary(cx: &Ctx<'_>, it: &Item, v: &Spanned<RawSecondary>) -> Result<SecondaryPriority> {
    let key = "secondary_priority";
    let whole = |n: i64, span: std::ops::Range<usize>, path: String| {
        u32::try_from(n).map_err(|_| {
            cx.err(
                Kind::InvalidValue,
                Some(span),
                it.path(&path),
                format!("{}: secondary priority {n} is out of range; expected a whole number of 0 or more (0 is the most urgent)", it.label),
            )
        })
    };
    match v.get_ref() {
        RawSecondary::Fixed(n) => Ok(SecondaryPriority::Fixed(whole(*n, v.span(), key.into())?)),
        RawSecondary::Discrete { values, p } => {
            if values.is_empty() || values.len() != p.len() {
                return Err(cx
                    .at(
                        Kind::Inconsistent,
                        it,
                        key,
                        v,
                        format!(
                            "`values` has {} entries and `p` {}; expected one probability per value",
                            values.len(),
                            p.len()
                        ),
                    )
                    .with_hint("e.g. secondary_priority = { values = [0, 1], p = [0.1, 0.9] }"));
            }
            let values = values
                .iter()
                .enumerate()
                .map(|(j, x)| whole(*x.get_ref(), x.span(), format!("{key}.values[{j}]")))
                .collect::<Result<Vec<u32>>>()?;
            probabilities(
                cx,
                it,
                key,
                v.span(),
                p.iter()
                    .enumerate()
                    .map(|(j, x)| (format!("{key}.p[{j}]"), x)),
            )?;
            Ok(SecondaryPriority::Discrete {
                values,
                p: p.iter().map(|x| *x.get_ref()).collect(),
            })
        }
    }
}

/// `skills`, `skill_mix`, `priority` and `secondary_priority` of a stream.
pub(super) fn arrival_routing(
    cx: &Ctx<'_>,
    it: &Item,
    ra: &RawArrivals,
    queue: &Queue,
    skills: &Names,
) -> Result<ArrivalRouting> {
    if queue.routing.routing_type == RoutingType::Queue {
        let given = [
            ra.skills.as_ref().map(|v| ("skills", v.span())),
            ra.skill_mix.as_ref().map(|v| ("skill_mix", v.span())),
            ra.priority.as_ref().map(|v| ("priority", v.span())),
        ];
        if let Some((key, span)) = given.into_iter().flatten().next() {
            return Err(cx
                .err(
                    Kind::Inconsistent,
                    Some(span),
                    it.path(key),
                    format!(
                        "{}: `{key}` applies to skills-based routing, but queue \"{}\" is routed to its members (an item's own priority and skills only count for skills-based routing)",
                        it.label, queue.name
                    ),
                )
                .with_hint(format!("add routing = \"skills\" to queue \"{}\", or remove `{key}`", queue.name)));
        }
    }
    let own = match &ra.skills {
        Some(list) => requirements(cx, it, "skills", list.get_ref(), skills)?,
        None => Vec::new(),
    };
    let fixed: FxHashSet<SkillId> = queue.routing.skills.iter().map(|f| f.skill).collect();
    if let Some(clash) = own.iter().find(|r| fixed.contains(&r.skill)) {
        let list = ra.skills.as_ref().expect("own skills are listed");
        return Err(cx.at(
            Kind::DuplicateName,
            it,
            "skills",
            list,
            format!(
                "skill \"{}\" is already fixed on queue \"{}\"; an item needs each skill once",
                skills.names[clash.skill.index()],
                queue.name
            ),
        ));
    }
    let mut skill_mix = Vec::new();
    for (j, c) in ra.skill_mix.iter().flat_map(|m| m.get_ref()).enumerate() {
        skill_mix.push(choice(cx, it, &format!("skill_mix[{j}]"), c, skills)?);
    }
    let priority = match &ra.priority {
        Some(p) => Some(i32::try_from(*p.get_ref()).map_err(|_| {
            cx.at(
                Kind::InvalidValue,
                it,
                "priority",
                p,
                format!(
                    "`priority` is {}; expected a whole number in the range of a routing priority",
                    p.get_ref()
                ),
            )
        })?),
        None => None,
    };
    let secondary_priority = match &ra.secondary_priority {
        Some(v) => Some(secondary(cx, it, v)?),
        None => None,
    };
    Ok(ArrivalRouting {
        skills: own,
        skill_mix,
        priority,
        secondary_priority,
    })
}

/// `queues` of an agent group; without it, every queue of a channel one of
/// its allowed statuses carries (§12.1).
pub(super) fn membership(
    cx: &Ctx<'_>,
    it: &Item,
    raw: &Option<Spanned<Vec<Spanned<String>>>>,
    names: &Names,
    queues: &[Queue],
    statuses: &[PresenceStatus],
    allowed: &[StatusId],
) -> Result<Vec<QueueId>> {
    let Some(list) = raw else {
        // The channels the allowed statuses carry, once, rather than each
        // status's list searched for every queue.
        let carried: FxHashSet<ChannelId> = allowed
            .iter()
            .flat_map(|s| statuses[s.index()].channels.iter().copied())
            .collect();
        return Ok(queues
            .iter()
            .enumerate()
            .filter(|(_, q)| carried.contains(&q.channel))
            .map(|(i, _)| QueueId(i as u32))
            .collect());
    };
    let mut out: Vec<QueueId> = Vec::new();
    let mut seen: FxHashSet<QueueId> = FxHashSet::default();
    for (j, q) in list.get_ref().iter().enumerate() {
        let key = format!("queues[{j}]");
        let id = QueueId(cx.resolve(it, &key, q, names, "queue", "queues")?);
        if !seen.insert(id) {
            return Err(cx.at(
                Kind::DuplicateName,
                it,
                &key,
                q,
                format!("queue \"{}\" is listed twice", q.get_ref()),
            ));
        }
        out.push(id);
    }
    out.sort();
    Ok(out)
}

/// `skills = { English = 7 }` of an agent group, sorted by skill.
pub(super) fn agent_skills(
    cx: &Ctx<'_>,
    it: &Item,
    raw: &Option<Spanned<BTreeMap<String, Spanned<i64>>>>,
    names: &Names,
) -> Result<Vec<(SkillId, u8)>> {
    let mut out = Vec::new();
    for (name, lvl) in raw.iter().flat_map(|m| m.get_ref()) {
        let key = format!("skills.{name}");
        let named = Spanned::new(lvl.span(), name.clone());
        let skill = SkillId(cx.resolve(it, &key, &named, names, "skill", "skills")?);
        out.push((skill, level(cx, it, &key, &Some(lvl.clone()))?));
    }
    out.sort();
    Ok(out)
}
