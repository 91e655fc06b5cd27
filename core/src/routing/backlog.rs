//! Waiting items, per queue and skill set, in routing order.

use super::classes::{AgentClasses, ClassId};
use super::Exclusion;
use crate::omni::{
    AgentId, CapacityCost, CapacityPool, ChannelId, QueueId, RoutingModel, RoutingType,
    SkillRequirement, WorkItemId,
};
use crate::time::SimTime;
use std::collections::BTreeMap;

/// A waiting item as routing sees it.
#[derive(Clone, Debug, PartialEq)]
pub struct QueuedItem {
    /// The item.
    pub item: WorkItemId,
    /// Who it may not go to now: its last decliner until that agent
    /// changes status, or every agent that refused a chat (§5.3, §12.6).
    pub excluded: Exclusion,
}

/// Backlog order (omni-reference §6.2, §12.3): routing priority, secondary
/// priority (unset after any value), request time (age), arrival number.
/// A declined item is re-inserted with its original key, so it goes back
/// to its original place (§5.1).
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ItemKey {
    /// Routing priority, lower first.
    pub priority: i32,
    /// Secondary routing priority, lower first; `u64::MAX` when unset.
    pub secondary: u64,
    /// Request time: older first.
    pub requested_at: SimTime,
    /// Arrival number: the last tie-break.
    pub seq: u64,
}

impl ItemKey {
    /// The key of an item with these routing fields.
    pub fn new(priority: i32, secondary: Option<u32>, requested_at: SimTime, seq: u64) -> ItemKey {
        ItemKey {
            priority,
            secondary: secondary.map_or(u64::MAX, u64::from),
            requested_at,
            seq,
        }
    }
}

/// Waiting items of one queue that need the same skills, so the same
/// agents may take them.
#[derive(Clone, Debug)]
pub struct Bucket {
    /// The skills still required (canonical order); empty for queue-based
    /// routing.
    pub requirements: Vec<SkillRequirement>,
    /// The agent classes that may take them.
    pub classes: Vec<ClassId>,
    items: BTreeMap<ItemKey, QueuedItem>,
}

impl Bucket {
    /// Key of the first waiting item.
    pub fn front_key(&self) -> Option<ItemKey> {
        self.items.keys().next().copied()
    }

    /// Waiting items in routing order.
    pub fn items(&self) -> impl Iterator<Item = (&ItemKey, &QueuedItem)> {
        self.items.iter()
    }

    /// Whether nothing waits here.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

/// One queue's routing configuration and waiting items.
#[derive(Clone, Debug)]
pub struct QueueBacklog {
    /// Channel of its items.
    pub channel: ChannelId,
    /// Routing model.
    pub model: RoutingModel,
    /// Cost of one item.
    pub cost: CapacityCost,
    /// The capacity its items count against.
    pub pool: CapacityPool,
    /// Queue-based or skills-based.
    pub routing_type: RoutingType,
    /// Agent classes that are members (queue-based routing).
    members: Vec<ClassId>,
    buckets: Vec<Bucket>,
}

impl QueueBacklog {
    /// Waiting items grouped by the skills they still need.
    pub fn buckets(&self) -> &[Bucket] {
        &self.buckets
    }

    /// Waiting items in all buckets, each bucket in routing order.
    pub fn items(&self) -> impl Iterator<Item = (&ItemKey, &QueuedItem)> {
        self.buckets.iter().flat_map(|b| b.items())
    }

    /// Number waiting.
    pub fn len(&self) -> usize {
        self.buckets.iter().map(|b| b.items.len()).sum()
    }

    /// Whether nothing waits.
    pub fn is_empty(&self) -> bool {
        self.buckets.iter().all(Bucket::is_empty)
    }
}

/// Requirements in one order, so equal sets find the same bucket.
pub fn canonical(requirements: &[SkillRequirement]) -> Vec<SkillRequirement> {
    let mut r = requirements.to_vec();
    r.sort_by_key(|q| (q.skill, q.level, q.additional, q.priority));
    r.dedup();
    r
}

/// All queues' waiting items.
#[derive(Clone, Debug)]
pub struct Backlog {
    queues: Vec<QueueBacklog>,
    classes: AgentClasses,
}

impl Backlog {
    /// An empty backlog for agents of `classes`.
    pub fn new(classes: AgentClasses) -> Backlog {
        Backlog {
            queues: Vec::new(),
            classes,
        }
    }

    /// Adds a queue (queues are numbered in the order added).
    pub fn add_queue(
        &mut self,
        channel: ChannelId,
        model: RoutingModel,
        cost: CapacityCost,
        pool: CapacityPool,
        routing_type: RoutingType,
    ) -> QueueId {
        let id = QueueId(self.queues.len() as u32);
        let members = self.classes.eligible(RoutingType::Queue, id, &[]);
        self.queues.push(QueueBacklog {
            channel,
            model,
            cost,
            pool,
            routing_type,
            members,
            buckets: Vec::new(),
        });
        id
    }

