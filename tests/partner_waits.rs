//! Promises that wait on a partner agency and the problem work that falls due, driven through
//! the real app: a wait typed with the keyboard and saved exactly, kept by an edit, refused
//! plainly without an agency; the Follow-ups screen saying what waits on whom; Today listing
//! the problem actions due and the partners to chase, each opening what it is about; "Open a
//! problem about this" from a saved contact; the exports carrying the wait.

use beatbook::model::{
    Action, ActionOwner, ActionStatus, Contact, FollowUp, FollowUpStatus, Id, Meta, PartnerWait,
    Person, Problem, Stage,
};
use beatbook::store::Store;
use beatbook::ui::command::{Command, Screen};
use chrono::{NaiveDate, TimeZone, Utc};
use egui::Key;
use egui_kittest::kittest::Queryable;

use crate::common::*;

/// The wait every test types or stores: public works, their work order, chased on 12 December.
fn public_works(chase: NaiveDate) -> PartnerWait {
    PartnerWait {
        agency: "Public works".into(),
        reference: "WO-1234".into(),
        chase: Some(chase),
    }
}

/// Presses Tab until the widget labelled `label` has the keyboard focus (at most `most` times),
/// as an officer walks the form.
fn tab_to(h: &mut App, label: &str, most: usize) {
    for _ in 0..most {
        if h.get_by_label(label).is_focused() {
            return;
        }
        h.key_press(Key::Tab);
        h.run();
    }
    assert!(h.get_by_label(label).is_focused(), "Tab reaches {label}");
}

/// Runs one frame that receives all these events, as a slow frame does.
fn in_one_frame(h: &mut App, events: impl IntoIterator<Item = egui::Event>) {
    h.input_mut().events.extend(events);
    h.step();
    settle(h);
}

fn key_down(key: Key) -> egui::Event {
    egui::Event::Key {
        key,
        physical_key: None,
        pressed: true,
        repeat: false,
        modifiers: egui::Modifiers::NONE,
    }
}

/// The open promise made at `contact`.
fn promise_of(h: &mut App, contact: Id) -> FollowUp {
    let all: Vec<FollowUp> = ws(h)
        .store
        .all::<FollowUp>()
        .unwrap()
        .into_iter()
        .filter(|f| f.contact == Some(contact))
        .collect();
    assert_eq!(all.len(), 1, "{all:?}");
    all.into_iter().next().unwrap()
}

#[test]
fn a_promise_waiting_on_public_works_is_typed_with_the_keyboard_and_saved_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let s = seed(dir.path());
    let mut h = app(dir.path());

    press_ctrl(&mut h, Key::N);
    type_text(&mut h, "Maria Lopez");
    h.key_press(Key::Tab);
    h.run();
    type_text(&mut h, "lighting");
    h.key_press(Key::Tab);
    h.run();
    type_text(
        &mut h,
        "The streetlight at Oak & 3rd has been out for a week.",
    );
    h.key_press_modifiers(egui::Modifiers::ALT, Key::F);
    h.run();
    type_text(&mut h, "Get the streetlight at Oak & 3rd fixed");
    h.key_press(Key::Tab);
    h.run();
    h.key_press_modifiers(ctrl(), Key::A);
    type_text(&mut h, "2026-12-04");
    // On past the due date's quick picks to the box, ticked with Space.
    tab_to(&mut h, "Waits on a partner agency", 8);
    h.key_press(Key::Space);
    settle(&mut h);
    assert!(ws(&mut h).form.as_ref().unwrap().waits, "Space ticks it");
    // A slow frame: Tab and the agency typed after it land in Agency.
    in_one_frame(
        &mut h,
        [key_down(Key::Tab), egui::Event::Text("Public works".into())],
    );
    assert!(field(&h, "Agency").is_focused());
    h.key_press(Key::Tab);
    h.run();
    type_text(&mut h, "WO-1234");
    h.key_press(Key::Tab);
    h.run();
    assert!(field(&h, "Chase on").is_focused());
    type_text(&mut h, "2026-12-12");
    press_ctrl(&mut h, Key::Enter);

    let w = ws(&mut h);
    assert!(
        w.form.is_none(),
        "{:?}",
        w.form.as_ref().map(|f| (&f.error, &f.messages))
    );
    let c = w
        .store
        .all::<Contact>()
        .unwrap()
        .into_iter()
        .max_by_key(|c| c.at)
        .unwrap();
    assert!(!s.contacts.contains(&c.meta.id));
    assert_eq!(w.lookup.people_names(&c.people), "Maria Lopez");
    let f = promise_of(&mut h, c.meta.id);
    assert_eq!(f.promise, "Get the streetlight at Oak & 3rd fixed");
    assert_eq!(f.due, day(2026, 12, 4));
    assert_eq!(f.person, Some(c.people[0]));
    assert_eq!(f.status, FollowUpStatus::Open);
    assert_eq!(f.waiting_on, Some(public_works(day(2026, 12, 12))));
    assert!(ws(&mut h).store.check().unwrap().is_ok());

    // Editing the contact keeps the wait as it was.
    ws(&mut h).apply(Command::EditContact(c.meta.id));
    settle(&mut h);
    focus(&mut h, "Note");
    h.key_press(Key::End);
    type_text(&mut h, " Neighbors say it flickers first.");
    press_ctrl(&mut h, Key::Enter);
    let w = ws(&mut h);
    assert!(w.form.is_none(), "{:?}", w.form.as_ref().map(|f| &f.error));
    let edited: Contact = w.store.get(c.meta.id).unwrap().unwrap();
    assert!(edited.note.ends_with("Neighbors say it flickers first."));
    assert_eq!(edited.meta.revision, 2);
    let kept = promise_of(&mut h, c.meta.id);
    assert_eq!(kept, f, "the promise and its wait are as saved");
}

