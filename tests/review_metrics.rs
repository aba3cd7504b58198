//! The sergeant's review figures, checked against numbers worked out by hand on tiny logs.

use std::collections::HashMap;

use beatbook::csv_cell::unprotect;
use beatbook::model::{
    Contact, ContactKind, FollowUp, FollowUpStatus, Id, Initiator, Meta, Neighborhood, Officer,
    Person, PersonRole, Role, Tag, Tone,
};
use beatbook::query::review::{review_report, Behind, Figure, Period, ReviewReport};
use beatbook::report::{to_csv, to_json, to_text};
use beatbook::store::Store;
use chrono::{DateTime, NaiveDate, TimeZone, Utc};

use crate::common;
use crate::common::day;

/// Local time is UTC here, so day boundaries are the same on every machine.
fn utc() {
    static TZ: std::sync::Once = std::sync::Once::new();
    TZ.call_once(|| std::env::set_var("TZ", "UTC"));
}

fn t(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
}

/// 2026-11-`d` at `h`:00.
fn nov(d: u32, h: u32) -> DateTime<Utc> {
    t(2026, 11, d, h, 0)
}

struct Log {
    _dir: tempfile::TempDir,
    store: Store,
    dana: Id,
    riverside: Id,
    tags: HashMap<String, Id>,
}

/// What a contact is like; `Default` gives an officer-started conversation with a real note.
struct C {
    at: DateTime<Utc>,
    hood: Id,
    people: Vec<Id>,
    kind: ContactKind,
    by: Initiator,
    tags: Vec<&'static str>,
    tone: Tone,
    note: &'static str,
}

impl Default for C {
    fn default() -> Self {
        C {
            at: nov(1, 12),
            hood: Id(0),
            people: vec![],
            kind: ContactKind::Conversation,
            by: Initiator::Officer,
            tags: vec![],
            tone: Tone::Neutral,
            note: "Talked on the porch about the block.",
        }
    }
}

impl Log {
    fn new() -> Log {
        utc();
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path(), &common::key()).unwrap();
        let p = store
            .set_up("Dana Reyes", "4127", Role::Officer, "Riverside")
            .unwrap();
        let tags = store
            .all::<Tag>()
            .unwrap()
            .into_iter()
            .map(|t| (t.name, t.meta.id))
            .collect();
        Log {
            _dir: dir,
            store,
            dana: p.officer,
            riverside: p.last_neighborhood.unwrap(),
            tags,
        }
    }

    fn meta(&self, author: Id, at: DateTime<Utc>) -> Meta {
        Meta::new(self.store.new_id_at(at).unwrap(), author, at)
    }

    fn officer(&self, name: &str, badge: &str, role: Role) -> Id {
        let id = self.store.new_id().unwrap();
        let o = Officer {
            meta: Meta::new(id, id, Utc::now()),
            name: name.into(),
            badge: badge.into(),
            role,
        };
        self.store.save(o, id).unwrap().meta.id
    }

    fn hood(&self, name: &str) -> Id {
        let h = Neighborhood {
            meta: self.meta(self.dana, Utc::now()),
            name: name.into(),
        };
        self.store.save(h, self.dana).unwrap().meta.id
    }

    fn person(&self, name: &str, role: PersonRole, hood: Id) -> Id {
        let p = Person {
            meta: self.meta(self.dana, Utc::now()),
            name: name.into(),
            role,
            neighborhood: Some(hood),
            notes: String::new(),
            consent: None,
        };
        self.store.save(p, self.dana).unwrap().meta.id
    }

    fn tag(&self, name: &str) -> Id {
        self.tags[name]
    }

    fn contact(&self, author: Id, c: C) -> Id {
        let record = Contact {
            meta: self.meta(author, c.at),
            at: c.at,
            neighborhood: if c.hood == Id(0) {
                self.riverside
            } else {
                c.hood
            },
            place: "Elm St & 5th".into(),
            kind: c.kind,
            unnamed: u32::from(c.people.is_empty()),
            people: c.people,
            initiated_by: c.by,
            tags: c.tags.iter().map(|t| self.tag(t)).collect(),
            tone: c.tone,
            note: c.note.into(),
        };
        self.store.save(record, author).unwrap().meta.id
    }

    fn follow_up(
        &self,
        author: Id,
        made: DateTime<Utc>,
        due: NaiveDate,
        status: FollowUpStatus,
    ) -> Id {
        let f = FollowUp {
            meta: self.meta(author, made),
            promise: "Call public works".into(),
            person: None,
            contact: None,
            neighborhood: self.riverside,
            due,
            status,
            waiting_on: None,
        };
        self.store.save(f, author).unwrap().meta.id
    }

    /// The report read from the store, checked against the same report read from the contact
    /// index.
    fn report(&self, period: Period, officer: Option<Id>) -> ReviewReport {
        let today = day(2026, 11, 25);
        let from_store = review_report(&self.store, period, officer, today).unwrap();
        let built = self
            .store
            .build_contact_index(&mut |_, _| {}, &std::sync::atomic::AtomicBool::new(false))
            .unwrap();
        assert!(built);
        let from_index = review_report(&self.store, period, officer, today).unwrap();
        self.store.drop_contact_index();
        assert_eq!(from_index, from_store, "the index and the store agree");
        from_store
    }
}

