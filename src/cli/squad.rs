//! `beatbook exchange`, `beatbook squad` and `beatbook sync`: the squad exchange on the command
//! line, for scripts and for a department's support staff. None of them prints a secret.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Subcommand;

use super::exchange::ConflictChoice;
use super::log_dir::secret;
use super::{local_time, CliError, Launch, LogDir, OutputFormat};
use crate::bundle::{self, Choice};
use crate::exchange::{self, Conflicts, Credentials, Target, TargetSettings};
use crate::model::{Member, MemberStatus};
use crate::store::Store;

#[derive(Debug, Subcommand)]
pub enum ExchangeCommand {
    /// Set where the squad's bundles are kept: s3://BUCKET/PREFIX or a folder. Credentials come
    /// from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (kept encrypted in the log when set) or
    /// the AWS profile files.
    Set {
        #[arg(value_name = "TARGET")]
        target: String,
        /// The S3 service's address (a department's own storage); AWS S3 when left out.
        #[arg(long, value_name = "URL")]
        endpoint: Option<String>,
        #[arg(long, value_name = "R")]
        region: Option<String>,
        /// Allow a plain-http endpoint (only for a test server on this computer).
        #[arg(long)]
        allow_http: bool,
    },
    /// Show the target, the last sync, what waits to be sent and the squad's members.
    Status,
}

#[derive(Debug, Subcommand)]
pub enum SquadCommand {
    /// (Sergeant) Create the squad and write the join file members join with. The squad
    /// passphrase comes from BEATBOOK_SQUAD_PASSPHRASE, --passphrase-from FILE or a prompt.
    Create {
        #[arg(long, value_name = "FILE")]
        join_file: PathBuf,
        /// A file whose first line is the squad passphrase.
        #[arg(long, value_name = "FILE")]
        passphrase_from: Option<PathBuf>,
    },
    /// Join a squad with the join file from the sergeant (and the squad passphrase).
    Join {
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// A file whose first line is the squad passphrase.
        #[arg(long, value_name = "FILE")]
        passphrase_from: Option<PathBuf>,
    },
    /// Approve a member's key after comparing its fingerprint with them in person; bundles
    /// held from that key are then imported.
    Approve {
        #[arg(value_name = "FINGERPRINT")]
        fingerprint: String,
    },
    /// Remove a member's key: nothing it signs is accepted from now on.
    Remove {
        #[arg(value_name = "FINGERPRINT")]
        fingerprint: String,
    },
    /// List the members with their fingerprints and whether each is approved.
    Members {
        #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
        format: OutputFormat,
    },
}

#[derive(Debug, clap::Args)]
pub struct SyncArgs {
    /// How to settle records edited both here and by another device. Without it, they wait
    /// in the app's "Needs your decision" list.
    #[arg(long, value_enum, value_name = "CHOICE")]
    pub conflicts: Option<ConflictChoice>,
}

pub(super) fn run_exchange(
    dir: &LogDir,
    command: &ExchangeCommand,
    out: &mut dyn Write,
) -> Result<Launch, CliError> {
    let store = dir.open_existing()?;
    match command {
        ExchangeCommand::Set {
            target,
            endpoint,
            region,
            allow_http,
        } => {
            let target = Target::parse(target, endpoint.clone(), region.clone(), *allow_http)
                .map_err(|e| CliError::Usage(e.to_string()))?;
            let credentials = match (
                std::env::var("AWS_ACCESS_KEY_ID"),
                std::env::var("AWS_SECRET_ACCESS_KEY"),
            ) {
                (Ok(id), Ok(secret)) if matches!(target, Target::S3 { .. }) => Some(Credentials {
                    access_key_id: id,
                    secret_access_key: zeroize::Zeroizing::new(secret),
                }),
                _ => None,
            };
            let kept = credentials.is_some();
            exchange::set_target(
                &store,
                &TargetSettings {
                    target: target.clone(),
                    credentials,
                },
            )?;
            writeln!(
                out,
                "The squad exchange goes through {}.",
                target.describe()
            )?;
            if kept {
                writeln!(
                    out,
                    "The access key from AWS_ACCESS_KEY_ID is kept, encrypted, in the log."
                )?;
            }
        }
        ExchangeCommand::Status => print_status(&store, out)?,
    }
    Ok(Launch::Done(0))
}

