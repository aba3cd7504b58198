//! The figures a sergeant reads for a period: per officer, per neighborhood and per week.
//!
//! Every metric is defined here, once; the review screen, `beatbook report` and the exported
//! reports all read a [`ReviewReport`]. Each [`Figure`] keeps the ids of the entries behind it,
//! so any number on screen can list them.
//!
//! This module computes a report; `figures` holds its types, `lookups` the names and groupings
//! loaded before the walk, `tally` the walk over the period's contacts and follow-ups, and
//! `problems` the community problems (by stage, age, no action, outcome).

use std::hash::Hash;
use std::sync::PoisonError;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use serde::{Serialize, Serializer};

use super::log::local_day_start;
use super::names::SquadNames;
use crate::model::{
    end_of_week, normalize_name, Id, Neighborhood, Officer, PersonRole, Role, Tag, ValidationError,
};
use crate::store::{ReviewFacts, Store, StoreResult};

mod figures;
mod lookups;
mod problems;
mod tally;

pub use figures::{
    Behind, ConcernTrend, Figure, NeighborhoodFigures, OfficerFigures, Period, ReviewReport,
    WeekFigures,
};
use lookups::{Interner, Lookups};
pub use problems::{
    open_problems, problem_review, ActionBy, ActionLine, NeighborhoodProblems, OfficerProblems,
    ProblemCounts, ProblemLine, ProblemReview, NO_ACTION_DAYS,
};

use tally::{
    promises, silences, topics_before, walk, Calendar, HoodAcc, OfficerAcc, Silences, Walked,
};

