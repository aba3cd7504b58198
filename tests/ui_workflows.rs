//! Whole workflows driven through the real app (clicks and keys via AccessKit), then checked
//! against the store.

use beatbook::model::{Contact, ContactKind, FollowUp, FollowUpStatus, Officer, Person, Role, Tag};
use beatbook::store::Store;
use beatbook::ui::command::{Command, Screen};
use beatbook::ui::widgets::Pick;
use egui::Key;
use egui_kittest::kittest::{NodeT, Queryable};

use crate::common;
use crate::common::*;

#[test]
fn onboarding_sets_up_the_officer_and_first_beat() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = app(dir.path());
    click(&mut h, "Start");
    assert!(
        h.query_by_label_contains("cannot be empty").is_some(),
        "an empty form explains itself"
    );

    h.get_by_label("Your name").focus();
    h.run();
    type_text(&mut h, "Dana Reyes");
    assert!(
        h.query_by_label_contains("cannot be empty").is_none(),
        "the name is filled in: what was said about it is gone"
    );
    h.get_by_label("Badge number").focus();
    h.run();
    type_text(&mut h, "4127");
    h.get_by_label("Your first neighborhood (beat)").focus();
    h.run();
    type_text(&mut h, "Riverside");
    click(&mut h, "Start");

    let w = ws(&mut h);
    let officers = w.store.all::<Officer>().unwrap();
    assert_eq!(officers.len(), 1);
    assert_eq!(
        (officers[0].name.as_str(), officers[0].badge.as_str()),
        ("Dana Reyes", "4127")
    );
    assert_eq!(officers[0].role, Role::Officer);
    assert_eq!(w.lookup.neighborhoods[0].name, "Riverside");
    assert_eq!(w.store.count::<Tag>().unwrap(), Tag::DEFAULTS.len());
    assert!(
        h.query_by_label("Log a contact").is_some(),
        "Today greets the officer"
    );
}

#[test]
fn a_contact_is_logged_with_the_keyboard_alone() {
    let dir = tempfile::tempdir().unwrap();
    let (officer, riverside) = set_up(dir.path());
    let mut h = app(dir.path());

    press_ctrl(&mut h, Key::N);
    assert!(
        h.get_by_label("Who").is_focused(),
        "Ctrl+N puts the focus in Who"
    );
    type_text(&mut h, "Maria Lopez");
    tab(&mut h, 1); // takes the new name
    type_text(&mut h, "noise");
    tab(&mut h, 1);
    type_text(&mut h, "Music from the corner lot until 2am on Fridays.");
    press_ctrl(&mut h, Key::Enter);

    let w = ws(&mut h);
    assert!(w.form.is_none(), "the form closes once saved");
    let contacts = w.store.all::<Contact>().unwrap();
    assert_eq!(contacts.len(), 1);
    let c = &contacts[0];
    assert_eq!(c.note, "Music from the corner lot until 2am on Fridays.");
    assert_eq!(
        c.neighborhood, riverside,
        "defaults to the last neighborhood"
    );
    assert_eq!(c.kind, ContactKind::Conversation);
    assert_eq!(c.at, now(), "defaults to now");
    assert_eq!(c.meta.author, officer);
    assert_eq!(w.lookup.tags_text(&c.tags), "noise");
    let people = w.store.all::<Person>().unwrap();
    assert_eq!(people.len(), 1);
    assert_eq!(people[0].name, "Maria Lopez");
    assert_eq!(c.people, vec![people[0].meta.id]);
    assert!(w
        .status
        .as_ref()
        .unwrap()
        .text
        .contains("Saved contact with Maria Lopez"));
    assert!(w.store.check().unwrap().is_ok());
}

#[test]
fn a_contact_with_a_new_person_a_new_topic_and_a_follow_up() {
    let dir = tempfile::tempdir().unwrap();
    let s = seed(dir.path());
    let mut h = app(dir.path());

    click(&mut h, "Log a contact (Ctrl+N)");
    // An existing person picked by typing part of the name, and a new one.
    type_text(&mut h, "rosa");
    h.key_press(Key::Enter);
    h.run();
    type_text(&mut h, "Jamal Carter");
    h.key_press(Key::Enter);
    h.run();
    h.get_by_label("Topics").focus();
    h.run();
    type_text(&mut h, "Stray dogs");
    h.key_press(Key::Enter);
    h.run();
    focus(&mut h, "Note");
    type_text(&mut h, "Two loose dogs near the school at pickup time.");
    click(&mut h, "I promised a follow-up (Alt+F)");
    h.get_by_label("What I promised").focus();
    h.run();
    type_text(&mut h, "Call animal control and report back");
    h.get_by_label("Promised to").focus();
    h.run();
    h.key_press(Key::ArrowDown);
    h.run();
    click(&mut h, "Tomorrow");
    click(&mut h, "Save (Ctrl+Enter)");

    let w = ws(&mut h);
    assert!(
        w.form.is_none(),
        "{:?}",
        w.form.as_ref().and_then(|f| f.error.clone())
    );
    let newest = w
        .store
        .all::<Contact>()
        .unwrap()
        .into_iter()
        .max_by_key(|c| c.at)
        .unwrap();
    assert_eq!(
        w.lookup.people_names(&newest.people),
        "Rosa Delgado, Jamal Carter"
    );
    assert_eq!(newest.people[0], s.rosa);
    assert_eq!(
        w.lookup.tags_text(&newest.tags),
        "stray dogs",
        "new topics join the list"
    );
    let promise = w
        .store
        .all::<FollowUp>()
        .unwrap()
        .into_iter()
        .find(|f| f.contact == Some(newest.meta.id))
        .unwrap();
    assert_eq!(promise.promise, "Call animal control and report back");
    assert_eq!(promise.due, day(2026, 11, 26));
    assert_eq!(
        promise.person,
        Some(newest.people[1]),
        "promised to Jamal, picked with the keyboard"
    );
    assert_eq!(promise.status, FollowUpStatus::Open);
}

#[test]
fn an_edit_keeps_the_old_revision_and_a_delete_can_be_undone() {
    let dir = tempfile::tempdir().unwrap();
    let s = seed(dir.path());
    let mut h = app(dir.path());
    let id = s.contacts[2];

    ws(&mut h).apply(beatbook::ui::command::Command::Go(Screen::Log));
    h.run();
    click(&mut h, "2026-11-24 14:15");
    focus(&mut h, "Note");
    h.key_press_modifiers(ctrl(), Key::A);
    type_text(
        &mut h,
        "Rosa confirmed the light works. Asked about a bike patrol.",
    );
    press_ctrl(&mut h, Key::Enter);

    let w = ws(&mut h);
    let edited: Contact = w.store.get(id).unwrap().unwrap();
    assert_eq!(
        edited.note,
        "Rosa confirmed the light works. Asked about a bike patrol."
    );
    assert_eq!(edited.meta.revision, 2);
    let history = w.store.history::<Contact>(id).unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].changed, vec!["note".to_string()]);
    assert_eq!(
        history[0].previous["note"],
        "Told Rosa public works fixed the light. She was glad."
    );

    click(&mut h, "2026-11-24 14:15");
    assert!(h
        .query_by_label_contains("History (1 earlier revision)")
        .is_some());
    click(&mut h, "Delete contact");
    assert!(
        ws(&mut h)
            .store
            .get::<Contact>(id)
            .unwrap()
            .unwrap()
            .meta
            .deleted
    );
    assert!(
        h.query_by_label("2026-11-24 14:15").is_none(),
        "a deleted contact leaves the log"
    );
    click(&mut h, "Undo (Ctrl+Z)");
    let w = ws(&mut h);
    let back: Contact = w.store.get(id).unwrap().unwrap();
    assert!(!back.meta.deleted);
    assert_eq!(back.note, edited.note);
    assert!(
        w.store.check().unwrap().is_ok(),
        "indexes follow the delete and the undo"
    );
    assert!(h.query_by_label("2026-11-24 14:15").is_some());
}

