//! The served centre: one replication of the scenario on its own thread,
//! driven by the clock and by what clients ask.
//!
//! The centre owns the [`Simulation`] and everything that sees its
//! events; the web server's sessions talk to it only through a
//! [`Command`] channel, and it answers each session through that
//! session's [`Outbox`]. Nothing a client sends can block it: a command is
//! handled between two calendar entries, and a session that does not read
//! what it is sent is dropped rather than waited for.
//!
//! # Time
//!
//! With [`ServeClock::Stepped`] simulated time moves only when a client
//! asks (`advance`, `advance_to`): every entry up to and including the
//! target instant is processed, then the clock stands at the target. A
//! toolkit call is made at the instant the clock stands at, after every
//! entry due then — so an accept sent once the clock has reached a push's
//! timeout loses to the timer, as in omni-reference §9 — and the reactions
//! it causes are processed before the next command. The same commands in
//! the same order therefore give the same run, byte for byte.
//!
//! With [`ServeClock::Wall`] the calendar is paced by the wall clock at
//! `speed` simulated seconds per second; a command is stamped with the
//! simulated time the wall clock has reached, after the entries due by
//! then.
//!
//! # Order on the wire
//!
//! The console events a request causes — a toolkit call's own and those of
//! the reactions at its instant (a push the call made room for, say) — go
//! out before its reply, in the order the agents emitted them
//! (omni-reference §3): when a client's promise resolves, the events of
//! the call have been delivered. An `advance` likewise sends the events
//! of the time it covers, then its reply.

use super::console::{Consoles, ServedAgent, HAND_BACK};
use super::console_events::{console_event, user_id};
use super::protocol::{error_reply, ok_reply, wire_value, AgentRef, Request, WireError};
use crate::engine::{synthetic_behaviour, Clock, Pacer, Simulation};
use crate::events::{EventKind, EventSink};
use crate::omni::AgentId;
use crate::scenario::Scenario;
use crate::stats::{EngineStats, MetricsCollector, ReplicationResult, WorkRecorder};
use crate::time::SimTime;
use crate::toolkit::PresenceStatusInfo;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::io::BufWriter;
use std::path::PathBuf;
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A connection, numbered by the server in order of arrival.
pub type SessionId = u64;

/// Longest the centre waits for a command before it looks at the clock
/// and the stop flag again.
const SLICE: Duration = Duration::from_millis(20);

/// How simulated time moves in a served centre.
#[derive(Copy, Clone, Debug, PartialEq)]
pub enum ServeClock {
    /// Only when a client sends `advance` or `advance_to`.
    Stepped,
    /// With the wall clock, `speed` simulated seconds per second.
    Wall {
        /// Simulated seconds per wall second.
        speed: f64,
    },
}

/// What goes out to one session.
#[derive(Debug)]
pub enum Outgoing {
    /// A text frame: a reply or an event.
    Text(String),
    /// Close the connection, saying why.
    Close(actix_ws::CloseReason),
}

/// The way to one session: a bounded channel to its writer, and a flag
/// that tells the writer to close when the channel could take no more.
#[derive(Clone, Debug)]
pub struct Outbox {
    /// Frames for the session's writer.
    pub tx: tokio::sync::mpsc::Sender<Outgoing>,
    /// Set when the session fell so far behind that the centre dropped
    /// it; its writer closes the connection.
    pub dropped: Arc<AtomicBool>,
}

/// What sessions tell the centre.
#[derive(Debug)]
pub enum Command {
    /// A client connected.
    Open {
        /// Its session.
        session: SessionId,
        /// Where its replies and events go.
        outbox: Outbox,
    },
    /// A parsed request to serve.
    Request {
        /// From whom.
        session: SessionId,
        /// Its id, echoed in the reply.
        id: Value,
        /// What it asks.
        request: Request,
    },
    /// A client disconnected: its agents go back to their synthetic
    /// behaviour.
    Close {
        /// Its session.
        session: SessionId,
    },
}

/// Why the centre stopped.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Ending {
    /// Simulated time reached the end of the scenario's run.
    DayOver,
    /// Stopped from outside (a signal) before that.
    Stopped,
}

