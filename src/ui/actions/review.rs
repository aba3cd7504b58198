//! The sergeant's work and the files written from the log: reviews of entries, the exported
//! report, the handover packet and the audit trail.

use std::path::PathBuf;

use crate::model::{Contact, Id, Review, Verdict};
use crate::query::review::{review_report, Period};
use crate::store::{AuditSubject, StoreError};
use crate::ui::command::ReportFormat;
use crate::ui::exchange::{file_slug, PathFor};
use crate::ui::workspace::Workspace;

impl Workspace {
    /// Marks a contact reviewed or returns it. A reviewer's later verdict on the same entry
    /// revises their earlier review, so each entry has one review per reviewer. The queue keeps
    /// the entry in its place, saying what was done, with an undo.
    pub(super) fn save_review(&mut self, contact: Id, verdict: Verdict, comment: String) {
        if let Verdict::Returned { reason } = &verdict {
            if reason.trim().is_empty() {
                return self.fail(
                    "Say why the entry goes back: write a reason to return it, then press Return again.",
                );
            }
        }
        match self.write_review(contact, verdict, comment) {
            Ok((r, before)) => {
                let draft = self
                    .review
                    .queue
                    .drafts
                    .remove(&contact)
                    .unwrap_or_default();
                self.review
                    .queue
                    .acted(contact, r.verdict.clone(), before, draft);
                self.changed();
                self.say(match r.verdict {
                    Verdict::Reviewed => "Entry marked reviewed.".to_string(),
                    Verdict::Returned { .. } => {
                        "Entry returned. The officer sees it after the next bundle exchange."
                            .to_string()
                    }
                });
            }
            Err(e) => self.fail(e.to_string()),
        }
    }

    /// Writes this reviewer's review of a contact; returns it and the one it revised.
    fn write_review(
        &mut self,
        contact: Id,
        verdict: Verdict,
        comment: String,
    ) -> Result<(Review, Option<Review>), StoreError> {
        let me = self.me();
        let c: Contact = self
            .store
            .get(contact)?
            .ok_or(StoreError::NotFound(crate::model::RecordKind::Contact))?;
        let before = crate::query::review_queue::review_by(&self.store, contact, me)?;
        let review = match before.clone() {
            Some(mut r) => {
                r.contact_revision = c.meta.revision;
                r.verdict = verdict;
                r.comment = comment;
                r.meta.deleted = false;
                r
            }
            None => Review {
                meta: self.store.new_meta(me)?,
                contact,
                contact_revision: c.meta.revision,
                verdict,
                comment,
            },
        };
        Ok((self.store.save(review, me)?, before))
    }

    /// "Mark all shown as reviewed", once the sergeant confirmed how many: each entry keeps
    /// the coaching comment typed for it.
    pub(super) fn mark_reviewed(&mut self, contacts: Vec<Id>) {
        let mut done = 0;
        let mut failed = None;
        for contact in contacts {
            let draft = self.review.queue.drafts.get(&contact).cloned();
            let comment = draft
                .as_ref()
                .map(|d| d.comment.trim().to_string())
                .unwrap_or_default();
            match self.write_review(contact, Verdict::Reviewed, comment) {
                Ok((r, before)) => {
                    self.review.queue.drafts.remove(&contact);
                    self.review
                        .queue
                        .acted(contact, r.verdict, before, draft.unwrap_or_default());
                    done += 1;
                }
                Err(e) => {
                    failed = Some(e.to_string());
                    break;
                }
            }
        }
        if done > 0 {
            self.changed();
        }
        let marked = crate::model::plural(done, "entry", "entries");
        match failed {
            Some(e) => self.fail(format!("Marked {marked} reviewed, then: {e}")),
            None => self.say(format!("Marked {marked} reviewed.")),
        }
    }

