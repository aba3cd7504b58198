//! The squad exchange against real storage: a folder, and a real S3-compatible server
//! (SeaweedFS) on loopback. Each test works in a prefix (or folder) of its own.

use std::path::{Path, PathBuf};

use beatbook::bundle::{self, approve_member, roster};
use beatbook::exchange::{
    self, create_squad, join_squad, sync_once, Conflicts, Credentials, ExchangeError, Target,
    TargetSettings,
};
use beatbook::model::{
    Contact, ContactKind, Id, Initiator, MemberStatus, Meta, RecordKind, Review, Role, Tone,
    Verdict,
};
use beatbook::store::Store;
use chrono::Utc;

use crate::common::{self, key, s3, squad_key};

/// The two kinds of target every exchange test runs against.
#[derive(Clone)]
pub enum Where {
    Folder(PathBuf),
    S3(String),
}

impl Where {
    fn settings(&self) -> TargetSettings {
        match self {
            Where::Folder(path) => TargetSettings {
                target: Target::Folder { path: path.clone() },
                credentials: None,
            },
            Where::S3(prefix) => {
                let server = s3::s3_server();
                TargetSettings {
                    target: Target::S3 {
                        bucket: server.bucket.clone(),
                        prefix: prefix.clone(),
                        endpoint: Some(server.endpoint.clone()),
                        region: Some("us-east-1".into()),
                        allow_http: true,
                    },
                    credentials: Some(Credentials {
                        access_key_id: server.access_key.clone(),
                        secret_access_key: zeroize::Zeroizing::new(server.secret_key.clone()),
                    }),
                }
            }
        }
    }
}

pub fn folder_target(root: &Path) -> Where {
    let path = root.join("shared-drive");
    std::fs::create_dir_all(&path).unwrap();
    Where::Folder(path)
}

fn s3_target(name: &str) -> Where {
    Where::S3(s3::fresh_prefix(name))
}

/// A squad: Sergeant Sam Ortiz, who created it, and officers Dana Reyes and Ali Khan, who
/// joined with the join file; all three logs point at `target`. Nobody is approved yet.
pub struct Squad {
    pub sam: PathBuf,
    pub dana: PathBuf,
    pub ali: PathBuf,
}

pub fn squad_on(root: &Path, target: &Where) -> Squad {
    let sam = root.join("sam");
    let dana = root.join("dana");
    let ali = root.join("ali");
    for (dir, name, badge, role) in [
        (&sam, "Sam Ortiz", "5150", Role::Sergeant),
        (&dana, "Dana Reyes", "4127", Role::Officer),
        (&ali, "Ali Khan", "3301", Role::Officer),
    ] {
        let store = Store::open(dir, &key()).unwrap();
        store.set_up(name, badge, role, "Riverside").unwrap();
        exchange::set_target(&store, &target.settings()).unwrap();
    }
    let join = create_squad(&open(&sam), &squad_key()).unwrap();
    for dir in [&dana, &ali] {
        join_squad(&open(dir), &join, &squad_key()).unwrap();
    }
    Squad { sam, dana, ali }
}

pub fn open(dir: &Path) -> Store {
    Store::open(dir, &key()).unwrap()
}

pub fn sync(dir: &Path) -> exchange::SyncReport {
    sync_once(&open(dir), Conflicts::Wait).unwrap()
}

/// The sergeant approves every pending member (after comparing fingerprints in person).
pub fn approve_all(sergeant: &Path) {
    let store = open(sergeant);
    for m in roster(&store).unwrap().members {
        if m.status == MemberStatus::Pending {
            approve_member(&store, &m).unwrap();
        }
    }
}

/// A contact in the log's beat, now, with `author` as its first and last author.
pub fn contact_by(store: &Store, author: Id, note: &str) -> Contact {
    let at = Utc::now();
    Contact {
        meta: Meta::new(store.new_id_at(at).unwrap(), author, at),
        at,
        neighborhood: store.require_profile().unwrap().last_neighborhood.unwrap(),
        place: "Elm St & 5th".into(),
        kind: ContactKind::Conversation,
        people: vec![],
        unnamed: 1,
        initiated_by: Initiator::Resident,
        tags: vec![],
        tone: Tone::Friendly,
        note: note.into(),
    }
}

/// Logs a contact as the log's own officer; returns its id.
pub fn log_contact(dir: &Path, note: &str) -> Id {
    let store = open(dir);
    let me = store.require_profile().unwrap().officer;
    store
        .save(contact_by(&store, me, note), me)
        .unwrap()
        .meta
        .id
}

