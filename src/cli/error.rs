//! [`CliError`]: every way a command can fail, each shown to the person as one plain line.

use std::io;
use std::path::PathBuf;

use chrono::NaiveDate;

use crate::export::ExportError;
use crate::import::ImportError;
use crate::model::ContactKind;
use crate::store::StoreError;

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
    Import(#[from] ImportError),
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
    #[error("Bundles are encrypted with the squad passphrase, and none is set yet. Set it with `beatbook squad-passphrase` (your sergeant gives it to the squad).")]
    NoSquadPassphrase,
}

impl CliError {
    /// The process exit code for this error: 2 for a mistyped command line, 1 otherwise.
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Usage(_) => 2,
            _ => 1,
        }
    }

    /// The command line's own words for a log without a squad passphrase, which say how to
    /// set one here; every other error as it is.
    pub(super) fn with_squad_direction(self) -> Self {
        match self {
            CliError::Store(StoreError::NoSquadPassphrase)
            | CliError::Export(ExportError::Store(StoreError::NoSquadPassphrase))
            | CliError::Import(ImportError::Store(StoreError::NoSquadPassphrase)) => {
                CliError::NoSquadPassphrase
            }
            other => other,
        }
    }

    pub(super) fn is_broken_pipe(&self) -> bool {
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
