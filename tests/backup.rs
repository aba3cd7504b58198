//! Backups and restores: verified files, all-or-nothing restores, damaged and foreign files
//! refused with their name and nothing changed, retention, and the upgrade backup.

use std::path::{Path, PathBuf};

use beatbook::model::Contact;
use beatbook::store::{list_backups, prune_backups, read_backup, restore, Store, StoreError};
use chrono::{Duration, Utc};

use crate::common;
use crate::common::{key, log_with_contacts, seed, PASSPHRASE};

fn notes(dir: &Path) -> Vec<String> {
    let store = Store::open(dir, &common::key()).unwrap();
    let mut v: Vec<String> = store
        .all::<Contact>()
        .unwrap()
        .into_iter()
        .map(|c| c.note)
        .collect();
    v.sort();
    v
}

fn backup_of(dir: &Path) -> PathBuf {
    Store::open(dir, &common::key())
        .unwrap()
        .backup("test")
        .unwrap()
        .path
}

#[test]
fn a_backup_is_verified_and_restores_exactly() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let ids = log_with_contacts(dir, 5);
    let before = notes(dir);
    let info = Store::open(dir, &common::key())
        .unwrap()
        .backup("by hand")
        .unwrap();
    assert!(info.path.starts_with(dir.join("backups")));
    assert!(info.entries.unwrap() > 5);
    assert_eq!(read_backup(&info.path).unwrap().entries, info.entries);

    // Changes after the backup are undone by the restore; the replaced log is backed up first.
    {
        let store = Store::open(dir, &common::key()).unwrap();
        let me = store.require_profile().unwrap().officer;
        store.delete::<Contact>(ids[0], me).unwrap();
    }
    let summary = restore(dir, &info.path, &common::key()).unwrap();
    assert!(summary.safety_backup.is_some());
    assert_eq!(notes(dir), before);
    let store = Store::open(dir, &common::key()).unwrap();
    assert!(store.check().unwrap().is_ok(), "indexes are rebuilt");
    assert_eq!(store.history::<Contact>(ids[0]).unwrap().len(), 0);
    assert!(!dir.join("store.restoring").exists());
    assert_eq!(list_backups(dir).len(), 2);
}

#[test]
fn damaged_or_foreign_backups_are_refused_and_change_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    log_with_contacts(dir, 3);
    let good = backup_of(dir);
    let text = std::fs::read_to_string(&good).unwrap();
    let before = notes(dir);

    let cases: Vec<(&str, String, &str)> = vec![
        ("truncated", text[..text.len() / 2].to_string(), "damaged"),
        ("altered", altered(&text), "checksum"),
        (
            "foreign",
            "{\"hello\": 1}".to_string(),
            "not a beatbook backup",
        ),
        ("empty", String::new(), "not a beatbook backup"),
        (
            "future",
            text.replacen("\"version\":1", "\"version\":9", 1),
            "newer beatbook",
        ),
    ];
    for (name, content, expect) in cases {
        let path = dir.join(format!("{name}.bbk"));
        std::fs::write(&path, content).unwrap();
        let err = restore(dir, &path, &common::key()).unwrap_err();
        let msg = err.to_string();
        assert!(matches!(err, StoreError::BadBackup { .. }), "{name}: {msg}");
        assert!(msg.contains(expect), "{name}: {msg}");
        assert!(
            msg.contains(&format!("{name}.bbk")),
            "the message names the file: {msg}"
        );
        assert_eq!(notes(dir), before, "{name} changed the log");
    }
    let missing = restore(dir, &dir.join("nope.bbk"), &common::key()).unwrap_err();
    assert!(missing.to_string().contains("cannot be read"));
}

#[test]
fn a_restore_waits_for_the_log_to_be_closed() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    log_with_contacts(dir, 1);
    let file = backup_of(dir);
    let _open = Store::open(dir, &common::key()).unwrap();
    assert!(matches!(
        restore(dir, &file, &common::key()),
        Err(StoreError::Locked)
    ));
}

#[test]
fn a_restore_cut_short_before_the_swap_is_finished_on_next_open() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    log_with_contacts(dir, 2);
    let file = backup_of(dir);
    restore(dir, &file, &common::key()).unwrap();
    // Half-prepared staging (no completion marker) is cleared away on open.
    std::fs::create_dir_all(dir.join("store.restoring")).unwrap();
    Store::open(dir, &common::key()).unwrap();
    assert!(!dir.join("store.restoring").exists());
}

#[test]
fn old_backups_expire_but_the_newest_stays() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    log_with_contacts(dir, 1);
    let store = Store::open(dir, &common::key()).unwrap();
    store.backup("one").unwrap();
    store.backup("two").unwrap();
    assert_eq!(list_backups(dir).len(), 2);
    assert_eq!(prune_backups(dir, 30, Utc::now()), 0);
    assert_eq!(prune_backups(dir, 30, Utc::now() + Duration::days(60)), 1);
    assert_eq!(list_backups(dir).len(), 1, "the newest is always kept");
}

