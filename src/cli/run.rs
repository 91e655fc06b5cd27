//! `omnisim run`: simulate a scenario's replications and write results.
//!
//! The result set is written into a staging folder and switched in whole
//! at the end ([`crate::output::staging`]); SIGINT and SIGTERM stop the
//! run at any moment and leave the previous set as it was
//! ([`super::signals`]).

use super::signals::Signals;
use super::CliError;
use crate::analytic::{erlang_equivalent, evaluate};
use crate::engine::{run_replication, RunOptions};
use crate::events::EventSink;
use crate::output::{
    concat_work_parts_until, render_table, work_part_path, OutputError, ResultSet, Staging,
};
use crate::runner::{RunError, Runner};
use crate::salesforce::{DayPlacement, SalesforceExport, EXPORT_FOLDER};
use crate::scenario::bounds::RunShape;
use crate::scenario::Scenario;
use crate::stats::{
    parse_precision, precision_met, render_precision, render_targets, EngineStats,
    MetricsCollector, PrecisionTarget, ReplicationResult, WorkRecorder,
};
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use std::cell::Cell;
use std::fs::File;
use std::io::{BufWriter, IsTerminal};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

/// Simulate a scenario and write summary.json, intervals.csv, agents.csv,
/// work.csv (and engine.json) to the output folder.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    omnisim run scenarios/quickstart.toml\n  \
    omnisim run scenarios/erlang_c.toml --replications 10 --jobs 2 --out /tmp/erlang\n  \
    omnisim run scenarios/bank.toml --precision service_level=0.02,asa_s=5 --max-replications 50\n\n\
    Metrics --precision may name: offered, answered, abandoned, ended_no_agent, service_level,\n\
    asa_s, p_wait, p_abandon, aht_s, wrap_up_s, occupancy, agents_occupancy, declined,\n\
    push_timeouts, waiting_at_end, in_progress_at_end, transferred_out, transferred_in,\n\
    retrials, offered_customers, interrupted_s, transfer_wait_s.")]
pub(super) struct RunArgs {
    /// The scenario file (TOML).
    file: PathBuf,
    /// Base seed (overrides [simulation] seed).
    #[arg(long)]
    seed: Option<u64>,
    /// Number of replications (overrides [simulation] replications).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..))]
    replications: Option<u32>,
    /// Output folder; default results/<scenario name>.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Replications run in parallel; results do not depend on it.
    /// Default: the number of cores.
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..))]
    jobs: Option<u32>,
    /// Print nothing but errors.
    #[arg(long, conflicts_with = "json")]
    quiet: bool,
    /// Print the output folder and the files written as one JSON document
    /// instead of text.
    #[arg(long)]
    json: bool,
    /// Also write report.html (tables and charts) into the output folder.
    #[arg(long)]
    report: bool,
    /// Also write results.xlsx: the summary, intervals, agents and work
    /// tables as sheets of one workbook.
    #[arg(long)]
    xlsx: bool,
    /// Add replications until the 95% CI half-width of each named metric
    /// is at most the given value in every queue and overall, e.g.
    /// `service_level=0.01,asa_s=2` (repeatable). Starts with the
    /// scenario's replications (at least 2).
    #[arg(long, value_name = "METRIC=HALF_WIDTH")]
    precision: Vec<String>,
    /// With --precision: the most replications to run.
    #[arg(long, value_name = "N", default_value_t = 200, requires = "precision",
          value_parser = clap::value_parser!(u32).range(2..))]
    max_replications: u32,
    #[command(flatten)]
    limits: super::limits::LimitArgs,
    #[command(flatten)]
    salesforce: super::salesforce::SalesforceArgs,
}

/// A folder name from a scenario name: lowercase letters, digits and `_`.
pub(super) fn slug(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    let s = s.trim_matches('_').to_string();
    if s.is_empty() {
        "scenario".into()
    } else {
        s
    }
}

/// One replication's metrics, engine figures and work.csv part file.
pub(super) struct Outcome {
    pub(super) result: ReplicationResult,
    pub(super) engine: EngineStats,
    pub(super) part: PathBuf,
    /// The Salesforce export files of the replication, if it wrote them.
    pub(super) salesforce: Vec<PathBuf>,
}

