//! Compacting the log: every entry copied, as stored, into a fresh folder that replaces the log.
//!
//! sled never overwrites in place: each change writes a new version of the page it lands in,
//! and old versions are reclaimed only slowly, so after bulk work (a demo precinct, a large
//! import, an upgrade) its file holds far more than its entries: 1.7 times after a
//! million-contact demo, 3.9 times after that log's upgrade to format 6. A fresh copy holds
//! each page once. The copy's entries are counted tree by tree against the log's, then it is
//! swapped in the way a restore is (see `backup::finish_interrupted_restore`), so a crash at
//! any point leaves either the old log or the new one. Values are copied still encrypted: no
//! passphrase is needed.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use super::backup::{self, STAGING_DONE, STAGING_FOLDER};
use super::error::{Cause, During};
use super::{folder, Store, StoreError, StoreResult, STORE_FOLDER};

/// How a copy writes one value: given the tree's name, the key and the value as stored.
pub(super) type CopyValue<'a> = dyn FnMut(&[u8], &[u8], sled::IVec) -> StoreResult<sled::IVec> + 'a;

/// Entries copied per batch: large enough to fill sled's pages in one go.
const BATCH: usize = 4096;

/// What a compaction did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Compaction {
    pub entries: u64,
    pub bytes_before: u64,
    pub bytes_after: u64,
}

/// The log after a compaction was tried, and how it went. A compaction that fails before the
/// swap hands back the log as it was; one that fails after it, the log reopened as far as
/// that goes.
pub struct Compacted {
    pub store: StoreResult<Store>,
    pub outcome: StoreResult<Compaction>,
}

impl Store {
    /// Copies the log into a fresh folder that replaces it, and opens it again with the same
    /// key. `progress` is told entries copied and entries in all; setting `stop` during the
    /// copy leaves the log as it was.
    pub fn compact(self, progress: &mut dyn FnMut(u64, u64), stop: &AtomicBool) -> Compacted {
        let dir = self.dir.clone();
        let bytes_before = folder_bytes(&dir.join(STORE_FOLDER));
        let copied = self
            .refuse_if_poisoned()
            .and_then(|()| self.flush())
            .and_then(|()| self.stage_copy(progress, stop, &mut |_, _, value| Ok(value)));
        let entries = match copied {
            Ok(n) => n,
            Err(e) => {
                return Compacted {
                    store: Ok(self),
                    outcome: Err(e),
                }
            }
        };
        let lock = self._lock.clone();
        let key = self.close_keeping_key();
        let swapped = backup::finish_interrupted_restore(&dir).and_then(|replaced| {
            // The copy was verified before the swap: the old folder holds nothing more.
            if let Some(old) = replaced {
                std::fs::remove_dir_all(&old).map_err(copy_failed)?;
                folder::sync_dir(&dir);
            }
            Ok(())
        });
        drop(lock);
        let store = key.reopen(&dir);
        let outcome = swapped.map(|()| Compaction {
            entries,
            bytes_before,
            bytes_after: folder_bytes(&dir.join(STORE_FOLDER)),
        });
        Compacted { store, outcome }
    }

    /// Writes the copy into the staging folder and marks it complete; the entries copied. A
    /// copy that fails is cleared away. Each value is written as `value` returns it (given the
    /// tree's name, the key and the value as stored).
    pub(super) fn stage_copy(
        &self,
        progress: &mut dyn FnMut(u64, u64),
        stop: &AtomicBool,
        value: &mut CopyValue<'_>,
    ) -> StoreResult<u64> {
        let staging = self.dir.join(STAGING_FOLDER);
        if staging.exists() {
            std::fs::remove_dir_all(&staging).map_err(copy_failed)?;
        }
        let copied = self
            .copy_into(&staging, progress, stop, value)
            .and_then(|n| {
                backup::write_synced(&self.dir.join(STAGING_DONE)).map_err(copy_failed)?;
                Ok(n)
            });
        if copied.is_err() {
            let _ = std::fs::remove_dir_all(&staging);
        }
        copied
    }

    /// Writes every tree into a new sled folder at `path` and checks that each holds as many
    /// entries as the log's; the number of entries copied.
    fn copy_into(
        &self,
        path: &Path,
        progress: &mut dyn FnMut(u64, u64),
        stop: &AtomicBool,
        value: &mut CopyValue<'_>,
    ) -> StoreResult<u64> {
        let names = self.db.tree_names();
        let mut total = 0u64;
        let mut trees = Vec::with_capacity(names.len());
        for name in names {
            let tree = self.db.open_tree(&name).map_err(StoreError::from_sled)?;
            total += tree.len() as u64;
            trees.push((name, tree));
        }
        let copy = folder::open_db(path)?;
        let mut done = 0u64;
        progress(done, total);
        for (name, from) in &trees {
            stopped(stop)?;
            let to = copy.open_tree(name).map_err(copy_failed)?;
            let mut batch = sled::Batch::default();
            let mut in_batch = 0;
            let mut in_tree = 0u64;
            for kv in from.iter() {
                let (k, v) = kv.map_err(StoreError::from_sled)?;
                let v = value(name, &k, v)?;
                batch.insert(k, v);
                in_batch += 1;
                if in_batch == BATCH {
                    stopped(stop)?;
                    to.apply_batch(std::mem::take(&mut batch))
                        .map_err(copy_failed)?;
                    done += in_batch as u64;
                    in_batch = 0;
                    progress(done.min(total), total);
                }
                in_tree += 1;
            }
            to.apply_batch(batch).map_err(copy_failed)?;
            done += in_batch as u64;
            progress(done.min(total), total);
            if to.len() as u64 != in_tree {
                return Err(copy_failed(format!(
                    "the copy of {} lost entries",
                    String::from_utf8_lossy(name)
                )));
            }
        }
        copy.flush().map_err(copy_failed)?;
        Ok(done)
    }
}

/// Checked between two batches of the copy.
fn stopped(stop: &AtomicBool) -> StoreResult<()> {
    if stop.load(Ordering::Relaxed) {
        return Err(StoreError::CompactingStopped);
    }
    Ok(())
}

fn copy_failed(e: impl Into<Cause>) -> StoreError {
    StoreError::CompactingFailed(During::cause("its copy could not be written", e))
}

/// The bytes of the files in a folder and its subfolders.
pub(crate) fn folder_bytes(path: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(path) else {
        return 0;
    };
    entries
        .flatten()
        .map(|e| match e.metadata() {
            Ok(m) if m.is_dir() => folder_bytes(&e.path()),
            Ok(m) => m.len(),
            Err(_) => 0,
        })
        .sum()
}
