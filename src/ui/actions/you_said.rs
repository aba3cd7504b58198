//! The public "You said, we did" report: worked out for the preview (on the UI thread: it
//! counts from the contact index and reads only problems, priorities and people), then saved
//! as PDF or text exactly as previewed.

use std::path::PathBuf;

use chrono::NaiveDate;

use crate::model::Id;
use crate::report::you_said::{to_text, you_said_we_did};
use crate::ui::exchange::{file_slug, PathFor};
use crate::ui::workspace::Workspace;
use crate::ui::you_said::YouSaidPreview;

impl Workspace {
    /// Works the report out and shows it (again, for new days, when it is already shown).
    pub(super) fn preview_you_said(&mut self, neighborhood: Id, from: NaiveDate, to: NaiveDate) {
        match you_said_we_did(&self.store, neighborhood, from, to, self.today()) {
            Ok(report) => self.you_said = Some(YouSaidPreview::new(neighborhood, report)),
            Err(e) => {
                let why = format!("The report could not be made: {e}");
                if let Some(preview) = &mut self.you_said {
                    preview.problem = Some(why.clone());
                }
                self.fail(why);
            }
        }
    }

    /// Asks where to save the report shown, then writes it.
    pub(super) fn save_you_said(&mut self, pdf: bool) {
        let Some(preview) = &self.you_said else {
            return;
        };
        let ext = if pdf { "pdf" } else { "txt" };
        let name = format!(
            "you-said-we-did-{}-{}.{ext}",
            file_slug(&preview.report.neighborhood),
            preview.report.to
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
        let Some(preview) = &self.you_said else {
            return self.fail("The report was closed: show it again to save it.");
        };
        let bytes = if pdf {
            crate::report::pdf::you_said_pdf(&preview.report)
        } else {
            to_text(&preview.report).into_bytes()
        };
        self.write_file(&path, &bytes, "the \"You said, we did\" report");
    }
}
