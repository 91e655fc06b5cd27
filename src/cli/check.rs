//! `omnisim check`: validate a scenario and summarise it.

use super::CliError;
use crate::scenario::{render_summary, Scenario};
use clap::Args;
use std::path::PathBuf;

/// Validate a scenario file and print a one-screen summary.
#[derive(Debug, Args)]
#[command(after_help = "Example:\n  omnisim check scenarios/support_centre.toml")]
pub(super) struct CheckArgs {
    /// The scenario file (TOML).
    file: PathBuf,
}

pub(super) fn check(args: CheckArgs) -> Result<(), CliError> {
    let scenario = Scenario::from_path(&args.file).map_err(CliError::invalid)?;
    super::print_warnings(&scenario);
    print!("{}", render_summary(&scenario));
    println!("{}: ok", args.file.display());
    Ok(())
}
