//! The embedded store: the one place that knows sled's trees, key layouts and encodings.
//!
//! Each record kind lives in its own tree keyed by id; every change keeps the replaced revision
//! in `history`, and contacts are indexed by time, neighborhood, person and topic. A record, its
//! history entry and its index entries are written in one transaction, and user saves are
//! flushed to disk before they are reported as saved.

mod aliases;
mod audit;
mod backup;
mod batch;
mod check;
mod codec;
mod compaction;
mod contact_bytes;
mod contact_index;
mod durable;
mod early_key;
mod error;
mod exchange_state;
mod folder;
mod indexes;
mod keys;
mod merge;
mod migrate;
pub(crate) mod private_files;
mod profile;
mod protect;
mod read_cache;
mod rekey;
mod review_facts;
mod scans;
mod scrub;
mod seal;
mod squad;
mod time_lists;
mod unlock;
pub(crate) mod vault;
mod write;

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use sled::Tree;

use crate::model::{Contact, FollowUp, Id, Meta, RecordKind, Revision};

pub use aliases::PersonLink;
pub use audit::{AuditEntry, AuditSubject};
pub use backup::{
    list_backups, prune_backups, read_backup, restore, restore_keeping_key, BackupInfo,
    RestoreSummary,
};
pub use batch::Batch;
pub use check::CheckReport;
pub use compaction::{Compacted, Compaction};
pub use contact_index::{IndexAnswer, IndexQuery, IndexStage};
pub use early_key::EarlyKey;
pub use error::{Cause, During, StoreError, StoreResult};
pub use exchange_state::ExchangeEntry;

/// Sixteen random bytes, for names no one can guess (a squad's id).
pub fn random_name() -> [u8; 16] {
    vault::random_id_bytes()
}
pub use indexes::{Among, ContactScan, FactFilter, RecordBytesError, ScanBy, Stored};
pub use merge::{MergeWrite, Relation, Version};
pub use migrate::CURRENT_FORMAT;
pub use profile::Profile;
pub use rekey::{Rekeyed, Rekeying};
pub use review_facts::{ContactFacts, FollowUpFacts, Kept, PersonFacts, ReviewFacts};
pub use scrub::{Forgetting, ForgottenPerson, ScrubTarget};
pub use unlock::{KeptKey, LockedStore, Protection, Refused};
pub use vault::{KdfCost, Passphrase, LOCKOUT_MINUTES, MAX_FAILED_UNLOCKS};

use codec::{Codec, HISTORY_TREE};
use write::{all_tx_trees, write_record, TxTrees};

/// The sled folder inside the data folder.
const STORE_FOLDER: &str = "store";

/// Whether the data folder `dir` holds a log, before it is opened.
pub fn has_log(dir: &Path) -> bool {
    dir.join(STORE_FOLDER).is_dir()
}
const META_FORMAT: &[u8] = b"format_version";
const META_NODE: &[u8] = b"node";
const META_PROFILE: &[u8] = b"profile";

/// Index trees, in the order they follow the record and history trees in a transaction.
const INDEX_TREES: [&str; indexes::INDEX_COUNT] =
    ["ix_contact_time", "ix_contact_person", "ix_followup_open"];

/// Index trees of earlier formats, dropped by the upgrade to format 6 (their scans walk the
/// time index now).
const RETIRED_INDEX_TREES: [&str; 5] = [
    "ix_contact_hood",
    "ix_contact_tag",
    "ix_contact_officer",
    "ix_contact_officer_kind",
    "ix_contact_kind",
];

