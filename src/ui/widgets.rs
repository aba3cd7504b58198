//! Small reusable widgets: labelled fields (secret ones, for passphrases, keep nothing of what
//! was typed), the passphrase strength hint, the type-ahead picker used for people and topics,
//! date fields and keyboard-cyclable choices.

use chrono::{Datelike, NaiveDate};
use egui::text_edit::TextEditState;
use egui::util::undoer::{Settings as UndoSettings, Undoer};
use egui::{Key, Modifiers, Response, RichText, TextEdit, Ui};

use crate::model::{
    normalize_name, passphrase_rule_broken, passphrase_strength, MIN_PASSPHRASE_CHARS,
};

/// A text field with a visible label that screen readers (and tests) also announce.
pub fn labelled_text(ui: &mut Ui, label: &str, text: &mut String, hint: &str) -> Response {
    labelled_line(ui, label, TextEdit::singleline(text).hint_text(hint))
}

/// A single-line field whose text is hidden (a passphrase), with its label.
///
/// egui keeps an undo history in every text field, hidden ones too: Ctrl+Z would bring a
/// passphrase back after it was used (at the lock screen: after locking), and the history
/// holds copies of it. A secret field keeps none, undo and redo do nothing in it, and what
/// egui keeps of it between frames (the cursor) stays out of the window state file, which
/// would otherwise tell the passphrase's length.
pub fn labelled_secret(ui: &mut Ui, label: &str, text: &mut String) -> Response {
    let id = ui.make_persistent_id(("secret field", label));
    if ui.memory(|m| m.has_focus(id)) {
        ignore_undo_redo(ui.ctx());
    }
    keep_no_history(ui.ctx(), id);
    let response = labelled_line(ui, label, TextEdit::singleline(text).password(true).id(id));
    keep_no_history(ui.ctx(), id);
    response
}

/// Gives the secret field `id` an undo history that keeps nothing, and keeps its state in
/// memory only (egui stores a text field's state to be persisted: it is taken back).
fn keep_no_history(ctx: &egui::Context, id: egui::Id) {
    ctx.data_mut(|d| {
        let mut state = d.get_persisted::<TextEditState>(id).unwrap_or_default();
        state.set_undoer(Undoer::with_settings(UndoSettings {
            max_undos: 0,
            ..Default::default()
        }));
        d.insert_temp(id, state);
        let fields = d.get_temp_mut_or_default::<SecretFields>(egui::Id::unique(SECRET_FIELDS));
        if !fields.0.contains(&id) {
            fields.0.push(id);
        }
    });
}

/// Where the ids of the secret fields drawn so far are kept (in memory only).
const SECRET_FIELDS: &str = "beatbook secret fields";

#[derive(Clone, Default)]
struct SecretFields(Vec<egui::Id>);

/// Drops whatever egui keeps of every secret field drawn so far (their cursors): called when
/// a passphrase has been used and when the screen that asked for it is left.
pub fn forget_secret_fields(ctx: &egui::Context) {
    ctx.data_mut(|d| {
        let fields = d
            .get_temp::<SecretFields>(egui::Id::unique(SECRET_FIELDS))
            .unwrap_or_default();
        for id in fields.0 {
            d.remove::<TextEditState>(id);
        }
    });
}

/// Drops this frame's undo and redo keys (Ctrl+Z, Ctrl+Shift+Z, Ctrl+Y; Cmd on macOS), so no
/// field drawn after this can act on them.
pub fn ignore_undo_redo(ctx: &egui::Context) {
    ctx.input_mut(|i| {
        i.events.retain(|e| {
            !matches!(
                e,
                egui::Event::Key { key: Key::Z | Key::Y, modifiers, .. } if modifiers.command
            )
        })
    });
}

fn labelled_line(ui: &mut Ui, label: &str, edit: TextEdit<'_>) -> Response {
    ui.horizontal(|ui| {
        let l = ui.label(label);
        ui.add(edit.desired_width(f32::INFINITY)).labelled_by(l.id)
    })
    .inner
}