fn done(on: NaiveDate) -> FollowUpStatus {
    FollowUpStatus::Done {
        on,
        outcome: "Done".into(),
    }
}

fn dropped(on: NaiveDate) -> FollowUpStatus {
    FollowUpStatus::Dropped {
        on,
        outcome: "Not ours to fix".into(),
    }
}

fn sorted(mut ids: Vec<Id>) -> Vec<Id> {
    ids.sort();
    ids
}

fn values(figures: &[Figure]) -> Vec<usize> {
    figures.iter().map(|f| f.value).collect()
}

/// November 2026, Monday the 2nd to Sunday the 29th: four whole weeks.
fn november() -> Period {
    Period::new(day(2026, 11, 2), day(2026, 11, 29)).unwrap()
}

/// A squad's November, worked out by hand (see each test for the sums).
struct Squad {
    log: Log,
    sam: Id,
    kim: Id,
    dana_contacts: [Id; 4],
    sam_contact: Id,
    kim_contact: Id,
    on_time: [Id; 2],
    late: Id,
    overdue: Id,
    promised: Vec<Id>,
}

fn squad() -> Squad {
    let log = Log::new();
    let dana = log.dana;
    let sam = log.officer("Sam Ortiz", "5512", Role::Officer);
    let kim = log.officer("Kim Park", "S-20", Role::Sergeant);
    // A sergeant who logged nothing and a deleted officer are not listed.
    log.officer("Lee Marsh", "S-21", Role::Sergeant);
    let gone = log.officer("Pat Gone", "9999", Role::Officer);
    log.store.delete::<Officer>(gone, gone).unwrap();

    let elm_park = log.hood("Elm Park");
    let rosa = log.person("Rosa Delgado", PersonRole::BusinessOwner, log.riverside);
    let ali = log.person("Ali Khan", PersonRole::Resident, log.riverside);
    let tran = log.person("Mr. Tran", PersonRole::BlockCaptain, elm_park);

    // Dana's four contacts in the period.
    let c1 = log.contact(
        dana,
        C {
            at: nov(3, 10),
            people: vec![rosa],
            kind: ContactKind::BusinessCheck,
            by: Initiator::Resident,
            tags: vec!["lighting"],
            tone: Tone::Friendly,
            note: "Rosa says the alley light is out again.",
            ..C::default()
        },
    );
    let c2 = log.contact(
        dana,
        C {
            at: nov(10, 18),
            people: vec![rosa, ali],
            kind: ContactKind::CommunityMeeting,
            tags: vec!["lighting", "noise"],
            tone: Tone::Warm,
            note: "ok",
            ..C::default()
        },
    );
    let c3 = log.contact(
        dana,
        C {
            at: nov(12, 15),
            hood: elm_park,
            people: vec![tran],
            kind: ContactKind::Event,
            by: Initiator::Resident,
            tags: vec!["speeding"],
            tone: Tone::Guarded,
            note: "",
        },
    );
    let c4 = log.contact(
        dana,
        C {
            at: nov(20, 16),
            tone: Tone::Hostile,
            note: "Three teens by the skate ramp, angry about being moved on.",
            ..C::default()
        },
    );
    // Outside the period, and deleted: none of these count now.
    log.contact(
        dana,
        C {
            at: nov(1, 20),
            people: vec![ali],
            tags: vec!["noise", "graffiti"],
            ..C::default()
        },
    );
    log.contact(
        dana,
        C {
            at: nov(30, 9),
            people: vec![ali],
            tags: vec!["lighting"],
            ..C::default()
        },
    );
    let deleted = log.contact(
        dana,
        C {
            at: nov(15, 11),
            hood: elm_park,
            people: vec![tran],
            tags: vec!["speeding"],
            ..C::default()
        },
    );
    log.store.delete::<Contact>(deleted, dana).unwrap();
    // The previous four weeks (5 Oct to 1 Nov), for the concern trends.
    log.contact(
        dana,
        C {
            at: t(2026, 10, 20, 10, 0),
            tags: vec!["lighting"],
            ..C::default()
        },
    );
    log.contact(
        dana,
        C {
            at: t(2026, 10, 21, 10, 0),
            tags: vec!["noise"],
            ..C::default()
        },
    );
    // Before the previous period: no trend counts it.
    log.contact(
        dana,
        C {
            at: t(2026, 10, 4, 10, 0),
            tags: vec!["lighting"],
            ..C::default()
        },
    );

    let sam_contact = log.contact(
        sam,
        C {
            at: nov(17, 19),
            hood: elm_park,
            people: vec![tran],
            by: Initiator::Resident,
            tags: vec!["noise"],
            tone: Tone::Neutral,
            ..C::default()
        },
    );
    let kim_contact = log.contact(
        kim,
        C {
            at: nov(24, 8),
            tone: Tone::Friendly,
            note: "Coffee with the merchants' association.",
            ..C::default()
        },
    );

    // Dana's promises: kept in 2, 5 and 1 days (median 2), one overdue, one not yet due,
    // one dropped; one from October kept in the first week; one deleted.
    let f1 = log.follow_up(dana, nov(3, 10), day(2026, 11, 6), done(day(2026, 11, 5)));
    let f2 = log.follow_up(
        dana,
        nov(10, 18),
        day(2026, 11, 12),
        done(day(2026, 11, 15)),
    );
    let f3 = log.follow_up(dana, nov(12, 15), day(2026, 11, 20), FollowUpStatus::Open);
    let f4 = log.follow_up(dana, nov(20, 16), day(2026, 11, 27), FollowUpStatus::Open);
    let f5 = log.follow_up(
        dana,
        nov(20, 17),
        day(2026, 11, 21),
        dropped(day(2026, 11, 21)),
    );
    let f8 = log.follow_up(dana, nov(21, 9), day(2026, 11, 22), done(day(2026, 11, 22)));
    log.follow_up(
        dana,
        t(2026, 10, 30, 9, 0),
        day(2026, 11, 4),
        done(day(2026, 11, 4)),
    );
    let f7 = log.follow_up(dana, nov(4, 9), day(2026, 11, 5), FollowUpStatus::Open);
    log.store.delete::<FollowUp>(f7, dana).unwrap();
    // Sam's: kept in 1 and 4 days (median 2.5).
    log.follow_up(sam, nov(17, 19), day(2026, 11, 18), done(day(2026, 11, 18)));
    log.follow_up(sam, nov(17, 20), day(2026, 11, 19), done(day(2026, 11, 21)));

    Squad {
        log,
        sam,
        kim,
        dana_contacts: [c1, c2, c3, c4],
        sam_contact,
        kim_contact,
        on_time: [f1, f8],
        late: f2,
        overdue: f3,
        promised: sorted(vec![f1, f2, f3, f4, f5, f8]),
    }
}

