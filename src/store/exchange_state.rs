//! What the squad exchange keeps in the log: this log's signing key and device name, the
//! roster, the squad joined and the storage target, how far each other device has been read,
//! which revisions were sent, decisions waiting for the officer, and bundles held until their
//! signer is approved.
//!
//! All of it lives in the meta tree under `x/`, so backups, compaction and a passphrase change
//! carry it with the rest of the log. Keys hold only fixed words, record ids and random device
//! names; values that could say anything about a person or a credential are sealed with the
//! data key.

use std::collections::HashMap;

use serde::de::DeserializeOwned;
use serde::Serialize;

use super::{Store, StoreError, StoreResult};
use crate::hex::hex;
use crate::model::{Id, RecordKind};

/// The prefix of every meta key the exchange uses.
pub(super) const META_EXCHANGE: &[u8] = b"x/";
const SENT: &[u8] = b"x/sent/";
const CURSOR: &[u8] = b"x/cursor/";
const WAITING: &[u8] = b"x/wait/";
const HELD: &[u8] = b"x/held/";
const DEVICE: &[u8] = b"x/device";
const NEXT_SEQ: &[u8] = b"x/next_seq";

/// A sealed value the exchange keeps, one of each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExchangeEntry {
    /// This log's Ed25519 signing key.
    SigningKey,
    /// The roster of keys this log accepts.
    Roster,
    /// The squad this log belongs to (its id and the sergeant's key).
    Squad,
    /// Where the squad's bundles are kept, with credentials.
    Target,
    /// What the last sync did.
    LastSync,
    /// The roster revision last published (sergeant) or taken (member).
    RosterSent,
    /// When each officer's work last arrived.
    Arrivals,
    /// The squad key derived from the squad passphrase, so that a sync need not derive it.
    SquadKey,
}

impl ExchangeEntry {
    fn key(self) -> &'static [u8] {
        match self {
            ExchangeEntry::SigningKey => b"x/signing_key",
            ExchangeEntry::Roster => b"x/roster",
            ExchangeEntry::Squad => b"x/squad",
            ExchangeEntry::Target => b"x/target",
            ExchangeEntry::LastSync => b"x/last_sync",
            ExchangeEntry::RosterSent => b"x/roster_sent",
            ExchangeEntry::Arrivals => b"x/arrivals",
            ExchangeEntry::SquadKey => b"x/squad_key",
        }
    }
}

fn record_key(prefix: &[u8], kind: RecordKind, id: Id) -> Vec<u8> {
    let mut k = prefix.to_vec();
    k.push(kind as u8);
    k.extend_from_slice(&id.to_bytes());
    k
}

fn split_record_key(prefix: &[u8], key: &[u8]) -> Option<(RecordKind, Id)> {
    let rest = key.strip_prefix(prefix)?;
    let kind = RecordKind::ALL.get(usize::from(*rest.first()?)).copied()?;
    Some((kind, Id::from_bytes(rest.get(1..)?)?))
}

fn u64_of(bytes: &[u8]) -> u64 {
    bytes.try_into().map(u64::from_be_bytes).unwrap_or_default()
}

impl Store {
    /// A sealed exchange value, if one was kept.
    pub fn exchange_get<T: DeserializeOwned>(
        &self,
        entry: ExchangeEntry,
    ) -> StoreResult<Option<T>> {
        let key = entry.key();
        match self.meta.get(key).map_err(StoreError::from_sled)? {
            None => Ok(None),
            Some(stored) => self
                .codec()
                .decode("meta", "squad exchange setting", key, &stored)
                .map(Some),
        }
    }

    /// Keeps a sealed exchange value, durably.
    pub fn exchange_put<T: Serialize>(&self, entry: ExchangeEntry, value: &T) -> StoreResult<()> {
        self.refuse_if_poisoned()?;
        let key = entry.key();
        let sealed = self.codec().encode("meta", key, value)?;
        self.meta_insert(key, &sealed)?;
        self.flush()
    }

    /// This log's public signing key's secret, if one was made (reads only).
    pub fn signing_key_if_made(&self) -> StoreResult<Option<zeroize::Zeroizing<[u8; 32]>>> {
        if self
            .meta
            .get(ExchangeEntry::SigningKey.key())
            .map_err(StoreError::from_sled)?
            .is_none()
        {
            return Ok(None);
        }
        self.signing_key_bytes().map(Some)
    }

    /// This log's signing key (its 32 secret bytes), made the first time it is asked for.
    pub fn signing_key_bytes(&self) -> StoreResult<zeroize::Zeroizing<[u8; 32]>> {
        let kept: Option<zeroize::Zeroizing<String>> =
            self.exchange_get(ExchangeEntry::SigningKey)?;
        if let Some(text) = kept {
            let bytes = crate::hex::unhex(&text)
                .and_then(|b| <[u8; 32]>::try_from(b.as_slice()).ok())
                .ok_or(StoreError::Corrupt {
                    kind: "signing key",
                    reason: "it is not 32 bytes".into(),
                })?;
            return Ok(zeroize::Zeroizing::new(bytes));
        }
        let fresh = super::vault::random_key_bytes();
        self.exchange_put(
            ExchangeEntry::SigningKey,
            &zeroize::Zeroizing::new(hex(fresh.as_slice())),
        )?;
        Ok(fresh)
    }

    /// Drops a kept exchange value (the squad key, once the squad passphrase changes).
    pub(super) fn exchange_forget(&self, entry: ExchangeEntry) -> StoreResult<()> {
        self.meta
            .remove(entry.key())
            .map_err(StoreError::from_sled)?;
        Ok(())
    }

