//! The engine: runs one replication of a scenario on actix actors.
//!
//! # How a run works
//!
//! ```text
//!             calendar (time, seq)  ── the only owner of simulated time
//!                   │ pop earliest
//!                   ▼
//!   ┌──────────── driver ─────────────┐
//!   │ Arrival ──► Generator           │
//!   │ Router  ──► RouterActor ──┐     │ every actor schedules its
//!   │ Agent   ──► AgentActor ◄──┼──┐  │ messages back onto the calendar
//!   │ Behaviour ► behaviour ────┘  │  │
//!   │            (toolkit calls ───┘) │
//!   └──────────────┬──────────────────┘
//!                  ▼ events, in order
//!              EventSinks (metrics, files, traces)
//! ```
//!
//! All actors live on one current-thread actix system, and the run polls
//! them itself rather than spawning them (`crate::kernel::pump`): the
//! driver pops the earliest calendar entry, sends it to its actor and
//! polls that actor at once, so the handler has run before the driver goes
//! on; a behaviour's toolkit calls are answered the same way. It then hands
//! the events it produced to the sinks and schedules the console events
//! for the agent's behaviour. Nothing else runs meanwhile, so the order of
//! everything is the calendar's `(time, seq)` order:
//!
//! * entries at different times run in time order;
//! * entries at the same instant run in the order they were *scheduled*
//!   (FIFO): an arrival is routed before its patience timer fires, a push
//!   timeout set at push time beats an answer scheduled later for the same
//!   instant (omni-reference §9);
//! * within one handler, events are emitted in the order of omni-reference
//!   §3 (work event → `workloadChanged` → `statusChanged`);
//! * the same-instant rule (omni-reference §9, and docs/teaching.md in the
//!   same words): A reaction (a notice to the router, the capacity a close frees, a console event for a behaviour) is a
//!   new entry at the same instant, queued after the entries already waiting for
//!   that instant; the routing pass runs when the router's entry is delivered.
//!
//! * a timer that became moot (a push answered before its timeout, a
//!   customer served before their patience ran out) is cancelled and never
//!   delivered; its handler would have found nothing to do, and the
//!   entries that remain keep their `seq`, so the order above is
//!   unchanged.
//!
//! The generator is not an actor: the router owns it (see
//! [`crate::arrivals`]). A queue's arrival entry is a message to the
//! router, which has the generator make the item and routes it in that
//! same message: an item is born where it is routed, and no message
//! exists only to hand it over. (Before, the driver called the generator
//! and sent the router the item; earlier still, the item went through the
//! calendar as an entry of its own, queued behind the entries waiting
//! for that instant, which differed only when another entry fell on the
//! very microsecond of an arrival.)
//!
//! A closed work frees its agent's capacity without a message to the
//! router. The agent schedules an `Entry::Freed` where its release notice
//! used to go (a reaction, queued like one); when it is delivered, the
//! driver puts the freed capacity in the shared routing view and wakes
//! the router only if items wait for an agent, since with nothing waiting
//! its routing pass would push nothing. The router takes whatever the
//! view holds before anything else in each of its messages, so it sees
//! the same capacity at every point of the order as it did when a notice
//! carried it. Other releases (a decline, a timeout, a logout's
//! `Assigned` work, a transfer) need the router to act on the item and
//! stay notices.
//!
//! One record per item in flight: the driver passes every event through an
//! [`crate::events::ItemBook`] before the sinks see it. The book brings the
//! item's [`crate::events::ItemRecord`] up to date, and the event that ends
//! the item carries the whole record out, so the sinks (metrics, `work.csv`)
//! read an item's life from it instead of each keeping a map of items
//! built from the events; the items still in flight at the end reach them
//! through [`EventSink::in_flight`] ([`Simulation::finish`]).
//!
//! Parallelism comes only from running replications on separate threads,
//! each with its own actor system; a replication's result never depends on
//! which thread ran it.
//!
//! # What depends on what
//!
//! From the bottom up; a module uses only modules of the lines above it
//! (and, on line 1, of its own line), never one below, and the actors of
//! line 4 do not use each other: no cycle among the engine, the actors,
//! the toolkit and the behaviours.
//!
//! 1. vocabulary: [`crate::time`], [`crate::distribution`],
//!    [`crate::clock`], [`crate::omni`], [`crate::events`],
//!    [`crate::scenario`];
//! 2. `kernel`: the calendar, the messages on it ([`BehaviourEvent`]
//!    among them), the shared handle, the random streams ([`rng`]) and
//!    the [`Instruments`] seam;
//! 3. [`crate::toolkit`] (the contract between a behaviour and its
//!    agent: requests, replies, and a handle that holds only
//!    `Recipient`s of them and the slot answers come back in) and
//!    [`crate::routing`] (pure decisions);
//! 4. the generator, [`crate::arrivals`], then the actors, each on its
//!    own: `agent` (answers toolkit requests), `router` (uses `routing`
//!    and owns the generator, which makes the items it routes),
//!    [`crate::behaviour`] (calls the toolkit);
//! 5. this module, the driver: it starts the actors, pops the calendar and
//!    hands events to sinks;
//! 6. what reads the events or times the actors ([`crate::stats`],
//!    [`crate::output`], [`crate::load`]), which may use anything above;
//!    none of them is named by layers 1–5. The load run times the actors
//!    on the wall clock through [`Instruments`], which the engine defines
//!    and the load run implements.
//! 7. outside this crate, the tools of the `omnisim` command (plan, sweep,
//!    report, trace, validation, bench, serve, the Salesforce export,
//!    calibrate, replay, the workbook), which use only this crate's
//!    public API: the workspace split makes that a compile error to break.

