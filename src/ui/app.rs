//! The top-level eframe app: the lock screen, onboarding, the workspace, or a plain-words
//! screen when the log cannot be opened; locking (by hand, Ctrl+L, or when idle) and reopening.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use egui::{RichText, Ui};
use zeroize::Zeroize;

use super::command::Screen;
use super::compacting::{Compacting, Copied};
use super::dialogs::{FileDialogs, NativeDialogs};
use super::lock::{IdleTimer, LockScreen, Unlock, DEFAULT_IDLE_MINUTES};
use super::onboarding::{self, Onboarding};
use super::shortcuts::LOCK;
use super::theme::{self, Display};
use super::widgets::{forget_secret_fields, labelled_secret};
use super::workspace::{AppRequest, Status, Typed, Workspace};
use crate::store::{
    list_backups, restore_keeping_key, AuditSubject, BackupInfo, KeptKey, LockedStore, Passphrase,
    Store, StoreError, StoreResult,
};

const SCREEN_KEY: &str = "beatbook.screen";

pub enum Phase {
    /// The log is locked: its passphrase is asked for (or chosen, the first time).
    Locked(Box<LockScreen>),
    /// The store is open but nobody has set it up yet.
    Onboarding(Box<(Store, Onboarding)>),
    Ready(Box<Workspace>),
    /// The store could not be opened; says why in plain words and offers backups.
    Failed(Failure),
    /// The log is closed while it is copied into a fresh folder.
    Compacting(Box<Compacting>),
}

pub struct Failure {
    pub message: String,
    /// Backups that could replace a damaged log (none when the log is merely in use).
    pub backups: Vec<BackupInfo>,
    /// The passphrase a backup opens with, typed before restoring it.
    pub passphrase: String,
    /// The folder itself is the problem (a file, or one that cannot be written or is not
    /// private): another folder can be chosen.
    pub choose_folder: bool,
    /// A folder typed by hand, where no folder dialog can be shown (with why not).
    pub typed_folder: Option<(String, String)>,
}

impl Drop for Failure {
    fn drop(&mut self) {
        self.passphrase.zeroize();
    }
}

impl Failure {
    fn new(error: &StoreError, dir: &Path) -> Self {
        // Backups are offered where restoring one is the way out: a damaged log.
        let backups = match error {
            StoreError::Damaged
            | StoreError::Unreadable { .. }
            | StoreError::Corrupt { .. }
            | StoreError::ExcessiveKeyCost { .. } => list_backups(dir),
            _ => Vec::new(),
        };
        Failure {
            message: error.to_string(),
            backups,
            passphrase: String::new(),
            choose_folder: matches!(
                error,
                StoreError::NotAFolder(_)
                    | StoreError::NotWritable(_)
                    | StoreError::UnsafeFolder { .. }
            ),
            typed_folder: None,
        }
    }
}

/// What the frame asked for that replaces the phase itself.
enum Transition {
    /// Open the log again from the lock screen (after "Try again").
    Reopen,
    /// Open the log in another data folder (after "Choose another folder...").
    OpenFolder(PathBuf),
    /// The log was unlocked, or set up after unlocking.
    Opened(Box<Store>),
    Restore(PathBuf, Passphrase),
    /// Reopen after a failed write, carrying over the open form and the status line.
    Recover,
    /// Lock the log, keeping what was typed for after the unlock.
    Lock,
    /// Onboarding is done: on to the workspace.
    SetUp,
    /// Close the log and compact it.
    Compact,
    /// Close the log and copy it under a new key: the passphrase changes from the first to the
    /// second (the first was checked).
    ChangePassphrase(Passphrase, Passphrase),
    /// A copy of the whole log (compacting it, or changing its passphrase) has ended.
    Compacted(Box<Copied>),
}

