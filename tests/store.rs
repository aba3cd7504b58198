//! The store's promises: records round-trip, survive reopening, keep their history, refuse stale
//! edits and bad data, and old or newer on-disk formats are handled.

use beatbook::model::{
    Contact, ContactDetails, ContactKind, FollowUp, FollowUpStatus, Id, Initiator, JournalNote,
    Meta, Neighborhood, Officer, Person, PersonRole, Role, Tag, Tone,
};
use beatbook::store::{
    ContactScan, FactFilter, Profile, ScanBy, Store, StoreError, CURRENT_FORMAT,
};
use std::sync::atomic::AtomicBool;

use chrono::{Duration, NaiveDate, Utc};

use crate::common;

struct Fixture {
    dir: tempfile::TempDir,
    store: Store,
    profile: Profile,
}

impl Fixture {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path(), &common::key()).unwrap();
        let profile = store
            .set_up("Dana Reyes", "4411", Role::Officer, "Riverside")
            .unwrap();
        Fixture {
            dir,
            store,
            profile,
        }
    }

    fn me(&self) -> Id {
        self.profile.officer
    }

    fn hood(&self) -> Id {
        self.profile.last_neighborhood.unwrap()
    }

    fn person(&self, name: &str) -> Person {
        let p = Person {
            meta: self.store.new_meta(self.me()).unwrap(),
            name: name.into(),
            role: PersonRole::Resident,
            neighborhood: Some(self.hood()),
            notes: "Prefers mornings".into(),
            consent: Some(ContactDetails {
                agreed_on: NaiveDate::from_ymd_opt(2026, 1, 5),
                phone: "+1 555 0142".into(),
                email: "rosa@example.org".into(),
                address: "12 Elm St".into(),
            }),
        };
        self.store.save(p, self.me()).unwrap()
    }

    fn contact(&self, people: Vec<Id>, tags: Vec<Id>, note: &str) -> Contact {
        let at = Utc::now() - Duration::hours(3);
        let c = Contact {
            meta: Meta::new(self.store.new_id_at(at).unwrap(), self.me(), at),
            at,
            neighborhood: self.hood(),
            place: "Elm St & 5th".into(),
            kind: ContactKind::Conversation,
            people,
            unnamed: 1,
            initiated_by: Initiator::Resident,
            tags,
            tone: Tone::Friendly,
            note: note.into(),
        };
        self.store.save(c, self.me()).unwrap()
    }

    fn first_tag(&self) -> Id {
        self.store.all::<Tag>().unwrap()[0].meta.id
    }
}

fn scan(store: &Store, by: ScanBy) -> Vec<Id> {
    store
        .scan_contacts(&ContactScan {
            by,
            ..Default::default()
        })
        .map(|r| r.unwrap())
        .collect()
}

