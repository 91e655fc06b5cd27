//! `--max-memory`, `--max-events` and `--max-interval-rows`: the resource bounds `check`, `run`,
//! `plan` and `trace` hold a scenario to before anything runs (see
//! [`crate::scenario::bounds`]).

use super::CliError;
use crate::scenario::bounds::{
    check_bounds, parse_bytes, Limits, RunShape, DEFAULT_MAX_EVENTS, MAX_INTERVAL_ROWS,
};
use crate::scenario::Scenario;
use clap::Args;
use std::path::Path;

/// The bounds on the command line; both default to what this machine can
/// take, and a bigger machine may raise them on purpose.
#[derive(Debug, Args)]
pub(super) struct LimitArgs {
    /// Most memory the run is estimated to need (e.g. 12GB, 8GiB);
    /// default the least of half this machine's memory, the memory limit
    /// of its control group (a container's or pod's: cgroup memory.max)
    /// and the process's address-space limit (ulimit -v).
    #[arg(long, value_name = "SIZE", value_parser = parse_bytes)]
    max_memory: Option<u64>,
    /// Most events the whole run (all replications) is estimated to
    /// process; default 1e10, some hours of computing.
    #[arg(long, value_name = "N", value_parser = positive_count)]
    max_events: Option<f64>,
    /// Most rows intervals.csv may get (intervals × (queues + 1));
    /// default 2e6, about 300 MB of CSV.
    #[arg(long, value_name = "N", value_parser = positive_count)]
    max_interval_rows: Option<f64>,
}

fn positive_count(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(n) if n >= 1.0 && n.is_finite() => Ok(n),
        _ => Err(format!("\"{text}\" is not a count; expected e.g. 1e10")),
    }
}

impl LimitArgs {
    /// The limits asked for, defaults filled in.
    pub(super) fn limits(&self) -> Limits {
        let machine = Limits::for_this_machine();
        Limits {
            max_memory: self.max_memory.unwrap_or(machine.max_memory),
            max_events: self.max_events.unwrap_or(DEFAULT_MAX_EVENTS),
            max_interval_rows: self.max_interval_rows.unwrap_or(MAX_INTERVAL_ROWS),
        }
    }

    /// Refuses, with exit 1 and an error located in `file`, a run of
    /// `scenario` shaped by `shape` that passes a bound.
    pub(super) fn enforce(
        &self,
        scenario: &Scenario,
        file: &Path,
        shape: RunShape,
    ) -> Result<(), CliError> {
        check_bounds(scenario, shape, &self.limits())
            .map(|_| ())
            .map_err(|e| CliError::invalid(e.locate(file)))
    }
}

/// `--jobs`, or the number of cores.
pub(super) fn jobs(flag: Option<u32>) -> u32 {
    flag.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get() as u32))
        .max(1)
}
