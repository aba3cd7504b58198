//! Bundles and the merge: squad members' logs brought together, in any order, any number of
//! times; edits win by revision, deletes travel, conflicts are shown and never overwritten.

use std::path::{Path, PathBuf};

use beatbook::bundle::{
    apply_import, plan_import, read_bundle, write_bundle_file, Bundle, BundleScope, Choice,
    ImportPlan,
};
use beatbook::model::{
    Contact, ContactKind, Id, Initiator, Meta, Neighborhood, RecordKind, Review, Role, Tone,
    Verdict,
};
use beatbook::store::Store;
use chrono::{TimeZone, Utc};
use proptest::prelude::*;

use crate::common;

/// An officer's store with `n` contacts in their beat; returns the store and the contact ids.
fn officer_store(dir: &Path, name: &str, badge: &str, n: usize) -> (Store, Vec<Id>) {
    let store = Store::open(dir, &common::key()).unwrap();
    let profile = store
        .set_up(name, badge, Role::Officer, "Riverside")
        .unwrap();
    common::join_squad(&store);
    let me = profile.officer;
    let hood = profile.last_neighborhood.unwrap();
    let ids = (0..n)
        .map(|i| {
            add_contact(
                &store,
                me,
                hood,
                i as u32,
                &format!("{name} talked with residents {i}"),
            )
        })
        .collect();
    (store, ids)
}

fn add_contact(store: &Store, me: Id, hood: Id, day: u32, note: &str) -> Id {
    let at = Utc
        .with_ymd_and_hms(2026, 11, 1 + day % 28, 9, 0, 0)
        .unwrap();
    let c = Contact {
        meta: Meta::new(store.new_id_at(at).unwrap(), me, at),
        at,
        neighborhood: hood,
        place: "Elm St".into(),
        kind: ContactKind::Conversation,
        people: vec![],
        unnamed: 2,
        initiated_by: Initiator::Resident,
        tags: vec![],
        tone: Tone::Friendly,
        note: note.into(),
    };
    store.save(c, me).unwrap().meta.id
}

/// Dana's log with `n` contacts, and a sergeant's log that has imported it once.
fn dana_then_sergeant(dir: &Path, n: usize) -> (Store, Vec<Id>, Store) {
    let (a, ids) = officer_store(&dir.join("a"), "Dana Reyes", "4127", n);
    let s = sergeant(&dir.join("s"));
    import(
        &s,
        &[bundle_of(
            &a,
            BundleScope::Everything,
            &dir.join("1.bbundle"),
        )],
        &[],
    );
    (a, ids, s)
}

fn me(store: &Store) -> Id {
    store.require_profile().unwrap().officer
}

fn bundle_of(store: &Store, scope: BundleScope, path: &Path) -> Bundle {
    common::join_squad(store);
    write_bundle_file(store, scope, path).unwrap();
    read_bundle(path, &common::squad_key()).unwrap()
}

/// The import plan with every bundle's signer approved first, as the sergeant does after
/// comparing fingerprints (these tests are about the merge, not the roster).
fn approved_plan(store: &Store, bundles: Vec<Bundle>) -> beatbook::store::StoreResult<ImportPlan> {
    for b in &bundles {
        common::approve_signer(store, b);
    }
    plan_import(store, bundles)
}

fn import(store: &Store, bundles: &[Bundle], choices: &[Choice]) {
    let plan = approved_plan(store, bundles.to_vec()).unwrap();
    apply_import(store, &plan, choices).unwrap();
}

/// Everything a merge decides: each record and its history, by kind and id.
fn dump(store: &Store) -> Vec<(RecordKind, Id, serde_json::Value, Vec<serde_json::Value>)> {
    let mut out = Vec::new();
    for kind in RecordKind::ALL {
        for v in store.versions(kind).unwrap() {
            let history = v
                .history
                .iter()
                .map(|h| serde_json::to_value(h).unwrap())
                .collect();
            out.push((kind, v.id, v.record, history));
        }
    }
    out
}

fn sergeant(dir: &Path) -> Store {
    let store = Store::open(dir, &common::key()).unwrap();
    store
        .set_up("Sam Ortiz", "5150", Role::Sergeant, "Elm Park")
        .unwrap();
    common::join_squad(&store);
    store
}

