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
//!
//! Timers (a push timeout, a customer's patience) usually become moot
//! before they fire: the agent answers, the customer is served. Their
//! owners cancel them ([`Calendar::cancel`]), and a cancelled entry is
//! dropped when it reaches the top of the heap instead of being delivered.
//! A cancelled entry keeps its `seq`, so cancelling never reorders the
//! entries that remain: a run with cancellation delivers exactly the
//! entries of a run without it, minus the moot ones.

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

impl Key {
    /// `(time, seq)` as one number, compared in one step: every push and
    /// pop of the heap compares keys at each level it sifts through.
    #[inline]
    fn order(&self) -> u128 {
        (u128::from(self.time.0) << 64) | u128::from(self.seq)
    }
}

impl Ord for Key {
    #[inline]
    fn cmp(&self, other: &Self) -> Ordering {
        // BinaryHeap is a max-heap: reverse for earliest-first.
        other.order().cmp(&self.order())
    }
}

/// Names a timer on the calendar so its owner can cancel it. It carries
/// the entry's `seq`, so a handle kept after its entry was delivered (and
/// its slot reused) cancels nothing.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) struct TimerId {
    slot: u32,
    seq: u64,
}

#[cfg(test)]
impl TimerId {
    /// A handle for tests of code that only passes timers around.
    pub(crate) fn for_test(slot: u32) -> TimerId {
        TimerId {
            slot,
            seq: slot as u64,
        }
    }

    /// The slot a [`TimerId::for_test`] handle was made with.
    pub(crate) fn slot_for_test(self) -> u32 {
        self.slot
    }
}

/// A slab slot: the payload, or `None` once delivered or cancelled, and
/// the `seq` of the entry that last used it.
struct Slot<T> {
    seq: u64,
    payload: Option<T>,
}

/// A priority queue of timed entries with FIFO ties. Payloads live in a
/// slab and only keys are sifted, which keeps large entries cheap.
pub(crate) struct Calendar<T> {
    heap: BinaryHeap<Key>,
    slots: Vec<Slot<T>>,
    free: Vec<u32>,
    next_seq: u64,
    /// Entries for `current`, in `seq` order.
    now: VecDeque<(SimTime, u64, T)>,
    /// Time of the last entry popped.
    current: SimTime,
    /// Entries cancelled before they were due.
    cancelled: u64,
    /// Cancelled entries still on the heap: while there are none, nothing
    /// needs skipping and peeking costs no slot lookup.
    dead: u64,
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
            cancelled: 0,
            dead: 0,
        }
    }
}

impl<T> Calendar<T> {
    /// Adds an entry at `time`.
    #[inline]
    pub(crate) fn schedule(&mut self, time: SimTime, payload: T) {
        if time == self.current {
            let seq = self.take_seq();
            self.now.push_back((time, seq, payload));
            return;
        }
        self.schedule_timer(time, payload);
    }

    /// Adds an entry at `time` that its owner may cancel before it is due.
    /// It goes on the heap even when due now, so it has a slot to cancel;
    /// the heap and the same-instant FIFO are merged by `(time, seq)`, so
    /// its place in the order is the one [`Calendar::schedule`] gives.
    #[inline]
    pub(crate) fn schedule_timer(&mut self, time: SimTime, payload: T) -> TimerId {
        let seq = self.take_seq();
        let entry = Slot {
            seq,
            payload: Some(payload),
        };
        let slot = match self.free.pop() {
            Some(i) => {
                self.slots[i as usize] = entry;
                i
            }
            None => {
                self.slots.push(entry);
                (self.slots.len() - 1) as u32
            }
        };
        self.heap.push(Key { time, seq, slot });
        TimerId { slot, seq }
    }

    /// Cancels a timer that has not been delivered yet; a timer already
    /// delivered or cancelled is left alone. Returns whether it cancelled.
    pub(crate) fn cancel(&mut self, timer: TimerId) -> bool {
        match self.slots.get_mut(timer.slot as usize) {
            Some(s) if s.seq == timer.seq && s.payload.is_some() => {
                s.payload = None;
                self.cancelled += 1;
                self.dead += 1;
                true
            }
            _ => false,
        }
    }