mod clock;

pub use crate::kernel::rng;

pub use crate::kernel::counters::{EngineCounts, PerItem};
pub use crate::kernel::instruments::{Instruments, Probe};
pub use crate::kernel::panic::PanicReport;
pub use clock::{Clock, Pacer};

use crate::agent::{AgentActor, AgentState};
use crate::arrivals::Generator;
use crate::behaviour::{AgentBehaviour, AgentContext, BehaviourEvent, SyntheticBehaviour};
use crate::events::{EventKind, EventSink, ItemBook, SimEvent};
use crate::kernel::handle::EngineHandle;
use crate::kernel::messages::{self, Cue, Entry};
use crate::kernel::panic::CatchUnwind;
use crate::kernel::pump::{ActorPump, Pumped};
use crate::omni::{AgentId, QueueId, StatusId, WorkItem, WorkItemId};
use crate::router::RouterActor;
use crate::routing::RoutingPolicy;
use crate::scenario::{AgentGroup, AgentSchedule, Scenario};
use crate::time::{SimDuration, SimTime};
use crate::toolkit::OmniToolkit;
use rand::Rng;
use rng::{agent_stream, AgentKey, StreamKind};
use std::collections::VecDeque;
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// What a finished (or stopped) replication reports about itself.
#[derive(Clone, Debug, PartialEq)]
pub struct RunOutcome {
    /// The replication this was.
    pub replication: u32,
    /// Calendar entries processed.
    pub entries: u64,
    /// Timers cancelled because they became moot (a push answered before
    /// its timeout, a customer served before their patience ran out):
    /// entries never delivered.
    pub timers_cancelled: u64,
    /// Events emitted.
    pub events: u64,
    /// Actor messages, toolkit calls and calendar entries, by kind.
    pub counts: EngineCounts,
    /// Simulated time reached.
    pub end: SimTime,
    /// Wall-clock time the run took.
    pub wall: Duration,
    /// Whether it was stopped before the end.
    pub interrupted: bool,
    /// Largest delay behind schedule (wall clock only).
    pub max_lag: Duration,
    /// Set when the run stopped because simulated time stopped advancing:
    /// so many entries at one instant that behaviours must be answering
    /// each other instantly in a loop (e.g. agents declining a push with
    /// no response time, bouncing it between them forever).
    pub stalled_at: Option<SimTime>,
    /// Set when the run stopped because code inside it panicked (an
    /// actor's handler, a routing policy, a behaviour): what panicked and
    /// its message. The sinks were not finished.
    pub panic: Option<PanicReport>,
}

