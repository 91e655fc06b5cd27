//! Which distribution family describes a sample of durations best:
//! exponential, lognormal or gamma, each fitted by maximum likelihood,
//! chosen by Akaike's information criterion (AIC = 2k − 2 ln L, k the
//! number of parameters: 1 for the exponential, 2 for the others), and
//! checked against the data by the Kolmogorov–Smirnov distance.
//!
//! The likelihoods and distribution functions are statrs'; the fits are
//! the closed forms (exponential, lognormal) and the one equation of the
//! gamma's shape, ln k − ψ(k) = ln x̄ − mean(ln x), solved by bisection
//! (the left side falls from +∞ to 0, so the root is bracketed and
//! unique).

use crate::distribution::Distribution;
use serde::Serialize;
use statrs::distribution::{Continuous, ContinuousCDF, Exp, Gamma, LogNormal};
use statrs::function::gamma::digamma;

/// A family of distributions.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Family {
    /// One parameter, the mean; memoryless.
    Exponential,
    /// The logarithm is normal.
    #[serde(rename = "lognormal")]
    LogNormal,
    /// Shape and scale.
    Gamma,
}

impl Family {
    /// The name scenario files use.
    pub fn name(self) -> &'static str {
        match self {
            Family::Exponential => "exponential",
            Family::LogNormal => "lognormal",
            Family::Gamma => "gamma",
        }
    }

    fn parameters(self) -> f64 {
        match self {
            Family::Exponential => 1.0,
            _ => 2.0,
        }
    }
}

/// One family fitted to a sample.
#[derive(Clone, Debug, Serialize)]
pub struct Fit {
    /// The family.
    pub family: Family,
    /// Mean of the fitted distribution \[s\].
    pub mean_s: f64,
    /// Its standard deviation \[s\].
    pub sd_s: f64,
    /// The maximised log-likelihood.
    pub log_likelihood: f64,
    /// Akaike's criterion: lower is better.
    pub aic: f64,
    /// Kolmogorov–Smirnov distance: the largest gap between the sample's
    /// and the fitted distribution function.
    pub ks_distance: f64,
    /// The Kolmogorov p-value of that distance (approximate: the
    /// parameters were estimated from the same sample, which makes it
    /// conservative).
    pub ks_p_value: f64,
}

impl Fit {
    /// The fitted distribution as a scenario writes it.
    pub fn distribution(&self) -> Distribution {
        match self.family {
            Family::Exponential => Distribution::Exponential { mean: self.mean_s },
            Family::LogNormal => Distribution::LogNormal {
                mean: self.mean_s,
                sd: self.sd_s,
            },
            Family::Gamma => Distribution::Gamma {
                mean: self.mean_s,
                sd: self.sd_s,
            },
        }
    }

    /// The fitted distribution function at `x` seconds.
    pub fn cdf(&self, x: f64) -> f64 {
        Model::of(self).cdf(x)
    }
}

/// The families fitted to `xs` (durations in seconds, all > 0), best
/// first by AIC; empty when fewer than two values or all equal (no
/// spread to fit).
pub fn fit_families(xs: &[f64]) -> Vec<Fit> {
    let xs: Vec<f64> = xs
        .iter()
        .copied()
        .filter(|x| *x > 0.0 && x.is_finite())
        .collect();
    let n = xs.len() as f64;
    if xs.len() < 2 {
        return Vec::new();
    }
    let mean = xs.iter().sum::<f64>() / n;
    let logs: Vec<f64> = xs.iter().map(|x| x.ln()).collect();
    let mean_log = logs.iter().sum::<f64>() / n;
    let var_log = logs.iter().map(|l| (l - mean_log).powi(2)).sum::<f64>() / n;
    if var_log <= 1e-12 {
        return Vec::new();
    }
    let mut sorted = xs.clone();
    sorted.sort_by(f64::total_cmp);
    let mut fits = Vec::new();
    let models = [
        Model::Exponential(mean),
        Model::LogNormal(mean_log, var_log.sqrt()),
        Model::Gamma(gamma_shape(mean.ln() - mean_log), 0.0),
    ];
    for m in models {
        let m = match m {
            Model::Gamma(k, _) => Model::Gamma(k, mean / k),
            m => m,
        };
        let ll: f64 = xs.iter().map(|x| m.ln_pdf(*x)).sum();
        let (family, (mean_s, sd_s)) = (m.family(), m.moments());
        let d = ks_distance(&sorted, |x| m.cdf(x));
        fits.push(Fit {
            family,
            mean_s,
            sd_s,
            log_likelihood: ll,
            aic: 2.0 * family.parameters() - 2.0 * ll,
            ks_distance: d,
            ks_p_value: kolmogorov_p(d, xs.len()),
        });
    }
    fits.sort_by(|a, b| a.aic.total_cmp(&b.aic));
    fits
}

