//! "You said, we did": a neighborhood's report to its residents for a period, to hand out at
//! the next meeting. This module owns what the report says ([`you_said_we_did`]), the guard that
//! keeps personal data out of it ([`Guard`]) and its plain text ([`to_text`]); the PDF is drawn
//! from the same lines in `pdf::you_said`.
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

use std::collections::{BTreeSet, HashMap, HashSet};
use std::fmt::Write as _;
use std::sync::atomic::{AtomicBool, Ordering};

use chrono::{Local, NaiveDate};

use crate::model::{
    ActionOwner, ActionStatus, Contact, ContactKind, Id, Meta, Person, Priority, Problem, Stage,
};
use crate::query::problems::{priorities, problems, ProblemFilter};
use crate::query::{search, LogFilter, SquadNames};
use crate::store::{Store, StoreError, StoreResult};

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
    let draft = match draft(store, neighborhood, (from, to), today, stop) {
        Err(YouSaidError::Stopped) => return Ok(None),
        other => other?,
    };
    let Some(guard) = Guard::of_unless(store, stop)? else {
        return Ok(None);
    };
    Ok(Some(draft.guarded(&guard)))
}

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

/// The problems and priorities of the neighborhood that the report speaks of.
struct Work {
    /// Worked on in the period: past analysis, open or closed since the period began.
    worked: Vec<Problem>,
    /// Still being looked into (scanning, analysis).
    looking_into: Vec<Problem>,
    /// The priorities whose period overlaps the report's.
    priorities: Vec<Priority>,
    /// Every live problem's title by id, for the priorities that name them.
    titles: HashMap<Id, String>,
    /// Who wrote each problem and priority: its creator and everyone who changed it since.
    writers: HashMap<Id, Vec<Id>>,
}

/// Given up (`Stopped`) between two counts once `stop` is set: without the contact index each
/// count walks the period's contacts.
fn draft(
    store: &Store,
    neighborhood: Id,
    (from, to): (NaiveDate, NaiveDate),
    today: NaiveDate,
    stop: &AtomicBool,
) -> Result<Draft, YouSaidError> {
    if from > to {
        return Err(YouSaidError::DateOrder { from, to });
    }
    let names = SquadNames::of(store)?;
    let hood = names.canonical(neighborhood);
    let name = names
        .name(hood)
        .ok_or(YouSaidError::NoNeighborhood(neighborhood))?
        .to_string();
    let mut d = Draft {
        neighborhood: name.clone(),
        from,
        to,
        prepared: today,
        ..Draft::default()
    };
    d.line(Style::Title, title_of(&name));
    d.line(Style::Period, period_text(from, to));
    d.line(
        Style::Remark,
        "What residents raised with their neighborhood officers, what we agreed to work on \
         together, what has been done and what comes next.",
    );
    you_said(&mut d, store, &names, hood, (from, to), stop)?;
    let work = work(store, &names, hood, from, to)?;
    agreed(&mut d, store, &work)?;
    did(&mut d, &work);
    next(&mut d, &work, to, today);
    d.section = "";
    d.line(
        Style::Remark,
        format!(
            "Prepared on {} by the neighborhood officers. This report names no resident.",
            day_text(today)
        ),
    );
    Ok(d)
}

/// The contacts of the period and the topics raised, most often first.
fn you_said(
    d: &mut Draft,
    store: &Store,
    names: &SquadNames,
    hood: Id,
    (from, to): (NaiveDate, NaiveDate),
    stop: &AtomicBool,
) -> Result<(), YouSaidError> {
    d.heading(YOU_SAID);
    let filter = LogFilter {
        neighborhood: Some(hood),
        from: Some(from),
        to: Some(to),
        ..LogFilter::default()
    };
    let contacts = search(store, &filter, 0)?.total;
    let mut topics: Vec<(usize, String)> = Vec::new();
    for (topic, name) in names.topics() {
        if stop.load(Ordering::Relaxed) {
            return Err(YouSaidError::Stopped);
        }
        let raised = search(
            store,
            &LogFilter {
                tag: Some(*topic),
                ..filter.clone()
            },
            0,
        )?
        .total;
        if raised > 0 {
            topics.push((raised, capitalized(name)));
        }
    }
    topics.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    if contacts == 0 {
        d.line(
            Style::Remark,
            "No contacts with residents were recorded in this period.",
        );
        return Ok(());
    }
    d.line(
        Style::Remark,
        format!(
            "Residents, businesses and groups spoke with the neighborhood officers {} in this \
             period. The topics they raised, most often first:",
            crate::model::plural(contacts, "time", "times")
        ),
    );
    if topics.is_empty() {
        d.line(Style::Remark, "No topics were noted in these contacts.");
    }
    for (raised, name) in topics {
        d.line(
            Style::Item,
            format!(
                "{name}: raised {}",
                crate::model::plural(raised, "time", "times")
            ),
        );
    }
    Ok(())
}

