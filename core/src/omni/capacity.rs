//! Capacity arithmetic.
//!
//! Loads are exact integers in hundred-millionths of a capacity unit. A
//! `capacity_percentage` is accepted with at most six decimals, so its cost
//! on an agent of capacity `c` is `percentage × 10⁶ × c` of these, exactly:
//! 33.34% × 3 does not fit in capacity 1, and 0.04% of capacity 1 costs
//! 0.0004 units rather than rounding to nothing. Integers keep every
//! "does it fit?" exact and independent of the order of additions
//! (omni-reference §6.4).

use serde::{Deserialize, Serialize, Serializer};
use std::fmt;

/// Omni-Channel's cap on the work items one agent holds at once, whatever
/// its capacity (omni-reference §12.5).
pub const MAX_OPEN_ITEMS: u32 = 100;

/// Decimals of a `capacity_percentage` the engine keeps exactly.
pub const PERCENTAGE_DECIMALS: u32 = 6;

/// An amount of capacity in hundred-millionths of a unit.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CapacityUnits(pub u64);

impl CapacityUnits {
    /// No load.
    pub const ZERO: CapacityUnits = CapacityUnits(0);

    /// Resolution: this many make one unit.
    pub const SCALE: u64 = 100_000_000;

    /// Whole units, as a presence configuration's `capacity` is written.
    pub const fn whole(units: u32) -> CapacityUnits {
        CapacityUnits(units as u64 * Self::SCALE)
    }

    /// Thousandths of a unit (test fixtures and hand-written loads).
    pub const fn thousandths(n: u64) -> CapacityUnits {
        CapacityUnits(n * (Self::SCALE / 1000))
    }

    /// Whole units contained, rounded down (a configured capacity).
    pub fn whole_units(self) -> u32 {
        (self.0 / Self::SCALE) as u32
    }

    /// The value in units, for the toolkit and reports.
    pub fn as_f64(self) -> f64 {
        self.0 as f64 / Self::SCALE as f64
    }
}

/// Serialized in units (a number such as `0.5`), as the toolkit reports it.
impl Serialize for CapacityUnits {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(self.as_f64())
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

/// Which of an agent's two capacities an item counts against (omni-reference
/// §12.4): primary work (chats, calls) and interruptible work (cases,
/// email) are held in independent pools, so urgent primary work can reach
/// an agent whose interruptible pool is full.
#[derive(
    Copy, Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum CapacityPool {
    /// The presence configuration's `capacity`.
    #[default]
    Primary,
    /// The presence configuration's `interruptible_capacity`.
    Interruptible,
}

impl CapacityPool {
    /// Position in two-element per-pool arrays.
    pub fn index(self) -> usize {
        self as usize
    }

    /// The scenario-file spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            CapacityPool::Primary => "primary",
            CapacityPool::Interruptible => "interruptible",
        }
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
    /// The percentage in millionths of a percent, if it has at most
    /// [`PERCENTAGE_DECIMALS`] decimals (what the scenario check accepts).
    pub fn exact_percentage(p: f64) -> Option<u64> {
        let scaled = p * 10f64.powi(PERCENTAGE_DECIMALS as i32);
        let rounded = scaled.round();
        ((scaled - rounded).abs() <= 1e-9 * rounded.max(1.0) && rounded >= 1.0)
            .then_some(rounded as u64)
    }

    /// The cost for an agent of the given configured capacity.
    pub fn units_for(self, configured_capacity: u32) -> CapacityUnits {
        match self {
            CapacityCost::Weight(w) => CapacityUnits::whole(w),
            CapacityCost::Percentage(p) => {
                // SCALE / 100 / 10^6 = 1: millionths of a percent of one unit
                // are exactly one resolution step.
                let millionths =
                    Self::exact_percentage(p).unwrap_or_else(|| (p * 1e6).round().max(1.0) as u64);
                CapacityUnits(millionths * configured_capacity as u64)
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
            CapacityUnits::thousandths(500)
        );
        assert_eq!(
            CapacityCost::Percentage(34.0).units_for(3),
            CapacityUnits::thousandths(1020)
        );
        assert_eq!(
            CapacityCost::Weight(2).units_for(6),
            CapacityUnits::whole(2)
        );
    }

    #[test]
    fn costs_are_exact_to_six_decimals_of_a_percent() {
        let cap = CapacityUnits::whole(1);
        let third = CapacityCost::Percentage(33.34).units_for(1);
        assert!(third + third <= cap);
        assert!(third + third + third > cap, "33.34% × 3 must not fit in 1");
        let tiny = CapacityCost::Percentage(0.04).units_for(1);
        assert!(tiny > CapacityUnits::ZERO);
        assert_eq!(tiny.0 * 2500, cap.0);
        assert_eq!(CapacityCost::exact_percentage(12.345678), Some(12_345_678));
        assert_eq!(CapacityCost::exact_percentage(0.0000001), None);
        assert_eq!(CapacityCost::exact_percentage(1.23456789), None);
    }

    #[test]
    fn three_thirty_four_percent_items_do_not_fit_in_capacity_one() {
        let cost = CapacityCost::Percentage(34.0).units_for(1);
        let cap = CapacityUnits::whole(1);
        assert!(cost + cost <= cap);
        assert!(cost + cost + cost > cap);
    }
}
