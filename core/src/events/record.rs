//! [`ItemRecord`]: what the event stream has said of one work item, kept
//! once for every item in flight by an [`ItemBook`].
//!
//! Per-item results (the metrics' answered, waited and closed figures,
//! `work.csv`'s rows) need an item's whole life: when it arrived, when it
//! was first pushed and first accepted, how often it was declined. Each
//! sink used to keep its own map of in-flight items and rebuild that life
//! from the events. The engine now keeps the one record per item, and the
//! event that ends the item ([`EventKind::WorkClosed`],
//! [`EventKind::WorkAbandoned`], [`EventKind::WorkEndedNoAgent`]) carries it
//! out; the items still in flight when a run ends are handed to
//! [`EventSink::in_flight`] before [`EventSink::finish`]. A result set is
//! still a function of the event stream alone: the record is built from
//! the events, by the book, in one place.
//!
//! Whoever feeds sinks with events of their own (tests, replays) passes
//! them through an [`ItemBook`] too, as the engine does.

use super::{EventKind, EventSink, SimEvent};
use crate::omni::{AgentId, QueueId, RetrialOf, SkillId, WorkItemId};
use crate::time::{SimDuration, SimTime};
use rustc_hash::FxHashMap;

/// One work item's life so far, as its events told it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ItemRecord {
    /// The item.
    pub item: WorkItemId,
    /// The queue it arrived in (after a transfer it is handled in
    /// another, but it stays offered and answered in this one).
    pub queue: QueueId,
    /// When it arrived (its `WorkArrived`).
    pub arrived_at: SimTime,
    /// Its first push (`WorkAssigned`), if any.
    pub first_push: Option<SimTime>,
    /// Its first acceptance: when it was answered.
    pub answered_at: Option<SimTime>,
    /// The agent that accepted it last (after a transfer, the next agent).
    pub agent: Option<AgentId>,
    /// The handle time its latest acceptance demanded (`WorkAccepted`);
    /// `None` when no acceptance was seen (a close implies one).
    pub handle_time: Option<SimDuration>,
    /// Explicit declines.
    pub declines: u32,
    /// Pushes that timed out.
    pub push_timeouts: u32,
    /// Times it was transferred to another queue.
    pub transfers: u32,
    /// The skills its arrival required.
    pub skills: Vec<SkillId>,
    /// Skills dropped and not restored since, in the order dropped.
    pub dropped: Vec<SkillId>,
    /// Which attempt of which customer it is, for a retrial.
    pub retrial: Option<RetrialOf>,
    /// Time its work was set aside for primary work (interruptible work of
    /// a channel worked only while idle, omni-reference §12.4), over every
    /// leg, up to the latest event seen.
    pub interrupted: SimDuration,
    /// Set aside since then, if it is now.
    pub interrupted_since: Option<SimTime>,
    /// Each transfer's leg: the queue the item entered, when, and when it
    /// was answered there (omni-reference §12.7).
    pub transfer_legs: Vec<TransferLeg>,
}

/// The part of a transferred item's life in a queue it was transferred to:
/// its wait there runs from `entered_at` to `answered_at`.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct TransferLeg {
    /// The queue it was transferred to.
    pub queue: QueueId,
    /// When it entered that queue.
    pub entered_at: SimTime,
    /// When an agent of that queue accepted it; `None` while it waits.
    pub answered_at: Option<SimTime>,
}

impl TransferLeg {
    /// Its wait in the receiving queue, once answered there.
    pub fn wait(&self) -> Option<SimDuration> {
        self.answered_at.map(|a| a.since(self.entered_at))
    }
}

impl ItemRecord {
    /// A record for an item that arrived at `arrived_at` (its skills are
    /// added by the caller).
    fn arrived(
        item: WorkItemId,
        queue: QueueId,
        arrived_at: SimTime,
        retrial: Option<RetrialOf>,
    ) -> ItemRecord {
        ItemRecord {
            item,
            queue,
            arrived_at,
            first_push: None,
            answered_at: None,
            agent: None,
            handle_time: None,
            declines: 0,
            push_timeouts: 0,
            transfers: 0,
            skills: Vec::new(),
            dropped: Vec::new(),
            retrial,
            interrupted: SimDuration::ZERO,
            interrupted_since: None,
            transfer_legs: Vec::new(),
        }
    }

    /// This record, emptied for another item; its lists keep their room.
    fn reuse(
        &mut self,
        item: WorkItemId,
        queue: QueueId,
        arrived_at: SimTime,
        retrial: Option<RetrialOf>,
    ) {
        let (mut skills, mut dropped, mut legs) = (
            std::mem::take(&mut self.skills),
            std::mem::take(&mut self.dropped),
            std::mem::take(&mut self.transfer_legs),
        );
        skills.clear();
        dropped.clear();
        legs.clear();
        *self = ItemRecord {
            skills,
            dropped,
            transfer_legs: legs,
            ..ItemRecord::arrived(item, queue, arrived_at, retrial)
        };
    }

