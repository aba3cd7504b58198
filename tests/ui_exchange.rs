//! The squad exchange driven through the sergeant's app, over a shared folder (no server): the
//! storage and the squad set up in Settings > Squad exchange, officers joining with the join
//! file and syncing (through the library), their keys approved with the buttons, their work
//! brought by "Sync now", a conflict settled in "Needs your decision"; and a hand-carried
//! bundle from a key not approved yet, approved and imported from the import preview.

use std::path::Path;

use beatbook::bundle::{self, write_bundle_file, BundleScope};
use beatbook::exchange::{self, Conflicts, Target};
use beatbook::model::{Contact, ContactKind, Id, Initiator, MemberStatus, Meta, Role, Tone};
use beatbook::store::{Passphrase, Store};
use beatbook::ui::command::{Command, Screen};
use beatbook::ui::dialogs::{FixedDialogs, FixedFiles};
use chrono::{TimeZone, Utc};
use egui_kittest::kittest::Queryable;

use crate::common::*;

/// The squad passphrase as the app keeps a typed one (at the standard cost): the logs of one
/// squad must derive the same key from it.
fn typed_squad_passphrase() -> Passphrase {
    Passphrase::new(SQUAD_PASSPHRASE)
}

/// Frames and background work until the sync asked for has run and been taken in.
fn until_synced(h: &mut App) {
    for _ in 0..4 {
        h.step();
        ws(h).wait_for_background_work();
    }
    h.run();
}

fn open_squad_exchange(h: &mut App) {
    ws(h).apply(Command::Go(Screen::Settings));
    h.run();
    click(h, "Squad exchange");
}

/// An officer's log: joins the squad with the join file, then syncs once.
fn join_and_sync(dir: &Path, join_file: &Path) {
    let store = Store::open(dir, &key()).unwrap();
    let bytes = std::fs::read(join_file).unwrap();
    exchange::join_squad(&store, &bytes, &typed_squad_passphrase()).unwrap();
    let report = exchange::sync_once(&store, Conflicts::Wait).unwrap();
    assert!(report.refused.is_empty(), "{:?}", report.refused);
}

/// Ali's log syncs once (after a change).
fn sync_log(dir: &Path) {
    let store = Store::open(dir, &key()).unwrap();
    let report = exchange::sync_once(&store, Conflicts::Wait).unwrap();
    assert!(report.refused.is_empty(), "{:?}", report.refused);
}

fn contact_for(store: &Store, officer: Id, note: &str) -> Contact {
    let at = Utc.with_ymd_and_hms(2026, 11, 24, 16, 0, 0).unwrap();
    let hood = store.profile().unwrap().unwrap().last_neighborhood.unwrap();
    Contact {
        meta: Meta::new(store.new_id_at(at).unwrap(), officer, at),
        at,
        neighborhood: hood,
        place: "Corner of Pine & 3rd".into(),
        kind: ContactKind::Conversation,
        people: vec![],
        unnamed: 1,
        initiated_by: Initiator::Resident,
        tags: vec![],
        tone: Tone::Warm,
        note: note.into(),
    }
}

