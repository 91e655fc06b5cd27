//! One WebSocket connection: a session actor between the client and the
//! centre.
//!
//! The actor reads the client's frames, parses each into a request
//! ([`super::protocol::parse`]), answers what cannot be served (malformed
//! JSON, an unknown method, bad arguments, a request over the rate limit)
//! itself, and hands the rest to the centre as [`Command`]s. What the
//! centre sends back goes through the session's [`Outbox`] to a writer
//! task, which alone writes to the socket, so replies and events keep the
//! order the centre gave them.

use super::centre::{Command, Outbox, Outgoing, SessionId};
use super::protocol::{error_reply, parse, WireError};
use super::Limits;
use actix::{Actor, ActorContext, Context, StreamHandler};
use actix_ws::{AggregatedMessage, CloseCode, CloseReason, ProtocolError};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::Sender;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A place among the bounded number of connections, given back when the
/// session ends.
#[derive(Debug)]
pub struct ConnectionSlot(Arc<AtomicUsize>);

impl ConnectionSlot {
    /// Takes a place if fewer than `max` are taken.
    pub fn take(open: &Arc<AtomicUsize>, max: usize) -> Option<ConnectionSlot> {
        open.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| {
            (n < max).then_some(n + 1)
        })
        .ok()
        .map(|_| ConnectionSlot(open.clone()))
    }
}

impl Drop for ConnectionSlot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Requests of one connection in the current one-second window.
#[derive(Debug)]
struct RateWindow {
    start: Instant,
    count: u32,
}

impl RateWindow {
    /// Whether one more request fits under `limit` per second.
    fn admit(&mut self, limit: u32) -> bool {
        if self.start.elapsed() >= Duration::from_secs(1) {
            self.start = Instant::now();
            self.count = 0;
        }
        self.count += 1;
        self.count <= limit
    }
}

/// The actor of one connection.
pub struct WsSession {
    id: SessionId,
    centre: Sender<Command>,
    outbox: Outbox,
    ws: actix_ws::Session,
    limits: Limits,
    rate: RateWindow,
    _slot: ConnectionSlot,
}

impl std::fmt::Debug for WsSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WsSession").field("id", &self.id).finish()
    }
}

impl WsSession {
    /// A session for connection `id`, whose writes go through `outbox`.
    pub fn new(
        id: SessionId,
        centre: Sender<Command>,
        outbox: Outbox,
        ws: actix_ws::Session,
        limits: Limits,
        slot: ConnectionSlot,
    ) -> WsSession {
        WsSession {
            id,
            centre,
            outbox,
            ws,
            limits,
            rate: RateWindow {
                start: Instant::now(),
                count: 0,
            },
            _slot: slot,
        }
    }

    fn reply(&self, text: String) {
        // Full means the client is not reading; the centre drops it.
        let _ = self.outbox.tx.try_send(Outgoing::Text(text));
    }

    fn request(&mut self, text: &str, ctx: &mut Context<Self>) {
        let (id, request) = parse(text);
        if !self.rate.admit(self.limits.max_requests_per_second) {
            let e = WireError::new(
                "RateLimited",
                format!(
                    "more than {} requests in one second on this connection; this one was not served",
                    self.limits.max_requests_per_second
                ),
            );
            self.reply(error_reply(&id, &e));
            return;
        }
        match request {
            Ok(request) => {
                let sent = self.centre.send(Command::Request {
                    session: self.id,
                    id,
                    request,
                });
                if sent.is_err() {
                    ctx.stop();
                }
            }
            Err(e) => self.reply(error_reply(&id, &e)),
        }
    }
}

impl Actor for WsSession {
    type Context = Context<Self>;

    fn stopped(&mut self, _: &mut Self::Context) {
        let _ = self.centre.send(Command::Close { session: self.id });
    }
}

impl StreamHandler<Result<AggregatedMessage, ProtocolError>> for WsSession {
    fn handle(&mut self, msg: Result<AggregatedMessage, ProtocolError>, ctx: &mut Context<Self>) {
        match msg {
            Ok(AggregatedMessage::Text(text)) => self.request(&text, ctx),
            Ok(AggregatedMessage::Binary(_)) => {
                let e = WireError::new(
                    "MalformedRequest",
                    "binary frames are not read; send each request as a text frame of JSON",
                );
                self.reply(error_reply(&serde_json::Value::Null, &e));
            }
            Ok(AggregatedMessage::Ping(bytes)) => {
                let mut ws = self.ws.clone();
                actix_web::rt::spawn(async move {
                    let _ = ws.pong(&bytes).await;
                });
            }
            Ok(AggregatedMessage::Pong(_)) => {}
            Ok(AggregatedMessage::Close(_)) => ctx.stop(),
            Err(e) => {
                let why = match &e {
                    ProtocolError::Overflow => format!(
                        "message too large: at most {} bytes (--max-message-bytes)",
                        self.limits.max_message_bytes
                    ),
                    e => format!("websocket protocol error: {e}"),
                };
                let code = match e {
                    ProtocolError::Overflow => CloseCode::Size,
                    _ => CloseCode::Protocol,
                };
                let _ = self.outbox.tx.try_send(Outgoing::Close(CloseReason {
                    code,
                    description: Some(why),
                }));
                ctx.stop();
            }
        }
    }

    fn finished(&mut self, ctx: &mut Context<Self>) {
        ctx.stop();
    }
}

/// Writes what the centre sends one session to its socket, in order, and
/// closes the socket when the centre says so, drops the session, or lets
/// it go.
pub async fn write(
    mut ws: actix_ws::Session,
    mut rx: tokio::sync::mpsc::Receiver<Outgoing>,
    dropped: Arc<AtomicBool>,
) {
    let close = |code, why: &str| {
        Some(CloseReason {
            code,
            description: Some(why.to_string()),
        })
    };
    while let Some(out) = rx.recv().await {
        if dropped.load(Ordering::SeqCst) {
            let why = "reading too slowly: the centre dropped this connection";
            let _ = ws.close(close(CloseCode::Policy, why)).await;
            return;
        }
        match out {
            Outgoing::Text(text) => {
                if ws.text(text).await.is_err() {
                    return;
                }
            }
            Outgoing::Close(reason) => {
                let _ = ws.close(Some(reason)).await;
                return;
            }
        }
    }
    let _ = ws.close(None).await;
}
