//! Lines about agents' presence: status changes and the rostered breaks the
//! ledger finds in them, logins, logouts and absence.

use super::*;

impl Narrator {
    /// The agent's load, told in the push and close lines rather than a line of
    /// its own.
    pub(super) fn workload_changed(&mut self, event: &SimEvent, _: bool) -> Option<(Tone, String)> {
        if let EventKind::WorkloadChanged {
            agent,
            new_workload,
            new_interruptible_workload,
            ..
        } = &event.kind
        {
            if let Some(a) = self.agents.get_mut(agent.index()) {
                a.load = [*new_workload, *new_interruptible_workload];
            }
        }
        None
    }

    /// A status change, and the rostered break it starts or ends as the ledger
    /// tells it; a login's own status change is told in the login line.
    pub(super) fn status_changed(
        &mut self,
        event: &SimEvent,
        show: bool,
    ) -> Option<(Tone, String)> {
        let EventKind::StatusChanged {
            agent,
            status,
            reason,
            ..
        } = &event.kind
        else {
            return None;
        };
        let mut s = String::new();
        let clears = clears_exclusions(*reason);
        let fresh = std::mem::take(&mut self.agents[agent.index()].fresh_login);
        let step = self.ledger.apply(event);
        let freed = if clears {
            self.clear_exclusions(*agent)
        } else {
            Vec::new()
        };
        if !clears {
            self.cause = None;
        }
        if fresh {
            return None;
        }
        if show {
            let (name, meaning) = self.status_words(*status);
            match step {
                Some(BreakStep::Starts(b)) => {
                    let who = self.agent_name(*agent);
                    let _ = match b.until {
                        Some(until) => {
                            let until = self.scenario.simulation.clock().label(until);
                            write!(s, "{who} goes to {name} (break until {until}): {meaning}")
                        }
                        None => write!(s, "{who} goes to {name} (break): {meaning}"),
                    };
                }
                Some(BreakStep::Ends { status: was, .. }) => {
                    let back = self
                        .agents
                        .get(agent.index())
                        .is_some_and(|a| self.scenario.agents[a.group].status == *status);
                    let (who, was) = (self.agent_name(*agent), self.status_words(was).0);
                    let _ = if back {
                        write!(
                            s,
                            "{who} is back from {was} → {name} ({reason:?}): {meaning}"
                        )
                    } else {
                        write!(
                            s,
                            "{who} ends its {was} break → {name} ({reason:?}): {meaning}"
                        )
                    };
                }
                None => {
                    let _ = write!(s, "agent {} → {name} ({reason:?}): {meaning}", agent.0);
                }
            }
            if !freed.is_empty() {
                let list: Vec<String> = freed.iter().map(|i| i.to_string()).collect();
                let _ = write!(
                    s,
                    "; the status change lifts its exclusion from item {}",
                    list.join(", ")
                );
            }
        }
        Some((Tone::Presence, s))
    }

    /// A login, with the status it sets.
    pub(super) fn login_success(&mut self, event: &SimEvent, show: bool) -> Option<(Tone, String)> {
        let EventKind::LoginSuccess { agent, status } = &event.kind else {
            return None;
        };
        let mut s = String::new();
        self.ledger.apply(event);
        self.agents[agent.index()].fresh_login = true;
        self.clear_exclusions(*agent);
        if show {
            let (name, meaning) = self.status_words(*status);
            let _ = write!(
                s,
                "{} logged in as {name}: {meaning}",
                self.agent_name(*agent)
            );
        }
        Some((Tone::Presence, s))
    }

    /// A rostered agent absent for the day.
    pub(super) fn agent_absent(&mut self, event: &SimEvent, show: bool) -> Option<(Tone, String)> {
        let EventKind::AgentAbsent { agent } = &event.kind else {
            return None;
        };
        let mut s = String::new();
        self.ledger.apply(event);
        if show {
            let _ = write!(
                s,
                "{} is absent today: rostered, but never logs in",
                self.agent_name(*agent)
            );
        }
        Some((Tone::Presence, s))
    }

    /// A logout.
    pub(super) fn logout(&mut self, event: &SimEvent, show: bool) -> Option<(Tone, String)> {
        let EventKind::Logout { agent } = &event.kind else {
            return None;
        };
        let mut s = String::new();
        self.ledger.apply(event);
        self.clear_exclusions(*agent);
        if show {
            let _ = write!(s, "{} logged out", self.agent_name(*agent));
        }
        Some((Tone::Presence, s))
    }
}