fn print_status(store: &Store, out: &mut dyn Write) -> Result<(), CliError> {
    let s = exchange::status(store)?;
    match &s.target {
        Some(t) => writeln!(out, "Target: {}", t.describe())?,
        None => writeln!(out, "Target: none set (beatbook exchange set TARGET)")?,
    }
    match &s.squad {
        Some(squad) => writeln!(
            out,
            "Squad: led by {} (fingerprint {})",
            squad.sergeant.who(),
            squad.sergeant.fingerprint()
        )?,
        None => writeln!(out, "Squad: not joined")?,
    }
    match &s.last {
        Some(last) => match &last.failed {
            Some(why) => writeln!(out, "Last sync: {} failed: {why}", local_time(last.at))?,
            None => writeln!(
                out,
                "Last sync: {}: {}",
                local_time(last.at),
                last.report.summary()
            )?,
        },
        None => writeln!(out, "Last sync: never")?,
    }
    writeln!(
        out,
        "Waiting to be sent: {}",
        crate::model::plural(s.waiting_to_send, "change", "changes")
    )?;
    if s.decisions > 0 {
        writeln!(
            out,
            "Needs your decision: {} (open the app)",
            crate::model::plural(s.decisions, "record", "records")
        )?;
    }
    writeln!(out, "This log: {} {}", s.me.who(), s.me.fingerprint())?;
    print_members(&s.members, out)
}

fn print_members(members: &[Member], out: &mut dyn Write) -> Result<(), CliError> {
    for m in members {
        writeln!(
            out,
            "  {}  {:<8}  {}",
            m.fingerprint(),
            m.status.word(),
            m.who()
        )?;
    }
    Ok(())
}

fn squad_passphrase(file: Option<&Path>, new: bool) -> Result<crate::store::Passphrase, CliError> {
    secret(file, "BEATBOOK_SQUAD_PASSPHRASE", "Squad passphrase: ", new)
}

pub(super) fn run_squad(
    dir: &LogDir,
    command: &SquadCommand,
    out: &mut dyn Write,
) -> Result<Launch, CliError> {
    let store = dir.open_existing()?;
    match command {
        SquadCommand::Create {
            join_file,
            passphrase_from,
        } => {
            let passphrase = squad_passphrase(passphrase_from.as_deref(), true)?;
            let bytes = exchange::create_squad(&store, &passphrase).map_err(exchange_error)?;
            crate::export::write_atomically(join_file, |w| {
                w.write_all(&bytes)?;
                Ok(())
            })?;
            let me = bundle::my_member(&store)?;
            writeln!(
                out,
                "The squad is created; give {} to each member with the squad passphrase. \
                 Your fingerprint: {}",
                join_file.display(),
                me.fingerprint()
            )?;
        }
        SquadCommand::Join {
            file,
            passphrase_from,
        } => {
            let bytes = std::fs::read(file).map_err(|e| {
                CliError::Usage(format!(
                    "The join file {} cannot be read ({e}).",
                    file.display()
                ))
            })?;
            let passphrase = squad_passphrase(passphrase_from.as_deref(), false)?;
            let joined =
                exchange::join_squad(&store, &bytes, &passphrase).map_err(exchange_error)?;
            let me = bundle::my_member(&store)?;
            writeln!(
                out,
                "Joined the squad of {}. Show your sergeant your fingerprint to be approved: {}",
                joined.squad.sergeant.who(),
                me.fingerprint()
            )?;
        }
        SquadCommand::Approve { fingerprint } => approve(&store, fingerprint, out)?,
        SquadCommand::Remove { fingerprint } => {
            let member = find(&store, fingerprint)?;
            bundle::remove_member(&store, &member.key)?;
            writeln!(
                out,
                "Removed {} ({}): nothing signed by that key is accepted from now on.",
                member.who(),
                member.fingerprint()
            )?;
        }
        SquadCommand::Members { format } => {
            let (me, members) = exchange::members_with_status(&store)?;
            match format {
                OutputFormat::Text => {
                    writeln!(out, "This log: {}  {}", me.fingerprint(), me.who())?;
                    print_members(&members, out)?;
                }
                OutputFormat::Json => {
                    let list: Vec<_> = std::iter::once(&me)
                        .chain(members.iter())
                        .map(|m| {
                            serde_json::json!({
                                "fingerprint": m.fingerprint(),
                                "name": m.name,
                                "badge": m.badge,
                                "role": m.role.label().to_lowercase(),
                                "status": m.status.word(),
                            })
                        })
                        .collect();
                    writeln!(
                        out,
                        "{}",
                        serde_json::to_string_pretty(&list).map_err(std::io::Error::other)?
                    )?;
                }
            }
        }
    }
    Ok(Launch::Done(0))
}

