//! Errors from reading a scenario file.
//!
//! A scenario error is read by a person at a terminal, so it carries
//! everything needed to find and fix the mistake without opening the docs:
//! the file, the line and column, the key path (`queues[1].channel`, indices
//! 0-based), a message that says what was found and what was expected, and
//! where possible a hint (`did you mean "chat"?`). Like walkdir's error, it is
//! a struct with accessors rather than a public enum, so new context can be
//! added without breaking callers; callers branch on [`ScenarioError::kind`].

use std::fmt;
use std::ops::Range;

/// The class of mistake, for callers (and tests) that branch on it.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ScenarioErrorKind {
    /// The scenario file, or a CSV file it names, could not be read.
    Io,
    /// The file is not valid TOML.
    Syntax,
    /// A key or section the format does not define (usually a typo).
    UnknownKey,
    /// A required key or section is absent or empty.
    MissingKey,
    /// A value of the wrong TOML type (a string where a number belongs, …).
    WrongType,
    /// A name that refers to nothing defined (a queue naming an unknown
    /// channel, …).
    UnknownReference,
    /// Two items of one section share a name.
    DuplicateName,
    /// A single value that is malformed or out of range.
    InvalidValue,
    /// Values that are each valid but contradict each other (auto-accept
    /// with decline, a capacity weight no agent can carry, …).
    Inconsistent,
    /// A valid scenario whose run would pass a resource bound (memory,
    /// events, output size) or an arrival rate the clock cannot carry;
    /// see [`crate::scenario::bounds`].
    TooLarge,
}

/// Why a scenario file was rejected, and where.
///
/// `Display` gives `FILE:LINE:COL: KEY_PATH: MESSAGE`, leaving out the parts
/// that are unknown, followed by `\n  hint: HINT` when there is a hint.
#[derive(Debug)]
#[non_exhaustive]
pub struct ScenarioError {
    // Boxed so `Result<_, ScenarioError>` stays one pointer wide on the
    // happy path.
    inner: Box<Inner>,
}

#[derive(Debug)]
struct Inner {
    kind: ScenarioErrorKind,
    file: String,
    line: Option<usize>,
    column: Option<usize>,
    key_path: Option<String>,
    message: String,
    hint: Option<String>,
    source: Option<std::io::Error>,
}

impl ScenarioError {
    /// A bare error; the builders below add the context.
    pub fn new(kind: ScenarioErrorKind, message: impl Into<String>) -> ScenarioError {
        ScenarioError {
            inner: Box::new(Inner {
                kind,
                file: String::new(),
                line: None,
                column: None,
                key_path: None,
                message: shorten_echoes(&message.into()),
                hint: None,
                source: None,
            }),
        }
    }

    /// Sets the file label.
    pub fn in_file(mut self, file: impl Into<String>) -> ScenarioError {
        let file = file.into();
        self.inner.file = printable(&file).into_owned();
        self
    }

    /// Sets line and column from a byte offset into `text`.
    pub fn at(mut self, text: &str, offset: usize) -> ScenarioError {
        let (line, column) = line_col(text, offset);
        self.inner.line = Some(line);
        self.inner.column = Some(column);
        self
    }

    /// Sets line and column from a span, if there is one.
    pub fn at_span(self, text: &str, span: Option<Range<usize>>) -> ScenarioError {
        match span {
            Some(span) => self.at(text, span.start),
            None => self,
        }
    }

    /// Sets a line without a column (CSV files).
    pub fn at_line(mut self, line: usize) -> ScenarioError {
        self.inner.line = Some(line);
        self.inner.column = None;
        self
    }

    /// Sets the key path; an empty path means none.
    pub fn key(mut self, path: impl Into<String>) -> ScenarioError {
        let path = shorten_key_path(&path.into());
        self.inner.key_path = (!path.is_empty()).then_some(path);
        self
    }

    /// Adds a hint.
    pub fn with_hint(mut self, hint: impl Into<String>) -> ScenarioError {
        self.inner.hint = Some(shorten_echoes(&hint.into()));
        self
    }

    /// Adds a hint if there is one.
    pub fn with_maybe_hint(mut self, hint: Option<String>) -> ScenarioError {
        if let Some(hint) = hint {
            self.inner.hint = Some(shorten_echoes(&hint));
        }
        self
    }

    /// Keeps the underlying I/O error as the [`std::error::Error::source`].
    pub fn with_source(mut self, source: std::io::Error) -> ScenarioError {
        self.inner.source = Some(source);
        self
    }

    /// The class of mistake.
    pub fn kind(&self) -> ScenarioErrorKind {
        self.inner.kind
    }

    /// The file label: the path given to `from_path`, the label given to
    /// `from_toml_str`, or the CSV file whose content is wrong.
    pub fn file(&self) -> &str {
        &self.inner.file
    }

