//! Reading a data file a scenario key names (`forecast_csv`,
//! `roster_csv`, `rate_profile_csv`, …): one place, so that every such
//! key reads only a regular file of bounded size and says the same thing
//! when it cannot.
//!
//! A path may name anything: a named pipe (reading it would block until
//! something writes to it), a device such as `/dev/zero` (which never
//! ends), a folder. Such a path is refused before a byte is read, saying
//! what it names; a regular file larger than [`super::MAX_CSV_BYTES`] is
//! refused without being read whole.

use super::error::{ScenarioError, ScenarioErrorKind as Kind};
use super::validate::{lower_first, Ctx, Item};
use std::path::Path;
use toml::Spanned;

impl Ctx<'_> {
    /// The bytes of the file `file` (the value of `key` of `item`) names,
    /// resolved by [`Ctx::resolve_path`]. `expected` says what the file
    /// should hold ("a forecast file", "one value per line") for the
    /// messages. Errors are located at the key's value.
    pub(super) fn read_input(
        &self,
        item: &Item,
        key: &str,
        file: &Spanned<String>,
        expected: &str,
    ) -> Result<Vec<u8>, ScenarioError> {
        let path = self.resolve_path(file.get_ref());
        let label = path.display().to_string();
        match super::read_bounded(&path, super::MAX_CSV_BYTES) {
            Ok(Some(bytes)) => Ok(bytes),
            Ok(None) => Err(self.at(
                Kind::InvalidValue,
                item,
                key,
                file,
                format!(
                    "\"{label}\" is larger than {} MiB; expected {expected}",
                    super::MAX_CSV_BYTES / (1024 * 1024)
                ),
            )),
            Err(e) if e.kind() == std::io::ErrorKind::InvalidInput => Err(self
                .at(
                    Kind::InvalidValue,
                    item,
                    key,
                    file,
                    format!("\"{label}\": {e}; expected {expected}"),
                )
                .with_hint(
                    "give the path of a regular file: a pipe, a device or a folder is never read",
                )),
            Err(e) => {
                let mut err = self.at(
                    Kind::Io,
                    item,
                    key,
                    file,
                    format!("cannot read \"{label}\": {}", lower_first(&e.to_string())),
                );
                if e.kind() == std::io::ErrorKind::NotFound
                    && !Path::new(file.get_ref()).is_absolute()
                {
                    err = err.with_hint(if self.base_dir.as_os_str().is_empty() {
                        "the path is relative to the current folder"
                    } else {
                        "the path is relative to the scenario file's folder"
                    });
                }
                Err(err.with_source(e))
            }
        }
    }
}

/// Where the records of a CSV text really start. The `csv` crate gives a
/// record the position at which it began reading it, which lies before
/// the blank lines and `#` comments it skipped on the way; this walks past
/// them, as it did, to the record's first byte and counts the lines to it,
/// so an error names the record's own line.
pub(super) struct RecordStarts<'t> {
    text: &'t [u8],
    /// The last start found, and its line (1-based).
    byte: usize,
    line: usize,
}

impl<'t> RecordStarts<'t> {
    /// The starts of the records of `text`, read with comments marked by
    /// `#`.
    pub(super) fn new(text: &'t [u8]) -> RecordStarts<'t> {
        RecordStarts {
            text,
            byte: 0,
            line: 1,
        }
    }

    /// The first byte and the line of the record the `csv` crate placed at
    /// `byte`; records must be asked for in file order.
    pub(super) fn of(&mut self, byte: usize) -> (usize, usize) {
        let mut at = byte.max(self.byte);
        loop {
            match self.text.get(at) {
                Some(b'\r' | b'\n') => at += 1,
                Some(b'#') => {
                    at = self.text[at..]
                        .iter()
                        .position(|&b| b == b'\n')
                        .map_or(self.text.len(), |i| at + i + 1)
                }
                _ => break,
            }
        }
        self.line += self.text[self.byte..at]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        self.byte = at;
        (at, self.line)
    }

    /// Moves `record`'s position to its own first byte and line, so that
    /// whoever reads `record.position()` later names the right line.
    pub(super) fn place(&mut self, record: &mut csv::StringRecord) {
        if let Some(p) = record.position() {
            let (byte, line) = self.of(p.byte() as usize);
            let mut own = p.clone();
            own.set_byte(byte as u64).set_line(line as u64);
            record.set_position(Some(own));
        }
    }
}
