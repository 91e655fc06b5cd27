//! `--set KEY=VALUE`: a what-if on the replayed scenario, named by the
//! key paths of sweeps (`agents.Claims.count`, `queues.Chat.push_timeout`,
//! see [`crate::sweep::key_path`]).
//!
//! A value with a sign (`+3`, `-1.5`) changes a number by that much. The
//! head-count of a group whose agents come from a roster or a list of
//! shifts (`agents.Claims.count=+3`) is not a key of its entry: the change
//! adds agents on the group's most common shift (with its breaks), or
//! takes the last ones of the roster away.

use crate::scenario::{Scenario, ScenarioError, ScenarioErrorKind};
use crate::sweep::key_path::resolve;
use std::path::Path;
use toml_edit::{DocumentMut, Item, Value};

/// One `--set` edit.
#[derive(Clone, Debug, PartialEq)]
pub struct SetEdit {
    /// The key path as given.
    pub key: String,
    /// The value as given.
    pub value: String,
}

impl SetEdit {
    /// Reads `KEY=VALUE`.
    pub fn parse(text: &str) -> Result<SetEdit, String> {
        let (k, v) = text.split_once('=').ok_or_else(|| {
            format!("--set {text}: expected KEY=VALUE, such as agents.Claims.count=+3")
        })?;
        let (k, v) = (k.trim(), v.trim());
        if k.is_empty() || v.is_empty() {
            return Err(format!(
                "--set {text}: expected KEY=VALUE, such as agents.Claims.count=+3"
            ));
        }
        Ok(SetEdit {
            key: k.to_string(),
            value: v.to_string(),
        })
    }

    /// The change as a signed number, for `+N` / `-N`.
    fn delta(&self) -> Option<f64> {
        let sign = self.value.chars().next()?;
        if sign != '+' && sign != '-' {
            return None;
        }
        self.value.parse::<f64>().ok().filter(|v| v.is_finite())
    }

    /// The change as signed seconds, for a duration: `+15` (seconds),
    /// `+1m`, `-30s`.
    fn delta_secs(&self) -> Option<f64> {
        let (sign, rest) = match self.value.split_at_checked(1)? {
            ("+", r) => (1.0, r),
            ("-", r) => (-1.0, r),
            _ => return None,
        };
        let secs = rest.parse::<f64>().ok().or_else(|| {
            crate::time::parse_duration(rest)
                .ok()
                .map(|d| d.as_secs_f64())
        })?;
        Some(sign * secs)
    }
}

/// A head-count change of a rostered group, applied once the scenario
/// is loaded.
#[derive(Clone, Debug, PartialEq)]
struct RosterCount {
    group: String,
    /// `+N`/`-N`, or the count to reach.
    relative: bool,
    value: i64,
}

