//! Writing one record: its new revision, the replaced one kept in the history, its index
//! entries and (unless bulk work records itself) an audit entry, all in one transaction.

use chrono::{DateTime, Utc};
use sled::transaction::{
    ConflictableTransactionError, TransactionError, Transactional, TransactionalTree,
};
use sled::Tree;

use super::codec::Codec;
use super::{audit, indexes, keys, Store, StoreError, StoreResult, Stored};
use crate::model::{changed_fields, Id, Meta, RecordKind, Revision};

impl Store {
    /// Saves and flushes: when this returns Ok, the record is on disk.
    pub fn save<R: Stored>(&self, record: R, by: Id) -> StoreResult<R> {
        let saved = self.stage(record, by)?;
        self.flush()?;
        Ok(saved)
    }

    /// Writes a record with its history and index entries in one transaction, without flushing
    /// (bulk work flushes once at the end). A new record has revision 1; an edit must carry the
    /// revision it was read at, or it is refused as a conflict.
    pub fn stage<R: Stored>(&self, record: R, by: Id) -> StoreResult<R> {
        self.stage_with(record, by, true)
    }

    /// `stage` for bulk work (the demo precinct) that records one summary entry in the audit
    /// trail itself instead of one per record.
    pub fn stage_unrecorded<R: Stored>(&self, record: R, by: Id) -> StoreResult<R> {
        self.stage_with(record, by, false)
    }

    pub(super) fn stage_with<R: Stored>(
        &self,
        record: R,
        by: Id,
        recorded: bool,
    ) -> StoreResult<R> {
        self.refuse_if_poisoned()?;
        record.validate()?;
        record.validate_among(self)?;
        let records = self.records(R::KIND);
        let mut trees: Vec<&Tree> = vec![records, &self.history];
        trees.extend(self.indexes.iter());
        trees.push(&self.audit);
        let now = Utc::now();
        let result = trees[..].transaction(|t: &Vec<TransactionalTree>| {
            let tx = TxTrees {
                codec: self.codec(),
                records: &t[0],
                history: &t[1],
                indexes: &t[2..2 + indexes::INDEX_COUNT],
                audit: recorded.then(|| &t[2 + indexes::INDEX_COUNT]),
            };
            write_record(&tx, &record, by, now).map_err(ConflictableTransactionError::Abort)
        });
        let saved = self.settle(result)?;
        self.wrote(R::KIND, [saved.id()]);
        self.mark_unsealed(R::KIND, saved.id(), saved.meta().revision);
        Ok(saved)
    }

    /// A transaction's outcome as the store's: a refusal is passed on, and a failure of the disk
    /// poisons the store (see [`Store::is_poisoned`]).
    pub(super) fn settle<T>(
        &self,
        result: Result<T, TransactionError<StoreError>>,
    ) -> StoreResult<T> {
        match result {
            Ok(v) => Ok(v),
            Err(TransactionError::Abort(e)) => Err(e),
            Err(TransactionError::Storage(e)) => {
                self.poisoned
                    .store(true, std::sync::atomic::Ordering::SeqCst);
                Err(StoreError::from_sled(e))
            }
        }
    }

    /// Marks a record deleted (a tombstone that can be undone) and flushes.
    pub fn delete<R: Stored>(&self, id: Id, by: Id) -> StoreResult<R> {
        self.set_deleted::<R>(id, by, true)
    }

    /// Undoes a delete and flushes.
    pub fn restore<R: Stored>(&self, id: Id, by: Id) -> StoreResult<R> {
        self.set_deleted::<R>(id, by, false)
    }

    pub(super) fn set_deleted<R: Stored>(&self, id: Id, by: Id, deleted: bool) -> StoreResult<R> {
        let mut r: R = self.get(id)?.ok_or(StoreError::NotFound(R::KIND))?;
        r.meta_mut().deleted = deleted;
        self.save(r, by)
    }
}

