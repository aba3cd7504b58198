//! Bundles sealed for the squad: the JSON Lines bundle encrypted and authenticated with a key
//! derived (Argon2id) from the squad passphrase, so a bundle on a USB stick or in a mailbox
//! gives nothing away and a changed byte is refused.
//!
//! Layout: a first line naming the format, a second line with the sealing parameters (JSON),
//! then the AES-256-GCM ciphertext of the whole plain bundle. Both lines are bound in as
//! associated data.

use serde::{Deserialize, Serialize};

use crate::hex::{hex, unhex};
use crate::store::vault::{fresh_salt_and_nonce, AeadKey};
use crate::store::{KdfCost, Passphrase, StoreError};

const MAGIC: &[u8] = b"beatbook-sealed-bundle\n";
const SEALED_VERSION: u32 = 1;
/// Parameters beyond these are refused rather than run (a forged header could ask for any).
const MAX_MEMORY_KIB: u32 = 1 << 20;
const MAX_PASSES: u32 = 16;

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
    out.extend(serde_json::to_vec(&header).map_err(|e| StoreError::Write(e.to_string()))?);
    out.push(b'\n');
    let key = AeadKey::derive(squad, &salt, squad.cost())?;
    let sealed = key.seal(&nonce, &out, plain)?;
    out.extend(sealed);
    Ok(out)
}

/// The plain bundle inside a sealed one, or why it cannot be had (in words for the person
/// importing it).
pub(crate) fn open(bytes: &[u8], squad: &Passphrase) -> Result<Vec<u8>, String> {
    let Some(rest) = bytes.strip_prefix(MAGIC) else {
        return Err(if bytes.starts_with(b"{\"format\":\"beatbook-bundle\"") {
            "it is not encrypted (it was made by an older beatbook); ask for it to be \
             exported again."
                .into()
        } else {
            "it is not a beatbook bundle.".into()
        });
    };
    let damaged = || "it is damaged or was cut short; ask for it to be sent again.".to_string();
    let end = rest.iter().position(|b| *b == b'\n').ok_or_else(damaged)?;
    let header: SealHeader = serde_json::from_slice(&rest[..end]).map_err(|_| damaged())?;
    if header.version > SEALED_VERSION {
        return Err(format!(
            "it was sealed by a newer beatbook (version {}; this one reads up to \
             {SEALED_VERSION}). Update beatbook to import it.",
            header.version
        ));
    }
    let cost = header.cost;
    if cost.memory_kib > MAX_MEMORY_KIB || cost.passes > MAX_PASSES {
        return Err(damaged());
    }
    let salt = unhex(&header.salt).ok_or_else(damaged)?;
    let nonce = unhex(&header.nonce).ok_or_else(damaged)?;
    let aad = &bytes[..MAGIC.len() + end + 1];
    let key = AeadKey::derive(squad, &salt, cost).map_err(|_| damaged())?;
    key.open(&nonce, aad, &rest[end + 1..]).ok_or_else(|| {
        "it was changed after it was written, or sealed with another squad passphrase. \
         Check the squad passphrase in Settings, or ask for the bundle to be sent again."
            .to_string()
    })
}
