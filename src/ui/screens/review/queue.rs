//! Entries to review: the queue of entries not yet reviewed, or a random spot check.
//!
//! One compact line per entry, its buttons at the left ("Mark reviewed", "Return to officer"),
//! and beside the list the selected entry whole, with the coaching comment and the reason to
//! return it. The keyboard works the queue too (see [`shortcuts`]): Alt+Down / Alt+Up move
//! between entries, Alt+R marks the selected one reviewed and Alt+B returns it with the reason
//! typed, each moving on to the next.
//!
//! Nothing moves under the pointer after an action: an entry acted on stays in its place until
//! the list is refreshed, its buttons replaced by what was done ("Reviewed ✔") over the same
//! width, so the second click of a double click lands on that words and not on the next
//! entry's button. Its "Undo" comes after those words and answers only once the action is
//! [`UNDO_GUARD`] seconds old, so a double click cannot take back what its first click did.

use std::collections::{HashMap, HashSet};

use egui::{RichText, Ui};

use super::super::{first_line, short_time, Cached};
use crate::model::{Id, Review, Verdict};
use crate::query::review::Period;
use crate::query::review_queue::{review_queue, spot_check, ReviewItem};
use crate::ui::command::Command;
use crate::ui::screens::ScreenCtx;
use crate::ui::shortcuts::{self, NEXT_ENTRY, PREVIOUS_ENTRY, RETURN_ENTRY, REVIEWED_ENTRY};
use crate::ui::widgets::labelled_multiline;

/// Entries listed at once; the rest wait until the list is refreshed.
pub const PAGE: usize = 50;

/// Seconds after an action before its "Undo" answers: longer than a double click.
pub const UNDO_GUARD: f64 = 0.6;

/// Said beside the reason field when an entry is returned without one.
pub const REASON_MISSING: &str = "Write why it goes back here first.";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum QueueMode {
    #[default]
    NotYetReviewed,
    /// A random sample of this many entries per officer.
    SpotCheck(usize),
}

/// What the sergeant is typing about one entry.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReviewDraft {
    pub comment: String,
    pub reason: String,
}

/// An entry acted on from the list: what was done, and what undoing it brings back.
#[derive(Debug, Clone)]
pub struct Acted {
    pub verdict: Verdict,
    /// This reviewer's review of the entry before, if any.
    pub before: Option<Review>,
    /// What was typed for it.
    pub draft: ReviewDraft,
    /// When (egui's clock) the list first showed it done; the undo guard runs from there.
    since: Option<f64>,
}

impl Acted {
    fn words(&self) -> &'static str {
        match self.verdict {
            Verdict::Reviewed => "Reviewed \u{2714}",
            Verdict::Returned { .. } => "Returned \u{2714}",
        }
    }
}

type QueueKey = (u64, Period, Option<Id>, QueueMode, u64);
type Items = Result<std::sync::Arc<Vec<ReviewItem>>, String>;
/// What the listed entries depend on (the log's changes aside): the period, officer, mode,
/// draw and how often the list was refreshed.
type ListKey = (Period, Option<Id>, QueueMode, u64, u64);

pub struct QueueState {
    pub mode: QueueMode,
    pub spot_size: usize,
    /// A new draw for every "Spot check" click.
    pub seed: u64,
    pub drafts: HashMap<Id, ReviewDraft>,
    items: Cached<QueueKey, Items>,
    /// The entries listed, in their places until the list is refreshed.
    rows: Vec<ReviewItem>,
    rows_key: Option<ListKey>,
    rows_generation: u64,
    refreshes: u64,
    acted: HashMap<Id, Acted>,
    pub selected: Option<Id>,
    /// The entry whose return was refused for want of a reason.
    missing_reason: Option<Id>,
    focus_reason: bool,
    scroll_to_selected: bool,
    /// "Mark all shown as reviewed" waits for its confirmation.
    confirm_all: bool,
    /// How wide an entry's two buttons are, for the words that take their place.
    actions_width: f32,
}

