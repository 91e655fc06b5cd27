//! `[[statuses]]`: the presence statuses and the channels each opens.

use super::{item, Ctx, Names, Result};
use crate::omni::{ChannelId, PresenceStatus};
use crate::scenario::error::ScenarioErrorKind as Kind;
use crate::scenario::raw::{RawScenario, RawStatus};
use rustc_hash::FxHashSet;

/// `[[statuses]]`, checked against the `channels`, with their names
/// (position = [`crate::omni::StatusId`]).
pub(super) fn check(
    raw: &RawScenario,
    cx: &Ctx<'_>,
    channels: &Names,
) -> Result<(Vec<PresenceStatus>, Names)> {
    let items = cx.section(
        &raw.statuses,
        "statuses",
        "agents need a presence status to log in with",
        "[[statuses]]\nname = \"Available\"\nchannels = [\"chat\"]",
    )?;
    let mut names = Names::default();
    let mut out = Vec::new();
    for (i, s) in items.iter().enumerate() {
        let mut it = item("statuses", i, s);
        let st: &RawStatus = s.get_ref();
        let api_name = cx.name(&mut it, &st.name, "name", &mut names)?;
        let label = st
            .label
            .as_ref()
            .map_or_else(|| api_name.clone(), |l| l.get_ref().clone());
        let mut list: Vec<ChannelId> = Vec::new();
        let mut seen: FxHashSet<ChannelId> = FxHashSet::default();
        for (j, c) in st.channels.iter().flatten().enumerate() {
            let key = format!("channels[{j}]");
            let id = ChannelId(cx.resolve(&it, &key, c, channels, "channel", "channels")?);
            if !seen.insert(id) {
                return Err(cx.at(
                    Kind::DuplicateName,
                    &it,
                    &key,
                    c,
                    format!("channel \"{}\" is listed twice", c.get_ref()),
                ));
            }
            list.push(id);
        }
        out.push(PresenceStatus {
            api_name,
            label,
            channels: list,
        });
    }
    Ok((out, names))
}
