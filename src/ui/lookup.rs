//! Names and lists the screens need every frame, loaded from the store once per change.
//! Everyone in the log is read beside the UI, so a department's archive opens at once; until
//! they are read, the people screens name are read one by one.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use super::background::{Background, Outcome};
use super::widgets::{Known, Pick};
use crate::model::{normalize_name, Id, Neighborhood, Officer, Person, Tag};
use crate::query::SquadNames;
use crate::store::{PersonLink, Profile, Store, StoreError, StoreResult};

/// Above this many people written at once (an import, a merge), everyone is read again beside
/// the UI instead of one by one on it.
const CATCH_UP_ONE_BY_ONE: usize = 2_000;

/// A snapshot of the often-read record kinds, brought up to date after every saved change.
pub struct Lookup {
    pub profile: Option<Profile>,
    pub officers: HashMap<Id, Officer>,
    /// Each name once (the canonical record of the squad's records of that name), sorted by
    /// name: what every picker offers.
    pub neighborhoods: Vec<Neighborhood>,
    /// Each name once, as the neighborhoods, sorted by name.
    pub tags: Vec<Tag>,
    /// How the squad's neighborhoods and topics fold by name (see `query::names`).
    pub names: SquadNames,
    /// What was decided about people who share a name (merged, or kept apart).
    pub person_links: Vec<PersonLink>,
    pub tag_names: Vec<Known<Id>>,
    people: People,
}

/// Everyone in the log (not deleted), as read at one point of the store's person writes.
#[derive(Default)]
struct PeopleTable {
    by_id: HashMap<Id, Person>,
    /// As the type-ahead fields and the People list offer them, sorted by name.
    names: Vec<Known<Id>>,
    /// How many person writes of the store this table has taken in.
    seen: usize,
}

impl PeopleTable {
    /// Reads everyone; `None` when `cancel` was set.
    fn read(store: &Store, cancel: &AtomicBool) -> StoreResult<Option<Self>> {
        // Counted first: a person written while everyone is read is read again afterwards.
        let (seen, _) = store.people_written_since(usize::MAX);
        let mut table = PeopleTable {
            seen,
            ..Default::default()
        };
        for (read, p) in store.iter_all::<Person>()?.enumerate() {
            if read % 4096 == 0 && cancel.load(Ordering::Relaxed) {
                return Ok(None);
            }
            let p = p?;
            if !p.meta.deleted {
                table.names.push(Known::new(p.meta.id, &p.name));
                table.by_id.insert(p.meta.id, p);
            }
        }
        table.sort();
        Ok(Some(table))
    }

    /// By name, then id (the order they were added in): the same order whether everyone was
    /// read at once or some were read again. A nearly sorted list sorts in about one pass.
    fn sort(&mut self) {
        self.names
            .sort_by(|a, b| a.key().cmp(b.key()).then(a.id.cmp(&b.id)));
    }

    /// Takes in the people written since the table was read.
    fn catch_up(&mut self, store: &Store, seen: usize, written: &[Id]) -> StoreResult<()> {
        let ids: std::collections::HashSet<Id> = written.iter().copied().collect();
        // Read before anything changes, so an error leaves the table as it was.
        let mut changed = Vec::new();
        for id in &ids {
            changed.extend(store.get::<Person>(*id)?.filter(|p| !p.meta.deleted));
        }
        self.names.retain(|k| !ids.contains(&k.id));
        for id in &ids {
            self.by_id.remove(id);
        }
        for p in changed {
            self.names.push(Known::new(p.meta.id, &p.name));
            self.by_id.insert(p.meta.id, p);
        }
        self.sort();
        self.seen = seen;
        Ok(())
    }
}

/// Everyone in the log: the table once read, and the read running beside the UI.
struct People {
    store: Arc<Store>,
    table: Option<PeopleTable>,
    reading: Option<Background<StoreResult<Option<PeopleTable>>>>,
    cancel: Arc<AtomicBool>,
    /// People read one by one as screens name them while the table is missing or being read
    /// again; forgotten at every change.
    one_by_one: Mutex<HashMap<Id, Option<Person>>>,
}

impl People {
    fn start(store: Arc<Store>) -> Self {
        let mut people = People {
            store,
            table: None,
            reading: None,
            cancel: Arc::new(AtomicBool::new(false)),
            one_by_one: Mutex::default(),
        };
        people.read_everyone();
        people
    }

    fn read_everyone(&mut self) {
        if self.cancel.load(Ordering::Relaxed) {
            return;
        }
        let (store, cancel) = (self.store.clone(), self.cancel.clone());
        self.reading = Some(Background::start("people", move || {
            PeopleTable::read(&store, &cancel)
        }));
    }

    /// The table, when it is read and nothing is being read again.
    fn current(&self) -> Option<&PeopleTable> {
        self.table.as_ref().filter(|_| self.reading.is_none())
    }

