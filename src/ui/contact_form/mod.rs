//! The "Log a contact" form: a modal reachable from every screen with Ctrl+N, built for the
//! keyboard. Focus starts in "Who"; Tab walks the fields in the order they are used (Who,
//! Topics, Note, the promise, then the rest); Alt+F turns the promise on and jumps to it;
//! Ctrl+Enter saves and Esc closes.
//!
//! The promise may wait on a partner agency (public works, the housing authority): the agency,
//! their reference and the day to chase them are part of it. Editing a contact shows the open
//! promise made there, once it is handed to the form (see [`ContactForm::edit_promise`]), and
//! saving writes the promise's changes to that same record. A saved contact can start a
//! community problem ("Open a problem about this", see `buttons`).
//!
//! Nothing typed may vanish or turn into something else: keys typed in the frame that opens
//! the form or moves the focus land in the field that takes the focus (see
//! [`ContactForm::show`]), the count of unnamed people refuses letters where they are typed,
//! and a save stops and says so beside the field rather than guess (see
//! [`ContactForm::take_pending_input`]).

use chrono::{DateTime, Local, NaiveDate, NaiveDateTime, TimeZone, Utc};
use egui::{Key, RichText, Ui};

use super::command::{Command, ProblemSeed};
use super::lookup::Lookup;
use super::widgets::{
    self, choice, labelled_multiline, labelled_text, parse_date, Known, Pick, TypeAhead,
};
use crate::model::{
    normalize_name, Contact, ContactKind, DueQuickPick, FollowUp, Id, Initiator, PartnerWait,
    RecordKind, Revision, Tone,
};

pub use super::shortcuts::{FOLLOW_UP_SHORTCUT, SAVE_SHORTCUT};
use keys::{
    consume_follow_up_shortcut, defer_focus_move_after_typing, give_back_deferred, is_typing,
    take_keys_after_tab,
};

mod fields;
mod keys;
const WHEN_FORMAT: &str = "%Y-%m-%d %H:%M";
/// The most people who gave no name one contact may count (as [`Contact::validate`] allows).
const MAX_UNNAMED: u32 = 10_000;

/// The field the form puts the keyboard focus in before it is drawn next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FocusTarget {
    Who,
    Promise,
}

impl FocusTarget {
    fn id(self) -> egui::Id {
        match self {
            FocusTarget::Who => who_id(),
            FocusTarget::Promise => promise_id(),
        }
    }
}

/// What the form says beside its fields about what was typed there.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FieldMessages {
    /// Unfinished text in "Who" that a save could not take as typed.
    pub who: Option<String>,
    /// Unfinished text in "Topics" that a save could not take as typed.
    pub topics: Option<String>,
    /// Characters the count of people who gave no name refused, or a count too large (which
    /// the save refuses, as [`Contact::validate`] does).
    pub unnamed: Option<String>,
    /// Set when a save found the note empty and asked; the next save goes ahead without one.
    pub asked_empty_note: bool,
    /// The promise waits on a partner, and the agency is missing or too long.
    pub agency: Option<String>,
    /// The day to chase the partner is not a date.
    pub chase: Option<String>,
}

/// What the form says beside the partner a promise waits on, when a save cannot take it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WaitMessages {
    /// The agency is missing or too long (or their reference is too long).
    pub agency: Option<String>,
    /// The day to chase them is not a date.
    pub chase: Option<String>,
}

/// What the row of buttons under the form asks before it goes on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Asking {
    #[default]
    Nothing,
    /// "Open a problem about this" with changes not saved: save them first?
    SaveBeforeProblem,
}

/// The sergeant's word on an entry returned to the officer, shown at the top of the form while
/// the officer answers it by editing.
#[derive(Debug, Clone, PartialEq)]
pub struct ReturnedBy {
    /// The sergeant's name.
    pub sergeant: String,
    pub reason: String,
    /// The coaching comment (empty when none was written).
    pub comment: String,
}

