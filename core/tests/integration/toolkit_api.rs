//! Every toolkit method: its success path and each of its rejections.

use crate::util::base;
use omnisim_core::engine::{Idle, Simulation};
use omnisim_core::events::{EventKind, EventLog, StatusChangeReason};
use omnisim_core::omni::*;
use omnisim_core::scenario::{ArrivalRate, Scenario};
use omnisim_core::time::SimDuration;
use omnisim_core::toolkit::{OmniToolkit, ToolkitError};
use std::future::Future;
use std::sync::Arc;

const AVAILABLE: &str = "0N5000000000000";
const BREAK: &str = "0N5000000000001";
const ONLINE_ONLY: &str = "0N5000000000002";

/// Two agents (capacity 2) who may decline with reasons, no arrivals; a
/// third status exists that the agents are not granted.
fn scenario() -> Scenario {
    let mut s = base(1);
    s.arrivals[0].rate = ArrivalRate::Constant(0.0);
    s.agents[0].count = 2;
    s.presence_configs[0].capacity = 2;
    s.presence_configs[0].allow_decline = true;
    s.presence_configs[0].decline_reasons = vec!["Busy".into(), "Wrong skill".into()];
    s.statuses.push(PresenceStatus {
        api_name: "Supervisor_Only".into(),
        label: "Supervisor only".into(),
        channels: vec![ChannelId(0)],
    });
    s.agents[0].allowed_statuses = vec![StatusId(0), StatusId(1)];
    s
}

fn with_sim<F, Fut>(s: Scenario, f: F)
where
    F: FnOnce(Simulation<Idle>) -> Fut,
    Fut: Future<Output = ()>,
{
    actix::System::new().block_on(async move {
        let sim = Simulation::new(Arc::new(s), 0, |_| Idle);
        f(sim).await
    });
}

/// Processes everything due at the current instant.
async fn settle(sim: &mut Simulation<Idle>, log: &mut EventLog) {
    let t = sim.now() + SimDuration(1);
    sim.run_until(t, &mut [log]).await;
}

/// Logs agent 0 in, pushes one item to it and returns the AgentWork id.
async fn pushed(sim: &mut Simulation<Idle>, log: &mut EventLog) -> String {
    let tk = sim.toolkit(AgentId(0));
    tk.login(AVAILABLE).await.unwrap();
    settle(sim, log).await;
    sim.inject_work(QueueId(0), SimDuration::from_secs(60), None);
    settle(sim, log).await;
    let works = tk.get_agent_works().await.unwrap();
    assert_eq!(works.len(), 1);
    works[0].work_id.clone()
}

fn kinds(log: &EventLog) -> Vec<&'static str> {
    log.events
        .iter()
        .map(|e| match e.kind {
            EventKind::WorkArrived { .. } => "arrived",
            EventKind::RoutingDecision { .. } => "decision",
            EventKind::WorkAssigned { .. } => "assigned",
            EventKind::WorkAccepted { .. } => "accepted",
            EventKind::WorkDeclined {
                on_push_timeout: false,
                ..
            } => "declined",
            EventKind::WorkDeclined {
                on_push_timeout: true,
                ..
            } => "push_timeout",
            EventKind::WorkClosed { .. } => "closed",
            EventKind::WorkTransferred { .. } => "transferred",
            EventKind::WorkTransferredIn { .. } => "transferred_in",
            EventKind::WorkUnavailable { .. } => "unavailable",
            EventKind::WorkCanceled { .. } => "canceled",
            EventKind::WorkAbandoned { .. } => "abandoned",
            EventKind::WorkRequeued { .. } => "requeued",
            EventKind::SkillsDropped { .. } => "skills_dropped",
            EventKind::WorkPaused { .. } => "paused",
            EventKind::WorkResumeWaiting { .. } => "resume_waiting",
            EventKind::WorkInterrupted { .. } => "interrupted",
            EventKind::WorkEndedNoAgent { .. } => "ended_no_agent",
            EventKind::WorkloadChanged { .. } => "workload",
            EventKind::StatusChanged { .. } => "status",
            EventKind::LoginSuccess { .. } => "login",
            EventKind::Logout { .. } => "logout",
            EventKind::AgentAbsent { .. } => "absent",
            EventKind::WorkFlagUpdated { .. } => "flag",
        })
        .collect()
}

