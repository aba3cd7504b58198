//! Community problems in the sergeant's review, the handover packet and the PDF report: the
//! figures over a hand-made squad log (per officer and neighborhood by stage, age, no action for
//! 30 days, outcomes), a past period read from the problems' history, the Review screen's
//! figures listing their problems and opening one, rows in name order, the packet's open
//! problems, priorities and partner waits (text and PDF), and the report's problems section.
//!
//! Set `BEATBOOK_PDF_OUT` to a folder to keep the PDFs these tests render, for a look at them.

use std::path::Path;

use beatbook::model::{
    Action, ActionOwner, ActionStatus, FollowUp, FollowUpStatus, Id, Meta, Neighborhood, Officer,
    Outcome, PartnerWait, Priority, Problem, Role, Stage, StageNotes,
};
use beatbook::query::handover::handover_packet;
use beatbook::query::review::{
    problem_review, review_report, ActionBy, Behind, Period, ProblemReview, NO_ACTION_DAYS,
};
use beatbook::report::handover::handover_text;
use beatbook::report::pdf::{handover_pdf, review_pdf};
use beatbook::report::{to_csv, to_text};
use beatbook::store::Store;
use beatbook::ui::command::Screen;
use chrono::{DateTime, Duration, TimeZone, Utc};
use egui_kittest::kittest::Queryable;

use crate::common::*;

/// The sergeant's log the tests read: three officers' problems, as their bundles bring them.
pub(crate) struct Squad {
    pub store: Store,
    pub sam: Id,
    pub dana: Id,
    pub ali: Id,
    pub ann: Id,
    pub riverside: Id,
    pub riverside_too: Id,
    pub elm_park: Id,
    pub alley: Id,
    pub speeding: Id,
    pub dumping: Id,
    pub graffiti: Id,
    pub vacant: Id,
    pub cars: Id,
    pub gone: Id,
}

/// `days` days before the tests' now (Wednesday 25 November 2026, 10:00 UTC).
fn ago(days: i64) -> DateTime<Utc> {
    now() - Duration::days(days)
}

fn action(
    what: &str,
    owner: ActionOwner,
    due: Option<chrono::NaiveDate>,
    s: ActionStatus,
) -> Action {
    Action {
        what: what.into(),
        owner: Some(owner),
        due,
        status: s,
    }
}

fn partner(agency: &str, reference: &str, chase: Option<chrono::NaiveDate>) -> ActionOwner {
    ActionOwner::Partner {
        agency: agency.into(),
        reference: reference.into(),
        sent: Some(day(2026, 11, 2)),
        chase,
    }
}

