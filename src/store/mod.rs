//! The embedded store: the one place that knows sled's trees, key layouts and encodings.
//!
//! Each record kind lives in its own tree keyed by id; every change keeps the replaced revision
//! in `history`, and contacts are indexed by time, neighborhood, person and topic. A record, its
//! history entry and its index entries are written in one transaction, and user saves are
//! flushed to disk before they are reported as saved.

mod audit;
mod backup;
mod batch;
mod check;
mod codec;
mod compaction;
mod contact_bytes;
mod contact_index;
mod early_key;
mod error;
mod folder;
mod indexes;
mod keys;
mod merge;
mod migrate;
pub(crate) mod private_files;
mod protect;
mod read_cache;
mod rekey;
mod review_facts;
mod scrub;
mod seal;
mod squad;
mod time_lists;
mod unlock;
pub(crate) mod vault;

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use sled::transaction::{
    ConflictableTransactionError, TransactionError, Transactional, TransactionalTree,
};
use sled::Tree;

use crate::model::{
    changed_fields, Contact, FollowUp, Id, Meta, Neighborhood, Officer, Record, RecordKind,
    Revision, Tag,
};

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
pub use error::{StoreError, StoreResult};
pub use indexes::{ContactScan, FactFilter, ScanBy, Stored};
pub use merge::{MergeWrite, Relation, Version};
pub use migrate::CURRENT_FORMAT;
pub use rekey::{Rekeyed, Rekeying};
pub use review_facts::{ContactFacts, FollowUpFacts, Kept, PersonFacts, ReviewFacts};
pub use scrub::{Forgetting, ForgottenPerson, ScrubTarget};
pub use unlock::{KeptKey, LockedStore, Protection, Refused};
pub use vault::{KdfCost, Passphrase, LOCKOUT_MINUTES, MAX_FAILED_UNLOCKS};

use codec::{Codec, HISTORY_TREE};

/// The officer using this store and their last choices, kept between runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    pub officer: Id,
    pub last_neighborhood: Option<Id>,
    /// How long automatic backups are kept.
    #[serde(default = "Profile::default_backup_days")]
    pub backup_keep_days: u32,
    /// Minutes without input before the app locks (at most 30).
    #[serde(default = "Profile::default_idle_lock_minutes")]
    pub idle_lock_minutes: u32,
    /// How long personal data is kept (see `beatbook purge`).
    #[serde(default)]
    pub retention: crate::model::RetentionPolicy,
}

impl Profile {
    pub fn default_backup_days() -> u32 {
        30
    }