#[test]
fn every_officer_figure_on_a_small_month() {
    let s = squad();
    let r = s.log.report(november(), None);
    let names: Vec<&str> = r.officers.iter().map(|o| o.name.as_str()).collect();
    assert_eq!(
        names,
        ["Dana Reyes", "Kim Park", "Sam Ortiz"],
        "role officers, plus the sergeant who logged a contact; by name"
    );
    let dana = &r.officers[0];
    let [c1, c2, c3, c4] = s.dana_contacts;
    assert_eq!(dana.officer, s.log.dana);
    assert_eq!(dana.badge, "4127");
    assert_eq!(dana.contacts.value, 4);
    assert_eq!(dana.contacts.ids, sorted(vec![c1, c2, c3, c4]));
    assert_eq!(dana.contacts.behind, Behind::Contacts);
    // Rosa, Ali and Mr. Tran; the contact with three unnamed teens names nobody.
    assert_eq!(dana.people_reached.value, 3);
    assert_eq!(dana.people_reached.ids, sorted(vec![c1, c2, c3]));
    // Only Rosa was met twice.
    assert_eq!(dana.people_seen_again.value, 1);
    assert_eq!(dana.people_seen_again.ids, sorted(vec![c1, c2]));
    assert_eq!(dana.neighborhoods_covered.value, 2);
    assert_eq!(dana.neighborhoods_covered.ids.len(), 4);
    assert_eq!(dana.meetings_and_events.ids, sorted(vec![c2, c3]));
    assert_eq!(dana.started_by_resident.ids, sorted(vec![c1, c3]));
    assert_eq!(dana.started_by_officer.ids, sorted(vec![c2, c4]));
    assert_eq!(values(&dana.tone), [1, 1, 0, 1, 1]);
    assert_eq!(dana.tone[Tone::Hostile as usize].ids, vec![c4]);
    // "ok" and an empty note.
    assert_eq!(dana.thin_notes.ids, sorted(vec![c2, c3]));

    let kim = &r.officers[1];
    assert_eq!((kim.officer, kim.contacts.value), (s.kim, 1));
    assert_eq!(kim.contacts.ids, vec![s.kim_contact]);
    assert_eq!(kim.people_reached.value, 0);
    assert_eq!(kim.neighborhoods_covered.value, 1);
    let sam = &r.officers[2];
    assert_eq!(sam.officer, s.sam);
    assert_eq!(sam.contacts.ids, vec![s.sam_contact]);
    assert_eq!(
        (sam.people_reached.value, sam.people_seen_again.value),
        (1, 0)
    );
}

#[test]
fn follow_ups_kept_on_time_late_overdue_and_median() {
    let s = squad();
    let r = s.log.report(november(), None);
    let dana = &r.officers[0];
    assert_eq!(
        dana.followups_promised.value, 6,
        "dropped ones count as promised"
    );
    assert_eq!(dana.followups_promised.ids, s.promised);
    assert_eq!(dana.followups_promised.behind, Behind::FollowUps);
    assert_eq!(dana.kept_on_time.ids, sorted(s.on_time.to_vec()));
    assert_eq!(dana.kept_late.ids, vec![s.late]);
    assert_eq!(
        dana.overdue.ids,
        vec![s.overdue],
        "due the 27th is not overdue on the 25th"
    );
    // Kept in 2, 5 and 1 days.
    assert_eq!(dana.median_days_to_keep, Some(2.0));
    // Kept in 1 and 4 days: the mean of the middle two.
    let sam = &r.officers[2];
    assert_eq!(sam.followups_promised.value, 2);
    assert_eq!((sam.kept_on_time.value, sam.kept_late.value), (1, 1));
    assert_eq!(sam.median_days_to_keep, Some(2.5));
    let kim = &r.officers[1];
    assert_eq!(kim.followups_promised.value, 0);
    assert_eq!(kim.median_days_to_keep, None);
}