/// Sergeant Sam Ortiz's log in `dir` holding officers Dana Reyes, Ali Khan and Ann Byrne (who
/// owns no problem), "Riverside" twice (Sam's and Ali's record, one neighborhood), "Elm Park",
/// and their problems, each last changed on a chosen day (today is 25 November 2026):
///
/// | problem | where | owner | stage | noticed | last change |
/// | --- | --- | --- | --- | --- | --- |
/// | Dark alley behind the bakery | Riverside | Dana | analysis | 1 Oct | 31 days ago |
/// | Speeding on Oak Ave at school times | Elm Park | Dana | response | 20 Oct | 29 days ago |
/// | Dumping behind the shops | Riverside (Ali's) | Ali | scanning | 20 Nov | 5 days ago |
/// | Graffiti on the underpass | Riverside | Ali | closed, reduced | 1 Sep | 10 Nov |
/// | Vacant building left open | Elm Park | Dana | closed, solved | 1 Aug | 15 Sep |
/// | Loud cars at the park | Elm Park | Ali | assessment | 1 Oct | 30 days ago |
/// | (deleted) Old complaint | Riverside | Dana | scanning | 1 Nov | 20 days ago |
pub(crate) fn squad_with_problems(dir: &Path) -> Squad {
    let sam = sergeant(dir);
    let store = Store::open(dir, &key()).unwrap();
    let riverside = store.profile().unwrap().unwrap().last_neighborhood.unwrap();
    let meta = |t: DateTime<Utc>, by: Id| Meta::new(store.new_id_at(t).unwrap(), by, t);
    let officer = |name: &str, badge: &str| {
        let m = meta(ago(300), sam);
        let id = m.id;
        store
            .save(
                Officer {
                    meta: Meta {
                        author: id,
                        created_by: Some(id),
                        ..m
                    },
                    name: name.into(),
                    badge: badge.into(),
                    role: Role::Officer,
                },
                id,
            )
            .unwrap();
        id
    };
    let dana = officer("Dana Reyes", "4127");
    let ali = officer("Ali Khan", "3301");
    let ann = officer("Ann Byrne", "2200");
    // Made after the sergeant's own Riverside (set up just now), so his names the group.
    let hood = |name: &str, by: Id| {
        store
            .save(
                Neighborhood {
                    meta: store.new_meta(by).unwrap(),
                    name: name.into(),
                },
                by,
            )
            .unwrap()
            .meta
            .id
    };
    let riverside_too = hood("riverside ", ali);
    let elm_park = hood("Elm Park", dana);

    struct P<'a> {
        title: &'a str,
        hood: Id,
        owner: Id,
        stage: Stage,
        noticed: chrono::NaiveDate,
        at: DateTime<Utc>,
        actions: Vec<Action>,
        outcome: Option<Outcome>,
    }
    let problem = |p: P<'_>| {
        let saved = store
            .save(
                Problem {
                    meta: meta(p.at, p.owner),
                    title: p.title.into(),
                    neighborhood: p.hood,
                    places: Vec::new(),
                    topics: Vec::new(),
                    owner: p.owner,
                    noticed: p.noticed,
                    stage: p.stage,
                    notes: StageNotes::default(),
                    contacts: Vec::new(),
                    actions: p.actions,
                    outcome: p.outcome,
                    published: Vec::new(),
                },
                p.owner,
            )
            .unwrap();
        saved.meta.id
    };
    let done = |what: &str, by: Id| {
        action(
            what,
            ActionOwner::Officer { officer: by },
            Some(day(2026, 10, 30)),
            ActionStatus::Done,
        )
    };
    let alley = problem(P {
        title: "Dark alley behind the bakery",
        hood: riverside,
        owner: dana,
        stage: Stage::Analysis,
        noticed: day(2026, 10, 1),
        at: ago(31),
        actions: vec![action(
            "Walk the alley at 9 pm twice a week",
            ActionOwner::Officer { officer: dana },
            Some(day(2026, 12, 3)),
            ActionStatus::Planned,
        )],
        outcome: None,
    });
    let speeding = problem(P {
        title: "Speeding on Oak Ave at school times",
        hood: elm_park,
        owner: dana,
        stage: Stage::Response,
        noticed: day(2026, 10, 20),
        at: ago(29),
        actions: vec![
            action(
                "Ask for a crossing guard at 8:15",
                partner("School district", "", None),
                None,
                ActionStatus::Planned,
            ),
            action(
                "New 20 sign by the gate",
                partner("Public works", "WO-24871", Some(day(2026, 11, 28))),
                Some(day(2026, 12, 1)),
                ActionStatus::InProgress,
            ),
            done("Count cars at drop-off", dana),
            action(
                "Speed checks on three mornings",
                ActionOwner::Officer { officer: dana },
                Some(day(2026, 11, 27)),
                ActionStatus::Planned,
            ),
        ],
        outcome: None,
    });
    let dumping = problem(P {
        title: "Dumping behind the shops",
        hood: riverside_too,
        owner: ali,
        stage: Stage::Scanning,
        noticed: day(2026, 11, 20),
        at: ago(5),
        actions: Vec::new(),
        outcome: None,
    });
    let graffiti = problem(P {
        title: "Graffiti on the underpass",
        hood: riverside,
        owner: ali,
        stage: Stage::Closed,
        noticed: day(2026, 9, 1),
        at: Utc.with_ymd_and_hms(2026, 11, 10, 16, 0, 0).unwrap(),
        actions: vec![done("Ask the arts group about a mural", ali)],
        outcome: Some(Outcome::Reduced),
    });
    let vacant = problem(P {
        title: "Vacant building left open",
        hood: elm_park,
        owner: dana,
        stage: Stage::Closed,
        noticed: day(2026, 8, 1),
        at: Utc.with_ymd_and_hms(2026, 9, 15, 16, 0, 0).unwrap(),
        actions: vec![done("Check the boarding", dana)],
        outcome: Some(Outcome::Solved),
    });
    let cars = problem(P {
        title: "Loud cars at the park",
        hood: elm_park,
        owner: ali,
        stage: Stage::Assessment,
        noticed: day(2026, 10, 1),
        at: ago(NO_ACTION_DAYS),
        actions: vec![done("Talk to the car club", ali)],
        outcome: None,
    });
    let gone = problem(P {
        title: "Old complaint",
        hood: riverside,
        owner: dana,
        stage: Stage::Scanning,
        noticed: day(2026, 11, 1),
        at: ago(20),
        actions: Vec::new(),
        outcome: None,
    });
    store.delete::<Problem>(gone, dana).unwrap();
    Squad {
        store,
        sam,
        dana,
        ali,
        ann,
        riverside,
        riverside_too,
        elm_park,
        alley,
        speeding,
        dumping,
        graffiti,
        vacant,
        cars,
        gone,
    }
}