pub struct BeatbookApp {
    pub dir: PathBuf,
    pub phase: Phase,
    remembered_screen: Screen,
    /// What was typed on the screens, carried over a reopen or a lock until a workspace can
    /// show it again.
    kept: Option<Typed>,
    idle: IdleTimer,
    /// The time the app runs at (tests freeze it); `None` for the clock.
    pub fixed_now: Option<DateTime<Utc>>,
    /// Whether beatbook's themes and target sizes are in place (on the first frame).
    styled: bool,
    /// The theme and text size an earlier run chose, put in place on the first frame (and at
    /// once, when the app is made: see [`BeatbookApp::with_display`]).
    restored_display: Option<Display>,
    /// The theme and text size shown, kept for the next run.
    pub display: Option<Display>,
    /// The folder dialog of the "cannot open" screen (tests stand in for it).
    pub dialogs: Box<dyn FileDialogs>,
}

impl From<AppRequest> for Transition {
    fn from(request: AppRequest) -> Self {
        match request {
            AppRequest::Reopen => Transition::Recover,
            AppRequest::Restore(path, passphrase) => Transition::Restore(path, passphrase),
            AppRequest::ChangePassphrase(current, new) => {
                Transition::ChangePassphrase(current, new)
            }
            AppRequest::Compact => Transition::Compact,
            AppRequest::Lock => Transition::Lock,
        }
    }
}

impl BeatbookApp {
    pub fn new(cc: &eframe::CreationContext<'_>, dir: PathBuf) -> Self {
        let screen = cc
            .storage
            .and_then(|s| eframe::get_value::<Screen>(s, SCREEN_KEY))
            .unwrap_or_default();
        theme::install(&cc.egui_ctx);
        Self::open(dir, screen).with_display(&cc.egui_ctx, cc.storage)
    }

    /// Shows the theme and text size an earlier run kept in `storage`, from the first frame.
    /// They are set again on that frame: whatever made the window may set a theme of its own
    /// after the app is made (a test harness does).
    pub fn with_display(
        mut self,
        ctx: &egui::Context,
        storage: Option<&dyn eframe::Storage>,
    ) -> Self {
        self.restored_display = storage.and_then(Display::load);
        if let Some(display) = self.restored_display {
            display.apply(ctx);
        }
        self
    }

    /// Opens the log in `dir` at its lock screen, shown at once while the log opens beside it.
    pub fn open(dir: PathBuf, screen: Screen) -> Self {
        let lock = LockScreen::opening(&dir);
        Self::at_lock_screen(dir, screen, lock)
    }

    /// [`BeatbookApp::open`], opening the log with `open` (tests hold it back).
    pub fn open_with(
        dir: PathBuf,
        screen: Screen,
        open: impl FnOnce() -> StoreResult<LockedStore> + Send + 'static,
    ) -> Self {
        let lock = LockScreen::opening_with(&dir, open);
        Self::at_lock_screen(dir, screen, lock)
    }

    fn at_lock_screen(dir: PathBuf, screen: Screen, lock: LockScreen) -> Self {
        BeatbookApp {
            phase: Phase::Locked(Box::new(lock)),
            dir,
            remembered_screen: screen,
            kept: None,
            idle: IdleTimer::default(),
            fixed_now: None,
            styled: false,
            restored_display: None,
            display: None,
            dialogs: Box::new(NativeDialogs),
        }
    }

    pub fn workspace(&mut self) -> Option<&mut Workspace> {
        match &mut self.phase {
            Phase::Ready(w) => Some(w),
            _ => None,
        }
    }

    pub fn lock_screen(&mut self) -> Option<&mut LockScreen> {
        match &mut self.phase {
            Phase::Locked(l) => Some(l),
            _ => None,
        }
    }

