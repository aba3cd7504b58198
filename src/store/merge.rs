//! Merging records that were written in another store (a bundle from a squad member).
//!
//! A record travels with its history, so the receiving side can tell whether its own copy is
//! an older revision of the incoming one (take it), a newer one (keep it), the same one, or a
//! revision edited on both sides since they last agreed (a conflict for a person to settle).
//! Incoming records are written as they are, with their author, revision and times, so the same
//! bundles merge to the same store in any order and any number of times.

use chrono::{DateTime, Utc};
use sled::transaction::{ConflictableTransactionError, Transactional, TransactionalTree};
use sled::Tree;

use super::{decode, encode, keys, Store, StoreError, StoreResult, Stored};
use crate::model::{
    Contact, FollowUp, Id, JournalNote, Neighborhood, Officer, Person, RecordKind, Review,
    Revision, Tag,
};

/// Runs `$f::<R>(args)` with `R` the record type of `$kind`.
macro_rules! for_kind {
    ($kind:expr, $f:ident($($arg:expr),*)) => {
        match $kind {
            RecordKind::Officer => $f::<Officer>($($arg),*),
            RecordKind::Neighborhood => $f::<Neighborhood>($($arg),*),
            RecordKind::Person => $f::<Person>($($arg),*),
            RecordKind::Contact => $f::<Contact>($($arg),*),
            RecordKind::FollowUp => $f::<FollowUp>($($arg),*),
            RecordKind::JournalNote => $f::<JournalNote>($($arg),*),
            RecordKind::Tag => $f::<Tag>($($arg),*),
            RecordKind::Review => $f::<Review>($($arg),*),
        }
    };
}

/// One record as one store holds it: its current revision and the revisions it replaced.
#[derive(Debug, Clone, PartialEq)]
pub struct Version {
    pub kind: RecordKind,
    pub id: Id,
    pub revision: u32,
    pub author: Id,
    pub updated_at: DateTime<Utc>,
    pub deleted: bool,
    /// The record as JSON, in the form the store writes it.
    pub record: serde_json::Value,
    pub history: Vec<Revision>,
}

/// How an incoming version stands to the one already here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Relation {
    /// Not here yet.
    New,
    /// The same revision, identical.
    Same,
    /// A later revision of the copy here.
    Newer,
    /// An earlier revision of the copy here.
    Older,
    /// Edited on both sides since their common revision (or never shared a history).
    Diverged,
}

impl Version {
    /// Reads and checks a record of `kind` from JSON: it must decode and pass validation.
    pub fn from_json(
        kind: RecordKind,
        record: &serde_json::Value,
        history: Vec<Revision>,
    ) -> StoreResult<Version> {
        fn read<R: Stored>(
            record: &serde_json::Value,
            history: Vec<Revision>,
        ) -> StoreResult<Version> {
            let typed: R =
                serde_json::from_value(record.clone()).map_err(|e| StoreError::Corrupt {
                    kind: R::KIND.label(),
                    reason: e.to_string(),
                })?;
            typed.validate()?;
            Version::of(&typed, history)
        }
        let version = for_kind!(kind, read(record, history))?;
        let revisions_fit = version.revision >= 1
            && version
                .history
                .iter()
                .all(|h| h.set_aside || h.revision < version.revision);
        if !revisions_fit {
            return Err(StoreError::Corrupt {
                kind: kind.label(),
                reason: "its history does not fit its revision".into(),
            });
        }
        Ok(version)
    }

    fn of<R: Stored>(record: &R, history: Vec<Revision>) -> StoreResult<Version> {
        let meta = record.meta();
        Ok(Version {
            kind: R::KIND,
            id: meta.id,
            revision: meta.revision,
            author: meta.author,
            updated_at: meta.updated_at,
            deleted: meta.deleted,
            record: serde_json::to_value(record).map_err(|e| StoreError::Write(e.to_string()))?,
            history,
        })
    }

    /// This record as it was at `revision`, if its history reaches back there.
    fn at(&self, revision: u32) -> Option<&serde_json::Value> {
        if revision == self.revision {
            return Some(&self.record);
        }
        self.history
            .iter()
            .find(|h| h.revision == revision && !h.set_aside)
            .map(|h| &h.previous)
    }

    /// How `self`, arriving, stands to `here` (`None`: nothing here yet).
    pub fn relation_to(&self, here: Option<&Version>) -> Relation {
        let Some(here) = here else {
            return Relation::New;
        };
        use std::cmp::Ordering::*;
        match self.revision.cmp(&here.revision) {
            Equal if self.record == here.record => Relation::Same,
            Greater if self.at(here.revision) == Some(&here.record) => Relation::Newer,
            Less if here.at(self.revision) == Some(&self.record) => Relation::Older,
            _ => Relation::Diverged,
        }
    }
}

