//! Raw file → defaults → checks → [`Scenario`].
//!
//! Every rule of `docs/scenario-format.md` is enforced here, once, so the
//! engine can trust the model. The first problem found is returned; checks
//! run section by section in the order the format lists them, so the
//! reported error is usually the first one in the file.

use super::error::{list_keys, list_names, suggest, ScenarioError, ScenarioErrorKind as Kind};
use super::raw::{
    describe_item, RawAgents, RawArrivals, RawChannel, RawDist, RawDistTable, RawDuration,
    RawPresenceConfig, RawQueue, RawScenario, RawSimulation, RawStatus, RawTransfer,
};
use super::{
    AgentGroup, ArrivalRate, ArrivalStream, BehaviourSpec, Queue, QueueTargets, Scenario, Shift,
    ShiftEndMode, SimulationSettings, Transfer, END_OF_SHIFT_LABEL, END_OF_SHIFT_STATUS,
};
use crate::distribution::Distribution;
use crate::omni::{
    CapacityCost, CapacityModel, CapacityPool, CapacityUnits, ChannelId, ConfigId,
    InterruptibleProgress, PresenceConfiguration, PresenceStatus, QueueId, RoutingConfiguration,
    RoutingModel, ServiceChannel, StatusId, MAX_OPEN_ITEMS, PERCENTAGE_DECIMALS,
};
use crate::time::SimDuration;
use rustc_hash::{FxHashMap, FxHashSet};
use std::ops::Range;
use std::path::{Path, PathBuf};
use toml::Spanned;

type Result<T> = std::result::Result<T, ScenarioError>;

/// Default reporting interval, shortened to the duration for short runs.
const DEFAULT_INTERVAL: SimDuration = SimDuration::from_secs(30 * 60);
/// Default service-level threshold (the "20" of 80/20).
const DEFAULT_SL_THRESHOLD: SimDuration = SimDuration::from_secs(20);
/// The `dist` names, in the order the docs list them.
pub(crate) const DIST_NAMES: [&str; 6] = [
    "constant",
    "exponential",
    "uniform",
    "lognormal",
    "empirical",
    "gamma",
];

/// What checks need besides the raw values: the text (for positions), the
/// file label and the folder CSV files are relative to.
pub(crate) struct Ctx<'a> {
    pub text: &'a str,
    pub file: &'a str,
    pub base_dir: &'a Path,
    /// Whether the caller supplies a routing policy for external queues.
    pub external_routing: bool,
    /// The bounds what validation itself builds is held to (a forecast
    /// spread over the intervals, the groups' lists), checked before it
    /// is built.
    pub limits: &'a super::bounds::Limits,
}

/// The item being checked, for key paths and messages.
#[derive(Clone)]
pub(super) struct Item {
    pub(super) section: &'static str,
    pub(super) index: Option<usize>,
    pub(super) span: Range<usize>,
    pub(super) label: String,
}

impl Item {
    pub(super) fn path(&self, key: &str) -> String {
        match self.index {
            Some(i) => format!("{}[{i}].{key}", self.section),
            None => format!("{}.{key}", self.section),
        }
    }
}

impl Ctx<'_> {
    pub(super) fn err(
        &self,
        kind: Kind,
        span: Option<Range<usize>>,
        path: impl Into<String>,
        message: impl Into<String>,
    ) -> ScenarioError {
        ScenarioError::new(kind, message)
            .in_file(self.file)
            .at_span(self.text, span)
            .key(path)
    }

    /// An error about `key` of `item`, pointing at `span`.
    pub(super) fn at<T>(
        &self,
        kind: Kind,
        item: &Item,
        key: &str,
        value: &Spanned<T>,
        what: String,
    ) -> ScenarioError {
        self.err(
            kind,
            Some(value.span()),
            item.path(key),
            format!("{}: {what}", item.label),
        )
    }

    pub(super) fn missing(&self, item: &Item, key: &str, expected: &str) -> ScenarioError {
        self.err(
            Kind::MissingKey,
            Some(item.span.clone()),
            item.path(key),
            format!("{}: missing required key `{key}` ({expected})", item.label),
        )
    }

    pub(super) fn required<'r, T>(
        &self,
        item: &Item,
        field: &'r Option<Spanned<T>>,
        key: &str,
        expected: &str,
    ) -> Result<&'r Spanned<T>> {
        field
            .as_ref()
            .ok_or_else(|| self.missing(item, key, expected))
    }

    /// A section that must be present with at least one item.
    fn section<'r, T>(
        &self,
        items: &'r Option<Vec<Spanned<T>>>,
        section: &str,
        why: &str,
        example: &str,
    ) -> Result<&'r [Spanned<T>]> {
        match items {
            Some(v) if !v.is_empty() => Ok(v),
            Some(_) => Err(self
                .err(
                    Kind::MissingKey,
                    None,
                    section,
                    format!("[[{section}]] is empty; {why}"),
                )
                .with_hint(format!(
                    "add one, e.g.\n    {}",
                    example.replace('\n', "\n    ")
                ))),
            None => Err(self
                .err(
                    Kind::MissingKey,
                    None,
                    section,
                    format!("no [[{section}]] section; {why}"),
                )
                .with_hint(format!(
                    "add one, e.g.\n    {}",
                    example.replace('\n', "\n    ")
                ))),
        }
    }

    pub(super) fn positive(
        &self,
        item: &Item,
        key: &str,
        d: &Spanned<RawDuration>,
    ) -> Result<SimDuration> {
        if d.get_ref().value.is_zero() {
            let found = &d.get_ref().written;
            return Err(self.at(
                Kind::InvalidValue,
                item,
                key,
                d,
                format!("`{key}` is {found}; expected a duration greater than 0"),
            ));
        }
        Ok(d.get_ref().value)
    }

    /// Checks that `d` is a whole number of seconds, as the Omni-Channel
    /// setting it mirrors (`what`, such as "push timeout") is: a value it
    /// cannot hold, such as "1us" or "2.5s", is refused rather than
    /// rounded. `zero` says what 0 means, if it is allowed.
    pub(super) fn whole_seconds(
        &self,
        item: &Item,
        key: &str,
        d: &Spanned<RawDuration>,
        what: &str,
        zero: &str,
    ) -> Result<SimDuration> {
        let value = d.get_ref().value;
        if value.0 % crate::time::MICROS_PER_SEC != 0 {
            let found = &d.get_ref().written;
            let down = value.0 / crate::time::MICROS_PER_SEC;
            let suggestion = if down == 0 { 1 } else { down };
            return Err(self
                .at(
                    Kind::InvalidValue,
                    item,
                    key,
                    d,
                    format!(
                        "`{key}` is {found}; Omni-Channel's {what} is a whole number of seconds ({zero}), so it cannot be {found}; expected whole seconds such as \"30s\""
                    ),
                )
                .with_hint(format!("write {key} = \"{suggestion}s\" or another whole number of seconds")));
        }
        Ok(value)
    }

    pub(super) fn probability(
        &self,
        item: &Item,
        key: &str,
        p: &Option<Spanned<f64>>,
        default: f64,
    ) -> Result<f64> {
        let Some(p) = p else { return Ok(default) };
        let v = *p.get_ref();
        if !(0.0..=1.0).contains(&v) {
            return Err(self
                .at(
                    Kind::InvalidValue,
                    item,
                    key,
                    p,
                    format!("`{key}` is {v}; expected a probability from 0 to 1"),
                )
                .with_hint(format!("write a fraction: 95% is {key} = 0.95")));
        }
        Ok(v)
    }

    pub(super) fn count_u32(
        &self,
        item: &Item,
        key: &str,
        v: &Spanned<i64>,
        min: i64,
        expected: &str,
    ) -> Result<u32> {
        let n = *v.get_ref();
        if n > u32::MAX as i64 {
            // Say the real reason: the number is too large, not too small.
            return Err(self.at(
                Kind::InvalidValue,
                item,
                key,
                v,
                format!(
                    "`{key}` is {n}, too large; expected {expected}, at most {}",
                    u32::MAX
                ),
            ));
        }
        if n < min {
            return Err(self.at(
                Kind::InvalidValue,
                item,
                key,
                v,
                format!("`{key}` is {n}; expected {expected}"),
            ));
        }
        Ok(n as u32)
    }

    /// Checks a name (present, not blank, not taken) and records it.
    pub(super) fn name(
        &self,
        item: &mut Item,
        raw: &Option<Spanned<String>>,
        key: &str,
        names: &mut Names,
    ) -> Result<String> {
        let name = self.required(item, raw, key, "a unique name")?;
        let text = name.get_ref();
        if text.trim().is_empty() {
            return Err(self.at(
                Kind::InvalidValue,
                item,
                key,
                name,
                format!("`{key}` is empty; expected a name"),
            ));
        }
        item.label = describe_item(item.section, Some(text));
        if let Some(first) = names.position(text) {
            let (line, _) = super::error::line_col(self.text, names.spans[first].start);
            return Err(self
                .at(
                    Kind::DuplicateName,
                    item,
                    key,
                    name,
                    format!("the name is already used by {}[{first}] on line {line}; expected a unique name", item.section),
                )
                .with_hint(format!("names must be unique within {}", table(item.section))));
        }
        names.push(text.clone(), name.span());
        Ok(text.clone())
    }

    /// Resolves a reference to a name of another section.
    pub(super) fn resolve(
        &self,
        item: &Item,
        key: &str,
        reference: &Spanned<String>,
        names: &Names,
        noun: &str,
        target_section: &str,
    ) -> Result<u32> {
        let wanted = reference.get_ref();
        if let Some(i) = names.position(wanted) {
            return Ok(i as u32);
        }
        let defined = if names.names.is_empty() {
            "none is defined".to_owned()
        } else {
            format!(
                "defined: {}",
                list_names(names.names.iter().map(String::as_str))
            )
        };
        Err(self
            .at(
                Kind::UnknownReference,
                item,
                key,
                reference,
                format!(
                    "{noun} \"{wanted}\" is not defined in {}; {defined}",
                    table(target_section)
                ),
            )
            .with_maybe_hint(
                suggest(wanted, names.names.iter().map(String::as_str))
                    .map(|s| format!("did you mean \"{s}\"? (names are case-sensitive)")),
            ))
    }

    pub(super) fn resolve_path(&self, relative: &str) -> PathBuf {
        let p = Path::new(relative);
        if p.is_absolute() || self.base_dir.as_os_str().is_empty() {
            p.to_path_buf()
        } else {
            self.base_dir.join(p)
        }
    }

    /// Reads a one-value-per-line CSV file: blank lines and `#` comments are
    /// skipped, and a first line that is not a value is taken as a header.
    fn read_values_csv(
        &self,
        item: &Item,
        key: &str,
        file: &Spanned<String>,
        parse: impl Fn(&str) -> std::result::Result<f64, String>,
    ) -> Result<Vec<f64>> {
        let label = self.resolve_path(file.get_ref()).display().to_string();
        let bytes = self.read_input(item, key, file, "one value per line")?;
        let text = String::from_utf8(bytes).map_err(|e| {
            let line = 1 + e.as_bytes()[..e.utf8_error().valid_up_to()]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            ScenarioError::new(
                Kind::InvalidValue,
                format!(
                    "the file is not UTF-8 text (byte {}; for {})",
                    e.utf8_error().valid_up_to(),
                    item.path(key)
                ),
            )
            .in_file(&label)
            .at_line(line)
            .key(item.path(key))
        })?;
        let mut values = Vec::new();
        let mut first = true;
        // Until a line has been read as a value, the file may be no
        // values file at all (a wrong path): its lines are then not
        // repeated, only their place and what was expected.
        let located = |n: usize, message: String| {
            ScenarioError::new(Kind::InvalidValue, message)
                .in_file(&label)
                .at_line(n + 1)
                .key(item.path(key))
        };
        for (n, line) in text.lines().enumerate() {
            let t = line.trim().trim_start_matches('\u{feff}');
            if t.is_empty() || t.starts_with('#') {
                continue;
            }
            let is_first = std::mem::replace(&mut first, false);
            if t.contains([',', ';', '\t']) {
                let what = if values.is_empty() {
                    format!("line {} has several columns", n + 1)
                } else {
                    format!("found several columns in \"{t}\"")
                };
                return Err(located(
                    n,
                    format!(
                        "{what}; expected one value per line (for {})",
                        item.path(key)
                    ),
                ));
            }
            match parse(t) {
                Ok(v) => values.push(v),
                Err(_) if is_first && t.chars().any(|c| c.is_alphabetic()) => {}
                Err(why) if values.is_empty() => {
                    let expected = why.split_once("; expected ").map_or("a value", |(_, e)| e);
                    return Err(located(
                        n,
                        format!(
                            "line {} is not a value; expected {expected}, one per line (for {})",
                            n + 1,
                            item.path(key)
                        ),
                    )
                    .with_hint("check that the path names the file you meant"));
                }
                Err(why) => return Err(located(n, format!("{why} (for {})", item.path(key)))),
            }
        }
        if values.is_empty() {
            return Err(self.at(
                Kind::InvalidValue,
                item,
                key,
                file,
                format!("\"{label}\" holds no values"),
            ));
        }
        Ok(values)
    }

    /// A distribution, in either form, checked.
    pub(super) fn distribution(
        &self,
        item: &Item,
        key: &str,
        raw: &Spanned<RawDist>,
    ) -> Result<Distribution> {
        let table = match raw.get_ref() {
            RawDist::Bare(d) => return Ok(Distribution::Constant { value: d.secs }),
            RawDist::Table(t) => t,
        };
        let path = item.path(key);
        let sub = |k: &str| format!("{path}.{k}");
        let valid = list_names(DIST_NAMES);
        let Some(dist) = &table.dist else {
            return Err(self
                .err(
                    Kind::MissingKey,
                    Some(raw.span()),
                    sub("dist"),
                    format!(
                        "{}: `{key}` has no `dist`; expected one of {valid}",
                        item.label
                    ),
                )
                .with_hint(format!(
                    "e.g. {key} = {{ dist = \"exponential\", mean = \"6m\" }}"
                )));
        };
        let name = dist.get_ref().as_str();
        let allowed: &[&str] = match name {
            "constant" => &["value"],
            "exponential" => &["mean"],
            "uniform" => &["min", "max"],
            "lognormal" | "gamma" => &["mean", "sd"],
            "empirical" => &["values", "csv"],
            _ => {
                return Err(self
                    .err(
                        Kind::InvalidValue,
                        Some(dist.span()),
                        sub("dist"),
                        format!(
                            "{}: unknown distribution \"{name}\"; expected one of {valid}",
                            item.label
                        ),
                    )
                    .with_maybe_hint(
                        suggest(name, DIST_NAMES).map(|s| format!("did you mean \"{s}\"?")),
                    ))
            }
        };
        for (k, span) in present_params(table) {
            if !allowed.contains(&k) {
                return Err(self.err(
                    Kind::UnknownKey,
                    Some(span),
                    sub(k),
                    format!(
                        "{}: `{k}` does not apply to {} {name} distribution, which takes {}",
                        item.label,
                        article(name),
                        list_keys(allowed.iter().copied())
                    ),
                ));
            }
        }
        let need = |v: &Option<Spanned<RawDuration>>, k: &str| -> Result<f64> {
            match v {
                Some(v) => Ok(v.get_ref().secs),
                None => Err(self.err(
                    Kind::MissingKey,
                    Some(raw.span()),
                    sub(k),
                    format!(
                        "{}: {} {name} distribution needs {}; `{k}` is missing",
                        item.label,
                        article(name),
                        list_keys(allowed.iter().copied())
                    ),
                )),
            }
        };
        let d = match name {
            "constant" => Distribution::Constant {
                value: need(&table.value, "value")?,
            },
            "exponential" => Distribution::Exponential {
                mean: need(&table.mean, "mean")?,
            },
            "uniform" => Distribution::Uniform {
                min: need(&table.min, "min")?,
                max: need(&table.max, "max")?,
            },
            "lognormal" => Distribution::LogNormal {
                mean: need(&table.mean, "mean")?,
                sd: need(&table.sd, "sd")?,
            },
            "gamma" => Distribution::Gamma {
                mean: need(&table.mean, "mean")?,
                sd: need(&table.sd, "sd")?,
            },
            _ => {
                match (&table.values, &table.csv) {
                    (Some(values), None) => Distribution::Empirical {
                        values: values.get_ref().iter().map(|v| v.get_ref().secs).collect(),
                    },
                    (None, Some(csv)) => {
                        let values = self.read_values_csv(item, &format!("{key}.csv"), csv, |t| {
                        t.parse::<f64>()
                            .map_err(|_| ())
                            .and_then(|v| RawDuration::from_secs(v, t.to_owned()).map_err(|_| ()))
                            .or_else(|_| RawDuration::from_text(t).map_err(|_| ()))
                            .map(|d| d.secs)
                            .map_err(|_| format!("\"{t}\" is not a duration; expected seconds such as 42.5"))
                    })?;
                        Distribution::Empirical { values }
                    }
                    (Some(_), Some(csv)) => {
                        return Err(self.err(
                            Kind::Inconsistent,
                            Some(csv.span()),
                            sub("csv"),
                            format!(
                                "{}: an empirical distribution takes `values` or `csv`, not both",
                                item.label
                            ),
                        ))
                    }
                    (None, None) => {
                        return Err(self.err(
                            Kind::MissingKey,
                            Some(raw.span()),
                            sub("values"),
                            format!(
                                "{}: an empirical distribution needs `values` or `csv`",
                                item.label
                            ),
                        ))
                    }
                }
            }
        };
        if let Err(why) = d.validate() {
            // Point at the parameter the message is about when we can.
            let param = why.split_whitespace().next().unwrap_or("");
            let param = if param == "every" { "values" } else { param };
            let span = present_params(table)
                .into_iter()
                .find(|(k, _)| *k == param)
                .map_or(raw.span(), |(_, s)| s);
            let path = if allowed.contains(&param) {
                sub(param)
            } else {
                path.clone()
            };
            return Err(self.err(
                Kind::InvalidValue,
                Some(span),
                path,
                format!("{}: bad {name} distribution for `{key}`: {why}", item.label),
            ));
        }
        Ok(d)
    }
}