    /// Takes back the review just written from the queue: the reviewer's earlier review of the
    /// entry comes back, or there is none again; what was typed for it is back in its fields.
    pub(super) fn undo_review(&mut self, contact: Id) {
        let Some(acted) = self.review.queue.take_acted(contact) else {
            return;
        };
        let me = self.me();
        let result = (|| -> Result<(), StoreError> {
            let Some(mut now) = crate::query::review_queue::review_by(&self.store, contact, me)?
            else {
                return Ok(());
            };
            match acted.before {
                Some(before) => {
                    now.contact_revision = before.contact_revision;
                    now.verdict = before.verdict;
                    now.comment = before.comment;
                    self.store.save(now, me)?;
                }
                None => {
                    self.store.delete::<Review>(now.meta.id, me)?;
                }
            }
            Ok(())
        })();
        match result {
            Ok(()) => {
                self.review.queue.drafts.insert(contact, acted.draft);
                self.changed();
                self.say("Review taken back: the entry waits for review again.");
            }
            Err(e) => self.fail(e.to_string()),
        }
    }

    /// Today's "Open the review queue": the whole squad's entries not yet reviewed, over the
    /// last 4 weeks (the count Today gives).
    pub(super) fn open_review_queue(&mut self) {
        self.review.open_queue();
        self.screen = crate::ui::command::Screen::Review;
    }

    pub(super) fn export_report(
        &mut self,
        format: ReportFormat,
        period: Period,
        officer: Option<Id>,
    ) {
        let (ext, kind) = match format {
            ReportFormat::Pdf => ("pdf", "PDF"),
            ReportFormat::Csv => ("csv", "CSV"),
        };
        let name = format!("beatbook-review-{}-to-{}.{ext}", period.from, period.to);
        let what = PathFor::Report {
            format,
            period,
            officer,
        };
        if let Some(path) =
            self.ask_save_path(&format!("Export report as {kind}"), &name, ext, what)
        {
            self.write_report(format, period, officer, path);
        }
    }

    pub(super) fn write_report(
        &mut self,
        format: ReportFormat,
        period: Period,
        officer: Option<Id>,
        path: PathBuf,
    ) {
        let report = match review_report(&self.store, period, officer, self.today()) {
            Ok(r) => r,
            Err(e) => return self.fail(e.to_string()),
        };
        let bytes = match format {
            ReportFormat::Pdf => crate::report::pdf::review_pdf(&report),
            ReportFormat::Csv => crate::report::to_csv(&report).into_bytes(),
        };
        self.write_file(&path, &bytes, "the report");
    }

    pub(super) fn export_handover(&mut self, neighborhood: Id, pdf: bool) {
        let ext = if pdf { "pdf" } else { "txt" };
        let slug = file_slug(&self.lookup.hood_name(neighborhood));
        let name = format!("handover-{slug}-{}.{ext}", self.today());
        if let Some(path) = self.ask_save_path(
            "Save handover packet",
            &name,
            ext,
            PathFor::Handover { neighborhood, pdf },
        ) {
            self.write_handover(neighborhood, pdf, path);
        }
    }

    pub(super) fn write_handover(&mut self, neighborhood: Id, pdf: bool, path: PathBuf) {
        let packet = match crate::query::handover::handover_packet(
            &self.store,
            neighborhood,
            self.me(),
            self.today(),
        ) {
            Ok(p) => p,
            Err(e) => return self.fail(e.to_string()),
        };
        let bytes = if pdf {
            crate::report::pdf::handover_pdf(&packet)
        } else {
            crate::report::handover::handover_text(&packet).into_bytes()
        };
        self.write_file(&path, &bytes, "the handover packet");
    }

    pub(super) fn export_audit(&mut self) {
        let name = format!("beatbook-audit-{}.csv", self.today());
        if let Some(path) =
            self.ask_save_path("Export the audit trail", &name, "csv", PathFor::Audit)
        {
            self.write_audit(path);
        }
    }

    pub(super) fn write_audit(&mut self, path: PathBuf) {
        match crate::export::audit_csv(&self.store) {
            Ok(text) => self.write_file(&path, text.as_bytes(), "the audit trail"),
            Err(e) => self.fail(e.to_string()),
        }
    }

    /// Writes a whole file (via a temporary file, so a failure leaves nothing half-written).
    pub(super) fn write_file(&mut self, path: &std::path::Path, bytes: &[u8], what: &'static str) {
        let written = crate::export::write_atomically(path, |w| Ok(w.write_all(bytes)?));
        self.audit("exported", AuditSubject::named(what), written.is_err());
        match written {
            Ok(()) => {
                self.typed_path = None;
                self.say(format!("Saved {what} to {}.", path.display()));
            }
            Err(e) => self.fail(e.to_string()),
        }
    }
}
