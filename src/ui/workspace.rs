//! The app once a store is open: navigation, the status line, background work and the one
//! place where commands are applied to the store.

use std::path::PathBuf;
use std::sync::Arc;

use chrono::{DateTime, Local, NaiveDate, Utc};
use egui::{RichText, Ui};

use super::actions::squad::SquadSetup;
use super::background::{Background, DailyBackup, IndexBuild, Outcome};
use super::command::{Command, Screen};
use super::contact_form::ContactForm;
use super::dialogs::{FileDialogs, NativeDialogs};
use super::exchange::{BundleWork, PendingImport, TypedPath};
use super::lookup::Lookup;
use super::screens::{
    followups, log, neighborhoods, people, problems, review, settings, today, ClosingFollowUp,
    ScreenCtx,
};
use crate::model::Id;
use crate::store::{AuditSubject, Passphrase, Store, StoreError};

use super::shortcuts::{keys, LOCK};
pub use super::shortcuts::{NEW_CONTACT, UNDO};
use super::sync_worker::SyncWorker;

/// A line at the bottom of the window saying what just happened.
#[derive(Debug, Clone, PartialEq)]
pub struct Status {
    pub text: String,
    pub is_error: bool,
    /// A deleted record that "Undo" brings back.
    pub undo: Option<Undo>,
}

/// A deletion the status line offers to undo.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Undo {
    Contact(Id),
    Priority(Id),
}

/// The confirmation shown over the screen for a moment after a contact is saved, where the
/// officer is looking rather than only on the status line.
#[derive(Debug, Clone, PartialEq)]
pub struct SavedNotice {
    pub text: String,
    /// Shown until this time (egui's clock, in seconds).
    until: f64,
}

/// How long the confirmation of a save stays up.
const SAVED_NOTICE_SECONDS: f64 = 3.0;

/// What the status line says when the people in the log could not be read.
fn people_unread(e: &StoreError) -> String {
    format!("The list of people could not be read; names are read one by one meanwhile: {e}")
}

/// What the workspace asks of the app around it: work for which the log is closed (or, for a
/// store that failed under a write, reopened).
pub enum AppRequest {
    /// The store failed under a write: reopen it, keeping the form and the message.
    Reopen,
    /// A confirmed restore: close the log, restore the backup, and reopen it.
    Restore(PathBuf, Passphrase),
    /// The current passphrase was right: close the log for the copy under the new key (the
    /// first passphrase is the current one, the second the new one).
    ChangePassphrase(Passphrase, Passphrase),
    /// Close the log for the copy that compacts it.
    Compact,
    /// Lock the log, keeping what was typed.
    Lock,
}

impl AppRequest {
    /// Which request wins when several come in one frame: a failed store is reopened before
    /// anything else is tried, and a lock waits for any other work on the whole log.
    fn precedence(&self) -> u8 {
        match self {
            AppRequest::Reopen => 4,
            AppRequest::Restore(..) => 3,
            AppRequest::ChangePassphrase(..) => 2,
            AppRequest::Compact => 1,
            AppRequest::Lock => 0,
        }
    }
}