#[test]
fn a_sergeant_sets_up_the_exchange_approves_the_squad_and_settles_a_conflict() {
    let tmp = tempfile::tempdir().unwrap();
    let shared = tmp.path().join("shared");
    std::fs::create_dir_all(&shared).unwrap();
    let (sam_dir, dana_dir, ali_dir) = (
        tmp.path().join("sam"),
        tmp.path().join("dana"),
        tmp.path().join("ali"),
    );
    let sam = sergeant(&sam_dir);
    set_up(&dana_dir);
    let ali_id = ali(&ali_dir);

    // The sergeant: a folder as the storage, then the squad and its join file.
    let mut h = app(&sam_dir);
    open_squad_exchange(&mut h);
    click(&mut h, "A folder");
    focus(&mut h, "Shared folder");
    type_text(&mut h, &shared.display().to_string());
    click(&mut h, "Save storage");
    let kept = exchange::target(&ws(&mut h).store).unwrap().unwrap();
    assert_eq!(
        kept.target,
        Target::Folder {
            path: shared.clone()
        }
    );
    click(&mut h, "Create squad...");
    // Two passphrases that differ are refused beside the form, and nothing is created.
    type_secret(&mut h, "New squad passphrase", SQUAD_PASSPHRASE);
    type_secret(&mut h, "New squad passphrase again", "Squad-Elm-Park-8");
    click(&mut h, "Create squad and save the join file...");
    assert!(h.query_by_label("The two passphrases differ.").is_some());
    let join_file = tmp.path().join("squad.bbjoin");
    ws(&mut h).dialogs = Box::new(FixedDialogs(Some(join_file.clone())));
    // What was typed stays after the refusal: only the second one is typed again.
    h.get_by_label("New squad passphrase again").focus();
    h.run();
    h.key_press_modifiers(ctrl(), egui::Key::A);
    h.run();
    type_text(&mut h, SQUAD_PASSPHRASE);
    click_and_wait(&mut h, "Create squad and save the join file...");
    until_synced(&mut h);
    assert!(
        join_file.exists(),
        "the join file is saved where the dialog said"
    );
    let me = bundle::my_member(&ws(&mut h).store).unwrap();
    assert!(
        h.query_by_label(&me.fingerprint()).is_some(),
        "the log's fingerprint is shown to be read aloud"
    );

    // Two officers join with the file and sync: their keys wait for the sergeant.
    join_and_sync(&dana_dir, &join_file);
    join_and_sync(&ali_dir, &join_file);
    click(&mut h, "Sync now");
    until_synced(&mut h);
    let roster = bundle::roster(&ws(&mut h).store).unwrap();
    let pending: Vec<&str> = roster
        .members
        .iter()
        .filter(|m| m.status == MemberStatus::Pending)
        .map(|m| m.name.as_str())
        .collect();
    assert_eq!(pending.len(), 2, "{pending:?}");
    for who in [
        "Officer Dana Reyes (badge 4127)",
        "Officer Ali Khan (badge 3301)",
    ] {
        assert!(
            h.query_by_label(&format!("Approve {who}")).is_some(),
            "{who} waits in the members list"
        );
    }
    assert!(
        ws(&mut h).store.all::<Contact>().unwrap().is_empty(),
        "nothing of an unapproved key is taken in"
    );

    // Approved with the buttons: their work comes in with the sync that follows.
    click(&mut h, "Approve Officer Dana Reyes (badge 4127)");
    until_synced(&mut h);
    click(&mut h, "Approve Officer Ali Khan (badge 3301)");
    until_synced(&mut h);
    let store = ws(&mut h).store.clone();
    let roster = bundle::roster(&store).unwrap();
    assert!(
        roster
            .members
            .iter()
            .filter(|m| m.role == Role::Officer)
            .all(|m| m.status == MemberStatus::Approved),
        "{:?}",
        roster.members
    );
    assert_eq!(roster.members.len(), 3, "the sergeant and two officers");
    let alis: Vec<Contact> = store
        .all::<Contact>()
        .unwrap()
        .into_iter()
        .filter(|c| c.meta.owner() == ali_id)
        .collect();
    assert_eq!(alis.len(), 2, "Ali's two contacts arrived");
    // The review says when each officer's work last arrived.
    ws(&mut h).apply(Command::Go(Screen::Review));
    settle(&mut h);
    assert!(h.query_by_label("Last arrived:").is_some());
    assert!(h.query_by_label_contains("Ali Khan (3301) ").is_some());
    ws(&mut h).apply(Command::Go(Screen::Settings));
    settle(&mut h);

    // An officer logs a contact and syncs; "Sync now" brings it to the sergeant.
    let new_note = "Mr. Obi asked about the block party permit.";
    {
        let ali_store = Store::open(&ali_dir, &key()).unwrap();
        ali_store
            .save(contact_for(&ali_store, ali_id, new_note), ali_id)
            .unwrap();
    }
    sync_log(&ali_dir);
    click(&mut h, "Sync now");
    until_synced(&mut h);
    assert!(
        store
            .all::<Contact>()
            .unwrap()
            .iter()
            .any(|c| c.note == new_note),
        "the new contact arrived"
    );
    assert!(
        h.query_all_by_label_contains("Synced").count() >= 1,
        "the top bar says the log is synced"
    );

    // The same contact changed on both sides: it waits for the sergeant's decision.
    let target = alis[0].meta.id;
    let mut mine = store.get::<Contact>(target).unwrap().unwrap();
    mine.note = "Sergeant's note: follow up with the school.".into();
    store.save(mine, sam).unwrap();
    let theirs_note = "Parents asked for a crossing guard on Fridays.";
    {
        let ali_store = Store::open(&ali_dir, &key()).unwrap();
        let mut theirs = ali_store.get::<Contact>(target).unwrap().unwrap();
        theirs.note = theirs_note.into();
        ali_store.save(theirs, ali_id).unwrap();
    }
    sync_log(&ali_dir);
    click(&mut h, "Sync now");
    until_synced(&mut h);
    ws(&mut h).apply(Command::Go(Screen::Today));
    h.run();
    assert_eq!(exchange::waiting_decisions(&store).unwrap().len(), 1);
    assert_ne!(
        store.get::<Contact>(target).unwrap().unwrap().note,
        theirs_note,
        "nothing is decided for the sergeant"
    );
    // The top bar leads to it.
    click(&mut h, "1 decision waiting");
    assert!(h.query_by_label("Needs your decision").is_some());
    assert!(h.query_by_label_contains("Changed by Ali Khan").is_some());
    click(&mut h, "Take theirs");
    assert_eq!(
        store.get::<Contact>(target).unwrap().unwrap().note,
        theirs_note
    );
    assert!(exchange::waiting_decisions(&store).unwrap().is_empty());
    assert!(h.query_by_label("Needs your decision").is_none());
}

