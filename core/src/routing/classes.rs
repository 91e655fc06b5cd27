//! Agent classes: agents routing cannot tell apart.
//!
//! Who may take an item depends on the agent's queue memberships and
//! skills (omni-reference §12.1, §12.2), which are the same for every agent
//! of a group. Agents with the same memberships and skills form one
//! *class*, and the routing index keeps one order per class and channel,
//! so finding the best eligible agent costs a lookup per eligible class
//! instead of a scan over everyone. A centre has a handful of classes
//! whatever its head-count; a centre without memberships or skills has
//! one.

use crate::omni::{AgentId, QueueId, RoutingType, SkillRequirement};
use crate::scenario::Scenario;

/// A class of interchangeable agents, by position in [`AgentClasses`].
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ClassId(pub u32);

impl ClassId {
    /// Position in the class list.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// What the agents of one class may take.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClassSpec {
    /// Member of queue `q` (queue-based routing) iff `queues[q]`.
    pub queues: Vec<bool>,
    /// Level of each skill of the catalogue, `None` = lacks it.
    pub skills: Vec<Option<u8>>,
}

impl ClassSpec {
    /// Whether the class has every requirement at or above its level.
    pub fn qualifies(&self, requirements: &[SkillRequirement]) -> bool {
        requirements
            .iter()
            .all(|r| r.met_by(self.skills.get(r.skill.index()).copied().flatten()))
    }
}

/// Every agent's class and what each class may take.
#[derive(Clone, Debug, PartialEq)]
pub struct AgentClasses {
    of_agent: Vec<ClassId>,
    specs: Vec<ClassSpec>,
}

impl AgentClasses {
    /// The classes of a scenario's agents (numbered across groups in
    /// scenario order); groups with the same memberships and skills share
    /// a class.
    pub fn from_scenario(s: &Scenario) -> AgentClasses {
        let mut specs: Vec<ClassSpec> = Vec::new();
        let mut of_agent = Vec::with_capacity(s.agent_count());
        for g in &s.agents {
            let mut queues = vec![false; s.queues.len()];
            for q in &g.queues {
                queues[q.index()] = true;
            }
            let mut skills = vec![None; s.skills.len()];
            for (k, level) in &g.skills {
                skills[k.index()] = Some(*level);
            }
            let spec = ClassSpec { queues, skills };
            let id = match specs.iter().position(|c| *c == spec) {
                Some(i) => ClassId(i as u32),
                None => {
                    specs.push(spec);
                    ClassId(specs.len() as u32 - 1)
                }
            };
            of_agent.extend(std::iter::repeat_n(id, g.count as usize));
        }
        AgentClasses { of_agent, specs }
    }

    /// `agents` agents of one class, member of `queues` queues and without
    /// skills: a centre before memberships and skills (tests, benches).
    pub fn uniform(agents: usize, queues: usize) -> AgentClasses {
        AgentClasses {
            of_agent: vec![ClassId(0); agents],
            specs: vec![ClassSpec {
                queues: vec![true; queues],
                skills: Vec::new(),
            }],
        }
    }

    /// Classes given explicitly: `of_agent[a]` is agent `a`'s class.
    pub fn new(of_agent: Vec<ClassId>, specs: Vec<ClassSpec>) -> AgentClasses {
        AgentClasses { of_agent, specs }
    }

    /// Number of classes.
    pub fn len(&self) -> usize {
        self.specs.len()
    }

    /// Whether there is no class (no agent).
    pub fn is_empty(&self) -> bool {
        self.specs.is_empty()
    }

    /// Number of agents.
    pub fn agents(&self) -> usize {
        self.of_agent.len()
    }

    /// The class of `agent`.
    pub fn class_of(&self, agent: AgentId) -> ClassId {
        self.of_agent[agent.index()]
    }

    /// What class `id` may take.
    pub fn spec(&self, id: ClassId) -> &ClassSpec {
        &self.specs[id.index()]
    }

    /// The classes that may take an item of `queue` (routed by
    /// `routing_type`) needing `requirements`: members of the queue for
    /// queue-based routing, holders of every skill for skills-based routing
    /// (where membership plays no part).
    pub fn eligible(
        &self,
        routing_type: RoutingType,
        queue: QueueId,
        requirements: &[SkillRequirement],
    ) -> Vec<ClassId> {
        (0..self.specs.len() as u32)
            .map(ClassId)
            .filter(|c| {
                let spec = self.spec(*c);
                match routing_type {
                    RoutingType::Queue => spec.queues.get(queue.index()).copied().unwrap_or(false),
                    RoutingType::Skills => spec.qualifies(requirements),
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::omni::SkillId;

    fn req(skill: u32, level: u8) -> SkillRequirement {
        SkillRequirement {
            skill: SkillId(skill),
            level,
            additional: false,
            priority: 0,
        }
    }

    fn two_classes() -> AgentClasses {
        AgentClasses::new(
            vec![ClassId(0), ClassId(0), ClassId(1)],
            vec![
                ClassSpec {
                    queues: vec![true, false],
                    skills: vec![Some(7), None],
                },
                ClassSpec {
                    queues: vec![false, true],
                    skills: vec![Some(3), Some(9)],
                },
            ],
        )
    }

    #[test]
    fn queue_based_routing_follows_membership_only() {
        let c = two_classes();
        assert_eq!(
            c.eligible(RoutingType::Queue, QueueId(0), &[req(1, 9)]),
            vec![ClassId(0)]
        );
        assert_eq!(
            c.eligible(RoutingType::Queue, QueueId(1), &[]),
            vec![ClassId(1)]
        );
    }

    #[test]
    fn skills_based_routing_needs_every_skill_at_its_level() {
        let c = two_classes();
        let skills = |r: &[SkillRequirement]| c.eligible(RoutingType::Skills, QueueId(0), r);
        assert_eq!(skills(&[req(0, 5)]), vec![ClassId(0)]);
        assert_eq!(skills(&[req(0, 3)]), vec![ClassId(0), ClassId(1)]);
        assert_eq!(skills(&[req(0, 3), req(1, 1)]), vec![ClassId(1)]);
        assert_eq!(skills(&[req(0, 8)]), Vec::<ClassId>::new());
        assert_eq!(skills(&[]), vec![ClassId(0), ClassId(1)]);
    }

    #[test]
    fn agents_are_numbered_in_class_order_of_their_groups() {
        let c = two_classes();
        assert_eq!(c.class_of(AgentId(1)), ClassId(0));
        assert_eq!(c.class_of(AgentId(2)), ClassId(1));
        assert_eq!(c.agents(), 3);
        assert_eq!(c.len(), 2);
    }
}
