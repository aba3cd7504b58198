//! What a review report holds: the period, and each officer's, neighborhood's and week's
//! figures, every [`Figure`] with the ids of the entries behind it, and the community problems.

use super::*;

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
    /// Community problems (see `problems`).
    Problems,
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
    /// Contacts the officer first wrote (whoever edited them since) whose time falls in the
    /// period; deleted
    /// contacts never count.
    pub contacts: Figure,
    /// Distinct people named in those contacts. The same name in the same neighborhood is one
    /// person, even when merged logs hold two records of them. Behind it: the contacts that
    /// name at least one person.
    pub people_reached: Figure,
    /// Relationship depth: distinct people met in two or more of the officer's contacts in the
    /// period. Behind it: those contacts.
    pub people_seen_again: Figure,
    /// Distinct neighborhoods (by name) the contacts took place in. Behind it: the contacts.
    pub neighborhoods_covered: Figure,
    /// Contacts that were a community meeting or forum, or a block party or event.
    pub meetings_and_events: Figure,
    /// Contacts a resident started.
    pub started_by_resident: Figure,
    /// Contacts the officer started.
    pub started_by_officer: Figure,
    /// Contacts of each tone. Indexed by `Tone as usize` (hostile first).
    pub tone: [Figure; 5],
    /// Follow-ups the officer created on a day of the period (dropped ones included).
    pub followups_promised: Figure,
    /// Of those, the ones done on or before their due date.
    pub kept_on_time: Figure,
    /// Of those, the ones done after their due date.
    pub kept_late: Figure,
    /// Of those, the ones still open with a due date before today.
    pub overdue: Figure,
    /// Median days from the day a follow-up was promised to the day it was done, over the done
    /// ones; `None` when none is done.
    pub median_days_to_keep: Option<f64>,
    /// Contacts whose note has one word or none: worth a look, since the note is the record.
    pub thin_notes: Figure,
}

/// A topic's count in the period and in the period of the same length just before.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConcernTrend {
    pub topic: String,
    /// Contacts in the period that raised the topic.
    pub now: Figure,
    /// Contacts that raised it in the period of the same length just before.
    pub before: usize,
}

/// One neighborhood (records with the same name count as one) in the period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NeighborhoodFigures {
    /// The name of the first record with this name.
    pub name: String,
    /// Every neighborhood record with this name (merged logs hold several).
    #[serde(skip)]
    pub ids: Vec<Id>,
    /// Contacts in the period that took place here.
    pub contacts: Figure,
    /// People of this neighborhood whose last contact before the end of the period is more
    /// than 30 days before that end, or who were never contacted. Behind it: person records.
    pub not_contacted_30: Figure,
    /// The same, for 60 days.
    pub not_contacted_60: Figure,
    /// The same, for 90 days.
    pub not_contacted_90: Figure,
    /// Distinct people of each role met here in the period. Behind each: the contacts.
    /// Every role, in `PersonRole::ALL` order, zeros included so gaps show.
    pub reach: Vec<(PersonRole, Figure)>,
    /// The five topics raised most here in the period, with their count just before.
    /// Most raised first.
    pub concerns: Vec<ConcernTrend>,
}

/// One week (Monday first) of the period, for the charts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WeekFigures {
    /// The Monday the week starts on (it may fall before the period; only days of the period
    /// are counted).
    pub start: NaiveDate,
    /// Contacts of the week. Aligned with [`ReviewReport::officers`].
    pub contacts_by_officer: Vec<Figure>,
    /// Follow-ups due on a day of the week, whenever they were promised.
    pub followups_due: Figure,
    /// Of those, the ones done on or before their due date.
    pub kept_on_time: Figure,
    /// Mean tone step (1 hostile .. 5 warm) of the week's contacts.
    pub mean_tone: Option<f64>,
    /// Contacts of the week raising each top concern. Aligned with
    /// [`ReviewReport::top_concerns`].
    pub concerns: Vec<Figure>,
}

/// Everything the review screen and the reports show for one period and scope.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReviewReport {
    pub period: Period,
    /// The one officer asked for, or `None` for the whole squad.
    pub officer: Option<Id>,
    pub today: NaiveDate,
    /// Every officer (role officer) and anyone else who logged a contact or promised a
    /// follow-up in the period, sorted by name. Just the one officer when one is asked for.
    pub officers: Vec<OfficerFigures>,
    /// Every neighborhood (records with the same name as one), sorted by name.
    pub neighborhoods: Vec<NeighborhoodFigures>,
    /// The five topics raised most in the period and scope, most first.
    pub top_concerns: Vec<String>,
    /// Every Monday-started week overlapping the period, oldest first.
    pub weeks: Vec<WeekFigures>,
    /// The community problems: per officer and neighborhood by stage, their age, those with no
    /// action for a while, the outcomes of those closed in the period.
    pub problems: ProblemReview,
}

