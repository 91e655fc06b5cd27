//! An `[[agents]]` entry's roster: `count`, `shift` / `shifts` with their
//! breaks, `roster_csv`, `break_lateness` and `absence`, checked and turned
//! into the group's [`RosteredShift`]s.
//!
//! Reading happens in two steps because a break without a status takes the
//! group's default, which depends on the statuses the group is granted:
//! [`plan`] reads every time, count and named status (so its mistakes are
//! reported where the entry is read), and [`Plan::finish`] fills the
//! default, grants the break statuses and copies how shifts end onto every
//! shift. A break status nobody defined is added to the scenario by
//! [`add_break_status`], like the end-of-shift status.
//!
//! The singular `shift = { … }` is a shorthand for one shift. Without
//! breaks it stays the group's [`AgentGroup::shift`] with no roster, the
//! representation every scenario had before rosters, so their results do
//! not move.

use super::error::{ScenarioError, ScenarioErrorKind as Kind};
use super::raw::{RawAgents, RawBreak, RawShift};
use super::schedule::{BREAK_LABEL, BREAK_STATUS};
use super::validate::{Ctx, Item, Names};
use super::{AgentGroup, Break, RosteredShift, Shift, SimulationSettings};
use crate::clock::DayClock;
use crate::distribution::Distribution;
use crate::omni::{PresenceStatus, StatusId};
use crate::time::SimDuration;
use toml::Spanned;

type Result<T> = std::result::Result<T, ScenarioError>;

/// A group's roster as read, before break statuses default.
pub(super) struct Plan {
    /// Number of agents.
    pub(super) count: u32,
    /// The shift of a group without a roster.
    shift: Shift,
    /// The roster; empty = every agent works `shift`.
    entries: Vec<Entry>,
    /// `break_lateness`.
    break_lateness: Option<Distribution>,
    /// `absence`.
    absence: f64,
}

/// One roster line as read.
pub(super) struct Entry {
    pub(super) count: u32,
    pub(super) shift: Shift,
    pub(super) breaks: Vec<ReadBreak>,
    pub(super) name: Option<String>,
}

/// A break as read: its status is `None` when the file names none.
pub(super) struct ReadBreak {
    /// From the start of the run (warm-up included).
    pub(super) start: SimDuration,
    pub(super) duration: SimDuration,
    pub(super) status: Option<StatusId>,
}

/// What a finished plan gives the group.
pub(super) struct GroupRoster {
    pub(super) count: u32,
    pub(super) shift: Shift,
    pub(super) roster: Vec<RosteredShift>,
    pub(super) break_lateness: Option<Distribution>,
    pub(super) absence: f64,
}

/// The statuses a group's breaks may name, and how to name them.
pub(super) struct StatusBook<'a> {
    pub(super) names: &'a Names,
    pub(super) list: &'a [PresenceStatus],
}

impl StatusBook<'_> {
    /// Why `id` cannot hold a break, if it cannot: a status with channels
    /// would keep the agent receiving work.
    pub(super) fn busy_or_why(&self, id: StatusId) -> std::result::Result<(), String> {
        if self.list[id.index()].is_online() {
            return Err(format!(
                "status \"{}\" has channels, so an agent on a break in it would keep receiving work; expected a busy status (one without channels)",
                self.list[id.index()].api_name
            ));
        }
        Ok(())
    }
}

