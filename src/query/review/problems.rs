//! The community problems in the sergeant's review: per officer (the problem's owner) and per
//! neighborhood (the squad's records of one name as one), how many stand in each SARA stage,
//! how old the open ones are, which open ones had no action for [`NO_ACTION_DAYS`] days, and
//! what came of the ones closed in the period. Every figure keeps the problems behind it, and a
//! [`ProblemLine`] says what the lists, the PDF report and the handover packet show of each.
//!
//! Problems are counted as they stood at the end of the period, or today when the period
//! reaches today or beyond: for a past period each problem's revision of that day is read from
//! its history. Open problems are those in an open stage then; closed ones count only when they
//! were closed in the period. Deleted problems never count. Rows are in name order: problems
//! are never ranked by how many someone has.

use serde::ser::SerializeMap;

use super::*;
use crate::model::{Action, ActionOwner, ActionStatus, Outcome, Problem, Revision, Stage};

/// How long an open problem may go without any change to its record before the review marks
/// it as having had no action (see [`ProblemLine::no_action`]).
pub const NO_ACTION_DAYS: i64 = 30;

/// One row's problems: by stage, their age, those with no action, the outcomes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProblemCounts {
    /// Per stage of `Stage::ALL`: the problems open in each of the four open stages at the end
    /// of the period, and under Closed the problems closed in the period.
    #[serde(serialize_with = "per_stage")]
    pub stages: [Figure; 5],
    /// Every problem open at the end of the period (the four open stages together).
    pub open: Figure,
    /// The median age of the open problems, in days since they were noticed.
    pub median_age_days: Option<f64>,
    /// The age of the oldest open problem, in days since it was noticed.
    pub oldest_age_days: Option<i64>,
    /// The oldest open problem (several when they were noticed the same day).
    pub oldest: Figure,
    /// The open problems with no action for [`NO_ACTION_DAYS`] days (see
    /// [`ProblemLine::no_action`]).
    pub no_action: Figure,
    /// Per outcome of `Outcome::ALL`: the problems closed in the period with that outcome.
    #[serde(serialize_with = "per_outcome")]
    pub outcomes: [Figure; 4],
}

/// One officer's problems: those they own.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OfficerProblems {
    pub officer: Id,
    pub name: String,
    pub badge: String,
    pub counts: ProblemCounts,
}

/// One neighborhood's problems (records with the same name count as one).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NeighborhoodProblems {
    /// As the group's canonical record spells it.
    pub name: String,
    /// Every neighborhood record with this name.
    #[serde(skip)]
    pub ids: Vec<Id>,
    pub counts: ProblemCounts,
}

/// Who carries out an action, by name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "by")]
pub enum ActionBy {
    Officer {
        name: String,
    },
    Partner {
        agency: String,
        reference: String,
        sent: Option<NaiveDate>,
        chase: Option<NaiveDate>,
    },
    /// An action saved without an owner (only while it was being written).
    Nobody,
}

/// An action still to be done (planned or in progress).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ActionLine {
    pub what: String,
    pub by: ActionBy,
    pub due: Option<NaiveDate>,
    pub status: ActionStatus,
}

/// One problem as the review's lists, the PDF report and the handover packet show it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProblemLine {
    pub id: Id,
    pub title: String,
    pub neighborhood: String,
    /// The officer who leads the work on it.
    pub owner: String,
    pub stage: Stage,
    pub noticed: NaiveDate,
    /// Days since it was noticed: to the day counted from for an open problem, to the day it
    /// was closed for a closed one.
    pub age_days: i64,
    /// The local day of the last change saved to the problem's record.
    pub last_change: NaiveDate,
    /// Its actions still to be done, soonest due first, those without a due date last.
    pub next_actions: Vec<ActionLine>,
    /// Set for a closed problem.
    pub outcome: Option<Outcome>,
    /// The day it was last closed, for a closed problem.
    pub closed_on: Option<NaiveDate>,
    /// An open problem whose record had no change at all (no note, action, status, stage,
    /// link or any other field saved) in the [`NO_ACTION_DAYS`] days up to the day counted
    /// from: its last change fell on that day minus [`NO_ACTION_DAYS`] or earlier. A problem
    /// changed 29 days before does not count; one changed 30 or 31 days before does.
    pub no_action: bool,
}

