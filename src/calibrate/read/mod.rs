//! An export folder read into typed records, every reference checked.
//!
//! `AgentWork.csv` and `UserServicePresence.csv` are required; the other
//! files add what they hold when present (names, membership, skills,
//! sessions). Every id is checked where the file it points to was given:
//! an AgentWork whose `UserId` is no `User`, a presence spell whose
//! status is no `ServicePresenceStatus`, a chat's `WorkItemId` that is no
//! `MessagingSession` are errors at their cell, before anything is
//! estimated.

mod table;

pub use table::{Row, Table};

use super::error::ExportError;
use crate::salesforce::object::{SfObject, WorkItemEntity};
use crate::salesforce::SalesforceId;
use chrono::{DateTime, Utc};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

pub use crate::omni::WorkStatus;

/// The AgentWork status an export spells `text`.
fn work_status(text: &str) -> Result<WorkStatus, String> {
    WorkStatus::from_name(text).ok_or_else(|| {
        let names: Vec<&str> = WorkStatus::ALL.iter().map(|s| s.as_str()).collect();
        format!(
            "\"{text}\" is not an AgentWork status; expected one of {}",
            names.join(", ")
        )
    })
}

/// One AgentWork record.
#[derive(Clone, Debug)]
pub struct AgentWorkRecord {
    /// Line in the file.
    pub line: u64,
    /// `Id`.
    pub id: SalesforceId,
    /// `WorkItemId`.
    pub item: SalesforceId,
    /// `UserId`.
    pub user: SalesforceId,
    /// `ServiceChannelId`.
    pub channel: SalesforceId,
    /// `OriginalQueueId`.
    pub queue: SalesforceId,
    /// `Status`.
    pub status: WorkStatus,
    /// `RoutingType` (`QueueBased`, `SkillsBased`), if exported.
    pub routing_type: Option<String>,
    /// `RoutingModel` (`MostAvailable`, `LeastActive`, …), if exported.
    pub routing_model: Option<String>,
    /// `RoutingPriority`.
    pub priority: Option<f64>,
    /// `CapacityWeight`.
    pub capacity_weight: Option<f64>,
    /// `CapacityPercentage`.
    pub capacity_percentage: Option<f64>,
    /// `PushTimeout` \[s\].
    pub push_timeout: Option<f64>,
    /// `RequestDateTime`.
    pub requested: DateTime<Utc>,
    /// `AssignedDateTime`.
    pub assigned: DateTime<Utc>,
    /// `AcceptDateTime`.
    pub accepted: Option<DateTime<Utc>>,
    /// `DeclineDateTime`.
    pub declined: Option<DateTime<Utc>>,
    /// `DeclineReason`.
    pub decline_reason: Option<String>,
    /// `PushTimeoutDateTime`.
    pub timed_out: Option<DateTime<Utc>>,
    /// `CancelDateTime`.
    pub canceled: Option<DateTime<Utc>>,
    /// `CloseDateTime`.
    pub closed: Option<DateTime<Utc>>,
    /// `AfterConversationActualTime` \[s\].
    pub after_conversation: Option<f64>,
}

/// One UserServicePresence record: a spell in one status.
#[derive(Clone, Debug)]
pub struct PresenceRecord {
    /// Line in the file.
    pub line: u64,
    /// `UserId`.
    pub user: SalesforceId,
    /// `ServicePresenceStatusId`.
    pub status: SalesforceId,
    /// `StatusStartDate`.
    pub start: DateTime<Utc>,
    /// `StatusEndDate`; `None` while current.
    pub end: Option<DateTime<Utc>>,
    /// `ConfiguredCapacity`.
    pub capacity: f64,
}

/// One AgentWorkSkill record.
#[derive(Clone, Debug)]
pub struct WorkSkillRecord {
    /// `AgentWorkId`.
    pub work: SalesforceId,
    /// `SkillId`.
    pub skill: SalesforceId,
    /// `SkillLevel`.
    pub level: f64,
    /// `IsAdditionalSkill`.
    pub additional: bool,
    /// `SkillPriority`.
    pub priority: Option<f64>,
    /// `WasDropped`.
    pub dropped: bool,
}