/// Reads the entry's roster keys (see the module doc).
pub(super) fn plan(
    cx: &Ctx<'_>,
    it: &Item,
    ra: &RawAgents,
    all: &[Spanned<RawAgents>],
    sim: &SimulationSettings,
    book: &StatusBook<'_>,
    files: &mut super::roster_csv::RosterFiles,
) -> Result<Plan> {
    let absence = cx.probability(it, "absence", &ra.absence, 0.0)?;
    let break_lateness = match &ra.break_lateness {
        Some(d) => Some(cx.distribution(it, "break_lateness", d)?),
        None => None,
    };
    let (count, shift, entries) = match &ra.roster_csv {
        Some(file) => {
            for (key, given) in [
                ("count", ra.count.as_ref().map(Spanned::span)),
                ("shift", ra.shift.as_ref().map(Spanned::span)),
                ("shifts", ra.shifts.as_ref().map(Spanned::span)),
            ] {
                if let Some(span) = given {
                    return Err(cx
                        .err(
                            Kind::Inconsistent,
                            Some(span),
                            it.path(key),
                            format!("{}: `{key}` is set, but `roster_csv` gives every agent and its shift, one per line", it.label),
                        )
                        .with_hint(format!("remove `{key}`: the roster file decides")));
                }
            }
            let entries = super::roster_csv::read(cx, it, file, all, sim, book, files)?;
            let count = entries.len() as u32;
            (count, Shift::default(), entries)
        }
        None => from_toml(cx, it, ra, sim, book)?,
    };
    let has_breaks = entries.iter().any(|e| !e.breaks.is_empty());
    if let (Some(d), false) = (&ra.break_lateness, has_breaks) {
        return Err(cx
            .at(
                Kind::Inconsistent,
                it,
                "break_lateness",
                d,
                "`break_lateness` is set, but no shift of the group has breaks".into(),
            )
            .with_hint("add breaks to a shift, or remove `break_lateness`"));
    }
    Ok(Plan {
        count,
        shift,
        entries,
        break_lateness,
        absence,
    })
}

impl Plan {
    /// Whether some shift of the group ends before the end of the run.
    pub(super) fn ends(&self) -> bool {
        if self.entries.is_empty() {
            self.shift.end.is_some()
        } else {
            self.entries.iter().any(|e| e.shift.end.is_some())
        }
    }

    /// Gives every break without a status the group's default, grants the
    /// break statuses, and copies `ending` (how the group's shifts end)
    /// onto every shift. The default is `granted_busy` (the first busy
    /// status the file grants the group), else a busy status named
    /// [`BREAK_STATUS`] in the file, else `implicit`, the status
    /// [`add_break_status`] adds.
    pub(super) fn finish(
        self,
        ending: &Shift,
        granted_busy: Option<StatusId>,
        book: &StatusBook<'_>,
        implicit: StatusId,
        allowed: &mut Vec<StatusId>,
    ) -> GroupRoster {
        let default = granted_busy.unwrap_or_else(|| match book.names.position(BREAK_STATUS) {
            Some(i) if !book.list[i].is_online() => StatusId(i as u32),
            _ => implicit,
        });
        let with_ending = |mut s: Shift| {
            s.end_mode = ending.end_mode;
            s.end_status = ending.end_status;
            s
        };
        let mut roster = Vec::with_capacity(self.entries.len());
        let mut granted: rustc_hash::FxHashSet<StatusId> = allowed.iter().copied().collect();
        for e in self.entries {
            let mut r = RosteredShift::new(e.count, with_ending(e.shift));
            r.name = e.name;
            for b in e.breaks {
                let status = b.status.unwrap_or(default);
                if granted.insert(status) {
                    allowed.push(status);
                }
                r.breaks.push(Break::new(b.start, b.duration, status));
            }
            // In time order, as `RosteredShift::with_break` keeps them
            // (a stable sort: breaks written at the same start keep their
            // order), at once rather than one insertion at a time.
            r.breaks.sort_by_key(|b| b.start);
            roster.push(r);
        }
        allowed.sort();
        GroupRoster {
            count: self.count,
            shift: if roster.is_empty() {
                with_ending(self.shift)
            } else {
                Shift::default()
            },
            roster,
            break_lateness: self.break_lateness,
            absence: self.absence,
        }
    }
}

/// Adds [`BREAK_STATUS`] to `statuses` when some group takes its breaks in
/// `implicit` (the placeholder [`Plan::finish`] was given), and gives
/// those groups its real id: the next one, after the end-of-shift status
/// when that was added too.
pub(super) fn add_break_status(
    statuses: &mut Vec<PresenceStatus>,
    agents: &mut [AgentGroup],
    implicit: StatusId,
) {
    let uses = |g: &AgentGroup| g.allowed_statuses.contains(&implicit);
    if !agents.iter().any(uses) {
        return;
    }
    let id = StatusId(statuses.len() as u32);
    statuses.push(PresenceStatus {
        api_name: BREAK_STATUS.into(),
        label: BREAK_LABEL.into(),
        channels: Vec::new(),
    });
    for g in agents.iter_mut().filter(|g| uses(g)) {
        for s in &mut g.allowed_statuses {
            if *s == implicit {
                *s = id;
            }
        }
        g.allowed_statuses.sort();
        for b in g.roster.iter_mut().flat_map(|r| r.breaks.iter_mut()) {
            if b.status == implicit {
                b.status = id;
            }
        }
    }
}

