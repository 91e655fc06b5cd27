//! [`MetricsCollector`]: the event stream of one replication → its metrics.

use super::integral::{StepIntegral, Window};
use super::metrics::{AgentMetrics, IntervalMetrics, QueueMetrics, ReplicationResult, ALL_QUEUES};
use crate::events::{AgentLedger, BreakStep, EventKind, EventSink, ItemRecord, SimEvent};
use crate::omni::{AgentId, AgentWorkId, CapacityUnits, QueueId};
use crate::scenario::Scenario;
use crate::time::{SimTime, MICROS_PER_SEC};
use rustc_hash::FxHashMap;

/// Turns the events of one replication into a [`ReplicationResult`].
///
/// Feed it every event ([`EventSink::on_event`]) as the engine does,
/// through an [`crate::events::ItemBook`] that ends the run
/// ([`crate::events::ItemBook::finish`]), then take
/// [`MetricsCollector::into_result`]. It keeps no item of its own: an
/// item's figures are counted once, from the [`ItemRecord`] that the event
/// ending it carries (or [`EventSink::in_flight`] at the end), so every
/// figure is a fixed-size counter or integral, plus the AgentWork holding
/// capacity for the per-queue load. Nor does it judge an agent's presence
/// or breaks itself: it reads them from an [`AgentLedger`] it feeds with
/// the same events, whose rules the trace reads too.
///
/// All sums are integers (microseconds, capacity thousandths), so the
/// result is exactly reproducible; ratios are formed only at the end.
#[derive(Debug)]
pub struct MetricsCollector {
    window: Window,
    /// Service-level threshold of each queue \[µs\], in scenario order:
    /// an item counts against its own queue's, so the centre-wide service
    /// level mixes thresholds when queues differ.
    thresholds: Vec<u64>,
    queue_names: Vec<String>,
    /// Each queue's capacity pool ([`crate::omni::CapacityPool::index`]).
    queue_pool: Vec<usize>,
    /// The queues whose channel each presence status (by `StatusId`)
    /// carries: an agent serves a queue only in such a status.
    status_queues: Vec<Vec<usize>>,
    group_names: Vec<String>,
    /// AgentWork holding capacity (assigned or opened), for per-queue load.
    works: FxHashMap<AgentWorkId, WorkHold>,
    queue_tally: Vec<Tally>,
    /// `[interval][queue]`.
    interval_tally: Vec<Vec<Tally>>,
    /// Each agent's presence and breaks, by the rules the trace reads too.
    ledger: AgentLedger,
    agents: Vec<AgentTally>,
    centre: CentreLoad,
    last_time: SimTime,
    finished: bool,
}

/// How an item's record reached the collector.
#[derive(Copy, Clone, Debug)]
enum Ending {
    /// Closed at `at` by an AgentWork of `queue` accepted at `accepted_at`.
    Closed {
        at: SimTime,
        queue: QueueId,
        accepted_at: SimTime,
    },
    /// The customer left.
    Abandoned,
    /// Every available agent refused it.
    EndedNoAgent,
    /// Still in flight when the run ended.
    InFlight,
}

#[derive(Copy, Clone, Debug)]
struct WorkHold {
    agent: usize,
    queue: usize,
    cost: u64,
    /// Set aside for the agent's primary work.
    interrupted: bool,
}

/// Integer counters for one (queue, period) cell.
#[derive(Clone, Debug, Default)]
struct Tally {
    offered: u64,
    answered: u64,
    answered_in_threshold: u64,
    wait_sum_us: u128,
    pushed_on_arrival: u64,
    abandoned: u64,
    ended_no_agent: u64,
    closed: u64,
    handle_sum_us: u128,
    /// Closed items whose handle time is known, and their wrap-up.
    wrapped: u64,
    wrap_sum_us: u128,
    declined: u64,
    push_timeouts: u64,
    waiting_at_end: u64,
    in_progress_at_end: u64,
    transferred_out: u64,
    transferred_in: u64,
    retrials: u64,
    offered_customers: u64,
    /// Over closed items, like `handle_sum_us`.
    interrupted_sum_us: u128,
    /// Answered transfers into the queue, and their waits there.
    transfer_waits: u64,
    transfer_wait_sum_us: u128,
}

impl Tally {
    fn add(&mut self, o: &Tally) {
        self.offered += o.offered;
        self.answered += o.answered;
        self.answered_in_threshold += o.answered_in_threshold;
        self.wait_sum_us += o.wait_sum_us;
        self.pushed_on_arrival += o.pushed_on_arrival;
        self.abandoned += o.abandoned;
        self.ended_no_agent += o.ended_no_agent;
        self.closed += o.closed;
        self.handle_sum_us += o.handle_sum_us;
        self.wrapped += o.wrapped;
        self.wrap_sum_us += o.wrap_sum_us;
        self.declined += o.declined;
        self.push_timeouts += o.push_timeouts;
        self.waiting_at_end += o.waiting_at_end;
        self.in_progress_at_end += o.in_progress_at_end;
        self.transferred_out += o.transferred_out;
        self.transferred_in += o.transferred_in;
        self.retrials += o.retrials;
        self.offered_customers += o.offered_customers;
        self.interrupted_sum_us += o.interrupted_sum_us;
        self.transfer_waits += o.transfer_waits;
        self.transfer_wait_sum_us += o.transfer_wait_sum_us;
    }

    fn metrics(&self, name: &str, load: u128, capacity: u128) -> QueueMetrics {
        let ratio = |num: u64, den: u64| (den > 0).then(|| num as f64 / den as f64);
        let mean_s =
            |sum: u128, n: u64| (n > 0).then(|| sum as f64 / n as f64 / MICROS_PER_SEC as f64);
        QueueMetrics {
            queue: name.to_string(),
            offered: self.offered,
            answered: self.answered,
            abandoned: self.abandoned,
            ended_no_agent: self.ended_no_agent,
            service_level: ratio(self.answered_in_threshold, self.offered),
            asa_s: mean_s(self.wait_sum_us, self.answered),
            p_wait: ratio(self.offered - self.pushed_on_arrival, self.offered),
            p_abandon: ratio(self.abandoned, self.offered),
            aht_s: mean_s(self.handle_sum_us, self.closed),
            wrap_up_s: mean_s(self.wrap_sum_us, self.wrapped),
            occupancy: fraction(load, capacity),
            // The centre's agents are all the agents: the same figure.
            // Queues overwrite it with their own agents'.
            agents_occupancy: fraction(load, capacity),
            declined: self.declined,
            push_timeouts: self.push_timeouts,
            waiting_at_end: self.waiting_at_end,
            in_progress_at_end: self.in_progress_at_end,
            transferred_out: self.transferred_out,
            transferred_in: self.transferred_in,
            retrials: self.retrials,
            offered_customers: self.offered_customers,
            interrupted_s: mean_s(self.interrupted_sum_us, self.closed),
            transfer_wait_s: mean_s(self.transfer_wait_sum_us, self.transfer_waits),
        }
    }
}

/// One agent's figures: its capacity and load, and the integrals and
/// counters of its `agents.csv` row. Its presence is the ledger's.
#[derive(Clone, Debug)]
struct AgentTally {
    group: usize,
    /// Configured capacity and load per pool ([`crate::omni::CapacityPool::index`]).
    capacity: [u64; 2],
    workload: [u64; 2],
    /// Load by queue, from the AgentWork the agent holds; a handful of
    /// entries at most, so a vector beats a map.
    queue_loads: Vec<(usize, u64)>,
    /// The queues whose work the agent may take
    /// ([`crate::scenario::AgentGroup::may_take`]).
    may_take: Vec<usize>,
    /// Of those, the queues whose channel its current status carries:
    /// the queues whose `agents_occupancy` it counts in while online.
    serving: Vec<usize>,
    online_time: StepIntegral,
    load: [StepIntegral; 2],
    online_capacity: [StepIntegral; 2],
    items_handled: u64,
    declines: u64,
    push_timeouts: u64,
    /// Overtime of a shift ending in the measured window \[µs\], once
    /// known (overtime is counted for such shifts only).
    overtime_us: Option<u64>,
    /// Time on a rostered break, as the ledger tells it.
    break_time: StepIntegral,
    /// Interruptible works it holds set aside for primary work, and the
    /// time with any.
    interrupted_works: u32,
    interrupted_time: StepIntegral,
}

impl AgentTally {
    /// Sets the queues the agent serves in a status carrying the
    /// channels of `carried` queues.
    fn serve(&mut self, carried: &[usize]) {
        self.serving.clear();
        let may_take = &self.may_take;
        self.serving
            .extend(carried.iter().copied().filter(|q| may_take.contains(q)));
    }

