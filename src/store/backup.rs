//! Backups: one self-checking file holding every record, its history and the store's settings.
//!
//! A backup is JSON: a header, each tree's entries (keys and values in hex, indexes left out
//! because they are rebuilt), and a SHA-256 over the entries. Every backup is read back and
//! verified right after it is written. A restore builds the new store beside the old one,
//! checks it, and only then swaps the folders, so a crash leaves either the old log or the
//! restored one, never a mix.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Local, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::hex::{hex, unhex};

use std::sync::Arc;

use super::error::{Cause, During};
use super::folder::{open_db, sync_dir, FolderLock};
use super::keys::{HISTORY_KEY_LEN, ID_KEY_LEN};
use super::migrate::CURRENT_FORMAT;
use super::{tree_name, Passphrase, Store, StoreError, StoreResult, STORE_FOLDER};
use crate::model::RecordKind;

const FORMAT_NAME: &str = "beatbook-backup";
/// The backup file format this version writes and reads.
pub const BACKUP_VERSION: u32 = 1;
/// Larger files are refused before they are read (reading takes a few times the file's size
/// in memory). A department's archive of a million contacts makes a backup of about 1.9 GB.
const MAX_BACKUP_BYTES: u64 = 8 << 30;
/// How a backup's name carries its time: `beatbook-20261125-101500-start-of-day.bbk`.
const NAME_TIME: &str = "%Y%m%d-%H%M%S";
const EXTENSION: &str = "bbk";
pub(crate) const STAGING_FOLDER: &str = "store.restoring";
pub(crate) const STAGING_DONE: &str = "store.restoring.complete";
pub(crate) const REPLACED_FOLDER: &str = "store.replaced";

#[derive(Serialize, Deserialize)]
struct BackupFile {
    format: String,
    version: u32,
    created_at: DateTime<Utc>,
    reason: String,
    store_format: u32,
    trees: Vec<TreeDump>,
    sha256: String,
}

#[derive(Serialize, Deserialize)]
struct TreeDump {
    name: String,
    /// `[key, value]` pairs in hex.
    entries: Vec<(String, String)>,
}

/// A backup file on disk.
#[derive(Debug, Clone, PartialEq)]
pub struct BackupInfo {
    pub path: PathBuf,
    pub created_at: DateTime<Utc>,
    pub reason: String,
    /// Records, history entries and settings in the backup (known once it has been read).
    pub entries: Option<usize>,
    pub bytes: u64,
}

/// What a restore brought back.
#[derive(Debug, Clone, PartialEq)]
pub struct RestoreSummary {
    pub from: PathBuf,
    pub created_at: DateTime<Utc>,
    pub entries: usize,
    /// The backup of the replaced log, when it could still be read.
    pub safety_backup: Option<PathBuf>,
}

/// The trees a backup holds: settings, history and every record kind (not the indexes).
fn backed_up_trees() -> Vec<&'static str> {
    let mut names = vec!["meta", super::codec::HISTORY_TREE, super::audit::AUDIT_TREE];
    names.extend(RecordKind::ALL.iter().map(|k| tree_name(*k)));
    names
}

pub fn backups_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("backups")
}

fn checksum(trees: &[TreeDump]) -> StoreResult<String> {
    let bytes = serde_json::to_vec(trees).map_err(|e| StoreError::BackupFailed(e.into()))?;
    Ok(hex(&Sha256::digest(&bytes)))
}

