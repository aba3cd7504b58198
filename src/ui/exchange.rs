//! Files in and out of the app besides backups: bundles for the squad (with the merge preview),
//! and a typed path wherever no file dialog could be used.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

use chrono::Local;
use egui::{RichText, Ui};

use super::background::{Background, Outcome};
use super::command::Command;
use super::workspace::Workspace;
use crate::bundle::{self, BundleScope, Choice, ImportPlan, MergeSummary, BUNDLE_EXTENSION};
use crate::model::Id;
use crate::query::review::Period;
use crate::store::AuditSubject;

/// Printable or spreadsheet forms of the review report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportFormat {
    Pdf,
    Csv,
}

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
    job: Background<Result<MergeSummary, Box<(String, PendingImport)>>>,
    written: Arc<AtomicUsize>,
    to_write: usize,
    cancel: Arc<AtomicBool>,
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

impl Workspace {
    /// Asks where to save a file; when no path comes back, offers to type one.
    pub(super) fn ask_save_path(
        &mut self,
        title: &str,
        default_name: &str,
        extension: &str,
        what: PathFor,
    ) -> Option<PathBuf> {
        match self.dialogs.save_file(title, default_name, extension) {
            Ok(Some(path)) => return Some(path),
            Ok(None) => self.say("Nothing saved. You can also type a path below."),
            Err(e) => self.fail(format!(
                "No file dialog could be shown ({e}). Type a path below instead."
            )),
        }
        // A full path is offered, so one click saves where the dialog would have.
        let folder = directories::UserDirs::new().map(|d| {
            d.document_dir()
                .unwrap_or_else(|| d.home_dir())
                .to_path_buf()
        });
        let text = folder
            .map(|f| f.join(default_name).display().to_string())
            .unwrap_or_else(|| default_name.to_string());
        self.typed_path = Some(TypedPath { what, text });
        None
    }

    pub(super) fn export_for_review(&mut self, officer: Option<Id>) {
        let stamp = self.today().format("%Y-%m-%d");
        let name = match officer {
            None => format!("beatbook-for-review-{stamp}.{BUNDLE_EXTENSION}"),
            Some(o) => format!(
                "beatbook-reviews-{}-{stamp}.{BUNDLE_EXTENSION}",
                file_slug(&self.lookup.officer_name(o))
            ),
        };
        if let Some(path) = self.ask_save_path(
            "Export for review",
            &name,
            BUNDLE_EXTENSION,
            PathFor::Bundle(officer),
        ) {
            self.write_bundle_to(officer, path);
        }
    }

    pub(super) fn write_bundle_to(&mut self, officer: Option<Id>, path: PathBuf) {
        let scope = officer.map_or(BundleScope::Everything, BundleScope::ReviewsFor);
        let result = bundle::write_bundle_file(&self.store, scope, &path);
        self.audit(
            "exported",
            AuditSubject::named("a bundle, to a file"),
            result.is_err(),
        );
        match result {
            Ok(s) => {
                self.typed_path = None;
                let what = match officer {
                    None => format!("{} records ({} contacts)", s.records, s.contacts),
                    Some(o) => format!("{} reviews for {}", s.reviews, self.lookup.officer_name(o)),
                };
                self.say(format!("Saved a bundle of {what} to {}.", path.display()));
            }
            Err(e) => self.fail(e.to_string()),
        }
    }

    pub(super) fn choose_bundles(&mut self) {
        match self.dialogs.open_files("Import bundles", BUNDLE_EXTENSION) {
            Ok(Some(paths)) if !paths.is_empty() => return self.plan_bundles(paths),
            Ok(_) => self.say("No bundle chosen. You can also type the paths below."),
            Err(e) => self.fail(format!(
                "No file dialog could be shown ({e}). Type the bundles' paths below instead."
            )),
        }
        self.typed_path = Some(TypedPath {
            what: PathFor::Bundles,
            text: String::new(),
        });
    }

    /// Reads every bundle and compares it with the log, beside the UI; nothing is written yet.
    pub(super) fn plan_bundles(&mut self, paths: Vec<PathBuf>) {
        if self.bundle_work.is_some() {
            return self.fail("Bundles are already being imported; wait for that to finish.");
        }
        let store = self.store.clone();
        self.typed_path = None;
        self.bundle_work = Some(BundleWork::Reading(Background::start(
            "reading bundles",
            move || {
                let bundles = bundle::read_bundles(&store, &paths).map_err(|e| e.to_string())?;
                bundle::plan_import(&store, bundles).map_err(|e| e.to_string())
            },
        )));
    }

