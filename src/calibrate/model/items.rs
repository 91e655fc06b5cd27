//! Work items as the export tells them: each item's AgentWork records
//! (one per push, over every queue it went through) and its messaging
//! session, put together into one life: when it was first requested and
//! in which queue, when it was answered or abandoned, and how long it was
//! handled.

use super::day::Day;
use crate::calibrate::read::{AgentWorkRecord, Export, SessionRecord, WorkStatus};
use crate::salesforce::object::WorkItemEntity;
use crate::salesforce::SalesforceId;
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;

/// One work item's life.
#[derive(Clone, Debug)]
pub struct Item {
    /// The queue it first entered.
    pub queue: SalesforceId,
    /// Its AgentWork records, in push order.
    pub works: Vec<usize>,
    /// Its first request.
    pub requested: DateTime<Utc>,
    /// Its first acceptance.
    pub answered: Option<DateTime<Utc>>,
    /// When its customer left without an answer.
    pub abandoned: Option<DateTime<Utc>>,
    /// Its handle time (every accepted push's close − accept − after
    /// conversation work) \[s\], when its last push is closed.
    pub handle_s: Option<f64>,
    /// The after-conversation work of its closing push \[s\].
    pub wrap_up_s: Option<f64>,
    /// Whether a messaging session stands behind it.
    pub session: bool,
}

/// The items of an export, by id, and how many sessions could not be
/// put in a queue.
#[derive(Debug, Default)]
pub struct Items {
    /// Every item, in id order.
    pub items: Vec<Item>,
    /// Sessions never pushed whose queue the export does not say.
    pub unplaced_sessions: usize,
}

impl Items {
    /// The items of `export`.
    pub fn of(export: &Export) -> Items {
        let mut works: BTreeMap<&SalesforceId, Vec<usize>> = BTreeMap::new();
        for (i, w) in export.works.iter().enumerate() {
            works.entry(&w.item).or_default().push(i);
        }
        for list in works.values_mut() {
            list.sort_by_key(|i| (export.works[*i].assigned, export.works[*i].line));
        }
        let sessions: BTreeMap<&SalesforceId, &SessionRecord> = export
            .sessions
            .iter()
            .flatten()
            .map(|s| (&s.id, s))
            .collect();
        // The one queue of messaging work, for sessions that never reached
        // a push and carry no queue of their own.
        let mut messaging_queues: Vec<&SalesforceId> = export
            .works
            .iter()
            .filter(|w| {
                WorkItemEntity::from_key_prefix(w.item.key_prefix())
                    == Some(WorkItemEntity::MessagingSession)
            })
            .map(|w| &w.queue)
            .collect();
        messaging_queues.sort();
        messaging_queues.dedup();
        let pending: BTreeMap<&SalesforceId, &crate::calibrate::read::PendingRecord> =
            export.pending.iter().map(|p| (&p.item, p)).collect();
        let mut out = Items::default();
        let mut ids: Vec<&SalesforceId> = works
            .keys()
            .copied()
            .chain(sessions.keys().copied())
            .chain(pending.keys().copied())
            .collect();
        ids.sort();
        ids.dedup();
        for id in ids {
            let list = works.get(id).cloned().unwrap_or_default();
            let session = sessions.get(id).copied();
            let recs: Vec<&AgentWorkRecord> = list.iter().map(|i| &export.works[*i]).collect();
            let waiting = pending.get(id).copied();
            let queue = match (recs.first(), session, waiting) {
                (Some(w), _, _) => w.queue.clone(),
                (None, _, Some(p)) => p.queue.clone(),
                (None, Some(s), None) => match (s.queue(), messaging_queues.as_slice()) {
                    (Some(q), _) => q.clone(),
                    (None, [q]) => (*q).clone(),
                    _ => {
                        out.unplaced_sessions += 1;
                        continue;
                    }
                },
                (None, None, None) => continue,
            };
            let requested = recs
                .iter()
                .map(|w| w.requested)
                .chain(session.map(|s| s.start))
                .chain(waiting.map(|p| p.requested))
                .min()
                .expect("an item has a push, a session or a pending routing");
            let answered = recs
                .iter()
                .filter_map(|w| w.accepted)
                .chain(session.and_then(|s| s.accepted))
                .min();
            let last = recs.last();
            let abandoned = if answered.is_some() {
                None
            } else {
                match session {
                    Some(s) if s.status.eq_ignore_ascii_case("Ended") => s.end,
                    _ => last
                        .filter(|w| w.status == WorkStatus::Canceled)
                        .and_then(|w| w.canceled),
                }
            };
            let complete = last.is_some_and(|w| w.status == WorkStatus::Closed);
            let handle_s = complete.then(|| {
                recs.iter()
                    .filter_map(|w| match (w.accepted, w.closed) {
                        (Some(a), Some(c)) => Some(
                            ((c - a).num_milliseconds() as f64 / 1000.0
                                - w.after_conversation.unwrap_or(0.0))
                            .max(0.0),
                        ),
                        _ => None,
                    })
                    .sum::<f64>()
            });
            let wrap_up_s = if complete {
                last.and_then(|w| w.after_conversation)
            } else {
                None
            };
            out.items.push(Item {
                queue,
                works: list,
                requested,
                answered,
                abandoned,
                handle_s,
                wrap_up_s,
                session: session.is_some(),
            });
        }
        out
    }
}

/// How long an item waited, for patience: until its answer, its
/// abandonment or the end of the day, and whether it abandoned.
pub fn wait(item: &Item, day: &Day) -> (f64, bool) {
    let until = item
        .answered
        .or(item.abandoned)
        .unwrap_or_else(|| day.end());
    let secs = ((until - item.requested).num_milliseconds() as f64 / 1000.0).max(0.0);
    (secs, item.abandoned.is_some())
}
