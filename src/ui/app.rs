//! The top-level eframe app: opening the store, onboarding, the workspace, or a plain-words
//! screen when the log cannot be opened.

use std::path::PathBuf;

use egui::{RichText, Ui};

use super::command::Screen;
use super::onboarding::{self, Onboarding};
use super::workspace::Workspace;
use crate::store::{Store, StoreError};

const SCREEN_KEY: &str = "beatbook.screen";

pub enum Phase {
    /// The store is open but nobody has set it up yet.
    Onboarding(Box<(Store, Onboarding)>),
    Ready(Box<Workspace>),
    /// The store could not be opened; the message says why in plain words.
    Failed(String),
}

pub struct BeatbookApp {
    pub dir: PathBuf,
    pub phase: Phase,
    remembered_screen: Screen,
}

impl BeatbookApp {
    pub fn new(cc: &eframe::CreationContext<'_>, dir: PathBuf) -> Self {
        let screen = cc
            .storage
            .and_then(|s| eframe::get_value::<Screen>(s, SCREEN_KEY))
            .unwrap_or_default();
        Self::open(dir, screen)
    }

    /// Opens the store in `dir` and picks the first phase.
    pub fn open(dir: PathBuf, screen: Screen) -> Self {
        let phase = phase_for(Store::open(&dir), screen);
        BeatbookApp {
            dir,
            phase,
            remembered_screen: screen,
        }
    }

    pub fn workspace(&mut self) -> Option<&mut Workspace> {
        match &mut self.phase {
            Phase::Ready(w) => Some(w),
            _ => None,
        }
    }
}

fn phase_for(opened: Result<Store, StoreError>, screen: Screen) -> Phase {
    let store = match opened {
        Ok(s) => s,
        Err(e) => return Phase::Failed(e.to_string()),
    };
    match store.profile() {
        Ok(Some(_)) => match Workspace::new(store, screen) {
            Ok(w) => Phase::Ready(Box::new(w)),
            Err(e) => Phase::Failed(e.to_string()),
        },
        Ok(None) => Phase::Onboarding(Box::new((store, Onboarding::default()))),
        Err(e) => Phase::Failed(e.to_string()),
    }
}

impl eframe::App for BeatbookApp {
    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        let mut next = None;
        match &mut self.phase {
            Phase::Ready(w) => w.ui(ui),
            Phase::Onboarding(setup) => {
                let (store, form) = &mut **setup;
                if onboarding::show(ui, form) {
                    match store.set_up(&form.name, &form.badge, form.role, &form.beat) {
                        Ok(_) => next = Some(()),
                        Err(e) => form.error = Some(e.to_string()),
                    }
                }
            }
            Phase::Failed(message) => {
                let mut retry = false;
                egui::CentralPanel::default().show(ui, |ui| {
                    ui.add_space(40.0);
                    ui.heading("beatbook cannot open your log");
                    ui.label(RichText::new(message.as_str()).size(16.0));
                    ui.add_space(8.0);
                    ui.label(format!("Log folder: {}", self.dir.display()));
                    ui.label("Nothing has been changed. Fix the problem, then try again.");
                    retry = ui.button("Try again").clicked();
                });
                if retry {
                    self.phase = phase_for(Store::open(&self.dir), self.remembered_screen);
                }
            }
        }
        if next.is_some() {
            let phase = std::mem::replace(&mut self.phase, Phase::Failed(String::new()));
            if let Phase::Onboarding(setup) = phase {
                self.phase = phase_for(Ok(setup.0), Screen::Today);
            }
        }
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        if let Phase::Ready(w) = &self.phase {
            eframe::set_value(storage, SCREEN_KEY, &w.screen);
        }
    }
}
