//! `arrivals[].forecast_csv`: a forecast as workforce-management tools
//! export it, read into a rate profile.
//!
//! A planner's forecast is volume per interval, not a rate per hour, often
//! for every queue in one long file, and usually for more of the day than
//! is simulated:
//!
//! ```text
//! interval_start,queue,volume,aht_s
//! 08:00,Cards,52,250
//! 08:00,Loans,31,560
//! 08:30,Cards,68,245
//! …
//! ```
//!
//! Each `[[arrivals]]` entry naming the file takes the rows of its own
//! queue (a file without a `queue` column holds only that queue). The
//! interval length is the file's own (the gap between consecutive rows of
//! a queue, a whole number of reporting intervals), the rows must cover
//! the measured day, and rows outside it are ignored. Within an interval
//! arrivals are Poisson at volume / interval length; `aht_s` scales the
//! handle times of the items arriving in it. The result is an
//! [`ArrivalRate::Profile`] with the forecast's interval, so the generator
//! needs nothing new.
//!
//! Everything is checked once, here: a mistake names the file, the line
//! and the column. A file is read once however many entries name it, with
//! a size limit, so a path such as `/dev/zero` cannot exhaust memory.

use super::error::{list_names, suggest, ScenarioError, ScenarioErrorKind as Kind};
use super::input::RecordStarts;
use super::validate::{humanize, lower_first, Ctx, Item};
use super::{ArrivalRate, SimulationSettings};
use crate::clock::parse_time_of_day;
use crate::time::{SimDuration, MICROS_PER_SEC};
use rustc_hash::{FxHashMap, FxHashSet};
use std::path::PathBuf;
use toml::Spanned;

type Result<T> = std::result::Result<T, ScenarioError>;

/// The columns a forecast file may have, in the order the docs list them.
const COLUMNS: [&str; 4] = ["interval_start", "queue", "volume", "aht_s"];

/// The key this module reads.
const KEY: &str = "forecast_csv";

const MICROS_PER_DAY: i64 = 24 * 3600 * MICROS_PER_SEC as i64;

/// One row of a forecast file.
#[derive(Clone, Debug)]
struct Row {
    /// 1-based line in the file.
    line: usize,
    /// The `interval_start` cell as written, for messages.
    written: String,
    /// `None` when the file has no `queue` column.
    queue: Option<String>,
    /// Offset of the interval's start from `start` \[µs\]; negative for a
    /// dated row before it.
    offset: i64,
    /// Items forecast for the interval.
    volume: f64,
    /// Mean handle time forecast for the interval \[s\], if given.
    aht_s: Option<f64>,
}

/// A forecast file, read and parsed.
#[derive(Debug)]
struct ForecastFile {
    /// The path as shown in messages.
    label: String,
    has_queue_column: bool,
    rows: Vec<Row>,
    /// The rows of each queue named in the `queue` column (indices into
    /// `rows`, in file order), and the queues in the order the file first
    /// names them: a file of many queues is split once, not searched
    /// for each queue.
    by_queue: FxHashMap<String, Vec<usize>>,
    queues: Vec<String>,
    /// Queues of the `[[arrivals]]` entries that read it.
    readers: FxHashSet<String>,
}

/// The forecast files of one scenario, each read once.
#[derive(Debug, Default)]
pub(super) struct Forecasts {
    files: Vec<ForecastFile>,
    /// Where each path is in `files`.
    at: FxHashMap<PathBuf, usize>,
}

/// One queue's forecast, waiting for the stream's handle-time mean to
/// turn `aht_s` into a scale.
#[derive(Debug)]
pub(super) struct QueueForecast {
    interval: SimDuration,
    per_hour: Vec<f64>,
    aht_s: Vec<Option<f64>>,
}

impl QueueForecast {
    /// The arrival rate, each interval's `aht_s` a scale on a handle-time
    /// distribution of mean `mean_handle_s` (unscaled where the cell is
    /// empty; no scale at all when the file gives no `aht_s`).
    pub(super) fn into_rate(self, mean_handle_s: f64) -> ArrivalRate {
        let aht_scale = self.aht_s.iter().any(Option::is_some).then(|| {
            self.aht_s
                .iter()
                .map(|a| a.map_or(1.0, |a| a / mean_handle_s))
                .collect()
        });
        ArrivalRate::Profile {
            interval: self.interval,
            per_hour: self.per_hour,
            aht_scale,
        }
    }
}