pub struct Workspace {
    /// Declared first so it is dropped first: the backup thread ends before the store closes.
    daily_backup: DailyBackup,
    /// The squad exchange's sync and state, beside the UI (ended before the store closes).
    pub sync: SyncWorker,
    /// A squad being created or joined beside the UI (ended before the store closes).
    pub squad_setup: Option<Background<SquadSetup>>,
    /// The contact index being built (cancelled, not waited for, when the log closes).
    index_build: IndexBuild,
    /// Bundles being read or imported beside the UI (also ended before the store closes).
    pub bundle_work: Option<BundleWork>,
    /// Shared with background work (the day's backup).
    pub store: Arc<Store>,
    pub lookup: Lookup,
    pub generation: u64,
    pub screen: Screen,
    pub form: Option<ContactForm>,
    /// What closing the window stopped for (problems and neighborhoods' priorities with changes
    /// not saved), each shown once; forgotten at every change of the log (a save), so work
    /// changed again is shown again.
    close_asked_about: std::collections::HashSet<Id>,
    pub closing: Option<ClosingFollowUp>,
    pub status: Option<Status>,
    /// "Saved" shown near the top of the window for a moment after a contact is saved.
    pub saved_notice: Option<SavedNotice>,
    pub log: log::LogState,
    pub people: people::PeopleState,
    pub neighborhoods: neighborhoods::HoodState,
    pub problems: problems::ProblemsState,
    pub followups: followups::FollowUpsState,
    pub settings: settings::SettingsState,
    pub today: today::TodayState,
    pub review: review::ReviewState,
    /// Bundles read and compared with the log, waiting for the user's go-ahead.
    pub pending_import: Option<PendingImport>,
    /// The files of the bundles last read, read again once a signer is approved.
    pub import_paths: Vec<PathBuf>,
    /// Shown when a file dialog gave no path: lets the user type one.
    pub typed_path: Option<TypedPath>,
    /// The list of keyboard shortcuts is shown over the screen (F1 or Ctrl+/).
    pub help_open: bool,
    /// A follow-up shown as a receipt for the resident.
    pub receipt: Option<crate::model::PromiseReceipt>,
    /// The public "You said, we did" report, shown before it is saved.
    pub you_said: Option<super::you_said::YouSaidPreview>,
    pub dialogs: Box<dyn FileDialogs>,
    /// Work the app around the workspace is asked to do (it closes the log first).
    pub request: Option<AppRequest>,
    /// A purge or a forgetting shown for confirmation.
    pub pending_removal: Option<super::retention::PendingRemoval>,
    /// The current passphrase being checked beside the UI before a change (the key
    /// derivation takes a moment).
    pub passphrase_change: Option<Background<Result<(Passphrase, Passphrase), StoreError>>>,
    /// Set to freeze the clock (screenshots and tests); the real time otherwise.
    pub fixed_now: Option<DateTime<Utc>>,
}

/// Everything typed or chosen on the screens, carried over when the store has to be reopened
/// under the app (after the disk refused a write), so nothing typed is lost.
pub struct Typed {
    screen: Screen,
    generation: u64,
    form: Option<ContactForm>,
    closing: Option<ClosingFollowUp>,
    status: Option<Status>,
    log: log::LogState,
    people: people::PeopleState,
    neighborhoods: neighborhoods::HoodState,
    problems: problems::ProblemsState,
    followups: followups::FollowUpsState,
    settings: settings::SettingsState,
    review: review::ReviewState,
    typed_path: Option<TypedPath>,
    dialogs: Box<dyn FileDialogs>,
    fixed_now: Option<DateTime<Utc>>,
}

impl Workspace {
    /// Waits for background work (the day's backup, the contact index, figures and queues being
    /// worked out, bundles) to end and reports its outcome.
    pub fn wait_for_background_work(&mut self) {
        self.daily_backup.wait();
        if let Err(e) = self.lookup.wait_for_people() {
            self.fail(people_unread(&e));
        }
        self.review.wait();
        self.today.wait();
        self.followups.wait();
        self.people.wait();
        self.index_build.wait();
        if let Some(work) = &mut self.bundle_work {
            work.wait();
        }
        if let Some(work) = &mut self.passphrase_change {
            work.wait();
        }
        self.sync.wait();
        if let Some(work) = &mut self.squad_setup {
            work.wait();
        }
        if let Some(preview) = &mut self.you_said {
            preview.wait();
        }
        self.poll_background_work();
    }

    fn poll_background_work(&mut self) {
        match self.daily_backup.poll() {
            Some(Ok(Some(_))) => self.changed(),
            Some(Err(e)) => self.fail(format!("The day's backup could not be taken: {e}")),
            Some(Ok(None)) | None => {}
        }
        match self.lookup.poll() {
            Ok(true) => self.generation += 1,
            Ok(false) => {}
            Err(e) => self.fail(people_unread(&e)),
        }
        if let Some(Err(e)) = self.index_build.poll() {
            // The log is still searched, in the store; only the speed is lost.
            self.fail(format!("Searching the log will be slower than usual: {e}"));
        }
        self.poll_bundle_work();
        self.poll_sync();
        self.poll_squad_setup();
        let changed = match self.passphrase_change.as_mut().map(|w| w.poll()) {
            None | Some(Outcome::Running) => return,
            Some(Outcome::Done(result)) => result,
            Some(Outcome::Lost) => Err(StoreError::Write("the change stopped unexpectedly".into())),
        };
        self.passphrase_change = None;
        match changed {
            Ok((current, new)) => self.ask_app(AppRequest::ChangePassphrase(current, new)),
            Err(e) => self.fail(format!("The passphrase was not changed: {e}")),
        }
    }

