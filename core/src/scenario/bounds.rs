//! Resource bounds, decided before a run starts.
//!
//! A scenario can be valid key by key and still describe a run no machine
//! finishes: `interval = "1us"` over an hour is 3.6 billion reporting
//! intervals, `count = 1000000000` a billion agent actors, `warmup =
//! "200000y"` two hundred thousand years of arrivals. Such a run used to abort
//! with an allocation failure (exit 134, no message) or run forever, so
//! `check`, `run` and `plan` now estimate, from the validated
//! [`Scenario`], what a run will hold and do, and refuse it beforehand with
//! a located error naming the key that drives the estimate
//! ([`BoundsError::locate`]). [`estimate`] is a pure function of the
//! scenario and the [`RunShape`] (replications held, replications run at
//! once); [`check_bounds`] compares it with [`Limits`].
//!
//! # The estimate and where its constants come from
//!
//! Memory is the sum of
//!
//! - **interval statistics**: `ceil(duration / interval) × (queues + 1)`
//!   rows (one per queue and the overall row) for every replication held,
//!   at [`INTERVAL_ROW_BYTES`] each;
//! - **agents**: every agent of every group, at [`AGENT_BYTES`] each, for
//!   every replication running at once;
//! - **items in flight**: per arrival stream its highest rate times how
//!   long an item can stay: the mean patience plus the mean handle time
//!   when customers abandon; when nobody does, [`STABLE_STAY_HANDLES`]
//!   mean handle times if the agents who may take the queue's items can
//!   hold the offered load at that rate, else the whole run (the backlog
//!   grows all along); at [`ITEM_BYTES`] each, for every replication
//!   running at once;
//! - the program itself, [`BASE_BYTES`].
//!
//! The per-unit constants were measured with the release build as the
//! growth of peak memory (`VmHWM`, as `omnisim bench` reports it) between
//! two sizes of the minimal scenario (one channel, one queue at 10 items
//! an hour, one agent, 1 h, `--jobs 1`): 100,000 → 300,000 agents added
//! 528 MB (2.7 KB an agent; the 10,000-agent benchmark day of
//! `docs/BENCHMARKS.md` peaks at 50.2 MiB, about 5 KB an agent with the
//! items those agents serve); 86,400 → 345,600 one-second
//! intervals added 202 MB with one queue and 3 queues doubled the total
//! (408 B per row, the intervals.csv text included); 1 → 3 million items
//! waiting for one agent added 1.19 GB (597 B an item).
//!
//! Events: every item costs [`EVENTS_PER_ITEM`] events (arrival, push,
//! accept, end of handling, close and a router pass; the 7.0 of the
//! benchmark day in `docs/BENCHMARKS.md`, of which 5 are calendar entries
//! by engine.json's counts), every agent
//! [`EVENTS_PER_AGENT`] (login, shift end, logout) plus two per break, for
//! every replication. The default bound [`DEFAULT_MAX_EVENTS`] is hours of
//! computing at the 1.2–2.7 million events a second of the scaling table in
//! `docs/BENCHMARKS.md` (10,000 and 100 agents).
//!
//! Output: `intervals.csv` gets one row per interval and queue plus the
//! overall row; more than [`MAX_INTERVAL_ROWS`] (`--max-interval-rows`) is refused whatever the
//! memory (about 150 bytes a row).
//!
//! Arrival rates: time is counted in whole microseconds, so a stream
//! whose mean gap is below one tick draws gaps of zero and simulated time
//! stops advancing; a rate above [`MAX_RATE_PER_HOUR`] (one arrival per
//! microsecond) is refused as an input error.
//!
//! The estimate is deliberately simple and on the generous side; what it
//! leaves out (transfers, retrials, the day's busyness factor, routing
//! indexes) is small next to the terms above for any run that fits.

use super::error::ScenarioErrorKind as Kind;
use super::raw::{self, RawScenario};
use super::{ArrivalRate, Scenario, ScenarioError};
use crate::omni::{CapacityUnits, QueueId, MAX_OPEN_ITEMS};
use std::ops::Range;
use std::path::Path;

