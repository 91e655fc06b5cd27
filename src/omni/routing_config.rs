//! Queue routing configuration (QueueRoutingConfig).

use super::CapacityCost;
use crate::time::SimDuration;
use serde::Serialize;

/// How the router picks among eligible agents (omni-reference §6.5).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RoutingModel {
    /// Largest free capacity (`capacity − load`) first.
    MostAvailable,
    /// Smallest current load first.
    LeastActive,
}

impl RoutingModel {
    /// The scenario-file spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            RoutingModel::MostAvailable => "most_available",
            RoutingModel::LeastActive => "least_active",
        }
    }
}

/// How a queue's items are routed.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RoutingConfiguration {
    /// Agent choice rule.
    pub model: RoutingModel,
    /// Lower is routed first, strictly across queues.
    pub priority: i32,
    /// Time an agent has to answer a push; `None` = never times out.
    pub push_timeout: Option<SimDuration>,
    /// What one item costs an agent.
    pub cost: CapacityCost,
}
