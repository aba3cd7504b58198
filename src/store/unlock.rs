//! Opening a protected log: the locked store, unlocking it (with the failed-attempt count and
//! lockout), locking it again, protecting an older unprotected log, and changing the
//! passphrase.

use std::path::Path;

use chrono::{DateTime, Utc};

use super::vault::{
    self, Envelope, Failures, Passphrase, META_CLEANUP, META_FAILURES, META_KEY_CHECK, META_VAULT,
};
use super::{
    backup, folder, migrate, tree_name, Opening, Store, StoreError, StoreResult, HISTORY_TREE,
    STORE_FOLDER,
};
use crate::model::{passphrase_problem, RecordKind};

/// A log whose folder is open and locked for this app, but whose key is not: nothing in it can
/// be read until [`LockedStore::unlock`].
pub struct LockedStore {
    store: Store,
}

/// Whether a log already has a passphrase.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protection {
    /// A new, empty log: the passphrase given first protects it.
    New,
    /// A log from before encryption: the passphrase given first protects it, and every entry
    /// is encrypted after a backup.
    Unprotected,
    Protected,
}

impl LockedStore {
    /// Opens the log in `dir/store` without unlocking it.
    pub fn open(dir: &Path) -> StoreResult<Self> {
        let lock = folder::FolderLock::acquire(dir)?;
        backup::finish_interrupted_restore(dir)?;
        let store = Store::open_at(dir, dir.join(STORE_FOLDER), Opening::Primary, lock)?;
        Ok(LockedStore { store })
    }

    pub fn dir(&self) -> &Path {
        self.store.dir()
    }

    pub fn protection(&self) -> StoreResult<Protection> {
        if self.store.is_protected()? {
            return Ok(Protection::Protected);
        }
        let empty = RecordKind::ALL
            .iter()
            .all(|k| self.store.records(*k).is_empty());
        Ok(if empty {
            Protection::New
        } else {
            Protection::Unprotected
        })
    }

    /// Until when the log refuses passphrases, if it does at `now`.
    pub fn locked_out_until(&self, now: DateTime<Utc>) -> StoreResult<Option<DateTime<Utc>>> {
        Ok(self.store.failures()?.lockout(now))
    }

    /// Unlocks the log with `passphrase` at `now`, or hands the locked log back with the reason.
    /// A new or unprotected log takes `passphrase` as its own, if the policy accepts it.
    pub fn unlock(
        mut self,
        passphrase: &Passphrase,
        now: DateTime<Utc>,
    ) -> Result<Store, Box<Refused>> {
        let dir = self.dir().to_path_buf();
        match self.try_unlock(passphrase, now) {
            Ok(Unlocked::Ready) => Ok(self.store),
            // The encrypted copy takes the old log's place as the folder is opened again.
            Ok(Unlocked::CopyStaged) => {
                self.store
                    .close_keeping_key()
                    .reopen(&dir)
                    .map_err(|error| {
                        Box::new(Refused {
                            locked: LockedStore::open(&dir).ok(),
                            error,
                        })
                    })
            }
            Err(error) => {
                self.store.cipher = None;
                Err(Box::new(Refused {
                    locked: Some(self),
                    error,
                }))
            }
        }
    }

    fn try_unlock(&mut self, passphrase: &Passphrase, now: DateTime<Utc>) -> StoreResult<Unlocked> {
        let store = &mut self.store;
        let failures = store.failures()?;
        if let Some(until) = failures.lockout(now) {
            return Err(StoreError::LockedOut { until });
        }
        let Some(envelope) = store.envelope()? else {
            return store.protect(passphrase);
        };
        let Some(cipher) = vault::unwrap(&envelope, passphrase)? else {
            return Err(store.wrong_passphrase("unlock", now));
        };
        if store.key_check()?.is_none() {
            store.meta_insert(META_KEY_CHECK, &cipher.key_check()?)?;
        }
        store.cipher = Some(Box::new(cipher));
        if failures.count > 0 || failures.locked_until.is_some() {
            store.set_failures(&Failures::default())?;
        }
        store.finish_unlock("unlocked")?;
        Ok(Unlocked::Ready)
    }
}

/// Why a log stayed locked, with the locked log to try again (when it could be kept open).
pub struct Refused {
    pub locked: Option<LockedStore>,
    pub error: StoreError,
}

enum Unlocked {
    Ready,
    /// An encrypted copy of an unprotected log waits beside it, to be swapped in on reopening.
    CopyStaged,
}

