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

/// Heap key: small and `Copy`, so sifting moves 24 bytes, not payloads.
#[derive(Copy, Clone, PartialEq, Eq)]
struct Key {
    time: SimTime,
    seq: u64,
    slot: u32,
}

impl PartialOrd for Key {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Key {
    fn cmp(&self, other: &Self) -> Ordering {
        // BinaryHeap is a max-heap: reverse for earliest-first.
        (other.time, other.seq).cmp(&(self.time, self.seq))
    }
}

/// A priority queue of timed entries with FIFO ties. Payloads live in a
/// slab and only keys are sifted, which keeps large entries cheap.
pub struct Calendar<T> {
    heap: BinaryHeap<Key>,
    slots: Vec<Option<T>>,
    free: Vec<u32>,
    next_seq: u64,
}

impl<T> std::fmt::Debug for Calendar<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Calendar")
            .field("pending", &self.heap.len())
            .finish()
    }
}

impl<T> Default for Calendar<T> {
    fn default() -> Self {
        Calendar {
            heap: BinaryHeap::new(),
            slots: Vec::new(),
            free: Vec::new(),
            next_seq: 0,
        }
    }
}

impl<T> Calendar<T> {
    /// Adds an entry at `time`.
    pub fn schedule(&mut self, time: SimTime, payload: T) {
        let seq = self.next_seq;
        self.next_seq += 1;
        let slot = match self.free.pop() {
            Some(i) => {
                self.slots[i as usize] = Some(payload);
                i
            }
            None => {
                self.slots.push(Some(payload));
                (self.slots.len() - 1) as u32
            }
        };
        self.heap.push(Key { time, seq, slot });
    }

    /// Time of the earliest entry.
    pub fn peek_time(&self) -> Option<SimTime> {
        self.heap.peek().map(|k| k.time)
    }

    /// Removes and returns the earliest entry.
    pub fn pop(&mut self) -> Option<(SimTime, T)> {
        let k = self.heap.pop()?;
        self.free.push(k.slot);
        let payload = self.slots[k.slot as usize]
            .take()
            .expect("scheduled slot holds its entry");
        Some((k.time, payload))
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
