//! The solved covering as people: one line per agent with a shift and
//! its breaks, written as `roster.csv` in exactly the format
//! `agents[].roster_csv` reads, so `run` checks the roster as it is.

use super::covering::{Cover, Covering};
use super::grid::Grid;
use super::rules::ShiftRules;
use crate::clock::DayClock;
use crate::scenario::Scenario;
use crate::time::SimDuration;

/// One rostered agent.
#[derive(Clone, Debug, PartialEq)]
pub struct RosterLine {
    /// The agent's name (`Cards team 07`; a shift running past the end of
    /// a wrapping day is two lines, the second named `… (from the day
    /// before)`).
    pub agent: String,
    /// The group, scenario order.
    pub group: usize,
    /// The shift type, rules order.
    pub shift: usize,
    /// Start and end, after the day's start.
    pub start: SimDuration,
    /// End (exclusive), after the day's start.
    pub end: SimDuration,
    /// Breaks: start, end and the rules' break index.
    pub breaks: Vec<(SimDuration, SimDuration, usize)>,
}

/// Every agent of one group's cover, in pattern order: agent `j` of a
/// pattern takes each break at the offset whose running count first
/// exceeds `j`, so the breaks are spread as the cover says.
pub fn lines(
    s: &Scenario,
    grid: &Grid,
    group: usize,
    covering: &Covering,
    kinds: &[usize],
    cover: &Cover,
    numbered_from: usize,
) -> Vec<RosterLine> {
    let day = s.simulation.duration;
    let name = &s.agents[group].group;
    let mut out = Vec::new();
    let mut n = numbered_from;
    for (p, pattern) in covering.patterns.iter().enumerate() {
        for j in 0..cover.shifts[p] {
            n += 1;
            let agent = format!("{name} {n:02}");
            let start = grid.offset_of(pattern.start);
            let end = start + grid.offset_of(pattern.length);
            let breaks: Vec<(SimDuration, SimDuration, usize)> = pattern
                .breaks
                .iter()
                .enumerate()
                .map(|(b, w)| {
                    let mut running = 0;
                    let k = cover.breaks[p][b]
                        .iter()
                        .position(|&c| {
                            running += c;
                            running > j
                        })
                        .unwrap_or(0);
                    let at = start + grid.offset_of(w.offsets[k]);
                    (at, at + grid.offset_of(w.length), b)
                })
                .collect();
            if end <= day {
                out.push(RosterLine {
                    agent,
                    group,
                    shift: kinds[p],
                    start,
                    end,
                    breaks,
                });
            } else {
                // Past the end of a wrapping day: the rest is worked at
                // its start, by the shift that began the day before.
                let wrap = |t: SimDuration| SimDuration(t.0 - day.0);
                let (late, early): (Vec<_>, Vec<_>) =
                    breaks.into_iter().partition(|(b, _, _)| *b < day);
                let mut late = late;
                let mut early: Vec<_> = early
                    .into_iter()
                    .map(|(b, e, i)| (wrap(b), wrap(e), i))
                    .collect();
                // A break across midnight is split at it.
                if let Some(pos) = late.iter().position(|(_, e, _)| *e > day) {
                    let (b, e, i) = late[pos];
                    late[pos] = (b, day, i);
                    early.insert(0, (SimDuration::ZERO, wrap(e), i));
                }
                out.push(RosterLine {
                    agent: agent.clone(),
                    group,
                    shift: kinds[p],
                    start,
                    end: day,
                    breaks: late,
                });
                out.push(RosterLine {
                    agent: format!("{agent} (from the day before)"),
                    group,
                    shift: kinds[p],
                    start: SimDuration::ZERO,
                    end: wrap(end),
                    breaks: early,
                });
            }
        }
    }
    out
}

/// A time of the day as the roster file writes it: the clock time when
/// it reads back as the same time, else the duration from the day's
/// start (the end of a 24-hour day from 08:00 is `24h`: 32:00 is no
/// clock time).
pub fn time_text(clock: &DayClock, offset: SimDuration) -> String {
    let label = clock.label(clock.instant(offset));
    let back = crate::clock::parse_time_of_day(&label).map(|t| clock.offset_of(t));
    if back == Ok(offset) {
        label
    } else {
        crate::scenario::humanize(offset)
    }
}

/// The text of `roster.csv`.
pub fn roster_csv(s: &Scenario, rules: &ShiftRules, lines: &[RosterLine]) -> String {
    let clock = s.simulation.clock();
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(["agent", "group", "shift_start", "shift_end", "breaks"]);
    for l in lines {
        let breaks: Vec<String> = l
            .breaks
            .iter()
            .map(|(b, e, i)| {
                let status = rules.shifts[l.shift].breaks[*i]
                    .status
                    .as_ref()
                    .map_or(String::new(), |st| format!(" {st}"));
                format!(
                    "{}-{}{status}",
                    time_text(&clock, *b),
                    time_text(&clock, *e)
                )
            })
            .collect();
        let _ = w.write_record([
            l.agent.as_str(),
            s.agents[l.group].group.as_str(),
            &time_text(&clock, l.start),
            &time_text(&clock, l.end),
            &breaks.join("; "),
        ]);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// The scenario's text with every group reading its agents from the
/// roster file at `roster` (its `count`, `shift`, `shifts` and
/// `roster_csv` replaced): what `run` reads once the roster is put in
/// place of the scenario's own.
pub fn with_roster(text: &str, roster: &std::path::Path) -> Result<String, String> {
    let mut doc: toml_edit::DocumentMut = text
        .parse()
        .map_err(|e: toml_edit::TomlError| e.to_string())?;
    let Some(groups) = doc
        .get_mut("agents")
        .and_then(|a| a.as_array_of_tables_mut())
    else {
        return Err("the scenario has no [[agents]] array of tables".into());
    };
    for g in groups.iter_mut() {
        for key in ["count", "shift", "shifts", "roster_csv"] {
            g.remove(key);
        }
        g.insert("roster_csv", toml_edit::value(roster.display().to_string()));
    }
    Ok(doc.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_read_back_as_written() {
        let s = Scenario::from_path(std::path::Path::new("scenarios/bank_day.toml")).unwrap();
        let clock = s.simulation.clock();
        assert_eq!(time_text(&clock, SimDuration::ZERO), "08:00");
        assert_eq!(
            time_text(&clock, SimDuration::from_secs(12 * 3600)),
            "20:00"
        );
        // The end of a 24-hour day: 24:00 from midnight; from 08:00 the
        // next day's 08:00 is no clock time of this day, so a duration.
        let mut day = s.clone();
        day.simulation.start_of_day = SimDuration::ZERO;
        let clock = day.simulation.clock();
        assert_eq!(
            time_text(&clock, SimDuration::from_secs(24 * 3600)),
            "24:00"
        );
        assert_eq!(time_text(&clock, SimDuration::from_secs(6 * 3600)), "06:00");
        let clock = s.simulation.clock();
        assert_eq!(time_text(&clock, SimDuration::from_secs(24 * 3600)), "24h");
    }

    #[test]
    fn every_group_reads_the_roster_file_instead_of_its_counts() {
        let text = "[[agents]]\ngroup = \"A\"\ncount = 3\n\n[[agents]]\ngroup = \"B\"\nroster_csv = \"old.csv\"\nabsence = 0.2\n";
        let out = with_roster(text, std::path::Path::new("/tmp/r.csv")).unwrap();
        assert_eq!(out.matches("roster_csv = \"/tmp/r.csv\"").count(), 2);
        assert!(!out.contains("count") && !out.contains("old.csv"));
        assert!(out.contains("absence = 0.2"));
    }
}
