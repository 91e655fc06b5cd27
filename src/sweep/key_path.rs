//! Key paths: how a sweep axis names one value of the base scenario.
//!
//! A path addresses entries **by name**, never by position, so that a
//! sweep file survives a reordering of the scenario it sweeps:
//! `agents.Seniors.count` is the `count` of the `[[agents]]` entry whose
//! `group` is `Seniors`, `arrivals.Cards.rate_per_hour` the rate of the
//! `[[arrivals]]` entry of queue `Cards`, `simulation.duration` a key of
//! the one `[simulation]` table. Segments with dots or spaces are quoted:
//! `queues."Sales.EU".push_timeout`. Keys after the entry go into inline
//! tables: `arrivals.Calls.handle_time.mean`.

use crate::scenario::error::{list_keys, list_names, suggest};
use crate::scenario::{ScenarioError, ScenarioErrorKind};
use toml_edit::{DocumentMut, Item, Value};

/// The sections whose entries are named, and the key that names them.
const NAMED_SECTIONS: &[(&str, &str)] = &[
    ("channels", "name"),
    ("statuses", "name"),
    ("skills", "name"),
    ("presence_configs", "name"),
    ("queues", "name"),
    ("arrivals", "queue"),
    ("agents", "group"),
];

/// The one section that is a plain table.
const SIMULATION: &str = "simulation";

/// A key path resolved against the base scenario: where the value lives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyTarget {
    /// Top-level section (`agents`, `simulation`, …).
    section: String,
    /// Position of the named entry in its array; `None` for `simulation`.
    index: Option<usize>,
    /// Keys inside the entry, outermost first.
    keys: Vec<String>,
}

impl KeyTarget {
    /// The path in the validator's own spelling (`agents[0].count`), so a
    /// point's validation error can be traced back to the axis that set it.
    pub fn scenario_path(&self) -> String {
        let mut s = self.section.clone();
        if let Some(i) = self.index {
            s.push_str(&format!("[{i}]"));
        }
        for k in &self.keys {
            s.push('.');
            s.push_str(k);
        }
        s
    }

    /// Writes `value` at this place of `doc`, creating the key (and the
    /// inline tables on the way) if the base leaves it out.
    pub fn set(&self, doc: &mut DocumentMut, value: &Value) {
        let section = doc
            .as_table_mut()
            .entry(&self.section)
            .or_insert_with(toml_edit::table);
        let entry: &mut dyn toml_edit::TableLike = match (self.index, section) {
            (Some(i), Item::ArrayOfTables(a)) => a.get_mut(i).expect("resolved against this doc"),
            (Some(i), Item::Value(Value::Array(a))) => a
                .get_mut(i)
                .and_then(Value::as_inline_table_mut)
                .expect("resolved against this doc"),
            (_, Item::Table(t)) => t,
            (_, Item::Value(Value::InlineTable(t))) => t,
            _ => unreachable!("resolve checked the section's shape"),
        };
        set_in(entry, &self.keys, value);
    }
}

fn set_in(table: &mut dyn toml_edit::TableLike, keys: &[String], value: &Value) {
    let (first, rest) = keys.split_first().expect("a path has a key");
    if rest.is_empty() {
        // Keep the decor (spacing, a trailing comment) of the value it
        // replaces, so the point's text reads like the base.
        let mut v = value.clone();
        if let Some(old) = table.get(first).and_then(Item::as_value) {
            *v.decor_mut() = old.decor().clone();
        } else {
            v.decor_mut().clear();
        }
        table.insert(first, Item::Value(v));
        return;
    }
    let inner = table
        .entry(first)
        .or_insert(Item::Value(Value::InlineTable(Default::default())));
    match inner {
        Item::Table(t) => set_in(t, rest, value),
        Item::Value(Value::InlineTable(t)) => set_in(t, rest, value),
        other => {
            // resolve refuses paths through non-tables; a missing middle
            // key was created as an inline table above.
            let mut t = toml_edit::InlineTable::new();
            set_in(&mut t, rest, value);
            *other = Item::Value(Value::InlineTable(t));
        }
    }
}

