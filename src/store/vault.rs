//! Encryption at rest: the passphrase, the key it unlocks, and sealing stored values.
//!
//! A random 256-bit data key seals every record and history value with AES-256-GCM; the tree
//! and key a value is stored under are bound in as associated data, so a sealed value moved to
//! another record fails to open. The data key itself is kept in the meta tree wrapped by a key
//! derived from the passphrase with Argon2id. Changing the passphrase rewraps the data key in a
//! single write, so a crash leaves either the old or the new passphrase working, never neither.
//!
//! Five wrong passphrases in a row lock the log for ten minutes; the count lives in the store,
//! so closing and reopening the app does not reset it.

use aes_gcm::aead::{Aead, KeyInit, OsRng, Payload};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use zeroize::{Zeroize, Zeroizing};

use super::StoreError;

/// The meta key of the wrapped data key.
pub(crate) const META_VAULT: &[u8] = b"vault";
/// The meta key of the failed-unlock count.
pub(crate) const META_FAILURES: &[u8] = b"unlock_failures";
/// A constant sealed with the data key, to tell whether a key fits a log.
pub(crate) const META_KEY_CHECK: &[u8] = b"key_check";
/// Set in a freshly encrypted log until the unencrypted copies of it are removed.
pub(crate) const META_CLEANUP: &[u8] = b"unencrypted_copies";
const KEY_CHECK_TEXT: &[u8] = b"beatbook key check";

/// Wrong passphrases in a row before the log locks.
pub const MAX_FAILED_UNLOCKS: u32 = 5;
/// How long the log stays locked after too many wrong passphrases.
pub const LOCKOUT_MINUTES: i64 = 10;

/// The first byte of every sealed value; stored JSON never starts with it.
const SEALED_TAG: u8 = 0x01;
pub(crate) const NONCE_LEN: usize = 12;
/// Associated data for the wrapped data key.
const WRAP_AAD: &[u8] = b"beatbook data key v1";

/// A passphrase, wiped from memory when dropped.
#[derive(Clone)]
pub struct Passphrase {
    text: Zeroizing<String>,
    /// The key-derivation cost used if this passphrase protects a new log.
    cost: KdfCost,
}

impl Passphrase {
    pub fn new(text: impl Into<String>) -> Self {
        Passphrase {
            text: Zeroizing::new(text.into()),
            cost: KdfCost::STANDARD,
        }
    }

    /// The same passphrase with another cost for a log it protects from now on.
    pub fn with_cost(mut self, cost: KdfCost) -> Self {
        self.cost = cost;
        self
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The key-derivation cost this passphrase asks for in what it newly protects.
    pub fn cost(&self) -> KdfCost {
        self.cost
    }
}

impl PartialEq for Passphrase {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl std::fmt::Debug for Passphrase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Passphrase(..)")
    }
}

/// Argon2id's cost: memory in KiB and passes over it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct KdfCost {
    pub memory_kib: u32,
    pub passes: u32,
}

impl KdfCost {
    /// About half a second on a current laptop: 128 MiB, five passes (0.48 s measured on
    /// the machine the README's figures come from).
    pub const STANDARD: KdfCost = KdfCost {
        memory_kib: 128 * 1024,
        passes: 5,
    };
    /// Almost free: for throwaway logs in tests only. It offers no protection against guessing.
    pub const MINIMAL: KdfCost = KdfCost {
        memory_kib: 64,
        passes: 1,
    };
    /// The most beatbook derives at: the standard cost, the highest it has ever written
    /// (earlier versions wrote 64 MiB and 3 passes). A cost read from a file (a bundle's
    /// header, the log's key, the key copy beside it) is refused above this, before any memory
    /// is taken: a forged file could otherwise ask for gigabytes and minutes of work.
    pub const MOST: KdfCost = KdfCost::STANDARD;

    /// Whether beatbook derives a key at this cost (see [`KdfCost::MOST`]).
    pub fn is_accepted(self) -> bool {
        self.memory_kib <= Self::MOST.memory_kib && self.passes <= Self::MOST.passes
    }
}

