//! One squad, one set of names: the neighborhoods and topics of several officers' logs folded
//! by name when they are read.
//!
//! Every officer's log starts with its own "Riverside" and its own "noise", so a log merged from
//! several holds one record of each per officer, with different ids and the same name. They are
//! never rewritten into one (each record is signed by its author, and another officer's log
//! must not change it): they are folded here instead, each time they are read. Records whose
//! names agree once trimmed, with inner spaces collapsed and case ignored, form a group; the
//! group's first record (created first, ties by the smaller id) is its canonical one, the one
//! pickers offer and figures count under. Deleted records still belong to their group, so old
//! contacts that name them are found with it, but they never name a group that has a live one.

use std::collections::HashMap;

use crate::model::{normalize_name, Id, Meta, Neighborhood, Tag};
use crate::store::{Store, StoreResult};

/// A neighborhood or topic record as the folding needs it.
#[derive(Debug, Clone)]
struct Named {
    id: Id,
    name: String,
    created: chrono::DateTime<chrono::Utc>,
    deleted: bool,
}

impl Named {
    fn of(meta: &Meta, name: &str) -> Self {
        Named {
            id: meta.id,
            name: name.to_string(),
            created: meta.created_at,
            deleted: meta.deleted,
        }
    }

    /// Which record of a group names it: a live one before a deleted one, then the first
    /// created, then the smaller id.
    fn rank(&self) -> (bool, chrono::DateTime<chrono::Utc>, Id) {
        (self.deleted, self.created, self.id)
    }
}

/// The records of one kind, grouped by name.
#[derive(Debug, Clone, Default)]
struct Folded {
    /// Each record's canonical record.
    canonical: HashMap<Id, Id>,
    /// Canonical record → every record of its group, canonical first, then by id.
    groups: HashMap<Id, Vec<Id>>,
    /// Canonical record → the group's name as its canonical record spells it.
    names: HashMap<Id, String>,
    /// Normalized name → canonical record.
    by_name: HashMap<String, Id>,
    /// The groups with a live record, each once as (canonical id, name), sorted by name.
    live: Vec<(Id, String)>,
}

impl Folded {
    fn fold(records: Vec<Named>) -> Self {
        let mut by_norm: HashMap<String, Vec<Named>> = HashMap::new();
        for r in records {
            by_norm.entry(normalize_name(&r.name)).or_default().push(r);
        }
        let mut f = Folded::default();
        for (norm, mut group) in by_norm {
            group.sort_by_key(Named::rank);
            let first = &group[0];
            let canon = first.id;
            if !first.deleted {
                f.live.push((canon, first.name.clone()));
            }
            f.names.insert(canon, first.name.clone());
            f.by_name.insert(norm, canon);
            let mut ids: Vec<Id> = group.iter().map(|r| r.id).collect();
            ids[1..].sort();
            for id in &ids {
                f.canonical.insert(*id, canon);
            }
            f.groups.insert(canon, ids);
        }
        // As the pickers have always listed them: by name in any case, then by id.
        f.live
            .sort_by_cached_key(|(id, name)| (normalize_name(name), *id));
        f
    }

    fn canonical(&self, id: Id) -> Id {
        self.canonical.get(&id).copied().unwrap_or(id)
    }

    fn aliases_of(&self, id: Id) -> Vec<Id> {
        self.groups
            .get(&self.canonical(id))
            .cloned()
            .unwrap_or_else(|| vec![id])
    }
}

/// The squad's neighborhoods and topics, each name once (see the module's notes). Built from
/// every record of both kinds, deleted ones too; cheap enough to build once per change.
#[derive(Debug, Clone, Default)]
pub struct SquadNames {
    hoods: Folded,
    topics: Folded,
}

impl SquadNames {
    /// Reads every neighborhood and topic of the log.
    pub fn of(store: &Store) -> StoreResult<Self> {
        let mut hoods = Vec::new();
        for h in store.iter_all::<Neighborhood>()? {
            let h = h?;
            hoods.push(Named::of(&h.meta, &h.name));
        }
        let mut topics = Vec::new();
        for t in store.iter_all::<Tag>()? {
            let t = t?;
            topics.push(Named::of(&t.meta, &t.name));
        }
        Ok(Self::fold(hoods, topics))
    }

    /// Folds records already read (deleted ones included).
    pub fn from_records(hoods: &[Neighborhood], topics: &[Tag]) -> Self {
        Self::fold(
            hoods.iter().map(|h| Named::of(&h.meta, &h.name)).collect(),
            topics.iter().map(|t| Named::of(&t.meta, &t.name)).collect(),
        )
    }

    fn fold(hoods: Vec<Named>, topics: Vec<Named>) -> Self {
        SquadNames {
            hoods: Folded::fold(hoods),
            topics: Folded::fold(topics),
        }
    }

    /// The canonical record of the neighborhood or topic `id` (an id the log does not hold is
    /// its own).
    pub fn canonical(&self, id: Id) -> Id {
        match self.hoods.canonical.get(&id) {
            Some(c) => *c,
            None => self.topics.canonical(id),
        }
    }

    /// Every record of `id`'s group, the canonical one first: what a filter on it matches.
    pub fn aliases_of(&self, id: Id) -> Vec<Id> {
        if self.hoods.canonical.contains_key(&id) {
            self.hoods.aliases_of(id)
        } else {
            self.topics.aliases_of(id)
        }
    }

