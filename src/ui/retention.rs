//! The window confirming a removal: the purge preview and the request to forget a person, each
//! shown in full before anything is removed (what confirming does is in `actions::retention`).

use egui::{RichText, Ui};

use super::command::Command;
use crate::query::retention::{ForgetPlan, PurgeItem, PurgePlan};

/// How many items of each list the preview shows.
const SHOWN: usize = 12;

/// What is waiting for the user's confirmation.
pub enum PendingRemoval {
    Purge(PurgePlan),
    Forget(ForgetPlan),
}

/// The confirmation window for a pending purge or forgetting.
pub fn removal_dialog(ctx: &egui::Context, pending: &PendingRemoval, cmds: &mut Vec<Command>) {
    let modal = egui::Modal::new(egui::Id::unique("confirm_removal")).show(ctx, |ui| {
        ui.set_width(560.0);
        match pending {
            PendingRemoval::Purge(plan) => purge_preview(ui, plan),
            PendingRemoval::Forget(plan) => forget_preview(ui, plan),
        }
        ui.add_space(6.0);
        ui.label(match pending {
            PendingRemoval::Purge(_) => {
                "This cannot be undone in the log. Backups taken before keep the old entries \
                 (encrypted) until they age out."
            }
            PendingRemoval::Forget(_) => "This cannot be undone.",
        });
        ui.horizontal(|ui| {
            let label = match pending {
                PendingRemoval::Purge(_) => "Purge now",
                PendingRemoval::Forget(_) => "Forget this person",
            };
            if ui.button(RichText::new(label).strong()).clicked() {
                cmds.push(Command::ConfirmRemoval);
            }
            if ui.button("Cancel").clicked() {
                cmds.push(Command::CancelRemoval);
            }
        });
    });
    if modal.should_close() {
        cmds.push(Command::CancelRemoval);
    }
}

fn purge_preview(ui: &mut Ui, plan: &PurgePlan) {
    ui.heading("Purge under the retention policy?");
    ui.label(format!("This removes: {}.", plan.summary()));
    egui::ScrollArea::vertical()
        .max_height(360.0)
        .show(ui, |ui| {
            listed(ui, "Contact notes emptied", &plan.notes);
            listed(ui, "Journal notes removed", &plan.journal);
            listed(ui, "Contact details removed", &plan.details);
            listed(
                ui,
                "People anonymized (name, notes and details)",
                &plan.anonymize,
            );
        });
}

fn listed(ui: &mut Ui, title: &str, items: &[PurgeItem]) {
    if items.is_empty() {
        return;
    }
    ui.label(RichText::new(format!("{title} ({})", items.len())).strong());
    for item in items.iter().take(SHOWN) {
        ui.label(&item.label);
    }
    if items.len() > SHOWN {
        ui.weak(format!("and {} more", items.len() - SHOWN));
    }
}

fn forget_preview(ui: &mut Ui, plan: &ForgetPlan) {
    ui.heading(format!("Forget {}?", plan.name));
    ui.label(
        "At the resident's request: their name, notes and contact details are removed from \
         the log, with every earlier version of them. Contacts with them stay, counted as \
         someone who gave no name.",
    );
    ui.label(format!(
        "Their name is also blanked out of {} other entries (notes, promises, reviews) that \
         mention or point at them.",
        plan.mentions
    ));
    ui.label(
        "The backups that hold them are deleted and a new backup is taken, so no copy of the \
         log brings them back, and a bundle written before that still holds them is refused \
         on import.",
    );
}
