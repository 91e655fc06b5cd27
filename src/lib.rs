//! omnisim: an actor-based simulator of Salesforce Omni-Channel routing.
//!
//! # From the top
//!
//! A [`scenario::Scenario`] (parsed from TOML and validated) describes
//! channels, presence statuses and configurations, queues with routing
//! configurations, arrivals and agent groups. [`engine::run_replication`]
//! simulates one replication of it on actix actors in virtual time and
//! hands every state change, as an [`events::SimEvent`], to event sinks
//! such as [`stats::MetricsCollector`]. [`output::ResultSet`] turns the
//! replications into result files with confidence intervals. The `omnisim`
//! binary ([`cli`]) wires these together.
//!
//! ```text
//!  scenario.toml ─► scenario::Scenario ─► engine ─────────────► events ─► stats ─► output
//!                                          │  calendar (time, seq)
//!                           arrivals::Generator ─► router::RouterActor ─push─► agent::AgentActor
//!                                                        ▲                       ▲   │ console events
//!                                                        └──── notices ──────────┘   ▼
//!                                                              toolkit::OmniToolkit ◄─ behaviour
//! ```
//!
//! # Layout
//!
//! - [`omni`] — Omni-Channel's vocabulary as plain data: `AgentWork`,
//!   `WorkStatus`, `PresenceStatus`, `PresenceConfiguration`,
//!   `RoutingConfiguration`, capacity units.
//! - [`toolkit`] — `OmniToolkit`, the 12 methods of
//!   `lightning:omniToolkitAPI`, and `ToolkitError`.
//! - [`agent`] — the agent actor and the rules of its session.
//! - [`router`] — the router actor; [`routing`] — the pure decisions it
//!   delegates to (ordered agent index, backlog order, Most Available,
//!   Least Active), testable without actors.
//! - [`arrivals`] — the generator actor (Poisson arrivals, rate profiles
//!   and forecasts, day-level busyness, retrials).
//! - [`behaviour`] — agent behaviour written against the toolkit; the
//!   synthetic agents of scenario files.
//! - [`engine`] — the calendar, the driver, clocks and seeded random
//!   streams; the module doc states the same-instant ordering rules.
//! - [`events`] — the event stream every result is built from.
//! - [`scenario`] — the TOML format: parse, default, validate.
//! - [`stats`], [`output`] — metrics, confidence intervals, planning
//!   targets, the precision rule of sequential runs, result files.
//! - [`sweep`] — a base scenario over a grid of values (`omnisim sweep`):
//!   key paths by name, deterministic shards, checksummed partials and
//!   their exact merge.
//! - [`analytic`] — Erlang C / Erlang A and staffing; [`validation`] — the
//!   simulator checked against them.
//! - [`distribution`], [`time`] — durations and simulated time;
//!   [`clock`] — the clock times of the simulated day and the warm-up rule.
//! - [`bench`](mod@bench) — the scaling benchmark (`omnisim bench`); [`load`] — the
//!   same actors on the wall clock with latency histograms (`omnisim
//!   load`).
//!
//! # Example
//!
//! ```
//! use omnisim::engine::{run_replication, RunOptions};
//! use omnisim::scenario::Scenario;
//! use omnisim::stats::MetricsCollector;
//! use std::sync::Arc;
//!
//! let scenario = Arc::new(Scenario::from_path("scenarios/quickstart.toml".as_ref()).unwrap());
//! let mut metrics = MetricsCollector::new(&scenario);
//! run_replication(scenario, &mut [&mut metrics], RunOptions::default());
//! let result = metrics.into_result();
//! assert!(result.overall.answered > 0);
//! result.check_conservation().unwrap();
//! ```
#![warn(missing_docs, missing_debug_implementations)]

pub mod agent;
pub mod analytic;
pub mod arrivals;
pub mod behaviour;
pub mod bench;
pub mod cli;
pub mod clock;
pub mod distribution;
pub mod engine;
pub mod events;
pub mod load;
pub mod omni;
pub mod output;
pub mod plan;
pub mod report;
pub mod router;
pub mod routing;
pub mod scenario;
pub mod stats;
pub mod sweep;
pub mod time;
pub mod toolkit;
pub mod trace;
pub mod validation;
