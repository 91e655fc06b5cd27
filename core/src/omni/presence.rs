//! Channels, presence statuses and presence configurations.

use super::{ChannelId, StatusId};
use crate::time::SimDuration;
use serde::Serialize;

/// A kind of work (ServiceChannel): chat, case, voice, …
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ServiceChannel {
    /// Developer name, as queues and statuses refer to it.
    pub name: String,
    /// An item declined (or let time out) by every agent available for it
    /// ends as "no available agent" instead of waiting (live chat;
    /// omni-reference §12.6).
    pub ends_when_all_decline: bool,
    /// Its items count against the interruptible capacity unless their
    /// routing configuration says otherwise (omni-reference §12.4).
    pub interruptible: bool,
    /// Whether open tabs or work status hold capacity (§12.5).
    pub capacity_model: CapacityModel,
    /// Status-based only: how long an agent may stay logged out holding
    /// opened work before the work goes back to the queue; `None` = it
    /// waits for the agent.
    pub reassign_after: Option<SimDuration>,
    /// When its interruptible items progress (omni-reference §12.4).
    pub interruptible_progress: InterruptibleProgress,
}

/// When an agent works on the interruptible items it holds (omni-reference
/// §12.4): capacity is not effort. An interruptible item counts in its
/// pool from the push to the close whatever happens; the question is when
/// its handle time runs.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum InterruptibleProgress {
    /// Only while the agent holds no primary work in progress: a chat or
    /// a call interrupts the email, which waits, still assigned and
    /// counted, until the agent is free of primary work again.
    #[default]
    Idle,
    /// All the time, alongside primary work: for work that mostly waits
    /// on someone else (a case waiting on a third party).
    Parallel,
}

impl InterruptibleProgress {
    /// The scenario-file spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            InterruptibleProgress::Idle => "idle",
            InterruptibleProgress::Parallel => "parallel",
        }
    }
}

/// How a channel's work holds capacity (omni-reference §7, §12.5).
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CapacityModel {
    /// Open work holds capacity while its tab is open: logging out closes
    /// it.
    #[default]
    Tab,
    /// Work holds capacity while its status says it is in progress:
    /// logging out keeps opened work assigned and counted.
    Status,
}

/// A presence status (ServicePresenceStatus). With channels it is *online*:
/// the agent receives work from those channels. Without, it is *busy*:
/// logged in but receiving nothing. Offline is not a status but "not
/// logged in".
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PresenceStatus {
    /// API name (`Available_Chat`); what scenarios and traces use.
    pub api_name: String,
    /// Label shown to agents (`Available - Chat`).
    pub label: String,
    /// Channels this status lets the agent receive, in scenario order.
    pub channels: Vec<ChannelId>,
}

impl PresenceStatus {
    /// Whether an agent in this status can receive work.
    pub fn is_online(&self) -> bool {
        !self.channels.is_empty()
    }

    /// Whether this status receives work from `channel`.
    pub fn has_channel(&self, channel: ChannelId) -> bool {
        self.channels.contains(&channel)
    }
}

/// Per-agent settings (PresenceUserConfig).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PresenceConfiguration {
    /// Name, as agent groups refer to it.
    pub name: String,
    /// Units of work an agent holds at once.
    pub capacity: u32,
    /// Separate pool for interruptible work (omni-reference §12.4);
    /// Salesforce defaults it to `capacity`.
    pub interruptible_capacity: u32,
    /// Whether the agent may decline a push (exclusive with auto-accept).
    pub allow_decline: bool,
    /// Reasons the agent may give when declining; empty = any or none.
    pub decline_reasons: Vec<String>,
    /// Pushed work is accepted at once, without the agent answering.
    pub auto_accept: bool,
    /// Status applied after a decline (reason `OmniDeclineWork`).
    pub status_on_decline: Option<StatusId>,
    /// Status applied after a push timeout (reason `OmniPushTimeout`).
    pub status_on_push_timeout: Option<StatusId>,
}
