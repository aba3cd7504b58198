//! The figures a sergeant reads for a period: per officer, per neighborhood and per week.
//!
//! Every metric is defined here, once; the review screen, `beatbook report` and the exported
//! reports all read a [`ReviewReport`]. Each [`Figure`] keeps the ids of the entries behind it,
//! so any number on screen can list them.

use std::hash::Hash;
use std::sync::PoisonError;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use serde::{Serialize, Serializer};

use super::log::local_day_start;
use crate::model::{
    end_of_week, normalize_name, Id, Neighborhood, Officer, PersonRole, Role, Tag, ValidationError,
};
use crate::store::{ReviewFacts, Store, StoreResult};

mod tally;

use tally::{
    promises, silences, topics_before, walk, Calendar, HoodAcc, OfficerAcc, Silences, Walked,
};

/// A span of whole local days, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// What the ids behind a figure are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Behind {
    Contacts,
    FollowUps,
    People,
}

/// One number and the entries it counts (see [`Behind`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    pub value: usize,
    pub behind: Behind,
    pub ids: Vec<Id>,
}

impl Serialize for Figure {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u64(self.value as u64)
    }
}

/// One officer's rapport work in the period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OfficerFigures {
    pub officer: Id,
    pub name: String,
    pub badge: String,
    /// Contacts the officer first wrote (whoever edited them since) whose time falls in the
    /// period; deleted
    /// contacts never count.
    pub contacts: Figure,
    /// Distinct people named in those contacts. The same name in the same neighborhood is one
    /// person, even when merged logs hold two records of them. Behind it: the contacts that
    /// name at least one person.
    pub people_reached: Figure,
    /// Relationship depth: distinct people met in two or more of the officer's contacts in the
    /// period. Behind it: those contacts.
    pub people_seen_again: Figure,
    /// Distinct neighborhoods (by name) the contacts took place in. Behind it: the contacts.
    pub neighborhoods_covered: Figure,
    /// Contacts that were a community meeting or forum, or a block party or event.
    pub meetings_and_events: Figure,
    /// Contacts a resident started.
    pub started_by_resident: Figure,
    /// Contacts the officer started.
    pub started_by_officer: Figure,
    /// Contacts of each tone. Indexed by `Tone as usize` (hostile first).
    pub tone: [Figure; 5],
    /// Follow-ups the officer created on a day of the period (dropped ones included).
    pub followups_promised: Figure,
    /// Of those, the ones done on or before their due date.
    pub kept_on_time: Figure,
    /// Of those, the ones done after their due date.
    pub kept_late: Figure,
    /// Of those, the ones still open with a due date before today.
    pub overdue: Figure,
    /// Median days from the day a follow-up was promised to the day it was done, over the done
    /// ones; `None` when none is done.
    pub median_days_to_keep: Option<f64>,
    /// Contacts whose note has one word or none: worth a look, since the note is the record.
    pub thin_notes: Figure,
}

/// A topic's count in the period and in the period of the same length just before.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConcernTrend {
    pub topic: String,
    /// Contacts in the period that raised the topic.
    pub now: Figure,
    /// Contacts that raised it in the period of the same length just before.
    pub before: usize,
}

/// One neighborhood (records with the same name count as one) in the period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NeighborhoodFigures {
    /// The name of the first record with this name.
    pub name: String,
    /// Every neighborhood record with this name (merged logs hold several).
    #[serde(skip)]
    pub ids: Vec<Id>,
    /// Contacts in the period that took place here.
    pub contacts: Figure,
    /// People of this neighborhood whose last contact before the end of the period is more
    /// than 30 days before that end, or who were never contacted. Behind it: person records.
    pub not_contacted_30: Figure,
    /// The same, for 60 days.
    pub not_contacted_60: Figure,
    /// The same, for 90 days.
    pub not_contacted_90: Figure,
    /// Distinct people of each role met here in the period. Behind each: the contacts.
    /// Every role, in `PersonRole::ALL` order, zeros included so gaps show.
    pub reach: Vec<(PersonRole, Figure)>,
    /// The five topics raised most here in the period, with their count just before.
    /// Most raised first.
    pub concerns: Vec<ConcernTrend>,
}

