//! Names and lists the screens need every frame, loaded from the store once per change.

use std::collections::HashMap;

use super::widgets::Known;
use crate::model::{Id, Neighborhood, Officer, Person, Tag};
use crate::store::{Profile, Store, StoreResult};

/// A snapshot of the small, often-read record kinds, rebuilt after every saved change.
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
}

impl Lookup {
    pub fn load(store: &Store) -> StoreResult<Self> {
        let mut l = Lookup {
            profile: store.profile()?,
            officers: store
                .all::<Officer>()?
                .into_iter()
                .map(|o| (o.meta.id, o))
                .collect(),
            neighborhoods: store.all()?,
            people: store.all()?,
            tags: store.all()?,
            ..Default::default()
        };
        l.neighborhoods.sort_by_key(|n| n.name.to_lowercase());
        l.people.sort_by_key(|p| p.name.to_lowercase());
        l.tags.sort_by_key(|t| t.name.to_lowercase());
        l.person_names = l
            .people
            .iter()
            .map(|p| Known::new(p.meta.id, &p.name))
            .collect();
        l.tag_names = l
            .tags
            .iter()
            .map(|t| Known::new(t.meta.id, &t.name))
            .collect();
        l.people_by_id = l
            .people
            .iter()
            .enumerate()
            .map(|(i, p)| (p.meta.id, i))
            .collect();
        Ok(l)
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
