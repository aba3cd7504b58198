//! An in-memory index of every contact, built from the store once it is open and kept in step
//! with every write, so the log's filters and its text search answer in milliseconds at a
//! million contacts.
//!
//! It is derived, never written: the store stays the one source of truth, a crash cannot leave
//! the index out of step (it is rebuilt at the next open), and it is dropped when the log is
//! locked or closed. Like any record read into memory, it holds the words of the notes in the
//! clear.
//!
//! Beside the contacts it keeps what the sergeant's review counts of every person and
//! follow-up (see the `review_facts` module), so the review figures never decrypt a record.
//!
//! This module owns the index itself and its queries; `rows` the sets of rows it combines,
//! `facts` the review's questions answered from it, and `slot` where the store keeps it
//! (building, catching up with writes, dropping).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

use chrono::{DateTime, Utc};
use rustc_hash::FxHashMap as HashMap;

use crate::model::{
    Contact, ContactKind, FollowUp, Id, Initiator, Neighborhood, Person, RecordKind, Tone,
};

mod facts;
mod rows;
mod slot;

use rows::{Newest, RowSet};
pub(crate) use slot::IndexSlot;
pub use slot::IndexStage;

use super::review_facts::{
    is_thin_note, ContactFacts, FollowUpFacts, Identities, Kept, PersonFacts, PersonSlots,
    ReviewFacts, StoreFacts,
};
use super::time_lists::{Order, TimeList, TimeLists};
use super::{Store, StoreResult};

/// What the log asks of the index; every field that is set must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IndexQuery {
    /// Any of these (a neighborhood named by several records of a squad); empty: any at all.
    pub neighborhoods: Vec<Id>,
    pub officer: Option<Id>,
    pub kind: Option<ContactKind>,
    /// Any of these (a topic named by several records); empty: any at all.
    pub tags: Vec<Id>,
    pub person: Option<Id>,
    /// First moment included.
    pub from: Option<DateTime<Utc>>,
    /// First moment no longer included.
    pub to: Option<DateTime<Utc>>,
    /// Lowercase words without spaces; each must appear in the note or the place.
    pub words: Vec<String>,
}

/// How many contacts match, and the ids of the newest of them, newest first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IndexAnswer {
    pub total: usize,
    pub newest: Vec<Id>,
}

/// One version of one contact. A changed contact gets a new row and its old row is marked gone,
/// so the lists of rows below only ever grow at the end.
struct Row {
    at: i64,
    id: Id,
    neighborhood: Id,
    officer: Id,
    kind: ContactKind,
    initiated_by: Initiator,
    tone: Tone,
    thin_note: bool,
    live: bool,
    /// Where the contact's people start in [`ContactIndex::person_links`], and how many.
    people_at: u32,
    people: u32,
    /// Where the contact's topics start in [`ContactIndex::tag_links`], and how many.
    tags_at: u32,
    tags: u32,
}

impl Row {
    /// The log's order: newest first, then by id, as the time index keys sort.
    fn order(&self) -> (i64, Id) {
        (self.at, self.id)
    }
}

/// The entry of `slot` in a list by slot, made room for.
fn at_slot<T: Default>(list: &mut Vec<T>, slot: u32) -> &mut T {
    let i = slot as usize;
    if list.len() <= i {
        list.resize_with(i + 1, T::default);
    }
    &mut list[i]
}

/// The order of a row by number (a row that is not there sorts first).
fn order_of(rows: &[Row], row: u32) -> Order {
    rows.get(row as usize).map_or((i64::MIN, Id(0)), Row::order)
}

#[derive(Default)]
struct ContactIndex {
    rows: Vec<Row>,
    /// The rows still live, as bits: what a walk that needs nothing else of a row reads.
    live: RowSet,
    row_of: HashMap<Id, u32>,
    /// Every row, in the log's order.
    by_time: TimeList,
    by_neighborhood: TimeLists,
    by_officer: TimeLists,
    by_officer_kind: TimeLists<(Id, ContactKind)>,
    by_kind: TimeLists<ContactKind>,
    by_tag: TimeLists,
    by_person: TimeLists,
    /// Each lowercase word of the notes and places (split at spaces, punctuation kept, exactly
    /// as the log's filter reads them) and the rows it appears in.
    by_word: HashMap<Box<str>, Vec<u32>>,
    /// Each row's people by slot, and its topics, as written (see [`Row::people_at`]).
    person_links: Vec<u32>,
    tag_links: Vec<Id>,
    /// A slot for every person id seen, in a record or named in a contact.
    slots: PersonSlots,
    /// By slot: each person's newest live contact (milliseconds since the epoch).
    newest_with: Vec<Option<i64>>,
    /// By slot: each person's record, when there is one.
    people: Vec<Option<PersonFacts>>,
    identities: Identities,
    follow_ups: HashMap<Id, FollowUpFacts>,
}

