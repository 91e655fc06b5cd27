//! omnisim-core: the model of omnisim, an actor-based simulator of
//! Salesforce Omni-Channel routing.
//!
//! This crate is the simulator a program uses: scenario, engine, toolkit,
//! behaviours, routing policies, events and results. The `omnisim`
//! command (the root package of the workspace) is built on it, with its
//! tools (`plan`, `sweep`, `report`, `trace`, `validate`, `bench`) as the
//! binary's own modules; this crate depends on none of them, so the
//! compiler, not a convention, keeps the model free of the tools.
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
//! binary wires these together.
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
//! The public modules, in reading order (each builds on the ones before):
//!
//! 1. [`time`], [`distribution`] — simulated time and durations;
//!    [`omni`] — Omni-Channel's vocabulary as plain data: `AgentWork`,
//!    `WorkStatus`, `PresenceStatus`, `PresenceConfiguration`,
//!    `RoutingConfiguration`, capacity units.
//! 2. [`scenario`] — the TOML format: parse, default, validate;
//!    [`clock`] — the clock times of the simulated day and the warm-up
//!    rule.
//! 3. [`events`] — the event stream every result is built from.
//! 4. [`toolkit`] — `OmniToolkit`, the 12 methods of
//!    `lightning:omniToolkitAPI`, and `ToolkitError`: the only way a
//!    behaviour acts on its agent.
//! 5. [`routing`] — the pure decisions the router delegates to (ordered
//!    agent index, backlog order, Most Available, Least Active, external
//!    policies), testable without actors.
//! 6. [`behaviour`] — agent behaviour written against the toolkit; the
//!    synthetic agents of scenario files. [`arrivals`] — the generator
//!    (Poisson arrivals, rate profiles and forecasts, day-level busyness,
//!    retrials).
//! 7. [`engine`] — runs a replication: starts the router and agent actors,
//!    drives the calendar, hands events to sinks; its module doc states
//!    what depends on what and the same-instant ordering rules.
//!    [`runner`] — many replications on threads, in order, with one stop
//!    flag and one error type for stalls, interruptions and panics.
//! 8. [`stats`], [`output`] — metrics, confidence intervals, planning
//!    targets, the precision rule of sequential runs, result files;
//!    [`load`] — the same actors on the wall clock with latency
//!    histograms (`omnisim load`).
//! 9. [`analytic`] — Erlang C / Erlang A and staffing; [`workload`] —
//!    the Erlang-equivalent centre and the benchmark day built from it.
//!
//! Inside the crate, not needed by a library user: `kernel` (the calendar,
//! the messages on it, the state the actors share, the instruments seam),
//! `agent` (the agent actor and the rules of its session) and `router`
//! (the router actor).
//!
//! # Example
//!
//! ```
//! use omnisim_core::engine::{run_replication, RunOptions};
//! use omnisim_core::scenario::Scenario;
//! use omnisim_core::stats::MetricsCollector;
//! use std::sync::Arc;
//!
//! # std::env::set_current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/..")).unwrap();
//! let scenario = Arc::new(Scenario::from_path("scenarios/quickstart.toml".as_ref()).unwrap());
//! let mut metrics = MetricsCollector::new(&scenario);
//! run_replication(scenario, &mut [&mut metrics], RunOptions::default());
//! let result = metrics.into_result();
//! assert!(result.overall.answered > 0);
//! result.check_conservation().unwrap();
//! ```
#![warn(missing_docs, missing_debug_implementations, unreachable_pub)]

pub(crate) mod agent;
pub mod analytic;
pub mod arrivals;
pub mod behaviour;
pub mod clock;
pub mod distribution;
pub mod engine;
pub mod events;
pub(crate) mod kernel;
pub mod load;
pub mod omni;
pub mod output;
pub(crate) mod router;
pub mod routing;
pub mod runner;
pub mod scenario;
pub mod stats;
pub mod time;
pub mod toolkit;
pub mod workload;
