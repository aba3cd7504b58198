//! Problems worked through SARA and priorities agreed with residents, driven through the real
//! app: a problem opened from a recurring concern, moved through every stage with a partner
//! action and closed with an outcome; refusals that change nothing; priorities agreed at a
//! meeting; the problem on its neighborhood's and its people's pages.

use beatbook::model::{ActionOwner, ActionStatus, Outcome, Priority, Problem, Stage};
use beatbook::ui::command::{Command, Screen};
use egui::accesskit::Role;
use egui_kittest::kittest::{NodeT, Queryable};

use crate::common::*;
use beatbook::model::Id;

/// Selects everything in the text field with this label and types `text` over it.
fn retype(h: &mut App, label: &str, text: &str) {
    focus(h, label);
    h.key_press_modifiers(ctrl(), egui::Key::A);
    type_text(h, text);
}

fn only_problem(h: &mut App) -> Problem {
    let all = problems_in(h);
    assert_eq!(all.len(), 1, "one problem in the log");
    all.into_iter().next().unwrap()
}

fn problems_in(h: &mut App) -> Vec<Problem> {
    ws(h).store.all::<Problem>().unwrap()
}

fn priorities_in(h: &mut App) -> Vec<Priority> {
    ws(h).store.all::<Priority>().unwrap()
}

/// Opens or closes the part of a page under the heading with this label.
fn toggle(h: &mut App, heading: &str) {
    let header = h
        .get_all_by_label(heading)
        .find(|n| n.accesskit_node().role() != Role::Label)
        .unwrap();
    header.click();
    settle(h);
}

/// Opens a new problem's page from `hood`'s page and titles it.
fn start_problem(h: &mut App, hood: Id, title: &str) {
    ws(h).apply(Command::OpenNeighborhood(hood));
    settle(h);
    click(h, "Open a problem about this neighborhood");
    retype(h, "Problem", title);
}

/// Chooses `option` in the combo box labelled `label`.
fn choose(h: &mut App, label: &str, option: &str) {
    h.get_by_role_and_label(Role::ComboBox, label).click();
    settle(h);
    h.get_by_label(option).click();
    settle(h);
}

