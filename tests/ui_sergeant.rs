//! The sergeant's day, driven through the real app: the review queue worked by keyboard and by
//! "Mark all shown as reviewed" (a double click acts once, an undo takes a review back), the
//! kept-on-time rate the figures sort by, the figures at 1280×800, the sergeant's Today, and
//! Today with hundreds of overdue promises.

use std::path::Path;

use beatbook::model::{
    Contact, ContactKind, FollowUp, FollowUpStatus, Id, Initiator, Meta, Officer, Review, Role,
    Tone, Verdict,
};
use beatbook::query::review::{review_report, Period};
use beatbook::store::Store;
use chrono::{Duration, TimeZone, Utc};
use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;

use crate::common::*;

/// The window size the issue was found at.
const WINDOW: egui::Vec2 = egui::vec2(1280.0, 800.0);

fn officer_named(store: &Store, name: &str) -> Id {
    store
        .all::<Officer>()
        .unwrap()
        .into_iter()
        .find(|o| o.name == name)
        .unwrap()
        .meta
        .id
}

/// Sergeant Sam's squad log with `extra` more entries of Dana's, one a day up to the 19th, so
/// they come before the squad's own in the queue (oldest first).
fn busy_squad(root: &Path, extra: u32) -> std::path::PathBuf {
    let sam = squad(root);
    let store = Store::open(&sam, &key()).unwrap();
    let dana = officer_named(&store, "Dana Reyes");
    let hood = store
        .all::<Contact>()
        .unwrap()
        .into_iter()
        .find(|c| c.meta.owner() == dana)
        .unwrap()
        .neighborhood;
    for i in 0..extra {
        let at = Utc.with_ymd_and_hms(2026, 11, 19, 8, 0, 0).unwrap() - Duration::hours(i.into());
        let c = Contact {
            meta: Meta::new(store.new_id_at(at).unwrap(), dana, at),
            at,
            neighborhood: hood,
            place: format!("Corner {i}"),
            kind: ContactKind::Conversation,
            people: vec![],
            unnamed: 1,
            initiated_by: Initiator::Resident,
            tags: vec![],
            tone: Tone::Neutral,
            note: format!("Walked the block, talked about parking ({i})."),
        };
        store.save(c, dana).unwrap();
    }
    sam
}

/// The queue's entries oldest first, as the sergeant's log holds them.
fn oldest_first(h: &mut App) -> Vec<Contact> {
    let mut all = ws(h).store.all::<Contact>().unwrap();
    all.sort_by_key(|c| c.at);
    all
}

fn reviews(h: &mut App) -> Vec<Review> {
    ws(h).store.all::<Review>().unwrap()
}

fn alt(h: &mut App, key: Key) {
    h.key_press_modifiers(Modifiers::ALT, key);
    settle(h);
}

fn open_queue(h: &mut App) {
    click_and_wait(h, "Review");
    click(h, "Entries to review");
}