fn present_params(t: &RawDistTable) -> Vec<(&'static str, Range<usize>)> {
    let mut out = Vec::new();
    let durations = [
        ("value", &t.value),
        ("mean", &t.mean),
        ("sd", &t.sd),
        ("min", &t.min),
        ("max", &t.max),
    ];
    for (k, v) in durations {
        if let Some(v) = v {
            out.push((k, v.span()));
        }
    }
    if let Some(v) = &t.values {
        out.push(("values", v.span()));
    }
    if let Some(v) = &t.csv {
        out.push(("csv", v.span()));
    }
    out.sort_by_key(|(_, s)| s.start);
    out
}

/// "a" or "an" before a distribution name.
fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

fn table(section: &str) -> String {
    super::raw::describe_table(section)
}

/// `s` with its first letter in lower case, to go after a colon in a
/// message ("No such file" → "no such file"); a word in capitals such as
/// "CSV" or "UTF-8" is left as it is.
pub(super) fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match (c.next(), c.clone().next()) {
        (Some(f), Some(second)) if second.is_uppercase() || second.is_ascii_digit() => {
            std::iter::once(f).chain(c).collect()
        }
        (Some(f), _) => f.to_lowercase().chain(c).collect(),
        (None, _) => String::new(),
    }
}

/// Names of one section in file order; position = id. Looked up through
/// a hash index, so checking a section of many items stays linear.
#[derive(Default)]
pub(super) struct Names {
    pub(super) names: Vec<String>,
    spans: Vec<Range<usize>>,
    index: FxHashMap<String, usize>,
}

impl Names {
    pub(super) fn position(&self, name: &str) -> Option<usize> {
        self.index.get(name).copied()
    }
    fn push(&mut self, name: String, span: Range<usize>) {
        self.index.entry(name.clone()).or_insert(self.names.len());
        self.names.push(name);
        self.spans.push(span);
    }
}

pub(super) fn item<T>(section: &'static str, index: usize, raw: &Spanned<T>) -> Item {
    Item {
        section,
        index: Some(index),
        span: raw.span(),
        label: describe_item(section, None),
    }
}

/// Checks a parsed file and builds the scenario.
pub(crate) fn validate(raw: &RawScenario, cx: &Ctx<'_>) -> Result<Scenario> {
    let simulation = simulation(raw, cx)?;
    let (channels, channel_names) = channels(raw, cx)?;
    let (statuses, status_names) = statuses(raw, cx, &channel_names)?;
    let (skills, skill_names) = super::skills::catalogue(raw, cx)?;
    let (presence_configs, config_names) = presence_configs(raw, cx, &status_names)?;
    let (queues, queue_names) = queues(
        raw,
        cx,
        &channel_names,
        &channels,
        &simulation,
        &skill_names,
    )?;
    // Before anything is spread over the intervals (forecasts, profiles)
    // or granted to every group: a day of billions of intervals is refused
    // at its `duration` or `interval`, not by what it would have made.
    let locate = |e: super::bounds::BoundsError| e.locate_raw(Some(raw), cx.text, cx.file);
    super::bounds::check_interval_rows(
        &simulation,
        queues.len(),
        simulation.replications,
        cx.limits,
    )
    .map_err(locate)?;
    let (arrivals, warnings) = arrivals(raw, cx, &queue_names, &simulation, &queues, &skill_names)?;
    super::bounds::check_group_lists(raw, statuses.len(), queues.len(), cx.limits)
        .map_err(locate)?;
    let mut agents = agents(
        raw,
        cx,
        &simulation,
        &status_names,
        &config_names,
        &presence_configs,
        &statuses,
        &queues,
        &queue_names,
        &skill_names,
    )?;
    let mut statuses = statuses;
    let implicit = StatusId(statuses.len() as u32);
    if agents
        .iter()
        .any(|g| g.shifts().any(|s| s.end_status == Some(implicit)))
    {
        statuses.push(PresenceStatus {
            api_name: END_OF_SHIFT_STATUS.into(),
            label: END_OF_SHIFT_LABEL.into(),
            channels: Vec::new(),
        });
    }
    super::roster::add_break_status(&mut statuses, &mut agents, StatusId(implicit.0 + 1));
    let mut scenario = Scenario {
        simulation,
        channels,
        statuses,
        skills,
        presence_configs,
        queues,
        arrivals,
        agents,
        warnings,
    };
    routable(raw, cx, &scenario)?;
    let advice = super::advice::warnings(&scenario);
    scenario.warnings.extend(advice);
    Ok(scenario)
}

