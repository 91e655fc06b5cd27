//! The event calendar: the single owner of virtual time.
//!
//! Entries are ordered by `(time, seq)`, where `seq` is a counter taken when
//! the entry is *scheduled*. Same-instant entries therefore run in the
//! order they were scheduled (FIFO), which is the documented tie rule
//! (omni-reference §9): a push-timeout timer set at push time fires before
//! an agent answer scheduled later for the same instant.

use crate::time::SimTime;
use std::cmp::Ordering;
use std::collections::BinaryHeap;

struct Slot<T> {
    time: SimTime,
    seq: u64,
    payload: T,
}

impl<T> PartialEq for Slot<T> {
    fn eq(&self, other: &Self) -> bool {
        (self.time, self.seq) == (other.time, other.seq)
    }
}
impl<T> Eq for Slot<T> {}
impl<T> PartialOrd for Slot<T> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl<T> Ord for Slot<T> {
    fn cmp(&self, other: &Self) -> Ordering {
        // BinaryHeap is a max-heap: reverse for earliest-first.
        (other.time, other.seq).cmp(&(self.time, self.seq))
    }
}

/// A priority queue of timed entries with FIFO ties.
pub struct Calendar<T> {
    heap: BinaryHeap<Slot<T>>,
    next_seq: u64,
}

impl<T> std::fmt::Debug for Calendar<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Calendar").field("pending", &self.heap.len()).finish()
    }
}

impl<T> Default for Calendar<T> {
    fn default() -> Self {
        Calendar { heap: BinaryHeap::new(), next_seq: 0 }
    }
}

impl<T> Calendar<T> {
    /// Adds an entry at `time`.
    pub fn schedule(&mut self, time: SimTime, payload: T) {
        let seq = self.next_seq;
        self.next_seq += 1;
        self.heap.push(Slot { time, seq, payload });
    }

    /// Time of the earliest entry.
    pub fn peek_time(&self) -> Option<SimTime> {
        self.heap.peek().map(|s| s.time)
    }

    /// Removes and returns the earliest entry.
    pub fn pop(&mut self) -> Option<(SimTime, T)> {
        self.heap.pop().map(|s| (s.time, s.payload))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn earliest_first_and_fifo_on_ties() {
        let mut c = Calendar::default();
        c.schedule(SimTime(10), "b");
        c.schedule(SimTime(5), "a");
        c.schedule(SimTime(10), "c");
        c.schedule(SimTime(10), "d");
        let order: Vec<_> = std::iter::from_fn(|| c.pop()).map(|(_, p)| p).collect();
        assert_eq!(order, ["a", "b", "c", "d"]);
    }
}
