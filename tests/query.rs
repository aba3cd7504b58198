//! The questions screens and commands ask of the store, on a small hand-made history.

use beatbook::model::{Contact, ContactKind, QueueBucket, Tag};
use beatbook::query::{
    followup_queue, losing_touch, neighborhood_summary, person_timeline, search, search_store,
    LogFilter, TimelineItem,
};
use beatbook::store::Store;

use crate::common;
use crate::common::*;

#[test]
fn log_filters_combine_and_count_everything() {
    let dir = tempfile::tempdir().unwrap();
    let s = seed(dir.path());
    let store = Store::open(dir.path(), &common::key()).unwrap();
    let tags = store.all::<Tag>().unwrap();
    let lighting = tags.iter().find(|t| t.name == "lighting").unwrap().meta.id;

    let all = search(&store, &LogFilter::default(), 2).unwrap();
    assert_eq!(all.total, 3, "the count covers every match");
    assert_eq!(all.contacts.len(), 2, "the page is limited");
    assert!(all.contacts[0].at > all.contacts[1].at, "newest first");

    let count = |f: LogFilter| search(&store, &f, 100).unwrap().total;
    assert_eq!(
        count(LogFilter {
            neighborhood: Some(s.riverside),
            ..Default::default()
        }),
        2
    );
    assert_eq!(
        count(LogFilter {
            tag: Some(lighting),
            ..Default::default()
        }),
        2
    );
    assert_eq!(
        count(LogFilter {
            person: Some(s.mr_tran),
            ..Default::default()
        }),
        1
    );
    assert_eq!(
        count(LogFilter {
            kind: Some(ContactKind::BusinessCheck),
            ..Default::default()
        }),
        1
    );
    assert_eq!(
        count(LogFilter {
            officer: Some(s.officer),
            ..Default::default()
        }),
        3
    );
    assert_eq!(
        count(LogFilter {
            text: "ALLEY light".into(),
            ..Default::default()
        }),
        1,
        "all words, any case"
    );
    assert_eq!(
        count(LogFilter {
            text: "elm st".into(),
            ..Default::default()
        }),
        3,
        "the place is searched too"
    );
    assert_eq!(
        count(LogFilter {
            from: Some(day(2026, 11, 10)),
            to: Some(day(2026, 11, 10)),
            ..Default::default()
        }),
        1,
        "a one-day range includes the whole day"
    );
    assert_eq!(
        count(LogFilter {
            tag: Some(lighting),
            from: Some(day(2026, 11, 4)),
            ..Default::default()
        }),
        1
    );
    assert_eq!(
        count(LogFilter {
            neighborhood: Some(s.elm_park),
            tag: Some(lighting),
            ..Default::default()
        }),
        0
    );
}

#[test]
fn deleted_contacts_leave_every_view_and_come_back_on_restore() {
    let dir = tempfile::tempdir().unwrap();
    let s = seed(dir.path());
    let store = Store::open(dir.path(), &common::key()).unwrap();
    store.delete::<Contact>(s.contacts[1], s.officer).unwrap();
    assert_eq!(search(&store, &LogFilter::default(), 10).unwrap().total, 2);
    assert!(person_timeline(&store, s.mr_tran)
        .unwrap()
        .iter()
        .all(|i| !matches!(i, TimelineItem::Contact(_))));
    let losing = losing_touch(&store, 1, now()).unwrap();
    assert!(losing
        .iter()
        .any(|(p, last)| *p == s.mr_tran && last.is_none()));
    store.restore::<Contact>(s.contacts[1], s.officer).unwrap();
    assert_eq!(search(&store, &LogFilter::default(), 10).unwrap().total, 3);
    assert!(store.check().unwrap().is_ok());
}

