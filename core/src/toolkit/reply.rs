//! A toolkit call's way back without a reply channel per call.
//!
//! `Recipient::send` gives every message a fresh one-shot channel (an
//! allocation, its atomics) and first checks whether the sender is parked,
//! which reads a flag of its own in another allocation per address: on a
//! 10,000-agent day those reads miss the cache and were the largest single
//! share of a toolkit call. The behaviours of a run call their agents one
//! call at a time, so the run's toolkits share one [`ReplySlot`] and reuse
//! it: the call goes as a fire-and-forget [`ToolkitCall`] carrying the
//! slot, the agent writes its answer there and the caller takes it. One
//! slot rather than one per agent, because a slot per agent is one more
//! line to miss in the cache on a large day. A call made while another
//! is still out (two futures joined, a caller outside the driver) takes
//! the ordinary `send` path instead.

use super::{ToolkitError, ToolkitRequest, ToolkitValue};
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Poll, Waker};

/// What an agent answers a toolkit call.
pub(crate) type ToolkitResult = Result<ToolkitValue, ToolkitError>;

/// A toolkit call whose answer goes into the caller's [`ReplySlot`].
#[derive(Debug)]
pub(crate) struct ToolkitCall {
    /// The call.
    pub(crate) request: ToolkitRequest,
    /// Where its answer goes.
    pub(crate) reply: ReplyTo,
}

impl actix::Message for ToolkitCall {
    type Result = ();
}

/// Where a caller waits for its answer. Locked only by the caller and the
/// agent, one after the other, so never contended; a `Mutex` because
/// actix messages must be `Send`.
#[derive(Debug, Default)]
pub(crate) struct ReplySlot(Mutex<Slot>);

#[derive(Debug, Default)]
enum Slot {
    /// No call out.
    #[default]
    Free,
    /// A call is out; the caller's waker, once it has waited.
    Waiting(Option<Waker>),
    /// The answer, not yet taken.
    Answered(ToolkitResult),
    /// The caller stopped waiting (its future was dropped): the answer,
    /// when it comes, only frees the slot.
    Abandoned,
}

impl ReplySlot {
    fn lock(&self) -> MutexGuard<'_, Slot> {
        // Nothing panics while holding the lock, but a poisoned slot is
        // still a slot.
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Takes the slot for a new call: the caller's end and the agent's;
    /// `None` when a call is out already. Both ends are made together, so
    /// a slot is only ever waited on while an answer can still come.
    pub(crate) fn claim(self: &Arc<ReplySlot>) -> Option<(Pending, ReplyTo)> {
        let mut slot = self.lock();
        if !matches!(*slot, Slot::Free) {
            return None;
        }
        *slot = Slot::Waiting(None);
        Some((Pending(self.clone()), ReplyTo(Some(self.clone()))))
    }
}

/// The agent's end of a call: answering it fills the slot. Dropped
/// unanswered (the actor stopped with the call still in its mailbox), it
/// answers [`ToolkitError::Disconnected`], as a dropped reply channel does.
#[derive(Debug)]
pub(crate) struct ReplyTo(Option<Arc<ReplySlot>>);

impl ReplyTo {
    /// Gives the caller its answer.
    pub(crate) fn answer(mut self, result: ToolkitResult) {
        if let Some(slot) = self.0.take() {
            fill(&slot, result);
        }
    }
}

impl Drop for ReplyTo {
    fn drop(&mut self) {
        if let Some(slot) = self.0.take() {
            fill(&slot, Err(ToolkitError::Disconnected));
        }
    }
}

fn fill(slot: &ReplySlot, result: ToolkitResult) {
    let mut s = slot.lock();
    match std::mem::take(&mut *s) {
        Slot::Waiting(waker) => {
            *s = Slot::Answered(result);
            drop(s);
            if let Some(w) = waker {
                w.wake();
            }
        }
        // The caller gave up: nobody takes this answer.
        Slot::Abandoned => {}
        // Only one answer per claim exists; keep whatever is there.
        other => *s = other,
    }
}

/// The caller's end of a claimed slot.
#[derive(Debug)]
pub(crate) struct Pending(Arc<ReplySlot>);

impl Pending {
    /// Waits for the answer.
    pub(crate) async fn answer(self) -> ToolkitResult {
        std::future::poll_fn(|cx| {
            let mut slot = self.0.lock();
            match std::mem::take(&mut *slot) {
                Slot::Answered(result) => Poll::Ready(result),
                Slot::Waiting(waker) => {
                    let waker = match waker {
                        Some(w) if w.will_wake(cx.waker()) => w,
                        _ => cx.waker().clone(),
                    };
                    *slot = Slot::Waiting(Some(waker));
                    Poll::Pending
                }
                // Free or abandoned while this end still exists cannot
                // happen; answer as a lost agent rather than hang.
                Slot::Free | Slot::Abandoned => Poll::Ready(Err(ToolkitError::Disconnected)),
            }
        })
        .await
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        let mut slot = self.0.lock();
        if let Slot::Waiting(_) = *slot {
            // Still out: the answer will free the slot when it comes.
            *slot = Slot::Abandoned;
        } else {
            // Taken, or never to be taken: the slot is free again.
            *slot = Slot::Free;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn done(r: ToolkitResult) -> bool {
        r == Ok(ToolkitValue::Done(true))
    }

    #[test]
    fn an_answer_reaches_the_caller_and_frees_the_slot() {
        let slot = Arc::new(ReplySlot::default());
        let (pending, reply) = slot.claim().expect("a fresh slot is free");
        assert!(slot.claim().is_none(), "one call out at a time");
        reply.answer(Ok(ToolkitValue::Done(true)));
        assert!(done(ready(pending.answer())));
        assert!(slot.claim().is_some(), "free again once answered");
    }

    #[test]
    fn a_call_dropped_unanswered_answers_disconnected() {
        let slot = Arc::new(ReplySlot::default());
        let (pending, reply) = slot.claim().unwrap();
        drop(reply);
        assert_eq!(ready(pending.answer()), Err(ToolkitError::Disconnected));
    }

    #[test]
    fn a_caller_that_stops_waiting_leaves_the_slot_free_after_the_answer() {
        let slot = Arc::new(ReplySlot::default());
        let (pending, reply) = slot.claim().unwrap();
        drop(pending);
        assert!(slot.claim().is_none(), "the call is still out");
        reply.answer(Ok(ToolkitValue::Done(true)));
        let (again, reply) = slot.claim().expect("the late answer freed the slot");
        reply.answer(Ok(ToolkitValue::Done(false)));
        assert_eq!(
            ready(again.answer()),
            Ok(ToolkitValue::Done(false)),
            "the abandoned answer is not handed to the next call"
        );
    }

    /// Polls a future that is ready without waiting.
    fn ready<F: std::future::Future>(f: F) -> F::Output {
        let mut f = std::pin::pin!(f);
        let mut cx = std::task::Context::from_waker(Waker::noop());
        match f.as_mut().poll(&mut cx) {
            Poll::Ready(v) => v,
            Poll::Pending => panic!("the answer was not there"),
        }
    }
}