/// Runs replication `replication`, its work.csv rows into a part file in
/// `dir` and, for replication 0 when `salesforce` places the day, its
/// Salesforce export into `dir/salesforce`, watching `stop`.
pub(super) fn run_one(
    scenario: &Arc<Scenario>,
    replication: u32,
    dir: &Path,
    stop: &Arc<AtomicBool>,
    progress: &dyn Fn(f64),
    salesforce: Option<&DayPlacement>,
) -> Result<Outcome, RunError> {
    let part = work_part_path(dir, replication);
    let unwritable = |e: std::io::Error| {
        let _ = std::fs::remove_file(&part);
        RunError::Failed(format!("cannot write `{}`: {e}", part.display()))
    };
    let file = File::create(&part)
        .map_err(|e| RunError::Failed(format!("cannot create `{}`: {e}", part.display())))?;
    let mut work =
        WorkRecorder::new(BufWriter::new(file), scenario, replication).map_err(unwritable)?;
    let mut metrics = MetricsCollector::new(scenario);
    let mut on_progress = |f: f64| progress(f);
    let export_dir = dir.join(EXPORT_FOLDER);
    let mut export = match salesforce.filter(|_| replication == 0) {
        Some(place) => Some(
            SalesforceExport::create(&export_dir, scenario.clone(), *place).map_err(|e| {
                RunError::Failed(format!("cannot write `{}`: {e}", export_dir.display()))
            })?,
        ),
        None => None,
    };
    let mut sinks: Vec<&mut dyn EventSink> = vec![&mut metrics, &mut work];
    if let Some(x) = export.as_mut() {
        sinks.push(x);
    }
    let outcome = run_replication(
        scenario.clone(),
        &mut sinks,
        RunOptions {
            replication,
            stop: Some(stop.clone()),
            progress: Some(&mut on_progress),
            ..Default::default()
        },
    );
    work.into_inner().map_err(unwritable)?;
    let salesforce = match export {
        Some(x) => x.into_files().map_err(|e| {
            RunError::Failed(format!("cannot write `{}`: {e}", export_dir.display()))
        })?,
        None => Vec::new(),
    };
    if let Err(e) = outcome.check(scenario) {
        let _ = std::fs::remove_file(&part);
        return Err(e);
    }
    Ok(Outcome {
        salesforce,
        result: metrics.into_result(),
        engine: EngineStats {
            wall_seconds: outcome.wall.as_secs_f64(),
            events: outcome.events,
            counts: outcome.counts,
        },
        part,
    })
}

