//! The kernel every actor of a run shares: the calendar, the messages
//! that travel on it, the shared handle (clock reading, calendar, event
//! buffer, AgentWork ledger, effort clocks, counts of what was delivered),
//! the seeded random streams, the instruments seam and the containment of a
//! handler's panic.
//!
//! It sits below the actors: [`crate::agent`], [`crate::router`],
//! [`crate::behaviour`], [`crate::toolkit`] and [`crate::arrivals`] use it
//! and it uses none of them, only the vocabulary ([`crate::omni`],
//! [`crate::time`], [`crate::events`]). The driver that wires the actors
//! together and pops the calendar is [`crate::engine`], above them all;
//! its module doc states the layering and the ordering rules.

pub(crate) mod calendar;
pub(crate) mod counters;
pub(crate) mod effort;
pub(crate) mod handle;
pub(crate) mod instruments;
pub(crate) mod messages;
pub(crate) mod panic;
pub(crate) mod pump;
pub mod rng;
