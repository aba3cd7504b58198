//! `beatbook demo` and `beatbook export` (JSON and CSV): records written or read in bulk.
//! Bundles, the other export, are `exchange`'s.

use std::io::Write;

use super::maintenance::compact;
use super::{exchange, CliError, DemoArgs, ExportArgs, ExportFormatArg, Launch, LogDir};
use crate::demo::{self, DemoOptions};
use crate::export::{self, ExportFormat};
use crate::model::Contact;

pub(super) fn run_demo(
    dir: &LogDir,
    a: &DemoArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
    progress: bool,
) -> Result<Launch, CliError> {
    let store = dir.open()?;
    let existing = store.all::<Contact>()?.len();
    if existing > 0 && !a.add_to_existing {
        return Err(CliError::NotEmpty {
            dir: dir.to_path_buf(),
            count: existing,
        });
    }
    let opts = DemoOptions {
        officers: a.officers,
        neighborhoods: a.neighborhoods,
        contacts: a.contacts,
        seed: a.seed,
    };
    let mut shown = None;
    let summary = demo::generate(&store, &opts, &mut |done, total| {
        let percent = done * 100 / total.max(1);
        if progress && shown != Some(percent) {
            shown = Some(percent);
            // Progress is a nicety; a closed terminal must not stop the work.
            let _ = write!(err, "\rGenerating demo data: {percent:3}%");
            let _ = err.flush();
        }
    })?;
    if progress {
        writeln!(err)?;
    }
    writeln!(out, "Added {summary} to {}.", dir.display())?;
    // Bulk writes leave sled's file well above what it holds.
    compact(store, out, err, progress)?;
    Ok(Launch::Done(0))
}

pub(super) fn run_export(
    dir: &LogDir,
    a: &ExportArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Launch, CliError> {
    let store = dir.open_existing()?;
    let format = match a.format {
        ExportFormatArg::Json => ExportFormat::Json,
        ExportFormatArg::Csv => ExportFormat::Csv,
        ExportFormatArg::Bundle => return exchange::run_export_bundle(&store, a, out, err),
    };
    if a.for_officer.is_some() {
        return Err(CliError::Usage(
            "--for-officer only goes with --format bundle.".into(),
        ));
    }
    match &a.out {
        Some(path) => {
            let s = export::export_file(&store, format, path)?;
            store.record_event("exported", format.audit_subject(true), "done")?;
            let what = match format {
                ExportFormat::Json => format!(
                    "{} contacts, {} people, {} follow-ups and {} journal notes",
                    s.contacts, s.people, s.followups, s.journal_notes
                ),
                ExportFormat::Csv => format!("{} contacts", s.contacts),
            };
            writeln!(err, "Exported {what} to {}.", path.display())?;
        }
        None => {
            match format {
                ExportFormat::Json => export::export_json(&store, out)?,
                ExportFormat::Csv => export::export_csv(&store, out)?,
            };
            store.record_event("exported", format.audit_subject(false), "done")?;
            out.flush()?;
        }
    }
    Ok(Launch::Done(0))
}
