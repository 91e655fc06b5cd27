//! The scenario file exactly as written: serde structs that mirror the TOML,
//! before defaults and cross-checks.
//!
//! Every key is optional here, even required ones, so that a missing key is
//! reported by [`super::validate`] with the item's name and position rather
//! than by serde's bare "missing field". Values that a later check may
//! reject are wrapped in [`Spanned`] so the error can point at them.
//! `deny_unknown_fields` everywhere: a misspelled key must be an error, never
//! a silently applied default.

use super::error::{list_keys, suggest, ScenarioError, ScenarioErrorKind};
use crate::time::{parse_duration, SimDuration, MAX_DURATION, MICROS_PER_SEC};
use serde::de::{self, Deserialize, Deserializer};
use std::fmt;
use toml::Spanned;

/// The whole file.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawScenario {
    pub simulation: Option<Spanned<RawSimulation>>,
    pub channels: Option<Vec<Spanned<RawChannel>>>,
    pub statuses: Option<Vec<Spanned<RawStatus>>>,
    pub skills: Option<Vec<Spanned<RawSkill>>>,
    pub presence_configs: Option<Vec<Spanned<RawPresenceConfig>>>,
    pub queues: Option<Vec<Spanned<RawQueue>>>,
    pub arrivals: Option<Vec<Spanned<RawArrivals>>>,
    pub agents: Option<Vec<Spanned<RawAgents>>>,
}

/// `[simulation]`.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields, expecting = "a [simulation] table")]
pub(crate) struct RawSimulation {
    pub name: Option<Spanned<String>>,
    pub duration: Option<Spanned<RawDuration>>,
    pub warmup: Option<Spanned<RawDuration>>,
    pub seed: Option<Spanned<i64>>,
    pub replications: Option<Spanned<i64>>,
    pub interval: Option<Spanned<RawDuration>>,
    pub service_level_threshold: Option<Spanned<RawDuration>>,
    pub start: Option<Spanned<String>>,
    pub busyness: Option<Spanned<RawBusyness>>,
}

/// `busyness = { dist = "gamma", cv = 0.1 }`.
#[derive(Debug, serde::Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a busyness table such as { dist = \"gamma\", cv = 0.1 }"
)]
pub(crate) struct RawBusyness {
    pub dist: Option<Spanned<String>>,
    pub cv: Option<Spanned<f64>>,
}

/// `[[channels]]`.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields, expecting = "a [[channels]] table")]
pub(crate) struct RawChannel {
    pub name: Option<Spanned<String>>,
    pub ends_when_all_decline: Option<Spanned<bool>>,
    pub interruptible: Option<Spanned<bool>>,
    pub capacity_model: Option<Spanned<String>>,
    pub reassign_after: Option<Spanned<RawDuration>>,
    pub interruptible_progress: Option<Spanned<String>>,
}

/// `[[skills]]`.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields, expecting = "a [[skills]] table")]
pub(crate) struct RawSkill {
    pub name: Option<Spanned<String>>,
}

/// `{ skill = "French", level = 5, additional = true, priority = 1 }`.
#[derive(Debug, serde::Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a skill requirement such as { skill = \"French\", level = 5 }"
)]
pub(crate) struct RawSkillReq {
    pub skill: Option<Spanned<String>>,
    pub level: Option<Spanned<i64>>,
    pub additional: Option<Spanned<bool>>,
    pub priority: Option<Spanned<i64>>,
}

/// `{ choose = { English = 0.7, French = 0.3 }, level = 5 }`.
#[derive(Debug, serde::Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a skill choice such as { choose = { English = 0.7, French = 0.3 }, level = 5 }"
)]
pub(crate) struct RawSkillChoice {
    pub choose: Option<Spanned<std::collections::BTreeMap<String, Spanned<f64>>>>,
    pub level: Option<Spanned<i64>>,
    pub additional: Option<Spanned<bool>>,
    pub priority: Option<Spanned<i64>>,
}

/// `secondary_priority = 1` or `{ values = [0, 1], p = [0.1, 0.9] }`.
///
/// Deserialized by hand rather than as an untagged enum: an untagged enum
/// buffers its input, which loses the spans the `Spanned` entries need, so
/// the table form would never parse.
#[derive(Debug)]
pub(crate) enum RawSecondary {
    Fixed(i64),
    Discrete {
        values: Vec<Spanned<i64>>,
        p: Vec<Spanned<f64>>,
    },
}

/// The table form of [`RawSecondary`].
#[derive(Debug, serde::Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a table such as { values = [0, 1], p = [0.1, 0.9] }"
)]
struct RawSecondaryTable {
    values: Vec<Spanned<i64>>,
    p: Vec<Spanned<f64>>,
}