    /// The compaction under way, if the log is being compacted.
    pub fn compacting(&mut self) -> Option<&mut Compacting> {
        match &mut self.phase {
            Phase::Compacting(c) => Some(c),
            _ => None,
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.fixed_now.unwrap_or_else(Utc::now)
    }
}

fn locked_phase(opened: Result<LockedStore, StoreError>, dir: &Path) -> Phase {
    match opened.and_then(LockScreen::new) {
        Ok(screen) => Phase::Locked(Box::new(screen)),
        Err(e) => Phase::Failed(Failure::new(&e, dir)),
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
                passphrase: String::new(),
                choose_folder: false,
                typed_folder: None,
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
                let Some(store) = self.close_workspace() else {
                    return;
                };
                self.phase = match store.reopen() {
                    Ok(store) => phase_for(Ok(store), &self.dir, screen),
                    // The key could not be carried over: the passphrase is asked for again.
                    Err(StoreError::NotUnlocked) => {
                        locked_phase(LockedStore::open(&self.dir), &self.dir)
                    }
                    Err(e) => Phase::Failed(Failure::new(&e, &self.dir)),
                };
            }
            Transition::Lock => {
                // What was typed is kept for after the unlock, but no passphrase: the log is
                // locked so that nothing of it stays within reach.
                if let Phase::Ready(w) = &mut self.phase {
                    w.settings.security.clear();
                    w.settings.exchange.clear_secrets();
                    w.settings.restore_passphrase.zeroize();
                }
                let Some(store) = self.close_workspace() else {
                    return;
                };
                self.idle = IdleTimer::default();
                self.phase = locked_phase(Ok(store.lock()), &self.dir);
            }
            Transition::Reopen => {
                self.close();
                self.phase = Phase::Locked(Box::new(LockScreen::opening(&self.dir)));
            }
            Transition::OpenFolder(dir) => {
                // Only the failure screen offers another folder: no log is open to close.
                self.close();
                self.dir = dir;
                self.phase = Phase::Locked(Box::new(LockScreen::opening(&self.dir)));
            }
            Transition::SetUp => {
                if let Phase::Onboarding(setup) = self.close() {
                    let (store, _) = *setup;
                    self.phase = phase_for(Ok(store), &self.dir, Screen::Today);
                }
            }
            Transition::Opened(store) => {
                self.close();
                self.phase = phase_for(Ok(*store), &self.dir, screen);
            }
            Transition::Compact => {
                let Some(store) = self.close_workspace() else {
                    return;
                };
                self.remembered_screen = screen;
                self.phase = Phase::Compacting(Box::new(Compacting::start(store)));
            }
            Transition::ChangePassphrase(current, new) => {
                let Some(store) = self.close_workspace() else {
                    return;
                };
                self.remembered_screen = screen;
                self.phase =
                    Phase::Compacting(Box::new(Compacting::change_passphrase(store, current, new)));
            }
            Transition::Compacted(done) => self.finish_copy(*done, screen),
            Transition::Restore(path, passphrase) => self.restore(&path, &passphrase, screen),
        }
    }

    /// Opens the log a copy (compacting it, or changing its passphrase) has put in place, puts
    /// back what was typed and says how the copy went.
    fn finish_copy(&mut self, done: Copied, screen: Screen) {
        let compacted = matches!(done, Copied::Compacted(_));
        let (store, status) = done.finish();
        self.phase = phase_for(store, &self.dir, screen);
        // What was typed comes back before the outcome is said, and the status line it
        // had makes way for it.
        if let Phase::Ready(w) = &mut self.phase {
            if let Some(typed) = self.kept.take() {
                w.restore_typed(typed);
            }
            w.status = None;
        }
        if compacted && !status.is_error {
            self.record("compacted", AuditSubject::the_log());
        }
        self.report(status);
    }

    /// Replaces the log with a backup (the user confirmed it) and opens the log that results:
    /// the restored one, or the one left as it was when the restore failed.
    fn restore(&mut self, path: &Path, passphrase: &Passphrase, screen: Screen) {
        let (store, typed) = self.take_workspace();
        let key = store.map(Store::close_keeping_key);
        let (result, restored_key) = match restore_keeping_key(&self.dir, path, passphrase) {
            Ok((summary, key)) => (Ok(summary), Some(key)),
            Err(e) => (Err(e), None),
        };
        // What was typed belonged to the log being replaced: it is kept only when the
        // log stays.
        let typed = if result.is_ok() { None } else { typed };
        // The restored log opens with the passphrase that opened the backup; a log
        // left as it was opens again with the key it had.
        self.phase = match (restored_key, key) {
            (Some(restored), _) => self.open_restored(restored, passphrase, screen),
            (None, Some(key)) => phase_for(key.reopen(&self.dir), &self.dir, screen),
            (None, None) => locked_phase(LockedStore::open(&self.dir), &self.dir),
        };
        match (&mut self.phase, typed) {
            (Phase::Ready(w), Some(typed)) => w.restore_typed(typed),
            (_, typed) => self.kept = typed,
        }
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
        if !status.is_error {
            self.record("restored a backup", AuditSubject::named("a backup file"));
        }
        self.report(status);
    }

    /// Records work done on the whole log in the audit trail of the log now open; a trail that
    /// cannot be written is said on the status line.
    fn record(&mut self, action: &'static str, what: AuditSubject) {
        if let Phase::Ready(w) = &mut self.phase {
            w.audit(action, what, false);
        }
    }

    /// Says how work on the whole log went, on whatever screen followed it (a message already
    /// on the status line, such as a refused audit entry, is not covered by a success).
    fn report(&mut self, status: Status) {
        match &mut self.phase {
            Phase::Ready(w) if w.status.is_some() && !status.is_error => {}
            Phase::Ready(w) => w.status = Some(status),
            Phase::Failed(f) if status.is_error => f.message = status.text,
            Phase::Locked(l) if status.is_error => l.error = Some(status.text),
            _ => {}
        }
    }

    /// The log a restore just put in place: opened with the key that opened the backup (or its
    /// passphrase, should the key not fit), or, for a backup from before encryption, at the
    /// lock screen, where its passphrase is chosen and typed twice.
    fn open_restored(&self, key: KeptKey, passphrase: &Passphrase, screen: Screen) -> Phase {
        if !key.holds_key() {
            return locked_phase(LockedStore::open(&self.dir), &self.dir);
        }
        match key.reopen(&self.dir) {
            Err(StoreError::NotUnlocked) => {
                phase_for(Store::open(&self.dir, passphrase), &self.dir, screen)
            }
            opened => phase_for(opened, &self.dir, screen),
        }
    }

    /// Closes the workspace, keeping what was typed, and hands back its store once no
    /// background work shares it. `None` (with the phase set) if it cannot be had alone.
    fn close_workspace(&mut self) -> Option<Store> {
        let (store, typed) = self.take_workspace();
        self.kept = typed;
        if store.is_none() {
            self.phase = locked_phase(LockedStore::open(&self.dir), &self.dir);
        }
        store
    }

    /// Takes the workspace apart: its store (if nothing else shares it, once background work
    /// has ended; otherwise it is closed) and what was typed on its screens.
    fn take_workspace(&mut self) -> (Option<Store>, Option<Typed>) {
        let Phase::Ready(w) = self.close() else {
            return (None, None);
        };
        let (store, typed) = w.into_typed();
        (std::sync::Arc::try_unwrap(store).ok(), Some(typed))
    }
}