#[test]
fn a_recurring_concern_becomes_a_problem_worked_through_every_stage_and_reviewed() {
    let tmp = tempfile::tempdir().unwrap();
    let s = seed(tmp.path());
    let mut h = app(tmp.path());

    // Riverside's page offers its concerns; "lighting" was raised twice.
    ws(&mut h).apply(Command::OpenNeighborhood(s.riverside));
    settle(&mut h);
    click(&mut h, "lighting (2)");
    assert_eq!(ws(&mut h).screen, Screen::Problems);
    retype(&mut h, "Problem", "Dark alley behind the bakery");
    retype(&mut h, "Places", "alley behind 12 Main St");
    retype(&mut h, "Noticed", "2026-11-03");

    // Scanning: both lighting contacts are offered; link them.
    h.get_all_by_label("Link").next().unwrap().click();
    settle(&mut h);
    click(&mut h, "Link");
    focus(
        &mut h,
        "Scanning notes: who raised it, how often, at which meetings",
    );
    type_text(
        &mut h,
        "Rosa raised it twice. The alley is dark after 6 pm.",
    );
    click(&mut h, "Save problem");
    let p = only_problem(&mut h);
    assert_eq!(p.title, "Dark alley behind the bakery");
    assert_eq!(p.stage, Stage::Scanning);
    assert_eq!(p.neighborhood, s.riverside);
    assert_eq!(p.places, vec!["alley behind 12 Main St"]);
    assert_eq!(p.owner, s.officer);
    assert_eq!(p.noticed, day(2026, 11, 3));
    let mut linked = p.contacts.clone();
    linked.sort();
    let mut expected = vec![s.contacts[0], s.contacts[2]];
    expected.sort();
    assert_eq!(linked, expected, "the two lighting contacts in Riverside");
    assert_eq!(
        p.notes.scanning,
        "Rosa raised it twice. The alley is dark after 6 pm."
    );

    // Analysis, with the purpose warning when the notes turn to suspects.
    click(&mut h, "Move to Analysis");
    assert_eq!(only_problem(&mut h).stage, Stage::Analysis);
    focus(&mut h, "Analysis notes");
    type_text(
        &mut h,
        "Two lamps out since October; a suspect hangs around.",
    );
    assert!(
        h.query_by_label_contains("not intelligence").is_some(),
        "the purpose warning shows under the analysis notes"
    );
    retype(
        &mut h,
        "Analysis notes",
        "Two lamps out since October; the lot next door is empty after 6 pm.",
    );
    assert!(h.query_by_label_contains("not intelligence").is_none());

    // Response: moving on to assessment with no action is refused and changes nothing.
    click(&mut h, "Move to Response");
    let p = only_problem(&mut h);
    assert_eq!(p.stage, Stage::Response);
    assert!(
        p.notes.analysis.contains("empty after 6 pm"),
        "saved with the move"
    );
    click(&mut h, "Move to Assessment");
    assert!(h
        .query_by_label_contains("add at least one action first")
        .is_some());
    assert_eq!(only_problem(&mut h), p, "nothing changed");

    // An action owned by a partner agency, with its reference and dates.
    click(&mut h, "Add an action");
    focus(&mut h, "Action 1: what");
    type_text(&mut h, "Replace the two alley lamps");
    click(&mut h, "A partner agency");
    focus(&mut h, "Action 1: agency");
    type_text(&mut h, "Public works");
    focus(&mut h, "Action 1: their reference");
    type_text(&mut h, "WO-4471");
    focus(&mut h, "Action 1: sent");
    type_text(&mut h, "2026-11-20");
    focus(&mut h, "Action 1: chase on");
    type_text(&mut h, "2026-12-01");
    focus(&mut h, "Action 1: due");
    type_text(&mut h, "2026-12-04");
    click(&mut h, "Save changes");
    let p = only_problem(&mut h);
    assert_eq!(p.actions.len(), 1);
    let a = &p.actions[0];
    assert_eq!(a.what, "Replace the two alley lamps");
    assert_eq!(a.due, Some(day(2026, 12, 4)));
    assert_eq!(a.status, ActionStatus::Planned);
    assert_eq!(
        a.owner,
        Some(ActionOwner::Partner {
            agency: "Public works".into(),
            reference: "WO-4471".into(),
            sent: Some(day(2026, 11, 20)),
            chase: Some(day(2026, 12, 1)),
        })
    );

    // Assessment: the evidence counts the topic before and since the response began.
    choose(&mut h, "Action 1: status", "Done");
    click(&mut h, "Move to Assessment");
    let p = only_problem(&mut h);
    assert_eq!(p.stage, Stage::Assessment);
    assert_eq!(p.actions[0].status, ActionStatus::Done);
    assert!(h.query_by_label_contains("The response began on").is_some());
    focus(&mut h, "Assessment notes: what changed");
    type_text(
        &mut h,
        "Lamps replaced. Residents say the alley feels safer.",
    );

    // Closing asks for the outcome first; then it closes with it, the notes typed kept.
    click(&mut h, "Close the problem");
    assert!(h
        .query_by_label_contains("Choose the outcome before closing")
        .is_some());
    assert_eq!(only_problem(&mut h).stage, Stage::Assessment);
    choose(&mut h, "Outcome", "Reduced");
    click(&mut h, "Close the problem");
    let p = only_problem(&mut h);
    assert_eq!(p.stage, Stage::Closed);
    assert_eq!(p.outcome, Some(Outcome::Reduced));
    assert_eq!(
        p.notes.assessment,
        "Lamps replaced. Residents say the alley feels safer."
    );

    // Its edit history holds every stage it went through.
    let store = ws(&mut h).store.clone();
    let stages: Vec<Stage> = beatbook::query::problems::stage_changes(&store, &p)
        .unwrap()
        .into_iter()
        .map(|c| c.to)
        .collect();
    assert_eq!(
        stages,
        vec![
            Stage::Scanning,
            Stage::Analysis,
            Stage::Response,
            Stage::Assessment,
            Stage::Closed
        ]
    );
    drop(store);

    // Rosa's page lists the problem her contacts are linked to.
    ws(&mut h).apply(Command::OpenPerson(s.rosa));
    settle(&mut h);
    assert!(h.query_by_label("Dark alley behind the bakery").is_some());

    // The officer's bundle brings it to the sergeant, whose review counts it closed as reduced
    // in its neighborhood and lists it.
    drop(h);
    let squad = tempfile::tempdir().unwrap();
    let (sam, bundle) = (squad.path().join("sam"), squad.path().join("dana.bbundle"));
    sergeant(&sam);
    beatbook::bundle::write_bundle_file(
        &beatbook::store::Store::open(tmp.path(), &key()).unwrap(),
        beatbook::bundle::BundleScope::Everything,
        &bundle,
    )
    .unwrap();
    import_bundle(&sam, &bundle);
    let mut h = app(&sam);
    // Saves are stamped by the clock, not by the tests' fixed day: the sergeant reviews the
    // weeks up to the day the problem was closed.
    ws(&mut h).fixed_now = Some(chrono::Utc::now());
    click_and_wait(&mut h, "Review");
    click(&mut h, "Community problems");
    click(&mut h, "Riverside: problems closed as reduced, 1");
    assert!(h.query_by_label("1 problem behind this figure").is_some());
    click(&mut h, "Dark alley behind the bakery");
    assert_eq!(ws(&mut h).screen, Screen::Problems);
}

