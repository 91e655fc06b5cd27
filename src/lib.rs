//! omnisim: an actor-based simulator of Salesforce Omni-Channel routing.
#![warn(missing_docs, missing_debug_implementations)]

pub mod agent;
pub mod analytic;
pub mod cli;
pub mod arrivals;
pub mod behaviour;
pub mod distribution;
pub mod engine;
pub mod events;
pub mod omni;
pub mod output;
pub mod router;
pub mod routing;
pub mod scenario;
pub mod stats;
pub mod time;
pub mod toolkit;
