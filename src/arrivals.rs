//! The generator: synthetic work arriving in each queue.
//!
//! It is a plain state machine the engine's driver calls at each arrival
//! entry, not an actor: nobody sends it messages and it answers nobody, so
//! a mailbox would only add a round trip to every item. The items it
//! creates reach the router as messages, like everything else.
//!
//! Arrivals are Poisson with a rate that is constant or piecewise constant
//! per reporting interval. Within a segment the gap is exponential; a gap
//! that crosses a segment boundary is redrawn from the boundary at the new
//! rate, which is exact because the exponential is memoryless.

use crate::engine::handle::EngineHandle;
use crate::engine::messages::{Entry, RouterMsg};
use crate::engine::rng::{stream, StreamKind};
use crate::omni::{QueueId, SkillRequirement, TransferStep, WorkItem, WorkItemId};
use crate::scenario::{ArrivalRate, ArrivalStream, Scenario, SecondaryPriority, Transfer};
use crate::time::{SimDuration, SimTime};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use std::rc::Rc;
use std::sync::Arc;

#[derive(Debug)]
struct QueueStream {
    spec: ArrivalStream,
    gaps: ChaCha8Rng,
    demand: ChaCha8Rng,
    /// One stream per skill-mix dimension.
    mix: Vec<ChaCha8Rng>,
    secondary: ChaCha8Rng,
    wrap_up: ChaCha8Rng,
    /// Transfer draws; `None` when the stream has no `transfer` key, so a
    /// stream without one draws nothing.
    transfer: Option<ChaCha8Rng>,
    /// Every item's routing priority.
    priority: i32,
    /// Skills every item needs: the routing configuration's and the
    /// stream's (skills-based queues).
    fixed_skills: Vec<SkillRequirement>,
}

impl QueueStream {
    /// The skills of one item: the fixed ones plus one draw per mix entry.
    fn skills(&mut self) -> Vec<SkillRequirement> {
        let mut skills = self.fixed_skills.clone();
        for (choice, rng) in self.spec.skill_mix.iter().zip(&mut self.mix) {
            let u: f64 = rng.gen();
            skills.push(SkillRequirement {
                skill: pick(&choice.choose, u),
                level: choice.level,
                additional: choice.additional,
                priority: choice.priority,
            });
        }
        skills
    }

    fn secondary_priority(&mut self) -> Option<u32> {
        match self.spec.secondary_priority.as_ref()? {
            SecondaryPriority::Fixed(v) => Some(*v),
            SecondaryPriority::Discrete { values, p } => {
                let u: f64 = self.secondary.gen();
                let weighted: Vec<(u32, f64)> =
                    values.iter().copied().zip(p.iter().copied()).collect();
                Some(pick(&weighted, u))
            }
        }
    }
}

/// The alternative whose cumulative probability first exceeds `u` (the
/// last one when rounding leaves `u` beyond the sum).
fn pick<T: Copy>(alternatives: &[(T, f64)], u: f64) -> T {
    let mut cumulative = 0.0;
    for (value, p) in alternatives {
        cumulative += p;
        if u < cumulative {
            return *value;
        }
    }
    alternatives[alternatives.len() - 1].0
}

/// Most transfers planned for one item: a safeguard beyond the
/// validation, which already refuses chains that can never end.
pub const MAX_TRANSFERS: usize = 32;

/// The transfers of one item entering `queue`: at each queue on its way,
/// one uniform draw decides whether it is handed on and, if so, one draw
/// of `after` says when. Every draw comes from the arrival queue's stream,
/// so the plan never depends on routing.
fn plan_transfers(
    by_queue: &[Option<Transfer>],
    queue: QueueId,
    rng: &mut ChaCha8Rng,
) -> Vec<TransferStep> {
    let mut plan = Vec::new();
    let mut at = queue;
    while let Some(t) = by_queue[at.index()].as_ref() {
        if plan.len() >= MAX_TRANSFERS || rng.gen::<f64>() >= t.probability {
            break;
        }
        plan.push(TransferStep {
            to_queue: t.to_queue,
            after: t.after.sample(rng),
        });
        at = t.to_queue;
    }
    plan
}

/// Creates work items and hands them to the router.
#[derive(Debug)]
pub struct Generator {
    scenario: Arc<Scenario>,
    handle: Rc<EngineHandle>,
    /// Indexed by queue; `None` for a queue without arrivals.
    streams: Vec<Option<QueueStream>>,
    /// Each queue's `transfer`, indexed by queue.
    transfers: Vec<Option<Transfer>>,
    next_item: u64,
}

