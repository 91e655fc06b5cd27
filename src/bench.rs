//! The scaling benchmark: one simulated day of an Erlang-equivalent centre
//! at growing head-counts, and the performance targets it is judged by.
//!
//! # The workload
//!
//! [`crate::workload::erlang_day`] builds the same day `benches/engine.rs` and
//! `omnisim bench` run, and that `benches/peers/simpy_erlang_day.py`
//! models in SimPy: agents of capacity 1 logged in all day, one queue,
//! Most Available, auto-accept, no push timeout, Poisson arrivals,
//! exponential handle time of [`AHT_S`] seconds, [`DAY_HOURS`] simulated
//! hours, no warm-up. The arrival rate keeps occupancy at [`OCCUPANCY`]
//! ([`rate_per_hour`]): 100 agents take 1,080 items an hour, 1,000 agents
//! 10,800 and 10,000 agents 108,000, so the items of a day grow in
//! proportion to the agents and the *cost per item* shows how the engine
//! scales.
//!
//! # Measuring
//!
//! [`measure`] runs one replication the way `omnisim run` does (a
//! [`crate::stats::MetricsCollector`] sink, optionally a [`WorkRecorder`] streaming
//! `work.csv` into a temporary file) and times it from building the actors
//! to the finished result. Peak memory is the process's `VmHWM` (Linux),
//! a high-water mark for the whole process: it never goes down, so it only
//! describes one size if the process ran nothing bigger before. `omnisim
//! bench` therefore runs every size in a fresh child process.
//!
//! [`BenchReport`] gathers the sizes, derives rates and the cost per item
//! relative to the smallest size, and checks the [`Target`]s; it renders
//! the text table, `bench.json`, `bench.csv` and an SVG chart.

use crate::engine::{EngineCounts, PerItem};
use crate::output::write_atomically;
use crate::runner::{RunError, Runner};
use crate::stats::WorkRecorder;
use crate::workload::{day, rate_per_hour, run_day, AHT_S, DAY_HOURS, OCCUPANCY};
use serde::{Deserialize, Serialize};
use std::fmt::Write as _;
use std::fs::File;
use std::io::{self, BufWriter};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

/// File names written by [`BenchReport::write_files`].
pub const JSON_FILE: &str = "bench.json";
/// See [`JSON_FILE`].
pub const CSV_FILE: &str = "bench.csv";
/// Columns of `bench.csv`, in order.
pub const CSV_HEADER: [&str; 10] = [
    "agents",
    "items",
    "events",
    "wall_s",
    "items_per_s",
    "events_per_s",
    "cost_per_item_us",
    "relative_cost",
    "peak_rss_mib",
    "work_csv",
];

/// One size of the series as measured.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Measurement {
    /// Agents.
    pub agents: u32,
    /// Work items that arrived during the day.
    pub items: u64,
    /// Events the engine emitted.
    pub events: u64,
    /// Wall-clock seconds from building the actors to the finished result
    /// (and the flushed `work.csv`, if written): the median of the runs.
    pub wall_s: f64,
    /// Wall-clock seconds of every run, in order.
    pub wall_runs_s: Vec<f64>,
    /// Peak resident memory of the process (`VmHWM`) \[bytes\]; `None`
    /// where `/proc/self/status` does not exist.
    pub peak_rss_bytes: Option<u64>,
    /// Size of the `work.csv` streamed during the run \[bytes\]; `None`
    /// when it was not written.
    pub work_csv_bytes: Option<u64>,
    /// Actor messages, toolkit calls and calendar entries of one run, by
    /// kind (every run of a size counts the same).
    #[serde(default)]
    pub counts: EngineCounts,
}

/// One size of the series as a peer simulator ran it (the DES baseline).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PeerRun {
    /// Agents.
    pub agents: u32,
    /// Items that arrived in its day.
    pub items: u64,
    /// Its own wall time for the day \[s\], median of its runs.
    pub wall_s: f64,
}

