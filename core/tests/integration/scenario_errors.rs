//! Every kind of scenario mistake is reported with the right place and
//! words, and every shipped scenario loads.
//!
//! Each file in `tests/fixtures/bad/` holds exactly one mistake, named by
//! the file; `omnisim check` tests reuse them. A fixture added without an
//! expectation here fails `every_fixture_has_an_expectation`.

use omnisim_core::scenario::{render_summary, Scenario, ScenarioErrorKind as Kind};
use std::path::{Path, PathBuf};

/// What a fixture's error must say.
struct Expect {
    file: &'static str,
    kind: Kind,
    line: Option<usize>,
    column: Option<usize>,
    key_path: Option<&'static str>,
    /// A fragment of the message.
    says: &'static str,
    /// A fragment of the hint, if one is expected.
    hint: Option<&'static str>,
}

const fn e(
    file: &'static str,
    kind: Kind,
    at: Option<(usize, usize)>,
    key_path: Option<&'static str>,
    says: &'static str,
    hint: Option<&'static str>,
) -> Expect {
    let (line, column) = match at {
        Some((l, c)) => (Some(l), Some(c)),
        None => (None, None),
    };
    Expect {
        file,
        kind,
        line,
        column,
        key_path,
        says,
        hint,
    }
}

const EXPECTATIONS: &[Expect] = &[
    e("syntax_error", Kind::Syntax, Some((3, 16)), None, "invalid basic string", Some("missing its closing quote")),
    e("control_character_in_comment", Kind::Syntax, Some((1, 24)), None, "invalid toml: control character U+0000 is not allowed", None),
    e("not_utf8", Kind::Syntax, Some((3, 12)), None, "not UTF-8 text: byte 0xE9", Some("save the scenario as UTF-8")),
    e(
        "unknown_key",
        Kind::UnknownKey,
        Some((25, 1)),
        Some("queues[0].routng_model"),
        "queue \"Chat support\": unknown key `routng_model` in [[queues]]; expected one of `name`, `channel`",
        Some("did you mean `routing_model`?"),
    ),
    e(
        "key_in_wrong_section",
        Kind::UnknownKey,
        Some((21, 1)),
        Some("presence_configs[0].push_timeout"),
        "unknown key `push_timeout` in [[presence_configs]]",
        Some("`push_timeout` is a key of [[queues]], not of [[presence_configs]]"),
    ),
    e("missing_simulation", Kind::MissingKey, None, Some("simulation"), "no [simulation] section", Some("[simulation]")),
    e(
        "missing_required_key",
        Kind::MissingKey,
        Some((22, 1)),
        Some("queues[0].channel"),
        "queue \"Chat support\": missing required key `channel`",
        None,
    ),
    e("wrong_type", Kind::WrongType, Some((19, 12)), Some("presence_configs[0].capacity"), "found string \"2\", expected an integer", None),
    e(
        "external_without_policy",
        Kind::Inconsistent,
        Some((25, 17)),
        Some("queues[0].routing_model"),
        "routing model \"external\" leaves the choice of agent to the org's own routing, which a scenario file alone cannot supply",
        Some("run it from a program that implements omnisim_core::routing::RoutingPolicy (see examples/external_router.rs), or use \"most_available\" / \"least_active\""),
    ),
    e(
        "unknown_capacity_type",
        Kind::InvalidValue,
        Some((27, 17)),
        Some("queues[0].capacity_type"),
        "unknown capacity type \"interuptible\"; expected \"primary\", \"interruptible\" or \"inherit\" (from the channel)",
        Some("did you mean \"interruptible\"?"),
    ),
    e(
        "zero_reassign_after",
        Kind::InvalidValue,
        Some((10, 18)),
        Some("channels[0].reassign_after"),
        "`reassign_after` is \"0s\"; expected a duration greater than 0",
        None,
    ),
    e(
        "paused_cost_on_tab_channel",
        Kind::Inconsistent,
        Some((27, 26)),
        Some("queues[0].paused_capacity_weight"),
        "`paused_capacity_weight` is set, but channel \"chat\" is tab-based; only work of a status-based channel can be paused",
        Some("add capacity_model = \"status\" to channel \"chat\""),
    ),
    e(
        "unknown_capacity_model",
        Kind::InvalidValue,
        Some((9, 18)),
        Some("channels[0].capacity_model"),
        "unknown capacity model \"statuses\"; expected \"tab\" (open tabs hold capacity) or \"status\" (work in progress holds it, even across a logout)",
        Some("did you mean \"status\"?"),
    ),
    e(
        "unknown_interruptible_progress",
        Kind::InvalidValue,
        Some((10, 26)),
        Some("channels[0].interruptible_progress"),
        "unknown interruptible progress \"idel\"; expected \"idle\" (interruptible items are worked only while the agent holds no primary work in progress) or \"parallel\" (they are worked alongside it)",
        Some("did you mean \"idle\"?"),
    ),
    e(
        "interruptible_capacity_above_cap",
        Kind::InvalidValue,
        Some((21, 26)),
        Some("presence_configs[0].interruptible_capacity"),
        "`interruptible_capacity` is 150, room for 150 items of interruptible queue \"Chat support\"; Omni-Channel caps an agent at 100 open items",
        Some("at most 100 units with this cost"),
    ),
    e(
        "unknown_channel",
        Kind::UnknownReference,
        Some((24, 11)),
        Some("queues[0].channel"),
        "channel \"chta\" is not defined in [[channels]]; defined: \"chat\"",
        Some("did you mean \"chat\"?"),
    ),
    e(
        "unknown_presence_config",
        Kind::UnknownReference,
        Some((36, 19)),
        Some("agents[0].presence_config"),
        "agent group \"Tier 1\": presence configuration \"Chat agent\" is not defined in [[presence_configs]]",
        Some("did you mean \"Chat agents\"?"),
    ),
    e(
        "unknown_status",
        Kind::UnknownReference,
        Some((37, 10)),
        Some("agents[0].status"),
        "status \"Online\" is not defined in [[statuses]]; defined: \"Available\", \"Break\"",
        None,
    ),
    e("zero_duration", Kind::InvalidValue, Some((4, 12)), Some("simulation.duration"), "`duration` is \"0s\"; expected a duration greater than 0", None),
    e("negative_duration", Kind::InvalidValue, Some((4, 12)), Some("simulation.duration"), "-3600 seconds is negative", None),
    e("bad_duration_string", Kind::InvalidValue, Some((4, 12)), Some("simulation.duration"), "\"8 hourz\" is not a duration", None),
    e(
        "probability_out_of_range",
        Kind::InvalidValue,
        Some((38, 22)),
        Some("agents[0].accept_probability"),
        "`accept_probability` is 90; expected a probability from 0 to 1",
        Some("0.95"),
    ),
    e(
        "capacity_weight_above_capacity",
        Kind::Inconsistent,
        Some((26, 19)),
        Some("queues[0].capacity_weight"),
        "can never be routed: `capacity_weight` is 3, above the capacity of every agent group",
        None,
    ),
    e(
        "percentage_out_of_range",
        Kind::InvalidValue,
        Some((26, 23)),
        Some("queues[0].capacity_percentage"),
        "`capacity_percentage` is 150; expected a share of capacity above 0 and at most 100",
        None,
    ),
    e("interval_longer_than_duration", Kind::Inconsistent, Some((5, 12)), Some("simulation.interval"), "`interval` is \"10h\", longer than `duration` (\"8h\")", None),
    e("zero_agents", Kind::InvalidValue, Some((35, 9)), Some("agents[0].count"), "`count` is 0; expected at least 1 agent", None),
    e(
        "bad_distribution_parameter",
        Kind::InvalidValue,
        Some((31, 46)),
        Some("arrivals[0].handle_time.mean"),
        "bad exponential distribution for `handle_time`: mean must be > 0 seconds",
        None,
    ),
    e(
        "gamma_zero_sd",
        Kind::InvalidValue,
        Some((31, 51)),
        Some("arrivals[0].handle_time.sd"),
        "bad gamma distribution for `handle_time`: sd must be > 0 seconds, got 0",
        None,
    ),
    e(
        "unknown_distribution",
        Kind::InvalidValue,
        Some((31, 24)),
        Some("arrivals[0].handle_time.dist"),
        "unknown distribution \"exponental\"; expected one of \"constant\", \"exponential\"",
        Some("did you mean \"exponential\"?"),
    ),
    e(
        "auto_accept_and_decline",
        Kind::Inconsistent,
        Some((21, 15)),
        Some("presence_configs[0].auto_accept"),
        "`auto_accept` and `allow_decline` are both true",
        None,
    ),
    e(
        "status_on_decline_without_decline",
        Kind::Inconsistent,
        Some((20, 21)),
        Some("presence_configs[0].status_on_decline"),
        "`status_on_decline` is set but `allow_decline` is not true",
        None,
    ),
    e(
        "decline_not_allowed",
        Kind::Inconsistent,
        Some((37, 22)),
        Some("agents[0].accept_probability"),
        "presence configuration \"Chat agents\" does not allow decline, so these agents could never decline",
        Some("allow_decline = true"),
    ),
    e(
        "duplicate_name",
        Kind::DuplicateName,
        Some((29, 8)),
        Some("queues[1].name"),
        "queue \"Chat support\": the name is already used by queues[0] on line 23",
        None,
    ),
    e(
        "login_status_not_allowed",
        Kind::Inconsistent,
        Some((37, 10)),
        Some("agents[0].status"),
        "login status \"Available\" is not in `allowed_statuses`",
        Some("add \"Available\" to allowed_statuses"),
    ),
    e(
        "shift_ends_before_it_starts",
        Kind::InvalidValue,
        Some((39, 31)),
        Some("agents[0].shift.end"),
        "shift ends at \"2h\" (02:00), not after it starts (04:00)",
        None,
    ),
    e(
        "rate_profile_too_long",
        Kind::Inconsistent,
        Some((30, 16)),
        Some("arrivals[0].rate_profile"),
        "`rate_profile` has 17 rates but the measured period has only 16 intervals of 30m",
        None,
    ),
    e(
        "rate_profile_csv_endless",
        Kind::InvalidValue,
        Some((30, 20)),
        Some("arrivals[0].rate_profile_csv"),
        "\"/dev/zero\": it is a character device, not a regular file; expected one value per line",
        None,
    ),
    e(
        "unknown_skill_on_agent",
        Kind::UnknownReference,
        Some((49, 21)),
        Some("agents[0].skills.Englsh"),
        "agent group \"Tier 1\": skill \"Englsh\" is not defined in [[skills]]; defined: \"English\", \"French\"",
        Some("did you mean \"English\"?"),
    ),
    e(
        "agent_skill_level_out_of_range",
        Kind::InvalidValue,
        Some((49, 22)),
        Some("agents[0].skills.English"),
        "agent group \"Tier 1\": skill level 11 is out of range; expected a level from 0 to 10",
        None,
    ),
    e(
        "required_skill_level_out_of_range",
        Kind::InvalidValue,
        Some((31, 40)),
        Some("queues[0].skills[0].level"),
        "queue \"Chat support\": skill level 12 is out of range; expected a level from 0 to 10",
        None,
    ),
    e(
        "skill_mix_does_not_sum_to_one",
        Kind::InvalidValue,
        Some((43, 25)),
        Some("arrivals[0].skill_mix[0].choose"),
        "arrivals for queue \"Chat support\": the probabilities of `skill_mix[0].choose` sum to 0.9; expected 1",
        Some("the shares must add up to 1"),
    ),
    e(
        "secondary_priority_length_mismatch",
        Kind::Inconsistent,
        Some((43, 22)),
        Some("arrivals[0].secondary_priority"),
        "arrivals for queue \"Chat support\": `values` has 3 entries and `p` 2; expected one probability per value",
        Some("secondary_priority = { values = [0, 1], p = [0.1, 0.9] }"),
    ),
    e(
        "negative_secondary_priority",
        Kind::InvalidValue,
        Some((43, 22)),
        Some("arrivals[0].secondary_priority"),
        "arrivals for queue \"Chat support\": secondary priority -1 is out of range; expected a whole number of 0 or more (0 is the most urgent)",
        None,
    ),
    e(
        "unknown_queue_in_membership",
        Kind::UnknownReference,
        Some((50, 11)),
        Some("agents[0].queues[0]"),
        "agent group \"Tier 1\": queue \"Sale\" is not defined in [[queues]]; defined: \"Chat support\", \"Sales\"",
        Some("did you mean \"Sales\"?"),
    ),
    e(
        "queue_listed_twice",
        Kind::DuplicateName,
        Some((50, 36)),
        Some("agents[0].queues[2]"),
        "agent group \"Tier 1\": queue \"Sales\" is listed twice",
        None,
    ),
    e(
        "unknown_routing_type",
        Kind::InvalidValue,
        Some((28, 11)),
        Some("queues[0].routing"),
        "queue \"Chat support\": unknown routing \"skill\"; expected \"queue\" (queue members) or \"skills\" (skills-based)",
        Some("did you mean \"skills\"?"),
    ),
    e(
        "skills_on_queue_based_queue",
        Kind::Inconsistent,
        Some((38, 10)),
        Some("queues[1].skills"),
        "queue \"Sales\": `skills` applies to skills-based routing, but the queue is routed to its members",
        Some("add routing = \"skills\" to the queue, or remove the key"),
    ),
    e(
        "zero_drop_timeout",
        Kind::InvalidValue,
        Some((32, 34)),
        Some("queues[0].drop_additional_skills_timeout"),
        "queue \"Chat support\": `drop_additional_skills_timeout` is \"0s\"; expected a duration greater than 0",
        None,
    ),
    e(
        "negative_drop_timeout",
        Kind::InvalidValue,
        Some((32, 34)),
        Some("queues[0].drop_additional_skills_timeout"),
        "queue \"Chat support\": -30 seconds is negative",
        None,
    ),
    e(
        "priority_on_queue_based_arrival",
        Kind::Inconsistent,
        Some((48, 12)),
        Some("arrivals[1].priority"),
        "arrivals for queue \"Sales\": `priority` applies to skills-based routing, but queue \"Sales\" is routed to its members",
        Some("add routing = \"skills\" to queue \"Sales\", or remove `priority`"),
    ),
    e(
        "skill_priority_on_required_skill",
        Kind::Inconsistent,
        Some((31, 54)),
        Some("queues[0].skills[0].priority"),
        "queue \"Chat support\": a skill priority is set on a required skill; only additional skills are dropped, in priority order",
        Some("add additional = true, or remove priority"),
    ),
    e(
        "capacity_percentage_too_precise",
        Kind::InvalidValue,
        Some((37, 23)),
        Some("queues[1].capacity_percentage"),
        "queue \"Sales\": `capacity_percentage` is 33.3333333; the engine keeps percentages to 6 decimals",
        Some("round it to at most 6 decimals"),
    ),
    e(
        "zero_queue_service_level_threshold",
        Kind::InvalidValue,
        Some((38, 27)),
        Some("queues[1].service_level_threshold"),
        "queue \"Sales\": `service_level_threshold` is \"0s\"; expected a duration greater than 0",
        None,
    ),
    e(
        "target_service_level_above_one",
        Kind::InvalidValue,
        Some((38, 24)),
        Some("queues[1].target_service_level"),
        "queue \"Sales\": `target_service_level` is 1.5; expected a probability from 0 to 1",
        Some("95% is target_service_level = 0.95"),
    ),
    e(
        "zero_max_asa",
        Kind::InvalidValue,
        Some((38, 11)),
        Some("queues[1].max_asa"),
        "queue \"Sales\": `max_asa` is \"0s\"; expected a duration greater than 0",
        None,
    ),
    e(
        "max_occupancy_as_percentage",
        Kind::InvalidValue,
        Some((38, 17)),
        Some("queues[1].max_occupancy"),
        "queue \"Sales\": `max_occupancy` is 90; expected a fraction of capacity from 0 to 1",
        Some("90% is max_occupancy = 0.9"),
    ),
    e(
        "zero_cost_per_hour",
        Kind::InvalidValue,
        Some((51, 17)),
        Some("agents[0].cost_per_hour"),
        "agent group \"Tier 1\": `cost_per_hour` is 0; expected a cost per agent-hour above 0",
        Some("every group uses the same"),
    ),
    e(
        "max_agents_below_min_agents",
        Kind::Inconsistent,
        Some((52, 14)),
        Some("agents[0].max_agents"),
        "`max_agents` is 3, below `min_agents` (5); expected at least as many as the minimum",
        None,
    ),
    e(
        "plan_fixed_with_max_agents",
        Kind::Inconsistent,
        Some((51, 14)),
        Some("agents[0].plan_fixed"),
        "`plan_fixed = true` keeps the group as its roster puts it, so `max_agents` would never apply",
        Some("remove `max_agents`"),
    ),
    e(
        "unknown_target_window",
        Kind::InvalidValue,
        Some((39, 17)),
        Some("queues[1].target_window"),
        "queue \"Sales\": `target_window` is \"week\"; expected \"interval\", \"day\" or a duration such as \"2h\"",
        None,
    ),
    e(
        "target_window_shorter_than_interval",
        Kind::InvalidValue,
        Some((39, 17)),
        Some("queues[1].target_window"),
        "`target_window` is \"10m\", shorter than one reporting interval (30m)",
        Some("\"interval\" does that"),
    ),
    e(
        "unknown_key_in_skill_requirement",
        Kind::UnknownKey,
        Some((31, 32)),
        Some("queues[0].skills[0].levle"),
        "queue \"Chat support\": unknown key `levle` in a skill requirement; expected one of `skill`, `level`, `additional`, `priority`",
        Some("did you mean `level`?"),
    ),
    e(
        "unknown_shift_end",
        Kind::InvalidValue,
        Some((40, 13)),
        Some("agents[0].shift_end"),
        "agent group \"Tier 1\": unknown shift_end \"abrubt\"; expected \"finish\" (finish the work held, then log out) or \"abrupt\" (log out at once)",
        Some("did you mean \"abrupt\"?"),
    ),
    e(
        "unknown_shift_end_status",
        Kind::UnknownReference,
        Some((40, 20)),
        Some("agents[0].shift_end_status"),
        "agent group \"Tier 1\": status \"Wrap_Up\" is not defined in [[statuses]]; defined: \"Available\", \"Break\"",
        None,
    ),
    e(
        "shift_end_status_with_channels",
        Kind::Inconsistent,
        Some((40, 20)),
        Some("agents[0].shift_end_status"),
        "status \"Available\" has channels, so agents finishing their shift in it would keep receiving work; expected a busy status (one without channels)",
        Some("add a [[statuses]] item without `channels`"),
    ),
    e(
        "shift_end_status_with_abrupt",
        Kind::Inconsistent,
        Some((41, 20)),
        Some("agents[0].shift_end_status"),
        "`shift_end_status` is set, but `shift_end` is \"abrupt\": the agents log out at once and never use it",
        Some("remove `shift_end_status`, or set shift_end = \"finish\""),
    ),
    e(
        "negative_arrival_wrap_up",
        Kind::InvalidValue,
        Some((32, 42)),
        Some("arrivals[0].wrap_up.mean"),
        "arrivals for queue \"Chat support\": -30 seconds is negative",
        None,
    ),
    e(
        "invalid_arrival_wrap_up",
        Kind::InvalidValue,
        Some((32, 20)),
        Some("arrivals[0].wrap_up.dist"),
        "arrivals for queue \"Chat support\": unknown distribution \"normal\"; expected one of \"constant\", \"exponential\"",
        Some("did you mean \"lognormal\"?"),
    ),
    e(
        "transfer_probability_out_of_range",
        Kind::InvalidValue,
        Some((34, 28)),
        Some("arrivals[0].transfer.probability"),
        "arrivals for queue \"Cards\": `transfer.probability` is 1.5; expected a probability from 0 to 1",
        Some("0.95"),
    ),
    e(
        "transfer_to_unknown_queue",
        Kind::UnknownReference,
        Some((34, 44)),
        Some("arrivals[0].transfer.to_queue"),
        "queue \"Loan\" is not defined in [[queues]]; defined: \"Cards\", \"Loans\"",
        Some("did you mean \"Loans\"?"),
    ),
    e(
        "transfer_to_own_queue",
        Kind::Inconsistent,
        Some((34, 44)),
        Some("arrivals[0].transfer.to_queue"),
        "`transfer.to_queue` is \"Cards\", the stream's own queue; expected another queue",
        Some("different queue"),
    ),
    e(
        "transfer_cycle",
        Kind::Inconsistent,
        Some((34, 12)),
        Some("arrivals[0].transfer"),
        "every item is transferred round the cycle \"Cards\" → \"Loans\" → \"Cards\" with probability 1, so it can never end",
        Some("below 1"),
    ),
    e(
        "negative_transfer_after",
        Kind::InvalidValue,
        Some((34, 92)),
        Some("arrivals[0].transfer.after.mean"),
        "arrivals for queue \"Cards\": -60 seconds is negative",
        None,
    ),
    e(
        "busyness_unknown_dist",
        Kind::InvalidValue,
        Some((6, 21)),
        Some("simulation.busyness.dist"),
        "unknown busyness distribution \"gama\"; expected \"gamma\", \"lognormal\"",
        Some("did you mean \"gamma\"?"),
    ),
    e(
        "busyness_negative_cv",
        Kind::InvalidValue,
        Some((6, 35)),
        Some("simulation.busyness.cv"),
        "`cv` is -0.1; expected a coefficient of variation of 0 or more",
        None,
    ),
    e(
        "busyness_missing_cv",
        Kind::MissingKey,
        Some((6, 12)),
        Some("simulation.busyness.cv"),
        "`busyness` has no `cv`",
        Some("busyness = { dist = \"gamma\", cv = 0.1 }"),
    ),
    e(
        "retrial_without_patience",
        Kind::Inconsistent,
        Some((28, 11)),
        Some("arrivals[0].retrial"),
        "`retrial` is set but the stream has no `patience`: nobody abandons, so nobody can try again",
        Some("add a patience distribution"),
    ),
    e(
        "retrial_probability_out_of_range",
        Kind::InvalidValue,
        Some((29, 27)),
        Some("arrivals[0].retrial.probability"),
        "`retrial.probability` is 40; expected a probability from 0 to 1",
        None,
    ),
    e(
        "retrial_unknown_key",
        Kind::UnknownKey,
        Some((29, 32)),
        Some("arrivals[0].retrial.dealy"),
        "unknown key `dealy` in a retrial table; expected one of `probability`, `delay`",
        Some("did you mean `delay`?"),
    ),
    e(
        "forecast_and_rate_per_hour",
        Kind::Inconsistent,
        Some((27, 16)),
        Some("arrivals[0].forecast_csv"),
        "`rate_per_hour` and `forecast_csv` are both set",
        None,
    ),
    e(
        "shift_and_shifts",
        Kind::Inconsistent,
        Some((40, 10)),
        Some("agents[0].shifts"),
        "agent group \"Tier 1\": both `shift` and `shifts` are set; expected one of them",
        Some("shorthand for one shift"),
    ),
    e(
        "shift_counts_do_not_add_up",
        Kind::Inconsistent,
        Some((35, 9)),
        Some("agents[0].count"),
        "`count` is 4, but the shifts' counts add up to 5 (3 + 2)",
        Some("leave `count` out"),
    ),
    e(
        "shifts_without_counts",
        Kind::MissingKey,
        Some((38, 38)),
        Some("agents[0].shifts[1].count"),
        "shifts[1] has no `count`; with several shifts, say how many agents work each shift",
        Some("add count = N to every shift"),
    ),
    e(
        "break_outside_shift",
        Kind::Inconsistent,
        Some((39, 43)),
        Some("agents[0].shift.breaks[0].start"),
        "break 03:45–04:15 is not inside its shift (00:00–04:00)",
        None,
    ),
    e(
        "overlapping_breaks",
        Kind::Inconsistent,
        Some((39, 80)),
        Some("agents[0].shifts[0].breaks[1].start"),
        "break 02:15–02:30 overlaps break 02:00–02:30; expected breaks that do not overlap",
        None,
    ),
    e(
        "unknown_break_status",
        Kind::UnknownReference,
        Some((39, 64)),
        Some("agents[0].shift.breaks[0].status"),
        "status \"Brak\" is not defined in [[statuses]]; defined: \"Available\", \"Break\"",
        Some("did you mean \"Break\"?"),
    ),
    e(
        "break_status_with_channels",
        Kind::Inconsistent,
        Some((39, 64)),
        Some("agents[0].shift.breaks[0].status"),
        "status \"Available\" has channels, so an agent on a break in it would keep receiving work; expected a busy status",
        Some("without `channels`"),
    ),
    e(
        "roster_csv_with_count",
        Kind::Inconsistent,
        Some((35, 9)),
        Some("agents[0].count"),
        "`count` is set, but `roster_csv` gives every agent and its shift, one per line",
        Some("remove `count`"),
    ),
    e(
        "break_lateness_without_breaks",
        Kind::Inconsistent,
        Some((39, 18)),
        Some("agents[0].break_lateness"),
        "`break_lateness` is set, but no shift of the group has breaks",
        None,
    ),
];

