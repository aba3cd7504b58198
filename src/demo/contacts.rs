//! What happens on the beat: contacts with their notes, the promises made during them (some
//! of the open ones waiting on a partner agency: public works, the parks department, the
//! housing authority ...), and the neighborhoods' journal notes.

use chrono::{DateTime, Duration, Local, NaiveDate, Utc};

use super::text::{fill, push_capitalized, sentences_for, HoodPlaces, Slots};
use super::words::*;
use super::{local_at, sample, Precinct, PromiseDraw, Run, SPAN_DAYS};
use crate::model::{
    Contact, ContactKind, FollowUp, FollowUpStatus, Id, Initiator, JournalNote, Meta, PartnerWait,
    PersonRole, Tone,
};
use crate::store::StoreResult;

impl Run<'_> {
    /// Contacts and the promises made during them.
    pub(super) fn contacts(&mut self, p: &Precinct, count: usize) -> StoreResult<()> {
        let all_people: Vec<usize> = (0..p.people.len()).collect();
        let mut note = String::with_capacity(512);
        for _ in 0..count {
            self.contact(p, &all_people, &mut note)?;
            self.progress.advance(1);
        }
        Ok(())
    }

    /// One contact, its note written from templates, and perhaps a promise made during it.
    pub(super) fn contact(
        &mut self,
        p: &Precinct,
        all_people: &[usize],
        note: &mut String,
    ) -> StoreResult<()> {
        let hood_count = p.hoods.len();
        let rng = &mut self.rng;
        let author_ix = rng.weighted(&p.officer_weights);
        let author = p.officers[author_ix].meta.id;
        // Each officer has a home beat; most of their contacts happen there.
        let hood_ix = if rng.chance(75) {
            author_ix % hood_count
        } else {
            rng.below(hood_count)
        };
        let hp = &p.places[hood_ix];
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

        let (chosen, unnamed) = self.participants(p, all_people, kind, hood_ix);
        let person_ids: Vec<Id> = chosen.iter().map(|i| p.people[*i].0).collect();
        let who: &str = match chosen.first() {
            Some(i) if p.people[*i].2 != PersonRole::CommunityGroup => &p.people[*i].1,
            _ => "a resident",
        };
        let contact_tags = self.contact_topics(p, kind, hp);
        let topic = contact_tags
            .first()
            .map_or("things on the block", |t| &p.tag_names[*t]);
        let event = self.rng.pick(&EVENTS);
        let place = self.place(kind, hp);
        let slots = Slots {
            places: hp,
            place: &place,
            event,
            who,
            topic,
            topic2: contact_tags.get(1).map_or("parking", |t| &p.tag_names[*t]),
        };
        self.write_note(note, kind, tone, &contact_tags, &p.tag_names, &slots);
        let note_text = note.trim().to_string();
        let at = self.contact_time();
        let promise = self.draw_promise(&contact_tags, &p.tag_names);

        let contact = Contact {
            meta: Meta::new(self.store.new_id_at(at)?, author, at),
            at,
            neighborhood: p.hoods[hood_ix].meta.id,
            place: place.clone(),
            kind,
            people: person_ids.clone(),
            unnamed,
            initiated_by,
            tags: contact_tags.iter().map(|t| p.tags[*t].meta.id).collect(),
            tone,
            note: note_text,
        };
        let contact = self.store.stage_unrecorded(contact, author)?;
        self.summary.contacts += 1;
        if promise.made {
            self.followup(
                &contact,
                author,
                person_ids.first().copied(),
                &promise,
                &slots,
            )?;
        }
        Ok(())
    }

    /// Who took part: indexes into the precinct's people (mostly from the neighborhood), and
    /// how many more were not named (at least one person either way).
    pub(super) fn participants(
        &mut self,
        p: &Precinct,
        all_people: &[usize],
        kind: ContactKind,
        hood_ix: usize,
    ) -> (Vec<usize>, u32) {
        let rng = &mut self.rng;
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
        let pool = if p.hood_people[hood_ix].is_empty() || rng.chance(8) {
            all_people
        } else {
            &p.hood_people[hood_ix]
        };
        let chosen = sample(rng, pool, named);
        if chosen.is_empty() && unnamed == 0 {
            unnamed = 1;
        }
        (chosen, unnamed)
    }

    /// The topics raised (indexes into the precinct's tags), the neighborhood's favored ones
    /// more often than others.
    pub(super) fn contact_topics(
        &mut self,
        p: &Precinct,
        kind: ContactKind,
        hp: &HoodPlaces,
    ) -> Vec<usize> {
        let rng = &mut self.rng;
        let tag_count = match kind {
            ContactKind::ConcernReported => rng.between(1, 3),
            _ => rng.weighted(&[30, 40, 22, 8]),
        };
        let mut contact_tags: Vec<usize> = Vec::with_capacity(tag_count);
        for _ in 0..tag_count.min(p.tags.len()) {
            let t = if !hp.favored.is_empty() && rng.chance(60) {
                rng.pick(&hp.favored)
            } else {
                rng.below(p.tags.len())
            };
            if !contact_tags.contains(&t) {
                contact_tags.push(t);
            }
        }
        contact_tags
    }

    /// Where a contact of this kind happens in the neighborhood.
    pub(super) fn place(&mut self, kind: ContactKind, hp: &HoodPlaces) -> String {
        let rng = &mut self.rng;
        match kind {
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
        }
    }

    /// The contact's note: an opener for its kind, a sentence or two per topic, fillers, and
    /// sometimes a closer in its tone. A few notes are empty or one word.
    pub(super) fn write_note(
        &mut self,
        note: &mut String,
        kind: ContactKind,
        tone: Tone,
        contact_tags: &[usize],
        tag_names: &[String],
        slots: &Slots<'_>,
    ) {
        let rng = &mut self.rng;
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
                    fill(rng.pick(openers), slots, rng, note);
                }
                let extra = rng.weighted(&[30, 35, 20, 10, 5]);
                for (i, t) in contact_tags.iter().enumerate().take(extra.max(1)) {
                    if i > 0 && !rng.chance(50) {
                        continue;
                    }
                    note.push(' ');
                    fill(
                        rng.pick(sentences_for(&TOPIC_SENTENCES, &tag_names[*t])),
                        slots,
                        rng,
                        note,
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
                        fill(rng.pick(closers), slots, rng, note);
                    }
                }
            }
        }
    }

    /// A moment in the period, in working hours, never in the future.
    pub(super) fn contact_time(&mut self) -> DateTime<Utc> {
        let rng = &mut self.rng;
        let day = rng.below(SPAN_DAYS as usize) as i64;
        let hour = [7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22]
            [rng.weighted(&[2, 4, 6, 7, 8, 8, 8, 8, 8, 8, 7, 6, 5, 4, 3, 2])];
        let minute = rng.below(60) as u32;
        let mut at = local_at(self.today - Duration::days(day), hour, minute);
        if at > self.now {
            at -= Duration::days(1);
        }
        at
    }

    pub(super) fn draw_promise(
        &mut self,
        contact_tags: &[usize],
        tag_names: &[String],
    ) -> PromiseDraw {
        let rng = &mut self.rng;
        let made = rng.chance(20);
        let due_in = rng.between(1, 14) as i64;
        let status_roll = rng.below(100);
        let done_after = rng.between(0, 10) as i64;
        let template = match contact_tags.first() {
            Some(t) if rng.chance(75) => TOPIC_PROMISES
                .iter()
                .find(|(name, _)| *name == tag_names[*t])
                .map_or_else(|| rng.pick(&GENERIC_PROMISES), |(_, p)| *p),
            _ => rng.pick(&GENERIC_PROMISES),
        };
        PromiseDraw {
            made,
            due_in,
            status_roll,
            done_after,
            template,
            outcome_done: rng.pick(&DONE_OUTCOMES),
            outcome_dropped: rng.pick(&DROPPED_OUTCOMES),
        }
    }

    /// The promise made during `contact`: old ones mostly settled, recent ones mostly open.
    pub(super) fn followup(
        &mut self,
        contact: &Contact,
        author: Id,
        person: Option<Id>,
        draw: &PromiseDraw,
        slots: &Slots<'_>,
    ) -> StoreResult<()> {
        let today = self.today;
        let mut promise = String::new();
        fill(draw.template, slots, &mut self.rng, &mut promise);
        let made_on = contact.at.with_timezone(&Local).date_naive();
        let due = made_on + Duration::days(draw.due_in);
        let status = if due < today - Duration::days(3) {
            // Old promises have mostly been settled one way or another; some linger.
            match draw.status_roll {
                0..=59 => FollowUpStatus::Done {
                    on: (made_on + Duration::days(draw.done_after)).min(today),
                    outcome: draw.outcome_done.to_string(),
                },
                60..=74 => FollowUpStatus::Dropped {
                    on: (due + Duration::days(draw.done_after)).min(today),
                    outcome: draw.outcome_dropped.to_string(),
                },
                _ => FollowUpStatus::Open,
            }
        } else if draw.status_roll < 15 {
            FollowUpStatus::Done {
                on: (made_on + Duration::days(draw.done_after / 3)).min(today),
                outcome: draw.outcome_done.to_string(),
            }
        } else {
            FollowUpStatus::Open
        };
        if status.is_open() {
            self.summary.followups_open += 1;
        }
        let waiting_on = status
            .is_open()
            .then(|| partner_wait(draw, &promise, made_on))
            .flatten();
        let at = contact.at;
        let followup = FollowUp {
            meta: Meta::new(self.store.new_id_at(at)?, author, at),
            promise,
            person,
            contact: Some(contact.meta.id),
            neighborhood: contact.neighborhood,
            due,
            status,
            waiting_on,
        };
        self.store.stage_unrecorded(followup, author)?;
        self.summary.followups += 1;
        Ok(())
    }

    /// A few journal entries per neighborhood, spread over the same period.
    pub(super) fn journal_notes(
        &mut self,
        p: &Precinct,
        journal_counts: &[usize],
    ) -> StoreResult<()> {
        for (hood_ix, count) in journal_counts.iter().enumerate() {
            for _ in 0..*count {
                let rng = &mut self.rng;
                let hp = &p.places[hood_ix];
                let who = match p.hood_people[hood_ix].as_slice() {
                    [] => "the block captain",
                    list => &p.people[rng.pick(list)].1,
                };
                let topic = &p.tag_names[rng.pick(if hp.favored.is_empty() {
                    &p.tag_indexes
                } else {
                    &hp.favored
                })];
                let topic2 = &p.tag_names[rng.below(p.tag_names.len())];
                let slots = Slots {
                    places: hp,
                    place: hp.parks[0],
                    event: EVENTS[0],
                    who,
                    topic,
                    topic2,
                };
                let mut text = String::new();
                fill(rng.pick(&JOURNAL_TEMPLATES), &slots, rng, &mut text);
                let mut capitalized = String::with_capacity(text.len());
                push_capitalized(&mut capitalized, &text);
                let date = self.today - Duration::days(rng.below(SPAN_DAYS as usize) as i64);
                let at = local_at(date, 18, rng.below(60) as u32).min(self.now);
                let author = p.officers[rng.weighted(&p.officer_weights)].meta.id;
                let note = JournalNote {
                    meta: Meta::new(self.store.new_id_at(at)?, author, at),
                    neighborhood: p.hoods[hood_ix].meta.id,
                    date,
                    text: capitalized,
                };
                self.store.stage_unrecorded(note, author)?;
                self.summary.journal_notes += 1;
                self.progress.advance(1);
            }
        }
        Ok(())
    }
}

