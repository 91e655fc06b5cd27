//! A remote console as an agent's behaviour.
//!
//! Every agent of a served centre runs a [`ServedAgent`]: the scenario's
//! synthetic behaviour, which a client can take over. While a client is
//! attached ([`Consoles::attach`]) the agent's console events go out to it
//! (through the [`Consoles`] outbox the centre drains) and the synthetic
//! behaviour stands aside: its timers set before the client came are
//! dropped when they fire, and the client acts through the toolkit
//! instead.
//!
//! When the client detaches or disconnects, the agent is handed back
//! ([`HAND_BACK`]): it is put where its roster says it should be —
//! logged out before its shift, in its login status during it, in the
//! break's status during a break, finishing its work as its group does
//! after the shift — and the work it holds is taken up as a synthetic
//! agent takes up new work: a push still unanswered is answered after a
//! response time; opened work is closed once its handle time, counted
//! from its accept, has run, plus wrap-up. A timer of the synthetic
//! behaviour set before the client attached may still fire after the
//! hand-back; whichever of two answers or closes of the same work comes
//! first acts, and the other is refused by the toolkit and ignored.

use crate::behaviour::{AgentBehaviour, AgentContext, BehaviourEvent, SyntheticBehaviour};
use crate::events::EventKind;
use crate::omni::{AgentId, AgentWorkId, StatusId};
use crate::time::{SimDuration, SimTime};
use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::rc::Rc;

/// The [`BehaviourEvent::Notice`] tag that hands an agent back to its
/// synthetic behaviour.
pub const HAND_BACK: u64 = 1;

/// Which agents a remote console holds, and the console events waiting to
/// go out to them; shared by the centre and every [`ServedAgent`] of a run
/// (one thread, so `Cell`s suffice).
#[derive(Debug)]
pub struct Consoles {
    remote: Vec<Cell<bool>>,
    outbox: RefCell<Vec<(AgentId, SimTime, EventKind)>>,
}

impl Consoles {
    /// No agent attached, for a centre of `agents` agents.
    pub fn new(agents: usize) -> Consoles {
        Consoles {
            remote: (0..agents).map(|_| Cell::new(false)).collect(),
            outbox: RefCell::new(Vec::new()),
        }
    }

    /// Whether a remote console holds `agent`.
    pub fn is_remote(&self, agent: AgentId) -> bool {
        self.remote[agent.index()].get()
    }

    /// From now on `agent`'s console events go out and its synthetic
    /// behaviour stands aside.
    pub fn attach(&self, agent: AgentId) {
        self.remote[agent.index()].set(true);
    }

    /// From now on `agent`'s console events stay in; the caller also
    /// notifies the agent's behaviour with [`HAND_BACK`].
    pub fn detach(&self, agent: AgentId) {
        self.remote[agent.index()].set(false);
    }

    /// The console events that arrived for remote consoles, in order.
    pub fn drain(&self, into: &mut Vec<(AgentId, SimTime, EventKind)>) {
        into.append(&mut self.outbox.borrow_mut());
    }
}

/// Where an agent's roster has it now, followed from its cues whoever
/// drives the agent, so a hand-back knows where to put it.
#[derive(Copy, Clone, Debug, PartialEq)]
enum RosterPhase {
    BeforeShift,
    Working,
    OnBreak { status: StatusId, until: SimTime },
    ShiftOver,
}

/// One agent of a served centre: its synthetic behaviour, or a remote
/// console's (see the module docs).
#[derive(Debug)]
pub struct ServedAgent {
    agent: AgentId,
    synthetic: SyntheticBehaviour,
    consoles: Rc<Consoles>,
    phase: RosterPhase,
    /// The last `WorkAssigned` or `WorkAccepted` of each active work and
    /// when it came: what a hand-back takes the work up from.
    held: BTreeMap<AgentWorkId, (SimTime, EventKind)>,
}

impl ServedAgent {
    /// `agent`, driven by `synthetic` until a console attaches.
    pub fn new(agent: AgentId, synthetic: SyntheticBehaviour, consoles: Rc<Consoles>) -> Self {
        ServedAgent {
            agent,
            synthetic,
            consoles,
            phase: RosterPhase::BeforeShift,
            held: BTreeMap::new(),
        }
    }

    fn remote(&self) -> bool {
        self.consoles.is_remote(self.agent)
    }

    /// Keeps `held` up to date from the agent's work events.
    fn track(&mut self, now: SimTime, event: &EventKind) {
        match event {
            EventKind::WorkAssigned { work, .. } | EventKind::WorkAccepted { work, .. } => {
                self.held.insert(*work, (now, event.clone()));
            }
            EventKind::WorkDeclined { work, .. }
            | EventKind::WorkClosed { work, .. }
            | EventKind::WorkUnavailable { work, .. }
            | EventKind::WorkCanceled { work, .. }
            | EventKind::WorkTransferred { work, .. } => {
                self.held.remove(work);
            }
            _ => {}
        }
    }

