//! Every command in the ```sh blocks of README.md and docs/*.md runs as
//! written, from the repository root.
//!
//! `cargo run --release -- ARGS` is run as the `omnisim` binary this test
//! is built with, given the same ARGS (what `cargo run` would execute,
//! without a second build). Where a command writes (`--out`, `--chart`,
//! `--markdown`, or `run`/`plan` into their default folder) the path is
//! replaced by one in a temporary folder, consistently within a file, so
//! `report results/quickstart` after `run … --out results/quickstart`
//! reads what the run wrote. Each command has a time limit.
//!
//! `./target/release/omnisim ARGS` is run the same way, and GNU
//! parallel's `seq 0 N | parallel ./target/release/omnisim … {}/…` runs
//! every shard in turn (scripts/parallel-check.sh runs it under parallel).
//!
//! Other commands are checked for what they name: `--example NAME` an
//! example, `--bench NAME` a bench, `--test NAME` a test, `bash FILE` a
//! script, an org export (`sf data export bulk … --query "SELECT … FROM
//! OBJECT"`) the object's fields as omnisim writes and reads them, a Slurm
//! submission (`OMNISIM=… deploy/slurm/submit.sh SWEEP …`) its files and
//! that scripts/slurm-check.sh runs it against a real Slurm. The few omnisim
//! commands that take minutes are listed in [`SLOW`] with the reason;
//! their scenario file must still exist.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Commands (matched by a fragment) too slow for `cargo test`, and why.
const SLOW: &[(&str, &str)] = &[
    (
        "bench --repeat 5",
        "simulates 10,000 agents five times: minutes",
    ),
    (
        "bench --with-work-csv --repeat 3",
        "simulates 10,000 agents three times: minutes",
    ),
    (
        "plan scenarios/bank_day.toml",
        "plans a 12-hour day by simulation: about a minute in a test build",
    ),
    (
        "plan scenarios/insurer.toml",
        "plans five teams over a 12-hour day by simulation: minutes in a test build",
    ),
    (
        "schedule scenarios/bank_day.toml",
        "plans the bank day, then solves and simulates rosters: minutes in a test build",
    ),
    (
        "sweep scenarios/sweeps/planner_grid.toml --shard",
        "3,000 runs of an 8-hour day: minutes in a test build",
    ),
    (
        "merge results/planner_parts",
        "merges the planner grid's shards, which are not run here",
    ),
    (
        "load scenarios/load.toml",
        "runs 1,000 actors on the wall clock for 10 s or a whole ramp",
    ),
];

/// Time limit of one command.
const LIMIT: Duration = Duration::from_secs(120);

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The commands of the ```sh blocks of one Markdown file, comments and
/// blank lines left out.
fn sh_commands(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_sh = false;
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with("```") {
            in_sh = !in_sh && trimmed == "```sh";
            continue;
        }
        if in_sh {
            let command = trimmed.split(" #").next().unwrap_or("").trim();
            if !command.is_empty() && !command.starts_with('#') {
                out.push(command.to_owned());
            }
        }
    }
    out
}

/// Runs `cmd` with a time limit; returns (exit code, stderr).
fn run_limited(mut cmd: Command) -> (Option<i32>, String) {
    let mut child = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            let mut err = String::new();
            if let Some(mut e) = child.stderr.take() {
                use std::io::Read;
                let _ = e.read_to_string(&mut err);
            }
            return (status.code(), err);
        }
        if started.elapsed() > LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            return (None, format!("timed out after {LIMIT:?}"));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Checks one command; `Err` says why it does not run as documented.
