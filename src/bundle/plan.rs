//! An import planned before anything is written: what is new, updated, unchanged or in conflict.
//!
//! First the bundles are reduced, record by record, to their newest versions (an earlier revision
//! of another version drops out), so the order of the bundles does not matter. Each is then
//! compared with the log: a later revision of the record here replaces it, an earlier or identical
//! one changes nothing, and a record edited on both sides since they last agreed is a conflict the
//! user settles ("keep mine" or "take theirs"; the version not taken stays in the record's history,
//! and is not offered again).

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

use chrono::{DateTime, Utc};

use super::{AuthorshipError, Bundle, Standing};
use crate::model::{Id, Member, Officer, RecordKind};
use crate::store::{ForgottenPerson, MergeWrite, Relation, Store, StoreResult, Version};

/// How many records of one kind an import adds, updates, leaves alone or finds in conflict.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct KindCounts {
    pub new: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub conflicting: usize,
}

/// A record edited both here and in a bundle since the two last agreed.
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    pub kind: RecordKind,
    pub id: Id,
    /// What the record is, in words ("contact of 20 Nov 2026 at Elm St & 5th").
    pub headline: String,
    /// The fields that differ.
    pub fields: Vec<String>,
    pub here_by: String,
    pub here_at: DateTime<Utc>,
    pub theirs_by: String,
    pub theirs_at: DateTime<Utc>,
    pub from: String,
    mine: Version,
    theirs: Version,
    /// Further versions of the record (from more bundles), kept in its history either way.
    others: Vec<Version>,
    /// The version in the log, if any.
    stored: Option<Version>,
    /// The record in the log when the plan was made.
    expected_here: Option<serde_json::Value>,
}

impl Conflict {
    /// The version the bundle brought.
    pub fn theirs(&self) -> &Version {
        &self.theirs
    }

    /// How many more versions than these two the bundles hold (kept in the history either way).
    pub fn more_versions(&self) -> usize {
        self.others.len()
    }

    fn mine_is_stored(&self) -> bool {
        self.stored.as_ref() == Some(&self.mine)
    }
}

/// How the user settles one conflict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Choice {
    #[default]
    KeepMine,
    TakeTheirs,
}

/// Everything an import would do, shown to the user before anything is written.
#[derive(Debug, Clone, Default)]
pub struct ImportPlan {
    /// Each bundle: where it came from, its author, how many records it holds.
    pub sources: Vec<(String, String, usize)>,
    /// Counts per kind, in `RecordKind::ALL` order, kinds with nothing left out.
    pub counts: Vec<(RecordKind, KindCounts)>,
    pub conflicts: Vec<Conflict>,
    /// Records of people forgotten here at their request, left out (see `Store::forget_person`).
    pub forgotten: usize,
    /// Bundles signed by a key not approved here: left out until it is.
    pub unapproved: Vec<Unapproved>,
    /// Bundles refused whole (a record not written by their signer, a removed member).
    pub refused: Vec<AuthorshipError>,
    /// No backup before writing (see [`ImportPlan::without_backup`]).
    skip_backup: bool,
    writes: Vec<MergeWrite>,
}

/// A bundle whose signer is not approved here, with who it claims to be.
#[derive(Debug, Clone, PartialEq)]
pub struct Unapproved {
    pub member: Member,
    pub source: String,
    pub records: usize,
}

impl ImportPlan {
    pub fn total(&self) -> KindCounts {
        self.counts
            .iter()
            .fold(KindCounts::default(), |mut t, (_, c)| {
                t.new += c.new;
                t.updated += c.updated;
                t.unchanged += c.unchanged;
                t.conflicting += c.conflicting;
                t
            })
    }

    /// Whether applying would write nothing.
    /// How many records importing writes: the ones taken, and one per conflict settled.
    pub fn records_to_write(&self) -> usize {
        self.writes.len() + self.conflicts.len()
    }

    /// The records of forgotten people the import leaves out, in words; `None` when none.
    pub fn forgotten_note(&self) -> Option<String> {
        match self.forgotten {
            0 => None,
            1 => Some("1 record of a person forgotten here at their request is left out.".into()),
            n => Some(format!(
                "{n} records of people forgotten here at their request are left out."
            )),
        }
    }

