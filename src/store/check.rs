//! `beatbook check`: proves every record decodes and every index agrees with the records.

use std::collections::{BTreeSet, HashSet};

use super::{indexes::Stored, Store, StoreError, StoreResult};
use crate::model::{
    ActionOwner, Contact, FollowUp, Id, JournalNote, Neighborhood, Officer, Person, Priority,
    Problem, RecordKind, Review, Tag,
};

/// What a check found: counts of live records per kind and any problems, in plain words.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct CheckReport {
    pub format: u32,
    pub counts: Vec<(RecordKind, usize)>,
    pub deleted: usize,
    pub history_entries: usize,
    pub index_entries: usize,
    /// Entries that cannot be read at all (as opposed to references that point nowhere).
    pub unreadable: usize,
    pub problems: Vec<String>,
}

impl CheckReport {
    pub fn is_ok(&self) -> bool {
        self.problems.is_empty()
    }
}

pub(crate) fn run(store: &Store) -> StoreResult<CheckReport> {
    let mut report = CheckReport {
        format: super::migrate::read_format(store)?.unwrap_or(0),
        ..Default::default()
    };
    let officers: HashSet<Id> = ids_of::<Officer>(store, &mut report)?;
    let hoods: HashSet<Id> = ids_of::<Neighborhood>(store, &mut report)?;
    let people: HashSet<Id> = ids_of::<Person>(store, &mut report)?;
    let tags: HashSet<Id> = ids_of::<Tag>(store, &mut report)?;
    let contacts = decoded::<Contact>(store, &mut report)?;
    let contact_ids: HashSet<Id> = contacts.iter().map(|c| c.meta.id).collect();
    let followups = decoded::<FollowUp>(store, &mut report)?;
    tally(&followups, &mut report);
    for f in &followups {
        let missing = !hoods.contains(&f.neighborhood)
            || f.person.is_some_and(|p| !people.contains(&p))
            || f.contact.is_some_and(|c| !contact_ids.contains(&c));
        if missing {
            report.problems.push(format!(
                "follow-up {} names a record that does not exist",
                f.meta.id.short()
            ));
        }
    }
    let notes = decoded::<JournalNote>(store, &mut report)?;
    tally(&notes, &mut report);
    for n in &notes {
        if !hoods.contains(&n.neighborhood) {
            report.problems.push(format!(
                "journal note {} names a neighborhood that does not exist",
                n.meta.id.short()
            ));
        }
    }

    let reviews = decoded::<Review>(store, &mut report)?;
    tally(&reviews, &mut report);
    for r in &reviews {
        if !contact_ids.contains(&r.contact) {
            report.problems.push(format!(
                "review {} names a contact that does not exist",
                r.meta.id.short()
            ));
        }
    }

    check_problems(store, &mut report, &officers, &hoods, &tags, &contact_ids)?;

    let mut expected: Vec<BTreeSet<(Vec<u8>, Vec<u8>)>> =
        vec![BTreeSet::new(); super::indexes::INDEX_COUNT];
    tally(&contacts, &mut report);
    report.counts.sort_by_key(|(kind, _)| *kind as usize);
    for c in &contacts {
        let id = c.meta.id.short();
        if !hoods.contains(&c.neighborhood) {
            report.problems.push(format!(
                "contact {id} names a neighborhood that does not exist"
            ));
        }
        if !officers.contains(&c.meta.author) || !officers.contains(&c.meta.owner()) {
            report.problems.push(format!(
                "contact {id} names an author who is not an officer here"
            ));
        }
        if c.people.iter().any(|p| !people.contains(p)) {
            report
                .problems
                .push(format!("contact {id} names a person who does not exist"));
        }
        if c.tags.iter().any(|t| !tags.contains(t)) {
            report
                .problems
                .push(format!("contact {id} names a topic that does not exist"));
        }
        for e in c.index_entries() {
            expected[e.index].insert((e.key, e.value));
        }
    }
    for f in &followups {
        for e in f.index_entries() {
            expected[e.index].insert((e.key, e.value));
        }
    }

    compare_indexes(store, &expected, &mut report)?;

    if let Some(problem) = store.audit_break()? {
        report.problems.push(problem);
    }
    check_history(store, &mut report)?;
    Ok(report)
}

/// Problems and priorities: what each names must exist (a problem's neighborhood, officers,
/// topics and contacts; a priority's neighborhood, meeting and problems).
fn check_problems(
    store: &Store,
    report: &mut CheckReport,
    officers: &HashSet<Id>,
    hoods: &HashSet<Id>,
    tags: &HashSet<Id>,
    contact_ids: &HashSet<Id>,
) -> StoreResult<()> {
    // An officer's log holds only their own contacts (the exchange brings them the squad's
    // problems and priorities, not its contacts): a contact linked by someone else's record is
    // looked for in a sergeant's log only.
    let here = store.profile()?.map(|p| p.officer);
    let sergeant = match here {
        Some(me) => store
            .get::<Officer>(me)?
            .is_some_and(|o| o.role == crate::model::Role::Sergeant),
        None => false,
    };
    let holds_contacts_of = |author: Id| sergeant || Some(author) == here;
    let problems = decoded::<Problem>(store, report)?;
    tally(&problems, report);
    let problem_ids: HashSet<Id> = problems.iter().map(|p| p.meta.id).collect();
    for p in &problems {
        let id = p.meta.id.short();
        let missing = |what: &str| format!("problem {id} names {what} that does not exist");
        if !hoods.contains(&p.neighborhood) {
            report.problems.push(missing("a neighborhood"));
        }
        let mut action_officers = p.actions.iter().filter_map(|a| match &a.owner {
            Some(ActionOwner::Officer { officer }) => Some(officer),
            _ => None,
        });
        if !officers.contains(&p.owner) || action_officers.any(|o| !officers.contains(o)) {
            report.problems.push(missing("an officer"));
        }
        if holds_contacts_of(p.meta.author) && p.contacts.iter().any(|c| !contact_ids.contains(c)) {
            report.problems.push(missing("a contact"));
        }
        if p.topics.iter().any(|t| !tags.contains(t)) {
            report.problems.push(missing("a topic"));
        }
    }
    let priorities = decoded::<Priority>(store, report)?;
    tally(&priorities, report);
    for p in &priorities {
        let id = p.meta.id.short();
        let missing = |what: &str| format!("priority {id} names {what} that does not exist");
        if !hoods.contains(&p.neighborhood) {
            report.problems.push(missing("a neighborhood"));
        }
        if holds_contacts_of(p.meta.author) && p.meeting.is_some_and(|m| !contact_ids.contains(&m))
        {
            report.problems.push(missing("a meeting contact"));
        }
        if p.problems.iter().any(|x| !problem_ids.contains(x)) {
            report.problems.push(missing("a problem"));
        }
    }
    Ok(())
}

