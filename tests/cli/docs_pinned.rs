//! Figures and column lists that the docs print, held to what the program
//! prints and writes now, so that they cannot drift:
//!
//! - README's "The first prints" block: the quickstart run's table, figure
//!   for figure, and the files it lists;
//! - docs/results-format.md: the column tables of `intervals.csv`,
//!   `agents.csv` and `work.csv`, name for name and in order, against the
//!   headers the program writes;
//! - docs/BENCHMARKS.md: every measured figure its prose states is one of
//!   the figures of its own tables and pasted outputs, so a table measured
//!   again cannot leave the prose quoting the old one.
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

/// A figure stated in prose: a number with the unit of a measurement.
const UNITS: [&str; 10] = [
    "calls/s", "items/s", "MiB", "GiB", "µs", "ns", "ms", "×", "%", "s",
];

/// Words after which a figure is a target, a bound or a figure worked out
/// from others ("about 410 ns a message"), not a measurement to quote.
const NOT_MEASURED: [&str; 14] = [
    "about", "some", "around", "within", "at most", "at least", "under", "over", "up to", "≤", "≥",
    "<", ">", "~",
];

/// Splits a Markdown text into its prose and the rest (tables and fenced
/// blocks), each line kept at its line number.
fn prose_and_tables(text: &str) -> (Vec<(usize, &str)>, Vec<&str>) {
    let (mut prose, mut tables, mut fenced) = (Vec::new(), Vec::new(), false);
    for (i, line) in text.lines().enumerate() {
        if line.starts_with("```") {
            fenced = !fenced;
        } else if fenced || line.trim_start().starts_with('|') {
            tables.push(line);
        } else {
            prose.push((i + 1, line));
        }
    }
    (prose, tables)
}

/// Each number of `line` (digits, thousands commas, one decimal point),
/// with its byte offsets.
fn numbers(line: &str) -> Vec<(usize, usize)> {
    let b = line.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let starts = b[i].is_ascii_digit()
            && (i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b"._,".contains(&b[i - 1])));
        if !starts {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < b.len()
            && (b[j].is_ascii_digit()
                || (b".,".contains(&b[j]) && j + 1 < b.len() && b[j + 1].is_ascii_digit()))
        {
            j += 1;
        }
        found.push((i, j));
        i = j;
    }
    found
}

/// The unit right after a number, if it is one of a measurement's.
fn unit_after(rest: &str) -> Option<&'static str> {
    let rest = rest.strip_prefix(' ').unwrap_or(rest);
    UNITS.into_iter().find(|u| {
        rest.starts_with(u)
            && !rest[u.len()..]
                .chars()
                .next()
                .is_some_and(|c| c.is_alphanumeric())
    })
}

/// The figures of the prose of `text` that no table or pasted output of
/// `text` has, as (line, figure). The prose's line breaks do not hide a
/// "about" at the end of the line before.
fn orphan_figures(text: &str) -> Vec<(usize, String)> {
    let (prose, tables) = prose_and_tables(text);
    // Pasted outputs write 560301 where the prose writes 560,301.
    let plain = |n: &str| n.replace(',', "");
    let measured: std::collections::HashSet<String> = tables
        .iter()
        .flat_map(|l| numbers(l).into_iter().map(move |(a, b)| plain(&l[a..b])))
        .collect();
    let mut orphans = Vec::new();
    let mut before = String::new();
    for (n, line) in prose {
        for (a, b) in numbers(line) {
            let Some(unit) = unit_after(&line[b..]) else {
                continue;
            };
            let lead = format!("{before} {}", &line[..a]);
            let lead = lead.trim_end();
            if NOT_MEASURED.iter().any(|w| lead.ends_with(w))
                || measured.contains(&plain(&line[a..b]))
            {
                continue;
            }
            let space = if line[b..].starts_with(' ') { " " } else { "" };
            orphans.push((n, format!("{}{space}{unit}", &line[a..b])));
        }
        before = line.to_owned();
    }
    orphans
}

#[test]
fn benchmarks_prose_quotes_only_figures_of_its_own_tables() {
    let text = std::fs::read_to_string(root().join("docs/BENCHMARKS.md")).unwrap();
    let orphans = orphan_figures(&text);
    assert!(
        orphans.is_empty(),
        "docs/BENCHMARKS.md states figures that none of its tables or pasted outputs has \
         (a table measured again and the prose left behind?): {orphans:?}"
    );
}

#[test]
fn a_figure_edited_in_a_benchmarks_table_orphans_the_prose_that_quotes_it() {
    let doc = "The day took 0.658 s, 33.8× the baseline; about 410 ns a message.\n\n\
               | agents | wall | × DES |\n|---|---|---|\n| 1000 | 0.658 | 33.8× |\n";
    assert!(orphan_figures(doc).is_empty());
    let edited = doc.replace("| 0.658 |", "| 0.702 |");
    assert_eq!(orphan_figures(&edited), vec![(1, "0.658 s".to_owned())]);
    let pasted = "1,000-agent day: 256,251 calls/s\n```text\nrate 128,000 calls/s\n```\n";
    assert_eq!(
        orphan_figures(pasted),
        vec![(1, "256,251 calls/s".to_owned())]
    );
}