fn simulation(raw: &RawScenario, cx: &Ctx<'_>) -> Result<SimulationSettings> {
    let Some(sim) = &raw.simulation else {
        return Err(cx
            .err(Kind::MissingKey, None, "simulation", "no [simulation] section; it names the run and sets its duration")
            .with_hint("start the file with\n    [simulation]\n    name = \"My centre\"\n    duration = \"8h\""));
    };
    let mut it = Item {
        section: "simulation",
        index: None,
        span: sim.span(),
        label: "[simulation]".into(),
    };
    let s: &RawSimulation = sim.get_ref();
    let name = cx.name(&mut it, &s.name, "name", &mut Names::default())?;
    it.label = "[simulation]".into();
    let duration = cx.required(
        &it,
        &s.duration,
        "duration",
        "the measured period, e.g. \"8h\"",
    )?;
    let duration = cx.positive(&it, "duration", duration)?;
    let warmup = s
        .warmup
        .as_ref()
        .map_or(SimDuration::ZERO, |w| w.get_ref().value);
    let seed = match &s.seed {
        Some(v) if *v.get_ref() < 0 => {
            return Err(cx.at(
                Kind::InvalidValue,
                &it,
                "seed",
                v,
                format!(
                    "`seed` is {}; expected an integer of 0 or more",
                    v.get_ref()
                ),
            ))
        }
        Some(v) => *v.get_ref() as u64,
        None => 1,
    };
    let replications = match &s.replications {
        Some(v) => cx.count_u32(&it, "replications", v, 1, "at least 1 run")?,
        None => 1,
    };
    let interval = match &s.interval {
        Some(v) => {
            let interval = cx.positive(&it, "interval", v)?;
            if interval > duration {
                return Err(cx
                    .at(
                        Kind::Inconsistent,
                        &it,
                        "interval",
                        v,
                        format!(
                            "`interval` is {}, longer than `duration` ({}); expected an interval no longer than the measured period",
                            v.get_ref().written,
                            written(&s.duration)
                        ),
                    )
                    .with_hint("shorten the interval (reports are per interval) or lengthen the duration"));
            }
            interval
        }
        None => DEFAULT_INTERVAL.min(duration),
    };
    let service_level_threshold = match &s.service_level_threshold {
        Some(v) => cx.positive(&it, "service_level_threshold", v)?,
        None => DEFAULT_SL_THRESHOLD,
    };
    let (start_date, start_of_day) = match &s.start {
        Some(v) => crate::clock::parse_start(v.get_ref()).map_err(|reason| {
            cx.at(Kind::InvalidValue, &it, "start", v, format!("`start` is {reason}"))
                .with_hint("write the clock time the measured day begins at, e.g. start = \"08:00\" or \"2026-11-30 08:00\"; the warm-up runs before it")
        })?,
        None => (None, SimDuration::ZERO),
    };
    let busyness = match &s.busyness {
        Some(b) => Some(super::demand::busyness(cx, &it, b)?),
        None => None,
    };
    Ok(SimulationSettings {
        name,
        duration,
        warmup,
        seed,
        replications,
        interval,
        service_level_threshold,
        start_date,
        start_of_day,
        busyness,
    })
}

fn written(d: &Option<Spanned<RawDuration>>) -> String {
    d.as_ref()
        .map_or(String::new(), |d| d.get_ref().written.clone())
}

fn channels(raw: &RawScenario, cx: &Ctx<'_>) -> Result<(Vec<ServiceChannel>, Names)> {
    let items = cx.section(
        &raw.channels,
        "channels",
        "queues and statuses need a channel",
        "[[channels]]\nname = \"chat\"",
    )?;
    let mut names = Names::default();
    let mut out = Vec::new();
    for (i, c) in items.iter().enumerate() {
        let mut it = item("channels", i, c);
        let ch: &RawChannel = c.get_ref();
        let name = cx.name(&mut it, &ch.name, "name", &mut names)?;
        let capacity_model = match ch.capacity_model.as_ref().map(|m| (m, m.get_ref().as_str())) {
            None | Some((_, "tab")) => CapacityModel::Tab,
            Some((_, "status")) => CapacityModel::Status,
            Some((m, other)) => {
                return Err(cx
                    .at(
                        Kind::InvalidValue,
                        &it,
                        "capacity_model",
                        m,
                        format!("unknown capacity model \"{other}\"; expected \"tab\" (open tabs hold capacity) or \"status\" (work in progress holds it, even across a logout)"),
                    )
                    .with_maybe_hint(suggest(other, ["tab", "status"]).map(|s| format!("did you mean \"{s}\"?"))))
            }
        };
        let reassign_after = match &ch.reassign_after {
            Some(r) if capacity_model == CapacityModel::Tab => {
                return Err(cx
                    .at(
                        Kind::Inconsistent,
                        &it,
                        "reassign_after",
                        r,
                        "`reassign_after` is set, but the channel is tab-based: logging out closes its work, so nothing is left to reassign".into(),
                    )
                    .with_hint("add capacity_model = \"status\", or remove reassign_after"))
            }
            Some(r) => Some(cx.positive(&it, "reassign_after", r)?),
            None => None,
        };
        let interruptible_progress = match ch
            .interruptible_progress
            .as_ref()
            .map(|m| (m, m.get_ref().as_str()))
        {
            None | Some((_, "idle")) => InterruptibleProgress::Idle,
            Some((_, "parallel")) => InterruptibleProgress::Parallel,
            Some((m, other)) => {
                return Err(cx
                    .at(
                        Kind::InvalidValue,
                        &it,
                        "interruptible_progress",
                        m,
                        format!("unknown interruptible progress \"{other}\"; expected \"idle\" (interruptible items are worked only while the agent holds no primary work in progress) or \"parallel\" (they are worked alongside it)"),
                    )
                    .with_maybe_hint(suggest(other, ["idle", "parallel"]).map(|s| format!("did you mean \"{s}\"?"))))
            }
        };
        out.push(ServiceChannel {
            name,
            ends_when_all_decline: ch
                .ends_when_all_decline
                .as_ref()
                .is_some_and(|f| *f.get_ref()),
            interruptible: ch.interruptible.as_ref().is_some_and(|f| *f.get_ref()),
            capacity_model,
            reassign_after,
            interruptible_progress,
        });
    }
    Ok((out, names))
}

fn statuses(
    raw: &RawScenario,
    cx: &Ctx<'_>,
    channels: &Names,
) -> Result<(Vec<PresenceStatus>, Names)> {
    let items = cx.section(
        &raw.statuses,
        "statuses",
        "agents need a presence status to log in with",
        "[[statuses]]\nname = \"Available\"\nchannels = [\"chat\"]",
    )?;
    let mut names = Names::default();
    let mut out = Vec::new();
    for (i, s) in items.iter().enumerate() {
        let mut it = item("statuses", i, s);
        let st: &RawStatus = s.get_ref();
        let api_name = cx.name(&mut it, &st.name, "name", &mut names)?;
        let label = st
            .label
            .as_ref()
            .map_or_else(|| api_name.clone(), |l| l.get_ref().clone());
        let mut list: Vec<ChannelId> = Vec::new();
        let mut seen: FxHashSet<ChannelId> = FxHashSet::default();
        for (j, c) in st.channels.iter().flatten().enumerate() {
            let key = format!("channels[{j}]");
            let id = ChannelId(cx.resolve(&it, &key, c, channels, "channel", "channels")?);
            if !seen.insert(id) {
                return Err(cx.at(
                    Kind::DuplicateName,
                    &it,
                    &key,
                    c,
                    format!("channel \"{}\" is listed twice", c.get_ref()),
                ));
            }
            list.push(id);
        }
        out.push(PresenceStatus {
            api_name,
            label,
            channels: list,
        });
    }
    Ok((out, names))
}

fn presence_configs(
    raw: &RawScenario,
    cx: &Ctx<'_>,
    statuses: &Names,
) -> Result<(Vec<PresenceConfiguration>, Names)> {
    let items = cx.section(
        &raw.presence_configs,
        "presence_configs",
        "every agent group needs a presence configuration (its capacity)",
        "[[presence_configs]]\nname = \"Agents\"\ncapacity = 1",
    )?;
    let mut names = Names::default();
    let mut out = Vec::new();
    for (i, p) in items.iter().enumerate() {
        let mut it = item("presence_configs", i, p);
        let pc: &RawPresenceConfig = p.get_ref();
        let name = cx.name(&mut it, &pc.name, "name", &mut names)?;
        let cap = cx.required(
            &it,
            &pc.capacity,
            "capacity",
            "units of work an agent holds at once, at least 1",
        )?;
        let capacity = cx.count_u32(&it, "capacity", cap, 1, "at least 1 unit of work")?;
        let interruptible_capacity = match &pc.interruptible_capacity {
            Some(v) => cx.count_u32(&it, "interruptible_capacity", v, 0, "0 or more units")?,
            None => capacity,
        };
        let flag = |f: &Option<Spanned<bool>>| f.as_ref().is_some_and(|b| *b.get_ref());
        let allow_decline = flag(&pc.allow_decline);
        let auto_accept = flag(&pc.auto_accept);
        if allow_decline && auto_accept {
            let at = pc.auto_accept.as_ref().expect("auto_accept is set");
            return Err(cx
                .at(
                    Kind::Inconsistent,
                    &it,
                    "auto_accept",
                    at,
                    "`auto_accept` and `allow_decline` are both true; an auto-accepted push cannot be declined".into(),
                )
                .with_hint("set one of them to false"));
        }
        let mut decline_reasons: Vec<String> = Vec::new();
        let mut seen: FxHashSet<&str> = FxHashSet::default();
        if let Some(reasons) = &pc.decline_reasons {
            if !allow_decline && !reasons.get_ref().is_empty() {
                return Err(cx
                    .at(Kind::Inconsistent, &it, "decline_reasons", reasons, "`decline_reasons` are listed but `allow_decline` is not true, so no agent can decline".into())
                    .with_hint("add allow_decline = true, or remove decline_reasons"));
            }
            for (j, r) in reasons.get_ref().iter().enumerate() {
                let key = format!("decline_reasons[{j}]");
                if r.get_ref().trim().is_empty() {
                    return Err(cx.at(
                        Kind::InvalidValue,
                        &it,
                        &key,
                        r,
                        "a decline reason is empty; expected some text".into(),
                    ));
                }
                if !seen.insert(r.get_ref().as_str()) {
                    return Err(cx.at(
                        Kind::DuplicateName,
                        &it,
                        &key,
                        r,
                        format!("decline reason \"{}\" is listed twice", r.get_ref()),
                    ));
                }
                decline_reasons.push(r.get_ref().clone());
            }
        }
        let status_on_decline = match &pc.status_on_decline {
            Some(s) => {
                if !allow_decline {
                    return Err(cx
                        .at(Kind::Inconsistent, &it, "status_on_decline", s, "`status_on_decline` is set but `allow_decline` is not true, so it could never apply".into())
                        .with_hint("add allow_decline = true, or remove status_on_decline"));
                }
                Some(StatusId(cx.resolve(
                    &it,
                    "status_on_decline",
                    s,
                    statuses,
                    "status",
                    "statuses",
                )?))
            }
            None => None,
        };
        let status_on_push_timeout = match &pc.status_on_push_timeout {
            Some(s) => Some(StatusId(cx.resolve(
                &it,
                "status_on_push_timeout",
                s,
                statuses,
                "status",
                "statuses",
            )?)),
            None => None,
        };
        out.push(PresenceConfiguration {
            name,
            capacity,
            interruptible_capacity,
            allow_decline,
            decline_reasons,
            auto_accept,
            status_on_decline,
            status_on_push_timeout,
        });
    }
    Ok((out, names))
}

