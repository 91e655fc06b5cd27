//! The generator: synthetic work arriving in each queue.
//!
//! It is a plain state machine, not an actor: nobody sends it messages and
//! it answers nobody, so a mailbox would only add a round trip to every
//! item. The router owns it: a queue's arrival entry is a message to the
//! router, which has the generator make the item and routes it in that
//! same message, so no message exists only to hand an item over.
//!
//! Arrivals are Poisson with a rate that is constant or piecewise constant
//! (a rate profile per reporting interval, or a forecast with its own
//! interval). Within a segment the gap is exponential; a gap that crosses
//! a segment boundary is redrawn from the boundary at the new rate, which
//! is exact because the exponential is memoryless. A forecast may also
//! scale the handle times of the items arriving in each segment.
//!
//! Two things make a day differ from its forecast beyond Poisson noise:
//!
//! - **busyness** (`[simulation] busyness`): one factor per replication,
//!   drawn from a stream of its own ([`busyness_factor`]), multiplies
//!   every rate of every queue;
//! - **retrials** (`arrivals[].retrial`): a customer who abandons may come
//!   back. Whether and after how long is drawn when the attempt is
//!   created (like transfers), the router hands the abandoned item back
//!   through the calendar (`Generator::retry` at the retrial instant),
//!   and the new attempt is a new item with the same need.

use crate::kernel::handle::EngineHandle;
use crate::kernel::messages::{Entry, RouterMsg};
use crate::kernel::rng::{stream, StreamKind};
use crate::omni::{QueueId, RetrialOf, SkillRequirement, TransferStep, WorkItem, WorkItemId};
use crate::scenario::{
    ArrivalRate, ArrivalStream, Busyness, BusynessDist, RateSegment, Retrial, Scenario,
    SecondaryPriority, Transfer,
};
use crate::time::{SimDuration, SimTime};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use rand_distr::Distribution as _;
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
    /// Retrial plans of first attempts, and the draws of the retrials
    /// themselves (patience, plan); `None` without a `retrial` key.
    retrial: Option<(ChaCha8Rng, ChaCha8Rng)>,
    /// Every item's routing priority.
    priority: i32,
    /// Skills every item needs: the routing configuration's and the
    /// stream's (skills-based queues).
    fixed_skills: Vec<SkillRequirement>,
    /// The next recorded arrival to replay, when the stream replays a
    /// recorded day.
    next_recorded: usize,
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

pub use crate::scenario::MAX_TRANSFERS;

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

/// Whether an attempt whose customer abandons comes back, and after how
/// long: one uniform draw, then the delay only if it does.
fn plan_retrial(retrial: Option<&Retrial>, rng: &mut ChaCha8Rng) -> Option<SimDuration> {
    let r = retrial?;
    (rng.gen::<f64>() < r.probability).then(|| r.delay.sample(rng))
}

/// The day's busyness factor of replication `replication` of a run with
/// base seed `seed`: a draw of mean 1 and coefficient of variation
/// `busyness.cv` from the replication's own busyness stream, so adding the
/// key moves no other draw. A cv of 0 gives exactly 1.
///
/// Public so that result files can report each replication's factor
/// without the engine passing it along: it depends on nothing else.
pub fn busyness_factor(busyness: &Busyness, seed: u64, replication: u32) -> f64 {
    let cv = busyness.cv;
    if !(cv.is_finite() && cv > 0.0) {
        return 1.0;
    }
    let mut rng = stream(seed, replication, StreamKind::Busyness, 0);
    let variance = cv * cv;
    match busyness.dist {
        BusynessDist::Gamma => match rand_distr::Gamma::new(1.0 / variance, variance) {
            Ok(d) => d.sample(&mut rng),
            Err(_) => 1.0,
        },
        BusynessDist::LogNormal => {
            let sigma2 = (1.0 + variance).ln();
            match rand_distr::LogNormal::new(-sigma2 / 2.0, sigma2.sqrt()) {
                Ok(d) => d.sample(&mut rng),
                Err(_) => 1.0,
            }
        }
    }
}

