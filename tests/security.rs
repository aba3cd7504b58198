//! Encryption at rest, the passphrase and its policy, lockout, locking the app by hand and when
//! idle, and changing the passphrase.

use beatbook::model::{
    Contact, ContactDetails, ContactKind, Initiator, Meta, Person, PersonRole, Tone,
};
use beatbook::store::{
    LockedStore, Passphrase, Protection, Refused, Store, StoreError, LOCKOUT_MINUTES,
    MAX_FAILED_UNLOCKS,
};
use chrono::Duration;
use egui::Key;
use egui_kittest::kittest::Queryable;

use crate::common::*;

const CANARY_NAME: &str = "Zebulon Quartermaine";
const CANARY_PHONE: &str = "555-0199-7788";
const CANARY_ADDRESS: &str = "41 Larkspur Mews";
const CANARY_NOTE: &str = "xylophone harbor lantern";

/// A resident with contact details and a contact about them, holding the canaries.
fn write_canaries(store: &Store, officer: beatbook::model::Id, hood: beatbook::model::Id) {
    let person = store
        .save(
            Person {
                meta: store.new_meta(officer).unwrap(),
                name: CANARY_NAME.into(),
                role: PersonRole::Resident,
                neighborhood: Some(hood),
                notes: format!("Lives at {CANARY_ADDRESS}."),
                consent: Some(ContactDetails {
                    agreed_on: Some(day(2026, 11, 20)),
                    phone: CANARY_PHONE.into(),
                    email: String::new(),
                    address: CANARY_ADDRESS.into(),
                }),
            },
            officer,
        )
        .unwrap();
    let at = now();
    let contact = store
        .save(
            Contact {
                meta: Meta::new(store.new_id_at(at).unwrap(), officer, at),
                at,
                neighborhood: hood,
                place: CANARY_ADDRESS.into(),
                kind: ContactKind::Conversation,
                people: vec![person.meta.id],
                unnamed: 0,
                initiated_by: Initiator::Resident,
                tags: vec![],
                tone: Tone::Friendly,
                note: format!("{CANARY_NAME} told me: {CANARY_NOTE}."),
            },
            officer,
        )
        .unwrap();
    // An edit puts the first version into the history as well.
    let mut edited = contact.clone();
    edited.note = format!("{} Called back on {CANARY_PHONE}.", contact.note);
    store.save(edited, officer).unwrap();
}

#[test]
fn canaries_are_in_no_file_of_the_data_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let (officer, hood) = set_up(dir);
    {
        let store = Store::open(dir, &key()).unwrap();
        write_canaries(&store, officer, hood);
        store.backup("by hand").unwrap();
        beatbook::bundle::write_bundle_file(
            &store,
            beatbook::bundle::BundleScope::Everything,
            &dir.join("for-review.bbundle"),
        )
        .unwrap();
        assert_eq!(
            store.all::<Person>().unwrap()[0].name,
            CANARY_NAME,
            "the log itself reads back"
        );
    }
    assert!(files_under(dir).len() > 5);
    for canary in [CANARY_NAME, CANARY_PHONE, CANARY_ADDRESS, CANARY_NOTE] {
        assert_eq!(readable_in(dir, canary), None, "{canary:?}");
    }
}

#[test]
fn wrong_passphrases_are_counted_and_the_fifth_locks_the_log_for_ten_minutes() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    seed(dir);
    let wrong = Passphrase::new("Not-The-Passphrase-1");
    let t0 = now();
    let mut locked = LockedStore::open(dir).unwrap();
    assert_eq!(locked.protection().unwrap(), Protection::Protected);
    // A refused unlock hands the locked log back, to try again.
    let refused = |r: Result<Store, Box<Refused>>| {
        let r = *r.err().expect("refused");
        (r.locked.expect("the log stays open"), r.error)
    };
    for left in (1..MAX_FAILED_UNLOCKS).rev() {
        let (back, e) = refused(locked.unlock(&wrong, t0));
        assert!(
            matches!(e, StoreError::WrongPassphrase { attempts_left } if attempts_left == left),
            "{e:?}"
        );
        locked = back;
    }
    let (back, e) = refused(locked.unlock(&wrong, t0));
    let until = t0 + Duration::minutes(LOCKOUT_MINUTES);
    assert!(
        matches!(e, StoreError::LockedOut { until: u } if u == until),
        "{e:?}"
    );
    // Even the right passphrase waits out the lockout, and closing the app does not end it.
    let (back, e) = refused(back.unlock(&key(), t0 + Duration::minutes(5)));
    assert!(matches!(e, StoreError::LockedOut { .. }), "{e:?}");
    drop(back);
    let locked = LockedStore::open(dir).unwrap();
    assert_eq!(locked.locked_out_until(t0).unwrap(), Some(until));
    let store = locked
        .unlock(&key(), t0 + Duration::minutes(LOCKOUT_MINUTES + 1))
        .map_err(|r| r.error)
        .unwrap();
    let trail = store.audit_trail(usize::MAX).unwrap();
    let failed = trail
        .iter()
        .filter(|e| e.action == "unlock" && e.outcome == "wrong passphrase")
        .count();
    assert_eq!(failed, MAX_FAILED_UNLOCKS as usize);
    assert_eq!(trail[0].action, "unlocked");
    drop(store);
    // A good unlock starts the count again.
    let (_, e) = refused(
        LockedStore::open(dir)
            .unwrap()
            .unlock(&wrong, t0 + Duration::minutes(12)),
    );
    assert!(matches!(
        e,
        StoreError::WrongPassphrase { attempts_left } if attempts_left == MAX_FAILED_UNLOCKS - 1
    ));
}