    /// One empty queue per scenario queue, numbered as in the scenario.
    pub fn for_scenario(scenario: &crate::scenario::Scenario) -> Backlog {
        let mut backlog = Backlog::new(AgentClasses::from_scenario(scenario));
        for q in &scenario.queues {
            backlog.add_queue(
                q.channel,
                q.routing.model,
                q.routing.cost,
                q.routing.pool,
                q.routing.routing_type,
            );
        }
        backlog
    }

    /// The agent classes routing distinguishes.
    pub fn classes(&self) -> &AgentClasses {
        &self.classes
    }

    /// Queues with their ids.
    pub fn queues(&self) -> impl Iterator<Item = (QueueId, &QueueBacklog)> {
        self.queues
            .iter()
            .enumerate()
            .map(|(i, q)| (QueueId(i as u32), q))
    }

    /// One queue.
    pub fn queue(&self, id: QueueId) -> &QueueBacklog {
        &self.queues[id.index()]
    }

    /// The classes that may take an item of `queue` still needing
    /// `requirements`.
    pub fn eligible_classes(
        &self,
        queue: QueueId,
        requirements: &[SkillRequirement],
    ) -> Vec<ClassId> {
        let q = &self.queues[queue.index()];
        match q.routing_type {
            RoutingType::Queue => q.members.clone(),
            RoutingType::Skills => self
                .classes
                .eligible(RoutingType::Skills, queue, requirements),
        }
    }

    /// Puts an item (back) in its queue, among the items needing the same
    /// `requirements` (ignored for queue-based routing).
    pub fn insert(
        &mut self,
        queue: QueueId,
        requirements: &[SkillRequirement],
        key: ItemKey,
        item: QueuedItem,
    ) {
        let reqs = match self.queues[queue.index()].routing_type {
            RoutingType::Queue => Vec::new(),
            RoutingType::Skills => canonical(requirements),
        };
        let pos = self.queues[queue.index()]
            .buckets
            .iter()
            .position(|b| b.requirements == reqs);
        let pos = match pos {
            Some(p) => p,
            None => {
                let classes = self.eligible_classes(queue, &reqs);
                let q = &mut self.queues[queue.index()];
                q.buckets.push(Bucket {
                    requirements: reqs,
                    classes,
                    items: BTreeMap::new(),
                });
                q.buckets.len() - 1
            }
        };
        self.queues[queue.index()].buckets[pos]
            .items
            .insert(key, item);
    }

    /// Takes an item out of its queue.
    pub fn remove(&mut self, queue: QueueId, key: ItemKey) -> Option<QueuedItem> {
        self.queues[queue.index()]
            .buckets
            .iter_mut()
            .find_map(|b| b.items.remove(&key))
    }

    /// Forgets `agent` as last decliner everywhere (it changed status);
    /// the chats it refused stay refused.
    pub fn clear_exclusions(&mut self, agent: AgentId) {
        for q in &mut self.queues {
            for b in &mut q.buckets {
                for entry in b.items.values_mut() {
                    entry.excluded.status_changed(agent);
                }
            }
        }
    }

    /// Items waiting in all queues.
    pub fn len(&self) -> usize {
        self.queues.iter().map(QueueBacklog::len).sum()
    }

