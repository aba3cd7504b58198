//! The domain: officers, neighborhoods, people, contacts, follow-ups, journal notes, tags,
//! reviews, and the community problems and priorities worked on (`problem.rs`).
//!
//! Pure data and rules (validation, labels, derived facts). Nothing here knows about storage or
//! the screen, so the same types serve the app, the command line, exports and later merges.

mod contact;
mod counts;
mod followup;
mod ids;
mod neighborhood;
mod passphrase;
mod person;
mod problem;
mod purpose;
mod receipt;
mod record;
mod retention;
mod review;
mod squad;

pub use contact::{Contact, ContactKind, Initiator, Tone};
pub use counts::RecordCounts;
pub use followup::{end_of_week, DueQuickPick, FollowUp, FollowUpStatus, PartnerWait, QueueBucket};
pub use ids::{BadId, Id};
pub use neighborhood::{JournalNote, Neighborhood};
pub use passphrase::{
    passphrase_problem, passphrase_problem_for, passphrase_rule_broken, passphrase_strength,
    Strength, MIN_PASSPHRASE_CHARS, MIN_STRENGTH,
};
pub use person::{ContactDetails, Person, PersonRole};
pub use problem::{
    Action, ActionOwner, ActionStatus, Outcome, Priority, Problem, Stage, StageNotes,
    MAX_PRIORITIES,
};
pub use purpose::{purpose_warning, watch_words_in, WATCH_WORDS};
pub use receipt::PromiseReceipt;
pub use record::{changed_fields, Meta, Record, RecordKind, Revision};
pub use retention::{
    RetentionPolicy, Scrub, ANONYMIZED_NAME, FORGOTTEN_NAME, REMOVED_NAME, RETIRED_NOTE,
};
pub use review::{Review, Verdict};
pub use squad::{fingerprint_of_key, Member, MemberStatus, Roster};

use serde::{Deserialize, Serialize};

/// Longest free text accepted in any note field, in characters.
pub const MAX_NOTE_CHARS: usize = 20_000;
/// Longest short text (names, places, promises) accepted, in characters.
pub const MAX_SHORT_CHARS: usize = 300;

/// A rule a record breaks, in words an officer understands.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValidationError {
    #[error("{0} cannot be empty.")]
    Empty(&'static str),
    #[error("{field} is too long ({len} characters; at most {max}).")]
    TooLong {
        field: &'static str,
        len: usize,
        max: usize,
    },
    #[error("{0}")]
    Rule(String),
}

/// Checks a required short text field: not blank, not too long, no control characters.
pub fn check_short(field: &'static str, value: &str) -> Result<(), ValidationError> {
    if value.trim().is_empty() {
        return Err(ValidationError::Empty(field));
    }
    check_text(field, value, MAX_SHORT_CHARS)
}

/// Checks an optional text field against a length limit; tabs and newlines are allowed.
pub fn check_text(field: &'static str, value: &str, max: usize) -> Result<(), ValidationError> {
    let len = value.chars().count();
    if len > max {
        return Err(ValidationError::TooLong { field, len, max });
    }
    if value
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t' && c != '\r')
    {
        return Err(ValidationError::Rule(format!(
            "{field} contains invisible control characters."
        )));
    }
    Ok(())
}

/// A name as compared for sameness: case and runs of spaces do not count ("Elm  Park" is
/// "elm park"). People, topics and neighborhoods are all matched this way.
pub fn normalize_name(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// A count and its noun: "1 person", "3 people" (labels and summaries say counts this way).
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A date as people type it, YYYY-MM-DD (spaces around it do not count); None when the text is
/// not a date. The screens and the command line read dates with this one rule.
pub fn parse_date(text: &str) -> Option<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok()
}

/// Why `text` is not a date, in words: a day the calendar does not have ("2026-02-30") is
/// told apart from text not written as YYYY-MM-DD, which is what is asked for the latter.
pub fn why_not_a_date(text: &str) -> String {
    let t = text.trim();
    let parts: Vec<&str> = t.split('-').collect();
    let digits = |p: &str, lens: std::ops::RangeInclusive<usize>| {
        lens.contains(&p.len()) && p.chars().all(|c| c.is_ascii_digit())
    };
    let written_as_a_date = matches!(
        parts.as_slice(),
        [y, m, d] if digits(y, 4..=4) && digits(m, 1..=2) && digits(d, 1..=2)
    );
    if written_as_a_date {
        format!("{t} does not exist: check the day and the month.")
    } else {
        format!("\"{t}\" is not a date: write it as YYYY-MM-DD, for example 2026-11-02.")
    }
}

/// The moment `time` on `day` happens in local time, as UTC. A time skipped by a clock change
/// (midnight in zones where summer time starts at 00:00) moves to the first hour that exists.
pub fn local_moment(
    day: chrono::NaiveDate,
    time: chrono::NaiveTime,
) -> chrono::DateTime<chrono::Utc> {
    use chrono::TimeZone;
    let naive = day.and_time(time);
    (0..4)
        .find_map(|h| {
            chrono::Local
                .from_local_datetime(&(naive + chrono::Duration::hours(h)))
                .earliest()
        })
        .map(|t| t.with_timezone(&chrono::Utc))
        .unwrap_or_else(|| chrono::Utc.from_utc_datetime(&naive))
}

/// Whether an officer works a beat or supervises a squad.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    #[default]
    Officer,
    Sergeant,
}

impl Role {
    pub const ALL: [Role; 2] = [Role::Officer, Role::Sergeant];
    pub fn label(self) -> &'static str {
        match self {
            Role::Officer => "Officer",
            Role::Sergeant => "Sergeant",
        }
    }
}

/// A member of the squad; every record names the officer who wrote it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Officer {
    pub meta: Meta,
    pub name: String,
    pub badge: String,
    pub role: Role,
}

impl Officer {
    pub fn validate(&self) -> Result<(), ValidationError> {
        check_short("Name", &self.name)?;
        check_short("Badge number", &self.badge)
    }
}

/// A topic or concern raised in contacts ("noise", "lighting"); the list grows as officers add.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tag {
    pub meta: Meta,
    pub name: String,
}

impl Tag {
    /// The tags a new store starts with.
    pub const DEFAULTS: [&'static str; 12] = [
        "noise",
        "traffic",
        "speeding",
        "lighting",
        "graffiti",
        "drugs",
        "youth activities",
        "housing",
        "property crime",
        "parking",
        "homelessness",
        "trash and dumping",
    ];

    /// Tags compare without regard to case or surrounding spaces.
    pub fn normalize(name: &str) -> String {
        normalize_name(name)
    }

    pub fn validate(&self) -> Result<(), ValidationError> {
        check_short("Topic", &self.name)
    }
}