/// A contact opened for editing shows its open promise with the partner it waits on, and a
/// reference typed later is saved into that same promise. The promise is found through the
/// contact index, and by reading the open promises before the index is built.
#[test]
fn an_edited_contact_shows_its_promise_and_a_new_reference_goes_into_it() {
    let dir = tempfile::tempdir().unwrap();
    let s = seed(dir.path());
    partner_work(dir.path(), &s);
    let unindexed = {
        let store = Store::open(dir.path(), &key()).unwrap();
        let contact: Contact = store.get(s.contacts[1]).unwrap().unwrap();
        assert!(!store.has_contact_index());
        beatbook::query::followups::open_promise_made_at(&store, &contact).unwrap()
    };
    let mut h = app(dir.path());
    let before = ws(&mut h).store.count::<FollowUp>().unwrap();
    let original = promise_of(&mut h, s.contacts[1]);
    assert_eq!(unindexed.as_ref(), Some(&original));

    assert!(ws(&mut h).store.has_contact_index());
    ws(&mut h).apply(Command::EditContact(s.contacts[1]));
    settle(&mut h);
    assert_eq!(
        field(&h, "What I promised").value().as_deref(),
        Some("Ask traffic unit about a speed survey on Oak Ave")
    );
    assert_eq!(field(&h, "Agency").value().as_deref(), Some("Public works"));
    assert_eq!(
        field(&h, "Their reference").value().as_deref(),
        Some("WO-1234")
    );
    assert_eq!(field(&h, "Chase on").value().as_deref(), Some("2026-11-20"));
    assert!(!ws(&mut h).form.as_ref().unwrap().is_dirty());

    focus(&mut h, "Their reference");
    h.key_press(Key::End);
    type_text(&mut h, "-B");
    click(&mut h, "In a week");
    press_ctrl(&mut h, Key::Enter);
    let w = ws(&mut h);
    assert!(w.form.is_none(), "{:?}", w.form.as_ref().map(|f| &f.error));
    assert_eq!(
        w.store.count::<FollowUp>().unwrap(),
        before,
        "no second promise"
    );
    let saved = promise_of(&mut h, s.contacts[1]);
    assert_eq!(saved.meta.id, original.meta.id);
    assert_eq!(saved.meta.revision, original.meta.revision + 1);
    assert_eq!(
        saved.waiting_on,
        Some(PartnerWait {
            agency: "Public works".into(),
            reference: "WO-1234-B".into(),
            chase: Some(day(2026, 12, 2)),
        })
    );
    assert_eq!(
        (saved.promise.as_str(), saved.due, &saved.status),
        (original.promise.as_str(), original.due, &original.status)
    );
}

