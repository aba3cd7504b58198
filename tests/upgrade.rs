//! Stores written in every earlier on-disk format (kept in tests/fixtures) open, upgrade after
//! a backup, and keep every record.

use std::path::{Path, PathBuf};

use beatbook::model::{Contact, Person};
use beatbook::store::{list_backups, Store, CURRENT_FORMAT};

use crate::common;

fn fixture(version: u32) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/fixtures/format-{version}"))
}

// Each fixture holds the same small log (Dana Reyes, Rosa Delgado, two contacts about a
// light) as the beatbook of that format wrote it, in the clear up to format 3: format 4 brought
// encryption, so these files are kept as they are rather than regenerated. Format 3 is the
// format-2 log opened once by the last format-3 beatbook (which upgraded it in place); format 4
// is the format-3 log opened once by the last format-4 beatbook (which encrypted it with the
// test passphrase); format 5 is the format-4 log opened once by the last format-5 beatbook;
// format 6 is the format-5 log opened once by the last format-6 beatbook (the upgrade to format 7,
// which adds problems and priorities, is tested in `problems`); format 7, the current one, is
// kept too (see `write_the_format_7_fixture`).

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
        // An unencrypted log is encrypted first (a copy, swapped in), then upgraded after a
        // backup; the fresh backup of the encrypted log stays too.
        let mut reasons: Vec<String> = list_backups(tmp.path())
            .into_iter()
            .map(|b| b.reason)
            .collect();
        reasons.sort();
        let expected: &[&str] = if version < 4 {
            &["before upgrade", "encrypted"]
        } else {
            &["before upgrade"]
        };
        assert_eq!(reasons, expected, "format {version}");
        drop(store);
        // Nothing of the log is readable any more: not in sled's files, not in a backup, not
        // in the folder the unencrypted log was copied from.
        for text in ["Rosa Delgado", "Alley light behind the bakery"] {
            assert_eq!(
                common::readable_in(tmp.path(), text),
                None,
                "format {version}"
            );
        }
        for b in list_backups(tmp.path()) {
            assert!(beatbook::store::read_backup(&b.path).is_ok());
            // The clean-up mark stays with the folder: a restore must not run it again.
            let text = std::fs::read_to_string(&b.path).unwrap();
            assert!(!text.contains(&beatbook::hex::hex(b"unencrypted_copies")));
        }
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

/// A backup the last format-3 beatbook took of the format-3 fixture: unencrypted.
fn plain_backup() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/format-3-backup.bbk")
}

