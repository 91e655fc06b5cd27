//! The message protocol of `omnisim serve`: what a client sends and what
//! it gets back, as JSON text frames of one message each.
//!
//! A client request carries an `id` (a number or a string, echoed in its
//! reply) and exactly one of:
//!
//! | key | value | does |
//! |---|---|---|
//! | `method` (+ `agent`, `args`) | a toolkit method's Salesforce name | calls it as that agent's console |
//! | `attach` | an agent or a list of agents | becomes their console |
//! | `detach` | an agent, a list, or `null` for all | hands them back to their synthetic behaviour |
//! | `advance` | a duration (`"30s"`, `90`) | stepped clock: runs the centre that much further |
//! | `advance_to` | a clock time (`"10:00"`) | stepped clock: runs the centre to that time |
//!
//! An agent is its number (`3`, counted from 0 across groups in scenario
//! order, as in `agents.csv`) or `"group:index"` (`"Support:0"`, the first
//! agent of group Support). A reply is `{id, ok: value}` or `{id, error:
//! {code, message}}`. Toolkit values take the shapes Salesforce documents
//! for `lightning:omniToolkitAPI` ([`wire_value`]); rejections carry the
//! [`ToolkitError`] variant's name as `code`. docs/serve.md documents every
//! field.
//!
//! Parsing is pure and runs on the web server's side, so malformed input
//! never reaches the centre.

use crate::toolkit::{AgentWorkInfo, StatusChannel, ToolkitError, ToolkitRequest, ToolkitValue};
use serde_json::{json, Map, Value};

/// The 12 methods of `lightning:omniToolkitAPI`, by their Salesforce names.
pub const METHODS: [&str; 12] = [
    "acceptAgentWork",
    "closeAgentWork",
    "declineAgentWork",
    "getAgentWorks",
    "getAgentWorkload",
    "getServicePresenceStatusChannels",
    "getServicePresenceStatusId",
    "login",
    "logout",
    "setServicePresenceStatus",
    "raiseAgentWorkFlag",
    "lowerAgentWorkFlag",
];

/// The keys a request may have at its top level.
const REQUEST_KEYS: [&str; 8] = [
    "id",
    "agent",
    "method",
    "args",
    "attach",
    "detach",
    "advance",
    "advance_to",
];

/// How a client names an agent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AgentRef {
    /// Its number across the scenario (`agents.csv`'s `agent`).
    Number(u32),
    /// Its place in its group: `"Support:0"`.
    Seat {
        /// The group's name.
        group: String,
        /// Counted from 0 within the group.
        index: u32,
    },
}

impl std::fmt::Display for AgentRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AgentRef::Number(n) => write!(f, "{n}"),
            AgentRef::Seat { group, index } => write!(f, "{group}:{index}"),
        }
    }
}

/// What a client asks, once parsed.
#[derive(Clone, Debug, PartialEq)]
pub enum Request {
    /// A toolkit call as the console of `agent` (the only attached agent
    /// when `None`).
    Call {
        /// Whose console.
        agent: Option<AgentRef>,
        /// The call.
        call: ToolkitRequest,
    },
    /// Become these agents' console.
    Attach(Vec<AgentRef>),
    /// Hand these agents back (`None`: every agent of this client).
    Detach(Option<Vec<AgentRef>>),
    /// Stepped clock: run the centre this much further.
    Advance(crate::time::SimDuration),
    /// Stepped clock: run the centre to this time (as typed; the centre
    /// reads it against the scenario's clock).
    AdvanceTo(String),
}

/// A request that cannot be served, as its reply says it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WireError {
    /// What kind of problem (a [`ToolkitError`] variant's name for a
    /// rejected toolkit call; see docs/serve.md for the protocol's own).
    pub code: &'static str,
    /// A sentence for the developer.
    pub message: String,
}

impl WireError {
    /// An error of the protocol itself.
    pub fn new(code: &'static str, message: impl Into<String>) -> WireError {
        WireError {
            code,
            message: message.into(),
        }
    }