    /// Writes the import the user agreed to, beside the UI.
    pub(super) fn apply_bundles(&mut self) {
        if self.bundle_work.is_some() {
            return;
        }
        let Some(pending) = self.pending_import.take() else {
            return;
        };
        let store = self.store.clone();
        let written = Arc::new(AtomicUsize::new(0));
        let cancel = Arc::new(AtomicBool::new(false));
        let to_write = pending.plan.records_to_write();
        let (count, stop) = (written.clone(), cancel.clone());
        let job = Background::start("importing bundles", move || {
            let mut progress = |n, _| count.store(n, Ordering::Relaxed);
            bundle::apply_import_in_steps(
                &store,
                &pending.plan,
                &pending.choices,
                bundle::IMPORT_STEP,
                &mut progress,
                &stop,
            )
            .map_err(|e| Box::new((e.to_string(), pending)))
        });
        self.bundle_work = Some(BundleWork::Writing(ImportJob {
            job,
            written,
            to_write,
            cancel,
        }));
    }

    /// Picks up finished bundle work: the preview to show, or the import's outcome.
    pub(super) fn poll_bundle_work(&mut self) {
        let Some(work) = &mut self.bundle_work else {
            return;
        };
        let lost = "The work stopped before it finished. An import keeps the steps it wrote: import the same bundles again to take the rest.";
        match work {
            BundleWork::Reading(job) => match job.poll() {
                Outcome::Running => return,
                Outcome::Done(Ok(plan)) => {
                    self.pending_import = Some(PendingImport {
                        choices: vec![Choice::KeepMine; plan.conflicts.len()],
                        plan,
                    });
                }
                Outcome::Done(Err(e)) => self.fail(e),
                Outcome::Lost => self.fail(lost),
            },
            BundleWork::Writing(w) => match w.job.poll() {
                Outcome::Running => return,
                Outcome::Done(Ok(s)) if !s.is_complete() => {
                    self.changed();
                    let why = match &s.stopped_by {
                        Some(e) => format!("it could not go on ({e})"),
                        None => "you stopped it".to_string(),
                    };
                    self.fail(format!(
                        "The import stopped because {why}: {} of {} records are written. \
                         Import the same bundles again to take the rest.",
                        super::widgets::thousands(s.written),
                        super::widgets::thousands(s.to_write)
                    ));
                }
                Outcome::Done(Ok(s)) => {
                    self.changed();
                    let conflicts = match (s.kept_mine, s.took_theirs) {
                        (0, 0) => String::new(),
                        (k, t) => {
                            format!(" Conflicts: {k} kept as here, {t} taken from the bundles.")
                        }
                    };
                    self.say(format!(
                        "Imported {} new and {} updated records ({} unchanged).{conflicts}",
                        s.new, s.updated, s.unchanged
                    ));
                }
                Outcome::Done(Err(failed)) => {
                    let (e, pending) = *failed;
                    self.fail(format!("Nothing was imported: {e}"));
                    self.pending_import = Some(pending);
                }
                Outcome::Lost => self.fail(lost),
            },
        }
        self.bundle_work = None;
    }

    /// Carries out what a typed path was asked for.
    pub(super) fn use_typed_path(&mut self) {
        let Some(typed) = &self.typed_path else {
            return;
        };
        let text = typed.text.trim().to_string();
        if text.is_empty() {
            return self.fail("Type a path first.");
        }
        match typed.what.clone() {
            PathFor::Bundle(officer) => self.write_bundle_to(officer, text.into()),
            PathFor::Bundles => {
                let paths = text
                    .lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(PathBuf::from)
                    .collect();
                self.plan_bundles(paths);
            }
            PathFor::Report {
                format,
                period,
                officer,
            } => self.write_report(format, period, officer, text.into()),
            PathFor::Handover { neighborhood, pdf } => {
                self.write_handover(neighborhood, pdf, text.into())
            }
            PathFor::Receipt => self.write_receipt(text.into()),
            PathFor::Audit => self.write_audit(text.into()),
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
            let label = if nothing {
                "Nothing new: close"
            } else {
                "Import"
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