impl Store {
    /// Writes a verified backup into the data folder's `backups/` and returns where it went.
    pub fn backup(&self, reason: &str) -> StoreResult<BackupInfo> {
        let failed = |e: Cause| StoreError::BackupFailed(e);
        let mut trees = Vec::new();
        let mut count = 0;
        for name in backed_up_trees() {
            let tree = self.db.open_tree(name).map_err(StoreError::from_sled)?;
            let mut entries = Vec::with_capacity(tree.len());
            for kv in tree.iter() {
                let (k, v) = kv.map_err(StoreError::from_sled)?;
                // The clean-up mark belongs to this log's folder, not to a copy of it.
                if name == "meta" && k.as_ref() == super::vault::META_CLEANUP {
                    continue;
                }
                entries.push((hex(&k), hex(&v)));
            }
            count += entries.len();
            trees.push(TreeDump {
                name: name.to_string(),
                entries,
            });
        }
        let created_at = Utc::now();
        let file = BackupFile {
            format: FORMAT_NAME.into(),
            version: BACKUP_VERSION,
            created_at,
            reason: reason.to_string(),
            store_format: super::migrate::read_format(self)?.unwrap_or(CURRENT_FORMAT),
            sha256: checksum(&trees)?,
            trees,
        };
        let dir = backups_dir(&self.dir);
        super::private_files::create_folder(&dir).map_err(|e| failed(e.into()))?;
        let path = unused_name(&dir, created_at, reason);
        write_backup_file(&path, &file).map_err(|e| failed(e.into()))?;
        // Read it back: a backup that cannot be restored is worse than none.
        let entries = read_backup(&path)
            .map_err(|e| failed(e.into()))?
            .entries
            .unwrap_or(0);
        if entries != count {
            return Err(StoreError::BackupFailed(
                format!(
                    "{} holds {entries} entries instead of {count}",
                    path.display()
                )
                .into(),
            ));
        }
        let bytes = fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        Ok(BackupInfo {
            path,
            created_at,
            reason: reason.into(),
            entries: Some(count),
            bytes,
        })
    }

    /// Takes the day's first backup if none was taken today, then drops expired ones.
    pub fn daily_backup(&self, today: NaiveDate) -> StoreResult<Option<BackupInfo>> {
        let done_today = list_backups(&self.dir)
            .iter()
            .any(|b| b.created_at.with_timezone(&Local).date_naive() == today);
        if done_today {
            return Ok(None);
        }
        let info = self.backup("start of day")?;
        self.record_event(
            "backed up",
            super::AuditSubject::named("start of day"),
            "done",
        )?;
        let keep = self.profile()?.map(|p| p.backup_keep_days).unwrap_or(30);
        prune_backups(&self.dir, keep, Utc::now());
        Ok(Some(info))
    }
}

/// `beatbook-20261125-101500-start-of-day.bbk`, with a counter if that name is taken.
fn unused_name(dir: &Path, at: DateTime<Utc>, reason: &str) -> PathBuf {
    let slug: String = reason
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let stem = format!("beatbook-{}-{slug}", at.format(NAME_TIME));
    let mut path = dir.join(format!("{stem}.{EXTENSION}"));
    let mut n = 2;
    while path.exists() {
        path = dir.join(format!("{stem}-{n}.{EXTENSION}"));
        n += 1;
    }
    path
}

/// Writes a backup file whole or not at all (a new private partial file, synced, then renamed).
fn write_backup_file(path: &Path, file: &BackupFile) -> std::io::Result<()> {
    let (partial, out) = super::private_files::create_temp_beside(path)?;
    let written = (|| -> std::io::Result<()> {
        let mut out = std::io::BufWriter::new(out);
        serde_json::to_writer(&mut out, file)?;
        out.flush()?;
        out.get_ref().sync_all()?;
        drop(out);
        fs::rename(&partial, path)?;
        if let Some(dir) = path.parent() {
            sync_dir(dir);
        }
        Ok(())
    })();
    if written.is_err() {
        let _ = fs::remove_file(&partial);
    }
    written
}