impl ContactIndex {
    fn insert(&mut self, c: &Contact) {
        self.remove(c.meta.id);
        if c.meta.deleted {
            return;
        }
        let Ok(row) = u32::try_from(self.rows.len()) else {
            return;
        };
        let (Ok(people_at), Ok(people), Ok(tags_at), Ok(tags)) = (
            u32::try_from(self.person_links.len()),
            u32::try_from(c.people.len()),
            u32::try_from(self.tag_links.len()),
            u32::try_from(c.tags.len()),
        ) else {
            return;
        };
        let officer = c.meta.owner();
        self.rows.push(Row {
            at: c.at.timestamp_millis(),
            id: c.meta.id,
            neighborhood: c.neighborhood,
            officer,
            kind: c.kind,
            initiated_by: c.initiated_by,
            tone: c.tone,
            thin_note: is_thin_note(&c.note),
            live: true,
            people_at,
            people,
            tags_at,
            tags,
        });
        let at = c.at.timestamp_millis();
        for p in &c.people {
            let slot = self.slots.slot(*p);
            self.person_links.push(slot);
            let newest = at_slot(&mut self.newest_with, slot);
            *newest = (*newest).max(Some(at));
        }
        self.tag_links.extend_from_slice(&c.tags);
        self.row_of.insert(c.meta.id, row);
        self.live.insert(row);
        let rows = &self.rows;
        let order = |r: u32| order_of(rows, r);
        self.by_time.push(row, &order);
        self.by_neighborhood.push(c.neighborhood, row, &order);
        self.by_officer.push(officer, row, &order);
        self.by_officer_kind.push((officer, c.kind), row, &order);
        self.by_kind.push(c.kind, row, &order);
        let mut tags = c.tags.clone();
        tags.sort();
        tags.dedup();
        for t in tags {
            self.by_tag.push(t, row, &order);
        }
        let mut people = c.people.clone();
        people.sort();
        people.dedup();
        for p in people {
            self.by_person.push(p, row, &order);
        }
        let text = format!("{} {}", c.note, c.place).to_lowercase();
        let mut words: Vec<&str> = text.split_whitespace().collect();
        words.sort_unstable();
        words.dedup();
        for w in words {
            match self.by_word.get_mut(w) {
                Some(rows) => rows.push(row),
                None => {
                    self.by_word.insert(w.into(), vec![row]);
                }
            }
        }
    }

    fn remove(&mut self, id: Id) {
        let Some(old) = self.row_of.remove(&id) else {
            return;
        };
        let Some(row) = self.rows.get_mut(old as usize) else {
            return;
        };
        row.live = false;
        self.live.remove(old);
        let at = row.at;
        // Only the people whose newest contact this was need their rows read again.
        let (people, _) = self.links_of(&self.rows[old as usize]);
        let newest: Vec<(u32, Option<i64>)> = people
            .iter()
            .filter(|p| self.newest_with.get(**p as usize) == Some(&Some(at)))
            .map(|p| (*p, self.newest_live_with(*p, i64::MAX)))
            .collect();
        for (p, at) in newest {
            *at_slot(&mut self.newest_with, p) = at;
        }
    }

    /// The time of the newest live contact with the person in `slot` before `before`, read
    /// from their rows.
    fn newest_live_with(&self, slot: u32, before: i64) -> Option<i64> {
        let list = self.by_person.get(&self.slots.id(slot)?)?;
        list.before(before, &|r| self.at_of(r))
            .iter()
            .filter_map(|&r| self.rows.get(r as usize))
            .filter(|r| r.live && r.at < before)
            .map(|r| r.at)
            .max()
    }

    fn at_of(&self, row: u32) -> i64 {
        order_of(&self.rows, row).0
    }

