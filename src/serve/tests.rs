//! The protocol against a real centre, without sockets: commands in,
//! frames out, as a session actor would pass them.

use super::centre::{run_centre, CentreOutcome, CentreSpec, Command, Outbox, Outgoing, SessionId};
use super::protocol::parse;
use super::ServeClock;
use crate::scenario::Scenario;
use serde_json::{json, Value};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

const DESK: &str = "tests/fixtures/serve_desk.toml";
const AVAILABLE: &str = "0N5000000000000";
const BREAK: &str = "0N5000000000001";
const SUPERVISOR_ONLY: &str = "0N5000000000002";

/// A centre on its own thread and clients speaking to it.
struct Centre {
    tx: Sender<Command>,
    stop: Arc<AtomicBool>,
    thread: JoinHandle<Result<CentreOutcome, String>>,
    _dir: tempfile::TempDir,
}

/// One client's view: its session and what it received.
struct Client {
    session: SessionId,
    tx: Sender<Command>,
    rx: tokio::sync::mpsc::Receiver<Outgoing>,
    next_id: u64,
    /// Events received, in order, as `(name, time, params)`.
    events: Vec<(String, String, Value)>,
}

impl Centre {
    fn start(clock: ServeClock) -> Centre {
        let dir = tempfile::tempdir().unwrap();
        let scenario = Arc::new(Scenario::from_path(DESK.as_ref()).unwrap());
        let (tx, rx) = std::sync::mpsc::channel();
        let stop = Arc::new(AtomicBool::new(false));
        let spec = CentreSpec {
            scenario,
            clock,
            part: dir.path().join("work.part"),
            stop: stop.clone(),
        };
        let thread = std::thread::spawn(move || run_centre(spec, rx));
        Centre {
            tx,
            stop,
            thread,
            _dir: dir,
        }
    }

    fn client(&self, session: SessionId) -> Client {
        let (out, rx) = tokio::sync::mpsc::channel(100_000);
        let outbox = Outbox {
            tx: out,
            dropped: Arc::new(AtomicBool::new(false)),
        };
        self.tx.send(Command::Open { session, outbox }).unwrap();
        Client {
            session,
            tx: self.tx.clone(),
            rx,
            next_id: 1,
            events: Vec::new(),
        }
    }

    /// Stops the centre and returns what the run leaves, with work.csv's
    /// rows.
    fn finish(self) -> (CentreOutcome, String) {
        self.stop.store(true, Ordering::SeqCst);
        let outcome = self.thread.join().unwrap().unwrap();
        let rows = std::fs::read_to_string(&outcome.part).unwrap();
        (outcome, rows)
    }
}

impl Client {
    /// Sends `request` (an object without `id`) and waits for its reply;
    /// events that come first are kept.
    fn ask(&mut self, request: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        let mut request = request;
        request["id"] = json!(id);
        let (rid, parsed) = parse(&request.to_string());
        let request = parsed.expect("a well-formed request");
        self.tx
            .send(Command::Request {
                session: self.session,
                id: rid,
                request,
            })
            .unwrap();
        loop {
            let frame = self.frame();
            if frame.get("id") == Some(&json!(id)) {
                return frame;
            }
            self.keep(frame);
        }
    }

    fn frame(&mut self) -> Value {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            match self.rx.try_recv() {
                Ok(Outgoing::Text(t)) => return serde_json::from_str(&t).unwrap(),
                Ok(Outgoing::Close(r)) => panic!("closed: {r:?}"),
                Err(_) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(1)),
                Err(e) => panic!("no frame: {e}"),
            }
        }
    }

    fn keep(&mut self, frame: Value) {
        let name = frame["event"].as_str().expect("an event").to_string();
        let time = frame["time"].as_str().unwrap().to_string();
        self.events.push((name, time, frame["params"].clone()));
    }

    /// The value of a call that must succeed.
    fn ok(&mut self, request: Value) -> Value {
        let reply = self.ask(request.clone());
        match reply.get("ok") {
            Some(v) => v.clone(),
            None => panic!("{request} was refused: {reply}"),
        }
    }

    /// The error code of a call that must fail.
    fn refused(&mut self, request: Value) -> String {
        let reply = self.ask(request.clone());
        match reply.get("error") {
            Some(e) => e["code"].as_str().unwrap().to_string(),
            None => panic!("{request} succeeded: {reply}"),
        }
    }

    fn call(&mut self, agent: &str, method: &str, args: Value) -> Value {
        json!({"agent": agent, "method": method, "args": args})
    }

    /// Short names of the events received since the last call, in order.
    fn take_events(&mut self) -> Vec<String> {
        self.events
            .drain(..)
            .map(|(n, _, _)| n.trim_start_matches("lightning:omniChannel").to_string())
            .collect()
    }

    /// The work ids pushed so far, with the time of each push.
    fn pushes(&self) -> Vec<(String, String)> {
        self.events
            .iter()
            .filter(|(n, ..)| n.ends_with("WorkAssigned"))
            .map(|(_, t, p)| (p["workId"].as_str().unwrap().to_string(), t.clone()))
            .collect()
    }
}