/// `count`, `shift` and `shifts` of an entry without `roster_csv`.
fn from_toml(
    cx: &Ctx<'_>,
    it: &Item,
    ra: &RawAgents,
    sim: &SimulationSettings,
    book: &StatusBook<'_>,
) -> Result<(u32, Shift, Vec<Entry>)> {
    let group_count = || -> Result<u32> {
        let c = cx.required(it, &ra.count, "count", "the number of agents, at least 1")?;
        cx.count_u32(it, "count", c, 1, "at least 1 agent")
    };
    let tables: Vec<(String, &Spanned<RawShift>)> = match (&ra.shift, &ra.shifts) {
        (Some(_), Some(many)) => {
            return Err(cx
                .at(
                    Kind::Inconsistent,
                    it,
                    "shifts",
                    many,
                    "both `shift` and `shifts` are set; expected one of them".into(),
                )
                .with_hint("`shift = { … }` is a shorthand for one shift: move it into `shifts`, or keep only `shift`"))
        }
        (Some(one), None) => vec![("shift".to_owned(), one)],
        (None, Some(many)) => {
            if many.get_ref().is_empty() {
                return Err(cx
                    .at(
                        Kind::InvalidValue,
                        it,
                        "shifts",
                        many,
                        "`shifts` is empty; expected at least one shift".into(),
                    )
                    .with_hint("e.g. shifts = [{ start = \"08:00\", end = \"16:30\", count = 6 }]"));
            }
            many.get_ref()
                .iter()
                .enumerate()
                .map(|(i, s)| (format!("shifts[{i}]"), s))
                .collect()
        }
        (None, None) => return Ok((group_count()?, Shift::default(), Vec::new())),
    };
    let mut entries = Vec::with_capacity(tables.len());
    let mut counts: Vec<Option<u32>> = Vec::with_capacity(tables.len());
    for (key, table) in &tables {
        let raw = table.get_ref();
        let count = match &raw.count {
            Some(c) => Some(cx.count_u32(it, &format!("{key}.count"), c, 0, "0 or more agents")?),
            None => None,
        };
        counts.push(count);
        let (shift, span) = shift_times(cx, it, key, raw, sim)?;
        let breaks = breaks(cx, it, key, raw, sim, span, book)?;
        entries.push(Entry {
            count: count.unwrap_or(0),
            shift,
            breaks,
            name: None,
        });
    }
    let count = if counts.iter().all(Option::is_some) {
        let total: u32 = counts.iter().flatten().sum();
        let parts: Vec<String> = counts.iter().flatten().map(u32::to_string).collect();
        match &ra.count {
            Some(c) => {
                let group = cx.count_u32(it, "count", c, 1, "at least 1 agent")?;
                if group != total {
                    return Err(cx
                        .at(
                            Kind::Inconsistent,
                            it,
                            "count",
                            c,
                            format!(
                                "`count` is {group}, but the shifts' counts add up to {total} ({})",
                                parts.join(" + ")
                            ),
                        )
                        .with_hint("leave `count` out: it is then the sum of the shifts' counts"));
                }
            }
            None if total == 0 => {
                let (_, first) = &tables[0];
                return Err(cx.err(
                    Kind::InvalidValue,
                    Some(first.span()),
                    it.path(&format!("{}.count", tables[0].0)),
                    format!(
                        "{}: the shifts' counts add up to 0; expected at least 1 agent",
                        it.label
                    ),
                ));
            }
            None => {}
        }
        total
    } else if tables.len() == 1 {
        let n = group_count()?;
        entries[0].count = n;
        n
    } else {
        let i = counts
            .iter()
            .position(Option::is_none)
            .expect("some count missing");
        let (key, table) = &tables[i];
        return Err(cx
            .err(
                Kind::MissingKey,
                Some(table.span()),
                it.path(&format!("{key}.count")),
                format!(
                    "{}: {key} has no `count`; with several shifts, say how many agents work each shift",
                    it.label
                ),
            )
            .with_hint("add count = N to every shift; the group's `count` is then their sum"));
    };
    // The shorthand without breaks is the plain group shift.
    if ra.shift.is_some() && entries[0].breaks.is_empty() {
        let e = entries.pop().expect("one shift");
        return Ok((count, e.shift, Vec::new()));
    }
    Ok((count, Shift::default(), entries))
}

