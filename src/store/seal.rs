//! The seal: a small file beside the store naming the last record saved (kind, id, revision).
//!
//! sled recovers from a damaged log by keeping what comes before the damage, which can silently
//! drop the newest entries. The seal is rewritten (atomically, by rename) after every flush;
//! when the store opens, the sealed record must be there at that revision or later, or the log
//! is reported as damaged instead of being shown with entries missing.

use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::model::{Id, RecordKind};

pub(crate) const SEAL_FILE: &str = "store.seal";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Seal {
    pub kind: RecordKind,
    pub id: Id,
    pub revision: u32,
}

pub(crate) fn path(data_dir: &Path) -> PathBuf {
    data_dir.join(SEAL_FILE)
}

/// The seal, if there is a readable one. A torn or missing seal only means less checking.
pub(crate) fn read(data_dir: &Path) -> Option<Seal> {
    let bytes = fs::read(path(data_dir)).ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// Replaces the seal. Not synced on its own: after a power cut an older seal names an older
/// record, which is still there, so the check stays sound.
pub(crate) fn write(data_dir: &Path, seal: &Seal) -> std::io::Result<()> {
    let tmp = data_dir.join(format!("{SEAL_FILE}.tmp"));
    fs::write(&tmp, serde_json::to_vec(seal)?)?;
    fs::rename(&tmp, path(data_dir))
}

/// Removes the seal; a seal that is already gone is fine.
pub(crate) fn remove(data_dir: &Path) -> std::io::Result<()> {
    match fs::remove_file(path(data_dir)) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}
