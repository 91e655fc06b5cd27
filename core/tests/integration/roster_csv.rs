//! `agents[].roster_csv`: a WFM roster export read into the groups, and
//! every mistake in it named by file, line and column.

use omnisim_core::omni::StatusId;
use omnisim_core::scenario::{render_summary, Scenario, ScenarioError, ScenarioErrorKind as Kind};
use omnisim_core::time::SimDuration;
use std::path::{Path, PathBuf};

const SCENARIO: &str = r#"
[simulation]
name = "roster"
duration = "12h"
warmup = "30m"
start = "08:00"

[[channels]]
name = "chat"

[[statuses]]
name = "Available"
channels = ["chat"]

[[statuses]]
name = "Lunch"

[[statuses]]
name = "Coffee"

[[presence_configs]]
name = "cfg"
capacity = 2

[[queues]]
name = "q"
channel = "chat"
routing_model = "most_available"
capacity_weight = 1

[[agents]]
group = "Tier 1"
presence_config = "cfg"
status = "Available"
roster_csv = "roster.csv"

[[agents]]
group = "Tier 2"
presence_config = "cfg"
status = "Available"
roster_csv = "roster.csv"
"#;

const GOOD: &str = "\
agent,group,shift_start,shift_end,breaks
# early
Ann Lee,Tier 1,08:00,16:30,10:00-10:15 Coffee; 12:00-12:30 Lunch
Bo Chen,Tier 2,09:00,17:30,12:30-13:00
\"Diaz, Carla\",Tier 1,11:30,20:00,
";

/// Writes the scenario and `csv` into a fresh folder and loads it.
fn load(csv: &str) -> (tempfile::TempDir, Result<Scenario, ScenarioError>) {
    load_with(SCENARIO, csv)
}

fn load_with(scenario: &str, csv: &str) -> (tempfile::TempDir, Result<Scenario, ScenarioError>) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("s.toml"), scenario).unwrap();
    std::fs::write(dir.path().join("roster.csv"), csv).unwrap();
    let s = Scenario::from_path(&dir.path().join("s.toml"));
    (dir, s)
}

fn at(hh_mm: &str) -> SimDuration {
    let (h, m) = hh_mm.split_once(':').unwrap();
    let secs = h.parse::<u64>().unwrap() * 3600 + m.parse::<u64>().unwrap() * 60 - 8 * 3600;
    SimDuration::from_secs(secs + 1800)
}

#[test]
fn one_file_rosters_every_group_one_agent_per_line() {
    let (_dir, s) = load(GOOD);
    let s = s.unwrap();
    let t1 = &s.agents[0];
    assert_eq!(t1.count, 2);
    let names: Vec<Option<&str>> = t1.schedules().map(|a| a.name).collect();
    assert_eq!(names, [Some("Ann Lee"), Some("Diaz, Carla")]);
    let ann = &t1.roster[0];
    assert_eq!(ann.shift.start, SimDuration::ZERO, "08:00 opens the day");
    assert_eq!(ann.shift.end, Some(at("16:30")));
    let breaks: Vec<(SimDuration, u64, StatusId)> = ann
        .breaks
        .iter()
        .map(|b| (b.start, b.duration.0 / 60_000_000, b.status))
        .collect();
    assert_eq!(
        breaks,
        [
            (at("10:00"), 15, StatusId(2)),
            (at("12:00"), 30, StatusId(1))
        ]
    );
    let t2 = &s.agents[1];
    assert_eq!(t2.count, 1);
    // No status: the first busy status the group is granted, Lunch.
    assert_eq!(t2.roster[0].breaks[0].status, StatusId(1));
    assert_eq!(t2.roster[0].shift.start, at("09:00"));
    let summary = render_summary(&s);
    assert!(
        summary.contains("08:00–16:30, breaks 10:00–10:15 Coffee, 12:00–12:30 Lunch"),
        "{summary}"
    );
}

/// The error names the CSV file, the line and the column (as the last part
/// of the key path), and says `says`.
fn assert_csv_error(
    csv: &str,
    kind: Kind,
    line: usize,
    column: &str,
    says: &str,
    hint: Option<&str>,
) {
    let (dir, s) = load(csv);
    let e = s.expect_err("should be refused");
    assert_eq!(e.kind(), kind, "{e}");
    assert_eq!(
        e.file(),
        dir.path().join("roster.csv").display().to_string(),
        "{e}"
    );
    assert_eq!(e.line(), Some(line), "{e}");
    assert_eq!(
        e.key_path(),
        Some(format!("agents[0].roster_csv.{column}").as_str()),
        "{e}"
    );
    assert!(e.message().contains(says), "{e}");
    if let Some(h) = hint {
        assert!(e.hint().is_some_and(|got| got.contains(h)), "{e}");
    }
}

const HEADER: &str = "agent,group,shift_start,shift_end,breaks\n";