    /// A toolkit rejection, named by its variant.
    pub fn toolkit(e: &ToolkitError) -> WireError {
        WireError::new(toolkit_code(e), e.to_string())
    }
}

/// The code of a toolkit rejection: the [`ToolkitError`] variant's name.
pub fn toolkit_code(e: &ToolkitError) -> &'static str {
    // `ToolkitError` is non-exhaustive: a variant added later gets the
    // generic code until it is named here.
    #[allow(unreachable_patterns)]
    match e {
        ToolkitError::NotLoggedIn => "NotLoggedIn",
        ToolkitError::AlreadyLoggedIn => "AlreadyLoggedIn",
        ToolkitError::InvalidArgument { .. } => "InvalidArgument",
        ToolkitError::UnknownWork { .. } => "UnknownWork",
        ToolkitError::WorkNotAssignedToAgent { .. } => "WorkNotAssignedToAgent",
        ToolkitError::InvalidWorkState { .. } => "InvalidWorkState",
        ToolkitError::DeclineNotAllowed => "DeclineNotAllowed",
        ToolkitError::InvalidDeclineReason { .. } => "InvalidDeclineReason",
        ToolkitError::UnknownStatus { .. } => "UnknownStatus",
        ToolkitError::StatusNotPermitted { .. } => "StatusNotPermitted",
        ToolkitError::Disconnected => "Disconnected",
        ToolkitError::UnexpectedReply { .. } => "UnexpectedReply",
        _ => "ToolkitError",
    }
}

/// Parses one text frame into its id (echoed in the reply; `Null` when
/// none could be read) and the request or why it cannot be served.
pub fn parse(text: &str) -> (Value, Result<Request, WireError>) {
    let value: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            return (
                Value::Null,
                Err(WireError::new(
                    "MalformedRequest",
                    format!("not JSON ({e}); expected an object such as {{\"id\": 1, \"method\": \"getAgentWorks\"}}"),
                )),
            )
        }
    };
    let Value::Object(map) = value else {
        return (
            Value::Null,
            Err(WireError::new(
                "MalformedRequest",
                format!("expected a JSON object, got {}", kind(&value)),
            )),
        );
    };
    let id = map.get("id").cloned().unwrap_or(Value::Null);
    let request = request(&map, &id);
    (id, request)
}

fn request(map: &Map<String, Value>, id: &Value) -> Result<Request, WireError> {
    if !matches!(id, Value::Number(_) | Value::String(_)) {
        return Err(WireError::new(
            "MalformedRequest",
            "every request needs an `id`, a number or a string, to match its reply",
        ));
    }
    if let Some(key) = map.keys().find(|k| !REQUEST_KEYS.contains(&k.as_str())) {
        return Err(WireError::new(
            "MalformedRequest",
            format!(
                "unknown key `{key}`; a request has `id` and one of `method` (with `agent`, `args`), \
                 `attach`, `detach`, `advance`, `advance_to`"
            ),
        ));
    }
    let verbs: Vec<&str> = ["method", "attach", "detach", "advance", "advance_to"]
        .into_iter()
        .filter(|k| map.contains_key(*k))
        .collect();
    if verbs.len() != 1 {
        return Err(WireError::new(
            "MalformedRequest",
            format!(
                "a request has exactly one of `method`, `attach`, `detach`, `advance`, `advance_to`; \
                 this one has {}",
                if verbs.is_empty() {
                    "none".to_string()
                } else {
                    verbs.join(" and ")
                }
            ),
        ));
    }
    let field = |k: &str| map.get(k).unwrap_or(&Value::Null);
    match verbs[0] {
        "method" => {
            let agent = match map.get("agent") {
                None | Some(Value::Null) => None,
                Some(v) => Some(agent_ref(v)?),
            };
            let call = toolkit_call(field("method"), map.get("args"))?;
            Ok(Request::Call { agent, call })
        }
        "attach" => Ok(Request::Attach(agent_list(field("attach"))?)),
        "detach" => match field("detach") {
            Value::Null => Ok(Request::Detach(None)),
            v => Ok(Request::Detach(Some(agent_list(v)?))),
        },
        "advance" => {
            let d = match field("advance") {
                Value::Number(n) => n
                    .as_f64()
                    .filter(|s| s.is_finite() && *s >= 0.0)
                    .map(crate::time::SimDuration::from_secs_f64)
                    .ok_or_else(|| format!("{n} is not a duration")),
                Value::String(s) => crate::time::parse_duration(s),
                v => Err(format!("got {}", kind(v))),
            };
            d.map(Request::Advance).map_err(|e| {
                WireError::new(
                    "InvalidArgument",
                    format!(
                        "`advance` takes a duration such as \"30s\", \"5m\" or 90 (seconds): {e}"
                    ),
                )
            })
        }
        _ => match field("advance_to") {
            Value::String(s) => Ok(Request::AdvanceTo(s.clone())),
            v => Err(WireError::new(
                "InvalidArgument",
                format!(
                    "`advance_to` takes a clock time such as \"10:00\", got {}",
                    kind(v)
                ),
            )),
        },
    }
}