/// The data key, wrapped by the passphrase, as kept in the meta tree. Holds no secret in the
/// clear.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Envelope {
    version: u32,
    cost: KdfCost,
    salt: String,
    nonce: String,
    wrapped: String,
}

/// How many wrong passphrases were typed in a row, and until when the log is locked.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct Failures {
    pub count: u32,
    pub locked_until: Option<DateTime<Utc>>,
}

impl Failures {
    /// Counts one more wrong passphrase at `now`; the fifth locks the log.
    pub fn add(&mut self, now: DateTime<Utc>) {
        self.count += 1;
        if self.count >= MAX_FAILED_UNLOCKS {
            self.locked_until = Some(now + Duration::minutes(LOCKOUT_MINUTES));
            self.count = 0;
        }
    }

    /// Until when the log is locked, if it is at `now`.
    pub fn lockout(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        self.locked_until.filter(|until| *until > now)
    }

    pub fn attempts_left(&self) -> u32 {
        MAX_FAILED_UNLOCKS.saturating_sub(self.count)
    }
}

/// The unlocked data key. Its key schedule is wiped when it is dropped (on lock or close).
pub(crate) struct Cipher {
    key: AeadKey,
}

impl Cipher {
    /// Seals a value stored in `tree` under `key`.
    pub fn seal(&self, tree: &str, key: &[u8], plain: &[u8]) -> Result<Vec<u8>, StoreError> {
        let nonce: [u8; NONCE_LEN] = random_bytes();
        let sealed = self.key.seal(&nonce, &associated_data(tree, key), plain)?;
        let mut out = Vec::with_capacity(1 + NONCE_LEN + sealed.len());
        out.push(SEALED_TAG);
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        Ok(out)
    }

    /// Opens a value sealed for `tree` and `key`; anything else (changed, moved, or never
    /// sealed) is refused.
    pub fn open(&self, tree: &str, key: &[u8], stored: &[u8]) -> Result<Vec<u8>, StoreError> {
        let refused = || StoreError::Corrupt {
            kind: "encrypted value",
            reason: "it was changed or moved".into(),
        };
        let (nonce, sealed) = match stored.split_first() {
            Some((&SEALED_TAG, rest)) if rest.len() >= NONCE_LEN => rest.split_at(NONCE_LEN),
            _ => return Err(refused()),
        };
        self.key
            .open(nonce, &associated_data(tree, key), sealed)
            .ok_or_else(refused)
    }
}

impl Cipher {
    /// The key-check value of this key.
    pub fn key_check(&self) -> Result<Vec<u8>, StoreError> {
        self.seal("meta", META_KEY_CHECK, KEY_CHECK_TEXT)
    }

    /// Whether `stored` is this key's key-check value.
    pub fn opens_key_check(&self, stored: &[u8]) -> bool {
        self.open("meta", META_KEY_CHECK, stored)
            .is_ok_and(|plain| plain == KEY_CHECK_TEXT)
    }
}

/// Whether a stored value is sealed (as opposed to JSON from before encryption).
pub(crate) fn is_sealed(stored: &[u8]) -> bool {
    stored.first() == Some(&SEALED_TAG)
}

fn associated_data(tree: &str, key: &[u8]) -> Vec<u8> {
    let mut aad = Vec::with_capacity(tree.len() + 1 + key.len());
    aad.extend_from_slice(tree.as_bytes());
    aad.push(0);
    aad.extend_from_slice(key);
    aad
}