async fn assert_needs_login(tk: &OmniToolkit) {
    assert_eq!(tk.get_agent_works().await, Err(ToolkitError::NotLoggedIn));
    assert_eq!(
        tk.get_agent_workload().await,
        Err(ToolkitError::NotLoggedIn)
    );
    assert_eq!(
        tk.get_service_presence_status_channels().await,
        Err(ToolkitError::NotLoggedIn)
    );
    assert_eq!(
        tk.get_service_presence_status_id().await,
        Err(ToolkitError::NotLoggedIn)
    );
    let w = "0Bz000000000001";
    assert_eq!(
        tk.accept_agent_work(w).await,
        Err(ToolkitError::NotLoggedIn)
    );
    assert_eq!(tk.close_agent_work(w).await, Err(ToolkitError::NotLoggedIn));
    assert_eq!(
        tk.decline_agent_work(w, None).await,
        Err(ToolkitError::NotLoggedIn)
    );
    assert_eq!(
        tk.raise_agent_work_flag(w, None).await,
        Err(ToolkitError::NotLoggedIn)
    );
    assert_eq!(
        tk.lower_agent_work_flag(w).await,
        Err(ToolkitError::NotLoggedIn)
    );
}

#[test]
fn every_session_method_is_refused_while_logged_out() {
    with_sim(scenario(), |sim| async move {
        assert_needs_login(&sim.toolkit(AgentId(0))).await;
    });
}

#[test]
fn login_succeeds_and_emits_login_then_status_changed() {
    with_sim(scenario(), |mut sim| async move {
        let mut log = EventLog::default();
        let tk = sim.toolkit(AgentId(0));
        assert_eq!(tk.login(AVAILABLE).await, Ok(true));
        settle(&mut sim, &mut log).await;
        assert_eq!(kinds(&log), ["login", "status"]);
        assert!(matches!(
            log.events[1].kind,
            EventKind::StatusChanged {
                reason: StatusChangeReason::OmniLoginStatusChange,
                online: true,
                ..
            }
        ));
        let id = tk.get_service_presence_status_id().await.unwrap();
        assert_eq!(
            (id.status_api_name.as_str(), id.status_id.as_str()),
            ("Available", AVAILABLE)
        );
    });
}

#[test]
fn login_rejections() {
    with_sim(scenario(), |_sim| async move {
        let tk = _sim.toolkit(AgentId(0));
        assert!(matches!(
            tk.login("").await,
            Err(ToolkitError::InvalidArgument {
                field: "statusId",
                ..
            })
        ));
        assert!(matches!(
            tk.login("Available").await,
            Err(ToolkitError::InvalidArgument { .. })
        ));
        assert!(matches!(
            tk.login("0N5000000000099").await,
            Err(ToolkitError::UnknownStatus { .. })
        ));
        assert!(matches!(
            tk.login(ONLINE_ONLY).await,
            Err(ToolkitError::StatusNotPermitted { .. })
        ));
        tk.login(AVAILABLE).await.unwrap();
        assert_eq!(tk.login(BREAK).await, Err(ToolkitError::AlreadyLoggedIn));
    });
}

#[test]
fn set_status_logs_in_changes_channels_and_ignores_a_repeat() {
    with_sim(scenario(), |mut sim| async move {
        let mut log = EventLog::default();
        let tk = sim.toolkit(AgentId(0));
        let r = tk.set_service_presence_status(AVAILABLE).await.unwrap();
        assert_eq!(r.status_api_name, "Available");
        assert_eq!(r.channels.len(), 1);
        assert_eq!(r.channels[0].developer_name, "chat");
        let r = tk.set_service_presence_status(BREAK).await.unwrap();
        assert!(r.channels.is_empty());
        tk.set_service_presence_status(BREAK).await.unwrap();
        settle(&mut sim, &mut log).await;
        assert_eq!(kinds(&log), ["login", "status", "status"]);
        assert!(tk
            .get_service_presence_status_channels()
            .await
            .unwrap()
            .is_empty());
    });
}

