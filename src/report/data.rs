//! Reading the small result files: `summary.json`, `intervals.csv` and
//! `agents.csv`.
//!
//! The report reads the files rather than a [`ResultSet`](crate::output::ResultSet)
//! so that it works on any results folder, including one written earlier
//! or on another machine. Columns are looked up by header name, not by
//! position, so a column added to a file later does not break old reports.

use super::ReportError;
use crate::clock::DayClock;
use crate::omni::CapacityPool;
use crate::output::{MetricEstimates, SummaryEngine};
use crate::stats::{Estimate, Metric, PerMetric, TargetCheck};
use crate::time::SimTime;
use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use std::collections::HashMap;
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

/// Name of the whole-centre rows in `intervals.csv`.
pub(crate) const ALL: &str = crate::stats::ALL_QUEUES;

/// The metrics of one queue (or the centre): the core's
/// [`QueueSummary`](crate::output::QueueSummary) and
/// [`OverallSummary`](crate::output::OverallSummary) as one reader of
/// any results folder needs them. Every estimate is optional: `null` in
/// the file means "not defined in any replication", and a metric missing
/// altogether (an older file, from before the metric was reported) is
/// treated the same way rather than failing the whole report; keys that
/// name no metric are ignored ([`MetricEstimates`] reads them so).
#[derive(Clone, Debug, Default, Deserialize)]
pub(crate) struct Metrics {
    /// The queue's own service-level threshold \[s\] (files from before
    /// per-queue thresholds have none: the run's applies). For `overall`,
    /// the threshold all queues share, `None` when they differ.
    #[serde(default)]
    pub service_level_threshold_s: Option<f64>,
    /// The capacity pool the queue's items count against (files from
    /// before it was written: primary).
    #[serde(default, rename = "capacity_pool")]
    pub pool: CapacityPool,
    /// Every metric's estimate.
    #[serde(flatten)]
    pub values: MetricEstimates,
}

/// The `queues` object, in file order. serde_json's `Value` map would sort
/// the keys; the file lists queues in scenario order, which is the order
/// a reader expects in tables and legends.
#[derive(Debug, Default)]
struct OrderedQueues(Vec<(String, Metrics)>);

impl<'de> Deserialize<'de> for OrderedQueues {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = OrderedQueues;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object keyed by queue name")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<OrderedQueues, A::Error> {
                let mut v = Vec::new();
                while let Some((k, m)) = map.next_entry::<String, Metrics>()? {
                    v.push((k, m));
                }
                Ok(OrderedQueues(v))
            }
        }
        d.deserialize_map(V)
    }
}

#[derive(Debug, Deserialize)]
struct SummaryFile {
    scenario: String,
    seed: u64,
    replications: u64,
    /// Clock time of the start of the measured day; absent from files
    /// written before clock times (their day started at 00:00).
    #[serde(default)]
    start: Option<String>,
    simulated_time_s: f64,
    warmup_s: f64,
    interval_s: f64,
    service_level_threshold_s: f64,
    queues: OrderedQueues,
    overall: Metrics,
    /// The queues' planning targets, checked (absent without targets).
    #[serde(default)]
    targets: Vec<TargetCheck>,
    #[serde(default)]
    engine: SummaryEngine,
}

/// What the report needs of `summary.json`.
#[derive(Debug)]
pub(crate) struct RunSummary {
    pub scenario: String,
    pub seed: u64,
    pub replications: u64,
    /// Length of the measured period \[s\].
    pub duration_s: f64,
    pub warmup_s: f64,
    pub interval_s: f64,
    pub threshold_s: f64,
    /// The day's clock, from `start`: instants of the files are shown as
    /// clock times.
    pub clock: DayClock,
    /// Per queue, in scenario order.
    pub queues: Vec<(String, Metrics)>,
    pub overall: Metrics,
    /// The planning targets, checked, in file order.
    pub targets: Vec<TargetCheck>,
    pub events: Option<Estimate>,
}

impl RunSummary {
    /// End of the measured window, which is also the end of the run \[s\].
    pub fn end_s(&self) -> f64 {
        self.warmup_s + self.duration_s
    }

    /// Hours since midnight of the start day of an instant given in
    /// seconds since the start of the run: where time charts place it, so
    /// that their axes read as clock times.
    pub fn clock_h(&self, s: f64) -> f64 {
        (self.clock.start_of_day.as_secs_f64() + s - self.warmup_s) / 3600.0
    }