    /// Forgets what was sent to and read from a squad, for a new one: everything this log's
    /// officer wrote is sent again, and every device is read from its first bundle.
    pub fn exchange_start_over(&self) -> StoreResult<()> {
        self.refuse_if_poisoned()?;
        let mut batch = sled::Batch::default();
        for prefix in [SENT, CURSOR] {
            for kv in self.meta.scan_prefix(prefix) {
                let (k, _) = kv.map_err(StoreError::from_sled)?;
                batch.remove(k);
            }
        }
        batch.remove(NEXT_SEQ);
        batch.remove(ExchangeEntry::RosterSent.key());
        batch.remove(ExchangeEntry::SquadKey.key());
        self.meta
            .apply_batch(batch)
            .map_err(StoreError::from_sled)?;
        self.flush()
    }

    /// This log's device name in the exchange: random, made once.
    pub fn exchange_device(&self) -> StoreResult<String> {
        if let Some(v) = self.meta.get(DEVICE).map_err(StoreError::from_sled)? {
            return Ok(hex(&v));
        }
        let id = super::vault::random_id_bytes();
        self.meta_insert(DEVICE, &id)?;
        self.flush()?;
        Ok(hex(&id))
    }

    /// The sequence number this device's next bundle takes.
    pub fn exchange_next_seq(&self) -> StoreResult<u64> {
        Ok(self
            .meta
            .get(NEXT_SEQ)
            .map_err(StoreError::from_sled)?
            .map_or(1, |v| u64_of(&v).max(1)))
    }

    /// The revision of each record last sent to the exchange.
    pub fn exchange_sent(&self) -> StoreResult<HashMap<(RecordKind, Id), u32>> {
        let mut out = HashMap::new();
        for kv in self.meta.scan_prefix(SENT) {
            let (k, v) = kv.map_err(StoreError::from_sled)?;
            if let (Some(key), Ok(rev)) = (split_record_key(SENT, &k), <[u8; 4]>::try_from(&*v)) {
                out.insert(key, u32::from_be_bytes(rev));
            }
        }
        Ok(out)
    }

    /// Notes that the bundle numbered `seq` carried these revisions, durably, in one batch.
    pub fn exchange_mark_sent(&self, seq: u64, sent: &[(RecordKind, Id, u32)]) -> StoreResult<()> {
        self.refuse_if_poisoned()?;
        let mut batch = sled::Batch::default();
        for (kind, id, rev) in sent {
            batch.insert(record_key(SENT, *kind, *id), &rev.to_be_bytes());
        }
        batch.insert(NEXT_SEQ, &(seq + 1).to_be_bytes());
        self.meta
            .apply_batch(batch)
            .map_err(StoreError::from_sled)?;
        self.flush()
    }

    /// Moves this device's numbering past `seq` (a bundle of that number is already out there).
    pub fn exchange_skip_to(&self, seq: u64) -> StoreResult<()> {
        self.meta_insert(NEXT_SEQ, &seq.to_be_bytes())?;
        self.flush()
    }

    /// The last bundle read from `device` (0 before any).
    pub fn exchange_cursor(&self, device: &str) -> StoreResult<u64> {
        let key = [CURSOR, device.as_bytes()].concat();
        Ok(self
            .meta
            .get(key)
            .map_err(StoreError::from_sled)?
            .map_or(0, |v| u64_of(&v)))
    }

    pub fn set_exchange_cursor(&self, device: &str, seq: u64) -> StoreResult<()> {
        let key = [CURSOR, device.as_bytes()].concat();
        self.meta_insert(&key, &seq.to_be_bytes())?;
        self.flush()
    }

    /// Keeps a record version that waits for the officer's decision (sealed).
    pub fn put_waiting<T: Serialize>(
        &self,
        kind: RecordKind,
        id: Id,
        value: &T,
    ) -> StoreResult<()> {
        let key = record_key(WAITING, kind, id);
        let sealed = self.codec().encode("meta", &key, value)?;
        self.meta_insert(&key, &sealed)?;
        self.flush()
    }

    /// Every version waiting for a decision.
    pub fn waiting<T: DeserializeOwned>(&self) -> StoreResult<Vec<(RecordKind, Id, T)>> {
        let mut out = Vec::new();
        for kv in self.meta.scan_prefix(WAITING) {
            let (k, v) = kv.map_err(StoreError::from_sled)?;
            if let Some((kind, id)) = split_record_key(WAITING, &k) {
                let value = self.codec().decode("meta", "decision waiting", &k, &v)?;
                out.push((kind, id, value));
            }
        }
        Ok(out)
    }

    pub fn remove_waiting(&self, kind: RecordKind, id: Id) -> StoreResult<()> {
        self.meta
            .remove(record_key(WAITING, kind, id))
            .map_err(StoreError::from_sled)?;
        self.flush()
    }

    /// Keeps a bundle (as its sealed bytes) until its signer is approved; returns its name.
    pub fn hold_bundle(&self, sealed: &[u8]) -> StoreResult<String> {
        let name = hex(&super::vault::random_id_bytes());
        self.meta_insert(&[HELD, name.as_bytes()].concat(), sealed)?;
        self.flush()?;
        Ok(name)
    }

    /// The bundles held, by name.
    pub fn held_bundles(&self) -> StoreResult<Vec<(String, Vec<u8>)>> {
        let mut out = Vec::new();
        for kv in self.meta.scan_prefix(HELD) {
            let (k, v) = kv.map_err(StoreError::from_sled)?;
            let name = String::from_utf8_lossy(&k[HELD.len()..]).into_owned();
            out.push((name, v.to_vec()));
        }
        Ok(out)
    }

    pub fn release_held(&self, name: &str) -> StoreResult<()> {
        self.meta
            .remove([HELD, name.as_bytes()].concat())
            .map_err(StoreError::from_sled)?;
        self.flush()
    }
}
