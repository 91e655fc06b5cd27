//! `results.xlsx`: a command's tables as one Excel workbook, for planners
//! who live in spreadsheets (`run --xlsx`, `plan --xlsx`).
//!
//! One sheet per table, named after it (`summary`, `intervals`, `agents`,
//! `work`; `staffing` for a plan), each with its header row in bold,
//! frozen and filtered, and number formats by column: whole numbers as
//! `0`, seconds (`…_s` columns) as `0.0`, other fractional figures as
//! `0.000`. The cells hold the same values as the CSV files beside it.
//! A table longer than a sheet holds (1,048,575 rows under the header)
//! is left out, and a `notes` sheet says so and names the CSV file.
//! Written with rust_xlsxwriter.

use crate::output::ResultSet;
use crate::stats::QUEUE_METRICS;
use rust_xlsxwriter::{Format, Workbook};
use std::path::{Path, PathBuf};

/// The workbook's file name.
pub const WORKBOOK_FILE: &str = "results.xlsx";

/// Rows of data a sheet holds under its header.
pub const MAX_ROWS: usize = 1_048_575;

/// One cell.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    /// A number.
    Number(f64),
    /// Text.
    Text(String),
    /// Nothing (an undefined figure).
    Empty,
}

impl Cell {
    /// A cell from CSV text: a number when it reads as one.
    fn parse(text: &str) -> Cell {
        if text.is_empty() {
            Cell::Empty
        } else {
            text.parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .map_or_else(|| Cell::Text(text.to_string()), Cell::Number)
        }
    }
}

/// One table, to become a sheet.
#[derive(Clone, Debug, PartialEq)]
pub struct Sheet {
    /// Sheet name.
    pub name: String,
    /// Column names.
    pub header: Vec<String>,
    /// Rows.
    pub rows: Vec<Vec<Cell>>,
}

/// A table left out of the workbook, and why.
#[derive(Clone, Debug, PartialEq)]
pub struct LeftOut {
    /// The file it is in.
    pub file: String,
    /// Its rows.
    pub rows: usize,
}

/// The sheet of a CSV file; `Ok(Err(LeftOut))` when it has more rows than
/// a sheet holds (counted without reading it into memory).
pub fn sheet_from_csv(name: &str, path: &Path) -> std::io::Result<Result<Sheet, LeftOut>> {
    // Rows counted as CSV records (a quoted cell may hold a line break),
    // none of them kept.
    let mut counter = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(std::fs::File::open(path)?);
    let mut record = csv::ByteRecord::new();
    let mut records = 0;
    while counter
        .read_byte_record(&mut record)
        .map_err(std::io::Error::other)?
    {
        records += 1;
    }
    let file = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    if records > MAX_ROWS {
        return Ok(Err(LeftOut {
            file,
            rows: records,
        }));
    }
    let mut r = csv::Reader::from_path(path).map_err(std::io::Error::other)?;
    let header = r
        .headers()
        .map_err(std::io::Error::other)?
        .iter()
        .map(String::from)
        .collect();
    let mut rows = Vec::new();
    for rec in r.records() {
        let rec = rec.map_err(std::io::Error::other)?;
        rows.push(rec.iter().map(Cell::parse).collect());
    }
    Ok(Ok(Sheet {
        name: name.to_string(),
        header,
        rows,
    }))
}

/// The `summary` sheet of a run: one row per queue and the centre, each
/// metric's mean and 95% interval, as `summary.json` has them.
pub fn summary_sheet(set: &ResultSet) -> Sheet {
    let mut header = vec!["queue".to_string()];
    for d in QUEUE_METRICS {
        header.push(d.name.to_string());
        header.push(format!("{}_ci95_low", d.name));
        header.push(format!("{}_ci95_high", d.name));
    }
    let names = set.queue_names().to_vec();
    let rows = (0..=names.len())
        .map(|q| {
            let (name, est) = if q < names.len() {
                (names[q].clone(), set.queue_estimates(q))
            } else {
                (
                    crate::stats::ALL_QUEUES.to_string(),
                    set.overall_estimates(),
                )
            };
            let mut row = vec![Cell::Text(name)];
            for (_, e) in est.iter() {
                match e {
                    Some(e) => row.extend([
                        Cell::Number(e.mean),
                        Cell::Number(e.ci95_low),
                        Cell::Number(e.ci95_high),
                    ]),
                    None => row.extend([Cell::Empty, Cell::Empty, Cell::Empty]),
                }
            }
            row
        })
        .collect();
    Sheet {
        name: "summary".into(),
        header,
        rows,
    }
}

