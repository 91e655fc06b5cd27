//! Omni-Channel's vocabulary as plain data: no actors, no I/O.
//!
//! Names follow Salesforce's objects so an admin recognises them:
//! [`ServiceChannel`], [`PresenceStatus`], [`PresenceConfiguration`],
//! [`AgentWork`] and its [`WorkStatus`], [`RoutingConfiguration`] with its
//! [`RoutingModel`] and [`RoutingType`], [`Skill`] and
//! [`SkillRequirement`], and capacity in [`CapacityUnits`].

mod capacity;
mod ids;
mod presence;
mod routing_config;
mod skill;
mod work;

pub use capacity::{
    CapacityCost, CapacityPool, CapacityUnits, MAX_OPEN_ITEMS, PERCENTAGE_DECIMALS,
};
pub use ids::{AgentId, AgentWorkId, ChannelId, ConfigId, QueueId, SkillId, StatusId, WorkItemId};
pub use presence::{
    CapacityModel, InterruptibleProgress, PresenceConfiguration, PresenceStatus, ServiceChannel,
};
pub use routing_config::{RoutingConfiguration, RoutingModel, RoutingType};
pub use skill::{Skill, SkillRequirement};
pub use work::{AgentWork, RetrialOf, TransferStep, WorkItem, WorkStatus};