#[test]
fn the_queue_lists_many_entries_at_1280x800_and_the_keyboard_works_it() {
    let tmp = tempfile::tempdir().unwrap();
    let sam = busy_squad(tmp.path(), 30);
    let mut h = app(&sam);
    h.set_size(WINDOW);
    open_queue(&mut h);
    assert!(h
        .query_by_label_contains("35 entries not yet reviewed")
        .is_some());
    // Compact rows: many entries fit in the window at once, not four.
    let in_window = h
        .get_all_by_label("Mark reviewed")
        .filter(|b| b.rect().bottom() <= WINDOW.y && b.rect().top() >= 0.0)
        .count();
    assert!(in_window >= 12, "{in_window} entries in view");
    let entries = oldest_first(&mut h);

    // Alt+R marks the selected (first, oldest) entry reviewed and goes on to the next.
    alt(&mut h, Key::R);
    let written = reviews(&mut h);
    assert_eq!(written.len(), 1);
    assert_eq!(written[0].contact, entries[0].meta.id);
    assert_eq!(written[0].verdict, Verdict::Reviewed);
    assert!(
        h.query_all_by_label("Reviewed \u{2714}").count() > 0,
        "the entry stays in its place, saying what was done"
    );
    assert!(h
        .query_by_label_contains("34 entries not yet reviewed")
        .is_some());

    // Alt+B without a reason writes nothing and says so beside the reason field, with the
    // cursor put there; typing the reason and Alt+B again returns it.
    alt(&mut h, Key::B);
    assert_eq!(reviews(&mut h).len(), 1);
    assert!(h
        .query_by_label("Write why it goes back here first.")
        .is_some());
    type_text(&mut h, "Which corner? Add the cross street.");
    assert!(h
        .query_by_label("Write why it goes back here first.")
        .is_none());
    alt(&mut h, Key::B);
    let returned: Vec<Review> = reviews(&mut h)
        .into_iter()
        .filter(|r| r.contact == entries[1].meta.id)
        .collect();
    assert_eq!(returned.len(), 1);
    assert_eq!(
        returned[0].verdict,
        Verdict::Returned {
            reason: "Which corner? Add the cross street.".into()
        }
    );

    // Alt+Down skips an entry, Alt+Up comes back to it; Alt+R then marks the one selected.
    alt(&mut h, Key::ArrowDown);
    alt(&mut h, Key::ArrowUp);
    alt(&mut h, Key::R);
    let third = reviews(&mut h)
        .into_iter()
        .filter(|r| r.contact == entries[2].meta.id)
        .count();
    assert_eq!(third, 1, "the third entry, selected again, is reviewed");
    assert_eq!(reviews(&mut h).len(), 3);
    assert!(h
        .query_by_label_contains("32 entries not yet reviewed")
        .is_some());
}

#[test]
fn a_double_click_on_mark_reviewed_acts_once_and_undo_takes_it_back() {
    let tmp = tempfile::tempdir().unwrap();
    let sam = busy_squad(tmp.path(), 3);
    let mut h = app(&sam);
    h.set_size(WINDOW);
    open_queue(&mut h);
    let entries = oldest_first(&mut h);
    let button = h.get_all_by_label("Mark reviewed").next().unwrap().rect();
    let at = button.center();
    // A double click as a mouse sends it: two presses at one spot, a frame or so apart.
    h.event(egui::Event::PointerMoved(at));
    h.run_steps(1);
    for _ in 0..2 {
        for pressed in [true, false] {
            h.event(egui::Event::PointerButton {
                pos: at,
                button: egui::PointerButton::Primary,
                pressed,
                modifiers: Modifiers::NONE,
            });
            h.run_steps(1);
        }
    }
    settle(&mut h);
    let written = reviews(&mut h);
    assert_eq!(written.len(), 1, "one review, of the entry clicked");
    assert_eq!(written[0].contact, entries[0].meta.id);
    assert!(h.query_all_by_label("Reviewed \u{2714}").count() > 0);
    // What is under the pointer now is those words, not the next entry's button.
    let next = h.get_all_by_label("Mark reviewed").next().unwrap().rect();
    assert!(
        !next.contains(at),
        "the next entry did not move under the pointer"
    );

    // "Undo" answers once the action is older than a double click.
    let undo = h.get_by_label("Undo");
    assert!(!undo.rect().contains(at));
    h.run_steps(60);
    click(&mut h, "Undo");
    assert!(reviews(&mut h).is_empty(), "the review is taken back");
    assert!(h
        .query_by_label_contains("8 entries not yet reviewed")
        .is_some());
    assert_eq!(h.get_all_by_label("Mark reviewed").count(), 8);
}

