//! Settings: the officer's profile and role, the display (theme and text size), the list of
//! topics, exports and backups; the squad exchange has a page of its own (`squad_exchange`).

use egui::{RichText, Ui};

use std::path::PathBuf;

use super::{short_time, Cached};
use crate::model::{check_short, Id, Role};
use crate::store::{list_backups, AuditEntry, BackupInfo, Passphrase, Profile};
use crate::ui::command::{Command, ExportFormat, Setting};
use crate::ui::lookup::Lookup;
use crate::ui::screens::ScreenCtx;
use crate::ui::widgets::{choice, labelled_secret, labelled_text};

/// The newest audit entries, and the first break in the chain if there is one.
type AuditView = (Vec<AuditEntry>, Option<String>);

/// The pages of Settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SettingsSection {
    #[default]
    General,
    SquadExchange,
}

impl SettingsSection {
    const ALL: [SettingsSection; 2] = [SettingsSection::General, SettingsSection::SquadExchange];

    fn label(self) -> &'static str {
        match self {
            SettingsSection::General => "General",
            SettingsSection::SquadExchange => "Squad exchange",
        }
    }
}

#[derive(Default)]
pub struct SettingsState {
    pub section: SettingsSection,
    /// What is typed on the Squad exchange page.
    pub exchange: super::squad_exchange::ExchangeForm,
    pub name: String,
    pub badge: String,
    pub role: Role,
    /// What is wrong with the name or badge typed, said when the profile is saved.
    profile_problem: Option<String>,
    pub new_topic: String,
    /// Set when the file dialog could not be used: offers a typed path instead.
    pub export_format: Option<ExportFormat>,
    pub export_path: String,
    /// A backup the user chose to restore, waiting for confirmation.
    pub confirm_restore: Option<PathBuf>,
    /// Set when the file dialog could not be used: a typed path to a backup.
    pub restore_path: Option<String>,
    /// Set when the file dialog could not be used: a typed path to a CSV file to import.
    pub import_path: Option<String>,
    pub keep_days: u32,
    /// The officer a sergeant sends reviews to.
    pub reviews_for: Option<Id>,
    /// The passphrase the chosen backup opens with.
    pub restore_passphrase: String,
    pub security: super::security::SecurityState,
    backups: Cached<u64, Vec<BackupInfo>>,
    squad_set: Cached<u64, bool>,
    audit: Cached<u64, Result<AuditView, String>>,
}

impl SettingsState {
    pub fn from_lookup(lookup: &Lookup) -> Self {
        let me = lookup.me();
        let profile = lookup.profile.as_ref();
        SettingsState {
            name: me.map(|o| o.name.clone()).unwrap_or_default(),
            badge: me.map(|o| o.badge.clone()).unwrap_or_default(),
            role: me.map(|o| o.role).unwrap_or_default(),
            keep_days: profile
                .map(|p| p.backup_keep_days)
                .unwrap_or_else(Profile::default_backup_days),
            security: super::security::SecurityState::new(
                profile.map_or(crate::ui::lock::DEFAULT_IDLE_MINUTES, |p| {
                    p.idle_lock_minutes
                }),
                profile.map(|p| p.retention).unwrap_or_default(),
            ),
            ..Default::default()
        }
    }
}

/// The officer's own name, badge and role. What is wrong with them is said beside them, and
/// goes as soon as they are edited.
fn profile(ui: &mut Ui, state: &mut SettingsState, cmds: &mut Vec<Command>) {
    ui.label(RichText::new("You").strong());
    let mut edited = labelled_text(ui, "Your name", &mut state.name, "").changed();
    edited |= labelled_text(ui, "Badge number", &mut state.badge, "").changed();
    choice(ui, "Role", &mut state.role, &Role::ALL, |r| {
        r.label().to_string()
    });
    if edited {
        state.profile_problem = None;
    }
    if let Some(p) = &state.profile_problem {
        ui.colored_label(ui.visuals().error_fg_color, p);
    }
    if ui.button("Save profile").clicked() {
        let checked = check_short("Name", &state.name)
            .and_then(|()| check_short("Badge number", &state.badge));
        state.profile_problem = checked.err().map(|e| e.to_string());
        if state.profile_problem.is_none() {
            cmds.push(Command::SaveOfficer {
                name: state.name.clone(),
                badge: state.badge.clone(),
                role: state.role,
            });
        }
    }
}