/// Bytes an agent holds while a replication runs (actor, state, work list,
/// per-agent statistics); measured, see the module doc.
pub const AGENT_BYTES: f64 = 2_800.0;
/// Bytes an item in flight holds (its record, its place in the backlog
/// and in the work recorder); measured, see the module doc.
pub const ITEM_BYTES: f64 = 600.0;
/// Bytes one interval row (a queue's or the overall figures of one
/// reporting interval) holds per replication, including its share of the
/// `intervals.csv` text; measured, see the module doc.
pub const INTERVAL_ROW_BYTES: f64 = 420.0;
/// The program's own footprint (binary, runtime, buffers).
pub const BASE_BYTES: f64 = 16.0 * 1024.0 * 1024.0;
/// How long, in mean handle times, an item of a queue its agents can
/// carry is counted in flight when nobody abandons: generous for any
/// queue below full load (an M/M/c queue at 99% load of 20 servers waits
/// about 5 handle times on average).
pub const STABLE_STAY_HANDLES: f64 = 100.0;
/// Events per item (the scaling table of docs/BENCHMARKS.md: 6,052,672
/// events for 864,382 items).
pub const EVENTS_PER_ITEM: f64 = 7.0;
/// Calendar entries per agent besides its items: login, shift end,
/// logout (two more per break).
pub const EVENTS_PER_AGENT: f64 = 3.0;
/// Default bound on the events of a whole run, all replications: some
/// hours of computing at the 1.2–2.7 million events a second of the
/// scaling table in docs/BENCHMARKS.md.
pub const DEFAULT_MAX_EVENTS: f64 = 1e10;
/// Events a second one core processes, cautiously: half the 1.2 million
/// of the benchmark's largest day (docs/BENCHMARKS.md, 10,000 agents), as
/// a busy machine gives; used only to say how long a refused run would
/// take.
pub const EVENTS_PER_SECOND: f64 = 600_000.0;
/// Most rows `intervals.csv` may get (about 300 MB).
pub const MAX_INTERVAL_ROWS: f64 = 2e6;
/// Highest arrival rate of one stream \[items/hour\]: one arrival per
/// microsecond tick on average.
pub const MAX_RATE_PER_HOUR: f64 = 3.6e9;
/// Share of the machine's memory (`MemTotal` of `/proc/meminfo`) that
/// `--max-memory` defaults to at most: half, leaving the rest to the
/// system and to whatever else runs.
pub const DEFAULT_MEMORY_SHARE: f64 = 0.5;
/// Share of the machine's memory used where it cannot be read: this
/// many bytes stand for the machine's half.
pub const FALLBACK_MAX_MEMORY: u64 = 8 * 1024 * 1024 * 1024;

/// What a run may use; beyond either bound it is refused.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct Limits {
    /// Most bytes of memory the estimate may reach (`--max-memory`).
    pub max_memory: u64,
    /// Most events of the whole run (`--max-events`).
    pub max_events: f64,
    /// Most rows `intervals.csv` may get (`--max-interval-rows`).
    pub max_interval_rows: f64,
}

impl Limits {
    /// The defaults: [`default_max_memory`] (the least of
    /// [`DEFAULT_MEMORY_SHARE`] of this machine's memory, the cgroup's
    /// memory limit and the address-space limit), [`DEFAULT_MAX_EVENTS`]
    /// and [`MAX_INTERVAL_ROWS`]. Read once per process.
    pub fn for_this_machine() -> Limits {
        static MACHINE: std::sync::OnceLock<Limits> = std::sync::OnceLock::new();
        *MACHINE.get_or_init(|| Limits {
            max_memory: default_max_memory(),
            max_events: DEFAULT_MAX_EVENTS,
            max_interval_rows: MAX_INTERVAL_ROWS,
        })
    }

    /// No bound at all: for a caller that has checked the scenario's
    /// size itself, or a test of the bounds.
    pub const UNBOUNDED: Limits = Limits {
        max_memory: u64::MAX,
        max_events: f64::INFINITY,
        max_interval_rows: f64::INFINITY,
    };
}

/// The memory a process may use, as far as this machine says: the bounds
/// `--max-memory` defaults to the least of.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct MemoryLimits {
    /// [`DEFAULT_MEMORY_SHARE`] of `MemTotal` (`/proc/meminfo`).
    pub machine_share: Option<u64>,
    /// The memory limit of the control group the process runs in (a
    /// container, a Kubernetes pod, a systemd slice): cgroup v2
    /// `memory.max`, or cgroup v1 `memory.limit_in_bytes`, the least
    /// along the group's ancestors; `None` for "max" (no limit).
    pub cgroup: Option<u64>,
    /// The process's address-space limit (`RLIMIT_AS`, `ulimit -v`), if
    /// any: an allocation beyond it fails however much memory is free.
    pub address_space: Option<u64>,
}

impl MemoryLimits {
    /// Reads the three limits of this process.
    pub fn detect() -> MemoryLimits {
        let machine_share = std::fs::read_to_string("/proc/meminfo")
            .ok()
            .and_then(|text| mem_total(&text))
            .map(|total| (total as f64 * DEFAULT_MEMORY_SHARE) as u64);
        let cgroup = std::fs::read_to_string("/proc/self/cgroup")
            .ok()
            .and_then(|text| cgroup_limit(&text, Path::new("/sys/fs/cgroup")));
        MemoryLimits {
            machine_share,
            cgroup,
            address_space: address_space_limit(),
        }
    }