impl Forecasts {
    /// The forecast of `queue` from the file `file` names, for the entry
    /// `it`: read (once per file), parsed and checked against the day.
    pub(super) fn read(
        &mut self,
        cx: &Ctx<'_>,
        it: &Item,
        file: &Spanned<String>,
        queue: &str,
        sim: &SimulationSettings,
    ) -> Result<QueueForecast> {
        let path = cx.resolve_path(file.get_ref());
        let index = match self.at.get(&path) {
            Some(&i) => i,
            None => {
                let parsed = load(cx, it, file, path.clone(), sim)?;
                self.files.push(parsed);
                self.at.insert(path, self.files.len() - 1);
                self.files.len() - 1
            }
        };
        let f = &mut self.files[index];
        f.readers.insert(queue.to_owned());
        let f = &self.files[index];
        queue_forecast(f, it, queue, sim)
    }

    /// Warnings about rows nobody reads: queues named in a file that no
    /// `[[arrivals]]` entry reading it covers. `queues` are the scenario's
    /// queue names, for a "did you mean".
    pub(super) fn warnings(&self, queues: &[String]) -> Vec<String> {
        let mut out = Vec::new();
        let known_queues: FxHashSet<&str> = queues.iter().map(String::as_str).collect();
        for f in self.files.iter().filter(|f| f.has_queue_column) {
            for q in &f.queues {
                if f.readers.contains(q) {
                    continue;
                }
                let row = &f.rows[f.by_queue[q][0]];
                let known = known_queues.contains(q.as_str());
                let why = if known {
                    "no [[arrivals]] entry for that queue reads this file".to_owned()
                } else {
                    let maybe = suggest(q, queues.iter().map(String::as_str))
                        .map_or(String::new(), |s| format!(" (did you mean \"{s}\"?)"));
                    format!("the scenario has no such queue{maybe}")
                };
                out.push(format!(
                    "{}: line {}: rows for queue \"{}\" are ignored: {why}",
                    f.label,
                    row.line,
                    super::error::printable(q)
                ));
            }
        }
        out
    }
}

/// An error located in a forecast file.
fn at_line(f_label: &str, it: &Item, line: usize, kind: Kind, message: String) -> ScenarioError {
    ScenarioError::new(kind, message)
        .in_file(f_label)
        .at_line(line)
        .key(it.path(KEY))
}

