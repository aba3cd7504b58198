//! The sergeant's side, driven through the real app: bundles exported by the officers' apps and
//! imported by the sergeant's, the review figures, returning an entry and seeing it come back,
//! the spot check, and the handover packet.

use std::path::{Path, PathBuf};

use beatbook::bundle::{read_bundle, write_bundle_file, BundleScope};
use beatbook::model::{Contact, Review, Verdict};
use beatbook::store::Store;
use beatbook::ui::dialogs::{FixedDialogs, FixedFiles, NoDialogs};
use egui::accesskit::Role as A11y;
use egui::Key;
use egui_kittest::kittest::{NodeT, Queryable};

use crate::common;
use crate::common::*;

/// "Export for review..." in the officer's own app, saved to `to`.
fn export_in_app(dir: &Path, to: &Path) {
    let mut h = app(dir);
    ws(&mut h).dialogs = Box::new(FixedDialogs(Some(to.to_path_buf())));
    click(&mut h, "Settings");
    click(&mut h, "Export for review...");
    assert!(to.exists(), "the bundle is written");
    let status = ws(&mut h).status.clone().unwrap();
    assert!(
        status.text.starts_with("Saved a bundle of"),
        "{}",
        status.text
    );
}

/// "Import bundles..." in the app, then "Import" in the preview.
fn import_in_app(h: &mut App, files: Vec<PathBuf>) {
    ws(h).dialogs = Box::new(FixedFiles(files));
    click(h, "Settings");
    click_and_wait(h, "Import bundles...");
    assert!(ws(h).pending_import.is_some(), "a preview comes first");
    approve_signers_in_preview(h);
    click_and_wait(h, "Import");
    assert!(ws(h).pending_import.is_none());
}

fn has(h: &App, label: &str) -> bool {
    h.query_by_label(label).is_some()
}