    /// Puts the lists back in the log's order after rows were added out of it (see the
    /// `time_lists` module): done before the index answers again.
    fn settle(&mut self) {
        let rows = &self.rows;
        let order = |r: u32| order_of(rows, r);
        self.by_time.settle(&order);
        self.by_officer_kind.settle(&order);
        self.by_kind.settle(&order);
        for lists in [
            &mut self.by_neighborhood,
            &mut self.by_officer,
            &mut self.by_tag,
            &mut self.by_person,
        ] {
            lists.settle(&order);
        }
    }

    fn insert_person(&mut self, p: &Person) {
        let slot = self.slots.slot(p.meta.id);
        let facts = PersonFacts::of(p, slot, &mut self.identities);
        *at_slot(&mut self.people, slot) = Some(facts);
    }

    /// Notes a neighborhood's name, numbering everyone again when it may change who they are.
    fn insert_hood(&mut self, h: &Neighborhood) {
        if self.identities.hood(h) {
            for p in self.people.iter_mut().flatten() {
                p.identity = self.identities.of(p.name, p.neighborhood);
            }
        }
    }

    fn remove_person(&mut self, id: Id) {
        let slot = self.slots.slot(id);
        *at_slot(&mut self.people, slot) = None;
    }

    fn open_follow_ups_made_at(&self, contact: Id) -> Vec<Id> {
        self.follow_ups
            .values()
            .filter(|f| f.contact == Some(contact) && matches!(f.kept, Kept::Open))
            .map(|f| f.id)
            .collect()
    }

    fn insert_follow_up(&mut self, f: &FollowUp) {
        match FollowUpFacts::of(f) {
            Some(facts) => self.follow_ups.insert(f.meta.id, facts),
            None => self.follow_ups.remove(&f.meta.id),
        };
    }

    /// The people (by slot) and topics a row names, as written.
    fn links_of(&self, r: &Row) -> (&[u32], &[Id]) {
        let people = r.people_at as usize..(r.people_at + r.people) as usize;
        let tags = r.tags_at as usize..(r.tags_at + r.tags) as usize;
        (
            self.person_links.get(people).unwrap_or_default(),
            self.tag_links.get(tags).unwrap_or_default(),
        )
    }

    /// The rows holding a word somewhere inside one of their words: a word of the query never
    /// spans a space, so this is exactly "the note or the place contains it".
    fn rows_with(&self, word: &str) -> RowSet {
        let mut set = RowSet::new(self.rows.len());
        for (w, rows) in &self.by_word {
            if w.contains(word) {
                set.add(rows);
            }
        }
        set
    }

