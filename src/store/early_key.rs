//! A copy of the log's wrapped key beside it (`store.key`), so the key can be derived from
//! the passphrase while sled is still opening the log: the two slow steps of a cold start run
//! on two cores at once.
//!
//! The copy holds what the log's own meta tree holds (the salt, the cost and the data key
//! wrapped by the passphrase): no secret in the clear, and nothing a copy of the log's files
//! would not give. It is only a hint: a key derived from it is used only when the copy is the
//! very envelope the open log holds, so a stale copy (after a passphrase change or a restore)
//! or a damaged one only costs the derivation again.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::private_files;
use super::vault::{self, Cipher, Envelope, Passphrase};

const KEY_FILE: &str = "store.key";

fn path(data_dir: &Path) -> PathBuf {
    data_dir.join(KEY_FILE)
}

/// The copy of the wrapped key, if there is a readable one.
pub(crate) fn read(data_dir: &Path) -> Option<Envelope> {
    serde_json::from_slice(&fs::read(path(data_dir)).ok()?).ok()
}

/// Keeps `envelope` as the copy, unless it is there already. A copy that cannot be written
/// only means the next cold start derives the key after the log is open.
pub(crate) fn keep(data_dir: &Path, envelope: &Envelope) {
    if read(data_dir).as_ref() == Some(envelope) {
        return;
    }
    let Ok(bytes) = serde_json::to_vec(envelope) else {
        return;
    };
    let target = path(data_dir);
    let Ok((tmp, mut file)) = private_files::create_temp_beside(&target) else {
        return;
    };
    let written = file.write_all(&bytes).is_ok() && fs::rename(&tmp, &target).is_ok();
    if !written {
        let _ = fs::remove_file(&tmp);
    }
}

/// A key derived from the copy beside the log before the log was open: the data key, or
/// `None` when the passphrase does not unwrap that copy.
pub struct EarlyKey {
    envelope: Envelope,
    cipher: Option<Cipher>,
}

impl EarlyKey {
    /// Derives the key from the copy beside the log in `data_dir`; `None` when there is no
    /// usable copy. Takes as long as an unlock's key derivation: run it beside the open.
    pub fn derive(data_dir: &Path, passphrase: &Passphrase) -> Option<EarlyKey> {
        let envelope = read(data_dir)?;
        let cipher = vault::unwrap(&envelope, passphrase).ok()?;
        Some(EarlyKey { envelope, cipher })
    }

    /// What the passphrase unwraps, if this key was derived from `envelope` itself: `Some`
    /// with the data key, or with `None` for a wrong passphrase. `None` when the copy was
    /// another envelope, which then has to be derived from.
    pub(crate) fn for_envelope(self, envelope: &Envelope) -> Option<Option<Cipher>> {
        (self.envelope == *envelope).then_some(self.cipher)
    }
}
