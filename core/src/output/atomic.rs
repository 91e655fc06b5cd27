//! Atomic file writes: readers see the old file or the complete new one,
//! never a half-written one.
//!
//! A result file is written to a hidden temporary file in the *same*
//! directory (`.NAME.tmp-<pid>-<n>`), flushed, `fsync`ed and then renamed
//! over `NAME`. Rename within one directory is atomic on POSIX file
//! systems, and the fsync before it makes sure the rename never exposes a
//! file whose data is still in the page cache after a crash. A run that
//! fails or is interrupted leaves at most a hidden temporary file, which
//! [`cleanup_temp_files`] removes.

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Marker that makes a file name recognisable as one of our temporaries.
const TMP_MARKER: &str = ".tmp-";

/// Distinguishes temporaries of one process, which may write the same
/// name from several threads (e.g. one per replication).
static COUNTER: AtomicU64 = AtomicU64::new(0);

/// A file that appears under its name only when [`AtomicFile::commit`]
/// succeeds; dropped uncommitted, it leaves nothing behind.
#[derive(Debug)]
pub struct AtomicFile {
    file: Option<BufWriter<File>>,
    temp: PathBuf,
    dest: PathBuf,
}

/// The temporary name for `name`: hidden, and marked so stale ones can be
/// found after a crash.
fn temp_name(name: &str) -> String {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!(".{name}{TMP_MARKER}{}-{n}", std::process::id())
}

impl AtomicFile {
    /// Starts writing `dir/name` (through a temporary file in `dir`).
    pub fn create(dir: impl AsRef<Path>, name: &str) -> io::Result<AtomicFile> {
        let dir = dir.as_ref();
        let temp = dir.join(temp_name(name));
        // create_new: never truncate a file someone else is writing.
        let file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)?;
        Ok(AtomicFile {
            file: Some(BufWriter::new(file)),
            temp,
            dest: dir.join(name),
        })
    }

    /// Where the file will appear.
    pub fn path(&self) -> &Path {
        &self.dest
    }

    /// The temporary file being written.
    pub fn temp_path(&self) -> &Path {
        &self.temp
    }

    /// Flushes, syncs and renames the file into place; returns its path.
    /// On error the temporary file is removed and the destination keeps
    /// its previous content (if any).
    pub fn commit(mut self) -> io::Result<PathBuf> {
        let writer = self.file.take().expect("file is present until commit");
        let result = (|| {
            let file = writer
                .into_inner()
                .map_err(io::IntoInnerError::into_error)?;
            file.sync_all()?;
            drop(file);
            fs::rename(&self.temp, &self.dest)?;
            sync_dir(self.dest.parent());
            Ok(self.dest.clone())
        })();
        if result.is_err() {
            let _ = fs::remove_file(&self.temp);
        }
        result
    }

    fn writer(&mut self) -> io::Result<&mut BufWriter<File>> {
        self.file
            .as_mut()
            .ok_or_else(|| io::Error::other("atomic file already committed"))
    }
}

/// Writes `bytes` to `dir/name` atomically (see [`AtomicFile`]); returns
/// the path.
pub fn write_atomically(dir: impl AsRef<Path>, name: &str, bytes: &[u8]) -> io::Result<PathBuf> {
    let mut f = AtomicFile::create(dir, name)?;
    f.write_all(bytes)?;
    f.commit()
}

/// A path given whole (a command-line argument) as the folder and file
/// name [`AtomicFile::create`] takes; the folder is `.` when the path has
/// none. `None` when it names no file (e.g. `..` or `/`).
pub fn split_file_path(path: &Path) -> Option<(&Path, &str)> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path.file_name()?.to_str()?;
    Some((dir, name))
}

/// Makes the rename itself durable; best effort, since not every platform
/// or file system lets a directory be opened and synced.
fn sync_dir(dir: Option<&Path>) {
    #[cfg(unix)]
    if let Some(dir) = dir {
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        if let Ok(d) = File::open(dir) {
            let _ = d.sync_all();
        }
    }
    #[cfg(not(unix))]
    let _ = dir;
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.writer()?.write(buf)
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.writer()?.write_all(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.writer()?.flush()
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if let Some(writer) = self.file.take() {
            // Not committed: the half-written file must not linger. Drop
            // the writer first so the handle is closed before removal.
            drop(writer);
            let _ = fs::remove_file(&self.temp);
        }
    }
}

