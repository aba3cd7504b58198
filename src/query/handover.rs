//! The handover packet for a neighborhood: its people, open promises, journal and concerns.
//!
//! When an officer changes beat the relationships must not be lost, so the packet gathers what
//! the next officer needs in one place. Merged logs hold the same beat as several records;
//! records whose names normalize alike count as one neighborhood.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::Serialize;

use super::log::local_day_start;
use crate::model::{
    normalize_name, Contact, FollowUp, Id, JournalNote, Neighborhood, Officer, Person, PersonRole,
    RecordKind, Tag,
};
use crate::store::{ContactScan, ScanBy, Store, StoreError, StoreResult};

/// How many journal notes a packet carries, newest first.
pub const JOURNAL_NOTES: usize = 20;
/// How far back a concern must recur to be listed, in days before the packet's date.
pub const CONCERN_DAYS: i64 = 90;

/// Everything the officer taking over a beat needs to know about it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HandoverPacket {
    pub neighborhood: String,
    pub prepared_on: NaiveDate,
    pub prepared_by: String,
    /// Most recently contacted first; people never contacted last.
    pub people: Vec<HandoverPerson>,
    /// Open promises not made to one of the neighborhood's people, earliest due first.
    pub unassigned_promises: Vec<Promise>,
    /// Newest first, at most [`JOURNAL_NOTES`].
    pub journal: Vec<JournalNote>,
    /// Topics raised in two or more contacts in the last [`CONCERN_DAYS`] days, most first.
    pub recurring_concerns: Vec<(String, usize)>,
}

/// One person of the neighborhood and where things stand with them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HandoverPerson {
    pub id: Id,
    pub name: String,
    pub role: PersonRole,
    pub last_contact: Option<DateTime<Utc>>,
    /// The officer who logged the last contact.
    pub last_officer: Option<String>,
    /// Contacts with this person, in any neighborhood.
    pub contacts: usize,
    /// Earliest due first.
    pub open_promises: Vec<Promise>,
    /// Phone and email, only when the person agreed to be contacted.
    pub reach_by: Option<String>,
    pub notes: String,
}

/// An open follow-up: what was promised, by whom, and by when.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Promise {
    pub id: Id,
    pub promise: String,
    pub due: NaiveDate,
    /// Due before the packet's date.
    pub overdue: bool,
    pub officer: String,
}