#[test]
fn completing_a_follow_up_asks_for_the_outcome() {
    let dir = tempfile::tempdir().unwrap();
    let s = seed(dir.path());
    let mut h = app(dir.path());
    assert!(
        h.query_by_label("Overdue follow-ups (1)").is_some(),
        "overdue promises show at start"
    );

    h.get_all_by_label("Done...").next().unwrap().click();
    h.run();
    click(&mut h, "Mark done");
    assert!(h
        .query_by_label_contains("outcome cannot be empty")
        .is_some());
    assert!(ws(&mut h)
        .store
        .get::<FollowUp>(s.overdue)
        .unwrap()
        .unwrap()
        .status
        .is_open());

    focus(&mut h, "Outcome");
    type_text(&mut h, "Survey booked for 2 December; told Mr. Tran.");
    click(&mut h, "Mark done");
    let f: FollowUp = ws(&mut h).store.get(s.overdue).unwrap().unwrap();
    assert_eq!(
        f.status,
        FollowUpStatus::Done {
            on: day(2026, 11, 25),
            outcome: "Survey booked for 2 December; told Mr. Tran.".into()
        }
    );
    assert!(h.query_by_label("Overdue follow-ups (1)").is_none());
}

#[test]
fn the_log_filters_by_neighborhood_topic_and_words() {
    let dir = tempfile::tempdir().unwrap();
    let s = seed(dir.path());
    let mut h = app(dir.path());
    click(&mut h, "Log");
    assert!(h.query_by_label("3 contacts match.").is_some());

    let w = ws(&mut h);
    w.log.neighborhood = Some(s.riverside);
    h.run();
    assert!(h.query_by_label("2 contacts match.").is_some());

    h.get_by_label("Search notes").focus();
    h.run();
    type_text(&mut h, "GLAD");
    assert!(h.query_by_label("1 contact matches.").is_some());
    assert!(h.query_by_label("2026-11-24 14:15").is_some());
    assert!(h.query_by_label("2026-11-03 09:15").is_none());

    click(&mut h, "Clear filters");
    h.get_by_label("From").focus();
    h.run();
    type_text(&mut h, "2026-11-31");
    assert!(
        h.query_by_label("From: 2026-11-31 does not exist: check the day and the month.")
            .is_some(),
        "a bad date is named, not ignored"
    );
    // Another filter changed meanwhile: no count is shown that belongs to the filters before.
    ws(&mut h).log.neighborhood = Some(s.riverside);
    h.run();
    assert!(h.query_by_label_contains("contacts match").is_none());
    assert!(h.query_by_label_contains("contact matches").is_none());
    assert!(h
        .query_by_label_contains("Not counted until the dates are valid")
        .is_some());
}

#[test]
fn a_persons_page_shows_their_timeline_and_open_promises() {
    let dir = tempfile::tempdir().unwrap();
    let s = seed(dir.path());
    let mut h = app(dir.path());
    click(&mut h, "People");
    click(&mut h, "Rosa Delgado · Business owner");
    assert!(h.query_by_label("Last contact: 2026-11-24 14:15").is_some());
    assert!(h.query_by_label("Open promises (1)").is_some());
    assert_eq!(
        h.get_all_by_label("Bring crime-prevention flyers for the bakery")
            .count(),
        2,
        "an open promise is listed on its own and on the timeline"
    );
    assert!(
        h.query_by_label("2026-11-03 09:15").is_some(),
        "older contacts are on the timeline"
    );

    // Contact details are only offered, and kept, with consent.
    assert!(h.query_by_label("Phone").is_none());
    click(&mut h, "Agreed to be contacted");
    h.get_by_label("Phone").focus();
    h.run();
    type_text(&mut h, "+1 555 0100");
    click(&mut h, "Save person");
    let rosa: Person = ws(&mut h).store.get(s.rosa).unwrap().unwrap();
    let consent = rosa.consent.unwrap();
    assert_eq!(consent.phone, "+1 555 0100");
    assert_eq!(consent.agreed_on, Some(day(2026, 11, 25)));
}

#[test]
fn the_losing_touch_list_names_people_not_seen_lately() {
    let dir = tempfile::tempdir().unwrap();
    seed(dir.path());
    let mut h = app(dir.path());
    click(&mut h, "People");
    // Found beside the UI: a department's archive has hundreds of thousands of people.
    click_and_wait(&mut h, "Losing touch: not contacted for");
    assert!(h
        .query_by_label("Everyone was contacted in the last 30 days.")
        .is_some());
    ws(&mut h).people.losing_days = 10;
    h.run();
    assert!(h
        .query_by_label("Finding who has not been contacted lately...")
        .is_some());
    ws(&mut h).wait_for_background_work();
    h.run();
    // Mr. Tran was last seen on the 10th (15 days ago), Rosa yesterday.
    assert!(h
        .query_by_label_contains("Mr. Tran (last: 2026-11-10")
        .is_some());
    assert!(h.query_by_label_contains("Rosa Delgado (last").is_none());
}

#[test]
fn escape_asks_before_discarding_and_a_failed_save_keeps_the_text() {
    let dir = tempfile::tempdir().unwrap();
    set_up(dir.path());
    let mut h = app(dir.path());
    press_ctrl(&mut h, Key::N);
    h.key_press(Key::Escape);
    h.run();
    assert!(
        ws(&mut h).form.is_none(),
        "an untouched form closes at once"
    );

    press_ctrl(&mut h, Key::N);
    type_text(&mut h, "Ms. Okafor");
    focus(&mut h, "Note");
    type_text(&mut h, "Asked about the park lights.");
    h.key_press(Key::Escape);
    h.run();
    assert!(h.query_by_label("Discard what you typed?").is_some());
    click(&mut h, "Keep editing");

    h.get_by_label("When").focus();
    h.run();
    h.key_press_modifiers(ctrl(), Key::A);
    type_text(&mut h, "yesterday-ish");
    press_ctrl(&mut h, Key::Enter);
    let w = ws(&mut h);
    let form = w.form.as_ref().expect("the form stays open");
    assert!(form
        .error
        .as_ref()
        .unwrap()
        .contains("is not a date and time"));
    assert_eq!(form.note, "Asked about the park lights.");
    assert_eq!(w.store.count::<Contact>().unwrap(), 0, "nothing half-saved");
    assert_eq!(
        w.store.count::<Person>().unwrap(),
        0,
        "no person created by a rejected save"
    );
}

#[test]
fn a_log_open_elsewhere_gets_a_plain_message() {
    let dir = tempfile::tempdir().unwrap();
    set_up(dir.path());
    let _held = Store::open(dir.path(), &common::key()).unwrap();
    let mut h = app(dir.path());
    assert!(h.query_by_label("beatbook cannot open your log").is_some());
    assert!(h
        .query_by_label_contains("open in another beatbook window")
        .is_some());
    drop(_held);
    click(&mut h, "Try again");
    unlock(&mut h, PASSPHRASE);
    assert!(
        h.state_mut().workspace().is_some(),
        "retry works once the other window closes"
    );
}

