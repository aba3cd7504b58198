//! People and neighborhoods: opening and saving a person, merging two records of one person
//! (and undoing it), adding a neighborhood (under a name no other neighborhood has) and
//! writing in its journal.

use crate::model::{normalize_name, Id, JournalNote, Neighborhood, Person, PersonRole};
use crate::ui::command::Screen;
use crate::ui::workspace::Workspace;

impl Workspace {
    pub(super) fn open_person(&mut self, id: Id) {
        self.people.open(id, &self.lookup);
        self.screen = Screen::People;
    }

    /// Opens an empty person on the People screen, in the neighborhood of the last contact.
    pub(super) fn new_person(&mut self) {
        match self.store.new_meta(self.me()) {
            Ok(meta) => {
                let hood = self
                    .lookup
                    .profile
                    .as_ref()
                    .and_then(|p| p.last_neighborhood);
                self.people.start_new(Person {
                    meta,
                    name: String::new(),
                    role: PersonRole::Resident,
                    neighborhood: hood,
                    notes: String::new(),
                    consent: None,
                });
                self.screen = Screen::People;
            }
            Err(e) => self.fail(e.to_string()),
        }
    }

    /// Saves a person; a refusal is shown on the person's page, beside what was typed.
    pub(super) fn save_person(&mut self, person: Person) {
        match self.store.save(person, self.me()) {
            Ok(saved) => {
                self.changed();
                self.people.show_saved(saved.clone());
                self.say(format!("Saved {}.", saved.name));
            }
            Err(e) => self.people.error = Some(e.to_string()),
        }
    }

    /// Keeps what was decided about two people who share a name: one person (`Some(true)`),
    /// two (`Some(false)`), or nothing decided any more (`None`, "Separate again"). Neither
    /// record is changed: they may be another officer's, signed by them.
    pub(super) fn decide_people(&mut self, a: Id, b: Id, same: Option<bool>) {
        let names = format!(
            "{} and {}",
            self.lookup.person_name(a),
            self.lookup.person_name(b)
        );
        let done = match same {
            Some(same) => self.store.link_people(a, b, same, self.me()).map(|_| ()),
            None => self.store.unlink_people(a, b).map(|_| ()),
        };
        match done {
            Ok(()) => {
                self.changed();
                self.people.merging = None;
                self.say(match same {
                    Some(true) => format!("Merged {names}: they are shown as one person."),
                    Some(false) => format!("Kept {names} as two people."),
                    None => format!("Separated {names}: they are two people again."),
                });
            }
            Err(e) => self.fail(e.to_string()),
        }
    }

    pub(super) fn open_neighborhood(&mut self, id: Id) {
        self.neighborhoods.selected = Some(id);
        self.screen = Screen::Neighborhoods;
    }

    pub(super) fn add_journal_note(&mut self, neighborhood: Id, text: String) {
        let me = self.me();
        let result = self.store.new_meta(me).and_then(|meta| {
            self.store.save(
                JournalNote {
                    meta,
                    neighborhood,
                    date: self.today(),
                    text,
                },
                me,
            )
        });
        match result {
            Ok(_) => {
                self.neighborhoods.drafts.remove(&neighborhood);
                self.changed();
                self.say("Journal note saved.");
            }
            Err(e) => self.fail(e.to_string()),
        }
    }

    /// Adds a neighborhood, refused when another one has the same name (letter case and
    /// spacing aside).
    pub(super) fn add_neighborhood(&mut self, name: String) {
        if let Some(taken) = self.neighborhood_named(&name) {
            return self.fail(taken);
        }
        let me = self.me();
        let result = self.store.new_meta(me).and_then(|meta| {
            self.store.save(
                Neighborhood {
                    meta,
                    name: name.trim().to_string(),
                },
                me,
            )
        });
        match result {
            Ok(n) => {
                self.neighborhoods.new_name.clear();
                self.neighborhoods.selected = Some(n.meta.id);
                self.changed();
                self.say(format!("Added neighborhood {}.", n.name));
            }
            Err(e) => self.fail(e.to_string()),
        }
    }

    /// Why a new neighborhood cannot take `name`: one of that name is already in the log.
    fn neighborhood_named(&self, name: &str) -> Option<String> {
        let wanted = normalize_name(name);
        self.lookup
            .neighborhoods
            .iter()
            .any(|n| normalize_name(&n.name) == wanted)
            .then(|| format!("There is already a neighborhood called {}.", name.trim()))
    }
}
