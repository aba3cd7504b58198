//! Secondary indexes over contacts (by time and by person), over open follow-ups (by due date),
//! and how to scan them.
//!
//! The time index's values carry a contact's officer, neighborhood, kind and topics (see
//! [`ContactFacts`]), so a scan by any of them walks the time index and skips entries by their
//! value, no contact decrypted. Each index entry costs sled a few hundred bytes on disk whatever
//! its size: one entry with a value replaces the five trees (by neighborhood, officer, officer
//! and kind, kind, and topic) that format 5 kept. The person index stays: a person's newest
//! contact is read for each of thousands of people.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use sled::transaction::{TransactionalTree, UnabortableTransactionError};
use sled::Tree;

use super::contact_bytes;
use super::keys::{prefixed_time_id, time_key};
use crate::model::{
    Contact, ContactKind, FollowUp, Id, JournalNote, Neighborhood, Officer, Person, Priority,
    Problem, Record, Review, Tag, ValidationError,
};

pub(crate) const BY_TIME: usize = 0;
pub(crate) const BY_PERSON: usize = 1;
pub(crate) const OPEN_FOLLOW_UPS: usize = 2;
pub(crate) const INDEX_COUNT: usize = 3;

/// One entry a record puts in one index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexEntry {
    pub index: usize,
    pub key: Vec<u8>,
    pub value: Vec<u8>,
}

impl IndexEntry {
    fn key_only(index: usize, key: Vec<u8>) -> Self {
        IndexEntry {
            index,
            key,
            value: Vec::new(),
        }
    }
}

/// The byte a kind of contact is stored under (its place in `ContactKind::ALL`, which only
/// ever grows at the end).
fn kind_byte(kind: ContactKind) -> u8 {
    ContactKind::ALL
        .iter()
        .position(|k| *k == kind)
        .unwrap_or(0) as u8
}

/// What the time index keeps of a contact beside its time and id:
/// `officer ++ neighborhood ++ kind ++ topics`, ids of 16 bytes. Ids and a kind only, no
/// personal data.
struct ContactFacts<'a>(&'a [u8]);

const FACTS_HEAD: usize = 33;

impl<'a> ContactFacts<'a> {
    fn encode(contact: &Contact, tags: &[Id]) -> Vec<u8> {
        let mut v = Vec::with_capacity(FACTS_HEAD + 16 * tags.len());
        v.extend_from_slice(&contact.meta.owner().to_bytes());
        v.extend_from_slice(&contact.neighborhood.to_bytes());
        v.push(kind_byte(contact.kind));
        for t in tags {
            v.extend_from_slice(&t.to_bytes());
        }
        v
    }

    /// `None` for a value of the wrong shape.
    fn read(value: &'a [u8]) -> Option<Self> {
        (value.len() >= FACTS_HEAD && (value.len() - FACTS_HEAD).is_multiple_of(16))
            .then_some(Self(value))
    }

    fn officer_is(&self, officer: Id) -> bool {
        self.0[..16] == officer.to_bytes()
    }

    fn neighborhood_is(&self, hood: Id) -> bool {
        self.0[16..32] == hood.to_bytes()
    }

    fn kind_is(&self, kind: ContactKind) -> bool {
        self.0[32] == kind_byte(kind)
    }

    fn has_tag(&self, tag: Id) -> bool {
        let tag = tag.to_bytes();
        self.0[FACTS_HEAD..].chunks_exact(16).any(|t| t == tag)
    }

    /// Whether the contact passes the part of `by` the time index answers.
    fn pass(&self, by: ScanBy) -> bool {
        match by {
            ScanBy::Neighborhood(n) => self.neighborhood_is(n),
            ScanBy::Matching(f) => {
                f.neighborhood.is_none_or(|n| self.neighborhood_is(n))
                    && f.officer.is_none_or(|o| self.officer_is(o))
                    && f.kind.is_none_or(|k| self.kind_is(k))
                    && f.tag.is_none_or(|t| self.has_tag(t))
            }
            ScanBy::All | ScanBy::Person(_) => true,
        }
    }
}

