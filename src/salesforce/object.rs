//! The Salesforce objects omnisim writes and reads, with their fields.
//!
//! One list per object, in the order the export writes the columns and
//! the documentation's `sf data export bulk` queries name them
//! (docs/salesforce-data.md), so the files, the queries and the reader
//! cannot drift apart. Field names are the API names of Salesforce's
//! object reference; key prefixes are the standard objects' (`0Bz`
//! AgentWork, `0R1` UserServicePresence, …).

/// An object of the export: one CSV file each, named `<Object>.csv`.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SfObject {
    /// One push of one work item to one agent.
    AgentWork,
    /// A skill asked for by the work item of an AgentWork.
    AgentWorkSkill,
    /// One spell of one agent in one presence status.
    UserServicePresence,
    /// A session of a messaging (chat) channel: the customer's side of a
    /// chat, there even when no push ever happened.
    MessagingSession,
    /// A work item still waiting to be routed or answered when the export
    /// was taken (Salesforce deletes it once an agent accepts): the only
    /// trace of a case that arrived but was never pushed.
    PendingServiceRouting,
    /// The agents.
    User,
    /// The queues (`Type = Queue`).
    Group,
    /// Queue membership: which users belong to which queue.
    GroupMember,
    /// The service channels.
    ServiceChannel,
    /// The presence statuses.
    ServicePresenceStatus,
    /// The skills catalogue.
    Skill,
    /// An agent as a skilled resource (linked to its User).
    ServiceResource,
    /// A skill of a service resource, with its level.
    ServiceResourceSkill,
}

impl SfObject {
    /// Every object, in the order the export writes them.
    pub const ALL: [SfObject; 13] = [
        SfObject::AgentWork,
        SfObject::AgentWorkSkill,
        SfObject::UserServicePresence,
        SfObject::MessagingSession,
        SfObject::PendingServiceRouting,
        SfObject::User,
        SfObject::Group,
        SfObject::GroupMember,
        SfObject::ServiceChannel,
        SfObject::ServicePresenceStatus,
        SfObject::Skill,
        SfObject::ServiceResource,
        SfObject::ServiceResourceSkill,
    ];