fn encode_envelope(envelope: &Envelope) -> StoreResult<Vec<u8>> {
    serde_json::to_vec(envelope).map_err(|e| StoreError::Write(e.to_string()))
}

/// The key of a log closed for a moment (a restore, a reopen after a disk fault).
pub struct KeptKey {
    cipher: Option<Box<vault::Cipher>>,
}

impl KeptKey {
    /// Whether there is a key (a log from before encryption has none).
    pub fn holds_key(&self) -> bool {
        self.cipher.is_some()
    }

    /// Opens the log in `dir` with this key.
    pub fn reopen(self, dir: &Path) -> StoreResult<Store> {
        let mut store = LockedStore::open(dir)?.store;
        // The log on disk may not be the one this key came from (a restore went in meanwhile).
        let fits = match &self.cipher {
            Some(cipher) => store
                .key_check()?
                .is_some_and(|c| cipher.opens_key_check(&c)),
            None => !store.is_protected()?,
        };
        if !fits {
            return Err(StoreError::NotUnlocked);
        }
        store.cipher = self.cipher;
        store.finish_unlock("reopened")?;
        Ok(store)
    }
}

impl Store {
    /// Checks and upgrades a log just unlocked, and records the unlock.
    fn finish_unlock(&mut self, action: &str) -> StoreResult<()> {
        self.accept_plain = !self.is_protected()?;
        self.verify_seal()?;
        migrate::bring_up_to_date(self, true)?;
        if self.meta_has(META_CLEANUP)? {
            // A clean-up that fails (a full disk) does not keep the log shut: it is recorded
            // and tried again at the next unlock.
            if let Err(e) = self.forget_unencrypted_copies() {
                let _ = self.record_event(
                    "removed unencrypted copies",
                    "the log",
                    &format!("failed, tried again at the next unlock: {e}"),
                );
            }
        }
        // Before set-up the log is empty and there is nobody to name in the trail.
        if self.profile()?.is_none() {
            return Ok(());
        }
        self.record_event(action, "the log", "done")
    }

    /// Closes the log and opens it again with the same key, without asking for the passphrase
    /// (after the disk refused a write, sled must be reopened).
    pub fn reopen(self) -> StoreResult<Store> {
        let dir = self.dir.clone();
        self.close_keeping_key().reopen(&dir)
    }

    /// Closes the log but keeps its key in memory, to open it again without the passphrase.
    pub fn close_keeping_key(mut self) -> KeptKey {
        KeptKey {
            cipher: self.cipher.take(),
        }
    }

    /// Whether the log has a passphrase.
    pub(crate) fn is_protected(&self) -> StoreResult<bool> {
        self.meta_has(META_VAULT)
    }

    fn meta_has(&self, key: &[u8]) -> StoreResult<bool> {
        self.meta.contains_key(key).map_err(StoreError::from_sled)
    }

    fn meta_insert(&self, key: &[u8], value: &[u8]) -> StoreResult<()> {
        self.meta
            .insert(key, value)
            .map(|_| ())
            .map_err(StoreError::from_sled)
    }

    fn key_check(&self) -> StoreResult<Option<sled::IVec>> {
        self.meta.get(META_KEY_CHECK).map_err(StoreError::from_sled)
    }

    fn envelope(&self) -> StoreResult<Option<Envelope>> {
        let Some(bytes) = self.meta.get(META_VAULT).map_err(StoreError::from_sled)? else {
            return Ok(None);
        };
        serde_json::from_slice(&bytes)
            .map(Some)
            .map_err(|e| StoreError::Corrupt {
                kind: "key",
                reason: e.to_string(),
            })
    }

    fn failures(&self) -> StoreResult<Failures> {
        Ok(self
            .meta
            .get(META_FAILURES)
            .map_err(StoreError::from_sled)?
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default())
    }

    /// Counts a wrong passphrase typed at `now` (for `action`) toward the lockout, records it
    /// in the audit trail, and says how it stands.
    fn wrong_passphrase(&self, action: &str, now: DateTime<Utc>) -> StoreError {
        let mut failures = match self.failures() {
            Ok(f) => f,
            Err(e) => return e,
        };
        failures.add(now);
        if let Err(e) = self.set_failures(&failures) {
            return e;
        }
        let _ = self.record_event(action, "the log", "wrong passphrase");
        match failures.lockout(now) {
            Some(until) => StoreError::LockedOut { until },
            None => StoreError::WrongPassphrase {
                attempts_left: failures.attempts_left(),
            },
        }
    }