    /// Splits the workspace into its store (to be closed) and what was typed on the screens.
    /// Background work has ended by the time this returns.
    pub fn into_typed(mut self) -> (Arc<Store>, Typed) {
        // Locking or restoring stops an import after its current step; the status line says
        // how far it got.
        self.index_build.cancel();
        self.lookup.stop_reading_people();
        if let Some(work) = &self.bundle_work {
            work.stop();
        }
        self.wait_for_background_work();
        // What was read from the log goes with its key; what was typed stays.
        self.review.forget_figures();
        self.people.forget_lists();
        self.problems.forget_read();
        self.followups = Default::default();
        let typed = Typed {
            screen: self.screen,
            generation: self.generation,
            form: self.form,
            closing: self.closing,
            status: self.status,
            log: self.log,
            people: self.people,
            neighborhoods: self.neighborhoods,
            problems: self.problems,
            followups: self.followups,
            settings: self.settings,
            review: self.review,
            typed_path: self.typed_path,
            dialogs: self.dialogs,
            fixed_now: self.fixed_now,
        };
        (self.store, typed)
    }

    /// Puts back what was typed, on a freshly opened store. The contact form is checked against
    /// what its refused save did get onto the disk.
    pub fn restore_typed(&mut self, t: Typed) {
        self.screen = t.screen;
        // Past every cached query of the old store.
        self.generation = t.generation + 1;
        self.form = t.form.map(|mut f| {
            f.reconcile(&self.store);
            f
        });
        self.closing = t.closing;
        self.status = t.status;
        self.log = t.log;
        self.people = t.people;
        self.neighborhoods = t.neighborhoods;
        self.problems = t.problems;
        self.followups = t.followups;
        self.settings = t.settings;
        self.review = t.review;
        self.typed_path = t.typed_path;
        self.dialogs = t.dialogs;
        self.fixed_now = t.fixed_now;
    }

    pub fn new(store: Store, screen: Screen) -> Result<Self, StoreError> {
        let store = Arc::new(store);
        let lookup = Lookup::load(store.clone())?;
        let settings = settings::SettingsState::from_lookup(&lookup);
        // The screen remembered from the last run may belong to a sergeant's log.
        let sergeant = lookup
            .me()
            .is_some_and(|me| me.role == crate::model::Role::Sergeant);
        let screen = if screen == Screen::Review && !sergeant {
            Screen::Today
        } else {
            screen
        };
        // The day's first backup runs beside the UI; a failure is reported, not fatal.
        let daily_backup = DailyBackup::start(store.clone(), chrono::Local::now().date_naive());
        // Said once, on the first screen after the unlock that upgraded the log.
        let upgraded = store.upgraded_from().map(|from| Status {
            text: format!(
                "beatbook upgraded this log from format {from} to format {}, after a backup \
                 (\"before upgrade\" in Settings). Settings > Compact the log gives back the \
                 disk space the upgrade used.",
                crate::store::CURRENT_FORMAT
            ),
            is_error: false,
            undo: None,
        });
        let index_build = IndexBuild::start(store.clone());
        Ok(Workspace {
            daily_backup,
            // The first sync is due at once: the log was just unlocked.
            sync: SyncWorker::new(),
            squad_setup: None,
            index_build,
            bundle_work: None,
            store,
            lookup,
            generation: 0,
            screen,
            form: None,
            close_asked_about: Default::default(),
            closing: None,
            status: upgraded,
            saved_notice: None,
            log: Default::default(),
            people: Default::default(),
            neighborhoods: Default::default(),
            problems: Default::default(),
            followups: Default::default(),
            settings,
            today: Default::default(),
            review: Default::default(),
            pending_import: None,
            import_paths: Vec::new(),
            typed_path: None,
            help_open: false,
            receipt: None,
            you_said: None,
            dialogs: Box::new(NativeDialogs),
            fixed_now: None,
            request: None,
            passphrase_change: None,
            pending_removal: None,
        })
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.fixed_now.unwrap_or_else(Utc::now)
    }

