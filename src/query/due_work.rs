//! The problem work and the partner chases that fall due, as Today lists them: the actions of
//! open problems due within the coming days, and the dates on which to ask a partner agency
//! where a request stands (a problem's action owned by a partner, or a promise that waits on
//! one).
//!
//! Whose work it is: an officer sees the open actions of the problems they lead and the
//! actions owned by them in anyone's problem; a partner's action is chased by the officer
//! who leads its problem. Counting per officer (the sergeant's Today) gives each action to
//! one officer only: its owner when an officer owns it, else the problem's lead.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::followups::due_soon_until;
use crate::model::{Action, ActionOwner, FollowUp, Id, Problem};
use crate::store::{Store, StoreResult};

/// An open action of an open problem, due today, overdue, or due in the coming days.
#[derive(Debug, Clone, PartialEq)]
pub struct ActionDue {
    pub problem: Id,
    /// The problem's title.
    pub title: String,
    pub neighborhood: Id,
    /// What is to be done.
    pub what: String,
    pub due: NaiveDate,
    pub owner: Option<ActionOwner>,
}

impl ActionDue {
    /// Whether its due date has passed.
    pub fn overdue(&self, today: NaiveDate) -> bool {
        self.due < today
    }
}

/// What a chase date belongs to.
#[derive(Debug, Clone, PartialEq)]
pub enum Chased {
    /// An action of a problem, owned by the partner.
    Action {
        problem: Id,
        /// The problem's title.
        title: String,
        what: String,
    },
    /// A promise to a resident that waits on the partner.
    Promise(Box<FollowUp>),
}

/// A partner agency to ask where a request stands, from its chase date on.
#[derive(Debug, Clone, PartialEq)]
pub struct Chase {
    pub agency: String,
    /// Their work order or ticket number (empty when they gave none).
    pub reference: String,
    pub chase: NaiveDate,
    pub of: Chased,
}

/// The problem work and chases Today lists, each earliest first.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DueWork {
    pub actions: Vec<ActionDue>,
    pub chases: Vec<Chase>,
}

/// The officer who answers for `action` of `problem`: its owner when an officer owns it,
/// else the problem's lead (who chases the partner).
pub fn answerable(problem: &Problem, action: &Action) -> Id {
    match &action.owner {
        Some(ActionOwner::Officer { officer }) => *officer,
        _ => problem.owner,
    }
}

/// The open actions of `problems` still open, with their problem.
fn open_actions(problems: &[Problem]) -> impl Iterator<Item = (&Problem, &Action)> {
    problems
        .iter()
        .filter(|p| !p.meta.deleted && p.stage.is_open())
        .flat_map(|p| p.actions.iter().map(move |a| (p, a)))
        .filter(|(_, a)| a.status.is_open())
}

/// The open actions of open problems that `me` leads or owns, due on or before the last day
/// of the due-soon window (overdue ones included), earliest due first.
pub fn actions_due(problems: &[Problem], me: Id, today: NaiveDate) -> Vec<ActionDue> {
    let until = due_soon_until(today);
    let mine = |p: &Problem, a: &Action| {
        p.owner == me || matches!(a.owner, Some(ActionOwner::Officer { officer }) if officer == me)
    };
    let mut out: Vec<ActionDue> = open_actions(problems)
        .filter(|(p, a)| mine(p, a))
        .filter_map(|(p, a)| {
            let due = a.due.filter(|d| *d <= until)?;
            Some(ActionDue {
                problem: p.meta.id,
                title: p.title.clone(),
                neighborhood: p.neighborhood,
                what: a.what.clone(),
                due,
                owner: a.owner.clone(),
            })
        })
        .collect();
    out.sort_by(|a, b| (a.due, &a.title, &a.what).cmp(&(b.due, &b.title, &b.what)));
    out
}

/// The partner-owned open actions of open problems that `me` leads whose chase date has
/// come (on or before `today`).
pub fn action_chases(problems: &[Problem], me: Id, today: NaiveDate) -> Vec<Chase> {
    open_actions(problems)
        .filter(|(p, _)| p.owner == me)
        .filter_map(|(p, a)| match &a.owner {
            Some(ActionOwner::Partner {
                agency,
                reference,
                chase: Some(chase),
                ..
            }) if *chase <= today => Some(Chase {
                agency: agency.clone(),
                reference: reference.clone(),
                chase: *chase,
                of: Chased::Action {
                    problem: p.meta.id,
                    title: p.title.clone(),
                    what: a.what.clone(),
                },
            }),
            _ => None,
        })
        .collect()
}

