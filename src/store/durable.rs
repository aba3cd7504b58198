//! What makes a save last: the flush with a full sync before a save is reported, the store
//! refusing every write once the disk refused one (it must be reopened), and the seal that
//! names the last record saved (see the `seal` module) so a log that lost it is reported.

use serde::Deserialize;

use super::{contact_bytes, seal, tree_name, Store, StoreError, StoreResult};
use crate::model::{Id, Meta, RecordKind};

impl Store {
    /// Makes every write so far durable. Called before any save is reported to the user.
    ///
    /// sled writes its log and, on Linux, syncs it with `sync_file_range`, which neither
    /// commits file metadata (a grown file's size) nor asks the drive to empty its cache. A
    /// full `fsync` of the log file follows so a save survives a power cut, not only a crash
    /// of the app. On other systems sled already syncs with the full call (`F_FULLFSYNC` on
    /// macOS, `FlushFileBuffers` on Windows).
    pub fn flush(&self) -> StoreResult<()> {
        self.refuse_if_poisoned()?;
        let synced = self
            .db
            .flush()
            .map_err(StoreError::from_sled)
            .and_then(|_| {
                #[cfg(target_os = "linux")]
                if let Some(log) = &self.log_file {
                    log.sync_all().map_err(|e| StoreError::Disk(e.into()))?;
                }
                Ok(())
            });
        if let Err(e) = synced {
            // A failed sync may not fail again when retried (the kernel reports it once), so
            // nothing more is trusted to this store: it must be reopened.
            self.poisoned
                .store(true, std::sync::atomic::Ordering::SeqCst);
            return Err(match e {
                StoreError::Write(m) => StoreError::Disk(m),
                other => other,
            });
        }
        self.write_seal();
        Ok(())
    }

    /// Whether the disk refused a write; the store then has to be reopened.
    pub fn is_poisoned(&self) -> bool {
        self.poisoned.load(std::sync::atomic::Ordering::SeqCst)
    }

    pub(super) fn refuse_if_poisoned(&self) -> StoreResult<()> {
        if self.is_poisoned() {
            return Err(StoreError::Disk("an earlier write failed".into()));
        }
        Ok(())
    }

    /// Notes the record just written as the one the next seal names.
    pub(super) fn mark_unsealed(&self, kind: RecordKind, id: Id, revision: u32) {
        if let Ok(mut u) = self.unsealed.lock() {
            *u = Some(seal::Seal { kind, id, revision });
        }
    }

    /// Writes the pending seal. The seal is only a check for later: if it cannot be written,
    /// the save still stands and the seal is tried again at the next flush.
    pub(super) fn write_seal(&self) {
        let Ok(mut pending) = self.unsealed.lock() else {
            return;
        };
        let Some(last) = *pending else {
            return;
        };
        let Ok(mut file) = self.seal_file.lock() else {
            return;
        };
        if seal::write(&mut file, &self.dir, &last).is_ok() {
            *pending = None;
        }
    }

    /// Refuses a log that lost the last record it acknowledged (see the `seal` module).
    pub(super) fn verify_seal(&self) -> StoreResult<()> {
        let Some(s) = seal::read(&self.dir) else {
            return Ok(());
        };
        let revision = self.stored_revision(s.kind, s.id)?;
        match revision {
            Some(r) if r >= s.revision => Ok(()),
            _ => Err(StoreError::Damaged),
        }
    }

    /// Before the key is known: a log whose sealed record is gone altogether lost its newest
    /// entries (perhaps its key with them), and must not be taken for a new, empty log.
    pub(super) fn refuse_if_sealed_record_gone(&self) -> StoreResult<()> {
        let Some(s) = seal::read(&self.dir) else {
            return Ok(());
        };
        let there = self
            .records(s.kind)
            .contains_key(s.id.to_bytes())
            .map_err(StoreError::from_sled)?;
        if there {
            Ok(())
        } else {
            Err(StoreError::Damaged)
        }
    }

    /// The revision of a stored record as far as it can be read (`None` if it cannot).
    pub(super) fn stored_revision(&self, kind: RecordKind, id: Id) -> StoreResult<Option<u32>> {
        #[derive(Deserialize)]
        struct JustMeta {
            meta: Meta,
        }
        let key = id.to_bytes();
        let stored = self.records(kind).get(key).map_err(StoreError::from_sled)?;
        Ok(stored.and_then(|v| {
            let plain = self.codec().open(tree_name(kind), &key, &v).ok()?;
            if contact_bytes::is_compact(&plain) {
                return contact_bytes::decode_contact(&plain)
                    .ok()
                    .map(|c| c.meta.revision);
            }
            serde_json::from_slice::<JustMeta>(&plain)
                .ok()
                .map(|r| r.meta.revision)
        }))
    }
}
