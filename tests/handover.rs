//! The handover packet (query, text and PDF) and the printable review report.
//!
//! Set `BEATBOOK_PDF_OUT` to a folder to keep the PDFs these tests render, for a look at them.

use beatbook::model::{
    Contact, ContactDetails, ContactKind, FollowUp, FollowUpStatus, Id, Initiator, JournalNote,
    Meta, Neighborhood, Officer, Person, PersonRole, Role, Tag, Tone,
};
use beatbook::query::handover::{handover_packet, HandoverPacket, Promise};
use beatbook::query::review::{
    Behind, ConcernTrend, Figure, NeighborhoodFigures, OfficerFigures, Period, ReviewReport,
    WeekFigures,
};
use beatbook::report::handover::handover_text;
use beatbook::report::pdf::{handover_pdf, review_pdf};
use beatbook::store::Store;
use chrono::{DateTime, Duration, TimeZone, Utc};

use crate::common;
use crate::common::day;

/// Local time is UTC here, so "the last 90 days" and printed dates are the same everywhere.
fn utc() {
    static TZ: std::sync::Once = std::sync::Once::new();
    TZ.call_once(|| std::env::set_var("TZ", "UTC"));
}

fn at(m: u32, d: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, m, d, 15, 30, 0).unwrap()
}

struct Beat {
    store: Store,
    dana: Id,
    riverside: Id,
    riverside_too: Id,
    rosa: Id,
    tran: Id,
    ana: Id,
    zed: Id,
    promises: [Id; 5],
    journal: [Id; 2],
}

