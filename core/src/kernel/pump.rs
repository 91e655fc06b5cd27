//! The actors of a run, polled by the run itself.
//!
//! An actix actor is a future (its context: mailbox, handlers, what it
//! spawned) that an executor polls whenever its mailbox is signalled.
//! Spawned on tokio, every message costs a round through tokio's task
//! machinery: the mailbox wakes the actor's task, the task is queued on
//! the run's `LocalSet`, the driver returns `Pending` all the way out, the
//! `LocalSet` runs the task, and the driver is polled again to see that
//! the handler ran. The driver delivers one calendar entry at a time and
//! waits for its handler, so that round is all overhead.
//!
//! Here the run keeps its actors' futures itself. Each has a waker of its
//! own that puts it on a ready list; right after a delivery (or a
//! behaviour's toolkit call), the driver polls the actors on that list in
//! the order they were woken, which is the order tokio would have run
//! them in. The actors are the same actix actors with the same mailboxes
//! and handlers; only who polls them changed.
//!
//! A toolkit call from outside the driver (a remote console in `omnisim
//! serve`, a test acting as an agent) still needs someone to poll the
//! agent while the driver is idle: the actors' wakers then also wake one
//! task on the `LocalSet`, which drains the list the same way.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::{Rc, Weak};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll, Wake, Waker};

/// An actor's context as a future.
type ActorFuture = Pin<Box<dyn Future<Output = ()>>>;

/// Actors woken since the last drain, shared with their wakers (which
/// must be `Send` and `Sync`, hence the lock; it is never contended).
#[derive(Debug, Default)]
struct ReadyList {
    actors: Mutex<Vec<u32>>,
    /// Set while the driver is about to drain the list itself: no need
    /// to wake the task that drains it otherwise.
    driver_drains: AtomicBool,
    /// The task that drains the list while the driver is idle.
    idle_task: Mutex<Option<Waker>>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// One actor's waker.
#[derive(Debug)]
struct ActorWaker {
    actor: u32,
    /// On the ready list already: woken twice, it is polled once.
    queued: AtomicBool,
    ready: Arc<ReadyList>,
}

impl Wake for ActorWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        if !self.queued.swap(true, Ordering::Relaxed) {
            lock(&self.ready.actors).push(self.actor);
        }
        if !self.ready.driver_drains.load(Ordering::Relaxed) {
            if let Some(w) = lock(&self.ready.idle_task).as_ref() {
                w.wake_by_ref();
            }
        }
    }
}

/// One actor: its future (`None` once it ended), its waker and that
/// waker as a `Waker`.
struct Held {
    future: Option<ActorFuture>,
    waker: Arc<ActorWaker>,
    as_waker: Waker,
}

/// A run's actors and the list of those that have something to do.
pub(crate) struct ActorPump {
    actors: RefCell<Vec<Held>>,
    ready: Arc<ReadyList>,
    /// The list being drained, kept to reuse its allocation.
    batch: RefCell<Vec<u32>>,
}

impl std::fmt::Debug for ActorPump {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ActorPump")
            .field("actors", &self.actors.borrow().len())
            .finish()
    }
}

impl ActorPump {
    /// An empty pump, with the task that drains it while the driver is
    /// idle spawned on the current `LocalSet` (where `Actor::start` would
    /// have spawned the actors). The task ends with the pump.
    pub(crate) fn new() -> Rc<ActorPump> {
        let pump = Rc::new(ActorPump {
            actors: RefCell::new(Vec::new()),
            ready: Arc::new(ReadyList::default()),
            batch: RefCell::new(Vec::new()),
        });
        let weak: Weak<ActorPump> = Rc::downgrade(&pump);
        actix::spawn(std::future::poll_fn(move |cx| {
            let Some(pump) = weak.upgrade() else {
                return Poll::Ready(());
            };
            *lock(&pump.ready.idle_task) = Some(cx.waker().clone());
            pump.drain();
            Poll::Pending
        }));
        pump
    }

    /// Starts `actor` with its context future kept here rather than
    /// spawned: it is first polled at the next drain, as a spawned actor
    /// is first run at the executor's next turn.
    pub(crate) fn start<A>(&self, actor: A) -> actix::Addr<A>
    where
        A: actix::Actor<Context = actix::Context<A>>,
    {
        let future = actix::Context::new().into_future(actor);
        let addr = future.address();
        self.add(future);
        addr
    }

    fn add(&self, actor: impl Future<Output = ()> + 'static) {
        let mut actors = self.actors.borrow_mut();
        let waker = Arc::new(ActorWaker {
            actor: actors.len() as u32,
            queued: AtomicBool::new(false),
            ready: self.ready.clone(),
        });
        let as_waker = Waker::from(waker.clone());
        as_waker.wake_by_ref();
        actors.push(Held {
            future: Some(Box::pin(actor)),
            waker,
            as_waker,
        });
    }

    /// Runs `f`, which signals actors (sends them messages), then polls
    /// every actor that has something to do until none has: the handlers
    /// of what `f` sent have run when this returns. Also says whether any
    /// actor ran.
    pub(crate) fn driving<R>(&self, f: impl FnOnce() -> R) -> (R, bool) {
        self.ready.driver_drains.store(true, Ordering::Relaxed);
        let r = f();
        let ran = self.drain();
        self.ready.driver_drains.store(false, Ordering::Relaxed);
        (r, ran)
    }

