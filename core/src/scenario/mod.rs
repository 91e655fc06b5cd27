//! The scenario file: parse → fill defaults → validate → [`Scenario`].
//!
//! A scenario is a TOML file (format: `docs/scenario-format.md`). Loading
//! runs in three steps, each in its own module: `raw` deserialises the
//! text into structs that mirror it (unknown keys rejected), `validate`
//! fills defaults and checks every range and reference, and the result is
//! the immutable [`Scenario`] (module `model`) that the engine runs. Any
//! problem comes back as a [`ScenarioError`] naming the file, line, column
//! and key path; nothing here panics on bad input.
//!
//! ```no_run
//! use omnisim_core::scenario::{render_summary, Scenario};
//! # std::env::set_current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/..")).unwrap();
//! let scenario = Scenario::from_path("scenarios/quickstart.toml".as_ref())?;
//! print!("{}", render_summary(&scenario));
//! # Ok::<(), omnisim_core::scenario::ScenarioError>(())
//! ```

mod advice;
pub mod bounds;
mod demand;
pub mod error;
mod flows;
mod forecast;
mod input;
mod model;
mod offered;
mod planning;
mod raw;
mod roster;
mod roster_csv;
mod schedule;
mod skills;
mod summary;
mod validate;

pub use error::{ScenarioError, ScenarioErrorKind};
pub use model::*;
pub use offered::{IntervalLoad, RateSegment};
pub use planning::{GroupPlanning, TargetWindow};
pub use schedule::{AgentSchedule, Break, RosteredShift, BREAK_LABEL, BREAK_STATUS};
pub use summary::render_summary;
pub use validate::humanize;

/// Largest scenario file read: far above any real scenario, far below
/// what would strain memory.
pub const MAX_SCENARIO_BYTES: u64 = 16 * 1024 * 1024;

/// Largest CSV input read (forecast, roster, rate profile, empirical
/// values): far above a year of 15-minute intervals for a hundred queues or
/// a roster of tens of thousands, small enough that a wrong path (a
/// device, a log) cannot exhaust memory.
pub const MAX_CSV_BYTES: u64 = 64 * 1024 * 1024;

/// The bytes of `path`, or `None` when it holds more than `limit`: reads
/// at most one byte past the limit. Only a regular file is read: a named
/// pipe (which would block until something writes to it), a device such
/// as `/dev/zero` (which never ends), a folder or a socket is an error of
/// kind [`std::io::ErrorKind::InvalidInput`] saying what it is
/// ([`not_a_regular_file`]). Every input file of a scenario, the scenario
/// itself included, is read through it.
pub fn read_bounded(path: &Path, limit: u64) -> std::io::Result<Option<Vec<u8>>> {
    use std::io::Read;
    let file = open_regular(path)?;
    if file.metadata()?.len() > limit {
        return Ok(None);
    }
    let mut bytes = Vec::new();
    file.take(limit + 1).read_to_end(&mut bytes)?;
    Ok((bytes.len() as u64 <= limit).then_some(bytes))
}

/// Opens `path` for reading if it is a regular file (after following
/// links), without blocking on a named pipe: it is opened non-blocking
/// and its type checked on the open file, so nothing can be swapped in
/// between.
pub fn open_regular(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(not_a_regular_file(&meta));
    }
    Ok(file)
}

/// The error for something that is not a regular file, saying what it
/// is: "it is a named pipe (FIFO), not a regular file".
pub fn not_a_regular_file(meta: &std::fs::Metadata) -> std::io::Error {
    let t = meta.file_type();
    #[cfg(unix)]
    let special = {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            Some("a named pipe (FIFO)")
        } else if t.is_char_device() {
            Some("a character device")
        } else if t.is_block_device() {
            Some("a block device")
        } else if t.is_socket() {
            Some("a socket")
        } else {
            None
        }
    };
    #[cfg(not(unix))]
    let special: Option<&str> = None;
    let what = if t.is_dir() {
        Some("a folder")
    } else {
        special
    };
    let message = match what {
        Some(what) => format!("it is {what}, not a regular file"),
        None => "it is not a regular file".to_owned(),
    };
    std::io::Error::new(std::io::ErrorKind::InvalidInput, message)
}

use std::path::Path;

impl Scenario {
    /// Reads and checks a scenario file. CSV files it names
    /// (`rate_profile_csv`, `forecast_csv`, empirical `csv`) are resolved
    /// relative to the scenario file's folder, so a scenario and its data
    /// move together.
    ///
    /// What validation itself builds (a forecast spread over the
    /// reporting intervals, the statuses and queues granted to every
    /// group) is held to this machine's [`bounds::Limits`] before it is
    /// built; [`Scenario::from_path_within`] takes others.
    ///
    /// A queue with `routing_model = "external"` is refused here: a file
    /// alone cannot say who chooses. A program that supplies a
    /// [`crate::routing::RoutingPolicy`] loads it with
    /// [`Scenario::from_path_with_external_routing`].
    pub fn from_path(path: &Path) -> Result<Scenario, ScenarioError> {
        Self::from_path_within(path, &bounds::Limits::for_this_machine())
    }

