//! The audit trail: every change, import, export, backup and restore is recorded with who, what
//! and the outcome, chained so that a changed or removed entry is found by `check`.

use beatbook::model::{Contact, Person, PersonRole};
use beatbook::store::{AuditEntry, Store};
use egui_kittest::kittest::Queryable;

use crate::common;
use crate::common::*;

fn trail(store: &Store) -> Vec<AuditEntry> {
    let mut all = store.audit_trail(usize::MAX).unwrap();
    all.reverse();
    all
}

#[test]
fn every_change_is_recorded_in_order_and_the_chain_holds() {
    let dir = tempfile::tempdir().unwrap();
    let s = seed(dir.path());
    let store = Store::open(dir.path(), &common::key()).unwrap();
    let before = trail(&store).len();
    let mut c: Contact = store.get(s.contacts[0]).unwrap().unwrap();
    c.note = "Edited.".into();
    store.save(c, s.officer).unwrap();
    store.delete::<Contact>(s.contacts[0], s.officer).unwrap();
    store.restore::<Contact>(s.contacts[0], s.officer).unwrap();
    let all = trail(&store);
    let last: Vec<(&str, &str)> = all[before..]
        .iter()
        .map(|e| (e.action.as_str(), e.what.as_str()))
        .collect();
    let what = format!("contact {}", s.contacts[0].short());
    assert_eq!(
        last,
        [
            ("edited", what.as_str()),
            ("deleted", what.as_str()),
            ("restored", what.as_str())
        ]
    );
    assert!(all
        .iter()
        .all(|e| e.officer == s.officer && e.outcome == "done"));
    assert!(all
        .windows(2)
        .all(|w| w[1].prev == w[0].hash && w[1].seq == w[0].seq + 1));
    // Before the edits, the trail holds the seed's creations, the squad passphrase it was
    // given, and the unlocks of each open.
    assert!(all[..before].iter().all(|e| matches!(
        e.action.as_str(),
        "created" | "unlocked" | "set the squad passphrase"
    )));
    let unlocks = all[..before].iter().filter(|e| e.action == "unlocked");
    assert_eq!(unlocks.count(), 2, "the seed's open and this one");
    assert!(store.audit_break().unwrap().is_none());
    assert!(store.check().unwrap().is_ok());
}

#[test]
fn entries_name_records_by_id_never_by_a_residents_name() {
    let dir = tempfile::tempdir().unwrap();
    let (officer, hood) = set_up(dir.path());
    let store = Store::open(dir.path(), &common::key()).unwrap();
    let p = Person {
        meta: store.new_meta(officer).unwrap(),
        name: "Zelda Canarywood".into(),
        role: PersonRole::Resident,
        neighborhood: Some(hood),
        notes: "Lives above the laundromat".into(),
        consent: None,
    };
    store.save(p, officer).unwrap();
    let text = format!("{:?}", trail(&store));
    assert!(!text.contains("Canarywood") && !text.contains("laundromat"));
}

#[test]
fn a_changed_or_removed_entry_breaks_the_chain_and_check_says_where() {
    let dir = tempfile::tempdir().unwrap();
    seed(dir.path());
    let n = trail(&Store::open(dir.path(), &common::key()).unwrap()).len();
    assert!(n > 3);
    let key = |seq: u64| {
        let mut k = vec![b'e'];
        k.extend_from_slice(&seq.to_be_bytes());
        k
    };
    {
        let db = raw_sled(&dir.path().join("store"));
        let audit = db.open_tree("audit").unwrap();
        let mut entry: serde_json::Value =
            serde_json::from_slice(&audit.get(key(2)).unwrap().unwrap()).unwrap();
        entry["action"] = "nothing to see".into();
        audit
            .insert(key(2), serde_json::to_vec(&entry).unwrap())
            .unwrap();
        db.flush().unwrap();
    }
    let store = Store::open(dir.path(), &common::key()).unwrap();
    let report = store.check().unwrap();
    assert!(
        report
            .problems
            .iter()
            .any(|p| p.contains("audit trail is broken at entry 2")),
        "{:?}",
        report.problems
    );
    drop(store);
    {
        let db = raw_sled(&dir.path().join("store"));
        db.open_tree("audit").unwrap().remove(key(3)).unwrap();
        db.flush().unwrap();
    }
    let store = Store::open(dir.path(), &common::key()).unwrap();
    let problems = store.check().unwrap().problems;
    assert!(problems.iter().any(|p| p.contains("audit")), "{problems:?}");
}

#[test]
fn the_sergeant_reads_and_exports_the_trail_in_settings() {
    let tmp = tempfile::tempdir().unwrap();
    let sam = squad(tmp.path());
    let mut h = app(&sam);
    click(&mut h, "Settings");
    click(&mut h, "Audit trail");
    assert!(h
        .query_by_label_contains("Every entry is chained to the one before it")
        .is_some());
    assert_eq!(
        h.query_all_by_label("merged").count(),
        2,
        "both bundle imports are there"
    );
    let csv = tmp.path().join("audit.csv");
    ws(&mut h).dialogs = Box::new(beatbook::ui::dialogs::FixedDialogs(Some(csv.clone())));
    click(&mut h, "Export audit trail as CSV...");
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(
        text.starts_with("seq,at,officer,action,what,outcome,prev,hash"),
        "{text}"
    );
    assert!(text.contains(",\"merged\","), "{text}");
    // The export itself is recorded.
    let last = ws(&mut h).store.audit_trail(1).unwrap().remove(0);
    assert_eq!(last.action, "exported");
    assert_eq!(
        last.what, "the audit trail",
        "its kind, not its file's name"
    );
}

