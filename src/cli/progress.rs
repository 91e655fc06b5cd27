//! The progress bar of the commands that plan (`plan`, `schedule`): the
//! intervals done, the time spent and an estimate of the time left, on a
//! terminal only.

use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;

/// A bar over `len` steps named `unit` (`intervals`), with the time left
/// estimated from the pace so far; hidden unless `show` and stderr is a
/// terminal, so piped output stays clean.
pub(super) fn steps_bar(show: bool, len: u64, unit: &str) -> ProgressBar {
    if !show || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let b = ProgressBar::new(len);
    let template = format!(
        "{{spinner}} [{{elapsed_precise}}] {{bar:30}} {{pos}}/{{len}} {unit}, about {{eta}} left  {{msg}}"
    );
    b.set_style(
        ProgressStyle::with_template(&template).unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    b.enable_steady_tick(std::time::Duration::from_millis(200));
    b
}