/// The open promises among `follow_ups` that wait on a partner whose chase date has come.
pub fn promise_chases<'a>(
    follow_ups: impl IntoIterator<Item = &'a FollowUp>,
    today: NaiveDate,
) -> Vec<Chase> {
    follow_ups
        .into_iter()
        .filter(|f| f.status.is_open() && !f.meta.deleted)
        .filter_map(|f| {
            let wait = f.waiting_on.as_ref()?;
            let chase = wait.chase.filter(|c| *c <= today)?;
            Some(Chase {
                agency: wait.agency.clone(),
                reference: wait.reference.clone(),
                chase,
                of: Chased::Promise(Box::new(f.clone())),
            })
        })
        .collect()
}

/// Sorts chases earliest chase date first, then by agency.
pub fn sort_chases(chases: &mut [Chase]) {
    chases.sort_by(|a, b| {
        (a.chase, a.agency.to_lowercase()).cmp(&(b.chase, b.agency.to_lowercase()))
    });
}

/// What Today lists for `me` among the log's `problems`: the problem actions due and every
/// chase date reached. The promises looked at are `overdue` (the open ones past due, which
/// Today has read already) and the open ones due from today on, read here (only the open
/// promises are indexed, by due date); `keep` says which of them are `me`'s to chase (a
/// sergeant's log holds the squad's promises).
pub fn due_work(
    store: &Store,
    today: NaiveDate,
    me: Id,
    problems: &[Problem],
    overdue: &[FollowUp],
    keep: &dyn Fn(&FollowUp) -> bool,
) -> StoreResult<DueWork> {
    let (later, _) = store.open_followups_due(today..=NaiveDate::MAX, usize::MAX)?;
    let mut chases = action_chases(problems, me, today);
    chases.extend(promise_chases(
        overdue.iter().chain(later.iter()).filter(|f| keep(f)),
        today,
    ));
    sort_chases(&mut chases);
    Ok(DueWork {
        actions: actions_due(problems, me, today),
        chases,
    })
}

