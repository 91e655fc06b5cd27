//! `omnisim sweep` and `omnisim merge`: a grid of scenarios, whole or in
//! shards, and the merge of the shards' partials.
//!
//! A whole sweep and a merge write their folder as `run` does: into a
//! staging folder, then switched in whole ([`Staging`]), so a reader sees
//! the previous set or the new one; a folder holding files that are not a
//! sweep's (`--out /`, say) is refused before anything runs. A shard
//! writes only its partial, atomically (so many shards may share one
//! `--out` folder). SIGINT and SIGTERM stop a sweep at any moment and
//! leave no file of it behind.

use super::run::{run_one, Outcome};
use super::signals::Signals;
use super::CliError;
use crate::output::{concat_work_parts_until, write_atomically, OutputError, ResultSet, Staging};
use crate::runner::{RunError, Runner};
use crate::scenario::bounds::RunShape;
use crate::scenario::Scenario;
use crate::stats::EngineStats;
use crate::sweep::table::cell;
use crate::sweep::{
    find_partials, merge, partial, simulate_pair, sweep_folder, tabulate, PairResult, Partial,
    Shard, Sweep,
};
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use std::collections::HashMap;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// Run a base scenario over a grid of values (a sweep file) and tabulate
/// each point's metrics in sweep.csv and sweep.json.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    omnisim sweep scenarios/sweeps/erlang_grid.toml --list\n  \
    omnisim sweep scenarios/sweeps/erlang_grid.toml --out /tmp/grid\n  \
    omnisim sweep scenarios/sweeps/erlang_grid.toml --shard 0/4 --out /tmp/parts\n  \
    omnisim merge /tmp/parts --out /tmp/grid\n\n\
    The sweep file is described in docs/scale-out.md.")]
pub(super) struct SweepArgs {
    /// The sweep file (TOML).
    file: PathBuf,
    /// Output folder; default results/<sweep file name>.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Run only shard I of N (0-based) and write its partial,
    /// partial-I-of-N.json, for `omnisim merge`.
    #[arg(long, value_name = "I/N")]
    shard: Option<Shard>,
    /// Runs simulated in parallel; results do not depend on it.
    /// Default: the number of cores.
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..))]
    jobs: Option<u32>,
    /// Print the points (of the shard, with --shard) and run nothing.
    #[arg(long)]
    list: bool,
    /// Also write each point's usual result files under points/<index>/.
    #[arg(long)]
    keep_points: bool,
    /// The most points a grid may have.
    #[arg(long, value_name = "N", default_value_t = 100_000,
          value_parser = clap::value_parser!(u64).range(1..))]
    max_points: u64,
    #[command(flatten)]
    output: super::OutputArgs,
    #[command(flatten)]
    limits: super::limits::LimitArgs,
}

/// Merge the partials of a sharded sweep into sweep.csv and sweep.json,
/// byte-identical to the unsharded run.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    omnisim merge /tmp/parts --out /tmp/grid\n  \
    omnisim merge node1/ node2/ node3/ --out results/grid")]
pub(super) struct MergeArgs {
    /// Folders holding partial-*.json files (or the files themselves).
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    /// Where sweep.csv and sweep.json go; default the first folder given.
    #[arg(long)]
    out: Option<PathBuf>,
    #[command(flatten)]
    output: super::OutputArgs,
}

