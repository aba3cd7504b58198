//! The log a command works on ([`LogDir`]) and the secrets it asks for: from a file, the
//! environment, or typed at a terminal without echo.

use std::io::{self, IsTerminal};
use std::path::{Path, PathBuf};

use super::CliError;
use crate::store::{LockedStore, Passphrase, Protection, Store};

/// A secret from the first line of `file`, else the environment variable `env`, else typed at
/// a terminal without echo (after `prompt`; twice when it is `new`, so a typo cannot set it).
pub(super) fn secret(
    file: Option<&Path>,
    env: &str,
    prompt: &str,
    new: bool,
) -> Result<Passphrase, CliError> {
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
    pub(super) dir: PathBuf,
    pub(super) passphrase_file: Option<PathBuf>,
}

impl std::ops::Deref for LogDir {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.dir
    }
}

impl LogDir {
    /// The passphrase: from the file, the environment, or a prompt without echo, in that order.
    pub(super) fn passphrase(&self, new: bool) -> Result<Passphrase, CliError> {
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
        // A file given as the data folder is named as one, not as a folder without a log.
        crate::store::private_files::refuse_a_file(&self.dir)?;
        if !crate::store::has_log(&self.dir) {
            return Err(CliError::NoLog(self.dir.clone()));
        }
        self.open()
    }
}