#[test]
fn two_officers_merge_once_whatever_the_order() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, _) = officer_store(&tmp.path().join("a"), "Dana Reyes", "4127", 5);
    let (b, _) = officer_store(&tmp.path().join("b"), "Ali Khan", "3301", 3);
    let ba = bundle_of(&a, BundleScope::Everything, &tmp.path().join("a.bbundle"));
    let bb = bundle_of(&b, BundleScope::Everything, &tmp.path().join("b.bbundle"));

    let s1 = sergeant(&tmp.path().join("s1"));
    let plan = approved_plan(&s1, vec![ba.clone(), bb.clone()]).unwrap();
    let total = plan.total();
    assert_eq!(total.conflicting, 0);
    assert_eq!(total.unchanged, 0);
    assert_eq!(total.new, ba.records.len() + bb.records.len());
    let contacts = plan
        .counts
        .iter()
        .find(|(k, _)| *k == RecordKind::Contact)
        .unwrap()
        .1;
    assert_eq!(contacts.new, 8);
    let summary = apply_import(&s1, &plan, &[]).unwrap();
    assert!(summary.backup.is_some(), "a backup is taken before writing");
    assert_eq!(s1.all::<Contact>().unwrap().len(), 8);
    assert!(s1.check().unwrap().is_ok());

    // Again: nothing changes.
    let before = dump(&s1);
    let again = approved_plan(&s1, vec![bb.clone(), ba.clone()]).unwrap();
    assert!(again.changes_nothing());
    assert_eq!(again.total().unchanged, ba.records.len() + bb.records.len());
    apply_import(&s1, &again, &[]).unwrap();
    assert_eq!(dump(&s1), before);

    // The other order, one bundle at a time, gives the same records.
    let s2 = Store::open(&tmp.path().join("s2"), &common::key()).unwrap();
    import(&s2, std::slice::from_ref(&bb), &[]);
    import(&s2, std::slice::from_ref(&ba), &[]);
    let s3 = Store::open(&tmp.path().join("s3"), &common::key()).unwrap();
    import(&s3, &[ba, bb], &[]);
    assert_eq!(dump(&s2), dump(&s3));
}

#[test]
fn a_newer_revision_wins_and_the_older_stays_in_history() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, ids, s) = dana_then_sergeant(tmp.path(), 2);

    let mut c: Contact = a.get(ids[0]).unwrap().unwrap();
    c.note = "Talked with the block captain about the streetlight".into();
    a.save(c, me(&a)).unwrap();
    a.delete::<Contact>(ids[1], me(&a)).unwrap();
    let newer = bundle_of(&a, BundleScope::Everything, &tmp.path().join("2.bbundle"));
    let plan = approved_plan(&s, vec![newer.clone()]).unwrap();
    let contacts = plan
        .counts
        .iter()
        .find(|(k, _)| *k == RecordKind::Contact)
        .unwrap()
        .1;
    assert_eq!((contacts.updated, contacts.conflicting), (2, 0));
    apply_import(&s, &plan, &[]).unwrap();

    let merged: Contact = s.get(ids[0]).unwrap().unwrap();
    assert_eq!(merged.meta.revision, 2);
    assert!(merged.note.contains("streetlight"));
    let history = s.history::<Contact>(ids[0]).unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].revision, 1);
    // The delete travelled as a tombstone.
    let gone: Contact = s.get(ids[1]).unwrap().unwrap();
    assert!(gone.meta.deleted);
    assert!(s.check().unwrap().is_ok());

    // An older bundle arriving late changes nothing.
    let older = read_bundle(&tmp.path().join("1.bbundle"), &common::squad_key()).unwrap();
    assert!(approved_plan(&s, vec![older]).unwrap().changes_nothing());
}

/// Dana's one-contact log merged into a sergeant's log in `dir`; then both edit the contact
/// (`officer_edits` and `sergeant_edits` times). Returns the two stores, the contact's id and
/// a bundle of Dana's edited log.
fn edited_on_both_sides(
    dir: &Path,
    officer_edits: usize,
    sergeant_edits: usize,
) -> (Store, Store, Id, Bundle) {
    let (a, ids, s) = dana_then_sergeant(dir, 1);
    for i in 0..officer_edits {
        let mut theirs: Contact = a.get(ids[0]).unwrap().unwrap();
        theirs.note = format!("The officer's correction {i}");
        a.save(theirs, me(&a)).unwrap();
    }
    for i in 0..sergeant_edits {
        let mut mine: Contact = s.get(ids[0]).unwrap().unwrap();
        mine.tone = Tone::Warm;
        mine.place = format!("Elm St, edit {i}");
        s.save(mine, me(&s)).unwrap();
    }
    let b = bundle_of(&a, BundleScope::Everything, &dir.join("2.bbundle"));
    (a, s, ids[0], b)
}

/// Every record's revision is above its history's revision chain, and the log checks clean.
fn consistent(store: &Store) {
    let report = store.check().unwrap();
    assert!(report.is_ok(), "{:?}", report.problems);
}