/// The segment of `rate` in force at `t` and the instant it ends. The
/// warm-up (before `warmup`) runs at the first segment's rate and ends at
/// the end of the warm-up, where the measured segments begin.
fn segment_at(rate: &ArrivalRate, warmup: SimDuration, t: SimTime) -> (RateSegment, SimTime) {
    let warm_end = SimTime::ZERO + warmup;
    if t < warm_end {
        let s = rate.segment_at(SimDuration::ZERO);
        let end = if s.end.is_some() {
            warm_end
        } else {
            SimTime::NEVER
        };
        (s, end)
    } else {
        let s = rate.segment_at(t.since(warm_end));
        (s, s.end.map_or(SimTime::NEVER, |e| warm_end + e))
    }
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
    /// The day's busyness factor on every rate; `None` without the key,
    /// so the rates are used exactly as written.
    busyness: Option<f64>,
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
                retrial: a.retrial.as_ref().map(|_| {
                    (
                        stream(seed, replication, StreamKind::Retrial, q),
                        stream(seed, replication, StreamKind::Retrial, (1 << 32) | q),
                    )
                }),
                priority: a.priority.unwrap_or(routing.priority),
                fixed_skills,
                next_recorded: 0,
            });
        }
        let mut transfers: Vec<Option<Transfer>> = vec![None; scenario.queues.len()];
        for a in &scenario.arrivals {
            transfers[a.queue.index()].clone_from(&a.transfer);
        }
        let busyness = scenario
            .simulation
            .busyness
            .as_ref()
            .map(|b| busyness_factor(b, seed, replication));
        Generator {
            scenario,
            handle,
            streams,
            transfers,
            busyness,
            next_item: 1,
        }
    }

    /// The first arrival strictly after `from`, or `None` if none will come.
    /// A recorded day's arrivals come at their instants instead, in
    /// order, several at one instant if the record has them.
    fn next_time(&mut self, queue: QueueId, from: SimTime) -> Option<SimTime> {
        let warmup = self.scenario.simulation.warmup;
        let s = self.streams[queue.index()].as_mut()?;
        if let Some(r) = &s.spec.recorded {
            return r
                .items
                .get(s.next_recorded)
                .map(|(at, _)| SimTime::ZERO + *at)
                .map(|at| at.max(from));
        }
        let mut t = from;
        loop {
            let (segment, seg_end) = segment_at(&s.spec.rate, warmup, t);
            let per_hour = match self.busyness {
                Some(factor) => segment.per_hour * factor,
                None => segment.per_hour,
            };
            let per_sec = per_hour / 3600.0;
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
                self.handle
                    .schedule_at(at, Entry::Router(RouterMsg::NextArrival(queue)));
            }
        }
    }

    /// Creates the item of `queue` due now, for the router to route at
    /// once, and schedules the queue's next arrival.
    pub(crate) fn next_arrival(&mut self, queue: QueueId) -> Option<WorkItem> {
        let now = self.handle.now();
        let warmup = self.scenario.simulation.warmup;
        let s = self.streams[queue.index()].as_mut()?;
        // Handle time first, then patience: a fixed draw order per item.
        // A forecast's handle-time scale multiplies the draw (1 without
        // one, which leaves it exactly as drawn).
        let (segment, _) = segment_at(&s.spec.rate, warmup, now);
        let mut handle_time = SimDuration::from_secs_f64(
            s.spec.handle_time.sample_secs(&mut s.demand) * segment.aht_scale,
        );
        // A replayed item keeps the handle time it took that day, when the
        // record has it; the draw above is made all the same, so the
        // draws after it (patience, …) are those of the model.
        if let Some(r) = &s.spec.recorded {
            if let Some((_, Some(h))) = r.items.get(s.next_recorded) {
                handle_time = *h;
            }
            s.next_recorded += 1;
        }
        let patience = s.spec.patience.as_ref().map(|d| d.sample(&mut s.demand));
        let skills = s.skills();
        let secondary_priority = s.secondary_priority();
        let wrap_up = s.spec.wrap_up.as_ref().map(|d| d.sample(&mut s.wrap_up));
        let transfers = match s.transfer.as_mut() {
            Some(rng) => plan_transfers(&self.transfers, queue, rng),
            None => Vec::new(),
        };
        let retry_after = match s.retrial.as_mut() {
            Some((plans, _)) => plan_retrial(s.spec.retrial.as_ref(), plans),
            None => None,
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
            retrial: None,
            retry_after,
        };
        self.next_item += 1;
        if let Some(at) = self.next_time(queue, now) {
            self.handle
                .schedule_at(at, Entry::Router(RouterMsg::NextArrival(queue)));
        }
        Some(item)
    }

    /// The customer of `abandoned` tries again now: a new item of the same
    /// queue with the same need (handle time, wrap-up, skills as
    /// requested, priorities, transfers still planned), a new id, a fresh
    /// patience and wait, and its own plan should it abandon again. The
    /// router calls this through the calendar, at the retrial instant, and
    /// routes the new item at once.
    pub(crate) fn retry(&mut self, abandoned: WorkItem) -> Option<WorkItem> {
        let now = self.handle.now();
        let s = self.streams[abandoned.queue.index()].as_mut()?;
        let (_, draws) = s.retrial.as_mut()?;
        let patience = s.spec.patience.as_ref().map(|d| d.sample(draws));
        let retry_after = plan_retrial(s.spec.retrial.as_ref(), draws);
        let retrial = match abandoned.retrial {
            Some(r) => RetrialOf {
                customer: r.customer,
                attempt: r.attempt + 1,
            },
            None => RetrialOf {
                customer: abandoned.id,
                attempt: 2,
            },
        };
        let item = WorkItem {
            id: WorkItemId(self.next_item),
            requested_at: now,
            patience,
            retrial: Some(retrial),
            retry_after,
            ..abandoned
        };
        self.next_item += 1;
        Some(item)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn busyness_factors_have_mean_one_and_the_asked_cv() {
        for dist in [BusynessDist::Gamma, BusynessDist::LogNormal] {
            let b = Busyness { dist, cv: 0.2 };
            let xs: Vec<f64> = (0..20_000).map(|r| busyness_factor(&b, 3, r)).collect();
            let n = xs.len() as f64;
            let mean = xs.iter().sum::<f64>() / n;
            let sd = (xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
            assert!((mean - 1.0).abs() < 0.01, "{dist:?}: mean {mean}");
            assert!((sd - 0.2).abs() < 0.01, "{dist:?}: sd {sd}");
            assert!(xs.iter().all(|x| *x > 0.0));
            // One factor per (seed, replication), whoever asks.
            assert_eq!(busyness_factor(&b, 3, 17), xs[17]);
        }
        let flat = Busyness {
            dist: BusynessDist::Gamma,
            cv: 0.0,
        };
        assert_eq!(busyness_factor(&flat, 3, 5), 1.0);
    }

    #[test]
    fn a_recorded_day_arrives_at_its_instants_with_its_handle_times() {
        use crate::scenario::RecordedArrivals;
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../scenarios/erlang_c.toml"
        ))
        .unwrap();
        let mut scenario = Scenario::from_toml_str(&text, "erlang_c.toml").unwrap();
        let secs = SimDuration::from_secs;
        scenario.arrivals[0].recorded = Some(RecordedArrivals {
            items: vec![
                (secs(5), Some(secs(100))),
                (secs(5), None),
                (secs(3600), Some(secs(7))),
            ],
        });
        let scenario = Arc::new(scenario);
        let mut log = crate::events::EventLog::default();
        crate::engine::run_replication(
            scenario,
            &mut [&mut log as &mut dyn crate::events::EventSink],
            crate::engine::RunOptions::default(),
        );
        let arrivals: Vec<(f64, SimDuration)> = log
            .events
            .iter()
            .filter_map(|e| match &e.kind {
                crate::events::EventKind::WorkArrived { item, .. } => Some((e.time, *item)),
                _ => None,
            })
            .map(|(t, item)| {
                let handle = log
                    .events
                    .iter()
                    .find_map(|e| match &e.kind {
                        crate::events::EventKind::WorkAssigned {
                            item: i,
                            handle_time,
                            ..
                        } if *i == item => Some(*handle_time),
                        _ => None,
                    })
                    .unwrap();
                (t.as_secs_f64(), handle)
            })
            .collect();
        assert_eq!(arrivals.len(), 3, "{arrivals:?}");
        assert_eq!(
            (arrivals[0].0, arrivals[1].0, arrivals[2].0),
            (5.0, 5.0, 3600.0)
        );
        assert_eq!(arrivals[0].1, secs(100));
        assert_ne!(arrivals[1].1, secs(100), "drawn");
        assert_eq!(arrivals[2].1, secs(7));
    }

    #[test]
    fn a_retrial_plan_draws_the_delay_only_for_a_customer_who_returns() {
        let never = Retrial {
            probability: 0.0,
            delay: crate::distribution::Distribution::Constant { value: 60.0 },
        };
        let always = Retrial {
            probability: 1.0,
            ..never.clone()
        };
        let mut rng = stream(1, 0, StreamKind::Retrial, 0);
        assert_eq!(plan_retrial(None, &mut rng), None);
        assert_eq!(plan_retrial(Some(&never), &mut rng), None);
        assert_eq!(
            plan_retrial(Some(&always), &mut rng),
            Some(SimDuration::from_secs(60))
        );
    }
}