    fn with<R>(&self, id: Id, f: impl FnOnce(Option<&Person>) -> R) -> R {
        if let Some(t) = self.current() {
            return f(t.by_id.get(&id));
        }
        let mut read = self
            .one_by_one
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let person = read.entry(id).or_insert_with(|| {
            // A person who cannot be read now is named as removed; the table names them.
            self.store
                .get::<Person>(id)
                .ok()
                .flatten()
                .filter(|p| !p.meta.deleted)
        });
        f(person.as_ref())
    }

    /// Takes in a finished read and the people written since; true when anything changed.
    fn poll(&mut self) -> StoreResult<bool> {
        let Some(reading) = &mut self.reading else {
            return Ok(false);
        };
        let read = match reading.poll() {
            Outcome::Running => return Ok(false),
            Outcome::Done(read) => read,
            Outcome::Lost => Err(StoreError::Write("reading the people stopped".into())),
        };
        self.reading = None;
        let Some(table) = read? else {
            // Stopped: the log is being closed.
            return Ok(false);
        };
        self.table = Some(table);
        self.catch_up()?;
        Ok(true)
    }

    /// Brings the table up to date with the people written since it was read.
    fn catch_up(&mut self) -> StoreResult<()> {
        self.forget_one_by_one();
        if self.reading.is_some() {
            // The running read catches up once it is done.
            return Ok(());
        }
        let Some(table) = &mut self.table else {
            self.read_everyone();
            return Ok(());
        };
        let (seen, written) = self.store.people_written_since(table.seen);
        if written.len() > CATCH_UP_ONE_BY_ONE {
            self.read_everyone();
            return Ok(());
        }
        if !written.is_empty() {
            table.catch_up(&self.store, seen, &written)?;
        }
        Ok(())
    }

    fn forget_one_by_one(&mut self) {
        self.one_by_one
            .get_mut()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
    }
}

impl Drop for People {
    /// A log being closed or locked does not wait for everyone to be read.
    fn drop(&mut self) {
        self.cancel.store(true, Ordering::Relaxed);
    }
}

impl Lookup {
    /// Reads what the first screen needs; everyone in the log is read beside the UI (see
    /// [`Lookup::poll`]).
    pub fn load(store: Arc<Store>) -> StoreResult<Self> {
        let mut l = Lookup {
            profile: None,
            officers: HashMap::new(),
            neighborhoods: Vec::new(),
            tags: Vec::new(),
            names: SquadNames::default(),
            person_links: Vec::new(),
            tag_names: Vec::new(),
            people: People::start(store),
        };
        l.read_small_kinds()?;
        Ok(l)
    }

    /// Reads the lookup again after a change: the people written since are read one by one
    /// (or everyone again, beside the UI, after an import). On an error the officers,
    /// neighborhoods and topics are left as they were.
    pub fn refresh(&mut self) -> StoreResult<()> {
        self.read_small_kinds()?;
        self.people.catch_up()
    }

    /// Takes in everyone once they are read; true when the people changed.
    pub fn poll(&mut self) -> StoreResult<bool> {
        self.people.poll()
    }

    /// Whether everyone in the log is read and up to date (the People list and the
    /// type-ahead fields wait for it).
    pub fn people_ready(&self) -> bool {
        self.people.current().is_some()
    }

    /// Whether everyone in the log is being read beside the UI.
    pub fn reading_people(&self) -> bool {
        self.people.reading.is_some()
    }

    /// Stops reading everyone (the log is being closed).
    pub fn stop_reading_people(&self) {
        self.people.cancel.store(true, Ordering::Relaxed);
    }

    /// Drops everyone read so far, as before they were first read: the names are read one by
    /// one until [`Lookup::refresh`] reads everyone again (the app while a large log opens).
    pub fn forget_people(&mut self) {
        self.people.reading = None;
        self.people.table = None;
        self.people.forget_one_by_one();
    }

    /// Blocks until everyone in the log is read and taken in.
    pub fn wait_for_people(&mut self) -> StoreResult<()> {
        while let Some(reading) = &mut self.people.reading {
            reading.wait();
            self.people.poll()?;
        }
        Ok(())
    }

