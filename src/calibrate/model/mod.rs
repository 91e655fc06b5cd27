//! The calibrated model: every figure the files are written from.

pub mod agents;
pub mod day;
pub mod items;
pub mod queues;

pub use agents::{AgentCal, GroupCal, StatusCal};
pub use day::Day;
pub use queues::{Fitted, Patience, QueueCal};

use crate::calibrate::error::ExportError;
use crate::calibrate::read::Export;
use crate::salesforce::SalesforceId;
use chrono_tz::Tz;
use serde::Serialize;

/// How to calibrate.
#[derive(Clone, Debug)]
pub struct CalibrateOptions {
    /// The centre's time zone: the day's clock times are in it.
    pub zone: Tz,
    /// The reporting and forecast interval \[s\].
    pub interval_s: f64,
    /// The calibrated scenario's name.
    pub name: String,
}

/// A service channel of the export.
#[derive(Clone, Debug, Serialize)]
pub struct ChannelCal {
    /// Its id.
    #[serde(skip)]
    pub id: SalesforceId,
    /// Its name.
    pub name: String,
    /// What its work items are (`RelatedEntity`), if exported.
    pub related_entity: Option<String>,
}

/// A skill of the export.
#[derive(Clone, Debug, Serialize)]
pub struct SkillCal {
    /// Its id.
    #[serde(skip)]
    pub id: SalesforceId,
    /// Its name.
    pub name: String,
}

/// Everything calibrate learnt from an export.
#[derive(Debug)]
pub struct Calibration {
    /// The options it ran with.
    pub options: CalibrateOptions,
    /// The export it read.
    pub export: Export,
    /// The day.
    pub day: Day,
    /// Channels the work came on.
    pub channels: Vec<ChannelCal>,
    /// Statuses.
    pub statuses: Vec<StatusCal>,
    /// Skills asked for or held.
    pub skills: Vec<SkillCal>,
    /// Queues.
    pub queues: Vec<QueueCal>,
    /// Agent groups.
    pub groups: Vec<GroupCal>,
    /// Agents.
    pub agents: Vec<AgentCal>,
    /// What the export did not say, and what was assumed.
    pub notes: Vec<String>,
}

impl Calibration {
    /// Calibrates a model of `export`.
    pub fn new(export: Export, options: CalibrateOptions) -> Result<Calibration, ExportError> {
        let day = Day::of(&export, options.zone, options.interval_s)?;
        let items = items::Items::of(&export);
        let mut notes = Vec::new();
        if items.unplaced_sessions > 0 {
            notes.push(format!(
                "{} messaging sessions were never pushed and name no queue (OwnerId): they are \
                 not counted",
                items.unplaced_sessions
            ));
        }
        if export.sessions.is_none() {
            notes.push(
                "MessagingSession.csv not exported: chats that ended before any push are not \
                 seen, so offered volume and abandonment of chat queues are too low"
                    .into(),
            );
        }
        if !export.missing_fields.is_empty() {
            notes.push(format!(
                "optional fields not exported: {}",
                export.missing_fields.join(", ")
            ));
        }
        notes.push(
            "the service-level threshold is not in an org's records: the scenario's default \
             (20 s) is written; set each queue's own"
                .into(),
        );
        let queues = queues::calibrate_queues(&export, &items.items, &day);
        let mut channel_ids: Vec<SalesforceId> = queues.iter().map(|q| q.channel.clone()).collect();
        channel_ids.sort();
        channel_ids.dedup();
        let mut channel_names: Vec<String> = channel_ids
            .iter()
            .map(|c| {
                export
                    .channels
                    .get(c)
                    .map_or_else(|| c.to_string(), |n| n.name.clone())
            })
            .collect();
        agents::unique_names(&mut channel_names);
        let channels: Vec<ChannelCal> = channel_ids
            .iter()
            .zip(channel_names)
            .map(|(id, name)| ChannelCal {
                id: id.clone(),
                name,
                related_entity: export.channels.get(id).and_then(|n| n.other.clone()),
            })
            .collect();
        let people = agents::calibrate_people(&export, &day, &queues, &channel_ids);
        notes.extend(people.notes);
        let mut skill_ids: Vec<SalesforceId> = export
            .work_skills
            .iter()
            .map(|s| s.skill.clone())
            .chain(
                people
                    .groups
                    .iter()
                    .flat_map(|g| g.skills.iter().map(|(s, _)| s.clone())),
            )
            .collect();
        skill_ids.sort();
        skill_ids.dedup();
        let mut skill_names: Vec<String> = skill_ids
            .iter()
            .map(|s| {
                export
                    .skills
                    .get(s)
                    .map_or_else(|| s.to_string(), |n| n.name.clone())
            })
            .collect();
        agents::unique_names(&mut skill_names);
        let skills = skill_ids
            .into_iter()
            .zip(skill_names)
            .map(|(id, name)| SkillCal { id, name })
            .collect();
        Ok(Calibration {
            options,
            day,
            channels,
            statuses: people.statuses,
            skills,
            queues,
            groups: people.groups,
            agents: people.agents,
            notes,
            export,
        })
    }

    /// The index of a channel by id.
    pub fn channel(&self, id: &SalesforceId) -> usize {
        self.channels.iter().position(|c| c.id == *id).unwrap_or(0)
    }

    /// The name of a skill by id.
    pub fn skill_name(&self, id: &SalesforceId) -> &str {
        self.skills
            .iter()
            .find(|s| s.id == *id)
            .map_or("", |s| s.name.as_str())
    }
}
