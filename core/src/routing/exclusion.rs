//! Who a waiting item may not go to now (omni-reference §5.3, §12.6).

use crate::omni::AgentId;

/// The agents left out of an item's next push.
///
/// On most channels only its last decliner is left out, until that agent
/// changes status (§5.3). On a channel whose items end when everyone
/// declines them (`ends_when_all_decline`, live chat) every agent that
/// refused the item since it was last queued is, whatever their status
/// does since (§12.6, "tried once per agent"): the item waits for an
/// agent it has not tried.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Exclusion {
    /// Anyone may take it.
    #[default]
    Nobody,
    /// Its last decliner, until that agent changes status.
    LastDecliner(AgentId),
    /// Every agent that refused it, in the order they did.
    Refused(Vec<AgentId>),
}

impl Exclusion {
    /// Whether `agent` is left out.
    #[inline]
    pub fn excludes(&self, agent: AgentId) -> bool {
        match self {
            Exclusion::Nobody => false,
            Exclusion::LastDecliner(a) => *a == agent,
            Exclusion::Refused(list) => list.contains(&agent),
        }
    }

    /// The agents left out.
    pub fn agents(&self) -> &[AgentId] {
        match self {
            Exclusion::Nobody => &[],
            Exclusion::LastDecliner(a) => std::slice::from_ref(a),
            Exclusion::Refused(list) => list,
        }
    }

    /// `agent` changed status: it is no longer an item's last decliner
    /// (§5.3); the agents that refused a chat stay refused.
    pub fn status_changed(&mut self, agent: AgentId) {
        if *self == Exclusion::LastDecliner(agent) {
            *self = Exclusion::Nobody;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_status_change_lifts_a_last_decliner_but_not_a_refusal() {
        let (a, b) = (AgentId(1), AgentId(2));
        let mut last = Exclusion::LastDecliner(a);
        assert!(last.excludes(a) && !last.excludes(b));
        last.status_changed(b);
        assert_eq!(last, Exclusion::LastDecliner(a));
        last.status_changed(a);
        assert_eq!(last, Exclusion::Nobody);
        let mut refused = Exclusion::Refused(vec![a, b]);
        refused.status_changed(a);
        assert!(refused.excludes(a) && refused.excludes(b));
        assert_eq!(refused.agents(), [a, b]);
        assert!(!Exclusion::Nobody.excludes(a));
    }
}
