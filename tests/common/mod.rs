//! Shared set-up for the app tests: a store in a temporary folder and the real app around it.
#![allow(dead_code)]

pub mod s3;

use std::path::Path;

use beatbook::model::{
    Contact, ContactKind, FollowUp, FollowUpStatus, Id, Initiator, JournalNote, Meta, Person,
    PersonRole, Role, Tag, Tone,
};
use beatbook::store::{KdfCost, Passphrase, Store};
use beatbook::ui::command::Screen;
use beatbook::ui::workspace::Workspace;
use beatbook::ui::BeatbookApp;
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use egui::Key;
use egui_kittest::kittest::Queryable;
use egui_kittest::Harness;

/// The app under test.
pub type App = Harness<'static, BeatbookApp>;

/// The passphrase of every test log.
pub const PASSPHRASE: &str = "Riverside-Beat-2026";

/// The test logs' passphrase, cheap to derive (test logs need no protection from guessing).
pub fn key() -> Passphrase {
    Passphrase::new(PASSPHRASE).with_cost(KdfCost::MINIMAL)
}

/// The squad passphrase of every test log, which seals the bundles between them.
pub const SQUAD_PASSPHRASE: &str = "Squad-Elm-Park-7";

pub fn squad_key() -> Passphrase {
    Passphrase::new(SQUAD_PASSPHRASE).with_cost(KdfCost::MINIMAL)
}

/// Gives the log the squad passphrase, as the sergeant hands it to the squad.
pub fn join_squad(store: &Store) {
    if store.squad_passphrase().unwrap().is_none() {
        store.set_squad_passphrase(&squad_key()).unwrap();
    }
}

/// The moment the tests pretend it is: Wednesday 25 November 2026, 10:00 UTC.
pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, 10, 0, 0).unwrap()
}

pub fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// Ctrl on Linux and Windows, Cmd on macOS, as egui's shortcuts expect.
pub fn ctrl() -> egui::Modifiers {
    egui::Modifiers::COMMAND | egui::Modifiers::CTRL
}

/// The app on the store in `dir`, with the clock frozen at [`now`].
pub fn app(dir: &Path) -> Harness<'static, BeatbookApp> {
    // A new log is created (protected by the test passphrase) before the app opens it; one
    // that is there is left as it is, damaged or in use.
    if !dir.is_file() && !dir.join("store").exists() {
        drop(Store::open(dir, &key()).unwrap());
    }
    let mut harness = locked_app(dir);
    if harness.state_mut().lock_screen().is_some() {
        unlock(&mut harness, PASSPHRASE);
    }
    if let Some(w) = harness.state_mut().workspace() {
        w.fixed_now = Some(now());
        // Tests start once the day's backup (taken beside the UI) is done.
        w.wait_for_background_work();
    }
    harness.run();
    harness
}

/// The app on the log in `dir` as it starts: at its lock screen (or the failure screen).
pub fn locked_app(dir: &Path) -> App {
    locked_app_on(dir, Screen::Today)
}

/// [`locked_app`], remembering `screen` from an earlier run.
pub fn locked_app_on(dir: &Path, screen: Screen) -> App {
    // Local time is UTC in tests so dates render the same on every machine. Set once per
    // test binary; chrono reads TZ through std's environment lock.
    static TZ: std::sync::Once = std::sync::Once::new();
    TZ.call_once(|| std::env::set_var("TZ", "UTC"));
    let dir = dir.to_path_buf();
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1200.0, 820.0))
        .build_eframe(move |_cc| BeatbookApp::open(dir, screen));
    harness.state_mut().fixed_now = Some(now());
    // The log opens beside the lock screen: tests start once it is open (or failed to).
    if let Some(lock) = harness.state_mut().lock_screen() {
        lock.wait();
    }
    harness.run();
    harness
}

/// Types the passphrase on the lock screen and waits for the unlock.
pub fn unlock(harness: &mut App, passphrase: &str) {
    type_secret(harness, "Passphrase", passphrase);
    harness.key_press(Key::Enter);
    // One frame: the unlock runs beside the UI, which shows a spinner meanwhile.
    harness.step();
    wait_for_unlock(harness);
}

/// Types into the hidden field labelled `label`.
pub fn type_secret(harness: &mut App, label: &str, text: &str) {
    harness.get_by_label(label).focus();
    harness.run();
    harness.get_by_label(label).type_text(text);
    harness.run();
}