/// Runs the DES baseline binary (`../shared/peers/des_baseline`, built by
/// its own `cargo build --release`) on the benchmark day of `agents`
/// agents `repeat` times; its items and median wall time, as it reports
/// them on its one JSON line.
pub fn run_des_baseline(
    binary: &Path,
    agents: u32,
    seed: u64,
    repeat: u32,
) -> Result<PeerRun, String> {
    let mut walls = Vec::new();
    let mut items = 0;
    for _ in 0..repeat.max(1) {
        let out = std::process::Command::new(binary)
            .args([
                "--agents",
                &agents.to_string(),
                "--capacity",
                "1",
                "--rate-per-hour",
                &rate_per_hour(agents).to_string(),
                "--aht",
                &AHT_S.to_string(),
                "--duration-h",
                &DAY_HOURS.to_string(),
                "--warmup-h",
                "0",
                "--seed",
                &seed.to_string(),
            ])
            .stdin(std::process::Stdio::null())
            .output()
            .map_err(|e| format!("cannot start the DES baseline `{}`: {e}", binary.display()))?;
        if !out.status.success() {
            return Err(format!(
                "the DES baseline `{}` failed ({}): {}",
                binary.display(),
                out.status,
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
        let text = String::from_utf8_lossy(&out.stdout);
        let line = text.lines().last().unwrap_or_default();
        let v: serde_json::Value = serde_json::from_str(line)
            .map_err(|e| format!("unexpected output of the DES baseline ({e}): {line}"))?;
        let (Some(wall), Some(offered)) = (v["wall_s"].as_f64(), v["offered"].as_u64()) else {
            return Err(format!(
                "the DES baseline's output lacks wall_s or offered: {line}"
            ));
        };
        walls.push(wall);
        items = offered;
    }
    Ok(PeerRun {
        agents,
        items,
        wall_s: median(&walls),
    })
}

/// Deletes the temporary `work.csv` however the measurement ends.
struct TempFile(PathBuf);

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Simulates the benchmark day for `agents` agents `repeat` times (at
/// least once) and measures it; `wall_s` is the median of the runs, all
/// of which are kept in `wall_runs_s`. With `with_work_csv`, `work.csv` is
/// streamed into a temporary file (deleted afterwards) so its cost in time
/// and memory is included.
///
/// Repeating matters for the small sizes: a 100-agent day takes tens of
/// milliseconds, where one run's figure moves by a third on a shared
/// machine. Every run simulates the same items (same seed).
///
/// The peak memory is the whole process's high-water mark: call this in a
/// fresh process (as `omnisim bench` does), or in increasing order of
/// size, for the figure to describe this size.
pub fn measure(
    agents: u32,
    seed: u64,
    with_work_csv: bool,
    repeat: u32,
) -> io::Result<Measurement> {
    let scenario = Arc::new(day(agents, seed));
    let failed = |e: io::Error| RunError::Failed(e.to_string());
    // The same day `repeat` times, one after another: the timings must not
    // share the cores with each other.
    let runs = vec![0u32; repeat.max(1) as usize];
    let timed = Runner::new(1)
        .run(&runs, |_, _| {
            if with_work_csv {
                let temp = TempFile(std::env::temp_dir().join(format!(
                    "omnisim-bench-work-{}-{agents}.csv",
                    std::process::id()
                )));
                let started = Instant::now();
                let file = File::create(&temp.0).map_err(failed)?;
                let mut work =
                    WorkRecorder::new(BufWriter::new(file), &scenario, 0).map_err(failed)?;
                let count = run_day(&scenario, Some(&mut work))?;
                work.into_inner()
                    .map_err(failed)?
                    .into_inner()
                    .map_err(|e| failed(e.into_error()))?;
                let wall = started.elapsed().as_secs_f64();
                let bytes = std::fs::metadata(&temp.0).map_err(failed)?.len();
                Ok((wall, count, Some(bytes)))
            } else {
                let started = Instant::now();
                let count = run_day::<io::Sink>(&scenario, None)?;
                Ok((started.elapsed().as_secs_f64(), count, None))
            }
        })
        .map_err(io::Error::other)?;
    let walls: Vec<f64> = timed.iter().map(|t| t.0).collect();
    let (_, count, work_csv_bytes) = *timed.last().expect("at least one run");
    Ok(Measurement {
        agents,
        items: count.items,
        events: count.events,
        counts: count.counts,
        wall_s: median(&walls),
        wall_runs_s: walls,
        peak_rss_bytes: peak_rss_bytes(),
        work_csv_bytes,
    })
}

/// The median of a non-empty list (the mean of the middle two for an
/// even count).
fn median(values: &[f64]) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n == 0 {
        return 0.0;
    }
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// The process's peak resident set size so far (`VmHWM` in
/// `/proc/self/status`) \[bytes\]; `None` off Linux.
pub fn peak_rss_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status_kib(&status, "VmHWM:").map(|kib| kib * 1024)
}

/// The value of a `Name:   1234 kB` line of `/proc/self/status`.
fn status_kib(status: &str, key: &str) -> Option<u64> {
    let line = status.lines().find(|l| l.starts_with(key))?;
    line[key.len()..].split_whitespace().next()?.parse().ok()
}

const MIB: f64 = 1024.0 * 1024.0;

/// One size with its derived figures: a row of `bench.csv`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Row {
    /// Agents.
    pub agents: u32,
    /// Work items that arrived during the day.
    pub items: u64,
    /// Events the engine emitted.
    pub events: u64,
    /// Wall-clock seconds for the day (median of the runs).
    pub wall_s: f64,
    /// Wall-clock seconds of every run (`--repeat`); not in `bench.csv`.
    pub wall_runs_s: Vec<f64>,
    /// Items per wall-clock second.
    pub items_per_s: f64,
    /// Events per wall-clock second.
    pub events_per_s: f64,
    /// Wall-clock microseconds per item.
    pub cost_per_item_us: f64,
    /// Cost per item divided by that of the smallest size: 1 means the
    /// engine scales linearly in the number of items.
    pub relative_cost: f64,
    /// Peak resident memory of the process that ran only this size \[MiB\].
    pub peak_rss_mib: Option<f64>,
    /// Whether `work.csv` was streamed during the run.
    pub work_csv: bool,
    /// Actor messages, toolkit calls and calendar entries per item, by
    /// kind; not in `bench.csv`.
    pub per_item: Option<PerItem>,
    /// The DES baseline's wall time for the same day (median of its runs),
    /// when it was run side by side (`--des-baseline`).
    pub des_wall_s: Option<f64>,
    /// How many times longer omnisim takes per item than the DES baseline:
    /// the baseline's items/s over omnisim's (the two draw different
    /// random numbers, so their days differ by a few items).
    pub times_des: Option<f64>,
}

/// Whether a target is reached.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetStatus {
    /// The measured figure is within the limit.
    Met,
    /// The measured figure exceeds the limit.
    NotMet,
    /// The series lacks what the target needs (a size, or `work.csv`).
    NotMeasured,
}

impl TargetStatus {
    /// How the table prints it; "NOT met" in capitals so it is not
    /// misread as "met" at a glance.
    pub fn label(self) -> &'static str {
        match self {
            TargetStatus::Met => "met",
            TargetStatus::NotMet => "NOT met",
            TargetStatus::NotMeasured => "not measured",
        }
    }
}

