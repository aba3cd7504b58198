//! Contacts and follow-ups: opening the contact form, deleting a contact and bringing it (or a deleted priority) back,
//! and opening the dialog that closes a follow-up. Saving the form and closing the follow-up
//! are in `form_actions`.

use crate::model::{Contact, FollowUp, Id, Priority, Verdict};
use crate::ui::contact_form::{ContactForm, ReturnedBy};
use crate::ui::screens::{followups, ClosingFollowUp};
use crate::ui::workspace::{Status, Undo, Workspace};

impl Workspace {
    /// Opens an empty form, in the neighborhood of the last contact.
    pub(super) fn new_contact(&mut self) {
        let last = self
            .lookup
            .profile
            .as_ref()
            .and_then(|p| p.last_neighborhood);
        let last = last.map(|h| self.lookup.names.canonical(h));
        self.form = Some(ContactForm::new(last, self.now()));
    }

    pub(super) fn edit_contact(&mut self, id: Id) {
        match self.store.get::<Contact>(id) {
            Ok(Some(c)) => {
                let history = self.store.history::<Contact>(id).unwrap_or_default();
                let returned = self.returned_by(&c);
                // The promise made there shows in its fields, so changing it (a partner's
                // reference come in) edits that promise rather than making a second one.
                let promise = match crate::query::followups::open_promise_made_at(&self.store, &c) {
                    Ok(promise) => promise,
                    Err(e) => {
                        return self.fail(format!("The contact's promise could not be read: {e}"))
                    }
                };
                let mut form = ContactForm::edit(c, history, self.now());
                form.fold_names(&self.lookup.names);
                form.returned = returned;
                if let Some(promise) = promise {
                    form.edit_promise(promise);
                }
                self.form = Some(form);
            }
            Ok(None) => self.fail("That contact no longer exists."),
            Err(e) => self.fail(e.to_string()),
        }
    }

    /// The sergeant's reason for returning `c`, while the entry awaits the officer's answer
    /// (returned, and not edited since). A review that cannot be read leaves the form as it
    /// is: the reason is on Today as well.
    fn returned_by(&self, c: &Contact) -> Option<ReturnedBy> {
        let reviews = crate::query::review_queue::latest_reviews(&self.store).ok()?;
        let review = reviews.get(&c.meta.id)?;
        let Verdict::Returned { reason } = &review.verdict else {
            return None;
        };
        review.awaits_answer(c.meta.revision).then(|| ReturnedBy {
            sergeant: self.lookup.officer_name(review.meta.owner()),
            reason: reason.clone(),
            comment: review.comment.clone(),
        })
    }

    /// Deletes a contact; the status line offers to undo it.
    pub(super) fn delete_contact(&mut self, id: Id) {
        match self.store.delete::<Contact>(id, self.me()) {
            Ok(_) => {
                self.form = None;
                self.changed();
                self.status = Some(Status {
                    text: "Contact deleted.".into(),
                    is_error: false,
                    undo: Some(Undo::Contact(id)),
                });
            }
            Err(e) => self.fail(e.to_string()),
        }
    }

    /// Brings back the contact the status line offers to undo the deletion of.
    pub(super) fn undo_delete(&mut self) {
        let Some(undo) = self.status.as_ref().and_then(|s| s.undo) else {
            return;
        };
        let me = self.me();
        let (restored, what) = match undo {
            Undo::Contact(id) => (self.store.restore::<Contact>(id, me).map(|_| ()), "Contact"),
            Undo::Priority(id) => (
                self.store.restore::<Priority>(id, me).map(|_| ()),
                "Priority",
            ),
        };
        match restored {
            Ok(()) => {
                self.changed();
                self.say(format!("{what} restored."));
            }
            Err(e) => self.fail(e.to_string()),
        }
    }

    /// Opens the dialog asking how a follow-up ended, if it is still open.
    pub(super) fn start_closing_follow_up(&mut self, id: Id, dropped: bool) {
        // A list being read again beside the UI may still show a promise since closed.
        let (promise, revision) = match self.store.get::<FollowUp>(id) {
            Ok(Some(f)) if f.status.is_open() && !f.meta.deleted => {
                (followups::promise_text(&f, &self.lookup), f.meta.revision)
            }
            Ok(Some(f)) if !f.meta.deleted => {
                return self.fail(format!(
                    "That follow-up is already closed ({}).",
                    f.status.label().to_lowercase()
                ))
            }
            Ok(_) => return self.fail("That follow-up no longer exists."),
            Err(e) => return self.fail(e.to_string()),
        };
        self.closing = Some(ClosingFollowUp {
            id,
            revision,
            dropped,
            promise,
            outcome: String::new(),
            error: None,
            focus_pending: true,
        });
    }
}
