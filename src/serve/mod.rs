//! `omnisim serve`: the simulated centre behind a WebSocket, so console
//! component code written for `lightning:omniToolkitAPI` runs against it.
//!
//! ```text
//!  client (js/, any WebSocket) ──frames──► session actor ──Command──► centre thread
//!        ▲                                  (one per connection,       (Simulation, sinks,
//!        └────── writer task ◄── Outbox ─── parses, rate-limits)        ServedAgent per agent)
//! ```
//!
//! A client attaches to agents and becomes their console: its toolkit
//! calls are made as those agents ([`protocol`]), their console events
//! are pushed to it ([`console_events`]), and the agents' synthetic
//! behaviour stands aside until the client detaches or disconnects
//! ([`console`]). The centre runs on its own thread, in the stepped or
//! the wall clock ([`centre`]); the web server ([`server`], actix-web
//! with one [`session`] actor per connection) only parses and forwards.
//! docs/serve.md is the user's guide and the protocol's reference.

pub mod centre;
pub mod console;
pub mod console_events;
pub mod protocol;
pub mod server;
pub mod session;

pub use centre::{CentreOutcome, Ending, ServeClock};

use crate::scenario::Scenario;
use std::net::TcpListener;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

/// The bounds a server keeps, per connection and in all.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct Limits {
    /// Connections open at once; one more is refused (HTTP 503).
    pub max_connections: usize,
    /// Largest message a client may send \[bytes\]; a larger one closes
    /// the connection (WebSocket close code 1009).
    pub max_message_bytes: usize,
    /// Requests one connection may make in a second; more get a
    /// `RateLimited` error reply and are not served.
    pub max_requests_per_second: u32,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_connections: 1024,
            max_message_bytes: 64 * 1024,
            max_requests_per_second: 200,
        }
    }
}

/// Everything a served run needs.
#[derive(Debug)]
pub struct ServeSpec {
    /// The scenario; its replication 0 is served.
    pub scenario: Arc<Scenario>,
    /// Bound already, so the caller can say where and fail early.
    pub listener: TcpListener,
    /// How time moves.
    pub clock: ServeClock,
    /// The bounds kept.
    pub limits: Limits,
    /// The token a client must present, if any.
    pub token: Option<String>,
    /// Where work.csv's rows go while the run lasts.
    pub part: PathBuf,
    /// Set from outside (a signal) to end the run.
    pub stop: Arc<AtomicBool>,
}

/// Serves `spec` until the simulated day is over or `stop` is set; then
/// closes every connection and returns the run's outcome.
pub fn serve(spec: ServeSpec) -> Result<CentreOutcome, String> {
    let (tx, rx) = std::sync::mpsc::channel();
    let centre_spec = centre::CentreSpec {
        scenario: spec.scenario,
        clock: spec.clock,
        part: spec.part,
        stop: spec.stop,
    };
    let system = actix_web::rt::System::new();
    system.block_on(async move {
        let server = server::start(spec.listener, tx, spec.token, spec.limits)
            .map_err(|e| format!("cannot serve: {e}"))?;
        let handle = server.handle();
        let centre = std::thread::Builder::new()
            .name("omnisim-centre".into())
            .spawn(move || {
                let outcome = centre::run_centre(centre_spec, rx);
                // Sent at once; the server stops when its task next runs.
                drop(handle.stop(false));
                outcome
            })
            .map_err(|e| format!("cannot start the centre: {e}"))?;
        server
            .await
            .map_err(|e| format!("the server failed: {e}"))?;
        centre
            .join()
            .map_err(|_| "the centre stopped unexpectedly".to_string())?
    })
}

#[cfg(test)]
mod tests;
