//! A result set that is whole or absent: written into a staging folder,
//! then switched in as a whole.
//!
//! [`AtomicFile`](super::AtomicFile) makes each file atomic, but a set of
//! files is only consistent if it changes as one: a run that fails after
//! `summary.json` but before `work.csv` would otherwise leave the new
//! summary beside the old work items. So a command that writes a set
//! ([`Staging::begin`]) writes every file, part files included, into a
//! hidden folder beside the target — same parent, so on the same file
//! system — named `.<name>.staging-<pid>`, and [`Staging::commit`]
//! switches it in:
//!
//! 1. the previous folder is renamed aside, to `.<name>.old-<pid>`;
//! 2. the staging folder is renamed to the target;
//! 3. the folder set aside is removed.
//!
//! A reader of the target therefore sees the previous set or the new one,
//! never files of two runs (between steps 1 and 2, a few microseconds,
//! the target is absent). Until step 2 succeeds the previous set is where
//! it was; if step 2 fails it is renamed back. A [`Staging`] dropped
//! without being committed — an error, a signal — removes its folder and
//! everything in it.
//!
//! **Files omnisim did not write.** The switch replaces the folder, so a
//! file a user put in it (notes, a spreadsheet) would go with the old
//! set. Rather than move such files between sets, a target that holds
//! anything but omnisim's result files ([`RESULT_FILES`], or for another
//! kind of folder what its [`Holds`] accepts, and hidden temporaries of an
//! earlier run) is refused before anything is written:
//! [`OutputError::ForeignFiles`], an input error naming the files. So is
//! `/`, or any folder of other things given by mistake.
//!
//! **Crashes.** A process killed outright (`kill -9`, power loss) leaves
//! its staging folder, and — if it died between steps 1 and 3 — its
//! `.old-` folder. [`Staging::begin`] clears the leftovers of processes
//! that no longer run before it starts: a staging folder is removed; an
//! `.old-` folder is removed when the target exists (the switch was done)
//! and renamed back to the target when it does not (the process died
//! between steps 1 and 2, so it holds the previous set).

use super::atomic::is_temp_name;
use super::OutputError;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// Every file name an omnisim command writes into a result folder:
/// `run` (with `--report`, `--xlsx`), `report`, `plan`, `schedule`,
/// `calibrate` and `replay`. A folder holding only these, the folders of
/// [`RESULT_FOLDERS`] and hidden temporaries can be replaced as a whole.
pub const RESULT_FILES: [&str; 20] = [
    "summary.json",
    "engine.json",
    "intervals.csv",
    "agents.csv",
    "work.csv",
    "scenario.toml",
    "report.html",
    "staffing.csv",
    "plan.json",
    "staffing.html",
    "results.xlsx",
    "forecast.csv",
    "roster.csv",
    "calibration.json",
    "calibration.html",
    "replay.csv",
    "replay.json",
    "replay.html",
    "schedule.json",
    "schedule.html",
];

/// Folders a command writes inside a result folder, each holding only
/// CSV files: the Salesforce export of `run --salesforce`.
pub const RESULT_FOLDERS: [&str; 1] = ["salesforce"];

/// What a kind of result folder may hold, besides hidden temporaries:
/// whether an entry of that name (a folder when the flag is set) is one
/// of the command's own. A folder holding anything else is refused
/// ([`OutputError::ForeignFiles`]).
pub type Holds = fn(name: &str, is_folder: bool) -> bool;

/// What a folder of `run`, `report` and `plan` holds: [`RESULT_FILES`],
/// and the folders of [`RESULT_FOLDERS`] (which must hold only CSV
/// files).
pub fn result_files(name: &str, is_folder: bool) -> bool {
    if is_folder {
        RESULT_FOLDERS.contains(&name)
    } else {
        RESULT_FILES.contains(&name)
    }
}

/// Marks the staging folder of a set being written.
const STAGING_MARKER: &str = ".staging-";
/// Marks a previous set renamed aside during the switch.
const ASIDE_MARKER: &str = ".old-";

/// A result set being written into a hidden folder beside its target;
/// see the [module docs](self).
#[derive(Debug)]
pub struct Staging {
    /// The folder the set appears in.
    target: PathBuf,
    /// Where it is written meanwhile.
    dir: PathBuf,
    /// Where the previous set goes during the switch.
    aside: PathBuf,
    /// Set once the switch succeeded: nothing left to remove.
    committed: bool,
    /// What the target may hold.
    holds: Holds,
}

