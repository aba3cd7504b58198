//! What the retention policy, or a resident's request to be forgotten, would take out of the
//! log: worked out first and shown, then carried out with [`Store::scrub`].

use std::collections::{BTreeSet, HashMap, HashSet};

use chrono::{DateTime, Months, Utc};
use serde::Serialize;

use crate::model::{
    Contact, FollowUp, Id, JournalNote, Neighborhood, Person, Priority, Problem, RecordKind,
    RetentionPolicy, Review, Scrub, ANONYMIZED_NAME, FORGOTTEN_NAME, RETIRED_NOTE,
};
use crate::store::{AuditSubject, ScrubTarget, Store, StoreError, StoreResult, Stored};

/// One record a purge changes, described for the preview.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PurgeItem {
    pub id: Id,
    /// "2024-03-02 · Riverside" for notes, the person's name for people.
    pub label: String,
}

/// What a purge under a policy would do, as of a moment.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct PurgePlan {
    /// Contacts whose note is emptied.
    pub notes: Vec<PurgeItem>,
    /// Journal notes removed.
    pub journal: Vec<PurgeItem>,
    /// People whose contact details are removed.
    pub details: Vec<PurgeItem>,
    /// People anonymized.
    pub anonymize: Vec<PurgeItem>,
}

impl PurgePlan {
    pub fn is_empty(&self) -> bool {
        self.notes.is_empty()
            && self.journal.is_empty()
            && self.details.is_empty()
            && self.anonymize.is_empty()
    }

    /// What the purge removes, as the audit trail counts it.
    pub fn audit_subject(&self) -> AuditSubject {
        AuditSubject::counted(&[
            (self.notes.len(), "contact notes"),
            (self.journal.len(), "journal notes"),
            (self.details.len(), "people's contact details"),
            (self.anonymize.len(), "people anonymized"),
        ])
    }

    /// The plan in one line: "12 contact notes, 1 journal note, 3 people anonymized".
    pub fn summary(&self) -> String {
        use crate::report::plural;
        if self.is_empty() {
            return "nothing is older than the policy allows".into();
        }
        let parts = [
            (
                self.notes.len(),
                plural(self.notes.len(), "contact note", "contact notes"),
            ),
            (
                self.journal.len(),
                plural(self.journal.len(), "journal note", "journal notes"),
            ),
            (
                self.details.len(),
                format!(
                    "contact details of {}",
                    plural(self.details.len(), "person", "people")
                ),
            ),
            (
                self.anonymize.len(),
                format!(
                    "{} anonymized",
                    plural(self.anonymize.len(), "person", "people")
                ),
            ),
        ];
        parts
            .into_iter()
            .filter(|(n, _)| *n > 0)
            .map(|(_, text)| text)
            .collect::<Vec<_>>()
            .join(", ")
    }

    pub fn targets(&self) -> Vec<ScrubTarget> {
        let each = |items: &[PurgeItem], kind: RecordKind, scrub: Scrub| {
            items
                .iter()
                .map(|i| ScrubTarget {
                    kind,
                    id: i.id,
                    scrub: scrub.clone(),
                })
                .collect::<Vec<_>>()
        };
        let mut out = each(&self.notes, RecordKind::Contact, Scrub::ClearNote);
        out.extend(each(
            &self.journal,
            RecordKind::JournalNote,
            Scrub::RetireJournalNote,
        ));
        out.extend(each(&self.details, RecordKind::Person, Scrub::ClearDetails));
        out.extend(each(&self.anonymize, RecordKind::Person, Scrub::Anonymize));
        out
    }
}

/// The moment `months` before `now` (`None`: the rule is off).
fn cutoff(now: DateTime<Utc>, months: u32) -> Option<DateTime<Utc>> {
    (months > 0)
        .then(|| now.checked_sub_months(Months::new(months)))
        .flatten()
}

