//! The real day's figures per interval and queue, from the export, in the
//! simulator's definitions: items by the interval of their first
//! request; service level = answered within the queue's threshold ÷
//! offered; ASA = mean request → first answer over answered items;
//! abandonment = abandoned ÷ offered; occupancy = capacity held ÷
//! capacity online (agents in a status that receives work), the queue's
//! share of it for a queue.

use crate::calibrate::model::items::Item;
use crate::calibrate::Calibration;
use crate::salesforce::SalesforceId;
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;

/// One interval's (or the day's) tallies of one queue or the centre.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Tally {
    /// Items first requested.
    pub offered: u64,
    /// Of which answered.
    pub answered: u64,
    /// Of which answered within the threshold.
    pub answered_in_threshold: u64,
    /// Of which abandoned.
    pub abandoned: u64,
    /// Sum of waits of the answered items \[s\].
    pub wait_sum_s: f64,
    /// Capacity held × time \[unit·s\] (by the queue's work, for a queue).
    pub load: f64,
    /// Capacity online × time \[unit·s\] (the centre's).
    pub capacity: f64,
}

impl Tally {
    /// The metric called `name` (`offered`, `answered`, `service_level`,
    /// `asa_s`, `p_abandon`, `occupancy`); `None` where undefined.
    pub fn metric(&self, name: &str) -> Option<f64> {
        let ratio = |a: u64, b: u64| (b > 0).then(|| a as f64 / b as f64);
        match name {
            "offered" => Some(self.offered as f64),
            "answered" => Some(self.answered as f64),
            "service_level" => ratio(self.answered_in_threshold, self.offered),
            "asa_s" => (self.answered > 0).then(|| self.wait_sum_s / self.answered as f64),
            "p_abandon" => ratio(self.abandoned, self.offered),
            "occupancy" => (self.capacity > 0.0).then(|| self.load / self.capacity),
            _ => None,
        }
    }
}

/// The real day on an interval grid.
#[derive(Clone, Debug)]
pub struct Actual {
    /// `[interval][queue]`, the centre last.
    pub tallies: Vec<Vec<Tally>>,
}

/// Measures the real day of `c`'s export on the grid `start`, `interval_s`
/// × `intervals`, for `queues` (names; the export's queues are matched by
/// name) with their service-level thresholds \[s\].
pub fn measure(
    c: &Calibration,
    items: &[Item],
    start: DateTime<Utc>,
    interval_s: f64,
    intervals: usize,
    queues: &[(String, f64)],
) -> Actual {
    let n_q = queues.len();
    let mut tallies = vec![vec![Tally::default(); n_q + 1]; intervals];
    let offset = |t: DateTime<Utc>| (t - start).num_microseconds().unwrap_or(i64::MAX) as f64 / 1e6;
    let slot = |t: DateTime<Utc>| {
        let o = offset(t);
        (o >= 0.0 && o < interval_s * intervals as f64).then(|| (o / interval_s) as usize)
    };
    let queue_of: BTreeMap<&SalesforceId, usize> = c
        .queues
        .iter()
        .filter_map(|q| {
            queues
                .iter()
                .position(|(n, _)| *n == q.name)
                .map(|i| (&q.id, i))
        })
        .collect();
    for it in items {
        let (Some(q), Some(i)) = (queue_of.get(&it.queue), slot(it.requested)) else {
            continue;
        };
        for c in [*q, n_q] {
            let t = &mut tallies[i][c];
            t.offered += 1;
            if let Some(a) = it.answered {
                let wait = (a - it.requested).num_milliseconds() as f64 / 1000.0;
                t.answered += 1;
                t.wait_sum_s += wait;
                if wait <= queues[*q].1 {
                    t.answered_in_threshold += 1;
                }
            } else if it.abandoned.is_some() {
                t.abandoned += 1;
            }
        }
    }
    // Capacity online and held, per agent: only while in a status that
    // receives work, as the simulator counts it.
    let online: BTreeMap<&SalesforceId, bool> = c
        .statuses
        .iter()
        .map(|s| (&s.id, !s.channels.is_empty()))
        .collect();
    let day_end =
        start + chrono::Duration::milliseconds((interval_s * intervals as f64 * 1000.0) as i64);
    let mut spells: BTreeMap<&SalesforceId, Vec<(f64, f64, f64)>> = BTreeMap::new();
    for p in &c.export.presence {
        if online.get(&p.status).copied().unwrap_or(false) {
            let end = p.end.unwrap_or(day_end);
            spells
                .entry(&p.user)
                .or_default()
                .push((offset(p.start), offset(end), p.capacity));
        }
    }
    let add = |tallies: &mut Vec<Vec<Tally>>,
               from: f64,
               to: f64,
               f: &mut dyn FnMut(&mut Vec<Tally>, f64)| {
        let (mut a, end) = (from.max(0.0), to.min(interval_s * intervals as f64));
        while a < end {
            let i = (a / interval_s) as usize;
            let b = ((i + 1) as f64 * interval_s).min(end);
            f(&mut tallies[i], b - a);
            a = b;
        }
    };
    for list in spells.values() {
        for (a, b, cap) in list {
            add(&mut tallies, *a, *b, &mut |row, d| {
                row[n_q].capacity += cap * d
            });
        }
    }
    for w in &c.export.works {
        let (Some(q), Some(list)) = (queue_of.get(&w.queue), spells.get(&w.user)) else {
            continue;
        };
        let Some(capacity) = list.first().map(|s| s.2) else {
            continue;
        };
        let cost = match (w.capacity_weight, w.capacity_percentage) {
            (Some(u), _) if u > 0.0 => u,
            (_, Some(p)) => p / 100.0 * capacity,
            _ => 1.0,
        };
        let end = w
            .declined
            .or(w.timed_out)
            .or(w.canceled)
            .or(w.closed)
            .unwrap_or(day_end);
        let (ws, we) = (offset(w.assigned), offset(end));
        for (a, b, _) in list {
            let (from, to) = (ws.max(*a), we.min(*b));
            if from < to {
                add(&mut tallies, from, to, &mut |row, d| {
                    row[*q].load += cost * d;
                    row[n_q].load += cost * d;
                });
            }
        }
    }
    for row in &mut tallies {
        let capacity = row[n_q].capacity;
        for t in row.iter_mut().take(n_q) {
            t.capacity = capacity;
        }
    }
    Actual { tallies }
}
