//! The round trip: the bundled day run with its Salesforce export, the
//! export calibrated back, and the truth recovered within statistical
//! error.

use crate::calibrate::model::{Fitted, Patience};
use crate::calibrate::{calibrate, CalibrateOptions, Calibration};
use crate::engine::{run_replication, RunOptions};
use crate::events::{EventKind, EventLog, EventSink, SimEvent};
use crate::salesforce::export::lookups::agent_names;
use crate::salesforce::when::parse_zone;
use crate::salesforce::{DayPlacement, SalesforceExport};
use crate::scenario::Scenario;
use statrs::distribution::{DiscreteCDF, Poisson};
use std::path::Path;
use std::sync::Arc;

const SCENARIO: &str = "scenarios/salesforce_day.toml";

fn truth() -> Arc<Scenario> {
    Arc::new(Scenario::from_path(SCENARIO.as_ref()).expect("bundled scenario"))
}

/// Replication 0 of the bundled day exported into `dir` (in Paris time);
/// its events.
pub fn export_day(dir: &Path) -> Vec<SimEvent> {
    let scenario = truth();
    let place = DayPlacement::new(
        scenario.simulation.start_date.expect("dated"),
        parse_zone("Europe/Paris").unwrap(),
        &scenario.simulation.clock(),
    )
    .unwrap();
    let mut export = SalesforceExport::create(dir, scenario.clone(), place).unwrap();
    let mut log = EventLog::default();
    run_replication(
        scenario,
        &mut [&mut export as &mut dyn EventSink, &mut log],
        RunOptions::default(),
    );
    export.into_files().unwrap();
    log.events
}

/// The export calibrated back, as `calibrate` does.
pub fn calibrated(dir: &Path) -> Calibration {
    calibrate(
        dir,
        CalibrateOptions {
            zone: parse_zone("Europe/Paris").unwrap(),
            interval_s: 1800.0,
            name: "round trip".into(),
        },
    )
    .expect("the export calibrates")
}

