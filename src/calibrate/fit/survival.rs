//! Durations seen only in part: patience and answer times.
//!
//! **Patience.** A customer who abandons tells their patience (the wait
//! until they left); a customer who was answered only tells that their
//! patience was longer than their wait (right-censored). Ignoring the
//! answered ones would make customers look impatient, so both
//! estimators here use every wait: the Kaplan–Meier survival curve
//! (no assumption on the shape) and the exponential maximum-likelihood
//! mean, total exposure ÷ abandonments, with its exact χ² interval.
//!
//! **Answer times.** An agent's answer (accept or decline) is seen only
//! when it came before the push timeout; a push that timed out is either
//! one the agent never meant to answer or a slow answer cut off. With
//! exponential answer times of mean θ and a share q of pushes never
//! answered, P(timeout) = q + (1 − q) e^(−T/θ); a push withdrawn before
//! its answer (the customer left) only says the answer had not come yet.
//! [`answer_times`] fits θ and q to all three by maximum likelihood.

use serde::Serialize;
use statrs::distribution::{ChiSquared, ContinuousCDF};

/// One wait: how long, and whether it ended in abandonment.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct Wait {
    /// Seconds from the request to the answer, the abandonment or the end
    /// of the data.
    pub secs: f64,
    /// True when the customer abandoned then.
    pub abandoned: bool,
}

/// The exponential estimate of patience.
#[derive(Clone, Debug, Serialize)]
pub struct ExponentialPatience {
    /// Mean patience \[s\]: total exposure ÷ abandonments.
    pub mean_s: f64,
    /// 95% interval of the mean \[s\].
    pub ci95: (f64, f64),
    /// Abandonments seen.
    pub abandonments: u64,
    /// Waits in all.
    pub waits: u64,
    /// Total time customers waited \[s\].
    pub exposure_s: f64,
}

/// The exponential MLE of patience; `None` when nobody abandoned (the
/// data then bound patience from below only).
pub fn exponential_patience(waits: &[Wait]) -> Option<ExponentialPatience> {
    let d = waits.iter().filter(|w| w.abandoned).count() as u64;
    if d == 0 {
        return None;
    }
    let exposure: f64 = waits.iter().map(|w| w.secs.max(0.0)).sum();
    // 2·exposure/θ follows χ² with 2d degrees of freedom.
    let chi = ChiSquared::new(2.0 * d as f64).ok()?;
    let ci95 = (
        2.0 * exposure / chi.inverse_cdf(0.975),
        2.0 * exposure / chi.inverse_cdf(0.025),
    );
    Some(ExponentialPatience {
        mean_s: exposure / d as f64,
        ci95,
        abandonments: d,
        waits: waits.len() as u64,
        exposure_s: exposure,
    })
}

/// One step of a Kaplan–Meier curve.
#[derive(Copy, Clone, Debug, Serialize)]
pub struct SurvivalStep {
    /// Time \[s\].
    pub t_s: f64,
    /// Share of customers still patient after it.
    pub survival: f64,
}

/// The Kaplan–Meier estimate of the patience survival function: one step
/// per distinct abandonment time.
pub fn kaplan_meier(waits: &[Wait]) -> Vec<SurvivalStep> {
    let mut sorted: Vec<Wait> = waits.to_vec();
    // At equal times abandonments come first: a customer answered at the
    // instant another abandons was at risk then.
    sorted.sort_by(|a, b| {
        a.secs
            .total_cmp(&b.secs)
            .then(b.abandoned.cmp(&a.abandoned))
    });
    let mut at_risk = sorted.len() as f64;
    let mut s = 1.0;
    let mut steps = Vec::new();
    let mut i = 0;
    while i < sorted.len() {
        let t = sorted[i].secs;
        let (mut died, mut left) = (0.0, 0.0);
        while i < sorted.len() && sorted[i].secs == t {
            if sorted[i].abandoned {
                died += 1.0;
            }
            left += 1.0;
            i += 1;
        }
        if died > 0.0 {
            s *= 1.0 - died / at_risk;
            steps.push(SurvivalStep {
                t_s: t,
                survival: s,
            });
        }
        at_risk -= left;
    }
    steps
}

/// The time at which a Kaplan–Meier curve first falls to ½ or below;
/// `None` when it never does within the data.
pub fn median(steps: &[SurvivalStep]) -> Option<f64> {
    steps.iter().find(|s| s.survival <= 0.5).map(|s| s.t_s)
}

/// Exponential answer times and the share of pushes never answered,
/// fitted to what a group's pushes show.
#[derive(Copy, Clone, Debug, PartialEq, Serialize)]
pub struct AnswerFit {
    /// Mean answer time θ \[s\].
    pub mean_s: f64,
    /// Share q of pushes never answered.
    pub never_answered: f64,
}