impl Default for QueueState {
    fn default() -> Self {
        QueueState {
            mode: QueueMode::default(),
            spot_size: 3,
            seed: 1,
            drafts: HashMap::new(),
            items: Cached::default(),
            rows: Vec::new(),
            rows_key: None,
            rows_generation: 0,
            refreshes: 0,
            acted: HashMap::new(),
            selected: None,
            missing_reason: None,
            focus_reason: false,
            scroll_to_selected: false,
            confirm_all: false,
            actions_width: 0.0,
        }
    }
}

impl QueueState {
    /// An entry was reviewed or returned from the list: it stays in its place, saying so.
    pub fn acted(
        &mut self,
        contact: Id,
        verdict: Verdict,
        before: Option<Review>,
        draft: ReviewDraft,
    ) {
        if self.missing_reason == Some(contact) {
            self.missing_reason = None;
        }
        self.acted.insert(
            contact,
            Acted {
                verdict,
                before,
                draft,
                since: None,
            },
        );
    }

    /// What was done to an entry, to undo it.
    pub fn take_acted(&mut self, contact: Id) -> Option<Acted> {
        self.acted.remove(&contact)
    }

    /// The queue of entries not yet reviewed, as it stands now.
    pub fn not_yet_reviewed(&mut self) {
        self.mode = QueueMode::NotYetReviewed;
        self.refreshes += 1;
    }

    /// The entries listed, to act on; the acted ones left out.
    fn waiting(&self) -> Vec<Id> {
        self.rows
            .iter()
            .filter(|i| !self.acted.contains_key(&i.contact.meta.id) && !i.is_settled())
            .map(|i| i.contact.meta.id)
            .collect()
    }

    /// Keeps the listed entries in their places when the log changes; lists afresh for
    /// another period, officer, draw or a refresh.
    fn keep_rows(&mut self, key: ListKey, generation: u64, live: &[ReviewItem]) {
        if self.rows_key != Some(key) {
            self.rows = live.iter().take(PAGE).cloned().collect();
            self.rows_key = Some(key);
            self.rows_generation = generation;
            self.acted.clear();
            self.missing_reason = None;
            self.confirm_all = false;
            self.selected = self.rows.first().map(|i| i.contact.meta.id);
            return;
        }
        if self.rows_generation == generation {
            return;
        }
        self.rows_generation = generation;
        let now: HashMap<Id, &ReviewItem> = live.iter().map(|i| (i.contact.meta.id, i)).collect();
        let acted = &self.acted;
        // An entry settled elsewhere (another reviewer's bundle) leaves; the acted ones stay.
        self.rows
            .retain_mut(|row| match now.get(&row.contact.meta.id) {
                Some(item) => {
                    *row = (*item).clone();
                    true
                }
                None => acted.contains_key(&row.contact.meta.id),
            });
        if !self
            .selected
            .is_some_and(|s| self.rows.iter().any(|r| r.contact.meta.id == s))
        {
            self.selected = self.rows.first().map(|i| i.contact.meta.id);
        }
    }

    /// The row after (or before) the selected one; with `waiting`, the next not yet acted on.
    fn step(&self, forward: bool, waiting: bool) -> Option<Id> {
        let at = self
            .selected
            .and_then(|s| self.rows.iter().position(|r| r.contact.meta.id == s));
        let ids: Vec<Id> = self.rows.iter().map(|r| r.contact.meta.id).collect();
        let candidates: Box<dyn Iterator<Item = usize>> = match (at, forward) {
            (None, _) => Box::new(0..ids.len()),
            (Some(i), true) => Box::new(i + 1..ids.len()),
            (Some(i), false) => Box::new((0..i).rev()),
        };
        let mut candidates = candidates.filter(|&j| !waiting || !self.acted.contains_key(&ids[j]));
        candidates.next().map(|j| ids[j])
    }

    fn select(&mut self, id: Option<Id>) {
        if let Some(id) = id {
            self.selected = Some(id);
            self.scroll_to_selected = true;
        }
    }

    /// Reviews or returns an entry with what was typed for it. A return without a reason is
    /// refused beside the reason field (and on the status line), with the cursor put there.
    fn act(&mut self, id: Id, verdict: Verdict, cmds: &mut Vec<Command>) -> bool {
        let draft = self.drafts.get(&id).cloned().unwrap_or_default();
        let verdict = match verdict {
            Verdict::Returned { .. } => Verdict::Returned {
                reason: draft.reason.trim().to_string(),
            },
            v => v,
        };
        let refused = matches!(&verdict, Verdict::Returned { reason } if reason.is_empty());
        if refused {
            self.missing_reason = Some(id);
            self.selected = Some(id);
            self.focus_reason = true;
        }
        cmds.push(Command::SaveReview {
            contact: id,
            verdict,
            comment: draft.comment.trim().to_string(),
        });
        !refused
    }