#[test]
fn queue_timeline_losing_touch_and_neighborhood_page() {
    let dir = tempfile::tempdir().unwrap();
    let s = seed(dir.path());
    let store = Store::open(dir.path(), &common::key()).unwrap();

    let queue = followup_queue(&store, day(2026, 11, 25)).unwrap();
    assert_eq!(queue[&QueueBucket::Overdue].len(), 1);
    assert_eq!(queue[&QueueBucket::DueSoon].len(), 1);
    assert!(!queue.contains_key(&QueueBucket::Later));
    assert_eq!(queue[&QueueBucket::Closed].len(), 1);

    let timeline = person_timeline(&store, s.rosa).unwrap();
    assert_eq!(timeline.len(), 4, "two contacts and two promises");
    assert!(
        timeline.windows(2).all(|w| w[0].when() >= w[1].when()),
        "newest first"
    );

    let losing = losing_touch(&store, 10, now()).unwrap();
    let tran_last =
        chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 11, 10, 17, 15, 0).unwrap();
    assert_eq!(losing, vec![(s.mr_tran, Some(tran_last))]);
    assert!(losing_touch(&store, 30, now()).unwrap().is_empty());
    // The contact index gives the same list.
    store
        .build_contact_index(&mut |_, _| {}, &Default::default())
        .unwrap();
    assert_eq!(losing_touch(&store, 10, now()).unwrap(), losing);
    assert!(losing_touch(&store, 30, now()).unwrap().is_empty());

    let page = neighborhood_summary(&store, s.riverside, now(), 90, 10).unwrap();
    assert_eq!(page.journal.len(), 1);
    assert_eq!(page.people.len(), 1);
    assert_eq!(page.recent_contacts.len(), 2);
    assert_eq!(page.open_followups.len(), 1);
    let lighting = store
        .all::<Tag>()
        .unwrap()
        .into_iter()
        .find(|t| t.name == "lighting")
        .unwrap()
        .meta
        .id;
    assert_eq!(page.top_concerns, vec![(lighting, 2)]);

    let short = neighborhood_summary(&store, s.riverside, now(), 7, 10).unwrap();
    assert_eq!(
        short.top_concerns.len(),
        1,
        "only the contact of the last week counts"
    );
    assert_eq!(
        short.recent_contacts.len(),
        2,
        "older contacts still fill the recent list"
    );
}

/// Every combination of filters, whichever index answers it, finds exactly the contacts a
/// plain reading of every contact finds: over a demo precinct with deletes and with entries
/// edited by someone other than their author.
#[test]
fn every_filter_agrees_with_reading_every_contact() {
    use beatbook::demo::{generate, DemoOptions};
    use beatbook::model::{Id, Neighborhood, Officer};
    // Days are compared in UTC below, as the search reads them in local time.
    std::env::set_var("TZ", "UTC");
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), &common::key()).unwrap();
    let opts = DemoOptions {
        officers: 3,
        neighborhoods: 3,
        contacts: 400,
        seed: 9,
    };
    generate(&store, &opts, &mut |_, _| {}).unwrap();
    let officers: Vec<Id> = store
        .all::<Officer>()
        .unwrap()
        .iter()
        .map(|o| o.meta.id)
        .collect();
    let all = store.all::<Contact>().unwrap();
    // Copies with new ids keep their old times: the index is built from rows out of time order.
    for c in all.iter().step_by(11) {
        let mut back_dated = c.clone();
        back_dated.meta = store.new_meta(officers[1]).unwrap();
        back_dated.meta.deleted = false;
        store.save(back_dated, officers[1]).unwrap();
    }
    for (i, c) in all.iter().enumerate().filter(|(i, _)| i % 7 == 0) {
        if i % 2 == 0 {
            store.delete::<Contact>(c.meta.id, officers[0]).unwrap();
        } else {
            let mut edited = c.clone();
            edited.note.push_str(" (corrected)");
            store
                .save(edited, officers[(i / 7) % officers.len()])
                .unwrap();
        }
    }
    let contacts: Vec<Contact> = store
        .iter_all::<Contact>()
        .unwrap()
        .map(|c| c.unwrap())
        .collect();
    let hoods: Vec<Option<Id>> = std::iter::once(None)
        .chain(
            store
                .all::<Neighborhood>()
                .unwrap()
                .iter()
                .map(|n| Some(n.meta.id)),
        )
        .collect();
    let noise = store
        .all::<Tag>()
        .unwrap()
        .into_iter()
        .find(|t| t.name == "noise")
        .unwrap();
    let days = contacts.iter().map(|c| c.at.date_naive());
    let (first, last) = (days.clone().min().unwrap(), days.max().unwrap());
    let middle = first + (last - first) / 2;
    let person = contacts.iter().find(|c| !c.meta.deleted).unwrap().people[0];
    let check_all = |contacts: &[Contact]| {
        let mut checked = 0;
        for officer in std::iter::once(None).chain(officers.iter().map(|o| Some(*o))) {
            for kind in [
                None,
                Some(ContactKind::Conversation),
                Some(ContactKind::BusinessCheck),
            ] {
                for &neighborhood in &hoods {
                    for (tag, person) in [
                        (None, None),
                        (Some(noise.meta.id), None),
                        (None, Some(person)),
                    ] {
                        for (from, to) in [
                            (None, None),
                            (Some(middle), None),
                            (Some(first), Some(middle)),
                        ] {
                            for text in ["", "corrected", "light", "St", "the corr", "o'brien"] {
                                let f = LogFilter {
                                    officer,
                                    kind,
                                    neighborhood,
                                    tag,
                                    person,
                                    from,
                                    to,
                                    text: text.into(),
                                };
                                let words: Vec<String> =
                                    text.split_whitespace().map(str::to_lowercase).collect();
                                let expected = contacts
                                    .iter()
                                    .filter(|c| f.matches(c, &words))
                                    .filter(|c| from.is_none_or(|d| c.at.date_naive() >= d))
                                    .filter(|c| to.is_none_or(|d| c.at.date_naive() <= d))
                                    .count();
                                let page = search(&store, &f, 3).unwrap();
                                assert_eq!(page.total, expected, "{f:?}");
                                let read = search_store(&store, &f, 3).unwrap();
                                assert_eq!(page, read, "{f:?}");
                                checked += 1;
                            }
                        }
                    }
                }
            }
        }
        assert_eq!(checked, 4 * 3 * 4 * 3 * 3 * 6);
    };
    check_all(&contacts);

    // Then answered by the in-memory index, also after edits, deletes and new contacts.
    let built = store
        .build_contact_index(&mut |_, _| {}, &std::sync::atomic::AtomicBool::new(false))
        .unwrap();
    assert!(built && store.has_contact_index());
    check_all(&contacts);
    for (i, c) in contacts.iter().enumerate().filter(|(i, _)| i % 5 == 1) {
        match i % 3 {
            0 => {
                store.delete::<Contact>(c.meta.id, officers[0]).ok();
            }
            1 => {
                let mut edited = store.get::<Contact>(c.meta.id).unwrap().unwrap();
                edited.note = format!("Streetlight out, corrected by {i}");
                edited.people = vec![person];
                store.save(edited, officers[1]).unwrap();
            }
            _ => {
                let mut copy = c.clone();
                copy.meta = store.new_meta(officers[2]).unwrap();
                copy.meta.deleted = false;
                copy.note.push_str(" the corrected copy");
                store.save(copy, officers[2]).unwrap();
            }
        }
    }
    let contacts: Vec<Contact> = store
        .iter_all::<Contact>()
        .unwrap()
        .map(|c| c.unwrap())
        .collect();
    check_all(&contacts);
}

