//! The sweep file: a base scenario, axes over its key paths, and what to
//! tabulate.
//!
//! ```toml
//! base = "../scenarios/erlang_c.toml"      # relative to the sweep file
//! replications = 4
//! metrics = ["service_level", "asa_s", "p_abandon", "occupancy"]
//!
//! [axes]
//! "agents.Agents.count" = [18, 20, 22]
//! "arrivals.Calls.rate_per_hour" = { from = 180, to = 220, step = 20 }
//! ```
//!
//! The file is read with `toml_edit`, which keeps the order of the axes
//! (the grid's order) and the place of every value (for located errors).
//! A point's scenario is the base *text* with the point's values written
//! in, then read exactly like a scenario file: one validator, one set of
//! messages, and the untouched lines keep their numbers.

use super::key_path::{resolve, KeyTarget};
use crate::scenario::bounds::Limits;
use crate::scenario::error::{list_keys, suggest};
use crate::scenario::{Scenario, ScenarioError, ScenarioErrorKind};
use crate::stats::QUEUE_METRICS;
use sha2::{Digest, Sha256};
use std::ops::Range;
use std::path::{Path, PathBuf};
use toml_edit::{DocumentMut, ImDocument, Item, Value};

/// The largest sweep file read; a sweep file is a few lines.
const MAX_SWEEP_BYTES: u64 = 1024 * 1024;

/// Metrics tabulated when the file names none.
pub const DEFAULT_METRICS: &[&str] = &["service_level", "asa_s", "p_abandon", "occupancy"];

/// The keys a sweep file may have at its top level.
const KEYS: &[&str] = &["base", "replications", "seed", "metrics", "axes"];

/// One axis: a key path of the base and the values it takes.
#[derive(Clone, Debug)]
pub struct Axis {
    /// The key path as written (`agents.Agents.count`): the column name of
    /// `sweep.csv`.
    pub key: String,
    target: KeyTarget,
    /// The values, in the order the grid takes them.
    pub values: Vec<Value>,
    span: Option<Range<usize>>,
}

/// A sweep file, read and checked against its base scenario.
#[derive(Debug)]
pub struct Sweep {
    /// The sweep file's path as given (error messages name it).
    pub file: PathBuf,
    /// `base` as written in the sweep file.
    pub base: String,
    /// The base scenario, read and validated.
    pub base_scenario: Scenario,
    base_path: PathBuf,
    base_doc: DocumentMut,
    text: String,
    /// Replications per point.
    pub replications: u32,
    /// The seed every point runs with (the base's unless the sweep sets
    /// one): points share their random numbers, so differences between
    /// points are the axes' doing, not noise.
    pub seed: u64,
    /// Whether an axis sets `simulation.seed` (then each point keeps its
    /// own, and `seed` is only the base's).
    seed_axis: bool,
    /// Metric names, each one of [`QUEUE_METRICS`].
    pub metrics: Vec<String>,
    /// The axes in file order; the last varies fastest.
    pub axes: Vec<Axis>,
    /// SHA-256 of the base scenario file, hex.
    pub base_sha256: String,
    /// SHA-256 identifying the sweep: omnisim's version, the sweep file
    /// and the base file. Partials of one sweep share it.
    pub sweep_sha256: String,
    /// The bounds every point's validation is held to.
    limits: Limits,
}