fn sorted<T: Ord>(mut ids: Vec<T>) -> Vec<T> {
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// How many different numbers there are (pushing and counting once beats a set per entry).
fn distinct(numbers: Vec<u32>) -> usize {
    sorted(numbers).len()
}

/// Everything the review shows for `period`, for the whole squad or for one officer.
///
/// Walks the period's contacts once (in two halves at once), and beside them the previous
/// period's (for the concern trends) and the follow-ups, from the contact index once it is
/// built (see [`Store::with_review_facts`]); names are loaded into memory first.
pub fn review_report(
    store: &Store,
    period: Period,
    officer: Option<Id>,
    today: NaiveDate,
) -> StoreResult<ReviewReport> {
    store.with_review_facts(|facts| report_from(store, facts, period, officer, today))
}

fn report_from(
    store: &Store,
    facts: &dyn ReviewFacts,
    period: Period,
    officer: Option<Id>,
    today: NaiveDate,
) -> StoreResult<ReviewReport> {
    let look = Lookups::load(store, facts)?;
    let calendar = Calendar::new(period);
    // Nothing worked out beside the walk needs what the walk counts, so the second core takes
    // it meanwhile.
    // The period is walked in two halves at once (their counts are added up after).
    let (start, end) = (period.start(), period.end());
    let middle = start + (end - start) / 2;
    let unknown_hoods = std::sync::Mutex::default();
    let walk_over = |span| walk(facts, &look, &calendar, officer, span, &unknown_hoods);
    let (first, second, beside) = std::thread::scope(|scope| {
        let beside = scope.spawn(|| -> StoreResult<_> {
            Ok((
                topics_before(facts, &look, period.previous(), officer)?,
                promises(facts, &calendar, officer, today)?,
                silences(facts, &look, &period)?,
            ))
        });
        let first = scope.spawn(|| walk_over((start, middle)));
        let second = walk_over((middle, end));
        (joined(first), second, joined(beside))
    });
    let mut walked = first?;
    walked.absorb(second?);
    let Walked {
        mut by_officer,
        mut hoods,
        weeks,
        topic_totals,
    } = walked;
    let (before, promises, silent) = beside?;
    for (author, kept) in promises.by_officer {
        by_officer.entry(author).or_default().promises = kept;
    }
    for (h, before) in hoods.iter_mut().zip(before) {
        h.before = before;
    }
    let problems = problem_review(store, period, officer, today)?;
    let officers = officer_figures(&look, officer, by_officer);
    let neighborhoods = neighborhood_figures(&look, hoods, silent);

    let top: Vec<u32> = look
        .rank(topic_totals.into_iter())
        .into_iter()
        .take(TOP_CONCERNS)
        .map(|(t, _)| t)
        .collect();
    let weeks = calendar
        .week_starts
        .iter()
        .zip(weeks)
        .zip(promises.weeks)
        .map(|((start, mut w), (due, kept))| WeekFigures {
            start: *start,
            contacts_by_officer: officers
                .iter()
                .map(|o| Figure::contacts(w.by_officer.remove(&o.officer).unwrap_or_default()))
                .collect(),
            followups_due: Figure::entries(Behind::FollowUps, due),
            kept_on_time: Figure::entries(Behind::FollowUps, kept),
            mean_tone: (w.tone_count > 0).then(|| w.tone_sum as f64 / w.tone_count as f64),
            concerns: top
                .iter()
                .map(|t| Figure::contacts(w.topics.remove(t).unwrap_or_default()))
                .collect(),
        })
        .collect();

    Ok(ReviewReport {
        period,
        officer,
        today,
        officers,
        neighborhoods,
        top_concerns: top
            .iter()
            .map(|t| look.topic_names[*t as usize].0.clone())
            .collect(),
        weeks,
        problems,
    })
}

/// What a thread of the review worked out; its panic goes on in the review's own thread.
fn joined<T>(thread: std::thread::ScopedJoinHandle<'_, T>) -> T {
    thread
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

/// How many topics the concern lists show.
const TOP_CONCERNS: usize = 5;

fn officer_figures(
    look: &Lookups,
    officer: Option<Id>,
    mut accs: HashMap<Id, OfficerAcc>,
) -> Vec<OfficerFigures> {
    let mut ids: HashSet<Id> = accs.keys().copied().collect();
    match officer {
        Some(o) => {
            ids.insert(o);
        }
        None => ids.extend(
            look.officers
                .values()
                .filter(|o| !o.meta.deleted && o.role == Role::Officer)
                .map(|o| o.meta.id),
        ),
    }
    let mut out: Vec<OfficerFigures> = ids
        .into_iter()
        .map(|id| {
            let (name, badge) = match look.officers.get(&id) {
                Some(o) => (o.name.clone(), o.badge.clone()),
                // Merged logs can name an author whose officer record is not among them.
                None => (format!("Unknown officer {}", id.short()), String::new()),
            };
            let acc = accs.remove(&id).unwrap_or_default();
            officer_from(id, name, badge, acc)
        })
        .collect();
    out.sort_by(|a, b| {
        normalize_name(&a.name)
            .cmp(&normalize_name(&b.name))
            .then_with(|| a.officer.cmp(&b.officer))
    });
    out
}

fn officer_from(officer: Id, name: String, badge: String, mut acc: OfficerAcc) -> OfficerFigures {
    acc.met.sort_unstable();
    let (mut reached, mut again) = (0, 0);
    let mut again_ids = Vec::new();
    for contacts in acc.met.chunk_by(|a, b| a.0 == b.0) {
        reached += 1;
        if contacts.len() >= 2 {
            again += 1;
            again_ids.extend(contacts.iter().map(|(_, id)| *id));
        }
    }
    let [hostile, guarded, neutral, friendly, warm] = acc.tone;
    let follow_ups = |ids| Figure::entries(Behind::FollowUps, ids);
    OfficerFigures {
        officer,
        name,
        badge,
        people_reached: Figure::counting(reached, Behind::Contacts, acc.named),
        people_seen_again: Figure::counting(again, Behind::Contacts, again_ids),
        neighborhoods_covered: Figure::counting(
            distinct(acc.hoods),
            Behind::Contacts,
            acc.contacts.clone(),
        ),
        contacts: Figure::contacts(acc.contacts),
        meetings_and_events: Figure::contacts(acc.meetings),
        started_by_resident: Figure::contacts(acc.by_resident),
        started_by_officer: Figure::contacts(acc.by_officer),
        tone: [hostile, guarded, neutral, friendly, warm].map(Figure::contacts),
        followups_promised: follow_ups(acc.promises.promised),
        kept_on_time: follow_ups(acc.promises.on_time),
        kept_late: follow_ups(acc.promises.late),
        overdue: follow_ups(acc.promises.overdue),
        median_days_to_keep: median(acc.promises.days_to_keep),
        thin_notes: Figure::contacts(acc.thin),
    }
}

fn median(mut days: Vec<i64>) -> Option<f64> {
    days.sort_unstable();
    let n = days.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(days[n / 2] as f64),
        _ => Some((days[n / 2 - 1] + days[n / 2]) as f64 / 2.0),
    }
}

/// The spans of the "not contacted for" figures, in days.
const SILENCE_DAYS: [i64; 3] = [30, 60, 90];

fn neighborhood_figures(
    look: &Lookups,
    hoods: Vec<HoodAcc>,
    silent: Vec<Silences>,
) -> Vec<NeighborhoodFigures> {
    let mut out = Vec::with_capacity(hoods.len());
    for (((name, ids), mut h), silent) in look.groups.iter().zip(hoods).zip(silent) {
        let [not_contacted_30, not_contacted_60, not_contacted_90] =
            silent.map(|(count, records)| Figure::counting(count, Behind::People, records));
        let reach = PersonRole::ALL
            .iter()
            .zip(std::mem::take(&mut h.reach))
            .map(|(role, (met, contacts))| {
                (
                    *role,
                    Figure::counting(distinct(met), Behind::Contacts, contacts),
                )
            })
            .collect();
        let ranked = look.rank(h.topics.iter().map(|(t, ids)| (*t, ids.len())));
        let concerns = ranked
            .into_iter()
            .take(TOP_CONCERNS)
            .map(|(t, _)| ConcernTrend {
                topic: look.topic_names[t as usize].0.clone(),
                now: Figure::contacts(h.topics.remove(&t).unwrap_or_default()),
                before: h.before.get(&t).copied().unwrap_or(0),
            })
            .collect();
        out.push(NeighborhoodFigures {
            name: name.clone(),
            ids: sorted(ids.clone()),
            contacts: Figure::contacts(h.contacts),
            not_contacted_30,
            not_contacted_60,
            not_contacted_90,
            reach,
            concerns,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn new_refuses_a_period_ending_before_it_starts() {
        let err = Period::new(d(2026, 11, 5), d(2026, 11, 4)).unwrap_err();
        assert!(err.to_string().contains("cannot end"), "{err}");
        let one_day = Period::new(d(2026, 11, 5), d(2026, 11, 5)).unwrap();
        assert_eq!(one_day.days(), 1);
    }

    #[test]
    fn this_week_runs_monday_to_sunday() {
        // Sunday 29 November 2026 belongs to the week that started on Monday the 23rd.
        let sunday = Period::this_week(d(2026, 11, 29));
        assert_eq!((sunday.from, sunday.to), (d(2026, 11, 23), d(2026, 11, 29)));
        let monday = Period::this_week(d(2026, 11, 30));
        assert_eq!((monday.from, monday.to), (d(2026, 11, 30), d(2026, 12, 6)));
        assert_eq!(Period::this_week(d(2026, 11, 25)), sunday);
        assert_eq!(sunday.days(), 7);
    }

    #[test]
    fn last_weeks_end_today() {
        let p = Period::last_weeks(d(2026, 11, 25), 4);
        assert_eq!((p.from, p.to), (d(2026, 10, 29), d(2026, 11, 25)));
        assert_eq!(p.days(), 28);
        assert_eq!(Period::last_weeks(d(2026, 11, 25), 0).days(), 7);
    }

    #[test]
    fn quarters_follow_the_calendar() {
        let q = |day| {
            let p = Period::quarter(day);
            (p.from, p.to)
        };
        assert_eq!(q(d(2026, 1, 1)), (d(2026, 1, 1), d(2026, 3, 31)));
        assert_eq!(q(d(2026, 3, 31)), (d(2026, 1, 1), d(2026, 3, 31)));
        assert_eq!(q(d(2026, 4, 1)), (d(2026, 4, 1), d(2026, 6, 30)));
        assert_eq!(q(d(2026, 9, 30)), (d(2026, 7, 1), d(2026, 9, 30)));
        assert_eq!(q(d(2026, 11, 25)), (d(2026, 10, 1), d(2026, 12, 31)));
        assert_eq!(q(d(2026, 12, 31)), (d(2026, 10, 1), d(2026, 12, 31)));
        assert_eq!(q(d(2028, 2, 29)), (d(2028, 1, 1), d(2028, 3, 31)));
    }

    #[test]
    fn previous_has_the_same_length_just_before() {
        let p = Period::new(d(2026, 11, 1), d(2026, 11, 28)).unwrap();
        let b = p.previous();
        assert_eq!((b.from, b.to), (d(2026, 10, 4), d(2026, 10, 31)));
        assert_eq!(b.days(), p.days());
        let q = Period::quarter(d(2026, 3, 5)).previous();
        assert_eq!((q.from, q.to), (d(2025, 10, 3), d(2025, 12, 31)));
    }

    #[test]
    fn contains_both_ends_and_weeks_overlap() {
        let p = Period::new(d(2026, 11, 4), d(2026, 11, 16)).unwrap();
        assert!(p.contains(d(2026, 11, 4)) && p.contains(d(2026, 11, 16)));
        assert!(!p.contains(d(2026, 11, 3)) && !p.contains(d(2026, 11, 17)));
        assert_eq!(
            p.week_starts(),
            vec![d(2026, 11, 2), d(2026, 11, 9), d(2026, 11, 16)]
        );
        assert!(p.start() < p.end());
    }

    #[test]
    fn median_of_odd_and_even_counts() {
        assert_eq!(median(vec![]), None);
        assert_eq!(median(vec![4, 1, 9]), Some(4.0));
        assert_eq!(median(vec![4, 1, 9, 2]), Some(3.0));
        assert_eq!(median(vec![1, 2]), Some(1.5));
    }
}