#[test]
fn a_new_group_is_added_by_hand_and_needs_a_name() {
    let dir = tempfile::tempdir().unwrap();
    set_up(dir.path());
    let mut h = app(dir.path());
    click(&mut h, "People");
    click(&mut h, "New person or group");
    click(&mut h, "Save person");
    assert!(h
        .query_by_label("Name or description cannot be empty.")
        .is_some());
    assert_eq!(
        ws(&mut h).store.count::<Person>().unwrap(),
        0,
        "a rejected save writes nothing"
    );

    focus(&mut h, "Name or description");
    type_text(&mut h, "Riverside Tenants Union");
    click(&mut h, "Save person");
    let people = ws(&mut h).store.all::<Person>().unwrap();
    assert_eq!(people.len(), 1);
    assert_eq!(people[0].name, "Riverside Tenants Union");
    assert!(
        people[0].consent.is_none(),
        "no contact details without consent"
    );
    assert!(h
        .query_by_label("Riverside Tenants Union · Resident")
        .is_some());
}

/// The app started on a data folder that is a file, its "cannot open" screen, and the
/// folder dialog answering `chosen`.
fn started_on_a_file(chosen: &std::path::Path) -> (tempfile::TempDir, std::path::PathBuf, App) {
    let dir = tempfile::tempdir().unwrap();
    let not_a_folder = dir.path().join("notes.txt");
    std::fs::write(&not_a_folder, "not a folder").unwrap();
    let mut h = locked_app(&not_a_folder);
    assert!(h.query_by_label("beatbook cannot open your log").is_some());
    let said = format!("{} is a file, not a folder.", not_a_folder.display());
    assert!(
        h.query_by_label_contains(&said).is_some(),
        "says what it is"
    );
    assert!(
        h.query_by_label_contains("cannot be written to").is_none(),
        "not a permissions problem"
    );
    h.state_mut().dialogs = Box::new(beatbook::ui::dialogs::FixedDialogs(Some(
        chosen.to_path_buf(),
    )));
    click(&mut h, "Choose another folder...");
    if let Some(lock) = h.state_mut().lock_screen() {
        lock.wait();
    }
    h.run();
    (dir, not_a_folder, h)
}

#[test]
fn a_data_folder_that_is_a_file_says_so_and_another_folder_starts_a_new_log() {
    let other = tempfile::tempdir().unwrap();
    let chosen = other.path().join("beatbook");
    let (_dir, not_a_folder, mut h) = started_on_a_file(&chosen);
    assert!(
        h.query_by_label("Choose a passphrase for your log")
            .is_some(),
        "an empty folder leads to the first run"
    );
    assert_eq!(h.state_mut().dir, chosen);
    type_secret(&mut h, "Passphrase", "granite lantern orchard velvet");
    type_secret(&mut h, "Type it again", "granite lantern orchard velvet");
    h.key_press(Key::Enter);
    h.step();
    wait_for_unlock(&mut h);
    assert!(
        h.query_by_label_contains("Your name").is_some(),
        "on to onboarding in the chosen folder"
    );
    assert!(
        chosen.join("store").is_dir(),
        "the log is in the chosen folder"
    );
    assert_eq!(
        std::fs::read_to_string(&not_a_folder).unwrap(),
        "not a folder",
        "the file is untouched"
    );
}

#[test]
fn a_data_folder_that_is_a_file_can_give_way_to_a_folder_holding_a_log() {
    let other = tempfile::tempdir().unwrap();
    set_up(other.path());
    let (_dir, not_a_folder, mut h) = started_on_a_file(other.path());
    assert!(
        h.query_by_label("beatbook is locked").is_some(),
        "a folder with a log leads to its lock screen"
    );
    unlock(&mut h, PASSPHRASE);
    assert!(h.state_mut().workspace().is_some(), "the chosen log opens");
    assert_eq!(
        std::fs::read_to_string(&not_a_folder).unwrap(),
        "not a folder",
        "the file is untouched"
    );
}

#[test]
fn closing_the_window_with_a_half_typed_contact_asks_first() {
    let dir = tempfile::tempdir().unwrap();
    set_up(dir.path());
    let mut h = app(dir.path());
    press_ctrl(&mut h, Key::N);
    type_text(&mut h, "Mrs. Alvarez");
    assert!(close_window(&mut h), "the window stays open");
    assert!(h
        .query_by_label("Save or discard this contact before closing beatbook.")
        .is_some());
    assert!(h.query_by_label("Discard what you typed?").is_some());
    assert_eq!(ws(&mut h).form.as_ref().unwrap().who.input, "Mrs. Alvarez");
}

#[test]
fn suggestions_are_picked_by_click_and_never_by_leaving_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let s = seed(dir.path());
    let mut h = app(dir.path());
    press_ctrl(&mut h, Key::N);
    type_text(&mut h, "ro");
    // Today's list behind the form names Rosa too; the suggestion is drawn last.
    h.get_all_by_label("Rosa Delgado").last().unwrap().click();
    h.run();
    assert_eq!(
        ws(&mut h).form.as_ref().unwrap().people,
        vec![Pick::Existing(s.rosa)]
    );

    // Leaving "Who" with the mouse keeps the text as typed instead of guessing a match.
    focus(&mut h, "Who");
    type_text(&mut h, "Tr");
    focus(&mut h, "Note");
    let form = ws(&mut h).form.as_ref().unwrap();
    assert_eq!(
        form.people.len(),
        1,
        "Mr. Tran was not attached by a focus change"
    );
    assert_eq!(form.who.input, "Tr");

    // Up and Down change a choice and leave the focus where it is.
    h.get_by_label("Kind").focus();
    h.run();
    h.key_press(Key::ArrowDown);
    h.run();
    h.key_press(Key::ArrowDown);
    h.run();
    assert!(h.get_by_label("Kind").is_focused());
    assert_eq!(
        ws(&mut h).form.as_ref().unwrap().kind,
        ContactKind::CommunityMeeting
    );
}

