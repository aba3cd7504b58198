//! The review's counting: one walk over the period's contacts, and beside it the four weeks
//! before, the follow-ups and the silences, each into its own accumulators. The parent module
//! turns these into figures.

use std::sync::Mutex;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use rustc_hash::FxHashMap as HashMap;

use super::{local_day_start, Interner, Lookups, Period, SILENCE_DAYS};
use crate::model::{ContactKind, Id, Initiator, PersonRole};
use crate::store::{ContactFacts, Kept, ReviewFacts, StoreResult};

/// Whether an entry by `author` is counted: every officer's, or only the one asked for.
fn in_scope(officer: Option<Id>, author: Id) -> bool {
    officer.is_none_or(|o| o == author)
}

/// The period's local days and weeks, worked out once so that no entry asks the time zone.
pub(super) struct Calendar {
    period: Period,
    pub(super) week_starts: Vec<NaiveDate>,
    first_monday: NaiveDate,
    /// The local midnight starting each day of the period.
    day_starts: Vec<i64>,
    /// The moment each week after the first starts: a contact falls in the week whose
    /// following Monday it is before.
    week_ends: Vec<i64>,
}

impl Calendar {
    pub(super) fn new(period: Period) -> Self {
        let week_starts = period.week_starts();
        let first_monday = week_starts.first().copied().unwrap_or(period.from);
        let day_starts: Vec<i64> = (0..period.days())
            .map(|d| local_day_start(period.from + Duration::days(d)).timestamp_millis())
            .collect();
        let week_ends = week_starts
            .iter()
            .skip(1)
            .filter_map(|monday| {
                let day = usize::try_from((*monday - period.from).num_days()).ok()?;
                day_starts.get(day).copied()
            })
            .collect();
        Calendar {
            period,
            week_starts,
            first_monday,
            day_starts,
            week_ends,
        }
    }

    /// The week of the period a day falls in.
    fn week_of_day(&self, day: NaiveDate) -> Option<usize> {
        usize::try_from((day - self.first_monday).num_days() / 7)
            .ok()
            .filter(|w| *w < self.week_starts.len() && self.period.contains(day))
    }

    /// The week of a moment of the period.
    fn week_at(&self, at: i64) -> usize {
        self.week_ends.partition_point(|end| *end <= at)
    }

    /// The day of a moment of the period: from its first local midnight to the one after it.
    fn day_of(&self, at: i64) -> NaiveDate {
        let days_in = self.day_starts.partition_point(|start| *start <= at).max(1) - 1;
        self.period.from + Duration::days(days_in as i64)
    }
}

#[derive(Default)]
pub(super) struct OfficerAcc {
    pub(super) contacts: Vec<Id>,
    pub(super) named: Vec<Id>,
    /// (person, contact) for each person in each contact, once.
    pub(super) met: Vec<(u32, Id)>,
    /// The neighborhood (by name) of each contact, repeats kept until counted.
    pub(super) hoods: Vec<u32>,
    pub(super) meetings: Vec<Id>,
    pub(super) by_resident: Vec<Id>,
    pub(super) by_officer: Vec<Id>,
    pub(super) tone: [Vec<Id>; 5],
    pub(super) thin: Vec<Id>,
    pub(super) promises: PromiseAcc,
}

/// An officer's follow-ups promised in the period.
#[derive(Default)]
pub(super) struct PromiseAcc {
    pub(super) promised: Vec<Id>,
    pub(super) on_time: Vec<Id>,
    pub(super) late: Vec<Id>,
    pub(super) overdue: Vec<Id>,
    pub(super) days_to_keep: Vec<i64>,
}

pub(super) struct HoodAcc {
    pub(super) contacts: Vec<Id>,
    /// Per role in `PersonRole::ALL` order: the people met and the contacts they were in.
    pub(super) reach: Vec<(Vec<u32>, Vec<Id>)>,
    pub(super) topics: HashMap<u32, Vec<Id>>,
    /// How often each topic was raised in the period before.
    pub(super) before: HashMap<u32, usize>,
}

