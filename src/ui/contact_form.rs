//! The "Log a contact" form: a modal reachable from every screen with Ctrl+N, built for the
//! keyboard (focus starts in "Who", Tab walks the fields, Ctrl+Enter saves, Esc closes).

use chrono::{DateTime, Datelike, Local, NaiveDate, NaiveDateTime, TimeZone, Utc};
use egui::{Key, KeyboardShortcut, Modifiers, RichText, Ui};

use super::command::Command;
use super::lookup::Lookup;
use super::widgets::{
    self, choice, labelled_multiline, labelled_text, parse_date, Pick, TypeAhead,
};
use crate::model::{
    Contact, ContactKind, DueQuickPick, FollowUp, Id, Initiator, RecordKind, Revision, Tone,
};

pub const SAVE_SHORTCUT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Enter);
const WHEN_FORMAT: &str = "%Y-%m-%d %H:%M";

/// Everything typed into the form; kept until saved or knowingly discarded.
#[derive(Clone)]
pub struct ContactForm {
    /// The contact being edited, as it was loaded (None for a new contact).
    pub original: Option<Contact>,
    pub history: Vec<Revision>,
    pub when: String,
    pub neighborhood: Option<Id>,
    pub place: String,
    pub kind: ContactKind,
    pub people: Vec<Pick<Id>>,
    pub who: TypeAhead,
    pub unnamed: u32,
    pub initiated_by: Initiator,
    pub tags: Vec<Pick<Id>>,
    pub topic: TypeAhead,
    pub tone: Tone,
    pub note: String,
    pub follow_up: bool,
    pub promise: String,
    /// Which of the people named in "Who" the promise was made to (the first when unset).
    pub promise_to: Option<Pick<Id>>,
    pub due: String,
    pub error: Option<String>,
    pub confirm_discard: bool,
    /// The form as typed before a save that the disk refused (see [`ContactForm::reconcile`]).
    pub before_save: Option<Box<ContactForm>>,
    /// The follow-up written by the last save attempt, if any.
    pub staged_follow_up: Option<Id>,
    focus_who: bool,
    pristine: Option<String>,
}

impl ContactForm {
    /// A blank form: now, the last neighborhood used, a conversation started by the officer.
    pub fn new(last_neighborhood: Option<Id>, now: DateTime<Utc>) -> Self {
        let now = now.with_timezone(&Local);
        let today = now.date_naive();
        let mut f = ContactForm {
            original: None,
            history: Vec::new(),
            when: now.format(WHEN_FORMAT).to_string(),
            neighborhood: last_neighborhood,
            place: String::new(),
            kind: ContactKind::Conversation,
            people: Vec::new(),
            who: TypeAhead::default(),
            unnamed: 0,
            initiated_by: Initiator::Officer,
            tags: Vec::new(),
            topic: TypeAhead::default(),
            tone: Tone::Neutral,
            note: String::new(),
            follow_up: false,
            promise: String::new(),
            promise_to: None,
            due: DueQuickPick::InThreeDays.date_from(today).to_string(),
            error: None,
            confirm_discard: false,
            before_save: None,
            staged_follow_up: None,
            focus_who: true,
            pristine: None,
        };
        f.pristine = Some(f.fingerprint());
        f
    }

    /// A form filled from an existing contact, for editing.
    pub fn edit(c: Contact, history: Vec<Revision>, now: DateTime<Utc>) -> Self {
        let mut f = ContactForm::new(Some(c.neighborhood), now);
        f.when = c.at.with_timezone(&Local).format(WHEN_FORMAT).to_string();
        f.place = c.place.clone();
        f.kind = c.kind;
        f.people = c.people.iter().map(|&p| Pick::Existing(p)).collect();
        f.unnamed = c.unnamed;
        f.initiated_by = c.initiated_by;
        f.tags = c.tags.iter().map(|&t| Pick::Existing(t)).collect();
        f.tone = c.tone;
        f.note = c.note.clone();
        f.original = Some(c);
        f.history = history;
        f.pristine = Some(f.fingerprint());
        f
    }

