//! One squad, one set of names: a sergeant's log merged from Dana's and Ali's holds a
//! "Riverside" and a "noise" per officer, and every picker, filter and figure names each once;
//! people known to two officers are offered to merge by hand, and separated again.

use beatbook::model::{
    normalize_name, Contact, ContactKind, Id, Initiator, Meta, Neighborhood, Officer, Person,
    PersonRole, Tag, Tone,
};
use beatbook::query::review::{review_report, Period};
use beatbook::query::{search, LogFilter, SquadNames};
use beatbook::store::Store;
use beatbook::ui::command::{Command, Screen};
use chrono::{TimeZone, Utc};
use egui::accesskit::Role;
use egui_kittest::kittest::{NodeT, Queryable};

use crate::common::{app, click, day, key, press_ctrl, settle, squad, ws, App};

/// The records of a kind whose names fold to `name`, deleted or not.
fn records_named<R: beatbook::store::Stored>(
    store: &Store,
    name: &str,
    name_of: impl Fn(&R) -> &str,
) -> Vec<Id> {
    store
        .iter_all::<R>()
        .unwrap()
        .map(|r| r.unwrap())
        .filter(|r| normalize_name(name_of(r)) == normalize_name(name))
        .map(|r| r.meta().id)
        .collect()
}

/// The choices a drop-down shows while it is open, named `label` (the table and headings say
/// the same words as labels, not as choices).
fn choices_named(h: &App, label: &str) -> usize {
    h.query_all_by_label(label)
        .filter(|n| n.accesskit_node().role() != Role::Label)
        .count()
}

/// Clicks the drop-down labelled `combo` (not its label) and lets it open.
fn open_choices(h: &mut App, combo: &str) {
    h.query_all_by_label(combo)
        .find(|n| n.accesskit_node().role() != Role::Label)
        .unwrap()
        .click();
    settle(h);
}

/// Picks `option` in the drop-down that is open.
fn choose(h: &mut App, option: &str) {
    h.query_all_by_label(option)
        .find(|n| n.accesskit_node().role() != Role::Label)
        .unwrap()
        .click();
    settle(h);
}

