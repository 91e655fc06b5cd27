//! The `omnisim` command: the tools around the model of [`omnisim_core`]
//! (argument parsing in [`cli`], staffing search in [`plan`], shifts and
//! breaks in [`schedule`], sweeps, reports, traces, validation, the
//! scaling benchmark, [`serve`], the centre behind a WebSocket for console
//! components; a run's day as the org's Salesforce export in
//! [`salesforce`], an export read back into a runnable model in
//! [`calibrate`], that model on the real day in [`replay`], result tables
//! as `results.xlsx` in [`workbook`]).
//!
//! The tools are this binary's own modules, not a library: a program that
//! simulates Omni-Channel routing uses `omnisim-core`, whose public API is
//! the model (scenario, engine, toolkit, behaviour, routing policy,
//! events, results). The `use` below makes the core's modules reachable
//! as `crate::scenario`, `crate::engine`, … so each tool names what it
//! uses the same way the core does.

#![warn(missing_docs, missing_debug_implementations)]

#[allow(unused_imports)]
use omnisim_core::{
    analytic, arrivals, behaviour, clock, distribution, engine, events, load, omni, output,
    routing, runner, scenario, stats, time, toolkit, workload,
};

mod bench;
mod calibrate;
// The argument structs' doc comments are `--help` text, which names
// scenario sections (`[simulation]`) and placeholders (`<scenario>`) as a
// user types them, not as rustdoc links and tags.
#[allow(rustdoc::broken_intra_doc_links, rustdoc::invalid_html_tags)]
mod cli;
mod plan;
mod replay;
mod report;
mod salesforce;
mod schedule;
mod serve;
mod sweep;
mod trace;
mod validation;
mod workbook;

fn main() {
    restore_sigpipe();
    std::process::exit(cli::main());
}

/// Rust ignores SIGPIPE, so printing into a closed pipe
/// (`omnisim trace … | head`) would panic on the next write. A command-line
/// tool should end quietly there, as `cat` does: restore the default.
fn restore_sigpipe() {
    #[cfg(unix)]
    // SAFETY: called first thing in `main`, before any thread exists;
    // setting a signal's disposition to its default has no other effect.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}