    /// After the store was reopened following a refused write: keeps whatever that attempt
    /// did get onto the disk (so a retry does not create it twice) and goes back to the typed
    /// form for everything that did not.
    pub fn reconcile(&mut self, store: &crate::store::Store) {
        let Some(before) = self.before_save.take() else {
            return;
        };
        let on_disk = |kind: RecordKind, id: Id| match kind {
            RecordKind::Person => store
                .get::<crate::model::Person>(id)
                .ok()
                .flatten()
                .is_some(),
            RecordKind::Tag => store.get::<crate::model::Tag>(id).ok().flatten().is_some(),
            RecordKind::FollowUp => store.get::<FollowUp>(id).ok().flatten().is_some(),
            _ => store.get::<Contact>(id).ok().flatten().is_some(),
        };
        for (picks, typed, kind) in [
            (&mut self.people, &before.people, RecordKind::Person),
            (&mut self.tags, &before.tags, RecordKind::Tag),
        ] {
            for (pick, typed) in picks.iter_mut().zip(typed) {
                if let Pick::Existing(id) = pick {
                    if !on_disk(kind, *id) {
                        *pick = typed.clone();
                    }
                }
            }
        }
        if let Some(Pick::Existing(id)) = &self.promise_to {
            if !on_disk(RecordKind::Person, *id) {
                self.promise_to = before.promise_to.clone();
            }
        }
        match self
            .original
            .as_ref()
            .map(|c| store.get::<Contact>(c.meta.id))
        {
            Some(Ok(Some(current))) => self.original = Some(current),
            Some(_) => self.original = before.original.clone(),
            None => {}
        }
        if let Some(id) = self.staged_follow_up {
            if !on_disk(RecordKind::FollowUp, id) {
                self.follow_up = before.follow_up;
                self.staged_follow_up = None;
            }
        }
    }

    /// The position in "Who" of the person the promise is made to.
    fn promise_index(&self) -> usize {
        self.promise_to
            .as_ref()
            .and_then(|p| self.people.iter().position(|x| x == p))
            .unwrap_or(0)
    }

    /// A cheap summary of what was typed, to tell whether closing would lose anything.
    fn fingerprint(&self) -> String {
        format!(
            "{}|{:?}|{}|{:?}|{:?}|{}|{}|{:?}|{:?}|{}|{:?}|{}|{}|{}|{}",
            self.when,
            self.neighborhood,
            self.place,
            self.kind,
            self.people,
            self.who.input,
            self.unnamed,
            self.initiated_by,
            self.tags,
            self.topic.input,
            self.tone,
            self.note,
            self.follow_up,
            self.promise,
            self.due,
        )
    }

    pub fn is_dirty(&self) -> bool {
        self.pristine.as_deref() != Some(self.fingerprint().as_str())
    }

    pub fn parsed_when(&self) -> Result<DateTime<Utc>, String> {
        let naive = NaiveDateTime::parse_from_str(self.when.trim(), WHEN_FORMAT).map_err(|_| {
            format!(
                "\"{}\" is not a date and time like 2026-11-25 14:30.",
                self.when.trim()
            )
        })?;
        Local
            .from_local_datetime(&naive)
            .earliest()
            .map(|t| t.with_timezone(&Utc))
            .ok_or_else(|| {
                "That time does not exist in your time zone (a clock change).".to_string()
            })
    }

    pub fn parsed_due(&self) -> Result<NaiveDate, String> {
        parse_date(&self.due)
            .ok_or_else(|| format!("\"{}\" is not a due date like 2026-11-28.", self.due.trim()))
    }

    /// Moves any half-typed name or topic into the picks, so nothing typed is lost on save.
    pub fn take_pending_input(&mut self, lookup: &Lookup) {
        for (ta, picks, known) in [
            (&mut self.who, &mut self.people, lookup.person_names()),
            (&mut self.topic, &mut self.tags, &lookup.tag_names),
        ] {
            if let Some(pick) = widgets::resolve_typed(&ta.input, known) {
                if !picks.contains(&pick) {
                    picks.push(pick);
                }
            }
            ta.input.clear();
        }
    }

