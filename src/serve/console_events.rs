//! Console events as a remote console receives them: the Lightning event's
//! name and the parameters Salesforce documents for it (omni-reference §3).
//!
//! | event | params |
//! |---|---|
//! | `lightning:omniChannelLoginSuccess` | `statusId` |
//! | `lightning:omniChannelStatusChanged` | `statusId`, `channels` (a JSON string), `statusName`, `statusApiName`, `reason` |
//! | `lightning:omniChannelLogout` | none (`reason` is for forced logouts only) |
//! | `lightning:omniChannelWorkAssigned`, `…WorkAccepted`, `…WorkClosed` | `workId`, `workItemId` |
//! | `lightning:omniChannelWorkDeclined` | `workId`, `workItemId`, and omnisim's `onPushTimeout` |
//! | `lightning:omniChannelWorkFlagUpdated` | `workId`, `isFlagged`, `message`, `roleUpdatedBy`, `updatedBy` |
//! | `lightning:omniChannelWorkloadChanged` | `configuredCapacity`, `previousWorkload`, `newWorkload`, `configuredInterruptibleCapacity`, `previousInterruptibleWorkload`, `newInterruptibleWorkload` |
//!
//! State changes Salesforce has no console event for (an assigned work
//! made unavailable or canceled, a transfer, a pause) are not sent: a
//! console learns of them as it would in an org, from
//! `omniChannelWorkloadChanged` and `getAgentWorks`.

use super::protocol::channels_json;
use crate::events::EventKind;
use crate::omni::AgentId;
use crate::scenario::Scenario;
use crate::toolkit::{PresenceStatusInfo, StatusChannel};
use serde_json::{json, Value};

/// The user id of an agent, as `updatedBy` names it: Salesforce's `005`
/// prefix of User records and the agent's number.
pub fn user_id(agent: AgentId) -> String {
    format!("005{:012}", agent.0)
}

/// The Lightning event name and its parameters for `kind`, or `None` for a
/// state change without a console event.
pub fn console_event(scenario: &Scenario, kind: &EventKind) -> Option<(&'static str, Value)> {
    Some(match kind {
        EventKind::LoginSuccess { status, .. } => (
            "lightning:omniChannelLoginSuccess",
            json!({ "statusId": status.to_string() }),
        ),
        EventKind::StatusChanged { status, reason, .. } => {
            let info = PresenceStatusInfo::of(scenario, *status);
            (
                "lightning:omniChannelStatusChanged",
                json!({
                    "statusId": info.status_id,
                    "channels": channels_json(&StatusChannel::of_status(scenario, *status)),
                    "statusName": info.status_name,
                    "statusApiName": info.status_api_name,
                    "reason": reason,
                }),
            )
        }
        EventKind::Logout { .. } => ("lightning:omniChannelLogout", json!({})),
        EventKind::WorkAssigned { work, item, .. } => (
            "lightning:omniChannelWorkAssigned",
            json!({ "workId": work.to_string(), "workItemId": item.to_string() }),
        ),
        EventKind::WorkAccepted { work, item, .. } => (
            "lightning:omniChannelWorkAccepted",
            json!({ "workId": work.to_string(), "workItemId": item.to_string() }),
        ),
        EventKind::WorkDeclined {
            work,
            item,
            on_push_timeout,
            ..
        } => (
            "lightning:omniChannelWorkDeclined",
            json!({
                "workId": work.to_string(),
                "workItemId": item.to_string(),
                "onPushTimeout": on_push_timeout,
            }),
        ),
        EventKind::WorkClosed { work, item, .. } => (
            "lightning:omniChannelWorkClosed",
            json!({ "workId": work.to_string(), "workItemId": item.to_string() }),
        ),
        EventKind::WorkFlagUpdated {
            work,
            agent,
            is_flagged,
            message,
        } => (
            "lightning:omniChannelWorkFlagUpdated",
            json!({
                "workId": work.to_string(),
                "isFlagged": is_flagged,
                "message": message,
                "roleUpdatedBy": "AGENT",
                "updatedBy": user_id(*agent),
            }),
        ),
        EventKind::WorkloadChanged {
            configured_capacity,
            previous_workload,
            new_workload,
            configured_interruptible_capacity,
            previous_interruptible_workload,
            new_interruptible_workload,
            ..
        } => (
            "lightning:omniChannelWorkloadChanged",
            json!({
                "configuredCapacity": configured_capacity.as_f64(),
                "previousWorkload": previous_workload.as_f64(),
                "newWorkload": new_workload.as_f64(),
                "configuredInterruptibleCapacity": configured_interruptible_capacity.as_f64(),
                "previousInterruptibleWorkload": previous_interruptible_workload.as_f64(),
                "newInterruptibleWorkload": new_interruptible_workload.as_f64(),
            }),
        ),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::StatusChangeReason;
    use crate::omni::{AgentWorkId, CapacityUnits, QueueId, StatusId, WorkItemId};

    fn scenario() -> Scenario {
        Scenario::from_path("scenarios/quickstart.toml".as_ref()).unwrap()
    }

    #[test]
    fn payloads_carry_the_documented_fields() {
        let s = scenario();
        let (name, p) = console_event(
            &s,
            &EventKind::StatusChanged {
                agent: AgentId(0),
                status: StatusId(0),
                online: true,
                reason: StatusChangeReason::OmniLoginStatusChange,
            },
        )
        .unwrap();
        assert_eq!(name, "lightning:omniChannelStatusChanged");
        assert_eq!(p["statusApiName"], "Available");
        assert_eq!(p["statusName"], "Available - Chat and Cases");
        assert_eq!(p["reason"], "OmniLoginStatusChange");
        let channels: Value = serde_json::from_str(p["channels"].as_str().unwrap()).unwrap();
        assert_eq!(channels[1]["developerName"], "case");
        let (name, p) = console_event(
            &s,
            &EventKind::WorkDeclined {
                work: AgentWorkId(3),
                item: WorkItemId(9),
                queue: QueueId(0),
                agent: AgentId(0),
                reason: None,
                on_push_timeout: true,
            },
        )
        .unwrap();
        assert_eq!(name, "lightning:omniChannelWorkDeclined");
        assert_eq!(
            p,
            json!({"workId": "0Bz000000000003", "workItemId": "500000000000009", "onPushTimeout": true})
        );
        let (_, p) = console_event(
            &s,
            &EventKind::WorkFlagUpdated {
                work: AgentWorkId(3),
                agent: AgentId(4),
                is_flagged: true,
                message: Some("help".into()),
            },
        )
        .unwrap();
        assert_eq!(p["updatedBy"], "005000000000004");
        assert_eq!(p["roleUpdatedBy"], "AGENT");
        let (_, p) = console_event(
            &s,
            &EventKind::WorkloadChanged {
                agent: AgentId(0),
                configured_capacity: CapacityUnits::whole(2),
                previous_workload: CapacityUnits::whole(0),
                new_workload: CapacityUnits::whole(1),
                configured_interruptible_capacity: CapacityUnits::whole(2),
                previous_interruptible_workload: CapacityUnits::whole(0),
                new_interruptible_workload: CapacityUnits::whole(0),
            },
        )
        .unwrap();
        assert_eq!(p["newWorkload"], 1.0);
        assert!(console_event(&s, &EventKind::Logout { agent: AgentId(0) }).is_some());
        assert!(console_event(&s, &EventKind::AgentAbsent { agent: AgentId(0) }).is_none());
    }
}