/// Two officers' logs merged: "Riverside" exists twice, next to "Elm Park".
fn beat(dir: &std::path::Path) -> Beat {
    utc();
    let (dana, riverside) = common::set_up(dir);
    let store = Store::open(dir, &common::key()).unwrap();
    let meta = |t: DateTime<Utc>, by: Id| Meta::new(store.new_id_at(t).unwrap(), by, t);
    let sam_meta = meta(at(1, 5), dana);
    let sam = sam_meta.id;
    store
        .save(
            Officer {
                meta: Meta {
                    author: sam,
                    ..sam_meta
                },
                name: "Sam Okafor".into(),
                badge: "5120".into(),
                role: Role::Officer,
            },
            sam,
        )
        .unwrap();
    let hood = |name: &str| {
        store
            .save(
                Neighborhood {
                    meta: meta(at(1, 6), sam),
                    name: name.into(),
                },
                sam,
            )
            .unwrap()
            .meta
            .id
    };
    let riverside_too = hood("  riverside ");
    let elm = hood("Elm Park");

    let person = |name: &str, role, hood: Option<Id>, consent, deleted| {
        let mut p = Person {
            meta: meta(at(2, 1), dana),
            name: name.into(),
            role,
            neighborhood: hood,
            notes: String::new(),
            consent,
        };
        if name == "Rosa Delgado" {
            p.notes = "Chairs the merchants' association.".into();
        }
        let id = store.save(p, dana).unwrap().meta.id;
        if deleted {
            store.delete::<Person>(id, dana).unwrap();
        }
        id
    };
    let rosa = person(
        "Rosa Delgado",
        PersonRole::BusinessOwner,
        Some(riverside),
        Some(ContactDetails {
            agreed_on: Some(day(2026, 3, 1)),
            phone: "555-0101".into(),
            email: "rosa@example.org".into(),
            address: "12 Elm St".into(),
        }),
        false,
    );
    let tran = person(
        "Mr. Tran",
        PersonRole::BlockCaptain,
        Some(riverside_too),
        Some(ContactDetails {
            phone: "555-0199".into(),
            ..Default::default()
        }),
        false,
    );
    let ana = person(
        "Ana Lima",
        PersonRole::Resident,
        Some(riverside),
        None,
        false,
    );
    let zed = person("Zed", PersonRole::Youth, Some(riverside_too), None, false);
    person(
        "Gone Person",
        PersonRole::Resident,
        Some(riverside),
        None,
        true,
    );
    let park = person("Mr. Park", PersonRole::FaithLeader, Some(elm), None, false);
    person("Nowhere", PersonRole::Resident, None, None, false);

    let tags = store.all::<Tag>().unwrap();
    let tag = |n: &str| tags.iter().find(|t| t.name == n).unwrap().meta.id;
    // A second "lighting" topic from the other log.
    let lighting_too = store
        .save(
            Tag {
                meta: meta(at(1, 7), sam),
                name: "lighting ".into(),
            },
            sam,
        )
        .unwrap()
        .meta
        .id;
    let contact = |t, hood, people: Vec<Id>, tags: Vec<Id>, by: Id| {
        let c = Contact {
            meta: meta(t, by),
            at: t,
            neighborhood: hood,
            place: "Main St".into(),
            kind: ContactKind::Conversation,
            unnamed: u32::from(people.is_empty()),
            people,
            initiated_by: Initiator::Resident,
            tags,
            tone: Tone::Friendly,
            note: "Talked.".into(),
        };
        store.save(c, by).unwrap().meta.id
    };
    contact(
        at(10, 1),
        riverside,
        vec![rosa],
        vec![tag("lighting")],
        dana,
    );
    contact(
        at(11, 10),
        riverside_too,
        vec![tran],
        vec![tag("lighting"), tag("noise")],
        sam,
    );
    contact(
        at(11, 20),
        riverside,
        vec![rosa, tran],
        vec![tag("noise"), lighting_too, tag("lighting")],
        sam,
    );
    contact(
        at(11, 24),
        riverside_too,
        vec![rosa],
        vec![tag("parking")],
        dana,
    );
    // Older than 90 days: counts as a contact, not as a recent concern.
    contact(at(7, 1), riverside, vec![tran], vec![tag("parking")], dana);
    contact(at(11, 15), elm, vec![park], vec![tag("noise")], dana);
    let gone = contact(at(11, 16), riverside, vec![], vec![tag("noise")], dana);
    store.delete::<Contact>(gone, dana).unwrap();

    let follow = |promise: &str, person, hood, due, status, by: Id, deleted| {
        let f = FollowUp {
            meta: meta(at(11, 1), by),
            promise: promise.into(),
            person,
            contact: None,
            neighborhood: hood,
            due,
            status,
            waiting_on: None,
        };
        let id = store.save(f, by).unwrap().meta.id;
        if deleted {
            store.delete::<FollowUp>(id, by).unwrap();
        }
        id
    };
    let open = FollowUpStatus::Open;
    let flyers = follow(
        "Bring crime-prevention flyers",
        Some(rosa),
        riverside,
        day(2026, 11, 27),
        open.clone(),
        dana,
        false,
    );
    let survey = follow(
        "Ask traffic about a speed survey",
        Some(tran),
        riverside_too,
        day(2026, 11, 17),
        open.clone(),
        sam,
        false,
    );
    let permit = follow(
        "Check the sidewalk cafe permit",
        Some(rosa),
        riverside_too,
        day(2026, 11, 20),
        open.clone(),
        sam,
        false,
    );
    follow(
        "Report the alley light",
        Some(tran),
        riverside,
        day(2026, 11, 5),
        FollowUpStatus::Done {
            on: day(2026, 11, 4),
            outcome: "Reported.".into(),
        },
        dana,
        false,
    );
    let cleanup = follow(
        "Organize the park clean-up",
        None,
        riverside,
        day(2026, 12, 5),
        open.clone(),
        dana,
        false,
    );
    let visit = follow(
        "Visit the church food pantry",
        Some(park),
        riverside,
        day(2026, 12, 1),
        open.clone(),
        dana,
        false,
    );
    follow(
        "Deleted promise",
        None,
        riverside,
        day(2026, 11, 1),
        open.clone(),
        dana,
        true,
    );
    follow(
        "Elm Park promise",
        None,
        elm,
        day(2026, 11, 1),
        open,
        dana,
        false,
    );

    let note = |hood, date, text: &str, deleted| {
        let n = JournalNote {
            meta: meta(at(11, 2), dana),
            neighborhood: hood,
            date,
            text: text.into(),
        };
        let id = store.save(n, dana).unwrap().meta.id;
        if deleted {
            store.delete::<JournalNote>(id, dana).unwrap();
        }
        id
    };
    let merchants = note(
        riverside,
        day(2026, 11, 12),
        "Merchants meet the second Thursday at the library.",
        false,
    );
    let party = note(
        riverside_too,
        day(2026, 11, 20),
        "Block party planned for December 12.",
        false,
    );
    note(riverside, day(2026, 11, 22), "Deleted note", true);
    note(elm, day(2026, 11, 23), "Elm Park note", false);
    for i in 0..21 {
        note(
            riverside_too,
            day(2026, 1, 1) + Duration::days(i),
            &format!("Old note {i}"),
            false,
        );
    }

    Beat {
        store,
        dana,
        riverside,
        riverside_too,
        rosa,
        tran,
        ana,
        zed,
        promises: [permit, flyers, survey, visit, cleanup],
        journal: [party, merchants],
    }
}