pub fn show(ui: &mut Ui, cx: &ScreenCtx, state: &mut SettingsState, cmds: &mut Vec<Command>) {
    ui.horizontal(|ui| {
        ui.heading("Settings");
        ui.separator();
        for section in SettingsSection::ALL {
            if ui
                .selectable_label(state.section == section, section.label())
                .clicked()
            {
                state.section = section;
            }
        }
    });
    if state.section == SettingsSection::SquadExchange {
        egui::ScrollArea::vertical()
            .id_salt("squad_exchange")
            .show(ui, |ui| {
                super::squad_exchange::show(ui, cx, &mut state.exchange, cmds)
            });
        return;
    }
    egui::ScrollArea::vertical().show(ui, |ui| {
        profile(ui, state, cmds);
        ui.separator();
        crate::ui::theme::display_settings(ui);
        ui.separator();
        ui.label(RichText::new("Topics and concerns").strong());
        // Merged logs hold a record per officer for the same topic: each name is shown once.
        let mut names: Vec<&str> = cx.lookup.tags.iter().map(|t| t.name.as_str()).collect();
        names.dedup_by(|a, b| crate::model::normalize_name(a) == crate::model::normalize_name(b));
        ui.label(names.join(" · "));
        ui.horizontal(|ui| {
            let l = ui.label("New topic");
            ui.add(egui::TextEdit::singleline(&mut state.new_topic))
                .labelled_by(l.id);
            if ui.button("Add topic").clicked() && !state.new_topic.trim().is_empty() {
                cmds.push(Command::AddTopic(state.new_topic.clone()));
            }
        });
        ui.separator();
        ui.label(RichText::new("Export and import").strong());
        ui.horizontal(|ui| {
            if ui.button("Export contacts as CSV...").clicked() {
                cmds.push(Command::Export(ExportFormat::Csv));
            }
            if ui.button("Export everything as JSON...").clicked() {
                cmds.push(Command::Export(ExportFormat::Json));
            }
        });
        if ui.button("Import contacts from CSV...").clicked() {
            cmds.push(Command::ChooseCsvToImport);
        }
        if let Some(path) = &mut state.import_path {
            ui.horizontal(|ui| {
                labelled_text(ui, "CSV file", path, "/home/me/contacts.csv");
            });
            if ui.button("Import this file").clicked() && !path.trim().is_empty() {
                cmds.push(Command::ImportCsv(PathBuf::from(path.trim())));
            }
        }
        if let Some(format) = state.export_format {
            ui.horizontal(|ui| {
                labelled_text(
                    ui,
                    "Save to path",
                    &mut state.export_path,
                    "/home/me/contacts.csv",
                );
            });
            if ui.button("Export to this path").clicked() && !state.export_path.trim().is_empty() {
                cmds.push(Command::ExportTo(format, state.export_path.trim().into()));
            }
        }
        ui.separator();
        squad_exchange(ui, cx, state, cmds);
        ui.separator();
        backups(ui, cx, state, cmds);
        ui.separator();
        disk_space(ui, cmds);
        if cx.lookup.me().is_some_and(|me| me.role == Role::Sergeant) {
            ui.separator();
            audit_trail(ui, cx, state, cmds);
        }
        ui.separator();
        super::security::show(
            ui,
            &mut state.security,
            cx.lookup,
            cx.changing_passphrase,
            cmds,
        );
        ui.separator();
        super::security::retention(ui, &mut state.security, cmds);
        ui.separator();
        ui.label(format!("Your log is kept in {}", cx.store.dir().display()));
    });
}

