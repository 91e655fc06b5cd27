//! One export file read by its header: the object's fields found by
//! name (any order, any case; other columns ignored), every cell read
//! through a typed getter that names the file, line and column of a bad
//! value.

use crate::calibrate::error::ExportError;
use crate::salesforce::object::{SfObject, WorkItemEntity};
use crate::salesforce::when::parse_datetime;
use crate::salesforce::SalesforceId;
use chrono::{DateTime, Utc};
use std::path::{Path, PathBuf};

/// Largest export file read: far above a year of AgentWork for a large
/// centre, small enough that a wrong path (a device) cannot exhaust
/// memory.
pub const MAX_EXPORT_BYTES: u64 = 4 * 1024 * 1024 * 1024;

/// A file's rows, with where each of the object's fields is.
#[derive(Debug)]
pub struct Table {
    /// The file.
    pub path: PathBuf,
    /// The object it holds.
    pub object: SfObject,
    /// For each of the object's fields, its 0-based column, if present.
    columns: Vec<Option<usize>>,
    rows: Vec<(u64, csv::StringRecord)>,
}

impl Table {
    /// Reads `path` as an export of `object`: checks the header has every
    /// required field, and that no row has a different number of fields.
    pub fn read(path: &Path, object: SfObject) -> Result<Table, ExportError> {
        let bytes = crate::scenario::read_bounded(path, MAX_EXPORT_BYTES)
            .map_err(|e| ExportError::io(path, &e))?
            .ok_or_else(|| {
                ExportError::file(
                    path,
                    format!(
                        "the file is larger than {} GiB; export one day (or less) at a time",
                        MAX_EXPORT_BYTES >> 30
                    ),
                )
            })?;
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(false)
            .from_reader(bytes);
        let header: Vec<String> = reader
            .headers()
            .map_err(|e| csv_error(path, e))?
            .iter()
            .map(|h| h.trim().to_string())
            .collect();
        if header.iter().all(String::is_empty) {
            return Err(ExportError::at(
                path,
                1,
                format!(
                    "the file has no header; expected the fields of {} ({}) on its first line",
                    object.name(),
                    object.required().join(", ")
                ),
            ));
        }
        let find = |field: &str| header.iter().position(|h| h.eq_ignore_ascii_case(field));
        let columns: Vec<Option<usize>> = object.fields().iter().map(|f| find(f)).collect();
        let missing: Vec<&str> = object
            .required()
            .iter()
            .copied()
            .filter(|f| find(f).is_none())
            .collect();
        if !missing.is_empty() {
            let s = if missing.len() == 1 { "" } else { "s" };
            let mut message = format!(
                "{} lacks the required column{s} {}; the header has {}",
                object.file_name(),
                missing.join(", "),
                header.join(", ")
            );
            if let Some(other) = looks_like(&header, object) {
                message.push_str(&format!(
                    "; it looks like an export of {} (its fields), not of {}",
                    other.name(),
                    object.name()
                ));
            }
            return Err(ExportError::at(path, 1, message));
        }
        let mut rows = Vec::new();
        for record in reader.records() {
            let record = record.map_err(|e| csv_error(path, e))?;
            let line = record.position().map_or(0, |p| p.line());
            if record.iter().all(|v| v.trim().is_empty()) {
                continue;
            }
            rows.push((line, record));
        }
        Ok(Table {
            path: path.to_path_buf(),
            object,
            columns,
            rows,
        })
    }

    /// Whether the file has `field` as a column.
    pub fn has(&self, field: &str) -> bool {
        self.column(field).is_some()
    }

    /// The rows, in file order.
    pub fn rows(&self) -> impl Iterator<Item = Row<'_>> + '_ {
        self.rows.iter().map(move |(line, record)| Row {
            table: self,
            line: *line,
            record,
        })
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    fn column(&self, field: &str) -> Option<usize> {
        let i = self.object.fields().iter().position(|f| *f == field)?;
        self.columns[i]
    }
}

/// One row of a [`Table`].
#[derive(Debug, Clone, Copy)]
pub struct Row<'a> {
    table: &'a Table,
    /// 1-based line of the file.
    pub line: u64,
    record: &'a csv::StringRecord,
}

impl<'a> Row<'a> {
    /// An error at this row's cell of `field`.
    pub fn error(&self, field: &str, message: impl Into<String>) -> ExportError {
        match self.table.column(field) {
            Some(c) => ExportError::cell(&self.table.path, self.line, c + 1, field, message),
            None => ExportError::at(&self.table.path, self.line, message),
        }
    }