/// A performance target and how the series fares against it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Target {
    /// What is targeted, e.g. `1,000-agent day`.
    pub name: String,
    /// The largest acceptable value.
    pub limit: f64,
    /// Unit of `limit` and `measured`.
    pub unit: String,
    /// The measured value, if the series has it.
    pub measured: Option<f64>,
    /// Met, not met, or not measured.
    pub status: TargetStatus,
    /// Why it is not measured, or how it was measured.
    pub note: Option<String>,
}

impl Target {
    fn check(name: &str, limit: f64, unit: &str, measured: Option<f64>) -> Target {
        let status = match measured {
            Some(v) if v <= limit => TargetStatus::Met,
            Some(_) => TargetStatus::NotMet,
            None => TargetStatus::NotMeasured,
        };
        Target {
            name: name.into(),
            limit,
            unit: unit.into(),
            measured,
            status,
            note: None,
        }
    }

    /// `≤ 0.5 s`-style text of the limit.
    pub fn limit_text(&self) -> String {
        format!("≤ {} {}", trim(self.limit), self.unit)
    }

    /// The measured value with its unit, or `-`.
    pub fn measured_text(&self) -> String {
        match self.measured {
            Some(v) if self.unit == "×" => format!("{v:.2} ×"),
            Some(v) => format!("{v:.2} {}", self.unit),
            None => "-".into(),
        }
    }
}