impl<'de> Deserialize<'de> for RawSecondary {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<RawSecondary, D::Error> {
        struct Visitor;
        impl<'de> de::Visitor<'de> for Visitor {
            type Value = RawSecondary;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(
                    "a whole number such as 1, or a table such as { values = [0, 1], p = [0.1, 0.9] }",
                )
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<RawSecondary, E> {
                Ok(RawSecondary::Fixed(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<RawSecondary, E> {
                Ok(RawSecondary::Fixed(i64::try_from(v).unwrap_or(i64::MAX)))
            }
            fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<RawSecondary, A::Error> {
                RawSecondaryTable::deserialize(de::value::MapAccessDeserializer::new(map)).map(
                    |t| RawSecondary::Discrete {
                        values: t.values,
                        p: t.p,
                    },
                )
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// `[[statuses]]`.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields, expecting = "a [[statuses]] table")]
pub(crate) struct RawStatus {
    pub name: Option<Spanned<String>>,
    pub label: Option<Spanned<String>>,
    pub channels: Option<Vec<Spanned<String>>>,
}

/// `[[presence_configs]]`.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields, expecting = "a [[presence_configs]] table")]
pub(crate) struct RawPresenceConfig {
    pub name: Option<Spanned<String>>,
    pub capacity: Option<Spanned<i64>>,
    pub interruptible_capacity: Option<Spanned<i64>>,
    pub allow_decline: Option<Spanned<bool>>,
    pub decline_reasons: Option<Spanned<Vec<Spanned<String>>>>,
    pub auto_accept: Option<Spanned<bool>>,
    pub status_on_decline: Option<Spanned<String>>,
    pub status_on_push_timeout: Option<Spanned<String>>,
}

/// `[[queues]]`.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields, expecting = "a [[queues]] table")]
pub(crate) struct RawQueue {
    pub name: Option<Spanned<String>>,
    pub channel: Option<Spanned<String>>,
    pub routing_model: Option<Spanned<String>>,
    pub priority: Option<Spanned<i64>>,
    pub push_timeout: Option<Spanned<RawDuration>>,
    pub capacity_weight: Option<Spanned<i64>>,
    pub capacity_percentage: Option<Spanned<f64>>,
    pub routing: Option<Spanned<String>>,
    pub skills: Option<Spanned<Vec<Spanned<RawSkillReq>>>>,
    pub drop_additional_skills_timeout: Option<Spanned<RawDuration>>,
    pub service_level_threshold: Option<Spanned<RawDuration>>,
    pub target_service_level: Option<Spanned<f64>>,
    pub max_abandon_rate: Option<Spanned<f64>>,
    pub max_asa: Option<Spanned<RawDuration>>,
    pub max_occupancy: Option<Spanned<f64>>,
    pub target_window: Option<Spanned<String>>,
    pub capacity_type: Option<Spanned<String>>,
    pub paused_capacity_weight: Option<Spanned<i64>>,
    pub paused_capacity_percentage: Option<Spanned<f64>>,
}

/// `[[arrivals]]`.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields, expecting = "an [[arrivals]] table")]
pub(crate) struct RawArrivals {
    pub queue: Option<Spanned<String>>,
    pub rate_per_hour: Option<Spanned<f64>>,
    pub rate_profile: Option<Spanned<Vec<Spanned<f64>>>>,
    pub rate_profile_csv: Option<Spanned<String>>,
    pub handle_time: Option<Spanned<RawDist>>,
    pub patience: Option<Spanned<RawDist>>,
    pub wrap_up: Option<Spanned<RawDist>>,
    pub skills: Option<Spanned<Vec<Spanned<RawSkillReq>>>>,
    pub skill_mix: Option<Spanned<Vec<Spanned<RawSkillChoice>>>>,
    pub priority: Option<Spanned<i64>>,
    pub secondary_priority: Option<Spanned<RawSecondary>>,
    pub transfer: Option<Spanned<RawTransfer>>,
    pub forecast_csv: Option<Spanned<String>>,
    pub retrial: Option<Spanned<RawRetrial>>,
}

/// `retrial = { probability = 0.4, delay = { dist = "exponential", mean = "10m" } }`.
#[derive(Debug, serde::Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a retrial table such as { probability = 0.4, delay = \"10m\" }"
)]
pub(crate) struct RawRetrial {
    pub probability: Option<Spanned<f64>>,
    pub delay: Option<Spanned<RawDist>>,
}

/// `transfer = { probability = 0.1, to_queue = "Loans", after = "2m" }`.
#[derive(Debug, serde::Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a transfer table such as { probability = 0.1, to_queue = \"Loans\", after = \"2m\" }"
)]
pub(crate) struct RawTransfer {
    pub probability: Option<Spanned<f64>>,
    pub to_queue: Option<Spanned<String>>,
    pub after: Option<Spanned<RawDist>>,
}

/// `[[agents]]`.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields, expecting = "an [[agents]] table")]
pub(crate) struct RawAgents {
    pub group: Option<Spanned<String>>,
    pub count: Option<Spanned<i64>>,
    pub presence_config: Option<Spanned<String>>,
    pub status: Option<Spanned<String>>,
    pub allowed_statuses: Option<Vec<Spanned<String>>>,
    pub queues: Option<Spanned<Vec<Spanned<String>>>>,
    pub skills: Option<Spanned<std::collections::BTreeMap<String, Spanned<i64>>>>,
    pub response_time: Option<Spanned<RawDist>>,
    pub accept_probability: Option<Spanned<f64>>,
    pub no_answer_probability: Option<Spanned<f64>>,
    pub wrap_up: Option<Spanned<RawDist>>,
    pub return_to_status_after: Option<Spanned<RawDuration>>,
    pub shift: Option<Spanned<RawShift>>,
    pub shift_end: Option<Spanned<String>>,
    pub shift_end_status: Option<Spanned<String>>,
    pub pause_probability: Option<Spanned<f64>>,
    pub pause_duration: Option<Spanned<RawDist>>,
    pub shifts: Option<Spanned<Vec<Spanned<RawShift>>>>,
    pub break_lateness: Option<Spanned<RawDist>>,
    pub roster_csv: Option<Spanned<String>>,
    pub absence: Option<Spanned<f64>>,
    pub cost_per_hour: Option<Spanned<f64>>,
    pub min_agents: Option<Spanned<i64>>,
    pub max_agents: Option<Spanned<i64>>,
    pub plan_fixed: Option<Spanned<bool>>,
}

/// `shift = { start = …, end = … }`, and each item of `shifts`.
#[derive(Debug, serde::Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a shift table such as { start = \"08:00\", end = \"16:30\" }"
)]
pub(crate) struct RawShift {
    pub start: Option<Spanned<RawTime>>,
    pub end: Option<Spanned<RawTime>>,
    pub count: Option<Spanned<i64>>,
    pub breaks: Option<Spanned<Vec<Spanned<RawBreak>>>>,
}

/// `{ start = "12:00", duration = "30m", status = "Lunch" }` in a shift's
/// `breaks`.
#[derive(Debug, serde::Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a break table such as { start = \"12:00\", duration = \"30m\", status = \"Lunch\" }"
)]
pub(crate) struct RawBreak {
    pub start: Option<Spanned<RawTime>>,
    pub duration: Option<Spanned<RawDuration>>,
    pub status: Option<Spanned<String>>,
}

/// A moment of the simulated day as written: a clock time (`"12:00"`) or
/// a duration from `[simulation] start` (`"4h"`, `3600`); see
/// [`crate::clock`].
#[derive(Clone, Debug)]
pub(crate) struct RawTime {
    pub at: TimeOfDay,
    /// As written, for messages.
    pub written: String,
}