/// What a served run leaves: one replication's metrics and how it ended.
#[derive(Debug)]
pub struct CentreOutcome {
    /// The replication's metrics, as `run` computes them.
    pub result: ReplicationResult,
    /// Wall time and events.
    pub engine: EngineStats,
    /// The work.csv part file of the replication.
    pub part: PathBuf,
    /// Why it ended.
    pub ending: Ending,
    /// The simulated time it reached, as a clock label.
    pub reached: String,
}

/// How to run a served centre.
#[derive(Debug)]
pub struct CentreSpec {
    /// The scenario (its replication 0 is served).
    pub scenario: Arc<Scenario>,
    /// How time moves.
    pub clock: ServeClock,
    /// Where work.csv's rows go while the run lasts.
    pub part: PathBuf,
    /// Set from outside (a signal) to end the run.
    pub stop: Arc<AtomicBool>,
}

struct Session {
    outbox: Outbox,
    agents: BTreeSet<AgentId>,
}

struct Sinks {
    metrics: MetricsCollector,
    work: WorkRecorder<BufWriter<File>>,
}

impl Sinks {
    fn all(&mut self) -> [&mut dyn EventSink; 2] {
        [&mut self.metrics, &mut self.work]
    }
}

/// Runs a served centre on this thread until the day is over or `stop`
/// is set, serving the commands that come through `commands`.
pub fn run_centre(spec: CentreSpec, commands: Receiver<Command>) -> Result<CentreOutcome, String> {
    let system = actix::System::new();
    system.block_on(async move {
        let mut centre = Centre::start(&spec)?;
        let started = Instant::now();
        let ending = centre.serve(&commands, &spec.stop).await;
        centre.farewell(match ending {
            Ending::DayOver => "the simulated day is over",
            Ending::Stopped => "the server is shutting down",
        });
        let reached = centre.sim.now();
        let mut sinks = centre.sinks;
        centre.sim.finish(reached, &mut sinks.all());
        let part = spec.part.clone();
        sinks
            .work
            .into_inner()
            .map_err(|e| format!("cannot write `{}`: {e}", part.display()))?;
        Ok(CentreOutcome {
            result: sinks.metrics.into_result(),
            engine: EngineStats {
                wall_seconds: started.elapsed().as_secs_f64(),
                events: centre.sim.events(),
                counts: centre.sim.counts(),
            },
            part,
            ending,
            reached: centre.scenario.simulation.clock().label_ms(reached),
        })
    })
}

struct Centre {
    scenario: Arc<Scenario>,
    sim: Simulation<ServedAgent>,
    consoles: Rc<Consoles>,
    sinks: Sinks,
    sessions: BTreeMap<SessionId, Session>,
    owner: Vec<Option<SessionId>>,
    /// Each group's name, first agent and number of agents.
    seats: Vec<(String, u32, u32)>,
    clock: ServeClock,
    pacer: Pacer,
    end: SimTime,
    ended: bool,
    outbox: Vec<(AgentId, SimTime, EventKind)>,
}

impl Centre {
    fn start(spec: &CentreSpec) -> Result<Centre, String> {
        let scenario = spec.scenario.clone();
        let agents = scenario.agent_count();
        let consoles = Rc::new(Consoles::new(agents));
        let file = File::create(&spec.part)
            .map_err(|e| format!("cannot create `{}`: {e}", spec.part.display()))?;
        let work = WorkRecorder::new(BufWriter::new(file), &scenario, 0)
            .map_err(|e| format!("cannot write `{}`: {e}", spec.part.display()))?;
        let sinks = Sinks {
            metrics: MetricsCollector::new(&scenario),
            work,
        };
        let s = scenario.clone();
        let c = consoles.clone();
        let sim = Simulation::new(scenario.clone(), 0, move |seat| {
            let agent = seat.agent;
            ServedAgent::new(agent, synthetic_behaviour(&s, seat), c.clone())
        });
        let mut seats = Vec::new();
        let mut first = 0;
        for g in &scenario.agents {
            let count = g.schedules().count() as u32;
            seats.push((g.group.clone(), first, count));
            first += count;
        }
        let pacer = Pacer::start(match spec.clock {
            ServeClock::Stepped => Clock::Virtual,
            ServeClock::Wall { speed } => Clock::Wall { speed },
        });
        Ok(Centre {
            end: SimTime::ZERO + scenario.run_length(),
            scenario,
            sim,
            consoles,
            sinks,
            sessions: BTreeMap::new(),
            owner: vec![None; agents],
            seats,
            clock: spec.clock,
            pacer,
            ended: false,
            outbox: Vec::new(),
        })
    }

