//! The data folder on disk: the lock that keeps one beatbook per folder, opening sled safely,
//! and making renames durable.

use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;

use super::{private_files, StoreError};

/// How long to keep retrying a held lock. A store closed a moment ago in this process can
/// still hold sled's lock briefly (sled releases it from a background thread); another running
/// beatbook keeps it for good.
const LOCK_GRACE: Duration = Duration::from_millis(3000);

/// An exclusive lock on the data folder, held for as long as a store is open or a restore
/// runs, so no second beatbook can open, restore or finish a restore under it.
#[derive(Debug)]
pub(crate) struct FolderLock {
    _file: File,
}

impl FolderLock {
    pub(crate) fn acquire(dir: &Path) -> Result<Arc<Self>, StoreError> {
        // Refuses a folder others can change before anything is created in it.
        private_files::prepare_data_folder(dir)?;
        let file = private_files::open_or_create(&dir.join("beatbook.lock"))
            .map_err(|_| StoreError::NotWritable(dir.to_path_buf()))?;
        let started = Instant::now();
        loop {
            match file.try_lock() {
                Ok(()) => return Ok(Arc::new(FolderLock { _file: file })),
                Err(fs::TryLockError::WouldBlock) if started.elapsed() < LOCK_GRACE => {
                    std::thread::sleep(Duration::from_millis(50));
                }
                Err(fs::TryLockError::WouldBlock) => return Err(StoreError::Locked),
                Err(fs::TryLockError::Error(e)) => {
                    return Err(StoreError::Unreadable {
                        path: dir.to_path_buf(),
                        reason: format!("the folder cannot be locked ({e})"),
                    })
                }
            }
        }
    }
}

/// Makes a rename or a new file in `dir` survive a power cut (on systems that allow syncing a
/// folder; elsewhere the rename itself is as durable as it gets).
pub(crate) fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

/// Opens sled in `path`. A damaged snapshot file is moved aside once (sled's log alone holds
/// every entry; snapshots only speed up opening), and a panic inside sled on a damaged file
/// becomes a plain error instead of ending the app.
pub(crate) fn open_db(path: &Path) -> Result<sled::Db, StoreError> {
    let started = Instant::now();
    let mut set_aside: Option<PathBuf> = None;
    // sled creates its files with the process's umask: its folder is made private first, so
    // nothing in it can be reached by others whatever sled's modes (see `private_files`).
    private_files::create_folder(path).map_err(|_| StoreError::NotWritable(path.to_path_buf()))?;
    loop {
        let opened = std::panic::catch_unwind(|| sled::Config::new().path(path).open());
        let result = match opened {
            Ok(r) => r,
            Err(_) => {
                return Err(StoreError::Unreadable {
                    path: path.to_path_buf(),
                    reason: "its files are damaged".into(),
                })
            }
        };
        match result {
            Ok(db) => {
                // What sled created (or an earlier version left) is made private as well.
                private_files::tighten(path);
                return Ok(db);
            }
            Err(e) => match open_error(&e, path) {
                StoreError::Locked if started.elapsed() < LOCK_GRACE => {
                    std::thread::sleep(Duration::from_millis(50));
                }
                _ if matches!(e, sled::Error::Corruption { .. }) && set_aside.is_none() => {
                    match set_snapshots_aside(path) {
                        Some(aside) => set_aside = Some(aside),
                        None => return Err(open_error(&e, path)),
                    }
                }
                other => {
                    // Setting the snapshots aside did not help: put them back as they were.
                    if let Some(aside) = &set_aside {
                        put_back(aside, path);
                    }
                    return Err(other);
                }
            },
        }
    }
}

/// Moves sled's `snap.*` files into a dated folder beside the store; the folder, if any.
fn set_snapshots_aside(path: &Path) -> Option<PathBuf> {
    let snaps: Vec<PathBuf> = fs::read_dir(path)
        .ok()?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("snap."))
        })
        .collect();
    if snaps.is_empty() {
        return None;
    }
    let aside = path.parent()?.join(format!(
        "snapshots-set-aside-{}",
        Utc::now().format("%Y%m%d-%H%M%S")
    ));
    private_files::create_folder(&aside).ok()?;
    for p in &snaps {
        fs::rename(p, aside.join(p.file_name()?)).ok()?;
    }
    Some(aside)
}

fn put_back(aside: &Path, path: &Path) {
    if let Ok(entries) = fs::read_dir(aside) {
        for e in entries.filter_map(Result::ok) {
            let _ = fs::rename(e.path(), path.join(e.file_name()));
        }
    }
    let _ = fs::remove_dir(aside);
}

pub(crate) fn open_error(e: &sled::Error, path: &Path) -> StoreError {
    match e {
        // sled 0.34.7 (pinned) reports a held lock only through this message.
        sled::Error::Io(io) if io.to_string().contains("could not acquire lock") => {
            StoreError::Locked
        }
        sled::Error::Io(io) if io.kind() == std::io::ErrorKind::PermissionDenied => {
            StoreError::NotWritable(path.to_path_buf())
        }
        other => StoreError::Unreadable {
            path: path.to_path_buf(),
            reason: other.to_string(),
        },
    }
}