    /// The keys of the queue, taken before the fields see them.
    fn keys(&mut self, ui: &mut Ui, cmds: &mut Vec<Command>) {
        let ctx = ui.ctx().clone();
        let pressed = |s| shortcuts::consume_alt_shortcut(&ctx, s);
        if pressed(&NEXT_ENTRY) {
            self.select(self.step(true, false));
        }
        if pressed(&PREVIOUS_ENTRY) {
            self.select(self.step(false, false));
        }
        let Some(id) = self.selected.filter(|s| !self.acted.contains_key(s)) else {
            return;
        };
        let verdict = if pressed(&REVIEWED_ENTRY) {
            Verdict::Reviewed
        } else if pressed(&RETURN_ENTRY) {
            Verdict::Returned {
                reason: String::new(),
            }
        } else {
            return;
        };
        if self.act(id, verdict, cmds) {
            self.select(self.step(true, true));
        }
    }
}

pub fn show(
    ui: &mut Ui,
    cx: &ScreenCtx,
    state: &mut QueueState,
    period: Period,
    officer: Option<Id>,
    cmds: &mut Vec<Command>,
) {
    ui.horizontal(|ui| {
        if ui
            .selectable_label(state.mode == QueueMode::NotYetReviewed, "Not yet reviewed")
            .clicked()
        {
            state.mode = QueueMode::NotYetReviewed;
        }
        let l = ui.label("Entries per officer");
        ui.add(egui::DragValue::new(&mut state.spot_size).range(1..=50))
            .labelled_by(l.id);
        if ui.button("Spot check").clicked() {
            state.mode = QueueMode::SpotCheck(state.spot_size);
            state.seed = state.seed.wrapping_add(1).max(1) ^ cx.now.timestamp_millis() as u64;
        }
    });
    let key = (cx.generation, period, officer, state.mode, state.seed);
    let mode = state.mode;
    let seed = state.seed;
    let items = state
        .items
        .get(key, || {
            match mode {
                QueueMode::NotYetReviewed => cx.store.query(|s| review_queue(s, period, officer)),
                QueueMode::SpotCheck(n) => {
                    cx.store.query(|s| spot_check(s, period, officer, n, seed))
                }
            }
            .map(std::sync::Arc::new)
            .map_err(|e| e.to_string())
        })
        .clone();
    let items = match items {
        Ok(items) => items,
        Err(e) => {
            ui.colored_label(ui.visuals().error_fg_color, e);
            return;
        }
    };
    let list_key = (period, officer, state.mode, state.seed, state.refreshes);
    state.keep_rows(list_key, cx.generation, &items);
    if !cx.form_open {
        state.keys(ui, cmds);
    }
    match state.mode {
        QueueMode::NotYetReviewed if items.is_empty() && state.rows.is_empty() => {
            ui.label("Every entry in this period has been reviewed.");
        }
        QueueMode::NotYetReviewed => {
            ui.label(format!(
                "{} entries not yet reviewed, oldest first.",
                items.len()
            ));
        }
        QueueMode::SpotCheck(n) => {
            ui.label(format!(
                "A random sample of up to {n} entries per officer from this period ({} in all).",
                items.len()
            ));
        }
    }
    bulk_bar(ui, state, &items, cmds);
    ui.separator();
    if state.rows.is_empty() {
        return;
    }
    egui::Panel::right("queue_entry")
        .resizable(true)
        .default_size(380.0)
        .show(ui, |ui| {
            egui::ScrollArea::vertical()
                .id_salt("queue_entry_scroll")
                .show(ui, |ui| selected_entry(ui, cx, state))
        });
    let now = ui.input(|i| i.time);
    egui::ScrollArea::vertical()
        .id_salt("queue_rows")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            // Compact: the rows' buttons are all that sets their height.
            ui.spacing_mut().item_spacing.y = 2.0;
            let ids: Vec<Id> = state.rows.iter().map(|r| r.contact.meta.id).collect();
            for id in ids {
                row(ui, cx, state, id, now, cmds);
            }
            let listed: HashSet<Id> = state.rows.iter().map(|r| r.contact.meta.id).collect();
            let more = items
                .iter()
                .filter(|i| !listed.contains(&i.contact.meta.id))
                .count();
            if more > 0 {
                ui.weak(format!(
                    "{more} more after these: \"Refresh the list\" lists them."
                ));
            }
        });
    if state
        .acted
        .values()
        .any(|a| a.since.is_some_and(|since| now - since < UNDO_GUARD))
    {
        ui.ctx()
            .request_repaint_after(std::time::Duration::from_secs_f64(UNDO_GUARD / 4.0));
    }
}