impl Default for HoodAcc {
    fn default() -> Self {
        HoodAcc {
            contacts: Vec::new(),
            reach: PersonRole::ALL.iter().map(|_| Default::default()).collect(),
            topics: HashMap::default(),
            before: HashMap::default(),
        }
    }
}

#[derive(Default)]
pub(super) struct WeekAcc {
    pub(super) by_officer: HashMap<Id, Vec<Id>>,
    pub(super) tone_sum: u64,
    pub(super) tone_count: u64,
    pub(super) topics: HashMap<u32, Vec<Id>>,
}

/// What the walk over the period's contacts counted.
pub(super) struct Walked {
    pub(super) by_officer: HashMap<Id, OfficerAcc>,
    /// Per neighborhood group of [`Lookups`].
    pub(super) hoods: Vec<HoodAcc>,
    /// Per week of the [`Calendar`].
    pub(super) weeks: Vec<WeekAcc>,
    pub(super) topic_totals: HashMap<u32, usize>,
}

impl Walked {
    /// Adds what another walk (over another span of the period) counted.
    pub(super) fn absorb(&mut self, other: Walked) {
        for (author, acc) in other.by_officer {
            self.by_officer.entry(author).or_default().absorb(acc);
        }
        for (h, other) in self.hoods.iter_mut().zip(other.hoods) {
            h.absorb(other);
        }
        for (w, other) in self.weeks.iter_mut().zip(other.weeks) {
            w.absorb(other);
        }
        for (topic, n) in other.topic_totals {
            *self.topic_totals.entry(topic).or_default() += n;
        }
    }
}

impl OfficerAcc {
    fn absorb(&mut self, other: OfficerAcc) {
        self.contacts.extend(other.contacts);
        self.named.extend(other.named);
        self.met.extend(other.met);
        self.hoods.extend(other.hoods);
        self.meetings.extend(other.meetings);
        self.by_resident.extend(other.by_resident);
        self.by_officer.extend(other.by_officer);
        for (tone, other) in self.tone.iter_mut().zip(other.tone) {
            tone.extend(other);
        }
        self.thin.extend(other.thin);
    }
}

impl HoodAcc {
    fn absorb(&mut self, other: HoodAcc) {
        self.contacts.extend(other.contacts);
        for ((people, contacts), (more_people, more_contacts)) in
            self.reach.iter_mut().zip(other.reach)
        {
            people.extend(more_people);
            contacts.extend(more_contacts);
        }
        absorb_lists(&mut self.topics, other.topics);
    }
}

impl WeekAcc {
    fn absorb(&mut self, other: WeekAcc) {
        absorb_lists(&mut self.by_officer, other.by_officer);
        self.tone_sum += other.tone_sum;
        self.tone_count += other.tone_count;
        absorb_lists(&mut self.topics, other.topics);
    }
}

fn absorb_lists<K: std::hash::Hash + Eq>(
    lists: &mut HashMap<K, Vec<Id>>,
    more: HashMap<K, Vec<Id>>,
) {
    for (key, ids) in more {
        lists.entry(key).or_default().extend(ids);
    }
}

/// A contact's people as the review tells them apart, sorted, into `out`.
fn people_met(look: &Lookups, people: &[u32], out: &mut Vec<(u32, Option<PersonRole>)>) {
    out.clear();
    out.extend(people.iter().map(|p| look.person(*p)));
    out.sort_unstable();
    out.dedup();
}