impl Staging {
    /// Prepares to write a result set into `target`: checks that `target`
    /// is a folder holding nothing but omnisim's files (or absent), clears
    /// what crashed runs left beside it, and creates the staging folder
    /// (and `target`'s parent folders).
    ///
    /// A symbolic link to a folder is followed: the set replaces the
    /// folder it points to and the link stays.
    pub fn begin(target: impl AsRef<Path>) -> Result<Staging, OutputError> {
        Staging::begin_holding(target, result_files)
    }

    /// [`Staging::begin`] for a folder of another kind: one that holds
    /// what `holds` accepts (`sweep`'s tables, partials and points).
    pub fn begin_holding(target: impl AsRef<Path>, holds: Holds) -> Result<Staging, OutputError> {
        let target = resolve(target.as_ref())?;
        check_target_holding(&target, holds)?;
        let (parent, name) = split(&target)?;
        fs::create_dir_all(&parent).map_err(OutputError::io(&parent))?;
        clear_leftovers(&parent, &name, &target)?;
        // Leftovers cleared, the target may be a set restored from aside.
        check_target_holding(&target, holds)?;
        let pid = std::process::id();
        let dir = parent.join(format!(".{name}{STAGING_MARKER}{pid}"));
        let aside = parent.join(format!(".{name}{ASIDE_MARKER}{pid}"));
        fs::create_dir(&dir).map_err(OutputError::io(&dir))?;
        let staging = Staging {
            target,
            dir,
            aside,
            committed: false,
            holds,
        };
        // The new set keeps the folder's permissions (a shared folder
        // stays shared).
        if let Ok(meta) = fs::metadata(&staging.target) {
            let _ = fs::set_permissions(&staging.dir, meta.permissions());
        }
        Ok(staging)
    }

    /// The staging folder: write every file of the set here.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The folder the set appears in after [`commit`](Self::commit).
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Where `path`, a file written into [`dir`](Self::dir), appears after
    /// the switch; other paths are returned unchanged.
    pub fn final_path(&self, path: &Path) -> PathBuf {
        match path.strip_prefix(&self.dir) {
            Ok(rest) => self.target.join(rest),
            Err(_) => path.to_path_buf(),
        }
    }

    /// Carries the entries of the target that `keep` names (by file name)
    /// into the new set: files by hard link (a copy where the file system
    /// has none), folders entry by entry. A command that rewrites part of
    /// a folder (`merge` writing its tables beside the partials it read)
    /// keeps the rest this way and still switches the folder as a whole.
    pub fn carry_over(&self, keep: impl Fn(&str) -> bool) -> Result<(), OutputError> {
        let entries = match fs::read_dir(&self.target) {
            Ok(e) => e,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(OutputError::io(&self.target)(e)),
        };
        for entry in entries {
            let entry = entry.map_err(OutputError::io(&self.target))?;
            let name = entry.file_name();
            if name.to_str().is_some_and(&keep) {
                link_tree(&entry.path(), &self.dir.join(&name))?;
            }
        }
        Ok(())
    }

