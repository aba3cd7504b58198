//! Retention and forgetting: working out what the retention policy or a forgetting removes,
//! and carrying it out once the user confirmed it (the store records it in the audit trail).

use crate::model::Id;
use crate::query::retention::{plan_forget, plan_purge};
use crate::ui::retention::PendingRemoval;
use crate::ui::workspace::Workspace;

impl Workspace {
    pub(super) fn preview_purge(&mut self) {
        let policy = self
            .lookup
            .profile
            .as_ref()
            .map(|p| p.retention)
            .unwrap_or_default();
        match plan_purge(&self.store, policy, self.now()) {
            Ok(plan) if plan.is_empty() => {
                self.say("Nothing in the log is older than the retention policy allows.")
            }
            Ok(plan) => self.pending_removal = Some(PendingRemoval::Purge(plan)),
            Err(e) => self.fail(format!("The purge could not be prepared: {e}")),
        }
    }

    pub(super) fn ask_forget(&mut self, person: Id) {
        match plan_forget(&self.store, person) {
            Ok(plan) => self.pending_removal = Some(PendingRemoval::Forget(plan)),
            Err(e) => self.fail(format!("Forgetting could not be prepared: {e}")),
        }
    }

    /// Carries out the removal the user confirmed.
    pub(super) fn confirm_removal(&mut self) {
        let Some(pending) = self.pending_removal.take() else {
            return;
        };
        let me = self.me();
        let (result, done) = match &pending {
            PendingRemoval::Purge(plan) => {
                let summary = plan.summary();
                (
                    self.store.scrub(
                        &plan.targets(),
                        me,
                        "purged by the retention policy",
                        plan.audit_subject(),
                    ),
                    format!("Purged: {summary}."),
                )
            }
            PendingRemoval::Forget(plan) => {
                match self
                    .store
                    .forget_person(plan.person, &plan.drop, &plan.targets, me)
                {
                    Ok(forgetting) => (
                        Ok(()),
                        format!(
                            "The person is removed everywhere, with every earlier version; {} \
                             other entries no longer name them. {}",
                            plan.mentions,
                            forgetting.copies_removed()
                        ),
                    ),
                    Err(e) => (Err(e), String::new()),
                }
            }
        };
        match result {
            Ok(()) => {
                if let PendingRemoval::Forget(plan) = &pending {
                    if self.people.selected == Some(plan.person) {
                        self.people = Default::default();
                    }
                }
                self.changed();
                self.say(done);
            }
            Err(e) => self.fail(format!("Nothing was removed: {e}")),
        }
    }
}
