//! `[[agents]]`: each group's login, allowed statuses, queues, skills and
//! shifts or roster; its `behaviour` and `shift_end` have modules of their
//! own.

use super::{item, Ctx, Item, Names, Result};
use crate::omni::{ConfigId, PresenceConfiguration, PresenceStatus, StatusId};
use crate::scenario::error::ScenarioErrorKind as Kind;
use crate::scenario::raw::{RawAgents, RawScenario};
use crate::scenario::{AgentGroup, Queue, Shift, SimulationSettings};
use rustc_hash::FxHashSet;
use toml::Spanned;

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
        let (presence_config, st, status) = login(cx, &it, ra, configs, statuses)?;
        let config = &config_list[presence_config.index()];
        let allowed_statuses =
            allowed_statuses(cx, &it, ra, statuses, status_list, config, st, status)?;
        let behaviour = super::behaviour::check(cx, &it, ra, config)?;
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
        super::shift_end::check(
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
            behaviour,
            shift: r.shift,
            roster: r.roster,
            break_lateness: r.break_lateness,
            absence: r.absence,
            planning,
        });
    }
    Ok(out)
}

/// `presence_config` and `status`, the configuration and the status the
/// group logs in with: both required, both by name.
fn login<'r>(
    cx: &Ctx<'_>,
    it: &Item,
    ra: &'r RawAgents,
    configs: &Names,
    statuses: &Names,
) -> Result<(ConfigId, &'r Spanned<String>, StatusId)> {
    let pc = cx.required(
        it,
        &ra.presence_config,
        "presence_config",
        "the name of a [[presence_configs]] item",
    )?;
    let presence_config = ConfigId(cx.resolve(
        it,
        "presence_config",
        pc,
        configs,
        "presence configuration",
        "presence_configs",
    )?);
    let st = cx.required(
        it,
        &ra.status,
        "status",
        "the status the agents log in with",
    )?;
    let status = StatusId(cx.resolve(it, "status", st, statuses, "status", "statuses")?);
    Ok((presence_config, st, status))
}

/// `allowed_statuses`: every status when the list is left out; otherwise
/// the list, which must hold the login status `status` (written `st`),
/// and the statuses `config` puts agents in.
#[allow(clippy::too_many_arguments)]
fn allowed_statuses(
    cx: &Ctx<'_>,
    it: &Item,
    ra: &RawAgents,
    statuses: &Names,
    status_list: &[PresenceStatus],
    config: &PresenceConfiguration,
    st: &Spanned<String>,
    status: StatusId,
) -> Result<Vec<StatusId>> {
    let mut allowed: Vec<StatusId> = Vec::new();
    let mut seen: FxHashSet<StatusId> = FxHashSet::default();
    for (j, s) in ra.allowed_statuses.iter().flatten().enumerate() {
        let key = format!("allowed_statuses[{j}]");
        let id = StatusId(cx.resolve(it, &key, s, statuses, "status", "statuses")?);
        if !seen.insert(id) {
            return Err(cx.at(
                Kind::DuplicateName,
                it,
                &key,
                s,
                format!("status \"{}\" is listed twice", s.get_ref()),
            ));
        }
        allowed.push(id);
    }
    Ok(if allowed.is_empty() {
        (0..status_list.len() as u32).map(StatusId).collect()
    } else {
        if !seen.contains(&status) {
            return Err(cx
                .at(Kind::Inconsistent, it, "status", st, format!("login status \"{}\" is not in `allowed_statuses`", st.get_ref()))
                .with_hint(format!("add \"{}\" to allowed_statuses, or leave allowed_statuses out to allow every status", st.get_ref())));
        }
        // The configuration's statuses are applied by Omni-Channel itself,
        // so they are granted whatever the list says.
        allowed.extend(config.status_on_decline);
        allowed.extend(config.status_on_push_timeout);
        allowed.sort();
        allowed.dedup();
        allowed
    })
}