#[test]
fn every_record_kind_round_trips() {
    let f = Fixture::new();
    let s = &f.store;
    let me = f.me();

    let officer = s.get::<Officer>(me).unwrap().unwrap();
    assert_eq!(officer.name, "Dana Reyes");
    assert_eq!(officer.badge, "4411");
    let hood = s.get::<Neighborhood>(f.hood()).unwrap().unwrap();
    assert_eq!(hood.name, "Riverside");
    assert_eq!(s.all::<Tag>().unwrap().len(), Tag::DEFAULTS.len());

    let sergeant = s
        .save(
            Officer {
                meta: s.new_meta(me).unwrap(),
                name: "Sam Okafor".into(),
                badge: "0007".into(),
                role: Role::Sergeant,
            },
            me,
        )
        .unwrap();
    assert_eq!(s.get::<Officer>(sergeant.meta.id).unwrap(), Some(sergeant));

    let tag = s
        .save(
            Tag {
                meta: s.new_meta(me).unwrap(),
                name: "loose dogs".into(),
            },
            me,
        )
        .unwrap();
    assert_eq!(s.get::<Tag>(tag.meta.id).unwrap(), Some(tag.clone()));

    let rosa = f.person("Rosa Diaz");
    assert_eq!(s.get::<Person>(rosa.meta.id).unwrap(), Some(rosa.clone()));

    let c = f.contact(vec![rosa.meta.id], vec![tag.meta.id], "Talked about dogs.");
    assert_eq!(s.get::<Contact>(c.meta.id).unwrap(), Some(c.clone()));

    let today = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
    let fu = s
        .save(
            FollowUp {
                meta: s.new_meta(me).unwrap(),
                promise: "Call animal control".into(),
                person: Some(rosa.meta.id),
                contact: Some(c.meta.id),
                neighborhood: f.hood(),
                due: today,
                status: FollowUpStatus::Done {
                    on: today,
                    outcome: "Called; they will visit.".into(),
                },
                waiting_on: None,
            },
            me,
        )
        .unwrap();
    assert_eq!(s.get::<FollowUp>(fu.meta.id).unwrap(), Some(fu));

    let note = s
        .save(
            JournalNote {
                meta: s.new_meta(me).unwrap(),
                neighborhood: f.hood(),
                date: today,
                text: "Block club meets first Tuesdays.".into(),
            },
            me,
        )
        .unwrap();
    assert_eq!(s.get::<JournalNote>(note.meta.id).unwrap(), Some(note));

    assert_eq!(s.get::<Contact>(Id(12345)).unwrap(), None);
    assert!(s.check().unwrap().is_ok());
}

#[test]
fn data_survives_reopening() {
    let f = Fixture::new();
    let rosa = f.person("Rosa Diaz");
    let c = f.contact(vec![rosa.meta.id], vec![f.first_tag()], "Hello again.");
    let profile = f.profile.clone();
    let Fixture { dir, store, .. } = f;
    drop(store);

    let store = Store::open(dir.path(), &common::key()).unwrap();
    assert_eq!(store.profile().unwrap(), Some(profile));
    assert_eq!(store.get::<Contact>(c.meta.id).unwrap(), Some(c.clone()));
    assert_eq!(
        store.get::<Person>(rosa.meta.id).unwrap(),
        Some(rosa.clone())
    );
    assert_eq!(scan(&store, ScanBy::Person(rosa.meta.id)), vec![c.meta.id]);
    assert!(store.check().unwrap().is_ok());
    // Ids minted after reopening do not collide with earlier ones.
    let fresh = store.new_id().unwrap();
    assert!(fresh != c.meta.id && fresh != rosa.meta.id);
}

#[test]
fn an_edit_keeps_the_old_revision_in_history() {
    let f = Fixture::new();
    let c = f.contact(vec![], vec![], "First version.");
    assert_eq!(c.meta.revision, 1);
    assert!(f.store.history::<Contact>(c.meta.id).unwrap().is_empty());

    let mut edit = c.clone();
    edit.note = "Second version.".into();
    edit.tone = Tone::Warm;
    let saved = f.store.save(edit, f.me()).unwrap();
    assert_eq!(saved.meta.revision, 2);
    assert_eq!(saved.meta.created_at, c.meta.created_at);
    assert!(saved.meta.updated_at >= c.meta.updated_at);

    let history = f.store.history::<Contact>(c.meta.id).unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].revision, 1);
    assert_eq!(history[0].changed_by, f.me());
    let mut changed = history[0].changed.clone();
    changed.sort();
    assert_eq!(changed, vec!["note".to_string(), "tone".to_string()]);
    assert_eq!(history[0].previous["note"], "First version.");

    // Saving without a change neither bumps the revision nor adds history.
    let same = f.store.save(saved.clone(), f.me()).unwrap();
    assert_eq!(same.meta.revision, 2);
    assert_eq!(f.store.history::<Contact>(c.meta.id).unwrap().len(), 1);
}

