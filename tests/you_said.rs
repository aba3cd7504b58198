//! The public "You said, we did" report: written by `beatbook you-said-we-did` over a demo
//! precinct and read back with a real PDF reader (poppler's `pdftotext`), so that none of its
//! people's names, phones, emails or addresses is in it while marked sentences are and planted
//! names are left out and counted; a colleague's words printed only where their residents can
//! be checked; refusals of bad input that write nothing; the app's preview,
//! its period, and saving what it shows; and pictures of the preview in both themes.

use std::path::{Path, PathBuf};
use std::process::{Command as Process, Output};

use beatbook::demo::{generate, DemoOptions};
use beatbook::model::{
    Action, ActionOwner, ActionStatus, Id, Outcome, Person, Priority, Problem, Stage, StageNotes,
};
use beatbook::query::SquadNames;
use beatbook::report::you_said::{to_text, you_said_we_did, YouSaidReport};
use beatbook::store::Store;
use beatbook::ui::command::Command;
use beatbook::ui::dialogs::FixedDialogs;
use chrono::{Duration, Local, NaiveDate};
use egui_kittest::kittest::Queryable;

use crate::common;
use crate::common::*;

const BIN: &str = env!("CARGO_BIN_EXE_beatbook");

fn bb(dir: &Path, args: &[&str]) -> Output {
    Process::new(BIN)
        .env("BEATBOOK_PASSPHRASE", common::PASSPHRASE)
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

/// The text of a PDF as a reader finds it (poppler's `pdftotext`, which `.ci/run` installs).
fn pdf_text(pdf: &Path) -> String {
    let o = Process::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext (from poppler-utils) reads the PDFs; .ci/run installs it");
    assert!(o.status.success(), "pdftotext: {}", stderr(&o));
    String::from_utf8(o.stdout).unwrap()
}

/// Text as lower-case words between single spaces, with a space at each end: lines wrapped
/// in the middle of a name, and any punctuation, no longer hide it.
fn words(text: &str) -> String {
    let mut out = String::from(" ");
    for w in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        out.push_str(&w.to_lowercase());
        out.push(' ');
    }
    out
}

/// Whether `phrase` is in `text` as whole words, in any case, whatever the line breaks.
fn says(text: &str, phrase: &str) -> bool {
    let phrase = words(phrase);
    !phrase.trim().is_empty() && words(text).contains(&phrase)
}

/// Every digit of the text in one run: a phone split over lines or spaced any way is found.
fn digits(text: &str) -> String {
    text.chars().filter(char::is_ascii_digit).collect()
}

/// Fails when any person's name, phone, email or address is in `text`.
fn assert_no_personal_data(people: &[Person], text: &str, what: &str) {
    let all_digits = digits(text);
    let lower = text.to_lowercase();
    let mut checked = 0;
    for p in people {
        assert!(!says(text, &p.name), "{what} names {:?}:\n{text}", p.name);
        let Some(c) = &p.consent else { continue };
        let phone = digits(&c.phone);
        if !phone.is_empty() {
            checked += 1;
            assert!(!all_digits.contains(&phone), "{what} holds {:?}", c.phone);
            // The number as written without its country code.
            let local = &phone[phone.len().saturating_sub(7)..];
            assert!(!all_digits.contains(local), "{what} holds {:?}", c.phone);
        }
        if !c.email.is_empty() {
            assert!(
                !lower.contains(&c.email.to_lowercase()),
                "{what}: {}",
                c.email
            );
        }
        assert!(!says(text, &c.address), "{what} holds {:?}", c.address);
    }
    assert!(checked > 0, "the log has phones to look for");
}

/// A person the log names as a first name and a surname ("Maria Lopez").
fn a_resident(people: &[Person]) -> String {
    people
        .iter()
        .map(|p| p.name.as_str())
        .find(|n| {
            let parts: Vec<&str> = n.split(' ').collect();
            parts.len() == 2
                && parts.iter().all(|w| {
                    w.len() > 2
                        && w.chars().all(char::is_alphabetic)
                        && w.starts_with(|c: char| c.is_uppercase())
                })
        })
        .unwrap()
        .to_string()
}

fn officer_action(what: &str, officer: Id, due: NaiveDate, status: ActionStatus) -> Action {
    Action {
        what: what.into(),
        owner: Some(ActionOwner::Officer { officer }),
        due: Some(due),
        status,
    }
}

