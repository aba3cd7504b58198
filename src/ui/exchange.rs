//! Files in and out of the app, as shown: what a typed path is for and the strip to type it,
//! bundle work beside the UI with its progress window, and the merge preview of an import
//! (what the commands do is in `actions::exchange`).

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

use chrono::Local;
use egui::{RichText, Ui};

use super::background::Background;
use super::command::{Command, ReportFormat};
use crate::bundle::{Choice, ImportPlan, MergeSummary};
use crate::model::Id;
use crate::query::review::Period;

/// What a path typed by hand is for (when the file dialog was cancelled or cannot be shown).
#[derive(Debug, Clone, PartialEq)]
pub enum PathFor {
    /// A bundle to write: everything, or the reviews for one officer.
    Bundle(Option<Id>),
    /// Bundles to import, one path per line.
    Bundles,
    Report {
        format: ReportFormat,
        period: Period,
        officer: Option<Id>,
    },
    Handover {
        neighborhood: Id,
        pdf: bool,
    },
    /// The promise receipt on screen, as a PDF.
    Receipt,
    /// The audit trail, as CSV.
    Audit,
    /// The squad's join file just created.
    JoinFile,
    /// The public "You said, we did" report shown, as PDF or text.
    YouSaidWeDid {
        pdf: bool,
    },
}

impl PathFor {
    fn label(&self) -> &'static str {
        match self {
            PathFor::Bundle(_) => "Save the bundle to",
            PathFor::Bundles => "Bundles to import (one path per line)",
            PathFor::Report { .. } => "Save the report to",
            PathFor::Handover { .. } => "Save the handover packet to",
            PathFor::Receipt => "Save the receipt to",
            PathFor::Audit => "Save the audit trail to",
            PathFor::JoinFile => "Save the join file to",
            PathFor::YouSaidWeDid { .. } => "Save the report for the public to",
        }
    }
}

pub struct TypedPath {
    pub what: PathFor,
    pub text: String,
}

/// A bundle import read and compared with the log, waiting for the user's go-ahead.
pub struct PendingImport {
    pub plan: ImportPlan,
    /// One per conflict, in order.
    pub choices: Vec<Choice>,
}

/// Bundles being read and compared, or an import being written, beside the UI.
pub enum BundleWork {
    Reading(Background<Result<ImportPlan, String>>),
    Writing(ImportJob),
}

/// An import being written in steps, which can be followed and stopped.
pub struct ImportJob {
    /// A failed import hands its plan back, so the user can try again.
    pub(in crate::ui) job: Background<Result<MergeSummary, Box<(String, PendingImport)>>>,
    pub(in crate::ui) written: Arc<AtomicUsize>,
    pub(in crate::ui) to_write: usize,
    pub(in crate::ui) cancel: Arc<AtomicBool>,
}

impl BundleWork {
    pub fn wait(&mut self) {
        match self {
            BundleWork::Reading(job) => job.wait(),
            BundleWork::Writing(w) => w.job.wait(),
        }
    }

    /// Asks an import to stop after the step being written.
    pub fn stop(&self) {
        if let BundleWork::Writing(w) = self {
            w.cancel.store(true, Ordering::Relaxed);
        }
    }
}

/// Text made safe for a file name: letters and digits kept (in lower case), the rest dashes.
pub(super) fn file_slug(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_lowercase().next().unwrap_or(c)
            } else {
                '-'
            }
        })
        .collect()
}

/// The strip where a path can be typed when the file dialog gave none.
pub fn typed_path_bar(ui: &mut Ui, typed: &mut TypedPath, cmds: &mut Vec<Command>) {
    ui.horizontal(|ui| {
        let hint = match typed.what {
            PathFor::Bundles => "/home/me/beatbook-for-review.bbundle",
            _ => "/home/me/Documents/file",
        };
        if typed.what == PathFor::Bundles {
            let l = ui.label(typed.what.label());
            ui.add(
                egui::TextEdit::multiline(&mut typed.text)
                    .desired_rows(2)
                    .hint_text(hint),
            )
            .labelled_by(l.id);
        } else {
            let l = ui.label(typed.what.label());
            ui.add(
                egui::TextEdit::singleline(&mut typed.text)
                    .hint_text(hint)
                    .desired_width(420.0),
            )
            .labelled_by(l.id);
        }
        if ui.button("Use this path").clicked() {
            cmds.push(Command::UseTypedPath);
        }
        if ui.button("Cancel").clicked() {
            cmds.push(Command::CancelTypedPath);
        }
    });
}

/// A window saying what is being done while bundles are read or written, with the import's
/// progress and a way to stop it.
pub fn bundle_progress(ctx: &egui::Context, work: &BundleWork, cmds: &mut Vec<Command>) {
    egui::Modal::new(egui::Id::unique("bundle_work")).show(ctx, |ui| match work {
        BundleWork::Reading(_) => {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label("Reading the bundles and comparing them with your log...");
            });
        }
        BundleWork::Writing(w) => {
            ui.set_width(420.0);
            let written = w.written.load(Ordering::Relaxed);
            let stopping = w.cancel.load(Ordering::Relaxed);
            ui.label(if stopping {
                "Stopping after the records being written..."
            } else {
                "Importing: a backup is taken first, then the records are written in steps."
            });
            let shown = written.min(w.to_write);
            ui.add(
                egui::ProgressBar::new(shown as f32 / w.to_write.max(1) as f32).text(format!(
                    "{} of {} records written",
                    super::widgets::thousands(shown),
                    super::widgets::thousands(w.to_write)
                )),
            );
            if ui
                .add_enabled(!stopping, egui::Button::new("Stop importing"))
                .on_hover_text(
                    "What is written stays; importing the same bundles again takes the rest.",
                )
                .clicked()
            {
                cmds.push(Command::StopBundleImport);
            }
        }
    });
    ctx.request_repaint_after(std::time::Duration::from_millis(100));
}

