//! Today, the home screen: log button, follow-ups due and overdue, last contacts, latest notes.

use egui::{RichText, Ui};

use chrono::NaiveDate;

use super::{contact_line, follow_up_line};
use crate::model::{Contact, Id, JournalNote, QueueBucket};
use crate::query::review_queue::{feedback_for, ReviewItem};
use crate::query::{due_soon, newest_contacts, DueList};
use crate::store::{Store, StoreResult};
use crate::ui::background::Beside;
use crate::ui::command::Command;
use crate::ui::screens::ScreenCtx;

struct TodayLists {
    overdue: DueList,
    this_week: DueList,
    recent: Vec<Contact>,
    notes: Vec<JournalNote>,
    feedback: Vec<ReviewItem>,
}

/// How many items of the sergeant's feedback Today shows.
const FEEDBACK_SHOWN: usize = 10;

#[derive(Default)]
pub struct TodayState {
    /// Read beside the UI: in a large log the lists take longer than a frame, and they are
    /// read again after every change (a save, the day's backup, everyone read).
    lists: Beside<(u64, NaiveDate), TodayLists>,
}

impl TodayState {
    /// Blocks until the lists being read are ready.
    pub fn wait(&mut self) {
        self.lists.wait();
    }
}

fn read_lists(
    store: &Store,
    today: NaiveDate,
    hood: Option<Id>,
    officer: Option<Id>,
) -> StoreResult<TodayLists> {
    let due = due_soon(store, today, SHOWN_PER_SECTION)?;
    Ok(TodayLists {
        overdue: due.overdue,
        this_week: due.this_week,
        recent: newest_contacts(store, 8)?,
        notes: match hood {
            Some(h) => crate::query::latest_journal(store, h, 3)?,
            None => Vec::new(),
        },
        feedback: match officer {
            Some(o) => feedback_for(store, o, FEEDBACK_SHOWN)?,
            None => Vec::new(),
        },
    })
}

pub fn show(ui: &mut Ui, cx: &ScreenCtx, state: &mut TodayState, cmds: &mut Vec<Command>) {
    let hood = cx.lookup.profile.as_ref().and_then(|p| p.last_neighborhood);
    let officer = cx.lookup.profile.as_ref().map(|p| p.officer);
    egui::ScrollArea::vertical().show(ui, |ui| {
        ui.horizontal(|ui| {
            ui.heading(format!("Today, {}", cx.today.format("%A %-d %B %Y")));
        });
        if ui
            .add(
                egui::Button::new(RichText::new("Log a contact").size(18.0))
                    .min_size(egui::vec2(200.0, 36.0)),
            )
            .clicked()
        {
            cmds.push(Command::NewContact);
        }
        ui.add_space(8.0);
        let (store, today) = (cx.store.beside(), cx.today);
        let Some(lists) = state.lists.show(
            ui,
            cx.generation,
            today,
            "Reading today's follow-ups and contacts...",
            move || {
                store
                    .query(|s| read_lists(s, today, hood, officer))
                    .map_err(|e| e.to_string())
            },
        ) else {
            return;
        };
        let TodayLists {
            overdue,
            this_week,
            recent,
            notes,
            feedback,
        } = lists;
        if !feedback.is_empty() {
            feedback_list(ui, feedback, cx, cmds);
            ui.add_space(6.0);
        }
        if overdue.count > 0 {
            ui.label(
                RichText::new(format!("Overdue follow-ups ({})", overdue.count))
                    .strong()
                    .color(ui.visuals().error_fg_color),
            );
            follow_up_list(ui, overdue, cx, cmds);
            ui.add_space(6.0);
        }
        ui.label(
            RichText::new(format!(
                "{} ({})",
                QueueBucket::DueSoon.label(),
                this_week.count
            ))
            .strong(),
        );
        if this_week.count == 0 {
            ui.weak("Nothing due in the next 7 days.");
        }
        follow_up_list(ui, this_week, cx, cmds);
        ui.add_space(8.0);
        ui.label(RichText::new("Last contacts").strong());
        if recent.is_empty() {
            ui.weak("No contacts yet. Press Ctrl+N to log your first one.");
        }
        for c in recent {
            contact_line(ui, c, cx.lookup, cmds);
        }
        if let Some(h) = hood {
            ui.add_space(8.0);
            ui.label(RichText::new(format!("Latest notes: {}", cx.lookup.hood_name(h))).strong());
            if notes.is_empty() {
                ui.weak("No journal notes yet for this neighborhood.");
            }
            for n in notes {
                ui.label(format!("{}: {}", n.date, super::first_line(&n.text, 160)));
            }
            if ui.link("Open the neighborhood page").clicked() {
                cmds.push(Command::OpenNeighborhood(h));
            }
        }
    });
}

/// How many follow-ups of a section Today shows before pointing to the Follow-ups screen.
const SHOWN_PER_SECTION: usize = 8;

fn follow_up_list(ui: &mut Ui, list: &DueList, cx: &ScreenCtx, cmds: &mut Vec<Command>) {
    for f in &list.first {
        follow_up_line(ui, f, cx.lookup, cmds);
    }
    if list.count > list.first.len()
        && ui
            .link(format!(
                "{} more on the Follow-ups screen",
                list.count - list.first.len()
            ))
            .clicked()
    {
        cmds.push(Command::Go(crate::ui::command::Screen::FollowUps));
    }
}

/// Entries the sergeant returned (to answer by editing) and their coaching comments.
fn feedback_list(ui: &mut Ui, items: &[ReviewItem], cx: &ScreenCtx, cmds: &mut Vec<Command>) {
    let waiting = items
        .iter()
        .filter(|i| {
            i.review
                .as_ref()
                .is_some_and(|r| r.awaits_answer(i.contact.meta.revision))
        })
        .count();
    ui.label(RichText::new(format!("From your sergeant ({waiting} to answer)")).strong());
    for item in items {
        let Some(review) = &item.review else { continue };
        contact_line(ui, &item.contact, cx.lookup, cmds);
        ui.indent(item.contact.meta.id, |ui| {
            if let crate::model::Verdict::Returned { reason } = &review.verdict {
                if review.awaits_answer(item.contact.meta.revision) {
                    ui.horizontal(|ui| {
                        ui.colored_label(
                            ui.visuals().warn_fg_color,
                            format!(
                                "Returned by {}: {reason}",
                                cx.lookup.officer_name(review.meta.owner())
                            ),
                        );
                        if ui.button("Answer by editing").clicked() {
                            cmds.push(Command::EditContact(item.contact.meta.id));
                        }
                    });
                }
            }
            if !review.comment.trim().is_empty() {
                ui.label(format!(
                    "Comment from {}: {}",
                    cx.lookup.officer_name(review.meta.owner()),
                    review.comment
                ));
            }
        });
    }
}