/// After a passphrase change: every backup whose wrapped key opens with `current` gets its
/// key wrapped under `new` instead, so the old passphrase opens none of them (backups keep
/// their own data key; those of another log, or from before a change to a passphrase other
/// than `current`, are left as they are). The key is derived once per distinct wrapped key.
/// Returns how many were changed.
pub(crate) fn rewrap_backups(
    data_dir: &Path,
    current: &Passphrase,
    new: &Passphrase,
) -> StoreResult<usize> {
    let key = hex(super::vault::META_VAULT);
    let mut rewrapped: std::collections::HashMap<String, Option<String>> = Default::default();
    let mut rewrap = |stored: &str| -> StoreResult<Option<String>> {
        if let Some(done) = rewrapped.get(stored) {
            return Ok(done.clone());
        }
        let envelope: super::vault::Envelope = unhex(stored)
            .and_then(|b| serde_json::from_slice(&b).ok())
            .ok_or(StoreError::Corrupt {
                kind: "key",
                reason: "a backup's stored key is damaged".into(),
            })?;
        let done = match super::vault::rewrap(&envelope, current, new)? {
            Some(env) => Some(hex(&super::unlock::encode_envelope(&env)?)),
            None => None,
        };
        rewrapped.insert(stored.to_string(), done.clone());
        Ok(done)
    };
    let (mut changed, mut failed) = (0, Vec::new());
    for info in list_backups(data_dir) {
        // One backup that cannot be read or rewritten does not stop the others.
        let Ok(mut file) = read_backup_file(&info.path) else {
            failed.push(shown_name(&info.path));
            continue;
        };
        let Some(meta) = file.trees.iter_mut().find(|t| t.name == "meta") else {
            continue;
        };
        let Some(entry) = meta.entries.iter_mut().find(|(k, _)| *k == key) else {
            continue;
        };
        match rewrap(&entry.1) {
            Ok(Some(new)) => entry.1 = new,
            Ok(None) => continue,
            Err(_) => {
                failed.push(shown_name(&info.path));
                continue;
            }
        }
        let written = checksum(&file.trees).and_then(|sum| {
            file.sha256 = sum;
            write_backup_file(&info.path, &file).map_err(|e| StoreError::BackupFailed(e.into()))
        });
        match written {
            Ok(()) => changed += 1,
            Err(_) => failed.push(shown_name(&info.path)),
        }
    }
    if failed.is_empty() {
        Ok(changed)
    } else {
        Err(StoreError::BackupFailed(
            format!(
                "{} could not be updated and may still open with the old passphrase",
                failed.join(", ")
            )
            .into(),
        ))
    }
}

/// Removes every backup that holds the record `kind`/`id` or an earlier version of it (and
/// every backup that cannot be read, which could hold them and could never be restored);
/// the backups removed.
pub(crate) fn remove_backups_holding(
    data_dir: &Path,
    kind: RecordKind,
    id: crate::model::Id,
) -> StoreResult<Vec<PathBuf>> {
    let (record, earlier) = (
        hex(&id.to_bytes()),
        hex(&super::keys::history_prefix(kind as u8, id)),
    );
    let holds = |file: &BackupFile| {
        file.trees.iter().any(|t| {
            (t.name == tree_name(kind) && t.entries.iter().any(|(k, _)| *k == record))
                || (t.name == super::codec::HISTORY_TREE
                    && t.entries.iter().any(|(k, _)| k.starts_with(&earlier)))
        })
    };
    let mut removed = Vec::new();
    for info in list_backups(data_dir) {
        if read_backup_file(&info.path).map_or(true, |f| holds(&f)) {
            fs::remove_file(&info.path).map_err(|e| StoreError::BackupFailed(e.into()))?;
            removed.push(info.path);
        }
    }
    Ok(removed)
}

/// Removes the logs kept aside by restores and compactions (`store.replaced-…`); how many.
pub(crate) fn remove_replaced_logs(data_dir: &Path) -> StoreResult<usize> {
    let failed = |e: std::io::Error| StoreError::BackupFailed(e.into());
    let mut removed = 0;
    for entry in fs::read_dir(data_dir).map_err(failed)?.flatten() {
        if entry
            .file_name()
            .to_string_lossy()
            .starts_with(REPLACED_FOLDER)
        {
            fs::remove_dir_all(entry.path()).map_err(failed)?;
            removed += 1;
        }
    }
    if removed > 0 {
        sync_dir(data_dir);
    }
    Ok(removed)
}

/// A backup's file name as messages show it.
fn shown_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// The wrapped key a backup holds, if it was taken of a protected log.
fn backup_envelope(file: &BackupFile) -> Option<super::vault::Envelope> {
    let key = hex(super::vault::META_VAULT);
    let meta = file.trees.iter().find(|t| t.name == "meta")?;
    let (_, value) = meta.entries.iter().find(|(k, _)| *k == key)?;
    serde_json::from_slice(&unhex(value)?).ok()
}