    /// 1 for a customer's first attempt, 2 for its first retrial, …
    pub fn attempt(&self) -> u32 {
        self.retrial.map_or(1, |r| r.attempt)
    }

    /// The item of the customer's first attempt (itself for a first
    /// attempt): what ties a customer's attempts together.
    pub fn customer(&self) -> WorkItemId {
        self.retrial.map_or(self.item, |r| r.customer)
    }

    /// Time set aside for primary work, up to `end` if it still is.
    pub fn interrupted_until(&self, end: SimTime) -> SimDuration {
        self.interrupted
            + self
                .interrupted_since
                .map_or(SimDuration::ZERO, |s| end.since(s))
    }

    /// Its waits in the queues it was transferred to, over the transfers
    /// answered there (one still waiting adds nothing yet); `None` if it
    /// was never transferred.
    pub fn transfer_wait(&self) -> Option<SimDuration> {
        (!self.transfer_legs.is_empty()).then(|| {
            self.transfer_legs
                .iter()
                .filter_map(TransferLeg::wait)
                .fold(SimDuration::ZERO, |sum, w| sum + w)
        })
    }

    /// Ends a period set aside at `t`.
    fn resume_at(&mut self, t: SimTime) {
        if let Some(s) = self.interrupted_since.take() {
            self.interrupted = self.interrupted + t.since(s);
        }
    }
}

/// The record of every item in flight, kept from the events as they are
/// handed to the sinks.
#[derive(Debug, Default)]
pub struct ItemBook {
    items: FxHashMap<WorkItemId, Box<ItemRecord>>,
    /// Records whose ending events the sinks have seen, given back by
    /// [`ItemBook::recycle`] for the next arrivals: once a run is under
    /// way an item's record costs no allocation (the boxes, with the room
    /// of their lists, are what is reused).
    #[allow(clippy::vec_box)]
    spare: Vec<Box<ItemRecord>>,
}

/// Spare records kept at most: enough for the items that end in one
/// instant.
const SPARE: usize = 64;

impl ItemBook {
    /// An empty book.
    pub fn new() -> ItemBook {
        ItemBook::default()
    }

    /// Items in flight: arrived and not yet closed, abandoned or ended.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether no item is in flight.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The record of an item in flight.
    pub fn get(&self, item: WorkItemId) -> Option<&ItemRecord> {
        self.items.get(&item).map(|r| &**r)
    }

    /// Brings the item's record up to date with `event`, before the sinks
    /// see it. An event that ends an item takes the record out of the book
    /// and carries it; an event about an item the book never saw arrive is
    /// left as it is. Returns whether the event now carries a record.
    #[inline]
    pub fn apply(&mut self, event: &mut SimEvent) -> bool {
        let t = event.time;
        match &mut event.kind {
            EventKind::WorkArrived {
                item,
                queue,
                skills,
                retrial,
                ..
            } => {
                let mut record = match self.spare.pop() {
                    Some(mut r) => {
                        r.reuse(*item, *queue, t, *retrial);
                        r
                    }
                    None => Box::new(ItemRecord::arrived(*item, *queue, t, *retrial)),
                };
                record.skills.extend(skills.iter().map(|r| r.skill));
                self.items.insert(*item, record);
            }
            EventKind::SkillsDropped { item, skills, .. } => {
                if let Some(r) = self.items.get_mut(item) {
                    for skill in skills.iter() {
                        if !r.dropped.contains(skill) {
                            r.dropped.push(*skill);
                        }
                    }
                }
            }
            EventKind::WorkRequeued {
                item,
                skills_reset: true,
                ..
            } => {
                if let Some(r) = self.items.get_mut(item) {
                    r.dropped.clear();
                }
            }
            EventKind::WorkAssigned { item, .. } => {
                if let Some(r) = self.items.get_mut(item) {
                    r.first_push.get_or_insert(t);
                }
            }
            EventKind::WorkAccepted {
                item,
                agent,
                handle_time,
                ..
            } => {
                if let Some(r) = self.items.get_mut(item) {
                    r.answered_at.get_or_insert(t);
                    r.agent = Some(*agent);
                    r.handle_time = Some(*handle_time);
                    if let Some(leg) = r.transfer_legs.last_mut() {
                        leg.answered_at.get_or_insert(t);
                    }
                }
            }
            EventKind::WorkTransferredIn { item, queue, .. } => {
                if let Some(r) = self.items.get_mut(item) {
                    r.transfer_legs.push(TransferLeg {
                        queue: *queue,
                        entered_at: t,
                        answered_at: None,
                    });
                }
            }
            EventKind::WorkInterrupted {
                item, interrupted, ..
            } => {
                if let Some(r) = self.items.get_mut(item) {
                    if *interrupted {
                        r.interrupted_since.get_or_insert(t);
                    } else {
                        r.resume_at(t);
                    }
                }
            }
            EventKind::WorkDeclined {
                item,
                on_push_timeout,
                ..
            } => {
                if let Some(r) = self.items.get_mut(item) {
                    if *on_push_timeout {
                        r.push_timeouts += 1;
                    } else {
                        r.declines += 1;
                    }
                }
            }
            // A work that leaves its agent is no longer set aside there.
            EventKind::WorkTransferred { item, .. } => {
                if let Some(r) = self.items.get_mut(item) {
                    r.transfers += 1;
                    r.resume_at(t);
                }
            }
            EventKind::WorkUnavailable { item, .. } => {
                if let Some(r) = self.items.get_mut(item) {
                    r.resume_at(t);
                }
            }
            EventKind::WorkClosed {
                item,
                agent,
                accepted_at,
                record,
                ..
            } => {
                if let Some(mut r) = self.items.remove(item) {
                    // A close implies an acceptance, even one not seen.
                    r.answered_at.get_or_insert(*accepted_at);
                    r.agent = Some(*agent);
                    r.resume_at(t);
                    *record = Some(r);
                    return true;
                }
            }
            EventKind::WorkAbandoned { item, record, .. }
            | EventKind::WorkEndedNoAgent { item, record, .. } => {
                if let Some(r) = self.items.remove(item) {
                    *record = Some(r);
                    return true;
                }
            }
            _ => {}
        }
        false
    }

