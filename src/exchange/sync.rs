//! One exchange with the storage: send this log's changes as a delta, publish or read the
//! roster, then read and apply every other device's deltas after the last one applied.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use futures_util::StreamExt;
use object_store::path::Path as ObjectPath;
use object_store::{ObjectStore, ObjectStoreExt, PutMode, PutOptions, PutPayload};
use serde::{Deserialize, Serialize};

use super::join::{squad, Squad};
use super::target::{Opened, Target};
use super::{target, ExchangeError};
use crate::bundle::{
    apply_import, bundle_from_plain, check_authorship, my_member, note_pending, plan_import,
    roster, signed_bundle, standing, Bundle, BundleAuthor, Choice, LogSigner, SquadKey, Standing,
};
use crate::model::{Contact, Id, Member, MemberStatus, RecordKind, Review, Revision, Role, Roster};
use crate::store::{ExchangeEntry, Store, StoreError, StoreResult, Version};

/// How conflicts found while syncing are settled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Conflicts {
    /// They wait in "Needs your decision" (the app; `sync` without `--conflicts`).
    Wait,
    KeepMine,
    TakeTheirs,
}

/// What one exchange did.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SyncReport {
    pub sent_records: usize,
    pub sent_bytes: u64,
    pub received_records: usize,
    pub received_bytes: u64,
    /// Records taken into the log (new or newer).
    pub applied: usize,
    /// Bundles from keys not approved yet, left on the storage until they are.
    pub held: usize,
    /// Conflicts now waiting for a decision, or settled by `--conflicts`.
    pub conflicts: usize,
    /// Objects refused, each in words naming the object and its claimed author.
    pub refused: Vec<String>,
    /// A device whose deltas could not all be read this time (they are read next time).
    pub unfinished: Vec<String>,
}

impl SyncReport {
    /// One line for the command line and the status bar.
    pub fn summary(&self) -> String {
        let mut parts = vec![
            format!(
                "sent {}",
                crate::model::plural(self.sent_records, "change", "changes")
            ),
            format!(
                "received {}",
                crate::model::plural(self.received_records, "record", "records")
            ),
        ];
        if self.held > 0 {
            parts.push(if self.held == 1 {
                "1 bundle held until its signer is approved".to_string()
            } else {
                format!(
                    "{} bundles held until their signers are approved",
                    self.held
                )
            });
        }
        if self.conflicts > 0 {
            parts.push(format!(
                "{} in conflict",
                crate::model::plural(self.conflicts, "record", "records")
            ));
        }
        if !self.refused.is_empty() {
            parts.push(format!(
                "{} refused",
                crate::model::plural(self.refused.len(), "object", "objects")
            ));
        }
        parts.join(", ")
    }
}

/// When the last exchange ran and how it ended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LastSync {
    pub at: DateTime<Utc>,
    /// The error in words, when it failed.
    pub failed: Option<String>,
    /// When the last exchange that worked ran.
    pub last_ok: Option<DateTime<Utc>>,
    pub report: SyncReport,
}

/// A record another device changed while this log changed it too, waiting for a decision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WaitingDecision {
    pub kind: RecordKind,
    pub id: Id,
    pub headline: String,
    pub fields: Vec<String>,
    pub theirs_by: String,
    pub theirs_at: DateTime<Utc>,
    record: serde_json::Value,
    history: Vec<Revision>,
    author: BundleAuthor,
    key: String,
    source: String,
}

/// The storage target, the squad and this log's part in it, as `exchange status` shows.
#[derive(Debug, Clone)]
pub struct ExchangeStatus {
    pub target: Option<Target>,
    pub squad: Option<Squad>,
    pub last: Option<LastSync>,
    /// This log's changes not sent yet.
    pub waiting_to_send: usize,
    pub decisions: usize,
    pub me: Member,
    pub members: Vec<Member>,
}

/// The deltas' folder of a squad, and one device's in it.
fn deltas(root: &ObjectPath, squad: &str) -> ObjectPath {
    root.clone().join(squad).join("d")
}

fn rosters(root: &ObjectPath, squad: &str) -> ObjectPath {
    root.clone().join(squad).join("roster")
}

fn numbered(seq: u64) -> String {
    format!("{seq:012}")
}

/// The number an object's name holds, if it is one beatbook writes (twelve digits): any other
/// name, planted or foreign, is not a number here (and cannot overflow the next one).
fn number_of(path: &ObjectPath) -> Option<u64> {
    let name = path.filename()?;
    if name.len() != 12 || !name.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    name.parse().ok()
}

