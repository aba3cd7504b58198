//! A disk that refuses a write (sled's failpoints, compiled into test builds): the officer sees
//! a plain message, what was typed stays in the form, earlier entries are intact, and saving
//! again once the fault has passed works. One test per binary: failpoints are process-wide.

// Tests may unwrap (a panic is a failed test) and a test reads best as one story, however long.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::too_many_lines)]

mod common;

use beatbook::model::Contact;
use common::*;
use egui::Key;
use egui_kittest::kittest::Queryable;

#[test]
fn a_failed_write_keeps_the_form_and_a_retry_saves() {
    let dir = tempfile::tempdir().unwrap();
    let s = seed(dir.path());
    let mut h = app(dir.path());

    h.key_press_modifiers(ctrl(), Key::N);
    h.run();
    h.event(egui::Event::Text("Mr. Okafor".into()));
    h.run();
    h.key_press(Key::Enter);
    h.run();
    h.get_by_role_and_label(egui::accesskit::Role::MultilineTextInput, "Note")
        .focus();
    h.run();
    h.event(egui::Event::Text(
        "Asked for a welfare check on his neighbor.".into(),
    ));
    h.run();

    // The next write of sled's log buffer fails, as on a full or failing disk.
    sled::fail::set("buffer write", 1);
    h.key_press_modifiers(ctrl(), Key::Enter);
    // The log is reopened after the refused write, and Today reads its lists beside the UI.
    settle(&mut h);
    sled::fail::reset();

    let w = ws(&mut h);
    let form = w.form.as_ref().expect("the form stays open");
    assert!(
        form.error
            .as_ref()
            .unwrap()
            .contains("The disk refused the save"),
        "{:?}",
        form.error
    );
    assert_eq!(form.note, "Asked for a welfare check on his neighbor.");
    assert!(
        h.query_by_label_contains("The disk refused the save")
            .is_some(),
        "the message is shown"
    );

    // Earlier entries are intact, and saving again works once the disk is back.
    h.key_press_modifiers(ctrl(), Key::Enter);
    settle(&mut h);
    let w = ws(&mut h);
    assert!(
        w.form.is_none(),
        "{:?}",
        w.form.as_ref().and_then(|f| f.error.clone())
    );
    let contacts = w.store.all::<Contact>().unwrap();
    assert_eq!(contacts.len(), s.contacts.len() + 1);
    let people = w
        .store
        .all::<beatbook::model::Person>()
        .unwrap()
        .iter()
        .filter(|p| p.name == "Mr. Okafor")
        .count();
    assert_eq!(people, 1, "the retry did not create the new person twice");
    assert!(w.store.check().unwrap().is_ok());

    // Any other save refused by the disk is retried the same way: here a journal note.
    h.get_by_label("Neighborhoods").click();
    h.run();
    h.get_by_role_and_label(
        egui::accesskit::Role::MultilineTextInput,
        "New journal note",
    )
    .focus();
    h.run();
    h.event(egui::Event::Text(
        "Library closes early on Fridays now.".into(),
    ));
    h.run();
    sled::fail::set("buffer write", 1);
    h.get_by_label("Add note").click();
    settle(&mut h);
    sled::fail::reset();
    assert!(h
        .query_by_label_contains("The disk refused the save")
        .is_some());
    h.get_by_label("Add note").click();
    settle(&mut h);
    let notes = ws(&mut h)
        .store
        .all::<beatbook::model::JournalNote>()
        .unwrap();
    assert!(
        notes
            .iter()
            .any(|n| n.text == "Library closes early on Fridays now."),
        "{:?}",
        ws(&mut h).status
    );
    drop(h);

    // And it is all on disk.
    let store = beatbook::store::Store::open(dir.path(), &common::key()).unwrap();
    assert_eq!(store.all::<Contact>().unwrap().len(), s.contacts.len() + 1);
}
