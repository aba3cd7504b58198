//! The top-level eframe app: opening the store, onboarding, the workspace, or a plain-words
//! screen when the log cannot be opened.

use std::path::{Path, PathBuf};

use egui::{RichText, Ui};

use super::command::Screen;
use super::onboarding::{self, Onboarding};
use super::workspace::{Status, Typed, Workspace};
use crate::store::{list_backups, restore, BackupInfo, Store, StoreError};

const SCREEN_KEY: &str = "beatbook.screen";

pub enum Phase {
    /// The store is open but nobody has set it up yet.
    Onboarding(Box<(Store, Onboarding)>),
    Ready(Box<Workspace>),
    /// The store could not be opened; says why in plain words and offers backups.
    Failed(Failure),
}

pub struct Failure {
    pub message: String,
    /// Backups that could replace a damaged log (none when the log is merely in use).
    pub backups: Vec<BackupInfo>,
}

impl Failure {
    fn new(error: &StoreError, dir: &Path) -> Self {
        // Backups are offered where restoring one is the way out: a damaged log.
        let backups = match error {
            StoreError::Damaged | StoreError::Unreadable { .. } | StoreError::Corrupt { .. } => {
                list_backups(dir)
            }
            _ => Vec::new(),
        };
        Failure {
            message: error.to_string(),
            backups,
        }
    }
}

/// What the frame asked for that replaces the phase itself.
enum Transition {
    Reopen(Screen),
    Restore(PathBuf),
    /// Reopen after a failed write, carrying over the open form and the status line.
    Recover,
}

pub struct BeatbookApp {
    pub dir: PathBuf,
    pub phase: Phase,
    remembered_screen: Screen,
    /// What was typed on the screens, carried over a reopen of the store until a workspace
    /// can show it again.
    kept: Option<Typed>,
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
        let phase = phase_for(Store::open(&dir), &dir, screen);
        BeatbookApp {
            dir,
            phase,
            remembered_screen: screen,
            kept: None,
        }
    }

    pub fn workspace(&mut self) -> Option<&mut Workspace> {
        match &mut self.phase {
            Phase::Ready(w) => Some(w),
            _ => None,
        }
    }
}

fn phase_for(opened: Result<Store, StoreError>, dir: &Path, screen: Screen) -> Phase {
    let store = match opened {
        Ok(s) => s,
        Err(e) => return Phase::Failed(Failure::new(&e, dir)),
    };
    match store.profile() {
        Ok(Some(_)) => match Workspace::new(store, screen) {
            Ok(w) => Phase::Ready(Box::new(w)),
            Err(e) => Phase::Failed(Failure::new(&e, dir)),
        },
        Ok(None) => Phase::Onboarding(Box::new((store, Onboarding::default()))),
        Err(e) => Phase::Failed(Failure::new(&e, dir)),
    }
}

impl BeatbookApp {
    /// Takes the current phase out, dropping nothing yet; the store it holds is closed when
    /// the caller drops it, before the store is opened again.
    fn close(&mut self) -> Phase {
        std::mem::replace(
            &mut self.phase,
            Phase::Failed(Failure {
                message: String::new(),
                backups: Vec::new(),
            }),
        )
    }