impl eframe::App for BeatbookApp {
    /// The idle lock, checked here because eframe calls `logic` even while the window is
    /// minimized (and `ui` only when it is shown).
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        let now = self.now();
        let Phase::Ready(w) = &self.phase else {
            return;
        };
        let minutes = w
            .lookup
            .profile
            .as_ref()
            .map_or(DEFAULT_IDLE_MINUTES, |p| p.idle_lock_minutes);
        if self.idle.expired(ctx, now, minutes) {
            self.transition(Transition::Lock);
            forget_secret_fields(ctx);
            ctx.request_repaint();
        }
    }

    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        self.keep_display(ui.ctx());
        let mut next = None;
        let now = self.now();
        match &mut self.phase {
            Phase::Ready(w) => {
                w.ui(ui);
                if ui.input_mut(|i| i.consume_shortcut(&LOCK)) {
                    w.ask_app(AppRequest::Lock);
                }
                next = w.request.take().map(Transition::from);
            }
            Phase::Locked(screen) => match screen.show(ui, now) {
                Unlock::Waiting => {}
                Unlock::Unlocked(store) => next = Some(Transition::Opened(store)),
                Unlock::Failed(e) => {
                    self.phase = Phase::Failed(Failure::new(&e, &self.dir));
                    // Drawn at once: nothing else wakes the window.
                    ui.ctx().request_repaint();
                }
            },
            Phase::Onboarding(setup) => {
                let (store, form) = &mut **setup;
                if onboarding::show(ui, form) {
                    match store.set_up(&form.name, &form.badge, form.role, &form.beat) {
                        Ok(_) => next = Some(Transition::SetUp),
                        Err(e) => form.error = Some(e.to_string()),
                    }
                }
            }
            Phase::Failed(failure) => {
                next = failure_screen(ui, failure, &self.dir, self.dialogs.as_ref());
            }
            Phase::Compacting(work) => {
                next = work
                    .show(ui)
                    .map(|done| Transition::Compacted(Box::new(done)));
            }
        }
        if let Some(t) = next {
            self.transition(t);
            // The screen that asked for a passphrase is left, or it was used.
            forget_secret_fields(ui.ctx());
            // The new phase is drawn at once, not at the next input (an idle lock has none).
            ui.ctx().request_repaint();
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
        if let Some(display) = self.display {
            display.save(storage);
        }
    }
}