pub(super) fn run(args: RunArgs) -> Result<(), CliError> {
    let started = Instant::now();
    let signals = Signals::install()?;
    let mut scenario =
        super::load_scenario(&args.file, args.seed, args.quiet, &args.limits.limits())?;
    if let Some(r) = args.replications {
        scenario.simulation.replications = r;
    }
    let precision = precision_targets(&args.precision)?;
    let max = args.max_replications;
    let first = if precision.is_empty() {
        scenario.simulation.replications
    } else {
        let first = scenario.simulation.replications.max(2);
        if first > max {
            return Err(CliError::invalid(format!(
                "--max-replications {max} is below the {first} replications the run starts \
                 with; raise it or lower --replications"
            )));
        }
        first
    };
    let jobs = super::limits::jobs(args.jobs);
    let held = if precision.is_empty() { first } else { max };
    let shape = RunShape {
        replications: held,
        parallel: jobs.min(held),
        replications_from_flag: args.replications.is_some(),
    };
    args.limits.enforce(&scenario, &args.file, shape)?;
    let placement = args.salesforce.placement(&scenario)?;
    let scenario = Arc::new(scenario);
    let dir = super::output_folder(
        args.out.as_deref(),
        &scenario.simulation.name,
        "",
        "the result files",
    )?;
    // Dropped on any error or signal below, the staging folder goes with
    // everything in it, part files included.
    let staging = Staging::begin(&dir).map_err(CliError::output)?;
    let kept = if dir.exists() {
        format!("the results in `{}` are as they were", dir.display())
    } else {
        "no result file was written".to_string()
    };

    let show = !args.quiet && std::io::stderr().is_terminal();
    let bar = if show {
        let b = ProgressBar::new(first as u64 * 1000);
        b.set_style(
            ProgressStyle::with_template("{spinner} [{elapsed_precise}] {bar:40} {percent}% {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        b
    } else {
        ProgressBar::hidden()
    };

    // Replications run in batches: one batch for a plain run; with
    // --precision, more until the targets are met or the maximum reached.
    // Each replication depends only on the seed and its index, so batches
    // change nothing in the results.
    let mut outcomes: Vec<Outcome> = Vec::new();
    let mut total = first;
    loop {
        let from = outcomes.len() as u32;
        bar.set_length(total as u64 * 1000);
        bar.set_message(format!("{} × {}", total, scenario.simulation.name));
        let batch = Batch {
            scenario: &scenario,
            salesforce: placement.as_ref(),
            dir: staging.dir(),
            signals: &signals,
            bar: &bar,
            jobs,
        };
        match batch.run(from..total, &kept) {
            Ok(mut done) => outcomes.append(&mut done),
            Err(e) => {
                bar.finish_and_clear();
                return Err(e);
            }
        }
        if precision.is_empty() || total >= max {
            break;
        }
        let results: Vec<ReplicationResult> = outcomes.iter().map(|o| o.result.clone()).collect();
        let status = precision_met(&results, &precision);
        if status.reached {
            break;
        }
        total = status.next_total(total, max);
    }
    bar.finish_and_clear();
    let parts: Vec<PathBuf> = outcomes.iter().map(|o| o.part.clone()).collect();
    let exported: Vec<PathBuf> = outcomes
        .iter()
        .flat_map(|o| o.salesforce.iter().cloned())
        .collect();
    let engine: Vec<EngineStats> = outcomes.iter().map(|o| o.engine).collect();
    let results: Vec<ReplicationResult> = outcomes.into_iter().map(|o| o.result).collect();
    let mut set = ResultSet::new(&scenario, scenario.simulation.seed, results, engine);
    if !precision.is_empty() {
        set = set.with_precision(precision, max);
    }
    // The set is written into the staging folder; a signal between two
    // files (or blocks of work.csv) drops it, the previous set untouched.
    let written = write_set(
        &set,
        &parts,
        &args.file,
        staging,
        &Extras {
            report: args.report,
            xlsx: args.xlsx,
            written: exported,
        },
        &Stops {
            between: &|point: &str| {
                signals.test_pause(point);
                signals.check(&kept)
            },
            flag: signals.stop(),
            error: &|| signals.error(&kept),
        },
    )?;

    if args.json {
        super::print_json(&serde_json::json!({
            "scenario": scenario.simulation.name,
            "out": dir.display().to_string(),
            "files": super::paths_json(&written),
            "wall_s": started.elapsed().as_secs_f64(),
        }))?;
    } else if !args.quiet {
        print!("{}", figures_text(&set, &scenario));
        println!("results in {}:", dir.display());
        for p in &written {
            println!("  {}", p.display());
        }
        println!("wall time {:.2} s", started.elapsed().as_secs_f64());
    }
    Ok(())
}

/// How writing a result set may be stopped: `between` is asked before
/// each file (and may stop the writing with its error), `flag` is watched
/// between blocks of work.csv and `error` is the error when it stops it.
pub(super) struct Stops<'a> {
    pub(super) between: &'a dyn Fn(&str) -> Result<(), CliError>,
    pub(super) flag: &'a Arc<AtomicBool>,
    pub(super) error: &'a dyn Fn() -> CliError,
}

/// What a result set holds beyond its tables, work.csv and the copy of
/// the scenario.
#[derive(Debug, Default)]
pub(super) struct Extras {
    /// Also write report.html.
    pub(super) report: bool,
    /// Also write results.xlsx: the summary, intervals, agents and work
    /// as sheets.
    pub(super) xlsx: bool,
    /// Files already in the staging folder (the Salesforce export of
    /// `--salesforce`), switched in with the rest.
    pub(super) written: Vec<PathBuf>,
}

/// Writes `set`, work.csv from `parts`, a copy of the scenario `file` and
/// what `extras` asks for into `staging`, then switches the folder in
/// whole; the paths of the files where they now are.
pub(super) fn write_set(
    set: &ResultSet,
    parts: &[PathBuf],
    file: &Path,
    staging: Staging,
    extras: &Extras,
    stops: &Stops<'_>,
) -> Result<Vec<PathBuf>, CliError> {
    let stage = staging.dir();
    (stops.between)("summary.json")?;
    let mut written = set
        .write_all_until(stage, stops.flag)
        .map_err(|e| match e {
            OutputError::Interrupted => (stops.error)(),
            e => CliError::output(e),
        })?;
    (stops.between)("work.csv")?;
    written.push(
        concat_work_parts_until(stage, parts, stops.flag).map_err(|e| match e {
            OutputError::Interrupted => (stops.error)(),
            e => CliError::output(e),
        })?,
    );
    (stops.between)(crate::report::SCENARIO_COPY)?;
    written.push(copy_scenario(file, stage)?);
    written.extend(extras.written.iter().cloned());
    if extras.report {
        (stops.between)(crate::report::REPORT_FILE)?;
        written.push(crate::report::write_report(stage).map_err(CliError::failure)?);
    }
    if extras.xlsx {
        (stops.between)(crate::workbook::WORKBOOK_FILE)?;
        let tables = [
            ("intervals", stage.join("intervals.csv")),
            ("agents", stage.join("agents.csv")),
            ("work", stage.join("work.csv")),
        ];
        let summary = crate::workbook::summary_sheet(set);
        written.push(
            crate::workbook::workbook_of(stage, Some(summary), &tables)
                .map_err(|e| CliError::failure(format!("cannot write results.xlsx: {e}")))?,
        );
    }
    (stops.between)("switch")?;
    // The commit point: from here on the new set is in place and a signal
    // changes nothing.
    let written: Vec<PathBuf> = written.iter().map(|p| staging.final_path(p)).collect();
    staging.commit().map_err(CliError::output)?;
    Ok(written)
}

/// The `--precision` arguments, each a comma-separated list, as one list
/// of targets; a metric named in two arguments is refused like one named
/// twice in one.
fn precision_targets(args: &[String]) -> Result<Vec<PrecisionTarget>, CliError> {
    if args.is_empty() {
        return Ok(Vec::new());
    }
    parse_precision(&args.join(",")).map_err(|e| CliError::invalid(format!("--precision: {e}")))
}

/// What a batch of replications runs with.
struct Batch<'a> {
    scenario: &'a Arc<Scenario>,
    /// Where the day falls, when replication 0 writes a Salesforce export.
    salesforce: Option<&'a DayPlacement>,
    /// Where the part files go: the staging folder.
    dir: &'a Path,
    signals: &'a Signals,
    bar: &'a ProgressBar,
    jobs: u32,
}

