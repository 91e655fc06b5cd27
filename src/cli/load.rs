//! `omnisim load`: run a scenario's actors on the wall clock and measure
//! the engine (see [`crate::load`]).

use super::run::slug;
use super::signals::Signals;
use super::CliError;
use crate::load::report::{
    ramp_header, ramp_line, ramp_verdict, render_run, write_files, LoadFile,
};
use crate::load::{find_max, run_load, speed_of, LoadRun, LoadSpec, Pace, Ramp};
use crate::scenario::Scenario;
use clap::Args;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::time::Duration;

/// Run a scenario on the wall clock and measure the engine: HDR histograms
/// of push → accept, toolkit round trip, routing decision and schedule
/// lag (p50/p90/p99/p99.9/max in µs), achieved against target throughput,
/// and how far the run fell behind. Writes load.json and one .hgrm file
/// (HdrHistogram percentile-distribution text, µs) per histogram.
///
/// The pace is --speed (simulated seconds per wall second) or --rate
/// (arrivals per wall second; the speed follows from the scenario's mean
/// arrival rate); without either, --speed 60. The run lasts --warmup plus
/// --duration of wall time, whatever the scenario's own length, and stops
/// by itself. --find-max ramps the rate instead (doubling, then
/// bisecting) and reports the highest one sustained with p99 schedule lag
/// and p99 toolkit round trip under --p99-bound. Ctrl-C prints what was
/// measured so far and writes nothing. Build with --release.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    cargo run --release -- load scenarios/load.toml --rate 50000 --duration 10s\n  \
    cargo run --release -- load scenarios/quickstart.toml --speed 600 --duration 20s\n  \
    cargo run --release -- load scenarios/load.toml --find-max --p99-bound 1ms\n  \
    cargo run --release -- load scenarios/load.toml --find-max --threads 2")]
pub(super) struct LoadArgs {
    /// Scenario file (TOML).
    file: PathBuf,
    /// Simulated seconds per wall second (60 = an hour a minute); at most
    /// 1e6, and at most what keeps arrivals under 1e6 a wall second.
    #[arg(long, conflicts_with = "rate")]
    speed: Option<f64>,
    /// Target arrivals per wall second, all queues together; at most 1e6.
    #[arg(long)]
    rate: Option<f64>,
    /// Wall-clock time measured (after the warm-up); at most 24h.
    #[arg(long, default_value = "10s", value_parser = wall_duration)]
    duration: Duration,
    /// Wall-clock time run before measuring, so the centre fills up; at
    /// most 24h.
    #[arg(long, default_value = "1s", value_parser = wall_duration)]
    warmup: Duration,
    /// Ramp the rate to find the highest one sustained.
    #[arg(long, conflicts_with = "speed")]
    find_max: bool,
    /// Bound on p99 toolkit round trip and p99 schedule lag for a run to
    /// count as sustained.
    #[arg(long, default_value = "1ms", value_parser = wall_duration)]
    p99_bound: Duration,
    /// First rate of the ramp (arrivals per wall second); --rate if given.
    #[arg(long, default_value_t = 1000.0)]
    start_rate: f64,
    /// Doublings (halvings if the first rate fails) before the ramp gives
    /// up bracketing the limit.
    #[arg(long, default_value_t = 16)]
    max_doublings: u32,
    /// Bisection steps after the ramp has bracketed the limit.
    #[arg(long, default_value_t = 3)]
    refine: u32,
    /// Overrides the scenario's seed.
    #[arg(long)]
    seed: Option<u64>,
    /// Spread the centre over this many threads, each running a cell of it
    /// (every N-th agent of each group and 1/N of every arrival rate) on
    /// its own actix system; the histograms are added and the rates
    /// summed. Routing stays within a cell.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=1024))]
    threads: u32,
    /// Folder for load.json and the .hgrm files [default: results/<name>/load].
    #[arg(long)]
    out: Option<PathBuf>,
    #[command(flatten)]
    output: super::OutputArgs,
}

fn wall_duration(text: &str) -> Result<Duration, String> {
    // The scenario files' own duration syntax: one way to write time.
    let d = crate::time::parse_wall_duration(text)?;
    if d.is_zero() {
        return Err("must be longer than zero".into());
    }
    if d > crate::load::MAX_WALL {
        return Err(format!(
            "is longer than a load run may last; at most {}h",
            crate::load::MAX_WALL.as_secs() / 3600
        ));
    }
    Ok(d)
}