/// Bundles carried by hand: the officer's log goes to the sergeant, the sergeant's reviews come
/// back (the exchange through shared storage is on the Squad exchange page).
fn squad_exchange(ui: &mut Ui, cx: &ScreenCtx, state: &mut SettingsState, cmds: &mut Vec<Command>) {
    ui.label(RichText::new("Bundles by hand").strong());
    ui.label(
        "Send your log to your sergeant as a bundle, and import the bundles you receive. \
         Importing merges: nothing is duplicated, and records edited on both sides are shown \
         for you to settle before anything is written. The Squad exchange page above sends \
         and receives through shared storage instead.",
    );
    let squad_set = *state.squad_set.get(cx.generation, || {
        matches!(cx.store.squad_passphrase(), Ok(Some(_)))
    });
    super::security::squad_passphrase(ui, &mut state.security, squad_set, cmds);
    ui.horizontal(|ui| {
        if ui.button("Export for review...").clicked() {
            cmds.push(Command::ExportForReview(None));
        }
        if ui.button("Import bundles...").clicked() {
            cmds.push(Command::ChooseBundlesToImport);
        }
    });
    let sergeant = cx.lookup.me().is_some_and(|me| me.role == Role::Sergeant);
    if sergeant {
        let me = cx.lookup.me().map(|o| o.meta.id);
        let mut officers: Vec<&crate::model::Officer> = cx
            .lookup
            .officers
            .values()
            .filter(|o| Some(o.meta.id) != me)
            .collect();
        officers.sort_by_key(|o| o.name.to_lowercase());
        if officers.is_empty() {
            ui.weak("Import your officers' bundles to send reviews back to them.");
            return;
        }
        let ids: Vec<Option<Id>> = officers.iter().map(|o| Some(o.meta.id)).collect();
        if state.reviews_for.is_none_or(|id| !ids.contains(&Some(id))) {
            state.reviews_for = ids.first().copied().flatten();
        }
        ui.horizontal(|ui| {
            choice(ui, "Reviews for", &mut state.reviews_for, &ids, |o| {
                o.map(|id| cx.lookup.officer_name(id)).unwrap_or_default()
            });
            if ui.button("Export reviews for this officer...").clicked() {
                cmds.push(Command::ExportForReview(state.reviews_for));
            }
        });
    }
}

/// How many audit entries Settings lists (the newest); the export has them all.
const AUDIT_SHOWN: usize = 100;

/// The audit trail, for the sergeant: who did what to the log, and whether the chain is whole.
fn audit_trail(ui: &mut Ui, cx: &ScreenCtx, state: &mut SettingsState, cmds: &mut Vec<Command>) {
    // Closed until asked for: walking the whole chain is work the Settings page need not do on
    // every change.
    egui::CollapsingHeader::new(RichText::new("Audit trail").strong())
        .id_salt("audit_trail")
        .show(ui, |ui| audit_entries(ui, cx, state, cmds));
}

fn audit_entries(ui: &mut Ui, cx: &ScreenCtx, state: &mut SettingsState, cmds: &mut Vec<Command>) {
    if ui.button("Export audit trail as CSV...").clicked() {
        cmds.push(Command::ExportAudit);
    }
    let trail = state.audit.get(cx.generation, || {
        let entries = cx
            .store
            .audit_trail(AUDIT_SHOWN)
            .map_err(|e| e.to_string())?;
        let broken = cx.store.audit_break().map_err(|e| e.to_string())?;
        Ok((entries, broken))
    });
    let (entries, broken) = match trail {
        Ok(t) => t,
        Err(e) => {
            ui.colored_label(ui.visuals().error_fg_color, e);
            return;
        }
    };
    match broken {
        Some(b) => {
            ui.colored_label(ui.visuals().error_fg_color, b);
        }
        None => {
            ui.label(
                "Every entry is chained to the one before it; none has been changed or removed.",
            );
        }
    }
    egui::Grid::new("audit_grid").striped(true).show(ui, |ui| {
        for h in ["#", "When", "Officer", "What was done", "To", "Outcome"] {
            ui.label(RichText::new(h).strong());
        }
        ui.end_row();
        for e in entries {
            ui.label(e.seq.to_string());
            ui.label(short_time(e.at));
            ui.label(cx.lookup.officer_name(e.officer));
            ui.label(&e.action);
            ui.label(&e.what);
            ui.label(&e.outcome);
            ui.end_row();
        }
    });
}