/// Lets an unlock attempt in progress finish and the next frames show its outcome.
pub fn wait_for_unlock(harness: &mut App) {
    if let Some(lock) = harness.state_mut().lock_screen() {
        lock.wait();
    }
    settle(harness);
    if let Some(w) = harness.state_mut().workspace() {
        w.fixed_now = Some(now());
    }
    settle(harness);
}

pub fn ws<'a>(h: &'a mut Harness<'static, BeatbookApp>) -> &'a mut Workspace {
    h.state_mut()
        .workspace()
        .expect("the app should be past onboarding")
}

/// A store set up for Officer Dana Reyes with the beat "Riverside"; returns her id and the beat's.
pub fn set_up(dir: &Path) -> (Id, Id) {
    let store = Store::open(dir, &key()).unwrap();
    let profile = store
        .set_up("Dana Reyes", "4127", Role::Officer, "Riverside")
        .unwrap();
    join_squad(&store);
    (profile.officer, profile.last_neighborhood.unwrap())
}

/// A small, fixed neighborhood history: two people, three contacts, journal notes and follow-ups.
pub struct Seeded {
    pub officer: Id,
    pub riverside: Id,
    pub elm_park: Id,
    pub rosa: Id,
    pub mr_tran: Id,
    pub contacts: Vec<Id>,
    pub overdue: Id,
}

pub fn seed(dir: &Path) -> Seeded {
    let (officer, riverside) = set_up(dir);
    let store = Store::open(dir, &key()).unwrap();
    let at = |d: u32, h: u32| Utc.with_ymd_and_hms(2026, 11, d, h, 15, 0).unwrap();
    let meta = |t: DateTime<Utc>| Meta::new(store.new_id_at(t).unwrap(), officer, t);
    let elm_park = store
        .save(
            beatbook::model::Neighborhood {
                meta: meta(at(1, 8)),
                name: "Elm Park".into(),
            },
            officer,
        )
        .unwrap()
        .meta
        .id;
    let person = |name: &str, role, hood| Person {
        meta: meta(at(2, 8)),
        name: name.into(),
        role,
        neighborhood: Some(hood),
        notes: String::new(),
        consent: None,
    };
    let rosa = store
        .save(
            person("Rosa Delgado", PersonRole::BusinessOwner, riverside),
            officer,
        )
        .unwrap()
        .meta
        .id;
    let mr_tran = store
        .save(
            person("Mr. Tran", PersonRole::BlockCaptain, elm_park),
            officer,
        )
        .unwrap()
        .meta
        .id;
    let tags = store.all::<Tag>().unwrap();
    let tag = |n: &str| tags.iter().find(|t| t.name == n).unwrap().meta.id;
    let contact = |t, hood, people: Vec<Id>, kind, tags: Vec<Id>, tone, note: &str| Contact {
        meta: meta(t),
        at: t,
        neighborhood: hood,
        place: "Elm St & 5th".into(),
        kind,
        people,
        unnamed: 0,
        initiated_by: Initiator::Resident,
        tags,
        tone,
        note: note.into(),
    };
    let c1 = store
        .save(
            contact(
                at(3, 9),
                riverside,
                vec![rosa],
                ContactKind::BusinessCheck,
                vec![tag("lighting")],
                Tone::Friendly,
                "Rosa says the alley light behind the bakery is out again.",
            ),
            officer,
        )
        .unwrap();
    let c2 = store
        .save(
            contact(
                at(10, 17),
                elm_park,
                vec![mr_tran],
                ContactKind::CommunityMeeting,
                vec![tag("speeding"), tag("noise")],
                Tone::Guarded,
                "Block meeting: speeding on Oak Ave, loud car meetups on Fridays.",
            ),
            officer,
        )
        .unwrap();
    let c3 = store
        .save(
            contact(
                at(24, 14),
                riverside,
                vec![rosa],
                ContactKind::FollowUpVisit,
                vec![tag("lighting")],
                Tone::Warm,
                "Told Rosa public works fixed the light. She was glad.",
            ),
            officer,
        )
        .unwrap();
    let follow = |promise: &str, person, hood, contact: Id, due, status| FollowUp {
        meta: meta(at(3, 9)),
        promise: promise.into(),
        person: Some(person),
        contact: Some(contact),
        neighborhood: hood,
        due,
        status,
        waiting_on: None,
    };
    let overdue = store
        .save(
            follow(
                "Ask traffic unit about a speed survey on Oak Ave",
                mr_tran,
                elm_park,
                c2.meta.id,
                day(2026, 11, 17),
                FollowUpStatus::Open,
            ),
            officer,
        )
        .unwrap()
        .meta
        .id;
    store
        .save(
            follow(
                "Report the alley light to public works",
                rosa,
                riverside,
                c1.meta.id,
                day(2026, 11, 6),
                FollowUpStatus::Done {
                    on: day(2026, 11, 5),
                    outcome: "Reported, ticket 4471; fixed on the 20th.".into(),
                },
            ),
            officer,
        )
        .unwrap();
    store
        .save(
            follow(
                "Bring crime-prevention flyers for the bakery",
                rosa,
                riverside,
                c3.meta.id,
                day(2026, 11, 27),
                FollowUpStatus::Open,
            ),
            officer,
        )
        .unwrap();
    store
        .save(JournalNote { meta: meta(at(12, 20)), neighborhood: riverside, date: day(2026, 11, 12), text: "Merchants' association meets the second Thursday at the library. Rosa chairs it.".into() }, officer)
        .unwrap();
    Seeded {
        officer,
        riverside,
        elm_park,
        rosa,
        mr_tran,
        contacts: vec![c1.meta.id, c2.meta.id, c3.meta.id],
        overdue,
    }
}