pub(super) fn sweep(args: SweepArgs) -> Result<(), CliError> {
    let started = Instant::now();
    let signals = Signals::install()?;
    let sweep = Sweep::from_path(&args.file, args.max_points, &args.limits.limits())
        .map_err(CliError::invalid)?;
    let shard = args.shard.unwrap_or(Shard::WHOLE);
    let points = sweep.points() as u64;
    let pairs = shard.pairs(points, sweep.replications);
    if args.keep_points && !shard.keeps_points_whole(points) {
        return Err(CliError::invalid(format!(
            "--keep-points with --shard {shard} needs at least {} points so that each point's \
             replications run in one shard; the grid has {points}",
            shard.count
        )));
    }
    let jobs = super::limits::jobs(args.jobs);
    let dir = args.out.clone().unwrap_or_else(|| {
        let stem = args
            .file
            .file_stem()
            .map_or("sweep".into(), |s| s.to_string_lossy().into_owned());
        Path::new("results").join(super::run::slug(&stem))
    });
    if !args.list {
        // Before the points are checked: `--out /` or a folder of other
        // things is said at once.
        crate::output::check_target_holding(&dir, sweep_folder).map_err(CliError::output)?;
    }
    // The shard's points are all checked before any runs (or is listed),
    // so a bad value fails at once, not hours in. A shard checks only its
    // own: at 100,000 points checking them all would cost every shard
    // half a minute; `--list` without --shard checks the whole grid.
    let mut own: Vec<usize> = pairs.iter().map(|&(p, _)| p as usize).collect();
    own.dedup();
    for (k, &p) in own.iter().enumerate() {
        // Checking 90,000 points takes half a minute: a signal ends it.
        signals.check("no sweep file was written")?;
        let scenario = sweep.point_scenario(p).map_err(CliError::invalid)?;
        let shape = RunShape {
            replications: if args.keep_points {
                sweep.replications
            } else {
                1
            },
            parallel: jobs.min(sweep.replications),
            replications_from_flag: false,
        };
        args.limits
            .enforce(&scenario, &args.file, shape)
            .map_err(|e| CliError::invalid(format!("point {p}: {}", e.message)))?;
        if k == 0 && args.output.text() {
            super::print_warnings(&scenario);
        }
    }
    if args.list {
        return list(&sweep, shard, &pairs, args.output);
    }
    // The whole sweep's folder is written as a set, switched in whole
    // (a reader sees the previous tables or the new ones, never one of
    // each); a shard writes only its own partial, atomically, into a
    // folder other shards share.
    let staging = if args.shard.is_none() {
        Some(Staging::begin_holding(&dir, sweep_folder).map_err(CliError::output)?)
    } else {
        std::fs::create_dir_all(&dir)
            .map_err(|e| CliError::failure(format!("cannot create `{}`: {e}", dir.display())))?;
        None
    };
    let write_dir = staging.as_ref().map_or(dir.as_path(), Staging::dir);

    let runner = PairRunner {
        sweep: &sweep,
        pairs: &pairs,
        runs: runs_per_point(&pairs),
        signals: &signals,
        dir: write_dir,
        keep_points: args.keep_points,
        bar: progress_bar(args.output.text(), pairs.len()),
    };
    let (results, mut written) = runner.run(jobs)?;
    let header = sweep.header();
    let kept = "no sweep file was written";
    signals.check(kept)?;
    // `--shard 0/1` is the whole grid, but a script that asks for shards
    // (an array of one task) still gets the partial it will merge.
    if args.shard.is_none() {
        let mut results = results;
        let tables = tabulate(&header, &mut results);
        written.push(write(write_dir, "sweep.csv", &tables.csv)?);
        signals.test_pause("sweep.json");
        written.push(write(write_dir, "sweep.json", &tables.json)?);
    } else {
        let partial = Partial {
            header,
            shard,
            results,
        };
        written.push(write(
            &dir,
            &partial::file_name(shard),
            &partial.to_bytes(),
        )?);
    }
    if let Some(staging) = staging {
        written = written.iter().map(|p| staging.final_path(p)).collect();
        signals.check(kept)?;
        staging.commit().map_err(CliError::output)?;
    }
    let wall = started.elapsed().as_secs_f64();
    if args.output.json {
        super::print_json(&serde_json::json!({
            "sweep": args.file.display().to_string(),
            "points": points,
            "replications": sweep.replications,
            "shard": shard.to_string(),
            "runs": pairs.len(),
            "out": dir.display().to_string(),
            "files": super::paths_json(&written),
            "wall_s": wall,
        }))?;
    } else if args.output.text() {
        println!(
            "{}: {points} points × {} replications; shard {shard} ran {} runs",
            args.file.display(),
            sweep.replications,
            pairs.len()
        );
        println!("results in {}:", dir.display());
        for p in written
            .iter()
            .filter(|p| !p.starts_with(dir.join("points")))
        {
            println!("  {}", p.display());
        }
        if args.keep_points {
            println!("  {} (one folder per point)", dir.join("points").display());
        }
        println!("wall time {wall:.2} s");
    }
    Ok(())
}

