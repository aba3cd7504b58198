//! The command line: `beatbook [--data-dir DIR] [demo|export|search|check|import|report|...]`.
//!
//! Owns argument parsing, turning names typed by a person into record ids, and printing results.
//! Every failure becomes one [`CliError`] that is shown as a single plain line; with no
//! subcommand, [`run`] tells the caller to open the app instead.

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};

use chrono::{Local, NaiveDate, SecondsFormat};
use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Parser, Subcommand, ValueEnum};

use crate::demo::{self, DemoOptions};
use crate::export::{self, ExportError, ExportFormat};
use crate::model::{Contact, ContactKind, Id, Neighborhood, Officer, Person, RecordKind, Tag};
use crate::query::{self, LogFilter};
use crate::store::{AuditSubject, LockedStore, Passphrase, Protection, Store, StoreError};

mod exchange;
mod privacy;
mod report;

/// beatbook: a beat officer's record of community contacts, follow-ups and neighborhood notes.
///
/// With no command, opens the app.
#[derive(Debug, Parser)]
#[command(name = "beatbook", version)]
pub struct Args {
    /// The folder that holds the log [default: this user's beatbook data folder].
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    /// A file whose first line is the log's passphrase [default: the BEATBOOK_PASSPHRASE
    /// environment variable, or a prompt at a terminal].
    #[arg(long, global = true, value_name = "FILE")]
    pub passphrase_file: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Fill a log with a made-up precinct, to try beatbook out.
    Demo(DemoArgs),
    /// Write the log to a file (or to standard output).
    Export(ExportArgs),
    /// Find contacts in the log.
    Search(SearchArgs),
    /// Verify that every record can be read and every index is complete.
    Check,
    /// Import squad members' bundles (merged), or contacts from CSV files in the layout of
    /// `export --format csv`.
    Import(exchange::ImportArgs),
    /// Print the sergeant's review figures for a period (the review screen's numbers).
    Report(report::ReportArgs),
    /// Write a verified backup of the log into the data folder's backups/.
    Backup,
    /// Rewrite the log into a fresh folder, giving back the space the store keeps for old
    /// versions of its pages (most after a demo precinct or a large import).
    Compact,
    /// Change the log's passphrase: every entry is encrypted again under a new key, so the old
    /// passphrase opens nothing the log or its backups hold (the new one from --new-from-file,
    /// the BEATBOOK_NEW_PASSPHRASE environment variable, or a prompt).
    ChangePassphrase {
        /// A file whose first line is the new passphrase.
        #[arg(long, value_name = "FILE")]
        new_from_file: Option<PathBuf>,
    },
    /// Set the squad passphrase that seals bundles, as the sergeant gives it to the squad
    /// (from --from-file, the BEATBOOK_SQUAD_PASSPHRASE environment variable, or a prompt).
    SquadPassphrase {
        /// A file whose first line is the squad passphrase.
        #[arg(long, value_name = "FILE")]
        from_file: Option<PathBuf>,
    },
    /// Apply the retention policy kept in the log (set in Settings): old notes and contact
    /// details are removed, and people not seen for long are anonymized.
    Purge {
        /// Print what would be removed, and remove nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Remove a person everywhere, earlier versions included, at their request.
    Forget {
        /// The person's name as the log has it.
        name: String,
        /// Print what would be removed, and remove nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Replace the log with a backup (the current log is backed up first).
    Restore {
        /// The backup file (.bbk) to restore.
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
}

#[derive(Debug, clap::Args)]
pub struct DemoArgs {
    #[arg(long, default_value_t = 4, value_name = "N")]
    pub officers: usize,
    #[arg(long, default_value_t = 6, value_name = "N")]
    pub neighborhoods: usize,
    #[arg(long, default_value_t = 600, value_name = "N")]
    pub contacts: usize,
    /// The same seed makes the same people, notes and places.
    #[arg(long, default_value_t = 1, value_name = "S")]
    pub seed: u64,
    /// Add demo data even though the log already has contacts.
    #[arg(long)]
    pub add_to_existing: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormatArg {
    Json,
    Csv,
    /// A bundle for the sergeant (or, from a sergeant, reviews for one officer).
    Bundle,
}

#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// json: every record; csv: one row per contact.
    #[arg(long, value_enum)]
    pub format: ExportFormatArg,
    /// The file to write [default: standard output].
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// With --format bundle: only the reviews of this officer's entries (name or badge).
    #[arg(long, value_name = "NAME_OR_BADGE")]
    pub for_officer: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum OutputFormat {
    #[default]
    Text,
    Json,
}

#[derive(Debug, clap::Args)]
pub struct SearchArgs {
    /// Words that must all appear in the note or the place.
    pub words: Vec<String>,
    /// Neighborhood name.
    #[arg(long, value_name = "NAME")]
    pub neighborhood: Option<String>,
    /// Officer name or badge number.
    #[arg(long, value_name = "NAME_OR_BADGE")]
    pub officer: Option<String>,
    /// Kind of contact, e.g. conversation, business_check, phone (any unambiguous start).
    #[arg(long, value_name = "KIND")]
    pub kind: Option<String>,
    /// Topic name, e.g. noise.
    #[arg(long, value_name = "TOPIC")]
    pub tag: Option<String>,
    /// First day included (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Last day included (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    /// Print only how many contacts match.
    #[arg(long)]
    pub count: bool,
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
    /// Show at most this many contacts, newest first.
    #[arg(long, default_value_t = 50, value_name = "N")]
    pub limit: usize,
}

/// What the program should do once the command line has been handled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Launch {
    /// Open the app on the log in this folder.
    App(PathBuf),
    /// Finished; exit with this code (1 when `check` found problems).
    Done(u8),
}

/// A failure, shown to the person as one line.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error("{0}")]
    Usage(String),
    #[error("No data folder could be found for this user account. Pass --data-dir DIR.")]
    NoDataDir,
    #[error("No beatbook log in {}. Open the app once or run `beatbook demo`.", .0.display())]
    NoLog(PathBuf),
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("{0}")]
    Export(#[from] ExportError),
    #[error("{0}")]
    Import(#[from] crate::import::ImportError),
    #[error("No {what} named \"{name}\". {known}")]
    Unknown {
        what: &'static str,
        name: String,
        known: String,
    },
    #[error("More than one {what} is named \"{name}\".{hint}")]
    Ambiguous {
        what: &'static str,
        name: String,
        hint: &'static str,
    },
    #[error("\"{0}\" is not a date. Write dates as YYYY-MM-DD, for example 2026-03-14.")]
    BadDate(String),
    #[error("\"{0}\" is not a kind of contact. Use one of: {codes}.", codes = kind_codes())]
    BadKind(String),
    #[error("--from {from} is after --to {to}.")]
    DateOrder { from: NaiveDate, to: NaiveDate },
    #[error("The log in {} already has {count} contacts, and demo data would be mixed in with them. Use another --data-dir, or add --add-to-existing.", .dir.display())]
    NotEmpty { dir: PathBuf, count: usize },
    #[error("Writing the output failed: {0}")]
    Output(#[from] io::Error),
    #[error("The log is encrypted and no passphrase was given. Pass --passphrase-file FILE, set BEATBOOK_PASSPHRASE, or run this at a terminal to be asked.")]
    NoPassphrase,
    #[error("The passphrase file {} cannot be read: {reason}.", .path.display())]
    PassphraseFile { path: PathBuf, reason: String },
}

/// A secret from the first line of `file`, else the environment variable `env`, else typed at
/// a terminal without echo (after `prompt`; twice when it is `new`, so a typo cannot set it).
fn secret(file: Option<&Path>, env: &str, prompt: &str, new: bool) -> Result<Passphrase, CliError> {
    if let Some(path) = file {
        let text = std::fs::read_to_string(path).map_err(|e| CliError::PassphraseFile {
            path: path.to_path_buf(),
            reason: e.kind().to_string(),
        })?;
        let text = zeroize::Zeroizing::new(text);
        return Ok(Passphrase::new(text.lines().next().unwrap_or_default()));
    }
    if let Ok(text) = std::env::var(env) {
        return Ok(Passphrase::new(text));
    }
    if io::stdin().is_terminal() {
        let first = zeroize::Zeroizing::new(rpassword::prompt_password(prompt)?);
        if new {
            let again = zeroize::Zeroizing::new(rpassword::prompt_password("Type it again: ")?);
            if *again != *first {
                return Err(CliError::Usage(
                    "The two passphrases differ. Nothing was set.".into(),
                ));
            }
        }
        return Ok(Passphrase::new(first.as_str()));
    }
    Err(CliError::NoPassphrase)
}

/// The environment variable a log's passphrase may come from.
const PASSPHRASE_ENV: &str = "BEATBOOK_PASSPHRASE";

/// The log a command works on, and where its passphrase comes from. Derefs to the data folder.
pub(crate) struct LogDir {
    dir: PathBuf,
    passphrase_file: Option<PathBuf>,
}

impl std::ops::Deref for LogDir {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.dir
    }
}

impl LogDir {
    /// The passphrase: from the file, the environment, or a prompt without echo, in that order.
    fn passphrase(&self, new: bool) -> Result<Passphrase, CliError> {
        let prompt = if new {
            format!(
                "Choose a passphrase for the log in {}: ",
                self.dir.display()
            )
        } else {
            format!("Passphrase for the log in {}: ", self.dir.display())
        };
        secret(
            self.passphrase_file.as_deref(),
            PASSPHRASE_ENV,
            &prompt,
            new,
        )
    }

    /// Opens the log, creating (and protecting) it if there is none. A passphrase given by
    /// file or environment has its key derived while the log opens; one typed at a prompt is
    /// asked for once the log is open (a new log asks for it twice).
    pub(crate) fn open(&self) -> Result<Store, CliError> {
        let given = self.passphrase_file.is_some() || std::env::var_os(PASSPHRASE_ENV).is_some();
        let (locked, passphrase, early) = if given {
            let passphrase = self.passphrase(false)?;
            let (locked, early) = LockedStore::open_deriving(&self.dir, &passphrase);
            (locked?, passphrase, early)
        } else {
            let locked = LockedStore::open(&self.dir)?;
            let new = locked.protection()? != Protection::Protected;
            let passphrase = self.passphrase(new)?;
            (locked, passphrase, None)
        };
        locked
            .unlock_early(&passphrase, chrono::Utc::now(), early)
            .map_err(|refused| refused.error.into())
    }

    /// Opens an existing log. Opening creates a store, so a read-only command checks first and
    /// never leaves an empty log behind in a mistyped folder.
    pub(crate) fn open_existing(&self) -> Result<Store, CliError> {
        if !crate::store::has_log(&self.dir) {
            return Err(CliError::NoLog(self.dir.clone()));
        }
        self.open()
    }
}

impl CliError {
    /// The process exit code for this error: 2 for a mistyped command line, 1 otherwise.
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Usage(_) => 2,
            _ => 1,
        }
    }

    fn is_broken_pipe(&self) -> bool {
        match self {
            CliError::Output(e) | CliError::Export(ExportError::Write(e)) => {
                e.kind() == io::ErrorKind::BrokenPipe
            }
            _ => false,
        }
    }
}

fn kind_codes() -> String {
    ContactKind::ALL.map(|k| k.code()).join(", ")
}

/// Parses `argv` (program name first) and runs it, printing to standard output and error.
/// `--help` and `--version` print their text and finish successfully.
pub fn run_from<I, T>(argv: I) -> Result<Launch, CliError>
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    match Args::try_parse_from(argv) {
        Ok(args) => run(args),
        Err(e) => match e.kind() {
            ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
                write!(io::stdout().lock(), "{e}")?;
                Ok(Launch::Done(0))
            }
            _ => Err(CliError::Usage(usage_line(&e))),
        },
    }
}

