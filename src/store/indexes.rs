//! Secondary indexes over contacts (by time, neighborhood, person, topic, officer and kind), over
//! open follow-ups (by due date), and how to scan them.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use sled::Tree;

use super::keys::{prefixed_time_id, time_key};
use crate::model::{
    Contact, ContactKind, FollowUp, Id, JournalNote, Neighborhood, Officer, Person, Record, Review,
    Tag, ValidationError,
};

pub(crate) const BY_TIME: usize = 0;
pub(crate) const BY_HOOD: usize = 1;
pub(crate) const BY_PERSON: usize = 2;
pub(crate) const BY_TAG: usize = 3;
pub(crate) const BY_OFFICER: usize = 4;
pub(crate) const BY_OFFICER_KIND: usize = 5;
pub(crate) const BY_KIND: usize = 6;
pub(crate) const OPEN_FOLLOW_UPS: usize = 7;
pub(crate) const INDEX_COUNT: usize = 8;

/// The byte a kind of contact is indexed under (its place in `ContactKind::ALL`, which only
/// ever grows at the end).
fn kind_byte(kind: ContactKind) -> u8 {
    ContactKind::ALL
        .iter()
        .position(|k| *k == kind)
        .unwrap_or(0) as u8
}

/// `prefix ++ kind ++ time ++ id`.
fn kind_time_id(prefix: Option<Id>, kind: ContactKind, at: DateTime<Utc>, id: Id) -> Vec<u8> {
    let mut k = Vec::with_capacity(41);
    if let Some(p) = prefix {
        k.extend_from_slice(&p.to_bytes());
    }
    k.push(kind_byte(kind));
    k.extend_from_slice(&time_key(at));
    k.extend_from_slice(&id.to_bytes());
    k
}

/// A record the store can keep: it validates itself and names its index entries.
pub trait Stored: Record + PartialEq {
    fn validate(&self) -> Result<(), ValidationError>;

    /// `(index, key)` pairs this record should have; tombstones have none.
    fn index_entries(&self) -> Vec<(usize, Vec<u8>)> {
        Vec::new()
    }
}

macro_rules! plain_stored {
    ($($ty:ty),*) => {$(
        impl Stored for $ty {
            fn validate(&self) -> Result<(), ValidationError> { <$ty>::validate(self) }
        }
    )*};
}
plain_stored!(Officer, Neighborhood, Person, JournalNote, Tag, Review);

/// A day as a key: days from the common era, shifted so that byte order is date order.
pub(crate) fn day_key(day: NaiveDate) -> [u8; 4] {
    ((day.num_days_from_ce() as u32) ^ (1 << 31)).to_be_bytes()
}

impl Stored for FollowUp {
    fn validate(&self) -> Result<(), ValidationError> {
        FollowUp::validate(self)
    }

    /// An open promise is indexed by its due date: the day's lists read only what is open.
    fn index_entries(&self) -> Vec<(usize, Vec<u8>)> {
        if self.meta.deleted || !self.status.is_open() {
            return Vec::new();
        }
        let mut key = day_key(self.due).to_vec();
        key.extend_from_slice(&self.meta.id.to_bytes());
        vec![(OPEN_FOLLOW_UPS, key)]
    }
}

impl Stored for Contact {
    fn validate(&self) -> Result<(), ValidationError> {
        Contact::validate(self)
    }

    fn index_entries(&self) -> Vec<(usize, Vec<u8>)> {
        if self.meta.deleted {
            return Vec::new();
        }
        let id = self.meta.id;
        let owner = self.meta.owner();
        let mut out = vec![
            (BY_TIME, prefixed_time_id(None, self.at, id)),
            (
                BY_HOOD,
                prefixed_time_id(Some(self.neighborhood), self.at, id),
            ),
            (BY_OFFICER, prefixed_time_id(Some(owner), self.at, id)),
            (
                BY_OFFICER_KIND,
                kind_time_id(Some(owner), self.kind, self.at, id),
            ),
            (BY_KIND, kind_time_id(None, self.kind, self.at, id)),
        ];
        let mut people = self.people.clone();
        people.sort();
        people.dedup();
        out.extend(
            people
                .into_iter()
                .map(|p| (BY_PERSON, prefixed_time_id(Some(p), self.at, id))),
        );
        let mut tags = self.tags.clone();
        tags.sort();
        tags.dedup();
        out.extend(
            tags.into_iter()
                .map(|t| (BY_TAG, prefixed_time_id(Some(t), self.at, id))),
        );
        out
    }
}

/// Which index a contact scan walks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ScanBy {
    #[default]
    All,
    Neighborhood(Id),
    Person(Id),
    Tag(Id),
    /// The contacts an officer wrote.
    Officer(Id),
    OfficerKind(Id, ContactKind),
    Kind(ContactKind),
}

/// A scan over one contact index, limited to `[from, to)` when given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContactScan {
    pub by: ScanBy,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
}

pub(crate) fn scan_range(indexes: &[Tree], scan: &ContactScan) -> (Tree, Vec<u8>, Vec<u8>) {
    let (ix, prefix) = match scan.by {
        ScanBy::All => (BY_TIME, Vec::new()),
        ScanBy::Neighborhood(id) => (BY_HOOD, id.to_bytes().to_vec()),
        ScanBy::Person(id) => (BY_PERSON, id.to_bytes().to_vec()),
        ScanBy::Tag(id) => (BY_TAG, id.to_bytes().to_vec()),
        ScanBy::Officer(id) => (BY_OFFICER, id.to_bytes().to_vec()),
        ScanBy::OfficerKind(id, kind) => {
            let mut p = id.to_bytes().to_vec();
            p.push(kind_byte(kind));
            (BY_OFFICER_KIND, p)
        }
        ScanBy::Kind(kind) => (BY_KIND, vec![kind_byte(kind)]),
    };
    let mut lo = prefix.clone();
    lo.extend_from_slice(&scan.from.map(time_key).unwrap_or([0; 8]));
    let mut hi = prefix;
    match scan.to {
        Some(to) => hi.extend_from_slice(&time_key(to)),
        // Past every `time ++ id` suffix (24 bytes) under the prefix.
        None => hi.extend_from_slice(&[0xFF; 25]),
    }
    (indexes[ix].clone(), lo, hi)
}
