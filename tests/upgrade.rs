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

/// The same small log (Dana Reyes, Rosa Delgado, two contacts about a light) written as the
/// store of `version` wrote it: trees that version lacked are dropped, and fields it did not
/// write are taken out of the records. Regenerate with `cargo test --test upgrade -- --ignored`.
fn write_fixture(version: u32) {
    let out = fixture(version);
    let _ = std::fs::remove_dir_all(&out);
    {
        let store = Store::open(&out, &common::key()).unwrap();
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
    let mut dropped = vec![];
    if version < 2 {
        dropped.extend(["ix_contact_person", "ix_contact_tag"]);
    }
    if version < 3 {
        dropped.extend([
            "ix_contact_officer",
            "ix_contact_officer_kind",
            "ix_contact_kind",
        ]);
        // Records did not name who first wrote them.
        for name in ["officers", "neighborhoods", "people", "contacts", "tags"] {
            let tree = db.open_tree(name).unwrap();
            for kv in tree.iter() {
                let (k, v) = kv.unwrap();
                let mut record: serde_json::Value = serde_json::from_slice(&v).unwrap();
                record["meta"].as_object_mut().unwrap().remove("created_by");
                tree.insert(k, serde_json::to_vec(&record).unwrap())
                    .unwrap();
            }
        }
    }
    for tree in dropped {
        db.drop_tree(tree).unwrap();
    }
    db.open_tree("meta")
        .unwrap()
        .insert(b"format_version", &version.to_be_bytes())
        .unwrap();
    db.flush().unwrap();
}

/// Format 1 had no contact indexes by person or topic.
#[test]
#[ignore]
fn write_format_1_fixture() {
    write_fixture(1);
}

/// Format 2 had no contact indexes by officer or kind, and records did not name their first
/// author.
#[test]
#[ignore]
fn write_format_2_fixture() {
    write_fixture(2);
}

#[test]
fn every_earlier_format_opens_and_upgrades_after_a_backup() {
    for version in 1..CURRENT_FORMAT {
        let tmp = tempfile::tempdir().unwrap();
        common::copy_dir(&fixture(version), tmp.path());
        let store = Store::open(tmp.path(), &common::key()).unwrap();
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
        // The backup taken before the upgrade held the entries in the clear: once the log is
        // encrypted, an encrypted backup replaces it.
        assert_eq!(backups.len(), 1, "format {version}: one encrypted backup");
        assert_eq!(backups[0].reason, "encrypted");
        drop(store);
        let backup = std::fs::read_to_string(&backups[0].path).unwrap();
        assert!(!backup.contains(&beatbook::hex::hex(b"Rosa")));
        assert!(beatbook::store::read_backup(&backups[0].path).is_ok());
    }
}

#[test]
fn records_from_before_first_authors_were_kept_stay_with_their_author() {
    let tmp = tempfile::tempdir().unwrap();
    common::copy_dir(&fixture(2), tmp.path());
    let store = Store::open(tmp.path(), &common::key()).unwrap();
    let c = store.all::<Contact>().unwrap().remove(0);
    assert_eq!(
        c.meta.created_by, None,
        "format 2 did not name first authors"
    );
    let dana = c.meta.author;
    let mut edited = c.clone();
    edited.note = "Corrected by the sergeant.".into();
    let sergeant = beatbook::model::Id(7);
    let edited = store.save(edited, sergeant).unwrap();
    assert_eq!(edited.meta.author, sergeant);
    assert_eq!(edited.meta.created_by, Some(dana));
    assert_eq!(edited.meta.owner(), dana);
}