impl Generator {
    pub(crate) fn new(scenario: Arc<Scenario>, replication: u32, handle: Rc<EngineHandle>) -> Self {
        let seed = scenario.simulation.seed;
        let mut streams: Vec<Option<QueueStream>> =
            (0..scenario.queues.len()).map(|_| None).collect();
        for a in &scenario.arrivals {
            let q = a.queue.index() as u64;
            let routing = &scenario.queues[a.queue.index()].routing;
            let fixed_skills = routing.skills.iter().chain(&a.skills).copied().collect();
            streams[a.queue.index()] = Some(QueueStream {
                spec: a.clone(),
                gaps: stream(seed, replication, StreamKind::Arrivals, q),
                demand: stream(seed, replication, StreamKind::Demand, q),
                mix: (0..a.skill_mix.len() as u64)
                    .map(|d| stream(seed, replication, StreamKind::SkillMix, (q << 16) | d))
                    .collect(),
                secondary: stream(seed, replication, StreamKind::SecondaryPriority, q),
                wrap_up: stream(seed, replication, StreamKind::WrapUp, q),
                transfer: a
                    .transfer
                    .as_ref()
                    .map(|_| stream(seed, replication, StreamKind::Transfer, q)),
                priority: a.priority.unwrap_or(routing.priority),
                fixed_skills,
            });
        }
        let mut transfers: Vec<Option<Transfer>> = vec![None; scenario.queues.len()];
        for a in &scenario.arrivals {
            transfers[a.queue.index()].clone_from(&a.transfer);
        }
        Generator {
            scenario,
            handle,
            streams,
            transfers,
            next_item: 1,
        }
    }

    /// Rate \[items/s\] at `t` and the end of the constant-rate segment.
    fn rate_at(&self, rate: &ArrivalRate, t: SimTime) -> (f64, SimTime) {
        match rate {
            ArrivalRate::Constant(per_hour) => (per_hour / 3600.0, SimTime::NEVER),
            ArrivalRate::Profile(rates) => {
                let sim = &self.scenario.simulation;
                let warm_end = SimTime::ZERO + sim.warmup;
                let (i, end) = if t < warm_end {
                    (0, warm_end)
                } else {
                    let i = ((t.0 - warm_end.0) / sim.interval.0.max(1)) as usize;
                    (i, warm_end + SimDuration(sim.interval.0 * (i as u64 + 1)))
                };
                if i + 1 >= rates.len() {
                    (rates[rates.len() - 1] / 3600.0, SimTime::NEVER)
                } else {
                    (rates[i] / 3600.0, end)
                }
            }
        }
    }

    /// The first arrival strictly after `from`, or `None` if none will come.
    fn next_time(&mut self, queue: QueueId, from: SimTime) -> Option<SimTime> {
        let mut t = from;
        loop {
            let rate = self.streams[queue.index()].as_ref()?.spec.rate.clone();
            let (per_sec, seg_end) = self.rate_at(&rate, t);
            let s = self.streams[queue.index()].as_mut()?;
            if per_sec <= 0.0 {
                if seg_end == SimTime::NEVER {
                    return None;
                }
                t = seg_end;
                continue;
            }
            let u: f64 = s.gaps.gen();
            let gap = SimDuration::from_secs_f64(-(1.0 - u).ln() / per_sec);
            let at = t + gap;
            if at < seg_end {
                return Some(at);
            }
            t = seg_end;
        }
    }

    /// Schedules every queue's first arrival.
    pub(crate) fn prime(&mut self) {
        for q in 0..self.streams.len() {
            let queue = QueueId(q as u32);
            if let Some(at) = self.next_time(queue, SimTime::ZERO) {
                self.handle.schedule_at(at, Entry::Arrival(queue));
            }
        }
    }

    /// Creates the item of `queue` due now, sends it to the router and
    /// schedules the queue's next arrival.
    pub(crate) fn next_arrival(&mut self, queue: QueueId) {
        let now = self.handle.now();
        let Some(s) = self.streams[queue.index()].as_mut() else {
            return;
        };
        // Handle time first, then patience: a fixed draw order per item.
        let handle_time = s.spec.handle_time.sample(&mut s.demand);
        let patience = s.spec.patience.as_ref().map(|d| d.sample(&mut s.demand));
        let skills = s.skills();
        let secondary_priority = s.secondary_priority();
        let wrap_up = s.spec.wrap_up.as_ref().map(|d| d.sample(&mut s.wrap_up));
        let transfers = match s.transfer.as_mut() {
            Some(rng) => plan_transfers(&self.transfers, queue, rng),
            None => Vec::new(),
        };
        let item = WorkItem {
            id: WorkItemId(self.next_item),
            queue,
            channel: self.scenario.queues[queue.index()].channel,
            requested_at: now,
            patience,
            handle_time,
            wrap_up,
            priority: s.priority,
            secondary_priority,
            skills,
            transfers,
            transferred: 0,
        };
        self.next_item += 1;
        self.handle
            .schedule_now(Entry::Router(RouterMsg::Arrival(Box::new(item))));
        if let Some(at) = self.next_time(queue, now) {
            self.handle.schedule_at(at, Entry::Arrival(queue));
        }
    }
}
