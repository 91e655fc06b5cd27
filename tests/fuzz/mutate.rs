//! Structured mutations of a scenario file, for the generated-scenario
//! checks.
//!
//! Shared by `tests/generated_scenarios.rs` (proptest drives it over the
//! parser and validator) and `examples/generate_scenarios.rs` (writes files
//! for `scripts/fuzz-check.sh`, which runs `check` and `run` on them).
//! A mutation is chosen by one `u64`, so both drivers reproduce a file from
//! a list of numbers: proptest shrinks the list, the example draws it from a
//! seeded generator.
//!
//! The mutations are the mistakes and extremes a person or a script makes:
//! a key removed, duplicated or given another type, numbers at the edges of
//! their ranges, odd strings (empty, huge, control characters, durations
//! that overflow), and raw byte edits that break TOML or UTF-8.

/// Values of another TOML type than the one a key expects.
const RETYPED: &[&str] = &[
    "\"x\"",
    "true",
    "[]",
    "{}",
    "1.5",
    "-1",
    "0",
    "[1, \"a\"]",
    "{ dist = \"x\" }",
];

/// Numbers at the edges: zero, negative, huge, tiny, non-finite.
const EXTREME_NUMBERS: &[&str] = &[
    "0",
    "-0",
    "-1",
    "1e308",
    "-1e308",
    "9223372036854775807",
    "-9223372036854775808",
    "4294967296",
    "99999999999999999999",
    "nan",
    "inf",
    "-inf",
    "1e-300",
    "0.000001",
    "1e9",
    "1e12",
];

/// Strings a scenario does not expect: empty, units at their edges,
/// control characters, non-ASCII, a long run.
const ODD_STRINGS: &[&str] = &[
    "\"\"",
    "\" \"",
    "\"1us\"",
    "\"1ns\"",
    "\"584542y\"",
    "\"-5m\"",
    "\"25:00\"",
    "\"23:59:60\"",
    "\"\\u0000\"",
    "\"\\u0001x\"",
    "\"é✓\"",
    "\"Available\"",
    "\"chat\"",
    "\"0s\"",
    "\"1e9h\"",
    "'''multi\nline'''",
];

/// Bytes inserted or written over by a byte edit.
const BYTES: &[u8] = &[
    0x00, 0x01, 0x7F, 0xFF, 0xC3, b'"', b'[', b']', b'=', b'\n', b'#', b'.', b'\\', b'{',
];

/// Splits a choice into a mutation kind and two operands.
fn parts(choice: u64) -> (u64, usize, usize) {
    (
        choice % 10,
        ((choice >> 8) % 1_000_003) as usize,
        ((choice >> 32) % 1_000_003) as usize,
    )
}

/// Indices of the lines that set a key (`key = value`), the targets of the
/// key-level mutations.
fn key_lines(lines: &[Vec<u8>]) -> Vec<usize> {
    lines
        .iter()
        .enumerate()
        .filter(|(_, l)| {
            let t = String::from_utf8_lossy(l);
            let t = t.trim_start();
            !t.starts_with('#') && !t.starts_with('[') && t.contains('=')
        })
        .map(|(i, _)| i)
        .collect()
}

/// `line` with its value replaced by `value`, keeping the key.
fn with_value(line: &[u8], value: &str) -> Vec<u8> {
    let eq = line.iter().position(|&b| b == b'=').unwrap_or(line.len());
    let mut out = line[..eq].to_vec();
    out.extend_from_slice(b"= ");
    out.extend_from_slice(value.as_bytes());
    out
}

/// Applies one mutation, chosen by `choice`, to the file's bytes.
pub fn mutate_once(text: &[u8], choice: u64) -> Vec<u8> {
    let mut lines: Vec<Vec<u8>> = text.split(|&b| b == b'\n').map(<[u8]>::to_vec).collect();
    let keys = key_lines(&lines);
    let (kind, a, b) = parts(choice);
    let key_at = |n: usize| keys.get(n % keys.len().max(1)).copied();
    match kind {
        // Remove a key.
        0 => {
            if let Some(i) = key_at(a) {
                lines.remove(i);
            }
        }
        // Duplicate a line (a key set twice, a header repeated).
        1 => {
            let i = a % lines.len();
            let line = lines[i].clone();
            lines.insert(i, line);
        }
        // Give a key a value of another type.
        2 => {
            if let Some(i) = key_at(a) {
                lines[i] = with_value(&lines[i], RETYPED[b % RETYPED.len()]);
            }
        }
        // An extreme number.
        3 | 4 => {
            if let Some(i) = key_at(a) {
                lines[i] = with_value(&lines[i], EXTREME_NUMBERS[b % EXTREME_NUMBERS.len()]);
            }
        }
        // An odd string.
        5 => {
            if let Some(i) = key_at(a) {
                lines[i] = with_value(&lines[i], ODD_STRINGS[b % ODD_STRINGS.len()]);
            }
        }
        // A long value.
        6 => {
            if let Some(i) = key_at(a) {
                let long = format!("\"{}\"", "w".repeat(200 + b % 5_000));
                lines[i] = with_value(&lines[i], &long);
            }
        }
        // Swap two lines (a key moves to another section).
        7 => {
            let (i, j) = (a % lines.len(), b % lines.len());
            lines.swap(i, j);
        }
        // Byte edits: insert, overwrite or delete one byte.
        _ => {
            let mut bytes = lines.join(&b'\n');
            if bytes.is_empty() {
                return bytes;
            }
            let at = a % bytes.len();
            let byte = BYTES[b % BYTES.len()];
            match b % 3 {
                0 => bytes.insert(at, byte),
                1 => bytes[at] = byte,
                _ => {
                    bytes.remove(at);
                }
            }
            return bytes;
        }
    }
    lines.join(&b'\n')
}

/// Applies the mutations in order.
pub fn mutate(text: &[u8], choices: &[u64]) -> Vec<u8> {
    choices
        .iter()
        .fold(text.to_vec(), |text, &c| mutate_once(&text, c))
}
