//! Erlang B, Erlang C and Erlang A formulas.
//!
//! Notation used throughout: `λ` arrival rate (per second), `μ = 1/AHT`
//! service rate, `θ = 1/patience` abandonment rate, `c` agents,
//! `a = λ/μ` offered load, `T` service-level threshold, `α = cμ` total
//! service rate when every agent is busy.
//!
//! # Erlang C (M/M/c)
//!
//! Erlang B is evaluated with the recursion
//! `B(0) = 1, B(k) = a·B(k−1) / (k + a·B(k−1))`, then
//!
//! * `P(wait) = C = c·B / (c − a·(1 − B))`,
//! * the wait of a delayed item is exponential with rate `cμ − λ`, hence
//!   `ASA = C / (cμ − λ)`, `SL = 1 − C·e^{−(cμ−λ)T}`,
//! * `Lq = λ·ASA = C·a / (c − a)`.
//!
//! # Erlang A (M/M/c+M), exact birth–death evaluation
//!
//! The number in system is a birth–death chain with birth rate `λ` and death
//! rate `nμ` for `n ≤ c`, `cμ + (n − c)θ` above. Relative to `π(c) = 1`:
//!
//! * the states below `c` carry the Erlang-B block:
//!   `Σ_{n<c} π(n) = 1/B(c, a) − 1`;
//! * the queue states carry `t_k = π(c + k) = Π_{i=1..k} λ / (cμ + iθ)`.
//!
//! The weights are accumulated in log space with running rescaling, so
//! neither the Erlang-B block (which can be `e^{-4000}` for large, lightly
//! loaded centres) nor the queue peak of an overloaded centre overflows. The
//! queue is truncated once a geometric bound on the remaining mass of both
//! `Σ t_k` and `Σ k·t_k` is below `1e-17` of what has been summed.
//!
//! By PASTA an arrival sees the time-stationary distribution, so
//! `P(wait) = Σ_k t_k / Z` and, by Little's law applied to abandonment,
//! `P(abandon) = θ·E[Q] / λ`.
//!
//! **Waiting time.** An arrival that finds `k` items queued ahead of it
//! reaches an agent after its *virtual wait* `V_k`: while `m` items are ahead
//! the head of the queue is removed at rate `cμ + mθ` (a service completion or
//! an abandonment ahead), so `V_k = Σ_{m=0..k} Exp(r_m)` with `r_m = cμ + mθ`.
//! Its own patience `τ ~ Exp(θ)` is independent of `V_k`, so it is answered
//! iff `τ > V_k`, and
//!
//! * `P(answered) = E[e^{−θV_k}] = Π_{m=0..k} r_m / (r_m + θ) = cμ / (cμ + (k+1)θ)`
//!   (the product telescopes),
//! * `E[V_k; answered] = E[V_k e^{−θV_k}] = P(answered) · Σ_{m=1..k+1} 1/(cμ + mθ)`
//!   (derivative of the Laplace transform),
//! * `P(answered, V_k ≤ T) = P(answered) · P(Ṽ_k ≤ T)` where `Ṽ_k` is the
//!   exponentially tilted wait `Σ_{m=1..k+1} Exp(cμ + mθ)`.
//!
//! `Ṽ_k ≤ T` is the event that a pure-birth process with rate
//! `θ·(b + j)` in state `j`, `b = (cμ + θ)/θ`, has made at least `k + 1`
//! jumps by time `T`. That process is a linear birth process with
//! immigration, whose marginal at time `T` is negative binomial:
//! `P(M(T) = j) = Γ(b + j) / (Γ(b) j!) · x^j (1 − x)^b` with `x = 1 − e^{−θT}`.
//! Hence `P(Ṽ_k ≤ T) = 1 − Σ_{j=0..k} P(M(T) = j)`, a running sum computed in
//! log space alongside the queue states (equivalently a regularised
//! incomplete beta `I_x(k + 1, b)`, the form used by Mandelbaum & Zeltyn).
//!
//! Summing over the arrival-state distribution gives ASA (mean wait of
//! answered items, zero for those answered at once) and the service level
//! (answered within `T` over offered). Every step is a closed form, so the
//! only approximation is the `1e-17` truncation: the result is exact to
//! floating-point precision, in `O(c + queue states)` time.

use statrs::function::gamma::ln_gamma;

use super::{ErlangError, ErlangFigures, ErlangInput, ErlangModel, SECONDS_PER_HOUR};