#[test]
fn neighborhoods_reach_concerns_and_their_trend() {
    let s = squad();
    let r = s.log.report(november(), None);
    let names: Vec<&str> = r.neighborhoods.iter().map(|n| n.name.as_str()).collect();
    assert_eq!(names, ["Elm Park", "Riverside"]);
    let (elm, river) = (&r.neighborhoods[0], &r.neighborhoods[1]);
    let [c1, c2, c3, c4] = s.dana_contacts;
    assert_eq!(river.ids, vec![s.log.riverside]);
    assert_eq!(river.contacts.ids, sorted(vec![c1, c2, c4, s.kim_contact]));
    assert_eq!(elm.contacts.ids, sorted(vec![c3, s.sam_contact]));

    // Every role is listed, so the gaps show: Riverside met a resident and a business owner.
    let reach: Vec<(PersonRole, usize)> = river.reach.iter().map(|(r, f)| (*r, f.value)).collect();
    assert_eq!(reach.len(), PersonRole::ALL.len());
    assert_eq!(
        reach,
        [
            (PersonRole::Resident, 1),
            (PersonRole::BusinessOwner, 1),
            (PersonRole::BlockCaptain, 0),
            (PersonRole::FaithLeader, 0),
            (PersonRole::SchoolStaff, 0),
            (PersonRole::Youth, 0),
            (PersonRole::CommunityGroup, 0),
        ]
    );
    assert_eq!(river.reach[1].1.ids, sorted(vec![c1, c2]));
    assert_eq!(river.reach[0].1.ids, vec![c2]);
    // Mr. Tran, met by two officers, is one block captain.
    assert_eq!(elm.reach[2].1.value, 1);
    assert_eq!(elm.reach[2].1.ids, sorted(vec![c3, s.sam_contact]));

    // Riverside now: lighting 2, noise 1. Before (5 Oct - 1 Nov): lighting 1, noise 2,
    // graffiti 1 (not raised now, so not listed).
    let trend: Vec<(&str, usize, usize)> = river
        .concerns
        .iter()
        .map(|c| (c.topic.as_str(), c.now.value, c.before))
        .collect();
    assert_eq!(trend, [("lighting", 2, 1), ("noise", 1, 2)]);
    assert_eq!(river.concerns[0].now.ids, sorted(vec![c1, c2]));
    // Ties go by name.
    let trend: Vec<(&str, usize, usize)> = elm
        .concerns
        .iter()
        .map(|c| (c.topic.as_str(), c.now.value, c.before))
        .collect();
    assert_eq!(trend, [("noise", 1, 0), ("speeding", 1, 0)]);

    assert_eq!(r.top_concerns, ["lighting", "noise", "speeding"]);
}

#[test]
fn weeks_count_contacts_follow_ups_tone_and_concerns() {
    let s = squad();
    let r = s.log.report(november(), None);
    let starts: Vec<NaiveDate> = r.weeks.iter().map(|w| w.start).collect();
    assert_eq!(
        starts,
        [
            day(2026, 11, 2),
            day(2026, 11, 9),
            day(2026, 11, 16),
            day(2026, 11, 23)
        ]
    );
    // Officers are Dana, Kim, Sam.
    let by_officer: Vec<Vec<usize>> = r
        .weeks
        .iter()
        .map(|w| values(&w.contacts_by_officer))
        .collect();
    assert_eq!(by_officer, [[1, 0, 0], [2, 0, 0], [1, 0, 1], [0, 1, 0]]);
    let tone: Vec<Option<f64>> = r.weeks.iter().map(|w| w.mean_tone).collect();
    assert_eq!(tone, [Some(4.0), Some(3.5), Some(2.0), Some(4.0)]);
    // Due in week 1: Dana's two (one promised in October); week 3: five, two kept on time.
    let due: Vec<(usize, usize)> = r
        .weeks
        .iter()
        .map(|w| (w.followups_due.value, w.kept_on_time.value))
        .collect();
    assert_eq!(due, [(2, 2), (1, 0), (5, 2), (1, 0)]);
    // Aligned with lighting, noise, speeding.
    let concerns: Vec<Vec<usize>> = r.weeks.iter().map(|w| values(&w.concerns)).collect();
    assert_eq!(concerns, [[1, 0, 0], [1, 1, 1], [0, 1, 0], [0, 0, 0]]);
}