fn packet(dir: &std::path::Path) -> (Beat, HandoverPacket) {
    let b = beat(dir);
    let p = handover_packet(&b.store, b.riverside, b.dana, day(2026, 11, 25)).unwrap();
    (b, p)
}

fn ids(promises: &[Promise]) -> Vec<Id> {
    promises.iter().map(|p| p.id).collect()
}

#[test]
fn packet_gathers_every_record_of_the_same_name() {
    let dir = tempfile::tempdir().unwrap();
    let (b, p) = packet(dir.path());
    assert_eq!(p.neighborhood, "Riverside");
    assert_eq!(p.prepared_on, day(2026, 11, 25));
    assert_eq!(p.prepared_by, "Dana Reyes");

    let people: Vec<Id> = p.people.iter().map(|x| x.id).collect();
    assert_eq!(people, vec![b.rosa, b.tran, b.ana, b.zed]);

    let rosa = &p.people[0];
    assert_eq!(rosa.name, "Rosa Delgado");
    assert_eq!(rosa.role, PersonRole::BusinessOwner);
    assert_eq!(rosa.last_contact, Some(at(11, 24)));
    assert_eq!(rosa.last_officer.as_deref(), Some("Dana Reyes"));
    assert_eq!(rosa.contacts, 3);
    assert_eq!(
        rosa.reach_by.as_deref(),
        Some("555-0101, rosa@example.org"),
        "phone and email only, never the address"
    );
    assert_eq!(rosa.notes, "Chairs the merchants' association.");
    assert_eq!(ids(&rosa.open_promises), b.promises[..2].to_vec());
    assert!(rosa.open_promises[0].overdue);
    assert!(!rosa.open_promises[1].overdue);
    assert_eq!(rosa.open_promises[0].officer, "Sam Okafor");
    assert_eq!(rosa.open_promises[1].officer, "Dana Reyes");

    let tran = &p.people[1];
    assert_eq!(tran.last_contact, Some(at(11, 20)));
    assert_eq!(tran.last_officer.as_deref(), Some("Sam Okafor"));
    assert_eq!(tran.contacts, 3);
    assert_eq!(tran.reach_by.as_deref(), Some("555-0199"));
    assert_eq!(ids(&tran.open_promises), vec![b.promises[2]]);
    assert!(tran.open_promises[0].overdue);

    for never in &p.people[2..] {
        assert_eq!(never.last_contact, None);
        assert_eq!(never.last_officer, None);
        assert_eq!(never.contacts, 0);
        assert_eq!(never.reach_by, None, "no consent, no way to reach");
        assert!(never.open_promises.is_empty());
    }

    assert_eq!(
        ids(&p.unassigned_promises),
        b.promises[3..].to_vec(),
        "promises to nobody, or to someone from elsewhere, earliest due first"
    );
    assert!(p.unassigned_promises.iter().all(|x| !x.overdue));

    assert_eq!(p.journal.len(), 20, "at most 20 notes");
    assert_eq!(p.journal[0].meta.id, b.journal[0]);
    assert_eq!(p.journal[1].meta.id, b.journal[1]);
    assert!(p.journal.windows(2).all(|w| w[0].date >= w[1].date));
    assert_eq!(p.journal[19].text, "Old note 3", "the oldest are left out");

    assert_eq!(
        p.recurring_concerns,
        vec![("lighting".to_string(), 3), ("noise".to_string(), 2)],
        "topics of the same name count once per contact; old and deleted contacts do not count"
    );

    let same = handover_packet(&b.store, b.riverside_too, b.dana, day(2026, 11, 25)).unwrap();
    assert_eq!(same.people, p.people, "either record gives the same packet");
    assert_eq!(same.neighborhood, "riverside");
}