/// Desk:0 and Desk:1 attached and on a break while chats queue up for two
/// minutes: the next status change pushes at a known instant.
fn desk_on_break(centre: &Centre) -> Client {
    let mut c = centre.client(1);
    c.ok(json!({"attach": ["Desk:0", "Desk:1"]}));
    for a in ["Desk:0", "Desk:1"] {
        let r = c.call(a, "setServicePresenceStatus", json!({"statusId": BREAK}));
        c.ok(r);
    }
    c.ok(json!({"advance": "2m"}));
    c.events.clear();
    c
}

/// Sets `agent` available and returns the first work pushed to it then.
fn available(c: &mut Client, agent: &str) -> String {
    c.events.clear();
    let r = c.call(
        agent,
        "setServicePresenceStatus",
        json!({"statusId": AVAILABLE}),
    );
    c.ok(r);
    c.pushes()[0].0.clone()
}

#[test]
fn an_accept_at_the_push_timeout_instant_loses_to_the_timer() {
    let centre = Centre::start(ServeClock::Stepped);
    let mut c = desk_on_break(&centre);
    let work = available(&mut c, "Desk:0");
    assert_eq!(
        c.pushes()[0].1,
        "08:02:00.000",
        "pushed as the status changed"
    );
    // Exactly the timeout instant: the timer was scheduled first and wins.
    c.ok(json!({"advance": "30s"}));
    let timed_out = c.events.iter().any(|(n, t, p)| {
        n.ends_with("WorkDeclined") && t == "08:02:30.000" && p["onPushTimeout"] == true
    });
    assert!(timed_out, "{:?}", c.events);
    let r = c.call("Desk:0", "acceptAgentWork", json!({"workId": work}));
    let reply = c.ask(r);
    assert_eq!(reply["error"]["code"], "InvalidWorkState");
    let message = reply["error"]["message"].as_str().unwrap();
    assert!(message.contains("DeclinedOnPushTimeout"), "{message}");
    // A millisecond earlier the accept wins.
    let work = available(&mut c, "Desk:1");
    c.ok(json!({"advance": "29.999s"}));
    let r = c.call("Desk:1", "acceptAgentWork", json!({"workId": work}));
    assert_eq!(c.ok(r), json!(true));
    centre.finish();
}

