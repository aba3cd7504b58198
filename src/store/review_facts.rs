//! What the sergeant's review counts of each contact, person and follow-up, answered by the
//! in-memory contact index once it is built (milliseconds at a million contacts) and by the
//! store itself before that. Both answer with the same facts, so the figures cannot depend on
//! which one was asked.
//!
//! People are numbered by slot, densely from 0 within one answer, so the review looks each
//! person up in a plain list rather than a table of a quarter of a million ids.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, PoisonError};

use chrono::{DateTime, NaiveDate, Utc};
use rustc_hash::FxHashMap;

use crate::model::{
    normalize_name, Contact, ContactKind, FollowUp, FollowUpStatus, Id, Initiator, Neighborhood,
    Person, PersonRole, Tone,
};

use super::{ContactScan, ScanBy, Store, StoreResult};

/// One live contact, as the review counts it.
#[derive(Debug, Clone, Copy)]
pub struct ContactFacts<'a> {
    pub id: Id,
    /// Milliseconds since the Unix epoch.
    pub at: i64,
    /// Whose entry it is (see [`crate::model::Meta::owner`]).
    pub owner: Id,
    pub neighborhood: Id,
    pub kind: ContactKind,
    pub initiated_by: Initiator,
    pub tone: Tone,
    /// The note has one word or none.
    pub thin_note: bool,
    /// The people named, by slot (see [`PersonFacts::slot`]).
    pub people: &'a [u32],
    pub tags: &'a [Id],
}

impl<'a> ContactFacts<'a> {
    /// The facts of `c`, whose people are `people` by slot.
    fn of(c: &'a Contact, people: &'a [u32]) -> Self {
        ContactFacts {
            id: c.meta.id,
            at: c.at.timestamp_millis(),
            owner: c.meta.owner(),
            neighborhood: c.neighborhood,
            kind: c.kind,
            initiated_by: c.initiated_by,
            tone: c.tone,
            thin_note: is_thin_note(&c.note),
            people,
            tags: &c.tags,
        }
    }
}

/// A note of one word or none: worth a sergeant's look, since the note is the record.
pub fn is_thin_note(note: &str) -> bool {
    note.split_whitespace().nth(1).is_none()
}

/// One person record, deleted ones too (contacts still name them).
#[derive(Debug, Clone, Copy)]
pub struct PersonFacts {
    pub id: Id,
    /// The person's number in this answer: below [`ReviewFacts::slots`], the same in every
    /// contact that names them. A contact may name a slot with no record behind it.
    pub slot: u32,
    /// A number standing for the name as compared for sameness: records whose names are the
    /// same have the same number, within one answer.
    pub name: u32,
    /// A number standing for who the record is: records with the same name in neighborhoods
    /// of the same name (or both in none) have the same number, below
    /// [`ReviewFacts::identities`].
    pub identity: u32,
    pub role: PersonRole,
    pub neighborhood: Option<Id>,
    pub deleted: bool,
}

/// Where a promise stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kept {
    Open,
    Done(NaiveDate),
    Dropped,
}

/// One live follow-up, as the review counts it.
#[derive(Debug, Clone, Copy)]
pub struct FollowUpFacts {
    pub id: Id,
    pub owner: Id,
    /// When it was promised (milliseconds since the epoch; its local day is taken when the
    /// review asks, in the time zone of that moment).
    pub promised_at: i64,
    pub due: NaiveDate,
    pub kept: Kept,
    /// The contact it was promised at, if any (so a contact being edited finds its promise).
    pub contact: Option<Id>,
}

impl FollowUpFacts {
    /// `None` for a deleted follow-up: the review never counts those.
    pub fn of(f: &FollowUp) -> Option<Self> {
        (!f.meta.deleted).then(|| FollowUpFacts {
            id: f.meta.id,
            owner: f.meta.owner(),
            promised_at: f.meta.created_at.timestamp_millis(),
            due: f.due,
            kept: match f.status {
                FollowUpStatus::Open => Kept::Open,
                FollowUpStatus::Done { on, .. } => Kept::Done(on),
                FollowUpStatus::Dropped { .. } => Kept::Dropped,
            },
            contact: f.contact,
        })
    }
}

/// Numbers for names compared for sameness (see [`PersonFacts::name`]).
#[derive(Default)]
struct NameNumbers(HashMap<Box<str>, u32>);

impl NameNumbers {
    fn number(&mut self, name: &str) -> u32 {
        let key = normalize_name(name);
        let next = self.0.len() as u32;
        *self.0.entry(key.into_boxed_str()).or_insert(next)
    }
}

/// Numbers for who person records stand for (see [`PersonFacts::identity`]).
#[derive(Default)]
pub(crate) struct Identities {
    names: NameNumbers,
    hood_names: NameNumbers,
    /// Neighborhood record (deleted too) → its name's number.
    hoods: FxHashMap<Id, u32>,
    numbers: FxHashMap<u64, u32>,
}

impl Identities {
    /// Notes a neighborhood's name; true when it is new or its name is no longer the same, so
    /// that the people living there may stand for someone else now.
    pub(crate) fn hood(&mut self, h: &Neighborhood) -> bool {
        let n = self.hood_names.number(&h.name);
        self.hoods.insert(h.meta.id, n) != Some(n)
    }