fn work(
    store: &Store,
    names: &SquadNames,
    hood: Id,
    from: NaiveDate,
    to: NaiveDate,
) -> StoreResult<Work> {
    let aliases = names.aliases_of(hood);
    let all = problems(store, &ProblemFilter::default())?;
    let titles = all
        .iter()
        .map(|p| (p.meta.id, one_line(&p.title)))
        .collect();
    let mut writers = HashMap::new();
    for p in &all {
        writers.insert(
            p.meta.id,
            writers_of(&p.meta, store.history::<Problem>(p.meta.id)?),
        );
    }
    let mut worked = Vec::new();
    let mut looking_into = Vec::new();
    for p in all {
        if !aliases.contains(&p.neighborhood) || p.noticed > to {
            continue;
        }
        // A closed problem has no closing date of its own: its last change is when it was
        // closed or after, so one last changed before the period was closed before it.
        let changed = p.meta.updated_at.with_timezone(&Local).date_naive();
        match p.stage {
            Stage::Closed if changed < from => {}
            Stage::Scanning | Stage::Analysis => looking_into.push(p),
            _ => worked.push(p),
        }
    }
    let priorities: Vec<Priority> = priorities(store, &aliases, None)?
        .into_iter()
        .filter(|p| p.from <= to && from <= p.to)
        .collect();
    for p in &priorities {
        writers.insert(
            p.meta.id,
            writers_of(&p.meta, store.history::<Priority>(p.meta.id)?),
        );
    }
    Ok(Work {
        worked,
        looking_into,
        priorities,
        titles,
        writers,
    })
}

/// The officers who wrote a record: its creator, its last author and every author before.
fn writers_of(meta: &Meta, history: Vec<crate::model::Revision>) -> Vec<Id> {
    let mut writers: Vec<Id> = [meta.owner(), meta.author]
        .into_iter()
        .chain(history.into_iter().map(|r| r.changed_by))
        .collect();
    writers.sort();
    writers.dedup();
    writers
}

impl Work {
    /// The officers who wrote any of these problems and priorities.
    fn writers(&self, records: &[Id]) -> Vec<Id> {
        let mut all: Vec<Id> = records
            .iter()
            .filter_map(|id| self.writers.get(id))
            .flatten()
            .copied()
            .collect();
        all.sort();
        all.dedup();
        all
    }
}

/// The priorities agreed for the period, with the meeting and the problems behind each.
fn agreed(d: &mut Draft, store: &Store, work: &Work) -> StoreResult<()> {
    d.heading(AGREED);
    if work.priorities.is_empty() {
        d.line(Style::Remark, "No priorities were agreed for this period.");
    }
    for p in &work.priorities {
        d.writing(work.writers(&[p.meta.id]));
        let item = d.line(Style::Item, one_line(&p.concern));
        let span = period_text(p.from, p.to);
        // Only the meeting's day and kind are read, never its note or who was there.
        let meeting = match p.meeting {
            Some(id) => store.get::<Contact>(id)?.filter(|c| !c.meta.deleted),
            None => None,
        };
        let when = match meeting {
            Some(c) => {
                let day = day_text(c.at.with_timezone(&Local).date_naive());
                match c.kind {
                    ContactKind::CommunityMeeting | ContactKind::Event => {
                        format!("Agreed at a community meeting on {day}, for {span}.")
                    }
                    _ => format!("Agreed with residents on {day}, for {span}."),
                }
            }
            None => format!("Agreed with residents for {span}."),
        };
        d.under(item, Style::Detail, when);
        for problem in &p.problems {
            if let Some(title) = work.titles.get(problem) {
                d.writing(work.writers(&[*problem]));
                d.under(item, Style::Detail, format!("Worked on through: {title}"));
            }
        }
    }
    Ok(())
}

