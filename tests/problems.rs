//! Community problems (SARA) and neighborhood priorities: saved with their history, refused
//! with a plain message when they break a rule (changing nothing), checked for their
//! references, merged through bundles, kept through the upgrade to format 7, listed by
//! `beatbook problems`, exported and made by the demo in every stage.

use std::path::Path;
use std::process::{Command, Output};

use beatbook::bundle::{apply_import, plan_import, read_bundle, write_bundle_file, BundleScope};
use beatbook::model::{
    Action, ActionOwner, ActionStatus, Id, Meta, Outcome, Priority, Problem, RecordKind, Stage,
    StageNotes, Tag, MAX_PRIORITIES,
};
use beatbook::store::{list_backups, Store, StoreError, CURRENT_FORMAT};

use crate::common;

fn problem(store: &Store, s: &common::Seeded) -> Problem {
    let lighting = store
        .all::<Tag>()
        .unwrap()
        .into_iter()
        .find(|t| t.name == "lighting")
        .unwrap()
        .meta
        .id;
    Problem {
        meta: store.new_meta(s.officer).unwrap(),
        title: "Dark alley behind the bakery".into(),
        neighborhood: s.riverside,
        places: vec!["alley behind the bakery".into()],
        topics: vec![lighting],
        owner: s.officer,
        noticed: common::day(2026, 11, 3),
        stage: Stage::Scanning,
        notes: StageNotes {
            scanning: "Raised twice by the bakery and once at the merchants' meeting.".into(),
            ..Default::default()
        },
        contacts: vec![s.contacts[0], s.contacts[2]],
        actions: Vec::new(),
        outcome: None,
        published: Vec::new(),
    }
}

fn public_works() -> Action {
    Action {
        what: "Replace the alley lamp".into(),
        owner: Some(ActionOwner::Partner {
            agency: "Public works".into(),
            reference: "WO-24871".into(),
            sent: Some(common::day(2026, 11, 5)),
            chase: Some(common::day(2026, 11, 19)),
        }),
        due: Some(common::day(2026, 11, 26)),
        status: ActionStatus::InProgress,
    }
}

fn priority(store: &Store, s: &common::Seeded, concern: &str) -> Priority {
    Priority {
        meta: store.new_meta(s.officer).unwrap(),
        neighborhood: s.elm_park,
        concern: concern.into(),
        from: common::day(2026, 11, 10),
        to: common::day(2027, 2, 10),
        meeting: Some(s.contacts[1]),
        problems: Vec::new(),
    }
}

/// The JSON of every record and every history entry of the two new kinds: what a refused save
/// must leave as it was.
fn new_kinds(store: &Store) -> String {
    let mut out = Vec::new();
    for kind in [RecordKind::Problem, RecordKind::Priority] {
        for v in store.versions(kind).unwrap() {
            out.push(serde_json::json!([v.record, v.history]));
        }
    }
    serde_json::Value::Array(out).to_string()
}

