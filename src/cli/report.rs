//! `omnisim report`: write report.html for a results folder.

use super::CliError;
use crate::report::write_report;
use clap::Args;
use std::path::PathBuf;

/// Write report.html (tables and charts) into a results folder.
///
/// One self-contained page, viewable offline: the summary with 95%
/// confidence intervals, charts per interval and queue, queue length over
/// time, the distribution of waits and agent occupancy.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    omnisim run scenarios/quickstart.toml --out results/quickstart\n  \
    omnisim report results/quickstart        # writes results/quickstart/report.html\n  \
    omnisim run scenarios/quickstart.toml --report   # both in one step")]
pub(super) struct ReportArgs {
    /// The results folder written by `omnisim run` (holds summary.json,
    /// intervals.csv, agents.csv and work.csv).
    dir: PathBuf,
    /// Print nothing but errors.
    #[arg(long, conflicts_with = "json")]
    quiet: bool,
    /// Print `{"report": PATH}` as JSON instead of text.
    #[arg(long)]
    json: bool,
}

pub(super) fn report(args: ReportArgs) -> Result<(), CliError> {
    let path = write_report(&args.dir).map_err(|e| {
        // A missing or malformed folder is the user's input; a failure to
        // read or write an existing file is a runtime failure.
        if e.is_input_error() {
            CliError::invalid(e)
        } else {
            CliError::failure(e)
        }
    })?;
    if args.json {
        super::print_json(&serde_json::json!({ "report": path.display().to_string() }))?;
    } else if !args.quiet {
        println!("report written to {}", path.display());
    }
    Ok(())
}