/// What the person choosing a passphrase sees under it while typing: how strong it is, how
/// long guessing it would take, what makes it easy to guess, and why it would be refused.
/// `personal` are the officer's name, badge number and beats, where known.
pub fn passphrase_hint(ui: &mut Ui, text: &str, personal: &[&str]) {
    if text.is_empty() {
        ui.weak(format!(
            "At least {MIN_PASSPHRASE_CHARS} characters and hard to guess: a few unrelated words \
             work well. Not your name, badge number or beat."
        ));
        return;
    }
    // The estimate is worked out once a frame, here, not again by the rules.
    let strength = passphrase_strength(text, personal);
    if !strength.is_enough() {
        ui.weak(format!(
            "{} Too easy to guess: choose another.",
            strength.describe()
        ));
        return;
    }
    // Too short, or holding the officer's own words: said first.
    if let Some(problem) = passphrase_rule_broken(text, personal) {
        ui.weak(problem);
    }
    ui.weak(strength.describe());
}

/// Width of the forms on a page of their own (first run, lock screen).
const PAGE_FORM_WIDTH: f32 = 460.0;

/// A page with a large heading, a line of explanation, and a narrow form centred below.
pub fn form_page<R>(ui: &mut Ui, heading: &str, intro: &str, form: impl FnOnce(&mut Ui) -> R) -> R {
    egui::CentralPanel::default()
        .show(ui, |ui| {
            ui.vertical_centered(|ui| {
                ui.add_space(40.0);
                ui.heading(RichText::new(heading).size(26.0));
                ui.label(intro);
                ui.add_space(20.0);
            });
            let pad = ((ui.available_width() - PAGE_FORM_WIDTH) / 2.0).max(0.0);
            ui.horizontal(|ui| {
                ui.add_space(pad);
                ui.vertical(|ui| {
                    ui.set_width(PAGE_FORM_WIDTH);
                    form(ui)
                })
                .inner
            })
            .inner
        })
        .inner
}

/// A multi-line text field with a label above it.
pub fn labelled_multiline(ui: &mut Ui, label: &str, text: &mut String, rows: usize) -> Response {
    let l = ui.label(label);
    ui.add(
        TextEdit::multiline(text)
            .desired_rows(rows)
            .desired_width(f32::INFINITY),
    )
    .labelled_by(l.id)
}

/// A combo box whose value can also be changed with the arrow keys while it has focus.
pub fn choice<T: Copy + PartialEq>(
    ui: &mut Ui,
    label: &str,
    value: &mut T,
    options: &[T],
    name: impl Fn(T) -> String,
) -> Response {
    let response = ui
        .horizontal(|ui| {
            let l = ui.label(label);
            egui::ComboBox::from_id_salt(label)
                .selected_text(name(*value))
                .width(200.0)
                .show_ui(ui, |ui| {
                    for &o in options {
                        ui.selectable_value(value, o, name(o));
                    }
                })
                .response
                .labelled_by(l.id)
        })
        .inner;
    if response.has_focus() {
        // Up and Down change the value, so they must not also move the focus.
        ui.memory_mut(|m| {
            m.set_focus_lock_filter(
                response.id,
                egui::EventFilter {
                    vertical_arrows: true,
                    ..Default::default()
                },
            )
        });
        let pos = options.iter().position(|o| o == value).unwrap_or(0);
        let step = ui.input_mut(|i| {
            if i.consume_key(Modifiers::NONE, Key::ArrowDown) {
                1
            } else if i.consume_key(Modifiers::NONE, Key::ArrowUp) {
                options.len().saturating_sub(1)
            } else {
                0
            }
        });
        if step != 0 && !options.is_empty() {
            *value = options[(pos + step) % options.len()];
        }
    }
    response
}

pub use crate::model::parse_date;

