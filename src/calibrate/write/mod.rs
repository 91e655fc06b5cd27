//! The files of a calibration: `scenario.toml`, `forecast.csv`,
//! `roster.csv`, `calibration.json` and `calibration.html`.

mod html;
pub mod scenario;
mod tables;

pub use html::calibration_html;
pub use scenario::{scenario_toml, FORECAST_FILE, ROSTER_FILE};
pub use tables::{calibration_json, forecast_csv, roster_csv};
