//! Timelines, the losing-touch list, neighborhood pages, and people known to two officers
//! (possible duplicates, and those merged by hand). The follow-up queue lives in
//! [`super::followups`]; it is re-exported here for the code that still names it through this
//! module.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};

use super::log::local_day_start;
use super::names::SquadNames;
use crate::model::{normalize_name, Contact, FollowUp, Id, JournalNote, Person};
use crate::store::{Among, ContactScan, PersonLink, ScanBy, Store, StoreResult};

pub use super::followups::{due_soon, followup_queue, DueList, DueSoon};

/// One line of a person's timeline.
#[derive(Debug, Clone, PartialEq)]
pub enum TimelineItem {
    Contact(Contact),
    FollowUp(FollowUp),
}

impl TimelineItem {
    /// When it happened: the contact's time, or the follow-up's due date.
    pub fn when(&self) -> DateTime<Utc> {
        match self {
            TimelineItem::Contact(c) => c.at,
            TimelineItem::FollowUp(f) => local_day_start(f.due),
        }
    }
}

/// The person records kept as one person with `person` (merged by hand on the People screen),
/// `person` first, then by id; following merges of merges.
pub fn same_person(links: &[PersonLink], person: Id) -> Vec<Id> {
    let mut group = vec![person];
    let mut i = 0;
    while let Some(&p) = group.get(i) {
        for l in links.iter().filter(|l| l.same) {
            let other = match (l.a == p, l.b == p) {
                (true, _) => l.b,
                (_, true) => l.a,
                _ => continue,
            };
            if !group.contains(&other) {
                group.push(other);
            }
        }
        i += 1;
    }
    group[1..].sort();
    group
}

/// Pairs of people who may be one person known to two officers: the same name (ignoring case
/// and spacing), written by different officers, and not decided about yet (merged, or said to
/// be two people). Never merged without a person deciding: two residents can share a name.
/// `people` gives (id, name, owner) of every live person; pairs come sorted by name.
pub fn possible_duplicates<'a>(
    people: impl IntoIterator<Item = (Id, &'a str, Id)>,
    links: &[PersonLink],
) -> Vec<(Id, Id)> {
    let mut by_name: Vec<(String, Id, Id)> = people
        .into_iter()
        .map(|(id, name, owner)| (normalize_name(name), id, owner))
        .collect();
    by_name.sort();
    let decided = |a: Id, b: Id| {
        let (a, b) = (a.min(b), a.max(b));
        links.iter().any(|l| l.a == a && l.b == b) || same_person(links, a).contains(&b)
    };
    let mut out = Vec::new();
    for run in by_name.chunk_by(|x, y| x.0 == y.0) {
        for (i, x) in run.iter().enumerate() {
            for y in &run[i + 1..] {
                if x.2 != y.2 && !decided(x.1, y.1) {
                    out.push((x.1.min(y.1), x.1.max(y.1)));
                }
            }
        }
    }
    out
}

/// How many contacts name the person record `person`, counted from index keys alone.
pub fn contacts_with(store: &Store, person: Id) -> StoreResult<usize> {
    let scan = ContactScan {
        by: ScanBy::Person(person),
        ..Default::default()
    };
    let mut n = 0;
    for id in store.scan_contacts(&scan) {
        id?;
        n += 1;
    }
    Ok(n)
}

/// Contacts with the person and promises made to them, newest first; those of the records
/// merged with theirs too (see [`same_person`]).
pub fn person_timeline(store: &Store, person: Id) -> StoreResult<Vec<TimelineItem>> {
    let people = same_person(&store.person_links()?, person);
    let mut items = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for p in &people {
        let scan = ContactScan {
            by: ScanBy::Person(*p),
            ..Default::default()
        };
        for id in store.scan_contacts(&scan) {
            let id = id?;
            // A contact with both records is listed once.
            if !seen.insert(id) {
                continue;
            }
            if let Some(c) = store.get::<Contact>(id)? {
                if !c.meta.deleted {
                    items.push(TimelineItem::Contact(c));
                }
            }
        }
    }
    for f in store.all::<FollowUp>()? {
        if f.person.is_some_and(|p| people.contains(&p)) {
            items.push(TimelineItem::FollowUp(f));
        }
    }
    items.sort_by_key(|i| std::cmp::Reverse(i.when()));
    Ok(items)
}

