//! Merging records that were written in another store (a bundle from a squad member).
//!
//! A record travels with its history, so the receiving side can tell whether its own copy is
//! an older revision of the incoming one (take it), a newer one (keep it), the same one, or a
//! revision edited on both sides since they last agreed (a conflict for a person to settle).
//! Incoming records are written as they are, with their author, revision and times, so the same
//! bundles merge to the same store in any order and any number of times.

use chrono::{DateTime, Utc};
use sled::transaction::{ConflictableTransactionError, Transactional, TransactionalTree};

use super::{indexes, keys, Store, StoreError, StoreResult, Stored};
use crate::model::{Id, Meta, RecordKind, Revision};

/// Runs `$f::<R>(args)` with `R` the record type of `$kind`.
macro_rules! for_kind {
    ($kind:expr, $f:ident($($arg:expr),*)) => {
        match $kind {
            $crate::model::RecordKind::Officer => $f::<$crate::model::Officer>($($arg),*),
            $crate::model::RecordKind::Neighborhood => $f::<$crate::model::Neighborhood>($($arg),*),
            $crate::model::RecordKind::Person => $f::<$crate::model::Person>($($arg),*),
            $crate::model::RecordKind::Contact => $f::<$crate::model::Contact>($($arg),*),
            $crate::model::RecordKind::FollowUp => $f::<$crate::model::FollowUp>($($arg),*),
            $crate::model::RecordKind::JournalNote => $f::<$crate::model::JournalNote>($($arg),*),
            $crate::model::RecordKind::Tag => $f::<$crate::model::Tag>($($arg),*),
            $crate::model::RecordKind::Review => $f::<$crate::model::Review>($($arg),*),
            $crate::model::RecordKind::Problem => $f::<$crate::model::Problem>($($arg),*),
            $crate::model::RecordKind::Priority => $f::<$crate::model::Priority>($($arg),*),
        }
    };
}
pub(crate) use for_kind;

/// One record as one store holds it: its current revision and the revisions it replaced.
#[derive(Debug, Clone, PartialEq)]
pub struct Version {
    pub kind: RecordKind,
    pub id: Id,
    pub revision: u32,
    pub author: Id,
    pub updated_at: DateTime<Utc>,
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
            let typed = R::deserialize(record).map_err(|e| StoreError::Corrupt {
                kind: R::KIND.label(),
                reason: e.to_string(),
            })?;
            typed.validate()?;
            Version::of(&typed, history)
        }
        let version = for_kind!(kind, read(record, history))?;
        let revisions_fit = (1..=MAX_REVISION).contains(&version.revision)
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
            record: serde_json::to_value(record).map_err(|e| StoreError::Write(e.into()))?,
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

    /// The newest revision at which both versions were the same (0 when they never were).
    pub fn common_revision(&self, other: &Version) -> u32 {
        (1..=self.revision.min(other.revision))
            .rev()
            .find(|&r| matches!((self.at(r), other.at(r)), (Some(a), Some(b)) if a == b))
            .unwrap_or(0)
    }

    /// Whether `other` was already kept here as a version set aside in an earlier merge.
    pub fn has_set_aside(&self, other: &Version) -> bool {
        self.history
            .iter()
            .any(|h| h.set_aside && h.previous == other.record)
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

/// What a merge does to one record, decided before the transaction and checked inside it.
#[derive(Debug, Clone)]
pub struct MergeWrite {
    pub kind: RecordKind,
    pub id: Id,
    /// The record the plan saw here (`None`: nothing here). If the log changed since, the
    /// whole merge is refused rather than overwriting the change.
    pub expected_here: Option<serde_json::Value>,
    /// The version to make current, with its history; `None` keeps the one here.
    pub version: Option<Version>,
    /// Set aside the version here, and its history entries from this revision on (the ones the
    /// incoming side never had), so the incoming history can take their place.
    pub set_aside_here_from: Option<u32>,
    /// Versions not taken (the other side of a settled conflict), kept in the history.
    pub set_aside: Vec<Version>,
}

impl MergeWrite {
    /// Takes `version` as it is.
    pub fn take(version: Version, expected_here: Option<serde_json::Value>) -> Self {
        MergeWrite {
            kind: version.kind,
            id: version.id,
            expected_here,
            version: Some(version),
            set_aside_here_from: None,
            set_aside: Vec::new(),
        }
    }
}

/// The revisions a bundle may carry: far beyond any real record's, short of overflowing.
pub const MAX_REVISION: u32 = 1 << 24;

/// History keys at or above this mark hold set-aside versions, apart from the revision chain.
pub(crate) const SET_ASIDE_MARK: u32 = 1 << 31;

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

    /// The records of a kind whose meta passes `keep`, with their history, in id order: the
    /// history (the costly part) is read only for the records kept.
    pub fn versions_where(
        &self,
        kind: RecordKind,
        keep: &dyn Fn(&Meta) -> bool,
    ) -> StoreResult<Vec<Version>> {
        fn read<R: Stored>(
            store: &Store,
            keep: &dyn Fn(&Meta) -> bool,
        ) -> StoreResult<Vec<Version>> {
            let mut out = Vec::new();
            for r in store.iter_all::<R>()? {
                let r = r?;
                if keep(r.meta()) {
                    out.push(Version::of(&r, store.history::<R>(r.id())?)?);
                }
            }
            Ok(out)
        }
        for_kind!(kind, read(self, keep))
    }

    /// Writes incoming versions (each as it came, with the history entries missing here;
    /// indexes follow) in transactions of `step` records each, each flushed, telling `progress`
    /// how many are written and stopping between two steps once `cancel` is set. Each record is
    /// written whole, so a stopped merge is a smaller one: merging the same bundles again takes
    /// the rest (the caller orders the writes so that a record comes after those it refers to).
    /// Returns how many records were written.
    pub fn merge_in_steps(
        &self,
        writes: &[&MergeWrite],
        by: Id,
        step: usize,
        progress: &mut dyn FnMut(usize),
        cancel: &std::sync::atomic::AtomicBool,
    ) -> StoreResult<usize> {
        self.refuse_if_poisoned()?;
        let mut written = 0;
        for chunk in writes.chunks(step.max(1)) {
            if cancel.load(std::sync::atomic::Ordering::Relaxed) {
                break;
            }
            // Each step is durable before the next begins: a failed step leaves the earlier
            // ones written.
            self.merge_step(chunk, by)?;
            written += chunk.len();
            progress(written);
            self.flush()?;
            // Read here, beside the UI, rather than all at once by the next screen.
            let _ = self.catch_up_contact_index();
        }
        Ok(written)
    }

    fn merge_step(&self, writes: &[&MergeWrite], by: Id) -> StoreResult<()> {
        if writes.is_empty() {
            return Ok(());
        }
        let trees = self.all_trees();
        let taken = writes.iter().filter(|w| w.version.is_some()).count();
        let what = super::audit::AuditSubject::counted(&[(taken, "records taken from bundles")]);
        let result = trees[..].transaction(|t: &Vec<TransactionalTree>| {
            for w in writes {
                let tx = super::all_tx_trees(t, w.kind, self.codec());
                for_kind!(w.kind, write_version(&tx, w))
                    .map_err(ConflictableTransactionError::Abort)?;
            }
            if let Some(audit) = t.last() {
                super::audit::append(
                    audit,
                    &super::audit::Event::done(by, "merged", what.clone()),
                )?;
            }
            Ok(())
        });
        self.settle(result)?;
        for w in writes {
            self.wrote(w.kind, [w.id]);
        }
        if let Some(v) = writes.iter().rev().find_map(|w| w.version.as_ref()) {
            self.mark_unsealed(v.kind, v.id, v.revision);
        }
        Ok(())
    }
}

