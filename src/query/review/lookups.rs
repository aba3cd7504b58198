//! Names, roles and groupings loaded once before the walk over a period's contacts, so each
//! contact is looked up in memory and names compare as small numbers.

use super::*;

/// Small numbers standing for names compared for sameness, so the hot loop hashes integers.
pub(super) struct Interner<K> {
    pub(super) numbers: HashMap<K, u32>,
}

impl<K> Default for Interner<K> {
    fn default() -> Self {
        Interner {
            numbers: HashMap::default(),
        }
    }
}

impl<K: Hash + Eq> Interner<K> {
    /// The number of `key` and whether it was seen for the first time.
    pub(super) fn number(&mut self, key: K) -> (u32, bool) {
        let next = self.numbers.len() as u32;
        let n = *self.numbers.entry(key).or_insert(next);
        (n, n == next)
    }
}

/// Names, roles and groupings loaded once, so every contact is looked up in memory.
pub(super) struct Lookups {
    pub(super) officers: HashMap<Id, Officer>,
    /// By slot: (the person the record stands for, their role); `None` for a slot with no
    /// record behind it.
    pub(super) people: Vec<Option<(u32, PersonRole)>>,
    /// How many people the records stand for: their numbers are below it.
    pub(super) named: u32,
    /// Live person records with a neighborhood: (person record, slot, neighborhood record).
    pub(super) homes: Vec<(Id, u32, Id)>,
    /// Neighborhood record (deleted too) → the number of its group of names (its canonical
    /// record, see `query::names`).
    pub(super) hood_names: HashMap<Id, u32>,
    /// How many different names the neighborhoods have.
    pub(super) hood_name_count: u32,
    /// Live neighborhood record → index into `groups`.
    pub(super) hood_group: HashMap<Id, usize>,
    /// Live neighborhoods grouped by name: (shown name, record ids), sorted by name.
    pub(super) groups: Vec<(String, Vec<Id>)>,
    /// Tag record → topic number; topics grouped by name.
    pub(super) topics: HashMap<Id, u32>,
    /// Topic number → (shown name, name as compared).
    pub(super) topic_names: Vec<(String, String)>,
}

impl Lookups {
    pub(super) fn load(store: &Store, facts: &dyn ReviewFacts) -> StoreResult<Lookups> {
        let mut officers = HashMap::default();
        for o in store.iter_all::<Officer>()? {
            let o = o?;
            officers.insert(o.meta.id, o);
        }

        // The squad's records of one name are one neighborhood, under its canonical record
        // (see `query::names`): a merged log holds a "Riverside" per officer.
        let mut hood_records = Vec::new();
        for h in store.iter_all::<Neighborhood>()? {
            hood_records.push(h?);
        }
        let mut tag_records = Vec::new();
        for t in store.iter_all::<Tag>()? {
            tag_records.push(t?);
        }
        let names = SquadNames::from_records(&hood_records, &tag_records);

        let mut names_of_hoods = Interner::default();
        let mut hood_names = HashMap::default();
        for h in &hood_records {
            let canon = names.canonical(h.meta.id);
            hood_names.insert(h.meta.id, names_of_hoods.number(canon).0);
        }
        let mut groups: Vec<(String, String, Vec<Id>)> = names
            .neighborhoods()
            .iter()
            .map(|(canon, name)| {
                let live = names
                    .aliases_of(*canon)
                    .into_iter()
                    .filter(|id| {
                        hood_records
                            .iter()
                            .any(|h| h.meta.id == *id && !h.meta.deleted)
                    })
                    .collect();
                (name.clone(), normalize_name(name), live)
            })
            .collect();
        groups.sort_by(|a, b| a.1.cmp(&b.1).then_with(|| a.0.cmp(&b.0)));
        let mut hood_group = HashMap::default();
        for (g, (_, _, ids)) in groups.iter().enumerate() {
            for id in ids {
                hood_group.insert(*id, g);
            }
        }
        let groups = groups
            .into_iter()
            .map(|(name, _, ids)| (name, ids))
            .collect();

        let mut people = vec![None; facts.slots()];
        let mut homes = Vec::new();
        facts.people(&mut |p| {
            // The store gives its slots as it reads, so there may be no room made yet.
            let slot = p.slot as usize;
            if people.len() <= slot {
                people.resize(slot + 1, None);
            }
            people[slot] = Some((p.identity, p.role));
            if let (false, Some(h)) = (p.deleted, p.neighborhood) {
                homes.push((p.id, p.slot, h));
            }
        })?;
        let named = facts.identities() as u32;

        let mut topic_numbers = Interner::default();
        let mut topics = HashMap::default();
        let mut topic_names: Vec<(String, String)> = Vec::new();
        for t in &tag_records {
            let canon = names.canonical(t.meta.id);
            let (n, first) = topic_numbers.number(canon);
            if first {
                // The canonical record names the topic (a live one when there is one).
                let name = names.name(canon).unwrap_or(&t.name).to_string();
                let norm = Tag::normalize(&name);
                topic_names.push((name, norm));
            }
            topics.insert(t.meta.id, n);
        }

        Ok(Lookups {
            officers,
            people,
            named,
            homes,
            hood_name_count: names_of_hoods.numbers.len() as u32,
            hood_names,
            hood_group,
            groups,
            topics,
            topic_names,
        })
    }

    /// The person a slot stands for; a slot with no record in the log is a person of its own.
    pub(super) fn person(&self, slot: u32) -> (u32, Option<PersonRole>) {
        match self.people.get(slot as usize).copied().flatten() {
            Some((n, role)) => (n, Some(role)),
            None => (self.named.saturating_add(slot), None),
        }
    }

    /// The number of a neighborhood's name; one missing from the log is numbered in
    /// `unknown`, after every name.
    pub(super) fn hood_name(&self, id: Id, unknown: &std::sync::Mutex<Interner<Id>>) -> u32 {
        match self.hood_names.get(&id) {
            Some(n) => *n,
            None => {
                let mut unknown = unknown.lock().unwrap_or_else(PoisonError::into_inner);
                self.hood_name_count + unknown.number(id).0
            }
        }
    }

    /// The distinct topics of a contact, into `out`.
    pub(super) fn topics_of(&self, tags: &[Id], out: &mut Vec<u32>) {
        out.clear();
        out.extend(tags.iter().filter_map(|t| self.topics.get(t).copied()));
        out.sort_unstable();
        out.dedup();
    }

    /// Topics sorted most raised first, ties by name.
    pub(super) fn rank(&self, counts: impl Iterator<Item = (u32, usize)>) -> Vec<(u32, usize)> {
        let mut v: Vec<(u32, usize)> = counts.collect();
        v.sort_by(|a, b| {
            b.1.cmp(&a.1).then_with(|| {
                self.topic_names[a.0 as usize]
                    .1
                    .cmp(&self.topic_names[b.0 as usize].1)
            })
        });
        v
    }
}