/// A log set up for Dana Reyes with `n` contacts an hour apart (the newest now); their ids.
pub fn log_with_contacts(dir: &Path, n: usize) -> Vec<Id> {
    let store = Store::open(dir, &key()).unwrap();
    let p = store
        .set_up("Dana Reyes", "4127", Role::Officer, "Riverside")
        .unwrap();
    (0..n)
        .map(|i| {
            let at = Utc::now() - chrono::Duration::hours(i as i64);
            let c = Contact {
                meta: Meta::new(store.new_id_at(at).unwrap(), p.officer, at),
                at,
                neighborhood: p.last_neighborhood.unwrap(),
                place: format!("Block {i}"),
                kind: ContactKind::Conversation,
                people: vec![],
                unnamed: 2,
                initiated_by: Initiator::Resident,
                tags: vec![],
                tone: Tone::Warm,
                note: format!("Porch talk number {i}, +1 555 0100 asked to be called back."),
            };
            store.save(c, p.officer).unwrap().meta.id
        })
        .collect()
}

/// Whether a replaced log was kept aside in the data folder (as `store.replaced-<time>`).
pub fn replaced_log_kept(dir: &Path) -> bool {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(Result::ok)
        .any(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("store.replaced-")
        })
}

/// Copies a folder tree (a store fixture).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &to.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

/// Damages a log the way a disk fault does: cuts sled's log file short and drops its
/// snapshots, so the newest saves are gone.
pub fn cut_log_short(dir: &Path) {
    std::fs::OpenOptions::new()
        .write(true)
        .open(dir.join("store").join("db"))
        .unwrap()
        .set_len(4096)
        .unwrap();
    for e in std::fs::read_dir(dir.join("store")).unwrap() {
        let p = e.unwrap().path();
        if p.file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("snap.")
        {
            std::fs::remove_file(p).unwrap();
        }
    }
}

pub fn press_ctrl(h: &mut App, key: Key) {
    h.key_press_modifiers(ctrl(), key);
    settle(h);
}

pub fn type_text(h: &mut App, text: &str) {
    h.event(egui::Event::Text(text.into()));
    settle(h);
}

/// Clicks the widget with this label and lets the app react. Like a person, it first scrolls
/// the widget into view (a long page such as Settings goes past the window's edge).
pub fn click(h: &mut App, label: &str) {
    scroll_into_view(h, label);
    h.get_by_label(label).click();
    settle(h);
}

/// Scrolls the page until the widget with this label is in view.
pub fn scroll_into_view(h: &mut App, label: &str) {
    h.get_by_label(label).scroll_to_me();
    let _ = h.try_run();
}

/// Runs frames until the app settles. A save makes the screens work out their figures and
/// lists again beside the UI; that work can land some frames later, so it is waited for (a UI
/// that never settles still fails).
pub fn settle(h: &mut App) {
    let _ = h.try_run();
    if let Some(w) = h.state_mut().workspace() {
        w.wait_for_background_work();
    }
    h.run();
}

/// Puts the keyboard focus in the text field with this label.
pub fn focus(h: &mut App, label: &str) {
    field(h, label).focus();
    h.run();
}

/// The text field with this label (a table header or heading may share the words).
pub fn field<'h>(h: &'h App, label: &'h str) -> egui_kittest::Node<'h> {
    h.query_by_role_and_label(egui::accesskit::Role::MultilineTextInput, label)
        .unwrap_or_else(|| h.get_by_role_and_label(egui::accesskit::Role::TextInput, label))
}

