//! The squad exchange: its storage target, creating or joining the squad (the passphrase's
//! key derivation runs beside the UI), approving and removing members, "Sync now" and what a
//! sync brought back, the decisions that wait, and approving a bundle's signer in the import
//! preview. Problems are said beside the form they belong to; what was typed stays.

use std::path::PathBuf;

use crate::bundle::{self, Choice};
use crate::exchange::{self, Credentials, ExchangeError, Target, TargetSettings};
use crate::model::{Member, RecordKind};
use crate::store::Passphrase;
use crate::ui::background::{Background, Outcome};
use crate::ui::command::Screen;
use crate::ui::exchange::{PathFor, TypedPath};
use crate::ui::screens::settings::SettingsSection;
use crate::ui::sync_worker::SyncEnded;
use crate::ui::workspace::Workspace;

/// The join file's extension.
pub const JOIN_EXTENSION: &str = "bbjoin";

/// Creating or joining a squad, worked out beside the UI.
pub enum SquadSetup {
    Created(Result<Vec<u8>, String>),
    /// The squad's sergeant, in words.
    Joined(Result<String, String>),
}

impl Workspace {
    pub(super) fn open_squad_exchange(&mut self) {
        self.screen = Screen::Settings;
        self.settings.section = SettingsSection::SquadExchange;
    }

    pub(super) fn save_exchange_target(
        &mut self,
        target: Target,
        credentials: Option<Credentials>,
        keep_credentials: bool,
    ) {
        let with_key = credentials.is_some();
        let saved = (|| {
            let credentials = match credentials {
                Some(c) => Some(c),
                None if keep_credentials => {
                    exchange::target(&self.store)?.and_then(|kept| kept.credentials)
                }
                None => None,
            };
            exchange::set_target(
                &self.store,
                &TargetSettings {
                    target: target.clone(),
                    credentials,
                },
            )
        })();
        match saved {
            Ok(()) => {
                self.settings.exchange.target_saved(with_key);
                self.generation += 1;
                self.say(format!(
                    "The squad exchange goes through {}.",
                    target.describe()
                ));
                self.exchange_changed();
            }
            Err(e) => self.settings.exchange.target_problem = Some(e.to_string()),
        }
    }

    /// The squad or the storage changed: the state is read again and a sync tried at once.
    fn exchange_changed(&mut self) {
        self.sync.refresh_status(&self.store);
        self.sync.sync_now();
    }

    pub(super) fn choose_exchange_folder(&mut self) {
        match self.dialogs.pick_folder("The squad's shared folder") {
            Ok(Some(path)) => {
                self.settings.exchange.folder = path.display().to_string();
                self.settings.exchange.target_problem = None;
            }
            Ok(None) => {}
            Err(e) => {
                self.settings.exchange.target_problem = Some(format!(
                    "No folder dialog could be shown ({e}). Type the folder's path instead."
                ))
            }
        }
    }

    pub(super) fn choose_join_file(&mut self) {
        match self
            .dialogs
            .open_file("The join file from your sergeant", JOIN_EXTENSION)
        {
            Ok(Some(path)) => {
                self.settings.exchange.join_path = path.display().to_string();
                self.settings.exchange.join_problem = None;
            }
            Ok(None) => {}
            Err(e) => {
                self.settings.exchange.join_problem = Some(format!(
                    "No file dialog could be shown ({e}). Type the join file's path instead."
                ))
            }
        }
    }

    fn squad_setup_running(&mut self) -> bool {
        if self.squad_setup.is_some() {
            self.fail("The squad is being set up; wait for that to finish.");
            return true;
        }
        false
    }

    /// Creates the squad beside the UI (the passphrase's key takes a moment); the join file is
    /// then saved where the user says.
    pub(super) fn create_squad(&mut self, passphrase: Passphrase) {
        if self.squad_setup_running() {
            return;
        }
        let store = self.store.clone();
        self.say("Creating the squad...");
        self.squad_setup = Some(Background::start("creating the squad", move || {
            SquadSetup::Created(
                exchange::create_squad(&store, &passphrase).map_err(|e| e.to_string()),
            )
        }));
    }

    pub(super) fn join_squad(&mut self, file: PathBuf, passphrase: Passphrase) {
        if self.squad_setup_running() {
            return;
        }
        let bytes = match std::fs::read(&file) {
            Ok(bytes) => bytes,
            Err(e) => {
                self.settings.exchange.join_problem = Some(format!(
                    "The join file {} cannot be read ({e}).",
                    file.display()
                ));
                return;
            }
        };
        let store = self.store.clone();
        self.say("Joining the squad...");
        self.squad_setup = Some(Background::start("joining the squad", move || {
            SquadSetup::Joined(
                exchange::join_squad(&store, &bytes, &passphrase)
                    .map(|joined| joined.squad.sergeant.who())
                    .map_err(|e| match e {
                        ExchangeError::JoinFile(_) => e.to_string(),
                        e => format!("The squad could not be joined: {e}"),
                    }),
            )
        }));
    }

