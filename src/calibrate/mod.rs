//! `omnisim calibrate`: from an org's export to a runnable model.
//!
//! ```text
//!  export folder ─► read (typed records, every reference checked)
//!                    └─► model (day, items, queues, agents and groups)
//!                          └─► write: scenario.toml + forecast.csv + roster.csv
//!                                     calibration.json + calibration.html
//! ```
//!
//! - [`read`] — the export's files by header, with located errors;
//! - [`fit`] — the statistics: handle-time families by maximum
//!   likelihood, censored patience, answer times cut off by the push
//!   timeout;
//! - [`model`] — what the export says of the day, each queue and each
//!   agent group;
//! - [`write`](mod@write) — the files, the scenario checked by loading it back.
//!
//! The user's guide is docs/salesforce-data.md.

pub mod error;
pub mod fit;
pub mod model;
pub mod read;
pub mod write;

#[cfg(test)]
pub(crate) mod round_trip;

pub use error::ExportError;
pub use model::{CalibrateOptions, Calibration};

use crate::scenario::Scenario;
use std::fmt;
use std::path::{Path, PathBuf};

/// The names of the files a calibration writes, in the order written.
pub const CALIBRATION_FILES: [&str; 5] = [
    "scenario.toml",
    write::FORECAST_FILE,
    write::ROSTER_FILE,
    "calibration.json",
    "calibration.html",
];

/// Why a calibration could not be written.
#[derive(Debug)]
pub enum CalibrateError {
    /// The export is not one calibrate can read (an input mistake).
    Export(ExportError),
    /// A file could not be written.
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        error: std::io::Error,
    },
    /// The calibrated scenario does not load: what it says is beyond what
    /// a scenario can express (the message names the key).
    Model(String),
    /// A chart could not be drawn.
    Chart(String),
}

impl fmt::Display for CalibrateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CalibrateError::Export(e) => e.fmt(f),
            CalibrateError::Io { path, error } => {
                write!(f, "cannot write `{}`: {error}", path.display())
            }
            CalibrateError::Model(m) => write!(
                f,
                "the calibrated scenario does not load: {m}; calibration.json says what the \
                 export held"
            ),
            CalibrateError::Chart(m) => write!(f, "cannot draw calibration.html: {m}"),
        }
    }
}

impl std::error::Error for CalibrateError {}

impl From<ExportError> for CalibrateError {
    fn from(e: ExportError) -> Self {
        CalibrateError::Export(e)
    }
}

/// Reads the export in `dir` and calibrates a model of it.
pub fn calibrate(dir: &Path, options: CalibrateOptions) -> Result<Calibration, ExportError> {
    let export = read::Export::read(dir)?;
    Calibration::new(export, options)
}

/// Writes `c`'s files into `dir` (each atomically), checks that the
/// scenario loads, and returns the files and the loaded scenario.
pub fn write_files(
    c: &Calibration,
    dir: &Path,
) -> Result<(Vec<PathBuf>, Scenario), CalibrateError> {
    let json = serde_json::to_string_pretty(&write::calibration_json(c))
        .map_err(|e| CalibrateError::Model(e.to_string()))?;
    let html = write::calibration_html(c).map_err(|e| CalibrateError::Chart(e.to_string()))?;
    let texts = [
        write::scenario_toml(c),
        write::forecast_csv(c),
        write::roster_csv(c),
        json + "\n",
        html,
    ];
    let mut files = Vec::new();
    for (name, text) in CALIBRATION_FILES.iter().zip(texts) {
        let path =
            crate::output::write_atomically(dir, name, text.as_bytes()).map_err(|error| {
                CalibrateError::Io {
                    path: dir.join(name),
                    error,
                }
            })?;
        files.push(path);
    }
    let scenario = Scenario::from_path(&dir.join(CALIBRATION_FILES[0]))
        .map_err(|e| CalibrateError::Model(e.to_string()))?;
    Ok((files, scenario))
}