fn today() -> chrono::NaiveDate {
    day(2026, 11, 25)
}

/// The last four weeks to today, as the Review screen opens.
fn four_weeks() -> Period {
    Period::last_weeks(today(), 4)
}

fn sorted(mut ids: Vec<Id>) -> Vec<Id> {
    ids.sort();
    ids
}

fn review(s: &Squad, officer: Option<Id>, today: chrono::NaiveDate) -> ProblemReview {
    problem_review(&s.store, Period::last_weeks(today, 4), officer, today).unwrap()
}

#[test]
fn figures_per_officer_and_neighborhood_by_stage_with_age_no_action_and_outcomes() {
    let tmp = tempfile::tempdir().unwrap();
    let s = squad_with_problems(tmp.path());
    let report = review_report(&s.store, four_weeks(), None, today()).unwrap();
    let p = &report.problems;
    assert_eq!(p.as_of, today());

    // Every officer, by name; the sergeant owns none and is not a row.
    let names: Vec<&str> = p.officers.iter().map(|o| o.name.as_str()).collect();
    assert_eq!(names, ["Ali Khan", "Ann Byrne", "Dana Reyes"]);
    let row = |name: &str| &p.officers.iter().find(|o| o.name == name).unwrap().counts;
    let ids = |f: &beatbook::query::review::Figure| f.ids.clone();

    let dana = row("Dana Reyes");
    assert_eq!(dana.stages.each_ref().map(|f| f.value), [0, 1, 1, 0, 0]);
    assert_eq!(ids(&dana.stages[1]), [s.alley]);
    assert_eq!(ids(&dana.stages[2]), [s.speeding]);
    assert_eq!(dana.stages[1].behind, Behind::Problems);
    assert_eq!(ids(&dana.open), sorted(vec![s.alley, s.speeding]));
    // Noticed 1 October (55 days) and 20 October (36 days).
    assert_eq!(dana.median_age_days, Some(45.5));
    assert_eq!(dana.oldest_age_days, Some(55));
    assert_eq!(ids(&dana.oldest), [s.alley]);
    // Changed 31 days ago: no action; changed 29 days ago: not yet.
    assert_eq!(ids(&dana.no_action), [s.alley]);
    // The vacant building was closed on 15 September, before the period: not counted.
    assert!(dana.outcomes.iter().all(|f| f.value == 0));

    let ali = row("Ali Khan");
    assert_eq!(ali.stages.each_ref().map(|f| f.value), [1, 0, 0, 1, 1]);
    assert_eq!(ids(&ali.stages[4]), [s.graffiti]);
    assert_eq!(ids(&ali.open), sorted(vec![s.dumping, s.cars]));
    // 5 and 55 days since noticed.
    assert_eq!(ali.median_age_days, Some(30.0));
    assert_eq!(ali.oldest_age_days, Some(55));
    assert_eq!(ids(&ali.oldest), [s.cars]);
    // Changed exactly 30 days ago: no action for 30 days.
    assert_eq!(ids(&ali.no_action), [s.cars]);
    let outcomes = ali.outcomes.each_ref().map(|f| f.value);
    assert_eq!(outcomes, [0, 1, 0, 0], "solved, reduced, moved, no change");
    assert_eq!(ids(&ali.outcomes[1]), [s.graffiti]);

    let ann = row("Ann Byrne");
    assert_eq!(ann.total(), 0);
    assert_eq!((ann.median_age_days, ann.oldest_age_days), (None, None));

    // Neighborhoods by name; both records of Riverside are one.
    let hoods: Vec<&str> = p.neighborhoods.iter().map(|n| n.name.as_str()).collect();
    assert_eq!(hoods, ["Elm Park", "Riverside"]);
    let elm = &p.neighborhoods[0];
    assert_eq!(elm.ids, [s.elm_park]);
    assert_eq!(
        elm.counts.stages.each_ref().map(|f| f.value),
        [0, 0, 1, 1, 0]
    );
    assert_eq!(ids(&elm.counts.no_action), [s.cars]);
    let river = &p.neighborhoods[1];
    assert_eq!(river.ids, sorted(vec![s.riverside, s.riverside_too]));
    assert_eq!(
        river.counts.stages.each_ref().map(|f| f.value),
        [1, 1, 0, 0, 1]
    );
    assert_eq!(ids(&river.counts.stages[0]), [s.dumping]);
    assert_eq!(ids(&river.counts.outcomes[1]), [s.graffiti]);
    assert_eq!(river.counts.oldest_age_days, Some(55));

    // The problems counted, by neighborhood then title; the deleted one and the one closed
    // before the period are not among them.
    let titles: Vec<&str> = p.problems.iter().map(|l| l.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "Loud cars at the park",
            "Speeding on Oak Ave at school times",
            "Dark alley behind the bakery",
            "Dumping behind the shops",
            "Graffiti on the underpass",
        ]
    );
    assert!(p.line(s.gone).is_none() && p.line(s.vacant).is_none());
    let graffiti = p.line(s.graffiti).unwrap();
    assert_eq!(graffiti.closed_on, Some(day(2026, 11, 10)));
    assert_eq!(graffiti.outcome, Some(Outcome::Reduced));
    assert_eq!(graffiti.age_days, 70, "1 September to 10 November");
    assert!(!graffiti.no_action, "only open problems lack action");

    // The speeding problem's actions still to be done: soonest due first, undated last, the
    // done one left out.
    let speeding = p.line(s.speeding).unwrap();
    assert_eq!(speeding.owner, "Dana Reyes");
    assert_eq!(speeding.neighborhood, "Elm Park");
    let next: Vec<&str> = speeding
        .next_actions
        .iter()
        .map(|a| a.what.as_str())
        .collect();
    assert_eq!(
        next,
        [
            "Speed checks on three mornings",
            "New 20 sign by the gate",
            "Ask for a crossing guard at 8:15"
        ]
    );
    assert_eq!(
        speeding.next_actions[0].by,
        ActionBy::Officer {
            name: "Dana Reyes".into()
        }
    );
    assert_eq!(
        speeding.next_actions[1].by,
        ActionBy::Partner {
            agency: "Public works".into(),
            reference: "WO-24871".into(),
            sent: Some(day(2026, 11, 2)),
            chase: Some(day(2026, 11, 28)),
        }
    );
}