    /// Whether nothing waits anywhere.
    pub fn is_empty(&self) -> bool {
        self.queues.iter().all(QueueBacklog::is_empty)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::omni::{CapacityUnits, SkillId};
    use crate::routing::{next_push, AgentIndex, ClassSpec};

    const CH: ChannelId = ChannelId(0);
    const W1: CapacityCost = CapacityCost::Weight(1);

    fn setup() -> (Backlog, AgentIndex) {
        let mut b = Backlog::new(AgentClasses::uniform(2, 2));
        b.add_queue(
            CH,
            RoutingModel::MostAvailable,
            W1,
            CapacityPool::Primary,
            RoutingType::Queue,
        );
        b.add_queue(
            CH,
            RoutingModel::MostAvailable,
            W1,
            CapacityPool::Primary,
            RoutingType::Queue,
        );
        let mut idx = AgentIndex::new(&[CapacityUnits::whole(1); 2], b.classes(), 1);
        idx.set_presence(AgentId(0), vec![CH], Some(SimTime(0)));
        (b, idx)
    }

    fn key(priority: i32, at: u64, seq: u64) -> ItemKey {
        ItemKey::new(priority, None, SimTime(at), seq)
    }

    fn item(n: u64) -> QueuedItem {
        QueuedItem {
            item: WorkItemId(n),
            excluded: Exclusion::Nobody,
        }
    }

    #[test]
    fn lower_priority_number_wins_over_age() {
        let (mut b, idx) = setup();
        b.insert(QueueId(0), &[], key(2, 1, 1), item(1));
        b.insert(QueueId(1), &[], key(1, 5, 2), item(2));
        let d = next_push(&b, &idx).unwrap();
        assert_eq!((d.queue, d.item), (QueueId(1), WorkItemId(2)));
    }

    #[test]
    fn oldest_first_within_priority_and_declined_items_keep_their_place() {
        let (mut b, idx) = setup();
        b.insert(QueueId(1), &[], key(1, 5, 2), item(2));
        b.insert(QueueId(1), &[], key(1, 3, 1), item(1));
        assert_eq!(next_push(&b, &idx).unwrap().item, WorkItemId(1));
    }

    #[test]
    fn secondary_priority_moves_an_item_ahead_of_older_ones_and_unset_goes_last() {
        let (mut b, idx) = setup();
        b.insert(QueueId(0), &[], key(1, 1, 1), item(1));
        b.insert(
            QueueId(1),
            &[],
            ItemKey::new(1, Some(1), SimTime(3), 3),
            item(3),
        );
        b.insert(
            QueueId(1),
            &[],
            ItemKey::new(1, Some(0), SimTime(9), 4),
            item(4),
        );
        assert_eq!(next_push(&b, &idx).unwrap().item, WorkItemId(4));
        b.remove(QueueId(1), ItemKey::new(1, Some(0), SimTime(9), 4));
        assert_eq!(next_push(&b, &idx).unwrap().item, WorkItemId(3));
        b.remove(QueueId(1), ItemKey::new(1, Some(1), SimTime(3), 3));
        assert_eq!(next_push(&b, &idx).unwrap().item, WorkItemId(1));
    }

    #[test]
    fn an_item_only_its_decliner_could_take_does_not_block_the_next() {
        let (mut b, idx) = setup();
        b.insert(
            QueueId(1),
            &[],
            key(1, 1, 1),
            QueuedItem {
                item: WorkItemId(1),
                excluded: Exclusion::LastDecliner(AgentId(0)),
            },
        );
        b.insert(QueueId(1), &[], key(1, 2, 2), item(2));
        let d = next_push(&b, &idx).unwrap();
        assert_eq!((d.item, d.agent), (WorkItemId(2), AgentId(0)));
        b.clear_exclusions(AgentId(0));
        assert_eq!(next_push(&b, &idx).unwrap().item, WorkItemId(1));
    }

    #[test]
    fn nothing_to_push_without_eligible_agents() {
        let (mut b, mut idx) = setup();
        b.insert(QueueId(0), &[], key(1, 1, 1), item(1));
        idx.set_presence(AgentId(0), vec![], None);
        assert_eq!(next_push(&b, &idx), None);
    }

    /// Agent 0 (class 0) belongs to queue 0 and speaks French at 4; agent 1
    /// (class 1) belongs to queue 1 and speaks French at 8.
    fn two_teams(routing_type: RoutingType) -> (Backlog, AgentIndex) {
        let classes = AgentClasses::new(
            vec![ClassId(0), ClassId(1)],
            vec![
                ClassSpec {
                    queues: vec![true, false],
                    skills: vec![Some(4)],
                },
                ClassSpec {
                    queues: vec![false, true],
                    skills: vec![Some(8)],
                },
            ],
        );
        let mut b = Backlog::new(classes);
        b.add_queue(
            CH,
            RoutingModel::MostAvailable,
            W1,
            CapacityPool::Primary,
            routing_type,
        );
        b.add_queue(
            CH,
            RoutingModel::MostAvailable,
            W1,
            CapacityPool::Primary,
            routing_type,
        );
        let mut idx = AgentIndex::new(&[CapacityUnits::whole(1); 2], b.classes(), 1);
        idx.set_presence(AgentId(0), vec![CH], Some(SimTime(0)));
        idx.set_presence(AgentId(1), vec![CH], Some(SimTime(1)));
        (b, idx)
    }

    #[test]
    fn queue_items_go_only_to_members() {
        let (mut b, mut idx) = two_teams(RoutingType::Queue);
        b.insert(QueueId(1), &[], key(1, 1, 1), item(1));
        let d = next_push(&b, &idx).unwrap();
        // Agent 0 logged in first and would win the tie-break, but is no member.
        assert_eq!(d.agent, AgentId(1));
        idx.set_presence(AgentId(1), vec![], None);
        assert_eq!(next_push(&b, &idx), None);
    }

    #[test]
    fn skills_items_go_only_to_agents_with_every_skill_at_its_level() {
        let (mut b, mut idx) = two_teams(RoutingType::Skills);
        let french = |level| SkillRequirement {
            skill: SkillId(0),
            level,
            additional: false,
            priority: 0,
        };
        b.insert(QueueId(0), &[french(6)], key(1, 1, 1), item(1));
        b.insert(QueueId(0), &[french(2)], key(1, 2, 2), item(2));
        let d = next_push(&b, &idx).unwrap();
        assert_eq!((d.item, d.agent), (WorkItemId(1), AgentId(1)));
        idx.set_presence(AgentId(1), vec![], None);
        // Nobody else speaks French at 6: the item behind it goes first.
        let d = next_push(&b, &idx).unwrap();
        assert_eq!((d.item, d.agent), (WorkItemId(2), AgentId(0)));
        assert_eq!(b.queue(QueueId(0)).buckets().len(), 2);
    }
}