fn agent_list(v: &Value) -> Result<Vec<AgentRef>, WireError> {
    match v {
        Value::Array(items) if !items.is_empty() => items.iter().map(agent_ref).collect(),
        Value::Array(_) => Err(WireError::new(
            "InvalidArgument",
            "the list of agents is empty; name at least one (a number or \"group:index\")",
        )),
        v => Ok(vec![agent_ref(v)?]),
    }
}

/// An agent as a client names it: a number, or `"group:index"`.
pub fn agent_ref(v: &Value) -> Result<AgentRef, WireError> {
    let bad = || {
        WireError::new(
            "InvalidArgument",
            format!(
                "an agent is its number (0, 1, …) or \"group:index\" such as \"Support:0\"; got {v}"
            ),
        )
    };
    match v {
        Value::Number(n) => n
            .as_u64()
            .and_then(|n| u32::try_from(n).ok())
            .map(AgentRef::Number)
            .ok_or_else(bad),
        Value::String(s) => {
            let (group, index) = s.rsplit_once(':').ok_or_else(bad)?;
            let index = index.trim().parse().map_err(|_| bad())?;
            if group.trim().is_empty() {
                return Err(bad());
            }
            Ok(AgentRef::Seat {
                group: group.trim().to_string(),
                index,
            })
        }
        _ => Err(bad()),
    }
}

