//! Opening a protected log: the locked store, unlocking it (with the failed-attempt count and
//! lockout), locking it again, protecting an older unprotected log, and changing the
//! passphrase.

use std::path::Path;

use chrono::{DateTime, Utc};

use super::vault::{self, Envelope, Failures, Passphrase, META_FAILURES, META_SEALING, META_VAULT};
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
    #[allow(clippy::result_large_err)]
    pub fn unlock(
        mut self,
        passphrase: &Passphrase,
        now: DateTime<Utc>,
    ) -> Result<Store, (LockedStore, StoreError)> {
        match self.try_unlock(passphrase, now) {
            Ok(()) => Ok(self.store),
            Err(e) => {
                self.store.cipher = None;
                Err((self, e))
            }
        }
    }

    fn try_unlock(&mut self, passphrase: &Passphrase, now: DateTime<Utc>) -> StoreResult<()> {
        let store = &mut self.store;
        let mut failures = store.failures()?;
        if let Some(until) = failures.lockout(now) {
            return Err(StoreError::LockedOut { until });
        }
        match store.envelope()? {
            Some(envelope) => match vault::unwrap(&envelope, passphrase)? {
                Some(cipher) => {
                    store.cipher = Some(Box::new(cipher));
                    if failures.count > 0 || failures.locked_until.is_some() {
                        store.set_failures(&Failures::default())?;
                    }
                }
                None => {
                    failures.add(now);
                    store.set_failures(&failures)?;
                    let _ = store.record_event("unlock", "the log", "wrong passphrase");
                    return Err(match failures.lockout(now) {
                        Some(until) => StoreError::LockedOut { until },
                        None => StoreError::WrongPassphrase {
                            attempts_left: failures.attempts_left(),
                        },
                    });
                }
            },
            None => {
                if let Some(problem) = passphrase_problem(passphrase.as_str()) {
                    return Err(StoreError::WeakPassphrase(problem));
                }
                let (envelope, cipher) = vault::create(passphrase)?;
                let has_records = RecordKind::ALL
                    .iter()
                    .any(|k| !store.records(*k).is_empty());
                if has_records {
                    // Sealing runs value by value; the mark makes an interrupted run resume.
                    store.meta_insert(META_SEALING, b"1")?;
                }
                store.meta_insert(META_VAULT, &encode_envelope(&envelope)?)?;
                store.flush()?;
                store.cipher = Some(Box::new(cipher));
                store.accept_plain = has_records;
            }
        }
        store.finish_unlock("unlocked")
    }
}

fn encode_envelope(envelope: &Envelope) -> StoreResult<Vec<u8>> {
    serde_json::to_vec(envelope).map_err(|e| StoreError::Write(e.to_string()))
}

/// The key of a log closed for a moment (a restore, a reopen after a disk fault).
pub struct KeptKey {
    cipher: Option<Box<vault::Cipher>>,
}

impl KeptKey {
    /// Opens the log in `dir` with this key.
    pub fn reopen(self, dir: &Path) -> StoreResult<Store> {
        let mut store = LockedStore::open(dir)?.store;
        store.cipher = self.cipher;
        if store.cipher.is_none() && store.is_protected()? {
            return Err(StoreError::NotUnlocked);
        }
        store.finish_unlock("reopened")?;
        Ok(store)
    }
}

impl Store {
    /// Checks and upgrades a log just unlocked, and records the unlock.
    fn finish_unlock(&mut self, action: &str) -> StoreResult<()> {
        self.accept_plain = self.accept_plain || self.meta_has(META_SEALING)?;
        self.verify_seal()?;
        migrate::bring_up_to_date(self, true)?;
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

    /// Replaces the passphrase after checking the current one. The data key stays the same and
    /// is rewrapped in one write, so a crash leaves one of the two passphrases working.
    pub fn change_passphrase(&self, current: &Passphrase, new: &Passphrase) -> StoreResult<()> {
        self.refuse_if_poisoned()?;
        if let Some(problem) = passphrase_problem(new.as_str()) {
            return Err(StoreError::WeakPassphrase(problem));
        }
        let envelope = self.envelope()?.ok_or(StoreError::NotUnlocked)?;
        let Some(rewrapped) = vault::rewrap(&envelope, current, new)? else {
            let _ = self.record_event("changed the passphrase", "the log", "wrong passphrase");
            return Err(StoreError::WrongPassphrase {
                attempts_left: vault::MAX_FAILED_UNLOCKS,
            });
        };
        self.meta_insert(META_VAULT, &encode_envelope(&rewrapped)?)?;
        self.flush()?;
        self.record_event("changed the passphrase", "the log", "done")
    }

    /// Unlocks a log being restored with the passphrase it was protected with (no attempt is
    /// counted: the log is not in use yet).
    pub(crate) fn unlock_copy(&mut self, passphrase: &Passphrase) -> StoreResult<()> {
        let Some(envelope) = self.envelope()? else {
            return Ok(());
        };
        let cipher = vault::unwrap(&envelope, passphrase)?.ok_or(StoreError::WrongPassphrase {
            attempts_left: vault::MAX_FAILED_UNLOCKS,
        })?;
        self.cipher = Some(Box::new(cipher));
        Ok(())
    }

    /// Encrypts every value an unprotected log still holds in the clear, then drops the mark
    /// that lets plain values be read. Safe to interrupt: sealed values are left as they are.
    pub(crate) fn seal_remaining(&mut self) -> StoreResult<usize> {
        if !self.meta_has(META_SEALING)? {
            return Ok(0);
        }
        let codec = self.codec();
        let mut sealed = 0;
        let mut trees: Vec<(&str, &sled::Tree)> = RecordKind::ALL
            .iter()
            .map(|k| (tree_name(*k), self.records(*k)))
            .collect();
        trees.push((HISTORY_TREE, &self.history));
        for (name, tree) in trees {
            for kv in tree.iter() {
                let (k, v) = kv.map_err(StoreError::from_sled)?;
                if vault::is_sealed(&v) {
                    continue;
                }
                let value = codec.seal(name, &k, v.to_vec())?;
                tree.insert(k, value).map_err(StoreError::from_sled)?;
                sealed += 1;
            }
        }
        self.flush()?;
        self.meta
            .remove(META_SEALING)
            .map_err(StoreError::from_sled)?;
        self.flush()?;
        self.accept_plain = false;
        Ok(sealed)
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