    /// Applies without taking a backup first: for the squad exchange's small, frequent deltas,
    /// which the day's backup covers (a backup per delta would copy the whole log each time),
    /// and whose replaced versions stay in each record's history.
    pub fn without_backup(mut self) -> Self {
        self.skip_backup = true;
        self
    }

    /// Takes the conflicts out of the plan (to be settled later); the rest applies as planned.
    pub fn take_conflicts(&mut self) -> Vec<Conflict> {
        std::mem::take(&mut self.conflicts)
    }

    pub fn changes_nothing(&self) -> bool {
        self.writes.is_empty() && self.conflicts.is_empty()
    }
}

/// What an applied import did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MergeSummary {
    pub new: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub kept_mine: usize,
    pub took_theirs: usize,
    /// The backup taken before the import wrote anything.
    pub backup: Option<PathBuf>,
    /// Records written, of `to_write`: fewer when the import was cancelled or a step failed.
    pub written: usize,
    pub to_write: usize,
    /// Why the import stopped after some steps were written.
    pub stopped_by: Option<String>,
}

impl MergeSummary {
    /// Whether every record the import meant to write is written.
    pub fn is_complete(&self) -> bool {
        self.written == self.to_write
    }
}

type Key = (RecordKind, Id);

/// The newest versions of one record among all the bundles: usually one, more when the record
/// was edited apart in several logs. Each comes with the name of the bundle's author.
type Heads = Vec<(Version, String)>;

fn add_head(heads: &mut Heads, v: Version, from: &str) {
    let known = heads
        .iter()
        .any(|(h, _)| matches!(v.relation_to(Some(h)), Relation::Same | Relation::Older));
    if known {
        return;
    }
    heads.retain(|(h, _)| v.relation_to(Some(h)) != Relation::Newer);
    heads.push((v, from.to_string()));
    // A fixed order, so that which version is "first" never depends on the bundles' order.
    heads.sort_by(|(a, _), (b, _)| {
        b.revision
            .cmp(&a.revision)
            .then(b.updated_at.cmp(&a.updated_at))
            .then_with(|| a.record.to_string().cmp(&b.record.to_string()))
    });
}

/// Compares the bundles with the log. Reads only. The plan takes the bundles' records, so that
/// a large import holds each of them once.
pub fn plan_import(store: &Store, bundles: Vec<Bundle>) -> StoreResult<ImportPlan> {
    let mut names: HashMap<Id, String> = store
        .all::<Officer>()?
        .into_iter()
        .map(|o| (o.meta.id, o.name))
        .collect();
    let mut plan = ImportPlan::default();
    let forgotten = store.forgotten_people()?;
    let mut heads: BTreeMap<Key, Heads> = BTreeMap::new();
    for b in bundles {
        match super::standing(store, &b)? {
            Standing::Approved(signer) => {
                if let Err(refusal) = super::check_authorship(&b, &signer) {
                    plan.refused.push(refusal);
                    continue;
                }
            }
            Standing::Removed(member) => {
                plan.refused
                    .push(super::authorship::removed_refusal(&b, &member));
                continue;
            }
            Standing::Pending(member) => {
                plan.unapproved.push(Unapproved {
                    member,
                    source: b.source.clone(),
                    records: b.records.len(),
                });
                continue;
            }
        }
        names.insert(b.author.id, b.author.name.clone());
        plan.sources
            .push((b.source.clone(), b.author.name.clone(), b.records.len()));
        for mut v in b.records {
            if forgotten.iter().any(|f| f.person == v.id) {
                plan.forgotten += 1;
                continue;
            }
            scrub_forgotten(&mut v, &forgotten);
            if v.kind == RecordKind::Officer {
                if let Some(name) = v.record.get("name").and_then(|n| n.as_str()) {
                    names.insert(v.id, name.to_string());
                }
            }
            add_head(heads.entry((v.kind, v.id)).or_default(), v, &b.author.name);
        }
    }
    let name_of = |id: Id| {
        names
            .get(&id)
            .cloned()
            .unwrap_or_else(|| format!("officer {}", id.short()))
    };

    let mut counts: BTreeMap<RecordKind, KindCounts> = BTreeMap::new();
    for ((kind, id), heads) in heads {
        let stored = store.version(kind, id)?;
        let expected_here = stored.as_ref().map(|h| h.record.clone());
        let c = counts.entry(kind).or_default();
        // Versions set aside here were settled before; the log's own version is one more head,
        // so a bundle's later revision of it simply replaces it.
        let mut heads: Heads = heads
            .into_iter()
            .filter(|(h, _)| !stored.as_ref().is_some_and(|here| here.has_set_aside(h)))
            .collect();
        if let Some(here) = &stored {
            add_head(&mut heads, here.clone(), "");
        }
        let is_stored = |v: &Version| stored.as_ref() == Some(v);
        if heads.len() <= 1 {
            match heads.pop() {
                Some((v, _)) if !is_stored(&v) => {
                    match stored {
                        Some(_) => c.updated += 1,
                        None => c.new += 1,
                    }
                    plan.writes.push(MergeWrite::take(v, expected_here));
                }
                _ => c.unchanged += 1,
            }
            continue;
        }
        // Edited apart. "Mine" is the log's version, or the bundles' later revision of it.
        c.conflicting += 1;
        let mine_at = heads
            .iter()
            .position(|(h, _)| is_stored(h))
            .or_else(|| {
                heads
                    .iter()
                    .position(|(h, _)| h.relation_to(stored.as_ref()) == Relation::Newer)
            })
            .unwrap_or(0);
        let (mine, _) = heads.remove(mine_at);
        let (theirs, from) = heads.remove(0);
        plan.conflicts.push(Conflict {
            kind,
            id,
            headline: headline(&theirs),
            fields: differing_fields(&mine.record, &theirs.record),
            here_by: name_of(mine.author),
            here_at: mine.updated_at,
            theirs_by: name_of(theirs.author),
            theirs_at: theirs.updated_at,
            from,
            mine,
            theirs,
            others: heads.into_iter().map(|(o, _)| o).collect(),
            stored,
            expected_here,
        });
    }
    plan.counts = counts.into_iter().collect();
    Ok(plan)
}