#[test]
fn a_weak_passphrase_cannot_protect_a_new_log() {
    let tmp = tempfile::tempdir().unwrap();
    for weak in [
        "short1A",
        "lowercaseletters",
        "Password123!",
        "Password123!a",
        "Beatbook2026x",
    ] {
        let e = Store::open(tmp.path(), &Passphrase::new(weak))
            .err()
            .unwrap();
        assert!(matches!(e, StoreError::WeakPassphrase(_)), "{weak}: {e:?}");
    }
    let locked = LockedStore::open(tmp.path()).unwrap();
    assert_eq!(
        locked.protection().unwrap(),
        Protection::New,
        "nothing was set"
    );
}

#[test]
fn a_value_moved_to_another_record_or_slipped_in_plain_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let s = seed(dir);
    let db = raw_sled(&dir.join("store"));
    let people = db.open_tree("people").unwrap();
    let rosa = people.get(s.rosa.to_bytes()).unwrap().unwrap();
    let tran = people.get(s.mr_tran.to_bytes()).unwrap().unwrap();
    people.insert(s.rosa.to_bytes(), tran.clone()).unwrap();
    people.insert(s.mr_tran.to_bytes(), rosa.clone()).unwrap();
    db.flush().unwrap();
    drop((people, db));

    let store = Store::open(dir, &key()).unwrap();
    let e = store.get::<Person>(s.rosa).unwrap_err();
    assert!(e.to_string().contains("changed or moved"), "{e}");
    let report = store.check().unwrap();
    assert_eq!(report.unreadable, 2, "{:?}", report.problems);
    drop(store);
    let db = raw_sled(&dir.join("store"));
    let people = db.open_tree("people").unwrap();
    people.insert(s.rosa.to_bytes(), rosa).unwrap();
    people.insert(s.mr_tran.to_bytes(), tran).unwrap();
    db.flush().unwrap();
    drop((people, db));

    // The same record, readable, put back in the clear.
    let mut forged: Person = Store::open(dir, &key())
        .unwrap()
        .get(s.mr_tran)
        .unwrap()
        .unwrap();
    forged.notes = "slipped in".into();
    let db = raw_sled(&dir.join("store"));
    let people = db.open_tree("people").unwrap();
    people
        .insert(s.mr_tran.to_bytes(), serde_json::to_vec(&forged).unwrap())
        .unwrap();
    db.flush().unwrap();
    drop((people, db));
    let store = Store::open(dir, &key()).unwrap();
    let e = store.get::<Person>(s.mr_tran).unwrap_err();
    assert!(e.to_string().contains("not encrypted"), "{e}");
}

/// The copy of the wrapped key beside the log (`store.key`, used to derive the key while the
/// log opens) is only a hint: a damaged copy, or one of another log whose passphrase the
/// caller knows, never opens this log, and a wrong passphrase still counts.
#[test]
fn the_copy_of_the_wrapped_key_beside_the_log_is_only_a_hint() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, other) = (tmp.path().join("log"), tmp.path().join("other"));
    seed(&dir);
    let copy = dir.join("store.key");
    drop(Store::open(&dir, &key()).unwrap());
    let kept = std::fs::read_to_string(&copy).unwrap();
    assert!(kept.contains("salt") && kept.contains("wrapped"), "{kept}");

    std::fs::write(&copy, "not a key").unwrap();
    drop(Store::open(&dir, &key()).unwrap());
    assert_eq!(
        std::fs::read_to_string(&copy).unwrap(),
        kept,
        "written again"
    );

    // Another log's copy, and its passphrase: that key unwraps the copy, not this log.
    let theirs =
        Passphrase::new("Other-Beat-Lantern-9").with_cost(beatbook::store::KdfCost::MINIMAL);
    drop(Store::open(&other, &theirs).unwrap());
    std::fs::copy(other.join("store.key"), &copy).unwrap();
    let e = Store::open(&dir, &theirs).err().unwrap();
    assert!(
        matches!(e, StoreError::WrongPassphrase { attempts_left } if attempts_left == MAX_FAILED_UNLOCKS - 1),
        "{e:?}"
    );
    // This log's own copy, and a wrong passphrase: counted like any other.
    std::fs::write(&copy, &kept).unwrap();
    let e = Store::open(&dir, &Passphrase::new("Not-The-Passphrase-1"))
        .err()
        .unwrap();
    assert!(
        matches!(e, StoreError::WrongPassphrase { attempts_left } if attempts_left == MAX_FAILED_UNLOCKS - 2),
        "{e:?}"
    );
    assert!(Store::open(&dir, &key()).is_ok());
}