fn contacts(dir: &Path) -> Vec<Contact> {
    open(dir).all::<Contact>().unwrap()
}

fn notes(dir: &Path) -> Vec<String> {
    contacts(dir).into_iter().map(|c| c.note).collect()
}

/// The whole round: members join and wait until approved, an officer's contact reaches the
/// sergeant, the sergeant's return reaches the officer (and only that officer).
fn round_trip(root: &Path, target: Where) {
    let s = squad_on(root, &target);
    log_contact(
        &s.dana,
        "Mrs Alvarez asked about the broken streetlight on Elm.",
    );
    let first = sync(&s.dana);
    assert!(first.sent_records >= 2, "{first:?}");
    sync(&s.ali);

    // The sergeant sees both members waiting, and nothing of theirs is applied yet.
    let held = sync(&s.sam);
    assert_eq!(held.held, 2, "{held:?}");
    assert!(notes(&s.sam).is_empty());
    let pending: Vec<_> = roster(&open(&s.sam))
        .unwrap()
        .members
        .into_iter()
        .filter(|m| m.status == MemberStatus::Pending)
        .map(|m| m.name)
        .collect();
    assert_eq!(pending.len(), 2, "{pending:?}");

    approve_all(&s.sam);
    let got = sync(&s.sam);
    assert_eq!(got.held, 0, "{got:?}");
    assert!(got.refused.is_empty(), "{got:?}");
    assert_eq!(
        notes(&s.sam),
        vec!["Mrs Alvarez asked about the broken streetlight on Elm.".to_string()]
    );

    // The sergeant returns the entry; the review reaches Dana, not Ali.
    let sam = open(&s.sam);
    let me = sam.require_profile().unwrap().officer;
    let contact = sam.all::<Contact>().unwrap().remove(0);
    let review = Review {
        meta: Meta::new(sam.new_id().unwrap(), me, Utc::now()),
        contact: contact.meta.id,
        contact_revision: contact.meta.revision,
        verdict: Verdict::Returned {
            reason: "Which lamp post? Add the pole number.".into(),
        },
        comment: String::new(),
    };
    sam.save(review, me).unwrap();
    drop(sam);
    sync(&s.sam);
    let back = sync(&s.dana);
    assert!(back.refused.is_empty(), "{back:?}");
    let reviews = open(&s.dana).all::<Review>().unwrap();
    assert_eq!(reviews.len(), 1);
    assert_eq!(
        reviews[0].verdict,
        Verdict::Returned {
            reason: "Which lamp post? Add the pole number.".into()
        }
    );
    sync(&s.ali);
    assert!(open(&s.ali).all::<Review>().unwrap().is_empty());
    assert!(
        notes(&s.ali).is_empty(),
        "an officer does not receive another's contacts"
    );

    // The members learn from the sergeant's signed roster that they are approved.
    let (_, dana_sees) = exchange::members_with_status(&open(&s.dana)).unwrap();
    assert!(
        dana_sees
            .iter()
            .any(|m| m.name == "Ali Khan" && m.status == MemberStatus::Approved),
        "{dana_sees:?}"
    );

    // A second sync with nothing new sends and applies nothing.
    let quiet = sync(&s.dana);
    assert_eq!((quiet.sent_records, quiet.applied), (0, 0), "{quiet:?}");
}

#[test]
fn a_squad_exchanges_through_a_folder() {
    let root = tempfile::tempdir().unwrap();
    round_trip(root.path(), folder_target(root.path()));
}

#[test]
fn a_squad_exchanges_through_s3() {
    let root = tempfile::tempdir().unwrap();
    round_trip(root.path(), s3_target("round-trip"));
}

/// Every object the storage holds, with its name relative to the folder.
fn objects(folder: &Path) -> Vec<(String, Vec<u8>)> {
    common::files_under(folder)
        .into_iter()
        .filter(|p| p.is_file())
        .map(|p| {
            let name = p.strip_prefix(folder).unwrap().display().to_string();
            (name, std::fs::read(&p).unwrap())
        })
        .collect()
}