#[test]
fn the_daily_backup_is_taken_once_a_day() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    log_with_contacts(dir, 1);
    let store = Store::open(dir, &common::key()).unwrap();
    let today = chrono::Local::now().date_naive();
    assert!(store.daily_backup(today).unwrap().is_some());
    assert!(store.daily_backup(today).unwrap().is_none());
    assert_eq!(list_backups(dir)[0].reason, "start of day");
}

#[test]
fn a_log_that_lost_its_latest_entries_is_reported_not_shown() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    log_with_contacts(dir, 30);
    let backup = backup_of(dir);
    // Damage the log the way a disk fault does: cut it short.
    common::cut_log_short(dir);
    let err = Store::open(dir, &common::key())
        .err()
        .expect("a damaged log must not open as if whole");
    assert!(matches!(err, StoreError::Damaged), "{err}");
    assert!(err.to_string().contains("Restore a backup"));

    restore(dir, &backup, &common::key()).unwrap();
    assert_eq!(notes(dir).len(), 30);
    assert!(common::replaced_log_kept(dir));
}

/// Damage that took the log's key along with its newest entries: the log is reported damaged
/// at once, never offered a new passphrase as if it were new and empty.
#[test]
fn a_log_that_lost_its_key_and_latest_entries_is_reported_before_any_passphrase() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    log_with_contacts(dir, 3);
    {
        let db = common::raw_sled(&dir.join("store"));
        for tree in ["meta", "contacts"] {
            db.open_tree(tree).unwrap().clear().unwrap();
        }
        db.flush().unwrap();
    }
    let err = beatbook::store::LockedStore::open(dir)
        .err()
        .expect("the damage is found before a passphrase is asked for");
    assert!(matches!(err, StoreError::Damaged), "{err}");
}

#[test]
fn a_restore_cut_short_after_it_was_verified_is_completed_on_next_open() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    log_with_contacts(dir, 3);
    // A verified restored log waiting beside the current one, marked complete, and a seal that
    // names a record only the replaced log has: the state a crash mid-swap leaves.
    common::copy_dir(&dir.join("store"), &dir.join("store.restoring"));
    std::fs::write(dir.join("store.restoring.complete"), b"").unwrap();
    std::fs::write(
        dir.join("store.seal"),
        br#"{"kind":"contact","id":"ffffffffffffffffffffffffffffffff","revision":9}"#,
    )
    .unwrap();
    let store = Store::open(dir, &common::key()).unwrap();
    assert_eq!(store.all::<Contact>().unwrap().len(), 3);
    assert!(!dir.join("store.restoring").exists());
    assert!(!dir.join("store.restoring.complete").exists());
    assert!(common::replaced_log_kept(dir));
}

/// The backup with one hexadecimal digit of a stored contact changed.
fn altered(text: &str) -> String {
    let contacts = text.find("\"contacts\"").unwrap();
    let value = contacts + text[contacts..].find("\",\"01").unwrap() + 40;
    let flipped = if &text[value..=value] == "a" {
        "b"
    } else {
        "a"
    };
    format!("{}{}{}", &text[..value], flipped, &text[value + 1..])
}

#[test]
fn the_command_line_changes_the_passphrase_and_refuses_a_weak_one() {
    let tmp = tempfile::tempdir().unwrap();
    let s = seed(tmp.path());
    let run = |new: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_beatbook"))
            .env("BEATBOOK_PASSPHRASE", PASSPHRASE)
            .env("BEATBOOK_NEW_PASSPHRASE", new)
            .arg("--data-dir")
            .arg(tmp.path())
            .arg("change-passphrase")
            .output()
            .unwrap()
    };
    let weak = run("Password123!a");
    assert!(!weak.status.success());
    let said = String::from_utf8_lossy(&weak.stderr);
    assert_eq!(said.trim().lines().count(), 1, "{said}");
    assert!(Store::open(tmp.path(), &key()).is_ok(), "nothing changed");

    let changed = run("Quiet otter borrows 9 lamps");
    assert!(
        changed.status.success(),
        "{}",
        String::from_utf8_lossy(&changed.stderr)
    );
    let said = String::from_utf8_lossy(&changed.stdout);
    assert!(said.starts_with("The passphrase is changed"), "{said}");
    assert!(Store::open(tmp.path(), &key()).is_err());
    let store = Store::open(
        tmp.path(),
        &beatbook::store::Passphrase::new("Quiet otter borrows 9 lamps"),
    )
    .unwrap();
    assert_eq!(
        store.all::<beatbook::model::Contact>().unwrap().len(),
        s.contacts.len()
    );
}