#[test]
fn no_action_for_30_days_turns_on_the_day_the_last_change_is_30_days_old() {
    let tmp = tempfile::tempdir().unwrap();
    let s = squad_with_problems(tmp.path());
    let lacking = |today| {
        let mut ids: Vec<Id> = review(&s, None, today)
            .problems
            .iter()
            .filter(|l| l.no_action)
            .map(|l| l.id)
            .collect();
        ids.sort();
        ids
    };
    // Today: changed 31 and 30 days ago, yes; 29 days ago, no.
    assert_eq!(lacking(today()), sorted(vec![s.alley, s.cars]));
    // A day earlier, the one changed "30 days ago" is 29 days old.
    assert_eq!(lacking(day(2026, 11, 24)), [s.alley]);
    // A day later the speeding problem, changed 29 days before today, reaches 30.
    assert_eq!(
        lacking(day(2026, 11, 26)),
        sorted(vec![s.alley, s.speeding, s.cars])
    );

    // Any change counts as action: a note added now takes the alley off the list.
    let mut alley: Problem = s.store.get(s.alley).unwrap().unwrap();
    alley.notes.analysis = "The lamp has been out since October.".into();
    s.store.save(alley, s.dana).unwrap();
    let now_day = Utc::now().date_naive();
    let on = |d| review(&s, None, d).line(s.alley).map(|l| l.no_action);
    assert_eq!(on(now_day), Some(false));
}

#[test]
fn one_officer_sees_only_the_problems_they_own() {
    let tmp = tempfile::tempdir().unwrap();
    let s = squad_with_problems(tmp.path());
    let p = review(&s, Some(s.dana), today());
    assert_eq!(p.officers.len(), 1);
    assert_eq!(p.officers[0].officer, s.dana);
    let river = p
        .neighborhoods
        .iter()
        .find(|n| n.name == "Riverside")
        .unwrap();
    assert_eq!(river.counts.open.ids, [s.alley]);
    assert_eq!(
        river.counts.stages[4].value, 0,
        "Ali's graffiti is not hers"
    );
    let mut counted: Vec<Id> = p.problems.iter().map(|l| l.id).collect();
    counted.sort();
    assert_eq!(counted, sorted(vec![s.alley, s.speeding]));
    let ali = review(&s, Some(s.ali), today());
    let mut counted: Vec<Id> = ali.problems.iter().map(|l| l.id).collect();
    counted.sort();
    assert_eq!(counted, sorted(vec![s.dumping, s.graffiti, s.cars]));
    let ann = review(&s, Some(s.ann), today());
    assert_eq!(ann.officers.len(), 1);
    assert!(ann.problems.is_empty());
}

