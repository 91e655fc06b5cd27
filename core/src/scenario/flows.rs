//! Where the offered work goes: each queue's load in each reporting
//! interval, every source counted.
//!
//! [`Scenario::offered_per_interval`] tells what customers bring to a
//! queue: its own arrivals and their handle time. Agents carry more and
//! less than that. More: the wrap-up after each item holds their capacity
//! too, and items transferred in from other queues (omni-reference §12.7)
//! are work for the receiving queue's agents, even a queue with no
//! arrivals of its own. Less: an item transferred away is handled only up
//! to its transfer in the queue it arrived in. [`Scenario::offered_work`]
//! counts all of it, so `check`'s summary, its interval-by-interval
//! warnings and `plan` read one figure.
//!
//! A transfer happens after the smaller of a drawn `after` and the handle
//! time left, and what is left goes on to the next queue: how the handle
//! time splits between the queues depends on both distributions. Only for
//! arrival streams that transfer, the split is estimated from a fixed
//! number of draws from a random stream of fixed seed, so it is the same
//! on every run and machine; other streams' figures are exact means.

use super::{ArrivalStream, IntervalLoad, Scenario};
use crate::omni::QueueId;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// Draws per (transferring stream, handle-time scale) when estimating how
/// the handle time splits between queues: enough for a fraction of a
/// percent on a summary's figure.
const SPLIT_DRAWS: u32 = 4096;

/// Per queue, what one item arriving in a stream brings it: items that
/// enter it, seconds of handling and of wrap-up.
#[derive(Copy, Clone, Debug, Default, PartialEq)]
struct Share {
    items: f64,
    handle_s: f64,
    wrap_s: f64,
}

impl Scenario {
    /// The mean wrap-up of an item of `stream` closed in `queue`: the
    /// stream's own `wrap_up`, else that of the first agent group that may
    /// take the queue's work (capacity stays held meanwhile, so it is load).
    pub fn closing_wrap_up_s(&self, stream: Option<&ArrivalStream>, queue: QueueId) -> f64 {
        if let Some(w) = stream.and_then(|a| a.wrap_up.as_ref()) {
            return w.mean_secs();
        }
        let q = &self.queues[queue.index()];
        self.agents
            .iter()
            .find(|g| g.may_take(queue, q.routing.routing_type, &q.routing.skills))
            .and_then(|g| g.behaviour.wrap_up.as_ref())
            .map_or(0.0, |w| w.mean_secs())
    }

    /// What one item of `stream` brings each queue, its handle time scaled
    /// by `aht_scale`.
    fn shares(&self, stream: &ArrivalStream, aht_scale: f64) -> Vec<Share> {
        let mut out = vec![Share::default(); self.queues.len()];
        let from = stream.queue;
        if stream.transfer.is_none() {
            out[from.index()] = Share {
                items: 1.0,
                handle_s: stream.handle_time.mean_secs() * aht_scale,
                wrap_s: self.closing_wrap_up_s(Some(stream), from),
            };
            return out;
        }
        let by_queue: Vec<Option<&super::Transfer>> = (0..self.queues.len())
            .map(|q| {
                self.arrivals
                    .iter()
                    .find(|a| a.queue.index() == q)
                    .and_then(|a| a.transfer.as_ref())
            })
            .collect();
        // Each draw follows the one path of queues the transfers lead
        // along, weighing each step by the chance of reaching it: the
        // shares of items are exact, and only the split of the handle time
        // is drawn (exact too when the times are constant).
        let mut rng = ChaCha8Rng::seed_from_u64(0x5EED_F10E ^ from.0 as u64);
        let mut closes = vec![0.0; self.queues.len()];
        for _ in 0..SPLIT_DRAWS {
            let mut left = stream.handle_time.sample_secs(&mut rng) * aht_scale;
            let (mut at, mut reach) = (from, 1.0);
            // As the generator plans them: at most MAX_TRANSFERS.
            for k in 0..=super::MAX_TRANSFERS {
                let share = &mut out[at.index()];
                share.items += reach;
                match by_queue[at.index()] {
                    Some(t) if k < super::MAX_TRANSFERS && reach > 0.0 => {
                        let p = t.probability;
                        let handled = t.after.sample_secs(&mut rng).min(left);
                        share.handle_s += reach * (p * handled + (1.0 - p) * left);
                        closes[at.index()] += reach * (1.0 - p);
                        left -= handled;
                        reach *= p;
                        at = t.to_queue;
                    }
                    _ => {
                        share.handle_s += reach * left;
                        closes[at.index()] += reach;
                        break;
                    }
                }
            }
        }
        let n = f64::from(SPLIT_DRAWS);
        for (q, share) in out.iter_mut().enumerate() {
            share.items /= n;
            share.handle_s /= n;
            share.wrap_s = closes[q] / n * self.closing_wrap_up_s(Some(stream), QueueId(q as u32));
        }
        out
    }