fn queues(
    raw: &RawScenario,
    cx: &Ctx<'_>,
    channels: &Names,
    channel_list: &[ServiceChannel],
    sim: &SimulationSettings,
    skills: &Names,
) -> Result<(Vec<Queue>, Names)> {
    let items = cx.section(
        &raw.queues,
        "queues",
        "work is routed from queues",
        "[[queues]]\nname = \"Chat\"\nchannel = \"chat\"\nrouting_model = \"most_available\"\ncapacity_weight = 1",
    )?;
    let mut names = Names::default();
    let mut out = Vec::new();
    for (i, q) in items.iter().enumerate() {
        let mut it = item("queues", i, q);
        let rq: &RawQueue = q.get_ref();
        let name = cx.name(&mut it, &rq.name, "name", &mut names)?;
        let ch = cx.required(
            &it,
            &rq.channel,
            "channel",
            "the service channel of its items",
        )?;
        let channel = ChannelId(cx.resolve(&it, "channel", ch, channels, "channel", "channels")?);
        let models = ["most_available", "least_active", "external"];
        let m = cx.required(
            &it,
            &rq.routing_model,
            "routing_model",
            "\"most_available\" or \"least_active\"",
        )?;
        let model = match m.get_ref().as_str() {
            "most_available" => RoutingModel::MostAvailable,
            "least_active" => RoutingModel::LeastActive,
            "external" if cx.external_routing => RoutingModel::External,
            "external" => {
                return Err(cx
                    .at(
                        Kind::Inconsistent,
                        &it,
                        "routing_model",
                        m,
                        "routing model \"external\" leaves the choice of agent to the org's own routing, which a scenario file alone cannot supply".into(),
                    )
                    .with_hint("run it from a program that implements omnisim_core::routing::RoutingPolicy (see examples/external_router.rs), or use \"most_available\" / \"least_active\""))
            }
            other => {
                return Err(cx
                    .at(Kind::InvalidValue, &it, "routing_model", m, format!("unknown routing model \"{other}\"; expected \"most_available\" or \"least_active\""))
                    .with_maybe_hint(suggest(other, models).map(|s| format!("did you mean \"{s}\"?"))))
            }
        };
        let priority = match &rq.priority {
            Some(p) => {
                let v = *p.get_ref();
                i32::try_from(v).map_err(|_| {
                    cx.at(
                        Kind::InvalidValue,
                        &it,
                        "priority",
                        p,
                        format!(
                            "`priority` is {v}; expected a whole number between {} and {}",
                            i32::MIN,
                            i32::MAX
                        ),
                    )
                })?
            }
            None => 1,
        };
        if let Some(t) = &rq.push_timeout {
            cx.whole_seconds(&it, "push_timeout", t, "push timeout", "0 = off")?;
        }
        let push_timeout = rq
            .push_timeout
            .as_ref()
            .map(|t| t.get_ref().value)
            .filter(|t| !t.is_zero());
        if let (RoutingModel::External, Some(_), Some(t)) = (model, push_timeout, &rq.push_timeout)
        {
            return Err(cx
                .at(
                    Kind::Inconsistent,
                    &it,
                    "push_timeout",
                    t,
                    "a push timeout is offered only for Most Available and Least Active routing, not for external routing".into(),
                )
                .with_hint("remove push_timeout; the external routing decides what happens to unanswered work"));
        }
        let cost = match (&rq.capacity_weight, &rq.capacity_percentage) {
            (Some(_), Some(p)) => {
                return Err(cx
                    .at(Kind::Inconsistent, &it, "capacity_percentage", p, "both `capacity_weight` and `capacity_percentage` are set; expected exactly one".into())
                    .with_hint("a weight costs whole units on any agent; a percentage is a share of each agent's capacity"))
            }
            (None, None) => {
                return Err(cx
                    .missing(&it, "capacity_weight", "or `capacity_percentage`: what one item costs an agent")
                    .with_hint("e.g. capacity_weight = 1"))
            }
            (Some(w), None) => CapacityCost::Weight(cx.count_u32(&it, "capacity_weight", w, 1, "a whole number of units, at least 1")?),
            (None, Some(p)) => {
                let v = *p.get_ref();
                if !(v > 0.0 && v <= 100.0) {
                    return Err(cx.at(
                        Kind::InvalidValue,
                        &it,
                        "capacity_percentage",
                        p,
                        format!("`capacity_percentage` is {v}; expected a share of capacity above 0 and at most 100"),
                    ));
                }
                if CapacityCost::exact_percentage(v).is_none() {
                    return Err(cx
                        .at(
                            Kind::InvalidValue,
                            &it,
                            "capacity_percentage",
                            p,
                            format!("`capacity_percentage` is {v}; the engine keeps percentages to {PERCENTAGE_DECIMALS} decimals, so this cost cannot be held exactly"),
                        )
                        .with_hint(format!("round it to at most {PERCENTAGE_DECIMALS} decimals")));
                }
                CapacityCost::Percentage(v)
            }
        };
        let routing = super::skills::queue_routing(cx, &it, rq, skills)?;
        let paused_cost = paused_cost(cx, &it, rq, &channel_list[channel.index()])?;
        let pool = match rq.capacity_type.as_ref().map(|t| (t, t.get_ref().as_str())) {
            None | Some((_, "inherit")) => {
                if channel_list[channel.index()].interruptible {
                    CapacityPool::Interruptible
                } else {
                    CapacityPool::Primary
                }
            }
            Some((_, "primary")) => CapacityPool::Primary,
            Some((_, "interruptible")) => CapacityPool::Interruptible,
            Some((t, other)) => {
                let kinds = ["primary", "interruptible", "inherit"];
                return Err(cx
                    .at(
                        Kind::InvalidValue,
                        &it,
                        "capacity_type",
                        t,
                        format!("unknown capacity type \"{other}\"; expected \"primary\", \"interruptible\" or \"inherit\" (from the channel)"),
                    )
                    .with_maybe_hint(suggest(other, kinds).map(|s| format!("did you mean \"{s}\"?"))));
            }
        };
        let service_level_threshold = match &rq.service_level_threshold {
            Some(v) => cx.positive(&it, "service_level_threshold", v)?,
            None => sim.service_level_threshold,
        };
        let targets = QueueTargets {
            target_service_level: match &rq.target_service_level {
                Some(_) => Some(cx.probability(
                    &it,
                    "target_service_level",
                    &rq.target_service_level,
                    0.0,
                )?),
                None => None,
            },
            max_abandon_rate: match &rq.max_abandon_rate {
                Some(_) => {
                    Some(cx.probability(&it, "max_abandon_rate", &rq.max_abandon_rate, 0.0)?)
                }
                None => None,
            },
            max_asa: match &rq.max_asa {
                Some(v) => Some(cx.positive(&it, "max_asa", v)?),
                None => None,
            },
            max_occupancy: match &rq.max_occupancy {
                Some(v) => Some(max_occupancy(cx, &it, v)?),
                None => None,
            },
            window: super::planning::target_window(cx, &it, rq, sim)?,
        };
        out.push(Queue {
            name,
            channel,
            routing: RoutingConfiguration {
                model,
                priority,
                push_timeout,
                cost,
                pool,
                paused_cost,
                routing_type: routing.routing_type,
                skills: routing.skills,
                drop_additional_skills_timeout: routing.drop_timeout,
            },
            service_level_threshold,
            targets,
        });
    }
    Ok((out, names))
}

/// `queues[].max_occupancy`: a fraction of capacity, 0 to 1.
fn max_occupancy(cx: &Ctx<'_>, it: &Item, v: &Spanned<f64>) -> Result<f64> {
    let x = *v.get_ref();
    if (0.0..=1.0).contains(&x) {
        return Ok(x);
    }
    Err(cx
        .at(
            Kind::InvalidValue,
            it,
            "max_occupancy",
            v,
            format!("`max_occupancy` is {x}; expected a fraction of capacity from 0 to 1"),
        )
        .with_hint(
            "occupancy is load held / capacity online, never above 1: 90% is max_occupancy = 0.9",
        ))
}

/// `paused_capacity_weight` / `paused_capacity_percentage` of a queue: what
/// a paused item costs, on status-based channels only (omni-reference
/// §12.5).
fn paused_cost(
    cx: &Ctx<'_>,
    it: &Item,
    rq: &RawQueue,
    channel: &ServiceChannel,
) -> Result<Option<CapacityCost>> {
    let (w, p) = (&rq.paused_capacity_weight, &rq.paused_capacity_percentage);
    let span = match (w, p) {
        (None, None) => return Ok(None),
        (Some(_), Some(p)) => {
            return Err(cx.at(
                Kind::Inconsistent,
                it,
                "paused_capacity_percentage",
                p,
                "both `paused_capacity_weight` and `paused_capacity_percentage` are set; expected at most one".into(),
            ))
        }
        (Some(w), None) => w.span(),
        (None, Some(p)) => p.span(),
    };
    if channel.capacity_model != CapacityModel::Status {
        let key = if w.is_some() {
            "paused_capacity_weight"
        } else {
            "paused_capacity_percentage"
        };
        return Err(cx
            .err(
                Kind::Inconsistent,
                Some(span),
                it.path(key),
                format!(
                    "{}: `{key}` is set, but channel \"{}\" is tab-based; only work of a status-based channel can be paused",
                    it.label, channel.name
                ),
            )
            .with_hint(format!("add capacity_model = \"status\" to channel \"{}\"", channel.name)));
    }
    if let Some(w) = w {
        return Ok(Some(CapacityCost::Weight(cx.count_u32(
            it,
            "paused_capacity_weight",
            w,
            0,
            "a whole number of units, 0 or more",
        )?)));
    }
    let p = p.as_ref().expect("one of the two is set");
    let v = *p.get_ref();
    if !(v.is_finite() && (0.0..=100.0).contains(&v))
        || (v > 0.0 && CapacityCost::exact_percentage(v).is_none())
    {
        return Err(cx.at(
            Kind::InvalidValue,
            it,
            "paused_capacity_percentage",
            p,
            format!("`paused_capacity_percentage` is {v}; expected a share of capacity from 0 to 100 with at most {PERCENTAGE_DECIMALS} decimals"),
        ));
    }
    Ok(Some(if v == 0.0 {
        CapacityCost::Weight(0)
    } else {
        CapacityCost::Percentage(v)
    }))
}

