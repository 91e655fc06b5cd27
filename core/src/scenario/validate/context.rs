//! What every section is checked with: the [`Ctx`] of the file, the
//! [`Item`] being checked, the [`Names`] of a section, and the checks
//! shared by all sections (required keys, durations, probabilities,
//! counts, names and references to them), so that one mistake reads the
//! same wherever it is made.

use super::Result;
use crate::scenario::error::{list_names, suggest, ScenarioError, ScenarioErrorKind as Kind};
use crate::scenario::raw::{describe_item, RawDuration};
use crate::time::SimDuration;
use rustc_hash::FxHashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use toml::Spanned;
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
    pub limits: &'a crate::scenario::bounds::Limits,
}

/// The item being checked, for key paths and messages.
#[derive(Clone)]
pub(in crate::scenario) struct Item {
    pub(in crate::scenario) section: &'static str,
    pub(in crate::scenario) index: Option<usize>,
    pub(in crate::scenario) span: Range<usize>,
    pub(in crate::scenario) label: String,
}

impl Item {
    pub(in crate::scenario) fn path(&self, key: &str) -> String {
        match self.index {
            Some(i) => format!("{}[{i}].{key}", self.section),
            None => format!("{}.{key}", self.section),
        }
    }
}

impl Ctx<'_> {
    pub(in crate::scenario) fn err(
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
    pub(in crate::scenario) fn at<T>(
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

    pub(in crate::scenario) fn missing(
        &self,
        item: &Item,
        key: &str,
        expected: &str,
    ) -> ScenarioError {
        self.err(
            Kind::MissingKey,
            Some(item.span.clone()),
            item.path(key),
            format!("{}: missing required key `{key}` ({expected})", item.label),
        )
    }

    pub(in crate::scenario) fn required<'r, T>(
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
    pub(super) fn section<'r, T>(
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

    pub(in crate::scenario) fn positive(
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
    pub(in crate::scenario) fn whole_seconds(
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

    pub(in crate::scenario) fn probability(
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

    pub(in crate::scenario) fn count_u32(
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
    pub(in crate::scenario) fn name(
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
            let (line, _) = crate::scenario::error::line_col(self.text, names.spans[first].start);
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
    pub(in crate::scenario) fn resolve(
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

    pub(in crate::scenario) fn resolve_path(&self, relative: &str) -> PathBuf {
        let p = Path::new(relative);
        if p.is_absolute() || self.base_dir.as_os_str().is_empty() {
            p.to_path_buf()
        } else {
            self.base_dir.join(p)
        }
    }
}

pub(super) fn table(section: &str) -> String {
    crate::scenario::raw::describe_table(section)
}

/// `s` with its first letter in lower case, to go after a colon in a
/// message ("No such file" → "no such file"); a word in capitals such as
/// "CSV" or "UTF-8" is left as it is.
pub(in crate::scenario) fn lower_first(s: &str) -> String {
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
pub(in crate::scenario) struct Names {
    pub(in crate::scenario) names: Vec<String>,
    spans: Vec<Range<usize>>,
    index: FxHashMap<String, usize>,
}

impl Names {
    pub(in crate::scenario) fn position(&self, name: &str) -> Option<usize> {
        self.index.get(name).copied()
    }
    fn push(&mut self, name: String, span: Range<usize>) {
        self.index.entry(name.clone()).or_insert(self.names.len());
        self.names.push(name);
        self.spans.push(span);
    }
}

pub(in crate::scenario) fn item<T>(section: &'static str, index: usize, raw: &Spanned<T>) -> Item {
    Item {
        section,
        index: Some(index),
        span: raw.span(),
        label: describe_item(section, None),
    }
}
