//! Skills and skill requirements (Skill, SkillRequirement).
//!
//! Skills-based routing matches what an item needs against what an agent
//! has (omni-reference §12.2). An item's requirements come from its routing
//! configuration (fixed skills) and from its arrival stream (per-item
//! skills and the skill mix); additional requirements may be dropped
//! after a timeout, required ones never.

use super::SkillId;
use serde::Serialize;

/// An entry of the `[[skills]]` catalogue.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Skill {
    /// Name, as agents and requirements refer to it.
    pub name: String,
}

/// One skill an item needs (SkillRequirement).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct SkillRequirement {
    /// The skill.
    pub skill: SkillId,
    /// Minimum level, 0–10; an agent qualifies at this level or above.
    pub level: u8,
    /// Whether the router may drop it when nobody has it (`IsAdditionalSkill`).
    pub additional: bool,
    /// Drop order of an additional skill (`SkillPriority`): the highest
    /// value goes first, 0 last. Ignored for required skills.
    pub priority: u32,
}

impl SkillRequirement {
    /// Whether an agent with `level` of this skill (`None` = lacks it)
    /// meets the requirement.
    pub fn met_by(&self, level: Option<u8>) -> bool {
        level.is_some_and(|l| l >= self.level)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_requirement_is_met_at_or_above_its_level() {
        let r = SkillRequirement {
            skill: SkillId(0),
            level: 5,
            additional: false,
            priority: 0,
        };
        assert!(r.met_by(Some(5)));
        assert!(r.met_by(Some(10)));
        assert!(!r.met_by(Some(4)));
        assert!(!r.met_by(None));
    }
}