    fn follow_roster(&mut self, event: &BehaviourEvent) {
        self.phase = match (event, self.phase) {
            (BehaviourEvent::ShiftStart, RosterPhase::BeforeShift) => RosterPhase::Working,
            (BehaviourEvent::ShiftEnd, _) => RosterPhase::ShiftOver,
            (BehaviourEvent::BreakStart { status, until }, RosterPhase::Working) => {
                RosterPhase::OnBreak {
                    status: *status,
                    until: *until,
                }
            }
            (BehaviourEvent::BreakEnd, RosterPhase::OnBreak { .. }) => RosterPhase::Working,
            (_, phase) => phase,
        };
    }

    async fn synthetic_console(&mut self, event: EventKind, ctx: &AgentContext) {
        if self.synthetic.wants(&event) {
            self.synthetic
                .handle(BehaviourEvent::Console(event), ctx)
                .await;
        }
    }

    /// Puts the agent back in its synthetic behaviour's hands (module
    /// docs).
    async fn hand_back(&mut self, ctx: &AgentContext) {
        let tk = ctx.toolkit();
        let logged_in = tk.get_service_presence_status_id().await.is_ok();
        match self.phase {
            RosterPhase::BeforeShift => {
                if logged_in {
                    let _ = tk.logout().await;
                }
            }
            RosterPhase::Working => {
                // A break's end is "back to the login status"; a logged-out
                // agent logs in as at its shift start.
                let cue = if logged_in {
                    BehaviourEvent::BreakEnd
                } else {
                    BehaviourEvent::ShiftStart
                };
                self.synthetic.handle(cue, ctx).await;
            }
            RosterPhase::OnBreak { status, until } => {
                if !logged_in {
                    self.synthetic.handle(BehaviourEvent::ShiftStart, ctx).await;
                }
                self.synthetic
                    .handle(BehaviourEvent::BreakStart { status, until }, ctx)
                    .await;
            }
            RosterPhase::ShiftOver => self.synthetic.handle(BehaviourEvent::ShiftEnd, ctx).await,
        }
        let Ok(works) = tk.get_agent_works().await else {
            return;
        };
        let now = ctx.now();
        for w in works {
            let Some(id) = AgentWorkId::parse(&w.work_id) else {
                continue;
            };
            let Some((since, event)) = self.held.get(&id).cloned() else {
                continue;
            };
            self.synthetic_console(resumed(event, now.since(since)), ctx)
                .await;
        }
    }
}

/// A held work's last event, as if it happened now, `elapsed` after it
/// did: an accepted work has that much less handle time (and time before
/// its planned transfer) left.
fn resumed(event: EventKind, elapsed: SimDuration) -> EventKind {
    match event {
        EventKind::WorkAccepted {
            work,
            item,
            queue,
            agent,
            requested_at,
            handle_time,
            wrap_up,
            transfer,
        } => EventKind::WorkAccepted {
            work,
            item,
            queue,
            agent,
            requested_at,
            handle_time: SimDuration(handle_time.0.saturating_sub(elapsed.0)),
            wrap_up,
            transfer: transfer.map(|mut t| {
                t.after = SimDuration(t.after.0.saturating_sub(elapsed.0));
                t
            }),
        },
        other => other,
    }
}

impl AgentBehaviour for ServedAgent {
    fn wants(&self, event: &EventKind) -> bool {
        self.remote()
            || self.synthetic.wants(event)
            || matches!(
                event,
                EventKind::WorkAssigned { .. }
                    | EventKind::WorkAccepted { .. }
                    | EventKind::WorkDeclined { .. }
                    | EventKind::WorkClosed { .. }
                    | EventKind::WorkUnavailable { .. }
                    | EventKind::WorkCanceled { .. }
                    | EventKind::WorkTransferred { .. }
            )
    }

    async fn handle(&mut self, event: BehaviourEvent, ctx: &AgentContext) {
        match event {
            BehaviourEvent::Console(kind) => {
                self.track(ctx.now(), &kind);
                if self.remote() {
                    self.consoles
                        .outbox
                        .borrow_mut()
                        .push((self.agent, ctx.now(), kind));
                } else {
                    self.synthetic_console(kind, ctx).await;
                }
            }
            BehaviourEvent::Notice(HAND_BACK) => {
                if !self.remote() {
                    self.hand_back(ctx).await;
                }
            }
            BehaviourEvent::Notice(_) => {}
            cue => {
                self.follow_roster(&cue);
                if !self.remote() {
                    self.synthetic.handle(cue, ctx).await;
                }
            }
        }
    }
}