#[test]
fn every_method_and_every_rejection_through_the_centre() {
    let centre = Centre::start(ServeClock::Stepped);
    let mut c = desk_on_break(&centre);
    let call = |c: &mut Client, a: &str, m: &str, args: Value| c.call(a, m, args);
    // Presence.
    let r = call(&mut c, "Desk:0", "logout", json!({}));
    assert_eq!(c.ok(r), json!(true));
    for m in [
        "getAgentWorks",
        "getAgentWorkload",
        "getServicePresenceStatusId",
    ] {
        let r = call(&mut c, "Desk:0", m, json!({}));
        assert_eq!(c.refused(r), "NotLoggedIn", "{m}");
    }
    let r = call(
        &mut c,
        "Desk:0",
        "login",
        json!({"statusId": "0N5000000000099"}),
    );
    assert_eq!(c.refused(r), "UnknownStatus");
    let r = call(
        &mut c,
        "Desk:0",
        "login",
        json!({"statusId": SUPERVISOR_ONLY}),
    );
    assert_eq!(c.refused(r), "StatusNotPermitted");
    let r = call(&mut c, "Desk:0", "login", json!({}));
    assert_eq!(c.refused(r), "InvalidArgument");
    c.events.clear();
    let r = call(&mut c, "Desk:0", "login", json!({"statusId": AVAILABLE}));
    assert_eq!(c.ok(r), json!(true));
    let r = call(&mut c, "Desk:0", "login", json!({"statusId": AVAILABLE}));
    assert_eq!(c.refused(r), "AlreadyLoggedIn");
    // Login, then status, then the push the login allowed (§3 order).
    let order = c.take_events();
    assert_eq!(
        order[..4],
        [
            "LoginSuccess",
            "StatusChanged",
            "WorkAssigned",
            "WorkloadChanged"
        ]
    );
    let r = call(&mut c, "Desk:0", "getServicePresenceStatusId", json!({}));
    let status = c.ok(r);
    assert_eq!(status["statusApiName"], "Available");
    let r = call(
        &mut c,
        "Desk:0",
        "getServicePresenceStatusChannels",
        json!({}),
    );
    let channels = c.ok(r);
    let channels: Value = serde_json::from_str(channels["channels"].as_str().unwrap()).unwrap();
    assert_eq!(channels[0]["developerName"], "chat");
    // Work.
    let r = call(&mut c, "Desk:0", "getAgentWorks", json!({}));
    let works = c.ok(r);
    let works: Value = serde_json::from_str(works["works"].as_str().unwrap()).unwrap();
    assert_eq!(
        works.as_array().unwrap().len(),
        2,
        "capacity 2, chats waiting"
    );
    assert_eq!(works[0]["isEngaged"], false);
    let (w0, w1) = (
        works[0]["workId"].as_str().unwrap().to_string(),
        works[1]["workId"].as_str().unwrap().to_string(),
    );
    let r = call(&mut c, "Desk:0", "getAgentWorkload", json!({}));
    assert_eq!(c.ok(r)["currentWorkload"], 2.0);
    let r = call(&mut c, "Desk:0", "acceptAgentWork", json!({}));
    assert_eq!(c.refused(r), "InvalidArgument");
    let r = call(
        &mut c,
        "Desk:0",
        "acceptAgentWork",
        json!({"workId": "0Bz000000009999"}),
    );
    assert_eq!(c.refused(r), "UnknownWork");
    let r = call(&mut c, "Desk:1", "acceptAgentWork", json!({"workId": w0}));
    assert_eq!(c.refused(r), "WorkNotAssignedToAgent");
    let r = call(
        &mut c,
        "Desk:0",
        "declineAgentWork",
        json!({"workId": w1, "declineReason": "Lunch"}),
    );
    assert_eq!(c.refused(r), "InvalidDeclineReason");
    c.events.clear();
    let r = call(&mut c, "Desk:0", "acceptAgentWork", json!({"workId": w0}));
    assert_eq!(c.ok(r), json!(true));
    assert_eq!(c.take_events(), ["WorkAccepted"]);
    let r = call(&mut c, "Desk:0", "acceptAgentWork", json!({"workId": w0}));
    assert_eq!(c.refused(r), "InvalidWorkState");
    let r = call(
        &mut c,
        "Desk:0",
        "raiseAgentWorkFlag",
        json!({"workId": w0, "message": "help"}),
    );
    assert_eq!(c.ok(r), json!(true));
    let r = call(
        &mut c,
        "Desk:0",
        "lowerAgentWorkFlag",
        json!({"workId": w0}),
    );
    assert_eq!(c.ok(r), json!(true));
    let flags: Vec<Value> = c.events.iter().map(|(_, _, p)| p.clone()).collect();
    assert_eq!(flags[0]["isFlagged"], true);
    assert_eq!(flags[0]["message"], "help");
    assert_eq!(flags[1]["isFlagged"], false);
    c.events.clear();
    let r = call(
        &mut c,
        "Desk:0",
        "declineAgentWork",
        json!({"workId": w1, "declineReason": "Busy"}),
    );
    assert_eq!(c.ok(r), json!(true));
    assert_eq!(c.take_events()[..2], ["WorkDeclined", "WorkloadChanged"]);
    let r = call(&mut c, "Desk:0", "closeAgentWork", json!({"workId": w0}));
    assert_eq!(c.ok(r), json!(true));
    assert_eq!(c.take_events()[..2], ["WorkClosed", "WorkloadChanged"]);
    let r = call(
        &mut c,
        "Desk:0",
        "setServicePresenceStatus",
        json!({"statusId": BREAK}),
    );
    let set = c.ok(r);
    assert_eq!(
        (set["statusApiName"].clone(), set["channels"].clone()),
        (json!("Break"), json!("[]"))
    );
    // The auto-accepting agent may not decline.
    let mut auto = centre.client(2);
    auto.ok(json!({"attach": "Auto:0"}));
    let r = call(&mut auto, "Auto:0", "getAgentWorks", json!({}));
    let works = auto.ok(r);
    let works: Value = serde_json::from_str(works["works"].as_str().unwrap()).unwrap();
    let w = works[0]["workId"].as_str().unwrap().to_string();
    let r = call(
        &mut auto,
        "Auto:0",
        "declineAgentWork",
        json!({"workId": w}),
    );
    assert_eq!(auto.refused(r), "DeclineNotAllowed");
    centre.finish();
}

