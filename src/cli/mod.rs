//! The command line: `beatbook [--data-dir DIR] [setup|demo|export|search|check|import|...]`.
//!
//! Owns the arguments and sends each command to the module that runs it: `setup` (first run),
//! `bulk` (demo, JSON and CSV export), `exchange` (bundles), `search`, `problems` (the
//! community problems), `you_said` (the public report), `report`, `privacy`
//! (purge, forget) and `maintenance` (backup, restore, check, compact, passphrases). `lookup`
//! turns what a person typed into record ids and dates; `log_dir` opens the log. Every failure
//! becomes one [`CliError`] that is shown as a single plain line; with no subcommand, [`run`]
//! tells the caller to open the app instead.

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Parser, Subcommand, ValueEnum};

mod bulk;
mod error;
mod exchange;
mod log_dir;
mod lookup;
mod maintenance;
mod privacy;
mod problems;
mod report;
mod search;
mod setup;
mod squad;
mod you_said;

pub use error::CliError;
use log_dir::LogDir;
use lookup::{find_officer, find_one, parse_date};

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
    /// Set up a new log for its officer, as the app's first-run questions do (to prepare a
    /// laptop before the officer first opens the app).
    Setup(setup::SetupArgs),
    /// Fill a log with a made-up precinct, to try beatbook out.
    Demo(DemoArgs),
    /// Write the log to a file (or to standard output).
    Export(ExportArgs),
    /// Find contacts in the log.
    Search(SearchArgs),
    /// List the community problems (SARA), by neighborhood and stage.
    Problems(problems::ProblemsArgs),
    /// Write a neighborhood's public "You said, we did" report for a period (PDF or text):
    /// what residents raised, the priorities agreed, what was done and what comes next.
    YouSaidWeDid(you_said::YouSaidArgs),
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
    /// The squad exchange's storage: `exchange set TARGET`, `exchange status`.
    Exchange {
        #[command(subcommand)]
        command: squad::ExchangeCommand,
    },
    /// The squad: `create`, `join`, `approve`, `remove`, `members`.
    Squad {
        #[command(subcommand)]
        command: squad::SquadCommand,
    },
    /// One exchange with the squad's storage: sends what is new, receives and applies what
    /// the others sent.
    Sync(squad::SyncArgs),
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

/// A moment as the command line prints it: local time, to the minute.
fn local_time(at: chrono::DateTime<chrono::Utc>) -> String {
    at.with_timezone(&chrono::Local)
        .format("%Y-%m-%d %H:%M")
        .to_string()
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
        Some(Command::Setup(a)) => setup::run_setup(&dir, &a, out),
        Some(Command::Demo(a)) => bulk::run_demo(&dir, &a, out, err, progress),
        Some(Command::Export(a)) => bulk::run_export(&dir, &a, out, err),
        Some(Command::Search(a)) => search::run_search(&dir, &a, out, err),
        Some(Command::Problems(a)) => problems::run_problems(&dir, &a, out, err),
        Some(Command::YouSaidWeDid(a)) => you_said::run_you_said(&dir, &a, out),
        Some(Command::Check) => maintenance::run_check(&dir, out),
        Some(Command::Import(a)) => exchange::run_import(&dir, &a, out),
        Some(Command::Report(a)) => report::run_report(&dir, &a, out),
        Some(Command::Backup) => maintenance::run_backup(&dir, out),
        Some(Command::Compact) => {
            let store = dir.open_existing()?;
            maintenance::compact(store, out, err, progress).map(|_| Launch::Done(0))
        }
        Some(Command::Exchange { command }) => squad::run_exchange(&dir, &command, out),
        Some(Command::Squad { command }) => squad::run_squad(&dir, &command, out),
        Some(Command::Sync(a)) => squad::run_sync(&dir, &a, out),
        Some(Command::Restore { file }) => maintenance::run_restore(&dir, &file, out),
        Some(Command::Purge { dry_run }) => privacy::run_purge(&dir, dry_run, out),
        Some(Command::Forget { name, dry_run }) => privacy::run_forget(&dir, &name, dry_run, out),
        Some(Command::SquadPassphrase { from_file }) => {
            maintenance::run_squad_passphrase(&dir, from_file.as_deref(), out)
        }
        Some(Command::ChangePassphrase { new_from_file }) => {
            maintenance::run_change_passphrase(&dir, new_from_file.as_deref(), out, err, progress)
        }
    };
    match result {
        // The reader went away (`beatbook search | head`): nothing left to say.
        Err(e) if e.is_broken_pipe() => Ok(Launch::Done(0)),
        other => other,
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Neighborhood, Officer, Tag};
    use crate::store::Store;
    use chrono::NaiveDate;
    use lookup::{find_neighborhood, find_tag};

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