    /// The least of the limits, [`FALLBACK_MAX_MEMORY`] standing for the
    /// machine's share where `/proc/meminfo` cannot be read.
    pub fn least(&self) -> u64 {
        [
            Some(self.machine_share.unwrap_or(FALLBACK_MAX_MEMORY)),
            self.cgroup,
            self.address_space,
        ]
        .into_iter()
        .flatten()
        .min()
        .unwrap_or(FALLBACK_MAX_MEMORY)
    }
}

/// The default of `--max-memory`: the least of [`DEFAULT_MEMORY_SHARE`]
/// of the machine's memory, the cgroup's memory limit and the process's
/// address-space limit ([`MemoryLimits`]).
pub fn default_max_memory() -> u64 {
    MemoryLimits::detect().least()
}

/// `MemTotal` of a `/proc/meminfo` text, in bytes.
fn mem_total(meminfo: &str) -> Option<u64> {
    let line = meminfo.lines().find(|l| l.starts_with("MemTotal:"))?;
    let mut words = line.split_whitespace().skip(1);
    let n: u64 = words.next()?.parse().ok()?;
    match words.next() {
        Some("kB") => n.checked_mul(1024),
        None => Some(n),
        Some(_) => None,
    }
}

/// A cgroup memory limit file's value: bytes, or `None` for no limit
/// (`max` in cgroup v2; in v1 a number near 2^63, the "unlimited" the
/// kernel rounds to its page size).
fn limit_value(text: &str) -> Option<u64> {
    let n: u64 = text.trim().parse().ok()?;
    (n < 1 << 62).then_some(n)
}

/// The memory limit of the process's control group, from the text of
/// `/proc/self/cgroup` and the cgroup file systems under `root`
/// (`/sys/fs/cgroup`): the least `memory.max` (v2, the `0::/path` line)
/// or `memory.limit_in_bytes` (v1, the `memory` controller's line) of the
/// group and its ancestors. A container that shows its own group as the
/// root has the limit at the top of the mount, which is read too.
fn cgroup_limit(proc_cgroup: &str, root: &Path) -> Option<u64> {
    let mut files = Vec::new();
    for line in proc_cgroup.lines() {
        let mut parts = line.splitn(3, ':');
        let (Some(_), Some(controllers), Some(path)) = (parts.next(), parts.next(), parts.next())
        else {
            continue;
        };
        let (base, name) = if controllers.is_empty() {
            (root.to_path_buf(), "memory.max")
        } else if controllers.split(',').any(|c| c == "memory") {
            (root.join("memory"), "memory.limit_in_bytes")
        } else {
            continue;
        };
        let mut dir = base.join(path.trim_start_matches('/'));
        loop {
            files.push(dir.join(name));
            if dir == base || !dir.pop() {
                break;
            }
        }
        files.push(base.join(name));
    }
    files
        .iter()
        .filter_map(|f| std::fs::read_to_string(f).ok())
        .filter_map(|text| limit_value(&text))
        .min()
}

/// The soft address-space limit (`RLIMIT_AS`), if there is one.
fn address_space_limit() -> Option<u64> {
    #[cfg(unix)]
    {
        let mut limit = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: getrlimit only writes the struct it is given.
        let ok = unsafe { libc::getrlimit(libc::RLIMIT_AS, &mut limit) } == 0;
        // `rlim_t` is u64 on Linux but not on every Unix.
        #[allow(clippy::unnecessary_cast)]
        let current = limit.rlim_cur as u64;
        (ok && limit.rlim_cur != libc::RLIM_INFINITY).then_some(current)
    }
    #[cfg(not(unix))]
    {
        None
    }
}

/// Parses a memory size: a number of bytes, or a number with a unit
/// (`KB`, `MB`, `GB`, `TB` powers of 1000; `KiB`, `MiB`, `GiB`, `TiB`
/// powers of 1024; `K`, `M`, `G`, `T` like the former).
pub fn parse_bytes(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let split = t.find(|c: char| c.is_ascii_alphabetic()).unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let n: f64 = number
        .trim()
        .parse()
        .map_err(|_| format!("\"{t}\" is not a size; expected e.g. 12GB, 500MB or 8GiB"))?;
    let scale = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1.0,
        "k" | "kb" => 1e3,
        "m" | "mb" => 1e6,
        "g" | "gb" => 1e9,
        "t" | "tb" => 1e12,
        "kib" => 1024.0,
        "mib" => 1024.0 * 1024.0,
        "gib" => 1024.0 * 1024.0 * 1024.0,
        "tib" => 1024.0 * 1024.0 * 1024.0 * 1024.0,
        other => {
            return Err(format!(
                "unknown unit \"{other}\"; expected B, KB, MB, GB, TB, KiB, MiB, GiB or TiB"
            ))
        }
    };
    let bytes = n * scale;
    if !(bytes >= 1.0 && bytes < u64::MAX as f64) {
        return Err(format!("\"{t}\" must be at least 1 byte"));
    }
    Ok(bytes as u64)
}

