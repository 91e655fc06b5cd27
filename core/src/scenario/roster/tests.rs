//! Reading rosters from the scenario file: every key and every mistake.

use crate::distribution::Distribution;
use crate::omni::StatusId;
use crate::scenario::{
    Break, Scenario, ScenarioError, ScenarioErrorKind as Kind, Shift, ShiftEndMode,
};
use crate::time::SimDuration;

/// Day 08:00–16:00 after a 30-minute warm-up; "Lunch" is busy, "Chat"
/// online.
const BASE: &str = r#"
[simulation]
name = "t"
duration = "8h"
warmup = "30m"
start = "08:00"

[[channels]]
name = "chat"

[[statuses]]
name = "Available"
channels = ["chat"]

[[statuses]]
name = "Lunch"

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
presence_config = "cfg"
status = "Available"
"#;

fn load(extra: &str) -> Result<Scenario, ScenarioError> {
    Scenario::from_toml_str(&format!("{BASE}{extra}\n"), "t.toml")
}

fn err(extra: &str) -> ScenarioError {
    load(extra).expect_err("should be refused")
}

/// From the start of the run (warm-up included) to a clock time.
fn at(hh_mm: &str) -> SimDuration {
    let (h, m) = hh_mm.split_once(':').unwrap();
    let since_eight = h.parse::<u64>().unwrap() * 3600 + m.parse::<u64>().unwrap() * 60 - 8 * 3600;
    SimDuration::from_secs(since_eight + 1800)
}

fn mins(m: u64) -> SimDuration {
    SimDuration::from_secs(m * 60)
}

#[test]
fn several_shifts_with_counts_and_breaks_build_the_roster() {
    let s = load(
        r#"shifts = [
  { start = "08:00", end = "16:30", count = 6, breaks = [{ start = "12:00", duration = "30m", status = "Lunch" }, { start = "10:00", duration = "15m" }] },
  { start = "11:30", end = "20:00", count = 4 },
]"#,
    )
    .unwrap();
    let g = &s.agents[0];
    assert_eq!(g.count, 10, "the group count is the sum");
    assert_eq!(g.roster.len(), 2);
    let early = &g.roster[0];
    assert_eq!(early.count, 6);
    // 08:00 is `start`: logged in from the beginning of the warm-up.
    assert_eq!(early.shift.start, SimDuration::ZERO);
    assert_eq!(early.shift.end, Some(at("16:30")));
    // In time order; the break without a status takes the group's first
    // granted busy status, Lunch.
    assert_eq!(
        early.breaks,
        [
            Break::new(at("10:00"), mins(15), StatusId(1)),
            Break::new(at("12:00"), mins(30), StatusId(1)),
        ]
    );
    let late = &g.roster[1];
    assert_eq!((late.count, late.shift.start), (4, at("11:30")));
    assert!(late.breaks.is_empty());
    // Every shift ends the group's way, here finishing in Lunch (the first
    // busy status granted).
    assert!(g.roster.iter().all(
        |r| r.shift.end_mode == ShiftEndMode::Finish && r.shift.end_status == Some(StatusId(1))
    ));
    assert_eq!(g.schedules().count(), 10);
    assert_eq!(s.statuses.len(), 2, "no status added");
}

#[test]
fn a_group_count_equal_to_the_sum_is_accepted_and_a_single_shift_takes_it() {
    let s = load(
        "count = 5\nshifts = [{ start = \"09:00\", count = 2 }, { start = \"10:00\", count = 3 }]",
    )
    .unwrap();
    assert_eq!(s.agents[0].count, 5);
    let s = load("count = 7\nshifts = [{ start = \"09:00\", end = \"17:00\" }]").unwrap();
    let g = &s.agents[0];
    assert_eq!((g.count, g.roster.len(), g.roster[0].count), (7, 1, 7));
}

#[test]
fn the_singular_shift_is_the_plain_group_shift_unless_it_has_breaks() {
    let plain = load("count = 3\nshift = { start = \"09:00\", end = \"15:00\" }").unwrap();
    let g = &plain.agents[0];
    assert!(g.roster.is_empty());
    assert_eq!(
        (g.shift.start, g.shift.end),
        (at("09:00"), Some(at("15:00")))
    );
    let with_break = load(
        "count = 3\nshift = { start = \"09:00\", end = \"15:00\", breaks = [{ start = \"12:00\", duration = \"30m\" }] }",
    )
    .unwrap();
    let g = &with_break.agents[0];
    assert_eq!(g.roster.len(), 1);
    assert_eq!(g.roster[0].breaks.len(), 1);
    assert_eq!(g.shift, Shift::default());
}