#[test]
fn an_entry_edited_on_both_sides_is_a_conflict_the_user_settles() {
    let tmp = tempfile::tempdir().unwrap();
    let (_, s, id, b) = edited_on_both_sides(tmp.path(), 1, 1);
    let plan = approved_plan(&s, vec![b.clone()]).unwrap();
    assert_eq!(plan.conflicts.len(), 1);
    let c = &plan.conflicts[0];
    assert_eq!(c.id, id);
    assert_eq!(c.fields, vec!["note", "place", "tone"]);
    assert_eq!(c.here_by, "Sam Ortiz");
    assert_eq!(c.theirs_by, "Dana Reyes");

    // Keep mine: the entry here is untouched, theirs is kept in its history and not offered
    // again.
    let before = s.get::<Contact>(id).unwrap().unwrap();
    apply_import(&s, &plan, &[Choice::KeepMine]).unwrap();
    assert_eq!(s.get::<Contact>(id).unwrap().unwrap(), before);
    let history = s.history::<Contact>(id).unwrap();
    let kept = history.iter().find(|h| h.set_aside).expect("theirs kept");
    assert_eq!(kept.previous["note"], "The officer's correction 0");
    assert!(approved_plan(&s, vec![b]).unwrap().changes_nothing());
    consistent(&s);
}

#[test]
fn taking_theirs_keeps_mine_in_the_history_whatever_the_revisions() {
    for (officer_edits, sergeant_edits) in [(1, 1), (1, 3), (3, 1)] {
        let tmp = tempfile::tempdir().unwrap();
        let (a, s, id, b) = edited_on_both_sides(tmp.path(), officer_edits, sergeant_edits);
        let plan = approved_plan(&s, vec![b.clone()]).unwrap();
        apply_import(&s, &plan, &[Choice::TakeTheirs]).unwrap();
        let now: Contact = s.get(id).unwrap().unwrap();
        assert_eq!(
            now,
            a.get::<Contact>(id).unwrap().unwrap(),
            "theirs, as it is"
        );
        let history = s.history::<Contact>(id).unwrap();
        let chain: Vec<u32> = history
            .iter()
            .filter(|h| !h.set_aside)
            .map(|h| h.revision)
            .collect();
        assert_eq!(chain, (1..now.meta.revision).collect::<Vec<_>>());
        let set_aside = history.iter().filter(|h| h.set_aside).count();
        assert_eq!(set_aside, sergeant_edits, "each of my revisions is kept");
        consistent(&s);

        // Both logs now agree, and go on working: an edit here, a bundle back to the officer.
        let mut edit = now.clone();
        edit.note = "After the merge".into();
        s.save(edit, me(&s)).unwrap();
        consistent(&s);
        let back = bundle_of(
            &s,
            BundleScope::Everything,
            &tmp.path().join("back.bbundle"),
        );
        let plan = approved_plan(&a, vec![back]).unwrap();
        assert!(plan.conflicts.is_empty());
        apply_import(&a, &plan, &[]).unwrap();
        assert_eq!(
            a.get::<Contact>(id).unwrap().unwrap().note,
            "After the merge"
        );
        consistent(&a);
    }
}

#[test]
fn bundles_edited_apart_give_the_same_result_in_any_order() {
    let tmp = tempfile::tempdir().unwrap();
    // One contact in Dana's log, copied to a second laptop (her log restored there), edited
    // apart: A at revisions 2 and 3, B at revision 2. (A bundle carries only what its signer
    // wrote, so the copy is Dana's own log, as it is in the field.)
    let (a, ids) = officer_store(&tmp.path().join("a"), "Dana Reyes", "4127", 1);
    drop(a);
    let b_dir = tmp.path().join("b");
    common::copy_dir(&tmp.path().join("a"), &b_dir);
    let a = Store::open(&tmp.path().join("a"), &common::key()).unwrap();
    let b = Store::open(&b_dir, &common::key()).unwrap();
    let edit = |store: &Store, note: &str, name: &str| -> Bundle {
        let mut c: Contact = store.get(ids[0]).unwrap().unwrap();
        c.note = note.into();
        store.save(c, me(&a)).unwrap();
        bundle_of(store, BundleScope::Everything, &tmp.path().join(name))
    };
    let a2 = edit(&a, "A, second", "a2.bbundle");
    let b2 = edit(&b, "B, second", "b2.bbundle");
    let a3 = edit(&a, "A, third", "a3.bbundle");
    for choice in [Choice::KeepMine, Choice::TakeTheirs] {
        let mut results = Vec::new();
        for order in [
            [&a2, &b2, &a3],
            [&a2, &a3, &b2],
            [&b2, &a2, &a3],
            [&a3, &b2, &a2],
        ] {
            let dir = tempfile::tempdir().unwrap();
            let s = Store::open(dir.path(), &common::key()).unwrap();
            let bundles: Vec<Bundle> = order.iter().map(|b| (*b).clone()).collect();
            let plan = approved_plan(&s, bundles.clone()).unwrap();
            assert_eq!(plan.conflicts.len(), 1);
            apply_import(&s, &plan, &[choice]).unwrap();
            consistent(&s);
            let c: Contact = s.get(ids[0]).unwrap().unwrap();
            let kept: Vec<String> = s
                .history::<Contact>(ids[0])
                .unwrap()
                .iter()
                .filter(|h| h.set_aside)
                .map(|h| h.previous["note"].as_str().unwrap().to_string())
                .collect();
            results.push((c.note, kept));
        }
        assert!(results.windows(2).all(|w| w[0] == w[1]), "{results:?}");
        let (note, kept) = &results[0];
        assert!(
            note == "A, third" || note == "B, second",
            "the newest of each side"
        );
        assert_eq!(kept.len(), 1, "the other side is kept: {kept:?}");
    }
}

