//! Random durations: handle time, patience, response time, wrap-up.
//!
//! A scenario names a distribution by its mean and spread in seconds, the
//! way planners think ("lognormal, mean 6 minutes, sd 4"), and this module
//! turns that into `rand_distr` samplers. Parameters are checked once by
//! [`Distribution::validate`], so sampling never fails.

use crate::time::SimDuration;
use rand::Rng;
use rand_distr::Distribution as _;
use serde::Serialize;

/// A distribution of durations, in seconds.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "dist", rename_all = "snake_case")]
pub enum Distribution {
    /// Always the same value.
    Constant {
        /// The value \[s\].
        value: f64,
    },
    /// Memoryless; what Erlang C/A assume for handle time and patience.
    Exponential {
        /// Mean \[s\].
        mean: f64,
    },
    /// Equally likely anywhere in `[min, max]`.
    Uniform {
        /// Lower bound \[s\].
        min: f64,
        /// Upper bound \[s\].
        max: f64,
    },
    /// Right-skewed, the usual shape of measured handle times; given by the
    /// mean and standard deviation of the duration itself (not of its log).
    LogNormal {
        /// Mean \[s\].
        mean: f64,
        /// Standard deviation \[s\].
        sd: f64,
    },
    /// Right-skewed like the lognormal but with a lighter tail: the sum of
    /// exponential phases, the shape handle times take when a contact
    /// goes through a few steps of similar length. Given, like the
    /// lognormal, by the mean and standard deviation of the duration
    /// itself; the shape is (mean / sd)² and the scale sd² / mean.
    Gamma {
        /// Mean \[s\].
        mean: f64,
        /// Standard deviation \[s\].
        sd: f64,
    },
    /// Resampling of observed values, each equally likely.
    Empirical {
        /// Observed values \[s\].
        values: Vec<f64>,
    },
}

impl Distribution {
    /// Checks the parameters; the message says what was expected.
    pub fn validate(&self) -> Result<(), String> {
        let finite_non_neg = |name: &str, v: f64| {
            if v.is_finite() && v >= 0.0 {
                Ok(())
            } else {
                Err(format!(
                    "{name} must be a finite number of seconds >= 0, got {v}"
                ))
            }
        };
        match self {
            Distribution::Constant { value } => finite_non_neg("value", *value),
            Distribution::Exponential { mean } => {
                if mean.is_finite() && *mean > 0.0 {
                    Ok(())
                } else {
                    Err(format!("mean must be > 0 seconds, got {mean}"))
                }
            }
            Distribution::Uniform { min, max } => {
                finite_non_neg("min", *min)?;
                finite_non_neg("max", *max)?;
                if min <= max {
                    Ok(())
                } else {
                    Err(format!("min ({min}) must not exceed max ({max})"))
                }
            }
            Distribution::LogNormal { mean, sd } | Distribution::Gamma { mean, sd } => {
                if !(mean.is_finite() && *mean > 0.0) {
                    return Err(format!("mean must be > 0 seconds, got {mean}"));
                }
                if !(sd.is_finite() && *sd > 0.0) {
                    return Err(format!("sd must be > 0 seconds, got {sd}"));
                }
                Ok(())
            }
            Distribution::Empirical { values } => {
                if values.is_empty() {
                    return Err("values must list at least one duration".into());
                }
                for v in values {
                    finite_non_neg("every value", *v)?;
                }
                Ok(())
            }
        }
    }

    /// The mean in seconds, used for offered load (Erlangs) in `omnisim check`.
    pub fn mean_secs(&self) -> f64 {
        match self {
            Distribution::Constant { value } => *value,
            Distribution::Exponential { mean }
            | Distribution::LogNormal { mean, .. }
            | Distribution::Gamma { mean, .. } => *mean,
            Distribution::Uniform { min, max } => (min + max) / 2.0,
            Distribution::Empirical { values } => {
                values.iter().sum::<f64>() / values.len().max(1) as f64
            }
        }
    }