#[test]
fn a_problem_without_a_title_is_refused_and_what_was_typed_stays() {
    let tmp = tempfile::tempdir().unwrap();
    let s = seed(tmp.path());
    let mut h = app(tmp.path());
    ws(&mut h).apply(Command::OpenNeighborhood(s.riverside));
    settle(&mut h);
    click(&mut h, "Open a problem about this neighborhood");
    focus(
        &mut h,
        "Scanning notes: who raised it, how often, at which meetings",
    );
    type_text(&mut h, "Shopping carts left on the bike path.");
    click(&mut h, "Save problem");
    assert!(h.query_by_label_contains("title").is_some(), "says why");
    assert!(problems_in(&mut h).is_empty(), "nothing saved");
    // Moving away and back keeps the page as typed.
    go(&mut h, Screen::Today);
    go(&mut h, Screen::Problems);
    assert_eq!(
        field(
            &h,
            "Scanning notes: who raised it, how often, at which meetings"
        )
        .value(),
        Some("Shopping carts left on the bike path.".to_string())
    );
    // A date that is not one is said, and nothing is saved either.
    retype(&mut h, "Problem", "Carts on the bike path");
    retype(&mut h, "Noticed", "next tuesday");
    click(&mut h, "Save problem");
    assert!(h.query_by_label_contains("Noticed:").is_some());
    assert!(problems_in(&mut h).is_empty());
    retype(&mut h, "Noticed", "2026-11-20");
    click(&mut h, "Save problem");
    let p = problems_in(&mut h);
    assert_eq!(p.len(), 1);
    assert_eq!(p[0].title, "Carts on the bike path");
    assert_eq!(p[0].noticed, day(2026, 11, 20));
    assert_eq!(p[0].notes.scanning, "Shopping carts left on the bike path.");
}

const SCANNING_NOTES: &str = "Scanning notes: who raised it, how often, at which meetings";