pub fn tab(h: &mut App, times: usize) {
    for _ in 0..times {
        h.key_press(Key::Tab);
        h.run();
    }
}

/// A second officer, Ali Khan, with two contacts in Riverside on 20 and 21 November.
pub fn ali(dir: &Path) -> Id {
    let store = Store::open(dir, &key()).unwrap();
    let p = store
        .set_up("Ali Khan", "3301", Role::Officer, "Riverside")
        .unwrap();
    join_squad(&store);
    let hood = p.last_neighborhood.unwrap();
    for (d, note) in [
        (
            20,
            "Spoke with parents at the school gate about the crossing.",
        ),
        (21, "ok"),
    ] {
        let at = Utc.with_ymd_and_hms(2026, 11, d, 15, 0, 0).unwrap();
        let c = Contact {
            meta: Meta::new(store.new_id_at(at).unwrap(), p.officer, at),
            at,
            neighborhood: hood,
            place: "Lincoln Elementary".into(),
            kind: ContactKind::YouthEngagement,
            people: vec![],
            unnamed: 3,
            initiated_by: Initiator::Officer,
            tags: vec![],
            tone: Tone::Friendly,
            note: note.into(),
        };
        store.save(c, p.officer).unwrap();
    }
    p.officer
}

pub fn sergeant(dir: &Path) -> Id {
    let store = Store::open(dir, &key()).unwrap();
    let officer = store
        .set_up("Sam Ortiz", "5150", Role::Sergeant, "Riverside")
        .unwrap()
        .officer;
    join_squad(&store);
    officer
}

/// Approves the key that signed `bundle`, as a sergeant does after comparing its fingerprint
/// with the member in person.
pub fn approve_signer(store: &Store, bundle: &beatbook::bundle::Bundle) {
    use beatbook::bundle::{approve_member, standing, Standing};
    if let Standing::Pending(member) = standing(store, bundle).unwrap() {
        approve_member(store, &member).unwrap();
    }
}

/// Reads a bundle and merges it into the log in `store_dir` (no conflicts expected), its
/// signer approved.
pub fn import_bundle(store_dir: &Path, bundle: &Path) {
    use beatbook::bundle::{apply_import, plan_import, read_bundle};
    let store = Store::open(store_dir, &key()).unwrap();
    let b = read_bundle(bundle, &squad_key()).unwrap();
    approve_signer(&store, &b);
    let plan = plan_import(&store, vec![b]).unwrap();
    apply_import(&store, &plan, &[]).unwrap();
}

/// Sergeant Sam Ortiz's log holding Dana's seeded log and Ali's, as bundles bring them;
/// returns the sergeant's folder (under `root`, beside "dana" and "ali").
pub fn squad(root: &Path) -> std::path::PathBuf {
    use beatbook::bundle::{write_bundle_file, BundleScope};
    seed(&root.join("dana"));
    ali(&root.join("ali"));
    let sam = root.join("sam");
    sergeant(&sam);
    for name in ["dana", "ali"] {
        let path = root.join(format!("{name}.bbundle"));
        write_bundle_file(
            &Store::open(&root.join(name), &key()).unwrap(),
            BundleScope::Everything,
            &path,
        )
        .unwrap();
        import_bundle(&sam, &path);
    }
    sam
}

/// Clicks a button that starts background work (bundles, the review figures), lets the work
/// finish and the app show its outcome.
pub fn click_and_wait(h: &mut App, label: &str) {
    scroll_into_view(h, label);
    h.get_by_label(label).click();
    // One frame applies the click, the next draws what it opened (and starts its work).
    h.step();
    h.step();
    // A quick passphrase check may already have closed the log for its copy (see below).
    if let Some(w) = h.state_mut().workspace() {
        w.wait_for_background_work();
    }
    h.run();
    // A passphrase change closes the log for its copy under the new key: the copy ends and
    // the log reopens, on the frozen clock.
    if let Some(copy) = h.state_mut().compacting() {
        copy.wait();
        settle(h);
        if let Some(w) = h.state_mut().workspace() {
            w.fixed_now = Some(now());
        }
        settle(h);
    }
}

/// In an import preview, approves every signer not approved yet, one "Approve and import" at a
/// time, as a sergeant does after comparing each fingerprint with the member in person.
pub fn approve_signers_in_preview(h: &mut App) {
    loop {
        match h.query_all_by_label("Approve and import").next() {
            Some(button) => button.click(),
            None => break,
        }
        h.step();
        h.step();
        ws(h).wait_for_background_work();
        h.run();
    }
}

