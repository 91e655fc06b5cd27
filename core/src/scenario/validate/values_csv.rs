//! The files of one value per line that `rate_profile_csv` and an
//! empirical distribution's `csv` name, read with the `csv` crate like
//! every other CSV input (forecasts, rosters): a value may be quoted.

use super::{lower_first, Ctx, Item, Result};
use crate::scenario::error::{ScenarioError, ScenarioErrorKind as Kind};
use crate::scenario::input::RecordStarts;
use toml::Spanned;

impl Ctx<'_> {
    /// Reads a one-value-per-line CSV file: blank lines and `#` comments are
    /// skipped, and a first line that is not a value is taken as a header.
    pub(super) fn read_values_csv(
        &self,
        item: &Item,
        key: &str,
        file: &Spanned<String>,
        parse: impl Fn(&str) -> std::result::Result<f64, String>,
    ) -> Result<Vec<f64>> {
        let label = self.resolve_path(file.get_ref()).display().to_string();
        let bytes = self.read_input(item, key, file, "one value per line")?;
        let text = utf8_text(bytes, &label, &item.path(key))?;
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        // Until a line has been read as a value, the file may be no
        // values file at all (a wrong path): its lines are then not
        // repeated, only their place and what was expected.
        let located = |line: usize, message: String| {
            ScenarioError::new(Kind::InvalidValue, message)
                .in_file(&label)
                .at_line(line)
                .key(item.path(key))
        };
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .comment(Some(b'#'))
            .from_reader(text.as_bytes());
        let mut values = Vec::new();
        let mut first = true;
        let mut starts = RecordStarts::new(text.as_bytes());
        for record in reader.records() {
            let placed = match &record {
                Ok(r) => r.position(),
                Err(e) => e.position(),
            }
            .map_or(0, |p| p.byte() as usize);
            let (at, line) = starts.of(placed);
            let record = record.map_err(|e| {
                located(
                    line,
                    format!(
                        "not a readable CSV file: {} (for {})",
                        lower_first(&e.to_string()),
                        item.path(key)
                    ),
                )
            })?;
            // The line as written, for comments and messages.
            let written = text[at..]
                .split(['\n', '\r'])
                .next()
                .unwrap_or("")
                .trim()
                .trim_start_matches('\u{feff}');
            if written.is_empty() || written.starts_with('#') {
                continue;
            }
            let is_first = std::mem::replace(&mut first, false);
            let t = one_cell(&record, written, line, values.is_empty())
                .map_err(|what| located(line, format!("{what} (for {})", item.path(key))))?;
            match parse(t) {
                Ok(v) => values.push(v),
                Err(_) if is_first && t.chars().any(|c| c.is_alphabetic()) => {}
                Err(why) if values.is_empty() => {
                    let expected = why.split_once("; expected ").map_or("a value", |(_, e)| e);
                    return Err(located(
                        line,
                        format!(
                            "line {line} is not a value; expected {expected}, one per line (for {})",
                            item.path(key)
                        ),
                    )
                    .with_hint("check that the path names the file you meant"));
                }
                Err(why) => return Err(located(line, format!("{why} (for {})", item.path(key)))),
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
}

/// The one cell of `record`, the line `written` at `line`, or what is
/// wrong with it: several columns, in any of the usual separators. Before
/// any value (`no_value_yet`) the line is not repeated: it may be the
/// first line of some other file.
fn one_cell<'r>(
    record: &'r csv::StringRecord,
    written: &str,
    line: usize,
    no_value_yet: bool,
) -> std::result::Result<&'r str, String> {
    let t = record.get(0).unwrap_or("").trim();
    let t = t.trim_start_matches('\u{feff}');
    // A quote left open swallows the lines after it into one value; say
    // so at its line rather than quote the rest of the file back.
    if t.contains(['\n', '\r']) {
        return Err(format!(
            "line {line} opens a quoted value that runs past the end of the line (a `\"` left open?); expected one value per line"
        ));
    }
    if record.len() > 1 || t.contains([',', ';', '\t']) {
        let what = if no_value_yet {
            format!("line {line} has several columns")
        } else {
            format!("found several columns in \"{written}\"")
        };
        return Err(format!("{what}; expected one value per line"));
    }
    Ok(t)
}

/// `bytes` as text, or an error at the line of the first byte that is not
/// UTF-8 (`path` is the key that names the file `label`).
fn utf8_text(bytes: Vec<u8>, label: &str, path: &str) -> Result<String> {
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let line = 1 + e.as_bytes()[..valid]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        ScenarioError::new(
            Kind::InvalidValue,
            format!("the file is not UTF-8 text (byte {valid}; for {path})"),
        )
        .in_file(label)
        .at_line(line)
        .key(path)
    })
}
