//! The pure routing decision: choosing an agent from the ordered index and
//! the next push from the backlog, at 10 to 10,000 agents. The index makes
//! the cost grow logarithmically, not linearly, with the number of agents.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use omnisim::omni::{AgentId, CapacityCost, CapacityUnits, ChannelId, RoutingModel, WorkItemId};
use omnisim::routing::{next_push, AgentIndex, Backlog, QueuedItem};
use omnisim::time::SimTime;
use std::hint::black_box;

/// `n` agents of capacity 3 on one channel, with loads spread 0..=2.
fn index(n: u32) -> AgentIndex {
    let mut idx = AgentIndex::new(&vec![CapacityUnits::whole(3); n as usize], 1);
    for a in 0..n {
        idx.set_presence(AgentId(a), vec![ChannelId(0)], Some(SimTime(a as u64)));
        for _ in 0..(a % 3) {
            idx.reserve(
                AgentId(a),
                CapacityUnits::whole(1),
                SimTime(1_000 + a as u64),
            );
        }
    }
    idx
}

fn choose(c: &mut Criterion) {
    let mut g = c.benchmark_group("routing/choose_agent");
    for n in [10u32, 100, 1_000, 10_000] {
        let idx = index(n);
        for model in [RoutingModel::MostAvailable, RoutingModel::LeastActive] {
            g.bench_with_input(BenchmarkId::new(model.as_str(), n), &idx, |b, idx| {
                b.iter(|| {
                    idx.choose(
                        ChannelId(0),
                        model,
                        CapacityCost::Weight(1),
                        black_box(None),
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
            let mut backlog = Backlog::default();
            let q = backlog.add_queue(1, ChannelId(0), model, CapacityCost::Weight(1));
            for i in 0..50u64 {
                backlog.insert(
                    q,
                    (SimTime(i), i),
                    QueuedItem {
                        item: WorkItemId(i),
                        excluded: None,
                    },
                );
            }
            let mut t = 10_000u64;
            g.bench_function(BenchmarkId::new(model.as_str(), n), |b| {
                b.iter(|| {
                    let d = next_push(&backlog, &idx).expect("an agent is free");
                    t += 1;
                    idx.reserve(d.agent, CapacityUnits::whole(1), SimTime(t));
                    idx.release(d.agent, CapacityUnits::whole(1));
                    black_box(d)
                })
            });
        }
    }
    g.finish();
}

criterion_group!(benches, choose, push_cycle);
criterion_main!(benches);
