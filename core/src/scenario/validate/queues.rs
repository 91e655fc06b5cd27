//! `[[queues]]`: each queue's channel and routing configuration (model,
//! priority, push timeout, what an item costs and in which pool) and its
//! targets.

use super::{item, Ctx, Item, Names, Result};
use crate::omni::{
    CapacityCost, CapacityModel, CapacityPool, ChannelId, RoutingConfiguration, RoutingModel,
    ServiceChannel, PERCENTAGE_DECIMALS,
};
use crate::scenario::error::{suggest, ScenarioErrorKind as Kind};
use crate::scenario::raw::{RawQueue, RawScenario};
use crate::scenario::{Queue, QueueTargets, SimulationSettings};
use crate::time::SimDuration;
use toml::Spanned;

/// `[[queues]]`, checked against the channels and skills, with their
/// names (position = [`crate::omni::QueueId`]).
pub(super) fn check(
    raw: &RawScenario,
    cx: &Ctx<'_>,
    channels: &Names,
    channel_list: &[ServiceChannel],
    sim: &SimulationSettings,
    skills: &Names,
) -> Result<(Vec<Queue>, Names)> {
    let items = cx.section(
        &raw.queues,
        "queues",
        "work is routed from queues",
        "[[queues]]\nname = \"Chat\"\nchannel = \"chat\"\nrouting_model = \"most_available\"\ncapacity_weight = 1",
    )?;
    let mut names = Names::default();
    let mut out = Vec::new();
    for (i, q) in items.iter().enumerate() {
        let mut it = item("queues", i, q);
        let rq: &RawQueue = q.get_ref();
        let name = cx.name(&mut it, &rq.name, "name", &mut names)?;
        let ch = cx.required(
            &it,
            &rq.channel,
            "channel",
            "the service channel of its items",
        )?;
        let channel = ChannelId(cx.resolve(&it, "channel", ch, channels, "channel", "channels")?);
        let model = routing_model(cx, &it, rq)?;
        let priority = priority(cx, &it, rq)?;
        let push_timeout = push_timeout(cx, &it, rq, model)?;
        let cost = cost(cx, &it, rq)?;
        let routing = crate::scenario::skills::queue_routing(cx, &it, rq, skills)?;
        let paused_cost = paused_cost(cx, &it, rq, &channel_list[channel.index()])?;
        let pool = pool(cx, &it, rq, &channel_list[channel.index()])?;
        let service_level_threshold = match &rq.service_level_threshold {
            Some(v) => cx.positive(&it, "service_level_threshold", v)?,
            None => sim.service_level_threshold,
        };
        let targets = targets(cx, &it, rq, sim)?;
        out.push(Queue {
            name,
            channel,
            routing: RoutingConfiguration {
                model,
                priority,
                push_timeout,
                cost,
                pool,
                paused_cost,
                routing_type: routing.routing_type,
                skills: routing.skills,
                drop_additional_skills_timeout: routing.drop_timeout,
            },
            service_level_threshold,
            targets,
        });
    }
    Ok((out, names))
}

/// `routing_model`: "external" only where the caller routes such queues.
fn routing_model(cx: &Ctx<'_>, it: &Item, rq: &RawQueue) -> Result<RoutingModel> {
    let models = ["most_available", "least_active", "external"];
    let m = cx.required(
        it,
        &rq.routing_model,
        "routing_model",
        "\"most_available\" or \"least_active\"",
    )?;
    Ok(match m.get_ref().as_str() {
        "most_available" => RoutingModel::MostAvailable,
        "least_active" => RoutingModel::LeastActive,
        "external" if cx.external_routing => RoutingModel::External,
        "external" => {
            return Err(cx
                .at(
                    Kind::Inconsistent,
                    it,
                    "routing_model",
                    m,
                    "routing model \"external\" leaves the choice of agent to the org's own routing, which a scenario file alone cannot supply".into(),
                )
                .with_hint("run it from a program that implements omnisim_core::routing::RoutingPolicy (see examples/external_router.rs), or use \"most_available\" / \"least_active\""))
        }
        other => {
            return Err(cx
                .at(Kind::InvalidValue, it, "routing_model", m, format!("unknown routing model \"{other}\"; expected \"most_available\" or \"least_active\""))
                .with_maybe_hint(suggest(other, models).map(|s| format!("did you mean \"{s}\"?"))))
        }
    })
}