    /// Switches the set in: the previous folder aside, the staging folder
    /// in its place, the previous folder removed. Returns the target.
    ///
    /// On error the previous set is back in place and the staging folder
    /// removed. Failing to remove the previous set once the new one is in
    /// place is not an error: the next [`begin`](Self::begin) clears it.
    pub fn commit(mut self) -> Result<PathBuf, OutputError> {
        sync_dir(&self.dir);
        let had_previous = match fs::symlink_metadata(&self.target) {
            Ok(_) => {
                // A file a user added while the set was being written
                // would otherwise go with the old set.
                check_target_holding(&self.target, self.holds)?;
                fs::rename(&self.target, &self.aside).map_err(OutputError::io(&self.target))?;
                true
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => false,
            Err(e) => return Err(OutputError::io(&self.target)(e)),
        };
        if let Err(e) = fs::rename(&self.dir, &self.target) {
            if had_previous {
                let _ = fs::rename(&self.aside, &self.target);
            }
            return Err(OutputError::io(&self.target)(e));
        }
        self.committed = true;
        if let Some(parent) = self.target.parent() {
            sync_dir(parent);
        }
        if had_previous {
            let _ = fs::remove_dir_all(&self.aside);
        }
        Ok(self.target.clone())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

/// Checks, without writing anything, that a result set can be written
/// into `target`: it is absent, or a folder holding nothing but
/// omnisim's result files and hidden temporaries. Commands that compute
/// for long before they write call it first, so a mistake is said at
/// once.
pub fn check_target(target: &Path) -> Result<(), OutputError> {
    check_target_holding(target, result_files)
}

/// [`check_target`] for a folder of another kind ([`Holds`]).
pub fn check_target_holding(target: &Path, holds: Holds) -> Result<(), OutputError> {
    let meta = match fs::metadata(target) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(OutputError::io(target)(e)),
    };
    if !meta.is_dir() {
        return Err(OutputError::NotAFolder {
            path: target.to_path_buf(),
        });
    }
    let mut foreign = Vec::new();
    for entry in fs::read_dir(target).map_err(OutputError::io(target))? {
        let entry = entry.map_err(OutputError::io(target))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let kind = entry.file_type().ok();
        let is_file = kind.is_some_and(|t| t.is_file());
        let is_folder = kind.is_some_and(|t| t.is_dir());
        let ours = (is_file && (holds(&name, false) || is_temp_name(&name)))
            || (is_folder
                && holds(&name, true)
                && (!RESULT_FOLDERS.contains(&name.as_str()) || holds_only_csv(&entry.path())));
        if !ours {
            foreign.push(name);
        }
    }
    if foreign.is_empty() {
        Ok(())
    } else {
        foreign.sort();
        Err(OutputError::ForeignFiles {
            path: target.to_path_buf(),
            names: foreign,
        })
    }
}

/// Whether `dir` holds nothing but CSV files (and hidden temporaries):
/// what a command writes into one of [`RESULT_FOLDERS`].
fn holds_only_csv(dir: &Path) -> bool {
    let Ok(entries) = fs::read_dir(dir) else {
        return false;
    };
    entries.into_iter().all(|e| {
        e.is_ok_and(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            e.file_type().is_ok_and(|t| t.is_file())
                && (name.ends_with(".csv") || is_temp_name(&name))
        })
    })
}

/// The target as the switch renames it: a symbolic link, or a name such
/// as `.`, is resolved to the folder itself.
fn resolve(target: &Path) -> Result<PathBuf, OutputError> {
    let is_link = fs::symlink_metadata(target).is_ok_and(|m| m.file_type().is_symlink());
    if is_link || (target.exists() && target.file_name().is_none()) {
        fs::canonicalize(target).map_err(OutputError::io(target))
    } else {
        Ok(target.to_path_buf())
    }
}

/// The target's parent folder (`.` for a bare name) and its name.
fn split(target: &Path) -> Result<(PathBuf, String), OutputError> {
    let Some((parent, name)) = super::split_file_path(target) else {
        return Err(OutputError::NotAFolder {
            path: target.to_path_buf(),
        });
    };
    Ok((parent.to_path_buf(), name.to_string()))
}

/// Clears, in `parent`, the staging and set-aside folders that runs into
/// `target` (called `name`) left when they died; see the module docs.
fn clear_leftovers(parent: &Path, name: &str, target: &Path) -> Result<(), OutputError> {
    let staging = format!(".{name}{STAGING_MARKER}");
    let aside = format!(".{name}{ASIDE_MARKER}");
    for entry in fs::read_dir(parent).map_err(OutputError::io(parent))? {
        let entry = entry.map_err(OutputError::io(parent))?;
        let file_name = entry.file_name();
        let Some(file_name) = file_name.to_str() else {
            continue;
        };
        let (is_aside, pid) = if let Some(pid) = file_name.strip_prefix(&staging) {
            (false, pid)
        } else if let Some(pid) = file_name.strip_prefix(&aside) {
            (true, pid)
        } else {
            continue;
        };
        let Ok(pid) = pid.parse::<u32>() else {
            continue;
        };
        if !entry.file_type().is_ok_and(|t| t.is_dir()) || !is_dead(pid) {
            continue;
        }
        let path = entry.path();
        if is_aside && fs::symlink_metadata(target).is_err() {
            // Died between the two renames: this is the previous set.
            fs::rename(&path, target).map_err(OutputError::io(&path))?;
        } else {
            fs::remove_dir_all(&path).map_err(OutputError::io(&path))?;
        }
    }
    Ok(())
}

/// Whether process `pid` has ended, so what it left may be cleared. Our
/// own id counts as ended: a folder carrying it was left by an earlier
/// process that had the same id, since this one has not created any yet.
fn is_dead(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    #[cfg(unix)]
    {
        let Ok(pid) = libc::pid_t::try_from(pid) else {
            return false;
        };
        // SAFETY: signal 0 only checks that the process exists.
        let alive = unsafe { libc::kill(pid, 0) } == 0;
        !alive && io::Error::last_os_error().raw_os_error() == Some(libc::ESRCH)
    }
    #[cfg(not(unix))]
    {
        // Without a way to tell, never clear another process's folder.
        false
    }
}

/// `from` recreated at `to`: a file hard-linked (copied where links are
/// not possible), a folder made and filled the same way.
fn link_tree(from: &Path, to: &Path) -> Result<(), OutputError> {
    let meta = fs::symlink_metadata(from).map_err(OutputError::io(from))?;
    if meta.is_dir() {
        fs::create_dir(to).map_err(OutputError::io(to))?;
        for entry in fs::read_dir(from).map_err(OutputError::io(from))? {
            let entry = entry.map_err(OutputError::io(from))?;
            link_tree(&entry.path(), &to.join(entry.file_name()))?;
        }
        Ok(())
    } else if fs::hard_link(from, to).is_ok() {
        Ok(())
    } else {
        fs::copy(from, to).map(drop).map_err(OutputError::io(to))
    }
}

/// Makes renames and new entries in `dir` durable; best effort, as in
/// [`AtomicFile`](super::AtomicFile).
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
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

