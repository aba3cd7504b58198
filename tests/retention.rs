//! Retention and the right to be forgotten: the purge preview, the purge, and forgetting one
//! person, through the store, the app and the command line. What goes must go from every
//! earlier version too.

use beatbook::model::{
    Contact, FollowUp, Id, JournalNote, Person, RecordKind, ANONYMIZED_NAME, FORGOTTEN_NAME,
    RETIRED_NOTE,
};
use beatbook::query::retention::{plan_forget, plan_purge};
use beatbook::store::Store;
use egui_kittest::kittest::Queryable;

use crate::common::*;

/// Whether any record of the log, or any earlier version of one, holds `text`.
fn anywhere(store: &Store, text: &str) -> bool {
    RecordKind::ALL.iter().any(|kind| {
        store.versions(*kind).unwrap().iter().any(|v| {
            v.record.to_string().contains(text)
                || v.history
                    .iter()
                    .any(|h| h.previous.to_string().contains(text))
        })
    })
}

#[test]
fn the_purge_removes_what_the_policy_allows_no_longer_and_only_that() {
    let tmp = tempfile::tempdir().unwrap();
    let s = seed(tmp.path());
    let old = add_old_entries(tmp.path(), &s);
    let store = Store::open(tmp.path(), &key()).unwrap();
    let policy = store.require_profile().unwrap().retention;
    assert_eq!((policy.notes_months, policy.anonymize_months), (24, 18));

    let plan = plan_purge(&store, policy, now()).unwrap();
    let ids = |items: &[beatbook::query::retention::PurgeItem]| -> Vec<Id> {
        items.iter().map(|i| i.id).collect()
    };
    assert_eq!(ids(&plan.notes), [old.contact]);
    assert_eq!(ids(&plan.journal), [old.journal]);
    assert_eq!(ids(&plan.anonymize), [old.person]);
    assert!(plan.details.is_empty());
    assert_eq!(
        plan.summary(),
        "1 contact note, 1 journal note, 1 person anonymized"
    );
    assert!(anywhere(&store, OLD_NOTE), "there before the purge");

    store
        .scrub(
            &plan.targets(),
            s.officer,
            "purged by the retention policy",
            plan.audit_subject(),
        )
        .unwrap();
    assert!(!anywhere(&store, OLD_NOTE), "gone, history included");
    assert!(!anywhere(&store, "Abernathy"));
    assert!(!anywhere(&store, "555-0142"));
    let c: Contact = store.get(old.contact).unwrap().unwrap();
    assert_eq!(
        (c.note.as_str(), c.meta.revision),
        ("", 2),
        "kept as a count"
    );
    let j: JournalNote = store.get(old.journal).unwrap().unwrap();
    assert!(j.meta.deleted && j.text == RETIRED_NOTE);
    let p: Person = store.get(old.person).unwrap().unwrap();
    assert_eq!(p.name, ANONYMIZED_NAME);
    assert!(p.consent.is_none() && p.notes.is_empty() && !p.meta.deleted);
    // The recent log is untouched.
    let rosa: Person = store.get(s.rosa).unwrap().unwrap();
    assert_eq!(rosa.name, "Rosa Delgado");
    assert_eq!(
        store
            .all::<Contact>()
            .unwrap()
            .iter()
            .filter(|c| !c.note.is_empty())
            .count(),
        3
    );
    assert!(store.check().unwrap().is_ok());
    let last = store.audit_trail(1).unwrap().remove(0);
    assert_eq!(last.action, "purged by the retention policy");
    assert!(!last.what.contains("Abernathy"));
    // A second purge finds nothing.
    assert!(plan_purge(&store, policy, now()).unwrap().is_empty());
}