/// This log's records not yet sent at their current revision.
fn unsent(store: &Store, me: Id) -> StoreResult<Vec<Version>> {
    let sent = store.exchange_sent()?;
    let mut out = Vec::new();
    for kind in RecordKind::ALL {
        out.extend(store.versions_where(kind, &|m| {
            m.author == me && sent.get(&(kind, m.id)) != Some(&m.revision)
        })?);
    }
    Ok(out)
}

/// The roster as the sergeant signs and publishes it.
#[derive(Serialize, Deserialize)]
struct RosterDoc {
    squad: String,
    /// Where it was published: a copy under another name is refused.
    path: String,
    roster: Roster,
}

#[derive(Serialize, Deserialize)]
struct SignedDoc {
    doc: String,
    signature: String,
}

/// A runtime for the storage client on the calling thread (the app's sync thread, or the
/// command line): small, and gone when the exchange ends.
fn runtime() -> Result<tokio::runtime::Runtime, ExchangeError> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| ExchangeError::Unreachable(format!("the network could not be used ({e})")))
}

struct Session<'a> {
    store: &'a Store,
    opened: Opened,
    bucket: Option<String>,
    key: SquadKey,
    squad: Squad,
    me: Member,
    device: String,
    report: SyncReport,
}

impl Session<'_> {
    fn storage(&self, e: object_store::Error) -> ExchangeError {
        ExchangeError::from_storage(e, self.bucket.as_deref())
    }

    /// Asks the storage for the squad's folder before anything is sent, so a missing bucket
    /// or refused credentials are said as such (some services create a bucket on a first
    /// write).
    async fn check_reachable(&self) -> Result<(), ExchangeError> {
        let squad = self.opened.root.clone().join(self.squad.id.as_str());
        self.opened
            .store
            .list_with_delimiter(Some(&squad))
            .await
            .map(|_| ())
            .map_err(|e| self.storage(e))
    }

    async fn put_new(&self, path: &ObjectPath, bytes: Vec<u8>) -> Result<bool, ExchangeError> {
        let opts = PutOptions {
            mode: PutMode::Create,
            ..PutOptions::default()
        };
        match self
            .opened
            .store
            .put_opts(path, PutPayload::from(bytes), opts)
            .await
        {
            Ok(_) => Ok(true),
            Err(object_store::Error::AlreadyExists { .. }) => Ok(false),
            Err(e) => Err(self.storage(e)),
        }
    }

    async fn list(&self, prefix: &ObjectPath) -> Result<Vec<ObjectPath>, ExchangeError> {
        let mut out = Vec::new();
        let mut stream = self.opened.store.list(Some(prefix));
        while let Some(meta) = stream.next().await {
            out.push(meta.map_err(|e| self.storage(e))?.location);
        }
        Ok(out)
    }

    /// The highest number among the objects under `prefix` (0 when none).
    async fn highest(&self, prefix: &ObjectPath) -> Result<u64, ExchangeError> {
        Ok(self
            .list(prefix)
            .await?
            .iter()
            .filter_map(number_of)
            .max()
            .unwrap_or(0))
    }

    /// Sends the records changed since the last delta (the first delta always goes, so the
    /// squad learns this member's key and name).
    async fn send(&mut self) -> Result<(), ExchangeError> {
        let delta = unsent(self.store, self.me.officer)?;
        let mut seq = self.store.exchange_next_seq()?;
        if delta.is_empty() && seq > 1 {
            return Ok(());
        }
        let mine = deltas(&self.opened.root, &self.squad.id).join(self.device.as_str());
        let revisions: Vec<_> = delta.iter().map(|v| (v.kind, v.id, v.revision)).collect();
        for _ in 0..3 {
            let path = mine.clone().join(numbered(seq));
            let (plain, summary) = signed_bundle(self.store, delta.clone(), Some(path.to_string()))
                .map_err(|e| match e {
                    // The log's own trouble (locked, a full disk) is said as such, not as the
                    // storage's.
                    crate::export::ExportError::Store(e) => ExchangeError::Store(e),
                    other => ExchangeError::Refused(other.to_string()),
                })?;
            let sealed = self.key.seal(&plain)?;
            let bytes = sealed.len() as u64;
            if self.put_new(&path, sealed).await? {
                self.store.exchange_mark_sent(seq, &revisions)?;
                self.report.sent_records += summary.records;
                self.report.sent_bytes += bytes;
                return Ok(());
            }
            // That number is taken (this log was restored from a backup, or a send was cut off
            // after the storage kept it): carry on after the highest one there.
            seq = self.highest(&mine).await? + 1;
            self.store.exchange_skip_to(seq)?;
        }
        Err(ExchangeError::Refused(
            "the storage keeps refusing this device's next bundle".into(),
        ))
    }

    /// The sergeant publishes the roster when it changed; members take the newest one the
    /// sergeant signed.
    async fn roster(&mut self) -> Result<(), ExchangeError> {
        let folder = rosters(&self.opened.root, &self.squad.id);
        let current = roster(self.store)?;
        // The sergeant: the roster revision last published; a member: the last one taken.
        let known: u64 = self
            .store
            .exchange_get(ExchangeEntry::RosterSent)?
            .unwrap_or(0);
        if self.me.key == self.squad.sergeant.key {
            if current.revision > known {
                self.publish_roster(&folder, current).await?;
            }
            return Ok(());
        }
        // The newest roster the sergeant signed for its own place, tried newest first: a copy
        // of an older one under a later number names another place and is passed over.
        let mut numbers: Vec<u64> = self
            .list(&folder)
            .await?
            .iter()
            .filter_map(number_of)
            .collect();
        numbers.sort_unstable_by(|a, b| b.cmp(a));
        for number in numbers {
            let path = folder.clone().join(numbered(number));
            let bytes = self.get(&path).await?;
            let Some(doc) = self.signed_roster(&bytes, &path) else {
                self.report.refused.push(format!(
                    "The squad roster {path} is not one the sergeant signed for it; it was ignored."
                ));
                continue;
            };
            if doc.roster.revision > known {
                let mut mine = current;
                for member in doc.roster.members {
                    mine.put(member);
                }
                self.store.exchange_put(ExchangeEntry::Roster, &mine)?;
                self.store
                    .exchange_put(ExchangeEntry::RosterSent, &doc.roster.revision)?;
            }
            return Ok(());
        }
        Ok(())
    }

    /// Publishes the sergeant's roster (approved and removed keys), signed, naming its place.
    async fn publish_roster(
        &mut self,
        folder: &ObjectPath,
        current: Roster,
    ) -> Result<(), ExchangeError> {
        let mut published = current.clone();
        published
            .members
            .retain(|m| m.status != MemberStatus::Pending);
        let signer = LogSigner::of(self.store)?;
        for _ in 0..3 {
            let number = current.revision.max(self.highest(folder).await? + 1);
            let path = folder.clone().join(numbered(number));
            let doc = serde_json::to_string(&RosterDoc {
                squad: self.squad.id.clone(),
                path: path.to_string(),
                roster: published.clone(),
            })
            .map_err(|e| StoreError::Write(e.into()))?;
            let signature = signer.sign(doc.as_bytes());
            let plain = serde_json::to_vec(&SignedDoc { doc, signature })
                .map_err(|e| StoreError::Write(e.into()))?;
            if self.put_new(&path, self.key.seal(&plain)?).await? {
                self.store
                    .exchange_put(ExchangeEntry::RosterSent, &current.revision)?;
                return Ok(());
            }
        }
        Err(ExchangeError::Refused(
            "the storage keeps refusing the squad's roster".into(),
        ))
    }

    /// The roster in `bytes` if the sergeant signed it for `path` and this squad.
    fn signed_roster(&self, bytes: &[u8], path: &ObjectPath) -> Option<RosterDoc> {
        let plain = self.key.open(bytes).ok()?;
        let signed: SignedDoc = serde_json::from_slice(&plain).ok()?;
        if !crate::bundle::verify_signature(
            &self.squad.sergeant.key,
            signed.doc.as_bytes(),
            &signed.signature,
        ) {
            return None;
        }
        serde_json::from_str::<RosterDoc>(&signed.doc)
            .ok()
            .filter(|d| d.squad == self.squad.id && d.path == path.as_ref())
    }

    async fn get(&self, path: &ObjectPath) -> Result<Vec<u8>, ExchangeError> {
        let got = self
            .opened
            .store
            .get(path)
            .await
            .map_err(|e| self.storage(e))?;
        let bytes = got.bytes().await.map_err(|e| self.storage(e))?;
        Ok(bytes.to_vec())
    }

    /// Reads and applies the deltas of every other device after the last one applied.
    async fn receive(&mut self, conflicts: Conflicts) -> Result<(), ExchangeError> {
        let folder = deltas(&self.opened.root, &self.squad.id);
        let listing = self
            .opened
            .store
            .list_with_delimiter(Some(&folder))
            .await
            .map_err(|e| self.storage(e))?;
        for device_path in listing.common_prefixes {
            let Some(device) = device_path.filename().map(str::to_string) else {
                continue;
            };
            if device == self.device {
                continue;
            }
            if let Err(e) = self.receive_device(&device_path, &device, conflicts).await {
                match e {
                    ExchangeError::Store(e) => return Err(ExchangeError::Store(e)),
                    other => self.report.unfinished.push(other.to_string()),
                }
            }
        }
        Ok(())
    }

    async fn receive_device(
        &mut self,
        device_path: &ObjectPath,
        device: &str,
        conflicts: Conflicts,
    ) -> Result<(), ExchangeError> {
        let cursor = self.store.exchange_cursor(device)?;
        let offset = device_path.clone().join(numbered(cursor));
        let mut stream = self
            .opened
            .store
            .list_with_offset(Some(device_path), &offset);
        let mut objects = BTreeMap::new();
        while let Some(meta) = stream.next().await {
            let meta = meta.map_err(|e| self.storage(e))?;
            if let Some(seq) = number_of(&meta.location) {
                if seq > cursor {
                    objects.insert(seq, meta.location);
                }
            }
        }
        // Deltas are taken in order with no gap: a device numbers them one after another, so a
        // missing number is one not yet here (a folder kept in step may bring 6 before 5), and
        // a number far ahead (planted) is never reached.
        let mut expected = cursor.saturating_add(1);
        for (seq, path) in objects {
            if seq != expected {
                self.report.unfinished.push(format!(
                    "a device's bundle {} has not arrived yet; the ones after it wait for it",
                    numbered(expected)
                ));
                return Ok(());
            }
            expected = expected.saturating_add(1);
            let bytes = self.get(&path).await?;
            self.report.received_bytes += bytes.len() as u64;
            match self.take(&path, &bytes, conflicts)? {
                Taken::Held => {
                    self.report.held += 1;
                    // Later deltas build on this one: they wait with it.
                    return Ok(());
                }
                Taken::Applied | Taken::Refused => self.store.set_exchange_cursor(device, seq)?,
            }
        }
        Ok(())
    }

    /// Opens, checks and applies one delta.
    fn take(
        &mut self,
        path: &ObjectPath,
        bytes: &[u8],
        conflicts: Conflicts,
    ) -> Result<Taken, ExchangeError> {
        let source = format!("The squad exchange's bundle {path}");
        let refuse = |report: &mut SyncReport, why: String| {
            report.refused.push(format!("{source}: {why}"));
            Ok(Taken::Refused)
        };
        let plain = match self.key.open(bytes) {
            Ok(p) => p,
            Err(e) => return refuse(&mut self.report, e.to_string()),
        };
        let mut bundle = match bundle_from_plain(&plain, &source) {
            Ok(b) => b,
            Err(why) => return refuse(&mut self.report, why),
        };
        if bundle.context.as_deref() != Some(path.as_ref()) {
            return refuse(
                &mut self.report,
                format!(
                    "it was written for another place (a copy or a replay), claimed author {}.",
                    bundle.author.name
                ),
            );
        }
        match standing(self.store, &bundle)? {
            Standing::Pending(member) => {
                note_pending(self.store, &member)?;
                return Ok(Taken::Held);
            }
            Standing::Removed(member) => {
                let why = crate::bundle::removed_refusal(&bundle, &member).to_string();
                self.report.refused.push(why);
                return Ok(Taken::Refused);
            }
            Standing::Approved(signer) => {
                if let Err(e) = check_authorship(&bundle, &signer) {
                    self.report.refused.push(e.to_string());
                    return Ok(Taken::Refused);
                }
            }
        }
        let author = bundle.author.id;
        self.keep_what_is_mine_to_read(&mut bundle)?;
        self.report.received_records += bundle.records.len();
        self.apply(bundle, conflicts)?;
        note_arrival(self.store, author)?;
        Ok(Taken::Applied)
    }

    /// A sergeant takes everything; an officer takes the squad's names (officers,
    /// neighborhoods, topics), the reviews of their own contacts, and the squad's problems and
    /// priorities: a problem is worked by the squad (an action may be owned by another officer,
    /// who has to see it to do it; a colleague covers the beat) and a priority is agreed in
    /// public, and neither holds a resident's name field (their contacts are linked by id only
    /// and stay in their author's log).
    fn keep_what_is_mine_to_read(&self, bundle: &mut Bundle) -> StoreResult<()> {
        if self.me.role == Role::Sergeant {
            return Ok(());
        }
        let me = self.me.officer;
        let mut kept = Vec::with_capacity(bundle.records.len());
        for v in std::mem::take(&mut bundle.records) {
            let keep = match v.kind {
                RecordKind::Officer
                | RecordKind::Neighborhood
                | RecordKind::Tag
                | RecordKind::Problem
                | RecordKind::Priority => true,
                RecordKind::Review => match Review::deserialize(&v.record) {
                    Ok(review) => self
                        .store
                        .get::<Contact>(review.contact)?
                        .is_some_and(|c| c.meta.owner() == me),
                    Err(_) => false,
                },
                _ => false,
            };
            if keep {
                kept.push(v);
            }
        }
        bundle.records = kept;
        Ok(())
    }

    fn apply(&mut self, bundle: Bundle, conflicts: Conflicts) -> Result<(), ExchangeError> {
        let (key, author, source) = (
            bundle.key.clone(),
            bundle.author.clone(),
            bundle.source.clone(),
        );
        let mut plan = plan_import(self.store, vec![bundle])?.without_backup();
        if let Some(refusal) = plan.refused.first() {
            self.report.refused.push(refusal.to_string());
            return Ok(());
        }
        self.report.conflicts += plan.conflicts.len();
        let choices = match conflicts {
            Conflicts::Wait => {
                for c in plan.take_conflicts() {
                    let theirs = c.theirs();
                    let waiting = WaitingDecision {
                        kind: c.kind,
                        id: c.id,
                        headline: c.headline.clone(),
                        fields: c.fields.clone(),
                        theirs_by: c.theirs_by.clone(),
                        theirs_at: c.theirs_at,
                        record: theirs.record.clone(),
                        history: theirs.history.clone(),
                        author: author.clone(),
                        key: key.clone(),
                        source: source.clone(),
                    };
                    self.store.put_waiting(c.kind, c.id, &waiting)?;
                }
                Vec::new()
            }
            Conflicts::KeepMine => vec![Choice::KeepMine; plan.conflicts.len()],
            Conflicts::TakeTheirs => vec![Choice::TakeTheirs; plan.conflicts.len()],
        };
        let total = plan.total();
        if !plan.changes_nothing() {
            apply_import(self.store, &plan, &choices)?;
        }
        self.report.applied += total.new + total.updated;
        Ok(())
    }
}

