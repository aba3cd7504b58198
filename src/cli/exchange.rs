//! `beatbook export --format bundle` and `beatbook import`: logs travelling between laptops.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::ValueEnum;

use super::{find_officer, local_time, CliError, ExportArgs, Launch, LogDir};
use crate::bundle::{self, BundleScope, Choice, ImportPlan};
use crate::model::Officer;
use crate::store::{AuditSubject, Store};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ConflictChoice {
    /// Keep the version in this log (the other stays unapplied).
    KeepMine,
    /// Take the bundle's version (the one here is kept in the record's history).
    TakeTheirs,
}

#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// Bundles (.bbundle) from squad members, merged together; or .csv files in the export's
    /// layout. Each file is checked whole, and nothing is written unless all of them are good.
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,
    /// Show what the import would do and write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// How to settle records edited both here and in a bundle. Without it, an import with
    /// such conflicts lists them and writes nothing.
    #[arg(long, value_enum, value_name = "CHOICE")]
    pub conflicts: Option<ConflictChoice>,
}

pub fn run_export_bundle(
    store: &Store,
    a: &ExportArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Launch, CliError> {
    let scope = match &a.for_officer {
        Some(who) => BundleScope::ReviewsFor(find_officer(&store.all::<Officer>()?, who)?),
        None => BundleScope::Everything,
    };
    match &a.out {
        Some(path) => {
            let s = bundle::write_bundle_file(store, scope, path)?;
            store.record_event(
                "exported",
                AuditSubject::named("a bundle, to a file"),
                "done",
            )?;
            writeln!(
                err,
                "Wrote a bundle of {} records ({} contacts, {} reviews) to {}.",
                s.records,
                s.contacts,
                s.reviews,
                path.display()
            )?;
        }
        None => {
            bundle::write_bundle(store, scope, out)?;
            store.record_event(
                "exported",
                AuditSubject::named("a bundle, to standard output"),
                "done",
            )?;
        }
    }
    Ok(Launch::Done(0))
}

fn is_csv(file: &Path) -> bool {
    file.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
}

pub(crate) fn run_import(
    dir: &LogDir,
    a: &ImportArgs,
    out: &mut dyn Write,
) -> Result<Launch, CliError> {
    let store = dir.open_existing()?;
    let (csv, bundles): (Vec<&PathBuf>, Vec<&PathBuf>) = a.files.iter().partition(|f| is_csv(f));
    if !csv.is_empty() && !bundles.is_empty() {
        return Err(CliError::Usage(
            "Import CSV files and bundles with separate commands, so each import is whole or \
             nothing. Nothing was imported."
                .into(),
        ));
    }
    // Every bundle is read and checked before anything at all is written.
    let bundles = if bundles.is_empty() {
        Vec::new()
    } else {
        bundle::read_bundles(&store, &bundles)?
    };
    if a.dry_run && !csv.is_empty() {
        return Err(CliError::Usage(
            "--dry-run works with bundles only; CSV files are checked whole as they are imported."
                .into(),
        ));
    }
    let any_bundles = !bundles.is_empty();
    let plan = bundle::plan_import(&store, bundles)?;
    if let Some(refusal) = plan.refused.first() {
        return Err(CliError::Usage(refusal.to_string()));
    }
    if any_bundles {
        print_plan(&plan, out)?;
        if !a.dry_run {
            hold_unapproved(&store, &plan, &a.files, out)?;
        }
        if !plan.conflicts.is_empty() && a.conflicts.is_none() && !a.dry_run {
            return Err(CliError::Usage(format!(
                "{} records were edited both here and in the bundles. Nothing was imported. \
                 Run again with --conflicts keep-mine or --conflicts take-theirs.",
                plan.conflicts.len()
            )));
        }
    }
    if a.dry_run {
        writeln!(out, "Dry run: nothing was written.")?;
        return Ok(Launch::Done(0));
    }
    let me = store.require_profile()?.officer;
    for file in csv {
        let s = crate::import::import_csv(&store, file, me)?;
        writeln!(
            out,
            "{}: {} new contacts, {} already in the log, {} new people, {} new neighborhoods, {} new topics.",
            file.display(),
            s.contacts,
            s.unchanged,
            s.people,
            s.neighborhoods,
            s.topics
        )?;
    }
    if any_bundles {
        let choice = match a.conflicts {
            Some(ConflictChoice::TakeTheirs) => Choice::TakeTheirs,
            _ => Choice::KeepMine,
        };
        let choices = vec![choice; plan.conflicts.len()];
        let s = bundle::apply_import(&store, &plan, &choices)?;
        if let (false, Some(why)) = (s.is_complete(), &s.stopped_by) {
            writeln!(
                out,
                "The import stopped ({why}): {} of {} records are written. Import the same bundles again to take the rest.",
                s.written, s.to_write
            )?;
            return Ok(Launch::Done(1));
        }
        writeln!(
            out,
            "Imported: {} new, {} updated, {} unchanged{}.",
            s.new,
            s.updated,
            s.unchanged,
            match (s.kept_mine, s.took_theirs) {
                (0, 0) => String::new(),
                (k, t) => format!("; conflicts: {k} kept as here, {t} taken from the bundles"),
            }
        )?;
    }
    Ok(Launch::Done(0))
}

/// Keeps the bundles signed by keys not approved here, to be imported once `squad approve` is
/// given, and says so.
fn hold_unapproved(
    store: &Store,
    plan: &ImportPlan,
    files: &[PathBuf],
    out: &mut dyn Write,
) -> Result<(), CliError> {
    for held in &plan.unapproved {
        let Some(file) = files
            .iter()
            .find(|f| f.display().to_string() == held.source)
        else {
            continue;
        };
        let bytes = std::fs::read(file).map_err(|e| {
            CliError::Usage(format!("{} cannot be read again ({e}).", file.display()))
        })?;
        store.hold_bundle(&bytes)?;
        bundle::note_pending(store, &held.member)?;
        writeln!(
            out,
            "Held: {} is signed by {} with the key {}, which is not approved here. Compare the \
             fingerprint with them in person, then run `beatbook squad approve {}` to import it.",
            held.source,
            held.member.who(),
            held.member.fingerprint(),
            held.member.fingerprint()
        )?;
    }
    Ok(())
}

fn print_plan(plan: &ImportPlan, out: &mut dyn Write) -> Result<(), CliError> {
    for (source, author, n) in &plan.sources {
        writeln!(out, "{source}: a bundle from {author} with {n} records.")?;
    }
    for (kind, c) in &plan.counts {
        writeln!(
            out,
            "  {:<14} {} new, {} updated, {} unchanged, {} in conflict",
            format!("{}:", kind.plural_label()),
            c.new,
            c.updated,
            c.unchanged,
            c.conflicting
        )?;
    }
    if let Some(note) = plan.forgotten_note() {
        writeln!(out, "  {note}")?;
    }
    for held in &plan.unapproved {
        writeln!(
            out,
            "  {}: signed by {} with the key {}, which is not approved here; its {} records wait.",
            held.source,
            held.member.who(),
            held.member.fingerprint(),
            held.records
        )?;
    }
    for c in &plan.conflicts {
        writeln!(
            out,
            "  Conflict: {} ({}) edited here by {} on {} and by {} on {}.",
            c.headline,
            c.fields.join(", "),
            c.here_by,
            local_time(c.here_at),
            c.theirs_by,
            local_time(c.theirs_at),
        )?;
    }
    Ok(())
}
