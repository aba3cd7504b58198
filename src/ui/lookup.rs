//! Names and lists the screens need every frame, loaded from the store once per change.

use std::collections::HashMap;

use super::widgets::Known;
use crate::model::{Id, Neighborhood, Officer, Person, RecordKind, Tag};
use crate::store::{Profile, Store, StoreResult};

/// A snapshot of the often-read record kinds, brought up to date after every saved change.
#[derive(Default)]
pub struct Lookup {
    pub profile: Option<Profile>,
    pub officers: HashMap<Id, Officer>,
    /// Sorted by name.
    pub neighborhoods: Vec<Neighborhood>,
    /// Sorted by name.
    pub people: Vec<Person>,
    /// Sorted by name.
    pub tags: Vec<Tag>,
    /// People and topics as the type-ahead fields offer them.
    pub person_names: Vec<Known<Id>>,
    pub tag_names: Vec<Known<Id>>,
    people_by_id: HashMap<Id, usize>,
    /// The store's count of people written when they were read (see [`Store::writes_of`]).
    people_writes: u64,
}

impl Lookup {
    pub fn load(store: &Store) -> StoreResult<Self> {
        let mut l = Lookup::without_people(store)?;
        l.read_people(store)?;
        Ok(l)
    }

    /// Reads the lookup again after a change. People, by far the most records, are read again
    /// only when one of them was written; on an error the lookup is left as it was.
    pub fn refresh(&mut self, store: &Store) -> StoreResult<()> {
        let mut fresh = Lookup::without_people(store)?;
        if store.writes_of(RecordKind::Person) == self.people_writes {
            fresh.people = std::mem::take(&mut self.people);
            fresh.person_names = std::mem::take(&mut self.person_names);
            fresh.people_by_id = std::mem::take(&mut self.people_by_id);
            fresh.people_writes = self.people_writes;
        } else {
            fresh.read_people(store)?;
        }
        *self = fresh;
        Ok(())
    }

    fn without_people(store: &Store) -> StoreResult<Self> {
        let mut l = Lookup {
            profile: store.profile()?,
            officers: store
                .all::<Officer>()?
                .into_iter()
                .map(|o| (o.meta.id, o))
                .collect(),
            neighborhoods: store.all()?,
            tags: store.all()?,
            ..Default::default()
        };
        l.neighborhoods.sort_by_key(|n| n.name.to_lowercase());
        l.tags.sort_by_key(|t| t.name.to_lowercase());
        l.tag_names = l
            .tags
            .iter()
            .map(|t| Known::new(t.meta.id, &t.name))
            .collect();
        Ok(l)
    }

    fn read_people(&mut self, store: &Store) -> StoreResult<()> {
        // Counted first: a person written while they are read is read again next time.
        let writes = store.writes_of(RecordKind::Person);
        let mut people: Vec<Person> = store.all()?;
        people.sort_by_cached_key(|p| p.name.to_lowercase());
        self.person_names = people
            .iter()
            .map(|p| Known::new(p.meta.id, &p.name))
            .collect();
        self.people_by_id = people
            .iter()
            .enumerate()
            .map(|(i, p)| (p.meta.id, i))
            .collect();
        self.people = people;
        self.people_writes = writes;
        Ok(())
    }

    pub fn me(&self) -> Option<&Officer> {
        self.profile
            .as_ref()
            .and_then(|p| self.officers.get(&p.officer))
    }

    pub fn person(&self, id: Id) -> Option<&Person> {
        self.people_by_id.get(&id).map(|&i| &self.people[i])
    }

    pub fn person_name(&self, id: Id) -> String {
        self.person(id)
            .map(|p| p.name.clone())
            .unwrap_or_else(|| "(removed person)".into())
    }

    pub fn hood_name(&self, id: Id) -> String {
        self.neighborhoods
            .iter()
            .find(|n| n.meta.id == id)
            .map(|n| n.name.clone())
            .unwrap_or_else(|| "(removed neighborhood)".into())
    }

    pub fn tag_name(&self, id: Id) -> String {
        self.tags
            .iter()
            .find(|t| t.meta.id == id)
            .map(|t| t.name.clone())
            .unwrap_or_else(|| "(removed topic)".into())
    }

    pub fn officer_name(&self, id: Id) -> String {
        self.officers
            .get(&id)
            .map(|o| o.name.clone())
            .unwrap_or_else(|| "(unknown officer)".into())
    }

    pub fn people_names(&self, ids: &[Id]) -> String {
        ids.iter()
            .map(|&i| self.person_name(i))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Who was at a contact, named and unnamed.
    pub fn who(&self, c: &crate::model::Contact) -> String {
        let names: Vec<String> = c.people.iter().map(|&p| self.person_name(p)).collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        crate::model::Contact::who_text(&names, c.unnamed)
    }

    pub fn tags_text(&self, ids: &[Id]) -> String {
        ids.iter()
            .map(|&i| self.tag_name(i))
            .collect::<Vec<_>>()
            .join(", ")
    }
}