#[test]
fn a_ticked_box_without_an_agency_is_said_and_nothing_is_saved() {
    let dir = tempfile::tempdir().unwrap();
    seed(dir.path());
    let mut h = app(dir.path());
    let before = {
        let w = ws(&mut h);
        (
            w.store.count::<Contact>().unwrap(),
            w.store.count::<FollowUp>().unwrap(),
            w.store.count::<Person>().unwrap(),
        )
    };

    press_ctrl(&mut h, Key::N);
    type_text(&mut h, "Maria Lopez");
    focus(&mut h, "Note");
    type_text(&mut h, "Asked about the dark alley.");
    h.key_press_modifiers(egui::Modifiers::ALT, Key::F);
    h.run();
    type_text(&mut h, "Ask public works about the alley lamps");
    click(&mut h, "Waits on a partner agency");
    focus(&mut h, "Their reference");
    type_text(&mut h, "WO-88");
    focus(&mut h, "Chase on");
    type_text(&mut h, "2026-12-02");
    press_ctrl(&mut h, Key::Enter);

    let w = ws(&mut h);
    let form = w.form.as_ref().expect("the form stays open");
    assert_eq!(
        form.error.as_deref(),
        Some("Not saved yet: see the message under Agency.")
    );
    assert_eq!(form.who.input, "", "the name was taken into Who");
    assert_eq!(form.note, "Asked about the dark alley.");
    assert_eq!(form.promise, "Ask public works about the alley lamps");
    assert_eq!(form.reference, "WO-88");
    assert_eq!(form.chase, "2026-12-02");
    assert_eq!(
        (
            w.store.count::<Contact>().unwrap(),
            w.store.count::<FollowUp>().unwrap(),
            w.store.count::<Person>().unwrap(),
        ),
        before,
        "nothing was written"
    );
    assert!(h
        .query_by_label(
            "Name the agency it waits on (public works, housing ...), or untick \"Waits on a \
             partner agency\"."
        )
        .is_some());

    // Named, the same form saves, and the message goes.
    focus(&mut h, "Agency");
    type_text(&mut h, "Public works");
    assert!(h.query_by_label_contains("Name the agency").is_none());
    press_ctrl(&mut h, Key::Enter);
    let w = ws(&mut h);
    assert!(w.form.is_none(), "{:?}", w.form.as_ref().map(|f| &f.error));
    let f = w
        .store
        .all::<FollowUp>()
        .unwrap()
        .into_iter()
        .find(|f| f.promise == "Ask public works about the alley lamps")
        .unwrap();
    assert_eq!(
        f.waiting_on,
        Some(PartnerWait {
            agency: "Public works".into(),
            reference: "WO-88".into(),
            chase: Some(day(2026, 12, 2)),
        })
    );
}

/// Problem work and waiting promises over the seeded history: Dana's problem in Riverside with
/// an action of hers overdue, one due in a few days, one due later, and a public works action
/// to chase since 23 November; Mr. Tran's promise waits on public works (chase 20 November,
/// past), Rosa's on the housing authority (chase 12 December, to come). Returns the problem.
pub fn partner_work(dir: &std::path::Path, s: &Seeded) -> Id {
    let store = Store::open(dir, &key()).unwrap();
    let at = Utc.with_ymd_and_hms(2026, 11, 4, 9, 0, 0).unwrap();
    let meta = || Meta::new(store.new_id_at(at).unwrap(), s.officer, at);
    let action = |what: &str, owner, due, status| Action {
        what: what.into(),
        owner: Some(owner),
        due,
        status,
    };
    let me = ActionOwner::Officer { officer: s.officer };
    let tags = store.all::<beatbook::model::Tag>().unwrap();
    let lighting = tags.iter().find(|t| t.name == "lighting").unwrap().meta.id;
    let problem = Problem {
        meta: meta(),
        title: "Dark alley behind the bakery".into(),
        neighborhood: s.riverside,
        places: vec!["alley behind 12 Main St".into()],
        topics: vec![lighting],
        owner: s.officer,
        noticed: day(2026, 11, 3),
        stage: Stage::Response,
        notes: Default::default(),
        contacts: vec![s.contacts[0], s.contacts[2]],
        actions: vec![
            action(
                "Walk the alley after dark with Rosa",
                me.clone(),
                Some(day(2026, 11, 22)),
                ActionStatus::InProgress,
            ),
            action(
                "Ask the merchants about motion lights",
                me.clone(),
                Some(day(2026, 11, 28)),
                ActionStatus::Planned,
            ),
            action(
                "Report back at the merchants' meeting",
                me,
                Some(day(2026, 12, 10)),
                ActionStatus::Planned,
            ),
            action(
                "Replace the two alley lamps",
                ActionOwner::Partner {
                    agency: "Public works".into(),
                    reference: "WO-5521".into(),
                    sent: Some(day(2026, 11, 9)),
                    chase: Some(day(2026, 11, 23)),
                },
                None,
                ActionStatus::InProgress,
            ),
        ],
        outcome: None,
        published: Vec::new(),
    };
    let id = store.save(problem, s.officer).unwrap().meta.id;
    let mut tran: FollowUp = store.get(s.overdue).unwrap().unwrap();
    tran.waiting_on = Some(public_works(day(2026, 11, 20)));
    store.save(tran, s.officer).unwrap();
    let mut rosa = store
        .all::<FollowUp>()
        .unwrap()
        .into_iter()
        .find(|f| f.promise == "Bring crime-prevention flyers for the bakery")
        .unwrap();
    rosa.waiting_on = Some(PartnerWait {
        agency: "Housing authority".into(),
        reference: String::new(),
        chase: Some(day(2026, 12, 12)),
    });
    store.save(rosa, s.officer).unwrap();
    id
}

