//! Saving what the contact form and the follow-up dialog hold: a contact with the people and
//! topics typed into it, and a promise closed with its outcome.

use chrono::Utc;

use super::contact_form::ContactForm;
use super::widgets::Pick;
use super::workspace::Workspace;
use crate::model::{Contact, FollowUp, FollowUpStatus, Id, Person, PersonRole, Tag};
use crate::store::StoreError;

impl Workspace {
    /// Opens the contact form within the frame in which its shortcut was pressed, with the
    /// focus already in "Who": the keys typed in that same frame (a slow frame holds several)
    /// then land in "Who" instead of in no field, or in a field of the screen behind.
    pub(super) fn open_contact_form_now(&mut self, ctx: &egui::Context) {
        self.apply(super::command::Command::NewContact);
        if let Some(form) = &self.form {
            form.focus_who_now(ctx);
        }
    }

    /// The topic called `name`: the squad's record of that name when there is one (any of
    /// its records, in any case: see `query::names`), else a new one.
    pub(super) fn create_tag(&self, name: &str, me: Id) -> Result<Id, String> {
        let name = Tag::normalize(name);
        if self.lookup.names.has_live_topic(&name) {
            if let Some(id) = self.lookup.names.topic_named(&name) {
                return Ok(id);
            }
        }
        let meta = self.store.new_meta(me).map_err(|e| e.to_string())?;
        self.store
            .stage(Tag { meta, name }, me)
            .map(|t| t.meta.id)
            .map_err(|e| e.to_string())
    }

    pub(super) fn save_contact_form(&mut self) {
        let Some(mut form) = self.form.take() else {
            return;
        };
        let typed_name = form.who.input.trim().to_string();
        if !typed_name.is_empty() && !self.lookup.people_ready() {
            // Matched now, the name could become a second record of someone already there.
            form.error = Some(format!(
                "The names of the people already in the log are still being read. Save again in a moment, so that \"{typed_name}\" is matched with the right person."
            ));
            self.form = Some(form);
            return;
        }
        let typed_taken = form.take_pending_input(&self.lookup);
        let ask_about_note = form.should_ask_about_empty_note();
        if !typed_taken || ask_about_note {
            // Nothing is written until what was typed is settled; each field says what it needs.
            form.messages.asked_empty_note |= ask_about_note;
            form.error = Some(form.unsettled_summary());
            form.confirm_discard = false;
            self.form = Some(form);
            return;
        }
        let was_edit = form.original.is_some();
        let as_typed = form.clone();
        match self.write_contact(&mut form) {
            Ok(c) => {
                self.changed();
                let who = self.lookup.who(&c);
                let verb = if was_edit { "Updated" } else { "Saved" };
                self.say(format!("{verb} contact with {who}."));
            }
            Err(e) => {
                if self.store.is_poisoned() {
                    // The disk failed under the store. Part of what was staged may still have
                    // reached the disk: once reopened, the form is checked against what is there.
                    form.before_save = Some(Box::new(as_typed));
                } else {
                    // New people or topics may have been created before the failure.
                    self.changed();
                }
                form.error = Some(e);
                form.confirm_discard = false;
                self.form = Some(form);
            }
        }
    }