#[test]
fn a_log_changed_after_the_plan_refuses_the_import() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, ids, s) = dana_then_sergeant(tmp.path(), 1);
    let mut c: Contact = a.get(ids[0]).unwrap().unwrap();
    c.note = "Newer".into();
    a.save(c, me(&a)).unwrap();
    let b = bundle_of(&a, BundleScope::Everything, &tmp.path().join("2.bbundle"));
    let plan = approved_plan(&s, vec![b]).unwrap();
    // While the preview is open, the contact is deleted here.
    s.delete::<Contact>(ids[0], me(&s)).unwrap();
    let before = dump(&s);
    let err = apply_import(&s, &plan, &[]).unwrap_err();
    assert!(
        err.to_string().contains("changed while the import"),
        "{err}"
    );
    assert_eq!(dump(&s), before);
}

#[test]
fn reviews_go_back_to_their_officer_only() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, a_ids) = officer_store(&tmp.path().join("a"), "Dana Reyes", "4127", 2);
    let (b, b_ids) = officer_store(&tmp.path().join("b"), "Ali Khan", "3301", 1);
    let s = sergeant(&tmp.path().join("s"));
    import(
        &s,
        &[
            bundle_of(&a, BundleScope::Everything, &tmp.path().join("a.bbundle")),
            bundle_of(&b, BundleScope::Everything, &tmp.path().join("b.bbundle")),
        ],
        &[],
    );
    let sarge = me(&s);
    for (id, verdict) in [
        (
            a_ids[0],
            Verdict::Returned {
                reason: "Who was there?".into(),
            },
        ),
        (a_ids[1], Verdict::Reviewed),
        (b_ids[0], Verdict::Reviewed),
    ] {
        let review = Review {
            meta: s.new_meta(sarge).unwrap(),
            contact: id,
            contact_revision: 1,
            verdict,
            comment: String::new(),
        };
        s.save(review, sarge).unwrap();
    }
    let for_a = bundle_of(
        &s,
        BundleScope::ReviewsFor(me(&a)),
        &tmp.path().join("reviews-a.bbundle"),
    );
    let kinds: Vec<RecordKind> = for_a.records.iter().map(|v| v.kind).collect();
    assert_eq!(
        kinds,
        vec![RecordKind::Officer, RecordKind::Review, RecordKind::Review]
    );
    import(&a, &[for_a], &[]);
    let reviews = a.all::<Review>().unwrap();
    assert_eq!(reviews.len(), 2);
    assert!(reviews.iter().all(|r| a_ids.contains(&r.contact)));
    assert!(a.check().unwrap().is_ok());
}

/// The plain bundle inside a bundle file.
fn bytes_of(path: &Path) -> Vec<u8> {
    beatbook::bundle::open_bundle_bytes(&std::fs::read(path).unwrap(), &common::squad_key())
        .unwrap()
}

/// Writes a plain bundle sealed, as beatbook writes bundle files.
fn write_sealed(path: &Path, plain: &[u8]) {
    let sealed = beatbook::bundle::seal_bundle_bytes(plain, &common::squad_key()).unwrap();
    std::fs::write(path, sealed).unwrap();
}