#[test]
fn concerns_need_two_recent_contacts() {
    let dir = tempfile::tempdir().unwrap();
    let b = beat(dir.path());
    // By March every autumn contact is more than 90 days old.
    let later = handover_packet(&b.store, b.riverside, b.dana, day(2027, 3, 1)).unwrap();
    assert!(later.recurring_concerns.is_empty());
    assert!(later.people[0].open_promises.iter().all(|p| p.overdue));
    let unknown = handover_packet(&b.store, b.rosa, b.dana, day(2026, 11, 25));
    assert!(unknown.is_err(), "a person is not a neighborhood");
}

#[test]
fn text_lists_people_promises_notes_and_concerns_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let (_, p) = packet(dir.path());
    let text = handover_text(&p);
    let expected = [
        "HANDOVER PACKET: Riverside",
        "Prepared on 25 Nov 2026 by Dana Reyes",
        "4 people, 5 open promises (2 overdue)",
        "PEOPLE",
        "Rosa Delgado (Business owner)",
        "Last contact: 24 Nov 2026 by Dana Reyes; 3 contacts in all",
        "Reach by: 555-0101, rosa@example.org",
        "Notes: Chairs the merchants' association.",
        "Check the sidewalk cafe permit (OVERDUE, was due 20 Nov 2026; promised by Sam Okafor)",
        "Bring crime-prevention flyers (due 27 Nov 2026; promised by Dana Reyes)",
        "Mr. Tran (Block captain)",
        "Ana Lima (Resident)",
        "Last contact: never; 0 contacts in all",
        "Reach by: no consent to be contacted on record",
        "Zed (Youth)",
        "OPEN PROMISES NOT TIED TO A PERSON ABOVE",
        "Visit the church food pantry (due 1 Dec 2026",
        "Organize the park clean-up (due 5 Dec 2026",
        "JOURNAL",
        "20 Nov 2026: Block party planned for December 12.",
        "12 Nov 2026: Merchants meet the second Thursday at the library.",
        "RECURRING CONCERNS",
        "- lighting: raised in 3 contacts",
        "- noise: raised in 2 contacts",
    ];
    let mut from = 0;
    for want in expected {
        let found = text[from..].find(want);
        assert!(found.is_some(), "missing or out of order: {want}\n{text}");
        from += found.unwrap_or(0) + want.len();
    }
    assert!(!text.contains("12 Elm St"), "addresses are not handed over");
    assert!(!text.contains("Gone Person") && !text.contains("Elm Park"));
}

// ---------------------------------------------------------------------------------------------
// PDFs

fn page_count(pdf: &[u8]) -> usize {
    let needle = b"/Type /Page";
    pdf.windows(needle.len() + 1)
        .filter(|w| w.starts_with(needle) && w[needle.len()] != b's')
        .count()
}

fn contains(pdf: &[u8], text: &str) -> bool {
    pdf.windows(text.len()).any(|w| w == text.as_bytes())
}

fn check_pdf(pdf: &[u8], pages: usize, name: &str) {
    assert!(pdf.starts_with(b"%PDF-"));
    assert!(pdf.ends_with(b"%%EOF"));
    assert_eq!(page_count(pdf), pages, "{name}");
    for n in 1..=pages {
        assert!(contains(pdf, &format!("(Page {n} of {pages})")), "{name}");
    }
    if let Some(out) = std::env::var_os("BEATBOOK_PDF_OUT") {
        std::fs::write(std::path::Path::new(&out).join(name), pdf).unwrap();
    }
}