/// Who carries an action, for the public: the partner agency's name, or nothing for the
/// officers' own.
fn by_whom(owner: Option<&ActionOwner>) -> String {
    match owner.and_then(ActionOwner::agency) {
        Some(agency) => format!(" ({})", one_line(agency)),
        None => String::new(),
    }
}

/// The problems worked on, with their actions done or under way, partners and outcomes.
fn did(d: &mut Draft, work: &Work) {
    d.heading(DID);
    if work.worked.is_empty() {
        d.line(
            Style::Remark,
            "No work on a problem is recorded for this period yet.",
        );
    }
    for p in &work.worked {
        d.writing(work.writers(&[p.meta.id]));
        let item = d.line(Style::Item, one_line(&p.title));
        let state = match (p.stage, p.outcome) {
            (Stage::Closed, Some(outcome)) => format!("Closed. Outcome: {}.", outcome.label()),
            (Stage::Closed, None) => "Closed.".to_string(),
            (Stage::Assessment, _) => "Work done; we are checking what changed.".to_string(),
            _ => "Work under way.".to_string(),
        };
        d.under(item, Style::Detail, state);
        for a in &p.actions {
            let status = match a.status {
                ActionStatus::Done => "Done",
                ActionStatus::InProgress => "Under way",
                ActionStatus::Planned | ActionStatus::Dropped => continue,
            };
            let who = by_whom(a.owner.as_ref());
            d.under(
                item,
                Style::Detail,
                format!("{status}: {}{who}", one_line(&a.what)),
            );
        }
        let partners = p.partners();
        if !partners.is_empty() {
            let list: Vec<String> = partners.iter().map(|a| one_line(a)).collect();
            d.under(
                item,
                Style::Detail,
                format!("With our partners: {}.", list.join(", ")),
            );
        }
        published(d, item, p);
    }
}

/// The sentences of a problem's notes its officer marked for publication.
fn published(d: &mut Draft, item: usize, p: &Problem) {
    for sentence in &p.published {
        let sentence = one_line(sentence);
        if !sentence.is_empty() {
            d.under(item, Style::Detail, sentence);
        }
    }
}

/// Open actions by due date, problems being looked into, and priorities that go on.
fn next(d: &mut Draft, work: &Work, to: NaiveDate, today: NaiveDate) {
    d.heading(NEXT);
    let before = d.lines.len();
    let mut steps: Vec<(Option<NaiveDate>, String, Id)> = work
        .worked
        .iter()
        .flat_map(|p| p.actions.iter().map(move |a| (a, p.meta.id)))
        .filter(|(a, _)| a.status.is_open())
        .map(|(a, problem)| {
            let what = format!("{}{}", one_line(&a.what), by_whom(a.owner.as_ref()));
            let text = match a.due {
                Some(due) if due < today => {
                    format!("Still to do, was due {}: {what}", day_text(due))
                }
                Some(due) => format!("By {}: {what}", day_text(due)),
                None => format!("{what} (date to be set)"),
            };
            (a.due, text, problem)
        })
        .collect();
    // Dated steps soonest first, then those without a date.
    steps.sort_by(|a, b| match (a.0, b.0) {
        (Some(x), Some(y)) => x.cmp(&y).then_with(|| a.1.cmp(&b.1)),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.1.cmp(&b.1),
    });
    for (_, text, problem) in steps {
        d.writing(work.writers(&[problem]));
        d.line(Style::Item, text);
    }
    for p in &work.looking_into {
        d.writing(work.writers(&[p.meta.id]));
        let item = d.line(
            Style::Item,
            format!("We are looking into: {}", one_line(&p.title)),
        );
        published(d, item, p);
    }
    for p in work.priorities.iter().filter(|p| p.to > to) {
        d.writing(work.writers(&[p.meta.id]));
        d.line(
            Style::Item,
            format!(
                "{}: a priority until {}",
                capitalized(&p.concern),
                day_text(p.to)
            ),
        );
    }
    d.writing.clear();
    if d.lines.len() == before {
        d.line(
            Style::Remark,
            "Nothing is planned yet: we will agree the next steps with you at the next meeting.",
        );
    }
}