    /// Entries cancelled so far (and so never delivered).
    pub(crate) fn cancelled(&self) -> u64 {
        self.cancelled
    }

    fn take_seq(&mut self) -> u64 {
        let seq = self.next_seq;
        self.next_seq += 1;
        seq
    }

    /// Frees the slots of cancelled entries at the top of the heap, so the
    /// top is a live entry (or the heap is empty).
    #[inline]
    fn drop_cancelled(&mut self) {
        while self.dead > 0 {
            let Some(k) = self.heap.peek() else {
                return;
            };
            if self.slots[k.slot as usize].payload.is_some() {
                return;
            }
            self.free.push(k.slot);
            self.heap.pop();
            self.dead -= 1;
        }
    }

    /// Time of the earliest entry.
    pub(crate) fn peek_time(&mut self) -> Option<SimTime> {
        self.drop_cancelled();
        match (self.now.front(), self.heap.peek()) {
            (Some(n), Some(k)) => Some(n.0.min(k.time)),
            (Some(n), None) => Some(n.0),
            (None, k) => k.map(|k| k.time),
        }
    }

    /// Removes and returns the earliest entry.
    pub(crate) fn pop(&mut self) -> Option<(SimTime, T)> {
        self.drop_cancelled();
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
            .payload
            .take()
            .expect("drop_cancelled left a live entry on top");
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

    #[test]
    fn a_cancelled_timer_is_never_delivered_and_a_stale_handle_cancels_nothing() {
        let mut c = Calendar::default();
        let moot = c.schedule_timer(SimTime(5), "moot");
        c.schedule(SimTime(7), "b");
        let fires = c.schedule_timer(SimTime(9), "c");
        assert!(c.cancel(moot));
        assert!(!c.cancel(moot), "cancelling twice");
        assert_eq!(c.peek_time(), Some(SimTime(7)), "the dead top is skipped");
        assert_eq!(c.pop(), Some((SimTime(7), "b")));
        assert_eq!(c.pop(), Some((SimTime(9), "c")));
        // Delivered: its slot may be reused, and the old handle must not
        // cancel the new entry.
        let reuse = c.schedule_timer(SimTime(11), "d");
        assert!(!c.cancel(fires));
        assert_eq!(c.pop(), Some((SimTime(11), "d")));
        assert!(!c.cancel(reuse));
        assert_eq!(c.pop(), None);
        assert_eq!(c.cancelled(), 1);
    }

    use proptest::prelude::*;

    proptest! {
        /// Interleaved schedules, timers, cancellations and pops (entries
        /// scheduled at the time just popped, or later, as the engine does)
        /// come out in exactly `(time, seq)` order without the cancelled
        /// ones, the order a plain sorted list gives.
        #[test]
        fn pops_in_time_then_schedule_order(
            ops in proptest::collection::vec((0u8..6, 0u64..5), 1..300)
        ) {
            let mut c = Calendar::default();
            let mut reference: Vec<(SimTime, u64)> = Vec::new();
            let mut timers: Vec<(TimerId, u64)> = Vec::new();
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
                } else if op == 5 {
                    // Cancel one of the timers set so far, live or not.
                    if !timers.is_empty() {
                        let (id, s) = timers.remove(delay as usize % timers.len());
                        let live = reference.iter().position(|r| r.1 == s);
                        prop_assert_eq!(c.cancel(id), live.is_some());
                        if let Some(i) = live {
                            reference.remove(i);
                        }
                    }
                } else {
                    // Half the entries are reactions at the current instant.
                    let at = if op == 1 { now } else { SimTime(now.0 + delay) };
                    if op == 4 {
                        timers.push((c.schedule_timer(at, seq), seq));
                    } else {
                        c.schedule(at, seq);
                    }
                    reference.push((at, seq));
                    seq += 1;
                }
                reference.sort();
                prop_assert_eq!(c.peek_time(), reference.first().map(|r| r.0));
            }
        }
    }
}
