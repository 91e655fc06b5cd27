//! Raw file → defaults → checks → [`Scenario`].
//!
//! Every rule of `docs/scenario-format.md` is enforced here, once, so the
//! engine can trust the model. The first problem found is returned; checks
//! run section by section in the order the format lists them, so the
//! reported error is usually the first one in the file.
//!
//! One module per section of the file, called by [`validate`] in that
//! order: `simulation`, `channels`, `statuses`, `presence_configs`,
//! `queues`, `arrivals` (with its `transfers`), `agents` (with its
//! `behaviour` and `shift_end`), then the cross-checks of `routable`.
//! `context` holds what every section checks with ([`Ctx`], [`Item`],
//! [`Names`]), `distribution` the distributions any section may hold and
//! `values_csv` the one-value-per-line files they may name.

mod agents;
mod arrivals;
mod behaviour;
mod channels;
mod context;
mod distribution;
mod presence_configs;
mod queues;
mod routable;
mod shift_end;
mod simulation;
mod statuses;
#[cfg(test)]
mod tests;
mod transfers;
mod values_csv;

pub(crate) use context::Ctx;
pub(super) use context::{item, lower_first, Item, Names};
pub use simulation::humanize;
pub(crate) use simulation::interval_count;

use super::error::ScenarioError;
use super::raw::RawScenario;
use super::{Scenario, END_OF_SHIFT_LABEL, END_OF_SHIFT_STATUS};
use crate::omni::{PresenceStatus, StatusId};

type Result<T> = std::result::Result<T, ScenarioError>;

/// Checks a parsed file and builds the scenario.
pub(crate) fn validate(raw: &RawScenario, cx: &Ctx<'_>) -> Result<Scenario> {
    let simulation = simulation::check(raw, cx)?;
    let (channels, channel_names) = channels::check(raw, cx)?;
    let (statuses, status_names) = statuses::check(raw, cx, &channel_names)?;
    let (skills, skill_names) = super::skills::catalogue(raw, cx)?;
    let (presence_configs, config_names) = presence_configs::check(raw, cx, &status_names)?;
    let (queues, queue_names) = queues::check(
        raw,
        cx,
        &channel_names,
        &channels,
        &simulation,
        &skill_names,
    )?;
    // Before anything is spread over the intervals (forecasts, profiles)
    // or granted to every group: a day of billions of intervals is refused
    // at its `duration` or `interval`, not by what it would have made.
    let locate = |e: super::bounds::BoundsError| e.locate_raw(Some(raw), cx.text, cx.file);
    super::bounds::check_interval_rows(
        &simulation,
        queues.len(),
        simulation.replications,
        cx.limits,
    )
    .map_err(locate)?;
    let (arrivals, warnings) =
        arrivals::check(raw, cx, &queue_names, &simulation, &queues, &skill_names)?;
    super::bounds::check_group_lists(raw, statuses.len(), queues.len(), cx.limits)
        .map_err(locate)?;
    let mut agents = agents::check(
        raw,
        cx,
        &simulation,
        &status_names,
        &config_names,
        &presence_configs,
        &statuses,
        &queues,
        &queue_names,
        &skill_names,
    )?;
    let mut statuses = statuses;
    let implicit = StatusId(statuses.len() as u32);
    if agents
        .iter()
        .any(|g| g.shifts().any(|s| s.end_status == Some(implicit)))
    {
        statuses.push(PresenceStatus {
            api_name: END_OF_SHIFT_STATUS.into(),
            label: END_OF_SHIFT_LABEL.into(),
            channels: Vec::new(),
        });
    }
    super::roster::add_break_status(&mut statuses, &mut agents, StatusId(implicit.0 + 1));
    let mut scenario = Scenario {
        simulation,
        channels,
        statuses,
        skills,
        presence_configs,
        queues,
        arrivals,
        agents,
        warnings,
    };
    routable::check(raw, cx, &scenario)?;
    let advice = super::advice::warnings(&scenario);
    scenario.warnings.extend(advice);
    Ok(scenario)
}