#[test]
fn changing_the_passphrase_keeps_every_entry_and_retires_the_old_one() {
    use std::sync::atomic::AtomicBool;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let s = seed(dir);
    let new = Passphrase::new("Other-Beat-Lantern-9").with_cost(beatbook::store::KdfCost::MINIMAL);
    let never = AtomicBool::new(false);
    let mut store = Store::open(dir, &key()).unwrap();
    for (current, next, refused) in [
        (
            Passphrase::new("Not-The-Passphrase-1"),
            new.clone(),
            "wrong",
        ),
        (key(), Passphrase::new("weak"), "weak"),
    ] {
        let tried = store.change_passphrase(&current, &next, &mut |_, _| {}, &never);
        let e = tried.outcome.unwrap_err();
        match refused {
            "wrong" => assert!(matches!(e, StoreError::WrongPassphrase { .. }), "{e:?}"),
            _ => assert!(matches!(e, StoreError::WeakPassphrase(_)), "{e:?}"),
        }
        store = tried.store.unwrap();
    }
    // Stopped during the copy, the change leaves the log as it was.
    let stop = AtomicBool::new(false);
    let stopped = store.change_passphrase(
        &key(),
        &new,
        &mut |done, _| {
            if done > 0 {
                stop.store(true, std::sync::atomic::Ordering::Relaxed)
            }
        },
        &stop,
    );
    assert!(
        matches!(stopped.outcome, Err(StoreError::PassphraseChangeStopped)),
        "{:?}",
        stopped.outcome
    );
    store = stopped.store.unwrap();
    assert!(!dir.join("store.restoring").exists());

    let backup = store.backup("by hand").unwrap().path;
    let everything = |store: &Store| {
        beatbook::model::RecordKind::ALL
            .iter()
            .map(|k| store.versions(*k).unwrap())
            .collect::<Vec<_>>()
    };
    let before = everything(&store);
    // Copies of the old wrapped key an attacker could hold: the key file beside the log, and
    // a log kept aside by an earlier restore.
    let old_key_file = std::fs::read(dir.join("store.key")).unwrap();
    copy_dir(
        &dir.join("store"),
        &dir.join("store.replaced-20261101-090000"),
    );
    let old_vault = raw_sled(&dir.join("store.replaced-20261101-090000"))
        .open_tree("meta")
        .unwrap()
        .get("vault")
        .unwrap()
        .unwrap();

    let mut progress = Vec::new();
    let changed = store.change_passphrase(&key(), &new, &mut |d, t| progress.push((d, t)), &never);
    let done = changed.outcome.unwrap();
    let store = changed.store.unwrap();
    assert!(done.entries > 0);
    assert_eq!(progress.last(), Some(&(done.entries, done.entries)));
    assert_eq!(done.backups_rewrapped, 1);
    assert_eq!(done.replaced_removed, 1);
    assert!(!dir.join("store.replaced-20261101-090000").exists());
    assert_ne!(std::fs::read(dir.join("store.key")).unwrap(), old_key_file);
    assert_eq!(everything(&store), before, "every record and version kept");
    assert!(store.check().unwrap().is_ok());
    assert_eq!(store.all::<Contact>().unwrap().len(), s.contacts.len());
    let trail = store.audit_trail(1).unwrap();
    assert_eq!(
        (trail[0].action.as_str(), trail[0].outcome.as_str()),
        ("changed the passphrase", "done")
    );
    drop(store);

    // The old passphrase opens nothing: not the log, not the backup taken before.
    let e = Store::open(dir, &key()).err().unwrap();
    assert!(matches!(e, StoreError::WrongPassphrase { .. }), "{e:?}");
    let e = beatbook::store::restore(dir, &backup, &key()).unwrap_err();
    assert!(e.to_string().contains("passphrase does not open it"), "{e}");
    // Not even with the old wrapped key put back: the data key it holds opens no value.
    {
        let raw = raw_sled(&dir.join("store"));
        raw.open_tree("meta")
            .unwrap()
            .insert("vault", old_vault)
            .unwrap();
        raw.flush().unwrap();
    }
    std::fs::write(dir.join("store.key"), &old_key_file).unwrap();
    assert!(
        Store::open(dir, &key()).is_err(),
        "the old key opens the new log"
    );
    assert!(
        Store::open(dir, &new).is_err(),
        "the planted key is refused"
    );
}