// ---------------------------------------------------------------------------------------------
// The guard

/// Honorifics written before a surname: not part of the name itself.
const HONORIFICS: [&str; 9] = [
    "mr", "mrs", "ms", "miss", "mx", "dr", "rev", "pastor", "sister",
];

/// The honorifics a surname is written after in a sentence ("call Mrs Lopez").
const SURNAME_HONORIFICS: [&str; 5] = ["mr", "mrs", "ms", "miss", "dr"];

/// Words that start the flat or unit part of an address ("Apt 2"), after the street.
const UNIT_WORDS: [&str; 8] = [
    "apt",
    "apartment",
    "unit",
    "suite",
    "ste",
    "flat",
    "fl",
    "floor",
];

/// Phones are compared by digits from this many on; a shorter one is compared as words.
const PHONE_DIGITS: usize = 7;

/// The log's personal data, to keep out of anything printed for the public (see the module
/// notes for how each kind is matched).
#[derive(Debug, Default)]
pub struct Guard {
    /// Names and addresses as lower-case words (the first kind found for a phrase is kept).
    phrases: HashMap<Vec<String>, Reason>,
    /// The most words of any phrase: how far a line is looked at from each of its words.
    longest: usize,
    emails: HashSet<String>,
    /// Phones as their digits.
    phones: HashSet<String>,
    phone_lengths: BTreeSet<usize>,
    /// The officers whose residents the guard holds: the log's own officer and every officer
    /// owning a person in it (a sergeant's log receives the whole squad's people, an officer's
    /// log only its own). `None` for a guard made from a list of people, which checks every
    /// line against them alone.
    writers_known: Option<HashSet<Id>>,
}

/// Lower-case words: letters and digits, split at everything else ("O'Brien" is "o brien"),
/// with the accents of Latin letters taken off ("José" is "jose"), so a name typed with or
/// without them is found either way.
fn words_of(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase().chars().map(without_accent).collect())
        .collect()
}

/// A lower-case Latin letter without its accent (others as they are).
fn without_accent(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => 'a',
        'ç' | 'ć' | 'č' => 'c',
        'ď' | 'đ' => 'd',
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => 'e',
        'ğ' => 'g',
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'į' | 'ı' => 'i',
        'ł' | 'ľ' => 'l',
        'ñ' | 'ń' | 'ň' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => 'o',
        'ř' => 'r',
        'ś' | 'š' | 'ş' => 's',
        'ť' | 'ţ' => 't',
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' => 'u',
        'ý' | 'ÿ' => 'y',
        'ź' | 'ż' | 'ž' => 'z',
        other => other,
    }
}

impl Guard {
    /// Every person of the log, deleted ones included (their names may still be in old text).
    pub fn of(store: &Store) -> StoreResult<Guard> {
        Ok(Guard::of_unless(store, &AtomicBool::new(false))?.unwrap_or_default())
    }

    /// [`Guard::of`], given up (`None`) soon after `stop` is set.
    pub fn of_unless(store: &Store, stop: &AtomicBool) -> StoreResult<Option<Guard>> {
        let mut guard = Guard::default();
        let mut known: HashSet<Id> = store.profile()?.map(|p| p.officer).into_iter().collect();
        for (read, p) in store.iter_all::<Person>()?.enumerate() {
            if read % 4096 == 0 && stop.load(Ordering::Relaxed) {
                return Ok(None);
            }
            let p = p?;
            known.insert(p.meta.owner());
            guard.add(&p);
        }
        guard.writers_known = Some(known);
        Ok(Some(guard))
    }

