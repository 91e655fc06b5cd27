use super::{humanize, interval_count, lower_first, Result};
use crate::distribution::Distribution;
use crate::omni::StatusId;
use crate::scenario::error::ScenarioErrorKind as Kind;
use crate::scenario::{ArrivalRate, Scenario, Shift, ShiftEndMode, END_OF_SHIFT_STATUS};
use crate::time::SimDuration;

#[test]
fn a_reason_after_a_colon_starts_in_lower_case_unless_it_is_a_capitalised_word() {
    assert_eq!(lower_first("No such file"), "no such file");
    assert_eq!(
        lower_first("CSV parse error: record 1"),
        "CSV parse error: record 1"
    );
    assert_eq!(lower_first("UTF-8 expected"), "UTF-8 expected");
    assert_eq!(lower_first(""), "");
}

const BASE: &str = r#"
[simulation]
name = "t"
duration = "1h"

[[channels]]
name = "chat"

[[statuses]]
name = "Available"
channels = ["chat"]

[[presence_configs]]
name = "cfg"
capacity = 2

[[queues]]
name = "q"
channel = "chat"
routing_model = "most_available"
capacity_weight = 1

[[agents]]
group = "g"
count = 2
presence_config = "cfg"
status = "Available"
"#;

fn load(extra: &str) -> Result<Scenario> {
    Scenario::from_toml_str(&format!("{BASE}\n{extra}"), "t.toml")
}

fn handle_time(form: &str) -> Result<Distribution> {
    let s = load(&format!(
        "[[arrivals]]\nqueue = \"q\"\nrate_per_hour = 10\nhandle_time = {form}\n"
    ))?;
    Ok(s.arrivals[0].handle_time.clone())
}

#[test]
fn defaults_are_filled_in() {
    let s = load("").unwrap();
    assert_eq!(s.simulation.warmup, SimDuration::ZERO);
    assert_eq!(s.simulation.seed, 1);
    assert_eq!(s.simulation.replications, 1);
    assert_eq!(s.simulation.interval, SimDuration::from_secs(1800));
    assert_eq!(
        s.simulation.service_level_threshold,
        SimDuration::from_secs(20)
    );
    assert_eq!(s.statuses[0].label, "Available");
    assert_eq!(s.presence_configs[0].interruptible_capacity, 2);
    assert_eq!(s.queues[0].routing.priority, 1);
    assert_eq!(s.queues[0].routing.push_timeout, None);
    let g = &s.agents[0];
    assert_eq!(g.allowed_statuses, vec![StatusId(0)]);
    assert_eq!(
        g.behaviour.response_time,
        Distribution::Constant { value: 0.0 }
    );
    assert_eq!(g.behaviour.accept_probability, 1.0);
    assert_eq!(
        g.shift,
        Shift {
            start: SimDuration::ZERO,
            end: None,
            end_mode: crate::scenario::ShiftEndMode::Finish,
            end_status: None,
        }
    );
}

#[test]
fn every_distribution_form_parses() {
    assert_eq!(
        handle_time("\"90s\"").unwrap(),
        Distribution::Constant { value: 90.0 }
    );
    assert_eq!(
        handle_time("42.5").unwrap(),
        Distribution::Constant { value: 42.5 }
    );
    assert_eq!(
        handle_time("{ dist = \"constant\", value = \"1m\" }").unwrap(),
        Distribution::Constant { value: 60.0 }
    );
    assert_eq!(
        handle_time("{ dist = \"exponential\", mean = \"6m\" }").unwrap(),
        Distribution::Exponential { mean: 360.0 }
    );
    assert_eq!(
        handle_time("{ dist = \"uniform\", min = \"10s\", max = 60 }").unwrap(),
        Distribution::Uniform {
            min: 10.0,
            max: 60.0
        }
    );
    assert_eq!(
        handle_time("{ dist = \"lognormal\", mean = \"6m\", sd = \"4m\" }").unwrap(),
        Distribution::LogNormal {
            mean: 360.0,
            sd: 240.0
        }
    );
    assert_eq!(
        handle_time("{ dist = \"gamma\", mean = \"5m\", sd = 150 }").unwrap(),
        Distribution::Gamma {
            mean: 300.0,
            sd: 150.0
        }
    );
    assert_eq!(
        handle_time("{ dist = \"empirical\", values = [\"30s\", 45, \"2m\"] }").unwrap(),
        Distribution::Empirical {
            values: vec![30.0, 45.0, 120.0]
        }
    );
}