#[cfg(test)]
thread_local! {
    /// How many keys this thread derived: lets tests show that a refused file cost no
    /// derivation at all.
    pub(crate) static DERIVATIONS: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// The key Argon2id derives from the passphrase and salt, wiped when dropped. Every key
/// derived from a passphrase comes through here, so a cost above [`KdfCost::MOST`] is never
/// run, wherever it was read.
fn derive(
    passphrase: &Passphrase,
    salt: &[u8],
    cost: KdfCost,
) -> Result<Zeroizing<[u8; 32]>, StoreError> {
    if !cost.is_accepted() {
        return Err(StoreError::ExcessiveKeyCost {
            memory_mib: cost.memory_kib / 1024,
            passes: cost.passes,
        });
    }
    #[cfg(test)]
    DERIVATIONS.with(|n| n.set(n.get() + 1));
    let params = argon2::Params::new(cost.memory_kib, cost.passes, 1, Some(32))
        .map_err(|e| StoreError::Write(format!("key derivation settings: {e}").into()))?;
    let argon = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
    let mut out = Zeroizing::new([0u8; 32]);
    argon
        .hash_password_into(passphrase.as_str().as_bytes(), salt, out.as_mut())
        .map_err(|e| StoreError::Write(format!("key derivation: {e}").into()))?;
    Ok(out)
}

/// Sixteen random bytes: a name no one can guess or repeat (exchange devices, held bundles).
pub(crate) fn random_id_bytes() -> [u8; 16] {
    random_bytes()
}

/// Thirty-two random bytes: a fresh signing key.
pub(crate) fn random_key_bytes() -> zeroize::Zeroizing<[u8; 32]> {
    zeroize::Zeroizing::new(random_bytes())
}

fn random_bytes<const N: usize>() -> [u8; N] {
    use aes_gcm::aead::rand_core::RngCore;
    let mut b = [0u8; N];
    OsRng.fill_bytes(&mut b);
    b
}

/// Wraps `data_key` under `passphrase` with a fresh salt.
fn wrap(
    passphrase: &Passphrase,
    data_key: &[u8; 32],
    cost: KdfCost,
) -> Result<Envelope, StoreError> {
    let (salt, nonce) = fresh_salt_and_nonce();
    let wrapped = AeadKey::derive(passphrase, &salt, cost)?.seal(&nonce, WRAP_AAD, data_key)?;
    Ok(Envelope {
        version: 1,
        cost,
        salt: crate::hex::hex(&salt),
        nonce: crate::hex::hex(&nonce),
        wrapped: crate::hex::hex(&wrapped),
    })
}

/// A new random data key, wrapped under `passphrase`.
pub(crate) fn create(passphrase: &Passphrase) -> Result<(Envelope, Cipher), StoreError> {
    let mut data_key: [u8; 32] = random_bytes();
    let envelope = wrap(passphrase, &data_key, passphrase.cost);
    let cipher = Cipher {
        key: AeadKey::new(&data_key),
    };
    data_key.zeroize();
    Ok((envelope?, cipher))
}

/// The data key in `envelope`, if `passphrase` is the right one (`Ok(None)` when it is not).
pub(crate) fn unwrap(
    envelope: &Envelope,
    passphrase: &Passphrase,
) -> Result<Option<Cipher>, StoreError> {
    let data_key = unwrap_key(envelope, passphrase)?;
    Ok(data_key.map(|k| Cipher {
        key: AeadKey::new(&k),
    }))
}

fn unwrap_key(
    envelope: &Envelope,
    passphrase: &Passphrase,
) -> Result<Option<Zeroizing<[u8; 32]>>, StoreError> {
    let damaged = || StoreError::Corrupt {
        kind: "key",
        reason: "the stored key is damaged".into(),
    };
    if envelope.version != 1 {
        return Err(damaged());
    }
    let salt = crate::hex::unhex(&envelope.salt).ok_or_else(damaged)?;
    let nonce = crate::hex::unhex(&envelope.nonce).ok_or_else(damaged)?;
    let wrapped = crate::hex::unhex(&envelope.wrapped).ok_or_else(damaged)?;
    if nonce.len() != NONCE_LEN {
        return Err(damaged());
    }
    let kek = AeadKey::derive(passphrase, &salt, envelope.cost)?;
    let Some(plain) = kek.open(&nonce, WRAP_AAD, &wrapped) else {
        return Ok(None);
    };
    let plain = Zeroizing::new(plain);
    let key: [u8; 32] = plain.as_slice().try_into().map_err(|_| damaged())?;
    Ok(Some(Zeroizing::new(key)))
}

/// An AES-256-GCM key: the data key, a key derived from a passphrase to wrap it, or one that
/// seals a file that travels (a bundle).
pub(crate) struct AeadKey {
    aead: Aes256Gcm,
}

/// A fresh random salt and nonce for a key derived from a passphrase and what it seals.
pub(crate) fn fresh_salt_and_nonce() -> ([u8; 16], [u8; NONCE_LEN]) {
    (random_bytes(), random_bytes())
}

impl AeadKey {
    fn new(key: &[u8; 32]) -> Self {
        AeadKey {
            aead: Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(key)),
        }
    }

    /// The key Argon2id derives from `passphrase` and `salt` at `cost`.
    pub fn derive(passphrase: &Passphrase, salt: &[u8], cost: KdfCost) -> Result<Self, StoreError> {
        Ok(AeadKey::new(&*derive(passphrase, salt, cost)?))
    }

    /// The derived key's bytes, to be kept (sealed) and used again without deriving.
    pub fn derive_bytes(
        passphrase: &Passphrase,
        salt: &[u8],
        cost: KdfCost,
    ) -> Result<Zeroizing<[u8; 32]>, StoreError> {
        derive(passphrase, salt, cost)
    }

    /// A key from bytes [`AeadKey::derive_bytes`] gave.
    pub fn from_bytes(key: &[u8; 32]) -> Self {
        AeadKey::new(key)
    }

    pub fn seal(
        &self,
        nonce: &[u8; NONCE_LEN],
        aad: &[u8],
        plain: &[u8],
    ) -> Result<Vec<u8>, StoreError> {
        self.aead
            .encrypt(Nonce::from_slice(nonce), Payload { msg: plain, aad })
            .map_err(|_| StoreError::Write("data could not be encrypted".into()))
    }

    /// The plain bytes, or `None` if they were changed or sealed under another key.
    pub fn open(&self, nonce: &[u8], aad: &[u8], sealed: &[u8]) -> Option<Vec<u8>> {
        if nonce.len() != NONCE_LEN {
            return None;
        }
        self.aead
            .decrypt(Nonce::from_slice(nonce), Payload { msg: sealed, aad })
            .ok()
    }
}