#[test]
fn a_stale_revision_is_a_conflict() {
    let f = Fixture::new();
    let c = f.contact(vec![], vec![], "Original.");
    let mut first = c.clone();
    first.note = "Edited in one window.".into();
    f.store.save(first, f.me()).unwrap();

    let mut second = c.clone();
    second.note = "Edited in another window.".into();
    let err = f.store.save(second, f.me()).unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "{err:?}");
    let now = f.store.get::<Contact>(c.meta.id).unwrap().unwrap();
    assert_eq!(now.note, "Edited in one window.");
    assert_eq!(now.meta.revision, 2);
}

#[test]
fn delete_and_restore_move_index_entries() {
    let f = Fixture::new();
    let rosa = f.person("Rosa Diaz");
    let tag = f.first_tag();
    let keep = f.contact(vec![rosa.meta.id], vec![tag], "Stays.");
    let gone = f.contact(vec![rosa.meta.id], vec![tag], "Goes.");
    let before = f.store.check().unwrap();
    assert!(before.is_ok());
    // time (with officer, neighborhood, kind and topics) and person, for each contact.
    assert_eq!(before.index_entries, 4);

    let deleted = f.store.delete::<Contact>(gone.meta.id, f.me()).unwrap();
    assert!(deleted.meta.deleted);
    let after = f.store.check().unwrap();
    assert!(after.is_ok(), "{:?}", after.problems);
    assert_eq!(after.index_entries, 2);
    assert_eq!(after.deleted, 1);
    assert_eq!(
        scan(&f.store, ScanBy::Person(rosa.meta.id)),
        vec![keep.meta.id]
    );
    assert_eq!(
        scan(
            &f.store,
            ScanBy::Matching(FactFilter {
                tag: Some(tag),
                ..Default::default()
            })
        ),
        vec![keep.meta.id]
    );
    assert_eq!(scan(&f.store, ScanBy::All), vec![keep.meta.id]);
    assert_eq!(f.store.all::<Contact>().unwrap().len(), 1);
    // The tombstone is still there to undo.
    assert!(
        f.store
            .get::<Contact>(gone.meta.id)
            .unwrap()
            .unwrap()
            .meta
            .deleted
    );

    f.store.restore::<Contact>(gone.meta.id, f.me()).unwrap();
    let restored = f.store.check().unwrap();
    assert!(restored.is_ok());
    assert_eq!(restored.index_entries, 4);
    assert_eq!(scan(&f.store, ScanBy::Neighborhood(f.hood())).len(), 2);
    let history = f.store.history::<Contact>(gone.meta.id).unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[0].changed, vec!["deleted".to_string()]);
    assert_eq!(history[1].changed, vec!["restored".to_string()]);
}

#[test]
fn a_format_1_store_gets_its_missing_indexes() {
    let f = Fixture::new();
    let rosa = f.person("Rosa Diaz");
    let tag = f.first_tag();
    let c = f.contact(vec![rosa.meta.id], vec![tag], "Before the upgrade.");
    let Fixture { dir, store, .. } = f;
    drop(store);

    {
        // Make it look like a store written before the person index existed, and before the
        // time index carried topics.
        let db = common::raw_sled(&dir.path().join("store"));
        db.open_tree("ix_contact_person").unwrap().clear().unwrap();
        db.open_tree("ix_contact_time").unwrap().clear().unwrap();
        db.open_tree("meta")
            .unwrap()
            .insert(b"format_version", &1u32.to_be_bytes())
            .unwrap();
        db.flush().unwrap();
    }

    let store = Store::open(dir.path(), &common::key()).unwrap();
    let report = store.check().unwrap();
    assert!(report.is_ok(), "{:?}", report.problems);
    assert_eq!(report.format, CURRENT_FORMAT);
    assert_eq!(scan(&store, ScanBy::Person(rosa.meta.id)), vec![c.meta.id]);
    assert_eq!(
        scan(
            &store,
            ScanBy::Matching(FactFilter {
                tag: Some(tag),
                ..Default::default()
            })
        ),
        vec![c.meta.id]
    );
    // Index keys keep milliseconds.
    let last = store.last_contact_with(rosa.meta.id).unwrap().unwrap();
    assert_eq!(last.timestamp_millis(), c.at.timestamp_millis());
}

