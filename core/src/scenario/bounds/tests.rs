use super::*;
use crate::scenario::ScenarioErrorKind;

/// The minimal valid scenario of the reproducers: one channel, capacity 1,
/// one queue at 10 items an hour, one agent, 1 h (shared with the command
/// line's bounds tests).
const MINIMAL: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../tests/fixtures/minimal.toml"
));

const LIMITS: Limits = Limits {
    max_memory: 12_000_000_000,
    max_events: DEFAULT_MAX_EVENTS,
    max_interval_rows: MAX_INTERVAL_ROWS,
};

fn edited(from: &str, to: &str) -> String {
    assert!(MINIMAL.contains(from), "{from}");
    MINIMAL.replacen(from, to, 1)
}

/// `text` validated without bounds: the tests hold it to theirs.
fn scenario(text: &str) -> Scenario {
    Scenario::from_toml_str_within(text, "min.toml", &Limits::UNBOUNDED).expect("valid scenario")
}

/// The located error for `text`, which must be refused.
fn refused(text: &str) -> ScenarioError {
    let s = scenario(text);
    let e = check_bounds(&s, RunShape::of(&s, 1), &LIMITS).expect_err("refused");
    e.locate_in(text, "min.toml")
}

#[test]
fn the_minimal_scenario_is_small() {
    let s = scenario(MINIMAL);
    let e = check_bounds(&s, RunShape::of(&s, 1), &LIMITS).expect("within bounds");
    assert_eq!(e.intervals, 2.0);
    assert_eq!(e.interval_rows, 4.0);
    assert_eq!(e.agents, 1.0);
    assert!((e.items - 10.0).abs() < 1e-9, "{}", e.items);
    assert!(
        (e.in_flight - 10.0).abs() < 1e-9,
        "no patience: 100 handle times, cut to the hour's arrivals"
    );
    assert_eq!(
        e.memory,
        BASE_BYTES + 4.0 * INTERVAL_ROW_BYTES + AGENT_BYTES + 10.0 * ITEM_BYTES
    );
    assert_eq!(e.events, 10.0 * EVENTS_PER_ITEM + EVENTS_PER_AGENT);
}

#[test]
fn replications_multiply_intervals_and_parallel_ones_agents_and_items() {
    let s = scenario(&edited("replications = 1", "replications = 10"));
    let one = estimate(
        &s,
        RunShape {
            parallel: 1,
            ..RunShape::of(&s, 1)
        },
    );
    let four = estimate(&s, RunShape::of(&s, 4));
    assert_eq!(one.interval_bytes, 10.0 * 4.0 * INTERVAL_ROW_BYTES);
    assert_eq!(four.interval_bytes, one.interval_bytes);
    assert_eq!(four.agent_bytes, 4.0 * one.agent_bytes);
    assert_eq!(four.item_bytes, 4.0 * one.item_bytes);
    assert_eq!(
        one.events,
        10.0 * (10.0 * EVENTS_PER_ITEM + EVENTS_PER_AGENT)
    );
    // More jobs than replications run no more at once.
    assert_eq!(RunShape::of(&s, 64).parallel, 10);
}

#[test]
fn without_patience_only_an_overloaded_queue_holds_the_whole_run() {
    // A year at 10 an hour, carried by one agent: 100 handle times.
    let carried = scenario(
        &edited("duration = \"1h\"", "duration = \"365d\"")
            .replace("interval = \"30m\"", "interval = \"1d\""),
    );
    let e = estimate(&carried, RunShape::of(&carried, 1));
    assert!((e.in_flight - 10.0 * STABLE_STAY_HANDLES * 300.0 / 3600.0).abs() < 1e-6);
    // At 20 an hour one agent cannot keep up: every arrival stays.
    let overloaded = scenario(
        &edited("duration = \"1h\"", "duration = \"365d\"")
            .replace("interval = \"30m\"", "interval = \"1d\"")
            .replace("rate_per_hour = 10", "rate_per_hour = 20"),
    );
    let e = estimate(&overloaded, RunShape::of(&overloaded, 1));
    assert!(
        (e.in_flight - 20.0 * 365.0 * 24.0).abs() < 1e-6,
        "{}",
        e.in_flight
    );
}

