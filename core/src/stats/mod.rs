//! Statistics: from the event stream of one replication to its metrics,
//! and from many replications to estimates with confidence intervals.
//!
//! # Layout
//!
//! - [`MetricsCollector`] — an [`EventSink`](crate::events::EventSink)
//!   that turns one replication's events into a [`ReplicationResult`]:
//!   per queue, for the whole centre, per reporting interval and per agent.
//! - [`WorkRecorder`] — an `EventSink` that streams one CSV row per work
//!   item (the rows of `work.csv`) while holding only in-flight items.
//! - [`ci`] — Student-t confidence intervals across replications.
//! - [`check_targets`] — whether each queue meets its planning targets
//!   (service level, abandon rate, ASA, agents' occupancy) over the
//!   replications, with the worst reporting interval of each.
//! - [`precision`] — whether the replications so far give intervals as
//!   narrow as asked ([`precision_met`]), for runs that add replications
//!   until they do.
//! - [`EngineStats`] — what the engine reports about itself (wall time,
//!   events); kept apart from the metrics because wall time is not
//!   reproducible.
//!
//! # The measured window
//!
//! Everything is measured over `[warmup, warmup + duration)`. Item metrics
//! (offered, answered, service level, …) count the items whose *arrival*
//! falls in the window, wherever their later events fall; counts of events
//! (declines, push timeouts, items handled) use the event's own time; time
//! averages (occupancy, time online) integrate only the part of the run
//! inside the window. Counting by arrival keeps every item in exactly one
//! bucket, which is what makes `offered = answered + abandoned +
//! ended_no_agent + waiting_at_end` hold exactly (items in progress at the
//! end are part of `answered`).

pub mod ci;
mod collector;
pub(crate) mod integral;
mod metrics;
pub mod precision;
mod targets;
#[cfg(any(test, feature = "test-support"))]
#[doc(hidden)]
pub mod test_support;
mod work_recorder;

pub use ci::{confidence, estimate, estimate_defined, ConfidenceInterval, Estimate};
pub use collector::MetricsCollector;
pub use metrics::{
    interval_metrics, AgentMetrics, IntervalMetrics, Metric, MetricDef, MetricKind, MetricReader,
    PerMetric, QueueMetrics, ReplicationResult, ALL_QUEUES, QUEUE_METRICS,
};
pub use precision::{
    parse_precision, precision_met, render_precision, PrecisionStatus, PrecisionSummary,
    PrecisionTarget,
};
pub use targets::{check_targets, render_targets, Bound, TargetCheck, TargetMetric, WorstInterval};
pub(crate) use work_recorder::work_csv_header_line;
pub use work_recorder::{WorkRecorder, SKILL_SEPARATOR, WORK_CSV_HEADER};

use serde::Serialize;

/// How hard the engine worked in one replication.
///
/// Wall time differs from run to run and machine to machine, so these
/// figures go to `engine.json`, never into the byte-reproducible
/// `summary.json`.
#[derive(Copy, Clone, Debug, Default, PartialEq, Serialize)]
pub struct EngineStats {
    /// Wall-clock time the replication took \[s\].
    pub wall_seconds: f64,
    /// Events the engine processed.
    pub events: u64,
    /// Actor messages, toolkit calls and calendar entries, by kind.
    /// `engine.json` reports them added up over the replications and per
    /// item, not per replication.
    #[serde(skip)]
    pub counts: crate::engine::EngineCounts,
}

impl EngineStats {
    /// Events per wall-clock second; `None` when no time was measured
    /// (a zero division would print as infinity).
    pub fn events_per_second(&self) -> Option<f64> {
        (self.wall_seconds > 0.0).then(|| self.events as f64 / self.wall_seconds)
    }
}
