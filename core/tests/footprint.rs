//! Memory footprint of a run (the engine with the sinks of `omnisim run`):
//! bytes per agent and per item in flight, counted by a global allocator
//! that tracks live heap bytes.
//!
//! The figures go in docs/BENCHMARKS.md ("Bytes per agent and per item");
//! `cargo test --release --test footprint -- --nocapture` prints them. The
//! budgets asserted are one and a half to four times the measured figures
//! (about 2,600 bytes per agent, 1,000 per item in flight, 7 kept per item
//! ended): they catch a layout that multiplies per-agent or per-item state,
//! not noise.
//! Counting is deterministic for a given build, unlike peak RSS.

use omnisim_core::engine::{synthetic_behaviour, Simulation};
use omnisim_core::events::{EventKind, EventSink, SimEvent};
use omnisim_core::scenario::{ArrivalRate, Scenario};
use omnisim_core::stats::{MetricsCollector, WorkRecorder};
use omnisim_core::time::{SimDuration, SimTime};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicIsize, Ordering};
use std::sync::{Arc, Mutex};

struct Counting;

static LIVE: AtomicIsize = AtomicIsize::new(0);
/// Allocations made (not bytes).
static ALLOCATIONS: AtomicIsize = AtomicIsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size() as isize, Ordering::Relaxed);
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        System.alloc(layout)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size() as isize, Ordering::Relaxed);
        System.dealloc(ptr, layout)
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE.fetch_add(
            new_size as isize - layout.size() as isize,
            Ordering::Relaxed,
        );
        System.realloc(ptr, layout, new_size)
    }
}

#[global_allocator]
static COUNTING: Counting = Counting;

/// The live count is process-wide: measurements must not overlap.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// Items that arrived, and those that have not ended yet.
#[derive(Default)]
struct InFlight {
    arrived: i64,
    open: i64,
}

impl EventSink for InFlight {
    fn on_event(&mut self, e: &SimEvent) {
        match e.kind {
            EventKind::WorkArrived { .. } => {
                self.arrived += 1;
                self.open += 1;
            }
            EventKind::WorkClosed { .. } | EventKind::WorkAbandoned { .. } => self.open -= 1,
            _ => {}
        }
    }
}

/// The Erlang-equivalent centre of `omnisim bench` with `agents` agents,
/// at occupancy `occupancy` (0 = no arrivals at all).
fn centre(agents: u32, occupancy: f64) -> Arc<Scenario> {
    let mut s = Scenario::from_path("../scenarios/erlang_c.toml".as_ref()).unwrap();
    s.agents[0].count = agents;
    s.arrivals[0].rate = ArrivalRate::Constant(occupancy * f64::from(agents) * 3600.0 / 300.0);
    Arc::new(s)
}

/// Live heap bytes with the engine of `scenario` and the result sinks of
/// `omnisim run` built and run to `until`, and the items then arrived and
/// in flight.
fn live_at(scenario: Arc<Scenario>, until: SimTime) -> (isize, InFlight) {
    let (live, flight, _) = measure(scenario, until);
    (live, flight)
}

/// [`live_at`], and the allocations made while running (after building).
fn measure(scenario: Arc<Scenario>, until: SimTime) -> (isize, InFlight, isize) {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let system = actix::System::new();
    system.block_on(async move {
        let before = LIVE.load(Ordering::Relaxed);
        let (s, s2) = (scenario.clone(), scenario.clone());
        let mut sim = Simulation::new(scenario, 0, move |seat| synthetic_behaviour(&s, seat));
        let mut flight = InFlight::default();
        // The sinks of `omnisim run`, so their memory counts too.
        let mut metrics = MetricsCollector::new(&s2);
        let mut work = WorkRecorder::new(std::io::sink(), &s2, 0).unwrap();
        let built = ALLOCATIONS.load(Ordering::Relaxed);
        sim.run_until(until, &mut [&mut flight, &mut metrics, &mut work])
            .await;
        let allocations = ALLOCATIONS.load(Ordering::Relaxed) - built;
        let live = LIVE.load(Ordering::Relaxed) - before;
        drop((sim, metrics, work));
        (live, flight, allocations)
    })
}

const KIB: f64 = 1024.0;

#[test]
fn bytes_per_agent() {
    let at = SimTime::ZERO + SimDuration::from_secs(60);
    let (small, _) = live_at(centre(1_000, 0.0), at);
    let (large, _) = live_at(centre(3_000, 0.0), at);
    let per_agent = (large - small) as f64 / 2_000.0;
    println!("per agent: {per_agent:.0} bytes (logged in, idle; 1,000 → 3,000 agents)");
    assert!(per_agent > 0.0);
    assert!(per_agent < 4.0 * KIB, "{per_agent} bytes per agent");
}

#[test]
fn bytes_per_item_in_flight() {
    let at = SimTime::ZERO + SimDuration::from_secs(2 * 3600);
    let (idle, none) = live_at(centre(1_000, 0.0), at);
    let (busy, flight) = live_at(centre(1_000, 0.9), at);
    assert_eq!(none.arrived, 0);
    assert!(flight.open > 500, "{} in flight", flight.open);
    // What an item leaves behind once ended (its line in the AgentWork
    // ledger): the growth between two hours and four, per item arrived.
    let (later, more) = live_at(centre(1_000, 0.9), at + SimDuration::from_secs(2 * 3600));
    let kept = (later - busy) as f64 / (more.arrived - flight.arrived) as f64;
    let per_item = ((busy - idle) as f64 - kept * flight.arrived as f64) / flight.open as f64;
    println!(
        "per item in flight: {per_item:.0} bytes ({} items, 1,000 agents at occupancy 0.9); \
         kept per item ended: {kept:.1} bytes",
        flight.open
    );
    assert!(per_item > 0.0 && kept >= 0.0);
    assert!(per_item < 2.0 * KIB, "{per_item} bytes per item");
    assert!(kept < 32.0, "{kept} bytes kept per item ended");
}

/// Heap allocations per item, over a day of the busy centre: each actor
/// message's envelope, the toolkit call's reply channel and the boxed
/// records are the expected ones; a new one per event or per routing
/// decision would show here.
#[test]
fn allocations_per_item() {
    let at = SimTime::ZERO + SimDuration::from_secs(4 * 3600);
    let (_, flight, allocations) = measure(centre(1_000, 0.9), at);
    let per_item = allocations as f64 / flight.arrived as f64;
    println!(
        "allocations per item: {per_item:.2} ({} items, 1,000 agents at occupancy 0.9)",
        flight.arrived
    );
    assert!(per_item > 1.0);
    assert!(per_item < 24.0, "{per_item} allocations per item");
}