#[test]
fn set_status_rejections() {
    with_sim(scenario(), |sim| async move {
        let tk = sim.toolkit(AgentId(0));
        assert!(matches!(
            tk.set_service_presence_status("").await,
            Err(ToolkitError::InvalidArgument { .. })
        ));
        assert!(matches!(
            tk.set_service_presence_status("0N5000000000042").await,
            Err(ToolkitError::UnknownStatus { .. })
        ));
        assert!(matches!(
            tk.set_service_presence_status(ONLINE_ONLY).await,
            Err(ToolkitError::StatusNotPermitted { .. })
        ));
    });
}

#[test]
fn status_channels_and_id_while_logged_in() {
    with_sim(scenario(), |sim| async move {
        let tk = sim.toolkit(AgentId(0));
        tk.login(AVAILABLE).await.unwrap();
        let ch = tk.get_service_presence_status_channels().await.unwrap();
        assert_eq!(ch[0].channel_id, "0N9000000000000");
        assert_eq!(
            tk.get_service_presence_status_id()
                .await
                .unwrap()
                .status_name,
            "Available"
        );
    });
}

#[test]
fn works_and_workload_reflect_a_push_and_its_accept() {
    with_sim(scenario(), |mut sim| async move {
        let mut log = EventLog::default();
        let tk = sim.toolkit(AgentId(0));
        let other = sim.toolkit(AgentId(1));
        other.login(BREAK).await.unwrap();
        assert!(other.get_agent_works().await.unwrap().is_empty());
        let id = pushed(&mut sim, &mut log).await;
        let w = &tk.get_agent_works().await.unwrap()[0];
        assert!(!w.is_engaged);
        assert_eq!(w.status, WorkStatus::Assigned);
        let load = tk.get_agent_workload().await.unwrap();
        assert_eq!(
            (load.configured_capacity, load.current_workload),
            (2.0, 1.0)
        );
        assert_eq!(load.configured_interruptible_capacity, 1.0);
        assert_eq!(tk.accept_agent_work(&id).await, Ok(true));
        assert!(tk.get_agent_works().await.unwrap()[0].is_engaged);
        assert_eq!(tk.get_agent_workload().await.unwrap().current_workload, 1.0);
    });
}

#[test]
fn accept_rejections() {
    with_sim(scenario(), |mut sim| async move {
        let mut log = EventLog::default();
        let id = pushed(&mut sim, &mut log).await;
        let tk = sim.toolkit(AgentId(0));
        let other = sim.toolkit(AgentId(1));
        other.login(AVAILABLE).await.unwrap();
        assert!(matches!(
            tk.accept_agent_work("").await,
            Err(ToolkitError::InvalidArgument {
                field: "workId",
                ..
            })
        ));
        assert!(matches!(
            tk.accept_agent_work("work-1").await,
            Err(ToolkitError::InvalidArgument { .. })
        ));
        assert!(matches!(
            tk.accept_agent_work("0Bz000000000777").await,
            Err(ToolkitError::UnknownWork { .. })
        ));
        assert!(matches!(
            other.accept_agent_work(&id).await,
            Err(ToolkitError::WorkNotAssignedToAgent { .. })
        ));
        assert_eq!(tk.accept_agent_work(&id).await, Ok(true));
        assert!(matches!(
            tk.accept_agent_work(&id).await,
            Err(ToolkitError::InvalidWorkState {
                status: WorkStatus::Opened,
                ..
            })
        ));
    });
}

#[test]
fn an_accept_at_the_push_timeout_instant_loses_to_the_timer() {
    let mut s = scenario();
    s.queues[0].routing.push_timeout = Some(SimDuration::from_secs(30));
    with_sim(s, |mut sim| async move {
        let mut log = EventLog::default();
        let id = pushed(&mut sim, &mut log).await;
        let pushed_at = sim.now();
        // Run to exactly the timeout instant (the timer fires there).
        let due = pushed_at + SimDuration::from_secs(30);
        sim.run_until(due, &mut [&mut log]).await;
        settle(&mut sim, &mut log).await;
        let tk = sim.toolkit(AgentId(0));
        assert!(matches!(
            tk.accept_agent_work(&id).await,
            Err(ToolkitError::InvalidWorkState {
                status: WorkStatus::DeclinedOnPushTimeout,
                ..
            })
        ));
        assert!(kinds(&log).contains(&"push_timeout"));
    });
}