/// Whether a backup file is known to hold a log in the clear (an unreadable one is not known
/// to, and is left alone).
pub(crate) fn is_plain_backup(path: &Path) -> bool {
    read_backup_file(path).is_ok_and(|f| backup_envelope(&f).is_none())
}

fn read_backup_file(path: &Path) -> StoreResult<BackupFile> {
    let bad = |reason: String| StoreError::BadBackup {
        path: path.to_path_buf(),
        reason,
    };
    let size = fs::metadata(path)
        .map_err(|e| bad(format!("it cannot be read ({e})")))?
        .len();
    if size > MAX_BACKUP_BYTES {
        return Err(bad(format!("it is too large ({size} bytes)")));
    }
    let bytes = fs::read(path).map_err(|e| bad(format!("it cannot be read ({e})")))?;
    let file: BackupFile = serde_json::from_slice(&bytes).map_err(|e| {
        bad(format!(
            "it is not a beatbook backup or it is damaged ({e})"
        ))
    })?;
    if file.format != FORMAT_NAME {
        return Err(bad("it is not a beatbook backup".into()));
    }
    if file.version > BACKUP_VERSION || file.store_format > CURRENT_FORMAT {
        return Err(bad(
            "it was made by a newer beatbook; update beatbook to restore it".into(),
        ));
    }
    if checksum(&file.trees)? != file.sha256 {
        return Err(bad(
            "it is damaged (its checksum does not match its contents)".into(),
        ));
    }
    let allowed = backed_up_trees();
    let mut seen = Vec::new();
    for tree in &file.trees {
        if !allowed.contains(&tree.name.as_str()) || seen.contains(&tree.name) {
            return Err(bad(format!(
                "it holds an unknown or repeated part \"{}\"",
                tree.name
            )));
        }
        seen.push(tree.name.clone());
        let key_len = match tree.name.as_str() {
            "meta" => None,
            // Entries (`e` and a sequence number) and the head.
            super::audit::AUDIT_TREE => None,
            super::codec::HISTORY_TREE => Some(HISTORY_KEY_LEN),
            _ => Some(ID_KEY_LEN),
        };
        for (k, v) in &tree.entries {
            let (Some(k), Some(_)) = (unhex(k), unhex(v)) else {
                return Err(bad(format!(
                    "an entry of \"{}\" is not valid hex",
                    tree.name
                )));
            };
            if key_len.is_some_and(|n| k.len() != n) {
                return Err(bad(format!(
                    "an entry of \"{}\" has a malformed key",
                    tree.name
                )));
            }
        }
    }
    Ok(file)
}

/// Reads and verifies a backup, returning what it holds; nothing is written.
pub fn read_backup(path: &Path) -> StoreResult<BackupInfo> {
    let file = read_backup_file(path)?;
    Ok(BackupInfo {
        path: path.to_path_buf(),
        created_at: file.created_at,
        reason: file.reason,
        entries: Some(file.trees.iter().map(|t| t.entries.len()).sum()),
        bytes: fs::metadata(path).map(|m| m.len()).unwrap_or(0),
    })
}

/// The backups in the data folder, newest first (read from their names, not opened).
pub fn list_backups(data_dir: &Path) -> Vec<BackupInfo> {
    let Ok(entries) = fs::read_dir(backups_dir(data_dir)) else {
        return Vec::new();
    };
    let mut out: Vec<BackupInfo> = entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            let path = e.path();
            if path.extension()? != EXTENSION {
                return None;
            }
            let name = path
                .file_stem()?
                .to_str()?
                .strip_prefix("beatbook-")?
                .to_string();
            let stamp = name.get(..15)?;
            let at = chrono::NaiveDateTime::parse_from_str(stamp, NAME_TIME).ok()?;
            let reason = name.get(16..).unwrap_or_default().replace('-', " ");
            Some(BackupInfo {
                created_at: at.and_utc(),
                reason,
                entries: None,
                bytes: e.metadata().map(|m| m.len()).unwrap_or(0),
                path,
            })
        })
        .collect();
    out.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(b.path.cmp(&a.path)));
    out
}

