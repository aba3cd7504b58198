//! The side panel listing the entries behind a clicked number or bar: contacts, follow-ups,
//! people, or community problems (each as the review counted it, opening its page).

use egui::{RichText, Ui};

use super::super::{contact_line, follow_up_line, Cached};
use super::Shown;
use crate::model::{Contact, FollowUp, Id};
use crate::query::review::{Behind, ProblemLine, ReviewReport};
use crate::store::{Store, StoreResult};
use crate::ui::command::Command;
use crate::ui::screens::ScreenCtx;

/// More than this many entries are counted, not listed.
const LISTED: usize = 200;

/// One listed entry, read from the store once per figure shown.
pub enum Entry {
    Contact(Box<Contact>),
    FollowUp(Box<FollowUp>),
    Person(Id),
    /// A problem, listed from the review itself (as it stood on the day counted).
    Problem(Id),
}

/// The entries listed for a figure, until the figure or the log changes.
/// Emptied whenever another figure is shown (see `ReviewState::show`).
pub type Listed = Cached<u64, Result<Vec<Entry>, String>>;

fn read(store: &Store, behind: Behind, ids: &[Id]) -> StoreResult<Vec<Entry>> {
    let mut out = Vec::new();
    for &id in ids.iter().take(LISTED) {
        match behind {
            Behind::Contacts => {
                if let Some(c) = store.get::<Contact>(id)? {
                    out.push(Entry::Contact(Box::new(c)));
                }
            }
            Behind::FollowUps => {
                if let Some(f) = store.get::<FollowUp>(id)? {
                    out.push(Entry::FollowUp(Box::new(f)));
                }
            }
            Behind::People => out.push(Entry::Person(id)),
            Behind::Problems => out.push(Entry::Problem(id)),
        }
    }
    Ok(out)
}

pub fn show(
    ui: &mut Ui,
    cx: &ScreenCtx,
    report: &ReviewReport,
    shown: &mut Option<Shown>,
    listed: &mut Listed,
    cmds: &mut Vec<Command>,
) {
    let Some(s) = shown.as_ref() else {
        return;
    };
    let mut close = false;
    ui.horizontal(|ui| {
        ui.label(RichText::new(&s.title).strong());
        if ui.button("Close").clicked() {
            close = true;
        }
    });
    let (one, many) = match s.figure.behind {
        Behind::Contacts => ("contact", "contacts"),
        Behind::FollowUps => ("follow-up", "follow-ups"),
        Behind::People => ("person", "people"),
        Behind::Problems => ("problem", "problems"),
    };
    ui.weak(format!(
        "{} behind this figure",
        crate::report::plural(s.figure.ids.len(), one, many)
    ));
    ui.separator();
    let entries = listed.get(cx.generation, || {
        cx.store
            .query(|store| read(store, s.figure.behind, &s.figure.ids))
            .map_err(|e| e.to_string())
    });
    egui::ScrollArea::vertical().show(ui, |ui| {
        match entries {
            Ok(entries) => {
                for entry in entries {
                    match entry {
                        Entry::Contact(c) => {
                            contact_line(ui, c, cx.lookup, cmds);
                            if c.note.split_whitespace().count() <= 1 {
                                ui.colored_label(
                                    ui.visuals().warn_fg_color,
                                    "Thin entry: the narrative is empty or one word.",
                                );
                            }
                        }
                        Entry::FollowUp(f) => follow_up_line(ui, f, cx.lookup, cmds),
                        Entry::Person(id) => {
                            if ui.link(cx.lookup.person_name(*id)).clicked() {
                                cmds.push(Command::OpenPerson(*id));
                            }
                        }
                        Entry::Problem(id) => match report.problems.line(*id) {
                            Some(p) => problem_line(ui, p, cmds),
                            // The figure is of an earlier report than the one shown.
                            None => {
                                ui.weak("A problem no longer in these figures.");
                            }
                        },
                    }
                }
            }
            Err(e) => {
                ui.colored_label(ui.visuals().error_fg_color, e);
            }
        }
        if s.figure.ids.len() > LISTED {
            ui.weak(format!("and {} more", s.figure.ids.len() - LISTED));
        }
    });
    if close {
        *shown = None;
    }
}

/// A problem in the list: its title opens its page; under it where it is, who owns it, its
/// stage and age, and its next action (or what came of it, once closed).
fn problem_line(ui: &mut Ui, p: &ProblemLine, cmds: &mut Vec<Command>) {
    use crate::report::figures::{age_words, next_action_words, stage_words};
    ui.add_space(4.0);
    if ui
        .link(&p.title)
        .on_hover_text("Open the problem")
        .clicked()
    {
        cmds.push(Command::OpenProblem(p.id));
    }
    ui.label(format!(
        "{} · {} · {} · {}",
        p.neighborhood,
        p.owner,
        stage_words(p),
        age_words(p)
    ));
    if p.stage.is_open() {
        ui.weak(format!("Next: {}", next_action_words(p)));
    }
    if p.no_action {
        ui.colored_label(
            ui.visuals().warn_fg_color,
            format!(
                "No action for {} days: last changed {}.",
                crate::query::review::NO_ACTION_DAYS,
                p.last_change.format("%-d %b %Y")
            ),
        );
    }
    ui.separator();
}
