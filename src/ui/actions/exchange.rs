//! Files in and out of the log besides backups: exports (CSV, JSON), the CSV import, bundles
//! written for the squad and read back (planned beside the UI, written once agreed), and the
//! typed path used wherever no file dialog gave one.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

use crate::bundle::{self, BundleScope, Choice, BUNDLE_EXTENSION};
use crate::export::ExportError;
use crate::import::ImportError;
use crate::model::Id;
use crate::store::{AuditSubject, StoreError};
use crate::ui::background::{Background, Outcome};
use crate::ui::command::ExportFormat;
use crate::ui::exchange::{file_slug, BundleWork, ImportJob, PathFor, PendingImport, TypedPath};
use crate::ui::widgets::thousands;
use crate::ui::workspace::Workspace;

impl Workspace {
    /// Asks where to write an export; when no path comes back, Settings offers to type one.
    pub(super) fn export(&mut self, format: ExportFormat) {
        let (ext, name) = match format {
            ExportFormat::Csv => ("csv", "beatbook-contacts.csv"),
            ExportFormat::Json => ("json", "beatbook-export.json"),
        };
        let path = match self.dialogs.save_file("Export", name, ext) {
            Ok(Some(p)) => p,
            Ok(None) => {
                self.settings.export_format = Some(format);
                return self.say("Export cancelled. You can also type a path in Settings.");
            }
            Err(e) => {
                self.settings.export_format = Some(format);
                return self.fail(format!(
                    "No file dialog could be shown ({e}). Type a path in Settings instead."
                ));
            }
        };
        self.export_to(format, path);
    }

    /// Writes an export to `path` and reports the outcome in the status line.
    pub fn export_to(&mut self, format: ExportFormat, path: PathBuf) {
        let result = crate::export::export_file(&self.store, format, &path);
        self.audit("exported", format.audit_subject(true), result.is_err());
        match result {
            Ok(summary) => self.say(format!(
                "Exported {} contacts ({} records in all) to {}.",
                summary.contacts,
                summary.records(),
                path.display()
            )),
            Err(e) => self.fail(e.to_string()),
        }
    }

    /// Asks for a CSV file and imports it.
    pub(super) fn choose_csv_to_import(&mut self) {
        if let Some(path) = self.pick_file("Import contacts", "csv", |s| &mut s.import_path) {
            self.import_csv(path);
        }
    }

    pub(super) fn import_csv(&mut self, path: PathBuf) {
        match crate::import::import_csv(&self.store, &path, self.me()) {
            Ok(s) => {
                self.changed();
                self.say(format!(
                    "Imported {} new contacts ({} were already in the log), {} new people, {} new neighborhoods, {} new topics.",
                    s.contacts, s.unchanged, s.people, s.neighborhoods, s.topics
                ));
            }
            Err(e) => self.fail(e.to_string()),
        }
    }

    /// Asks an import being written to stop after its current step.
    pub(super) fn stop_bundle_import(&mut self) {
        if let Some(work) = &self.bundle_work {
            work.stop();
        }
    }

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
            Err(ExportError::Store(e)) => self.fail(exchange_words(&e)),
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
        // Read again when a signer is approved in the preview.
        self.import_paths = paths.clone();
        self.bundle_work = Some(BundleWork::Reading(Background::start(
            "reading bundles",
            move || {
                let bundles = bundle::read_bundles(&store, &paths).map_err(|e| match e {
                    ImportError::Store(e) => exchange_words(&e),
                    e => e.to_string(),
                })?;
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
    pub(in crate::ui) fn poll_bundle_work(&mut self) {
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
                        thousands(s.written),
                        thousands(s.to_write)
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
            PathFor::JoinFile => self.write_join_file(text.into()),
            PathFor::YouSaidWeDid { pdf } => self.write_you_said(pdf, text.into()),
        }
    }
}

/// A store error met by the exchange, in the officer's words: where to set a missing squad
/// passphrase is the app's to say.
fn exchange_words(e: &StoreError) -> String {
    match e {
        StoreError::NoSquadPassphrase => {
            format!(
                "{e} Set it in Settings, under \"Bundles by hand\" (joining a squad on the \
                 Squad exchange page sets it too)."
            )
        }
        e => e.to_string(),
    }
}
