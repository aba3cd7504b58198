//! Stores written in every earlier on-disk format (kept in tests/fixtures) open, upgrade after
//! a backup, and keep every record.

mod common;

use std::path::{Path, PathBuf};

use beatbook::model::{Contact, ContactKind, Initiator, Meta, Person, PersonRole, Role, Tag, Tone};
use beatbook::store::{list_backups, Store, CURRENT_FORMAT};
use chrono::{TimeZone, Utc};

fn fixture(version: u32) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/fixtures/format-{version}"))
}

/// Regenerates tests/fixtures/format-1: `cargo test --test upgrade -- --ignored`.
/// Format 1 had no contact indexes by person or topic.
#[test]
#[ignore]
fn write_format_1_fixture() {
    let out = fixture(1);
    let _ = std::fs::remove_dir_all(&out);
    {
        let store = Store::open(&out).unwrap();
        let p = store
            .set_up("Dana Reyes", "4127", Role::Officer, "Riverside")
            .unwrap();
        let person = Person {
            meta: store.new_meta(p.officer).unwrap(),
            name: "Rosa Delgado".into(),
            role: PersonRole::BusinessOwner,
            neighborhood: p.last_neighborhood,
            notes: String::new(),
            consent: None,
        };
        let person = store.save(person, p.officer).unwrap();
        let lighting = store
            .all::<Tag>()
            .unwrap()
            .into_iter()
            .find(|t| t.name == "lighting")
            .unwrap();
        for (day, note) in [
            (3, "Alley light behind the bakery is out."),
            (24, "Light fixed; Rosa is glad."),
        ] {
            let at = Utc.with_ymd_and_hms(2026, 11, day, 9, 0, 0).unwrap();
            let c = Contact {
                meta: Meta::new(store.new_id_at(at).unwrap(), p.officer, at),
                at,
                neighborhood: p.last_neighborhood.unwrap(),
                place: "Rosa's Bakery".into(),
                kind: ContactKind::BusinessCheck,
                people: vec![person.meta.id],
                unnamed: 0,
                initiated_by: Initiator::Resident,
                tags: vec![lighting.meta.id],
                tone: Tone::Friendly,
                note: note.into(),
            };
            store.save(c, p.officer).unwrap();
        }
    }
    let db = sled::open(out.join("store")).unwrap();
    for tree in ["ix_contact_person", "ix_contact_tag"] {
        db.drop_tree(tree).unwrap();
    }
    db.open_tree("meta")
        .unwrap()
        .insert(b"format_version", &1u32.to_be_bytes())
        .unwrap();
    db.flush().unwrap();
}

#[test]
fn every_earlier_format_opens_and_upgrades_after_a_backup() {
    for version in 1..CURRENT_FORMAT {
        let tmp = tempfile::tempdir().unwrap();
        common::copy_dir(&fixture(version), tmp.path());
        let store = Store::open(tmp.path()).unwrap();
        let report = store.check().unwrap();
        assert!(report.is_ok(), "format {version}: {:?}", report.problems);
        assert_eq!(report.format, CURRENT_FORMAT);
        let mut notes: Vec<String> = store
            .all::<Contact>()
            .unwrap()
            .into_iter()
            .map(|c| c.note)
            .collect();
        notes.sort();
        assert_eq!(
            notes,
            [
                "Alley light behind the bakery is out.",
                "Light fixed; Rosa is glad."
            ]
        );
        let rosa = store.all::<Person>().unwrap().remove(0);
        assert_eq!(
            beatbook::query::person_timeline(&store, rosa.meta.id)
                .unwrap()
                .len(),
            2
        );
        let backups = list_backups(tmp.path());
        assert_eq!(
            backups.len(),
            1,
            "format {version}: one backup before the upgrade"
        );
        assert_eq!(backups[0].reason, "before upgrade");
        drop(store);
        // The backup holds the log as it was, format included.
        assert!(beatbook::store::read_backup(&backups[0].path).is_ok());
    }
}