    /// Adds (or removes) `cost` to the agent's load in `queue`; returns
    /// that load before and after.
    fn change_queue_load(&mut self, queue: usize, cost: u64, add: bool) -> (u64, u64) {
        match self.queue_loads.iter().position(|&(q, _)| q == queue) {
            Some(i) => {
                let before = self.queue_loads[i].1;
                let after = if add {
                    before + cost
                } else {
                    before.saturating_sub(cost)
                };
                self.queue_loads[i].1 = after;
                if after == 0 {
                    self.queue_loads.swap_remove(i);
                }
                (before, after)
            }
            None if add && cost > 0 => {
                self.queue_loads.push((queue, cost));
                (0, cost)
            }
            None => (0, 0),
        }
    }
}

/// Centre-wide step functions: capacity and load of online agents, per
/// pool.
#[derive(Clone, Debug)]
struct CentreLoad {
    /// 1, or 2 when some queue's work is interruptible: the second pool's
    /// integrals are kept only when something can load it.
    pools: usize,
    capacity: [StepIntegral; 2],
    load: [StepIntegral; 2],
    queue_load: Vec<StepIntegral>,
    /// Each queue's capacity pool.
    queue_pool: Vec<usize>,
    /// Per queue, the capacity online and the whole load (any queue's
    /// work) in the queue's pool of the agents who may take its work.
    agents_capacity: Vec<StepIntegral>,
    agents_load: Vec<StepIntegral>,
}

impl CentreLoad {
    /// Adds (or removes) an agent's contribution at `t`, if it is `online`
    /// (logged in with a status that has channels). A busy agent is
    /// excluded from occupancy altogether: it could not take work, so
    /// counting its capacity as idle would understate how loaded the
    /// centre is.
    fn apply(&mut self, w: &Window, t: SimTime, a: &AgentTally, online: bool, add: bool) {
        if !online {
            return;
        }
        let change = |s: &mut StepIntegral, v: u64| {
            if add {
                s.add(w, t, v)
            } else {
                s.sub(w, t, v)
            }
        };
        for p in 0..self.pools {
            change(&mut self.capacity[p], a.capacity[p]);
            change(&mut self.load[p], a.workload[p]);
        }
        for &(q, l) in &a.queue_loads {
            change(&mut self.queue_load[q], l);
        }
        for &q in &a.serving {
            let p = self.queue_pool[q];
            // A zero step changes no integral; skipping it keeps the
            // common idle agent cheap.
            if a.capacity[p] != 0 {
                change(&mut self.agents_capacity[q], a.capacity[p]);
            }
            if a.workload[p] != 0 {
                change(&mut self.agents_load[q], a.workload[p]);
            }
        }
    }
}

/// Steps `s` from a contribution of `from` to one of `to` at `t`.
fn shift(s: &mut StepIntegral, w: &Window, t: SimTime, from: u64, to: u64) {
    if to >= from {
        s.add(w, t, to - from);
    } else {
        s.sub(w, t, from - to);
    }
}

/// `load / capacity`, `None` without capacity.
fn fraction(load: u128, capacity: u128) -> Option<f64> {
    (capacity > 0).then(|| load as f64 / capacity as f64)
}

impl MetricsCollector {
    /// A collector for one replication of `scenario`.
    pub fn new(scenario: &Scenario) -> MetricsCollector {
        let window = Window::of(scenario);
        let queues = scenario.queues.len();
        let mut agents = Vec::with_capacity(scenario.agent_count());
        for (g, group) in scenario.agents.iter().enumerate() {
            // The configured capacity is known before any WorkloadChanged:
            // an agent that never receives work still offers capacity.
            let capacity = scenario
                .presence_configs
                .get(group.presence_config.index())
                .map_or([0; 2], |c| {
                    [
                        CapacityUnits::whole(c.capacity).0,
                        CapacityUnits::whole(c.interruptible_capacity).0,
                    ]
                });
            let may_take: Vec<usize> = scenario
                .queues
                .iter()
                .enumerate()
                .filter(|(q, queue)| {
                    let id = crate::omni::QueueId(*q as u32);
                    group.may_take(id, queue.routing.routing_type, &queue.routing.skills)
                })
                .map(|(q, _)| q)
                .collect();
            for _ in 0..group.count {
                agents.push(AgentTally {
                    group: g,
                    capacity,
                    workload: [0; 2],
                    queue_loads: Vec::new(),
                    may_take: may_take.clone(),
                    serving: Vec::new(),
                    online_time: StepIntegral::new(),
                    load: [StepIntegral::new(), StepIntegral::new()],
                    online_capacity: [StepIntegral::new(), StepIntegral::new()],
                    items_handled: 0,
                    declines: 0,
                    push_timeouts: 0,
                    overtime_us: None,
                    break_time: StepIntegral::new(),
                    interrupted_works: 0,
                    interrupted_time: StepIntegral::new(),
                });
            }
        }
        MetricsCollector {
            thresholds: scenario
                .queues
                .iter()
                .map(|q| q.service_level_threshold.0)
                .collect(),
            queue_names: scenario.queues.iter().map(|q| q.name.clone()).collect(),
            queue_pool: scenario
                .queues
                .iter()
                .map(|q| q.routing.pool.index())
                .collect(),
            status_queues: scenario
                .statuses
                .iter()
                .map(|st| {
                    (0..queues)
                        .filter(|&q| st.channels.contains(&scenario.queues[q].channel))
                        .collect()
                })
                .collect(),
            group_names: scenario.agents.iter().map(|g| g.group.clone()).collect(),
            works: FxHashMap::default(),
            queue_tally: vec![Tally::default(); queues],
            interval_tally: vec![vec![Tally::default(); queues]; window.intervals()],
            ledger: AgentLedger::new(scenario),
            agents,
            centre: CentreLoad {
                pools: if scenario.has_interruptible_work() {
                    2
                } else {
                    1
                },
                capacity: [
                    StepIntegral::with_intervals(&window),
                    StepIntegral::with_intervals(&window),
                ],
                load: [
                    StepIntegral::with_intervals(&window),
                    StepIntegral::with_intervals(&window),
                ],
                queue_load: (0..queues)
                    .map(|_| StepIntegral::with_intervals(&window))
                    .collect(),
                queue_pool: scenario
                    .queues
                    .iter()
                    .map(|q| q.routing.pool.index())
                    .collect(),
                agents_capacity: (0..queues)
                    .map(|_| StepIntegral::with_intervals(&window))
                    .collect(),
                agents_load: (0..queues)
                    .map(|_| StepIntegral::with_intervals(&window))
                    .collect(),
            },
            window,
            last_time: SimTime::ZERO,
            finished: false,
        }
    }

    /// Both tallies an item-level figure goes into: the queue's over the
    /// window and the queue's in the item's arrival interval.
    fn tallies(&mut self, queue: usize, interval: usize) -> [&mut Tally; 2] {
        [
            &mut self.queue_tally[queue],
            &mut self.interval_tally[interval][queue],
        ]
    }

    /// Applies `change` to an agent that was online (`was_online`) before
    /// the event the ledger has just applied, keeping the centre totals
    /// and the agent's own integrals in step with what the ledger says
    /// now.
    fn update_agent(
        &mut self,
        t: SimTime,
        agent: AgentId,
        was_online: bool,
        change: impl FnOnce(&mut AgentTally),
    ) {
        let online = self.ledger.online(agent);
        let Some(a) = self.agents.get_mut(agent.index()) else {
            return;
        };
        let w = &self.window;
        self.centre.apply(w, t, a, was_online, false);
        change(a);
        self.centre.apply(w, t, a, online, true);
        a.online_time.set(w, t, online as u64);
        for p in 0..self.centre.pools {
            a.load[p].set(w, t, if online { a.workload[p] } else { 0 });
            a.online_capacity[p].set(w, t, if online { a.capacity[p] } else { 0 });
        }
    }

    /// Steps the agent's break time where the ledger says its break
    /// started or ended.
    fn step_break(&mut self, t: SimTime, agent: AgentId, step: Option<BreakStep>) {
        let (Some(step), Some(a)) = (step, self.agents.get_mut(agent.index())) else {
            return;
        };
        match step {
            BreakStep::Starts(_) => a.break_time.set(&self.window, t, 1),
            BreakStep::Ends { at, .. } => a.break_time.set(&self.window, at, 0),
        }
    }

