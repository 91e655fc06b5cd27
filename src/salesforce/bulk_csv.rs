//! CSV as `sf data export bulk --result-format csv` writes it.
//!
//! The CLI writes the Bulk API 2.0 query result as it comes: a header of
//! the queried fields' API names, then one line per record, every value
//! in double quotes (a quote inside doubled), an empty value for a null
//! field, comma-separated, lines ending in LF (the CLI's default off
//! Windows). Numbers are plain (`42`, `1.5`), booleans `true`/`false`,
//! datetimes in UTC with milliseconds ([`super::when::format_datetime`]).

use std::io::{self, Write};

/// Writes one object's records in the export's CSV form.
#[derive(Debug)]
pub struct BulkCsv<W: Write> {
    out: csv::Writer<W>,
    width: usize,
}

impl<W: Write> BulkCsv<W> {
    /// Starts a file of records with `fields`: writes the header.
    pub fn new(out: W, fields: &[&str]) -> io::Result<BulkCsv<W>> {
        let mut out = csv::WriterBuilder::new()
            .quote_style(csv::QuoteStyle::Always)
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(out);
        out.write_record(fields).map_err(io::Error::other)?;
        Ok(BulkCsv {
            out,
            width: fields.len(),
        })
    }

    /// Writes one record: one value per field, in header order (empty for
    /// null).
    pub fn record<I, S>(&mut self, values: I) -> io::Result<()>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<[u8]>,
    {
        let row: Vec<S> = values.into_iter().collect();
        debug_assert_eq!(row.len(), self.width, "one value per field");
        self.out.write_record(row).map_err(io::Error::other)
    }

    /// Writes out what is buffered.
    pub fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    /// Flushes and returns the writer.
    pub fn finish(self) -> io::Result<W> {
        self.out
            .into_inner()
            .map_err(|e| io::Error::other(e.to_string()))
    }
}

/// An integer field.
pub fn int(v: i64) -> String {
    v.to_string()
}

/// A `double` (or `percent`) field as the API writes it: at least one
/// decimal (`1.0`, `33.33`), so a reader sees a number of that type.
pub fn double(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{v:.1}")
    } else {
        format!("{v}")
    }
}

/// A boolean field.
pub fn boolean(v: bool) -> &'static str {
    if v {
        "true"
    } else {
        "false"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_value_is_quoted_and_nulls_are_empty() {
        let mut w = BulkCsv::new(Vec::new(), &["Id", "Name", "Reason"]).unwrap();
        w.record(["0BzDn0000000001KAA", "Ann \"Lee\"", ""]).unwrap();
        w.record(["x", "a,b", "line\nbreak"]).unwrap();
        let text = String::from_utf8(w.finish().unwrap()).unwrap();
        assert_eq!(
            text,
            "\"Id\",\"Name\",\"Reason\"\n\"0BzDn0000000001KAA\",\"Ann \"\"Lee\"\"\",\"\"\n\
             \"x\",\"a,b\",\"line\nbreak\"\n"
        );
    }

    #[test]
    fn numbers_read_as_their_field_types() {
        assert_eq!(double(1.0), "1.0");
        assert_eq!(double(33.333333), "33.333333");
        assert_eq!(int(-3), "-3");
        assert_eq!(boolean(true), "true");
    }
}
