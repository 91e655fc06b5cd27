//! Blended work checked against its analytic figure: capacity is not
//! effort (omni-reference §12.4).
//!
//! One group of `N` agents takes chats (primary work, capacity 1) and, in
//! a separate pool, emails (interruptible, one at a time), both
//! auto-accepted. Chats arrive as Poisson with exponential handle time, so
//! they are an M/M/N queue, untouched by the emails, and each agent holds
//! a chat a fraction `ρ = λ·E[H_chat] / N` of the time. Emails arrive
//! faster than they can be done: every agent always holds one.
//!
//! With `interruptible_progress = "idle"` an agent works on its email only
//! while it holds no chat, so its email effort accrues at rate `1 − ρ` and
//! (renewal-reward) the centre closes emails at
//!
//! ```text
//! throughput_idle = N · (1 − ρ) / E[H_email]
//! ```
//!
//! whatever the email handle time's distribution. With `"parallel"` the
//! email is worked beside the chat: `throughput = N / E[H_email]`, as if
//! chats cost nothing. The chats themselves must match Erlang C in both.

use super::{compare, MetricCheck};
use crate::analytic::{evaluate, ErlangInput};
use crate::distribution::Distribution;
use crate::engine::{run_replication, RunOptions};
use crate::events::{EventKind, EventSink, SimEvent};
use crate::omni::{
    CapacityCost, CapacityModel, CapacityPool, ChannelId, ConfigId, InterruptibleProgress,
    PresenceConfiguration, PresenceStatus, QueueId, RoutingConfiguration, RoutingModel,
    RoutingType, ServiceChannel, StatusId,
};
use crate::runner::{RunError, Runner};
use crate::scenario::{
    AgentGroup, ArrivalRate, ArrivalStream, BehaviourSpec, Queue, QueueTargets, Scenario, Shift,
    SimulationSettings,
};
use crate::stats::MetricsCollector;
use crate::time::{SimDuration, SimTime};
use serde::Serialize;
use std::sync::Arc;

/// A blended centre: chats and emails on one group of agents.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BlendedCase {
    /// Short name.
    pub name: String,
    /// Agents, each holding one chat and, separately, one email at most.
    pub agents: u32,
    /// Chats per hour.
    pub chats_per_hour: f64,
    /// Mean (exponential) chat handle time \[s\].
    pub chat_aht_s: f64,
    /// Emails per hour: more than the agents can do.
    pub emails_per_hour: f64,
    /// Mean (exponential) email handle time \[s\].
    pub email_aht_s: f64,
    /// When the emails are worked.
    pub progress: InterruptibleProgress,
    /// Service-level threshold of the chats \[s\].
    pub threshold_s: f64,
    /// Measured hours per replication.
    pub hours: f64,
    /// Replications.
    pub replications: u32,
}

impl BlendedCase {
    /// The chats' occupancy `ρ = λ·E[H_chat] / N`.
    pub fn chat_occupancy(&self) -> f64 {
        self.chats_per_hour * self.chat_aht_s / 3600.0 / self.agents as f64
    }

    /// The emails closed per hour, as worked out in the module doc.
    pub fn email_throughput_per_hour(&self) -> f64 {
        let working = match self.progress {
            InterruptibleProgress::Idle => 1.0 - self.chat_occupancy(),
            InterruptibleProgress::Parallel => 1.0,
        };
        self.agents as f64 * working * 3600.0 / self.email_aht_s
    }

