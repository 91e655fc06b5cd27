//! The `omnisim` command: argument parsing lives in [`omnisim::cli`].

fn main() {
    restore_sigpipe();
    std::process::exit(omnisim::cli::main());
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