/// One incoming version to write; `set_aside_local` keeps the copy here in its history
/// (a conflict settled in favour of the incoming side).
#[derive(Debug, Clone)]
pub struct MergeWrite {
    pub version: Version,
    pub set_aside_local: bool,
}

/// History keys at or above this mark hold set-aside versions, apart from the revision chain.
const SET_ASIDE_MARK: u32 = 1 << 31;

impl Store {
    /// The record here with this id, with its history.
    pub fn version(&self, kind: RecordKind, id: Id) -> StoreResult<Option<Version>> {
        fn read<R: Stored>(store: &Store, id: Id) -> StoreResult<Option<Version>> {
            match store.get::<R>(id)? {
                Some(r) => Version::of(&r, store.history::<R>(id)?).map(Some),
                None => Ok(None),
            }
        }
        for_kind!(kind, read(self, id))
    }

    /// Every record of a kind (tombstones included) with its history, in id order.
    pub fn versions(&self, kind: RecordKind) -> StoreResult<Vec<Version>> {
        fn read<R: Stored>(store: &Store) -> StoreResult<Vec<Version>> {
            store
                .iter_all::<R>()?
                .map(|r| {
                    let r = r?;
                    let history = store.history::<R>(r.id())?;
                    Version::of(&r, history)
                })
                .collect()
        }
        for_kind!(kind, read(self))
    }

    /// Writes incoming versions in one transaction (all or nothing) and flushes. Each is written
    /// as it came, with the history entries missing here; indexes follow.
    pub fn merge(&self, writes: &[MergeWrite]) -> StoreResult<()> {
        self.refuse_if_poisoned()?;
        if writes.is_empty() {
            return Ok(());
        }
        let mut trees: Vec<&Tree> = self.records.iter().collect();
        trees.push(&self.history);
        trees.extend(self.indexes.iter());
        let now = Utc::now();
        let result = trees[..].transaction(|t: &Vec<TransactionalTree>| {
            for w in writes {
                let tx = super::TxTrees {
                    records: &t[w.version.kind as usize],
                    history: &t[RecordKind::ALL.len()],
                    indexes: &t[RecordKind::ALL.len() + 1..],
                };
                for_kind!(w.version.kind, write_version(&tx, w, now))
                    .map_err(ConflictableTransactionError::Abort)?;
            }
            Ok(())
        });
        self.settle(result)?;
        if let Some(last) = writes.last() {
            let v = &last.version;
            self.mark_unsealed(v.kind, v.id, v.revision);
        }
        self.flush()
    }
}

fn write_version<R: Stored>(
    t: &super::TxTrees<'_>,
    w: &MergeWrite,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let storage =
        |e: sled::transaction::UnabortableTransactionError| StoreError::Write(e.to_string());
    let incoming: R =
        serde_json::from_value(w.version.record.clone()).map_err(|e| StoreError::Corrupt {
            kind: R::KIND.label(),
            reason: e.to_string(),
        })?;
    let key = incoming.id().to_bytes();
    if let Some(old_bytes) = t.records.get(key).map_err(storage)? {
        let old: R = decode(&old_bytes)?;
        for (ix, k) in old.index_entries() {
            t.indexes[ix].remove(k).map_err(storage)?;
        }
        if w.set_aside_local {
            let entry = Revision {
                revision: old.meta().revision,
                changed_by: incoming.meta().author,
                changed_at: now,
                changed: super::changed_fields(&old, &incoming),
                previous: serde_json::to_value(&old)
                    .map_err(|e| StoreError::Write(e.to_string()))?,
                set_aside: true,
            };
            let entry = serde_json::to_vec(&entry).map_err(|e| StoreError::Write(e.to_string()))?;
            let mut slot = SET_ASIDE_MARK;
            while t
                .history
                .get(keys::history_key(R::KIND as u8, old.id(), slot))
                .map_err(storage)?
                .is_some()
            {
                slot += 1;
            }
            t.history
                .insert(keys::history_key(R::KIND as u8, old.id(), slot), entry)
                .map_err(storage)?;
        }
    }
    for h in w.version.history.iter().filter(|h| !h.set_aside) {
        let hk = keys::history_key(R::KIND as u8, incoming.id(), h.revision);
        if t.history.get(&hk).map_err(storage)?.is_none() {
            let entry = serde_json::to_vec(h).map_err(|e| StoreError::Write(e.to_string()))?;
            t.history.insert(hk, entry).map_err(storage)?;
        }
    }
    for (ix, k) in incoming.index_entries() {
        t.indexes[ix].insert(k, &[]).map_err(storage)?;
    }
    t.records
        .insert(&key, encode(&incoming)?)
        .map_err(storage)?;
    Ok(())
}
