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

/// The number of a toolkit id: `prefix`, then decimal digits only (no
/// sign, no space), and a value that fits a `u64`. Accumulated by hand:
/// every toolkit call that names a work parses one, and `str::parse`
/// checks again what this has already checked.
fn parse_prefixed(text: &str, prefix: &str) -> Option<u64> {
    let digits = text.strip_prefix(prefix)?;
    if digits.is_empty() {
        return None;
    }
    digits.bytes().try_fold(0u64, |n, b| {
        let d = b.checked_sub(b'0').filter(|d| *d <= 9)?;
        n.checked_mul(10)?.checked_add(u64::from(d))
    })
}

/// A toolkit id as text (`0Bz000000000042`), held inline.
///
/// Behaviours name works by these strings, as the JavaScript API does,
/// and a synthetic agent names one in every toolkit call it makes: as a
/// `String` each cost two heap allocations and a pass through the
/// formatting machinery, a measurable share of an item's cost. This holds
/// the prefix and digits on the stack; it derefs to `&str`, so it goes
/// wherever the toolkit takes an id. Crate-private: the library's ids
/// print as before (`Display`), and this only serves the built-in
/// behaviour.
#[derive(Copy, Clone)]
pub(crate) struct IdText {
    /// The prefix (3 bytes), then at most 20 digits (`u64::MAX`).
    bytes: [u8; 23],
    len: u8,
}

impl IdText {
    /// The prefix, then `n` zero-padded to 12 digits (more if it has
    /// more), written in one piece: `{:012}` pads one character at a time.
    fn new(prefix: &str, n: u64) -> IdText {
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
        let (p, d) = (prefix.as_bytes(), &digits[start..]);
        let mut bytes = [0u8; 23];
        bytes[..p.len()].copy_from_slice(p);
        bytes[p.len()..p.len() + d.len()].copy_from_slice(d);
        IdText {
            bytes,
            len: (p.len() + d.len()) as u8,
        }
    }

    /// The id as a string slice.
    pub(crate) fn as_str(&self) -> &str {
        std::str::from_utf8(&self.bytes[..usize::from(self.len)])
            .expect("an id is an ASCII prefix and digits")
    }
}

impl std::ops::Deref for IdText {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Display for IdText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for IdText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl PartialEq<&str> for IdText {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for IdText {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other.as_str()
    }
}

impl fmt::Display for AgentWorkId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text())
    }
}

impl AgentWorkId {
    /// The toolkit form (`0Bz000000000042`), without a heap allocation.
    pub(crate) fn text(self) -> IdText {
        IdText::new(AGENT_WORK_PREFIX, self.0)
    }

    /// Parses the toolkit form (`0Bz000000000042`); `None` if malformed.
    pub fn parse(text: &str) -> Option<AgentWorkId> {
        parse_prefixed(text, AGENT_WORK_PREFIX).map(AgentWorkId)
    }
}

impl fmt::Display for WorkItemId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text())
    }
}

impl WorkItemId {
    /// The toolkit form (`500000000000042`), without a heap allocation.
    pub(crate) fn text(self) -> IdText {
        IdText::new(WORK_ITEM_PREFIX, self.0)
    }
}

impl fmt::Display for StatusId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text())
    }
}

impl StatusId {
    /// The toolkit form (`0N5000000000001`), without a heap allocation.
    pub(crate) fn text(self) -> IdText {
        IdText::new(STATUS_PREFIX, u64::from(self.0))
    }

    /// Parses the toolkit form (`0N5000000000001`); `None` if malformed.
    pub fn parse(text: &str) -> Option<StatusId> {
        parse_prefixed(text, STATUS_PREFIX).and_then(|n| u32::try_from(n).ok().map(StatusId))
    }
}

impl fmt::Display for ChannelId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text())
    }
}

impl ChannelId {
    /// The toolkit form (`0N9000000000005`), without a heap allocation.
    pub(crate) fn text(self) -> IdText {
        IdText::new(CHANNEL_PREFIX, u64::from(self.0))
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
            // The inline text is the same string, and parses back.
            let text = AgentWorkId(n).text();
            assert_eq!(text, format!("{AGENT_WORK_PREFIX}{n:012}"));
            assert_eq!(AgentWorkId::parse(&text), Some(AgentWorkId(n)));
            assert_eq!(WorkItemId(n).text(), format!("{WORK_ITEM_PREFIX}{n:012}"));
        }
        assert_eq!(StatusId(u32::MAX).text(), StatusId(u32::MAX).to_string());
        assert_eq!(ChannelId(5).text(), "0N9000000000005");
        assert_eq!(
            format!("{:?}", AgentWorkId(42).text()),
            "\"0Bz000000000042\""
        );
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
        for bad in [
            "",
            "0Bz",
            "0Bzabc",
            "500000000000001",
            "0Bz-1",
            "0Bz+1",
            " 0Bz1",
            "0Bz1 ",
            "0Bz1\u{0663}",
            "0Bz00000000000000000000018446744073709551616",
            "0Bz99999999999999999999",
        ] {
            assert_eq!(AgentWorkId::parse(bad), None, "{bad:?}");
        }
    }
}
