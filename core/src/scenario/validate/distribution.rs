//! Distributions (`handle_time`, `patience`, `wrap_up`, …), in either
//! form: a bare duration or a `{ dist = …, … }` table.

use super::{Ctx, Item, Result};
use crate::distribution::Distribution;
use crate::scenario::error::{list_keys, list_names, suggest, ScenarioErrorKind as Kind};
use crate::scenario::raw::{RawDist, RawDistTable, RawDuration};
use std::ops::Range;
use toml::Spanned;

/// The `dist` names, in the order the docs list them.
const DIST_NAMES: [&str; 6] = [
    "constant",
    "exponential",
    "uniform",
    "lognormal",
    "empirical",
    "gamma",
];

/// What the checks of one distribution table refer to: where it is
/// (`item`, `key`, the whole value `raw`), the table, its `dist` name and
/// the parameters that name takes.
struct DistAt<'a> {
    item: &'a Item,
    key: &'a str,
    raw: &'a Spanned<RawDist>,
    table: &'a RawDistTable,
    name: &'a str,
    allowed: &'static [&'static str],
}

impl DistAt<'_> {
    /// The key path of parameter `k`.
    fn sub(&self, k: &str) -> String {
        format!("{}.{k}", self.item.path(self.key))
    }
}

impl Ctx<'_> {
    /// A distribution, in either form, checked.
    pub(in crate::scenario) fn distribution(
        &self,
        item: &Item,
        key: &str,
        raw: &Spanned<RawDist>,
    ) -> Result<Distribution> {
        let table = match raw.get_ref() {
            RawDist::Bare(d) => return Ok(Distribution::Constant { value: d.secs }),
            RawDist::Table(t) => t,
        };
        let (name, allowed) = self.dist_name(item, key, raw, table)?;
        let at = DistAt {
            item,
            key,
            raw,
            table,
            name,
            allowed,
        };
        self.only_params_of(&at)?;
        let d = self.build_distribution(&at)?;
        self.valid_distribution(&at, d)
    }

    /// The `dist` of a table, and the parameters it takes.
    fn dist_name<'t>(
        &self,
        item: &Item,
        key: &str,
        raw: &Spanned<RawDist>,
        table: &'t RawDistTable,
    ) -> Result<(&'t str, &'static [&'static str])> {
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
        let allowed: &'static [&'static str] = match name {
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
        Ok((name, allowed))
    }

    /// Refuses a parameter the distribution does not take.
    fn only_params_of(&self, at: &DistAt<'_>) -> Result<()> {
        let name = at.name;
        for (k, span) in present_params(at.table) {
            if !at.allowed.contains(&k) {
                return Err(self.err(
                    Kind::UnknownKey,
                    Some(span),
                    at.sub(k),
                    format!(
                        "{}: `{k}` does not apply to {} {name} distribution, which takes {}",
                        at.item.label,
                        article(name),
                        list_keys(at.allowed.iter().copied())
                    ),
                ));
            }
        }
        Ok(())
    }

    /// The distribution the table describes, each parameter it needs
    /// present.
    fn build_distribution(&self, at: &DistAt<'_>) -> Result<Distribution> {
        let (table, name) = (at.table, at.name);
        let need = |v: &Option<Spanned<RawDuration>>, k: &str| -> Result<f64> {
            match v {
                Some(v) => Ok(v.get_ref().secs),
                None => Err(self.err(
                    Kind::MissingKey,
                    Some(at.raw.span()),
                    at.sub(k),
                    format!(
                        "{}: {} {name} distribution needs {}; `{k}` is missing",
                        at.item.label,
                        article(name),
                        list_keys(at.allowed.iter().copied())
                    ),
                )),
            }
        };
        Ok(match name {
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
            _ => self.empirical(at)?,
        })
    }

    /// An empirical distribution: its `values`, or those of its `csv`
    /// file; one of the two.
    fn empirical(&self, at: &DistAt<'_>) -> Result<Distribution> {
        let (item, key, table) = (at.item, at.key, at.table);
        match (&table.values, &table.csv) {
            (Some(values), None) => Ok(Distribution::Empirical {
                values: values.get_ref().iter().map(|v| v.get_ref().secs).collect(),
            }),
            (None, Some(csv)) => {
                let values = self.read_values_csv(item, &format!("{key}.csv"), csv, |t| {
                    t.parse::<f64>()
                        .map_err(|_| ())
                        .and_then(|v| RawDuration::from_secs(v, t.to_owned()).map_err(|_| ()))
                        .or_else(|_| RawDuration::from_text(t).map_err(|_| ()))
                        .map(|d| d.secs)
                        .map_err(|_| {
                            format!("\"{t}\" is not a duration; expected seconds such as 42.5")
                        })
                })?;
                Ok(Distribution::Empirical { values })
            }
            (Some(_), Some(csv)) => Err(self.err(
                Kind::Inconsistent,
                Some(csv.span()),
                at.sub("csv"),
                format!(
                    "{}: an empirical distribution takes `values` or `csv`, not both",
                    item.label
                ),
            )),
            (None, None) => Err(self.err(
                Kind::MissingKey,
                Some(at.raw.span()),
                at.sub("values"),
                format!(
                    "{}: an empirical distribution needs `values` or `csv`",
                    item.label
                ),
            )),
        }
    }

    /// `d` if its parameters make sense, else an error at the parameter
    /// the reason names (when it can tell which).
    fn valid_distribution(&self, at: &DistAt<'_>, d: Distribution) -> Result<Distribution> {
        let Err(why) = d.validate() else {
            return Ok(d);
        };
        let param = why.split_whitespace().next().unwrap_or("");
        let param = if param == "every" { "values" } else { param };
        let span = present_params(at.table)
            .into_iter()
            .find(|(k, _)| *k == param)
            .map_or(at.raw.span(), |(_, s)| s);
        let path = if at.allowed.contains(&param) {
            at.sub(param)
        } else {
            at.item.path(at.key)
        };
        Err(self.err(
            Kind::InvalidValue,
            Some(span),
            path,
            format!(
                "{}: bad {} distribution for `{}`: {why}",
                at.item.label, at.name, at.key
            ),
        ))
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
