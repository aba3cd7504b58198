//! `beatbook purge` and `beatbook forget`: the retention policy and a resident's request to be
//! forgotten, from the command line. Both print what they remove; `--dry-run` stops there.

use std::io::Write;

use chrono::Utc;

use super::{find_one, CliError, Launch, LogDir};
use crate::model::Person;
use crate::query::retention::{plan_forget, plan_purge};

pub(crate) fn run_purge(
    dir: &LogDir,
    dry_run: bool,
    out: &mut dyn Write,
) -> Result<Launch, CliError> {
    let store = dir.open_existing()?;
    let profile = store.require_profile()?;
    let policy = profile.retention;
    let plan = plan_purge(&store, policy, Utc::now())?;
    writeln!(
        out,
        "Policy: notes and contact details kept {} months; people not seen for {} months anonymized (0: never).",
        policy.notes_months, policy.anonymize_months
    )?;
    if plan.is_empty() || dry_run {
        let verb = if dry_run { "Would remove" } else { "Removed" };
        writeln!(out, "{verb}: {}.", plan.summary())?;
        return Ok(Launch::Done(0));
    }
    let summary = plan.summary();
    store.scrub(
        &plan.targets(),
        profile.officer,
        "purged by the retention policy",
        plan.audit_subject(),
    )?;
    writeln!(out, "Removed: {summary}.")?;
    Ok(Launch::Done(0))
}

pub(crate) fn run_forget(
    dir: &LogDir,
    name: &str,
    dry_run: bool,
    out: &mut dyn Write,
) -> Result<Launch, CliError> {
    let store = dir.open_existing()?;
    let me = store.require_profile()?.officer;
    let people: Vec<Person> = store.all()?;
    let person = find_one(
        "person",
        name,
        people.iter().map(|p| (p.meta.id, p.name.as_str())),
        " Forget them from their page in the app, where each is shown with their details.",
    )?;
    let plan = plan_forget(&store, person)?;
    let what = format!(
        "{} and {} other entries that name them",
        plan.name, plan.mentions
    );
    if dry_run {
        writeln!(out, "Would remove {what}.")?;
        return Ok(Launch::Done(0));
    }
    let forgetting = store.forget_person(person, &plan.drop, &plan.targets, me)?;
    writeln!(out, "Removed {what}, with every earlier version.")?;
    writeln!(out, "{}", forgetting.copies_removed())?;
    Ok(Launch::Done(0))
}
