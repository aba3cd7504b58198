//! The follow-up queue (overdue, due in the next 7 days, later, done) and the dialog that closes
//! one.

use egui::{RichText, Ui};

use super::follow_up_line;
use crate::model::{FollowUp, QueueBucket};
use crate::query::followup_queue;
use crate::ui::background::Beside;
use crate::ui::command::Command;
use crate::ui::lookup::Lookup;
use crate::ui::screens::{ClosingFollowUp, ScreenCtx};

type Queue = std::collections::BTreeMap<QueueBucket, Vec<FollowUp>>;

#[derive(Default)]
pub struct FollowUpsState {
    queue: Beside<(u64, chrono::NaiveDate), Queue>,
}

impl FollowUpsState {
    /// Blocks until the queue being read is ready.
    pub fn wait(&mut self) {
        self.queue.wait();
    }
}

/// Follow-ups drawn per section; a department's archive holds hundreds of thousands.
const SHOWN_PER_SECTION: usize = 500;

pub fn show(ui: &mut Ui, cx: &ScreenCtx, state: &mut FollowUpsState, cmds: &mut Vec<Command>) {
    ui.heading("Follow-ups");
    ui.label("Promises you made to residents. Close each one with what came of it.");
    let (store, today) = (cx.store.beside(), cx.today);
    // Read beside the UI; after a change elsewhere the queue before it stays up meanwhile.
    let Some(queue) = state.queue.show(
        ui,
        cx.generation,
        today,
        "Reading the follow-ups...",
        move || {
            store
                .query(|s| followup_queue(s, today))
                .map_err(|e| e.to_string())
        },
    ) else {
        return;
    };
    egui::ScrollArea::vertical().show(ui, |ui| {
        for bucket in QueueBucket::ALL {
            let list = queue.get(&bucket).map(Vec::as_slice).unwrap_or_default();
            let title = RichText::new(format!("{} ({})", bucket.label(), list.len())).strong();
            let title = if bucket == QueueBucket::Overdue && !list.is_empty() {
                title.color(ui.visuals().error_fg_color)
            } else {
                title
            };
            egui::CollapsingHeader::new(title)
                .id_salt(bucket.label())
                .default_open(bucket != QueueBucket::Closed)
                .show(ui, |ui| {
                    if list.is_empty() {
                        ui.weak("None.");
                    }
                    for f in list.iter().take(SHOWN_PER_SECTION) {
                        follow_up_line(ui, f, cx.lookup, cmds);
                    }
                    if list.len() > SHOWN_PER_SECTION {
                        ui.weak(format!(
                            "And {} more; a person's page lists theirs.",
                            list.len() - SHOWN_PER_SECTION
                        ));
                    }
                });
        }
    });
}

/// Asks for the outcome before a follow-up is marked done or dropped.
pub fn closing_dialog(ctx: &egui::Context, closing: &mut ClosingFollowUp, cmds: &mut Vec<Command>) {
    let promise = closing.promise.clone();
    let modal = egui::Modal::new(egui::Id::unique("close_follow_up")).show(ctx, |ui| {
        ui.set_width(480.0);
        ui.heading(if closing.dropped {
            "Drop follow-up"
        } else {
            "Follow-up done"
        });
        ui.label(promise);
        let l = ui.label("Outcome");
        let r = ui
            .add(
                egui::TextEdit::multiline(&mut closing.outcome)
                    .desired_rows(3)
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(l.id);
        if std::mem::take(&mut closing.focus_pending) {
            r.request_focus();
        }
        if let Some(e) = &closing.error {
            ui.colored_label(ui.visuals().error_fg_color, e);
        }
        ui.horizontal(|ui| {
            let label = if closing.dropped {
                "Drop it"
            } else {
                "Mark done"
            };
            if ui.button(label).clicked()
                || ui.input_mut(|i| i.consume_shortcut(&crate::ui::shortcuts::SAVE_SHORTCUT))
            {
                cmds.push(Command::FinishClosingFollowUp);
            }
            if ui.button("Cancel").clicked() {
                cmds.push(Command::CancelClosingFollowUp);
            }
        });
    });
    if modal.should_close() {
        if closing.outcome.trim().is_empty() {
            cmds.push(Command::CancelClosingFollowUp);
        } else {
            // Esc or a click beside the dialog must not throw away a typed outcome.
            closing.error = Some("Press Cancel to close without saving the outcome.".into());
        }
    }
}

/// "What was promised (to whom)", as the closing dialog shows it.
pub fn promise_text(f: &FollowUp, lookup: &Lookup) -> String {
    match f.person {
        Some(p) => format!("{} (to {})", f.promise, lookup.person_name(p)),
        None => f.promise.clone(),
    }
}