    /// The clock label of an instant in seconds since the start of the
    /// run, as `intervals.csv` writes it (`08:30`, dated when `start` is).
    pub fn clock_label(&self, s: f64) -> String {
        self.clock
            .label(SimTime::ZERO + crate::time::SimDuration::from_secs_f64(s))
    }

    /// The x-axis description of time charts: clock time, with the date
    /// when the day has one.
    pub fn time_axis(&self) -> String {
        match self.clock.date {
            Some(d) => format!("clock time ({d})"),
            None => "clock time".into(),
        }
    }

    /// Queue names in scenario order.
    pub fn queue_names(&self) -> Vec<String> {
        self.queues.iter().map(|(n, _)| n.clone()).collect()
    }

    /// Each queue's service-level threshold \[s\], in scenario order: its
    /// row's, or the run's for files that predate per-queue thresholds.
    pub fn queue_thresholds_s(&self) -> Vec<f64> {
        self.queues
            .iter()
            .map(|(_, m)| m.service_level_threshold_s.unwrap_or(self.threshold_s))
            .collect()
    }

    /// The threshold every queue shares \[s\], or `None` when queues set
    /// different ones (the centre's service level then mixes them, and no
    /// single value may be printed as "the threshold").
    pub fn common_threshold_s(&self) -> Option<f64> {
        let all = self.queue_thresholds_s();
        match all.split_first() {
            None => Some(self.threshold_s),
            Some((first, rest)) => rest.iter().all(|t| t == first).then_some(*first),
        }
    }

    /// The threshold as the page words it: `20 s`, or "each queue's own
    /// threshold" when queues differ.
    pub fn threshold_label(&self) -> String {
        match self.common_threshold_s() {
            Some(t) => super::html::fmt_duration(t),
            None => "each queue's own threshold".into(),
        }
    }

    /// The threshold with the queues' values when they differ: `20 s`, or
    /// `each queue's own: Chat 20 s, Cases 1 min`.
    pub fn threshold_detail(&self) -> String {
        match self.common_threshold_s() {
            Some(t) => super::html::fmt_duration(t),
            None => format!("each queue's own: {}", self.threshold_list()),
        }
    }

    /// Every queue with its threshold: `Chat 20 s, Cases 1 min`.
    pub fn threshold_list(&self) -> String {
        let each: Vec<String> = self
            .queues
            .iter()
            .zip(self.queue_thresholds_s())
            .map(|((n, _), t)| format!("{n} {}", super::html::fmt_duration(t)))
            .collect();
        each.join(", ")
    }
}

/// Reads a whole small file, turning "not found" into the error that
/// says the folder is incomplete.
pub(crate) fn read_text(path: &Path) -> Result<String, ReportError> {
    std::fs::read_to_string(path).map_err(|e| open_error(path, e))
}

/// The error for a file that cannot be opened.
pub(crate) fn open_error(path: &Path, e: io::Error) -> ReportError {
    if e.kind() == io::ErrorKind::NotFound {
        ReportError::MissingFile {
            path: path.to_path_buf(),
        }
    } else {
        ReportError::Read {
            path: path.to_path_buf(),
            source: e,
        }
    }
}

