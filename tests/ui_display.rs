//! How the app reads in daylight and under a finger, through the real UI: the theme and the
//! text size chosen in Settings > Display and kept for the next start, the top bar at 150%,
//! touch-sized targets, the "Saved" confirmation, and names with emoji.

use std::collections::HashMap;
use std::path::Path;

use beatbook::model::Person;
use beatbook::ui::command::{Command, Screen};
use beatbook::ui::theme::{self, Display, TOUCH_TARGET};
use beatbook::ui::BeatbookApp;
use egui::{Key, Theme, ThemePreference};
use egui_kittest::kittest::Queryable;
use egui_kittest::Harness;

use crate::common::*;

/// eframe's storage, in memory: what one run keeps for the next.
#[derive(Default)]
struct MemoryStorage(HashMap<String, String>);

impl eframe::Storage for MemoryStorage {
    fn get_string(&self, key: &str) -> Option<String> {
        self.0.get(key).cloned()
    }
    fn set_string(&mut self, key: &str, value: String) {
        self.0.insert(key.to_string(), value);
    }
    fn remove_string(&mut self, key: &str) {
        self.0.remove(key);
    }
    fn flush(&mut self) {}
}

/// The app on the log in `dir`, in a window of `size`, started with what `storage` kept, and
/// unlocked.
fn app_with(dir: &Path, size: egui::Vec2, storage: Option<&MemoryStorage>) -> App {
    let dir = dir.to_path_buf();
    let kept = storage.map(|s| MemoryStorage(s.0.clone()));
    let mut h = Harness::builder().with_size(size).build_eframe(move |cc| {
        BeatbookApp::open(dir, Screen::Today).with_display(
            &cc.egui_ctx,
            kept.as_ref().map(|s| s as &dyn eframe::Storage),
        )
    });
    h.state_mut().fixed_now = Some(now());
    if let Some(lock) = h.state_mut().lock_screen() {
        lock.wait();
    }
    h.run();
    unlock(&mut h, PASSPHRASE);
    if let Some(w) = h.state_mut().workspace() {
        w.fixed_now = Some(now());
        w.wait_for_background_work();
    }
    settle(&mut h);
    h
}

/// What the app keeps for the next start when it closes.
fn closed(h: &mut App) -> MemoryStorage {
    let mut storage = MemoryStorage::default();
    eframe::App::save(h.state_mut(), &mut storage);
    storage
}

#[test]
fn the_light_theme_and_the_text_size_are_chosen_in_settings_and_kept_for_the_next_start() {
    let dir = tempfile::tempdir().unwrap();
    seed(dir.path());
    let mut h = app(dir.path());
    ws(&mut h).apply(Command::Go(Screen::Settings));
    settle(&mut h);
    click(&mut h, "Light (for daylight)");
    assert_eq!(h.ctx.theme(), Theme::Light);
    assert_eq!(
        h.ctx.global_style().visuals,
        {
            let mut v = theme::visuals(Theme::Light);
            v.text_cursor.blink = false;
            v
        },
        "beatbook's own light theme, not egui's"
    );
    click(&mut h, "150%");
    assert_eq!(h.ctx.zoom_factor(), 1.5);
    assert!(h.query_by_label_contains("Now 150%").is_some());
    let kept = closed(&mut h);
    drop(h);

    let mut h = app_with(dir.path(), egui::vec2(1200.0, 820.0), Some(&kept));
    assert_eq!(h.ctx.theme(), Theme::Light, "the theme is kept");
    assert_eq!(h.ctx.zoom_factor(), 1.5, "the text size is kept");

    // "Follow the system" follows what the system says.
    ws(&mut h).apply(Command::Go(Screen::Settings));
    settle(&mut h);
    click(&mut h, "Follow the system");
    assert_eq!(
        h.ctx.options(|o| o.theme_preference),
        ThemePreference::System
    );
    click(&mut h, "Dark");
    assert_eq!(h.ctx.theme(), Theme::Dark);
    assert_eq!(
        closed(&mut h).0.len(),
        2,
        "the screen and the display are kept"
    );
}