/// The merge preview: what the bundles add, update, leave alone, and the conflicts to settle.
pub fn import_preview(ctx: &egui::Context, pending: &mut PendingImport, cmds: &mut Vec<Command>) {
    let modal = egui::Modal::new(egui::Id::unique("bundle_import")).show(ctx, |ui| {
        ui.set_width(640.0);
        ui.heading("Import bundles?");
        for (source, author, n) in &pending.plan.sources {
            ui.label(format!("From {author}: {n} records ({source})"));
        }
        ui.add_space(6.0);
        egui::Grid::new("import_counts")
            .striped(true)
            .show(ui, |ui| {
                for h in ["", "New", "Updated", "Unchanged", "In conflict"] {
                    ui.label(RichText::new(h).strong());
                }
                ui.end_row();
                for (kind, c) in &pending.plan.counts {
                    ui.label(kind.plural_label());
                    for n in [c.new, c.updated, c.unchanged, c.conflicting] {
                        ui.label(n.to_string());
                    }
                    ui.end_row();
                }
            });
        if let Some(note) = pending.plan.forgotten_note() {
            ui.label(note);
        }
        signers(ui, &pending.plan, cmds);
        if !pending.plan.conflicts.is_empty() {
            ui.add_space(6.0);
            ui.label(
                RichText::new(format!(
                    "{} records were edited both here and in the bundles. Choose which version to \
                     keep; the other stays in the record's history.",
                    pending.plan.conflicts.len()
                ))
                .strong(),
            );
            egui::ScrollArea::vertical()
                .max_height(220.0)
                .show(ui, |ui| {
                    for (i, c) in pending.plan.conflicts.iter().enumerate() {
                        ui.label(format!(
                            "{} ({}): here by {} on {}, in the bundle by {} on {}",
                            c.headline,
                            c.fields.join(", "),
                            c.here_by,
                            c.here_at.with_timezone(&Local).format("%Y-%m-%d %H:%M"),
                            c.theirs_by,
                            c.theirs_at.with_timezone(&Local).format("%Y-%m-%d %H:%M"),
                        ));
                        if c.more_versions() > 0 {
                            ui.weak(format!(
                                "The bundles hold {} more versions of it, edited apart; they are \
                                 kept in its history either way.",
                                c.more_versions()
                            ));
                        }
                        if let Some(choice) = pending.choices.get_mut(i) {
                            ui.horizontal(|ui| {
                                ui.radio_value(choice, Choice::KeepMine, "Keep mine");
                                ui.radio_value(choice, Choice::TakeTheirs, "Take theirs");
                            });
                        }
                    }
                });
        }
        ui.add_space(6.0);
        ui.weak("A backup is taken first; then the records are written in steps, and an import stopped half-way is finished by importing the same bundles again.");
        ui.horizontal(|ui| {
            let nothing = pending.plan.changes_nothing();
            let left_out = !pending.plan.unapproved.is_empty() || !pending.plan.refused.is_empty();
            let label = match (nothing, left_out) {
                (false, _) => "Import",
                (true, false) => "Nothing new: close",
                (true, true) => "Nothing to import: close",
            };
            if ui.button(label).clicked() {
                cmds.push(if nothing {
                    Command::CancelBundleImport
                } else {
                    Command::ApplyBundleImport
                });
            }
            if !nothing && ui.button("Cancel").clicked() {
                cmds.push(Command::CancelBundleImport);
            }
        });
    });
    if modal.should_close() {
        cmds.push(Command::CancelBundleImport);
    }
}

/// The bundles left out of the plan: signed by a key not approved here (with a way to approve
/// it after comparing the fingerprint in person), or refused whole.
fn signers(ui: &mut Ui, plan: &ImportPlan, cmds: &mut Vec<Command>) {
    for u in &plan.unapproved {
        ui.add_space(6.0);
        ui.group(|ui| {
            ui.label(
                RichText::new(format!(
                    "Signed by {} with key {}, not approved here. Compare the fingerprint \
                     with them in person.",
                    u.member.who(),
                    u.member.fingerprint()
                ))
                .strong(),
            );
            ui.weak(format!(
                "{} ({}) {} left out until the key is approved.",
                crate::model::plural(u.records, "record", "records"),
                u.source,
                if u.records == 1 { "is" } else { "are" }
            ));
            if ui.button("Approve and import").clicked() {
                cmds.push(Command::ApproveAndImport(Box::new(u.member.clone())));
            }
        });
    }
    for refused in &plan.refused {
        ui.colored_label(ui.visuals().error_fg_color, refused.to_string());
    }
}