fn fig(value: usize) -> Figure {
    Figure {
        value,
        behind: Behind::Contacts,
        ids: Vec::new(),
    }
}

fn officer(i: usize, name: &str) -> OfficerFigures {
    let n = |k: usize| fig((i * 7 + k * 3) % 23);
    OfficerFigures {
        officer: Id(i as u128 + 1),
        name: name.into(),
        badge: format!("{}", 4100 + i),
        contacts: n(1),
        people_reached: n(2),
        people_seen_again: n(3),
        neighborhoods_covered: fig(i % 4 + 1),
        meetings_and_events: n(4),
        started_by_resident: n(5),
        started_by_officer: n(6),
        tone: [fig(i % 2), fig(2), fig(5 + i % 3), fig(9), fig(4 + i)],
        followups_promised: n(7),
        kept_on_time: n(8),
        kept_late: fig(1),
        overdue: fig(i % 3),
        median_days_to_keep: if i.is_multiple_of(2) {
            Some(2.5 + i as f64)
        } else {
            None
        },
        thin_notes: fig(i % 2),
    }
}

fn neighborhood(i: usize, name: &str) -> NeighborhoodFigures {
    NeighborhoodFigures {
        name: name.into(),
        ids: Vec::new(),
        contacts: fig(10 + i * 4),
        not_contacted_30: fig(3 + i),
        not_contacted_60: fig(2),
        not_contacted_90: fig(i % 2),
        reach: PersonRole::ALL
            .iter()
            .enumerate()
            .map(|(k, r)| (*r, fig((k * (i + 2)) % 5)))
            .collect(),
        concerns: ["noise", "speeding", "lighting", "graffiti"][..i + 1]
            .iter()
            .enumerate()
            .map(|(k, t)| ConcernTrend {
                topic: t.to_string(),
                now: fig(6 - k),
                before: (k * 3 + i) % 7,
            })
            .collect(),
    }
}