/// How many open actions of open problems are overdue, per officer answerable for them (see
/// [`answerable`]).
pub fn overdue_actions_per_officer(problems: &[Problem], today: NaiveDate) -> HashMap<Id, usize> {
    let mut out: HashMap<Id, usize> = HashMap::new();
    for (p, a) in open_actions(problems) {
        if a.due.is_some_and(|d| d < today) {
            *out.entry(answerable(p, a)).or_default() += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ActionStatus, FollowUpStatus, Meta, PartnerWait, Stage, StageNotes};
    use chrono::{TimeZone, Utc};

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    const ME: Id = Id(7);
    const OTHER: Id = Id(8);

    fn action(what: &str, owner: ActionOwner, due: Option<NaiveDate>) -> Action {
        Action {
            what: what.into(),
            owner: Some(owner),
            due,
            status: ActionStatus::Planned,
        }
    }

    fn partner(chase: Option<NaiveDate>) -> ActionOwner {
        ActionOwner::Partner {
            agency: "Public works".into(),
            reference: "WO-1234".into(),
            sent: Some(day(11, 2)),
            chase,
        }
    }

    fn problem(id: u128, owner: Id, stage: Stage, actions: Vec<Action>) -> Problem {
        Problem {
            meta: Meta::new(
                Id(id),
                owner,
                Utc.with_ymd_and_hms(2026, 11, 1, 9, 0, 0).unwrap(),
            ),
            title: format!("Problem {id}"),
            neighborhood: Id(3),
            places: Vec::new(),
            topics: Vec::new(),
            owner,
            noticed: day(11, 1),
            stage,
            notes: StageNotes::default(),
            contacts: Vec::new(),
            actions,
            outcome: None,
            published: Vec::new(),
        }
    }

    #[test]
    fn actions_due_are_mine_open_and_within_the_week() {
        let today = day(11, 25);
        let me_as_officer = ActionOwner::Officer { officer: ME };
        let other_officer = ActionOwner::Officer { officer: OTHER };
        let mut done = action("Done already", me_as_officer.clone(), Some(day(11, 20)));
        done.status = ActionStatus::Done;
        let problems = vec![
            problem(
                1,
                ME,
                Stage::Response,
                vec![
                    action("Overdue", other_officer.clone(), Some(day(11, 20))),
                    action("In a week", partner(None), Some(day(12, 2))),
                    action("In eight days", me_as_officer.clone(), Some(day(12, 3))),
                    action("No date", me_as_officer.clone(), None),
                    done,
                ],
            ),
            problem(
                2,
                OTHER,
                Stage::Response,
                vec![
                    action("Mine in theirs", me_as_officer.clone(), Some(day(11, 26))),
                    action("Theirs", other_officer.clone(), Some(day(11, 26))),
                ],
            ),
            problem(
                3,
                ME,
                Stage::Scanning,
                vec![action("Early", me_as_officer.clone(), Some(day(11, 25)))],
            ),
        ];
        let whats: Vec<String> = actions_due(&problems, ME, today)
            .into_iter()
            .map(|a| a.what)
            .collect();
        assert_eq!(whats, ["Overdue", "Early", "Mine in theirs", "In a week"]);

        let mut closed = problems[0].clone();
        closed.stage = Stage::Closed;
        assert!(actions_due(&[closed], ME, today).is_empty());
    }

    #[test]
    fn chases_are_reached_on_their_day_and_belong_to_the_lead() {
        let today = day(11, 25);
        let problems = vec![
            problem(
                1,
                ME,
                Stage::Response,
                vec![
                    action("Reached", partner(Some(day(11, 25))), None),
                    action("Not yet", partner(Some(day(11, 26))), None),
                    action("No chase", partner(None), None),
                ],
            ),
            problem(
                2,
                OTHER,
                Stage::Response,
                vec![action("Their lead", partner(Some(day(11, 1))), None)],
            ),
        ];
        let chases = action_chases(&problems, ME, today);
        assert_eq!(chases.len(), 1);
        assert_eq!(chases[0].chase, today);
        assert!(matches!(&chases[0].of, Chased::Action { what, .. } if what == "Reached"));

        let promise = |chase, status| FollowUp {
            meta: Meta::new(
                Id(9),
                ME,
                Utc.with_ymd_and_hms(2026, 11, 1, 9, 0, 0).unwrap(),
            ),
            promise: "Ask about the lamp".into(),
            person: None,
            contact: None,
            neighborhood: Id(3),
            due: day(11, 30),
            status,
            waiting_on: Some(PartnerWait {
                agency: "Housing authority".into(),
                reference: String::new(),
                chase,
            }),
        };
        let closed = FollowUpStatus::Done {
            on: day(11, 20),
            outcome: "Fixed".into(),
        };
        let list = [
            promise(Some(day(11, 24)), FollowUpStatus::Open),
            promise(Some(day(11, 26)), FollowUpStatus::Open),
            promise(None, FollowUpStatus::Open),
            promise(Some(day(11, 1)), closed),
        ];
        let chases = promise_chases(&list, today);
        assert_eq!(chases.len(), 1);
        assert_eq!(chases[0].chase, day(11, 24));
        assert_eq!(chases[0].agency, "Housing authority");
    }

    #[test]
    fn overdue_actions_count_once_for_whoever_answers_for_them() {
        let today = day(11, 25);
        let problems = vec![problem(
            1,
            ME,
            Stage::Response,
            vec![
                action("Partner's", partner(None), Some(day(11, 20))),
                action(
                    "Other's",
                    ActionOwner::Officer { officer: OTHER },
                    Some(day(11, 24)),
                ),
                action(
                    "Due today",
                    ActionOwner::Officer { officer: OTHER },
                    Some(today),
                ),
            ],
        )];
        let counts = overdue_actions_per_officer(&problems, today);
        assert_eq!(counts.get(&ME), Some(&1));
        assert_eq!(counts.get(&OTHER), Some(&1));
    }
}
