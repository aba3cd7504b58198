//! Bundles sealed for the squad: the JSON Lines bundle encrypted and authenticated with a key
//! derived (Argon2id) from the squad passphrase, so a bundle on a USB stick or in a mailbox
//! gives nothing away and a changed byte is refused.
//!
//! Layout: a first line naming the format, a second line with the sealing parameters (JSON),
//! then the AES-256-GCM ciphertext of the whole plain bundle. Both lines are bound in as
//! associated data.

use serde::{Deserialize, Serialize};

use crate::hex::{hex, unhex};
use crate::store::vault::{fresh_salt_and_nonce, AeadKey, NONCE_LEN};
use crate::store::{KdfCost, Passphrase, StoreError};

const MAGIC: &[u8] = b"beatbook-sealed-bundle\n";
const SEALED_VERSION: u32 = 1;
/// The length of AES-GCM's authentication tag, at the end of every ciphertext.
const TAG_LEN: usize = 16;
/// What every plain bundle starts with (its first line names the format).
const PLAIN_START: &[u8] = b"{\"format\":\"beatbook-bundle\"";
/// The shortest ciphertext that can hold a bundle: anything shorter is refused before a key
/// is derived for it.
const MIN_SEALED_LEN: usize = PLAIN_START.len() + TAG_LEN;
/// The lengths of the salt and nonce beatbook writes in the header.
const SALT_LEN: usize = 16;

#[derive(Serialize, Deserialize)]
struct SealHeader {
    version: u32,
    cost: KdfCost,
    salt: String,
    nonce: String,
}

/// The plain bundle sealed under the squad passphrase.
pub(crate) fn seal(plain: &[u8], squad: &Passphrase) -> Result<Vec<u8>, StoreError> {
    let (salt, nonce) = fresh_salt_and_nonce();
    let header = SealHeader {
        version: SEALED_VERSION,
        cost: squad.cost(),
        salt: hex(&salt),
        nonce: hex(&nonce),
    };
    let mut out = MAGIC.to_vec();
    out.extend(serde_json::to_vec(&header).map_err(|e| StoreError::Write(e.into()))?);
    out.push(b'\n');
    let key = AeadKey::derive(squad, &salt, squad.cost())?;
    let sealed = key.seal(&nonce, &out, plain)?;
    out.extend(sealed);
    Ok(out)
}

/// The squad's sealing key for one squad, derived once (the costly step) and used for many
/// objects: its salt comes from the squad's id, so every member derives the same key, and each
/// object still has a nonce of its own. The sealed layout is the same as a bundle file's.
pub struct SquadKey {
    key: AeadKey,
    salt: [u8; SALT_LEN],
    cost: KdfCost,
}

impl SquadKey {
    fn salt(squad_id: &str) -> [u8; SALT_LEN] {
        use sha2::{Digest, Sha256};
        let digest = Sha256::digest(format!("beatbook-squad-salt\n{squad_id}").as_bytes());
        let mut salt = [0u8; SALT_LEN];
        salt.copy_from_slice(&digest[..SALT_LEN]);
        salt
    }

    /// The key's bytes, derived from the squad passphrase at its cost (the costly step, done
    /// once per squad and passphrase; the log keeps them sealed).
    pub fn derive_bytes(
        squad: &Passphrase,
        squad_id: &str,
    ) -> Result<zeroize::Zeroizing<[u8; 32]>, StoreError> {
        AeadKey::derive_bytes(squad, &Self::salt(squad_id), squad.cost())
    }

    /// The key of `squad_id` from bytes [`SquadKey::derive_bytes`] gave at `cost`.
    pub fn from_bytes(key: &[u8; 32], squad_id: &str, cost: KdfCost) -> Self {
        SquadKey {
            key: AeadKey::from_bytes(key),
            salt: Self::salt(squad_id),
            cost,
        }
    }

    pub fn seal(&self, plain: &[u8]) -> Result<Vec<u8>, StoreError> {
        let (_, nonce) = fresh_salt_and_nonce();
        let header = SealHeader {
            version: SEALED_VERSION,
            cost: self.cost,
            salt: hex(&self.salt),
            nonce: hex(&nonce),
        };
        let mut out = MAGIC.to_vec();
        out.extend(serde_json::to_vec(&header).map_err(|e| StoreError::Write(e.into()))?);
        out.push(b'\n');
        let sealed = self.key.seal(&nonce, &out, plain)?;
        out.extend(sealed);
        Ok(out)
    }

    /// The plain bytes of an object sealed with this key; anything sealed otherwise (another
    /// squad, a bundle file) is refused without a derivation.
    pub fn open(&self, bytes: &[u8]) -> Result<Vec<u8>, SealedBundleError> {
        use SealedBundleError::*;
        let rest = bytes.strip_prefix(MAGIC).ok_or(NotABundle)?;
        let end = rest.iter().position(|b| *b == b'\n').ok_or(Damaged)?;
        let header: SealHeader = serde_json::from_slice(&rest[..end]).map_err(|_| Damaged)?;
        if header.version > SEALED_VERSION {
            return Err(Newer(header.version));
        }
        if unhex(&header.salt).as_deref() != Some(&self.salt[..]) {
            return Err(NotOpened);
        }
        let nonce = unhex(&header.nonce)
            .filter(|n| n.len() == NONCE_LEN)
            .ok_or(Damaged)?;
        let aad = &bytes[..MAGIC.len() + end + 1];
        self.key
            .open(&nonce, aad, &rest[end + 1..])
            .ok_or(NotOpened)
    }
}