#[test]
fn two_officers_bundles_feed_the_review_figures() {
    let tmp = tempfile::tempdir().unwrap();
    let dana = seed(&tmp.path().join("dana")).officer;
    ali(&tmp.path().join("ali"));
    sergeant(&tmp.path().join("sam"));
    let (a, b) = (
        tmp.path().join("dana.bbundle"),
        tmp.path().join("ali.bbundle"),
    );
    export_in_app(&tmp.path().join("dana"), &a);
    export_in_app(&tmp.path().join("ali"), &b);

    let mut h = app(&tmp.path().join("sam"));
    ws(&mut h).dialogs = Box::new(FixedFiles(vec![a.clone(), b.clone()]));
    click(&mut h, "Settings");
    click_and_wait(&mut h, "Import bundles...");
    assert_eq!(
        h.query_all_by_label_contains("not approved here. Compare the fingerprint")
            .count(),
        2,
        "both keys wait for approval, with their fingerprints"
    );
    approve_signers_in_preview(&mut h);
    assert!(h.query_by_label_contains("From Dana Reyes:").is_some());
    assert!(h.query_by_label_contains("From Ali Khan:").is_some());
    assert!(
        ws(&mut h).store.all::<Contact>().unwrap().is_empty(),
        "nothing is written before the go-ahead"
    );
    click_and_wait(&mut h, "Import");
    let store = &ws(&mut h).store;
    assert_eq!(store.all::<Contact>().unwrap().len(), 5);
    assert!(store.check().unwrap().is_ok());

    click_and_wait(&mut h, "Review");
    // Last 4 weeks to Wednesday 25 November: every contact above. Worked out by hand from the
    // seeded log: Dana met Rosa twice and Mr. Tran once; of three promises one was kept on time
    // and one is overdue. Ali's two school visits reached no named person; one note is "ok".
    for (label, expected) in [
        ("Dana Reyes: contacts", 3),
        ("Dana Reyes: people reached", 2),
        ("Dana Reyes: people seen more than once", 1),
        ("Dana Reyes: follow-ups promised", 3),
        ("Dana Reyes: overdue", 1),
        ("Dana Reyes: meetings and events", 1),
        ("Dana Reyes: thin entries", 0),
        ("Ali Khan: contacts", 2),
        ("Ali Khan: people reached", 0),
        ("Ali Khan: started by the officer", 2),
        ("Ali Khan: thin entries", 1),
    ] {
        let spoken = format!("{label}, {expected}");
        assert!(has(&h, &spoken), "expected the figure \"{spoken}\"");
    }
    // Kept on time reads as the rate the table sorts by: kept of promised.
    assert!(has(&h, "Dana Reyes: kept on time, 1 of 3 (33%)"));
    // Both beats are named Riverside: they are one neighborhood on the sergeant's screen.
    assert!(has(&h, "Riverside: contacts, 4"));

    // A number lists the entries behind it.
    click(&mut h, "Ali Khan: contacts, 2");
    let shown = ws(&mut h).review.shown.clone().unwrap();
    assert_eq!(shown.figure.ids.len(), 2);
    assert!(h
        .query_by_label_contains("Thin entry: the narrative is empty or one word.")
        .is_some());

    // The charts render for the same figures.
    click(&mut h, "Charts");
    assert!(has(&h, "Contacts per week, by officer"));

    // The report exported from the screen carries the same numbers.
    let csv = tmp.path().join("report.csv");
    ws(&mut h).dialogs = Box::new(FixedDialogs(Some(csv.clone())));
    click(&mut h, "Export report as CSV...");
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(
        text.contains(r#""officer","Dana Reyes","contacts","3""#),
        "{text}"
    );
    let pdf = tmp.path().join("report.pdf");
    ws(&mut h).dialogs = Box::new(FixedDialogs(Some(pdf.clone())));
    click(&mut h, "Export report as PDF...");
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF-"));
    let _ = dana;
}

#[test]
fn a_returned_entry_comes_back_to_the_officer_and_the_answer_to_the_sergeant() {
    let tmp = tempfile::tempdir().unwrap();
    let (dana_dir, sam_dir) = (tmp.path().join("dana"), tmp.path().join("sam"));
    let seeded = seed(&dana_dir);
    sergeant(&sam_dir);
    let to_sam = tmp.path().join("dana.bbundle");
    write_bundle_file(
        &Store::open(&dana_dir, &common::key()).unwrap(),
        BundleScope::Everything,
        &to_sam,
    )
    .unwrap();
    import_bundle(&sam_dir, &to_sam);

    // The sergeant returns the oldest entry with a reason and a comment.
    let mut h = app(&sam_dir);
    click_and_wait(&mut h, "Review");
    click(&mut h, "Entries to review");
    assert!(h
        .query_by_label_contains("3 entries not yet reviewed")
        .is_some());
    let reason = h
        .get_all_by_role_and_label(A11y::MultilineTextInput, "Reason to return it")
        .next()
        .unwrap();
    reason.focus();
    h.run();
    type_text(&mut h, "Which light? Add the pole number.");
    let comment = h
        .get_all_by_role_and_label(A11y::MultilineTextInput, "Coaching comment (optional)")
        .next()
        .unwrap();
    comment.focus();
    h.run();
    type_text(&mut h, "Good follow-through with Rosa.");
    h.get_all_by_label("Return to officer")
        .next()
        .unwrap()
        .click();
    h.run();
    let reviews = ws(&mut h).store.all::<Review>().unwrap();
    assert_eq!(reviews.len(), 1);
    assert_eq!(reviews[0].contact, seeded.contacts[0]);
    assert_eq!(
        reviews[0].verdict,
        Verdict::Returned {
            reason: "Which light? Add the pole number.".into()
        }
    );
    assert!(h
        .query_by_label_contains("2 entries not yet reviewed")
        .is_some());

    // Returning without a reason is refused and writes nothing.
    h.get_all_by_label("Return to officer")
        .next()
        .unwrap()
        .click();
    h.run();
    assert!(ws(&mut h).status.as_ref().unwrap().is_error);
    assert_eq!(ws(&mut h).store.all::<Review>().unwrap().len(), 1);

    // Marking the next one reviewed takes it off the queue too.
    h.get_all_by_label("Mark reviewed").next().unwrap().click();
    h.run();
    assert!(h
        .query_by_label_contains("1 entries not yet reviewed")
        .is_some());

    // The reviews travel back to Dana.
    let to_dana = tmp.path().join("reviews.bbundle");
    ws(&mut h).dialogs = Box::new(FixedDialogs(Some(to_dana.clone())));
    click(&mut h, "Settings");
    click(&mut h, "Export reviews for this officer...");
    drop(h);

    let mut h = app(&dana_dir);
    import_in_app(&mut h, vec![to_dana]);
    click(&mut h, "Today");
    assert!(h
        .query_by_label_contains("From your sergeant (1 to answer)")
        .is_some());
    assert!(h
        .query_by_label_contains("Returned by Sam Ortiz: Which light? Add the pole number.")
        .is_some());
    assert!(h
        .query_by_label_contains("Comment from Sam Ortiz: Good follow-through with Rosa.")
        .is_some());

    // Dana answers by editing the entry.
    click(&mut h, "Answer by editing");
    focus(&mut h, "Note");
    h.key_press_modifiers(ctrl(), Key::End);
    type_text(&mut h, " Pole 17-B.");
    press_ctrl(&mut h, Key::Enter);
    let c: Contact = ws(&mut h).store.get(seeded.contacts[0]).unwrap().unwrap();
    assert!(c.note.ends_with("Pole 17-B."), "{}", c.note);
    assert_eq!(c.meta.revision, 2);
    let history = ws(&mut h).store.history::<Contact>(c.meta.id).unwrap();
    assert_eq!(
        history.len(),
        1,
        "the reviewed original stays in the history"
    );
    assert!(h
        .query_by_label_contains("From your sergeant (0 to answer)")
        .is_some());

    // Her next bundle brings the answer back to the sergeant's queue.
    let again = tmp.path().join("dana-2.bbundle");
    ws(&mut h).dialogs = Box::new(FixedDialogs(Some(again.clone())));
    click(&mut h, "Settings");
    click(&mut h, "Export for review...");
    drop(h);
    import_bundle(&sam_dir, &again);
    let mut h = app(&sam_dir);
    click_and_wait(&mut h, "Review");
    click(&mut h, "Entries to review");
    assert!(h
        .query_by_label_contains("2 entries not yet reviewed")
        .is_some());
    assert!(h
        .query_by_label_contains("The officer has edited it since.")
        .is_some());
}

#[test]
fn a_spot_check_draws_a_few_entries_per_officer() {
    let tmp = tempfile::tempdir().unwrap();
    let sam_dir = squad(tmp.path());
    let mut h = app(&sam_dir);
    click_and_wait(&mut h, "Review");
    click(&mut h, "Entries to review");
    // Up to three per officer: Dana has three entries in the period and Ali two.
    click(&mut h, "Spot check");
    assert!(h
        .query_by_label_contains(
            "A random sample of up to 3 entries per officer from this period (5 in all)."
        )
        .is_some());
    assert_eq!(
        h.get_all_by_label("Mark reviewed").count(),
        5,
        "each sampled entry can be reviewed"
    );
}

#[test]
fn the_handover_packet_names_people_promises_and_notes() {
    let tmp = tempfile::tempdir().unwrap();
    let s = seed(tmp.path());
    let mut h = app(tmp.path());
    click(&mut h, "Neighborhoods");
    ws(&mut h).neighborhoods.selected = Some(s.elm_park);
    h.run();
    let out = tmp.path().join("handover.txt");
    ws(&mut h).dialogs = Box::new(FixedDialogs(Some(out.clone())));
    click(&mut h, "Handover packet (text)...");
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains("Elm Park"), "{text}");
    assert!(text.contains("Mr. Tran"), "{text}");
    assert!(
        text.contains("Ask traffic unit about a speed survey on Oak Ave"),
        "{text}"
    );
    assert!(!text.contains("Rosa Delgado"), "Rosa lives in Riverside");

    let pdf = tmp.path().join("handover.pdf");
    ws(&mut h).dialogs = Box::new(FixedDialogs(Some(pdf.clone())));
    click(&mut h, "Handover packet (PDF)...");
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF-"));
}

