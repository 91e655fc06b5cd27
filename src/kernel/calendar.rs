//! The event calendar: the single owner of virtual time.
//!
//! Entries are ordered by `(time, seq)`, where `seq` is a counter taken when
//! the entry is *scheduled*. Same-instant entries therefore run in the
//! order they were scheduled (FIFO), which is the documented tie rule
//! (omni-reference §9): a push-timeout timer set at push time fires before
//! an agent answer scheduled later for the same instant.
//!
//! Most entries are reactions scheduled for the very instant being
//! processed (a push, a console event, a router notice). They skip the
//! heap: an entry for the current instant has a larger `seq` than
//! everything scheduled before it, so appending it to a FIFO keeps that
//! FIFO sorted by `(time, seq)`, and popping the smaller of the FIFO's
//! front and the heap's top yields exactly the heap-only order while
//! sparing two `O(log n)` sifts per reaction.

use crate::time::SimTime;
use std::cmp::Ordering;
use std::collections::{BinaryHeap, VecDeque};

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
    /// Entries for `current`, in `seq` order.
    now: VecDeque<(SimTime, u64, T)>,
    /// Time of the last entry popped.
    current: SimTime,
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
            now: VecDeque::new(),
            current: SimTime::ZERO,
        }
    }
}

impl<T> Calendar<T> {
    /// Adds an entry at `time`.
    pub fn schedule(&mut self, time: SimTime, payload: T) {
        let seq = self.next_seq;
        self.next_seq += 1;
        if time == self.current {
            self.now.push_back((time, seq, payload));
            return;
        }
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
        match (self.now.front(), self.heap.peek()) {
            (Some(n), Some(k)) => Some(n.0.min(k.time)),
            (Some(n), None) => Some(n.0),
            (None, k) => k.map(|k| k.time),
        }
    }

    /// Removes and returns the earliest entry.
    pub fn pop(&mut self) -> Option<(SimTime, T)> {
        let heap_first = match (self.now.front(), self.heap.peek()) {
            (Some(n), Some(k)) => (k.time, k.seq) < (n.0, n.1),
            (Some(_), None) => false,
            (None, _) => true,
        };
        if !heap_first {
            let (time, _, payload) = self.now.pop_front()?;
            self.current = time;
            return Some((time, payload));
        }
        let k = self.heap.pop()?;
        self.current = k.time;
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

    use proptest::prelude::*;

    proptest! {
        /// Interleaved schedules and pops (entries scheduled at the time
        /// just popped, or later, as the engine does) come out in exactly
        /// `(time, seq)` order, the order a plain sorted list gives.
        #[test]
        fn pops_in_time_then_schedule_order(
            ops in proptest::collection::vec((0u8..4, 0u64..5), 1..300)
        ) {
            let mut c = Calendar::default();
            let mut reference: Vec<(SimTime, u64)> = Vec::new();
            let (mut now, mut seq) = (SimTime::ZERO, 0u64);
            for (op, delay) in ops {
                if op == 0 {
                    let got = c.pop();
                    reference.sort();
                    let want = if reference.is_empty() { None } else { Some(reference.remove(0)) };
                    prop_assert_eq!(got, want);
                    if let Some((t, _)) = want {
                        now = t;
                    }
                } else {
                    // Half the entries are reactions at the current instant.
                    let at = if op == 1 { now } else { SimTime(now.0 + delay) };
                    c.schedule(at, seq);
                    reference.push((at, seq));
                    seq += 1;
                }
                reference.sort();
                prop_assert_eq!(c.peek_time(), reference.first().map(|r| r.0));
            }
        }
    }
}
