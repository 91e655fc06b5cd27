//! Head-count sizing: the smallest number of agents meeting a service target.
//!
//! Planning usually runs the Erlang formulas backwards: given the forecast
//! traffic, how many agents are needed for "80% answered within 20 s"? The
//! service level, ASA and abandonment probability are all monotone in the
//! number of agents (more agents never make a queue worse), so the answer is
//! found by an exponential bracket followed by a binary search, evaluating
//! only `O(log c)` head-counts.

use serde::{Deserialize, Serialize};

use super::{evaluate, ErlangError, ErlangFigures, ErlangInput};

/// What a staffing plan must achieve. All present criteria must hold.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct StaffingTarget {
    /// Minimum service level (fraction of offered items answered within
    /// [`ErlangInput::service_level_threshold_s`]), in `[0, 1]`; e.g. 0.8
    /// for an "80/20" target with a 20 s threshold.
    pub service_level: f64,
    /// Optional ceiling on the abandonment probability, in `[0, 1]`. Only
    /// binding for Erlang A; Erlang C never abandons.
    pub max_p_abandon: Option<f64>,
    /// Optional ceiling on the average speed of answer in seconds (finite,
    /// `>= 0`).
    pub max_asa_s: Option<f64>,
}

impl StaffingTarget {
    /// A plain service-level target with no abandonment or ASA ceiling,
    /// the most common planning question.
    pub fn service_level(service_level: f64) -> Self {
        StaffingTarget {
            service_level,
            max_p_abandon: None,
            max_asa_s: None,
        }
    }

    /// Checks that every criterion is in its meaningful range, so an
    /// impossible or nonsensical target is reported instead of searched for.
    pub fn validate(&self) -> Result<(), ErlangError> {
        let sl = self.service_level;
        if !(0.0..=1.0).contains(&sl) {
            return Err(ErlangError::InvalidTarget {
                name: "service_level",
                expected: "a fraction in [0, 1]",
                value: sl,
            });
        }
        if let Some(p) = self.max_p_abandon {
            if !(0.0..=1.0).contains(&p) {
                return Err(ErlangError::InvalidTarget {
                    name: "max_p_abandon",
                    expected: "a probability in [0, 1]",
                    value: p,
                });
            }
        }
        if let Some(asa) = self.max_asa_s {
            if !asa.is_finite() || asa < 0.0 {
                return Err(ErlangError::InvalidTarget {
                    name: "max_asa_s",
                    expected: "a finite number of seconds >= 0",
                    value: asa,
                });
            }
        }
        Ok(())
    }

    /// Whether `figures` satisfy every criterion. Unstable queues never do,
    /// because their figures describe an ever-growing backlog.
    pub fn is_met_by(&self, figures: &ErlangFigures) -> bool {
        figures.stable
            && figures.service_level >= self.service_level
            && self.max_p_abandon.is_none_or(|p| figures.p_abandon <= p)
            && self.max_asa_s.is_none_or(|asa| figures.asa_s <= asa)
    }
}

/// The answer to a staffing question: the head-count and what it achieves.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct StaffingResult {
    /// Smallest number of agents meeting the target.
    pub agents: u32,
    /// Figures achieved with exactly that many agents, so the plan can be
    /// reported without re-evaluating.
    pub figures: ErlangFigures,
    /// The target that was met, echoed for reporting.
    pub target: StaffingTarget,
}

/// Upper bound of the search: `ceil(10·a + 100)` agents, capped at
/// `u32::MAX`. Any achievable target is met far below this; exceeding it
/// means the target is unreachable (e.g. a zero ASA).
pub fn max_search_agents(offered_load: f64) -> u32 {
    let bound = (offered_load * 10.0 + 100.0).ceil();
    if bound >= f64::from(u32::MAX) {
        u32::MAX
    } else {
        // In range and non-negative: offered_load is validated as >= 0.
        bound as u32
    }
}