#[test]
fn without_a_file_dialog_a_bundle_path_can_be_typed() {
    let tmp = tempfile::tempdir().unwrap();
    seed(tmp.path());
    let mut h = app(tmp.path());
    ws(&mut h).dialogs = Box::new(NoDialogs);
    click(&mut h, "Settings");
    click(&mut h, "Export for review...");
    let status = ws(&mut h).status.clone().unwrap();
    assert!(status.is_error && status.text.contains("No file dialog could be shown"));
    let out = tmp.path().join("typed.bbundle");
    let offered = ws(&mut h).typed_path.as_ref().unwrap().text.clone();
    assert!(
        offered.ends_with(".bbundle"),
        "a full path is offered: {offered}"
    );
    focus(&mut h, "Save the bundle to");
    press_ctrl(&mut h, Key::A);
    type_text(&mut h, out.to_str().unwrap());
    click(&mut h, "Use this path");
    assert!(read_bundle(&out, &common::squad_key()).is_ok());
    assert!(ws(&mut h).typed_path.is_none());

    // Importing a damaged bundle by typed path: a plain message, nothing written.
    let damaged = tmp.path().join("damaged.bbundle");
    let bytes = std::fs::read(&out).unwrap();
    std::fs::write(&damaged, &bytes[..bytes.len() / 2]).unwrap();
    click(&mut h, "Import bundles...");
    focus(&mut h, "Bundles to import (one path per line)");
    type_text(&mut h, damaged.to_str().unwrap());
    click_and_wait(&mut h, "Use this path");
    let status = ws(&mut h).status.clone().unwrap();
    assert!(
        status.is_error && status.text.contains("damaged"),
        "{}",
        status.text
    );
    assert!(ws(&mut h).pending_import.is_none());
}