/// Counts the index entries and reports those missing or left over against `expected`, the
/// entries the records call for.
fn compare_indexes(
    store: &Store,
    expected: &[BTreeSet<(Vec<u8>, Vec<u8>)>],
    report: &mut CheckReport,
) -> StoreResult<()> {
    for (ix, tree) in store.indexes.iter().enumerate() {
        let mut actual = BTreeSet::new();
        for kv in tree.iter() {
            let (k, v) = kv.map_err(StoreError::from_sled)?;
            actual.insert((k.to_vec(), v.to_vec()));
        }
        report.index_entries += actual.len();
        let missing = expected[ix].difference(&actual).count();
        let extra = actual.difference(&expected[ix]).count();
        if missing > 0 {
            report.problems.push(format!(
                "index {} is missing {missing} entries",
                super::INDEX_TREES[ix]
            ));
        }
        if extra > 0 {
            report.problems.push(format!(
                "index {} has {extra} entries for no record",
                super::INDEX_TREES[ix]
            ));
        }
    }
    Ok(())
}

/// Counts the history entries and reports those that cannot be read or do not fit their
/// record's revisions.
fn check_history(store: &Store, report: &mut CheckReport) -> StoreResult<()> {
    for kv in store.history.iter() {
        let (k, v) = kv.map_err(StoreError::from_sled)?;
        report.history_entries += 1;
        if k.len() != super::keys::HISTORY_KEY_LEN || store.codec().decode_entry(&k, &v).is_err() {
            report.unreadable += 1;
            report
                .problems
                .push("a history entry cannot be read".to_string());
            continue;
        }
        if let Some(problem) = history_misfit(store, &k)? {
            report.problems.push(problem);
        }
    }
    Ok(())
}

/// A history entry in the revision chain must be older than its record's current revision
/// (set-aside versions sit apart, above the chain).
fn history_misfit(store: &Store, key: &[u8]) -> StoreResult<Option<String>> {
    let Some((kind, id, revision)) = super::keys::split_history_key(key) else {
        return Ok(Some("a history entry has a malformed key".into()));
    };
    if revision >= super::merge::SET_ASIDE_MARK {
        return Ok(None);
    }
    let Some(kind) = crate::model::RecordKind::ALL
        .get(usize::from(kind))
        .copied()
    else {
        return Ok(Some(
            "a history entry names an unknown kind of record".into(),
        ));
    };
    let current = store.stored_revision(kind, id)?;
    Ok(match current {
        None => Some(format!(
            "a history entry belongs to a {} that does not exist",
            kind.label()
        )),
        Some(r) if revision >= r => Some(format!(
            "{} {} has a history entry as new as the record itself",
            kind.label(),
            id.short()
        )),
        Some(_) => None,
    })
}

/// Decodes every record of a kind, noting undecodable ones and keys that do not match ids.
fn decoded<R: Stored>(store: &Store, report: &mut CheckReport) -> StoreResult<Vec<R>> {
    let mut out = Vec::new();
    let codec = store.codec();
    for kv in store.records(R::KIND).iter() {
        let (k, v) = kv.map_err(StoreError::from_sled)?;
        match codec.decode_record::<R>(&k, &v) {
            Ok(r) => {
                if Id::from_bytes(&k) != Some(r.id()) || k.len() != super::keys::ID_KEY_LEN {
                    report.unreadable += 1;
                    report.problems.push(format!(
                        "a {} is stored under the wrong key",
                        R::KIND.label()
                    ));
                }
                if let Err(e) = r.validate() {
                    report.problems.push(format!(
                        "{} {} breaks a rule: {e}",
                        R::KIND.label(),
                        r.id().short()
                    ));
                }
                out.push(r);
            }
            Err(e) => {
                report.unreadable += 1;
                report
                    .problems
                    .push(format!("a {} cannot be read: {e}", R::KIND.label()));
            }
        }
    }
    Ok(out)
}

fn ids_of<R: Stored>(store: &Store, report: &mut CheckReport) -> StoreResult<HashSet<Id>> {
    let all = decoded::<R>(store, report)?;
    tally(&all, report);
    Ok(all.iter().map(|r| r.id()).collect())
}

/// Counts live records and tombstones of one kind.
fn tally<R: Stored>(records: &[R], report: &mut CheckReport) {
    let live = records.iter().filter(|r| !r.meta().deleted).count();
    report.deleted += records.len() - live;
    report.counts.push((R::KIND, live));
}
