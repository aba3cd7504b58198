//! Damaged store folders: no panic, a plain message, and recovery where it is safe.

use beatbook::model::Contact;
use beatbook::store::{Store, StoreError};

use crate::common;
use crate::common::log_with_contacts;

#[test]
fn a_stray_or_damaged_snapshot_file_is_set_aside_and_nothing_is_lost() {
    let tmp = tempfile::tempdir().unwrap();
    log_with_contacts(tmp.path(), 12);
    std::fs::write(
        tmp.path().join("store").join("snap.FFFFFFFFFFFFFFFF"),
        [0x5a; 5000],
    )
    .unwrap();
    let store = Store::open(tmp.path(), &common::key()).unwrap();
    assert_eq!(store.all::<Contact>().unwrap().len(), 12);
    assert!(store.check().unwrap().is_ok());
    let aside = std::fs::read_dir(tmp.path())
        .unwrap()
        .filter_map(Result::ok)
        .any(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("snapshots-set-aside-")
        });
    assert!(
        aside,
        "the damaged snapshot is kept for inspection, not deleted"
    );
}

/// Something done to a store folder.
type Damage = dyn Fn(&std::path::Path);

#[test]
fn damaged_settings_or_log_files_give_a_plain_error_not_a_panic() {
    let cases: [(&str, &Damage); 3] = [
        ("garbage conf", &|d| {
            std::fs::write(d.join("store/conf"), b"\x00garbage").unwrap()
        }),
        ("empty conf", &|d| {
            std::fs::write(d.join("store/conf"), b"").unwrap()
        }),
        ("log replaced by a folder", &|d| {
            std::fs::remove_file(d.join("store/db")).unwrap();
            std::fs::create_dir(d.join("store/db")).unwrap();
        }),
    ];
    for (name, damage) in cases {
        let tmp = tempfile::tempdir().unwrap();
        log_with_contacts(tmp.path(), 3);
        damage(tmp.path());
        match Store::open(tmp.path(), &common::key()) {
            Err(
                e @ (StoreError::Unreadable { .. }
                | StoreError::Damaged
                | StoreError::NotWritable(_)),
            ) => {
                assert!(!e.to_string().is_empty(), "{name}");
            }
            Err(other) => panic!("{name}: unexpected error {other}"),
            // sled may rebuild a missing setting; then every entry must still be there.
            Ok(store) => assert_eq!(store.all::<Contact>().unwrap().len(), 3, "{name}"),
        }
    }
}

#[test]
fn bytes_altered_inside_the_log_never_show_a_log_with_entries_missing() {
    for offset in [3_000u64, 20_000, 60_000] {
        let tmp = tempfile::tempdir().unwrap();
        log_with_contacts(tmp.path(), 40);
        let db = tmp.path().join("store").join("db");
        {
            use std::io::{Seek, SeekFrom, Write};
            let mut f = std::fs::OpenOptions::new().write(true).open(&db).unwrap();
            f.seek(SeekFrom::Start(offset)).unwrap();
            f.write_all(&[0xA5; 512]).unwrap();
        }
        match Store::open(tmp.path(), &common::key()) {
            // Either the damage is reported in plain words...
            Err(
                StoreError::Damaged | StoreError::Unreadable { .. } | StoreError::Corrupt { .. },
            ) => {}
            Err(other) => panic!("offset {offset}: unexpected error {other}"),
            // ...or every entry is still there and the log checks out.
            Ok(store) => {
                assert_eq!(store.all::<Contact>().unwrap().len(), 40, "offset {offset}");
                assert!(store.check().unwrap().is_ok(), "offset {offset}");
            }
        }
    }
}