#[test]
fn the_storage_holds_only_sealed_objects_under_opaque_names() {
    let root = tempfile::tempdir().unwrap();
    let target = folder_target(root.path());
    let s = squad_on(root.path(), &target);
    log_contact(
        &s.dana,
        "Mrs Alvarez asked about the broken streetlight on Elm.",
    );
    sync(&s.dana);
    sync(&s.sam);
    approve_all(&s.sam);
    sync(&s.sam);
    let Where::Folder(folder) = &target else {
        unreachable!()
    };
    let all = objects(folder);
    assert!(
        all.len() >= 3,
        "{:?}",
        all.iter().map(|o| &o.0).collect::<Vec<_>>()
    );
    for (name, bytes) in &all {
        for word in [
            "Dana",
            "Reyes",
            "4127",
            "Riverside",
            "Alvarez",
            "streetlight",
            "Sam",
            "5150",
        ] {
            assert!(!name.contains(word), "{name} names {word}");
            assert!(!common::holds(bytes, word), "{name} holds {word}");
        }
        assert!(
            name.chars().all(|c| c.is_ascii_hexdigit()
                || c.is_ascii_digit()
                || "/d_rosterbeatbook".contains(c)),
            "{name}"
        );
    }
}

/// The sergeant's log has applied Dana's first delta; returns the squad and the folder.
fn approved_squad(root: &Path) -> (Squad, PathBuf) {
    let target = folder_target(root);
    let s = squad_on(root, &target);
    sync(&s.dana);
    sync(&s.sam);
    approve_all(&s.sam);
    sync(&s.sam);
    let Where::Folder(folder) = target else {
        unreachable!()
    };
    (s, folder)
}

/// The path of the one delta file Dana's device wrote last.
fn latest_delta_of(folder: &Path, not_in: &[PathBuf]) -> PathBuf {
    common::files_under(folder)
        .into_iter()
        .filter(|p| p.is_file() && p.components().any(|c| c.as_os_str() == "d"))
        .find(|p| !not_in.contains(p))
        .unwrap()
}

fn delta_files(folder: &Path) -> Vec<PathBuf> {
    common::files_under(folder)
        .into_iter()
        .filter(|p| p.is_file() && p.components().any(|c| c.as_os_str() == "d"))
        .collect()
}

/// Puts `bytes` as the next delta of the device that wrote `like`.
fn plant_next_to(like: &Path, bytes: &[u8]) -> PathBuf {
    let dir = like.parent().unwrap();
    let highest: u64 = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.unwrap().file_name().to_str()?.parse().ok())
        .max()
        .unwrap();
    let path = dir.join(format!("{:012}", highest + 1));
    std::fs::write(&path, bytes).unwrap();
    path
}

#[test]
fn altered_replayed_cut_short_and_foreign_objects_are_refused_and_nothing_of_them_written() {
    let root = tempfile::tempdir().unwrap();
    let (s, folder) = approved_squad(root.path());
    let before = delta_files(&folder);
    log_contact(&s.dana, "Second visit to the laundromat owner.");
    sync(&s.dana);
    let fresh = latest_delta_of(&folder, &before);
    let good = std::fs::read(&fresh).unwrap();
    let dana_device = fresh.parent().unwrap();

    let mut altered = good.clone();
    let last = altered.len() - 20;
    altered[last] ^= 1;
    let cut = good[..good.len() / 2].to_vec();
    let foreign = {
        // A delta sealed for another squad.
        let other = tempfile::tempdir().unwrap();
        let t = folder_target(other.path());
        let o = squad_on(other.path(), &t);
        log_contact(&o.dana, "Elsewhere");
        sync(&o.dana);
        let Where::Folder(f) = t else { unreachable!() };
        std::fs::read(delta_files(&f).pop().unwrap()).unwrap()
    };
    // Dana's first delta, copied under a later number.
    let replayed = std::fs::read(dana_device.join(format!("{:012}", 1))).unwrap();
    for bytes in [&altered, &cut, &foreign, &replayed] {
        plant_next_to(&fresh, bytes);
    }
    let count_before = contacts(&s.sam).len();
    let report = sync(&s.sam);
    assert_eq!(report.refused.len(), 4, "{:#?}", report.refused);
    let all = report.refused.join("\n");
    assert!(all.contains("changed after it was written"), "{all}");
    assert!(all.contains("another place"), "{all}");
    assert_eq!(
        contacts(&s.sam).len(),
        count_before + 1,
        "the real delta is taken, nothing of the refused ones"
    );

    // Planted objects took Dana's next numbers: her next delta goes after them and arrives.
    log_contact(&s.dana, "Third visit.");
    let sent = sync(&s.dana);
    assert_eq!(sent.sent_records, 1, "{sent:?}");
    let report = sync(&s.sam);
    assert!(report.refused.is_empty(), "{report:?}");
    assert!(notes(&s.sam).contains(&"Third visit.".to_string()));
}