/// The problems of the review: per officer and per neighborhood, and each problem counted.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ProblemReview {
    /// The day the open problems are counted on: the period's last day, or today when the
    /// period reaches past it.
    pub as_of: NaiveDate,
    /// Every officer (role officer) and every other owner of a problem counted, by name. Just
    /// the one officer when one is asked for.
    pub officers: Vec<OfficerProblems>,
    /// Every neighborhood (records with the same name as one), by name.
    pub neighborhoods: Vec<NeighborhoodProblems>,
    /// The problems counted (open at the end, or closed in the period), by neighborhood name,
    /// then title.
    pub problems: Vec<ProblemLine>,
}

impl ProblemReview {
    /// The counted problem with this id.
    pub fn line(&self, id: Id) -> Option<&ProblemLine> {
        self.problems.iter().find(|p| p.id == id)
    }

    /// The open problems counted, in the review's order.
    pub fn open(&self) -> impl Iterator<Item = &ProblemLine> {
        self.problems.iter().filter(|p| p.stage.is_open())
    }

    /// The problems closed in the period, in the review's order.
    pub fn closed(&self) -> impl Iterator<Item = &ProblemLine> {
        self.problems.iter().filter(|p| !p.stage.is_open())
    }
}

impl ProblemCounts {
    /// How many problems are in the row at all (open ones and ones closed in the period).
    pub fn total(&self) -> usize {
        self.open.value + self.stages[4].value
    }
}

fn per_stage<S: Serializer>(figures: &[Figure; 5], s: S) -> Result<S::Ok, S::Error> {
    let mut map = s.serialize_map(Some(figures.len()))?;
    for (stage, f) in Stage::ALL.iter().zip(figures) {
        map.serialize_entry(stage, &f.value)?;
    }
    map.end()
}

fn per_outcome<S: Serializer>(figures: &[Figure; 4], s: S) -> Result<S::Ok, S::Error> {
    let mut map = s.serialize_map(Some(figures.len()))?;
    for (outcome, f) in Outcome::ALL.iter().zip(figures) {
        map.serialize_entry(outcome, &f.value)?;
    }
    map.end()
}

/// Names read once: officers (deleted ones too, their problems still name them) and the
/// squad's neighborhoods folded by name.
struct Names {
    officers: HashMap<Id, Officer>,
    squad: SquadNames,
}

impl Names {
    fn load(store: &Store) -> StoreResult<Names> {
        let mut officers = HashMap::default();
        for o in store.iter_all::<Officer>()? {
            let o = o?;
            officers.insert(o.meta.id, o);
        }
        let mut hoods = Vec::new();
        for h in store.iter_all::<Neighborhood>()? {
            hoods.push(h?);
        }
        Ok(Names {
            officers,
            squad: SquadNames::from_records(&hoods, &[]),
        })
    }

    fn officer(&self, id: Id) -> (String, String) {
        match self.officers.get(&id) {
            Some(o) => (o.name.clone(), o.badge.clone()),
            // Merged logs can name an owner whose officer record is not among them.
            None => (format!("Unknown officer {}", id.short()), String::new()),
        }
    }

    fn neighborhood(&self, id: Id) -> String {
        self.squad.name(id).map_or_else(
            || format!("Unknown neighborhood {}", id.short()),
            |n| n.trim().to_string(),
        )
    }
}

/// The local day of a moment.
fn local_day(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&chrono::Local).date_naive()
}

/// A problem as it stood on the day counted from, with the day it was closed when it was.
struct AsOf {
    problem: Problem,
    closed_on: Option<NaiveDate>,
}

/// Every revision of a problem, oldest first: those its history keeps, then the record.
fn revisions(current: &Problem, history: Vec<Revision>) -> Vec<Problem> {
    let mut history: Vec<Revision> = history.into_iter().filter(|r| !r.set_aside).collect();
    history.sort_by_key(|r| r.revision);
    let mut out: Vec<Problem> = history
        .into_iter()
        // A revision the record's present form cannot read is left out: the ones around it
        // still say when it changed.
        .filter_map(|r| serde_json::from_value::<Problem>(r.previous).ok())
        .collect();
    out.push(current.clone());
    out
}

