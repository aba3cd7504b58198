//! Synthetic precinct data for trying the app, demos and load tests.
//!
//! Owns everything about made-up records: the name and place lists, the note templates and the
//! pseudo-random generator that picks among them. The same seed always produces the same
//! records' content (names, notes, kinds, tones, follow-ups); only ids and timestamps depend on
//! the store and the clock, because contacts are spread over the days before "now".

use chrono::{DateTime, Duration, Local, NaiveDate, NaiveTime, Utc};

use crate::model::{Id, Neighborhood, Officer, PersonRole, RecordCounts, Tag};
use crate::store::{AuditSubject, Profile, Store, StoreResult};

mod cast;
mod contacts;
mod problems;
mod rng;
mod text;
mod words;

pub use rng::SplitMix64;
use text::HoodPlaces;

/// How much to generate, and from which seed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoOptions {
    pub officers: usize,
    pub neighborhoods: usize,
    pub contacts: usize,
    pub seed: u64,
}

impl Default for DemoOptions {
    fn default() -> Self {
        DemoOptions {
            officers: 4,
            neighborhoods: 6,
            contacts: 600,
            seed: 1,
        }
    }
}

/// How far back contacts go.
const SPAN_DAYS: i64 = 120;

/// Picks `k` distinct items from `pool` (all of them when `k` is larger).
fn sample<T: Copy>(rng: &mut SplitMix64, pool: &[T], k: usize) -> Vec<T> {
    let mut items = pool.to_vec();
    let k = k.min(items.len());
    for i in 0..k {
        let j = i + rng.below(items.len() - i);
        items.swap(i, j);
    }
    items.truncate(k);
    items
}

/// Local `date` at `hour:minute`, as UTC, stepping past a daylight-saving gap.
fn local_at(date: NaiveDate, hour: u32, minute: u32) -> DateTime<Utc> {
    let time = NaiveTime::from_hms_opt(hour.min(23), minute.min(59), 0).unwrap_or(NaiveTime::MIN);
    crate::model::local_moment(date, time)
}

/// Reports progress about a hundred times over the whole run, not on every record.
struct Progress<'a> {
    done: usize,
    total: usize,
    step: usize,
    next: usize,
    report: &'a mut dyn FnMut(usize, usize),
}

impl Progress<'_> {
    fn advance(&mut self, n: usize) {
        self.done = (self.done + n).min(self.total);
        if self.done >= self.next {
            (self.report)(self.done, self.total);
            self.next = self.done + self.step;
        }
    }
}

/// The made-up precinct as it grows: each step adds one kind of record and the next steps
/// draw on what the earlier ones made.
#[derive(Default)]
struct Precinct {
    officers: Vec<Officer>,
    /// How often each officer is drawn as an author: the first writes about half of everything.
    officer_weights: Vec<usize>,
    tags: Vec<Tag>,
    tag_names: Vec<String>,
    tag_indexes: Vec<usize>,
    hoods: Vec<Neighborhood>,
    places: Vec<HoodPlaces>,
    /// Each person's id, how notes mention them, and their role.
    people: Vec<(Id, String, PersonRole)>,
    /// For each neighborhood, the indexes (into `people`) of those who live there.
    hood_people: Vec<Vec<usize>>,
}

/// One run of the generator: the store, the random draws, the clock it spreads records over,
/// and what it has added so far.
struct Run<'a> {
    store: &'a Store,
    rng: SplitMix64,
    summary: RecordCounts,
    progress: Progress<'a>,
    now: DateTime<Utc>,
    today: NaiveDate,
    /// When the precinct's officers, neighborhoods and topics are dated.
    setup_time: DateTime<Utc>,
}

/// What a contact may lead to: drawn for every contact, used for one in five, so the content
/// stays the same however the day falls.
struct PromiseDraw {
    made: bool,
    due_in: i64,
    status_roll: usize,
    done_after: i64,
    template: &'static str,
    outcome_done: &'static str,
    outcome_dropped: &'static str,
}

