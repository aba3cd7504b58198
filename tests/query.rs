//! The questions screens and commands ask of the store, on a small hand-made history.

mod common;

use beatbook::model::{Contact, ContactKind, QueueBucket, Tag};
use beatbook::query::{
    followup_queue, losing_touch, neighborhood_summary, person_timeline, search, LogFilter,
    TimelineItem,
};
use beatbook::store::Store;
use common::*;

#[test]
fn log_filters_combine_and_count_everything() {
    let dir = tempfile::tempdir().unwrap();
    let s = seed(dir.path());
    let store = Store::open(dir.path()).unwrap();
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
    let store = Store::open(dir.path()).unwrap();
    store.delete::<Contact>(s.contacts[1], s.officer).unwrap();
    assert_eq!(search(&store, &LogFilter::default(), 10).unwrap().total, 2);
    assert!(person_timeline(&store, s.mr_tran)
        .unwrap()
        .iter()
        .all(|i| !matches!(i, TimelineItem::Contact(_))));
    let losing = losing_touch(&store, 1, now()).unwrap();
    assert!(losing
        .iter()
        .any(|(p, last)| p.meta.id == s.mr_tran && last.is_none()));
    store.restore::<Contact>(s.contacts[1], s.officer).unwrap();
    assert_eq!(search(&store, &LogFilter::default(), 10).unwrap().total, 3);
    assert!(store.check().unwrap().is_ok());
}

#[test]
fn queue_timeline_losing_touch_and_neighborhood_page() {
    let dir = tempfile::tempdir().unwrap();
    let s = seed(dir.path());
    let store = Store::open(dir.path()).unwrap();

    let queue = followup_queue(&store, day(2026, 11, 25)).unwrap();
    assert_eq!(queue[&QueueBucket::Overdue].len(), 1);
    assert_eq!(queue[&QueueBucket::ThisWeek].len(), 1);
    assert!(!queue.contains_key(&QueueBucket::Later));
    assert_eq!(queue[&QueueBucket::Closed].len(), 1);

    let timeline = person_timeline(&store, s.rosa).unwrap();
    assert_eq!(timeline.len(), 4, "two contacts and two promises");
    assert!(
        timeline.windows(2).all(|w| w[0].when() >= w[1].when()),
        "newest first"
    );

    let losing = losing_touch(&store, 10, now()).unwrap();
    let names: Vec<_> = losing.iter().map(|(p, _)| p.name.as_str()).collect();
    assert_eq!(names, vec!["Mr. Tran"]);
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