/// What the policy would remove or anonymize at `now`. Deleted records count too: a deleted
/// entry still holds its note until it is purged.
pub fn plan_purge(
    store: &Store,
    policy: RetentionPolicy,
    now: DateTime<Utc>,
) -> StoreResult<PurgePlan> {
    let mut plan = PurgePlan::default();
    let notes_cutoff = cutoff(now, policy.notes_months);
    let hoods: HashMap<Id, String> = store
        .iter_all::<Neighborhood>()?
        .map(|n| n.map(|n| (n.meta.id, n.name)))
        .collect::<StoreResult<_>>()?;
    let hood = |id: &Id| hoods.get(id).map_or("", String::as_str).to_string();
    if let Some(cut) = notes_cutoff {
        for c in store.iter_all::<Contact>()? {
            let c = c?;
            if c.at < cut && !c.note.is_empty() {
                plan.notes.push(PurgeItem {
                    id: c.meta.id,
                    label: format!("{} · {}", c.at.format("%Y-%m-%d"), hood(&c.neighborhood)),
                });
            }
        }
        for j in store.iter_all::<JournalNote>()? {
            let j = j?;
            let retired = j.meta.deleted && j.text == RETIRED_NOTE;
            if j.date < cut.date_naive() && !retired {
                plan.journal.push(PurgeItem {
                    id: j.meta.id,
                    label: format!("{} · {}", j.date, hood(&j.neighborhood)),
                });
            }
        }
    }
    let anonymize_cutoff = cutoff(now, policy.anonymize_months);
    for p in store.iter_all::<Person>()? {
        let p = p?;
        let last = store
            .last_contact_with(p.meta.id)?
            .unwrap_or(p.meta.created_at);
        let item = PurgeItem {
            id: p.meta.id,
            label: p.name.clone(),
        };
        let anonymized = (p.name == ANONYMIZED_NAME || p.name == FORGOTTEN_NAME)
            && p.notes.is_empty()
            && p.consent.is_none();
        if anonymize_cutoff.is_some_and(|cut| last < cut) {
            if !anonymized {
                plan.anonymize.push(item);
            }
        } else if notes_cutoff.is_some_and(|cut| last < cut) && p.consent.is_some() {
            plan.details.push(item);
        }
    }
    Ok(plan)
}

/// What forgetting one person takes out of the log.
#[derive(Debug, Clone, PartialEq)]
pub struct ForgetPlan {
    pub person: Id,
    pub name: String,
    /// Other records that name or point at the person (contacts, follow-ups, notes ...).
    pub mentions: usize,
    pub targets: Vec<ScrubTarget>,
    /// The edit that blanks the person out of other records, kept so that later imports are
    /// scrubbed the same way.
    pub drop: Scrub,
}

/// Forgetting `person`: the person record itself, and every record that points at them or
/// mentions their name, now or in an earlier version.
pub fn plan_forget(store: &Store, person: Id) -> StoreResult<ForgetPlan> {
    let p: Person = store
        .get(person)?
        .ok_or(StoreError::NotFound(RecordKind::Person))?;
    // Every name the person was known by, earlier ones included.
    let mut names = vec![p.name.clone()];
    for h in store.history::<Person>(person)? {
        if let Some(name) = h.previous.get("name").and_then(|n| n.as_str()) {
            if !names.iter().any(|n| n == name) {
                names.push(name.to_string());
            }
        }
    }
    let drop = Scrub::drop_person(person, &names);
    let mut targets = vec![ScrubTarget {
        kind: RecordKind::Person,
        id: person,
        scrub: Scrub::Forget,
    }];
    fn mentioning<R: Stored>(
        store: &Store,
        drop: &Scrub,
        skip: Id,
        out: &mut Vec<ScrubTarget>,
    ) -> StoreResult<()> {
        let touches = |value: &serde_json::Value| {
            let mut scrubbed = value.clone();
            drop.apply(&mut scrubbed, false);
            scrubbed != *value
        };
        let (mut ids, mut existing) = (BTreeSet::new(), HashSet::new());
        for r in store.iter_all::<R>()? {
            let r = r?;
            existing.insert(r.id());
            let now = serde_json::to_value(&r).map_err(|e| StoreError::Write(e.into()))?;
            if touches(&now) {
                ids.insert(r.id());
            }
        }
        // An entry whose record is gone (which `check` reports) has nothing left to scrub.
        for (id, earlier) in store.all_history::<R>()? {
            if existing.contains(&id) && touches(&earlier.previous) {
                ids.insert(id);
            }
        }
        ids.remove(&skip);
        out.extend(ids.into_iter().map(|id| ScrubTarget {
            kind: R::KIND,
            id,
            scrub: drop.clone(),
        }));
        Ok(())
    }
    mentioning::<Contact>(store, &drop, person, &mut targets)?;
    mentioning::<FollowUp>(store, &drop, person, &mut targets)?;
    mentioning::<JournalNote>(store, &drop, person, &mut targets)?;
    mentioning::<Person>(store, &drop, person, &mut targets)?;
    mentioning::<Review>(store, &drop, person, &mut targets)?;
    mentioning::<Problem>(store, &drop, person, &mut targets)?;
    mentioning::<Priority>(store, &drop, person, &mut targets)?;
    Ok(ForgetPlan {
        person,
        name: p.name,
        mentions: targets.len() - 1,
        targets,
        drop,
    })
}
