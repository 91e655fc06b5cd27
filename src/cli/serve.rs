//! `omnisim serve`: the centre behind a WebSocket ([`crate::serve`]).
//!
//! SIGINT and SIGTERM end a served run: connections are closed, the
//! results of the run so far are written as `run` writes them, and the
//! command exits 130 or 143 — the code says how it was stopped, and unlike
//! `run` the results are there, since a served run has no other way to
//! end before its day is over. A second signal ends it at once, writing
//! nothing. When simulated time reaches the end of the scenario's day the
//! results are written and the command exits 0.

use super::run::{write_set, Extras, Stops};
use super::signals::Signals;
use super::CliError;
use crate::output::{work_part_path, ResultSet, Staging};
use crate::serve::{serve, Ending, Limits, ServeClock, ServeSpec};
use clap::{Args, ValueEnum};
use std::io::Write;
use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

/// How simulated time moves while serving.
#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
enum ClockArg {
    /// With the wall clock, at --speed.
    Wall,
    /// Only when a client sends `advance` or `advance_to`.
    Stepped,
}

/// Serve a scenario's centre over WebSocket: clients attach to agents and
/// become their Omni-Channel console (the lightning:omniToolkitAPI
/// methods and console events); the other agents keep their synthetic
/// behaviour. Results are written when the day ends or on Ctrl-C.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    omnisim serve scenarios/quickstart.toml\n  \
    omnisim serve scenarios/quickstart.toml --clock stepped --listen 127.0.0.1:0\n  \
    omnisim serve scenarios/load.toml --speed 20 --out /tmp/served\n  \
    omnisim serve scenarios/quickstart.toml --listen 0.0.0.0:7878 --token-file token.txt\n\n\
    The protocol and the JavaScript client (js/) are described in docs/serve.md.")]
pub(super) struct ServeArgs {
    /// The scenario file (TOML).
    file: PathBuf,
    /// Address to listen on; port 0 picks a free port (printed). Any
    /// address but loopback needs --token-file.
    #[arg(long, default_value = "127.0.0.1:7878")]
    listen: String,
    /// How simulated time moves.
    #[arg(long, value_enum, default_value_t = ClockArg::Wall)]
    clock: ClockArg,
    /// With --clock wall: simulated seconds per wall second.
    #[arg(long)]
    speed: Option<f64>,
    /// A file holding the token clients must present (`Authorization:
    /// Bearer <token>` or `?token=<token>`).
    #[arg(long)]
    token_file: Option<PathBuf>,
    /// Output folder for the result files; default results/<scenario name>_serve.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Seed (overrides [simulation] seed).
    #[arg(long)]
    seed: Option<u64>,
    /// Connections open at once.
    #[arg(long, default_value_t = Limits::default().max_connections as u32,
          value_parser = clap::value_parser!(u32).range(1..))]
    max_connections: u32,
    /// Largest message a client may send, in bytes.
    #[arg(long, default_value_t = Limits::default().max_message_bytes as u32,
          value_parser = clap::value_parser!(u32).range(64..))]
    max_message_bytes: u32,
    /// Requests one connection may make per second.
    #[arg(long, default_value_t = Limits::default().max_requests_per_second,
          value_parser = clap::value_parser!(u32).range(1..))]
    max_requests_per_second: u32,
    /// Print nothing but errors.
    #[arg(long)]
    quiet: bool,
}

