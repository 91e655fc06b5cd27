//! Waiting items, per queue, in routing order.

use crate::omni::{AgentId, CapacityCost, ChannelId, QueueId, RoutingModel, WorkItemId};
use crate::time::SimTime;
use std::collections::BTreeMap;

/// A waiting item as routing sees it.
#[derive(Clone, Debug, PartialEq)]
pub struct QueuedItem {
    /// The item.
    pub item: WorkItemId,
    /// Its last decliner, who may not get it back until changing status.
    pub excluded: Option<AgentId>,
}

/// Order within a queue: request time (age), then arrival number. A
/// declined item is re-inserted with its original key, so it goes back to
/// its original place (omni-reference §5.1).
pub type ItemKey = (SimTime, u64);

/// One queue's routing configuration and waiting items.
#[derive(Clone, Debug)]
pub struct QueueBacklog {
    /// Routing priority (lower first).
    pub priority: i32,
    /// Channel of its items.
    pub channel: ChannelId,
    /// Routing model.
    pub model: RoutingModel,
    /// Cost of one item.
    pub cost: CapacityCost,
    items: BTreeMap<ItemKey, QueuedItem>,
}

impl QueueBacklog {
    /// Key of the oldest waiting item.
    pub fn front_key(&self) -> Option<ItemKey> {
        self.items.keys().next().copied()
    }

    /// Waiting items in routing order.
    pub fn items(&self) -> impl Iterator<Item = (&ItemKey, &QueuedItem)> {
        self.items.iter()
    }

    /// Number waiting.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether nothing waits.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

/// All queues' waiting items.
#[derive(Clone, Debug, Default)]
pub struct Backlog {
    queues: Vec<QueueBacklog>,
}

impl Backlog {
    /// Adds a queue (queues are numbered in the order added).
    pub fn add_queue(
        &mut self,
        priority: i32,
        channel: ChannelId,
        model: RoutingModel,
        cost: CapacityCost,
    ) -> QueueId {
        self.queues.push(QueueBacklog {
            priority,
            channel,
            model,
            cost,
            items: BTreeMap::new(),
        });
        QueueId(self.queues.len() as u32 - 1)
    }

    /// One empty queue per scenario queue, numbered as in the scenario.
    pub fn for_queues(queues: &[crate::scenario::Queue]) -> Backlog {
        let mut backlog = Backlog::default();
        for q in queues {
            backlog.add_queue(
                q.routing.priority,
                q.channel,
                q.routing.model,
                q.routing.cost,
            );
        }
        backlog
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

    /// Puts an item (back) in its queue.
    pub fn insert(&mut self, queue: QueueId, key: ItemKey, item: QueuedItem) {
        self.queues[queue.index()].items.insert(key, item);
    }

    /// Takes an item out of its queue.
    pub fn remove(&mut self, queue: QueueId, key: ItemKey) -> Option<QueuedItem> {
        self.queues[queue.index()].items.remove(&key)
    }

    /// Forgets `agent` as last decliner everywhere (it changed status).
    pub fn clear_exclusions(&mut self, agent: AgentId) {
        for q in &mut self.queues {
            for entry in q.items.values_mut() {
                if entry.excluded == Some(agent) {
                    entry.excluded = None;
                }
            }
        }
    }

    /// Items waiting in all queues.
    pub fn len(&self) -> usize {
        self.queues.iter().map(|q| q.items.len()).sum()
    }

    /// Whether nothing waits anywhere.
    pub fn is_empty(&self) -> bool {
        self.queues.iter().all(|q| q.items.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::omni::CapacityUnits;
    use crate::routing::{next_push, AgentIndex};

    fn setup() -> (Backlog, AgentIndex) {
        let mut b = Backlog::default();
        b.add_queue(
            2,
            ChannelId(0),
            RoutingModel::MostAvailable,
            CapacityCost::Weight(1),
        );
        b.add_queue(
            1,
            ChannelId(0),
            RoutingModel::MostAvailable,
            CapacityCost::Weight(1),
        );
        let mut idx = AgentIndex::new(&[CapacityUnits::whole(1); 2], 1);
        idx.set_presence(AgentId(0), vec![ChannelId(0)], Some(SimTime(0)));
        (b, idx)
    }

    fn item(n: u64) -> QueuedItem {
        QueuedItem {
            item: WorkItemId(n),
            excluded: None,
        }
    }

    #[test]
    fn lower_priority_number_wins_over_age() {
        let (mut b, idx) = setup();
        b.insert(QueueId(0), (SimTime(1), 1), item(1));
        b.insert(QueueId(1), (SimTime(5), 2), item(2));
        let d = next_push(&b, &idx).unwrap();
        assert_eq!((d.queue, d.item), (QueueId(1), WorkItemId(2)));
    }

    #[test]
    fn oldest_first_within_priority_and_declined_items_keep_their_place() {
        let (mut b, idx) = setup();
        b.insert(QueueId(1), (SimTime(5), 2), item(2));
        b.insert(QueueId(1), (SimTime(3), 1), item(1));
        assert_eq!(next_push(&b, &idx).unwrap().item, WorkItemId(1));
    }

    #[test]
    fn an_item_only_its_decliner_could_take_does_not_block_the_next() {
        let (mut b, idx) = setup();
        b.insert(
            QueueId(1),
            (SimTime(1), 1),
            QueuedItem {
                item: WorkItemId(1),
                excluded: Some(AgentId(0)),
            },
        );
        b.insert(QueueId(1), (SimTime(2), 2), item(2));
        let d = next_push(&b, &idx).unwrap();
        assert_eq!((d.item, d.agent), (WorkItemId(2), AgentId(0)));
        b.clear_exclusions(AgentId(0));
        assert_eq!(next_push(&b, &idx).unwrap().item, WorkItemId(1));
    }

    #[test]
    fn nothing_to_push_without_eligible_agents() {
        let (mut b, mut idx) = setup();
        b.insert(QueueId(0), (SimTime(1), 1), item(1));
        idx.set_presence(AgentId(0), vec![], None);
        assert_eq!(next_push(&b, &idx), None);
    }
}