/// How many backups the list shows (the newest).
const BACKUPS_SHOWN: usize = 8;

fn disk_space(ui: &mut Ui, cmds: &mut Vec<Command>) {
    ui.label(RichText::new("Disk space").strong());
    ui.label(
        "The log keeps old versions of its pages for a while, most after a large import. \
         Compacting copies its entries into a fresh folder that takes its place: the log is \
         closed meanwhile, about half a minute per million contacts.",
    );
    if ui.button("Compact the log").clicked() {
        cmds.push(Command::CompactLog);
    }
}

fn backups(ui: &mut Ui, cx: &ScreenCtx, state: &mut SettingsState, cmds: &mut Vec<Command>) {
    ui.label(RichText::new("Backups").strong());
    ui.label("A backup is taken at the start of each day and before every upgrade or restore.");
    ui.horizontal(|ui| {
        if ui.button("Back up now").clicked() {
            cmds.push(Command::BackUpNow);
        }
        if ui.button("Restore from a file...").clicked() {
            cmds.push(Command::ChooseBackupFile);
        }
        let l = ui.label("Keep backups for (days)");
        ui.add(egui::DragValue::new(&mut state.keep_days).range(1..=3650))
            .labelled_by(l.id);
        if ui.button("Save").clicked() {
            cmds.push(Command::ChangeSetting(Setting::BackupKeepDays(
                state.keep_days,
            )));
        }
    });
    if let Some(path) = &mut state.restore_path {
        ui.horizontal(|ui| {
            labelled_text(
                ui,
                "Backup file",
                path,
                "/home/me/beatbook-20261125-090000-by-hand.bbk",
            );
        });
        if ui.button("Restore this file...").clicked() && !path.trim().is_empty() {
            state.confirm_restore = Some(PathBuf::from(path.trim()));
        }
    }
    let dir = cx.store.dir().to_path_buf();
    let list = state.backups.get(cx.generation, || list_backups(&dir));
    if list.is_empty() {
        ui.weak("No backups yet.");
    }
    let mut chosen = None;
    for b in list.iter().take(BACKUPS_SHOWN) {
        ui.horizontal(|ui| {
            ui.label(format!(
                "{} · {} · {}",
                short_time(b.created_at),
                b.reason,
                crate::report::size_in_words(b.bytes)
            ));
            if ui.button("Restore...").clicked() {
                chosen = Some(b.path.clone());
            }
        });
    }
    if chosen.is_some() {
        state.confirm_restore = chosen;
    }
    if let Some(path) = state.confirm_restore.clone() {
        let modal = egui::Modal::new(egui::Id::unique("confirm_restore")).show(ui.ctx(), |ui| {
            ui.set_width(480.0);
            ui.heading("Restore this backup?");
            ui.label(format!("{}", path.display()));
            ui.label(
                "Your log will be replaced by the backup. Your current log is backed up first, \
                 so this can be undone by restoring that backup. Anything typed and not yet \
                 saved on other screens is left behind.",
            );
            labelled_secret(ui, "The backup's passphrase", &mut state.restore_passphrase);
            ui.weak("A backup opens with the passphrase in use when it was taken.");
            ui.horizontal(|ui| {
                if ui.button("Restore").clicked() {
                    let pass = std::mem::take(&mut state.restore_passphrase);
                    cmds.push(Command::Restore(path.clone(), Passphrase::new(pass)));
                    state.confirm_restore = None;
                }
                if ui.button("Cancel").clicked() {
                    state.confirm_restore = None;
                }
            });
        });
        if modal.should_close() {
            state.confirm_restore = None;
        }
    }
}
