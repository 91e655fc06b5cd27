//! Typed identifiers.
//!
//! Internally every id is an index or a counter, which keeps lookups cheap
//! and ordering deterministic. Toward the toolkit they print the way
//! Salesforce record ids look (key prefix + digits: `0Bz` AgentWork,
//! `500` work item, `0N5` presence status, `0N9` service channel), and
//! parse back from that form, so behaviour code handles strings as the
//! JavaScript API does.

use serde::Serialize;
use std::fmt;

macro_rules! index_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        pub struct $name(pub u32);
        impl $name {
            /// Position in the scenario's list.
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }
    };
}

index_id!(
    /// A service channel (chat, case, voice, …), by position in the scenario.
    ChannelId
);
index_id!(
    /// A presence status, by position in the scenario.
    StatusId
);
index_id!(
    /// A presence configuration, by position in the scenario.
    ConfigId
);
index_id!(
    /// A queue with its routing configuration, by position in the scenario.
    QueueId
);
index_id!(
    /// A skill of the `[[skills]]` catalogue, by position in the scenario.
    SkillId
);
index_id!(
    /// An agent, numbered across groups in scenario order; also the last
    /// tie-break of the routing models.
    AgentId
);

/// One AgentWork record: one push of one item to one agent.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct AgentWorkId(pub u64);

/// A work item (the case or chat being routed), numbered in arrival order.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct WorkItemId(pub u64);

const AGENT_WORK_PREFIX: &str = "0Bz";
const WORK_ITEM_PREFIX: &str = "500";
const STATUS_PREFIX: &str = "0N5";
const CHANNEL_PREFIX: &str = "0N9";

fn parse_prefixed(text: &str, prefix: &str) -> Option<u64> {
    let digits = text.strip_prefix(prefix)?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// Writes a toolkit id: the prefix, then the number zero-padded to 12
/// digits (more if it has more). Written in one piece: `{:012}` pads
/// one character at a time, and an id is formatted for every toolkit call
/// that names a work, which made it a measurable share of a run.
fn write_id(f: &mut fmt::Formatter<'_>, prefix: &str, n: u64) -> fmt::Result {
    let mut digits = [b'0'; 20];
    let mut i = digits.len();
    let mut v = n;
    loop {
        i -= 1;
        digits[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    let start = i.min(digits.len() - 12);
    f.write_str(prefix)?;
    f.write_str(std::str::from_utf8(&digits[start..]).expect("ASCII digits"))
}

impl fmt::Display for AgentWorkId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_id(f, AGENT_WORK_PREFIX, self.0)
    }
}

impl AgentWorkId {
    /// Parses the toolkit form (`0Bz000000000042`); `None` if malformed.
    pub fn parse(text: &str) -> Option<AgentWorkId> {
        parse_prefixed(text, AGENT_WORK_PREFIX).map(AgentWorkId)
    }
}

impl fmt::Display for WorkItemId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_id(f, WORK_ITEM_PREFIX, self.0)
    }
}

impl fmt::Display for StatusId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_id(f, STATUS_PREFIX, u64::from(self.0))
    }
}

impl StatusId {
    /// Parses the toolkit form (`0N5000000000001`); `None` if malformed.
    pub fn parse(text: &str) -> Option<StatusId> {
        parse_prefixed(text, STATUS_PREFIX).and_then(|n| u32::try_from(n).ok().map(StatusId))
    }
}

impl fmt::Display for ChannelId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_id(f, CHANNEL_PREFIX, u64::from(self.0))
    }
}

impl fmt::Display for AgentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "agent-{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_through_their_salesforce_form() {
        let w = AgentWorkId(42);
        assert_eq!(w.to_string(), "0Bz000000000042");
        assert_eq!(AgentWorkId::parse(&w.to_string()), Some(w));
        assert_eq!(StatusId::parse(&StatusId(3).to_string()), Some(StatusId(3)));
    }

    /// The one-piece writer gives what `{:012}` gives, for every length
    /// of number, including those longer than 12 digits.
    #[test]
    fn ids_are_written_as_zero_padded_twelve_digits() {
        for n in [
            0u64,
            7,
            42,
            999_999_999_999,
            1_000_000_000_000,
            1_000_000_000_001,
            u64::MAX,
        ] {
            assert_eq!(
                AgentWorkId(n).to_string(),
                format!("{AGENT_WORK_PREFIX}{n:012}")
            );
            assert_eq!(
                WorkItemId(n).to_string(),
                format!("{WORK_ITEM_PREFIX}{n:012}")
            );
        }
        assert_eq!(
            StatusId(u32::MAX).to_string(),
            format!("{STATUS_PREFIX}{:012}", u32::MAX)
        );
        assert_eq!(
            ChannelId(5).to_string(),
            format!("{CHANNEL_PREFIX}{:012}", 5)
        );
    }

    #[test]
    fn malformed_ids_do_not_parse() {
        for bad in ["", "0Bz", "0Bzabc", "500000000000001", "0Bz-1", " 0Bz1"] {
            assert_eq!(AgentWorkId::parse(bad), None, "{bad:?}");
        }
    }
}
