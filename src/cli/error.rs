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
    #[error("{}", store_words(.0))]
    Store(#[from] StoreError),
    #[error("{}", match .0 { ExportError::Store(e) => store_words(e), other => other.to_string() })]
    Export(#[from] ExportError),
    #[error("{}", match .0 { ImportError::Store(e) => store_words(e), other => other.to_string() })]
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
}

impl CliError {
    /// The process exit code for this error: 2 for a mistyped command line, 1 otherwise.
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Usage(_) => 2,
            _ => 1,
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

/// A store error in the command line's words: where the store leaves what to do next to the one
/// showing the error, the command line names its own commands.
fn store_words(e: &StoreError) -> String {
    match e {
        StoreError::NoSquadPassphrase => "Bundles are encrypted with the squad passphrase, and \
            none is set yet. Set it with `beatbook squad-passphrase` (your sergeant gives it to \
            the squad)."
            .to_string(),
        StoreError::NotSetUp => format!("{e} Open the app once, or run `beatbook demo`."),
        StoreError::Corrupt { .. } => format!("{e} Run `beatbook check` for details."),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_names_its_own_commands_where_the_store_leaves_the_next_step_open() {
        let corrupt = || StoreError::Corrupt {
            kind: "contact",
            reason: "bad bytes".into(),
        };
        assert!(!corrupt().to_string().contains("beatbook check"));
        let line = CliError::from(corrupt()).to_string();
        assert!(line.contains("Run `beatbook check` for details."), "{line}");
        let line = CliError::from(ExportError::Store(StoreError::NotSetUp)).to_string();
        assert!(line.contains("run `beatbook demo`"), "{line}");
        let squad = ImportError::Store(StoreError::NoSquadPassphrase);
        assert!(!squad.to_string().contains("beatbook squad-passphrase"));
        let line = CliError::from(squad).to_string();
        assert!(line.contains("none is set yet"), "{line}");
        assert!(line.contains("`beatbook squad-passphrase`"), "{line}");
    }
}