#[test]
fn forgetting_a_person_removes_them_from_every_entry_and_every_earlier_version() {
    let tmp = tempfile::tempdir().unwrap();
    let s = seed(tmp.path());
    let store = Store::open(tmp.path(), &key()).unwrap();
    // An earlier version of a contact names her too.
    let mut c: Contact = store.get(s.contacts[1]).unwrap().unwrap();
    let before_edit = c.note.clone();
    c.note = "Rosa Delgado came to the block meeting.".into();
    let c = store.save(c, s.officer).unwrap();
    let mut c2 = c.clone();
    c2.note = before_edit;
    store.save(c2, s.officer).unwrap();
    assert!(anywhere(&store, "Rosa"));

    let plan = plan_forget(&store, s.rosa).unwrap();
    assert_eq!(plan.name, "Rosa Delgado");
    store
        .scrub(
            &plan.targets,
            s.officer,
            "forgot a person at their request",
            beatbook::store::AuditSubject::record(RecordKind::Person, s.rosa),
        )
        .unwrap();
    assert!(!anywhere(&store, "Rosa"), "no version names her");
    assert!(!anywhere(&store, "Delgado"));
    assert!(
        !anywhere(&store, &s.rosa.to_string()) || {
            // Only her own (emptied, deleted) record keeps her id.
            let p: Person = store.get(s.rosa).unwrap().unwrap();
            p.meta.deleted && p.name == FORGOTTEN_NAME
        }
    );
    let first: Contact = store.get(s.contacts[0]).unwrap().unwrap();
    assert!(
        first.people.is_empty() && first.unnamed == 1,
        "still a contact"
    );
    assert!(first.note.contains("[name removed]"), "{}", first.note);
    let follow_ups: Vec<FollowUp> = store.all().unwrap();
    assert!(follow_ups.iter().all(|f| f.person != Some(s.rosa)));
    assert!(store
        .all::<Person>()
        .unwrap()
        .iter()
        .all(|p| p.meta.id != s.rosa));
    assert!(store.check().unwrap().is_ok());
    let last = store.audit_trail(1).unwrap().remove(0);
    assert_eq!(last.what, format!("person {}", s.rosa.short()));
}

#[test]
fn the_purge_is_previewed_and_confirmed_in_settings() {
    let tmp = tempfile::tempdir().unwrap();
    let s = seed(tmp.path());
    let old = add_old_entries(tmp.path(), &s);
    let mut h = app(tmp.path());
    click(&mut h, "Settings");
    h.get_by_label("Preview purge...").scroll_to_me();
    h.run();
    click(&mut h, "Preview purge...");
    assert!(h
        .query_by_label("Purge under the retention policy?")
        .is_some());
    assert!(
        h.query_by_label("Edna Abernathy").is_some(),
        "listed by name"
    );
    click(&mut h, "Cancel");
    let c: Contact = ws(&mut h).store.get(old.contact).unwrap().unwrap();
    assert_eq!(
        c.note,
        format!("{OLD_NOTE} and the bus stop."),
        "nothing yet"
    );

    click(&mut h, "Preview purge...");
    click(&mut h, "Purge now");
    let w = ws(&mut h);
    assert!(w
        .status
        .as_ref()
        .unwrap()
        .text
        .starts_with("Purged: 1 contact note"));
    let c: Contact = w.store.get(old.contact).unwrap().unwrap();
    assert!(c.note.is_empty());
}

#[test]
fn a_person_is_forgotten_from_their_page() {
    let tmp = tempfile::tempdir().unwrap();
    let s = seed(tmp.path());
    let mut h = app(tmp.path());
    ws(&mut h).apply(beatbook::ui::command::Command::OpenPerson(s.rosa));
    h.run();
    click(&mut h, "Forget this person...");
    assert!(h.query_by_label("Forget Rosa Delgado?").is_some());
    click(&mut h, "Forget this person");
    let w = ws(&mut h);
    assert!(
        w.status
            .as_ref()
            .unwrap()
            .text
            .contains("removed everywhere"),
        "{:?}",
        w.status
    );
    assert!(!anywhere(&w.store, "Delgado"));
    assert!(
        h.query_by_label_contains("Rosa").is_none(),
        "not on any screen"
    );
}