#[test]
fn a_break_status_is_added_when_the_group_has_no_busy_status() {
    // Only Available is granted: breaks need a status of their own.
    let s = load(
        "allowed_statuses = [\"Available\"]\nshifts = [{ start = \"08:00\", end = \"12:00\", count = 2, breaks = [{ start = \"10:00\", duration = \"15m\" }] }]",
    )
    .unwrap();
    assert_eq!(s.statuses.len(), 4, "End_Of_Shift, then Break");
    assert_eq!(s.statuses[2].api_name, "End_Of_Shift");
    assert_eq!(
        (
            s.statuses[3].api_name.as_str(),
            s.statuses[3].label.as_str()
        ),
        ("Break", "Busy - Break")
    );
    assert!(!s.statuses[3].is_online());
    let g = &s.agents[0];
    assert_eq!(g.roster[0].breaks[0].status, StatusId(3));
    assert_eq!(g.allowed_statuses, [StatusId(0), StatusId(2), StatusId(3)]);
    // No shift end: no End_Of_Shift, so Break takes the next id.
    let s = load(
        "allowed_statuses = [\"Available\"]\nshifts = [{ count = 2, breaks = [{ start = \"10:00\", duration = \"15m\" }] }]",
    )
    .unwrap();
    assert_eq!(s.statuses.len(), 3);
    assert_eq!(s.statuses[2].api_name, "Break");
    assert_eq!(s.agents[0].roster[0].breaks[0].status, StatusId(2));
    assert_eq!(s.agents[0].allowed_statuses, [StatusId(0), StatusId(2)]);
}

#[test]
fn a_named_break_status_is_granted_to_the_group() {
    let s = load(
        "allowed_statuses = [\"Available\"]\nshift_end = \"abrupt\"\nshifts = [{ end = \"12:00\", count = 1, breaks = [{ start = \"10:00\", duration = \"15m\", status = \"Lunch\" }] }]",
    )
    .unwrap();
    assert_eq!(s.statuses.len(), 2);
    assert_eq!(s.agents[0].allowed_statuses, [StatusId(0), StatusId(1)]);
}

#[test]
fn lateness_and_absence_are_read() {
    let s = load(
        "absence = 0.08\nbreak_lateness = { dist = \"exponential\", mean = \"2m\" }\nshifts = [{ count = 1, breaks = [{ start = \"10:00\", duration = \"15m\" }] }]",
    )
    .unwrap();
    let g = &s.agents[0];
    assert_eq!(g.absence, 0.08);
    assert_eq!(
        g.break_lateness,
        Some(Distribution::Exponential { mean: 120.0 })
    );
    let plain = load("count = 1").unwrap();
    assert_eq!(
        (
            plain.agents[0].absence,
            plain.agents[0].break_lateness.clone()
        ),
        (0.0, None)
    );
}

/// (kind, key path, a fragment of the message, a fragment of the hint).
fn assert_refused(extra: &str, kind: Kind, key: &str, says: &str, hint: Option<&str>) {
    let e = err(extra);
    assert_eq!(e.kind(), kind, "{e}");
    assert_eq!(e.key_path(), Some(key), "{e}");
    assert!(e.message().contains(says), "{e}");
    assert!(e.line().is_some(), "located: {e}");
    if let Some(h) = hint {
        assert!(e.hint().is_some_and(|got| got.contains(h)), "{e}");
    }
}

#[test]
fn count_mistakes_say_what_to_do() {
    assert_refused(
        "count = 9\nshifts = [{ count = 6 }, { count = 4 }]",
        Kind::Inconsistent,
        "agents[0].count",
        "`count` is 9, but the shifts' counts add up to 10 (6 + 4)",
        Some("leave `count` out"),
    );
    assert_refused(
        "count = 9\nshifts = [{ start = \"08:00\" }, { start = \"10:00\" }]",
        Kind::MissingKey,
        "agents[0].shifts[0].count",
        "say how many agents work each shift",
        None,
    );
    assert_refused(
        "shifts = [{ start = \"08:00\" }]",
        Kind::MissingKey,
        "agents[0].count",
        "missing required key `count`",
        None,
    );
    assert_refused(
        "shifts = [{ count = 0 }]",
        Kind::InvalidValue,
        "agents[0].shifts[0].count",
        "add up to 0",
        None,
    );
    assert_refused(
        "shifts = [{ count = -1 }]",
        Kind::InvalidValue,
        "agents[0].shifts[0].count",
        "`shifts[0].count` is -1",
        None,
    );
    assert_refused(
        "count = 2\nshifts = []",
        Kind::InvalidValue,
        "agents[0].shifts",
        "`shifts` is empty",
        None,
    );
}

#[test]
fn shift_and_shifts_together_are_refused() {
    assert_refused(
        "count = 2\nshift = { start = \"08:00\" }\nshifts = [{ start = \"09:00\" }]",
        Kind::Inconsistent,
        "agents[0].shifts",
        "both `shift` and `shifts` are set",
        Some("shorthand for one shift"),
    );
}