impl Sweep {
    /// Reads a sweep file and its base, checks every key and the grid size
    /// (at most `max_points` points); the base and every point are
    /// validated within `limits`.
    pub fn from_path(
        path: &Path,
        max_points: u64,
        limits: &Limits,
    ) -> Result<Sweep, ScenarioError> {
        let label = path.display().to_string();
        let text = read_text(path, &label)?;
        let doc = ImDocument::parse(text.clone()).map_err(|e| {
            ScenarioError::new(
                ScenarioErrorKind::Syntax,
                format!("not valid TOML: {}", e.message().trim()),
            )
            .in_file(&label)
            .at_span(&text, e.span())
        })?;
        let cx = Cx {
            text: &text,
            label: &label,
        };
        let top = doc.as_table();
        for (key, _) in top.iter() {
            if !KEYS.contains(&key) {
                return Err(cx
                    .error(
                        ScenarioErrorKind::UnknownKey,
                        format!(
                            "unknown key `{key}` in a sweep file; expected one of {}",
                            list_keys(KEYS.iter().copied())
                        ),
                        key,
                        top.key(key).and_then(|k| k.span()),
                    )
                    .with_maybe_hint(
                        suggest(key, KEYS.iter().copied()).map(|s| format!("did you mean `{s}`?")),
                    ));
            }
        }
        let base = match top.get("base") {
            Some(item) => item
                .as_str()
                .map(str::to_owned)
                .ok_or_else(|| cx.wrong_type("base", item, "a string, the base scenario's path"))?,
            None => return Err(cx
                .error(
                    ScenarioErrorKind::MissingKey,
                    "the sweep file has no `base`; expected the path of the scenario to sweep",
                    "",
                    None,
                )
                .with_hint(
                    "add e.g. base = \"../scenarios/erlang_c.toml\" (relative to the sweep file)",
                )),
        };
        let dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        let base_path = dir.join(&base);
        // Read once: the text hashed and edited into points is the text
        // validated.
        let base_text = Scenario::read_text(&base_path)?;
        let base_scenario = Scenario::from_text_at_within(&base_text, &base_path, limits)?;
        let base_doc: DocumentMut = base_text
            .parse()
            .expect("the base scenario was read as TOML just above");

        let replications = match top.get("replications") {
            None => base_scenario.simulation.replications,
            Some(item) => match item.as_integer() {
                Some(n) if (1..=i64::from(u32::MAX)).contains(&n) => n as u32,
                Some(n) => {
                    return Err(cx.error(
                        ScenarioErrorKind::InvalidValue,
                        format!("replications = {n}; expected a whole number ≥ 1"),
                        "replications",
                        item.span(),
                    ))
                }
                None => return Err(cx.wrong_type("replications", item, "a whole number ≥ 1")),
            },
        };
        let seed = match top.get("seed") {
            None => base_scenario.simulation.seed,
            Some(item) => match item.as_integer() {
                Some(n) if n >= 0 => n as u64,
                _ => return Err(cx.wrong_type("seed", item, "a whole number ≥ 0")),
            },
        };
        let metrics = read_metrics(&cx, top.get("metrics"))?;
        let axes = read_axes(&cx, top, &base_doc, max_points)?;
        for axis in &axes {
            let path = axis.target.scenario_path();
            let clash = match path.as_str() {
                "simulation.replications" => Some(
                    "replications per point are the sweep file's `replications`; set that instead",
                ),
                "simulation.seed" if top.contains_key("seed") => Some(
                    "the sweep file's `seed` already sets every point's seed; remove one of the two",
                ),
                _ => None,
            };
            if let Some(why) = clash {
                return Err(cx.error(
                    ScenarioErrorKind::Inconsistent,
                    format!("an axis over `{path}`: {why}"),
                    format!("axes.\"{}\"", axis.key),
                    axis.span.clone(),
                ));
            }
        }
        let seed_axis = axes
            .iter()
            .any(|a| a.target.scenario_path() == "simulation.seed");

        let base_sha256 = super::hex(&Sha256::digest(base_text.as_bytes()));
        let mut h = Sha256::new();
        h.update(b"omnisim sweep\0");
        h.update(env!("CARGO_PKG_VERSION").as_bytes());
        h.update(b"\0");
        h.update(text.as_bytes());
        h.update(b"\0");
        h.update(base_text.as_bytes());
        let sweep_sha256 = super::hex(&h.finalize());
        Ok(Sweep {
            file: path.to_path_buf(),
            base,
            base_scenario,
            base_path,
            base_doc,
            text,
            replications,
            seed,
            seed_axis,
            metrics,
            axes,
            base_sha256,
            sweep_sha256,
            limits: *limits,
        })
    }

    /// Number of points: the product of the axes' lengths.
    pub fn points(&self) -> usize {
        self.axes.iter().map(|a| a.values.len()).product()
    }

