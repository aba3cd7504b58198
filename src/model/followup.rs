//! Follow-ups: promises an officer made to a resident, and the queue that keeps them visible.

use chrono::{Datelike, Duration, NaiveDate};
use serde::{Deserialize, Serialize};

use super::{check_short, check_text, Id, Meta, ValidationError, MAX_NOTE_CHARS};

/// Where a promise stands. Closing one always records what came of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "status")]
pub enum FollowUpStatus {
    Open,
    Done { on: NaiveDate, outcome: String },
    Dropped { on: NaiveDate, outcome: String },
}

impl FollowUpStatus {
    pub fn label(&self) -> &'static str {
        match self {
            FollowUpStatus::Open => "Open",
            FollowUpStatus::Done { .. } => "Done",
            FollowUpStatus::Dropped { .. } => "Dropped",
        }
    }

    pub fn is_open(&self) -> bool {
        matches!(self, FollowUpStatus::Open)
    }
}

/// A promise to come back with an answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FollowUp {
    pub meta: Meta,
    /// What was promised: "Ask public works about the broken streetlight".
    pub promise: String,
    /// The person it was promised to, if known.
    pub person: Option<Id>,
    /// The contact where the promise was made, if any.
    pub contact: Option<Id>,
    pub neighborhood: Id,
    pub due: NaiveDate,
    pub status: FollowUpStatus,
    /// The partner agency the answer waits on (public works, housing), if it does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waiting_on: Option<PartnerWait>,
}

/// A promise held up by a partner agency: whom it waits on, their reference, when to chase.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartnerWait {
    /// "Public works", "Housing authority".
    pub agency: String,
    /// Their work order or ticket number; may be empty until they give one.
    #[serde(default)]
    pub reference: String,
    /// When to ask them where it stands.
    #[serde(default)]
    pub chase: Option<NaiveDate>,
}

impl FollowUp {
    pub fn validate(&self) -> Result<(), ValidationError> {
        check_short("What was promised", &self.promise)?;
        if let FollowUpStatus::Done { outcome, .. } | FollowUpStatus::Dropped { outcome, .. } =
            &self.status
        {
            if outcome.trim().is_empty() {
                return Err(ValidationError::Empty("The outcome"));
            }
            check_text("The outcome", outcome, MAX_NOTE_CHARS)?;
        }
        if let Some(wait) = &self.waiting_on {
            check_short("The agency it waits on", &wait.agency)?;
            check_text("Their reference", &wait.reference, super::MAX_SHORT_CHARS)?;
        }
        Ok(())
    }
}

/// The last day (Sunday) of the week that contains `day` (the review's "this week").
pub fn end_of_week(day: NaiveDate) -> NaiveDate {
    day + Duration::days(6 - i64::from(day.weekday().num_days_from_monday()))
}

/// The sections of the follow-up queue, in the order they are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum QueueBucket {
    Overdue,
    /// Due within the next 7 days (see `query::followups`).
    DueSoon,
    Later,
    Closed,
}

impl QueueBucket {
    pub const ALL: [QueueBucket; 4] = [
        QueueBucket::Overdue,
        QueueBucket::DueSoon,
        QueueBucket::Later,
        QueueBucket::Closed,
    ];

    pub fn label(self) -> &'static str {
        match self {
            QueueBucket::Overdue => "Overdue",
            QueueBucket::DueSoon => "Due in the next 7 days",
            QueueBucket::Later => "Later",
            QueueBucket::Closed => "Done or dropped",
        }
    }
}

/// The quick choices for a due date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DueQuickPick {
    Tomorrow,
    InThreeDays,
    NextWeek,
}

impl DueQuickPick {
    pub const ALL: [DueQuickPick; 3] = [
        DueQuickPick::Tomorrow,
        DueQuickPick::InThreeDays,
        DueQuickPick::NextWeek,
    ];

    pub fn label(self) -> &'static str {
        match self {
            DueQuickPick::Tomorrow => "Tomorrow",
            DueQuickPick::InThreeDays => "In 3 days",
            DueQuickPick::NextWeek => "Next week",
        }
    }

    pub fn date_from(self, today: NaiveDate) -> NaiveDate {
        today
            + Duration::days(match self {
                DueQuickPick::Tomorrow => 1,
                DueQuickPick::InThreeDays => 3,
                DueQuickPick::NextWeek => 7,
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    fn follow_up(due: NaiveDate, status: FollowUpStatus) -> FollowUp {
        FollowUp {
            meta: Meta::new(Id(1), Id(2), Utc::now()),
            promise: "Call public works".into(),
            person: None,
            contact: None,
            neighborhood: Id(3),
            due,
            status,
            waiting_on: None,
        }
    }

    #[test]
    fn closing_needs_an_outcome() {
        let wed = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        let f = follow_up(
            wed,
            FollowUpStatus::Dropped {
                on: wed,
                outcome: " ".into(),
            },
        );
        assert_eq!(f.validate(), Err(ValidationError::Empty("The outcome")));
    }
}