fn refused(store: &Store, path: &Path, words: &str) {
    let before = dump(store);
    let err = read_bundle(path, &common::squad_key()).expect_err("the bundle should be refused");
    let text = err.to_string();
    assert!(text.contains(words), "{text}");
    assert!(text.contains("Nothing was imported"), "{text}");
    assert_eq!(dump(store), before);
}

#[test]
fn damaged_foreign_and_future_bundles_are_refused_whole() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, _) = officer_store(&tmp.path().join("a"), "Dana Reyes", "4127", 3);
    let good = tmp.path().join("good.bbundle");
    write_bundle_file(&a, BundleScope::Everything, &good).unwrap();
    let s = sergeant(&tmp.path().join("s"));
    let bytes = bytes_of(&good);
    let write = |name: &str, b: &[u8]| -> PathBuf {
        let p = tmp.path().join(name);
        write_sealed(&p, b);
        p
    };
    let write_raw = |name: &str, b: &[u8]| -> PathBuf {
        let p = tmp.path().join(name);
        std::fs::write(&p, b).unwrap();
        p
    };

    let cut = write("cut.bbundle", &bytes[..bytes.len() * 2 / 3]);
    refused(&s, &cut, "damaged or was cut short");

    let mut flipped = bytes.clone();
    let i = bytes.len() / 2;
    flipped[i] = if flipped[i] == b'a' { b'b' } else { b'a' };
    let flipped = write("flipped.bbundle", &flipped);
    refused(&s, &flipped, "damaged or was cut short");

    let text = String::from_utf8(bytes.clone()).unwrap();
    let future = write(
        "future.bbundle",
        text.replacen(
            &format!("\"version\":{}", beatbook::bundle::BUNDLE_VERSION),
            &format!("\"version\":{}", beatbook::bundle::BUNDLE_VERSION + 1),
            1,
        )
        .as_bytes(),
    );
    refused(&s, &future, "newer beatbook");

    refused(
        &s,
        &write_raw("empty.bbundle", b""),
        "not a beatbook bundle",
    );
    refused(
        &s,
        &write_raw("csv.bbundle", b"when,where\n1,2\n"),
        "not a beatbook bundle",
    );
    // The sealed file itself: a changed byte, a cut, another squad's passphrase, no seal.
    let sealed = std::fs::read(&good).unwrap();
    let mut tampered = sealed.clone();
    let last = tampered.len() - 20;
    tampered[last] ^= 0x01;
    let changed = "changed after it was written, or sealed with another squad passphrase";
    refused(&s, &write_raw("tampered.bbundle", &tampered), changed);
    refused(
        &s,
        &write_raw("cut-sealed.bbundle", &sealed[..sealed.len() - 100]),
        changed,
    );
    let other_squad = beatbook::store::Passphrase::new("Another-Squad-9")
        .with_cost(beatbook::store::KdfCost::MINIMAL);
    let theirs = beatbook::bundle::seal_bundle_bytes(&bytes, &other_squad).unwrap();
    refused(&s, &write_raw("other-squad.bbundle", &theirs), changed);
    refused(
        &s,
        &write_raw("plain.bbundle", &bytes),
        "not encrypted (it was made by an older beatbook)",
    );
    refused(&s, &tmp.path().join("missing.bbundle"), "cannot be read");
}

/// The bundle at `good` with one contact line rewritten by `tamper`, re-signed with `signer`'s
/// key (as a faulty beatbook would have signed it) and re-sealed, so that only the rewrite is
/// wrong; returns the new file and the line number.
fn resealed(good: &Path, signer: &Store, tamper: impl Fn(&str) -> String, out: &Path) -> usize {
    let text = String::from_utf8(bytes_of(good)).unwrap();
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    let end = lines.pop().unwrap();
    let at = lines
        .iter()
        .position(|l| l.starts_with("{\"kind\":\"contact\""))
        .unwrap();
    lines[at] = tamper(&lines[at]);
    let mut body = String::new();
    for l in &lines {
        body.push_str(l);
        body.push('\n');
    }
    use sha2::Digest;
    let sum: String = sha2::Sha256::digest(body.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let old_sum = serde_json::from_str::<serde_json::Value>(&end).unwrap()["sha256"]
        .as_str()
        .unwrap()
        .to_string();
    let old_signature = serde_json::from_str::<serde_json::Value>(&end).unwrap()["signature"]
        .as_str()
        .unwrap()
        .to_string();
    let signature = beatbook::bundle::LogSigner::of(signer)
        .unwrap()
        .sign_digest(&sum);
    body.push_str(
        &end.replace(&old_sum, &sum)
            .replace(&old_signature, &signature),
    );
    body.push('\n');
    write_sealed(out, body.as_bytes());
    at + 1
}

#[test]
fn a_record_that_breaks_the_rules_is_refused_by_line() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, _) = officer_store(&tmp.path().join("a"), "Dana Reyes", "4127", 1);
    let good = tmp.path().join("good.bbundle");
    write_bundle_file(&a, BundleScope::Everything, &good).unwrap();
    let s = sergeant(&tmp.path().join("s"));
    let bad = tmp.path().join("bad.bbundle");
    // Nobody present.
    let line = resealed(
        &good,
        &a,
        |l| l.replace("\"unnamed\":2", "\"unnamed\":0"),
        &bad,
    );
    refused(&s, &bad, &format!("line {line}"));
    // Re-signed by any other key, the same file is refused as changed after it was signed.
    let other = Store::open(&tmp.path().join("other"), &common::key()).unwrap();
    resealed(
        &good,
        &other,
        |l| l.replace("\"unnamed\":2", "\"unnamed\":0"),
        &bad,
    );
    refused(&s, &bad, "changed after it was signed");
    // A revision no record reaches, which would overflow with the next edit.
    let line = resealed(
        &good,
        &a,
        |l| l.replace("\"revision\":1", &format!("\"revision\":{}", u32::MAX)),
        &bad,
    );
    refused(&s, &bad, &format!("line {line}"));
}