/// The problem's revision in force at the end of `as_of` (its record as it is when `as_of` is
/// today or later), or `None` when it was not written yet.
fn as_of(
    current: &Problem,
    history: Vec<Revision>,
    as_of: NaiveDate,
    today: NaiveDate,
) -> Option<AsOf> {
    let versions = if history.is_empty() {
        vec![current.clone()]
    } else {
        revisions(current, history)
    };
    let at = if as_of >= today {
        versions.len() - 1
    } else {
        let end = as_of
            .succ_opt()
            .map_or(DateTime::<Utc>::MAX_UTC, local_day_start);
        versions.iter().rposition(|v| v.meta.updated_at < end)?
    };
    let problem = versions.get(at)?.clone();
    let closed_on = (problem.stage == Stage::Closed).then(|| {
        // Closed since the first revision of the run of closed ones ending here.
        let first = versions[..=at]
            .iter()
            .rposition(|v| v.stage != Stage::Closed)
            .map_or(0, |open| open + 1);
        local_day(versions[first].meta.updated_at)
    });
    Some(AsOf { problem, closed_on })
}

/// The actions still to be done, soonest due first, those without a due date last.
fn next_actions(actions: &[Action], names: &dyn Fn(Id) -> String) -> Vec<ActionLine> {
    let mut open: Vec<(usize, &Action)> = actions
        .iter()
        .enumerate()
        .filter(|(_, a)| a.status.is_open())
        .collect();
    open.sort_by_key(|(i, a)| (a.due.is_none(), a.due, *i));
    open.into_iter()
        .map(|(_, a)| ActionLine {
            what: a.what.trim().to_string(),
            by: match &a.owner {
                Some(ActionOwner::Officer { officer }) => ActionBy::Officer {
                    name: names(*officer),
                },
                Some(ActionOwner::Partner {
                    agency,
                    reference,
                    sent,
                    chase,
                }) => ActionBy::Partner {
                    agency: agency.trim().to_string(),
                    reference: reference.trim().to_string(),
                    sent: *sent,
                    chase: *chase,
                },
                None => ActionBy::Nobody,
            },
            due: a.due,
            status: a.status,
        })
        .collect()
}

fn line_of(
    names: &Names,
    p: &Problem,
    closed_on: Option<NaiveDate>,
    day: NaiveDate,
) -> ProblemLine {
    let last_change = local_day(p.meta.updated_at);
    let open = p.stage.is_open();
    let until = if open { day } else { closed_on.unwrap_or(day) };
    ProblemLine {
        id: p.meta.id,
        title: p.title.trim().to_string(),
        neighborhood: names.neighborhood(p.neighborhood),
        owner: names.officer(p.owner).0,
        stage: p.stage,
        noticed: p.noticed,
        age_days: (until - p.noticed).num_days().max(0),
        last_change,
        next_actions: next_actions(&p.actions, &|id| names.officer(id).0),
        outcome: if open { None } else { p.outcome },
        closed_on: if open { None } else { closed_on },
        no_action: open && (day - last_change).num_days() >= NO_ACTION_DAYS,
    }
}

/// A row's problems while they are counted.
#[derive(Default)]
struct Acc {
    stages: [Vec<Id>; 5],
    /// (age in days, problem) of each open one.
    open: Vec<(i64, Id)>,
    no_action: Vec<Id>,
    outcomes: [Vec<Id>; 4],
}

impl Acc {
    fn add(&mut self, line: &ProblemLine) {
        self.stages[line.stage as usize].push(line.id);
        if line.stage.is_open() {
            self.open.push((line.age_days, line.id));
            if line.no_action {
                self.no_action.push(line.id);
            }
        } else if let Some(k) = line
            .outcome
            .and_then(|o| Outcome::ALL.iter().position(|x| *x == o))
        {
            self.outcomes[k].push(line.id);
        }
    }

    fn counts(self) -> ProblemCounts {
        let problems = |ids| Figure::entries(Behind::Problems, ids);
        let oldest_age_days = self.open.iter().map(|(age, _)| *age).max();
        let oldest = self
            .open
            .iter()
            .filter(|(age, _)| Some(*age) == oldest_age_days)
            .map(|(_, id)| *id)
            .collect();
        let median_age_days = median(self.open.iter().map(|(age, _)| *age).collect());
        ProblemCounts {
            stages: self.stages.map(problems),
            open: problems(self.open.into_iter().map(|(_, id)| id).collect()),
            median_age_days,
            oldest_age_days,
            oldest: problems(oldest),
            no_action: problems(self.no_action),
            outcomes: self.outcomes.map(problems),
        }
    }
}

