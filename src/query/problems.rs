//! The community problems and priorities of the log, filtered by neighborhood and stage: what
//! `beatbook problems` lists and the Problems screen reads, with what a problem's page offers
//! beside it: the contacts that may show it, the stages it went through, and the evidence for
//! its assessment.
//!
//! Problems and priorities are few (tens to hundreds in a squad's log, against hundreds of
//! thousands of contacts), so they are read whole and filtered here; the store keeps no index
//! for them.

use std::collections::HashSet;
use std::sync::Arc;

use chrono::{DateTime, Duration, NaiveDate, Utc};

use super::log::{search, LogFilter};
use super::names::SquadNames;
use crate::model::{Contact, Id, Priority, Problem, Stage};
use crate::store::{Among, ContactScan, IndexQuery, Store, StoreResult};

/// Which problems to list; empty fields do not filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProblemFilter {
    /// The neighborhood's records (the squad's names fold several into one, see `names`).
    pub neighborhoods: Vec<Id>,
    pub stage: Option<Stage>,
}

/// The live problems that pass `filter`, open stages first (scanning to assessment), then
/// closed ones; within a stage the oldest noticed first.
pub fn problems(store: &Store, filter: &ProblemFilter) -> StoreResult<Vec<Problem>> {
    let mut out: Vec<Problem> = store
        .all::<Problem>()?
        .into_iter()
        .filter(|p| {
            filter.neighborhoods.is_empty() || filter.neighborhoods.contains(&p.neighborhood)
        })
        .filter(|p| filter.stage.is_none_or(|s| p.stage == s))
        .collect();
    out.sort_by_key(|p| (p.stage, p.noticed, p.meta.id));
    Ok(out)
}

/// The live priorities of `neighborhoods` (all of them when empty) whose period holds `on`,
/// or all of them when `on` is `None`; earliest period first.
pub fn priorities(
    store: &Store,
    neighborhoods: &[Id],
    on: Option<NaiveDate>,
) -> StoreResult<Vec<Priority>> {
    let mut out: Vec<Priority> = store
        .all::<Priority>()?
        .into_iter()
        .filter(|p| neighborhoods.is_empty() || neighborhoods.contains(&p.neighborhood))
        .filter(|p| on.is_none_or(|d| p.from <= d && d <= p.to))
        .collect();
    out.sort_by_key(|p| (p.from, p.to, p.meta.id));
    Ok(out)
}

/// The day a problem's response began: the first saved revision at the response stage or
/// later (its history says when), or `None` while it has not reached it. A problem saved
/// straight into a later stage (an import, the demo) began its response when it was first
/// saved.
pub fn response_began(store: &Store, problem: &Problem) -> StoreResult<Option<NaiveDate>> {
    if problem.stage < Stage::Response {
        return Ok(None);
    }
    let mut stages = stage_changes(store, problem)?;
    stages.retain(|c| c.to >= Stage::Response);
    Ok(Some(stages.first().map_or_else(
        || local_date(problem.meta.created_at),
        |c| local_date(c.at),
    )))
}

/// One move of a problem between stages, read from its history.
#[derive(Debug, Clone, PartialEq)]
pub struct StageChange {
    pub at: DateTime<Utc>,
    pub by: Id,
    /// `None` for the stage it was first saved in.
    pub from: Option<Stage>,
    pub to: Stage,
}

/// Every stage the problem was in, oldest first: the stage it was first saved in, then each
/// move (forward, or back to analysis).
pub fn stage_changes(store: &Store, problem: &Problem) -> StoreResult<Vec<StageChange>> {
    let mut revisions = store.history::<Problem>(problem.meta.id)?;
    revisions.sort_by_key(|r| r.revision);
    // Each revision holds the record as it was before a change; the stage after the change is
    // the next revision's earlier stage, or the current one.
    let before: Vec<Option<Stage>> = revisions
        .iter()
        .map(|r| {
            r.previous
                .get("stage")
                .and_then(|s| serde_json::from_value(s.clone()).ok())
        })
        .collect();
    let first = before.first().copied().flatten().unwrap_or(problem.stage);
    let mut out = vec![StageChange {
        at: problem.meta.created_at,
        by: problem.meta.created_by.unwrap_or(problem.meta.author),
        from: None,
        to: first,
    }];
    for (i, r) in revisions.iter().enumerate() {
        let from = before[i].unwrap_or(first);
        let to = before
            .get(i + 1)
            .copied()
            .flatten()
            .unwrap_or(problem.stage);
        if from != to {
            out.push(StageChange {
                at: r.changed_at,
                by: r.changed_by,
                from: Some(from),
                to,
            });
        }
    }
    Ok(out)
}