#[test]
fn a_second_passphrase_change_retires_the_first_in_every_backup_too() {
    use std::sync::atomic::AtomicBool;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    seed(dir);
    let never = AtomicBool::new(false);
    let cheap = |text: &str| Passphrase::new(text).with_cost(beatbook::store::KdfCost::MINIMAL);
    let (second, third) = (
        cheap("Other-Beat-Lantern-9"),
        cheap("Quiet otter borrows 9 lamps"),
    );
    let store = Store::open(dir, &key()).unwrap();
    let backup = store.backup("by hand").unwrap().path;
    let changed = store.change_passphrase(&key(), &second, &mut |_, _| {}, &never);
    assert_eq!(changed.outcome.unwrap().backups_rewrapped, 1);
    let store = changed.store.unwrap();
    // The backup keeps its own data key, wrapped now under the second passphrase, while the
    // log has a new key: the next change must still find it.
    let changed = store.change_passphrase(&second, &third, &mut |_, _| {}, &never);
    assert_eq!(changed.outcome.unwrap().backups_rewrapped, 1);
    drop(changed.store.unwrap());
    for old in [key(), second] {
        let e = beatbook::store::restore(dir, &backup, &old).unwrap_err();
        assert!(e.to_string().contains("passphrase does not open it"), "{e}");
    }
    beatbook::store::restore(dir, &backup, &third).unwrap();
}

#[test]
fn ctrl_l_locks_the_app_and_what_was_typed_is_there_after_unlocking() {
    let tmp = tempfile::tempdir().unwrap();
    seed(tmp.path());
    let mut h = app(tmp.path());
    press_ctrl(&mut h, Key::N);
    type_text(&mut h, "Ms. Okafor");
    focus(&mut h, "Note");
    type_text(&mut h, "Asked about the park lights.");
    press_ctrl(&mut h, Key::L);
    assert!(h.state_mut().workspace().is_none(), "locked");
    assert!(h.query_by_label("beatbook is locked").is_some());
    assert!(h.query_by_label_contains("park lights").is_none());

    unlock(&mut h, "Not-The-Passphrase-1");
    assert!(h.query_by_label_contains("4 tries left").is_some());
    unlock(&mut h, PASSPHRASE);
    let form = ws(&mut h).form.as_ref().expect("the form is back");
    assert_eq!(form.note, "Asked about the park lights.");
    let trail = ws(&mut h).store.audit_trail(3).unwrap();
    let actions: Vec<&str> = trail.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["unlocked", "unlock", "locked"]);
}

#[test]
fn the_app_locks_itself_after_the_idle_time_chosen_in_settings() {
    let tmp = tempfile::tempdir().unwrap();
    seed(tmp.path());
    let mut h = app(tmp.path());
    let idle = |h: &mut App, minutes: i64| {
        h.state_mut().fixed_now = Some(now() + Duration::minutes(minutes));
        h.run();
    };
    idle(&mut h, 14);
    assert!(h.state_mut().workspace().is_some(), "15 minutes by default");
    // The first touch after 15 minutes (the window was minimized, the laptop asleep) finds
    // it locked: the time is checked before the touch counts.
    h.state_mut().fixed_now = Some(now() + Duration::minutes(15));
    h.get_by_label("Today").click();
    h.run();
    assert!(h.state_mut().workspace().is_none(), "locked after 15");
    assert!(
        h.query_by_label("beatbook is locked").is_some(),
        "drawn at once"
    );
    h.state_mut().fixed_now = Some(now());
    unlock(&mut h, PASSPHRASE);

    click(&mut h, "Settings");
    let minutes = h.get_by_label("Lock after (minutes without use)");
    minutes.focus();
    h.run();
    h.key_press_modifiers(ctrl(), Key::A);
    type_text(&mut h, "5");
    h.key_press(Key::Enter);
    h.run();
    click(&mut h, "Save lock time");
    assert_eq!(
        ws(&mut h)
            .store
            .profile()
            .unwrap()
            .unwrap()
            .idle_lock_minutes,
        5
    );
    // Input keeps it open: a click at minute 4 starts the count again.
    idle(&mut h, 4);
    click(&mut h, "Today");
    idle(&mut h, 8);
    assert!(
        h.state_mut().workspace().is_some(),
        "4 minutes since the click"
    );
    idle(&mut h, 9);
    assert!(
        h.state_mut().workspace().is_none(),
        "5 minutes since the click"
    );
}