    /// 1-based line, when the mistake has a place in a file.
    pub fn line(&self) -> Option<usize> {
        self.inner.line
    }

    /// 1-based column in characters, when known.
    pub fn column(&self) -> Option<usize> {
        self.inner.column
    }

    /// Where in the scenario, e.g. `queues[1].channel` (array indices are
    /// 0-based, in file order).
    pub fn key_path(&self) -> Option<&str> {
        self.inner.key_path.as_deref()
    }

    /// What was found and what was expected, in lowercase prose.
    pub fn message(&self) -> &str {
        &self.inner.message
    }

    /// A suggested fix, e.g. ``did you mean `routing_model`?``.
    pub fn hint(&self) -> Option<&str> {
        self.inner.hint.as_deref()
    }
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.inner.file.is_empty() {
            write!(f, "{}:", self.inner.file)?;
            if let Some(line) = self.inner.line {
                write!(f, "{line}:")?;
                if let Some(column) = self.inner.column {
                    write!(f, "{column}:")?;
                }
            }
            f.write_str(" ")?;
        }
        if let Some(path) = &self.inner.key_path {
            write!(f, "{path}: ")?;
        }
        f.write_str(&self.inner.message)?;
        if let Some(hint) = &self.inner.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ScenarioError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.inner
            .source
            .as_ref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// Longest value echoed back in a message, in characters; longer ones are
/// cut with `…`. A message quotes the value so the user can find it, and 80
/// characters find it as well as 100,000 do.
pub const MAX_ECHO_CHARS: usize = 80;

/// Longest message or hint, in characters. Lists of keys stay well below
/// it; only an echoed value with spaces in it (which the quoted-value rule
/// misses when it is not quoted) can reach it.
pub const MAX_MESSAGE_CHARS: usize = 1000;

/// Longest run of digits a message spells out: a `u64` has 20. A longer
/// number (a float such as `1e300` printed in full) is written in
/// scientific notation instead, e.g. `1e300` or `1.235e22`.
pub const MAX_SPELLED_DIGITS: usize = 20;

/// Cuts every quoted value (between `"…"` or `` `…` ``) longer than
/// [`MAX_ECHO_CHARS`] and the whole text beyond [`MAX_MESSAGE_CHARS`], so a
/// mistake in a huge value yields a message that fits on a screen. Long
/// numbers are abbreviated first ([`sanitize`]), so a cut never leaves
/// the first digits of one to pass for a smaller number; control
/// characters are escaped, the line breaks of a quoted value (a name)
/// too, so the message keeps the lines it was given.
pub fn shorten_echoes(text: &str) -> String {
    let text = &sanitize(text);
    let mut out = String::with_capacity(text.len().min(MAX_MESSAGE_CHARS + 8));
    let mut chars = text.chars().peekable();
    let mut total = 0usize;
    while let Some(c) = chars.next() {
        if total >= MAX_MESSAGE_CHARS {
            out.push('…');
            return sanitize(&out);
        }
        out.push(c);
        total += 1;
        if c == '"' || c == '`' {
            // Copy the quoted part up to its closing quote, keeping at most
            // MAX_ECHO_CHARS of it.
            let mut kept = 0usize;
            let mut cut = false;
            while let Some(&next) = chars.peek() {
                if next == c {
                    break;
                }
                chars.next();
                if kept < MAX_ECHO_CHARS {
                    push_printable(&mut out, next);
                    kept += 1;
                    total += 1;
                } else if !cut {
                    out.push('…');
                    cut = true;
                }
            }
            // The closing quote, so it is not read as an opening one.
            if let Some(close) = chars.next() {
                out.push(close);
                total += 1;
            }
        }
    }
    sanitize(&out)
}

/// `c`, or its escape (`\n`, `\u{1b}`) when it is a control character,
/// which a terminal would act on rather than show.
fn push_printable(out: &mut String, c: char) {
    if c.is_control() {
        out.extend(c.escape_debug());
    } else {
        out.push(c);
    }
}

/// `text` with every control character escaped (`\n`, `\t`, `\u{1b}`):
/// a name or a path as a message quotes it, so that what a file holds can
/// never move the cursor, colour the terminal or start a line of its own.
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        push_printable(&mut out, c);
    }
    std::borrow::Cow::Owned(out)
}