    /// [`Scenario::from_path`] held to `limits` (`--max-memory`,
    /// `--max-interval-rows`).
    pub fn from_path_within(
        path: &Path,
        limits: &bounds::Limits,
    ) -> Result<Scenario, ScenarioError> {
        let text = Self::read_text(path)?;
        load_at(&text, path, false, limits)
    }

    /// [`Scenario::from_path`], accepting external queues: the caller runs
    /// the scenario with a [`crate::routing::RoutingPolicy`]
    /// (`RunOptions::routing_policy`).
    pub fn from_path_with_external_routing(path: &Path) -> Result<Scenario, ScenarioError> {
        let text = Self::read_text(path)?;
        load_at(&text, path, true, &bounds::Limits::for_this_machine())
    }

    /// The text of the scenario file at `path`: read up to
    /// `MAX_SCENARIO_BYTES`, as UTF-8, with the errors of
    /// [`Scenario::from_path`]. A sweep reads its base with it, to hash
    /// and edit the very text it validates.
    pub fn read_text(path: &Path) -> Result<String, ScenarioError> {
        let label = path.display().to_string();
        let bytes = read_bounded(path, MAX_SCENARIO_BYTES).map_err(|e| {
            let reason = validate::lower_first(&e.to_string());
            ScenarioError::new(
                ScenarioErrorKind::Io,
                format!("cannot read the scenario file: {reason}"),
            )
            .in_file(&label)
            .with_source(e)
        })?;
        let Some(bytes) = bytes else {
            return Err(ScenarioError::new(
                ScenarioErrorKind::TooLarge,
                format!(
                    "the scenario file is larger than {} MiB; a scenario is a few kilobytes (forecasts and rosters go in their own CSV files)",
                    MAX_SCENARIO_BYTES / (1024 * 1024)
                ),
            )
            .in_file(&label)
            .with_hint("check that this is the scenario file you meant"));
        };
        error::utf8_text(bytes, &label)
    }

    /// Checks a scenario given as text; `file_label` names it in errors.
    /// CSV files it names are resolved relative to the current folder.
    pub fn from_toml_str(text: &str, file_label: &str) -> Result<Scenario, ScenarioError> {
        Self::from_toml_str_within(text, file_label, &bounds::Limits::for_this_machine())
    }

    /// [`Scenario::from_toml_str`] held to `limits`.
    pub fn from_toml_str_within(
        text: &str,
        file_label: &str,
        limits: &bounds::Limits,
    ) -> Result<Scenario, ScenarioError> {
        load(text, file_label, Path::new(""), false, limits)
    }

    /// A scenario given as text that stands in for the file at `path`:
    /// errors name `path`, and CSV files it names are resolved from
    /// `path`'s folder. A sweep's points are read this way, as edited
    /// copies of their base file.
    pub fn from_text_at(text: &str, path: &Path) -> Result<Scenario, ScenarioError> {
        Self::from_text_at_within(text, path, &bounds::Limits::for_this_machine())
    }

    /// [`Scenario::from_text_at`] held to `limits`.
    pub fn from_text_at_within(
        text: &str,
        path: &Path,
        limits: &bounds::Limits,
    ) -> Result<Scenario, ScenarioError> {
        load_at(text, path, false, limits)
    }

    /// [`Scenario::from_toml_str`], accepting external queues.
    pub fn from_toml_str_with_external_routing(
        text: &str,
        file_label: &str,
    ) -> Result<Scenario, ScenarioError> {
        load(
            text,
            file_label,
            Path::new(""),
            true,
            &bounds::Limits::for_this_machine(),
        )
    }
}

/// [`load`] of the text of the file at `path`: errors name the path and
/// CSV files are resolved from its folder.
fn load_at(
    text: &str,
    path: &Path,
    external_routing: bool,
    limits: &bounds::Limits,
) -> Result<Scenario, ScenarioError> {
    let base = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    load(
        text,
        &path.display().to_string(),
        base,
        external_routing,
        limits,
    )
}

fn load(
    text: &str,
    file: &str,
    base_dir: &Path,
    external_routing: bool,
    limits: &bounds::Limits,
) -> Result<Scenario, ScenarioError> {
    let raw = raw::parse(text, file)?;
    validate::validate(
        &raw,
        &validate::Ctx {
            text,
            file,
            base_dir,
            external_routing,
            limits,
        },
    )
}
