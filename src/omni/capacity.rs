//! Capacity arithmetic.
//!
//! Loads are kept in integer thousandths of a capacity unit: a
//! `capacity_percentage` of 34 on capacity 3 costs 1.02 units, and summing
//! such costs in floating point would make "does it fit?" depend on the
//! order of additions. Integers keep every comparison exact and
//! deterministic (omni-reference §6.4).

use serde::Serialize;
use std::fmt;

/// An amount of capacity in thousandths of a unit.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct CapacityUnits(pub u64);

impl CapacityUnits {
    /// No load.
    pub const ZERO: CapacityUnits = CapacityUnits(0);

    /// Whole units, as a presence configuration's `capacity` is written.
    pub const fn whole(units: u32) -> CapacityUnits {
        CapacityUnits(units as u64 * 1000)
    }

    /// The value in units, for the toolkit and reports.
    pub fn as_f64(self) -> f64 {
        self.0 as f64 / 1000.0
    }
}

impl std::ops::Add for CapacityUnits {
    type Output = CapacityUnits;
    fn add(self, rhs: CapacityUnits) -> CapacityUnits {
        CapacityUnits(self.0 + rhs.0)
    }
}

impl std::ops::Sub for CapacityUnits {
    type Output = CapacityUnits;
    fn sub(self, rhs: CapacityUnits) -> CapacityUnits {
        CapacityUnits(self.0.saturating_sub(rhs.0))
    }
}

impl fmt::Display for CapacityUnits {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.as_f64())
    }
}

/// What one item of a queue costs an agent (QueueRoutingConfig's
/// `CapacityWeight` or `CapacityPercentage`; exactly one is set).
#[derive(Copy, Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CapacityCost {
    /// Whole units regardless of the agent's capacity.
    Weight(u32),
    /// A share (0, 100] of the receiving agent's configured capacity.
    Percentage(f64),
}

impl CapacityCost {
    /// The cost for an agent of the given configured capacity.
    pub fn units_for(self, configured_capacity: u32) -> CapacityUnits {
        match self {
            CapacityCost::Weight(w) => CapacityUnits::whole(w),
            CapacityCost::Percentage(p) => {
                CapacityUnits((p / 100.0 * configured_capacity as f64 * 1000.0).round() as u64)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentage_scales_with_agent_capacity() {
        assert_eq!(
            CapacityCost::Percentage(50.0).units_for(1),
            CapacityUnits(500)
        );
        assert_eq!(
            CapacityCost::Percentage(34.0).units_for(3),
            CapacityUnits(1020)
        );
        assert_eq!(
            CapacityCost::Weight(2).units_for(6),
            CapacityUnits::whole(2)
        );
    }

    #[test]
    fn three_thirty_four_percent_items_do_not_fit_in_capacity_one() {
        let cost = CapacityCost::Percentage(34.0).units_for(1);
        let cap = CapacityUnits::whole(1);
        assert!(cost + cost <= cap);
        assert!(cost + cost + cost > cap);
    }
}
