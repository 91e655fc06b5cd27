//! The metrics of one replication, as plain data.

use serde::Serialize;

/// Name used for the whole-centre rows (`overall` in JSON, `ALL` in CSV).
pub const ALL_QUEUES: &str = "ALL";

/// The metrics of one queue (or of the whole centre) over the measured
/// window or one reporting interval.
///
/// Item counts are by arrival time (an item arriving in the window counts
/// even if answered after it); `declined` and `push_timeouts` by event
/// time. Ratios whose denominator is zero are `None` — "no item was
/// offered" is not a service level of 0 or 1.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct QueueMetrics {
    /// Queue name, or [`ALL_QUEUES`].
    pub queue: String,
    /// Items that arrived.
    pub offered: u64,
    /// Items accepted by an agent (first acceptance; closed ones included).
    pub answered: u64,
    /// Items whose patience ran out before acceptance.
    pub abandoned: u64,
    /// Items ended because every available agent declined them or let
    /// them time out, on a channel that ends such items (`WorkEndedNoAgent`).
    /// Not abandoned: the customer did not leave, the centre let them go.
    pub ended_no_agent: u64,
    /// Answered within the service-level threshold / offered; each item
    /// against its own queue's threshold, so the centre-wide figure mixes
    /// thresholds when queues differ.
    pub service_level: Option<f64>,
    /// Mean arrival → accept time over answered items \[s\].
    pub asa_s: Option<f64>,
    /// Fraction of offered items not pushed to an agent at their arrival
    /// instant.
    pub p_wait: Option<f64>,
    /// Abandoned / offered.
    pub p_abandon: Option<f64>,
    /// Mean accept → close time over closed items \[s\] (wrap-up
    /// included).
    pub aht_s: Option<f64>,
    /// Mean wrap-up over closed items \[s\]: the part of `aht_s` after the
    /// handle time, close − accept − handle time (0 for an item closed
    /// before its handle time was over, e.g. by a logout).
    pub wrap_up_s: Option<f64>,
    /// Time-averaged load held (by this queue's work) / capacity online.
    pub occupancy: Option<f64>,
    /// Explicit declines.
    pub declined: u64,
    /// Pushes that timed out.
    pub push_timeouts: u64,
    /// Items never accepted and not abandoned when the run ended.
    pub waiting_at_end: u64,
    /// Items accepted but not closed when the run ended (an item
    /// transferred and still waiting in its new queue included).
    pub in_progress_at_end: u64,
    /// Items transferred away from this queue by its agents (by event
    /// time, omni-reference §12.7). The item stays offered and answered
    /// in the queue it arrived in.
    pub transferred_out: u64,
    /// Items that entered this queue by transfer (by event time). Not
    /// counted in `offered`: they were offered once, in their first queue.
    pub transferred_in: u64,
}

impl QueueMetrics {
    /// Checks that every offered item is in exactly one final state:
    /// `offered = answered + abandoned + ended_no_agent + waiting_at_end`,
    /// with `in_progress_at_end ≤ answered`.
    ///
    /// `answered` counts every accepted item (design §5), so the items in
    /// progress at the end are already inside it: `answered = closed +
    /// in_progress_at_end`. Adding `in_progress_at_end` once more would
    /// count them twice. The message names the queue and the figures.
    pub fn check_conservation(&self) -> Result<(), String> {
        let accounted = self.answered + self.abandoned + self.ended_no_agent + self.waiting_at_end;
        if self.offered == accounted && self.in_progress_at_end <= self.answered {
            Ok(())
        } else {
            Err(format!(
                "queue `{}`: offered {} != answered {} + abandoned {} + ended with no agent {} \
                 + waiting {}, or in progress {} > answered",
                self.queue,
                self.offered,
                self.answered,
                self.abandoned,
                self.ended_no_agent,
                self.waiting_at_end,
                self.in_progress_at_end
            ))
        }
    }
}

/// The metrics of one reporting interval.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct IntervalMetrics {
    /// Position, from 0 at the end of the warm-up.
    pub index: usize,
    /// Start, from the start of the run (warm-up included) \[s\].
    pub start_s: f64,
    /// End (exclusive) \[s\].
    pub end_s: f64,
    /// Per queue, in scenario order.
    pub queues: Vec<QueueMetrics>,
    /// The whole centre.
    pub overall: QueueMetrics,
}

/// The figures of one agent over the measured window.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AgentMetrics {
    /// Agent index (`AgentId`), numbered across groups in scenario order.
    pub agent: u32,
    /// Its group name.
    pub group: String,
    /// Time logged in with an online status \[s\].
    pub time_online_s: f64,
    /// Work closed by the agent.
    pub items_handled: u64,
    /// Time-averaged primary load / primary capacity while online.
    pub occupancy: Option<f64>,
    /// The same for the interruptible pool (omni-reference §12.4).
    pub interruptible_occupancy: Option<f64>,
    /// Explicit declines.
    pub declines: u64,
    /// Pushes that timed out.
    pub push_timeouts: u64,
    /// Time logged in past the end of the shift, finishing work
    /// (logout − shift end) \[s\]: counted whole for a shift ending in the
    /// measured window, up to the end of the run if the agent is still
    /// logged in then; 0 for an abrupt end, an agent not logged in at its
    /// shift end, or a shift ending outside the window.
    pub overtime_s: f64,
    /// Time on its rostered breaks in the window \[s\]: in a break's busy
    /// status, set by the agent itself, before its shift end.
    pub break_s: f64,
    /// Absent for the day (its group's `absence`): never logged in.
    pub absent: bool,
}

/// Everything measured in one replication.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ReplicationResult {
    /// The whole centre.
    pub overall: QueueMetrics,
    /// Per queue, in scenario order.
    pub queues: Vec<QueueMetrics>,
    /// Per reporting interval.
    pub intervals: Vec<IntervalMetrics>,
    /// Per agent, in `AgentId` order.
    pub agents: Vec<AgentMetrics>,
}

impl ReplicationResult {
    /// Runs [`QueueMetrics::check_conservation`] on every queue, the
    /// overall figures and every interval, checks that the overall counts
    /// are the sums of the queues', and that the centre transferred out
    /// exactly as many items as it transferred in.
    pub fn check_conservation(&self) -> Result<(), String> {
        let intervals = self
            .intervals
            .iter()
            .flat_map(|i| i.queues.iter().chain(std::iter::once(&i.overall)));
        for m in self
            .queues
            .iter()
            .chain(std::iter::once(&self.overall))
            .chain(intervals)
        {
            m.check_conservation()?;
        }
        let sum = |f: fn(&QueueMetrics) -> u64| self.queues.iter().map(f).sum::<u64>();
        if sum(|q| q.offered) != self.overall.offered
            || sum(|q| q.answered) != self.overall.answered
            || sum(|q| q.abandoned) != self.overall.abandoned
            || sum(|q| q.ended_no_agent) != self.overall.ended_no_agent
            || sum(|q| q.transferred_out) != self.overall.transferred_out
            || sum(|q| q.transferred_in) != self.overall.transferred_in
        {
            return Err("overall counts are not the sum of the queues' counts".into());
        }
        // Every transfer leaves one queue and enters another, in the same
        // instant, so the centre's outs and ins match in every period.
        for m in std::iter::once(&self.overall).chain(self.intervals.iter().map(|i| &i.overall)) {
            if m.transferred_out != m.transferred_in {
                return Err(format!(
                    "transferred out {} != transferred in {}",
                    m.transferred_out, m.transferred_in
                ));
            }
        }
        Ok(())
    }
}
