//! Validation against queueing theory.
//!
//! Each [`ValidationCase`] is an Erlang-equivalent centre (design.md §4)
//! whose exact figures [`crate::analytic`] computes. [`run_case`] simulates
//! it over independent replications and compares the mean of each metric
//! with the analytic value: a metric passes when the analytic value lies in
//! the simulated 99% confidence interval, or within a small stated
//! tolerance of the mean (for metrics so precise that the interval is
//! narrower than the 1 µs time grid or the warm-up bias).
//!
//! The cases span 1 to 500 agents, occupancy 0.5 to 0.97 (and an
//! overloaded centre kept finite by abandonment), thresholds 10 to 60 s,
//! with and without abandonment, and two that express servers through
//! capacity rather than head-count: 10 agents of capacity 2 with weight 1,
//! and capacity percentage 50 on capacity 1. [`blended`] adds centres of
//! chats and interruptible emails, checked against the email throughput
//! of the agents' time free of chats.

pub mod blended;

use crate::analytic::{erlang_equivalent, evaluate, ErlangFigures, ErlangInput};
use crate::engine::{run_replication, RunOptions};
use crate::omni::CapacityCost;
use crate::runner::{RunError, Runner};
use crate::scenario::Scenario;
use crate::stats::{confidence, MetricsCollector, QueueMetrics};
use crate::workload::ErlangCentre;
use serde::Serialize;
use std::sync::Arc;

/// One case of the suite.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ValidationCase {
    /// Short name.
    pub name: String,
    /// The centre.
    pub centre: ErlangCentre,
    /// Measured hours per replication.
    pub hours: f64,
    /// Replications.
    pub replications: u32,
}

/// The suite: at least 12 Erlang C / Erlang A cases plus the two capacity
/// equivalences. Run lengths are chosen so every case simulates a few tens
/// of thousands of items per replication.
pub fn cases() -> Vec<ValidationCase> {
    let w = CapacityCost::Weight(1);
    let c =
        |name: &str, agents, rate, aht, patience: Option<f64>, threshold, hours| ValidationCase {
            name: name.into(),
            centre: ErlangCentre {
                agents,
                capacity: 1,
                cost: w,
                rate_per_hour: rate,
                aht_s: aht,
                patience_s: patience,
                threshold_s: threshold,
                skills_routed: false,
                wrap_up_s: None,
            },
            hours,
            replications: 8,
        };
    let mut v = vec![
        c("C1 1 agent, occ 0.50", 1, 6.0, 300.0, None, 20.0, 4000.0),
        c("C2 2 agents, occ 0.70", 2, 16.8, 300.0, None, 30.0, 2000.0),
        c("C3 5 agents, occ 0.80", 5, 48.0, 300.0, None, 20.0, 1000.0),
        c(
            "C4 10 agents, occ 0.83 (reference)",
            10,
            100.0,
            300.0,
            None,
            20.0,
            800.0,
        ),
        c(
            "C5 20 agents, occ 0.83 (reference)",
            20,
            200.0,
            300.0,
            None,
            20.0,
            400.0,
        ),
        c(
            "C6 50 agents, occ 0.90",
            50,
            540.0,
            300.0,
            None,
            15.0,
            150.0,
        ),
        c(
            "C7 100 agents, occ 0.95",
            100,
            1140.0,
            300.0,
            None,
            10.0,
            120.0,
        ),
        c(
            "C8 500 agents, occ 0.97",
            500,
            5820.0,
            300.0,
            None,
            20.0,
            20.0,
        ),
        c(
            "A1 10 agents, patience 120 s (reference)",
            10,
            100.0,
            300.0,
            Some(120.0),
            20.0,
            800.0,
        ),
        c(
            "A2 3 agents, occ 0.90, patience 300 s",
            3,
            32.4,
            300.0,
            Some(300.0),
            45.0,
            1500.0,
        ),
        c(
            "A3 30 agents, offered 1.10, patience 90 s",
            30,
            396.0,
            300.0,
            Some(90.0),
            20.0,
            200.0,
        ),
        c(
            "A4 200 agents, offered 0.95, patience 60 s",
            200,
            2280.0,
            300.0,
            Some(60.0),
            60.0,
            40.0,
        ),
        c(
            "A5 100 agents, occ 0.97, patience 180 s",
            100,
            1164.0,
            300.0,
            Some(180.0),
            10.0,
            100.0,
        ),
    ];
    let mut cap2 = c(
        "K1 10 agents × capacity 2, weight 1 (= 20 servers)",
        10,
        200.0,
        300.0,
        None,
        20.0,
        400.0,
    );
    cap2.centre.capacity = 2;
    v.push(cap2);
    let mut pct = c(
        "K2 20 agents × capacity 1, percentage 50 (= 40 servers)",
        20,
        400.0,
        300.0,
        None,
        20.0,
        200.0,
    );
    pct.centre.cost = CapacityCost::Percentage(50.0);
    v.push(pct);
    let mut skills = c(
        "S1 = C4 routed by skills, every agent with the skill",
        10,
        100.0,
        300.0,
        None,
        20.0,
        800.0,
    );
    skills.centre.skills_routed = true;
    v.push(skills);
    // C4's load, spent as 240 s of talk and 60 s of wrap-up set on the
    // arrival stream: occupancy must stay λ·(talk + wrap-up)/c.
    let mut wrap = c(
        "W1 10 agents, talk 240 s + wrap-up 60 s (occupancy only)",
        10,
        100.0,
        240.0,
        None,
        20.0,
        400.0,
    );
    wrap.centre.wrap_up_s = Some(60.0);
    v.push(wrap);
    v
}