enum Taken {
    Applied,
    Refused,
    Held,
}

/// When each officer's work last arrived (the sergeant's review shows it).
pub fn arrivals(store: &Store) -> StoreResult<HashMap<Id, DateTime<Utc>>> {
    let list: Vec<(Id, DateTime<Utc>)> = store
        .exchange_get(ExchangeEntry::Arrivals)?
        .unwrap_or_default();
    Ok(list.into_iter().collect())
}

fn note_arrival(store: &Store, officer: Id) -> StoreResult<()> {
    let mut all = arrivals(store)?;
    all.insert(officer, Utc::now());
    let list: Vec<(Id, DateTime<Utc>)> = all.into_iter().collect();
    store.exchange_put(ExchangeEntry::Arrivals, &list)
}

/// One exchange: sends, publishes or reads the roster, receives. Blocks the calling thread
/// (run it beside the UI, never on it). The outcome is kept for `exchange status` and the
/// top bar, failure included.
pub fn sync_once(store: &Store, conflicts: Conflicts) -> Result<SyncReport, ExchangeError> {
    let result = run(store, conflicts);
    let previous: Option<LastSync> = store.exchange_get(ExchangeEntry::LastSync)?;
    let now = Utc::now();
    let last = match &result {
        Ok(report) => LastSync {
            at: now,
            failed: None,
            last_ok: Some(now),
            report: report.clone(),
        },
        Err(e) => LastSync {
            at: now,
            failed: Some(e.to_string()),
            last_ok: previous.and_then(|p| p.last_ok),
            report: SyncReport::default(),
        },
    };
    store.exchange_put(ExchangeEntry::LastSync, &last)?;
    result
}