/// The partner agency a promise made from `template` would wait on, and the prefix of their
/// references (empty: they give none).
const PARTNERS: [(&str, &str, &str); 8] = [
    ("to the city", "Public works", "WO-"),
    ("graffiti removal", "Public works", "WO-"),
    ("Ask parks", "Parks department", "PK-"),
    ("tenant hotline", "Housing authority", "HA-"),
    ("vacant lot", "Code enforcement", "CE-"),
    ("parking enforcement", "Parking enforcement", "PE-"),
    ("outreach team", "Homeless outreach", ""),
    ("sanitation", "Sanitation", "SR-"),
];

/// What an open promise waits on, if its kind of promise goes through a partner and its draw
/// says so (about half of them). Everything comes from what was drawn for the promise and its
/// text, so the same seed gives the same waits without drawing more numbers (which would
/// change every record drawn after it): the reference (missing on some, not given yet) and a
/// chase date two to seven days after the promise was made.
fn partner_wait(draw: &PromiseDraw, promise: &str, made_on: NaiveDate) -> Option<PartnerWait> {
    let (_, agency, prefix) = PARTNERS
        .iter()
        .find(|(words, _, _)| draw.template.contains(words))?;
    if draw.status_roll % 2 == 1 {
        return None;
    }
    let number = 1000
        + (draw.status_roll * 97
            + draw.done_after.unsigned_abs() as usize * 13
            + draw.due_in.unsigned_abs() as usize * 7
            + promise.len() * 31)
            % 9000;
    let reference = if prefix.is_empty() || draw.done_after % 4 == 0 {
        String::new()
    } else {
        format!("{prefix}{number}")
    };
    Some(PartnerWait {
        agency: agency.to_string(),
        reference,
        chase: Some(made_on + Duration::days(2 + draw.done_after / 2)),
    })
}