/// A toolkit call from its Salesforce method name and argument object.
///
/// Argument keys are read as Salesforce documents them (`workId`,
/// `declineReason`, `message`, `statusId`); other keys are ignored, as the
/// real toolkit ignores them (`callback` of the older style among them).
/// A missing id is passed on empty, so the toolkit rejects it exactly as
/// it rejects an empty one (`InvalidArgument`).
pub fn toolkit_call(method: &Value, args: Option<&Value>) -> Result<ToolkitRequest, WireError> {
    let Value::String(name) = method else {
        return Err(WireError::new(
            "UnknownMethod",
            format!(
                "`method` must be a method name such as \"acceptAgentWork\", got {}",
                kind(method)
            ),
        ));
    };
    let empty = Map::new();
    let args = match args {
        None | Some(Value::Null) => &empty,
        Some(Value::Object(m)) => m,
        Some(v) => {
            return Err(WireError::new(
                "InvalidArgument",
                format!(
                    "`args` must be an object such as {{\"workId\": \"0Bz…\"}}, got {}",
                    kind(v)
                ),
            ))
        }
    };
    let text = |key: &'static str| -> Result<Option<String>, WireError> {
        match args.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(v) => Err(WireError::new(
                "InvalidArgument",
                format!("`{key}` must be a string, got {}", kind(v)),
            )),
        }
    };
    let id = |key: &'static str| text(key).map(Option::unwrap_or_default);
    Ok(match name.as_str() {
        "acceptAgentWork" => ToolkitRequest::AcceptAgentWork {
            work_id: id("workId")?,
        },
        "closeAgentWork" => ToolkitRequest::CloseAgentWork {
            work_id: id("workId")?,
        },
        "declineAgentWork" => ToolkitRequest::DeclineAgentWork {
            work_id: id("workId")?,
            decline_reason: text("declineReason")?,
        },
        "getAgentWorks" => ToolkitRequest::GetAgentWorks,
        "getAgentWorkload" => ToolkitRequest::GetAgentWorkload,
        "getServicePresenceStatusChannels" => ToolkitRequest::GetServicePresenceStatusChannels,
        "getServicePresenceStatusId" => ToolkitRequest::GetServicePresenceStatusId,
        "login" => ToolkitRequest::Login {
            status_id: id("statusId")?,
        },
        "logout" => ToolkitRequest::Logout,
        "setServicePresenceStatus" => ToolkitRequest::SetServicePresenceStatus {
            status_id: id("statusId")?,
        },
        "raiseAgentWorkFlag" => ToolkitRequest::RaiseAgentWorkFlag {
            work_id: id("workId")?,
            message: text("message")?,
        },
        "lowerAgentWorkFlag" => ToolkitRequest::LowerAgentWorkFlag {
            work_id: id("workId")?,
        },
        other => {
            let hint = METHODS
                .iter()
                .map(|m| {
                    (
                        strsim::jaro_winkler(&other.to_lowercase(), &m.to_lowercase()),
                        m,
                    )
                })
                .filter(|(score, _)| *score > 0.85)
                .max_by(|a, b| a.0.total_cmp(&b.0))
                .map(|(_, m)| format!("; did you mean `{m}`?"))
                .unwrap_or_else(|| format!("; the methods are {}", METHODS.join(", ")));
            return Err(WireError::new(
                "UnknownMethod",
                format!("`{other}` is not a method of lightning:omniToolkitAPI{hint}"),
            ));
        }
    })
}

/// A toolkit value in the shape Salesforce documents for the method:
/// `true` for actions; `{works: "<JSON>"}` (a string, which component
/// code passes to `JSON.parse`) of `{workId, workItemId, isEngaged}`;
/// the workload's four figures; `{channels: "<JSON>"}` of `{channelId,
/// developerName}`; `{statusName, statusApiName, statusId}`, with
/// `channels` (a JSON string too) after a status change.
pub fn wire_value(value: &ToolkitValue) -> Value {
    match value {
        ToolkitValue::Done(b) => Value::Bool(*b),
        ToolkitValue::Works(works) => json!({ "works": works_json(works) }),
        ToolkitValue::Workload(w) => json!({
            "configuredCapacity": w.configured_capacity,
            "currentWorkload": w.current_workload,
            "configuredInterruptibleCapacity": w.configured_interruptible_capacity,
            "currentInterruptibleWorkload": w.current_interruptible_workload,
        }),
        ToolkitValue::Channels(c) => json!({ "channels": channels_json(c) }),
        ToolkitValue::Status(s) => json!({
            "statusName": s.status_name,
            "statusApiName": s.status_api_name,
            "statusId": s.status_id,
        }),
        ToolkitValue::StatusSet(s) => json!({
            "statusName": s.status_name,
            "statusApiName": s.status_api_name,
            "statusId": s.status_id,
            "channels": channels_json(&s.channels),
        }),
    }
}

fn works_json(works: &[AgentWorkInfo]) -> String {
    let list: Vec<Value> = works
        .iter()
        .map(|w| {
            json!({
                "workId": w.work_id,
                "workItemId": w.work_item_id,
                "isEngaged": w.is_engaged,
            })
        })
        .collect();
    Value::Array(list).to_string()
}