fn partner_action(what: &str, agency: &str, due: NaiveDate, status: ActionStatus) -> Action {
    Action {
        what: what.into(),
        owner: Some(ActionOwner::Partner {
            agency: agency.into(),
            reference: "WO-31337".into(),
            sent: None,
            chase: None,
        }),
        due: Some(due),
        status,
    }
}

fn problem(store: &Store, hood: Id, owner: Id, title: &str, noticed: NaiveDate) -> Problem {
    Problem {
        meta: store.new_meta(owner).unwrap(),
        title: title.into(),
        neighborhood: hood,
        places: Vec::new(),
        topics: Vec::new(),
        owner,
        noticed,
        stage: Stage::Response,
        notes: StageNotes::default(),
        contacts: Vec::new(),
        actions: Vec::new(),
        outcome: None,
        published: Vec::new(),
    }
}

const MARKED: &str = "The gate has been broken since the October storm.";
const UNMARKED: &str = "The caretaker sleeps in the shed on weekends.";

/// What the demo test planted in one neighborhood of the precinct.
struct Planted {
    hood: String,
    name: String,
    phone: String,
}

/// Two problems in the neighborhood of the demo's first problem under way: one with a
/// sentence of its notes marked for publication (and one not), a partner's action, an
/// officer's action naming a resident and one holding a resident's phone; another whose title
/// names a resident.
fn plant(store: &Store, today: NaiveDate) -> Planted {
    let people: Vec<Person> = store.all::<Person>().unwrap();
    let name = a_resident(&people);
    let phone = people
        .iter()
        .filter_map(|p| p.consent.as_ref())
        .map(|c| c.phone.clone())
        .find(|p| !p.is_empty())
        .unwrap();
    let demo = store
        .all::<Problem>()
        .unwrap()
        .into_iter()
        .find(|p| p.stage == Stage::Response)
        .unwrap();
    let (hood, owner) = (demo.neighborhood, demo.owner);
    let noticed = today - Duration::days(20);
    let mut gate = problem(store, hood, owner, "Broken gate at the rec center", noticed);
    gate.notes.analysis = format!("{MARKED} {UNMARKED}");
    gate.published = vec![MARKED.into()];
    gate.actions = vec![
        partner_action(
            "Fix the gate hinge",
            "Parks department",
            today + Duration::days(10),
            ActionStatus::InProgress,
        ),
        officer_action(
            &format!("Ask {name} to keep the gate shut at night"),
            owner,
            today + Duration::days(5),
            ActionStatus::InProgress,
        ),
        officer_action(
            &format!("Call {phone} to reach the caretaker"),
            owner,
            today + Duration::days(7),
            ActionStatus::Planned,
        ),
    ];
    store.save(gate, owner).unwrap();
    let mut noise = problem(
        store,
        hood,
        owner,
        &format!("Music outside the home of {name} at night"),
        noticed,
    );
    noise.actions = vec![officer_action(
        "Talk to the bar owner about closing the windows",
        owner,
        today + Duration::days(3),
        ActionStatus::InProgress,
    )];
    store.save(noise, owner).unwrap();
    let names = SquadNames::of(store).unwrap();
    Planted {
        hood: names.name(hood).unwrap().to_string(),
        name,
        phone,
    }
}

/// The checks shared by the PDF's text and the text file.
fn assert_safe_and_complete(text: &str, people: &[Person], planted: &Planted, what: &str) {
    assert_no_personal_data(people, text, what);
    assert!(
        says(text, &format!("You said, we did {}", planted.hood)),
        "{what}"
    );
    assert!(
        says(text, MARKED),
        "{what}: the marked sentence is printed:\n{text}"
    );
    assert!(!says(text, UNMARKED), "{what}: an unmarked sentence is not");
    assert!(
        !says(text, "caretaker"),
        "{what}: nor the action with a phone"
    );
    assert!(
        says(text, "Under way: Fix the gate hinge (Parks department)"),
        "{what}"
    );
    assert!(
        says(text, "Talk to the bar owner about closing the windows"),
        "{what}"
    );
    assert!(!says(text, "Music outside the home"), "{what}");
    assert!(
        !says(text, &planted.name) && !says(text, &planted.phone),
        "{what}"
    );
    assert!(
        !says(text, "WO 31337"),
        "{what}: partners' references stay in the log"
    );
    for heading in [
        "You said: what residents raised",
        "What we agreed to work on",
        "What we did",
        "What comes next",
    ] {
        assert!(says(text, heading), "{what}: {heading}");
    }
    assert!(says(text, "raised"), "{what}: the topics raised");
}

