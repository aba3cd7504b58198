//! The figures a sergeant reads for a period: per officer, per neighborhood and per week.
//!
//! Every metric is defined here, once; the review screen, `beatbook report` and the exported
//! reports all read a [`ReviewReport`]. Each [`Figure`] keeps the ids of the entries behind it,
//! so any number on screen can list them.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Serialize, Serializer};

use crate::model::{Id, PersonRole, Tone};
use crate::store::{Store, StoreResult};

/// A span of whole local days, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// What the ids behind a figure are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Behind {
    Contacts,
    FollowUps,
    People,
}

/// One number and the entries it counts (see [`Behind`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    pub value: usize,
    pub behind: Behind,
    pub ids: Vec<Id>,
}

impl Serialize for Figure {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u64(self.value as u64)
    }
}

/// One officer's rapport work in the period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OfficerFigures {
    pub officer: Id,
    pub name: String,
    pub badge: String,
    pub contacts: Figure,
    pub people_reached: Figure,
    pub people_seen_again: Figure,
    pub neighborhoods_covered: Figure,
    pub meetings_and_events: Figure,
    pub started_by_resident: Figure,
    pub started_by_officer: Figure,
    /// Indexed by `Tone as usize` (hostile first).
    pub tone: [Figure; 5],
    pub followups_promised: Figure,
    pub kept_on_time: Figure,
    pub kept_late: Figure,
    pub overdue: Figure,
    pub median_days_to_keep: Option<f64>,
    pub thin_notes: Figure,
}

/// A topic's count in the period and in the period of the same length just before.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConcernTrend {
    pub topic: String,
    pub now: Figure,
    pub before: usize,
}

/// One neighborhood (records with the same name count as one) in the period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NeighborhoodFigures {
    pub name: String,
    #[serde(skip)]
    pub ids: Vec<Id>,
    pub contacts: Figure,
    pub not_contacted_30: Figure,
    pub not_contacted_60: Figure,
    pub not_contacted_90: Figure,
    /// Every role, in `PersonRole::ALL` order, zeros included so gaps show.
    pub reach: Vec<(PersonRole, Figure)>,
    /// Most raised first.
    pub concerns: Vec<ConcernTrend>,
}

/// One week (Monday first) of the period, for the charts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WeekFigures {
    pub start: NaiveDate,
    /// Aligned with [`ReviewReport::officers`].
    pub contacts_by_officer: Vec<Figure>,
    pub followups_due: Figure,
    pub kept_on_time: Figure,
    /// Mean tone step (1 hostile .. 5 warm) of the week's contacts.
    pub mean_tone: Option<f64>,
    /// Aligned with [`ReviewReport::top_concerns`].
    pub concerns: Vec<Figure>,
}

/// Everything the review screen and the reports show for one period and scope.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReviewReport {
    pub period: Period,
    /// The one officer asked for, or `None` for the whole squad.
    pub officer: Option<Id>,
    pub today: NaiveDate,
    pub officers: Vec<OfficerFigures>,
    pub neighborhoods: Vec<NeighborhoodFigures>,
    pub top_concerns: Vec<String>,
    pub weeks: Vec<WeekFigures>,
}

#[allow(unused_imports)]
use {DateTime as _, PersonRole as _, Store as _, StoreResult as _, Tone as _, Utc as _};
