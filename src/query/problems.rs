//! The community problems and priorities of the log, filtered by neighborhood and stage: what
//! `beatbook problems` lists, and what the problem screens will read.
//!
//! Problems and priorities are few (tens to hundreds in a squad's log, against hundreds of
//! thousands of contacts), so they are read whole and filtered here; the store keeps no index
//! for them.

use chrono::NaiveDate;

use crate::model::{Id, Priority, Problem, Stage};
use crate::store::{Store, StoreResult};

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
