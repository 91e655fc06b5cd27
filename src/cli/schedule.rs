//! `omnisim schedule`: shifts and breaks at least cost that meet every
//! target (see [`crate::schedule`]).
//!
//! Its files are a set like a plan's: written into a staging folder and
//! switched in whole ([`crate::output::staging`]). While it computes,
//! nothing is on disk and a signal ends it at once; while it writes, a
//! signal leaves the previous files as they were.

use super::signals::{ExitAtOnce, Signals};
use super::CliError;
use crate::plan::{JudgeRule, PlanError, PlanOptions};
use crate::scenario::bounds::RunShape;
use crate::scenario::Scenario;
use crate::schedule::output::{describe_misses, render_table, write_schedule};
use crate::schedule::{schedule, Progress, ScheduleError};
use clap::Args;
use std::path::PathBuf;

/// Find the shifts and breaks, at least cost, that meet every queue's
/// targets: plan the head-count, cover it with the shifts a rules file
/// allows (an integer programme), simulate the roster and raise the
/// requirement where a target is missed, until every target is met;
/// write roster.csv, schedule.json and schedule.html.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    cargo run --release -- schedule scenarios/bank_day.toml --rules scenarios/shifts/bank_day.toml\n  \
    cargo run --release -- schedule scenarios/bank_day.toml --rules scenarios/shifts/bank_day.toml --jobs 2 --out /tmp/bank-schedule")]
pub(super) struct ScheduleArgs {
    /// The scenario file (TOML); its queues must set targets.
    file: PathBuf,
    /// The shift rules (TOML): shift lengths, starts, breaks, per-group
    /// cost and limits.
    #[arg(long)]
    rules: PathBuf,
    /// Output folder; default results/<scenario name>_schedule.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Replications each candidate head-count of the plan starts with
    /// (at least 2); default the scenario's, at least 10.
    #[arg(long, value_parser = clap::value_parser!(u32).range(2..))]
    replications: Option<u32>,
    /// Most replications per candidate of the plan.
    #[arg(long, default_value_t = crate::plan::DEFAULT_MAX_REPLICATIONS, value_parser = clap::value_parser!(u32).range(2..))]
    max_replications: u32,
    /// Most agents on the floor, as for `plan` (N, or GROUP=N,...).
    #[arg(long, value_name = "N|GROUP=N,...")]
    max_agents: Vec<String>,
    /// Threads running replications; the schedule does not depend on it.
    /// Default: the number of cores.
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..))]
    jobs: Option<u32>,
    /// Base seed (overrides [simulation] seed).
    #[arg(long)]
    seed: Option<u64>,
    /// Also write results.xlsx: the roster as a workbook sheet.
    #[arg(long)]
    xlsx: bool,
    #[command(flatten)]
    output: super::OutputArgs,
    #[command(flatten)]
    limits: super::limits::LimitArgs,
}

pub(super) fn schedule_command(args: ScheduleArgs) -> Result<(), CliError> {
    let computing = ExitAtOnce::install()?;
    let mut scenario = Scenario::from_path(&args.file).map_err(CliError::invalid)?;
    if let Some(seed) = args.seed {
        scenario.simulation.seed = seed;
    }
    let rules = crate::schedule::rules::read(&args.rules, &scenario).map_err(CliError::invalid)?;
    let dir = super::output_folder(
        args.out.as_deref(),
        &scenario.simulation.name,
        "_schedule",
        "the schedule files",
    )?;
    // Said before the search, which may take minutes, rather than after.
    crate::output::check_target(&dir).map_err(CliError::output)?;
    let options = PlanOptions {
        replications: args
            .replications
            .unwrap_or(scenario.simulation.replications.max(10)),
        jobs: super::plan::jobs(args.jobs),
        max_agents: super::plan::max_agents(&args.max_agents)?,
        max_replications: args.max_replications,
        rule: JudgeRule::Mean,
        ..PlanOptions::default()
    };
    let shape = RunShape {
        replications: options.replications.max(options.max_replications),
        parallel: (options.jobs as u32).min(options.replications),
        replications_from_flag: args.replications.is_some(),
    };
    args.limits.enforce(&scenario, &args.file, shape)?;
    let show = !args.output.quiet;
    let plan_bar = super::progress::steps_bar(
        show,
        crate::plan::interval_count(&scenario) as u64,
        "intervals planned",
    );
    let mut check_bar: Option<indicatif::ProgressBar> = None;
    let mut progress = |p: Progress<'_>| match p {
        Progress::Planned(iv) => {
            plan_bar.set_message(format!("planned {}", iv.start));
            plan_bar.inc(1);
        }
        Progress::Checked(it) => {
            plan_bar.finish_and_clear();
            let bar = check_bar.get_or_insert_with(|| {
                super::progress::steps_bar(show, u64::from(rules.max_iterations), "solves at most")
            });
            bar.println(format!(
                "roster of cost {:.1} ({:.1} paid hours): {} target{} missed, {} requirement{} raised",
                it.cost,
                it.paid_hours,
                it.misses.len(),
                if it.misses.len() == 1 { "" } else { "s" },
                it.cuts,
                if it.cuts == 1 { "" } else { "s" }
            ));
            bar.inc(1);
        }
    };
    let result = schedule(&args.file, &scenario, &rules, &options, &mut progress);
    plan_bar.finish_and_clear();
    if let Some(b) = &check_bar {
        b.finish_and_clear();
    }
    let found = result.map_err(|e| match e {
        ScheduleError::Plan(
            PlanError::Unreachable { .. }
            | PlanError::NoTargets
            | PlanError::TooFewReplications(_)
            | PlanError::Limits(_),
        )
        | ScheduleError::Rules(_)
        | ScheduleError::Covering { .. } => {
            CliError::invalid(format!("{}: {e}", args.file.display()))
        }
        ScheduleError::Scenario(e) => CliError::invalid(e),
        ScheduleError::Plan(PlanError::Run(_)) | ScheduleError::Run(_) => {
            CliError::failure(format!("{}: {e}", args.file.display()))
        }
        ScheduleError::Io(e) => CliError::failure(format!("{}: {e}", args.file.display())),
    })?;
    let signals = Signals::install()?;
    drop(computing);
    let written =
        super::result_set::write_set(&dir, "schedule", "roster", args.xlsx, &signals, |d| {
            write_schedule(d, &found, &scenario, &rules)
        })?;
    if !found.misses.is_empty() {
        eprintln!(
            "warning: after {} solves some targets are still missed: {}; raise max_iterations in the rules, or allow more shifts",
            found.iterations.len(),
            describe_misses(&found, &scenario)
        );
    }
    if args.output.json {
        super::print_json(&serde_json::json!({
            "scenario": scenario.simulation.name,
            "out": dir.display().to_string(),
            "files": super::paths_json(&written),
            "cost": found.cost(),
            "lp_bound": found.lp_bound(),
            "targets_met": found.misses.is_empty(),
        }))?;
    } else if args.output.text() {
        print!("{}", render_table(&found, &scenario, &rules));
        println!("schedule in {}:", dir.display());
        for p in &written {
            println!("  {}", p.display());
        }
    }
    Ok(())
}