#[test]
fn a_problem_moves_through_the_stages_with_its_history_and_can_be_deleted_and_restored() {
    let tmp = tempfile::tempdir().unwrap();
    let s = common::seed(tmp.path());
    let store = Store::open(tmp.path(), &common::key()).unwrap();
    let saved = store.save(problem(&store, &s), s.officer).unwrap();
    assert_eq!(saved.meta.revision, 1);
    let id = saved.meta.id;

    let mut p = saved;
    p.stage = Stage::Analysis;
    p.notes.analysis = "Lamp out since October; the bins block the other light.".into();
    let p = store.save(p, s.officer).unwrap();
    let mut p2 = p.clone();
    p2.stage = Stage::Response;
    p2.actions.push(public_works());
    p2.actions.push(Action {
        what: "Ask the bakery to move the bins".into(),
        owner: Some(ActionOwner::Officer { officer: s.officer }),
        due: Some(common::day(2026, 11, 12)),
        status: ActionStatus::Done,
    });
    let p2 = store.save(p2, s.officer).unwrap();
    let mut p3 = p2.clone();
    p3.stage = Stage::Assessment;
    p3.notes.assessment = "No calls about the alley since the lamp was fixed.".into();
    let p3 = store.save(p3, s.officer).unwrap();
    let mut closed = p3.clone();
    closed.stage = Stage::Closed;
    closed.outcome = Some(Outcome::Solved);
    let closed = store.save(closed, s.officer).unwrap();
    assert_eq!(closed.meta.revision, 5);
    assert_eq!(closed.partners(), ["Public works"]);

    let history = store.history::<Problem>(id).unwrap();
    let changed: Vec<Vec<String>> = history
        .iter()
        .map(|h| {
            let mut fields = h.changed.clone();
            fields.sort();
            fields
        })
        .collect();
    assert_eq!(
        changed,
        [
            vec!["notes", "stage"],
            vec!["actions", "stage"],
            vec!["notes", "stage"],
            vec!["outcome", "stage"],
        ]
    );
    assert_eq!(history[0].previous["stage"], "scanning");

    // An edit read at an older revision is refused as a conflict.
    let mut stale = p3.clone();
    stale.title = "Alley".into();
    assert!(store.save(stale, s.officer).is_err());

    store.delete::<Problem>(id, s.officer).unwrap();
    assert!(store.all::<Problem>().unwrap().is_empty());
    store.restore::<Problem>(id, s.officer).unwrap();
    let back = store.all::<Problem>().unwrap();
    assert_eq!(back.len(), 1);
    assert_eq!(back[0].outcome, Some(Outcome::Solved));
    assert_eq!(store.history::<Problem>(id).unwrap().len(), 6);

    let report = store.check().unwrap();
    assert!(report.is_ok(), "{:?}", report.problems);
    assert!(report.counts.contains(&(RecordKind::Problem, 1)));
}

#[test]
fn a_problem_or_priority_that_breaks_a_rule_is_refused_in_plain_words_and_changes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let s = common::seed(tmp.path());
    let store = Store::open(tmp.path(), &common::key()).unwrap();
    let kept = store.save(problem(&store, &s), s.officer).unwrap();
    let before = new_kinds(&store);

    let refused = |p: Problem| -> String {
        match store.save(p, s.officer) {
            Err(StoreError::Invalid(e)) => e.to_string(),
            other => panic!("not refused: {other:?}"),
        }
    };
    let mut empty = problem(&store, &s);
    empty.title = "   ".into();
    assert_eq!(refused(empty), "The problem's title cannot be empty.");

    let mut no_owner = kept.clone();
    no_owner.stage = Stage::Response;
    no_owner.actions.push(Action {
        owner: None,
        ..public_works()
    });
    assert_eq!(
        refused(no_owner),
        "The action \"Replace the alley lamp\" needs an owner: an officer or a partner agency."
    );

    let mut too_soon = kept.clone();
    too_soon.stage = Stage::Assessment;
    assert_eq!(
        refused(too_soon),
        "A problem can be assessed only after its response: add at least one action first."
    );
    let mut closed_early = kept.clone();
    closed_early.stage = Stage::Closed;
    closed_early.outcome = Some(Outcome::NoChange);
    assert!(refused(closed_early).starts_with("A problem can be closed only after"));

    let mut no_outcome = kept.clone();
    no_outcome.stage = Stage::Closed;
    no_outcome.actions.push(public_works());
    assert!(refused(no_outcome).contains("closed with its outcome"));

    let mut chased_first = kept.clone();
    chased_first.actions.push(Action {
        owner: Some(ActionOwner::Partner {
            agency: "Housing authority".into(),
            reference: String::new(),
            sent: Some(common::day(2026, 11, 20)),
            chase: Some(common::day(2026, 11, 8)),
        }),
        ..public_works()
    });
    assert_eq!(
        refused(chased_first),
        "The action \"Replace the alley lamp\" would be chased (2026-11-08) before it was sent \
         (2026-11-20)."
    );
    let mut due_before = kept.clone();
    due_before.actions.push(Action {
        due: Some(common::day(2026, 10, 1)),
        ..public_works()
    });
    assert!(refused(due_before).contains("before the problem was noticed"));
    assert_eq!(new_kinds(&store), before);

    // Priorities: dates in order, and a handful per neighborhood and period.
    let mut backwards = priority(&store, &s, "Speeding on Oak Ave");
    backwards.to = common::day(2026, 11, 1);
    match store.save(backwards, s.officer) {
        Err(StoreError::Invalid(e)) => assert_eq!(
            e.to_string(),
            "The priority's period ends (2026-11-01) before it starts (2026-11-10)."
        ),
        other => panic!("not refused: {other:?}"),
    }
    let mut ids = Vec::new();
    for i in 0..MAX_PRIORITIES {
        let p = priority(&store, &s, &format!("Concern {i}"));
        ids.push(store.save(p, s.officer).unwrap().meta.id);
    }
    let before = new_kinds(&store);
    match store.save(priority(&store, &s, "One too many"), s.officer) {
        Err(StoreError::Invalid(e)) => {
            assert!(e
                .to_string()
                .starts_with("This neighborhood already has 5 priorities"))
        }
        other => panic!("not refused: {other:?}"),
    }
    assert_eq!(new_kinds(&store), before);
    // Another neighborhood, a later period, or a place freed by a delete are all fine; an
    // edit of one of the five is not counted against itself.
    let mut elsewhere = priority(&store, &s, "Riverside lighting");
    elsewhere.neighborhood = s.riverside;
    store.save(elsewhere, s.officer).unwrap();
    let mut later = priority(&store, &s, "Next quarter");
    later.from = common::day(2027, 3, 1);
    later.to = common::day(2027, 5, 31);
    store.save(later, s.officer).unwrap();
    let mut edited: Priority = store.get(ids[0]).unwrap().unwrap();
    edited.concern = "Speeding on Oak Ave at school times".into();
    store.save(edited, s.officer).unwrap();
    store.delete::<Priority>(ids[1], s.officer).unwrap();
    store
        .save(priority(&store, &s, "Now there is room"), s.officer)
        .unwrap();
    // Restoring the deleted one would make six.
    assert!(store.restore::<Priority>(ids[1], s.officer).is_err());
    assert!(store.check().unwrap().is_ok());
}