/// Fills `store` with a synthetic precinct. See the module docs for what is deterministic.
///
/// Records are staged and flushed once at the end, so an interrupted run may leave part of the
/// data, but never a half-written record.
pub fn generate(
    store: &Store,
    opts: &DemoOptions,
    progress: &mut dyn FnMut(usize, usize),
) -> StoreResult<RecordCounts> {
    let mut rng = SplitMix64::new(opts.seed);
    let now = Utc::now();

    let existing_profile = store.profile()?;
    let existing_officers = store.all::<Officer>()?;
    // In a store that is set up, the profile's officer is one of the authors.
    let profile_officer = existing_profile
        .as_ref()
        .and_then(|p| existing_officers.iter().find(|o| o.meta.id == p.officer));
    let new_officers = match profile_officer {
        Some(_) => opts.officers.saturating_sub(1),
        None => opts.officers.max(1),
    };
    let hood_count = opts.neighborhoods.max(1);
    let people_count = (opts.contacts / 4).max(20);
    let journal_counts: Vec<usize> = (0..hood_count).map(|_| rng.between(3, 8)).collect();
    let total = new_officers
        + hood_count
        + people_count
        + opts.contacts
        + journal_counts.iter().sum::<usize>();
    let mut run = Run {
        store,
        rng,
        summary: RecordCounts::default(),
        progress: Progress {
            done: 0,
            total,
            step: (total / 100).max(1),
            next: 0,
            report: progress,
        },
        now,
        today: now.with_timezone(&Local).date_naive(),
        setup_time: now - Duration::days(SPAN_DAYS + 30),
    };
    run.progress.advance(0);

    let mut precinct = Precinct::default();
    run.officers(
        &mut precinct,
        profile_officer,
        &existing_officers,
        new_officers,
    )?;
    let Some(first_officer) = precinct.officers.first().map(|o| o.meta.id) else {
        // A profile naming a missing officer and no officers asked for: nobody can author data.
        return Err(crate::store::StoreError::NotSetUp);
    };
    run.topics(&mut precinct, first_officer)?;
    run.neighborhoods(&mut precinct, hood_count, first_officer)?;
    run.people(&mut precinct, people_count)?;
    run.contacts(&precinct, opts.contacts)?;
    run.journal_notes(&precinct, &journal_counts)?;
    run.problems(&precinct)?;

    if existing_profile.is_none() {
        store.set_profile(&Profile {
            officer: first_officer,
            last_neighborhood: precinct.hoods.first().map(|h| h.meta.id),
            backup_keep_days: Profile::default_backup_days(),
            idle_lock_minutes: Profile::default_idle_lock_minutes(),
            retention: Default::default(),
        })?;
    }
    let summary = run.summary;
    // One entry for the whole precinct rather than one per made-up record.
    store.record_event(
        "generated demo data",
        AuditSubject::counted(&[
            (summary.officers, "officers"),
            (summary.neighborhoods, "neighborhoods"),
            (summary.people, "people"),
            (summary.contacts, "contacts"),
            (summary.followups, "follow-ups"),
            (summary.journal_notes, "journal notes"),
            (summary.problems, "problems"),
            (summary.priorities, "priorities"),
        ]),
        "done",
    )?;
    (run.progress.report)(run.progress.total, run.progress.total);
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{
        Contact, ContactKind, FollowUp, FollowUpStatus, JournalNote, Person, Role, Tone,
    };

    fn content(store: &Store) -> Vec<(String, ContactKind, Tone, String)> {
        let mut v: Vec<_> = store
            .all::<Contact>()
            .unwrap()
            .into_iter()
            .map(|c| (c.note, c.kind, c.tone, c.place))
            .collect();
        v.sort_by(|a, b| a.0.cmp(&b.0).then(a.3.cmp(&b.3)));
        v
    }

    fn small(seed: u64) -> DemoOptions {
        DemoOptions {
            officers: 3,
            neighborhoods: 4,
            contacts: 300,
            seed,
        }
    }

    #[test]
    fn splitmix_is_stable() {
        // First outputs of SplitMix64 seeded with 0, as published with the algorithm.
        let mut r = SplitMix64::new(0);
        assert_eq!(r.next_u64(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(r.next_u64(), 0x6E78_9E6A_A1B9_65F4);
        let mut r = SplitMix64::new(9);
        for _ in 0..1000 {
            assert!(r.below(7) < 7);
            let b = r.between(3, 5);
            assert!((3..=5).contains(&b));
        }
    }

    #[test]
    fn same_seed_same_content() {
        let a = tempfile::tempdir().unwrap();
        let b = tempfile::tempdir().unwrap();
        let sa = Store::open(a.path(), &crate::store::test_passphrase()).unwrap();
        let sb = Store::open(b.path(), &crate::store::test_passphrase()).unwrap();
        let ra = generate(&sa, &small(7), &mut |_, _| {}).unwrap();
        let rb = generate(&sb, &small(7), &mut |_, _| {}).unwrap();
        assert_eq!(ra, rb);
        assert_eq!(content(&sa), content(&sb));
        let mut pa: Vec<_> = sa
            .all::<Person>()
            .unwrap()
            .into_iter()
            .map(|p| p.name)
            .collect();
        let mut pb: Vec<_> = sb
            .all::<Person>()
            .unwrap()
            .into_iter()
            .map(|p| p.name)
            .collect();
        pa.sort();
        pb.sort();
        assert_eq!(pa, pb);

        let c = tempfile::tempdir().unwrap();
        let sc = Store::open(c.path(), &crate::store::test_passphrase()).unwrap();
        generate(&sc, &small(8), &mut |_, _| {}).unwrap();
        assert_ne!(content(&sa), content(&sc));
    }

    #[test]
    fn demo_store_is_consistent_and_varied() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path(), &crate::store::test_passphrase()).unwrap();
        let mut calls = 0;
        let mut last = (0, 0);
        let summary = generate(&store, &DemoOptions::default(), &mut |d, t| {
            calls += 1;
            last = (d, t);
        })
        .unwrap();
        assert!(calls > 10);
        assert_eq!(last.0, last.1);
        assert_eq!(summary.contacts, 600);
        assert_eq!(summary.officers, 4);
        assert_eq!(summary.neighborhoods, 6);
        assert_eq!(summary.people, 150);
        assert_eq!(summary.tags, Tag::DEFAULTS.len());
        let report = store.check().unwrap();
        assert!(report.is_ok(), "{:?}", report.problems);

        let profile = store.require_profile().unwrap();
        let officers = store.all::<Officer>().unwrap();
        let me = officers
            .iter()
            .find(|o| o.meta.id == profile.officer)
            .unwrap();
        assert_eq!(me.role, Role::Officer);
        assert_eq!(
            officers.iter().filter(|o| o.role == Role::Sergeant).count(),
            1
        );
        assert!(profile.last_neighborhood.is_some());

        let contacts = store.all::<Contact>().unwrap();
        for k in ContactKind::ALL {
            assert!(contacts.iter().any(|c| c.kind == k), "no {k:?}");
        }
        let neutral = contacts.iter().filter(|c| c.tone == Tone::Neutral).count();
        let hostile = contacts.iter().filter(|c| c.tone == Tone::Hostile).count();
        assert!(neutral > hostile * 3);
        let earliest = contacts.iter().map(|c| c.at).min().unwrap();
        assert!(Utc::now() - earliest > Duration::days(60));
        assert!(contacts.iter().all(|c| c.at <= Utc::now()));
        // Ids follow contact times.
        let mut by_id = contacts.clone();
        by_id.sort_by_key(|c| c.meta.id);
        assert!(by_id.windows(2).all(|w| w[0].at <= w[1].at));
        assert!(contacts.iter().any(|c| !c.note.contains(' ')));
        assert!(contacts.iter().any(|c| c.note.len() > 150));

        let people = store.all::<Person>().unwrap();
        let consented = people.iter().filter(|p| p.consent.is_some()).count();
        assert!(consented > people.len() / 5 && consented < people.len() * 3 / 5);

        let today = Local::now().date_naive();
        let followups = store.all::<FollowUp>().unwrap();
        assert!(followups.len() > 60 && followups.len() < 200);
        assert!(followups
            .iter()
            .any(|f| matches!(f.status, FollowUpStatus::Done { .. })));
        assert!(followups
            .iter()
            .any(|f| matches!(f.status, FollowUpStatus::Dropped { .. })));
        assert!(followups
            .iter()
            .any(|f| f.status.is_open() && f.due < today));
        assert!(followups
            .iter()
            .any(|f| f.status.is_open() && f.due >= today));
        let notes = store.all::<JournalNote>().unwrap();
        for h in store.all::<Neighborhood>().unwrap() {
            assert!(notes.iter().filter(|n| n.neighborhood == h.meta.id).count() >= 3);
        }
    }

    #[test]
    fn adds_to_a_store_that_is_set_up() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path(), &crate::store::test_passphrase()).unwrap();
        let profile = store
            .set_up("Dana Reyes", "4411", Role::Officer, "Riverside")
            .unwrap();
        let summary = generate(&store, &small(3), &mut |_, _| {}).unwrap();
        assert_eq!(summary.officers, 2);
        assert_eq!(summary.tags, 0);
        // "Riverside" existed already and is reused.
        assert_eq!(summary.neighborhoods, 3);
        assert_eq!(store.require_profile().unwrap(), profile);
        let mine = store
            .all::<Contact>()
            .unwrap()
            .into_iter()
            .filter(|c| c.meta.author == profile.officer)
            .count();
        assert!(mine > 50);
        assert!(store.check().unwrap().is_ok());
    }
}