/// Deletes backups older than `keep_days`, always keeping the newest. Returns how many went.
pub fn prune_backups(data_dir: &Path, keep_days: u32, now: DateTime<Utc>) -> usize {
    // Settings allow up to ten years; a larger stored value is read as that.
    let cutoff = now - chrono::Duration::days(i64::from(keep_days.clamp(1, 3650)));
    list_backups(data_dir)
        .iter()
        .skip(1)
        .filter(|b| b.created_at < cutoff)
        .filter(|b| fs::remove_file(&b.path).is_ok())
        .count()
}

/// Replaces the log in `data_dir` with the backup in `file`. The backup is verified first; the
/// current log is backed up before it is replaced (a damaged one as far as it can be read) and
/// kept aside as `store.replaced-…`. The data folder stays locked throughout.
pub fn restore(
    data_dir: &Path,
    file: &Path,
    passphrase: &Passphrase,
) -> StoreResult<RestoreSummary> {
    restore_keeping_key(data_dir, file, passphrase).map(|(summary, _)| summary)
}

/// [`restore`], handing back the restored log's key (opened once from the passphrase), so the
/// log can be opened without deriving it again.
pub fn restore_keeping_key(
    data_dir: &Path,
    file: &Path,
    passphrase: &Passphrase,
) -> StoreResult<(RestoreSummary, super::KeptKey)> {
    let backup = read_backup_file(file)?;
    // The passphrase is checked before anything is written, the safety backup included.
    let cipher = match backup_envelope(&backup) {
        Some(envelope) => Some(super::vault::unwrap(&envelope, passphrase)?.ok_or_else(|| {
            StoreError::BadBackup {
                path: file.to_path_buf(),
                reason: "the passphrase does not open it (a backup opens with the passphrase \
                         in use when it was taken)"
                    .into(),
            }
        })?),
        None => None,
    };
    let lock = FolderLock::acquire(data_dir)?;
    // A replaced log is kept (see `finish_interrupted_restore`).
    let _kept = finish_interrupted_restore(data_dir)?;
    let store_path = data_dir.join(STORE_FOLDER);
    let safety_backup = if store_path.exists() {
        safety_backup(data_dir, &store_path, &lock)?
    } else {
        None
    };

    let staging = data_dir.join(STAGING_FOLDER);
    let done_marker = data_dir.join(STAGING_DONE);
    let failed =
        |e: Cause| StoreError::Write(During::cause("the restore could not be prepared", e));
    let unusable = |reason: String| StoreError::BadBackup {
        path: file.to_path_buf(),
        reason,
    };
    if staging.exists() {
        fs::remove_dir_all(&staging).map_err(|e| failed(e.into()))?;
    }
    let built = (|| -> StoreResult<super::KeptKey> {
        {
            let db = open_db(&staging)?;
            for tree in &backup.trees {
                let t = db.open_tree(&tree.name).map_err(|e| failed(e.into()))?;
                for (k, v) in &tree.entries {
                    let (Some(k), Some(v)) = (unhex(k), unhex(v)) else {
                        continue;
                    };
                    t.insert(k, v).map_err(|e| failed(e.into()))?;
                }
            }
            // The restored log mints ids as a new store: its id counter starts again, and a
            // new store identity keeps new ids apart from every id in the backup.
            let meta = db.open_tree("meta").map_err(|e| failed(e.into()))?;
            for key in [super::META_NODE, super::vault::META_CLEANUP] {
                meta.remove(key).map_err(|e| failed(e.into()))?;
            }
            db.flush().map_err(|e| failed(e.into()))?;
        }
        let mut restored = Store::open_at(data_dir, staging.clone(), lock.clone())
            .map_err(|e| unusable(format!("its contents cannot be read ({e})")))?;
        restored.use_key(cipher);
        let unreadable = |e: StoreError| match e {
            StoreError::Corrupt { kind, .. } => unusable(format!("a {kind} in it cannot be read")),
            other => other,
        };
        // The restored log is rebuilt whole below, whatever its format was.
        let _upgraded = super::migrate::bring_up_to_date(&restored, false).map_err(unreadable)?;
        restored.rebuild_indexes().map_err(unreadable)?;
        let report = restored.check().map_err(unreadable)?;
        if report.unreadable > 0 {
            return Err(unusable(format!(
                "{} of its entries cannot be read ({})",
                report.unreadable,
                report.problems.join("; ")
            )));
        }
        Ok(restored.close_keeping_key())
    })();
    let key = match built {
        Ok(key) => key,
        Err(e) => {
            let _ = fs::remove_dir_all(&staging);
            return Err(e);
        }
    };
    write_synced(&done_marker).map_err(|e| failed(e.into()))?;
    let _kept = finish_interrupted_restore(data_dir)?;
    drop(lock);
    let summary = RestoreSummary {
        from: file.to_path_buf(),
        created_at: backup.created_at,
        entries: backup.trees.iter().map(|t| t.entries.len()).sum(),
        safety_backup,
    };
    Ok((summary, key))
}

