//! Problems and priorities: starting a problem from what shows it, saving its stages, and the
//! priorities agreed with a neighborhood.

use crate::model::{Id, Priority, Problem};
use crate::ui::command::{ProblemSeed, Screen};
use crate::ui::workspace::Workspace;

impl Workspace {
    pub(super) fn new_problem(&mut self, _seed: ProblemSeed) {
        self.screen = Screen::Problems;
    }

    pub(super) fn open_problem(&mut self, _id: Id) {
        self.screen = Screen::Problems;
    }

    pub(super) fn save_problem(&mut self, problem: Problem) {
        match self.store.save(problem, self.me()) {
            Ok(_) => self.changed(),
            Err(e) => self.fail(e.to_string()),
        }
    }

    pub(super) fn save_priority(&mut self, priority: Priority) {
        match self.store.save(priority, self.me()) {
            Ok(_) => self.changed(),
            Err(e) => self.fail(e.to_string()),
        }
    }

    pub(super) fn delete_priority(&mut self, _id: Id) {}
}
