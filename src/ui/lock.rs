//! The lock screen (unlocking the log, or choosing its passphrase the first time), the lockout
//! after wrong passphrases, and the idle timer that locks the app when nobody uses it.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Duration, Local, Utc};
use egui::{RichText, Ui};
use zeroize::Zeroize;

use super::background::{Background, Outcome};
use super::widgets::{
    forget_secret_fields, form_page, ignore_undo_redo, labelled_secret, passphrase_hint,
};
use crate::store::{
    EarlyKey, LockedStore, Passphrase, Protection, Refused, Store, StoreError, StoreResult,
};

/// The longest idle time before the app locks, in minutes (and the default).
pub const MAX_IDLE_MINUTES: u32 = 30;
pub const DEFAULT_IDLE_MINUTES: u32 = 15;

type Unlocking = Background<Result<Store, Box<Refused>>>;
type Opening = Background<StoreResult<LockedStore>>;

pub struct LockScreen {
    /// The log being opened beside the UI: sled reads its whole log first, which takes a
    /// while for a large one, and the passphrase can be typed meanwhile.
    opening: Option<Opening>,
    open_failed: Option<StoreError>,
    /// The log, once open and while no unlock attempt is running.
    locked: Option<LockedStore>,
    unlocking: Option<Unlocking>,
    /// The passphrase was given (at this time) before the log was open: it is tried as soon as
    /// the log is.
    asked_at: Option<DateTime<Utc>>,
    /// The key derived from that passphrase meanwhile (see [`EarlyKey`]).
    early: Option<Background<Option<EarlyKey>>>,
    dir: PathBuf,
    /// Until the log is open, what its folder suggests: protected when it has a log.
    protection: Protection,
    /// When the last lockout ends, read when the log is opened and after each refusal (not
    /// every frame).
    lockout_end: Option<DateTime<Utc>>,
    passphrase: String,
    confirm: String,
    pub error: Option<String>,
}

/// What the lock screen ended with this frame.
pub enum Unlock {
    Waiting,
    Unlocked(Box<Store>),
    /// The log cannot be used at all (damaged, from a newer beatbook ...).
    Failed(StoreError),
}

impl LockScreen {
    pub fn new(locked: LockedStore) -> StoreResult<Self> {
        let mut screen = LockScreen::waiting_for(locked.dir(), None, Protection::New);
        screen.opened(locked)?;
        Ok(screen)
    }

    /// The lock screen of the log in `dir`, shown at once while the log opens beside it.
    pub fn opening(dir: &Path) -> Self {
        let at = dir.to_path_buf();
        LockScreen::opening_with(dir, move || LockedStore::open(&at))
    }

    /// [`LockScreen::opening`], opening the log with `open` (tests hold it back).
    pub fn opening_with(
        dir: &Path,
        open: impl FnOnce() -> StoreResult<LockedStore> + Send + 'static,
    ) -> Self {
        let guess = if crate::store::has_log(dir) {
            Protection::Protected
        } else {
            Protection::New
        };
        LockScreen::waiting_for(dir, Some(Background::start("open log", open)), guess)
    }

    fn waiting_for(dir: &Path, opening: Option<Opening>, protection: Protection) -> Self {
        LockScreen {
            opening,
            open_failed: None,
            locked: None,
            unlocking: None,
            asked_at: None,
            early: None,
            dir: dir.to_path_buf(),
            protection,
            lockout_end: None,
            passphrase: String::new(),
            confirm: String::new(),
            error: None,
        }
    }

    /// Takes the opened log, and tries a passphrase given meanwhile when it was asked for the
    /// right thing (a log that turns out to need a new passphrase asks for it twice first).
    fn opened(&mut self, locked: LockedStore) -> StoreResult<()> {
        let protection = locked.protection()?;
        self.lockout_end = locked.lockout_end()?;
        self.locked = Some(locked);
        let asked_at = self.asked_at.take();
        if protection != self.protection {
            self.protection = protection;
        } else if let Some(at) = asked_at {
            self.start_unlock(at);
        }
        Ok(())
    }