impl Among {
    /// Whether nothing is asked.
    pub fn is_empty(&self) -> bool {
        self.neighborhoods.is_empty() && self.tags.is_empty()
    }

    /// Whether an entry of the time index with this value passes; `None` when the value is not
    /// the facts it needs (damage).
    pub(crate) fn keeps(&self, value: &[u8]) -> Option<bool> {
        if self.is_empty() {
            return Some(true);
        }
        let f = ContactFacts::read(value)?;
        Some(
            (self.neighborhoods.is_empty()
                || self.neighborhoods.iter().any(|n| f.neighborhood_is(*n)))
                && (self.tags.is_empty() || self.tags.iter().any(|t| f.has_tag(*t))),
        )
    }
}

impl ScanBy {
    /// Whether an entry with this value belongs to the scan; `None` when the value is not the
    /// facts the scan needs (damage).
    pub(crate) fn keeps(self, value: &[u8]) -> Option<bool> {
        match self {
            ScanBy::All | ScanBy::Person(_) => Some(true),
            _ => ContactFacts::read(value).map(|f| f.pass(self)),
        }
    }
}

/// Why a record could not be turned into the bytes it is kept as, or back.
#[derive(Debug, thiserror::Error)]
pub enum RecordBytesError {
    #[error("{0}")]
    Json(#[from] serde_json::Error),
    /// The compact form of a contact is cut short or holds a value it cannot.
    #[error("{0}")]
    Compact(&'static str),
}

/// A record the store can keep: it validates itself and names its index entries.
pub trait Stored: Record + PartialEq {
    fn validate(&self) -> Result<(), ValidationError>;

    /// The bytes this record is kept as, before encryption: JSON unless its kind has a
    /// compact form.
    fn to_stored(&self) -> Result<Vec<u8>, RecordBytesError> {
        Ok(serde_json::to_vec(self)?)
    }

    /// The record in bytes [`Stored::to_stored`] wrote (or an earlier version did).
    fn from_stored(bytes: &[u8]) -> Result<Self, RecordBytesError> {
        Ok(serde_json::from_slice(bytes)?)
    }

    /// The index entries this record should have; tombstones have none.
    fn index_entries(&self) -> Vec<IndexEntry> {
        Vec::new()
    }

    /// Rules that need the other records of the log, checked before a save (a merge writes
    /// what other logs hold as it is).
    fn validate_among(&self, _store: &super::Store) -> super::StoreResult<()> {
        Ok(())
    }
}

macro_rules! plain_stored {
    ($($ty:ty),*) => {$(
        impl Stored for $ty {
            fn validate(&self) -> Result<(), ValidationError> { <$ty>::validate(self) }
        }
    )*};
}
plain_stored!(
    Officer,
    Neighborhood,
    Person,
    JournalNote,
    Tag,
    Review,
    Problem
);

impl Stored for Priority {
    fn validate(&self) -> Result<(), ValidationError> {
        Priority::validate(self)
    }

    /// At most a handful of priorities per neighborhood and period (see `Priority::check_room`).
    fn validate_among(&self, store: &super::Store) -> super::StoreResult<()> {
        if self.meta.deleted {
            return Ok(());
        }
        Ok(self.check_room(&store.all::<Priority>()?)?)
    }
}

/// A day as a key: days from the common era, shifted so that byte order is date order.
pub(crate) fn day_key(day: NaiveDate) -> [u8; 4] {
    ((day.num_days_from_ce() as u32) ^ (1 << 31)).to_be_bytes()
}

impl Stored for FollowUp {
    fn validate(&self) -> Result<(), ValidationError> {
        FollowUp::validate(self)
    }

    /// An open promise is indexed by its due date: the day's lists read only what is open.
    fn index_entries(&self) -> Vec<IndexEntry> {
        if self.meta.deleted || !self.status.is_open() {
            return Vec::new();
        }
        let mut key = day_key(self.due).to_vec();
        key.extend_from_slice(&self.meta.id.to_bytes());
        vec![IndexEntry::key_only(OPEN_FOLLOW_UPS, key)]
    }
}

impl Stored for Contact {
    fn validate(&self) -> Result<(), ValidationError> {
        Contact::validate(self)
    }

    fn to_stored(&self) -> Result<Vec<u8>, RecordBytesError> {
        Ok(contact_bytes::encode_contact(self))
    }

    /// Contacts written before format 6 are JSON.
    fn from_stored(bytes: &[u8]) -> Result<Self, RecordBytesError> {
        if contact_bytes::is_compact(bytes) {
            contact_bytes::decode_contact(bytes).map_err(RecordBytesError::Compact)
        } else {
            Ok(serde_json::from_slice(bytes)?)
        }
    }

    fn index_entries(&self) -> Vec<IndexEntry> {
        if self.meta.deleted {
            return Vec::new();
        }
        let id = self.meta.id;
        let sorted = |ids: &[Id]| {
            let mut ids = ids.to_vec();
            ids.sort();
            ids.dedup();
            ids
        };
        let mut out = vec![IndexEntry {
            index: BY_TIME,
            key: prefixed_time_id(None, self.at, id),
            value: ContactFacts::encode(self, &sorted(&self.tags)),
        }];
        out.extend(
            sorted(&self.people)
                .into_iter()
                .map(|p| IndexEntry::key_only(BY_PERSON, prefixed_time_id(Some(p), self.at, id))),
        );
        out
    }
}

/// Inside a transaction: takes a record's index entries out.
pub(crate) fn remove_entries<R: Stored>(
    indexes: &[TransactionalTree],
    record: &R,
) -> Result<(), UnabortableTransactionError> {
    for e in record.index_entries() {
        indexes[e.index].remove(e.key)?;
    }
    Ok(())
}

/// Inside a transaction: puts a record's index entries in.
pub(crate) fn insert_entries<R: Stored>(
    indexes: &[TransactionalTree],
    record: &R,
) -> Result<(), UnabortableTransactionError> {
    for e in record.index_entries() {
        indexes[e.index].insert(e.key, e.value)?;
    }
    Ok(())
}

/// Which index a contact scan walks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ScanBy {
    #[default]
    All,
    Neighborhood(Id),
    Person(Id),
    /// Every fact that is set must hold (the time index's values answer them all at once).
    Matching(FactFilter),
}

/// The facts of a contact the time index keeps, as a filter: empty fields do not filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FactFilter {
    pub neighborhood: Option<Id>,
    /// The officer who wrote the contact.
    pub officer: Option<Id>,
    pub kind: Option<ContactKind>,
    pub tag: Option<Id>,
}

/// Sets of neighborhoods and topics a contact must be among, beside a [`ScanBy`]: a contact
/// passes when its neighborhood is one of `neighborhoods` and one of its topics is one of
/// `tags` (an empty set does not filter). The squad's names fold several records into one
/// neighborhood or topic (see `query::names`), and a filter on it asks for all of them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Among {
    pub neighborhoods: Vec<Id>,
    pub tags: Vec<Id>,
}

/// A scan over one contact index, limited to `[from, to)` when given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContactScan {
    pub by: ScanBy,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
}

/// The tree and key range a contact scan walks: a scan by anything but a person walks the time
/// index and keeps the entries whose facts pass (see [`ScanBy::keeps`]).
pub(crate) fn scan_range(indexes: &[Tree], scan: &ContactScan) -> (Tree, Vec<u8>, Vec<u8>) {
    let (ix, prefix) = match scan.by {
        ScanBy::Person(id) => (BY_PERSON, id.to_bytes().to_vec()),
        ScanBy::All | ScanBy::Neighborhood(_) | ScanBy::Matching(_) => (BY_TIME, Vec::new()),
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