/// Snapshots of logs as they change; each snapshot is a bundle. Edits go to Dana's log (0),
/// Ali's (1), or a second copy of Dana's log (2, her log restored on another laptop) edited
/// apart, which makes conflicts.
fn history_of_bundles(dir: &Path, edits: &[(u8, u8)]) -> Vec<Bundle> {
    let (a, a_ids) = officer_store(&dir.join("a"), "Dana Reyes", "4127", 2);
    drop(a);
    common::copy_dir(&dir.join("a"), &dir.join("copy"));
    let a = Store::open(&dir.join("a"), &common::key()).unwrap();
    let copy = Store::open(&dir.join("copy"), &common::key()).unwrap();
    let (b, b_ids) = officer_store(&dir.join("b"), "Ali Khan", "3301", 2);
    let mut bundles = Vec::new();
    for (i, &(which, what)) in edits.iter().enumerate() {
        let (store, ids) = match which % 3 {
            0 => (&a, &a_ids),
            1 => (&b, &b_ids),
            _ => (&copy, &a_ids),
        };
        let officer = me(store);
        let id = ids[usize::from(what) % ids.len()];
        match what % 3 {
            0 => {
                let mut c: Contact = store.get(id).unwrap().unwrap();
                c.note = format!("{} (edit {i})", c.note);
                store.save(c, officer).unwrap();
            }
            1 => {
                let c: Contact = store.get(id).unwrap().unwrap();
                if c.meta.deleted {
                    store.restore::<Contact>(id, officer).unwrap();
                } else {
                    store.delete::<Contact>(id, officer).unwrap();
                }
            }
            _ => {
                let hood = store.all::<Neighborhood>().unwrap()[0].meta.id;
                add_contact(store, officer, hood, i as u32, &format!("new {i}"));
            }
        }
        let path = dir.join(format!("{i}.bbundle"));
        bundles.push(bundle_of(store, BundleScope::Everything, &path));
    }
    bundles
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(12),
        ..ProptestConfig::default()
    })]

    /// Any order and any repetition of the same bundles gives the same store.
    #[test]
    fn merge_is_order_and_repetition_free(
        edits in proptest::collection::vec((0..2u8, any::<u8>()), 1..6),
        order in proptest::collection::vec(any::<proptest::sample::Index>(), 1..12),
    ) {
        let tmp = tempfile::tempdir().unwrap();
        let bundles = history_of_bundles(tmp.path(), &edits);
        // Every bundle once, in the order made.
        let reference = Store::open(&tmp.path().join("ref"), &common::key()).unwrap();
        import(&reference, &bundles, &[]);
        // Every bundle at least once, then a random sequence with repeats, one import each.
        let shuffled = Store::open(&tmp.path().join("shuffled"), &common::key()).unwrap();
        let mut picks: Vec<usize> = order.iter().map(|ix| ix.index(bundles.len())).collect();
        picks.extend((0..bundles.len()).rev());
        for &p in &picks {
            let plan = approved_plan(&shuffled, vec![bundles[p].clone()]).unwrap();
            prop_assert!(plan.conflicts.is_empty());
            apply_import(&shuffled, &plan, &[]).unwrap();
        }
        prop_assert_eq!(dump(&shuffled), dump(&reference));
        prop_assert!(shuffled.check().unwrap().is_ok());
    }

    /// Bundles edited apart, imported together: the same choice gives the same store whatever
    /// the order of the files and however often one is repeated.
    #[test]
    fn conflicts_settle_the_same_in_any_order(
        edits in proptest::collection::vec((0..3u8, any::<u8>()), 1..7),
        order in proptest::collection::vec(any::<proptest::sample::Index>(), 0..8),
        take_theirs in any::<bool>(),
    ) {
        let tmp = tempfile::tempdir().unwrap();
        let bundles = history_of_bundles(tmp.path(), &edits);
        let choice = if take_theirs { Choice::TakeTheirs } else { Choice::KeepMine };
        let merged = |name: &str, set: Vec<Bundle>| {
            let store = Store::open(&tmp.path().join(name), &common::key()).unwrap();
            let plan = approved_plan(&store, set.clone()).unwrap();
            let choices = vec![choice; plan.conflicts.len()];
            apply_import(&store, &plan, &choices).unwrap();
            let report = store.check().unwrap();
            assert!(report.is_ok(), "{:?}", report.problems);
            dump(&store)
        };
        let reference = merged("ref", bundles.clone());
        let mut shuffled: Vec<Bundle> = bundles.iter().rev().cloned().collect();
        shuffled.extend(order.iter().map(|ix| bundles[ix.index(bundles.len())].clone()));
        let turn = order.len() % shuffled.len().max(1);
        shuffled.rotate_left(turn);
        prop_assert_eq!(merged("shuffled", shuffled), reference);
    }
}

