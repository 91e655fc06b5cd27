//! External routing: the org's own system chooses the agent.
//!
//! A queue with `routing_model = "external"` is routed by a
//! [`RoutingPolicy`] the program supplies. This one keeps VIP customers with
//! the agent who served them last ("sticky" routing) and otherwise behaves
//! like Most Available. Customers are simulated: each item belongs to one of
//! 40 customers, and items with secondary priority 0 are VIPs.
//!
//! Run it with `cargo run --release --example external_router`; it prints
//! the VIP share that reached "their" agent and the service level, beside
//! the same centre routed by the built-in Most Available model.

use omnisim_core::engine::{run_replication, RunOptions};
use omnisim_core::omni::{AgentId, WorkItem};
use omnisim_core::routing::{AgentRouting, MostAvailablePolicy, RoutingPolicy};
use omnisim_core::scenario::Scenario;
use omnisim_core::stats::MetricsCollector;
use std::cell::Cell;
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::Arc;

const CUSTOMERS: u64 = 40;

/// The desk, routed externally.
const CENTRE: &str = include_str!("../tests/fixtures/external_desk.toml");

/// VIP items go back to the agent who last served the same customer when
/// that agent may take them now; everything else goes Most Available.
/// `counts` (VIP decisions, VIPs kept with their agent) is shared so the
/// program can read it after the run, which owns the policy.
#[derive(Default)]
struct StickyVips {
    last_agent: HashMap<u64, AgentId>,
    counts: Rc<Cell<(u64, u64)>>,
}

impl RoutingPolicy for StickyVips {
    fn choose(&mut self, item: &WorkItem, eligible: &[&AgentRouting]) -> Option<AgentId> {
        let customer = item.id.0 % CUSTOMERS;
        let fallback = MostAvailablePolicy.choose(item, eligible);
        let chosen = if item.secondary_priority == Some(0) {
            let sticky = self
                .last_agent
                .get(&customer)
                .copied()
                .filter(|a| eligible.iter().any(|e| e.tie.agent == *a));
            let (vips, kept) = self.counts.get();
            self.counts.set((vips + 1, kept + sticky.is_some() as u64));
            sticky.or(fallback)
        } else {
            fallback
        };
        if let Some(a) = chosen {
            self.last_agent.insert(customer, a);
        }
        chosen
    }
}

fn service_level(scenario: Scenario, policy: Option<Box<dyn RoutingPolicy>>) -> f64 {
    let scenario = Arc::new(scenario);
    let mut metrics = MetricsCollector::new(&scenario);
    run_replication(
        scenario,
        &mut [&mut metrics],
        RunOptions {
            routing_policy: policy,
            ..Default::default()
        },
    );
    let result = metrics.into_result();
    result.overall.service_level.unwrap_or(0.0)
}

fn main() {
    let external = CENTRE;
    let built_in = CENTRE.replace(
        "routing_model = \"external\"",
        "routing_model = \"most_available\"",
    );
    let scenario = Scenario::from_toml_str_with_external_routing(external, "sticky_vips.toml")
        .expect("the example centre is valid");

    let policy = StickyVips::default();
    let counts = policy.counts.clone();
    let sticky_sl = service_level(scenario, Some(Box::new(policy)));
    let (vips, kept) = counts.get();
    let plain_sl = service_level(
        Scenario::from_toml_str(&built_in, "most_available.toml").expect("valid"),
        None,
    );
    println!("external routing (sticky VIPs):  service level {sticky_sl:.3}");
    println!(
        "  VIP routing decisions: {vips}, back to the customer's last agent: {kept} ({:.0}%)",
        100.0 * kept as f64 / vips.max(1) as f64
    );
    println!("built-in Most Available:         service level {plain_sl:.3}");
    assert!(
        vips > 0 && kept > 0,
        "the policy was consulted and kept some VIPs"
    );
}