/// A fitted model, by its natural parameters.
#[derive(Copy, Clone, Debug)]
enum Model {
    /// Mean.
    Exponential(f64),
    /// μ and σ of the logarithm.
    LogNormal(f64, f64),
    /// Shape and scale.
    Gamma(f64, f64),
}

impl Model {
    fn of(f: &Fit) -> Model {
        match f.family {
            Family::Exponential => Model::Exponential(f.mean_s),
            Family::LogNormal => {
                let s2 = (1.0 + (f.sd_s / f.mean_s).powi(2)).ln();
                Model::LogNormal(f.mean_s.ln() - s2 / 2.0, s2.sqrt())
            }
            Family::Gamma => {
                let (k, theta) = crate::distribution::gamma_shape_scale(f.mean_s, f.sd_s);
                Model::Gamma(k, theta)
            }
        }
    }

    fn family(self) -> Family {
        match self {
            Model::Exponential(_) => Family::Exponential,
            Model::LogNormal(..) => Family::LogNormal,
            Model::Gamma(..) => Family::Gamma,
        }
    }

    /// Mean and standard deviation.
    fn moments(self) -> (f64, f64) {
        match self {
            Model::Exponential(m) => (m, m),
            Model::LogNormal(mu, s) => {
                let mean = (mu + s * s / 2.0).exp();
                (mean, mean * (s * s).exp_m1().sqrt())
            }
            Model::Gamma(k, theta) => (k * theta, k.sqrt() * theta),
        }
    }

    fn ln_pdf(self, x: f64) -> f64 {
        match self {
            Model::Exponential(m) => Exp::new(1.0 / m).map_or(f64::NEG_INFINITY, |d| d.ln_pdf(x)),
            Model::LogNormal(mu, s) => {
                LogNormal::new(mu, s).map_or(f64::NEG_INFINITY, |d| d.ln_pdf(x))
            }
            Model::Gamma(k, theta) => {
                Gamma::new(k, 1.0 / theta).map_or(f64::NEG_INFINITY, |d| d.ln_pdf(x))
            }
        }
    }

    fn cdf(self, x: f64) -> f64 {
        match self {
            Model::Exponential(m) => Exp::new(1.0 / m).map_or(f64::NAN, |d| d.cdf(x)),
            Model::LogNormal(mu, s) => LogNormal::new(mu, s).map_or(f64::NAN, |d| d.cdf(x)),
            Model::Gamma(k, theta) => Gamma::new(k, 1.0 / theta).map_or(f64::NAN, |d| d.cdf(x)),
        }
    }
}

/// The gamma shape `k` with ln k − ψ(k) = `s` (`s` > 0: the log of the
/// arithmetic mean over the geometric mean, positive for any sample with
/// spread).
fn gamma_shape(s: f64) -> f64 {
    let f = |k: f64| k.ln() - digamma(k) - s;
    // f falls from +∞ (k → 0) to 0 (k → ∞): widen until bracketed.
    let (mut lo, mut hi) = (1e-6_f64, 1.0_f64);
    while f(hi) > 0.0 && hi < 1e12 {
        hi *= 2.0;
    }
    for _ in 0..200 {
        let mid = (lo * hi).sqrt();
        if f(mid) > 0.0 {
            lo = mid;
        } else {
            hi = mid;
        }
        if hi / lo < 1.0 + 1e-12 {
            break;
        }
    }
    (lo * hi).sqrt()
}