/// `priority`: a whole number Omni-Channel can hold, 1 by default.
fn priority(cx: &Ctx<'_>, it: &Item, rq: &RawQueue) -> Result<i32> {
    let Some(p) = &rq.priority else { return Ok(1) };
    let v = *p.get_ref();
    i32::try_from(v).map_err(|_| {
        cx.at(
            Kind::InvalidValue,
            it,
            "priority",
            p,
            format!(
                "`priority` is {v}; expected a whole number between {} and {}",
                i32::MIN,
                i32::MAX
            ),
        )
    })
}

/// `push_timeout`: whole seconds, 0 = off, and none for external routing.
fn push_timeout(
    cx: &Ctx<'_>,
    it: &Item,
    rq: &RawQueue,
    model: RoutingModel,
) -> Result<Option<SimDuration>> {
    if let Some(t) = &rq.push_timeout {
        cx.whole_seconds(it, "push_timeout", t, "push timeout", "0 = off")?;
    }
    let push_timeout = rq
        .push_timeout
        .as_ref()
        .map(|t| t.get_ref().value)
        .filter(|t| !t.is_zero());
    if let (RoutingModel::External, Some(_), Some(t)) = (model, push_timeout, &rq.push_timeout) {
        return Err(cx
            .at(
                Kind::Inconsistent,
                it,
                "push_timeout",
                t,
                "a push timeout is offered only for Most Available and Least Active routing, not for external routing".into(),
            )
            .with_hint("remove push_timeout; the external routing decides what happens to unanswered work"));
    }
    Ok(push_timeout)
}

/// `capacity_weight` or `capacity_percentage`: what one item costs an
/// agent; exactly one of them.
fn cost(cx: &Ctx<'_>, it: &Item, rq: &RawQueue) -> Result<CapacityCost> {
    Ok(match (&rq.capacity_weight, &rq.capacity_percentage) {
        (Some(_), Some(p)) => {
            return Err(cx
                .at(Kind::Inconsistent, it, "capacity_percentage", p, "both `capacity_weight` and `capacity_percentage` are set; expected exactly one".into())
                .with_hint("a weight costs whole units on any agent; a percentage is a share of each agent's capacity"))
        }
        (None, None) => {
            return Err(cx
                .missing(it, "capacity_weight", "or `capacity_percentage`: what one item costs an agent")
                .with_hint("e.g. capacity_weight = 1"))
        }
        (Some(w), None) => CapacityCost::Weight(cx.count_u32(it, "capacity_weight", w, 1, "a whole number of units, at least 1")?),
        (None, Some(p)) => {
            let v = *p.get_ref();
            if !(v > 0.0 && v <= 100.0) {
                return Err(cx.at(
                    Kind::InvalidValue,
                    it,
                    "capacity_percentage",
                    p,
                    format!("`capacity_percentage` is {v}; expected a share of capacity above 0 and at most 100"),
                ));
            }
            if CapacityCost::exact_percentage(v).is_none() {
                return Err(cx
                    .at(
                        Kind::InvalidValue,
                        it,
                        "capacity_percentage",
                        p,
                        format!("`capacity_percentage` is {v}; the engine keeps percentages to {PERCENTAGE_DECIMALS} decimals, so this cost cannot be held exactly"),
                    )
                    .with_hint(format!("round it to at most {PERCENTAGE_DECIMALS} decimals")));
            }
            CapacityCost::Percentage(v)
        }
    })
}

/// `capacity_type`: the pool an item's cost is taken from, by default the
/// one of its channel.
fn pool(cx: &Ctx<'_>, it: &Item, rq: &RawQueue, channel: &ServiceChannel) -> Result<CapacityPool> {
    Ok(
        match rq.capacity_type.as_ref().map(|t| (t, t.get_ref().as_str())) {
            None | Some((_, "inherit")) => {
                if channel.interruptible {
                    CapacityPool::Interruptible
                } else {
                    CapacityPool::Primary
                }
            }
            Some((_, "primary")) => CapacityPool::Primary,
            Some((_, "interruptible")) => CapacityPool::Interruptible,
            Some((t, other)) => {
                let kinds = ["primary", "interruptible", "inherit"];
                return Err(cx
                .at(
                    Kind::InvalidValue,
                    it,
                    "capacity_type",
                    t,
                    format!("unknown capacity type \"{other}\"; expected \"primary\", \"interruptible\" or \"inherit\" (from the channel)"),
                )
                .with_maybe_hint(suggest(other, kinds).map(|s| format!("did you mean \"{s}\"?"))));
            }
        },
    )
}

