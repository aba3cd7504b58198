//! Entries to review: the queue of entries not yet reviewed, or a random spot check, each with
//! "Mark reviewed", "Return to officer" (with a reason) and a coaching comment.

use std::collections::HashMap;

use egui::{RichText, Ui};

use super::super::{short_time, Cached};
use crate::model::{Id, Verdict};
use crate::query::review::Period;
use crate::query::review_queue::{review_queue, spot_check, ReviewItem};
use crate::ui::command::Command;
use crate::ui::screens::ScreenCtx;
use crate::ui::widgets::labelled_multiline;

/// Entries listed at once; the rest wait until these are done.
const PAGE: usize = 25;

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

type QueueKey = (u64, Period, Option<Id>, QueueMode, u64);

pub struct QueueState {
    pub mode: QueueMode,
    pub spot_size: usize,
    /// A new draw for every "Spot check" click.
    pub seed: u64,
    pub drafts: HashMap<Id, ReviewDraft>,
    items: Cached<QueueKey, Result<Vec<ReviewItem>, String>>,
}

impl Default for QueueState {
    fn default() -> Self {
        QueueState {
            mode: QueueMode::default(),
            spot_size: 3,
            seed: 1,
            drafts: HashMap::new(),
            items: Cached::default(),
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
    let items = state.items.get(key, || {
        match mode {
            QueueMode::NotYetReviewed => cx.store.query(|s| review_queue(s, period, officer)),
            QueueMode::SpotCheck(n) => cx.store.query(|s| spot_check(s, period, officer, n, seed)),
        }
        .map_err(|e| e.to_string())
    });
    let items = match items {
        Ok(items) => items,
        Err(e) => {
            ui.colored_label(ui.visuals().error_fg_color, e);
            return;
        }
    };
    match state.mode {
        QueueMode::NotYetReviewed if items.is_empty() => {
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
    ui.separator();
    egui::ScrollArea::vertical().show(ui, |ui| {
        for item in items.iter().take(PAGE) {
            let draft = state.drafts.entry(item.contact.meta.id).or_default();
            entry(ui, cx, item, draft, cmds);
            ui.separator();
        }
        if items.len() > PAGE {
            ui.weak(format!("{} more after these.", items.len() - PAGE));
        }
    });
}

fn entry(
    ui: &mut Ui,
    cx: &ScreenCtx,
    item: &ReviewItem,
    draft: &mut ReviewDraft,
    cmds: &mut Vec<Command>,
) {
    let c = &item.contact;
    let id = c.meta.id;
    ui.push_id(id, |ui| {
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(short_time(c.at)).strong());
            ui.label(format!(
                "{} · {} · {} · {} · tone {}",
                cx.lookup.officer_name(c.meta.owner()),
                cx.lookup.who(c),
                c.kind.label(),
                cx.lookup.hood_name(c.neighborhood),
                c.tone.label().to_lowercase()
            ));
        });
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
            let state = match &r.verdict {
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
            ui.weak(state);
        }
        labelled_multiline(ui, "Coaching comment (optional)", &mut draft.comment, 1);
        labelled_multiline(ui, "Reason to return it", &mut draft.reason, 1);
        ui.horizontal(|ui| {
            if ui.button("Mark reviewed").clicked() {
                cmds.push(Command::SaveReview {
                    contact: id,
                    verdict: Verdict::Reviewed,
                    comment: draft.comment.trim().to_string(),
                });
            }
            if ui.button("Return to officer").clicked() {
                cmds.push(Command::SaveReview {
                    contact: id,
                    verdict: Verdict::Returned {
                        reason: draft.reason.trim().to_string(),
                    },
                    comment: draft.comment.trim().to_string(),
                });
            }
        });
    });
}
