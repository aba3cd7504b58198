//! First run: who is using beatbook, and the first neighborhood (beat). A sergeant may leave
//! the beat blank: they review the squad's beats rather than walk one of their own.

use egui::{RichText, Ui};

use super::widgets::{choice, form_page, labelled_text};
use crate::model::Role;

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
    form_page(
        ui,
        "Welcome to beatbook",
        "Your record of the people on your beat: who you talked to, what they raised, and what you promised.",
        |ui| {
            let first = labelled_text(ui, "Your name", &mut form.name, "Dana Reyes");
            if form.name.is_empty() && !ui.memory(|m| m.focused().is_some()) {
                first.request_focus();
            }
            let mut edited = first.changed();
            edited |= labelled_text(ui, "Badge number", &mut form.badge, "4127").changed();
            // A new role changes what the beat field needs (a sergeant's may be blank).
            let role = form.role;
            choice(ui, "Role", &mut form.role, &Role::ALL, |r| r.label().to_string());
            edited |= form.role != role;
            let sergeant = form.role == Role::Sergeant;
            let hint = if sergeant { "optional" } else { "Riverside" };
            edited |= labelled_text(ui, "Your first neighborhood (beat)", &mut form.beat, hint)
                .changed();
            if sergeant {
                ui.weak("A sergeant may leave this blank and add neighborhoods later.");
            }
            // What was said about the fields stops being true once they are edited.
            if edited {
                form.error = None;
            }
            if let Some(e) = &form.error {
                ui.colored_label(ui.visuals().error_fg_color, e);
            }
            let enter = ui.input(|i| i.key_pressed(egui::Key::Enter));
            ui.button(RichText::new("Start").strong()).clicked() || enter
        },
    )
}