/// Reads and parses a forecast file; every row is checked, whichever
/// queue it is for.
fn load(
    cx: &Ctx<'_>,
    it: &Item,
    file: &Spanned<String>,
    path: PathBuf,
    sim: &SimulationSettings,
) -> Result<ForecastFile> {
    let label = path.display().to_string();
    let bytes = cx.read_input(it, KEY, file, "a forecast file")?;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .comment(Some(b'#'))
        .trim(csv::Trim::All)
        .from_reader(bytes);
    let csv_error = |e: csv::Error| {
        let line = e.position().map_or(1, |p| p.line() as usize);
        at_line(
            &label,
            it,
            line,
            Kind::InvalidValue,
            format!("not a readable CSV file: {}", lower_first(&e.to_string())),
        )
    };
    // The csv crate places a record before the comments and blank lines
    // it skipped; each record is moved to its own line as it is read.
    let mut starts = RecordStarts::new(bytes);
    let mut records = reader.records().map(|r| {
        r.map(|mut r| {
            starts.place(&mut r);
            r
        })
    });
    // The header: the first record that is not blank.
    let (header_line, header) = loop {
        match records.next() {
            None => {
                return Err(cx
                    .at(
                        Kind::InvalidValue,
                        it,
                        KEY,
                        file,
                        format!("\"{label}\" is empty; expected a header `interval_start,queue,volume` and a row per interval"),
                    ))
            }
            Some(Err(e)) => return Err(csv_error(e)),
            Some(Ok(r)) if r.iter().all(str::is_empty) => continue,
            Some(Ok(r)) => break (r.position().map_or(1, |p| p.line() as usize), r),
        }
    };
    let mut column: [Option<usize>; 4] = [None; 4];
    for (i, name) in header.iter().enumerate() {
        let name = name.to_lowercase();
        match COLUMNS.iter().position(|c| *c == name) {
            Some(k) if column[k].is_some() => {
                return Err(at_line(
                    &label,
                    it,
                    header_line,
                    Kind::InvalidValue,
                    format!("the header names column `{name}` twice; expected each column once"),
                ))
            }
            Some(k) => column[k] = Some(i),
            None => {
                // A near miss of a column is named; anything else may be
                // the first line of a file that is no forecast at all
                // (a wrong path), which is never repeated.
                let (message, hint) = match suggest(&name, COLUMNS) {
                    Some(s) => (
                        format!(
                            "unknown column `{name}` in the header; expected {}",
                            super::error::list_keys(COLUMNS)
                        ),
                        format!("did you mean `{s}`?"),
                    ),
                    None => (
                        format!(
                            "column {} of the first line is not a forecast column; expected a header naming {}",
                            i + 1,
                            super::error::list_keys(COLUMNS)
                        ),
                        "check that the path names the forecast file; its first line names the columns, e.g. interval_start,queue,volume,aht_s".to_owned(),
                    ),
                };
                return Err(
                    at_line(&label, it, header_line, Kind::UnknownKey, message).with_hint(hint)
                );
            }
        }
    }
    let [start_col, queue_col, volume_col, aht_col] = column;
    for (col, name) in [(start_col, "interval_start"), (volume_col, "volume")] {
        if col.is_none() {
            return Err(at_line(
                &label,
                it,
                header_line,
                Kind::MissingKey,
                format!(
                    "the header has no `{name}` column; expected `interval_start,queue,volume` (queue and aht_s optional)"
                ),
            )
            .with_hint("the first line of the file names the columns, e.g. interval_start,queue,volume,aht_s"));
        }
    }
    let (start_col, volume_col) = (start_col.unwrap_or(0), volume_col.unwrap_or(0));
    let mut rows = Vec::new();
    for record in records {
        let record = record.map_err(csv_error)?;
        if record.iter().all(str::is_empty) {
            continue;
        }
        let line = record.position().map_or(0, |p| p.line() as usize);
        let err = |col: &str, why: String| {
            at_line(
                &label,
                it,
                line,
                Kind::InvalidValue,
                format!("column `{col}`: {why}"),
            )
        };
        let cell = |i: usize| record.get(i).unwrap_or("");
        let written = cell(start_col);
        if written.is_empty() {
            return Err(err(
                "interval_start",
                "missing; expected the clock time the interval starts, such as \"08:30\"".into(),
            ));
        }
        let offset = row_offset(written, sim).map_err(|why| err("interval_start", why))?;
        let queue = match queue_col {
            Some(i) if cell(i).is_empty() => {
                return Err(err(
                    "queue",
                    "missing; expected the name of the queue the row forecasts".into(),
                ))
            }
            Some(i) => Some(cell(i).to_owned()),
            None => None,
        };
        let volume = match cell(volume_col) {
            "" => {
                return Err(err(
                    "volume",
                    "missing; expected the items forecast for the interval, 0 or more".into(),
                ))
            }
            v => match v.parse::<f64>() {
                Ok(x) if x.is_finite() && x >= 0.0 => x,
                Ok(x) if x < 0.0 => {
                    return Err(err(
                        "volume",
                        format!("{v} is negative; expected the items forecast for the interval, 0 or more"),
                    ))
                }
                _ => {
                    return Err(err(
                        "volume",
                        format!("\"{v}\" is not a number; expected the items forecast for the interval, such as 42 or 41.5"),
                    ))
                }
            },
        };
        let aht_s = match aht_col.map(cell) {
            None | Some("") => None,
            Some(v) => match v.parse::<f64>() {
                Ok(x) if x.is_finite() && x > 0.0 => Some(x),
                Ok(_) => {
                    return Err(err(
                        "aht_s",
                        format!("{v} is not a handle time; expected a mean handle time in seconds above 0, or an empty cell"),
                    ))
                }
                Err(_) => {
                    return Err(err(
                        "aht_s",
                        format!("\"{v}\" is not a number; expected a mean handle time in seconds, such as 245"),
                    ))
                }
            },
        };
        rows.push(Row {
            line,
            written: written.to_owned(),
            queue,
            offset,
            volume,
            aht_s,
        });
    }
    let mut by_queue: FxHashMap<String, Vec<usize>> = FxHashMap::default();
    let mut queues = Vec::new();
    for (k, row) in rows.iter().enumerate() {
        let Some(q) = &row.queue else { continue };
        match by_queue.get_mut(q) {
            Some(v) => v.push(k),
            None => {
                by_queue.insert(q.clone(), vec![k]);
                queues.push(q.clone());
            }
        }
    }
    Ok(ForecastFile {
        label,
        has_queue_column: queue_col.is_some(),
        rows,
        by_queue,
        queues,
        readers: FxHashSet::default(),
    })
}

