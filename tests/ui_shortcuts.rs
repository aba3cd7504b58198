//! The screen shortcuts (Ctrl+1 ... Ctrl+8) and the list of shortcuts over any screen (F1,
//! Ctrl+/), driven through the real app.

use beatbook::ui::command::Screen;
use egui::Key;
use egui_kittest::kittest::Queryable;

use crate::common::*;

#[test]
fn ctrl_and_a_number_goes_to_each_screen_in_the_top_bar_s_order() {
    let tmp = tempfile::tempdir().unwrap();
    sergeant(tmp.path());
    let mut h = app(tmp.path());
    let expected = [
        (Key::Num2, Screen::Log),
        (Key::Num3, Screen::FollowUps),
        (Key::Num4, Screen::People),
        (Key::Num5, Screen::Neighborhoods),
        (Key::Num6, Screen::Problems),
        (Key::Num7, Screen::Review),
        (Key::Num8, Screen::Settings),
        (Key::Num1, Screen::Today),
    ];
    for (key, screen) in expected {
        press_ctrl(&mut h, key);
        assert_eq!(ws(&mut h).screen, screen, "{key:?}");
    }
}

#[test]
fn an_officer_s_ctrl_7_does_not_open_the_review_and_an_open_form_keeps_its_screen() {
    let tmp = tempfile::tempdir().unwrap();
    set_up(tmp.path());
    let mut h = app(tmp.path());
    press_ctrl(&mut h, Key::Num7);
    assert_eq!(ws(&mut h).screen, Screen::Today, "no Review for an officer");
    press_ctrl(&mut h, Key::Num2);
    assert_eq!(ws(&mut h).screen, Screen::Log);
    // With the contact form open, the keys belong to the form: nothing typed is left behind.
    press_ctrl(&mut h, Key::N);
    type_text(&mut h, "Rosa");
    press_ctrl(&mut h, Key::Num6);
    assert_eq!(ws(&mut h).screen, Screen::Log);
    assert!(ws(&mut h).form.is_some());
}

#[test]
fn f1_and_ctrl_slash_show_every_shortcut_over_the_screen_and_esc_closes_the_list() {
    let tmp = tempfile::tempdir().unwrap();
    set_up(tmp.path());
    let mut h = app(tmp.path());
    h.key_press(Key::F1);
    settle(&mut h);
    assert!(h.query_by_label("Keyboard shortcuts").is_some());
    for row in &beatbook::ui::shortcuts::HELP {
        assert!(
            h.query_by_label(row.does).is_some(),
            "the list names {}",
            row.does
        );
    }
    h.key_press(Key::Escape);
    settle(&mut h);
    assert!(h.query_by_label("Keyboard shortcuts").is_none());
    press_ctrl(&mut h, Key::Slash);
    assert!(h.query_by_label("Keyboard shortcuts").is_some());
    click(&mut h, "Close");
    assert!(h.query_by_label("Keyboard shortcuts").is_none());
}