/// Everything typed into the form; kept until saved or knowingly discarded.
#[derive(Clone)]
pub struct ContactForm {
    /// The contact being edited, as it was loaded (None for a new contact).
    pub original: Option<Contact>,
    pub history: Vec<Revision>,
    /// Why the sergeant returned the entry being edited, while it awaits the officer's answer.
    pub returned: Option<ReturnedBy>,
    pub when: String,
    pub neighborhood: Option<Id>,
    pub place: String,
    pub kind: ContactKind,
    pub people: Vec<Pick<Id>>,
    pub who: TypeAhead,
    pub unnamed: u32,
    /// The count of people who gave no name as it stands in its field (digits only).
    pub unnamed_text: String,
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
    /// The promise waits on a partner agency ("Waits on a partner agency").
    pub waits: bool,
    /// The agency it waits on.
    pub agency: String,
    /// Their work order or ticket number.
    pub reference: String,
    /// The day to ask them where it stands, as typed (empty: none).
    pub chase: String,
    /// The open promise made at the contact being edited, as it was loaded: saving the form
    /// writes the promise's fields to this record rather than a new one.
    pub promise_record: Option<FollowUp>,
    pub error: Option<String>,
    pub confirm_discard: bool,
    /// The form as typed before a save that the disk refused (see [`ContactForm::reconcile`]).
    pub before_save: Option<Box<ContactForm>>,
    /// The follow-up written by the last save attempt, if any.
    pub staged_follow_up: Option<Id>,
    pub messages: FieldMessages,
    focus: Option<FocusTarget>,
    /// Text typed in a frame in which the field taking the focus could not read it, handed to
    /// that field in the next frame (see [`ContactForm::show`]).
    carried_keys: Vec<egui::Event>,
    /// A Tab or Alt+F (and the keys after it) held back from the last frame because typing
    /// came before it there (see `keys::defer_focus_move_after_typing`).
    deferred_move: Vec<egui::Event>,
    pristine: Option<String>,
    asking: Asking,
}

impl ContactForm {
    /// A blank form: now, the last neighborhood used, a conversation started by the officer.
    pub fn new(last_neighborhood: Option<Id>, now: DateTime<Utc>) -> Self {
        let now = now.with_timezone(&Local);
        let today = now.date_naive();
        let mut f = ContactForm {
            original: None,
            history: Vec::new(),
            returned: None,
            when: now.format(WHEN_FORMAT).to_string(),
            neighborhood: last_neighborhood,
            place: String::new(),
            kind: ContactKind::Conversation,
            people: Vec::new(),
            who: TypeAhead::default(),
            unnamed: 0,
            unnamed_text: String::new(),
            initiated_by: Initiator::Officer,
            tags: Vec::new(),
            topic: TypeAhead::default(),
            tone: Tone::Neutral,
            note: String::new(),
            follow_up: false,
            promise: String::new(),
            promise_to: None,
            due: DueQuickPick::InThreeDays.date_from(today).to_string(),
            waits: false,
            agency: String::new(),
            reference: String::new(),
            chase: String::new(),
            promise_record: None,
            error: None,
            confirm_discard: false,
            before_save: None,
            staged_follow_up: None,
            messages: FieldMessages::default(),
            focus: Some(FocusTarget::Who),
            carried_keys: Vec::new(),
            deferred_move: Vec::new(),
            pristine: None,
            asking: Asking::Nothing,
        };
        f.pristine = Some(f.fingerprint());
        f
    }

    /// Names the contact's neighborhood and topics by their canonical records (see
    /// `query::names`), so the pickers, which offer each name once, show them; a topic named
    /// twice under two records is kept once. The form counts as untouched afterwards.
    pub fn fold_names(&mut self, names: &crate::query::SquadNames) {
        let untouched = self.pristine == Some(self.fingerprint());
        self.neighborhood = self.neighborhood.map(|h| names.canonical(h));
        let mut tags: Vec<Pick<Id>> = Vec::with_capacity(self.tags.len());
        for pick in self.tags.drain(..) {
            let pick = match pick {
                Pick::Existing(t) => Pick::Existing(names.canonical(t)),
                new => new,
            };
            if !tags.contains(&pick) {
                tags.push(pick);
            }
        }
        self.tags = tags;
        if untouched {
            self.pristine = Some(self.fingerprint());
        }
    }