/// A squad of sixty: the officers' rows out of view show only the name, and scrolling down
/// brings the numbers of the last one into view.
#[test]
fn a_large_squads_rows_show_their_numbers_once_scrolled_into_view() {
    use beatbook::demo::{generate, DemoOptions};
    use beatbook::model::{normalize_name, Officer, Role};
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("sam");
    sergeant(&dir);
    {
        let store = Store::open(&dir, &key()).unwrap();
        let opts = DemoOptions {
            officers: 60,
            neighborhoods: 3,
            contacts: 300,
            seed: 3,
        };
        generate(&store, &opts, &mut |_, _| {}).unwrap();
    }
    let mut officers: Vec<Officer> = Store::open(&dir, &key())
        .unwrap()
        .all::<Officer>()
        .unwrap()
        .into_iter()
        .filter(|o| o.role == Role::Officer)
        .collect();
    officers.sort_by_key(|o| normalize_name(&o.name));
    assert!(officers.len() > 40, "{}", officers.len());

    let mut h = app(&dir);
    click(&mut h, "Review");
    ws(&mut h).wait_for_background_work();
    h.run();
    let numbers_of = |h: &App, o: &Officer| {
        h.query_by_label_contains(&format!("{}: contacts, ", o.name))
            .is_some()
    };
    for o in &officers {
        assert!(
            has(&h, &format!("{} ({})", o.name, o.badge)),
            "every name is listed"
        );
    }
    let (shown, hidden): (Vec<&Officer>, Vec<&Officer>) =
        officers.iter().partition(|o| numbers_of(&h, o));
    assert!(
        shown.len() > 5 && hidden.len() > 5,
        "rows in view have their numbers, rows out of view only the name ({} and {})",
        shown.len(),
        hidden.len()
    );
    h.hover_at(egui::pos2(600.0, 500.0));
    for _ in 0..40 {
        h.event(egui::Event::MouseWheel {
            unit: egui::MouseWheelUnit::Line,
            delta: egui::vec2(0.0, -5.0),
            modifiers: egui::Modifiers::NONE,
            phase: egui::TouchPhase::Move,
            source: egui::MouseWheelSource::Wheel,
        });
        h.run();
    }
    assert!(
        hidden.iter().any(|o| numbers_of(&h, o)),
        "scrolled into view, rows have their numbers"
    );
    assert!(
        shown.iter().any(|o| !numbers_of(&h, o)),
        "and rows scrolled out of view only their names"
    );
}

/// A custom period with a day the calendar does not have says so (the date is written as
/// asked), and the tabs and export buttons stay, with the last valid period.
#[test]
fn a_custom_period_on_a_day_that_does_not_exist_says_so_and_keeps_the_last_period() {
    let tmp = tempfile::tempdir().unwrap();
    let sam_dir = squad(tmp.path());
    let mut h = app(&sam_dir);
    click_and_wait(&mut h, "Review");
    click(&mut h, "Period");
    click(&mut h, "Custom dates");
    let shown = ws(&mut h).review.from.clone();
    assert!(
        !shown.is_empty(),
        "custom dates start as the last four weeks"
    );
    focus(&mut h, "From");
    h.key_press_modifiers(ctrl(), Key::A);
    type_text(&mut h, "2026-02-30");
    assert!(
        h.query_by_label("First day: 2026-02-30 does not exist: check the day and the month.")
            .is_some(),
        "the date is written as asked: the day is what is wrong"
    );
    assert!(
        !has(&h, "YYYY-MM-DD"),
        "not told to write it as it is written"
    );
    for kept in [
        "Figures",
        "Charts",
        "Entries to review",
        "Export report as PDF...",
        "Export report as CSV...",
    ] {
        assert!(has(&h, kept), "{kept} stays");
    }
    assert!(
        h.query_by_label_contains("(28 days)").is_some(),
        "the last valid period stays in use"
    );
}

