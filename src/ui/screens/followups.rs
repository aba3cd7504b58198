//! The follow-up queue (overdue, due in the next 7 days, later, done), the open promises held
//! up by a partner agency grouped by agency, the line that says what a promise waits on, and
//! the dialog that closes one.

use chrono::{Datelike, NaiveDate};
use egui::text::LayoutJob;
use egui::{RichText, TextFormat, Ui};

use super::follow_up_line;
use crate::model::{FollowUp, PartnerWait, QueueBucket};
use crate::query::followup_queue;
use crate::query::followups::held_up_by;
use crate::ui::background::Beside;
use crate::ui::command::Command;
use crate::ui::lookup::Lookup;
use crate::ui::screens::{ClosingFollowUp, ScreenCtx};

type Queue = std::collections::BTreeMap<QueueBucket, Vec<FollowUp>>;

/// What the screen reads beside the UI: the queue, and its open promises by the agency they
/// wait on.
struct Lists {
    queue: Queue,
    held_up: Vec<(String, Vec<FollowUp>)>,
}

/// How the screen lists the promises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FollowUpsView {
    /// By when they are due (the queue's sections).
    #[default]
    ByDue,
    /// Only those held up by a partner agency, grouped by agency.
    HeldUp,
}

#[derive(Default)]
pub struct FollowUpsState {
    lists: Beside<(u64, NaiveDate), Lists>,
    pub view: FollowUpsView,
}

impl FollowUpsState {
    /// Blocks until the queue being read is ready.
    pub fn wait(&mut self) {
        self.lists.wait();
    }
}

/// Follow-ups drawn per section; a department's archive holds hundreds of thousands.
const SHOWN_PER_SECTION: usize = 500;

pub fn show(ui: &mut Ui, cx: &ScreenCtx, state: &mut FollowUpsState, cmds: &mut Vec<Command>) {
    ui.heading("Follow-ups");
    ui.label("Promises you made to residents. Close each one with what came of it.");
    let (store, today) = (cx.store.beside(), cx.today);
    // Read beside the UI; after a change elsewhere the queue before it stays up meanwhile.
    let Some(lists) = state.lists.show(
        ui,
        cx.generation,
        today,
        "Reading the follow-ups...",
        move || {
            let queue = store
                .query(|s| followup_queue(s, today))
                .map_err(|e| e.to_string())?;
            let open: Vec<FollowUp> = queue
                .iter()
                .filter(|(bucket, _)| **bucket != QueueBucket::Closed)
                .flat_map(|(_, list)| list.iter().cloned())
                .collect();
            let held_up = held_up_by(&open);
            Ok(Lists { queue, held_up })
        },
    ) else {
        return;
    };
    let held: usize = lists.held_up.iter().map(|(_, l)| l.len()).sum();
    ui.horizontal(|ui| {
        ui.label("Show");
        ui.selectable_value(&mut state.view, FollowUpsView::ByDue, "By when due");
        ui.selectable_value(
            &mut state.view,
            FollowUpsView::HeldUp,
            format!("Held up by a partner ({held})"),
        );
    });
    if state.view == FollowUpsView::HeldUp {
        held_up(ui, &lists.held_up, cx, cmds);
        return;
    }
    let queue = &lists.queue;
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
                        if f.status.is_open() {
                            waiting_line(ui, f, cx.today);
                        }
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

/// The open promises that wait on a partner, a group per agency (its name and how many), each
/// with what it waits on: what is held up, and by whom.
fn held_up(
    ui: &mut Ui,
    groups: &[(String, Vec<FollowUp>)],
    cx: &ScreenCtx,
    cmds: &mut Vec<Command>,
) {
    if groups.is_empty() {
        ui.weak(
            "No open promise waits on a partner agency. Tick \"Waits on a partner agency\" \
             under a promise in the contact form to follow one here.",
        );
        return;
    }
    egui::ScrollArea::vertical().show(ui, |ui| {
        for (agency, list) in groups {
            let reached = list
                .iter()
                .filter(|f| crate::query::followups::chase_reached(f, cx.today))
                .count();
            let mut title = format!("{agency} ({})", list.len());
            if reached > 0 {
                title.push_str(&format!(" · {reached} to chase"));
            }
            egui::CollapsingHeader::new(RichText::new(title).strong())
                .id_salt(("held_up", agency))
                .default_open(true)
                .show(ui, |ui| {
                    for f in list {
                        follow_up_line(ui, f, cx.lookup, cmds);
                        waiting_line(ui, f, cx.today);
                    }
                });
        }
    });
}

/// "12 Dec" (with the year when it is not this year's).
pub fn short_day(day: NaiveDate, today: NaiveDate) -> String {
    if day.year() == today.year() {
        day.format("%-d %b").to_string()
    } else {
        day.format("%-d %b %Y").to_string()
    }
}

/// "Waiting on Public works · ref WO-1234 · chase 12 Dec": whom a promise waits on, their
/// reference and when to chase them, as one text.
pub fn waiting_text(wait: &PartnerWait, today: NaiveDate) -> String {
    let mut text = format!("Waiting on {}", wait.agency.trim());
    if !wait.reference.trim().is_empty() {
        text.push_str(&format!(" · ref {}", wait.reference.trim()));
    }
    if let Some(chase) = wait.chase {
        text.push_str(&format!(" · chase {}", short_day(chase, today)));
    }
    text
}

/// The line under a promise that waits on a partner (nothing for one that does not), its
/// chase date highlighted once it has come: in red when past, as a warning today.
pub fn waiting_line(ui: &mut Ui, f: &FollowUp, today: NaiveDate) {
    let Some(wait) = &f.waiting_on else {
        return;
    };
    let text = waiting_text(wait, today);
    let chase_at = text.rfind(" · chase ").map(|i| i + " · ".len());
    let visuals = ui.visuals();
    let weak = TextFormat {
        color: visuals.weak_text_color(),
        ..Default::default()
    };
    let chase_color = match wait.chase {
        Some(c) if c < today => Some(visuals.error_fg_color),
        Some(c) if c == today => Some(visuals.warn_fg_color),
        _ => None,
    };
    let mut job = LayoutJob::default();
    let font = egui::TextStyle::Body.resolve(ui.style());
    let (head, chase) = text.split_at(chase_at.unwrap_or(text.len()));
    job.append(
        head,
        0.0,
        TextFormat {
            font_id: font.clone(),
            ..weak.clone()
        },
    );
    if !chase.is_empty() {
        let format = match chase_color {
            Some(color) => TextFormat {
                font_id: font,
                color,
                ..Default::default()
            },
            None => TextFormat {
                font_id: font,
                ..weak
            },
        };
        job.append(chase, 0.0, format);
    }
    ui.indent(("waiting", f.meta.id), |ui| {
        ui.label(job);
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