/// Clap's error message squeezed into one line, keeping the allowed values when it lists them.
fn usage_line(e: &clap::Error) -> String {
    let text = e.to_string();
    let first = text
        .lines()
        .next()
        .unwrap_or("the command line is not valid");
    let mut line = first.trim_start_matches("error:").trim().to_string();
    if let Some(ContextValue::Strings(values)) = e.get(ContextKind::ValidValue) {
        line.push_str(&format!("; choose from {}", values.join(", ")));
    }
    line.push_str(" (see `beatbook --help`)");
    line
}

/// Runs parsed arguments, printing to standard output and error.
pub fn run(args: Args) -> Result<Launch, CliError> {
    let stdout = io::stdout();
    let stderr = io::stderr();
    let progress = stderr.is_terminal();
    run_with(args, &mut stdout.lock(), &mut stderr.lock(), progress)
}

/// Runs parsed arguments against the given outputs. `progress` shows a live percentage while
/// `demo` works (only sensible on a terminal).
pub fn run_with(
    args: Args,
    out: &mut dyn Write,
    err: &mut dyn Write,
    progress: bool,
) -> Result<Launch, CliError> {
    let dir = LogDir {
        dir: match args.data_dir {
            Some(d) => d,
            None => default_data_dir()?,
        },
        passphrase_file: args.passphrase_file,
    };
    let result = match args.command {
        None => return Ok(Launch::App(dir.dir)),
        Some(Command::Demo(a)) => run_demo(&dir, &a, out, err, progress),
        Some(Command::Export(a)) => run_export(&dir, &a, out, err),
        Some(Command::Search(a)) => run_search(&dir, &a, out, err),
        Some(Command::Check) => run_check(&dir, out),
        Some(Command::Import(a)) => exchange::run_import(&dir, &a, out),
        Some(Command::Report(a)) => report::run_report(&dir, &a, out),
        Some(Command::Backup) => run_backup(&dir, out),
        Some(Command::Compact) => {
            let store = dir.open_existing()?;
            compact(store, out, err, progress).map(|_| Launch::Done(0))
        }
        Some(Command::Restore { file }) => run_restore(&dir, &file, out),
        Some(Command::Purge { dry_run }) => privacy::run_purge(&dir, dry_run, out),
        Some(Command::Forget { name, dry_run }) => privacy::run_forget(&dir, &name, dry_run, out),
        Some(Command::SquadPassphrase { from_file }) => {
            run_squad_passphrase(&dir, from_file.as_deref(), out)
        }
        Some(Command::ChangePassphrase { new_from_file }) => {
            run_change_passphrase(&dir, new_from_file.as_deref(), out, err, progress)
        }
    };
    match result {
        // The reader went away (`beatbook search | head`): nothing left to say.
        Err(e) if e.is_broken_pipe() => Ok(Launch::Done(0)),
        other => other,
    }
}