#[test]
fn follow_ups_say_what_waits_on_whom() {
    let dir = tempfile::tempdir().unwrap();
    let s = seed(dir.path());
    partner_work(dir.path(), &s);
    let mut h = app(dir.path());

    click(&mut h, "Follow-ups");
    assert!(h
        .query_by_label("Waiting on Public works · ref WO-1234 · chase 20 Nov")
        .is_some());
    assert!(h
        .query_by_label("Waiting on Housing authority · chase 12 Dec")
        .is_some());

    click(&mut h, "Held up by a partner (2)");
    assert!(h
        .query_by_label_contains("Public works (1) · 1 to chase")
        .is_some());
    assert!(h.query_by_label_contains("Housing authority (1)").is_some());
    assert!(
        h.query_by_label_contains("Report the alley light")
            .is_none(),
        "a promise kept is not held up"
    );

    // The resident's receipt says what it waits on.
    h.get_all_by_label("Receipt...").next().unwrap().click();
    settle(&mut h);
    let receipt = ws(&mut h).receipt.clone().unwrap();
    assert!(
        receipt.text().contains("Waiting on: Housing authority\n"),
        "{}",
        receipt.text()
    );
}

#[test]
fn today_lists_the_problem_actions_due_and_the_partners_to_chase() {
    let dir = tempfile::tempdir().unwrap();
    let s = seed(dir.path());
    let problem = partner_work(dir.path(), &s);
    let mut h = app(dir.path());

    assert!(h
        .query_by_label("Problem actions due (2), 1 overdue")
        .is_some());
    assert!(
        h.query_by_label_contains("Report back at the merchants")
            .is_none(),
        "an action due in more than 7 days waits"
    );
    assert!(h.query_by_label("Partners to chase (2)").is_some());
    assert!(h.query_by_label("chase since 20 Nov").is_some());
    assert!(h.query_by_label("Public works · ref WO-5521").is_some());
    assert!(
        h.query_by_label_contains("Bring crime-prevention flyers")
            .is_none()
            || h.query_by_label("chase since 12 Dec").is_none(),
        "a chase date to come is not listed"
    );

    // The promise to chase opens the contact where it was made.
    click(
        &mut h,
        "Ask traffic unit about a speed survey on Oak Ave (to Mr. Tran)",
    );
    let w = ws(&mut h);
    let form = w.form.as_ref().expect("the contact opens");
    assert_eq!(
        form.original.as_ref().map(|c| c.meta.id),
        Some(s.contacts[1])
    );
    w.form = None;
    settle(&mut h);

    // The action opens its problem.
    click(
        &mut h,
        "Dark alley behind the bakery: Walk the alley after dark with Rosa",
    );
    let w = ws(&mut h);
    assert_eq!(w.screen, Screen::Problems);
    assert_eq!(w.problems.selected, Some(problem));
    w.apply(Command::Go(Screen::Today));
    settle(&mut h);
    click(
        &mut h,
        "Dark alley behind the bakery: Replace the two alley lamps",
    );
    let w = ws(&mut h);
    assert_eq!(w.screen, Screen::Problems);
    assert_eq!(w.problems.selected, Some(problem));
}

