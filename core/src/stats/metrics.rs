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
    /// Mean time per closed item that its work was set aside for primary
    /// work \[s\]: the part of `aht_s` during which the agent worked on
    /// other, primary work (interruptible work of a channel with
    /// `interruptible_progress = "idle"`, omni-reference §12.4); 0 for
    /// work that is never interrupted.
    pub interrupted_s: Option<f64>,
    /// Mean wait of transferred items in this queue, from the transfer
    /// into it to their acceptance here \[s\], over the transfers into
    /// it that were answered (by the time of the transfer, omni-reference
    /// §12.7). The item's first wait is `asa_s` of the queue it arrived in.
    pub transfer_wait_s: Option<f64>,
}

/// How one metric of [`QueueMetrics`] is read: counts as numbers, the
/// rest `None` where undefined.
pub type MetricReader = fn(&QueueMetrics) -> Option<f64>;

/// What sort of figure a metric is. Every metric is estimated the same
/// way across replications (the mean of the replications that define
/// it); the kind says how it reads.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum MetricKind {
    /// A number of items or events (always defined).
    Count,
    /// A fraction between 0 and 1 (undefined when its denominator is 0).
    Ratio,
    /// A mean duration in seconds (undefined when nothing was measured).
    Seconds,
}

impl MetricKind {
    /// Decimals a table shows of a mean of this kind.
    pub fn decimals(self) -> usize {
        match self {
            MetricKind::Ratio => 3,
            MetricKind::Count | MetricKind::Seconds => 1,
        }
    }
}

/// One metric of [`QueueMetrics`], described once for every file and
/// page that shows it: `summary.json` (keys in [`QUEUE_METRICS`] order),
/// `intervals.csv` (columns in [`MetricDef::interval_column`] order), the
/// terminal table, the HTML report and `run --precision`.
#[derive(Debug)]
pub struct MetricDef {
    /// Which metric.
    pub metric: Metric,
    /// Its key in `summary.json` and column in `intervals.csv`.
    pub name: &'static str,
    /// Reads it from one replication's figures.
    pub read: MetricReader,
    /// Count, ratio or seconds.
    pub kind: MetricKind,
    /// Unit as the report's table words it (`items`, `count`,
    /// `fraction`, `s`).
    pub unit: &'static str,
    /// Row label of the report's summary table; `None` for a metric the
    /// table leaves out. `{threshold}` stands for the service-level
    /// threshold.
    pub report_label: Option<&'static str>,
    /// Position among the metric columns of `intervals.csv` (after
    /// `queue`): columns added later go at the end, so this order is the
    /// order metrics were added to the file, not the summary's.
    pub interval_column: usize,
    /// Whether `intervals.csv` gives its 95% interval too
    /// (`<name>_ci95_low`, `<name>_ci95_high` right after it).
    pub interval_ci: bool,
}

macro_rules! metrics {
    ($( $variant:ident $name:literal $kind:ident $unit:literal $label:expr, col $col:literal $ci:literal, |$m:ident| $read:expr; )*) => {
        /// A metric of [`QueueMetrics`], in `summary.json` order; its
        /// description is [`Metric::def`].
        #[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[allow(missing_docs)]
        pub enum Metric { $( $variant, )* }

        /// Every metric, described, in `summary.json` order (the order of
        /// [`QueueMetrics`]' fields): the list a user may name a metric
        /// from (e.g. `run --precision`) and the one every result file
        /// and page iterates.
        pub const QUEUE_METRICS: &[MetricDef] = &[
            $( MetricDef {
                metric: Metric::$variant,
                name: $name,
                read: |$m| $read,
                kind: MetricKind::$kind,
                unit: $unit,
                report_label: $label,
                interval_column: $col,
                interval_ci: $ci,
            }, )*
        ];
    };
}

