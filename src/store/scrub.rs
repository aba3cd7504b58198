//! Taking personal data out of records where they are, together with every earlier version of
//! them in the history: the retention purge and a resident's request to be forgotten.
//!
//! Revisions and bookkeeping are left as they are, so two logs scrubbed the same way hold the
//! same records. The edits themselves are the model's ([`Scrub`]).

use sled::transaction::{ConflictableTransactionError, Transactional, TransactionalTree};

use super::merge::for_kind;
use super::{audit, indexes, keys, Store, StoreError, StoreResult, Stored, TxTrees};
use crate::model::{Id, RecordKind, Scrub};

/// One record to scrub.
#[derive(Debug, Clone, PartialEq)]
pub struct ScrubTarget {
    pub kind: RecordKind,
    pub id: Id,
    pub scrub: Scrub,
}

impl Store {
    /// Applies every edit in one transaction (all or none), to each record and to each earlier
    /// version of it, records one audit entry (`action` on `what`), and flushes.
    pub fn scrub(
        &self,
        targets: &[ScrubTarget],
        by: Id,
        action: &str,
        what: &str,
    ) -> StoreResult<()> {
        self.refuse_if_poisoned()?;
        // Transactions cannot scan: each record's history keys are listed first.
        let mut history = Vec::with_capacity(targets.len());
        for t in targets {
            let prefix = keys::history_prefix(t.kind as u8, t.id);
            let keys = self
                .history
                .scan_prefix(prefix)
                .keys()
                .map(|k| k.map(|k| k.to_vec()))
                .collect::<Result<Vec<_>, _>>()
                .map_err(StoreError::from_sled)?;
            history.push(keys);
        }
        let trees = self.all_trees();
        let result = trees[..].transaction(|t: &Vec<TransactionalTree>| {
            for (target, keys) in targets.iter().zip(&history) {
                let tx = super::all_tx_trees(t, target.kind, self.codec());
                for_kind!(target.kind, scrub_record(&tx, target, keys))
                    .map_err(ConflictableTransactionError::Abort)?;
            }
            if let Some(trail) = t.last() {
                audit::append(trail, &audit::Event::done(by, action, what.to_string()))?;
            }
            Ok(())
        });
        self.settle(result)?;
        for t in targets {
            self.wrote(t.kind, [t.id]);
        }
        self.flush()
    }
}

fn scrub_record<R: Stored>(
    t: &TxTrees<'_>,
    target: &ScrubTarget,
    history_keys: &[Vec<u8>],
) -> Result<(), StoreError> {
    let storage =
        |e: sled::transaction::UnabortableTransactionError| StoreError::Write(e.to_string());
    let key = target.id.to_bytes();
    let Some(bytes) = t.records.get(key).map_err(storage)? else {
        return Err(StoreError::NotFound(R::KIND));
    };
    let old: R = t.codec.decode_record(&key, &bytes)?;
    let mut value = serde_json::to_value(&old).map_err(|e| StoreError::Write(e.to_string()))?;
    target.scrub.apply(&mut value, true);
    let new: R = serde_json::from_value(value).map_err(|e| StoreError::Corrupt {
        kind: R::KIND.label(),
        reason: e.to_string(),
    })?;
    new.validate()?;
    indexes::remove_entries(t.indexes, &old).map_err(storage)?;
    indexes::insert_entries(t.indexes, &new).map_err(storage)?;
    t.records
        .insert(&key, t.codec.encode_record(&key, &new)?)
        .map_err(storage)?;
    for hk in history_keys {
        let Some(bytes) = t.history.get(hk).map_err(storage)? else {
            continue;
        };
        let mut entry = t.codec.decode_entry(hk, &bytes)?;
        target.scrub.apply(&mut entry.previous, false);
        t.history
            .insert(hk.as_slice(), t.codec.encode_entry(hk, &entry)?)
            .map_err(storage)?;
    }
    Ok(())
}