/// Fits exponential answer times of mean θ and a share q of pushes never
/// answered, by maximum likelihood over every push that ended:
///
/// - an answer after r seconds: (1 − q) e^(−r/θ) / θ;
/// - a push timeout after T seconds: q + (1 − q) e^(−T/θ) (never answered,
///   or answered too late);
/// - a push withdrawn after c seconds with no answer yet (the customer
///   left, the agent logged off): q + (1 − q) e^(−c/θ), censored.
///
/// Without any timeout q cannot be told from a slow answer and is 0.
/// Golden-section search on ln θ, with q optimised for each θ. `None`
/// without answers.
pub fn answer_times(answers: &[f64], timeouts: &[f64], withdrawn: &[f64]) -> Option<AnswerFit> {
    if answers.is_empty() {
        return None;
    }
    let n = answers.len() as f64;
    let sum: f64 = answers.iter().sum();
    let mean = (sum / n).max(1e-3);
    let ll = |theta: f64, q: f64| {
        let answered = n * (1.0 - q).max(1e-300).ln() - n * theta.ln() - sum / theta;
        let late = |t: &f64| (q + (1.0 - q) * (-t / theta).exp()).max(1e-300).ln();
        answered + timeouts.iter().map(late).sum::<f64>() + withdrawn.iter().map(late).sum::<f64>()
    };
    let golden = |mut a: f64, mut b: f64, f: &dyn Fn(f64) -> f64| {
        let g = (5f64.sqrt() - 1.0) / 2.0;
        for _ in 0..100 {
            let c = b - g * (b - a);
            let d = a + g * (b - a);
            if f(c) > f(d) {
                b = d;
            } else {
                a = c;
            }
        }
        (a + b) / 2.0
    };
    let best_q = |theta: f64| {
        if timeouts.is_empty() {
            0.0
        } else {
            golden(0.0, 1.0 - 1e-9, &|q| ll(theta, q))
        }
    };
    let ln_theta = golden((mean / 100.0).ln(), (mean * 1000.0).ln(), &|lt: f64| {
        let theta = lt.exp();
        ll(theta, best_q(theta))
    });
    let theta = ln_theta.exp();
    Some(AnswerFit {
        mean_s: theta,
        never_answered: best_q(theta),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};

    #[test]
    fn censored_patience_is_recovered_by_both_estimators() {
        // Patience exponential of mean 120 s, waits cut off at uniform
        // answer times: the answered customers are censored.
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(9);
        let waits: Vec<Wait> = (0..20_000)
            .map(|_| {
                let patience = -120.0 * (1.0 - rng.gen::<f64>()).ln();
                let answer = rng.gen_range(0.0..200.0);
                Wait {
                    secs: patience.min(answer),
                    abandoned: patience < answer,
                }
            })
            .collect();
        let e = exponential_patience(&waits).unwrap();
        assert!((e.mean_s - 120.0).abs() < 4.0, "{e:?}");
        assert!(e.ci95.0 < 120.0 && 120.0 < e.ci95.1, "{e:?}");
        let km = kaplan_meier(&waits);
        let m = median(&km).unwrap();
        let want = 120.0 * 2f64.ln();
        assert!((m - want).abs() < 5.0, "KM median {m} vs {want}");
        // Ignoring the censoring would have said about 58 s.
        let naive: f64 = waits
            .iter()
            .filter(|w| w.abandoned)
            .map(|w| w.secs)
            .sum::<f64>()
            / e.abandonments as f64;
        assert!(naive < 80.0);
        assert!(exponential_patience(&[Wait {
            secs: 9.0,
            abandoned: false
        }])
        .is_none());
    }

    #[test]
    fn answer_times_cut_off_by_a_timeout_or_a_withdrawal_are_recovered() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(4);
        let (theta, q, limit) = (8.0, 0.03, 30.0);
        let (mut answers, mut timeouts, mut withdrawn) = (Vec::new(), Vec::new(), Vec::new());
        for _ in 0..50_000 {
            let r = if rng.gen::<f64>() < q {
                f64::INFINITY
            } else {
                -theta * (1.0 - rng.gen::<f64>()).ln()
            };
            // A customer who leaves a while after the push, sometimes
            // before the answer.
            let leave = -120.0 * (1.0 - rng.gen::<f64>()).ln();
            if leave < r.min(limit) {
                withdrawn.push(leave);
            } else if r < limit {
                answers.push(r);
            } else {
                timeouts.push(limit);
            }
        }
        let fit = answer_times(&answers, &timeouts, &withdrawn).unwrap();
        assert!((fit.mean_s - theta).abs() / theta < 0.03, "{fit:?}");
        assert!((fit.never_answered - q).abs() < 0.004, "{fit:?}");
        // Without timeouts q is 0 and θ counts the withdrawn as censored.
        let fit = answer_times(&[2.0, 4.0], &[], &[6.0]).unwrap();
        assert_eq!(fit.never_answered, 0.0);
        assert!((fit.mean_s - 6.0).abs() < 0.01, "{fit:?}");
    }
}