    /// Serves until the day is over, `stop` is set or the server is gone.
    async fn serve(&mut self, commands: &Receiver<Command>, stop: &AtomicBool) -> Ending {
        // What is due at the very start (shift starts at zero) happens
        // before any client can act.
        self.run_through(SimTime::ZERO).await;
        loop {
            if self.ended {
                return Ending::DayOver;
            }
            if stop.load(Ordering::SeqCst) {
                return Ending::Stopped;
            }
            let wait = match self.clock {
                ServeClock::Stepped => SLICE,
                ServeClock::Wall { .. } => {
                    // A command waiting is served before the next entry, so a
                    // centre that falls behind its schedule still answers.
                    if let Ok(command) = commands.try_recv() {
                        self.wall_command(command).await;
                        continue;
                    }
                    let next = self.sim.next_time().filter(|t| *t < self.end);
                    match next.and_then(|t| self.pacer.due(t)) {
                        Some(due) if due <= Instant::now() => {
                            self.step().await;
                            continue;
                        }
                        Some(due) => (due - Instant::now()).min(SLICE),
                        None => {
                            if self.pacer.reached() >= self.end {
                                self.run_through(self.end).await;
                                continue;
                            }
                            SLICE
                        }
                    }
                }
            };
            match commands.recv_timeout(wait) {
                Ok(command) => match self.clock {
                    ServeClock::Wall { .. } => self.wall_command(command).await,
                    ServeClock::Stepped => self.command(command).await,
                },
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => return Ending::Stopped,
            }
        }
    }

    /// On the wall clock a command is made at the simulated time the wall
    /// clock has reached, after the entries due by then.
    async fn wall_command(&mut self, command: Command) {
        let now = self.pacer.reached().min(self.end);
        self.run_through(now).await;
        if !self.ended {
            self.command(command).await;
        }
    }

    async fn step(&mut self) {
        let mut sinks = self.sinks.all();
        self.sim.step(&mut sinks).await;
        self.forward_events();
    }

    /// Processes every entry up to and including `target` (the end of the
    /// run at most), then stands the clock there.
    async fn run_through(&mut self, target: SimTime) {
        let target = target.min(self.end);
        // Events of calls made from outside any handler (a client's) are
        // handed on first, so their console events join the calendar.
        let mut sinks = self.sinks.all();
        self.sim.flush(&mut sinks);
        if target > self.sim.now() {
            self.sim.run_until(target, &mut sinks).await;
        }
        self.forward_events();
        while self.sim.next_time() == Some(target) && target < self.end {
            self.step().await;
        }
        if target >= self.end {
            self.ended = true;
        }
    }

    async fn command(&mut self, command: Command) {
        match command {
            Command::Open { session, outbox } => {
                self.sessions.insert(
                    session,
                    Session {
                        outbox,
                        agents: BTreeSet::new(),
                    },
                );
            }
            Command::Close { session } => self.close(session).await,
            Command::Request {
                session,
                id,
                request,
            } => {
                let reply = match request {
                    Request::Advance(d) => self.advance(self.sim.now() + d).await,
                    Request::AdvanceTo(text) => {
                        match self.scenario.simulation.clock().parse_instant(&text) {
                            Ok(t) => self.advance(t).await,
                            Err(e) => Err(WireError::new("InvalidArgument", e)),
                        }
                    }
                    Request::Attach(refs) => self.attach(session, &refs),
                    Request::Detach(refs) => self.detach(session, refs.as_deref()),
                    Request::Call { agent, call } => match self.console_of(session, agent) {
                        Ok(a) => match self.sim.toolkit(a).call(call).await {
                            Ok(v) => Ok(wire_value(&v)),
                            Err(e) => Err(WireError::toolkit(&e)),
                        },
                        Err(e) => Err(e),
                    },
                };
                // The request's reactions at this same instant, and the
                // events they bring, go out before its reply.
                let now = self.sim.now();
                self.run_through(now).await;
                let text = match &reply {
                    Ok(v) => ok_reply(&id, v.clone()),
                    Err(e) => error_reply(&id, e),
                };
                self.send(session, Outgoing::Text(text));
            }
        }
    }