pub(super) fn load(args: LoadArgs) -> Result<(), CliError> {
    let scenario = Scenario::from_path(&args.file).map_err(CliError::invalid)?;
    if cfg!(debug_assertions) {
        eprintln!(
            "warning: debug build; the figures say little. Use `cargo run --release -- load …`."
        );
    }
    // SIGINT and SIGTERM stop the run as they stop `run`: the engine ends
    // at its next entry, and what was measured is written, marked
    // interrupted, before the exit with 130 or 143.
    let signals = Signals::install()?;
    let stop = signals.stop().clone();
    let spec = LoadSpec {
        pace: match (args.speed, args.rate) {
            (_, Some(r)) => Pace::Rate(r),
            (Some(s), None) => Pace::Speed(s),
            (None, None) => Pace::Speed(60.0),
        },
        warmup: args.warmup,
        duration: args.duration,
        seed: args.seed,
        threads: args.threads,
    };
    let bound_us = args.p99_bound.as_secs_f64() * 1e6;
    let text = args.output.text();
    let name = scenario.simulation.name.clone();
    let dir = args
        .out
        .clone()
        .unwrap_or_else(|| Path::new("results").join(slug(&name)).join("load"));

    let (mode, run, steps, interrupted);
    let ramp_result;
    let single: LoadRun;
    if args.find_max {
        let ramp = Ramp {
            start_rate: args.rate.unwrap_or(args.start_rate),
            bound: args.p99_bound,
            max_doublings: args.max_doublings,
            refine: args.refine,
        };
        if !(ramp.start_rate > 0.0 && ramp.start_rate.is_finite()) {
            return Err(CliError::invalid(format!(
                "--start-rate must be a positive number, got {}",
                ramp.start_rate
            )));
        }
        let ceiling = crate::load::max_rate(&scenario);
        if ramp.start_rate > ceiling {
            return Err(CliError::invalid(format!(
                "--start-rate {} is faster than load mode can pace: at most {} here",
                crate::load::pace_text(ramp.start_rate),
                crate::load::pace_text(ceiling)
            )));
        }
        if text {
            println!(
                "{name}: finding the highest sustained rate, {:.1} s per step",
                (args.warmup + args.duration).as_secs_f64()
            );
            println!("{}", ramp_header());
        }
        ramp_result = find_max(&scenario, &spec, &ramp, &stop, &mut |s| {
            if text {
                println!("{}", ramp_line(s))
            }
        })
        .map_err(CliError::invalid)?;
        if text {
            if let Some(best) = ramp_result.best_run() {
                println!();
                print!("{}", render_run(best, bound_us));
            }
            println!("{}", ramp_verdict(&ramp_result));
        }
        mode = "find_max";
        run = ramp_result.best_run().or(ramp_result.steps.last());
        steps = ramp_result.steps.as_slice();
        interrupted = ramp_result.interrupted;
    } else {
        let speed = speed_of(&scenario, spec.pace).map_err(CliError::invalid)?;
        if text {
            println!(
                "{name}: on the wall clock at {speed:.1}x for {:.1} s ({:.1} s warm-up, then {:.1} s measured)",
                (args.warmup + args.duration).as_secs_f64(),
                args.warmup.as_secs_f64(),
                args.duration.as_secs_f64()
            );
        }
        // Seen before the run starts (tests wait for it to send Ctrl-C).
        let _ = std::io::stdout().flush();
        single = {
            let mut r = run_load(&scenario, &spec, &stop).map_err(CliError::invalid)?;
            r.judge(args.p99_bound);
            r
        };
        if text {
            print!("{}", render_run(&single, bound_us));
        }
        mode = "fixed";
        run = Some(&single);
        steps = &[];
        interrupted = stop.load(Ordering::SeqCst);
    }
    let file = LoadFile {
        scenario: &name,
        mode,
        unit: "microseconds",
        p99_bound_us: bound_us,
        interrupted,
        run,
        steps,
    };
    let written = write_files(&dir, &file)
        .map_err(|e| CliError::failure(format!("cannot write to `{}`: {e}", dir.display())))?;
    if interrupted {
        return Err(signals.error(&format!(
            "the figures are partial: {} say `\"interrupted\": true`",
            dir.join("load.json").display()
        )));
    }
    if args.output.json {
        return super::print_json(&serde_json::json!({
            "load": file,
            "files": super::paths_json(&written),
        }));
    }
    if text {
        for p in &written {
            println!("wrote {}", p.display());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::wall_duration;
    use std::time::Duration;

    #[test]
    fn wall_durations_read_as_scenario_durations_do() {
        assert_eq!(wall_duration("1m30s"), Ok(Duration::from_secs(90)));
        assert_eq!(wall_duration(" 250ms "), Ok(Duration::from_millis(250)));
        // Finer than simulated time's microsecond: a bound may be 1 ns.
        assert_eq!(wall_duration("1ns"), Ok(Duration::from_nanos(1)));
        assert!(wall_duration("soon")
            .unwrap_err()
            .contains("not a duration"));
        assert_eq!(wall_duration("0s").unwrap_err(), "must be longer than zero");
    }
}