#[test]
fn mark_all_shown_asks_with_the_count_then_reviews_them() {
    let tmp = tempfile::tempdir().unwrap();
    let sam = busy_squad(tmp.path(), 4);
    let mut h = app(&sam);
    open_queue(&mut h);
    // One is returned first; "all shown" are the other eight.
    h.get_all_by_label("Return to officer")
        .next()
        .unwrap()
        .click();
    settle(&mut h);
    assert!(
        h.query_by_label("Write why it goes back here first.")
            .is_some(),
        "a missing reason is said beside its field"
    );
    type_text(&mut h, "Say who was there.");
    h.get_all_by_label("Return to officer")
        .next()
        .unwrap()
        .click();
    settle(&mut h);
    assert_eq!(reviews(&mut h).len(), 1);

    click(&mut h, "Mark all shown as reviewed...");
    assert!(h
        .query_by_label(
            "Mark the 8 entries shown as reviewed? The coaching comments typed go with them."
        )
        .is_some());
    assert_eq!(
        reviews(&mut h).len(),
        1,
        "nothing is written before the go-ahead"
    );
    click(&mut h, "Mark 8 reviewed");
    let all = reviews(&mut h);
    assert_eq!(all.len(), 9);
    assert_eq!(
        all.iter()
            .filter(|r| r.verdict == Verdict::Reviewed)
            .count(),
        8
    );
    assert!(h
        .query_by_label_contains("Marked 8 entries reviewed.")
        .is_some());
    assert!(h
        .query_by_label_contains("0 entries not yet reviewed")
        .is_some());
    assert_eq!(h.get_all_by_label("Reviewed \u{2714}").count(), 8);
    // "Refresh the list" takes the done entries off it.
    click(&mut h, "Refresh the list");
    assert!(h
        .query_by_label("Every entry in this period has been reviewed.")
        .is_some());
}

#[test]
fn the_figures_show_the_kept_on_time_rate_they_sort_by_and_fit_or_say_they_scroll() {
    let tmp = tempfile::tempdir().unwrap();
    let sam = squad(tmp.path());
    let mut h = app(&sam);
    h.set_size(WINDOW);
    click_and_wait(&mut h, "Review");
    let report = {
        let store = &ws(&mut h).store;
        review_report(
            store,
            Period::last_weeks(now().date_naive(), 4),
            None,
            now().date_naive(),
        )
        .unwrap()
    };
    let dana = report
        .officers
        .iter()
        .find(|o| o.name == "Dana Reyes")
        .unwrap();
    let (kept, promised) = (dana.kept_on_time.value, dana.followups_promised.value);
    assert!(promised > 0);
    let rate = format!(
        "{kept} of {promised} ({}%)",
        (kept as f64 * 100.0 / promised as f64).round()
    );
    let spoken = format!("Dana Reyes: kept on time, {rate}");
    let cell = h.get_by_label(&spoken);
    assert!(cell.rect().right() <= WINDOW.x);
    // Sorted by that rate: Dana, who promised, above Ali, who did not.
    let dana_row = h.get_by_label("Dana Reyes (4127)").rect().top();
    let ali_row = h.get_by_label("Ali Khan (3301)").rect().top();
    assert!(dana_row < ali_row);

    // The neighborhoods' last column either fits in the window or the table says it scrolls.
    let concerns = h.get_by_label("Concerns raised most").rect();
    let says_it_scrolls = h
        .query_all_by_label_contains("More columns to the right")
        .count();
    assert!(
        concerns.right() <= WINDOW.x || says_it_scrolls > 0,
        "the last column ends at {} and nothing says the table scrolls",
        concerns.right()
    );
}

#[test]
fn a_sergeants_today_starts_with_the_squad() {
    let tmp = tempfile::tempdir().unwrap();
    let sam = squad(tmp.path());
    let mut h = app(&sam);
    h.set_size(WINDOW);
    click(&mut h, "Today");
    assert!(h.query_by_label("Your squad").is_some());
    assert!(h
        .query_by_label("5 entries waiting for review (last 4 weeks)")
        .is_some());
    // Per officer: overdue promises and when their work last arrived (bundles by hand: never
    // through the exchange).
    for officer in ["Dana Reyes (4127)", "Ali Khan (3301)"] {
        assert!(h.query_by_label(officer).is_some(), "{officer}");
    }
    assert!(h.query_by_label("Sam Ortiz (5150)").is_none());
    assert_eq!(h.get_all_by_label("never").count(), 2);
    let overdue_of_dana = ws(&mut h)
        .store
        .all::<FollowUp>()
        .unwrap()
        .iter()
        .filter(|f| f.status.is_open() && f.due < now().date_naive())
        .count();
    assert!(overdue_of_dana > 0);
    let row = h.get_by_label("Dana Reyes (4127)").rect().center().y;
    assert!(
        h.get_all_by_label(&overdue_of_dana.to_string())
            .any(|n| (n.rect().center().y - row).abs() < 4.0),
        "Dana's row says her {overdue_of_dana} overdue promises"
    );
    // The sergeant logged nothing: none of the squad's contacts are listed as theirs.
    assert!(h.query_by_label("Last contacts").is_none());
    assert!(h
        .query_by_label("Your own contacts and follow-ups appear here once you log one.")
        .is_some());

    click_and_wait(&mut h, "Open the review queue");
    assert!(h
        .query_by_label_contains("5 entries not yet reviewed")
        .is_some());
}