    fn set_failures(&self, failures: &Failures) -> StoreResult<()> {
        let bytes = serde_json::to_vec(failures).map_err(|e| StoreError::Write(e.to_string()))?;
        self.meta_insert(META_FAILURES, &bytes)?;
        self.flush()
    }

    /// Locks the log: the key is wiped from memory and the folder stays held by this app.
    pub fn lock(mut self) -> LockedStore {
        self.cipher = None;
        let _ = self.record_event("locked", "the log", "done");
        LockedStore { store: self }
    }

    /// Replaces the passphrase after checking the current one (a wrong one counts toward the
    /// lockout). The data key stays the same and is rewrapped in one write, so a crash leaves
    /// one of the two passphrases working; the backups holding the old wrapped key get the new
    /// one, so the old passphrase opens none of them either.
    pub fn change_passphrase(&self, current: &Passphrase, new: &Passphrase) -> StoreResult<()> {
        self.refuse_if_poisoned()?;
        if let Some(problem) = passphrase_problem(new.as_str()) {
            return Err(StoreError::WeakPassphrase(problem));
        }
        let envelope = self.envelope()?.ok_or(StoreError::NotUnlocked)?;
        let Some(rewrapped) = vault::rewrap(&envelope, current, new)? else {
            return Err(self.wrong_passphrase("changed the passphrase", Utc::now()));
        };
        let old = self
            .meta
            .get(META_VAULT)
            .map_err(StoreError::from_sled)?
            .map(|v| v.to_vec())
            .unwrap_or_default();
        let new = encode_envelope(&rewrapped)?;
        self.meta_insert(META_VAULT, &new)?;
        self.flush()?;
        let outcome = match backup::rewrap_backups(&self.dir, &old, &new) {
            Ok(_) => "done".to_string(),
            Err(e) => format!("done; some backups still open with the old passphrase ({e})"),
        };
        self.record_event("changed the passphrase", "the log", &outcome)
    }

    /// Gives a log being restored the key its backup was opened with.
    pub(crate) fn use_key(&mut self, cipher: Option<vault::Cipher>) {
        self.cipher = cipher.map(Box::new);
    }

    /// Gives a log without a passphrase its first one. A new log just keeps the wrapped key; an
    /// older log with entries is copied, every value encrypted, into a folder beside it that
    /// replaces it when the folder is next opened (sled never overwrites old values in place,
    /// so encrypting them where they are would leave them readable in its files).
    fn protect(&mut self, passphrase: &Passphrase) -> StoreResult<Unlocked> {
        if let Some(problem) = passphrase_problem(passphrase.as_str()) {
            return Err(StoreError::WeakPassphrase(problem));
        }
        let (envelope, cipher) = vault::create(passphrase)?;
        let vault_meta = [
            (META_VAULT, encode_envelope(&envelope)?),
            (META_KEY_CHECK, cipher.key_check()?),
        ];
        let has_records = RecordKind::ALL.iter().any(|k| !self.records(*k).is_empty());
        if has_records {
            self.stage_encrypted_copy(&cipher, &vault_meta)?;
            self.cipher = Some(Box::new(cipher));
            return Ok(Unlocked::CopyStaged);
        }
        let mut batch = sled::Batch::default();
        for (key, value) in &vault_meta {
            batch.insert(*key, value.as_slice());
        }
        self.meta
            .apply_batch(batch)
            .map_err(StoreError::from_sled)?;
        self.flush()?;
        self.cipher = Some(Box::new(cipher));
        self.finish_unlock("unlocked")?;
        Ok(Unlocked::Ready)
    }