    /// A presence event: the ledger follows it, and the agent's figures
    /// follow the ledger.
    fn presence(&mut self, event: &SimEvent) {
        let t = event.time;
        let Some(agent) = event.kind.agent() else {
            return;
        };
        let was_online = self.ledger.online(agent);
        let step = self.ledger.apply(event);
        match &event.kind {
            EventKind::StatusChanged { status, .. } | EventKind::LoginSuccess { status, .. } => {
                let carried = self.status_queues.get(status.index()).cloned();
                self.update_agent(t, agent, was_online, |a| {
                    a.serve(carried.as_deref().unwrap_or_default());
                });
            }
            EventKind::Logout { .. } => {
                let shift_end = self.shift_end_in_window(agent);
                self.update_agent(t, agent, was_online, |a| {
                    if let Some(end) = shift_end.filter(|e| t >= *e) {
                        a.overtime_us.get_or_insert(t.since(end).0);
                    }
                });
            }
            _ => {}
        }
        self.step_break(t, agent, step);
    }

    /// The agent's shift end, when it falls in the measured window:
    /// overtime is counted for such shifts only.
    fn shift_end_in_window(&self, agent: AgentId) -> Option<SimTime> {
        let end = self.ledger.get(agent)?.shift_end()?;
        self.window.contains(end).then_some(end)
    }

    /// A change of an agent's capacity and load (`WorkloadChanged`): its
    /// presence and the queues it serves stay, so only the integrals fed
    /// by capacity and load move, each by the difference. The same steps
    /// as taking the agent out and putting it back ([`Self::update_agent`]),
    /// without touching the integrals that do not change.
    fn set_workload(&mut self, t: SimTime, agent: AgentId, capacity: [u64; 2], load: [u64; 2]) {
        let online = self.ledger.online(agent);
        let Some(a) = self.agents.get_mut(agent.index()) else {
            return;
        };
        let w = &self.window;
        if online {
            let c = &mut self.centre;
            for p in 0..c.pools {
                shift(&mut c.capacity[p], w, t, a.capacity[p], capacity[p]);
                shift(&mut c.load[p], w, t, a.workload[p], load[p]);
                if load[p] != a.workload[p] {
                    a.load[p].set(w, t, load[p]);
                }
                if capacity[p] != a.capacity[p] {
                    a.online_capacity[p].set(w, t, capacity[p]);
                }
            }
            for &q in &a.serving {
                let p = c.queue_pool[q];
                shift(&mut c.agents_capacity[q], w, t, a.capacity[p], capacity[p]);
                shift(&mut c.agents_load[q], w, t, a.workload[p], load[p]);
            }
        }
        a.capacity = capacity;
        a.workload = load;
    }

    /// Changes an agent's load in one queue by `cost`: only that queue's
    /// load integral moves, and only while the agent is online.
    fn change_queue_load(&mut self, t: SimTime, agent: usize, queue: usize, cost: u64, add: bool) {
        let online = self.ledger.online(AgentId(agent as u32));
        let Some(a) = self.agents.get_mut(agent) else {
            return;
        };
        let (before, after) = a.change_queue_load(queue, cost, add);
        if online {
            shift(
                &mut self.centre.queue_load[queue],
                &self.window,
                t,
                before,
                after,
            );
        }
    }

    fn hold_work(&mut self, t: SimTime, work: AgentWorkId, hold: WorkHold) {
        if hold.queue >= self.queue_names.len() {
            return;
        }
        self.works.insert(work, hold);
        self.change_queue_load(t, hold.agent, hold.queue, hold.cost, true);
    }

    fn release_work(&mut self, t: SimTime, work: AgentWorkId) {
        if let Some(hold) = self.works.remove(&work) {
            self.change_queue_load(t, hold.agent, hold.queue, hold.cost, false);
            if hold.interrupted {
                self.set_interrupted(t, hold.agent, false);
            }
        }
    }

    /// One more (or one fewer) of an agent's works set aside for primary
    /// work.
    fn set_interrupted(&mut self, t: SimTime, agent: usize, more: bool) {
        let Some(a) = self.agents.get_mut(agent) else {
            return;
        };
        a.interrupted_works = if more {
            a.interrupted_works + 1
        } else {
            a.interrupted_works.saturating_sub(1)
        };
        a.interrupted_time
            .set(&self.window, t, (a.interrupted_works > 0) as u64);
    }

    /// The waits of `r`'s transfers in the queues it was transferred to,
    /// each counted in the receiving queue and the interval of the
    /// transfer, once answered there.
    fn settle_transfer_legs(&mut self, r: &ItemRecord) {
        for leg in &r.transfer_legs {
            let (q, Some(wait)) = (leg.queue.index(), leg.wait()) else {
                continue;
            };
            let Some(i) = self.window.interval_of(leg.entered_at) else {
                continue;
            };
            if q >= self.queue_names.len() {
                continue;
            }
            for t in self.tallies(q, i) {
                t.transfer_waits += 1;
                t.transfer_wait_sum_us += wait.0 as u128;
            }
        }
    }

    /// Counts an item's figures from its record, once, when the item ends
    /// (`ending` says how) or is still in flight at the end of the run.
    /// Only items that arrived in the measured window count, each against
    /// its own queue's service-level threshold and in its arrival
    /// interval. An item answered before it was abandoned stays answered
    /// (and in progress), so no item is counted in two final states.
    fn settle(&mut self, r: &ItemRecord, ending: Ending) {
        if !r.transfer_legs.is_empty() {
            self.settle_transfer_legs(r);
        }
        let q = r.queue.index();
        let (Some(i), true) = (
            self.window.interval_of(r.arrived_at),
            q < self.queue_names.len(),
        ) else {
            return;
        };
        let threshold = self.thresholds[q];
        let pushed_on_arrival = r.first_push == Some(r.arrived_at);
        let wait = r.answered_at.map(|a| a.since(r.arrived_at).0);
        for t in self.tallies(q, i) {
            t.pushed_on_arrival += pushed_on_arrival as u64;
            if let Some(wait) = wait {
                t.answered += 1;
                t.wait_sum_us += wait as u128;
                t.answered_in_threshold += (wait <= threshold) as u64;
            }
        }
        match ending {
            Ending::Closed {
                at,
                queue,
                accepted_at,
            } => {
                let held = at.since(accepted_at).0;
                let wrap = r.handle_time.map(|h| held.saturating_sub(h.0) as u128);
                let interrupted = r.interrupted_until(at).0 as u128;
                // The AgentWork's queue: after a transfer, the queue whose
                // agent closed it, not the one it arrived in.
                let q = if queue.index() < self.queue_names.len() {
                    queue.index()
                } else {
                    q
                };
                for tally in self.tallies(q, i) {
                    tally.closed += 1;
                    tally.handle_sum_us += held as u128;
                    tally.interrupted_sum_us += interrupted;
                    if let Some(w) = wrap {
                        tally.wrapped += 1;
                        tally.wrap_sum_us += w;
                    }
                }
            }
            Ending::Abandoned if wait.is_none() => {
                for tally in self.tallies(q, i) {
                    tally.abandoned += 1;
                }
            }
            Ending::EndedNoAgent if wait.is_none() => {
                for tally in self.tallies(q, i) {
                    tally.ended_no_agent += 1;
                }
            }
            // Once accepted, a customer no longer leaves and the centre no
            // longer ends the item: such an ending is ignored, and the item
            // stays in progress.
            Ending::InFlight | Ending::Abandoned | Ending::EndedNoAgent => {
                for tally in self.tallies(q, i) {
                    if wait.is_some() {
                        tally.in_progress_at_end += 1;
                    } else {
                        tally.waiting_at_end += 1;
                    }
                }
            }
        }
    }

    /// Declines and push timeouts, counted by event time.
    fn count_decline(&mut self, t: SimTime, queue: QueueId, agent: AgentId, timeout: bool) {
        let Some(i) = self.window.interval_of(t) else {
            return;
        };
        let q = queue.index();
        if q < self.queue_names.len() {
            for tally in self.tallies(q, i) {
                if timeout {
                    tally.push_timeouts += 1;
                } else {
                    tally.declined += 1;
                }
            }
        }
        if let Some(a) = self.agents.get_mut(agent.index()) {
            if timeout {
                a.push_timeouts += 1;
            } else {
                a.declines += 1;
            }
        }
    }

