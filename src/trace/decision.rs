//! Routing lines: the candidates of a decision as the router recorded
//! them, and the rule that set the chosen agent apart.

use super::*;

impl Narrator {
    #[allow(clippy::too_many_arguments)]
    pub(super) fn decision_words(
        &self,
        now: SimTime,
        item: WorkItemId,
        queue: QueueId,
        chosen: AgentId,
        model: RoutingModel,
        pushes: u32,
        record: Option<&DecisionRecord>,
    ) -> String {
        let mut s = String::new();
        let verb = if pushes == 0 { "routing" } else { "re-routing" };
        let _ = write!(
            s,
            "{verb} item {item} ({}, {}, cost {}",
            self.queue_name(queue),
            model.as_str(),
            self.scenario
                .queues
                .get(queue.index())
                .map_or_else(|| "?".into(), |q| cost_words(q.routing.cost))
        );
        if pushes > 0 {
            let _ = write!(s, ", {} push", ordinal(pushes + 1));
        }
        let Some(r) = record else {
            let _ = write!(
                s,
                "): chose agent {} (the run did not record the candidates)",
                chosen.0
            );
            return s;
        };
        let skills_based = self
            .scenario
            .queues
            .get(queue.index())
            .is_some_and(|q| q.routing.routing_type == RoutingType::Skills);
        let needs = &r.requirements;
        if skills_based {
            let _ = write!(s, ", needs {}", self.skills_words(needs));
        }
        let total = r.ranked.len();
        let _ = write!(s, "): {total} eligible");
        match r.excluded.as_slice() {
            [] => {}
            [x] => {
                let _ = write!(s, " (agent {} left out: it let this item go)", x.0);
            }
            many => {
                let list: Vec<String> = many.iter().map(|a| a.0.to_string()).collect();
                let _ = write!(
                    s,
                    " (agents {} left out: each refused this item, which is tried once per agent)",
                    list.join(", ")
                );
            }
        }
        let listed = &r.ranked[..total.min(LISTED_CANDIDATES)];
        for (i, c) in listed.iter().enumerate() {
            s.push_str(if i == 0 { " — " } else { "; " });
            s.push_str(&self.candidate_words(now, model, r.pool, c));
            if let Some(gone) = self.unaware_words(c.agent, queue) {
                s.push_str(&gone);
            }
            if skills_based && !needs.is_empty() {
                let _ = write!(s, ", has {}", self.skill_match_words(c.agent, needs));
            }
        }
        if total > listed.len() {
            let _ = write!(s, "; and {} more", total - listed.len());
        }
        s.push_str(&self.choice_words(now, model, chosen, r));
        s
    }

    /// "; chose agent 4: most free capacity (2 vs 1)": the choice, and the
    /// rule the router recorded for it.
    fn choice_words(
        &self,
        now: SimTime,
        model: RoutingModel,
        chosen: AgentId,
        r: &DecisionRecord,
    ) -> String {
        let mut s = String::new();
        match r.ranked.first() {
            _ if model == RoutingModel::External => {
                let _ = write!(
                    s,
                    "; chose agent {}: the external routing policy's choice",
                    chosen.0
                );
            }
            Some(c) if c.agent == chosen => {
                let _ = write!(
                    s,
                    "; chose agent {}: {}",
                    chosen.0,
                    reason_words(
                        &self.scenario.simulation.clock(),
                        now,
                        model,
                        r.rule,
                        c,
                        r.ranked.get(1)
                    )
                );
            }
            // A record not led by the chosen agent would be a router bug;
            // say so rather than explain a choice that was not made.
            _ => {
                let _ = write!(
                    s,
                    "; chose agent {} (not the first of the recorded candidates)",
                    chosen.0
                );
            }
        }
        s
    }

    /// "French ≥ 5, Premium ≥ 8 (additional)", or "no skill".
    pub(super) fn skills_words(&self, needs: &[SkillRequirement]) -> String {
        if needs.is_empty() {
            return "no skill".into();
        }
        let words: Vec<String> = needs
            .iter()
            .map(|r| {
                let name = &self.scenario.skills[r.skill.index()].name;
                let extra = if r.additional { " (additional)" } else { "" };
                format!("{name} ≥ {}{extra}", r.level)
            })
            .collect();
        words.join(", ")
    }

    /// The agent's level of each skill the item needs: why it matches.
    fn skill_match_words(&self, agent: AgentId, needs: &[SkillRequirement]) -> String {
        let group = self
            .agents
            .get(agent.index())
            .map(|a| &self.scenario.agents[a.group]);
        let words: Vec<String> = needs
            .iter()
            .map(|r| {
                let name = &self.scenario.skills[r.skill.index()].name;
                match group.and_then(|g| g.skill_level(r.skill)) {
                    Some(l) => format!("{name} {l}"),
                    None => format!("no {name}"),
                }
            })
            .collect();
        words.join(", ")
    }

    /// A candidate that left the channel at this very instant, which the
    /// router has not heard of yet (the same-instant rule): a push to it
    /// will be refused when it arrives.
    fn unaware_words(&self, agent: AgentId, queue: QueueId) -> Option<String> {
        let a = self.ledger.get(agent)?;
        let channel = self.scenario.queues.get(queue.index())?.channel;
        match a.status() {
            None => Some(" (logged out at this instant; the router hears of it next, so a push now is refused)".into()),
            Some(st) if !self.scenario.statuses[st.index()].has_channel(channel) => Some(format!(
                " (moved to {} at this instant; the router hears of it next, so a push now is refused)",
                self.status_words(st).0
            )),
            Some(_) => None,
        }
    }