/// Relative size below which the remaining queue-state mass is dropped.
const TAIL_TOLERANCE: f64 = 1e-17;

/// Upper bound on queue states for Erlang A. Only reached by strongly
/// overloaded queues with very long patience, whose queue settles around
/// `(λ − cμ)/θ` items; beyond this the evaluation would take seconds.
pub const MAX_ERLANG_A_QUEUE_STATES: u64 = 10_000_000;

/// Erlang B blocking probability `B(c, a)` for `agents` servers and
/// `offered_load` Erlangs.
///
/// It is the building block of Erlang C and is exposed because planners also
/// use it directly (loss systems such as callback slots). Computed with the
/// numerically stable recursion `B(k) = a·B(k−1) / (k + a·B(k−1))` in
/// `O(agents)` time, so it works for tens of thousands of agents. `agents = 0`
/// gives 1 (everything is blocked).
///
/// # Errors
///
/// [`ErlangError::InvalidOfferedLoad`] when `offered_load` is negative, NaN or
/// infinite.
pub fn erlang_b(agents: u32, offered_load: f64) -> Result<f64, ErlangError> {
    check_offered_load(offered_load)?;
    Ok(erlang_b_unchecked(agents, offered_load))
}

/// Erlang C probability that an arrival has to wait, `C(c, a)`, for `agents`
/// servers and `offered_load` Erlangs.
///
/// Exposed for callers that need only the delay probability (e.g. quick
/// staffing tables). When `offered_load ≥ agents` the queue is unstable and
/// every arrival eventually waits, so 1 is returned.
///
/// # Errors
///
/// [`ErlangError::ZeroAgents`] for `agents = 0`;
/// [`ErlangError::InvalidOfferedLoad`] for a negative, NaN or infinite load.
pub fn erlang_c_wait_probability(agents: u32, offered_load: f64) -> Result<f64, ErlangError> {
    if agents == 0 {
        return Err(ErlangError::ZeroAgents);
    }
    check_offered_load(offered_load)?;
    let c = f64::from(agents);
    if offered_load >= c {
        return Ok(1.0);
    }
    Ok(erlang_c_from_b(
        c,
        offered_load,
        erlang_b_unchecked(agents, offered_load),
    ))
}

/// Steady-state figures for one queue: Erlang C when
/// [`ErlangInput::mean_patience_s`] is `None`, Erlang A otherwise.
///
/// This is the main entry point of the module; see the module docs for the
/// method. Runs in `O(agents + queue states)` time (well under a second for
/// 20,000 agents).
///
/// An unstable Erlang C queue (`a ≥ c`) is *not* an error: the figures come
/// back with `stable = false`, `p_wait = 1`, `asa_s` and `mean_queue_length`
/// infinite, `service_level = 0` and `occupancy = 1`, so a front end can
/// explain the overload.
///
/// # Errors
///
/// Any invalid parameter (see [`ErlangError`]), and
/// [`ErlangError::StateSpaceTooLarge`] for an Erlang A queue that is so
/// overloaded, with such long patience, that its queue would exceed
/// [`MAX_ERLANG_A_QUEUE_STATES`] states.
pub fn evaluate(input: &ErlangInput) -> Result<ErlangFigures, ErlangError> {
    input.validate()?;
    let offered_load = input.offered_load_erlangs();
    check_offered_load(offered_load)?;
    let model = match input.mean_patience_s {
        None => ErlangModel::ErlangC,
        Some(_) => ErlangModel::ErlangA,
    };
    if offered_load == 0.0 {
        return Ok(idle_figures(model));
    }
    let queue = Queue {
        agents: input.agents,
        lambda: input.arrival_rate_per_hour / SECONDS_PER_HOUR,
        aht: input.mean_handle_time_s,
        threshold: input.service_level_threshold_s,
        offered_load,
    };
    match input.mean_patience_s {
        None => Ok(erlang_c_figures(&queue)),
        Some(patience) => erlang_a_figures(&queue, 1.0 / patience),
    }
}

/// Validated queue parameters in per-second units.
struct Queue {
    agents: u32,
    /// Arrival rate per second (`λ`), strictly positive.
    lambda: f64,
    /// Mean handle time in seconds (`1/μ`).
    aht: f64,
    /// Service-level threshold `T` in seconds.
    threshold: f64,
    /// Offered load `a = λ·AHT`, strictly positive and finite.
    offered_load: f64,
}