/// Backs up the log about to be replaced: the usual way when it opens, as far as it can be
/// read when it is damaged. A log from a newer beatbook is not replaced at all.
fn safety_backup(
    data_dir: &Path,
    store_path: &Path,
    lock: &Arc<FolderLock>,
) -> StoreResult<Option<PathBuf>> {
    // Copied as stored (still encrypted), so no passphrase is needed, and as far as it reads
    // when it is damaged.
    let Ok(current) = Store::open_at(data_dir, store_path.to_path_buf(), lock.clone()) else {
        return Ok(None);
    };
    if let Some(found) = super::migrate::read_format(&current)?.filter(|f| *f > CURRENT_FORMAT) {
        return Err(StoreError::NewerFormat {
            found,
            supported: CURRENT_FORMAT,
        });
    }
    Ok(current.backup("before restore").ok().map(|b| b.path))
}

/// Creates an empty file and makes it and its folder entry durable.
pub(crate) fn write_synced(path: &Path) -> std::io::Result<()> {
    let f = super::private_files::open_or_create(path)?;
    f.sync_all()?;
    if let Some(dir) = path.parent() {
        sync_dir(dir);
    }
    Ok(())
}

/// Completes a restore (or compaction) that was verified but not yet swapped in (for instance
/// after a crash), or clears away one that never finished preparing. Runs under the data
/// folder's lock. The folder the replaced log was moved to, if this call moved one.
pub(crate) fn finish_interrupted_restore(data_dir: &Path) -> StoreResult<Option<PathBuf>> {
    let staging = data_dir.join(STAGING_FOLDER);
    let done_marker = data_dir.join(STAGING_DONE);
    let swap_failed = |e: std::io::Error| {
        StoreError::Write(During::cause(
            "the restored log could not be put in place",
            e,
        ))
    };
    if !staging.exists() {
        let _ = fs::remove_file(&done_marker);
        return Ok(None);
    }
    if !done_marker.exists() {
        fs::remove_dir_all(&staging).map_err(swap_failed)?;
        return Ok(None);
    }
    // The seal names the replaced log's last record: it goes first, so that a crash during
    // the swap never leaves the restored log checked against it.
    super::seal::remove(data_dir).map_err(swap_failed)?;
    let current = data_dir.join(STORE_FOLDER);
    let mut moved = None;
    if current.exists() {
        // Every replaced log is kept, under the time it was replaced (and a number when two
        // are replaced within a second).
        let stamp = format!("{REPLACED_FOLDER}-{}", Utc::now().format(NAME_TIME));
        let mut replaced = data_dir.join(&stamp);
        let mut n = 1;
        while replaced.exists() {
            n += 1;
            replaced = data_dir.join(format!("{stamp}-{n}"));
        }
        fs::rename(&current, &replaced).map_err(swap_failed)?;
        moved = Some(replaced);
    }
    fs::rename(&staging, &current).map_err(swap_failed)?;
    sync_dir(data_dir);
    fs::remove_file(&done_marker).map_err(swap_failed)?;
    sync_dir(data_dir);
    Ok(moved)
}