fn check_command(
    command: &str,
    tmp: &Path,
    paths: &mut Vec<(String, PathBuf)>,
) -> Result<(), String> {
    let words: Vec<&str> = command.split_whitespace().collect();
    let exists = |p: String| {
        if root().join(&p).exists() {
            Ok(())
        } else {
            Err(format!("`{p}` does not exist"))
        }
    };
    match words.as_slice() {
        // GNU parallel's `seq 0 N | parallel CMD {}…`: every shard of CMD,
        // one after another (scripts/parallel-check.sh runs it with
        // parallel itself).
        ["seq", "0", last, "|", "parallel", "./target/release/omnisim", args @ ..] => {
            let last: u32 = last
                .parse()
                .map_err(|_| format!("`{last}` is not a number"))?;
            (0..=last).try_for_each(|i| {
                let shard = args.join(" ").replace("{}", &i.to_string());
                check_command(&format!("cargo run --release -- {shard}"), tmp, paths)
            })
        }
        // The binary `cargo build --release` leaves, as `cargo run` would.
        ["./target/release/omnisim", args @ ..] => check_command(
            &format!("cargo run --release -- {}", args.join(" ")),
            tmp,
            paths,
        ),
        ["cargo", "build", "--release"] => Ok(()),
        // Submission to a Slurm cluster: needs one, so it is run by
        // scripts/slurm-check.sh against a local Slurm; here the files it
        // names must exist and that script must use the submitter.
        [env, "deploy/slurm/submit.sh", sweep, ..] if env.starts_with("OMNISIM=") => {
            exists("deploy/slurm/submit.sh".into())?;
            exists((*sweep).to_owned())?;
            let check = std::fs::read_to_string(root().join("scripts/slurm-check.sh"))
                .map_err(|e| format!("scripts/slurm-check.sh: {e}"))?;
            if check.contains("deploy/slurm/submit.sh") {
                Ok(())
            } else {
                Err("scripts/slurm-check.sh does not run deploy/slurm/submit.sh".into())
            }
        }
        ["cargo", "run", "--release", "--", "serve", args @ ..] => check_serve(args, tmp, paths),
        // The JavaScript client's install and scripts: scripts/serve-check.sh
        // runs them (with Node, which `cargo test` does not require).
        ["(cd", "js", "&&", "npm", "install)"] => exists("js/package.json".into()),
        ["node", script, ..] => {
            exists((*script).to_owned())?;
            let check = std::fs::read_to_string(root().join("scripts/serve-check.sh"))
                .map_err(|e| format!("scripts/serve-check.sh: {e}"))?;
            if check.contains(script) || script.starts_with("js/load/") {
                Ok(())
            } else {
                Err(format!("scripts/serve-check.sh does not run {script}"))
            }
        }
        [env, "bash", script, ..] if env.contains('=') => exists((*script).to_owned()),
        ["cargo", "run", "--release", "--", args @ ..] => {
            if let Some((_, why)) = SLOW.iter().find(|(f, _)| command.contains(f)) {
                eprintln!("not run ({why}): {command}");
                return args
                    .iter()
                    .filter(|a| a.ends_with(".toml"))
                    .try_for_each(|a| exists((*a).to_owned()));
            }
            let mut args: Vec<String> = args.iter().map(|s| (*s).to_owned()).collect();
            let mapped = |original: &str, paths: &mut Vec<(String, PathBuf)>| -> String {
                if let Some((_, p)) = paths.iter().find(|(o, _)| o == original) {
                    return p.display().to_string();
                }
                let p = tmp
                    .join(format!("w{}", paths.len()))
                    .join(Path::new(original).file_name().unwrap_or_default());
                paths.push((original.to_owned(), p.clone()));
                p.display().to_string()
            };
            // A path inside a folder written earlier in the file
            // (`calibrate results/day/salesforce` after `run … --out
            // results/day`) reads from where that folder was written.
            for a in args.iter_mut() {
                if let Some((o, p)) = paths
                    .iter()
                    .find(|(o, _)| !o.is_empty() && a.starts_with(&format!("{o}/")))
                {
                    *a = format!("{}{}", p.display(), &a[o.len()..]);
                }
            }
            let mut i = 0;
            while i < args.len() {
                if matches!(args[i].as_str(), "--out" | "--chart" | "--markdown")
                    && i + 1 < args.len()
                {
                    args[i + 1] = mapped(&args[i + 1].clone(), paths);
                    i += 1;
                } else if args[0] == "report" && i == 1 {
                    args[1] = mapped(&args[1].clone(), paths);
                } else if args[0] == "merge" && i >= 1 && !args[i].starts_with("--") {
                    args[i] = mapped(&args[i].clone(), paths);
                }
                i += 1;
            }
            let lists = args.iter().any(|a| a == "--list");
            if matches!(
                args[0].as_str(),
                "run" | "plan" | "schedule" | "bench" | "sweep" | "calibrate" | "replay"
            ) && !lists
                && !args.iter().any(|a| a == "--out")
            {
                args.push("--out".into());
                args.push(
                    tmp.join(format!("default{}", paths.len()))
                        .display()
                        .to_string(),
                );
                paths.push((String::new(), PathBuf::new()));
            }
            let mut cmd = Command::new(env!("CARGO_BIN_EXE_omnisim"));
            cmd.args(&args).current_dir(root());
            match run_limited(cmd) {
                (Some(0), _) => Ok(()),
                (code, err) => Err(format!(
                    "exit {code:?} (as run: omnisim {}): {err}",
                    args.join(" ")
                )),
            }
        }
        ["cargo", "run", "--release", "--example", name] => exists(format!("examples/{name}.rs")),
        ["cargo", "install", "--path", "."] | ["cargo", "test"] => Ok(()),
        ["cargo", "test", "--release", "--test", name, ..] => exists(format!("tests/{name}.rs")),
        ["cargo", "test", "--release", "-p", "omnisim-core", "--test", name, ..] => {
            exists(format!("core/tests/{name}.rs"))
        }
        ["cargo", "test", "-p", "omnisim-core"] => Ok(()),
        ["cargo", "bench", "--", "--test"] => Ok(()),
        ["cargo", "bench", rest @ ..] => rest
            .windows(2)
            .filter(|w| w[0] == "--bench")
            .try_for_each(|w| exists(format!("benches/{}.rs", w[1]))),
        ["bash", script, ..] => exists((*script).to_owned()),
        ["sf", "data", "export", "bulk", ..] => export_query(command),
        _ => Err("not a form this test knows; run it by hand and add it here".into()),
    }
}