#[test]
fn the_trail_is_kept_in_backups_and_a_restore_is_recorded() {
    let dir = tempfile::tempdir().unwrap();
    seed(dir.path());
    let bin = env!("CARGO_BIN_EXE_beatbook");
    let run = |args: &[&str]| {
        let o = std::process::Command::new(bin)
            .env("BEATBOOK_PASSPHRASE", common::PASSPHRASE)
            .arg("--data-dir")
            .arg(dir.path())
            .args(args)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    };
    // Every open of the log records an unlock; this test follows the changes around them.
    let trail = |store: &Store| -> Vec<AuditEntry> {
        trail(store)
            .into_iter()
            .filter(|e| e.action != "unlocked")
            .collect()
    };
    run(&["backup"]);
    let (backup, at_backup) = {
        let store = Store::open(dir.path(), &common::key()).unwrap();
        let backup = beatbook::store::list_backups(dir.path()).remove(0).path;
        (backup, trail(&store))
    };
    assert_eq!(at_backup.last().unwrap().action, "backed up");
    run(&["restore", backup.to_str().unwrap()]);
    let store = Store::open(dir.path(), &common::key()).unwrap();
    let after = trail(&store);
    // The backup holds the trail up to the moment it was taken (its own entry comes after);
    // the restored log's trail goes on from there with the restore.
    let kept = at_backup.len() - 1;
    assert_eq!(&after[..kept], &at_backup[..kept], "kept as it was");
    assert_eq!(after.len(), kept + 1);
    assert_eq!(after[kept].action, "restored a backup");
    assert!(store.audit_break().unwrap().is_none());
}

/// Remembers the file name each save dialog offered, and answers with a path of the test's.
struct OfferedNames {
    answer: std::path::PathBuf,
    offered: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl beatbook::ui::dialogs::FileDialogs for OfferedNames {
    fn save_file(
        &self,
        _: &str,
        default_name: &str,
        _: &str,
    ) -> Result<Option<std::path::PathBuf>, String> {
        self.offered.lock().unwrap().push(default_name.to_string());
        Ok(Some(self.answer.clone()))
    }

    fn open_file(&self, _: &str, _: &str) -> Result<Option<std::path::PathBuf>, String> {
        Ok(Some(self.answer.clone()))
    }
}

#[test]
fn no_name_file_name_or_note_reaches_the_trail() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("log");
    seed(&data);
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    // Files named after the resident, as an officer might name them.
    let named = |ext: &str| out.join(format!("Rosa Delgado alley light.{ext}"));

    // The app: a promise receipt is offered a name without the resident's, and saved under
    // one with it; the contacts CSV and a bundle likewise.
    let mut h = app(&data);
    let offered = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    click_and_wait(&mut h, "Follow-ups");
    h.get_all_by_label("Receipt...").next().unwrap().click();
    h.run();
    ws(&mut h).dialogs = Box::new(OfferedNames {
        answer: named("pdf"),
        offered: offered.clone(),
    });
    click(&mut h, "Save as PDF...");
    assert!(named("pdf").exists());
    let offered = offered.lock().unwrap().clone();
    assert!(!offered.is_empty());
    assert!(
        offered
            .iter()
            .all(|n| !n.contains("Rosa") && !n.contains("Delgado")),
        "{offered:?}"
    );
    ws(&mut h).export_to(beatbook::export::ExportFormat::Csv, named("csv"));
    drop(h);

    // The command line: exports, a bundle, a backup restored from a file named after her.
    let bin = env!("CARGO_BIN_EXE_beatbook");
    let run = |args: &[&str]| {
        let o = std::process::Command::new(bin)
            .env("BEATBOOK_PASSPHRASE", common::PASSPHRASE)
            .env("BEATBOOK_SQUAD_PASSPHRASE", common::SQUAD_PASSPHRASE)
            .arg("--data-dir")
            .arg(&data)
            .args(args)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    };
    let json = named("json");
    let bundle = named("bbundle");
    run(&[
        "export",
        "--format",
        "json",
        "--out",
        json.to_str().unwrap(),
    ]);
    run(&[
        "export",
        "--format",
        "bundle",
        "--out",
        bundle.to_str().unwrap(),
    ]);
    run(&["backup"]);
    let backup = beatbook::store::list_backups(&data)
        .into_iter()
        .find(|b| b.reason == "by hand")
        .unwrap()
        .path;
    let renamed = named("bbk");
    std::fs::copy(&backup, &renamed).unwrap();
    run(&["restore", renamed.to_str().unwrap()]);
    run(&["import", bundle.to_str().unwrap()]);
    run(&["forget", "Rosa Delgado"]);

    let store = Store::open(&data, &common::key()).unwrap();
    let all = trail(&store);
    assert!(all.iter().any(|e| e.action == "exported"), "{all:#?}");
    assert!(all.iter().any(|e| e.action == "restored a backup"));
    let csv = beatbook::export::audit_csv(&store).unwrap();
    drop(store);
    // The trail as stored: every byte of its tree, not only what the store reads back.
    let raw = raw_sled(&data.join("store"));
    let tree = raw.open_tree("audit").unwrap();
    let mut stored = Vec::new();
    for kv in tree.iter() {
        let (k, v) = kv.unwrap();
        stored.extend_from_slice(&k);
        stored.extend_from_slice(&v);
    }
    for trace in [
        "Rosa",
        "Delgado",
        "alley",
        "bakery",
        "Riverside",
        ".pdf",
        ".csv",
        ".json",
        ".bbundle",
        ".bbk",
    ] {
        assert!(!holds(&stored, trace), "{trace} in the stored trail");
        assert!(!csv.contains(trace), "{trace} in the trail's export");
    }
}
