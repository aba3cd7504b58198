//! One module per main screen. Each draws from a read-only view of the store and the lookup,
//! and pushes commands for the workspace to apply: screens read, the workspace writes.

pub mod followups;
pub mod log;
pub mod neighborhoods;
pub mod people;
pub mod problems;
pub mod review;
pub mod security;
pub mod settings;
pub mod squad_exchange;
pub mod today;

use std::path::Path;
use std::sync::Arc;

use chrono::{DateTime, Local, NaiveDate, Utc};
use egui::Ui;

use super::background::IndexProgress;
use super::command::Command;
use super::lookup::Lookup;
use super::sync_worker::SyncWorker;
use crate::model::{Contact, FollowUp, Id};
use crate::store::{AuditEntry, Passphrase, Store, StoreResult, Stored};

/// What every screen reads while drawing.
pub struct ScreenCtx<'a> {
    /// The log, to read: a screen never writes to it (it pushes a command instead).
    pub store: StoreView,
    pub lookup: &'a Lookup,
    /// Grows with every saved change, so screens know when to re-run their queries.
    pub generation: u64,
    pub today: NaiveDate,
    pub now: DateTime<Utc>,
    /// A passphrase change is running.
    pub changing_passphrase: bool,
    /// While the contact index is built: how far it has got.
    pub indexing: Option<IndexProgress>,
    /// The squad exchange: where it stands and whether a sync runs.
    pub sync: &'a SyncWorker,
    /// The contact form or another dialog is open over the screen: its keys are not the
    /// screen's.
    pub form_open: bool,
}

/// The store as screens see it: records, the audit trail, and the queries of [`crate::query`]
/// (which only read). Saving and deleting are not offered here; they are the workspace's, which
/// applies the commands the screens push.
pub struct StoreView(Arc<Store>);

impl StoreView {
    pub(in crate::ui) fn new(store: Arc<Store>) -> Self {
        StoreView(store)
    }

    pub fn get<R: Stored>(&self, id: Id) -> StoreResult<Option<R>> {
        self.0.get(id)
    }

    pub fn all<R: Stored>(&self) -> StoreResult<Vec<R>> {
        self.0.all()
    }

    pub fn dir(&self) -> &Path {
        self.0.dir()
    }

    pub fn has_contact_index(&self) -> bool {
        self.0.has_contact_index()
    }

    pub fn squad_passphrase(&self) -> StoreResult<Option<Passphrase>> {
        self.0.squad_passphrase()
    }

    pub fn audit_trail(&self, n: usize) -> StoreResult<Vec<AuditEntry>> {
        self.0.audit_trail(n)
    }

    pub fn audit_break(&self) -> StoreResult<Option<String>> {
        self.0.audit_break()
    }

    /// Runs a query of [`crate::query`] on the log.
    pub fn query<T>(&self, read: impl FnOnce(&Store) -> T) -> T {
        read(&self.0)
    }

    /// A view of its own, for a query worked out beside the UI.
    pub fn beside(&self) -> StoreView {
        StoreView(self.0.clone())
    }
}

/// The dialog asking how a follow-up ended.
pub struct ClosingFollowUp {
    pub id: Id,
    /// The revision the promise had when the dialog opened.
    pub revision: u32,
    pub dropped: bool,
    /// What was promised and to whom, read once when the dialog opens.
    pub promise: String,
    pub outcome: String,
    pub error: Option<String>,
    /// The outcome field takes the focus once, when the dialog opens.
    pub focus_pending: bool,
}

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
            .button("Receipt...")
            .on_hover_text("A receipt of this promise for the resident")
            .clicked()
        {
            cmds.push(Command::ShowReceipt(f.meta.id));
        }
        if ui
            .button("Problem...")
            .on_hover_text("Open a problem about this: the condition behind the promise")
            .clicked()
        {
            cmds.push(Command::NewProblem(Box::new(
                crate::ui::command::ProblemSeed {
                    title: f.promise.clone(),
                    neighborhood: Some(f.neighborhood),
                    contacts: f.contact.into_iter().collect(),
                    ..Default::default()
                },
            )));
        }
        match &f.status {
            crate::model::FollowUpStatus::Open => {
                if ui.button("Done...").clicked() {
                    cmds.push(Command::StartClosingFollowUp {
                        id: f.meta.id,
                        dropped: false,
                    });
                }
                if ui.button("Drop...").clicked() {
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

/// A date typed as YYYY-MM-DD, with its label and the calendar button beside it, sized for a
/// date rather than the whole row.
pub fn date_field(ui: &mut Ui, label: &str, text: &mut String, fallback: NaiveDate, salt: &str) {
    ui.horizontal(|ui| {
        let l = ui.label(label);
        ui.add(
            egui::TextEdit::singleline(text)
                .hint_text("YYYY-MM-DD")
                .desired_width(110.0),
        )
        .labelled_by(l.id);
        crate::ui::widgets::date_picker(ui, text, fallback, salt);
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