/// People not contacted for at least `days` days (or never), longest silence first (never
/// contacted first, then by id). Read from the contact index once it is built, so a department's
/// archive answers in milliseconds; from the store's person index before that.
pub fn losing_touch(
    store: &Store,
    days: i64,
    now: DateTime<Utc>,
) -> StoreResult<Vec<(Id, Option<DateTime<Utc>>)>> {
    let cutoff = (now - Duration::days(days)).timestamp_millis();
    store.with_review_facts(|facts| {
        let mut people = Vec::new();
        facts.people(&mut |p| {
            if !p.deleted {
                people.push((p.id, p.slot));
            }
        })?;
        people.sort_unstable();
        let mut out = Vec::new();
        for (id, slot) in people {
            let last = facts.last_contact_with_before(slot, DateTime::<Utc>::MAX_UTC)?;
            if last.is_none_or(|t| t <= cutoff) {
                out.push((id, last.and_then(DateTime::from_timestamp_millis)));
            }
        }
        out.sort_by_key(|(_, last)| *last);
        Ok(out)
    })
}

/// The newest `n` journal notes of a neighborhood (of every record of its name: see
/// `query::names`).
pub fn latest_journal(store: &Store, hood: Id, n: usize) -> StoreResult<Vec<JournalNote>> {
    let hoods = SquadNames::of(store)?.aliases_of(hood);
    let mut notes: Vec<JournalNote> = store
        .all::<JournalNote>()?
        .into_iter()
        .filter(|j| hoods.contains(&j.neighborhood))
        .collect();
    notes.sort_by_key(|j| std::cmp::Reverse((j.date, j.meta.created_at)));
    notes.truncate(n);
    Ok(notes)
}

/// Everything a neighborhood's page shows.
#[derive(Debug, Clone, Default)]
pub struct NeighborhoodSummary {
    pub journal: Vec<JournalNote>,
    pub people: Vec<Person>,
    pub recent_contacts: Vec<Contact>,
    pub open_followups: Vec<FollowUp>,
    /// Topic ids and how often they were raised in the last `concern_days` days, most first.
    pub top_concerns: Vec<(Id, usize)>,
}

/// The journal, people, recent contacts, open promises and frequent concerns of a neighborhood:
/// of every record of its name, as a squad's log holds one per officer (see `query::names`).
/// Topics are counted under their canonical records.
pub fn neighborhood_summary(
    store: &Store,
    hood: Id,
    now: DateTime<Utc>,
    concern_days: i64,
    recent: usize,
) -> StoreResult<NeighborhoodSummary> {
    let names = SquadNames::of(store)?;
    let hoods = names.aliases_of(hood);
    let among = Among {
        neighborhoods: hoods.clone(),
        tags: Vec::new(),
    };
    let mut s = NeighborhoodSummary {
        journal: store
            .all::<JournalNote>()?
            .into_iter()
            .filter(|n| hoods.contains(&n.neighborhood))
            .collect(),
        ..Default::default()
    };
    s.journal
        .sort_by_key(|n| std::cmp::Reverse((n.date, n.meta.created_at)));
    s.people = store
        .all::<Person>()?
        .into_iter()
        .filter(|p| p.neighborhood.is_some_and(|h| hoods.contains(&h)))
        .collect();
    s.people.sort_by_cached_key(|p| p.name.to_lowercase());
    s.open_followups = store
        .all::<FollowUp>()?
        .into_iter()
        .filter(|f| hoods.contains(&f.neighborhood) && f.status.is_open())
        .collect();
    s.open_followups.sort_by_key(|f| f.due);

    let scan = ContactScan {
        by: ScanBy::All,
        from: Some(now - Duration::days(concern_days)),
        to: None,
    };
    let mut counts: HashMap<Id, usize> = HashMap::new();
    for id in store.scan_contacts_among(&scan, among.clone()) {
        let Some(c) = store.get::<Contact>(id?)? else {
            continue;
        };
        let mut topics: Vec<Id> = c.tags.iter().map(|t| names.canonical(*t)).collect();
        topics.sort();
        topics.dedup();
        for t in topics {
            *counts.entry(t).or_default() += 1;
        }
        if s.recent_contacts.len() < recent {
            s.recent_contacts.push(c);
        }
    }
    let mut top: Vec<(Id, usize)> = counts.into_iter().collect();
    top.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    s.top_concerns = top;
    if s.recent_contacts.len() < recent {
        // Fewer recent contacts than asked: show older ones too.
        let older = ContactScan {
            by: ScanBy::All,
            from: None,
            to: scan.from,
        };
        for id in store
            .scan_contacts_among(&older, among)
            .take(recent - s.recent_contacts.len())
        {
            if let Some(c) = store.get::<Contact>(id?)? {
                s.recent_contacts.push(c);
            }
        }
    }
    Ok(s)
}
