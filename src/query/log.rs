//! The contact log filtered the way the log screen and `beatbook search` filter it.

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};

use crate::model::{Contact, ContactKind, Id};
use crate::store::{ContactScan, FactFilter, IndexQuery, ScanBy, Store, StoreResult};

/// Every way the log can be narrowed. Empty fields do not filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LogFilter {
    pub neighborhood: Option<Id>,
    pub officer: Option<Id>,
    pub kind: Option<ContactKind>,
    pub tag: Option<Id>,
    pub person: Option<Id>,
    /// First day included (local time).
    pub from: Option<NaiveDate>,
    /// Last day included (local time).
    pub to: Option<NaiveDate>,
    /// Words that must all appear in the note or the place, in any case.
    pub text: String,
}

/// The newest matching contacts (up to the limit asked for) and how many match in all. The
/// contacts are shared with the store's cache of contacts read lately, not copied from it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LogPage {
    pub total: usize,
    pub contacts: Vec<Arc<Contact>>,
}

/// Midnight at the start of `day` in local time, as UTC.
pub fn local_day_start(day: NaiveDate) -> DateTime<Utc> {
    crate::model::local_moment(day, NaiveTime::MIN)
}

impl LogFilter {
    /// The neighborhood, officer, kind and topic asked for: what the time index answers.
    fn facts(&self) -> FactFilter {
        FactFilter {
            neighborhood: self.neighborhood,
            officer: self.officer,
            kind: self.kind,
            tag: self.tag,
        }
    }

    /// The index to walk: a person's contacts, or the time index with the facts asked for.
    fn scan_by(&self) -> ScanBy {
        match self.person {
            Some(p) => ScanBy::Person(p),
            None if self.facts() == FactFilter::default() => ScanBy::All,
            None => ScanBy::Matching(self.facts()),
        }
    }

    fn scan(&self) -> ContactScan {
        ContactScan {
            by: self.scan_by(),
            from: self.from.map(local_day_start),
            // The last day is included: scan up to the next midnight (none after the last date).
            to: self.to.and_then(|d| d.succ_opt()).map(local_day_start),
        }
    }

    /// The same filter as the in-memory contact index takes it.
    fn index_query(&self) -> IndexQuery {
        let scan = self.scan();
        IndexQuery {
            neighborhood: self.neighborhood,
            officer: self.officer,
            kind: self.kind,
            tag: self.tag,
            person: self.person,
            from: scan.from,
            to: scan.to,
            words: self.words(),
        }
    }

    fn words(&self) -> Vec<String> {
        self.text
            .split_whitespace()
            .map(str::to_lowercase)
            .collect()
    }

    /// Whether a contact passes every filter (the index scan already applied one of them).
    pub fn matches(&self, c: &Contact, words: &[String]) -> bool {
        if c.meta.deleted {
            return false;
        }
        if self.neighborhood.is_some_and(|n| c.neighborhood != n)
            || self.officer.is_some_and(|o| c.meta.owner() != o)
            || self.kind.is_some_and(|k| c.kind != k)
            || self.tag.is_some_and(|t| !c.tags.contains(&t))
            || self.person.is_some_and(|p| !c.people.contains(&p))
        {
            return false;
        }
        if words.is_empty() {
            return true;
        }
        let hay = format!("{} {}", c.note, c.place).to_lowercase();
        words.iter().all(|w| hay.contains(w.as_str()))
    }
}

impl LogFilter {
    /// Whether the index scan alone decides every match: then contacts are counted from index
    /// keys, and only the page shown is read (tombstones have no index entries).
    fn answered_by_scan(&self) -> bool {
        // A person's index knows nothing else of the contact.
        let person_and_more = self.person.is_some() && self.facts() != FactFilter::default();
        self.text.trim().is_empty() && !person_and_more
    }
}

/// Contacts matching `filter`, newest first; at most `limit` are returned, all are counted.
/// The in-memory contact index answers once it is built; until then the store's indexes do.
pub fn search(store: &Store, filter: &LogFilter, limit: usize) -> StoreResult<LogPage> {
    if let Some(answer) = store.query_contact_index(&filter.index_query(), limit)? {
        // A write beside the UI may land between the answer and this read: a contact deleted
        // meanwhile is left out.
        return Ok(LogPage {
            total: answer.total,
            contacts: store.contacts_page(&answer.newest)?,
        });
    }
    search_store(store, filter, limit)
}

/// The newest contacts, without counting the rest (the Today screen's list).
pub fn newest_contacts(store: &Store, limit: usize) -> StoreResult<Vec<Contact>> {
    let mut out = Vec::with_capacity(limit);
    for id in store.scan_contacts(&ContactScan::default()).take(limit) {
        if let Some(c) = store.get::<Contact>(id?)? {
            out.push(c);
        }
    }
    Ok(out)
}

/// [`search`] answered from the store's indexes alone, reading every note a text filter needs.
pub fn search_store(store: &Store, filter: &LogFilter, limit: usize) -> StoreResult<LogPage> {
    let words = filter.words();
    let mut page = LogPage::default();
    if filter.answered_by_scan() {
        for id in store.scan_contacts(&filter.scan()) {
            let id = id?;
            page.total += 1;
            if page.contacts.len() < limit {
                if let Some(c) = store.get::<Contact>(id)? {
                    page.contacts.push(Arc::new(c));
                }
            }
        }
        return Ok(page);
    }
    for id in store.scan_contacts(&filter.scan()) {
        let Some(c) = store.get::<Contact>(id?)? else {
            continue;
        };
        if filter.matches(&c, &words) {
            page.total += 1;
            if page.contacts.len() < limit {
                page.contacts.push(Arc::new(c));
            }
        }
    }
    Ok(page)
}