    pub fn today(&self) -> NaiveDate {
        self.now().with_timezone(&Local).date_naive()
    }

    pub(super) fn me(&self) -> Id {
        self.lookup
            .profile
            .as_ref()
            .map(|p| p.officer)
            .unwrap_or_default()
    }

    /// Draws one frame and applies what the user asked for.
    pub fn ui(&mut self, ui: &mut Ui) {
        self.poll_background_work();
        let mut cmds = Vec::new();
        let ctx = ui.ctx().clone();
        if self.lookup.reading_people() {
            ctx.request_repaint_after(std::time::Duration::from_millis(100));
        }
        if ctx.input_mut(|i| {
            i.consume_shortcut(&super::shortcuts::HELP_KEY)
                || i.consume_shortcut(&super::shortcuts::HELP_KEY_TOO)
        }) {
            self.help_open = !self.help_open;
        }
        if self.form.is_none() && self.closing.is_none() {
            self.screen_keys(&ctx, &mut cmds);
            if ctx.input_mut(|i| i.consume_shortcut(&NEW_CONTACT)) {
                self.open_contact_form_now(&ctx);
            }
            // Ctrl+Z belongs to a text field while one has the focus.
            let undo_offered = self.status.as_ref().is_some_and(|s| s.undo.is_some());
            if undo_offered
                && ctx.memory(|m| m.focused().is_none())
                && ctx.input_mut(|i| i.consume_shortcut(&UNDO))
            {
                cmds.push(Command::UndoDelete);
            }
        }
        self.keep_unsaved_form_on_close(&ctx);
        // The sync starts when it is due; the window wakes for the next one.
        let wake = self.sync.tick(&self.store);
        ctx.request_repaint_after(wake);
        let nav_bottom = self.nav_bar(ui, &mut cmds);
        self.status_bar(ui, &mut cmds);
        self.help_overlay(&ctx);
        if let Some(typed) = &mut self.typed_path {
            egui::Panel::bottom("typed_path").show(ui, |ui| {
                super::exchange::typed_path_bar(ui, typed, &mut cmds)
            });
        }
        let today = self.today();
        let sctx = ScreenCtx {
            store: super::screens::StoreView::new(self.store.clone()),
            lookup: &self.lookup,
            generation: self.generation,
            today,
            now: self.now(),
            changing_passphrase: self.passphrase_change.is_some(),
            indexing: self.index_build.reading(),
            sync: &self.sync,
            form_open: self.form.is_some()
                || self.closing.is_some()
                || self.pending_import.is_some()
                || self.pending_removal.is_some(),
        };
        egui::CentralPanel::default().show(ui, |ui| match self.screen {
            Screen::Today => today::show(ui, &sctx, &mut self.today, &mut cmds),
            Screen::Log => log::show(ui, &sctx, &mut self.log, &mut cmds),
            Screen::FollowUps => followups::show(ui, &sctx, &mut self.followups, &mut cmds),
            Screen::People => people::show(ui, &sctx, &mut self.people, &mut cmds),
            Screen::Neighborhoods => {
                neighborhoods::show(ui, &sctx, &mut self.neighborhoods, &mut cmds)
            }
            Screen::Problems => problems::show(ui, &sctx, &mut self.problems, &mut cmds),
            Screen::Review => review::show(ui, &sctx, &mut self.review, &mut cmds),
            Screen::Settings => settings::show(ui, &sctx, &mut self.settings, &mut cmds),
        });
        if let Some(receipt) = &self.receipt {
            super::receipt::receipt_window(&ctx, receipt, &mut cmds);
        }
        if let Some(preview) = &mut self.you_said {
            super::you_said::preview_window(&ctx, preview, &mut cmds);
        }
        if let Some(work) = &self.bundle_work {
            super::exchange::bundle_progress(&ctx, work, &mut cmds);
        } else if let Some(pending) = &mut self.pending_import {
            super::exchange::import_preview(&ctx, pending, &mut cmds);
        }
        if let Some(form) = &mut self.form {
            form.show(&ctx, &self.lookup, today, &mut cmds);
        }
        if let Some(closing) = &mut self.closing {
            followups::closing_dialog(&ctx, closing, &mut cmds);
        }
        if let Some(pending) = &self.pending_removal {
            super::retention::removal_dialog(&ctx, pending, &mut cmds);
        }
        let before = self.generation;
        for cmd in cmds {
            let saving = matches!(cmd, Command::SaveContactForm);
            self.apply(cmd);
            if saving && self.form.is_none() {
                self.notice_saved(&ctx);
            }
        }
        self.show_saved_notice(&ctx, nav_bottom);
        if self.generation != before {
            // Something was saved: the sync that sends it starts about ten seconds later.
            self.sync.saved(&self.store);
        }
        if self.store.is_poisoned() {
            // The disk refused a write: the app reopens the store before anything else is tried.
            self.ask_app(AppRequest::Reopen);
        }
    }