/// Opens a store folder's sled log directly (to shape it as an older or damaged one), waiting
/// for the lock sled's own flusher thread may still hold for a moment after the store closed.
pub fn raw_sled(store_dir: &Path) -> sled::Db {
    let started = std::time::Instant::now();
    loop {
        match sled::open(store_dir) {
            Ok(db) => return db,
            Err(e) if started.elapsed() < std::time::Duration::from_secs(10) => {
                let _ = e;
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            Err(e) => panic!("the log stays locked: {e}"),
        }
    }
}

/// A note old enough for the retention policy to remove.
pub const OLD_NOTE: &str = "Mrs. Abernathy worries about her grandson";

/// Old entries beside the seeded (recent) ones: a three-year-old contact with a note (edited
/// once, so the note is in the history too), an old journal note, and a person last seen 20
/// months ago who left a phone number.
pub struct Old {
    pub contact: Id,
    pub journal: Id,
    pub person: Id,
}

pub fn add_old_entries(dir: &Path, s: &Seeded) -> Old {
    let store = Store::open(dir, &key()).unwrap();
    let long_ago = |days: i64| -> DateTime<Utc> { now() - chrono::Duration::days(days) };
    let meta = |t: DateTime<Utc>| Meta::new(store.new_id_at(t).unwrap(), s.officer, t);
    let person = store
        .save(
            Person {
                meta: meta(long_ago(700)),
                name: "Edna Abernathy".into(),
                role: PersonRole::Resident,
                neighborhood: Some(s.riverside),
                notes: "Prefers morning visits.".into(),
                consent: Some(beatbook::model::ContactDetails {
                    agreed_on: None,
                    phone: "555-0142".into(),
                    email: String::new(),
                    address: String::new(),
                }),
            },
            s.officer,
        )
        .unwrap();
    let contact = |t: DateTime<Utc>, note: &str| Contact {
        meta: meta(t),
        at: t,
        neighborhood: s.riverside,
        place: "Porch".into(),
        kind: ContactKind::Conversation,
        people: vec![person.meta.id],
        unnamed: 0,
        initiated_by: Initiator::Resident,
        tags: vec![],
        tone: Tone::Warm,
        note: note.into(),
    };
    let old = store
        .save(contact(long_ago(3 * 365), OLD_NOTE), s.officer)
        .unwrap();
    let mut edited = old.clone();
    edited.note = format!("{OLD_NOTE} and the bus stop.");
    store.save(edited, s.officer).unwrap();
    store.save(contact(long_ago(600), ""), s.officer).unwrap();
    let journal = store
        .save(
            JournalNote {
                meta: meta(long_ago(1000)),
                neighborhood: s.riverside,
                date: long_ago(1000).date_naive(),
                text: "The Abernathy family moved in.".into(),
            },
            s.officer,
        )
        .unwrap();
    Old {
        contact: old.meta.id,
        journal: journal.meta.id,
        person: person.meta.id,
    }
}

/// Every file under `dir`, however deep.
pub fn files_under(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(files_under(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// Whether `haystack` holds `needle` as bytes, as lower-case hex (backups), or as UTF-16.
pub fn holds(haystack: &[u8], needle: &str) -> bool {
    let utf16: Vec<u8> = needle
        .encode_utf16()
        .flat_map(|u| u.to_le_bytes())
        .collect();
    let forms = [
        needle.as_bytes().to_vec(),
        beatbook::hex::hex(needle.as_bytes()).into_bytes(),
        utf16,
    ];
    forms
        .iter()
        .any(|f| haystack.windows(f.len()).any(|w| w == f.as_slice()))
}

/// The first file under `dir` in which `text` can be read (see [`holds`]).
pub fn readable_in(dir: &Path, text: &str) -> Option<std::path::PathBuf> {
    files_under(dir)
        .into_iter()
        .find(|f| holds(&std::fs::read(f).unwrap(), text))
}

/// Asks the window to close, as its close button does; whether the app kept it open.
pub fn close_window(h: &mut App) -> bool {
    h.input_mut()
        .viewports
        .entry(egui::ViewportId::ROOT)
        .or_default()
        .events
        .push(egui::ViewportEvent::Close);
    h.step();
    let kept_open = h
        .output()
        .viewport_output
        .get(&egui::ViewportId::ROOT)
        .is_some_and(|v| v.commands.contains(&egui::ViewportCommand::CancelClose));
    h.run();
    kept_open
}

/// Goes to `screen`, as its button in the top bar does, and lets it show.
pub fn go(h: &mut App, screen: beatbook::ui::command::Screen) {
    ws(h).apply(beatbook::ui::command::Command::Go(screen));
    settle(h);
}
