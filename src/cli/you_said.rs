//! `beatbook you-said-we-did`: the public "You said, we did" report of a neighborhood for a
//! period, written as a PDF or as text (what goes in it, and the guard, are in
//! `report::you_said`).

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{Duration, Local};

use super::{find_one, parse_date, CliError, Launch, LogDir};
use crate::query::SquadNames;
use crate::report::you_said::{day_text, to_text, you_said_we_did, YouSaidError};

/// The default period: this many days before the last day.
const DEFAULT_DAYS: i64 = 90;

#[derive(Debug, clap::Args)]
pub struct YouSaidArgs {
    /// The neighborhood the report is for (its name; needed).
    #[arg(long, value_name = "NAME")]
    pub neighborhood: Option<String>,
    /// First day included (YYYY-MM-DD) [default: 90 days before --to].
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Last day included (YYYY-MM-DD) [default: today].
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    /// The file to write: a name ending in .pdf or .txt (needed).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// Whether `out` asks for a PDF (or text), refused when it names no file that can be written.
fn output_kind(out: &Path) -> Result<bool, CliError> {
    let ext = out
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let pdf = match ext.as_deref() {
        Some("pdf") => true,
        Some("txt") => false,
        _ => {
            return Err(CliError::Usage(format!(
                "--out {} should end in .pdf or .txt, to say which to write.",
                out.display()
            )))
        }
    };
    if out.is_dir() {
        return Err(CliError::Usage(format!(
            "--out {} is a folder: give a file name ending in .pdf or .txt.",
            out.display()
        )));
    }
    if let Some(folder) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
        if !folder.is_dir() {
            return Err(CliError::Usage(format!(
                "The folder {} does not exist: create it first, or give another --out.",
                folder.display()
            )));
        }
    }
    Ok(pdf)
}

pub(super) fn run_you_said(
    dir: &LogDir,
    a: &YouSaidArgs,
    out: &mut dyn Write,
) -> Result<Launch, CliError> {
    // Everything typed is checked before the log is opened, so a typo is reported at once.
    // The two needed options are checked here rather than by clap, whose one-line message
    // would not name them.
    let Some(neighborhood) = &a.neighborhood else {
        return Err(CliError::Usage(
            "Say which neighborhood the report is for: --neighborhood NAME.".into(),
        ));
    };
    let Some(file) = &a.out else {
        return Err(CliError::Usage(
            "Say where to write the report: --out FILE.pdf or --out FILE.txt.".into(),
        ));
    };
    let today = Local::now().date_naive();
    let to = match &a.to {
        Some(t) => parse_date(t)?,
        None => today,
    };
    let from = match &a.from {
        Some(f) => parse_date(f)?,
        None => to
            .checked_sub_signed(Duration::days(DEFAULT_DAYS))
            .unwrap_or(to),
    };
    if from > to {
        return Err(CliError::DateOrder { from, to });
    }
    let pdf = output_kind(file)?;
    let store = dir.open_existing()?;
    let names = SquadNames::of(&store)?;
    let hood = find_one(
        "neighborhood",
        neighborhood,
        names
            .neighborhoods()
            .iter()
            .map(|(id, name)| (*id, name.as_str())),
        "",
    )?;
    let report = you_said_we_did(&store, hood, from, to, today).map_err(|e| match e {
        YouSaidError::Store(e) => CliError::Store(e),
        other => CliError::Usage(other.to_string()),
    })?;
    let bytes = if pdf {
        crate::report::pdf::you_said_pdf(&report)
    } else {
        to_text(&report).into_bytes()
    };
    crate::export::write_atomically(file, |w| Ok(w.write_all(&bytes)?))?;
    writeln!(
        out,
        "Wrote \"You said, we did\" for {}, {} to {}, to {}.",
        report.neighborhood,
        day_text(from),
        day_text(to),
        file.display()
    )?;
    if let Some(summary) = report.left_out_summary() {
        writeln!(out, "{summary}")?;
        for detail in report.left_out_details() {
            writeln!(out, "  {detail}")?;
        }
    }
    Ok(Launch::Done(0))
}
