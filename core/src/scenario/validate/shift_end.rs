//! `[[agents]]` shift ends: whether a group's agents finish the work they
//! hold when their shift ends or log out at once, and the busy status they
//! finish it in.

use super::{Ctx, Item, Names, Result};
use crate::omni::{PresenceStatus, StatusId};
use crate::scenario::error::{suggest, ScenarioErrorKind as Kind};
use crate::scenario::raw::RawAgents;
use crate::scenario::{Shift, ShiftEndMode, END_OF_SHIFT_STATUS};

/// `shift_end` and `shift_end_status` of a group: how its shifts end
/// (`ends`: some shift has an end) and the busy status it finishes its
/// work in, granted to the group, set on `shift`. A finishing group with a
/// shift end that names no status gets the first busy status it is
/// granted, or [`END_OF_SHIFT_STATUS`] when it has none: its id is then
/// `status_list.len()`, the status [`super::validate`] appends.
#[allow(clippy::too_many_arguments)]
pub(super) fn check(
    cx: &Ctx<'_>,
    it: &Item,
    ra: &RawAgents,
    statuses: &Names,
    status_list: &[PresenceStatus],
    ends: bool,
    shift: &mut Shift,
    allowed: &mut Vec<StatusId>,
) -> Result<()> {
    const MODES: [&str; 2] = ["finish", "abrupt"];
    shift.end_mode = match &ra.shift_end {
        None => ShiftEndMode::Finish,
        Some(m) => match m.get_ref().as_str() {
            "finish" => ShiftEndMode::Finish,
            "abrupt" => ShiftEndMode::Abrupt,
            other => {
                return Err(cx
                    .at(
                        Kind::InvalidValue,
                        it,
                        "shift_end",
                        m,
                        format!("unknown shift_end \"{other}\"; expected \"finish\" (finish the work held, then log out) or \"abrupt\" (log out at once)"),
                    )
                    .with_maybe_hint(suggest(other, MODES).map(|s| format!("did you mean \"{s}\"?"))))
            }
        },
    };
    if let Some(st) = &ra.shift_end_status {
        if shift.end_mode == ShiftEndMode::Abrupt {
            return Err(cx
                .at(
                    Kind::Inconsistent,
                    it,
                    "shift_end_status",
                    st,
                    "`shift_end_status` is set, but `shift_end` is \"abrupt\": the agents log out at once and never use it".into(),
                )
                .with_hint("remove `shift_end_status`, or set shift_end = \"finish\""));
        }
        let id =
            StatusId(cx.resolve(it, "shift_end_status", st, statuses, "status", "statuses")?);
        let status = &status_list[id.index()];
        if status.is_online() {
            return Err(cx
                .at(
                    Kind::Inconsistent,
                    it,
                    "shift_end_status",
                    st,
                    format!("status \"{}\" has channels, so agents finishing their shift in it would keep receiving work; expected a busy status (one without channels)", st.get_ref()),
                )
                .with_hint("add a [[statuses]] item without `channels`, e.g. name = \"Wrap_Up\""));
        }
        shift.end_status = Some(id);
    } else if ends && shift.end_mode == ShiftEndMode::Finish {
        let busy = allowed
            .iter()
            .copied()
            .find(|s| !status_list[s.index()].is_online());
        shift.end_status = Some(busy.unwrap_or_else(|| {
            // The implicit status; a busy status of that name in the file
            // is the same thing, so it is granted instead.
            match statuses.position(END_OF_SHIFT_STATUS) {
                Some(i) if !status_list[i].is_online() => StatusId(i as u32),
                _ => StatusId(status_list.len() as u32),
            }
        }));
    }
    if let Some(id) = shift.end_status {
        if !allowed.contains(&id) {
            allowed.push(id);
            allowed.sort();
        }
    }
    Ok(())
}