#[test]
fn the_first_run_asks_for_a_passphrase_and_refuses_a_weak_one() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("new");
    let mut h = locked_app(&dir);
    assert!(h
        .query_by_label("Choose a passphrase for your log")
        .is_some());
    type_secret(&mut h, "Passphrase", "riverside2026");
    type_secret(&mut h, "Type it again", "riverside2026");
    start_unlock(&mut h, "Encrypt and start");
    let error = h.state_mut().lock_screen().and_then(|l| l.error.clone());
    assert!(
        error
            .as_deref()
            .is_some_and(|e| e.starts_with("That passphrase is too easy to guess.")),
        "{error:?}"
    );
    assert!(h.state_mut().lock_screen().is_some(), "still asking");
    clear_secret(&mut h, "Passphrase");
    clear_secret(&mut h, "Type it again");

    type_secret(&mut h, "Passphrase", "Riverside-2026!");
    type_secret(&mut h, "Type it again", "Riverside-2026?");
    start_unlock(&mut h, "Encrypt and start");
    assert!(h
        .query_by_label_contains("two passphrases differ")
        .is_some());

    // The passphrase stays; the second field was emptied to be typed again.
    type_secret(&mut h, "Type it again", "Riverside-2026!");
    start_unlock(&mut h, "Encrypt and start");
    let error = h.state_mut().lock_screen().and_then(|l| l.error.clone());
    assert!(
        h.query_by_label("Welcome to beatbook").is_some(),
        "{error:?}"
    );
    drop(h);
    let locked = LockedStore::open(&dir).unwrap();
    assert_eq!(locked.protection().unwrap(), Protection::Protected);
    assert!(locked
        .unlock(&Passphrase::new("Riverside-2026!"), now())
        .is_ok());
}

/// Empties the hidden field labelled `label`.
fn clear_secret(h: &mut App, label: &str) {
    h.get_by_label(label).focus();
    h.run();
    h.key_press_modifiers(ctrl(), Key::A);
    h.key_press(Key::Backspace);
    h.run();
}

/// Weak passphrases of the kind people choose (a common password with a twist, the app's own
/// name with a year) are shown as weak while they are typed, with how long guessing them would
/// take and what would help, and refused.
#[test]
fn a_weak_passphrase_is_shown_as_weak_while_typed_and_refused_on_the_first_run() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("new");
    let mut h = locked_app(&dir);
    for weak in ["Password123!a", "Beatbook2026x"] {
        type_secret(&mut h, "Passphrase", weak);
        type_secret(&mut h, "Type it again", weak);
        // The line under the fields (a refusal shown above it also tells the strength).
        let estimate = h
            .query_all_by_label_contains("Strength: ")
            .filter_map(|n| n.value())
            .find(|l| l.starts_with("Strength: "))
            .unwrap_or_default();
        assert!(
            estimate.contains("Strength: weak") || estimate.contains("Strength: fair"),
            "{weak}: {estimate:?}"
        );
        assert!(
            estimate.contains("Guessing it from a copy of the log would take"),
            "{estimate:?}"
        );
        assert!(estimate.contains("Too easy to guess"), "{estimate:?}");
        start_unlock(&mut h, "Encrypt and start");
        let error = h.state_mut().lock_screen().and_then(|l| l.error.clone());
        assert!(
            error
                .as_deref()
                .is_some_and(|e| e.starts_with("That passphrase is too easy to guess.")),
            "{weak}: {error:?}"
        );
        assert!(h
            .query_by_label("Choose a passphrase for your log")
            .is_some());
        clear_secret(&mut h, "Passphrase");
        clear_secret(&mut h, "Type it again");
    }
    // A few unrelated words are strong.
    type_secret(&mut h, "Passphrase", "Quiet otter borrows 9 lamps");
    assert!(h
        .query_by_label_contains(
            "Strength: strong. Guessing it from a copy of the log would take centuries."
        )
        .is_some());
    drop(h);
    let locked = LockedStore::open(&dir).unwrap();
    assert_eq!(
        locked.protection().unwrap(),
        Protection::New,
        "nothing was set"
    );
}

/// The command line refuses a weak passphrase when it creates a log, in one plain line.
#[test]
fn the_command_line_refuses_a_weak_passphrase_for_a_new_log() {
    let tmp = tempfile::tempdir().unwrap();
    for weak in ["Password123!a", "Beatbook2026x"] {
        let dir = tmp.path().join(weak);
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_beatbook"))
            .env("BEATBOOK_PASSPHRASE", weak)
            .arg("--data-dir")
            .arg(&dir)
            .args(["demo", "--contacts", "5"])
            .output()
            .unwrap();
        assert!(!o.status.success(), "{weak} was accepted");
        let err = String::from_utf8(o.stderr).unwrap();
        let lines: Vec<&str> = err.lines().collect();
        assert_eq!(lines.len(), 1, "{err:?}");
        assert!(lines[0].starts_with("beatbook: "), "{err:?}");
        assert!(
            lines[0].contains("That passphrase is too easy to guess."),
            "{err:?}"
        );
        let locked = LockedStore::open(&dir).unwrap();
        assert_eq!(
            locked.protection().unwrap(),
            Protection::New,
            "nothing was set"
        );
    }
}