/// Takes the people forgotten here out of an incoming version and its history, as their
/// forgetting took them out of the log's own copy, so that the two agree again and nothing of
/// them is written or set aside.
fn scrub_forgotten(v: &mut Version, forgotten: &[ForgottenPerson]) {
    for f in forgotten {
        f.drop.apply(&mut v.record, false);
        for h in &mut v.history {
            f.drop.apply(&mut h.previous, false);
        }
    }
}

/// Records an import writes per transaction: a step is a fraction of a second of work, and no
/// transaction holds more than one step's records.
pub const IMPORT_STEP: usize = 2_000;

/// Writes a planned import after a backup; `choices` settle the conflicts in order (missing
/// ones keep the version here). The version not taken is kept in the record's history.
pub fn apply_import(
    store: &Store,
    plan: &ImportPlan,
    choices: &[Choice],
) -> StoreResult<MergeSummary> {
    let never = AtomicBool::new(false);
    apply_import_in_steps(store, plan, choices, IMPORT_STEP, &mut |_, _| {}, &never)
}

/// [`apply_import`] in steps of `step` records (see [`IMPORT_STEP`]), each durable,
/// telling `progress` how many of how many are written, and stopping between two steps once
/// `cancel` is set. Each record is written whole, so an import stopped (or failed) half-way is a
/// smaller import: importing the same bundles again takes the rest. If the log changed since the
/// plan was made, the step holding that record is refused.
pub fn apply_import_in_steps(
    store: &Store,
    plan: &ImportPlan,
    choices: &[Choice],
    step: usize,
    progress: &mut dyn FnMut(usize, usize),
    cancel: &AtomicBool,
) -> StoreResult<MergeSummary> {
    let mut settled = Vec::with_capacity(plan.conflicts.len());
    let total = plan.total();
    let mut summary = MergeSummary {
        new: total.new,
        updated: total.updated,
        unchanged: total.unchanged,
        ..Default::default()
    };
    for (i, c) in plan.conflicts.iter().enumerate() {
        let mut set_aside = c.others.clone();
        let write = match choices.get(i).copied().unwrap_or_default() {
            Choice::KeepMine => {
                summary.kept_mine += 1;
                set_aside.push(c.theirs.clone());
                MergeWrite {
                    kind: c.kind,
                    id: c.id,
                    expected_here: c.expected_here.clone(),
                    // Mine is the log's version, or a later revision of it: nothing moves aside.
                    version: (!c.mine_is_stored()).then(|| c.mine.clone()),
                    set_aside_here_from: None,
                    set_aside,
                }
            }
            Choice::TakeTheirs => {
                summary.took_theirs += 1;
                if !c.mine_is_stored() {
                    set_aside.push(c.mine.clone());
                }
                // Unless theirs continues the log's version, the log's revisions since the
                // two last agreed move aside so theirs can take their numbers.
                let set_aside_here_from = c
                    .stored
                    .as_ref()
                    .filter(|here| c.theirs.relation_to(Some(here)) != Relation::Newer)
                    .map(|here| here.common_revision(&c.theirs) + 1);
                MergeWrite {
                    kind: c.kind,
                    id: c.id,
                    expected_here: c.expected_here.clone(),
                    version: Some(c.theirs.clone()),
                    set_aside_here_from,
                    set_aside,
                }
            }
        };
        settled.push(write);
    }
    let mut writes: Vec<&MergeWrite> = plan.writes.iter().chain(&settled).collect();
    if writes.is_empty() {
        return Ok(summary);
    }
    // Records come before the records that refer to them, so a stopped import leaves no
    // contact naming a topic or person not yet written.
    writes.sort_by_key(|w| (written_before(w.kind), w.id));
    summary.to_write = writes.len();
    if !plan.skip_backup {
        summary.backup = Some(store.backup("before-bundle-import")?.path);
    }
    // Recorded in the audit trail as this log's officer (none yet in a log never set up).
    let by = store.profile()?.map(|p| p.officer).unwrap_or_default();
    let mut written = 0;
    let to_write = writes.len();
    let outcome = store.merge_in_steps(
        &writes,
        by,
        step,
        &mut |n| {
            written = n;
            progress(n, to_write);
        },
        cancel,
    );
    match outcome {
        Ok(n) => summary.written = n,
        Err(e) if written == 0 => return Err(e),
        Err(e) => {
            summary.written = written;
            summary.stopped_by = Some(e.to_string());
        }
    }
    Ok(summary)
}