    /// Draws the form; returns the commands the user asked for.
    pub fn show(
        &mut self,
        ctx: &egui::Context,
        lookup: &Lookup,
        today: NaiveDate,
        cmds: &mut Vec<Command>,
    ) {
        // Take Ctrl+Enter before any text field can turn it into a new line.
        if ctx.input_mut(|i| i.consume_shortcut(&SAVE_SHORTCUT)) {
            cmds.push(Command::SaveContactForm);
        }
        let title = if self.original.is_some() {
            "Edit contact"
        } else {
            "Log a contact"
        };
        let modal = egui::Modal::new(egui::Id::unique("contact_form")).show(ctx, |ui| {
            ui.set_width(640.0);
            ui.heading(title);
            egui::ScrollArea::vertical()
                .max_height(ctx.content_rect().height() - 140.0)
                .show(ui, |ui| {
                    self.fields(ui, lookup, today);
                });
            ui.separator();
            if let Some(e) = &self.error {
                ui.colored_label(ui.visuals().error_fg_color, e);
            }
            if self.confirm_discard {
                ui.horizontal(|ui| {
                    ui.label(RichText::new("Discard what you typed?").strong());
                    if ui.button("Discard").clicked() {
                        cmds.push(Command::CloseContactForm);
                    }
                    if ui.button("Keep editing").clicked() {
                        self.confirm_discard = false;
                    }
                });
            } else {
                ui.horizontal(|ui| {
                    if ui
                        .button(RichText::new("Save (Ctrl+Enter)").strong())
                        .clicked()
                    {
                        cmds.push(Command::SaveContactForm);
                    }
                    if ui.button("Cancel (Esc)").clicked() {
                        self.request_close(cmds);
                    }
                    if let Some(c) = &self.original {
                        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                            if ui.button("Delete contact").clicked() {
                                cmds.push(Command::DeleteContact(c.meta.id));
                            }
                        });
                    }
                });
            }
        });
        if modal.should_close() {
            self.request_close(cmds);
        }
    }

    fn request_close(&mut self, cmds: &mut Vec<Command>) {
        if self.is_dirty() && !self.confirm_discard {
            self.confirm_discard = true;
        } else {
            cmds.push(Command::CloseContactForm);
        }
    }

    fn fields(&mut self, ui: &mut Ui, lookup: &Lookup, today: NaiveDate) {
        let who_id = egui::Id::unique("contact_form_who");
        // A name is offered as new only once everyone already in the log can be matched.
        let people_ready = lookup.people_ready();
        let who = widgets::type_ahead(
            ui,
            "Who",
            who_id,
            &mut self.who,
            &lookup.person_choices(&self.people),
            &mut self.people,
            people_ready.then_some("new person"),
        );
        if !people_ready {
            ui.weak("Reading the names of the people already in the log...");
        }
        if std::mem::take(&mut self.focus_who) {
            who.request_focus();
        }
        ui.horizontal(|ui| {
            let l = ui.label("People who gave no name");
            ui.add(egui::DragValue::new(&mut self.unnamed).range(0..=10_000))
                .labelled_by(l.id);
        });
        widgets::type_ahead(
            ui,
            "Topics",
            egui::Id::unique("contact_form_topics"),
            &mut self.topic,
            &lookup.tag_names,
            &mut self.tags,
            Some("new topic"),
        );
        labelled_multiline(ui, "Note", &mut self.note, 4);
        if let Some(warning) = crate::model::purpose_warning(&self.note) {
            ui.colored_label(ui.visuals().warn_fg_color, warning);
        }
        ui.add_space(4.0);
        egui::Grid::new("contact_form_grid")
            .num_columns(2)
            .spacing([16.0, 6.0])
            .show(ui, |ui| {
                choice(ui, "Kind", &mut self.kind, &ContactKind::ALL, |k| {
                    k.label().to_string()
                });
                choice(ui, "Tone", &mut self.tone, &Tone::ALL, |t| {
                    format!("{} ({}/5)", t.label(), t.step())
                });
                ui.end_row();
                ui.horizontal(|ui| {
                    ui.label("Started by");
                    ui.selectable_value(&mut self.initiated_by, Initiator::Resident, "Resident");
                    ui.selectable_value(&mut self.initiated_by, Initiator::Officer, "Officer");
                });
                let hood_ids: Vec<Option<Id>> = lookup
                    .neighborhoods
                    .iter()
                    .map(|n| Some(n.meta.id))
                    .collect();
                choice(ui, "Neighborhood", &mut self.neighborhood, &hood_ids, |h| {
                    h.map(|h| lookup.hood_name(h))
                        .unwrap_or_else(|| "(choose)".into())
                });
                ui.end_row();
            });
        labelled_text(
            ui,
            "Where",
            &mut self.place,
            "Elm St & 5th, Rosa's Bakery ...",
        );
        labelled_text(ui, "When", &mut self.when, "YYYY-MM-DD HH:MM");

        ui.add_space(6.0);
        ui.checkbox(&mut self.follow_up, "I promised a follow-up");
        if self.follow_up {
            ui.indent("follow_up", |ui| {
                labelled_text(
                    ui,
                    "What I promised",
                    &mut self.promise,
                    "Ask public works about the streetlight",
                );
                if self.people.len() > 1 {
                    let names: Vec<String> =
                        self.people.iter().map(|p| pick_name(p, lookup)).collect();
                    let options: Vec<usize> = (0..names.len()).collect();
                    let mut to = self.promise_index();
                    choice(ui, "Promised to", &mut to, &options, |i| names[i].clone());
                    self.promise_to = self.people.get(to).cloned();
                }
                ui.horizontal(|ui| {
                    let l = ui.label("Due");
                    ui.add(egui::TextEdit::singleline(&mut self.due).desired_width(100.0))
                        .labelled_by(l.id);
                    for pick in DueQuickPick::ALL {
                        if ui.button(pick.label()).clicked() {
                            self.due = pick.date_from(today).to_string();
                        }
                    }
                    date_picker(ui, &mut self.due, today, "due_picker");
                });
            });
        }

        if !self.history.is_empty() {
            ui.add_space(6.0);
            ui.collapsing(
                format!("History ({} earlier revisions)", self.history.len()),
                |ui| {
                    for r in self.history.iter().rev() {
                        let when = r.changed_at.with_timezone(&Local).format(WHEN_FORMAT);
                        let by = lookup.officer_name(r.changed_by);
                        ui.label(if r.set_aside {
                            format!(
                                "A version by {by} of {when} (revision {}), edited apart and not \
                                 taken when logs were merged: \"{}\"",
                                r.revision,
                                super::screens::first_line(
                                    r.previous["note"].as_str().unwrap_or(""),
                                    80
                                )
                            )
                        } else {
                            format!(
                                "Revision {} replaced {when} by {by}: changed {}",
                                r.revision,
                                r.changed.join(", ")
                            )
                        });
                    }
                },
            );
        }
    }

    /// Builds the contact to save from the form, given the ids of people and topics (new ones
    /// already created by the caller) and a fresh meta for a new contact.
    pub fn to_contact(
        &self,
        meta: crate::model::Meta,
        people: Vec<Id>,
        tags: Vec<Id>,
    ) -> Result<Contact, String> {
        let neighborhood = self.neighborhood.ok_or("Choose a neighborhood.")?;
        Ok(Contact {
            meta,
            at: self.parsed_when()?,
            neighborhood,
            place: self.place.trim().to_string(),
            kind: self.kind,
            people,
            unnamed: self.unnamed,
            initiated_by: self.initiated_by,
            tags,
            tone: self.tone,
            note: self.note.trim().to_string(),
        })
    }

    /// The follow-up promised in the form, if any.
    pub fn to_follow_up(
        &self,
        meta: crate::model::Meta,
        contact: &Contact,
    ) -> Result<Option<FollowUp>, String> {
        if !self.follow_up {
            return Ok(None);
        }
        Ok(Some(FollowUp {
            meta,
            promise: self.promise.trim().to_string(),
            person: contact.people.get(self.promise_index()).copied(),
            contact: Some(contact.meta.id),
            neighborhood: contact.neighborhood,
            due: self.parsed_due()?,
            status: crate::model::FollowUpStatus::Open,
        }))
    }
}

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
            .show_icon(false),
    );
    if date != before {
        *text = format!("{:04}-{:02}-{:02}", date.year(), date.month(), date.day());
    }
}

/// The name shown for a pick: the person's name, or the new name being created.
fn pick_name(pick: &Pick<Id>, lookup: &Lookup) -> String {
    match pick {
        Pick::Existing(id) => lookup.person_name(*id),
        Pick::New(name) => name.clone(),
    }
}
