//! What the arrivals promise, interval by interval, before any simulation.
//!
//! An arrival rate is written in one of three forms (a constant rate, a
//! rate profile per reporting interval, a forecast with its own interval
//! and handle times), and the model keeps the last two as one:
//! [`ArrivalRate::Profile`], segments of constant rate. This module holds
//! the one rule that reads them, [`ArrivalRate::segment_at`], used by the
//! generator to draw arrivals and by [`Scenario::offered_per_interval`] to
//! tell a planner (or `check`) the offered load of each reporting interval:
//! the inputs of an Erlang calculation per interval.

use super::validate::interval_count;
use super::{ArrivalRate, Scenario};
use crate::omni::QueueId;
use crate::time::SimDuration;
use serde::Serialize;

/// A stretch of an arrival rate over which nothing changes.
#[derive(Copy, Clone, Debug, PartialEq, Serialize)]
pub struct RateSegment {
    /// Rate \[items/hour\], before the day's busyness factor.
    pub per_hour: f64,
    /// Factor on the handle time of every item arriving in it (1 =
    /// unscaled).
    pub aht_scale: f64,
    /// Where it ends, as an offset from `start`; `None` = it holds to the
    /// end of the run.
    pub end: Option<SimDuration>,
}

impl ArrivalRate {
    /// The segment in force `offset` after `start` (the beginning of the
    /// measured day). Past the last segment of a profile the last one
    /// holds; the warm-up, which runs before `start`, uses the segment at
    /// offset 0.
    pub fn segment_at(&self, offset: SimDuration) -> RateSegment {
        match self {
            ArrivalRate::Constant(per_hour) => RateSegment {
                per_hour: *per_hour,
                aht_scale: 1.0,
                end: None,
            },
            ArrivalRate::Profile {
                interval,
                per_hour,
                aht_scale,
            } => {
                let i = (offset.0 / interval.0.max(1)) as usize;
                let last = per_hour.len().saturating_sub(1);
                let k = i.min(last);
                RateSegment {
                    per_hour: per_hour.get(k).copied().unwrap_or(0.0),
                    aht_scale: aht_scale
                        .as_ref()
                        .and_then(|s| s.get(k))
                        .copied()
                        .unwrap_or(1.0),
                    end: (i < last).then(|| SimDuration(interval.0 * (i as u64 + 1))),
                }
            }
        }
    }
}

/// The expected demand of one queue in one reporting interval.
#[derive(Copy, Clone, Debug, PartialEq, Serialize)]
pub struct IntervalLoad {
    /// Expected arrivals \[items/hour\]: first attempts of customers, as
    /// the rate, profile or forecast gives them. Retrials and transfers
    /// come on top; the day's busyness has mean 1, so it changes nothing
    /// here.
    pub rate_per_hour: f64,
    /// Mean handle time \[s\] of the items arriving in the interval (the
    /// stream's `handle_time`, scaled by a forecast's `aht_s`), wrap-up
    /// not included; 0 for a queue without arrivals.
    pub mean_handle_s: f64,
}

impl IntervalLoad {
    /// Offered load in Erlangs: rate × mean handle time.
    pub fn erlangs(&self) -> f64 {
        self.rate_per_hour / 3600.0 * self.mean_handle_s
    }
}

impl Scenario {
    /// For `queue`, the expected arrival rate and mean handle time of each
    /// reporting interval of the measured day (`simulation.interval` steps
    /// from `start`; the last one may be shorter), in order.
    ///
    /// A queue without arrivals gets zeros. Where a profile's segments do
    /// not line up with the reporting intervals (a hand-built profile),
    /// the rate is averaged over the interval by time and the handle time
    /// by arrivals.
    ///
    /// ```
    /// use omnisim_core::omni::QueueId;
    /// use omnisim_core::scenario::Scenario;
    /// # std::env::set_current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/..")).unwrap();
    /// let s = Scenario::from_path("scenarios/erlang_c.toml".as_ref()).unwrap();
    /// let load = s.offered_per_interval(QueueId(0));
    /// assert_eq!(load[0].rate_per_hour, 200.0);
    /// assert_eq!(load[0].mean_handle_s, 300.0);
    /// ```
    pub fn offered_per_interval(&self, queue: QueueId) -> Vec<IntervalLoad> {
        self.offered_of(self.arrivals.iter().find(|a| a.queue == queue))
    }

    /// [`Scenario::offered_per_interval`] of every queue, in queue order
    /// (each queue's stream found once, not searched for per queue).
    pub fn offered_per_queue(&self) -> Vec<Vec<IntervalLoad>> {
        self.stream_of_queue()
            .into_iter()
            .map(|k| self.offered_of(k.map(|k| &self.arrivals[k])))
            .collect()
    }