/// The list behind a figure counts in words that agree with the number: "1 follow-up", not
/// "1 follow-ups".
#[test]
fn the_list_behind_a_figure_says_one_in_the_singular() {
    let tmp = tempfile::tempdir().unwrap();
    let sam_dir = squad(tmp.path());
    let mut h = app(&sam_dir);
    click_and_wait(&mut h, "Review");
    click_and_wait(&mut h, "Dana Reyes: overdue, 1");
    assert!(
        has(&h, "1 follow-up behind this figure"),
        "{:?}",
        h.query_by_label_contains("behind this figure")
            .and_then(|n| n.accesskit_node().label())
    );
}

/// "Answer by editing" on Today opens the entry with the sergeant's reason and coaching comment
/// at the top of the form; once the edit is saved the entry is answered and opens plain.
#[test]
fn answering_a_returned_entry_shows_the_sergeants_reason_in_the_form() {
    let tmp = tempfile::tempdir().unwrap();
    let (dana_dir, sam_dir) = (tmp.path().join("dana"), tmp.path().join("sam"));
    let seeded = seed(&dana_dir);
    let sam = sergeant(&sam_dir);
    let to_sam = tmp.path().join("dana.bbundle");
    write_bundle_file(
        &Store::open(&dana_dir, &common::key()).unwrap(),
        BundleScope::Everything,
        &to_sam,
    )
    .unwrap();
    import_bundle(&sam_dir, &to_sam);
    // The sergeant returns the oldest entry with a reason and a comment, and sends it back.
    let to_dana = tmp.path().join("reviews.bbundle");
    {
        let store = Store::open(&sam_dir, &common::key()).unwrap();
        let c: Contact = store.get(seeded.contacts[0]).unwrap().unwrap();
        let review = Review {
            meta: store.new_meta(sam).unwrap(),
            contact: c.meta.id,
            contact_revision: c.meta.revision,
            verdict: Verdict::Returned {
                reason: "Which light? Add the pole number.".into(),
            },
            comment: "Good follow-through with Rosa.".into(),
        };
        store.save(review, sam).unwrap();
        write_bundle_file(&store, BundleScope::ReviewsFor(seeded.officer), &to_dana).unwrap();
    }
    import_bundle(&dana_dir, &to_dana);

    let reason = "Returned by Sam Ortiz: Which light? Add the pole number.";
    let comment = "Comment from Sam Ortiz: Good follow-through with Rosa.";
    let mut h = app(&dana_dir);
    click(&mut h, "Today");
    assert_eq!(h.query_all_by_label(reason).count(), 1, "on Today");
    click(&mut h, "Answer by editing");
    assert!(has(&h, "Edit contact"), "the entry opens");
    assert_eq!(
        h.query_all_by_label(reason).count(),
        2,
        "the reason is in the form as well as on Today"
    );
    assert_eq!(h.query_all_by_label(comment).count(), 2, "and the comment");
    let returned = ws(&mut h).form.as_ref().unwrap().returned.clone().unwrap();
    assert_eq!(returned.sergeant, "Sam Ortiz");
    assert_eq!(returned.reason, "Which light? Add the pole number.");

    // The answer is saved; opened again, the entry is answered and shows no reason.
    focus(&mut h, "Note");
    h.key_press_modifiers(ctrl(), Key::End);
    type_text(&mut h, " Pole 17-B.");
    press_ctrl(&mut h, Key::Enter);
    assert!(ws(&mut h).form.is_none(), "saved");
    ws(&mut h).apply(beatbook::ui::command::Command::EditContact(
        seeded.contacts[0],
    ));
    settle(&mut h);
    assert!(has(&h, "Edit contact"));
    assert!(ws(&mut h).form.as_ref().unwrap().returned.is_none());
    assert_eq!(h.query_all_by_label(reason).count(), 0);
}
