//! Every keyboard shortcut beatbook answers, in one place: the keys the app listens for, the
//! names the buttons and hints show for them, and the table the README's "Keyboard shortcuts"
//! section holds (a test keeps the two the same).

use egui::{Key, KeyboardShortcut, ModifierNames, Modifiers};

/// Opens the "Log a contact" form from any screen.
pub const NEW_CONTACT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::N);
/// In the contact form: ticks "I promised a follow-up" and puts the cursor in what was promised.
pub const FOLLOW_UP_SHORTCUT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::ALT, Key::F);
/// Saves the form (or the follow-up dialog) from any field.
pub const SAVE_SHORTCUT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Enter);
/// Brings back the contact just deleted (while no text field has the focus).
pub const UNDO: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Z);
/// Locks the app at once.
pub const LOCK: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::L);

/// In the review queue: the next entry, and the one before.
pub const NEXT_ENTRY: KeyboardShortcut = KeyboardShortcut::new(Modifiers::ALT, Key::ArrowDown);
pub const PREVIOUS_ENTRY: KeyboardShortcut = KeyboardShortcut::new(Modifiers::ALT, Key::ArrowUp);
/// In the review queue: marks the selected entry reviewed and goes on to the next.
pub const REVIEWED_ENTRY: KeyboardShortcut = KeyboardShortcut::new(Modifiers::ALT, Key::R);
/// In the review queue: returns the selected entry with the reason typed ("back").
pub const RETURN_ENTRY: KeyboardShortcut = KeyboardShortcut::new(Modifiers::ALT, Key::B);

/// Ctrl+1 ... Ctrl+8: the screens, in the order of the top bar.
pub const SCREEN_KEYS: [Key; 8] = [
    Key::Num1,
    Key::Num2,
    Key::Num3,
    Key::Num4,
    Key::Num5,
    Key::Num6,
    Key::Num7,
    Key::Num8,
];
/// Opens (and closes) the list of shortcuts over any screen; Ctrl+/ does too.
pub const HELP_KEY: KeyboardShortcut = KeyboardShortcut::new(Modifiers::NONE, Key::F1);
pub const HELP_KEY_TOO: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Slash);

/// The screen shortcut for the screen at `index` in the top bar's order.
pub fn screen_shortcut(index: usize) -> Option<KeyboardShortcut> {
    SCREEN_KEYS
        .get(index)
        .map(|k| KeyboardShortcut::new(Modifiers::COMMAND, *k))
}

