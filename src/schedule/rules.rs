//! The shift rules file of `omnisim schedule --rules`: which shifts may
//! be worked, where their breaks may go, what each group costs and how
//! many shifts it may have (format: docs/planning.md, "The rules file").
//!
//! ```toml
//! [rules]
//! start_every = "30m"            # shifts start on the half-hour
//! earliest_start = "08:00"       # clock times, as in the scenario
//! latest_end = "20:00"
//!
//! [[shifts]]
//! name = "Full day"
//! length = "8h30m"
//! breaks = [
//!   { name = "Coffee", duration = "15m", earliest = "1h30m", latest = "2h30m" },
//!   { name = "Lunch", duration = "30m", earliest = "3h30m", latest = "5h", paid = false },
//! ]
//!
//! [[groups]]
//! group = "Cards team"
//! max_shifts = 30
//! ```
//!
//! Read like a scenario: unknown keys are refused, and every mistake
//! names the file, the line and the key, and says what was expected.

use crate::scenario::{Scenario, ScenarioError, ScenarioErrorKind as Kind};
use crate::time::SimDuration;
use std::ops::Range;
use std::path::Path;
use toml::Spanned;

type Result<T> = std::result::Result<T, ScenarioError>;

/// Largest rules file read: a rules file is a few dozen lines.
const MAX_RULES_BYTES: u64 = 1024 * 1024;

/// Most solves of the integer programme (simulation cuts) by default.
pub const DEFAULT_MAX_ITERATIONS: u32 = 20;

/// A break of a shift type.
#[derive(Clone, Debug, PartialEq)]
pub struct BreakRule {
    /// Its name in the outputs (`Lunch`).
    pub name: String,
    /// How long it lasts.
    pub duration: SimDuration,
    /// Earliest start after the shift's start.
    pub earliest: SimDuration,
    /// Latest start after the shift's start.
    pub latest: SimDuration,
    /// Whether it is paid (counted in paid hours and cost).
    pub paid: bool,
    /// The busy status it is taken in (a scenario status without
    /// channels); `None` = the group's default break status.
    pub status: Option<String>,
}

/// A kind of shift.
#[derive(Clone, Debug, PartialEq)]
pub struct ShiftType {
    /// Its name (`Full day`).
    pub name: String,
    /// How long it lasts, breaks included.
    pub length: SimDuration,
    /// Counts toward the part-time share.
    pub part_time: bool,
    /// Its breaks, in the order they are taken; their windows do not
    /// overlap.
    pub breaks: Vec<BreakRule>,
}

impl ShiftType {
    /// Paid time of one shift: its length less its unpaid breaks.
    pub fn paid(&self) -> SimDuration {
        let unpaid: u64 = self
            .breaks
            .iter()
            .filter(|b| !b.paid)
            .map(|b| b.duration.0)
            .sum();
        SimDuration(self.length.0.saturating_sub(unpaid))
    }
}

/// What one group may work.
#[derive(Clone, Debug, PartialEq)]
pub struct GroupRules {
    /// Cost per paid hour: the rules' own, else the scenario's
    /// `cost_per_hour`.
    pub cost_per_hour: f64,
    /// Most shifts; `None` = no limit.
    pub max_shifts: Option<u32>,
    /// Largest share of part-time shifts; `None` = no limit.
    pub max_part_time_share: Option<f64>,
    /// The shift types it may work (indices into [`ShiftRules::shifts`]).
    pub shifts: Vec<usize>,
}