    fn answer<'s>(&'s self, q: &IndexQuery, limit: usize) -> IndexAnswer {
        let n = self.rows.len();
        let from = q.from.map(|t| t.timestamp_millis());
        let to = q.to.map(|t| t.timestamp_millis());
        // Only the rows of the span asked for are walked or put in a set.
        let span = |list: &'s TimeList| -> &'s [u32] { list.between(from, to, &|r| self.at_of(r)) };
        fn list<'s, K: std::hash::Hash + Eq + Copy>(
            lists: &'s TimeLists<K>,
            key: Option<K>,
            span: impl Fn(&'s TimeList) -> &'s [u32],
        ) -> Option<&'s [u32]> {
            key.map(|k| lists.get(&k).map_or(&[][..], span))
        }
        let tags_merged = self.rows_of_any(&self.by_tag, &q.tags, from, to);
        let hoods_merged = self.rows_of_any(&self.by_neighborhood, &q.neighborhoods, from, to);
        let tags_list: Option<&[u32]> = match &tags_merged {
            Some(rows) => Some(rows),
            None => list(&self.by_tag, q.tags.first().copied(), span),
        };
        let hoods_list: Option<&[u32]> = match &hoods_merged {
            Some(rows) => Some(rows),
            None => list(
                &self.by_neighborhood,
                q.neighborhoods.first().copied(),
                span,
            ),
        };
        let mut lists: Vec<(&[u32], bool, usize)> = [
            (tags_list, true, 1),
            (list(&self.by_person, q.person, span), true, 1),
            (hoods_list, false, 1),
            (list(&self.by_officer, q.officer, span), false, 1),
            (
                list(&self.by_officer_kind, q.officer.zip(q.kind), span),
                false,
                2,
            ),
            (list(&self.by_kind, q.kind, span), false, 1),
        ]
        .into_iter()
        .filter_map(|(l, needs_set, settles)| l.map(|l| (l, needs_set, settles)))
        .collect();
        lists.sort_by_key(|(l, _, settles)| (l.len(), std::cmp::Reverse(*settles)));
        let fields = [
            !q.tags.is_empty(),
            q.person.is_some(),
            !q.neighborhoods.is_empty(),
            q.officer.is_some(),
            q.kind.is_some(),
        ]
        .into_iter()
        .filter(|set| *set)
        .count();
        if q.words.is_empty() {
            match lists.first() {
                Some((driver, _, settles)) if *settles == fields => {
                    return self.walk_settled(driver, limit)
                }
                None => return self.walk_settled(span(&self.by_time), limit),
                Some(_) => {}
            }
        }
        let driver = lists.first().map(|(l, _, _)| *l);
        let mut sets: Vec<RowSet> = lists
            .iter()
            .skip(1)
            .filter(|(_, needs_set, _)| *needs_set)
            .map(|(l, _, _)| RowSet::of(n, l))
            .collect();
        let mut words: Option<RowSet> = None;
        for w in &q.words {
            let rows = self.rows_with(w);
            match words.as_mut() {
                Some(set) => set.keep_only(&rows),
                None => words = Some(rows),
            }
        }
        // With a list to walk, the words are checked per row like the other sets.
        let words = match (driver, words) {
            (Some(_), Some(words)) => {
                sets.push(words);
                None
            }
            (_, words) => words,
        };
        let keep = |r: &Row| {
            r.live
                && (q.neighborhoods.is_empty() || q.neighborhoods.contains(&r.neighborhood))
                && q.officer.is_none_or(|o| r.officer == o)
                && q.kind.is_none_or(|k| r.kind == k)
                && from.is_none_or(|f| r.at >= f)
                && to.is_none_or(|t| r.at < t)
        };
        let mut newest = Newest::new(limit);
        let mut total = 0;
        let mut visit = |row: u32| {
            let Some(r) = self.rows.get(row as usize) else {
                return;
            };
            if keep(r) && sets.iter().all(|s| s.contains(row)) {
                total += 1;
                newest.offer(r.order());
            }
        };
        match (driver, words) {
            // Newest first, so that the page fills at once and older rows are turned away.
            (Some(driver), _) => driver.iter().rev().for_each(|&r| visit(r)),
            (None, Some(words)) => words.members().for_each(visit),
            (None, None) => span(&self.by_time).iter().rev().for_each(|&r| visit(r)),
        }
        IndexAnswer {
            total,
            newest: newest.into_ids(),
        }
    }
}

impl ContactIndex {
    /// For several neighborhoods or topics (a squad's records of one name): their rows in the
    /// span, merged into the log's order, a row that names two of them once. `None` for one
    /// or none, whose own list is walked as it is.
    fn rows_of_any(
        &self,
        lists: &TimeLists,
        ids: &[Id],
        from: Option<i64>,
        to: Option<i64>,
    ) -> Option<Vec<u32>> {
        if ids.len() < 2 {
            return None;
        }
        let mut rows: Vec<u32> = ids
            .iter()
            .filter_map(|id| lists.get(id))
            .flat_map(|list| list.between(from, to, &|r| self.at_of(r)).iter().copied())
            .collect();
        rows.sort_unstable_by_key(|r| order_of(&self.rows, *r));
        rows.dedup();
        Some(rows)
    }

    /// The answer when one list (its rows already in the span asked for, in the log's order)
    /// settles every field of the query: only whether each row is still live is read, and
    /// only the newest `limit` rows themselves.
    fn walk_settled(&self, rows: &[u32], limit: usize) -> IndexAnswer {
        let mut total = 0;
        let mut newest = Vec::with_capacity(limit.min(4096));
        for &r in rows.iter().rev() {
            if self.live.contains(r) {
                total += 1;
                if newest.len() < limit {
                    if let Some(row) = self.rows.get(r as usize) {
                        newest.push(row.id);
                    }
                }
            }
        }
        IndexAnswer { total, newest }
    }
}