    /// Writes every tree of this (unprotected) log into the restore staging folder, record and
    /// history values encrypted, and marks the copy complete.
    fn stage_encrypted_copy(
        &self,
        cipher: &vault::Cipher,
        vault_meta: &[(&[u8], Vec<u8>)],
    ) -> StoreResult<()> {
        let failed = |e: &dyn std::fmt::Display| {
            StoreError::Write(format!("the encrypted copy could not be written ({e})"))
        };
        let staging = self.dir.join(backup::STAGING_FOLDER);
        if staging.exists() {
            std::fs::remove_dir_all(&staging).map_err(|e| failed(&e))?;
        }
        let sealed: Vec<&str> = RecordKind::ALL
            .iter()
            .map(|k| tree_name(*k))
            .chain([HISTORY_TREE])
            .collect();
        {
            let copy = folder::open_db(&staging)?;
            for name in self.db.tree_names() {
                let from = self.db.open_tree(&name).map_err(StoreError::from_sled)?;
                let to = copy.open_tree(&name).map_err(|e| failed(&e))?;
                let seal_as = std::str::from_utf8(&name)
                    .ok()
                    .filter(|n| sealed.contains(n));
                for kv in from.iter() {
                    let (k, v) = kv.map_err(StoreError::from_sled)?;
                    let value = match seal_as {
                        Some(tree) => cipher.seal(tree, &k, &v)?,
                        None => v.to_vec(),
                    };
                    to.insert(k, value).map_err(|e| failed(&e))?;
                }
            }
            let meta = copy.open_tree("meta").map_err(|e| failed(&e))?;
            for (key, value) in vault_meta {
                meta.insert(key, value.as_slice()).map_err(|e| failed(&e))?;
            }
            meta.insert(META_CLEANUP, b"1".as_slice())
                .map_err(|e| failed(&e))?;
            copy.flush().map_err(|e| failed(&e))?;
        }
        backup::write_synced(&self.dir.join(backup::STAGING_DONE)).map_err(|e| failed(&e))
    }

    /// Once a log is encrypted, the copies of it from before (the replaced folder and earlier
    /// backups) still hold its entries in the clear: a fresh backup is verified, then every
    /// unencrypted copy is removed. Resumed at the next unlock if interrupted.
    fn forget_unencrypted_copies(&self) -> StoreResult<()> {
        let failed = |e: std::io::Error| {
            StoreError::BackupFailed(format!("an unencrypted copy could not be removed ({e})"))
        };
        let fresh = self.backup("encrypted")?;
        for old in super::list_backups(&self.dir) {
            if old.path != fresh.path && backup::is_plain_backup(&old.path) {
                std::fs::remove_file(&old.path).map_err(failed)?;
            }
        }
        let entries = std::fs::read_dir(&self.dir).map_err(failed)?;
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if !name.starts_with(backup::REPLACED_FOLDER) {
                continue;
            }
            // Only a folder that opens and is known to be unencrypted goes; a damaged one,
            // kept aside by a restore, stays.
            let copy = Store::open_at(
                &self.dir,
                entry.path(),
                Opening::Inspect,
                self._lock.clone(),
            );
            if matches!(copy.and_then(|c| c.is_protected()), Ok(false)) {
                std::fs::remove_dir_all(entry.path()).map_err(failed)?;
            }
        }
        self.meta
            .remove(META_CLEANUP)
            .map_err(StoreError::from_sled)?;
        self.flush()
    }
}

/// The meta key of the squad passphrase (sealed like a record).
const META_SQUAD: &[u8] = b"squad_passphrase";

/// The squad passphrase as kept in the log.
#[derive(serde::Serialize, serde::Deserialize)]
struct SquadSecret {
    text: zeroize::Zeroizing<String>,
    cost: vault::KdfCost,
}

impl Store {
    /// The passphrase squad bundles are sealed with, once it has been set.
    pub fn squad_passphrase(&self) -> StoreResult<Option<Passphrase>> {
        let Some(stored) = self.meta.get(META_SQUAD).map_err(StoreError::from_sled)? else {
            return Ok(None);
        };
        let secret: SquadSecret =
            self.codec()
                .decode("meta", "squad passphrase", META_SQUAD, &stored)?;
        Ok(Some(
            Passphrase::new(secret.text.as_str()).with_cost(secret.cost),
        ))
    }

    /// Keeps the squad passphrase (encrypted, like every entry) after checking the policy.
    pub fn set_squad_passphrase(&self, passphrase: &Passphrase) -> StoreResult<()> {
        self.refuse_if_poisoned()?;
        if let Some(problem) = passphrase_problem(passphrase.as_str()) {
            return Err(StoreError::WeakPassphrase(problem));
        }
        let secret = SquadSecret {
            text: zeroize::Zeroizing::new(passphrase.as_str().to_string()),
            cost: passphrase.cost(),
        };
        let sealed = self.codec().encode("meta", META_SQUAD, &secret)?;
        self.meta_insert(META_SQUAD, &sealed)?;
        self.flush()?;
        self.record_event("set the squad passphrase", "the log", "done")
    }
}
