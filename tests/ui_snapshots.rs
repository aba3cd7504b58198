//! Pictures of every main screen over a small fixed neighborhood history, compared with the
//! committed images in tests/snapshots (regenerate with UPDATE_SNAPSHOTS=1).

use beatbook::ui::command::{Command, Screen};
use egui_kittest::kittest::Queryable;

use crate::common;
use crate::common::*;

/// A fresh folder at a fixed path, so the path shown in Settings is the same on every run.
fn fixed_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("beatbook-snapshot-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[test]
fn main_screens_look_right() {
    let dir = fixed_dir("screens");
    let s = seed(&dir);
    let mut h = app(&dir);
    // The day's backup carries the real time and size: leave it out of the pictures.
    std::fs::remove_dir_all(dir.join("backups")).unwrap();
    let people = |h: &mut App, screen| {
        if screen == Screen::People {
            ws(h).apply(Command::OpenPerson(s.rosa));
        }
    };
    for r in screens_then_form(&mut h, &Screen::ALL, people, "screen_", "contact_form") {
        r.unwrap();
    }
}

/// Pictures of `screens` (what each works out beside the UI ready first; `open` may go
/// further into one), each named `prefix` and the screen's name, then of the contact form
/// with "Ro" typed in "Who", named `form`.
fn screens_then_form(
    h: &mut App,
    screens: &[Screen],
    open: impl Fn(&mut App, Screen),
    prefix: &str,
    form: &str,
) -> Vec<Result<(), egui_kittest::SnapshotError>> {
    let mut results = Vec::new();
    for &screen in screens {
        ws(h).apply(Command::Go(screen));
        open(h, screen);
        h.step();
        ws(h).wait_for_background_work();
        h.run();
        results.push(h.try_snapshot(format!("{prefix}{}", screen.label().to_lowercase())));
    }
    ws(h).apply(Command::Go(Screen::Today));
    h.run();
    h.get_by_label("Log a contact (Ctrl+N)").click();
    // The form's list scrolls once its fields are touch-sized: it settles a frame later.
    settle(h);
    h.event(egui::Event::Text("Ro".into()));
    h.run();
    results.push(h.try_snapshot(form));
    results
}

#[test]
fn onboarding_looks_right() {
    let dir = fixed_dir("onboarding");
    let mut h = app(&dir);
    h.snapshot("onboarding");
}

#[test]
fn the_lock_screens_look_right() {
    // The first run: the passphrase is chosen, and a weak one is explained.
    let dir = fixed_dir("choose-passphrase");
    let mut h = locked_app(&dir);
    type_secret(&mut h, "Passphrase", "riverside");
    let first = h.try_snapshot("choose_passphrase");
    drop(h);
    // Every later start: a wrong passphrase says how many tries are left.
    let dir = fixed_dir("locked");
    seed(&dir);
    let mut h = locked_app(&dir);
    unlock(&mut h, "Not-The-Passphrase-1");
    let locked = h.try_snapshot("lock_screen");
    // After five, the lock screen says until when it refuses.
    for _ in 1..beatbook::store::MAX_FAILED_UNLOCKS {
        unlock(&mut h, "Not-The-Passphrase-1");
    }
    let locked_out = h.try_snapshot("lock_screen_locked_out");
    first.unwrap();
    locked.unwrap();
    locked_out.unwrap();
}

#[test]
fn the_purge_preview_and_the_forget_request_look_right() {
    let dir = fixed_dir("privacy");
    let s = seed(&dir);
    add_old_entries(&dir, &s);
    let mut h = app(&dir);
    std::fs::remove_dir_all(dir.join("backups")).unwrap();
    ws(&mut h).apply(Command::Go(Screen::Settings));
    h.run();
    h.get_by_label("Preview purge...").scroll_to_me();
    h.run();
    let settings = h.try_snapshot("settings_retention");
    ws(&mut h).apply(Command::PreviewPurge);
    h.run();
    let purge = h.try_snapshot("purge_preview");
    ws(&mut h).apply(Command::CancelRemoval);
    ws(&mut h).apply(Command::AskForget(s.rosa));
    h.run();
    let forget = h.try_snapshot("forget_person");
    settings.unwrap();
    purge.unwrap();
    forget.unwrap();
}

#[test]
fn the_recovery_screen_looks_right() {
    let dir = fixed_dir("recovery");
    seed(&dir);
    let made = beatbook::store::Store::open(&dir, &common::key())
        .unwrap()
        .backup("by hand")
        .unwrap()
        .path;
    // Fixed names and times, so the picture is the same on every run.
    let backups = dir.join("backups");
    std::fs::rename(
        &made,
        backups.join("beatbook-20261120-090000-start-of-day.bbk"),
    )
    .unwrap();
    for e in std::fs::read_dir(&backups).unwrap() {
        let p = e.unwrap().path();
        if !p.ends_with("beatbook-20261120-090000-start-of-day.bbk") {
            std::fs::remove_file(p).unwrap();
        }
    }
    // Cut the log short, as a disk fault would: the seal no longer finds the last save.
    cut_log_short(&dir);
    let mut h = app(&dir);
    h.snapshot("recovery");
}

#[test]
fn the_review_screens_look_right() {
    review_screens(egui::Theme::Dark, "");
}

#[test]
fn the_review_screens_look_right_in_the_light_theme() {
    review_screens(egui::Theme::Light, "light_");
}

/// The sergeant's screens over two officers' work, in `theme`, each snapshot's name after
/// `prefix`: the figures, a list behind one, the charts, the queue, the merge preview, the
/// sergeant's Today and the list of shortcuts.
fn review_screens(theme: egui::Theme, prefix: &str) {
    let root = fixed_dir(if prefix.is_empty() {
        "review"
    } else {
        "review-light"
    });
    std::fs::create_dir_all(&root).unwrap();
    let sam = squad(&root);
    let mut h = app(&sam);
    h.ctx.set_theme(theme);
    std::fs::remove_dir_all(sam.join("backups")).unwrap();
    let mut results = Vec::new();
    let mut shot =
        |h: &mut App, name: &str| results.push(h.try_snapshot(format!("{prefix}{name}")));
    ws(&mut h).apply(Command::Go(Screen::Today));
    h.step();
    ws(&mut h).wait_for_background_work();
    h.run();
    shot(&mut h, "sergeant_today");
    h.key_press(egui::Key::F1);
    h.run();
    shot(&mut h, "shortcut_help");
    h.key_press(egui::Key::Escape);
    h.run();
    ws(&mut h).apply(Command::Go(Screen::Review));
    // The figures are worked out beside the UI: the first frame starts them.
    h.step();
    ws(&mut h).wait_for_background_work();
    h.run();
    shot(&mut h, "review_figures");
    h.get_by_label("Dana Reyes: overdue, 1").click();
    h.run();
    shot(&mut h, "review_behind");
    for tab in ["Charts", "Entries to review"] {
        h.get_by_label(tab).click();
        h.run();
        shot(
            &mut h,
            &format!("review_{}", tab.to_lowercase().replace(' ', "_")),
        );
    }
    // The merge preview, over a second bundle from Dana.
    let bundle = root.join("dana.bbundle");
    let plan = {
        let w = ws(&mut h);
        let b = beatbook::bundle::read_bundle(&bundle, &common::squad_key()).unwrap();
        beatbook::bundle::plan_import(&w.store, vec![b]).unwrap()
    };
    ws(&mut h).pending_import = Some(beatbook::ui::exchange::PendingImport {
        choices: vec![],
        plan,
    });
    h.run();
    shot(&mut h, "bundle_import_preview");
    for r in results {
        r.unwrap();
    }
}

/// The review's community problems over three officers' problems, in both themes: the tables,
/// and the list behind one figure (two problems, one with no action for 30 days).
#[test]
fn the_review_problems_look_right() {
    let dir = fixed_dir("review-problems");
    crate::review_problems::squad_with_problems(&dir);
    let mut h = app(&dir);
    std::fs::remove_dir_all(dir.join("backups")).unwrap();
    let mut results = Vec::new();
    for (theme, prefix) in [(egui::Theme::Dark, ""), (egui::Theme::Light, "light_")] {
        h.ctx.set_theme(theme);
        ws(&mut h).review.shown = None;
        ws(&mut h).apply(Command::Go(Screen::Review));
        h.step();
        ws(&mut h).wait_for_background_work();
        h.run();
        h.get_by_label("Community problems").click();
        h.run();
        results.push(h.try_snapshot(format!("{prefix}review_problems")));
        h.get_by_label("Dana Reyes: open problems, 2").click();
        h.run();
        results.push(h.try_snapshot(format!("{prefix}review_problems_behind")));
    }
    for r in results {
        r.unwrap();
    }
}

#[test]
fn the_promise_receipt_looks_right() {
    let dir = fixed_dir("receipt");
    let s = seed(&dir);
    let mut h = app(&dir);
    std::fs::remove_dir_all(dir.join("backups")).unwrap();
    ws(&mut h).apply(Command::ShowReceipt(s.overdue));
    h.run();
    h.snapshot("promise_receipt");
}

#[test]
fn the_sergeants_settings_feedback_and_warnings_look_right() {
    use beatbook::bundle::{write_bundle_file, BundleScope};
    use beatbook::model::{Review, Verdict};
    let root = fixed_dir("sergeant");
    std::fs::create_dir_all(&root).unwrap();
    let sam = squad(&root);
    let mut results = Vec::new();
    {
        let mut h = app(&sam);
        std::fs::remove_dir_all(sam.join("backups")).unwrap();
        ws(&mut h).apply(Command::Go(Screen::Settings));
        h.run();
        results.push(h.try_snapshot("settings_sergeant"));
        // A returned entry, sent back to Dana.
        let w = ws(&mut h);
        let dana = w
            .lookup
            .officers
            .values()
            .find(|o| o.name == "Dana Reyes")
            .unwrap()
            .meta
            .id;
        let me = w.lookup.me().unwrap().meta.id;
        let c = w
            .store
            .all::<beatbook::model::Contact>()
            .unwrap()
            .into_iter()
            .find(|c| c.meta.owner() == dana)
            .unwrap();
        let review = Review {
            meta: w.store.new_meta(me).unwrap(),
            contact: c.meta.id,
            contact_revision: c.meta.revision,
            verdict: Verdict::Returned {
                reason: "Which light? Add the pole number.".into(),
            },
            comment: "Good follow-through with Rosa.".into(),
        };
        w.store.save(review, me).unwrap();
        write_bundle_file(
            &w.store,
            BundleScope::ReviewsFor(dana),
            &root.join("back.bbundle"),
        )
        .unwrap();
    }
    import_bundle(&root.join("dana"), &root.join("back.bbundle"));
    let mut h = app(&root.join("dana"));
    let _ = std::fs::remove_dir_all(root.join("dana").join("backups"));
    results.push(h.try_snapshot("today_feedback"));
    // Answering it: the sergeant's reason and comment head the form, in both themes.
    click(&mut h, "Answer by editing");
    h.event(egui::Event::PointerGone);
    h.run();
    results.push(h.try_snapshot("contact_form_returned"));
    h.ctx.set_theme(egui::Theme::Light);
    h.run();
    results.push(h.try_snapshot("light_contact_form_returned"));
    h.ctx.set_theme(egui::Theme::Dark);
    ws(&mut h).form = None;
    h.run();
    ws(&mut h).apply(Command::NewContact);
    h.run();
    h.event(egui::Event::Text("Ro".into()));
    h.run();
    let note = h.get_by_role_and_label(egui::accesskit::Role::MultilineTextInput, "Note");
    note.focus();
    h.run();
    h.event(egui::Event::Text(
        "Says the corner group are gang members.".into(),
    ));
    h.run();
    results.push(h.try_snapshot("contact_form_warning"));
    for r in results {
        r.unwrap();
    }
}

#[test]
fn the_losing_touch_list_and_a_form_before_everyone_is_read_look_right() {
    let dir = fixed_dir("losing-touch");
    seed(&dir);
    let mut h = app(&dir);
    std::fs::remove_dir_all(dir.join("backups")).unwrap();
    ws(&mut h).apply(Command::Go(Screen::People));
    let people = &mut ws(&mut h).people;
    people.losing_only = true;
    people.losing_days = 10;
    h.step();
    ws(&mut h).wait_for_background_work();
    h.run();
    let losing = h.try_snapshot("people_losing_touch");

    ws(&mut h).lookup.forget_people();
    ws(&mut h).apply(Command::Go(Screen::Today));
    h.run();
    h.get_by_label("Log a contact (Ctrl+N)").click();
    // The form's list scrolls once its fields are touch-sized: it settles a frame later.
    settle(&mut h);
    h.event(egui::Event::Text("rosa".into()));
    h.run();
    let form = h.try_snapshot("contact_form_reading_names");
    losing.unwrap();
    form.unwrap();
}

/// The contact form after a save that stopped before writing: an unfinished name and topic
/// that match names in the log, a letter refused in the count, the empty note asked about,
/// and the promise opened with Alt+F.
#[test]
fn a_contact_form_that_stopped_a_save_looks_right() {
    let dir = fixed_dir("form_unsettled");
    seed(&dir);
    let mut h = app(&dir);
    let _ = std::fs::remove_dir_all(dir.join("backups"));
    press_ctrl(&mut h, egui::Key::N);
    type_text(&mut h, "Tr");
    focus(&mut h, "Topics");
    type_text(&mut h, "noi");
    focus(&mut h, "People who gave no name");
    type_text(&mut h, "3a");
    h.key_press_modifiers(egui::Modifiers::ALT, egui::Key::F);
    h.run();
    type_text(&mut h, "Ask traffic unit about Oak Ave");
    press_ctrl(&mut h, egui::Key::Enter);
    h.try_snapshot("contact_form_unsettled").unwrap();
}

/// The main screens in the light theme made for daylight: Today, the Log, Settings (its
/// Display section in view) and the contact form.
#[test]
fn the_main_screens_look_right_in_the_light_theme() {
    let dir = fixed_dir("light");
    seed(&dir);
    let mut h = app(&dir);
    std::fs::remove_dir_all(dir.join("backups")).unwrap();
    h.ctx.set_theme(egui::Theme::Light);
    let screens = [Screen::Today, Screen::Log, Screen::Settings];
    for r in screens_then_form(&mut h, &screens, |_, _| {}, "light_", "light_contact_form") {
        r.unwrap();
    }
}

/// The "cannot open" screen of a data folder that is a file, in both themes.
#[test]
fn a_data_folder_that_is_a_file_looks_right() {
    let file = std::env::temp_dir().join("beatbook-snapshot-file.txt");
    std::fs::write(&file, "not a folder").unwrap();
    let mut h = locked_app(&file);
    let dark = h.try_snapshot("cannot_open_file");
    h.ctx.set_theme(egui::Theme::Light);
    h.run();
    let light = h.try_snapshot("light_cannot_open_file");
    dark.unwrap();
    light.unwrap();
}
