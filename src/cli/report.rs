//! `beatbook report`: the review screen's figures for a period, as text, CSV or JSON.

use std::io::Write;

use chrono::{Duration, Local};
use clap::ValueEnum;

use super::{find_officer, parse_date, CliError, Launch, LogDir};
use crate::model::{Id, Officer};
use crate::query::review::{review_report, Period};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ReportFormatArg {
    #[default]
    Text,
    Csv,
    Json,
}

#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// First day included (YYYY-MM-DD) [default: 27 days before --to].
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Last day included (YYYY-MM-DD) [default: today].
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    /// One officer (name, badge number or id) instead of the whole squad.
    #[arg(long, value_name = "OFFICER")]
    pub officer: Option<String>,
    #[arg(long, value_enum, default_value_t = ReportFormatArg::Text)]
    pub format: ReportFormatArg,
}

pub(crate) fn run_report(
    dir: &LogDir,
    a: &ReportArgs,
    out: &mut dyn Write,
) -> Result<Launch, CliError> {
    // Dates are checked before the log is opened, so a typo is reported even without a log.
    let to = match &a.to {
        Some(t) => parse_date(t)?,
        None => Local::now().date_naive(),
    };
    let from = match &a.from {
        Some(f) => parse_date(f)?,
        None => to.checked_sub_signed(Duration::days(27)).unwrap_or(to),
    };
    if from > to {
        return Err(CliError::DateOrder { from, to });
    }
    let period = Period::new(from, to).map_err(|e| CliError::Usage(e.to_string()))?;
    let store = dir.open_existing()?;
    let officer = match &a.officer {
        Some(who) => Some(officer_id(&store.all::<Officer>()?, who)?),
        None => None,
    };
    let report = review_report(&store, period, officer, Local::now().date_naive())?;
    let text = match a.format {
        ReportFormatArg::Text => crate::report::to_text(&report),
        ReportFormatArg::Csv => crate::report::to_csv(&report),
        ReportFormatArg::Json => crate::report::to_json(&report).map_err(std::io::Error::other)?,
    };
    out.write_all(text.as_bytes())?;
    if !text.ends_with('\n') {
        writeln!(out)?;
    }
    Ok(Launch::Done(0))
}

/// An officer by id (as printed in exports), badge number or name.
fn officer_id(officers: &[Officer], wanted: &str) -> Result<Id, CliError> {
    if let Ok(id) = wanted.trim().parse::<Id>() {
        if officers.iter().any(|o| o.meta.id == id) {
            return Ok(id);
        }
    }
    find_officer(officers, wanted)
}
