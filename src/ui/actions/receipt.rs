//! The promise receipt: a follow-up made into a receipt for the resident, and saved as a PDF.

use crate::model::{FollowUp, Id, PromiseReceipt, RecordKind};
use crate::store::StoreError;
use crate::ui::exchange::PathFor;
use crate::ui::workspace::Workspace;

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
