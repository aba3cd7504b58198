//! Changing the passphrase: a new data key, and every value of the log re-encrypted under it.
//!
//! Rewrapping the old data key under the new passphrase would leave the old passphrase working
//! with any old copy of the wrapped key (the key file beside the log, a log kept aside, sled's
//! stale pages, a backup copied elsewhere), past and future. So a change makes a new data key,
//! copies every entry into a fresh folder re-encrypted under it, and swaps the copy in the way
//! compacting does (see the `compaction` module): a crash or a stop before the swap leaves the
//! log as it was, with the old passphrase; after it, the new one opens the log. Then the key
//! file beside the log is rewritten, the backups' keys are rewrapped under the new passphrase,
//! and the logs kept aside by restores, encrypted under the old key, are removed.

use std::sync::atomic::AtomicBool;

use chrono::Utc;

use super::backup;
use super::codec::HISTORY_TREE;
use super::error::During;
use super::exchange_state::META_EXCHANGE;
use super::scrub::META_FORGOTTEN;
use super::squad::META_SQUAD;
use super::unlock::{encode_envelope, KeptKey};
use super::vault::{self, Passphrase, META_KEY_CHECK, META_VAULT};
use super::{early_key, tree_name, AuditSubject, Store, StoreError, StoreResult};
use crate::model::{passphrase_problem_for, RecordKind};

/// What a passphrase change did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rekeying {
    /// Entries copied under the new key.
    pub entries: u64,
    /// Backups whose key now opens with the new passphrase.
    pub backups_rewrapped: usize,
    /// Logs kept aside by earlier restores, removed.
    pub replaced_removed: usize,
}

/// The log after a passphrase change was tried, and how it went: a change that fails or is
/// stopped before the swap hands back the log as it was, with the old passphrase.
pub struct Rekeyed {
    pub store: StoreResult<Store>,
    pub outcome: StoreResult<Rekeying>,
}

impl Store {
    /// Replaces the passphrase after checking the current one (a wrong one counts toward the
    /// lockout): every value is re-encrypted under a new data key. `progress` is told entries
    /// copied and entries in all; setting `stop` during the copy leaves the log as it was.
    pub fn change_passphrase(
        self,
        current: &Passphrase,
        new: &Passphrase,
        progress: &mut dyn FnMut(u64, u64),
        stop: &AtomicBool,
    ) -> Rekeyed {
        let keys = self.refuse_if_poisoned().and_then(|()| {
            let personal = self.personal_words()?;
            let personal: Vec<&str> = personal.iter().map(String::as_str).collect();
            if let Some(problem) = passphrase_problem_for(new.as_str(), &personal) {
                return Err(StoreError::WeakPassphrase(problem));
            }
            self.new_keys(current, new)
        });
        let keys = match keys {
            Ok(keys) => keys,
            Err(e) => return self.hand_back(e),
        };
        let copied = self.flush().and_then(|()| {
            self.stage_copy(progress, stop, &mut |tree, key, value| {
                self.reencrypt(&keys, tree, key, value)
            })
        });
        let entries = match copied {
            Ok(n) => n,
            Err(StoreError::CompactingStopped) => {
                return self.hand_back(StoreError::PassphraseChangeStopped)
            }
            Err(StoreError::CompactingFailed(why)) => {
                return self.hand_back(StoreError::PassphraseChangeFailed(why))
            }
            Err(e) => return self.hand_back(e),
        };
        let dir = self.dir.clone();
        let lock = self._lock.clone();
        // The old key goes with the closed log; the copy opens only with the new one.
        drop(self.close_keeping_key());
        let swapped = backup::finish_interrupted_restore(&dir).and_then(|replaced| {
            if let Some(old) = replaced {
                std::fs::remove_dir_all(&old).map_err(|e| {
                    StoreError::Write(During::cause("the log under the old key stayed", e))
                })?;
            }
            early_key::keep(&dir, &keys.envelope);
            Ok(())
        });
        drop(lock);
        let store = KeptKey::new(keys.cipher).reopen(&dir);
        let outcome = swapped.and_then(|()| {
            // Backups keep their own (old) data key, now opening with the new passphrase only.
            let backups_rewrapped = backup::rewrap_backups(&dir, current, new)?;
            let replaced_removed = backup::remove_replaced_logs(&dir)?;
            Ok(Rekeying {
                entries,
                backups_rewrapped,
                replaced_removed,
            })
        });
        if let Ok(store) = &store {
            let said = match &outcome {
                Ok(_) => "done",
                Err(_) => "done; some copies still open with the old passphrase",
            };
            let _ = store.record_event("changed the passphrase", AuditSubject::the_log(), said);
        }
        Rekeyed { store, outcome }
    }