/// One MessagingSession record.
#[derive(Clone, Debug)]
pub struct SessionRecord {
    /// `Id`.
    pub id: SalesforceId,
    /// `OwnerId`: its queue while waiting, its agent once accepted.
    pub owner: Option<SalesforceId>,
    /// `StartTime`.
    pub start: DateTime<Utc>,
    /// `AcceptTime`.
    pub accepted: Option<DateTime<Utc>>,
    /// `EndTime`.
    pub end: Option<DateTime<Utc>>,
    /// `Status`.
    pub status: String,
}

/// One PendingServiceRouting record: a work item still waiting.
#[derive(Clone, Debug)]
pub struct PendingRecord {
    /// `WorkItemId`.
    pub item: SalesforceId,
    /// `GroupId`: the queue it waits in.
    pub queue: SalesforceId,
    /// When it was first requested: `CustomRequestedDateTime`, else
    /// `CreatedDate`.
    pub requested: DateTime<Utc>,
}

/// A named record of a lookup file.
#[derive(Clone, Debug)]
pub struct Named {
    /// The name a scenario uses (`Name`, `MasterLabel` or `DeveloperName`).
    pub name: String,
    /// A second name (`MasterLabel` of a status, `RelatedEntity` of a
    /// channel), if any.
    pub other: Option<String>,
}

/// The export folder, read.
#[derive(Debug, Default)]
pub struct Export {
    /// The folder.
    pub dir: PathBuf,
    /// AgentWork records, in file order.
    pub works: Vec<AgentWorkRecord>,
    /// UserServicePresence records, in file order.
    pub presence: Vec<PresenceRecord>,
    /// AgentWorkSkill records.
    pub work_skills: Vec<WorkSkillRecord>,
    /// MessagingSession records; `None` without the file.
    pub sessions: Option<Vec<SessionRecord>>,
    /// PendingServiceRouting records: items still waiting.
    pub pending: Vec<PendingRecord>,
    /// Users by id (`Name`).
    pub users: BTreeMap<SalesforceId, Named>,
    /// Queues by id (`Name`).
    pub queues: BTreeMap<SalesforceId, Named>,
    /// Channels by id (`MasterLabel` or `DeveloperName`, and
    /// `RelatedEntity`).
    pub channels: BTreeMap<SalesforceId, Named>,
    /// Statuses by id (`DeveloperName`, and `MasterLabel`).
    pub statuses: BTreeMap<SalesforceId, Named>,
    /// Skills by id (`MasterLabel` or `DeveloperName`).
    pub skills: BTreeMap<SalesforceId, Named>,
    /// Queue membership: (queue, user); `None` without GroupMember.csv.
    pub members: Option<BTreeSet<(SalesforceId, SalesforceId)>>,
    /// Agents' skills: user → skill → level; `None` without
    /// ServiceResource.csv and ServiceResourceSkill.csv.
    pub agent_skills: Option<BTreeMap<SalesforceId, BTreeMap<SalesforceId, f64>>>,
    /// The files read and their records, in [`SfObject::ALL`] order.
    pub files_read: Vec<(SfObject, usize)>,
    /// Optional fields the export left out, as `Object.Field`.
    pub missing_fields: Vec<String>,
}