    /// The live neighborhoods, each name once as (canonical id, name), sorted by name.
    pub fn neighborhoods(&self) -> &[(Id, String)] {
        &self.hoods.live
    }

    /// The live topics, each name once as (canonical id, name), sorted by name.
    pub fn topics(&self) -> &[(Id, String)] {
        &self.topics.live
    }

    /// The name of the neighborhood or topic `id` belongs to, as its canonical record spells it.
    pub fn name(&self, id: Id) -> Option<&str> {
        let c = self.canonical(id);
        self.hoods
            .names
            .get(&c)
            .or_else(|| self.topics.names.get(&c))
            .map(String::as_str)
    }

    /// The canonical neighborhood called `name` (in any case and spacing), deleted or not.
    pub fn neighborhood_named(&self, name: &str) -> Option<Id> {
        self.hoods.by_name.get(&normalize_name(name)).copied()
    }

    /// The canonical topic called `name` (in any case and spacing), deleted or not.
    pub fn topic_named(&self, name: &str) -> Option<Id> {
        self.topics.by_name.get(&normalize_name(name)).copied()
    }

    /// Whether the neighborhood named `name` has a live record.
    pub fn has_live_neighborhood(&self, name: &str) -> bool {
        self.neighborhood_named(name)
            .is_some_and(|c| self.hoods.live.iter().any(|(id, _)| *id == c))
    }

    /// Whether the topic named `name` has a live record.
    pub fn has_live_topic(&self, name: &str) -> bool {
        self.topic_named(name)
            .is_some_and(|c| self.topics.live.iter().any(|(id, _)| *id == c))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    fn meta(id: u128, day: u32, deleted: bool) -> Meta {
        let mut m = Meta::new(
            Id(id),
            Id(1),
            Utc.with_ymd_and_hms(2026, 1, day, 9, 0, 0).unwrap(),
        );
        m.deleted = deleted;
        m
    }

    fn hood(id: u128, day: u32, name: &str) -> Neighborhood {
        Neighborhood {
            meta: meta(id, day, false),
            name: name.into(),
        }
    }

    fn tag(id: u128, day: u32, name: &str, deleted: bool) -> Tag {
        Tag {
            meta: meta(id, day, deleted),
            name: name.into(),
        }
    }

    #[test]
    fn names_fold_by_case_and_spacing_and_the_first_created_leads() {
        let hoods = [
            hood(30, 3, "Riverside"),
            hood(20, 2, " riverSIDE "),
            hood(40, 2, "River  side"),
            hood(50, 1, "Elm Park"),
        ];
        let names = SquadNames::from_records(&hoods, &[]);
        // Made the same day: the smaller id leads.
        assert_eq!(names.canonical(Id(30)), Id(20));
        assert_eq!(names.canonical(Id(20)), Id(20));
        assert_eq!(names.aliases_of(Id(30)), vec![Id(20), Id(30)]);
        // Inner spaces collapse, they do not vanish: "River side" is a name of its own.
        assert_eq!(names.canonical(Id(40)), Id(40));
        assert_eq!(
            names.neighborhoods(),
            &[
                (Id(50), "Elm Park".to_string()),
                (Id(40), "River  side".to_string()),
                (Id(20), " riverSIDE ".to_string())
            ]
        );
        assert_eq!(names.neighborhood_named("RIVERSIDE"), Some(Id(20)));
        assert_eq!(names.name(Id(30)), Some(" riverSIDE "));
        // An id the log does not hold is its own group.
        assert_eq!(names.canonical(Id(99)), Id(99));
        assert_eq!(names.aliases_of(Id(99)), vec![Id(99)]);
    }

    #[test]
    fn deleted_records_stay_in_their_group_but_leave_the_pickers() {
        let tags = [
            tag(1, 1, "noise", true),
            tag(2, 2, "Noise", false),
            tag(3, 3, "graffiti", true),
        ];
        let names = SquadNames::from_records(&[], &tags);
        // The live one leads, though the deleted one came first.
        assert_eq!(names.canonical(Id(1)), Id(2));
        assert_eq!(names.aliases_of(Id(2)), vec![Id(2), Id(1)]);
        assert_eq!(names.topics(), &[(Id(2), "Noise".to_string())]);
        assert!(names.has_live_topic("NOISE"));
        assert!(!names.has_live_topic("graffiti"));
        assert_eq!(names.topic_named("graffiti"), Some(Id(3)));
    }

    #[test]
    fn a_log_s_own_names_fold_with_the_squad_s() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path(), &crate::store::test_passphrase()).unwrap();
        let profile = store
            .set_up(
                "Dana Reyes",
                "4411",
                crate::model::Role::Officer,
                "Riverside",
            )
            .unwrap();
        let me = profile.officer;
        let riverside = profile.last_neighborhood.unwrap();
        let other = Neighborhood {
            meta: store.new_meta(me).unwrap(),
            name: "riverside".into(),
        };
        let other = store.save(other, me).unwrap().meta.id;
        let names = SquadNames::of(&store).unwrap();
        assert_eq!(names.neighborhoods().len(), 1);
        assert_eq!(names.canonical(other), riverside);
        assert_eq!(names.aliases_of(other), vec![riverside, other]);
        let noise = names.topic_named("Noise").unwrap();
        assert_eq!(names.aliases_of(noise), vec![noise]);
        assert_eq!(names.topics().len(), Tag::DEFAULTS.len());
    }
}