/// Splits a key path at dots outside double quotes.
pub fn split(path: &str) -> Result<Vec<String>, String> {
    let mut segments = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    let mut was_quoted = false;
    for c in path.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                was_quoted = true;
            }
            '.' if !quoted => {
                if current.is_empty() && !was_quoted {
                    return Err("has an empty segment (two dots, or a dot at an end)".into());
                }
                segments.push(std::mem::take(&mut current));
                was_quoted = false;
            }
            c => current.push(c),
        }
    }
    if quoted {
        return Err("has an unclosed `\"`".into());
    }
    if current.is_empty() && !was_quoted {
        return Err("has an empty segment (two dots, or a dot at an end)".into());
    }
    segments.push(current);
    Ok(segments)
}

/// Finds where `path` points in the base scenario `doc`. The error names
/// the segment that does not match and, when one is close, the name or
/// section meant.
pub fn resolve(path: &str, doc: &DocumentMut) -> Result<KeyTarget, ScenarioError> {
    let invalid = |kind, msg: String| ScenarioError::new(kind, msg);
    let segments = split(path).map_err(|e| {
        invalid(
            ScenarioErrorKind::InvalidValue,
            format!("the key path `{path}` {e}"),
        )
    })?;
    let section = segments[0].as_str();
    let sections = NAMED_SECTIONS
        .iter()
        .map(|(s, _)| *s)
        .chain(std::iter::once(SIMULATION));
    if section == SIMULATION {
        if segments.len() < 2 {
            return Err(invalid(
                ScenarioErrorKind::InvalidValue,
                format!(
                    "the key path `{path}` names a section, not a value; expected `simulation.KEY`"
                ),
            ));
        }
        return Ok(KeyTarget {
            section: SIMULATION.into(),
            index: None,
            keys: segments[1..].to_vec(),
        });
    }
    let Some((_, name_key)) = NAMED_SECTIONS.iter().find(|(s, _)| *s == section) else {
        return Err(invalid(
            ScenarioErrorKind::UnknownKey,
            format!(
                "the key path `{path}` starts with `{section}`, which is no section of a scenario; \
                 expected one of {}",
                list_keys(sections.clone())
            ),
        )
        .with_maybe_hint(suggest(section, sections).map(|s| format!("did you mean `{s}`?"))));
    };
    if segments.len() < 3 {
        return Err(invalid(
            ScenarioErrorKind::InvalidValue,
            format!(
                "the key path `{path}` is too short; expected `{section}.NAME.KEY`, the entry \
                 named by its `{name_key}`"
            ),
        ));
    }
    let name = segments[1].as_str();
    let names = entry_names(doc, section, name_key);
    let matching: Vec<usize> = names
        .iter()
        .enumerate()
        .filter(|(_, n)| n.as_deref() == Some(name))
        .map(|(i, _)| i)
        .collect();
    let index = match matching.as_slice() {
        [i] => *i,
        [] => {
            let known: Vec<&str> = names.iter().flatten().map(String::as_str).collect();
            let msg = if known.is_empty() {
                format!("the key path `{path}` names {section} entry \"{name}\", but the base scenario has no [[{section}]] entry")
            } else {
                format!(
                    "the key path `{path}` names {section} entry \"{name}\", which the base scenario \
                     does not define; its [[{section}]] entries are {}",
                    list_names(known.iter().copied())
                )
            };
            return Err(invalid(ScenarioErrorKind::UnknownReference, msg).with_maybe_hint(
                suggest(name, known.iter().copied()).map(|s| format!("did you mean \"{s}\"?")),
            ));
        }
        _ => {
            return Err(invalid(
                ScenarioErrorKind::DuplicateName,
                format!(
                    "the key path `{path}` is ambiguous: {} [[{section}]] entries have {name_key} \"{name}\"",
                    matching.len()
                ),
            ))
        }
    };
    let keys = segments[2..].to_vec();
    if keys.len() == 1 && keys[0] == *name_key {
        return Err(invalid(
            ScenarioErrorKind::InvalidValue,
            format!(
                "the key path `{path}` would rename the entry; an axis may change any key but the \
                 `{name_key}` that names it, so that every point has the same {section}"
            ),
        ));
    }
    Ok(KeyTarget {
        section: section.into(),
        index: Some(index),
        keys,
    })
}