/// The handover packet for `neighborhood` (and every record of the same name) as of `today`.
pub fn handover_packet(
    store: &Store,
    neighborhood: Id,
    prepared_by: Id,
    today: NaiveDate,
) -> StoreResult<HandoverPacket> {
    let hood: Neighborhood = store
        .get(neighborhood)?
        .ok_or(StoreError::NotFound(RecordKind::Neighborhood))?;
    let key = normalize_name(&hood.name);
    let mut group: HashSet<Id> = store
        .all::<Neighborhood>()?
        .into_iter()
        .filter(|n| normalize_name(&n.name) == key)
        .map(|n| n.meta.id)
        .collect();
    // The record asked for belongs to its own group even when it was deleted.
    group.insert(neighborhood);

    // Deleted officers keep their names: their old entries still point at them.
    let mut officers: HashMap<Id, String> = HashMap::new();
    for o in store.iter_all::<Officer>()? {
        let o = o?;
        officers.insert(o.meta.id, o.name);
    }
    let officer_name = |id: Id| {
        officers
            .get(&id)
            .cloned()
            .unwrap_or_else(|| format!("Unknown officer ({})", id.short()))
    };

    let mut people = Vec::new();
    for p in store.all::<Person>()? {
        if !p.neighborhood.is_some_and(|n| group.contains(&n)) {
            continue;
        }
        let scan = ContactScan {
            by: ScanBy::Person(p.meta.id),
            from: None,
            to: None,
        };
        let ids = store
            .scan_contacts(&scan)
            .collect::<StoreResult<Vec<Id>>>()?;
        let last = match ids.first() {
            Some(id) => store.get::<Contact>(*id)?,
            None => None,
        };
        people.push(HandoverPerson {
            id: p.meta.id,
            reach_by: p.consent.as_ref().and_then(|c| {
                let ways: Vec<&str> = [c.phone.trim(), c.email.trim()]
                    .into_iter()
                    .filter(|s| !s.is_empty())
                    .collect();
                (!ways.is_empty()).then(|| ways.join(", "))
            }),
            name: p.name,
            role: p.role,
            last_contact: last.as_ref().map(|c| c.at),
            last_officer: last.as_ref().map(|c| officer_name(c.meta.owner())),
            contacts: ids.len(),
            open_promises: Vec::new(),
            notes: p.notes,
        });
    }
    people.sort_by(|a, b| {
        // `None` sorts before `Some`, so reversing the time puts the never-contacted last.
        b.last_contact
            .cmp(&a.last_contact)
            .then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase()))
            .then(a.id.cmp(&b.id))
    });

    let mut followups: Vec<FollowUp> = store
        .all::<FollowUp>()?
        .into_iter()
        .filter(|f| f.status.is_open() && group.contains(&f.neighborhood))
        .collect();
    followups.sort_by_key(|f| (f.due, f.meta.id));
    let position: HashMap<Id, usize> = people.iter().enumerate().map(|(i, p)| (p.id, i)).collect();
    let mut unassigned_promises = Vec::new();
    for f in followups {
        let promise = Promise {
            id: f.meta.id,
            promise: f.promise,
            due: f.due,
            overdue: f.due < today,
            officer: officer_name(f.meta.owner()),
        };
        match f.person.and_then(|p| position.get(&p)) {
            Some(&i) => people[i].open_promises.push(promise),
            None => unassigned_promises.push(promise),
        }
    }

    let mut journal: Vec<JournalNote> = store
        .all::<JournalNote>()?
        .into_iter()
        .filter(|j| group.contains(&j.neighborhood))
        .collect();
    journal.sort_by_key(|j| std::cmp::Reverse((j.date, j.meta.created_at, j.meta.id)));
    journal.truncate(JOURNAL_NOTES);

    Ok(HandoverPacket {
        neighborhood: hood.name.trim().to_string(),
        prepared_on: today,
        prepared_by: officer_name(prepared_by),
        people,
        unassigned_promises,
        journal,
        recurring_concerns: recurring_concerns(store, &group, today)?,
    })
}

/// Topics raised in two or more of the group's contacts in the last [`CONCERN_DAYS`] days
/// (today included), most raised first. Topics are matched by normalized name, because merged
/// logs hold the same topic as several records.
fn recurring_concerns(
    store: &Store,
    group: &HashSet<Id>,
    today: NaiveDate,
) -> StoreResult<Vec<(String, usize)>> {
    let mut topic_key: HashMap<Id, String> = HashMap::new();
    // The name shown for a topic is that of its oldest record, so the packet reads the same
    // however the logs were merged.
    let mut shown: BTreeMap<String, String> = BTreeMap::new();
    for t in store.iter_all::<Tag>()? {
        let t = t?;
        let key = normalize_name(&t.name);
        shown
            .entry(key.clone())
            .or_insert_with(|| t.name.trim().to_string());
        topic_key.insert(t.meta.id, key);
    }
    let first = today
        .checked_sub_signed(Duration::days(CONCERN_DAYS))
        .unwrap_or(NaiveDate::MIN);
    let from = local_day_start(first);
    let to = today.succ_opt().map(local_day_start);
    let mut counts: HashMap<String, usize> = HashMap::new();
    let mut hoods: Vec<Id> = group.iter().copied().collect();
    hoods.sort();
    for hood in hoods {
        let scan = ContactScan {
            by: ScanBy::Neighborhood(hood),
            from: Some(from),
            to,
        };
        for id in store.scan_contacts(&scan) {
            let Some(c) = store.get::<Contact>(id?)? else {
                continue;
            };
            if c.meta.deleted {
                continue;
            }
            let raised: HashSet<&String> = c.tags.iter().filter_map(|t| topic_key.get(t)).collect();
            for key in raised {
                *counts.entry(key.clone()).or_default() += 1;
            }
        }
    }
    let mut out: Vec<(String, usize)> = counts
        .into_iter()
        .filter(|(_, n)| *n >= 2)
        .map(|(key, n)| (shown.get(&key).cloned().unwrap_or(key), n))
        .collect();
    out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    Ok(out)
}