impl Batch<'_> {
    /// Runs replications `range` on up to `jobs` threads; their outcomes
    /// in replication order. On an error or a signal the staging folder,
    /// part files and all, goes when the caller drops it.
    fn run(&self, range: std::ops::Range<u32>, kept: &str) -> Result<Vec<Outcome>, CliError> {
        let n = range.len();
        let base = range.start as u64 * 1000;
        let done: Vec<AtomicU64> = (0..n).map(|_| AtomicU64::new(0)).collect();
        let replications: Vec<u32> = range.clone().collect();
        let runner = Runner::new(self.jobs as usize).with_stop(self.stop().clone());
        runner
            .run(&replications, |&r, stop| {
                let k = (r - range.start) as usize;
                let phase = Cell::new(0u8);
                let progress = |f: f64| {
                    done[k].store((f * 1000.0) as u64, Ordering::Relaxed);
                    let sum: u64 = done.iter().map(|d| d.load(Ordering::Relaxed)).sum();
                    self.bar.set_position(base + sum);
                    if r == 0 {
                        self.test_pause(f, &phase);
                    }
                };
                run_one(self.scenario, r, self.dir, stop, &progress, self.salesforce)
            })
            .map_err(|e| self.signals.run_error(e, kept))
    }

    /// The flag that stops the replications: set by a signal, or by a
    /// replication that failed.
    fn stop(&self) -> &Arc<AtomicBool> {
        self.signals.stop()
    }

    /// The test-only pauses of the first replication (see
    /// [`super::signals`]): once in the warm-up, once in the measured
    /// period, from the engine's progress `f` (a share of warm-up plus
    /// duration).
    fn test_pause(&self, f: f64, phase: &Cell<u8>) {
        let sim = &self.scenario.simulation;
        let warm = sim.warmup.as_secs_f64() / self.scenario.run_length().as_secs_f64().max(1e-9);
        let (next, point) = if f < warm {
            (1, "warm-up")
        } else {
            (2, "measured period")
        };
        if phase.get() < next && f < 1.0 {
            phase.set(next);
            self.signals.test_pause(point);
        }
    }
}