#[test]
fn bad_times_are_named_by_line_and_column() {
    assert_csv_error(
        &format!("{HEADER}Ann,Tier 1,08:00,16:30,\nBo,Tier 1,8:7x,16:30,\n"),
        Kind::InvalidValue,
        3,
        "shift_start",
        "\"8:7x\" is not a clock time",
        None,
    );
    assert_csv_error(
        &format!("{HEADER}Ann,Tier 1,12:00,11:00,\n"),
        Kind::InvalidValue,
        2,
        "shift_end",
        "not after it starts",
        None,
    );
    assert_csv_error(
        &format!("{HEADER}Ann,Tier 1,12:00,,\n"),
        Kind::MissingKey,
        2,
        "shift_end",
        "is empty; expected a clock time",
        None,
    );
    assert_csv_error(
        &format!("{HEADER}Ann,Tier 1,08:00,16:30,12:00-12:75 Lunch\n"),
        Kind::InvalidValue,
        2,
        "breaks",
        "minute 75",
        None,
    );
}

#[test]
fn break_mistakes_are_named_by_line_and_column() {
    assert_csv_error(
        &format!("{HEADER}Ann,Tier 1,08:00,12:00,11:45-12:15\n"),
        Kind::Inconsistent,
        2,
        "breaks",
        "break 11:45–12:15 is not inside its shift (08:00–12:00)",
        None,
    );
    assert_csv_error(
        &format!("{HEADER}Ann,Tier 1,08:00,12:00,10:00-10:30 Lunch; 10:15-10:30 Coffee\n"),
        Kind::Inconsistent,
        2,
        "breaks",
        "break 10:15–10:30 overlaps break 10:00–10:30",
        None,
    );
    assert_csv_error(
        &format!("{HEADER}Ann,Tier 1,08:00,12:00,10:00-10:30 Lunh\n"),
        Kind::UnknownReference,
        2,
        "breaks",
        "status \"Lunh\" of break \"10:00-10:30 Lunh\" is not defined in [[statuses]]",
        Some("did you mean \"Lunch\"?"),
    );
    assert_csv_error(
        &format!("{HEADER}Ann,Tier 1,08:00,12:00,10:00-10:30 Available\n"),
        Kind::Inconsistent,
        2,
        "breaks",
        "status \"Available\" has channels",
        None,
    );
    assert_csv_error(
        &format!("{HEADER}Ann,Tier 1,08:00,12:00,10:30-10:00\n"),
        Kind::InvalidValue,
        2,
        "breaks",
        "not after it starts",
        None,
    );
    assert_csv_error(
        &format!("{HEADER}Ann,Tier 1,08:00,12:00,lunch at noon\n"),
        Kind::InvalidValue,
        2,
        "breaks",
        "is not a break; expected START-END",
        None,
    );
}

#[test]
fn a_line_after_comments_and_blank_lines_is_named_by_its_own_line() {
    assert_csv_error(
        &format!("{HEADER}Ann,Tier 1,08:00,16:30,\n# late shift\n\nBo,Tier 1,8:7x,16:30,\n"),
        Kind::InvalidValue,
        5,
        "shift_start",
        "\"8:7x\" is not a clock time",
        None,
    );
    assert_csv_error(
        &format!("{HEADER}# Tier 3 is not rostered here\nBo,Tier 3,08:00,12:00,\n"),
        Kind::UnknownReference,
        3,
        "group",
        "group \"Tier 3\"",
        None,
    );
}

#[test]
fn a_line_for_a_group_nobody_reads_is_refused_with_a_suggestion() {
    assert_csv_error(
        &format!("{HEADER}Ann,Tier 1,08:00,12:00,\nBo,Tier 3,08:00,12:00,\n"),
        Kind::UnknownReference,
        3,
        "group",
        "group \"Tier 3\" is not an [[agents]] group reading this file; groups reading it: \"Tier 1\", \"Tier 2\"",
        Some("did you mean \"Tier 1\"?"),
    );
    assert_csv_error(
        &format!("{HEADER}Ann,Tier 1,08:00,12:00,\nBo,Back office,08:00,12:00,\n"),
        Kind::UnknownReference,
        3,
        "group",
        "group \"Back office\"",
        Some("add an [[agents]] entry with group = \"Back office\""),
    );
    assert_csv_error(
        &format!("{HEADER},Tier 1,08:00,12:00,\n"),
        Kind::InvalidValue,
        2,
        "agent",
        "the agent's name is empty",
        None,
    );
}