    fn transition(&mut self, t: Transition) {
        let screen = match &self.phase {
            Phase::Ready(w) => w.screen,
            _ => self.remembered_screen,
        };
        match t {
            Transition::Recover => {
                if let Phase::Ready(w) = self.close() {
                    let (store, typed) = w.into_typed();
                    drop(store);
                    self.kept = Some(typed);
                }
                self.phase = phase_for(Store::open(&self.dir), &self.dir, screen);
            }
            Transition::Reopen(screen) => {
                self.close();
                self.phase = phase_for(Store::open(&self.dir), &self.dir, screen);
            }
            Transition::Restore(path) => {
                self.close();
                // Whatever was typed belonged to the log being replaced.
                self.kept = None;
                let result = restore(&self.dir, &path);
                self.phase = phase_for(Store::open(&self.dir), &self.dir, screen);
                let status = match result {
                    Ok(r) => Status {
                        text: format!(
                            "Restored {} entries from the backup of {}.",
                            r.entries,
                            r.created_at
                                .with_timezone(&chrono::Local)
                                .format("%Y-%m-%d %H:%M")
                        ),
                        is_error: false,
                        undo: None,
                    },
                    Err(e) => Status {
                        text: e.to_string(),
                        is_error: true,
                        undo: None,
                    },
                };
                if let (Phase::Ready(w), false) = (&mut self.phase, status.is_error) {
                    let what = crate::store::file_name(&path);
                    if let Err(e) = w.store.record_event("restored a backup", &what, "done") {
                        w.status = Some(Status {
                            text: format!("The audit trail could not be written: {e}"),
                            is_error: true,
                            undo: None,
                        });
                    }
                }
                match &mut self.phase {
                    Phase::Ready(w) if w.status.is_some() => {}
                    Phase::Ready(w) => w.status = Some(status),
                    Phase::Failed(f) if status.is_error => f.message = status.text,
                    _ => {}
                }
            }
        }
    }
}

impl eframe::App for BeatbookApp {
    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        let mut next = None;
        match &mut self.phase {
            Phase::Ready(w) => {
                w.ui(ui);
                next = w.restore_request.take().map(Transition::Restore);
                if std::mem::take(&mut w.reopen_request) {
                    next = Some(Transition::Recover);
                }
            }
            Phase::Onboarding(setup) => {
                let (store, form) = &mut **setup;
                if onboarding::show(ui, form) {
                    match store.set_up(&form.name, &form.badge, form.role, &form.beat) {
                        Ok(_) => next = Some(Transition::Reopen(Screen::Today)),
                        Err(e) => form.error = Some(e.to_string()),
                    }
                }
            }
            Phase::Failed(failure) => {
                next = failure_screen(ui, failure, &self.dir, self.remembered_screen);
            }
        }
        if let Some(t) = next {
            self.transition(t);
        }
        if let Phase::Ready(w) = &mut self.phase {
            if let Some(typed) = self.kept.take() {
                w.restore_typed(typed);
            }
        }
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        if let Phase::Ready(w) = &self.phase {
            eframe::set_value(storage, SCREEN_KEY, &w.screen);
        }
    }
}

/// The plain-words screen shown when the log cannot be opened, with a way out.
fn failure_screen(
    ui: &mut Ui,
    failure: &Failure,
    dir: &Path,
    screen: Screen,
) -> Option<Transition> {
    let mut next = None;
    egui::CentralPanel::default().show(ui, |ui| {
        ui.add_space(40.0);
        ui.heading("beatbook cannot open your log");
        ui.label(RichText::new(failure.message.as_str()).size(16.0));
        ui.add_space(8.0);
        ui.label(format!("Log folder: {}", dir.display()));
        ui.label("Your entries have not been changed. Fix the problem, then try again.");
        if ui.button("Try again").clicked() {
            next = Some(Transition::Reopen(screen));
        }
        if !failure.backups.is_empty() {
            ui.add_space(12.0);
            ui.label(RichText::new("Or restore a backup").strong());
            ui.label(
                "The log is replaced by the backup. The damaged log is kept aside in the log \
                 folder (store.replaced-…) and backed up as far as it can be read.",
            );
            for b in failure.backups.iter().take(5) {
                ui.horizontal(|ui| {
                    ui.label(format!(
                        "{} · {}",
                        b.created_at
                            .with_timezone(&chrono::Local)
                            .format("%Y-%m-%d %H:%M"),
                        b.reason
                    ));
                    if ui.button("Restore this backup").clicked() {
                        next = Some(Transition::Restore(b.path.clone()));
                    }
                });
            }
        }
    });
    next
}