/// egui_extras' calendar button for a date kept as YYYY-MM-DD text.
pub fn date_picker(ui: &mut Ui, text: &mut String, fallback: NaiveDate, salt: &str) {
    let current = parse_date(text).unwrap_or(fallback);
    let (Ok(year), Ok(month), Ok(day)) = (
        i16::try_from(current.year()),
        i8::try_from(current.month()),
        i8::try_from(current.day()),
    ) else {
        return;
    };
    let Ok(mut date) = jiff::civil::Date::new(year, month, day) else {
        return;
    };
    let before = date;
    ui.add(
        egui_extras::DatePickerButton::new(&mut date)
            .id_salt(salt)
            // The date is in the field beside it: the button does not say it again.
            .format("Calendar")
            .show_icon(false),
    );
    if date != before {
        *text = format!("{:04}-{:02}-{:02}", date.year(), date.month(), date.day());
    }
}

/// A name a type-ahead can offer, with its comparison form worked out once (not per frame).
#[derive(Debug, Clone, PartialEq)]
pub struct Known<I> {
    pub id: I,
    pub name: String,
    key: String,
}

impl<I> Known<I> {
    pub fn new(id: I, name: &str) -> Self {
        Known {
            id,
            name: name.to_string(),
            key: normalize_name(name),
        }
    }

    /// The name as it is compared: lower case, spaces collapsed.
    pub fn key(&self) -> &str {
        &self.key
    }
}

/// What typed text stands for when it is not picked from the list: the record with exactly
/// that name (ignoring case and spacing), or a new one.
pub fn resolve_typed<I: Copy>(text: &str, known: &[Known<I>]) -> Option<Pick<I>> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let wanted = normalize_name(text);
    Some(
        known
            .iter()
            .find(|k| k.key == wanted)
            .map(|k| Pick::Existing(k.id))
            .unwrap_or_else(|| Pick::New(text.to_string())),
    )
}

/// One entry picked in a [`TypeAhead`]: an existing record or a new name to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pick<I> {
    Existing(I),
    New(String),
}

/// State of a type-ahead field: the text being typed and the highlighted suggestion.
#[derive(Debug, Clone, Default)]
pub struct TypeAhead {
    pub input: String,
    pub highlight: usize,
}

/// What a type-ahead offers while typing: matching names, and creating a new one.
fn suggestions<'a, I: Copy>(
    input: &str,
    known: &'a [Known<I>],
    limit: usize,
    offer_new: bool,
) -> Vec<Pick<I>> {
    let q = normalize_name(input);
    if q.is_empty() {
        return Vec::new();
    }
    let mut starts: Vec<&'a Known<I>> = Vec::new();
    let mut contains: Vec<&'a Known<I>> = Vec::new();
    let mut exact = false;
    for entry in known {
        if entry.key == q {
            exact = true;
        }
        if entry.key.starts_with(&q) {
            starts.push(entry);
        } else if entry.key.contains(&q) {
            contains.push(entry);
        }
    }
    let mut out: Vec<Pick<I>> = starts
        .into_iter()
        .chain(contains)
        .take(limit)
        .map(|k| Pick::Existing(k.id))
        .collect();
    if offer_new && !exact {
        out.push(Pick::New(input.trim().to_string()));
    }
    out
}