#[test]
fn typed_changes_are_not_lost_by_moving_on() {
    let dir = tempfile::tempdir().unwrap();
    let s = seed(dir.path());
    let mut h = app(dir.path());

    // A person's unsaved notes survive a click on someone else until discarded on purpose.
    click(&mut h, "People");
    click(&mut h, "Rosa Delgado · Business owner");
    focus(&mut h, "Notes");
    type_text(&mut h, "Chairs the merchants' association.");
    click(&mut h, "Mr. Tran · Block captain");
    assert!(h.query_by_label_contains("Unsaved changes here").is_some());
    assert_eq!(ws(&mut h).people.selected, Some(s.rosa));
    click(&mut h, "Keep editing");
    click(&mut h, "Save person");
    let rosa: beatbook::model::Person = ws(&mut h).store.get(s.rosa).unwrap().unwrap();
    assert_eq!(rosa.notes, "Chairs the merchants' association.");
    click(&mut h, "Mr. Tran · Block captain");
    assert_eq!(
        ws(&mut h).people.selected,
        Some(s.mr_tran),
        "saved, so nothing to ask"
    );

    // A half-written journal note stays with its own neighborhood.
    click(&mut h, "Neighborhoods");
    focus(&mut h, "New journal note");
    type_text(&mut h, "Library hours cut on Saturdays.");
    click(&mut h, "Elm Park");
    assert_eq!(
        field(&h, "New journal note").value().unwrap_or_default(),
        ""
    );
    click(&mut h, "Riverside");
    assert_eq!(
        field(&h, "New journal note").value().unwrap(),
        "Library hours cut on Saturdays."
    );

    // Esc does not throw away a typed outcome.
    click_and_wait(&mut h, "Follow-ups");
    h.get_all_by_label("Done...").next().unwrap().click();
    h.run();
    focus(&mut h, "Outcome");
    type_text(&mut h, "Survey booked.");
    h.key_press(Key::Escape);
    h.run();
    assert_eq!(
        ws(&mut h).closing.as_ref().unwrap().outcome,
        "Survey booked."
    );
    assert!(h
        .query_by_label("Press Cancel to close without saving the outcome.")
        .is_some());
    click(&mut h, "Cancel");
    assert!(ws(&mut h).closing.is_none());

    // Dates in the wrong order are named, and the table keeps its rows meanwhile.
    click(&mut h, "Log");
    focus(&mut h, "From");
    type_text(&mut h, "2026-11-20");
    focus(&mut h, "To");
    type_text(&mut h, "2026-11-01");
    assert!(h
        .query_by_label("From (2026-11-20) is after To (2026-11-01).")
        .is_some());
    assert!(
        h.query_by_label_contains("Not counted until the dates are valid")
            .is_some(),
        "no count is given for dates that are not the ones typed"
    );
}

/// "Compact the log" in Settings closes the log, copies it beside the UI and reopens it: every
/// record is still there, the check passes, and what was half typed on the screen stays.
#[test]
fn compacting_from_settings_keeps_the_log_and_what_was_typed() {
    let dir = tempfile::tempdir().unwrap();
    let s = seed(dir.path());
    let mut h = app(dir.path());
    let before = ws(&mut h).store.check().unwrap();
    click(&mut h, "Settings");
    focus(&mut h, "New topic");
    type_text(&mut h, "Potholes");
    scroll_into_view(&mut h, "Compact the log");
    h.get_by_label("Compact the log").click();
    h.step();
    let work = h
        .state_mut()
        .compacting()
        .expect("the log is being compacted");
    work.wait();
    settle(&mut h);
    ws(&mut h).fixed_now = Some(now());
    settle(&mut h);
    let status = ws(&mut h).status.clone().unwrap();
    assert!(!status.is_error, "{}", status.text);
    assert!(
        status.text.starts_with("Compacted the log: "),
        "{}",
        status.text
    );
    // Said plainly whichever way the size went, not as "(was ...)".
    assert!(
        ["less than before", "more than before", "as before"]
            .iter()
            .any(|w| status.text.contains(w))
            && !status.text.contains("(was"),
        "{}",
        status.text
    );
    let after = ws(&mut h).store.check().unwrap();
    assert!(after.is_ok(), "{:?}", after.problems);
    assert_eq!(after.counts, before.counts);
    assert!(ws(&mut h)
        .store
        .get::<Contact>(s.contacts[0])
        .unwrap()
        .is_some());
    let trail = ws(&mut h).store.audit_trail(5).unwrap();
    assert!(trail.iter().any(|e| e.action == "compacted"), "{trail:?}");
    assert_eq!(field(&h, "New topic").value().as_deref(), Some("Potholes"));
}

#[test]
fn back_up_now_then_restore_from_settings() {
    let dir = tempfile::tempdir().unwrap();
    let s = seed(dir.path());
    let mut h = app(dir.path());
    click(&mut h, "Settings");
    click(&mut h, "Back up now");
    let status = ws(&mut h).status.clone().unwrap();
    assert!(status.text.contains("(verified)"), "{}", status.text);

    ws(&mut h).apply(beatbook::ui::command::Command::DeleteContact(s.contacts[0]));
    h.run();
    assert!(
        ws(&mut h)
            .store
            .get::<Contact>(s.contacts[0])
            .unwrap()
            .unwrap()
            .meta
            .deleted
    );

    // Something half-typed on the screen.
    focus(&mut h, "New topic");
    type_text(&mut h, "Potholes");
    // The newest backup is listed first.
    h.get_all_by_label("Restore...").next().unwrap().click();
    h.run();
    assert!(h.query_by_label("Restore this backup?").is_some());
    // A wrong passphrase cannot open the backup: nothing changes, the log stays open, and what
    // was typed is still there.
    type_secret(&mut h, "The backup's passphrase", "Not-The-Passphrase-1");
    click(&mut h, "Restore");
    let w = ws(&mut h);
    let status = w.status.as_ref().unwrap();
    assert!(status.is_error, "{status:?}");
    assert!(
        status.text.contains("passphrase does not open it"),
        "{}",
        status.text
    );
    assert_eq!(w.settings.new_topic, "Potholes");
    assert!(
        w.store
            .get::<Contact>(s.contacts[0])
            .unwrap()
            .unwrap()
            .meta
            .deleted
    );
    h.get_all_by_label("Restore...").next().unwrap().click();
    h.run();
    type_secret(&mut h, "The backup's passphrase", PASSPHRASE);
    click(&mut h, "Restore");
    let w = ws(&mut h);
    assert!(
        !w.store
            .get::<Contact>(s.contacts[0])
            .unwrap()
            .unwrap()
            .meta
            .deleted,
        "restored"
    );
    assert!(
        w.status.as_ref().unwrap().text.starts_with("Restored"),
        "{:?}",
        w.status
    );
    assert!(beatbook::store::list_backups(dir.path())
        .iter()
        .any(|b| b.reason == "before restore"));
}

#[test]
fn a_damaged_log_offers_its_backups() {
    let dir = tempfile::tempdir().unwrap();
    let s = seed(dir.path());
    Store::open(dir.path(), &common::key())
        .unwrap()
        .backup("by hand")
        .unwrap();
    std::fs::write(dir.path().join("store").join("conf"), b"\x00\x01garbage").unwrap();

    let mut h = app(dir.path());
    assert!(h.query_by_label("beatbook cannot open your log").is_some());
    assert!(h.query_by_label_contains("cannot be read").is_some());
    type_secret(
        &mut h,
        "The backup's passphrase (the one in use when it was taken)",
        PASSPHRASE,
    );
    click(&mut h, "Restore this backup");
    let w = ws(&mut h);
    assert_eq!(w.store.all::<Contact>().unwrap().len(), s.contacts.len());
    assert!(w.store.check().unwrap().is_ok());
    assert!(
        replaced_log_kept(dir.path()),
        "the damaged log is kept aside"
    );
}

#[test]
fn contacts_export_and_import_through_settings() {
    let dir = tempfile::tempdir().unwrap();
    let s = seed(dir.path());
    let csv = dir.path().join("contacts.csv");
    let mut h = app(dir.path());
    ws(&mut h).dialogs = Box::new(beatbook::ui::dialogs::FixedDialogs(Some(csv.clone())));
    click(&mut h, "Settings");
    click(&mut h, "Export contacts as CSV...");
    assert!(ws(&mut h)
        .status
        .as_ref()
        .unwrap()
        .text
        .starts_with("Exported 3 contacts"));
    assert!(std::fs::read_to_string(&csv)
        .unwrap()
        .contains("Rosa says the alley light"));

    // The same file back in: nothing new, and the officer is told so.
    click(&mut h, "Import contacts from CSV...");
    let status = ws(&mut h).status.clone().unwrap();
    assert!(
        status
            .text
            .starts_with("Imported 0 new contacts (3 were already in the log)"),
        "{}",
        status.text
    );

    // A damaged file is refused by name and line, and nothing changes.
    std::fs::write(
        &csv,
        std::fs::read_to_string(&csv)
            .unwrap()
            .replace("business_check", "raid"),
    )
    .unwrap();
    click(&mut h, "Import contacts from CSV...");
    let status = ws(&mut h).status.clone().unwrap();
    assert!(
        status.is_error && status.text.contains("contacts.csv, line 2"),
        "{}",
        status.text
    );
    assert_eq!(
        ws(&mut h).store.all::<Contact>().unwrap().len(),
        s.contacts.len()
    );
}

