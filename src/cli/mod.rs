//! The `omnisim` command line.
//!
//! `main` parses arguments, runs one subcommand and prints any error once
//! to stderr. Exit codes are fixed:
//!
//! | code | meaning |
//! |---|---|
//! | 0 | success |
//! | 1 | invalid input (scenario file, arguments, Erlang parameters, an output folder holding files omnisim did not write) |
//! | 2 | runtime or I/O failure (e.g. results could not be written) |
//! | 130 | interrupted by SIGINT (Ctrl-C): the previous results are as they were, nothing of the run is left |
//! | 143 | terminated by SIGTERM: likewise |
//!
//! `serve` is the exception: a signal is how a served run ends early, so
//! it writes the results of the run so far before exiting 130 or 143
//! (see `serve`'s module).
//!
//! 130 and 143 are 128 + the signal's number, as a shell reports a
//! process a signal ended; docs/results-format.md ("How the files are
//! written") says when a signal is acted on and what it leaves.

mod bench;
mod calibrate;
mod check;
mod erlang;
mod limits;
mod load;
mod plan;
mod progress;
mod replay;
mod report;
mod result_set;
mod run;
mod salesforce;
mod schedule;
mod serve;
mod signals;
mod sweep;
mod trace;
mod trace_jsonl;
mod validate;

use clap::{Args, Parser, Subcommand};
use std::fmt;

/// Exit code: invalid input.
pub const EXIT_INVALID: i32 = 1;
/// Exit code: runtime or I/O failure.
pub const EXIT_FAILURE: i32 = 2;
/// Exit code: stopped by SIGINT (Ctrl-C).
pub const EXIT_INTERRUPTED: i32 = 130;

#[derive(Debug, Parser)]
#[command(
    name = "omnisim",
    version,
    about = "Simulate Salesforce Omni-Channel style work routing",
    long_about = "Simulate Salesforce Omni-Channel style work routing: agents as actors, \
                  a router pushing work, a toolkit API, in virtual time.",
    after_help = "Start with:\n  omnisim check scenarios/quickstart.toml\n  omnisim run scenarios/quickstart.toml"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    Run(run::RunArgs),
    Check(check::CheckArgs),
    Erlang(erlang::ErlangArgs),
    Validate(validate::ValidateArgs),
    Report(report::ReportArgs),
    Trace(trace::TraceArgs),
    Bench(bench::BenchArgs),
    Load(load::LoadArgs),
    Plan(plan::PlanArgs),
    Schedule(schedule::ScheduleArgs),
    Sweep(sweep::SweepArgs),
    Merge(sweep::MergeArgs),
    Serve(serve::ServeArgs),
    Calibrate(calibrate::CalibrateArgs),
    Replay(replay::ReplayArgs),
}

/// An error for the user: printed once, then the process exits with `code`.
#[derive(Debug)]
pub struct CliError {
    code: i32,
    message: String,
}

impl CliError {
    fn invalid(message: impl fmt::Display) -> CliError {
        CliError {
            code: EXIT_INVALID,
            message: message.to_string(),
        }
    }
    fn failure(message: impl fmt::Display) -> CliError {
        CliError {
            code: EXIT_FAILURE,
            message: message.to_string(),
        }
    }
    fn interrupted(message: impl fmt::Display) -> CliError {
        CliError {
            code: EXIT_INTERRUPTED,
            message: message.to_string(),
        }
    }
    /// Stopped by signal `sig`: exit 128 + its number.
    fn signalled(sig: i32, message: impl fmt::Display) -> CliError {
        CliError {
            code: 128 + sig,
            message: message.to_string(),
        }
    }
    /// A result set that could not be written: the output folder's
    /// mistakes are the user's (exit 1), the rest the machine's (exit 2).
    fn output(e: crate::output::OutputError) -> CliError {
        if e.is_input_error() {
            CliError::invalid(e)
        } else {
            CliError::failure(e)
        }
    }
}