/// The Kolmogorov–Smirnov distance between the sorted sample and `cdf`.
pub fn ks_distance(sorted: &[f64], cdf: impl Fn(f64) -> f64) -> f64 {
    let n = sorted.len() as f64;
    sorted
        .iter()
        .enumerate()
        .map(|(i, x)| {
            let f = cdf(*x);
            ((i as f64 + 1.0) / n - f).max(f - i as f64 / n)
        })
        .fold(0.0, f64::max)
}

/// P(D ≥ d) for the Kolmogorov distribution of a sample of `n`, with
/// Stephens' small-sample correction: Q(λ) = 2 Σ (−1)^(j−1) e^(−2j²λ²),
/// λ = (√n + 0.12 + 0.11/√n) d.
pub fn kolmogorov_p(d: f64, n: usize) -> f64 {
    let sn = (n as f64).sqrt();
    let lambda = (sn + 0.12 + 0.11 / sn) * d;
    if lambda < 0.2 {
        return 1.0;
    }
    let mut sum = 0.0;
    for j in 1..=100 {
        let j = j as f64;
        let term = (-2.0 * j * j * lambda * lambda).exp();
        sum += if j as u64 % 2 == 1 { term } else { -term };
        if term < 1e-12 {
            break;
        }
    }
    (2.0 * sum).clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    fn sample(d: &Distribution, n: usize, seed: u64) -> Vec<f64> {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
        (0..n).map(|_| d.sample_secs(&mut rng)).collect()
    }

    #[test]
    fn each_family_is_recognised_on_its_own_data() {
        let cases = [
            Distribution::Exponential { mean: 300.0 },
            Distribution::LogNormal {
                mean: 360.0,
                sd: 240.0,
            },
            Distribution::Gamma {
                mean: 600.0,
                sd: 480.0,
            },
        ];
        for (d, family) in cases
            .iter()
            .zip([Family::Exponential, Family::LogNormal, Family::Gamma])
        {
            let fits = fit_families(&sample(d, 3000, 5));
            assert_eq!(fits[0].family, family, "{d:?}: {fits:?}");
            let rel = (fits[0].mean_s - d.mean_secs()).abs() / d.mean_secs();
            assert!(rel < 0.05, "{d:?}: mean {}", fits[0].mean_s);
            assert!(fits[0].ks_p_value > 0.01, "{fits:?}");
            assert!(fits.windows(2).all(|w| w[0].aic <= w[1].aic));
        }
    }

    #[test]
    fn the_gamma_shape_solves_its_equation() {
        for k in [0.3_f64, 1.0, 2.5, 40.0] {
            let s = k.ln() - digamma(k);
            assert!((gamma_shape(s) - k).abs() / k < 1e-8, "{k}");
        }
    }

    #[test]
    fn a_poor_fit_has_a_large_distance_and_a_small_p() {
        let uniform = sample(
            &Distribution::Uniform {
                min: 100.0,
                max: 110.0,
            },
            2000,
            1,
        );
        let fits = fit_families(&uniform);
        let exp = fits
            .iter()
            .find(|f| f.family == Family::Exponential)
            .unwrap();
        assert!(exp.ks_distance > 0.5 && exp.ks_p_value < 1e-6, "{exp:?}");
        assert!(fit_families(&[5.0, 5.0, 5.0]).is_empty());
        assert!(fit_families(&[5.0]).is_empty());
        assert!((kolmogorov_p(0.0, 100) - 1.0).abs() < 1e-12);
    }
}