/// Parses `summary.json` and checks the few figures every chart relies on.
pub(crate) fn read_summary(path: &Path) -> Result<RunSummary, ReportError> {
    let text = read_text(path)?;
    let f: SummaryFile = serde_json::from_str(&text).map_err(|e| ReportError::Summary {
        path: path.to_path_buf(),
        source: e,
    })?;
    let bad = |message: String| ReportError::Data {
        path: path.to_path_buf(),
        line: None,
        message,
    };
    if f.replications == 0 {
        return Err(bad("`replications` is 0".into()));
    }
    for (key, v) in [
        ("simulated_time_s", f.simulated_time_s),
        ("interval_s", f.interval_s),
    ] {
        if !(v.is_finite() && v > 0.0) {
            return Err(bad(format!("`{key}` must be a positive number, not {v}")));
        }
    }
    for (key, v) in [
        ("warmup_s", f.warmup_s),
        ("service_level_threshold_s", f.service_level_threshold_s),
    ] {
        if !(v.is_finite() && v >= 0.0) {
            return Err(bad(format!("`{key}` must be 0 or more, not {v}")));
        }
    }
    if f.queues.0.is_empty() {
        return Err(bad("`queues` is empty".into()));
    }
    let (date, start_of_day) = match &f.start {
        Some(text) => crate::clock::parse_start(text)
            .map_err(|e| bad(format!("`start` is not the start of a day: {e}")))?,
        None => (None, crate::time::SimDuration::ZERO),
    };
    let clock = DayClock {
        date,
        start_of_day,
        warmup: crate::time::SimDuration::from_secs_f64(f.warmup_s),
    };
    for (name, m) in &f.queues.0 {
        if let Some(v) = m.service_level_threshold_s {
            if !(v.is_finite() && v >= 0.0) {
                return Err(bad(format!(
                    "queue `{name}`: `service_level_threshold_s` must be 0 or more, not {v}"
                )));
            }
        }
    }
    Ok(RunSummary {
        scenario: f.scenario,
        seed: f.seed,
        replications: f.replications,
        duration_s: f.simulated_time_s,
        warmup_s: f.warmup_s,
        interval_s: f.interval_s,
        threshold_s: f.service_level_threshold_s,
        clock,
        queues: f.queues.0,
        overall: f.overall,
        targets: f.targets,
        events: f.engine.events,
    })
}

/// A CSV file being read: its path and header positions, for lookups by
/// name and error messages that name the file, line and column.
pub(crate) struct Table {
    pub path: PathBuf,
    columns: HashMap<String, usize>,
}

impl Table {
    /// Opens `path` and reads its header.
    pub fn open(path: &Path) -> Result<(Table, csv::Reader<std::fs::File>), ReportError> {
        let file = std::fs::File::open(path).map_err(|e| open_error(path, e))?;
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .buffer_capacity(1 << 16)
            .from_reader(file);
        let header = reader.headers().map_err(|e| csv_error(path, e))?;
        let columns = header
            .iter()
            .enumerate()
            .map(|(i, h)| (h.to_string(), i))
            .collect();
        Ok((
            Table {
                path: path.to_path_buf(),
                columns,
            },
            reader,
        ))
    }

    /// Calls `row(line, record)` for every data row of `reader` (opened
    /// with this table), `line` being its line in the file for messages;
    /// stops at the first error. Returns the number of rows.
    pub fn each_row(
        &self,
        reader: &mut csv::Reader<std::fs::File>,
        mut row: impl FnMut(u64, &csv::StringRecord) -> Result<(), ReportError>,
    ) -> Result<u64, ReportError> {
        let mut record = csv::StringRecord::new();
        let mut n = 1;
        while reader
            .read_record(&mut record)
            .map_err(|e| csv_error(&self.path, e))?
        {
            n += 1;
            row(line_of(record.position(), n), &record)?;
        }
        Ok(n - 1)
    }

    /// The position of a required column.
    pub fn column(&self, name: &str) -> Result<usize, ReportError> {
        self.columns
            .get(name)
            .copied()
            .ok_or_else(|| ReportError::Data {
                path: self.path.clone(),
                line: Some(1),
                message: format!("no `{name}` column in the header"),
            })
    }

    /// The position of a column that older files may not have.
    pub fn optional_column(&self, name: &str) -> Option<usize> {
        self.columns.get(name).copied()
    }

    /// An error about one cell.
    pub fn bad_cell(&self, line: u64, column: &str, value: &str, what: &str) -> ReportError {
        ReportError::Data {
            path: self.path.clone(),
            line: Some(line),
            message: format!("column `{column}`: `{value}` is not {what}"),
        }
    }

    /// An error about one row.
    pub fn bad_row(&self, line: u64, message: String) -> ReportError {
        ReportError::Data {
            path: self.path.clone(),
            line: Some(line),
            message,
        }
    }
}

/// A csv crate error, naming the file. Its message already carries the
/// line when it is about a record.
pub(crate) fn csv_error(path: &Path, e: csv::Error) -> ReportError {
    ReportError::Data {
        path: path.to_path_buf(),
        line: None,
        message: e.to_string(),
    }
}

/// Line number of a record for messages (1 is the header).
pub(crate) fn line_of(pos: Option<&csv::Position>, fallback: u64) -> u64 {
    pos.map_or(fallback, |p| p.line())
}

