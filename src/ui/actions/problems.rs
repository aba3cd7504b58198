//! Problems and priorities: starting a problem from what shows it, saving its page (a stage
//! move is a save with the new stage), and the priorities agreed with a neighborhood.

use crate::model::{Id, Priority, Problem, Stage};
use crate::ui::command::{ProblemSeed, Screen};
use crate::ui::workspace::{Status, Undo, Workspace};

/// Said when a problem or priority names a neighborhood the log no longer has.
const NO_NEIGHBORHOOD: &str =
    "That neighborhood is no longer in the log (removed or merged): choose another one.";

impl Workspace {
    /// Opens the page of a new problem, not saved until the officer saves it, filled in from
    /// what it was started from.
    pub(super) fn new_problem(&mut self, seed: ProblemSeed) {
        let me = self.me();
        let neighborhood = seed
            .neighborhood
            .or_else(|| {
                self.lookup
                    .profile
                    .as_ref()
                    .and_then(|p| p.last_neighborhood)
                    .filter(|&h| self.lookup.neighborhood(h).is_some())
            })
            .or_else(|| self.lookup.neighborhoods.first().map(|n| n.meta.id));
        let Some(neighborhood) = neighborhood else {
            return self
                .fail("Add a neighborhood first (Neighborhoods screen): a problem is in one.");
        };
        // Noticed when the first contact that shows it was made, or today.
        let noticed = seed
            .contacts
            .iter()
            .filter_map(|id| self.store.get::<crate::model::Contact>(*id).ok().flatten())
            .map(|c| c.at.with_timezone(&chrono::Local).date_naive())
            .min()
            .unwrap_or_else(|| self.today());
        let meta = match self.store.new_meta(me) {
            Ok(m) => m,
            Err(e) => return self.fail(e.to_string()),
        };
        self.problems.start(Problem {
            meta,
            title: seed.title,
            neighborhood: self.lookup.names.canonical(neighborhood),
            places: seed.places,
            topics: seed
                .topics
                .into_iter()
                .map(|t| self.lookup.names.canonical(t))
                .collect(),
            owner: me,
            noticed,
            stage: Stage::Scanning,
            notes: Default::default(),
            contacts: seed.contacts,
            actions: Vec::new(),
            outcome: None,
            published: Vec::new(),
        });
        self.screen = Screen::Problems;
    }

    pub(super) fn open_problem(&mut self, id: Id) {
        self.problems.open(id);
        self.screen = Screen::Problems;
    }

    pub(super) fn save_problem(&mut self, problem: Problem) {
        let id = problem.meta.id;
        if self.lookup.neighborhood(problem.neighborhood).is_none() {
            return self.problems.refused(id, NO_NEIGHBORHOOD.into());
        }
        // A problem changed in the log under the page (a sync or an import, or a person
        // forgotten, which keeps the revision) is not written over with the page's older copy.
        if let Some(base) = self.problems.drafts.get(&id).and_then(|d| d.saved.as_ref()) {
            match self.store.get::<Problem>(id) {
                Ok(now) if now.as_ref() != Some(base) => {
                    return self
                        .problems
                        .refused(id, crate::ui::screens::problems::CHANGED_ELSEWHERE.into());
                }
                Ok(_) => {}
                Err(e) => return self.problems.refused(id, e.to_string()),
            }
        }
        let moved = self
            .problems
            .drafts
            .get(&id)
            .and_then(|d| d.saved.as_ref())
            .map(|p| p.stage)
            .filter(|s| *s != problem.stage);
        match self.store.save(problem, self.me()) {
            Ok(saved) => {
                self.changed();
                let text = match moved {
                    Some(_) if saved.stage == Stage::Closed => format!(
                        "Closed \"{}\": {}.",
                        saved.title,
                        saved.outcome.map_or("", |o| o.label()).to_lowercase()
                    ),
                    Some(_) => format!("\"{}\" moved to {}.", saved.title, saved.stage.label()),
                    None => format!("Saved \"{}\".", saved.title),
                };
                self.problems.saved(saved);
                self.say(text);
            }
            Err(e) => self.problems.refused(id, e.to_string()),
        }
    }

    /// Saves the priority typed on `hood`'s page.
    pub(super) fn save_priority(&mut self, hood: Id) {
        let me = self.me();
        let Some(draft) = self.neighborhoods.priority_drafts.get(&hood) else {
            return;
        };
        if self.lookup.neighborhood(hood).is_none() {
            return self
                .neighborhoods
                .priority_refused(hood, NO_NEIGHBORHOOD.into());
        }
        let priority =
            match draft.to_priority(hood, || self.store.new_meta(me).map_err(|e| e.to_string())) {
                Ok(p) => p,
                Err(e) => return self.neighborhoods.priority_refused(hood, e),
            };
        match self.store.save(priority, me) {
            Ok(saved) => {
                self.changed();
                self.neighborhoods.priority_saved(hood);
                self.say(format!("Priority saved: {}.", saved.concern));
            }
            Err(e) => self.neighborhoods.priority_refused(hood, e.to_string()),
        }
    }

    pub(super) fn delete_priority(&mut self, id: Id) {
        match self.store.delete::<Priority>(id, self.me()) {
            Ok(_) => {
                self.changed();
                self.status = Some(Status {
                    text: "Priority deleted.".into(),
                    is_error: false,
                    undo: Some(Undo::Priority(id)),
                });
            }
            Err(e) => self.fail(e.to_string()),
        }
    }
}