/// The offset from `start` \[µs\] of an `interval_start` cell: a clock time
/// (`"08:30"`, `"08:30:00"`), mapped like every clock time of the file
/// (a time before `start` belongs to the next day), or a date and a time
/// (`"2026-11-30 08:30"`) when `[simulation] start` has a date.
fn row_offset(text: &str, sim: &SimulationSettings) -> std::result::Result<i64, String> {
    let clock = sim.clock();
    let Some((date_text, time_text)) = text.split_once([' ', 'T']) else {
        let tod = parse_time_of_day(text)?;
        return Ok(clock.offset_of(tod).0 as i64);
    };
    let date = chrono::NaiveDate::parse_from_str(date_text.trim(), "%Y-%m-%d").map_err(|_| {
        format!("\"{text}\" is not a clock time; expected \"HH:MM\" or \"YYYY-MM-DD HH:MM\"")
    })?;
    let tod = parse_time_of_day(time_text)?;
    let Some(start_date) = sim.start_date else {
        return Err(format!(
            "\"{text}\" has a date, but [simulation] start has none; expected a clock time such as \"{}\", or a date in `start`",
            time_text.trim()
        ));
    };
    // The dates the measured day runs on: its first, and the next ones
    // if it runs past midnight.
    let day_end = sim.start_of_day.0 + sim.duration.0;
    let last_date =
        start_date + chrono::Days::new(day_end.saturating_sub(1) / (MICROS_PER_DAY as u64));
    if date < start_date || date > last_date {
        let runs = if last_date == start_date {
            format!("{start_date}")
        } else {
            format!("{start_date} to {last_date}")
        };
        return Err(format!(
            "\"{text}\" is dated {date}, but the simulated day runs on {runs} ([simulation] start); expected a row of that day"
        ));
    }
    let days = (date - start_date).num_days();
    Ok(days * MICROS_PER_DAY + tod.0 as i64 - sim.start_of_day.0 as i64)
}

