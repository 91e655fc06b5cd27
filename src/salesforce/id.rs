//! Salesforce record ids: 15 case-sensitive characters, or 18 with a
//! case-safe suffix.
//!
//! An id starts with its object's three-character key prefix (`0Bz` for
//! AgentWork, `005` for User); the other twelve characters are base-62
//! digits. Because tools such as spreadsheets compare text without case,
//! the API hands out the 18-character form: three more characters, one
//! per block of five, each saying which letters of its block are upper
//! case. [`SalesforceId::new`] writes that form for the export;
//! [`SalesforceId::parse`] reads either form back and refuses an 18-character
//! id whose suffix does not match (a value that was retyped or corrupted).

use std::fmt;

/// Base-62 digits in the order Salesforce counts them: `0`–`9`, `A`–`Z`,
/// `a`–`z`.
const BASE62: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
/// The suffix alphabet: the character for each 5-bit capital-letter mask.
const SUFFIX: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";
/// The pod (instance) and reserved characters after the key prefix of
/// every id omnisim writes: a fixed value, so ids do not depend on where
/// they were made.
const POD: &str = "Dn0";

/// An 18-character Salesforce record id.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct SalesforceId(String);

impl SalesforceId {
    /// The id of record number `n` of the object with key prefix `prefix`
    /// (three characters): the prefix, the pod, `n` in nine base-62 digits,
    /// and the case-safe suffix. Different `n` give different ids (up to
    /// 62⁹, far beyond any day's records).
    pub fn new(prefix: &str, n: u64) -> SalesforceId {
        debug_assert_eq!(prefix.len(), 3, "a key prefix has three characters");
        let mut digits = [b'0'; 9];
        let mut v = n;
        for d in digits.iter_mut().rev() {
            *d = BASE62[(v % 62) as usize];
            v /= 62;
        }
        let mut id = String::with_capacity(18);
        id.push_str(prefix);
        id.push_str(POD);
        id.extend(digits.iter().map(|&b| b as char));
        let suffix = case_suffix(&id);
        id.push_str(&suffix);
        SalesforceId(id)
    }

    /// Reads an id in its 15- or 18-character form; the 18-character form
    /// is checked against its suffix. Returns the 18-character form, so
    /// ids read from different tools compare equal.
    pub fn parse(text: &str) -> Result<SalesforceId, String> {
        let t = text.trim();
        if !t.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(format!(
                "\"{t}\" is not a Salesforce id: an id has only letters and digits"
            ));
        }
        match t.len() {
            15 => Ok(SalesforceId(format!("{t}{}", case_suffix(t)))),
            18 => {
                let expected = case_suffix(&t[..15]);
                if t[15..] == expected {
                    Ok(SalesforceId(t.to_string()))
                } else {
                    Err(format!(
                        "\"{t}\" is not a valid Salesforce id: its last three characters should be \
                         \"{expected}\" for the fifteen before them (was it retyped or changed in a \
                         spreadsheet?)"
                    ))
                }
            }
            n => Err(format!(
                "\"{t}\" is not a Salesforce id: an id has 15 or 18 characters, this one {n}"
            )),
        }
    }

    /// The three-character key prefix: which object the record is.
    pub fn key_prefix(&self) -> &str {
        &self.0[..3]
    }
}

impl fmt::Display for SalesforceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The three suffix characters of a 15-character id: for each block of
/// five characters, bit `i` set when character `i` is an upper-case
/// letter.
fn case_suffix(id15: &str) -> String {
    id15.as_bytes()
        .chunks(5)
        .map(|block| {
            let mask = block
                .iter()
                .enumerate()
                .filter(|(_, b)| b.is_ascii_uppercase())
                .fold(0usize, |m, (i, _)| m | (1 << i));
            SUFFIX[mask] as char
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_suffix_encodes_which_letters_are_capitals() {
        // Published examples of 15- and 18-character pairs.
        assert_eq!(
            SalesforceId::parse("0015g00000NoVcm").unwrap().to_string(),
            "0015g00000NoVcmAAF"
        );
        assert_eq!(
            SalesforceId::parse("500B000000A1nvP").unwrap().to_string(),
            "500B000000A1nvPIAR"
        );
        assert!(SalesforceId::parse("0MwgL00000ERGOnSAP").is_ok());
        // All lower case or digits: every mask 0.
        assert_eq!(case_suffix("0015000000abcde"), "AAA");
        // All capitals: every mask 31.
        assert_eq!(case_suffix("ABCDEABCDEABCDE"), "555");
    }

    #[test]
    fn new_ids_carry_the_prefix_count_in_base62_and_a_valid_suffix() {
        let a = SalesforceId::new("0Bz", 0);
        assert_eq!(a.0.as_str(), "0BzDn0000000000KAA");
        assert_eq!(a.0.as_str().len(), 18);
        assert_eq!(a.key_prefix(), "0Bz");
        let b = SalesforceId::new("005", 62 * 62 + 61);
        assert_eq!(&b.0.as_str()[..15], "005Dn000000010z");
        for n in [0u64, 1, 61, 62, 3843, 1_000_000, 62u64.pow(9) - 1] {
            let id = SalesforceId::new("0R1", n);
            assert_eq!(SalesforceId::parse(id.0.as_str()).unwrap(), id, "{id}");
            assert_eq!(SalesforceId::parse(&id.0.as_str()[..15]).unwrap(), id);
        }
        assert_ne!(SalesforceId::new("0R1", 10), SalesforceId::new("0R1", 11));
    }

    #[test]
    fn bad_ids_say_what_is_wrong() {
        let e = SalesforceId::parse("0BzDn0000000001AAB").unwrap_err();
        assert!(e.contains("should be"), "{e}");
        assert!(SalesforceId::parse("0Bz12")
            .unwrap_err()
            .contains("15 or 18"));
        assert!(SalesforceId::parse("0Bz-n0000000001")
            .unwrap_err()
            .contains("letters and digits"));
    }
}