#[test]
fn decline_releases_capacity_requeues_and_excludes_the_decliner() {
    let mut s = scenario();
    s.presence_configs[0].status_on_decline = Some(StatusId(1));
    with_sim(s, |mut sim| async move {
        let mut log = EventLog::default();
        let id = pushed(&mut sim, &mut log).await;
        let tk = sim.toolkit(AgentId(0));
        log.events.clear();
        assert_eq!(tk.decline_agent_work(&id, Some("Busy")).await, Ok(true));
        settle(&mut sim, &mut log).await;
        assert_eq!(kinds(&log), ["declined", "workload", "status", "requeued"]);
        assert!(matches!(
            log.events[2].kind,
            EventKind::StatusChanged {
                reason: StatusChangeReason::OmniDeclineWork,
                online: false,
                ..
            }
        ));
        assert!(tk.get_agent_works().await.unwrap().is_empty());
        // Back online: the exclusion is cleared by the status change and
        // the item comes back to this agent.
        log.events.clear();
        tk.set_service_presence_status(AVAILABLE).await.unwrap();
        settle(&mut sim, &mut log).await;
        assert_eq!(tk.get_agent_works().await.unwrap().len(), 1);
    });
}

#[test]
fn a_declined_item_goes_to_another_agent_not_back() {
    with_sim(scenario(), |mut sim| async move {
        let mut log = EventLog::default();
        let other = sim.toolkit(AgentId(1));
        let id = pushed(&mut sim, &mut log).await;
        let tk = sim.toolkit(AgentId(0));
        tk.decline_agent_work(&id, None).await.unwrap();
        settle(&mut sim, &mut log).await;
        // Agent 0 is still available but excluded: nobody gets it.
        assert!(tk.get_agent_works().await.unwrap().is_empty());
        other.login(AVAILABLE).await.unwrap();
        settle(&mut sim, &mut log).await;
        assert_eq!(other.get_agent_works().await.unwrap().len(), 1);
    });
}

#[test]
fn decline_rejections() {
    with_sim(scenario(), |mut sim| async move {
        let mut log = EventLog::default();
        let id = pushed(&mut sim, &mut log).await;
        let tk = sim.toolkit(AgentId(0));
        assert!(matches!(
            tk.decline_agent_work(&id, Some("Lunch")).await,
            Err(ToolkitError::InvalidDeclineReason { .. })
        ));
        assert!(matches!(
            tk.decline_agent_work("0Bz000000000555", None).await,
            Err(ToolkitError::UnknownWork { .. })
        ));
        tk.accept_agent_work(&id).await.unwrap();
        assert!(matches!(
            tk.decline_agent_work(&id, None).await,
            Err(ToolkitError::InvalidWorkState {
                status: WorkStatus::Opened,
                ..
            })
        ));
    });
    let mut s = scenario();
    s.presence_configs[0].allow_decline = false;
    with_sim(s, |mut sim| async move {
        let mut log = EventLog::default();
        let id = pushed(&mut sim, &mut log).await;
        let tk = sim.toolkit(AgentId(0));
        assert_eq!(
            tk.decline_agent_work(&id, None).await,
            Err(ToolkitError::DeclineNotAllowed)
        );
    });
}

#[test]
fn close_releases_capacity_and_rejects_wrong_states() {
    with_sim(scenario(), |mut sim| async move {
        let mut log = EventLog::default();
        let id = pushed(&mut sim, &mut log).await;
        let tk = sim.toolkit(AgentId(0));
        assert!(matches!(
            tk.close_agent_work(&id).await,
            Err(ToolkitError::InvalidWorkState {
                status: WorkStatus::Assigned,
                ..
            })
        ));
        tk.accept_agent_work(&id).await.unwrap();
        assert_eq!(tk.close_agent_work(&id).await, Ok(true));
        assert_eq!(tk.get_agent_workload().await.unwrap().current_workload, 0.0);
        assert!(matches!(
            tk.close_agent_work(&id).await,
            Err(ToolkitError::InvalidWorkState {
                status: WorkStatus::Closed,
                ..
            })
        ));
        assert!(matches!(
            tk.close_agent_work("0Bz000000000999").await,
            Err(ToolkitError::UnknownWork { .. })
        ));
    });
}

