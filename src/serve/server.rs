//! The HTTP side: accepts WebSocket connections at `/`, checks the token
//! and the connection bound, and starts a session actor for each.

use super::centre::{Command, Outbox};
use super::session::{write, ConnectionSlot, WsSession};
use super::Limits;
use actix::{Actor, AsyncContext};
use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use std::net::TcpListener;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize};
use std::sync::mpsc::Sender;
use std::sync::Arc;

/// Frames that may wait for one session's writer before the centre counts
/// it as too slow and drops it.
pub const OUTBOX_FRAMES: usize = 4096;

/// What every connection handler shares.
#[derive(Debug)]
struct ServerState {
    centre: Sender<Command>,
    token: Option<String>,
    limits: Limits,
    open: Arc<AtomicUsize>,
    next_id: AtomicU64,
}

/// Starts serving on `listener`; the returned server runs while awaited
/// (on an actix system) and stops through its handle.
pub fn start(
    listener: TcpListener,
    centre: Sender<Command>,
    token: Option<String>,
    limits: Limits,
) -> std::io::Result<actix_web::dev::Server> {
    let state = web::Data::new(ServerState {
        centre,
        token,
        limits,
        open: Arc::new(AtomicUsize::new(0)),
        next_id: AtomicU64::new(1),
    });
    Ok(HttpServer::new(move || {
        App::new()
            .app_data(state.clone())
            .route("/", web::get().to(connect))
    })
    // One worker: every connection only parses and forwards, and the
    // centre is one thread anyway.
    .workers(1)
    // SIGINT and SIGTERM are the command's to handle (results are written
    // on the way out), not the HTTP server's.
    .disable_signals()
    .shutdown_timeout(1)
    // A console's frames are small and answered at once: Nagle's
    // algorithm would hold each back up to some 40 ms for company.
    .tcp_nodelay(true)
    .listen(listener)?
    .run())
}

/// Whether `req` carries `token`, as `Authorization: Bearer <token>` or
/// as the `token` query parameter (a browser's WebSocket cannot set
/// headers).
fn authorized(req: &HttpRequest, token: &str) -> bool {
    let header = req
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    let query =
        web::Query::<std::collections::HashMap<String, String>>::from_query(req.query_string())
            .ok()
            .and_then(|q| q.get("token").cloned());
    [header.map(str::to_string), query]
        .into_iter()
        .flatten()
        .any(|given| same(given.as_bytes(), token.as_bytes()))
}

/// Compares without stopping at the first difference, so the time taken
/// says nothing about how much of a guess was right.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

async fn connect(
    req: HttpRequest,
    body: web::Payload,
    state: web::Data<ServerState>,
) -> Result<HttpResponse, actix_web::Error> {
    if let Some(token) = &state.token {
        if !authorized(&req, token) {
            return Ok(HttpResponse::Unauthorized().body(
                "a token is required: send it as `Authorization: Bearer <token>` or `?token=<token>`\n",
            ));
        }
    }
    let max = state.limits.max_connections;
    let Some(slot) = ConnectionSlot::take(&state.open, max) else {
        return Ok(HttpResponse::ServiceUnavailable().body(format!(
            "too many connections: this server takes at most {max} (--max-connections)\n"
        )));
    };
    let (response, ws, stream) = actix_ws::handle(&req, body)?;
    let id = state
        .next_id
        .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let (tx, rx) = tokio::sync::mpsc::channel(OUTBOX_FRAMES);
    let outbox = Outbox {
        tx,
        dropped: Arc::new(AtomicBool::new(false)),
    };
    if state
        .centre
        .send(Command::Open {
            session: id,
            outbox: outbox.clone(),
        })
        .is_err()
    {
        return Ok(HttpResponse::ServiceUnavailable().body("the centre has stopped\n"));
    }
    actix_web::rt::spawn(write(ws.clone(), rx, outbox.dropped.clone()));
    let bytes = state.limits.max_message_bytes;
    let stream = stream
        .max_frame_size(bytes)
        .aggregate_continuations()
        .max_continuation_size(bytes);
    let limits = state.limits;
    let centre = state.centre.clone();
    WsSession::create(move |ctx| {
        ctx.add_stream(stream);
        WsSession::new(id, centre, outbox, ws, limits, slot)
    });
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_compare_whole() {
        assert!(same(b"s3cret", b"s3cret"));
        assert!(!same(b"s3cre", b"s3cret"));
        assert!(!same(b"s3creT", b"s3cret"));
    }

    #[test]
    fn connections_are_bounded_and_given_back() {
        let open = Arc::new(AtomicUsize::new(0));
        let a = ConnectionSlot::take(&open, 2).unwrap();
        let _b = ConnectionSlot::take(&open, 2).unwrap();
        assert!(ConnectionSlot::take(&open, 2).is_none());
        drop(a);
        assert!(ConnectionSlot::take(&open, 2).is_some());
    }
}
