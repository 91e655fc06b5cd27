//! Recognising a scenario that *is* an Erlang queue.
//!
//! design.md §4: one queue, capacity-1 agents each taking one item, no
//! answer delay (auto-accept or zero response time with accept probability
//! 1), Most Available, no push timeout, constant Poisson arrivals,
//! exponential handle time and optional exponential patience, no wrap-up, everyone
//! logged in for the whole run (no breaks, nobody absent), every group able to take every item (a
//! member of the queue, or holding every skill it asks for), and items
//! served in arrival order (no drawn secondary priority). Such a scenario is exactly M/M/c (Erlang
//! C) or M/M/c+M (Erlang A), so `omnisim run` can print the analytic
//! figures next to the simulated ones. Day-level busyness (a random rate
//! per replication) and retrials (abandoned customers coming back) leave
//! the model, so a scenario with either is not equivalent.

use super::ErlangInput;
use crate::distribution::Distribution;
use crate::omni::{CapacityCost, QueueId, RoutingModel};
use crate::scenario::{ArrivalRate, Scenario, SecondaryPriority};

/// The Erlang input equivalent to `s`, or `None` if `s` is not an
/// Erlang-equivalent centre. Capacity counts as servers: `n` agents of
/// capacity `k` taking weight-1 items are `n·k` servers.
pub fn erlang_equivalent(s: &Scenario) -> Option<ErlangInput> {
    if s.queues.len() != 1 || s.arrivals.len() != 1 {
        return None;
    }
    let q = &s.queues[0];
    if q.routing.model != RoutingModel::MostAvailable || q.routing.push_timeout.is_some() {
        return None;
    }
    let a = &s.arrivals[0];
    let ArrivalRate::Constant(rate) = a.rate else {
        return None;
    };
    let Distribution::Exponential { mean: aht } = a.handle_time else {
        return None;
    };
    if !a.skill_mix.is_empty()
        || a.wrap_up.is_some()
        || a.retrial.as_ref().is_some_and(|r| r.probability > 0.0)
        || s.simulation.busyness.is_some_and(|b| b.cv > 0.0)
        || matches!(
            a.secondary_priority,
            Some(SecondaryPriority::Discrete { .. })
        )
    {
        return None;
    }
    let needs: Vec<_> = q.routing.skills.iter().chain(&a.skills).copied().collect();
    let may_take =
        |g: &crate::scenario::AgentGroup| g.may_take(QueueId(0), q.routing.routing_type, &needs);
    let patience = match &a.patience {
        None => None,
        Some(Distribution::Exponential { mean }) => Some(*mean),
        Some(_) => return None,
    };
    let mut servers = 0u32;
    for g in &s.agents {
        let cfg = &s.presence_configs[g.presence_config.index()];
        let status = &s.statuses[g.status.index()];
        let slots = match q.routing.cost {
            CapacityCost::Weight(w) if cfg.capacity % w == 0 => cfg.capacity / w,
            CapacityCost::Percentage(p) if (100.0 / p).fract() == 0.0 => (100.0 / p) as u32,
            _ => return None,
        };
        let instant = cfg.auto_accept
            || (g.behaviour.response_time == Distribution::Constant { value: 0.0 }
                && g.behaviour.accept_probability == 1.0
                && g.behaviour.no_answer_probability == 0.0);
        let whole_run = g.absence == 0.0
            && g.schedules().all(|a| {
                a.breaks.is_empty()
                    && a.shift.start.is_zero()
                    && a.shift.end.is_none_or(|e| e >= s.run_length())
            });
        if !status.has_channel(q.channel)
            || !instant
            || g.behaviour.wrap_up.is_some()
            || !whole_run
            || !may_take(g)
        {
            return None;
        }
        servers += g.count * slots;
    }
    Some(ErlangInput {
        agents: servers,
        arrival_rate_per_hour: rate,
        mean_handle_time_s: aht,
        service_level_threshold_s: s.simulation.service_level_threshold.as_secs_f64(),
        mean_patience_s: patience,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{Busyness, BusynessDist, Retrial};

    #[test]
    fn busy_days_and_retrials_are_not_erlang() {
        let s = Scenario::from_path("../scenarios/erlang_a.toml".as_ref()).unwrap();
        assert!(erlang_equivalent(&s).is_some());
        let mut busy = s.clone();
        busy.simulation.busyness = Some(Busyness {
            dist: BusynessDist::Gamma,
            cv: 0.1,
        });
        assert_eq!(erlang_equivalent(&busy), None);
        busy.simulation.busyness.as_mut().unwrap().cv = 0.0;
        assert!(
            erlang_equivalent(&busy).is_some(),
            "cv 0: every day the same"
        );
        let mut retrying = s.clone();
        retrying.arrivals[0].retrial = Some(Retrial {
            probability: 0.3,
            delay: Distribution::Exponential { mean: 600.0 },
        });
        assert_eq!(erlang_equivalent(&retrying), None);
        retrying.arrivals[0].retrial.as_mut().unwrap().probability = 0.0;
        assert!(erlang_equivalent(&retrying).is_some(), "nobody comes back");
    }
}