fn report(officers: Vec<OfficerFigures>, weeks: usize) -> ReviewReport {
    let concerns: Vec<String> = ["noise", "speeding", "lighting"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let start = day(2026, 10, 12);
    let weeks = (0..weeks)
        .map(|w| WeekFigures {
            start: start + Duration::weeks(w as i64),
            contacts_by_officer: (0..officers.len())
                .map(|o| fig((o * 5 + w * 3) % 11 + 1))
                .collect(),
            followups_due: fig(3 + w % 4),
            kept_on_time: fig(2 + w % 3),
            mean_tone: if w == 2 {
                None
            } else {
                Some(2.5 + w as f64 * 0.3)
            },
            concerns: (0..concerns.len()).map(|k| fig((w + k * 2) % 6)).collect(),
        })
        .collect::<Vec<_>>();
    let to = start + Duration::weeks(weeks.len() as i64) - Duration::days(1);
    ReviewReport {
        period: Period { from: start, to },
        officer: None,
        today: day(2026, 11, 25),
        neighborhoods: vec![
            neighborhood(0, "Riverside"),
            neighborhood(1, "Elm Park"),
            neighborhood(2, "Old Town"),
            neighborhood(3, "Harbor View"),
        ],
        officers,
        top_concerns: concerns,
        weeks,
        problems: Default::default(),
    }
}

#[test]
fn handover_pdf_prints_the_packet() {
    let dir = tempfile::tempdir().unwrap();
    let (_, p) = packet(dir.path());
    let pdf = handover_pdf(&p);
    check_pdf(&pdf, 2, "handover.pdf");
    for text in [
        "(Handover packet: Riverside)",
        "(Rosa Delgado)",
        "(rosa@example.org)",
        "(OVERDUE)",
        "(lighting)",
        "(Block party planned for December 12.)",
    ] {
        assert!(contains(&pdf, text), "{text}");
    }
    assert!(!contains(&pdf, "12 Elm St"));
    assert_eq!(
        pdf,
        handover_pdf(&p),
        "the same packet prints the same bytes"
    );
}

#[test]
fn review_pdf_has_cover_charts_officers_and_neighborhoods() {
    utc();
    let r = report(
        vec![
            officer(0, "Dana Reyes"),
            officer(1, "Sam Okafor"),
            officer(2, "Lee Chen"),
        ],
        6,
    );
    let pdf = review_pdf(&r);
    check_pdf(&pdf, 5, "review.pdf");
    for text in [
        "(Sergeant's review)",
        "(Contacts per week, by officer)",
        "(Mean tone per week)",
        "(Officers)",
        "(Lee Chen (badge 4102))",
        "(Harbor View)",
        "(0  gap)",
    ] {
        assert!(contains(&pdf, text), "{text}");
    }
    assert_eq!(pdf, review_pdf(&r));
}

#[test]
fn empty_review_prints_three_pages() {
    let r = ReviewReport {
        period: Period {
            from: day(2026, 11, 1),
            to: day(2026, 11, 30),
        },
        officer: None,
        today: day(2026, 11, 25),
        officers: vec![],
        neighborhoods: vec![],
        top_concerns: vec![],
        weeks: vec![],
        problems: Default::default(),
    };
    let pdf = review_pdf(&r);
    check_pdf(&pdf, 3, "review-empty.pdf");
    assert!(contains(&pdf, "(No officer is in this report.)"));
}

#[test]
fn a_big_squad_runs_to_many_pages() {
    let officers = (0..300)
        .map(|i| officer(i, &format!("Officer {i:03}")))
        .collect();
    let mut r = report(officers, 13);
    r.weeks[4].contacts_by_officer.truncate(10);
    let pdf = review_pdf(&r);
    let pages = page_count(&pdf);
    assert!(pages > 40, "{pages} pages");
    check_pdf(&pdf, pages, "review-300.pdf");
}

#[test]
fn odd_input_never_panics() {
    utc();
    let long = "W".repeat(400);
    let mut r = report(
        vec![
            officer(0, "Иван Петров"),
            officer(1, "東京 太郎"),
            officer(2, &long),
            officer(3, "Zoë O'Brien (night) \\ {shift}"),
        ],
        60,
    );
    r.officer = Some(Id(2));
    r.weeks[0].mean_tone = Some(f64::NAN);
    r.weeks[1].mean_tone = Some(99.0);
    r.weeks[3].concerns.clear();
    r.officers[0].median_days_to_keep = Some(f64::INFINITY);
    r.officers[1].contacts = fig(usize::MAX);
    r.top_concerns = (0..9).map(|i| format!("концерн {i} {long}")).collect();
    r.neighborhoods[0].name = "Микрорайон ".repeat(40);
    r.neighborhoods[1].reach.clear();
    r.neighborhoods[2].concerns[0].topic = long.clone();
    let pdf = review_pdf(&r);
    let pages = page_count(&pdf);
    check_pdf(&pdf, pages, "review-odd.pdf");
    // Text beyond ASCII is written as a hex string of WinAnsi bytes: "ë" is EB.
    let hex: String = "Zo\u{eb} O'Brien (night) \\ {shift} (badge 4103)"
        .chars()
        .map(|c| format!("{:02X}", u32::from(c)))
        .collect();
    assert!(contains(&pdf, &format!("<{hex}>")));

    let dir = tempfile::tempdir().unwrap();
    let (_, mut p) = packet(dir.path());
    p.neighborhood = "Старый город 旧市街".into();
    p.people[0].name = long.clone();
    p.people[0].notes = "note ".repeat(5000);
    p.journal[0].text = format!("{}\n\n{}", "x".repeat(20_000), "Ünïcödé ✓ done");
    p.unassigned_promises[0].promise = long;
    let pdf = handover_pdf(&p);
    let pages = page_count(&pdf);
    check_pdf(&pdf, pages, "handover-odd.pdf");

    let empty = HandoverPacket {
        neighborhood: String::new(),
        prepared_on: day(2026, 11, 25),
        prepared_by: String::new(),
        people: vec![],
        unassigned_promises: vec![],
        priorities: vec![],
        problems: vec![],
        journal: vec![],
        recurring_concerns: vec![],
    };
    check_pdf(&handover_pdf(&empty), 1, "handover-empty.pdf");
    assert!(handover_text(&empty).contains("No people are recorded"));
}