    /// The values of point `p` (0-based), one per axis: the first axis
    /// varies slowest, the last fastest, as in nested loops.
    pub fn point_values(&self, p: usize) -> Vec<&Value> {
        let mut rest = p;
        let mut out = vec![None; self.axes.len()];
        for (i, axis) in self.axes.iter().enumerate().rev() {
            let n = axis.values.len();
            out[i] = Some(&axis.values[rest % n]);
            rest /= n;
        }
        out.into_iter()
            .map(|v| v.expect("every axis set"))
            .collect()
    }

    /// `agents.Agents.count = 20, arrivals.Calls.rate_per_hour = 180`:
    /// point `p` for a person.
    pub fn describe_point(&self, p: usize) -> String {
        self.axes
            .iter()
            .zip(self.point_values(p))
            .map(|(a, v)| format!("{} = {}", a.key, v.to_string().trim()))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Point `p`'s scenario text: the base with the point's values
    /// written in.
    pub fn point_text(&self, p: usize) -> String {
        let mut doc = self.base_doc.clone();
        for (axis, value) in self.axes.iter().zip(self.point_values(p)) {
            axis.target.set(&mut doc, value);
        }
        doc.to_string()
    }

    /// Point `p`'s scenario, validated like a scenario file, with the
    /// sweep's seed. An invalid point is an error located at the axis that
    /// set the offending value (or at `[axes]` when the values only clash
    /// together), naming the point and the base's own message.
    pub fn point_scenario(&self, p: usize) -> Result<Scenario, ScenarioError> {
        let text = self.point_text(p);
        let mut scenario = Scenario::from_text_at_within(&text, &self.base_path, &self.limits)
            .map_err(|e| self.point_error(p, e))?;
        if !self.seed_axis {
            scenario.simulation.seed = self.seed;
        }
        scenario.simulation.replications = self.replications;
        Ok(scenario)
    }

    fn point_error(&self, p: usize, e: ScenarioError) -> ScenarioError {
        let label = self.file.display().to_string();
        let path = e.key_path().unwrap_or("");
        let axis = self.axes.iter().find(|a| {
            let t = a.target.scenario_path();
            path == t || path.starts_with(&format!("{t}.")) || path.starts_with(&format!("{t}["))
        });
        let (key, span) = match axis {
            Some(a) => (format!("axes.\"{}\"", a.key), a.span.clone()),
            None => (
                "axes".to_string(),
                self.axes.first().and_then(|a| a.span.clone()),
            ),
        };
        let mut inner = e.to_string();
        if let Some(hint) = e.hint() {
            inner = inner.replace(&format!("\n  hint: {hint}"), "");
        }
        let what = if axis.is_some() {
            "sets a value the base scenario refuses"
        } else {
            "gives a scenario the validator refuses"
        };
        let message = format!("point {p} ({}) {what}: {inner}", self.describe_point(p));
        ScenarioError::new(e.kind(), message)
            .in_file(label)
            .at_span(&self.text, span)
            .key(key)
            .with_maybe_hint(e.hint().map(str::to_owned))
    }
}

/// Place-giving helpers over the sweep file's text.
struct Cx<'a> {
    text: &'a str,
    label: &'a str,
}

impl Cx<'_> {
    fn error(
        &self,
        kind: ScenarioErrorKind,
        message: impl Into<String>,
        key: impl Into<String>,
        span: Option<Range<usize>>,
    ) -> ScenarioError {
        ScenarioError::new(kind, message)
            .in_file(self.label)
            .at_span(self.text, span)
            .key(key)
    }

    fn wrong_type(&self, key: &str, item: &Item, expected: &str) -> ScenarioError {
        self.error(
            ScenarioErrorKind::WrongType,
            format!("expected {expected}, found {}", item.type_name()),
            key,
            item.span(),
        )
    }
}

fn read_text(path: &Path, label: &str) -> Result<String, ScenarioError> {
    let bytes = crate::scenario::read_bounded(path, MAX_SWEEP_BYTES).map_err(|e| {
        ScenarioError::new(ScenarioErrorKind::Io, format!("cannot read the file: {e}"))
            .in_file(label)
            .with_source(e)
    })?;
    let Some(bytes) = bytes else {
        return Err(ScenarioError::new(
            ScenarioErrorKind::TooLarge,
            "the file is too large for a sweep file (over 1 MiB); a sweep file is a few lines",
        )
        .in_file(label));
    };
    crate::scenario::error::utf8_text(bytes, label)
}