/// A type-ahead field that collects picks (people, topics). Enter or Tab takes the highlighted
/// suggestion (the best match, or "new" when nothing matches); arrows move the highlight.
/// Returns the field's response so callers can focus it.
pub fn type_ahead<I: Copy + PartialEq>(
    ui: &mut Ui,
    label: &str,
    id: egui::Id,
    state: &mut TypeAhead,
    known: &[Known<I>],
    picked: &mut Vec<Pick<I>>,
    new_label: Option<&str>,
) -> Response {
    let has_focus = ui.memory(|m| m.has_focus(id));
    let options = suggestions(&state.input, known, 6, new_label.is_some());
    if has_focus && !options.is_empty() {
        // Up and Down move the highlight, not the focus.
        ui.memory_mut(|m| {
            m.set_focus_lock_filter(
                id,
                egui::EventFilter {
                    vertical_arrows: true,
                    ..Default::default()
                },
            )
        });
        ui.input_mut(|i| {
            if i.consume_key(Modifiers::NONE, Key::ArrowDown) {
                state.highlight = (state.highlight + 1) % options.len();
            }
            if i.consume_key(Modifiers::NONE, Key::ArrowUp) {
                state.highlight = (state.highlight + options.len() - 1) % options.len();
            }
        });
    }
    let name_of = |pick: &Pick<I>| match pick {
        Pick::Existing(i) => known
            .iter()
            .find(|k| k.id == *i)
            .map(|k| k.name.clone())
            .unwrap_or_default(),
        Pick::New(n) => format!("{n} ({})", new_label.unwrap_or("new")),
    };

    let mut remove = None;
    let response = ui
        .horizontal_wrapped(|ui| {
            let l = ui.label(label);
            for (i, p) in picked.iter().enumerate() {
                if ui
                    .button(format!("{}  x", name_of(p)))
                    .on_hover_text("Remove")
                    .clicked()
                {
                    remove = Some(i);
                }
            }
            ui.add(
                TextEdit::singleline(&mut state.input)
                    .id(id)
                    .hint_text("type a name, Enter to add")
                    .desired_width(220.0),
            )
            .labelled_by(l.id)
        })
        .inner;
    if let Some(i) = remove {
        picked.remove(i);
    }
    if response.changed() {
        state.highlight = 0;
    }

    // Only Enter and Tab take the highlighted suggestion; leaving the field any other way keeps
    // the text as typed (it is resolved by exact name when the form is saved).
    let mut chosen = None;
    let (enter, tab) = ui.input(|i| (i.key_pressed(Key::Enter), i.key_pressed(Key::Tab)));
    if response.lost_focus() && (enter || tab) && !options.is_empty() {
        chosen = options.get(state.highlight.min(options.len() - 1)).cloned();
        if enter {
            response.request_focus();
        }
    }
    let show_list = !options.is_empty() && chosen.is_none();
    // The list's container is always created so the ids of the widgets after it stay stable
    // whether or not suggestions are showing (focus follows ids).
    ui.indent(id.with("suggestions"), |ui| {
        if show_list {
            for (i, o) in options.iter().enumerate() {
                let text = RichText::new(name_of(o));
                if ui.selectable_label(i == state.highlight, text).clicked() {
                    chosen = Some(o.clone());
                }
            }
        }
    });
    if let Some(pick) = chosen {
        if !picked.contains(&pick) {
            picked.push(pick);
        }
        state.input.clear();
        state.highlight = 0;
    }
    response
}

/// A count as people write it: 1,000,000.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(d);
    }
    out
}

/// How long ago `at` was, as the top bar says it: "just now", "2 min ago", "3 hours ago",
/// "4 days ago" (a time after `now`, from a clock set differently, is "just now").
pub fn ago(at: chrono::DateTime<chrono::Utc>, now: chrono::DateTime<chrono::Utc>) -> String {
    let minutes = (now - at).num_minutes();
    match minutes {
        ..=0 => "just now".to_string(),
        1..=59 => format!("{minutes} min ago"),
        60..=2879 => format!(
            "{} ago",
            crate::model::plural((minutes / 60) as usize, "hour", "hours")
        ),
        _ => format!("{} days ago", minutes / (60 * 24)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_grouped_by_thousands() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(4096), "4,096");
        assert_eq!(thousands(1_000_000), "1,000,000");
    }

    #[test]
    fn suggestions_prefer_prefix_then_offer_new() {
        let known = vec![Known::new(1, "Maria Lopez"), Known::new(2, "Omar Marin")];
        let s = suggestions("mar", &known, 6, true);
        assert_eq!(
            s,
            vec![
                Pick::Existing(1),
                Pick::Existing(2),
                Pick::New("mar".into())
            ]
        );
        assert_eq!(
            suggestions("maria lopez", &known, 6, true),
            vec![Pick::Existing(1)]
        );
        assert!(suggestions("  ", &known, 6, true).is_empty());
        assert_eq!(
            suggestions("mar", &known, 6, false).len(),
            2,
            "a filter offers no new names"
        );
    }
}
