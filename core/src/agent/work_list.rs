//! An agent's active AgentWork, in id (= assignment) order.
//!
//! An agent holds a handful of works at most (its capacity), and the list
//! empties and refills with every item. A vector that keeps its allocation
//! serves that better than a map that allocates a node on the first insert
//! and frees it on the last remove, once per item per agent.

use crate::kernel::calendar::TimerId;
use crate::omni::{AgentWork, AgentWorkId};

/// The timers an active work may leave on the calendar, cancelled as soon
/// as they are moot so the calendar never delivers them.
#[derive(Copy, Clone, Debug, Default)]
pub(crate) struct WorkTimers {
    /// Fires if the push is not answered in time.
    pub push_timeout: Option<TimerId>,
    /// The customer's patience (the router's timer).
    pub patience: Option<TimerId>,
}

/// Active works sorted by id, with their timers.
#[derive(Debug, Default)]
pub(crate) struct WorkList {
    works: Vec<(AgentWork, WorkTimers)>,
}

impl WorkList {
    fn position(&self, id: AgentWorkId) -> Result<usize, usize> {
        self.works.binary_search_by_key(&id, |w| w.0.id)
    }

    pub(crate) fn get(&self, id: &AgentWorkId) -> Option<&AgentWork> {
        self.position(*id).ok().map(|i| &self.works[i].0)
    }

    pub(crate) fn get_mut(&mut self, id: &AgentWorkId) -> Option<&mut AgentWork> {
        self.position(*id).ok().map(|i| &mut self.works[i].0)
    }

    /// Adds (or replaces) the work with this id, keeping id order.
    pub(crate) fn insert(&mut self, id: AgentWorkId, work: AgentWork, timers: WorkTimers) {
        debug_assert_eq!(id, work.id);
        match self.position(id) {
            Ok(i) => self.works[i] = (work, timers),
            Err(i) => {
                // Grown one work at a time: most agents hold one or two
                // works at most, and the default growth (to four at once)
                // would reserve some 800 bytes per agent they never use.
                self.works.reserve_exact(1);
                self.works.insert(i, (work, timers))
            }
        }
    }

    /// Hands over the work's timers (for cancelling), leaving none.
    pub(crate) fn take_timers(&mut self, id: &AgentWorkId) -> WorkTimers {
        match self.position(*id) {
            Ok(i) => std::mem::take(&mut self.works[i].1),
            Err(_) => WorkTimers::default(),
        }
    }

    pub(crate) fn remove(&mut self, id: &AgentWorkId) -> Option<(AgentWork, WorkTimers)> {
        self.position(*id).ok().map(|i| self.works.remove(i))
    }

    /// Number of active AgentWork.
    pub(crate) fn len(&self) -> usize {
        self.works.len()
    }

    pub(crate) fn values(&self) -> impl Iterator<Item = &AgentWork> {
        self.works.iter().map(|w| &w.0)
    }

    /// Empties the list, returning the works in id order. Their timers
    /// are dropped uncancelled: they find nothing to act on when they fire.
    pub(crate) fn take_all(&mut self) -> Vec<AgentWork> {
        std::mem::take(&mut self.works)
            .into_iter()
            .map(|w| w.0)
            .collect()
    }
}
