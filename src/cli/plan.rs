//! `omnisim plan`: the head-count per interval and group that meets every
//! queue's targets (see [`crate::plan`]).
//!
//! The plan's files are a set like a run's: written into a staging folder
//! and switched in whole ([`crate::output::staging`]). While it plans,
//! nothing is on disk and a signal ends it at once; while it writes, a
//! signal leaves the previous plan as it was ([`super::signals`]).

use super::signals::{ExitAtOnce, Signals};
use super::CliError;
use crate::plan::output::write_plan;
use crate::plan::table::render_table;
use crate::plan::{plan, JudgeRule, MaxAgents, PlanError, PlanOptions, Strategy};
use crate::scenario::bounds::RunShape;
use crate::scenario::Scenario;
use clap::Args;
use std::path::PathBuf;

/// Find the agents each group needs on the floor in each interval to meet
/// every queue's targets, by simulation; write staffing.csv, plan.json
/// and staffing.html.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    cargo run --release -- plan scenarios/bank_day.toml\n  \
    cargo run --release -- plan scenarios/bank_day.toml --replications 20 --jobs 2 --out /tmp/bank-plan\n  \
    cargo run --release -- plan scenarios/insurer.toml --max-agents Seniors=6,Bilingual=8")]
pub(super) struct PlanArgs {
    /// The scenario file (TOML); its queues must set targets.
    file: PathBuf,
    /// Output folder; default results/<scenario name>_plan.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Replications per candidate head-count (at least 2); default the
    /// scenario's, at least 10.
    #[arg(long, value_parser = clap::value_parser!(u32).range(2..))]
    replications: Option<u32>,
    /// Threads running replications; the plan does not depend on it.
    /// Default: the number of cores.
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..))]
    jobs: Option<u32>,
    /// Most agents on the floor: a number for every group, or GROUP=N
    /// for named groups (`Seniors=6,Bilingual=8`), or both. A group named
    /// here, then the group's own max_agents, then the plain number;
    /// default three times the group's roster.
    #[arg(long, value_name = "N|GROUP=N,...")]
    max_agents: Vec<String>,
    /// How a target is judged: on its mean, with replications added while
    /// its confidence interval straddles it (`mean`), or met only when its
    /// whole 95% interval is on the right side (`lower-bound`).
    #[arg(long, value_enum, default_value_t = JudgeArg::Mean)]
    judge: JudgeArg,
    /// How the work is split between groups: from the cheapest mix of a
    /// linear programme, trimming the dearest group first (`cheapest`),
    /// or the earlier even split, trimming the largest group first (`even`).
    #[arg(long, value_enum, default_value_t = SplitArg::Cheapest)]
    split: SplitArg,
    /// Keep adding replications to each candidate until the judged
    /// figures' 95% CI half-widths are at most these, e.g.
    /// `service_level=0.02,asa_s=5` (metrics as in `run --precision`).
    #[arg(long, value_name = "METRIC=HALF_WIDTH,...")]
    precision: Vec<String>,
    /// Most replications per candidate: a candidate whose targets' 95%
    /// intervals still straddle them (or are wider than --precision) gets
    /// more, up to this; then its mean decides. Default 40, or 200 with
    /// --precision.
    #[arg(long, value_parser = clap::value_parser!(u32).range(2..))]
    max_replications: Option<u32>,
    /// Simulated time before each judged interval, staffed as already
    /// planned, that brings in the backlog of the day so far.
    #[arg(long, default_value = "1h", value_name = "DURATION")]
    lookback: String,
    /// Base seed (overrides [simulation] seed).
    #[arg(long)]
    seed: Option<u64>,
    /// Print nothing but errors.
    #[arg(long, conflicts_with = "json")]
    quiet: bool,
    #[command(flatten)]
    limits: super::limits::LimitArgs,
    /// Print the output folder and the files written as one JSON document
    /// instead of the table.
    #[arg(long)]
    json: bool,
    /// Also write results.xlsx: the staffing table as a workbook sheet.
    #[arg(long)]
    xlsx: bool,
}

/// `--judge`.
#[derive(Copy, Clone, Debug, clap::ValueEnum)]
enum JudgeArg {
    Mean,
    LowerBound,
}

/// `--split`.
#[derive(Copy, Clone, Debug, clap::ValueEnum)]
enum SplitArg {
    Cheapest,
    Even,
}

/// `--jobs`, or the number of cores.
pub(super) fn jobs(arg: Option<u32>) -> usize {
    arg.map_or_else(
        || std::thread::available_parallelism().map_or(1, |n| n.get()),
        |j| j as usize,
    )
}

