//! The Salesforce export of a run (`run --salesforce`): files shaped as
//! `sf data export bulk` writes them, one AgentWork per push, valid ids
//! that resolve, and the same bytes for the same seed.

use crate::events::EventKind;
use crate::salesforce::object::SfObject;
use crate::salesforce::SalesforceId;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Replication 0 of the bundled day exported into `dir`; its events.
fn export_day(dir: &Path) -> Vec<crate::events::SimEvent> {
    let events = crate::calibrate::round_trip::export_day(dir);
    let files = std::fs::read_dir(dir).unwrap().count();
    assert_eq!(files, SfObject::ALL.len());
    events
}

/// The records of one file: header, rows as field → value.
fn read(dir: &Path, o: SfObject) -> (Vec<String>, Vec<BTreeMap<String, String>>) {
    let text = std::fs::read_to_string(dir.join(o.file_name())).unwrap();
    assert!(!text.contains('\r'), "{o:?}: LF line endings");
    for line in text.lines() {
        assert!(
            line.starts_with('"') && line.ends_with('"'),
            "{o:?}: {line}"
        );
    }
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    let rows = r
        .records()
        .map(|rec| {
            header
                .iter()
                .cloned()
                .zip(rec.unwrap().iter().map(String::from))
                .collect()
        })
        .collect();
    (header, rows)
}

fn is_datetime(v: &str) -> bool {
    let b = v.as_bytes();
    v.len() == 24
        && b[4] == b'-'
        && b[10] == b'T'
        && b[19] == b'.'
        && v.ends_with('Z')
        && crate::salesforce::when::parse_datetime(v).is_ok()
}