/// Reporting intervals in the measured period (the last may be partial).
pub(crate) fn interval_count(sim: &SimulationSettings) -> usize {
    let (d, i) = (sim.duration.0, sim.interval.0.max(1));
    d.div_ceil(i) as usize
}

fn arrivals(
    raw: &RawScenario,
    cx: &Ctx<'_>,
    queues: &Names,
    sim: &SimulationSettings,
    queue_list: &[Queue],
    skills: &Names,
) -> Result<(Vec<ArrivalStream>, Vec<String>)> {
    let mut out: Vec<ArrivalStream> = Vec::new();
    let mut warnings: Vec<String> = Vec::new();
    let mut forecasts = super::forecast::Forecasts::default();
    let mut seen: FxHashMap<QueueId, usize> = FxHashMap::default();
    // Each stream's item (for locating a cycle error) and its transfer's
    // span.
    let mut transfer_at: Vec<(Item, Range<usize>)> = Vec::new();
    for (i, a) in raw.arrivals.iter().flatten().enumerate() {
        let mut it = item("arrivals", i, a);
        let ra: &RawArrivals = a.get_ref();
        let q = cx.required(&it, &ra.queue, "queue", "the queue its items enter")?;
        let queue = QueueId(cx.resolve(&it, "queue", q, queues, "queue", "queues")?);
        it.label = describe_item("arrivals", Some(q.get_ref()));
        if let Some(first) = seen.get(&queue) {
            return Err(cx
                .at(Kind::DuplicateName, &it, "queue", q, format!("queue \"{}\" already has arrivals at arrivals[{first}]; expected at most one [[arrivals]] per queue", q.get_ref()))
                .with_hint("merge the two: add their rates, or use a rate_profile"));
        }
        seen.insert(queue, i);
        let given: Vec<(&str, Range<usize>)> = [
            ra.rate_per_hour
                .as_ref()
                .map(|v| ("rate_per_hour", v.span())),
            ra.rate_profile.as_ref().map(|v| ("rate_profile", v.span())),
            ra.rate_profile_csv
                .as_ref()
                .map(|v| ("rate_profile_csv", v.span())),
            ra.forecast_csv.as_ref().map(|v| ("forecast_csv", v.span())),
        ]
        .into_iter()
        .flatten()
        .collect();
        if let [(first, _), (second, span), ..] = given.as_slice() {
            return Err(cx.err(
                Kind::Inconsistent,
                Some(span.clone()),
                it.path(second),
                format!(
                    "{}: `{first}` and `{second}` are both set; expected exactly one of \
                     `rate_per_hour`, `rate_profile`, `rate_profile_csv` or `forecast_csv`",
                    it.label
                ),
            ));
        }
        let mut forecast = None;
        let rate = if let Some(r) = &ra.rate_per_hour {
            let v = *r.get_ref();
            if !(v.is_finite() && v > 0.0) {
                return Err(cx.at(
                    Kind::InvalidValue,
                    &it,
                    "rate_per_hour",
                    r,
                    format!("`rate_per_hour` is {v}; expected a number of items per hour above 0"),
                ));
            }
            ArrivalRate::Constant(v)
        } else if let Some(p) = &ra.rate_profile {
            let values: Vec<f64> = p.get_ref().iter().map(|v| *v.get_ref()).collect();
            for (j, v) in p.get_ref().iter().enumerate() {
                let x = *v.get_ref();
                if !(x.is_finite() && x >= 0.0) {
                    return Err(cx.at(
                        Kind::InvalidValue,
                        &it,
                        &format!("rate_profile[{j}]"),
                        v,
                        format!("rate {x} is not a rate; expected items per hour of 0 or more"),
                    ));
                }
            }
            profile(cx, &it, "rate_profile", p, values, sim, &mut warnings)?
        } else if let Some(f) = &ra.rate_profile_csv {
            let values =
                cx.read_values_csv(&it, "rate_profile_csv", f, |t| match t.parse::<f64>() {
                    Ok(v) if v.is_finite() && v >= 0.0 => Ok(v),
                    _ => Err(format!(
                        "\"{t}\" is not a rate; expected items per hour of 0 or more"
                    )),
                })?;
            profile(cx, &it, "rate_profile_csv", f, values, sim, &mut warnings)?
        } else if let Some(f) = &ra.forecast_csv {
            // Made a rate once the handle time is known (below): `aht_s`
            // scales it.
            let read = forecasts.read(cx, &it, f, q.get_ref(), sim)?;
            forecast = Some(read);
            ArrivalRate::Constant(0.0)
        } else {
            return Err(cx
                .missing(
                    &it,
                    "rate_per_hour",
                    "or `rate_profile` / `rate_profile_csv` / `forecast_csv`: how fast items arrive",
                )
                .with_hint("e.g. rate_per_hour = 120"));
        };
        let ht = cx.required(
            &it,
            &ra.handle_time,
            "handle_time",
            "a distribution, e.g. { dist = \"exponential\", mean = \"6m\" }",
        )?;
        let handle_time = cx.distribution(&it, "handle_time", ht)?;
        if handle_time.mean_secs() <= 0.0 {
            return Err(cx.at(
                Kind::InvalidValue,
                &it,
                "handle_time",
                ht,
                "`handle_time` averages 0 seconds; expected a mean above 0".into(),
            ));
        }
        let rate = match forecast {
            Some(f) => f.into_rate(handle_time.mean_secs()),
            None => rate,
        };
        let patience = match &ra.patience {
            Some(p) => {
                let d = cx.distribution(&it, "patience", p)?;
                if d.mean_secs() <= 0.0 {
                    return Err(cx
                        .at(Kind::InvalidValue, &it, "patience", p, "`patience` averages 0 seconds, so every item would abandon at once; expected a mean above 0".into())
                        .with_hint("leave `patience` out if nobody abandons"));
                }
                Some(d)
            }
            None => None,
        };
        // Zero is allowed ("0s": no wrap-up for this kind of work, whatever
        // the group's); the distribution checks already refuse negatives.
        let wrap_up = match &ra.wrap_up {
            Some(w) => Some(cx.distribution(&it, "wrap_up", w)?),
            None => None,
        };
        let routing =
            super::skills::arrival_routing(cx, &it, ra, &queue_list[queue.index()], skills)?;
        let transfer = match &ra.transfer {
            Some(t) => {
                transfer_at.push((it.clone(), t.span()));
                Some(transfer(cx, &it, queue, t, queues)?)
            }
            None => None,
        };
        let retrial = match &ra.retrial {
            Some(r) => Some(super::demand::retrial(cx, &it, r, patience.as_ref())?),
            None => None,
        };
        out.push(ArrivalStream {
            queue,
            rate,
            handle_time,
            patience,
            wrap_up,
            skills: routing.skills,
            skill_mix: routing.skill_mix,
            priority: routing.priority,
            secondary_priority: routing.secondary_priority,
            transfer,
            retrial,
            recorded: None,
        });
    }
    transfer_cycle(cx, &out, &transfer_at, queues)?;
    warnings.extend(forecasts.warnings(&queues.names));
    Ok((out, warnings))
}

/// `arrivals[].transfer` of the stream of `own` queue.
fn transfer(
    cx: &Ctx<'_>,
    it: &Item,
    own: QueueId,
    raw: &Spanned<RawTransfer>,
    queues: &Names,
) -> Result<Transfer> {
    let t = raw.get_ref();
    let example = "e.g. transfer = { probability = 0.1, to_queue = \"Loans\", after = \"2m\" }";
    let missing = |key: &str, what: &str| {
        cx.err(
            Kind::MissingKey,
            Some(raw.span()),
            it.path(&format!("transfer.{key}")),
            format!("{}: `transfer` has no `{key}` ({what})", it.label),
        )
        .with_hint(example)
    };
    if t.probability.is_none() {
        return Err(missing("probability", "the share of items transferred"));
    }
    let probability = cx.probability(it, "transfer.probability", &t.probability, 0.0)?;
    let Some(to) = &t.to_queue else {
        return Err(missing("to_queue", "the queue items are transferred to"));
    };
    let to_queue = QueueId(cx.resolve(it, "transfer.to_queue", to, queues, "queue", "queues")?);
    if to_queue == own {
        return Err(cx
            .at(
                Kind::Inconsistent,
                it,
                "transfer.to_queue",
                to,
                format!(
                    "`transfer.to_queue` is \"{}\", the stream's own queue; expected another queue",
                    to.get_ref()
                ),
            )
            .with_hint("a transfer hands the item on to a different queue"));
    }
    let Some(after) = &t.after else {
        return Err(missing(
            "after",
            "how much handling comes before the transfer",
        ));
    };
    let after = cx.distribution(it, "transfer.after", after)?;
    Ok(Transfer {
        probability,
        to_queue,
        after,
    })
}

/// Refuses transfers that can never end: a cycle of queues each of which
/// transfers every item (probability 1) to the next. Each queue has at
/// most one such certain transfer, so the queues on a cycle are found in
/// one pass over them; the error names the first stream, in file order,
/// that lies on one.
fn transfer_cycle(
    cx: &Ctx<'_>,
    streams: &[ArrivalStream],
    at: &[(Item, Range<usize>)],
    queues: &Names,
) -> Result<()> {
    let n = queues.names.len();
    let mut certain: Vec<Option<QueueId>> = vec![None; n];
    for s in streams {
        if let Some(t) = s.transfer.as_ref().filter(|t| t.probability >= 1.0) {
            certain[s.queue.index()] = Some(t.to_queue);
        }
    }
    // 0: not visited, 1: on the walk being followed, 2: done.
    let mut state = vec![0u8; n];
    let mut on_cycle = vec![false; n];
    for start in 0..n {
        let mut walk = Vec::new();
        let mut q = start;
        while state[q] == 0 {
            state[q] = 1;
            walk.push(q);
            match certain[q] {
                Some(next) => q = next.index(),
                None => break,
            }
        }
        if state[q] == 1 {
            // The walk came back to itself: from `q` on, it is a cycle.
            let from = walk.iter().position(|&w| w == q).unwrap_or(0);
            for &w in &walk[from..] {
                on_cycle[w] = true;
            }
        }
        for w in walk {
            state[w] = 2;
        }
    }
    let with_transfer = streams.iter().filter(|s| s.transfer.is_some());
    for (s, (it, span)) in with_transfer.zip(at) {
        if !on_cycle[s.queue.index()] || certain[s.queue.index()].is_none() {
            continue;
        }
        let mut path = vec![s.queue];
        let mut q = certain[s.queue.index()];
        while let Some(next) = q.filter(|&next| next != s.queue) {
            path.push(next);
            q = certain[next.index()];
        }
        let names: Vec<String> = path
            .iter()
            .chain(std::iter::once(&s.queue))
            .map(|q| format!("\"{}\"", queues.names[q.index()]))
            .collect();
        return Err(cx
            .err(
                Kind::Inconsistent,
                Some(span.clone()),
                it.path("transfer"),
                format!(
                    "{}: every item is transferred round the cycle {} with probability 1, \
                     so it can never end; expected a probability below 1 somewhere on it",
                    it.label,
                    names.join(" → ")
                ),
            )
            .with_hint("lower one `transfer.probability` of the cycle below 1"));
    }
    Ok(())
}

