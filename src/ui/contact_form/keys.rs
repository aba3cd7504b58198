//! Keys the form takes out of a frame's input before its fields read it: the typing that
//! follows a Tab (it belongs to the field the Tab moves to) and Alt+F.

use super::*;

/// Keys that type or erase text (what a field must not miss).
pub(super) fn is_typing(event: &egui::Event) -> bool {
    matches!(
        event,
        egui::Event::Text(_)
            | egui::Event::Paste(_)
            | egui::Event::Key {
                key: Key::Backspace | Key::Delete,
                pressed: true,
                ..
            }
    )
}

/// Takes out of this frame's input the typing that follows a Tab or Shift+Tab (see
/// [`ContactForm::show`]).
pub(super) fn take_keys_after_tab(ctx: &egui::Context) -> Vec<egui::Event> {
    ctx.input_mut(|i| {
        let Some(tab) = i.events.iter().position(|e| {
            matches!(
                e,
                egui::Event::Key { key: Key::Tab, pressed: true, modifiers, .. }
                    if modifiers.is_none() || modifiers.shift_only()
            )
        }) else {
            return Vec::new();
        };
        let mut after = Vec::new();
        let mut at = tab + 1;
        while at < i.events.len() {
            if is_typing(&i.events[at]) {
                after.push(i.events.remove(at));
            } else {
                at += 1;
            }
        }
        after
    })
}

/// Takes Alt+F (the follow-up shortcut) out of this frame's input. Where Alt and a letter also
/// type the letter (X11, Option on macOS), the character that came with the key goes too, so
/// the jump to "What I promised" does not type an "f" there.
pub(super) fn consume_follow_up_shortcut(ctx: &egui::Context) -> bool {
    ctx.input_mut(|i| {
        let Some(at) = i.events.iter().position(|e| {
            matches!(
                e,
                egui::Event::Key { key, pressed: true, modifiers, .. }
                    if *key == FOLLOW_UP_SHORTCUT.logical_key
                        && modifiers.matches_logically(FOLLOW_UP_SHORTCUT.modifiers)
            )
        }) else {
            return false;
        };
        i.events.remove(at);
        if matches!(i.events.get(at), Some(egui::Event::Text(t)) if t.chars().count() == 1) {
            i.events.remove(at);
        }
        true
    })
}