/// A list of channels as the JSON string Salesforce hands over (methods
/// and `omniChannelStatusChanged` alike).
pub fn channels_json(channels: &[StatusChannel]) -> String {
    serde_json::to_string(channels).expect("channels serialize")
}

/// `{id, ok: value}`.
pub fn ok_reply(id: &Value, value: Value) -> String {
    json!({ "id": id, "ok": value }).to_string()
}

/// `{id, error: {code, message}}`.
pub fn error_reply(id: &Value, e: &WireError) -> String {
    json!({ "id": id, "error": { "code": e.code, "message": e.message } }).to_string()
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::omni::WorkStatus;
    use crate::toolkit::{AgentWorkload, PresenceStatusInfo, SetStatusResult};

    fn call(text: &str) -> Result<Request, WireError> {
        parse(text).1
    }

    #[test]
    fn every_method_parses_under_its_salesforce_name() {
        for m in METHODS {
            let r = call(&format!(
                r#"{{"id": 1, "method": "{m}", "args": {{"workId": "0Bz000000000001", "statusId": "0N5000000000000"}}}}"#
            ));
            assert!(
                matches!(r, Ok(Request::Call { agent: None, .. })),
                "{m}: {r:?}"
            );
        }
        assert_eq!(
            call(
                r#"{"id": "a", "agent": "Support:2", "method": "declineAgentWork", "args": {"workId": "0Bz1", "declineReason": "Busy", "callback": null}}"#
            ),
            Ok(Request::Call {
                agent: Some(AgentRef::Seat {
                    group: "Support".into(),
                    index: 2
                }),
                call: ToolkitRequest::DeclineAgentWork {
                    work_id: "0Bz1".into(),
                    decline_reason: Some("Busy".into())
                }
            })
        );
    }

    #[test]
    fn a_missing_id_argument_reaches_the_toolkit_empty() {
        assert_eq!(
            call(r#"{"id": 1, "agent": 0, "method": "acceptAgentWork"}"#),
            Ok(Request::Call {
                agent: Some(AgentRef::Number(0)),
                call: ToolkitRequest::AcceptAgentWork {
                    work_id: String::new()
                }
            })
        );
    }

    #[test]
    fn bad_input_gets_a_named_error_with_its_id() {
        let (id, r) = parse("{not json");
        assert_eq!((id, r.unwrap_err().code), (Value::Null, "MalformedRequest"));
        let (id, r) = parse(r#"{"id": 7, "method": "acceptAgentWorks"}"#);
        assert_eq!(id, json!(7));
        let e = r.unwrap_err();
        assert_eq!(e.code, "UnknownMethod");
        assert!(
            e.message.contains("did you mean `acceptAgentWork`?"),
            "{}",
            e.message
        );
        let e = call(r#"{"id": 1, "method": "acceptAgentWork", "args": "0Bz000000000001"}"#)
            .unwrap_err();
        assert_eq!(e.code, "InvalidArgument");
        assert!(e.message.contains("must be an object"), "{}", e.message);
        let e =
            call(r#"{"id": 1, "method": "acceptAgentWork", "args": {"workId": 5}}"#).unwrap_err();
        assert_eq!(e.message, "`workId` must be a string, got a number");
        for (text, needle) in [
            (r#"{"method": "logout"}"#, "needs an `id`"),
            (r#"{"id": 1}"#, "this one has none"),
            (
                r#"{"id": 1, "attach": 0, "advance": "1s"}"#,
                "attach and advance",
            ),
            (r#"{"id": 1, "metod": "logout"}"#, "unknown key `metod`"),
            (r#"[1]"#, "expected a JSON object, got an array"),
        ] {
            let e = call(text).unwrap_err();
            assert!(e.message.contains(needle), "{text}: {}", e.message);
        }
        assert_eq!(
            call(r#"{"id": 1, "attach": []}"#).unwrap_err().code,
            "InvalidArgument"
        );
        assert_eq!(
            call(r#"{"id": 1, "attach": "Support"}"#).unwrap_err().code,
            "InvalidArgument"
        );
        assert_eq!(
            call(r#"{"id": 1, "advance": "soon"}"#).unwrap_err().code,
            "InvalidArgument"
        );
        assert_eq!(
            call(r#"{"id": 1, "advance": -3}"#).unwrap_err().code,
            "InvalidArgument"
        );
    }

    #[test]
    fn clock_and_console_requests() {
        assert_eq!(
            call(r#"{"id": 1, "attach": [0, "Case team:1"]}"#),
            Ok(Request::Attach(vec![
                AgentRef::Number(0),
                AgentRef::Seat {
                    group: "Case team".into(),
                    index: 1
                }
            ]))
        );
        assert_eq!(
            call(r#"{"id": 1, "detach": null}"#),
            Ok(Request::Detach(None))
        );
        assert_eq!(
            call(r#"{"id": 1, "advance": "30s"}"#),
            Ok(Request::Advance(crate::time::SimDuration::from_secs(30)))
        );
        assert_eq!(
            call(r#"{"id": 1, "advance": 1.5}"#),
            Ok(Request::Advance(crate::time::SimDuration::from_secs_f64(
                1.5
            )))
        );
        assert_eq!(
            call(r#"{"id": 1, "advance_to": "10:00"}"#),
            Ok(Request::AdvanceTo("10:00".into()))
        );
    }

    #[test]
    fn values_take_salesforce_shapes() {
        assert_eq!(wire_value(&ToolkitValue::Done(true)), json!(true));
        let works = wire_value(&ToolkitValue::Works(vec![AgentWorkInfo {
            work_id: "0Bz000000000001".into(),
            work_item_id: "500000000000007".into(),
            is_engaged: false,
            status: WorkStatus::Assigned,
            queue: "Chat".into(),
            channel: "chat".into(),
            capacity_cost: 1.0,
            flagged: false,
        }]));
        let text = works["works"].as_str().expect("works is a JSON string");
        assert_eq!(
            serde_json::from_str::<Value>(text).unwrap(),
            json!([{"workId": "0Bz000000000001", "workItemId": "500000000000007", "isEngaged": false}])
        );
        let load = wire_value(&ToolkitValue::Workload(AgentWorkload {
            configured_capacity: 2.0,
            current_workload: 1.0,
            configured_interruptible_capacity: 2.0,
            current_interruptible_workload: 0.0,
        }));
        assert_eq!(
            load,
            json!({"configuredCapacity": 2.0, "currentWorkload": 1.0,
                   "configuredInterruptibleCapacity": 2.0, "currentInterruptibleWorkload": 0.0})
        );
        let channel = StatusChannel {
            channel_id: "0N9000000000000".into(),
            developer_name: "chat".into(),
        };
        let ch = wire_value(&ToolkitValue::Channels(vec![channel.clone()]));
        assert_eq!(
            ch["channels"],
            json!(r#"[{"channelId":"0N9000000000000","developerName":"chat"}]"#)
        );
        let st = wire_value(&ToolkitValue::Status(PresenceStatusInfo {
            status_name: "Available - Chat".into(),
            status_api_name: "Available".into(),
            status_id: "0N5000000000000".into(),
        }));
        assert_eq!(st["statusApiName"], "Available");
        let set = wire_value(&ToolkitValue::StatusSet(SetStatusResult {
            status_name: "x".into(),
            status_api_name: "X".into(),
            status_id: "0N5000000000001".into(),
            channels: vec![channel],
        }));
        assert!(set["channels"].is_string());
        assert_eq!(
            error_reply(&json!(3), &WireError::toolkit(&ToolkitError::NotLoggedIn)),
            r#"{"error":{"code":"NotLoggedIn","message":"the agent is not logged in to omni-channel; call login or set_service_presence_status first"},"id":3}"#
        );
    }
}