fn run(store: &Store, conflicts: Conflicts) -> Result<SyncReport, ExchangeError> {
    let squad = squad(store)?.ok_or(ExchangeError::NotSetUp(
        "this log has not joined a squad (the sergeant creates one and gives out its join file).",
    ))?;
    let settings = target(store)?.ok_or(ExchangeError::NotSetUp(
        "no storage is set (`beatbook exchange set`, or Settings > Squad exchange).",
    ))?;
    let passphrase = store.require_squad_passphrase()?;
    let bucket = match &settings.target {
        Target::S3 { bucket, .. } => Some(bucket.clone()),
        Target::Folder { .. } => None,
    };
    let mut session = Session {
        store,
        opened: settings.open()?,
        bucket,
        key: squad_key(store, &squad, passphrase)?,
        me: my_member(store)?,
        device: store.exchange_device()?,
        squad,
        report: SyncReport::default(),
    };
    runtime()?.block_on(async {
        session.check_reachable().await?;
        session.send().await?;
        session.roster().await?;
        session.receive(conflicts).await
    })?;
    Ok(session.report)
}

/// The squad key as the log keeps it (sealed with the data key, beside the squad passphrase
/// it comes from), derived once: deriving it costs the passphrase's full Argon2id cost.
#[derive(Serialize, Deserialize)]
struct KeptSquadKey {
    squad: String,
    cost: crate::store::KdfCost,
    key: zeroize::Zeroizing<String>,
}

