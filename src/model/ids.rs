//! Record identifiers: 128-bit, sortable by creation time, unique across officers' stores.
//!
//! Layout (big-endian): 48 bits of milliseconds since the Unix epoch, 48 bits naming the store
//! that created the record, 32 bits of a per-store sequence. Sorting the bytes sorts by creation
//! time, and two laptops never mint the same id, so logs from a squad can be merged later.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// Identifier of any record (officer, person, contact, follow-up, note, tag).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default)]
#[serde(into = "String", try_from = "String")]
pub struct Id(pub u128);

impl Id {
    /// Builds an id from its three parts; only the low bits of each part are kept.
    pub fn compose(millis: u64, node: u64, seq: u64) -> Self {
        let millis = u128::from(millis & 0xFFFF_FFFF_FFFF);
        let node = u128::from(node & 0xFFFF_FFFF_FFFF);
        let seq = u128::from(seq & 0xFFFF_FFFF);
        Id((millis << 80) | (node << 32) | seq)
    }

    pub fn to_bytes(self) -> [u8; 16] {
        self.0.to_be_bytes()
    }

    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        let arr: [u8; 16] = bytes.get(..16)?.try_into().ok()?;
        Some(Id(u128::from_be_bytes(arr)))
    }

    /// A short form for people to read and type (last 8 hex digits are the sequence).
    pub fn short(self) -> String {
        let s = self.to_string();
        s[s.len() - 8..].to_string()
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:032x}", self.0)
    }
}

impl fmt::Debug for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Id({self})")
    }
}

/// The text was not a 32-digit hexadecimal record id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("\"{0}\" is not a record id (expected 32 hexadecimal digits)")]
pub struct BadId(pub String);

impl FromStr for Id {
    type Err = BadId;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        if t.len() != 32 {
            return Err(BadId(s.to_string()));
        }
        u128::from_str_radix(t, 16)
            .map(Id)
            .map_err(|_| BadId(s.to_string()))
    }
}

impl From<Id> for String {
    fn from(id: Id) -> Self {
        id.to_string()
    }
}

impl TryFrom<String> for Id {
    type Error = BadId;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_sort_by_time_and_round_trip() {
        let a = Id::compose(1_000, 7, 1);
        let b = Id::compose(2_000, 3, 0);
        assert!(a < b);
        assert!(a.to_bytes() < b.to_bytes());
        assert_eq!(Id::from_bytes(&a.to_bytes()), Some(a));
        assert_eq!(a.to_string().parse::<Id>(), Ok(a));
        assert!("xyz".parse::<Id>().is_err());
        assert!("zz000000000000000000000000000000".parse::<Id>().is_err());
    }
}