/// A number cell; empty means undefined (see the results format).
pub(crate) fn opt_num(
    t: &Table,
    line: u64,
    name: &str,
    text: &str,
) -> Result<Option<f64>, ReportError> {
    if text.is_empty() {
        return Ok(None);
    }
    match text.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(Some(v)),
        _ => Err(t.bad_cell(line, name, text, "a number")),
    }
}

/// A number cell that must be present.
pub(crate) fn num(t: &Table, line: u64, name: &str, text: &str) -> Result<f64, ReportError> {
    opt_num(t, line, name, text)?.ok_or_else(|| t.bad_cell(line, name, text, "a number"))
}

/// An index cell (non-negative integer).
pub(crate) fn index(t: &Table, line: u64, name: &str, text: &str) -> Result<usize, ReportError> {
    text.parse::<usize>()
        .map_err(|_| t.bad_cell(line, name, text, "a non-negative integer"))
}

/// One reporting interval: `[start_s, end_s)` since the start of the run.
#[derive(Copy, Clone, Debug, PartialEq)]
pub(crate) struct Interval {
    pub start_s: f64,
    pub end_s: f64,
}

impl Interval {
    /// Midpoint \[s since the start of the run\], where a per-interval
    /// value is plotted.
    pub fn mid_s(&self) -> f64 {
        (self.start_s + self.end_s) / 2.0
    }
}

/// The metrics of `intervals.csv` the charts show: their columns must be
/// in the file.
const CHARTED: [Metric; 7] = [
    Metric::Offered,
    Metric::Answered,
    Metric::Abandoned,
    Metric::ServiceLevel,
    Metric::AsaS,
    Metric::Declined,
    Metric::PushTimeouts,
];

/// The [`CHARTED`] cells of `intervals.csv` for one queue and one interval;
/// `None` where the cell is empty (undefined), and for every metric not
/// charted.
pub(crate) type IntervalCells = PerMetric<Option<f64>>;

/// `intervals.csv`, arranged for plotting.
#[derive(Debug)]
pub(crate) struct IntervalTable {
    /// In interval order.
    pub intervals: Vec<Interval>,
    /// `cells[s][i]`: series `s` (the summary's queues in order, then
    /// `ALL`), interval `i`.
    pub cells: Vec<Vec<IntervalCells>>,
}

/// Reads `intervals.csv`; `queues` are the summary's queue names, which
/// fix the series order.
pub(crate) fn read_intervals(path: &Path, queues: &[String]) -> Result<IntervalTable, ReportError> {
    let (t, mut reader) = Table::open(path)?;
    let c_interval = t.column("interval")?;
    let c_start = t.column("start_s")?;
    let c_end = t.column("end_s")?;
    let c_queue = t.column("queue")?;
    let cols: Vec<(Metric, usize)> = CHARTED
        .iter()
        .map(|&m| Ok((m, t.column(m.name())?)))
        .collect::<Result<_, _>>()?;
    let series_of = |q: &str| {
        if q == ALL {
            Some(queues.len())
        } else {
            queues.iter().position(|n| n == q)
        }
    };
    let mut intervals: Vec<Option<Interval>> = Vec::new();
    let mut cells: Vec<Vec<IntervalCells>> = vec![Vec::new(); queues.len() + 1];
    t.each_row(&mut reader, |line, record| {
        let get = |c: usize| record.get(c).unwrap_or("");
        let i = index(&t, line, "interval", get(c_interval))?;
        // An interval index far beyond the run would allocate a huge table;
        // the run itself bounds the count, so a corrupt file is refused.
        if i > 1_000_000 {
            return Err(t.bad_cell(line, "interval", get(c_interval), "a plausible index"));
        }
        let bounds = Interval {
            start_s: num(&t, line, "start_s", get(c_start))?,
            end_s: num(&t, line, "end_s", get(c_end))?,
        };
        let queue = get(c_queue);
        let s = series_of(queue).ok_or_else(|| {
            t.bad_row(
                line,
                format!("queue `{queue}` is not one of the queues of summary.json"),
            )
        })?;
        if intervals.len() <= i {
            intervals.resize(i + 1, None);
        }
        match intervals[i] {
            Some(b) if b != bounds => {
                return Err(t.bad_row(
                    line,
                    format!("interval {i} has two different start/end pairs"),
                ))
            }
            _ => intervals[i] = Some(bounds),
        }
        let mut v = IntervalCells::default();
        for &(m, c) in &cols {
            v[m] = opt_num(&t, line, m.name(), get(c))?;
        }
        let row = &mut cells[s];
        if row.len() <= i {
            row.resize(i + 1, IntervalCells::default());
        }
        row[i] = v;
        Ok(())
    })?;
    let intervals: Vec<Interval> = intervals
        .into_iter()
        .enumerate()
        .map(|(i, b)| {
            b.ok_or_else(|| ReportError::Data {
                path: path.to_path_buf(),
                line: None,
                message: format!("interval {i} has no row"),
            })
        })
        .collect::<Result<_, _>>()?;
    if intervals.is_empty() {
        return Err(ReportError::Data {
            path: path.to_path_buf(),
            line: None,
            message: "no interval rows".into(),
        });
    }
    for row in &mut cells {
        row.resize(intervals.len(), IntervalCells::default());
    }
    Ok(IntervalTable { intervals, cells })
}