/// One week (Monday first) of the period, for the charts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WeekFigures {
    /// The Monday the week starts on (it may fall before the period; only days of the period
    /// are counted).
    pub start: NaiveDate,
    /// Contacts of the week. Aligned with [`ReviewReport::officers`].
    pub contacts_by_officer: Vec<Figure>,
    /// Follow-ups due on a day of the week, whenever they were promised.
    pub followups_due: Figure,
    /// Of those, the ones done on or before their due date.
    pub kept_on_time: Figure,
    /// Mean tone step (1 hostile .. 5 warm) of the week's contacts.
    pub mean_tone: Option<f64>,
    /// Contacts of the week raising each top concern. Aligned with
    /// [`ReviewReport::top_concerns`].
    pub concerns: Vec<Figure>,
}

/// Everything the review screen and the reports show for one period and scope.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReviewReport {
    pub period: Period,
    /// The one officer asked for, or `None` for the whole squad.
    pub officer: Option<Id>,
    pub today: NaiveDate,
    /// Every officer (role officer) and anyone else who logged a contact or promised a
    /// follow-up in the period, sorted by name. Just the one officer when one is asked for.
    pub officers: Vec<OfficerFigures>,
    /// Every neighborhood (records with the same name as one), sorted by name.
    pub neighborhoods: Vec<NeighborhoodFigures>,
    /// The five topics raised most in the period and scope, most first.
    pub top_concerns: Vec<String>,
    /// Every Monday-started week overlapping the period, oldest first.
    pub weeks: Vec<WeekFigures>,
}

impl Period {
    /// Dates outside these years are refused (they are typos, and date arithmetic on them
    /// would overflow).
    pub const FIRST_YEAR: i32 = 1900;
    pub const LAST_YEAR: i32 = 2200;
    /// The longest period a review covers, in days (25 years).
    pub const MAX_DAYS: i64 = 25 * 366;

    /// The days `from` to `to`, both included; refused when it ends before it starts.
    pub fn new(from: NaiveDate, to: NaiveDate) -> Result<Period, ValidationError> {
        if to < from {
            return Err(ValidationError::Rule(format!(
                "The period cannot end ({to}) before it starts ({from})."
            )));
        }
        for day in [from, to] {
            if !(Self::FIRST_YEAR..=Self::LAST_YEAR).contains(&day.year()) {
                return Err(ValidationError::Rule(format!(
                    "{day} is out of range: use dates between the years {} and {}.",
                    Self::FIRST_YEAR,
                    Self::LAST_YEAR
                )));
            }
        }
        if (to - from).num_days() >= Self::MAX_DAYS {
            return Err(ValidationError::Rule(format!(
                "A review covers at most {} years; choose a shorter period.",
                Self::MAX_DAYS / 366
            )));
        }
        Ok(Period { from, to })
    }

    /// Monday to Sunday of the week containing `today`.
    pub fn this_week(today: NaiveDate) -> Period {
        let monday = today - Duration::days(i64::from(today.weekday().num_days_from_monday()));
        Period {
            from: monday,
            to: end_of_week(today),
        }
    }

    /// The last `n` weeks (`n * 7` days) ending with `today`; `n` is at least one.
    pub fn last_weeks(today: NaiveDate, n: u32) -> Period {
        let days = i64::from(n.max(1)) * 7;
        Period {
            from: today - Duration::days(days - 1),
            to: today,
        }
    }

    /// The calendar quarter (January to March, April to June ...) containing `today`.
    pub fn quarter(today: NaiveDate) -> Period {
        let first_month = today.month0() / 3 * 3 + 1;
        let from = NaiveDate::from_ymd_opt(today.year(), first_month, 1);
        let next = if first_month == 10 {
            NaiveDate::from_ymd_opt(today.year() + 1, 1, 1)
        } else {
            NaiveDate::from_ymd_opt(today.year(), first_month + 3, 1)
        };
        match (from, next.and_then(|d| d.pred_opt())) {
            (Some(from), Some(to)) => Period { from, to },
            // Only at the very ends of the calendar chrono can represent.
            _ => Period {
                from: today,
                to: today,
            },
        }
    }

