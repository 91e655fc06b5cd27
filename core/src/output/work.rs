//! `work.csv`: assembled from per-replication parts.
//!
//! Replications may run in parallel, each streaming its
//! [`WorkRecorder`](crate::stats::WorkRecorder) rows into its own part file;
//! at the end the parts are concatenated in replication order, so the file
//! is the same whatever the number of threads. Each part carries its own
//! header (so a part is a valid CSV on its own); only the first header is
//! kept.

use super::{AtomicFile, OutputError};
use crate::stats::work_csv_header_line;
use std::fs::{self, File};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

/// Where replication `replication` should stream its part of `work.csv`.
///
/// The name is hidden and matches the temporary-file pattern, so parts left
/// by a crashed run are removed by
/// [`cleanup_temp_files`](super::cleanup_temp_files).
pub fn work_part_path(dir: impl AsRef<Path>, replication: u32) -> PathBuf {
    dir.as_ref()
        .join(format!(".work.csv.tmp-part-{replication:06}"))
}

/// Atomically writes `dir/work.csv` from `parts` (in the order given:
/// replication order), keeping one header, then deletes the parts.
///
/// Streams: memory use does not depend on the size of the parts. With no
/// parts the file holds just the header. On error nothing is deleted and
/// `work.csv` keeps its previous content.
pub fn concat_work_parts(dir: impl AsRef<Path>, parts: &[PathBuf]) -> Result<PathBuf, OutputError> {
    concat_work_parts_until(dir, parts, &AtomicBool::new(false))
}

/// [`concat_work_parts`] that gives up with [`OutputError::Interrupted`]
/// as soon as `stop` is set (checked between blocks of 64 KiB), so a
/// signal during a long `work.csv` is acted on at once. Given up, it
/// leaves `work.csv` as it was and the parts in place.
pub fn concat_work_parts_until(
    dir: impl AsRef<Path>,
    parts: &[PathBuf],
    stop: &AtomicBool,
) -> Result<PathBuf, OutputError> {
    let dir = dir.as_ref();
    let dest = dir.join("work.csv");
    let out_err = OutputError::io(&dest);
    let mut out = match AtomicFile::create(dir, "work.csv") {
        Ok(f) => f,
        Err(e) => return Err(out_err(e)),
    };
    let header = work_csv_header_line();
    let write_err = |e| OutputError::Io {
        path: dest.clone(),
        source: e,
    };
    out.write_all(&header).map_err(write_err)?;
    let mut first_line = Vec::with_capacity(header.len());
    for part in parts {
        let part_err = |e| OutputError::Io {
            path: part.clone(),
            source: e,
        };
        let mut reader = BufReader::with_capacity(1 << 16, File::open(part).map_err(part_err)?);
        first_line.clear();
        reader
            .read_until(b'\n', &mut first_line)
            .map_err(part_err)?;
        if first_line != header {
            return Err(OutputError::WorkPartHeader { path: part.clone() });
        }
        // A copy loop rather than io::copy so a failure names the right
        // file: the part being read or work.csv being written.
        loop {
            if stop.load(Ordering::Relaxed) {
                return Err(OutputError::Interrupted);
            }
            let buf = reader.fill_buf().map_err(part_err)?;
            if buf.is_empty() {
                break;
            }
            let n = buf.len();
            out.write_all(buf).map_err(write_err)?;
            reader.consume(n);
        }
    }
    let path = out.commit().map_err(write_err)?;
    for part in parts {
        fs::remove_file(part).map_err(OutputError::io(part))?;
    }
    Ok(path)
}