#[test]
fn calibrate_recovers_the_truth_of_its_own_export() {
    let tmp = tempfile::tempdir().unwrap();
    let events = export_day(tmp.path());
    let c = calibrated(tmp.path());
    let truth = truth();
    let interval = 1800.0;

    // Volume per interval and queue: exactly the items that arrived, and
    // within the central 99.9% of the truth's Poisson count.
    assert_eq!(c.day.intervals(), 20);
    let profile = [
        200.0, 260.0, 320.0, 380.0, 420.0, 440.0, 420.0, 400.0, 380.0, 400.0, 420.0, 440.0, 420.0,
        400.0, 360.0, 320.0, 280.0, 240.0, 220.0, 200.0,
    ];
    for (qi, q) in c.queues.iter().enumerate() {
        let scenario_q = truth.queues.iter().position(|t| t.name == q.name).unwrap();
        for (i, got) in q.volume.iter().enumerate() {
            let arrived = events
                .iter()
                .filter(|e| {
                    matches!(e.kind, EventKind::WorkArrived { queue, .. } if queue.index() == scenario_q)
                        && (e.time.as_secs_f64() / interval) as usize == i
                })
                .count() as u64;
            assert_eq!(*got, arrived, "{} interval {i}", q.name);
            let per_hour = if q.name == "Chat" { profile[i] } else { 60.0 };
            let lambda = per_hour * interval / 3600.0;
            let p = Poisson::new(lambda).unwrap();
            let below = p.cdf(*got);
            let above = 1.0 - if *got == 0 { 0.0 } else { p.cdf(*got - 1) };
            assert!(
                below > 0.0005 && above > 0.0005,
                "{} interval {i}: {got} items for a mean of {lambda}",
                q.name
            );
        }
        assert_eq!(qi == 0, q.name == "Chat", "queues in id order");
    }

    // Handle times: the family, and the mean within 3%.
    for (name, family, mean) in [("Chat", "lognormal", 360.0), ("Claims", "gamma", 600.0)] {
        let q = c.queues.iter().find(|q| q.name == name).unwrap();
        let Fitted::Families { fits, n } = &q.handle_time else {
            panic!("{name}: {:?}", q.handle_time);
        };
        assert_eq!(fits[0].family.name(), family, "{name}: {fits:?}");
        let rel = (fits[0].mean_s - mean).abs() / mean;
        assert!(rel < 0.03, "{name}: mean {} over {n} items", fits[0].mean_s);
    }

    // Patience: within 10% on the chat queue, not estimated on the cases.
    let chat = &c.queues[0];
    let Patience::Estimated { exponential, .. } = &chat.patience else {
        panic!("{:?}", chat.patience);
    };
    assert!(
        (exponential.mean_s - 120.0).abs() / 120.0 < 0.10,
        "{exponential:?}"
    );
    assert!(matches!(
        c.queues[1].patience,
        Patience::NotEstimated { .. }
    ));
    assert_eq!(chat.wrap_up.mean_s(), Some(30.0));

    // Declines within 0.02; capacity per presence configuration.
    let group = |n: &str| c.groups.iter().find(|g| g.name == n).unwrap();
    let (chat_g, claims_g) = (group("Chat"), group("Claims"));
    assert!(
        (chat_g.answering.decline_probability - 0.1).abs() < 0.02,
        "{:?}",
        chat_g.answering
    );
    assert_eq!(claims_g.answering.decline_probability, 0.0);
    assert_eq!((chat_g.capacity, claims_g.capacity), (3, 2));
    assert_eq!((chat_g.agents, claims_g.agents), (14, 8));

    // Skill levels exact: the agents', the queue's and the mix's.
    let skills: Vec<(&str, u8)> = claims_g
        .skills
        .iter()
        .map(|(s, l)| (c.skill_name(s), *l))
        .collect();
    assert_eq!(skills, [("Claims", 7), ("English", 8), ("French", 6)]);
    let claims = &c.queues[1];
    assert!(claims.skills_based);
    let fixed: Vec<(&str, u8)> = claims
        .fixed_skills
        .iter()
        .map(|r| (c.skill_name(&r.skill), r.level))
        .collect();
    assert_eq!(fixed, [("Claims", 5)]);
    assert_eq!(claims.skill_mix.len(), 1);
    let (req, alts) = &claims.skill_mix[0];
    assert_eq!(req.level, 6);
    let mut names: Vec<&str> = alts.iter().map(|(s, _)| c.skill_name(s)).collect();
    names.sort();
    assert_eq!(names, ["English", "French"]);

    // Shifts and breaks to the minute, agent by agent.
    let names = agent_names(&truth);
    let status_name = |s: crate::omni::StatusId| truth.statuses[s.index()].api_name.as_str();
    let mut checked = 0;
    for ((_, schedule), name) in truth.agent_schedules().zip(&names) {
        let got = c.agents.iter().find(|a| &a.name == name).expect(name);
        let minute = |a: f64, b: f64, what: &str| {
            assert!((a - b).abs() < 60.0, "{name} {what}: {a} vs {b}");
        };
        minute(
            got.shift_start_s,
            schedule.shift.start.as_secs_f64(),
            "shift start",
        );
        minute(
            got.shift_end_s,
            schedule.shift.end.unwrap().as_secs_f64(),
            "shift end",
        );
        assert_eq!(
            got.breaks.len(),
            schedule.breaks.len(),
            "{name}: {:?}",
            got.breaks
        );
        for (b, t) in got.breaks.iter().zip(schedule.breaks) {
            minute(b.0, t.start.as_secs_f64(), "break start");
            minute(b.1, t.end().as_secs_f64(), "break end");
            assert_eq!(c.statuses[b.2].name, status_name(t.status), "{name}");
        }
        checked += 1;
    }
    assert_eq!(checked, 22);
}

#[test]
fn replay_reproduces_its_own_days_service_level() {
    use crate::replay::{replay, ReplayOptions};
    let tmp = tempfile::tempdir().unwrap();
    let export = tmp.path().join("export");
    export_day(&export);
    let out = tmp.path().join("replay");
    std::fs::create_dir(&out).unwrap();
    let options = ReplayOptions {
        scenario: None,
        edits: Vec::new(),
        replications: Some(10),
        jobs: 2,
        real_handle_times: false,
        salesforce: false,
        calibrate: CalibrateOptions {
            zone: parse_zone("Europe/Paris").unwrap(),
            interval_s: 1800.0,
            name: "round trip".into(),
        },
    };
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let r = replay(&export, &out, &options, &stop).expect("the export replays");
    let summary = |m: &str| r.summary.iter().find(|s| s.metric == m).unwrap();
    // The real arrivals, exactly.
    assert_eq!(summary("offered").mean_absolute_error, Some(0.0));
    // The real day's service level in the range of a simulated day in at
    // least 90% of intervals, queue by queue.
    let cells: Vec<_> = r
        .rows
        .iter()
        .filter(|row| row.metric == "service_level" && row.queue != "ALL")
        .filter_map(|row| row.in_day_range)
        .collect();
    assert_eq!(cells.len(), 40, "20 intervals × 2 queues");
    let inside = cells.iter().filter(|b| **b).count();
    assert!(
        inside * 10 >= cells.len() * 9,
        "{inside} of {}",
        cells.len()
    );
    // The first replication is the same with one thread or two.
    let again = replay(&export, &out, &ReplayOptions { jobs: 1, ..options }, &stop).unwrap();
    let sl = |r: &crate::replay::Replay| -> Vec<Option<f64>> {
        r.rows
            .iter()
            .map(|row| row.simulated.as_ref().map(|s| s.mean))
            .collect()
    };
    assert_eq!(sl(&r), sl(&again));
}