#[test]
fn the_report_over_a_demo_precinct_names_nobody_and_counts_what_it_left_out() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("log");
    let today = Local::now().date_naive();
    let (planted, people) = {
        let store = Store::open(&dir, &common::key()).unwrap();
        let options = DemoOptions {
            officers: 3,
            neighborhoods: 4,
            contacts: 600,
            seed: 11,
        };
        generate(&store, &options, &mut |_, _| {}).unwrap();
        let planted = plant(&store, today);
        let people: Vec<Person> = store
            .iter_all::<Person>()
            .unwrap()
            .map(Result::unwrap)
            .collect();
        (planted, people)
    };
    assert!(people.len() >= 150);

    let pdf = tmp.path().join("you-said.pdf");
    let o = bb(
        &dir,
        &[
            "you-said-we-did",
            "--neighborhood",
            &planted.hood.to_uppercase(),
            "--out",
            pdf.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let said = stdout(&o);
    assert!(said.contains("Wrote \"You said, we did\" for "), "{said}");
    // The name twice (the action under way, and as a next step), the problem titled with it
    // and the two lines under that title, and the phone in a next step.
    assert!(
        said.contains(
            "6 lines were left out and not printed: 3 named a person in the log; 1 held a \
             phone number from the log; 2 belonged to a line left out above it."
        ),
        "{said}"
    );
    assert!(
        said.contains("  What we did: named a person in the log"),
        "{said}"
    );
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    assert!(
        !bytes.windows(12).any(|w| w == b"/FlateDecode"),
        "kept uncompressed"
    );
    let text = pdf_text(&pdf);
    assert_safe_and_complete(&text, &people, &planted, "the PDF");

    // The text: the same report, line for line as the library makes it.
    let txt = tmp.path().join("you-said.txt");
    let o = bb(
        &dir,
        &[
            "you-said-we-did",
            "--neighborhood",
            &planted.hood,
            "--out",
            txt.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let written = std::fs::read_to_string(&txt).unwrap();
    assert_safe_and_complete(&written, &people, &planted, "the text");
    let store = Store::open(&dir, &common::key()).unwrap();
    let names = SquadNames::of(&store).unwrap();
    let hood = names.neighborhood_named(&planted.hood).unwrap();
    let report = you_said_we_did(&store, hood, today - Duration::days(90), today, today).unwrap();
    assert_eq!(written, to_text(&report));
    // Every line printed is in the PDF, in order of the report.
    for line in &report.lines {
        assert!(says(&text, &line.text), "{:?} is not in the PDF", line.text);
    }
    assert_eq!(report.left_out.len(), 6);
}

/// A log with the seeded neighborhood history, a problem under way in Riverside (a partner's
/// action done, one of the officer's naming Rosa Delgado, a closed one with its outcome) and a
/// priority agreed at the Elm Park meeting.
fn seeded_with_work(dir: &Path) -> Seeded {
    let s = seed(dir);
    let store = Store::open(dir, &common::key()).unwrap();
    let mut alley = problem(
        &store,
        s.riverside,
        s.officer,
        "Dark alley behind the bakery",
        day(2026, 11, 3),
    );
    alley.notes.response = "Public works replaced the lamp. Rosa was pleased.".into();
    alley.published = vec!["Public works replaced the lamp.".into()];
    alley.actions = vec![
        partner_action(
            "Replace the alley lamp",
            "Public works",
            day(2026, 11, 20),
            ActionStatus::Done,
        ),
        officer_action(
            "Walk the alley after dark twice a week",
            s.officer,
            day(2026, 12, 4),
            ActionStatus::InProgress,
        ),
        officer_action(
            "Tell Rosa Delgado when the lamp is fixed",
            s.officer,
            day(2026, 11, 30),
            ActionStatus::InProgress,
        ),
    ];
    store.save(alley, s.officer).unwrap();
    let mut bins = problem(
        &store,
        s.riverside,
        s.officer,
        "Overflowing bins on Main St",
        day(2026, 10, 1),
    );
    bins.actions = vec![partner_action(
        "Add a weekend collection",
        "Sanitation",
        day(2026, 10, 20),
        ActionStatus::Done,
    )];
    bins.stage = Stage::Closed;
    bins.outcome = Some(Outcome::Solved);
    store.save(bins, s.officer).unwrap();
    let priority = Priority {
        meta: store.new_meta(s.officer).unwrap(),
        neighborhood: s.riverside,
        concern: "Lighting on the way home from the bus".into(),
        from: day(2026, 11, 10),
        to: day(2027, 2, 10),
        meeting: Some(s.contacts[1]),
        problems: Vec::new(),
    };
    store.save(priority, s.officer).unwrap();
    s
}

/// A failure is a non-zero exit with one plain `beatbook: ...` line, and no file written.
fn refused(dir: &Path, out: &Path, args: &[&str]) -> String {
    let mut all = vec!["you-said-we-did"];
    all.extend_from_slice(args);
    let o = bb(dir, &all);
    assert!(!o.status.success(), "{args:?} succeeded: {}", stdout(&o));
    let err = stderr(&o);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 1, "{args:?}: {err:?}");
    assert!(lines[0].starts_with("beatbook: "), "{err:?}");
    let left: Vec<_> = std::fs::read_dir(out).unwrap().collect();
    assert!(left.is_empty(), "{args:?} left {left:?}");
    lines[0].to_string()
}

#[test]
fn bad_input_is_refused_in_one_plain_line_and_nothing_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("log");
    seeded_with_work(&dir);
    let out = tmp.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let pdf = out.join("report.pdf");
    let pdf = pdf.to_str().unwrap();

    let line = refused(&dir, &out, &["--neighborhood", "Nowhere", "--out", pdf]);
    assert!(
        line.contains("No neighborhood named \"Nowhere\". Known: Elm Park, Riverside."),
        "{line}"
    );
    let hood = ["--neighborhood", "Riverside"];
    let line = refused(
        &dir,
        &out,
        &[&hood[..], &["--from", "2026-13-01", "--out", pdf]].concat(),
    );
    assert!(line.contains("\"2026-13-01\" is not a date"), "{line}");
    let line = refused(
        &dir,
        &out,
        &[&hood[..], &["--to", "last week", "--out", pdf]].concat(),
    );
    assert!(line.contains("\"last week\" is not a date"), "{line}");
    let late = ["--from", "2026-11-20", "--to", "2026-11-01", "--out", pdf];
    let line = refused(&dir, &out, &[&hood[..], &late[..]].concat());
    assert!(
        line.contains("--from 2026-11-20 is after --to 2026-11-01"),
        "{line}"
    );
    let doc = out.join("report.doc");
    let line = refused(
        &dir,
        &out,
        &[&hood[..], &["--out", doc.to_str().unwrap()]].concat(),
    );
    assert!(line.contains("should end in .pdf or .txt"), "{line}");
    let missing = out.join("no such folder").join("report.pdf");
    let line = refused(
        &dir,
        &out,
        &[&hood[..], &["--out", missing.to_str().unwrap()]].concat(),
    );
    assert!(line.contains("does not exist"), "{line}");
    assert!(line.contains("no such folder"), "{line}");
    let line = refused(&dir, &out, &["--out", pdf]);
    assert!(
        line.contains("Say which neighborhood the report is for: --neighborhood NAME."),
        "{line}"
    );
    let line = refused(&dir, &out, &hood);
    assert!(
        line.contains("Say where to write the report: --out FILE.pdf"),
        "{line}"
    );
    // A folder named like a PDF is still a folder.
    let folder = tmp.path().join("folder.pdf");
    std::fs::create_dir(&folder).unwrap();
    let line = refused(
        &dir,
        &out,
        &[&hood[..], &["--out", folder.to_str().unwrap()]].concat(),
    );
    assert!(line.contains("is a folder"), "{line}");

    // With no dates: the 90 days up to today.
    let txt = out.join("riverside.txt");
    let o = bb(
        &dir,
        &[
            &["you-said-we-did"][..],
            &hood[..],
            &["--out", txt.to_str().unwrap()],
        ]
        .concat(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let today = Local::now().date_naive();
    let period = format!(
        "{} to {}",
        (today - Duration::days(90)).format("%-d %B %Y"),
        today.format("%-d %B %Y")
    );
    let text = std::fs::read_to_string(&txt).unwrap();
    assert!(text.lines().nth(2) == Some(period.as_str()), "{text}");
    // Rosa's name is in an action under way and in a next step.
    assert!(
        stdout(&o).contains("2 lines were left out and not printed: 2 named a person in the log."),
        "{}",
        stdout(&o)
    );
}

/// Opens the preview of Riverside's report for the 90 days up to the test's today.
fn open_preview(h: &mut App, riverside: Id) {
    ws(h).apply(Command::PreviewYouSaidWeDid {
        neighborhood: riverside,
        from: day(2026, 8, 27),
        to: day(2026, 11, 25),
    });
    settle(h);
}

/// Whether a widget with exactly this label is on screen (behind the window, the screen may
/// show the same words).
fn shown(h: &App, label: &str) -> bool {
    h.query_all_by_label(label).next().is_some()
}

/// The lines of the report in the preview.
fn printed(h: &mut App) -> Vec<String> {
    shown_report(h).lines.into_iter().map(|l| l.text).collect()
}

/// The report the preview shows.
fn shown_report(h: &mut App) -> YouSaidReport {
    ws(h).you_said.as_ref().unwrap().report.clone().unwrap()
}

/// Selects everything in the text field with this label and types `text` over it.
fn retype(h: &mut App, label: &str, text: &str) {
    focus(h, label);
    h.key_press_modifiers(ctrl(), egui::Key::A);
    type_text(h, text);
}

#[test]
fn the_preview_shows_what_will_print_and_saves_exactly_that() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("log");
    let s = seeded_with_work(&dir);
    let mut h = app(&dir);
    open_preview(&mut h, s.riverside);

    // What residents raised, the priority, what was done and what comes next.
    for label in [
        "You said, we did \u{2014} Riverside",
        "27 August 2026 to 25 November 2026",
        "Lighting: raised 2 times",
        "Lighting on the way home from the bus",
        "Dark alley behind the bakery",
        "Done: Replace the alley lamp (Public works)",
        "Public works replaced the lamp.",
        "Closed. Outcome: Solved.",
        "By 4 December 2026: Walk the alley after dark twice a week",
    ] {
        assert!(shown(&h, label), "{label} is not shown");
    }
    // The action naming Rosa is left out (under way, and as a next step), and counted; the
    // sentence of the notes not marked is not in the report at all.
    let lines = printed(&mut h);
    assert!(lines.iter().all(|l| !l.contains("Rosa")), "{lines:#?}");
    assert!(shown(
        &h,
        "2 lines were left out and not printed: 2 named a person in the log."
    ));

    // A new period: from the 10th, the alley's first lighting contact is before it.
    retype(&mut h, "From", "2026-11-10");
    click(&mut h, "Update");
    assert!(shown(&h, "Lighting: raised 1 time"));
    assert_eq!(shown_report(&mut h).from, day(2026, 11, 10));
    // Days that are not days, or in the wrong order, are said in the window.
    retype(&mut h, "To", "2026-11-01");
    click(&mut h, "Update");
    assert!(h
        .query_by_label_contains("the first day must come first")
        .is_some());
    assert_eq!(shown_report(&mut h).from, day(2026, 11, 10));

    // Saved as PDF and as text through the file dialogs: what the preview shows.
    let pdf = tmp.path().join("riverside.pdf");
    ws(&mut h).dialogs = Box::new(FixedDialogs(Some(pdf.clone())));
    click(&mut h, "Save as PDF...");
    let text = pdf_text(&pdf);
    let report = ws(&mut h)
        .you_said
        .as_ref()
        .unwrap()
        .report
        .clone()
        .unwrap();
    for line in &report.lines {
        assert!(says(&text, &line.text), "{:?} is not in the PDF", line.text);
    }
    // No one in the log is named in what was saved.
    let people = ws(&mut h).store.all::<Person>().unwrap();
    assert!(people.iter().any(|p| p.name == "Rosa Delgado"));
    for p in &people {
        assert!(!says(&text, &p.name), "the PDF names {:?}", p.name);
    }
    let txt = tmp.path().join("riverside.txt");
    ws(&mut h).dialogs = Box::new(FixedDialogs(Some(txt.clone())));
    click(&mut h, "Save as text...");
    let saved = std::fs::read_to_string(&txt).unwrap();
    assert_eq!(saved, to_text(&report));
    for p in &people {
        assert!(!says(&saved, &p.name), "the text names {:?}", p.name);
    }
    let status = ws(&mut h).status.clone().unwrap();
    assert!(!status.is_error, "{}", status.text);
    assert!(status
        .text
        .starts_with("Saved the \"You said, we did\" report to "));

    click(&mut h, "Close");
    assert!(ws(&mut h).you_said.is_none());
}

/// A fresh folder at a fixed path, so the pictures are the same on every run.
fn fixed_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("beatbook-snapshot-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[test]
fn the_preview_looks_right_in_both_themes() {
    let mut results = Vec::new();
    for (theme, name) in [
        (egui::Theme::Dark, "you_said_preview"),
        (egui::Theme::Light, "light_you_said_preview"),
    ] {
        let dir = fixed_dir(name);
        let s = seeded_with_work(&dir);
        let mut h = app(&dir);
        std::fs::remove_dir_all(dir.join("backups")).unwrap();
        h.ctx.set_theme(theme);
        open_preview(&mut h, s.riverside);
        results.push(h.try_snapshot(name));
    }
    for r in results {
        r.unwrap();
    }
}

/// An officer's log receives the squad's problems but not the other officers' residents: a
/// colleague's words cannot be checked against names this log never had, so they are left out
/// (and said why in the preview) until the log holds that colleague's people, as a sergeant's
/// log does; then they are checked like the officer's own.
#[test]
fn a_colleagues_words_are_printed_only_where_their_residents_can_be_checked() {
    use beatbook::model::{Meta, Officer, PersonRole, Role};
    use beatbook::report::you_said::Reason;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("log");
    let s = seeded_with_work(&dir);
    let store = Store::open(&dir, &common::key()).unwrap();
    let colleague = {
        let m = store.new_meta(s.officer).unwrap();
        let id = m.id;
        let officer = Officer {
            meta: Meta {
                author: id,
                created_by: Some(id),
                ..m
            },
            name: "Ali Khan".into(),
            badge: "3301".into(),
            role: Role::Officer,
        };
        store.save(officer, id).unwrap().meta.id
    };
    for title in ["Gate behind Tom Hale's shop", "Speeding on Elm St"] {
        let p = problem(&store, s.riverside, colleague, title, day(2026, 11, 5));
        store.save(p, colleague).unwrap();
    }
    // The officer's own problem, to which the colleague added an action before the officer
    // saved it again: the colleague's words are in it too.
    let mine = problem(
        &store,
        s.riverside,
        s.officer,
        "Bins on Main St",
        day(2026, 11, 6),
    );
    let mut mine = store.save(mine, s.officer).unwrap();
    mine.actions.push(officer_action(
        "Ask Tom Hale about the bins",
        colleague,
        day(2026, 12, 1),
        ActionStatus::InProgress,
    ));
    let mut mine = store.save(mine, colleague).unwrap();
    mine.notes.response = "Bins moved off the path.".into();
    store.save(mine, s.officer).unwrap();
    let report = || {
        you_said_we_did(
            &store,
            s.riverside,
            day(2026, 8, 27),
            day(2026, 11, 25),
            day(2026, 11, 25),
        )
        .unwrap()
    };
    let texts =
        |r: &YouSaidReport| -> Vec<String> { r.lines.iter().map(|l| l.text.clone()).collect() };

    let r = report();
    let lines = texts(&r);
    assert!(lines.iter().all(|l| !l.contains("Tom Hale")), "{lines:#?}");
    assert!(lines.iter().all(|l| !l.contains("Elm St")), "{lines:#?}");
    assert!(lines.iter().any(|l| l == "Dark alley behind the bakery"));
    let unchecked = r
        .left_out
        .iter()
        .filter(|l| l.reason == Reason::AnotherOfficer)
        .count();
    assert_eq!(unchecked, 4, "{:?}", r.left_out_details());
    assert!(lines.iter().all(|l| !l.contains("Bins on Main St")));

    // The colleague's residents arrive (as they do in the sergeant's log): their words are
    // checked against them, the name is caught and the rest is printed.
    let tom = Person {
        meta: store.new_meta(colleague).unwrap(),
        name: "Tom Hale".into(),
        role: PersonRole::BusinessOwner,
        neighborhood: Some(s.riverside),
        notes: String::new(),
        consent: None,
    };
    store.save(tom, colleague).unwrap();
    let r = report();
    let lines = texts(&r);
    assert!(lines.iter().all(|l| !l.contains("Tom Hale")), "{lines:#?}");
    assert!(
        lines.iter().any(|l| l == "Speeding on Elm St"),
        "{lines:#?}"
    );
    assert!(r
        .left_out
        .iter()
        .all(|l| l.reason != Reason::AnotherOfficer));
    assert!(r.left_out.iter().any(|l| l.reason == Reason::Name));
}
