//! From rules and a requirement to a covering problem: the day cut into
//! slots fine enough for every time the rules name, each group's shift
//! patterns on it, and its requirement per slot.

use super::covering::{BreakWindow, Covering, Pattern};
use super::rules::ShiftRules;
use crate::scenario::Scenario;
use crate::time::SimDuration;

/// The day cut into equal slots.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct Grid {
    /// Length of a slot.
    pub slot: SimDuration,
    /// Slots in the day.
    pub slots: usize,
    /// Slots in one reporting interval.
    pub per_interval: usize,
}

impl Grid {
    /// The slot that `offset` (after the day's start) falls in.
    pub fn slot_of(&self, offset: SimDuration) -> usize {
        (offset.0 / self.slot.0.max(1)) as usize
    }

    /// Where slot `t` starts, after the day's start.
    pub fn offset_of(&self, t: usize) -> SimDuration {
        SimDuration(self.slot.0 * t as u64)
    }
}

fn gcd(a: u64, b: u64) -> u64 {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

/// The coarsest slot every time of the rules and the day's reporting
/// interval are whole multiples of; `Err` when that is under a minute
/// (say, shifts starting every 7 minutes on half-hour intervals), which
/// would make the programme needlessly large.
pub fn grid(s: &Scenario, rules: &ShiftRules) -> Result<Grid, String> {
    let sim = &s.simulation;
    let mut g = gcd(sim.interval.0, sim.duration.0);
    g = gcd(g, rules.start_every.0);
    g = gcd(g, rules.earliest_start.0);
    g = gcd(g, rules.latest_end.0);
    for shift in &rules.shifts {
        g = gcd(g, shift.length.0);
        for b in &shift.breaks {
            g = gcd(gcd(g, b.duration.0), gcd(b.earliest.0, b.latest.0));
        }
    }
    let slot = SimDuration(g);
    if slot < SimDuration::from_secs(60) {
        return Err(format!(
            "the times of the rules and the scenario's {} intervals have no common step of a minute or more (the finest is {}); expected shift lengths, starts and breaks on a common grid such as 15 minutes",
            crate::scenario::humanize(sim.interval),
            crate::scenario::humanize(slot)
        ));
    }
    Ok(Grid {
        slot,
        slots: (sim.duration.0 / g) as usize,
        per_interval: (sim.interval.0 / g).max(1) as usize,
    })
}

/// One group's covering problem and, per pattern, its shift type.
pub fn covering(
    grid: &Grid,
    rules: &ShiftRules,
    group: usize,
    requirement: &[u32],
) -> (Covering, Vec<usize>) {
    let gr = &rules.groups[group];
    let mut patterns = Vec::new();
    let mut kinds = Vec::new();
    for &k in &gr.shifts {
        let shift = &rules.shifts[k];
        let length = grid.slot_of(shift.length);
        let step = grid.slot_of(rules.start_every).max(1);
        let (first, last) = if rules.wrap {
            (0, grid.slots - 1)
        } else {
            let first = grid.slot_of(rules.earliest_start);
            let end = grid.slot_of(rules.latest_end);
            if end < first + length {
                continue;
            }
            (first, end - length)
        };
        let breaks: Vec<BreakWindow> = shift
            .breaks
            .iter()
            .map(|b| BreakWindow {
                length: grid.slot_of(b.duration),
                offsets: (grid.slot_of(b.earliest)..=grid.slot_of(b.latest)).collect(),
            })
            .collect();
        let hours = shift.paid().as_secs_f64() / 3600.0;
        for start in (first..=last).step_by(step) {
            patterns.push(Pattern {
                start,
                length,
                cost: hours * gr.cost_per_hour,
                part_time: shift.part_time,
                breaks: breaks.clone(),
            });
            kinds.push(k);
        }
    }
    let per_slot: Vec<u32> = (0..grid.slots)
        .map(|t| requirement.get(t / grid.per_interval).copied().unwrap_or(0))
        .collect();
    (
        Covering {
            slots: grid.slots,
            cyclic: rules.wrap,
            requirement: per_slot,
            patterns,
            min_shifts: 1,
            max_shifts: gr.max_shifts,
            max_part_time_share: gr.max_part_time_share,
        },
        kinds,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_slot_is_the_coarsest_common_step() {
        let s = Scenario::from_path(std::path::Path::new("scenarios/bank_day.toml")).unwrap();
        let rules = super::super::rules::parse(
            "[[shifts]]\nname = \"Full\"\nlength = \"8h30m\"\nbreaks = [{ duration = \"15m\", earliest = \"2h\", latest = \"3h\" }]\n",
            "r.toml",
            &s,
        )
        .unwrap();
        let g = grid(&s, &rules).unwrap();
        assert_eq!(
            (g.slot, g.slots, g.per_interval),
            (SimDuration::from_secs(900), 48, 2)
        );
        let (c, kinds) = covering(&g, &rules, 0, &[3; 24]);
        // Starts every 30 minutes from 08:00 while 8h30m still fits by
        // 20:00: 08:00 … 11:30.
        assert_eq!(c.patterns.len(), 8);
        assert_eq!(kinds, vec![0; 8]);
        assert_eq!(c.patterns[7].start, 14);
        assert_eq!(c.patterns[0].breaks[0].offsets, vec![8, 9, 10, 11, 12]);
        assert_eq!(c.requirement.len(), 48);
        assert!((c.patterns[0].cost - 8.5).abs() < 1e-9);
    }
}
