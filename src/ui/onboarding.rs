//! First run: who is using beatbook, and the first neighborhood (beat).

use egui::{RichText, Ui};

use super::widgets::{choice, labelled_text};
use crate::model::Role;

const FORM_WIDTH: f32 = 460.0;

#[derive(Default)]
pub struct Onboarding {
    pub name: String,
    pub badge: String,
    pub role: Role,
    pub beat: String,
    pub error: Option<String>,
}

/// Draws the welcome form; returns true when the user asked to start.
pub fn show(ui: &mut Ui, form: &mut Onboarding) -> bool {
    let mut start = false;
    egui::CentralPanel::default().show(ui, |ui| {
        ui.vertical_centered(|ui| {
            ui.add_space(40.0);
            ui.heading(RichText::new("Welcome to beatbook").size(26.0));
            ui.label("Your record of the people on your beat: who you talked to, what they raised, and what you promised.");
            ui.add_space(20.0);
        });
        let pad = ((ui.available_width() - FORM_WIDTH) / 2.0).max(0.0);
        ui.horizontal(|ui| {
            ui.add_space(pad);
            ui.vertical(|ui| {
            ui.set_width(FORM_WIDTH);
            let first = labelled_text(ui, "Your name", &mut form.name, "Dana Reyes");
            if form.name.is_empty() && !ui.memory(|m| m.focused().is_some()) {
                first.request_focus();
            }
            labelled_text(ui, "Badge number", &mut form.badge, "4127");
            choice(ui, "Role", &mut form.role, &Role::ALL, |r| r.label().to_string());
            labelled_text(ui, "Your first neighborhood (beat)", &mut form.beat, "Riverside");
            if let Some(e) = &form.error {
                ui.colored_label(ui.visuals().error_fg_color, e);
            }
            let enter = ui.input(|i| i.key_pressed(egui::Key::Enter));
            if ui.button(RichText::new("Start").strong()).clicked() || enter {
                start = true;
            }
            });
        });
    });
    start
}