fn squad_key(
    store: &Store,
    squad: &Squad,
    passphrase: crate::store::Passphrase,
) -> StoreResult<SquadKey> {
    let kept: Option<KeptSquadKey> = store.exchange_get(ExchangeEntry::SquadKey)?;
    if let Some(k) = kept.filter(|k| k.squad == squad.id && k.cost == squad.cost) {
        if let Some(bytes) = crate::hex::unhex(&k.key).and_then(|b| <[u8; 32]>::try_from(b).ok()) {
            return Ok(SquadKey::from_bytes(&bytes, &squad.id, squad.cost));
        }
    }
    let bytes = SquadKey::derive_bytes(&passphrase.with_cost(squad.cost), &squad.id)?;
    store.exchange_put(
        ExchangeEntry::SquadKey,
        &KeptSquadKey {
            squad: squad.id.clone(),
            cost: squad.cost,
            key: zeroize::Zeroizing::new(crate::hex::hex(bytes.as_slice())),
        },
    )?;
    Ok(SquadKey::from_bytes(&bytes, &squad.id, squad.cost))
}

/// The decisions waiting, oldest first.
pub fn waiting_decisions(store: &Store) -> StoreResult<Vec<WaitingDecision>> {
    let mut all: Vec<WaitingDecision> = store
        .waiting::<WaitingDecision>()?
        .into_iter()
        .map(|(_, _, w)| w)
        .collect();
    all.sort_by_key(|w| w.theirs_at);
    Ok(all)
}