    /// Polls the actors on the ready list, in the order they were woken,
    /// until the list stays empty; returns whether it polled any.
    pub(crate) fn drain(&self) -> bool {
        let mut any = false;
        loop {
            let mut batch = std::mem::take(&mut *self.batch.borrow_mut());
            std::mem::swap(&mut *lock(&self.ready.actors), &mut batch);
            if batch.is_empty() {
                *self.batch.borrow_mut() = batch;
                return any;
            }
            any = true;
            for &i in &batch {
                let mut actors = self.actors.borrow_mut();
                let held = &mut actors[i as usize];
                // Cleared before the poll: a wake during it polls again.
                held.waker.queued.store(false, Ordering::Relaxed);
                if let Some(f) = &mut held.future {
                    if f.as_mut()
                        .poll(&mut Context::from_waker(&held.as_waker))
                        .is_ready()
                    {
                        held.future = None;
                    }
                }
            }
            batch.clear();
            *self.batch.borrow_mut() = batch;
        }
    }
}

/// A future that, whenever it would wait, first lets the pump's actors
/// run: a behaviour's toolkit call is then answered before the behaviour
/// is polled again, without leaving the driver.
pub(crate) struct Pumped<'a, F> {
    future: F,
    pump: &'a ActorPump,
}

impl<'a, F> Pumped<'a, F> {
    pub(crate) fn new(pump: &'a ActorPump, future: F) -> Self {
        Pumped { future, pump }
    }
}

impl<F: Future + Unpin> Future for Pumped<'_, F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = &mut *self;
        loop {
            let (polled, ran) = this.pump.driving(|| Pin::new(&mut this.future).poll(cx));
            match polled {
                Poll::Ready(v) => return Poll::Ready(v),
                // Perhaps waiting on an actor that has now run: poll again.
                Poll::Pending if ran => continue,
                Poll::Pending => return Poll::Pending,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix::{Actor, Handler, Message};

    /// Counts the pings it got; tells the driver how many it holds.
    struct Counter {
        seen: Seen,
        name: u32,
        pings: u32,
    }

    impl Actor for Counter {
        type Context = actix::Context<Self>;
    }

    struct Ping;

    impl Message for Ping {
        type Result = u32;
    }

    impl Handler<Ping> for Counter {
        type Result = u32;

        fn handle(&mut self, _: Ping, _: &mut Self::Context) -> u32 {
            self.pings += 1;
            self.seen.borrow_mut().push((self.name, self.pings));
            self.pings
        }
    }

    /// What the counters saw: (counter, its count), in handling order.
    type Seen = Rc<RefCell<Vec<(u32, u32)>>>;

    /// A pump (inside an actix system) and an empty record.
    fn fresh() -> (Rc<ActorPump>, Seen) {
        (ActorPump::new(), Rc::default())
    }

    fn counter(pump: &ActorPump, name: u32, seen: &Seen) -> actix::Addr<Counter> {
        pump.start(Counter {
            seen: seen.clone(),
            name,
            pings: 0,
        })
    }

    fn poll_once<F: Future + Unpin>(f: &mut F) -> Poll<F::Output> {
        Pin::new(f).poll(&mut Context::from_waker(Waker::noop()))
    }

    #[test]
    fn what_the_driver_sends_is_handled_before_it_goes_on_in_send_order() {
        actix::System::new().block_on(async {
            let (pump, seen) = fresh();
            let (a, b) = (counter(&pump, 1, &seen), counter(&pump, 2, &seen));
            let ((), ran) = pump.driving(|| {
                b.do_send(Ping);
                a.do_send(Ping);
                b.do_send(Ping);
            });
            assert!(ran);
            // Each actor is first polled in the order it was added (as
            // spawned actors first run), and handles everything in its
            // mailbox when polled.
            assert_eq!(*seen.borrow(), [(1, 1), (2, 1), (2, 2)]);
            let ((), ran) = pump.driving(|| {});
            assert!(!ran, "nothing left to do");
            // From then on, in the order they were woken.
            pump.driving(|| {
                b.do_send(Ping);
                a.do_send(Ping);
            });
            assert_eq!(seen.borrow()[3..], [(2, 3), (1, 2)]);
        });
    }

    #[test]
    fn a_future_waiting_on_an_actor_is_answered_without_leaving_the_driver() {
        actix::System::new().block_on(async {
            let (pump, seen) = fresh();
            let a = counter(&pump, 1, &seen);
            let call =
                std::pin::pin!(async { a.send(Ping).await.unwrap() + a.send(Ping).await.unwrap() });
            let mut pumped = Pumped::new(&pump, call);
            assert_eq!(poll_once(&mut pumped), Poll::Ready(3), "1 + 2 in one poll");
        });
    }

    #[test]
    fn a_call_from_outside_the_driver_is_answered_by_the_idle_task() {
        actix::System::new().block_on(async {
            let (pump, seen) = fresh();
            let a = counter(&pump, 1, &seen);
            let mut reply = std::pin::pin!(a.send(Ping));
            for _ in 0..100 {
                if let Poll::Ready(r) = poll_once(&mut reply) {
                    assert_eq!(r.unwrap(), 1);
                    return;
                }
                tokio::task::yield_now().await;
            }
            panic!("a call from outside was never answered");
        });
    }

    #[test]
    fn the_idle_task_ends_with_the_pump() {
        actix::System::new().block_on(async {
            let (pump, seen) = fresh();
            let a = counter(&pump, 1, &seen);
            drop(pump);
            tokio::task::yield_now().await;
            assert!(!a.connected(), "the actor went with its pump");
        });
    }
}