/// The naming key's value of each entry of `section`, in file order
/// (`None` for an entry without one, which the validator reports).
fn entry_names(doc: &DocumentMut, section: &str, name_key: &str) -> Vec<Option<String>> {
    let name =
        |t: &dyn toml_edit::TableLike| t.get(name_key).and_then(Item::as_str).map(str::to_owned);
    match doc.get(section) {
        Some(Item::ArrayOfTables(a)) => a.iter().map(|t| name(t)).collect(),
        Some(Item::Value(Value::Array(a))) => a
            .iter()
            .map(|v| v.as_inline_table().and_then(|t| name(t)))
            .collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = r#"
[simulation]
duration = "8h"

[[queues]]
name = "Calls"
push_timeout = "30s" # a comment

[[queues]]
name = "Sales.EU"

[[arrivals]]
queue = "Calls"
rate_per_hour = 200
handle_time = { dist = "exponential", mean = "300s" }

[[agents]]
group = "Agents"
count = 20
"#;

    fn doc() -> DocumentMut {
        BASE.parse().unwrap()
    }

    #[test]
    fn entries_are_found_by_name() {
        let t = resolve("agents.Agents.count", &doc()).unwrap();
        assert_eq!(t.scenario_path(), "agents[0].count");
        let t = resolve("queues.\"Sales.EU\".push_timeout", &doc()).unwrap();
        assert_eq!(t.scenario_path(), "queues[1].push_timeout");
        let t = resolve("simulation.duration", &doc()).unwrap();
        assert_eq!(t.scenario_path(), "simulation.duration");
    }

    #[test]
    fn setting_keeps_the_rest_of_the_text() {
        let mut d = doc();
        resolve("agents.Agents.count", &d)
            .unwrap()
            .set(&mut d, &Value::from(22));
        resolve("queues.Calls.push_timeout", &d)
            .unwrap()
            .set(&mut d, &Value::from("45s"));
        resolve("arrivals.Calls.handle_time.mean", &d)
            .unwrap()
            .set(&mut d, &Value::from("240s"));
        resolve("queues.\"Sales.EU\".priority", &d)
            .unwrap()
            .set(&mut d, &Value::from(2));
        let text = d.to_string();
        assert!(text.contains("count = 22\n"), "{text}");
        assert!(
            text.contains("push_timeout = \"45s\" # a comment"),
            "{text}"
        );
        assert!(text.contains("mean = \"240s\""), "{text}");
        assert!(text.contains("priority = 2"), "{text}");
        // Values replaced in place keep their lines; only a key the base
        // leaves out (`priority`) adds one.
        let line = |t: &str, key: &str| t.lines().position(|l| l.starts_with(key));
        assert_eq!(line(&text, "push_timeout"), line(BASE, "push_timeout"));
        assert_eq!(line(&text, "count"), line(BASE, "count").map(|l| l + 1));
    }

    #[test]
    fn mistakes_are_named_with_a_suggestion() {
        let e = resolve("agent.Agents.count", &doc()).unwrap_err();
        assert_eq!(e.kind(), ScenarioErrorKind::UnknownKey);
        assert_eq!(e.hint(), Some("did you mean `agents`?"));
        let e = resolve("agents.Agent.count", &doc()).unwrap_err();
        assert_eq!(e.kind(), ScenarioErrorKind::UnknownReference);
        assert!(e.message().contains("\"Agents\""), "{e}");
        assert_eq!(e.hint(), Some("did you mean \"Agents\"?"));
        let e = resolve("agents.Agents", &doc()).unwrap_err();
        assert!(e.message().contains("agents.NAME.KEY"), "{e}");
        let e = resolve("agents.Agents.group", &doc()).unwrap_err();
        assert!(e.message().contains("rename"), "{e}");
        assert!(resolve("agents..count", &doc()).is_err());
        assert!(resolve("queues.\"Sales.count", &doc()).is_err());
        assert!(resolve("simulation", &doc()).is_err());
    }

    #[test]
    fn split_honours_quotes() {
        assert_eq!(split("a.\"b.c\".d").unwrap(), vec!["a", "b.c", "d"]);
        assert!(split("a.").is_err());
    }
}