/// Replications of `scenario` run on `jobs` threads; each one's overall
/// metrics, in replication order.
fn overall_metrics(scenario: &Arc<Scenario>, jobs: usize) -> Result<Vec<QueueMetrics>, RunError> {
    let replications: Vec<u32> = (0..scenario.simulation.replications).collect();
    Runner::new(jobs).run(&replications, |&replication, stop| {
        let mut m = MetricsCollector::new(scenario);
        run_replication(
            scenario.clone(),
            &mut [&mut m],
            RunOptions {
                replication,
                stop: Some(stop.clone()),
                ..Default::default()
            },
        )
        .check(scenario)?;
        Ok(m.into_result().overall)
    })
}

/// Compares the mean of `samples` (one per replication) with `analytic`:
/// it passes when the analytic value lies in the 99% interval of the mean
/// or within `tolerance` of it. `None` with fewer than two samples.
pub(crate) fn compare(
    metric: &'static str,
    analytic: f64,
    samples: &[f64],
    tolerance: f64,
) -> Option<MetricCheck> {
    let ci = confidence(samples, 0.99)?;
    let passed =
        (ci.low <= analytic && analytic <= ci.high) || (ci.mean - analytic).abs() <= tolerance;
    Some(MetricCheck {
        metric,
        analytic,
        mean: ci.mean,
        low: ci.low,
        high: ci.high,
        relative_error: if analytic != 0.0 {
            (ci.mean - analytic) / analytic
        } else {
            0.0
        },
        tolerance,
        passed,
    })
}

/// One metric of one case.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MetricCheck {
    /// Metric name as in `summary.json`.
    pub metric: &'static str,
    /// Exact value.
    pub analytic: f64,
    /// Mean over replications.
    pub mean: f64,
    /// 99% interval.
    pub low: f64,
    /// 99% interval.
    pub high: f64,
    /// (mean − analytic) / analytic.
    pub relative_error: f64,
    /// Allowed |mean − analytic| when the interval misses.
    pub tolerance: f64,
    /// Whether it passed.
    pub passed: bool,
}

impl MetricCheck {
    /// Its cells of a VALIDATION.md row: metric, analytic, mean, interval,
    /// relative error and verdict.
    pub(crate) fn markdown_cells(&self) -> String {
        format!(
            "{} | {:.5} | {:.5} | [{:.5}, {:.5}] | {:+.2}% | {}",
            self.metric,
            self.analytic,
            self.mean,
            self.low,
            self.high,
            100.0 * self.relative_error,
            if self.passed { "yes" } else { "**no**" }
        )
    }
}

/// The outcome of one case.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CaseResult {
    /// The case.
    pub case: ValidationCase,
    /// The analytic figures.
    pub analytic: ErlangFigures,
    /// Items offered per replication, on average.
    pub offered_per_replication: f64,
    /// One check per metric.
    pub checks: Vec<MetricCheck>,
}

impl CaseResult {
    /// Whether every metric passed.
    pub fn passed(&self) -> bool {
        self.checks.iter().all(|c| c.passed)
    }
}