/// "Mark all shown as reviewed", which asks first and says how many, and "Refresh the list",
/// which takes the entries done off it and lists the next ones. The question takes the
/// button's line, so nothing below moves when it is asked or answered.
fn bulk_bar(ui: &mut Ui, state: &mut QueueState, items: &[ReviewItem], cmds: &mut Vec<Command>) {
    let waiting = state.waiting();
    if waiting.is_empty() {
        state.confirm_all = false;
    }
    ui.horizontal(|ui| {
        if state.confirm_all {
            ui.label(
                RichText::new(format!(
                    "Mark the {} shown as reviewed? The coaching comments typed go with them.",
                    crate::model::plural(waiting.len(), "entry", "entries")
                ))
                .strong(),
            );
            if ui
                .button(format!("Mark {} reviewed", waiting.len()))
                .clicked()
            {
                cmds.push(Command::MarkReviewed(waiting.clone()));
                state.confirm_all = false;
            }
            if ui.button("Cancel").clicked() {
                state.confirm_all = false;
            }
        } else {
            if ui
                .add_enabled(
                    !waiting.is_empty(),
                    egui::Button::new("Mark all shown as reviewed..."),
                )
                .clicked()
            {
                state.confirm_all = true;
            }
            let listed = state.rows.len();
            if ui
                .add_enabled(
                    !state.acted.is_empty() || items.len() > listed,
                    egui::Button::new("Refresh the list"),
                )
                .on_hover_text("Takes the entries done off the list and lists the next ones.")
                .clicked()
            {
                state.refreshes += 1;
            }
            ui.weak(format!(
                "Keys: {} / {} move, {} marks reviewed, {} returns with the reason typed.",
                shortcuts::keys(&NEXT_ENTRY),
                shortcuts::keys(&PREVIOUS_ENTRY),
                shortcuts::keys(&REVIEWED_ENTRY),
                shortcuts::keys(&RETURN_ENTRY),
            ));
        }
    });
}

/// One entry on one line: its buttons (or what was done and "Undo") at the left, then when,
/// who, what and the start of the note. Clicking the line selects the entry.
fn row(
    ui: &mut Ui,
    cx: &ScreenCtx,
    state: &mut QueueState,
    id: Id,
    now: f64,
    cmds: &mut Vec<Command>,
) {
    let Some(item) = state.rows.iter().find(|r| r.contact.meta.id == id).cloned() else {
        return;
    };
    let c = &item.contact;
    let selected = state.selected == Some(id);
    ui.push_id(id, |ui| {
        ui.horizontal(|ui| {
            if let Some(acted) = state.acted.get_mut(&id) {
                let since = *acted.since.get_or_insert(now);
                let height = ui.spacing().interact_size.y;
                let words = RichText::new(acted.words()).strong();
                ui.add_sized(
                    [state.actions_width.max(1.0), height],
                    egui::Label::new(words),
                );
                let ready = now - since >= UNDO_GUARD;
                if ui
                    .add_enabled(ready, egui::Button::new("Undo"))
                    .on_hover_text("Takes this review back; the entry waits for review again.")
                    .clicked()
                {
                    cmds.push(Command::UndoReview(id));
                }
            } else {
                let reviewed = ui.button("Mark reviewed");
                let returned = ui.button("Return to officer");
                state.actions_width = returned.rect.right() - reviewed.rect.left();
                if reviewed.clicked() {
                    state.act(id, Verdict::Reviewed, cmds);
                }
                if returned.clicked() {
                    state.act(
                        id,
                        Verdict::Returned {
                            reason: String::new(),
                        },
                        cmds,
                    );
                }
            }
            let thin = c.note.split_whitespace().count() <= 1;
            let line = format!(
                "{}  {} · {} · {} · {} · {}: {}",
                short_time(c.at),
                cx.lookup.officer_name(c.meta.owner()),
                cx.lookup.who(c),
                c.kind.label(),
                cx.lookup.hood_name(c.neighborhood),
                c.tone.label().to_lowercase(),
                if c.note.trim().is_empty() {
                    "(no narrative)".to_string()
                } else {
                    first_line(&c.note, 160)
                }
            );
            let mut text = RichText::new(line);
            if thin {
                text = text.color(ui.visuals().warn_fg_color);
            }
            let line = ui.add(egui::Button::selectable(selected, text).truncate());
            if line.clicked() {
                state.selected = Some(id);
            }
            if selected && std::mem::take(&mut state.scroll_to_selected) {
                line.scroll_to_me(None);
            }
        });
    });
}