/// More than a few actions due: Today shows the first few and "Show all N".
#[test]
fn many_actions_due_show_a_few_then_all() {
    let dir = tempfile::tempdir().unwrap();
    let s = seed(dir.path());
    {
        let store = Store::open(dir.path(), &key()).unwrap();
        let at = Utc.with_ymd_and_hms(2026, 11, 4, 9, 0, 0).unwrap();
        let actions = (0..8)
            .map(|i| Action {
                what: format!("Knock on door {i}"),
                owner: Some(ActionOwner::Officer { officer: s.officer }),
                due: Some(day(2026, 11, 20 + i)),
                status: ActionStatus::Planned,
            })
            .collect();
        let problem = Problem {
            meta: Meta::new(store.new_id_at(at).unwrap(), s.officer, at),
            title: "Car break-ins on Elm".into(),
            neighborhood: s.riverside,
            places: Vec::new(),
            topics: Vec::new(),
            owner: s.officer,
            noticed: day(2026, 11, 3),
            stage: Stage::Response,
            notes: Default::default(),
            contacts: Vec::new(),
            actions,
            outcome: None,
            published: Vec::new(),
        };
        store.save(problem, s.officer).unwrap();
    }
    let mut h = app(dir.path());
    assert!(h
        .query_by_label("Problem actions due (8), 5 overdue")
        .is_some());
    assert!(h
        .query_by_label("Car break-ins on Elm: Knock on door 4")
        .is_some());
    assert!(h
        .query_by_label("Car break-ins on Elm: Knock on door 5")
        .is_none());
    click(&mut h, "Show all 8");
    assert!(h
        .query_by_label("Car break-ins on Elm: Knock on door 7")
        .is_some());
}

#[test]
fn a_saved_contact_opens_a_problem_about_it() {
    let dir = tempfile::tempdir().unwrap();
    let s = seed(dir.path());
    let mut h = app(dir.path());
    let lighting = {
        let w = ws(&mut h);
        w.lookup
            .tags
            .iter()
            .find(|t| t.name == "lighting")
            .unwrap()
            .meta
            .id
    };

    // A new contact has nothing to start from yet.
    press_ctrl(&mut h, Key::N);
    assert!(h.query_by_label("Open a problem about this").is_none());
    ws(&mut h).form = None;
    settle(&mut h);

    ws(&mut h).apply(Command::EditContact(s.contacts[2]));
    settle(&mut h);
    click(&mut h, "Open a problem about this");
    let w = ws(&mut h);
    assert!(w.form.is_none(), "the form made way for the problem");
    assert_eq!(w.screen, Screen::Problems);
    let id = w.problems.selected.expect("a new problem's page is open");
    let draft = &w.problems.drafts[&id];
    assert!(
        draft.saved.is_none(),
        "not saved until the officer saves it"
    );
    assert_eq!(draft.problem.title, "");
    assert_eq!(draft.problem.neighborhood, s.riverside);
    assert_eq!(draft.problem.places, vec!["Elm St & 5th".to_string()]);
    assert_eq!(draft.problem.topics, vec![lighting]);
    assert_eq!(draft.problem.contacts, vec![s.contacts[2]]);
}

#[test]
fn changes_not_saved_are_saved_before_the_problem_opens() {
    let dir = tempfile::tempdir().unwrap();
    let s = seed(dir.path());
    let mut h = app(dir.path());
    let id = s.contacts[2];

    ws(&mut h).apply(Command::EditContact(id));
    settle(&mut h);
    focus(&mut h, "Where");
    h.key_press_modifiers(ctrl(), Key::A);
    type_text(&mut h, "Rosa's Bakery");
    click(&mut h, "Open a problem about this");
    assert!(h
        .query_by_label("This contact has changes not saved yet. Save them, then open the problem?")
        .is_some());
    let w = ws(&mut h);
    assert_eq!(w.screen, Screen::Today, "nothing opened yet");
    assert_eq!(w.form.as_ref().unwrap().place, "Rosa's Bakery", "kept");

    // Keep editing goes back to the form as it was.
    click(&mut h, "Keep editing");
    assert!(h.query_by_label("Open a problem about this").is_some());
    click(&mut h, "Open a problem about this");
    click(&mut h, "Save and open a problem");
    let w = ws(&mut h);
    assert!(w.form.is_none(), "{:?}", w.form.as_ref().map(|f| &f.error));
    let saved: Contact = w.store.get(id).unwrap().unwrap();
    assert_eq!(saved.place, "Rosa's Bakery");
    assert_eq!(w.screen, Screen::Problems);
    let problem = w.problems.selected.unwrap();
    let draft = &w.problems.drafts[&problem];
    assert_eq!(draft.problem.places, vec!["Rosa's Bakery".to_string()]);
    assert_eq!(draft.problem.contacts, vec![id]);
}

