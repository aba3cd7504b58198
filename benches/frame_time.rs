//! Frame time of the real UI (driven headlessly through egui_kittest) over a large log:
//! idle frames on the Log screen, scrolling the table, typing into the notes filter, the
//! People screen, and the Review screen while its figures are worked out beside the UI.
//!
//! `cargo bench --bench frame_time` (size from `BEATBOOK_BENCH_CONTACTS`, default 100000).
//! Reports CPU time per frame (median and worst) for each activity.

mod common;

use std::time::{Duration, Instant};

use beatbook::ui::command::{Command, Screen};
use beatbook::ui::BeatbookApp;
use egui_kittest::kittest::Queryable;
use egui_kittest::Harness;

fn stats(mut v: Vec<Duration>) -> (Duration, Duration) {
    v.sort();
    let median = v.get(v.len() / 2).copied().unwrap_or_default();
    (median, v.last().copied().unwrap_or_default())
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

/// Runs one frame and measures it.
fn frame(h: &mut Harness<'_, BeatbookApp>) -> Duration {
    let t = Instant::now();
    h.step();
    t.elapsed()
}

fn main() {
    // As the program does.
    beatbook::memory::keep_freed_memory();
    let n = common::bench_size();
    let tmp = tempfile::tempdir().unwrap();
    let dir = common::precinct_dir(tmp.path(), n);
    let t = Instant::now();
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 900.0))
        .build_eframe(move |_cc| BeatbookApp::open(dir, Screen::Today));
    h.step();
    // The passphrase, as typed on the lock screen; the unlock runs beside the UI.
    h.get_by_label("Passphrase").focus();
    h.step();
    h.get_by_label("Passphrase").type_text(common::PASSPHRASE);
    h.key_press(egui::Key::Enter);
    h.step();
    if let Some(lock) = h.state_mut().lock_screen() {
        lock.wait();
    }
    h.step();
    h.step();
    let first_screen = t.elapsed();
    // The contact index is built beside the UI: the frames drawn meanwhile stay short.
    let t = Instant::now();
    let mut while_indexing = Vec::new();
    while !h
        .state_mut()
        .workspace()
        .is_some_and(|w| w.store.has_contact_index())
    {
        while_indexing.push(frame(&mut h));
        std::thread::sleep(Duration::from_millis(20));
    }
    let index_ready = t.elapsed();
    if let Some(w) = h.state_mut().workspace() {
        w.apply(Command::Go(Screen::Log));
    }
    let t = Instant::now();
    h.step();
    let open_log = t.elapsed();

    let idle: Vec<Duration> = (0..60).map(|_| frame(&mut h)).collect();
    let mut scroll = Vec::new();
    h.hover_at(egui::pos2(600.0, 500.0));
    for _ in 0..60 {
        h.event(egui::Event::MouseWheel {
            unit: egui::MouseWheelUnit::Line,
            delta: egui::vec2(0.0, -3.0),
            modifiers: egui::Modifiers::NONE,
            phase: egui::TouchPhase::Move,
            source: egui::MouseWheelSource::Wheel,
        });
        scroll.push(frame(&mut h));
    }
    h.get_by_role_and_label(egui::accesskit::Role::TextInput, "Search notes")
        .focus();
    h.step();
    let mut typing = Vec::new();
    for ch in "streetlight".chars() {
        h.event(egui::Event::Text(ch.to_string()));
        typing.push(frame(&mut h));
    }
    // The log is searched once typing pauses: the slowest of the frames that follow.
    let search = (0..40).map(|_| frame(&mut h)).max().unwrap_or_default();

    // The People screen lists everyone, drawn only as far as they are in view.
    if let Some(w) = h.state_mut().workspace() {
        w.apply(Command::Go(Screen::People));
    }
    let open_people = frame(&mut h);
    let people: Vec<Duration> = (0..30).map(|_| frame(&mut h)).collect();

    // The Review screen works its figures out beside the UI: frames go on meanwhile.
    if let Some(w) = h.state_mut().workspace() {
        w.apply(Command::Go(Screen::Review));
    }
    let t = Instant::now();
    let mut while_reviewing = vec![frame(&mut h)];
    while h.query_by_label("Working out the figures...").is_some() {
        std::thread::sleep(Duration::from_millis(5));
        while_reviewing.push(frame(&mut h));
    }
    let figures_shown = t.elapsed();
    let reviewing_frames = while_reviewing.len();
    let review: Vec<Duration> = (0..30).map(|_| frame(&mut h)).collect();
    let contacts = h
        .state_mut()
        .workspace()
        .and_then(|w| w.store.count::<beatbook::model::Contact>().ok())
        .unwrap_or(n);

    println!("\nframe time over {contacts} contacts (CPU time per frame, this machine)\n");
    println!("| activity | median | worst |");
    println!("| --- | --- | --- |");
    println!(
        "| first screen (open the log, Today) | {} | |",
        ms(first_screen)
    );
    println!(
        "| contact index ready, built beside the UI | {} | |",
        ms(index_ready)
    );
    println!("| open the Log screen | {} | |", ms(open_log));
    for (name, v) in [
        ("frames while the index is built", while_indexing),
        ("idle on the Log", idle),
        ("scrolling the log", scroll),
        ("typing a notes filter", typing),
    ] {
        let (med, worst) = stats(v);
        println!("| {name} | {} | {} |", ms(med), ms(worst));
    }
    println!("| searching once typing pauses | | {} |", ms(search));
    println!("| open the People screen | {} | |", ms(open_people));
    let (med, worst) = stats(people);
    println!("| idle on People | {} | {} |", ms(med), ms(worst));
    println!(
        "| open Review until its figures show ({reviewing_frames} frames) | {} | |",
        ms(figures_shown)
    );
    let (med, worst) = stats(while_reviewing);
    println!(
        "| frames while the figures are worked out | {} | {} |",
        ms(med),
        ms(worst)
    );
    let (med, worst) = stats(review);
    println!("| idle on Review | {} | {} |", ms(med), ms(worst));
}