#[test]
fn one_officer_alone() {
    let s = squad();
    let r = s.log.report(november(), Some(s.sam));
    assert_eq!(r.officer, Some(s.sam));
    assert_eq!(r.officers.len(), 1);
    assert_eq!(r.officers[0].name, "Sam Ortiz");
    assert_eq!(r.officers[0].contacts.ids, vec![s.sam_contact]);
    let contacts: Vec<(&str, usize)> = r
        .neighborhoods
        .iter()
        .map(|n| (n.name.as_str(), n.contacts.value))
        .collect();
    assert_eq!(contacts, [("Elm Park", 1), ("Riverside", 0)]);
    assert!(r.neighborhoods[1].concerns.is_empty());
    assert_eq!(r.top_concerns, ["noise"]);
    let due: Vec<(usize, usize)> = r
        .weeks
        .iter()
        .map(|w| (w.followups_due.value, w.kept_on_time.value))
        .collect();
    assert_eq!(due, [(0, 0), (0, 0), (2, 1), (0, 0)]);
    assert!(r.weeks.iter().all(|w| w.contacts_by_officer.len() == 1));

    // An officer with nothing in the period is still listed, with zeros.
    let quiet = s.log.report(november(), Some(s.kim));
    assert_eq!(quiet.officers[0].followups_promised.value, 0);
    let lee = s.log.officer("Lee Two", "S-22", Role::Sergeant);
    let lee = s.log.report(november(), Some(lee));
    assert_eq!(lee.officers.len(), 1);
    assert_eq!(lee.officers[0].contacts.value, 0);
}

#[test]
fn an_empty_period_has_zeros_and_its_weeks() {
    let s = squad();
    let period = Period::new(day(2027, 1, 5), day(2027, 1, 18)).unwrap();
    let r = s.log.report(period, None);
    let names: Vec<&str> = r.officers.iter().map(|o| o.name.as_str()).collect();
    assert_eq!(names, ["Dana Reyes", "Sam Ortiz"], "role officers only");
    for o in &r.officers {
        let all = [
            &o.contacts,
            &o.people_reached,
            &o.people_seen_again,
            &o.neighborhoods_covered,
            &o.meetings_and_events,
            &o.started_by_resident,
            &o.started_by_officer,
            &o.followups_promised,
            &o.kept_on_time,
            &o.kept_late,
            &o.overdue,
            &o.thin_notes,
        ];
        assert!(all.iter().all(|f| f.value == 0 && f.ids.is_empty()));
        assert!(o.tone.iter().all(|f| f.value == 0));
        assert_eq!(o.median_days_to_keep, None);
    }
    for n in &r.neighborhoods {
        assert_eq!(n.contacts.value, 0);
        assert_eq!(n.reach.len(), PersonRole::ALL.len());
        assert!(n.reach.iter().all(|(_, f)| f.value == 0));
        assert!(n.concerns.is_empty());
    }
    assert!(r.top_concerns.is_empty());
    // Tuesday 5 to Monday 18 January touches three weeks.
    let starts: Vec<NaiveDate> = r.weeks.iter().map(|w| w.start).collect();
    assert_eq!(
        starts,
        [day(2027, 1, 4), day(2027, 1, 11), day(2027, 1, 18)]
    );
    for w in &r.weeks {
        assert_eq!(values(&w.contacts_by_officer), [0, 0]);
        assert_eq!((w.followups_due.value, w.mean_tone), (0, None));
        assert!(w.concerns.is_empty());
    }
    // Rendering an empty review works too.
    assert!(to_text(&r).contains("Contacts: 0"));
    assert!(to_csv(&r).contains(&quoted("officer,Dana Reyes,median_days_to_keep,\n")));
}

#[test]
fn a_freshly_set_up_log_with_nothing_in_it() {
    let log = Log::new();
    let r = log.report(november(), None);
    assert_eq!(r.officers.len(), 1);
    assert_eq!(r.neighborhoods.len(), 1);
    assert_eq!(r.neighborhoods[0].not_contacted_30.value, 0);
    assert_eq!(r.weeks.len(), 4);
}

#[test]
fn weeks_are_clipped_to_the_period() {
    let log = Log::new();
    let dana = log.dana;
    // Wednesday 4 to Tuesday 17 November.
    let period = Period::new(day(2026, 11, 4), day(2026, 11, 17)).unwrap();
    for at in [
        t(2026, 11, 3, 23, 59),
        nov(4, 0),
        t(2026, 11, 17, 23, 30),
        nov(18, 0),
    ] {
        log.contact(
            dana,
            C {
                at,
                tone: Tone::Warm,
                ..C::default()
            },
        );
    }
    for due in [day(2026, 11, 3), day(2026, 11, 4), day(2026, 11, 18)] {
        log.follow_up(dana, nov(1, 9), due, done(due));
    }
    let r = log.report(period, None);
    let starts: Vec<NaiveDate> = r.weeks.iter().map(|w| w.start).collect();
    assert_eq!(
        starts,
        [day(2026, 11, 2), day(2026, 11, 9), day(2026, 11, 16)]
    );
    let contacts: Vec<usize> = r
        .weeks
        .iter()
        .map(|w| w.contacts_by_officer[0].value)
        .collect();
    assert_eq!(contacts, [1, 0, 1]);
    let due: Vec<usize> = r.weeks.iter().map(|w| w.followups_due.value).collect();
    assert_eq!(due, [1, 0, 0]);
    assert_eq!(r.weeks[1].mean_tone, None);
    assert_eq!(r.officers[0].contacts.value, 2);
    // Promised on 1 November: before the period.
    assert_eq!(r.officers[0].followups_promised.value, 0);
}

