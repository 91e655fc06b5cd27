//! Property tests: invariants that must hold for any small scenario.

use crate::util::{base, InvariantChecker};
use omnisim_core::distribution::Distribution;
use omnisim_core::engine::{run_replication, RunOptions};
use omnisim_core::events::{EventKind, EventLog};
use omnisim_core::omni::*;
use omnisim_core::scenario::*;
use omnisim_core::stats::MetricsCollector;
use omnisim_core::time::SimDuration;
use proptest::prelude::*;
use std::sync::Arc;

/// count, capacity, both channels, accept p, no-answer p
type GroupKnobs = (u32, u32, bool, f64, f64);
/// least_active, priority, push timeout s, percentage, rate/h, patience mean
type QueueKnobs = (bool, i32, Option<u64>, Option<u32>, f64, Option<f64>);

#[derive(Debug, Clone)]
struct Knobs {
    groups: Vec<GroupKnobs>,
    queues: Vec<QueueKnobs>,
    status_on_decline: bool,
    status_on_timeout: bool,
    shift_end_h: Option<u64>,
    seed: u64,
}

fn knobs() -> impl Strategy<Value = Knobs> {
    (
        prop::collection::vec(
            (1u32..4, 1u32..4, any::<bool>(), 0.5f64..=1.0, 0.0f64..0.3),
            1..4,
        ),
        prop::collection::vec(
            (
                any::<bool>(),
                0i32..3,
                prop::option::of(5u64..60),
                prop::option::of(10u32..=100),
                5.0f64..80.0,
                prop::option::of(30.0f64..600.0),
            ),
            1..4,
        ),
        any::<bool>(),
        any::<bool>(),
        prop::option::of(1u64..3),
        any::<u64>(),
    )
        .prop_map(
            |(groups, queues, status_on_decline, status_on_timeout, shift_end_h, seed)| Knobs {
                groups,
                queues,
                status_on_decline,
                status_on_timeout,
                shift_end_h,
                seed,
            },
        )
}