/// Why a sealed bundle cannot be opened, in words for the person importing it.
#[derive(Debug, thiserror::Error)]
pub enum SealedBundleError {
    #[error(
        "it is not encrypted (it was made by an older beatbook); ask for it to be exported again."
    )]
    NotEncrypted,
    #[error("it is not a beatbook bundle.")]
    NotABundle,
    #[error("it is damaged or was cut short; ask for it to be sent again.")]
    Damaged,
    #[error("it was sealed by a newer beatbook (version {0}; this one reads up to {SEALED_VERSION}). Update beatbook to import it.")]
    Newer(u32),
    #[error("it asks for a key derivation of {memory_mib} MiB and {passes} passes, more than beatbook ever uses, so it was not sealed by beatbook. Nothing was opened.")]
    ExcessiveCost { memory_mib: u32, passes: u32 },
    #[error("it was changed after it was written, or sealed with another squad passphrase. Check the squad passphrase, or ask for the bundle to be sent again.")]
    NotOpened,
}

/// The plain bundle inside a sealed one, or why it cannot be had.
pub(crate) fn open(bytes: &[u8], squad: &Passphrase) -> Result<Vec<u8>, SealedBundleError> {
    use SealedBundleError::*;
    let Some(rest) = bytes.strip_prefix(MAGIC) else {
        return Err(if bytes.starts_with(PLAIN_START) {
            NotEncrypted
        } else {
            NotABundle
        });
    };
    let end = rest.iter().position(|b| *b == b'\n').ok_or(Damaged)?;
    let header: SealHeader = serde_json::from_slice(&rest[..end]).map_err(|_| Damaged)?;
    if header.version > SEALED_VERSION {
        return Err(Newer(header.version));
    }
    // Everything that can be checked is checked before the key is derived: the derivation
    // is the one costly step, and a forged file must not get to ask for it.
    let cost = header.cost;
    if !cost.is_accepted() {
        return Err(ExcessiveCost {
            memory_mib: cost.memory_kib / 1024,
            passes: cost.passes,
        });
    }
    let ciphertext = &rest[end + 1..];
    if ciphertext.len() < MIN_SEALED_LEN {
        return Err(Damaged);
    }
    let salt = unhex(&header.salt)
        .filter(|s| s.len() == SALT_LEN)
        .ok_or(Damaged)?;
    let nonce = unhex(&header.nonce)
        .filter(|n| n.len() == NONCE_LEN)
        .ok_or(Damaged)?;
    let aad = &bytes[..MAGIC.len() + end + 1];
    let key = AeadKey::derive(squad, &salt, cost).map_err(|_| Damaged)?;
    key.open(&nonce, aad, ciphertext).ok_or(NotOpened)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::vault::DERIVATIONS;

    fn squad() -> Passphrase {
        Passphrase::new("Squad-Elm-Park-7").with_cost(KdfCost::MINIMAL)
    }

    fn derivations() -> u32 {
        DERIVATIONS.with(|n| n.get())
    }

    /// A sealed file with the given header cost and ciphertext length.
    fn forged(memory_kib: u32, passes: u32, ciphertext_len: usize) -> Vec<u8> {
        let mut out = MAGIC.to_vec();
        out.extend(
            format!(
                "{{\"version\":1,\"cost\":{{\"memory_kib\":{memory_kib},\"passes\":{passes}}},\
                 \"salt\":\"{}\",\"nonce\":\"{}\"}}\n",
                "00".repeat(SALT_LEN),
                "00".repeat(NONCE_LEN)
            )
            .as_bytes(),
        );
        out.extend(std::iter::repeat_n(0u8, ciphertext_len));
        out
    }

    #[test]
    fn a_header_asking_for_a_huge_cost_is_refused_before_any_derivation() {
        let before = derivations();
        let err = open(&forged(1 << 20, 16, 64), &squad())
            .unwrap_err()
            .to_string();
        assert!(err.contains("1024 MiB and 16 passes"), "{err}");
        assert!(err.contains("not sealed by beatbook"), "{err}");
        let err = open(&forged(64, 1000, 64), &squad())
            .unwrap_err()
            .to_string();
        assert!(err.contains("not sealed by beatbook"), "{err}");
        assert_eq!(derivations(), before, "no key was derived");
    }

    #[test]
    fn a_ciphertext_too_short_for_a_bundle_is_refused_before_any_derivation() {
        let before = derivations();
        for len in [0, TAG_LEN, MIN_SEALED_LEN - 1] {
            let err = open(&forged(64, 1, len), &squad()).unwrap_err().to_string();
            assert!(err.contains("damaged or was cut short"), "{err}");
        }
        assert_eq!(derivations(), before, "no key was derived");
    }

    #[test]
    fn the_costs_beatbook_writes_are_accepted() {
        for cost in [KdfCost::MINIMAL, KdfCost::STANDARD] {
            assert!(cost.is_accepted());
        }
        let sealed = seal(b"{\"format\":\"beatbook-bundle\"}\n", &squad()).unwrap();
        let before = derivations();
        assert_eq!(
            open(&sealed, &squad()).unwrap(),
            b"{\"format\":\"beatbook-bundle\"}\n"
        );
        assert_eq!(derivations(), before + 1, "the counter sees a derivation");
    }
}