/// A time index entry whose value is not a contact's facts is damage: a scan that needs the
/// facts says so rather than answer without it, and the check names the index.
#[test]
fn a_damaged_time_index_value_is_reported_not_guessed() {
    let f = Fixture::new();
    let rosa = f.person("Rosa Diaz");
    let c = f.contact(
        vec![rosa.meta.id],
        vec![f.first_tag()],
        "Before the damage.",
    );
    let Fixture { dir, store, .. } = f;
    drop(store);
    {
        let db = common::raw_sled(&dir.path().join("store"));
        let time = db.open_tree("ix_contact_time").unwrap();
        let (k, _) = time.iter().next().unwrap().unwrap();
        time.insert(k, &[1, 2, 3][..]).unwrap();
        db.flush().unwrap();
    }
    let store = Store::open(dir.path(), &common::key()).unwrap();
    let err = store
        .scan_contacts(&ContactScan {
            by: ScanBy::Matching(FactFilter {
                officer: Some(c.meta.owner()),
                ..Default::default()
            }),
            ..Default::default()
        })
        .next()
        .unwrap()
        .unwrap_err();
    assert!(matches!(err, StoreError::Corrupt { .. }), "{err:?}");
    // A scan that needs only the keys still answers.
    assert_eq!(scan(&store, ScanBy::All), vec![c.meta.id]);
    let report = store.check().unwrap();
    assert!(
        report
            .problems
            .iter()
            .any(|p| p.contains("ix_contact_time")),
        "{:?}",
        report.problems
    );
}

#[test]
fn a_newer_format_is_refused() {
    let f = Fixture::new();
    let Fixture { dir, store, .. } = f;
    drop(store);
    {
        let db = common::raw_sled(&dir.path().join("store"));
        db.open_tree("meta")
            .unwrap()
            .insert(b"format_version", &99u32.to_be_bytes())
            .unwrap();
        db.flush().unwrap();
    }
    match Store::open(dir.path(), &common::key()) {
        Err(StoreError::NewerFormat { found, supported }) => {
            assert_eq!(found, 99);
            assert_eq!(supported, CURRENT_FORMAT);
        }
        Err(other) => panic!("expected NewerFormat, got {other:?}"),
        Ok(_) => panic!("expected NewerFormat, but the store opened"),
    }
}

#[test]
fn a_second_open_is_locked_out() {
    let f = Fixture::new();
    match Store::open(f.dir.path(), &common::key()) {
        Err(e @ StoreError::Locked) => {
            assert!(e.to_string().contains("open in another beatbook"));
        }
        Err(other) => panic!("expected Locked, got {other:?}"),
        Ok(_) => panic!("the same log opened twice"),
    }
    // The first handle still works.
    f.contact(vec![], vec![], "Still writable.");
}

#[test]
fn invalid_records_change_nothing() {
    let f = Fixture::new();
    let c = f.contact(vec![], vec![f.first_tag()], "Valid.");
    let before = f.store.check().unwrap();

    let mut nobody = c.clone();
    nobody.meta = f.store.new_meta(f.me()).unwrap();
    nobody.unnamed = 0;
    let err = f.store.save(nobody.clone(), f.me()).unwrap_err();
    assert!(matches!(err, StoreError::Invalid(_)), "{err:?}");
    assert!(err.to_string().contains("Say who was there"));
    assert_eq!(f.store.get::<Contact>(nobody.meta.id).unwrap(), None);

    let mut bad_edit = c.clone();
    bad_edit.note = "bell\u{7}".into();
    assert!(matches!(
        f.store.save(bad_edit, f.me()),
        Err(StoreError::Invalid(_))
    ));
    let mut bad_person = f.person("Someone");
    if let Some(details) = bad_person.consent.as_mut() {
        details.email = "not-an-email".into();
    }
    assert!(matches!(
        f.store.save(bad_person, f.me()),
        Err(StoreError::Invalid(_))
    ));

    assert_eq!(f.store.get::<Contact>(c.meta.id).unwrap(), Some(c.clone()));
    assert!(f.store.history::<Contact>(c.meta.id).unwrap().is_empty());
    let after = f.store.check().unwrap();
    assert_eq!(after.index_entries, before.index_entries);
    assert_eq!(after.history_entries, before.history_entries);
    assert_eq!(f.store.count::<Contact>().unwrap(), 1);
}