fn local_date(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&chrono::Local).date_naive()
}

/// How often one of the problem's topics was raised in its neighborhood before the response
/// began and since.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicCounts {
    pub topic: Id,
    pub before: usize,
    pub since: usize,
}

/// What beatbook can offer as evidence at the assessment: the topics' counts in the weeks
/// before the response began and in the same number of weeks since, and what residents said in
/// the contacts linked since.
#[derive(Debug, Clone, PartialEq)]
pub struct Evidence {
    /// `None` while the response has not begun: nothing to compare yet.
    pub response_began: Option<NaiveDate>,
    /// The weeks compared on each side (at least one).
    pub weeks: i64,
    pub topics: Vec<TopicCounts>,
    /// Contacts linked to the problem made on or after the response began, newest first.
    pub words_since: Vec<Arc<Contact>>,
}

/// The assessment's evidence for `problem` as of `today`. Counts come from the contact index
/// (a million contacts answer at once); the squad's records of one name count as one.
pub fn assessment_evidence(
    store: &Store,
    problem: &Problem,
    today: NaiveDate,
) -> StoreResult<Evidence> {
    let Some(began) = response_began(store, problem)? else {
        return Ok(Evidence {
            response_began: None,
            weeks: 0,
            topics: Vec::new(),
            words_since: Vec::new(),
        });
    };
    let days = (today - began).num_days().max(1);
    let weeks = (days + 6) / 7;
    let window = Duration::weeks(weeks);
    let count = |topic: Id, from: NaiveDate, to: NaiveDate| -> StoreResult<usize> {
        let filter = LogFilter {
            neighborhood: Some(problem.neighborhood),
            tag: Some(topic),
            from: Some(from),
            to: Some(to),
            ..Default::default()
        };
        Ok(search(store, &filter, 0)?.total)
    };
    let mut topics = Vec::new();
    for &topic in &problem.topics {
        topics.push(TopicCounts {
            topic,
            before: count(topic, began - window, began - Duration::days(1))?,
            since: count(topic, began, began + window - Duration::days(1))?,
        });
    }
    let mut words_since = Vec::new();
    for &id in &problem.contacts {
        if let Some(c) = store.get::<Contact>(id)? {
            if !c.meta.deleted && local_date(c.at) >= began {
                words_since.push(Arc::new(c));
            }
        }
    }
    words_since.sort_by_key(|c| std::cmp::Reverse(c.at));
    Ok(Evidence {
        response_began: Some(began),
        weeks,
        topics,
        words_since,
    })
}

/// The contacts that may show a problem: every contact in its neighborhood with one of its
/// topics (the squad's records of each name together), newest first, up to `limit`, and how
/// many there are in all. Without topics, nothing is offered: the whole neighborhood is not
/// evidence of one problem.
pub fn scanning_candidates(
    store: &Store,
    problem: &Problem,
    limit: usize,
) -> StoreResult<(usize, Vec<Arc<Contact>>)> {
    if problem.topics.is_empty() {
        return Ok((0, Vec::new()));
    }
    let names = SquadNames::of(store)?;
    let mut tags: Vec<Id> = problem
        .topics
        .iter()
        .flat_map(|t| names.aliases_of(*t))
        .collect();
    tags.sort();
    tags.dedup();
    let among = Among {
        neighborhoods: names.aliases_of(problem.neighborhood),
        tags,
    };
    let query = IndexQuery {
        neighborhoods: among.neighborhoods.clone(),
        tags: among.tags.clone(),
        ..Default::default()
    };
    let (total, ids) = match store.query_contact_index(&query, limit)? {
        Some(answer) => (answer.total, answer.newest),
        None => {
            // The index is still being built: walk the log's time index instead.
            let mut ids = Vec::new();
            let mut total = 0;
            for id in store.scan_contacts_among(&ContactScan::default(), among) {
                let id = id?;
                total += 1;
                if ids.len() < limit {
                    ids.push(id);
                }
            }
            (total, ids)
        }
    };
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some(c) = store.get::<Contact>(id)? {
            out.push(Arc::new(c));
        }
    }
    Ok((total, out))
}

/// The live problems that link one of `contacts` (a person's contacts, for their page).
pub fn problems_linking(store: &Store, contacts: &HashSet<Id>) -> StoreResult<Vec<Problem>> {
    let mut out: Vec<Problem> = store
        .all::<Problem>()?
        .into_iter()
        .filter(|p| p.contacts.iter().any(|c| contacts.contains(c)))
        .collect();
    out.sort_by_key(|p| (p.stage, p.noticed, p.meta.id));
    Ok(out)
}