/// The planning targets of a queue (`target_service_level`,
/// `max_abandon_rate`, `max_asa`, `max_occupancy` and their window).
fn targets(
    cx: &Ctx<'_>,
    it: &Item,
    rq: &RawQueue,
    sim: &SimulationSettings,
) -> Result<QueueTargets> {
    Ok(QueueTargets {
        target_service_level: match &rq.target_service_level {
            Some(_) => {
                Some(cx.probability(it, "target_service_level", &rq.target_service_level, 0.0)?)
            }
            None => None,
        },
        max_abandon_rate: match &rq.max_abandon_rate {
            Some(_) => Some(cx.probability(it, "max_abandon_rate", &rq.max_abandon_rate, 0.0)?),
            None => None,
        },
        max_asa: match &rq.max_asa {
            Some(v) => Some(cx.positive(it, "max_asa", v)?),
            None => None,
        },
        max_occupancy: match &rq.max_occupancy {
            Some(v) => Some(max_occupancy(cx, it, v)?),
            None => None,
        },
        window: crate::scenario::planning::target_window(cx, it, rq, sim)?,
    })
}

/// `queues[].max_occupancy`: a fraction of capacity, 0 to 1.
fn max_occupancy(cx: &Ctx<'_>, it: &Item, v: &Spanned<f64>) -> Result<f64> {
    let x = *v.get_ref();
    if (0.0..=1.0).contains(&x) {
        return Ok(x);
    }
    Err(cx
        .at(
            Kind::InvalidValue,
            it,
            "max_occupancy",
            v,
            format!("`max_occupancy` is {x}; expected a fraction of capacity from 0 to 1"),
        )
        .with_hint(
            "occupancy is load held / capacity online, never above 1: 90% is max_occupancy = 0.9",
        ))
}

/// `paused_capacity_weight` / `paused_capacity_percentage` of a queue: what
/// a paused item costs, on status-based channels only (omni-reference
/// §12.5).
fn paused_cost(
    cx: &Ctx<'_>,
    it: &Item,
    rq: &RawQueue,
    channel: &ServiceChannel,
) -> Result<Option<CapacityCost>> {
    let (w, p) = (&rq.paused_capacity_weight, &rq.paused_capacity_percentage);
    let span = match (w, p) {
        (None, None) => return Ok(None),
        (Some(_), Some(p)) => {
            return Err(cx.at(
                Kind::Inconsistent,
                it,
                "paused_capacity_percentage",
                p,
                "both `paused_capacity_weight` and `paused_capacity_percentage` are set; expected at most one".into(),
            ))
        }
        (Some(w), None) => w.span(),
        (None, Some(p)) => p.span(),
    };
    if channel.capacity_model != CapacityModel::Status {
        let key = if w.is_some() {
            "paused_capacity_weight"
        } else {
            "paused_capacity_percentage"
        };
        return Err(cx
            .err(
                Kind::Inconsistent,
                Some(span),
                it.path(key),
                format!(
                    "{}: `{key}` is set, but channel \"{}\" is tab-based; only work of a status-based channel can be paused",
                    it.label, channel.name
                ),
            )
            .with_hint(format!("add capacity_model = \"status\" to channel \"{}\"", channel.name)));
    }
    if let Some(w) = w {
        return Ok(Some(CapacityCost::Weight(cx.count_u32(
            it,
            "paused_capacity_weight",
            w,
            0,
            "a whole number of units, 0 or more",
        )?)));
    }
    let p = p.as_ref().expect("one of the two is set");
    let v = *p.get_ref();
    if !(v.is_finite() && (0.0..=100.0).contains(&v))
        || (v > 0.0 && CapacityCost::exact_percentage(v).is_none())
    {
        return Err(cx.at(
            Kind::InvalidValue,
            it,
            "paused_capacity_percentage",
            p,
            format!("`paused_capacity_percentage` is {v}; expected a share of capacity from 0 to 100 with at most {PERCENTAGE_DECIMALS} decimals"),
        ));
    }
    Ok(Some(if v == 0.0 {
        CapacityCost::Weight(0)
    } else {
        CapacityCost::Percentage(v)
    }))
}