    /// Takes the log once it is open; a failure to open is kept for `show` to report.
    fn poll_opening(&mut self) {
        let Some(opening) = self.opening.as_mut() else {
            return;
        };
        let result = match opening.poll() {
            Outcome::Running => return,
            Outcome::Done(result) => result,
            Outcome::Lost => Err(StoreError::Write(
                "opening the log stopped unexpectedly".into(),
            )),
        };
        self.opening = None;
        if let Err(e) = result.and_then(|locked| self.opened(locked)) {
            self.open_failed = Some(e);
        }
    }

    pub fn show(&mut self, ui: &mut Ui, now: DateTime<Utc>) -> Unlock {
        // Nothing on the lock screen is undone: no field may give back what was typed.
        ignore_undo_redo(ui.ctx());
        self.poll_opening();
        if let Some(e) = self.open_failed.take() {
            return Unlock::Failed(e);
        }
        if let Some(done) = self.poll() {
            return done;
        }
        if self.opening.is_some() {
            // Nothing else wakes the UI when the log is open.
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_millis(50));
        }
        let locked_out = self.lockout_end.filter(|until| *until > now);
        let submit = form_page(ui, self.title(), self.explanation(), |ui| {
            self.form(ui, locked_out)
        });
        if submit {
            self.start_unlock(now);
            forget_secret_fields(ui.ctx());
        }
        if let Some(until) = locked_out {
            let wait = (until - now).to_std().unwrap_or_default();
            ui.ctx().request_repaint_after(wait);
        }
        Unlock::Waiting
    }

    fn title(&self) -> &'static str {
        match self.protection {
            Protection::New => "Choose a passphrase for your log",
            Protection::Unprotected => "Protect your log with a passphrase",
            Protection::Protected => "beatbook is locked",
        }
    }

    fn explanation(&self) -> &'static str {
        match self.protection {
            Protection::New => {
                "Your log holds residents' names, phone numbers and what they told you. It is \
                 encrypted with this passphrase, so a lost laptop gives nothing away. There is \
                 no way to recover it: keep it where your department keeps such things."
            }
            Protection::Unprotected => {
                "This log was written before beatbook encrypted logs. Choose a passphrase: \
                 every entry is then encrypted, and backups taken before are replaced by an \
                 encrypted one."
            }
            Protection::Protected => "Enter your passphrase to open your log.",
        }
    }

    /// The passphrase fields; true when the person asked to go on.
    fn form(&mut self, ui: &mut Ui, locked_out: Option<DateTime<Utc>>) -> bool {
        if let Some(until) = locked_out {
            ui.colored_label(
                ui.visuals().warn_fg_color,
                format!(
                    "Too many wrong passphrases. The log is locked until {}.",
                    until.with_timezone(&Local).format("%H:%M")
                ),
            );
            return false;
        }
        if self.unlocking.is_some() || self.asked_at.is_some() {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label(match self.protection {
                    Protection::Protected => "Unlocking...",
                    _ => "Encrypting your log...",
                });
            });
            return false;
        }
        let field = labelled_secret(ui, "Passphrase", &mut self.passphrase);
        if !ui.memory(|m| m.focused().is_some()) {
            field.request_focus();
        }
        let mut edited = field.changed();
        let choosing = self.protection != Protection::Protected;
        if choosing {
            edited |= labelled_secret(ui, "Type it again", &mut self.confirm).changed();
            // The officer is not known yet: the log is set up after it is encrypted.
            passphrase_hint(ui, &self.passphrase, &[]);
            if !self.confirm.is_empty() && self.confirm != self.passphrase {
                ui.weak("The two passphrases do not match yet.");
            }
        }
        // What was said about the fields stops being true once they are edited.
        if edited {
            self.error = None;
        }
        if let Some(e) = &self.error {
            ui.colored_label(ui.visuals().error_fg_color, e);
        }
        let label = if choosing {
            "Encrypt and start"
        } else {
            "Unlock"
        };
        let enter = ui.input(|i| i.key_pressed(egui::Key::Enter));
        let asked = ui.button(RichText::new(label).strong()).clicked() || enter;
        if !asked {
            return false;
        }
        if self.passphrase.is_empty() {
            self.error = Some("Type your passphrase first.".into());
            return false;
        }
        if choosing && self.confirm != self.passphrase {
            // Typed again from the start, as with any confirmation field.
            self.confirm.zeroize();
            self.error = Some("The two passphrases differ. Type it again.".into());
            return false;
        }
        true
    }

    fn start_unlock(&mut self, now: DateTime<Utc>) {
        let Some(locked) = self.locked.take() else {
            if self.opening.is_some() {
                self.asked_at = Some(now);
                self.derive_early();
            }
            return;
        };
        let passphrase = Passphrase::new(std::mem::take(&mut self.passphrase));
        self.confirm.zeroize();
        self.error = None;
        let early = self.early.take();
        self.unlocking = Some(Background::start("unlock", move || {
            let early = early.and_then(Background::finish).flatten();
            locked.unlock_early(&passphrase, now, early)
        }));
    }

    /// While the log opens, derives the key from the passphrase given, on the other core.
    fn derive_early(&mut self) {
        if self.early.is_some() || self.protection != Protection::Protected {
            return;
        }
        let passphrase = Passphrase::new(self.passphrase.clone());
        let dir = self.dir.clone();
        self.early = Some(Background::start("derive key", move || {
            EarlyKey::derive(&dir, &passphrase)
        }));
    }

    fn poll(&mut self) -> Option<Unlock> {
        let work = self.unlocking.as_mut()?;
        match work.poll() {
            Outcome::Running => None,
            Outcome::Done(Ok(store)) => {
                self.unlocking = None;
                Some(Unlock::Unlocked(Box::new(store)))
            }
            Outcome::Done(Err(refused)) => {
                self.unlocking = None;
                let Refused { locked, error: e } = *refused;
                let Some(locked) = locked else {
                    return Some(Unlock::Failed(e));
                };
                self.lockout_end = locked.lockout_end().ok().flatten();
                self.locked = Some(locked);
                match e {
                    StoreError::WrongPassphrase { .. }
                    | StoreError::LockedOut { .. }
                    | StoreError::WeakPassphrase(_) => {
                        self.error = Some(e.to_string());
                        None
                    }
                    other => Some(Unlock::Failed(other)),
                }
            }
            Outcome::Lost => {
                self.unlocking = None;
                Some(Unlock::Failed(StoreError::Write(
                    "unlocking stopped unexpectedly".into(),
                )))
            }
        }
    }

    /// Waits for the log to open and for an unlock attempt in progress (tests, and closing
    /// the window). A failure to open shows at the next frame.
    pub fn wait(&mut self) {
        if let Some(opening) = &mut self.opening {
            opening.wait();
            self.poll_opening();
        }
        if let Some(work) = &mut self.unlocking {
            work.wait();
        }
    }
}