/// The forecast of `queue` in `f`, checked against the measured day.
fn queue_forecast(
    f: &ForecastFile,
    it: &Item,
    queue: &str,
    sim: &SimulationSettings,
) -> Result<QueueForecast> {
    let clock = sim.clock();
    let label_at = |offset: i64| clock.label(clock.instant(SimDuration(offset.max(0) as u64)));
    let day = sim.duration.0 as i64;
    let covers = format!("{}–{}", label_at(0), label_at(day));
    let file_error = |kind: Kind, message: String| {
        ScenarioError::new(kind, message)
            .in_file(&f.label)
            .key(it.path(KEY))
    };
    let mut rows: Vec<&Row> = if f.has_queue_column {
        f.by_queue
            .get(queue)
            .into_iter()
            .flatten()
            .map(|&k| &f.rows[k])
            .collect()
    } else {
        f.rows.iter().collect()
    };
    if rows.is_empty() {
        let named: Vec<&str> = f.queues.iter().map(String::as_str).collect();
        let err = file_error(
            Kind::InvalidValue,
            format!(
                "forecast has no rows for queue \"{queue}\"; it must cover {covers}{}",
                if named.is_empty() {
                    String::new()
                } else {
                    format!(
                        " (the file forecasts {})",
                        list_names(named.iter().copied())
                    )
                }
            ),
        );
        return Err(err.with_maybe_hint(
            suggest(queue, named.iter().copied())
                .map(|s| format!("did you mean \"{s}\"? (queue names are case-sensitive)")),
        ));
    }
    rows.sort_by_key(|r| (r.offset, r.line));
    let in_day: Vec<&Row> = rows
        .iter()
        .copied()
        .filter(|r| (0..day).contains(&r.offset))
        .collect();
    for pair in in_day.windows(2) {
        if pair[0].offset == pair[1].offset {
            return Err(at_line(
                &f.label,
                it,
                pair[1].line,
                Kind::Inconsistent,
                format!(
                    "column `interval_start`: queue \"{queue}\" has two rows for {}, lines {} and {}; expected one row per interval",
                    pair[1].written, pair[0].line, pair[1].line
                ),
            ));
        }
    }
    // The interval is the gap between consecutive rows: those of the day,
    // or all of the queue's when the day holds only one.
    let basis: Vec<&Row> = if in_day.len() >= 2 {
        in_day.clone()
    } else {
        let mut all = rows.clone();
        all.dedup_by_key(|r| r.offset);
        all
    };
    if basis.len() < 2 {
        return Err(at_line(
            &f.label,
            it,
            basis[0].line,
            Kind::InvalidValue,
            format!(
                "queue \"{queue}\" has a single row; the interval length is the gap between consecutive rows, so expected a row per interval of {covers}"
            ),
        ));
    }
    let gaps: Vec<i64> = basis
        .windows(2)
        .map(|p| p[1].offset - p[0].offset)
        .collect();
    let interval = most_common(&gaps);
    for (k, gap) in gaps.iter().enumerate() {
        if gap % interval != 0 {
            let (before, row) = (basis[k], basis[k + 1]);
            return Err(at_line(
                &f.label,
                it,
                row.line,
                Kind::Inconsistent,
                format!(
                    "column `interval_start`: {} comes {} after {} (line {}), but the rows of queue \"{queue}\" are {} apart; expected a constant interval",
                    row.written,
                    humanize(SimDuration(*gap as u64)),
                    before.written,
                    before.line,
                    humanize(SimDuration(interval as u64))
                ),
            ));
        }
    }
    let interval_d = SimDuration(interval as u64);
    let step = sim.interval.0.max(1);
    if interval_d.0 % step != 0 {
        return Err(at_line(
            &f.label,
            it,
            basis[1].line,
            Kind::Inconsistent,
            format!(
                "column `interval_start`: the forecast of queue \"{queue}\" has intervals of {}, not a whole number of reporting intervals of {} ([simulation] interval); expected a multiple of {}",
                humanize(interval_d),
                humanize(sim.interval),
                humanize(sim.interval)
            ),
        )
        .with_hint("set [simulation] interval to the forecast's interval or to a divisor of it"));
    }
    // One row per segment of the day, each of a distinct offset: a day of
    // more segments than the queue has rows misses some, and the first
    // missing one is reported before anything is made for the segments.
    let segments = (day as u64).div_ceil(interval_d.0);
    let segments = if segments > in_day.len() as u64 {
        in_day.len() + 1
    } else {
        segments as usize
    };
    let mut per_hour = Vec::with_capacity(segments);
    let mut aht_s = Vec::with_capacity(segments);
    let hours = interval_d.as_secs_f64() / 3600.0;
    for k in 0..segments {
        let offset = k as i64 * interval;
        match in_day.binary_search_by_key(&offset, |r| r.offset) {
            Ok(i) => {
                per_hour.push(in_day[i].volume / hours);
                aht_s.push(in_day[i].aht_s);
            }
            Err(_) => {
                return Err(file_error(
                    Kind::InvalidValue,
                    format!(
                        "forecast for queue {queue} has no row for {}; it must cover {covers}",
                        label_at(offset)
                    ),
                )
                .with_hint(format!(
                    "one row per interval: the rows of queue \"{queue}\" begin at {} and follow every {}",
                    label_at(0),
                    humanize(interval_d)
                )));
            }
        }
    }
    Ok(QueueForecast {
        interval: interval_d,
        per_hour,
        aht_s,
    })
}

