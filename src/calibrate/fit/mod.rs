//! The statistics of calibration, apart from any file: which family a
//! sample of durations follows ([`families`]) and what censored waits and
//! cut-off answers say ([`survival`]).

pub mod families;
pub mod survival;

pub use families::{fit_families, Fit};
