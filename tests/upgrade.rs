//! Stores written in every earlier on-disk format (kept in tests/fixtures) open, upgrade after
//! a backup, and keep every record.

mod common;

use std::path::{Path, PathBuf};

use beatbook::model::{Contact, Person};
use beatbook::store::{list_backups, Store, CURRENT_FORMAT};

fn fixture(version: u32) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/fixtures/format-{version}"))
}

// Each fixture holds the same small log (Dana Reyes, Rosa Delgado, two contacts about a
// light) as the beatbook of that format wrote it, in the clear: format 4 brought encryption,
// so these files are kept as they are rather than regenerated. Format 3 is the format-2 log
// opened once by the last format-3 beatbook (which upgraded it in place).

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
        // The log is encrypted first (a copy, swapped in), then upgraded after a backup; the
        // fresh backup of the encrypted log stays too.
        let mut reasons: Vec<String> = list_backups(tmp.path())
            .into_iter()
            .map(|b| b.reason)
            .collect();
        reasons.sort();
        assert_eq!(reasons, ["before upgrade", "encrypted"], "format {version}");
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