#[test]
fn ctrl_plus_and_ctrl_minus_change_the_text_size_and_it_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    seed(dir.path());
    let mut h = app(dir.path());
    press_ctrl(&mut h, Key::Plus);
    press_ctrl(&mut h, Key::Plus);
    let zoomed = h.ctx.zoom_factor();
    assert!(zoomed > 1.15, "Ctrl+Plus makes the text larger: {zoomed}");
    let kept = closed(&mut h);
    drop(h);
    let mut h = app_with(dir.path(), egui::vec2(1200.0, 820.0), Some(&kept));
    assert_eq!(h.ctx.zoom_factor(), zoomed);
    press_ctrl(&mut h, Key::Minus);
    assert!(h.ctx.zoom_factor() < zoomed, "Ctrl+Minus makes it smaller");
    press_ctrl(&mut h, Key::Num0);
    assert_eq!(h.ctx.zoom_factor(), 1.0, "Ctrl+0 puts it back");
    assert_eq!(
        Display::load(&closed(&mut h)).unwrap().zoom,
        1.0,
        "the last size is the one kept"
    );
}

/// At 150% in a 1280×800 window every entry of the top bar is inside the window and can be
/// clicked: the bar wraps rather than push Lock off the edge.
#[test]
fn the_top_bar_stays_usable_at_150_percent_in_a_1280_window() {
    let dir = tempfile::tempdir().unwrap();
    seed(dir.path());
    let kept = {
        let mut s = MemoryStorage::default();
        Display {
            theme: ThemePreference::Dark,
            zoom: 1.5,
        }
        .save(&mut s);
        s
    };
    let mut h = app_with(dir.path(), egui::vec2(1280.0, 800.0), Some(&kept));
    assert_eq!(h.ctx.zoom_factor(), 1.5);
    let window = h.ctx.content_rect();
    let labels = [
        "Today",
        "Log",
        "Follow-ups",
        "People",
        "Neighborhoods",
        "Settings",
        "Log a contact (Ctrl+N)",
        "Lock",
        "Dana Reyes · Officer · badge 4127",
    ];
    for label in labels {
        let node = h.get_by_label(label);
        // AccessKit bounds are in physical pixels.
        let rect = node.rect();
        let in_points = egui::Rect::from_min_max(
            (rect.min.to_vec2() / 1.5).to_pos2(),
            (rect.max.to_vec2() / 1.5).to_pos2(),
        );
        assert!(
            window.contains_rect(in_points.shrink(0.5)),
            "{label} at {in_points:?} is outside the window {window:?}"
        );
    }
    click(&mut h, "Settings");
    assert_eq!(ws(&mut h).screen, Screen::Settings);
    click(&mut h, "Log a contact (Ctrl+N)");
    assert!(ws(&mut h).form.is_some());
}

#[test]
fn buttons_checkboxes_and_the_chip_remove_button_are_touch_sized() {
    let dir = tempfile::tempdir().unwrap();
    seed(dir.path());
    let mut h = app(dir.path());
    assert_eq!(h.ctx.zoom_factor(), 1.0);
    press_ctrl(&mut h, Key::N);
    type_text(&mut h, "Mr. Tran");
    tab(&mut h, 1);
    let check = |h: &App, label: &str| {
        let rect = h.get_by_label(label).rect();
        assert!(
            rect.height() >= TOUCH_TARGET - 0.5,
            "{label} is {} high",
            rect.height()
        );
        rect
    };
    check(&h, "Lock");
    check(&h, "Log a contact (Ctrl+N)");
    check(&h, "Today");
    check(&h, "I promised a follow-up (Alt+F)");
    let chip = check(&h, "Mr. Tran  x");
    assert!(chip.width() >= TOUCH_TARGET);
    click(&mut h, "Mr. Tran  x");
    assert!(
        h.query_by_label("Mr. Tran  x").is_none(),
        "the chip removes the name"
    );
}