/// Loads the scenario text of `path` with `edits` applied; errors name
/// the edit.
pub fn load_with_edits(text: &str, path: &Path, edits: &[SetEdit]) -> Result<Scenario, String> {
    let mut doc: DocumentMut = text
        .parse()
        .map_err(|e| format!("{}: {e}", path.display()))?;
    let mut counts = Vec::new();
    for e in edits {
        let target = resolve(&e.key, &doc).map_err(|err| {
            let hint = err
                .hint()
                .map_or(String::new(), |h| format!("\n  hint: {h}"));
            format!("--set {}={}: {}{hint}", e.key, e.value, err.message())
        })?;
        let rostered_count = target.scenario_path().starts_with("agents[")
            && target.scenario_path().ends_with("].count")
            && (entry_has(&doc, &target.scenario_path(), "roster_csv")
                || entry_has(&doc, &target.scenario_path(), "shifts"));
        if rostered_count {
            let group = crate::sweep::key_path::split(&e.key)
                .ok()
                .and_then(|s| s.get(1).cloned())
                .unwrap_or_default();
            let (relative, value) = match e.delta() {
                Some(d) if d.fract() == 0.0 => (true, d as i64),
                None => match e.value.parse::<i64>() {
                    Ok(v) if v >= 0 => (false, v),
                    _ => {
                        return Err(format!(
                            "--set {}={}: expected a whole number of agents, or +N / -N",
                            e.key, e.value
                        ))
                    }
                },
                Some(_) => {
                    return Err(format!(
                        "--set {}={}: expected a whole number of agents, or +N / -N",
                        e.key, e.value
                    ))
                }
            };
            counts.push(RosterCount {
                group,
                relative,
                value,
            });
            continue;
        }
        let value = match e.delta_secs() {
            Some(d) => {
                let current = current_value(&doc, &target.scenario_path());
                let duration = current
                    .and_then(Value::as_str)
                    .and_then(|t| crate::time::parse_duration(t).ok());
                match (current, duration) {
                    (_, Some(was)) => {
                        let secs = was.as_secs_f64() + d;
                        if secs.fract() == 0.0 {
                            Value::from(secs as i64)
                        } else {
                            Value::from(secs)
                        }
                    }
                    (Some(Value::Integer(i)), _) if d.fract() == 0.0 && e.delta().is_some() => {
                        Value::from(*i.value() + d as i64)
                    }
                    (Some(Value::Integer(i)), _) if e.delta().is_some() => {
                        Value::from(*i.value() as f64 + d)
                    }
                    (Some(Value::Float(f)), _) if e.delta().is_some() => {
                        Value::from(*f.value() + d)
                    }
                    _ => {
                        return Err(format!(
                            "--set {}={}: a change by {} needs a number or a duration at {}, and \
                             the scenario has {}",
                            e.key,
                            e.value,
                            e.value,
                            target.scenario_path(),
                            current
                                .map_or("none".to_string(), |v| v.to_string().trim().to_string())
                        ))
                    }
                }
            }
            None => e
                .value
                .parse::<Value>()
                .unwrap_or_else(|_| Value::from(e.value.as_str())),
        };
        target.set(&mut doc, &value);
    }
    let mut scenario = Scenario::from_text_at(&doc.to_string(), path)
        .map_err(|err: ScenarioError| with_edits(err, edits))?;
    for c in counts {
        let g = scenario
            .agents
            .iter_mut()
            .find(|g| g.group == c.group)
            .ok_or_else(|| format!("--set agents.{}.count: no such group", c.group))?;
        let now = i64::from(g.count);
        let want = if c.relative { now + c.value } else { c.value };
        if want < 1 {
            return Err(format!(
                "--set agents.{}.count: {want} agents; a group needs at least 1",
                c.group
            ));
        }
        let mut roster = g.roster.clone();
        if want > now {
            // The most common shift (with its breaks), the first of the
            // roster among equally common ones.
            let mut best = 0;
            for i in 0..roster.len() {
                let same = |a: usize| {
                    roster
                        .iter()
                        .filter(|r| r.shift == roster[a].shift && r.breaks == roster[a].breaks)
                        .count()
                };
                if same(i) > same(best) {
                    best = i;
                }
            }
            let mut extra = roster[best].clone();
            extra.count = (want - now) as u32;
            extra.name = None;
            roster.push(extra);
        } else {
            let mut cut = (now - want) as u32;
            while cut > 0 {
                let last = roster.last_mut().expect("more agents than the cut");
                let take = last.count.min(cut);
                last.count -= take;
                cut -= take;
                if last.count == 0 {
                    roster.pop();
                }
            }
        }
        g.set_roster(roster);
    }
    Ok(scenario)
}

/// Whether the entry of `scenario_path` (`agents[0].count`) has `key`.
fn entry_has(doc: &DocumentMut, scenario_path: &str, key: &str) -> bool {
    entry(doc, scenario_path).is_some_and(|t| t.contains_key(key))
}

/// The table of the entry a scenario path (`agents[0].count`) is in.
fn entry<'a>(doc: &'a DocumentMut, scenario_path: &str) -> Option<&'a dyn toml_edit::TableLike> {
    let (section, rest) = scenario_path.split_once('[')?;
    let index: usize = rest.split(']').next()?.parse().ok()?;
    match doc.get(section)? {
        Item::ArrayOfTables(a) => a.get(index).map(|t| t as &dyn toml_edit::TableLike),
        Item::Value(Value::Array(a)) => a
            .get(index)
            .and_then(Value::as_inline_table)
            .map(|t| t as &dyn toml_edit::TableLike),
        _ => None,
    }
}

