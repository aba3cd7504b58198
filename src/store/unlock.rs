//! Opening a protected log: the locked store, unlocking it (with the failed-attempt count and
//! lockout), locking it again, reopening with a kept key, and changing the passphrase. A log
//! without a passphrase gets its first one in `protect`.

use std::path::Path;

use chrono::{DateTime, Utc};

use super::early_key::{self, EarlyKey};
use super::vault::{
    self, Envelope, Failures, Passphrase, META_CLEANUP, META_FAILURES, META_KEY_CHECK, META_VAULT,
};
use super::{backup, folder, migrate, AuditSubject, Store, StoreError, StoreResult, STORE_FOLDER};
use crate::model::RecordKind;

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
        let _kept = backup::finish_interrupted_restore(dir)?;
        let store = Store::open_at(dir, dir.join(STORE_FOLDER), lock)?;
        store.refuse_if_sealed_record_gone()?;
        Ok(LockedStore { store })
    }

    /// [`LockedStore::open`], deriving the key from `passphrase` meanwhile on another thread
    /// (see [`EarlyKey`]), for [`LockedStore::unlock_early`].
    pub fn open_deriving(
        dir: &Path,
        passphrase: &Passphrase,
    ) -> (StoreResult<Self>, Option<EarlyKey>) {
        std::thread::scope(|s| {
            let early = s.spawn(|| EarlyKey::derive(dir, passphrase));
            let locked = LockedStore::open(dir);
            (locked, early.join().ok().flatten())
        })
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
        Ok(self.lockout_end()?.filter(|until| *until > now))
    }

    /// When the last lockout ends (or ended), if there was one.
    pub fn lockout_end(&self) -> StoreResult<Option<DateTime<Utc>>> {
        Ok(self.store.failures()?.locked_until)
    }

    /// Unlocks the log with `passphrase` at `now`, or hands the locked log back with the reason.
    /// A new or unprotected log takes `passphrase` as its own, if the policy accepts it.
    pub fn unlock(
        self,
        passphrase: &Passphrase,
        now: DateTime<Utc>,
    ) -> Result<Store, Box<Refused>> {
        self.unlock_early(passphrase, now, None)
    }

    /// [`LockedStore::unlock`] with a key derived from the same passphrase while the log was
    /// opening (see [`EarlyKey`]): used when it was derived from the log's own wrapped key,
    /// derived again otherwise.
    pub fn unlock_early(
        mut self,
        passphrase: &Passphrase,
        now: DateTime<Utc>,
        early: Option<EarlyKey>,
    ) -> Result<Store, Box<Refused>> {
        let dir = self.dir().to_path_buf();
        match self.try_unlock(passphrase, now, early) {
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

    fn try_unlock(
        &mut self,
        passphrase: &Passphrase,
        now: DateTime<Utc>,
        early: Option<EarlyKey>,
    ) -> StoreResult<Unlocked> {
        let store = &mut self.store;
        let failures = store.failures()?;
        if let Some(until) = failures.lockout(now) {
            return Err(StoreError::LockedOut { until });
        }
        let Some(envelope) = store.envelope()? else {
            return store.protect(passphrase);
        };
        let unwrapped = match early.and_then(|k| k.for_envelope(&envelope)) {
            Some(unwrapped) => unwrapped,
            None => vault::unwrap(&envelope, passphrase)?,
        };
        let Some(cipher) = unwrapped else {
            return Err(store.wrong_passphrase("unlock", now));
        };
        match store.key_check()? {
            None => store.meta_insert(META_KEY_CHECK, &cipher.key_check()?)?,
            // A wrapped key that opens with the passphrase but is not the log's (an old one
            // put back after a passphrase change) opens none of its values: said at once.
            Some(check) if !cipher.opens_key_check(&check) => {
                return Err(StoreError::Corrupt {
                    kind: "key",
                    reason: "the stored key is not the one this log is encrypted with".into(),
                })
            }
            Some(_) => {}
        }
        early_key::keep(&store.dir, &envelope);
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

pub(super) enum Unlocked {
    Ready,
    /// An encrypted copy of an unprotected log waits beside it, to be swapped in on reopening.
    CopyStaged,
}

pub(super) fn encode_envelope(envelope: &Envelope) -> StoreResult<Vec<u8>> {
    serde_json::to_vec(envelope).map_err(|e| StoreError::Write(e.into()))
}

/// The key of a log closed for a moment (a restore, a reopen after a disk fault).
pub struct KeptKey {
    cipher: Option<Box<vault::Cipher>>,
}

impl KeptKey {
    pub(super) fn new(cipher: vault::Cipher) -> Self {
        KeptKey {
            cipher: Some(Box::new(cipher)),
        }
    }

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
    pub(super) fn finish_unlock(&mut self, action: &'static str) -> StoreResult<()> {
        self.accept_plain = !self.is_protected()?;
        self.verify_seal()?;
        self.upgraded_from = migrate::bring_up_to_date(self, true)?;
        if self.meta_has(META_CLEANUP)? {
            // A clean-up that fails (a full disk) does not keep the log shut: it is recorded
            // and tried again at the next unlock.
            if self.forget_unencrypted_copies().is_err() {
                let _ = self.record_event(
                    "removed unencrypted copies",
                    AuditSubject::the_log(),
                    "failed, tried again at the next unlock",
                );
            }
        }
        // Before set-up the log is empty and there is nobody to name in the trail.
        if self.profile()?.is_none() {
            return Ok(());
        }
        self.record_event(action, AuditSubject::the_log(), "done")
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

    pub(super) fn key_check(&self) -> StoreResult<Option<sled::IVec>> {
        self.meta.get(META_KEY_CHECK).map_err(StoreError::from_sled)
    }

    pub(super) fn envelope(&self) -> StoreResult<Option<Envelope>> {
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
    pub(super) fn wrong_passphrase(&self, action: &'static str, now: DateTime<Utc>) -> StoreError {
        let mut failures = match self.failures() {
            Ok(f) => f,
            Err(e) => return e,
        };
        failures.add(now);
        if let Err(e) = self.set_failures(&failures) {
            return e;
        }
        let _ = self.record_event(action, AuditSubject::the_log(), "wrong passphrase");
        match failures.lockout(now) {
            Some(until) => StoreError::LockedOut { until },
            None => StoreError::WrongPassphrase {
                attempts_left: failures.attempts_left(),
            },
        }
    }

    fn set_failures(&self, failures: &Failures) -> StoreResult<()> {
        let bytes = serde_json::to_vec(failures).map_err(|e| StoreError::Write(e.into()))?;
        self.meta_insert(META_FAILURES, &bytes)?;
        self.flush()
    }

    /// Locks the log: the key is wiped from memory and the folder stays held by this app.
    pub fn lock(mut self) -> LockedStore {
        self.cipher = None;
        self.drop_contact_index();
        let _ = self.record_event("locked", AuditSubject::the_log(), "done");
        LockedStore { store: self }
    }

    /// Gives a log being restored the key its backup was opened with.
    pub(crate) fn use_key(&mut self, cipher: Option<vault::Cipher>) {
        self.cipher = cipher.map(Box::new);
    }
}