#[test]
fn purge_and_forget_run_from_the_command_line_with_a_dry_run_first() {
    let tmp = tempfile::tempdir().unwrap();
    let s = seed(tmp.path());
    add_old_entries(tmp.path(), &s);
    let bb = |args: &[&str]| {
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_beatbook"))
            .env("BEATBOOK_PASSPHRASE", PASSPHRASE)
            .arg("--data-dir")
            .arg(tmp.path())
            .args(args)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8(o.stdout).unwrap()
    };
    let out = bb(&["purge", "--dry-run"]);
    assert!(
        out.contains("Would remove: 1 contact note, 1 journal note, 1 person anonymized."),
        "{out}"
    );
    assert!(anywhere(
        &Store::open(tmp.path(), &key()).unwrap(),
        OLD_NOTE
    ));
    let out = bb(&["purge"]);
    assert!(out.contains("Removed: 1 contact note"), "{out}");
    assert!(!anywhere(
        &Store::open(tmp.path(), &key()).unwrap(),
        OLD_NOTE
    ));

    let out = bb(&["forget", "rosa delgado", "--dry-run"]);
    assert!(out.contains("Would remove Rosa Delgado and"), "{out}");
    let out = bb(&["forget", "Rosa Delgado"]);
    assert!(out.contains("with every earlier version"), "{out}");
    assert!(!anywhere(
        &Store::open(tmp.path(), &key()).unwrap(),
        "Delgado"
    ));
}

#[test]
fn a_forgotten_person_stays_forgotten_through_old_bundles_backups_and_kept_logs() {
    use beatbook::bundle::{apply_import, plan_import, read_bundle, write_bundle_file};
    use beatbook::bundle::{BundleScope, Choice};
    let tmp = tempfile::tempdir().unwrap();
    let dana = tmp.path().join("dana");
    let s = seed(&dana);
    let store = Store::open(&dana, &key()).unwrap();
    join_squad(&store);
    // Copies of the log from before the forgetting: a backup, a log kept aside by a restore,
    // and a bundle sent to the sergeant.
    store.backup("by hand").unwrap();
    copy_dir(
        &dana.join("store"),
        &dana.join("store.replaced-20261101-090000"),
    );
    let before = tmp.path().join("before.bbundle");
    write_bundle_file(&store, BundleScope::Everything, &before).unwrap();

    let plan = plan_forget(&store, s.rosa).unwrap();
    let forgetting = store
        .forget_person(s.rosa, &plan.drop, &plan.targets, s.officer)
        .unwrap();
    assert!(!forgetting.backups_removed.is_empty());
    assert_eq!(forgetting.replaced_removed, 1);
    assert!(
        forgetting.copies_removed().contains("deleted"),
        "{}",
        forgetting.copies_removed()
    );
    assert!(!dana.join("store.replaced-20261101-090000").exists());

    for choice in [Choice::KeepMine, Choice::TakeTheirs] {
        let old = read_bundle(&before, &squad_key()).unwrap();
        let import = plan_import(&store, vec![old]).unwrap();
        assert_eq!(import.forgotten, 1, "her own record is refused");
        assert!(import.forgotten_note().is_some());
        let choices = vec![choice; import.conflicts.len()];
        apply_import(&store, &import, &choices).unwrap();
        for trace in ["Rosa", "Delgado"] {
            assert!(!anywhere(&store, trace), "{trace} came back ({choice:?})");
        }
        let p: Person = store.get(s.rosa).unwrap().unwrap();
        assert!(p.meta.deleted && p.name == FORGOTTEN_NAME);
    }
    let after = tmp.path().join("after.bbundle");
    write_bundle_file(&store, BundleScope::Everything, &after).unwrap();
    let next = read_bundle(&after, &squad_key()).unwrap();
    assert!(next
        .records
        .iter()
        .all(|v| !v.record.to_string().contains("Rosa")));
    assert!(store.check().unwrap().is_ok());

    // What backups are left hold her no more: the one taken after the forgetting restores a
    // log without her.
    let left = beatbook::store::list_backups(&dana);
    assert_eq!(left.len(), 1, "{left:?}");
    assert_eq!(left[0].path, forgetting.backup.path);
    drop(store);
    beatbook::store::restore(&dana, &left[0].path, &key()).unwrap();
    let restored = Store::open(&dana, &key()).unwrap();
    assert!(!anywhere(&restored, "Rosa"));
    assert!(!anywhere(&restored, "Delgado"));
    // And it still refuses her.
    let old = read_bundle(&before, &squad_key()).unwrap();
    assert_eq!(plan_import(&restored, vec![old]).unwrap().forgotten, 1);
}
