//! Pictures of every main screen over a small fixed neighborhood history, compared with the
//! committed images in tests/snapshots (regenerate with UPDATE_SNAPSHOTS=1).

mod common;

use beatbook::ui::command::{Command, Screen};
use common::*;
use egui_kittest::kittest::Queryable;

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
    let mut results = Vec::new();
    for screen in Screen::ALL {
        ws(&mut h).apply(Command::Go(screen));
        if screen == Screen::People {
            ws(&mut h).apply(Command::OpenPerson(s.rosa));
        }
        h.run();
        results.push(h.try_snapshot(format!("screen_{}", screen.label().to_lowercase())));
    }
    ws(&mut h).apply(Command::Go(Screen::Today));
    h.run();
    h.get_by_label("Log a contact (Ctrl+N)").click();
    h.run();
    h.event(egui::Event::Text("Ro".into()));
    h.run();
    results.push(h.try_snapshot("contact_form"));
    for r in results {
        r.unwrap();
    }
}

#[test]
fn onboarding_looks_right() {
    let dir = fixed_dir("onboarding");
    let mut h = app(&dir);
    h.snapshot("onboarding");
}

#[test]
fn the_recovery_screen_looks_right() {
    let dir = fixed_dir("recovery");
    seed(&dir);
    let made = beatbook::store::Store::open(&dir)
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
    let root = fixed_dir("review");
    std::fs::create_dir_all(&root).unwrap();
    let sam = squad(&root);
    let mut h = app(&sam);
    std::fs::remove_dir_all(sam.join("backups")).unwrap();
    let mut results = Vec::new();
    ws(&mut h).apply(Command::Go(Screen::Review));
    h.run();
    results.push(h.try_snapshot("review_figures"));
    h.get_by_label("Dana Reyes: overdue, 1").click();
    h.run();
    results.push(h.try_snapshot("review_behind"));
    for tab in ["Charts", "Entries to review"] {
        h.get_by_label(tab).click();
        h.run();
        results.push(h.try_snapshot(format!("review_{}", tab.to_lowercase().replace(' ', "_"))));
    }
    // The merge preview, over a second bundle from Dana.
    let bundle = root.join("dana.bbundle");
    let plan = {
        let w = ws(&mut h);
        let b = beatbook::bundle::read_bundle(&bundle).unwrap();
        beatbook::bundle::plan_import(&w.store, &[b]).unwrap()
    };
    ws(&mut h).pending_import = Some(beatbook::ui::exchange::PendingImport {
        choices: vec![],
        plan,
    });
    h.run();
    results.push(h.try_snapshot("bundle_import_preview"));
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