#[test]
fn every_file_has_the_object_fields_and_ids_that_resolve() {
    let tmp = tempfile::tempdir().unwrap();
    let events = export_day(tmp.path());
    let mut ids: BTreeMap<SfObject, BTreeSet<String>> = BTreeMap::new();
    let mut all = BTreeMap::new();
    for o in SfObject::ALL {
        let (header, rows) = read(tmp.path(), o);
        assert_eq!(header, o.fields(), "{o:?}");
        for row in &rows {
            let id = SalesforceId::parse(&row["Id"]).unwrap();
            assert_eq!(id.to_string(), row["Id"], "18 characters");
            assert_eq!(id.key_prefix(), o.key_prefix(), "{o:?}");
            assert!(
                ids.entry(o).or_default().insert(row["Id"].clone()),
                "unique"
            );
            for (k, v) in row {
                let datetime = k.ends_with("DateTime")
                    || [
                        "StatusStartDate",
                        "StatusEndDate",
                        "StartTime",
                        "AcceptTime",
                        "EndTime",
                        "EffectiveStartDate",
                    ]
                    .contains(&k.as_str());
                if datetime && !v.is_empty() {
                    assert!(is_datetime(v), "{o:?}.{k} = {v}");
                }
            }
        }
        all.insert(o, rows);
    }
    let refs = [
        (SfObject::AgentWork, "UserId", SfObject::User),
        (
            SfObject::AgentWork,
            "ServiceChannelId",
            SfObject::ServiceChannel,
        ),
        (SfObject::AgentWork, "OriginalQueueId", SfObject::Group),
        (SfObject::AgentWorkSkill, "AgentWorkId", SfObject::AgentWork),
        (SfObject::AgentWorkSkill, "SkillId", SfObject::Skill),
        (SfObject::UserServicePresence, "UserId", SfObject::User),
        (
            SfObject::UserServicePresence,
            "ServicePresenceStatusId",
            SfObject::ServicePresenceStatus,
        ),
        (SfObject::GroupMember, "GroupId", SfObject::Group),
        (SfObject::GroupMember, "UserOrGroupId", SfObject::User),
        (SfObject::ServiceResource, "RelatedRecordId", SfObject::User),
        (
            SfObject::ServiceResourceSkill,
            "ServiceResourceId",
            SfObject::ServiceResource,
        ),
        (SfObject::ServiceResourceSkill, "SkillId", SfObject::Skill),
    ];
    for (o, field, target) in refs {
        for row in &all[&o] {
            assert!(
                ids[&target].contains(&row[field]),
                "{o:?}.{field} = {}",
                row[field]
            );
        }
    }
    // Chats point to their sessions; cases to Case ids.
    let sessions = &ids[&SfObject::MessagingSession];
    for row in &all[&SfObject::AgentWork] {
        let item = SalesforceId::parse(&row["WorkItemId"]).unwrap();
        match item.key_prefix() {
            "0Mw" => assert!(sessions.contains(&item.to_string()), "{item}"),
            p => assert_eq!(p, "500"),
        }
    }
    // One AgentWork per push, each push's status as the events tell it.
    let pushes = events
        .iter()
        .filter(|e| matches!(e.kind, EventKind::WorkAssigned { .. }))
        .count();
    let works = &all[&SfObject::AgentWork];
    assert_eq!(works.len(), pushes);
    let count = |s: &str| works.iter().filter(|r| r["Status"] == s).count();
    let declines = events
        .iter()
        .filter(|e| {
            matches!(
                e.kind,
                EventKind::WorkDeclined {
                    on_push_timeout: false,
                    ..
                }
            )
        })
        .count();
    assert_eq!(count("Declined"), declines);
    assert!(declines > 100 && count("DeclinedOnPushTimeout") > 20);
    assert!(count("Canceled") > 50 && count("Closed") > 3000);
    for r in works {
        match r["Status"].as_str() {
            "Declined" => {
                assert!(!r["DeclineDateTime"].is_empty() && r["AcceptDateTime"].is_empty());
                assert_eq!(r["DeclineReason"], "Busy");
            }
            "DeclinedOnPushTimeout" => assert!(!r["PushTimeoutDateTime"].is_empty()),
            "Closed" => {
                let at = |k: &str| crate::salesforce::when::parse_datetime(&r[k]).unwrap();
                let speed = (at("AcceptDateTime") - at("RequestDateTime")).num_milliseconds();
                assert_eq!(
                    r["SpeedToAnswer"],
                    ((speed as f64) / 1000.0).round().to_string()
                );
                let handle = (at("CloseDateTime") - at("AcceptDateTime")).num_milliseconds();
                assert_eq!(
                    r["HandleTime"],
                    ((handle as f64) / 1000.0).round().to_string()
                );
                if r["ServiceChannelId"] == all[&SfObject::ServiceChannel][0]["Id"] {
                    // Chat agents wrap up for 30 s after every chat.
                    assert_eq!(r["AfterConversationActualTime"], "30", "{r:?}");
                }
            }
            _ => {}
        }
    }
    // Abandoned chats that were never pushed are only in MessagingSession.
    let pushed: BTreeSet<&String> = works.iter().map(|r| &r["WorkItemId"]).collect();
    let unpushed_ended = all[&SfObject::MessagingSession]
        .iter()
        .filter(|s| !pushed.contains(&s["Id"]) && s["AcceptTime"].is_empty())
        .count();
    assert!(unpushed_ended > 100, "{unpushed_ended}");
    // Presence: the first spell of the early shift starts at 08:00 Paris.
    let presence = &all[&SfObject::UserServicePresence];
    assert_eq!(presence[0]["StatusStartDate"], "2026-11-30T07:00:00.000Z");
    assert!(presence.iter().any(|p| p["IsAway"] == "true"));
}

#[test]
fn the_same_seed_writes_the_same_bytes() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    export_day(a.path());
    export_day(b.path());
    for o in SfObject::ALL {
        let read = |d: &Path| std::fs::read(d.join(o.file_name())).unwrap();
        assert!(read(a.path()) == read(b.path()), "{o:?} differs");
    }
}
