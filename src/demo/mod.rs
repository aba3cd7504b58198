//! Synthetic precinct data for trying the app, demos and load tests.
//!
//! Owns everything about made-up records: the name and place lists, the note templates and the
//! pseudo-random generator that picks among them. The same seed always produces the same
//! records' content (names, notes, kinds, tones, follow-ups); only ids and timestamps depend on
//! the store and the clock, because contacts are spread over the days before "now".

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, Local, NaiveDate, NaiveTime, Utc};

use crate::model::{
    Contact, ContactDetails, ContactKind, FollowUp, FollowUpStatus, Id, Initiator, JournalNote,
    Meta, Neighborhood, Officer, Person, PersonRole, RecordCounts, Role, Tag, Tone,
};
use crate::store::{AuditSubject, Profile, Store, StoreResult};

mod rng;
mod words;

pub use rng::SplitMix64;
use words::*;

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

/// The places that belong to one neighborhood.
struct HoodPlaces {
    streets: Vec<&'static str>,
    businesses: Vec<&'static str>,
    parks: Vec<&'static str>,
    schools: Vec<&'static str>,
    meetings: Vec<&'static str>,
    /// Topics that come up here more than elsewhere (indexes into the tag list).
    favored: Vec<usize>,
}

/// The values a template's `{slots}` are filled from.
struct Slots<'a> {
    places: &'a HoodPlaces,
    /// Where the contact happened.
    place: &'a str,
    event: &'a str,
    who: &'a str,
    topic: &'a str,
    topic2: &'a str,
}

/// Fills `{slot}` markers from `slots`, drawing streets and places at random as they appear.
/// A slot written with a capital (`{Who}`) is filled capitalized.
fn fill(template: &str, slots: &Slots<'_>, rng: &mut SplitMix64, out: &mut String) {
    let mut rest = template;
    let mut last_street = "";
    let mut value = String::new();
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            out.push_str(&rest[open..]);
            return;
        };
        let key = &after[..close];
        let capital = key.starts_with(|c: char| c.is_ascii_uppercase());
        let p = slots.places;
        value.clear();
        match key.to_ascii_lowercase().as_str() {
            "street" => {
                last_street = rng.pick(&p.streets);
                value.push_str(last_street);
            }
            "street2" => {
                let mut s = rng.pick(&p.streets);
                if s == last_street {
                    let at = p.streets.iter().position(|x| *x == s).unwrap_or(0);
                    s = p.streets[(at + 1) % p.streets.len()];
                }
                value.push_str(s);
            }
            "business" => value.push_str(rng.pick(&p.businesses)),
            "park" => value.push_str(rng.pick(&p.parks)),
            "school" => value.push_str(rng.pick(&p.schools)),
            "meeting" => value.push_str(rng.pick(&p.meetings)),
            "place" => value.push_str(slots.place),
            "event" => value.push_str(slots.event),
            "who" => value.push_str(slots.who),
            "topic" => value.push_str(slots.topic),
            "topic2" => value.push_str(slots.topic2),
            "n" => value.push_str(&rng.between(8, 60).to_string()),
            _ => {
                value.push('{');
                value.push_str(key);
                value.push('}');
            }
        }
        if capital {
            push_capitalized(out, &value);
        } else {
            out.push_str(&value);
        }
        rest = &after[close + 1..];
    }
    out.push_str(rest);
}

fn push_capitalized(out: &mut String, s: &str) {
    let mut chars = s.chars();
    if let Some(c) = chars.next() {
        out.extend(c.to_uppercase());
        out.push_str(chars.as_str());
    }
}