metrics! {
    Offered "offered" Count "items" Some("Offered"), col 0 false, |m| Some(m.offered as f64);
    Answered "answered" Count "items" Some("Answered"), col 1 false, |m| Some(m.answered as f64);
    Abandoned "abandoned" Count "items" Some("Abandoned"), col 2 false, |m| Some(m.abandoned as f64);
    EndedNoAgent "ended_no_agent" Count "items" Some("Ended, no agent"), col 13 false, |m| Some(m.ended_no_agent as f64);
    ServiceLevel "service_level" Ratio "fraction" Some("Service level (within {threshold})"), col 3 true, |m| m.service_level;
    AsaS "asa_s" Seconds "s" Some("Average speed of answer"), col 4 true, |m| m.asa_s;
    PWait "p_wait" Ratio "fraction" Some("P(wait)"), col 5 false, |m| m.p_wait;
    PAbandon "p_abandon" Ratio "fraction" Some("P(abandon)"), col 6 false, |m| m.p_abandon;
    AhtS "aht_s" Seconds "s" Some("Average handle time"), col 7 false, |m| m.aht_s;
    WrapUpS "wrap_up_s" Seconds "s" Some("Wrap-up (part of handle time)"), col 14 false, |m| m.wrap_up_s;
    Occupancy "occupancy" Ratio "fraction" Some("Occupancy (the queue's share)"), col 8 true, |m| m.occupancy;
    AgentsOccupancy "agents_occupancy" Ratio "fraction" Some("Agents' occupancy (who may take it)"), col 19 true, |m| m.agents_occupancy;
    Declined "declined" Count "count" Some("Declines"), col 9 false, |m| Some(m.declined as f64);
    PushTimeouts "push_timeouts" Count "count" Some("Push timeouts"), col 10 false, |m| Some(m.push_timeouts as f64);
    WaitingAtEnd "waiting_at_end" Count "items" Some("Waiting at end"), col 11 false, |m| Some(m.waiting_at_end as f64);
    InProgressAtEnd "in_progress_at_end" Count "items" Some("In progress at end"), col 12 false, |m| Some(m.in_progress_at_end as f64);
    TransferredOut "transferred_out" Count "items" None, col 15 false, |m| Some(m.transferred_out as f64);
    TransferredIn "transferred_in" Count "items" None, col 16 false, |m| Some(m.transferred_in as f64);
    Retrials "retrials" Count "items" None, col 17 false, |m| Some(m.retrials as f64);
    OfferedCustomers "offered_customers" Count "items" None, col 18 false, |m| Some(m.offered_customers as f64);
    InterruptedS "interrupted_s" Seconds "s" Some("Set aside for primary work (part of handle time)"), col 20 false, |m| m.interrupted_s;
    TransferWaitS "transfer_wait_s" Seconds "s" Some("Wait after a transfer in"), col 21 false, |m| m.transfer_wait_s;
}

impl Metric {
    /// Every metric, in `summary.json` order.
    pub fn all() -> impl Iterator<Item = Metric> {
        QUEUE_METRICS.iter().map(|d| d.metric)
    }

    /// Its description.
    pub fn def(self) -> &'static MetricDef {
        &QUEUE_METRICS[self as usize]
    }

    /// Its key in `summary.json` and column in `intervals.csv`.
    pub fn name(self) -> &'static str {
        self.def().name
    }

    /// The metric called `name` in the files.
    pub fn from_name(name: &str) -> Option<Metric> {
        QUEUE_METRICS
            .iter()
            .find(|d| d.name == name)
            .map(|d| d.metric)
    }
}

/// The metric definitions in `intervals.csv` column order.
pub fn interval_metrics() -> Vec<&'static MetricDef> {
    let mut defs: Vec<&MetricDef> = QUEUE_METRICS.iter().collect();
    defs.sort_by_key(|d| d.interval_column);
    defs
}

/// One value per metric, indexed by [`Metric`]: the figures of one queue
/// in a form that follows [`QUEUE_METRICS`] wherever it goes (estimates
/// across replications, a report's cells).
#[derive(Clone, Debug, PartialEq)]
pub struct PerMetric<T>(Vec<T>);

impl<T> PerMetric<T> {
    /// The values `f(metric)` of every metric.
    pub fn from_fn(f: impl FnMut(Metric) -> T) -> Self {
        PerMetric(Metric::all().map(f).collect())
    }

