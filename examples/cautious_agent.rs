//! Example: a custom agent behaviour written against the Omni toolkit.
//!
//! Demonstrates:
//! - implementing [`AgentBehaviour`] the way a Lightning console component
//!   listens to Omni-Channel events and calls `lightning:omniToolkitAPI`;
//! - branching on toolkit results (`get_agent_workload`) and rejections
//!   (`ToolkitError`);
//! - timers: `wake_after` for response time and breaks, which are clock
//!   time, and `wake_after_work` for handle time, which is effort (it stops
//!   while the work is paused or set aside for primary work);
//! - running a scenario file with these agents instead of its synthetic ones.
//!
//! ```text
//!   router ──push──► agent actor ──workAssigned──► CautiousAgent
//!                       ▲                               │
//!                       └──── toolkit: accept / decline / close / set status
//! ```
//!
//! The cautious agent declines a push when it already holds half its
//! capacity, flags long items for a supervisor, and takes a 5-minute break
//! after every 8 items.
//!
//! Run it: `cargo run --release --example cautious_agent`

use omnisim_core::behaviour::{AgentBehaviour, AgentContext, BehaviourEvent};
use omnisim_core::engine::{run_with_behaviours, RunOptions};
use omnisim_core::events::{EventKind, EventSink};
use omnisim_core::omni::AgentWorkId;
use omnisim_core::scenario::Scenario;
use omnisim_core::stats::MetricsCollector;
use omnisim_core::time::SimDuration;
use omnisim_core::toolkit::ToolkitError;
use std::sync::Arc;

const AVAILABLE: &str = "0N5000000000000"; // first status of quickstart.toml
const BREAK: &str = "0N5000000000002"; // its "Break" status
const ANSWER: u64 = 0;
const CLOSE: u64 = 1;
const BACK_FROM_BREAK: u64 = 2;

#[derive(Default)]
struct CautiousAgent {
    closed: u32,
    declined_busy: u32,
}

fn tag(work: AgentWorkId, action: u64) -> u64 {
    (work.0 << 2) | action
}

impl AgentBehaviour for CautiousAgent {
    fn wants(&self, event: &EventKind) -> bool {
        matches!(
            event,
            EventKind::WorkAssigned { .. } | EventKind::WorkAccepted { .. }
        )
    }

    async fn handle(&mut self, event: BehaviourEvent, ctx: &AgentContext) {
        let tk = ctx.toolkit();
        match event {
            BehaviourEvent::ShiftStart => {
                tk.login(AVAILABLE).await.expect("granted status");
            }
            BehaviourEvent::ShiftEnd => {
                tk.logout().await.expect("logout never fails");
            }
            // It takes its own breaks (below), not a roster's; quickstart
            // rosters none anyway.
            BehaviourEvent::BreakStart { .. } | BehaviourEvent::BreakEnd => {}
            BehaviourEvent::Console(EventKind::WorkAssigned { work, .. }) => {
                // A person needs a moment to look at the push.
                ctx.wake_after(SimDuration::from_secs(3), tag(work, ANSWER));
            }
            BehaviourEvent::Console(EventKind::WorkAccepted {
                work, handle_time, ..
            }) => {
                let handle = handle_time;
                if handle > SimDuration::from_secs(900) {
                    let _ = tk
                        .raise_agent_work_flag(&work.to_string(), Some("long one"))
                        .await;
                }
                ctx.wake_after_work(work, handle, tag(work, CLOSE));
            }
            BehaviourEvent::Wake(t) if t & 3 == ANSWER => {
                let work = AgentWorkId(t >> 2);
                let Ok(load) = tk.get_agent_workload().await else {
                    return;
                };
                // The push being answered already counts in the workload.
                if load.current_workload > load.configured_capacity / 2.0 {
                    match tk.decline_agent_work(&work.to_string(), Some("Busy")).await {
                        Ok(_) => {
                            self.declined_busy += 1;
                            return;
                        }
                        // Auto-accepted work cannot be declined; a push that
                        // timed out is gone: either way, nothing to decline.
                        Err(ToolkitError::DeclineNotAllowed)
                        | Err(ToolkitError::InvalidWorkState { .. }) => {}
                        Err(e) => panic!("unexpected rejection: {e}"),
                    }
                }
                // Rejected if the push timed out meanwhile: nothing to do.
                let _ = tk.accept_agent_work(&work.to_string()).await;
            }
            BehaviourEvent::Wake(t) if t & 3 == CLOSE => {
                if tk
                    .close_agent_work(&AgentWorkId(t >> 2).to_string())
                    .await
                    .is_ok()
                {
                    self.closed += 1;
                    if self.closed % 8 == 0 {
                        tk.set_service_presence_status(BREAK)
                            .await
                            .expect("granted");
                        ctx.wake_after(SimDuration::from_secs(300), BACK_FROM_BREAK);
                    }
                }
            }
            BehaviourEvent::Wake(_) => {
                if tk.get_service_presence_status_id().await.is_ok() {
                    tk.set_service_presence_status(AVAILABLE)
                        .await
                        .expect("granted");
                }
            }
            BehaviourEvent::Console(_) | BehaviourEvent::Notice(_) => {}
        }
    }
}

fn main() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/quickstart.toml");
    let mut scenario = Scenario::from_path(path.as_ref()).expect("bundled scenario is valid");
    // Everyone logs into the chat-and-case status in this example.
    for g in &mut scenario.agents {
        g.status = omnisim_core::omni::StatusId(0);
    }
    let scenario = Arc::new(scenario);
    let mut metrics = MetricsCollector::new(&scenario);
    let outcome = run_with_behaviours(
        scenario.clone(),
        |_seat| CautiousAgent::default(),
        &mut [&mut metrics as &mut dyn EventSink],
        RunOptions::default(),
    );
    let result = metrics.into_result();
    let all = &result.overall;
    println!(
        "cautious agents: {} offered, {} answered, {} abandoned, {} declined, service level {:.3}, occupancy {:.3} ({} events)",
        all.offered,
        all.answered,
        all.abandoned,
        all.declined,
        all.service_level.unwrap_or(0.0),
        all.occupancy.unwrap_or(0.0),
        outcome.events
    );
    assert!(all.answered > 0, "cautious agents still answer work");
    assert!(all.declined > 0, "and decline some when half full");
    assert!(outcome.stalled_at.is_none());
    result
        .check_conservation()
        .expect("every item accounted for");
}