    /// The metrics of the replication.
    ///
    /// Call [`EventSink::finish`] first with the end of the run; if it was
    /// not called, the run is taken to end at the last event seen.
    pub fn into_result(mut self) -> ReplicationResult {
        if !self.finished {
            let end = self.last_time;
            self.finish(end);
        }
        // A queue's occupancy is over the capacity of its own pool; the
        // centre's is the primary pool's.
        let capacity = &self.centre.capacity;
        let (agents_load, agents_capacity) =
            (&self.centre.agents_load, &self.centre.agents_capacity);
        let queues: Vec<QueueMetrics> = self
            .queue_tally
            .iter()
            .enumerate()
            .map(|(q, t)| QueueMetrics {
                agents_occupancy: fraction(agents_load[q].total(), agents_capacity[q].total()),
                ..t.metrics(
                    &self.queue_names[q],
                    self.centre.queue_load[q].total(),
                    capacity[self.queue_pool[q]].total(),
                )
            })
            .collect();
        let overall = sum(&self.queue_tally).metrics(
            ALL_QUEUES,
            self.centre.load[0].total(),
            capacity[0].total(),
        );
        let intervals = self
            .interval_tally
            .iter()
            .enumerate()
            .map(|(i, tallies)| {
                let (start, end) = self.window.bounds(i);
                IntervalMetrics {
                    index: i,
                    start_s: start.as_secs_f64(),
                    end_s: end.as_secs_f64(),
                    queues: tallies
                        .iter()
                        .enumerate()
                        .map(|(q, t)| QueueMetrics {
                            agents_occupancy: fraction(
                                agents_load[q].in_interval(i),
                                agents_capacity[q].in_interval(i),
                            ),
                            ..t.metrics(
                                &self.queue_names[q],
                                self.centre.queue_load[q].in_interval(i),
                                capacity[self.queue_pool[q]].in_interval(i),
                            )
                        })
                        .collect(),
                    overall: sum(tallies).metrics(
                        ALL_QUEUES,
                        self.centre.load[0].in_interval(i),
                        capacity[0].in_interval(i),
                    ),
                }
            })
            .collect();
        let agents = self
            .agents
            .iter()
            .enumerate()
            .map(|(i, a)| AgentMetrics {
                agent: i as u32,
                group: self.group_names[a.group].clone(),
                time_online_s: a.online_time.total() as f64 / MICROS_PER_SEC as f64,
                items_handled: a.items_handled,
                occupancy: (a.online_capacity[0].total() > 0)
                    .then(|| a.load[0].total() as f64 / a.online_capacity[0].total() as f64),
                interruptible_occupancy: (self.centre.pools == 2
                    && a.online_capacity[1].total() > 0)
                    .then(|| a.load[1].total() as f64 / a.online_capacity[1].total() as f64),
                declines: a.declines,
                push_timeouts: a.push_timeouts,
                overtime_s: a.overtime_us.unwrap_or(0) as f64 / MICROS_PER_SEC as f64,
                break_s: a.break_time.total() as f64 / MICROS_PER_SEC as f64,
                absent: self
                    .ledger
                    .get(AgentId(i as u32))
                    .is_some_and(|r| r.absent()),
                interrupted_s: a.interrupted_time.total() as f64 / MICROS_PER_SEC as f64,
            })
            .collect();
        ReplicationResult {
            overall,
            queues,
            intervals,
            agents,
        }
    }
}

fn sum(tallies: &[Tally]) -> Tally {
    let mut total = Tally::default();
    for t in tallies {
        total.add(t);
    }
    total
}

impl EventSink for MetricsCollector {
    fn on_event(&mut self, event: &SimEvent) {
        let t = event.time;
        self.last_time = self.last_time.max(t);
        match &event.kind {
            EventKind::WorkArrived { queue, retrial, .. } => {
                let q = queue.index();
                if let (Some(i), true) = (self.window.interval_of(t), q < self.queue_names.len()) {
                    for tally in self.tallies(q, i) {
                        tally.offered += 1;
                        if retrial.is_some() {
                            tally.retrials += 1;
                        } else {
                            tally.offered_customers += 1;
                        }
                    }
                }
            }
            EventKind::WorkAssigned {
                work,
                queue,
                agent,
                cost,
                ..
            } => {
                let hold = WorkHold {
                    agent: agent.index(),
                    queue: queue.index(),
                    cost: cost.0,
                    interrupted: false,
                };
                self.hold_work(t, *work, hold);
            }
            EventKind::WorkDeclined {
                work,
                queue,
                agent,
                on_push_timeout,
                ..
            } => {
                self.count_decline(t, *queue, *agent, *on_push_timeout);
                self.release_work(t, *work);
            }
            EventKind::WorkClosed {
                work,
                queue,
                agent,
                accepted_at,
                record,
                ..
            } => {
                if self.window.contains(t) {
                    if let Some(a) = self.agents.get_mut(agent.index()) {
                        a.items_handled += 1;
                    }
                }
                if let Some(r) = record {
                    let ending = Ending::Closed {
                        at: t,
                        queue: *queue,
                        accepted_at: *accepted_at,
                    };
                    self.settle(r, ending);
                }
                self.release_work(t, *work);
            }
            EventKind::WorkPaused {
                work, agent, cost, ..
            } => {
                if let Some(hold) = self.works.get(work).copied() {
                    let a = agent.index();
                    self.change_queue_load(t, a, hold.queue, hold.cost, false);
                    self.change_queue_load(t, a, hold.queue, cost.0, true);
                    if let Some(h) = self.works.get_mut(work) {
                        h.cost = cost.0;
                    }
                }
            }
            EventKind::WorkUnavailable { work, .. } | EventKind::WorkCanceled { work, .. } => {
                self.release_work(t, *work)
            }
            EventKind::WorkInterrupted {
                work, interrupted, ..
            } => {
                if let Some(h) = self
                    .works
                    .get_mut(work)
                    .filter(|h| h.interrupted != *interrupted)
                {
                    h.interrupted = *interrupted;
                    let agent = h.agent;
                    self.set_interrupted(t, agent, *interrupted);
                }
            }
            EventKind::WorkTransferred {
                work,
                from_queue,
                to_queue,
                ..
            } => {
                // Counted by event time, like declines: the item itself
                // stays offered and answered in its first queue.
                if let Some(i) = self.window.interval_of(t) {
                    let n = self.queue_names.len();
                    let (from, to) = (from_queue.index(), to_queue.index());
                    if from < n && to < n {
                        for tally in self.tallies(from, i) {
                            tally.transferred_out += 1;
                        }
                        for tally in self.tallies(to, i) {
                            tally.transferred_in += 1;
                        }
                    }
                }
                self.release_work(t, *work);
            }
            EventKind::WorkAbandoned {
                record: Some(r), ..
            } => self.settle(r, Ending::Abandoned),
            // Final like an abandonment, but the centre's doing, so
            // counted apart.
            EventKind::WorkEndedNoAgent {
                record: Some(r), ..
            } => self.settle(r, Ending::EndedNoAgent),
            EventKind::WorkloadChanged {
                agent,
                configured_capacity,
                new_workload,
                configured_interruptible_capacity,
                new_interruptible_workload,
                ..
            } => self.set_workload(
                t,
                *agent,
                [configured_capacity.0, configured_interruptible_capacity.0],
                [new_workload.0, new_interruptible_workload.0],
            ),
            EventKind::StatusChanged { .. }
            | EventKind::LoginSuccess { .. }
            | EventKind::Logout { .. }
            | EventKind::AgentAbsent { .. } => self.presence(event),
            EventKind::RoutingDecision { .. }
            | EventKind::WorkAccepted { .. }
            | EventKind::WorkAbandoned { record: None, .. }
            | EventKind::WorkEndedNoAgent { record: None, .. }
            | EventKind::WorkRequeued { .. }
            | EventKind::WorkTransferredIn { .. }
            | EventKind::SkillsDropped { .. }
            | EventKind::WorkResumeWaiting { .. }
            | EventKind::WorkFlagUpdated { .. } => {}
        }
    }

    fn in_flight(&mut self, record: &ItemRecord) {
        self.settle(record, Ending::InFlight);
    }

