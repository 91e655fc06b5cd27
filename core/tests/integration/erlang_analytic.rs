//! Reference-value tests for `omnisim_core::analytic` (Erlang C / Erlang A and
//! staffing). Reference figures must be reproduced to 5 significant figures.

use std::time::Instant;

use omnisim_core::analytic::{
    erlang_b, erlang_c_wait_probability, evaluate, required_agents, ErlangError, ErlangFigures,
    ErlangInput, ErlangModel, StaffingTarget,
};

const TOL: f64 = 5e-5;

fn input(agents: u32, per_hour: f64, aht: f64, patience: Option<f64>) -> ErlangInput {
    ErlangInput {
        agents,
        arrival_rate_per_hour: per_hour,
        mean_handle_time_s: aht,
        service_level_threshold_s: 20.0,
        mean_patience_s: patience,
    }
}

#[track_caller]
fn assert_rel(what: &str, got: f64, want: f64) {
    let rel = ((got - want) / want).abs();
    assert!(
        rel < TOL,
        "{what}: got {got}, want {want} (relative error {rel:e})"
    );
}

fn assert_sane(f: &ErlangFigures) {
    for (name, v) in [
        ("p_wait", f.p_wait),
        ("service_level", f.service_level),
        ("p_abandon", f.p_abandon),
        ("occupancy", f.occupancy),
    ] {
        assert!(v.is_finite() && (0.0..=1.0).contains(&v), "{name} = {v}");
    }
    assert!(f.asa_s.is_finite() && f.asa_s >= 0.0, "asa_s = {}", f.asa_s);
    assert!(
        f.mean_queue_length.is_finite() && f.mean_queue_length >= 0.0,
        "mean_queue_length = {}",
        f.mean_queue_length
    );
}

#[test]
fn erlang_c_reference_10_agents() {
    let f = evaluate(&input(10, 100.0, 300.0, None)).unwrap();
    assert_eq!(f.model, ErlangModel::ErlangC);
    assert!(f.stable);
    assert_rel("offered load", f.offered_load_erlangs, 100.0 / 12.0);
    assert_rel("p_wait", f.p_wait, 0.48761);
    assert_rel("asa", f.asa_s, 87.770);
    assert_rel("service level", f.service_level, 0.56367);
    assert_rel("occupancy", f.occupancy, 0.83333);
    assert_eq!(f.p_abandon, 0.0);
    // Little's law for the queue.
    assert_rel("lq", f.mean_queue_length, 100.0 / 3600.0 * f.asa_s);
}

#[test]
fn erlang_a_reference_10_agents_patience_120() {
    let f = evaluate(&input(10, 100.0, 300.0, Some(120.0))).unwrap();
    assert_eq!(f.model, ErlangModel::ErlangA);
    assert!(f.stable);
    assert_rel("p_wait", f.p_wait, 0.26958);
    assert_rel("p_abandon", f.p_abandon, 0.085105);
    assert_rel("asa (answered)", f.asa_s, 7.9726);
    assert_rel("service level", f.service_level, 0.79694);
    // Abandoned items do no work.
    assert_rel(
        "occupancy",
        f.occupancy,
        (100.0 / 12.0) * (1.0 - f.p_abandon) / 10.0,
    );
    // P(abandon) = θ·E[Q]/λ.
    assert_rel(
        "lq",
        f.mean_queue_length,
        f.p_abandon * (100.0 / 3600.0) * 120.0,
    );
}

#[test]
fn erlang_c_reference_20_agents() {
    let f = evaluate(&input(20, 200.0, 300.0, None)).unwrap();
    assert_rel("p_wait", f.p_wait, 0.33812);
    assert_rel("asa", f.asa_s, 30.431);
    assert_rel("service level", f.service_level, 0.72925);
    assert_rel("occupancy", f.occupancy, 0.83333);
}

#[test]
fn single_agent_matches_mm1_closed_form() {
    // λ = 6/h = 1/600 s, μ = 1/300 s → ρ = 0.5, ASA = ρ/(μ − λ) = 300 s.
    let f = evaluate(&input(1, 6.0, 300.0, None)).unwrap();
    let (lambda, mu) = (1.0 / 600.0, 1.0 / 300.0);
    let rho = lambda / mu;
    assert_rel("p_wait", f.p_wait, rho);
    assert_rel("asa", f.asa_s, rho / (mu - lambda));
    assert_rel(
        "service level",
        f.service_level,
        1.0 - rho * (-(mu - lambda) * 20.0_f64).exp(),
    );
    assert_rel("lq", f.mean_queue_length, rho * rho / (1.0 - rho));
    assert_rel(
        "erlang c helper",
        erlang_c_wait_probability(1, rho).unwrap(),
        rho,
    );
    assert_rel(
        "erlang b helper",
        erlang_b(1, rho).unwrap(),
        rho / (1.0 + rho),
    );
}