pub struct Store {
    db: sled::Db,
    dir: PathBuf,
    node: u64,
    meta: Tree,
    history: Tree,
    audit: Tree,
    /// One tree per record kind, in `RecordKind::ALL` order.
    records: Vec<Tree>,
    indexes: Vec<Tree>,
    /// Set when the disk refused a write: sled keeps failing until the store is reopened, so
    /// every later write is refused at once with the same plain message.
    poisoned: std::sync::atomic::AtomicBool,
    /// Keeps other beatbooks out of the data folder while this store is open.
    _lock: std::sync::Arc<folder::FolderLock>,
    /// The last record written and not yet sealed (see the `seal` module).
    unsealed: std::sync::Mutex<Option<seal::Seal>>,
    /// The seal file, kept open once written (see the `seal` module).
    seal_file: std::sync::Mutex<Option<std::fs::File>>,
    /// The unlocked data key; `None` for a log opened only to be copied or restored.
    cipher: Option<Box<vault::Cipher>>,
    /// The log is not protected yet (or is being sealed): plain values are still read.
    accept_plain: bool,
    /// sled's log file, kept open to sync it fully (see [`Store::flush`]).
    #[cfg(target_os = "linux")]
    log_file: Option<std::fs::File>,
    /// The in-memory contact index, once built (see the `contact_index` module).
    contact_index: contact_index::IndexSlot,
    /// The contacts of the log's pages read lately (see the `read_cache` module).
    read_cache: read_cache::ReadCache,
    /// Committed writes of each record kind since the store was opened, in `RecordKind::ALL`
    /// order: what was read from it once need only be read again when its count moved.
    writes: [std::sync::atomic::AtomicU64; RecordKind::ALL.len()],
    /// Every person written since the store was opened, in commit order: what reads everyone
    /// once catches up by reading only these (see [`Store::people_written_since`]).
    people_written: std::sync::Mutex<Vec<Id>>,
    /// The on-disk format the log was in when this unlock upgraded it.
    upgraded_from: Option<u32>,
}

impl Store {
    /// Opens (or creates) the store in `dir/store` with its passphrase, migrating an older
    /// format first. A new or unprotected log is protected with `passphrase`.
    pub fn open(dir: &Path, passphrase: &Passphrase) -> StoreResult<Self> {
        let (locked, early) = LockedStore::open_deriving(dir, passphrase);
        locked?
            .unlock_early(passphrase, Utc::now(), early)
            .map_err(|refused| refused.error)
    }

    /// Opens the sled folder `path` as a store of the data folder `dir`, under its lock.
    fn open_at(
        dir: &Path,
        path: PathBuf,
        lock: std::sync::Arc<folder::FolderLock>,
    ) -> StoreResult<Self> {
        private_files::create_folder(&path)
            .map_err(|_| StoreError::NotWritable(dir.to_path_buf()))?;
        let db = folder::open_db(&path)?;
        let open_tree = |name: &str| {
            db.open_tree(name)
                .map_err(|e| folder::open_error(&e, &path))
        };
        let meta = open_tree("meta")?;
        let history = open_tree(HISTORY_TREE)?;
        let audit = open_tree(audit::AUDIT_TREE)?;
        let indexes = INDEX_TREES
            .iter()
            .map(|name| open_tree(name))
            .collect::<StoreResult<Vec<_>>>()?;
        let records = RecordKind::ALL
            .iter()
            .map(|k| open_tree(tree_name(*k)))
            .collect::<StoreResult<Vec<_>>>()?;
        let mut store = Store {
            db,
            dir: dir.to_path_buf(),
            node: 0,
            meta,
            history,
            audit,
            records,
            indexes,
            unsealed: std::sync::Mutex::new(None),
            seal_file: std::sync::Mutex::new(None),
            cipher: None,
            accept_plain: true,
            poisoned: std::sync::atomic::AtomicBool::new(false),
            _lock: lock,
            #[cfg(target_os = "linux")]
            log_file: std::fs::File::open(path.join("db")).ok(),
            contact_index: Default::default(),
            read_cache: Default::default(),
            writes: Default::default(),
            people_written: Default::default(),
            upgraded_from: None,
        };
        store.node = store.load_or_create_node()?;
        store.accept_plain = !store.is_protected()?;
        // A log is checked and upgraded once its key is known: the data folder's own when it is
        // unlocked (see `LockedStore::unlock`), a restored one once the restore gives it its key.
        Ok(store)
    }