#[test]
fn people_not_contacted_for_30_60_and_90_days() {
    let log = Log::new();
    let dana = log.dana;
    let elm = log.hood("Elm Park");
    let other = log.hood("Northgate");
    // December 2026: the period ends at midnight starting 1 January 2027, so the cut-offs are
    // 2 December (30 days), 2 November (60) and 3 October (90), all at midnight.
    let period = Period::new(day(2026, 12, 1), day(2026, 12, 31)).unwrap();
    let person = |name| log.person(name, PersonRole::Resident, elm);
    let met = |p: Id, at| {
        log.contact(
            dana,
            C {
                at,
                hood: elm,
                people: vec![p],
                ..C::default()
            },
        );
    };
    met(person("A"), t(2026, 12, 2, 0, 0));
    let just_past_30 = person("B");
    met(just_past_30, t(2026, 12, 1, 23, 59));
    met(just_past_30, t(2026, 9, 1, 12, 0));
    let exactly_60 = person("C");
    met(exactly_60, t(2026, 11, 2, 0, 0));
    let past_60 = person("D");
    met(past_60, t(2026, 11, 1, 23, 59));
    let exactly_90 = person("E0");
    met(exactly_90, t(2026, 10, 3, 0, 0));
    let past_90 = person("E");
    met(past_90, t(2026, 10, 2, 12, 0));
    let never = person("F");
    let only_after = person("G");
    met(only_after, t(2027, 1, 1, 0, 0));
    met(only_after, t(2027, 1, 5, 10, 0));
    let only_deleted = person("I");
    let c = log.contact(
        dana,
        C {
            at: t(2026, 12, 20, 9, 0),
            hood: elm,
            people: vec![only_deleted],
            ..C::default()
        },
    );
    log.store.delete::<Contact>(c, dana).unwrap();
    let gone = person("H");
    log.store.delete::<Person>(gone, dana).unwrap();
    log.person("Elsewhere", PersonRole::Resident, other);

    let r = log.report(period, None);
    let elm_park = r
        .neighborhoods
        .iter()
        .find(|n| n.name == "Elm Park")
        .unwrap();
    let n30 = &elm_park.not_contacted_30;
    assert_eq!(n30.behind, Behind::People);
    assert_eq!(
        n30.ids,
        sorted(vec![
            just_past_30,
            exactly_60,
            past_60,
            exactly_90,
            past_90,
            never,
            only_after,
            only_deleted
        ])
    );
    assert_eq!(n30.value, 8);
    assert_eq!(
        elm_park.not_contacted_60.ids,
        sorted(vec![
            past_60,
            exactly_90,
            past_90,
            never,
            only_after,
            only_deleted
        ])
    );
    assert_eq!(
        elm_park.not_contacted_90.ids,
        sorted(vec![past_90, never, only_after, only_deleted])
    );
    assert_eq!(elm_park.not_contacted_90.value, 4);
    let north = r
        .neighborhoods
        .iter()
        .find(|n| n.name == "Northgate")
        .unwrap();
    assert_eq!(north.not_contacted_90.value, 1);
}

