//! Queue routing configuration (QueueRoutingConfig).

use super::{CapacityCost, CapacityPool, SkillRequirement};
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
    /// Omni-Channel does not choose: a [`crate::routing::RoutingPolicy`]
    /// supplied by the library user does (omni-reference §6.5).
    External,
}

impl RoutingModel {
    /// The scenario-file spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            RoutingModel::MostAvailable => "most_available",
            RoutingModel::LeastActive => "least_active",
            RoutingModel::External => "external",
        }
    }
}

/// Who may take a queue's items (`QueueRoutingConfig` queue-based or
/// skills-based routing; omni-reference §12.1, §12.2).
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RoutingType {
    /// Members of the queue, online on its channel.
    #[default]
    Queue,
    /// Agents with every skill the item requires, queue membership aside.
    Skills,
}

impl RoutingType {
    /// The scenario-file spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            RoutingType::Queue => "queue",
            RoutingType::Skills => "skills",
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
    /// Which capacity it counts against: `capacity_type` of the file, with
    /// "inherit" resolved from the channel.
    pub pool: CapacityPool,
    /// What a paused item costs instead (status-based channels, §12.5);
    /// `None` = pausing frees nothing.
    pub paused_cost: Option<CapacityCost>,
    /// Queue-based or skills-based.
    pub routing_type: RoutingType,
    /// Skills every item routed with this configuration needs (skills-based
    /// only).
    pub skills: Vec<SkillRequirement>,
    /// `DropAdditionalSkillsTimeout`: how long an item waits for an agent
    /// with all its skills before the next group of additional skills is
    /// dropped; `None` = never dropped.
    pub drop_additional_skills_timeout: Option<SimDuration>,
}