#[test]
fn a_past_period_counts_the_problems_as_they_stood_then() {
    let tmp = tempfile::tempdir().unwrap();
    let s = squad_with_problems(tmp.path());
    // The alley moves on to its response now; the speeding problem is closed now.
    let mut alley: Problem = s.store.get(s.alley).unwrap().unwrap();
    alley.stage = Stage::Response;
    s.store.save(alley, s.dana).unwrap();
    let mut speeding: Problem = s.store.get(s.speeding).unwrap().unwrap();
    speeding.stage = Stage::Closed;
    speeding.outcome = Some(Outcome::NoChange);
    s.store.save(speeding, s.dana).unwrap();

    // October, seen from today: as they stood on 31 October.
    let october = Period::new(day(2026, 10, 1), day(2026, 10, 31)).unwrap();
    let p = problem_review(&s.store, october, None, today()).unwrap();
    assert_eq!(p.as_of, day(2026, 10, 31));
    let alley = p.line(s.alley).unwrap();
    assert_eq!(alley.stage, Stage::Analysis, "its stage on 31 October");
    assert_eq!(alley.age_days, 30);
    let speeding = p.line(s.speeding).unwrap();
    assert_eq!(speeding.stage, Stage::Response);
    assert!(speeding.outcome.is_none());
    // Not yet written on 31 October.
    assert!(p.line(s.dumping).is_none() && p.line(s.graffiti).is_none());
    // Changed 6 days before 31 October: not lacking action then.
    assert!(!alley.no_action);
    let dana = &p
        .officers
        .iter()
        .find(|o| o.officer == s.dana)
        .unwrap()
        .counts;
    assert_eq!(dana.stages.each_ref().map(|f| f.value), [0, 1, 1, 0, 0]);

    // Up to the real day of the change, the problems stand as saved now: the speeding problem
    // closed today counts under Closed with its outcome.
    let now_day = Utc::now().date_naive();
    let p = problem_review(&s.store, Period::last_weeks(now_day, 1), None, now_day).unwrap();
    let speeding = p.line(s.speeding).unwrap();
    assert_eq!(speeding.closed_on, Some(now_day));
    assert_eq!(speeding.outcome, Some(Outcome::NoChange));
    let dana = &p
        .officers
        .iter()
        .find(|o| o.officer == s.dana)
        .unwrap()
        .counts;
    assert_eq!(dana.outcomes[3].ids, [s.speeding]);
    assert_eq!(dana.stages[2].ids, [s.alley]);
}

