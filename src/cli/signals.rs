//! SIGINT and SIGTERM for the commands that write result sets (`run`,
//! `plan`, `report`).
//!
//! Ended where it stands, such a command would leave a half-written
//! staging folder ([`crate::output::staging`]). So while it has anything
//! on disk, [`Signals`] turns a signal into a request: the engine stops at
//! its next event ([`RunOptions::stop`](crate::engine::RunOptions)),
//! writing stops between files and between blocks of `work.csv`, the
//! staging folder is removed, the previous set stays as it was, and the
//! command exits with 128 + the signal's number — 130 for SIGINT (Ctrl-C),
//! 143 for SIGTERM — the codes a shell reports for a process a signal
//! ended. Once the set is switched in, the run is done: a signal that
//! arrives later changes nothing, and the exit code stays 0, so the code
//! always says which set is in place.
//!
//! A second signal ends the process at once with the same code: someone
//! who presses Ctrl-C twice means it. That may leave the staging folder,
//! which the next run into the same folder removes.
//!
//! While a command only computes and has nothing on disk (`plan` before
//! it writes, `report` while it renders), [`ExitAtOnce`] ends it at the
//! first signal, with the same codes.
//!
//! # Test-only pauses
//!
//! The environment variable `OMNISIM_TEST_PAUSE` is for tests only. Set
//! to `<point>,<ms>`, `run` stops at that point — `warm-up`, `measured
//! period`, a result file's name (before it is written) or `switch`;
//! `sweep` at `run done` or `sweep.json` (before it is written) —, then
//! prints `test pause: <point>` to stderr and sleeps that many
//! milliseconds (less if a signal arrives), so that a test can send a real
//! signal at a known moment. Nothing else changes; it is not meant for any
//! other use.

use super::CliError;
use crate::runner::RunError;
use signal_hook::consts::{SIGINT, SIGTERM};
use signal_hook::SigId;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

/// The signals a result-writing command acts on.
const HANDLED: [i32; 2] = [SIGINT, SIGTERM];

/// Environment variable of the test-only pause (module docs).
const TEST_PAUSE_VAR: &str = "OMNISIM_TEST_PAUSE";

/// SIGINT and SIGTERM as stop requests, for as long as it lives; see the
/// module docs.
#[derive(Debug)]
pub(super) struct Signals {
    /// Set by either signal; what the engine and the writing check.
    stop: Arc<AtomicBool>,
    /// The number of the last signal received, 0 before any.
    which: Arc<AtomicUsize>,
    /// The handlers, unregistered on drop.
    ids: Vec<SigId>,
}

impl Signals {
    /// Starts treating SIGINT and SIGTERM as stop requests.
    pub(super) fn install() -> Result<Signals, CliError> {
        let stop = Arc::new(AtomicBool::new(false));
        let seen = Arc::new(AtomicBool::new(false));
        let which = Arc::new(AtomicUsize::new(0));
        let mut ids = Vec::new();
        let fail = |e: std::io::Error| CliError::failure(format!("cannot handle signals: {e}"));
        for sig in HANDLED {
            // The shutdown is registered before the flag it tests, so
            // that it fires on the second signal, not the first.
            ids.push(
                signal_hook::flag::register_conditional_shutdown(sig, 128 + sig, seen.clone())
                    .map_err(fail)?,
            );
            ids.push(signal_hook::flag::register(sig, seen.clone()).map_err(fail)?);
            ids.push(signal_hook::flag::register(sig, stop.clone()).map_err(fail)?);
            ids.push(
                signal_hook::flag::register_usize(sig, which.clone(), sig as usize)
                    .map_err(fail)?,
            );
        }
        Ok(Signals { stop, which, ids })
    }

    /// The flag a signal sets: hand it to the engine and the writers.
    pub(super) fn stop(&self) -> &Arc<AtomicBool> {
        &self.stop
    }

    /// The signal received, if any.
    pub(super) fn received(&self) -> Option<i32> {
        match self.which.load(Ordering::SeqCst) {
            0 => None,
            n => Some(n as i32),
        }
    }

