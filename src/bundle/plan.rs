//! An import planned before anything is written: what is new, updated, unchanged or in conflict.
//!
//! Bundles are compared record by record with the log (and with each other, in the order given):
//! a later revision of a record here replaces it, an earlier or identical one changes nothing, and
//! a record edited on both sides since they last agreed is a conflict the user settles ("keep
//! mine" or "take theirs"; the version not taken stays in the record's history).

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use chrono::{DateTime, Utc};

use super::Bundle;
use crate::model::{Id, Officer, RecordKind};
use crate::store::{MergeWrite, Relation, Store, StoreResult, Version};

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
    here: Version,
    theirs: Version,
    /// Whether the version here is in the log (not only in an earlier bundle of this import).
    here_stored: bool,
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
    writes: Vec<Version>,
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
}

type Key = (RecordKind, Id);

/// Compares the bundles with the log. Reads only.
pub fn plan_import(store: &Store, bundles: &[Bundle]) -> StoreResult<ImportPlan> {
    let mut names: HashMap<Id, String> = store
        .all::<Officer>()?
        .into_iter()
        .map(|o| (o.meta.id, o.name))
        .collect();
    for b in bundles {
        names.insert(b.author.id, b.author.name.clone());
        for v in b.records.iter().filter(|v| v.kind == RecordKind::Officer) {
            if let Some(name) = v.record.get("name").and_then(|n| n.as_str()) {
                names.insert(v.id, name.to_string());
            }
        }
    }
    let name_of = |id: Id| {
        names
            .get(&id)
            .cloned()
            .unwrap_or_else(|| format!("officer {}", id.short()))
    };

    let mut stored: HashMap<Key, Option<Version>> = HashMap::new();
    let mut planned: BTreeMap<Key, Version> = BTreeMap::new();
    let mut conflicts: BTreeMap<Key, Conflict> = BTreeMap::new();
    let mut seen: Vec<Key> = Vec::new();
    let mut plan = ImportPlan::default();
    for b in bundles {
        plan.sources
            .push((b.source.clone(), b.author.name.clone(), b.records.len()));
        for v in &b.records {
            let key = (v.kind, v.id);
            if let std::collections::hash_map::Entry::Vacant(slot) = stored.entry(key) {
                slot.insert(store.version(v.kind, v.id)?);
                seen.push(key);
            }
            let here_stored = !planned.contains_key(&key);
            let here = planned
                .get(&key)
                .or_else(|| stored.get(&key).and_then(Option::as_ref));
            match v.relation_to(here) {
                Relation::New | Relation::Newer => {
                    planned.insert(key, v.clone());
                }
                Relation::Same | Relation::Older => {}
                Relation::Diverged => {
                    let Some(here) = here.cloned() else { continue };
                    conflicts.insert(
                        key,
                        Conflict {
                            kind: v.kind,
                            id: v.id,
                            headline: headline(v),
                            fields: differing_fields(&here.record, &v.record),
                            here_by: name_of(here.author),
                            here_at: here.updated_at,
                            theirs_by: name_of(v.author),
                            theirs_at: v.updated_at,
                            from: b.author.name.clone(),
                            here,
                            theirs: v.clone(),
                            here_stored,
                        },
                    );
                }
            }
        }
    }
    let mut counts: BTreeMap<usize, KindCounts> = BTreeMap::new();
    for key in &seen {
        let c = counts.entry(key.0 as usize).or_default();
        if conflicts.contains_key(key) {
            c.conflicting += 1;
        } else if planned.contains_key(key) {
            match stored.get(key) {
                Some(Some(_)) => c.updated += 1,
                _ => c.new += 1,
            }
        } else {
            c.unchanged += 1;
        }
    }
    plan.counts = counts
        .into_iter()
        .map(|(k, c)| (RecordKind::ALL[k], c))
        .collect();
    plan.conflicts = conflicts.into_values().collect();
    plan.writes = planned.into_values().collect();
    Ok(plan)
}

/// Writes a planned import in one transaction, after a backup; `choices` settle the conflicts
/// in order (missing ones keep the version here).
pub fn apply_import(
    store: &Store,
    plan: &ImportPlan,
    choices: &[Choice],
) -> StoreResult<MergeSummary> {
    let mut writes: BTreeMap<Key, MergeWrite> = plan
        .writes
        .iter()
        .map(|v| {
            (
                (v.kind, v.id),
                MergeWrite {
                    version: v.clone(),
                    set_aside_local: false,
                },
            )
        })
        .collect();
    let total = plan.total();
    let mut summary = MergeSummary {
        new: total.new,
        updated: total.updated,
        unchanged: total.unchanged,
        ..Default::default()
    };
    for (i, c) in plan.conflicts.iter().enumerate() {
        match choices.get(i).copied().unwrap_or_default() {
            Choice::KeepMine => {
                summary.kept_mine += 1;
                if !c.here_stored {
                    writes.insert(
                        (c.kind, c.id),
                        MergeWrite {
                            version: c.here.clone(),
                            set_aside_local: false,
                        },
                    );
                }
            }
            Choice::TakeTheirs => {
                summary.took_theirs += 1;
                writes.insert(
                    (c.kind, c.id),
                    MergeWrite {
                        version: c.theirs.clone(),
                        set_aside_local: c.here_stored,
                    },
                );
            }
        }
    }
    if writes.is_empty() {
        return Ok(summary);
    }
    summary.backup = Some(store.backup("before-bundle-import")?.path);
    let writes: Vec<MergeWrite> = writes.into_values().collect();
    store.merge(&writes)?;
    Ok(summary)
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
        RecordKind::JournalNote | RecordKind::Review => {
            format!("{} {}", v.kind.label(), v.id.short())
        }
    }
}
