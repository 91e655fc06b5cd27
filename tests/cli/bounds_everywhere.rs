//! Bounds that hold for any file: bundled scenarios with one key pushed
//! to an extreme all get a verdict from `check` under an address-space
//! limit (never an abort), the default `--max-memory` follows that limit,
//! an Omni-Channel timeout below whole seconds is refused, and a path
//! naming a pipe, a device or a file of another kind gets a clear error
//! that repeats none of its content.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn omnisim(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_omnisim"))
        .args(args)
        .output()
        .expect("omnisim runs")
}

/// `text` with the first line that starts with `key =` set to `value`.
fn with_key(text: &str, key: &str, value: &str) -> Option<String> {
    let mut done = false;
    let lines: Vec<String> = text
        .lines()
        .map(|l| {
            let is_key = l
                .strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with('='));
            if is_key && !done {
                done = true;
                format!("{key} = {value}")
            } else {
                l.to_owned()
            }
        })
        .collect();
    done.then(|| lines.join("\n") + "\n")
}

/// Each bundled scenario (and teaching scenario) with one key at a time
/// set to a value that asks for far more than any machine has, written
/// into `dir` (beside a copy of the scenarios' data folder).
fn mutated_scenarios(dir: &Path) -> Vec<PathBuf> {
    const EXTREMES: &[(&str, &str)] = &[
        ("duration", "\"1000000000h\""),
        ("duration", "\"100000h\""),
        ("warmup", "\"100000h\""),
        ("interval", "\"100ms\""),
        ("count", "4000000000"),
        ("count", "100000000"),
        ("rate_per_hour", "1e9"),
        ("replications", "100000"),
        ("capacity", "1000000"),
    ];
    let data = dir.join("data");
    std::fs::create_dir_all(&data).unwrap();
    for entry in std::fs::read_dir("scenarios/data").unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, data.join(path.file_name().unwrap())).unwrap();
    }
    let mut sources: Vec<PathBuf> = ["scenarios", "scenarios/teaching"]
        .iter()
        .flat_map(|d| std::fs::read_dir(d).unwrap())
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    sources.sort();
    let mut out = Vec::new();
    for source in sources {
        let text = std::fs::read_to_string(&source).unwrap();
        let stem = source.file_stem().unwrap().to_string_lossy().into_owned();
        for (k, (key, value)) in EXTREMES.iter().enumerate() {
            if let Some(edited) = with_key(&text, key, value) {
                let path = dir.join(format!("{stem}-{k}-{key}.toml"));
                std::fs::write(&path, edited).unwrap();
                out.push(path);
            }
        }
    }
    out
}

#[test]
fn check_gives_every_extreme_scenario_a_verdict_under_an_address_space_limit() {
    let dir = tempfile::tempdir().unwrap();
    let files = mutated_scenarios(dir.path());
    assert!(files.len() > 100, "{} files", files.len());
    // One shell, limited as a container would be (2 GB of address space),
    // checks them all and prints each exit status.
    let script = r#"ulimit -v 2000000 || exit 99
bin="$1"; shift
for f in "$@"; do
  "$bin" check --quiet "$f" >/dev/null 2>"$f.err"
  echo "$? $f"
done"#;
    let out = Command::new("bash")
        .arg("-c")
        .arg(script)
        .arg("bash")
        .arg(env!("CARGO_BIN_EXE_omnisim"))
        .args(&files)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let statuses = String::from_utf8(out.stdout).unwrap();
    let mut refused = 0;
    for line in statuses.lines() {
        let (code, file) = line.split_once(' ').unwrap();
        let err = std::fs::read_to_string(format!("{file}.err")).unwrap();
        match code {
            "0" => {}
            "1" => {
                refused += 1;
                assert!(err.starts_with("error: "), "{file}: {err}");
            }
            _ => panic!("{file}: exit {code} (134 is an abort): {err}"),
        }
    }
    assert_eq!(statuses.lines().count(), files.len());
    assert!(refused > 20, "only {refused} refused");
}

#[test]
fn the_default_max_memory_follows_the_address_space_limit() {
    let help = String::from_utf8(omnisim(&["check", "--help"]).stdout).unwrap();
    let help = help.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        help.contains("default the least of half this machine's memory, the memory limit of its control group")
            && help.contains("address-space limit (ulimit -v)"),
        "{help}"
    );
    // 300,006 agents × 2 replications at once need some 1.7 GB: within
    // half of any machine that runs the tests, beyond a 1 GB address
    // space.
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string("scenarios/quickstart.toml").unwrap();
    let file = dir.path().join("many.toml");
    std::fs::write(&file, text.replace("count = 3\n", "count = 300000\n")).unwrap();
    let f = file.to_str().unwrap();
    let out = Command::new("bash")
        .arg("-c")
        .arg("ulimit -v 1000000 && exec \"$0\" check --quiet \"$1\"")
        .arg(env!("CARGO_BIN_EXE_omnisim"))
        .arg(f)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("agents["), "{stderr}");
    assert!(
        stderr.contains("the limit is 1.0 GB (--max-memory)"),
        "{stderr}"
    );
}