#[test]
fn check_names_records_that_point_nowhere() {
    let f = Fixture::new();
    let mut c = f.contact(vec![], vec![], "Quiet evening on the block.");
    assert!(f.store.check().unwrap().is_ok());
    c.neighborhood = Id(42);
    f.store.save(c, f.me()).unwrap();
    let note = JournalNote {
        meta: f.store.new_meta(f.me()).unwrap(),
        neighborhood: Id(43),
        date: NaiveDate::from_ymd_opt(2026, 11, 2).unwrap(),
        text: "Library meeting moved to Thursdays.".into(),
    };
    f.store.save(note, f.me()).unwrap();
    let report = f.store.check().unwrap();
    assert_eq!(report.problems.len(), 2, "{:?}", report.problems);
    assert!(report.problems[0].contains("journal note"));
    assert!(report.problems[1].contains("names a neighborhood that does not exist"));
}

#[test]
fn a_record_stays_its_first_authors_whoever_edits_it() {
    let f = Fixture::new();
    let c = f.contact(vec![], vec![f.first_tag()], "Written by me.");
    let other = beatbook::model::Id(42);
    let mut edited = f.store.get::<Contact>(c.meta.id).unwrap().unwrap();
    edited.note = "Corrected by someone else.".into();
    let edited = f.store.save(edited, other).unwrap();
    assert_eq!(edited.meta.author, other);
    assert_eq!(edited.meta.owner(), f.me());
}

/// Screens keep what they read until the store says that kind of record was written again.
#[test]
fn writes_are_counted_per_kind_of_record() {
    use beatbook::model::RecordKind;
    let f = Fixture::new();
    let (people, contacts) = (
        f.store.writes_of(RecordKind::Person),
        f.store.writes_of(RecordKind::Contact),
    );
    let rosa = f.person("Rosa Diaz");
    assert_eq!(f.store.writes_of(RecordKind::Person), people + 1);
    f.contact(vec![rosa.meta.id], vec![], "Asked about the streetlight");
    assert_eq!(f.store.writes_of(RecordKind::Person), people + 1);
    assert_eq!(f.store.writes_of(RecordKind::Contact), contacts + 1);
    // People written together with contacts (a CSV import) count too.
    let batch = beatbook::store::Batch {
        people: vec![Person {
            meta: f.store.new_meta(f.me()).unwrap(),
            name: "Omar Haddad".into(),
            role: PersonRole::Resident,
            neighborhood: Some(f.hood()),
            notes: String::new(),
            consent: None,
        }],
        ..Default::default()
    };
    f.store.save_batch(&batch, f.me()).unwrap();
    assert_eq!(f.store.writes_of(RecordKind::Person), people + 2);
    // A refused write is not counted.
    let mut stale = rosa.clone();
    stale.meta.revision = 7;
    assert!(f.store.save(stale, f.me()).is_err());
    assert_eq!(f.store.writes_of(RecordKind::Person), people + 2);
}