    /// Draws one duration in seconds. Assumes [`Distribution::validate`] passed.
    pub fn sample_secs<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        match self {
            Distribution::Constant { value } => *value,
            Distribution::Exponential { mean } => {
                // Inverse transform keeps one uniform draw per sample, so a
                // stream's later draws do not shift if the mean changes.
                let u: f64 = rng.gen();
                -mean * (1.0 - u).ln()
            }
            Distribution::Uniform { min, max } => {
                if min == max {
                    *min
                } else {
                    rng.gen_range(*min..=*max)
                }
            }
            Distribution::LogNormal { mean, sd } => {
                let sigma2 = (1.0 + (sd * sd) / (mean * mean)).ln();
                let mu = mean.ln() - sigma2 / 2.0;
                match rand_distr::LogNormal::new(mu, sigma2.sqrt()) {
                    Ok(d) => d.sample(rng),
                    Err(_) => *mean,
                }
            }
            Distribution::Gamma { mean, sd } => {
                let (shape, scale) = gamma_shape_scale(*mean, *sd);
                match rand_distr::Gamma::new(shape, scale) {
                    Ok(d) => d.sample(rng),
                    Err(_) => *mean,
                }
            }
            Distribution::Empirical { values } => values[rng.gen_range(0..values.len())],
        }
    }

    /// Draws one duration.
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> SimDuration {
        SimDuration::from_secs_f64(self.sample_secs(rng))
    }
}

/// The shape and scale of the gamma distribution with this mean and
/// standard deviation: shape (mean / sd)², scale sd² / mean, so that
/// shape × scale is the mean and shape × scale² the variance.
pub fn gamma_shape_scale(mean: f64, sd: f64) -> (f64, f64) {
    ((mean / sd).powi(2), sd * sd / mean)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    fn sample_mean(d: &Distribution, n: usize) -> f64 {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        (0..n).map(|_| d.sample_secs(&mut rng)).sum::<f64>() / n as f64
    }

    #[test]
    fn sample_means_match_declared_means() {
        let cases = [
            Distribution::Constant { value: 12.0 },
            Distribution::Exponential { mean: 300.0 },
            Distribution::Uniform {
                min: 10.0,
                max: 50.0,
            },
            Distribution::LogNormal {
                mean: 360.0,
                sd: 240.0,
            },
            Distribution::Gamma {
                mean: 300.0,
                sd: 150.0,
            },
            Distribution::Gamma {
                mean: 40.0,
                sd: 80.0,
            },
            Distribution::Empirical {
                values: vec![1.0, 2.0, 6.0],
            },
        ];
        for d in &cases {
            let m = sample_mean(d, 200_000);
            let rel = (m - d.mean_secs()).abs() / d.mean_secs();
            assert!(rel < 0.01, "{d:?}: sample mean {m} vs {}", d.mean_secs());
        }
    }

    #[test]
    fn lognormal_sd_matches() {
        let d = Distribution::LogNormal {
            mean: 100.0,
            sd: 50.0,
        };
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let xs: Vec<f64> = (0..200_000).map(|_| d.sample_secs(&mut rng)).collect();
        let m = xs.iter().sum::<f64>() / xs.len() as f64;
        let sd = (xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / xs.len() as f64).sqrt();
        assert!((sd - 50.0).abs() < 1.0, "sd {sd}");
    }

    #[test]
    fn gamma_sd_and_shape_match() {
        for (mean, sd) in [(300.0, 150.0), (60.0, 120.0)] {
            let d = Distribution::Gamma { mean, sd };
            let mut rng = ChaCha8Rng::seed_from_u64(3);
            let xs: Vec<f64> = (0..200_000).map(|_| d.sample_secs(&mut rng)).collect();
            let m = xs.iter().sum::<f64>() / xs.len() as f64;
            let s = (xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / xs.len() as f64).sqrt();
            assert!((s - sd).abs() / sd < 0.02, "sd {s} for {sd}");
            assert!(xs.iter().all(|x| *x > 0.0));
        }
        assert_eq!(gamma_shape_scale(300.0, 150.0), (4.0, 75.0));
    }

    #[test]
    fn bad_parameters_are_rejected_with_a_reason() {
        assert!(Distribution::Exponential { mean: 0.0 }
            .validate()
            .unwrap_err()
            .contains("mean"));
        assert!(Distribution::Uniform { min: 5.0, max: 1.0 }
            .validate()
            .is_err());
        assert!(Distribution::LogNormal {
            mean: 5.0,
            sd: -1.0
        }
        .validate()
        .is_err());
        assert!(Distribution::Gamma { mean: 5.0, sd: 0.0 }
            .validate()
            .unwrap_err()
            .starts_with("sd"));
        assert!(Distribution::Gamma {
            mean: f64::INFINITY,
            sd: 1.0
        }
        .validate()
        .unwrap_err()
        .starts_with("mean"));
        assert!(Distribution::Empirical { values: vec![] }
            .validate()
            .is_err());
        assert!(Distribution::Constant { value: f64::NAN }
            .validate()
            .is_err());
        assert!(Distribution::Constant { value: 0.0 }.validate().is_ok());
    }
}