/// Simulates one case (replications on `jobs` threads) and compares.
pub fn run_case(case: &ValidationCase, seed: u64, jobs: usize) -> Result<CaseResult, RunError> {
    let warmup_h = (case.hours / 50.0).clamp(1.0, 10.0);
    let scenario =
        Arc::new(
            case.centre
                .scenario(&case.name, case.hours, warmup_h, seed, case.replications),
        );
    // With wrap-up the centre is not Erlang-equivalent: the figures are
    // those of the talk-only centre with the wrap-up added to the handle
    // time, of which only occupancy (λ·(talk + wrap-up)/c, Little's law,
    // whatever the service distribution) still applies.
    let talk_only = ErlangCentre {
        wrap_up_s: None,
        ..case.centre.clone()
    }
    .scenario(&case.name, case.hours, warmup_h, seed, case.replications);
    let mut input: ErlangInput =
        erlang_equivalent(&talk_only).expect("validation cases are Erlang-equivalent");
    input.mean_handle_time_s += case.centre.wrap_up_s.unwrap_or(0.0);
    let analytic = evaluate(&input).expect("validation cases have valid parameters");
    let occupancy_only = case.centre.wrap_up_s.is_some();
    let overall = overall_metrics(&scenario, jobs)?;
    let offered =
        overall.iter().map(|m| m.offered as f64).sum::<f64>() / overall.len().max(1) as f64;
    let mut checks = Vec::new();
    let mut check =
        |metric: &'static str, analytic: f64, get: fn(&QueueMetrics) -> Option<f64>, tol: f64| {
            let samples: Vec<f64> = overall.iter().filter_map(get).collect();
            checks.extend(compare(metric, analytic, &samples, tol));
        };
    if !occupancy_only {
        check("p_wait", analytic.p_wait, |m| m.p_wait, 0.005);
        check(
            "asa_s",
            analytic.asa_s,
            |m| m.asa_s,
            (0.02 * analytic.asa_s).max(0.05),
        );
        check(
            "service_level",
            analytic.service_level,
            |m| m.service_level,
            0.005,
        );
    }
    check("occupancy", analytic.occupancy, |m| m.occupancy, 0.005);
    if input.mean_patience_s.is_some() && !occupancy_only {
        check("p_abandon", analytic.p_abandon, |m| m.p_abandon, 0.005);
    }
    if case.centre.skills_routed {
        // The same centre routed to queue members, same seed: every
        // replication's figures must be identical, not just close.
        let twin = ErlangCentre {
            skills_routed: false,
            ..case.centre.clone()
        };
        let twin =
            Arc::new(twin.scenario(&case.name, case.hours, warmup_h, seed, case.replications));
        let differing = overall_metrics(&twin, jobs)?
            .iter()
            .zip(&overall)
            .filter(|(a, b)| a != b)
            .count() as f64;
        checks.push(MetricCheck {
            metric: "replications differing from queue-based",
            analytic: 0.0,
            mean: differing,
            low: differing,
            high: differing,
            relative_error: 0.0,
            tolerance: 0.0,
            passed: differing == 0.0,
        });
    }
    Ok(CaseResult {
        case: case.clone(),
        analytic,
        offered_per_replication: offered,
        checks,
    })
}

/// The results as the Markdown table of `docs/VALIDATION.md`.
pub fn render_markdown(results: &[CaseResult], seed: u64, command: &str) -> String {
    let mut s = String::new();
    s.push_str("# Validation against queueing theory\n\n");
    s.push_str("Generated by `");
    s.push_str(command);
    s.push_str("`; do not edit by hand.\n\n");
    s.push_str(
        "Each case is an Erlang-equivalent centre (one queue, auto-accept, Most Available, \
         no push timeout, Poisson arrivals, exponential handle time, optional exponential \
         patience). The simulated value is the mean over independent replications with its \
         99% Student-t confidence interval; a metric passes when the analytic value is inside \
         the interval or within the stated tolerance of the mean. Handle time 300 s in every case \
         but W1, whose 300 s are 240 s of talk and 60 s of wrap-up (both exponential, the wrap-up \
         drawn per item from the arrival stream): its service is no longer exponential, so only \
         occupancy is compared, with λ·(talk + wrap-up)/c (Little's law).\n\n",
    );
    s.push_str(&format!("Base seed {seed}. Capacity equivalences: K1 (capacity 2, weight 1) and K2 (capacity 1, percentage 50) must behave as twice the servers. S1 is C4 routed by skills with every agent holding the one skill each item needs: besides matching Erlang C, each of its replications must equal the queue-based C4's under the same seed, digit for digit.\n\n"));
    s.push_str("| case | agents | cap | cost | λ /h | patience s | T s | items/rep × reps | metric | analytic | simulated mean | 99% CI | rel. error | pass |\n");
    s.push_str("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for r in results {
        let c = &r.case.centre;
        for (i, k) in r.checks.iter().enumerate() {
            let head = if i == 0 {
                format!(
                    "{} | {} | {} | {} | {} | {} | {} | {:.0} × {}",
                    r.case.name,
                    c.agents,
                    c.capacity,
                    match c.cost {
                        CapacityCost::Weight(w) => format!("weight {w}"),
                        CapacityCost::Percentage(p) => format!("{p}%"),
                    },
                    c.rate_per_hour,
                    c.patience_s.map_or("–".into(), |p| p.to_string()),
                    c.threshold_s,
                    r.offered_per_replication,
                    r.case.replications
                )
            } else {
                " | | | | | | | ".into()
            };
            s.push_str(&format!("| {head} | {} |\n", k.markdown_cells()));
        }
    }
    s
}

#[cfg(test)]
mod tests;