/// The selected entry whole: everything about it, its earlier review, the coaching comment and
/// the reason to return it (with what is missing said beside it).
fn selected_entry(ui: &mut Ui, cx: &ScreenCtx, state: &mut QueueState) {
    let Some(item) = state
        .selected
        .and_then(|s| state.rows.iter().find(|r| r.contact.meta.id == s))
        .cloned()
    else {
        ui.weak("Select an entry to read it whole.");
        return;
    };
    let c = &item.contact;
    let id = c.meta.id;
    ui.label(
        RichText::new(format!(
            "{} · {}",
            short_time(c.at),
            cx.lookup.officer_name(c.meta.owner())
        ))
        .strong(),
    );
    ui.label(format!(
        "{} · {} · {} · tone {}",
        cx.lookup.who(c),
        c.kind.label(),
        cx.lookup.hood_name(c.neighborhood),
        c.tone.label().to_lowercase()
    ));
    if c.note.trim().is_empty() {
        ui.colored_label(ui.visuals().warn_fg_color, "No narrative was written.");
    } else {
        ui.label(&c.note);
        if c.note.split_whitespace().count() <= 1 {
            ui.colored_label(
                ui.visuals().warn_fg_color,
                "Thin entry: a one-word narrative.",
            );
        }
    }
    if let Some(r) = &item.review {
        let when = short_time(r.meta.updated_at);
        let earlier = match &r.verdict {
            Verdict::Returned { reason } if r.awaits_answer(c.meta.revision) => {
                format!("Returned on {when}: {reason} (not answered yet)")
            }
            Verdict::Returned { reason } => {
                format!("Returned on {when}: {reason}. The officer has edited it since.")
            }
            Verdict::Reviewed if r.is_current(c.meta.revision) => {
                format!("Reviewed on {when}.")
            }
            Verdict::Reviewed => format!("Reviewed on {when}; edited since."),
        };
        ui.weak(earlier);
    }
    ui.separator();
    if let Some(acted) = state.acted.get(&id) {
        ui.label(RichText::new(acted.words()).strong());
        return;
    }
    let missing = state.missing_reason == Some(id);
    let draft = state.drafts.entry(id).or_default();
    labelled_multiline(ui, "Coaching comment (optional)", &mut draft.comment, 2);
    let reason = ui.horizontal(|ui| {
        let l = ui.label("Reason to return it");
        if missing && draft.reason.trim().is_empty() {
            ui.colored_label(ui.visuals().error_fg_color, REASON_MISSING);
        }
        l
    });
    let field = ui
        .add(
            egui::TextEdit::multiline(&mut draft.reason)
                .desired_rows(2)
                .desired_width(f32::INFINITY),
        )
        .labelled_by(reason.inner.id);
    if std::mem::take(&mut state.focus_reason) {
        field.request_focus();
    }
    ui.weak(format!(
        "{} marks it reviewed; {} returns it with this reason. Both go on to the next entry.",
        shortcuts::keys(&REVIEWED_ENTRY),
        shortcuts::keys(&RETURN_ENTRY)
    ));
}