    fn read_small_kinds(&mut self) -> StoreResult<()> {
        let store = &self.people.store;
        let profile = store.profile()?;
        let officers = store
            .all::<Officer>()?
            .into_iter()
            .map(|o| (o.meta.id, o))
            .collect();
        // Every record, deleted ones too, so that the old contacts naming them are folded.
        let every_hood = store
            .iter_all::<Neighborhood>()?
            .collect::<StoreResult<Vec<_>>>()?;
        let every_tag = store.iter_all::<Tag>()?.collect::<StoreResult<Vec<_>>>()?;
        let names = SquadNames::from_records(&every_hood, &every_tag);
        let person_links = store.person_links()?;
        let canonical_only = |id: Id| names.canonical(id) == id;
        let mut neighborhoods: Vec<Neighborhood> = every_hood
            .into_iter()
            .filter(|n| !n.meta.deleted && canonical_only(n.meta.id))
            .collect();
        let mut tags: Vec<Tag> = every_tag
            .into_iter()
            .filter(|t| !t.meta.deleted && canonical_only(t.meta.id))
            .collect();
        neighborhoods.sort_by_key(|n| n.name.to_lowercase());
        tags.sort_by_key(|t| t.name.to_lowercase());
        self.tag_names = tags
            .iter()
            .map(|t| Known::new(t.meta.id, &t.name))
            .collect();
        self.profile = profile;
        self.officers = officers;
        self.neighborhoods = neighborhoods;
        self.tags = tags;
        self.names = names;
        self.person_links = person_links;
        Ok(())
    }

    pub fn me(&self) -> Option<&Officer> {
        self.profile
            .as_ref()
            .and_then(|p| self.officers.get(&p.officer))
    }

    /// People as the type-ahead fields offer them, sorted by name; empty while everyone is
    /// being read (see [`Lookup::people_ready`]).
    pub fn person_names(&self) -> &[Known<Id>] {
        self.people.current().map_or(&[], |t| &t.names)
    }

    /// What a type-ahead of people offers: everyone, or while they are being read, only those
    /// already picked (so their names still show).
    pub fn person_choices(&self, picked: &[Pick<Id>]) -> Cow<'_, [Known<Id>]> {
        if self.people_ready() {
            return Cow::Borrowed(self.person_names());
        }
        let named = picked.iter().filter_map(|p| match p {
            Pick::Existing(id) => Some(Known::new(*id, &self.person_name(*id))),
            Pick::New(_) => None,
        });
        Cow::Owned(named.collect())
    }

    /// Everyone whose name holds `text` (ignoring case and spacing), sorted by name; of two
    /// records merged into one person, only the first (see [`Lookup::merged_into`]).
    pub fn people_matching(&self, text: &str) -> Vec<Id> {
        let q = normalize_name(text);
        self.person_names()
            .iter()
            .filter(|k| k.key().contains(&q))
            .map(|k| k.id)
            .filter(|id| self.merged_into(*id).is_none())
            .collect()
    }

    /// The person record `id` is shown under when it was merged with others: the group's
    /// smallest id (the first written), or `None` when it is that record or merged with no one.
    pub fn merged_into(&self, id: Id) -> Option<Id> {
        if !self
            .person_links
            .iter()
            .any(|l| l.same && (l.a == id || l.b == id))
        {
            return None;
        }
        let first = crate::query::same_person(&self.person_links, id)
            .into_iter()
            .min()?;
        (first != id).then_some(first)
    }

    /// Pairs of people who may be one person known to two officers (see
    /// `query::possible_duplicates`); empty while everyone is being read.
    pub fn possible_duplicates(&self) -> Vec<(Id, Id)> {
        let Some(table) = self.people.current() else {
            return Vec::new();
        };
        let people = table
            .by_id
            .values()
            .map(|p| (p.meta.id, p.name.as_str(), p.meta.owner()));
        crate::query::possible_duplicates(people, &self.person_links)
    }

    pub fn person(&self, id: Id) -> Option<Person> {
        self.people.with(id, |p| p.cloned())
    }

    pub fn person_name(&self, id: Id) -> String {
        self.people.with(id, |p| {
            p.map_or_else(|| "(removed person)".into(), |p| p.name.clone())
        })
    }

    /// A person's name and role as the People list shows them.
    pub fn person_line(&self, id: Id) -> String {
        self.people.with(id, |p| {
            p.map_or_else(
                || "(removed person)".into(),
                |p| format!("{} · {}", p.name, p.role.label()),
            )
        })
    }

    /// The name of a neighborhood, any record of it (see `query::names`).
    pub fn hood_name(&self, id: Id) -> String {
        self.neighborhood(id)
            .map(|n| n.name.clone())
            .unwrap_or_else(|| "(removed neighborhood)".into())
    }

    /// The neighborhood `id` is a record of (by any of the squad's records of its name), or
    /// `None` when the log no longer has it.
    pub fn neighborhood(&self, id: Id) -> Option<&Neighborhood> {
        let id = self.names.canonical(id);
        self.neighborhoods.iter().find(|n| n.meta.id == id)
    }

    /// The name of a topic, any record of it.
    pub fn tag_name(&self, id: Id) -> String {
        let id = self.names.canonical(id);
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

    /// A contact's topics, each name once.
    pub fn tags_text(&self, ids: &[Id]) -> String {
        let mut seen = Vec::new();
        ids.iter()
            .map(|&i| self.names.canonical(i))
            .filter(|i| {
                let first = !seen.contains(i);
                seen.push(*i);
                first
            })
            .map(|i| self.tag_name(i))
            .collect::<Vec<_>>()
            .join(", ")
    }
}