/// Where a kind of record comes in an import: after every kind its records refer to.
fn written_before(kind: RecordKind) -> u8 {
    match kind {
        RecordKind::Officer => 0,
        RecordKind::Neighborhood => 1,
        RecordKind::Person => 2,
        RecordKind::Tag => 3,
        RecordKind::Contact => 4,
        RecordKind::FollowUp => 5,
        RecordKind::JournalNote => 6,
        RecordKind::Review => 7,
        RecordKind::Problem => 8,
        RecordKind::Priority => 9,
    }
}

/// The top-level fields (besides bookkeeping) whose values differ.
fn differing_fields(a: &serde_json::Value, b: &serde_json::Value) -> Vec<String> {
    let (Some(a), Some(b)) = (a.as_object(), b.as_object()) else {
        return Vec::new();
    };
    let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|k| k.as_str() != "meta" && a.get(*k) != b.get(*k))
        .cloned()
        .collect()
}

/// A record in a few words, from its JSON (no lookups needed).
fn headline(v: &Version) -> String {
    let text = |field: &str| v.record.get(field).and_then(|x| x.as_str()).unwrap_or("");
    match v.kind {
        RecordKind::Contact => {
            let when = v
                .record
                .get("at")
                .and_then(|x| x.as_str())
                .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
                .map(|t| {
                    t.with_timezone(&chrono::Local)
                        .format("%e %b %Y")
                        .to_string()
                })
                .unwrap_or_default();
            match text("place") {
                "" => format!("contact of {}", when.trim()),
                place => format!("contact of {} at {place}", when.trim()),
            }
        }
        RecordKind::FollowUp => format!("follow-up \"{}\"", text("promise")),
        RecordKind::Person | RecordKind::Officer | RecordKind::Neighborhood | RecordKind::Tag => {
            format!("{} \"{}\"", v.kind.label(), text("name"))
        }
        RecordKind::Problem => format!("problem \"{}\"", text("title")),
        RecordKind::Priority => format!("priority \"{}\"", text("concern")),
        RecordKind::JournalNote | RecordKind::Review => {
            format!("{} {}", v.kind.label(), v.id.short())
        }
    }
}