/// Options for one replication.
#[derive(Default)]
pub struct RunOptions<'a> {
    /// Replication number (selects independent random streams).
    pub replication: u32,
    /// Pacing; virtual unless set.
    pub clock: Option<Clock>,
    /// Checked between entries; set it to stop the run early.
    pub stop: Option<Arc<AtomicBool>>,
    /// Called now and then with the fraction of simulated time done.
    pub progress: Option<&'a mut dyn FnMut(f64)>,
    /// Wall-clock instruments (a load run's latency histograms); the
    /// engine times its probe points into them while they are recording.
    pub instruments: Option<Rc<dyn Instruments>>,
    /// Chooses the agent for items of external queues
    /// (`routing_model = "external"`); without one they wait.
    pub routing_policy: Option<Box<dyn RoutingPolicy>>,
    /// Record every routing decision's candidates and rule in its
    /// `RoutingDecision` event (what `omnisim trace` narrates); off, the
    /// router builds nothing.
    pub record_decisions: bool,
}

impl std::fmt::Debug for RunOptions<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RunOptions")
            .field("replication", &self.replication)
            .field("clock", &self.clock)
            .field("record_decisions", &self.record_decisions)
            .finish()
    }
}

/// Everything a behaviour factory may need to know about one agent.
#[derive(Debug)]
pub struct AgentSeat<'a> {
    /// The agent.
    pub agent: AgentId,
    /// Its group in the scenario.
    pub group: &'a AgentGroup,
    /// Its own shift and breaks (its line of the group's roster).
    pub schedule: AgentSchedule<'a>,
    /// Its own random stream for this replication, keyed by its group and
    /// its place or name in it ([`rng::AgentKey`]), not by its number.
    pub rng: rand_chacha::ChaCha8Rng,
}

/// The synthetic behaviour the scenario describes, for one agent.
pub fn synthetic_behaviour(scenario: &Scenario, seat: AgentSeat<'_>) -> SyntheticBehaviour {
    let config = &scenario.presence_configs[seat.group.presence_config.index()];
    // A hand-built scenario may leave the end status out: the first busy
    // status the group is granted, if any, serves.
    let shift = seat.schedule.shift;
    let end_status = shift.end_status.or_else(|| {
        allowed_statuses(scenario, seat.group)
            .into_iter()
            .filter(|s| !scenario.statuses[s.index()].is_online())
            .min()
    });
    SyntheticBehaviour::new(
        seat.group.behaviour.clone(),
        seat.group.status,
        config.auto_accept,
        config.decline_reasons.clone(),
        seat.rng,
    )
    .with_shift_end(shift.end_mode, end_status)
}

/// Runs one replication of `scenario` with its synthetic agents.
pub fn run_replication(
    scenario: Arc<Scenario>,
    sinks: &mut [&mut dyn EventSink],
    options: RunOptions<'_>,
) -> RunOutcome {
    let s = scenario.clone();
    run_with_behaviours(
        scenario,
        move |seat| synthetic_behaviour(&s, seat),
        sinks,
        options,
    )
}