    fn finish(&mut self, end: SimTime) {
        if self.finished {
            return;
        }
        self.finished = true;
        let w = &self.window;
        for p in 0..self.centre.pools {
            self.centre.capacity[p].accrue(w, end);
            self.centre.load[p].accrue(w, end);
        }
        for s in self
            .centre
            .queue_load
            .iter_mut()
            .chain(&mut self.centre.agents_capacity)
            .chain(&mut self.centre.agents_load)
        {
            s.accrue(w, end);
        }
        for (i, a) in self.agents.iter_mut().enumerate() {
            let agent = AgentId(i as u32);
            // Still at work when the run ends: overtime so far.
            let record = self.ledger.get(agent);
            let shift_end = record
                .and_then(|r| r.shift_end())
                .filter(|e| w.contains(*e));
            if let (Some(e), true) = (shift_end, record.is_some_and(|r| r.logged_in())) {
                if a.overtime_us.is_none() && end > e {
                    a.overtime_us = Some(end.since(e).0);
                }
            }
            a.online_time.accrue(w, end);
            // A break that ran into the shift end with no event to end it.
            if let Some(BreakStep::Ends { at, .. }) = self.ledger.settle(agent, end) {
                a.break_time.set(w, at, 0);
            }
            a.break_time.accrue(w, end);
            a.interrupted_time.accrue(w, end);
            for p in 0..self.centre.pools {
                a.load[p].accrue(w, end);
                a.online_capacity[p].accrue(w, end);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::StatusChangeReason;
    use crate::scenario::AgentGroup;
    use crate::stats::test_support::{scenario, Script, AVAILABLE, BREAK};
    use crate::time::SimDuration;

    fn run(scn: &Scenario, script: &Script, end: f64) -> ReplicationResult {
        let mut c = MetricsCollector::new(scn);
        script.feed(&mut c, end);
        let r = c.into_result();
        r.check_conservation().unwrap();
        r
    }

    fn close_to(a: Option<f64>, b: f64) -> bool {
        a.is_some_and(|a| (a - b).abs() < 1e-12)
    }

    #[test]
    fn item_metrics_are_exact() {
        // Window [100, 1100), threshold 20 s.
        let scn = scenario(100, 1000, 500, 20, &["A", "B"], &[("g", 1, 3)]);
        let mut s = Script::default();
        s.login(0.0, 0, AVAILABLE)
            // Warm-up arrival answered in the window: not counted.
            .arrive(50.0, 1, 0)
            .assign(50.0, 1, 1, 0, 0, 1000)
            .accept(150.0, 1, 1, 0, 0)
            .close(160.0, 1, 1, 0, 0, 150.0)
            // Pushed on arrival, answered in 10 s, handled 100 s.
            .arrive(200.0, 2, 0)
            .assign(200.0, 2, 2, 0, 0, 1000)
            .accept(210.0, 2, 2, 0, 0)
            .close(310.0, 2, 2, 0, 0, 210.0)
            // Waits 30 s for a push, answered in 40 s, handled 60 s.
            .arrive(300.0, 3, 0)
            .assign(330.0, 3, 3, 0, 0, 1000)
            .accept(340.0, 3, 3, 0, 0)
            .close(400.0, 3, 3, 0, 0, 340.0)
            // Abandons.
            .arrive(400.0, 4, 0)
            .abandon(450.0, 4, 0)
            // Answered in 5 s, still in progress at the end.
            .arrive(500.0, 5, 0)
            .assign(500.0, 5, 5, 0, 0, 1000)
            .accept(505.0, 5, 5, 0, 0)
            // Queue B: never pushed, waiting at the end.
            .arrive(600.0, 6, 1)
            // After the window: not counted.
            .arrive(1100.0, 7, 1);
        let r = run(&scn, &s, 1100.0);
        let a = &r.queues[0];
        assert_eq!(a.queue, "A");
        assert_eq!((a.offered, a.answered, a.abandoned), (4, 3, 1));
        assert_eq!((a.waiting_at_end, a.in_progress_at_end), (0, 1));
        assert!(close_to(a.service_level, 0.5), "{a:?}"); // items 2 and 5
        assert!(close_to(a.asa_s, 55.0 / 3.0), "{a:?}");
        assert!(close_to(a.p_wait, 0.5), "{a:?}"); // item 3 waited, item 4 never pushed
        assert!(close_to(a.p_abandon, 0.25));
        assert!(close_to(a.aht_s, 80.0));
        let b = &r.queues[1];
        assert_eq!((b.offered, b.answered, b.waiting_at_end), (1, 0, 1));
        assert_eq!(b.service_level, Some(0.0));
        assert_eq!(b.p_wait, Some(1.0));
        assert_eq!((b.asa_s, b.aht_s), (None, None));
        assert_eq!(r.overall.queue, "ALL");
        assert_eq!((r.overall.offered, r.overall.answered), (5, 3));
        assert!(close_to(r.overall.service_level, 0.4));
        // Closes in the window by agent 0, warm-up item included.
        assert_eq!(r.agents[0].items_handled, 3);
    }

    #[test]
    fn each_item_counts_against_its_own_queues_threshold() {
        // A keeps [simulation]'s 20 s; B has its own 60 s.
        let mut scn = scenario(0, 1000, 500, 20, &["A", "B"], &[("g", 1, 2)]);
        scn.queues[1].service_level_threshold = SimDuration::from_secs(60);
        let mut s = Script::default();
        s.login(0.0, 0, AVAILABLE)
            // Both answered after 30 s: late for A, in time for B.
            .arrive(100.0, 1, 0)
            .assign(130.0, 1, 1, 0, 0, 1000)
            .accept(130.0, 1, 1, 0, 0)
            .arrive(100.0, 2, 1)
            .assign(130.0, 2, 2, 1, 0, 1000)
            .accept(130.0, 2, 2, 1, 0)
            // Answered after 70 s: late for B too.
            .arrive(200.0, 3, 1)
            .assign(270.0, 3, 3, 1, 0, 1000)
            .accept(270.0, 3, 3, 1, 0);
        let r = run(&scn, &s, 1000.0);
        assert_eq!(r.queues[0].service_level, Some(0.0));
        assert_eq!(r.queues[1].service_level, Some(0.5));
        // The centre: one item of three within its own queue's threshold.
        assert!(close_to(r.overall.service_level, 1.0 / 3.0));
        assert!(close_to(r.intervals[0].overall.service_level, 1.0 / 3.0));
        // At exactly the threshold an item is still in time.
        let mut s = Script::default();
        s.arrive(100.0, 1, 1).accept(160.0, 1, 1, 1, 0);
        let r = run(&scn, &s, 1000.0);
        assert_eq!(r.queues[1].service_level, Some(1.0));
    }

    #[test]
    fn items_ended_with_no_agent_are_final_but_not_abandoned() {
        let scn = scenario(0, 200, 100, 20, &["A", "B"], &[("g", 1, 1)]);
        let mut s = Script::default();
        s.login(0.0, 0, AVAILABLE)
            // Declined by the only agent, then ended: no agent left.
            .arrive(10.0, 1, 0)
            .assign(10.0, 1, 1, 0, 0, 1000)
            .decline(15.0, 1, 1, 0, 0, false)
            .end_no_agent(15.0, 1, 0)
            // A later abandon of the same item changes nothing.
            .abandon(40.0, 1, 0)
            .arrive(20.0, 2, 0)
            .abandon(50.0, 2, 0)
            .arrive(150.0, 3, 1)
            .end_no_agent(160.0, 3, 1)
            // Accepted, so an end with no agent is ignored.
            .arrive(170.0, 4, 1)
            .accept(171.0, 2, 4, 1, 0)
            .end_no_agent(172.0, 4, 1);
        let r = run(&scn, &s, 200.0);
        let a = &r.queues[0];
        assert_eq!((a.offered, a.abandoned, a.ended_no_agent), (2, 1, 1));
        assert_eq!((a.answered, a.waiting_at_end), (0, 0));
        assert_eq!(a.p_abandon, Some(0.5));
        assert_eq!(a.service_level, Some(0.0));
        let b = &r.queues[1];
        assert_eq!((b.offered, b.ended_no_agent, b.answered), (2, 1, 1));
        assert_eq!(b.p_abandon, Some(0.0));
        assert_eq!(b.in_progress_at_end, 1);
        assert_eq!(r.overall.ended_no_agent, 2);
        assert_eq!(r.overall.abandoned, 1);
        assert_eq!(r.intervals[0].queues[0].ended_no_agent, 1);
        assert_eq!(r.intervals[1].queues[1].ended_no_agent, 1);
        assert_eq!(r.intervals[1].overall.ended_no_agent, 1);
    }

    #[test]
    fn interruptions_are_a_part_of_handle_time_and_an_agents_time() {
        let scn = scenario(0, 200, 100, 20, &["Chat", "Email"], &[("g", 1, 2)]);
        let mut s = Script::default();
        s.login(0.0, 0, AVAILABLE)
            // Two emails, set aside together for a chat from 20 to 50,
            // the second again from 120 to 130 and closed while aside.
            .arrive(0.0, 1, 1)
            .assign(0.0, 1, 1, 1, 0, 1000)
            .accept(0.0, 1, 1, 1, 0)
            .arrive(5.0, 2, 1)
            .assign(5.0, 2, 2, 1, 0, 1000)
            .accept(5.0, 2, 2, 1, 0)
            .interrupt(20.0, 1, 1, 1, 0, true)
            .interrupt(20.0, 2, 2, 1, 0, true)
            .interrupt(50.0, 1, 1, 1, 0, false)
            .interrupt(50.0, 2, 2, 1, 0, false)
            .close(100.0, 1, 1, 1, 0, 0.0)
            .interrupt(120.0, 2, 2, 1, 0, true)
            .close(130.0, 2, 2, 1, 0, 5.0);
        let r = run(&scn, &s, 200.0);
        // 30 s and 30 + 10 s of two closed emails.
        assert!(
            close_to(r.queues[1].interrupted_s, 35.0),
            "{:?}",
            r.queues[1]
        );
        assert_eq!(r.queues[0].interrupted_s, None, "no chat closed");
        assert!(close_to(r.overall.interrupted_s, 35.0));
        // The agent had work set aside from 20 to 50 and 120 to 130.
        assert_eq!(r.agents[0].interrupted_s, 40.0);
    }

    #[test]
    fn a_transferred_items_wait_counts_in_the_queue_it_was_transferred_to() {
        // Intervals [0,100) and [100,200).
        let scn = scenario(0, 200, 100, 20, &["Cards", "Loans"], &[("g", 2, 1)]);
        let mut s = Script::default();
        s.login(0.0, 0, AVAILABLE)
            .login(0.0, 1, AVAILABLE)
            // Answered in Cards at 10, transferred to Loans at 40, waits
            // 25 s there, closed.
            .arrive(0.0, 1, 0)
            .assign(10.0, 1, 1, 0, 0, 1000)
            .accept(10.0, 1, 1, 0, 0)
            .transfer(40.0, 1, 1, 0, 1, 0, 10.0)
            .assign(65.0, 2, 1, 1, 1, 1000)
            .accept(65.0, 2, 1, 1, 1)
            .close(90.0, 2, 1, 1, 1, 65.0)
            // Transferred at 110, answered at 160, still in progress.
            .arrive(100.0, 2, 0)
            .assign(100.0, 3, 2, 0, 0, 1000)
            .accept(100.0, 3, 2, 0, 0)
            .transfer(110.0, 3, 2, 0, 1, 0, 100.0)
            .assign(160.0, 4, 2, 1, 1, 1000)
            .accept(160.0, 4, 2, 1, 1)
            // Transferred at 150 and still waiting at the end: not counted.
            .arrive(120.0, 3, 0)
            .assign(120.0, 5, 3, 0, 0, 1000)
            .accept(120.0, 5, 3, 0, 0)
            .transfer(150.0, 5, 3, 0, 1, 0, 120.0);
        let r = run(&scn, &s, 200.0);
        assert!(
            close_to(r.queues[1].transfer_wait_s, 37.5),
            "{:?}",
            r.queues[1]
        );
        assert_eq!(r.queues[0].transfer_wait_s, None);
        assert!(close_to(r.intervals[0].queues[1].transfer_wait_s, 25.0));
        assert!(close_to(r.intervals[1].queues[1].transfer_wait_s, 50.0));
        assert!(close_to(r.overall.transfer_wait_s, 37.5));
        // The first wait is the arrival queue's own.
        assert!(close_to(r.queues[0].asa_s, 10.0 / 3.0));
    }

    #[test]
    fn arrival_window_boundaries_are_half_open() {
        let scn = scenario(100, 100, 100, 20, &["A"], &[("g", 1, 1)]);
        let mut s = Script::default();
        s.arrive(99.999_999, 1, 0)
            .arrive(100.0, 2, 0)
            .arrive(199.999_999, 3, 0)
            .arrive(200.0, 4, 0);
        let r = run(&scn, &s, 200.0);
        assert_eq!(r.queues[0].offered, 2);
        assert_eq!(r.queues[0].waiting_at_end, 2);
    }

    #[test]
    fn occupancy_is_load_over_online_capacity() {
        // One agent, capacity 1, online 100 s, busy with one item for 25 s.
        let scn = scenario(0, 100, 100, 20, &["A"], &[("g", 1, 1)]);
        let mut s = Script::default();
        s.login(0.0, 0, AVAILABLE)
            .arrive(10.0, 1, 0)
            .assign(10.0, 1, 1, 0, 0, 1000)
            .workload(10.0, 0, 1, 1000)
            .accept(10.0, 1, 1, 0, 0)
            .close(35.0, 1, 1, 0, 0, 10.0)
            .workload(35.0, 0, 1, 0);
        let r = run(&scn, &s, 100.0);
        assert!(close_to(r.overall.occupancy, 0.25), "{:?}", r.overall);
        assert!(close_to(r.queues[0].occupancy, 0.25));
        assert!(close_to(r.agents[0].occupancy, 0.25));
        assert_eq!(r.agents[0].time_online_s, 100.0);
    }

    #[test]
    fn busy_and_logged_out_agents_count_neither_load_nor_capacity() {
        let scn = scenario(0, 100, 100, 20, &["A"], &[("g", 2, 1)]);
        let mut s = Script::default();
        s.login(0.0, 0, AVAILABLE)
            .login(0.0, 1, AVAILABLE)
            .arrive(0.0, 1, 0)
            .assign(0.0, 1, 1, 0, 1, 1000)
            .workload(0.0, 1, 1, 1000)
            .accept(0.0, 1, 1, 0, 1)
            // Agent 1 goes on break holding its item, closes it, logs out.
            .status(50.0, 1, BREAK, StatusChangeReason::OmniToolkitStatusChange)
            .close(75.0, 1, 1, 0, 1, 0.0)
            .workload(75.0, 1, 1, 0)
            .logout(80.0, 1);
        let r = run(&scn, &s, 100.0);
        // Capacity online: 100 (agent 0) + 50 (agent 1); load: 50.
        assert!(close_to(r.overall.occupancy, 1.0 / 3.0), "{:?}", r.overall);
        assert!(close_to(r.queues[0].occupancy, 1.0 / 3.0));
        assert_eq!(r.agents[1].time_online_s, 50.0);
        assert!(close_to(r.agents[1].occupancy, 1.0));
        assert!(close_to(r.agents[0].occupancy, 0.0));
    }

    #[test]
    fn occupancy_is_clipped_to_the_window_and_split_by_queue() {
        // Window [100, 200); agent capacity 2 online throughout.
        let scn = scenario(100, 100, 50, 20, &["A", "B"], &[("g", 1, 2)]);
        let mut s = Script::default();
        s.login(0.0, 0, AVAILABLE)
            .assign(50.0, 1, 1, 0, 0, 1000) // queue A from 50 to 150
            .workload(50.0, 0, 2, 1000)
            .assign(125.0, 2, 2, 1, 0, 1000) // queue B from 125 to the end
            .workload(125.0, 0, 2, 2000)
            .close(150.0, 1, 1, 0, 0, 50.0)
            .workload(150.0, 0, 2, 1000);
        let r = run(&scn, &s, 250.0);
        // Capacity integral 2·100 = 200; A holds 50, B holds 75.
        assert!(close_to(r.queues[0].occupancy, 0.25));
        assert!(close_to(r.queues[1].occupancy, 0.375));
        assert!(close_to(r.overall.occupancy, 0.625));
        // Interval 0 = [100,150): A 50, B 25 over capacity 100.
        let i0 = &r.intervals[0];
        assert!(close_to(i0.queues[0].occupancy, 0.5));
        assert!(close_to(i0.queues[1].occupancy, 0.25));
        assert!(close_to(i0.overall.occupancy, 0.75));
        let i1 = &r.intervals[1];
        assert!(close_to(i1.queues[0].occupancy, 0.0));
        assert!(close_to(i1.overall.occupancy, 0.5));
    }

    #[test]
    fn agents_occupancy_is_how_busy_a_queues_own_agents_are() {
        // Group "a" (agent 0) takes A only, group "b" (agent 1) B only.
        let mut scn = scenario(0, 100, 50, 20, &["A", "B"], &[("a", 1, 1), ("b", 1, 1)]);
        scn.agents[0].queues = vec![QueueId(0)];
        scn.agents[1].queues = vec![QueueId(1)];
        let mut s = Script::default();
        s.login(0.0, 0, AVAILABLE)
            .login(0.0, 1, AVAILABLE)
            .arrive(0.0, 1, 0)
            .assign(0.0, 1, 1, 0, 0, 1000)
            .workload(0.0, 0, 1, 1000)
            .accept(0.0, 1, 1, 0, 0);
        let r = run(&scn, &s, 100.0);
        let (a, b) = (&r.queues[0], &r.queues[1]);
        // Each queue's share of the centre: A holds half of it.
        assert!(close_to(a.occupancy, 0.5), "{a:?}");
        assert!(close_to(b.occupancy, 0.0), "{b:?}");
        // Its own agents: A's are fully busy, B's idle.
        assert!(close_to(a.agents_occupancy, 1.0), "{a:?}");
        assert!(close_to(b.agents_occupancy, 0.0), "{b:?}");
        assert_eq!(r.overall.agents_occupancy, r.overall.occupancy);
        assert!(close_to(r.intervals[1].queues[0].agents_occupancy, 1.0));
        assert!(close_to(r.intervals[1].queues[1].agents_occupancy, 0.0));
    }

    #[test]
    fn agents_occupancy_counts_work_from_every_queue_the_agents_hold() {
        // Agent 0 takes A and B, agent 1 only B; agent 0 is busy with B's
        // work all along, and from 50 s on agent 1 too.
        let mut scn = scenario(0, 100, 50, 20, &["A", "B"], &[("ab", 1, 1), ("b", 1, 1)]);
        scn.agents[1].queues = vec![QueueId(1)];
        let mut s = Script::default();
        s.login(0.0, 0, AVAILABLE)
            .login(0.0, 1, AVAILABLE)
            .assign(0.0, 1, 1, 1, 0, 1000)
            .workload(0.0, 0, 1, 1000)
            .assign(50.0, 2, 2, 1, 1, 1000)
            .workload(50.0, 1, 1, 1000);
        let r = run(&scn, &s, 100.0);
        let (a, b) = (&r.queues[0], &r.queues[1]);
        // A holds nothing, yet the only agent it can reach is fully busy.
        assert!(close_to(a.occupancy, 0.0), "{a:?}");
        assert!(close_to(a.agents_occupancy, 1.0), "{a:?}");
        // B's agents are both agents: 150 of 200 capacity-seconds.
        assert!(close_to(b.agents_occupancy, 0.75), "{b:?}");
        assert!(close_to(b.occupancy, 0.75), "{b:?}");
        assert!(close_to(r.intervals[0].queues[1].agents_occupancy, 0.5));
        // Nobody online for a queue: no figure rather than 0.
        let scn2 = {
            let mut s2 = scn.clone();
            s2.agents[0].queues = vec![QueueId(1)];
            s2
        };
        let r = run(&scn2, &s, 100.0);
        assert_eq!(r.queues[0].agents_occupancy, None);
    }

    #[test]
    fn agents_count_for_a_queue_only_in_a_status_carrying_its_channel() {
        // A on chat, B on a second channel; both groups are members of
        // both queues, but group "b" logs in to a status carrying B's
        // channel only, so it cannot take A's work.
        let mut scn = scenario(0, 100, 100, 20, &["A", "B"], &[("a", 1, 1), ("b", 1, 1)]);
        scn.channels.push(scn.channels[0].clone());
        scn.channels[1].name = "case".into();
        scn.queues[1].channel = crate::omni::ChannelId(1);
        scn.statuses[0].channels.push(crate::omni::ChannelId(1));
        scn.statuses.push(crate::omni::PresenceStatus {
            api_name: "Cases".into(),
            label: "Cases".into(),
            channels: vec![crate::omni::ChannelId(1)],
        });
        let cases = crate::omni::StatusId(2);
        let mut s = Script::default();
        s.login(0.0, 0, AVAILABLE)
            .login(0.0, 1, cases)
            // Agent 0 busy all along (A's work), agent 1 idle.
            .assign(0.0, 1, 1, 0, 0, 1000)
            .workload(0.0, 0, 1, 1000)
            // From 50 s agent 1 is in Available too: it serves A.
            .status(
                50.0,
                1,
                AVAILABLE,
                StatusChangeReason::OmniToolkitStatusChange,
            );
        let r = run(&scn, &s, 100.0);
        // A: agent 0 for 100 s, agent 1 for 50 s; load 100 of 150.
        assert!(
            close_to(r.queues[0].agents_occupancy, 100.0 / 150.0),
            "{:?}",
            r.queues[0]
        );
        // B: both agents all along; load 100 of 200.
        assert!(
            close_to(r.queues[1].agents_occupancy, 0.5),
            "{:?}",
            r.queues[1]
        );
    }

    #[test]
    fn intervals_count_items_by_arrival_and_events_by_time() {
        let scn = scenario(0, 200, 100, 20, &["A"], &[("g", 1, 1)]);
        let mut s = Script::default();
        s.login(0.0, 0, AVAILABLE)
            .arrive(50.0, 1, 0)
            .assign(90.0, 1, 1, 0, 0, 1000)
            .decline(110.0, 1, 1, 0, 0, false)
            .assign(115.0, 2, 1, 0, 0, 1000)
            .decline(130.0, 2, 1, 0, 0, true)
            .assign(140.0, 3, 1, 0, 0, 1000)
            .accept(150.0, 3, 1, 0, 0)
            .close(160.0, 3, 1, 0, 0, 150.0)
            .arrive(150.0, 2, 0);
        let r = run(&scn, &s, 200.0);
        let (i0, i1) = (&r.intervals[0], &r.intervals[1]);
        assert_eq!((i0.index, i0.start_s, i0.end_s), (0, 0.0, 100.0));
        assert_eq!((i1.start_s, i1.end_s), (100.0, 200.0));
        // Item 1 arrived in interval 0: answered there, though accepted later.
        assert_eq!((i0.queues[0].offered, i0.queues[0].answered), (1, 1));
        assert!(close_to(i0.queues[0].asa_s, 100.0));
        assert_eq!((i0.overall.declined, i0.overall.push_timeouts), (0, 0));
        assert_eq!((i1.queues[0].offered, i1.queues[0].waiting_at_end), (1, 1));
        assert_eq!((i1.queues[0].declined, i1.queues[0].push_timeouts), (1, 1));
        assert_eq!((r.queues[0].declined, r.queues[0].push_timeouts), (1, 1));
        assert_eq!((r.agents[0].declines, r.agents[0].push_timeouts), (1, 1));
        assert_eq!(r.queues[0].p_wait, Some(1.0));
    }

    #[test]
    fn wrap_up_is_what_follows_the_handle_time() {
        let scn = scenario(0, 1000, 500, 20, &["A"], &[("g", 1, 2)]);
        let mut s = Script::default();
        s.login(0.0, 0, AVAILABLE)
            // Handle 150 s, closed 180 s after the accept: 30 s of wrap-up.
            .arrive(100.0, 1, 0)
            .assign(100.0, 1, 1, 0, 0, 1000)
            .accept_handling(100.0, 1, 1, 0, 150.0)
            .close(280.0, 1, 1, 0, 0, 100.0)
            // Closed before its handle time was over (a logout): none.
            .arrive(200.0, 2, 0)
            .assign(200.0, 2, 2, 0, 0, 1000)
            .accept_handling(200.0, 2, 2, 0, 300.0)
            .close(300.0, 2, 2, 0, 0, 200.0);
        let r = run(&scn, &s, 1000.0);
        assert!(close_to(r.queues[0].aht_s, 140.0), "{:?}", r.queues[0]);
        assert!(close_to(r.queues[0].wrap_up_s, 15.0), "{:?}", r.queues[0]);
        assert!(close_to(r.intervals[0].overall.wrap_up_s, 15.0));
    }

    #[test]
    fn break_time_is_the_ledgers_breaks_cut_at_the_shift_end() {
        // Window [100, 1100); the shift ends at 600; two rostered breaks
        // in Break, at 150 and at 550.
        let mut scn = scenario(100, 1000, 500, 20, &["A"], &[("g", 1, 1)]);
        let secs = SimDuration::from_secs;
        let shift = crate::scenario::Shift {
            end: Some(secs(600)),
            ..Default::default()
        };
        let roster = crate::scenario::RosteredShift::new(1, shift)
            .with_break(crate::scenario::Break::new(secs(150), secs(60), BREAK))
            .with_break(crate::scenario::Break::new(secs(550), secs(60), BREAK));
        scn.agents[0].set_roster(vec![roster]);
        let toolkit = StatusChangeReason::OmniToolkitStatusChange;
        let mut s = Script::default();
        s.login(0.0, 0, AVAILABLE)
            // Early, and from before the window: its 20 s in the window.
            .status(50.0, 0, BREAK, toolkit)
            .status(120.0, 0, AVAILABLE, toolkit)
            // 30 s, ended by a push timeout's status change.
            .status(150.0, 0, BREAK, toolkit)
            .status(180.0, 0, BREAK, StatusChangeReason::OmniPushTimeout)
            .status(210.0, 0, AVAILABLE, toolkit)
            // From 550 until the shift end at 600, though nothing ends it.
            .status(550.0, 0, BREAK, toolkit);
        let r = run(&scn, &s, 1100.0);
        assert_eq!(r.agents[0].break_s, 20.0 + 30.0 + 50.0);
        // Online only when in Available: 120–150 and 210–550.
        assert_eq!(r.agents[0].time_online_s, 30.0 + 340.0);
    }

    #[test]
    fn overtime_runs_from_the_shift_end_to_the_logout() {
        // Window [100, 1100); agent 0's shift ends at 500, agent 1's at
        // 600, agent 2's at 50 (warm-up: not counted), agent 3 not logged
        // in at its end.
        let mut scn = scenario(100, 1000, 500, 20, &["A"], &[("g", 4, 1)]);
        let mut g = scn.agents[0].clone();
        g.count = 1;
        scn.agents = (0..4)
            .map(|i| AgentGroup {
                group: format!("g{i}"),
                ..g.clone()
            })
            .collect();
        for (i, end) in [500, 600, 50, 700].into_iter().enumerate() {
            scn.agents[i].shift.end = Some(SimDuration::from_secs(end));
        }
        let mut s = Script::default();
        s.login(0.0, 0, AVAILABLE)
            .login(0.0, 1, AVAILABLE)
            .login(0.0, 2, AVAILABLE)
            .logout(540.0, 0)
            .logout(80.0, 2);
        let r = run(&scn, &s, 1000.0);
        let overtime: Vec<f64> = r.agents.iter().map(|a| a.overtime_s).collect();
        // Agent 1 is still at work when the run ends at 1000.
        assert_eq!(overtime, [40.0, 400.0, 0.0, 0.0]);
    }

    #[test]
    fn zero_denominators_give_none() {
        let scn = scenario(0, 100, 100, 20, &["A"], &[("g", 1, 1)]);
        let r = run(&scn, &Script::default(), 100.0);
        let q = &r.queues[0];
        assert_eq!(q.offered, 0);
        for m in [
            q.service_level,
            q.asa_s,
            q.p_wait,
            q.p_abandon,
            q.aht_s,
            q.occupancy,
        ] {
            assert_eq!(m, None);
        }
        assert_eq!(r.agents[0].occupancy, None);
        assert_eq!(r.agents[0].time_online_s, 0.0);
        assert_eq!(r.agents[0].group, "g");
    }

    #[test]
    fn capacity_holds_are_released_when_final() {
        let scn = scenario(10, 100, 100, 20, &["A"], &[("g", 1, 1)]);
        let mut c = MetricsCollector::new(&scn);
        let mut s = Script::default();
        s.arrive(20.0, 2, 0)
            .assign(20.0, 1, 2, 0, 0, 1000)
            .accept(21.0, 1, 2, 0, 0)
            .arrive(22.0, 3, 0)
            .assign(22.5, 2, 3, 0, 0, 1000)
            .close(30.0, 1, 2, 0, 0, 21.0)
            .decline(31.0, 2, 3, 0, 0, false)
            .end_no_agent(31.0, 3, 0);
        s.feed(&mut c, 50.0);
        assert!(c.works.is_empty());
        let r = c.into_result();
        assert_eq!((r.queues[0].answered, r.queues[0].ended_no_agent), (1, 1));
    }

    #[test]
    fn retrials_are_offered_attempts_and_first_attempts_are_customers() {
        // Window [0, 1000) in two intervals of 500 s.
        let scn = scenario(0, 1000, 500, 20, &["A", "B"], &[("g", 1, 1)]);
        let mut s = Script::default();
        s.login(0.0, 0, AVAILABLE)
            // Customer 1 abandons twice, then is answered on its third try.
            .arrive(10.0, 1, 0)
            .abandon(40.0, 1, 0)
            .retry(400.0, 3, 0, 1, 2)
            .abandon(450.0, 3, 0)
            .retry(600.0, 4, 0, 1, 3)
            .assign(600.0, 1, 4, 0, 0, 1000)
            .accept(605.0, 1, 4, 0, 0)
            .close(700.0, 1, 4, 0, 0, 605.0)
            // Another customer, in B, answered at once.
            .arrive(20.0, 2, 1)
            .assign(20.0, 2, 2, 1, 0, 1000)
            .accept(21.0, 2, 2, 1, 0)
            .close(30.0, 2, 2, 1, 0, 21.0);
        let r = run(&scn, &s, 1000.0);
        r.check_conservation().unwrap();
        let a = &r.queues[0];
        // Every attempt is offered; abandonment is per attempt.
        assert_eq!((a.offered, a.retrials, a.offered_customers), (3, 2, 1));
        assert_eq!((a.abandoned, a.answered), (2, 1));
        assert!(close_to(a.p_abandon, 2.0 / 3.0), "{a:?}");
        let b = &r.queues[1];
        assert_eq!((b.offered, b.retrials, b.offered_customers), (1, 0, 1));
        assert_eq!((r.overall.retrials, r.overall.offered_customers), (2, 2));
        // By arrival time: the first attempts in interval 0, one retrial
        // in each interval.
        let i0 = &r.intervals[0].queues[0];
        let i1 = &r.intervals[1].queues[0];
        assert_eq!((i0.offered, i0.retrials, i0.offered_customers), (2, 1, 1));
        assert_eq!((i1.offered, i1.retrials, i1.offered_customers), (1, 1, 0));
    }

    #[test]
    fn conservation_check_reports_a_broken_identity() {
        let m = QueueMetrics {
            queue: "A".into(),
            offered: 3,
            offered_customers: 3,
            answered: 1,
            ..QueueMetrics::default()
        };
        let err = m.check_conservation().unwrap_err();
        assert!(err.contains("queue `A`"), "{err}");
        // Items ended with no agent close the gap; nothing else does.
        let m = QueueMetrics {
            ended_no_agent: 2,
            ..m
        };
        m.check_conservation().unwrap();
        let m = QueueMetrics {
            ended_no_agent: 3,
            ..m
        };
        let err = m.check_conservation().unwrap_err();
        assert!(err.contains("ended with no agent 3"), "{err}");
        // Every offered item is a first attempt or a retrial.
        let m = QueueMetrics {
            ended_no_agent: 2,
            offered_customers: 2,
            ..m
        };
        let err = m.check_conservation().unwrap_err();
        assert!(
            err.contains("offered 3 != first attempts 2 + retrials 0"),
            "{err}"
        );
        QueueMetrics { retrials: 1, ..m }
            .check_conservation()
            .unwrap();
    }

    proptest::proptest! {
        /// The shortcuts for a workload change and for one queue's load
        /// step the integrals exactly as taking the agent out and putting
        /// it back does, whatever the agents' presence.
        #[test]
        fn shortcuts_step_the_integrals_as_a_full_update(
            ops in proptest::collection::vec((0u8..5, 0u32..2, 0u64..3, 0u64..4), 1..80)
        ) {
            let scn = scenario(10, 100, 20, 20, &["A", "B"], &[("g", 2, 2)]);
            let (mut fast, mut full) = (MetricsCollector::new(&scn), MetricsCollector::new(&scn));
            let mut held: Vec<(AgentWorkId, WorkHold)> = Vec::new();
            for (k, (op, agent, x, y)) in ops.into_iter().enumerate() {
                let t = SimTime(k as u64 * 1_500_000);
                let id = AgentId(agent);
                match op {
                    0 => {
                        let status = if x == 0 { BREAK } else { AVAILABLE };
                        let event = SimEvent {
                            time: t,
                            kind: EventKind::StatusChanged {
                                agent: id,
                                status,
                                online: status != BREAK,
                                reason: StatusChangeReason::OmniToolkitStatusChange,
                            },
                        };
                        fast.on_event(&event);
                        full.on_event(&event);
                    }
                    1 => {
                        let (capacity, load) = ([x * 1000, 0], [y * 500, 0]);
                        fast.set_workload(t, id, capacity, load);
                        let online = full.ledger.online(id);
                        full.update_agent(t, id, online, |a| {
                            a.capacity = capacity;
                            a.workload = load;
                        });
                    }
                    2 => {
                        let work = AgentWorkId(k as u64);
                        let hold = WorkHold { agent: agent as usize, queue: x as usize % 2, cost: y * 250, interrupted: false };
                        held.push((work, hold));
                        fast.hold_work(t, work, hold);
                        full.works.insert(work, hold);
                        let online = full.ledger.online(id);
                        full.update_agent(t, id, online, |a| {
                            a.change_queue_load(hold.queue, hold.cost, true);
                        });
                    }
                    3 if !held.is_empty() => {
                        let (work, hold) = held.remove(0);
                        fast.release_work(t, work);
                        full.works.remove(&work);
                        let id = AgentId(hold.agent as u32);
                        let online = full.ledger.online(id);
                        full.update_agent(t, id, online, |a| {
                            a.change_queue_load(hold.queue, hold.cost, false);
                        });
                    }
                    _ => {
                        let event = SimEvent { time: t, kind: EventKind::Logout { agent: id } };
                        fast.on_event(&event);
                        full.on_event(&event);
                    }
                }
            }
            let end = SimTime(200_000_000);
            fast.finish(end);
            full.finish(end);
            proptest::prop_assert_eq!(fast.into_result(), full.into_result());
        }
    }
}
