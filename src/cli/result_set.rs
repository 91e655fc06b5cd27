//! How `plan` and `schedule` hand over their files: as one set, like a
//! run's. Written into a staging folder and switched in whole, so a
//! signal before the switch, or a failed write, leaves the previous set
//! as it was (or no folder), never half of each.

use super::signals::Signals;
use super::CliError;
use std::io;
use std::path::{Path, PathBuf};

/// Writes the set with `write` into a staging folder of `dir`, adds
/// results.xlsx (one sheet, `sheet`, from the CSV file of that name) when
/// `xlsx` is set, checks for a signal and switches the folder in. `what`
/// names the set in the messages ("plan", "schedule"). Returns the files'
/// final paths.
pub(super) fn write_set(
    dir: &Path,
    what: &str,
    sheet: &str,
    xlsx: bool,
    signals: &Signals,
    write: impl FnOnce(&Path) -> io::Result<Vec<PathBuf>>,
) -> Result<Vec<PathBuf>, CliError> {
    let kept = if dir.exists() {
        format!("the {what} in `{}` is as it was", dir.display())
    } else {
        format!("no {what} file was written")
    };
    let staging = crate::output::Staging::begin(dir).map_err(CliError::output)?;
    let mut written = write(staging.dir())
        .map_err(|e| CliError::failure(format!("cannot write into `{}`: {e}", dir.display())))?;
    if xlsx {
        let tables = [(sheet, staging.dir().join(format!("{sheet}.csv")))];
        written.push(
            crate::workbook::workbook_of(staging.dir(), None, &tables)
                .map_err(|e| CliError::failure(format!("cannot write results.xlsx: {e}")))?,
        );
    }
    signals.check(&kept)?;
    let written = written.iter().map(|p| staging.final_path(p)).collect();
    staging.commit().map_err(CliError::output)?;
    Ok(written)
}
