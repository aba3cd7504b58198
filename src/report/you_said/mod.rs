//! "You said, we did": a neighborhood's report to its residents for a period, to hand out at
//! the next meeting. This module owns what the report says ([`you_said_we_did`]), the guard that
//! keeps personal data out of it ([`Guard`], in `guard`) and its plain text ([`to_text`]); the
//! sections are worked out from the log in `sections`, and the PDF is drawn from the same lines
//! in `pdf::you_said`.
//!
//! The report is built only from what may be shown to the public, and every line is then
//! checked by the guard before it can be printed:
//!
//! - *You said*: how many contacts the neighborhood's officers recorded in the period, and the
//!   topics raised with how often (counted from the log's index; no contact is read, so no note,
//!   name or place of a contact can reach the report).
//! - *What we agreed to work on*: the priorities whose period overlaps the report's, with the day
//!   of the meeting they were agreed at (only the meeting's date is read) and the problems that
//!   work on them.
//! - *What we did*: the problems past scanning and analysis (open ones, and closed ones last
//!   changed on or after the period's first day), their actions done or under way, the partner
//!   agencies that carry them, and the outcome of closed ones.
//! - *What comes next*: open actions by due date, problems still being looked into, and the
//!   priorities that go on after the period.
//!
//! Free text written by officers is printed only where it is meant for the public: problem
//! titles, action texts, partner agencies, priority concerns and the sentences of a problem's
//! notes the officer marked for publication (`Problem::published`). Contact notes, person notes
//! and stage notes are never read.
//!
//! The guard is the second wall: it holds every person of the log (deleted ones too) and leaves
//! out any line holding one of their names or their phone, email or address given with consent.
//! Names and addresses are matched as whole words in any case ("Al" is found in "ask Al", not
//! in "also"); a name is also looked for without its middle initials ("Maria K. Lopez" as
//! "Maria Lopez"), after a leading honorific ("Mr. Tran" as "Tran"), and as an honorific with
//! its last word ("Mrs Lopez"). A first name or a surname alone is not looked for: surnames such
//! as Park or Washington are also the names of streets and neighborhoods, and every line naming
//! them would go. Accents are taken off before comparing ("Jose Nunez" is "José Núñez").
//! Phones are compared by their digits (however they are spaced), each number of a phone field
//! on its own, emails in any case, each of a field's; an address is also looked for as its
//! street and house number alone ("14 Oak St" of "14 Oak St Apt 2").
//!
//! The guard knows the people this log holds. An officer's log holds the officer's own people,
//! while problems and priorities arrive from the whole squad: a line holding the words of an
//! officer none of whose people the log holds cannot be checked, and is left out (the
//! sergeant's log, which receives everyone's people, checks and prints it). A line that depends on one left out (the actions under a problem whose title was left
//! out) goes with it. What was left out, and why, is kept for the preview and never printed.

use std::fmt::Write as _;
use std::sync::atomic::AtomicBool;

use chrono::NaiveDate;

use crate::model::Id;
use crate::store::{Store, StoreError};

/// Why the report could not be made.
#[derive(Debug, thiserror::Error)]
pub enum YouSaidError {
    #[error(
        "The period starts on {} and ends on {}: the first day must come before the last.",
        day_text(*from),
        day_text(*to)
    )]
    DateOrder { from: NaiveDate, to: NaiveDate },
    #[error("That neighborhood is not in the log any more.")]
    NoNeighborhood(Id),
    #[error("The report was stopped before it was finished.")]
    Stopped,
    #[error("{0}")]
    Store(#[from] StoreError),
}

/// How a line is set: the PDF and the preview give each its own type; the text marks them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// "You said, we did — Riverside".
    Title,
    /// The period, under the title.
    Period,
    /// A sentence that introduces or closes the report or a section.
    Remark,
    /// A section's heading.
    Heading,
    /// One thing in a section: a topic, a priority, a problem, a next step.
    Item,
    /// A detail of the item above: an action, an outcome, a published sentence.
    Detail,
}

/// One line of the report as it will be printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub style: Style,
    pub text: String,
}

/// Why the guard left a line out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Reason {
    Name,
    Phone,
    Email,
    Address,
    /// The line belongs to one above it that was left out (an action under a problem's title).
    WithLineAbove,
    /// Another officer wrote it, and this log does not hold their residents to check it
    /// against (an officer's log receives the squad's problems, not its people).
    AnotherOfficer,
}

impl Reason {
    const ALL: [Reason; 6] = [
        Reason::Name,
        Reason::Phone,
        Reason::Email,
        Reason::Address,
        Reason::WithLineAbove,
        Reason::AnotherOfficer,
    ];