#[test]
fn without_a_file_dialog_a_path_can_be_typed() {
    let dir = tempfile::tempdir().unwrap();
    seed(dir.path());
    let csv = dir.path().join("typed.csv");
    let mut h = app(dir.path());
    ws(&mut h).dialogs = Box::new(beatbook::ui::dialogs::FixedDialogs(None));
    click(&mut h, "Settings");
    click(&mut h, "Export contacts as CSV...");
    focus(&mut h, "Save to path");
    type_text(&mut h, csv.to_str().unwrap());
    click(&mut h, "Export to this path");
    assert!(csv.exists(), "{:?}", ws(&mut h).status);

    click(&mut h, "Import contacts from CSV...");
    assert!(ws(&mut h)
        .status
        .as_ref()
        .unwrap()
        .text
        .contains("type the file's path"));
    focus(&mut h, "CSV file");
    type_text(&mut h, csv.to_str().unwrap());
    click(&mut h, "Import this file");
    let status = ws(&mut h).status.clone().unwrap();
    assert!(
        status
            .text
            .starts_with("Imported 0 new contacts (3 were already"),
        "{}",
        status.text
    );
}

#[test]
fn the_log_filters_by_a_person_picked_by_typing() {
    let dir = tempfile::tempdir().unwrap();
    seed(dir.path());
    let mut h = app(dir.path());
    click(&mut h, "Log");
    focus(&mut h, "Person");
    type_text(&mut h, "tran");
    h.key_press(Key::Enter);
    h.run();
    assert!(h.query_by_label("1 contact matches.").is_some());
    assert!(h.query_by_label("2026-11-10 17:15").is_some());
    click(&mut h, "Mr. Tran  x");
    assert!(
        h.query_by_label("3 contacts match.").is_some(),
        "removing the person clears the filter"
    );
}

#[test]
fn a_promise_receipt_for_the_resident_can_be_copied_and_saved() {
    let dir = tempfile::tempdir().unwrap();
    seed(dir.path());
    let mut h = app(dir.path());
    click_and_wait(&mut h, "Follow-ups");
    h.get_all_by_label("Receipt...").next().unwrap().click();
    h.run();
    let receipt = ws(&mut h).receipt.clone().expect("the receipt opens");
    assert_eq!(
        (receipt.officer.as_str(), receipt.badge.as_str()),
        ("Dana Reyes", "4127")
    );
    assert!(h.query_by_label("Dana Reyes, badge 4127").is_some());
    assert!(h
        .query_by_label_contains("ask for Officer Dana Reyes, badge 4127")
        .is_some());

    click(&mut h, "Copy");
    assert!(ws(&mut h)
        .status
        .as_ref()
        .unwrap()
        .text
        .contains("Receipt copied"));
    let pdf = dir.path().join("receipt.pdf");
    ws(&mut h).dialogs = Box::new(beatbook::ui::dialogs::FixedDialogs(Some(pdf.clone())));
    click(&mut h, "Save as PDF...");
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF-"));
    click(&mut h, "Close");
    assert!(ws(&mut h).receipt.is_none());
}

#[test]
fn a_note_that_reads_like_intelligence_gets_a_gentle_warning_and_still_saves() {
    let dir = tempfile::tempdir().unwrap();
    set_up(dir.path());
    let mut h = app(dir.path());
    press_ctrl(&mut h, Key::N);
    type_text(&mut h, "Maria Lopez");
    tab(&mut h, 2);
    type_text(&mut h, "Says the corner group are gang members.");
    assert!(h
        .query_by_label_contains("This note mentions \"gang\"")
        .is_some());
    press_ctrl(&mut h, Key::Enter);
    let w = ws(&mut h);
    assert!(w.form.is_none(), "the warning never blocks a save");
    assert_eq!(w.store.all::<Contact>().unwrap().len(), 1);
}

#[test]
fn a_large_log_lists_the_newest_thousand_and_counts_every_match() {
    let dir = tempfile::tempdir().unwrap();
    log_with_contacts(dir.path(), 1_001);
    let mut h = app(dir.path());
    // The contact index is built beside the UI; the log answers the same before and after.
    ws(&mut h).wait_for_background_work();
    assert!(ws(&mut h).store.has_contact_index());
    click(&mut h, "Log");
    assert!(
        h.query_by_label_contains("1,001 contacts match; the newest 1,000 are listed")
            .is_some(),
        "the count covers every match, and the list says it is cut"
    );
    // The oldest is found by its words all the same.
    h.get_by_label("Search notes").focus();
    h.run();
    type_text(&mut h, "number 1000,");
    std::thread::sleep(std::time::Duration::from_millis(300));
    h.run();
    assert!(h.query_by_label("1 contact matches.").is_some());
}

/// A promise shown in a list being read again may have been closed meanwhile: it is not closed
/// a second time, and its first outcome stays.
#[test]
fn a_promise_closed_elsewhere_is_not_closed_again() {
    let dir = tempfile::tempdir().unwrap();
    let s = seed(dir.path());
    let mut h = app(dir.path());
    click_and_wait(&mut h, "Follow-ups");
    ws(&mut h).apply(Command::StartClosingFollowUp {
        id: s.overdue,
        dropped: false,
    });
    h.run();
    // Closed elsewhere while the dialog is open (an imported bundle, another window).
    let store = ws(&mut h).store.clone();
    let mut f: FollowUp = store.get(s.overdue).unwrap().unwrap();
    f.status = FollowUpStatus::Done {
        on: day(2026, 11, 24),
        outcome: "Survey booked by the sergeant.".into(),
    };
    store.save(f, s.officer).unwrap();
    focus(&mut h, "Outcome");
    type_text(&mut h, "Told Mr. Tran.");
    click(&mut h, "Mark done");
    assert!(h.query_by_label_contains("was changed elsewhere").is_some());
    let kept: FollowUp = store.get(s.overdue).unwrap().unwrap();
    assert_eq!(
        kept.status,
        FollowUpStatus::Done {
            on: day(2026, 11, 24),
            outcome: "Survey booked by the sergeant.".into()
        }
    );
    click(&mut h, "Cancel");

    // Asking to close it again is refused at once.
    ws(&mut h).apply(Command::StartClosingFollowUp {
        id: s.overdue,
        dropped: true,
    });
    h.run();
    assert!(ws(&mut h).closing.is_none());
    assert!(h.query_by_label_contains("already closed (done)").is_some());
}

