//! `agents[].roster_csv`: a roster as workforce-management tools export
//! it, one agent per line.
//!
//! ```text
//! agent,group,shift_start,shift_end,breaks
//! Ann Lee,Tier 1,08:00,16:30,10:00-10:15 Break; 12:00-12:30 Lunch
//! Bo Chen,Tier 1,11:30,20:00,
//! ```
//!
//! One file may hold every group: each `[[agents]]` entry naming it takes
//! the lines of its own group, in file order, and a line naming a group no
//! entry reads from the file is a mistake (a typo would otherwise drop
//! people silently). Times are clock times or durations from `start`, as
//! in the scenario file; a break's status may be left out for the group's
//! default. Mistakes name the CSV file, its line and the column.

use super::error::{list_names, suggest, ScenarioError, ScenarioErrorKind as Kind};
use super::input::RecordStarts;
use super::raw::{RawAgents, RawTime};
use super::roster::{check_breaks, Entry, ReadBreak, ShiftTimes, StatusBook, Which};
use super::validate::{lower_first, Ctx, Item};
use super::SimulationSettings;
use crate::omni::StatusId;
use crate::time::SimDuration;
use rustc_hash::{FxHashMap, FxHashSet};
use std::path::{Path, PathBuf};
use toml::Spanned;

type Result<T> = std::result::Result<T, ScenarioError>;

/// The columns, in the order WFM exports write them.
const COLUMNS: [&str; 5] = ["agent", "group", "shift_start", "shift_end", "breaks"];

/// The roster files of one scenario, each read and split into records
/// once however many `[[agents]]` entries name it: with a group per
/// entry, reading the whole file for each would cost groups × lines.
#[derive(Default)]
pub(super) struct RosterFiles {
    files: FxHashMap<PathBuf, RosterFile>,
}

/// A roster file split into records, each group's lines indexed.
struct RosterFile {
    /// The column of each of [`COLUMNS`].
    index: [usize; COLUMNS.len()],
    /// The lines of each group reading the file, in file order.
    lines: FxHashMap<String, Vec<(usize, csv::StringRecord)>>,
    /// The groups reading the file, in `[[agents]]` order.
    readers: Vec<String>,
    /// What stops every reader once it gets there: the first line of a
    /// group no entry reads from the file, or a line the csv reader
    /// refuses, with its position among the records.
    stop: Option<(usize, Stop)>,
}

/// A line that ends the reading of a roster file.
enum Stop {
    /// A line of a group that does not read the file: its line and group.
    UnknownGroup(u64, String),
    /// A line the csv reader refused.
    Malformed(csv::Error),
}