    /// The trimmed text of `field`; `None` when the column is absent or
    /// the cell empty (a null).
    pub fn text(&self, field: &str) -> Option<&'a str> {
        let c = self.table.column(field)?;
        let v = self.record.get(c)?.trim();
        (!v.is_empty()).then_some(v)
    }

    /// `field`, which must not be empty.
    pub fn required_text(&self, field: &str) -> Result<&'a str, ExportError> {
        self.text(field).ok_or_else(|| {
            self.error(
                field,
                format!(
                    "{field} is empty; every {} has one",
                    self.table.object.name()
                ),
            )
        })
    }

    /// The record's own `Id`, checked to be an id of the file's object: a
    /// file of another object (its ids have another key prefix) is named.
    pub fn own_id(&self) -> Result<SalesforceId, ExportError> {
        let id = self.id("Id")?;
        let want = self.table.object;
        if id.key_prefix() != want.key_prefix() {
            let what = SfObject::from_key_prefix(id.key_prefix())
                .map(|o| o.name())
                .or_else(|| WorkItemEntity::from_key_prefix(id.key_prefix()).map(|e| e.name()))
                .unwrap_or("an unknown object");
            return Err(self.error(
                "Id",
                format!(
                    "{id} is an id of {what} (key prefix {}), not of {} ({}): is this file the \
                     export of another object?",
                    id.key_prefix(),
                    want.name(),
                    want.key_prefix()
                ),
            ));
        }
        Ok(id)
    }

    /// A required id.
    pub fn id(&self, field: &str) -> Result<SalesforceId, ExportError> {
        let text = self.required_text(field)?;
        SalesforceId::parse(text).map_err(|e| self.error(field, e))
    }

    /// An optional id (absent column or empty cell: `None`).
    pub fn opt_id(&self, field: &str) -> Result<Option<SalesforceId>, ExportError> {
        self.text(field)
            .map(|t| SalesforceId::parse(t).map_err(|e| self.error(field, e)))
            .transpose()
    }

    /// An optional datetime.
    pub fn datetime(&self, field: &str) -> Result<Option<DateTime<Utc>>, ExportError> {
        self.text(field)
            .map(|t| parse_datetime(t).map_err(|e| self.error(field, e)))
            .transpose()
    }

    /// A required datetime.
    pub fn required_datetime(&self, field: &str) -> Result<DateTime<Utc>, ExportError> {
        let t = self.required_text(field)?;
        parse_datetime(t).map_err(|e| self.error(field, e))
    }

    /// An optional number.
    pub fn number(&self, field: &str) -> Result<Option<f64>, ExportError> {
        self.text(field)
            .map(|t| {
                t.parse::<f64>()
                    .ok()
                    .filter(|v| v.is_finite())
                    .ok_or_else(|| self.error(field, format!("\"{t}\" is not a number")))
            })
            .transpose()
    }

    /// An optional boolean (`true`/`false`, any case; `1`/`0`).
    pub fn boolean(&self, field: &str) -> Result<Option<bool>, ExportError> {
        self.text(field)
            .map(|t| match t.to_ascii_lowercase().as_str() {
                "true" | "1" => Ok(true),
                "false" | "0" => Ok(false),
                _ => Err(self.error(field, format!("\"{t}\" is not true or false"))),
            })
            .transpose()
    }
}

/// A CSV syntax error (a row with a different number of fields, bad
/// UTF-8) at its line.
fn csv_error(path: &Path, e: csv::Error) -> ExportError {
    let line = e.position().map(|p| p.line());
    let message = match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("the row has {len} fields, the header {expected_len}"),
        csv::ErrorKind::Utf8 { .. } => "the text is not UTF-8".to_string(),
        _ => e.to_string(),
    };
    match line {
        Some(l) => ExportError::at(path, l, message),
        None => ExportError::file(path, message),
    }
}

/// The object whose required fields the header has, if it is not
/// `expected`'s: the file is probably that object's export.
fn looks_like(header: &[String], expected: SfObject) -> Option<SfObject> {
    SfObject::ALL
        .into_iter()
        .filter(|o| *o != expected)
        .find(|o| {
            o.required()
                .iter()
                .filter(|f| **f != "Id")
                .all(|f| header.iter().any(|h| h.eq_ignore_ascii_case(f)))
        })
}