    /// The scenario: chat queue first (priority 1), email queue second.
    pub fn scenario(&self, warmup_h: f64, seed: u64) -> Scenario {
        let secs = |h: f64| SimDuration::from_secs_f64(h * 3600.0);
        let threshold = SimDuration::from_secs_f64(self.threshold_s);
        let channel = |name: &str, interruptible: bool| ServiceChannel {
            name: name.into(),
            ends_when_all_decline: false,
            interruptible,
            capacity_model: CapacityModel::Tab,
            reassign_after: None,
            interruptible_progress: self.progress,
        };
        let queue = |name: &str, channel: u32, priority: i32, pool: CapacityPool| Queue {
            name: name.into(),
            channel: ChannelId(channel),
            routing: RoutingConfiguration {
                model: RoutingModel::MostAvailable,
                priority,
                push_timeout: None,
                cost: CapacityCost::Weight(1),
                pool,
                paused_cost: None,
                routing_type: RoutingType::Queue,
                skills: vec![],
                drop_additional_skills_timeout: None,
            },
            service_level_threshold: threshold,
            targets: QueueTargets::default(),
        };
        let arrivals = |queue: u32, per_hour: f64, aht_s: f64| ArrivalStream {
            queue: QueueId(queue),
            rate: ArrivalRate::Constant(per_hour),
            handle_time: Distribution::Exponential { mean: aht_s },
            patience: None,
            wrap_up: None,
            skills: vec![],
            skill_mix: vec![],
            priority: None,
            secondary_priority: None,
            transfer: None,
            retrial: None,
            recorded: None,
        };
        Scenario {
            simulation: SimulationSettings {
                name: self.name.clone(),
                duration: secs(self.hours),
                warmup: secs(warmup_h),
                seed,
                replications: self.replications,
                interval: secs(self.hours),
                service_level_threshold: threshold,
                start_date: None,
                start_of_day: SimDuration::ZERO,
                busyness: None,
            },
            channels: vec![channel("chat", false), channel("email", true)],
            skills: vec![],
            statuses: vec![PresenceStatus {
                api_name: "Available".into(),
                label: "Available".into(),
                channels: vec![ChannelId(0), ChannelId(1)],
            }],
            presence_configs: vec![PresenceConfiguration {
                name: "Blended".into(),
                capacity: 1,
                interruptible_capacity: 1,
                allow_decline: false,
                decline_reasons: vec![],
                auto_accept: true,
                status_on_decline: None,
                status_on_push_timeout: None,
            }],
            queues: vec![
                queue("Chat", 0, 1, CapacityPool::Primary),
                queue("Email", 1, 2, CapacityPool::Interruptible),
            ],
            arrivals: vec![
                arrivals(0, self.chats_per_hour, self.chat_aht_s),
                arrivals(1, self.emails_per_hour, self.email_aht_s),
            ],
            agents: vec![AgentGroup {
                group: "Blended".into(),
                count: self.agents,
                presence_config: ConfigId(0),
                status: StatusId(0),
                allowed_statuses: vec![],
                queues: vec![QueueId(0), QueueId(1)],
                skills: vec![],
                behaviour: BehaviourSpec::default(),
                shift: Shift::default(),
                roster: Vec::new(),
                break_lateness: None,
                absence: 0.0,
                planning: Default::default(),
            }],
            warnings: vec![],
        }
    }
}

/// The blended cases: the same centre with emails worked only while idle
/// (the default) and alongside chats.
pub fn blended_cases() -> Vec<BlendedCase> {
    let case = |name: &str, progress| BlendedCase {
        name: name.into(),
        agents: 10,
        chats_per_hour: 60.0,
        chat_aht_s: 300.0,
        emails_per_hour: 80.0,
        email_aht_s: 600.0,
        progress,
        threshold_s: 20.0,
        hours: 200.0,
        replications: 8,
    };
    vec![
        case(
            "B1 10 agents, chats occ 0.50, emails worked while idle",
            InterruptibleProgress::Idle,
        ),
        case(
            "B2 = B1 with emails worked alongside chats",
            InterruptibleProgress::Parallel,
        ),
    ]
}

/// The outcome of one blended case.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BlendedResult {
    /// The case.
    pub case: BlendedCase,
    /// One check per figure.
    pub checks: Vec<MetricCheck>,
}

impl BlendedResult {
    /// Whether every figure passed.
    pub fn passed(&self) -> bool {
        self.checks.iter().all(|c| c.passed)
    }
}

/// Counts the closes of one queue's work in a window.
struct Closes {
    queue: QueueId,
    from: SimTime,
    to: SimTime,
    count: u64,
}

impl EventSink for Closes {
    fn on_event(&mut self, event: &SimEvent) {
        if let EventKind::WorkClosed { queue, .. } = event.kind {
            if queue == self.queue && event.time >= self.from && event.time < self.to {
                self.count += 1;
            }
        }
    }
}

