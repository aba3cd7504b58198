//! The side panel listing the entries behind a clicked number or bar.

use egui::{RichText, Ui};

use super::super::{contact_line, follow_up_line};
use super::Shown;
use crate::model::{Contact, FollowUp};
use crate::query::review::Behind;
use crate::ui::command::Command;
use crate::ui::workspace::ScreenCtx;

/// More than this many entries are counted, not listed.
const LISTED: usize = 200;

pub fn show(ui: &mut Ui, cx: &ScreenCtx, shown: &mut Option<Shown>, cmds: &mut Vec<Command>) {
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
    let what = match s.figure.behind {
        Behind::Contacts => "contacts",
        Behind::FollowUps => "follow-ups",
        Behind::People => "people",
    };
    ui.weak(format!("{} {what} behind this figure", s.figure.ids.len()));
    ui.separator();
    egui::ScrollArea::vertical().show(ui, |ui| {
        for &id in s.figure.ids.iter().take(LISTED) {
            match s.figure.behind {
                Behind::Contacts => match cx.store.get::<Contact>(id) {
                    Ok(Some(c)) => {
                        contact_line(ui, &c, cx.lookup, cmds);
                        if c.note.split_whitespace().count() <= 1 {
                            ui.colored_label(
                                ui.visuals().warn_fg_color,
                                "Thin entry: the narrative is empty or one word.",
                            );
                        }
                    }
                    Ok(None) => {}
                    Err(e) => {
                        ui.colored_label(ui.visuals().error_fg_color, e.to_string());
                    }
                },
                Behind::FollowUps => match cx.store.get::<FollowUp>(id) {
                    Ok(Some(f)) => follow_up_line(ui, &f, cx.lookup, cmds),
                    Ok(None) => {}
                    Err(e) => {
                        ui.colored_label(ui.visuals().error_fg_color, e.to_string());
                    }
                },
                Behind::People => {
                    if ui.link(cx.lookup.person_name(id)).clicked() {
                        cmds.push(Command::OpenPerson(id));
                    }
                }
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
