//! The simulated day as a Salesforce org would have recorded it: an
//! [`EventSink`] that writes the export files of [`crate::salesforce`]
//! from the event stream of one replication.
//!
//! Every record comes from events the engine already emits (pushes,
//! answers, closes, transfers, status changes, workload changes); nothing
//! is re-simulated. The streamed files get their rows when the record
//! ends (an AgentWork when it is closed, declined, timed out, …; a
//! presence spell when the status changes), so rows are in the order
//! records ended and memory holds only what is still open; what is still
//! open when the run ends is written last, in id order, as Salesforce
//! would show it at that moment (`Assigned`/`Opened` work, the current
//! presence spell, waiting or active sessions).

pub(crate) mod lookups;
mod presence;
mod work;

use super::bulk_csv::BulkCsv;
use super::object::{SfObject, WorkItemEntity};
use super::when::DayPlacement;
use super::SalesforceId;
use crate::events::{EventSink, SimEvent};
use crate::scenario::Scenario;
use crate::time::SimTime;
use std::fs::File;
use std::io::{self, BufWriter};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The folder, inside a result folder, that holds the export.
pub const EXPORT_FOLDER: &str = "salesforce";

type Out = BulkCsv<BufWriter<File>>;

/// Writes one replication's events as Salesforce export files.
#[derive(Debug)]
pub struct SalesforceExport {
    scenario: Arc<Scenario>,
    place: DayPlacement,
    dir: PathBuf,
    /// The work item object of each channel.
    entities: Vec<WorkItemEntity>,
    work: work::WorkRecords,
    presence: presence::PresenceRecords,
    /// The first write error; reported by [`SalesforceExport::into_files`].
    error: Option<io::Error>,
    /// Files written, in [`SfObject::ALL`] order once finished.
    files: Vec<PathBuf>,
}

impl SalesforceExport {
    /// Starts an export of `scenario`'s run into `dir` (created if
    /// missing), placed in real time by `place`: writes the lookup files
    /// and opens the streamed ones.
    pub fn create(
        dir: &Path,
        scenario: Arc<Scenario>,
        place: DayPlacement,
    ) -> io::Result<SalesforceExport> {
        std::fs::create_dir_all(dir)?;
        let entities: Vec<WorkItemEntity> = scenario
            .channels
            .iter()
            .map(|c| WorkItemEntity::of_channel(&c.name))
            .collect();
        let open = |o: SfObject| -> io::Result<Out> {
            let f = File::create(dir.join(o.file_name()))?;
            BulkCsv::new(BufWriter::new(f), o.fields())
        };
        let work = work::WorkRecords::new([
            open(SfObject::AgentWork)?,
            open(SfObject::AgentWorkSkill)?,
            open(SfObject::MessagingSession)?,
            open(SfObject::PendingServiceRouting)?,
        ]);
        let presence =
            presence::PresenceRecords::new(&scenario, open(SfObject::UserServicePresence)?);
        let files = lookups::write(dir, &scenario, &place, &entities)?;
        Ok(SalesforceExport {
            scenario,
            place,
            dir: dir.to_path_buf(),
            entities,
            work,
            presence,
            error: None,
            files,
        })
    }

    /// Closes the files; returns every file written, in
    /// [`SfObject::ALL`] order, or the first error met on the way.
    pub fn into_files(mut self) -> io::Result<Vec<PathBuf>> {
        if let Some(e) = self.error.take() {
            return Err(e);
        }
        self.work.close()?;
        self.presence.close()?;
        let mut files = self.files;
        for o in [
            SfObject::AgentWork,
            SfObject::AgentWorkSkill,
            SfObject::MessagingSession,
            SfObject::PendingServiceRouting,
            SfObject::UserServicePresence,
        ] {
            files.push(self.dir.join(o.file_name()));
        }
        files.sort_by_key(|p| {
            SfObject::ALL
                .iter()
                .position(|o| p.file_name().is_some_and(|n| *n == *o.file_name()))
        });
        Ok(files)
    }

    /// Runs `f` on the records with their context, unless a write already
    /// failed, and keeps the first error.
    fn write(
        &mut self,
        f: impl FnOnce(
            &mut work::WorkRecords,
            &mut presence::PresenceRecords,
            &Ctx<'_>,
        ) -> io::Result<()>,
    ) {
        if self.error.is_some() {
            return;
        }
        let ctx = Ctx {
            scenario: &self.scenario,
            place: &self.place,
            entities: &self.entities,
        };
        if let Err(e) = f(&mut self.work, &mut self.presence, &ctx) {
            self.error = Some(e);
        }
    }
}

impl EventSink for SalesforceExport {
    fn on_event(&mut self, event: &SimEvent) {
        self.write(|work, presence, ctx| {
            work.on_event(ctx, event)?;
            presence.on_event(ctx, event)
        });
    }

    fn finish(&mut self, end: SimTime) {
        self.write(|work, presence, ctx| {
            work.finish(ctx, end)?;
            presence.finish(ctx, end)
        });
    }
}

/// What every part of the export reads while writing a record.
struct Ctx<'a> {
    scenario: &'a Scenario,
    place: &'a DayPlacement,
    entities: &'a [WorkItemEntity],
}

/// The id of record `n` of `object`.
fn id(object: SfObject, n: u64) -> SalesforceId {
    SalesforceId::new(object.key_prefix(), n)
}

/// The User id of agent `agent` (numbered from 1, as records are).
fn user_id(agent: u32) -> SalesforceId {
    id(SfObject::User, agent as u64 + 1)
}

#[cfg(test)]
mod tests;