/// `10000` as `10,000`.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A number without trailing zeros (`0.5`, `5`, `512`).
fn trim(v: f64) -> String {
    let s = format!("{v:.3}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Where the figures were measured.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Machine {
    /// Logical CPUs available to the process.
    pub cpus: usize,
    /// CPU model (`model name` of `/proc/cpuinfo`), if known.
    pub cpu_model: Option<String>,
    /// Operating system.
    pub os: String,
    /// `release` or `debug`: a debug build is many times slower.
    pub build: String,
    /// omnisim version.
    pub omnisim: String,
}

impl Machine {
    /// This machine and build.
    pub fn current() -> Machine {
        let cpu_model = std::fs::read_to_string("/proc/cpuinfo")
            .ok()
            .and_then(|text| {
                text.lines()
                    .find(|l| l.starts_with("model name"))
                    .and_then(|l| l.split_once(':'))
                    .map(|(_, v)| v.trim().to_string())
            });
        Machine {
            cpus: std::thread::available_parallelism().map_or(1, |n| n.get()),
            cpu_model,
            os: std::env::consts::OS.into(),
            build: if cfg!(debug_assertions) {
                "debug"
            } else {
                "release"
            }
            .into(),
            omnisim: env!("CARGO_PKG_VERSION").into(),
        }
    }
}

/// The benchmark day's parameters, recorded with the figures.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Workload {
    /// Simulated hours.
    pub hours: f64,
    /// Mean exponential handle time \[s\].
    pub aht_s: f64,
    /// Occupancy the arrival rate is set for.
    pub occupancy: f64,
    /// Capacity of each agent (one item at a time).
    pub capacity: u32,
    /// Routing model.
    pub routing: String,
    /// Whether pushes are accepted automatically.
    pub auto_accept: bool,
    /// Seed.
    pub seed: u64,
}

/// The scaling series with its derived figures and target checks: what
/// `omnisim bench` prints and writes.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BenchReport {
    /// Where it was measured.
    pub machine: Machine,
    /// What was simulated.
    pub workload: Workload,
    /// Whether each run also streamed `work.csv`.
    pub with_work_csv: bool,
    /// How peak memory was measured.
    pub peak_memory: String,
    /// Runs per size; `wall_s` is their median.
    pub runs_per_size: usize,
    /// One row per size, in increasing order of agents.
    pub sizes: Vec<Row>,
    /// The targets.
    pub targets: Vec<Target>,
}

impl BenchReport {
    /// Derives rates, relative costs and target checks from measurements
    /// (any order; sorted by agents). `memory_note` says how peak memory
    /// was taken (e.g. one fresh process per size).
    pub fn new(
        mut measurements: Vec<Measurement>,
        seed: u64,
        with_work_csv: bool,
        memory_note: &str,
    ) -> BenchReport {
        measurements.sort_by_key(|m| m.agents);
        let per_item = |m: &Measurement| m.wall_s * 1e6 / m.items.max(1) as f64;
        let base = measurements.first().map(per_item).unwrap_or(1.0);
        let rate = |n: f64, s: f64| if s > 0.0 { n / s } else { 0.0 };
        let sizes: Vec<Row> = measurements
            .iter()
            .map(|m| Row {
                agents: m.agents,
                items: m.items,
                events: m.events,
                wall_s: m.wall_s,
                wall_runs_s: m.wall_runs_s.clone(),
                items_per_s: rate(m.items as f64, m.wall_s),
                events_per_s: rate(m.events as f64, m.wall_s),
                cost_per_item_us: per_item(m),
                relative_cost: if base > 0.0 { per_item(m) / base } else { 1.0 },
                peak_rss_mib: m.peak_rss_bytes.map(|b| b as f64 / MIB),
                work_csv: m.work_csv_bytes.is_some(),
                per_item: m.counts.per_item(),
                des_wall_s: None,
                times_des: None,
            })
            .collect();
        let targets = targets(&sizes, with_work_csv);
        BenchReport {
            machine: Machine::current(),
            workload: Workload {
                hours: DAY_HOURS,
                aht_s: AHT_S,
                occupancy: OCCUPANCY,
                capacity: 1,
                routing: "most_available".into(),
                auto_accept: true,
                seed,
            },
            with_work_csv,
            peak_memory: memory_note.into(),
            runs_per_size: sizes.iter().map(|r| r.wall_runs_s.len()).max().unwrap_or(1),
            sizes,
            targets,
        }
    }