#[test]
fn a_bundle_from_a_key_not_approved_is_approved_and_imported_from_the_preview() {
    let tmp = tempfile::tempdir().unwrap();
    let (sam_dir, dana_dir) = (tmp.path().join("sam"), tmp.path().join("dana"));
    sergeant(&sam_dir);
    let s = seed(&dana_dir);
    let path = tmp.path().join("dana.bbundle");
    let fingerprint = {
        let dana = Store::open(&dana_dir, &key()).unwrap();
        write_bundle_file(&dana, BundleScope::Everything, &path).unwrap();
        bundle::my_member(&dana).unwrap().fingerprint()
    };

    let mut h = app(&sam_dir);
    ws(&mut h).dialogs = Box::new(FixedFiles(vec![path]));
    click(&mut h, "Settings");
    click_and_wait(&mut h, "Import bundles...");
    let words = format!(
        "Signed by Officer Dana Reyes (badge 4127) with key {fingerprint}, not approved here. \
         Compare the fingerprint with them in person."
    );
    assert!(h.query_by_label(&words).is_some(), "{words}");
    let pending = ws(&mut h).pending_import.as_ref().unwrap();
    assert_eq!(pending.plan.unapproved.len(), 1);
    assert_eq!(pending.plan.total().new, 0, "its records are left out");
    click_and_wait(&mut h, "Approve and import");
    let pending = ws(&mut h).pending_import.as_ref().unwrap();
    assert!(pending.plan.unapproved.is_empty());
    assert!(
        pending.plan.total().new > 0,
        "its records now show in the counts"
    );
    assert!(h.query_by_label(&words).is_none());
    click_and_wait(&mut h, "Import");
    let store = ws(&mut h).store.clone();
    let contacts = store.all::<Contact>().unwrap();
    assert_eq!(
        contacts
            .iter()
            .filter(|c| c.meta.owner() == s.officer)
            .count(),
        3
    );
    let roster = bundle::roster(&store).unwrap();
    let dana = roster.by_fingerprint(&fingerprint).unwrap();
    assert_eq!(dana.status, MemberStatus::Approved);
}

#[test]
fn a_returned_entry_reaches_the_officer_through_the_exchange() {
    use crate::exchange::{approve_all, folder_target, log_contact, squad_on, sync};
    use beatbook::model::{Review, Verdict};
    let tmp = tempfile::tempdir().unwrap();
    let s = squad_on(tmp.path(), &folder_target(tmp.path()));
    let contact = log_contact(&s.dana, "Mrs Alvarez asked about the broken streetlight.");
    sync(&s.dana);
    sync(&s.sam);
    approve_all(&s.sam);
    sync(&s.sam);
    // The sergeant returns the entry (the review queue's "Return to officer").
    {
        let sam = Store::open(&s.sam, &key()).unwrap();
        let me = sam.require_profile().unwrap().officer;
        let c = sam.get::<Contact>(contact).unwrap().unwrap();
        let review = Review {
            meta: Meta::new(sam.new_id().unwrap(), me, Utc::now()),
            contact,
            contact_revision: c.meta.revision,
            verdict: Verdict::Returned {
                reason: "Which lamp post? Add the pole number.".into(),
            },
            comment: String::new(),
        };
        sam.save(review, me).unwrap();
    }
    sync(&s.sam);

    // Dana's app: "Sync now" brings the return, and Today asks her to answer it.
    let mut h = app(&s.dana);
    open_squad_exchange(&mut h);
    click(&mut h, "Sync now");
    until_synced(&mut h);
    let reviews = ws(&mut h).store.all::<Review>().unwrap();
    assert_eq!(reviews.len(), 1, "the return arrived in Dana's log");
    assert_eq!(reviews[0].contact, contact);
    ws(&mut h).apply(Command::Go(Screen::Today));
    h.run();
    assert!(h
        .query_by_label_contains("Returned by Sam Ortiz: Which lamp post? Add the pole number.")
        .is_some());
}