    /// The guard over these people only.
    pub fn from_people<'a>(people: impl IntoIterator<Item = &'a Person>) -> Guard {
        let mut guard = Guard::default();
        for p in people {
            guard.add(p);
        }
        guard
    }

    fn add(&mut self, p: &Person) {
        self.add_name(&p.name);
        if let Some(c) = &p.consent {
            self.add_phones(&c.phone);
            self.add_emails(&c.email);
            self.add_address(&c.address);
        }
    }

    fn add_phrase(&mut self, words: Vec<String>, reason: Reason) {
        if words.is_empty() {
            return;
        }
        self.longest = self.longest.max(words.len());
        self.phrases.entry(words).or_insert(reason);
    }

    fn add_name(&mut self, name: &str) {
        let words = words_of(name);
        let (Some(first), Some(last)) = (words.first(), words.last()) else {
            return;
        };
        let mut forms = Vec::new();
        // "Maria K. Lopez" is also written "Maria Lopez".
        let full: Vec<String> = words
            .iter()
            .filter(|w| w.chars().count() > 1)
            .cloned()
            .collect();
        if full.len() >= 2 && full.len() < words.len() {
            forms.push(full);
        }
        let titled = words.len() > 1 && HONORIFICS.contains(&first.as_str());
        if titled {
            // "Mr. Tran" is named as "Tran" too, "Dr Maria Lopez" as "Maria Lopez".
            forms.push(words[1..].to_vec());
        }
        // "Maria Lopez" and "Dr Maria Lopez" are named as "Mrs Lopez" too.
        let given_and_surname = words.len() > if titled { 2 } else { 1 };
        if given_and_surname && last.chars().count() > 1 {
            for h in SURNAME_HONORIFICS {
                forms.push(vec![h.to_string(), last.clone()]);
            }
        }
        forms.push(words);
        for f in forms {
            self.add_phrase(f, Reason::Name);
        }
    }

    /// Each number of a phone field ("555-0100 / 555-0199"; "555-0100 ext. 12" is the number
    /// alone). Pieces too short to be a phone ("ext. 12", "after 5:30") are not looked for,
    /// as "12" or "30" would leave out every line with a date; a field with no number long
    /// enough is looked for whole, as written.
    fn add_phones(&mut self, field: &str) {
        let phone_char = |c: char| c.is_ascii_digit() || " -.()+".contains(c);
        let numbers: Vec<&str> = field
            .split(|c: char| !phone_char(c))
            .filter(|n| n.chars().filter(char::is_ascii_digit).count() >= PHONE_DIGITS)
            .collect();
        if numbers.is_empty() {
            self.add_phone(field);
        }
        for number in numbers {
            self.add_phone(number);
        }
    }

    /// Each address of an email field ("a@x.org; b@y.org", "a@x.org (work)"); a field with no
    /// address in it is looked for whole, as written.
    fn add_emails(&mut self, field: &str) {
        let addresses: Vec<&str> = field
            .split(|c: char| c.is_whitespace() || ",;()<>".contains(c))
            .filter(|e| e.contains('@'))
            .collect();
        if addresses.is_empty() {
            self.add_email(field);
        }
        for address in addresses {
            self.add_email(address);
        }
    }

    fn add_phone(&mut self, phone: &str) {
        let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
        if digits.len() < PHONE_DIGITS {
            self.add_phrase(words_of(phone), Reason::Phone);
            return;
        }
        // A number kept with its country code is also written without it.
        if digits.len() > 10 {
            let national = digits[digits.len() - 10..].to_string();
            self.phone_lengths.insert(national.len());
            self.phones.insert(national);
        }
        self.phone_lengths.insert(digits.len());
        self.phones.insert(digits);
    }

    fn add_email(&mut self, email: &str) {
        let email = email.trim().to_lowercase();
        if email.contains('@') {
            self.emails.insert(email);
        } else {
            self.add_phrase(words_of(&email), Reason::Email);
        }
    }

    fn add_address(&mut self, address: &str) {
        self.add_phrase(words_of(address), Reason::Address);
        // Its street when it has a house number: "14 Oak St" of "14 Oak St, Apt 2" or of
        // "14 Oak St Apt 2".
        let first = address.split([',', '\n']).next().unwrap_or_default();
        let mut words = words_of(first);
        if let Some(unit) = words.iter().position(|w| UNIT_WORDS.contains(&w.as_str())) {
            words.truncate(unit);
        }
        if words.len() >= 2 && words.iter().any(|w| w.chars().any(|c| c.is_ascii_digit())) {
            self.add_phrase(words, Reason::Address);
        }
    }

    /// Why a line written by these officers cannot be checked: the log does not hold the
    /// residents of one of them.
    fn cannot_check(&self, written_by: &[Id]) -> Option<Reason> {
        let known = self.writers_known.as_ref()?;
        written_by
            .iter()
            .any(|w| !known.contains(w))
            .then_some(Reason::AnotherOfficer)
    }

    /// Why `line` may not be printed, or `None` when it holds none of the log's personal data.
    pub fn check(&self, line: &str) -> Option<Reason> {
        let words = words_of(line);
        for start in 0..words.len() {
            let end = words.len().min(start + self.longest);
            for stop in start + 1..=end {
                if let Some(reason) = self.phrases.get(&words[start..stop]) {
                    return Some(*reason);
                }
            }
        }
        if self.has_email(line) {
            return Some(Reason::Email);
        }
        if self.has_phone(line) {
            return Some(Reason::Phone);
        }
        None
    }

    fn has_email(&self, line: &str) -> bool {
        if self.emails.is_empty() || !line.contains('@') {
            return false;
        }
        line.to_lowercase()
            .split(|c: char| c.is_whitespace() || "<>()[]{},;:\"'".contains(c))
            .filter(|t| t.contains('@'))
            .any(|t| self.emails.contains(t.trim_end_matches(['.', '!', '?'])))
    }

    /// Whether a run of digits in `line` (spaces, dashes, dots, slashes, brackets and a plus
    /// between them, as phones are written) holds one of the log's phones.
    fn has_phone(&self, line: &str) -> bool {
        if self.phones.is_empty() {
            return false;
        }
        let mut runs = Vec::new();
        let mut digits = String::new();
        for c in line.chars() {
            if c.is_ascii_digit() {
                digits.push(c);
            } else if !" -./()+".contains(c) && !digits.is_empty() {
                runs.push(std::mem::take(&mut digits));
            }
        }
        runs.push(digits);
        runs.iter().any(|run| {
            self.phone_lengths.iter().any(|&n| {
                run.len() >= n && (0..=run.len() - n).any(|i| self.phones.contains(&run[i..i + n]))
            })
        })
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
    use crate::model::{ContactDetails, Meta, PersonRole};

    fn person(name: &str, phone: &str, email: &str, address: &str) -> Person {
        Person {
            meta: Meta::new(Id(1), Id(2), chrono::Utc::now()),
            name: name.into(),
            role: PersonRole::Resident,
            neighborhood: None,
            notes: String::new(),
            consent: Some(ContactDetails {
                agreed_on: None,
                phone: phone.into(),
                email: email.into(),
                address: address.into(),
            }),
        }
    }

    #[test]
    fn names_are_found_as_whole_words_in_any_case() {
        let people = [
            person("Al", "", "", ""),
            person("Maria K. Lopez", "", "", ""),
            person("Mr. Tran", "", "", ""),
            person("Sean O'Brien", "", "", ""),
        ];
        let g = Guard::from_people(&people);
        assert_eq!(g.check("Ask AL about the gate"), Some(Reason::Name));
        assert_eq!(g.check("Al's shop"), Some(Reason::Name));
        assert_eq!(g.check("Also the alley lamp"), None);
        assert_eq!(g.check("Masjid Al-Noor room"), Some(Reason::Name));
        assert_eq!(g.check("maria   lopez called"), Some(Reason::Name));
        assert_eq!(g.check("Maria K. Lopez called"), Some(Reason::Name));
        assert_eq!(g.check("Mrs Lopez called"), Some(Reason::Name));
        assert_eq!(g.check("Lopez Street lamps"), None, "a surname alone");
        assert_eq!(g.check("Ask Tran about it"), Some(Reason::Name));
        assert_eq!(g.check("Trance music at night"), None);
        assert_eq!(g.check("Call Sean O\u{2019}Brien back"), Some(Reason::Name));
        assert_eq!(g.check("Speeding on Oak St: raised 4 times"), None);
    }

    #[test]
    fn phones_emails_and_addresses_are_found_however_written() {
        let people = [person(
            "Rosa Delgado",
            "+1 (555) 010-0142",
            "Rosa.D@Example.org",
            "14 Oak St, Apt 2",
        )];
        let g = Guard::from_people(&people);
        assert_eq!(g.check("Call 555 010 0142"), Some(Reason::Phone));
        assert_eq!(g.check("Call 555.010.0142 today"), Some(Reason::Phone));
        assert_eq!(g.check("Call +15550100142"), Some(Reason::Phone));
        assert_eq!(g.check("Ticket 555-0199 and 2026-11-25"), None);
        assert_eq!(g.check("Write to rosa.d@example.ORG."), Some(Reason::Email));
        assert_eq!(
            g.check("Write to <rosa.d@example.org>"),
            Some(Reason::Email)
        );
        assert_eq!(g.check("Write to d@example.org"), None);
        assert_eq!(g.check("Lamp outside 14 oak st"), Some(Reason::Address));
        assert_eq!(
            g.check("Lamp outside 14 Oak St, Apt 2"),
            Some(Reason::Address)
        );
        assert_eq!(g.check("Lamps on Oak St"), None);
        assert_eq!(g.check("114 Oak Street"), None);
    }

    #[test]
    fn accents_titles_several_numbers_and_units_do_not_hide_a_person() {
        let people = [
            person("José Núñez", "", "", ""),
            person("Dr Maria Lopez", "", "", ""),
            person(
                "Ana Diaz",
                "555-010-0142 / 555-010-0199 ext. 12, after 5:30",
                "ana@example.org; nd77@example.net (work)",
                "22 Elm St Apt 4",
            ),
        ];
        let g = Guard::from_people(&people);
        assert_eq!(g.check("Thanks to Jose Nunez"), Some(Reason::Name));
        assert_eq!(g.check("Thanks to JOSÉ NÚÑEZ"), Some(Reason::Name));
        assert_eq!(g.check("Maria Lopez called"), Some(Reason::Name));
        assert_eq!(g.check("Mrs Lopez called"), Some(Reason::Name));
        assert_eq!(g.check("Call 555 010 0199"), Some(Reason::Phone));
        assert_eq!(g.check("Call 555-010-0142"), Some(Reason::Phone));
        assert_eq!(g.check("Mail nd77@example.net"), Some(Reason::Email));
        assert_eq!(g.check("Lamp outside 22 Elm St"), Some(Reason::Address));
        assert_eq!(g.check("Lamps along Elm St"), None);
        // The pieces that are not a number or an address are not looked for.
        assert_eq!(g.check("1 September 2026 to 30 November 2026"), None);
        assert_eq!(g.check("Noise: raised 12 times"), None);
        assert_eq!(g.check("Work under way."), None);
    }

    #[test]
    fn a_line_under_one_left_out_goes_with_it_and_the_summary_counts_why() {
        let mut d = Draft::default();
        d.heading(DID);
        let item = d.line(Style::Item, "Gate behind Rosa Delgado's shop");
        d.under(item, Style::Detail, "Done: new lock (Public works)");
        let kept = d.line(Style::Item, "Dark stretch of Elm St");
        d.under(kept, Style::Detail, "Under way: call 555 010 0142");
        d.under(kept, Style::Detail, "Done: three lamps replaced");
        let g = Guard::from_people([&person("Rosa Delgado", "555-010-0142", "", "")]);
        let report = d.guarded(&g);
        let texts: Vec<&str> = report.lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(
            texts,
            [DID, "Dark stretch of Elm St", "Done: three lamps replaced"]
        );
        assert_eq!(
            report.left_out_summary().unwrap(),
            "3 lines were left out and not printed: 1 named a person in the log; 1 held a \
             phone number from the log; 1 belonged to a line left out above it."
        );
        assert_eq!(
            report.left_out_details()[0],
            "What we did: named a person in the log"
        );
    }

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