fn find(store: &Store, fingerprint: &str) -> Result<Member, CliError> {
    bundle::roster(store)?
        .by_fingerprint(fingerprint)
        .cloned()
        .ok_or_else(|| {
            CliError::Usage(format!(
                "No member has the fingerprint {fingerprint}. `beatbook squad members` lists them."
            ))
        })
}

/// Approves the key, then imports the bundles held for it.
fn approve(store: &Store, fingerprint: &str, out: &mut dyn Write) -> Result<(), CliError> {
    let member = find(store, fingerprint)?;
    if member.status == MemberStatus::Removed {
        writeln!(
            out,
            "{} was removed from the squad; approving the key again accepts it again.",
            member.who()
        )?;
    }
    bundle::approve_member(store, &member)?;
    writeln!(out, "Approved {} ({}).", member.who(), member.fingerprint())?;
    let squad = store.require_squad_passphrase()?;
    for (name, sealed) in store.held_bundles()? {
        let Ok(held) = bundle::bundle_from_bytes(&sealed, "a bundle held for approval", &squad)
        else {
            continue;
        };
        if held.key != member.key {
            continue;
        }
        let plan = bundle::plan_import(store, vec![held])?;
        for refusal in &plan.refused {
            writeln!(out, "{refusal}")?;
        }
        if plan.refused.is_empty() {
            let choices = vec![Choice::KeepMine; plan.conflicts.len()];
            let s = bundle::apply_import(store, &plan, &choices)?;
            writeln!(
                out,
                "Imported the held bundle: {} new, {} updated, {} unchanged{}.",
                s.new,
                s.updated,
                s.unchanged,
                if s.kept_mine > 0 {
                    format!("; {} in conflict kept as here", s.kept_mine)
                } else {
                    String::new()
                }
            )?;
        }
        store.release_held(&name)?;
    }
    Ok(())
}

fn exchange_error(e: exchange::ExchangeError) -> CliError {
    match e {
        exchange::ExchangeError::Store(e) => CliError::Store(e),
        other => CliError::Usage(other.to_string()),
    }
}

pub(super) fn run_sync(
    dir: &LogDir,
    a: &SyncArgs,
    out: &mut dyn Write,
) -> Result<Launch, CliError> {
    let store = dir.open_existing()?;
    let conflicts = match a.conflicts {
        None => Conflicts::Wait,
        Some(ConflictChoice::KeepMine) => Conflicts::KeepMine,
        Some(ConflictChoice::TakeTheirs) => Conflicts::TakeTheirs,
    };
    let report = exchange::sync_once(&store, conflicts).map_err(exchange_error)?;
    writeln!(
        out,
        "Sent {} ({} bytes); received {} ({} bytes), {} taken into the log.",
        crate::model::plural(report.sent_records, "record", "records"),
        report.sent_bytes,
        crate::model::plural(report.received_records, "record", "records"),
        report.received_bytes,
        report.applied
    )?;
    if report.held > 0 {
        writeln!(
            out,
            "Held: {} from members not approved yet (`beatbook squad members`).",
            crate::model::plural(report.held, "bundle", "bundles")
        )?;
    }
    if report.conflicts > 0 {
        let how = match conflicts {
            Conflicts::Wait => "waiting for your decision in the app",
            Conflicts::KeepMine => "kept as here",
            Conflicts::TakeTheirs => "taken from the other device",
        };
        writeln!(
            out,
            "In conflict: {}, {how}.",
            crate::model::plural(report.conflicts, "record", "records")
        )?;
    }
    for refusal in &report.refused {
        writeln!(out, "Refused: {refusal}")?;
    }
    for problem in &report.unfinished {
        writeln!(out, "Not finished: {problem}")?;
    }
    Ok(Launch::Done(u8::from(!report.refused.is_empty())))
}