/// Simulates a blended case (replications on `jobs` threads) and compares
/// the email throughput and the chats' Erlang C figures.
pub fn run_blended(case: &BlendedCase, seed: u64, jobs: usize) -> Result<BlendedResult, RunError> {
    let warmup_h = (case.hours / 50.0).clamp(1.0, 10.0);
    let scenario = Arc::new(case.scenario(warmup_h, seed));
    let from = SimTime::ZERO + scenario.simulation.warmup;
    let to = from + scenario.simulation.duration;
    let reps: Vec<u32> = (0..scenario.simulation.replications).collect();
    let per_rep = Runner::new(jobs).run(&reps, |&replication, stop| {
        let mut metrics = MetricsCollector::new(&scenario);
        let mut closes = Closes {
            queue: QueueId(1),
            from,
            to,
            count: 0,
        };
        run_replication(
            scenario.clone(),
            &mut [&mut metrics, &mut closes],
            RunOptions {
                replication,
                stop: Some(stop.clone()),
                ..Default::default()
            },
        )
        .check(&scenario)?;
        let chats = metrics.into_result().queues.swap_remove(0);
        Ok((chats, closes.count as f64 / case.hours))
    })?;
    let chat = evaluate(&ErlangInput {
        agents: case.agents,
        arrival_rate_per_hour: case.chats_per_hour,
        mean_handle_time_s: case.chat_aht_s,
        service_level_threshold_s: case.threshold_s,
        mean_patience_s: None,
    })
    .expect("the blended cases' chats are a valid Erlang C centre");
    let mut checks = Vec::new();
    let throughput: Vec<f64> = per_rep.iter().map(|(_, t)| *t).collect();
    let analytic = case.email_throughput_per_hour();
    checks.extend(compare(
        "emails_closed_per_h",
        analytic,
        &throughput,
        0.01 * analytic,
    ));
    let chats = |get: fn(&crate::stats::QueueMetrics) -> Option<f64>| -> Vec<f64> {
        per_rep.iter().filter_map(|(m, _)| get(m)).collect()
    };
    checks.extend(compare(
        "chat p_wait",
        chat.p_wait,
        &chats(|m| m.p_wait),
        0.005,
    ));
    checks.extend(compare(
        "chat service_level",
        chat.service_level,
        &chats(|m| m.service_level),
        0.005,
    ));
    Ok(BlendedResult {
        case: case.clone(),
        checks,
    })
}

/// The blended section of `docs/VALIDATION.md`.
pub fn render_blended_markdown(results: &[BlendedResult]) -> String {
    let mut s = String::new();
    s.push_str("\n## Blended work: capacity is not effort\n\n");
    s.push_str(
        "One group of N agents takes chats (primary, capacity 1) and emails (interruptible, \
         interruptible capacity 1), both auto-accepted, Most Available. Chats are Poisson with \
         exponential handle time, an M/M/N queue the emails do not touch: each agent holds a chat \
         a fraction ρ = λ·E[H_chat]/N of the time, and the chats must match Erlang C. Emails \
         arrive faster than they can be done, so every agent always holds one. With \
         `interruptible_progress = \"idle\"` an email is worked only while its agent holds no \
         chat, so each agent's email effort accrues at rate 1 − ρ and the centre closes \
         N·(1 − ρ)/E[H_email] emails per unit of time (renewal-reward; any email handle-time \
         distribution). With `\"parallel\"` the email is worked beside the chat: N/E[H_email], \
         as if chats cost nothing. A figure passes when the analytic value is inside the 99% \
         interval of the simulated mean or within 1% of it (throughput).\n\n",
    );
    s.push_str("| case | agents | chats λ /h | chat AHT s | ρ | email AHT s | progress | hours/rep × reps | figure | analytic | simulated mean | 99% CI | rel. error | pass |\n");
    s.push_str("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for r in results {
        let c = &r.case;
        for (i, k) in r.checks.iter().enumerate() {
            let head = if i == 0 {
                format!(
                    "{} | {} | {} | {} | {:.2} | {} | {} | {} × {}",
                    c.name,
                    c.agents,
                    c.chats_per_hour,
                    c.chat_aht_s,
                    c.chat_occupancy(),
                    c.email_aht_s,
                    c.progress.as_str(),
                    c.hours,
                    c.replications
                )
            } else {
                " | | | | | | | ".into()
            };
            s.push_str(&format!("| {head} | {} |\n", k.markdown_cells()));
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_analytic_throughput_is_the_idle_share_of_the_agents() {
        let cases = blended_cases();
        assert_eq!(cases[0].chat_occupancy(), 0.5);
        // 10 agents × half their time / 10 minutes = 30 emails an hour.
        assert!((cases[0].email_throughput_per_hour() - 30.0).abs() < 1e-9);
        assert!((cases[1].email_throughput_per_hour() - 60.0).abs() < 1e-9);
        // Emails arrive faster than even the parallel centre closes them.
        assert!(cases.iter().all(|c| c.emails_per_hour > 60.0));
    }

    #[test]
    fn a_short_blended_run_is_near_its_figure() {
        let mut c = blended_cases().swap_remove(0);
        c.hours = 40.0;
        c.replications = 2;
        let r = run_blended(&c, 7, 2).unwrap();
        let t = &r.checks[0];
        assert_eq!(t.metric, "emails_closed_per_h");
        assert!((t.mean - 30.0).abs() < 3.0, "{t:?}");
    }
}