    /// The object's API name.
    pub fn name(self) -> &'static str {
        match self {
            SfObject::AgentWork => "AgentWork",
            SfObject::AgentWorkSkill => "AgentWorkSkill",
            SfObject::UserServicePresence => "UserServicePresence",
            SfObject::MessagingSession => "MessagingSession",
            SfObject::PendingServiceRouting => "PendingServiceRouting",
            SfObject::User => "User",
            SfObject::Group => "Group",
            SfObject::GroupMember => "GroupMember",
            SfObject::ServiceChannel => "ServiceChannel",
            SfObject::ServicePresenceStatus => "ServicePresenceStatus",
            SfObject::Skill => "Skill",
            SfObject::ServiceResource => "ServiceResource",
            SfObject::ServiceResourceSkill => "ServiceResourceSkill",
        }
    }

    /// The file the export writes and calibrate reads: `<Object>.csv`.
    pub fn file_name(self) -> String {
        format!("{}.csv", self.name())
    }

    /// The three characters every id of the object starts with.
    pub fn key_prefix(self) -> &'static str {
        match self {
            SfObject::AgentWork => "0Bz",
            SfObject::AgentWorkSkill => "0Sm",
            SfObject::UserServicePresence => "0R1",
            SfObject::MessagingSession => "0Mw",
            SfObject::PendingServiceRouting => "0JR",
            SfObject::User => "005",
            SfObject::Group => "00G",
            SfObject::GroupMember => "011",
            SfObject::ServiceChannel => "0N9",
            SfObject::ServicePresenceStatus => "0N5",
            SfObject::Skill => "0C5",
            SfObject::ServiceResource => "0Hn",
            SfObject::ServiceResourceSkill => "0Hv",
        }
    }

    /// The fields written, in column order (the export's header).
    pub fn fields(self) -> &'static [&'static str] {
        match self {
            SfObject::AgentWork => &[
                "Id",
                "WorkItemId",
                "UserId",
                "ServiceChannelId",
                "OriginalQueueId",
                "Status",
                "RoutingType",
                "RoutingModel",
                "RoutingPriority",
                "CapacityWeight",
                "CapacityPercentage",
                "PushTimeout",
                "RequestDateTime",
                "AssignedDateTime",
                "AcceptDateTime",
                "DeclineDateTime",
                "DeclineReason",
                "PushTimeoutDateTime",
                "CancelDateTime",
                "CloseDateTime",
                "SpeedToAnswer",
                "HandleTime",
                "ActiveTime",
                "AfterConversationActualTime",
            ],
            SfObject::AgentWorkSkill => &[
                "Id",
                "AgentWorkId",
                "SkillId",
                "SkillLevel",
                "IsAdditionalSkill",
                "SkillPriority",
                "WasDropped",
            ],
            SfObject::UserServicePresence => &[
                "Id",
                "UserId",
                "ServicePresenceStatusId",
                "StatusStartDate",
                "StatusEndDate",
                "StatusDuration",
                "ConfiguredCapacity",
                "IdleDuration",
                "AtCapacityDuration",
                "IsAway",
                "IsCurrentState",
            ],
            SfObject::MessagingSession => &[
                "Id",
                "Name",
                "OwnerId",
                "StartTime",
                "AcceptTime",
                "EndTime",
                "Status",
            ],
            SfObject::PendingServiceRouting => &[
                "Id",
                "WorkItemId",
                "GroupId",
                "ServiceChannelId",
                "RoutingType",
                "RoutingPriority",
                "IsPushed",
                "CreatedDate",
                "CustomRequestedDateTime",
            ],
            SfObject::User => &["Id", "Name", "Username"],
            SfObject::Group => &["Id", "Name", "DeveloperName", "Type"],
            SfObject::GroupMember => &["Id", "GroupId", "UserOrGroupId"],
            SfObject::ServiceChannel => &["Id", "DeveloperName", "MasterLabel", "RelatedEntity"],
            SfObject::ServicePresenceStatus => &["Id", "DeveloperName", "MasterLabel"],
            SfObject::Skill => &["Id", "DeveloperName", "MasterLabel"],
            SfObject::ServiceResource => {
                &["Id", "Name", "RelatedRecordId", "ResourceType", "IsActive"]
            }
            SfObject::ServiceResourceSkill => &[
                "Id",
                "ServiceResourceId",
                "SkillId",
                "SkillLevel",
                "EffectiveStartDate",
            ],
        }
    }

    /// The fields calibrate cannot do without; the others are used when
    /// present and their absence is said in `calibration.json`.
    pub fn required(self) -> &'static [&'static str] {
        match self {
            SfObject::AgentWork => &[
                "Id",
                "WorkItemId",
                "UserId",
                "ServiceChannelId",
                "OriginalQueueId",
                "Status",
                "RequestDateTime",
                "AssignedDateTime",
                "AcceptDateTime",
                "CloseDateTime",
            ],
            SfObject::AgentWorkSkill => &["Id", "AgentWorkId", "SkillId", "SkillLevel"],
            SfObject::UserServicePresence => &[
                "Id",
                "UserId",
                "ServicePresenceStatusId",
                "StatusStartDate",
                "StatusEndDate",
                "ConfiguredCapacity",
            ],
            SfObject::MessagingSession => &["Id", "StartTime", "AcceptTime", "EndTime", "Status"],
            SfObject::PendingServiceRouting => &["Id", "WorkItemId", "GroupId", "CreatedDate"],
            SfObject::User => &["Id", "Name"],
            SfObject::Group => &["Id", "Name"],
            SfObject::GroupMember => &["Id", "GroupId", "UserOrGroupId"],
            SfObject::ServiceChannel => &["Id", "DeveloperName"],
            SfObject::ServicePresenceStatus => &["Id", "DeveloperName"],
            SfObject::Skill => &["Id", "DeveloperName"],
            SfObject::ServiceResource => &["Id", "RelatedRecordId"],
            SfObject::ServiceResourceSkill => &["Id", "ServiceResourceId", "SkillId", "SkillLevel"],
        }
    }

    /// The object whose ids start with `prefix`, among the export's.
    pub fn from_key_prefix(prefix: &str) -> Option<SfObject> {
        SfObject::ALL.into_iter().find(|o| o.key_prefix() == prefix)
    }
}

/// The object a work item is, which the item's service channel routes
/// (`ServiceChannel.RelatedEntity`): what `AgentWork.WorkItemId` points
/// to.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum WorkItemEntity {
    /// A case (email, web form, …).
    Case,
    /// A messaging session (chat).
    MessagingSession,
    /// A phone call.
    VoiceCall,
}