/// Where a shift lies, as offsets from `start`: `[start, end)`, `end`
/// being the end of the measured day for a shift without one.
#[derive(Copy, Clone)]
pub(super) struct Span {
    pub(super) start: SimDuration,
    pub(super) end: SimDuration,
}

/// `start` and `end` of one shift table (`key` = `shift` or `shifts[i]`).
fn shift_times(
    cx: &Ctx<'_>,
    it: &Item,
    key: &str,
    s: &RawShift,
    sim: &SimulationSettings,
) -> Result<(Shift, Span)> {
    let clock = sim.clock();
    let start = s.start.as_ref().map(|v| (v.get_ref().offset(&clock), v));
    let end = s.end.as_ref().map(|v| (v.get_ref().offset(&clock), v));
    let times = ShiftTimes {
        start: start.map(|(o, v)| (o, v.get_ref().written.as_str())),
        end: end.map(|(o, v)| (o, v.get_ref().written.as_str())),
    };
    match times.check(&clock, sim) {
        Ok((shift, span)) => Ok((shift, span)),
        Err((which, why, hint)) => {
            let (k, v) = match which {
                Which::Start => ("start", start.expect("checked").1),
                Which::End => ("end", end.expect("checked").1),
            };
            Err(cx
                .at(Kind::InvalidValue, it, &format!("{key}.{k}"), v, why)
                .with_maybe_hint(hint))
        }
    }
}

/// Which time of a shift is wrong.
pub(super) enum Which {
    Start,
    End,
}

/// A shift's times as offsets from `start`, with how they were written.
pub(super) struct ShiftTimes<'a> {
    pub(super) start: Option<(SimDuration, &'a str)>,
    pub(super) end: Option<(SimDuration, &'a str)>,
}

impl ShiftTimes<'_> {
    /// The shift, or which time is wrong, why, and a hint.
    pub(super) fn check(
        &self,
        clock: &DayClock,
        sim: &SimulationSettings,
    ) -> std::result::Result<(Shift, Span), (Which, String, Option<String>)> {
        let label = |o: SimDuration| clock.label(clock.instant(o));
        let start = self.start.map_or(SimDuration::ZERO, |(o, _)| o);
        if let Some((_, written)) = self.start {
            if start >= sim.duration {
                return Err((
                    Which::Start,
                    format!(
                        "shift starts at {written} ({}), when the measured day has already ended at {}; expected a start before the end",
                        label(start),
                        label(sim.duration),
                    ),
                    Some("a clock time earlier than [simulation] start belongs to the next day; a shift that begins before start is written as start and is logged in from the beginning of the warm-up".into()),
                ));
            }
        }
        let end = match self.end {
            Some((end, written)) => {
                if end <= start {
                    return Err((
                        Which::End,
                        format!(
                            "shift ends at {written} ({}), not after it starts ({}); expected an end later than the start",
                            label(end),
                            label(start),
                        ),
                        None,
                    ));
                }
                Some(sim.warmup + end)
            }
            None => None,
        };
        // A shift that begins at `start` opens the day: it is logged in
        // from the beginning of the warm-up (crate::clock).
        let at = if start.is_zero() {
            SimDuration::ZERO
        } else {
            sim.warmup + start
        };
        let span = Span {
            start,
            end: end.map_or(sim.duration, |e| SimDuration(e.0 - sim.warmup.0)),
        };
        Ok((
            Shift {
                start: at,
                end,
                ..Shift::default()
            },
            span,
        ))
    }
}

