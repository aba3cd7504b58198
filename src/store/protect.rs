//! Protecting a log that has no passphrase yet: a new one keeps its wrapped key, an older one
//! with entries is encrypted as a copy swapped in (sled never overwrites old values in place,
//! so encrypting them where they are would leave them readable in its files), and the
//! unencrypted copies of it are removed afterwards. Also the officer's own words, which no
//! passphrase of the log may hold.

use super::error::{Cause, During};
use super::unlock::{encode_envelope, Unlocked};
use super::vault::{self, Passphrase, META_CLEANUP, META_KEY_CHECK, META_VAULT};
use super::{backup, folder, tree_name, Store, StoreError, StoreResult, HISTORY_TREE};
use crate::model::{passphrase_problem, Neighborhood, Officer, RecordKind};

impl Store {
    /// The words a passphrase of this log must not be built on: the officer's name and badge
    /// number and the names of the log's beats (see `model::passphrase_problem_for`). None
    /// before the log is set up.
    pub fn personal_words(&self) -> StoreResult<Vec<String>> {
        let Some(profile) = self.profile()? else {
            return Ok(Vec::new());
        };
        let mut words = Vec::new();
        if let Some(me) = self.get::<Officer>(profile.officer)? {
            words.push(me.name);
            words.push(me.badge);
        }
        words.extend(self.all::<Neighborhood>()?.into_iter().map(|n| n.name));
        Ok(words)
    }

    /// Gives a log without a passphrase its first one. A new log just keeps the wrapped key; an
    /// older log with entries is copied, every value encrypted, into a folder beside it that
    /// replaces it when the folder is next opened (sled never overwrites old values in place,
    /// so encrypting them where they are would leave them readable in its files).
    pub(super) fn protect(&mut self, passphrase: &Passphrase) -> StoreResult<Unlocked> {
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
        super::early_key::keep(&self.dir, &envelope);
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
        let failed = |e: Cause| {
            StoreError::Write(During::cause("the encrypted copy could not be written", e))
        };
        let staging = self.dir.join(backup::STAGING_FOLDER);
        if staging.exists() {
            std::fs::remove_dir_all(&staging).map_err(|e| failed(e.into()))?;
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
                let to = copy.open_tree(&name).map_err(|e| failed(e.into()))?;
                let seal_as = std::str::from_utf8(&name)
                    .ok()
                    .filter(|n| sealed.contains(n));
                for kv in from.iter() {
                    let (k, v) = kv.map_err(StoreError::from_sled)?;
                    let value = match seal_as {
                        Some(tree) => cipher.seal(tree, &k, &v)?,
                        None => v.to_vec(),
                    };
                    to.insert(k, value).map_err(|e| failed(e.into()))?;
                }
            }
            let meta = copy.open_tree("meta").map_err(|e| failed(e.into()))?;
            for (key, value) in vault_meta {
                meta.insert(key, value.as_slice())
                    .map_err(|e| failed(e.into()))?;
            }
            meta.insert(META_CLEANUP, b"1".as_slice())
                .map_err(|e| failed(e.into()))?;
            copy.flush().map_err(|e| failed(e.into()))?;
        }
        backup::write_synced(&self.dir.join(backup::STAGING_DONE)).map_err(|e| failed(e.into()))
    }

    /// Once a log is encrypted, the copies of it from before (the replaced folder and earlier
    /// backups) still hold its entries in the clear: a fresh backup is verified, then every
    /// unencrypted copy is removed. Resumed at the next unlock if interrupted.
    pub(super) fn forget_unencrypted_copies(&self) -> StoreResult<()> {
        let failed = |e: std::io::Error| {
            StoreError::BackupFailed(During::cause("an unencrypted copy could not be removed", e))
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
            let copy = Store::open_at(&self.dir, entry.path(), self._lock.clone());
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
