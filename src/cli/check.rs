//! `omnisim check`: validate a scenario and summarise it.

use super::{CliError, OutputArgs};
use crate::scenario::bounds::RunShape;
use crate::scenario::{render_summary, Scenario};
use clap::Args;
use std::path::PathBuf;

/// Validate a scenario file and print a one-screen summary.
#[derive(Debug, Args)]
#[command(after_help = "Example:\n  omnisim check scenarios/support_centre.toml")]
pub(super) struct CheckArgs {
    /// The scenario file (TOML).
    file: PathBuf,
    #[command(flatten)]
    limits: super::limits::LimitArgs,
    #[command(flatten)]
    output: OutputArgs,
}

pub(super) fn check(args: CheckArgs) -> Result<(), CliError> {
    let scenario =
        Scenario::from_path_within(&args.file, &args.limits.limits()).map_err(CliError::invalid)?;
    // Before anything that walks the intervals or the agents.
    let shape = RunShape::of(&scenario, super::limits::jobs(None));
    args.limits.enforce(&scenario, &args.file, shape)?;
    super::print_warnings(&scenario);
    let floor = print_floor_warnings(&scenario);
    if args.output.json {
        let warnings: Vec<String> = scenario.warnings.iter().chain(&floor).cloned().collect();
        return super::print_json(&serde_json::json!({
            "file": args.file.display().to_string(),
            "ok": true,
            "name": scenario.simulation.name,
            "warnings": warnings,
        }));
    }
    if args.output.text() {
        print!("{}", render_summary(&scenario));
        println!("{}: ok", args.file.display());
    }
    Ok(())
}

/// Most per-interval floor warnings printed; the rest are counted.
const MAX_FLOOR_WARNINGS: usize = 12;

/// The planning warnings of [`crate::plan::floor_check`], on stderr like
/// the scenario's own warnings; returns them all for `--json`.
fn print_floor_warnings(scenario: &Scenario) -> Vec<String> {
    let warnings = crate::plan::floor_check::floor_warnings(scenario);
    for w in warnings.iter().take(MAX_FLOOR_WARNINGS) {
        eprintln!("warning: {w}");
    }
    if warnings.len() > MAX_FLOOR_WARNINGS {
        eprintln!(
            "warning: … and {} more intervals like these",
            warnings.len() - MAX_FLOOR_WARNINGS
        );
    }
    warnings
}