#[test]
fn patience_bounds_the_items_in_flight() {
    let s = scenario(&edited(
        "handle_time = \"5m\"",
        "handle_time = \"5m\"\npatience = \"1m\"",
    ));
    let e = estimate(&s, RunShape::of(&s, 1));
    // 10 an hour for 6 minutes.
    assert!((e.in_flight - 1.0).abs() < 1e-9, "{}", e.in_flight);
}

#[test]
fn a_profile_counts_its_segments_and_its_peak() {
    let s = scenario(&edited("rate_per_hour = 10", "rate_profile = [10, 30]"));
    let e = estimate(&s, RunShape::of(&s, 1));
    // 30 minutes at 10 an hour and 30 at 30.
    assert!((e.items - 20.0).abs() < 1e-9, "{}", e.items);
    assert!((e.in_flight - 30.0).abs() < 1e-9, "peak rate over the run");
}

#[test]
fn a_microsecond_interval_is_refused_at_the_interval() {
    let e = refused(&edited("interval = \"30m\"", "interval = \"1us\""));
    assert_eq!(e.kind(), ScenarioErrorKind::TooLarge);
    assert_eq!(e.key_path(), Some("simulation.interval"));
    assert_eq!((e.line(), e.column()), (Some(4), Some(12)));
    assert!(
        e.message()
            .starts_with("interval = \"1us\" gives 3.6e9 intervals × 2 rows"),
        "{e}"
    );
    assert!(e.message().contains("rows of intervals.csv"), "{e}");
    assert_eq!(e.hint(), Some("use a longer interval"));
}

#[test]
fn a_long_duration_is_refused_at_the_duration() {
    let e = refused(&edited("duration = \"1h\"", "duration = \"200000y\""));
    assert_eq!(e.key_path(), Some("simulation.duration"));
    assert_eq!(e.line(), Some(3));
}

#[test]
fn a_long_warmup_is_refused_at_the_warmup() {
    let e = refused(&edited(
        "duration = \"1h\"",
        "duration = \"1h\"\nwarmup = \"200000y\"",
    ));
    assert_eq!(e.key_path(), Some("simulation.warmup"));
    assert_eq!(e.hint(), Some("use a shorter warm-up"));
    // With customers who give up, it is the events that pass the bound.
    let e = refused(
        &edited(
            "duration = \"1h\"",
            "duration = \"1h\"\nwarmup = \"200000y\"",
        )
        .replace(
            "handle_time = \"5m\"",
            "handle_time = \"5m\"\npatience = \"1m\"",
        ),
    );
    assert_eq!(e.key_path(), Some("simulation.warmup"));
    assert!(e.message().contains("events"), "{e}");
    assert!(e.message().contains("--max-events"), "{e}");
}

#[test]
fn a_busy_year_is_refused_by_its_events_at_the_rate() {
    let e = refused(
        &edited("duration = \"1h\"", "duration = \"365d\"")
            .replace("interval = \"30m\"", "interval = \"1d\"")
            .replace(
                "rate_per_hour = 10",
                "rate_per_hour = 1e7\npatience = \"1s\"",
            ),
    );
    assert_eq!(e.key_path(), Some("arrivals[0].rate_per_hour"), "{e}");
    assert!(e.message().contains("events"), "{e}");
}

#[test]
fn many_agents_are_refused_at_the_count() {
    for count in ["1000000000", "10000000"] {
        let e = refused(&edited("count = 1\n", &format!("count = {count}\n")));
        assert_eq!(e.key_path(), Some("agents[0].count"), "{e}");
        assert!(e.message().contains("--max-memory"), "{e}");
        assert!(
            e.message().starts_with(&format!("count = {count} gives")),
            "{e}"
        );
    }
}

#[test]
fn many_replications_are_refused_at_the_replications() {
    let e = refused(&edited("replications = 1", "replications = 1000000000"));
    assert_eq!(e.key_path(), Some("simulation.replications"));
    assert_eq!(e.line(), Some(5));
}