/// Compacting copies every entry into a fresh folder that replaces the log: the records, their
/// history and the indexes are all there after, the old folder is gone, and the log takes new
/// saves with the same key.
#[test]
fn compacting_keeps_every_entry_and_leaves_no_old_folder() {
    let f = Fixture::new();
    let rosa = f.person("Rosa Diaz");
    let mut c = f.contact(
        vec![rosa.meta.id],
        vec![f.first_tag()],
        "Before compacting.",
    );
    for n in 0..30 {
        c.note = format!("Edit {n}.");
        c = f.store.save(c, f.me()).unwrap();
    }
    let before = f.store.check().unwrap();
    assert!(before.is_ok());
    let Fixture {
        dir,
        store,
        profile,
    } = f;
    let mut seen = Vec::new();
    let compacted = store.compact(
        &mut |n, total| seen.push((n, total)),
        &AtomicBool::new(false),
    );
    let done = compacted.outcome.unwrap();
    let store = compacted.store.unwrap();
    assert!(done.entries > 30, "{done:?}");
    assert_eq!(seen.last().map(|(n, t)| n == t), Some(true));
    let after = store.check().unwrap();
    assert!(after.is_ok(), "{:?}", after.problems);
    assert_eq!(after.counts, before.counts);
    assert_eq!(after.index_entries, before.index_entries);
    assert_eq!(after.history_entries, before.history_entries);
    assert_eq!(
        store.get::<Contact>(c.meta.id).unwrap().unwrap().note,
        "Edit 29."
    );
    assert_eq!(store.history::<Contact>(c.meta.id).unwrap().len(), 30);
    let left: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("store.re"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
    let mut again = c.clone();
    again.note = "After compacting.".into();
    store.save(again, profile.officer).unwrap();
    drop(store);
    let reopened = Store::open(dir.path(), &common::key()).unwrap();
    assert_eq!(
        reopened.get::<Contact>(c.meta.id).unwrap().unwrap().note,
        "After compacting."
    );
}

/// A compaction that cannot finish its copy says why and hands back the log as it was, still
/// open and taking saves; the half-made copy is cleared away.
#[test]
fn a_compaction_that_fails_leaves_the_log_as_it_was() {
    let f = Fixture::new();
    let rosa = f.person("Rosa Diaz");
    let c = f.contact(vec![rosa.meta.id], vec![], "Before compacting.");
    let Fixture {
        dir,
        store,
        profile,
    } = f;
    // Something in the way of the mark that says the copy is complete.
    std::fs::create_dir(dir.path().join("store.restoring.complete")).unwrap();
    let compacted = store.compact(&mut |_, _| {}, &AtomicBool::new(false));
    let err = compacted.outcome.unwrap_err();
    assert!(
        err.to_string()
            .starts_with("The log could not be compacted: its copy could not be written"),
        "{err}"
    );
    let store = compacted.store.unwrap();
    assert!(!dir.path().join("store.restoring").exists());
    assert!(store.check().unwrap().is_ok());
    let mut edited = store.get::<Contact>(c.meta.id).unwrap().unwrap();
    edited.note = "Still saving.".into();
    store.save(edited, profile.officer).unwrap();
}

/// Stopping a compaction during its copy hands back the log as it was, with nothing left of
/// the copy.
#[test]
fn a_stopped_compaction_leaves_the_log_as_it_was() {
    let f = Fixture::new();
    let rosa = f.person("Rosa Diaz");
    f.contact(vec![rosa.meta.id], vec![], "Kept.");
    let before = f.store.check().unwrap();
    let Fixture { dir, store, .. } = f;
    let stop = AtomicBool::new(false);
    let compacted = store.compact(
        // Stopped as soon as the copy has begun.
        &mut |_, _| stop.store(true, std::sync::atomic::Ordering::Relaxed),
        &stop,
    );
    assert!(matches!(
        compacted.outcome,
        Err(StoreError::CompactingStopped)
    ));
    let store = compacted.store.unwrap();
    assert!(!dir.path().join("store.restoring").exists());
    assert!(!dir.path().join("store.restoring.complete").exists());
    let after = store.check().unwrap();
    assert_eq!(after.counts, before.counts);
    assert!(after.is_ok());
}