    /// How values are read and written in this store.
    fn codec(&self) -> Codec<'_> {
        Codec {
            cipher: self.cipher.as_deref(),
            accept_plain: self.accept_plain,
        }
    }

    fn meta_has(&self, key: &[u8]) -> StoreResult<bool> {
        self.meta.contains_key(key).map_err(StoreError::from_sled)
    }

    fn meta_insert(&self, key: &[u8], value: &[u8]) -> StoreResult<()> {
        self.meta
            .insert(key, value)
            .map(|_| ())
            .map_err(StoreError::from_sled)
    }

    /// The on-disk format this log was upgraded from when it was unlocked, if it was.
    pub fn upgraded_from(&self) -> Option<u32> {
        self.upgraded_from
    }

    /// The data folder this store lives in.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn load_or_create_node(&self) -> StoreResult<u64> {
        if let Some(v) = self.meta.get(META_NODE).map_err(StoreError::from_sled)? {
            let arr: [u8; 8] = v.as_ref().try_into().map_err(|_| StoreError::Corrupt {
                kind: "store identity",
                reason: "wrong length".into(),
            })?;
            return Ok(u64::from_be_bytes(arr));
        }
        // RandomState is seeded from the operating system's randomness.
        let mut h = RandomState::new().build_hasher();
        h.write_u128(Utc::now().timestamp_nanos_opt().unwrap_or_default() as u128);
        let node = h.finish();
        self.meta_insert(META_NODE, &node.to_be_bytes())?;
        Ok(node)
    }

    /// A fresh id for a record created now.
    pub fn new_id(&self) -> StoreResult<Id> {
        self.new_id_at(Utc::now())
    }

    /// A fresh id whose time part is `at` (used when back-filling records, as the demo does).
    pub fn new_id_at(&self, at: DateTime<Utc>) -> StoreResult<Id> {
        let seq = self.db.generate_id().map_err(StoreError::from_sled)?;
        Ok(Id::compose(
            at.timestamp_millis().max(0) as u64,
            self.node,
            seq,
        ))
    }

    /// Bookkeeping for a new record by `author`.
    pub fn new_meta(&self, author: Id) -> StoreResult<Meta> {
        Ok(Meta::new(self.new_id()?, author, Utc::now()))
    }

    fn records(&self, kind: RecordKind) -> &Tree {
        &self.records[kind as usize]
    }

    /// The record with this id, deleted or not.
    pub fn get<R: Stored>(&self, id: Id) -> StoreResult<Option<R>> {
        let tree = self.records(R::KIND);
        let key = id.to_bytes();
        match tree.get(key).map_err(StoreError::from_sled)? {
            Some(bytes) => self.codec().decode_record::<R>(&key, &bytes).map(Some),
            None => Ok(None),
        }
    }

    /// Every record of a kind that is not deleted, in id (creation) order.
    pub fn all<R: Stored>(&self) -> StoreResult<Vec<R>> {
        let mut out = Vec::new();
        for r in self.iter_all::<R>()? {
            let r = r?;
            if !r.meta().deleted {
                out.push(r);
            }
        }
        Ok(out)
    }

    /// Every record of a kind, tombstones included.
    pub fn iter_all<R: Stored>(&self) -> StoreResult<impl Iterator<Item = StoreResult<R>> + '_> {
        let tree = self.records(R::KIND);
        let codec = self.codec();
        Ok(tree.iter().map(move |kv| {
            let (k, v) = kv.map_err(StoreError::from_sled)?;
            codec.decode_record::<R>(&k, &v)
        }))
    }

    /// How many records of a kind are stored, tombstones included.
    pub fn count<R: Stored>(&self) -> StoreResult<usize> {
        Ok(self.records(R::KIND).len())
    }

    /// Earlier revisions of a record, oldest first.
    pub fn history<R: Stored>(&self, id: Id) -> StoreResult<Vec<Revision>> {
        let prefix = keys::history_prefix(R::KIND as u8, id);
        let codec = self.codec();
        self.history
            .scan_prefix(prefix)
            .map(|kv| {
                let (k, v) = kv.map_err(StoreError::from_sled)?;
                codec.decode_entry(&k, &v)
            })
            .collect()
    }

    /// Every earlier revision of every record of a kind, with the id of its record, read in one
    /// pass over the history.
    pub fn all_history<R: Stored>(&self) -> StoreResult<Vec<(Id, Revision)>> {
        let codec = self.codec();
        self.history
            .scan_prefix([R::KIND as u8])
            .map(|kv| {
                let (k, v) = kv.map_err(StoreError::from_sled)?;
                let (_, id, _) = keys::split_history_key(&k).ok_or(StoreError::Corrupt {
                    kind: "history entry",
                    reason: "malformed key".into(),
                })?;
                Ok((id, codec.decode_entry(&k, &v)?))
            })
            .collect()
    }

    /// Every tree a whole-log transaction writes, in the order `all_tx_trees` reads them.
    fn all_trees(&self) -> Vec<&Tree> {
        let mut trees: Vec<&Tree> = self.records.iter().collect();
        trees.push(&self.history);
        trees.extend(self.indexes.iter());
        trees.push(&self.audit);
        trees
    }

    /// Verifies every record, history entry and index entry.
    pub fn check(&self) -> StoreResult<CheckReport> {
        check::run(self)
    }

    /// Drops and rewrites every secondary index from the records.
    pub fn rebuild_indexes(&self) -> StoreResult<()> {
        for ix in &self.indexes {
            ix.clear().map_err(StoreError::from_sled)?;
        }
        self.write_index_entries::<Contact>()?;
        self.write_index_entries::<FollowUp>()?;
        self.flush()
    }

    /// Writes the index entries of every record of a kind (into indexes just cleared).
    fn write_index_entries<R: Stored>(&self) -> StoreResult<()> {
        for r in self.iter_all::<R>()? {
            for e in r?.index_entries() {
                self.indexes[e.index]
                    .insert(e.key, e.value)
                    .map_err(StoreError::from_sled)?;
            }
        }
        Ok(())
    }

    /// Rewrites every contact in the compact layout (earlier formats kept them as JSON).
    pub(crate) fn reencode_contacts(&self) -> StoreResult<()> {
        let codec = self.codec();
        let tree = self.records(RecordKind::Contact);
        for kv in tree.iter() {
            let (key, stored) = kv.map_err(StoreError::from_sled)?;
            let contact: Contact = codec.decode_record(&key, &stored)?;
            tree.insert(&key, codec.encode_record(&key, &contact)?)
                .map_err(StoreError::from_sled)?;
        }
        self.flush()
    }

    /// Drops the index trees earlier formats kept and this one does not.
    pub(crate) fn drop_retired_indexes(&self) -> StoreResult<()> {
        for name in RETIRED_INDEX_TREES {
            self.db.drop_tree(name).map_err(StoreError::from_sled)?;
        }
        self.flush()
    }
}