    /// Closing the window with a half-typed contact is refused once, so nothing typed is lost
    /// by a slip; the form says why and offers to save or discard.
    fn keep_unsaved_form_on_close(&mut self, ctx: &egui::Context) {
        if !ctx.input(|i| i.viewport().close_requested()) {
            return;
        }
        if let Some(form) = &mut self.form {
            if form.is_dirty() && !form.confirm_discard {
                ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
                form.confirm_discard = true;
                form.error = Some("Save or discard this contact before closing beatbook.".into());
                return;
            }
        }
        // Each problem's page or priority with changes not saved is shown, and said, once:
        // closing again goes on to the next, and leaves them once each was shown.
        let asked = &self.close_asked_about;
        let problem = self
            .problems
            .drafts
            .iter()
            .find(|(id, d)| d.is_dirty() && !asked.contains(id))
            .map(|(&id, d)| (id, d.problem.title.clone()));
        let priority = self
            .neighborhoods
            .priority_drafts
            .iter()
            .find(|(hood, d)| d.is_touched() && !asked.contains(hood))
            .map(|(&hood, _)| hood);
        let Some(unsaved) = problem.as_ref().map(|p| p.0).or(priority) else {
            return;
        };
        ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
        self.close_asked_about.insert(unsaved);
        match problem {
            Some((id, title)) => {
                self.problems.open(id);
                self.screen = Screen::Problems;
                let title = if title.trim().is_empty() {
                    "the new problem".to_string()
                } else {
                    format!("\"{}\"", title.trim())
                };
                self.fail(format!(
                    "The changes to {title} are not saved: save them, or close beatbook again \
                     to leave them."
                ));
            }
            None => {
                self.neighborhoods.selected = Some(unsaved);
                self.screen = Screen::Neighborhoods;
                self.fail(
                    "The priority being typed is not saved: save it, or close beatbook again to \
                     leave it.",
                );
            }
        }
    }

