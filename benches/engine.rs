//! End to end: one simulated 8-hour day of the Erlang-equivalent centre
//! (capacity 1, exponential handle time 300 s, Most Available,
//! auto-accept) run on the actors in virtual time with a `MetricsCollector`
//! sink, as `omnisim run` runs a replication. Arrivals keep occupancy at
//! 0.9: 100 agents at 1,080/hour, 1,000 at 10,800/hour, 10,000 at
//! 108,000/hour; plus an overloaded day (1,000 agents, 12,600/hour,
//! exponential patience 120 s) that keeps a queue and abandonment timers
//! busy. Throughput is in items, so criterion reports items per second;
//! `omnisim bench` runs the same days once each (`omnisim_core::workload`).
//!
//! A day takes seconds, so every group uses criterion's minimum of 10
//! samples with flat sampling. Under `--test` (CI runs `cargo bench --
//! --test`) the 10,000-agent day, which alone takes many seconds, is
//! left out and nothing is run beyond the one pass criterion makes.

use criterion::{
    criterion_group, criterion_main, BenchmarkGroup, BenchmarkId, Criterion, SamplingMode,
    Throughput,
};
use omnisim_core::scenario::Scenario;
use omnisim_core::workload::{
    day, overloaded_day, run_day, DAY_HOURS, OVERLOADED_RATE_PER_HOUR, SEED,
};
use std::io::Sink;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Whether criterion will actually measure: `cargo bench` passes
/// `--bench`; `cargo bench -- --test`, `cargo test --benches` and
/// `--list` only run (or list) each benchmark once.
fn measuring() -> bool {
    let has = |flag: &str| std::env::args().any(|a| a == flag);
    has("--bench") && !has("--test") && !has("--list")
}

/// Whether a benchmark id is selected by the command line's filters (a
/// plain substring test; criterion's filters are regular expressions, so
/// when unsure this says no, which only skips the counting run below).
fn selected(id: &str) -> bool {
    let filters: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    filters.is_empty() || filters.iter().any(|f| id.contains(f.as_str()))
}

/// Adds one day to `group`. When measuring, one untimed-by-criterion run
/// first counts the day's items (the seed fixes them) for the throughput,
/// and its duration sizes the measurement time to ten runs (one per sample:
/// criterion then warns that it cannot complete 10 samples in the time,
/// which is expected); when not,
/// the expected count (rate × hours) stands in, since criterion reports no
/// throughput then anyway.
fn bench_day(
    group: &mut BenchmarkGroup<'_, criterion::measurement::WallTime>,
    id: BenchmarkId,
    full_id: &str,
    scenario: Scenario,
    rate_per_hour: f64,
) {
    let scenario = Arc::new(scenario);
    let expected = (rate_per_hour * DAY_HOURS).round() as u64;
    let (items, measurement) = if measuring() && selected(full_id) {
        let started = Instant::now();
        let count = run_day::<Sink>(&scenario, None).expect("the day runs to its end");
        let once = started.elapsed();
        (count.items, (once * 9).max(Duration::from_secs(5)))
    } else {
        (expected, Duration::from_secs(5))
    };
    group.throughput(Throughput::Elements(items));
    group.measurement_time(measurement);
    group.bench_with_input(id, &scenario, |b, s| {
        b.iter(|| run_day::<Sink>(s, None).expect("the day runs to its end"))
    });
}

fn configure(group: &mut BenchmarkGroup<'_, criterion::measurement::WallTime>) {
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_secs(1));
}

fn erlang_day(c: &mut Criterion) {
    let mut sizes = vec![100u32, 1_000];
    if measuring() {
        sizes.push(10_000);
    }
    let mut g = c.benchmark_group("engine/erlang_day");
    configure(&mut g);
    for agents in sizes {
        bench_day(
            &mut g,
            BenchmarkId::from_parameter(agents),
            &format!("engine/erlang_day/{agents}"),
            day(agents, SEED),
            omnisim_core::workload::rate_per_hour(agents),
        );
    }
    g.finish();
}

fn overloaded(c: &mut Criterion) {
    let mut g = c.benchmark_group("engine/overloaded");
    configure(&mut g);
    bench_day(
        &mut g,
        BenchmarkId::from_parameter(1_000),
        "engine/overloaded/1000",
        overloaded_day(SEED),
        OVERLOADED_RATE_PER_HOUR,
    );
    g.finish();
}

criterion_group!(benches, erlang_day, overloaded);
criterion_main!(benches);
