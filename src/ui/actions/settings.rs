//! Settings: topics, the officer's profile and the settings kept with it, backups by hand and
//! the choice of one to restore, the squad passphrase and the log's own passphrase.

use std::path::PathBuf;

use crate::model::{Role, Tag};
use crate::store::{AuditSubject, Passphrase, Profile};
use crate::ui::background::Background;
use crate::ui::command::Setting;
use crate::ui::lock::MAX_IDLE_MINUTES;
use crate::ui::screens::settings::SettingsState;
use crate::ui::workspace::Workspace;

impl Workspace {
    pub(super) fn add_topic(&mut self, name: String) {
        if self.lookup.names.has_live_topic(&name) {
            // The squad's topic of that name is used rather than a second one made.
            return self.fail(format!(
                "There is already a topic called {}.",
                self.lookup
                    .tag_name(self.lookup.names.topic_named(&name).unwrap_or_default())
            ));
        }
        let added = self
            .create_tag(&name, self.me())
            .and_then(|id| self.store.flush().map(|()| id).map_err(|e| e.to_string()));
        match added {
            Ok(_) => {
                self.settings.new_topic.clear();
                self.changed();
                self.say(format!("Added topic {}.", Tag::normalize(&name)));
            }
            Err(e) => self.fail(e),
        }
    }

    pub(super) fn save_officer(&mut self, name: String, badge: String, role: Role) {
        let Some(mut officer) = self.lookup.me().cloned() else {
            return self.fail("No officer profile to change.");
        };
        officer.name = name;
        officer.badge = badge;
        officer.role = role;
        match self.store.save(officer, self.me()) {
            Ok(_) => {
                self.changed();
                self.say("Profile saved.");
            }
            Err(e) => self.fail(e.to_string()),
        }
    }

    /// Changes one setting kept in the profile and says what it now is.
    pub(super) fn change_setting(&mut self, setting: Setting) {
        let Some(mut profile) = self.lookup.profile.clone() else {
            return;
        };
        setting.apply_to(&mut profile);
        match self.store.set_profile(&profile) {
            Ok(()) => {
                self.changed();
                self.say(setting.saved(&profile));
            }
            Err(e) => self.fail(e.to_string()),
        }
    }

    pub(super) fn back_up_now(&mut self) {
        let backed_up = self.store.backup("by hand").and_then(|info| {
            self.store
                .record_event("backed up", AuditSubject::named("by hand"), "done")
                .map(|()| info)
        });
        match backed_up {
            Ok(info) => {
                self.changed();
                self.say(format!(
                    "Backed up {} entries to {} (verified).",
                    info.entries.unwrap_or(0),
                    info.path.display()
                ));
            }
            Err(e) => self.fail(e.to_string()),
        }
    }

    /// Asks for a backup file; Settings then asks to confirm restoring it.
    pub(super) fn choose_backup_file(&mut self) {
        let picked = self.pick_file("Restore a backup", "bbk", |s| &mut s.restore_path);
        if picked.is_some() {
            self.settings.confirm_restore = picked;
        }
    }

    /// Asks for a file through the native dialog. When none is chosen or no dialog can be
    /// shown, Settings offers a field to type the path into (`typed` picks which one).
    pub(super) fn pick_file(
        &mut self,
        title: &str,
        extension: &str,
        typed: fn(&mut SettingsState) -> &mut Option<String>,
    ) -> Option<PathBuf> {
        match self.dialogs.open_file(title, extension) {
            Ok(Some(path)) => return Some(path),
            Ok(None) => self.say("No file chosen. You can also type the file's path in Settings."),
            Err(e) => self.fail(format!(
                "No file dialog could be shown ({e}). Type the file's path in Settings instead."
            )),
        }
        typed(&mut self.settings).get_or_insert_with(String::new);
        None
    }

    pub(super) fn set_squad_passphrase(&mut self, squad: Passphrase) {
        match self.store.set_squad_passphrase(&squad) {
            Ok(()) => {
                self.changed();
                self.say("The squad passphrase is set. Bundles are sealed with it.");
            }
            Err(e) => self.fail(e.to_string()),
        }
    }

    /// Checks the current passphrase beside the UI (the key derivation takes a moment); once
    /// it is right, the app closes the log for the copy under the new one.
    pub(super) fn change_passphrase(&mut self, current: Passphrase, new: Passphrase) {
        let store = self.store.clone();
        self.say("Checking the current passphrase...");
        self.passphrase_change = Some(Background::start("passphrase", move || {
            store.verify_passphrase(&current).map(|()| (current, new))
        }));
    }
}

impl Setting {
    /// Puts the setting into the profile (the idle lock within the minutes the app offers).
    fn apply_to(self, profile: &mut Profile) {
        match self {
            Setting::IdleLock(minutes) => {
                profile.idle_lock_minutes = minutes.clamp(1, MAX_IDLE_MINUTES);
            }
            Setting::BackupKeepDays(days) => profile.backup_keep_days = days,
            Setting::Retention(policy) => profile.retention = policy,
        }
    }

    /// What the status line says once the setting is saved in `profile`.
    fn saved(self, profile: &Profile) -> String {
        match self {
            Setting::IdleLock(_) => format!(
                "beatbook now locks after {} minutes without use.",
                profile.idle_lock_minutes
            ),
            Setting::BackupKeepDays(days) => format!("Backups are now kept for {days} days."),
            Setting::Retention(_) => {
                "The retention policy is saved. Preview the purge to apply it.".to_string()
            }
        }
    }
}