/// How many of `pairs` each point has.
fn runs_per_point(pairs: &[(u64, u32)]) -> HashMap<u64, u32> {
    let mut runs = HashMap::new();
    for &(p, _) in pairs {
        *runs.entry(p).or_insert(0) += 1;
    }
    runs
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> Result<PathBuf, CliError> {
    write_atomically(dir, name, bytes)
        .map_err(|e| CliError::failure(format!("cannot write `{}`: {e}", dir.join(name).display())))
}

fn progress_bar(show: bool, len: usize) -> ProgressBar {
    if !show || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let b = ProgressBar::new(len as u64);
    b.set_style(
        ProgressStyle::with_template("{spinner} [{elapsed_precise}] {bar:40} {pos}/{len} runs")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    b
}

/// `--list`: the points (of the shard) and their values.
fn list(
    sweep: &Sweep,
    shard: Shard,
    pairs: &[(u64, u32)],
    output: super::OutputArgs,
) -> Result<(), CliError> {
    let mut points: Vec<u64> = pairs.iter().map(|p| p.0).collect();
    points.dedup();
    let runs_of = runs_per_point(pairs);
    let header = sweep.header();
    if output.json {
        let rows: Vec<serde_json::Value> = points
            .iter()
            .map(|&p| {
                let values: serde_json::Map<String, serde_json::Value> = header
                    .axes
                    .iter()
                    .zip(header.point_values(p))
                    .map(|(a, v)| (a.key.clone(), v.clone()))
                    .collect();
                let runs = runs_of[&p];
                serde_json::json!({ "point": p, "values": values, "runs": runs })
            })
            .collect();
        return super::print_json(&serde_json::json!({
            "points": header.points,
            "replications": header.replications,
            "shard": shard.to_string(),
            "runs": pairs.len(),
            "list": rows,
        }));
    }
    if output.quiet {
        return Ok(());
    }
    println!(
        "{} points × {} replications = {} runs{}",
        header.points,
        header.replications,
        header.pairs(),
        if shard == Shard::WHOLE {
            String::new()
        } else {
            format!("; shard {shard} runs {} of them", pairs.len())
        }
    );
    let mut table: Vec<Vec<String>> = vec![std::iter::once("point".to_string())
        .chain(header.axes.iter().map(|a| a.key.clone()))
        .chain(std::iter::once("runs".to_string()))
        .collect()];
    for &p in &points {
        let runs = runs_of[&p];
        table.push(
            std::iter::once(p.to_string())
                .chain(header.point_values(p).into_iter().map(cell))
                .chain(std::iter::once(runs.to_string()))
                .collect(),
        );
    }
    let widths: Vec<usize> = (0..table[0].len())
        .map(|c| {
            table
                .iter()
                .map(|r| r[c].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    for row in &table {
        let line: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(cell, w)| format!("{cell:<w$}"))
            .collect();
        println!("{}", line.join("  ").trim_end());
    }
    Ok(())
}

/// A point whose files are kept: its staging folder and the outcomes of
/// its replications so far.
struct KeptPoint {
    staging: Staging,
    scenario: Arc<Scenario>,
    outcomes: Vec<Option<Outcome>>,
}

struct PairRunner<'a> {
    sweep: &'a Sweep,
    pairs: &'a [(u64, u32)],
    /// Runs of each point in this shard.
    runs: HashMap<u64, u32>,
    signals: &'a Signals,
    dir: &'a Path,
    keep_points: bool,
    bar: ProgressBar,
}

/// A point's scenario, shared by the threads running its replications
/// and dropped when the last one is done.
struct Cached {
    scenario: Arc<Scenario>,
    left: u32,
}

impl PairRunner<'_> {
    /// Runs the pairs on up to `jobs` threads; the results (in pair
    /// order) and the `points/` files written.
    fn run(&self, jobs: u32) -> Result<(Vec<PairResult>, Vec<PathBuf>), CliError> {
        // A point whose scenario is invalid is invalid input (exit 1), not
        // a failed run: kept here, the runner only told to stop.
        let invalid: Mutex<Option<CliError>> = Mutex::new(None);
        let cache: Mutex<HashMap<u64, Cached>> = Mutex::new(HashMap::new());
        let kept: Mutex<HashMap<u64, KeptPoint>> = Mutex::new(HashMap::new());
        let runner = Runner::new(jobs as usize).with_stop(self.signals.stop().clone());
        let done = runner.run(self.pairs, |&(point, replication), _| {
            let scenario = self.scenario(&cache, point).map_err(|e| {
                let stop = RunError::Failed(e.message.clone());
                *invalid.lock().unwrap_or_else(|p| p.into_inner()) = Some(e);
                stop
            })?;
            let done = self
                .run_pair(&scenario, point, replication, &kept)
                .map_err(|e| at_point(point, e))?;
            self.bar.inc(1);
            self.signals.test_pause("run done");
            Ok(done)
        });
        self.bar.finish_and_clear();
        match done {
            Ok(done) => {
                let (results, files): (Vec<PairResult>, Vec<Vec<PathBuf>>) =
                    done.into_iter().unzip();
                Ok((results, files.concat()))
            }
            Err(e) => Err(invalid
                .into_inner()
                .unwrap_or_else(|p| p.into_inner())
                .unwrap_or_else(|| self.signals.run_error(e, "no sweep file was written"))),
        }
    }

    /// Point `p`'s scenario, built once for all its replications here.
    fn scenario(
        &self,
        cache: &Mutex<HashMap<u64, Cached>>,
        point: u64,
    ) -> Result<Arc<Scenario>, CliError> {
        let mut map = cache.lock().expect("no panics while held");
        let left = self.runs[&point];
        let entry = match map.entry(point) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(e) => {
                let scenario = self
                    .sweep
                    .point_scenario(point as usize)
                    .map_err(CliError::invalid)?;
                e.insert(Cached {
                    scenario: Arc::new(scenario),
                    left,
                })
            }
        };
        let scenario = entry.scenario.clone();
        entry.left -= 1;
        if entry.left == 0 {
            map.remove(&point);
        }
        Ok(scenario)
    }

    /// Simulates one pair; with --keep-points, writes its point's folder
    /// once the point's last replication is in.
    fn run_pair(
        &self,
        scenario: &Arc<Scenario>,
        point: u64,
        replication: u32,
        kept: &Mutex<HashMap<u64, KeptPoint>>,
    ) -> Result<(PairResult, Vec<PathBuf>), RunError> {
        let metrics = &self.sweep.metrics;
        if !self.keep_points {
            let r = simulate_pair(scenario, replication, Some(self.signals.stop().clone()))?;
            return Ok((
                PairResult::from_result(point, replication, &r, metrics),
                Vec::new(),
            ));
        }
        let failed = |e: CliError| RunError::Failed(e.message);
        let stage_dir = {
            let mut map = kept.lock().unwrap_or_else(|p| p.into_inner());
            if let std::collections::hash_map::Entry::Vacant(e) = map.entry(point) {
                let target = self.dir.join("points").join(point.to_string());
                let staging = Staging::begin(&target)
                    .map_err(CliError::output)
                    .map_err(failed)?;
                e.insert(KeptPoint {
                    staging,
                    scenario: scenario.clone(),
                    outcomes: (0..self.sweep.replications).map(|_| None).collect(),
                });
            }
            map[&point].staging.dir().to_path_buf()
        };
        let outcome = run_one(
            scenario,
            replication,
            &stage_dir,
            self.signals.stop(),
            &|_| {},
            None,
        )?;
        let pair = PairResult::from_result(point, replication, &outcome.result, metrics);
        let done = {
            let mut map = kept.lock().unwrap_or_else(|p| p.into_inner());
            let entry = map.get_mut(&point).expect("inserted above");
            entry.outcomes[replication as usize] = Some(outcome);
            if entry.outcomes.iter().all(Option::is_some) {
                map.remove(&point)
            } else {
                None
            }
        };
        let files = match done {
            Some(k) => self.write_point(point, k).map_err(failed)?,
            None => Vec::new(),
        };
        Ok((pair, files))
    }

    /// `points/<index>/`: the usual result set of a run of the point's
    /// scenario, with the point's scenario text as `scenario.toml`.
    fn write_point(&self, point: u64, k: KeptPoint) -> Result<Vec<PathBuf>, CliError> {
        let outcomes: Vec<Outcome> = k.outcomes.into_iter().flatten().collect();
        let parts: Vec<PathBuf> = outcomes.iter().map(|o| o.part.clone()).collect();
        let engine: Vec<EngineStats> = outcomes.iter().map(|o| o.engine).collect();
        let results = outcomes.into_iter().map(|o| o.result).collect();
        let set = ResultSet::new(&k.scenario, self.sweep.seed, results, engine);
        let stage = k.staging.dir();
        let mut written = set
            .write_all_until(stage, self.signals.stop())
            .map_err(|e| match e {
                OutputError::Interrupted => self.signals.error("no sweep file was written"),
                e => CliError::output(e),
            })?;
        written.push(
            concat_work_parts_until(stage, &parts, self.signals.stop()).map_err(|e| match e {
                OutputError::Interrupted => self.signals.error("no sweep file was written"),
                e => CliError::output(e),
            })?,
        );
        let text = self.sweep.point_text(point as usize);
        written.push(
            write_atomically(stage, crate::report::SCENARIO_COPY, text.as_bytes()).map_err(
                |e| CliError::failure(format!("cannot write point {point}'s scenario: {e}")),
            )?,
        );
        let written: Vec<PathBuf> = written.iter().map(|p| k.staging.final_path(p)).collect();
        k.staging.commit().map_err(CliError::output)?;
        Ok(written)
    }
}

/// A pair's failure, saying which point failed: a stall or a panic
/// already names the replication.
fn at_point(point: u64, e: RunError) -> RunError {
    match e {
        RunError::Interrupted => RunError::Interrupted,
        e => RunError::Failed(format!("point {point} {e}")),
    }
}

pub(super) fn merge_command(args: MergeArgs) -> Result<(), CliError> {
    let started = Instant::now();
    let files = find_partials(&args.inputs).map_err(CliError::invalid)?;
    let merged = merge(&files).map_err(CliError::invalid)?;
    let dir = match &args.out {
        Some(d) => d.clone(),
        None if args.inputs[0].is_dir() => args.inputs[0].clone(),
        None => args.inputs[0]
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf),
    };
    // Written as a set and switched in whole, as a sweep's; the folder's
    // partials and points (the default --out is the partials' folder)
    // carried over into the new set.
    let staging = Staging::begin_holding(&dir, sweep_folder).map_err(CliError::output)?;
    staging
        .carry_over(|name| name != "sweep.csv" && name != "sweep.json")
        .map_err(CliError::output)?;
    let mut results = merged.results;
    let tables = tabulate(&merged.header, &mut results);
    let written: Vec<PathBuf> = [
        write(staging.dir(), "sweep.csv", &tables.csv)?,
        write(staging.dir(), "sweep.json", &tables.json)?,
    ]
    .iter()
    .map(|p| staging.final_path(p))
    .collect();
    staging.commit().map_err(CliError::output)?;
    if args.output.json {
        super::print_json(&serde_json::json!({
            "partials": super::paths_json(&merged.files),
            "points": merged.header.points,
            "replications": merged.header.replications,
            "out": dir.display().to_string(),
            "files": super::paths_json(&written),
            "wall_s": started.elapsed().as_secs_f64(),
        }))?;
    } else if args.output.text() {
        println!(
            "merged {} partials: {} points × {} replications",
            merged.files.len(),
            merged.header.points,
            merged.header.replications
        );
        println!("results in {}:", dir.display());
        for p in &written {
            println!("  {}", p.display());
        }
    }
    Ok(())
}