/// Runs the command line; returns the process exit code.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_INVALID } else { 0 };
            let _ = e.print();
            return code;
        }
    };
    let result = match cli.command {
        Command::Run(a) => run::run(a),
        Command::Check(a) => check::check(a),
        Command::Erlang(a) => erlang::erlang(a),
        Command::Validate(a) => validate::validate(a),
        Command::Report(a) => report::report(a),
        Command::Trace(a) => trace::trace(a),
        Command::Bench(a) => bench::bench(a),
        Command::Load(a) => load::load(a),
        Command::Plan(a) => plan::plan_command(a),
        Command::Schedule(a) => schedule::schedule_command(a),
        Command::Sweep(a) => sweep::sweep(a),
        Command::Merge(a) => sweep::merge_command(a),
        Command::Serve(a) => serve::serve_command(a),
        Command::Calibrate(a) => calibrate::calibrate_command(a),
        Command::Replay(a) => replay::replay_command(a),
    };
    match result {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("error: {}", e.message);
            e.code
        }
    }
}

/// What a command prints on stdout: its text for a person, nothing but
/// errors (`--quiet`), or one JSON document for a program (`--json`).
/// Shared so every command spells the two flags alike; warnings and
/// progress stay on stderr in every mode.
#[derive(Debug, Clone, Copy, Args)]
struct OutputArgs {
    /// Print nothing but errors (and warnings) on stderr.
    #[arg(long, conflicts_with = "json")]
    quiet: bool,
    /// Print one JSON document on stdout instead of text.
    #[arg(long)]
    json: bool,
}

impl OutputArgs {
    /// Whether the text for a person is printed.
    fn text(self) -> bool {
        !self.quiet && !self.json
    }
}

/// Prints `value` as one pretty JSON document on stdout.
fn print_json(value: &serde_json::Value) -> Result<(), CliError> {
    let text = serde_json::to_string_pretty(value).map_err(CliError::failure)?;
    println!("{text}");
    Ok(())
}

/// The paths of written files as JSON strings.
fn paths_json(paths: &[std::path::PathBuf]) -> serde_json::Value {
    paths
        .iter()
        .map(|p| serde_json::Value::from(p.display().to_string()))
        .collect()
}

/// Parses a duration argument: a plain number of seconds or a string with
/// units (`30s`, `6m`, `1h30m`).
fn parse_secs(text: &str) -> Result<f64, String> {
    if let Ok(v) = text.trim().parse::<f64>() {
        return Ok(v);
    }
    crate::time::parse_duration(text).map(|d| d.as_secs_f64())
}

/// Reads the scenario `file` a command simulates, validated within
/// `limits`, with `--seed` applied when given; its warnings go to stderr
/// unless `quiet`.
fn load_scenario(
    file: &std::path::Path,
    seed: Option<u64>,
    quiet: bool,
    limits: &crate::scenario::bounds::Limits,
) -> Result<crate::scenario::Scenario, CliError> {
    let mut scenario =
        crate::scenario::Scenario::from_path_within(file, limits).map_err(CliError::invalid)?;
    if !quiet {
        print_warnings(&scenario);
    }
    if let Some(seed) = seed {
        scenario.simulation.seed = seed;
    }
    Ok(scenario)
}

/// The folder a command writes `what` into: `--out`, else
/// `results/<name><suffix>` (`name` is the scenario's, or the model's a
/// calibration names); refused when it is a file.
fn output_folder(
    out: Option<&std::path::Path>,
    name: &str,
    suffix: &str,
    what: &str,
) -> Result<std::path::PathBuf, CliError> {
    let dir = out.map(std::path::Path::to_path_buf).unwrap_or_else(|| {
        std::path::Path::new("results").join(format!("{}{suffix}", run::slug(name)))
    });
    if dir.exists() && !dir.is_dir() {
        return Err(CliError::invalid(format!(
            "--out `{}` is a file, not a folder; expected a folder for {what}",
            dir.display()
        )));
    }
    Ok(dir)
}

/// Prints the scenario's warnings (legal but probably not meant: a rate
/// profile shorter than the day, forecast rows nobody reads) to stderr,
/// one `warning:` line each, so they never mix with results on stdout.
fn print_warnings(scenario: &crate::scenario::Scenario) {
    for w in &scenario.warnings {
        eprintln!("warning: {w}");
    }
}
