//! `[[agents]]` behaviour: how a group answers pushes (response time,
//! accept and no-answer probabilities), wraps up, pauses and returns from
//! the statuses its presence configuration puts it in.

use super::{Ctx, Item, Result};
use crate::distribution::Distribution;
use crate::omni::PresenceConfiguration;
use crate::scenario::error::ScenarioErrorKind as Kind;
use crate::scenario::raw::RawAgents;
use crate::scenario::BehaviourSpec;

/// The behaviour of a group, checked against what its presence
/// configuration `config` allows (declining, auto-accept, the statuses it
/// sets).
pub(super) fn check(
    cx: &Ctx<'_>,
    it: &Item,
    ra: &RawAgents,
    config: &PresenceConfiguration,
) -> Result<BehaviourSpec> {
    let response_time = match &ra.response_time {
        Some(r) => cx.distribution(it, "response_time", r)?,
        None => Distribution::Constant { value: 0.0 },
    };
    let accept_probability =
        cx.probability(it, "accept_probability", &ra.accept_probability, 1.0)?;
    let no_answer_probability =
        cx.probability(it, "no_answer_probability", &ra.no_answer_probability, 0.0)?;
    let config_name = &config.name;
    if accept_probability < 1.0 && !config.allow_decline {
        let at = ra.accept_probability.as_ref().expect("set when below 1");
        let why = if config.auto_accept {
            "auto-accepts every push"
        } else {
            "does not allow decline"
        };
        return Err(cx
            .at(
                Kind::Inconsistent,
                it,
                "accept_probability",
                at,
                format!("`accept_probability` is {accept_probability}, but presence configuration \"{config_name}\" {why}, so these agents could never decline"),
            )
            .with_hint(format!("set allow_decline = true in presence configuration \"{config_name}\", or accept_probability = 1")));
    }
    if no_answer_probability > 0.0 && config.auto_accept {
        let at = ra.no_answer_probability.as_ref().expect("set when above 0");
        return Err(cx.at(
            Kind::Inconsistent,
            it,
            "no_answer_probability",
            at,
            format!("`no_answer_probability` is {no_answer_probability}, but presence configuration \"{config_name}\" auto-accepts every push, so there is nothing to leave unanswered"),
        ));
    }
    let wrap_up = match &ra.wrap_up {
        Some(w) => Some(cx.distribution(it, "wrap_up", w)?),
        None => None,
    };
    let pause_probability = cx.probability(it, "pause_probability", &ra.pause_probability, 0.0)?;
    let pause_duration = match &ra.pause_duration {
        Some(d) => Some(cx.distribution(it, "pause_duration", d)?),
        None => None,
    };
    if let (Some(p), None) = (&ra.pause_probability, &pause_duration) {
        if pause_probability > 0.0 {
            return Err(cx
                .at(
                    Kind::Inconsistent,
                    it,
                    "pause_probability",
                    p,
                    "`pause_probability` is set without `pause_duration`: how long would a pause last?".into(),
                )
                .with_hint("add e.g. pause_duration = { dist = \"exponential\", mean = \"10m\" }"));
        }
    }
    let return_to_status_after = match &ra.return_to_status_after {
        Some(r) => {
            let d = cx.positive(it, "return_to_status_after", r)?;
            if config.status_on_decline.is_none() && config.status_on_push_timeout.is_none() {
                return Err(cx
                    .at(
                        Kind::Inconsistent,
                        it,
                        "return_to_status_after",
                        r,
                        format!("`return_to_status_after` is set, but presence configuration \"{config_name}\" sets neither `status_on_decline` nor `status_on_push_timeout`, so agents never leave their login status"),
                    ));
            }
            Some(d)
        }
        None => None,
    };
    Ok(BehaviourSpec {
        response_time,
        accept_probability,
        no_answer_probability,
        wrap_up,
        return_to_status_after,
        pause_probability,
        pause_duration,
    })
}