fn check_offered_load(offered_load: f64) -> Result<(), ErlangError> {
    if offered_load.is_finite() && offered_load >= 0.0 {
        Ok(())
    } else {
        Err(ErlangError::InvalidOfferedLoad(offered_load))
    }
}

/// Figures for a queue that receives no work: nobody waits or abandons.
fn idle_figures(model: ErlangModel) -> ErlangFigures {
    ErlangFigures {
        model,
        offered_load_erlangs: 0.0,
        p_wait: 0.0,
        asa_s: 0.0,
        service_level: 1.0,
        p_abandon: 0.0,
        occupancy: 0.0,
        mean_queue_length: 0.0,
        stable: true,
    }
}

fn erlang_b_unchecked(agents: u32, a: f64) -> f64 {
    let mut b = 1.0_f64;
    for k in 1..=agents {
        let ab = a * b;
        b = ab / (f64::from(k) + ab);
        if b == 0.0 {
            // Underflowed: every further step multiplies by a/(k + 0) ≤ 1,
            // so the answer is 0 to double precision. Stopping keeps absurd
            // head-counts (up to u32::MAX) cheap.
            break;
        }
    }
    b
}

/// `ln B(c, a)` for `a > 0`, via the same recursion carried out in log space
/// so that blocking probabilities far below `f64::MIN_POSITIVE` (large,
/// lightly loaded centres) keep their magnitude, which Erlang A needs for the
/// relative weight of the non-queueing states.
///
/// Once `a·B(k)` is below `1e-17·k` the recursion is exactly
/// `B(k) = B(k−1)·a/k` to double precision, so the remaining steps are
/// summed in closed form with `ln Γ`, keeping huge head-counts `O(a)`.
fn ln_erlang_b(agents: u32, a: f64) -> f64 {
    let ln_a = a.ln();
    let mut ln_b = 0.0_f64;
    for k in 1..=agents {
        let kf = f64::from(k);
        ln_b = ln_a + ln_b - (kf + a * ln_b.exp()).ln();
        if k < agents && ln_a + ln_b < kf.ln() - 39.0 {
            // Σ_{j=k+1..c} (ln a − ln j) = (c − k)·ln a − (ln Γ(c+1) − ln Γ(k+1)).
            let c = f64::from(agents);
            return ln_b + (c - kf) * ln_a - (ln_gamma(c + 1.0) - ln_gamma(kf + 1.0));
        }
    }
    ln_b
}

/// Erlang C from Erlang B; requires `a < c`.
fn erlang_c_from_b(c: f64, a: f64, b: f64) -> f64 {
    (c * b / (c - a * (1.0 - b))).clamp(0.0, 1.0)
}

fn erlang_c_figures(q: &Queue) -> ErlangFigures {
    let c = f64::from(q.agents);
    let a = q.offered_load;
    if a >= c {
        return ErlangFigures {
            model: ErlangModel::ErlangC,
            offered_load_erlangs: a,
            p_wait: 1.0,
            asa_s: f64::INFINITY,
            service_level: 0.0,
            p_abandon: 0.0,
            occupancy: 1.0,
            mean_queue_length: f64::INFINITY,
            stable: false,
        };
    }
    let p_wait = erlang_c_from_b(c, a, erlang_b_unchecked(q.agents, a));
    // Delayed items wait Exp(cμ − λ); (c − a)/AHT is that rate without
    // cancellation when a is close to c.
    let drain_rate = (c - a) / q.aht;
    let asa_s = p_wait / drain_rate;
    let service_level = (1.0 - p_wait * (-drain_rate * q.threshold).exp()).clamp(0.0, 1.0);
    ErlangFigures {
        model: ErlangModel::ErlangC,
        offered_load_erlangs: a,
        p_wait,
        asa_s,
        service_level,
        p_abandon: 0.0,
        occupancy: a / c,
        mean_queue_length: q.lambda * asa_s,
        stable: true,
    }
}

/// Running sums over the Erlang A states, all relative to `exp(scale)` so
/// that weights spanning thousands of orders of magnitude can be combined.
struct LogSums {
    /// Log of the common factor every sum is expressed relative to.
    scale: f64,
    /// Weight of the states with a free agent (`n < c`).
    below: f64,
    /// `Σ t_k`: arrivals that must queue.
    queued: f64,
    /// `Σ k·t_k`: mean queue length numerator.
    queue_len: f64,
    /// `Σ t_k·P(answered | k)`.
    answered: f64,
    /// `Σ t_k·E[wait; answered | k]`.
    answered_wait: f64,
    /// `Σ t_k·P(answered, wait ≤ T | k)`.
    answered_in_time: f64,
}