#[test]
fn the_squad_s_log_folds_riverside_and_noise_everywhere() {
    let root = tempfile::tempdir().unwrap();
    let sam = squad(root.path());
    // The merged log holds one record per officer, and the app shows one name.
    let (hoods, noises, riverside_contacts, noise_contacts) = {
        let store = Store::open(&sam, &key()).unwrap();
        let hoods = records_named::<Neighborhood>(&store, "Riverside", |n| &n.name);
        let noises = records_named::<Tag>(&store, "noise", |t| &t.name);
        let contacts = store.all::<Contact>().unwrap();
        let in_riverside = contacts
            .iter()
            .filter(|c| hoods.contains(&c.neighborhood))
            .count();
        let noisy = contacts
            .iter()
            .filter(|c| c.tags.iter().any(|t| noises.contains(t)))
            .count();
        // Contacts in Riverside of both officers: Dana's and Ali's logs each made its own.
        let owners: std::collections::HashSet<Id> = contacts
            .iter()
            .filter(|c| hoods.contains(&c.neighborhood))
            .map(|c| c.neighborhood)
            .collect();
        assert!(owners.len() >= 2, "both officers' Riversides have contacts");
        (hoods, noises, in_riverside, noisy)
    };
    assert_eq!(hoods.len(), 3, "Dana's, Ali's and the sergeant's own");
    assert_eq!(noises.len(), 3);

    let mut h = app(&sam);
    let names = ws(&mut h).lookup.names.clone();
    let canon = names.canonical(hoods[1]);
    assert!(hoods.iter().all(|h| names.canonical(*h) == canon));

    // The Log's neighborhood filter lists Riverside once, and matches every officer's.
    click(&mut h, "Log");
    open_choices(&mut h, "Neighborhood");
    assert_eq!(choices_named(&h, "Riverside"), 1);
    choose(&mut h, "Riverside");
    assert!(
        h.query_by_label(&format!("{riverside_contacts} contacts match."))
            .is_some(),
        "every officer's Riverside contacts are counted"
    );
    // "All" is every drop-down's first choice: the filter is cleared directly.
    ws(&mut h).log.neighborhood = None;
    settle(&mut h);
    // The topic list names noise once; the filter is set as picking it does.
    let topics = &ws(&mut h).lookup.tags;
    assert_eq!(topics.iter().filter(|t| t.name == "noise").count(), 1);
    let noise = topics.iter().find(|t| t.name == "noise").unwrap().meta.id;
    ws(&mut h).log.tag = Some(noise);
    settle(&mut h);
    let matched = if noise_contacts == 1 {
        "1 contact matches.".to_string()
    } else {
        format!("{noise_contacts} contacts match.")
    };
    assert!(h.query_by_label(&matched).is_some(), "{matched}");

    // The same answer from the query, for every record of either name, from the store's
    // indexes and from the contact index.
    {
        let store = ws(&mut h).store.clone();
        for hood in &hoods {
            let f = LogFilter {
                neighborhood: Some(*hood),
                ..Default::default()
            };
            assert_eq!(search(&store, &f, 0).unwrap().total, riverside_contacts);
            let stored = beatbook::query::search_store(&store, &f, 0).unwrap();
            assert_eq!(stored.total, riverside_contacts);
        }
        for tag in &noises {
            let f = LogFilter {
                tag: Some(*tag),
                ..Default::default()
            };
            assert_eq!(search(&store, &f, 0).unwrap().total, noise_contacts);
            let stored = beatbook::query::search_store(&store, &f, 0).unwrap();
            assert_eq!(stored.total, noise_contacts);
        }
        // Both at once, with words too: the slow path reads the contacts.
        let f = LogFilter {
            neighborhood: Some(hoods[2]),
            text: "the".into(),
            ..Default::default()
        };
        assert_eq!(
            search(&store, &f, 0).unwrap().total,
            beatbook::query::search_store(&store, &f, 0).unwrap().total
        );

        // The review's figures: one Riverside row, counting every officer's contacts.
        let report = review_report(
            &store,
            Period::last_weeks(day(2026, 11, 25), 4),
            None,
            day(2026, 11, 25),
        )
        .unwrap();
        let rows: Vec<&str> = report
            .neighborhoods
            .iter()
            .map(|n| n.name.as_str())
            .filter(|n| normalize_name(n) == "riverside")
            .collect();
        assert_eq!(rows.len(), 1, "{rows:?}");
    }

    // The contact form's picker offers Riverside once.
    press_ctrl(&mut h, egui::Key::N);
    let form_hood = ws(&mut h).form.as_ref().unwrap().neighborhood;
    assert_eq!(form_hood.map(|h| names.canonical(h)), Some(canon));
    assert_eq!(
        form_hood,
        Some(canon),
        "the form starts on the canonical record"
    );
    h.key_press(egui::Key::Escape);
    settle(&mut h);
    assert!(ws(&mut h).form.is_none());

    // One Riverside on the Neighborhoods screen, whose page holds both officers' contacts.
    click(&mut h, "Neighborhoods");
    assert_eq!(choices_named(&h, "Riverside"), 1);
    h.query_all_by_label("Riverside")
        .find(|n| n.accesskit_node().role() != Role::Label)
        .unwrap()
        .click();
    settle(&mut h);
    assert!(h
        .query_by_label_contains("Spoke with parents at the school gate")
        .is_some());
    assert!(h
        .query_by_label_contains("Rosa says the alley light")
        .is_some());
}

#[test]
fn a_topic_typed_in_another_case_is_the_squad_s_topic() {
    let root = tempfile::tempdir().unwrap();
    let sam = squad(root.path());
    let mut h = app(&sam);
    let tags_before = ws(&mut h).store.count::<Tag>().unwrap();
    click(&mut h, "Settings");
    crate::common::focus(&mut h, "New topic");
    crate::common::type_text(&mut h, "  NOISE ");
    click(&mut h, "Add topic");
    let store = ws(&mut h).store.clone();
    assert_eq!(store.count::<Tag>().unwrap(), tags_before, "no new record");
    assert!(h
        .query_by_label_contains("There is already a topic called noise")
        .is_some());

    // In the contact form: the typed name takes the squad's topic.
    press_ctrl(&mut h, egui::Key::N);
    crate::common::type_text(&mut h, "Maria Lopez");
    crate::common::tab(&mut h, 1);
    crate::common::type_text(&mut h, "NOISE");
    crate::common::tab(&mut h, 1);
    crate::common::type_text(&mut h, "Music from the corner lot until 2am on Fridays.");
    press_ctrl(&mut h, egui::Key::Enter);
    assert!(ws(&mut h).form.is_none(), "saved");
    assert_eq!(store.count::<Tag>().unwrap(), tags_before, "no new record");
    let names = SquadNames::of(&store).unwrap();
    let noise = names.topic_named("noise").unwrap();
    let saved = store
        .all::<Contact>()
        .unwrap()
        .into_iter()
        .find(|c| c.note.starts_with("Music from the corner lot"))
        .unwrap();
    assert_eq!(saved.tags, vec![noise], "the canonical record is named");
}

