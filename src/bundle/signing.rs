//! Signatures: every bundle is signed with the Ed25519 key of the log that wrote it, so a
//! reader knows which log (and so which officer, once the key is approved) it came from.

use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};

use crate::hex::{hex, unhex};
use crate::model::{Member, MemberStatus, Officer};
use crate::store::{Store, StoreError, StoreResult};

/// What a signature covers: a fixed word, then the bundle's checksum (which covers every line
/// before the closing one, the header with its key and context included).
fn message(digest_hex: &str) -> Vec<u8> {
    [
        b"beatbook-bundle-signature\n".as_slice(),
        digest_hex.as_bytes(),
    ]
    .concat()
}

/// A log's signing key, unlocked for the moment it is needed.
pub struct LogSigner {
    key: SigningKey,
}

impl LogSigner {
    /// The signing key kept (encrypted) in `store`, made the first time.
    pub fn of(store: &Store) -> StoreResult<Self> {
        let secret = store.signing_key_bytes()?;
        Ok(LogSigner {
            key: SigningKey::from_bytes(&secret),
        })
    }

    /// The log's key if it has one yet (reads only: planning an import writes nothing).
    pub fn if_made(store: &Store) -> StoreResult<Option<Self>> {
        Ok(store.signing_key_if_made()?.map(|secret| LogSigner {
            key: SigningKey::from_bytes(&secret),
        }))
    }

    /// The public half, as hexadecimal (what bundles and the roster carry).
    pub fn public_hex(&self) -> String {
        hex(self.key.verifying_key().as_bytes())
    }

    pub fn fingerprint(&self) -> String {
        crate::model::fingerprint_of_key(&self.public_hex())
    }

    /// The signature (hexadecimal) of a bundle whose checksum is `digest_hex`.
    pub fn sign_digest(&self, digest_hex: &str) -> String {
        hex(&self.key.sign(&message(digest_hex)).to_bytes())
    }

    /// The signature (hexadecimal) of any other signed document (the roster, a join file).
    pub fn sign(&self, what: &[u8]) -> String {
        hex(&self.key.sign(what).to_bytes())
    }
}

/// Whether `signature_hex` is the signature by `key_hex` of `what`.
pub fn verify(key_hex: &str, what: &[u8], signature_hex: &str) -> bool {
    let Some(key) = unhex(key_hex)
        .and_then(|b| <[u8; 32]>::try_from(b.as_slice()).ok())
        .and_then(|b| VerifyingKey::from_bytes(&b).ok())
    else {
        return false;
    };
    let Some(signature) = unhex(signature_hex)
        .and_then(|b| <[u8; 64]>::try_from(b.as_slice()).ok())
        .map(|b| Signature::from_bytes(&b))
    else {
        return false;
    };
    // Strict: refuses the weak keys and malleable signatures plain verification lets by.
    key.verify_strict(what, &signature).is_ok()
}

/// Whether `signature_hex` is `key_hex`'s signature of a bundle with checksum `digest_hex`.
pub fn verify_digest(key_hex: &str, digest_hex: &str, signature_hex: &str) -> bool {
    verify(key_hex, &message(digest_hex), signature_hex)
}

/// This log as a roster member (approved: a log always accepts its own key).
pub fn my_member(store: &Store) -> StoreResult<Member> {
    let profile = store.require_profile()?;
    let me = store
        .get::<Officer>(profile.officer)?
        .ok_or(StoreError::NotSetUp)?;
    Ok(Member {
        key: LogSigner::of(store)?.public_hex(),
        officer: me.meta.id,
        name: me.name,
        badge: me.badge,
        role: me.role,
        status: MemberStatus::Approved,
        since: me.meta.created_at,
    })
}