    /// The offered load of `stream` per interval; zeros without one.
    fn offered_of(&self, stream: Option<&super::ArrivalStream>) -> Vec<IntervalLoad> {
        let sim = &self.simulation;
        let n = interval_count(sim);
        let Some(stream) = stream else {
            return vec![
                IntervalLoad {
                    rate_per_hour: 0.0,
                    mean_handle_s: 0.0,
                };
                n
            ];
        };
        let handle = stream.handle_time.mean_secs();
        let step = sim.interval.0.max(1);
        (0..n as u64)
            .map(|i| {
                let (from, to) = (i * step, ((i + 1) * step).min(sim.duration.0));
                let first = stream.rate.segment_at(SimDuration(from));
                if first.end.is_none_or(|e| e.0 >= to) {
                    // One segment covers the interval: its figures exactly.
                    return IntervalLoad {
                        rate_per_hour: first.per_hour,
                        mean_handle_s: handle * first.aht_scale,
                    };
                }
                let (mut rate_time, mut handle_weight, mut scale_time) = (0.0, 0.0, 0.0);
                let mut at = from;
                while at < to {
                    let s = stream.rate.segment_at(SimDuration(at));
                    let end = s.end.map_or(to, |e| e.0.clamp(at + 1, to));
                    let w = (end - at) as f64;
                    rate_time += s.per_hour * w;
                    handle_weight += s.per_hour * s.aht_scale * w;
                    scale_time += s.aht_scale * w;
                    at = end;
                }
                let span = (to - from).max(1) as f64;
                let scale = if rate_time > 0.0 {
                    handle_weight / rate_time
                } else {
                    scale_time / span
                };
                IntervalLoad {
                    rate_per_hour: rate_time / span,
                    mean_handle_s: handle * scale,
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::distribution::Distribution;

    fn profile(interval_s: u64, per_hour: &[f64], aht_scale: Option<&[f64]>) -> ArrivalRate {
        ArrivalRate::Profile {
            interval: SimDuration::from_secs(interval_s),
            per_hour: per_hour.to_vec(),
            aht_scale: aht_scale.map(<[f64]>::to_vec),
        }
    }

    #[test]
    fn segments_end_where_the_next_begins_and_the_last_holds() {
        let p = profile(1800, &[10.0, 20.0, 30.0], Some(&[1.0, 1.5, 0.5]));
        let at = |s: u64| p.segment_at(SimDuration::from_secs(s));
        assert_eq!(
            at(0),
            RateSegment {
                per_hour: 10.0,
                aht_scale: 1.0,
                end: Some(SimDuration::from_secs(1800))
            }
        );
        assert_eq!(at(1800).per_hour, 20.0);
        assert_eq!(at(1800).aht_scale, 1.5);
        assert_eq!(at(3599).end, Some(SimDuration::from_secs(3600)));
        assert_eq!(at(3600).end, None);
        assert_eq!(at(99_999).per_hour, 30.0);
        assert_eq!(at(99_999).aht_scale, 0.5);
        let c = ArrivalRate::Constant(42.0).segment_at(SimDuration::from_secs(7));
        assert_eq!((c.per_hour, c.aht_scale, c.end), (42.0, 1.0, None));
    }

    fn scenario(rate: ArrivalRate, interval_s: u64, duration_s: u64) -> Scenario {
        let mut s = crate::stats::test_support::scenario(
            0,
            duration_s,
            interval_s,
            20,
            &["A", "B"],
            &[("g", 1, 1)],
        );
        s.arrivals = vec![crate::scenario::ArrivalStream {
            queue: QueueId(0),
            rate,
            handle_time: Distribution::Exponential { mean: 300.0 },
            patience: None,
            wrap_up: None,
            skills: vec![],
            skill_mix: vec![],
            priority: None,
            secondary_priority: None,
            transfer: None,
            retrial: None,
            recorded: None,
        }];
        s
    }

    #[test]
    fn offered_load_follows_the_rate_in_every_reporting_interval() {
        // A 1-hour forecast over 30-minute reporting intervals, the last
        // interval shorter than the rest.
        let s = scenario(
            profile(3600, &[60.0, 120.0], Some(&[1.0, 2.0])),
            1800,
            3 * 3600 + 600,
        );
        let load = s.offered_per_interval(QueueId(0));
        let rates: Vec<f64> = load.iter().map(|l| l.rate_per_hour).collect();
        let handles: Vec<f64> = load.iter().map(|l| l.mean_handle_s).collect();
        assert_eq!(rates, [60.0, 60.0, 120.0, 120.0, 120.0, 120.0, 120.0]);
        assert_eq!(handles, [300.0, 300.0, 600.0, 600.0, 600.0, 600.0, 600.0]);
        assert_eq!(load[2].erlangs(), 20.0);
        // A queue without arrivals: zeros, one per interval.
        let none = s.offered_per_interval(QueueId(1));
        assert_eq!(none.len(), 7);
        assert!(none
            .iter()
            .all(|l| l.rate_per_hour == 0.0 && l.mean_handle_s == 0.0));
        // A constant rate.
        let c = scenario(ArrivalRate::Constant(90.0), 1800, 3600);
        assert_eq!(
            c.offered_per_interval(QueueId(0)),
            vec![
                IntervalLoad {
                    rate_per_hour: 90.0,
                    mean_handle_s: 300.0
                };
                2
            ]
        );
    }

    #[test]
    fn segments_across_an_interval_are_averaged_by_time_and_by_arrivals() {
        // 20-minute segments over 1-hour intervals: 3 per interval.
        let s = scenario(
            profile(1200, &[30.0, 60.0, 90.0, 0.0], Some(&[1.0, 2.0, 1.0, 3.0])),
            3600,
            7200,
        );
        let load = s.offered_per_interval(QueueId(0));
        assert!((load[0].rate_per_hour - 60.0).abs() < 1e-9, "{load:?}");
        // Arrival-weighted: (30·1 + 60·2 + 90·1) / 180 = 4/3 of 300 s.
        assert!((load[0].mean_handle_s - 400.0).abs() < 1e-9, "{load:?}");
        // The second hour: the last segment (0/h, scale 3) holds.
        assert_eq!(load[1].rate_per_hour, 0.0);
        assert_eq!(load[1].mean_handle_s, 900.0);
    }
}
