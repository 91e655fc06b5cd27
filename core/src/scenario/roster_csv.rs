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
use super::raw::{RawAgents, RawTime};
use super::roster::{check_breaks, Entry, ReadBreak, ShiftTimes, StatusBook, Which};
use super::validate::{lower_first, Ctx, Item};
use super::SimulationSettings;
use crate::omni::StatusId;
use crate::time::SimDuration;
use toml::Spanned;

type Result<T> = std::result::Result<T, ScenarioError>;

/// The columns, in the order WFM exports write them.
const COLUMNS: [&str; 5] = ["agent", "group", "shift_start", "shift_end", "breaks"];

/// Reads the lines of `it`'s group from its `roster_csv` file.
pub(super) fn read(
    cx: &Ctx<'_>,
    it: &Item,
    file: &Spanned<String>,
    all: &[Spanned<RawAgents>],
    sim: &SimulationSettings,
    book: &StatusBook<'_>,
) -> Result<Vec<Entry>> {
    let path = cx.resolve_path(file.get_ref());
    let label = path.display().to_string();
    let bytes = read_limited(cx, it, file, &path, &label)?;
    let group = group_of(it, all);
    // The groups whose entries read this same file.
    let readers: Vec<&str> = all
        .iter()
        .filter_map(|a| {
            let a = a.get_ref();
            let f = a.roster_csv.as_ref()?;
            (cx.resolve_path(f.get_ref()) == path)
                .then(|| a.group.as_ref().map(|g| g.get_ref().as_str()))
                .flatten()
        })
        .collect();
    let key = it.path("roster_csv");
    let at = |kind: Kind, line: u64, column: &str, message: String| {
        ScenarioError::new(kind, format!("{}: column `{column}`: {message}", it.label))
            .in_file(&label)
            .at_line(line as usize)
            .key(format!("{key}.{column}"))
    };
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .comment(Some(b'#'))
        .from_reader(bytes.as_slice());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| csv_error(&label, &key, e))?
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').trim().to_lowercase())
        .collect();
    let mut index = [0usize; COLUMNS.len()];
    for (k, name) in COLUMNS.iter().enumerate() {
        index[k] = header.iter().position(|h| h == name).ok_or_else(|| {
            ScenarioError::new(
                Kind::MissingKey,
                format!(
                    "{}: the header has no column `{name}`; expected the columns {} (found {})",
                    it.label,
                    COLUMNS.join(","),
                    if header.is_empty() {
                        "an empty line".to_owned()
                    } else {
                        header.join(",")
                    }
                ),
            )
            .in_file(&label)
            .at_line(1)
            .key(format!("{key}.{name}"))
        })?;
    }
    let clock = sim.clock();
    let mut entries = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| csv_error(&label, &key, e))?;
        let line = record.position().map_or(0, |p| p.line());
        let cell = |k: usize| record.get(index[k]).unwrap_or("");
        let row_group = cell(1);
        if row_group != group {
            if readers.contains(&row_group) {
                continue;
            }
            let near = suggest(row_group, readers.iter().copied());
            return Err(at(
                Kind::UnknownReference,
                line,
                "group",
                format!(
                    "group \"{row_group}\" is not an [[agents]] group reading this file; groups reading it: {}",
                    list_names(readers.iter().copied())
                ),
            )
            .with_hint(match near {
                Some(s) => format!("did you mean \"{s}\"? (names are case-sensitive)"),
                None => format!("add an [[agents]] entry with group = \"{row_group}\" and roster_csv = \"{}\"", file.get_ref()),
            }));
        }
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

/// The group name of the entry being read.
fn group_of<'a>(it: &Item, all: &'a [Spanned<RawAgents>]) -> &'a str {
    it.index
        .and_then(|i| all.get(i))
        .and_then(|a| a.get_ref().group.as_ref())
        .map_or("", |g| g.get_ref().as_str())
}

/// The file's bytes through [`read_bounded`](super::read_bounded), refusing one above
/// [`MAX_CSV_BYTES`](super::MAX_CSV_BYTES) with a located error.
fn read_limited(
    cx: &Ctx<'_>,
    it: &Item,
    file: &Spanned<String>,
    path: &std::path::Path,
    label: &str,
) -> Result<Vec<u8>> {
    let io = |e: std::io::Error| {
        cx.at(
            Kind::Io,
            it,
            "roster_csv",
            file,
            format!("cannot read \"{label}\": {}", lower_first(&e.to_string())),
        )
        .with_hint("the path is relative to the scenario file's folder")
        .with_source(e)
    };
    let Some(bytes) = super::read_bounded(path, super::MAX_CSV_BYTES).map_err(io)? else {
        return Err(cx.at(
            Kind::InvalidValue,
            it,
            "roster_csv",
            file,
            format!(
                "\"{label}\" is larger than {} MiB; expected a roster file (one line per agent)",
                super::MAX_CSV_BYTES / (1024 * 1024)
            ),
        ));
    };
    Ok(bytes)
}

/// A malformed CSV file (a line with the wrong number of fields, text
/// that is not UTF-8), located by the `csv` crate.
fn csv_error(label: &str, key: &str, e: csv::Error) -> ScenarioError {
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