impl BeatbookApp {
    /// Puts beatbook's themes in place and the display an earlier run chose (on the first
    /// frame), then notes what is shown (chosen in Settings, or zoomed with Ctrl+Plus) for
    /// the next run.
    fn keep_display(&mut self, ctx: &egui::Context) {
        if !self.styled {
            self.styled = true;
            theme::install(ctx);
            if let Some(display) = self.restored_display.take() {
                display.apply(ctx);
            }
            // This frame was laid out in the style it started with.
            ctx.request_repaint();
        }
        self.display = Some(Display::of(ctx));
    }
}

/// The plain-words screen shown when the log cannot be opened, with a way out.
fn failure_screen(
    ui: &mut Ui,
    failure: &mut Failure,
    dir: &Path,
    dialogs: &dyn FileDialogs,
) -> Option<Transition> {
    let mut next = None;
    egui::CentralPanel::default().show(ui, |ui| {
        ui.add_space(40.0);
        ui.heading("beatbook cannot open your log");
        ui.label(RichText::new(failure.message.as_str()).size(16.0));
        ui.add_space(8.0);
        ui.label(format!("Log folder: {}", dir.display()));
        if failure.choose_folder {
            ui.label(
                "Nothing has been changed. Choose another folder for your log, or fix the \
                 problem and try again.",
            );
        } else {
            ui.label("Your entries have not been changed. Fix the problem, then try again.");
        }
        ui.horizontal_wrapped(|ui| {
            if failure.choose_folder && ui.button("Choose another folder...").clicked() {
                match dialogs.pick_folder("Choose a folder for your log") {
                    Ok(Some(folder)) => next = Some(Transition::OpenFolder(folder)),
                    Ok(None) => {}
                    Err(why) => failure.typed_folder = Some((String::new(), why)),
                }
            }
            if ui.button("Try again").clicked() {
                next = Some(Transition::Reopen);
            }
        });
        if let Some((typed, why)) = &mut failure.typed_folder {
            ui.add_space(8.0);
            ui.label(format!(
                "No folder dialog can be shown ({why}). Type the folder's path:"
            ));
            ui.horizontal(|ui| {
                let field = ui.add(
                    egui::TextEdit::singleline(typed)
                        .desired_width(420.0)
                        .hint_text("/home/you/beatbook"),
                );
                let enter = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                if (ui.button("Open this folder").clicked() || enter) && !typed.trim().is_empty() {
                    next = Some(Transition::OpenFolder(PathBuf::from(typed.trim())));
                }
            });
        }
        if !failure.backups.is_empty() {
            ui.add_space(12.0);
            ui.label(RichText::new("Or restore a backup").strong());
            ui.label(
                "The log is replaced by the backup. The damaged log is kept aside in the log \
                 folder (store.replaced-…) and backed up as far as it can be read.",
            );
            labelled_secret(
                ui,
                "The backup's passphrase (the one in use when it was taken)",
                &mut failure.passphrase,
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
                        let pass = Passphrase::new(std::mem::take(&mut failure.passphrase));
                        next = Some(Transition::Restore(b.path.clone(), pass));
                    }
                });
            }
        }
    });
    next
}