/// Today's lists, read from the index of open follow-ups, are exactly the follow-up queue's
/// overdue and this-week sections, also after a promise is kept, one is deleted and one added.
#[test]
fn the_days_follow_ups_come_from_the_open_index_and_agree_with_the_queue() {
    use beatbook::model::{FollowUp, FollowUpStatus};
    use beatbook::query::due_soon;
    let dir = tempfile::tempdir().unwrap();
    let s = seed(dir.path());
    let store = Store::open(dir.path(), &key()).unwrap();
    let today = day(2026, 11, 25);
    let agree = |store: &Store| {
        let mut queue = followup_queue(store, today).unwrap();
        let overdue = queue.remove(&QueueBucket::Overdue).unwrap_or_default();
        let this_week = queue.remove(&QueueBucket::DueSoon).unwrap_or_default();
        let all = due_soon(store, today, usize::MAX).unwrap();
        assert_eq!(all.overdue.first, overdue);
        assert_eq!(all.this_week.first, this_week);
        assert_eq!(all.overdue.count, overdue.len());
        assert_eq!(all.this_week.count, this_week.len());
        // Only the first is read; the others are counted.
        let one = due_soon(store, today, 1).unwrap();
        assert_eq!(
            one.overdue.first,
            overdue.iter().take(1).cloned().collect::<Vec<_>>()
        );
        assert_eq!(
            one.this_week.first,
            this_week.iter().take(1).cloned().collect::<Vec<_>>()
        );
        assert_eq!(one.overdue.count, overdue.len());
        assert_eq!(one.this_week.count, this_week.len());
        assert!(store.check().unwrap().is_ok());
        overdue.len() + this_week.len()
    };
    let before = agree(&store);
    assert!(before >= 1);

    let mut kept: FollowUp = store.get(s.overdue).unwrap().unwrap();
    kept.status = FollowUpStatus::Done {
        on: today,
        outcome: "Survey booked".into(),
    };
    store.save(kept.clone(), s.officer).unwrap();
    let mut again = kept;
    again.meta = store.new_meta(s.officer).unwrap();
    again.status = FollowUpStatus::Open;
    again.due = day(2026, 11, 27);
    let again = store.save(again, s.officer).unwrap();
    assert_eq!(agree(&store), before);
    store.delete::<FollowUp>(again.meta.id, s.officer).unwrap();
    assert_eq!(agree(&store), before - 1);
}

