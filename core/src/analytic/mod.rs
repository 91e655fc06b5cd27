//! Closed-form queueing figures for Omni-Channel style contact centres.
//!
//! The simulator answers "what happens" by running the routing engine; this
//! module answers "what should happen" from queueing theory, so simulated
//! results can be sanity-checked against a known baseline and so staffing can
//! be sized before a simulation is even configured.
//!
//! Two classic models are provided:
//!
//! * **Erlang C** (M/M/c): Poisson arrivals, exponential handle times, `c`
//!   identical agents, FCFS, infinitely patient customers. Selected when
//!   [`ErlangInput::mean_patience_s`] is `None`.
//! * **Erlang A** (M/M/c+M): the same plus exponentially distributed patience;
//!   a waiting item abandons when its patience runs out. Selected when
//!   [`ErlangInput::mean_patience_s`] is `Some`.
//!
//! The entry points are [`evaluate`] (figures for a given head-count) and
//! [`required_agents`] (smallest head-count meeting a target). All functions
//! validate their input and report problems through [`ErlangError`]; none of
//! them panics on bad input.
//!
//! # Numerical approach
//!
//! * Erlang B is computed with the classical recursion
//!   `B(0) = 1, B(k) = a·B(k−1) / (k + a·B(k−1))`, which never forms a
//!   factorial or a power of `a`, so it is stable for tens of thousands of
//!   agents. Erlang C follows as `C = c·B / (c − a·(1 − B))`.
//! * Erlang A is evaluated *exactly* (to floating-point precision) on the
//!   birth–death chain of the number in system, with the state weights kept
//!   in log space and the queue truncated only once the remaining tail mass is
//!   below `1e-17` of the total. The waiting-time distribution of an arrival
//!   that finds `k` items queued ahead of it has a closed form through a
//!   negative-binomial identity; see [`erlang`] for the derivation.
#![warn(missing_docs)]

pub mod equivalent;
pub mod erlang;
pub mod staffing;

use serde::{Deserialize, Serialize};
use thiserror::Error;

pub use equivalent::erlang_equivalent;
pub use erlang::{erlang_b, erlang_c_wait_probability, evaluate};
pub use staffing::{required_agents, StaffingResult, StaffingTarget};

/// Seconds per hour; arrival rates are quoted per hour (as planners do) but
/// all the queueing algebra runs in seconds.
const SECONDS_PER_HOUR: f64 = 3600.0;

/// Everything the Erlang formulas need to describe one queue.
///
/// Rates are quoted in the units workforce planners use (arrivals per hour,
/// handle times in seconds) so figures can be compared directly with
/// Omni-Channel reports; conversion to a common time base happens internally.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ErlangInput {
    /// Number of agents (servers, `c`). Must be at least 1 for [`evaluate`];
    /// ignored by [`required_agents`], which searches for it.
    pub agents: u32,
    /// Mean Poisson arrival rate, items per hour (`λ`). Must be finite and
    /// non-negative.
    pub arrival_rate_per_hour: f64,
    /// Mean (exponential) handle time in seconds (`1/μ`). Must be finite and
    /// positive.
    pub mean_handle_time_s: f64,
    /// Service-level threshold `T` in seconds: an item counts towards the
    /// service level when it is answered within `T`. Must be finite and
    /// non-negative.
    pub service_level_threshold_s: f64,
    /// Mean (exponential) patience in seconds (`1/θ`). `None` means customers
    /// never abandon (Erlang C); `Some` selects Erlang A and must be finite
    /// and positive.
    pub mean_patience_s: Option<f64>,
}

impl ErlangInput {
    /// Offered load `a = λ · AHT` in Erlangs: the average number of agents
    /// that would be busy if every item were served. It is the natural scale
    /// for head-count, which is why the stability condition is `a < c`.
    pub fn offered_load_erlangs(&self) -> f64 {
        self.arrival_rate_per_hour / SECONDS_PER_HOUR * self.mean_handle_time_s
    }

    /// Checks every parameter, including `agents ≥ 1`.
    ///
    /// Exposed so front ends can reject a configuration up-front with the
    /// same messages the formulas would produce.
    pub fn validate(&self) -> Result<(), ErlangError> {
        if self.agents == 0 {
            return Err(ErlangError::ZeroAgents);
        }
        self.validate_traffic()
    }

    /// Checks every parameter except `agents` (used by the staffing search,
    /// which chooses the head-count itself).
    pub(crate) fn validate_traffic(&self) -> Result<(), ErlangError> {
        let rate = self.arrival_rate_per_hour;
        if !rate.is_finite() || rate < 0.0 {
            return Err(ErlangError::InvalidArrivalRate(rate));
        }
        let aht = self.mean_handle_time_s;
        if !aht.is_finite() || aht <= 0.0 {
            return Err(ErlangError::InvalidHandleTime(aht));
        }
        let t = self.service_level_threshold_s;
        if !t.is_finite() || t < 0.0 {
            return Err(ErlangError::InvalidThreshold(t));
        }
        if let Some(p) = self.mean_patience_s {
            if !p.is_finite() || p <= 0.0 {
                return Err(ErlangError::InvalidPatience(p));
            }
        }
        Ok(())
    }
}