#[test]
fn merged_duplicates_count_once() {
    let log = Log::new();
    let dana = log.dana;
    let sam = log.officer("Sam Ortiz", "5512", Role::Officer);
    // Sam's log had its own "Riverside", its own Rosa and its own "Lighting" topic.
    let riverside_2 = log.hood("riverside ");
    let elm = log.hood("Elm Park");
    let old_town = log.hood("Old Town");
    log.store.delete::<Neighborhood>(old_town, dana).unwrap();
    let rosa_1 = log.person("Rosa Delgado", PersonRole::BusinessOwner, log.riverside);
    let rosa_2 = log.person("rosa  delgado", PersonRole::BusinessOwner, riverside_2);
    let other_rosa = log.person("Rosa Delgado", PersonRole::Resident, elm);
    log.person("Mo Ade", PersonRole::Resident, log.riverside);
    let never_2 = log.person("Mo Ade", PersonRole::Resident, riverside_2);
    let lighting_2 = log
        .store
        .save(
            Tag {
                meta: log.meta(sam, Utc::now()),
                name: "Lighting".into(),
            },
            sam,
        )
        .unwrap()
        .meta
        .id;

    let d1 = log.contact(
        dana,
        C {
            at: nov(3, 10),
            people: vec![rosa_1],
            tags: vec!["lighting"],
            ..C::default()
        },
    );
    let d2 = log.contact(
        dana,
        C {
            at: nov(5, 10),
            hood: riverside_2,
            people: vec![rosa_2],
            ..C::default()
        },
    );
    log.contact(
        dana,
        C {
            at: nov(6, 10),
            hood: elm,
            people: vec![other_rosa],
            ..C::default()
        },
    );
    // Both of Rosa's records in one contact: one meeting, not two.
    let s1 = log.contact(
        sam,
        C {
            at: nov(4, 10),
            hood: riverside_2,
            people: vec![rosa_1, rosa_2],
            ..C::default()
        },
    );
    let mut both_tags = log.store.get::<Contact>(s1).unwrap().unwrap();
    both_tags.tags = vec![log.tag("lighting"), lighting_2];
    log.store.save(both_tags, sam).unwrap();
    let mut second_tag = log.store.get::<Contact>(d2).unwrap().unwrap();
    second_tag.tags = vec![lighting_2];
    log.store.save(second_tag, dana).unwrap();
    // Mo Ade's second record was contacted, so Mo Ade is not out of touch.
    log.contact(
        sam,
        C {
            at: nov(20, 10),
            people: vec![never_2],
            ..C::default()
        },
    );

    let r = log.report(november(), None);
    let names: Vec<&str> = r.neighborhoods.iter().map(|n| n.name.as_str()).collect();
    assert_eq!(
        names,
        ["Elm Park", "Riverside"],
        "deleted Old Town is left out"
    );
    let river = &r.neighborhoods[1];
    assert_eq!(river.ids, sorted(vec![log.riverside, riverside_2]));
    assert_eq!(river.contacts.value, 4);
    assert_eq!(river.reach[1].1.value, 1, "one business owner: Rosa");
    assert_eq!(river.reach[0].1.value, 1, "one resident: Mo Ade");
    assert_eq!(river.concerns.len(), 1);
    assert_eq!(river.concerns[0].topic, "lighting");
    assert_eq!(river.concerns[0].now.ids, sorted(vec![d1, d2, s1]));
    assert_eq!(river.not_contacted_30.value, 0);

    let dana_f = r.officers.iter().find(|o| o.officer == dana).unwrap();
    assert_eq!(
        dana_f.people_reached.value, 2,
        "Rosa, and the other Rosa of Elm Park"
    );
    assert_eq!(dana_f.people_seen_again.value, 1);
    assert_eq!(dana_f.people_seen_again.ids, sorted(vec![d1, d2]));
    assert_eq!(dana_f.neighborhoods_covered.value, 2);
    let sam_f = r.officers.iter().find(|o| o.officer == sam).unwrap();
    assert_eq!(sam_f.people_reached.value, 2);
    assert_eq!(sam_f.people_seen_again.value, 0);
    assert_eq!(r.top_concerns, ["lighting"]);
}

#[test]
fn text_names_every_figure_in_words() {
    let s = squad();
    let text = to_text(&s.log.report(november(), None));
    for expected in [
        "Review of 2 Nov 2026 to 29 Nov 2026 (28 days), whole squad",
        "Dana Reyes (badge 4127)",
        "Contacts: 4",
        "People reached: 3",
        "People seen again (2 or more contacts): 1",
        "Neighborhoods covered: 2",
        "Community meetings and events: 2",
        "Started by a resident: 2; by the officer: 2",
        "Tone: hostile 1, guarded 1, neutral 0, friendly 1, warm 1",
        "Follow-ups promised: 6",
        "kept on time: 2; kept late: 1; overdue: 1",
        "median time to keep: 2 days",
        "median time to keep: 2.5 days",
        "median time to keep: –",
        "Notes of one word or none: 2  <- worth a look",
        "People not contacted in 30 days:",
        "Reach: resident 1, business owner 1, block captain 0",
        "Top concerns: lighting 2 (up from 1), noise 1 (down from 2)",
        "Top concerns: noise 1 (new), speeding 1 (new)",
        "Week of 16 Nov 2026: 2 contacts; 5 follow-ups due, 2 kept on time; mean tone 2.0 of 5",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} missing from:\n{text}"
        );
    }
    // Officers by name, not by how many contacts they logged.
    let at = |name| text.find(name).unwrap();
    assert!(at("Dana Reyes") < at("Kim Park") && at("Kim Park") < at("Sam Ortiz"));

    let alone = to_text(&s.log.report(november(), Some(s.sam)));
    assert!(alone.contains("Sam Ortiz only"), "{alone}");
}

/// A CSV row as beatbook writes it: every field quoted (a trailing line end kept).
fn quoted(row: &str) -> String {
    let fields = row.trim_end_matches('\n').split(',');
    let mut line = fields
        .map(|f| format!("\"{f}\""))
        .collect::<Vec<_>>()
        .join(",");
    if row.ends_with('\n') {
        line.push('\n');
    }
    line
}