/// Walks the period's contacts from `from` to `to` (milliseconds) once; the neighborhoods
/// missing from the log are numbered in `unknown_hoods`, shared by the walks of one review.
pub(super) fn walk(
    facts: &dyn ReviewFacts,
    look: &Lookups,
    calendar: &Calendar,
    officer: Option<Id>,
    (from, to): (DateTime<Utc>, DateTime<Utc>),
    unknown_hoods: &Mutex<Interner<Id>>,
) -> StoreResult<Walked> {
    let mut by_officer: HashMap<Id, OfficerAcc> = HashMap::default();
    let mut hoods: Vec<HoodAcc> = look.groups.iter().map(|_| HoodAcc::default()).collect();
    let mut weeks: Vec<WeekAcc> = calendar
        .week_starts
        .iter()
        .map(|_| WeekAcc::default())
        .collect();
    let mut topic_totals: HashMap<u32, usize> = HashMap::default();
    let mut met = Vec::new();
    let mut topics = Vec::new();
    facts.contacts_between(from, to, &mut |c: &ContactFacts<'_>| {
        if !in_scope(officer, c.owner) {
            return;
        }
        let id = c.id;
        people_met(look, c.people, &mut met);
        let hood_name = look.hood_name(c.neighborhood, unknown_hoods);
        look.topics_of(c.tags, &mut topics);

        let acc = by_officer.entry(c.owner).or_default();
        acc.contacts.push(id);
        if !c.people.is_empty() {
            acc.named.push(id);
        }
        let mut last = None;
        for (person, _) in &met {
            // Two records of one person in the same contact are one meeting.
            if last != Some(*person) {
                acc.met.push((*person, id));
            }
            last = Some(*person);
        }
        acc.hoods.push(hood_name);
        if matches!(c.kind, ContactKind::CommunityMeeting | ContactKind::Event) {
            acc.meetings.push(id);
        }
        match c.initiated_by {
            Initiator::Resident => acc.by_resident.push(id),
            Initiator::Officer => acc.by_officer.push(id),
        }
        acc.tone[c.tone as usize].push(id);
        if c.thin_note {
            acc.thin.push(id);
        }

        for t in &topics {
            *topic_totals.entry(*t).or_default() += 1;
        }
        if let Some(g) = look.hood_group.get(&c.neighborhood) {
            let h = &mut hoods[*g];
            h.contacts.push(id);
            for (person, role) in &met {
                if let Some(role) = role {
                    let (people, contacts) = &mut h.reach[*role as usize];
                    people.push(*person);
                    contacts.push(id);
                }
            }
            for t in &topics {
                h.topics.entry(*t).or_default().push(id);
            }
        }
        if let Some(w) = weeks.get_mut(calendar.week_at(c.at)) {
            w.by_officer.entry(c.owner).or_default().push(id);
            w.tone_sum += u64::from(c.tone.step());
            w.tone_count += 1;
            for t in &topics {
                w.topics.entry(*t).or_default().push(id);
            }
        }
    })?;
    Ok(Walked {
        by_officer,
        hoods,
        weeks,
        topic_totals,
    })
}

/// How often each topic was raised in each neighborhood group in `before` (the concern
/// trends' comparison).
pub(super) fn topics_before(
    facts: &dyn ReviewFacts,
    look: &Lookups,
    before: Period,
    officer: Option<Id>,
) -> StoreResult<Vec<HashMap<u32, usize>>> {
    let mut counts: Vec<HashMap<u32, usize>> =
        look.groups.iter().map(|_| HashMap::default()).collect();
    let mut topics = Vec::new();
    facts.contacts_between(before.start(), before.end(), &mut |c: &ContactFacts<'_>| {
        if !in_scope(officer, c.owner) {
            return;
        }
        if let Some(g) = look.hood_group.get(&c.neighborhood) {
            look.topics_of(c.tags, &mut topics);
            for t in &topics {
                *counts[*g].entry(*t).or_default() += 1;
            }
        }
    })?;
    Ok(counts)
}

/// The follow-ups counted: per officer, those promised in the period; per week, those due and
/// those kept on time.
pub(super) struct Promises {
    pub(super) by_officer: HashMap<Id, PromiseAcc>,
    pub(super) weeks: Vec<(Vec<Id>, Vec<Id>)>,
}