/// What the command adds to the scenario: how many replications it may
/// hold (with `--precision`, its maximum) and how many run at once.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct RunShape {
    /// Replications whose results are held until the files are written.
    pub replications: u32,
    /// Replications simulated at the same time (`--jobs`, at most
    /// `replications`).
    pub parallel: u32,
    /// Whether `replications` comes from the command line rather than
    /// the file (the error then names the flag).
    pub replications_from_flag: bool,
}

impl RunShape {
    /// The scenario's own replications, run `jobs` at a time.
    pub fn of(scenario: &Scenario, jobs: u32) -> RunShape {
        let replications = scenario.simulation.replications.max(1);
        RunShape {
            replications,
            parallel: jobs.clamp(1, replications),
            replications_from_flag: false,
        }
    }
}

/// What a run of a scenario is estimated to hold and do.
#[derive(Clone, Debug, PartialEq)]
pub struct Estimate {
    /// Reporting intervals of the measured period.
    pub intervals: f64,
    /// Rows of `intervals.csv`: intervals × (queues + 1).
    pub interval_rows: f64,
    /// Bytes of interval statistics, all replications held.
    pub interval_bytes: f64,
    /// Agents of all groups.
    pub agents: f64,
    /// Bytes of agents, all replications running at once.
    pub agent_bytes: f64,
    /// Items in flight at most, one replication.
    pub in_flight: f64,
    /// Bytes of items in flight, all replications running at once.
    pub item_bytes: f64,
    /// Total estimated peak memory in bytes.
    pub memory: f64,
    /// Items arriving in one replication (expected).
    pub items: f64,
    /// Events of the whole run, all replications.
    pub events: f64,
    /// The arrival stream holding the most items in flight, if any.
    heaviest_stream: Option<usize>,
    /// The stream arriving most items, if any.
    busiest_stream: Option<usize>,
    /// The largest agent group, if any.
    largest_group: Option<usize>,
}

/// Estimates what a run of `scenario` shaped by `shape` holds and does;
/// see the module doc for the formula.
pub fn estimate(scenario: &Scenario, shape: RunShape) -> Estimate {
    let sim = &scenario.simulation;
    let reps = f64::from(shape.replications.max(1));
    let parallel = f64::from(shape.parallel.clamp(1, shape.replications.max(1)));
    let duration_s = sim.duration.as_secs_f64();
    let run_s = scenario.run_length().as_secs_f64();
    let interval_s = sim.interval.as_secs_f64().max(1e-6);
    let intervals = (duration_s / interval_s).ceil().max(1.0);
    let interval_rows = intervals * (scenario.queues.len() as f64 + 1.0);
    let interval_bytes = interval_rows * reps * INTERVAL_ROW_BYTES;

    let agents: f64 = scenario.agents.iter().map(|g| f64::from(g.count)).sum();
    let agent_bytes = agents * AGENT_BYTES * parallel;
    let breaks: f64 = scenario
        .agents
        .iter()
        .flat_map(|g| g.roster.iter())
        .map(|r| f64::from(r.count) * r.breaks.len() as f64)
        .sum();

    let mut in_flight = 0.0;
    let mut items = 0.0;
    let (mut heaviest, mut busiest) = (None, None);
    let (mut most_held, mut most_items) = (0.0, 0.0);
    for (i, a) in scenario.arrivals.iter().enumerate() {
        let peak_per_s = peak_rate_per_hour(&a.rate) / 3600.0;
        let handle_s = a.handle_time.mean_secs();
        let stay_s = match &a.patience {
            Some(p) => (p.mean_secs() + handle_s).min(run_s),
            // Nobody leaves unanswered: a queue its agents can carry
            // keeps its backlog bounded, one they cannot grows all run.
            None if peak_per_s * handle_s < items_at_once(scenario, a.queue) => {
                (STABLE_STAY_HANDLES * handle_s).min(run_s)
            }
            None => run_s,
        };
        let held = peak_per_s * stay_s;
        in_flight += held;
        if held > most_held {
            (most_held, heaviest) = (held, Some(i));
        }
        let arriving = expected_arrivals(&a.rate, sim.warmup.as_secs_f64(), duration_s);
        items += arriving;
        if arriving > most_items {
            (most_items, busiest) = (arriving, Some(i));
        }
    }
    let item_bytes = in_flight * ITEM_BYTES * parallel;
    let memory = BASE_BYTES + interval_bytes + agent_bytes + item_bytes;
    let events = reps * (items * EVENTS_PER_ITEM + agents * EVENTS_PER_AGENT + 2.0 * breaks);
    let largest_group = scenario
        .agents
        .iter()
        .enumerate()
        .max_by_key(|(_, g)| g.count)
        .map(|(i, _)| i);
    Estimate {
        intervals,
        interval_rows,
        interval_bytes,
        agents,
        agent_bytes,
        in_flight,
        item_bytes,
        memory,
        items,
        events,
        heaviest_stream: heaviest,
        busiest_stream: busiest,
        largest_group,
    }
}

