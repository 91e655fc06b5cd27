//! A behaviour that declines every push instantly would bounce an item
//! between two agents forever at one instant; the engine stops and says so
//! instead of hanging.

use crate::util::base;
use omnisim_core::behaviour::{AgentBehaviour, AgentContext, BehaviourEvent};
use omnisim_core::engine::{run_with_behaviours, RunOptions};
use omnisim_core::events::EventKind;
use std::sync::Arc;

struct InstantDecliner;

impl AgentBehaviour for InstantDecliner {
    async fn handle(&mut self, event: BehaviourEvent, ctx: &AgentContext) {
        match event {
            BehaviourEvent::ShiftStart => {
                ctx.toolkit().login("0N5000000000000").await.unwrap();
            }
            BehaviourEvent::Console(EventKind::WorkAssigned { work, .. }) => {
                ctx.toolkit()
                    .decline_agent_work(&work.to_string(), None)
                    .await
                    .unwrap();
            }
            _ => {}
        }
    }
}

#[test]
fn a_zero_time_decline_loop_is_reported_not_hung() {
    let mut s = base(1);
    s.agents[0].count = 2;
    s.presence_configs[0].allow_decline = true;
    let out = run_with_behaviours(
        Arc::new(s),
        |_| InstantDecliner,
        &mut [],
        RunOptions::default(),
    );
    assert!(out.interrupted);
    assert!(out.stalled_at.is_some());
}