/// The trees one record write touches, inside a transaction.
pub(super) struct TxTrees<'a> {
    pub(super) codec: Codec<'a>,
    pub(super) records: &'a TransactionalTree,
    pub(super) history: &'a TransactionalTree,
    pub(super) indexes: &'a [TransactionalTree],
    /// Where each write is recorded; `None` when the caller records the whole batch at once.
    pub(super) audit: Option<&'a TransactionalTree>,
}

/// The trees of a transaction over every record tree, the history, the indexes and the audit
/// trail, in that order (see `Store::all_trees`).
pub(super) fn all_tx_trees<'a>(
    t: &'a [TransactionalTree],
    kind: RecordKind,
    codec: Codec<'a>,
) -> TxTrees<'a> {
    let history = RecordKind::ALL.len();
    TxTrees {
        codec,
        records: &t[kind as usize],
        history: &t[history],
        indexes: &t[history + 1..history + 1 + indexes::INDEX_COUNT],
        audit: None,
    }
}

pub(super) fn write_record<R: Stored>(
    t: &TxTrees<'_>,
    record: &R,
    by: Id,
    now: DateTime<Utc>,
) -> Result<R, StoreError> {
    let key = record.id().to_bytes();
    let storage = |e: sled::transaction::UnabortableTransactionError| StoreError::Write(e.into());
    let mut new = record.clone();
    let action;
    match t.records.get(key).map_err(storage)? {
        None => {
            if new.meta().revision != 1 {
                return Err(StoreError::NotFound(R::KIND));
            }
            action = "created";
        }
        Some(old_bytes) => {
            let old: R = t.codec.decode_record(&key, &old_bytes)?;
            if old.meta().revision != new.meta().revision {
                return Err(StoreError::Conflict(R::KIND));
            }
            let changed = changed_fields(&old, &new);
            if changed.is_empty() {
                return Ok(old);
            }
            action = match (old.meta().deleted, new.meta().deleted) {
                (false, true) => "deleted",
                (true, false) => "restored",
                _ => "edited",
            };
            let entry = Revision {
                revision: old.meta().revision,
                changed_by: by,
                changed_at: now,
                changed,
                previous: serde_json::to_value(&old).map_err(|e| StoreError::Write(e.into()))?,
                set_aside: false,
            };
            let entry_key = keys::history_key(R::KIND as u8, old.id(), old.meta().revision);
            let entry = t.codec.encode_entry(&entry_key, &entry)?;
            t.history.insert(entry_key, entry).map_err(storage)?;
            indexes::remove_entries(t.indexes, &old).map_err(storage)?;
            let meta = new.meta_mut();
            meta.revision = old.meta().revision + 1;
            meta.created_at = old.meta().created_at;
            meta.created_by = Some(first_author(t, &old)?);
            meta.updated_at = now;
            meta.author = by;
        }
    }
    indexes::insert_entries(t.indexes, &new).map_err(storage)?;
    t.records
        .insert(&key, t.codec.encode_record(&key, &new)?)
        .map_err(storage)?;
    if let Some(audit) = t.audit {
        let what = audit::AuditSubject::record(R::KIND, new.id());
        audit::append(audit, &audit::Event::done(by, action, what)).map_err(storage)?;
    }
    Ok(new)
}

/// Who first wrote a record. Records from before this was kept name only their last author;
/// their first revision, in the history, still names the first.
pub(super) fn first_author<R: Stored>(t: &TxTrees<'_>, record: &R) -> Result<Id, StoreError> {
    let meta = record.meta();
    if let Some(owner) = meta.created_by {
        return Ok(owner);
    }
    if meta.revision <= 1 {
        return Ok(meta.author);
    }
    let first_key = keys::history_key(R::KIND as u8, meta.id, 1);
    let first = t
        .history
        .get(&first_key)
        .map_err(|e| StoreError::Write(e.into()))?
        .and_then(|bytes| t.codec.decode_entry(&first_key, &bytes).ok())
        .and_then(|r| serde_json::from_value::<Meta>(r.previous.get("meta")?.clone()).ok());
    Ok(first.map_or(meta.author, |m| m.owner()))
}
