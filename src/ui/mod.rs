//! The desktop app. Screens read, the workspace writes: each screen (`screens`) draws from a
//! read-only view of the log and pushes a [`command::Command`]; the workspace (`workspace`)
//! applies them in one place, each through a handler named after it (`actions`, by area);
//! `app` holds the lock screen, onboarding and the work that closes the log (locking,
//! restoring, compacting); `shortcuts` lists every keyboard shortcut.

mod actions;
mod app;
mod background;
pub mod command;
pub mod compacting;
pub mod contact_form;
pub mod dialogs;
pub mod exchange;
mod form_actions;
mod lock;
pub mod lookup;
mod onboarding;
mod receipt;
mod retention;
pub mod screens;
pub mod shortcuts;
pub mod sync_worker;
pub mod theme;
pub mod widgets;
pub mod workspace;
pub mod you_said;

use std::path::Path;

pub use app::BeatbookApp;

/// The app icon, shipped in `assets/`.
pub const ICON_PNG: &[u8] = include_bytes!("../../assets/icon.png");

/// Opens the app window on the log in `data_dir`.
pub fn run(data_dir: &Path) -> Result<(), eframe::Error> {
    let mut viewport = egui::ViewportBuilder::default()
        .with_title("beatbook")
        .with_inner_size([1100.0, 760.0])
        .with_min_inner_size([760.0, 520.0]);
    if let Ok(icon) = eframe::icon_data::from_png_bytes(ICON_PNG) {
        viewport = viewport.with_icon(icon);
    }
    let options = eframe::NativeOptions {
        viewport,
        persist_window: true,
        ..Default::default()
    };
    let dir = data_dir.to_path_buf();
    eframe::run_native(
        "beatbook",
        options,
        Box::new(move |cc| Ok(Box::new(BeatbookApp::new(cc, dir)))),
    )
}