    /// A form filled from an existing contact, for editing.
    pub fn edit(c: Contact, history: Vec<Revision>, now: DateTime<Utc>) -> Self {
        let mut f = ContactForm::new(Some(c.neighborhood), now);
        f.when = c.at.with_timezone(&Local).format(WHEN_FORMAT).to_string();
        f.place = c.place.clone();
        f.kind = c.kind;
        f.people = c.people.iter().map(|&p| Pick::Existing(p)).collect();
        f.unnamed = c.unnamed;
        if c.unnamed > 0 {
            f.unnamed_text = c.unnamed.to_string();
        }
        f.initiated_by = c.initiated_by;
        f.tags = c.tags.iter().map(|&t| Pick::Existing(t)).collect();
        f.tone = c.tone;
        f.note = c.note.clone();
        f.original = Some(c);
        f.history = history;
        f.pristine = Some(f.fingerprint());
        f
    }

    /// Shows `promise`, an open promise made at the contact being edited, in the promise's
    /// fields (with the partner it waits on); saving writes what is changed there to that
    /// record. A closed promise, or one made elsewhere, is left out. The form counts as
    /// untouched afterwards.
    pub fn edit_promise(&mut self, promise: FollowUp) {
        let made_here = self
            .original
            .as_ref()
            .is_some_and(|c| promise.contact == Some(c.meta.id));
        if !made_here || !promise.status.is_open() || promise.meta.deleted {
            return;
        }
        let untouched = self.pristine == Some(self.fingerprint());
        self.follow_up = true;
        self.promise = promise.promise.clone();
        self.promise_to = promise
            .person
            .map(Pick::Existing)
            .filter(|p| self.people.contains(p));
        self.due = promise.due.to_string();
        let wait = promise.waiting_on.clone().unwrap_or_default();
        self.waits = promise.waiting_on.is_some();
        self.agency = wait.agency;
        self.reference = wait.reference;
        self.chase = wait.chase.map(|d| d.to_string()).unwrap_or_default();
        self.promise_record = Some(promise);
        if untouched {
            self.pristine = Some(self.fingerprint());
        }
    }