/// The number format of a column: `None` for text.
fn column_format(name: &str, cells: impl Iterator<Item = f64>) -> Option<&'static str> {
    let mut any = false;
    let mut whole = true;
    for v in cells {
        any = true;
        whole &= v.fract() == 0.0 && v.abs() < 1e15;
    }
    if !any {
        None
    } else if name.ends_with("_s") && !whole {
        Some("0.0")
    } else if whole {
        Some("0")
    } else {
        Some("0.000")
    }
}

/// Writes `sheets` into `dir/results.xlsx` (atomically); tables left out
/// are listed on a `notes` sheet.
pub fn write_workbook(
    dir: &Path,
    sheets: &[Sheet],
    left_out: &[LeftOut],
) -> Result<PathBuf, String> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let err = |e: rust_xlsxwriter::XlsxError| e.to_string();
    for s in sheets {
        let ws = book.add_worksheet();
        ws.set_name(&s.name).map_err(err)?;
        for (c, h) in s.header.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, h, &bold)
                .map_err(err)?;
            ws.set_column_width(c as u16, (h.chars().count() + 2).clamp(8, 40) as f64)
                .map_err(err)?;
        }
        for (c, h) in s.header.iter().enumerate() {
            let numbers = s.rows.iter().filter_map(|r| match r.get(c) {
                Some(Cell::Number(v)) => Some(*v),
                _ => None,
            });
            let format = column_format(h, numbers).map(|f| Format::new().set_num_format(f));
            for (r, row) in s.rows.iter().enumerate() {
                let r = r as u32 + 1;
                match (row.get(c), &format) {
                    (Some(Cell::Number(v)), Some(f)) => {
                        ws.write_number_with_format(r, c as u16, *v, f)
                            .map_err(err)?;
                    }
                    (Some(Cell::Number(v)), None) => {
                        ws.write_number(r, c as u16, *v).map_err(err)?;
                    }
                    (Some(Cell::Text(t)), _) => {
                        ws.write_string(r, c as u16, t).map_err(err)?;
                    }
                    _ => {}
                }
            }
        }
        ws.set_freeze_panes(1, 0).map_err(err)?;
        if !s.header.is_empty() {
            ws.autofilter(0, 0, s.rows.len() as u32, s.header.len() as u16 - 1)
                .map_err(err)?;
        }
    }
    if !left_out.is_empty() {
        let ws = book.add_worksheet();
        ws.set_name("notes").map_err(err)?;
        ws.write_string_with_format(0, 0, "note", &bold)
            .map_err(err)?;
        ws.set_column_width(0, 100).map_err(err)?;
        for (i, l) in left_out.iter().enumerate() {
            ws.write_string(
                i as u32 + 1,
                0,
                format!(
                    "{} has {} rows, more than a sheet holds ({MAX_ROWS}): open {} itself",
                    l.file, l.rows, l.file
                ),
            )
            .map_err(err)?;
        }
        ws.set_freeze_panes(1, 0).map_err(err)?;
    }
    let bytes = book.save_to_buffer().map_err(err)?;
    crate::output::write_atomically(dir, WORKBOOK_FILE, &bytes).map_err(|e| e.to_string())
}

/// The workbook of the CSV files `files` (name, path) in `dir`, with an
/// optional first sheet.
pub fn workbook_of(
    dir: &Path,
    first: Option<Sheet>,
    files: &[(&str, PathBuf)],
) -> Result<PathBuf, String> {
    let mut sheets: Vec<Sheet> = first.into_iter().collect();
    let mut left = Vec::new();
    for (name, path) in files {
        match sheet_from_csv(name, path)
            .map_err(|e| format!("cannot read `{}`: {e}", path.display()))?
        {
            Ok(s) => sheets.push(s),
            Err(l) => left.push(l),
        }
    }
    write_workbook(dir, &sheets, &left)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_get_formats_by_what_they_hold() {
        assert_eq!(column_format("offered", [3.0, 4.0].into_iter()), Some("0"));
        assert_eq!(column_format("asa_s", [3.5, 4.0].into_iter()), Some("0.0"));
        assert_eq!(
            column_format("service_level", [0.5, 1.0].into_iter()),
            Some("0.000")
        );
        assert_eq!(column_format("queue", std::iter::empty()), None);
        assert_eq!(Cell::parse("12.5"), Cell::Number(12.5));
        assert_eq!(Cell::parse("Chat"), Cell::Text("Chat".into()));
        assert_eq!(Cell::parse(""), Cell::Empty);
    }
}