    /// Adds the DES baseline's runs of the same days (matched by agents)
    /// and checks the targets stated as ratios to it.
    pub fn with_des(mut self, runs: &[PeerRun]) -> BenchReport {
        for row in &mut self.sizes {
            if let Some(p) = runs.iter().find(|p| p.agents == row.agents) {
                row.des_wall_s = Some(p.wall_s);
                let des_rate = p.items as f64 / p.wall_s.max(1e-12);
                row.times_des = (row.items_per_s > 0.0).then(|| des_rate / row.items_per_s);
            }
        }
        self.targets = targets(&self.sizes, self.with_work_csv);
        self
    }

    /// The text table and the targets, as `omnisim bench` prints them.
    pub fn render_text(&self) -> String {
        let mut s = String::new();
        let w = &self.workload;
        let _ = writeln!(
            s,
            "Erlang-equivalent day: {} h, capacity 1, exponential handle time {} s, occupancy {}, \
             most available, auto-accept, seed {}{}",
            trim(w.hours),
            trim(w.aht_s),
            trim(w.occupancy),
            w.seed,
            if self.with_work_csv {
                ", work.csv streamed"
            } else {
                ""
            }
        );
        let _ = writeln!(
            s,
            "{} build, {} CPUs{}; peak memory: {}",
            self.machine.build,
            self.machine.cpus,
            self.machine
                .cpu_model
                .as_ref()
                .map(|m| format!(" ({m})"))
                .unwrap_or_default(),
            self.peak_memory
        );
        let _ = writeln!(
            s,
            "{:>7} {:>9} {:>10} {:>9} {:>10} {:>11} {:>8} {:>9} {:>9}",
            "agents",
            "items",
            "events",
            "wall [s]",
            "items/s",
            "events/s",
            "µs/item",
            "× cost",
            "peak MiB"
        );
        let many = self.runs_per_size > 1;
        if many {
            s.truncate(s.trim_end().len());
            let _ = writeln!(s, " {:>15}", "runs: min-max");
        }
        let with_des = self.sizes.iter().any(|r| r.times_des.is_some());
        if with_des {
            s.truncate(s.trim_end().len());
            let _ = writeln!(s, " {:>9} {:>7}", "DES [s]", "× DES");
        }
        for r in &self.sizes {
            let _ = write!(
                s,
                "{:>7} {:>9} {:>10} {:>9.3} {:>10.0} {:>11.0} {:>8.2} {:>9.2} {:>9}",
                r.agents,
                r.items,
                r.events,
                r.wall_s,
                r.items_per_s,
                r.events_per_s,
                r.cost_per_item_us,
                r.relative_cost,
                r.peak_rss_mib.map_or("-".into(), |m| format!("{m:.1}"))
            );
            if with_des {
                let _ = write!(
                    s,
                    " {:>9} {:>7}",
                    r.des_wall_s.map_or("-".into(), |w| format!("{w:.3}")),
                    r.times_des.map_or("-".into(), |x| format!("{x:.1}"))
                );
            }
            if many {
                let lo = r.wall_runs_s.iter().copied().fold(f64::INFINITY, f64::min);
                let hi = r.wall_runs_s.iter().copied().fold(0.0, f64::max);
                let _ = write!(s, " {:>15}", format!("{lo:.3}-{hi:.3}"));
            }
            s.push('\n');
        }
        if many {
            let _ = writeln!(
                s,
                "(wall: median of {} runs of the same day)",
                self.runs_per_size
            );
        }
        if let Some(first) = self.sizes.first() {
            let _ = writeln!(
                s,
                "(× cost: cost per item relative to the {}-agent day)",
                first.agents
            );
        }
        if with_des {
            let _ = writeln!(
                s,
                "(× DES: omnisim's time per item over that of the DES baseline, a plain event \
                 loop of the same day, run side by side)"
            );
        }
        let counted: Vec<_> = self
            .sizes
            .iter()
            .filter_map(|r| r.per_item.map(|p| (r.agents, p)))
            .collect();
        if !counted.is_empty() {
            let _ = writeln!(
                s,
                "per item: {:>7} {:>9} {:>8} {:>7} {:>7} {:>8} {:>9} {:>9}",
                "agents",
                "messages",
                "arrival",
                "push",
                "notice",
                "toolkit",
                "in agent",
                "calendar"
            );
            for (agents, p) in counted {
                let _ = writeln!(
                    s,
                    "          {:>7} {:>9.2} {:>8.2} {:>7.2} {:>7.2} {:>8.2} {:>9.2} {:>9.2}",
                    agents,
                    p.actor_messages,
                    p.router_arrivals,
                    p.agent_pushes,
                    p.router_notices,
                    p.toolkit_messages,
                    p.toolkit_in_handler,
                    p.calendar_entries
                );
            }
            let _ = writeln!(
                s,
                "(messages: actor messages of every kind; of them an item reaching the router, \
                 the push, agents' notices to the router, toolkit calls sent as messages; \
                 in agent: toolkit calls applied in the agent's handler; calendar: entries)"
            );
        }
        let _ = writeln!(s, "targets:");
        for t in &self.targets {
            let _ = writeln!(
                s,
                "  {:<44} {:<10} measured {:<12} {}{}",
                t.name,
                t.limit_text(),
                t.measured_text(),
                t.status.label(),
                t.note
                    .as_ref()
                    .map(|n| format!(" ({n})"))
                    .unwrap_or_default()
            );
        }
        s
    }

