//! `scenario.toml`: the calibrated model as a scenario file, with the
//! forecast and the roster in their CSV files beside it.

use crate::calibrate::model::{Calibration, Fitted, Patience};
use crate::distribution::Distribution;
use std::fmt::Write as _;

/// The forecast file's name, as the scenario names it.
pub const FORECAST_FILE: &str = "forecast.csv";
/// The roster file's name, as the scenario names it.
pub const ROSTER_FILE: &str = "roster.csv";

/// A TOML string.
fn q(s: &str) -> String {
    toml_edit::Value::from(s).to_string()
}

/// Seconds as a scenario duration: a plain number, to the tenth.
fn secs(v: f64) -> String {
    let r = (v * 10.0).round() / 10.0;
    if r.fract() == 0.0 {
        format!("{}", r as i64)
    } else {
        format!("{r:.1}")
    }
}

/// A duration as people write it: `30m`, `1h`, `10h30m`, `45s`.
pub fn humane(v: f64) -> String {
    let total = v.round() as u64;
    let (h, m, s) = (total / 3600, total % 3600 / 60, total % 60);
    let mut out = String::new();
    if h > 0 {
        out.push_str(&format!("{h}h"));
    }
    if m > 0 {
        out.push_str(&format!("{m}m"));
    }
    if s > 0 || out.is_empty() {
        out.push_str(&format!("{s}s"));
    }
    out
}

