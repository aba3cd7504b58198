//! The precinct's cast: officers, topics, neighborhoods with their places, and the people who
//! live there.

use std::collections::{HashMap, HashSet};

use chrono::Duration;

use super::text::{unique_name, HoodPlaces};
use super::words::*;
use super::{sample, Precinct, Run};
use crate::model::{
    ContactDetails, Id, Meta, Neighborhood, Officer, Person, PersonRole, Role, Tag,
};
use crate::store::StoreResult;

impl Run<'_> {
    /// Officers. Badges already used in the store are skipped so a second run adds new people.
    pub(super) fn officers(
        &mut self,
        p: &mut Precinct,
        profile_officer: Option<&Officer>,
        existing: &[Officer],
        new_officers: usize,
    ) -> StoreResult<()> {
        let rng = &mut self.rng;
        let mut used_badges: HashSet<String> = existing.iter().map(|o| o.badge.clone()).collect();
        p.officers = profile_officer.into_iter().cloned().collect();
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
            // The first officer (the profile's, in a new store) works a beat; one other
            // supervises.
            let role = if p.officers.len() == 1 {
                Role::Sergeant
            } else {
                Role::Officer
            };
            let id = self.store.new_id_at(self.setup_time)?;
            let officer = Officer {
                meta: Meta::new(id, id, self.setup_time),
                name,
                badge,
                role,
            };
            p.officers.push(self.store.stage_unrecorded(officer, id)?);
            self.summary.officers += 1;
            self.progress.advance(1);
        }
        // The profile's officer (first) writes about half of everything.
        p.officer_weights = (0..p.officers.len())
            .map(|i| if i == 0 { p.officers.len().max(2) } else { 1 })
            .collect();
        Ok(())
    }

    /// Topics: the store's own, or the defaults when it has none yet.
    pub(super) fn topics(&mut self, p: &mut Precinct, first_officer: Id) -> StoreResult<()> {
        p.tags = self.store.all::<Tag>()?;
        if p.tags.is_empty() {
            for name in Tag::DEFAULTS {
                let tag = Tag {
                    meta: Meta::new(
                        self.store.new_id_at(self.setup_time)?,
                        first_officer,
                        self.setup_time,
                    ),
                    name: name.to_string(),
                };
                p.tags
                    .push(self.store.stage_unrecorded(tag, first_officer)?);
                self.summary.tags += 1;
            }
        }
        p.tag_names = p.tags.iter().map(|t| t.name.clone()).collect();
        p.tag_indexes = (0..p.tags.len()).collect();
        Ok(())
    }

    /// Neighborhoods: names already in the store are reused rather than duplicated. Each gets
    /// its streets, businesses and favored topics.
    pub(super) fn neighborhoods(
        &mut self,
        p: &mut Precinct,
        hood_count: usize,
        first_officer: Id,
    ) -> StoreResult<()> {
        let mut existing_hoods: HashMap<String, Neighborhood> = self
            .store
            .all::<Neighborhood>()?
            .into_iter()
            .map(|h| (h.name.to_lowercase(), h))
            .collect();
        p.hoods = Vec::with_capacity(hood_count);
        p.places = Vec::with_capacity(hood_count);
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
                    let id = self.store.new_id_at(self.setup_time)?;
                    self.summary.neighborhoods += 1;
                    self.store.stage_unrecorded(
                        Neighborhood {
                            meta: Meta::new(id, first_officer, self.setup_time),
                            name,
                        },
                        first_officer,
                    )?
                }
            };
            p.hoods.push(hood);
            let rng = &mut self.rng;
            let favored_count = rng.between(2, 4);
            p.places.push(HoodPlaces {
                streets: sample(rng, &STREETS, 8),
                businesses: sample(rng, &BUSINESSES, 6),
                parks: sample(rng, &PARKS, 2),
                schools: sample(rng, &SCHOOLS, 3),
                meetings: sample(rng, &MEETING_PLACES, 2),
                favored: sample(rng, &p.tag_indexes, favored_count),
            });
            self.progress.advance(1);
        }
        Ok(())
    }

    /// People, each belonging to a neighborhood (a few to none).
    pub(super) fn people(&mut self, p: &mut Precinct, people_count: usize) -> StoreResult<()> {
        let hood_count = p.hoods.len();
        p.people = Vec::with_capacity(people_count);
        p.hood_people = vec![Vec::new(); hood_count];
        let mut names_used: HashSet<String> = HashSet::new();
        for serial in 0..people_count {
            let rng = &mut self.rng;
            let hood_ix = rng.below(hood_count);
            let home = if rng.chance(92) { Some(hood_ix) } else { None };
            let role = PersonRole::ALL[rng.weighted(&[50, 15, 6, 4, 7, 12, 6])];
            let first = rng.pick(&FIRST_NAMES);
            let last = rng.pick(&LAST_NAMES);
            let hood_name = p.hoods[hood_ix].name.as_str();
            let candidate = match role {
                PersonRole::Youth => format!("{first} {}.", last.chars().next().unwrap_or('X')),
                PersonRole::CommunityGroup => {
                    format!("{hood_name} {}", rng.pick(&GROUP_KINDS))
                }
                PersonRole::Resident if rng.chance(8) => rng.pick(&DESCRIPTIONS).to_string(),
                _ => format!("{first} {last}"),
            };
            let name = unique_name(rng, &mut names_used, candidate, first, last, serial);
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
            let hp = &p.places[hood_ix];
            let consent = self.consent(role, first, last, hp);
            let rng = &mut self.rng;
            let notes = match role {
                PersonRole::BusinessOwner => format!("Owns {}.", rng.pick(&hp.businesses)),
                PersonRole::SchoolStaff => format!("Works at {}.", rng.pick(&hp.schools)),
                PersonRole::BlockCaptain => {
                    format!("Block captain for {}.", rng.pick(&hp.streets))
                }
                _ if rng.chance(15) => "Prefers texts after 6 pm.".to_string(),
                _ => String::new(),
            };
            let created = self.setup_time + Duration::days(rng.below(25) as i64);
            let author = p.officers[rng.weighted(&p.officer_weights)].meta.id;
            let person = Person {
                meta: Meta::new(self.store.new_id_at(created)?, author, created),
                name,
                role,
                neighborhood: home.map(|h| p.hoods[h].meta.id),
                notes,
                consent,
            };
            let person = self.store.stage_unrecorded(person, author)?;
            if let Some(h) = home {
                p.hood_people[h].push(p.people.len());
            }
            p.people.push((person.meta.id, mention, role));
            self.summary.people += 1;
            self.progress.advance(1);
        }
        Ok(())
    }

    /// Contact details for about two in five adults, as if they agreed to be reached.
    pub(super) fn consent(
        &mut self,
        role: PersonRole,
        first: &str,
        last: &str,
        hp: &HoodPlaces,
    ) -> Option<ContactDetails> {
        let rng = &mut self.rng;
        if role == PersonRole::Youth || !rng.chance(40) {
            return None;
        }
        let agreed = self.today - Duration::days(rng.between(1, 200) as i64);
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
                format!("{} {}", rng.between(100, 2999), rng.pick(&hp.streets))
            } else {
                String::new()
            },
        })
    }
}
