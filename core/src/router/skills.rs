//! An item's skill requirements over its life (omni-reference §12.2).
//!
//! When no agent with every skill takes an item, Omni-Channel drops its
//! additional skills after the routing configuration's timeout, one
//! priority group per timeout period, highest priority value first;
//! required skills are never dropped. A decline, a push timeout or the
//! agent going offline restores the original set and the drops start over
//! **[SIM]** from that instant. Kept apart from the actor so the rule can
//! be tested without one.

use crate::omni::{SkillId, SkillRequirement};
use crate::routing::canonical;
use crate::time::{SimDuration, SimTime};

/// One group of additional skills dropped at once.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct DroppedGroup {
    /// The skills dropped.
    pub skills: Vec<SkillId>,
    /// Their skill priority.
    pub priority: u32,
    /// Time since the requirements were last set (arrival or reset).
    pub waited: SimDuration,
}

/// The skills an item still needs, and where its drop schedule stands.
#[derive(Clone, Debug)]
pub(super) struct Requirements {
    original: Vec<SkillRequirement>,
    current: Vec<SkillRequirement>,
    /// Bumped at every reset: a drop timer armed before it is stale.
    round: u32,
    /// When the current schedule started.
    since: SimTime,
    /// A drop fell due while the item was pushed.
    due: bool,
}

impl Requirements {
    /// The requirements of an item requested at `at`.
    pub(crate) fn new(requested: &[SkillRequirement], at: SimTime) -> Requirements {
        let original = canonical(requested);
        Requirements {
            current: original.clone(),
            original,
            round: 0,
            since: at,
            due: false,
        }
    }

    /// Fresh requirements for the item's entry into another queue at
    /// `at` (a transfer): a new schedule whose round follows this one's,
    /// so a drop timer armed in the old queue is stale.
    pub(crate) fn entering(&self, requested: &[SkillRequirement], at: SimTime) -> Requirements {
        let mut r = Requirements::new(requested, at);
        r.round = self.round + 1;
        r
    }

    /// What the item needs now.
    pub(crate) fn current(&self) -> &[SkillRequirement] {
        &self.current
    }

    /// What it needed on arrival.
    pub(crate) fn original(&self) -> &[SkillRequirement] {
        &self.original
    }

    /// The schedule a drop timer belongs to.
    pub(crate) fn round(&self) -> u32 {
        self.round
    }

    /// Whether an additional skill is left to drop.
    pub(crate) fn can_drop(&self) -> bool {
        self.current.iter().any(|r| r.additional)
    }

    /// A drop fell due while the item was with an agent.
    pub(crate) fn set_due(&mut self) {
        self.due = true;
    }

    /// Whether a drop is owed from a timer that fired while pushed.
    pub(crate) fn is_due(&self) -> bool {
        self.due
    }

    /// Drops the additional skills of the highest priority value.
    pub(crate) fn drop_next(&mut self, now: SimTime) -> Option<DroppedGroup> {
        self.due = false;
        let priority = self
            .current
            .iter()
            .filter(|r| r.additional)
            .map(|r| r.priority)
            .max()?;
        let dropped = |r: &SkillRequirement| r.additional && r.priority == priority;
        let skills = self
            .current
            .iter()
            .filter(|r| dropped(r))
            .map(|r| r.skill)
            .collect();
        self.current.retain(|r| !dropped(r));
        Some(DroppedGroup {
            skills,
            priority,
            waited: now.since(self.since),
        })
    }

    /// Restores the original requirements and restarts the schedule at
    /// `now`; true if any skill had been dropped.
    pub(crate) fn reset(&mut self, now: SimTime) -> bool {
        let changed = self.current != self.original;
        self.current.clone_from(&self.original);
        self.round += 1;
        self.since = now;
        self.due = false;
        changed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(skill: u32, additional: bool, priority: u32) -> SkillRequirement {
        SkillRequirement {
            skill: SkillId(skill),
            level: 1,
            additional,
            priority,
        }
    }

    #[test]
    fn additional_groups_drop_highest_priority_first_and_required_never() {
        let mut r = Requirements::new(
            &[
                req(0, false, 0),
                req(1, true, 0),
                req(2, true, 2),
                req(3, true, 2),
                req(4, true, 1),
            ],
            SimTime::ZERO,
        );
        let g = r
            .drop_next(SimTime::ZERO + SimDuration::from_secs(30))
            .unwrap();
        assert_eq!(g.skills, vec![SkillId(2), SkillId(3)]);
        assert_eq!((g.priority, g.waited), (2, SimDuration::from_secs(30)));
        assert_eq!(
            r.drop_next(SimTime::ZERO + SimDuration::from_secs(60))
                .unwrap()
                .skills,
            vec![SkillId(4)]
        );
        assert_eq!(
            r.drop_next(SimTime::ZERO + SimDuration::from_secs(90))
                .unwrap()
                .skills,
            vec![SkillId(1)]
        );
        assert!(!r.can_drop());
        assert_eq!(
            r.drop_next(SimTime::ZERO + SimDuration::from_secs(120)),
            None
        );
        assert_eq!(r.current(), &[req(0, false, 0)]);
    }

    #[test]
    fn a_reset_restores_every_skill_and_starts_a_new_round() {
        let mut r = Requirements::new(&[req(0, false, 0), req(1, true, 0)], SimTime::ZERO);
        assert!(
            !r.reset(SimTime::ZERO + SimDuration::from_secs(5)),
            "nothing dropped yet"
        );
        r.drop_next(SimTime::ZERO + SimDuration::from_secs(35));
        assert_eq!(r.current().len(), 1);
        let round = r.round();
        assert!(r.reset(SimTime::ZERO + SimDuration::from_secs(40)));
        assert_eq!(r.current(), r.original());
        assert_eq!(r.round(), round + 1);
        let g = r
            .drop_next(SimTime::ZERO + SimDuration::from_secs(70))
            .unwrap();
        assert_eq!(g.waited, SimDuration::from_secs(30));
    }
}