/// Reads the lines of `it`'s group from its `roster_csv` file.
pub(super) fn read(
    cx: &Ctx<'_>,
    it: &Item,
    file: &Spanned<String>,
    all: &[Spanned<RawAgents>],
    sim: &SimulationSettings,
    book: &StatusBook<'_>,
    files: &mut RosterFiles,
) -> Result<Vec<Entry>> {
    let path = cx.resolve_path(file.get_ref());
    let label = path.display().to_string();
    let key = it.path("roster_csv");
    if !files.files.contains_key(&path) {
        let parsed = load(cx, it, file, &path, &label, all)?;
        files.files.insert(path.clone(), parsed);
    }
    let f = &files.files[&path];
    let group = group_of(it, all);
    let at = |kind: Kind, line: u64, column: &str, message: String| {
        ScenarioError::new(kind, format!("{}: column `{column}`: {message}", it.label))
            .in_file(&label)
            .at_line(line as usize)
            .key(format!("{key}.{column}"))
    };
    let clock = sim.clock();
    let mut entries = Vec::new();
    let stop_at = f.stop.as_ref().map_or(usize::MAX, |(k, _)| *k);
    // The group's lines before the stop are read, then the stop is
    // reported, as a reader going through the file line by line would.
    for (position, record) in f.lines.get(group).into_iter().flatten() {
        if *position >= stop_at {
            break;
        }
        let line = record.position().map_or(0, |p| p.line());
        let cell = |k: usize| record.get(f.index[k]).unwrap_or("");
        let name = cell(0);
        if name.is_empty() {
            return Err(at(
                Kind::InvalidValue,
                line,
                "agent",
                "the agent's name is empty; expected a name".into(),
            ));
        }
        let time = |k: usize| -> Result<(SimDuration, String)> {
            let text = cell(k);
            if text.is_empty() {
                return Err(at(
                    Kind::MissingKey,
                    line,
                    COLUMNS[k],
                    "is empty; expected a clock time such as 08:00".into(),
                ));
            }
            let t = RawTime::from_text(text)
                .map_err(|why| at(Kind::InvalidValue, line, COLUMNS[k], why))?;
            Ok((t.offset(&clock), t.written))
        };
        let (start, start_text) = time(2)?;
        let (end, end_text) = time(3)?;
        let times = ShiftTimes {
            start: Some((start, &start_text)),
            end: Some((end, &end_text)),
        };
        let (shift, span) = times.check(&clock, sim).map_err(|(which, why, hint)| {
            let column = match which {
                Which::Start => "shift_start",
                Which::End => "shift_end",
            };
            at(Kind::InvalidValue, line, column, why).with_maybe_hint(hint)
        })?;
        let breaks = parse_breaks(cell(4), sim, book)
            .and_then(|b| {
                let times: Vec<(SimDuration, SimDuration)> =
                    b.iter().map(|(s, d, _)| (*s, *d)).collect();
                check_breaks(&clock, span, &times)
                    .map_err(|(_, why)| (Kind::Inconsistent, why, None))?;
                Ok(b)
            })
            .map_err(|(kind, why, hint)| at(kind, line, "breaks", why).with_maybe_hint(hint))?;
        entries.push(Entry {
            count: 1,
            shift,
            breaks: breaks
                .into_iter()
                .map(|(offset, duration, status)| ReadBreak {
                    start: sim.warmup + offset,
                    duration,
                    status,
                })
                .collect(),
            name: Some(name.to_owned()),
        });
    }
    match &f.stop {
        Some((_, Stop::Malformed(e))) => return Err(csv_error(&label, &key, e)),
        Some((_, Stop::UnknownGroup(line, row_group))) => {
            let readers = f.readers.iter().map(String::as_str);
            let near = suggest(row_group, readers.clone());
            return Err(at(
                Kind::UnknownReference,
                *line,
                "group",
                format!(
                    "group \"{}\" is not an [[agents]] group reading this file; groups reading it: {}",
                    super::error::printable(row_group),
                    list_names(readers)
                ),
            )
            .with_hint(match near {
                Some(s) => format!("did you mean \"{s}\"? (names are case-sensitive)"),
                None => format!(
                    "add an [[agents]] entry with group = \"{}\" and roster_csv = \"{}\"",
                    super::error::printable(row_group),
                    file.get_ref()
                ),
            }));
        }
        None => {}
    }
    if entries.is_empty() {
        return Err(cx
            .at(
                Kind::InvalidValue,
                it,
                "roster_csv",
                file,
                format!(
                    "\"{label}\" has no line for group \"{group}\"; expected at least one agent"
                ),
            )
            .with_hint(
                "the `group` column must name the group exactly (names are case-sensitive)",
            ));
    }
    Ok(entries)
}

/// Reads a roster file once: its header checked, its lines split by
/// group, up to the first line that stops every reader.
fn load(
    cx: &Ctx<'_>,
    it: &Item,
    file: &Spanned<String>,
    path: &Path,
    label: &str,
    all: &[Spanned<RawAgents>],
) -> Result<RosterFile> {
    let bytes = cx.read_input(it, "roster_csv", file, "a roster file (one line per agent)")?;
    let key = it.path("roster_csv");
    // The groups whose entries read this same file.
    let readers: Vec<String> = all
        .iter()
        .filter_map(|a| {
            let a = a.get_ref();
            let f = a.roster_csv.as_ref()?;
            (cx.resolve_path(f.get_ref()) == path)
                .then(|| a.group.as_ref().map(|g| g.get_ref().clone()))
                .flatten()
        })
        .collect();
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .comment(Some(b'#'))
        .from_reader(bytes.as_slice());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| csv_error(label, &key, &e))?
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').trim().to_lowercase())
        .collect();
    let mut index = [0usize; COLUMNS.len()];
    for (k, name) in COLUMNS.iter().enumerate() {
        index[k] = header.iter().position(|h| h == name).ok_or_else(|| {
            // Only the columns it knows are named: the first line of a
            // file that is no roster at all is never repeated.
            let known: Vec<&str> = COLUMNS
                .iter()
                .copied()
                .filter(|c| header.iter().any(|h| h == c))
                .collect();
            let found = if known.is_empty() {
                "it names none of them".to_owned()
            } else {
                format!("it names {}", known.join(","))
            };
            ScenarioError::new(
                Kind::MissingKey,
                format!(
                    "{}: the header has no column `{name}`; expected the columns {} ({found})",
                    it.label,
                    COLUMNS.join(",")
                ),
            )
            .in_file(label)
            .at_line(1)
            .key(format!("{key}.{name}"))
            .with_hint("the first line of a roster file names its columns, e.g. agent,group,shift_start,shift_end,breaks")
        })?;
    }
    let reading: FxHashSet<&str> = readers.iter().map(String::as_str).collect();
    let mut lines: FxHashMap<String, Vec<(usize, csv::StringRecord)>> = FxHashMap::default();
    let mut stop = None;
    // The csv crate places a record before the comments and blank lines
    // it skipped; each record is moved to its own line as it is read.
    let mut starts = RecordStarts::new(bytes.as_slice());
    for (k, record) in reader.records().enumerate() {
        let record = match record {
            Ok(mut r) => {
                starts.place(&mut r);
                r
            }
            Err(e) => {
                stop = Some((k, Stop::Malformed(e)));
                break;
            }
        };
        let row_group = record.get(index[1]).unwrap_or("");
        if !reading.contains(row_group) {
            let line = record.position().map_or(0, |p| p.line());
            stop = Some((k, Stop::UnknownGroup(line, row_group.to_owned())));
            break;
        }
        match lines.get_mut(row_group) {
            Some(v) => v.push((k, record)),
            None => {
                lines.insert(row_group.to_owned(), vec![(k, record)]);
            }
        }
    }
    Ok(RosterFile {
        index,
        lines,
        readers,
        stop,
    })
}

