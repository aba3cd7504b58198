//! Looking after the log from the command line: `backup`, `restore`, `check`, `compact`,
//! `change-passphrase` and `squad-passphrase`.

use std::io::Write;
use std::path::Path;
use std::sync::atomic::AtomicBool;

use super::log_dir::secret;
use super::{CliError, Launch, LogDir};
use crate::model::RecordKind;
use crate::report::plural;
use crate::store::{AuditSubject, LockedStore, Protection, Store};

pub(super) fn run_backup(dir: &LogDir, out: &mut dyn Write) -> Result<Launch, CliError> {
    let store = dir.open_existing()?;
    let info = store.backup("by hand")?;
    store.record_event("backed up", AuditSubject::named("by hand"), "done")?;
    writeln!(
        out,
        "Backed up {} entries to {} (verified).",
        info.entries.unwrap_or(0),
        info.path.display()
    )?;
    Ok(Launch::Done(0))
}

pub(super) fn run_change_passphrase(
    dir: &LogDir,
    new_from_file: Option<&Path>,
    out: &mut dyn Write,
    err: &mut dyn Write,
    progress: bool,
) -> Result<Launch, CliError> {
    if !crate::store::has_log(&dir.dir) {
        return Err(CliError::NoLog(dir.dir.clone()));
    }
    let current = dir.passphrase(false)?;
    let store = Store::open(&dir.dir, &current)?;
    let new = secret(
        new_from_file,
        "BEATBOOK_NEW_PASSPHRASE",
        "New passphrase: ",
        true,
    )?;
    let changed = with_progress(
        err,
        progress,
        "Encrypting the log under a new key",
        |p, stop| store.change_passphrase(&current, &new, p, stop),
    )?;
    let done = changed.outcome?;
    writeln!(
        out,
        "The passphrase is changed: {} encrypted under a new key, {} with the new passphrase, {} \
         removed.",
        plural(done.entries as usize, "entry", "entries"),
        plural(
            done.backups_rewrapped,
            "backup now opens",
            "backups now open"
        ),
        plural(
            done.replaced_removed,
            "old copy of the log",
            "old copies of the log"
        ),
    )?;
    Ok(Launch::Done(0))
}

pub(super) fn run_squad_passphrase(
    dir: &LogDir,
    file: Option<&Path>,
    out: &mut dyn Write,
) -> Result<Launch, CliError> {
    let store = dir.open_existing()?;
    let squad = secret(
        file,
        "BEATBOOK_SQUAD_PASSPHRASE",
        "Squad passphrase: ",
        true,
    )?;
    store.set_squad_passphrase(&squad)?;
    writeln!(
        out,
        "The squad passphrase is set: bundles from and to this log are sealed with it."
    )?;
    Ok(Launch::Done(0))
}

pub(super) fn run_restore(
    dir: &LogDir,
    file: &Path,
    out: &mut dyn Write,
) -> Result<Launch, CliError> {
    let passphrase = dir.passphrase(false)?;
    let summary = crate::store::restore(dir, file, &passphrase)?;
    // A backup from before encryption gets its passphrase chosen now (typed twice at a
    // terminal), not the one typed to restore it.
    let locked = LockedStore::open(dir)?;
    let passphrase = match locked.protection()? {
        Protection::Protected => passphrase,
        _ => dir.passphrase(true)?,
    };
    let store = locked
        .unlock(&passphrase, chrono::Utc::now())
        .map_err(|refused| refused.error)?;
    store.record_event(
        "restored a backup",
        AuditSubject::named("a backup file"),
        "done",
    )?;
    writeln!(
        out,
        "Restored {} entries from the backup of {}.",
        summary.entries,
        super::local_time(summary.created_at)
    )?;
    if let Some(safety) = summary.safety_backup {
        writeln!(
            out,
            "The log it replaced was backed up to {}.",
            safety.display()
        )?;
    }
    Ok(Launch::Done(0))
}

/// Compacts the log, showing progress on `err` when asked, and says what it gave back.
/// Runs a copy of the whole log, showing `what` and the share copied on one line of `err`
/// when `progress` is asked for. A stop is Ctrl+C here: the half copy is cleared at the next
/// open.
fn with_progress<T>(
    err: &mut dyn Write,
    progress: bool,
    what: &str,
    copy: impl FnOnce(&mut dyn FnMut(u64, u64), &AtomicBool) -> T,
) -> Result<T, CliError> {
    let mut shown = None;
    let no_stop = AtomicBool::new(false);
    let done = copy(
        &mut |copied, total| {
            let percent = copied * 100 / total.max(1);
            if progress && shown != Some(percent) {
                shown = Some(percent);
                let _ = write!(err, "\r{what}: {percent:3}%");
                let _ = err.flush();
            }
        },
        &no_stop,
    );
    if shown.is_some() {
        writeln!(err)?;
    }
    Ok(done)
}

pub(super) fn compact(
    store: Store,
    out: &mut dyn Write,
    err: &mut dyn Write,
    progress: bool,
) -> Result<Store, CliError> {
    let compacted = with_progress(err, progress, "Compacting the log", |p, stop| {
        store.compact(p, stop)
    })?;
    let done = compacted.outcome?;
    let store = compacted.store?;
    writeln!(
        out,
        "Compacted the log: {}, {}.",
        crate::report::plural(
            usize::try_from(done.entries).unwrap_or(usize::MAX),
            "entry",
            "entries"
        ),
        crate::report::compacted_size(done.bytes_before, done.bytes_after)
    )?;
    store.record_event("compacted", AuditSubject::the_log(), "done")?;
    Ok(store)
}

pub(super) fn run_check(dir: &LogDir, out: &mut dyn Write) -> Result<Launch, CliError> {
    let store = dir.open_existing()?;
    let report = store.check()?;
    writeln!(out, "Log format: {}", report.format)?;
    for kind in RecordKind::ALL {
        let n = report
            .counts
            .iter()
            .find(|(k, _)| *k == kind)
            .map_or(0, |(_, n)| *n);
        writeln!(out, "{}: {n}", kind.plural_label())?;
    }
    writeln!(out, "Deleted records: {}", report.deleted)?;
    writeln!(out, "Index entries: {}", report.index_entries)?;
    writeln!(out, "History entries: {}", report.history_entries)?;
    if report.is_ok() {
        writeln!(out, "OK")?;
        Ok(Launch::Done(0))
    } else {
        writeln!(out, "{} problems found:", report.problems.len())?;
        for p in &report.problems {
            writeln!(out, "  - {p}")?;
        }
        Ok(Launch::Done(1))
    }
}