    /// The community problem this contact would start: its neighborhood, topics and place,
    /// and the contact itself; the title is left to the officer.
    pub fn problem_seed(&self) -> Option<ProblemSeed> {
        let c = self.original.as_ref()?;
        let place = self.place.trim();
        Some(ProblemSeed {
            title: String::new(),
            neighborhood: self.neighborhood.or(Some(c.neighborhood)),
            places: if place.is_empty() {
                Vec::new()
            } else {
                vec![place.to_string()]
            },
            topics: self
                .tags
                .iter()
                .filter_map(|t| match t {
                    Pick::Existing(id) => Some(*id),
                    Pick::New(_) => None,
                })
                .collect(),
            contacts: vec![c.meta.id],
        })
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
            let loaded = self.promise_record.as_ref().filter(|r| r.meta.id == id);
            if let Some(loaded) = loaded {
                // An edit of a promise already there: it reached the disk only if the stored
                // revision moved past the one loaded.
                match store.get::<FollowUp>(id) {
                    Ok(Some(stored)) if stored.meta.revision > loaded.meta.revision => {
                        self.promise_record = Some(stored);
                        self.follow_up = true;
                    }
                    _ => self.follow_up = before.follow_up,
                }
                self.staged_follow_up = None;
            } else if !on_disk(RecordKind::FollowUp, id) {
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
            "{}|{:?}|{}|{:?}|{:?}|{}|{}|{:?}|{:?}|{}|{:?}|{}|{}|{}|{}|{}|{}|{}|{}|{:?}",
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
            self.waits,
            self.agency,
            self.reference,
            self.chase,
            self.promise_to,
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

    /// The partner the promise waits on, as typed: `None` when the promise does not wait
    /// (or there is no promise); a plain message when the agency is missing or too long, or
    /// the chase date is not a date.
    pub fn partner_wait(&self) -> Result<Option<PartnerWait>, WaitMessages> {
        if !self.follow_up || !self.waits {
            return Ok(None);
        }
        let mut messages = WaitMessages::default();
        let agency = self.agency.trim();
        if agency.is_empty() {
            messages.agency = Some(
                "Name the agency it waits on (public works, housing ...), or untick \"Waits on \
                 a partner agency\"."
                    .into(),
            );
        } else if let Err(e) = crate::model::check_short("The agency it waits on", agency) {
            messages.agency = Some(e.to_string());
        }
        let chase = match self.chase.trim() {
            "" => None,
            typed => match parse_date(typed) {
                Some(d) => Some(d),
                None => {
                    messages.chase = Some(format!(
                        "{} Leave it empty for no chase date.",
                        crate::model::why_not_a_date(typed)
                    ));
                    None
                }
            },
        };
        let reference = self.reference.trim();
        if let Err(e) =
            crate::model::check_text("Their reference", reference, crate::model::MAX_SHORT_CHARS)
        {
            messages.agency.get_or_insert(e.to_string());
        }
        if messages.agency.is_some() || messages.chase.is_some() {
            return Err(messages);
        }
        Ok(Some(PartnerWait {
            agency: agency.to_string(),
            reference: reference.to_string(),
            chase,
        }))
    }

    /// Takes what is still typed in "Who" and "Topics" (not yet picked with Enter or Tab) when
    /// the form is saved. Text is taken as typed only where that cannot be mistaken: the exact
    /// name of a person or topic already in the log, or a name like none there (a new person or
    /// topic, as picking "new" would make it). Text that matches names already there is
    /// usually a search not finished ("Tr" for Mr. Tran): guessing would attach the wrong
    /// person and taking it as new would make a second record of someone, so the save stops
    /// and the field says which names it matches. The partner a promise waits on is checked
    /// here too, so that a save stops before anything is written when its agency is missing
    /// (see [`ContactForm::partner_wait`]). Returns whether everything typed was taken.
    pub fn take_pending_input(&mut self, lookup: &Lookup) -> bool {
        let who = take_unfinished(
            &mut self.who,
            &mut self.people,
            lookup.person_names(),
            "Who",
            "person",
        );
        let topics = take_unfinished(
            &mut self.topic,
            &mut self.tags,
            &lookup.tag_names,
            "Topics",
            "topic",
        );
        let wait = self.partner_wait().err().unwrap_or_default();
        let taken = who.is_ok() && topics.is_ok() && wait.agency.is_none() && wait.chase.is_none();
        self.messages.who = who.err();
        self.messages.topics = topics.err();
        self.messages.agency = wait.agency;
        self.messages.chase = wait.chase;
        taken
    }

    /// Whether a save should first ask "Save without a note?": the note is empty, it was not
    /// asked yet, and the note was not already empty in the contact being edited.
    pub fn should_ask_about_empty_note(&self) -> bool {
        let was_empty = self
            .original
            .as_ref()
            .is_some_and(|c| c.note.trim().is_empty());
        self.note.trim().is_empty() && !self.messages.asked_empty_note && !was_empty
    }

    /// What a save that stopped before writing says beside the Save button: which fields
    /// hold something to settle (their messages say what).
    pub fn unsettled_summary(&self) -> String {
        let fields: Vec<&str> = [
            ("Who", self.messages.who.is_some()),
            ("Topics", self.messages.topics.is_some()),
            ("Agency", self.messages.agency.is_some()),
            ("Chase on", self.messages.chase.is_some()),
        ]
        .into_iter()
        .filter_map(|(name, unsettled)| unsettled.then_some(name))
        .collect();
        if fields.is_empty() {
            "Not saved yet: the note is empty (see above).".into()
        } else {
            format!(
                "Not saved yet: see the message under {}.",
                fields.join(" and ")
            )
        }
    }

    /// Puts the keyboard focus in "Who" at once, within the frame that opened the form, so
    /// keys typed in that frame land there (see [`ContactForm::show`]).
    pub fn focus_who_now(&self, ctx: &egui::Context) {
        ctx.memory_mut(|m| m.request_focus(who_id()));
    }

    /// Draws the form; returns the commands the user asked for.
    ///
    /// egui hands a frame's keys to the field that has the focus while that field is drawn; a
    /// field focused after it was drawn gets nothing of that frame. When frames are slow
    /// (software rendering, a busy laptop) one frame holds several keys, so every move of the
    /// focus the form makes itself (opening in "Who", Alt+F to the promise) is asked for
    /// before the fields are drawn: the keys of that frame then land in the field that takes
    /// the focus. In the form's very first frame no field can read keys at all; those are
    /// carried over (see [`ContactForm::keep_focus_if_lost`]). Tab moves the focus while the
    /// fields are drawn, to the next one, which then reads the frame's keys itself.
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
        // A move held back last frame comes first, then what was typed before it (carried),
        // so that typing in front of a move is read before the move: a move that follows
        // typing in this frame waits for the next.
        let deferred = std::mem::take(&mut self.deferred_move);
        if !deferred.is_empty() {
            give_back_deferred(ctx, deferred);
        }
        let carried = !self.carried_keys.is_empty();
        if carried {
            let keys = std::mem::take(&mut self.carried_keys);
            ctx.input_mut(|i| {
                i.events.splice(0..0, keys);
            });
        }
        self.deferred_move = defer_focus_move_after_typing(ctx);
        if consume_follow_up_shortcut(ctx) {
            self.follow_up = true;
            self.focus = Some(FocusTarget::Promise);
        }
        let focus = self.focus.take();
        if let Some(target) = focus {
            ctx.memory_mut(|m| m.request_focus(target.id()));
        }
        // Text typed after a Tab in the same frame is meant for the field Tab moves to; egui
        // would hand it to the field being left (a text field reads the frame's keys before it
        // learns that the focus moves on). It waits for the next frame, by which the focus has
        // moved.
        let after_tab = take_keys_after_tab(ctx);
        let typed_before = focus.map(|target| self.text_of(target).to_string());
        let title = if self.original.is_some() {
            "Edit contact"
        } else {
            "Log a contact"
        };
        let modal = egui::Modal::new(egui::Id::unique("contact_form")).show(ctx, |ui| {
            ui.set_width(640.0);
            ui.heading(title);
            if let Some(returned) = &self.returned {
                returned_note(ui, returned);
            }
            egui::ScrollArea::vertical()
                .max_height(ctx.content_rect().height() - 140.0)
                .show(ui, |ui| {
                    self.fields(ui, lookup, today);
                });
            ui.separator();
            if let Some(e) = &self.error {
                ui.colored_label(ui.visuals().error_fg_color, e);
            }
            self.buttons(ui, cmds);
        });
        if let (Some(target), Some(before)) = (focus, typed_before) {
            let read = self.text_of(target) != before;
            self.keep_focus_if_lost(ctx, target, carried, read);
        }
        self.carried_keys.extend(after_tab);
        if modal.should_close() {
            self.request_close(cmds);
        }
    }

    /// The first frame of the form is drawn only to measure it: there the field asked to take
    /// the focus may read the frame's keys but loses the focus once drawn, or lose it before
    /// reading them. The focus is then asked for again in the next frame and, if the field
    /// read nothing, the text typed in this frame is carried there for it. (Focus taken by Tab
    /// in the same frame is left where it went.)
    fn keep_focus_if_lost(
        &mut self,
        ctx: &egui::Context,
        target: FocusTarget,
        carried: bool,
        read: bool,
    ) {
        if carried || ctx.memory(|m| m.focused().is_some()) {
            return;
        }
        self.focus = Some(target);
        if read {
            return;
        }
        self.carried_keys =
            ctx.input(|i| i.events.iter().filter(|e| is_typing(e)).cloned().collect());
    }

    /// What is typed in the field the form can put the focus in.
    fn text_of(&self, target: FocusTarget) -> &str {
        match target {
            FocusTarget::Who => &self.who.input,
            FocusTarget::Promise => &self.promise,
        }
    }

    /// Save and Cancel (and, for a contact being edited, Delete and "Open a problem about
    /// this"), or the question whether to discard what was typed, or to save it before the
    /// problem is opened.
    fn buttons(&mut self, ui: &mut Ui, cmds: &mut Vec<Command>) {
        if self.asking == Asking::SaveBeforeProblem && !self.is_dirty() {
            self.asking = Asking::Nothing;
        }
        if self.asking == Asking::SaveBeforeProblem && !self.confirm_discard {
            self.save_before_problem(ui, cmds);
            return;
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
            return;
        }
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
                let id = c.meta.id;
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    if ui.button("Delete contact").clicked() {
                        cmds.push(Command::DeleteContact(id));
                    }
                    // Apart from Delete, so that neither is pressed for the other.
                    ui.add_space(12.0);
                    if ui
                        .button("Open a problem about this")
                        .on_hover_text(
                            "Start a community problem from this contact: its neighborhood, \
                             place and topics, with the contact linked",
                        )
                        .clicked()
                    {
                        self.open_problem(cmds);
                    }
                });
            }
        });
    }

    /// "Open a problem about this": the form closes and the problem opens, seeded from the
    /// contact. Changes not saved yet are not dropped for it: the form asks to save them
    /// first (see [`ContactForm::save_before_problem`]).
    fn open_problem(&mut self, cmds: &mut Vec<Command>) {
        let Some(seed) = self.problem_seed() else {
            return;
        };
        if self.is_dirty() {
            self.asking = Asking::SaveBeforeProblem;
            return;
        }
        cmds.push(Command::CloseContactForm);
        cmds.push(Command::NewProblem(Box::new(seed)));
    }

    /// Asks whether to save the changes before the problem opens. Saving goes first; the
    /// problem then opens behind the form, which closes once saved, or stays open with what
    /// was typed and says why the save stopped.
    fn save_before_problem(&mut self, ui: &mut Ui, cmds: &mut Vec<Command>) {
        ui.horizontal_wrapped(|ui| {
            ui.label(
                RichText::new(
                    "This contact has changes not saved yet. Save them, then open the problem?",
                )
                .strong(),
            );
            if ui.button("Save and open a problem").clicked() {
                self.asking = Asking::Nothing;
                cmds.push(Command::SaveContactForm);
                if let Some(seed) = self.problem_seed() {
                    cmds.push(Command::NewProblem(Box::new(seed)));
                }
            }
            if ui.button("Keep editing").clicked() {
                self.asking = Asking::Nothing;
            }
        });
    }

    fn request_close(&mut self, cmds: &mut Vec<Command>) {
        if self.is_dirty() && !self.confirm_discard {
            self.confirm_discard = true;
        } else {
            cmds.push(Command::CloseContactForm);
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

    /// The follow-up promised in the form, if any: a new one (with `meta`), or the promise
    /// being edited with what changed in it (`None` when nothing did, or when its box was
    /// unticked: it stays as it was, to be closed on the Follow-ups screen).
    pub fn to_follow_up(
        &self,
        meta: crate::model::Meta,
        contact: &Contact,
    ) -> Result<Option<FollowUp>, String> {
        if !self.follow_up {
            return Ok(None);
        }
        let waiting_on = self
            .partner_wait()
            .map_err(|m| m.agency.or(m.chase).unwrap_or_default())?;
        let made = FollowUp {
            meta,
            promise: self.promise.trim().to_string(),
            person: contact.people.get(self.promise_index()).copied(),
            contact: Some(contact.meta.id),
            neighborhood: contact.neighborhood,
            due: self.parsed_due()?,
            status: crate::model::FollowUpStatus::Open,
            waiting_on,
        };
        let Some(record) = &self.promise_record else {
            return Ok(Some(made));
        };
        let edited = FollowUp {
            meta: record.meta.clone(),
            status: record.status.clone(),
            ..made
        };
        Ok((edited != *record).then_some(edited))
    }
}

/// What a save does with text still typed in a type-ahead (see
/// [`ContactForm::take_pending_input`]): moves it into the picks, or says why it cannot.
fn take_unfinished(
    state: &mut TypeAhead,
    picks: &mut Vec<Pick<Id>>,
    known: &[Known<Id>],
    field: &str,
    what: &str,
) -> Result<(), String> {
    let typed = state.input.trim().to_string();
    if typed.is_empty() {
        state.input.clear();
        return Ok(());
    }
    let wanted = normalize_name(&typed);
    let exact = known.iter().any(|k| k.key() == wanted);
    let similar: Vec<&str> = known
        .iter()
        .filter(|k| k.key().contains(&wanted))
        .map(|k| k.name.as_str())
        .take(3)
        .collect();
    if !exact && !similar.is_empty() {
        return Err(format!(
            "\"{typed}\" is not added yet: it matches {}. In {field}, pick the {what} from the \
             list (Enter takes the highlighted one), or choose \"{typed} (new {what})\".",
            similar.join(", ")
        ));
    }
    if let Some(pick) = widgets::resolve_typed(&typed, known) {
        if !picks.contains(&pick) {
            picks.push(pick);
        }
    }
    state.input.clear();
    Ok(())
}

fn who_id() -> egui::Id {
    egui::Id::unique("contact_form_who")
}

fn promise_id() -> egui::Id {
    egui::Id::unique("contact_form_promise")
}

/// The sergeant's reason (and coaching comment) above the fields, in view while the entry is
/// edited to answer it.
fn returned_note(ui: &mut Ui, returned: &ReturnedBy) {
    egui::Frame::group(ui.style())
        .stroke(egui::Stroke::new(1.0, ui.visuals().warn_fg_color))
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.colored_label(
                ui.visuals().warn_fg_color,
                RichText::new(format!(
                    "Returned by {}: {}",
                    returned.sergeant, returned.reason
                ))
                .strong(),
            );
            if !returned.comment.trim().is_empty() {
                ui.label(format!(
                    "Comment from {}: {}",
                    returned.sergeant, returned.comment
                ));
            }
            ui.weak("Edit the entry to answer: once saved, it goes back to the review queue.");
        });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{FollowUpStatus, Meta};
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 25, 10, 0, 0).unwrap()
    }

    fn contact() -> Contact {
        Contact {
            meta: Meta::new(Id(10), Id(1), now()),
            at: now(),
            neighborhood: Id(2),
            place: "Elm St & 5th".into(),
            kind: ContactKind::Conversation,
            people: vec![Id(3)],
            unnamed: 0,
            initiated_by: Initiator::Resident,
            tags: vec![Id(4)],
            tone: Tone::Neutral,
            note: "The alley light is out.".into(),
        }
    }

    fn waiting_form() -> ContactForm {
        let mut f = ContactForm::new(Some(Id(2)), now());
        f.follow_up = true;
        f.promise = "Get the alley light fixed".into();
        f.due = "2026-12-01".into();
        f.waits = true;
        f.agency = " Public works ".into();
        f.reference = "WO-1234".into();
        f.chase = "2026-11-30".into();
        f
    }

    #[test]
    fn a_promise_that_waits_names_the_partner() {
        let f = waiting_form();
        let made = f
            .to_follow_up(Meta::new(Id(11), Id(1), now()), &contact())
            .unwrap()
            .unwrap();
        assert_eq!(
            made.waiting_on,
            Some(PartnerWait {
                agency: "Public works".into(),
                reference: "WO-1234".into(),
                chase: NaiveDate::from_ymd_opt(2026, 11, 30),
            })
        );
        let mut no_chase = waiting_form();
        no_chase.chase = " ".into();
        assert_eq!(no_chase.partner_wait().unwrap().unwrap().chase, None);
        let mut unticked = waiting_form();
        unticked.waits = false;
        assert_eq!(unticked.partner_wait(), Ok(None));
    }

    #[test]
    fn a_wait_without_agency_or_with_a_wrong_chase_date_is_said_beside_them() {
        let mut f = waiting_form();
        f.agency = "  ".into();
        f.chase = "next friday".into();
        let messages = f.partner_wait().unwrap_err();
        assert!(
            messages
                .agency
                .as_deref()
                .unwrap()
                .starts_with("Name the agency"),
            "{messages:?}"
        );
        assert!(
            messages
                .chase
                .as_deref()
                .unwrap()
                .contains("\"next friday\""),
            "{messages:?}"
        );
        assert!(f
            .to_follow_up(Meta::new(Id(11), Id(1), now()), &contact())
            .is_err());
    }

    #[test]
    fn an_edited_contact_shows_its_open_promise_and_saves_its_changes_to_it() {
        let c = contact();
        let mut promise = waiting_form()
            .to_follow_up(Meta::new(Id(11), Id(1), now()), &c)
            .unwrap()
            .unwrap();
        promise.meta.revision = 3;
        let mut form = ContactForm::edit(c.clone(), Vec::new(), now());
        form.edit_promise(promise.clone());
        assert!(!form.is_dirty(), "shown as it is stored");
        assert!(form.follow_up && form.waits);
        assert_eq!(
            (form.agency.as_str(), form.reference.as_str()),
            ("Public works", "WO-1234")
        );
        assert_eq!(form.chase, "2026-11-30");
        let fresh = || Meta::new(Id(99), Id(1), now());
        assert_eq!(
            form.to_follow_up(fresh(), &c).unwrap(),
            None,
            "unchanged, it is not written again"
        );

        form.reference = "WO-1234-B".into();
        assert!(form.is_dirty());
        let saved = form.to_follow_up(fresh(), &c).unwrap().unwrap();
        assert_eq!(saved.meta, promise.meta, "the same record, at its revision");
        assert_eq!(saved.waiting_on.unwrap().reference, "WO-1234-B");

        form.follow_up = false;
        assert_eq!(form.to_follow_up(fresh(), &c).unwrap(), None);

        // A closed promise is not put back into the form.
        let mut form = ContactForm::edit(c.clone(), Vec::new(), now());
        promise.status = FollowUpStatus::Done {
            on: NaiveDate::from_ymd_opt(2026, 11, 28).unwrap(),
            outcome: "Fixed".into(),
        };
        form.edit_promise(promise);
        assert!(!form.follow_up && form.promise_record.is_none());
    }

    #[test]
    fn a_saved_contact_seeds_a_problem() {
        let c = contact();
        assert_eq!(ContactForm::new(Some(Id(2)), now()).problem_seed(), None);
        let mut form = ContactForm::edit(c.clone(), Vec::new(), now());
        form.tags.push(Pick::New("loose dogs".into()));
        assert_eq!(
            form.problem_seed(),
            Some(ProblemSeed {
                title: String::new(),
                neighborhood: Some(Id(2)),
                places: vec!["Elm St & 5th".into()],
                topics: vec![Id(4)],
                contacts: vec![c.meta.id],
            })
        );
    }
}