    /// Every queue's load in every reporting interval of the measured day
    /// (`[queue][interval]`), every source counted (see the module doc):
    /// `rate_per_hour` is the items entering the queue, first attempts and
    /// transfers in; `mean_handle_s` what its agents spend on each,
    /// handling **and wrap-up** (which holds their capacity too), so that
    /// `rate × mean` is the load in Erlangs. A queue nothing enters gets
    /// zeros.
    pub fn offered_work(&self) -> Vec<Vec<IntervalLoad>> {
        let n = super::validate::interval_count(&self.simulation);
        // [queue][interval]: items per hour, and Erlang-seconds per hour.
        let mut items = vec![vec![0.0; n]; self.queues.len()];
        let mut work = vec![vec![0.0; n]; self.queues.len()];
        for stream in &self.arrivals {
            let own = self.offered_per_interval(stream.queue);
            let base = stream.handle_time.mean_secs();
            let mut cache: Vec<(f64, Vec<Share>)> = Vec::new();
            for (i, load) in own.iter().enumerate() {
                let scale = if base > 0.0 {
                    load.mean_handle_s / base
                } else {
                    1.0
                };
                let shares = match cache.iter().position(|(s, _)| *s == scale) {
                    Some(k) => &cache[k].1,
                    None => {
                        cache.push((scale, self.shares(stream, scale)));
                        &cache[cache.len() - 1].1
                    }
                };
                for (q, share) in shares.iter().enumerate() {
                    items[q][i] += load.rate_per_hour * share.items;
                    work[q][i] += load.rate_per_hour * (share.handle_s + share.wrap_s);
                }
            }
        }
        items
            .iter()
            .zip(&work)
            .map(|(items, work)| {
                items
                    .iter()
                    .zip(work)
                    .map(|(&rate, &w)| IntervalLoad {
                        rate_per_hour: rate,
                        mean_handle_s: if rate > 0.0 { w / rate } else { 0.0 },
                    })
                    .collect()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use crate::omni::QueueId;
    use crate::scenario::Scenario;

    fn scenario(arrivals: &str, wrap: &str) -> Scenario {
        let text = format!(
            r#"
[simulation]
name = "flows"
duration = "2h"
interval = "1h"
[[channels]]
name = "phone"
[[statuses]]
name = "On"
channels = ["phone"]
[[presence_configs]]
name = "c"
capacity = 1
[[queues]]
name = "Cards"
channel = "phone"
routing_model = "most_available"
capacity_weight = 1
[[queues]]
name = "Loans"
channel = "phone"
routing_model = "most_available"
capacity_weight = 1
{arrivals}
[[agents]]
group = "g"
count = 5
presence_config = "c"
status = "On"
{wrap}
"#
        );
        Scenario::from_toml_str(&text, "flows.toml").unwrap()
    }

    #[test]
    fn without_transfers_the_load_is_the_arrivals_with_their_wrap_up() {
        let s = scenario(
            "[[arrivals]]\nqueue = \"Cards\"\nrate_per_hour = 60\nhandle_time = \"5m\"",
            "wrap_up = \"1m\"",
        );
        let w = s.offered_work();
        assert_eq!(w[0][0].rate_per_hour, 60.0);
        assert_eq!(w[0][0].mean_handle_s, 360.0);
        assert_eq!(w[1][1].rate_per_hour, 0.0);
        assert_eq!(w[1][1].mean_handle_s, 0.0);
    }

    #[test]
    fn a_transfer_moves_the_rest_of_the_handle_time_to_the_receiving_queue() {
        // Every Cards call of 10 minutes goes to Loans after 4: Cards
        // handles 4 minutes of each, Loans 6 and the wrap-up.
        let s = scenario(
            "[[arrivals]]\nqueue = \"Cards\"\nrate_per_hour = 30\nhandle_time = \"10m\"\n\
             transfer = { probability = 1, to_queue = \"Loans\", after = \"4m\" }",
            "wrap_up = \"30s\"",
        );
        let w = s.offered_work();
        assert_eq!(w[0][0].rate_per_hour, 30.0);
        assert!(
            (w[0][0].mean_handle_s - 240.0).abs() < 1e-9,
            "{:?}",
            w[0][0]
        );
        assert_eq!(w[1][0].rate_per_hour, 30.0);
        assert!(
            (w[1][0].mean_handle_s - 390.0).abs() < 1e-9,
            "{:?}",
            w[1][0]
        );
        // The work is the same as before the transfer, split.
        let total = |w: &[Vec<crate::scenario::IntervalLoad>]| {
            w.iter().map(|q| q[0].erlangs()).sum::<f64>()
        };
        assert!((total(&w) - 30.0 * 630.0 / 3600.0).abs() < 1e-9);
        // An exponential handle time: a share of the calls goes on, and
        // the estimate is the same on every call.
        let s = scenario(
            "[[arrivals]]\nqueue = \"Cards\"\nrate_per_hour = 30\n\
             handle_time = { dist = \"exponential\", mean = \"5m\" }\n\
             transfer = { probability = 0.5, to_queue = \"Loans\", after = \"2m\" }",
            "",
        );
        let w = s.offered_work();
        assert_eq!(w, s.offered_work());
        assert!((w[1][0].rate_per_hour - 15.0).abs() < 1.0, "{:?}", w[1][0]);
        // E[H − 2m | H > 2m] = 5m for an exponential: the calls that reach
        // Loans with something left bring about 5 minutes each, the rest
        // none.
        let loans = w[1][0].erlangs();
        let expected = 15.0 * (-2.0f64 / 5.0).exp() * 300.0 / 3600.0;
        assert!(
            (loans - expected).abs() / expected < 0.05,
            "{loans} vs {expected}"
        );
        assert!(s.offered_per_interval(QueueId(1))[0].rate_per_hour == 0.0);
    }
}