#[test]
fn large_centre_is_finite_and_fast() {
    let start = Instant::now();
    // 5,000 agents at 95% occupancy: a = 4,750 Erlangs.
    let per_hour = 4750.0 * 3600.0 / 300.0;
    let c = evaluate(&input(5_000, per_hour, 300.0, None)).unwrap();
    assert_sane(&c);
    assert!(c.stable);
    assert_rel("occupancy", c.occupancy, 0.95);
    let a = evaluate(&input(5_000, per_hour, 300.0, Some(120.0))).unwrap();
    assert_sane(&a);
    assert!(a.p_abandon <= c.p_wait);

    // 20,000 agents at 99% load, and at half load (Erlang B underflows).
    for load in [0.99, 0.5] {
        let per_hour = 20_000.0 * load * 3600.0 / 300.0;
        for patience in [None, Some(120.0), Some(1e7)] {
            let f = evaluate(&input(20_000, per_hour, 300.0, patience)).unwrap();
            assert_sane(&f);
        }
    }
    // Heavily overloaded large Erlang A centre.
    let f = evaluate(&input(20_000, 2.0 * 20_000.0 * 12.0, 300.0, Some(120.0))).unwrap();
    assert_sane(&f);
    assert!(f.p_abandon > 0.45 && f.p_abandon < 0.55, "{}", f.p_abandon);

    let elapsed = start.elapsed();
    assert!(elapsed.as_secs_f64() < 5.0, "too slow: {elapsed:?}");
}

#[test]
fn erlang_a_with_long_patience_converges_to_erlang_c() {
    for (c, rate) in [(10, 100.0), (20, 200.0), (300, 3500.0)] {
        let ec = evaluate(&input(c, rate, 300.0, None)).unwrap();
        let ea = evaluate(&input(c, rate, 300.0, Some(1e9))).unwrap();
        assert!(ea.p_abandon < 1e-6);
        assert_rel("p_wait", ea.p_wait, ec.p_wait);
        assert_rel("asa", ea.asa_s, ec.asa_s);
        assert_rel("service level", ea.service_level, ec.service_level);
        assert_rel("lq", ea.mean_queue_length, ec.mean_queue_length);
        assert_rel("occupancy", ea.occupancy, ec.occupancy);
    }
}

#[test]
fn unstable_erlang_c_reports_overload() {
    let f = evaluate(&input(8, 100.0, 300.0, None)).unwrap();
    assert!(!f.stable);
    assert_eq!(f.p_wait, 1.0);
    assert_eq!(f.service_level, 0.0);
    assert_eq!(f.occupancy, 1.0);
    assert!(f.asa_s.is_infinite() && f.mean_queue_length.is_infinite());
    // Serialises (non-finite numbers become null).
    let json = serde_json::to_value(f).unwrap();
    assert_eq!(json["model"], "erlang_c");
    assert_eq!(json["stable"], false);
    assert!(json["asa_s"].is_null());
}

#[test]
fn figures_serialise_with_model_name() {
    let f = evaluate(&input(10, 100.0, 300.0, Some(120.0))).unwrap();
    let json = serde_json::to_value(f).unwrap();
    assert_eq!(json["model"], "erlang_a");
    for key in [
        "offered_load_erlangs",
        "p_wait",
        "asa_s",
        "service_level",
        "p_abandon",
        "occupancy",
        "mean_queue_length",
    ] {
        assert!(json[key].is_f64(), "{key}");
    }
    let input_json = serde_json::to_value(input(10, 100.0, 300.0, None)).unwrap();
    assert!(input_json["mean_patience_s"].is_null());
}