#[test]
fn a_record_not_written_by_its_signer_or_a_review_from_an_officer_is_refused_whole() {
    let root = tempfile::tempdir().unwrap();
    let (s, _) = approved_squad(root.path());
    // Ali plants a contact in Dana's name: written in his log, last author Dana.
    let dana_id = open(&s.dana).require_profile().unwrap().officer;
    let ali = open(&s.ali);
    let forged = contact_by(&ali, dana_id, "Planted");
    ali.save(forged, dana_id).unwrap();
    drop(ali);
    // His delta carries only what he wrote, so the forgery never leaves his log...
    let sent = sync(&s.ali);
    assert!(sent.refused.is_empty());
    sync(&s.sam);
    approve_all(&s.sam);
    sync(&s.sam);
    assert!(!notes(&s.sam).contains(&"Planted".to_string()));

    // ...and a hand-made bundle holding it is refused whole, naming the bundle and author.
    let ali = open(&s.ali);
    let plain = bundle::signed_bundle(&ali, ali.versions(RecordKind::Contact).unwrap(), None)
        .unwrap()
        .0;
    let forged = bundle::bundle_from_plain(&plain, "ali.bbundle").unwrap();
    let sam = open(&s.sam);
    let plan = bundle::plan_import(&sam, vec![forged]).unwrap();
    assert_eq!(plan.refused.len(), 1);
    let why = plan.refused[0].to_string();
    assert!(
        why.contains("ali.bbundle") && why.contains("Ali Khan"),
        "{why}"
    );
    assert!(plan.changes_nothing());

    // Last written by Ali but belonging to Dana (her contact), or the sergeant's own officer
    // record: refused whole too, though Ali is its last author.
    let ali_id = ali.require_profile().unwrap().officer;
    let mut hers = contact_by(&ali, ali_id, "In Dana's name");
    hers.meta.created_by = Some(dana_id);
    let sam_officer = sam.require_profile().unwrap().officer;
    let mut sergeant_record = sam
        .version(RecordKind::Officer, sam_officer)
        .unwrap()
        .unwrap();
    sergeant_record.record["meta"]["author"] = serde_json::to_value(ali_id).unwrap();
    for version in [
        beatbook::store::Version::from_json(
            RecordKind::Contact,
            &serde_json::to_value(&hers).unwrap(),
            vec![],
        )
        .unwrap(),
        sergeant_record,
    ] {
        let plain = bundle::signed_bundle(&ali, vec![version], None).unwrap().0;
        let b = bundle::bundle_from_plain(&plain, "ali.bbundle").unwrap();
        let plan = bundle::plan_import(&sam, vec![b]).unwrap();
        assert_eq!(plan.refused.len(), 1, "{:?}", plan.refused);
        let why = plan.refused[0].to_string();
        assert!(why.contains("belongs to another officer"), "{why}");
        assert!(plan.changes_nothing());
    }
}

#[test]
fn a_removed_member_is_refused_from_then_on() {
    let root = tempfile::tempdir().unwrap();
    let (s, _) = approved_squad(root.path());
    let sam = open(&s.sam);
    let dana_key = bundle::my_member(&open(&s.dana)).unwrap().key;
    assert!(bundle::remove_member(&sam, &dana_key).unwrap());
    drop(sam);
    log_contact(&s.dana, "After the laptop was reported lost.");
    sync(&s.dana);
    let report = sync(&s.sam);
    assert_eq!(report.refused.len(), 1, "{report:?}");
    assert!(
        report.refused[0].contains("removed from the squad"),
        "{report:?}"
    );
    assert!(!notes(&s.sam).contains(&"After the laptop was reported lost.".to_string()));
}