/// `serve` runs until stopped: it is started as written (on a free port,
/// its `--out` in the temporary folder), must say where it listens, and
/// must stop on SIGTERM with 143, having written its results.
fn check_serve(
    args: &[&str],
    tmp: &Path,
    paths: &mut Vec<(String, PathBuf)>,
) -> Result<(), String> {
    use std::io::BufRead;
    let mut args: Vec<String> = args.iter().map(|s| (*s).to_owned()).collect();
    if let Some(i) = args.iter().position(|a| a == "--listen") {
        args.drain(i..=i + 1);
    }
    let out = tmp.join(format!("serve{}", paths.len()));
    paths.push((String::new(), PathBuf::new()));
    if let Some(i) = args.iter().position(|a| a == "--out") {
        args.drain(i..=i + 1);
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_omnisim"))
        .arg("serve")
        .args(&args)
        .args(["--listen", "127.0.0.1:0", "--out"])
        .arg(&out)
        .current_dir(root())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| e.to_string())?;
    let mut stdout = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    let read = stdout.read_line(&mut first);
    // SAFETY: sending a signal to a child this test started.
    unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
    // Read on to the end: with the pipe closed, its last lines would end
    // it by SIGPIPE.
    let mut rest = String::new();
    let _ = std::io::Read::read_to_string(&mut stdout, &mut rest);
    let status = child.wait().map_err(|e| e.to_string())?;
    if read.is_err() || !first.starts_with("serving ") {
        return Err(format!("it did not start serving: {first:?}"));
    }
    match status.code() {
        Some(143) if out.join("summary.json").exists() => Ok(()),
        code => Err(format!(
            "SIGTERM ended it with {code:?}, expected 143 and results"
        )),
    }
}

