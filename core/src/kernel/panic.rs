//! Panics inside a run, contained.
//!
//! The driver hands an entry to an actor and waits until its handler says
//! it is done (see [`super::handle::EngineHandle::deliver`]). A handler
//! that panics never says so: polled by the driver (`super::pump`), the
//! panic would tear through actix's context in the middle of a message;
//! polled by the task that drains the actors while the driver is idle,
//! tokio's `LocalSet` would swallow it with the task, and the driver would
//! wait forever, polling at full speed. Code that
//! is not ours runs in those handlers (a library user's routing policy,
//! their behaviour's toolkit calls), so every handler runs its body
//! through [`guarded`]: a panic is caught there, recorded on the run's
//! handle, and the handler still reports itself done. The driver then
//! sees the record after that entry and ends the run with an error that
//! names what panicked, instead of spinning.

use std::any::Any;
use std::fmt;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// A panic caught inside a run: what raised it and its message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PanicReport {
    /// What was running: "the router", "agent 7", "the behaviour of
    /// agent 7".
    pub culprit: String,
    /// The panic's message (its `&str` or `String` payload).
    pub message: String,
}

impl fmt::Display for PanicReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} panicked: {}", self.culprit, self.message)
    }
}

/// The text of a panic's payload: `panic!` with a literal gives a `&str`,
/// with a format a `String`; anything else (`panic_any`) is named as such.
pub(crate) fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "a panic whose payload is not text".to_string()
    }
}

/// Runs `body`; if it panics, the report (naming `culprit`) goes to
/// `record` and `None` comes back.
pub(crate) fn guarded<R>(
    culprit: impl FnOnce() -> String,
    record: impl FnOnce(PanicReport),
    body: impl FnOnce() -> R,
) -> Option<R> {
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(r) => Some(r),
        Err(payload) => {
            record(PanicReport {
                culprit: culprit(),
                message: panic_message(payload.as_ref()),
            });
            None
        }
    }
}

/// A future that catches a panic in any of its polls, as [`guarded`]
/// does for a closure: a behaviour's `handle` runs in the driver itself,
/// and its panic must end the run with the same report, not unwind
/// through the driver and take the sinks with it.
pub(crate) struct CatchUnwind<F> {
    inner: F,
}

impl<F> CatchUnwind<F> {
    pub(crate) fn new(inner: F) -> Self {
        CatchUnwind { inner }
    }
}

impl<F: std::future::Future> std::future::Future for CatchUnwind<F> {
    type Output = Result<F::Output, String>;

    fn poll(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Self::Output> {
        // SAFETY: `inner` is structurally pinned: it is never moved out of
        // `self` nor accessed unpinned.
        let inner = unsafe { self.map_unchecked_mut(|s| &mut s.inner) };
        match catch_unwind(AssertUnwindSafe(|| inner.poll(cx))) {
            Ok(std::task::Poll::Ready(v)) => std::task::Poll::Ready(Ok(v)),
            Ok(std::task::Poll::Pending) => std::task::Poll::Pending,
            Err(payload) => std::task::Poll::Ready(Err(panic_message(payload.as_ref()))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::RefCell;

    #[test]
    fn a_caught_panic_is_recorded_with_its_culprit_and_message() {
        let seen = RefCell::new(None);
        let r: Option<u32> = guarded(
            || "agent 3".into(),
            |p| *seen.borrow_mut() = Some(p),
            || panic!("no work {}", 7),
        );
        assert_eq!(r, None);
        let p = seen.into_inner().unwrap();
        assert_eq!(p.to_string(), "agent 3 panicked: no work 7");
        let ok = guarded(|| unreachable!(), |_| unreachable!(), || 5);
        assert_eq!(ok, Some(5));
    }

    #[test]
    fn payloads_that_are_not_text_are_named() {
        assert_eq!(panic_message(&"x"), "x");
        assert_eq!(panic_message(&String::from("y")), "y");
        assert_eq!(panic_message(&3u8), "a panic whose payload is not text");
    }
}