#[test]
fn a_later_revision_of_mine_is_mine_in_a_conflict() {
    for choice in [Choice::KeepMine, Choice::TakeTheirs] {
        let tmp = tempfile::tempdir().unwrap();
        let (a, ids) = officer_store(&tmp.path().join("a"), "Dana Reyes", "4127", 1);
        let id = ids[0];
        let start = bundle_of(&a, BundleScope::Everything, &tmp.path().join("1.bbundle"));
        let s = sergeant(&tmp.path().join("s"));
        // A second sergeant's log (a lieutenant's): only a sergeant may edit an officer's entry.
        let b = Store::open(&tmp.path().join("b"), &common::key()).unwrap();
        b.set_up("Lee Park", "7000", Role::Sergeant, "Elm Park")
            .unwrap();
        common::join_squad(&b);
        import(&s, std::slice::from_ref(&start), &[]);
        import(&b, &[start], &[]);
        let edit = |store: &Store, note: &str| {
            let mut c: Contact = store.get(id).unwrap().unwrap();
            c.note = note.into();
            store.save(c, me(store)).unwrap();
        };
        // Dana's revision 2 reaches the sergeant, who builds on it; Lee edits revision 1 apart.
        edit(&a, "Dana's second");
        import(
            &s,
            &[bundle_of(
                &a,
                BundleScope::Everything,
                &tmp.path().join("2.bbundle"),
            )],
            &[],
        );
        edit(&s, "Sam's third, on Dana's second");
        edit(&b, "Lee's second, apart");
        let from_s = bundle_of(&s, BundleScope::Everything, &tmp.path().join("s.bbundle"));
        let from_b = bundle_of(&b, BundleScope::Everything, &tmp.path().join("b.bbundle"));

        let plan = approved_plan(&a, vec![from_s, from_b]).unwrap();
        assert_eq!(plan.conflicts.len(), 1);
        let c = &plan.conflicts[0];
        assert_eq!(
            (c.here_by.as_str(), c.theirs_by.as_str()),
            ("Sam Ortiz", "Lee Park")
        );
        apply_import(&a, &plan, &[choice]).unwrap();
        consistent(&a);
        let now: Contact = a.get(id).unwrap().unwrap();
        let kept: Vec<String> = a
            .history::<Contact>(id)
            .unwrap()
            .iter()
            .filter(|h| h.set_aside)
            .map(|h| h.previous["note"].as_str().unwrap().to_string())
            .collect();
        match choice {
            Choice::KeepMine => {
                assert_eq!(now.note, "Sam's third, on Dana's second");
                assert_eq!(kept, ["Lee's second, apart"]);
            }
            Choice::TakeTheirs => {
                assert_eq!(now.note, "Lee's second, apart");
                let mut kept = kept;
                kept.sort();
                assert_eq!(kept, ["Dana's second", "Sam's third, on Dana's second"]);
            }
        }
    }
}