fn profile<T>(
    cx: &Ctx<'_>,
    it: &Item,
    key: &str,
    at: &Spanned<T>,
    values: Vec<f64>,
    sim: &SimulationSettings,
    warnings: &mut Vec<String>,
) -> Result<ArrivalRate> {
    let intervals = interval_count(sim);
    if values.is_empty() || values.iter().all(|v| *v == 0.0) {
        return Err(cx.at(Kind::InvalidValue, it, key, at, format!("`{key}` has no rate above 0; expected items per hour for each interval, at least one above 0")));
    }
    if values.len() > intervals {
        return Err(cx
            .at(
                Kind::Inconsistent,
                it,
                key,
                at,
                format!(
                    "`{key}` has {} rates but the measured period has only {intervals} intervals of {}; expected at most {intervals}",
                    values.len(),
                    humanize(sim.interval)
                ),
            )
            .with_hint("one rate per reporting interval; the last rate holds to the end of the run"));
    }
    if values.len() < intervals {
        // Legal (the last rate holds), but often a profile cut short.
        let clock = sim.clock();
        let from = SimDuration(sim.interval.0 * values.len() as u64);
        let queue = it
            .label
            .strip_prefix("arrivals for queue ")
            .unwrap_or(&it.label);
        warnings.push(format!(
            "{key} of queue {queue} has {} value{} for {intervals} intervals of the day; the last value is held from {}",
            values.len(),
            if values.len() == 1 { "" } else { "s" },
            clock.label(clock.instant(from))
        ));
    }
    Ok(ArrivalRate::Profile {
        interval: sim.interval,
        per_hour: values,
        aht_scale: None,
    })
}

