//! `[[presence_configs]]`: capacity, and what declining and unanswered
//! pushes do.

use super::{item, Ctx, Item, Names, Result};
use crate::omni::{PresenceConfiguration, StatusId};
use crate::scenario::error::ScenarioErrorKind as Kind;
use crate::scenario::raw::{RawPresenceConfig, RawScenario};
use rustc_hash::FxHashSet;
use toml::Spanned;

/// `[[presence_configs]]`, checked against the `statuses` they name, with
/// their names (position = [`crate::omni::ConfigId`]).
pub(super) fn check(
    raw: &RawScenario,
    cx: &Ctx<'_>,
    statuses: &Names,
) -> Result<(Vec<PresenceConfiguration>, Names)> {
    let items = cx.section(
        &raw.presence_configs,
        "presence_configs",
        "every agent group needs a presence configuration (its capacity)",
        "[[presence_configs]]\nname = \"Agents\"\ncapacity = 1",
    )?;
    let mut names = Names::default();
    let mut out = Vec::new();
    for (i, p) in items.iter().enumerate() {
        let mut it = item("presence_configs", i, p);
        let pc: &RawPresenceConfig = p.get_ref();
        let name = cx.name(&mut it, &pc.name, "name", &mut names)?;
        let cap = cx.required(
            &it,
            &pc.capacity,
            "capacity",
            "units of work an agent holds at once, at least 1",
        )?;
        let capacity = cx.count_u32(&it, "capacity", cap, 1, "at least 1 unit of work")?;
        let interruptible_capacity = match &pc.interruptible_capacity {
            Some(v) => cx.count_u32(&it, "interruptible_capacity", v, 0, "0 or more units")?,
            None => capacity,
        };
        let flag = |f: &Option<Spanned<bool>>| f.as_ref().is_some_and(|b| *b.get_ref());
        let allow_decline = flag(&pc.allow_decline);
        let auto_accept = flag(&pc.auto_accept);
        if allow_decline && auto_accept {
            let at = pc.auto_accept.as_ref().expect("auto_accept is set");
            return Err(cx
                .at(
                    Kind::Inconsistent,
                    &it,
                    "auto_accept",
                    at,
                    "`auto_accept` and `allow_decline` are both true; an auto-accepted push cannot be declined".into(),
                )
                .with_hint("set one of them to false"));
        }
        let decline_reasons = decline_reasons(cx, &it, pc, allow_decline)?;
        let status_on_decline = match &pc.status_on_decline {
            Some(s) => {
                if !allow_decline {
                    return Err(cx
                        .at(Kind::Inconsistent, &it, "status_on_decline", s, "`status_on_decline` is set but `allow_decline` is not true, so it could never apply".into())
                        .with_hint("add allow_decline = true, or remove status_on_decline"));
                }
                Some(status(cx, &it, "status_on_decline", s, statuses)?)
            }
            None => None,
        };
        let status_on_push_timeout = match &pc.status_on_push_timeout {
            Some(s) => Some(status(cx, &it, "status_on_push_timeout", s, statuses)?),
            None => None,
        };
        out.push(PresenceConfiguration {
            name,
            capacity,
            interruptible_capacity,
            allow_decline,
            decline_reasons,
            auto_accept,
            status_on_decline,
            status_on_push_timeout,
        });
    }
    Ok((out, names))
}

/// `decline_reasons`: only where agents may decline, each some text and
/// listed once.
fn decline_reasons(
    cx: &Ctx<'_>,
    it: &Item,
    pc: &RawPresenceConfig,
    allow_decline: bool,
) -> Result<Vec<String>> {
    let mut decline_reasons: Vec<String> = Vec::new();
    let mut seen: FxHashSet<&str> = FxHashSet::default();
    let Some(reasons) = &pc.decline_reasons else {
        return Ok(decline_reasons);
    };
    if !allow_decline && !reasons.get_ref().is_empty() {
        return Err(cx
            .at(Kind::Inconsistent, it, "decline_reasons", reasons, "`decline_reasons` are listed but `allow_decline` is not true, so no agent can decline".into())
            .with_hint("add allow_decline = true, or remove decline_reasons"));
    }
    for (j, r) in reasons.get_ref().iter().enumerate() {
        let key = format!("decline_reasons[{j}]");
        if r.get_ref().trim().is_empty() {
            return Err(cx.at(
                Kind::InvalidValue,
                it,
                &key,
                r,
                "a decline reason is empty; expected some text".into(),
            ));
        }
        if !seen.insert(r.get_ref().as_str()) {
            return Err(cx.at(
                Kind::DuplicateName,
                it,
                &key,
                r,
                format!("decline reason \"{}\" is listed twice", r.get_ref()),
            ));
        }
        decline_reasons.push(r.get_ref().clone());
    }
    Ok(decline_reasons)
}

/// A status the configuration puts agents in (`key`), by name.
fn status(
    cx: &Ctx<'_>,
    it: &Item,
    key: &str,
    s: &Spanned<String>,
    statuses: &Names,
) -> Result<StatusId> {
    Ok(StatusId(
        cx.resolve(it, key, s, statuses, "status", "statuses")?,
    ))
}