    /// What the line held, in words: "named a person in the log".
    pub fn words(self) -> &'static str {
        match self {
            Reason::Name => "named a person in the log",
            Reason::Phone => "held a phone number from the log",
            Reason::Email => "held an email address from the log",
            Reason::Address => "held an address from the log",
            Reason::WithLineAbove => "belonged to a line left out above it",
            Reason::AnotherOfficer => {
                "was written by another officer, whose residents this log does not hold to \
                 check it against (the sergeant's log does)"
            }
        }
    }
}

/// A line the guard kept out of the report: where it would have been, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeftOut {
    /// The section's heading.
    pub section: &'static str,
    pub reason: Reason,
}

/// The report for one neighborhood and period, ready to print.
#[derive(Debug, Clone, PartialEq)]
pub struct YouSaidReport {
    pub neighborhood: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The day it was made.
    pub prepared: NaiveDate,
    /// What will be printed, in order; every line has passed the guard.
    pub lines: Vec<Line>,
    /// What the guard kept out (for the one preparing it; never printed).
    pub left_out: Vec<LeftOut>,
}

impl YouSaidReport {
    /// The report's title as printed ("You said, we did — Riverside"): the guard's word holds
    /// for the pages' headers too, so a title it left out is "You said, we did" alone.
    pub fn title(&self) -> String {
        self.lines
            .iter()
            .find(|l| l.style == Style::Title)
            .map_or_else(|| "You said, we did".to_string(), |l| l.text.clone())
    }

    /// The period in words: "1 September 2026 to 30 November 2026".
    pub fn period(&self) -> String {
        period_text(self.from, self.to)
    }

    /// How many lines were left out and why, in one sentence; `None` when none were.
    pub fn left_out_summary(&self) -> Option<String> {
        if self.left_out.is_empty() {
            return None;
        }
        let parts: Vec<String> = Reason::ALL
            .iter()
            .filter_map(|r| {
                let n = self.left_out.iter().filter(|l| l.reason == *r).count();
                (n > 0).then(|| format!("{n} {}", r.words()))
            })
            .collect();
        let n = self.left_out.len();
        Some(format!(
            "{} left out and not printed: {}.",
            if n == 1 {
                "1 line was".to_string()
            } else {
                format!("{n} lines were")
            },
            parts.join("; ")
        ))
    }

    /// Where each left-out line was, and why: "What we did: named a person in the log".
    pub fn left_out_details(&self) -> Vec<String> {
        self.left_out
            .iter()
            .map(|l| format!("{}: {}", l.section, l.reason.words()))
            .collect()
    }
}

/// "You said, we did — Riverside".
fn title_of(neighborhood: &str) -> String {
    format!("You said, we did \u{2014} {}", one_line(neighborhood))
}

/// A day as the public reads it: "3 October 2026".
pub fn day_text(day: NaiveDate) -> String {
    day.format("%-d %B %Y").to_string()
}

fn period_text(from: NaiveDate, to: NaiveDate) -> String {
    format!("{} to {}", day_text(from), day_text(to))
}

/// Free text on one line: newlines, tabs and runs of spaces become one space.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A topic's name with a capital first letter, as the start of a line.
fn capitalized(text: &str) -> String {
    super::first_capital(&one_line(text))
}

const YOU_SAID: &str = "You said: what residents raised";
const AGREED: &str = "What we agreed to work on";
const DID: &str = "What we did";
const NEXT: &str = "What comes next";

/// Works out the report of `neighborhood` (any of the squad's records of that name) from `from`
/// to `to`, both included; `today` dates it and tells late actions from planned ones.
pub fn you_said_we_did(
    store: &Store,
    neighborhood: Id,
    from: NaiveDate,
    to: NaiveDate,
    today: NaiveDate,
) -> Result<YouSaidReport, YouSaidError> {
    you_said_we_did_unless(
        store,
        neighborhood,
        from,
        to,
        today,
        &AtomicBool::new(false),
    )?
    .ok_or(YouSaidError::Stopped)
}

/// [`you_said_we_did`] beside the UI: given up (`Ok(None)`) soon after `stop` is set, as
/// reading everyone in a large log for the guard takes a moment.
pub fn you_said_we_did_unless(
    store: &Store,
    neighborhood: Id,
    from: NaiveDate,
    to: NaiveDate,
    today: NaiveDate,
    stop: &AtomicBool,
) -> Result<Option<YouSaidReport>, YouSaidError> {
    let draft = match sections::draft(store, neighborhood, (from, to), today, stop) {
        Err(YouSaidError::Stopped) => return Ok(None),
        other => other?,
    };
    let Some(guard) = Guard::of_unless(store, stop)? else {
        return Ok(None);
    };
    Ok(Some(draft.guarded(&guard)))
}

mod guard;
mod sections;

pub use guard::Guard;

