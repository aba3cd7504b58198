//! The follow-up queue and the day's follow-ups: which promises are overdue, which fall due in
//! the coming days and which come later; and the open promises held up by a partner agency,
//! grouped by whom they wait on.
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

/// The open promises among `follow_ups` that wait on a partner agency, grouped by agency
/// (names that differ only in case or spacing are one agency, named as first written), the
/// groups by name; in each group the earliest chase date first (those without one last),
/// then the earliest due.
pub fn held_up_by(follow_ups: &[FollowUp]) -> Vec<(String, Vec<FollowUp>)> {
    let mut groups: BTreeMap<String, (String, Vec<FollowUp>)> = BTreeMap::new();
    for f in follow_ups.iter().filter(|f| f.status.is_open()) {
        let Some(wait) = &f.waiting_on else {
            continue;
        };
        let key = crate::model::normalize_name(&wait.agency);
        groups
            .entry(key)
            .or_insert_with(|| (wait.agency.trim().to_string(), Vec::new()))
            .1
            .push(f.clone());
    }
    groups
        .into_values()
        .map(|(name, mut list)| {
            list.sort_by_key(|f| {
                let chase = f.waiting_on.as_ref().and_then(|w| w.chase);
                (chase.is_none(), chase, f.due)
            });
            (name, list)
        })
        .collect()
}

/// Whether the day to ask the partner `f` waits on where it stands has come.
pub fn chase_reached(f: &FollowUp, today: NaiveDate) -> bool {
    f.status.is_open()
        && f.waiting_on
            .as_ref()
            .and_then(|w| w.chase)
            .is_some_and(|c| c <= today)
}

/// The open promise made at `contact`, for its form to show when the contact is edited (the
/// earliest due, if several were made there). The contact index knows every follow-up's
/// contact, so only those are read. Until it is built, the open promises due from the contact's
/// day on are read (open promises are indexed by due date, not by contact): few for a recent
/// contact, every open promise made since for an old one; a promise due before the contact's
/// own day is not found then and stays as it is (the Follow-ups screen lists it).
pub fn open_promise_made_at(
    store: &Store,
    contact: &crate::model::Contact,
) -> StoreResult<Option<FollowUp>> {
    let open = match store.open_follow_ups_made_at(contact.meta.id)? {
        Some(ids) => {
            let mut open = Vec::with_capacity(ids.len());
            for id in ids {
                open.extend(store.get::<FollowUp>(id)?);
            }
            open
        }
        // Until the contact index is built: every open promise due from that day is read.
        None => {
            let day = contact.at.with_timezone(&chrono::Local).date_naive();
            store
                .open_followups_due(day..=NaiveDate::MAX, usize::MAX)?
                .0
        }
    };
    Ok(open
        .into_iter()
        .filter(|f| f.contact == Some(contact.meta.id) && f.status.is_open() && !f.meta.deleted)
        .min_by_key(|f| (f.due, f.meta.id)))
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
    fn promises_held_up_are_grouped_by_agency_whatever_its_case() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        let waiting = |agency: &str, chase: Option<NaiveDate>, due| {
            let mut f = open_due(due);
            f.waiting_on = Some(crate::model::PartnerWait {
                agency: agency.into(),
                reference: "WO-1234".into(),
                chase,
            });
            f
        };
        let in_days = |d| Some(today + Duration::days(d));
        let mut closed = waiting("Parks department", in_days(-3), today);
        closed.status = FollowUpStatus::Dropped {
            on: today,
            outcome: "Moved away".into(),
        };
        let list = vec![
            waiting("Public works", None, today),
            waiting("public  WORKS", in_days(2), today),
            open_due(today),
            waiting("Housing authority", in_days(-1), today),
            waiting("Public works", in_days(-2), today + Duration::days(4)),
            closed,
        ];
        let groups = held_up_by(&list);
        let names: Vec<(&str, usize)> = groups.iter().map(|(n, l)| (n.as_str(), l.len())).collect();
        assert_eq!(names, [("Housing authority", 1), ("Public works", 3)]);
        let chases: Vec<Option<NaiveDate>> = groups[1]
            .1
            .iter()
            .map(|f| f.waiting_on.as_ref().unwrap().chase)
            .collect();
        assert_eq!(chases, [in_days(-2), in_days(2), None]);
        assert!(chase_reached(&groups[0].1[0], today));
        assert!(!chase_reached(&groups[1].1[1], today));
        assert!(
            !chase_reached(&list[5], today),
            "a closed promise is not chased"
        );
    }

    #[test]
    fn the_open_promise_made_at_a_contact_is_found() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path(), &crate::store::test_passphrase()).unwrap();
        let at = Utc::now();
        let contact = crate::model::Contact {
            meta: Meta::new(Id(10), Id(2), at),
            at,
            neighborhood: Id(3),
            place: String::new(),
            kind: crate::model::ContactKind::Conversation,
            people: Vec::new(),
            unnamed: 1,
            initiated_by: crate::model::Initiator::Resident,
            tags: Vec::new(),
            tone: crate::model::Tone::Neutral,
            note: String::new(),
        };
        let today = at.with_timezone(&chrono::Local).date_naive();
        let promise = |id, contact, due, status| FollowUp {
            meta: Meta::new(Id(id), Id(2), at),
            contact,
            status,
            ..open_due(due)
        };
        let done = FollowUpStatus::Done {
            on: today,
            outcome: "Done".into(),
        };
        for f in [
            promise(
                20,
                Some(Id(10)),
                today + Duration::days(9),
                FollowUpStatus::Open,
            ),
            promise(
                21,
                Some(Id(10)),
                today + Duration::days(2),
                FollowUpStatus::Open,
            ),
            promise(22, Some(Id(10)), today + Duration::days(1), done),
            promise(23, Some(Id(11)), today, FollowUpStatus::Open),
        ] {
            store.save(f, Id(2)).unwrap();
        }
        let found = open_promise_made_at(&store, &contact).unwrap().unwrap();
        assert_eq!(
            found.meta.id,
            Id(21),
            "the earliest due of the open ones made there"
        );
        let other = crate::model::Contact {
            meta: Meta::new(Id(12), Id(2), at),
            ..contact
        };
        assert_eq!(open_promise_made_at(&store, &other).unwrap(), None);
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
