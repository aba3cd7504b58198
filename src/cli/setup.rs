//! `beatbook setup`: the app's first-run questions asked on the command line, so that a
//! department's IT can prepare a laptop before its officer first opens the app. The log is set
//! up by the same store call as the app's welcome form, so either way gives the same log.

use std::io::Write;

use clap::ValueEnum;

use super::{CliError, Launch, LogDir};
use crate::model::{passphrase_problem_for, Officer, Role};
use crate::store::{has_log, LockedStore, Protection, Store, StoreError};

#[derive(Debug, clap::Args)]
pub struct SetupArgs {
    /// The officer's name, as the squad knows it.
    #[arg(long, value_name = "NAME")]
    pub name: String,
    /// The officer's badge number.
    #[arg(long, value_name = "BADGE")]
    pub badge: String,
    /// officer: walks a beat; sergeant: reviews the squad's entries.
    #[arg(long, value_enum)]
    pub role: RoleArg,
    /// The first neighborhood (beat): needed for an officer, optional for a sergeant, who
    /// reviews the squad's beats rather than walking one.
    #[arg(long, value_name = "BEAT")]
    pub neighborhood: Option<String>,
}

/// The role as typed on the command line; the model's `Role` knows nothing of clap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RoleArg {
    Officer,
    Sergeant,
}

impl From<RoleArg> for Role {
    fn from(r: RoleArg) -> Role {
        match r {
            RoleArg::Officer => Role::Officer,
            RoleArg::Sergeant => Role::Sergeant,
        }
    }
}

pub(super) fn run_setup(
    dir: &LogDir,
    a: &SetupArgs,
    out: &mut dyn Write,
) -> Result<Launch, CliError> {
    let role = Role::from(a.role);
    let beat = match (a.neighborhood.as_deref(), role) {
        (Some(beat), _) => beat,
        (None, Role::Sergeant) => "",
        (None, Role::Officer) => {
            return Err(CliError::Usage(
                "An officer needs a first neighborhood (beat): add --neighborhood NAME.".into(),
            ))
        }
    };
    // The answers are checked before the log is opened, so that bad ones do not leave an empty
    // log behind in a fresh folder.
    Store::check_set_up(&a.name, &a.badge, role, beat)
        .map_err(|e| CliError::Usage(e.to_string()))?;
    let store = if needs_passphrase(dir)? {
        open_new(dir, &[&a.name, &a.badge, beat])?
    } else {
        dir.open()?
    };
    if let Some(profile) = store.profile()? {
        let whose = match store.get::<Officer>(profile.officer)? {
            Some(me) => format!(" for {} (badge {})", me.name, me.badge),
            None => String::new(),
        };
        return Err(CliError::Usage(format!(
            "The log in {} is already set up{whose}. Nothing was changed.",
            dir.display()
        )));
    }
    store.set_up(&a.name, &a.badge, role, beat)?;
    let hood = match beat.trim() {
        "" => "no neighborhood yet".to_string(),
        beat => format!("first neighborhood {beat}"),
    };
    writeln!(
        out,
        "Set up the log in {} for {} ({}, badge {}), {hood}.",
        dir.display(),
        a.name.trim(),
        role.label(),
        a.badge.trim(),
    )?;
    Ok(Launch::Done(0))
}

/// Whether the log takes its first passphrase now: there is no log yet, or one without a
/// passphrase (an empty one left by a run that stopped before protecting it).
fn needs_passphrase(dir: &LogDir) -> Result<bool, CliError> {
    if !has_log(dir) {
        return Ok(true);
    }
    Ok(LockedStore::open(dir)?.protection()? != Protection::Protected)
}

/// Creates (or protects) the log with a passphrase chosen now. The officer's name, badge and
/// beat are known here, unlike in the app where the passphrase comes first, so a passphrase
/// built on them is refused as `change-passphrase` refuses it, before anything is written.
fn open_new(dir: &LogDir, personal: &[&str]) -> Result<Store, CliError> {
    let passphrase = dir.passphrase(true)?;
    if let Some(problem) = passphrase_problem_for(passphrase.as_str(), personal) {
        return Err(StoreError::WeakPassphrase(problem).into());
    }
    Ok(Store::open(dir, &passphrase)?)
}