#[test]
fn replications_from_the_command_line_name_the_flag() {
    let s = scenario(MINIMAL);
    let shape = RunShape {
        replications: 1_000_000_000,
        parallel: 1,
        replications_from_flag: true,
    };
    let e = check_bounds(&s, shape, &LIMITS)
        .expect_err("refused")
        .locate_in(MINIMAL, "min.toml");
    assert!(e.message().starts_with("--replications gives"), "{e}");
    assert_eq!(e.line(), None);
}

#[test]
fn a_rate_of_a_billion_is_refused_by_its_items_in_flight() {
    let e = refused(&edited("rate_per_hour = 10", "rate_per_hour = 1e9"));
    assert_eq!(e.key_path(), Some("arrivals[0].rate_per_hour"));
    assert!(e.message().contains("items in flight"), "{e}");
}

#[test]
fn a_rate_beyond_the_tick_is_an_input_error_whatever_the_limits() {
    let text = edited("rate_per_hour = 10", "rate_per_hour = 1e12");
    let s = scenario(&text);
    let huge = Limits {
        max_memory: u64::MAX,
        max_events: f64::INFINITY,
        max_interval_rows: MAX_INTERVAL_ROWS,
    };
    let e = check_bounds(&s, RunShape::of(&s, 1), &huge)
        .expect_err("refused")
        .locate_in(&text, "min.toml");
    assert_eq!(e.key_path(), Some("arrivals[0].rate_per_hour"));
    assert!(e.message().contains("3.6e9"), "names the highest rate: {e}");
    let at_limit = edited(
        "rate_per_hour = 10",
        "rate_per_hour = 3.6e9\npatience = \"1s\"",
    );
    let s = scenario(&at_limit);
    assert!(check_bounds(&s, RunShape::of(&s, 1), &huge).is_ok());
}

#[test]
fn a_bigger_limit_lets_a_big_run_through() {
    let s = scenario(&edited("count = 1\n", "count = 10000000\n"));
    let big = Limits {
        max_memory: 100_000_000_000,
        max_events: DEFAULT_MAX_EVENTS,
        max_interval_rows: MAX_INTERVAL_ROWS,
    };
    assert!(check_bounds(&s, RunShape::of(&s, 1), &big).is_ok());
}

#[test]
fn sizes_parse_in_both_kinds_of_unit() {
    assert_eq!(parse_bytes("12GB"), Ok(12_000_000_000));
    assert_eq!(parse_bytes("8GiB"), Ok(8 << 30));
    assert_eq!(parse_bytes(" 500 mb "), Ok(500_000_000));
    assert_eq!(parse_bytes("1.5T"), Ok(1_500_000_000_000));
    assert_eq!(parse_bytes("4096"), Ok(4096));
    assert!(parse_bytes("12 parsecs").is_err());
    assert!(parse_bytes("0").is_err());
    assert!(parse_bytes("-1GB").is_err());
    assert!(parse_bytes("lots").is_err());
}

#[test]
fn the_default_is_the_least_of_the_machine_the_cgroup_and_the_address_space() {
    let meminfo = "MemTotal:       24684084 kB\nMemFree:        14963904 kB\n";
    assert_eq!(mem_total(meminfo), Some(24_684_084 * 1024));
    assert_eq!(mem_total("MemFree: 1 kB\n"), None);
    let gb = 1_000_000_000;
    let limits = |machine_share, cgroup, address_space| MemoryLimits {
        machine_share,
        cgroup,
        address_space,
    };
    assert_eq!(limits(Some(12 * gb), None, None).least(), 12 * gb);
    assert_eq!(limits(Some(12 * gb), Some(4 * gb), None).least(), 4 * gb);
    assert_eq!(
        limits(Some(12 * gb), Some(4 * gb), Some(2 * gb)).least(),
        2 * gb
    );
    assert_eq!(limits(Some(12 * gb), None, Some(20 * gb)).least(), 12 * gb);
    assert_eq!(limits(None, None, None).least(), FALLBACK_MAX_MEMORY);
    assert_eq!(limits(None, Some(gb), None).least(), gb);
    // This process: whatever it detects, the default is their least.
    let here = MemoryLimits::detect();
    assert_eq!(default_max_memory(), here.least());
    assert!(here.least() > 0);
}