/// The value an assistive technology reads from the hidden field labelled `label` (one dot a
/// character): empty when nothing is typed.
fn secret_shown(h: &App, label: &str) -> String {
    h.get_by_label(label).value().unwrap_or_default()
}

/// Types the passphrase at the lock screen, waits a moment as a person does before pressing
/// Enter (egui's undo history keeps a text that stayed a second), and unlocks.
fn unlock_after_a_pause(h: &mut App, passphrase: &str) {
    type_secret(h, "Passphrase", passphrase);
    for _ in 0..8 {
        h.step();
    }
    h.key_press(Key::Enter);
    h.step();
    wait_for_unlock(h);
    assert!(h.state_mut().workspace().is_some(), "unlocked");
}

/// Presses undo and redo in the field labelled `label` (redo first: after an undo it would
/// take the undone text away again).
fn undo_and_redo_in(h: &mut App, label: &str) {
    h.get_by_label(label).focus();
    h.run();
    press_ctrl(h, Key::Y);
    h.key_press_modifiers(ctrl() | egui::Modifiers::SHIFT, Key::Z);
    h.run();
    press_ctrl(h, Key::Z);
}

/// A locked laptop stays locked: undo in the empty passphrase field gives nothing back, after
/// Ctrl+L as after the idle lock, and Enter then unlocks nothing.
#[test]
fn undo_at_the_lock_screen_brings_no_passphrase_back() {
    let tmp = tempfile::tempdir().unwrap();
    seed(tmp.path());
    let mut h = locked_app(tmp.path());
    unlock_after_a_pause(&mut h, PASSPHRASE);
    press_ctrl(&mut h, Key::L);
    assert!(h.query_by_label("beatbook is locked").is_some());
    undo_and_redo_in(&mut h, "Passphrase");
    assert_eq!(secret_shown(&h, "Passphrase"), "", "the field stays empty");
    h.key_press(Key::Enter);
    h.step();
    wait_for_unlock(&mut h);
    assert!(h.state_mut().workspace().is_none(), "still locked");
    assert!(h.query_by_label("Type your passphrase first.").is_some());

    // The same after the idle lock.
    unlock_after_a_pause(&mut h, PASSPHRASE);
    h.state_mut().fixed_now = Some(now() + Duration::minutes(20));
    h.run();
    assert!(h.query_by_label("beatbook is locked").is_some());
    undo_and_redo_in(&mut h, "Passphrase");
    assert_eq!(secret_shown(&h, "Passphrase"), "");
    h.key_press(Key::Enter);
    h.step();
    wait_for_unlock(&mut h);
    assert!(h.state_mut().workspace().is_none(), "still locked");
}

/// The passphrases typed in Settings are not kept either: a change empties its fields for
/// good, and locking the app wipes what was typed there (everything else typed stays).
#[test]
fn the_passphrase_fields_in_settings_keep_nothing_after_use_or_a_lock() {
    let tmp = tempfile::tempdir().unwrap();
    let mut h = settings_with_a_seeded_log(tmp.path());
    let new = "Quiet otter borrows 9 lamps";
    for (label, text) in [
        ("Current passphrase", PASSPHRASE),
        ("New passphrase", new),
        ("New passphrase again", new),
    ] {
        type_secret(&mut h, label, text);
        for _ in 0..8 {
            h.step();
        }
    }
    click_and_wait(&mut h, "Change passphrase");
    for label in [
        "Current passphrase",
        "New passphrase",
        "New passphrase again",
    ] {
        undo_and_redo_in(&mut h, label);
        assert_eq!(secret_shown(&h, label), "", "{label}");
    }
    let status = ws(&mut h).status.clone().unwrap();
    assert!(
        status.text.starts_with("The passphrase is changed"),
        "{status:?}"
    );

    // Typed, then the app is locked: the field is empty after the unlock.
    type_secret(&mut h, "Current passphrase", new);
    for _ in 0..8 {
        h.step();
    }
    press_ctrl(&mut h, Key::L);
    unlock(&mut h, new);
    assert!(h.state_mut().workspace().is_some());
    scroll_to_the_passphrase_change(&mut h);
    undo_and_redo_in(&mut h, "Current passphrase");
    assert_eq!(secret_shown(&h, "Current passphrase"), "");
}