#[test]
fn a_backup_from_before_encryption_is_restored_under_a_passphrase_chosen_then() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("log");
    common::seed(&dir);
    let file = tmp.path().join("old.bbk");
    std::fs::copy(plain_backup(), &file).unwrap();
    let chosen = "Lantern-Walk-2026";
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_beatbook"))
        .env("BEATBOOK_PASSPHRASE", chosen)
        .arg("--data-dir")
        .arg(&dir)
        .args(["restore", file.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let store = Store::open(&dir, &beatbook::store::Passphrase::new(chosen)).unwrap();
    let people: Vec<String> = store
        .all::<Person>()
        .unwrap()
        .into_iter()
        .map(|p| p.name)
        .collect();
    assert_eq!(people, ["Rosa Delgado"]);
    assert!(store.check().unwrap().is_ok());
    drop(store);
    assert_eq!(common::readable_in(&dir, "Rosa Delgado"), None);
    assert!(
        Store::open(&dir, &common::key()).is_err(),
        "the old passphrase is gone"
    );
}

#[test]
fn restoring_a_backup_from_before_encryption_in_the_app_asks_for_a_new_passphrase() {
    use egui_kittest::kittest::Queryable;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("log");
    common::seed(&dir);
    let file = tmp.path().join("old.bbk");
    std::fs::copy(plain_backup(), &file).unwrap();
    let mut h = common::app(&dir);
    common::ws(&mut h).dialogs = Box::new(beatbook::ui::dialogs::FixedDialogs(Some(file)));
    common::click(&mut h, "Settings");
    common::click(&mut h, "Restore from a file...");
    common::type_secret(&mut h, "The backup's passphrase", "anything");
    common::click(&mut h, "Restore");
    assert!(h
        .query_by_label("Protect your log with a passphrase")
        .is_some());
    common::type_secret(&mut h, "Passphrase", "Lantern-Walk-2026");
    common::type_secret(&mut h, "Type it again", "Lantern-Walk-2026");
    h.get_by_label("Encrypt and start").click();
    h.step();
    common::wait_for_unlock(&mut h);
    let w = common::ws(&mut h);
    assert_eq!(w.store.all::<Person>().unwrap()[0].name, "Rosa Delgado");
    drop(h);
    assert_eq!(common::readable_in(&dir, "Rosa Delgado"), None);
}

/// A format-4 log has no index of open follow-ups: the upgrade builds it from the records, so
/// the day's lists are whole.
#[test]
fn a_format_4_log_gets_its_index_of_open_follow_ups() {
    let tmp = tempfile::tempdir().unwrap();
    common::seed(tmp.path());
    let today = common::day(2026, 11, 25);
    let expected = {
        let store = Store::open(tmp.path(), &common::key()).unwrap();
        beatbook::query::due_soon(&store, today, usize::MAX).unwrap()
    };
    assert!(expected.overdue.count + expected.this_week.count > 0);
    {
        let db = common::raw_sled(&tmp.path().join("store"));
        db.open_tree("ix_followup_open").unwrap().clear().unwrap();
        db.open_tree("meta")
            .unwrap()
            .insert("format_version", &4u32.to_be_bytes())
            .unwrap();
        db.flush().unwrap();
    }
    let store = Store::open(tmp.path(), &common::key()).unwrap();
    let report = store.check().unwrap();
    assert!(report.is_ok(), "{:?}", report.problems);
    assert_eq!(report.format, CURRENT_FORMAT);
    assert_eq!(
        beatbook::query::due_soon(&store, today, usize::MAX).unwrap(),
        expected
    );
    assert!(list_backups(tmp.path())
        .iter()
        .any(|b| b.reason == "before upgrade"));
}

/// Format 6 keeps contacts in a compact layout, and each contact's officer, neighborhood, kind
/// and topics in the time index: the upgrade of a format-5 log rewrites both and drops the five
/// trees the time index replaces, and the scans they served give the same contacts.
#[test]
fn a_format_5_log_loses_the_indexes_the_time_index_replaces() {
    use beatbook::store::{ContactScan, FactFilter, ScanBy};

    const RETIRED: [&str; 5] = [
        "ix_contact_hood",
        "ix_contact_tag",
        "ix_contact_officer",
        "ix_contact_officer_kind",
        "ix_contact_kind",
    ];
    let tmp = tempfile::tempdir().unwrap();
    common::copy_dir(&fixture(5), tmp.path());
    let stored_sizes = || {
        let db = common::raw_sled(&tmp.path().join("store"));
        let contacts = db.open_tree("contacts").unwrap();
        let sizes: Vec<usize> = contacts.iter().map(|kv| kv.unwrap().1.len()).collect();
        (db, sizes)
    };
    let json_sizes = {
        let (db, sizes) = stored_sizes();
        for name in RETIRED {
            assert_eq!(db.open_tree(name).unwrap().len(), 2, "{name} in format 5");
        }
        sizes
    };
    let store = Store::open(tmp.path(), &common::key()).unwrap();
    assert!(store.check().unwrap().is_ok());
    let contacts = store.all::<Contact>().unwrap();
    let scan = |by: ScanBy| {
        let mut ids: Vec<_> = store
            .scan_contacts(&ContactScan {
                by,
                ..Default::default()
            })
            .map(|r| r.unwrap())
            .collect();
        ids.sort();
        ids
    };
    let mut all: Vec<_> = contacts.iter().map(|c| c.meta.id).collect();
    all.sort();
    let first = &contacts[0];
    let facts = |f: FactFilter| scan(ScanBy::Matching(f));
    let officer = FactFilter {
        officer: Some(first.meta.owner()),
        ..Default::default()
    };
    let kind = FactFilter {
        kind: Some(first.kind),
        ..Default::default()
    };
    assert_eq!(facts(officer), all);
    assert_eq!(scan(ScanBy::Neighborhood(first.neighborhood)), all);
    assert!(facts(kind).contains(&first.meta.id));
    assert_eq!(
        facts(FactFilter {
            kind: Some(first.kind),
            ..officer
        }),
        facts(kind)
    );
    for c in &contacts {
        for t in &c.tags {
            let tag = FactFilter {
                tag: Some(*t),
                ..Default::default()
            };
            assert!(facts(tag).contains(&c.meta.id));
        }
    }
    assert!(facts(FactFilter {
        officer: Some(beatbook::model::Id(7)),
        ..Default::default()
    })
    .is_empty());
    assert!(scan(ScanBy::Neighborhood(beatbook::model::Id(7))).is_empty());
    drop(store);
    // The contacts were rewritten in the compact layout: each is stored in far fewer bytes.
    let (db, compact_sizes) = stored_sizes();
    assert_eq!(compact_sizes.len(), json_sizes.len());
    for (compact, json) in compact_sizes.iter().zip(&json_sizes) {
        assert!(compact * 3 < json * 2, "{compact} vs {json} bytes");
    }
    let names: Vec<String> = db
        .tree_names()
        .iter()
        .map(|n| String::from_utf8_lossy(n).into_owned())
        .collect();
    for name in RETIRED {
        assert!(!names.iter().any(|n| n == name), "{name} is still there");
    }
}

/// The first screen after the unlock that upgraded a log says so, where its backup is, and
/// how to give back the space the upgrade used; the next unlock says nothing of it.
#[test]
fn the_app_says_once_that_it_upgraded_the_log() {
    let tmp = tempfile::tempdir().unwrap();
    common::copy_dir(&fixture(5), tmp.path());
    let mut h = common::locked_app(tmp.path());
    common::unlock(&mut h, common::PASSPHRASE);
    let status = common::ws(&mut h)
        .status
        .clone()
        .expect("a word on the upgrade");
    assert!(!status.is_error);
    assert!(
        status.text.starts_with(&format!(
            "beatbook upgraded this log from format 5 to format {CURRENT_FORMAT}"
        )),
        "{}",
        status.text
    );
    assert!(status.text.contains("Compact the log"), "{}", status.text);
    drop(h);
    let mut h = common::locked_app(tmp.path());
    common::unlock(&mut h, common::PASSPHRASE);
    assert_eq!(common::ws(&mut h).status, None);
}

/// The format-7 fixture: the format-6 log opened once by the format-7 beatbook, then given a
/// problem at its response with a partner's action and a published sentence, a priority worked
/// on by it, and a promise waiting on a partner, so the records this format brought are kept as
/// written. Run with `--ignored` only to write it again (never for a later format).
#[test]
#[ignore]
fn write_the_format_7_fixture() {
    use beatbook::model::{
        Action, ActionOwner, ActionStatus, FollowUp, FollowUpStatus, Meta, PartnerWait, Priority,
        Problem, Stage, StageNotes,
    };
    let dir = fixture(7);
    let _ = std::fs::remove_dir_all(&dir);
    common::copy_dir(&fixture(6), &dir);
    let store = Store::open(&dir, &common::key()).unwrap();
    let contacts = store.all::<Contact>().unwrap();
    let dana = contacts[0].meta.author;
    let hood = contacts[0].neighborhood;
    let rosa = store.all::<Person>().unwrap().remove(0).meta.id;
    let at = common::now();
    let meta = || Meta::new(store.new_id_at(at).unwrap(), dana, at);
    let problem = store
        .save(
            Problem {
                meta: meta(),
                title: "Dark alley behind the bakery".into(),
                neighborhood: hood,
                places: vec!["alley behind the bakery".into()],
                topics: contacts[0].tags.clone(),
                owner: dana,
                noticed: common::day(2026, 11, 2),
                stage: Stage::Response,
                notes: StageNotes {
                    scanning: "Raised twice.".into(),
                    analysis: "Two lamps out.".into(),
                    response: "Public works replaces the lamps.".into(),
                    assessment: String::new(),
                },
                contacts: contacts.iter().map(|c| c.meta.id).collect(),
                actions: vec![Action {
                    what: "Replace the lamps".into(),
                    owner: Some(ActionOwner::Partner {
                        agency: "Public works".into(),
                        reference: "WO-4471".into(),
                        sent: Some(common::day(2026, 11, 5)),
                        chase: Some(common::day(2026, 11, 19)),
                    }),
                    due: Some(common::day(2026, 11, 20)),
                    status: ActionStatus::InProgress,
                }],
                outcome: None,
                published: vec!["Public works replaces the lamps.".into()],
            },
            dana,
        )
        .unwrap();
    store
        .save(
            Priority {
                meta: meta(),
                neighborhood: hood,
                concern: "Lighting in the alleys".into(),
                from: common::day(2026, 11, 1),
                to: common::day(2027, 1, 31),
                meeting: None,
                problems: vec![problem.meta.id],
            },
            dana,
        )
        .unwrap();
    store
        .save(
            FollowUp {
                meta: meta(),
                promise: "Tell Rosa when the lamps are in".into(),
                person: Some(rosa),
                contact: Some(contacts[0].meta.id),
                neighborhood: hood,
                due: common::day(2026, 11, 30),
                status: FollowUpStatus::Open,
                waiting_on: Some(PartnerWait {
                    agency: "Public works".into(),
                    reference: "WO-4471".into(),
                    chase: Some(common::day(2026, 11, 19)),
                }),
            },
            dana,
        )
        .unwrap();
    drop(store);
    // The upgrade's backup and the lock file of the run that wrote it are not part of it.
    std::fs::remove_dir_all(dir.join("backups")).unwrap();
    let _ = std::fs::remove_file(dir.join("beatbook.lock"));
}

#[test]
fn the_current_format_fixture_opens_as_it_is() {
    use beatbook::model::{FollowUp, Priority, Problem, Stage};
    // A new format needs its own fixture, written by the beatbook of that format.
    assert_eq!(CURRENT_FORMAT, 7, "keep a fixture of the new format");
    let tmp = tempfile::tempdir().unwrap();
    common::copy_dir(&fixture(7), tmp.path());
    let store = Store::open(tmp.path(), &common::key()).unwrap();
    assert_eq!(store.upgraded_from(), None, "no upgrade");
    let report = store.check().unwrap();
    assert!(report.is_ok(), "{:?}", report.problems);
    assert!(list_backups(tmp.path()).is_empty(), "no upgrade backup");
    let problem = store.all::<Problem>().unwrap().remove(0);
    assert_eq!(problem.stage, Stage::Response);
    assert_eq!(problem.partners(), ["Public works"]);
    assert_eq!(problem.published, ["Public works replaces the lamps."]);
    assert_eq!(problem.contacts.len(), 2);
    let priority = store.all::<Priority>().unwrap().remove(0);
    assert_eq!(priority.problems, [problem.meta.id]);
    let waits: Vec<String> = store
        .all::<FollowUp>()
        .unwrap()
        .into_iter()
        .filter_map(|f| f.waiting_on.map(|w| w.reference))
        .collect();
    assert_eq!(waits, ["WO-4471"]);
}