#[test]
fn flags_raise_and_lower_with_one_event_each() {
    with_sim(scenario(), |mut sim| async move {
        let mut log = EventLog::default();
        let id = pushed(&mut sim, &mut log).await;
        let tk = sim.toolkit(AgentId(0));
        log.events.clear();
        assert_eq!(
            tk.raise_agent_work_flag(&id, Some("need help")).await,
            Ok(true)
        );
        assert_eq!(tk.raise_agent_work_flag(&id, Some("again")).await, Ok(true));
        assert!(tk.get_agent_works().await.unwrap()[0].flagged);
        assert_eq!(tk.lower_agent_work_flag(&id).await, Ok(true));
        settle(&mut sim, &mut log).await;
        assert_eq!(kinds(&log), ["flag", "flag"]);
    });
}

#[test]
fn flag_rejections() {
    with_sim(scenario(), |mut sim| async move {
        let mut log = EventLog::default();
        let id = pushed(&mut sim, &mut log).await;
        let tk = sim.toolkit(AgentId(0));
        let other = sim.toolkit(AgentId(1));
        other.login(AVAILABLE).await.unwrap();
        assert!(matches!(
            other.raise_agent_work_flag(&id, None).await,
            Err(ToolkitError::WorkNotAssignedToAgent { .. })
        ));
        assert!(matches!(
            tk.lower_agent_work_flag("bogus").await,
            Err(ToolkitError::InvalidArgument { .. })
        ));
        tk.accept_agent_work(&id).await.unwrap();
        tk.close_agent_work(&id).await.unwrap();
        assert!(matches!(
            tk.raise_agent_work_flag(&id, None).await,
            Err(ToolkitError::InvalidWorkState {
                status: WorkStatus::Closed,
                ..
            })
        ));
        assert!(matches!(
            tk.lower_agent_work_flag(&id).await,
            Err(ToolkitError::InvalidWorkState {
                status: WorkStatus::Closed,
                ..
            })
        ));
    });
}

#[test]
fn logout_is_idempotent_reroutes_assigned_and_closes_opened_work() {
    with_sim(scenario(), |mut sim| async move {
        let mut log = EventLog::default();
        let tk = sim.toolkit(AgentId(0));
        assert_eq!(tk.logout().await, Ok(true));
        let first = pushed(&mut sim, &mut log).await;
        tk.accept_agent_work(&first).await.unwrap();
        sim.inject_work(QueueId(0), SimDuration::from_secs(60), None);
        settle(&mut sim, &mut log).await;
        assert_eq!(tk.get_agent_works().await.unwrap().len(), 2);
        let other = sim.toolkit(AgentId(1));
        other.login(AVAILABLE).await.unwrap();
        settle(&mut sim, &mut log).await;
        log.events.clear();
        assert_eq!(tk.logout().await, Ok(true));
        settle(&mut sim, &mut log).await;
        let k = kinds(&log);
        assert_eq!(&k[..4], ["closed", "unavailable", "workload", "logout"]);
        // The unaccepted item went to the other agent.
        assert_eq!(other.get_agent_works().await.unwrap().len(), 1);
        assert_needs_login(&tk).await;
        assert_eq!(tk.logout().await, Ok(true));
    });
}

/// Coming back from a busy status is not a login: the agent keeps its last
/// push time for the tie-break (omni-reference §6.5), so it does not jump
/// ahead of an agent whose last push is older.
#[test]
fn a_return_from_break_keeps_the_last_push_for_the_tie_break() {
    let mut s = scenario();
    s.presence_configs[0].capacity = 1;
    with_sim(s, |mut sim| async move {
        let mut log = EventLog::default();
        let (a0, a1) = (sim.toolkit(AgentId(0)), sim.toolkit(AgentId(1)));
        a0.login(AVAILABLE).await.unwrap();
        a1.login(AVAILABLE).await.unwrap();
        settle(&mut sim, &mut log).await;
        for tk in [&a0, &a1] {
            // Item 1 goes to agent 0 (never pushed, lower number), item 2
            // to agent 1; each is answered and closed at once.
            sim.inject_work(QueueId(0), SimDuration::from_secs(60), None);
            settle(&mut sim, &mut log).await;
            let id = tk.get_agent_works().await.unwrap()[0].work_id.clone();
            tk.accept_agent_work(&id).await.unwrap();
            tk.close_agent_work(&id).await.unwrap();
            let later = sim.now() + SimDuration::from_secs(1);
            sim.run_until(later, &mut [&mut log]).await;
        }
        // Agent 1 (the more recent push) takes a break and comes back.
        a1.set_service_presence_status(BREAK).await.unwrap();
        a1.set_service_presence_status(AVAILABLE).await.unwrap();
        settle(&mut sim, &mut log).await;
        sim.inject_work(QueueId(0), SimDuration::from_secs(60), None);
        settle(&mut sim, &mut log).await;
        assert_eq!(
            a0.get_agent_works().await.unwrap().len(),
            1,
            "oldest last push wins"
        );
        assert!(a1.get_agent_works().await.unwrap().is_empty());
    });
}