fn build(k: &Knobs) -> Scenario {
    let mut s = base(2);
    s.simulation.seed = k.seed;
    s.simulation.warmup = SimDuration::ZERO;
    s.channels.push(ServiceChannel {
        name: "case".into(),
        ends_when_all_decline: false,
        interruptible: k.seed % 3 == 0,
        // Status-based cases (kept across a logout, reassigned after a
        // minute, paused) in some cases.
        capacity_model: if (k.seed >> 25) & 1 == 1 {
            CapacityModel::Status
        } else {
            CapacityModel::Tab
        },
        reassign_after: ((k.seed >> 25) & 1 == 1).then(|| SimDuration::from_secs(60)),
        // Interruptible cases worked only while no chat is in progress,
        // or alongside chats.
        interruptible_progress: if (k.seed >> 27) & 1 == 1 {
            InterruptibleProgress::Parallel
        } else {
            InterruptibleProgress::Idle
        },
    });
    // Who may take what, derived from the seed's bits so that every case
    // mixes queue-based and skills-based queues, memberships and skills.
    let bit = |n: u32| (k.seed >> n) & 1 == 1;
    s.channels[0].ends_when_all_decline = bit(24);
    s.skills = vec![
        Skill {
            name: "Main".into(),
        },
        Skill {
            name: "Extra".into(),
        },
    ];
    s.statuses[0].channels = vec![ChannelId(0)];
    s.statuses.push(PresenceStatus {
        api_name: "Available_All".into(),
        label: "Available - all".into(),
        channels: vec![ChannelId(0), ChannelId(1)],
    });
    s.queues.clear();
    s.arrivals.clear();
    for (i, (la, prio, pt, pct, rate, patience)) in k.queues.iter().enumerate() {
        let channel = ChannelId((i % 2) as u32);
        s.queues.push(Queue {
            name: format!("Q{i}"),
            channel,
            routing: RoutingConfiguration {
                model: if *la {
                    RoutingModel::LeastActive
                } else {
                    RoutingModel::MostAvailable
                },
                priority: *prio,
                push_timeout: pt.map(SimDuration::from_secs),
                cost: match pct {
                    Some(p) => CapacityCost::Percentage(*p as f64),
                    None => CapacityCost::Weight(1),
                },
                paused_cost: (channel == ChannelId(1) && bit(25))
                    .then_some(CapacityCost::Weight(0)),
                // Cases follow their channel's flag (inherit).
                pool: if channel == ChannelId(1) && k.seed % 3 == 0 {
                    CapacityPool::Interruptible
                } else {
                    CapacityPool::Primary
                },
                routing_type: if bit(8 + i as u32) {
                    RoutingType::Skills
                } else {
                    RoutingType::Queue
                },
                skills: if bit(8 + i as u32) {
                    vec![SkillRequirement {
                        skill: SkillId(0),
                        level: ((k.seed >> (16 + i)) % 8) as u8,
                        additional: false,
                        priority: 0,
                    }]
                } else {
                    vec![]
                },
                drop_additional_skills_timeout: Some(SimDuration::from_secs(30)),
            },
            service_level_threshold: SimDuration::from_secs(20),
            targets: QueueTargets::default(),
        });
        s.arrivals.push(ArrivalStream {
            queue: QueueId(i as u32),
            rate: ArrivalRate::Constant(*rate),
            handle_time: Distribution::LogNormal {
                mean: 240.0,
                sd: 120.0,
            },
            patience: patience.map(|m| Distribution::Exponential { mean: m }),
            wrap_up: None,
            skills: if bit(8 + i as u32) {
                vec![SkillRequirement {
                    skill: SkillId(1),
                    level: 3,
                    additional: true,
                    priority: 1,
                }]
            } else {
                vec![]
            },
            skill_mix: vec![],
            priority: None,
            secondary_priority: bit(28).then(|| SecondaryPriority::Discrete {
                values: vec![0, 1],
                p: vec![0.3, 0.7],
            }),
            transfer: None,
            // Some impatient customers try again, so every attempt (not
            // every customer) must end once.
            retrial: (patience.is_some() && bit(30 + i as u32)).then_some(Retrial {
                probability: 0.6,
                delay: Distribution::Exponential { mean: 120.0 },
            }),
            recorded: None,
        });
    }
    s.presence_configs.clear();
    s.agents.clear();
    for (g, (count, cap, both, accept, no_answer)) in k.groups.iter().enumerate() {
        s.presence_configs.push(PresenceConfiguration {
            name: format!("cfg{g}"),
            capacity: *cap,
            interruptible_capacity: if k.seed % 3 == 0 { cap + 1 } else { *cap },
            allow_decline: true,
            decline_reasons: vec!["Busy".into()],
            auto_accept: false,
            status_on_decline: k.status_on_decline.then_some(StatusId(1)),
            status_on_push_timeout: k.status_on_timeout.then_some(StatusId(1)),
        });
        s.agents.push(AgentGroup {
            group: format!("G{g}"),
            count: *count,
            presence_config: ConfigId(g as u32),
            status: if *both { StatusId(2) } else { StatusId(0) },
            allowed_statuses: vec![],
            queues: (0..k.queues.len() as u32)
                .filter(|q| !bit(4 + g as u32) || (*q as usize + g) % 2 == 0)
                .map(QueueId)
                .collect(),
            skills: {
                let mut skills = vec![(SkillId(0), ((k.seed as usize + 4 * g) % 11) as u8)];
                if g % 2 == 0 {
                    skills.push((SkillId(1), 5));
                }
                skills
            },
            behaviour: BehaviourSpec {
                response_time: Distribution::Uniform {
                    min: 0.0,
                    max: 20.0,
                },
                accept_probability: *accept,
                no_answer_probability: *no_answer,
                wrap_up: Some(Distribution::Constant { value: 15.0 }),
                return_to_status_after: Some(SimDuration::from_secs(60)),
                pause_probability: if bit(25) { 0.3 } else { 0.0 },
                pause_duration: Some(Distribution::Constant { value: 60.0 }),
            },
            shift: Shift {
                start: SimDuration::from_secs(60 * g as u64),
                end: k.shift_end_h.map(|h| SimDuration::from_secs(h * 3600)),
                // Abrupt logouts leave status-based work held, then
                // reassigned.
                end_mode: if bit(26) {
                    ShiftEndMode::Abrupt
                } else {
                    ShiftEndMode::default()
                },
                ..Shift::default()
            },
            roster: Vec::new(),
            break_lateness: None,
            absence: 0.0,
            planning: Default::default(),
        });
        // Rosters in some cases: two shifts with breaks in the busy status
        // (the decline / timeout status too), breaks late or not, some
        // agents absent.
        if bit(40 + g as u32) {
            let min = |m: u64| SimDuration::from_secs(m * 60);
            let group = s.agents.last_mut().expect("just pushed");
            let first = Shift {
                start: SimDuration::ZERO,
                ..group.shift.clone()
            };
            let second = Shift {
                start: min(30),
                end: None,
                ..group.shift.clone()
            };
            group.set_roster(vec![
                RosteredShift::new(count.div_ceil(2), first)
                    .with_break(Break::new(min(20), min(10), StatusId(1)))
                    .with_break(Break::new(min(40), min(15), StatusId(1))),
                RosteredShift::new(count / 2, second).with_break(Break::new(
                    min(70),
                    min(20),
                    StatusId(1),
                )),
            ]);
            group.break_lateness = bit(44).then_some(Distribution::Exponential { mean: 300.0 });
            group.absence = if bit(45) { 0.3 } else { 0.0 };
        }
    }
    s
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, .. ProptestConfig::default() })]

    /// Capacity never exceeded (breaks, late breaks and absences
    /// included); no push to an offline agent or a status without the
    /// channel, so none to an agent on a break; time never goes
    /// backwards; every item (every attempt of a customer who tries
    /// again) ends in at most one terminal state and is never both
    /// answered and abandoned; a retrial follows its customer's
    /// abandonment; the metrics conserve every attempt.
    #[test]
    fn routing_invariants_hold(k in knobs()) {
        let s = build(&k);
        let mut check = InvariantChecker::new(&s);
        let mut metrics = MetricsCollector::new(&s);
        run_replication(Arc::new(s), &mut [&mut check, &mut metrics], RunOptions::default());
        check.assert_conserved();
        let result = metrics.into_result();
        prop_assert_eq!(result.check_conservation(), Ok(()));
        prop_assert_eq!(result.overall.retrials, check.retrials);
        prop_assert!(!check.arrived.is_empty() || k.queues.iter().all(|q| q.4 < 1.0));
    }
}