/// Smallest number of agents for which `input`'s queue meets `target`,
/// together with the figures at that head-count.
///
/// `input.agents` is ignored (it is what is being solved for); the model
/// (Erlang C or A) follows `input.mean_patience_s` as in
/// [`evaluate`]. Erlang C starts from the smallest
/// head-count exceeding the offered load (anything less is unstable);
/// Erlang A starts from one agent. The search relies on the figures being
/// monotone in the head-count and uses exact comparisons (no tolerance).
///
/// # Errors
///
/// Invalid traffic parameters or target (see [`ErlangError`]), and
/// [`ErlangError::TargetUnreachable`] if no head-count up to
/// [`max_search_agents`] meets the target.
pub fn required_agents(
    input: &ErlangInput,
    target: StaffingTarget,
) -> Result<StaffingResult, ErlangError> {
    input.validate_traffic()?;
    target.validate()?;
    let offered_load = input.offered_load_erlangs();
    if !offered_load.is_finite() {
        return Err(ErlangError::InvalidOfferedLoad(offered_load));
    }
    let max_agents = max_search_agents(offered_load);
    let min_agents = if input.mean_patience_s.is_some() {
        1
    } else {
        // Smallest integer strictly above a (Erlang C needs c > a).
        let floor = offered_load.floor();
        if floor + 1.0 > f64::from(max_agents) {
            return Err(ErlangError::TargetUnreachable { max_agents });
        }
        (floor as u32).saturating_add(1)
    };

    let eval = |agents: u32| -> Result<ErlangFigures, ErlangError> {
        evaluate(&ErlangInput { agents, ..*input })
    };
    let found = |agents: u32, figures: ErlangFigures| StaffingResult {
        agents,
        figures,
        target,
    };

    let first = eval(min_agents)?;
    if target.is_met_by(&first) {
        return Ok(found(min_agents, first));
    }

    // Exponential bracket: `failing` never meets the target, `passing` does.
    let mut failing = min_agents;
    let mut step: u32 = 1;
    let (mut passing, mut passing_figures) = loop {
        if failing >= max_agents {
            return Err(ErlangError::TargetUnreachable { max_agents });
        }
        let candidate = failing.saturating_add(step).min(max_agents);
        let figures = eval(candidate)?;
        if target.is_met_by(&figures) {
            break (candidate, figures);
        }
        failing = candidate;
        step = step.saturating_mul(2);
    };

    // Binary search in (failing, passing].
    while passing - failing > 1 {
        let mid = failing + (passing - failing) / 2;
        let figures = eval(mid)?;
        if target.is_met_by(&figures) {
            passing = mid;
            passing_figures = figures;
        } else {
            failing = mid;
        }
    }
    Ok(found(passing, passing_figures))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn traffic(per_hour: f64, patience: Option<f64>) -> ErlangInput {
        ErlangInput {
            agents: 0,
            arrival_rate_per_hour: per_hour,
            mean_handle_time_s: 300.0,
            service_level_threshold_s: 20.0,
            mean_patience_s: patience,
        }
    }

    fn check_minimal(input: &ErlangInput, target: StaffingTarget) -> u32 {
        let r = required_agents(input, target).unwrap();
        assert!(target.is_met_by(&r.figures));
        let at = evaluate(&ErlangInput {
            agents: r.agents,
            ..*input
        })
        .unwrap();
        assert_eq!(at, r.figures);
        if r.agents > 1 {
            let below = evaluate(&ErlangInput {
                agents: r.agents - 1,
                ..*input
            })
            .unwrap();
            assert!(!target.is_met_by(&below));
        }
        r.agents
    }

    #[test]
    fn finds_minimal_head_count_for_each_criterion() {
        let c = traffic(100.0, None);
        check_minimal(&c, StaffingTarget::service_level(0.8));
        check_minimal(&c, StaffingTarget::service_level(0.95));
        check_minimal(
            &c,
            StaffingTarget {
                service_level: 0.0,
                max_p_abandon: None,
                max_asa_s: Some(5.0),
            },
        );
        let a = traffic(100.0, Some(120.0));
        check_minimal(&a, StaffingTarget::service_level(0.8));
        check_minimal(
            &a,
            StaffingTarget {
                service_level: 0.5,
                max_p_abandon: Some(0.01),
                max_asa_s: None,
            },
        );
    }

    #[test]
    fn large_centre_is_sized_quickly() {
        let agents = check_minimal(
            &traffic(200_000.0, None),
            StaffingTarget::service_level(0.9),
        );
        // a = 16,667 Erlangs; a few dozen extra agents suffice at this scale.
        assert!(agents > 16_667 && agents < 17_000, "{agents}");
    }

    #[test]
    fn trivial_targets_use_the_minimum() {
        let r = required_agents(&traffic(100.0, None), StaffingTarget::service_level(0.0)).unwrap();
        assert_eq!(r.agents, 9); // smallest c > a = 8.33
        let r = required_agents(
            &traffic(100.0, Some(60.0)),
            StaffingTarget::service_level(0.0),
        )
        .unwrap();
        assert_eq!(r.agents, 1);
        let r = required_agents(&traffic(0.0, None), StaffingTarget::service_level(1.0)).unwrap();
        assert_eq!(r.agents, 1);
    }

    #[test]
    fn unreachable_and_invalid_targets_are_errors() {
        // Queues with traffic always have some wait, however many agents.
        let zero_asa = StaffingTarget {
            service_level: 0.0,
            max_p_abandon: None,
            max_asa_s: Some(0.0),
        };
        assert!(matches!(
            required_agents(&traffic(100.0, None), zero_asa),
            Err(ErlangError::TargetUnreachable { max_agents: 184 })
        ));
        assert!(matches!(
            required_agents(&traffic(100.0, Some(60.0)), zero_asa),
            Err(ErlangError::TargetUnreachable { .. })
        ));
        for bad in [-0.1, 1.5, f64::NAN] {
            assert!(matches!(
                required_agents(&traffic(100.0, None), StaffingTarget::service_level(bad)),
                Err(ErlangError::InvalidTarget {
                    name: "service_level",
                    ..
                })
            ));
        }
        let bad_asa = StaffingTarget {
            service_level: 0.8,
            max_p_abandon: None,
            max_asa_s: Some(-1.0),
        };
        assert!(required_agents(&traffic(100.0, None), bad_asa).is_err());
        let bad_ab = StaffingTarget {
            service_level: 0.8,
            max_p_abandon: Some(2.0),
            max_asa_s: None,
        };
        assert!(required_agents(&traffic(100.0, None), bad_ab).is_err());
        assert!(matches!(
            required_agents(&traffic(-5.0, None), StaffingTarget::service_level(0.8)),
            Err(ErlangError::InvalidArrivalRate(_))
        ));
    }
}