impl Export {
    /// Reads the export in `dir`.
    pub fn read(dir: &Path) -> Result<Export, ExportError> {
        if !dir.is_dir() {
            return Err(ExportError::file(
                dir,
                "is not a folder; expected the folder of the export's CSV files \
                 (AgentWork.csv, UserServicePresence.csv, …)",
            ));
        }
        let mut x = Export {
            dir: dir.to_path_buf(),
            ..Export::default()
        };
        let users = x.lookup(SfObject::User, |r| Ok(named(r.text("Name"), None)))?;
        let queues = x.lookup(SfObject::Group, |r| Ok(named(r.text("Name"), None)))?;
        let channels = x.lookup(SfObject::ServiceChannel, |r| {
            Ok(named(
                r.text("MasterLabel").or(r.text("DeveloperName")),
                r.text("RelatedEntity"),
            ))
        })?;
        let statuses = x.lookup(SfObject::ServicePresenceStatus, |r| {
            Ok(named(r.text("DeveloperName"), r.text("MasterLabel")))
        })?;
        let skills = x.lookup(SfObject::Skill, |r| {
            Ok(named(
                r.text("MasterLabel").or(r.text("DeveloperName")),
                None,
            ))
        })?;
        let check = |r: &Row<'_>,
                     field: &str,
                     id: &SalesforceId,
                     of: &Option<BTreeMap<SalesforceId, Named>>,
                     o: SfObject| {
            match of {
                Some(m) if !m.contains_key(id) => Err(r.error(
                    field,
                    format!(
                        "{field} {id} is no {} of {} (it points nowhere)",
                        o.name(),
                        o.file_name()
                    ),
                )),
                _ => Ok(()),
            }
        };

        let sessions = match x.table(SfObject::MessagingSession)? {
            Some(t) => {
                let mut out = Vec::new();
                for r in t.rows() {
                    out.push(SessionRecord {
                        id: r.own_id()?,
                        owner: r.opt_id("OwnerId")?,
                        start: r.required_datetime("StartTime")?,
                        accepted: r.datetime("AcceptTime")?,
                        end: r.datetime("EndTime")?,
                        status: r.required_text("Status")?.to_string(),
                    });
                }
                Some(out)
            }
            None => None,
        };
        let session_ids: Option<BTreeSet<&SalesforceId>> =
            sessions.as_ref().map(|s| s.iter().map(|s| &s.id).collect());

        let Some(t) = x.table(SfObject::AgentWork)? else {
            return Err(missing(dir, SfObject::AgentWork));
        };
        for r in t.rows() {
            let item = r.id("WorkItemId")?;
            match WorkItemEntity::from_key_prefix(item.key_prefix()) {
                Some(WorkItemEntity::MessagingSession) => {
                    if let Some(ids) = &session_ids {
                        if !ids.contains(&item) {
                            return Err(r.error(
                                "WorkItemId",
                                format!(
                                    "WorkItemId {item} is a MessagingSession id but no session of \
                                     MessagingSession.csv has it (it points nowhere)"
                                ),
                            ));
                        }
                    }
                }
                Some(_) => {}
                None => {
                    let what = SfObject::from_key_prefix(item.key_prefix())
                        .map_or("an unknown object", |o| o.name());
                    return Err(r.error(
                        "WorkItemId",
                        format!(
                            "WorkItemId {item} is an id of {what} (key prefix {}), not of a \
                             work item (a Case, MessagingSession or VoiceCall)",
                            item.key_prefix()
                        ),
                    ));
                }
            }
            let w = AgentWorkRecord {
                line: r.line,
                id: r.own_id()?,
                item,
                user: r.id("UserId")?,
                channel: r.id("ServiceChannelId")?,
                queue: r.id("OriginalQueueId")?,
                status: work_status(r.required_text("Status")?)
                    .map_err(|e| r.error("Status", e))?,
                routing_type: r.text("RoutingType").map(String::from),
                routing_model: r.text("RoutingModel").map(String::from),
                priority: r.number("RoutingPriority")?,
                capacity_weight: r.number("CapacityWeight")?,
                capacity_percentage: r.number("CapacityPercentage")?,
                push_timeout: r.number("PushTimeout")?,
                requested: r.required_datetime("RequestDateTime")?,
                assigned: r.required_datetime("AssignedDateTime")?,
                accepted: r.datetime("AcceptDateTime")?,
                declined: r.datetime("DeclineDateTime")?,
                decline_reason: r.text("DeclineReason").map(String::from),
                timed_out: r.datetime("PushTimeoutDateTime")?,
                canceled: r.datetime("CancelDateTime")?,
                closed: r.datetime("CloseDateTime")?,
                after_conversation: r.number("AfterConversationActualTime")?,
            };
            check(&r, "UserId", &w.user, &users, SfObject::User)?;
            check(
                &r,
                "ServiceChannelId",
                &w.channel,
                &channels,
                SfObject::ServiceChannel,
            )?;
            check(&r, "OriginalQueueId", &w.queue, &queues, SfObject::Group)?;
            x.works.push(w);
        }
        x.note_missing(&t);

        if let Some(t) = x.table(SfObject::PendingServiceRouting)? {
            for r in t.rows() {
                r.own_id()?;
                let item = r.id("WorkItemId")?;
                if let Some(ids) = &session_ids {
                    if WorkItemEntity::from_key_prefix(item.key_prefix())
                        == Some(WorkItemEntity::MessagingSession)
                        && !ids.contains(&item)
                    {
                        return Err(r.error(
                            "WorkItemId",
                            format!(
                                "WorkItemId {item} is a MessagingSession id but no session of \
                                 MessagingSession.csv has it (it points nowhere)"
                            ),
                        ));
                    }
                }
                let p = PendingRecord {
                    item,
                    queue: r.id("GroupId")?,
                    requested: match r.datetime("CustomRequestedDateTime")? {
                        Some(t) => t,
                        None => r.required_datetime("CreatedDate")?,
                    },
                };
                check(&r, "GroupId", &p.queue, &queues, SfObject::Group)?;
                x.pending.push(p);
            }
        }

        let Some(t) = x.table(SfObject::UserServicePresence)? else {
            return Err(missing(dir, SfObject::UserServicePresence));
        };
        for r in t.rows() {
            r.own_id()?;
            let p = PresenceRecord {
                line: r.line,
                user: r.id("UserId")?,
                status: r.id("ServicePresenceStatusId")?,
                start: r.required_datetime("StatusStartDate")?,
                end: r.datetime("StatusEndDate")?,
                capacity: r
                    .number("ConfiguredCapacity")?
                    .ok_or_else(|| r.error("ConfiguredCapacity", "ConfiguredCapacity is empty"))?,
            };
            // Read for its located error only: which spells are breaks
            // comes from the status (ServicePresenceStatus).
            r.boolean("IsAway")?;
            if let Some(end) = p.end {
                if end < p.start {
                    return Err(r.error(
                        "StatusEndDate",
                        format!("the spell ends ({end}) before it starts ({})", p.start),
                    ));
                }
            }
            check(&r, "UserId", &p.user, &users, SfObject::User)?;
            check(
                &r,
                "ServicePresenceStatusId",
                &p.status,
                &statuses,
                SfObject::ServicePresenceStatus,
            )?;
            x.presence.push(p);
        }
        x.note_missing(&t);

        if let Some(t) = x.table(SfObject::AgentWorkSkill)? {
            let works: BTreeSet<&SalesforceId> = x.works.iter().map(|w| &w.id).collect();
            let mut out = Vec::new();
            for r in t.rows() {
                r.own_id()?;
                let s = WorkSkillRecord {
                    work: r.id("AgentWorkId")?,
                    skill: r.id("SkillId")?,
                    level: r
                        .number("SkillLevel")?
                        .ok_or_else(|| r.error("SkillLevel", "SkillLevel is empty"))?,
                    additional: r.boolean("IsAdditionalSkill")?.unwrap_or(false),
                    priority: r.number("SkillPriority")?,
                    dropped: r.boolean("WasDropped")?.unwrap_or(false),
                };
                if !works.contains(&s.work) {
                    return Err(r.error(
                        "AgentWorkId",
                        format!(
                            "AgentWorkId {} is no AgentWork of AgentWork.csv (it points nowhere)",
                            s.work
                        ),
                    ));
                }
                check(&r, "SkillId", &s.skill, &skills, SfObject::Skill)?;
                out.push(s);
            }
            x.work_skills = out;
        }

        if let Some(t) = x.table(SfObject::GroupMember)? {
            let mut m = BTreeSet::new();
            for r in t.rows() {
                r.own_id()?;
                let (g, u) = (r.id("GroupId")?, r.id("UserOrGroupId")?);
                check(&r, "GroupId", &g, &queues, SfObject::Group)?;
                if u.key_prefix() == SfObject::User.key_prefix() {
                    check(&r, "UserOrGroupId", &u, &users, SfObject::User)?;
                    m.insert((g, u));
                }
            }
            x.members = Some(m);
        }

        let resources = match x.table(SfObject::ServiceResource)? {
            Some(t) => {
                let mut m = BTreeMap::new();
                for r in t.rows() {
                    let id = r.own_id()?;
                    let user = r.id("RelatedRecordId")?;
                    check(&r, "RelatedRecordId", &user, &users, SfObject::User)?;
                    m.insert(id, user);
                }
                Some(m)
            }
            None => None,
        };
        if let Some(t) = x.table(SfObject::ServiceResourceSkill)? {
            let Some(resources) = &resources else {
                return Err(ExportError::file(
                    &t.path,
                    "ServiceResourceSkill.csv needs ServiceResource.csv beside it, to know whose \
                     skills they are",
                ));
            };
            let mut m: BTreeMap<SalesforceId, BTreeMap<SalesforceId, f64>> = BTreeMap::new();
            for r in t.rows() {
                r.own_id()?;
                let res = r.id("ServiceResourceId")?;
                let skill = r.id("SkillId")?;
                check(&r, "SkillId", &skill, &skills, SfObject::Skill)?;
                let level = r
                    .number("SkillLevel")?
                    .ok_or_else(|| r.error("SkillLevel", "SkillLevel is empty"))?;
                let Some(user) = resources.get(&res) else {
                    return Err(r.error(
                        "ServiceResourceId",
                        format!(
                            "ServiceResourceId {res} is no ServiceResource of ServiceResource.csv \
                             (it points nowhere)"
                        ),
                    ));
                };
                m.entry(user.clone()).or_default().insert(skill, level);
            }
            x.agent_skills = Some(m);
        }
        x.sessions = sessions;
        x.users = users.unwrap_or_default();
        x.queues = queues.unwrap_or_default();
        x.channels = channels.unwrap_or_default();
        x.statuses = statuses.unwrap_or_default();
        x.skills = skills.unwrap_or_default();
        x.files_read.sort_by_key(|(o, _)| *o);
        Ok(x)
    }