/// eframe saves egui's memory in the window state file, outside the data folder. egui keeps a
/// text field's cursor there, which for a passphrase field is its length: none is kept.
#[test]
fn the_window_state_file_keeps_nothing_of_a_passphrase_field() {
    #[derive(Default)]
    struct StateFile(std::collections::HashMap<String, String>);
    impl eframe::Storage for StateFile {
        fn get_string(&self, key: &str) -> Option<String> {
            self.0.get(key).cloned()
        }
        fn set_string(&mut self, key: &str, value: String) {
            self.0.insert(key.to_string(), value);
        }
        fn remove_string(&mut self, key: &str) {
            self.0.remove(key);
        }
        fn flush(&mut self) {}
    }
    let tmp = tempfile::tempdir().unwrap();
    seed(tmp.path());
    let mut h = locked_app(tmp.path());
    type_secret(&mut h, "Passphrase", "Not-The-Passphrase-1");
    let field = h
        .ctx
        .memory(|m| m.focused())
        .expect("the field has the focus");
    // As eframe saves it (`persist_egui_memory`): egui's memory, as RON, under "egui".
    let mut file = StateFile::default();
    h.ctx.memory(|m| eframe::set_value(&mut file, "egui", m));
    let saved = file.0.get("egui").cloned().expect("egui's memory is saved");
    assert!(!saved.contains("ccursor_range"), "{saved}");
    let mut memory: egui::Memory = eframe::get_value(&file, "egui").expect("it reads back");
    assert!(memory
        .data
        .get_persisted::<egui::text_edit::TextEditState>(field)
        .is_none());
}

/// Clicks a button that starts an unlock and waits for its outcome.
fn start_unlock(h: &mut App, button: &str) {
    h.get_by_label(button).click();
    h.step();
    wait_for_unlock(h);
}

/// A large log takes a while to open: the lock screen shows at once, and a passphrase typed
/// meanwhile unlocks it as soon as it is open.
#[test]
fn a_passphrase_typed_while_the_log_opens_unlocks_it_once_open() {
    let tmp = tempfile::tempdir().unwrap();
    seed(tmp.path());
    let (open_now, held) = std::sync::mpsc::channel::<()>();
    let dir = tmp.path().to_path_buf();
    let mut h = egui_kittest::Harness::builder()
        .with_size(egui::vec2(1200.0, 820.0))
        .build_eframe(move |_cc| {
            let at = dir.clone();
            beatbook::ui::BeatbookApp::open_with(dir, Default::default(), move || {
                let _ = held.recv();
                LockedStore::open(&at)
            })
        });
    h.state_mut().fixed_now = Some(now());
    h.step();
    assert!(h.query_by_label("beatbook is locked").is_some());
    type_secret(&mut h, "Passphrase", PASSPHRASE);
    h.key_press(Key::Enter);
    h.step();
    assert!(h.query_by_label("Unlocking...").is_some());
    assert!(
        h.state_mut().lock_screen().is_some(),
        "the log is not open yet"
    );
    open_now.send(()).unwrap();
    wait_for_unlock(&mut h);
    assert!(h.state_mut().workspace().is_some());
}

/// A log that cannot be opened (here: open in another window) turns the lock screen into the
/// failure screen by itself, without waiting for the mouse to move.
#[test]
fn a_log_that_fails_to_open_behind_the_lock_screen_shows_why_at_once() {
    let tmp = tempfile::tempdir().unwrap();
    let (open_now, held) = std::sync::mpsc::channel::<()>();
    let dir = tmp.path().to_path_buf();
    let mut h = egui_kittest::Harness::builder()
        .with_size(egui::vec2(1200.0, 820.0))
        .build_eframe(move |_cc| {
            beatbook::ui::BeatbookApp::open_with(dir, Default::default(), move || {
                let _ = held.recv();
                Err(beatbook::store::StoreError::Locked)
            })
        });
    h.step();
    assert!(h.query_by_label("Passphrase").is_some());
    open_now.send(()).unwrap();
    if let Some(lock) = h.state_mut().lock_screen() {
        lock.wait();
    }
    h.run();
    assert!(h.query_by_label("beatbook cannot open your log").is_some());
}

#[test]
fn five_wrong_passphrases_on_the_lock_screen_lock_it_for_ten_minutes() {
    let tmp = tempfile::tempdir().unwrap();
    seed(tmp.path());
    let mut h = locked_app(tmp.path());
    for _ in 0..MAX_FAILED_UNLOCKS {
        unlock(&mut h, "Not-The-Passphrase-1");
    }
    assert!(h
        .query_by_label_contains("Too many wrong passphrases")
        .is_some());
    assert!(
        h.query_by_label("Passphrase").is_none(),
        "no field to type in"
    );
    h.state_mut().fixed_now = Some(now() + Duration::minutes(LOCKOUT_MINUTES));
    h.run();
    unlock(&mut h, PASSPHRASE);
    assert!(h.state_mut().workspace().is_some());
}