/// A problem changed in the log under an open page (a sync, an import, a person forgotten):
/// a page without edits shows it as it is now; a page with edits says so, keeps what was typed
/// and refuses to save it over the change, and "Undo changes" shows the problem as it is now.
#[test]
fn a_problem_changed_elsewhere_is_not_overwritten_by_an_open_page() {
    let tmp = tempfile::tempdir().unwrap();
    let s = seed(tmp.path());
    let mut h = app(tmp.path());
    start_problem(&mut h, s.riverside, "Carts on the bike path");
    click(&mut h, "Save problem");
    let p = only_problem(&mut h);

    // Changed elsewhere while the page shows it untouched: the page follows.
    let elsewhere = |h: &mut App, title: &str| {
        let w = ws(h);
        let mut now: Problem = w.store.get(p.meta.id).unwrap().unwrap();
        now.title = title.into();
        w.store.save(now, s.officer).unwrap();
        w.generation += 1;
        settle(h);
    };
    elsewhere(&mut h, "Carts on the bike path and the canal");
    assert_eq!(
        field(&h, "Problem").value().as_deref(),
        Some("Carts on the bike path and the canal")
    );

    // Changed elsewhere under an edit: said, kept, and not saved over it.
    focus(&mut h, SCANNING_NOTES);
    type_text(&mut h, "Mostly on Saturdays.");
    elsewhere(&mut h, "Carts along the canal");
    assert!(h
        .query_by_label_contains("This problem was changed elsewhere")
        .is_some());
    click(&mut h, "Save changes");
    let now = only_problem(&mut h);
    assert_eq!(now.title, "Carts along the canal");
    assert_eq!(
        now.notes.scanning, "",
        "the page's copy was not saved over it"
    );
    assert_eq!(
        field(&h, SCANNING_NOTES).value().as_deref(),
        Some("Mostly on Saturdays.")
    );
    click(&mut h, "Undo changes");
    assert_eq!(
        field(&h, "Problem").value().as_deref(),
        Some("Carts along the canal")
    );
    assert!(h
        .query_by_label_contains("This problem was changed elsewhere")
        .is_none());
}

#[test]
fn closing_the_window_with_a_problem_not_saved_shows_it_first() {
    let tmp = tempfile::tempdir().unwrap();
    let s = seed(tmp.path());
    let mut h = app(tmp.path());
    start_problem(&mut h, s.riverside, "Carts on the bike path");
    go(&mut h, Screen::Today);

    assert!(close_window(&mut h), "the window stays open");
    assert_eq!(ws(&mut h).screen, Screen::Problems);
    assert!(h
        .query_by_label(
            "The changes to \"Carts on the bike path\" are not saved: save them, or close \
             beatbook again to leave them."
        )
        .is_some());
    assert_eq!(
        field(&h, "Problem").value().as_deref(),
        Some("Carts on the bike path")
    );
    // A priority being typed as well: the next close shows it, the one after leaves both.
    ws(&mut h).apply(Command::OpenNeighborhood(s.riverside));
    settle(&mut h);
    click(&mut h, "Agree a priority...");
    focus(&mut h, "Concern");
    type_text(&mut h, "Litter at the bus stop");
    go(&mut h, Screen::Today);
    assert!(close_window(&mut h), "the window stays open");
    assert_eq!(ws(&mut h).screen, Screen::Neighborhoods);
    assert!(h
        .query_by_label_contains("The priority being typed is not saved")
        .is_some());
    assert!(!close_window(&mut h), "closing again leaves them");

    // Saved, then changed again: shown again.
    go(&mut h, Screen::Problems);
    click(&mut h, "Save problem");
    assert_eq!(only_problem(&mut h).title, "Carts on the bike path");
    focus(&mut h, SCANNING_NOTES);
    type_text(&mut h, "Mostly on Saturdays.");
    go(&mut h, Screen::Today);
    assert!(close_window(&mut h), "the window stays open");
    assert_eq!(ws(&mut h).screen, Screen::Problems);
}