pub(super) fn serve_command(args: ServeArgs) -> Result<(), CliError> {
    let signals = Signals::install()?;
    let mut scenario = super::load_scenario(
        &args.file,
        args.seed,
        args.quiet,
        &crate::scenario::bounds::Limits::for_this_machine(),
    )?;
    // A served run is one replication: the one the clients take part in.
    scenario.simulation.replications = 1;
    let clock = clock(&args)?;
    let addr: SocketAddr = args.listen.parse().map_err(|_| {
        CliError::invalid(format!(
            "--listen {:?} is not an address; expected IP:PORT such as 127.0.0.1:7878",
            args.listen
        ))
    })?;
    let token = match &args.token_file {
        Some(path) => Some(read_token(path)?),
        None if !addr.ip().is_loopback() => {
            return Err(CliError::invalid(format!(
                "--listen {addr} accepts connections from other machines; \
                 give --token-file FILE with a token clients must present, \
                 or listen on 127.0.0.1"
            )))
        }
        None => None,
    };
    let scenario = Arc::new(scenario);
    let dir = super::output_folder(
        args.out.as_deref(),
        &scenario.simulation.name,
        "_serve",
        "the result files",
    )?;
    let staging = Staging::begin(&dir).map_err(CliError::output)?;
    let listener = TcpListener::bind(addr)
        .map_err(|e| CliError::failure(format!("cannot listen on {addr}: {e}")))?;
    let bound = listener
        .local_addr()
        .map_err(|e| CliError::failure(format!("cannot listen on {addr}: {e}")))?;
    if !args.quiet {
        let pace = match clock {
            ServeClock::Stepped => "stepped clock: clients advance time".to_string(),
            ServeClock::Wall { speed } => format!("wall clock at {speed}x"),
        };
        println!(
            "serving {:?} on ws://{bound}/ ({pace}); Ctrl-C writes the results and stops",
            scenario.simulation.name
        );
        let _ = std::io::stdout().flush();
    }
    let outcome = serve(ServeSpec {
        scenario: scenario.clone(),
        listener,
        clock,
        limits: Limits {
            max_connections: args.max_connections as usize,
            max_message_bytes: args.max_message_bytes as usize,
            max_requests_per_second: args.max_requests_per_second,
        },
        token,
        part: work_part_path(staging.dir(), 0),
        stop: signals.stop().clone(),
    })
    .map_err(CliError::failure)?;

    let set = ResultSet::new(
        &scenario,
        scenario.simulation.seed,
        vec![outcome.result],
        vec![outcome.engine],
    );
    // The signal that ended the run is not a reason to stop writing its
    // results; a second one ends the process (see `signals`).
    let never = Arc::new(AtomicBool::new(false));
    let written = write_set(
        &set,
        &[outcome.part],
        &args.file,
        staging,
        &Extras::default(),
        &Stops {
            between: &|_: &str| Ok(()),
            flag: &never,
            error: &|| signals.error("no result file was written"),
        },
    )?;
    if !args.quiet {
        println!(
            "served until {}; results in {}:",
            outcome.reached,
            dir.display()
        );
        for p in &written {
            println!("  {}", p.display());
        }
    }
    match outcome.ending {
        Ending::DayOver => Ok(()),
        Ending::Stopped => Err(signals.error(&format!(
            "the results of the run until {} are in {}",
            outcome.reached,
            dir.display()
        ))),
    }
}

fn clock(args: &ServeArgs) -> Result<ServeClock, CliError> {
    match (args.clock, args.speed) {
        (ClockArg::Stepped, Some(_)) => Err(CliError::invalid(
            "--speed paces the wall clock; with --clock stepped time moves only when a client advances it",
        )),
        (ClockArg::Stepped, None) => Ok(ServeClock::Stepped),
        (ClockArg::Wall, speed) => {
            let speed = speed.unwrap_or(1.0);
            if !(speed > 0.0 && speed <= crate::load::MAX_SPEED) {
                return Err(CliError::invalid(format!(
                    "--speed must be a positive number of simulated seconds per wall second, at most {}; got {speed}",
                    crate::load::MAX_SPEED
                )));
            }
            Ok(ServeClock::Wall { speed })
        }
    }
}

fn read_token(path: &Path) -> Result<String, CliError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| CliError::invalid(format!("--token-file `{}`: {e}", path.display())))?;
    let token = text.trim();
    if token.is_empty() {
        return Err(CliError::invalid(format!(
            "--token-file `{}` is empty; expected the token on its first line",
            path.display()
        )));
    }
    Ok(token.to_string())
}