/// A message made safe to print: control characters escaped except the
/// line breaks that separate its lines (a hint), and every number of more
/// than [`MAX_SPELLED_DIGITS`] digits abbreviated (`1e300`, not 301
/// digits). Every error and warning the command prints goes through it.
pub fn sanitize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(|c: char| c.is_ascii_digit() || (c.is_control() && c != '\n'))
    {
        let (before, from) = rest.split_at(start);
        out.push_str(before);
        let c = from.chars().next().unwrap_or(' ');
        if !c.is_ascii_digit() {
            out.extend(c.escape_debug());
            rest = &from[c.len_utf8()..];
            continue;
        }
        // A number: digits, a fraction, an exponent.
        let len = number_len(from);
        let (number, after) = from.split_at(len);
        let digits = number.bytes().filter(u8::is_ascii_digit).count();
        let glued = out
            .chars()
            .last()
            .is_some_and(|c| c.is_alphanumeric() || c == '_');
        match number.parse::<f64>() {
            Ok(v) if digits > MAX_SPELLED_DIGITS && !glued => out.push_str(&scientific(v)),
            _ => out.push_str(number),
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

/// Bytes of the number at the start of `text`: digits, then `.digits`,
/// then `e±digits`.
fn number_len(text: &str) -> usize {
    let b = text.as_bytes();
    let digits = |mut i: usize| {
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        i
    };
    let mut i = digits(0);
    if i + 1 < b.len() && b[i] == b'.' && b[i + 1].is_ascii_digit() {
        i = digits(i + 1);
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        let mut j = i + 1;
        if j < b.len() && (b[j] == b'+' || b[j] == b'-') {
            j += 1;
        }
        if j < b.len() && b[j].is_ascii_digit() {
            i = digits(j);
        }
    }
    i
}

/// `v` in scientific notation with at most four significant digits:
/// `1e300`, `1.235e22`.
fn scientific(v: f64) -> String {
    let text = format!("{v:.3e}");
    match text.split_once('e') {
        Some((mantissa, exponent)) if mantissa.contains('.') => {
            let mantissa = mantissa.trim_end_matches('0').trim_end_matches('.');
            format!("{mantissa}e{exponent}")
        }
        _ => text,
    }
}

/// A key path with every part longer than [`MAX_ECHO_CHARS`] cut, since an
/// unknown key is echoed in the path as typed.
fn shorten_key_path(path: &str) -> String {
    path.split('.')
        .map(|part| {
            let part = printable(part);
            if part.chars().count() > MAX_ECHO_CHARS {
                part.chars().take(MAX_ECHO_CHARS).chain(['…']).collect()
            } else {
                part.into_owned()
            }
        })
        .collect::<Vec<String>>()
        .join(".")
}

/// The scenario file's bytes as text, or a located error at the first byte
/// that is not UTF-8 (line and column of that byte, counting the valid text
/// before it).
pub fn utf8_text(bytes: Vec<u8>, file: &str) -> Result<String, ScenarioError> {
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        let valid = std::str::from_utf8(&bytes[..at]).unwrap_or_default();
        let end = (at + e.utf8_error().error_len().unwrap_or(bytes.len() - at)).min(bytes.len());
        let shown: Vec<String> = bytes[at..end.min(at + 4)]
            .iter()
            .map(|b| format!("0x{b:02X}"))
            .collect();
        ScenarioError::new(
            ScenarioErrorKind::Syntax,
            format!(
                "the file is not UTF-8 text: byte {} ({}) at byte offset {at} is not valid UTF-8",
                shown.join(" "),
                if e.utf8_error().error_len().is_some() {
                    "an invalid sequence"
                } else {
                    "a sequence cut short by the end of the file"
                }
            ),
        )
        .in_file(file)
        .at(valid, at)
        .with_hint("save the scenario as UTF-8 text (TOML files are UTF-8)")
    })
}

/// 1-based line and character column of a byte offset (clamped to the text).
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

/// The closest of `options` to `found`, if it is close enough to be the
/// likely intent. Case differences count as nothing, because a name that
/// differs only in case is almost always the one meant.
pub fn suggest<'a, I>(found: &str, options: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let found_lower = found.to_lowercase();
    let mut best: Option<(usize, &'a str)> = None;
    for option in options {
        let distance = strsim::osa_distance(&found_lower, &option.to_lowercase());
        if !matches!(best, Some((d, _)) if d <= distance) {
            best = Some((distance, option));
        }
    }
    let (distance, option) = best?;
    // Short words are only "close" with one or two edits; otherwise any
    // two-letter key would be suggested for any other.
    let limit = (found.chars().count().max(option.chars().count()) / 3).clamp(1, 3);
    (distance <= limit).then_some(option)
}

/// `a`, `b` and `c` style list of backquoted keys.
pub fn list_keys<'a>(keys: impl IntoIterator<Item = &'a str>) -> String {
    list_with(keys, |k| format!("`{k}`"))
}

/// `"a"`, `"b"`, … list of quoted names, cut short when long.
pub fn list_names<'a>(names: impl IntoIterator<Item = &'a str>) -> String {
    list_with(names, |n| format!("\"{n}\""))
}

