//! What can go wrong reading an export: always located, like a scenario
//! error, by file, line and column.

use std::fmt;
use std::path::{Path, PathBuf};

/// A mistake in an export, or a folder that is not one.
#[derive(Debug)]
pub struct ExportError {
    /// The file, as given (`export/AgentWork.csv`); the folder for a
    /// missing file.
    file: PathBuf,
    /// 1-based line of the file, when the mistake is in one.
    line: Option<u64>,
    /// 1-based column and its field name, when the mistake is in a cell
    /// or names a field.
    column: Option<(usize, String)>,
    message: String,
    /// An input mistake (exit 1) or a failure to read (exit 2).
    io: bool,
}

impl ExportError {
    /// A mistake in the file `file` as a whole.
    pub fn file(file: &Path, message: impl Into<String>) -> ExportError {
        ExportError {
            file: file.to_path_buf(),
            line: None,
            column: None,
            message: message.into(),
            io: false,
        }
    }

    /// A mistake at `line` of `file`.
    pub fn at(file: &Path, line: u64, message: impl Into<String>) -> ExportError {
        ExportError {
            line: Some(line),
            ..ExportError::file(file, message)
        }
    }

    /// A mistake in the cell of `field` (1-based column `column`) at
    /// `line` of `file`.
    pub fn cell(
        file: &Path,
        line: u64,
        column: usize,
        field: &str,
        message: impl Into<String>,
    ) -> ExportError {
        ExportError {
            line: Some(line),
            column: Some((column, field.to_string())),
            ..ExportError::file(file, message)
        }
    }

    /// A file that could not be read.
    pub fn io(file: &Path, e: &std::io::Error) -> ExportError {
        ExportError {
            io: true,
            ..ExportError::file(file, format!("cannot read it: {e}"))
        }
    }

    /// Whether the export is at fault (exit 1) rather than the machine.
    pub fn is_input_error(&self) -> bool {
        !self.io
    }
}

impl fmt::Display for ExportError {
    /// `FILE:LINE:COLUMN: FIELD: message`, leaving out what does not
    /// apply, as scenario errors read.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if let Some((column, field)) = &self.column {
            write!(f, ":{column}: {field}")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for ExportError {}
