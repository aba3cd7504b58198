//! The promise receipt window: a follow-up as a receipt the resident keeps, to copy or print.

use egui::RichText;

use super::command::Command;
use super::exchange::PathFor;
use super::workspace::Workspace;
use crate::model::{FollowUp, Id, PromiseReceipt, RecordKind};
use crate::store::StoreError;

impl Workspace {
    /// Opens the receipt of a follow-up.
    pub(super) fn show_receipt(&mut self, id: Id) {
        let made = self.store.get::<FollowUp>(id).and_then(|f| {
            let f = f.ok_or(StoreError::NotFound(RecordKind::FollowUp))?;
            let officer = self
                .lookup
                .officers
                .get(&f.meta.owner())
                .cloned()
                .ok_or(StoreError::NotFound(RecordKind::Officer))?;
            let resident = f.person.map(|p| self.lookup.person_name(p));
            let hood = self.lookup.hood_name(f.neighborhood);
            Ok(PromiseReceipt::new(
                &f,
                &officer,
                resident.as_deref(),
                &hood,
            ))
        });
        match made {
            Ok(r) => self.receipt = Some(r),
            Err(e) => self.fail(e.to_string()),
        }
    }

    pub(super) fn export_receipt(&mut self) {
        let Some(r) = self.receipt.clone() else {
            return;
        };
        // Not named after the resident: the file's name shows in folders, recent-file lists
        // and backups of the laptop.
        let name = format!("promise-receipt-{}.pdf", r.due);
        if let Some(path) = self.ask_save_path("Save the receipt", &name, "pdf", PathFor::Receipt) {
            self.write_receipt(path);
        }
    }

    pub(super) fn write_receipt(&mut self, path: std::path::PathBuf) {
        if let Some(r) = self.receipt.clone() {
            let bytes = crate::report::pdf::receipt_pdf(&r);
            self.write_file(&path, &bytes, "the receipt");
        }
    }
}

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