#[test]
fn the_exports_carry_the_wait_and_the_csv_still_imports() {
    let dir = tempfile::tempdir().unwrap();
    let s = seed(dir.path());
    partner_work(dir.path(), &s);
    let store = Store::open(dir.path(), &key()).unwrap();

    let mut json = Vec::new();
    beatbook::export::export_json(&store, &mut json).unwrap();
    let v: serde_json::Value = serde_json::from_slice(&json).unwrap();
    let tran = v["followups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["promise"] == "Ask traffic unit about a speed survey on Oak Ave")
        .unwrap();
    let back: FollowUp = serde_json::from_value(tran.clone()).unwrap();
    assert_eq!(back.waiting_on, Some(public_works(day(2026, 11, 20))));

    let mut csv = Vec::new();
    beatbook::export::export_csv(&store, &mut csv).unwrap();
    let text = String::from_utf8(csv).unwrap();
    assert!(
        text.contains(
            "Ask traffic unit about a speed survey on Oak Ave (waiting on Public works, ref \
             WO-1234, chase 2026-11-20)"
        ),
        "{text}"
    );
    assert!(text.starts_with(&beatbook::export::CSV_HEADER.join(",")));
    let file = dir.path().join("contacts.csv");
    std::fs::write(&file, &text).unwrap();
    drop(store);

    let other = tempfile::tempdir().unwrap();
    let (me, _) = set_up(other.path());
    let fresh = Store::open(other.path(), &key()).unwrap();
    let summary = beatbook::import::import_csv(&fresh, &file, me).unwrap();
    assert_eq!(summary.contacts, 3);
    assert_eq!(
        fresh.count::<FollowUp>().unwrap(),
        0,
        "promises are not imported"
    );
}

/// Pictures, in both themes: Today with problem work and partners to chase, the Follow-ups
/// screen's promises held up by a partner, and the contact form with a promise that waits on
/// public works.
#[test]
fn the_partner_waits_and_todays_problem_work_look_right() {
    let dir = tempfile::tempdir().unwrap();
    let s = seed(dir.path());
    partner_work(dir.path(), &s);
    let mut h = app(dir.path());
    std::fs::remove_dir_all(dir.path().join("backups")).unwrap();
    let mut results = Vec::new();
    for (theme, prefix) in [(egui::Theme::Dark, ""), (egui::Theme::Light, "light_")] {
        h.ctx.set_theme(theme);
        ws(&mut h).apply(Command::Go(Screen::Today));
        h.step();
        ws(&mut h).wait_for_background_work();
        h.run();
        results.push(h.try_snapshot(format!("{prefix}today_problem_work")));

        ws(&mut h).apply(Command::Go(Screen::FollowUps));
        ws(&mut h).followups.view = beatbook::ui::screens::followups::FollowUpsView::HeldUp;
        h.step();
        ws(&mut h).wait_for_background_work();
        h.run();
        results.push(h.try_snapshot(format!("{prefix}follow_ups_held_up")));

        ws(&mut h).apply(Command::Go(Screen::Today));
        press_ctrl(&mut h, Key::N);
        type_text(&mut h, "Maria Lopez");
        h.key_press(Key::Enter);
        h.run();
        focus(&mut h, "Topics");
        type_text(&mut h, "lighting");
        h.key_press(Key::Enter);
        h.run();
        focus(&mut h, "Note");
        type_text(
            &mut h,
            "The streetlight at Oak & 3rd has been out for a week.",
        );
        h.key_press_modifiers(egui::Modifiers::ALT, Key::F);
        h.run();
        type_text(&mut h, "Get the streetlight at Oak & 3rd fixed");
        click(&mut h, "Waits on a partner agency");
        focus(&mut h, "Agency");
        type_text(&mut h, "Public works");
        focus(&mut h, "Their reference");
        type_text(&mut h, "WO-1234");
        focus(&mut h, "Chase on");
        type_text(&mut h, "2026-12-12");
        h.event(egui::Event::PointerGone);
        h.run();
        results.push(h.try_snapshot(format!("{prefix}contact_form_partner_wait")));
        ws(&mut h).form = None;
        h.run();
    }
    for r in results {
        r.unwrap();
    }
}
