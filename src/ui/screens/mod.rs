//! One module per main screen. Each draws from the store and the lookup and pushes commands.

pub mod followups;
pub mod log;
pub mod neighborhoods;
pub mod people;
pub mod review;
pub mod security;
pub mod settings;
pub mod today;

use chrono::{DateTime, Local, Utc};
use egui::Ui;

use super::command::Command;
use super::lookup::Lookup;
use crate::model::{Contact, FollowUp};

/// A contact as one line: a button with its time (opens it), then who, kind and note.
pub fn contact_line(ui: &mut Ui, c: &Contact, lookup: &Lookup, cmds: &mut Vec<Command>) {
    ui.horizontal(|ui| {
        if ui.link(short_time(c.at)).clicked() {
            cmds.push(Command::EditContact(c.meta.id));
        }
        ui.label(format!(
            "{} · {} · {}",
            lookup.who(c),
            c.kind.label(),
            lookup.hood_name(c.neighborhood)
        ));
        ui.weak(first_line(&c.note, 80));
    });
}

/// A follow-up as one line, with buttons to close it while open.
pub fn follow_up_line(ui: &mut Ui, f: &FollowUp, lookup: &Lookup, cmds: &mut Vec<Command>) {
    ui.horizontal(|ui| {
        ui.label(format!("due {}", f.due));
        ui.label(&f.promise);
        if let Some(p) = f.person {
            if ui.link(lookup.person_name(p)).clicked() {
                cmds.push(Command::OpenPerson(p));
            }
        }
        if ui
            .small_button("Receipt...")
            .on_hover_text("A receipt of this promise for the resident")
            .clicked()
        {
            cmds.push(Command::ShowReceipt(f.meta.id));
        }
        match &f.status {
            crate::model::FollowUpStatus::Open => {
                if ui.small_button("Done...").clicked() {
                    cmds.push(Command::StartClosingFollowUp {
                        id: f.meta.id,
                        dropped: false,
                    });
                }
                if ui.small_button("Drop...").clicked() {
                    cmds.push(Command::StartClosingFollowUp {
                        id: f.meta.id,
                        dropped: true,
                    });
                }
            }
            crate::model::FollowUpStatus::Done { on, outcome }
            | crate::model::FollowUpStatus::Dropped { on, outcome } => {
                ui.weak(format!("{} {on}: {outcome}", f.status.label()));
            }
        }
    });
}

pub fn short_time(at: DateTime<Utc>) -> String {
    at.with_timezone(&Local)
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

/// The first line of a text, cut to `max` characters.
pub fn first_line(text: &str, max: usize) -> String {
    let line = text.lines().next().unwrap_or_default();
    if line.chars().count() > max {
        format!("{}...", line.chars().take(max).collect::<String>())
    } else {
        line.to_string()
    }
}

/// Remembers a query result until its inputs change.
pub struct Cached<K, V> {
    entry: Option<(K, V)>,
}

impl<K, V> Default for Cached<K, V> {
    fn default() -> Self {
        Cached { entry: None }
    }
}

impl<K: PartialEq, V> Cached<K, V> {
    pub fn get(&mut self, key: K, compute: impl FnOnce() -> V) -> &V {
        if self.entry.as_ref().is_some_and(|(k, _)| *k != key) {
            self.entry = None;
        }
        &self.entry.get_or_insert_with(|| (key, compute())).1
    }
}