impl LogSums {
    fn new(ln_below: f64) -> Self {
        // The first queue state (k = 0) has log-weight 0 by construction.
        let scale = ln_below.max(0.0);
        LogSums {
            scale,
            below: (ln_below - scale).exp(),
            queued: 0.0,
            queue_len: 0.0,
            answered: 0.0,
            answered_wait: 0.0,
            answered_in_time: 0.0,
        }
    }

    /// Returns the linear weight of a state with log-weight `ln_w`,
    /// rescaling the accumulated sums first if `ln_w` is a new maximum.
    fn weight(&mut self, ln_w: f64) -> f64 {
        if ln_w > self.scale {
            let shrink = (self.scale - ln_w).exp();
            self.below *= shrink;
            self.queued *= shrink;
            self.queue_len *= shrink;
            self.answered *= shrink;
            self.answered_wait *= shrink;
            self.answered_in_time *= shrink;
            self.scale = ln_w;
        }
        (ln_w - self.scale).exp()
    }
}

fn erlang_a_figures(q: &Queue, theta: f64) -> Result<ErlangFigures, ErlangError> {
    let c = f64::from(q.agents);
    let a = q.offered_load;
    let lambda = q.lambda;
    let alpha = c / q.aht; // cμ
    let t = q.threshold;

    // The queue-length distribution peaks near (λ − cμ)/θ; refuse up front
    // rather than grinding through millions of states and failing anyway.
    let peak = (lambda - alpha) / theta;
    if peak > MAX_ERLANG_A_QUEUE_STATES as f64 {
        return Err(ErlangError::StateSpaceTooLarge {
            max_states: MAX_ERLANG_A_QUEUE_STATES,
        });
    }

    // Non-queueing block relative to π(c): 1/B − 1 = (1 − B)/B.
    let ln_b = ln_erlang_b(q.agents, a);
    let ln_below = (-ln_b.exp_m1()).ln() - ln_b;
    let mut sums = LogSums::new(ln_below);

    // Negative-binomial series for P(Ṽ_k ≤ T): b = (cμ + θ)/θ, x = 1 − e^{−θT}.
    let nb_b = (alpha + theta) / theta;
    let ln_x = (-(-theta * t).exp_m1()).ln(); // −∞ when T = 0, handled naturally
    let mut ln_pmf = -(alpha + theta) * t; // ln P(M(T) = 0)
    let mut nb_cdf = 0.0_f64;

    let ln_lambda = lambda.ln();
    let mut ln_t = 0.0_f64; // ln t_k, t_0 = π(c) = 1
    let mut harmonic = 0.0_f64; // Σ_{m=1..k+1} 1/(cμ + mθ)
    let mut k: u64 = 0;
    loop {
        let kf = k as f64;
        let next_rate = alpha + (kf + 1.0) * theta; // cμ + (k+1)θ
        if k > 0 {
            ln_pmf += ((nb_b + kf - 1.0) / kf).ln() + ln_x;
        }
        nb_cdf += ln_pmf.exp();
        let p_in_time_tilted = (1.0 - nb_cdf).clamp(0.0, 1.0);
        let p_answered = alpha / next_rate;
        harmonic += 1.0 / next_rate;

        let w = sums.weight(ln_t);
        sums.queued += w;
        sums.queue_len += kf * w;
        sums.answered += w * p_answered;
        sums.answered_wait += w * p_answered * harmonic;
        sums.answered_in_time += w * p_answered * p_in_time_tilted;

        // Move to state k + 1 and decide whether the rest is negligible.
        ln_t += ln_lambda - next_rate.ln();
        k += 1;
        let ratio = lambda / next_rate; // t_{k}/t_{k−1}; decreasing in k
        if k >= 2 && ratio < 1.0 {
            let next_w = (ln_t - sums.scale).exp();
            let one_minus = 1.0 - ratio;
            let tail_mass = next_w / one_minus;
            let tail_len = next_w * ((k as f64) / one_minus + ratio / (one_minus * one_minus));
            if tail_mass <= TAIL_TOLERANCE * sums.queued
                && tail_len <= TAIL_TOLERANCE * sums.queue_len
            {
                break;
            }
        }
        if k > MAX_ERLANG_A_QUEUE_STATES {
            return Err(ErlangError::StateSpaceTooLarge {
                max_states: MAX_ERLANG_A_QUEUE_STATES,
            });
        }
    }

    let z = sums.below + sums.queued;
    let p_wait = (sums.queued / z).clamp(0.0, 1.0);
    let mean_queue_length = sums.queue_len / z;
    let p_abandon = (theta * mean_queue_length / lambda).clamp(0.0, 1.0);
    let p_answered = (sums.below + sums.answered) / z;
    let asa_s = if p_answered > 0.0 {
        sums.answered_wait / z / p_answered
    } else {
        0.0
    };
    let service_level = ((sums.below + sums.answered_in_time) / z).clamp(0.0, 1.0);
    Ok(ErlangFigures {
        model: ErlangModel::ErlangA,
        offered_load_erlangs: a,
        p_wait,
        asa_s,
        service_level,
        p_abandon,
        occupancy: (a * (1.0 - p_abandon) / c).clamp(0.0, 1.0),
        mean_queue_length,
        stable: true,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(agents: u32, per_hour: f64, aht: f64, patience: Option<f64>) -> ErlangInput {
        ErlangInput {
            agents,
            arrival_rate_per_hour: per_hour,
            mean_handle_time_s: aht,
            service_level_threshold_s: 20.0,
            mean_patience_s: patience,
        }
    }

    fn rel(a: f64, b: f64) -> f64 {
        ((a - b) / b).abs()
    }

    #[test]
    fn erlang_b_small_known_values() {
        // B(1, a) = a/(1+a); B(2, 1) = 1/5.
        assert!(rel(erlang_b(1, 3.0).unwrap(), 0.75) < 1e-15);
        assert!(rel(erlang_b(2, 1.0).unwrap(), 0.2) < 1e-15);
        assert_eq!(erlang_b(0, 5.0).unwrap(), 1.0);
        assert!(erlang_b(3, f64::NAN).is_err());
        assert!(erlang_b(3, -1.0).is_err());
    }

    #[test]
    fn log_erlang_b_matches_linear_and_survives_underflow() {
        for &(c, a) in &[
            (1_u32, 0.5),
            (10, 8.3),
            (200, 190.0),
            (5000, 4750.0),
            (200, 50.0),
            (1000, 300.0),
        ] {
            let lin = erlang_b_unchecked(c, a);
            assert!(rel(ln_erlang_b(c, a).exp(), lin) < 1e-10, "c={c} a={a}");
        }
        // B(20000, 10000) ≈ e^{-3800}: zero in linear space, finite in logs.
        assert_eq!(erlang_b_unchecked(20_000, 10_000.0), 0.0);
        let ln_b = ln_erlang_b(20_000, 10_000.0);
        assert!(ln_b.is_finite() && ln_b < -1000.0);
    }

    #[test]
    fn erlang_c_wait_probability_edges() {
        assert_eq!(
            erlang_c_wait_probability(0, 1.0),
            Err(ErlangError::ZeroAgents)
        );
        assert_eq!(erlang_c_wait_probability(3, 3.0).unwrap(), 1.0);
        // M/M/1: C = ρ.
        assert!(rel(erlang_c_wait_probability(1, 0.7).unwrap(), 0.7) < 1e-14);
    }

    /// Independent check of the negative-binomial identity: the hypoexponential
    /// CDF with distinct rates r_1..r_n is
    /// 1 − Σ_i Π_{j≠i} r_j/(r_j − r_i) · e^{−r_i t}.
    #[test]
    fn negative_binomial_identity_matches_hypoexponential_cdf() {
        let (alpha, theta, t): (f64, f64, f64) = (10.0 / 300.0, 1.0 / 120.0, 20.0);
        let nb_b = (alpha + theta) / theta;
        let x = -(-theta * t).exp_m1();
        let mut ln_pmf = -(alpha + theta) * t;
        let mut cdf = 0.0;
        for k in 0..8_u32 {
            if k > 0 {
                let kf = f64::from(k);
                ln_pmf += ((nb_b + kf - 1.0) / kf).ln() + x.ln();
            }
            cdf += ln_pmf.exp();
            let via_nb = 1.0 - cdf;
            let rates: Vec<f64> = (1..=k + 1).map(|m| alpha + f64::from(m) * theta).collect();
            let mut survival = 0.0;
            for (i, ri) in rates.iter().enumerate() {
                let mut coef = 1.0;
                for (j, rj) in rates.iter().enumerate() {
                    if i != j {
                        coef *= rj / (rj - ri);
                    }
                }
                survival += coef * (-ri * t).exp();
            }
            assert!((via_nb - (1.0 - survival)).abs() < 1e-9, "k={k}");
        }
    }

    #[test]
    fn erlang_a_abandonment_identity_holds() {
        // θ·E[Q]/λ must equal 1 − P(answered) computed from the waiting-time side.
        for &(c, rate, pat) in &[(10_u32, 100.0, 120.0), (5, 100.0, 30.0), (50, 700.0, 400.0)] {
            let f = evaluate(&input(c, rate, 300.0, Some(pat))).unwrap();
            let q = Queue {
                agents: c,
                lambda: rate / 3600.0,
                aht: 300.0,
                threshold: 20.0,
                offered_load: rate / 3600.0 * 300.0,
            };
            let theta = 1.0 / pat;
            let g = erlang_a_figures(&q, theta).unwrap();
            assert_eq!(f, g);
            // Recompute P(answered) independently of the abandonment identity.
            let ln_b = ln_erlang_b(c, q.offered_load);
            let below = (1.0 - ln_b.exp()) / ln_b.exp();
            let alpha = f64::from(c) / 300.0;
            let (mut tk, mut z, mut ans) = (1.0_f64, below, below);
            for k in 0..100_000_u32 {
                let next = alpha + f64::from(k + 1) * theta;
                z += tk;
                ans += tk * alpha / next;
                tk *= q.lambda / next;
            }
            assert!((1.0 - ans / z - f.p_abandon).abs() < 1e-12);
        }
    }

    #[test]
    fn zero_threshold_service_level_is_immediate_answer() {
        let mut i = input(10, 100.0, 300.0, None);
        i.service_level_threshold_s = 0.0;
        let f = evaluate(&i).unwrap();
        assert!(rel(f.service_level, 1.0 - f.p_wait) < 1e-14);
        i.mean_patience_s = Some(120.0);
        let f = evaluate(&i).unwrap();
        assert!(rel(f.service_level, 1.0 - f.p_wait) < 1e-12);
    }

    #[test]
    fn zero_traffic_is_idle() {
        for pat in [None, Some(60.0)] {
            let f = evaluate(&input(3, 0.0, 300.0, pat)).unwrap();
            assert_eq!(f.p_wait, 0.0);
            assert_eq!(f.service_level, 1.0);
            assert_eq!(f.occupancy, 0.0);
            assert!(f.stable);
        }
    }

    #[test]
    fn unstable_erlang_c_is_flagged() {
        let f = evaluate(&input(10, 120.0, 300.0, None)).unwrap();
        assert!(!f.stable);
        assert_eq!(f.p_wait, 1.0);
        assert_eq!(f.service_level, 0.0);
        assert!(f.asa_s.is_infinite());
        // Erlang A is fine under the same overload.
        let f = evaluate(&input(10, 120.0, 300.0, Some(120.0))).unwrap();
        assert!(f.stable);
        assert!(f.p_abandon > 0.0 && f.p_abandon < 1.0);
        assert!(f.occupancy <= 1.0);
    }

    #[test]
    fn overloaded_erlang_a_with_huge_patience_is_rejected() {
        let f = evaluate(&input(10, 200.0, 300.0, Some(1e12)));
        assert!(matches!(f, Err(ErlangError::StateSpaceTooLarge { .. })));
    }

    #[test]
    fn infinite_offered_load_is_rejected() {
        let i = input(10, 1e308, 1e308, None);
        assert!(matches!(
            evaluate(&i),
            Err(ErlangError::InvalidOfferedLoad(_))
        ));
    }

    #[test]
    fn figures_improve_with_more_agents() {
        for pat in [None, Some(120.0)] {
            let mut prev: Option<ErlangFigures> = None;
            for c in 9..30 {
                let f = evaluate(&input(c, 100.0, 300.0, pat)).unwrap();
                if let Some(p) = prev {
                    assert!(f.service_level >= p.service_level);
                    assert!(f.p_wait <= p.p_wait);
                    assert!(f.asa_s <= p.asa_s);
                    assert!(f.p_abandon <= p.p_abandon);
                }
                prev = Some(f);
            }
        }
    }
}