    /// Stepped clock only: runs to `target` and says where time stands.
    async fn advance(&mut self, target: SimTime) -> Result<Value, WireError> {
        if let ServeClock::Wall { .. } = self.clock {
            return Err(WireError::new(
                "WrongClock",
                "this server runs on the wall clock; start it with --clock stepped to advance time from a client",
            ));
        }
        let now = self.sim.now();
        if target < now {
            return Err(WireError::new(
                "InvalidArgument",
                format!(
                    "{} is before the current time {}; time only moves forward",
                    self.label(target),
                    self.label(now)
                ),
            ));
        }
        self.run_through(target).await;
        Ok(json!({ "time": self.label(self.sim.now()), "ended": self.ended }))
    }

    fn label(&self, t: SimTime) -> String {
        self.scenario.simulation.clock().label_ms(t)
    }

    fn resolve(&self, r: &AgentRef) -> Result<AgentId, WireError> {
        let unknown = |why: String| WireError::new("UnknownAgent", why);
        match r {
            AgentRef::Number(n) if (*n as usize) < self.owner.len() => Ok(AgentId(*n)),
            AgentRef::Number(n) => Err(unknown(format!(
                "there is no agent {n}; this centre has agents 0 to {}",
                self.owner.len().saturating_sub(1)
            ))),
            AgentRef::Seat { group, index } => {
                let Some((_, first, count)) = self.seats.iter().find(|(g, ..)| g == group) else {
                    let groups: Vec<&str> = self.seats.iter().map(|(g, ..)| g.as_str()).collect();
                    return Err(unknown(format!(
                        "there is no group `{group}`; the groups are {}",
                        groups.join(", ")
                    )));
                };
                if index >= count {
                    return Err(unknown(format!(
                        "group `{group}` has {count} agents, numbered 0 to {}",
                        count.saturating_sub(1)
                    )));
                }
                Ok(AgentId(first + index))
            }
        }
    }

    /// The agent a call of `session` acts for.
    fn console_of(
        &self,
        session: SessionId,
        agent: Option<AgentRef>,
    ) -> Result<AgentId, WireError> {
        let held = self.sessions.get(&session).map(|s| &s.agents);
        let agent = match agent {
            Some(r) => self.resolve(&r)?,
            None => match held
                .map(|a| a.iter().copied().collect::<Vec<_>>())
                .as_deref()
            {
                Some([only]) => *only,
                Some([]) | None => {
                    return Err(WireError::new(
                        "NotAttached",
                        "attach to an agent first, e.g. {\"id\": 1, \"attach\": 0}",
                    ))
                }
                Some(_) => {
                    return Err(WireError::new(
                        "AgentRequired",
                        "this connection holds several agents; say which with `agent`",
                    ))
                }
            },
        };
        if held.is_some_and(|a| a.contains(&agent)) {
            Ok(agent)
        } else {
            Err(WireError::new(
                "NotAttached",
                format!(
                    "this connection is not agent {}'s console; attach to it first",
                    agent.0
                ),
            ))
        }
    }