    /// Picks up a squad created or joined beside the UI.
    pub(in crate::ui) fn poll_squad_setup(&mut self) {
        let done = match self.squad_setup.as_mut().map(Background::poll) {
            None | Some(Outcome::Running) => return,
            Some(Outcome::Done(done)) => done,
            Some(Outcome::Lost) => SquadSetup::Created(Err("This stopped unexpectedly.".into())),
        };
        self.squad_setup = None;
        self.status = None;
        match done {
            SquadSetup::Created(Ok(bytes)) => {
                self.settings.exchange.squad_done();
                self.changed();
                self.exchange_changed();
                self.settings.exchange.join_file = Some(bytes);
                self.save_join_file();
            }
            SquadSetup::Created(Err(e)) => self.settings.exchange.create_problem = Some(e),
            SquadSetup::Joined(Ok(sergeant)) => {
                self.settings.exchange.squad_done();
                self.settings.exchange.join_path.clear();
                self.changed();
                self.exchange_changed();
                let fingerprint = bundle::my_member(&self.store)
                    .map(|m| m.fingerprint())
                    .unwrap_or_default();
                self.say(format!(
                    "Joined the squad of {}. Show your sergeant your fingerprint to be \
                     approved: {fingerprint}",
                    sergeant
                ));
            }
            SquadSetup::Joined(Err(e)) => self.settings.exchange.join_problem = Some(e),
        }
    }

    /// Asks where to save the join file just made (a path can be typed when no dialog does).
    fn save_join_file(&mut self) {
        if let Some(path) = self.ask_save_path(
            "Save the squad's join file",
            &format!("beatbook-squad.{JOIN_EXTENSION}"),
            JOIN_EXTENSION,
            PathFor::JoinFile,
        ) {
            self.write_join_file(path);
        }
    }

    pub(super) fn write_join_file(&mut self, path: PathBuf) {
        let Some(bytes) = self.settings.exchange.join_file.clone() else {
            return self.fail("There is no join file to save: create the squad first.");
        };
        let written = crate::export::write_atomically(&path, |w| {
            w.write_all(&bytes)?;
            Ok(())
        });
        match written {
            Ok(()) => {
                self.settings.exchange.join_file = None;
                self.typed_path = None;
                let fingerprint = bundle::my_member(&self.store)
                    .map(|m| m.fingerprint())
                    .unwrap_or_default();
                self.say(format!(
                    "The squad is created. Give {} to each member with the squad passphrase, \
                     and read them your fingerprint: {fingerprint}",
                    path.display()
                ));
            }
            Err(e) => {
                self.fail(format!("The join file was not saved: {e}"));
                self.typed_path = Some(TypedPath {
                    what: PathFor::JoinFile,
                    text: path.display().to_string(),
                });
            }
        }
    }

    pub(super) fn approve_member(&mut self, member: &Member) {
        match bundle::approve_member(&self.store, member) {
            Ok(()) => {
                self.settings.exchange.member_problem = None;
                self.changed();
                self.say(format!(
                    "Approved {} ({}). Their work is taken in at the next sync.",
                    member.who(),
                    member.fingerprint()
                ));
                self.exchange_changed();
            }
            Err(e) => self.settings.exchange.member_problem = Some(e.to_string()),
        }
    }

    pub(super) fn remove_member(&mut self, member: &Member) {
        match bundle::remove_member(&self.store, &member.key) {
            Ok(_) => {
                self.settings.exchange.member_problem = None;
                self.changed();
                self.say(format!(
                    "Removed {} ({}): nothing signed by that key is accepted from now on.",
                    member.who(),
                    member.fingerprint()
                ));
                self.exchange_changed();
            }
            Err(e) => self.settings.exchange.member_problem = Some(e.to_string()),
        }
    }

    pub(super) fn decide(&mut self, kind: RecordKind, id: crate::model::Id, choice: Choice) {
        match exchange::decide(&self.store, kind, id, choice) {
            Ok(()) => {
                self.settings.exchange.decision_problem = None;
                self.changed();
                self.sync.refresh_status(&self.store);
                self.say(match choice {
                    Choice::KeepMine => "Kept your version; the other is in the record's history.",
                    Choice::TakeTheirs => {
                        "Took the other version; yours is in the record's history."
                    }
                });
            }
            Err(e) => self.settings.exchange.decision_problem = Some(e.to_string()),
        }
    }

    /// Approves the key a bundle in the import preview is signed with, then reads the same
    /// bundles again, so its records show in the counts.
    pub(super) fn approve_and_import(&mut self, member: &Member) {
        let Some(pending) = self.pending_import.take() else {
            return;
        };
        match bundle::approve_member(&self.store, member) {
            Ok(()) => {
                self.changed();
                self.sync.refresh_status(&self.store);
                self.say(format!(
                    "Approved {} ({}).",
                    member.who(),
                    member.fingerprint()
                ));
                self.plan_bundles(self.import_paths.clone());
            }
            Err(e) => {
                self.fail(format!("The key was not approved: {e}"));
                self.pending_import = Some(pending);
            }
        }
    }

    /// Takes in a sync that ended: what it brought is shown, what it refused is said.
    pub(in crate::ui) fn poll_sync(&mut self) {
        let Some(ended) = self.sync.poll(&self.store) else {
            return;
        };
        let SyncEnded::Synced(report) = ended else {
            return;
        };
        // Only a sync that brought something makes the screens read the log again.
        if report.applied > 0 || report.conflicts > 0 || report.held > 0 {
            self.changed();
        }
        if !report.refused.is_empty() {
            self.fail(format!(
                "The last sync refused {}: see Settings > Squad exchange.",
                crate::model::plural(report.refused.len(), "object", "objects")
            ));
        }
    }
}