#[test]
fn a_push_timeout_below_whole_seconds_is_refused_at_its_key() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string("scenarios/quickstart.toml").unwrap();
    for bad in ["1us", "2500ms"] {
        let file = dir.path().join(format!("{bad}.toml"));
        let edited = text.replace(
            "push_timeout = \"30s\"",
            &format!("push_timeout = \"{bad}\""),
        );
        assert_ne!(edited, text);
        std::fs::write(&file, edited).unwrap();
        let f = file.to_str().unwrap();
        let out = omnisim(&["check", f]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        assert!(
            stderr.starts_with(&format!("error: {f}:66:16: queues[0].push_timeout: ")),
            "{stderr}"
        );
        assert!(
            stderr.contains("push timeout is a whole number of seconds"),
            "{stderr}"
        );
    }
}

/// The bank scenario with its forecast path replaced by `path`.
fn bank_with_forecast(dir: &Path, path: &str) -> PathBuf {
    let text = std::fs::read_to_string("scenarios/bank_day.toml").unwrap();
    let file = dir.join("bank.toml");
    let edited = text.replace("\"data/bank_forecast.csv\"", &format!("{path:?}"));
    std::fs::write(&file, edited).unwrap();
    std::fs::create_dir_all(dir.join("data")).unwrap();
    std::fs::copy(
        "scenarios/data/bank_roster.csv",
        dir.join("data/bank_roster.csv"),
    )
    .unwrap();
    file
}

#[test]
fn a_pipe_or_a_device_named_as_a_forecast_is_refused_without_blocking() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("forecast.fifo");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    for (path, what) in [
        (fifo.to_str().unwrap(), "a named pipe (FIFO)"),
        ("/dev/zero", "a character device"),
        ("/tmp", "a folder"),
    ] {
        let file = bank_with_forecast(dir.path(), path);
        let out = omnisim(&["check", file.to_str().unwrap()]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        assert!(stderr.contains("arrivals[0].forecast_csv"), "{stderr}");
        assert!(
            stderr.contains(&format!("it is {what}, not a regular file")),
            "{stderr}"
        );
        assert!(!stderr.contains("nonexistent"), "{stderr}");
    }
}

#[test]
fn a_foreign_file_named_as_data_is_never_repeated() {
    let dir = tempfile::tempdir().unwrap();
    let secret = dir.path().join("accounts");
    std::fs::write(
        &secret,
        "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin\n",
    )
    .unwrap();
    let file = bank_with_forecast(dir.path(), secret.to_str().unwrap());
    let out = omnisim(&["check", file.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("arrivals[0].forecast_csv"), "{stderr}");
    for fragment in ["root", "daemon", "/bin/bash"] {
        assert!(!stderr.contains(fragment), "{fragment}: {stderr}");
    }
    // The same file as a roster and as a one-value-per-line profile.
    let text = std::fs::read_to_string(&file).unwrap();
    let s = secret.to_str().unwrap();
    let as_roster = text.replace("\"data/bank_roster.csv\"", &format!("{s:?}"));
    let base = std::fs::read_to_string("scenarios/quickstart.toml").unwrap();
    let as_profile = base.replacen(
        "rate_per_hour = 60",
        &format!("rate_profile_csv = {s:?}"),
        1,
    );
    for (name, edited) in [("roster", as_roster), ("profile", as_profile)] {
        let f = dir.path().join(format!("{name}.toml"));
        std::fs::write(&f, edited).unwrap();
        let out = omnisim(&["check", f.to_str().unwrap()]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{name}: {stderr}");
        for fragment in ["root:", "daemon", "/bin/bash"] {
            assert!(!stderr.contains(fragment), "{name}: {fragment}: {stderr}");
        }
    }
}

#[test]
fn messages_escape_control_characters_and_abbreviate_long_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string("scenarios/quickstart.toml").unwrap();
    let cases = [
        (
            text.replacen("count = 6", "count = 1e100", 1),
            "found floating point `1e100`, expected an integer",
        ),
        (
            text.replacen(
                "group = \"Support\"",
                "group = \"Sup\\u001b[31mport\\nfake: line\"\ncount_was = 1",
                1,
            ),
            "[31mport\\nfake: line",
        ),
    ];
    for (k, (edited, says)) in cases.iter().enumerate() {
        assert_ne!(edited, &text);
        let file = dir.path().join(format!("{k}.toml"));
        std::fs::write(&file, edited).unwrap();
        let out = omnisim(&["check", file.to_str().unwrap()]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        assert!(stderr.contains(says), "{stderr}");
        assert!(!stderr.contains('\u{1b}'), "{stderr}");
        assert!(!stderr.lines().any(|l| l.starts_with("fake")), "{stderr}");
        assert!(!stderr.contains("0000000000"), "{stderr}");
    }
}