    /// Takes back the record an ending event carried, once the sinks have
    /// seen it, to serve a later arrival.
    #[inline]
    pub fn recycle(&mut self, event: &mut SimEvent) {
        if let EventKind::WorkClosed { record, .. }
        | EventKind::WorkAbandoned { record, .. }
        | EventKind::WorkEndedNoAgent { record, .. } = &mut event.kind
        {
            if let Some(r) = record.take() {
                if self.spare.len() < SPARE {
                    self.spare.push(r);
                }
            }
        }
    }

    /// Takes the records of the items still in flight, in item order.
    pub fn drain(&mut self) -> Vec<Box<ItemRecord>> {
        let mut left: Vec<_> = self.items.drain().map(|(_, r)| r).collect();
        left.sort_unstable_by_key(|r| r.item);
        left
    }

    /// Ends a run at `end`: hands each sink the items still in flight (in
    /// item order), then calls its [`EventSink::finish`].
    pub fn finish(&mut self, end: SimTime, sinks: &mut [&mut dyn EventSink]) {
        let left = self.drain();
        for sink in sinks.iter_mut() {
            for r in &left {
                sink.in_flight(r);
            }
            sink.finish(end);
        }
    }

    /// Feeds `events` to `sink` through this book, then ends the run at
    /// `end`: what the engine does, for events built by hand.
    pub fn replay<'a>(
        &mut self,
        events: impl IntoIterator<Item = &'a SimEvent>,
        end: SimTime,
        sink: &mut dyn EventSink,
    ) {
        for event in events {
            let mut event = event.clone();
            let carries = self.apply(&mut event);
            sink.on_event(&event);
            if carries {
                self.recycle(&mut event);
            }
        }
        self.finish(end, &mut [sink]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::EventLog;
    use crate::stats::test_support::{at, Script};

    /// Feeds `script` through a fresh book; returns the events as the sinks
    /// saw them and the records still in flight at `end`.
    fn replay(script: &Script, end: f64) -> (Vec<SimEvent>, Vec<ItemRecord>) {
        struct Sink(EventLog, Vec<ItemRecord>);
        impl EventSink for Sink {
            fn on_event(&mut self, event: &SimEvent) {
                self.0.on_event(event);
            }
            fn in_flight(&mut self, record: &ItemRecord) {
                self.1.push(record.clone());
            }
        }
        let mut sink = Sink(EventLog::default(), Vec::new());
        ItemBook::new().replay(&script.events, at(end), &mut sink);
        (sink.0.events, sink.1)
    }

    fn carried(events: &[SimEvent]) -> Vec<&ItemRecord> {
        events
            .iter()
            .filter_map(|e| match &e.kind {
                EventKind::WorkClosed { record, .. }
                | EventKind::WorkAbandoned { record, .. }
                | EventKind::WorkEndedNoAgent { record, .. } => record.as_deref(),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn the_ending_event_carries_the_whole_record() {
        let mut s = Script::default();
        s.arrive(1.0, 7, 0)
            .assign(2.0, 1, 7, 0, 0, 1000)
            .decline(3.0, 1, 7, 0, 0, true)
            .assign(4.0, 2, 7, 0, 1, 1000)
            .decline(5.0, 2, 7, 0, 1, false)
            .assign(6.0, 3, 7, 0, 0, 1000)
            .accept_handling(8.0, 3, 7, 0, 30.0)
            .close(50.0, 3, 7, 0, 0, 8.0);
        let (events, left) = replay(&s, 100.0);
        assert!(left.is_empty());
        let records = carried(&events);
        assert_eq!(records.len(), 1);
        let r = records[0];
        assert_eq!(
            (r.item, r.queue, r.arrived_at),
            (WorkItemId(7), QueueId(0), at(1.0))
        );
        assert_eq!(
            (r.first_push, r.answered_at),
            (Some(at(2.0)), Some(at(8.0)))
        );
        assert_eq!((r.declines, r.push_timeouts), (1, 1));
        assert_eq!(r.agent, Some(AgentId(0)));
        assert_eq!(r.handle_time, Some(SimDuration::from_secs(30)));
        assert_eq!((r.attempt(), r.customer()), (1, WorkItemId(7)));
    }

    #[test]
    fn each_item_comes_out_once_ended_or_in_flight_in_item_order() {
        let mut s = Script::default();
        s.arrive(1.0, 3, 0)
            .arrive(2.0, 1, 0)
            .arrive(3.0, 2, 0)
            .arrive(4.0, 4, 0)
            .assign(5.0, 1, 4, 0, 0, 1000)
            .accept(6.0, 1, 4, 0, 0)
            .abandon(9.0, 1, 0)
            .end_no_agent(9.5, 2, 0)
            // Never arrived: nothing to carry, and nothing invented.
            .abandon(10.0, 99, 0)
            // Ended already: a second ending finds no record.
            .abandon(11.0, 2, 0);
        let (events, left) = replay(&s, 100.0);
        let ended: Vec<_> = carried(&events).iter().map(|r| r.item.0).collect();
        assert_eq!(ended, [1, 2]);
        let still: Vec<_> = left.iter().map(|r| (r.item.0, r.answered_at)).collect();
        assert_eq!(still, [(3, None), (4, Some(at(6.0)))]);
    }

    #[test]
    fn a_close_without_an_acceptance_still_answers_the_item() {
        let mut s = Script::default();
        s.arrive(1.0, 1, 0).close(20.0, 5, 1, 0, 2, 4.0);
        let (events, _) = replay(&s, 100.0);
        let r = carried(&events)[0];
        assert_eq!((r.answered_at, r.agent), (Some(at(4.0)), Some(AgentId(2))));
        assert_eq!(r.handle_time, None, "no acceptance told the handle time");
    }

    #[test]
    fn dropped_skills_are_kept_until_a_requeue_restores_them() {
        let mut s = Script::default();
        s.arrive_with_skills(1.0, 1, 0, &[2, 0, 1])
            .drop_skills(11.0, 1, 0, &[2])
            .drop_skills(21.0, 1, 0, &[1, 2]);
        let mut book = ItemBook::new();
        for e in &s.events {
            book.apply(&mut e.clone());
        }
        let r = book.get(WorkItemId(1)).unwrap();
        assert_eq!(r.skills, [SkillId(2), SkillId(0), SkillId(1)]);
        assert_eq!(r.dropped, [SkillId(2), SkillId(1)]);
        let mut s = Script::default();
        s.requeue(22.0, 1, 0, true);
        book.apply(&mut s.events[0].clone());
        assert!(book.get(WorkItemId(1)).unwrap().dropped.is_empty());
        assert_eq!(book.len(), 1);
        assert_eq!(book.drain().len(), 1);
        assert!(book.is_empty());
    }

    #[test]
    fn a_reused_record_starts_clean() {
        let mut s = Script::default();
        s.arrive_with_skills(1.0, 1, 0, &[0, 1])
            .drop_skills(2.0, 1, 0, &[1])
            .assign(3.0, 1, 1, 0, 0, 1000)
            .decline(4.0, 1, 1, 0, 0, false)
            .end_no_agent(4.0, 1, 0)
            .arrive(5.0, 2, 0);
        let (_, left) = replay(&s, 100.0);
        let expected = ItemRecord::arrived(WorkItemId(2), QueueId(0), at(5.0), None);
        assert_eq!(left, [expected]);
    }
}
