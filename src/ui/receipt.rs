//! The promise receipt window: a follow-up as a receipt the resident keeps, to copy or print
//! (opening and saving it is in `actions::receipt`).

use egui::RichText;

use super::command::Command;
use crate::model::PromiseReceipt;

pub fn receipt_window(ctx: &egui::Context, receipt: &PromiseReceipt, cmds: &mut Vec<Command>) {
    let modal = egui::Modal::new(egui::Id::unique("promise_receipt")).show(ctx, |ui| {
        ui.set_width(520.0);
        ui.heading("Promise receipt");
        ui.weak("For the resident to keep: copy it into a message, or save it to print.");
        ui.add_space(6.0);
        for (label, value) in receipt.lines() {
            ui.label(RichText::new(label).small().weak());
            ui.label(RichText::new(value).strong());
        }
        ui.add_space(6.0);
        ui.label(receipt.closing());
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            if ui.button("Copy").clicked() {
                ui.ctx().copy_text(receipt.text());
                cmds.push(Command::ReceiptCopied);
            }
            if ui.button("Save as PDF...").clicked() {
                cmds.push(Command::SaveReceipt);
            }
            if ui.button("Close").clicked() {
                cmds.push(Command::CloseReceipt);
            }
        });
    });
    if modal.should_close() {
        cmds.push(Command::CloseReceipt);
    }
}
