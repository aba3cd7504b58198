//! Timelines, the losing-touch list and neighborhood pages. The follow-up queue lives in
//! [`super::followups`]; it is re-exported here for the code that still names it through this
//! module.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};

use super::log::local_day_start;
use crate::model::{Contact, FollowUp, Id, JournalNote, Person};
use crate::store::{ContactScan, ScanBy, Store, StoreResult};

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

/// Contacts with the person and promises made to them, newest first.
pub fn person_timeline(store: &Store, person: Id) -> StoreResult<Vec<TimelineItem>> {
    let scan = ContactScan {
        by: ScanBy::Person(person),
        ..Default::default()
    };
    let mut items = Vec::new();
    for id in store.scan_contacts(&scan) {
        if let Some(c) = store.get::<Contact>(id?)? {
            if !c.meta.deleted {
                items.push(TimelineItem::Contact(c));
            }
        }
    }
    for f in store.all::<FollowUp>()? {
        if f.person == Some(person) {
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

/// The newest `n` journal notes of a neighborhood.
pub fn latest_journal(store: &Store, hood: Id, n: usize) -> StoreResult<Vec<JournalNote>> {
    let mut notes: Vec<JournalNote> = store
        .all::<JournalNote>()?
        .into_iter()
        .filter(|j| j.neighborhood == hood)
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

/// The journal, people, recent contacts, open promises and frequent concerns of a neighborhood.
pub fn neighborhood_summary(
    store: &Store,
    hood: Id,
    now: DateTime<Utc>,
    concern_days: i64,
    recent: usize,
) -> StoreResult<NeighborhoodSummary> {
    let mut s = NeighborhoodSummary {
        journal: store
            .all::<JournalNote>()?
            .into_iter()
            .filter(|n| n.neighborhood == hood)
            .collect(),
        ..Default::default()
    };
    s.journal
        .sort_by_key(|n| std::cmp::Reverse((n.date, n.meta.created_at)));
    s.people = store
        .all::<Person>()?
        .into_iter()
        .filter(|p| p.neighborhood == Some(hood))
        .collect();
    s.people.sort_by_cached_key(|p| p.name.to_lowercase());
    s.open_followups = store
        .all::<FollowUp>()?
        .into_iter()
        .filter(|f| f.neighborhood == hood && f.status.is_open())
        .collect();
    s.open_followups.sort_by_key(|f| f.due);

    let scan = ContactScan {
        by: ScanBy::Neighborhood(hood),
        from: Some(now - Duration::days(concern_days)),
        to: None,
    };
    let mut counts: HashMap<Id, usize> = HashMap::new();
    for id in store.scan_contacts(&scan) {
        let Some(c) = store.get::<Contact>(id?)? else {
            continue;
        };
        for t in &c.tags {
            *counts.entry(*t).or_default() += 1;
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
            by: ScanBy::Neighborhood(hood),
            from: None,
            to: scan.from,
        };
        for id in store
            .scan_contacts(&older)
            .take(recent - s.recent_contacts.len())
        {
            if let Some(c) = store.get::<Contact>(id?)? {
                s.recent_contacts.push(c);
            }
        }
    }
    Ok(s)
}