#[cfg(test)]
mod tests {
    use super::super::{generate, DemoOptions};
    use crate::model::{FollowUp, PartnerWait};
    use crate::store::Store;

    /// The open promises that wait on a partner, as (promise, wait), sorted.
    fn waits(seed: u64) -> Vec<(String, PartnerWait)> {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path(), &crate::store::test_passphrase()).unwrap();
        let options = DemoOptions {
            officers: 3,
            neighborhoods: 4,
            contacts: 600,
            seed,
        };
        generate(&store, &options, &mut |_, _| {}).unwrap();
        let all = store.all::<FollowUp>().unwrap();
        assert!(
            all.iter()
                .all(|f| f.waiting_on.is_none() || f.status.is_open()),
            "only open promises wait"
        );
        let mut out: Vec<(String, PartnerWait)> = all
            .into_iter()
            .filter_map(|f| Some((f.promise, f.waiting_on?)))
            .collect();
        out.sort_by(|a, b| (&a.0, &a.1.reference).cmp(&(&b.0, &b.1.reference)));
        out
    }

    #[test]
    fn some_open_promises_wait_on_partners_the_same_for_the_same_seed() {
        let first = waits(5);
        assert!(first.len() >= 3, "{first:?}");
        let agencies: std::collections::BTreeSet<&str> =
            first.iter().map(|(_, w)| w.agency.as_str()).collect();
        assert!(agencies.len() >= 2, "{agencies:?}");
        assert!(first.iter().any(|(_, w)| !w.reference.is_empty()));
        assert!(first.iter().all(|(_, w)| w.chase.is_some()));
        assert_eq!(first, waits(5));
    }
}