/// What `run` prints about the results: the table, the Erlang figures of
/// an equivalent centre when there is one, and the verdict on each
/// planning target. Kept apart from the printing so that it can be tested.
fn figures_text(set: &ResultSet, scenario: &Scenario) -> String {
    let mut out = render_table(set);
    if let Some(input) = erlang_equivalent(scenario) {
        if let Ok(f) = evaluate(&input) {
            let model = if input.mean_patience_s.is_some() {
                "Erlang A"
            } else {
                "Erlang C"
            };
            out.push_str(&format!(
                "{model} for this centre ({} servers): p_wait {:.4}  asa {:.2} s  service level {:.4}  p_abandon {:.4}  occupancy {:.4}\n",
                input.agents, f.p_wait, f.asa_s, f.service_level, f.p_abandon, f.occupancy
            ));
        }
    }
    out.push_str(&render_targets(&set.targets()));
    if let Some(p) = set.precision() {
        out.push_str(&render_precision(&p));
    }
    out
}

/// Keeps the scenario next to its results (the report shows it), so a
/// results folder says what produced it.
fn copy_scenario(file: &Path, dir: &Path) -> Result<PathBuf, CliError> {
    let name = crate::report::SCENARIO_COPY;
    let fail = |e: std::io::Error| {
        CliError::failure(format!("cannot write `{}`: {e}", dir.join(name).display()))
    };
    let text = std::fs::read(file).map_err(fail)?;
    crate::output::write_atomically(dir, name, &text).map_err(fail)
}

#[cfg(test)]
mod tests {
    use super::{figures_text, slug};
    use crate::output::ResultSet;
    use crate::scenario::QueueTargets;
    use crate::stats::test_support::{scenario, Script, AVAILABLE};
    use crate::stats::MetricsCollector;

    #[test]
    fn targets_follow_the_table() {
        let mut scn = scenario(0, 100, 100, 20, &["A", "B"], &[("g", 1, 1)]);
        let mut s = Script::default();
        // A's only item is answered after 30 s: service level 0.
        s.login(0.0, 0, AVAILABLE)
            .arrive(10.0, 1, 0)
            .accept(40.0, 1, 1, 0, 0);
        let mut c = MetricsCollector::new(&scn);
        s.feed(&mut c, 100.0);
        let result = c.into_result();
        let without = figures_text(&ResultSet::new(&scn, 1, vec![result.clone()], vec![]), &scn);
        assert!(!without.contains("targets"), "{without}");
        scn.queues[0].targets = QueueTargets {
            target_service_level: Some(0.8),
            ..QueueTargets::default()
        };
        let text = figures_text(&ResultSet::new(&scn, 1, vec![result], vec![]), &scn);
        assert!(text.starts_with(&without), "{text}");
        assert_eq!(
            &text[without.len()..],
            "targets (met or not on the mean over the replications):\n  \
             A: service level ≥ 0.8: NOT met, mean 0.000 (95% CI 0.000–0.000); \
             worst interval 00:00–00:01:40: 0.000\n"
        );
    }

    #[test]
    fn the_help_lists_every_metric_precision_may_name() {
        use clap::CommandFactory;
        #[derive(clap::Parser)]
        struct Cli {
            #[command(flatten)]
            run: super::RunArgs,
        }
        let help = Cli::command().render_long_help().to_string();
        let words: Vec<&str> = help
            .split_whitespace()
            .map(|w| w.trim_end_matches([',', '.']))
            .collect();
        for d in crate::stats::QUEUE_METRICS {
            assert!(words.contains(&d.name), "{}: {help}", d.name);
        }
    }

    #[test]
    fn slugs_are_folder_safe() {
        assert_eq!(slug("Support desk, Monday"), "support_desk__monday");
        assert_eq!(slug("///"), "scenario");
    }
}