#[test]
fn the_passphrase_and_the_squad_passphrase_are_changed_in_settings() {
    let tmp = tempfile::tempdir().unwrap();
    let mut h = settings_with_a_seeded_log(tmp.path());
    type_secret(&mut h, "Current passphrase", PASSPHRASE);
    // Strong by itself, but built on one of the log's beats.
    type_secret(&mut h, "New passphrase", "Elm park 7 lanterns");
    type_secret(&mut h, "New passphrase again", "Elm park 7 lanterns");
    assert!(h
        .query_by_label_contains("holds your name, badge number or beat")
        .is_some());
    click(&mut h, "Change passphrase");
    assert_eq!(
        h.query_all_by_label_contains("holds your name, badge number or beat")
            .count(),
        2,
        "refused, under the button as under the field"
    );
    clear_secret(&mut h, "New passphrase");
    clear_secret(&mut h, "New passphrase again");
    type_secret(&mut h, "New passphrase", "Quiet otter borrows 9 lamps");
    assert!(h.query_by_label_contains("Strength: strong").is_some());
    type_secret(
        &mut h,
        "New passphrase again",
        "Quiet otter borrows 9 lamps",
    );
    click_and_wait(&mut h, "Change passphrase");
    let status = ws(&mut h).status.clone().unwrap();
    assert!(
        status.text.starts_with("The passphrase is changed"),
        "{status:?}"
    );
    press_ctrl(&mut h, Key::L);
    unlock(&mut h, PASSPHRASE);
    assert!(
        h.query_by_label_contains("not right").is_some(),
        "the old one is refused"
    );
    unlock(&mut h, "Quiet otter borrows 9 lamps");
    assert!(h.state_mut().workspace().is_some());

    // Still on Settings after the unlock. A weak squad passphrase is refused and stays typed.
    type_secret(&mut h, "Squad passphrase", "weak");
    click(&mut h, "Change squad passphrase");
    assert!(h
        .query_by_label_contains("at least 10 characters")
        .is_some());
    type_secret(&mut h, "Squad passphrase", "-Squad-North-9");
    click(&mut h, "Change squad passphrase");
    let squad = ws(&mut h).store.squad_passphrase().unwrap().unwrap();
    assert_eq!(squad.as_str(), "weak-Squad-North-9");
}

#[test]
fn an_officer_never_opens_on_the_review_screen_remembered_from_a_sergeants_log() {
    let tmp = tempfile::tempdir().unwrap();
    seed(tmp.path());
    let mut h = locked_app_on(tmp.path(), beatbook::ui::command::Screen::Review);
    unlock(&mut h, PASSPHRASE);
    assert_eq!(ws(&mut h).screen, beatbook::ui::command::Screen::Today);
}

/// "The two passphrases differ" is said until they match, not after: typing the second one
/// again takes the message away before the button is pressed.
#[test]
fn the_first_run_stops_saying_the_passphrases_differ_once_they_match() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("new");
    let mut h = locked_app(&dir);
    type_secret(&mut h, "Passphrase", "Riverside-2026!");
    type_secret(&mut h, "Type it again", "Riverside-2026?");
    start_unlock(&mut h, "Encrypt and start");
    assert!(h
        .query_by_label_contains("two passphrases differ")
        .is_some());
    type_secret(&mut h, "Type it again", "Riverside-2026!");
    assert!(
        h.query_by_label_contains("two passphrases differ")
            .is_none(),
        "they match now"
    );
    assert!(h.state_mut().lock_screen().is_some(), "still asking");
}

/// The same in Settings: once the new passphrase is typed again the same, the fields no
/// longer say they differ.
#[test]
fn settings_stop_saying_the_new_passphrases_differ_once_they_match() {
    let tmp = tempfile::tempdir().unwrap();
    let mut h = settings_with_a_seeded_log(tmp.path());
    type_secret(&mut h, "Current passphrase", PASSPHRASE);
    type_secret(&mut h, "New passphrase", "Quiet otter borrows 9 lamps");
    type_secret(&mut h, "New passphrase again", "Quiet otter borrows 9 lamp");
    click(&mut h, "Change passphrase");
    assert!(h
        .query_by_label("The two new passphrases differ.")
        .is_some());
    type_secret(&mut h, "New passphrase again", "s");
    assert!(
        h.query_by_label("The two new passphrases differ.")
            .is_none(),
        "they match now"
    );
}

/// The app over a seeded log in `dir`, on Settings, scrolled to "Change the passphrase".
fn settings_with_a_seeded_log(dir: &std::path::Path) -> App {
    seed(dir);
    let mut h = app(dir);
    click(&mut h, "Settings");
    scroll_to_the_passphrase_change(&mut h);
    h
}

fn scroll_to_the_passphrase_change(h: &mut App) {
    h.get_by_label("Change passphrase").scroll_to_me();
    h.run();
}