/// The contact index leaves memory when the log is locked, and a rebuild keeps a write made
/// while it reads the log.
#[test]
fn the_contact_index_goes_with_the_lock_and_a_rebuild_keeps_every_write() {
    use std::sync::atomic::AtomicBool;
    let dir = tempfile::tempdir().unwrap();
    let ids = log_with_contacts(dir.path(), 5);
    let store = Store::open(dir.path(), &key()).unwrap();
    let me = store.require_profile().unwrap().officer;
    let mut stages = Vec::new();
    assert!(store
        .build_contact_index(
            &mut |stage, read| stages.push((stage, read)),
            &AtomicBool::new(false)
        )
        .unwrap());
    use beatbook::store::IndexStage;
    assert_eq!(
        stages,
        vec![
            (IndexStage::People, 0),
            (IndexStage::FollowUps, 0),
            (IndexStage::Contacts, 0)
        ],
        "each kind it reads is reported as it starts (then every 4,096 records)"
    );
    let Ok(store) = store.lock().unlock(&key(), chrono::Utc::now()) else {
        panic!("the log unlocks again");
    };
    assert!(!store.has_contact_index(), "locking dropped it");

    let zebra = LogFilter {
        text: "zebra".into(),
        ..Default::default()
    };
    let mut edited = false;
    let mut progress = |_, _| {
        if !edited {
            let mut c: Contact = store.get(ids[0]).unwrap().unwrap();
            c.note = "Asked for a zebra crossing".into();
            store.save(c, me).unwrap();
            assert_eq!(search(&store, &zebra, 5).unwrap().total, 1);
            edited = true;
        }
    };
    assert!(store
        .build_contact_index(&mut progress, &AtomicBool::new(false))
        .unwrap());
    assert!(edited && store.has_contact_index());
    assert_eq!(search(&store, &zebra, 5).unwrap().total, 1);
    assert_eq!(
        search(&store, &zebra, 5).unwrap(),
        search_store(&store, &zebra, 5).unwrap()
    );
}