#[test]
fn invalid_inputs_are_errors_with_clear_messages() {
    let ok = input(10, 100.0, 300.0, Some(120.0));
    let cases: Vec<(ErlangInput, &str)> = vec![
        (ErlangInput { agents: 0, ..ok }, "agents"),
        (
            ErlangInput {
                arrival_rate_per_hour: -1.0,
                ..ok
            },
            "arrival_rate_per_hour",
        ),
        (
            ErlangInput {
                arrival_rate_per_hour: f64::NAN,
                ..ok
            },
            "arrival_rate_per_hour",
        ),
        (
            ErlangInput {
                arrival_rate_per_hour: f64::INFINITY,
                ..ok
            },
            "arrival_rate_per_hour",
        ),
        (
            ErlangInput {
                mean_handle_time_s: 0.0,
                ..ok
            },
            "mean_handle_time_s",
        ),
        (
            ErlangInput {
                mean_handle_time_s: -3.0,
                ..ok
            },
            "mean_handle_time_s",
        ),
        (
            ErlangInput {
                mean_patience_s: Some(0.0),
                ..ok
            },
            "mean_patience_s",
        ),
        (
            ErlangInput {
                mean_patience_s: Some(-10.0),
                ..ok
            },
            "mean_patience_s",
        ),
        (
            ErlangInput {
                mean_patience_s: Some(f64::NAN),
                ..ok
            },
            "mean_patience_s",
        ),
        (
            ErlangInput {
                service_level_threshold_s: -1.0,
                ..ok
            },
            "service_level_threshold_s",
        ),
    ];
    for (bad, param) in cases {
        let err = evaluate(&bad).expect_err(param);
        let msg = err.to_string();
        assert!(msg.contains(param), "{msg:?} should name {param}");
        assert!(
            msg.contains("must be"),
            "{msg:?} should say what is expected"
        );
        // The rendered value may be `NaN`/`inf`; the wording itself is lowercase.
        let wording = msg.split(", got").next().unwrap_or_default();
        assert_eq!(wording, wording.to_lowercase(), "messages are lowercase");
    }
    assert_eq!(
        evaluate(&ErlangInput { agents: 0, ..ok }),
        Err(ErlangError::ZeroAgents)
    );
    assert!(matches!(
        evaluate(&ErlangInput {
            arrival_rate_per_hour: f64::NAN,
            ..ok
        }),
        Err(ErlangError::InvalidArrivalRate(v)) if v.is_nan()
    ));
    // The staffing search validates the same way (agents is ignored there).
    assert!(matches!(
        required_agents(
            &ErlangInput {
                mean_handle_time_s: 0.0,
                ..ok
            },
            StaffingTarget::service_level(0.8)
        ),
        Err(ErlangError::InvalidHandleTime(_))
    ));
}

#[test]
fn staffing_80_20_is_minimal() {
    let traffic = input(0, 100.0, 300.0, None);
    let target = StaffingTarget::service_level(0.8);
    let r = required_agents(&traffic, target).unwrap();
    let at = |c| {
        evaluate(&ErlangInput {
            agents: c,
            ..traffic
        })
        .unwrap()
    };
    assert!(at(r.agents).service_level >= 0.8);
    assert!(at(r.agents - 1).service_level < 0.8);
    assert_eq!(r.figures, at(r.agents));
    // Known answer for 100/h × 300 s at 80/20: 12 agents (11 gives 0.7492,
    // 12 gives 0.8622).
    assert_eq!(r.agents, 12);

    // Erlang A with an abandonment ceiling.
    let traffic = input(0, 100.0, 300.0, Some(120.0));
    let target = StaffingTarget {
        service_level: 0.8,
        max_p_abandon: Some(0.02),
        max_asa_s: Some(10.0),
    };
    let r = required_agents(&traffic, target).unwrap();
    assert!(target.is_met_by(&r.figures));
    let below = evaluate(&ErlangInput {
        agents: r.agents - 1,
        ..traffic
    })
    .unwrap();
    assert!(!target.is_met_by(&below));
}

#[test]
fn extreme_but_valid_inputs_stay_sane_and_fast() {
    let start = Instant::now();
    let base = input(10, 100.0, 300.0, Some(120.0));
    let cases = [
        input(1, 1e9, 300.0, Some(1.0)),
        input(10, 100.0, 300.0, Some(1e-9)),
        input(20_000, 20_000.0 * 1.5 * 12.0, 300.0, Some(3600.0)),
        input(u32::MAX, 100.0, 300.0, None),
        input(u32::MAX, 100.0, 300.0, Some(120.0)),
        input(3, 1e-300, 300.0, Some(120.0)),
        ErlangInput {
            service_level_threshold_s: 0.0,
            ..base
        },
    ];
    for case in cases {
        let f = evaluate(&case).unwrap();
        assert_sane(&f);
    }
    // With an unbounded threshold every answered item counts: SL = 1 − P(abandon).
    let f = evaluate(&ErlangInput {
        service_level_threshold_s: 1e9,
        ..base
    })
    .unwrap();
    assert_rel("service level", f.service_level, 1.0 - f.p_abandon);
    // Patience so short that every queued item abandons.
    let f = evaluate(&input(10, 100.0, 300.0, Some(1e-9))).unwrap();
    assert_rel("p_abandon", f.p_abandon, f.p_wait);
    // Overloaded with near-infinite patience: refused, not ground through.
    assert!(matches!(
        evaluate(&input(10, 200.0, 300.0, Some(1e12))),
        Err(ErlangError::StateSpaceTooLarge { .. })
    ));
    let elapsed = start.elapsed();
    assert!(elapsed.as_secs_f64() < 5.0, "too slow: {elapsed:?}");
}