/// The group name of the entry being read.
fn group_of<'a>(it: &Item, all: &'a [Spanned<RawAgents>]) -> &'a str {
    it.index
        .and_then(|i| all.get(i))
        .and_then(|a| a.get_ref().group.as_ref())
        .map_or("", |g| g.get_ref().as_str())
}

/// A malformed CSV file (a line with the wrong number of fields, text
/// that is not UTF-8), located by the `csv` crate.
fn csv_error(label: &str, key: &str, e: &csv::Error) -> ScenarioError {
    let line = e.position().map(|p| p.line() as usize);
    let message = match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!(
            "the line has {len} fields, expected {expected_len} like the header (quote a cell that holds a comma)"
        ),
        csv::ErrorKind::Utf8 { .. } => "the line is not UTF-8 text".to_owned(),
        _ => lower_first(&e.to_string()),
    };
    let err = ScenarioError::new(Kind::InvalidValue, message)
        .in_file(label)
        .key(key);
    match line {
        Some(l) => err.at_line(l),
        None => err,
    }
}

/// A `breaks` cell, `"10:00-10:15 Break; 12:00-12:30 Lunch"`: each break
/// as (offset from `start`, length, status if named). Empty = none.
#[allow(clippy::type_complexity)]
fn parse_breaks(
    cell: &str,
    sim: &SimulationSettings,
    book: &StatusBook<'_>,
) -> std::result::Result<
    Vec<(SimDuration, SimDuration, Option<StatusId>)>,
    (Kind, String, Option<String>),
> {
    let clock = sim.clock();
    let mut out = Vec::new();
    for piece in cell.split(';').map(str::trim).filter(|p| !p.is_empty()) {
        let malformed = || {
            (
                Kind::InvalidValue,
                format!("\"{piece}\" is not a break; expected START-END and an optional status, such as \"12:00-12:30 Lunch\""),
                Some("separate breaks with \";\"".to_owned()),
            )
        };
        let (from, rest) = piece.split_once('-').ok_or_else(malformed)?;
        let rest = rest.trim_start();
        let (to, status) = match rest.split_once(char::is_whitespace) {
            Some((to, status)) => (to, status.trim()),
            None => (rest, ""),
        };
        if from.trim().is_empty() || to.is_empty() {
            return Err(malformed());
        }
        let parse = |t: &str| {
            RawTime::from_text(t)
                .map(|t| t.offset(&clock))
                .map_err(|why| (Kind::InvalidValue, format!("in \"{piece}\": {why}"), None))
        };
        let (start, end) = (parse(from)?, parse(to)?);
        if end <= start {
            return Err((
                Kind::InvalidValue,
                format!(
                    "break \"{piece}\" ends at {}, not after it starts ({}); expected an end later than the start",
                    clock.label(clock.instant(end)),
                    clock.label(clock.instant(start))
                ),
                None,
            ));
        }
        let status = if status.is_empty() {
            None
        } else {
            let Some(i) = book.names.position(status) else {
                return Err((
                    Kind::UnknownReference,
                    format!(
                        "status \"{status}\" of break \"{piece}\" is not defined in [[statuses]]; defined: {}",
                        list_names(book.names.names.iter().map(String::as_str))
                    ),
                    suggest(status, book.names.names.iter().map(String::as_str))
                        .map(|s| format!("did you mean \"{s}\"? (names are case-sensitive)")),
                ));
            };
            let id = StatusId(i as u32);
            book.busy_or_why(id)
                .map_err(|why| (Kind::Inconsistent, why, None))?;
            Some(id)
        };
        out.push((start, SimDuration(end.0 - start.0), status));
    }
    Ok(out)
}