/// `--max-agents`, each use parsed and merged.
pub(super) fn max_agents(values: &[String]) -> Result<MaxAgents, CliError> {
    let mut out = MaxAgents::default();
    for v in values {
        let parsed =
            MaxAgents::parse(v).map_err(|e| CliError::invalid(format!("--max-agents {v}: {e}")))?;
        out.merge(parsed)
            .map_err(|e| CliError::invalid(format!("--max-agents: {e}")))?;
    }
    Ok(out)
}

pub(super) fn plan_command(args: PlanArgs) -> Result<(), CliError> {
    let planning = ExitAtOnce::install()?;
    let mut scenario =
        Scenario::from_path_within(&args.file, &args.limits.limits()).map_err(CliError::invalid)?;
    if let Some(seed) = args.seed {
        scenario.simulation.seed = seed;
    }
    let dir = super::output_folder(
        args.out.as_deref(),
        &scenario.simulation.name,
        "_plan",
        "the plan files",
    )?;
    // Said before the planning, which may take minutes, rather than after.
    crate::output::check_target(&dir).map_err(CliError::output)?;
    let mut precision = Vec::new();
    for p in &args.precision {
        precision.extend(
            crate::stats::precision::parse_precision(p)
                .map_err(|e| CliError::invalid(format!("--precision: {e}")))?,
        );
    }
    let lookback = super::parse_secs(&args.lookback)
        .ok()
        .filter(|s| s.is_finite() && *s >= 0.0)
        .ok_or_else(|| {
            CliError::invalid(format!(
                "--lookback {}: expected a duration such as 1h or 30m",
                args.lookback
            ))
        })?;
    let step = scenario.simulation.interval.as_secs_f64();
    let options = PlanOptions {
        replications: args
            .replications
            .unwrap_or(scenario.simulation.replications.max(10)),
        jobs: jobs(args.jobs),
        max_agents: max_agents(&args.max_agents)?,
        lookback: (lookback / step).ceil() as usize,
        precision: precision.clone(),
        max_replications: args.max_replications.unwrap_or(if precision.is_empty() {
            crate::plan::DEFAULT_MAX_REPLICATIONS
        } else {
            crate::plan::PRECISION_MAX_REPLICATIONS
        }),
        rule: match args.judge {
            JudgeArg::Mean => JudgeRule::Mean,
            JudgeArg::LowerBound => JudgeRule::LowerBound,
        },
        strategy: match args.split {
            SplitArg::Cheapest => Strategy::Cheapest,
            SplitArg::Even => Strategy::OneMinimal,
        },
    };
    let shape = RunShape {
        replications: if options.precision.is_empty() {
            options.replications
        } else {
            options.replications.max(options.max_replications)
        },
        parallel: (options.jobs as u32).min(options.replications),
        replications_from_flag: args.replications.is_some(),
    };
    args.limits.enforce(&scenario, &args.file, shape)?;
    let groups: Vec<String> = scenario.agents.iter().map(|g| g.group.clone()).collect();
    let bar = super::progress::steps_bar(
        !args.quiet,
        crate::plan::interval_count(&scenario) as u64,
        "intervals",
    );
    let mut progress = |iv: &crate::plan::PlannedInterval| {
        let heads: Vec<String> = groups
            .iter()
            .zip(&iv.agents_required)
            .map(|(g, n)| format!("{g} {n}"))
            .collect();
        bar.println(format!(
            "{}: {} ({} candidates)",
            iv.start,
            heads.join(", "),
            iv.evaluations
        ));
        bar.inc(1);
    };
    let planned = plan(&scenario, &options, &mut progress);
    bar.finish_and_clear();
    let planned = planned.map_err(|e| match e {
        PlanError::Unreachable { .. }
        | PlanError::NoTargets
        | PlanError::TooFewReplications(_)
        | PlanError::Limits(_) => CliError::invalid(format!("{}: {e}", args.file.display())),
        PlanError::Run(_) => CliError::failure(format!("{}: {e}", args.file.display())),
    })?;
    let signals = Signals::install()?;
    drop(planning);
    let written =
        super::result_set::write_set(&dir, "plan", "staffing", args.xlsx, &signals, |d| {
            write_plan(d, &planned, &scenario)
        })?;
    if args.json {
        super::print_json(&serde_json::json!({
            "scenario": scenario.simulation.name,
            "out": dir.display().to_string(),
            "files": super::paths_json(&written),
        }))?;
    } else if !args.quiet {
        print!("{}", render_table(&planned, &scenario));
        println!("plan in {}:", dir.display());
        for p in &written {
            println!("  {}", p.display());
        }
    }
    Ok(())
}
