//! `[[agents]]`: each group's login, allowed statuses, behaviour, queues,
//! skills, shifts or roster, and how its shifts end.

use super::{item, Ctx, Item, Names, Result};
use crate::distribution::Distribution;
use crate::omni::{ConfigId, PresenceConfiguration, PresenceStatus, StatusId};
use crate::scenario::error::{suggest, ScenarioErrorKind as Kind};
use crate::scenario::raw::{RawAgents, RawScenario};
use crate::scenario::{
    AgentGroup, BehaviourSpec, Queue, Shift, ShiftEndMode, SimulationSettings, END_OF_SHIFT_STATUS,
};
use rustc_hash::FxHashSet;

/// `[[agents]]`, checked against every section before it.
#[allow(clippy::too_many_arguments)]
pub(super) fn check(
    raw: &RawScenario,
    cx: &Ctx<'_>,
    sim: &SimulationSettings,
    statuses: &Names,
    configs: &Names,
    config_list: &[PresenceConfiguration],
    status_list: &[PresenceStatus],
    queue_list: &[Queue],
    queue_names: &Names,
    skill_names: &Names,
) -> Result<Vec<AgentGroup>> {
    let items = cx.section(
        &raw.agents,
        "agents",
        "a centre needs at least one agent group",
        "[[agents]]\ngroup = \"Tier 1\"\ncount = 10\npresence_config = \"Agents\"\nstatus = \"Available\"",
    )?;
    let mut names = Names::default();
    let mut out = Vec::new();
    let mut roster_files = crate::scenario::roster_csv::RosterFiles::default();
    for (i, g) in items.iter().enumerate() {
        let mut it = item("agents", i, g);
        let ra: &RawAgents = g.get_ref();
        let group = cx.name(&mut it, &ra.group, "group", &mut names)?;
        let book = crate::scenario::roster::StatusBook {
            names: statuses,
            list: status_list,
        };
        let plan =
            crate::scenario::roster::plan(cx, &it, ra, items, sim, &book, &mut roster_files)?;
        let pc = cx.required(
            &it,
            &ra.presence_config,
            "presence_config",
            "the name of a [[presence_configs]] item",
        )?;
        let presence_config = ConfigId(cx.resolve(
            &it,
            "presence_config",
            pc,
            configs,
            "presence configuration",
            "presence_configs",
        )?);
        let config = &config_list[presence_config.index()];
        let st = cx.required(
            &it,
            &ra.status,
            "status",
            "the status the agents log in with",
        )?;
        let status = StatusId(cx.resolve(&it, "status", st, statuses, "status", "statuses")?);
        let mut allowed: Vec<StatusId> = Vec::new();
        let mut seen: FxHashSet<StatusId> = FxHashSet::default();
        for (j, s) in ra.allowed_statuses.iter().flatten().enumerate() {
            let key = format!("allowed_statuses[{j}]");
            let id = StatusId(cx.resolve(&it, &key, s, statuses, "status", "statuses")?);
            if !seen.insert(id) {
                return Err(cx.at(
                    Kind::DuplicateName,
                    &it,
                    &key,
                    s,
                    format!("status \"{}\" is listed twice", s.get_ref()),
                ));
            }
            allowed.push(id);
        }
        let allowed_statuses = if allowed.is_empty() {
            (0..status_list.len() as u32).map(StatusId).collect()
        } else {
            if !seen.contains(&status) {
                return Err(cx
                    .at(Kind::Inconsistent, &it, "status", st, format!("login status \"{}\" is not in `allowed_statuses`", st.get_ref()))
                    .with_hint(format!("add \"{}\" to allowed_statuses, or leave allowed_statuses out to allow every status", st.get_ref())));
            }
            // The configuration's statuses are applied by Omni-Channel itself,
            // so they are granted whatever the list says.
            allowed.extend(config.status_on_decline);
            allowed.extend(config.status_on_push_timeout);
            allowed.sort();
            allowed.dedup();
            allowed
        };
        let response_time = match &ra.response_time {
            Some(r) => cx.distribution(&it, "response_time", r)?,
            None => Distribution::Constant { value: 0.0 },
        };
        let accept_probability =
            cx.probability(&it, "accept_probability", &ra.accept_probability, 1.0)?;
        let no_answer_probability =
            cx.probability(&it, "no_answer_probability", &ra.no_answer_probability, 0.0)?;
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
                    &it,
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
                &it,
                "no_answer_probability",
                at,
                format!("`no_answer_probability` is {no_answer_probability}, but presence configuration \"{config_name}\" auto-accepts every push, so there is nothing to leave unanswered"),
            ));
        }
        let wrap_up = match &ra.wrap_up {
            Some(w) => Some(cx.distribution(&it, "wrap_up", w)?),
            None => None,
        };
        let pause_probability =
            cx.probability(&it, "pause_probability", &ra.pause_probability, 0.0)?;
        let pause_duration = match &ra.pause_duration {
            Some(d) => Some(cx.distribution(&it, "pause_duration", d)?),
            None => None,
        };
        if let (Some(p), None) = (&ra.pause_probability, &pause_duration) {
            if pause_probability > 0.0 {
                return Err(cx
                    .at(
                        Kind::Inconsistent,
                        &it,
                        "pause_probability",
                        p,
                        "`pause_probability` is set without `pause_duration`: how long would a pause last?".into(),
                    )
                    .with_hint("add e.g. pause_duration = { dist = \"exponential\", mean = \"10m\" }"));
            }
        }
        let return_to_status_after = match &ra.return_to_status_after {
            Some(r) => {
                let d = cx.positive(&it, "return_to_status_after", r)?;
                if config.status_on_decline.is_none() && config.status_on_push_timeout.is_none() {
                    return Err(cx
                        .at(
                            Kind::Inconsistent,
                            &it,
                            "return_to_status_after",
                            r,
                            format!("`return_to_status_after` is set, but presence configuration \"{config_name}\" sets neither `status_on_decline` nor `status_on_push_timeout`, so agents never leave their login status"),
                        ));
                }
                Some(d)
            }
            None => None,
        };
        let queues = crate::scenario::skills::membership(
            cx,
            &it,
            &ra.queues,
            queue_names,
            queue_list,
            status_list,
            &allowed_statuses,
        )?;
        let skills = crate::scenario::skills::agent_skills(cx, &it, &ra.skills, skill_names)?;
        let planning = crate::scenario::planning::group_planning(cx, &it, ra)?;
        // After membership: the implicit end-of-shift status may be granted
        // here, and it is not in `status_list` yet (it has no channels, so
        // membership would not change).
        let mut allowed_statuses = allowed_statuses;
        let granted_busy = allowed_statuses
            .iter()
            .copied()
            .find(|s| !status_list[s.index()].is_online());
        let mut ending = Shift::default();
        shift_end(
            cx,
            &it,
            ra,
            statuses,
            status_list,
            plan.ends(),
            &mut ending,
            &mut allowed_statuses,
        )?;
        let implicit_break = StatusId(status_list.len() as u32 + 1);
        let r = plan.finish(
            &ending,
            granted_busy,
            &book,
            implicit_break,
            &mut allowed_statuses,
        );
        out.push(AgentGroup {
            group,
            count: r.count,
            presence_config,
            status,
            queues,
            skills,
            allowed_statuses,
            behaviour: BehaviourSpec {
                response_time,
                accept_probability,
                no_answer_probability,
                wrap_up,
                return_to_status_after,
                pause_probability,
                pause_duration,
            },
            shift: r.shift,
            roster: r.roster,
            break_lateness: r.break_lateness,
            absence: r.absence,
            planning,
        });
    }
    Ok(out)
}

/// `shift_end` and `shift_end_status` of a group: how its shifts end
/// (`ends`: some shift has an end) and the busy status it finishes its
/// work in, granted to the group, set on `shift`. A finishing group with a
/// shift end that names no status gets the first busy status it is
/// granted, or [`END_OF_SHIFT_STATUS`] when it has none: its id is then
/// `status_list.len()`, the status [`validate`] appends.
#[allow(clippy::too_many_arguments)]
fn shift_end(
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