/// One row of `agents.csv`.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct AgentRow {
    pub group: String,
    pub time_online_s: f64,
    /// Primary and interruptible occupancy (the second absent from files
    /// written before it, and empty without interruptible work).
    pub occupancy: [Option<f64>; 2],
}

/// Reads `agents.csv`; agents must be listed 0, 1, 2, … as `omnisim run`
/// writes them, since `work.csv` refers to them by number.
pub(crate) fn read_agents(path: &Path) -> Result<Vec<AgentRow>, ReportError> {
    let (t, mut reader) = Table::open(path)?;
    let c_agent = t.column("agent")?;
    let c_group = t.column("group")?;
    let c_online = t.column("time_online_s")?;
    let c_occ = t.column("occupancy")?;
    let c_int = t.optional_column("interruptible_occupancy");
    let mut agents = Vec::new();
    t.each_row(&mut reader, |line, record| {
        let get = |c: usize| record.get(c).unwrap_or("");
        let a = index(&t, line, "agent", get(c_agent))?;
        if a != agents.len() {
            return Err(t.bad_row(
                line,
                format!("agent {a} where agent {} was expected", agents.len()),
            ));
        }
        agents.push(AgentRow {
            group: get(c_group).to_string(),
            time_online_s: num(&t, line, "time_online_s", get(c_online))?,
            occupancy: [
                opt_num(&t, line, "occupancy", get(c_occ))?,
                match c_int {
                    Some(c) => opt_num(&t, line, "interruptible_occupancy", get(c))?,
                    None => None,
                },
            ],
        });
        Ok(())
    })?;
    Ok(agents)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_keeps_queue_order_and_tolerates_nulls() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("summary.json");
        std::fs::write(
            &path,
            r#"{"scenario":"s","seed":1,"replications":2,"simulated_time_s":3600.0,
               "warmup_s":0.0,"interval_s":1800.0,"service_level_threshold_s":20.0,
               "queues":{"zeta":{"offered":{"mean":1.0,"ci95_low":0.5,"ci95_high":1.5},
                                  "service_level":null,"a_later_metric":{"x":[1,2]}},
                         "alpha":{}},
               "overall":{"service_level_thresholds_differ":false},"engine":{"events":null}}"#,
        )
        .unwrap();
        let s = read_summary(&path).unwrap();
        assert_eq!(s.queue_names(), ["zeta", "alpha"]);
        assert_eq!(s.queues[0].1.values[Metric::Offered].unwrap().mean, 1.0);
        assert!(s.queues[0].1.values[Metric::ServiceLevel].is_none());
        assert_eq!(s.end_s(), 3600.0);
        // No per-queue thresholds (an older file): the run's applies.
        assert_eq!(s.queue_thresholds_s(), [20.0, 20.0]);
        assert_eq!(s.common_threshold_s(), Some(20.0));
        assert_eq!(s.threshold_label(), "20 s");
    }

    #[test]
    fn times_are_placed_and_labelled_on_the_days_clock() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("summary.json");
        let file = |start: &str| {
            format!(
                r#"{{"scenario":"s","seed":1,"replications":2,{start}"simulated_time_s":3600.0,
                   "warmup_s":1800.0,"interval_s":1800.0,"service_level_threshold_s":20.0,
                   "queues":{{"A":{{}}}},"overall":{{}}}}"#
            )
        };
        std::fs::write(&path, file(r#""start":"08:00","#)).unwrap();
        let s = read_summary(&path).unwrap();
        assert_eq!(s.clock_h(1800.0), 8.0);
        assert_eq!(s.clock_h(0.0), 7.5);
        assert_eq!(s.clock_label(5400.0), "09:00");
        assert_eq!(s.time_axis(), "clock time");
        std::fs::write(&path, file(r#""start":"2026-11-30 23:00","#)).unwrap();
        let s = read_summary(&path).unwrap();
        assert_eq!(s.clock_label(5400.0), "2026-12-01 00:00");
        assert_eq!(s.time_axis(), "clock time (2026-11-30)");
        // A file from before clock times: the day started at 00:00.
        std::fs::write(&path, file("")).unwrap();
        let s = read_summary(&path).unwrap();
        assert_eq!(
            (s.clock_h(1800.0), s.clock_label(0.0).as_str()),
            (0.0, "-00:30")
        );
        std::fs::write(&path, file(r#""start":"noon","#)).unwrap();
        let e = read_summary(&path).unwrap_err().to_string();
        assert!(e.contains("`start` is not the start of a day"), "{e}");
    }

    #[test]
    fn per_queue_thresholds_are_read_and_named_when_they_differ() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("summary.json");
        let file = |zeta: f64| {
            format!(
                r#"{{"scenario":"s","seed":1,"replications":2,"simulated_time_s":3600.0,
                   "warmup_s":0.0,"interval_s":1800.0,"service_level_threshold_s":20.0,
                   "queues":{{"zeta":{{"service_level_threshold_s":{zeta}}},
                             "alpha":{{"service_level_threshold_s":20.0}}}},
                   "overall":{{"service_level_threshold_s":null,
                              "service_level_thresholds_differ":true}}}}"#
            )
        };
        std::fs::write(&path, file(60.0)).unwrap();
        let s = read_summary(&path).unwrap();
        assert_eq!(s.queue_thresholds_s(), [60.0, 20.0]);
        assert_eq!(s.common_threshold_s(), None);
        assert_eq!(s.threshold_label(), "each queue's own threshold");
        assert_eq!(
            s.threshold_detail(),
            "each queue's own: zeta 1 min, alpha 20 s"
        );
        std::fs::write(&path, file(20.0)).unwrap();
        let s = read_summary(&path).unwrap();
        assert_eq!(s.common_threshold_s(), Some(20.0));
        assert_eq!(s.threshold_detail(), "20 s");
        std::fs::write(&path, file(-1.0)).unwrap();
        let e = read_summary(&path).unwrap_err().to_string();
        assert!(e.contains("queue `zeta`"), "{e}");
    }

    #[test]
    fn bad_cells_name_file_line_and_column() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("agents.csv");
        std::fs::write(
            &path,
            "agent,group,time_online_s,items_handled,occupancy\n0,g,10,1,0.5\n1,g,ten,1,\n",
        )
        .unwrap();
        let e = read_agents(&path).unwrap_err().to_string();
        assert!(e.contains("agents.csv` line 3"), "{e}");
        assert!(e.contains("`time_online_s`: `ten`"), "{e}");
    }

    #[test]
    fn intervals_refuse_unknown_queues() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("intervals.csv");
        std::fs::write(
            &path,
            "interval,start_s,end_s,queue,offered,answered,abandoned,service_level,asa_s,declined,push_timeouts\n\
             0,0,10,A,1,1,0,1,2,0,0\n0,0,10,B,1,1,0,,,0,0\n",
        )
        .unwrap();
        let e = read_intervals(&path, &["A".into()])
            .unwrap_err()
            .to_string();
        assert!(e.contains("line 3") && e.contains("`B`"), "{e}");
        let t = read_intervals(&path, &["A".into(), "B".into()]).unwrap();
        assert_eq!(t.intervals.len(), 1);
        assert_eq!(t.cells[1][0][Metric::ServiceLevel], None);
        assert_eq!(t.cells[0][0][Metric::AsaS], Some(2.0));
        // ALL has no row: its cells stay undefined rather than failing.
        assert_eq!(t.cells[2][0][Metric::Offered], None);
    }
}