    /// Reads `object`'s file if the folder has it.
    fn table(&mut self, object: SfObject) -> Result<Option<Table>, ExportError> {
        let Some(path) = find_file(&self.dir, object) else {
            return Ok(None);
        };
        let t = Table::read(&path, object)?;
        self.files_read.push((object, t.len()));
        Ok(Some(t))
    }

    /// Reads a lookup file into id → name.
    fn lookup(
        &mut self,
        object: SfObject,
        name: impl Fn(&Row<'_>) -> Result<Named, ExportError>,
    ) -> Result<Option<BTreeMap<SalesforceId, Named>>, ExportError> {
        let Some(t) = self.table(object)? else {
            return Ok(None);
        };
        let mut m = BTreeMap::new();
        for r in t.rows() {
            let id = r.own_id()?;
            let n = name(&r)?;
            if n.name.is_empty() {
                let field = object.required()[1];
                return Err(r.error(field, format!("{field} is empty")));
            }
            m.insert(id, n);
        }
        Ok(Some(m))
    }

    fn note_missing(&mut self, t: &Table) {
        for f in t.object.fields() {
            if !t.has(f) {
                self.missing_fields.push(format!("{}.{f}", t.object.name()));
            }
        }
    }
}

impl SessionRecord {
    /// The queue of a session that was never pushed: its `OwnerId` when
    /// that is a queue.
    pub fn queue(&self) -> Option<&SalesforceId> {
        self.owner
            .as_ref()
            .filter(|o| o.key_prefix() == SfObject::Group.key_prefix())
    }
}

fn named(name: Option<&str>, other: Option<&str>) -> Named {
    Named {
        name: name.unwrap_or_default().to_string(),
        other: other.map(String::from),
    }
}

/// The file of `object` in `dir`: `<Object>.csv`, any case.
fn find_file(dir: &Path, object: SfObject) -> Option<PathBuf> {
    let want = object.file_name();
    let exact = dir.join(&want);
    if exact.is_file() {
        return Some(exact);
    }
    std::fs::read_dir(dir).ok()?.flatten().find_map(|e| {
        let name = e.file_name().to_string_lossy().into_owned();
        (name.eq_ignore_ascii_case(&want) && e.path().is_file()).then(|| e.path())
    })
}

fn missing(dir: &Path, object: SfObject) -> ExportError {
    ExportError::file(
        dir,
        format!(
            "the export has no {}; calibrate needs AgentWork.csv and UserServicePresence.csv \
             (docs/salesforce-data.md says how to export them)",
            object.file_name()
        ),
    )
}