/// Everyone in the log is read beside the UI. The list the screens use then catches up on the
/// people written since: one by one after a rename, a new person and a deletion, and read
/// again beside the UI after more writes than that (an import). Either way it agrees with
/// everyone read afresh, and names show meanwhile.
#[test]
fn the_people_list_catches_up_with_what_was_written() {
    use beatbook::model::PersonRole;
    use beatbook::store::Batch;
    use beatbook::ui::lookup::Lookup;
    use std::sync::Arc;
    let dir = tempfile::tempdir().unwrap();
    let s = seed(dir.path());
    let store = Arc::new(Store::open(dir.path(), &key()).unwrap());
    let listed = |l: &Lookup| -> Vec<(beatbook::model::Id, String)> {
        let names = l.person_names().iter();
        names.map(|k| (k.id, k.name.clone())).collect()
    };
    let fresh = || {
        let mut l = Lookup::load(store.clone()).unwrap();
        l.wait_for_people().unwrap();
        listed(&l)
    };
    let mut lookup = Lookup::load(store.clone()).unwrap();
    lookup.wait_for_people().unwrap();
    assert_eq!(listed(&lookup).len(), 2);

    let mut rosa: Person = store.get(s.rosa).unwrap().unwrap();
    rosa.name = "Aaron Abel".into();
    store.save(rosa, s.officer).unwrap();
    let new = |name: String| Person {
        meta: store.new_meta(s.officer).unwrap(),
        name,
        role: PersonRole::Resident,
        neighborhood: Some(s.riverside),
        notes: String::new(),
        consent: None,
    };
    let zed = store.save(new("Zed Young".into()), s.officer).unwrap();
    store.delete::<Person>(s.mr_tran, s.officer).unwrap();
    lookup.refresh().unwrap();
    assert!(lookup.people_ready(), "a few changes are taken in at once");
    assert_eq!(listed(&lookup), fresh());
    assert_eq!(
        listed(&lookup),
        vec![
            (s.rosa, "Aaron Abel".into()),
            (zed.meta.id, "Zed Young".into())
        ]
    );
    assert_eq!(lookup.person_name(s.mr_tran), "(removed person)");

    let batch = Batch {
        people: (0..2_001)
            .map(|i| new(format!("Resident {i:04}")))
            .collect(),
        ..Default::default()
    };
    store.save_batch(&batch, s.officer).unwrap();
    lookup.refresh().unwrap();
    assert!(
        lookup.reading_people(),
        "an import's people are read beside the UI"
    );
    assert!(!lookup.people_ready());
    // Meanwhile names are read one by one.
    assert_eq!(lookup.person_name(batch.people[7].meta.id), "Resident 0007");
    assert_eq!(lookup.person_name(s.rosa), "Aaron Abel");
    lookup.wait_for_people().unwrap();
    assert!(lookup.people_ready());
    assert_eq!(listed(&lookup).len(), 2 + 2_001);
    assert_eq!(listed(&lookup), fresh());
    assert_eq!(lookup.people_matching("resident 000").len(), 10);
}

/// Until everyone in the log is read, a name typed into "Who" is not offered as a new person
/// and a save waits for the list, so it can never make a second record of someone already
/// there. Names of people already picked or logged still show, read one by one.
#[test]
fn a_name_typed_before_everyone_is_read_is_matched_once_they_are() {
    let dir = tempfile::tempdir().unwrap();
    let s = seed(dir.path());
    let mut h = app(dir.path());
    ws(&mut h).lookup.forget_people();
    h.run();
    assert_eq!(ws(&mut h).lookup.person_name(s.rosa), "Rosa Delgado");
    assert!(
        h.query_all_by_label_contains("Rosa Delgado")
            .next()
            .is_some(),
        "Today names the people of the last contacts"
    );
    press_ctrl(&mut h, Key::N);
    type_text(&mut h, "rosa delgado");
    assert!(
        h.query_by_label_contains("(new person)").is_none(),
        "not offered as new while the names are being read"
    );
    focus(&mut h, "Note");
    type_text(&mut h, "Asked about the bakery's alley light.");
    press_ctrl(&mut h, Key::Enter);
    let w = ws(&mut h);
    let error = w.form.as_ref().and_then(|f| f.error.clone()).unwrap();
    assert!(error.contains("still being read"), "{error}");
    assert!(error.contains("rosa delgado"), "{error}");
    assert_eq!(w.store.all::<Person>().unwrap().len(), 2);
    assert_eq!(w.store.all::<Contact>().unwrap().len(), s.contacts.len());

    // Once they are read, the same save matches Rosa.
    w.lookup.refresh().unwrap();
    w.wait_for_background_work();
    h.run();
    press_ctrl(&mut h, Key::Enter);
    let w = ws(&mut h);
    assert!(w.form.is_none(), "{:?}", w.form.as_ref().map(|f| &f.error));
    assert_eq!(w.store.all::<Person>().unwrap().len(), 2);
    let contacts = w.store.all::<Contact>().unwrap();
    let logged = contacts
        .iter()
        .find(|c| c.note == "Asked about the bakery's alley light.")
        .unwrap();
    assert_eq!(logged.people, vec![s.rosa]);
    assert!(w.store.check().unwrap().is_ok());
}

/// A key as the window sends it: pressed, with these modifiers.
fn key_down(key: Key, modifiers: egui::Modifiers) -> egui::Event {
    egui::Event::Key {
        key,
        physical_key: None,
        pressed: true,
        repeat: false,
        modifiers,
    }
}

/// Runs one frame that receives all these events, as a slow frame does (the harness's own
/// queue gives each event a frame of its own).
fn in_one_frame(h: &mut App, events: impl IntoIterator<Item = egui::Event>) {
    h.input_mut().events.extend(events);
    h.step();
    settle(h);
}

/// One open promise due on each day from 22 November to 8 December 2026, named by its date.
fn a_promise_a_day(dir: &std::path::Path) {
    let (officer, riverside) = set_up(dir);
    let store = Store::open(dir, &key()).unwrap();
    let mut due = day(2026, 11, 22);
    while due <= day(2026, 12, 8) {
        let promise = FollowUp {
            meta: store.new_meta(officer).unwrap(),
            promise: format!("Promise due {due}"),
            person: None,
            contact: None,
            neighborhood: riverside,
            due,
            status: FollowUpStatus::Open,
            waiting_on: None,
        };
        store.save(promise, officer).unwrap();
        due = due.succ_opt().unwrap();
    }
}

/// "Due in the next 7 days" is today and the seven days after it, whatever the weekday: on a
/// Sunday, Monday's promise is there (a calendar week would hold only Sunday itself).
#[test]
fn follow_ups_due_in_the_next_seven_days_show_on_every_weekday() {
    use chrono::{Datelike, TimeZone};
    let dir = tempfile::tempdir().unwrap();
    a_promise_a_day(dir.path());
    let mut h = app(dir.path());
    for date in 23..=29 {
        let today = day(2026, 11, date);
        ws(&mut h).fixed_now = Some(
            chrono::Utc
                .with_ymd_and_hms(2026, 11, date, 10, 0, 0)
                .unwrap(),
        );
        ws(&mut h).apply(Command::Go(Screen::Today));
        settle(&mut h);
        let weekday = today.weekday();
        assert!(
            h.query_by_label("Due in the next 7 days (8)").is_some(),
            "Today on {weekday} {today}"
        );
        let tomorrow = today.succ_opt().unwrap();
        assert!(
            h.query_by_label(&format!("Promise due {tomorrow}"))
                .is_some(),
            "tomorrow's promise is on Today on {weekday}"
        );
        ws(&mut h).apply(Command::Go(Screen::FollowUps));
        settle(&mut h);
        let overdue = (today - day(2026, 11, 22)).num_days();
        let later = (day(2026, 12, 8) - today).num_days() - 7;
        for section in [
            format!("Overdue ({overdue})"),
            "Due in the next 7 days (8)".to_string(),
            format!("Later ({later})"),
        ] {
            assert!(
                h.query_by_label_contains(&section).is_some(),
                "{section} on Follow-ups on {weekday} {today}"
            );
        }
    }
}