    /// The screens, "Log a contact" and, on the right, the officer, the squad exchange and
    /// Lock. A narrow window (or large text) wraps it onto more lines rather than cut it off.
    /// Returns where the bar ends, for what is shown under it.
    fn nav_bar(&mut self, ui: &mut Ui, cmds: &mut Vec<Command>) -> f32 {
        let right_width_id = egui::Id::unique("nav_right_width");
        egui::Panel::top("nav")
            .show(ui, |ui| {
                ui.horizontal_wrapped(|ui| {
                    ui.heading("beatbook");
                    ui.separator();
                    let sergeant = self
                        .lookup
                        .me()
                        .is_some_and(|me| me.role == crate::model::Role::Sergeant);
                    for s in Screen::ALL {
                        if s == Screen::Review && !sergeant && self.screen != Screen::Review {
                            continue;
                        }
                        if ui.selectable_label(self.screen == s, s.label()).clicked() {
                            cmds.push(Command::Go(s));
                        }
                    }
                    ui.separator();
                    if ui
                        .button(
                            RichText::new(format!("Log a contact ({})", keys(&NEW_CONTACT)))
                                .strong(),
                        )
                        .clicked()
                    {
                        cmds.push(Command::NewContact);
                    }
                    // The right-hand part goes on a line of its own when it did not fit beside
                    // the rest last frame.
                    let right_width: f32 = ui.data(|d| d.get_temp(right_width_id)).unwrap_or(0.0);
                    if ui.available_width() < right_width {
                        ui.end_row();
                    }
                    let right =
                        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                            if ui
                                .button("Lock")
                                .on_hover_text(format!("Lock beatbook now ({})", keys(&LOCK)))
                                .clicked()
                            {
                                cmds.push(Command::LockNow);
                            }
                            if let Some(me) = self.lookup.me() {
                                // The name may hold a title ("Sgt. Keisha Brown"): the role follows it
                                // rather than lead it, so no title is said twice.
                                ui.label(format!(
                                    "{} · {} · badge {}",
                                    me.name,
                                    me.role.label(),
                                    me.badge
                                ));
                            }
                            self.sync_words(ui, cmds);
                        });
                    let width = right.response.rect.width();
                    ui.data_mut(|d| d.insert_temp(right_width_id, width));
                });
            })
            .response
            .rect
            .bottom()
    }

    /// Where the squad exchange stands, in words; when decisions wait, a button to them
    /// instead (the state is then in its hover text), so the bar fits a 1280-pixel window.
    fn sync_words(&self, ui: &mut Ui, cmds: &mut Vec<Command>) {
        let state = self.sync.describe(self.now());
        let decisions = self.sync.status.as_ref().map_or(0, |s| s.decisions);
        if decisions > 0 {
            ui.separator();
            let words = format!(
                "{} waiting",
                crate::model::plural(decisions, "decision", "decisions")
            );
            let hover = format!(
                "Records changed here and by someone else: choose which to keep.{}",
                state
                    .as_ref()
                    .map(|(w, _)| format!(" {w}."))
                    .unwrap_or_default()
            );
            if ui
                .button(RichText::new(words).color(ui.visuals().warn_fg_color))
                .on_hover_text(hover)
                .clicked()
            {
                cmds.push(Command::OpenSquadExchange);
            }
            return;
        }
        if let Some((words, failed)) = state {
            ui.separator();
            if failed {
                // A long error is cut short here; Settings > Squad exchange says it whole.
                let short = super::screens::first_line(&words, 60);
                ui.colored_label(ui.visuals().error_fg_color, short)
                    .on_hover_text(words);
            } else if self.sync.syncing() {
                ui.weak(words);
            } else {
                ui.label(words);
            }
        }
    }

    /// Ctrl+1 ... Ctrl+7 go to the screens in the top bar's order (Review only for a sergeant,
    /// as the bar shows it).
    fn screen_keys(&self, ctx: &egui::Context, cmds: &mut Vec<Command>) {
        let sergeant = self
            .lookup
            .me()
            .is_some_and(|me| me.role == crate::model::Role::Sergeant);
        for (i, screen) in Screen::ALL.into_iter().enumerate() {
            let Some(shortcut) = super::shortcuts::screen_shortcut(i) else {
                continue;
            };
            if screen == Screen::Review && !sergeant {
                continue;
            }
            if ctx.input_mut(|input| input.consume_shortcut(&shortcut)) {
                cmds.push(Command::Go(screen));
            }
        }
    }

    /// The list of keyboard shortcuts, over the screen until F1, Ctrl+/, Esc or Close.
    fn help_overlay(&mut self, ctx: &egui::Context) {
        if !self.help_open {
            return;
        }
        if ctx.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Escape)) {
            self.help_open = false;
            return;
        }
        let mut open = true;
        egui::Window::new("Keyboard shortcuts")
            .open(&mut open)
            .collapsible(false)
            .resizable(false)
            .anchor(egui::Align2::CENTER_CENTER, egui::Vec2::ZERO)
            .show(ctx, |ui| {
                egui::Grid::new("shortcut_help")
                    .num_columns(2)
                    .striped(true)
                    .spacing([16.0, 6.0])
                    .show(ui, |ui| {
                        for row in &super::shortcuts::HELP {
                            ui.label(RichText::new(row.keys.text()).strong().monospace());
                            ui.label(row.does);
                            ui.end_row();
                        }
                    });
                ui.add_space(8.0);
                ui.weak("F1, Ctrl+/ or Esc closes this list.");
                if ui.button("Close").clicked() {
                    self.help_open = false;
                }
            });
        if !open {
            self.help_open = false;
        }
    }

    fn status_bar(&mut self, ui: &mut Ui, cmds: &mut Vec<Command>) {
        egui::Panel::bottom("status").show(ui, |ui| {
            ui.horizontal(|ui| match &self.status {
                Some(s) => {
                    if s.is_error {
                        ui.colored_label(ui.visuals().error_fg_color, &s.text);
                    } else {
                        ui.label(&s.text);
                    }
                    if s.undo.is_some() && ui.button(format!("Undo ({})", keys(&UNDO))).clicked() {
                        cmds.push(Command::UndoDelete);
                    }
                }
                None if self.index_build.reading().is_some_and(|p| p.large) => {
                    let progress = self.index_build.reading();
                    ui.spinner();
                    ui.weak(format!(
                        "Preparing fast search: {}. The log can be used meanwhile.",
                        progress.map(|p| p.describe()).unwrap_or_default()
                    ));
                    ui.ctx()
                        .request_repaint_after(std::time::Duration::from_millis(250));
                }
                None => {
                    ui.weak(format!(
                        "{} logs a contact from any screen; {} locks beatbook. Every save is \
                         written to disk before it says so.",
                        keys(&NEW_CONTACT),
                        keys(&LOCK)
                    ));
                }
            });
        });
    }

    /// Notes an export (or other file written) in the audit trail with its outcome. If the
    /// trail itself cannot be written, the status line says so.
    /// The trail says only whether it failed: the error names the file, which may name a
    /// resident.
    pub(super) fn audit(&mut self, action: &'static str, what: AuditSubject, failed: bool) {
        let outcome = if failed { "failed" } else { "done" };
        if let Err(e) = self.store.record_event(action, what, outcome) {
            self.fail(format!("The audit trail could not be written: {e}"));
        }
        // Past the cached audit trail on Settings.
        self.generation += 1;
    }

    /// Asks the app for work on the whole log; of several requests in one frame, the one that
    /// goes first is kept.
    pub(super) fn ask_app(&mut self, request: AppRequest) {
        let held = self.request.as_ref().map(AppRequest::precedence);
        if held.is_none_or(|held| request.precedence() >= held) {
            self.request = Some(request);
        }
    }

    /// After a contact is saved: what the status line says, shown where the officer looks.
    fn notice_saved(&mut self, ctx: &egui::Context) {
        if let Some(status) = self.status.as_ref().filter(|s| !s.is_error) {
            self.saved_notice = Some(SavedNotice {
                text: format!("✔ {}", status.text),
                until: ctx.input(|i| i.time) + SAVED_NOTICE_SECONDS,
            });
        }
    }

    /// The confirmation of a save, in white on dark green at the top centre of the window,
    /// just under the top bar, for a few seconds. It takes no clicks: what is under it works.
    fn show_saved_notice(&mut self, ctx: &egui::Context, top: f32) {
        let Some(notice) = &self.saved_notice else {
            return;
        };
        let now = ctx.input(|i| i.time);
        if now >= notice.until {
            self.saved_notice = None;
            return;
        }
        ctx.request_repaint_after(std::time::Duration::from_secs_f64(notice.until - now));
        egui::Area::new(egui::Id::unique("saved_notice"))
            .order(egui::Order::Foreground)
            .pivot(egui::Align2::CENTER_TOP)
            .fixed_pos(egui::pos2(ctx.content_rect().center().x, top + 8.0))
            .interactable(false)
            .show(ctx, |ui| {
                egui::Frame::new()
                    .fill(super::theme::CONFIRM_BG)
                    .stroke(egui::Stroke::new(2.0, super::theme::CONFIRM_TEXT))
                    .corner_radius(8)
                    .inner_margin(egui::Margin::symmetric(18, 10))
                    .show(ui, |ui| {
                        ui.label(
                            RichText::new(&notice.text)
                                .size(18.0)
                                .strong()
                                .color(super::theme::CONFIRM_TEXT),
                        );
                    });
            });
    }

    pub(super) fn say(&mut self, text: impl Into<String>) {
        self.status = Some(Status {
            text: text.into(),
            is_error: false,
            undo: None,
        });
    }

    pub(super) fn fail(&mut self, text: impl Into<String>) {
        self.status = Some(Status {
            text: text.into(),
            is_error: true,
            undo: None,
        });
    }

    pub(super) fn changed(&mut self) {
        self.generation += 1;
        self.close_asked_about.clear();
        if let Err(e) = self.lookup.refresh() {
            self.fail(e.to_string());
        }
    }
}
