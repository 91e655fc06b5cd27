//! The lookup files: who the users are, which queues, channels, statuses
//! and skills exist, who belongs to which queue and has which skill.
//! Written once, when the export starts: they describe the org, not the
//! day.

use super::{id, user_id, WorkItemEntity};
use crate::salesforce::bulk_csv::{boolean, double, BulkCsv};
use crate::salesforce::object::{developer_name, SfObject};
use crate::salesforce::when::{format_datetime, DayPlacement};
use crate::scenario::Scenario;
use std::fs::File;
use std::io::{self, BufWriter};
use std::path::{Path, PathBuf};

/// Writes the lookup files into `dir`; returns their paths.
pub(super) fn write(
    dir: &Path,
    scenario: &Scenario,
    place: &DayPlacement,
    entities: &[WorkItemEntity],
) -> io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    let mut file = |o: SfObject, rows: Vec<Vec<String>>| -> io::Result<()> {
        let path = dir.join(o.file_name());
        let mut w = BulkCsv::new(BufWriter::new(File::create(&path)?), o.fields())?;
        for r in rows {
            w.record(r)?;
        }
        w.finish()?;
        files.push(path);
        Ok(())
    };
    let names = agent_names(scenario);
    file(
        SfObject::User,
        names
            .iter()
            .enumerate()
            .map(|(a, name)| {
                vec![
                    user_id(a as u32).to_string(),
                    name.clone(),
                    format!("agent.{:04}@example.com", a + 1),
                ]
            })
            .collect(),
    )?;
    file(
        SfObject::Group,
        scenario
            .queues
            .iter()
            .enumerate()
            .map(|(q, queue)| {
                vec![
                    id(SfObject::Group, q as u64 + 1).to_string(),
                    queue.name.clone(),
                    developer_name(&queue.name),
                    "Queue".into(),
                ]
            })
            .collect(),
    )?;
    let mut members = Vec::new();
    let groups = agent_groups(scenario);
    for (q, _) in scenario.queues.iter().enumerate() {
        for (a, g) in groups.iter().enumerate() {
            if scenario.agents[*g].queues.iter().any(|m| m.index() == q) {
                members.push(vec![
                    id(SfObject::GroupMember, members.len() as u64 + 1).to_string(),
                    id(SfObject::Group, q as u64 + 1).to_string(),
                    user_id(a as u32).to_string(),
                ]);
            }
        }
    }
    file(SfObject::GroupMember, members)?;
    file(
        SfObject::ServiceChannel,
        scenario
            .channels
            .iter()
            .enumerate()
            .map(|(c, channel)| {
                vec![
                    id(SfObject::ServiceChannel, c as u64 + 1).to_string(),
                    developer_name(&channel.name),
                    channel.name.clone(),
                    entities[c].name().into(),
                ]
            })
            .collect(),
    )?;
    file(
        SfObject::ServicePresenceStatus,
        scenario
            .statuses
            .iter()
            .enumerate()
            .map(|(s, status)| {
                vec![
                    id(SfObject::ServicePresenceStatus, s as u64 + 1).to_string(),
                    developer_name(&status.api_name),
                    status.label.clone(),
                ]
            })
            .collect(),
    )?;
    file(
        SfObject::Skill,
        scenario
            .skills
            .iter()
            .enumerate()
            .map(|(k, skill)| {
                vec![
                    id(SfObject::Skill, k as u64 + 1).to_string(),
                    developer_name(&skill.name),
                    skill.name.clone(),
                ]
            })
            .collect(),
    )?;
    file(
        SfObject::ServiceResource,
        names
            .iter()
            .enumerate()
            .map(|(a, name)| {
                vec![
                    id(SfObject::ServiceResource, a as u64 + 1).to_string(),
                    name.clone(),
                    user_id(a as u32).to_string(),
                    "A".into(),
                    boolean(true).into(),
                ]
            })
            .collect(),
    )?;
    let since = format_datetime(place.start_utc() - chrono::Duration::days(1));
    let mut skills = Vec::new();
    for (a, g) in groups.iter().enumerate() {
        for (skill, level) in &scenario.agents[*g].skills {
            skills.push(vec![
                id(SfObject::ServiceResourceSkill, skills.len() as u64 + 1).to_string(),
                id(SfObject::ServiceResource, a as u64 + 1).to_string(),
                id(SfObject::Skill, skill.index() as u64 + 1).to_string(),
                double(f64::from(*level)),
                since.clone(),
            ]);
        }
    }
    file(SfObject::ServiceResourceSkill, skills)?;
    Ok(files)
}

/// Each agent's group, in agent order.
pub(super) fn agent_groups(scenario: &Scenario) -> Vec<usize> {
    scenario.agent_schedules().map(|(g, _)| g).collect()
}

/// Each agent's `User.Name`: the roster's name for a rostered agent,
/// else the group's name and the agent's number in it (`Tier 1 03`).
pub fn agent_names(scenario: &Scenario) -> Vec<String> {
    let mut in_group = vec![0usize; scenario.agents.len()];
    scenario
        .agent_schedules()
        .map(|(g, s)| {
            in_group[g] += 1;
            match s.name {
                Some(n) => n.to_string(),
                None => format!("{} {:02}", scenario.agents[g].group, in_group[g]),
            }
        })
        .collect()
}
