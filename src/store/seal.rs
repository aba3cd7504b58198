//! The seal: a small file beside the store naming the last record saved (kind, id, revision).
//!
//! sled recovers from a damaged log by keeping what comes before the damage, which can silently
//! drop the newest entries. The seal is rewritten after every flush; when the store opens, the
//! sealed record must be there at that revision or later, or the log is reported as damaged
//! instead of being shown with entries missing.
//!
//! The file is kept open and overwritten in place, padded to one length, with a checksum: a
//! save then costs one write instead of creating and renaming a file, and a seal torn by a
//! crash fails its checksum and is taken as missing.

use std::fs::{self, File};
use std::io::{Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::model::{Id, RecordKind};

pub(crate) const SEAL_FILE: &str = "store.seal";

/// What every seal written in place takes on disk, padded with spaces (longer than any seal,
/// and than the unpadded seals of earlier versions).
const SEAL_LEN: usize = 192;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Seal {
    pub kind: RecordKind,
    pub id: Id,
    pub revision: u32,
}

/// A seal as the file holds it. Seals written by rename (before the checksum) have none.
#[derive(Serialize, Deserialize)]
struct Stored {
    #[serde(flatten)]
    seal: Seal,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    check: Option<String>,
}

/// The first eight bytes of the SHA-256 of the seal's JSON, in hex.
fn checksum(seal: &Seal) -> String {
    let json = serde_json::to_vec(seal).unwrap_or_default();
    crate::hex::hex(&Sha256::digest(json)[..8])
}

pub(crate) fn path(data_dir: &Path) -> PathBuf {
    data_dir.join(SEAL_FILE)
}

/// The seal, if there is a readable one. A torn or missing seal only means less checking.
pub(crate) fn read(data_dir: &Path) -> Option<Seal> {
    let bytes = fs::read(path(data_dir)).ok()?;
    let stored: Stored = serde_json::from_slice(&bytes).ok()?;
    match stored.check {
        Some(check) if check != checksum(&stored.seal) => None,
        _ => Some(stored.seal),
    }
}

/// Overwrites the seal in `file` (the data folder's seal file, opened when `None`). Not synced
/// on its own: after a power cut an older seal names an older record, which is still there,
/// so the check stays sound.
pub(crate) fn write(file: &mut Option<File>, data_dir: &Path, seal: &Seal) -> std::io::Result<()> {
    let stored = Stored {
        seal: *seal,
        check: Some(checksum(seal)),
    };
    let mut bytes = serde_json::to_vec(&stored)?;
    if bytes.len() < SEAL_LEN {
        bytes.resize(SEAL_LEN, b' ');
    }
    let open = match file.take() {
        Some(f) => f,
        None => super::private_files::open_or_create(&path(data_dir))?,
    };
    (&open).seek(SeekFrom::Start(0))?;
    (&open).write_all(&bytes)?;
    // Kept only after a whole write: a failed one opens the file afresh next time.
    *file = Some(open);
    Ok(())
}

/// Removes the seal; a seal that is already gone is fine.
pub(crate) fn remove(data_dir: &Path) -> std::io::Result<()> {
    match fs::remove_file(path(data_dir)) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seal(revision: u32) -> Seal {
        Seal {
            kind: RecordKind::Contact,
            id: Id(0x019f_3825_d04d_40ca_1288_f2cd_0000_0042),
            revision,
        }
    }

    #[test]
    fn a_seal_is_overwritten_in_place_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        // A seal as earlier versions wrote it: shorter, no checksum.
        fs::write(path(dir.path()), serde_json::to_vec(&seal(1)).unwrap()).unwrap();
        assert_eq!(read(dir.path()), Some(seal(1)));
        let mut file = None;
        for revision in [2, 1_000_000, 3] {
            write(&mut file, dir.path(), &seal(revision)).unwrap();
            assert_eq!(read(dir.path()), Some(seal(revision)));
            assert_eq!(
                fs::metadata(path(dir.path())).unwrap().len(),
                SEAL_LEN as u64
            );
        }
        assert!(file.is_some(), "the file stays open between seals");
    }

    #[test]
    fn a_torn_seal_is_taken_as_missing() {
        let dir = tempfile::tempdir().unwrap();
        write(&mut None, dir.path(), &seal(7)).unwrap();
        let text = fs::read_to_string(path(dir.path())).unwrap();
        // The revision of one seal with the checksum of another, as a torn write could leave.
        fs::write(
            path(dir.path()),
            text.replace("\"revision\":7", "\"revision\":8"),
        )
        .unwrap();
        assert_eq!(read(dir.path()), None);
        fs::write(path(dir.path()), &text.as_bytes()[..40]).unwrap();
        assert_eq!(read(dir.path()), None);
    }
}