/// Keys typed in the same frame as Ctrl+N (a slow frame holds several) all land in "Who", as
/// do those typed in the first frame of a form opened with the mouse; a letter typed with the
/// Tab into "Note" lands in Note, and text typed with Alt+F lands in "What I promised".
#[test]
fn keys_typed_while_the_form_opens_or_the_focus_moves_land_in_their_field() {
    let dir = tempfile::tempdir().unwrap();
    set_up(dir.path());
    let mut h = app(dir.path());

    in_one_frame(
        &mut h,
        [
            key_down(Key::N, ctrl()),
            egui::Event::Text("D".into()),
            egui::Event::Text("arnell".into()),
        ],
    );
    assert_eq!(ws(&mut h).form.as_ref().unwrap().who.input, "Darnell");
    assert!(h.get_by_label("Who").is_focused());

    // Into Topics, then Tab and the note's first letter in one frame.
    h.key_press(Key::Tab);
    h.run();
    in_one_frame(
        &mut h,
        [
            key_down(Key::Tab, egui::Modifiers::NONE),
            egui::Event::Text("M".into()),
        ],
    );
    type_text(&mut h, "usic until 2am.");
    assert_eq!(ws(&mut h).form.as_ref().unwrap().note, "Music until 2am.");

    // Alt+F with the promise's first words in one frame; where Alt+F also types an "f" (X11),
    // that "f" is not typed anywhere.
    in_one_frame(
        &mut h,
        [
            key_down(Key::F, egui::Modifiers::ALT),
            egui::Event::Text("f".into()),
            egui::Event::Text("Call".into()),
        ],
    );
    type_text(&mut h, " back on Friday");
    let form = ws(&mut h).form.as_ref().unwrap();
    assert!(form.follow_up);
    assert_eq!(form.promise, "Call back on Friday");
    assert_eq!(form.note, "Music until 2am.");
    h.key_press(Key::Escape);
    h.run();
    click(&mut h, "Discard");

    // Opened with the mouse: keys of the form's first frame still reach "Who".
    h.get_by_label("Log a contact (Ctrl+N)").click();
    h.step();
    in_one_frame(&mut h, [egui::Event::Text("Rosa".into())]);
    assert_eq!(ws(&mut h).form.as_ref().unwrap().who.input, "Rosa");
}

/// What is typed just before a Tab or Alt+F, in the same slow frame, belongs to the field being
/// left: a real window under Xvfb lost the last letter of a name typed with its Tab, and put
/// the end of a note typed with Alt+F into the promise.
#[test]
fn keys_typed_just_before_a_tab_or_alt_f_stay_in_the_field_being_left() {
    let dir = tempfile::tempdir().unwrap();
    set_up(dir.path());
    let mut h = app(dir.path());
    press_ctrl(&mut h, Key::N);
    // The end of the name, Tab, the topic's first letters and Tab again, then the note's
    // first letters: all in one frame.
    in_one_frame(
        &mut h,
        [
            egui::Event::Text("Aisha Hadda".into()),
            egui::Event::Text("d".into()),
            key_down(Key::Tab, egui::Modifiers::NONE),
            egui::Event::Text("noi".into()),
        ],
    );
    let form = ws(&mut h).form.as_ref().unwrap();
    // Tab takes the name typed in "Who" as a new person, whole.
    assert!(
        matches!(form.people.as_slice(), [Pick::New(name)] if name == "Aisha Haddad"),
        "the name keeps its last letter: {:?} / {:?}",
        form.people,
        form.who.input
    );
    assert!(h.get_by_label("Topics").is_focused());
    type_text(&mut h, "se");
    assert_eq!(ws(&mut h).form.as_ref().unwrap().topic.input, "noise");
    focus(&mut h, "Note");
    in_one_frame(
        &mut h,
        [
            egui::Event::Text("Loud music until ".into()),
            egui::Event::Text("2am.".into()),
            key_down(Key::F, egui::Modifiers::ALT),
            egui::Event::Text("f".into()),
            egui::Event::Text("Call".into()),
        ],
    );
    type_text(&mut h, " back on Friday");
    let form = ws(&mut h).form.as_ref().unwrap();
    assert_eq!(form.note, "Loud music until 2am.");
    assert!(form.follow_up);
    assert_eq!(form.promise, "Call back on Friday");
}

/// Nothing typed becomes something else on save: an unfinished name or topic that matches
/// names in the log stops the save and says so beside its field, the count of unnamed people
/// refuses letters where they are typed, and an empty note is asked about once.
#[test]
fn stray_text_in_the_contact_form_is_refused_or_asked_about() {
    let dir = tempfile::tempdir().unwrap();
    let s = seed(dir.path());
    let mut h = app(dir.path());
    let people_before = ws(&mut h).store.count::<Person>().unwrap();
    let topics_before = ws(&mut h).store.count::<Tag>().unwrap();

    press_ctrl(&mut h, Key::N);
    type_text(&mut h, "Tr");
    focus(&mut h, "Topics");
    type_text(&mut h, "noi");
    press_ctrl(&mut h, Key::Enter);
    let w = ws(&mut h);
    let form = w.form.as_ref().expect("the form stays open");
    assert_eq!(form.who.input, "Tr", "the typed name stays as typed");
    assert_eq!(w.store.count::<Contact>().unwrap(), s.contacts.len());
    assert_eq!(w.store.count::<Person>().unwrap(), people_before);
    assert!(h
        .query_by_label_contains("\"Tr\" is not added yet: it matches Mr. Tran.")
        .is_some());
    assert!(h
        .query_by_label_contains("\"noi\" is not added yet: it matches noise.")
        .is_some());
    assert!(h.query_by_label_contains("Save without a note?").is_some());

    focus(&mut h, "People who gave no name");
    type_text(&mut h, "2x");
    assert_eq!(field(&h, "People who gave no name").value().unwrap(), "2");
    assert!(h
        .query_by_label("Only a number goes here: \"x\" was not taken.")
        .is_some());

    // Enter picks the highlighted names; the note was asked about once, so this save goes.
    focus(&mut h, "Who");
    h.key_press(Key::Enter);
    h.run();
    focus(&mut h, "Topics");
    h.key_press(Key::Enter);
    h.run();
    assert!(h.query_by_label_contains("is not added yet").is_none());
    press_ctrl(&mut h, Key::Enter);
    let w = ws(&mut h);
    assert!(w.form.is_none(), "{:?}", w.form.as_ref().map(|f| &f.error));
    let saved = w
        .store
        .all::<Contact>()
        .unwrap()
        .into_iter()
        .find(|c| c.meta.id != s.contacts[0] && !s.contacts.contains(&c.meta.id))
        .unwrap();
    assert_eq!(saved.people, vec![s.mr_tran]);
    assert_eq!(w.lookup.tags_text(&saved.tags), "noise");
    assert_eq!(saved.unnamed, 2);
    assert_eq!(saved.note, "");
    assert_eq!(w.store.count::<Person>().unwrap(), people_before);
    assert_eq!(w.store.count::<Tag>().unwrap(), topics_before);

    // A name like none in the log is taken as typed: a new person, as picking "new" makes.
    press_ctrl(&mut h, Key::N);
    type_text(&mut h, "Darnell Hayes");
    focus(&mut h, "Note");
    type_text(&mut h, "New on the block.");
    press_ctrl(&mut h, Key::Enter);
    let w = ws(&mut h);
    assert!(w.form.is_none(), "{:?}", w.form.as_ref().map(|f| &f.error));
    let people = w.store.all::<Person>().unwrap();
    assert!(people.iter().any(|p| p.name == "Darnell Hayes"));
}