#[test]
fn a_conflict_waits_for_a_decision_and_take_theirs_settles_it() {
    let root = tempfile::tempdir().unwrap();
    let (s, _) = approved_squad(root.path());
    let id = log_contact(&s.dana, "Original note.");
    sync(&s.dana);
    sync(&s.sam);
    // The same record edited in two copies of Dana's log (her laptop and a restored backup
    // on another): the second copy's edit arrives through the exchange.
    let copy = root.path().join("dana-laptop-2");
    common::copy_dir(&s.dana, &copy);
    for (dir, note) in [
        (&s.dana, "Edited on laptop one."),
        (&copy, "Edited on laptop two."),
    ] {
        let store = open(dir);
        let mut c = store.get::<Contact>(id).unwrap().unwrap();
        c.note = note.into();
        let me = store.require_profile().unwrap().officer;
        store.save(c, me).unwrap();
    }
    sync(&copy);
    let report = sync(&s.sam);
    assert!(report.refused.is_empty(), "{report:?}");
    assert_eq!(
        open(&s.sam).get::<Contact>(id).unwrap().unwrap().note,
        "Edited on laptop two."
    );
    let got = sync(&s.dana);
    // Dana's own log does not read its own device's folder, so laptop one keeps its edit;
    // the sergeant meets the conflict when laptop one sends.
    assert_eq!(got.conflicts, 0);
    let report = sync(&s.sam);
    assert_eq!(report.conflicts, 1, "{report:?}");
    let sam = open(&s.sam);
    let waiting = exchange::waiting_decisions(&sam).unwrap();
    assert_eq!(waiting.len(), 1);
    assert_eq!(
        sam.get::<Contact>(id).unwrap().unwrap().note,
        "Edited on laptop two.",
        "nothing changes before the decision"
    );
    exchange::decide(&sam, RecordKind::Contact, id, bundle::Choice::TakeTheirs).unwrap();
    assert_eq!(
        sam.get::<Contact>(id).unwrap().unwrap().note,
        "Edited on laptop one."
    );
    assert!(exchange::waiting_decisions(&sam).unwrap().is_empty());
}

fn failing(target: TargetSettings, root: &Path) -> (String, Store) {
    let s = squad_on(root, &Where::Folder(root.join("unused")));
    log_contact(&s.dana, "Kept while offline.");
    let store = open(&s.dana);
    exchange::set_target(&store, &target).unwrap();
    let err = sync_once(&store, Conflicts::Wait).unwrap_err();
    (err.to_string(), store)
}

#[test]
fn unreachable_storage_bad_credentials_and_a_missing_bucket_say_so_and_keep_the_work() {
    let server = s3::s3_server();
    let s3 = |endpoint: &str, bucket: &str, secret: &str| TargetSettings {
        target: Target::S3 {
            bucket: bucket.into(),
            prefix: s3::fresh_prefix("faults"),
            endpoint: Some(endpoint.into()),
            region: Some("us-east-1".into()),
            allow_http: true,
        },
        credentials: Some(Credentials {
            access_key_id: server.access_key.clone(),
            secret_access_key: zeroize::Zeroizing::new(secret.into()),
        }),
    };
    let cases = [
        (
            s3("http://127.0.0.1:9", &server.bucket, &server.secret_key),
            "cannot be reached",
        ),
        (
            s3(&server.endpoint, &server.bucket, "wrong-secret"),
            "refused the credentials",
        ),
        (
            s3(&server.endpoint, "no-such-bucket-here", &server.secret_key),
            "does not exist",
        ),
    ];
    for (target, expected) in cases {
        let root = tempfile::tempdir().unwrap();
        let (err, store) = failing(target, root.path());
        assert!(err.contains(expected), "{err}");
        let status = exchange::status(&store).unwrap();
        assert!(status.waiting_to_send >= 2, "the work waits to be sent");
        assert!(status.last.unwrap().failed.unwrap().contains(expected));
        assert_eq!(store.all::<Contact>().unwrap().len(), 1);
    }
    // A folder that is not there (a network drive not mounted).
    let root = tempfile::tempdir().unwrap();
    let (err, _) = failing(
        TargetSettings {
            target: Target::Folder {
                path: root.path().join("not-mounted"),
            },
            credentials: None,
        },
        root.path(),
    );
    assert!(err.contains("is not there"), "{err}");
    let _ = ExchangeError::NotSetUp("");
}

#[test]
fn a_new_member_s_first_sync_reads_what_the_squad_already_shared() {
    let root = tempfile::tempdir().unwrap();
    let (s, _) = approved_squad(root.path());
    for i in 0..3 {
        log_contact(&s.dana, &format!("Contact {i}"));
        sync(&s.dana);
    }
    // A second sergeant's log (a lieutenant reading the squad) joins late.
    let lt = root.path().join("lt");
    let store = Store::open(&lt, &key()).unwrap();
    store
        .set_up("Lee Park", "7000", Role::Sergeant, "Riverside")
        .unwrap();
    let sam_target = exchange::target(&open(&s.sam)).unwrap().unwrap();
    exchange::set_target(&store, &sam_target).unwrap();
    drop(store);
    let join = create_squad(&open(&s.sam), &squad_key()).unwrap();
    join_squad(&open(&lt), &join, &squad_key()).unwrap();
    let first = sync(&lt);
    // Dana is approved on the sergeant's roster, which the newcomer trusts.
    assert_eq!(first.held, 0, "{first:?}");
    assert_eq!(contacts(&lt).len(), 3);
}

