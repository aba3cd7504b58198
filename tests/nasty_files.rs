//! The corpus of nasty files in tests/fixtures/nasty: every one is refused with a message that
//! names it, and the log is left exactly as it was.

use std::path::{Path, PathBuf};

use beatbook::export::export_json;
use beatbook::import::import_csv;
use beatbook::store::{restore, Store};

use crate::common;

fn corpus(kind: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/nasty")
        .join(kind);
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(files.len() >= 10, "the {kind} corpus is missing");
    files
}

fn everything(dir: &Path) -> String {
    let store = Store::open(dir, &common::key()).unwrap();
    let mut out = Vec::new();
    export_json(&store, &mut out).unwrap();
    let mut v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    v["exported_at"] = serde_json::Value::Null;
    v.to_string()
}

fn name(p: &Path) -> String {
    p.file_name().unwrap().to_string_lossy().into_owned()
}

#[test]
fn nasty_backups_are_refused_by_name() {
    let tmp = tempfile::tempdir().unwrap();
    common::log_with_contacts(tmp.path(), 3);
    let before = everything(tmp.path());
    for file in corpus("backup") {
        let err = restore(tmp.path(), &file, &common::key())
            .expect_err(&name(&file))
            .to_string();
        assert!(err.contains(&name(&file)), "{}: {err}", name(&file));
        assert_eq!(
            everything(tmp.path()),
            before,
            "{} changed the log",
            name(&file)
        );
    }
}

#[test]
fn nasty_csv_files_are_refused_by_name() {
    let tmp = tempfile::tempdir().unwrap();
    common::log_with_contacts(tmp.path(), 3);
    let before = everything(tmp.path());
    let store = Store::open(tmp.path(), &common::key()).unwrap();
    let me = store.require_profile().unwrap().officer;
    for file in corpus("csv") {
        let err = import_csv(&store, &file, me)
            .expect_err(&name(&file))
            .to_string();
        assert!(err.contains(&name(&file)), "{}: {err}", name(&file));
        assert!(
            err.ends_with("Nothing was imported."),
            "{}: {err}",
            name(&file)
        );
    }
    drop(store);
    assert_eq!(everything(tmp.path()), before);
}