#[test]
fn check_finds_a_problem_or_priority_naming_what_does_not_exist() {
    let tmp = tempfile::tempdir().unwrap();
    let s = common::seed(tmp.path());
    let store = Store::open(tmp.path(), &common::key()).unwrap();
    let mut p = problem(&store, &s);
    p.contacts.push(Id(42));
    store.save(p, s.officer).unwrap();
    let mut pr = priority(&store, &s, "Speeding");
    pr.problems.push(Id(43));
    store.save(pr, s.officer).unwrap();
    let report = store.check().unwrap();
    assert_eq!(report.problems.len(), 2, "{:?}", report.problems);
    assert!(report.problems[0].ends_with("names a contact that does not exist"));
    assert!(report.problems[1].ends_with("names a problem that does not exist"));
}

#[test]
fn problems_and_priorities_merge_through_a_bundle_once_and_their_edits_follow() {
    let tmp = tempfile::tempdir().unwrap();
    let s = common::seed(&tmp.path().join("dana"));
    let sergeant_dir = tmp.path().join("sam");
    common::sergeant(&sergeant_dir);
    let file = tmp.path().join("dana.bbundle");
    let (problem_id, priority_id) = {
        let store = Store::open(&tmp.path().join("dana"), &common::key()).unwrap();
        let p = store.save(problem(&store, &s), s.officer).unwrap();
        let mut pr = priority(&store, &s, "Speeding on Oak Ave");
        pr.problems.push(p.meta.id);
        let pr = store.save(pr, s.officer).unwrap();
        write_bundle_file(&store, BundleScope::Everything, &file).unwrap();
        (p.meta.id, pr.meta.id)
    };
    common::import_bundle(&sergeant_dir, &file);
    {
        let sam = Store::open(&sergeant_dir, &common::key()).unwrap();
        let p: Problem = sam.get(problem_id).unwrap().unwrap();
        assert_eq!(p.title, "Dark alley behind the bakery");
        let pr: Priority = sam.get(priority_id).unwrap().unwrap();
        assert_eq!(pr.problems, [problem_id]);
        let report = sam.check().unwrap();
        assert!(report.is_ok(), "{:?}", report.problems);
    }
    // Dana moves the problem on; the next bundle brings the edit and its history.
    {
        let store = Store::open(&tmp.path().join("dana"), &common::key()).unwrap();
        let mut p: Problem = store.get(problem_id).unwrap().unwrap();
        p.stage = Stage::Response;
        p.actions.push(public_works());
        store.save(p, s.officer).unwrap();
        write_bundle_file(&store, BundleScope::Everything, &file).unwrap();
    }
    let sam = Store::open(&sergeant_dir, &common::key()).unwrap();
    let b = read_bundle(&file, &common::squad_key()).unwrap();
    let plan = plan_import(&sam, vec![b.clone()]).unwrap();
    let problems = &plan
        .counts
        .iter()
        .find(|(k, _)| *k == RecordKind::Problem)
        .unwrap()
        .1;
    assert_eq!((problems.new, problems.updated), (0, 1));
    apply_import(&sam, &plan, &[]).unwrap();
    let p: Problem = sam.get(problem_id).unwrap().unwrap();
    assert_eq!(p.stage, Stage::Response);
    assert_eq!(p.meta.revision, 2);
    assert_eq!(sam.history::<Problem>(problem_id).unwrap().len(), 1);
    // The same bundle again changes nothing.
    let again = plan_import(&sam, vec![b]).unwrap();
    assert!(again.changes_nothing());
}