#[test]
fn a_malformed_file_is_refused_in_place() {
    assert_csv_error(
        "agent,group,start,shift_end,breaks\nAnn,Tier 1,08:00,12:00,\n",
        Kind::MissingKey,
        1,
        "shift_start",
        "the header has no column `shift_start`; expected the columns agent,group,shift_start,shift_end,breaks (it names agent,group,shift_end,breaks)",
        None,
    );
    let (dir, s) = load(&format!(
        "{HEADER}Ann,Tier 1,08:00,12:00,10:00-10:15,extra\n"
    ));
    let e = s.unwrap_err();
    assert_eq!((e.kind(), e.line()), (Kind::InvalidValue, Some(2)), "{e}");
    assert_eq!(
        e.file(),
        dir.path().join("roster.csv").display().to_string()
    );
    assert!(
        e.message().contains("the line has 6 fields, expected 5"),
        "{e}"
    );
    // A group with no line: the error points at the scenario's key.
    let (_dir, s) = load(&format!("{HEADER}Ann,Tier 1,08:00,12:00,\n"));
    let e = s.unwrap_err();
    assert_eq!(e.key_path(), Some("agents[1].roster_csv"), "{e}");
    assert!(
        e.message().contains("has no line for group \"Tier 2\""),
        "{e}"
    );
    assert!(e.file().ends_with("s.toml"), "{e}");
}

#[test]
fn an_unreadable_or_huge_file_is_an_error_not_a_hang() {
    let with_path =
        |p: &Path| SCENARIO.replace("\"roster.csv\"", &format!("{:?}", p.display().to_string()));
    let missing = PathBuf::from("/nonexistent/roster.csv");
    let (_dir, s) = load_with(&with_path(&missing), GOOD);
    let e = s.unwrap_err();
    assert_eq!(e.kind(), Kind::Io);
    assert_eq!(e.key_path(), Some("agents[0].roster_csv"));
    assert!(
        e.message()
            .contains("cannot read \"/nonexistent/roster.csv\""),
        "{e}"
    );
    #[cfg(unix)]
    {
        let (_dir, s) = load_with(&with_path(Path::new("/dev/zero")), GOOD);
        let e = s.unwrap_err();
        assert_eq!(e.kind(), Kind::InvalidValue, "{e}");
        assert!(
            e.message()
                .contains("\"/dev/zero\": it is a character device, not a regular file"),
            "{e}"
        );
    }
}

#[test]
fn count_or_shifts_beside_a_roster_file_are_refused() {
    let scenario = SCENARIO.replacen(
        "roster_csv = \"roster.csv\"",
        "roster_csv = \"roster.csv\"\ncount = 3",
        1,
    );
    let (_dir, s) = load_with(&scenario, GOOD);
    let e = s.unwrap_err();
    assert_eq!(e.kind(), Kind::Inconsistent);
    assert_eq!(e.key_path(), Some("agents[0].count"));
    assert!(e.file().ends_with("s.toml"));
}

#[test]
fn the_bank_roster_covers_the_bank_day() {
    // The bank, as a planning twin would run it: a 08:00–20:00 day with
    // every group read from scenarios/data/bank_roster.csv.
    let root = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."));
    let bank = std::fs::read_to_string(root.join("scenarios/bank.toml")).unwrap();
    let mut text = String::new();
    for line in bank.lines() {
        if line.starts_with("duration = ") {
            text.push_str("duration = \"12h\"\n");
        } else if let Some(n) = line.strip_prefix("count = ") {
            assert!(n.parse::<u32>().is_ok());
            text.push_str("roster_csv = \"data/bank_roster.csv\"\n");
        } else {
            text.push_str(line);
            text.push('\n');
        }
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("data")).unwrap();
    std::fs::copy(
        root.join("scenarios/data/bank_roster.csv"),
        dir.path().join("data/bank_roster.csv"),
    )
    .unwrap();
    std::fs::write(dir.path().join("bank.toml"), &text).unwrap();
    let s = Scenario::from_path(&dir.path().join("bank.toml")).unwrap_or_else(|e| panic!("{e}"));
    // Today's counts cover today's rates; the roster keeps at least that
    // many on the floor (logged in, not on a break) in every interval of
    // the longer day, lunches and coffee breaks included.
    let today: Vec<(String, u32)> = bank
        .split("[[agents]]")
        .skip(1)
        .map(|block| {
            let group = block
                .split("group = \"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap();
            let count = block
                .split("count = ")
                .nth(1)
                .unwrap()
                .split('\n')
                .next()
                .unwrap();
            (group.to_owned(), count.trim().parse().unwrap())
        })
        .collect();
    assert_eq!(today.len(), s.agents.len());
    for (g, (name, count)) in today.iter().enumerate() {
        assert_eq!(&s.agents[g].group, name);
        let floor = s.floor_per_interval(g);
        assert_eq!(floor.len(), 12);
        let low = floor.iter().cloned().fold(f64::MAX, f64::min);
        assert!(
            low >= *count as f64,
            "group {name}: {floor:?} dips below today's {count}"
        );
        assert!(s.agents[g].roster.iter().all(|r| r.name.is_some()));
        assert!(s.agents[g].roster.iter().any(|r| r.breaks.len() >= 2));
    }
}