    /// `(metric, value)` in `summary.json` order.
    pub fn iter(&self) -> impl Iterator<Item = (Metric, &T)> {
        Metric::all().zip(self.0.iter())
    }
}

impl<T: Default> Default for PerMetric<T> {
    fn default() -> Self {
        PerMetric::from_fn(|_| T::default())
    }
}

impl<T> std::ops::Index<Metric> for PerMetric<T> {
    type Output = T;
    fn index(&self, m: Metric) -> &T {
        &self.0[m as usize]
    }
}

impl<T> std::ops::IndexMut<Metric> for PerMetric<T> {
    fn index_mut(&mut self, m: Metric) -> &mut T {
        &mut self.0[m as usize]
    }
}

/// A JSON object keyed by metric name, in `summary.json` order.
impl<T: Serialize> Serialize for PerMetric<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (m, v) in self.iter() {
            map.serialize_entry(m.name(), v)?;
        }
        map.end()
    }
}

/// Reads what [`Serialize`] writes, so a report reads `summary.json`'s
/// metrics with the type that wrote them. A key that names no metric is
/// skipped and a metric the object lacks keeps its default (`None` for an
/// estimate): a file written before a metric existed, or by a later
/// omnisim with more, still reads.
impl<'de, T: serde::Deserialize<'de> + Default> serde::Deserialize<'de> for PerMetric<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Keyed<T>(std::marker::PhantomData<T>);
        impl<'de, T: serde::Deserialize<'de> + Default> serde::de::Visitor<'de> for Keyed<T> {
            type Value = PerMetric<T>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object keyed by metric name")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<PerMetric<T>, A::Error> {
                let mut values = PerMetric::default();
                while let Some(key) = map.next_key::<String>()? {
                    match Metric::from_name(&key) {
                        Some(metric) => values[metric] = map.next_value()?,
                        None => {
                            map.next_value::<serde::de::IgnoredAny>()?;
                        }
                    }
                }
                Ok(values)
            }
        }
        d.deserialize_map(Keyed(std::marker::PhantomData))
    }
}

impl QueueMetrics {
    /// The reader of the metric called `name` in [`QUEUE_METRICS`].
    pub fn reader(name: &str) -> Option<MetricReader> {
        Metric::from_name(name).map(|m| m.def().read)
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
    /// Time in the window during which interruptible work the agent held
    /// was set aside for its primary work \[s\] (omni-reference §12.4).
    pub interrupted_s: f64,
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
            interrupted_s: Some(21.0),
            transfer_wait_s: Some(22.0),
        };
        let v = serde_json::to_value(&m).unwrap();
        let keys: Vec<&str> = v
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .filter(|k| *k != "queue")
            .collect();
        let mut names: Vec<&str> = QUEUE_METRICS.iter().map(|d| d.name).collect();
        // serde_json's map sorts keys; compare as sets, then check that
        // each reader reads its own field.
        names.sort_unstable();
        assert_eq!(keys, names);
        for d in QUEUE_METRICS {
            assert_eq!((d.read)(&m), v[d.name].as_f64(), "{}", d.name);
        }
        assert!(QueueMetrics::reader("asa_s").is_some());
        assert!(QueueMetrics::reader("asa").is_none());
    }

    #[test]
    fn the_table_is_indexed_by_its_metrics_and_every_interval_column_is_used_once() {
        for (i, d) in QUEUE_METRICS.iter().enumerate() {
            assert_eq!(d.metric as usize, i, "{}", d.name);
            assert_eq!(Metric::from_name(d.name), Some(d.metric));
            let read_as = (d.read)(&QueueMetrics::default());
            match d.kind {
                MetricKind::Count => assert_eq!(read_as, Some(0.0), "{}", d.name),
                MetricKind::Ratio | MetricKind::Seconds => assert_eq!(read_as, None, "{}", d.name),
            }
        }
        let columns: Vec<usize> = interval_metrics()
            .iter()
            .map(|d| d.interval_column)
            .collect();
        assert_eq!(columns, (0..QUEUE_METRICS.len()).collect::<Vec<_>>());
    }
}
