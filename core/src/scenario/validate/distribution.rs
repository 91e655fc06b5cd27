//! Distributions (`handle_time`, `patience`, `wrap_up`, …), in either
//! form: a bare duration or a `{ dist = …, … }` table.

use super::{Ctx, Item, Result};
use crate::distribution::Distribution;
use crate::scenario::error::{list_keys, list_names, suggest, ScenarioErrorKind as Kind};
use crate::scenario::raw::{RawDist, RawDistTable, RawDuration};
use std::ops::Range;
use toml::Spanned;

/// The `dist` names, in the order the docs list them.
pub(crate) const DIST_NAMES: [&str; 6] = [
    "constant",
    "exponential",
    "uniform",
    "lognormal",
    "empirical",
    "gamma",
];

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