/// Items of `queue` that the groups who may take them hold at once,
/// every agent logged in (as `check`'s summary counts them: capacity over
/// cost, at most [`MAX_OPEN_ITEMS`] an agent).
fn items_at_once(scenario: &Scenario, queue: QueueId) -> f64 {
    let r = &scenario.queues[queue.index()].routing;
    scenario
        .agents
        .iter()
        .filter(|g| g.may_take(queue, r.routing_type, &r.skills))
        .map(|g| {
            let capacity = scenario.presence_configs[g.presence_config.index()].capacity;
            let cost = r.cost.units_for(capacity).0.max(1);
            let per_agent = (CapacityUnits::whole(capacity).0 / cost).min(MAX_OPEN_ITEMS as u64);
            f64::from(g.count) * per_agent as f64
        })
        .sum()
}

/// The highest rate a stream reaches \[items/hour\].
fn peak_rate_per_hour(rate: &ArrivalRate) -> f64 {
    match rate {
        ArrivalRate::Constant(r) => *r,
        ArrivalRate::Profile { per_hour, .. } => per_hour.iter().copied().fold(0.0, f64::max),
    }
}

/// Expected arrivals of a stream over the warm-up and the measured
/// period; a profile's warm-up runs at its first segment and its last
/// segment holds past its end (as [`ArrivalRate::Profile`] says).
fn expected_arrivals(rate: &ArrivalRate, warmup_s: f64, duration_s: f64) -> f64 {
    match rate {
        ArrivalRate::Constant(r) => r / 3600.0 * (warmup_s + duration_s),
        ArrivalRate::Profile {
            interval, per_hour, ..
        } => {
            let Some((&first, &last)) = per_hour.first().zip(per_hour.last()) else {
                return 0.0;
            };
            let seg_s = interval.as_secs_f64().max(1e-6);
            let mut total = first / 3600.0 * warmup_s;
            let mut covered = 0.0;
            for r in per_hour {
                if covered >= duration_s {
                    break;
                }
                let len = seg_s.min(duration_s - covered);
                total += r / 3600.0 * len;
                covered += len;
            }
            total + last / 3600.0 * (duration_s - covered).max(0.0)
        }
    }
}

