//! The files of one value per line that `rate_profile_csv` and an
//! empirical distribution's `csv` name.

use super::{Ctx, Item, Result};
use crate::scenario::error::{ScenarioError, ScenarioErrorKind as Kind};
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
}
