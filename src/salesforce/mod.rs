//! Salesforce data in and out: a simulated day written as the org's own
//! export files, and an org's export read back.
//!
//! A planner's truth is in their org: every push is an `AgentWork`
//! record, every status spell a `UserServicePresence` record, every skill
//! asked for an `AgentWorkSkill` record, and a chat that ended before any
//! push leaves a `MessagingSession` without an accept. This module knows
//! those objects ([`object`]), their ids ([`id`]), the CSV form
//! `sf data export bulk` gives them ([`bulk_csv`]) and where a simulated
//! day falls in UTC ([`when`]); [`export`] writes a run's day in that
//! form (`omnisim run --salesforce`). Reading an export back and fitting
//! a model to it is `omnisim calibrate` ([`crate::calibrate`]).
//!
//! The user's guide is docs/salesforce-data.md: the exact export
//! commands, what each file is for and what can and cannot be learnt
//! from it.

pub mod bulk_csv;
pub mod export;
pub mod id;
pub mod object;
pub mod when;

pub use export::{SalesforceExport, EXPORT_FOLDER};
pub use id::SalesforceId;
pub use when::DayPlacement;