/// The bundled day's export as `run --salesforce` writes it, made once:
/// the documented queries are held to the headers of its files.
fn written_export() -> &'static Path {
    static DIR: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    let tmp = DIR.get_or_init(|| {
        let tmp = tempfile::tempdir().unwrap();
        let status = Command::new(env!("CARGO_BIN_EXE_omnisim"))
            .args(["run", "scenarios/salesforce_day.toml", "--salesforce"])
            .args(["--replications", "1", "--quiet", "--out"])
            .arg(tmp.path().join("day"))
            .current_dir(root())
            .status()
            .unwrap();
        assert!(status.success(), "the bundled day exports");
        tmp
    });
    tmp.path()
}

/// An `sf data export bulk` command: its query selects exactly the
/// fields omnisim writes for the object it names, in that order, and its
/// output file is the object's file.
fn export_query(command: &str) -> Result<(), String> {
    let query = command
        .split_once("--query \"")
        .and_then(|(_, q)| q.split_once('"'))
        .map(|(q, _)| q)
        .ok_or("no --query \"…\"")?;
    let (select, rest) = query
        .strip_prefix("SELECT ")
        .and_then(|q| q.split_once(" FROM "))
        .ok_or("the query is not SELECT … FROM …")?;
    let object = rest.split_whitespace().next().unwrap_or_default();
    let file_name = format!("{object}.csv");
    let written = written_export().join("day/salesforce").join(&file_name);
    let header = csv::Reader::from_path(&written)
        .and_then(|mut r| r.headers().cloned())
        .map_err(|_| format!("{object} is not an object of the export"))?;
    let fields: Vec<&str> = select.split(',').map(str::trim).collect();
    let written: Vec<&str> = header.iter().collect();
    if fields != written {
        return Err(format!(
            "the query selects {fields:?}, the export has {written:?}"
        ));
    }
    let words: Vec<&str> = command.split_whitespace().collect();
    let file = words
        .windows(2)
        .find(|w| w[0] == "--output-file")
        .map(|w| w[1])
        .ok_or("no --output-file")?;
    if !file.ends_with(&format!("/{file_name}")) {
        return Err(format!("--output-file {file} is not …/{file_name}"));
    }
    if !command.contains("--result-format csv") {
        return Err("not --result-format csv".into());
    }
    Ok(())
}

#[test]
fn every_documented_command_runs_as_written() {
    let mut files = vec![root().join("README.md")];
    let mut docs: Vec<PathBuf> = std::fs::read_dir(root().join("docs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    docs.sort();
    files.extend(docs);
    let mut failures = Vec::new();
    let mut count = 0;
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let tmp = tempfile::tempdir().unwrap();
        let mut paths = Vec::new();
        for command in sh_commands(&text) {
            count += 1;
            if let Err(why) = check_command(&command, tmp.path(), &mut paths) {
                failures.push(format!("{}: `{command}`: {why}", file.display()));
            }
        }
    }
    assert!(count > 20, "only {count} commands found");
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn commands_are_read_from_sh_blocks_only() {
    let md = "text\n```sh\ncargo test   # run\n# a comment\n\n```\n```text\nomnisim x\n```\n";
    assert_eq!(sh_commands(md), vec!["cargo test"]);
    let tmp = tempfile::tempdir().unwrap();
    let err = check_command("omnisim run x.toml", tmp.path(), &mut Vec::new()).unwrap_err();
    assert!(err.contains("not a form"), "{err}");
    let err = check_command(
        "cargo run --release -- check scenarios/no_such.toml",
        tmp.path(),
        &mut Vec::new(),
    )
    .unwrap_err();
    assert!(err.contains("exit Some(1)"), "{err}");
}