    /// `Err` with the exit code of the signal received, if one was;
    /// `kept` says what became of the previous results.
    pub(super) fn check(&self, kept: &str) -> Result<(), CliError> {
        match self.received() {
            Some(sig) => Err(signalled(sig, kept)),
            None => Ok(()),
        }
    }

    /// The error of a command stopped by the signal received (SIGINT if
    /// the stop flag was set without one).
    pub(super) fn error(&self, kept: &str) -> CliError {
        signalled(self.received().unwrap_or(SIGINT), kept)
    }

    /// The error of a batch of replications that did not give its
    /// results: stopped by a signal (or the flag), or failed — a stall,
    /// a panic, a file — which is a runtime failure.
    pub(super) fn run_error(&self, e: RunError, kept: &str) -> CliError {
        match e {
            RunError::Interrupted => self.error(kept),
            e => CliError::failure(format!("{e}; {kept}")),
        }
    }

    /// Test-only (module docs): with `OMNISIM_TEST_PAUSE` naming
    /// `point`, says `test pause: <point>` on stderr and waits, until a
    /// signal arrives at the latest.
    pub(super) fn test_pause(&self, point: &str) {
        static PAUSE: OnceLock<Option<(String, u64)>> = OnceLock::new();
        let pause = PAUSE.get_or_init(|| {
            let v = std::env::var(TEST_PAUSE_VAR).ok()?;
            let (at, ms) = v.rsplit_once(',')?;
            Some((at.to_string(), ms.trim().parse().ok()?))
        });
        let Some(ms) = pause.as_ref().filter(|(at, _)| at == point).map(|p| p.1) else {
            return;
        };
        eprintln!("test pause: {point}");
        let until = Instant::now() + Duration::from_millis(ms);
        while Instant::now() < until && !self.stop.load(Ordering::SeqCst) {
            std::thread::sleep(Duration::from_millis(5));
        }
    }
}

impl Drop for Signals {
    fn drop(&mut self) {
        for id in self.ids.drain(..) {
            signal_hook::low_level::unregister(id);
        }
    }
}

/// SIGINT and SIGTERM end the process at once, for as long as it lives:
/// for phases with nothing on disk. Exit codes as for [`Signals`].
#[derive(Debug)]
pub(super) struct ExitAtOnce {
    ids: Vec<SigId>,
}

impl ExitAtOnce {
    /// Starts ending the process at the first SIGINT or SIGTERM.
    pub(super) fn install() -> Result<ExitAtOnce, CliError> {
        let always = Arc::new(AtomicBool::new(true));
        let mut ids = Vec::new();
        for sig in HANDLED {
            ids.push(
                signal_hook::flag::register_conditional_shutdown(sig, 128 + sig, always.clone())
                    .map_err(|e| CliError::failure(format!("cannot handle signals: {e}")))?,
            );
        }
        Ok(ExitAtOnce { ids })
    }
}

impl Drop for ExitAtOnce {
    fn drop(&mut self) {
        for id in self.ids.drain(..) {
            signal_hook::low_level::unregister(id);
        }
    }
}

/// The error of a command a signal stopped: exit 128 + its number.
fn signalled(sig: i32, kept: &str) -> CliError {
    let name = match sig {
        SIGINT => "interrupted (SIGINT)",
        SIGTERM => "terminated (SIGTERM)",
        _ => "stopped by a signal",
    };
    CliError::signalled(sig, format!("{name}; {kept}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signal_becomes_a_stop_request_with_its_exit_code() {
        let signals = Signals::install().unwrap();
        assert!(signals.check("kept").is_ok());
        signal_hook::low_level::raise(SIGTERM).unwrap();
        assert!(signals.stop().load(Ordering::SeqCst));
        assert_eq!(signals.received(), Some(SIGTERM));
        let err = signals
            .check("the previous results are unchanged")
            .unwrap_err();
        assert_eq!(err.code, 143);
        assert_eq!(
            err.message,
            "terminated (SIGTERM); the previous results are unchanged"
        );
        assert_eq!(signalled(SIGINT, "x").code, 130);
    }
}