mod command_line {
    use std::path::Path;
    use std::process::{Command, Output};

    use crate::common;

    const BIN: &str = env!("CARGO_BIN_EXE_beatbook");

    fn bb(dir: &Path, args: &[&str]) -> Output {
        Command::new(BIN)
            .env("BEATBOOK_PASSPHRASE", common::PASSPHRASE)
            .env("BEATBOOK_SQUAD_PASSPHRASE", common::SQUAD_PASSPHRASE)
            .env_remove("AWS_ACCESS_KEY_ID")
            .env_remove("AWS_SECRET_ACCESS_KEY")
            .arg("--data-dir")
            .arg(dir)
            .args(args)
            .output()
            .unwrap()
    }

    fn ok(o: &Output) -> String {
        assert!(
            o.status.success(),
            "failed: {}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
        String::from_utf8(o.stdout.clone()).unwrap()
    }

    fn one_line_error(o: &Output) -> String {
        assert!(!o.status.success(), "unexpected success");
        let err = String::from_utf8(o.stderr.clone()).unwrap();
        assert_eq!(err.lines().count(), 1, "{err}");
        err
    }

    fn members(dir: &Path) -> Vec<serde_json::Value> {
        let out = ok(&bb(dir, &["squad", "members", "--format", "json"]));
        serde_json::from_str(&out).unwrap()
    }

    fn setup(dir: &Path, name: &str, badge: &str, role: &str) {
        let mut args = vec!["setup", "--name", name, "--badge", badge, "--role", role];
        if role == "officer" {
            // Not "Riverside": the test passphrase holds it, and a passphrase may not.
            args.extend(["--neighborhood", "Elm Park"]);
        }
        ok(&bb(dir, &args));
    }

    #[test]
    fn a_squad_is_set_up_approved_and_synced_from_the_command_line() {
        let root = tempfile::tempdir().unwrap();
        let (sam, dana) = (root.path().join("sam"), root.path().join("dana"));
        let share = root.path().join("share");
        std::fs::create_dir_all(&share).unwrap();
        let share_arg = share.display().to_string();
        setup(&sam, "Sam Ortiz", "5150", "sergeant");
        setup(&dana, "Dana Reyes", "4127", "officer");
        for dir in [&sam, &dana] {
            let out = ok(&bb(dir, &["exchange", "set", &share_arg]));
            assert!(out.contains("the folder"), "{out}");
        }
        let join = root.path().join("squad.bbjoin");
        let out = ok(&bb(
            &sam,
            &[
                "squad",
                "create",
                "--join-file",
                &join.display().to_string(),
            ],
        ));
        assert!(out.contains("Your fingerprint"), "{out}");
        let out = ok(&bb(&dana, &["squad", "join", &join.display().to_string()]));
        assert!(
            out.contains("Joined the squad of Sergeant Sam Ortiz"),
            "{out}"
        );
        ok(&bb(&dana, &["sync"]));

        let out = ok(&bb(&sam, &["sync"]));
        assert!(out.contains("Held: 1 bundle"), "{out}");
        let listed = members(&sam);
        let dana_entry = listed
            .iter()
            .find(|m| m["name"] == "Dana Reyes")
            .unwrap()
            .clone();
        assert_eq!(dana_entry["status"], "pending");
        assert_eq!(dana_entry["role"], "officer");
        assert_eq!(dana_entry["badge"], "4127");
        let fingerprint = dana_entry["fingerprint"].as_str().unwrap().to_string();
        // The fingerprint is what Dana's own log shows her.
        assert_eq!(members(&dana)[0]["fingerprint"], fingerprint.as_str());

        let out = ok(&bb(
            &sam,
            &["squad", "approve", &fingerprint.to_lowercase()],
        ));
        assert!(out.contains("Approved Officer Dana Reyes"), "{out}");
        let out = ok(&bb(&sam, &["sync"]));
        assert!(out.contains("received"), "{out}");
        let status = ok(&bb(&sam, &["exchange", "status"]));
        assert!(status.contains("Target: the folder"), "{status}");
        assert!(status.contains(&fingerprint), "{status}");
        assert!(status.contains("approved"), "{status}");
        for out in [&status, &serde_json::to_string(&members(&sam)).unwrap()] {
            assert!(!out.contains(common::SQUAD_PASSPHRASE), "no secret printed");
        }
        // The sergeant's log now lists Dana's officer record.
        let json = ok(&bb(&sam, &["export", "--format", "json"]));
        assert!(json.contains("Dana Reyes"));

        let out = ok(&bb(&sam, &["squad", "remove", &fingerprint]));
        assert!(out.contains("Removed Officer Dana Reyes"), "{out}");
        let listed = members(&sam);
        assert_eq!(
            listed.iter().find(|m| m["name"] == "Dana Reyes").unwrap()["status"],
            "removed"
        );
    }

    #[test]
    fn sync_without_a_squad_or_with_unreachable_storage_is_one_plain_line() {
        let root = tempfile::tempdir().unwrap();
        let dana = root.path().join("dana");
        setup(&dana, "Dana Reyes", "4127", "officer");
        let err = one_line_error(&bb(&dana, &["sync"]));
        assert!(err.contains("has not joined a squad"), "{err}");
        let err = one_line_error(&bb(
            &dana,
            &[
                "exchange",
                "set",
                "s3://bucket/squad",
                "--endpoint",
                "http://127.0.0.1:9",
            ],
        ));
        assert!(err.contains("--allow-http"), "{err}");

        let sam = root.path().join("sam");
        setup(&sam, "Sam Ortiz", "5150", "sergeant");
        let join = root.path().join("squad.bbjoin");
        ok(&bb(
            &sam,
            &[
                "squad",
                "create",
                "--join-file",
                &join.display().to_string(),
            ],
        ));
        ok(&bb(&dana, &["squad", "join", &join.display().to_string()]));
        ok(&bb(
            &dana,
            &[
                "exchange",
                "set",
                "s3://bucket/squad",
                "--endpoint",
                "http://127.0.0.1:9",
                "--allow-http",
            ],
        ));
        let err = one_line_error(&bb(&dana, &["sync"]));
        assert!(err.contains("No access key is set"), "{err}");
        let offline = Command::new(BIN)
            .env("BEATBOOK_PASSPHRASE", common::PASSPHRASE)
            .env("AWS_ACCESS_KEY_ID", "squad-key")
            .env("AWS_SECRET_ACCESS_KEY", "squad-secret")
            .arg("--data-dir")
            .arg(&dana)
            .arg("sync")
            .output()
            .unwrap();
        let err = one_line_error(&offline);
        assert!(err.contains("cannot be reached"), "{err}");
        let status = ok(&bb(&dana, &["exchange", "status"]));
        assert!(
            status.contains("failed: The storage cannot be reached"),
            "{status}"
        );
        assert!(status.contains("Waiting to be sent: "), "{status}");
    }

    #[test]
    fn an_import_from_a_key_not_approved_is_held_until_squad_approve() {
        let root = tempfile::tempdir().unwrap();
        let (sam, ali) = (root.path().join("sam"), root.path().join("ali"));
        common::sergeant(&sam);
        common::ali(&ali);
        let file = root.path().join("ali.bbundle");
        ok(&bb(
            &ali,
            &[
                "export",
                "--format",
                "bundle",
                "--out",
                &file.display().to_string(),
            ],
        ));
        let out = ok(&bb(&sam, &["import", &file.display().to_string()]));
        assert!(out.contains("Held:"), "{out}");
        assert!(out.contains("Officer Ali Khan"), "{out}");
        let json = ok(&bb(&sam, &["export", "--format", "json"]));
        assert!(
            !json.contains("Lincoln Elementary"),
            "nothing applied while held"
        );
        let fingerprint = members(&sam)
            .iter()
            .find(|m| m["name"] == "Ali Khan")
            .unwrap()["fingerprint"]
            .as_str()
            .unwrap()
            .to_string();
        let out = ok(&bb(&sam, &["squad", "approve", &fingerprint]));
        assert!(out.contains("Imported the held bundle: "), "{out}");
        let json = ok(&bb(&sam, &["export", "--format", "json"]));
        assert!(json.contains("Lincoln Elementary"));
        // Approving again imports nothing more.
        let out = ok(&bb(&sam, &["squad", "approve", &fingerprint]));
        assert!(!out.contains("Imported"), "{out}");
    }
}

#[test]
fn syncing_takes_no_backup_per_delta_and_a_new_squad_passphrase_is_used_at_once() {
    let root = tempfile::tempdir().unwrap();
    let (s, _) = approved_squad(root.path());
    let backups = |dir: &Path| {
        std::fs::read_dir(dir.join("backups"))
            .map(|d| d.count())
            .unwrap_or(0)
    };
    let before = backups(&s.sam);
    for i in 0..3 {
        log_contact(&s.dana, &format!("Contact {i}"));
        sync(&s.dana);
        let got = sync(&s.sam);
        assert_eq!(got.applied, 1, "{got:?}");
    }
    assert_eq!(
        backups(&s.sam),
        before,
        "the day's backup covers the exchange"
    );

    // The sergeant's log is given another passphrase (a slip): the squad key kept from the old
    // one is not used any more, so Dana's next delta does not open.
    open(&s.sam)
        .set_squad_passphrase(
            &beatbook::store::Passphrase::new("Another-Squad-Phrase-9")
                .with_cost(beatbook::store::KdfCost::MINIMAL),
        )
        .unwrap();
    log_contact(&s.dana, "After the change.");
    sync(&s.dana);
    let got = sync(&s.sam);
    assert_eq!(got.refused.len(), 1, "{got:?}");
    assert!(
        got.refused[0].contains("another squad passphrase"),
        "{got:?}"
    );
}

#[test]
fn an_old_roster_copied_under_a_later_number_does_not_bring_a_removed_member_back() {
    let root = tempfile::tempdir().unwrap();
    let (s, folder) = approved_squad(root.path());
    sync(&s.ali);
    sync(&s.sam);
    approve_all(&s.sam);
    sync(&s.sam);
    sync(&s.dana);
    let rosters = |folder: &Path| -> Vec<PathBuf> {
        let mut all: Vec<PathBuf> = common::files_under(folder)
            .into_iter()
            .filter(|p| p.is_file() && p.components().any(|c| c.as_os_str() == "roster"))
            .collect();
        all.sort();
        all
    };
    let with_ali = rosters(&folder).pop().unwrap();
    let ali_key = bundle::my_member(&open(&s.ali)).unwrap().key;
    assert!(bundle::remove_member(&open(&s.sam), &ali_key).unwrap());
    sync(&s.sam);
    sync(&s.dana);
    let status_of_ali = |dir: &Path| {
        exchange::members_with_status(&open(dir))
            .unwrap()
            .1
            .into_iter()
            .find(|m| m.key == ali_key)
            .unwrap()
            .status
    };
    assert_eq!(status_of_ali(&s.dana), MemberStatus::Removed);
    // The roster from before the removal, copied under a later number.
    let replay = with_ali.with_file_name(format!("{:012}", 900));
    std::fs::copy(&with_ali, &replay).unwrap();
    let got = sync(&s.dana);
    assert_eq!(status_of_ali(&s.dana), MemberStatus::Removed, "{got:?}");
    assert!(got.refused.iter().any(|r| r.contains("roster")), "{got:?}");
}

#[test]
fn a_number_far_ahead_in_a_device_s_folder_is_never_reached_and_blocks_nothing() {
    let root = tempfile::tempdir().unwrap();
    let (s, folder) = approved_squad(root.path());
    let dana_device = open(&s.dana).exchange_device().unwrap();
    let first = delta_files(&folder)
        .into_iter()
        .find(|p| p.ends_with(format!("{dana_device}/000000000001")))
        .unwrap();
    let planted = first.with_file_name(format!("{:012}", 999_999_999_999u64));
    std::fs::write(&planted, b"not a bundle").unwrap();
    log_contact(&s.dana, "After the planted object.");
    sync(&s.dana);
    let got = sync(&s.sam);
    assert!(got.refused.is_empty(), "{got:?}");
    assert!(notes(&s.sam).contains(&"After the planted object.".to_string()));
}

#[test]
fn a_new_squad_passphrase_after_a_removal_loses_nothing_a_member_sent_in_between() {
    let root = tempfile::tempdir().unwrap();
    let (s, _) = approved_squad(root.path());
    let new_passphrase = beatbook::store::Passphrase::new("Another-Squad-Phrase-9")
        .with_cost(beatbook::store::KdfCost::MINIMAL);
    let join = create_squad(&open(&s.sam), &new_passphrase).unwrap();
    // Dana works on and syncs before she has the new join file: it goes to the old squad.
    log_contact(&s.dana, "Sent under the old passphrase.");
    sync(&s.dana);
    assert!(!notes(&s.sam).contains(&"Sent under the old passphrase.".to_string()));
    join_squad(&open(&s.dana), &join, &new_passphrase).unwrap();
    sync(&s.dana);
    let got = sync(&s.sam);
    assert!(got.refused.is_empty(), "{got:?}");
    assert!(notes(&s.sam).contains(&"Sent under the old passphrase.".to_string()));
    // Ali, who was not given the new passphrase, cannot join it.
    let err = join_squad(&open(&s.ali), &join, &squad_key()).unwrap_err();
    assert!(err.to_string().contains("does not open it"), "{err}");
}