    pub fn default_idle_lock_minutes() -> u32 {
        15
    }
}

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

    /// Refuses a log that lost the last record it acknowledged (see the `seal` module).
    fn verify_seal(&self) -> StoreResult<()> {
        let Some(s) = seal::read(&self.dir) else {
            return Ok(());
        };
        let revision = self.stored_revision(s.kind, s.id)?;
        match revision {
            Some(r) if r >= s.revision => Ok(()),
            _ => Err(StoreError::Damaged),
        }
    }

    /// Before the key is known: a log whose sealed record is gone altogether lost its newest
    /// entries (perhaps its key with them), and must not be taken for a new, empty log.
    fn refuse_if_sealed_record_gone(&self) -> StoreResult<()> {
        let Some(s) = seal::read(&self.dir) else {
            return Ok(());
        };
        let there = self
            .records(s.kind)
            .contains_key(s.id.to_bytes())
            .map_err(StoreError::from_sled)?;
        if there {
            Ok(())
        } else {
            Err(StoreError::Damaged)
        }
    }

    /// The revision of a stored record as far as it can be read (`None` if it cannot).
    fn stored_revision(&self, kind: RecordKind, id: Id) -> StoreResult<Option<u32>> {
        #[derive(Deserialize)]
        struct JustMeta {
            meta: Meta,
        }
        let key = id.to_bytes();
        let stored = self.records(kind).get(key).map_err(StoreError::from_sled)?;
        Ok(stored.and_then(|v| {
            let plain = self.codec().open(tree_name(kind), &key, &v).ok()?;
            if contact_bytes::is_compact(&plain) {
                return contact_bytes::decode_contact(&plain)
                    .ok()
                    .map(|c| c.meta.revision);
            }
            serde_json::from_slice::<JustMeta>(&plain)
                .ok()
                .map(|r| r.meta.revision)
        }))
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

    /// Makes every write so far durable. Called before any save is reported to the user.
    ///
    /// sled writes its log and, on Linux, syncs it with `sync_file_range`, which neither
    /// commits file metadata (a grown file's size) nor asks the drive to empty its cache. A
    /// full `fsync` of the log file follows so a save survives a power cut, not only a crash
    /// of the app. On other systems sled already syncs with the full call (`F_FULLFSYNC` on
    /// macOS, `FlushFileBuffers` on Windows).
    pub fn flush(&self) -> StoreResult<()> {
        self.refuse_if_poisoned()?;
        let synced = self
            .db
            .flush()
            .map_err(StoreError::from_sled)
            .and_then(|_| {
                #[cfg(target_os = "linux")]
                if let Some(log) = &self.log_file {
                    log.sync_all()
                        .map_err(|e| StoreError::Disk(e.to_string()))?;
                }
                Ok(())
            });
        if let Err(e) = synced {
            // A failed sync may not fail again when retried (the kernel reports it once), so
            // nothing more is trusted to this store: it must be reopened.
            self.poisoned
                .store(true, std::sync::atomic::Ordering::SeqCst);
            return Err(match e {
                StoreError::Write(m) => StoreError::Disk(m),
                other => other,
            });
        }
        self.write_seal();
        Ok(())
    }

    /// Whether the disk refused a write; the store then has to be reopened.
    pub fn is_poisoned(&self) -> bool {
        self.poisoned.load(std::sync::atomic::Ordering::SeqCst)
    }

    fn refuse_if_poisoned(&self) -> StoreResult<()> {
        if self.is_poisoned() {
            return Err(StoreError::Disk("an earlier write failed".into()));
        }
        Ok(())
    }

    /// Notes the record just written as the one the next seal names.
    fn mark_unsealed(&self, kind: RecordKind, id: Id, revision: u32) {
        if let Ok(mut u) = self.unsealed.lock() {
            *u = Some(seal::Seal { kind, id, revision });
        }
    }

    /// Writes the pending seal. The seal is only a check for later: if it cannot be written,
    /// the save still stands and the seal is tried again at the next flush.
    fn write_seal(&self) {
        let Ok(mut pending) = self.unsealed.lock() else {
            return;
        };
        let Some(last) = *pending else {
            return;
        };
        let Ok(mut file) = self.seal_file.lock() else {
            return;
        };
        if seal::write(&mut file, &self.dir, &last).is_ok() {
            *pending = None;
        }
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

    /// Saves and flushes: when this returns Ok, the record is on disk.
    pub fn save<R: Stored>(&self, record: R, by: Id) -> StoreResult<R> {
        let saved = self.stage(record, by)?;
        self.flush()?;
        Ok(saved)
    }

    /// Writes a record with its history and index entries in one transaction, without flushing
    /// (bulk work flushes once at the end). A new record has revision 1; an edit must carry the
    /// revision it was read at, or it is refused as a conflict.
    pub fn stage<R: Stored>(&self, record: R, by: Id) -> StoreResult<R> {
        self.stage_with(record, by, true)
    }

    /// `stage` for bulk work (the demo precinct) that records one summary entry in the audit
    /// trail itself instead of one per record.
    pub fn stage_unrecorded<R: Stored>(&self, record: R, by: Id) -> StoreResult<R> {
        self.stage_with(record, by, false)
    }

    fn stage_with<R: Stored>(&self, record: R, by: Id, recorded: bool) -> StoreResult<R> {
        self.refuse_if_poisoned()?;
        record.validate()?;
        let records = self.records(R::KIND);
        let mut trees: Vec<&Tree> = vec![records, &self.history];
        trees.extend(self.indexes.iter());
        trees.push(&self.audit);
        let now = Utc::now();
        let result = trees[..].transaction(|t: &Vec<TransactionalTree>| {
            let tx = TxTrees {
                codec: self.codec(),
                records: &t[0],
                history: &t[1],
                indexes: &t[2..2 + indexes::INDEX_COUNT],
                audit: recorded.then(|| &t[2 + indexes::INDEX_COUNT]),
            };
            write_record(&tx, &record, by, now).map_err(ConflictableTransactionError::Abort)
        });
        let saved = self.settle(result)?;
        self.wrote(R::KIND, [saved.id()]);
        self.mark_unsealed(R::KIND, saved.id(), saved.meta().revision);
        Ok(saved)
    }

    /// A transaction's outcome as the store's: a refusal is passed on, and a failure of the disk
    /// poisons the store (see [`Store::is_poisoned`]).
    fn settle<T>(&self, result: Result<T, TransactionError<StoreError>>) -> StoreResult<T> {
        match result {
            Ok(v) => Ok(v),
            Err(TransactionError::Abort(e)) => Err(e),
            Err(TransactionError::Storage(e)) => {
                self.poisoned
                    .store(true, std::sync::atomic::Ordering::SeqCst);
                Err(StoreError::from_sled(e))
            }
        }
    }

    /// Marks a record deleted (a tombstone that can be undone) and flushes.
    pub fn delete<R: Stored>(&self, id: Id, by: Id) -> StoreResult<R> {
        self.set_deleted::<R>(id, by, true)
    }

    /// Undoes a delete and flushes.
    pub fn restore<R: Stored>(&self, id: Id, by: Id) -> StoreResult<R> {
        self.set_deleted::<R>(id, by, false)
    }

    fn set_deleted<R: Stored>(&self, id: Id, by: Id, deleted: bool) -> StoreResult<R> {
        let mut r: R = self.get(id)?.ok_or(StoreError::NotFound(R::KIND))?;
        r.meta_mut().deleted = deleted;
        self.save(r, by)
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

    pub fn profile(&self) -> StoreResult<Option<Profile>> {
        match self.meta.get(META_PROFILE).map_err(StoreError::from_sled)? {
            Some(v) => serde_json::from_slice(&v)
                .map(Some)
                .map_err(|e| StoreError::Corrupt {
                    kind: "profile",
                    reason: e.to_string(),
                }),
            None => Ok(None),
        }
    }

    /// The profile, or a plain error saying the store has not been set up.
    pub fn require_profile(&self) -> StoreResult<Profile> {
        self.profile()?.ok_or(StoreError::NotSetUp)
    }

    pub fn set_profile(&self, profile: &Profile) -> StoreResult<()> {
        let bytes = serde_json::to_vec(profile).map_err(|e| StoreError::Write(e.to_string()))?;
        self.meta_insert(META_PROFILE, &bytes)?;
        self.flush()
    }

    /// Ids of contacts matching an index scan, newest first.
    pub fn scan_contacts(
        &self,
        scan: &ContactScan,
    ) -> impl Iterator<Item = StoreResult<Id>> + 'static {
        let (tree, lo, hi) = indexes::scan_range(&self.indexes, scan);
        let by = scan.by;
        let damaged = |reason: &str| StoreError::Corrupt {
            kind: "contact index",
            reason: reason.into(),
        };
        tree.range(lo..hi).rev().filter_map(move |kv| {
            let (k, v) = match kv {
                Ok(kv) => kv,
                Err(e) => return Some(Err(StoreError::from_sled(e))),
            };
            match by.keeps(&v) {
                Some(true) => Some(keys::trailing_id(&k).ok_or_else(|| damaged("short key"))),
                Some(false) => None,
                None => Some(Err(damaged("an entry has no facts"))),
            }
        })
    }

    /// The time of the newest contact with this person, if any.
    pub fn last_contact_with(&self, person: Id) -> StoreResult<Option<DateTime<Utc>>> {
        self.last_contact_with_before(person, None)
    }

    /// The time of the newest contact with this person before `before` (read from the index
    /// key alone, no contact decoded).
    pub fn last_contact_with_before(
        &self,
        person: Id,
        before: Option<DateTime<Utc>>,
    ) -> StoreResult<Option<DateTime<Utc>>> {
        let scan = ContactScan {
            by: ScanBy::Person(person),
            from: None,
            to: before,
        };
        let (tree, lo, hi) = indexes::scan_range(&self.indexes, &scan);
        match tree
            .range(lo..hi)
            .next_back()
            .transpose()
            .map_err(StoreError::from_sled)?
        {
            Some((k, _)) => Ok(k.get(16..).and_then(keys::time_from_key)),
            None => Ok(None),
        }
    }

    /// Creates the officer, first neighborhood and default topics of a new store in one go.
    pub fn set_up(
        &self,
        name: &str,
        badge: &str,
        role: crate::model::Role,
        beat: &str,
    ) -> StoreResult<Profile> {
        let officer_id = self.new_id()?;
        let now = Utc::now();
        let officer = Officer {
            meta: Meta::new(officer_id, officer_id, now),
            name: name.trim().to_string(),
            badge: badge.trim().to_string(),
            role,
        };
        let hood = Neighborhood {
            meta: self.new_meta(officer_id)?,
            name: beat.trim().to_string(),
        };
        // Both are checked before either is written, so a rejected set-up leaves nothing behind.
        officer.validate()?;
        hood.validate()?;
        self.stage(officer, officer_id)?;
        let hood = self.stage(hood, officer_id)?;
        if self.count::<Tag>()? == 0 {
            for name in Tag::DEFAULTS {
                let tag = Tag {
                    meta: self.new_meta(officer_id)?,
                    name: name.to_string(),
                };
                self.stage(tag, officer_id)?;
            }
        }
        let profile = Profile {
            officer: officer_id,
            last_neighborhood: Some(hood.id()),
            backup_keep_days: Profile::default_backup_days(),
            idle_lock_minutes: Profile::default_idle_lock_minutes(),
            retention: Default::default(),
        };
        self.set_profile(&profile)?;
        Ok(profile)
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

    /// The open follow-ups due in `days`: how many there are, and the first `read` of them,
    /// earliest due first. Only the first `read` are decrypted; the rest are counted by key.
    pub fn open_followups_due(
        &self,
        days: std::ops::RangeInclusive<NaiveDate>,
        read: usize,
    ) -> StoreResult<(Vec<FollowUp>, usize)> {
        let lo = indexes::day_key(*days.start()).to_vec();
        let mut hi = indexes::day_key(*days.end()).to_vec();
        hi.extend_from_slice(&[0xFF; 17]);
        let mut out = Vec::new();
        let mut count = 0;
        for kv in self.indexes[indexes::OPEN_FOLLOW_UPS].range(lo..hi) {
            let (k, _) = kv.map_err(StoreError::from_sled)?;
            count += 1;
            if out.len() == read {
                continue;
            }
            let id = keys::trailing_id(&k).ok_or(StoreError::Corrupt {
                kind: "follow-up index",
                reason: "short key".into(),
            })?;
            if let Some(f) = self.get::<FollowUp>(id)? {
                out.push(f);
            }
        }
        Ok((out, count))
    }
}

/// The trees one record write touches, inside a transaction.
struct TxTrees<'a> {
    codec: Codec<'a>,
    records: &'a TransactionalTree,
    history: &'a TransactionalTree,
    indexes: &'a [TransactionalTree],
    /// Where each write is recorded; `None` when the caller records the whole batch at once.
    audit: Option<&'a TransactionalTree>,
}

/// The trees of a transaction over every record tree, the history, the indexes and the audit
/// trail, in that order (see `Store::all_trees`).
fn all_tx_trees<'a>(t: &'a [TransactionalTree], kind: RecordKind, codec: Codec<'a>) -> TxTrees<'a> {
    let history = RecordKind::ALL.len();
    TxTrees {
        codec,
        records: &t[kind as usize],
        history: &t[history],
        indexes: &t[history + 1..history + 1 + indexes::INDEX_COUNT],
        audit: None,
    }
}

fn write_record<R: Stored>(
    t: &TxTrees<'_>,
    record: &R,
    by: Id,
    now: DateTime<Utc>,
) -> Result<R, StoreError> {
    let key = record.id().to_bytes();
    let storage =
        |e: sled::transaction::UnabortableTransactionError| StoreError::Write(e.to_string());
    let mut new = record.clone();
    let action;
    match t.records.get(key).map_err(storage)? {
        None => {
            if new.meta().revision != 1 {
                return Err(StoreError::NotFound(R::KIND));
            }
            action = "created";
        }
        Some(old_bytes) => {
            let old: R = t.codec.decode_record(&key, &old_bytes)?;
            if old.meta().revision != new.meta().revision {
                return Err(StoreError::Conflict(R::KIND));
            }
            let changed = changed_fields(&old, &new);
            if changed.is_empty() {
                return Ok(old);
            }
            action = match (old.meta().deleted, new.meta().deleted) {
                (false, true) => "deleted",
                (true, false) => "restored",
                _ => "edited",
            };
            let entry = Revision {
                revision: old.meta().revision,
                changed_by: by,
                changed_at: now,
                changed,
                previous: serde_json::to_value(&old)
                    .map_err(|e| StoreError::Write(e.to_string()))?,
                set_aside: false,
            };
            let entry_key = keys::history_key(R::KIND as u8, old.id(), old.meta().revision);
            let entry = t.codec.encode_entry(&entry_key, &entry)?;
            t.history.insert(entry_key, entry).map_err(storage)?;
            indexes::remove_entries(t.indexes, &old).map_err(storage)?;
            let meta = new.meta_mut();
            meta.revision = old.meta().revision + 1;
            meta.created_at = old.meta().created_at;
            meta.created_by = Some(first_author(t, &old)?);
            meta.updated_at = now;
            meta.author = by;
        }
    }
    indexes::insert_entries(t.indexes, &new).map_err(storage)?;
    t.records
        .insert(&key, t.codec.encode_record(&key, &new)?)
        .map_err(storage)?;
    if let Some(audit) = t.audit {
        let what = audit::AuditSubject::record(R::KIND, new.id());
        audit::append(audit, &audit::Event::done(by, action, what)).map_err(storage)?;
    }
    Ok(new)
}

/// Who first wrote a record. Records from before this was kept name only their last author;
/// their first revision, in the history, still names the first.
fn first_author<R: Stored>(t: &TxTrees<'_>, record: &R) -> Result<Id, StoreError> {
    let meta = record.meta();
    if let Some(owner) = meta.created_by {
        return Ok(owner);
    }
    if meta.revision <= 1 {
        return Ok(meta.author);
    }
    let first_key = keys::history_key(R::KIND as u8, meta.id, 1);
    let first = t
        .history
        .get(&first_key)
        .map_err(|e| StoreError::Write(e.to_string()))?
        .and_then(|bytes| t.codec.decode_entry(&first_key, &bytes).ok())
        .and_then(|r| serde_json::from_value::<Meta>(r.previous.get("meta")?.clone()).ok());
    Ok(first.map_or(meta.author, |m| m.owner()))
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
    }
}

impl Codec<'_> {
    pub(crate) fn encode_record<R: Stored>(&self, key: &[u8], record: &R) -> StoreResult<Vec<u8>> {
        let plain = record.to_stored().map_err(StoreError::Write)?;
        self.seal(tree_name(R::KIND), key, plain)
    }

    pub(crate) fn decode_record<R: Stored>(&self, key: &[u8], stored: &[u8]) -> StoreResult<R> {
        let plain = self.open(tree_name(R::KIND), key, stored)?;
        R::from_stored(&plain).map_err(|reason| StoreError::Corrupt {
            kind: R::KIND.label(),
            reason,
        })
    }
}