/// The most frequent value (the smallest among equally frequent ones):
/// the forecast's interval, even when a row is missing here and there.
fn most_common(values: &[i64]) -> i64 {
    let mut sorted = values.to_vec();
    sorted.sort_unstable();
    let (mut best, mut best_n) = (sorted[0], 0);
    let mut i = 0;
    while i < sorted.len() {
        let j = sorted[i..].iter().take_while(|v| **v == sorted[i]).count();
        if j > best_n {
            (best, best_n) = (sorted[i], j);
        }
        i += j;
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{Scenario, ScenarioErrorKind};

    const BASE: &str = r#"
[simulation]
name = "forecast"
start = "08:00"
duration = "2h"
interval = "30m"

[[channels]]
name = "phone"

[[statuses]]
name = "Available"
channels = ["phone"]

[[presence_configs]]
name = "Phone"
capacity = 1

[[queues]]
name = "Cards"
channel = "phone"
routing_model = "most_available"
capacity_weight = 1

[[queues]]
name = "Loans"
channel = "phone"
routing_model = "most_available"
capacity_weight = 1

[[agents]]
group = "Team"
count = 5
presence_config = "Phone"
status = "Available"
"#;

    /// `[[arrivals]]` of Cards reading `forecast.csv`.
    const CARDS: &str =
        "[[arrivals]]\nqueue = \"Cards\"\nforecast_csv = \"forecast.csv\"\nhandle_time = 240\n";

    /// Loads `BASE` (with `simulation` lines replaced as given) plus
    /// `arrivals`, with `forecast.csv` holding `csv`, from a folder of its
    /// own.
    fn load_with(
        replace: &[(&str, &str)],
        arrivals: &str,
        csv: &str,
    ) -> std::result::Result<Scenario, ScenarioError> {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("forecast.csv"), csv).unwrap();
        let mut text = BASE.to_owned();
        for (from, to) in replace {
            text = text.replace(from, to);
        }
        let path = dir.path().join("s.toml");
        std::fs::write(&path, format!("{text}\n{arrivals}")).unwrap();
        Scenario::from_path(&path)
    }

    fn load(arrivals: &str, csv: &str) -> std::result::Result<Scenario, ScenarioError> {
        load_with(&[], arrivals, csv)
    }

    fn profile(s: &Scenario, q: usize) -> (SimDuration, Vec<f64>, Option<Vec<f64>>) {
        match &s.arrivals[q].rate {
            ArrivalRate::Profile {
                interval,
                per_hour,
                aht_scale,
            } => (*interval, per_hour.clone(), aht_scale.clone()),
            other => panic!("not a profile: {other:?}"),
        }
    }

    /// The error of a broken file: in the CSV file, on `line`, for
    /// `arrivals[0].forecast_csv`, saying `says`.
    fn assert_csv_error(e: &ScenarioError, line: Option<usize>, says: &str) {
        assert!(e.file().ends_with("forecast.csv"), "{e}");
        assert_eq!(e.line(), line, "{e}");
        assert_eq!(e.key_path(), Some("arrivals[0].forecast_csv"), "{e}");
        assert!(e.message().contains(says), "{e}");
    }

    const TWO_QUEUES: &str = "\
interval_start,queue,volume,aht_s
07:30,Cards,99,100
08:00,Cards,10,
08:00,Loans,4,600
08:30,Cards,20,300
08:30,Loans,5,
09:00,Cards,30.5,240
09:00,Loans,6,
09:30,Cards,0,
09:30,Loans,7,
10:00,Cards,99,
";

    #[test]
    fn one_long_file_serves_two_queues_each_with_its_own_rows() {
        let loans = "[[arrivals]]\nqueue = \"Loans\"\nforecast_csv = \"forecast.csv\"\n\
                     handle_time = { dist = \"exponential\", mean = \"5m\" }\n";
        let s = load(&format!("{CARDS}\n{loans}"), TWO_QUEUES).unwrap();
        // Volume per half-hour → items per hour; rows outside 08:00–10:00
        // (07:30, 10:00) are ignored; `aht_s` over the mean handle time.
        let (interval, per_hour, scale) = profile(&s, 0);
        assert_eq!(interval, SimDuration::from_secs(1800));
        assert_eq!(per_hour, [20.0, 40.0, 61.0, 0.0]);
        assert_eq!(scale, Some(vec![1.0, 1.25, 1.0, 1.0]));
        let (_, per_hour, scale) = profile(&s, 1);
        assert_eq!(per_hour, [8.0, 10.0, 12.0, 14.0]);
        assert_eq!(scale, Some(vec![2.0, 1.0, 1.0, 1.0]));
        assert!(s.warnings.is_empty(), "{:?}", s.warnings);
        // What a planner reads back, per reporting interval.
        let load = s.offered_per_interval(crate::omni::QueueId(0));
        let handle: Vec<f64> = load.iter().map(|l| l.mean_handle_s).collect();
        assert_eq!(handle, [240.0, 300.0, 240.0, 240.0]);
    }

    #[test]
    fn rows_of_a_queue_nobody_reads_are_a_warning_with_the_queue_and_line() {
        let s = load(CARDS, TWO_QUEUES).unwrap();
        assert_eq!(s.warnings.len(), 1, "{:?}", s.warnings);
        let w = &s.warnings[0];
        assert!(
            w.contains("forecast.csv: line 4: rows for queue \"Loans\" are ignored"),
            "{w}"
        );
        let typo = TWO_QUEUES.replace("Loans", "Laons");
        let s = load(CARDS, &typo).unwrap();
        assert!(
            s.warnings[0].contains("no such queue (did you mean \"Loans\"?)"),
            "{:?}",
            s.warnings
        );
    }

    #[test]
    fn a_file_without_a_queue_column_holds_the_entrys_queue_at_its_own_interval() {
        let csv = "interval_start,volume\n# hourly\n08:00,60\n\n09:00,30.5\n";
        let s = load(CARDS, csv).unwrap();
        let (interval, per_hour, scale) = profile(&s, 0);
        assert_eq!(interval, SimDuration::from_secs(3600));
        assert_eq!(per_hour, [60.0, 30.5]);
        assert_eq!(scale, None);
        // Two reporting intervals per forecast interval.
        let rates: Vec<f64> = s
            .offered_per_interval(crate::omni::QueueId(0))
            .iter()
            .map(|l| l.rate_per_hour)
            .collect();
        assert_eq!(rates, [60.0, 60.0, 30.5, 30.5]);
        // Seconds are accepted, and a byte-order mark and spaces are not
        // in the way.
        let csv = "\u{feff}Interval_Start , Volume\n08:00:00 , 60\n09:00:00, 30\n";
        assert_eq!(profile(&load(CARDS, csv).unwrap(), 0).1, [60.0, 30.0]);
    }

    #[test]
    fn dated_rows_belong_to_the_dated_day() {
        let dated = [("start = \"08:00\"", "start = \"2026-11-30 08:00\"")];
        let csv =
            "interval_start,volume\n2026-11-30 07:00,5\n2026-11-30 08:00,10\n2026-11-30 09:00,20\n";
        let s = load_with(&dated, CARDS, csv).unwrap();
        assert_eq!(profile(&s, 0).1, [10.0, 20.0]);
        let e = load_with(&dated, CARDS, &csv.replace("30 09:00", "29 09:00")).unwrap_err();
        assert_csv_error(
            &e,
            Some(4),
            "is dated 2026-11-29, but the simulated day runs on 2026-11-30",
        );
        let e = load(CARDS, csv).unwrap_err();
        assert_csv_error(&e, Some(2), "has a date, but [simulation] start has none");
    }

    #[test]
    fn a_row_after_comments_and_blank_lines_is_named_by_its_own_line() {
        let csv = "interval_start,volume\n08:00,10\n# the afternoon\n\n08:30,lots\n";
        let e = load(CARDS, csv).unwrap_err();
        assert_csv_error(&e, Some(5), "column `volume`: \"lots\" is not a number");
        let csv = "# forecast of 2026-11-30\n\ninterval_start,volume,colour\n08:00,10,red\n";
        let e = load(CARDS, csv).unwrap_err();
        assert_eq!(e.line(), Some(3), "the header's own line: {e}");
    }

    #[test]
    fn every_mistake_in_a_row_names_the_line_and_the_column() {
        let good = "interval_start,volume,aht_s\n08:00,10,\n08:30,10,\n09:00,10,\n09:30,10,\n";
        assert!(load(CARDS, good).is_ok());
        let broken = |from: &str, to: &str| load(CARDS, &good.replacen(from, to, 1)).unwrap_err();
        let e = broken("08:30,", "8h30,");
        assert_csv_error(
            &e,
            Some(3),
            "column `interval_start`: \"8h30\" is not a clock time",
        );
        let e = broken("08:30,", "25:00,");
        assert_csv_error(&e, Some(3), "hour 25");
        let e = broken("09:00,10", "09:00,-3");
        assert_csv_error(&e, Some(4), "column `volume`: -3 is negative");
        let e = broken("09:00,10", "09:00,lots");
        assert_csv_error(&e, Some(4), "column `volume`: \"lots\" is not a number");
        let e = broken("09:00,10", "09:00,");
        assert_csv_error(&e, Some(4), "column `volume`: missing");
        let e = broken("09:30,10,", "09:30,10,0");
        assert_csv_error(&e, Some(5), "column `aht_s`: 0 is not a handle time");
        let e = broken("09:30,10,", "09:30,10,long");
        assert_csv_error(&e, Some(5), "column `aht_s`: \"long\" is not a number");
        let e = broken("08:00,10,", ",10,");
        assert_csv_error(&e, Some(2), "column `interval_start`: missing");
        let e = load(CARDS, &good.replace("volume", "volumes")).unwrap_err();
        assert_eq!(e.kind(), ScenarioErrorKind::UnknownKey);
        assert_csv_error(&e, Some(1), "unknown column `volumes`");
        assert_eq!(e.hint(), Some("did you mean `volume`?"));
        let e = load(CARDS, "interval_start,aht_s\n08:00,5\n").unwrap_err();
        assert_csv_error(&e, Some(1), "the header has no `volume` column");
        let e = load(CARDS, "").unwrap_err();
        assert!(e.message().contains("is empty"), "{e}");
    }

    #[test]
    fn the_interval_is_constant_a_multiple_of_the_reporting_interval_and_covers_the_day() {
        let rows = |times: &[&str]| {
            let mut csv = "interval_start,queue,volume\n".to_owned();
            for t in times {
                csv.push_str(&format!("{t},Cards,10\n"));
            }
            csv
        };
        let e = load(CARDS, &rows(&["08:00", "08:30", "09:00", "09:30", "09:45"])).unwrap_err();
        assert_eq!(e.kind(), ScenarioErrorKind::Inconsistent);
        assert_csv_error(
            &e,
            Some(6),
            "09:45 comes 15m after 09:30 (line 5), but the rows of queue \"Cards\" are 30m apart",
        );
        let e = load(CARDS, &rows(&["08:00", "08:45", "09:30", "10:15"])).unwrap_err();
        assert_csv_error(
            &e,
            Some(3),
            "intervals of 45m, not a whole number of reporting intervals of 30m ([simulation] interval)",
        );
        let e = load(CARDS, &rows(&["08:00", "08:30", "08:30", "09:00", "09:30"])).unwrap_err();
        assert_csv_error(
            &e,
            Some(4),
            "queue \"Cards\" has two rows for 08:30, lines 3 and 4",
        );
        let e = load(CARDS, &rows(&["08:00", "08:30", "09:30"])).unwrap_err();
        assert_csv_error(
            &e,
            None,
            "forecast for queue Cards has no row for 09:00; it must cover 08:00–10:00",
        );
        let e = load(CARDS, &rows(&["08:30", "09:00", "09:30"])).unwrap_err();
        assert!(e.message().contains("no row for 08:00"), "{e}");
        let e = load(CARDS, &rows(&["08:00"])).unwrap_err();
        assert_csv_error(&e, Some(2), "has a single row");
        let e = load(CARDS, &rows(&["08:00", "08:30"]).replace("Cards", "cards")).unwrap_err();
        assert!(e.message().contains("no rows for queue \"Cards\""), "{e}");
        assert_eq!(
            e.hint(),
            Some("did you mean \"cards\"? (queue names are case-sensitive)")
        );
    }

    #[test]
    fn forecast_csv_is_one_of_the_ways_to_give_a_rate() {
        let both = format!("{CARDS}rate_per_hour = 10\n");
        let e = load(&both, "interval_start,volume\n08:00,1\n09:00,1\n").unwrap_err();
        assert_eq!(e.kind(), ScenarioErrorKind::Inconsistent);
        assert!(
            e.message()
                .contains("`rate_per_hour` and `forecast_csv` are both set"),
            "{e}"
        );
        let e = load(&CARDS.replace("forecast.csv", "missing.csv"), "").unwrap_err();
        assert_eq!(e.kind(), ScenarioErrorKind::Io);
        assert!(e.file().ends_with("s.toml"), "{e}");
        assert!(e.message().contains("cannot read"), "{e}");
    }

    #[test]
    fn a_file_above_the_size_limit_is_refused_before_it_is_read_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.csv");
        std::fs::write(&path, vec![b'1'; 2048]).unwrap();
        assert_eq!(crate::scenario::read_bounded(&path, 1024).unwrap(), None);
        assert_eq!(
            crate::scenario::read_bounded(&path, 2048)
                .unwrap()
                .map(|b| b.len()),
            Some(2048)
        );
        // An endless device is no regular file: refused before a read,
        // with a located error saying what it is.
        if std::path::Path::new("/dev/zero").exists() {
            let e = load(&CARDS.replace("forecast.csv", "/dev/zero"), "").unwrap_err();
            assert_eq!(e.key_path(), Some("arrivals[0].forecast_csv"));
            assert!(
                e.message()
                    .contains("it is a character device, not a regular file"),
                "{e}"
            );
            assert!(!e.message().contains("nonexistent"), "{e}");
            assert!(e.line().is_some(), "located in the scenario file: {e}");
        }
    }

    #[test]
    fn the_commonest_gap_is_the_interval() {
        assert_eq!(most_common(&[30, 30, 60, 30]), 30);
        assert_eq!(most_common(&[60, 15, 15]), 15);
        assert_eq!(most_common(&[60, 30]), 30);
    }
}