    /// The period of the same number of days that ends the day before this one starts.
    pub fn previous(&self) -> Period {
        let to = self.from - Duration::days(1);
        Period {
            from: to - Duration::days(self.days().max(1) - 1),
            to,
        }
    }

    /// How many days the period has, both ends included.
    pub fn days(&self) -> i64 {
        (self.to - self.from).num_days() + 1
    }

    pub fn contains(&self, day: NaiveDate) -> bool {
        self.from <= day && day <= self.to
    }

    /// Local midnight at the start of the first day, as UTC.
    pub fn start(&self) -> DateTime<Utc> {
        local_day_start(self.from)
    }

    /// Local midnight after the last day, as UTC (the period ends just before it).
    pub fn end(&self) -> DateTime<Utc> {
        self.to
            .succ_opt()
            .map_or(DateTime::<Utc>::MAX_UTC, local_day_start)
    }

    /// The Mondays of the weeks overlapping the period.
    fn week_starts(&self) -> Vec<NaiveDate> {
        let mut monday = Period::this_week(self.from).from;
        let mut out = Vec::new();
        while monday <= self.to {
            out.push(monday);
            monday += Duration::days(7);
        }
        out
    }
}

impl Figure {
    /// Counts the entries themselves (contacts or follow-ups).
    fn entries(behind: Behind, ids: Vec<Id>) -> Figure {
        let ids = sorted(ids);
        Figure {
            value: ids.len(),
            behind,
            ids,
        }
    }

    /// Counts `value` things (distinct people) found in the entries `ids`.
    fn counting(value: usize, behind: Behind, ids: Vec<Id>) -> Figure {
        Figure {
            value,
            behind,
            ids: sorted(ids),
        }
    }

    fn contacts(ids: Vec<Id>) -> Figure {
        Figure::entries(Behind::Contacts, ids)
    }
}