/// agents, capacity, interruptible capacity, chat rate/h, email rate/h,
/// pause probability, pause minutes, email progress "idle", emails
/// interruptible, emails status-based, seed
type EffortKnobs = (u32, u32, u32, f64, f64, f64, u64, bool, bool, bool, u64);

fn effort_knobs() -> impl Strategy<Value = EffortKnobs> {
    (
        1u32..4,
        1u32..3,
        1u32..4,
        5.0f64..40.0,
        5.0f64..60.0,
        0.0f64..=1.0,
        1u64..20,
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        any::<u64>(),
    )
}

/// A blended centre of chats (primary) and emails, the emails
/// interruptible or not, worked only while idle or alongside chats,
/// status-based and paused or not.
fn blended(k: &EffortKnobs) -> omnisim_core::scenario::Scenario {
    let (agents, cap, icap, chat, email, pause_p, pause_m, idle, interruptible, status, seed) = *k;
    let mut s = base(2);
    s.simulation.seed = seed;
    s.simulation.warmup = SimDuration::ZERO;
    s.channels.push(ServiceChannel {
        name: "email".into(),
        ends_when_all_decline: false,
        interruptible,
        capacity_model: if status {
            CapacityModel::Status
        } else {
            CapacityModel::Tab
        },
        reassign_after: None,
        interruptible_progress: if idle {
            InterruptibleProgress::Idle
        } else {
            InterruptibleProgress::Parallel
        },
    });
    s.statuses[0].channels = vec![ChannelId(0), ChannelId(1)];
    let mut email_queue = s.queues[0].clone();
    email_queue.name = "Email".into();
    email_queue.channel = ChannelId(1);
    email_queue.routing.pool = if interruptible {
        CapacityPool::Interruptible
    } else {
        CapacityPool::Primary
    };
    email_queue.routing.paused_cost = status.then_some(CapacityCost::Weight(0));
    s.queues.push(email_queue);
    s.arrivals[0].rate = ArrivalRate::Constant(chat);
    s.arrivals[0].handle_time = Distribution::Exponential { mean: 300.0 };
    let mut emails = s.arrivals[0].clone();
    emails.queue = QueueId(1);
    emails.rate = ArrivalRate::Constant(email);
    emails.handle_time = Distribution::Exponential { mean: 900.0 };
    s.arrivals.push(emails);
    s.presence_configs[0].capacity = cap;
    s.presence_configs[0].interruptible_capacity = icap;
    s.presence_configs[0].auto_accept = true;
    let g = &mut s.agents[0];
    g.count = agents;
    g.queues = vec![QueueId(0), QueueId(1)];
    g.behaviour.pause_probability = if status { pause_p } else { 0.0 };
    g.behaviour.pause_duration = Some(Distribution::Exponential {
        mean: pause_m as f64 * 60.0,
    });
    g.behaviour.wrap_up = Some(Distribution::Constant { value: 10.0 });
    s
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, .. ProptestConfig::default() })]

    /// Capacity is not effort (omni-reference §12.4, §12.5): at no instant
    /// does an agent work on more in-progress cost than its capacity, a
    /// paused item is not worked and waits for room to resume, idle-only
    /// interruptible work is not worked beside primary work, and every
    /// item closed was worked its whole handle time.
    #[test]
    fn no_agent_works_on_more_than_its_capacity(k in effort_knobs()) {
        let s = blended(&k);
        let mut check = InvariantChecker::new(&s);
        let mut metrics = MetricsCollector::new(&s);
        let mut log = EventLog::default();
        run_replication(Arc::new(s), &mut [&mut check, &mut metrics, &mut log], RunOptions::default());
        check.assert_conserved();
        prop_assert_eq!(metrics.into_result().check_conservation(), Ok(()));
        let (_, _, _, _, _, _, _, idle, interruptible, _, _) = k;
        // Idle-only interruptible emails are set aside whenever a chat is
        // taken up beside them, and only then.
        let interrupted = log.events.iter().any(|e| matches!(e.kind, EventKind::WorkInterrupted { .. }));
        if !(idle && interruptible) {
            prop_assert!(!interrupted);
        }
    }
}