/// The two forms of [`RawTime`].
#[derive(Copy, Clone, Debug)]
pub(crate) enum TimeOfDay {
    /// Time since midnight.
    Clock(SimDuration),
    /// Time since `start`.
    FromStart(SimDuration),
}

impl RawTime {
    /// The offset from `start` this time stands for on `clock`.
    pub(crate) fn offset(&self, clock: &crate::clock::DayClock) -> SimDuration {
        match self.at {
            TimeOfDay::Clock(t) => clock.offset_of(t),
            TimeOfDay::FromStart(d) => d,
        }
    }

    /// Parses the text form.
    pub(crate) fn from_text(text: &str) -> Result<RawTime, String> {
        let at = if crate::clock::looks_like_clock_time(text) {
            TimeOfDay::Clock(crate::clock::parse_time_of_day(text)?)
        } else {
            TimeOfDay::FromStart(RawDuration::from_text(text)?.value)
        };
        Ok(RawTime {
            at,
            written: format!("\"{}\"", text.trim()),
        })
    }

    fn from_secs(secs: f64, written: String) -> Result<RawTime, String> {
        Ok(RawTime {
            at: TimeOfDay::FromStart(RawDuration::from_secs(secs, written.clone())?.value),
            written,
        })
    }
}

impl<'de> Deserialize<'de> for RawTime {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<RawTime, D::Error> {
        struct Visitor;
        impl<'de> de::Visitor<'de> for Visitor {
            type Value = RawTime;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(
                    "a time: a clock time such as \"12:00\", or a duration from the start such as \"4h\"",
                )
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawTime, E> {
                RawTime::from_text(v).map_err(E::custom)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<RawTime, E> {
                RawTime::from_secs(v as f64, v.to_string()).map_err(E::custom)
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<RawTime, E> {
                RawTime::from_secs(v as f64, v.to_string()).map_err(E::custom)
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<RawTime, E> {
                RawTime::from_secs(v, v.to_string()).map_err(E::custom)
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// The keys of each table, in the order the docs list them. Used to tell a
/// user that a key belongs to another section; a unit test keeps these in
/// step with the structs above.
pub(crate) const SECTION_KEYS: &[(&str, &[&str])] = &[
    (
        "",
        &[
            "simulation",
            "channels",
            "statuses",
            "skills",
            "presence_configs",
            "queues",
            "arrivals",
            "agents",
        ],
    ),
    (
        "simulation",
        &[
            "name",
            "duration",
            "warmup",
            "seed",
            "replications",
            "interval",
            "service_level_threshold",
            "start",
            "busyness",
        ],
    ),
    ("busyness", &["dist", "cv"]),
    (
        "channels",
        &[
            "name",
            "ends_when_all_decline",
            "interruptible",
            "capacity_model",
            "reassign_after",
            "interruptible_progress",
        ],
    ),
    ("skills", &["name"]),
    ("statuses", &["name", "label", "channels"]),
    (
        "presence_configs",
        &[
            "name",
            "capacity",
            "interruptible_capacity",
            "allow_decline",
            "decline_reasons",
            "auto_accept",
            "status_on_decline",
            "status_on_push_timeout",
        ],
    ),
    (
        "queues",
        &[
            "name",
            "channel",
            "routing_model",
            "priority",
            "push_timeout",
            "capacity_weight",
            "capacity_percentage",
            "routing",
            "skills",
            "drop_additional_skills_timeout",
            "service_level_threshold",
            "target_service_level",
            "max_abandon_rate",
            "max_asa",
            "max_occupancy",
            "target_window",
            "capacity_type",
            "paused_capacity_weight",
            "paused_capacity_percentage",
        ],
    ),
    (
        "arrivals",
        &[
            "queue",
            "rate_per_hour",
            "rate_profile",
            "rate_profile_csv",
            "handle_time",
            "patience",
            "wrap_up",
            "skills",
            "skill_mix",
            "priority",
            "secondary_priority",
            "transfer",
            "forecast_csv",
            "retrial",
        ],
    ),
    ("transfer", &["probability", "to_queue", "after"]),
    ("retrial", &["probability", "delay"]),
    (
        "agents",
        &[
            "group",
            "count",
            "presence_config",
            "status",
            "allowed_statuses",
            "queues",
            "skills",
            "response_time",
            "accept_probability",
            "no_answer_probability",
            "wrap_up",
            "return_to_status_after",
            "shift",
            "shift_end",
            "shift_end_status",
            "pause_probability",
            "pause_duration",
            "shifts",
            "break_lateness",
            "roster_csv",
            "absence",
            "cost_per_hour",
            "min_agents",
            "max_agents",
            "plan_fixed",
        ],
    ),
    ("shift", &["start", "end", "count", "breaks"]),
    ("break", &["start", "duration", "status"]),
    (
        "skill requirement",
        &["skill", "level", "additional", "priority"],
    ),
    (
        "skill choice",
        &["choose", "level", "additional", "priority"],
    ),
    (
        "distribution",
        &["dist", "value", "mean", "sd", "min", "max", "values", "csv"],
    ),
];

/// A duration as written: a string with units or a number of seconds.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct RawDuration {
    /// Rounded to the simulator's microsecond tick.
    pub value: SimDuration,
    /// Unrounded seconds, for distribution parameters.
    pub secs: f64,
    /// As written (`"6m"` or `360`), for messages.
    pub written: String,
}

impl RawDuration {
    /// A duration from a number of seconds, rejecting what no clock can show.
    pub(crate) fn from_secs(secs: f64, written: String) -> Result<RawDuration, String> {
        if !secs.is_finite() {
            return Err(format!(
                "{written} is not a duration; expected a finite number of seconds"
            ));
        }
        if secs < 0.0 {
            return Err(format!(
                "{written} seconds is negative; expected a duration of 0 or more"
            ));
        }
        if secs * MICROS_PER_SEC as f64 > MAX_DURATION.0 as f64 {
            return Err(crate::time::out_of_range(&format!("{written} seconds")));
        }
        Ok(RawDuration {
            value: SimDuration::from_secs_f64(secs),
            secs,
            written,
        })
    }

    /// A duration from a string with units.
    pub(crate) fn from_text(text: &str) -> Result<RawDuration, String> {
        let value = parse_duration(text).map_err(|e| {
            // A number in quotes is the commonest slip: say so.
            if text.trim().parse::<f64>().is_ok() {
                format!(
                    "\"{}\" has no unit; write \"{}s\" or the bare number {} for seconds",
                    text.trim(),
                    text.trim(),
                    text.trim()
                )
            } else {
                e
            }
        })?;
        Ok(RawDuration {
            value,
            secs: value.as_secs_f64(),
            written: format!("\"{}\"", text.trim()),
        })
    }
}

const DURATION_EXPECTED: &str =
    "a duration: a string with units such as \"30s\", \"6m\" or \"1h30m\", or a number of seconds";

impl<'de> Deserialize<'de> for RawDuration {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<RawDuration, D::Error> {
        struct Visitor;
        impl<'de> de::Visitor<'de> for Visitor {
            type Value = RawDuration;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(DURATION_EXPECTED)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawDuration, E> {
                RawDuration::from_text(v).map_err(E::custom)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<RawDuration, E> {
                RawDuration::from_secs(v as f64, v.to_string()).map_err(E::custom)
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<RawDuration, E> {
                RawDuration::from_secs(v as f64, v.to_string()).map_err(E::custom)
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<RawDuration, E> {
                RawDuration::from_secs(v, v.to_string()).map_err(E::custom)
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// A distribution as written: a bare duration (shorthand for constant) or
/// a `{ dist = …, … }` table.
#[derive(Debug)]
pub(crate) enum RawDist {
    /// `"30s"` or `30`.
    Bare(RawDuration),
    /// `{ dist = "exponential", mean = "6m" }` and friends.
    Table(Box<RawDistTable>),
}

/// The table form; which keys apply depends on `dist`, checked later so
/// the error can say "`sd` does not apply to an exponential distribution".
#[derive(Debug, serde::Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a distribution table such as { dist = \"exponential\", mean = \"6m\" }"
)]
pub(crate) struct RawDistTable {
    pub dist: Option<Spanned<String>>,
    pub value: Option<Spanned<RawDuration>>,
    pub mean: Option<Spanned<RawDuration>>,
    pub sd: Option<Spanned<RawDuration>>,
    pub min: Option<Spanned<RawDuration>>,
    pub max: Option<Spanned<RawDuration>>,
    pub values: Option<Spanned<Vec<Spanned<RawDuration>>>>,
    pub csv: Option<Spanned<String>>,
}

impl<'de> Deserialize<'de> for RawDist {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<RawDist, D::Error> {
        struct Visitor;
        impl<'de> de::Visitor<'de> for Visitor {
            type Value = RawDist;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(
                    "a distribution: a table such as { dist = \"exponential\", mean = \"6m\" }, \
                     or a duration such as \"30s\" for a constant",
                )
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawDist, E> {
                RawDuration::from_text(v)
                    .map(RawDist::Bare)
                    .map_err(E::custom)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<RawDist, E> {
                RawDuration::from_secs(v as f64, v.to_string())
                    .map(RawDist::Bare)
                    .map_err(E::custom)
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<RawDist, E> {
                RawDuration::from_secs(v as f64, v.to_string())
                    .map(RawDist::Bare)
                    .map_err(E::custom)
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<RawDist, E> {
                RawDuration::from_secs(v, v.to_string())
                    .map(RawDist::Bare)
                    .map_err(E::custom)
            }
            fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<RawDist, A::Error> {
                RawDistTable::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(|t| RawDist::Table(Box::new(t)))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// Parses the text into raw structs; TOML and type errors come back located.
pub(crate) fn parse(text: &str, file: &str) -> Result<RawScenario, ScenarioError> {
    // Parsing as a plain table first separates "not TOML at all" from "TOML
    // that does not fit the format"; only the second has a key path.
    if let Err(e) = text.parse::<toml::Table>() {
        return Err(syntax_error(text, file, &e));
    }
    toml::from_str::<RawScenario>(text).map_err(|e| data_error(text, file, &e))
}

fn syntax_error(text: &str, file: &str, e: &toml::de::Error) -> ScenarioError {
    let mut message = e.message().trim().replace('\n', "; ");
    if message.is_empty() {
        // The TOML parser gives no reason for some characters (a NUL or
        // another control byte in a comment, …); say what is there.
        message = describe_unexpected(text, e.span().map_or(0, |s| s.start));
    }
    let mut err = ScenarioError::new(
        ScenarioErrorKind::Syntax,
        format!("invalid toml: {message}"),
    )
    .in_file(file)
    .at_span(text, e.span());
    if message.starts_with("invalid string") {
        err = err.with_hint("text values must be quoted, e.g. routing_model = \"most_available\"");
    } else if message.starts_with("invalid basic string") {
        err = err.with_hint("a string is missing its closing quote");
    } else if message.starts_with("number too large") {
        err = err.with_hint(format!(
            "TOML integers are at most {}; no count or capacity comes near that",
            i64::MAX
        ));
    } else if message.starts_with("duplicate key") {
        err = err.with_hint(
            "a key may appear once per item; if this line starts a new item, add a [[header]] above it",
        );
    }
    err
}

/// The reason for a syntax error the TOML parser left without one: the
/// character at `offset`, named so an invisible one can be found.
fn describe_unexpected(text: &str, offset: usize) -> String {
    let mut at = offset.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    match text[at..].chars().next() {
        Some(c) if c.is_control() && c != '\n' && c != '\t' => format!(
            "control character U+{:04X} is not allowed in TOML (only tab is, in comments and strings)",
            c as u32
        ),
        Some(c) => format!("unexpected character {c:?}"),
        None => "unexpected end of file".to_owned(),
    }
}

fn data_error(text: &str, file: &str, e: &toml::de::Error) -> ScenarioError {
    let raw_message = e.message().trim().replace('\n', "; ");
    let offset = e.span().map(|s| s.start);
    let unknown = raw_message
        .strip_prefix("unknown field `")
        .and_then(|rest| rest.split('`').next())
        .map(str::to_owned);
    let place = offset
        .map(|o| locate(text, o, unknown.as_deref()))
        .unwrap_or_default();
    let subject = place
        .item
        .as_deref()
        .map(|i| format!("{i}: "))
        .unwrap_or_default();

    let (kind, message, hint) = if let Some(field) = &unknown {
        let expected = backquoted(raw_message.split_once("expected").map_or("", |(_, e)| e));
        let top_level = place.section.is_empty() && !place.path.contains('.');
        let (noun, table) = if top_level {
            ("section", "the file".to_owned())
        } else {
            ("key", place.table_name())
        };
        let hint = suggest(field, expected.iter().map(String::as_str))
            .map(|s| format!("did you mean `{s}`?"))
            .or_else(|| belongs_elsewhere(field, &place.table_name()));
        (
            ScenarioErrorKind::UnknownKey,
            format!(
                "{subject}unknown {noun} `{field}` in {table}; expected one of {}",
                list_keys(expected.iter().map(String::as_str))
            ),
            hint,
        )
    } else if let Some(rest) = raw_message.strip_prefix("invalid type: ") {
        let (found, expected) = rest
            .split_once(", expected ")
            .unwrap_or((rest, "another type"));
        (
            ScenarioErrorKind::WrongType,
            format!(
                "{subject}found {}, expected {}",
                found,
                plain_type(expected)
            ),
            None,
        )
    } else if let Some(rest) = raw_message.strip_prefix("missing field `") {
        let field = rest.split('`').next().unwrap_or(rest);
        (
            ScenarioErrorKind::MissingKey,
            format!("{subject}missing required key `{field}`"),
            None,
        )
    } else {
        (
            ScenarioErrorKind::InvalidValue,
            format!("{subject}{raw_message}"),
            None,
        )
    };

    let mut err = ScenarioError::new(kind, message)
        .in_file(file)
        .at_span(text, e.span())
        .key(place.path)
        .with_maybe_hint(hint);
    if raw_message.contains("has no unit") {
        err = err
            .with_hint("durations are \"30s\", \"6m\", \"1h30m\" or plain seconds without quotes");
    }
    err
}

/// serde's type names in plain words.
fn plain_type(expected: &str) -> String {
    match expected {
        "i64" | "u64" | "i32" | "u32" => "an integer".into(),
        "f64" => "a number".into(),
        "a sequence" => "an array".into(),
        "a boolean" => "true or false".into(),
        other => other.into(),
    }
}

fn backquoted(text: &str) -> Vec<String> {
    text.split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect()
}

/// A hint when an unknown key is a valid key of another section, the
/// second commonest slip after a typo.
fn belongs_elsewhere(field: &str, table: &str) -> Option<String> {
    let owners: Vec<&str> = SECTION_KEYS
        .iter()
        .filter(|(section, keys)| !section.is_empty() && keys.contains(&field))
        .map(|(section, _)| *section)
        .collect();
    if table == "the file" && owners.contains(&"simulation") {
        return Some(format!(
            "keys above the first [header] belong to no section; is a [simulation] header missing before `{field}`?"
        ));
    }
    // A key every section has (`name`) says nothing about where it belongs.
    if owners.is_empty() || owners.len() > 2 {
        return None;
    }
    let owners: Vec<String> = owners.iter().map(|s| describe_table(s)).collect();
    Some(format!(
        "`{field}` is a key of {}, not of {table}",
        owners.join(" and ")
    ))
}

/// How a section is named in messages.
pub(crate) fn describe_table(section: &str) -> String {
    match section {
        "" => "the file".into(),
        "simulation" => "[simulation]".into(),
        "shift" => "a shift table".into(),
        "break" => "a break table".into(),
        "distribution" => "a distribution table".into(),
        "skill requirement" => "a skill requirement".into(),
        "skill choice" => "a skill choice".into(),
        "secondary priority" => "a secondary priority table".into(),
        "transfer" => "a transfer table".into(),
        "retrial" => "a retrial table".into(),
        "busyness" => "a busyness table".into(),
        other => format!("[[{other}]]"),
    }
}

/// Where in the file a byte offset falls, found from the text because a
/// serde error carries a span but not the key path.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Place {
    /// Top-level section (`queues`), empty at the top level.
    pub section: String,
    /// Key path, e.g. `queues[1].handle_time.mean`.
    pub path: String,
    /// The item, e.g. `queue "Chat support"`, when inside an array section.
    pub item: Option<String>,
    /// The innermost table's kind (section, `shift`, `distribution`).
    pub table: String,
}

impl Place {
    fn table_name(&self) -> String {
        describe_table(&self.table)
    }
}

/// Finds the key path at `offset` with a light line scanner: table headers
/// give the section and item index, the `key =` that the offset follows
/// gives the key, and inline `{ … }` / `[ … ]` nesting gives the rest.
/// Good enough for hand-written scenario files; anything it cannot follow
/// just yields a shorter path.
pub(crate) fn locate(text: &str, offset: usize, unknown_key: Option<&str>) -> Place {
    let offset = offset.min(text.len());
    let mut counts: Vec<(String, usize)> = Vec::new();
    // (path of the header, its section, its line start)
    let mut header: Option<(String, String, usize)> = None;
    let mut multiline: Option<&str> = None;
    let mut line_start = 0;
    let mut on_header = false;
    for line in text.split_inclusive('\n') {
        if line_start > offset {
            break;
        }
        let contains_offset =
            offset < line_start + line.len() || line_start + line.len() == text.len();
        let trimmed = line.trim();
        on_header = false;
        if multiline.is_none() && trimmed.starts_with('[') {
            if let Some((name, array)) = header_name(trimmed) {
                let path = if array {
                    let n = match counts.iter_mut().find(|(k, _)| *k == name) {
                        Some((_, n)) => {
                            *n += 1;
                            *n
                        }
                        None => {
                            counts.push((name.clone(), 1));
                            1
                        }
                    };
                    format!("{name}[{}]", n - 1)
                } else {
                    name.clone()
                };
                let path = resolve_dotted(&path, &counts);
                let section = path.split(['[', '.']).next().unwrap_or("").to_owned();
                header = Some((path, section, line_start));
                on_header = contains_offset;
            }
        }
        for delim in ["\"\"\"", "'''"] {
            if line.matches(delim).count() % 2 == 1 {
                multiline = match multiline {
                    Some(d) if d == delim => None,
                    None => Some(delim),
                    other => other,
                };
            }
        }
        line_start += line.len();
    }

    let (header_path, section, header_start) = header.unwrap_or_default();
    let item = item_label(text, &section, &header_path, header_start);
    let table_of = |path: &str| -> String {
        match path
            .rsplit('.')
            .next()
            .map(|last| last.split('[').next().unwrap_or(last))
        {
            Some("shift" | "shifts") => "shift".into(),
            Some("breaks") => "break".into(),
            Some(k)
                if [
                    "handle_time",
                    "patience",
                    "response_time",
                    "wrap_up",
                    "after",
                    "delay",
                    "break_lateness",
                ]
                .contains(&k) =>
            {
                "distribution".into()
            }
            Some("skills") if path.ends_with(']') => "skill requirement".into(),
            Some("skill_mix") if path.ends_with(']') => "skill choice".into(),
            Some("secondary_priority") => "secondary priority".into(),
            Some("transfer") => "transfer".into(),
            Some("retrial") => "retrial".into(),
            Some("busyness") => "busyness".into(),
            _ => section.clone(),
        }
    };

    if on_header {
        // The offset is on a header: either the item itself (missing key)
        // or an unknown section name.
        let path = match unknown_key {
            Some(k) if header_path.split('[').next() == Some(k) => String::new(),
            _ => header_path.clone(),
        };
        let path = if path.is_empty() {
            unknown_key.unwrap_or("").to_owned()
        } else {
            path
        };
        let table = if header_path.contains('.') {
            table_of(&header_path)
        } else {
            String::new()
        };
        return Place {
            section: String::new(),
            path,
            item: None,
            table,
        };
    }

    // Find the `key =` this offset belongs to: the offset's own line, or
    // for a value continued over lines (a long array), the nearest line
    // above it that starts with a key, never above the header.
    let body_start = if header_path.is_empty() {
        0
    } else {
        header_start
    };
    let mut ls = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let key_line_start = loop {
        let le = text[ls..].find('\n').map_or(text.len(), |i| ls + i);
        if let Some(eq) = key_assignment(&text[ls..le]) {
            break Some((ls, eq));
        }
        if ls == 0 || ls <= body_start {
            break None;
        }
        ls = text[..ls - 1].rfind('\n').map_or(0, |i| i + 1);
    };
    let mut segments: Vec<String> = Vec::new();
    if !header_path.is_empty() {
        segments.push(header_path.clone());
    }
    let Some((line_at, eq)) = key_line_start else {
        let path = segments.join(".");
        let table = table_of(&path);
        return Place {
            section,
            path,
            item,
            table,
        };
    };
    let line = &text[line_at..];
    let key = line[..eq].trim();
    segments.extend(
        key.split('.')
            .map(|k| k.trim().trim_matches('"').to_owned()),
    );
    let value_start = line_at + eq + 1;
    if offset >= value_start {
        let (mut nested, at_key) = nesting(&text[value_start..offset]);
        if let Some(last) = segments.last_mut() {
            if let Some(first) = nested.first() {
                if first.starts_with('[') {
                    last.push_str(first);
                    nested.remove(0);
                }
            }
        }
        for n in nested {
            if n.starts_with('[') {
                if let Some(last) = segments.last_mut() {
                    last.push_str(&n);
                }
            } else {
                segments.push(n);
            }
        }
        if at_key {
            if let Some(k) = unknown_key {
                segments.push(k.to_owned());
            }
        }
    }
    let mut path = segments.join(".");
    // The innermost table is the one holding the last key.
    let parent = match path.rfind('.') {
        Some(i) => path[..i].to_owned(),
        None => String::new(),
    };
    let table = if parent.is_empty() {
        String::new()
    } else {
        table_of(&parent)
    };
    if path.is_empty() {
        path = key.to_owned();
    }
    Place {
        section,
        path,
        item,
        table,
    }
}

/// `[[queues]]` → ("queues", true); `[simulation]` → ("simulation", false).
fn header_name(line: &str) -> Option<(String, bool)> {
    let line = line.split('#').next().unwrap_or(line).trim();
    if let Some(inner) = line.strip_prefix("[[").and_then(|l| l.strip_suffix("]]")) {
        return Some((clean_dotted(inner), true));
    }
    let inner = line.strip_prefix('[')?.strip_suffix(']')?;
    Some((clean_dotted(inner), false))
}

fn clean_dotted(name: &str) -> String {
    name.split('.')
        .map(|s| s.trim().trim_matches('"'))
        .collect::<Vec<_>>()
        .join(".")
}

/// `agents.shift` after two `[[agents]]` → `agents[1].shift`.
fn resolve_dotted(path: &str, counts: &[(String, usize)]) -> String {
    match path.split_once('.') {
        Some((first, rest)) => match counts.iter().find(|(k, _)| k == first) {
            Some((_, n)) => format!("{first}[{}].{rest}", n - 1),
            None => path.to_owned(),
        },
        None => path.to_owned(),
    }
}

/// Position of the `=` if `line` starts with `key =` (bare or quoted key).
fn key_assignment(line: &str) -> Option<usize> {
    let trimmed = line.trim_start();
    let lead = line.len() - trimmed.len();
    let mut chars = trimmed.char_indices();
    let mut in_quote = false;
    let mut seen_key = false;
    for (i, c) in chars.by_ref() {
        match c {
            '"' => {
                in_quote = !in_quote;
                seen_key = true;
            }
            _ if in_quote => {}
            c if c.is_ascii_alphanumeric() || c == '_' || c == '-' => seen_key = true,
            '.' | ' ' | '\t' => {}
            '=' if seen_key => return Some(lead + i),
            _ => return None,
        }
    }
    None
}

/// Keys and array indices opened but not closed in `value_text` (the text
/// from just after a top-level `=` up to the offset), and whether the text
/// ends where a key would start.
fn nesting(value_text: &str) -> (Vec<String>, bool) {
    enum Frame {
        Table(Option<String>),
        Array(usize),
    }
    let mut stack: Vec<Frame> = Vec::new();
    let mut chars = value_text.chars().peekable();
    let mut word = String::new();
    while let Some(c) = chars.next() {
        match c {
            '"' | '\'' => {
                // Skip the string, honouring backslash escapes in "…".
                let mut escaped = false;
                for d in chars.by_ref() {
                    if escaped {
                        escaped = false;
                    } else if d == '\\' && c == '"' {
                        escaped = true;
                    } else if d == c {
                        break;
                    }
                }
                word.clear();
            }
            '#' => {
                for d in chars.by_ref() {
                    if d == '\n' {
                        break;
                    }
                }
            }
            '{' => stack.push(Frame::Table(None)),
            '[' => stack.push(Frame::Array(0)),
            '}' | ']' => {
                stack.pop();
            }
            ',' => match stack.last_mut() {
                Some(Frame::Table(key)) => *key = None,
                Some(Frame::Array(n)) => *n += 1,
                None => {}
            },
            '=' => {
                if let Some(Frame::Table(key)) = stack.last_mut() {
                    *key = Some(word.trim().to_owned());
                }
                word.clear();
                continue;
            }
            c if c.is_ascii_alphanumeric() || c == '_' || c == '-' => {
                word.push(c);
                continue;
            }
            _ => {}
        }
        if !c.is_whitespace() {
            word.clear();
        }
    }
    let at_key = matches!(stack.last(), Some(Frame::Table(None)));
    let path = stack
        .iter()
        .filter_map(|f| match f {
            Frame::Table(Some(k)) => Some(k.clone()),
            Frame::Table(None) => None,
            Frame::Array(n) => Some(format!("[{n}]")),
        })
        .collect();
    (path, at_key)
}

/// `queue "Chat support"` for the item whose header starts at `start`,
/// reading its name key from the text.
fn item_label(text: &str, section: &str, header_path: &str, start: usize) -> Option<String> {
    if header_path == "simulation" {
        return Some(describe_item("simulation", None));
    }
    if !header_path.ends_with(']') || header_path.contains('.') {
        return None;
    }
    let name_key = name_key(section);
    let body = text.get(start..)?;
    let mut lines = body.lines();
    lines.next();
    for line in lines {
        let t = line.trim();
        if t.starts_with('[') {
            break;
        }
        if let Some(rest) = t.strip_prefix(name_key) {
            if let Some(value) = rest.trim_start().strip_prefix('=') {
                let v = value.trim();
                if let Some(inner) = v.strip_prefix('"').and_then(|v| v.split('"').next()) {
                    return Some(describe_item(section, Some(inner)));
                }
            }
        }
    }
    Some(describe_item(section, None))
}

/// The key that names items of a section.
pub(crate) fn name_key(section: &str) -> &'static str {
    match section {
        "agents" => "group",
        "arrivals" => "queue",
        _ => "name",
    }
}

/// `queue "Chat support"`, `agent group "Tier 1"`, … for messages.
pub(crate) fn describe_item(section: &str, name: Option<&str>) -> String {
    let noun = match section {
        "simulation" => return "[simulation]".into(),
        "channels" => "channel",
        "statuses" => "status",
        "presence_configs" => "presence configuration",
        "queues" => "queue",
        "arrivals" => "arrivals",
        "agents" => "agent group",
        other => other,
    };
    match (section, name) {
        ("arrivals", Some(q)) => format!("arrivals for queue \"{q}\""),
        (_, Some(n)) => format!("{noun} \"{n}\""),
        (_, None) => format!("{noun} without a {}", name_key(section)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> ScenarioError {
        parse(text, "t.toml").expect_err("should fail")
    }

    #[test]
    fn durations_accept_units_and_plain_seconds() {
        #[derive(serde::Deserialize)]
        struct T {
            d: Vec<RawDuration>,
        }
        let t: T = toml::from_str(r#"d = ["30s", "6m", "1h30m", 45, 2.5, 0]"#).unwrap();
        let secs: Vec<f64> = t.d.iter().map(|d| d.secs).collect();
        assert_eq!(secs, [30.0, 360.0, 5400.0, 45.0, 2.5, 0.0]);
        assert_eq!(t.d[4].value, SimDuration(2_500_000));
    }

    #[test]
    fn bad_durations_say_why() {
        let e = err("[simulation]\nduration = \"8 hourz\"\n");
        assert_eq!(e.kind(), ScenarioErrorKind::InvalidValue);
        assert_eq!(e.key_path(), Some("simulation.duration"));
        assert_eq!((e.line(), e.column()), (Some(2), Some(12)));
        let e = err("[simulation]\nduration = \"300\"\n");
        assert!(e.message().contains("has no unit"), "{e}");
        let e = err("[simulation]\nduration = -5\n");
        assert!(e.message().contains("negative"), "{e}");
        let e = err("[simulation]\nduration = true\n");
        assert_eq!(e.kind(), ScenarioErrorKind::WrongType);
        assert!(e.message().contains("expected a duration"), "{e}");
    }

    #[test]
    fn distributions_have_a_bare_and_a_table_form() {
        #[derive(serde::Deserialize)]
        struct T {
            a: RawDist,
            b: RawDist,
            c: RawDist,
        }
        let t: T = toml::from_str(
            "a = \"30s\"\nb = 12\nc = { dist = \"empirical\", values = [\"30s\", 45, \"2m\"] }\n",
        )
        .unwrap();
        assert!(matches!(t.a, RawDist::Bare(ref d) if d.secs == 30.0));
        assert!(matches!(t.b, RawDist::Bare(ref d) if d.secs == 12.0));
        let RawDist::Table(table) = t.c else {
            panic!("table form")
        };
        assert_eq!(table.dist.unwrap().into_inner(), "empirical");
        let values: Vec<f64> = table
            .values
            .unwrap()
            .into_inner()
            .iter()
            .map(|v| v.get_ref().secs)
            .collect();
        assert_eq!(values, [30.0, 45.0, 120.0]);
    }

    #[test]
    fn unknown_keys_are_located_and_suggested() {
        let e = err("[[queues]]\nname = \"Chat\"\nroutng_model = \"x\"\n");
        assert_eq!(e.kind(), ScenarioErrorKind::UnknownKey);
        assert_eq!(e.key_path(), Some("queues[0].routng_model"));
        assert_eq!((e.line(), e.column()), (Some(3), Some(1)));
        assert!(
            e.message()
                .starts_with("queue \"Chat\": unknown key `routng_model`"),
            "{e}"
        );
        assert_eq!(e.hint(), Some("did you mean `routing_model`?"));

        let e = err("[[queue]]\nname = \"a\"\n");
        assert_eq!(e.key_path(), Some("queue"));
        assert!(e.message().starts_with("unknown section `queue`"), "{e}");
        assert_eq!(e.hint(), Some("did you mean `queues`?"));
    }

    #[test]
    fn unknown_keys_inside_inline_tables_get_the_full_path() {
        let text = "[[arrivals]]\nqueue = \"q\"\nrate_per_hour = 1\n\
                    handle_time = { dist = \"exponential\", meen = \"6m\" }\n";
        let e = err(text);
        assert_eq!(e.key_path(), Some("arrivals[0].handle_time.meen"));
        assert!(e.message().contains("in a distribution table"), "{e}");
        assert_eq!(e.hint(), Some("did you mean `mean`?"));

        let e = err("[[agents]]\ngroup = \"g\"\nshift = { start = \"1h\", ned = \"2h\" }\n");
        assert_eq!(e.key_path(), Some("agents[0].shift.ned"));
        assert_eq!(e.hint(), Some("did you mean `end`?"));
    }

    #[test]
    fn keys_of_another_section_are_pointed_there() {
        let e = err("[[presence_configs]]\nname = \"c\"\npush_timeout = \"30s\"\n");
        assert_eq!(
            e.hint(),
            Some("`push_timeout` is a key of [[queues]], not of [[presence_configs]]")
        );
    }

    #[test]
    fn value_errors_in_arrays_and_second_items_are_located() {
        let text = "[[arrivals]]\nqueue = \"a\"\n\n[[arrivals]]\nqueue = \"b\"\n\
                    rate_profile = [1, 2,\n  \"x\"]\n";
        let e = err(text);
        assert_eq!(e.kind(), ScenarioErrorKind::WrongType);
        assert_eq!(e.key_path(), Some("arrivals[1].rate_profile[2]"));
        assert_eq!((e.line(), e.column()), (Some(7), Some(3)));
        assert!(e
            .message()
            .starts_with("arrivals for queue \"b\": found string \"x\", expected a number"));
    }

    #[test]
    fn syntax_errors_have_a_position_but_no_key() {
        let e = err("[simulation]\nname = \"x\nduration = 1\n");
        assert_eq!(e.kind(), ScenarioErrorKind::Syntax);
        assert_eq!(e.line(), Some(2));
        assert_eq!(e.key_path(), None);
        let e = err("[[queues]]\nrouting_model = most_available\n");
        assert!(e.hint().unwrap().contains("quoted"), "{e}");
    }

    #[test]
    fn control_characters_get_a_reason() {
        for (text, code) in [
            ("# a\u{0}b\n[simulation]\n", "U+0000"),
            ("# a\u{1}b\n", "U+0001"),
        ] {
            let e = err(text);
            assert_eq!(e.kind(), ScenarioErrorKind::Syntax);
            assert!(e.line().is_some(), "{e}");
            let reason = e.message().trim_start_matches("invalid toml:").trim();
            assert!(!reason.is_empty(), "{e}");
            assert!(e.message().contains(code), "{text:?}: {e}");
        }
        assert_eq!(describe_unexpected("ab", 1), "unexpected character 'b'");
        assert_eq!(describe_unexpected("ab", 9), "unexpected end of file");
    }

    #[test]
    fn section_key_lists_match_the_structs() {
        fn keys_of<T: for<'de> serde::Deserialize<'de> + fmt::Debug>(wrap: &str) -> Vec<String> {
            let text = wrap.replace("KEY", "zzz_unknown");
            let e = toml::from_str::<T>(&text).unwrap_err();
            backquoted(e.message().split_once("expected").unwrap().1)
        }
        let expect = |section: &str| -> Vec<String> {
            SECTION_KEYS
                .iter()
                .find(|(s, _)| *s == section)
                .unwrap()
                .1
                .iter()
                .map(|s| s.to_string())
                .collect()
        };
        assert_eq!(keys_of::<RawScenario>("KEY = 1"), expect(""));
        assert_eq!(keys_of::<RawSimulation>("KEY = 1"), expect("simulation"));
        assert_eq!(keys_of::<RawChannel>("KEY = 1"), expect("channels"));
        assert_eq!(keys_of::<RawStatus>("KEY = 1"), expect("statuses"));
        assert_eq!(
            keys_of::<RawPresenceConfig>("KEY = 1"),
            expect("presence_configs")
        );
        assert_eq!(keys_of::<RawQueue>("KEY = 1"), expect("queues"));
        assert_eq!(keys_of::<RawArrivals>("KEY = 1"), expect("arrivals"));
        assert_eq!(keys_of::<RawAgents>("KEY = 1"), expect("agents"));
        assert_eq!(keys_of::<RawShift>("KEY = 1"), expect("shift"));
        assert_eq!(keys_of::<RawBreak>("KEY = 1"), expect("break"));
        assert_eq!(keys_of::<RawSkill>("KEY = 1"), expect("skills"));
        assert_eq!(
            keys_of::<RawSkillReq>("KEY = 1"),
            expect("skill requirement")
        );
        assert_eq!(keys_of::<RawSkillChoice>("KEY = 1"), expect("skill choice"));
        assert_eq!(keys_of::<RawTransfer>("KEY = 1"), expect("transfer"));
        assert_eq!(keys_of::<RawRetrial>("KEY = 1"), expect("retrial"));
        assert_eq!(keys_of::<RawBusyness>("KEY = 1"), expect("busyness"));
        assert_eq!(keys_of::<RawDistTable>("KEY = 1"), expect("distribution"));
    }
}