/// The report before the guard: every line it would print, each knowing the line it depends on.
#[derive(Debug, Default)]
struct Draft {
    neighborhood: String,
    from: NaiveDate,
    to: NaiveDate,
    prepared: NaiveDate,
    lines: Vec<DraftLine>,
    section: &'static str,
    /// The officers whose words the lines being added hold (see [`Draft::writing`]).
    writing: Vec<Id>,
}

#[derive(Debug)]
struct DraftLine {
    line: Line,
    section: &'static str,
    /// The line this one belongs to: left out with it.
    under: Option<usize>,
    /// The officers whose words it holds (none for the report's own words).
    written_by: Vec<Id>,
}

impl Draft {
    fn push(&mut self, style: Style, text: impl Into<String>, under: Option<usize>) -> usize {
        self.lines.push(DraftLine {
            line: Line {
                style,
                text: text.into(),
            },
            section: self.section,
            under,
            written_by: self.writing.clone(),
        });
        self.lines.len() - 1
    }

    fn line(&mut self, style: Style, text: impl Into<String>) -> usize {
        self.push(style, text, None)
    }

    fn under(&mut self, parent: usize, style: Style, text: impl Into<String>) -> usize {
        self.push(style, text, Some(parent))
    }

    fn heading(&mut self, text: &'static str) {
        self.section = text;
        self.writing.clear();
        self.line(Style::Heading, text);
    }

    /// The lines added from now on hold the words of these officers.
    fn writing(&mut self, officers: Vec<Id>) {
        self.writing = officers;
    }

    /// Every line through the guard: those holding personal data, and those that belong to
    /// one left out, are set aside with the reason.
    fn guarded(self, guard: &Guard) -> YouSaidReport {
        let mut out = vec![false; self.lines.len()];
        let mut lines = Vec::new();
        let mut left_out = Vec::new();
        for (i, l) in self.lines.into_iter().enumerate() {
            let reason = match l.under {
                Some(parent) if out.get(parent).copied().unwrap_or(false) => {
                    Some(Reason::WithLineAbove)
                }
                _ => guard
                    .check(&l.line.text)
                    .or_else(|| guard.cannot_check(&l.written_by)),
            };
            match reason {
                Some(reason) => {
                    out[i] = true;
                    left_out.push(LeftOut {
                        section: l.section,
                        reason,
                    });
                }
                None => lines.push(l.line),
            }
        }
        YouSaidReport {
            neighborhood: self.neighborhood,
            from: self.from,
            to: self.to,
            prepared: self.prepared,
            lines,
            left_out,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Plain text

/// The report as plain text: the same lines as the PDF, headings underlined, items marked.
pub fn to_text(report: &YouSaidReport) -> String {
    let mut out = String::new();
    // Writing to a String cannot fail, so the results are ignored throughout.
    let mut after_item = false;
    for l in &report.lines {
        // A remark after a list stands apart from it.
        if l.style == Style::Remark && after_item {
            let _ = writeln!(out);
        }
        after_item = matches!(l.style, Style::Item | Style::Detail);
        match l.style {
            Style::Title => {
                let _ = writeln!(out, "{}", l.text);
                let _ = writeln!(out, "{}", "=".repeat(l.text.chars().count()));
            }
            Style::Period => {
                let _ = writeln!(out, "{}", l.text);
                let _ = writeln!(out);
            }
            Style::Remark => {
                let _ = writeln!(out, "{}", l.text);
            }
            Style::Heading => {
                let _ = writeln!(out);
                let _ = writeln!(out, "{}", l.text);
                let _ = writeln!(out, "{}", "-".repeat(l.text.chars().count()));
            }
            Style::Item => {
                let _ = writeln!(out, "* {}", l.text);
            }
            Style::Detail => {
                let _ = writeln!(out, "    {}", l.text);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_marks_headings_items_and_details() {
        let report = YouSaidReport {
            neighborhood: "Riverside".into(),
            from: NaiveDate::from_ymd_opt(2026, 9, 1).unwrap(),
            to: NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
            prepared: NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
            lines: vec![
                Line {
                    style: Style::Title,
                    text: "You said, we did \u{2014} Riverside".into(),
                },
                Line {
                    style: Style::Heading,
                    text: NEXT.into(),
                },
                Line {
                    style: Style::Item,
                    text: "Lighting: raised 3 times".into(),
                },
                Line {
                    style: Style::Detail,
                    text: "Done.".into(),
                },
            ],
            left_out: Vec::new(),
        };
        assert_eq!(report.period(), "1 September 2026 to 30 November 2026");
        assert_eq!(report.left_out_summary(), None);
        assert_eq!(
            to_text(&report),
            "You said, we did \u{2014} Riverside\n============================\n\n\
             What comes next\n---------------\n* Lighting: raised 3 times\n    Done.\n"
        );
    }
}
