//! Figures and column lists that the docs print, held to what the program
//! prints and writes now, so that they cannot drift:
//!
//! - README's "The first prints" block: the quickstart run's table, figure
//!   for figure, and the files it lists;
//! - docs/results-format.md: the column tables of `intervals.csv`,
//!   `agents.csv` and `work.csv`, name for name and in order, against the
//!   headers the program writes.
//!
//! (docs/VALIDATION.md is held to `omnisim validate` by the validation
//! suite itself, which runs the same cases.)

use std::path::Path;
use std::process::Command;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The lines of the first ```text block after `marker` in `file`.
fn block_after(file: &str, marker: &str) -> Vec<String> {
    let text = std::fs::read_to_string(root().join(file)).unwrap();
    let at = text
        .find(marker)
        .unwrap_or_else(|| panic!("{file}: no `{marker}`"));
    let rest = &text[at..];
    let start = rest.find("```text\n").expect("a text block") + "```text\n".len();
    let end = rest[start..].find("```").expect("closed") + start;
    rest[start..end].lines().map(str::to_owned).collect()
}

fn quickstart_into(out: &Path) -> String {
    let done = Command::new(env!("CARGO_BIN_EXE_omnisim"))
        .args(["run", "scenarios/quickstart.toml", "--out"])
        .arg(out)
        .current_dir(root())
        .output()
        .unwrap();
    assert!(done.status.success(), "{done:?}");
    String::from_utf8(done.stdout).unwrap()
}

#[test]
fn readme_shows_what_the_quickstart_run_prints() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("quickstart");
    let printed = quickstart_into(&out);
    let printed: Vec<&str> = printed.lines().collect();
    let readme = block_after("README.md", "The first prints");
    let table = readme
        .iter()
        .position(|l| l.starts_with("results in "))
        .expect("README lists where the results went");
    // The table and its heading, figure for figure.
    assert_eq!(
        &printed[..table],
        &readme[..table],
        "README.md's quickstart output is not what `cargo run --release -- run \
         scenarios/quickstart.toml` prints now: paste the new output"
    );
    // The files, by name (README shows the default folder), then the time.
    let names = |lines: &[&str]| -> Vec<String> {
        lines
            .iter()
            .filter(|l| l.starts_with("  "))
            .map(|l| l.trim().rsplit('/').next().unwrap().to_owned())
            .collect()
    };
    let readme: Vec<&str> = readme.iter().map(String::as_str).collect();
    assert_eq!(names(&printed[table..]), names(&readme[table..]));
    assert!(printed.last().unwrap().starts_with("wall time "));
    assert!(readme.last().unwrap().starts_with("wall time "));
}

/// The column names of the first `| column |` table after the heading
/// `## \`file\`` of docs/results-format.md, a cell naming several columns
/// (`` `a`, `b` ``) counting as each of them.
fn documented_columns(file: &str) -> Vec<String> {
    let text = std::fs::read_to_string(root().join("docs/results-format.md")).unwrap();
    let heading = format!("## `{file}`");
    let at = text
        .find(&heading)
        .unwrap_or_else(|| panic!("results-format.md has no {heading}"));
    let mut columns = Vec::new();
    let mut in_table = false;
    for line in text[at..].lines().skip(1) {
        if line.starts_with("| column |") {
            in_table = true;
            continue;
        }
        if !in_table {
            continue;
        }
        if !line.starts_with('|') {
            break;
        }
        if line.starts_with("|---") {
            continue;
        }
        let cell = line.split('|').nth(1).unwrap_or("");
        columns.extend(cell.split('`').skip(1).step_by(2).map(str::to_owned));
    }
    columns
}

fn header(path: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap();
    text.lines()
        .next()
        .unwrap()
        .split(',')
        .map(str::to_owned)
        .collect()
}

#[test]
fn results_format_documents_every_column_of_the_csv_files_in_order() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("quickstart");
    quickstart_into(&out);
    for file in ["intervals.csv", "agents.csv", "work.csv"] {
        assert_eq!(
            documented_columns(file),
            header(&out.join(file)),
            "docs/results-format.md's column table of {file} against the file's header"
        );
    }
}

/// README's Correctness section quotes the Erlang C centre's run: the
/// simulated figures beside the analytic ones, as `run` prints them.
#[test]
fn readme_quotes_the_erlang_c_run_as_it_prints() {
    let tmp = tempfile::tempdir().unwrap();
    let done = Command::new(env!("CARGO_BIN_EXE_omnisim"))
        .args(["run", "scenarios/erlang_c.toml", "--out"])
        .arg(tmp.path().join("erlang_c"))
        .current_dir(root())
        .output()
        .unwrap();
    assert!(done.status.success(), "{done:?}");
    let printed = String::from_utf8(done.stdout).unwrap();
    let calls: Vec<&str> = printed
        .lines()
        .find(|l| l.starts_with("Calls "))
        .expect("the queue's row")
        .split_whitespace()
        .collect();
    // Calls offered answered abandoned SL ±hw ASA ±hw p_wait occupancy agents
    let (sl, sl_hw, asa, asa_hw, occ) = (
        calls[4],
        calls[5].trim_start_matches('±'),
        calls[6],
        calls[7].trim_start_matches('±'),
        calls[9],
    );
    let erlang = printed
        .lines()
        .find(|l| l.starts_with("Erlang C for this centre"))
        .expect("the analytic line");
    let field = |name: &str| -> String {
        let at = erlang.find(name).unwrap() + name.len();
        erlang[at..].split_whitespace().next().unwrap().to_owned()
    };
    let sentence = format!(
        "service level {sl} ± {sl_hw} against Erlang C's {}, ASA {asa} ± {asa_hw} s\nagainst {} s, occupancy {occ} against {}.",
        field("service level "),
        field("asa "),
        field("occupancy "),
    );
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    assert!(
        readme.contains(&sentence),
        "README.md's Correctness section should read:\n{sentence}\n(from `cargo run --release -- run scenarios/erlang_c.toml`)"
    );
}
