//! The follow-up queue and the day's follow-ups: which promises are overdue, which fall due in
//! the coming days and which come later.
//!
//! "Due soon" is a rolling window of [`DUE_SOON_DAYS`] days from today, not the calendar week:
//! a week ending on Sunday would hold only today on a Sunday, and a promise due on Monday
//! would then hide under "Later".

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate};

use crate::model::{FollowUp, QueueBucket};
use crate::store::{Store, StoreResult};

/// How many days ahead of today a promise counts as due soon.
pub const DUE_SOON_DAYS: i64 = 7;

/// The last day of the due-soon window that starts `today`. A promise due in exactly seven
/// days (the form's "Next week") is still in it.
pub fn due_soon_until(today: NaiveDate) -> NaiveDate {
    today
        .checked_add_signed(Duration::days(DUE_SOON_DAYS))
        .unwrap_or(NaiveDate::MAX)
}

/// Which section of the follow-up queue `f` belongs in on `today`.
pub fn queue_section(f: &FollowUp, today: NaiveDate) -> QueueBucket {
    if !f.status.is_open() {
        QueueBucket::Closed
    } else if f.due < today {
        QueueBucket::Overdue
    } else if f.due <= due_soon_until(today) {
        QueueBucket::DueSoon
    } else {
        QueueBucket::Later
    }
}

/// Live follow-ups grouped into the queue's sections (see [`queue_section`]), each sorted by
/// due date; the closed ones latest due first.
pub fn followup_queue(
    store: &Store,
    today: NaiveDate,
) -> StoreResult<BTreeMap<QueueBucket, Vec<FollowUp>>> {
    let mut queue: BTreeMap<QueueBucket, Vec<FollowUp>> = BTreeMap::new();
    for f in store.all::<FollowUp>()? {
        queue.entry(queue_section(&f, today)).or_default().push(f);
    }
    for (bucket, list) in queue.iter_mut() {
        list.sort_by_key(|f| f.due);
        if *bucket == QueueBucket::Closed {
            list.reverse();
        }
    }
    Ok(queue)
}

/// Some of the open follow-ups due in a span: how many there are, and the earliest of them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DueList {
    pub first: Vec<FollowUp>,
    pub count: usize,
}

/// What the Today screen lists: the open follow-ups that are overdue, and those due soon.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DueSoon {
    pub overdue: DueList,
    /// Due today or in the next [`DUE_SOON_DAYS`] days (the queue's [`QueueBucket::DueSoon`]
    /// section, whose name it keeps).
    pub this_week: DueList,
}

/// The day's follow-ups, each list earliest due first with its first `shown` read. Only open
/// follow-ups are looked at (in their index) and only those shown are read, so this stays quick
/// however many promises a squad's log holds.
pub fn due_soon(store: &Store, today: NaiveDate, shown: usize) -> StoreResult<DueSoon> {
    let list = |days| {
        store
            .open_followups_due(days, shown)
            .map(|(first, count)| DueList { first, count })
    };
    Ok(DueSoon {
        overdue: match today.pred_opt() {
            Some(yesterday) => list(NaiveDate::MIN..=yesterday)?,
            None => DueList::default(),
        },
        this_week: list(today..=due_soon_until(today))?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{FollowUpStatus, Id, Meta};
    use chrono::{Datelike, Utc};

    fn open_due(due: NaiveDate) -> FollowUp {
        FollowUp {
            meta: Meta::new(Id(1), Id(2), Utc::now()),
            promise: "Call public works".into(),
            person: None,
            contact: None,
            neighborhood: Id(3),
            due,
            status: FollowUpStatus::Open,
            waiting_on: None,
        }
    }

    /// Whatever the weekday, tomorrow and the next seven days are due soon, yesterday is
    /// overdue and the eighth day is later.
    #[test]
    fn due_soon_is_the_next_seven_days_on_every_weekday() {
        let monday = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        for offset in 0..7 {
            let today = monday + Duration::days(offset);
            let on = |days| queue_section(&open_due(today + Duration::days(days)), today);
            let weekday = today.weekday();
            assert_eq!(on(-1), QueueBucket::Overdue, "{weekday}");
            for days in 0..=DUE_SOON_DAYS {
                assert_eq!(on(days), QueueBucket::DueSoon, "{weekday}, in {days} days");
            }
            assert_eq!(on(DUE_SOON_DAYS + 1), QueueBucket::Later, "{weekday}");
        }
    }

    #[test]
    fn a_closed_promise_is_never_due() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
        let mut f = open_due(today);
        f.status = FollowUpStatus::Done {
            on: today,
            outcome: "Done".into(),
        };
        assert_eq!(queue_section(&f, today), QueueBucket::Closed);
        assert_eq!(due_soon_until(NaiveDate::MAX), NaiveDate::MAX);
    }
}