    fn candidate_words(
        &self,
        now: SimTime,
        model: RoutingModel,
        pool: CapacityPool,
        c: &RankedAgent,
    ) -> String {
        let mut s = self.agent_name(c.agent);
        let _ = match model {
            RoutingModel::MostAvailable | RoutingModel::External => {
                write!(s, " free {} of {}", units(c.free()), units(c.capacity))
            }
            RoutingModel::LeastActive => {
                write!(s, " load {} of {}", units(c.load), units(c.capacity))
            }
        };
        if pool == CapacityPool::Interruptible {
            s.push_str(" interruptible");
        }
        let _ = write!(s, ", {} active, ", c.open_items);
        if c.pushed_since_login {
            let _ = write!(s, "last push {} ago", span(now - c.since));
        } else {
            let since = self.scenario.simulation.clock().label_ms(c.since);
            let _ = write!(s, "not pushed since login at {since}");
        }
        s
    }
}

/// The machine-readable form of what [`Narrator::candidate_words`] says.
pub(super) fn candidate_facts(pool: CapacityPool, c: &RankedAgent) -> CandidateFacts {
    CandidateFacts {
        agent: c.agent.0,
        pool,
        capacity: c.capacity.as_f64(),
        load: c.load.as_f64(),
        free: c.free().as_f64(),
        active: c.open_items,
        pushed_since_login: c.pushed_since_login,
        since: c.since.as_secs_f64(),
    }
}

/// Whether a decision's record is consistent with the router's choice of
/// `chosen`: candidates strictly in `model`'s order (by the figures they
/// were recorded with), none of them the excluded agent, and the chosen
/// agent first (an external policy may choose any of them).
pub(super) fn consistent(model: RoutingModel, chosen: AgentId, r: &DecisionRecord) -> bool {
    let tie = |c: &RankedAgent| (c.pushed_since_login, c.since, c.agent);
    let ordered = r.ranked.windows(2).all(|w| match model {
        RoutingModel::LeastActive => (w[0].load, tie(&w[0])) < (w[1].load, tie(&w[1])),
        RoutingModel::MostAvailable | RoutingModel::External => {
            (std::cmp::Reverse(w[0].free()), tie(&w[0]))
                < (std::cmp::Reverse(w[1].free()), tie(&w[1]))
        }
    });
    let excluded_out = r
        .excluded
        .iter()
        .all(|x| r.ranked.iter().all(|c| c.agent != *x));
    let chosen_ok = match model {
        RoutingModel::External => r.ranked.iter().any(|c| c.agent == chosen),
        _ => r.ranked.first().is_some_and(|c| c.agent == chosen),
    };
    ordered && excluded_out && chosen_ok
}

/// The rule that put `chosen` ahead of the runner-up, as the router
/// recorded it, with the figures that show it.
fn reason_words(
    clock: &DayClock,
    now: SimTime,
    model: RoutingModel,
    rule: DecisionRule,
    chosen: &RankedAgent,
    runner_up: Option<&RankedAgent>,
) -> String {
    let (a, b) = match (rule, runner_up) {
        (DecisionRule::OnlyEligible, _) | (_, None) => return "the only eligible agent".into(),
        (_, Some(b)) => (chosen, b),
    };
    let tie = match rule {
        DecisionRule::MostFreeCapacity => {
            return format!(
                "most free capacity ({} vs {})",
                units(a.free()),
                units(b.free())
            );
        }
        DecisionRule::LeastLoad => {
            return format!("least active (load {} vs {})", units(a.load), units(b.load));
        }
        DecisionRule::ExternalPolicy => return "the external routing policy's choice".into(),
        _ if model == RoutingModel::LeastActive => format!("load {}", units(a.load)),
        _ => format!("free capacity {}", units(a.free())),
    };
    format!(
        "tie on {tie} with agent {} broken by: {}",
        b.agent.0,
        tie_words(clock, now, rule, a, b)
    )
}

/// Why `a` comes before `b` in the tie-break (omni-reference §6.5), by the
/// recorded rule; instants in the day's clock time.
fn tie_words(
    clock: &DayClock,
    now: SimTime,
    rule: DecisionRule,
    a: &RankedAgent,
    b: &RankedAgent,
) -> String {
    match rule {
        DecisionRule::NeverPushedSinceLogin => "never pushed since login".into(),
        DecisionRule::LoggedInFirst => format!(
            "neither pushed since login; logged in first ({} vs {})",
            clock.label_ms(a.since),
            clock.label_ms(b.since)
        ),
        DecisionRule::LongestSinceLastPush => {
            let (x, y) = (span(now - a.since), span(now - b.since));
            if x == y {
                format!(
                    "longest since last push ({} vs {})",
                    clock.label_ms(a.since),
                    clock.label_ms(b.since)
                )
            } else {
                format!("longest since last push ({x} vs {y})")
            }
        }
        _ => "lowest agent number".into(),
    }
}