    /// `bench.json`: the whole report, pretty-printed.
    pub fn to_json(&self) -> String {
        let mut text =
            serde_json::to_string_pretty(self).expect("the report holds only plain data");
        text.push('\n');
        text
    }

    /// `bench.csv`: [`CSV_HEADER`] and one row per size; numbers with
    /// fixed decimals, an empty cell where a figure is unknown.
    pub fn to_csv(&self) -> String {
        let mut w = csv::Writer::from_writer(Vec::new());
        let _ = w.write_record(CSV_HEADER);
        for r in &self.sizes {
            let _ = w.write_record([
                r.agents.to_string(),
                r.items.to_string(),
                r.events.to_string(),
                format!("{:.6}", r.wall_s),
                format!("{:.1}", r.items_per_s),
                format!("{:.1}", r.events_per_s),
                format!("{:.4}", r.cost_per_item_us),
                format!("{:.4}", r.relative_cost),
                r.peak_rss_mib.map_or(String::new(), |m| format!("{m:.1}")),
                r.work_csv.to_string(),
            ]);
        }
        String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
    }

    /// Writes `bench.json` and `bench.csv` into `dir` (created if
    /// missing), each atomically; returns their paths.
    pub fn write_files(&self, dir: &Path) -> io::Result<Vec<PathBuf>> {
        std::fs::create_dir_all(dir)?;
        let mut written = Vec::new();
        for (name, text) in [(JSON_FILE, self.to_json()), (CSV_FILE, self.to_csv())] {
            written.push(write_atomically(dir, name, text.as_bytes())?);
        }
        Ok(written)
    }

    /// An SVG chart of cost per item against agents (logarithmic axis),
    /// with the cost-per-item target (1.5 × the 100-agent cost) dashed
    /// when the series has a 100-agent day.
    pub fn render_chart(&self) -> Result<String, String> {
        chart(self).map_err(|e| format!("cannot draw the chart: {e}"))
    }
}

/// The four targets of the benchmarking issue, checked against `rows`.
fn targets(rows: &[Row], with_work_csv: bool) -> Vec<Target> {
    let at = |n: u32| rows.iter().find(|r| r.agents == n);
    let ratio = |n: u32, limit: f64| {
        let mut t = Target::check(
            &format!("{}-agent day ÷ DES baseline", thousands(u64::from(n))),
            limit,
            "×",
            at(n).and_then(|r| r.times_des),
        );
        if at(n).is_some() && t.measured.is_none() {
            t.note = Some("no DES baseline run; give --des-baseline".into());
        }
        t
    };
    let mut v = vec![
        ratio(1_000, 8.0),
        ratio(10_000, 10.0),
        Target::check(
            "cost per item at 10,000 agents / at 100",
            1.5,
            "×",
            at(10_000)
                .zip(at(100))
                .map(|(a, b)| a.cost_per_item_us / b.cost_per_item_us),
        ),
    ];
    let peak = at(10_000).and_then(|r| r.peak_rss_mib);
    let mut memory = Target::check(
        "peak memory at 10,000 agents with work.csv",
        64.0,
        "MiB",
        peak,
    );
    if peak.is_some() && !with_work_csv {
        // The figure is shown, but the target is about a run that also
        // writes work.csv, which this one did not.
        memory.status = TargetStatus::NotMeasured;
        memory.note = Some("run without work.csv; add --with-work-csv".into());
    }
    v.push(memory);
    for t in &mut v {
        if t.status == TargetStatus::NotMeasured && t.note.is_none() {
            t.note = Some("size not in the series".into());
        }
    }
    v
}

