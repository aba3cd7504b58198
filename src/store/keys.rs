//! Key layouts. All keys are fixed-width big-endian so byte order is time or id order, and no
//! key ever holds personal data: only ids, timestamps and counters.

use chrono::{DateTime, Utc};

use crate::model::Id;

/// Length of a record key (an id).
pub const ID_KEY_LEN: usize = 16;
/// Length of a history key: kind, id, revision.
pub const HISTORY_KEY_LEN: usize = 1 + ID_KEY_LEN + 4;

/// Milliseconds since the epoch, shifted so that earlier times (even before 1970) sort first.
pub fn time_key(at: DateTime<Utc>) -> [u8; 8] {
    let ms = at.timestamp_millis();
    ((ms as u64) ^ (1 << 63)).to_be_bytes()
}

pub fn time_from_key(bytes: &[u8]) -> Option<DateTime<Utc>> {
    let arr: [u8; 8] = bytes.get(..8)?.try_into().ok()?;
    let ms = (u64::from_be_bytes(arr) ^ (1 << 63)) as i64;
    DateTime::from_timestamp_millis(ms)
}

/// `prefix ++ time ++ id`: an index entry that range-scans by prefix then time.
pub fn prefixed_time_id(prefix: Option<Id>, at: DateTime<Utc>, id: Id) -> Vec<u8> {
    let mut k = Vec::with_capacity(40);
    if let Some(p) = prefix {
        k.extend_from_slice(&p.to_bytes());
    }
    k.extend_from_slice(&time_key(at));
    k.extend_from_slice(&id.to_bytes());
    k
}

/// The record id at the end of an index key.
pub fn trailing_id(key: &[u8]) -> Option<Id> {
    Id::from_bytes(key.get(key.len().checked_sub(16)?..)?)
}

/// `kind ++ id ++ revision`: one entry of a record's history.
pub fn history_key(kind: u8, id: Id, revision: u32) -> Vec<u8> {
    let mut k = Vec::with_capacity(21);
    k.push(kind);
    k.extend_from_slice(&id.to_bytes());
    k.extend_from_slice(&revision.to_be_bytes());
    k
}

/// The kind, id and revision a history key is made of.
pub fn split_history_key(key: &[u8]) -> Option<(u8, Id, u32)> {
    if key.len() != HISTORY_KEY_LEN {
        return None;
    }
    let kind = *key.first()?;
    let id = Id::from_bytes(key.get(1..1 + ID_KEY_LEN)?)?;
    let revision = u32::from_be_bytes(key.get(1 + ID_KEY_LEN..)?.try_into().ok()?);
    Some((kind, id, revision))
}

pub fn history_prefix(kind: u8, id: Id) -> Vec<u8> {
    let mut k = Vec::with_capacity(17);
    k.push(kind);
    k.extend_from_slice(&id.to_bytes());
    k
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn time_keys_sort_and_round_trip() {
        let before_epoch = Utc.with_ymd_and_hms(1969, 5, 1, 0, 0, 0).unwrap();
        let now = Utc.with_ymd_and_hms(2026, 11, 25, 9, 30, 0).unwrap();
        assert!(time_key(before_epoch) < time_key(now));
        assert_eq!(time_from_key(&time_key(now)), Some(now));
        let k = prefixed_time_id(Some(Id(5)), now, Id(9));
        assert_eq!(k.len(), 40);
        assert_eq!(trailing_id(&k), Some(Id(9)));
    }
}
