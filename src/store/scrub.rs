//! Taking personal data out of records where they are, together with every earlier version of
//! them in the history: the retention purge and a resident's request to be forgotten.
//!
//! Revisions and bookkeeping are left as they are, so two logs scrubbed the same way hold the
//! same records. The edits themselves are the model's ([`Scrub`]).
//!
//! A forgotten person stays forgotten: the edit that blanks their name (digests only, see
//! [`Scrub::DropPerson`]) is kept under their id, so every later import refuses their record
//! and scrubs whatever else arrives the same way; the backups and replaced folders that held
//! them are removed, and a fresh backup takes their place.

use std::path::PathBuf;

use sled::transaction::{ConflictableTransactionError, Transactional, TransactionalTree};

use super::merge::for_kind;
use super::{
    audit, backup, indexes, keys, AuditSubject, BackupInfo, Store, StoreError, StoreResult, Stored,
    TxTrees,
};
use crate::model::{Id, RecordKind, Scrub};

/// The meta keys of forgotten people: this prefix and the person's id.
pub(super) const META_FORGOTTEN: &[u8] = b"forgotten:";

fn forgotten_key(person: Id) -> Vec<u8> {
    let mut key = META_FORGOTTEN.to_vec();
    key.extend_from_slice(&person.to_bytes());
    key
}

/// What forgetting a person did beyond the log itself.
#[derive(Debug, Clone, PartialEq)]
pub struct Forgetting {
    /// Backups that held the person, removed.
    pub backups_removed: Vec<PathBuf>,
    /// Logs kept aside by earlier restores or repairs (`store.replaced-*`), removed.
    pub replaced_removed: usize,
    /// The backup taken afterwards, so a restore point remains.
    pub backup: BackupInfo,
}

impl Forgetting {
    /// What happened to the copies of the log, in words for the officer.
    pub fn copies_removed(&self) -> String {
        let backups = match self.backups_removed.len() {
            0 => "No backup held them".to_string(),
            1 => "The 1 backup that held them was deleted".to_string(),
            n => format!("The {n} backups that held them were deleted"),
        };
        let replaced = match self.replaced_removed {
            0 => String::new(),
            1 => ", as was 1 earlier copy of the log kept aside".to_string(),
            n => format!(", as were {n} earlier copies of the log kept aside"),
        };
        format!("{backups}{replaced}; a new backup was taken.")
    }
}

/// A forgotten person as later imports need them: their id and the edit that blanks their name.
#[derive(Debug, Clone, PartialEq)]
pub struct ForgottenPerson {
    pub person: Id,
    pub drop: Scrub,
}

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
        action: &'static str,
        what: AuditSubject,
    ) -> StoreResult<()> {
        self.scrub_keeping(targets, by, action, what, None)
    }

    /// Forgets `person` at their request: every edit of `targets` (the person's own `Forget`
    /// and `drop` on each record that names them) in one transaction together with the kept
    /// `drop`, then removes the backups and replaced folders that still hold them and takes a
    /// fresh backup.
    pub fn forget_person(
        &self,
        person: Id,
        drop: &Scrub,
        targets: &[ScrubTarget],
        by: Id,
    ) -> StoreResult<Forgetting> {
        let key = forgotten_key(person);
        let kept = self.codec().encode("meta", &key, drop)?;
        self.scrub_keeping(
            targets,
            by,
            "forgot a person at their request",
            AuditSubject::record(RecordKind::Person, person),
            Some((key, kept)),
        )?;
        // Before the fresh backup, so that it holds no decision naming them either.
        self.unlink_person_everywhere(person)?;
        let backups_removed =
            backup::remove_backups_holding(&self.dir, RecordKind::Person, person)?;
        let replaced_removed = backup::remove_replaced_logs(&self.dir)?;
        let backup = self.backup("after forgetting a person")?;
        Ok(Forgetting {
            backups_removed,
            replaced_removed,
            backup,
        })
    }

    /// Every person forgotten in this log, with the edit that blanks their name.
    pub fn forgotten_people(&self) -> StoreResult<Vec<ForgottenPerson>> {
        let mut out = Vec::new();
        for kv in self.meta.scan_prefix(META_FORGOTTEN) {
            let (key, value) = kv.map_err(StoreError::from_sled)?;
            let person = key
                .get(META_FORGOTTEN.len()..)
                .and_then(Id::from_bytes)
                .ok_or(StoreError::Corrupt {
                    kind: "forgotten person",
                    reason: "its key is not an id".into(),
                })?;
            let drop = self
                .codec()
                .decode("meta", "forgotten person", &key, &value)?;
            out.push(ForgottenPerson { person, drop });
        }
        Ok(out)
    }

    fn scrub_keeping(
        &self,
        targets: &[ScrubTarget],
        by: Id,
        action: &'static str,
        what: AuditSubject,
        keep: Option<(Vec<u8>, Vec<u8>)>,
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
        // The meta tree follows the audit trail, so that what is kept about the scrub is
        // written with it.
        let mut trees = self.all_trees();
        trees.push(&self.meta);
        let result = trees[..].transaction(|t: &Vec<TransactionalTree>| {
            for (target, keys) in targets.iter().zip(&history) {
                let tx = super::all_tx_trees(t, target.kind, self.codec());
                for_kind!(target.kind, scrub_record(&tx, target, keys))
                    .map_err(ConflictableTransactionError::Abort)?;
            }
            if let [.., trail, meta] = &t[..] {
                audit::append(trail, &audit::Event::done(by, action, what.clone()))?;
                if let Some((key, value)) = &keep {
                    meta.insert(key.as_slice(), value.as_slice())?;
                }
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
    let storage = |e: sled::transaction::UnabortableTransactionError| StoreError::Write(e.into());
    let key = target.id.to_bytes();
    let Some(bytes) = t.records.get(key).map_err(storage)? else {
        return Err(StoreError::NotFound(R::KIND));
    };
    let old: R = t.codec.decode_record(&key, &bytes)?;
    let mut value = serde_json::to_value(&old).map_err(|e| StoreError::Write(e.into()))?;
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