fn read_metrics(cx: &Cx<'_>, item: Option<&Item>) -> Result<Vec<String>, ScenarioError> {
    let Some(item) = item else {
        return Ok(DEFAULT_METRICS.iter().map(|s| s.to_string()).collect());
    };
    let expected = "a list of metric names, e.g. [\"service_level\", \"asa_s\"]";
    let array = item
        .as_array()
        .ok_or_else(|| cx.wrong_type("metrics", item, expected))?;
    if array.is_empty() {
        return Err(cx.error(
            ScenarioErrorKind::MissingKey,
            format!("`metrics` is empty; expected {expected}"),
            "metrics",
            item.span(),
        ));
    }
    let names = || QUEUE_METRICS.iter().map(|d| d.name);
    let mut out: Vec<String> = Vec::new();
    for (i, v) in array.iter().enumerate() {
        let key = format!("metrics[{i}]");
        let Some(name) = v.as_str() else {
            return Err(cx.error(
                ScenarioErrorKind::WrongType,
                format!("expected a metric name (a string), found {}", v.type_name()),
                key,
                v.span(),
            ));
        };
        if !names().any(|n| n == name) {
            return Err(cx
                .error(
                    ScenarioErrorKind::UnknownKey,
                    format!(
                        "unknown metric `{name}`; expected one of {}",
                        list_keys(names())
                    ),
                    key,
                    v.span(),
                )
                .with_maybe_hint(suggest(name, names()).map(|s| format!("did you mean `{s}`?"))));
        }
        if out.iter().any(|m| m == name) {
            return Err(cx.error(
                ScenarioErrorKind::DuplicateName,
                format!("metric `{name}` is named twice"),
                key,
                v.span(),
            ));
        }
        out.push(name.to_string());
    }
    Ok(out)
}

fn read_axes(
    cx: &Cx<'_>,
    top: &toml_edit::Table,
    base: &DocumentMut,
    max_points: u64,
) -> Result<Vec<Axis>, ScenarioError> {
    let example = "add e.g. [axes] \"agents.Agents.count\" = [18, 20, 22]";
    let Some(item) = top.get("axes") else {
        return Err(cx
            .error(
                ScenarioErrorKind::MissingKey,
                "the sweep file has no [axes]; expected at least one key path and its values",
                "",
                None,
            )
            .with_hint(example));
    };
    let table = item
        .as_table_like()
        .ok_or_else(|| cx.wrong_type("axes", item, "a table of key paths and their values"))?;
    let mut axes = Vec::new();
    let mut points: u64 = 1;
    for (key, value) in table.iter() {
        let at = format!("axes.\"{key}\"");
        let key_span = table.key(key).and_then(|k| k.span());
        let target = resolve(key, base).map_err(|e| {
            let hint = e.hint().map(str::to_owned);
            cx.error(e.kind(), e.message().to_string(), &at, key_span.clone())
                .with_maybe_hint(hint)
        })?;
        let span = value.span().or(key_span.clone());
        let values = axis_values(cx, &at, value)?;
        points = points.saturating_mul(values.len() as u64);
        axes.push(Axis {
            key: key.to_string(),
            target,
            values,
            span,
        });
    }
    if axes.is_empty() {
        return Err(cx
            .error(
                ScenarioErrorKind::MissingKey,
                "[axes] is empty; expected at least one key path and its values",
                "axes",
                item.span(),
            )
            .with_hint(example));
    }
    if points > max_points {
        let sizes: Vec<String> = axes.iter().map(|a| a.values.len().to_string()).collect();
        return Err(cx
            .error(
                ScenarioErrorKind::TooLarge,
                format!(
                    "the grid has {} points ({}), over the limit of {max_points}",
                    if points == u64::MAX {
                        "more than 18 quintillion".to_string()
                    } else {
                        points.to_string()
                    },
                    sizes.join(" × ")
                ),
                "axes",
                item.span(),
            )
            .with_hint("shorten an axis, or raise --max-points if you mean it"));
    }
    Ok(axes)
}