#[test]
fn cgroup_limits_of_both_versions_are_read_along_the_ancestors() {
    let root = tempfile::tempdir().unwrap();
    let r = root.path();
    let write = |rel: &str, text: &str| {
        let p = r.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    // v2: the group says max, its parent 2 GB: the parent's binds.
    write("memory.max", "max\n");
    write("kubepods/memory.max", "2000000000\n");
    write("kubepods/pod1/memory.max", "max\n");
    assert_eq!(cgroup_limit("0::/kubepods/pod1\n", r), Some(2_000_000_000));
    // No limit anywhere.
    assert_eq!(cgroup_limit("0::/other\n", r), None);
    // A container that sees its group as the root: the top of the mount.
    write("memory.max", "1500000000\n");
    assert_eq!(cgroup_limit("0::/\n", r), Some(1_500_000_000));
    // v1: the memory controller's line; "unlimited" is a number near 2^63.
    let v1 = tempfile::tempdir().unwrap();
    let m = v1.path().join("memory/docker/abc");
    std::fs::create_dir_all(&m).unwrap();
    std::fs::write(
        v1.path().join("memory/memory.limit_in_bytes"),
        "9223372036854771712\n",
    )
    .unwrap();
    std::fs::write(m.join("memory.limit_in_bytes"), "536870912\n").unwrap();
    let text = "12:cpu,cpuacct:/docker/abc\n7:memory:/docker/abc\n";
    assert_eq!(cgroup_limit(text, v1.path()), Some(536_870_912));
    assert_eq!(limit_value("9223372036854771712"), None);
    assert_eq!(limit_value("max"), None);
    assert_eq!(limit_value("4096\n"), Some(4096));
}

#[test]
fn figures_read_well() {
    assert_eq!(count(42.0), "42");
    assert_eq!(count(3.6e9), "3.6e9");
    assert_eq!(bytes(86e9), "86 GB");
    assert_eq!(bytes(3.4e6), "3.4 MB");
    assert_eq!(bytes(512.0), "512 B");
    assert_eq!(wall(90.0), "90 seconds");
    assert_eq!(wall(3.0 * 3600.0), "3.0 hours");
    assert_eq!(snippet(&"x".repeat(100)).chars().count(), 41);
}

#[test]
fn every_bundled_scenario_passes_unchanged() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scenarios");
    let mut seen = 0;
    let mut stack = vec![dir];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("scenarios folder") {
            let p = entry.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "toml") {
                // Sweep files and shift rules are not scenarios; the sweep
                // tool checks the bounds of every point of the bundled
                // sweeps, schedule those of the rosters it writes.
                if p.parent()
                    .is_some_and(|d| d.ends_with("sweeps") || d.ends_with("shifts"))
                {
                    continue;
                }
                let scenarios = vec![Scenario::from_path(&p).expect("bundled scenarios are valid")];
                for s in scenarios {
                    let shape = RunShape::of(&s, 2);
                    let e = check_bounds(&s, shape, &LIMITS)
                        .unwrap_or_else(|e| panic!("{}: {}", p.display(), e.locate(&p)));
                    assert!(e.memory < 2e9, "{}: {}", p.display(), bytes(e.memory));
                    seen += 1;
                }
            }
        }
    }
    assert!(seen >= 10, "{seen} scenarios");
}

#[test]
fn the_interval_rows_limit_is_a_flag_a_big_machine_may_raise() {
    let text = edited("interval = \"30m\"", "interval = \"1ms\"");
    let s = scenario(&text);
    let e = check_bounds(&s, RunShape::of(&s, 1), &LIMITS)
        .expect_err("refused")
        .locate_in(&text, "min.toml");
    assert!(e.message().contains("--max-interval-rows"), "{e}");
    let roomy = Limits {
        max_memory: u64::MAX,
        max_events: f64::INFINITY,
        max_interval_rows: 1e8,
    };
    assert!(check_bounds(&s, RunShape::of(&s, 1), &roomy).is_ok());
}