/// The fields come in the order they are used: a contact with a person, a topic, a note and a
/// promise due on a chosen day takes four moves between fields.
#[test]
fn a_contact_with_a_follow_up_takes_few_field_moves() {
    let dir = tempfile::tempdir().unwrap();
    set_up(dir.path());
    let mut h = app(dir.path());
    let mut moves = 0;
    let mut next = |h: &mut App, shortcut: Option<Key>| {
        moves += 1;
        match shortcut {
            Some(k) => h.key_press_modifiers(egui::Modifiers::ALT, k),
            None => h.key_press(Key::Tab),
        }
        h.run();
    };

    press_ctrl(&mut h, Key::N);
    type_text(&mut h, "Maria Lopez");
    next(&mut h, None);
    type_text(&mut h, "noise");
    next(&mut h, None);
    type_text(&mut h, "Music from the corner lot until 2am on Fridays.");
    next(&mut h, Some(Key::F));
    type_text(&mut h, "Ask the owner to keep it down");
    next(&mut h, None);
    h.key_press_modifiers(ctrl(), Key::A);
    type_text(&mut h, "2026-11-27");
    press_ctrl(&mut h, Key::Enter);
    assert!(moves <= 6, "{moves} field moves");

    let w = ws(&mut h);
    assert!(w.form.is_none(), "{:?}", w.form.as_ref().map(|f| &f.error));
    let c = &w.store.all::<Contact>().unwrap()[0];
    assert_eq!(w.lookup.people_names(&c.people), "Maria Lopez");
    assert_eq!(w.lookup.tags_text(&c.tags), "noise");
    assert_eq!(c.note, "Music from the corner lot until 2am on Fridays.");
    assert_eq!(c.unnamed, 0);
    let promise = &w.store.all::<FollowUp>().unwrap()[0];
    assert_eq!(promise.promise, "Ask the owner to keep it down");
    assert_eq!(promise.due, day(2026, 11, 27));
    assert_eq!(promise.person, Some(c.people[0]));
}

/// After the kind is picked with the mouse, Tab goes on to the next field, not back to "Who".
#[test]
fn tab_after_a_mouse_pick_goes_on_to_the_next_field() {
    let dir = tempfile::tempdir().unwrap();
    set_up(dir.path());
    let mut h = app(dir.path());
    press_ctrl(&mut h, Key::N);
    click(&mut h, "Kind");
    h.get_all_by_label("Community meeting or forum")
        .last()
        .unwrap()
        .click();
    h.run();
    assert_eq!(
        ws(&mut h).form.as_ref().unwrap().kind,
        ContactKind::CommunityMeeting
    );
    h.key_press(Key::Tab);
    h.run();
    assert!(h.get_by_label("Tone").is_focused());
    assert!(!h.get_by_label("Who").is_focused());
}

/// A title in the officer's name is not said twice in the top bar: "Sgt. Keisha Brown ·
/// Sergeant", not "Sergeant Sgt. Keisha Brown".
#[test]
fn a_title_in_the_name_is_not_said_twice_in_the_top_bar() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = app(dir.path());
    focus(&mut h, "Your name");
    type_text(&mut h, "Sgt. Keisha Brown");
    focus(&mut h, "Badge number");
    type_text(&mut h, "2231");
    click(&mut h, "Role");
    click(&mut h, "Sergeant");
    focus(&mut h, "Your first neighborhood (beat)");
    type_text(&mut h, "Riverside");
    click(&mut h, "Start");
    assert!(ws(&mut h).lookup.me().is_some(), "set up");
    assert!(h
        .query_by_label("Sgt. Keisha Brown · Sergeant · badge 2231")
        .is_some());
    assert!(h.query_by_label_contains("Sergeant Sgt.").is_none());
}

/// The backups in Settings give their size in the units people read (kB, MB), not "21069 KB".
#[test]
fn backup_sizes_are_in_the_units_people_read() {
    let dir = tempfile::tempdir().unwrap();
    seed(dir.path());
    let mut h = app(dir.path());
    click(&mut h, "Settings");
    let sizes: Vec<String> = h
        .query_all_by_label_contains(" · ")
        .filter_map(|n| n.accesskit_node().label().or_else(|| n.value()))
        .filter(|l| l.ends_with("B") || l.ends_with("bytes"))
        .collect();
    assert!(!sizes.is_empty(), "the day's backup is listed");
    for s in &sizes {
        let unit = s.rsplit(' ').next().unwrap();
        assert!(
            ["bytes", "kB", "MB", "GB"].contains(&unit),
            "{s}: a unit people read"
        );
    }
}

/// "Losing touch: not contacted for 30 days": the number comes before "days".
#[test]
fn the_losing_touch_number_reads_before_days() {
    let dir = tempfile::tempdir().unwrap();
    seed(dir.path());
    let mut h = app(dir.path());
    click(&mut h, "People");
    let number = h
        .get_by_role_and_label(egui::accesskit::Role::SpinButton, "days")
        .rect();
    let days = h
        .get_by_role_and_label(egui::accesskit::Role::Label, "days")
        .rect();
    let checkbox = h.get_by_label("Losing touch: not contacted for").rect();
    assert!(checkbox.left() < number.left(), "{checkbox:?} {number:?}");
    assert!(number.right() <= days.left(), "{number:?} {days:?}");
}

/// A follow-up's due date is shown once, in its field: the calendar button beside it does not
/// repeat it.
#[test]
fn the_due_date_of_a_follow_up_is_shown_once() {
    let dir = tempfile::tempdir().unwrap();
    seed(dir.path());
    let mut h = app(dir.path());
    press_ctrl(&mut h, Key::N);
    click(&mut h, "I promised a follow-up (Alt+F)");
    let due = field(&h, "Due").value().unwrap();
    assert!(beatbook::model::parse_date(&due).is_some(), "{due}");
    assert_eq!(
        h.query_all_by_label_contains(&due).count(),
        0,
        "{due} is the field's value, and said nowhere else"
    );
    assert!(h.query_by_label("Calendar").is_some());
}

/// "Name cannot be empty." goes as soon as the name is filled in again.
#[test]
fn settings_stop_saying_the_name_is_empty_once_it_is_filled_in() {
    let dir = tempfile::tempdir().unwrap();
    seed(dir.path());
    let mut h = app(dir.path());
    click(&mut h, "Settings");
    focus(&mut h, "Your name");
    h.key_press_modifiers(ctrl(), Key::A);
    h.key_press(Key::Backspace);
    h.run();
    click(&mut h, "Save profile");
    assert!(h.query_by_label("Name cannot be empty.").is_some());
    focus(&mut h, "Your name");
    type_text(&mut h, "Dana Reyes");
    assert!(
        h.query_by_label("Name cannot be empty.").is_none(),
        "the name is filled in"
    );
    click(&mut h, "Save profile");
    assert_eq!(ws(&mut h).lookup.me().unwrap().name, "Dana Reyes");
}
