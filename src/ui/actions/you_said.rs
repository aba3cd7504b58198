//! The public "You said, we did" report: worked out for a preview, then saved as PDF or text.

use chrono::NaiveDate;

use crate::model::Id;
use crate::ui::workspace::Workspace;

impl Workspace {
    pub(super) fn preview_you_said(&mut self, _neighborhood: Id, _from: NaiveDate, _to: NaiveDate) {
        self.fail("The public report is not written yet.");
    }

    pub(super) fn save_you_said(&mut self, _pdf: bool) {
        self.you_said = None;
    }
}