fn sentences_for(
    list: &[(&'static str, &'static [&'static str])],
    topic: &str,
) -> &'static [&'static str] {
    list.iter()
        .find(|(t, _)| *t == topic)
        .map(|(_, s)| *s)
        .unwrap_or(&GENERIC_TOPIC)
}

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
    let mut summary = RecordCounts::default();
    let now = Utc::now();
    let today = now.with_timezone(&Local).date_naive();
    let setup_time = now - Duration::days(SPAN_DAYS + 30);

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
    let mut progress = Progress {
        done: 0,
        total,
        step: (total / 100).max(1),
        next: 0,
        report: progress,
    };
    progress.advance(0);

    // Officers. Badges already used in the store are skipped so a second run adds new people.
    let mut used_badges: HashSet<String> =
        existing_officers.iter().map(|o| o.badge.clone()).collect();
    let mut officers: Vec<Officer> = profile_officer.into_iter().cloned().collect();
    let mut officer_names = HashSet::new();
    let mut next_badge = 10_000;
    for i in 0..new_officers {
        // Random picks first; numbered fallbacks keep a huge squad from running out of names.
        let mut name = String::new();
        for _ in 0..20 {
            let n = format!("{} {}", rng.pick(&FIRST_NAMES), rng.pick(&LAST_NAMES));
            if officer_names.insert(n.clone()) {
                name = n;
                break;
            }
        }
        if name.is_empty() {
            name = format!(
                "{} {} {}",
                rng.pick(&FIRST_NAMES),
                rng.pick(&LAST_NAMES),
                i + 1
            );
            officer_names.insert(name.clone());
        }
        let mut badge = String::new();
        for _ in 0..20 {
            let b = (1000 + rng.below(9000)).to_string();
            if used_badges.insert(b.clone()) {
                badge = b;
                break;
            }
        }
        while badge.is_empty() {
            let b = next_badge.to_string();
            next_badge += 1;
            if used_badges.insert(b.clone()) {
                badge = b;
            }
        }
        // The first officer (the profile's, in a new store) works a beat; one other supervises.
        let role = if officers.len() == 1 {
            Role::Sergeant
        } else {
            Role::Officer
        };
        let id = store.new_id_at(setup_time)?;
        let officer = Officer {
            meta: Meta::new(id, id, setup_time),
            name,
            badge,
            role,
        };
        officers.push(store.stage_unrecorded(officer, id)?);
        summary.officers += 1;
        progress.advance(1);
    }
    let Some(first_officer) = officers.first().map(|o| o.meta.id) else {
        // A profile naming a missing officer and no officers asked for: nobody can author data.
        return Err(crate::store::StoreError::NotSetUp);
    };
    // The profile's officer (first) writes about half of everything.
    let officer_weights: Vec<usize> = (0..officers.len())
        .map(|i| if i == 0 { officers.len().max(2) } else { 1 })
        .collect();

    // Topics: the store's own, or the defaults when it has none yet.
    let mut tags = store.all::<Tag>()?;
    if tags.is_empty() {
        for name in Tag::DEFAULTS {
            let tag = Tag {
                meta: Meta::new(store.new_id_at(setup_time)?, first_officer, setup_time),
                name: name.to_string(),
            };
            tags.push(store.stage_unrecorded(tag, first_officer)?);
            summary.tags += 1;
        }
    }
    let tag_names: Vec<String> = tags.iter().map(|t| t.name.clone()).collect();
    let tag_indexes: Vec<usize> = (0..tags.len()).collect();

    // Neighborhoods: names already in the store are reused rather than duplicated.
    let mut existing_hoods: HashMap<String, Neighborhood> = store
        .all::<Neighborhood>()?
        .into_iter()
        .map(|h| (h.name.to_lowercase(), h))
        .collect();
    let mut hoods: Vec<Neighborhood> = Vec::with_capacity(hood_count);
    let mut places: Vec<HoodPlaces> = Vec::with_capacity(hood_count);
    for i in 0..hood_count {
        let base = HOOD_NAMES[i % HOOD_NAMES.len()];
        let round = i / HOOD_NAMES.len();
        let name = match round {
            0 => base.to_string(),
            r if r <= HOOD_SUFFIXES.len() => format!("{base} {}", HOOD_SUFFIXES[r - 1]),
            r => format!("{base} {}", r + 1),
        };
        let hood = match existing_hoods.remove(&name.to_lowercase()) {
            Some(h) => h,
            None => {
                let id = store.new_id_at(setup_time)?;
                summary.neighborhoods += 1;
                store.stage_unrecorded(
                    Neighborhood {
                        meta: Meta::new(id, first_officer, setup_time),
                        name,
                    },
                    first_officer,
                )?
            }
        };
        hoods.push(hood);
        let favored_count = rng.between(2, 4);
        places.push(HoodPlaces {
            streets: sample(&mut rng, &STREETS, 8),
            businesses: sample(&mut rng, &BUSINESSES, 6),
            parks: sample(&mut rng, &PARKS, 2),
            schools: sample(&mut rng, &SCHOOLS, 3),
            meetings: sample(&mut rng, &MEETING_PLACES, 2),
            favored: sample(&mut rng, &tag_indexes, favored_count),
        });
        progress.advance(1);
    }

    // People, each belonging to a neighborhood (a few to none).
    // Each person's id, how notes mention them, and their role.
    let mut people: Vec<(Id, String, PersonRole)> = Vec::with_capacity(people_count);
    let mut hood_people: Vec<Vec<usize>> = vec![Vec::new(); hood_count];
    let mut names_used: HashSet<String> = HashSet::new();
    for p in 0..people_count {
        let hood_ix = rng.below(hood_count);
        let home = if rng.chance(92) { Some(hood_ix) } else { None };
        let role = PersonRole::ALL[rng.weighted(&[50, 15, 6, 4, 7, 12, 6])];
        let first = rng.pick(&FIRST_NAMES);
        let last = rng.pick(&LAST_NAMES);
        let hood_name = hoods[hood_ix].name.as_str();
        let candidate = match role {
            PersonRole::Youth => format!("{first} {}.", last.chars().next().unwrap_or('X')),
            PersonRole::CommunityGroup => {
                format!("{hood_name} {}", rng.pick(&GROUP_KINDS))
            }
            PersonRole::Resident if rng.chance(8) => rng.pick(&DESCRIPTIONS).to_string(),
            _ => format!("{first} {last}"),
        };
        let name = unique_name(&mut rng, &mut names_used, candidate, first, last, p);
        // How notes refer to the person: a description reads "the night-shift nurse".
        let mention = if DESCRIPTIONS.contains(&name.as_str()) {
            let mut chars = name.chars();
            let mut m = String::from("the ");
            m.extend(chars.next().map(|c| c.to_ascii_lowercase()));
            m.push_str(chars.as_str());
            m
        } else {
            name.clone()
        };
        let consent = if role != PersonRole::Youth && rng.chance(40) {
            let agreed = today - Duration::days(rng.between(1, 200) as i64);
            let email_user: String = format!("{first}.{last}")
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || *c == '.')
                .collect::<String>()
                .to_lowercase();
            Some(ContactDetails {
                agreed_on: Some(agreed),
                phone: format!("+1 555 01{:02}", rng.below(100)),
                email: if rng.chance(70) {
                    format!("{email_user}@example.org")
                } else {
                    String::new()
                },
                address: if rng.chance(50) {
                    format!(
                        "{} {}",
                        rng.between(100, 2999),
                        rng.pick(&places[hood_ix].streets)
                    )
                } else {
                    String::new()
                },
            })
        } else {
            None
        };
        let notes = match role {
            PersonRole::BusinessOwner => format!("Owns {}.", rng.pick(&places[hood_ix].businesses)),
            PersonRole::SchoolStaff => format!("Works at {}.", rng.pick(&places[hood_ix].schools)),
            PersonRole::BlockCaptain => {
                format!("Block captain for {}.", rng.pick(&places[hood_ix].streets))
            }
            _ if rng.chance(15) => "Prefers texts after 6 pm.".to_string(),
            _ => String::new(),
        };
        let created = setup_time + Duration::days(rng.below(25) as i64);
        let author = officers[rng.weighted(&officer_weights)].meta.id;
        let person = Person {
            meta: Meta::new(store.new_id_at(created)?, author, created),
            name,
            role,
            neighborhood: home.map(|h| hoods[h].meta.id),
            notes,
            consent,
        };
        let person = store.stage_unrecorded(person, author)?;
        if let Some(h) = home {
            hood_people[h].push(people.len());
        }
        people.push((person.meta.id, mention, role));
        summary.people += 1;
        progress.advance(1);
    }

    // Contacts and the promises made during them.
    let all_people: Vec<usize> = (0..people.len()).collect();
    let mut note = String::with_capacity(512);
    for _ in 0..opts.contacts {
        let author_ix = rng.weighted(&officer_weights);
        let author = officers[author_ix].meta.id;
        // Each officer has a home beat; most of their contacts happen there.
        let hood_ix = if rng.chance(75) {
            author_ix % hood_count
        } else {
            rng.below(hood_count)
        };
        let hp = &places[hood_ix];
        let kind = ContactKind::ALL[rng.weighted(&[30, 15, 5, 5, 8, 15, 10, 12])];
        let tone = Tone::ALL[rng.weighted(&[3, 12, 40, 33, 12])];
        let initiated_by = match kind {
            ContactKind::ConcernReported | ContactKind::PhoneOrMessage if rng.chance(80) => {
                Initiator::Resident
            }
            ContactKind::BusinessCheck | ContactKind::FollowUpVisit => Initiator::Officer,
            _ if rng.chance(35) => Initiator::Resident,
            _ => Initiator::Officer,
        };

        let (named, mut unnamed) = match kind {
            ContactKind::CommunityMeeting | ContactKind::Event => {
                (rng.between(0, 3), rng.between(8, 60) as u32)
            }
            ContactKind::YouthEngagement => (rng.between(0, 1), rng.between(3, 25) as u32),
            ContactKind::Conversation => match rng.weighted(&[25, 60, 15]) {
                0 => (0, rng.between(1, 3) as u32),
                n => (n, 0),
            },
            _ => {
                if rng.chance(80) {
                    (1 + usize::from(rng.chance(10)), 0)
                } else {
                    (0, rng.between(1, 2) as u32)
                }
            }
        };
        let pool = if hood_people[hood_ix].is_empty() || rng.chance(8) {
            &all_people
        } else {
            &hood_people[hood_ix]
        };
        let chosen = sample(&mut rng, pool, named);
        let person_ids: Vec<Id> = chosen.iter().map(|i| people[*i].0).collect();
        if person_ids.is_empty() && unnamed == 0 {
            unnamed = 1;
        }
        let who: &str = match chosen.first() {
            Some(i) if people[*i].2 != PersonRole::CommunityGroup => &people[*i].1,
            _ => "a resident",
        };

        let tag_count = match kind {
            ContactKind::ConcernReported => rng.between(1, 3),
            _ => rng.weighted(&[30, 40, 22, 8]),
        };
        let mut contact_tags: Vec<usize> = Vec::with_capacity(tag_count);
        for _ in 0..tag_count.min(tags.len()) {
            let t = if !hp.favored.is_empty() && rng.chance(60) {
                rng.pick(&hp.favored)
            } else {
                rng.below(tags.len())
            };
            if !contact_tags.contains(&t) {
                contact_tags.push(t);
            }
        }
        let topic = contact_tags
            .first()
            .map_or("things on the block", |t| &tag_names[*t]);
        let event = rng.pick(&EVENTS);
        let place = match kind {
            ContactKind::BusinessCheck => rng.pick(&hp.businesses).to_string(),
            ContactKind::CommunityMeeting => rng.pick(&hp.meetings).to_string(),
            ContactKind::Event => match rng.weighted(&[40, 30, 30]) {
                0 => rng.pick(&hp.parks).to_string(),
                1 => rng.pick(&hp.meetings).to_string(),
                _ => rng.pick(&hp.streets).to_string(),
            },
            ContactKind::YouthEngagement => {
                if rng.chance(60) {
                    rng.pick(&hp.schools).to_string()
                } else {
                    rng.pick(&hp.parks).to_string()
                }
            }
            ContactKind::PhoneOrMessage => ["By phone", "Text message", "Email", "Voicemail"]
                [rng.weighted(&[50, 30, 10, 10])]
            .to_string(),
            _ => match rng.weighted(&[40, 25, 15, 20]) {
                0 => {
                    let a = rng.below(hp.streets.len());
                    let b = (a + 1 + rng.below(hp.streets.len() - 1)) % hp.streets.len();
                    format!("{} & {}", hp.streets[a], hp.streets[b])
                }
                1 => format!("{} {}", rng.between(100, 2999), rng.pick(&hp.streets)),
                2 => rng.pick(&hp.parks).to_string(),
                _ => rng.pick(&hp.businesses).to_string(),
            },
        };
        let slots = Slots {
            places: hp,
            place: &place,
            event,
            who,
            topic,
            topic2: contact_tags.get(1).map_or("parking", |t| &tag_names[*t]),
        };

        note.clear();
        match rng.weighted(&[2, 3, 95]) {
            0 => {}
            1 => note.push_str(rng.pick(&ONE_WORD)),
            _ => {
                let openers = OPENERS
                    .iter()
                    .find(|(k, _)| *k == kind)
                    .map_or(&[][..], |(_, s)| *s);
                if !openers.is_empty() {
                    fill(rng.pick(openers), &slots, &mut rng, &mut note);
                }
                let extra = rng.weighted(&[30, 35, 20, 10, 5]);
                for (i, t) in contact_tags.iter().enumerate().take(extra.max(1)) {
                    if i > 0 && !rng.chance(50) {
                        continue;
                    }
                    note.push(' ');
                    fill(
                        rng.pick(sentences_for(&TOPIC_SENTENCES, &tag_names[*t])),
                        &slots,
                        &mut rng,
                        &mut note,
                    );
                }
                for _ in 0..extra.saturating_sub(contact_tags.len()) {
                    note.push(' ');
                    note.push_str(rng.pick(&FILLERS));
                }
                if rng.chance(60) {
                    let closers = TONE_CLOSERS
                        .iter()
                        .find(|(t, _)| *t == tone)
                        .map_or(&[][..], |(_, s)| *s);
                    if !closers.is_empty() {
                        note.push(' ');
                        fill(rng.pick(closers), &slots, &mut rng, &mut note);
                    }
                }
            }
        }
        let note_text = note.trim().to_string();

        let day = rng.below(SPAN_DAYS as usize) as i64;
        let hour = [7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22]
            [rng.weighted(&[2, 4, 6, 7, 8, 8, 8, 8, 8, 8, 7, 6, 5, 4, 3, 2])];
        let minute = rng.below(60) as u32;
        let mut at = local_at(today - Duration::days(day), hour, minute);
        if at > now {
            at -= Duration::days(1);
        }

        let make_followup = rng.chance(20);
        // Drawn even when unused so the content stays the same however the day falls.
        let due_in = rng.between(1, 14) as i64;
        let status_roll = rng.below(100);
        let done_after = rng.between(0, 10) as i64;
        let promise_template = match contact_tags.first() {
            Some(t) if rng.chance(75) => TOPIC_PROMISES
                .iter()
                .find(|(name, _)| *name == tag_names[*t])
                .map_or_else(|| rng.pick(&GENERIC_PROMISES), |(_, p)| *p),
            _ => rng.pick(&GENERIC_PROMISES),
        };
        let outcome_done = rng.pick(&DONE_OUTCOMES);
        let outcome_dropped = rng.pick(&DROPPED_OUTCOMES);

        let contact = Contact {
            meta: Meta::new(store.new_id_at(at)?, author, at),
            at,
            neighborhood: hoods[hood_ix].meta.id,
            place: place.clone(),
            kind,
            people: person_ids.clone(),
            unnamed,
            initiated_by,
            tags: contact_tags.iter().map(|t| tags[*t].meta.id).collect(),
            tone,
            note: note_text,
        };
        let contact = store.stage_unrecorded(contact, author)?;
        summary.contacts += 1;

        if make_followup {
            let mut promise = String::new();
            fill(promise_template, &slots, &mut rng, &mut promise);
            let made_on = at.with_timezone(&Local).date_naive();
            let due = made_on + Duration::days(due_in);
            let status = if due < today - Duration::days(3) {
                // Old promises have mostly been settled one way or another; some linger.
                match status_roll {
                    0..=59 => FollowUpStatus::Done {
                        on: (made_on + Duration::days(done_after)).min(today),
                        outcome: outcome_done.to_string(),
                    },
                    60..=74 => FollowUpStatus::Dropped {
                        on: (due + Duration::days(done_after)).min(today),
                        outcome: outcome_dropped.to_string(),
                    },
                    _ => FollowUpStatus::Open,
                }
            } else if status_roll < 15 {
                FollowUpStatus::Done {
                    on: (made_on + Duration::days(done_after / 3)).min(today),
                    outcome: outcome_done.to_string(),
                }
            } else {
                FollowUpStatus::Open
            };
            if status.is_open() {
                summary.followups_open += 1;
            }
            let followup = FollowUp {
                meta: Meta::new(store.new_id_at(at)?, author, at),
                promise,
                person: person_ids.first().copied(),
                contact: Some(contact.meta.id),
                neighborhood: contact.neighborhood,
                due,
                status,
            };
            store.stage_unrecorded(followup, author)?;
            summary.followups += 1;
        }
        progress.advance(1);
    }

    // A few journal entries per neighborhood, spread over the same period.
    for (hood_ix, count) in journal_counts.iter().enumerate() {
        for _ in 0..*count {
            let hp = &places[hood_ix];
            let who = match hood_people[hood_ix].as_slice() {
                [] => "the block captain",
                list => &people[rng.pick(list)].1,
            };
            let topic = &tag_names[rng.pick(if hp.favored.is_empty() {
                &tag_indexes
            } else {
                &hp.favored
            })];
            let topic2 = &tag_names[rng.below(tag_names.len())];
            let slots = Slots {
                places: hp,
                place: hp.parks[0],
                event: EVENTS[0],
                who,
                topic,
                topic2,
            };
            let mut text = String::new();
            fill(rng.pick(&JOURNAL_TEMPLATES), &slots, &mut rng, &mut text);
            let mut capitalized = String::with_capacity(text.len());
            push_capitalized(&mut capitalized, &text);
            let date = today - Duration::days(rng.below(SPAN_DAYS as usize) as i64);
            let at = local_at(date, 18, rng.below(60) as u32).min(now);
            let author = officers[rng.weighted(&officer_weights)].meta.id;
            let note = JournalNote {
                meta: Meta::new(store.new_id_at(at)?, author, at),
                neighborhood: hoods[hood_ix].meta.id,
                date,
                text: capitalized,
            };
            store.stage_unrecorded(note, author)?;
            summary.journal_notes += 1;
            progress.advance(1);
        }
    }

    if existing_profile.is_none() {
        store.set_profile(&Profile {
            officer: first_officer,
            last_neighborhood: hoods.first().map(|h| h.meta.id),
            backup_keep_days: Profile::default_backup_days(),
            idle_lock_minutes: Profile::default_idle_lock_minutes(),
            retention: Default::default(),
        })?;
    }
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
        ]),
        "done",
    )?;
    (progress.report)(progress.total, progress.total);
    Ok(summary)
}

/// `candidate` if unused, else the name with a middle initial (or two), else numbered.
fn unique_name(
    rng: &mut SplitMix64,
    used: &mut HashSet<String>,
    candidate: String,
    first: &str,
    last: &str,
    serial: usize,
) -> String {
    if used.insert(candidate.clone()) {
        return candidate;
    }
    let initials: Vec<char> = INITIALS.chars().collect();
    let n = initials.len();
    // Walk all initials from a random start so a crowded name still finds a free variant.
    let start = rng.below(n * n);
    for k in 0..n + n * n {
        let name = if k < n {
            format!("{first} {}. {last}", initials[(start + k) % n])
        } else {
            let j = (start + k) % (n * n);
            format!("{first} {}. {}. {last}", initials[j / n], initials[j % n])
        };
        if used.insert(name.clone()) {
            return name;
        }
    }
    let name = format!("{candidate} ({})", serial + 1);
    used.insert(name.clone());
    name
}

#[cfg(test)]
mod tests {
    use super::*;

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