/// A passphrase for throwaway logs in unit tests (cheap to derive; no protection).
#[cfg(test)]
pub(crate) fn test_passphrase() -> Passphrase {
    Passphrase::new("Test-Passphrase-2026").with_cost(KdfCost::MINIMAL)
}

pub(crate) fn tree_name(kind: RecordKind) -> &'static str {
    match kind {
        RecordKind::Officer => "officers",
        RecordKind::Neighborhood => "neighborhoods",
        RecordKind::Person => "people",
        RecordKind::Contact => "contacts",
        RecordKind::FollowUp => "followups",
        RecordKind::JournalNote => "journal",
        RecordKind::Tag => "tags",
        RecordKind::Review => "reviews",
        RecordKind::Problem => "problems",
        RecordKind::Priority => "priorities",
    }
}

impl Codec<'_> {
    pub(crate) fn encode_record<R: Stored>(&self, key: &[u8], record: &R) -> StoreResult<Vec<u8>> {
        let plain = record
            .to_stored()
            .map_err(|e| StoreError::Write(e.into()))?;
        self.seal(tree_name(R::KIND), key, plain)
    }

    pub(crate) fn decode_record<R: Stored>(&self, key: &[u8], stored: &[u8]) -> StoreResult<R> {
        let plain = self.open(tree_name(R::KIND), key, stored)?;
        R::from_stored(&plain).map_err(|reason| StoreError::Corrupt {
            kind: R::KIND.label(),
            reason: reason.to_string(),
        })
    }
}
