//! What `plan` may put on the floor of each group: the limits from the
//! scenario (`min_agents`, `max_agents`, `plan_fixed`) and the command
//! line (`--max-agents 40` or `--max-agents Seniors=6,Bilingual=8`), and
//! what an agent of each group costs.
//!
//! Which maximum wins, most specific first: a group named in
//! `--max-agents`, the group's own `max_agents`, a plain number in
//! `--max-agents`, and three times the group's roster (at least 1).

use crate::scenario::Scenario;

/// `--max-agents` as given: a number for every group and numbers for
/// named groups.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MaxAgents {
    /// The plain number, for every group not named.
    pub all: Option<u32>,
    /// `Group=N` pairs, in the order given.
    pub groups: Vec<(String, u32)>,
}

impl MaxAgents {
    /// Parses `40`, `Seniors=6,Bilingual=8` or both (`40,Seniors=6`);
    /// `Err` says what is wrong with which part.
    pub fn parse(text: &str) -> Result<MaxAgents, String> {
        let mut out = MaxAgents::default();
        for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let number = |v: &str| -> Result<u32, String> {
                v.trim()
                    .parse::<u32>()
                    .ok()
                    .filter(|n| *n >= 1)
                    .ok_or_else(|| format!("`{part}`: expected a number of agents, 1 or more"))
            };
            match part.rsplit_once('=') {
                Some((group, n)) => {
                    let group = group.trim();
                    if group.is_empty() {
                        return Err(format!("`{part}`: expected GROUP=N with a group name"));
                    }
                    out.groups.push((group.to_string(), number(n)?));
                }
                None => {
                    if out.all.is_some() {
                        return Err(format!("`{part}`: a plain number is given twice; expected one for every group and GROUP=N for the others"));
                    }
                    out.all = Some(number(part)?);
                }
            }
        }
        if out.all.is_none() && out.groups.is_empty() {
            return Err(
                "expected a number of agents or GROUP=N pairs, such as Seniors=6,Bilingual=8"
                    .into(),
            );
        }
        Ok(out)
    }

    /// The pairs merged: one more `--max-agents` adds to the earlier.
    pub fn merge(&mut self, other: MaxAgents) -> Result<(), String> {
        if let (Some(a), Some(b)) = (self.all, other.all) {
            if a != b {
                return Err(format!("--max-agents gives two plain numbers, {a} and {b}; expected one for every group"));
            }
        }
        self.all = self.all.or(other.all);
        self.groups.extend(other.groups);
        Ok(())
    }
}

/// Each group's limits and cost, resolved.
#[derive(Clone, Debug, PartialEq)]
pub struct GroupLimits {
    /// Fewest agents on the floor.
    pub min: Vec<u32>,
    /// Most agents on the floor.
    pub max: Vec<u32>,
    /// Cost per agent-hour.
    pub cost_per_hour: Vec<f64>,
    /// Groups kept as their roster puts them.
    pub fixed: Vec<bool>,
}

/// Resolves the limits of every group; `Err` names a group
/// `--max-agents` names but the scenario does not have, or a maximum
/// below the group's `min_agents`.
pub fn group_limits(s: &Scenario, cli: &MaxAgents) -> Result<GroupLimits, String> {
    for (name, _) in &cli.groups {
        if !s.agents.iter().any(|g| &g.group == name) {
            let names: Vec<&str> = s.agents.iter().map(|g| g.group.as_str()).collect();
            let near = crate::scenario::error::suggest(name, names.iter().copied());
            return Err(format!(
                "--max-agents names group \"{name}\", which the scenario does not have; groups: {}{}",
                names.join(", "),
                near.map_or(String::new(), |n| format!(" (did you mean \"{n}\"?)"))
            ));
        }
    }
    let mut out = GroupLimits {
        min: Vec::new(),
        max: Vec::new(),
        cost_per_hour: Vec::new(),
        fixed: Vec::new(),
    };
    for g in &s.agents {
        let p = &g.planning;
        let named = cli
            .groups
            .iter()
            .rev()
            .find(|(n, _)| n == &g.group)
            .map(|(_, m)| *m);
        let max = named
            .or(p.max_agents)
            .or(cli.all)
            .unwrap_or((g.count * 3).max(1));
        if max < p.min_agents {
            return Err(format!(
                "group \"{}\": the most agents allowed ({max}) is below its min_agents ({}); expected a maximum of at least {}",
                g.group, p.min_agents, p.min_agents
            ));
        }
        out.min.push(p.min_agents);
        out.max.push(max);
        out.cost_per_hour.push(p.cost_per_hour);
        out.fixed.push(p.fixed);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn max_agents_reads_a_number_group_pairs_or_both() {
        assert_eq!(
            MaxAgents::parse("40").unwrap(),
            MaxAgents {
                all: Some(40),
                groups: vec![]
            }
        );
        let m = MaxAgents::parse("Seniors=6, Bilingual = 8").unwrap();
        assert_eq!(m.all, None);
        assert_eq!(
            m.groups,
            vec![("Seniors".to_string(), 6), ("Bilingual".to_string(), 8)]
        );
        assert_eq!(MaxAgents::parse("12,Seniors=6").unwrap().all, Some(12));
        assert!(MaxAgents::parse("Seniors=0")
            .unwrap_err()
            .contains("1 or more"));
        assert!(MaxAgents::parse("=3").unwrap_err().contains("group name"));
        assert!(MaxAgents::parse("3,4").unwrap_err().contains("twice"));
        assert!(MaxAgents::parse("").is_err());
    }

    #[test]
    fn the_most_specific_maximum_wins() {
        let text = std::fs::read_to_string("scenarios/bank_day.toml")
            .unwrap()
            .replace(
                "group = \"Back office\"",
                "group = \"Back office\"\nmax_agents = 4\ncost_per_hour = 0.8",
            );
        let s =
            Scenario::from_text_at(&text, std::path::Path::new("scenarios/bank_day.toml")).unwrap();
        let cli = MaxAgents::parse("30,Cards team=12").unwrap();
        let l = group_limits(&s, &cli).unwrap();
        assert_eq!(l.max, vec![12, 30, 30, 30, 4]);
        assert_eq!(l.cost_per_hour[4], 0.8);
        let e = group_limits(&s, &MaxAgents::parse("Card team=3").unwrap()).unwrap_err();
        assert!(e.contains("did you mean \"Cards team\""), "{e}");
    }
}
