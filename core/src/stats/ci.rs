//! Confidence intervals across replications.
//!
//! Each replication is one independent sample of a metric, so the interval
//! is the classic Student-t interval on the replication means with `n − 1`
//! degrees of freedom. With a handful of replications the normal quantile
//! (1.96) would be far too narrow — t(0.975, 4) is 2.78 — which is why the
//! t quantile is taken from `statrs` rather than hard-coded.

use serde::{Deserialize, Serialize};
use statrs::distribution::{ContinuousCDF, StudentsT};

/// A metric over replications: the mean and its 95% confidence interval.
///
/// Serialises as `{ "mean": x, "ci95_low": a, "ci95_high": b }`, the form
/// `summary.json` promises, and reads back from it: a report of a results
/// folder reads the estimates as the run wrote them.
#[derive(Copy, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    /// Mean over the replications where the metric is defined.
    pub mean: f64,
    /// Lower end of the 95% interval.
    pub ci95_low: f64,
    /// Upper end of the 95% interval.
    pub ci95_high: f64,
}

impl Estimate {
    /// Half the width of the Student-t interval (the `±` figure of the
    /// table), measured above the mean: the lower end may have been cut at
    /// 0 (see [`estimate`]).
    pub fn half_width(&self) -> f64 {
        self.ci95_high - self.mean
    }
}

/// A confidence interval at any level (e.g. 99% for validation suites).
#[derive(Copy, Clone, Debug, PartialEq, Serialize)]
pub struct ConfidenceInterval {
    /// Sample mean.
    pub mean: f64,
    /// Lower end.
    pub low: f64,
    /// Upper end.
    pub high: f64,
    /// Half the width: `t · sd / √n`.
    pub half_width: f64,
    /// Confidence level in (0, 1), e.g. 0.95.
    pub level: f64,
    /// Number of samples used.
    pub n: usize,
}

/// Mean and two-sided Student-t interval at `level` (e.g. `0.99`).
///
/// Returns `None` for no samples. With one sample there is no spread to
/// estimate, so the interval collapses to the mean rather than being
/// infinite; callers that need a real interval should ask for ≥ 2
/// replications. Non-finite samples are skipped as undefined.
///
/// # Panics
///
/// If `level` is not strictly between 0 and 1 (a programming error).
pub fn confidence(samples: &[f64], level: f64) -> Option<ConfidenceInterval> {
    assert!(
        level > 0.0 && level < 1.0,
        "confidence level must be in (0, 1), got {level}"
    );
    let finite = || samples.iter().copied().filter(|x| x.is_finite());
    let n = finite().count();
    if n == 0 {
        return None;
    }
    let mean = finite().sum::<f64>() / n as f64;
    let half_width = if n == 1 {
        0.0
    } else {
        let var = finite().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (n - 1) as f64;
        let sd = var.sqrt();
        if sd == 0.0 {
            0.0
        } else {
            let t = StudentsT::new(0.0, 1.0, (n - 1) as f64)
                .expect("n - 1 >= 1 degrees of freedom is valid")
                .inverse_cdf(1.0 - (1.0 - level) / 2.0);
            t * sd / (n as f64).sqrt()
        }
    };
    Some(ConfidenceInterval {
        mean,
        low: mean - half_width,
        high: mean + half_width,
        half_width,
        level,
        n,
    })
}

/// Mean and 95% Student-t interval of `samples`; `None` when empty.
///
/// When no sample is negative the quantity cannot be (a count, a time, a
/// share) and the lower end is cut at 0: a symmetric interval around a
/// small mean would otherwise report an impossible negative bound.
pub fn estimate(samples: &[f64]) -> Option<Estimate> {
    let non_negative = samples.iter().all(|x| !x.is_finite() || *x >= 0.0);
    confidence(samples, 0.95).map(|ci| Estimate {
        mean: ci.mean,
        ci95_low: if non_negative {
            ci.low.max(0.0)
        } else {
            ci.low
        },
        ci95_high: ci.high,
    })
}

/// [`estimate`] over the replications where the metric is defined
/// (`Some`); a replication without, say, any answered item has no ASA and
/// must not count as an ASA of zero.
pub fn estimate_defined(samples: &[Option<f64>]) -> Option<Estimate> {
    let defined: Vec<f64> = samples.iter().flatten().copied().collect();
    estimate(&defined)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_samples_use_t_with_four_degrees_of_freedom() {
        let e = estimate(&[1.0, 2.0, 3.0, 4.0, 5.0]).unwrap();
        assert_eq!(e.mean, 3.0);
        let sd = 2.5f64.sqrt(); // 1.5811…
        let half = 2.776_445 * sd / 5f64.sqrt();
        assert!((e.ci95_low - (3.0 - half)).abs() < 1e-5, "{e:?}");
        assert!((e.ci95_high - (3.0 + half)).abs() < 1e-5, "{e:?}");
        assert!((e.half_width() - half).abs() < 1e-5);
    }

    #[test]
    fn ninety_nine_percent_is_wider() {
        let ci = confidence(&[1.0, 2.0, 3.0, 4.0, 5.0], 0.99).unwrap();
        // t(0.995, 4) = 4.604095
        let half = 4.604_095 * 2.5f64.sqrt() / 5f64.sqrt();
        assert!((ci.half_width - half).abs() < 1e-5, "{ci:?}");
        assert_eq!(ci.n, 5);
        assert_eq!(ci.level, 0.99);
    }

    #[test]
    fn one_sample_collapses_and_none_is_empty() {
        let e = estimate(&[7.5]).unwrap();
        assert_eq!((e.mean, e.ci95_low, e.ci95_high), (7.5, 7.5, 7.5));
        assert_eq!(estimate(&[]), None);
        assert_eq!(estimate_defined(&[None, None]), None);
    }

    #[test]
    fn identical_samples_have_zero_width() {
        let e = estimate(&[2.0, 2.0, 2.0]).unwrap();
        assert_eq!((e.ci95_low, e.ci95_high), (2.0, 2.0));
    }

    #[test]
    fn undefined_replications_are_skipped_not_zero() {
        let e = estimate_defined(&[Some(4.0), None, Some(6.0)]).unwrap();
        assert_eq!(e.mean, 5.0);
        let e = estimate(&[4.0, f64::NAN, 6.0]).unwrap();
        assert_eq!(e.mean, 5.0);
    }

    #[test]
    fn serialises_with_the_promised_keys() {
        let e = Estimate {
            mean: 1.0,
            ci95_low: 0.5,
            ci95_high: 1.5,
        };
        assert_eq!(
            serde_json::to_string(&e).unwrap(),
            r#"{"mean":1.0,"ci95_low":0.5,"ci95_high":1.5}"#
        );
    }

    #[test]
    fn non_negative_quantities_never_get_a_negative_lower_bound() {
        // Mean 0.2 with a wide spread: the t interval reaches below 0.
        let e = estimate(&[0.0, 0.0, 0.0, 0.0, 1.0]).unwrap();
        assert_eq!(e.ci95_low, 0.0);
        assert!(e.ci95_high > 0.5);
        assert!((e.half_width() - (e.ci95_high - 0.2)).abs() < 1e-12);
        // A quantity that can be negative keeps its symmetric interval.
        let e = estimate(&[-1.0, 0.0, 1.0, 2.0]).unwrap();
        assert!(e.ci95_low < -1.0);
    }
}