/// Checks breaks (offsets from `start` and lengths, in the order written)
/// against their shift: each inside it, none overlapping another.
/// `Err((i, why))` names the first offending break by its position.
pub(super) fn check_breaks(
    clock: &DayClock,
    shift: Span,
    breaks: &[(SimDuration, SimDuration)],
) -> std::result::Result<(), (usize, String)> {
    let label = |o: SimDuration| clock.label(clock.instant(o));
    let range = |(s, d): (SimDuration, SimDuration)| format!("{}–{}", label(s), label(s + d));
    for (i, &(s, d)) in breaks.iter().enumerate() {
        if s < shift.start || s + d > shift.end {
            return Err((
                i,
                format!(
                    "break {} is not inside its shift ({}–{}); expected a break that starts at or after the shift start and ends by the shift end",
                    range((s, d)),
                    label(shift.start),
                    label(shift.end)
                ),
            ));
        }
    }
    let mut order: Vec<usize> = (0..breaks.len()).collect();
    order.sort_by_key(|&i| breaks[i].0);
    for pair in order.windows(2) {
        let (a, b) = (breaks[pair[0]], breaks[pair[1]]);
        if b.0 < a.0 + a.1 {
            let (later, other) = (pair[1], pair[0]);
            return Err((
                later,
                format!(
                    "break {} overlaps break {}; expected breaks that do not overlap",
                    range(breaks[later]),
                    range(breaks[other])
                ),
            ));
        }
    }
    Ok(())
}

/// The `breaks` of one shift table.
fn breaks(
    cx: &Ctx<'_>,
    it: &Item,
    key: &str,
    raw: &RawShift,
    sim: &SimulationSettings,
    span: Span,
    book: &StatusBook<'_>,
) -> Result<Vec<ReadBreak>> {
    let Some(list) = &raw.breaks else {
        return Ok(Vec::new());
    };
    let clock = sim.clock();
    let mut times = Vec::with_capacity(list.get_ref().len());
    let mut out = Vec::with_capacity(list.get_ref().len());
    for (j, b) in list.get_ref().iter().enumerate() {
        let at = format!("{key}.breaks[{j}]");
        let rb: &RawBreak = b.get_ref();
        let missing = |k: &str, what: &str| {
            cx.err(
                Kind::MissingKey,
                Some(b.span()),
                it.path(&format!("{at}.{k}")),
                format!("{}: a break has no `{k}` ({what})", it.label),
            )
            .with_hint(
                "e.g. breaks = [{ start = \"12:00\", duration = \"30m\", status = \"Lunch\" }]",
            )
        };
        let start = rb
            .start
            .as_ref()
            .ok_or_else(|| missing("start", "when it begins"))?;
        let duration = rb
            .duration
            .as_ref()
            .ok_or_else(|| missing("duration", "how long it lasts"))?;
        let length = cx.positive(it, &format!("{at}.duration"), duration)?;
        let status = match &rb.status {
            Some(name) => {
                let id = StatusId(cx.resolve(
                    it,
                    &format!("{at}.status"),
                    name,
                    book.names,
                    "status",
                    "statuses",
                )?);
                if let Err(why) = book.busy_or_why(id) {
                    return Err(cx
                        .at(Kind::Inconsistent, it, &format!("{at}.status"), name, why)
                        .with_hint("add a [[statuses]] item without `channels`, e.g. name = \"Lunch\", or leave `status` out for the group's break status"));
                }
                Some(id)
            }
            None => None,
        };
        let offset = start.get_ref().offset(&clock);
        times.push((offset, length));
        out.push(ReadBreak {
            start: sim.warmup + offset,
            duration: length,
            status,
        });
    }
    if let Err((j, why)) = check_breaks(&clock, span, &times) {
        let start = list.get_ref()[j]
            .get_ref()
            .start
            .as_ref()
            .expect("checked above");
        return Err(cx.at(
            Kind::Inconsistent,
            it,
            &format!("{key}.breaks[{j}].start"),
            start,
            why,
        ));
    }
    Ok(out)
}

/// Each distinct shift-and-breaks pattern of a group in clock time, with
/// how many agents work it, in roster order (what `check` prints).
pub(super) fn describe_shifts(s: &super::Scenario, g: &AgentGroup) -> Vec<(u32, String)> {
    let clock = s.simulation.clock();
    let run_end = crate::time::SimTime::ZERO + s.run_length();
    let names: Vec<String> = s.statuses.iter().map(|st| st.api_name.clone()).collect();
    let mut out: Vec<(u32, String)> = Vec::new();
    let mut at: rustc_hash::FxHashMap<String, usize> = rustc_hash::FxHashMap::default();
    for (a, count) in g.schedule_kinds().filter(|(_, n)| *n > 0) {
        let text = a.describe(&clock, run_end, &names);
        match at.get(&text) {
            Some(&k) => out[k].0 += count,
            None => {
                at.insert(text.clone(), out.len());
                out.push((count, text));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests;