/// An axis's values: a non-empty list, or a numeric range
/// `{ from, to, step }` (inclusive of `to` when the steps land on it).
fn axis_values(cx: &Cx<'_>, at: &str, item: &Item) -> Result<Vec<Value>, ScenarioError> {
    let expected =
        "a list of values, e.g. [18, 20, 22], or a range { from = 180, to = 220, step = 20 }";
    if let Some(array) = item.as_array() {
        if array.is_empty() {
            return Err(cx.error(
                ScenarioErrorKind::MissingKey,
                format!("the axis is empty; expected {expected}"),
                at,
                item.span(),
            ));
        }
        return Ok(array
            .iter()
            .map(|v| {
                let mut v = v.clone();
                v.decor_mut().clear();
                v
            })
            .collect());
    }
    let Some(range) = item.as_table_like() else {
        return Err(cx.wrong_type(at, item, expected));
    };
    for (k, _) in range.iter() {
        if !["from", "to", "step"].contains(&k) {
            return Err(cx
                .error(
                    ScenarioErrorKind::UnknownKey,
                    format!("unknown key `{k}` in a range; expected `from`, `to` and `step`"),
                    format!("{at}.{k}"),
                    range.key(k).and_then(|k| k.span()),
                )
                .with_maybe_hint(
                    suggest(k, ["from", "to", "step"]).map(|s| format!("did you mean `{s}`?")),
                ));
        }
    }
    let number = |k: &str| -> Result<(f64, bool, usize), ScenarioError> {
        let Some(v) = range.get(k) else {
            return Err(cx.error(
                ScenarioErrorKind::MissingKey,
                format!("the range has no `{k}`; expected {{ from, to, step }}"),
                at,
                item.span(),
            ));
        };
        match v.as_value() {
            Some(Value::Integer(i)) => Ok((*i.value() as f64, true, 0)),
            Some(Value::Float(f)) if f.value().is_finite() => {
                let repr = f
                    .as_repr()
                    .and_then(|r| r.as_raw().as_str())
                    .map(str::to_owned)
                    .unwrap_or_else(|| f.value().to_string());
                let decimals = repr.split_once('.').map_or(0, |(_, d)| {
                    d.chars().take_while(char::is_ascii_digit).count()
                });
                Ok((*f.value(), false, decimals))
            }
            _ => Err(cx.error(
                ScenarioErrorKind::WrongType,
                format!("`{k}` must be a number, found {}", v.type_name()),
                format!("{at}.{k}"),
                v.span(),
            )),
        }
    };
    let (from, from_int, from_dec) = number("from")?;
    let (to, to_int, to_dec) = number("to")?;
    let (step, step_int, step_dec) = number("step")?;
    if step <= 0.0 || to < from {
        return Err(cx.error(
            ScenarioErrorKind::InvalidValue,
            format!(
                "the range from {from} to {to} by {step} is empty; expected step > 0 and to ≥ from"
            ),
            at,
            item.span(),
        ));
    }
    let count = ((to - from) / step * (1.0 + 1e-12) + 1e-9).floor() + 1.0;
    if count > 1e7 {
        return Err(cx
            .error(
                ScenarioErrorKind::TooLarge,
                format!("the range from {from} to {to} by {step} has {count:.0} values"),
                at,
                item.span(),
            )
            .with_hint("use a larger step"));
    }
    let count = count as i64;
    let integers = from_int && to_int && step_int;
    let decimals = from_dec.max(step_dec).max(to_dec).min(15) as i32;
    let scale = 10f64.powi(decimals);
    Ok((0..count)
        .map(|k| {
            if integers {
                Value::from(from as i64 + k * step as i64)
            } else {
                // Rounded to the decimals the range is written in, so
                // 0.9 + 3 × 0.1 is 1.2, not 1.2000000000000002.
                Value::from(((from + k as f64 * step) * scale).round() / scale)
            }
        })
        .collect())
}
