//! Settings: the officer's profile and role, the list of topics, and exports.

use egui::{RichText, Ui};

use crate::model::Role;
use crate::ui::command::{Command, ExportFormat};
use crate::ui::lookup::Lookup;
use crate::ui::widgets::{choice, labelled_text};
use crate::ui::workspace::ScreenCtx;

#[derive(Default)]
pub struct SettingsState {
    pub name: String,
    pub badge: String,
    pub role: Role,
    pub new_topic: String,
    /// Set when the file dialog could not be used: offers a typed path instead.
    pub export_format: Option<ExportFormat>,
    pub export_path: String,
}

impl SettingsState {
    pub fn from_lookup(lookup: &Lookup) -> Self {
        let me = lookup.me();
        SettingsState {
            name: me.map(|o| o.name.clone()).unwrap_or_default(),
            badge: me.map(|o| o.badge.clone()).unwrap_or_default(),
            role: me.map(|o| o.role).unwrap_or_default(),
            ..Default::default()
        }
    }
}

pub fn show(ui: &mut Ui, cx: &ScreenCtx, state: &mut SettingsState, cmds: &mut Vec<Command>) {
    egui::ScrollArea::vertical().show(ui, |ui| {
        ui.heading("Settings");
        ui.label(RichText::new("You").strong());
        labelled_text(ui, "Your name", &mut state.name, "");
        labelled_text(ui, "Badge number", &mut state.badge, "");
        choice(ui, "Role", &mut state.role, &Role::ALL, |r| {
            r.label().to_string()
        });
        if ui.button("Save profile").clicked() {
            cmds.push(Command::SaveOfficer {
                name: state.name.clone(),
                badge: state.badge.clone(),
                role: state.role,
            });
        }
        ui.separator();
        ui.label(RichText::new("Topics and concerns").strong());
        ui.label(
            cx.lookup
                .tags
                .iter()
                .map(|t| t.name.as_str())
                .collect::<Vec<_>>()
                .join(" · "),
        );
        ui.horizontal(|ui| {
            let l = ui.label("New topic");
            ui.add(egui::TextEdit::singleline(&mut state.new_topic))
                .labelled_by(l.id);
            if ui.button("Add topic").clicked() && !state.new_topic.trim().is_empty() {
                cmds.push(Command::AddTopic(state.new_topic.clone()));
            }
        });
        ui.separator();
        ui.label(RichText::new("Export").strong());
        ui.horizontal(|ui| {
            if ui.button("Export contacts as CSV...").clicked() {
                cmds.push(Command::Export(ExportFormat::Csv));
            }
            if ui.button("Export everything as JSON...").clicked() {
                cmds.push(Command::Export(ExportFormat::Json));
            }
        });
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
        ui.label(format!("Your log is kept in {}", cx.store.dir().display()));
    });
}