/// The review's problems for `period`, for the whole squad or the problems `officer` owns.
pub fn problem_review(
    store: &Store,
    period: Period,
    officer: Option<Id>,
    today: NaiveDate,
) -> StoreResult<ProblemReview> {
    let names = Names::load(store)?;
    let day = period.to.min(today);
    let mut history: HashMap<Id, Vec<Revision>> = HashMap::default();
    for (id, revision) in store.all_history::<Problem>()? {
        history.entry(id).or_default().push(revision);
    }
    let mut lines = Vec::new();
    let mut by_owner: HashMap<Id, Acc> = HashMap::default();
    let mut by_hood: HashMap<Id, Acc> = HashMap::default();
    for p in store.all::<Problem>()? {
        let revisions = history.remove(&p.meta.id).unwrap_or_default();
        let Some(then) = as_of(&p, revisions, day, today) else {
            continue;
        };
        // The owner, neighborhood and stage counted are the ones of that day.
        let then_p = &then.problem;
        if officer.is_some_and(|o| o != then_p.owner) {
            continue;
        }
        let counted = then_p.stage.is_open() || then.closed_on.is_some_and(|d| period.contains(d));
        if !counted {
            continue;
        }
        let line = line_of(&names, then_p, then.closed_on, day);
        by_owner.entry(then_p.owner).or_default().add(&line);
        by_hood
            .entry(names.squad.canonical(then_p.neighborhood))
            .or_default()
            .add(&line);
        lines.push(line);
    }
    lines.sort_by(|a, b| {
        normalize_name(&a.neighborhood)
            .cmp(&normalize_name(&b.neighborhood))
            .then_with(|| normalize_name(&a.title).cmp(&normalize_name(&b.title)))
            .then_with(|| a.id.cmp(&b.id))
    });
    Ok(ProblemReview {
        as_of: day,
        officers: officer_rows(&names, officer, by_owner),
        neighborhoods: neighborhood_rows(&names, by_hood),
        problems: lines,
    })
}

fn officer_rows(
    names: &Names,
    officer: Option<Id>,
    mut accs: HashMap<Id, Acc>,
) -> Vec<OfficerProblems> {
    let mut ids: HashSet<Id> = accs.keys().copied().collect();
    match officer {
        Some(o) => {
            ids.insert(o);
        }
        None => ids.extend(
            names
                .officers
                .values()
                .filter(|o| !o.meta.deleted && o.role == Role::Officer)
                .map(|o| o.meta.id),
        ),
    }
    let mut rows: Vec<OfficerProblems> = ids
        .into_iter()
        .map(|id| {
            let (name, badge) = names.officer(id);
            OfficerProblems {
                officer: id,
                name,
                badge,
                counts: accs.remove(&id).unwrap_or_default().counts(),
            }
        })
        .collect();
    rows.sort_by(|a, b| {
        normalize_name(&a.name)
            .cmp(&normalize_name(&b.name))
            .then_with(|| a.officer.cmp(&b.officer))
    });
    rows
}

fn neighborhood_rows(names: &Names, mut accs: HashMap<Id, Acc>) -> Vec<NeighborhoodProblems> {
    let mut groups: Vec<Id> = names
        .squad
        .neighborhoods()
        .iter()
        .map(|(canon, _)| *canon)
        .collect();
    // A problem's neighborhood may be deleted since, or missing from a merged log: it keeps a
    // row of its own.
    let mut others: Vec<Id> = accs
        .keys()
        .filter(|id| !groups.contains(id))
        .copied()
        .collect();
    others.sort();
    groups.extend(others);
    let mut rows: Vec<NeighborhoodProblems> = groups
        .into_iter()
        .map(|canon| NeighborhoodProblems {
            name: names.neighborhood(canon),
            ids: sorted(names.squad.aliases_of(canon)),
            counts: accs.remove(&canon).unwrap_or_default().counts(),
        })
        .collect();
    rows.sort_by(|a, b| {
        normalize_name(&a.name)
            .cmp(&normalize_name(&b.name))
            .then_with(|| a.ids.cmp(&b.ids))
    });
    rows
}

/// The open problems of `neighborhoods` (every record of their names) as they stand today,
/// earliest stage first, then the oldest noticed: what the handover packet lists.
pub fn open_problems(
    store: &Store,
    neighborhoods: &[Id],
    today: NaiveDate,
) -> StoreResult<Vec<ProblemLine>> {
    let names = Names::load(store)?;
    let mut open: Vec<Problem> = store
        .all::<Problem>()?
        .into_iter()
        .filter(|p| p.stage.is_open() && neighborhoods.contains(&p.neighborhood))
        .collect();
    open.sort_by_key(|p| (p.stage, p.noticed, p.meta.id));
    Ok(open
        .iter()
        .map(|p| line_of(&names, p, None, today))
        .collect())
}