/// Ali's own record of Rosa Delgado in the sergeant's log, with one contact: the same
/// resident Dana knows, written by another officer.
fn ali_knows_rosa(store: &Store) -> (Id, Id) {
    let ali = store
        .all::<Officer>()
        .unwrap()
        .into_iter()
        .find(|o| o.name == "Ali Khan")
        .unwrap()
        .meta
        .id;
    let dana_rosa = store
        .all::<Person>()
        .unwrap()
        .into_iter()
        .find(|p| p.name == "Rosa Delgado")
        .unwrap();
    let t = Utc.with_ymd_and_hms(2026, 11, 22, 11, 0, 0).unwrap();
    let rosa = store
        .save(
            Person {
                meta: Meta::new(store.new_id_at(t).unwrap(), ali, t),
                name: "rosa  delgado".into(),
                role: PersonRole::BusinessOwner,
                neighborhood: dana_rosa.neighborhood,
                notes: String::new(),
                consent: None,
            },
            ali,
        )
        .unwrap()
        .meta
        .id;
    store
        .save(
            Contact {
                meta: Meta::new(store.new_id_at(t).unwrap(), ali, t),
                at: t,
                neighborhood: dana_rosa.neighborhood.unwrap(),
                place: "Bakery".into(),
                kind: ContactKind::BusinessCheck,
                people: vec![rosa],
                unnamed: 0,
                initiated_by: Initiator::Resident,
                tags: vec![],
                tone: Tone::Warm,
                note: "Rosa asked Ali about the bakery's new awning permit.".into(),
            },
            ali,
        )
        .unwrap();
    (dana_rosa.meta.id, rosa)
}

#[test]
fn people_known_to_two_officers_are_merged_by_hand_and_separated_again() {
    let root = tempfile::tempdir().unwrap();
    let sam = squad(root.path());
    let (dana_rosa, ali_rosa) = ali_knows_rosa(&Store::open(&sam, &key()).unwrap());
    let mut h = app(&sam);
    let store = ws(&mut h).store.clone();
    ws(&mut h).apply(Command::Go(Screen::People));
    ws(&mut h).lookup.wait_for_people().unwrap();
    settle(&mut h);
    assert!(h.query_by_label("Possible duplicates (1)").is_some());
    click(&mut h, "Merge...");
    // The confirmation names both, with the officer who wrote each and their contacts.
    assert!(h
        .query_by_label_contains("Merge Rosa Delgado (Dana Reyes) with 2 contacts")
        .is_some());
    assert!(h
        .query_by_label_contains("rosa  delgado (Ali Khan) with 1 contact?")
        .is_some());
    assert!(
        store.person_links().unwrap().is_empty(),
        "nothing kept before Merge"
    );
    click(&mut h, "Merge");
    let links = store.person_links().unwrap();
    assert_eq!(links.len(), 1);
    assert!(links[0].same);
    assert_eq!(
        (links[0].a, links[0].b),
        (dana_rosa.min(ali_rosa), dana_rosa.max(ali_rosa))
    );
    // Neither record changed: each is still its officer's, as written.
    assert_eq!(
        store
            .get::<Person>(ali_rosa)
            .unwrap()
            .unwrap()
            .meta
            .revision,
        1
    );
    assert!(h.query_by_label("Possible duplicates (1)").is_none());
    // One Rosa in the list; her page lists the contacts of both records.
    let first = dana_rosa.min(ali_rosa);
    assert_eq!(ws(&mut h).lookup.people_matching("rosa"), vec![first]);
    ws(&mut h).apply(Command::OpenPerson(dana_rosa));
    settle(&mut h);
    assert!(h
        .query_by_label_contains("Rosa asked Ali about the bakery")
        .is_some());
    assert!(h
        .query_by_label_contains("Rosa says the alley light")
        .is_some());

    // Undone from the page: two people again, and offered again.
    click(&mut h, "Separate again");
    assert!(store.person_links().unwrap().is_empty());
    assert!(h
        .query_by_label_contains("Rosa asked Ali about the bakery")
        .is_none());
    ws(&mut h).apply(Command::Go(Screen::People));
    settle(&mut h);
    assert!(h.query_by_label("Possible duplicates (1)").is_some());

    // Two residents who share a name: the suggestion is dismissed, and kept dismissed.
    click(&mut h, "Not the same person");
    let links = store.person_links().unwrap();
    assert_eq!(links.len(), 1);
    assert!(!links[0].same);
    assert!(h.query_by_label("Possible duplicates (1)").is_none());
    assert_eq!(ws(&mut h).lookup.people_matching("rosa").len(), 2);
}