#[test]
fn saving_a_contact_shows_saved_where_the_officer_is_looking() {
    let dir = tempfile::tempdir().unwrap();
    seed(dir.path());
    let mut h = app(dir.path());
    press_ctrl(&mut h, Key::N);
    type_text(&mut h, "Mr. Tran");
    tab(&mut h, 1);
    type_text(&mut h, "speeding");
    tab(&mut h, 1);
    type_text(&mut h, "Asked about the speed survey.");
    press_ctrl(&mut h, Key::Enter);
    assert!(ws(&mut h).form.is_none(), "saved");

    let notice = h.get_by_label("✔ Saved contact with Mr. Tran.");
    let top_bar = h.get_by_label("Log a contact (Ctrl+N)").rect();
    let rect = notice.rect();
    let window = h.ctx.content_rect();
    assert!(
        rect.min.y >= top_bar.max.y && rect.min.y < top_bar.max.y + 40.0,
        "just under the top bar: {rect:?}"
    );
    let centre = (rect.min.x + rect.max.x) / 2.0;
    assert!(
        (centre - window.center().x).abs() < 2.0,
        "at the top centre: {rect:?}"
    );
    // The status line says it too, and keeps saying it after the notice has gone.
    assert!(h.query_by_label("Saved contact with Mr. Tran.").is_some());
    for _ in 0..200 {
        h.step();
    }
    h.run();
    assert!(
        h.query_by_label("✔ Saved contact with Mr. Tran.").is_none(),
        "gone after a few seconds"
    );
    assert!(h.query_by_label("Saved contact with Mr. Tran.").is_some());
}

/// kittest fails on a character no font can draw ("tofu"): each name below renders only if
/// beatbook's fonts have its emoji.
#[test]
fn names_with_emoji_render() {
    let dir = tempfile::tempdir().unwrap();
    seed(dir.path());
    let mut h = app(dir.path());
    press_ctrl(&mut h, Key::N);
    type_text(&mut h, "Rosa 🌹");
    tab(&mut h, 1);
    type_text(&mut h, "lighting");
    tab(&mut h, 1);
    type_text(&mut h, "Thanked us 👍 for the light ☀.");
    press_ctrl(&mut h, Key::Enter);
    h.get_by_label("✔ Saved contact with Rosa 🌹.");
    let w = ws(&mut h);
    let rosa = w
        .store
        .all::<Person>()
        .unwrap()
        .into_iter()
        .find(|p| p.name == "Rosa 🌹")
        .unwrap();
    w.apply(Command::Go(Screen::People));
    w.apply(Command::OpenPerson(rosa.meta.id));
    settle(&mut h);
    assert!(h.query_all_by_label_contains("Rosa 🌹").count() >= 2);
    assert!(h
        .query_all_by_label_contains("Thanked us 👍 for the light ☀.")
        .next()
        .is_some());
}

/// Whether kittest draws `text` with these fonts without meeting a character none of them has.
fn draws(text: &'static str, fonts: egui::FontDefinitions) -> bool {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || {
        let mut h = Harness::builder()
            .with_context_setup(move |ctx| ctx.set_fonts(fonts))
            .build_ui(move |ui| {
                ui.label(text);
            });
        h.run();
    }))
    .is_ok()
}

/// The claim the emoji test rests on: kittest fails on a character no font can draw. Without
/// egui's emoji fonts (beatbook turns them on: `monochrome_emoji_fonts` in Cargo.toml) the
/// rose is such a character. With them, common emoji draw; a flag draws as its two letters
/// (🇺🇸), and emoji newer than those fonts (🥰, 🫶, 🧑‍🚒) still find no glyph here: the app
/// then draws a box for them unless the system has an emoji font that has them.
#[test]
fn kittest_fails_on_an_emoji_no_font_has_and_beatbooks_fonts_have_them() {
    let mut without_emoji = egui::FontDefinitions::default();
    for family in without_emoji.families.values_mut() {
        family.retain(|f| f != "NotoEmoji-Regular" && f != "emoji-icon-font");
    }
    assert!(!draws("Rosa 🌹", without_emoji), "kittest fails on tofu");
    for name in [
        "Rosa 🌹",
        "👍",
        "👍🏽",
        "🇺🇸",
        "Mr. Tran ☕",
        "😀 Kim",
        "❤ Ana",
        "⭐ Lee",
    ] {
        assert!(draws(name, egui::FontDefinitions::default()), "{name}");
    }
}