/// The key a refusal is about, as the file writes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BoundKey {
    /// A key of `[simulation]` (`interval`, `duration`, `warmup`,
    /// `replications`).
    Simulation(&'static str),
    /// The rate of `arrivals[i]` (`rate_per_hour`, `rate_profile`,
    /// `rate_profile_csv` or `forecast_csv`, whichever it has).
    ArrivalRate(usize),
    /// The size of `agents[i]` (`count`, `shifts` or `roster_csv`).
    AgentCount(usize),
    /// A whole section, such as `agents` (its first item is pointed at).
    Section(&'static str),
}

/// Why a run was refused before it started; [`BoundsError::locate`]
/// turns it into a located [`ScenarioError`].
#[derive(Clone, Debug, PartialEq)]
pub struct BoundsError {
    /// The key whose value drives the refused figure.
    pub key: BoundKey,
    /// What the value gives and the bound it passes, e.g. `gives 3.6e9
    /// intervals × 2 rows × 1 replication: 3.0 TB; the limit is 12 GB
    /// (--max-memory)`.
    pub what: String,
    /// What to change.
    pub hint: String,
    /// Whether the replications came from `--replications`.
    replications_from_flag: bool,
}

/// Checks the arrival rates, then the estimate of a run against `limits`:
/// the first bound passed is returned as an error naming the key that
/// drives it. The rates come first because they are an input error
/// whatever the machine.
pub fn check_bounds(
    scenario: &Scenario,
    shape: RunShape,
    limits: &Limits,
) -> Result<Estimate, BoundsError> {
    let refuse = |key, what: String, hint: &str| BoundsError {
        key,
        what,
        hint: hint.to_owned(),
        replications_from_flag: shape.replications_from_flag,
    };
    for (i, a) in scenario.arrivals.iter().enumerate() {
        let peak = peak_rate_per_hour(&a.rate);
        if peak > MAX_RATE_PER_HOUR {
            return Err(refuse(
                BoundKey::ArrivalRate(i),
                format!(
                    "reaches {} items an hour: arrivals less than the clock's 1 µs tick apart, \
                     so simulated time would stop advancing; the highest rate a stream can \
                     carry is {} an hour (one arrival a microsecond)",
                    count(peak),
                    count(MAX_RATE_PER_HOUR)
                ),
                "lower the rate, or split the demand over several queues",
            ));
        }
    }
    let e = estimate(scenario, shape);
    let sim = &scenario.simulation;
    let reps = shape.replications.max(1);
    let interval_key = || interval_key(sim, reps, e.intervals);
    // A run over a year long is more likely the mistake than the rate.
    let long_run = || {
        let year = 366.0 * 86_400.0;
        if sim.warmup > sim.duration && sim.warmup.as_secs_f64() > year {
            Some((BoundKey::Simulation("warmup"), "use a shorter warm-up"))
        } else if sim.duration.as_secs_f64() > year {
            Some((BoundKey::Simulation("duration"), "use a shorter duration"))
        } else {
            None
        }
    };
    check_interval_rows(sim, scenario.queues.len(), reps, limits).map_err(|e| BoundsError {
        replications_from_flag: shape.replications_from_flag,
        ..e
    })?;
    if e.memory > limits.max_memory as f64 {
        let limit = format!(
            "the limit is {} (--max-memory)",
            bytes(limits.max_memory as f64)
        );
        let largest = e.interval_bytes.max(e.agent_bytes).max(e.item_bytes);
        let parallel = shape.parallel.clamp(1, reps);
        let at_once = if parallel > 1 {
            format!(" × {parallel} replications at once")
        } else {
            String::new()
        };
        return Err(if largest == e.interval_bytes {
            let (key, hint) = interval_key();
            refuse(
                key,
                format!(
                    "gives {} intervals × {} rows × {} replication(s) of interval statistics: \
                     {} in all; {limit}",
                    count(e.intervals),
                    scenario.queues.len() + 1,
                    count(f64::from(reps)),
                    bytes(e.memory)
                ),
                hint,
            )
        } else if largest == e.agent_bytes {
            refuse(
                BoundKey::AgentCount(e.largest_group.unwrap_or(0)),
                format!(
                    "gives {} agents{at_once}: {} in all; {limit}",
                    count(e.agents),
                    bytes(e.memory)
                ),
                "use fewer agents, or fewer --jobs",
            )
        } else {
            let (key, hint) = long_run().unwrap_or((
                BoundKey::ArrivalRate(e.heaviest_stream.unwrap_or(0)),
                "lower the rate, give the customers a patience, or shorten the run",
            ));
            refuse(
                key,
                format!(
                    "gives up to {} items in flight{at_once}: {} in all; {limit}",
                    count(e.in_flight),
                    bytes(e.memory)
                ),
                hint,
            )
        });
    }
    if e.events > limits.max_events {
        let item_events = e.items * EVENTS_PER_ITEM;
        let (key, hint) = if f64::from(reps) > 1000.0 {
            (
                BoundKey::Simulation("replications"),
                "use fewer replications",
            )
        } else if item_events * f64::from(reps) < e.events / 2.0 {
            (
                BoundKey::AgentCount(e.largest_group.unwrap_or(0)),
                "use fewer agents",
            )
        } else {
            long_run().unwrap_or((
                BoundKey::ArrivalRate(e.busiest_stream.unwrap_or(0)),
                "lower the rate or shorten the run",
            ))
        };
        return Err(refuse(
            key,
            format!(
                "gives about {} events ({} items × {} replication(s)), some {} of computing \
                 at {} events a second; the limit is {} events (--max-events)",
                count(e.events),
                count(e.items),
                count(f64::from(reps)),
                wall(e.events / EVENTS_PER_SECOND),
                count(EVENTS_PER_SECOND),
                count(limits.max_events)
            ),
            hint,
        ));
    }
    Ok(e)
}

/// Which of interval, duration and replications makes the interval
/// statistics many, with its hint: replications when they outnumber the
/// intervals, else the interval when it is below a minute, else the
/// duration.
fn interval_key(
    sim: &super::SimulationSettings,
    replications: u32,
    intervals: f64,
) -> (BoundKey, &'static str) {
    if f64::from(replications) > intervals {
        (
            BoundKey::Simulation("replications"),
            "use fewer replications",
        )
    } else if sim.interval.as_secs_f64() < 60.0 {
        (BoundKey::Simulation("interval"), "use a longer interval")
    } else {
        (BoundKey::Simulation("duration"), "use a shorter duration")
    }
}

/// Refuses a day of more reporting intervals × (`queues` + 1) rows than
/// `intervals.csv` may get. Validation calls it as soon as the
/// `[simulation]` and `[[queues]]` are read, before anything that grows
/// with the intervals (a forecast or profile spread over them) is made.
pub(crate) fn check_interval_rows(
    sim: &super::SimulationSettings,
    queues: usize,
    replications: u32,
    limits: &Limits,
) -> Result<(), BoundsError> {
    let interval_s = sim.interval.as_secs_f64().max(1e-6);
    let intervals = (sim.duration.as_secs_f64() / interval_s).ceil().max(1.0);
    let rows = intervals * (queues as f64 + 1.0);
    if rows <= limits.max_interval_rows {
        return Ok(());
    }
    let (key, hint) = interval_key(sim, replications.max(1), intervals);
    Err(BoundsError {
        key,
        what: format!(
            "gives {} intervals × {} rows (each queue and the overall one): {} rows of \
             intervals.csv; the most it may get is {} (--max-interval-rows)",
            count(intervals),
            queues + 1,
            count(rows),
            count(limits.max_interval_rows)
        ),
        hint: hint.to_owned(),
        replications_from_flag: false,
    })
}

/// Bytes of the statuses and queues every agent group is granted: a group
/// that lists neither is granted every status and may take every queue
/// of its channels, so many groups in a centre of many statuses and
/// queues hold their product. Refused, before it is made, beyond
/// `limits.max_memory`; the key named is `[[agents]]`.
pub(crate) fn check_group_lists(
    raw: &RawScenario,
    statuses: usize,
    queues: usize,
    limits: &Limits,
) -> Result<(), BoundsError> {
    const ID_BYTES: f64 = 4.0;
    let groups = raw.agents.as_deref().unwrap_or_default();
    let entries: f64 = groups
        .iter()
        .map(|g| {
            let g = g.get_ref();
            let granted = g.allowed_statuses.as_ref().map_or(statuses, Vec::len);
            let member = g.queues.as_ref().map_or(queues, |q| q.get_ref().len());
            (granted + member) as f64
        })
        .sum();
    let needed = entries * ID_BYTES;
    if needed <= limits.max_memory as f64 {
        return Ok(());
    }
    Err(BoundsError {
        key: BoundKey::Section("agents"),
        what: format!(
            "gives {} agent groups, each granted every one of {} statuses and {} queues \
             unless it lists them: {} for the lists alone; the limit is {} (--max-memory)",
            count(groups.len() as f64),
            count(statuses as f64),
            count(queues as f64),
            bytes(needed),
            bytes(limits.max_memory as f64)
        ),
        hint: "list `allowed_statuses` and `queues` for each group, or use fewer groups".into(),
        replications_from_flag: false,
    })
}

impl BoundsError {
    /// The error located in `text` (the scenario file's content, labelled
    /// `file`): line, column and key path of the value that drives the
    /// refused figure, the value as written, what it gives and the hint.
    pub fn locate_in(&self, text: &str, file: &str) -> ScenarioError {
        let raw = raw::parse(text, file).ok();
        self.locate_raw(raw.as_ref(), text, file)
    }

    /// [`BoundsError::locate_in`] with the file already parsed.
    pub(crate) fn locate_raw(
        &self,
        raw: Option<&RawScenario>,
        text: &str,
        file: &str,
    ) -> ScenarioError {
        let (path, span) = match raw {
            Some(raw) => key_place(raw, &self.key),
            None => (fallback_path(&self.key), None),
        };
        let flag = self.replications_from_flag && self.key == BoundKey::Simulation("replications");
        let written = match (&span, flag) {
            (_, true) => "--replications".to_owned(),
            (Some(_), false) if matches!(self.key, BoundKey::Section(_)) => path.clone(),
            (Some(span), false) => {
                let name = path.rsplit('.').next().unwrap_or(&path);
                format!("{name} = {}", snippet(&text[span.clone()]))
            }
            (None, false) => path.clone(),
        };
        let error = ScenarioError::new(Kind::TooLarge, format!("{written} {}", self.what))
            .in_file(file)
            .key(path)
            .with_hint(self.hint.clone());
        if flag {
            error
        } else {
            error.at_span(text, span)
        }
    }

    /// [`BoundsError::locate_in`] the scenario file at `path`, read again
    /// (it was valid a moment ago; if it cannot be read now, the error
    /// keeps the key path without a line).
    pub fn locate(&self, path: &Path) -> ScenarioError {
        let file = path.display().to_string();
        let text = super::read_bounded(path, super::MAX_SCENARIO_BYTES)
            .ok()
            .flatten()
            .and_then(|bytes| String::from_utf8(bytes).ok());
        match text {
            Some(text) => self.locate_in(&text, &file),
            None => ScenarioError::new(
                Kind::TooLarge,
                format!("{} {}", fallback_path(&self.key), self.what),
            )
            .in_file(file)
            .key(fallback_path(&self.key))
            .with_hint(self.hint.clone()),
        }
    }
}

/// The key path of `key` and the span of its value in the file.
fn key_place(raw: &RawScenario, key: &BoundKey) -> (String, Option<Range<usize>>) {
    match key {
        BoundKey::Section(name) => {
            let first = match *name {
                "agents" => raw
                    .agents
                    .as_ref()
                    .and_then(|v| v.first())
                    .map(|a| a.span()),
                _ => None,
            };
            ((*name).to_owned(), first)
        }
        BoundKey::Simulation(name) => {
            let sim = raw.simulation.as_ref().map(|s| s.get_ref());
            let span = sim.and_then(|s| match *name {
                "interval" => s.interval.as_ref().map(|v| v.span()),
                "duration" => s.duration.as_ref().map(|v| v.span()),
                "warmup" => s.warmup.as_ref().map(|v| v.span()),
                "replications" => s.replications.as_ref().map(|v| v.span()),
                _ => None,
            });
            let span = span.or_else(|| raw.simulation.as_ref().map(|s| s.span()));
            (format!("simulation.{name}"), span)
        }
        BoundKey::ArrivalRate(i) => {
            let Some(a) = raw.arrivals.as_ref().and_then(|v| v.get(*i)) else {
                return (fallback_path(key), None);
            };
            let r = a.get_ref();
            let found = [
                ("rate_per_hour", r.rate_per_hour.as_ref().map(|v| v.span())),
                ("rate_profile", r.rate_profile.as_ref().map(|v| v.span())),
                (
                    "rate_profile_csv",
                    r.rate_profile_csv.as_ref().map(|v| v.span()),
                ),
                ("forecast_csv", r.forecast_csv.as_ref().map(|v| v.span())),
            ]
            .into_iter()
            .find_map(|(k, s)| s.map(|s| (k, s)));
            match found {
                Some((k, span)) => (format!("arrivals[{i}].{k}"), Some(span)),
                None => (format!("arrivals[{i}]"), Some(a.span())),
            }
        }
        BoundKey::AgentCount(i) => {
            let Some(g) = raw.agents.as_ref().and_then(|v| v.get(*i)) else {
                return (fallback_path(key), None);
            };
            let r = g.get_ref();
            let found = [
                ("count", r.count.as_ref().map(|v| v.span())),
                ("roster_csv", r.roster_csv.as_ref().map(|v| v.span())),
                ("shifts", r.shifts.as_ref().map(|v| v.span())),
            ]
            .into_iter()
            .find_map(|(k, s)| s.map(|s| (k, s)));
            match found {
                Some((k, span)) => (format!("agents[{i}].{k}"), Some(span)),
                None => (format!("agents[{i}]"), Some(g.span())),
            }
        }
    }
}

/// The key path without the file: the most likely key.
fn fallback_path(key: &BoundKey) -> String {
    match key {
        BoundKey::Section(name) => (*name).to_owned(),
        BoundKey::Simulation(name) => format!("simulation.{name}"),
        BoundKey::ArrivalRate(i) => format!("arrivals[{i}].rate_per_hour"),
        BoundKey::AgentCount(i) => format!("agents[{i}].count"),
    }
}

/// A value as written, cut to a readable length.
fn snippet(text: &str) -> String {
    const MAX: usize = 40;
    let text = text.trim();
    if text.chars().count() <= MAX {
        text.to_owned()
    } else {
        let cut: String = text.chars().take(MAX).collect();
        format!("{cut}…")
    }
}

/// A count for a message: whole below a million, else like `3.6e9`.
pub fn count(x: f64) -> String {
    if x < 1e6 {
        format!("{}", x.round())
    } else {
        format!("{x:.1e}")
    }
}

/// Bytes for a message, in powers of 1000 (`86 GB`, `3.4 MB`).
pub fn bytes(x: f64) -> String {
    let units = ["B", "KB", "MB", "GB", "TB", "PB", "EB"];
    let mut v = x;
    let mut unit = 0;
    while v >= 1000.0 && unit + 1 < units.len() {
        v /= 1000.0;
        unit += 1;
    }
    if v >= 1000.0 {
        return format!("{x:.1e} B");
    }
    if v < 10.0 && unit > 0 {
        format!("{v:.1} {}", units[unit])
    } else {
        format!("{v:.0} {}", units[unit])
    }
}

/// Seconds of computing, for a message (`3.2 hours`, `41 years`).
fn wall(seconds: f64) -> String {
    if seconds < 120.0 {
        format!("{seconds:.0} seconds")
    } else if seconds < 7_200.0 {
        format!("{:.0} minutes", seconds / 60.0)
    } else if seconds < 172_800.0 {
        format!("{:.1} hours", seconds / 3_600.0)
    } else if seconds < 2.0 * 31_557_600.0 {
        format!("{:.0} days", seconds / 86_400.0)
    } else {
        format!("{} years", count(seconds / 31_557_600.0))
    }
}

#[cfg(test)]
mod tests;