/// A duration the way scenario files write it (`8h30m`, `1m30s`, `2.5s`),
/// for messages and the summary; whole hours, not days, because contact
/// centre runs are read in hours.
pub fn humanize(d: SimDuration) -> String {
    let us = d.0;
    if us == 0 {
        return "0s".into();
    }
    if us < 60_000_000 && us % 1_000_000 != 0 {
        return format!("{}s", us as f64 / 1e6);
    }
    let secs = us / 1_000_000;
    let (h, m, s) = (secs / 3600, secs % 3600 / 60, secs % 60);
    let mut out = String::new();
    for (n, unit) in [(h, "h"), (m, "m"), (s, "s")] {
        if n > 0 {
            out.push_str(&format!("{n}{unit}"));
        }
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn agents(
    raw: &RawScenario,
    cx: &Ctx<'_>,
    sim: &SimulationSettings,
    statuses: &Names,
    configs: &Names,
    config_list: &[PresenceConfiguration],
    status_list: &[PresenceStatus],
    queue_list: &[Queue],
    queue_names: &Names,
    skill_names: &Names,
) -> Result<Vec<AgentGroup>> {
    let items = cx.section(
        &raw.agents,
        "agents",
        "a centre needs at least one agent group",
        "[[agents]]\ngroup = \"Tier 1\"\ncount = 10\npresence_config = \"Agents\"\nstatus = \"Available\"",
    )?;
    let mut names = Names::default();
    let mut out = Vec::new();
    let mut roster_files = super::roster_csv::RosterFiles::default();
    for (i, g) in items.iter().enumerate() {
        let mut it = item("agents", i, g);
        let ra: &RawAgents = g.get_ref();
        let group = cx.name(&mut it, &ra.group, "group", &mut names)?;
        let book = super::roster::StatusBook {
            names: statuses,
            list: status_list,
        };
        let plan = super::roster::plan(cx, &it, ra, items, sim, &book, &mut roster_files)?;
        let pc = cx.required(
            &it,
            &ra.presence_config,
            "presence_config",
            "the name of a [[presence_configs]] item",
        )?;
        let presence_config = ConfigId(cx.resolve(
            &it,
            "presence_config",
            pc,
            configs,
            "presence configuration",
            "presence_configs",
        )?);
        let config = &config_list[presence_config.index()];
        let st = cx.required(
            &it,
            &ra.status,
            "status",
            "the status the agents log in with",
        )?;
        let status = StatusId(cx.resolve(&it, "status", st, statuses, "status", "statuses")?);
        let mut allowed: Vec<StatusId> = Vec::new();
        let mut seen: FxHashSet<StatusId> = FxHashSet::default();
        for (j, s) in ra.allowed_statuses.iter().flatten().enumerate() {
            let key = format!("allowed_statuses[{j}]");
            let id = StatusId(cx.resolve(&it, &key, s, statuses, "status", "statuses")?);
            if !seen.insert(id) {
                return Err(cx.at(
                    Kind::DuplicateName,
                    &it,
                    &key,
                    s,
                    format!("status \"{}\" is listed twice", s.get_ref()),
                ));
            }
            allowed.push(id);
        }
        let allowed_statuses = if allowed.is_empty() {
            (0..status_list.len() as u32).map(StatusId).collect()
        } else {
            if !seen.contains(&status) {
                return Err(cx
                    .at(Kind::Inconsistent, &it, "status", st, format!("login status \"{}\" is not in `allowed_statuses`", st.get_ref()))
                    .with_hint(format!("add \"{}\" to allowed_statuses, or leave allowed_statuses out to allow every status", st.get_ref())));
            }
            // The configuration's statuses are applied by Omni-Channel itself,
            // so they are granted whatever the list says.
            allowed.extend(config.status_on_decline);
            allowed.extend(config.status_on_push_timeout);
            allowed.sort();
            allowed.dedup();
            allowed
        };
        let response_time = match &ra.response_time {
            Some(r) => cx.distribution(&it, "response_time", r)?,
            None => Distribution::Constant { value: 0.0 },
        };
        let accept_probability =
            cx.probability(&it, "accept_probability", &ra.accept_probability, 1.0)?;
        let no_answer_probability =
            cx.probability(&it, "no_answer_probability", &ra.no_answer_probability, 0.0)?;
        let config_name = &config.name;
        if accept_probability < 1.0 && !config.allow_decline {
            let at = ra.accept_probability.as_ref().expect("set when below 1");
            let why = if config.auto_accept {
                "auto-accepts every push"
            } else {
                "does not allow decline"
            };
            return Err(cx
                .at(
                    Kind::Inconsistent,
                    &it,
                    "accept_probability",
                    at,
                    format!("`accept_probability` is {accept_probability}, but presence configuration \"{config_name}\" {why}, so these agents could never decline"),
                )
                .with_hint(format!("set allow_decline = true in presence configuration \"{config_name}\", or accept_probability = 1")));
        }
        if no_answer_probability > 0.0 && config.auto_accept {
            let at = ra.no_answer_probability.as_ref().expect("set when above 0");
            return Err(cx.at(
                Kind::Inconsistent,
                &it,
                "no_answer_probability",
                at,
                format!("`no_answer_probability` is {no_answer_probability}, but presence configuration \"{config_name}\" auto-accepts every push, so there is nothing to leave unanswered"),
            ));
        }
        let wrap_up = match &ra.wrap_up {
            Some(w) => Some(cx.distribution(&it, "wrap_up", w)?),
            None => None,
        };
        let pause_probability =
            cx.probability(&it, "pause_probability", &ra.pause_probability, 0.0)?;
        let pause_duration = match &ra.pause_duration {
            Some(d) => Some(cx.distribution(&it, "pause_duration", d)?),
            None => None,
        };
        if let (Some(p), None) = (&ra.pause_probability, &pause_duration) {
            if pause_probability > 0.0 {
                return Err(cx
                    .at(
                        Kind::Inconsistent,
                        &it,
                        "pause_probability",
                        p,
                        "`pause_probability` is set without `pause_duration`: how long would a pause last?".into(),
                    )
                    .with_hint("add e.g. pause_duration = { dist = \"exponential\", mean = \"10m\" }"));
            }
        }
        let return_to_status_after = match &ra.return_to_status_after {
            Some(r) => {
                let d = cx.positive(&it, "return_to_status_after", r)?;
                if config.status_on_decline.is_none() && config.status_on_push_timeout.is_none() {
                    return Err(cx
                        .at(
                            Kind::Inconsistent,
                            &it,
                            "return_to_status_after",
                            r,
                            format!("`return_to_status_after` is set, but presence configuration \"{config_name}\" sets neither `status_on_decline` nor `status_on_push_timeout`, so agents never leave their login status"),
                        ));
                }
                Some(d)
            }
            None => None,
        };
        let queues = super::skills::membership(
            cx,
            &it,
            &ra.queues,
            queue_names,
            queue_list,
            status_list,
            &allowed_statuses,
        )?;
        let skills = super::skills::agent_skills(cx, &it, &ra.skills, skill_names)?;
        let planning = super::planning::group_planning(cx, &it, ra)?;
        // After membership: the implicit end-of-shift status may be granted
        // here, and it is not in `status_list` yet (it has no channels, so
        // membership would not change).
        let mut allowed_statuses = allowed_statuses;
        let granted_busy = allowed_statuses
            .iter()
            .copied()
            .find(|s| !status_list[s.index()].is_online());
        let mut ending = Shift::default();
        shift_end(
            cx,
            &it,
            ra,
            statuses,
            status_list,
            plan.ends(),
            &mut ending,
            &mut allowed_statuses,
        )?;
        let implicit_break = StatusId(status_list.len() as u32 + 1);
        let r = plan.finish(
            &ending,
            granted_busy,
            &book,
            implicit_break,
            &mut allowed_statuses,
        );
        out.push(AgentGroup {
            group,
            count: r.count,
            presence_config,
            status,
            queues,
            skills,
            allowed_statuses,
            behaviour: BehaviourSpec {
                response_time,
                accept_probability,
                no_answer_probability,
                wrap_up,
                return_to_status_after,
                pause_probability,
                pause_duration,
            },
            shift: r.shift,
            roster: r.roster,
            break_lateness: r.break_lateness,
            absence: r.absence,
            planning,
        });
    }
    Ok(out)
}

/// `shift_end` and `shift_end_status` of a group: how its shifts end
/// (`ends`: some shift has an end) and the busy status it finishes its
/// work in, granted to the group, set on `shift`. A finishing group with a
/// shift end that names no status gets the first busy status it is
/// granted, or [`END_OF_SHIFT_STATUS`] when it has none: its id is then
/// `status_list.len()`, the status [`validate`] appends.
#[allow(clippy::too_many_arguments)]
fn shift_end(
    cx: &Ctx<'_>,
    it: &Item,
    ra: &RawAgents,
    statuses: &Names,
    status_list: &[PresenceStatus],
    ends: bool,
    shift: &mut Shift,
    allowed: &mut Vec<StatusId>,
) -> Result<()> {
    const MODES: [&str; 2] = ["finish", "abrupt"];
    shift.end_mode = match &ra.shift_end {
        None => ShiftEndMode::Finish,
        Some(m) => match m.get_ref().as_str() {
            "finish" => ShiftEndMode::Finish,
            "abrupt" => ShiftEndMode::Abrupt,
            other => {
                return Err(cx
                    .at(
                        Kind::InvalidValue,
                        it,
                        "shift_end",
                        m,
                        format!("unknown shift_end \"{other}\"; expected \"finish\" (finish the work held, then log out) or \"abrupt\" (log out at once)"),
                    )
                    .with_maybe_hint(suggest(other, MODES).map(|s| format!("did you mean \"{s}\"?"))))
            }
        },
    };
    if let Some(st) = &ra.shift_end_status {
        if shift.end_mode == ShiftEndMode::Abrupt {
            return Err(cx
                .at(
                    Kind::Inconsistent,
                    it,
                    "shift_end_status",
                    st,
                    "`shift_end_status` is set, but `shift_end` is \"abrupt\": the agents log out at once and never use it".into(),
                )
                .with_hint("remove `shift_end_status`, or set shift_end = \"finish\""));
        }
        let id =
            StatusId(cx.resolve(it, "shift_end_status", st, statuses, "status", "statuses")?);
        let status = &status_list[id.index()];
        if status.is_online() {
            return Err(cx
                .at(
                    Kind::Inconsistent,
                    it,
                    "shift_end_status",
                    st,
                    format!("status \"{}\" has channels, so agents finishing their shift in it would keep receiving work; expected a busy status (one without channels)", st.get_ref()),
                )
                .with_hint("add a [[statuses]] item without `channels`, e.g. name = \"Wrap_Up\""));
        }
        shift.end_status = Some(id);
    } else if ends && shift.end_mode == ShiftEndMode::Finish {
        let busy = allowed
            .iter()
            .copied()
            .find(|s| !status_list[s.index()].is_online());
        shift.end_status = Some(busy.unwrap_or_else(|| {
            // The implicit status; a busy status of that name in the file
            // is the same thing, so it is granted instead.
            match statuses.position(END_OF_SHIFT_STATUS) {
                Some(i) if !status_list[i].is_online() => StatusId(i as u32),
                _ => StatusId(status_list.len() as u32),
            }
        }));
    }
    if let Some(id) = shift.end_status {
        if !allowed.contains(&id) {
            allowed.push(id);
            allowed.sort();
        }
    }
    Ok(())
}

/// An interruptible capacity that would let an agent hold more than
/// Omni-Channel's 100 open items of some interruptible queue is refused:
/// the pool exists to be filled with such work, so a number that can never
/// be reached is a mistake in the file (the primary pool only gets a note
/// in `check`, since a large capacity there is common for percentage
/// costs).
fn interruptible_item_cap(raw: &RawScenario, cx: &Ctx<'_>, s: &Scenario) -> Result<()> {
    let raw_configs = raw.presence_configs.as_deref().unwrap_or_default();
    for (i, (pc, rp)) in s.presence_configs.iter().zip(raw_configs).enumerate() {
        let Some(at) = &rp.get_ref().interruptible_capacity else {
            continue;
        };
        for q in &s.queues {
            if q.routing.pool != CapacityPool::Interruptible {
                continue;
            }
            let cost = q.routing.cost.units_for(pc.interruptible_capacity).0.max(1);
            let items = CapacityUnits::whole(pc.interruptible_capacity).0 / cost;
            if items > MAX_OPEN_ITEMS as u64 {
                let mut it = item("presence_configs", i, rp);
                it.label = describe_item("presence_configs", Some(&pc.name));
                return Err(cx
                    .at(
                        Kind::InvalidValue,
                        &it,
                        "interruptible_capacity",
                        at,
                        format!(
                            "`interruptible_capacity` is {}, room for {items} items of interruptible queue \"{}\"; Omni-Channel caps an agent at {MAX_OPEN_ITEMS} open items",
                            pc.interruptible_capacity, q.name
                        ),
                    )
                    .with_hint(format!("at most {} units with this cost", MAX_OPEN_ITEMS as u64 * cost / CapacityUnits::SCALE)));
            }
        }
    }
    Ok(())
}

/// Cross-check: every queue can reach some agent who can carry its items.
fn routable(raw: &RawScenario, cx: &Ctx<'_>, s: &Scenario) -> Result<()> {
    interruptible_item_cap(raw, cx, s)?;
    let raw_queues = raw.queues.as_deref().unwrap_or_default();
    for (i, (q, rq)) in s.queues.iter().zip(raw_queues).enumerate() {
        let mut it = item("queues", i, rq);
        it.label = describe_item("queues", Some(&q.name));
        let channel = &s.channels[q.channel.index()].name;
        let capacities: Vec<(u32, &str)> = s
            .agents
            .iter()
            .filter(|g| {
                g.allowed_statuses
                    .iter()
                    .any(|st| s.statuses[st.index()].has_channel(q.channel))
            })
            .map(|g| {
                (
                    s.presence_configs[g.presence_config.index()].capacity,
                    g.group.as_str(),
                )
            })
            .collect();
        let raw_q = rq.get_ref();
        if capacities.is_empty() {
            let at = raw_q.channel.as_ref().expect("checked in queues");
            return Err(cx
                .at(
                    Kind::Inconsistent,
                    &it,
                    "channel",
                    at,
                    format!("can never be routed: no agent group may use a status with channel \"{channel}\""),
                )
                .with_hint(format!("add \"{channel}\" to the channels of a status the agents log in with or are allowed")));
        }
        if let CapacityCost::Weight(w) = q.routing.cost {
            let (max, group) = capacities
                .iter()
                .copied()
                .max_by_key(|(c, _)| *c)
                .expect("not empty");
            if w > max {
                let at = raw_q.capacity_weight.as_ref().expect("weight was given");
                return Err(cx
                    .at(
                        Kind::Inconsistent,
                        &it,
                        "capacity_weight",
                        at,
                        format!(
                            "can never be routed: `capacity_weight` is {w}, above the capacity of every agent group that can take channel \"{channel}\" (largest: {max}, agent group \"{group}\")"
                        ),
                    )
                    .with_hint("lower the weight or raise the presence configuration's capacity"));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reason_after_a_colon_starts_in_lower_case_unless_it_is_a_capitalised_word() {
        assert_eq!(lower_first("No such file"), "no such file");
        assert_eq!(
            lower_first("CSV parse error: record 1"),
            "CSV parse error: record 1"
        );
        assert_eq!(lower_first("UTF-8 expected"), "UTF-8 expected");
        assert_eq!(lower_first(""), "");
    }

    const BASE: &str = r#"
[simulation]
name = "t"
duration = "1h"

[[channels]]
name = "chat"

[[statuses]]
name = "Available"
channels = ["chat"]

[[presence_configs]]
name = "cfg"
capacity = 2

[[queues]]
name = "q"
channel = "chat"
routing_model = "most_available"
capacity_weight = 1

[[agents]]
group = "g"
count = 2
presence_config = "cfg"
status = "Available"
"#;

    fn load(extra: &str) -> Result<Scenario> {
        Scenario::from_toml_str(&format!("{BASE}\n{extra}"), "t.toml")
    }

    fn handle_time(form: &str) -> Result<Distribution> {
        let s = load(&format!(
            "[[arrivals]]\nqueue = \"q\"\nrate_per_hour = 10\nhandle_time = {form}\n"
        ))?;
        Ok(s.arrivals[0].handle_time.clone())
    }

    #[test]
    fn defaults_are_filled_in() {
        let s = load("").unwrap();
        assert_eq!(s.simulation.warmup, SimDuration::ZERO);
        assert_eq!(s.simulation.seed, 1);
        assert_eq!(s.simulation.replications, 1);
        assert_eq!(s.simulation.interval, SimDuration::from_secs(1800));
        assert_eq!(
            s.simulation.service_level_threshold,
            SimDuration::from_secs(20)
        );
        assert_eq!(s.statuses[0].label, "Available");
        assert_eq!(s.presence_configs[0].interruptible_capacity, 2);
        assert_eq!(s.queues[0].routing.priority, 1);
        assert_eq!(s.queues[0].routing.push_timeout, None);
        let g = &s.agents[0];
        assert_eq!(g.allowed_statuses, vec![StatusId(0)]);
        assert_eq!(
            g.behaviour.response_time,
            Distribution::Constant { value: 0.0 }
        );
        assert_eq!(g.behaviour.accept_probability, 1.0);
        assert_eq!(
            g.shift,
            Shift {
                start: SimDuration::ZERO,
                end: None,
                end_mode: crate::scenario::ShiftEndMode::Finish,
                end_status: None,
            }
        );
    }

    #[test]
    fn every_distribution_form_parses() {
        assert_eq!(
            handle_time("\"90s\"").unwrap(),
            Distribution::Constant { value: 90.0 }
        );
        assert_eq!(
            handle_time("42.5").unwrap(),
            Distribution::Constant { value: 42.5 }
        );
        assert_eq!(
            handle_time("{ dist = \"constant\", value = \"1m\" }").unwrap(),
            Distribution::Constant { value: 60.0 }
        );
        assert_eq!(
            handle_time("{ dist = \"exponential\", mean = \"6m\" }").unwrap(),
            Distribution::Exponential { mean: 360.0 }
        );
        assert_eq!(
            handle_time("{ dist = \"uniform\", min = \"10s\", max = 60 }").unwrap(),
            Distribution::Uniform {
                min: 10.0,
                max: 60.0
            }
        );
        assert_eq!(
            handle_time("{ dist = \"lognormal\", mean = \"6m\", sd = \"4m\" }").unwrap(),
            Distribution::LogNormal {
                mean: 360.0,
                sd: 240.0
            }
        );
        assert_eq!(
            handle_time("{ dist = \"gamma\", mean = \"5m\", sd = 150 }").unwrap(),
            Distribution::Gamma {
                mean: 300.0,
                sd: 150.0
            }
        );
        assert_eq!(
            handle_time("{ dist = \"empirical\", values = [\"30s\", 45, \"2m\"] }").unwrap(),
            Distribution::Empirical {
                values: vec![30.0, 45.0, 120.0]
            }
        );
    }

    #[test]
    fn distribution_mistakes_name_the_parameter() {
        let e = handle_time("{ dist = \"exponental\", mean = 3 }").unwrap_err();
        assert_eq!(e.key_path(), Some("arrivals[0].handle_time.dist"));
        assert_eq!(e.hint(), Some("did you mean \"exponential\"?"));
        assert!(e
            .message()
            .contains("\"constant\", \"exponential\", \"uniform\", \"lognormal\", \"empirical\""));

        let e = handle_time("{ dist = \"exponential\", sd = 3 }").unwrap_err();
        assert_eq!(e.kind(), Kind::UnknownKey);
        assert_eq!(e.key_path(), Some("arrivals[0].handle_time.sd"));

        let e = handle_time("{ dist = \"lognormal\", mean = 3 }").unwrap_err();
        assert_eq!(e.kind(), Kind::MissingKey);
        assert_eq!(e.key_path(), Some("arrivals[0].handle_time.sd"));

        let e = handle_time("{ dist = \"gamma\", mean = \"5m\" }").unwrap_err();
        assert_eq!(e.kind(), Kind::MissingKey);
        assert_eq!(e.key_path(), Some("arrivals[0].handle_time.sd"));
        let e = handle_time("{ dist = \"gamma\", mean = \"5m\", sd = 0 }").unwrap_err();
        assert_eq!(e.kind(), Kind::InvalidValue);
        assert_eq!(e.key_path(), Some("arrivals[0].handle_time.sd"));
        assert!(e.message().contains("bad gamma distribution"), "{e}");
        let e = handle_time("{ dist = \"gamma\", mean = \"5m\", sd = 1, min = 2 }").unwrap_err();
        assert_eq!(e.kind(), Kind::UnknownKey);
        assert_eq!(e.key_path(), Some("arrivals[0].handle_time.min"));

        let e = handle_time("{ dist = \"uniform\", min = \"2m\", max = \"1m\" }").unwrap_err();
        assert_eq!(e.kind(), Kind::InvalidValue);
        assert_eq!(e.key_path(), Some("arrivals[0].handle_time.min"));
        assert!(e.message().contains("must not exceed"), "{e}");

        let e = handle_time("{ dist = \"empirical\", values = [] }").unwrap_err();
        assert_eq!(e.key_path(), Some("arrivals[0].handle_time.values"));

        let e = handle_time("0").unwrap_err();
        assert!(e.message().contains("averages 0 seconds"), "{e}");
    }

    #[test]
    fn empirical_and_profile_csv_files_are_read_relative_to_the_base() {
        let dir =
            std::env::temp_dir().join(format!("omnisim-scenario-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("handle.csv"),
            "seconds\n30\n\n# a comment\n45.5\n2m\n",
        )
        .unwrap();
        std::fs::write(dir.join("rates.csv"), "rate_per_hour\n10\n20\n").unwrap();
        std::fs::write(dir.join("bad.csv"), "10\nlots\n").unwrap();
        let text = format!(
            "{BASE}\n[[arrivals]]\nqueue = \"q\"\nrate_profile_csv = \"rates.csv\"\n\
             handle_time = {{ dist = \"empirical\", csv = \"handle.csv\" }}\n"
        );
        let path = dir.join("s.toml");
        std::fs::write(&path, &text).unwrap();
        let s = Scenario::from_path(&path).unwrap();
        assert_eq!(
            s.arrivals[0].handle_time,
            Distribution::Empirical {
                values: vec![30.0, 45.5, 120.0]
            }
        );
        assert_eq!(
            s.arrivals[0].rate,
            ArrivalRate::Profile {
                interval: SimDuration::from_secs(1800),
                per_hour: vec![10.0, 20.0],
                aht_scale: None
            }
        );

        std::fs::write(&path, text.replace("rates.csv", "bad.csv")).unwrap();
        let e = Scenario::from_path(&path).unwrap_err();
        assert!(e.file().ends_with("bad.csv"), "{e}");
        assert_eq!(e.line(), Some(2));
        assert_eq!(e.key_path(), Some("arrivals[0].rate_profile_csv"));

        std::fs::write(&path, text.replace("rates.csv", "missing.csv")).unwrap();
        let e = Scenario::from_path(&path).unwrap_err();
        assert_eq!(e.kind(), Kind::Io);
        assert!(e.file().ends_with("s.toml"));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn rate_profile_may_be_shorter_but_not_longer_than_the_intervals() {
        let arr = |p: &str| {
            format!("[[arrivals]]\nqueue = \"q\"\nrate_profile = {p}\nhandle_time = 60\n")
        };
        assert!(load(&arr("[5, 10]")).unwrap().warnings.is_empty());
        // Shorter: legal, the last rate holds, and a warning says so.
        let s = load(&arr("[5]")).unwrap();
        assert_eq!(
            s.warnings,
            [
                "rate_profile of queue \"q\" has 1 value for 2 intervals of the day; \
              the last value is held from 00:30"
            ]
        );
        let e = load(&arr("[1, 2, 3]")).unwrap_err();
        assert_eq!(e.kind(), Kind::Inconsistent);
        assert!(
            e.message()
                .contains("has 3 rates but the measured period has only 2 intervals"),
            "{e}"
        );
        let e = load(&arr("[0, 0]")).unwrap_err();
        assert!(e.message().contains("no rate above 0"), "{e}");
        let e = load(&arr("[1, -2]")).unwrap_err();
        assert_eq!(e.key_path(), Some("arrivals[0].rate_profile[1]"));
    }

    #[test]
    fn allowed_statuses_include_the_configuration_statuses() {
        let text =
            BASE.replace(
                "capacity = 2",
                "capacity = 2\nallow_decline = true\nstatus_on_decline = \"Break\"",
            )
            .replace(
                "status = \"Available\"",
                "status = \"Available\"\nallowed_statuses = [\"Available\"]",
            ) + "\n[[statuses]]\nname = \"Break\"\n[[statuses]]\nname = \"Lunch\"\n";
        let s = Scenario::from_toml_str(&text, "t.toml").unwrap();
        assert_eq!(s.agents[0].allowed_statuses, vec![StatusId(0), StatusId(1)]);
    }

    #[test]
    fn a_finishing_shift_gets_a_busy_status_to_finish_in() {
        // No busy status at all: the implicit one is added and granted.
        let s = load("shift = { end = \"40m\" }").unwrap();
        assert_eq!(s.statuses.len(), 2);
        assert_eq!(s.statuses[1].api_name, END_OF_SHIFT_STATUS);
        assert_eq!(s.statuses[1].label, "Busy - End of shift");
        assert!(!s.statuses[1].is_online());
        let g = &s.agents[0];
        assert_eq!(g.shift.end_mode, ShiftEndMode::Finish);
        assert_eq!(g.shift.end_status, Some(StatusId(1)));
        assert!(g.allowed_statuses.contains(&StatusId(1)));
        // The first busy status granted, when there is one.
        let busy = "\n[[statuses]]\nname = \"Lunch\"\n[[statuses]]\nname = \"Wrap_Up\"\n";
        let s = load(&format!("shift = {{ end = \"40m\" }}\n{busy}")).unwrap();
        assert_eq!(s.statuses.len(), 3, "nothing added");
        assert_eq!(s.agents[0].shift.end_status, Some(StatusId(1)));
        // The one named, granted even when not listed.
        let s = load(&format!(
            "allowed_statuses = [\"Available\"]\nshift = {{ end = \"40m\" }}\nshift_end_status = \"Wrap_Up\"\n{busy}"
        ))
        .unwrap();
        assert_eq!(s.agents[0].shift.end_status, Some(StatusId(2)));
        assert_eq!(s.agents[0].allowed_statuses, vec![StatusId(0), StatusId(2)]);
        // Abrupt, or no shift end: nothing to finish in.
        let s = load("shift = { end = \"40m\" }\nshift_end = \"abrupt\"").unwrap();
        assert_eq!(s.agents[0].shift.end_mode, ShiftEndMode::Abrupt);
        assert_eq!((s.statuses.len(), s.agents[0].shift.end_status), (1, None));
        let s = load("").unwrap();
        assert_eq!((s.statuses.len(), s.agents[0].shift.end_status), (1, None));
    }

    #[test]
    fn arrival_wrap_up_is_a_distribution_of_zero_or_more() {
        let arr = |w: &str| {
            format!(
                "[[arrivals]]\nqueue = \"q\"\nrate_per_hour = 5\nhandle_time = 60\nwrap_up = {w}\n"
            )
        };
        let s = load(&arr("\"0s\"")).unwrap();
        assert_eq!(
            s.arrivals[0].wrap_up,
            Some(Distribution::Constant { value: 0.0 })
        );
        let s = load(&arr("{ dist = \"exponential\", mean = \"1m\" }")).unwrap();
        assert_eq!(
            s.arrivals[0].wrap_up,
            Some(Distribution::Exponential { mean: 60.0 })
        );
        let e = load(&arr("-5")).unwrap_err();
        assert_eq!(e.key_path(), Some("arrivals[0].wrap_up"));
        assert!(load("")
            .unwrap()
            .arrivals
            .iter()
            .all(|a| a.wrap_up.is_none()));
    }

    #[test]
    fn no_mangling_of_a_valid_file_panics() {
        // Deleting any one character, or cutting the file short anywhere,
        // must give a scenario or an error, never a panic.
        let text = format!(
            "{BASE}\n[[arrivals]]\nqueue = \"q\"\nrate_profile = [1, 2]\n\
             handle_time = {{ dist = \"uniform\", min = \"1s\", max = 3 }}\n\
             patience = {{ dist = \"empirical\", values = [\"30s\", 45] }}\n\
             [[agents]]\ngroup = \"h\"\ncount = 1\npresence_config = \"cfg\"\nstatus = \"Available\"\n\
             shift = {{ start = \"10m\", end = 3000 }}\n"
        );
        assert!(Scenario::from_toml_str(&text, "t.toml").is_ok());
        for (i, c) in text.char_indices() {
            let mut cut = text.clone();
            cut.remove(i);
            let _ = Scenario::from_toml_str(&cut, "t.toml");
            let _ = Scenario::from_toml_str(&text[..i], "t.toml");
            if c.is_ascii_digit() {
                let _ = Scenario::from_toml_str(&text.replacen(&text[i..=i], "0", 1), "t.toml");
            }
        }
    }

    #[test]
    fn durations_print_as_they_are_written() {
        assert_eq!(humanize(SimDuration::from_secs(201 * 3600)), "201h");
        assert_eq!(humanize(SimDuration::from_secs(8 * 3600 + 1800)), "8h30m");
        assert_eq!(humanize(SimDuration::from_secs(90)), "1m30s");
        assert_eq!(humanize(SimDuration(2_500_000)), "2.5s");
        assert_eq!(humanize(SimDuration::ZERO), "0s");
    }

    #[test]
    fn short_runs_shorten_the_default_interval() {
        let s = Scenario::from_toml_str(&BASE.replace("\"1h\"", "\"10m\""), "t.toml").unwrap();
        assert_eq!(s.simulation.interval, SimDuration::from_secs(600));
        assert_eq!(interval_count(&s.simulation), 1);
    }

    #[test]
    fn push_timeout_zero_means_off() {
        let s = Scenario::from_toml_str(
            &BASE.replace(
                "capacity_weight = 1",
                "capacity_weight = 1\npush_timeout = 0",
            ),
            "t.toml",
        )
        .unwrap();
        assert_eq!(s.queues[0].routing.push_timeout, None);
    }

    #[test]
    fn an_integer_too_large_says_so() {
        let text = BASE.replace("capacity = 2", "capacity = 4294967296");
        let e = Scenario::from_toml_str(&text, "t.toml").unwrap_err();
        assert!(e.message().contains("4294967296, too large"), "{e}");
        assert!(e.message().contains("at most 4294967295"), "{e}");
    }
}