fn fixture(version: u32) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/fixtures/format-{version}"))
}

/// Format 7 adds the problems and priorities: a format-6 log (the fixture the last format-6
/// beatbook wrote) upgrades after a backup, keeps its records, and takes the new kinds.
#[test]
fn a_format_6_log_upgrades_and_takes_problems_and_priorities() {
    assert_eq!(CURRENT_FORMAT, 7);
    let tmp = tempfile::tempdir().unwrap();
    common::copy_dir(&fixture(6), tmp.path());
    {
        let db = common::raw_sled(&tmp.path().join("store"));
        let names: Vec<String> = db
            .tree_names()
            .iter()
            .map(|n| String::from_utf8_lossy(n).into_owned())
            .collect();
        assert!(!names.iter().any(|n| n == "problems"), "{names:?}");
    }
    let store = Store::open(tmp.path(), &common::key()).unwrap();
    assert_eq!(store.upgraded_from(), Some(6));
    assert!(list_backups(tmp.path())
        .iter()
        .any(|b| b.reason == "before upgrade"));
    let report = store.check().unwrap();
    assert!(report.is_ok(), "{:?}", report.problems);
    assert_eq!(report.format, 7);
    assert!(report.counts.contains(&(RecordKind::Problem, 0)));
    assert!(report.counts.contains(&(RecordKind::Priority, 0)));
    let officer = store.require_profile().unwrap().officer;
    let contact = store.all::<beatbook::model::Contact>().unwrap().remove(0);
    let p = Problem {
        meta: Meta::new(store.new_id().unwrap(), officer, chrono::Utc::now()),
        title: "Alley light behind the bakery".into(),
        neighborhood: contact.neighborhood,
        places: Vec::new(),
        topics: Vec::new(),
        owner: officer,
        noticed: common::day(2026, 11, 3),
        stage: Stage::Scanning,
        notes: StageNotes::default(),
        contacts: vec![contact.meta.id],
        actions: Vec::new(),
        outcome: None,
        published: Vec::new(),
    };
    store.save(p, officer).unwrap();
    assert!(store.check().unwrap().is_ok());
    drop(store);
    // Opened again: nothing more to upgrade, and the problem is there.
    let store = Store::open(tmp.path(), &common::key()).unwrap();
    assert_eq!(store.upgraded_from(), None);
    assert_eq!(store.all::<Problem>().unwrap().len(), 1);
}

const BIN: &str = env!("CARGO_BIN_EXE_beatbook");

