//! The metrics of one replication, as plain data.

use serde::Serialize;

/// Name used for the whole-centre rows (`overall` in JSON, `ALL` in CSV).
pub const ALL_QUEUES: &str = "ALL";

/// The metrics of one queue (or of the whole centre) over the measured
/// window or one reporting interval.
///
/// Item counts are by arrival time (an item arriving in the window counts
/// even if answered after it); `declined` and `push_timeouts` by event
/// time. With retrials every attempt is an item: `offered`, `answered`,
/// `abandoned` and the ratios count attempts, as call centres do, and
/// `offered_customers` counts the customers behind them. Ratios whose denominator is zero are `None` — "no item was
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
    /// The queue's *share* of the centre's load: small for a queue whose
    /// agents are busy with other queues' work; see `agents_occupancy`.
    pub occupancy: Option<f64>,
    /// Time-averaged load held / capacity online of the agents who may
    /// take this queue's work (members for queue-based routing, holders of
    /// the routing configuration's skills for skills-based routing), while
    /// in a status carrying the queue's channel, all the work they hold
    /// counted, whichever queue it came from: how busy the people this
    /// queue depends on are. For the centre it equals `occupancy`.
    pub agents_occupancy: Option<f64>,
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
    /// Offered items that were a customer's new attempt after abandoning
    /// (`arrivals[].retrial`); counted in `offered`.
    pub retrials: u64,
    /// Offered items that were a customer's first attempt: the customers
    /// who arrived. `offered = offered_customers + retrials`.
    pub offered_customers: u64,
}

/// How one metric of [`QueueMetrics`] is read: counts as numbers, the
/// rest `None` where undefined.
pub type MetricReader = fn(&QueueMetrics) -> Option<f64>;

/// Every metric of [`QueueMetrics`] by the name `summary.json` and
/// `intervals.csv` give it, in that order: the list a user may name a
/// metric from (e.g. `run --precision`).
pub const QUEUE_METRICS: &[(&str, MetricReader)] = &[
    ("offered", |m| Some(m.offered as f64)),
    ("answered", |m| Some(m.answered as f64)),
    ("abandoned", |m| Some(m.abandoned as f64)),
    ("ended_no_agent", |m| Some(m.ended_no_agent as f64)),
    ("service_level", |m| m.service_level),
    ("asa_s", |m| m.asa_s),
    ("p_wait", |m| m.p_wait),
    ("p_abandon", |m| m.p_abandon),
    ("aht_s", |m| m.aht_s),
    ("wrap_up_s", |m| m.wrap_up_s),
    ("occupancy", |m| m.occupancy),
    ("agents_occupancy", |m| m.agents_occupancy),
    ("declined", |m| Some(m.declined as f64)),
    ("push_timeouts", |m| Some(m.push_timeouts as f64)),
    ("waiting_at_end", |m| Some(m.waiting_at_end as f64)),
    ("in_progress_at_end", |m| Some(m.in_progress_at_end as f64)),
    ("transferred_out", |m| Some(m.transferred_out as f64)),
    ("transferred_in", |m| Some(m.transferred_in as f64)),
    ("retrials", |m| Some(m.retrials as f64)),
    ("offered_customers", |m| Some(m.offered_customers as f64)),
];

impl QueueMetrics {
    /// The reader of the metric called `name` in [`QUEUE_METRICS`].
    pub fn reader(name: &str) -> Option<MetricReader> {
        QUEUE_METRICS
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, r)| *r)
    }

    /// Checks that every offered item is in exactly one final state:
    /// `offered = answered + abandoned + ended_no_agent + waiting_at_end`,
    /// with `in_progress_at_end ≤ answered`, and that every offered item
    /// is a first attempt or a retrial: `offered = offered_customers +
    /// retrials`.
    ///
    /// `answered` counts every accepted item (design §5), so the items in
    /// progress at the end are already inside it: `answered = closed +
    /// in_progress_at_end`. Adding `in_progress_at_end` once more would
    /// count them twice. The message names the queue and the figures.
    pub fn check_conservation(&self) -> Result<(), String> {
        let accounted = self.answered + self.abandoned + self.ended_no_agent + self.waiting_at_end;
        if self.offered != self.offered_customers + self.retrials {
            return Err(format!(
                "queue `{}`: offered {} != first attempts {} + retrials {}",
                self.queue, self.offered, self.offered_customers, self.retrials
            ));
        }
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
            || sum(|q| q.retrials) != self.overall.retrials
            || sum(|q| q.offered_customers) != self.overall.offered_customers
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_metric_list_names_every_figure_in_file_order() {
        let m = QueueMetrics {
            queue: "A".into(),
            offered: 1,
            answered: 2,
            abandoned: 3,
            ended_no_agent: 4,
            service_level: Some(5.0),
            asa_s: Some(6.0),
            p_wait: Some(7.0),
            p_abandon: Some(8.0),
            aht_s: Some(9.0),
            wrap_up_s: Some(10.0),
            occupancy: Some(11.0),
            agents_occupancy: Some(12.0),
            declined: 13,
            push_timeouts: 14,
            waiting_at_end: 15,
            in_progress_at_end: 16,
            transferred_out: 17,
            transferred_in: 18,
            retrials: 19,
            offered_customers: 20,
        };
        let v = serde_json::to_value(&m).unwrap();
        let keys: Vec<&str> = v
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .filter(|k| *k != "queue")
            .collect();
        let mut names: Vec<&str> = QUEUE_METRICS.iter().map(|(n, _)| *n).collect();
        // serde_json's map sorts keys; compare as sets, then check that
        // each reader reads its own field.
        names.sort_unstable();
        assert_eq!(keys, names);
        for (name, read) in QUEUE_METRICS {
            assert_eq!(read(&m), v[*name].as_f64(), "{name}");
        }
        assert!(QueueMetrics::reader("asa_s").is_some());
        assert!(QueueMetrics::reader("asa").is_none());
    }
}
