//! The audit trail: an append-only, hash-chained list of what was done to the log (records
//! created, edited, deleted and restored; imports, exports, backups and restores), by whom and
//! when, with the outcome.
//!
//! Each entry carries the SHA-256 of the one before it and its own; changing, removing or
//! reordering an entry breaks the chain, which `check` reports. A record change and its entry
//! are written in one transaction.
//!
//! The trail is kept unencrypted (a wrong passphrase is recorded while the log is locked) and is
//! copied into every backup, so it holds no personal data, and the types see to it: an entry's
//! action and outcome are words fixed in beatbook's code (`&'static str`), and what it names is
//! an [`AuditSubject`], made only of record kinds, ids, counts and such words. Nothing typed into
//! a record, and no file name (a receipt is offered a name after the resident), can reach it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sled::transaction::{TransactionalTree, UnabortableTransactionError};

use super::{Store, StoreError, StoreResult};
use crate::model::{Id, RecordKind};

/// What an audit entry says a thing was done to (see the module's doc): never text from a
/// record or a file name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditSubject(String);

impl AuditSubject {
    /// The whole log.
    pub fn the_log() -> Self {
        AuditSubject::named("the log")
    }

    /// One record, by kind and short id: "contact 0190ab12".
    pub fn record(kind: RecordKind, id: Id) -> Self {
        AuditSubject(format!("{} {}", kind.label(), id.short()))
    }

    /// Counts of things: "3 contacts, 2 people".
    pub fn counted(parts: &[(usize, &'static str)]) -> Self {
        let parts: Vec<String> = parts
            .iter()
            .map(|(n, what)| format!("{n} {what}"))
            .collect();
        AuditSubject(parts.join(", "))
    }

    /// A kind of thing, in words fixed in the code: "a bundle, to a file", "start of day".
    pub fn named(what: &'static str) -> Self {
        AuditSubject(what.to_string())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The audit trail's tree: `e` ++ sequence number (big-endian) for entries, and `head`.
pub(crate) const AUDIT_TREE: &str = "audit";
const HEAD: &[u8] = b"head";
const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One thing done to the log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub seq: u64,
    pub at: DateTime<Utc>,
    pub officer: Id,
    /// What was done: "created", "edited", "deleted", "restored", "imported", "exported",
    /// "backed up", "restored a backup" ...
    pub action: String,
    /// What it was done to: "contact 0190ab12", a file name, a count of records.
    pub what: String,
    /// "done", or why it failed.
    pub outcome: String,
    /// The hash of the entry before (zeros for the first).
    pub prev: String,
    pub hash: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Head {
    seq: u64,
    hash: String,
}

fn entry_key(seq: u64) -> Vec<u8> {
    let mut k = vec![b'e'];
    k.extend_from_slice(&seq.to_be_bytes());
    k
}

/// The hash of an entry: over every field but the hash itself.
fn hash_of(e: &AuditEntry) -> String {
    let mut unhashed = e.clone();
    unhashed.hash = String::new();
    let bytes = serde_json::to_vec(&unhashed).unwrap_or_default();
    crate::hex::hex(&Sha256::digest(&bytes))
}

/// An entry to append (the trail numbers and chains it).
pub(crate) struct Event {
    pub officer: Id,
    pub action: &'static str,
    pub what: AuditSubject,
    pub outcome: &'static str,
    pub at: DateTime<Utc>,
}

impl Event {
    pub fn done(officer: Id, action: &'static str, what: AuditSubject) -> Self {
        Event {
            officer,
            action,
            what,
            outcome: "done",
            at: Utc::now(),
        }
    }
}

/// Appends an entry inside a transaction that also writes what it records.
pub(crate) fn append(
    audit: &TransactionalTree,
    event: &Event,
) -> Result<(), UnabortableTransactionError> {
    let head: Option<Head> = audit
        .get(HEAD)?
        .and_then(|v| serde_json::from_slice(&v).ok());
    let (seq, prev) = match head {
        Some(h) => (h.seq + 1, h.hash),
        None => (1, GENESIS.to_string()),
    };
    let mut entry = AuditEntry {
        seq,
        at: event.at,
        officer: event.officer,
        action: event.action.to_string(),
        what: event.what.as_str().to_string(),
        outcome: event.outcome.to_string(),
        prev,
        hash: String::new(),
    };
    entry.hash = hash_of(&entry);
    let head = Head {
        seq,
        hash: entry.hash.clone(),
    };
    audit.insert(
        entry_key(seq),
        serde_json::to_vec(&entry).unwrap_or_default(),
    )?;
    audit.insert(HEAD, serde_json::to_vec(&head).unwrap_or_default())?;
    Ok(())
}

impl Store {
    /// Records something done outside a record write (an export, a backup, a restore) by this
    /// log's officer, and flushes.
    pub fn record_event(
        &self,
        action: &'static str,
        what: AuditSubject,
        outcome: &'static str,
    ) -> StoreResult<()> {
        self.refuse_if_poisoned()?;
        let officer = self.profile()?.map(|p| p.officer).unwrap_or_default();
        let event = Event {
            officer,
            action,
            what,
            outcome,
            at: Utc::now(),
        };
        let result = self.audit.transaction(|t| {
            append(t, &event)?;
            Ok(())
        });
        self.settle(result)?;
        self.flush()
    }

    /// The newest `n` entries of the audit trail, newest first.
    pub fn audit_trail(&self, n: usize) -> StoreResult<Vec<AuditEntry>> {
        self.audit
            .scan_prefix(b"e")
            .rev()
            .take(n)
            .map(|kv| {
                let (_, v) = kv.map_err(StoreError::from_sled)?;
                serde_json::from_slice(&v).map_err(|e| StoreError::Corrupt {
                    kind: "audit entry",
                    reason: e.to_string(),
                })
            })
            .collect()
    }

    /// Walks the whole chain; the first break, in words, or `None` when it is whole.
    pub fn audit_break(&self) -> StoreResult<Option<String>> {
        let mut prev = GENESIS.to_string();
        let mut expected = 1u64;
        for kv in self.audit.scan_prefix(b"e") {
            let (_, v) = kv.map_err(StoreError::from_sled)?;
            let Ok(e) = serde_json::from_slice::<AuditEntry>(&v) else {
                return Ok(Some(format!("audit entry {expected} cannot be read")));
            };
            if e.seq != expected {
                return Ok(Some(format!(
                    "audit entry {expected} is missing (the next is {})",
                    e.seq
                )));
            }
            if e.prev != prev || e.hash != hash_of(&e) {
                return Ok(Some(format!(
                    "the audit trail is broken at entry {}: it was changed after it was written",
                    e.seq
                )));
            }
            prev = e.hash;
            expected += 1;
        }
        let head: Option<Head> = self
            .audit
            .get(HEAD)
            .map_err(StoreError::from_sled)?
            .and_then(|v| serde_json::from_slice(&v).ok());
        let last = expected - 1;
        match head {
            Some(h) if h.seq != last || h.hash != prev => Ok(Some(format!(
                "the audit trail ends at entry {last} but should end at entry {}",
                h.seq
            ))),
            None if last > 0 => Ok(Some("the audit trail has lost its head".into())),
            _ => Ok(None),
        }
    }
}