    /// Who a record with the name numbered `name`, living in `hood`, stands for.
    pub(crate) fn of(&mut self, name: u32, hood: Option<Id>) -> u32 {
        let hood = hood
            .and_then(|h| self.hoods.get(&h))
            .map_or(0, |n| u64::from(*n) + 1);
        let key = (u64::from(name) << 32) | hood;
        let next = self.numbers.len() as u32;
        *self.numbers.entry(key).or_insert(next)
    }

    pub(crate) fn count(&self) -> usize {
        self.numbers.len()
    }
}

/// Slots for person ids (see [`PersonFacts::slot`]), given in the order the ids are first seen.
#[derive(Default)]
pub(crate) struct PersonSlots {
    of: FxHashMap<Id, u32>,
    ids: Vec<Id>,
}

impl PersonSlots {
    pub(crate) fn slot(&mut self, id: Id) -> u32 {
        let next = self.ids.len() as u32;
        let slot = *self.of.entry(id).or_insert(next);
        if slot == next {
            self.ids.push(id);
        }
        slot
    }

    pub(crate) fn id(&self, slot: u32) -> Option<Id> {
        self.ids.get(slot as usize).copied()
    }

    pub(crate) fn len(&self) -> usize {
        self.ids.len()
    }
}

impl PersonFacts {
    pub(crate) fn of(p: &Person, slot: u32, identities: &mut Identities) -> Self {
        let name = identities.names.number(&p.name);
        PersonFacts {
            id: p.meta.id,
            slot,
            name,
            identity: identities.of(name, p.neighborhood),
            role: p.role,
            neighborhood: p.neighborhood,
            deleted: p.meta.deleted,
        }
    }
}

/// The facts the review reads; see the module docs. They are read from more than one thread.
pub trait ReviewFacts: Sync {
    /// Every live contact with `from <= at < to`, in no particular order.
    fn contacts_between(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        each: &mut dyn FnMut(&ContactFacts<'_>),
    ) -> StoreResult<()>;

    /// Every person record, tombstones included.
    fn people(&self, each: &mut dyn FnMut(&PersonFacts)) -> StoreResult<()>;

    /// How many slots are given so far: every slot answered until then is below it.
    fn slots(&self) -> usize;

    /// How many identities the person records answered so far stand for.
    fn identities(&self) -> usize;

    /// Every live follow-up.
    fn follow_ups(&self, each: &mut dyn FnMut(&FollowUpFacts)) -> StoreResult<()>;

    /// The time (milliseconds since the epoch) of the newest live contact with the person in
    /// `slot` before `before`.
    fn last_contact_with_before(
        &self,
        slot: u32,
        before: DateTime<Utc>,
    ) -> StoreResult<Option<i64>>;
}

/// The store's own facts, read record by record (see [`Store::with_review_facts`]).
pub(crate) struct StoreFacts<'s> {
    store: &'s Store,
    slots: Mutex<PersonSlots>,
    identities: Mutex<Identities>,
}

impl<'s> StoreFacts<'s> {
    pub(crate) fn new(store: &'s Store) -> Self {
        StoreFacts {
            store,
            slots: Mutex::default(),
            identities: Mutex::default(),
        }
    }

    /// The slots are whole at every moment, so they are used as they stand after a panic.
    fn slot_table(&self) -> MutexGuard<'_, PersonSlots> {
        self.slots.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl ReviewFacts for StoreFacts<'_> {
    fn contacts_between(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        each: &mut dyn FnMut(&ContactFacts<'_>),
    ) -> StoreResult<()> {
        let scan = ContactScan {
            by: ScanBy::All,
            from: Some(from),
            to: Some(to),
        };
        let mut people = Vec::new();
        for id in self.store.scan_contacts(&scan) {
            if let Some(c) = self.store.get::<Contact>(id?)? {
                if !c.meta.deleted {
                    let mut slots = self.slot_table();
                    people.clear();
                    people.extend(c.people.iter().map(|p| slots.slot(*p)));
                    drop(slots);
                    each(&ContactFacts::of(&c, &people));
                }
            }
        }
        Ok(())
    }

    fn people(&self, each: &mut dyn FnMut(&PersonFacts)) -> StoreResult<()> {
        let mut identities = Identities::default();
        for h in self.store.iter_all::<Neighborhood>()? {
            identities.hood(&h?);
        }
        for p in self.store.iter_all::<Person>()? {
            let p = p?;
            let slot = self.slot_table().slot(p.meta.id);
            each(&PersonFacts::of(&p, slot, &mut identities));
        }
        *self
            .identities
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = identities;
        Ok(())
    }

    fn slots(&self) -> usize {
        self.slot_table().len()
    }

    fn identities(&self) -> usize {
        self.identities
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .count()
    }

    fn follow_ups(&self, each: &mut dyn FnMut(&FollowUpFacts)) -> StoreResult<()> {
        for f in self.store.iter_all::<FollowUp>()? {
            if let Some(facts) = FollowUpFacts::of(&f?) {
                each(&facts);
            }
        }
        Ok(())
    }

    fn last_contact_with_before(
        &self,
        slot: u32,
        before: DateTime<Utc>,
    ) -> StoreResult<Option<i64>> {
        let Some(person) = self.slot_table().id(slot) else {
            return Ok(None);
        };
        Ok(self
            .store
            .last_contact_with_before(person, Some(before))?
            .map(|t| t.timestamp_millis()))
    }
}