#[test]
fn csv_has_a_row_per_figure() {
    let s = squad();
    let csv = to_csv(&s.log.report(november(), None));
    assert!(csv.starts_with("section,name,metric,value\n"));
    for row in [
        "officer,Dana Reyes,badge,4127",
        "officer,Dana Reyes,contacts,4",
        "officer,Dana Reyes,people_reached,3",
        "officer,Dana Reyes,tone_warm,1",
        "officer,Dana Reyes,median_days_to_keep,2\n",
        "officer,Sam Ortiz,median_days_to_keep,2.5",
        "officer,Kim Park,median_days_to_keep,\n",
        "neighborhood,Riverside,contacts,4",
        "neighborhood,Riverside,reach_business_owner,1",
        "neighborhood,Riverside,concern:lighting,2",
        "neighborhood,Riverside,concern_before:lighting,1",
        "neighborhood,Elm Park,not_contacted_90,0",
        "week,2026-11-02,followups_due,2",
        "week,2026-11-09,contacts:Dana Reyes,2",
        "week,2026-11-09,mean_tone,3.50",
        "week,2026-11-09,concern:speeding,1",
    ] {
        let row = quoted(row);
        assert!(csv.contains(&row), "{row:?} missing from:\n{csv}");
    }
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let rows = reader.records().collect::<Result<Vec<_>, _>>().unwrap();
    assert!(rows.iter().all(|r| r.len() == 4));
    let sections: std::collections::BTreeSet<&str> = rows.iter().map(|r| &r[0]).collect();
    assert_eq!(
        sections.into_iter().collect::<Vec<_>>(),
        ["neighborhood", "officer", "week"]
    );
}

#[test]
fn csv_cells_cannot_run_as_formulas() {
    let log = Log::new();
    let evil = log.officer("=HYPERLINK(\"http://x\",\"y\")", "+1", Role::Officer);
    log.hood("@SUM(A1)");
    log.contact(
        evil,
        C {
            at: nov(3, 10),
            note: "-2+3",
            ..C::default()
        },
    );
    let csv = to_csv(&log.report(november(), None));
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let rows = reader.records().collect::<Result<Vec<_>, _>>().unwrap();
    for r in &rows {
        for cell in r.iter() {
            assert!(
                !cell.starts_with(['=', '+', '-', '@']),
                "{cell:?} could run as a formula"
            );
        }
    }
    let names: Vec<&str> = rows.iter().map(|r| unprotect(&r[1])).collect();
    assert!(names.contains(&"=HYPERLINK(\"http://x\",\"y\")"));
    assert!(names.contains(&"@SUM(A1)"));
    assert!(rows
        .iter()
        .any(|r| &r[2] == "badge" && unprotect(&r[3]) == "+1"));
}

#[test]
fn json_carries_the_figures_as_numbers() {
    let s = squad();
    let json = to_json(&s.log.report(november(), None)).unwrap();
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["period"]["from"], "2026-11-02");
    assert_eq!(v["period"]["to"], "2026-11-29");
    assert_eq!(v["officers"][0]["name"], "Dana Reyes");
    assert_eq!(v["officers"][0]["contacts"], 4);
    assert_eq!(v["officers"][0]["tone"], serde_json::json!([1, 1, 0, 1, 1]));
    assert_eq!(v["officers"][0]["median_days_to_keep"], 2.0);
    assert_eq!(
        v["officers"][1]["median_days_to_keep"],
        serde_json::Value::Null
    );
    assert_eq!(v["neighborhoods"][1]["concerns"][0]["topic"], "lighting");
    assert_eq!(v["neighborhoods"][1]["concerns"][0]["now"], 2);
    assert_eq!(v["neighborhoods"][1]["concerns"][0]["before"], 1);
    assert_eq!(v["top_concerns"][0], "lighting");
    assert_eq!(v["weeks"][2]["followups_due"], 5);
    assert!(json.contains('\n'), "pretty-printed");
}

#[test]
fn entries_stay_with_the_officer_who_wrote_them_whoever_edits_them() {
    let s = squad();
    let before = s.log.report(november(), Some(s.sam));
    // Dana closes one of Sam's promises and corrects his contact's note.
    let sams: Vec<FollowUp> = s
        .log
        .store
        .all::<FollowUp>()
        .unwrap()
        .into_iter()
        .filter(|f| f.meta.author == s.sam && f.status.is_open())
        .collect();
    for mut f in sams {
        f.status = done(day(2026, 11, 24));
        s.log.store.save(f, s.log.dana).unwrap();
    }
    let mut c: Contact = s.log.store.get(s.sam_contact).unwrap().unwrap();
    c.note = "Corrected by Dana".into();
    let c = s.log.store.save(c, s.log.dana).unwrap();
    assert_eq!(c.meta.author, s.log.dana);
    assert_eq!(c.meta.owner(), s.sam);

    let after = s.log.report(november(), Some(s.sam));
    assert_eq!(after.officers[0].contacts, before.officers[0].contacts);
    assert_eq!(
        after.officers[0].followups_promised,
        before.officers[0].followups_promised
    );
}

#[test]
fn periods_out_of_range_are_refused_in_words() {
    let far = NaiveDate::from_ymd_opt(-262_143, 1, 1).unwrap();
    let err = Period::new(far, day(2026, 11, 25)).unwrap_err().to_string();
    assert!(err.contains("out of range"), "{err}");
    let err = Period::new(day(1950, 1, 1), day(2026, 11, 25))
        .unwrap_err()
        .to_string();
    assert!(err.contains("at most 25 years"), "{err}");
    assert!(Period::new(day(2001, 1, 1), day(2025, 12, 31)).is_ok());
}