fn bb(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .env("BEATBOOK_PASSPHRASE", common::PASSPHRASE)
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

#[test]
fn the_demo_has_problems_in_every_stage_listed_by_the_problems_command() {
    let tmp = tempfile::tempdir().unwrap();
    let o = bb(tmp.path(), &["demo", "--contacts", "300", "--seed", "3"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let out = text(&o.stdout);
    assert!(out.contains(" problems, "), "{out}");
    assert!(out.contains(" priorities"), "{out}");
    let check = bb(tmp.path(), &["check"]);
    assert!(check.status.success(), "{}", text(&check.stdout));
    assert!(text(&check.stdout).contains("Problems: 12"));
    assert!(text(&check.stdout).contains("Priorities: 18"));

    // JSON: every stage, partner actions of public works and others, closed ones with outcomes.
    let o = bb(tmp.path(), &["problems", "--format", "json"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let list = doc["problems"].as_array().unwrap();
    assert_eq!(doc["total"], list.len());
    assert_eq!(list.len(), 12);
    for stage in ["scanning", "analysis", "response", "assessment", "closed"] {
        assert!(
            list.iter().any(|p| p["stage"] == stage),
            "no problem in {stage}"
        );
    }
    let agencies: Vec<&str> = list
        .iter()
        .flat_map(|p| p["actions"].as_array().unwrap())
        .filter_map(|a| a["owner"]["agency"].as_str())
        .collect();
    assert!(!agencies.is_empty());
    for p in list {
        assert_eq!(p["stage"] == "closed", !p["outcome"].is_null(), "{p}");
        assert!(!p["neighborhood"].as_str().unwrap().is_empty());
        assert_ne!(p["owner"], "(unknown)");
    }

    // Text: a line per problem; a stage and a neighborhood narrow it.
    let o = bb(tmp.path(), &["problems"]);
    assert!(o.status.success());
    assert_eq!(text(&o.stdout).lines().count(), 12);
    let o = bb(tmp.path(), &["problems", "--stage", "Closed"]);
    let closed = text(&o.stdout);
    assert!(!closed.is_empty());
    assert!(closed.lines().all(|l| l.starts_with("Closed ")), "{closed}");
    assert!(closed.lines().all(|l| l.contains("outcome: ")), "{closed}");
    let hood = list[0]["neighborhood"].as_str().unwrap();
    let o = bb(
        tmp.path(),
        &["problems", "--neighborhood", &hood.to_uppercase()],
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    let lines = text(&o.stdout);
    let expected = list.iter().filter(|p| p["neighborhood"] == hood).count();
    assert_eq!(lines.lines().count(), expected);
    assert!(lines.lines().all(|l| l.contains(hood)), "{lines}");

    // A neighborhood or stage that does not exist is one plain line, and a non-zero exit.
    for args in [
        &["problems", "--neighborhood", "Atlantis"][..],
        &["problems", "--stage", "pondering"][..],
    ] {
        let o = bb(tmp.path(), args);
        assert!(!o.status.success());
        let err = text(&o.stderr);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.starts_with("beatbook: "), "{err}");
    }
    let err = text(&bb(tmp.path(), &["problems", "--neighborhood", "Atlantis"]).stderr);
    assert!(err.contains("No neighborhood named \"Atlantis\"."), "{err}");

    // The JSON export holds them too.
    let o = bb(tmp.path(), &["export", "--format", "json"]);
    let export: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(export["problems"].as_array().unwrap().len(), 12);
    assert_eq!(export["priorities"].as_array().unwrap().len(), 18);
    assert_eq!(export["store_format"], 7);
}

#[test]
fn an_empty_log_lists_no_problems_in_plain_words() {
    let tmp = tempfile::tempdir().unwrap();
    common::seed(tmp.path());
    let o = bb(tmp.path(), &["problems"]);
    assert!(o.status.success());
    assert_eq!(text(&o.stdout), "");
    assert_eq!(text(&o.stderr), "No problems match.\n");
    let o = bb(tmp.path(), &["problems", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(doc["total"], 0);
}

/// Through the squad exchange an officer receives the squad's problems and priorities (not the
/// contacts they link, which stay in their author's log), and each log still checks clean.
#[test]
fn the_squad_exchange_brings_problems_and_priorities_to_every_member() {
    use crate::exchange::{approve_all, folder_target, log_contact, open, squad_on, sync};
    let tmp = tempfile::tempdir().unwrap();
    let s = squad_on(tmp.path(), &folder_target(tmp.path()));
    let contact = log_contact(&s.dana, "Rosa says the alley light is out again.");
    let (problem_id, priority_id) = {
        let dana = open(&s.dana);
        let profile = dana.require_profile().unwrap();
        let (me, hood) = (profile.officer, profile.last_neighborhood.unwrap());
        let p = Problem {
            meta: dana.new_meta(me).unwrap(),
            title: "Dark alley behind the bakery".into(),
            neighborhood: hood,
            places: vec!["alley behind the bakery".into()],
            topics: Vec::new(),
            owner: me,
            noticed: common::day(2026, 11, 3),
            stage: Stage::Response,
            notes: StageNotes::default(),
            contacts: vec![contact],
            actions: vec![public_works()],
            outcome: None,
            published: Vec::new(),
        };
        let p = dana.save(p, me).unwrap();
        let pr = Priority {
            meta: dana.new_meta(me).unwrap(),
            neighborhood: hood,
            concern: "Lighting on the way home from the bus".into(),
            from: common::day(2026, 11, 1),
            to: common::day(2027, 1, 31),
            meeting: Some(contact),
            problems: vec![p.meta.id],
        };
        (p.meta.id, dana.save(pr, me).unwrap().meta.id)
    };
    sync(&s.dana);
    sync(&s.ali);
    sync(&s.sam);
    approve_all(&s.sam);
    let got = sync(&s.sam);
    assert!(got.refused.is_empty(), "{got:?}");
    sync(&s.ali);
    sync(&s.ali);
    for dir in [&s.sam, &s.ali] {
        let store = open(dir);
        let p: Problem = store.get(problem_id).unwrap().expect("the problem arrived");
        assert_eq!(p.actions[0].owner, public_works().owner);
        assert!(store.get::<Priority>(priority_id).unwrap().is_some());
        let report = store.check().unwrap();
        assert!(report.is_ok(), "{:?}", report.problems);
    }
    let ali = open(&s.ali);
    assert!(
        ali.get::<beatbook::model::Contact>(contact)
            .unwrap()
            .is_none(),
        "an officer does not receive another's contacts"
    );
}

/// Forgetting a resident blanks their name out of problems and priorities too: titles, stage
/// notes and the sentences marked for the public, places, actions and concerns, earlier
/// revisions included.
#[test]
fn forgetting_a_person_blanks_their_name_in_problems_and_priorities() {
    use beatbook::query::retention::plan_forget;
    let tmp = tempfile::tempdir().unwrap();
    let s = common::seed(tmp.path());
    let store = Store::open(tmp.path(), &common::key()).unwrap();
    let mut p = problem(&store, &s);
    p.title = "Alley behind Rosa Delgado's bakery".into();
    p.places = vec!["behind Rosa's bakery".into()];
    p.notes.analysis = "Rosa Delgado counts the nights the lamp is out.".into();
    // Marked for the public report, then forgotten: the marked copy goes too.
    p.published = vec!["Rosa Delgado counts the nights the lamp is out.".into()];
    let mut p = store.save(p, s.officer).unwrap();
    p.stage = Stage::Analysis;
    p.actions.push(Action {
        what: "Ask Rosa which nights are worst".into(),
        owner: Some(ActionOwner::Officer { officer: s.officer }),
        ..public_works()
    });
    let p = store.save(p, s.officer).unwrap();
    let pr = store
        .save(
            priority(&store, &s, "Lighting Rosa Delgado asked for"),
            s.officer,
        )
        .unwrap();
    let plan = plan_forget(&store, s.rosa).unwrap();
    store
        .forget_person(s.rosa, &plan.drop, &plan.targets, s.officer)
        .unwrap();
    let p: Problem = store.get(p.meta.id).unwrap().unwrap();
    let pr: Priority = store.get(pr.meta.id).unwrap().unwrap();
    let mut texts = serde_json::to_string(&p).unwrap() + &serde_json::to_string(&pr).unwrap();
    for h in store.history::<Problem>(p.meta.id).unwrap() {
        texts.push_str(&h.previous.to_string());
    }
    assert!(!texts.contains("Rosa"), "{texts}");
    assert!(!texts.contains("Delgado"), "{texts}");
    assert!(p.title.contains("[name removed]"), "{}", p.title);
    assert!(store.check().unwrap().is_ok());
}
