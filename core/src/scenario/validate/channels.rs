//! `[[channels]]`: the service channels and how each holds capacity.

use super::{item, Ctx, Names, Result};
use crate::omni::{CapacityModel, InterruptibleProgress, ServiceChannel};
use crate::scenario::error::{suggest, ScenarioErrorKind as Kind};
use crate::scenario::raw::{RawChannel, RawScenario};

/// `[[channels]]`, checked, with their names (position = [`crate::omni::ChannelId`]).
pub(super) fn check(raw: &RawScenario, cx: &Ctx<'_>) -> Result<(Vec<ServiceChannel>, Names)> {
    let items = cx.section(
        &raw.channels,
        "channels",
        "queues and statuses need a channel",
        "[[channels]]\nname = \"chat\"",
    )?;
    let mut names = Names::default();
    let mut out = Vec::new();
    for (i, c) in items.iter().enumerate() {
        let mut it = item("channels", i, c);
        let ch: &RawChannel = c.get_ref();
        let name = cx.name(&mut it, &ch.name, "name", &mut names)?;
        let capacity_model = match ch.capacity_model.as_ref().map(|m| (m, m.get_ref().as_str())) {
            None | Some((_, "tab")) => CapacityModel::Tab,
            Some((_, "status")) => CapacityModel::Status,
            Some((m, other)) => {
                return Err(cx
                    .at(
                        Kind::InvalidValue,
                        &it,
                        "capacity_model",
                        m,
                        format!("unknown capacity model \"{other}\"; expected \"tab\" (open tabs hold capacity) or \"status\" (work in progress holds it, even across a logout)"),
                    )
                    .with_maybe_hint(suggest(other, ["tab", "status"]).map(|s| format!("did you mean \"{s}\"?"))))
            }
        };
        let reassign_after = match &ch.reassign_after {
            Some(r) if capacity_model == CapacityModel::Tab => {
                return Err(cx
                    .at(
                        Kind::Inconsistent,
                        &it,
                        "reassign_after",
                        r,
                        "`reassign_after` is set, but the channel is tab-based: logging out closes its work, so nothing is left to reassign".into(),
                    )
                    .with_hint("add capacity_model = \"status\", or remove reassign_after"))
            }
            Some(r) => Some(cx.positive(&it, "reassign_after", r)?),
            None => None,
        };
        let interruptible_progress = match ch
            .interruptible_progress
            .as_ref()
            .map(|m| (m, m.get_ref().as_str()))
        {
            None | Some((_, "idle")) => InterruptibleProgress::Idle,
            Some((_, "parallel")) => InterruptibleProgress::Parallel,
            Some((m, other)) => {
                return Err(cx
                    .at(
                        Kind::InvalidValue,
                        &it,
                        "interruptible_progress",
                        m,
                        format!("unknown interruptible progress \"{other}\"; expected \"idle\" (interruptible items are worked only while the agent holds no primary work in progress) or \"parallel\" (they are worked alongside it)"),
                    )
                    .with_maybe_hint(suggest(other, ["idle", "parallel"]).map(|s| format!("did you mean \"{s}\"?"))))
            }
        };
        out.push(ServiceChannel {
            name,
            ends_when_all_decline: ch
                .ends_when_all_decline
                .as_ref()
                .is_some_and(|f| *f.get_ref()),
            interruptible: ch.interruptible.as_ref().is_some_and(|f| *f.get_ref()),
            capacity_model,
            reassign_after,
            interruptible_progress,
        });
    }
    Ok((out, names))
}
