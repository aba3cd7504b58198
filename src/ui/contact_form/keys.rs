//! Keys the form takes out of a frame's input before its fields read it: the typing that
//! follows a Tab (it belongs to the field the Tab moves to), Alt+F, and a move of the focus
//! that comes after typing in the same frame (the typing belongs to the field being left).

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

/// Takes Alt+F (the follow-up shortcut) out of this frame's input, with the "f" it also types
/// where Alt and a letter type it (X11, Option on macOS), so the jump to "What I promised"
/// does not type an "f" there.
pub(super) fn consume_follow_up_shortcut(ctx: &egui::Context) -> bool {
    crate::ui::shortcuts::consume_alt_shortcut(ctx, &FOLLOW_UP_SHORTCUT)
}

/// Whether `event` moves the form's focus: Tab, Shift+Tab or Alt+F.
fn moves_focus(event: &egui::Event) -> bool {
    match event {
        egui::Event::Key {
            key: Key::Tab,
            pressed: true,
            modifiers,
            ..
        } => modifiers.is_none() || modifiers.shift_only(),
        egui::Event::Key {
            key,
            pressed: true,
            modifiers,
            ..
        } => {
            *key == FOLLOW_UP_SHORTCUT.logical_key
                && modifiers.matches_logically(FOLLOW_UP_SHORTCUT.modifiers)
        }
        _ => false,
    }
}

/// When typing comes before a Tab or Alt+F in one frame (slow frames hold several keys),
/// egui moves the focus at the start of the frame, before the field being left reads what
/// was typed for it, and that text is lost or lands in the next field. So the move and every
/// key after it are taken out of this frame, to be given back at the start of the next one
/// (see [`give_back_deferred`]); this frame's typing lands in the field that has the focus.
pub(super) fn defer_focus_move_after_typing(ctx: &egui::Context) -> Vec<egui::Event> {
    let deferred = ctx.input_mut(|i| {
        let mut typed = false;
        for (at, event) in i.events.iter().enumerate() {
            if typed && moves_focus(event) {
                return i.events.split_off(at);
            }
            typed |= is_typing(event);
        }
        Vec::new()
    });
    if !deferred.is_empty() {
        // A Tab was seen when the frame began, before the typing: cancel the move it asked for.
        ctx.memory_mut(|m| m.move_focus(egui::FocusDirection::None));
        ctx.request_repaint();
    }
    deferred
}

/// Gives back, at the start of a frame, the move and the keys [`defer_focus_move_after_typing`]
/// held back, moving the focus as the Tab would have (the frame began without it).
pub(super) fn give_back_deferred(ctx: &egui::Context, deferred: Vec<egui::Event>) {
    let direction = match deferred.first() {
        Some(egui::Event::Key {
            key: Key::Tab,
            modifiers,
            ..
        }) if modifiers.shift_only() => Some(egui::FocusDirection::Previous),
        Some(egui::Event::Key { key: Key::Tab, .. }) => Some(egui::FocusDirection::Next),
        _ => None,
    };
    if let Some(direction) = direction {
        ctx.memory_mut(|m| m.move_focus(direction));
    }
    ctx.input_mut(|i| {
        i.events.splice(0..0, deferred);
    });
}
