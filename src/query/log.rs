//! The contact log filtered the way the log screen and `beatbook search` filter it.

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};

use super::names::SquadNames;
use crate::model::{Contact, ContactKind, Id};
use crate::store::{Among, ContactScan, FactFilter, IndexQuery, ScanBy, Store, StoreResult};

/// Every way the log can be narrowed. Empty fields do not filter. A neighborhood or topic
/// stands for its whole group of the squad's records of that name (see `query::names`).
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
    /// The officer and kind asked for: what the time index answers beside the neighborhoods
    /// and topics (see [`LogFilter::among`]).
    fn facts(&self) -> FactFilter {
        FactFilter {
            neighborhood: None,
            officer: self.officer,
            kind: self.kind,
            tag: None,
        }
    }

    /// Every record of the neighborhood's and the topic's groups: a squad's log holds one
    /// "Riverside" per officer, and a filter on Riverside means all of them. The names are read
    /// only when the filter names a neighborhood or topic.
    fn among(&self, store: &Store) -> StoreResult<Among> {
        if self.neighborhood.is_none() && self.tag.is_none() {
            return Ok(Among::default());
        }
        let names = SquadNames::of(store)?;
        let group = |id: Option<Id>| id.map(|id| names.aliases_of(id)).unwrap_or_default();
        Ok(Among {
            neighborhoods: group(self.neighborhood),
            tags: group(self.tag),
        })
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
    fn index_query(&self, among: &Among) -> IndexQuery {
        let scan = self.scan();
        IndexQuery {
            neighborhoods: among.neighborhoods.clone(),
            officer: self.officer,
            kind: self.kind,
            tags: among.tags.clone(),
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

    /// Whether a contact passes every filter, the neighborhood and topic taken as the one
    /// record each names (a test's oracle; the search widens them, see [`LogFilter::among`]).
    pub fn matches(&self, c: &Contact, words: &[String]) -> bool {
        let among = Among {
            neighborhoods: self.neighborhood.into_iter().collect(),
            tags: self.tag.into_iter().collect(),
        };
        self.matches_among(c, words, &among)
    }

    /// Whether a contact passes every filter (the index scan already applied one of them),
    /// its neighborhood and topic widened to `among` (see [`LogFilter::among`]).
    fn matches_among(&self, c: &Contact, words: &[String], among: &Among) -> bool {
        if c.meta.deleted {
            return false;
        }
        let (hoods, tags) = (&among.neighborhoods, &among.tags);
        if (!hoods.is_empty() && !hoods.contains(&c.neighborhood))
            || self.officer.is_some_and(|o| c.meta.owner() != o)
            || self.kind.is_some_and(|k| c.kind != k)
            || (!tags.is_empty() && !c.tags.iter().any(|t| tags.contains(t)))
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
    fn answered_by_scan(&self, among: &Among) -> bool {
        // A person's index knows nothing else of the contact.
        let person_and_more =
            self.person.is_some() && (self.facts() != FactFilter::default() || !among.is_empty());
        self.text.trim().is_empty() && !person_and_more
    }
}

/// Contacts matching `filter`, newest first; at most `limit` are returned, all are counted.
/// The in-memory contact index answers once it is built; until then the store's indexes do.
pub fn search(store: &Store, filter: &LogFilter, limit: usize) -> StoreResult<LogPage> {
    let among = filter.among(store)?;
    if let Some(answer) = store.query_contact_index(&filter.index_query(&among), limit)? {
        // A write beside the UI may land between the answer and this read: a contact deleted
        // meanwhile is left out.
        return Ok(LogPage {
            total: answer.total,
            contacts: store.contacts_page(&answer.newest)?,
        });
    }
    search_among(store, filter, &among, limit)
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
    search_among(store, filter, &filter.among(store)?, limit)
}

fn search_among(
    store: &Store,
    filter: &LogFilter,
    among: &Among,
    limit: usize,
) -> StoreResult<LogPage> {
    let words = filter.words();
    let mut page = LogPage::default();
    if filter.answered_by_scan(among) {
        for id in store.scan_contacts_among(&filter.scan(), among.clone()) {
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
    for id in store.scan_contacts_among(&filter.scan(), among.clone()) {
        let Some(c) = store.get::<Contact>(id?)? else {
            continue;
        };
        if filter.matches_among(&c, &words, among) {
            page.total += 1;
            if page.contacts.len() < limit {
                page.contacts.push(Arc::new(c));
            }
        }
    }
    Ok(page)
}