fn run_backup(dir: &LogDir, out: &mut dyn Write) -> Result<Launch, CliError> {
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

fn run_change_passphrase(
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
    let mut shown = None;
    // A stop is Ctrl+C here: the half copy is cleared at the next open.
    let no_stop = std::sync::atomic::AtomicBool::new(false);
    let changed = store.change_passphrase(
        &current,
        &new,
        &mut |copied, total| {
            let percent = copied * 100 / total.max(1);
            if progress && shown != Some(percent) {
                shown = Some(percent);
                let _ = write!(err, "\rEncrypting the log under a new key: {percent:3}%");
                let _ = err.flush();
            }
        },
        &no_stop,
    );
    if progress && shown.is_some() {
        writeln!(err)?;
    }
    let done = changed.outcome?;
    writeln!(
        out,
        "The passphrase is changed: {} entries encrypted under a new key, {} backups now open \
         with the new passphrase, {} old copies of the log removed.",
        done.entries, done.backups_rewrapped, done.replaced_removed
    )?;
    Ok(Launch::Done(0))
}

fn run_squad_passphrase(
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

fn run_restore(dir: &LogDir, file: &Path, out: &mut dyn Write) -> Result<Launch, CliError> {
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
        summary
            .created_at
            .with_timezone(&chrono::Local)
            .format("%Y-%m-%d %H:%M")
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

/// Prints an error as `beatbook: <message>` on one line and gives the exit code to use.
pub fn report(error: &CliError) -> u8 {
    let message = error.to_string().replace(['\n', '\r'], " ");
    let _ = writeln!(io::stderr().lock(), "beatbook: {message}");
    error.exit_code()
}

/// This user's beatbook data folder.
pub fn default_data_dir() -> Result<PathBuf, CliError> {
    directories::ProjectDirs::from("org", "beatbook", "beatbook")
        .map(|p| p.data_dir().to_path_buf())
        .ok_or(CliError::NoDataDir)
}

fn run_demo(
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

/// Compacts the log, showing progress on `err` when asked, and says what it gave back.
fn compact(
    store: Store,
    out: &mut dyn Write,
    err: &mut dyn Write,
    progress: bool,
) -> Result<Store, CliError> {
    let mut shown = None;
    // A stop is Ctrl+C here: the half copy is cleared at the next open.
    let no_stop = std::sync::atomic::AtomicBool::new(false);
    let compacted = store.compact(
        &mut |copied, total| {
            let percent = copied * 100 / total.max(1);
            if progress && shown != Some(percent) {
                shown = Some(percent);
                let _ = write!(err, "\rCompacting the log: {percent:3}%");
                let _ = err.flush();
            }
        },
        &no_stop,
    );
    if progress {
        writeln!(err)?;
    }
    let done = compacted.outcome?;
    let store = compacted.store?;
    let mb = |b: u64| b as f64 / 1e6;
    writeln!(
        out,
        "Compacted the log: {} entries, {:.1} MB on disk (was {:.1} MB).",
        done.entries,
        mb(done.bytes_after),
        mb(done.bytes_before)
    )?;
    store.record_event("compacted", AuditSubject::the_log(), "done")?;
    Ok(store)
}

fn run_export(
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

fn run_search(
    dir: &LogDir,
    a: &SearchArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Launch, CliError> {
    // Parse what needs no store first, so a typo is reported even when no log exists.
    let kind = match &a.kind {
        Some(k) => Some(ContactKind::parse(k).ok_or_else(|| CliError::BadKind(k.clone()))?),
        None => None,
    };
    let from = a.from.as_deref().map(parse_date).transpose()?;
    let to = a.to.as_deref().map(parse_date).transpose()?;
    if let (Some(from), Some(to)) = (from, to) {
        if from > to {
            return Err(CliError::DateOrder { from, to });
        }
    }
    let store = dir.open_existing()?;
    let officers = store.all::<Officer>()?;
    let hoods = store.all::<Neighborhood>()?;
    let tags = store.all::<Tag>()?;
    let filter = LogFilter {
        neighborhood: match &a.neighborhood {
            Some(n) => Some(find_neighborhood(&hoods, n)?),
            None => None,
        },
        officer: match &a.officer {
            Some(o) => Some(find_officer(&officers, o)?),
            None => None,
        },
        kind,
        tag: match &a.tag {
            Some(t) => Some(find_tag(&tags, t)?),
            None => None,
        },
        person: None,
        from,
        to,
        text: a.words.join(" "),
    };
    let limit = if a.count { 0 } else { a.limit };
    let page = query::search(&store, &filter, limit)?;
    if a.count {
        writeln!(out, "{}", page.total)?;
        return Ok(Launch::Done(0));
    }

    let names = Names::load(&store, officers, hoods, tags)?;
    match a.format {
        OutputFormat::Text => {
            for c in &page.contacts {
                writeln!(out, "{}", names.line(c))?;
            }
            if page.total == 0 {
                writeln!(err, "No contacts match.")?;
            } else if page.total > page.contacts.len() {
                writeln!(
                    err,
                    "Showing the newest {} of {} matching contacts; use --limit to see more.",
                    page.contacts.len(),
                    page.total
                )?;
            }
        }
        OutputFormat::Json => {
            let contacts: Vec<serde_json::Value> =
                page.contacts.iter().map(|c| names.json(c)).collect();
            let doc = serde_json::json!({
                "total": page.total,
                "shown": page.contacts.len(),
                "contacts": contacts,
            });
            serde_json::to_writer_pretty(&mut *out, &doc).map_err(io::Error::other)?;
            writeln!(out)?;
        }
    }
    Ok(Launch::Done(0))
}

pub(crate) fn parse_date(text: &str) -> Result<NaiveDate, CliError> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| CliError::BadDate(text.into()))
}

fn same_name(a: &str, b: &str) -> bool {
    Tag::normalize(a) == Tag::normalize(b)
}

/// The one id whose name matches, or a plain error naming what exists.
pub(crate) fn find_one<'a>(
    what: &'static str,
    wanted: &str,
    items: impl Iterator<Item = (Id, &'a str)> + Clone,
    hint: &'static str,
) -> Result<Id, CliError> {
    let mut matches = items.clone().filter(|(_, name)| same_name(name, wanted));
    match (matches.next(), matches.next()) {
        (Some((id, _)), None) => Ok(id),
        (Some(_), Some(_)) => Err(CliError::Ambiguous {
            what,
            name: wanted.to_string(),
            hint,
        }),
        (None, _) => {
            let mut names: Vec<&str> = items.map(|(_, n)| n).collect();
            names.sort_unstable_by_key(|n| n.to_lowercase());
            let known = match names.len() {
                0 => format!("There are no {what}s in this log yet."),
                n if n > 12 => format!("Known: {}, and {} more.", names[..12].join(", "), n - 12),
                _ => format!("Known: {}.", names.join(", ")),
            };
            Err(CliError::Unknown {
                what,
                name: wanted.to_string(),
                known,
            })
        }
    }
}

fn find_neighborhood(hoods: &[Neighborhood], name: &str) -> Result<Id, CliError> {
    find_one(
        "neighborhood",
        name,
        hoods.iter().map(|h| (h.meta.id, h.name.as_str())),
        "",
    )
}

fn find_tag(tags: &[Tag], name: &str) -> Result<Id, CliError> {
    find_one(
        "topic",
        name,
        tags.iter().map(|t| (t.meta.id, t.name.as_str())),
        "",
    )
}

/// An officer by badge number (exact) or else by name.
pub(crate) fn find_officer(officers: &[Officer], wanted: &str) -> Result<Id, CliError> {
    if let Some(o) = officers.iter().find(|o| same_name(&o.badge, wanted)) {
        return Ok(o.meta.id);
    }
    find_one(
        "officer",
        wanted,
        officers.iter().map(|o| (o.meta.id, o.name.as_str())),
        " Give the badge number instead.",
    )
}

/// Names for the ids a contact refers to. People include deleted ones (a contact still names
/// them); officers, neighborhoods and topics are the live ones the command looked up.
struct Names {
    officers: std::collections::HashMap<Id, Officer>,
    hoods: std::collections::HashMap<Id, String>,
    tags: std::collections::HashMap<Id, String>,
    people: std::collections::HashMap<Id, String>,
}

impl Names {
    fn load(
        store: &Store,
        officers: Vec<Officer>,
        hoods: Vec<Neighborhood>,
        tags: Vec<Tag>,
    ) -> Result<Self, CliError> {
        let mut people = std::collections::HashMap::new();
        for p in store.iter_all::<Person>()? {
            let p = p?;
            people.insert(p.meta.id, p.name);
        }
        Ok(Names {
            officers: officers.into_iter().map(|o| (o.meta.id, o)).collect(),
            hoods: hoods.into_iter().map(|h| (h.meta.id, h.name)).collect(),
            tags: tags.into_iter().map(|t| (t.meta.id, t.name)).collect(),
            people,
        })
    }

    fn person(&self, id: &Id) -> &str {
        self.people.get(id).map_or("(unknown)", String::as_str)
    }

    fn hood(&self, id: &Id) -> &str {
        self.hoods.get(id).map_or("(unknown)", String::as_str)
    }

    /// `2026-03-14 09:30  Riverside  Business check  Rosa Diaz +2  Note…`
    fn line(&self, c: &Contact) -> String {
        let names: Vec<&str> = c.people.iter().map(|p| self.person(p)).collect();
        let who = Contact::who_text(&names, c.unnamed);
        let note: String = c
            .note
            .chars()
            .map(|ch| if ch.is_whitespace() { ' ' } else { ch })
            .take(80)
            .collect();
        format!(
            "{}  {}  {}  {}  {}",
            c.at.with_timezone(&Local).format("%Y-%m-%d %H:%M"),
            self.hood(&c.neighborhood),
            c.kind.label(),
            who,
            note.trim_end()
        )
        .trim_end()
        .to_string()
    }

    fn json(&self, c: &Contact) -> serde_json::Value {
        let officer = self.officers.get(&c.meta.owner());
        serde_json::json!({
            "id": c.meta.id,
            "at": c.at.with_timezone(&Local).to_rfc3339_opts(SecondsFormat::Secs, false),
            "officer": officer.map(|o| o.name.as_str()),
            "badge": officer.map(|o| o.badge.as_str()),
            "neighborhood": self.hood(&c.neighborhood),
            "place": c.place,
            "kind": c.kind.code(),
            "people": c.people.iter().map(|p| self.person(p)).collect::<Vec<_>>(),
            "unnamed": c.unnamed,
            "initiated_by": c.initiated_by,
            "topics": c.tags.iter().map(|t| self.tags.get(t).map_or("(unknown)", String::as_str)).collect::<Vec<_>>(),
            "tone": c.tone,
            "note": c.note,
        })
    }
}

fn run_check(dir: &LogDir, out: &mut dyn Write) -> Result<Launch, CliError> {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(argv: &[&str]) -> Args {
        Args::try_parse_from(argv).unwrap()
    }

    #[test]
    fn data_dir_is_global() {
        let a = parse(&["beatbook", "--data-dir", "/x", "check"]);
        assert_eq!(a.data_dir, Some(PathBuf::from("/x")));
        let b = parse(&["beatbook", "check", "--data-dir", "/y"]);
        assert_eq!(b.data_dir, Some(PathBuf::from("/y")));
        assert!(matches!(b.command, Some(Command::Check)));
        let c = parse(&["beatbook", "--data-dir", "/z"]);
        let launch = run_with(c, &mut Vec::new(), &mut Vec::new(), false).unwrap();
        assert_eq!(launch, Launch::App(PathBuf::from("/z")));
    }

    #[test]
    fn usage_errors_are_one_line() {
        let e = Args::try_parse_from(["beatbook", "export", "--format", "xml"]).unwrap_err();
        let line = usage_line(&e);
        assert!(!line.contains('\n'));
        assert!(line.contains("json, csv"), "{line}");
        let e = Args::try_parse_from(["beatbook", "--bogus"]).unwrap_err();
        assert!(!usage_line(&e).contains('\n'));
    }

    #[test]
    fn names_resolve_case_insensitively() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path(), &crate::store::test_passphrase()).unwrap();
        let p = store
            .set_up(
                "Dana Reyes",
                "4411",
                crate::model::Role::Officer,
                "Elm Park",
            )
            .unwrap();
        let hoods = store.all::<Neighborhood>().unwrap();
        assert_eq!(
            find_neighborhood(&hoods, " elm  PARK ").unwrap(),
            p.last_neighborhood.unwrap()
        );
        let err = find_neighborhood(&hoods, "Nowhere")
            .unwrap_err()
            .to_string();
        assert_eq!(err, "No neighborhood named \"Nowhere\". Known: Elm Park.");
        let officers = store.all::<Officer>().unwrap();
        assert_eq!(find_officer(&officers, "4411").unwrap(), p.officer);
        assert_eq!(find_officer(&officers, "dana reyes").unwrap(), p.officer);
        let tags = store.all::<Tag>().unwrap();
        assert!(find_tag(&tags, "Youth Activities").is_ok());
        assert!(parse_date("2026-02-30").is_err());
        assert_eq!(
            parse_date("2026-02-03").unwrap(),
            NaiveDate::from_ymd_opt(2026, 2, 3).unwrap()
        );
    }
}