/// A neighborhood removed while a problem is typed for it (a squad member's deletion arriving
/// by sync): saving says so plainly, writes nothing, and keeps what was typed.
#[test]
fn a_problem_for_a_neighborhood_no_longer_in_the_log_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let s = seed(tmp.path());
    let mut h = app(tmp.path());
    start_problem(&mut h, s.elm_park, "Speeding on Oak Ave");
    {
        let w = ws(&mut h);
        w.store
            .delete::<beatbook::model::Neighborhood>(s.elm_park, s.officer)
            .unwrap();
        w.lookup.refresh().unwrap();
        w.generation += 1;
    }
    settle(&mut h);
    click(&mut h, "Save problem");
    assert!(h
        .query_by_label_contains("That neighborhood is no longer in the log")
        .is_some());
    assert!(problems_in(&mut h).is_empty());
    assert_eq!(
        field(&h, "Problem").value().as_deref(),
        Some("Speeding on Oak Ave")
    );
}

#[test]
fn priorities_are_agreed_at_a_meeting_and_shown_first() {
    let tmp = tempfile::tempdir().unwrap();
    let s = seed(tmp.path());
    let mut h = app(tmp.path());
    // A problem in Elm Park for a priority to be worked on by.
    ws(&mut h).apply(Command::OpenNeighborhood(s.elm_park));
    settle(&mut h);
    click(&mut h, "speeding (1)");
    retype(&mut h, "Problem", "Speeding on Oak Ave");
    click(&mut h, "Save problem");
    let problem = only_problem(&mut h);

    ws(&mut h).apply(Command::OpenNeighborhood(s.elm_park));
    settle(&mut h);
    click(&mut h, "Agree a priority...");
    focus(&mut h, "Concern");
    type_text(&mut h, "Speeding on Oak Ave at school times");
    h.get_by_role_and_label(Role::CheckBox, "Speeding on Oak Ave")
        .click();
    settle(&mut h);
    click(&mut h, "Save priority");
    let priorities = priorities_in(&mut h);
    assert_eq!(priorities.len(), 1);
    let p = &priorities[0];
    assert_eq!(p.concern, "Speeding on Oak Ave at school times");
    assert_eq!(p.neighborhood, s.elm_park);
    assert_eq!(p.from, day(2026, 11, 25));
    assert_eq!(p.to, day(2027, 2, 23));
    assert_eq!(
        p.meeting,
        Some(s.contacts[1]),
        "the block meeting of 10 November"
    );
    assert_eq!(p.problems, vec![problem.meta.id]);
    assert!(h
        .query_by_label("Priorities agreed with residents (1)")
        .is_some());

    // A period that ends before it starts is refused, and the editor keeps what was typed.
    click(&mut h, "Agree a priority...");
    focus(&mut h, "Concern");
    type_text(&mut h, "Litter at the bus stop");
    retype(&mut h, "To", "2026-11-01");
    click(&mut h, "Save priority");
    assert!(h
        .query_by_label_contains("ends (2026-11-01) before it starts")
        .is_some());
    assert_eq!(
        field(&h, "Concern").value(),
        Some("Litter at the bus stop".to_string())
    );
    assert_eq!(priorities_in(&mut h).len(), 1, "nothing added");
    // Opening the agreed one for a change does not drop what is being typed.
    click(&mut h, "Edit");
    assert!(h
        .query_by_label("Save or cancel the priority being typed before opening another.")
        .is_some());
    assert_eq!(
        field(&h, "Concern").value(),
        Some("Litter at the bus stop".to_string())
    );
    click(&mut h, "Cancel");

    // Deleting one can be undone.
    click(&mut h, "Delete");
    assert!(priorities_in(&mut h).is_empty());
    click(&mut h, "Undo (Ctrl+Z)");
    assert_eq!(priorities_in(&mut h).len(), 1, "back again");
}

