//! The public "You said, we did" report: worked out beside the UI for the preview (the guard
//! reads everyone in the log, which takes a moment in a large one), then saved as PDF or text
//! exactly as previewed.

use std::path::PathBuf;

use chrono::NaiveDate;

use crate::model::Id;
use crate::report::you_said::{to_text, YouSaidError};
use crate::ui::exchange::{file_slug, PathFor};
use crate::ui::workspace::Workspace;
use crate::ui::you_said::YouSaidPreview;

impl Workspace {
    /// Shows the preview and starts working the report out (again, for new days, in the
    /// preview already shown for that neighborhood).
    pub(super) fn preview_you_said(&mut self, neighborhood: Id, from: NaiveDate, to: NaiveDate) {
        if from > to {
            return self.fail(YouSaidError::DateOrder { from, to }.to_string());
        }
        let (store, today) = (self.store.clone(), self.today());
        match &mut self.you_said {
            Some(preview) if preview.neighborhood == neighborhood => {
                preview.update(store, from, to, today)
            }
            _ => self.you_said = Some(YouSaidPreview::start(store, neighborhood, from, to, today)),
        }
    }

    /// Asks where to save the report shown, then writes it.
    pub(super) fn save_you_said(&mut self, pdf: bool) {
        let Some(preview) = &self.you_said else {
            return;
        };
        let Some(report) = preview.report.as_ref().filter(|_| !preview.is_working()) else {
            return self.fail("The report is still being worked out: save it once it shows.");
        };
        let ext = if pdf { "pdf" } else { "txt" };
        let name = format!(
            "you-said-we-did-{}-{}.{ext}",
            file_slug(&report.neighborhood),
            report.to
        );
        let title = if pdf {
            "Save \"You said, we did\" as PDF"
        } else {
            "Save \"You said, we did\" as text"
        };
        if let Some(path) = self.ask_save_path(title, &name, ext, PathFor::YouSaidWeDid { pdf }) {
            self.write_you_said(pdf, path);
        }
    }

    /// Writes the report as previewed (not worked out again: what was seen is what is saved).
    pub(super) fn write_you_said(&mut self, pdf: bool, path: PathBuf) {
        let Some(report) = self.you_said.as_ref().and_then(|p| p.report.as_ref()) else {
            return self.fail("The report was closed: show it again to save it.");
        };
        let bytes = if pdf {
            crate::report::pdf::you_said_pdf(report)
        } else {
            to_text(report).into_bytes()
        };
        self.write_file(&path, &bytes, "the \"You said, we did\" report");
    }
}
