//! An agent's active AgentWork, in id (= assignment) order.
//!
//! An agent holds a handful of works at most (its capacity), and the list
//! empties and refills with every item. A vector that keeps its allocation
//! serves that better than a map that allocates a node on the first insert
//! and frees it on the last remove, once per item per agent.

use crate::omni::{AgentWork, AgentWorkId};

/// Active works sorted by id.
#[derive(Debug, Default)]
pub(crate) struct WorkList {
    works: Vec<AgentWork>,
}

impl WorkList {
    fn position(&self, id: AgentWorkId) -> Result<usize, usize> {
        self.works.binary_search_by_key(&id, |w| w.id)
    }

    pub(crate) fn get(&self, id: &AgentWorkId) -> Option<&AgentWork> {
        self.position(*id).ok().map(|i| &self.works[i])
    }

    pub(crate) fn get_mut(&mut self, id: &AgentWorkId) -> Option<&mut AgentWork> {
        self.position(*id).ok().map(|i| &mut self.works[i])
    }

    /// Adds (or replaces) the work with this id, keeping id order.
    pub(crate) fn insert(&mut self, id: AgentWorkId, work: AgentWork) {
        debug_assert_eq!(id, work.id);
        match self.position(id) {
            Ok(i) => self.works[i] = work,
            Err(i) => self.works.insert(i, work),
        }
    }

    pub(crate) fn remove(&mut self, id: &AgentWorkId) -> Option<AgentWork> {
        self.position(*id).ok().map(|i| self.works.remove(i))
    }

    /// Number of active AgentWork.
    pub(crate) fn len(&self) -> usize {
        self.works.len()
    }

    pub(crate) fn values(&self) -> impl Iterator<Item = &AgentWork> {
        self.works.iter()
    }

    /// Empties the list, returning the works in id order.
    pub(crate) fn take_all(&mut self) -> Vec<AgentWork> {
        std::mem::take(&mut self.works)
    }
}