#[test]
fn the_text_and_csv_reports_carry_the_problems() {
    let tmp = tempfile::tempdir().unwrap();
    let s = squad_with_problems(tmp.path());
    let report = review_report(&s.store, four_weeks(), None, today()).unwrap();
    let text = to_text(&report);
    for want in [
        "PROBLEMS (open on 25 Nov 2026, and those closed in the period)",
        "Ali Khan: scanning 1, analysis 0, response 0, assessment 1; closed in the period 1 \
         (solved 0, reduced 1, moved elsewhere 0, no change 0); open: median age 30 days, \
         oldest 55 days; no action for 30 days: 1",
        "Ann Byrne: scanning 0",
        "Dana Reyes: scanning 0, analysis 1, response 1",
        "Elm Park: scanning 0, analysis 0, response 1, assessment 1",
        "- Dark alley behind the bakery (Riverside; Dana Reyes; Analysis; 55 days since \
         noticed)  <- no action for 30 days",
        "next: Speed checks on three mornings (Dana Reyes; due 27 Nov 2026)",
        "next: New 20 sign by the gate (Public works, ref. WO-24871; due 1 Dec 2026; chase 28 \
         Nov 2026)",
        "next: Ask for a crossing guard at 8:15 (School district, no reference yet; no due date)",
        "- Graffiti on the underpass (Riverside; Ali Khan): Closed 10 Nov 2026: Reduced",
    ] {
        assert!(text.contains(want), "{want:?} missing from:\n{text}");
    }
    // Officers by name, Ann (no problem) between Ali and Dana.
    let problems = &text[text.find("PROBLEMS").unwrap()..];
    let at = |name| problems.find(name).unwrap();
    assert!(at("Ali Khan:") < at("Ann Byrne:") && at("Ann Byrne:") < at("Dana Reyes:"));

    let csv = to_csv(&report);
    for row in [
        r#""problems_officer","Dana Reyes","open_analysis","1""#,
        r#""problems_officer","Ali Khan","closed_in_period","1""#,
        r#""problems_officer","Ali Khan","outcome_reduced","1""#,
        r#""problems_officer","Dana Reyes","median_age_days","45.5""#,
        r#""problems_officer","Dana Reyes","no_action_30_days","1""#,
        r#""problems_neighborhood","Riverside","open_scanning","1""#,
        r#""problems_neighborhood","Elm Park","oldest_age_days","55""#,
    ] {
        assert!(csv.contains(row), "{row} missing from:\n{csv}");
    }
    assert!(
        !csv.contains(r#""problems_officer","Ann Byrne""#),
        "a row without problems has only zeros and is left out"
    );
    let json = beatbook::report::to_json(&report).unwrap();
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    let dana = &json["problems"]["officers"][2]["counts"];
    assert_eq!(dana["stages"]["analysis"], 1);
    assert_eq!(dana["outcomes"]["moved_elsewhere"], 0);
}

// ---------------------------------------------------------------------------------------------
// The Review screen

/// The sergeant's app on the squad's log, its Review screen open at the problems.
fn review_problems_open(dir: &Path) -> App {
    let mut h = app(dir);
    click_and_wait(&mut h, "Review");
    click(&mut h, "Community problems");
    settle(&mut h);
    h
}

#[test]
fn a_figure_lists_its_problems_and_opens_one() {
    let tmp = tempfile::tempdir().unwrap();
    let s = squad_with_problems(tmp.path());
    drop(s);
    let mut h = review_problems_open(tmp.path());
    for spoken in [
        "Dana Reyes: problems in analysis, 1",
        "Dana Reyes: problems in response, 1",
        "Dana Reyes: open problems with no action for 30 days, 1",
        "Dana Reyes: median age of open problems in days, 45.5",
        "Ali Khan: problems closed in the period, 1",
        "Ali Khan: problems closed as reduced, 1",
        "Ali Khan: oldest open problem in days, 55",
        "Riverside: problems in scanning, 1",
        "Elm Park: problems in assessment, 1",
    ] {
        assert!(h.query_by_label(spoken).is_some(), "expected \"{spoken}\"");
    }
    // What no action means is said under the tables, and again beside the column's heading
    // when the pointer rests on it.
    let meaning = "nothing at all was saved to it (no note, action, status";
    assert_eq!(h.query_all_by_label_contains(meaning).count(), 1);
    h.get_all_by_label("No action\n30+ days")
        .next()
        .unwrap()
        .hover();
    h.run();
    assert_eq!(h.query_all_by_label_contains(meaning).count(), 2);

    click(&mut h, "Riverside: problems in analysis, 1");
    let shown = ws(&mut h).review.shown.clone().unwrap();
    assert_eq!(shown.figure.behind, Behind::Problems);
    assert!(h.query_by_label("1 problem behind this figure").is_some());
    assert!(h
        .query_by_label_contains("Riverside · Dana Reyes · Analysis · 55 days since noticed")
        .is_some());
    assert!(h
        .query_by_label_contains(
            "Next: Walk the alley at 9 pm twice a week (Dana Reyes; due 3 Dec 2026)"
        )
        .is_some());
    assert!(h
        .query_by_label_contains("No action for 30 days: last changed 25 Oct 2026.")
        .is_some());

    click(&mut h, "Dark alley behind the bakery");
    assert_eq!(ws(&mut h).screen, Screen::Problems);
}

#[test]
fn rows_are_in_name_order_and_cannot_be_sorted_by_count() {
    let tmp = tempfile::tempdir().unwrap();
    squad_with_problems(tmp.path());
    let h = review_problems_open(tmp.path());
    // Ali has three problems, Ann none, Dana two: the rows read by name all the same.
    let top = |label: &str| h.get_by_label(label).rect().top();
    let (ali, ann, dana) = (
        top("Ali Khan (3301)"),
        top("Ann Byrne (2200)"),
        top("Dana Reyes (4127)"),
    );
    assert!(ali < ann && ann < dana, "{ali} {ann} {dana}");
    assert!(top("Elm Park") < top("Riverside"));
    assert!(
        h.query_by_label("Sort by").is_none(),
        "no sorting is offered on the problems"
    );
}

// ---------------------------------------------------------------------------------------------
// The handover packet and the PDF report

/// The text a PDF prints, its strings joined by spaces (lines wrapped in a cell or paragraph
/// read on as one). Literal strings are read with their escapes; hex strings (text beyond
/// ASCII) as WinAnsi bytes.
fn pdf_text(pdf: &[u8]) -> String {
    fn win_ansi(b: u8) -> char {
        match b {
            0x85 => '\u{2026}',
            0x95 => '\u{2022}',
            0x96 => '\u{2013}',
            0x97 => '\u{2014}',
            _ => char::from(b),
        }
    }
    let mut out = String::new();
    let mut i = 0;
    while i < pdf.len() {
        match pdf[i] {
            b'(' => {
                i += 1;
                while i < pdf.len() && pdf[i] != b')' {
                    if pdf[i] == b'\\' && i + 1 < pdf.len() {
                        i += 1;
                    }
                    out.push(win_ansi(pdf[i]));
                    i += 1;
                }
                out.push(' ');
            }
            b'<' if pdf.get(i + 1) != Some(&b'<') && i > 0 && pdf[i - 1] != b'<' => {
                let end = pdf[i..].iter().position(|b| *b == b'>').map(|e| i + e);
                let hex = end.map(|e| &pdf[i + 1..e]);
                if let Some(hex) = hex.filter(|h| h.iter().all(u8::is_ascii_hexdigit)) {
                    for pair in hex.chunks(2) {
                        let byte = u8::from_str_radix(std::str::from_utf8(pair).unwrap(), 16);
                        out.push(win_ansi(byte.unwrap()));
                    }
                    out.push(' ');
                    i = end.unwrap();
                }
            }
            _ => {}
        }
        i += 1;
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Keeps a rendered PDF in `BEATBOOK_PDF_OUT`, when it is set.
fn keep(pdf: &[u8], name: &str) {
    if let Some(out) = std::env::var_os("BEATBOOK_PDF_OUT") {
        std::fs::write(Path::new(&out).join(name), pdf).unwrap();
    }
}

/// Adds to the squad's log a priority for Riverside agreed for now (worked on by the alley),
/// one that ended in September, and a follow-up in Riverside waiting on public works.
fn priorities_and_a_wait(s: &Squad) {
    let meta = |by: Id| s.store.new_meta(by).unwrap();
    let priority = |concern: &str, from, to, problems: Vec<Id>| Priority {
        meta: meta(s.dana),
        neighborhood: s.riverside,
        concern: concern.into(),
        from,
        to,
        meeting: None,
        problems,
    };
    s.store
        .save(
            priority(
                "A safe walk home from the bus stop",
                day(2026, 11, 1),
                day(2027, 1, 31),
                vec![s.alley],
            ),
            s.dana,
        )
        .unwrap();
    s.store
        .save(
            priority(
                "Summer fireworks at night",
                day(2026, 6, 1),
                day(2026, 9, 30),
                Vec::new(),
            ),
            s.dana,
        )
        .unwrap();
    s.store
        .save(
            FollowUp {
                meta: meta(s.dana),
                promise: "Tell Rosa when the alley lamp is fixed".into(),
                person: None,
                contact: None,
                neighborhood: s.riverside_too,
                due: day(2026, 12, 4),
                status: FollowUpStatus::Open,
                waiting_on: Some(PartnerWait {
                    agency: "Public works".into(),
                    reference: "WO-5512".into(),
                    chase: Some(day(2026, 12, 1)),
                }),
            },
            s.dana,
        )
        .unwrap();
}

#[test]
fn the_handover_packet_lists_open_problems_priorities_and_partner_waits() {
    let tmp = tempfile::tempdir().unwrap();
    let s = squad_with_problems(tmp.path());
    priorities_and_a_wait(&s);
    let packet = handover_packet(&s.store, s.riverside, s.sam, today()).unwrap();
    // Both records of Riverside; the closed graffiti and the deleted complaint are left out.
    let titles: Vec<&str> = packet.problems.iter().map(|p| p.title.as_str()).collect();
    assert_eq!(
        titles,
        ["Dumping behind the shops", "Dark alley behind the bakery"]
    );
    assert_eq!(
        packet.priorities.len(),
        1,
        "only the priority agreed for now"
    );
    assert_eq!(
        packet.priorities[0].problems,
        ["Dark alley behind the bakery"]
    );
    let wait = packet.unassigned_promises[0].waiting_on.as_ref().unwrap();
    assert_eq!(wait.reference, "WO-5512");

    let text = handover_text(&packet);
    let expected = [
        "2 open problems, 1 priority agreed for now",
        "[ ] Tell Rosa when the alley lamp is fixed (due 4 Dec 2026; promised by Dana Reyes; \
         waits on Public works, ref. WO-5512, chase 1 Dec 2026)",
        "PRIORITIES AGREED WITH RESIDENTS FOR NOW",
        "- A safe walk home from the bus stop (1 Nov 2026 to 31 Jan 2027)",
        "worked on by: Dark alley behind the bakery",
        "OPEN PROBLEMS",
        "- Dumping behind the shops (Scanning; owner Ali Khan; 5 days since noticed)",
        "no action planned",
        "- Dark alley behind the bakery (Analysis; owner Dana Reyes; 55 days since noticed)",
        "next: Walk the alley at 9 pm twice a week (Dana Reyes; due 3 Dec 2026)",
        "JOURNAL",
    ];
    let mut from = 0;
    for want in expected {
        let found = text[from..].find(want);
        assert!(found.is_some(), "missing or out of order: {want}\n{text}");
        from += found.unwrap_or(0) + want.len();
    }
    assert!(
        !text.contains("Summer fireworks"),
        "an ended priority is not handed over"
    );
    assert!(!text.contains("Graffiti") && !text.contains("Old complaint"));

    let bytes = handover_pdf(&packet);
    keep(&bytes, "handover-problems.pdf");
    let pdf = pdf_text(&bytes);
    for want in [
        "2 open problems, 1 priority agreed with residents for now.",
        "Tell Rosa when the alley lamp is fixed Waits on Public works, ref. WO-5512, chase 1 Dec \
         2026",
        "Priorities agreed with residents",
        "A safe walk home from the bus stop 1 Nov 2026 to 31 Jan 2027 Dark alley behind the \
         bakery",
        "Open problems Problem Stage Next actions",
        "Dumping behind the shops Owner: Ali Khan Scanning 5 days since noticed No action planned",
        "Dark alley behind the bakery Owner: Dana Reyes Analysis 55 days since noticed Walk the \
         alley at 9 pm twice a week (Dana Reyes; due 3 Dec 2026)",
    ] {
        assert!(pdf.contains(want), "{want:?} missing from the PDF:\n{pdf}");
    }
}

#[test]
fn the_pdf_report_has_a_problems_section() {
    let tmp = tempfile::tempdir().unwrap();
    let s = squad_with_problems(tmp.path());
    let report = review_report(&s.store, four_weeks(), None, today()).unwrap();
    let bytes = review_pdf(&report);
    keep(&bytes, "review-problems.pdf");
    assert!(bytes.starts_with(b"%PDF-"));
    assert_eq!(
        bytes,
        review_pdf(&report),
        "the same report prints the same bytes"
    );
    let pdf = pdf_text(&bytes);
    for want in [
        "Community problems",
        "Open problems as they stood on 25 Nov 2026, and the problems closed in the period.",
        "By officer",
        // Name, scanning to closed, median age, oldest, no action.
        "Ali Khan 1 0 0 1 1 30 55 1",
        "Ann Byrne 0 0 0 0 0 – – 0",
        "Dana Reyes 0 1 1 0 0 45.5 55 1",
        "By neighborhood",
        "Elm Park 0 0 1 1 0 45.5 55 1",
        "Riverside 1 1 0 0 1 30 55 1",
        "Open problems and their next actions",
        "Elm Park Speeding on Oak Ave at school times Owner: Dana Reyes Response 36 days since \
         noticed \u{2022} Speed checks on three mornings (Dana Reyes; due 27 Nov 2026) \u{2022} New 20 \
         sign by the gate (Public works, ref. WO-24871; due 1 Dec 2026; chase 28 Nov 2026)",
        "Riverside Dark alley behind the bakery Owner: Dana Reyes Analysis 55 days since noticed \
         No action for 30 days",
        "Closed in the period",
        "Outcomes of the 1 problem closed: Solved 0, Reduced 1, Moved elsewhere 0, No change 0.",
        "Riverside Graffiti on the underpass Owner: Ali Khan 10 Nov 2026 70 Reduced",
    ] {
        assert!(pdf.contains(want), "{want:?} missing from the PDF:\n{pdf}");
    }
    // Rows by name in the PDF too.
    let at = |name: &str| pdf.find(name).unwrap();
    assert!(at("Ali Khan 1 0 0 1 1") < at("Dana Reyes 0 1 1 0 0"));
    assert!(!pdf.contains("Vacant building"), "closed before the period");
}