/// A rules file, checked against the scenario it schedules.
#[derive(Clone, Debug, PartialEq)]
pub struct ShiftRules {
    /// Shifts start on multiples of this after `earliest_start`.
    pub start_every: SimDuration,
    /// Earliest start, after the day's start.
    pub earliest_start: SimDuration,
    /// Latest end, after the day's start.
    pub latest_end: SimDuration,
    /// A 24-hour day that repeats: shifts may run past its end into its
    /// start (a 24/7 centre).
    pub wrap: bool,
    /// The shift types.
    pub shifts: Vec<ShiftType>,
    /// One per scenario group, scenario order.
    pub groups: Vec<GroupRules>,
    /// Most solves of the integer programme.
    pub max_iterations: u32,
    /// Seconds each solve may take.
    pub time_limit_s: f64,
    /// Gap to the bound at which a solve stops (0.01 = 1%).
    pub mip_gap: f64,
}

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields, expecting = "a shift rules file")]
struct RawRules {
    rules: Option<Spanned<RawGeneral>>,
    shifts: Option<Vec<Spanned<RawShift>>>,
    groups: Option<Vec<Spanned<RawGroup>>>,
}

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields, expecting = "a [rules] table")]
struct RawGeneral {
    start_every: Option<Spanned<String>>,
    earliest_start: Option<Spanned<String>>,
    latest_end: Option<Spanned<String>>,
    wrap: Option<Spanned<bool>>,
    max_part_time_share: Option<Spanned<f64>>,
    max_iterations: Option<Spanned<i64>>,
    time_limit: Option<Spanned<String>>,
    mip_gap: Option<Spanned<f64>>,
}

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields, expecting = "a [[shifts]] table")]
struct RawShift {
    name: Option<Spanned<String>>,
    length: Option<Spanned<String>>,
    part_time: Option<Spanned<bool>>,
    breaks: Option<Vec<Spanned<RawBreak>>>,
}

#[derive(Debug, serde::Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a break such as { name = \"Lunch\", duration = \"30m\", earliest = \"3h30m\", latest = \"5h\" }"
)]
struct RawBreak {
    name: Option<Spanned<String>>,
    duration: Option<Spanned<String>>,
    earliest: Option<Spanned<String>>,
    latest: Option<Spanned<String>>,
    paid: Option<Spanned<bool>>,
    status: Option<Spanned<String>>,
}

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields, expecting = "a [[groups]] table")]
struct RawGroup {
    group: Option<Spanned<String>>,
    cost_per_hour: Option<Spanned<f64>>,
    max_shifts: Option<Spanned<i64>>,
    max_part_time_share: Option<Spanned<f64>>,
    shifts: Option<Spanned<Vec<Spanned<String>>>>,
}

/// The last part of a key path (`length` of `shifts[1].length`), as a
/// message names the key it points at.
fn short(key: &str) -> &str {
    key.rsplit('.').next().unwrap_or(key)
}

/// Errors located in the rules file.
struct Cx<'a> {
    text: &'a str,
    label: &'a str,
}

impl Cx<'_> {
    fn err(&self, kind: Kind, span: Range<usize>, key: &str, message: String) -> ScenarioError {
        ScenarioError::new(kind, message)
            .in_file(self.label)
            .at_span(self.text, Some(span))
            .key(key)
    }

    /// A duration value (`"30m"`, `"8h30m"`), at least `min`.
    fn duration(&self, v: &Spanned<String>, key: &str, min: SimDuration) -> Result<SimDuration> {
        let text = v.get_ref();
        let short = short(key);
        let d = crate::time::parse_duration(text).map_err(|_| {
            self.err(
                Kind::InvalidValue,
                v.span(),
                key,
                format!("`{short}` is \"{text}\"; expected a duration such as \"30m\""),
            )
        })?;
        if d < min || d.is_zero() && !min.is_zero() {
            return Err(self.err(
                Kind::InvalidValue,
                v.span(),
                key,
                format!(
                    "`{short}` is \"{text}\"; expected a duration of at least {}",
                    crate::scenario::humanize(min.max(SimDuration(1)))
                ),
            ));
        }
        Ok(d)
    }

    /// A time of the day: a clock time or a duration from its start.
    fn time(&self, v: &Spanned<String>, key: &str, s: &Scenario) -> Result<SimDuration> {
        let text = v.get_ref().trim();
        let short = short(key);
        let clock = s.simulation.clock();
        let at = if text.contains(':') {
            crate::clock::parse_time_of_day(text).map(|t| clock.offset_of(t))
        } else {
            crate::time::parse_duration(text)
        };
        at.map_err(|why| {
            self.err(
                Kind::InvalidValue,
                v.span(),
                key,
                format!("`{short}` is \"{text}\" ({why}); expected a clock time such as \"08:00\" or a duration from the day's start"),
            )
        })
    }

    fn fraction(&self, v: &Spanned<f64>, key: &str) -> Result<f64> {
        let x = *v.get_ref();
        let short = short(key);
        if (0.0..=1.0).contains(&x) {
            Ok(x)
        } else {
            Err(self.err(
                Kind::InvalidValue,
                v.span(),
                key,
                format!("`{short}` is {x}; expected a share from 0 to 1"),
            ))
        }
    }

    fn required<'r, T>(
        &self,
        v: &'r Option<Spanned<T>>,
        span: &Range<usize>,
        key: &str,
        expected: &str,
    ) -> Result<&'r Spanned<T>> {
        v.as_ref().ok_or_else(|| {
            self.err(
                Kind::MissingKey,
                span.clone(),
                key,
                format!("missing required key `{}` ({expected})", short(key)),
            )
        })
    }
}