    /// Checks the passphrase before a change closes the log for its copy (a wrong one counts
    /// toward the lockout).
    pub fn verify_passphrase(&self, passphrase: &Passphrase) -> StoreResult<()> {
        let envelope = self.envelope()?.ok_or(StoreError::NotUnlocked)?;
        match vault::unwrap(&envelope, passphrase)? {
            Some(_) => Ok(()),
            None => Err(self.wrong_passphrase("changed the passphrase", Utc::now())),
        }
    }

    fn hand_back(self, e: StoreError) -> Rekeyed {
        Rekeyed {
            store: Ok(self),
            outcome: Err(e),
        }
    }

    /// The keys of a change from `current` (checked) to `new`.
    fn new_keys(&self, current: &Passphrase, new: &Passphrase) -> StoreResult<NewKeys> {
        self.verify_passphrase(current)?;
        let (fresh, cipher) = vault::create(new)?;
        Ok(NewKeys {
            cipher,
            new_envelope: encode_envelope(&fresh)?,
            envelope: fresh,
        })
    }

    /// A stored value as the copy under the new key holds it: sealed values are opened with
    /// the log's key and sealed again with the new one (a value that does not open stops the
    /// change rather than be lost), the wrapped key is the new one, plain values (indexes,
    /// the audit trail, bookkeeping) stay as they are.
    fn reencrypt(
        &self,
        keys: &NewKeys,
        tree: &[u8],
        key: &[u8],
        value: sled::IVec,
    ) -> StoreResult<sled::IVec> {
        if tree == b"meta" && key == META_VAULT {
            return Ok(keys.new_envelope.as_slice().into());
        }
        if !is_sealed_value(tree, key, &value) {
            return Ok(value);
        }
        let old = self.cipher.as_deref().ok_or(StoreError::NotUnlocked)?;
        let tree = std::str::from_utf8(tree).map_err(|_| StoreError::Corrupt {
            kind: "tree",
            reason: "its name is not text".into(),
        })?;
        let plain = zeroize::Zeroizing::new(old.open(tree, key, &value)?);
        Ok(keys.cipher.seal(tree, key, &plain)?.into())
    }
}

/// Whether the value under `key` in `tree` is sealed with the data key: every value of the
/// record trees and the history (a log from before encryption holds none), and the meta values
/// kept sealed. Index values are binary and may begin with the sealed tag by chance, so the
/// trees are named rather than the values guessed at.
fn is_sealed_value(tree: &[u8], key: &[u8], value: &[u8]) -> bool {
    let sealed_tree = RecordKind::ALL
        .iter()
        .any(|k| tree == tree_name(*k).as_bytes())
        || tree == HISTORY_TREE.as_bytes()
        || (tree == b"meta"
            && (key == META_KEY_CHECK
                || key == META_SQUAD
                || key.starts_with(META_FORGOTTEN)
                || key.starts_with(super::aliases::META_ALIAS)
                || key.starts_with(META_EXCHANGE)));
    sealed_tree && vault::is_sealed(value)
}

/// The keys a passphrase change works with.
struct NewKeys {
    /// The new data key.
    cipher: vault::Cipher,
    /// The new data key wrapped under the new passphrase, as stored and as kept beside the log.
    new_envelope: Vec<u8>,
    envelope: vault::Envelope,
}