fn list_with<'a>(
    items: impl IntoIterator<Item = &'a str>,
    quote: impl Fn(&str) -> String,
) -> String {
    const MAX: usize = 12;
    let items: Vec<&str> = items.into_iter().collect();
    let mut parts: Vec<String> = items.iter().take(MAX).map(|s| quote(s)).collect();
    if items.len() > MAX {
        parts.push(format!("… ({} more)", items.len() - MAX));
    }
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_numbers_are_abbreviated_before_a_value_is_cut() {
        let hundred = format!("1{}", "0".repeat(100));
        let shown = shorten_echoes(&format!(
            "found floating point `{hundred}`, expected an integer"
        ));
        assert_eq!(shown, "found floating point `1e100`, expected an integer");
        // A u64 is spelled out; a name's digits are left alone.
        let shown = shorten_echoes("18446744073709551615 in group \"g12345678901234567890123\"");
        assert_eq!(
            shown,
            "18446744073709551615 in group \"g12345678901234567890123\""
        );
    }

    #[test]
    fn control_characters_of_a_name_are_escaped() {
        let shown = shorten_echoes("group \"a\u{1b}[31mred\nb\"\nnext line");
        assert_eq!(shown, "group \"a\\u{1b}[31mred\\nb\"\nnext line");
        assert_eq!(printable("x\ty"), "x\\ty");
        assert_eq!(printable("plain"), "plain");
    }

    #[test]
    fn display_has_every_known_part() {
        let e = ScenarioError::new(ScenarioErrorKind::UnknownKey, "unknown key `routng_model`")
            .in_file("s.toml")
            .at("a\nbc = 1\n", 5)
            .key("queues[0].routng_model")
            .with_hint("did you mean `routing_model`?");
        assert_eq!(
            e.to_string(),
            "s.toml:2:4: queues[0].routng_model: unknown key `routng_model`\n  hint: did you mean `routing_model`?"
        );
        let bare = ScenarioError::new(ScenarioErrorKind::Io, "cannot read").in_file("x.toml");
        assert_eq!(bare.to_string(), "x.toml: cannot read");
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        assert_eq!(line_col("é = 1", 3), (1, 3));
        assert_eq!(line_col("x\n", 99), (2, 1));
    }

    #[test]
    fn suggestions_need_to_be_close() {
        let keys = ["routing_model", "priority", "push_timeout"];
        assert_eq!(suggest("routng_model", keys), Some("routing_model"));
        assert_eq!(suggest("Priority", keys), Some("priority"));
        assert_eq!(suggest("colour", keys), None);
        assert_eq!(suggest("chta", ["chat", "case"]), Some("chat"));
    }

    #[test]
    fn long_echoed_values_are_cut() {
        let long = "x".repeat(100_000);
        let e = ScenarioError::new(
            ScenarioErrorKind::UnknownReference,
            format!("unknown channel \"{long}\"; defined channels are \"chat\""),
        );
        let expected = format!(
            "unknown channel \"{}…\"; defined channels are \"chat\"",
            "x".repeat(MAX_ECHO_CHARS)
        );
        assert_eq!(e.message(), expected);
        let spaced = "ab ".repeat(50_000);
        let e = ScenarioError::new(ScenarioErrorKind::InvalidValue, spaced)
            .with_hint(format!("`{long}`"));
        assert_eq!(e.message().chars().count(), MAX_MESSAGE_CHARS + 1);
        assert!(e.message().ends_with('…'));
        assert_eq!(e.hint().unwrap().chars().count(), MAX_ECHO_CHARS + 3);
        let e = ScenarioError::new(ScenarioErrorKind::UnknownKey, "x")
            .key(format!("simulation.{long}"));
        assert_eq!(
            e.key_path().unwrap(),
            format!("simulation.{}…", "x".repeat(MAX_ECHO_CHARS))
        );
        // Short values are kept whole.
        assert_eq!(
            shorten_echoes("unknown key `routng`"),
            "unknown key `routng`"
        );
    }

    #[test]
    fn invalid_utf8_is_located_at_its_first_bad_byte() {
        let e = utf8_text(b"a = 1\nb\xc3\xa9 = \xff2\n".to_vec(), "s.toml").unwrap_err();
        assert_eq!(e.kind(), ScenarioErrorKind::Syntax);
        assert_eq!((e.line(), e.column()), (Some(2), Some(6)));
        assert!(e.message().contains("0xFF"), "{}", e.message());
        assert!(e.message().contains("byte offset 12"), "{}", e.message());
        let cut = utf8_text(b"a = \"\xc3".to_vec(), "s.toml").unwrap_err();
        assert_eq!((cut.line(), cut.column()), (Some(1), Some(6)));
        assert!(cut.message().contains("cut short"), "{}", cut.message());
        assert_eq!(utf8_text(b"a = 1".to_vec(), "s.toml").unwrap(), "a = 1");
    }
}