    /// The id of a process that has ended.
    fn dead_pid() -> u32 {
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let pid = child.id();
        child.wait().unwrap();
        pid
    }

    #[test]
    fn the_set_appears_whole_and_replaces_the_previous_one() {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("out");
        fs::create_dir(&target).unwrap();
        fs::write(target.join("summary.json"), "old").unwrap();
        fs::write(target.join("report.html"), "old report").unwrap();
        let staging = Staging::begin(&target).unwrap();
        let pid = std::process::id();
        assert_eq!(
            staging.dir(),
            root.path().join(format!(".out.staging-{pid}"))
        );
        fs::write(staging.dir().join("summary.json"), "new").unwrap();
        assert_eq!(
            fs::read_to_string(target.join("summary.json")).unwrap(),
            "old"
        );
        assert_eq!(
            staging.final_path(&staging.dir().join("summary.json")),
            target.join("summary.json")
        );
        assert_eq!(staging.commit().unwrap(), target);
        assert_eq!(names(&target), ["summary.json"]);
        assert_eq!(
            fs::read_to_string(target.join("summary.json")).unwrap(),
            "new"
        );
        assert_eq!(names(root.path()), ["out"]);
    }

    #[test]
    fn a_dropped_staging_removes_everything_and_keeps_the_previous_set() {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("out");
        fs::create_dir(&target).unwrap();
        fs::write(target.join("work.csv"), "old").unwrap();
        {
            let staging = Staging::begin(&target).unwrap();
            fs::create_dir(staging.dir().join("sub")).unwrap();
            fs::write(staging.dir().join(".work.csv.tmp-part-000000"), "x").unwrap();
        }
        assert_eq!(names(root.path()), ["out"]);
        assert_eq!(names(&target), ["work.csv"]);
        // A missing target stays missing; its parents are created.
        let deep = root.path().join("a/b/out");
        drop(Staging::begin(&deep).unwrap());
        assert!(!deep.exists() && deep.parent().unwrap().is_dir());
    }