/// Which queueing model produced a set of figures.
///
/// Serialised as `"erlang_c"` / `"erlang_a"` so JSON consumers can tell
/// whether abandonment was modelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErlangModel {
    /// M/M/c with infinitely patient customers.
    ErlangC,
    /// M/M/c+M: exponential patience, waiting items may abandon.
    ErlangA,
}

impl ErlangModel {
    /// The stable machine-readable name (`"erlang_c"` or `"erlang_a"`), the
    /// same string used in JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            ErlangModel::ErlangC => "erlang_c",
            ErlangModel::ErlangA => "erlang_a",
        }
    }
}

impl std::fmt::Display for ErlangModel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Steady-state performance figures of one queue.
///
/// All probabilities are per *offered* item unless stated otherwise; times
/// are in seconds.
///
/// An unstable Erlang C queue (offered load `a ≥ c`) is reported as figures
/// with `stable == false` rather than as an error, so a caller can still show
/// the offered load and occupancy next to a clear "queue grows without bound"
/// message. Its unbounded figures are `f64::INFINITY`, which `serde_json`
/// writes as `null`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ErlangFigures {
    /// Model used: Erlang C when no patience was given, Erlang A otherwise.
    pub model: ErlangModel,
    /// Offered load `a = λ · AHT` in Erlangs.
    pub offered_load_erlangs: f64,
    /// Probability that an arriving item finds all agents busy and has to
    /// queue (by PASTA, the time-average probability that all agents are
    /// busy).
    pub p_wait: f64,
    /// Average speed of answer: mean wait of *answered* items in seconds,
    /// counting items answered immediately as zero wait. Abandoned items are
    /// excluded, matching how contact centres report ASA.
    pub asa_s: f64,
    /// Fraction of *offered* items answered within the threshold `T`.
    /// Erlang C: `P(wait ≤ T)`. Erlang A: `P(not abandoned and wait ≤ T)`,
    /// so abandonments count against the service level.
    pub service_level: f64,
    /// Probability that an offered item abandons before being answered
    /// (always 0 for Erlang C).
    pub p_abandon: f64,
    /// Mean fraction of agent time spent handling work. Erlang C: `a / c`;
    /// Erlang A: `λ (1 − P_ab) · AHT / c`, because abandoned items consume no
    /// handle time.
    pub occupancy: f64,
    /// Time-average number of items waiting in queue (not in service).
    pub mean_queue_length: f64,
    /// Whether a steady state exists. Always true for Erlang A; false for
    /// Erlang C when `a ≥ c`.
    pub stable: bool,
}

/// Everything that can go wrong when evaluating or staffing a queue.
///
/// Every message names the offending parameter and what was expected, so a
/// CLI can print it verbatim.
#[derive(Debug, Clone, Copy, PartialEq, Error)]
pub enum ErlangError {
    /// A queue without agents has no steady state worth reporting.
    #[error("agents must be at least 1, got 0")]
    ZeroAgents,
    /// The arrival rate was negative, NaN or infinite.
    #[error("arrival_rate_per_hour must be a finite number >= 0, got {0}")]
    InvalidArrivalRate(f64),
    /// The handle time was zero, negative, NaN or infinite.
    #[error("mean_handle_time_s must be a finite number of seconds > 0, got {0}")]
    InvalidHandleTime(f64),
    /// The service-level threshold was negative, NaN or infinite.
    #[error("service_level_threshold_s must be a finite number of seconds >= 0, got {0}")]
    InvalidThreshold(f64),
    /// The patience was zero, negative, NaN or infinite.
    #[error(
        "mean_patience_s must be a finite number of seconds > 0 \
         (omit it for erlang c, i.e. no abandonment), got {0}"
    )]
    InvalidPatience(f64),
    /// The offered load (`λ · AHT`) was not representable as a finite
    /// number.
    #[error(
        "offered load (arrival_rate_per_hour * mean_handle_time_s / 3600) must be finite, got {0}"
    )]
    InvalidOfferedLoad(f64),
    /// A staffing target was outside its meaningful range.
    #[error("staffing target {name} must be {expected}, got {value}")]
    InvalidTarget {
        /// Name of the target field.
        name: &'static str,
        /// Human-readable description of the accepted range.
        expected: &'static str,
        /// The rejected value.
        value: f64,
    },
    /// No head-count up to the search bound meets the staffing target.
    #[error("staffing target not reachable with up to {max_agents} agents; expected a target that more agents can meet (service_level < 1, max_asa_s > 0, max_p_abandon > 0)")]
    TargetUnreachable {
        /// Largest head-count that was tried.
        max_agents: u32,
    },
    /// The Erlang A queue would need an impractically long state space:
    /// heavily overloaded with very long patience, so the queue only settles
    /// at an enormous length.
    #[error(
        "erlang a queue needs more than {max_states} queue states; expected mean_patience_s \
         to be shorter relative to the overload (or fewer arrivals / more agents)"
    )]
    StateSpaceTooLarge {
        /// The state-space limit that was exceeded.
        max_states: u64,
    },
}