/// The value at a scenario path, if the file sets it.
fn current_value<'a>(doc: &'a DocumentMut, scenario_path: &str) -> Option<&'a Value> {
    let (table, keys): (&dyn toml_edit::TableLike, Vec<&str>) =
        if let Some(rest) = scenario_path.strip_prefix("simulation.") {
            (
                doc.get("simulation")?.as_table_like()?,
                rest.split('.').collect(),
            )
        } else {
            let t = entry(doc, scenario_path)?;
            let keys = scenario_path.split_once("].")?.1.split('.').collect();
            (t, keys)
        };
    let (last, path) = keys.split_last()?;
    let mut t = table;
    for k in path {
        t = t.get(k)?.as_table_like()?;
    }
    t.get(last)?.as_value()
}

/// A scenario error after edits, saying that the edits were applied.
fn with_edits(err: ScenarioError, edits: &[SetEdit]) -> String {
    if edits.is_empty() || err.kind() == ScenarioErrorKind::Io {
        return err.to_string();
    }
    let list: Vec<String> = edits
        .iter()
        .map(|e| format!("{}={}", e.key, e.value))
        .collect();
    format!("{err} (after --set {})", list.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: &str = "scenarios/salesforce_day.toml";

    fn load(edits: &[&str]) -> Result<Scenario, String> {
        let text = std::fs::read_to_string(DAY).unwrap();
        let edits: Vec<SetEdit> = edits.iter().map(|e| SetEdit::parse(e).unwrap()).collect();
        load_with_edits(&text, Path::new(DAY), &edits)
    }

    #[test]
    fn numbers_change_by_a_signed_value_or_take_a_new_one() {
        let s = load(&[
            "queues.Chat.push_timeout=+15",
            "arrivals.Claims.rate_per_hour=-10",
        ])
        .unwrap();
        assert_eq!(
            s.queues[0].routing.push_timeout.unwrap().as_secs_f64(),
            45.0
        );
        assert_eq!(
            s.arrivals[1].rate,
            crate::scenario::ArrivalRate::Constant(50.0)
        );
        let s = load(&["queues.Chat.routing_model=least_active"]).unwrap();
        assert_eq!(
            s.queues[0].routing.model,
            crate::omni::RoutingModel::LeastActive
        );
    }

    #[test]
    fn a_rostered_group_gets_agents_on_its_most_common_shift() {
        let base = load(&[]).unwrap();
        let s = load(&["agents.Claims.count=+3"]).unwrap();
        let (b, g) = (&base.agents[1], &s.agents[1]);
        assert_eq!(g.count, b.count + 3);
        let added = g.roster.last().unwrap();
        assert_eq!((added.count, &added.shift), (3, &b.roster[0].shift));
        let s = load(&["agents.Claims.count=5"]).unwrap();
        assert_eq!(s.agents[1].count, 5);
        let e = load(&["agents.Claims.count=-8"]).unwrap_err();
        assert!(e.contains("at least 1"), "{e}");
    }

    #[test]
    fn mistakes_name_the_edit() {
        let e = load(&["agents.Claim.count=+3"]).unwrap_err();
        assert!(
            e.contains("--set agents.Claim.count=+3") && e.contains("\"Claims\""),
            "{e}"
        );
        let e = load(&["queues.Chat.channel=+1"]).unwrap_err();
        assert!(e.contains("needs a number or a duration"), "{e}");
        let s = load(&["queues.Chat.push_timeout=+1m"]).unwrap();
        assert_eq!(
            s.queues[0].routing.push_timeout.unwrap().as_secs_f64(),
            90.0
        );
        let e = load(&["queues.Chat.push_timeout=-40"]).unwrap_err();
        assert!(e.contains("after --set"), "{e}");
        assert!(SetEdit::parse("agents.Claims.count").is_err());
    }
}