/// A problem at its assessment with a partner action, and a priority worked on by it, saved
/// at fixed times so their pictures are the same on every run.
fn problem_at_assessment(dir: &std::path::Path, s: &Seeded) -> (Id, Id) {
    use beatbook::model::{Action, Meta, StageNotes};
    use chrono::TimeZone;
    let store = beatbook::store::Store::open(dir, &key()).unwrap();
    let tags = store.all::<beatbook::model::Tag>().unwrap();
    let lighting = tags.iter().find(|t| t.name == "lighting").unwrap().meta.id;
    let at = chrono::Utc.with_ymd_and_hms(2026, 11, 4, 9, 0, 0).unwrap();
    let problem = store
        .save(
            Problem {
                meta: Meta::new(store.new_id_at(at).unwrap(), s.officer, at),
                title: "Dark alley behind the bakery".into(),
                neighborhood: s.riverside,
                places: vec!["alley behind 12 Main St".into()],
                topics: vec![lighting],
                owner: s.officer,
                noticed: day(2026, 11, 3),
                stage: Stage::Assessment,
                notes: StageNotes {
                    scanning: "Rosa raised it twice.".into(),
                    analysis: "Two lamps out; the lot next door is empty after 6 pm.".into(),
                    response: "Public works replaces the lamps; we walk it at dusk.".into(),
                    assessment: "Lamps replaced. Residents say the alley feels safer.".into(),
                },
                contacts: vec![s.contacts[0], s.contacts[2]],
                actions: vec![
                    Action {
                        what: "Replace the two alley lamps".into(),
                        owner: Some(ActionOwner::Partner {
                            agency: "Public works".into(),
                            reference: "WO-4471".into(),
                            sent: Some(day(2026, 11, 5)),
                            chase: Some(day(2026, 11, 19)),
                        }),
                        due: Some(day(2026, 11, 20)),
                        status: ActionStatus::Done,
                    },
                    Action {
                        what: "Walk the alley at dusk twice a week".into(),
                        owner: Some(ActionOwner::Officer { officer: s.officer }),
                        due: Some(day(2026, 12, 15)),
                        status: ActionStatus::InProgress,
                    },
                ],
                outcome: None,
                published: vec!["Lamps replaced.".into()],
            },
            s.officer,
        )
        .unwrap();
    let priority = store
        .save(
            Priority {
                meta: Meta::new(store.new_id_at(at).unwrap(), s.officer, at),
                neighborhood: s.riverside,
                concern: "Lighting in the alleys off Main St".into(),
                from: day(2026, 11, 1),
                to: day(2027, 1, 31),
                meeting: None,
                problems: vec![problem.meta.id],
            },
            s.officer,
        )
        .unwrap();
    (problem.meta.id, priority.meta.id)
}

#[test]
fn the_problem_page_and_the_neighborhood_priorities_look_right() {
    let dir = std::env::temp_dir().join("beatbook-snapshot-problems");
    let _ = std::fs::remove_dir_all(&dir);
    let s = seed(&dir);
    let (problem, _) = problem_at_assessment(&dir, &s);
    let mut h = app(&dir);
    let mut results = Vec::new();
    for (theme, prefix) in [(egui::Theme::Dark, ""), (egui::Theme::Light, "light_")] {
        h.ctx.set_theme(theme);
        ws(&mut h).apply(Command::OpenProblem(problem));
        settle(&mut h);
        results.push(h.try_snapshot(format!("{prefix}problem_page")));
        // The action plan, with a partner's action and an officer's.
        toggle(&mut h, "Assessment (the stage it is at)");
        toggle(&mut h, "Response");
        results.push(h.try_snapshot(format!("{prefix}problem_actions")));
        toggle(&mut h, "Response");
        toggle(&mut h, "Assessment (the stage it is at)");
        ws(&mut h).apply(Command::OpenNeighborhood(s.riverside));
        settle(&mut h);
        results.push(h.try_snapshot(format!("{prefix}neighborhood_priorities")));
    }
    // The evidence counts the two lighting contacts: one before the response began, one since.
    ws(&mut h).apply(Command::OpenProblem(problem));
    settle(&mut h);
    assert!(h
        .query_by_label_contains("The response began on 2026-11-04")
        .is_some());
    for r in results {
        r.unwrap();
    }
}