#[test]
fn distribution_mistakes_name_the_parameter() {
    let e = handle_time("{ dist = \"exponental\", mean = 3 }").unwrap_err();
    assert_eq!(e.key_path(), Some("arrivals[0].handle_time.dist"));
    assert_eq!(e.hint(), Some("did you mean \"exponential\"?"));
    assert!(e
        .message()
        .contains("\"constant\", \"exponential\", \"uniform\", \"lognormal\", \"empirical\""));

    let e = handle_time("{ dist = \"exponential\", sd = 3 }").unwrap_err();
    assert_eq!(e.kind(), Kind::UnknownKey);
    assert_eq!(e.key_path(), Some("arrivals[0].handle_time.sd"));

    let e = handle_time("{ dist = \"lognormal\", mean = 3 }").unwrap_err();
    assert_eq!(e.kind(), Kind::MissingKey);
    assert_eq!(e.key_path(), Some("arrivals[0].handle_time.sd"));

    let e = handle_time("{ dist = \"gamma\", mean = \"5m\" }").unwrap_err();
    assert_eq!(e.kind(), Kind::MissingKey);
    assert_eq!(e.key_path(), Some("arrivals[0].handle_time.sd"));
    let e = handle_time("{ dist = \"gamma\", mean = \"5m\", sd = 0 }").unwrap_err();
    assert_eq!(e.kind(), Kind::InvalidValue);
    assert_eq!(e.key_path(), Some("arrivals[0].handle_time.sd"));
    assert!(e.message().contains("bad gamma distribution"), "{e}");
    let e = handle_time("{ dist = \"gamma\", mean = \"5m\", sd = 1, min = 2 }").unwrap_err();
    assert_eq!(e.kind(), Kind::UnknownKey);
    assert_eq!(e.key_path(), Some("arrivals[0].handle_time.min"));

    let e = handle_time("{ dist = \"uniform\", min = \"2m\", max = \"1m\" }").unwrap_err();
    assert_eq!(e.kind(), Kind::InvalidValue);
    assert_eq!(e.key_path(), Some("arrivals[0].handle_time.min"));
    assert!(e.message().contains("must not exceed"), "{e}");

    let e = handle_time("{ dist = \"empirical\", values = [] }").unwrap_err();
    assert_eq!(e.key_path(), Some("arrivals[0].handle_time.values"));

    let e = handle_time("0").unwrap_err();
    assert!(e.message().contains("averages 0 seconds"), "{e}");
}