pub(super) fn promises(
    facts: &dyn ReviewFacts,
    calendar: &Calendar,
    officer: Option<Id>,
    today: NaiveDate,
) -> StoreResult<Promises> {
    let mut by_officer: HashMap<Id, PromiseAcc> = HashMap::default();
    let mut weeks: Vec<(Vec<Id>, Vec<Id>)> = calendar
        .week_starts
        .iter()
        .map(|_| Default::default())
        .collect();
    let period = calendar.period;
    let promised_in = period.start().timestamp_millis()..period.end().timestamp_millis();
    facts.follow_ups(&mut |f| {
        if !in_scope(officer, f.owner) {
            return;
        }
        let id = f.id;
        if promised_in.contains(&f.promised_at) {
            let acc = by_officer.entry(f.owner).or_default();
            acc.promised.push(id);
            match f.kept {
                Kept::Done(on) => {
                    if on <= f.due {
                        acc.on_time.push(id);
                    } else {
                        acc.late.push(id);
                    }
                    acc.days_to_keep
                        .push((on - calendar.day_of(f.promised_at)).num_days());
                }
                Kept::Open if f.due < today => acc.overdue.push(id),
                Kept::Open | Kept::Dropped => {}
            }
        }
        if let Some((due, kept)) = calendar.week_of_day(f.due).and_then(|w| weeks.get_mut(w)) {
            due.push(id);
            if matches!(f.kept, Kept::Done(on) if on <= f.due) {
                kept.push(id);
            }
        }
    })?;
    Ok(Promises { by_officer, weeks })
}

/// Per cutoff of [`SILENCE_DAYS`]: how many people were not contacted since, and their records.
pub(super) type Silences = [(usize, Vec<Id>); 3];

/// The people living in each neighborhood group who were not contacted for a while.
pub(super) fn silences(
    facts: &dyn ReviewFacts,
    look: &Lookups,
    period: &Period,
) -> StoreResult<Vec<Silences>> {
    // Records with a live home, in id order (so the ids behind each figure come out sorted),
    // with their group and the person they stand for.
    let mut homes: Vec<(Id, u32, usize, u32)> = look
        .homes
        .iter()
        .filter_map(|&(record, slot, home)| {
            let group = *look.hood_group.get(&home)?;
            let (person, _) = look.people.get(slot as usize).copied().flatten()?;
            Some((record, slot, group, person))
        })
        .collect();
    homes.sort_unstable_by_key(|h| h.0);
    // Records of one person (merged logs) share one silence: the newest of their contacts
    // before the period's end.
    let end = period.end();
    let mut newest: Vec<Option<i64>> = vec![None; look.named as usize];
    for &(_, slot, _, person) in &homes {
        let last = facts.last_contact_with_before(slot, end)?;
        if let Some(n) = newest.get_mut(person as usize) {
            *n = (*n).max(last);
        }
    }
    // "N days before the end" counts calendar days, so a clock change does not move it.
    let end_day = period.to.succ_opt().unwrap_or(period.to);
    let cutoffs =
        SILENCE_DAYS.map(|days| local_day_start(end_day - Duration::days(days)).timestamp_millis());
    // Per group and cutoff: the people not contacted since, and their records.
    let mut silent: Vec<Silences> = look.groups.iter().map(|_| Default::default()).collect();
    // Per person, one bit per cutoff: counted already.
    let mut counted = vec![0u8; newest.len()];
    for &(record, _, group, person) in &homes {
        let person = person as usize;
        let last = newest.get(person).copied().flatten();
        for (k, cutoff) in cutoffs.iter().enumerate() {
            if last.is_none_or(|t| t < *cutoff) {
                let (count, ids) = &mut silent[group][k];
                ids.push(record);
                if counted[person] & (1 << k) == 0 {
                    counted[person] |= 1 << k;
                    *count += 1;
                }
            }
        }
    }

    Ok(silent)
}