impl Period {
    /// Dates outside these years are refused (they are typos, and date arithmetic on them
    /// would overflow).
    pub const FIRST_YEAR: i32 = 1900;
    pub const LAST_YEAR: i32 = 2200;
    /// The longest period a review covers, in days (25 years).
    pub const MAX_DAYS: i64 = 25 * 366;

    /// The days `from` to `to`, both included; refused when it ends before it starts.
    pub fn new(from: NaiveDate, to: NaiveDate) -> Result<Period, ValidationError> {
        if to < from {
            return Err(ValidationError::Rule(format!(
                "The period cannot end ({to}) before it starts ({from})."
            )));
        }
        for day in [from, to] {
            if !(Self::FIRST_YEAR..=Self::LAST_YEAR).contains(&day.year()) {
                return Err(ValidationError::Rule(format!(
                    "{day} is out of range: use dates between the years {} and {}.",
                    Self::FIRST_YEAR,
                    Self::LAST_YEAR
                )));
            }
        }
        if (to - from).num_days() >= Self::MAX_DAYS {
            return Err(ValidationError::Rule(format!(
                "A review covers at most {} years; choose a shorter period.",
                Self::MAX_DAYS / 366
            )));
        }
        Ok(Period { from, to })
    }

    /// Monday to Sunday of the week containing `today`.
    pub fn this_week(today: NaiveDate) -> Period {
        let monday = today - Duration::days(i64::from(today.weekday().num_days_from_monday()));
        Period {
            from: monday,
            to: end_of_week(today),
        }
    }

    /// The last `n` weeks (`n * 7` days) ending with `today`; `n` is at least one.
    pub fn last_weeks(today: NaiveDate, n: u32) -> Period {
        let days = i64::from(n.max(1)) * 7;
        Period {
            from: today - Duration::days(days - 1),
            to: today,
        }
    }

    /// The calendar quarter (January to March, April to June ...) containing `today`.
    pub fn quarter(today: NaiveDate) -> Period {
        let first_month = today.month0() / 3 * 3 + 1;
        let from = NaiveDate::from_ymd_opt(today.year(), first_month, 1);
        let next = if first_month == 10 {
            NaiveDate::from_ymd_opt(today.year() + 1, 1, 1)
        } else {
            NaiveDate::from_ymd_opt(today.year(), first_month + 3, 1)
        };
        match (from, next.and_then(|d| d.pred_opt())) {
            (Some(from), Some(to)) => Period { from, to },
            // Only at the very ends of the calendar chrono can represent.
            _ => Period {
                from: today,
                to: today,
            },
        }
    }

    /// The period of the same number of days that ends the day before this one starts.
    pub fn previous(&self) -> Period {
        let to = self.from - Duration::days(1);
        Period {
            from: to - Duration::days(self.days().max(1) - 1),
            to,
        }
    }

    /// How many days the period has, both ends included.
    pub fn days(&self) -> i64 {
        (self.to - self.from).num_days() + 1
    }

    pub fn contains(&self, day: NaiveDate) -> bool {
        self.from <= day && day <= self.to
    }

    /// Local midnight at the start of the first day, as UTC.
    pub fn start(&self) -> DateTime<Utc> {
        local_day_start(self.from)
    }

    /// Local midnight after the last day, as UTC (the period ends just before it).
    pub fn end(&self) -> DateTime<Utc> {
        self.to
            .succ_opt()
            .map_or(DateTime::<Utc>::MAX_UTC, local_day_start)
    }

    /// The Mondays of the weeks overlapping the period.
    pub(super) fn week_starts(&self) -> Vec<NaiveDate> {
        let mut monday = Period::this_week(self.from).from;
        let mut out = Vec::new();
        while monday <= self.to {
            out.push(monday);
            monday += Duration::days(7);
        }
        out
    }
}

impl Figure {
    /// Counts the entries themselves (contacts or follow-ups).
    pub(super) fn entries(behind: Behind, ids: Vec<Id>) -> Figure {
        let ids = sorted(ids);
        Figure {
            value: ids.len(),
            behind,
            ids,
        }
    }

    /// Counts `value` things (distinct people) found in the entries `ids`.
    pub(super) fn counting(value: usize, behind: Behind, ids: Vec<Id>) -> Figure {
        Figure {
            value,
            behind,
            ids: sorted(ids),
        }
    }

    pub(super) fn contacts(ids: Vec<Id>) -> Figure {
        Figure::entries(Behind::Contacts, ids)
    }
}