impl Drop for LockScreen {
    fn drop(&mut self) {
        self.passphrase.zeroize();
        self.confirm.zeroize();
    }
}

/// Locks the app after a stretch without keyboard or mouse input. Runs in `App::logic`, which
/// eframe also calls while the window is minimized, and measures by the wall clock, so a
/// window left minimized, or a laptop asleep, is locked when it comes back.
#[derive(Default)]
pub struct IdleTimer {
    last_input: Option<DateTime<Utc>>,
}

impl IdleTimer {
    /// Notes this frame's input at `now`; true once nothing was typed or moved for `minutes`.
    /// The time is checked before the new input counts, so the first touch after the limit
    /// does not keep the app open.
    pub fn expired(&mut self, ctx: &egui::Context, now: DateTime<Utc>, minutes: u32) -> bool {
        let limit = Duration::minutes(i64::from(minutes.clamp(1, MAX_IDLE_MINUTES)));
        let last = *self.last_input.get_or_insert(now);
        if now - last >= limit {
            self.last_input = None;
            return true;
        }
        // While the window is hidden the input is the last shown frame's, not new.
        let active = ctx.input(|i| {
            !i.viewport().minimized.unwrap_or(false)
                && i.events.iter().any(|e| {
                    matches!(
                        e,
                        egui::Event::Key { .. }
                            | egui::Event::Text(_)
                            | egui::Event::PointerButton { .. }
                            | egui::Event::PointerMoved(_)
                            | egui::Event::MouseWheel { .. }
                            | egui::Event::Paste(_)
                    )
                })
        });
        let last = if active {
            self.last_input = Some(now);
            now
        } else {
            last
        };
        let left = limit - (now - last);
        ctx.request_repaint_after(left.to_std().unwrap_or_default());
        false
    }
}
