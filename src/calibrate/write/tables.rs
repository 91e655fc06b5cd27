//! `forecast.csv`, `roster.csv` and `calibration.json`.

use crate::calibrate::fit::survival::SurvivalStep;
use crate::calibrate::model::{Calibration, Patience};
use serde_json::{json, Value};

/// The text of `forecast.csv`: volume and mean handle time per queue and
/// interval, in the long format `forecast_csv` reads
/// (docs/scenario-format.md): `interval_start,queue,volume,aht_s`.
pub fn forecast_csv(c: &Calibration) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(["interval_start", "queue", "volume", "aht_s"]);
    for i in 0..c.day.intervals() {
        let at = c.day.at(i as f64 * c.day.interval_s);
        for q in &c.queues {
            let _ = w.write_record([
                c.day.clock(at),
                q.name.clone(),
                q.volume[i].to_string(),
                q.aht_s[i].map_or(String::new(), |a| format!("{:.1}", a.max(0.1))),
            ]);
        }
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// The text of `roster.csv`: one line per agent with its shift and
/// breaks, in the format `roster_csv` reads:
/// `agent,group,shift_start,shift_end,breaks`.
pub fn roster_csv(c: &Calibration) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(["agent", "group", "shift_start", "shift_end", "breaks"]);
    for a in &c.agents {
        let clock = |s: f64| c.day.clock(c.day.at(s));
        let breaks: Vec<String> = a
            .breaks
            .iter()
            .map(|(s, e, st)| format!("{}-{} {}", clock(*s), clock(*e), c.statuses[*st].name))
            .collect();
        let _ = w.write_record([
            a.name.clone(),
            c.groups[a.group].name.clone(),
            clock(a.shift_start_s),
            clock(a.shift_end_s),
            breaks.join("; "),
        ]);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// How the handle-time family is chosen, as `calibration.json` states it.
pub const HANDLE_TIME_CRITERION: &str = "each of exponential, lognormal and gamma fitted by \
maximum likelihood; the lowest AIC = 2k − 2 ln L wins (k = 1 for the exponential, 2 for the \
others); goodness of fit: the Kolmogorov–Smirnov distance and its approximate p-value \
(conservative, the parameters being estimated from the same items)";

/// How patience is estimated.
pub const PATIENCE_METHOD: &str = "every wait counted: an abandonment ends a patience, an \
answered (or still waiting) customer's wait only bounds it from below (right-censored); the \
exponential maximum-likelihood mean is total waiting time ÷ abandonments, with the exact χ² \
95% interval; the Kaplan–Meier curve is the shape-free estimate";

/// The content of `calibration.json`.
pub fn calibration_json(c: &Calibration) -> Value {
    let day = &c.day;
    let files: serde_json::Map<String, Value> = c
        .export
        .files_read
        .iter()
        .map(|(o, n)| (o.file_name(), json!(n)))
        .collect();
    let skill = |id| c.skill_name(id).to_string();
    let queues: Vec<Value> = c
        .queues
        .iter()
        .map(|q| {
            let mut v = serde_json::to_value(q).unwrap_or(Value::Null);
            if let Some(m) = v.as_object_mut() {
                m.insert("channel".into(), json!(c.channels[c.channel(&q.channel)].name));
                m.insert("handle_time_criterion".into(), json!(HANDLE_TIME_CRITERION));
                if let Patience::Estimated { .. } = q.patience {
                    m.insert("patience_method".into(), json!(PATIENCE_METHOD));
                }
                m.insert(
                    "skills".into(),
                    json!(q
                        .fixed_skills
                        .iter()
                        .map(|r| json!({ "skill": skill(&r.skill), "level": r.level, "additional": r.additional, "priority": r.priority }))
                        .collect::<Vec<_>>()),
                );
                m.insert(
                    "skill_mix".into(),
                    json!(q
                        .skill_mix
                        .iter()
                        .map(|(r, alts)| json!({
                            "level": r.level,
                            "additional": r.additional,
                            "choose": alts.iter().map(|(s, p)| (skill(s), json!(p))).collect::<serde_json::Map<_, _>>(),
                        }))
                        .collect::<Vec<_>>()),
                );
            }
            v
        })
        .collect();
    let groups: Vec<Value> = c
        .groups
        .iter()
        .map(|g| {
            let mut v = serde_json::to_value(g).unwrap_or(Value::Null);
            if let Some(m) = v.as_object_mut() {
                m.insert(
                    "queues".into(),
                    json!(g
                        .queues
                        .iter()
                        .map(|q| c.queues[*q].name.clone())
                        .collect::<Vec<_>>()),
                );
                m.insert(
                    "skills".into(),
                    json!(g
                        .skills
                        .iter()
                        .map(|(s, l)| (skill(s), json!(l)))
                        .collect::<serde_json::Map<_, _>>()),
                );
                m.insert(
                    "login_status".into(),
                    json!(c.statuses[g.login_status].name),
                );
                m.insert(
                    "shift_end_status".into(),
                    json!(g.shift_end_status.map(|s| c.statuses[s].name.clone())),
                );
                m.insert(
                    "presence_config".into(),
                    json!({
                        "name": g.name,
                        "capacity": g.capacity,
                        "auto_accept": g.answering.auto_accept,
                        "allow_decline": g.answering.declined > 0,
                        "decline_reasons": g.answering.decline_reasons,
                    }),
                );
            }
            v
        })
        .collect();
    let clock = |s: f64| day.clock(day.at(s));
    let agents: Vec<Value> = c
        .agents
        .iter()
        .map(|a| {
            json!({
                "name": a.name,
                "group": c.groups[a.group].name,
                "shift_start": clock(a.shift_start_s),
                "shift_end": clock(a.shift_end_s),
                "breaks": a.breaks.iter().map(|(s, e, st)| json!({
                    "start": clock(*s), "end": clock(*e), "status": c.statuses[*st].name
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "omnisim_version": env!("CARGO_PKG_VERSION"),
        "export": {
            "folder": c.export.dir.display().to_string(),
            "files": files,
            "missing_fields": c.export.missing_fields,
        },
        "day": {
            "date": day.local(day.start).date().to_string(),
            "timezone": day.zone.name(),
            "start": crate::salesforce::when::format_datetime(day.start),
            "end": crate::salesforce::when::format_datetime(day.end()),
            "start_local": clock(0.0),
            "end_local": clock(day.duration_s),
            "interval_s": day.interval_s,
            "intervals": day.intervals(),
        },
        "channels": c.channels,
        "statuses": c.statuses,
        "queues": queues,
        "groups": groups,
        "agents": agents,
        "notes": c.notes,
    })
}

/// The survival of a Kaplan–Meier curve at `t` (1 before its first step).
pub fn survival_at(steps: &[SurvivalStep], t: f64) -> f64 {
    steps
        .iter()
        .take_while(|s| s.t_s <= t)
        .last()
        .map_or(1.0, |s| s.survival)
}