/// A push the agent could not receive (it went on a break at the instant
/// the router chose it) is not a decline (omni-reference §5.3): the item
/// keeps its exclusion (none here) and the agent its place in the
/// tie-break, so it is still "not pushed since login" for the next item.
#[test]
fn a_push_refused_at_delivery_leaves_exclusion_and_tie_break_as_they_were() {
    with_sim(scenario(), |mut sim| async move {
        let mut log = EventLog::default();
        let (a0, a1) = (sim.toolkit(AgentId(0)), sim.toolkit(AgentId(1)));
        // Agent 1 logs in first, so it is first in the tie-break.
        a1.login(AVAILABLE).await.unwrap();
        settle(&mut sim, &mut log).await;
        let later = sim.now() + SimDuration::from_secs(5);
        sim.run_until(later, &mut [&mut log]).await;
        a0.login(AVAILABLE).await.unwrap();
        settle(&mut sim, &mut log).await;
        // The router picks agent 1 for this item, but agent 1 takes a break
        // before the push reaches it: refused, then pushed to agent 0.
        sim.inject_work(QueueId(0), SimDuration::from_secs(600), None);
        a1.set_service_presence_status(BREAK).await.unwrap();
        settle(&mut sim, &mut log).await;
        let requeued: Vec<_> = log
            .events
            .iter()
            .filter_map(|e| match &e.kind {
                EventKind::WorkRequeued { excluded_agent, .. } => Some(*excluded_agent),
                _ => None,
            })
            .collect();
        assert_eq!(requeued, vec![None], "refused, not excluded");
        let works = a0.get_agent_works().await.unwrap();
        assert_eq!(works.len(), 1);
        // Agent 0 finishes it, so both hold nothing. Back from the break,
        // agent 1 has still never received a push since login and comes
        // before agent 0, who has (had agent 1's tie-break moved with the
        // refused push, the tie would go to agent 0, the lower number).
        a0.accept_agent_work(&works[0].work_id).await.unwrap();
        a0.close_agent_work(&works[0].work_id).await.unwrap();
        a1.set_service_presence_status(AVAILABLE).await.unwrap();
        settle(&mut sim, &mut log).await;
        sim.inject_work(QueueId(0), SimDuration::from_secs(600), None);
        settle(&mut sim, &mut log).await;
        assert_eq!(a1.get_agent_works().await.unwrap().len(), 1);
        assert!(a0.get_agent_works().await.unwrap().is_empty());
    });
}

/// `getAgentWorkload` reports the interruptible pool for real: an item of
/// an interruptible channel loads it and leaves the primary pool alone.
#[test]
fn workload_reports_the_interruptible_pool() {
    let mut s = scenario();
    s.channels[0].interruptible = true;
    s.queues[0].routing.pool = CapacityPool::Interruptible;
    s.presence_configs[0].interruptible_capacity = 5;
    with_sim(s, |mut sim| async move {
        let mut log = EventLog::default();
        pushed(&mut sim, &mut log).await;
        let w = sim.toolkit(AgentId(0)).get_agent_workload().await.unwrap();
        assert_eq!(w.configured_capacity, 2.0);
        assert_eq!(w.current_workload, 0.0);
        assert_eq!(w.configured_interruptible_capacity, 5.0);
        assert_eq!(w.current_interruptible_workload, 1.0);
    });
}