/// Runs one replication with behaviours from `make_behaviour` (one call per
/// agent, in agent order).
pub fn run_with_behaviours<B, F>(
    scenario: Arc<Scenario>,
    mut make_behaviour: F,
    sinks: &mut [&mut dyn EventSink],
    options: RunOptions<'_>,
) -> RunOutcome
where
    B: AgentBehaviour,
    F: FnMut(AgentSeat<'_>) -> B,
{
    let wall_start = Instant::now();
    // No timer driver: the pacer's waits block (see `clock`), so a run
    // needs nothing from tokio but its task machinery.
    let system = actix::System::with_tokio_rt(|| {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("a current-thread runtime can always be built")
    });
    let stop = options.stop.clone();
    let replication = options.replication;
    let run = drive(scenario, &mut make_behaviour, sinks, options);
    // The task that polls the actors while the driver waits is spawned on
    // this LocalSet, within the system's runtime, and the actix system
    // stays the current one.
    let outcome = {
        let _runtime = system.runtime().tokio_runtime().enter();
        let actors = tokio::task::LocalSet::new();
        poll_until_done(actors.run_until(run), stop.as_deref())
    };
    drop(system);
    outcome.unwrap_or_else(|| RunOutcome {
        replication,
        entries: 0,
        timers_cancelled: 0,
        events: 0,
        counts: EngineCounts::default(),
        end: SimTime::ZERO,
        wall: wall_start.elapsed(),
        interrupted: true,
        max_lag: Duration::ZERO,
        stalled_at: None,
        panic: None,
    })
}

/// Runs a replication to its end by polling it in a loop; `None` when
/// `stop` was set before it ended.
///
/// Nothing outside the run can wake it: the driver polls the actors
/// itself, whatever else it awaits is completed by a task already queued
/// on the run's `LocalSet` (which each poll of `run_until` ticks right
/// after the driver), and the pacer's waits block the thread rather than
/// await a timer. So polling again at once runs exactly the tasks, in
/// exactly the order, that tokio's `block_on` would, without what its
/// scheduler does between two polls of a future that woke itself (two
/// clock reads for its busy-time metric and a check of its, here absent,
/// I/O and timer drivers).
///
/// The driver reads `stop` between entries; it is read here too, between
/// polls, so that a run stuck inside one entry (which contained panics
/// should make impossible, but code that is not ours runs in there) still
/// stops on Ctrl-C.
fn poll_until_done<F: std::future::Future>(run: F, stop: Option<&AtomicBool>) -> Option<F::Output> {
    let mut run = std::pin::pin!(run);
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    loop {
        if let std::task::Poll::Ready(outcome) = run.as_mut().poll(&mut cx) {
            return Some(outcome);
        }
        if stop.is_some_and(|s| s.load(Ordering::Relaxed)) {
            return None;
        }
    }
}

/// Granted statuses of a group: as listed (empty = all), plus the login
/// status, the configuration's automatic statuses, the end-of-shift
/// statuses and the break statuses, which an agent must be able to enter.
fn allowed_statuses(scenario: &Scenario, group: &AgentGroup) -> Vec<StatusId> {
    let mut allowed: Vec<StatusId> = if group.allowed_statuses.is_empty() {
        (0..scenario.statuses.len() as u32).map(StatusId).collect()
    } else {
        group.allowed_statuses.clone()
    };
    let config = &scenario.presence_configs[group.presence_config.index()];
    let rostered = group.shifts().filter_map(|s| s.end_status).chain(
        group
            .roster
            .iter()
            .flat_map(|r| r.breaks.iter().map(|b| b.status)),
    );
    for s in [
        Some(group.status),
        config.status_on_decline,
        config.status_on_push_timeout,
    ]
    .into_iter()
    .flatten()
    .chain(rostered)
    {
        if !allowed.contains(&s) {
            allowed.push(s);
        }
    }
    allowed
}

/// A replication in progress, stepped by the caller.
///
/// [`run_with_behaviours`] drives one to the end; tests and teaching tools
/// step it and act on agents directly through [`Simulation::toolkit`] and
/// [`Simulation::inject_work`]. It must be created and used inside an actix
/// system (e.g. `actix::System::new().block_on(async { … })`).
pub struct Simulation<B: AgentBehaviour> {
    scenario: Arc<Scenario>,
    handle: Rc<EngineHandle>,
    router: actix::Addr<RouterActor>,
    agents: Vec<actix::Addr<AgentActor>>,
    /// The actors' futures, polled by the run (see `crate::kernel::pump`).
    pump: Rc<ActorPump>,
    behaviours: Vec<B>,
    contexts: Vec<AgentContext>,
    buffer: Vec<SimEvent>,
    /// Console events waiting for their `Entry::Console`, in the order
    /// those entries were scheduled, which is the order they come up (see
    /// `Entry::Console`).
    console: VecDeque<EventKind>,
    /// The record of every item in flight, which the event ending an item
    /// carries to the sinks.
    book: ItemBook,
    injected: u64,
    entries: u64,
    events: u64,
}

impl<B: AgentBehaviour> std::fmt::Debug for Simulation<B> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Simulation")
            .field("now", &self.handle.now())
            .field("agents", &self.agents.len())
            .field("entries", &self.entries)
            .finish()
    }
}