impl WorkItemEntity {
    /// The entity of a scenario channel, from its name, as Salesforce's
    /// standard channels are named (`sfdc_livemessage` → MessagingSession,
    /// `sfdc_phone` → VoiceCall, `Cases` → Case): a name with `chat` or
    /// `messag` in it is messaging, one with `voice`, `phone` or `call` a
    /// voice call, anything else a case. A scenario has no key for it: it
    /// changes nothing in a run, only the object the export writes.
    pub fn of_channel(name: &str) -> WorkItemEntity {
        let n = name.to_ascii_lowercase();
        if n.contains("chat") || n.contains("messag") {
            WorkItemEntity::MessagingSession
        } else if n.contains("voice") || n.contains("phone") || n.contains("call") {
            WorkItemEntity::VoiceCall
        } else {
            WorkItemEntity::Case
        }
    }

    /// The API name, as `ServiceChannel.RelatedEntity` holds it.
    pub fn name(self) -> &'static str {
        match self {
            WorkItemEntity::Case => "Case",
            WorkItemEntity::MessagingSession => "MessagingSession",
            WorkItemEntity::VoiceCall => "VoiceCall",
        }
    }

    /// The key prefix of its ids.
    pub fn key_prefix(self) -> &'static str {
        match self {
            WorkItemEntity::Case => "500",
            WorkItemEntity::MessagingSession => "0Mw",
            WorkItemEntity::VoiceCall => "0LQ",
        }
    }

    /// The entity whose ids start with `prefix`.
    pub fn from_key_prefix(prefix: &str) -> Option<WorkItemEntity> {
        [
            WorkItemEntity::Case,
            WorkItemEntity::MessagingSession,
            WorkItemEntity::VoiceCall,
        ]
        .into_iter()
        .find(|e| e.key_prefix() == prefix)
    }
}

/// A `DeveloperName` for `name`: letters, digits and single underscores,
/// starting with a letter (Salesforce's rule for unique names), so a
/// queue called `Chat support` becomes `Chat_support`. Names that are
/// already valid are kept as they are.
pub fn developer_name(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('_') && !out.is_empty() {
            out.push('_');
        }
    }
    let out = out.trim_end_matches('_').to_string();
    match out.chars().next() {
        Some(c) if c.is_ascii_alphabetic() => out,
        Some(_) => format!("X{out}"),
        None => "X".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_object_has_its_prefix_file_and_required_fields_among_its_fields() {
        let mut prefixes: Vec<&str> = SfObject::ALL.iter().map(|o| o.key_prefix()).collect();
        prefixes.sort();
        prefixes.dedup();
        assert_eq!(prefixes.len(), SfObject::ALL.len());
        for o in SfObject::ALL {
            assert_eq!(o.fields()[0], "Id", "{o:?}");
            for r in o.required() {
                assert!(o.fields().contains(r), "{o:?}.{r}");
            }
            assert_eq!(o.file_name(), format!("{}.csv", o.name()));
            assert_eq!(SfObject::from_key_prefix(o.key_prefix()), Some(o));
        }
    }

    #[test]
    fn channels_map_to_their_work_item_objects() {
        assert_eq!(
            WorkItemEntity::of_channel("chat"),
            WorkItemEntity::MessagingSession
        );
        assert_eq!(
            WorkItemEntity::of_channel("sfdc_livemessage"),
            WorkItemEntity::MessagingSession
        );
        assert_eq!(
            WorkItemEntity::of_channel("Phone"),
            WorkItemEntity::VoiceCall
        );
        assert_eq!(WorkItemEntity::of_channel("email"), WorkItemEntity::Case);
        assert_eq!(
            WorkItemEntity::from_key_prefix("0Mw"),
            Some(WorkItemEntity::MessagingSession)
        );
    }

    #[test]
    fn developer_names_are_api_safe() {
        assert_eq!(developer_name("Chat support"), "Chat_support");
        assert_eq!(developer_name("Available_Chat"), "Available_Chat");
        assert_eq!(developer_name("2nd line"), "X2nd_line");
        assert_eq!(developer_name("a -- b!"), "a_b");
        assert_eq!(developer_name("—"), "X");
    }
}