/// The review figures read from the contact index are the figures read from the store: over a
/// demo precinct, and after people are renamed, moved and deleted, promises kept and deleted,
/// and contacts edited, deleted and added while the index is in use.
#[test]
fn review_figures_from_the_index_agree_with_the_store_after_edits() {
    use std::sync::atomic::AtomicBool;

    use beatbook::demo::{generate, DemoOptions};
    use beatbook::model::{FollowUp, FollowUpStatus, Id, Officer, Person};
    use beatbook::query::review::{review_report, Period};
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), &common::key()).unwrap();
    let opts = DemoOptions {
        officers: 3,
        neighborhoods: 3,
        contacts: 600,
        seed: 4,
    };
    generate(&store, &opts, &mut |_, _| {}).unwrap();
    let me: Id = store.all::<Officer>().unwrap()[0].meta.id;
    let today = chrono::Local::now().date_naive();
    let periods = [
        Period::last_weeks(today, 4),
        Period::last_weeks(today, 13),
        Period::quarter(today),
        // Ends before the newest contacts: silences are read from the rows, not the newest.
        Period::last_weeks(today - chrono::Duration::days(20), 4),
    ];
    let agree = |store: &Store| {
        for period in periods {
            for officer in [None, Some(me)] {
                let from_index = review_report(store, period, officer, today).unwrap();
                store.drop_contact_index();
                let from_store = review_report(store, period, officer, today).unwrap();
                assert!(store
                    .build_contact_index(&mut |_, _| {}, &AtomicBool::new(false))
                    .unwrap());
                assert_eq!(from_index, from_store, "{period:?} {officer:?}");
            }
        }
    };
    assert!(store
        .build_contact_index(&mut |_, _| {}, &AtomicBool::new(false))
        .unwrap());
    let before = review_report(&store, periods[0], None, today).unwrap();
    assert!(before.officers.iter().any(|o| o.contacts.value > 0));
    agree(&store);

    // Edits while the index is built: it reads them before its next answer.
    let people = store.all::<Person>().unwrap();
    let mut renamed = people[0].clone();
    renamed.name = people[1].name.to_uppercase();
    renamed.neighborhood = people[1].neighborhood;
    store.save(renamed, me).unwrap();
    let mut moved = people[2].clone();
    moved.neighborhood = people[3]
        .neighborhood
        .filter(|h| Some(*h) != moved.neighborhood);
    store.save(moved, me).unwrap();
    store.delete::<Person>(people[4].meta.id, me).unwrap();
    for (i, f) in store
        .all::<FollowUp>()
        .unwrap()
        .into_iter()
        .rev()
        .enumerate()
        .take(12)
    {
        if i % 3 == 0 {
            store.delete::<FollowUp>(f.meta.id, me).unwrap();
        } else if f.status.is_open() {
            let mut kept = f;
            kept.status = FollowUpStatus::Done {
                on: today,
                outcome: "Answered".into(),
            };
            store.save(kept, me).unwrap();
        }
    }
    let recent = search(&store, &LogFilter::default(), 30).unwrap().contacts;
    for (i, c) in recent
        .into_iter()
        .map(std::sync::Arc::unwrap_or_clone)
        .enumerate()
    {
        match i % 3 {
            0 => {
                store.delete::<Contact>(c.meta.id, me).unwrap();
            }
            1 => {
                let mut edited = c;
                edited.note = "Ok".into();
                edited.people.truncate(1);
                edited
                    .people
                    .extend(people.iter().take(2).map(|p| p.meta.id));
                store.save(edited, me).unwrap();
            }
            _ => {
                let mut copy = c;
                copy.meta = store.new_meta(me).unwrap();
                store.save(copy, me).unwrap();
            }
        }
    }
    let after = review_report(&store, periods[0], None, today).unwrap();
    assert_ne!(after, before, "the edits changed the figures");
    agree(&store);

    // A person loses every contact (and so their newest), a contact moves back in time, and
    // a deleted contact and follow-up come back.
    let quiet = &people[5];
    let theirs = search(
        &store,
        &LogFilter {
            person: Some(quiet.meta.id),
            ..Default::default()
        },
        1_000,
    )
    .unwrap()
    .contacts;
    for c in &theirs {
        store.delete::<Contact>(c.meta.id, me).unwrap();
    }
    let newest = search(&store, &LogFilter::default(), 1).unwrap().contacts;
    let mut moved = Contact::clone(&newest[0]);
    moved.at -= chrono::Duration::days(45);
    store.save(moved, me).unwrap();
    if let Some(c) = theirs.first() {
        store.restore::<Contact>(c.meta.id, me).unwrap();
    }
    let gone = store
        .iter_all::<FollowUp>()
        .unwrap()
        .map(|f| f.unwrap())
        .find(|f| f.meta.deleted)
        .unwrap();
    store.restore::<FollowUp>(gone.meta.id, me).unwrap();
    agree(&store);

    // A neighborhood takes another's name: a namesake living there becomes the same person
    // as the one living in the other, in the index as in the store.
    // The namesake was met lately, so the twin is no longer "not contacted" once they are one.
    let hoods = store.all::<beatbook::model::Neighborhood>().unwrap();
    let recent = search(&store, &LogFilter::default(), 50).unwrap().contacts;
    let namesake = recent
        .iter()
        .flat_map(|c| &c.people)
        .filter_map(|p| store.get::<Person>(*p).unwrap())
        .find(|p| !p.meta.deleted && p.neighborhood.is_some_and(|h| h != hoods[0].meta.id))
        .unwrap();
    let mut twin = namesake.clone();
    let silent_before = silent_for_30_days(&store);
    twin.meta = store.new_meta(me).unwrap();
    twin.neighborhood = Some(hoods[0].meta.id);
    store.save(twin, me).unwrap();
    let mut renamed = store
        .get::<beatbook::model::Neighborhood>(namesake.neighborhood.unwrap())
        .unwrap()
        .unwrap();
    renamed.name = hoods[0].name.to_lowercase();
    store.save(renamed, me).unwrap();
    assert_eq!(silent_for_30_days(&store), silent_before);
    agree(&store);
}

/// The people not contacted for 30 days, summed over the neighborhoods, from the index.
fn silent_for_30_days(store: &Store) -> usize {
    use beatbook::query::review::{review_report, Period};
    let today = chrono::Local::now().date_naive();
    review_report(store, Period::last_weeks(today, 4), None, today)
        .unwrap()
        .neighborhoods
        .iter()
        .map(|h| h.not_contacted_30.value)
        .sum()
}