impl<B: AgentBehaviour> Simulation<B> {
    /// Starts the actors of one replication: the router and one agent
    /// actor per agent with its behaviour from `make_behaviour`; the
    /// generator's first arrivals, each agent's shift start and end and
    /// its breaks scheduled, or, for an agent absent today, an
    /// `AgentAbsent` event (handed to the sinks with the first step).
    pub fn new<F>(scenario: Arc<Scenario>, replication: u32, make_behaviour: F) -> Self
    where
        F: FnMut(AgentSeat<'_>) -> B,
    {
        Self::with_instruments(scenario, replication, make_behaviour, None, None)
    }

    /// [`Simulation::new`], with `policy` choosing for external queues.
    pub fn with_routing_policy<F>(
        scenario: Arc<Scenario>,
        replication: u32,
        make_behaviour: F,
        policy: Box<dyn RoutingPolicy>,
    ) -> Self
    where
        F: FnMut(AgentSeat<'_>) -> B,
    {
        Self::with_instruments(scenario, replication, make_behaviour, None, Some(policy))
    }

    /// [`Simulation::new`], with every toolkit call and routing decision
    /// timed into `instruments`.
    pub(crate) fn with_instruments<F>(
        scenario: Arc<Scenario>,
        replication: u32,
        mut make_behaviour: F,
        instruments: Option<Rc<dyn Instruments>>,
        policy: Option<Box<dyn RoutingPolicy>>,
    ) -> Self
    where
        F: FnMut(AgentSeat<'_>) -> B,
    {
        let handle = Rc::new(EngineHandle::with_instruments(instruments.clone()));
        let seed = scenario.simulation.seed;
        let mut generator = Generator::new(scenario.clone(), replication, handle.clone());
        generator.prime();
        let pump = ActorPump::new();
        let router = pump.start(RouterActor::new(
            scenario.clone(),
            handle.clone(),
            policy,
            generator,
        ));

        let mut agents = Vec::with_capacity(scenario.agent_count());
        let mut behaviours = Vec::with_capacity(scenario.agent_count());
        let mut contexts = Vec::with_capacity(scenario.agent_count());
        let run_end = SimTime::ZERO + scenario.run_length();
        let replies = Arc::new(crate::toolkit::ReplySlot::default());
        for group in &scenario.agents {
            let config = scenario.presence_configs[group.presence_config.index()].clone();
            let allowed = allowed_statuses(&scenario, group);
            let mut names = rustc_hash::FxHashMap::default();
            for (place, schedule) in group.schedules().enumerate() {
                let id = AgentId(agents.len() as u32);
                let key = agent_key(&group.group, place as u32, schedule.name, &mut names);
                let state = AgentState::new(
                    id,
                    scenario.clone(),
                    config.clone(),
                    allowed.clone(),
                    handle.clone(),
                );
                let addr = pump.start(AgentActor::new(state));
                let rng = agent_stream(seed, replication, StreamKind::Behaviour, key);
                behaviours.push(make_behaviour(AgentSeat {
                    agent: id,
                    group,
                    schedule,
                    rng,
                }));
                contexts.push(AgentContext::new(
                    id,
                    OmniToolkit::quick(&addr, replies.clone())
                        .with_instruments(instruments.clone()),
                    handle.clone(),
                ));
                agents.push(addr);
                let draws = |kind| agent_stream(seed, replication, kind, key);
                if group.absence > 0.0 && draws(StreamKind::Absence).gen::<f64>() < group.absence {
                    // Absent today: never logs in, so nothing is scheduled.
                    handle.emit(EventKind::AgentAbsent { agent: id });
                    continue;
                }
                let start = SimTime::ZERO + schedule.shift.start;
                handle.schedule_at(start, Entry::Behaviour(id, Cue::ShiftStart));
                if let Some(e) = schedule.shift.end {
                    handle.schedule_at(SimTime::ZERO + e, Entry::Behaviour(id, Cue::ShiftEnd));
                }
                schedule_breaks(&handle, id, &schedule, group, run_end, || {
                    draws(StreamKind::BreakLateness)
                });
            }
        }
        Simulation {
            scenario,
            handle,
            router,
            agents,
            pump,
            behaviours,
            contexts,
            buffer: Vec::new(),
            console: VecDeque::new(),
            book: ItemBook::new(),
            injected: 0,
            entries: 0,
            events: 0,
        }
    }

    /// Current simulated time.
    pub fn now(&self) -> SimTime {
        self.handle.now()
    }

    /// Pauses (`paused`) or resumes an opened item of `agent`, as its
    /// behaviour would through [`AgentContext::pause`].
    pub fn pause(&self, agent: AgentId, work: crate::omni::AgentWorkId, paused: bool) {
        self.contexts[agent.index()].pause(work, paused);
    }

    /// Hands `agent`'s opened `work` on to `queue`, as its behaviour would
    /// through [`AgentContext::transfer`] (omni-reference §12.7).
    pub fn transfer(&self, agent: AgentId, work: crate::omni::AgentWorkId, queue: QueueId) {
        self.contexts[agent.index()].transfer(work, queue);
    }

    /// Records (`true`) or stops recording every routing decision's
    /// candidates and rule in its `RoutingDecision` event
    /// ([`crate::events::DecisionRecord`]).
    pub fn record_decisions(&self, on: bool) {
        self.handle.record_decisions.set(on);
    }

    /// Tells `agent`'s behaviour [`BehaviourEvent::Notice`]`(tag)` at this
    /// instant, after the entries already waiting for it, as any reaction
    /// is queued (omni-reference §9). This is how something outside the
    /// run reaches a behaviour in calendar order: `omnisim serve` uses it
    /// when a remote console takes an agent over or hands it back, so the
    /// agent's behaviour can stand aside or pick up where the console left.
    pub fn notify(&self, agent: AgentId, tag: u64) {
        self.handle
            .schedule_now(Entry::Behaviour(agent, Cue::Notice(tag)));
    }

    /// The toolkit of one agent, to act as that agent directly.
    pub fn toolkit(&self, agent: AgentId) -> OmniToolkit {
        self.contexts[agent.index()].toolkit().clone()
    }

    /// The scenario being run.
    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    /// Calendar entries processed so far.
    pub fn entries(&self) -> u64 {
        self.entries
    }

    /// Events emitted so far.
    pub fn events(&self) -> u64 {
        self.events
    }

    /// Actor messages, toolkit calls and calendar entries so far, by kind.
    pub fn counts(&self) -> EngineCounts {
        self.handle.counts()
    }

    /// Adds a work item to `queue` now, outside the scenario's arrivals
    /// (for tests and lessons). Injected items are numbered from 10^12 so
    /// they never collide with generated ones.
    pub fn inject_work(
        &mut self,
        queue: QueueId,
        handle_time: SimDuration,
        patience: Option<SimDuration>,
    ) -> WorkItemId {
        self.injected += 1;
        let id = WorkItemId(1_000_000_000_000 + self.injected);
        let item = WorkItem {
            id,
            queue,
            channel: self.scenario.queues[queue.index()].channel,
            requested_at: self.handle.now(),
            patience,
            handle_time,
            wrap_up: None,
            priority: self.scenario.queues[queue.index()].routing.priority,
            secondary_priority: None,
            skills: Vec::new(),
            transfers: Vec::new(),
            transferred: 0,
            retrial: None,
            retry_after: None,
        };
        self.handle
            .schedule_now(Entry::Router(messages::RouterMsg::Arrival(Box::new(item))));
        id
    }

    /// Time of the next calendar entry, if any.
    pub fn next_time(&self) -> Option<SimTime> {
        self.handle.peek_time()
    }

    /// Processes the earliest calendar entry and hands its events to
    /// `sinks`. Returns its time, or `None` when the calendar is empty.
    pub async fn step(&mut self, sinks: &mut [&mut dyn EventSink]) -> Option<SimTime> {
        let (t, entry) = self.handle.pop()?;
        self.handle.set_now(t);
        self.entries += 1;
        self.handle.count(|c| c.entry(&entry));
        match entry {
            Entry::Router(msg) => self.deliver(&self.router, msg).await,
            Entry::Agent(a, msg) => self.deliver(&self.agents[a.index()], msg).await,
            // Freed capacity goes to the shared routing view; the router
            // needs a message only if something waits to be routed.
            Entry::Freed(freed) => {
                let view = &self.handle.routing;
                view.freed.borrow_mut().push(freed);
                if view.waiting.get() {
                    self.handle.count(|c| c.router_notices += 1);
                    self.deliver(&self.router, messages::RouterMsg::Freed).await;
                }
            }
            Entry::Behaviour(a, cue) => self.behave(a, cue.into()).await,
            Entry::Console(a) => {
                let kind = self
                    .console
                    .pop_front()
                    .expect("each console entry has its event waiting");
                debug_assert_eq!(kind.agent(), Some(a), "console events in entry order");
                self.behave(a, BehaviourEvent::Console(kind)).await;
            }
        }
        self.flush(sinks);
        Some(t)
    }

    /// Delivers one entry to an actor and polls it at once (see
    /// `crate::kernel::pump`); waits, as a safeguard, until its handler
    /// reported back.
    async fn deliver<A, M>(&self, to: &actix::Addr<A>, msg: M)
    where
        A: actix::Actor<Context = actix::Context<A>> + actix::Handler<M>,
        M: actix::Message<Result = ()> + Send + 'static,
    {
        self.handle.deliver(to, msg, &self.pump).await;
    }

    /// Hands `event` to agent `a`'s behaviour. A behaviour may be a library
    /// user's code: its panic is contained like an actor's (see
    /// `crate::kernel::panic`) and ends the run after this entry. Its
    /// toolkit calls are answered without leaving the driver: whenever it
    /// waits, the actors it called run first.
    async fn behave(&mut self, a: AgentId, event: BehaviourEvent) {
        let (behaviour, ctx) = (&mut self.behaviours[a.index()], &self.contexts[a.index()]);
        let handled = std::pin::pin!(CatchUnwind::new(behaviour.handle(event, ctx)));
        if let Err(message) = Pumped::new(&self.pump, handled).await {
            self.handle.record_panic(PanicReport {
                culprit: format!("the behaviour of agent {}", a.0),
                message,
            });
        }
    }

    /// Hands pending events to the sinks and schedules console events for
    /// the behaviours that want them. Toolkit calls made from outside a
    /// behaviour (tests) emit events too; call this after them.
    pub fn flush(&mut self, sinks: &mut [&mut dyn EventSink]) {
        self.handle.take_events(&mut self.buffer);
        for mut ev in self.buffer.drain(..) {
            self.events += 1;
            let carries = self.book.apply(&mut ev);
            for sink in sinks.iter_mut() {
                sink.on_event(&ev);
            }
            if carries {
                self.book.recycle(&mut ev);
            }
            if ev.kind.is_console_event() {
                if let Some(a) = ev.kind.agent() {
                    if self.behaviours[a.index()].wants(&ev.kind) {
                        self.handle.schedule_now(Entry::Console(a));
                        self.console.push_back(ev.kind);
                    }
                }
            }
        }
    }

    /// Ends the run at `end`: hands each sink the record of every item
    /// still in flight ([`EventSink::in_flight`]), then calls its
    /// [`EventSink::finish`]. A caller that steps a simulation itself
    /// calls this once, at the end, instead of finishing the sinks.
    pub fn finish(&mut self, end: SimTime, sinks: &mut [&mut dyn EventSink]) {
        self.flush(sinks);
        self.book.finish(end, sinks);
    }

    /// Processes every entry before `until` (exclusive), then sets the
    /// clock to `until`.
    pub async fn run_until(&mut self, until: SimTime, sinks: &mut [&mut dyn EventSink]) {
        self.flush(sinks);
        while self.handle.peek_time().is_some_and(|t| t < until) {
            self.step(sinks).await;
        }
        if until > self.handle.now() {
            self.handle.set_now(until);
        }
    }
}

/// The key of an agent's random streams: its roster name (and how many
/// agents of its group named so came before it, counted in `names`) or,
/// unnamed, its place in its group.
fn agent_key<'a>(
    group: &str,
    place: u32,
    name: Option<&'a str>,
    names: &mut rustc_hash::FxHashMap<&'a str, u32>,
) -> AgentKey {
    let Some(name) = name else {
        return AgentKey::placed(group, place);
    };
    // Only looked up, never iterated: its order decides nothing.
    let seen = names.entry(name).or_insert(0);
    *seen += 1;
    AgentKey::named(group, name, *seen - 1)
}

/// Puts an agent's breaks on the calendar: a `BreakStart` when each
/// really starts (late by the group's `break_lateness`, drawn from the
/// agent's own stream only when the key is set) and a `BreakEnd` when it
/// ends, unless the shift end comes first (it wins).
fn schedule_breaks(
    handle: &EngineHandle,
    id: AgentId,
    schedule: &AgentSchedule<'_>,
    group: &AgentGroup,
    run_end: SimTime,
    rng: impl FnOnce() -> rand_chacha::ChaCha8Rng,
) {
    if schedule.breaks.is_empty() {
        return;
    }
    let mut rng = group.break_lateness.as_ref().map(|d| (d, rng()));
    let windows = schedule.break_windows(run_end, rng.as_mut().map(|(d, r)| (*d, r)));
    let shift_end = schedule.shift.end.map_or(run_end, |e| SimTime::ZERO + e);
    for (start, until, status) in windows {
        handle.schedule_at(
            start,
            Entry::Behaviour(id, Cue::BreakStart { status, until }),
        );
        if until < shift_end {
            handle.schedule_at(until, Entry::Behaviour(id, Cue::BreakEnd));
        }
    }
}

async fn drive<B, F>(
    scenario: Arc<Scenario>,
    make_behaviour: &mut F,
    sinks: &mut [&mut dyn EventSink],
    mut options: RunOptions<'_>,
) -> RunOutcome
where
    B: AgentBehaviour,
    F: FnMut(AgentSeat<'_>) -> B,
{
    let wall_start = Instant::now();
    let end = SimTime::ZERO + scenario.run_length();
    let instruments = options.instruments.clone();
    let mut sim = Simulation::with_instruments(
        scenario,
        options.replication,
        make_behaviour,
        instruments.clone(),
        options.routing_policy.take(),
    );
    sim.record_decisions(options.record_decisions);
    let pacer = clock::Pacer::start(options.clock.unwrap_or(Clock::Virtual));
    let stop = options.stop.clone();
    let stopped = || stop.as_ref().is_some_and(|s| s.load(Ordering::Relaxed));
    let mut interrupted = false;
    let mut max_lag = Duration::ZERO;
    let progress_step = SimDuration(end.0 / 200 + 1);
    let mut next_progress = SimTime::ZERO;
    let stall_limit = 1_000_000u64.max(200 * sim.agents.len() as u64);
    let (mut same_instant, mut last_t, mut stalled_at) = (0u64, SimTime::NEVER, None);
    let mut panic = None;
    // Absences are known before anything happens, even in a run with
    // nothing on its calendar.
    sim.flush(sinks);

    while let Some(t) = sim.next_time() {
        if t >= end {
            break;
        }
        if t == last_t {
            same_instant += 1;
            if same_instant > stall_limit {
                stalled_at = Some(t);
                interrupted = true;
                break;
            }
        } else {
            (same_instant, last_t) = (0, t);
        }
        if stopped() || !pacer.wait_until(t, &stopped) {
            interrupted = true;
            break;
        }
        let lag = pacer.lag(t);
        max_lag = max_lag.max(lag);
        if let Some(i) = &instruments {
            i.entry_due(t);
            if i.recording() {
                i.record(Probe::ScheduleLag, lag);
            }
        }
        sim.step(sinks).await;
        if let Some(p) = sim.handle.take_panic() {
            panic = Some(p);
            interrupted = true;
            break;
        }
        if t >= next_progress {
            if let Some(p) = options.progress.as_mut() {
                p(t.0 as f64 / end.0.max(1) as f64);
            }
            next_progress = t + progress_step;
        }
    }
    let reached = if interrupted { sim.now() } else { end };
    if panic.is_none() {
        sim.finish(reached, sinks);
    }
    if let Some(p) = options.progress.as_mut() {
        p(1.0);
    }
    RunOutcome {
        replication: options.replication,
        entries: sim.entries(),
        timers_cancelled: sim.handle.cancelled(),
        events: sim.events(),
        counts: sim.counts(),
        end: reached,
        wall: wall_start.elapsed(),
        interrupted,
        max_lag,
        stalled_at,
        panic,
    }
}

/// A behaviour that does nothing: the agent acts only when someone calls
/// its toolkit (tests, lessons driving agents by hand).
#[derive(Copy, Clone, Debug, Default)]
pub struct Idle;

impl AgentBehaviour for Idle {
    fn wants(&self, _event: &EventKind) -> bool {
        false
    }

    async fn handle(&mut self, _event: BehaviourEvent, _ctx: &AgentContext) {}
}