    fn attach(&mut self, session: SessionId, refs: &[AgentRef]) -> Result<Value, WireError> {
        let mut agents = Vec::new();
        for r in refs {
            let a = self.resolve(r)?;
            if let Some(other) = self.owner[a.index()].filter(|o| *o != session) {
                return Err(WireError::new(
                    "AgentTaken",
                    format!("agent {} already has a console (connection {other})", a.0),
                ));
            }
            agents.push(a);
        }
        let mut list = Vec::new();
        for a in agents {
            self.owner[a.index()] = Some(session);
            self.consoles.attach(a);
            if let Some(s) = self.sessions.get_mut(&session) {
                s.agents.insert(a);
            }
            let (group, first, _) = self
                .seats
                .iter()
                .find(|(_, first, count)| a.0 >= *first && a.0 < first + count)
                .expect("every agent has a group");
            let g = self.scenario.agents.iter().find(|g| &g.group == group);
            list.push(json!({
                "agent": a.0,
                "group": group,
                "index": a.0 - first,
                "userId": user_id(a),
                "loginStatusId": g.map(|g| g.status.to_string()),
            }));
        }
        let statuses: Vec<Value> = (0..self.scenario.statuses.len() as u32)
            .map(|i| {
                let info = PresenceStatusInfo::of(&self.scenario, crate::omni::StatusId(i));
                json!({
                    "statusId": info.status_id,
                    "statusName": info.status_name,
                    "statusApiName": info.status_api_name,
                })
            })
            .collect();
        Ok(json!({
            "agents": list,
            "statuses": statuses,
            "time": self.label(self.sim.now()),
        }))
    }

    fn detach(
        &mut self,
        session: SessionId,
        refs: Option<&[AgentRef]>,
    ) -> Result<Value, WireError> {
        let held: Vec<AgentId> = self
            .sessions
            .get(&session)
            .map(|s| s.agents.iter().copied().collect())
            .unwrap_or_default();
        let agents = match refs {
            None => held,
            Some(refs) => {
                let mut agents = Vec::new();
                for r in refs {
                    let a = self.resolve(r)?;
                    if !held.contains(&a) {
                        return Err(WireError::new(
                            "NotAttached",
                            format!("this connection is not agent {}'s console", a.0),
                        ));
                    }
                    agents.push(a);
                }
                agents
            }
        };
        for a in &agents {
            self.hand_back(session, *a);
        }
        Ok(json!({ "agents": agents.iter().map(|a| a.0).collect::<Vec<_>>() }))
    }

    fn hand_back(&mut self, session: SessionId, agent: AgentId) {
        if let Some(s) = self.sessions.get_mut(&session) {
            s.agents.remove(&agent);
        }
        self.owner[agent.index()] = None;
        self.consoles.detach(agent);
        self.sim.notify(agent, HAND_BACK);
    }

    /// A session is gone: its agents go back to their synthetic behaviour.
    async fn close(&mut self, session: SessionId) {
        let Some(s) = self.sessions.get(&session) else {
            return;
        };
        for a in s.agents.clone() {
            self.hand_back(session, a);
        }
        self.sessions.remove(&session);
        let now = self.sim.now();
        self.run_through(now).await;
    }

    /// Sends the console events that arrived for remote consoles.
    fn forward_events(&mut self) {
        self.consoles.drain(&mut self.outbox);
        let events = std::mem::take(&mut self.outbox);
        for (agent, t, kind) in &events {
            let Some(session) = self.owner[agent.index()] else {
                continue;
            };
            let Some((name, params)) = console_event(&self.scenario, kind) else {
                continue;
            };
            let text = json!({
                "event": name,
                "agent": agent.0,
                "time": self.label(*t),
                "params": params,
            })
            .to_string();
            self.send(session, Outgoing::Text(text));
        }
        self.outbox = events;
        self.outbox.clear();
    }

    /// Queues `out` for `session`; a session whose queue is full is too
    /// slow to keep and is dropped (its agents handed back).
    fn send(&mut self, session: SessionId, out: Outgoing) {
        let Some(s) = self.sessions.get(&session) else {
            return;
        };
        if let Err(e) = s.outbox.tx.try_send(out) {
            s.outbox.dropped.store(true, Ordering::SeqCst);
            if matches!(e, tokio::sync::mpsc::error::TrySendError::Full(_)) {
                eprintln!("omnisim serve: connection {session} reads too slowly; closing it and handing its agents back");
            }
            for a in s.agents.clone() {
                self.hand_back(session, a);
            }
            self.sessions.remove(&session);
        }
    }

    /// Tells every session why the centre is closing.
    fn farewell(&mut self, why: &str) {
        let sessions: Vec<SessionId> = self.sessions.keys().copied().collect();
        for s in sessions {
            let reason = actix_ws::CloseReason {
                code: actix_ws::CloseCode::Away,
                description: Some(why.to_string()),
            };
            self.send(s, Outgoing::Close(reason));
        }
    }
}