/// Takes an Alt shortcut out of this frame's input, with the character the key typed too
/// where Alt and a letter also type it (X11, Option on macOS), so a field with the focus does
/// not get an "r" from Alt+R.
pub fn consume_alt_shortcut(ctx: &egui::Context, shortcut: &KeyboardShortcut) -> bool {
    ctx.input_mut(|i| {
        let Some(at) = i.events.iter().position(|e| {
            matches!(
                e,
                egui::Event::Key { key, pressed: true, modifiers, .. }
                    if *key == shortcut.logical_key
                        && modifiers.matches_logically(shortcut.modifiers)
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

/// The keys of a shortcut as buttons and hints show them ("Ctrl+N").
pub fn keys(shortcut: &KeyboardShortcut) -> String {
    shortcut.format(&ModifierNames::NAMES, false)
}

/// The keys of a row of the shortcut table: one of the shortcuts above, or keys egui's own
/// widgets answer (Tab, Esc...).
pub enum Keys {
    Shortcut(KeyboardShortcut),
    Named(&'static str),
}

/// A row of the shortcut table.
pub struct Help {
    pub keys: Keys,
    pub does: &'static str,
}

/// Every shortcut with what it does, in the order the README's table lists them.
pub const HELP: [Help; 15] = [
    Help {
        keys: Keys::Shortcut(NEW_CONTACT),
        does: "log a contact, from any screen, with the cursor in \"Who\"",
    },
    Help {
        keys: Keys::Named("Ctrl+1 ... Ctrl+8"),
        does: "go to Today, Log, Follow-ups, People, Neighborhoods, Problems, Review \
               (sergeants), Settings",
    },
    Help {
        keys: Keys::Named("F1 / Ctrl+/"),
        does: "show or hide this list of shortcuts over any screen",
    },
    Help {
        keys: Keys::Named("Tab / Shift+Tab"),
        does: "walk the fields of the form in order",
    },
    Help {
        keys: Keys::Named("Enter (in Who or Topics)"),
        does: "take the highlighted suggestion, or create the new name",
    },
    Help {
        keys: Keys::Named("Up / Down (in Who or Topics)"),
        does: "move the highlight among suggestions",
    },
    Help {
        keys: Keys::Named("Up / Down (on a choice)"),
        does: "change the kind, tone, neighborhood ... without opening the list",
    },
    Help {
        keys: Keys::Shortcut(FOLLOW_UP_SHORTCUT),
        does: "in the form: I promised a follow-up (ticks it and goes to what was promised)",
    },
    Help {
        keys: Keys::Shortcut(SAVE_SHORTCUT),
        does: "save the form from any field",
    },
    Help {
        keys: Keys::Named("Esc"),
        does: "close the form (asks first if something was typed)",
    },
    Help {
        keys: Keys::Shortcut(UNDO),
        does: "undo the last delete",
    },
    Help {
        keys: Keys::Shortcut(LOCK),
        does: "lock beatbook now",
    },
    Help {
        keys: Keys::Named("Alt+Down / Alt+Up"),
        does: "in the review queue: the next entry, the one before",
    },
    Help {
        keys: Keys::Shortcut(REVIEWED_ENTRY),
        does: "in the review queue: mark the entry reviewed and go on to the next",
    },
    Help {
        keys: Keys::Shortcut(RETURN_ENTRY),
        does: "in the review queue: return the entry with the reason typed (the cursor goes to the reason if there is none)",
    },
];

impl Keys {
    pub fn text(&self) -> String {
        match self {
            Keys::Shortcut(s) => keys(s),
            Keys::Named(text) => (*text).to_string(),
        }
    }
}

/// The shortcut table as Markdown, as the README shows it.
pub fn markdown_table() -> String {
    let mut table = String::from("| keys | what it does |\n| --- | --- |\n");
    for row in &HELP {
        table += &format!("| {} | {} |\n", row.keys.text(), row.does);
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortcuts_are_named_as_the_app_says_them() {
        assert_eq!(keys(&NEW_CONTACT), "Ctrl+N");
        assert_eq!(keys(&SAVE_SHORTCUT), "Ctrl+Enter");
        assert_eq!(keys(&UNDO), "Ctrl+Z");
        assert_eq!(keys(&LOCK), "Ctrl+L");
        assert_eq!(keys(&NEXT_ENTRY), "Alt+Down");
        assert_eq!(keys(&PREVIOUS_ENTRY), "Alt+Up");
        assert_eq!(keys(&REVIEWED_ENTRY), "Alt+R");
        assert_eq!(keys(&RETURN_ENTRY), "Alt+B");
        assert_eq!(keys(&HELP_KEY), "F1");
        // egui names the key; the table says it as it is printed on the keyboard.
        assert_eq!(keys(&HELP_KEY_TOO), "Ctrl+Slash");
        assert_eq!(
            screen_shortcut(0).map(|s| keys(&s)).as_deref(),
            Some("Ctrl+1")
        );
        assert_eq!(
            screen_shortcut(7).map(|s| keys(&s)).as_deref(),
            Some("Ctrl+8")
        );
    }

    #[test]
    fn the_readme_lists_every_shortcut_as_the_app_has_them() {
        let readme =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
        assert!(
            readme.contains(&markdown_table()),
            "README.md's shortcut table should read:\n{}",
            markdown_table()
        );
    }
}
