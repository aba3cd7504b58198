//! Fuzzing the backup reader: random byte changes and truncations of a real backup, and a
//! corpus of nasty files. The reader must refuse or accept, never panic, and a refused file
//! must leave the log untouched. `PROPTEST_CASES=5000` runs longer.

use std::path::Path;

use beatbook::model::Contact;
use beatbook::store::{read_backup, restore, Store, StoreError};
use proptest::prelude::*;

use crate::common;
use crate::common::log_with_contacts;

fn seeded_log(dir: &Path) -> Vec<u8> {
    log_with_contacts(dir, 4);
    let path = Store::open(dir, &common::key())
        .unwrap()
        .backup("fuzz seed")
        .unwrap()
        .path;
    std::fs::read(path).unwrap()
}

fn contact_count(dir: &Path) -> usize {
    Store::open(dir, &common::key())
        .unwrap()
        .all::<Contact>()
        .unwrap()
        .len()
}

/// Feeds one candidate file to the reader and, when it is accepted, to a restore.
fn try_file(dir: &Path, bytes: &[u8]) {
    let path = dir.join("candidate.bbk");
    std::fs::write(&path, bytes).unwrap();
    match read_backup(&path) {
        Ok(_) => {
            // Accepted files must restore into a log that passes its check.
            restore(dir, &path, &common::key()).unwrap();
            assert!(Store::open(dir, &common::key())
                .unwrap()
                .check()
                .unwrap()
                .is_ok());
        }
        Err(StoreError::BadBackup { .. }) => {
            let before = contact_count(dir);
            assert!(matches!(
                restore(dir, &path, &common::key()),
                Err(StoreError::BadBackup { .. })
            ));
            assert_eq!(
                contact_count(dir),
                before,
                "a refused backup changed the log"
            );
        }
        Err(other) => panic!("unexpected error kind: {other}"),
    }
}

/// 48 cases by default; `PROPTEST_CASES` asks for more.
fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(48)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn mutated_backups_are_refused_or_restored_cleanly(
        flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..6),
        cut in proptest::option::of(any::<prop::sample::Index>()),
    ) {
        let tmp = tempfile::tempdir().unwrap();
        let mut bytes = seeded_log(tmp.path());
        for (at, value) in flips {
            let i = at.index(bytes.len());
            bytes[i] = value;
        }
        if let Some(cut) = cut {
            bytes.truncate(cut.index(bytes.len()));
        }
        try_file(tmp.path(), &bytes);
    }
}

#[test]
fn nasty_files_are_refused_with_their_name() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let good = seeded_log(dir);
    let text = String::from_utf8(good.clone()).unwrap();
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let corpus: Vec<(&str, Vec<u8>)> = vec![
        ("empty", vec![]),
        ("nul bytes", vec![0; 4096]),
        ("not utf8", vec![0xff, 0xfe, 0xfd, 0x80]),
        ("deep nesting", deep.into_bytes()),
        ("a number", b"1e999999".to_vec()),
        (
            "wrong shape",
            br#"{"format":"beatbook-backup","version":1}"#.to_vec(),
        ),
        ("odd hex", text.replacen("\",\"", "0\",\"", 1).into_bytes()),
        (
            "unknown tree",
            text.replacen("\"name\":\"history\"", "\"name\":\"secrets\"", 1)
                .into_bytes(),
        ),
        (
            "control chars",
            text.replacen("fuzz seed", "fuzz\u{0}seed", 1).into_bytes(),
        ),
        (
            "version 0 format name",
            text.replacen("beatbook-backup", "beatbook-bundle", 1)
                .into_bytes(),
        ),
    ];
    let before = contact_count(dir);
    let mut refused = 0;
    for (name, bytes) in &corpus {
        let path = dir.join(format!("{}.bbk", name.replace(' ', "-")));
        std::fs::write(&path, bytes).unwrap();
        match restore(dir, &path, &common::key()) {
            Err(e @ StoreError::BadBackup { .. }) => {
                assert!(
                    e.to_string().contains(&name.replace(' ', "-")),
                    "{name}: {e}"
                );
                refused += 1;
            }
            // A harmless change outside the checksummed part may still restore.
            Ok(_) => assert!(
                Store::open(dir, &common::key())
                    .unwrap()
                    .check()
                    .unwrap()
                    .is_ok(),
                "{name}"
            ),
            Err(other) => panic!("{name}: unexpected error {other}"),
        }
        assert_eq!(contact_count(dir), before, "{name} changed the log");
    }
    assert!(
        refused >= corpus.len() - 1,
        "only {refused} of {} refused",
        corpus.len()
    );
}