fn chart(report: &BenchReport) -> Result<String, Box<dyn std::error::Error>> {
    use plotters::prelude::*;
    let points: Vec<(f64, f64)> = report
        .sizes
        .iter()
        .map(|r| (r.agents as f64, r.cost_per_item_us))
        .collect();
    let target = report
        .sizes
        .iter()
        .find(|r| r.agents == 100)
        .map(|r| 1.5 * r.cost_per_item_us);
    let (x_lo, x_hi) = points.iter().fold((f64::MAX, f64::MIN), |(lo, hi), p| {
        (lo.min(p.0), hi.max(p.0))
    });
    let (x_lo, x_hi) = if points.is_empty() {
        (10.0, 100_000.0)
    } else {
        (x_lo / 2.0, x_hi * 2.0)
    };
    let y_max = points
        .iter()
        .map(|p| p.1)
        .chain(target)
        .fold(0.0f64, f64::max);
    let y_top = if y_max > 0.0 { y_max * 1.15 } else { 1.0 };

    let mut buf = String::new();
    {
        let root = SVGBackend::with_string(&mut buf, (720, 420)).into_drawing_area();
        root.fill(&WHITE)?;
        let mut c = ChartBuilder::on(&root)
            .caption(
                "omnisim: wall-clock cost per item, Erlang-equivalent 8-hour day",
                ("sans-serif", 20.0),
            )
            .margin(16)
            .x_label_area_size(44)
            .y_label_area_size(64)
            .build_cartesian_2d((x_lo..x_hi).log_scale(), 0.0..y_top)?;
        let y_decimals = if y_top >= 10.0 { 0 } else { 1 };
        c.configure_mesh()
            .x_desc("agents (log scale)")
            .y_desc("µs per item")
            .x_label_formatter(&|x| thousands(x.round() as u64))
            .y_label_formatter(&|y| format!("{y:.y_decimals$}"))
            .label_style(("sans-serif", 15.0))
            // The log axis has a light line per unit step; they only add
            // clutter between the three decades.
            .light_line_style(WHITE)
            .draw()?;
        let blue = RGBColor(0, 114, 178);
        c.draw_series(LineSeries::new(
            points.iter().copied(),
            blue.stroke_width(2),
        ))?
        .label("measured")
        .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], blue));
        c.draw_series(points.iter().map(|&p| Circle::new(p, 4, blue.filled())))?;
        if let Some(t) = target {
            let orange = RGBColor(213, 94, 0);
            c.draw_series(DashedLineSeries::new(
                [(x_lo, t), (x_hi, t)],
                8,
                5,
                orange.stroke_width(2),
            ))?
            .label("target: 1.5 × the 100-agent cost")
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], orange));
        }
        c.configure_series_labels()
            .position(SeriesLabelPosition::LowerRight)
            .background_style(WHITE.mix(0.9))
            .border_style(RGBColor(200, 200, 200))
            .label_font(("sans-serif", 15.0))
            .draw()?;
        root.present()?;
    }
    Ok(buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(agents: u32, items: u64, wall_s: f64) -> Measurement {
        Measurement {
            agents,
            items,
            events: items * 5,
            wall_s,
            wall_runs_s: vec![wall_s],
            peak_rss_bytes: Some(64 << 20),
            work_csv_bytes: None,
            counts: EngineCounts::default(),
        }
    }

    #[test]
    fn rates_follow_occupancy() {
        assert_eq!(rate_per_hour(100), 1_080.0);
        assert_eq!(rate_per_hour(1_000), 10_800.0);
        assert_eq!(rate_per_hour(10_000), 108_000.0);
        let s = day(100, 1);
        assert_eq!(s.agent_count(), 100);
        assert_eq!(s.run_length().as_secs_f64(), 8.0 * 3600.0);
    }

    #[test]
    fn report_derives_costs_relative_to_the_smallest_size_and_checks_targets() {
        let r = BenchReport::new(
            vec![
                m(10_000, 864_000, 8.64),
                m(100, 8_640, 0.0432),
                m(1_000, 86_400, 0.4),
            ],
            7,
            false,
            "test",
        );
        let agents: Vec<u32> = r.sizes.iter().map(|r| r.agents).collect();
        assert_eq!(agents, [100, 1_000, 10_000]);
        assert!((r.sizes[0].cost_per_item_us - 5.0).abs() < 1e-9);
        assert!((r.sizes[2].relative_cost - 2.0).abs() < 1e-9);
        assert!((r.sizes[1].items_per_s - 216_000.0).abs() < 1e-6);
        let status: Vec<TargetStatus> = r.targets.iter().map(|t| t.status).collect();
        assert_eq!(
            status,
            [
                TargetStatus::NotMeasured,
                TargetStatus::NotMeasured,
                TargetStatus::NotMet,
                TargetStatus::NotMeasured
            ]
        );
        assert_eq!(
            r.targets[0].note.as_deref(),
            Some("no DES baseline run; give --des-baseline")
        );
        assert_eq!(r.targets[3].measured, Some(64.0));
        assert!(!r.render_text().contains("× DES"));

        // The DES baseline side by side: omnisim's time per item over its.
        let r = r.with_des(&[
            PeerRun {
                agents: 1_000,
                items: 86_400,
                wall_s: 0.04,
            },
            PeerRun {
                agents: 10_000,
                items: 864_000,
                wall_s: 1.0,
            },
        ]);
        assert!((r.sizes[1].times_des.unwrap() - 10.0).abs() < 1e-9);
        assert!((r.sizes[2].times_des.unwrap() - 8.64).abs() < 1e-9);
        assert_eq!(r.sizes[0].times_des, None);
        let status: Vec<TargetStatus> = r.targets.iter().map(|t| t.status).collect();
        assert_eq!(status[..2], [TargetStatus::NotMet, TargetStatus::Met]);
        assert!(r.render_text().contains("× DES"), "{}", r.render_text());
        let text = r.render_text();
        assert!(text.contains("NOT met"), "{text}");
        let csv = r.to_csv();
        assert!(csv.starts_with(&CSV_HEADER.join(",")));
        assert_eq!(csv.lines().count(), 4);
        // Plain cells, never quoted: numbers in fixed decimals, an empty
        // cell for an unknown figure.
        for (line, r) in csv.lines().skip(1).zip(&r.sizes) {
            let rss = r.peak_rss_mib.map_or(String::new(), |m| format!("{m:.1}"));
            assert_eq!(
                line,
                format!(
                    "{},{},{},{:.6},{:.1},{:.1},{:.4},{:.4},{rss},{}",
                    r.agents,
                    r.items,
                    r.events,
                    r.wall_s,
                    r.items_per_s,
                    r.events_per_s,
                    r.cost_per_item_us,
                    r.relative_cost,
                    r.work_csv
                )
            );
        }
        let svg = r.render_chart().unwrap();
        assert!(svg.starts_with("<svg") && svg.contains("target"), "{svg}");
    }

    #[test]
    fn missing_sizes_are_not_measured() {
        let r = BenchReport::new(vec![m(100, 8_640, 0.05)], 1, true, "test");
        assert!(r
            .targets
            .iter()
            .all(|t| t.status == TargetStatus::NotMeasured));
        assert!(r.to_json().contains("\"not_measured\""));
    }

    #[test]
    fn median_of_odd_and_even_counts() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), 2.5);
    }

    #[test]
    fn thousands_separators() {
        assert_eq!(thousands(100), "100");
        assert_eq!(thousands(1_000), "1,000");
        assert_eq!(thousands(108_000), "108,000");
    }

    #[test]
    fn reads_vm_hwm() {
        let status = "Name:\tx\nVmPeak:\t  9000 kB\nVmHWM:\t    1234 kB\n";
        assert_eq!(status_kib(status, "VmHWM:"), Some(1234));
        if cfg!(target_os = "linux") {
            assert!(peak_rss_bytes().unwrap() > 0);
        }
    }
}
