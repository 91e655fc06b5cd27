//! `omnisim report`: write report.html for a results folder.
//!
//! The report is one file added to an existing set, atomically
//! ([`crate::output::AtomicFile`]); it describes the set it is written
//! into, so the set stays consistent without a staging folder. A signal
//! while it renders ends the command at once (nothing is on disk yet); one
//! while it writes removes the unfinished file ([`super::signals`]).

use super::signals::{ExitAtOnce, Signals};
use super::CliError;
use crate::output::AtomicFile;
use crate::report::{render_report, ReportError, REPORT_FILE};
use clap::Args;
use std::io::Write;
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
    let rendering = ExitAtOnce::install()?;
    let text = render_report(&args.dir).map_err(|e| {
        // A missing or malformed folder is the user's input; a failure to
        // read an existing file is a runtime failure.
        if e.is_input_error() {
            CliError::invalid(e)
        } else {
            CliError::failure(e)
        }
    })?;
    let signals = Signals::install()?;
    drop(rendering);
    let path = args.dir.join(REPORT_FILE);
    let fail = |source| {
        CliError::failure(ReportError::Write {
            path: path.clone(),
            source,
        })
    };
    let mut file = AtomicFile::create(&args.dir, REPORT_FILE).map_err(fail)?;
    file.write_all(text.as_bytes()).map_err(fail)?;
    // Dropped uncommitted, the unfinished file is removed.
    signals.check("report.html is as it was")?;
    let path = file.commit().map_err(fail)?;
    if args.json {
        super::print_json(&serde_json::json!({ "report": path.display().to_string() }))?;
    } else if !args.quiet {
        println!("report written to {}", path.display());
    }
    Ok(())
}