/// The same data key wrapped under `new` (after `old` is proved right), or `Ok(None)` when `old`
/// is wrong.
pub(crate) fn rewrap(
    envelope: &Envelope,
    old: &Passphrase,
    new: &Passphrase,
) -> Result<Option<Envelope>, StoreError> {
    let Some(key) = unwrap_key(envelope, old)? else {
        return Ok(None);
    };
    wrap(new, &key, new.cost).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_opens_only_where_it_was_sealed() {
        let (_, cipher) =
            create(&Passphrase::new("Riverside-Beat-2026").with_cost(KdfCost::MINIMAL)).unwrap();
        let sealed = cipher.seal("people", b"key-1", b"Rosa").unwrap();
        assert_eq!(cipher.open("people", b"key-1", &sealed).unwrap(), b"Rosa");
        assert!(cipher.open("people", b"key-2", &sealed).is_err());
        assert!(cipher.open("contacts", b"key-1", &sealed).is_err());
        let again = cipher.seal("people", b"key-1", b"Rosa").unwrap();
        assert_ne!(sealed, again, "a fresh nonce every time");
    }

    #[test]
    fn the_key_schedules_are_wiped_when_dropped() {
        fn wiped<T: zeroize::ZeroizeOnDrop>() {}
        // POLYVAL (under GHASH) wipes its key in its own `Drop`, which has no marker trait.
        wiped::<aes::Aes256>();
    }

    /// Prints how long the standard key derivation takes here (run with --ignored).
    #[test]
    #[ignore]
    fn standard_key_derivation_time() {
        let p = Passphrase::new("Riverside-Beat-2026");
        for _ in 0..3 {
            let t = std::time::Instant::now();
            derive(&p, b"0123456789abcdef", KdfCost::STANDARD).unwrap();
            eprintln!("Argon2id {:?}: {:?}", KdfCost::STANDARD, t.elapsed());
        }
    }
}