    /// Creates new people and topics, then the contact and its follow-up, and flushes.
    /// Everything is validated before the first write. What gets written is noted in the form
    /// (new names become existing records, the contact becomes an edit), so a retry after a
    /// failed write never creates anything twice.
    fn write_contact(&mut self, form: &mut ContactForm) -> Result<Contact, String> {
        let me = self.me();
        let err = |e: StoreError| e.to_string();
        let hood = form.neighborhood.ok_or("Choose a neighborhood.")?;
        let at = form.parsed_when()?;
        if at > self.now() + chrono::Duration::days(1) {
            return Err(format!(
                "{} is in the future. Check the date under When.",
                form.when.trim()
            ));
        }
        if form.follow_up {
            form.parsed_due()?;
            crate::model::check_short("What you promised", &form.promise)
                .map_err(|e| e.to_string())?;
        }
        for pick in &form.people {
            if let Pick::New(name) = pick {
                crate::model::check_short("A new person's name", name)
                    .map_err(|e| e.to_string())?;
            }
        }
        for pick in &form.tags {
            if let Pick::New(name) = pick {
                crate::model::check_short("A new topic", name).map_err(|e| e.to_string())?;
            }
        }
        let placeholder_people = vec![Id::default(); form.people.len()];
        let probe = form.to_contact(
            crate::model::Meta::new(Id::default(), me, at),
            placeholder_people,
            Vec::new(),
        )?;
        probe.validate().map_err(|e| e.to_string())?;

        for i in 0..form.people.len() {
            if let Pick::New(name) = &form.people[i] {
                let person = Person {
                    meta: self.store.new_meta(me).map_err(err)?,
                    name: name.clone(),
                    role: PersonRole::Resident,
                    neighborhood: Some(hood),
                    notes: String::new(),
                    consent: None,
                };
                let id = self.store.stage(person, me).map_err(err)?.meta.id;
                if form.promise_to.as_ref() == Some(&form.people[i]) {
                    form.promise_to = Some(Pick::Existing(id));
                }
                form.people[i] = Pick::Existing(id);
            }
        }
        for i in 0..form.tags.len() {
            if let Pick::New(name) = &form.tags[i] {
                form.tags[i] = Pick::Existing(self.create_tag(name, me)?);
            }
        }
        let ids = |picks: &[Pick<Id>]| -> Vec<Id> {
            picks
                .iter()
                .filter_map(|p| match p {
                    Pick::Existing(id) => Some(*id),
                    Pick::New(_) => None,
                })
                .collect()
        };
        let meta = match &form.original {
            Some(c) => c.meta.clone(),
            None => self
                .store
                .new_id_at(at)
                .map(|id| crate::model::Meta::new(id, me, Utc::now()))
                .map_err(err)?,
        };
        let contact = form.to_contact(meta, ids(&form.people), ids(&form.tags))?;
        let contact = self.store.stage(contact, me).map_err(err)?;
        form.original = Some(contact.clone());
        if let Some(f) = form.to_follow_up(self.store.new_meta(me).map_err(err)?, &contact)? {
            form.staged_follow_up = Some(self.store.stage(f, me).map_err(err)?.meta.id);
            form.follow_up = false;
        }
        self.store.flush().map_err(err)?;
        if let Some(mut profile) = self.lookup.profile.clone() {
            if profile.last_neighborhood != Some(hood) {
                profile.last_neighborhood = Some(hood);
                // Only a convenience for the next form: the contact itself is already saved.
                let _ = self.store.set_profile(&profile);
            }
        }
        Ok(contact)
    }

    pub(super) fn finish_closing(&mut self, me: Id) {
        let today = self.today();
        let Some(closing) = &mut self.closing else {
            return;
        };
        let outcome = closing.outcome.trim().to_string();
        if outcome.is_empty() {
            closing.error = Some("Say what came of it: the outcome cannot be empty.".into());
            return;
        }
        let result = self.store.get::<FollowUp>(closing.id).and_then(|f| {
            let mut f = f.ok_or(StoreError::NotFound(crate::model::RecordKind::FollowUp))?;
            // Changed since the dialog opened (closed elsewhere, or by an imported bundle):
            // refused like any other edit made on an older revision.
            f.meta.revision = closing.revision;
            let on = today;
            f.status = if closing.dropped {
                FollowUpStatus::Dropped { on, outcome }
            } else {
                FollowUpStatus::Done { on, outcome }
            };
            self.store.save(f, me)
        });
        match result {
            Ok(f) => {
                self.closing = None;
                self.changed();
                self.say(format!(
                    "Follow-up marked {}.",
                    f.status.label().to_lowercase()
                ));
            }
            Err(e) => closing.error = Some(e.to_string()),
        }
    }
}