/// A distribution as a scenario writes it.
pub fn distribution(d: &Distribution) -> String {
    match d {
        Distribution::Constant { value } => secs(*value),
        Distribution::Exponential { mean } => {
            format!("{{ dist = \"exponential\", mean = {} }}", secs(*mean))
        }
        Distribution::LogNormal { mean, sd } => format!(
            "{{ dist = \"lognormal\", mean = {}, sd = {} }}",
            secs(*mean),
            secs(*sd)
        ),
        Distribution::Gamma { mean, sd } => format!(
            "{{ dist = \"gamma\", mean = {}, sd = {} }}",
            secs(*mean),
            secs(*sd)
        ),
        Distribution::Uniform { min, max } => format!(
            "{{ dist = \"uniform\", min = {}, max = {} }}",
            secs(*min),
            secs(*max)
        ),
        Distribution::Empirical { values } => format!(
            "{{ dist = \"empirical\", values = [{}] }}",
            values
                .iter()
                .map(|v| secs(*v))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// A fitted duration as a scenario distribution, with a comment saying
/// how it was chosen; `None` when nothing was seen.
fn fitted(f: &Fitted) -> Option<(String, String)> {
    match f {
        Fitted::None { .. } => None,
        Fitted::Constant { value_s, n } => {
            Some((secs(*value_s), format!("the same in all {n} records")))
        }
        Fitted::Families { fits, n } => fits.first().map(|b| {
            (
                distribution(&b.distribution()),
                format!(
                    "best of exponential, lognormal and gamma by AIC over {n} items (KS distance {:.3})",
                    b.ks_distance
                ),
            )
        }),
    }
}

/// The text of `scenario.toml`.
pub fn scenario_toml(c: &Calibration) -> String {
    let day = &c.day;
    let local = day.local(day.start);
    let mut o = String::new();
    let _ = writeln!(
        o,
        "# Calibrated by `omnisim calibrate` from the export in {}.\n\
         # Every figure below comes from the org's records; calibration.json and\n\
         # calibration.html say how each was estimated and how well it fits.\n",
        c.export.dir.display()
    );
    let _ = writeln!(o, "[simulation]");
    let _ = writeln!(o, "name = {}", q(&c.options.name));
    let _ = writeln!(
        o,
        "start = {}   # {} in {}",
        q(&if chrono::Timelike::second(&local) == 0 {
            local.format("%Y-%m-%d %H:%M").to_string()
        } else {
            local.format("%Y-%m-%d %H:%M:%S").to_string()
        }),
        crate::salesforce::when::format_datetime(day.start),
        day.zone
    );
    let _ = writeln!(o, "duration = {}", q(&humane(day.duration_s)));
    let _ = writeln!(o, "interval = {}", q(&humane(day.interval_s)));
    let _ = writeln!(o, "seed = 1");
    let _ = writeln!(o, "replications = 10");
    let _ = writeln!(
        o,
        "service_level_threshold = \"20s\"   # not in the export: set your own\n"
    );
    for ch in &c.channels {
        let _ = writeln!(o, "[[channels]]\nname = {}\n", q(&ch.name));
    }
    for s in &c.statuses {
        let _ = writeln!(
            o,
            "[[statuses]]\nname = {}\nlabel = {}",
            q(&s.name),
            q(&s.label)
        );
        if !s.channels.is_empty() {
            let names: Vec<String> = s
                .channels
                .iter()
                .map(|ch| q(&c.channels[*ch].name))
                .collect();
            let _ = writeln!(o, "channels = [{}]", names.join(", "));
        }
        o.push('\n');
    }
    for s in &c.skills {
        let _ = writeln!(o, "[[skills]]\nname = {}\n", q(&s.name));
    }
    for g in &c.groups {
        let a = &g.answering;
        let _ = writeln!(
            o,
            "[[presence_configs]]\nname = {}\ncapacity = {}",
            q(&g.name),
            g.capacity
        );
        if a.auto_accept {
            let _ = writeln!(o, "auto_accept = true");
        } else if a.declined > 0 {
            let _ = writeln!(o, "allow_decline = true");
            if !a.decline_reasons.is_empty() {
                let r: Vec<String> = a.decline_reasons.iter().map(|r| q(r)).collect();
                let _ = writeln!(o, "decline_reasons = [{}]", r.join(", "));
            }
        }
        o.push('\n');
    }
    for qu in &c.queues {
        let _ = writeln!(
            o,
            "[[queues]]\nname = {}\nchannel = {}\nrouting_model = {}\npriority = {}",
            q(&qu.name),
            q(&c.channels[c.channel(&qu.channel)].name),
            q(&qu.routing_model),
            qu.priority
        );
        if let Some(t) = qu.push_timeout_s {
            let _ = writeln!(o, "push_timeout = {}", secs(t));
        }
        match (qu.capacity_weight, qu.capacity_percentage) {
            (Some(w), _) => {
                let _ = writeln!(o, "capacity_weight = {w}");
            }
            (None, Some(p)) => {
                let _ = writeln!(o, "capacity_percentage = {p}");
            }
            (None, None) => {}
        }
        if qu.skills_based {
            let _ = writeln!(o, "routing = \"skills\"");
            let reqs: Vec<String> = qu
                .fixed_skills
                .iter()
                .map(|r| {
                    let mut s = format!(
                        "{{ skill = {}, level = {}",
                        q(c.skill_name(&r.skill)),
                        r.level
                    );
                    if r.additional {
                        s.push_str(&format!(", additional = true, priority = {}", r.priority));
                    }
                    s.push_str(" }");
                    s
                })
                .collect();
            if !reqs.is_empty() {
                let _ = writeln!(o, "skills = [{}]", reqs.join(", "));
            }
        }
        o.push('\n');
    }
    for qu in &c.queues {
        let _ = writeln!(
            o,
            "[[arrivals]]\nqueue = {}\nforecast_csv = {}",
            q(&qu.name),
            q(FORECAST_FILE)
        );
        match fitted(&qu.handle_time) {
            Some((d, why)) => {
                let _ = writeln!(o, "handle_time = {d}   # {why}");
            }
            None => {
                let _ = writeln!(
                    o,
                    "handle_time = {{ dist = \"exponential\", mean = 300 }}   # no item was \
                     handled to the end in the export: an assumed 5 minutes"
                );
            }
        }
        match &qu.patience {
            Patience::Estimated { exponential, .. } => {
                let _ = writeln!(
                    o,
                    "patience = {{ dist = \"exponential\", mean = {} }}   # {} abandonments over {} waits, censoring counted",
                    secs(exponential.mean_s),
                    exponential.abandonments,
                    exponential.waits
                );
            }
            Patience::NotEstimated { .. } => {
                let _ = writeln!(
                    o,
                    "# patience: not estimated (see calibration.json); nobody abandons"
                );
            }
        }
        if let Some((d, why)) = fitted(&qu.wrap_up) {
            let _ = writeln!(o, "wrap_up = {d}   # {why}");
        }
        if !qu.skill_mix.is_empty() {
            let choices: Vec<String> = qu
                .skill_mix
                .iter()
                .map(|(r, alts)| {
                    let alts: Vec<String> = alts
                        .iter()
                        .map(|(s, p)| format!("{} = {}", toml_key(c.skill_name(s)), round4(*p)))
                        .collect();
                    let mut s =
                        format!("{{ choose = {{ {} }}, level = {}", alts.join(", "), r.level);
                    if r.additional {
                        s.push_str(&format!(", additional = true, priority = {}", r.priority));
                    }
                    s.push_str(" }");
                    s
                })
                .collect();
            let _ = writeln!(o, "skill_mix = [{}]", choices.join(", "));
        }
        o.push('\n');
    }
    for g in &c.groups {
        let a = &g.answering;
        let _ = writeln!(
            o,
            "[[agents]]\ngroup = {}\nroster_csv = {}\npresence_config = {}\nstatus = {}",
            q(&g.name),
            q(ROSTER_FILE),
            q(&g.name),
            q(&c.statuses[g.login_status].name)
        );
        let members: Vec<String> = g.queues.iter().map(|i| q(&c.queues[*i].name)).collect();
        let _ = writeln!(o, "queues = [{}]", members.join(", "));
        if !g.skills.is_empty() {
            let s: Vec<String> = g
                .skills
                .iter()
                .map(|(k, l)| format!("{} = {l}", toml_key(c.skill_name(k))))
                .collect();
            let _ = writeln!(o, "skills = {{ {} }}", s.join(", "));
        }
        if !a.auto_accept {
            if let Some(m) = a.response_mean_s {
                let _ = writeln!(
                    o,
                    "response_time = {{ dist = \"exponential\", mean = {} }}   # push to answer",
                    secs(m)
                );
            }
            if a.declined > 0 {
                let _ = writeln!(
                    o,
                    "accept_probability = {}   # {} of {} answered pushes declined",
                    round4(1.0 - a.decline_probability),
                    a.declined,
                    a.accepted + a.declined
                );
            }
            if a.no_answer_probability > 0.0 {
                let _ = writeln!(
                    o,
                    "no_answer_probability = {}   # {} of {} pushes timed out",
                    round4(a.no_answer_probability),
                    a.timed_out,
                    a.pushes
                );
            }
        }
        if let Some(s) = g.shift_end_status {
            let _ = writeln!(o, "shift_end_status = {}", q(&c.statuses[s].name));
        }
        o.push('\n');
    }
    o.trim_end().to_string() + "\n"
}

/// A probability to four decimals.
fn round4(p: f64) -> f64 {
    (p * 1e4).round() / 1e4
}

/// A table key: bare when it can be, quoted otherwise.
fn toml_key(k: &str) -> String {
    if !k.is_empty()
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        k.to_string()
    } else {
        q(k)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_and_distributions_read_as_scenario_values() {
        assert_eq!(humane(1800.0), "30m");
        assert_eq!(humane(36000.0), "10h");
        assert_eq!(humane(37845.0), "10h30m45s");
        assert_eq!(humane(0.0), "0s");
        assert_eq!(
            distribution(&Distribution::Gamma {
                mean: 600.04,
                sd: 480.0
            }),
            "{ dist = \"gamma\", mean = 600, sd = 480 }"
        );
        assert_eq!(
            distribution(&Distribution::Constant { value: 30.25 }),
            "30.3"
        );
        assert_eq!(toml_key("French"), "French");
        assert_eq!(toml_key("Senior agents"), "\"Senior agents\"");
    }
}