fn sorted<T: Ord>(mut ids: Vec<T>) -> Vec<T> {
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// How many different numbers there are (pushing and counting once beats a set per entry).
fn distinct(numbers: Vec<u32>) -> usize {
    sorted(numbers).len()
}

/// Small numbers standing for names compared for sameness, so the hot loop hashes integers.
struct Interner<K> {
    numbers: HashMap<K, u32>,
}

impl<K> Default for Interner<K> {
    fn default() -> Self {
        Interner {
            numbers: HashMap::default(),
        }
    }
}

impl<K: Hash + Eq> Interner<K> {
    /// The number of `key` and whether it was seen for the first time.
    fn number(&mut self, key: K) -> (u32, bool) {
        let next = self.numbers.len() as u32;
        let n = *self.numbers.entry(key).or_insert(next);
        (n, n == next)
    }
}

/// Names, roles and groupings loaded once, so every contact is looked up in memory.
struct Lookups {
    officers: HashMap<Id, Officer>,
    /// By slot: (the person the record stands for, their role); `None` for a slot with no
    /// record behind it.
    people: Vec<Option<(u32, PersonRole)>>,
    /// How many people the records stand for: their numbers are below it.
    named: u32,
    /// Live person records with a neighborhood: (person record, slot, neighborhood record).
    homes: Vec<(Id, u32, Id)>,
    /// Neighborhood record (deleted too) → its name's number.
    hood_names: HashMap<Id, u32>,
    /// How many different names the neighborhoods have.
    hood_name_count: u32,
    /// Live neighborhood record → index into `groups`.
    hood_group: HashMap<Id, usize>,
    /// Live neighborhoods grouped by name: (shown name, record ids), sorted by name.
    groups: Vec<(String, Vec<Id>)>,
    /// Tag record → topic number; topics grouped by name.
    topics: HashMap<Id, u32>,
    /// Topic number → (shown name, name as compared).
    topic_names: Vec<(String, String)>,
}

impl Lookups {
    fn load(store: &Store, facts: &dyn ReviewFacts) -> StoreResult<Lookups> {
        let mut officers = HashMap::default();
        for o in store.iter_all::<Officer>()? {
            let o = o?;
            officers.insert(o.meta.id, o);
        }

        let mut names_of_hoods = Interner::default();
        let mut hood_names = HashMap::default();
        let mut by_name: HashMap<String, usize> = HashMap::default();
        let mut groups: Vec<(String, String, Vec<Id>)> = Vec::new();
        for h in store.iter_all::<Neighborhood>()? {
            let h = h?;
            let norm = normalize_name(&h.name);
            hood_names.insert(h.meta.id, names_of_hoods.number(norm.clone()).0);
            if !h.meta.deleted {
                // Records come in id (creation) order, so the first one names the group.
                let g = *by_name.entry(norm.clone()).or_insert_with(|| {
                    groups.push((h.name.clone(), norm.clone(), Vec::new()));
                    groups.len() - 1
                });
                groups[g].2.push(h.meta.id);
            }
        }
        groups.sort_by(|a, b| a.1.cmp(&b.1).then_with(|| a.0.cmp(&b.0)));
        let mut hood_group = HashMap::default();
        for (g, (_, _, ids)) in groups.iter().enumerate() {
            for id in ids {
                hood_group.insert(*id, g);
            }
        }
        let groups = groups
            .into_iter()
            .map(|(name, _, ids)| (name, ids))
            .collect();

        let mut people = vec![None; facts.slots()];
        let mut homes = Vec::new();
        facts.people(&mut |p| {
            // The store gives its slots as it reads, so there may be no room made yet.
            let slot = p.slot as usize;
            if people.len() <= slot {
                people.resize(slot + 1, None);
            }
            people[slot] = Some((p.identity, p.role));
            if let (false, Some(h)) = (p.deleted, p.neighborhood) {
                homes.push((p.id, p.slot, h));
            }
        })?;
        let named = facts.identities() as u32;

        let mut topic_numbers = Interner::default();
        let mut topics = HashMap::default();
        let mut topic_names: Vec<(String, String)> = Vec::new();
        let mut topic_live: Vec<bool> = Vec::new();
        for t in store.iter_all::<Tag>()? {
            let t = t?;
            let norm = Tag::normalize(&t.name);
            let (n, first) = topic_numbers.number(norm.clone());
            if first {
                topic_names.push((t.name.clone(), norm));
                topic_live.push(!t.meta.deleted);
            } else if !topic_live[n as usize] && !t.meta.deleted {
                // A live record names the topic rather than a deleted one.
                topic_names[n as usize].0 = t.name.clone();
                topic_live[n as usize] = true;
            }
            topics.insert(t.meta.id, n);
        }

        Ok(Lookups {
            officers,
            people,
            named,
            homes,
            hood_name_count: names_of_hoods.numbers.len() as u32,
            hood_names,
            hood_group,
            groups,
            topics,
            topic_names,
        })
    }

    /// The person a slot stands for; a slot with no record in the log is a person of its own.
    fn person(&self, slot: u32) -> (u32, Option<PersonRole>) {
        match self.people.get(slot as usize).copied().flatten() {
            Some((n, role)) => (n, Some(role)),
            None => (self.named.saturating_add(slot), None),
        }
    }

    /// The number of a neighborhood's name; one missing from the log is numbered in
    /// `unknown`, after every name.
    fn hood_name(&self, id: Id, unknown: &std::sync::Mutex<Interner<Id>>) -> u32 {
        match self.hood_names.get(&id) {
            Some(n) => *n,
            None => {
                let mut unknown = unknown.lock().unwrap_or_else(PoisonError::into_inner);
                self.hood_name_count + unknown.number(id).0
            }
        }
    }

    /// The distinct topics of a contact, into `out`.
    fn topics_of(&self, tags: &[Id], out: &mut Vec<u32>) {
        out.clear();
        out.extend(tags.iter().filter_map(|t| self.topics.get(t).copied()));
        out.sort_unstable();
        out.dedup();
    }

    /// Topics sorted most raised first, ties by name.
    fn rank(&self, counts: impl Iterator<Item = (u32, usize)>) -> Vec<(u32, usize)> {
        let mut v: Vec<(u32, usize)> = counts.collect();
        v.sort_by(|a, b| {
            b.1.cmp(&a.1).then_with(|| {
                self.topic_names[a.0 as usize]
                    .1
                    .cmp(&self.topic_names[b.0 as usize].1)
            })
        });
        v
    }
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