    #[test]
    fn a_folder_with_a_users_files_is_refused_before_anything_is_written() {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("out");
        fs::create_dir_all(target.join("charts")).unwrap();
        fs::write(target.join("summary.json"), "old").unwrap();
        fs::write(target.join("notes.txt"), "mine").unwrap();
        let err = Staging::begin(&target).unwrap_err();
        assert!(
            matches!(&err, OutputError::ForeignFiles { names, .. } if names == &["charts", "notes.txt"]),
            "{err:?}"
        );
        assert!(err.is_input_error());
        assert!(err.to_string().contains("notes.txt"), "{err}");
        assert_eq!(names(root.path()), ["out"]);
        // A folder with many files names a few.
        for n in 0..8 {
            fs::write(target.join(format!("n{n}")), "").unwrap();
        }
        let err = Staging::begin(&target).unwrap_err().to_string();
        assert!(err.contains("(charts, n0, n1, n2, n3 and 5 more)"), "{err}");
        // A file is not a folder.
        let file = root.path().join("f");
        fs::write(&file, "x").unwrap();
        let err = Staging::begin(&file).unwrap_err();
        assert!(matches!(err, OutputError::NotAFolder { .. }), "{err:?}");
        assert!(err.to_string().contains("is a file, not a folder"), "{err}");
    }

    #[test]
    fn a_file_added_during_the_run_stops_the_switch() {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("out");
        fs::create_dir(&target).unwrap();
        let staging = Staging::begin(&target).unwrap();
        fs::write(staging.dir().join("summary.json"), "new").unwrap();
        fs::write(target.join("notes.txt"), "mine").unwrap();
        let err = staging.commit().unwrap_err();
        assert!(matches!(err, OutputError::ForeignFiles { .. }), "{err:?}");
        assert_eq!(names(&target), ["notes.txt"]);
        assert_eq!(names(root.path()), ["out"]);
    }

    #[cfg(unix)]
    #[test]
    fn leftovers_of_dead_processes_are_cleared_and_a_set_aside_restored() {
        let root = tempfile::tempdir().unwrap();
        let dead = dead_pid();
        let own = std::process::id();
        let parent_pid = std::os::unix::process::parent_id();
        // A dead run's staging folder and a live one's.
        for pid in [dead, parent_pid] {
            let d = root.path().join(format!(".out.staging-{pid}"));
            fs::create_dir(&d).unwrap();
            fs::write(d.join("summary.json"), "partial").unwrap();
        }
        // Died between the renames: the previous set is aside, no target.
        let aside = root.path().join(format!(".out.old-{dead}"));
        fs::create_dir(&aside).unwrap();
        fs::write(aside.join("summary.json"), "previous").unwrap();
        let staging = Staging::begin(root.path().join("out")).unwrap();
        let mut expected = vec![
            "out".to_string(),
            format!(".out.staging-{own}"),
            format!(".out.staging-{parent_pid}"),
        ];
        expected.sort();
        assert_eq!(names(root.path()), expected);
        assert_eq!(
            fs::read_to_string(root.path().join("out/summary.json")).unwrap(),
            "previous"
        );
        drop(staging);
        // Died after the switch: the set aside is stale and removed.
        fs::create_dir(&aside).unwrap();
        drop(Staging::begin(root.path().join("out")).unwrap());
        assert!(!aside.exists());
        assert!(root.path().join("out/summary.json").exists());
    }

    #[cfg(unix)]
    #[test]
    fn the_switch_follows_a_link_to_the_folder() {
        let root = tempfile::tempdir().unwrap();
        let real = root.path().join("real");
        fs::create_dir(&real).unwrap();
        fs::write(real.join("summary.json"), "old").unwrap();
        let link = root.path().join("link");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let staging = Staging::begin(&link).unwrap();
        fs::write(staging.dir().join("summary.json"), "new").unwrap();
        staging.commit().unwrap();
        assert!(fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(
            fs::read_to_string(link.join("summary.json")).unwrap(),
            "new"
        );
    }

    #[test]
    fn the_export_folder_is_ours_only_while_it_holds_csv_files() {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("out");
        fs::create_dir_all(target.join("salesforce")).unwrap();
        fs::write(target.join("salesforce/AgentWork.csv"), "x").unwrap();
        fs::write(target.join("summary.json"), "old").unwrap();
        check_target(&target).unwrap();
        fs::write(target.join("salesforce/notes.txt"), "mine").unwrap();
        let err = check_target(&target).unwrap_err();
        assert!(
            matches!(&err, OutputError::ForeignFiles { names, .. } if names == &["salesforce"])
        );
        fs::remove_file(target.join("salesforce/notes.txt")).unwrap();
        fs::create_dir(target.join("other")).unwrap();
        assert!(check_target(&target).is_err());
    }
}