#[test]
fn a_sergeant_without_a_beat_or_contacts_adds_no_empty_row_or_page() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("sam");
    let store = Store::open(&dir, &key()).unwrap();
    let sam = store
        .set_up("Sam Ortiz", "5150", Role::Sergeant, "")
        .unwrap();
    assert!(sam.last_neighborhood.is_none());
    drop(store);
    let mut h = app(&dir);
    click(&mut h, "Today");
    assert!(h.query_by_label("Your squad").is_some());
    assert!(h
        .query_by_label("0 entries waiting for review (last 4 weeks)")
        .is_some());
    assert!(h.query_by_label_contains("Latest notes").is_none());
    let report = review_report(
        &ws(&mut h).store,
        Period::last_weeks(now().date_naive(), 4),
        None,
        now().date_naive(),
    )
    .unwrap();
    assert!(report.officers.is_empty(), "no row for the sergeant");
    assert!(report.neighborhoods.is_empty(), "no invented beat");
    click_and_wait(&mut h, "Review");
    assert!(h.query_by_label("Sam Ortiz (5150)").is_none());
}

#[test]
fn today_groups_hundreds_of_overdue_promises() {
    let tmp = tempfile::tempdir().unwrap();
    let (officer, riverside) = set_up(tmp.path());
    let store = Store::open(tmp.path(), &key()).unwrap();
    let made = Utc.with_ymd_and_hms(2026, 6, 1, 9, 0, 0).unwrap();
    let elm = store
        .save(
            beatbook::model::Neighborhood {
                meta: Meta::new(store.new_id_at(made).unwrap(), officer, made),
                name: "Elm Park".into(),
            },
            officer,
        )
        .unwrap()
        .meta
        .id;
    for i in 0..300i64 {
        let f = FollowUp {
            meta: Meta::new(store.new_id_at(made).unwrap(), officer, made),
            promise: format!("Call back about the streetlight {i}"),
            person: None,
            contact: None,
            neighborhood: if i % 3 == 0 { elm } else { riverside },
            due: now().date_naive() - Duration::days(1 + i % 90),
            status: FollowUpStatus::Open,
            waiting_on: None,
        };
        store.save(f, officer).unwrap();
    }
    drop(store);
    let mut h = app(tmp.path());
    h.set_size(WINDOW);
    click(&mut h, "Today");
    assert!(h.query_by_label("Overdue follow-ups (300)").is_some());
    let listed = |h: &App| {
        h.query_all_by_label_contains("Call back about the streetlight")
            .count()
    };
    // By how late: three groups of five.
    let late = [
        ("More than 4 weeks late", 180),
        ("1 to 4 weeks late", 92),
        ("Up to a week late", 28),
    ];
    for (group, n) in late {
        assert!(
            h.query_by_label(&format!("{group} ({n})")).is_some(),
            "{group}"
        );
    }
    assert_eq!(listed(&h), 15);
    click(&mut h, "Show all 92");
    assert_eq!(listed(&h), 10 + 92);
    click(&mut h, "Show the first few");
    assert_eq!(listed(&h), 15);

    // By neighborhood.
    click(&mut h, "Neighborhood");
    assert!(h.query_by_label("Elm Park (100)").is_some());
    assert!(h.query_by_label("Riverside (200)").is_some());
    assert_eq!(listed(&h), 10);
    click(&mut h, "Show all 100");
    assert_eq!(listed(&h), 105);
}