/// Reads and checks a rules file against the scenario it schedules.
pub fn read(path: &Path, scenario: &Scenario) -> Result<ShiftRules> {
    let label = path.display().to_string();
    let io = |e: std::io::Error| {
        ScenarioError::new(Kind::Io, format!("cannot read the rules file: {e}")).in_file(&label)
    };
    let bytes = crate::scenario::read_bounded(path, MAX_RULES_BYTES)
        .map_err(io)?
        .ok_or_else(|| {
            ScenarioError::new(
                Kind::InvalidValue,
                format!(
                    "the rules file is larger than {} KiB; expected a few dozen lines of shift rules",
                    MAX_RULES_BYTES / 1024
                ),
            )
            .in_file(&label)
        })?;
    let text = String::from_utf8(bytes).map_err(|_| {
        ScenarioError::new(Kind::Syntax, "the rules file is not UTF-8 text").in_file(&label)
    })?;
    parse(&text, &label, scenario)
}

/// Checks the text of a rules file (`label` names it in errors).
pub fn parse(text: &str, label: &str, s: &Scenario) -> Result<ShiftRules> {
    let cx = Cx { text, label };
    let raw: RawRules = toml::from_str(text).map_err(|e| {
        ScenarioError::new(
            if e.message().contains("unknown field") {
                Kind::UnknownKey
            } else {
                Kind::InvalidValue
            },
            e.message().trim().replace('\n', "; "),
        )
        .in_file(label)
        .at_span(text, e.span())
    })?;
    let day = s.simulation.duration;
    let whole = 0..text.len().min(1);
    // [rules]
    let general = raw.rules.as_ref();
    let g = |f: fn(&RawGeneral) -> &Option<Spanned<String>>| {
        general.and_then(|r| f(r.get_ref()).as_ref())
    };
    let start_every = match g(|r| &r.start_every) {
        Some(v) => cx.duration(v, "rules.start_every", SimDuration::from_secs(60))?,
        None => SimDuration::from_secs(1800),
    };
    let wrap = general
        .and_then(|r| r.get_ref().wrap.as_ref())
        .is_some_and(|w| *w.get_ref());
    if wrap && day != SimDuration::from_secs(24 * 3600) {
        let span = general
            .and_then(|r| r.get_ref().wrap.as_ref())
            .map_or(whole.clone(), |w| w.span());
        return Err(cx
            .err(
                Kind::Inconsistent,
                span,
                "rules.wrap",
                format!(
                    "`wrap = true` repeats the day, but the scenario's day is {} long; expected a 24-hour day ([simulation] duration = \"24h\")",
                    crate::scenario::humanize(day)
                ),
            )
            .with_hint("a centre open part of the day needs no wrap: shifts then stay inside it"));
    }
    let earliest_start = match g(|r| &r.earliest_start) {
        Some(v) if !wrap => cx.time(v, "rules.earliest_start", s)?,
        _ => SimDuration::ZERO,
    };
    let latest_end = match g(|r| &r.latest_end) {
        Some(v) if !wrap => {
            let end = cx.time(v, "rules.latest_end", s)?;
            let end = if end.is_zero() { day } else { end };
            if end <= earliest_start || end > day {
                return Err(cx.err(
                    Kind::InvalidValue,
                    v.span(),
                    "rules.latest_end",
                    format!(
                        "`latest_end` is \"{}\"; expected a time after earliest_start and at most the end of the scenario's day",
                        v.get_ref()
                    ),
                ));
            }
            end
        }
        _ => day,
    };
    let share_all = match general.and_then(|r| r.get_ref().max_part_time_share.as_ref()) {
        Some(v) => Some(cx.fraction(v, "rules.max_part_time_share")?),
        None => None,
    };
    let max_iterations = match general.and_then(|r| r.get_ref().max_iterations.as_ref()) {
        Some(v) => {
            let n = *v.get_ref();
            if !(1..=1000).contains(&n) {
                return Err(cx.err(
                    Kind::InvalidValue,
                    v.span(),
                    "rules.max_iterations",
                    format!("`max_iterations` is {n}; expected a number of solves from 1 to 1000"),
                ));
            }
            n as u32
        }
        None => DEFAULT_MAX_ITERATIONS,
    };
    let time_limit_s = match g(|r| &r.time_limit) {
        Some(v) => cx
            .duration(v, "rules.time_limit", SimDuration::from_secs(1))?
            .as_secs_f64(),
        None => 10.0,
    };
    let mip_gap = match general.and_then(|r| r.get_ref().mip_gap.as_ref()) {
        Some(v) => cx.fraction(v, "rules.mip_gap")?,
        None => 0.01,
    };
    // [[shifts]]
    let raw_shifts = raw.shifts.as_deref().unwrap_or_default();
    if raw_shifts.is_empty() {
        return Err(cx
            .err(
                Kind::MissingKey,
                whole,
                "shifts",
                "no [[shifts]]; expected at least one kind of shift".into(),
            )
            .with_hint(
                "add one, e.g.\n    [[shifts]]\n    name = \"Full day\"\n    length = \"8h\"",
            ));
    }
    let mut shifts: Vec<ShiftType> = Vec::new();
    for (i, rs) in raw_shifts.iter().enumerate() {
        let key = |k: &str| format!("shifts[{i}].{k}");
        let r = rs.get_ref();
        let name = cx.required(&r.name, &rs.span(), &key("name"), "the shift's name")?;
        if shifts.iter().any(|s| &s.name == name.get_ref()) {
            return Err(cx.err(
                Kind::DuplicateName,
                name.span(),
                &key("name"),
                format!(
                    "shift \"{}\" is defined twice; expected each name once",
                    name.get_ref()
                ),
            ));
        }
        let length_v = cx.required(
            &r.length,
            &rs.span(),
            &key("length"),
            "a duration such as \"8h\"",
        )?;
        let length = cx.duration(length_v, &key("length"), SimDuration::from_secs(60))?;
        let room = if wrap {
            day
        } else {
            SimDuration(latest_end.0 - earliest_start.0)
        };
        if length > room {
            return Err(cx.err(
                Kind::InvalidValue,
                length_v.span(),
                &key("length"),
                format!(
                    "`length` is \"{}\", longer than the {} between earliest_start and latest_end; expected a shorter shift",
                    length_v.get_ref(),
                    crate::scenario::humanize(room)
                ),
            ));
        }
        let mut breaks: Vec<BreakRule> = Vec::new();
        for (b, rb) in r.breaks.iter().flatten().enumerate() {
            let bkey = |k: &str| format!("shifts[{i}].breaks[{b}].{k}");
            let x = rb.get_ref();
            let span = rb.span();
            let duration_v = cx.required(
                &x.duration,
                &span,
                &bkey("duration"),
                "a duration such as \"15m\"",
            )?;
            let duration =
                cx.duration(duration_v, &bkey("duration"), SimDuration::from_secs(60))?;
            let earliest_v = cx.required(
                &x.earliest,
                &span,
                &bkey("earliest"),
                "the earliest start after the shift's start, such as \"1h30m\"",
            )?;
            let earliest = cx.duration(earliest_v, &bkey("earliest"), SimDuration::ZERO)?;
            let latest = match &x.latest {
                Some(v) => cx.duration(v, &bkey("latest"), SimDuration::ZERO)?,
                None => earliest,
            };
            let latest_span = x.latest.as_ref().map_or(earliest_v.span(), |v| v.span());
            if latest < earliest {
                return Err(cx.err(
                    Kind::InvalidValue,
                    latest_span,
                    &bkey("latest"),
                    "`latest` is before `earliest`; expected the latest start at or after the earliest".into(),
                ));
            }
            if latest + duration > length {
                return Err(cx.err(
                    Kind::InvalidValue,
                    latest_span,
                    &bkey("latest"),
                    format!(
                        "a break starting at its latest ({}) would end after the shift's {}; expected it to end inside the shift",
                        crate::scenario::humanize(latest),
                        crate::scenario::humanize(length)
                    ),
                ));
            }
            if let Some(prev) = breaks.last() {
                if earliest < prev.latest + prev.duration {
                    return Err(cx.err(
                        Kind::Inconsistent,
                        earliest_v.span(),
                        &bkey("earliest"),
                        format!(
                            "this break may start before the previous one ({}) ends; expected break windows in order, each starting after the previous can end ({} after the shift's start)",
                            prev.name,
                            crate::scenario::humanize(prev.latest + prev.duration)
                        ),
                    ));
                }
            }
            let status = match &x.status {
                Some(v) => {
                    let name = v.get_ref();
                    match s.statuses.iter().find(|st| &st.api_name == name) {
                        Some(st) if st.channels.is_empty() => Some(name.clone()),
                        Some(_) => {
                            return Err(cx.err(
                                Kind::Inconsistent,
                                v.span(),
                                &bkey("status"),
                                format!("status \"{name}\" carries channels; expected a busy status (one without channels) to take the break in"),
                            ))
                        }
                        None => {
                            let names: Vec<&str> = s.statuses.iter().map(|st| st.api_name.as_str()).collect();
                            return Err(cx.err(
                                Kind::UnknownReference,
                                v.span(),
                                &bkey("status"),
                                format!("status \"{name}\" is not a status of the scenario; statuses: {}", names.join(", ")),
                            ))
                        }
                    }
                }
                None => None,
            };
            breaks.push(BreakRule {
                name: x
                    .name
                    .as_ref()
                    .map_or_else(|| "Break".to_string(), |n| n.get_ref().clone()),
                duration,
                earliest,
                latest,
                paid: x.paid.as_ref().is_none_or(|p| *p.get_ref()),
                status,
            });
        }
        shifts.push(ShiftType {
            name: name.get_ref().clone(),
            length,
            part_time: r.part_time.as_ref().is_some_and(|p| *p.get_ref()),
            breaks,
        });
    }
    // [[groups]]
    let mut groups: Vec<GroupRules> = s
        .agents
        .iter()
        .map(|g| GroupRules {
            cost_per_hour: g.planning.cost_per_hour,
            max_shifts: None,
            max_part_time_share: share_all,
            shifts: (0..shifts.len()).collect(),
        })
        .collect();
    let mut seen: Vec<usize> = Vec::new();
    for (i, rg) in raw.groups.iter().flatten().enumerate() {
        let key = |k: &str| format!("groups[{i}].{k}");
        let r = rg.get_ref();
        let name = cx.required(
            &r.group,
            &rg.span(),
            &key("group"),
            "a group of the scenario",
        )?;
        let Some(g) = s.agents.iter().position(|a| &a.group == name.get_ref()) else {
            let names: Vec<&str> = s.agents.iter().map(|a| a.group.as_str()).collect();
            let near = crate::scenario::error::suggest(name.get_ref(), names.iter().copied());
            return Err(cx
                .err(
                    Kind::UnknownReference,
                    name.span(),
                    &key("group"),
                    format!(
                        "group \"{}\" is not an [[agents]] group of the scenario; groups: {}",
                        name.get_ref(),
                        names.join(", ")
                    ),
                )
                .with_maybe_hint(
                    near.map(|n| format!("did you mean \"{n}\"? (names are case-sensitive)")),
                ));
        };
        if seen.contains(&g) {
            return Err(cx.err(
                Kind::DuplicateName,
                name.span(),
                &key("group"),
                format!(
                    "group \"{}\" has rules twice; expected one [[groups]] entry per group",
                    name.get_ref()
                ),
            ));
        }
        seen.push(g);
        if let Some(v) = &r.cost_per_hour {
            let c = *v.get_ref();
            if !(c.is_finite() && c > 0.0) {
                return Err(cx.err(
                    Kind::InvalidValue,
                    v.span(),
                    &key("cost_per_hour"),
                    format!("`cost_per_hour` is {c}; expected a cost per paid hour above 0"),
                ));
            }
            groups[g].cost_per_hour = c;
        }
        if let Some(v) = &r.max_shifts {
            let n = *v.get_ref();
            if !(1..=i64::from(u32::MAX)).contains(&n) {
                return Err(cx.err(
                    Kind::InvalidValue,
                    v.span(),
                    &key("max_shifts"),
                    format!("`max_shifts` is {n}; expected a number of shifts, 1 or more"),
                ));
            }
            groups[g].max_shifts = Some(n as u32);
        }
        if let Some(v) = &r.max_part_time_share {
            groups[g].max_part_time_share = Some(cx.fraction(v, &key("max_part_time_share"))?);
        }
        if let Some(list) = &r.shifts {
            let mut chosen = Vec::new();
            for n in list.get_ref() {
                let Some(k) = shifts.iter().position(|s| &s.name == n.get_ref()) else {
                    let names: Vec<&str> = shifts.iter().map(|s| s.name.as_str()).collect();
                    return Err(cx.err(
                        Kind::UnknownReference,
                        n.span(),
                        &key("shifts"),
                        format!(
                            "shift \"{}\" is not a [[shifts]] name; shifts: {}",
                            n.get_ref(),
                            names.join(", ")
                        ),
                    ));
                };
                chosen.push(k);
            }
            if chosen.is_empty() {
                return Err(cx.err(
                    Kind::InvalidValue,
                    list.span(),
                    &key("shifts"),
                    "`shifts` is empty; expected the names of the shifts the group may work".into(),
                ));
            }
            groups[g].shifts = chosen;
        }
    }
    Ok(ShiftRules {
        start_every,
        earliest_start,
        latest_end,
        wrap,
        shifts,
        groups,
        max_iterations,
        time_limit_s,
        mip_gap,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bank() -> Scenario {
        Scenario::from_path(Path::new("scenarios/bank_day.toml")).unwrap()
    }

    const RULES: &str = r#"
[rules]
start_every = "30m"
earliest_start = "08:00"
latest_end = "20:00"

[[shifts]]
name = "Full day"
length = "8h30m"
breaks = [
  { name = "Coffee", duration = "15m", earliest = "1h30m", latest = "2h30m" },
  { name = "Lunch", duration = "30m", earliest = "3h30m", latest = "5h", paid = false },
]

[[shifts]]
name = "Part time"
length = "4h"
part_time = true

[[groups]]
group = "Cards team"
max_shifts = 30
max_part_time_share = 0.25
"#;

    #[test]
    fn a_rules_file_reads_into_shift_types_and_group_rules() {
        let r = parse(RULES, "rules.toml", &bank()).unwrap();
        assert_eq!(r.shifts.len(), 2);
        assert_eq!(r.shifts[0].paid(), SimDuration::from_secs(8 * 3600));
        assert!(r.shifts[1].part_time);
        assert_eq!(r.groups[0].max_shifts, Some(30));
        assert_eq!(r.groups[0].max_part_time_share, Some(0.25));
        assert_eq!(r.groups[1].shifts, vec![0, 1], "every shift by default");
        assert_eq!(r.latest_end, SimDuration::from_secs(12 * 3600));
    }

    #[test]
    fn mistakes_name_the_line_and_key() {
        let s = bank();
        let cases = [
            ("length = \"4h\"", "length = \"4x\"", "shifts[1].length"),
            (
                "latest = \"5h\"",
                "latest = \"8h30m\"",
                "shifts[0].breaks[1].latest",
            ),
            (
                "earliest = \"3h30m\"",
                "earliest = \"2h\"",
                "shifts[0].breaks[1].earliest",
            ),
            (
                "group = \"Cards team\"",
                "group = \"Card team\"",
                "groups[0].group",
            ),
            ("max_shifts = 30", "max_shifts = 0", "groups[0].max_shifts"),
            (
                "max_part_time_share = 0.25",
                "max_part_time_share = 2.5",
                "groups[0].max_part_time_share",
            ),
            (
                "latest_end = \"20:00\"",
                "latest_end = \"21:00\"",
                "rules.latest_end",
            ),
            (
                "start_every = \"30m\"",
                "start_every = \"30m\"\nwrap = true",
                "rules.wrap",
            ),
        ];
        for (from, to, key) in cases {
            let e = parse(&RULES.replace(from, to), "rules.toml", &s).unwrap_err();
            assert_eq!(e.key_path(), Some(key), "{e}");
            assert!(e.line().is_some(), "{e}");
        }
        let e = parse(&RULES.replace("max_shifts", "max_shift"), "rules.toml", &s).unwrap_err();
        assert!(e.to_string().contains("unknown field `max_shift`"), "{e}");
        let e = parse(
            &RULES.replace("paid = false", "paid = false, status = \"Available_Voice\""),
            "rules.toml",
            &s,
        )
        .unwrap_err();
        assert!(e.to_string().contains("busy status"), "{e}");
    }
}