#[test]
fn an_import_stopped_half_way_is_finished_by_importing_the_same_bundle_again() {
    use beatbook::bundle::apply_import_in_steps;
    use std::sync::atomic::{AtomicBool, Ordering};
    let tmp = tempfile::tempdir().unwrap();
    let (a, ids) = officer_store(&tmp.path().join("a"), "Dana Reyes", "4127", 9);
    // Contacts name topics: a stopped import must not leave one naming a topic not yet there.
    let topic = a.all::<beatbook::model::Tag>().unwrap()[5].meta.id;
    for id in ids {
        let mut c: Contact = a.get(id).unwrap().unwrap();
        c.tags = vec![topic];
        a.save(c, me(&a)).unwrap();
    }
    let b = bundle_of(&a, BundleScope::Everything, &tmp.path().join("a.bbundle"));
    let s = sergeant(&tmp.path().join("s"));
    let plan = approved_plan(&s, vec![b.clone()]).unwrap();
    let to_write = plan.records_to_write();
    // The officer, the neighborhood and twelve topics, then the first two contacts.
    let step = 16;
    assert!(to_write > step);

    // Stopped after the first step.
    let stop = AtomicBool::new(false);
    let mut seen = Vec::new();
    let mut progress = |n, of| {
        seen.push((n, of));
        stop.store(true, Ordering::Relaxed);
    };
    let summary = apply_import_in_steps(&s, &plan, &[], step, &mut progress, &stop).unwrap();
    assert_eq!(seen, vec![(step, to_write)]);
    assert!(!summary.is_complete());
    assert_eq!((summary.written, summary.to_write), (step, to_write));
    assert_eq!(
        summary.stopped_by, None,
        "stopped by the user, not by an error"
    );
    assert!(!s.all::<Contact>().unwrap().is_empty());
    let report = s.check().unwrap();
    assert!(
        report.is_ok(),
        "what is written is consistent: {:?}",
        report.problems
    );

    // The same bundle again takes the rest, and ends where one import in one go ends.
    let again = approved_plan(&s, vec![b.clone()]).unwrap();
    assert_eq!(again.records_to_write(), to_write - step);
    assert!(apply_import(&s, &again, &[]).unwrap().is_complete());
    let whole = sergeant(&tmp.path().join("whole"));
    import(&whole, &[b], &[]);
    assert_eq!(s.all::<Contact>().unwrap(), whole.all::<Contact>().unwrap());
    assert!(s.check().unwrap().is_ok());
}

/// A bundle whose header asks for a huge key derivation (1 GiB, 16 passes, as a forged file of
/// a hundred bytes can) is refused in plain words without running it, and a ciphertext too
/// short to hold any bundle is refused as damaged. (That no key is derived for either is shown
/// by the sealed-bundle reader's own tests, which count derivations.)
#[test]
fn a_forged_bundle_asking_for_a_huge_key_derivation_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, _) = officer_store(&tmp.path().join("a"), "Dana Reyes", "4127", 2);
    let good = tmp.path().join("good.bbundle");
    write_bundle_file(&a, BundleScope::Everything, &good).unwrap();
    let s = sergeant(&tmp.path().join("s"));
    let sealed = std::fs::read(&good).unwrap();
    let magic_end = sealed.iter().position(|b| *b == b'\n').unwrap() + 1;
    let header_end = magic_end
        + sealed[magic_end..]
            .iter()
            .position(|b| *b == b'\n')
            .unwrap();
    let header = std::str::from_utf8(&sealed[magic_end..header_end]).unwrap();
    let with_header = |header: &str, ciphertext: &[u8]| -> Vec<u8> {
        let mut out = sealed[..magic_end].to_vec();
        out.extend(header.as_bytes());
        out.push(b'\n');
        out.extend(ciphertext);
        out
    };
    let costly = header.replace(
        "\"memory_kib\":64,\"passes\":1",
        "\"memory_kib\":1048576,\"passes\":16",
    );
    assert_ne!(costly, header);
    let ciphertext = &sealed[header_end + 1..];
    let write = |name: &str, bytes: &[u8]| -> PathBuf {
        let p = tmp.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    };
    let huge =
        "1024 MiB and 16 passes, more than beatbook ever uses, so it was not sealed by beatbook";
    refused(
        &s,
        &write("costly.bbundle", &with_header(&costly, ciphertext)),
        huge,
    );
    // The forged file of the review: about 130 bytes.
    let forged = with_header(&costly, &[0u8; 8]);
    assert!(forged.len() < 200, "{}", forged.len());
    refused(&s, &write("forged.bbundle", &forged), huge);
    for len in [0, 16, 40] {
        refused(
            &s,
            &write("short.bbundle", &with_header(header, &ciphertext[..len])),
            "damaged or was cut short",
        );
    }
}