#[test]
fn shift_time_mistakes_are_located_in_their_shift() {
    assert_refused(
        "shifts = [{ count = 1 }, { count = 1, start = \"12:00\", end = \"11:00\" }]",
        Kind::InvalidValue,
        "agents[0].shifts[1].end",
        "shift ends at \"11:00\" (11:00), not after it starts (12:00)",
        None,
    );
    assert_refused(
        "shifts = [{ count = 1, start = \"17:00\" }]",
        Kind::InvalidValue,
        "agents[0].shifts[0].start",
        "when the measured day has already ended at 16:00",
        None,
    );
}

#[test]
fn break_mistakes_are_located_and_explained() {
    let shift = |breaks: &str| {
        format!(
            "shifts = [{{ start = \"08:00\", end = \"12:00\", count = 1, breaks = [{breaks}] }}]"
        )
    };
    assert_refused(
        &shift("{ start = \"11:45\", duration = \"30m\" }"),
        Kind::Inconsistent,
        "agents[0].shifts[0].breaks[0].start",
        "break 11:45–12:15 is not inside its shift (08:00–12:00)",
        None,
    );
    assert_refused(
        &shift(
            "{ start = \"10:00\", duration = \"30m\" }, { start = \"10:15\", duration = \"15m\" }",
        ),
        Kind::Inconsistent,
        "agents[0].shifts[0].breaks[1].start",
        "break 10:15–10:30 overlaps break 10:00–10:30",
        None,
    );
    // Written out of order: the later one is named.
    assert_refused(
        &shift(
            "{ start = \"10:15\", duration = \"15m\" }, { start = \"10:00\", duration = \"30m\" }",
        ),
        Kind::Inconsistent,
        "agents[0].shifts[0].breaks[0].start",
        "break 10:15–10:30 overlaps break 10:00–10:30",
        None,
    );
    assert_refused(
        &shift("{ start = \"10:00\", duration = \"15m\", status = \"Lnch\" }"),
        Kind::UnknownReference,
        "agents[0].shifts[0].breaks[0].status",
        "status \"Lnch\" is not defined in [[statuses]]",
        Some("did you mean \"Lunch\"?"),
    );
    assert_refused(
        &shift("{ start = \"10:00\", duration = \"15m\", status = \"Available\" }"),
        Kind::Inconsistent,
        "agents[0].shifts[0].breaks[0].status",
        "status \"Available\" has channels",
        Some("without `channels`"),
    );
    assert_refused(
        &shift("{ start = \"10:00\" }"),
        Kind::MissingKey,
        "agents[0].shifts[0].breaks[0].duration",
        "a break has no `duration`",
        None,
    );
    assert_refused(
        &shift("{ start = \"10:00\", duration = 0 }"),
        Kind::InvalidValue,
        "agents[0].shifts[0].breaks[0].duration",
        "expected a duration greater than 0",
        None,
    );
    // A break in a shift without an end must end with the day.
    assert_refused(
        "shifts = [{ count = 1, breaks = [{ start = \"15:50\", duration = \"15m\" }] }]",
        Kind::Inconsistent,
        "agents[0].shifts[0].breaks[0].start",
        "not inside its shift (08:00–16:00)",
        None,
    );
}

#[test]
fn lateness_absence_and_roster_file_mistakes_are_refused() {
    assert_refused(
        "count = 2\nbreak_lateness = \"2m\"",
        Kind::Inconsistent,
        "agents[0].break_lateness",
        "no shift of the group has breaks",
        None,
    );
    assert_refused(
        "shifts = [{ count = 1, breaks = [{ start = \"10:00\", duration = \"15m\" }] }]\nbreak_lateness = { dist = \"exponental\", mean = \"2m\" }",
        Kind::InvalidValue,
        "agents[0].break_lateness.dist",
        "unknown distribution",
        Some("did you mean \"exponential\"?"),
    );
    assert_refused(
        "count = 2\nabsence = 8",
        Kind::InvalidValue,
        "agents[0].absence",
        "`absence` is 8; expected a probability from 0 to 1",
        Some("0.95"),
    );
    for (key, line) in [
        ("count", "count = 2"),
        ("shift", "shift = { start = \"09:00\" }"),
        ("shifts", "shifts = [{ count = 1 }]"),
    ] {
        assert_refused(
            &format!("roster_csv = \"roster.csv\"\n{line}"),
            Kind::Inconsistent,
            &format!("agents[0].{key}"),
            "`roster_csv` gives every agent and its shift",
            Some("the roster file decides"),
        );
    }
}

#[test]
fn unknown_keys_in_shifts_and_breaks_are_pointed_at() {
    let e = err("shifts = [{ count = 1, breaks = [{ start = \"10:00\", lenght = \"15m\" }] }]");
    assert_eq!(e.kind(), Kind::UnknownKey);
    assert_eq!(e.key_path(), Some("agents[0].shifts[0].breaks[0].lenght"));
    assert!(e.message().contains("in a break table"), "{e}");
    let e = err("shifts = [{ count = 1, cuont = 2 }]");
    assert_eq!(e.key_path(), Some("agents[0].shifts[0].cuont"));
    assert_eq!(e.hint(), Some("did you mean `count`?"));
}
