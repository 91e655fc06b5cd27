//! `omnisim replay`: the calibrated model on the real day, beside the
//! real day (see [`crate::replay`]). Its files are a set, written into a
//! staging folder and switched in whole.

use super::signals::Signals;
use super::{CliError, OutputArgs};
use crate::replay::{replay, write_replay, ReplayError, ReplayOptions, SetEdit};
use clap::Args;
use std::fmt::Write as _;
use std::path::PathBuf;

/// Replay a Salesforce export's day through its calibrated model (or a
/// given scenario): real arrival instants and presence, simulated
/// answers; replay.csv, replay.json and replay.html set the simulated
/// days beside the real one.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    omnisim replay results/day/salesforce --out results/day_replay\n  \
    omnisim replay export/ --scenario model/scenario.toml --set agents.Claims.count=+3\n\n\
    --set takes any sweep key path (agents.GROUP.count, queues.QUEUE.push_timeout, …);\n\
    +N / -N change a number by N.")]
pub(super) struct ReplayArgs {
    /// The export folder.
    export: PathBuf,
    /// The scenario to replay; default: the export's calibration, whose
    /// files are written beside the replay's.
    #[arg(long)]
    scenario: Option<PathBuf>,
    /// Output folder; default results/<name>_replay.
    #[arg(long)]
    out: Option<PathBuf>,
    /// A what-if: KEY=VALUE, KEY a sweep key path (repeatable).
    #[arg(long = "set", value_name = "KEY=VALUE")]
    set: Vec<String>,
    /// Replications (at least 2); default the scenario's.
    #[arg(long, value_parser = clap::value_parser!(u32).range(2..))]
    replications: Option<u32>,
    /// Threads running replications; results do not depend on it.
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..))]
    jobs: Option<u32>,
    /// Give each item the handle time it took that day, instead of a draw.
    #[arg(long)]
    real_handle_times: bool,
    #[command(flatten)]
    model: super::calibrate::ModelArgs,
    /// Also write the first replication's day as a Salesforce export.
    #[arg(long)]
    salesforce: bool,
    #[command(flatten)]
    output: OutputArgs,
}

pub(super) fn replay_command(args: ReplayArgs) -> Result<(), CliError> {
    let signals = Signals::install()?;
    let calibrate = args.model.options()?;
    let edits = args
        .set
        .iter()
        .map(|s| SetEdit::parse(s).map_err(CliError::invalid))
        .collect::<Result<Vec<_>, _>>()?;
    let dir = super::output_folder(
        args.out.as_deref(),
        &args.model.name,
        "_replay",
        "the replay files",
    )?;
    let staging = crate::output::Staging::begin(&dir).map_err(CliError::output)?;
    let kept = if dir.exists() {
        format!("the files in `{}` are as they were", dir.display())
    } else {
        "no file was written".to_string()
    };
    let options = ReplayOptions {
        scenario: args.scenario.clone(),
        edits,
        replications: args.replications,
        jobs: super::limits::jobs(args.jobs) as usize,
        real_handle_times: args.real_handle_times,
        salesforce: args.salesforce,
        calibrate,
    };
    let r = replay(&args.export, staging.dir(), &options, signals.stop()).map_err(|e| match e {
        ReplayError::Run(e) => signals.run_error(e, &kept),
        ReplayError::Calibrate(e) => super::calibrate::calibrate_error(e),
        e @ ReplayError::Scenario(_) => CliError::invalid(e),
        e => CliError::failure(e),
    })?;
    signals.check(&kept)?;
    let mut written = r.files.clone();
    written.extend(write_replay(&r, staging.dir()).map_err(CliError::failure)?);
    signals.check(&kept)?;
    let written: Vec<PathBuf> = written.iter().map(|p| staging.final_path(p)).collect();
    staging.commit().map_err(CliError::output)?;
    if args.output.json {
        super::print_json(&serde_json::json!({
            "out": dir.display().to_string(),
            "files": super::paths_json(&written),
            "summary": r.summary,
        }))?;
    } else if args.output.text() {
        let mut o = String::new();
        let _ = writeln!(
            o,
            "replayed {} through {} ({} replications{}{})",
            r.calibration.export.dir.display(),
            r.scenario_file.display(),
            r.replications,
            if r.real_handle_times {
                ", real handle times"
            } else {
                ""
            },
            if r.edits.is_empty() {
                String::new()
            } else {
                format!(
                    ", {}",
                    r.edits
                        .iter()
                        .map(|e| format!("{}={}", e.key, e.value))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            }
        );
        let _ = writeln!(
            o,
            "{:<14} {:>9} {:>16} {:>16} {:>20}",
            "metric", "compared", "mean abs. error", "mean sim − act", "actual in day range"
        );
        for s in &r.summary {
            let _ = writeln!(
                o,
                "{:<14} {:>9} {:>16} {:>16} {:>13} ({:>3.0}%)",
                s.metric,
                s.compared,
                s.mean_absolute_error
                    .map_or("–".into(), |m| format!("{m:.4}")),
                s.mean_difference.map_or("–".into(), |m| format!("{m:+.4}")),
                s.in_day_range,
                100.0 * s.in_day_range as f64 / s.compared.max(1) as f64
            );
        }
        for n in &r.notes {
            let _ = writeln!(o, "note: {n}");
        }
        print!("{o}");
        println!("replay in {}:", dir.display());
        for p in &written {
            println!("  {}", p.display());
        }
    }
    Ok(())
}
