//! The handover packet for a neighborhood: its people, open promises (and the partner agency
//! each waits on), the priorities agreed with residents for now, the open community problems
//! with their next actions, the journal and the recurring concerns.
//!
//! When an officer changes beat the relationships must not be lost, so the packet gathers what
//! the next officer needs in one place. Merged logs hold the same beat as several records;
//! they count as one neighborhood, folded as `query::names` folds them.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::Serialize;

use super::log::local_day_start;
use super::names::SquadNames;
use super::problems::priorities;
use super::review::{open_problems, ProblemLine};
use crate::model::{
    Contact, FollowUp, Id, JournalNote, Neighborhood, Officer, PartnerWait, Person, PersonRole,
    Problem, RecordKind,
};
use crate::store::{Among, ContactScan, ScanBy, Store, StoreError, StoreResult};

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
    /// The priorities agreed with residents whose period holds the packet's date, earliest
    /// period first.
    pub priorities: Vec<PriorityLine>,
    /// The open community problems, earliest stage first, then the oldest noticed, each with
    /// its actions still to be done.
    pub problems: Vec<ProblemLine>,
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
    /// The partner agency the answer waits on, with their reference and when to chase them.
    pub waiting_on: Option<PartnerWait>,
}

/// A priority agreed with the neighborhood's residents.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PriorityLine {
    /// In the residents' words.
    pub concern: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The day of the meeting where it was agreed, when it is linked.
    pub agreed_on: Option<NaiveDate>,
    /// The titles of the live problems that work on it.
    pub problems: Vec<String>,
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
    let names = SquadNames::of(store)?;
    // Every record of the beat's name, deleted ones too (their contacts are still its history).
    let group: HashSet<Id> = names.aliases_of(neighborhood).into_iter().collect();

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
            waiting_on: f.waiting_on,
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

    let mut hoods: Vec<Id> = group.iter().copied().collect();
    hoods.sort();
    let problems = open_problems(store, &hoods, today)?;
    let priorities = priority_lines(store, &hoods, today)?;

    Ok(HandoverPacket {
        // As the record asked for spells it (the app asks for the canonical one).
        neighborhood: hood.name.trim().to_string(),
        prepared_on: today,
        prepared_by: officer_name(prepared_by),
        people,
        unassigned_promises,
        priorities,
        problems,
        journal,
        recurring_concerns: recurring_concerns(store, &names, &group, today)?,
    })
}

/// The priorities of `hoods` agreed for `today`, with the meeting's day and the titles of the
/// problems that work on them.
fn priority_lines(store: &Store, hoods: &[Id], today: NaiveDate) -> StoreResult<Vec<PriorityLine>> {
    let mut out = Vec::new();
    for p in priorities(store, hoods, Some(today))? {
        let agreed_on = match p.meeting {
            Some(id) => store
                .get::<Contact>(id)?
                .filter(|c| !c.meta.deleted)
                .map(|c| c.at.with_timezone(&chrono::Local).date_naive()),
            None => None,
        };
        let mut problems = Vec::new();
        for id in &p.problems {
            if let Some(problem) = store.get::<Problem>(*id)? {
                if !problem.meta.deleted {
                    problems.push(problem.title.trim().to_string());
                }
            }
        }
        out.push(PriorityLine {
            concern: p.concern.trim().to_string(),
            from: p.from,
            to: p.to,
            agreed_on,
            problems,
        });
    }
    Ok(out)
}

/// Topics raised in two or more of the group's contacts in the last [`CONCERN_DAYS`] days
/// (today included), most raised first. Topics are counted under their canonical records (see
/// `query::names`), because merged logs hold the same topic as several records; each is shown
/// by its canonical record's name, so the packet reads the same however the logs were merged.
fn recurring_concerns(
    store: &Store,
    names: &SquadNames,
    group: &HashSet<Id>,
    today: NaiveDate,
) -> StoreResult<Vec<(String, usize)>> {
    let first = today
        .checked_sub_signed(Duration::days(CONCERN_DAYS))
        .unwrap_or(NaiveDate::MIN);
    let from = local_day_start(first);
    let to = today.succ_opt().map(local_day_start);
    let mut counts: HashMap<Id, usize> = HashMap::new();
    let mut hoods: Vec<Id> = group.iter().copied().collect();
    hoods.sort();
    let scan = ContactScan {
        by: ScanBy::All,
        from: Some(from),
        to,
    };
    let among = Among {
        neighborhoods: hoods,
        tags: Vec::new(),
    };
    for id in store.scan_contacts_among(&scan, among) {
        let Some(c) = store.get::<Contact>(id?)? else {
            continue;
        };
        if c.meta.deleted {
            continue;
        }
        let raised: HashSet<Id> = c.tags.iter().map(|t| names.canonical(*t)).collect();
        for topic in raised {
            *counts.entry(topic).or_default() += 1;
        }
    }
    let mut out: Vec<(String, usize)> = counts
        .into_iter()
        .filter(|(_, n)| *n >= 2)
        .map(|(topic, n)| {
            let name = names.name(topic).map_or_else(
                || format!("(removed topic {})", topic.short()),
                |n| n.trim().to_string(),
            );
            (name, n)
        })
        .collect();
    out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    Ok(out)
}