#[test]
fn empirical_and_profile_csv_files_are_read_relative_to_the_base() {
    let dir = std::env::temp_dir().join(format!("omnisim-scenario-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("handle.csv"),
        "seconds\n30\n\n# a comment\n45.5\n2m\n",
    )
    .unwrap();
    std::fs::write(dir.join("rates.csv"), "rate_per_hour\n10\n20\n").unwrap();
    std::fs::write(dir.join("bad.csv"), "10\nlots\n").unwrap();
    let text = format!(
        "{BASE}\n[[arrivals]]\nqueue = \"q\"\nrate_profile_csv = \"rates.csv\"\n\
         handle_time = {{ dist = \"empirical\", csv = \"handle.csv\" }}\n"
    );
    let path = dir.join("s.toml");
    std::fs::write(&path, &text).unwrap();
    let s = Scenario::from_path(&path).unwrap();
    assert_eq!(
        s.arrivals[0].handle_time,
        Distribution::Empirical {
            values: vec![30.0, 45.5, 120.0]
        }
    );
    assert_eq!(
        s.arrivals[0].rate,
        ArrivalRate::Profile {
            interval: SimDuration::from_secs(1800),
            per_hour: vec![10.0, 20.0],
            aht_scale: None
        }
    );

    std::fs::write(&path, text.replace("rates.csv", "bad.csv")).unwrap();
    let e = Scenario::from_path(&path).unwrap_err();
    assert!(e.file().ends_with("bad.csv"), "{e}");
    assert_eq!(e.line(), Some(2));
    assert_eq!(e.key_path(), Some("arrivals[0].rate_profile_csv"));

    std::fs::write(&path, text.replace("rates.csv", "missing.csv")).unwrap();
    let e = Scenario::from_path(&path).unwrap_err();
    assert_eq!(e.kind(), Kind::Io);
    assert!(e.file().ends_with("s.toml"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_values_file_is_read_as_csv() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.toml");
    let text = format!(
        "{BASE}\n[[arrivals]]\nqueue = \"q\"\nrate_profile_csv = \"rates.csv\"\n\
         handle_time = {{ dist = \"empirical\", csv = \"handle.csv\" }}\n"
    );
    std::fs::write(&path, &text).unwrap();
    std::fs::write(dir.path().join("handle.csv"), "30\n\"2m\"\n").unwrap();
    let load_rates = |rates: &[u8]| {
        std::fs::write(dir.path().join("rates.csv"), rates).unwrap();
        Scenario::from_path(&path)
    };
    // A byte-order mark, a header, a comment, a blank line, a quoted value,
    // spaces and Windows line ends.
    let s =
        load_rates("\u{feff}rate_per_hour\r\n# peak next\r\n\r\n\"10\"\r\n  20 \r\n".as_bytes())
            .unwrap();
    assert_eq!(
        s.arrivals[0].rate,
        ArrivalRate::Profile {
            interval: SimDuration::from_secs(1800),
            per_hour: vec![10.0, 20.0],
            aht_scale: None
        }
    );
    assert_eq!(
        s.arrivals[0].handle_time,
        Distribution::Empirical {
            values: vec![30.0, 120.0]
        }
    );
    let refused = |rates: &str, line: usize, message: &str| {
        let e = load_rates(rates.as_bytes()).unwrap_err();
        let key = " (for arrivals[0].rate_profile_csv)";
        assert_eq!(
            (e.line(), e.message()),
            (Some(line), &*format!("{message}{key}"))
        );
    };
    refused(
        "10,20\n",
        1,
        "line 1 has several columns; expected one value per line",
    );
    refused(
        "10\n\n# c\n20;30\n",
        4,
        "found several columns in \"20;30\"; expected one value per line",
    );
    // Located at its own line, past the comments and blank lines before it.
    refused(
        "10\r\n# c\r\n\r\n  # d\r\nlots\r\n",
        5,
        "\"lots\" is not a rate; expected items per hour of 0 or more",
    );
    refused(
        "10\n20\n\"30\n40\n50\n",
        3,
        "line 3 opens a quoted value that runs past the end of the line (a `\"` left open?); expected one value per line",
    );
    refused(
        "-5\n",
        1,
        "line 1 is not a value; expected items per hour of 0 or more, one per line",
    );
    let e = load_rates("rate\n# none\n".as_bytes()).unwrap_err();
    assert!(e.message().ends_with("rates.csv\" holds no values"), "{e}");
    let e = load_rates(b"10\n\xff\n").unwrap_err();
    assert!(
        e.message()
            .starts_with("the file is not UTF-8 text (byte 3;"),
        "{e}"
    );
    assert_eq!(e.line(), Some(2));
}

#[test]
fn rate_profile_may_be_shorter_but_not_longer_than_the_intervals() {
    let arr =
        |p: &str| format!("[[arrivals]]\nqueue = \"q\"\nrate_profile = {p}\nhandle_time = 60\n");
    assert!(load(&arr("[5, 10]")).unwrap().warnings.is_empty());
    // Shorter: legal, the last rate holds, and a warning says so.
    let s = load(&arr("[5]")).unwrap();
    assert_eq!(
        s.warnings,
        [
            "rate_profile of queue \"q\" has 1 value for 2 intervals of the day; \
          the last value is held from 00:30"
        ]
    );
    let e = load(&arr("[1, 2, 3]")).unwrap_err();
    assert_eq!(e.kind(), Kind::Inconsistent);
    assert!(
        e.message()
            .contains("has 3 rates but the measured period has only 2 intervals"),
        "{e}"
    );
    let e = load(&arr("[0, 0]")).unwrap_err();
    assert!(e.message().contains("no rate above 0"), "{e}");
    let e = load(&arr("[1, -2]")).unwrap_err();
    assert_eq!(e.key_path(), Some("arrivals[0].rate_profile[1]"));
}

#[test]
fn allowed_statuses_include_the_configuration_statuses() {
    let text =
        BASE.replace(
            "capacity = 2",
            "capacity = 2\nallow_decline = true\nstatus_on_decline = \"Break\"",
        )
        .replace(
            "status = \"Available\"",
            "status = \"Available\"\nallowed_statuses = [\"Available\"]",
        ) + "\n[[statuses]]\nname = \"Break\"\n[[statuses]]\nname = \"Lunch\"\n";
    let s = Scenario::from_toml_str(&text, "t.toml").unwrap();
    assert_eq!(s.agents[0].allowed_statuses, vec![StatusId(0), StatusId(1)]);
}

#[test]
fn a_finishing_shift_gets_a_busy_status_to_finish_in() {
    // No busy status at all: the implicit one is added and granted.
    let s = load("shift = { end = \"40m\" }").unwrap();
    assert_eq!(s.statuses.len(), 2);
    assert_eq!(s.statuses[1].api_name, END_OF_SHIFT_STATUS);
    assert_eq!(s.statuses[1].label, "Busy - End of shift");
    assert!(!s.statuses[1].is_online());
    let g = &s.agents[0];
    assert_eq!(g.shift.end_mode, ShiftEndMode::Finish);
    assert_eq!(g.shift.end_status, Some(StatusId(1)));
    assert!(g.allowed_statuses.contains(&StatusId(1)));
    // The first busy status granted, when there is one.
    let busy = "\n[[statuses]]\nname = \"Lunch\"\n[[statuses]]\nname = \"Wrap_Up\"\n";
    let s = load(&format!("shift = {{ end = \"40m\" }}\n{busy}")).unwrap();
    assert_eq!(s.statuses.len(), 3, "nothing added");
    assert_eq!(s.agents[0].shift.end_status, Some(StatusId(1)));
    // The one named, granted even when not listed.
    let s = load(&format!(
        "allowed_statuses = [\"Available\"]\nshift = {{ end = \"40m\" }}\nshift_end_status = \"Wrap_Up\"\n{busy}"
    ))
    .unwrap();
    assert_eq!(s.agents[0].shift.end_status, Some(StatusId(2)));
    assert_eq!(s.agents[0].allowed_statuses, vec![StatusId(0), StatusId(2)]);
    // Abrupt, or no shift end: nothing to finish in.
    let s = load("shift = { end = \"40m\" }\nshift_end = \"abrupt\"").unwrap();
    assert_eq!(s.agents[0].shift.end_mode, ShiftEndMode::Abrupt);
    assert_eq!((s.statuses.len(), s.agents[0].shift.end_status), (1, None));
    let s = load("").unwrap();
    assert_eq!((s.statuses.len(), s.agents[0].shift.end_status), (1, None));
}

#[test]
fn arrival_wrap_up_is_a_distribution_of_zero_or_more() {
    let arr = |w: &str| {
        format!("[[arrivals]]\nqueue = \"q\"\nrate_per_hour = 5\nhandle_time = 60\nwrap_up = {w}\n")
    };
    let s = load(&arr("\"0s\"")).unwrap();
    assert_eq!(
        s.arrivals[0].wrap_up,
        Some(Distribution::Constant { value: 0.0 })
    );
    let s = load(&arr("{ dist = \"exponential\", mean = \"1m\" }")).unwrap();
    assert_eq!(
        s.arrivals[0].wrap_up,
        Some(Distribution::Exponential { mean: 60.0 })
    );
    let e = load(&arr("-5")).unwrap_err();
    assert_eq!(e.key_path(), Some("arrivals[0].wrap_up"));
    assert!(load("")
        .unwrap()
        .arrivals
        .iter()
        .all(|a| a.wrap_up.is_none()));
}

#[test]
fn no_mangling_of_a_valid_file_panics() {
    // Deleting any one character, or cutting the file short anywhere,
    // must give a scenario or an error, never a panic.
    let text = format!(
        "{BASE}\n[[arrivals]]\nqueue = \"q\"\nrate_profile = [1, 2]\n\
         handle_time = {{ dist = \"uniform\", min = \"1s\", max = 3 }}\n\
         patience = {{ dist = \"empirical\", values = [\"30s\", 45] }}\n\
         [[agents]]\ngroup = \"h\"\ncount = 1\npresence_config = \"cfg\"\nstatus = \"Available\"\n\
         shift = {{ start = \"10m\", end = 3000 }}\n"
    );
    assert!(Scenario::from_toml_str(&text, "t.toml").is_ok());
    for (i, c) in text.char_indices() {
        let mut cut = text.clone();
        cut.remove(i);
        let _ = Scenario::from_toml_str(&cut, "t.toml");
        let _ = Scenario::from_toml_str(&text[..i], "t.toml");
        if c.is_ascii_digit() {
            let _ = Scenario::from_toml_str(&text.replacen(&text[i..=i], "0", 1), "t.toml");
        }
    }
}

#[test]
fn durations_print_as_they_are_written() {
    assert_eq!(humanize(SimDuration::from_secs(201 * 3600)), "201h");
    assert_eq!(humanize(SimDuration::from_secs(8 * 3600 + 1800)), "8h30m");
    assert_eq!(humanize(SimDuration::from_secs(90)), "1m30s");
    assert_eq!(humanize(SimDuration(2_500_000)), "2.5s");
    assert_eq!(humanize(SimDuration::ZERO), "0s");
}

#[test]
fn short_runs_shorten_the_default_interval() {
    let s = Scenario::from_toml_str(&BASE.replace("\"1h\"", "\"10m\""), "t.toml").unwrap();
    assert_eq!(s.simulation.interval, SimDuration::from_secs(600));
    assert_eq!(interval_count(&s.simulation), 1);
}

#[test]
fn push_timeout_zero_means_off() {
    let s = Scenario::from_toml_str(
        &BASE.replace(
            "capacity_weight = 1",
            "capacity_weight = 1\npush_timeout = 0",
        ),
        "t.toml",
    )
    .unwrap();
    assert_eq!(s.queues[0].routing.push_timeout, None);
}

#[test]
fn an_integer_too_large_says_so() {
    let text = BASE.replace("capacity = 2", "capacity = 4294967296");
    let e = Scenario::from_toml_str(&text, "t.toml").unwrap_err();
    assert!(e.message().contains("4294967296, too large"), "{e}");
    assert!(e.message().contains("at most 4294967295"), "{e}");
}