/// Whether `name` is one of our temporary files (`.NAME.tmp-…`).
pub(crate) fn is_temp_name(name: &str) -> bool {
    name.starts_with('.') && name.contains(TMP_MARKER)
}

/// Removes stale temporary files (`.*.tmp-*`) left in `dir` by a crashed
/// or interrupted run; returns how many were removed. A missing directory
/// has none.
///
/// Call it before a run starts writing into `dir`: it cannot tell a stale
/// temporary from one another process is writing right now.
pub fn cleanup_temp_files(dir: impl AsRef<Path>) -> io::Result<usize> {
    let entries = match fs::read_dir(dir.as_ref()) {
        Ok(e) => e,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(e),
    };
    let mut removed = 0;
    for entry in entries {
        let entry = entry?;
        let is_stale =
            entry.file_name().to_str().is_some_and(is_temp_name) && entry.file_type()?.is_file();
        if is_stale {
            fs::remove_file(entry.path())?;
            removed += 1;
        }
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn commit_renames_into_place_and_leaves_no_temp() {
        let dir = tempfile::tempdir().unwrap();
        let mut f = AtomicFile::create(dir.path(), "a.txt").unwrap();
        let temp = f.temp_path().to_path_buf();
        assert!(temp
            .file_name()
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with(".a.txt.tmp-"));
        f.write_all(b"hello").unwrap();
        assert!(!dir.path().join("a.txt").exists(), "visible before commit");
        let path = f.commit().unwrap();
        assert_eq!(path, dir.path().join("a.txt"));
        assert_eq!(fs::read_to_string(&path).unwrap(), "hello");
        assert_eq!(names(dir.path()), ["a.txt"]);
    }

    #[test]
    fn drop_without_commit_removes_temp_and_keeps_old_content() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("a.txt"), "old").unwrap();
        {
            let mut f = AtomicFile::create(dir.path(), "a.txt").unwrap();
            f.write_all(b"new but unfinished").unwrap();
            f.flush().unwrap();
            assert!(f.temp_path().exists());
        }
        assert_eq!(names(dir.path()), ["a.txt"]);
        assert_eq!(fs::read_to_string(dir.path().join("a.txt")).unwrap(), "old");
    }

    #[test]
    fn two_writers_of_one_name_do_not_collide() {
        let dir = tempfile::tempdir().unwrap();
        let a = AtomicFile::create(dir.path(), "x").unwrap();
        let b = AtomicFile::create(dir.path(), "x").unwrap();
        assert_ne!(a.temp_path(), b.temp_path());
    }

    #[test]
    fn cleanup_removes_only_stale_temporaries() {
        let dir = tempfile::tempdir().unwrap();
        for n in [
            ".summary.json.tmp-123-0",
            ".work.csv.tmp-part-000001",
            "summary.json",
            ".keep",
        ] {
            fs::write(dir.path().join(n), "x").unwrap();
        }
        assert_eq!(cleanup_temp_files(dir.path()).unwrap(), 2);
        assert_eq!(names(dir.path()), [".keep", "summary.json"]);
        assert_eq!(cleanup_temp_files(dir.path().join("missing")).unwrap(), 0);
    }

    #[test]
    fn a_whole_path_splits_into_folder_and_name() {
        assert_eq!(
            split_file_path(Path::new("docs/img/a.svg")),
            Some((Path::new("docs/img"), "a.svg"))
        );
        assert_eq!(
            split_file_path(Path::new("a.svg")),
            Some((Path::new("."), "a.svg"))
        );
        assert_eq!(split_file_path(Path::new("/")), None);
        assert_eq!(split_file_path(Path::new("docs/..")), None);
    }

    #[test]
    fn write_atomically_leaves_only_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = write_atomically(dir.path(), "x.txt", b"hello").unwrap();
        assert_eq!(path, dir.path().join("x.txt"));
        assert_eq!(fs::read(&path).unwrap(), b"hello");
        assert_eq!(names(dir.path()), ["x.txt"]);
    }
}