/// Status-based capacity (omni-reference §12.5): an agent who logs out for
/// lunch keeps the email it opened, still counted against its capacity,
/// and closes it after lunch; on a tab-based channel the same logout
/// closes it.
#[test]
fn status_based_work_survives_a_logout_and_tab_based_work_does_not() {
    for status_based in [true, false] {
        let mut s = scenario();
        if status_based {
            s.channels[0].capacity_model = CapacityModel::Status;
        }
        with_sim(s, |mut sim| async move {
            let mut log = EventLog::default();
            let id = pushed(&mut sim, &mut log).await;
            let tk = sim.toolkit(AgentId(0));
            tk.accept_agent_work(&id).await.unwrap();
            tk.logout().await.unwrap();
            settle(&mut sim, &mut log).await;
            // Lunch: an hour later the agent is back.
            let back = sim.now() + SimDuration::from_secs(3600);
            sim.run_until(back, &mut [&mut log]).await;
            tk.login(AVAILABLE).await.unwrap();
            let works = tk.get_agent_works().await.unwrap();
            let load = tk.get_agent_workload().await.unwrap().current_workload;
            if status_based {
                assert_eq!(works.len(), 1, "the email is still the agent's");
                assert_eq!(works[0].status, WorkStatus::Opened);
                assert_eq!(load, 1.0, "and still holds capacity");
                tk.close_agent_work(&id).await.unwrap();
                assert!(tk.get_agent_works().await.unwrap().is_empty());
            } else {
                assert!(works.is_empty(), "the logout closed it");
                assert_eq!(load, 0.0);
                assert!(matches!(
                    tk.close_agent_work(&id).await,
                    Err(ToolkitError::InvalidWorkState { .. })
                ));
            }
        });
    }
}

/// Status-based work whose agent does not come back within
/// `reassign_after` goes back to the queue, keeping its age, and reaches
/// another agent.
#[test]
fn status_based_work_is_reassigned_when_the_agent_stays_away() {
    let mut s = scenario();
    s.channels[0].capacity_model = CapacityModel::Status;
    s.channels[0].reassign_after = Some(SimDuration::from_secs(600));
    with_sim(s, |mut sim| async move {
        let mut log = EventLog::default();
        let id = pushed(&mut sim, &mut log).await;
        let (a0, a1) = (sim.toolkit(AgentId(0)), sim.toolkit(AgentId(1)));
        a0.accept_agent_work(&id).await.unwrap();
        a1.login(AVAILABLE).await.unwrap();
        a0.logout().await.unwrap();
        settle(&mut sim, &mut log).await;
        assert!(a1.get_agent_works().await.unwrap().is_empty());
        let later = sim.now() + SimDuration::from_secs(601);
        sim.run_until(later, &mut [&mut log]).await;
        let works = a1.get_agent_works().await.unwrap();
        assert_eq!(works.len(), 1, "reassigned to the agent still online");
        let requeued = log.events.iter().any(|e| {
            matches!(
                e.kind,
                EventKind::WorkRequeued {
                    excluded_agent: None,
                    ..
                }
            )
        });
        assert!(requeued);
    });
}

/// Pausing moves an opened item of a status-based channel to its paused
/// cost and resuming moves it back; the router sees the freed capacity.
#[test]
fn pausing_frees_capacity_and_resuming_takes_it_back() {
    let mut s = scenario();
    s.channels[0].capacity_model = CapacityModel::Status;
    s.queues[0].routing.paused_cost = Some(CapacityCost::Weight(0));
    s.presence_configs[0].capacity = 1;
    with_sim(s, |mut sim| async move {
        let mut log = EventLog::default();
        let id = pushed(&mut sim, &mut log).await;
        let tk = sim.toolkit(AgentId(0));
        tk.accept_agent_work(&id).await.unwrap();
        let work = AgentWorkId::parse(&id).unwrap();
        sim.pause(AgentId(0), work, true);
        settle(&mut sim, &mut log).await;
        assert_eq!(tk.get_agent_workload().await.unwrap().current_workload, 0.0);
        // The freed capacity takes a new item at once.
        sim.inject_work(QueueId(0), SimDuration::from_secs(60), None);
        settle(&mut sim, &mut log).await;
        assert_eq!(tk.get_agent_works().await.unwrap().len(), 2);
        // Resuming would exceed capacity 1 now: the item stays paused.
        sim.pause(AgentId(0), work, false);
        settle(&mut sim, &mut log).await;
        assert_eq!(tk.get_agent_workload().await.unwrap().current_workload, 1.0);
        let pauses = log
            .events
            .iter()
            .filter(|e| matches!(e.kind, EventKind::WorkPaused { .. }))
            .count();
        assert_eq!(pauses, 1);
    });
}