/// Settles one waiting decision as `choice` ("Keep mine" or "Take theirs").
pub fn decide(store: &Store, kind: RecordKind, id: Id, choice: Choice) -> StoreResult<()> {
    let Some(w) = waiting_decisions(store)?
        .into_iter()
        .find(|w| w.kind == kind && w.id == id)
    else {
        return Ok(());
    };
    let version = Version::from_json(kind, &w.record, w.history)?;
    let bundle = Bundle {
        source: w.source,
        author: w.author,
        created_at: w.theirs_at,
        records: vec![version],
        key: w.key,
        context: None,
    };
    let plan = plan_import(store, vec![bundle])?.without_backup();
    if plan.refused.is_empty() && plan.unapproved.is_empty() {
        apply_import(store, &plan, &vec![choice; plan.conflicts.len()])?;
    }
    store.remove_waiting(kind, id)
}

/// This log and every member on its roster.
pub fn members_with_status(store: &Store) -> StoreResult<(Member, Vec<Member>)> {
    let me = my_member(store)?;
    let members = roster(store)?
        .members
        .into_iter()
        .filter(|m| m.key != me.key)
        .collect();
    Ok((me, members))
}

/// Where the exchange stands, for `exchange status` and Settings.
pub fn status(store: &Store) -> StoreResult<ExchangeStatus> {
    let (me, members) = members_with_status(store)?;
    Ok(ExchangeStatus {
        target: target(store)?.map(|t| t.target),
        squad: squad(store)?,
        last: store.exchange_get(ExchangeEntry::LastSync)?,
        waiting_to_send: unsent(store, me.officer)?.len(),
        decisions: waiting_decisions(store)?.len(),
        me,
        members,
    })
}
