//! The cross-checks made once every section is read: every queue can
//! reach an agent who can carry its items, and no interruptible capacity
//! holds more items than Omni-Channel allows.

use super::{item, Ctx, Result};
use crate::omni::{CapacityCost, CapacityPool, CapacityUnits, MAX_OPEN_ITEMS};
use crate::scenario::error::ScenarioErrorKind as Kind;
use crate::scenario::raw::{describe_item, RawScenario};
use crate::scenario::Scenario;

/// An interruptible capacity that would let an agent hold more than
/// Omni-Channel's 100 open items of some interruptible queue is refused:
/// the pool exists to be filled with such work, so a number that can never
/// be reached is a mistake in the file (the primary pool only gets a note
/// in `check`, since a large capacity there is common for percentage
/// costs).
fn interruptible_item_cap(raw: &RawScenario, cx: &Ctx<'_>, s: &Scenario) -> Result<()> {
    let raw_configs = raw.presence_configs.as_deref().unwrap_or_default();
    for (i, (pc, rp)) in s.presence_configs.iter().zip(raw_configs).enumerate() {
        let Some(at) = &rp.get_ref().interruptible_capacity else {
            continue;
        };
        for q in &s.queues {
            if q.routing.pool != CapacityPool::Interruptible {
                continue;
            }
            let cost = q.routing.cost.units_for(pc.interruptible_capacity).0.max(1);
            let items = CapacityUnits::whole(pc.interruptible_capacity).0 / cost;
            if items > MAX_OPEN_ITEMS as u64 {
                let mut it = item("presence_configs", i, rp);
                it.label = describe_item("presence_configs", Some(&pc.name));
                return Err(cx
                    .at(
                        Kind::InvalidValue,
                        &it,
                        "interruptible_capacity",
                        at,
                        format!(
                            "`interruptible_capacity` is {}, room for {items} items of interruptible queue \"{}\"; Omni-Channel caps an agent at {MAX_OPEN_ITEMS} open items",
                            pc.interruptible_capacity, q.name
                        ),
                    )
                    .with_hint(format!("at most {} units with this cost", MAX_OPEN_ITEMS as u64 * cost / CapacityUnits::SCALE)));
            }
        }
    }
    Ok(())
}

/// Cross-check: every queue can reach some agent who can carry its items.
pub(super) fn check(raw: &RawScenario, cx: &Ctx<'_>, s: &Scenario) -> Result<()> {
    interruptible_item_cap(raw, cx, s)?;
    let raw_queues = raw.queues.as_deref().unwrap_or_default();
    for (i, (q, rq)) in s.queues.iter().zip(raw_queues).enumerate() {
        let mut it = item("queues", i, rq);
        it.label = describe_item("queues", Some(&q.name));
        let channel = &s.channels[q.channel.index()].name;
        let capacities: Vec<(u32, &str)> = s
            .agents
            .iter()
            .filter(|g| {
                g.allowed_statuses
                    .iter()
                    .any(|st| s.statuses[st.index()].has_channel(q.channel))
            })
            .map(|g| {
                (
                    s.presence_configs[g.presence_config.index()].capacity,
                    g.group.as_str(),
                )
            })
            .collect();
        let raw_q = rq.get_ref();
        if capacities.is_empty() {
            let at = raw_q.channel.as_ref().expect("checked in queues");
            return Err(cx
                .at(
                    Kind::Inconsistent,
                    &it,
                    "channel",
                    at,
                    format!("can never be routed: no agent group may use a status with channel \"{channel}\""),
                )
                .with_hint(format!("add \"{channel}\" to the channels of a status the agents log in with or are allowed")));
        }
        if let CapacityCost::Weight(w) = q.routing.cost {
            let (max, group) = capacities
                .iter()
                .copied()
                .max_by_key(|(c, _)| *c)
                .expect("not empty");
            if w > max {
                let at = raw_q.capacity_weight.as_ref().expect("weight was given");
                return Err(cx
                    .at(
                        Kind::Inconsistent,
                        &it,
                        "capacity_weight",
                        at,
                        format!(
                            "can never be routed: `capacity_weight` is {w}, above the capacity of every agent group that can take channel \"{channel}\" (largest: {max}, agent group \"{group}\")"
                        ),
                    )
                    .with_hint("lower the weight or raise the presence configuration's capacity"));
            }
        }
    }
    Ok(())
}