fn root() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

fn fixture(name: &str) -> PathBuf {
    root()
        .join("tests/fixtures/bad")
        .join(format!("{name}.toml"))
}

#[test]
fn each_bad_fixture_reports_its_mistake_in_place() {
    let mut failures = Vec::new();
    for x in EXPECTATIONS {
        let path = fixture(x.file);
        let err = match Scenario::from_path(&path) {
            Ok(_) => {
                failures.push(format!("{}: loaded without error", x.file));
                continue;
            }
            Err(err) => err,
        };
        let got = (err.kind(), err.line(), err.column(), err.key_path());
        let want = (x.kind, x.line, x.column, x.key_path);
        if got != want {
            failures.push(format!("{}: got {got:?}, want {want:?}\n    {err}", x.file));
        }
        if !err.message().contains(x.says) {
            failures.push(format!(
                "{}: message {:?} lacks {:?}",
                x.file,
                err.message(),
                x.says
            ));
        }
        match (x.hint, err.hint()) {
            (Some(want), Some(got)) if got.contains(want) => {}
            (None, _) => {}
            (want, got) => failures.push(format!("{}: hint {got:?}, want {want:?}", x.file)),
        }
        assert_eq!(err.file(), path.display().to_string());
        let text = err.to_string();
        assert!(
            !text.contains('\u{0}') && text.starts_with(&err.file().to_string()),
            "{text}"
        );
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn display_is_file_line_column_key_message_then_hint() {
    // A relative label, as a user would type it on the command line.
    let label = "tests/fixtures/bad/unknown_key.toml";
    let text = std::fs::read_to_string(root().join(label)).unwrap();
    let err = Scenario::from_toml_str(&text, label).unwrap_err();
    assert_eq!(
        err.to_string(),
        "tests/fixtures/bad/unknown_key.toml:25:1: queues[0].routng_model: queue \"Chat support\": \
         unknown key `routng_model` in [[queues]]; expected one of `name`, `channel`, `routing_model`, \
         `priority`, `push_timeout`, `capacity_weight`, `capacity_percentage`, `routing`, `skills`, \
         `drop_additional_skills_timeout`, `service_level_threshold`, `target_service_level`, … (7 more)\n  \
         hint: did you mean `routing_model`?"
    );
}

/// A minimal valid scenario, for the tests that change one value of it.
const MINIMAL: &str = r#"[simulation]
name = "m"
duration = "1h"
seed = 1

[[channels]]
name = "chat"

[[statuses]]
name = "Available"
channels = ["chat"]

[[presence_configs]]
name = "p"
capacity = 1

[[queues]]
name = "q"
channel = "chat"
routing_model = "most_available"
capacity_weight = 1

[[arrivals]]
queue = "q"
rate_per_hour = 10
handle_time = "5m"

[[agents]]
group = "a"
count = 1
presence_config = "p"
status = "Available"
"#;

#[test]
fn a_huge_value_is_not_echoed_whole() {
    assert!(Scenario::from_toml_str(MINIMAL, "m.toml").is_ok());
    let long = "x".repeat(100_000);
    for text in [
        MINIMAL.replace("queue = \"q\"", &format!("queue = \"{long}\"")),
        MINIMAL.replace("seed = 1", &format!("seed = 1\n{long} = 3")),
        MINIMAL.replace("handle_time = \"5m\"", &format!("handle_time = \"{long}\"")),
        MINIMAL.replace("name = \"m\"", &format!("name = \"m\"\nstart = \"{long}\"")),
    ] {
        let err = Scenario::from_toml_str(&text, "m.toml").unwrap_err();
        let shown = err.to_string();
        assert!(shown.chars().count() < 1_500, "{} chars", shown.len());
        assert!(shown.contains("xxx…"), "{}", &shown[..shown.len().min(400)]);
        assert!(err.line().is_some(), "{shown}");
    }
}

#[test]
fn out_of_range_integers_say_too_large() {
    let err = Scenario::from_toml_str(
        &MINIMAL.replace("capacity = 1", "capacity = 4294967296"),
        "m.toml",
    )
    .unwrap_err();
    assert_eq!(err.kind(), Kind::InvalidValue);
    assert!(err.message().contains("too large"), "{err}");
    assert!(err.message().contains("at most 4294967295"), "{err}");
    let err = Scenario::from_toml_str(
        &MINIMAL.replace("count = 1", "count = 99999999999999999999"),
        "m.toml",
    )
    .unwrap_err();
    assert_eq!(err.kind(), Kind::Syntax);
    assert_eq!(err.line(), Some(30));
    assert!(err.message().contains("number too large"), "{err}");
    assert!(err.hint().unwrap().contains("9223372036854775807"), "{err}");
}

#[test]
fn a_missing_file_is_an_io_error_with_the_path() {
    let path = root().join("tests/fixtures/bad/no_such_file.toml");
    let err = Scenario::from_path(&path).unwrap_err();
    assert_eq!(err.kind(), Kind::Io);
    assert_eq!(err.line(), None);
    assert!(err.to_string().starts_with(&format!(
        "{}: cannot read the scenario file",
        path.display()
    )));
    assert!(std::error::Error::source(&err).is_some());
}

#[test]
fn every_fixture_has_an_expectation() {
    let mut names: Vec<String> = std::fs::read_dir(root().join("tests/fixtures/bad"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let missing: Vec<&String> = names
        .iter()
        .filter(|n| !EXPECTATIONS.iter().any(|x| x.file == *n))
        .collect();
    assert!(
        missing.is_empty(),
        "fixtures without an expectation: {missing:?}"
    );
    assert!(names.len() >= 14);
}

#[test]
fn every_shipped_scenario_loads_and_summarises() {
    let dir = root().join("scenarios");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 7, "{paths:?}");
    for path in &paths {
        let s = Scenario::from_path(path).unwrap_or_else(|e| panic!("{e}"));
        let stem = path.file_stem().unwrap().to_string_lossy();
        assert_eq!(
            s.simulation.name,
            stem,
            "name the scenario after its file: {}",
            path.display()
        );
        let summary = render_summary(&s);
        assert!(
            summary.contains(&format!("scenario \"{stem}\"")),
            "{summary}"
        );
        let header = std::fs::read_to_string(path).unwrap();
        assert!(
            header.starts_with('#') && header.contains(&format!("-- run scenarios/{stem}.toml")),
            "{} needs a comment header saying how to run it",
            path.display()
        );
    }
}

#[test]
fn the_erlang_scenarios_are_the_textbook_cases() {
    use omnisim_core::distribution::Distribution;
    use omnisim_core::omni::{CapacityCost, RoutingModel};
    use omnisim_core::scenario::ArrivalRate;
    for (file, agents, rate, patience) in [
        ("erlang_c", 20, 200.0, None),
        ("erlang_a", 10, 100.0, Some(120.0)),
    ] {
        let s = Scenario::from_path(&root().join(format!("scenarios/{file}.toml"))).unwrap();
        assert_eq!(
            (s.queues.len(), s.channels.len(), s.agent_count()),
            (1, 1, agents)
        );
        let config = &s.presence_configs[0];
        assert!(config.capacity == 1 && config.auto_accept && !config.allow_decline);
        let routing = &s.queues[0].routing;
        assert_eq!(routing.cost, CapacityCost::Weight(1));
        assert_eq!(routing.model, RoutingModel::MostAvailable);
        assert_eq!(routing.push_timeout, None);
        let a = &s.arrivals[0];
        assert_eq!(a.rate, ArrivalRate::Constant(rate));
        assert_eq!(a.handle_time, Distribution::Exponential { mean: 300.0 });
        assert_eq!(
            a.patience,
            patience.map(|mean| Distribution::Exponential { mean })
        );
        assert_eq!(s.simulation.service_level_threshold.as_secs_f64(), 20.0);
    }
}

#[test]
fn the_routing_model_twins_differ_only_in_routing_model_and_name() {
    let load = |f: &str| {
        Scenario::from_path(Path::new(&root().join(format!("scenarios/{f}.toml")))).unwrap()
    };
    let (mut ma, la) = (load("most_available"), load("least_active"));
    assert_ne!(ma.queues[0].routing.model, la.queues[0].routing.model);
    ma.simulation.name = la.simulation.name.clone();
    ma.queues[0].routing.model = la.queues[0].routing.model;
    assert_eq!(ma, la);
}

#[test]
fn the_documented_example_is_valid() {
    let doc = std::fs::read_to_string(root().join("docs/scenario-format.md")).unwrap();
    let (_, rest) = doc
        .split_once("## Complete example")
        .expect("example section");
    let (_, rest) = rest.split_once("```toml\n").expect("toml block");
    let (example, _) = rest.split_once("```").expect("closed block");
    let s = Scenario::from_toml_str(example, "docs/scenario-format.md")
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(s.simulation.name, "help_desk");
}
