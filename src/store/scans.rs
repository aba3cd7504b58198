//! Reads answered from the index trees alone: contact ids by index, the last contact with a
//! person, and the open follow-ups due in a span of days.

use chrono::{DateTime, NaiveDate, Utc};

use super::{indexes, keys, Among, ContactScan, ScanBy, Store, StoreError, StoreResult};
use crate::model::{FollowUp, Id};

impl Store {
    /// Ids of contacts matching an index scan, newest first.
    pub fn scan_contacts(
        &self,
        scan: &ContactScan,
    ) -> impl Iterator<Item = StoreResult<Id>> + 'static {
        self.scan_contacts_among(scan, Among::default())
    }

    /// Ids of contacts matching an index scan and among the neighborhoods and topics asked,
    /// newest first, read from the index values alone. A scan by person has no values to read:
    /// `among` is not checked there, the caller checks the contacts it reads.
    pub fn scan_contacts_among(
        &self,
        scan: &ContactScan,
        among: Among,
    ) -> impl Iterator<Item = StoreResult<Id>> + 'static {
        let (tree, lo, hi) = indexes::scan_range(&self.indexes, scan);
        let by = scan.by;
        let among = match by {
            ScanBy::Person(_) => Among::default(),
            _ => among,
        };
        let damaged = |reason: &str| StoreError::Corrupt {
            kind: "contact index",
            reason: reason.into(),
        };
        tree.range(lo..hi).rev().filter_map(move |kv| {
            let (k, v) = match kv {
                Ok(kv) => kv,
                Err(e) => return Some(Err(StoreError::from_sled(e))),
            };
            match by.keeps(&v).zip(among.keeps(&v)) {
                Some((true, true)) => {
                    Some(keys::trailing_id(&k).ok_or_else(|| damaged("short key")))
                }
                Some(_) => None,
                None => Some(Err(damaged("an entry has no facts"))),
            }
        })
    }

    /// The time of the newest contact with this person, if any.
    pub fn last_contact_with(&self, person: Id) -> StoreResult<Option<DateTime<Utc>>> {
        self.last_contact_with_before(person, None)
    }

    /// The time of the newest contact with this person before `before` (read from the index
    /// key alone, no contact decoded).
    pub fn last_contact_with_before(
        &self,
        person: Id,
        before: Option<DateTime<Utc>>,
    ) -> StoreResult<Option<DateTime<Utc>>> {
        let scan = ContactScan {
            by: ScanBy::Person(person),
            from: None,
            to: before,
        };
        let (tree, lo, hi) = indexes::scan_range(&self.indexes, &scan);
        match tree
            .range(lo..hi)
            .next_back()
            .transpose()
            .map_err(StoreError::from_sled)?
        {
            Some((k, _)) => Ok(k.get(16..).and_then(keys::time_from_key)),
            None => Ok(None),
        }
    }

    /// The open follow-ups due in `days`: how many there are, and the first `read` of them,
    /// earliest due first. Only the first `read` are decrypted; the rest are counted by key.
    pub fn open_followups_due(
        &self,
        days: std::ops::RangeInclusive<NaiveDate>,
        read: usize,
    ) -> StoreResult<(Vec<FollowUp>, usize)> {
        let lo = indexes::day_key(*days.start()).to_vec();
        let mut hi = indexes::day_key(*days.end()).to_vec();
        hi.extend_from_slice(&[0xFF; 17]);
        let mut out = Vec::new();
        let mut count = 0;
        for kv in self.indexes[indexes::OPEN_FOLLOW_UPS].range(lo..hi) {
            let (k, _) = kv.map_err(StoreError::from_sled)?;
            count += 1;
            if out.len() == read {
                continue;
            }
            let id = keys::trailing_id(&k).ok_or(StoreError::Corrupt {
                kind: "follow-up index",
                reason: "short key".into(),
            })?;
            if let Some(f) = self.get::<FollowUp>(id)? {
                out.push(f);
            }
        }
        Ok((out, count))
    }
}
