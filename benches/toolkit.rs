//! Toolkit round trip through the agent actor: a push reaches an agent,
//! which accepts and closes it through `OmniToolkit` (three actor
//! messages, routing included), on the virtual-time engine.

use criterion::{criterion_group, criterion_main, Criterion};
use omnisim_core::engine::{Idle, Simulation};
use omnisim_core::omni::CapacityCost;
use omnisim_core::omni::{AgentId, QueueId};
use omnisim_core::time::SimDuration;
use omnisim_core::workload::ErlangCentre;
use std::sync::Arc;
use std::time::{Duration, Instant};

fn centre() -> Arc<omnisim_core::scenario::Scenario> {
    let mut s = ErlangCentre {
        agents: 1,
        capacity: 1,
        cost: CapacityCost::Weight(1),
        rate_per_hour: 0.0,
        aht_s: 300.0,
        patience_s: None,
        threshold_s: 20.0,
        skills_routed: false,
        wrap_up_s: None,
    }
    .scenario("bench", 1.0, 0.0, 1, 1);
    s.presence_configs[0].auto_accept = false;
    Arc::new(s)
}

fn round_trip(c: &mut Criterion) {
    let mut g = c.benchmark_group("toolkit");
    g.bench_function("push_accept_close", |b| {
        b.iter_custom(|iters| {
            actix::System::new().block_on(async move {
                let mut sim = Simulation::new(centre(), 0, |_| Idle);
                let tk = sim.toolkit(AgentId(0));
                tk.login("0N5000000000000").await.expect("login");
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let start = Instant::now();
                    sim.inject_work(QueueId(0), SimDuration::from_secs(60), None);
                    let t = sim.now() + SimDuration(1);
                    sim.run_until(t, &mut []).await;
                    let works = tk.get_agent_works().await.expect("works");
                    let id = &works[0].work_id;
                    tk.accept_agent_work(id).await.expect("accept");
                    tk.close_agent_work(id).await.expect("close");
                    total += start.elapsed();
                    let t = sim.now() + SimDuration(1);
                    sim.run_until(t, &mut []).await;
                }
                total
            })
        })
    });
    g.bench_function("get_agent_workload", |b| {
        b.iter_custom(|iters| {
            actix::System::new().block_on(async move {
                let sim = Simulation::new(centre(), 0, |_| Idle);
                let tk = sim.toolkit(AgentId(0));
                tk.login("0N5000000000000").await.expect("login");
                let start = Instant::now();
                for _ in 0..iters {
                    std::hint::black_box(tk.get_agent_workload().await.expect("workload"));
                }
                start.elapsed()
            })
        })
    });
    g.finish();
}

criterion_group!(benches, round_trip);
criterion_main!(benches);
