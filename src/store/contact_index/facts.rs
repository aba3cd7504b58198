//! What the review counts, answered from the index: contacts in a span, people's facts and
//! follow-ups, without decrypting a record.

use super::*;

impl ReviewFacts for ContactIndex {
    fn contacts_between(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        each: &mut dyn FnMut(&ContactFacts<'_>),
    ) -> StoreResult<()> {
        let (from, to) = (from.timestamp_millis(), to.timestamp_millis());
        let span = self
            .by_time
            .between(Some(from), Some(to), &|r| self.at_of(r));
        for r in span.iter().filter_map(|&r| self.rows.get(r as usize)) {
            if r.live {
                let (people, tags) = self.links_of(r);
                each(&ContactFacts {
                    id: r.id,
                    at: r.at,
                    owner: r.officer,
                    neighborhood: r.neighborhood,
                    kind: r.kind,
                    initiated_by: r.initiated_by,
                    tone: r.tone,
                    thin_note: r.thin_note,
                    people,
                    tags,
                });
            }
        }
        Ok(())
    }

    fn people(&self, each: &mut dyn FnMut(&PersonFacts)) -> StoreResult<()> {
        self.people.iter().flatten().for_each(each);
        Ok(())
    }

    fn slots(&self) -> usize {
        self.slots.len()
    }

    fn identities(&self) -> usize {
        self.identities.count()
    }

    fn follow_ups(&self, each: &mut dyn FnMut(&FollowUpFacts)) -> StoreResult<()> {
        self.follow_ups.values().for_each(each);
        Ok(())
    }

    fn last_contact_with_before(
        &self,
        slot: u32,
        before: DateTime<Utc>,
    ) -> StoreResult<Option<i64>> {
        let before = before.timestamp_millis();
        Ok(
            match self.newest_with.get(slot as usize).copied().flatten() {
                // Mostly the period ends today, after every contact.
                Some(newest) if newest < before => Some(newest),
                Some(_) => self.newest_live_with(slot, before),
                None => None,
            },
        )
    }
}
