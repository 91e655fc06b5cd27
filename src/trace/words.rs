//! Small formatting helpers shared by the narrations.

use crate::omni::{CapacityCost, CapacityUnits};
use crate::time::{SimDuration, MICROS_PER_SEC};

/// A span the way people say it: `4.2 s`, `41 s`, `2m 14s`, `1h 5m 0s`.
///
/// Tenths below ten seconds because answer delays and push timeouts live
/// there; whole seconds above, where tenths would only be noise.
pub(super) fn span(d: SimDuration) -> String {
    let secs = d.as_secs_f64();
    if secs < 10.0 {
        let tenths = (secs * 10.0).round() / 10.0;
        if tenths == tenths.trunc() {
            return format!("{} s", tenths as u64);
        }
        return format!("{tenths:.1} s");
    }
    let whole = (d.0 + MICROS_PER_SEC / 2) / MICROS_PER_SEC;
    if whole < 60 {
        format!("{whole} s")
    } else if whole < 3600 {
        format!("{}m {}s", whole / 60, whole % 60)
    } else {
        format!("{}h {}m {}s", whole / 3600, whole % 3600 / 60, whole % 60)
    }
}

/// Capacity units without a trailing `.0` (`2`, `1.02`).
pub(super) fn units(u: CapacityUnits) -> String {
    u.to_string()
}

/// A routing configuration's cost as a scenario writes it.
pub(super) fn cost(c: CapacityCost) -> String {
    match c {
        CapacityCost::Weight(w) => w.to_string(),
        CapacityCost::Percentage(p) => format!("{p}%"),
    }
}

/// `1st`, `2nd`, `3rd`, `4th`, … for push counts.
pub(super) fn ordinal(n: u32) -> String {
    let suffix = match (n % 10, n % 100) {
        (1, 11) | (2, 12) | (3, 13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_read_naturally() {
        assert_eq!(span(SimDuration(4_240_000)), "4.2 s");
        assert_eq!(span(SimDuration::from_secs(10)), "10 s");
        assert_eq!(span(SimDuration::ZERO), "0 s");
        assert_eq!(span(SimDuration::from_secs(41)), "41 s");
        assert_eq!(span(SimDuration::from_secs(134)), "2m 14s");
        assert_eq!(span(SimDuration::from_secs(3900)), "1h 5m 0s");
        assert_eq!(units(CapacityUnits::thousandths(1020)), "1.02");
        assert_eq!(units(CapacityUnits::whole(2)), "2");
        assert_eq!(cost(CapacityCost::Percentage(50.0)), "50%");
        assert_eq!(ordinal(2), "2nd");
        assert_eq!(ordinal(12), "12th");
    }
}