#[test]
fn consoles_are_exclusive_and_agents_named_right() {
    let centre = Centre::start(ServeClock::Stepped);
    let mut a = centre.client(1);
    let mut b = centre.client(2);
    let attached = a.ok(json!({"attach": 1}));
    assert_eq!(attached["agents"][0]["group"], "Desk");
    assert_eq!(attached["agents"][0]["index"], 1);
    assert_eq!(attached["agents"][0]["userId"], "005000000000001");
    assert_eq!(attached["time"], "08:00:00.000");
    assert_eq!(b.refused(json!({"attach": "Desk:1"})), "AgentTaken");
    assert_eq!(b.refused(json!({"attach": "Desk:2"})), "UnknownAgent");
    assert_eq!(b.refused(json!({"attach": "Nobody:0"})), "UnknownAgent");
    assert_eq!(b.refused(json!({"attach": 3})), "UnknownAgent");
    assert_eq!(b.refused(json!({"method": "logout"})), "NotAttached");
    let r = b.call("Desk:1", "logout", json!({}));
    assert_eq!(b.refused(r), "NotAttached");
    b.ok(json!({"attach": [0, 2]}));
    assert_eq!(b.refused(json!({"method": "logout"})), "AgentRequired");
    assert_eq!(a.ok(json!({"method": "logout"})), json!(true));
    assert_eq!(b.refused(json!({"advance_to": "soon"})), "InvalidArgument");
    assert_eq!(b.ok(json!({"advance_to": "08:10"}))["time"], "08:10:00.000");
    assert_eq!(b.refused(json!({"advance_to": "08:05"})), "InvalidArgument");
    assert_eq!(b.ok(json!({"detach": null}))["agents"], json!([0, 2]));
    assert_eq!(a.refused(json!({"detach": 0})), "NotAttached");
    centre.finish();
}

#[test]
fn a_console_that_leaves_hands_its_agent_back() {
    let centre = Centre::start(ServeClock::Stepped);
    let mut c = desk_on_break(&centre);
    let work = available(&mut c, "Desk:0");
    let r = c.call("Desk:0", "acceptAgentWork", json!({"workId": work}));
    c.ok(r);
    // Desk:1 is left on its break; the client goes away.
    centre.tx.send(Command::Close { session: 1 }).unwrap();
    let mut watcher = centre.client(2);
    watcher.ok(json!({"advance": "1s"}));
    watcher.ok(json!({"attach": "Desk:1"}));
    // Back in its login status, as its roster says during the shift.
    let r = watcher.call("Desk:1", "getServicePresenceStatusId", json!({}));
    assert_eq!(watcher.ok(r)["statusApiName"], "Available");
    watcher.ok(json!({"detach": null}));
    // Desk:0's opened chat is closed by its synthetic behaviour once its
    // handle time has run (exponential, mean 5 minutes).
    watcher.ok(json!({"advance": "1h"}));
    watcher.ok(json!({"attach": "Desk:0"}));
    let r = watcher.call("Desk:0", "getAgentWorks", json!({}));
    let works = watcher.ok(r);
    assert!(!works["works"].as_str().unwrap().contains(&work), "{works}");
    centre.finish();
}

#[test]
fn a_scripted_client_gives_the_same_run_twice() {
    let script = || {
        let centre = Centre::start(ServeClock::Stepped);
        let mut c = desk_on_break(&centre);
        for minute in 0..6 {
            let r = c.call(
                "Desk:0",
                "setServicePresenceStatus",
                json!({"statusId": AVAILABLE}),
            );
            c.ok(r);
            for (work, _) in c.pushes() {
                let r = c.call("Desk:0", "acceptAgentWork", json!({"workId": work}));
                c.ask(r);
            }
            c.events.clear();
            c.ok(json!({"advance": format!("{}s", 50 + minute)}));
        }
        let (outcome, rows) = centre.finish();
        (format!("{:?}", outcome.result), rows, outcome.reached)
    };
    let (first, second) = (script(), script());
    assert_eq!(first.2, "08:07:15.000");
    assert_eq!(first, second);
}

#[test]
fn the_wall_clock_refuses_to_be_advanced_and_moves_by_itself() {
    let centre = Centre::start(ServeClock::Wall { speed: 600.0 });
    let mut c = centre.client(1);
    let t0 = c.ok(json!({"attach": 0}))["time"].clone();
    assert_eq!(c.refused(json!({"advance": "1m"})), "WrongClock");
    std::thread::sleep(Duration::from_millis(200));
    let t1 = c.ok(json!({"attach": 0}))["time"].clone();
    assert!(t1.as_str() > t0.as_str(), "{t0} then {t1}");
    centre.finish();
}
