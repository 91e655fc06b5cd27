//! The pure routing decision: choosing an agent from the ordered index and
//! the next push from the backlog, at 10 to 10,000 agents, with queue-based
//! and with skills-based routing. The index makes the cost grow
//! logarithmically, not linearly, with the number of agents.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use omnisim_core::omni::{
    AgentId, CapacityCost, CapacityPool, CapacityUnits, ChannelId, QueueId, RoutingModel,
    RoutingType, SkillId, SkillRequirement, WorkItemId,
};
use omnisim_core::routing::{
    next_push, AgentClasses, AgentIndex, Backlog, ClassId, ClassSpec, Exclusion, ItemKey,
    QueuedItem,
};
use omnisim_core::time::SimTime;
use std::hint::black_box;

/// `n` agents of capacity 3 on one channel, sorted into `classes`, with
/// loads spread 0..=2.
fn index_with(n: u32, classes: &AgentClasses) -> AgentIndex {
    let mut idx = AgentIndex::new(&vec![CapacityUnits::whole(3); n as usize], classes, 1);
    for a in 0..n {
        idx.set_presence(AgentId(a), vec![ChannelId(0)], Some(SimTime(a as u64)));
        for _ in 0..(a % 3) {
            idx.reserve(
                AgentId(a),
                CapacityUnits::whole(1),
                CapacityPool::Primary,
                SimTime(1_000 + a as u64),
            );
        }
    }
    idx
}

/// `n` interchangeable agents (one class, member of the one queue).
fn index(n: u32) -> AgentIndex {
    index_with(n, &AgentClasses::uniform(n as usize, 1))
}

const ONE_CLASS: [ClassId; 1] = [ClassId(0)];

fn choose(c: &mut Criterion) {
    let mut g = c.benchmark_group("routing/choose_agent");
    for n in [10u32, 100, 1_000, 10_000] {
        let idx = index(n);
        for model in [RoutingModel::MostAvailable, RoutingModel::LeastActive] {
            g.bench_with_input(BenchmarkId::new(model.as_str(), n), &idx, |b, idx| {
                b.iter(|| {
                    idx.choose(
                        ChannelId(0),
                        &ONE_CLASS,
                        model,
                        CapacityCost::Weight(1),
                        CapacityPool::Primary,
                        black_box(&Exclusion::Nobody),
                    )
                })
            });
        }
    }
    g.finish();
}

/// A whole decision cycle as the router runs it: find the next push,
/// reserve the capacity, release it again (so the state stays the same).
fn push_cycle(c: &mut Criterion) {
    let mut g = c.benchmark_group("routing/push_cycle");
    for n in [10u32, 100, 1_000, 10_000] {
        for model in [RoutingModel::MostAvailable, RoutingModel::LeastActive] {
            let mut idx = index(n);
            let mut backlog = Backlog::new(AgentClasses::uniform(n as usize, 1));
            let q = backlog.add_queue(
                ChannelId(0),
                model,
                CapacityCost::Weight(1),
                CapacityPool::Primary,
                RoutingType::Queue,
            );
            for i in 0..50u64 {
                backlog.insert(
                    q,
                    &[],
                    ItemKey::new(1, None, SimTime(i), i),
                    QueuedItem {
                        item: WorkItemId(i),
                        excluded: Exclusion::Nobody,
                    },
                );
            }
            let mut t = 10_000u64;
            g.bench_function(BenchmarkId::new(model.as_str(), n), |b| {
                b.iter(|| {
                    let d = next_push(&backlog, &idx).expect("an agent is free");
                    t += 1;
                    idx.reserve(
                        d.agent,
                        CapacityUnits::whole(1),
                        CapacityPool::Primary,
                        SimTime(t),
                    );
                    idx.release(d.agent, CapacityUnits::whole(1), CapacityPool::Primary);
                    black_box(d)
                })
            });
        }
    }
    g.finish();
}

/// Skill dimensions of the skills-based centre.
const SKILLS: usize = 5;
/// Agent groups (classes) of the skills-based centre.
const GROUPS: u32 = 12;

/// Group `g`'s levels of the five skills (0–10, `None` = lacks it): every
/// group has the first skill (say, the language of the centre), and the
/// others in a spread of levels, so that each requirement below is met by
/// a few groups only.
fn group_skills(g: u32) -> Vec<Option<u8>> {
    (0..SKILLS as u32)
        .map(|k| {
            if k == 0 {
                Some((3 + g % 8) as u8)
            } else if (g + k) % 3 == 0 {
                None
            } else {
                Some(((g * 7 + k * 3) % 11) as u8)
            }
        })
        .collect()
}

/// `n` agents dealt in contiguous blocks (as scenario groups number them)
/// over [`GROUPS`] classes, member of no queue.
fn skilled_classes(n: u32) -> AgentClasses {
    AgentClasses::new(
        (0..n).map(|a| ClassId(a * GROUPS / n)).collect(),
        (0..GROUPS)
            .map(|g| ClassSpec {
                queues: vec![false],
                skills: group_skills(g),
            })
            .collect(),
    )
}

fn req(skill: u32, level: u8) -> SkillRequirement {
    SkillRequirement {
        skill: SkillId(skill),
        level,
        additional: false,
        priority: 0,
    }
}

/// The requirement sets items arrive with: one to three skills at
/// various levels.
fn requirement_sets() -> Vec<Vec<SkillRequirement>> {
    vec![
        vec![req(0, 3)],
        vec![req(0, 6)],
        vec![req(0, 4), req(1, 5)],
        vec![req(0, 5), req(2, 3)],
        vec![req(1, 2), req(3, 4)],
        vec![req(0, 3), req(2, 2), req(4, 5)],
        vec![req(3, 1), req(4, 2)],
        vec![req(0, 8), req(1, 1)],
    ]
}

/// A skills-based decision cycle: the eligible classes of the item's
/// requirement set (the sets take turns), the best agent among them,
/// reserve and release.
fn skills(c: &mut Criterion) {
    let mut g = c.benchmark_group("routing/skills");
    let sets = requirement_sets();
    for n in [100u32, 1_000, 10_000] {
        let classes = skilled_classes(n);
        for set in &sets {
            assert!(
                !classes
                    .eligible(RoutingType::Skills, QueueId(0), set)
                    .is_empty(),
                "every requirement set has eligible groups"
            );
        }
        for model in [RoutingModel::MostAvailable, RoutingModel::LeastActive] {
            let mut idx = index_with(n, &classes);
            let mut t = 10_000u64;
            let mut next = 0usize;
            g.bench_function(BenchmarkId::new(model.as_str(), n), |b| {
                b.iter(|| {
                    let reqs = &sets[next % sets.len()];
                    next += 1;
                    let eligible = classes.eligible(RoutingType::Skills, QueueId(0), reqs);
                    let agent = idx
                        .choose(
                            ChannelId(0),
                            &eligible,
                            model,
                            CapacityCost::Weight(1),
                            CapacityPool::Primary,
                            black_box(&Exclusion::Nobody),
                        )
                        .expect("an eligible agent is free");
                    t += 1;
                    idx.reserve(
                        agent,
                        CapacityUnits::whole(1),
                        CapacityPool::Primary,
                        SimTime(t),
                    );
                    idx.release(agent, CapacityUnits::whole(1), CapacityPool::Primary);
                    black_box(agent)
                })
            });
        }
    }
    g.finish();
}

criterion_group!(benches, choose, push_cycle, skills);
criterion_main!(benches);