fn write_version<R: Stored>(t: &super::TxTrees<'_>, w: &MergeWrite) -> Result<(), StoreError> {
    let storage = |e: sled::transaction::UnabortableTransactionError| StoreError::Write(e.into());
    let history_key = |revision: u32| keys::history_key(R::KIND as u8, w.id, revision);
    let key = w.id.to_bytes();
    let here: Option<R> = match t.records.get(key).map_err(storage)? {
        Some(bytes) => Some(t.codec.decode_record(&key, &bytes)?),
        None => None,
    };
    let here_now = here
        .as_ref()
        .map(serde_json::to_value)
        .transpose()
        .map_err(|e| StoreError::Write(e.into()))?;
    if here_now != w.expected_here {
        return Err(StoreError::Changed);
    }
    // Set-aside versions go to free slots above the revision chain, each kept once. Their
    // times come from the versions themselves, so the same merge always writes the same bytes.
    let set_aside = |record: serde_json::Value,
                     revision: u32,
                     by: Id,
                     at: DateTime<Utc>|
     -> Result<(), StoreError> {
        let mut slot = SET_ASIDE_MARK;
        while let Some(bytes) = t.history.get(history_key(slot)).map_err(storage)? {
            let kept = t.codec.decode_entry(&history_key(slot), &bytes)?;
            if kept.previous == record {
                return Ok(());
            }
            slot = slot
                .checked_add(1)
                .ok_or(StoreError::Write("too many set-aside versions".into()))?;
        }
        let entry = Revision {
            revision,
            changed_by: by,
            changed_at: at,
            changed: vec!["set aside in a merge".into()],
            previous: record,
            set_aside: true,
        };
        let entry = t.codec.encode_entry(&history_key(slot), &entry)?;
        t.history
            .insert(history_key(slot), entry)
            .map_err(storage)?;
        Ok(())
    };
    for v in &w.set_aside {
        set_aside(v.record.clone(), v.revision, v.author, v.updated_at)?;
    }
    let Some(version) = &w.version else {
        return Ok(());
    };
    let incoming = R::deserialize(&version.record).map_err(|e| StoreError::Corrupt {
        kind: R::KIND.label(),
        reason: e.to_string(),
    })?;
    if let Some(old) = &here {
        indexes::remove_entries(t.indexes, old).map_err(storage)?;
        if let Some(from) = w.set_aside_here_from {
            let old_value = serde_json::to_value(old).map_err(|e| StoreError::Write(e.into()))?;
            let meta = old.meta();
            set_aside(old_value, meta.revision, meta.author, meta.updated_at)?;
            // The revisions here the incoming side never had leave the chain for the set-aside
            // slots, so the incoming history can take their numbers.
            for r in from..old.meta().revision {
                if let Some(bytes) = t.history.remove(history_key(r)).map_err(storage)? {
                    let entry = t.codec.decode_entry(&history_key(r), &bytes)?;
                    set_aside(
                        entry.previous,
                        entry.revision,
                        entry.changed_by,
                        entry.changed_at,
                    )?;
                }
            }
        }
    }
    for h in version.history.iter().filter(|h| !h.set_aside) {
        if t.history
            .get(history_key(h.revision))
            .map_err(storage)?
            .is_none()
        {
            let entry = t.codec.encode_entry(&history_key(h.revision), h)?;
            t.history
                .insert(history_key(h.revision), entry)
                .map_err(storage)?;
        }
    }
    indexes::insert_entries(t.indexes, &incoming).map_err(storage)?;
    t.records
        .insert(&key, t.codec.encode_record(&key, &incoming)?)
        .map_err(storage)?;
    Ok(())
}
