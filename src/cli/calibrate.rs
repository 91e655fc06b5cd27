//! `omnisim calibrate`: an org's export in, a runnable model out (see
//! [`crate::calibrate`]). The files are a set, written into a staging
//! folder and switched in whole.

use super::{CliError, OutputArgs};
use crate::calibrate::model::{Fitted, Patience};
use crate::calibrate::{calibrate, write_files, CalibrateError, CalibrateOptions, Calibration};
use crate::salesforce::when::parse_zone;
use clap::Args;
use std::fmt::Write as _;
use std::path::PathBuf;

/// Calibrate a scenario from a Salesforce export: scenario.toml,
/// forecast.csv, roster.csv, calibration.json and calibration.html.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    omnisim calibrate results/day/salesforce --out results/day_model\n  \
    omnisim calibrate export/ --out model/ --interval 15m --timezone Europe/Paris\n\n\
    The folder holds the CSV files of `sf data export bulk` (AgentWork.csv and\n\
    UserServicePresence.csv at least); docs/salesforce-data.md gives the commands.")]
pub(super) struct CalibrateArgs {
    /// The export folder.
    export: PathBuf,
    /// Output folder; default results/<name>.
    #[arg(long)]
    out: Option<PathBuf>,
    #[command(flatten)]
    model: ModelArgs,
    #[command(flatten)]
    output: OutputArgs,
}

/// How the model of an export is cut: shared by `calibrate` and `replay`.
#[derive(Debug, Clone, Args)]
pub(super) struct ModelArgs {
    /// The reporting and forecast interval of the model.
    #[arg(long, default_value = "30m", value_name = "DURATION")]
    interval: String,
    /// The centre's time zone (IANA name): the day's clock times are in it.
    #[arg(long, default_value = "UTC", value_name = "ZONE")]
    timezone: String,
    /// The calibrated scenario's name.
    #[arg(long, default_value = "calibrated")]
    pub(super) name: String,
}

impl ModelArgs {
    /// The calibration options these flags say.
    pub(super) fn options(&self) -> Result<CalibrateOptions, CliError> {
        options(&self.interval, &self.timezone, &self.name)
    }
}

fn options(interval: &str, timezone: &str, name: &str) -> Result<CalibrateOptions, CliError> {
    let interval_s = super::parse_secs(interval)
        .ok()
        .filter(|s| s.is_finite() && *s >= 60.0 && *s <= 86_400.0 && s.fract() == 0.0)
        .ok_or_else(|| {
            CliError::invalid(format!(
                "--interval {interval}: expected a whole number of seconds from 1m to 24h, such \
                 as 30m or 15m"
            ))
        })?;
    let zone = parse_zone(timezone).map_err(|e| CliError::invalid(format!("--timezone: {e}")))?;
    Ok(CalibrateOptions {
        zone,
        interval_s,
        name: name.to_string(),
    })
}

/// A calibration error as the command line reports it.
pub(super) fn calibrate_error(e: CalibrateError) -> CliError {
    match e {
        CalibrateError::Export(e) if e.is_input_error() => CliError::invalid(e),
        e => CliError::failure(e),
    }
}

pub(super) fn calibrate_command(args: CalibrateArgs) -> Result<(), CliError> {
    let options = args.model.options()?;
    let dir = super::output_folder(
        args.out.as_deref(),
        &args.model.name,
        "",
        "the calibration files",
    )?;
    crate::output::check_target(&dir).map_err(CliError::output)?;
    let c = calibrate(&args.export, options).map_err(|e| calibrate_error(e.into()))?;
    let staging = crate::output::Staging::begin(&dir).map_err(CliError::output)?;
    let (written, _) = write_files(&c, staging.dir()).map_err(calibrate_error)?;
    let written: Vec<PathBuf> = written.iter().map(|p| staging.final_path(p)).collect();
    staging.commit().map_err(CliError::output)?;
    if args.output.json {
        super::print_json(&serde_json::json!({
            "out": dir.display().to_string(),
            "files": super::paths_json(&written),
        }))?;
    } else if args.output.text() {
        print!("{}", summary(&c));
        println!("calibration in {}:", dir.display());
        for p in &written {
            println!("  {}", p.display());
        }
    }
    Ok(())
}

/// What `calibrate` prints: the day, each queue's fits, each group.
fn summary(c: &Calibration) -> String {
    let day = &c.day;
    let mut o = String::new();
    let _ = writeln!(
        o,
        "calibrated {} from {}: {} {}–{} {}, {} intervals of {}",
        c.options.name,
        c.export.dir.display(),
        day.local(day.start).date(),
        day.clock(day.start),
        day.clock(day.end()),
        day.zone,
        day.intervals(),
        crate::calibrate::write::scenario::humane(day.interval_s)
    );
    let _ = writeln!(
        o,
        "{:<12} {:>8}  {:<36} {:<22} wrap-up",
        "queue", "offered", "handle time", "patience"
    );
    for q in &c.queues {
        let handle = match &q.handle_time {
            Fitted::Families { fits, .. } => fits.first().map_or("–".into(), |f| {
                format!(
                    "{} mean {:.1} s sd {:.1} s",
                    f.family.name(),
                    f.mean_s,
                    f.sd_s
                )
            }),
            Fitted::Constant { value_s, .. } => format!("constant {value_s} s"),
            Fitted::None { .. } => "none handled to the end".into(),
        };
        let patience = match &q.patience {
            Patience::Estimated { exponential, .. } => {
                format!("exp. mean {:.1} s", exponential.mean_s)
            }
            Patience::NotEstimated { .. } => "not estimated".into(),
        };
        let wrap = q
            .wrap_up
            .mean_s()
            .map_or("–".into(), |m| format!("{m:.1} s"));
        let _ = writeln!(
            o,
            "{:<12} {:>8}  {:<36} {:<22} {}",
            q.name, q.offered, handle, patience, wrap
        );
    }
    let _ = writeln!(
        o,
        "{:<12} {:>6} {:>9} {:>11} {:>13} {:>12}",
        "group", "agents", "capacity", "P(decline)", "P(no answer)", "answer time"
    );
    for g in &c.groups {
        let a = &g.answering;
        let _ = writeln!(
            o,
            "{:<12} {:>6} {:>9} {:>11.4} {:>13.4} {:>12}",
            g.name,
            g.agents,
            g.capacity,
            a.decline_probability,
            a.no_answer_probability,
            a.response_mean_s
                .map_or("–".into(), |m| format!("{m:.1} s"))
        );
    }
    o
}
